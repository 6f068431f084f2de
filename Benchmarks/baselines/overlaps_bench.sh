#!/usr/bin/env bash
# `vpckit cidr overlaps` benchmark (Docs/PERFORMANCE.md, "IP addressing and CIDR overlaps"): the whole process
# in every output format against overlaps.py (Python's ipaddress, sort and sweep) on the same list, medians of
# N runs taken in the same session, output discarded (>/dev/null); then checks both report the same pairs.
#   swift build -c release --product vpckit
#   python3 Benchmarks/baselines/generate_allocations.py > /tmp/allocations-1m.txt   # ~1M pairs
#   python3 Benchmarks/baselines/generate_cidrs.py > /tmp/cidrs-1m.txt               # 8,805 pairs
#   bash Benchmarks/baselines/overlaps_bench.sh .build/release/vpckit /tmp/allocations-1m.txt 5
set -uo pipefail
vpckit="$1"; list="$2"; runs="${3:-5}"
here=$(cd "$(dirname "$0")" && pwd)
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
formats="text json github sarif"
for _ in $(seq "$runs"); do
  for format in $formats; do
    /usr/bin/time -f "%e %U %S %M" -a -o "$out/$format.txt" "$vpckit" cidr overlaps --format "$format" "$list" >/dev/null 2>/dev/null
  done
  /usr/bin/time -f "%e %U %S %M" -a -o "$out/python.txt" python3 "$here/overlaps.py" "$list" >/dev/null 2>/dev/null
done
python_wall=""
for tool in python $formats; do
  grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$out/$tool.txt" > "$out/$tool.nums"
  wall=$(cut -d' ' -f1 "$out/$tool.nums" | median); user=$(cut -d' ' -f2 "$out/$tool.nums" | median)
  rss=$(cut -d' ' -f4 "$out/$tool.nums" | median)
  [ "$tool" = python ] && python_wall=$wall
  ratio=$(awk -v p="$python_wall" -v w="$wall" 'BEGIN { if (w > 0) printf "%.0f", p / w }')
  echo "$tool: wall ${wall}s (all: $(cut -d' ' -f1 "$out/$tool.nums" | tr '\n' ' ')) user ${user}s peak RSS $((rss / 1024)) MB; python/this ${ratio}x"
done
# The same pairs: overlaps.py's lines against vpckit's JSON findings.
python3 "$here/overlaps.py" "$list" >"$out/py.out" 2>/dev/null
"$vpckit" cidr overlaps --format json "$list" >"$out/vpckit.json" 2>"$out/summary"
cat "$out/summary"
python3 "$here/compare_pairs.py" "$out/py.out" "$out/vpckit.json"
