#!/usr/bin/env bash
# Import benchmark (Docs/PERFORMANCE.md, "Import"): end-to-end `vpckit import aws` on the generated benchmark
# topology written as AWS JSON, against python's json.load of the same files, medians of N runs.
#   (cd Benchmarks && swift run -c release ImportReport write /tmp/bench-snap)
#   swift build -c release --product vpckit
#   bash Benchmarks/baselines/import_bench.sh .build/release/vpckit /tmp/bench-snap 5
set -euo pipefail
vpckit="$1"; snap="$2"; runs="${3:-5}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %S %M" "$vpckit" import aws "$snap" -o "$out/out.vpc" 2>>"$out/vpckit.txt" >/dev/null
  /usr/bin/time -f "%e %U %S %M" python3 -c "
import json, os, sys
d = sys.argv[1]
docs = [json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d)) if f.endswith('.json')]
" "$snap" 2>>"$out/python.txt"
done
for tool in vpckit python; do
  grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$out/$tool.txt" > "$out/$tool.nums"
  wall=$(cut -d' ' -f1 "$out/$tool.nums" | median); user=$(cut -d' ' -f2 "$out/$tool.nums" | median)
  sys=$(cut -d' ' -f3 "$out/$tool.nums" | median); rss=$(cut -d' ' -f4 "$out/$tool.nums" | median)
  echo "$tool: wall ${wall}s (all: $(cut -d' ' -f1 "$out/$tool.nums" | tr '\n' ' ')) user ${user}s sys ${sys}s peak RSS $((rss / 1024)) MB"
done
echo "input: $(du -sb "$snap" | cut -f1) bytes in $(ls "$snap" | wc -l) files"
