#!/usr/bin/env bash
# vpckit graph (issue 20): Graphviz's `dot -Tsvg` accepts our DOT for every topology in Topologies/ at every detail
# (and with a path drawn), for every imported Batfish snapshot (../shared beside the checkout, when present) and
# for the generated 2,000-VPC benchmark with --focus; --format svg and png write a real SVG / PNG through `dot`;
# without `dot` on PATH, svg, png and html exit 2 saying how to install Graphviz while dot and mermaid still work;
# --format html is one page with the SVG inline and the hop table, fetching nothing; -o is whole or nothing; bad
# --focus / --path are exit 2.
# Usage: Tests/CLI/graph.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: graph.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "graph.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
run() {
  local want=$1; shift
  "$vpckit" "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" = "$want" ] || fail "exit $got (want $want): vpckit $* :: $(head -c 400 "$tmp/err")"
}
if ! command -v dot >/dev/null 2>&1; then
  echo "graph.sh: FAIL: Graphviz's dot is not installed (.ci/run installs graphviz)" >&2
  exit 1
fi
# dot must accept $tmp/out and lay it out.
laid_out() {
  dot -Tsvg "$tmp/out" -o "$tmp/out.svg" 2>"$tmp/dot.err" || fail "dot -Tsvg refused the DOT of $*: $(head -c 300 "$tmp/dot.err")"
  grep -q '<svg' "$tmp/out.svg" || fail "no SVG from dot for $*"
}

# 1. Every bundled topology, every detail; the three-tier with paths drawn (reachable and blocked).
for t in "$root"/Topologies/*.vpc; do
  for d in vpc subnet interface; do
    run 0 graph "$t" --detail "$d"; laid_out "$t --detail $d"
  done
  run 0 graph "$t" --format mermaid
  head -1 "$tmp/out" | grep -qx 'flowchart LR' || fail "mermaid of $t does not start with 'flowchart LR'"
done
T="$root/Topologies/three-tier.vpc"
for q in "app-1 db-1 tcp/5432" "web-1 db-1 tcp/5432" "app-1 internet tcp/443" "internet web-1 tcp/443"; do
  # shellcheck disable=SC2086
  run 0 graph "$T" --path $q; laid_out "$T --path $q"
done
grep -q 'BLOCKED' "$tmp/out" && fail "internet -> web-1 is reachable, yet something is marked BLOCKED"
run 0 graph "$T" --path web-1 db-1 tcp/5432
grep -q 'BLOCKED SUBNET_ACL_RESTRICTION (forward)' "$tmp/out" || fail "blocked path: no BLOCKED mark on db-nacl"

# 2. The imported Batfish snapshots.
batfish="$root/../shared/aws-snapshots/batfish"
[ -d "$batfish" ] || batfish="$here/../../../shared/aws-snapshots/batfish"
if [ -d "$batfish" ]; then
  n=0
  for s in "$batfish"/test*/; do
    run 0 graph "$s"; laid_out "$s"; n=$((n + 1))
  done
  [ "$n" -gt 10 ] || fail "only $n Batfish snapshots found under $batfish"
else
  echo "graph.sh: Batfish snapshots skipped (no ../shared/aws-snapshots)"
fi

# 3. The generated benchmark, one VPC and the hub TGW in focus (a neighbourhood, not 2,000 VPCs).
run 0 generate --benchmark -o "$tmp/bench.vpc"
run 0 graph "$tmp/bench.vpc" --focus vpc-7; laid_out "benchmark --focus vpc-7"
grep -q 'cluster_vpc__vpc_vpc_2D7 {' "$tmp/out" || fail "--focus vpc-7 does not draw vpc-7"
[ "$(grep -cE 'subgraph cluster_vpc__vpc_[A-Za-z0-9]*(_[0-9A-F]{2}[A-Za-z0-9]*)* \{' "$tmp/out")" = 1 ] || fail "--focus vpc-7 expands more than one VPC"
run 0 graph "$tmp/bench.vpc" --focus vpc-7 --format mermaid
run 0 graph "$tmp/bench.vpc" --detail vpc -o "$tmp/bench.dot"
[ "$(grep -c '^  vpc_vpc_2D[0-9]* \[' "$tmp/bench.dot")" = 2000 ] || fail "benchmark at vpc detail: not 2,000 VPC nodes"

# 4. svg and png through dot; -o whole or nothing.
run 0 graph "$T" --format svg -o "$tmp/g.svg"
grep -q '<svg' "$tmp/g.svg" || fail "--format svg wrote no SVG"
run 0 graph "$T" --format png -o "$tmp/g.png"
[ "$(head -c 8 "$tmp/g.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "--format png wrote no PNG"
run 0 graph "$T" --format svg
grep -q '</svg>' "$tmp/out" || fail "--format svg to stdout"
run 0 graph "$T" --path web-1 db-1 tcp/5432 --format html -o "$tmp/g.html"
head -1 "$tmp/g.html" | grep -qx '<!DOCTYPE html>' || fail "--format html: not an HTML page"
grep -q '<svg' "$tmp/g.html" && grep -q '<table class="hops">' "$tmp/g.html" && grep -q 'SUBNET_ACL_RESTRICTION' "$tmp/g.html" \
  || fail "--format html: no inline SVG, hop table or blocker"
grep -qE 'src=|href|url\(' "$tmp/g.html" && fail "--format html fetches something: $(grep -oE '.{20}(src=|href|url\().{20}' "$tmp/g.html" | head -2)"
run 2 graph "$T" --format svg -o "$tmp/missing/g.svg"
grep -q 'cannot write file' "$tmp/err" || fail "unwritable -o: $(cat "$tmp/err")"
[ ! -e "$tmp/missing" ] || fail "a failed -o left something behind"

# 5. Without dot on PATH: svg/png exit 2 with how to install it; dot and mermaid still work.
nodot="$tmp/empty-path"; mkdir -p "$nodot"
for f in svg png html; do
  PATH="$nodot" "$vpckit" graph "$T" --format "$f" -o "$tmp/x.$f" >"$tmp/out" 2>"$tmp/err"; got=$?
  [ "$got" = 2 ] || fail "no dot, --format $f: exit $got (want 2)"
  grep -q 'apt-get install graphviz' "$tmp/err" || fail "no dot, --format $f: no install hint: $(cat "$tmp/err")"
  [ ! -e "$tmp/x.$f" ] || fail "no dot, --format $f: wrote a file"
done
for f in dot mermaid; do
  PATH="$nodot" "$vpckit" graph "$T" --format "$f" >"$tmp/out" 2>"$tmp/err" || fail "no dot on PATH: --format $f failed: $(cat "$tmp/err")"
done

# 6. Usage and input errors.
run 2 graph "$T" --focus nope
grep -q "no VPC or transit gateway named 'nope'" "$tmp/err" || fail "unknown --focus: $(cat "$tmp/err")"
run 2 graph "$T" --path app-1 db-1
run 2 graph "$T" --path app-1 nowhere tcp/5432
run 2 graph "$T" --detail everything
run 2 graph "$tmp/does-not-exist.vpc"

[ "$failures" = 0 ] && echo "graph.sh: ok" || exit 1
