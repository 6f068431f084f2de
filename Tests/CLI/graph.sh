#!/usr/bin/env bash
# vpckit graph (issue 20): Graphviz's `dot -Tsvg` accepts our DOT for every topology in Topologies/ at every detail
# (and with a path drawn), for every imported Batfish snapshot (../shared beside the checkout, when present) and
# for the generated 2,000-VPC benchmark with --focus; --format svg and png write a real SVG / PNG through `dot`;
# without `dot` on PATH, svg, png and html exit 2 saying how to install Graphviz while dot and mermaid still work;
# --format html is one page with the SVG inline and the hop table, fetching nothing; -o is whole or nothing; bad
# --focus / --path are exit 2; reach --graph, graph --diff, diff --graph, diff's Mermaid, graph --lint.
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

# 7. reach --graph FILE: the same drawing as graph --path, its steps = reach's JSON hops (reach_graph_check.py);
#    the format from the name or --graph-format; written whole or not at all, only at FILE.
python3 "$here/reach_graph_check.py" "$vpckit" || fail "reach --graph: reach_graph_check.py failed"
run 1 reach "$T" web-1 db-1 tcp/5432 --graph "$tmp/r.html"
head -1 "$tmp/r.html" | grep -qx '<!DOCTYPE html>' && grep -q '<tr class="blocked"' "$tmp/r.html" || fail "reach --graph r.html: not the page"
grep -q 'SUBNET_ACL_RESTRICTION' "$tmp/out" || fail "reach --graph: the answer is not printed"
run 1 reach "$T" web-1 db-1 tcp/5432 --graph "$tmp/r.picture" --graph-format mermaid
head -1 "$tmp/r.picture" | grep -qx 'flowchart LR' || fail "reach --graph-format mermaid: not Mermaid"
run 2 reach "$T" web-1 db-1 tcp/5432 --graph "$tmp/r.txt"
grep -q 'cannot tell the format from the file name' "$tmp/err" || fail "reach --graph r.txt: $(cat "$tmp/err")"
[ ! -e "$tmp/r.txt" ] && [ ! -s "$tmp/out" ] || fail "reach --graph with a bad name wrote something"
run 2 reach "$T" web-1 db-1 --graph "$tmp/r2.dot"
run 2 reach "$T" web-1 db-1 tcp/5432 --graph-format dot
run 2 reach "$T" web-1 db-1 tcp/5432 --graph "$tmp/missing/r.dot"
[ ! -e "$tmp/missing" ] && [ ! -s "$tmp/out" ] || fail "reach --graph to an unwritable place left something or printed an answer"
PATH="$nodot" "$vpckit" reach "$T" web-1 db-1 tcp/5432 --graph "$tmp/r.svg" >"$tmp/out" 2>"$tmp/err"; got=$?
[ "$got" = 2 ] && grep -q 'apt-get install graphviz' "$tmp/err" && [ ! -e "$tmp/r.svg" ] || fail "reach --graph r.svg without dot: exit $got"

# 8. The change: graph NEW --diff OLD and diff OLD NEW --graph FILE (the three-tier change of DiffFixtures);
#    the golden DOT, dot accepts it, every format; graph --lint.
sed -e 's|^    ingress tcp 80 from 0.0.0.0/0$|&\n    ingress tcp 8443 from 0.0.0.0/0|' \
    -e '/^    associate app-a$/{n;/^    route 0.0.0.0\/0 -> nat-a$/d;}' "$T" > "$tmp/new.vpc"
run 0 graph "$tmp/new.vpc" --diff "$T" --detail interface
cmp -s "$tmp/out" "$root/Tests/DiagramsTests/Golden/three-tier-change.dot" || fail "graph --diff: not the golden three-tier-change.dot"
laid_out "graph --diff"
run 1 diff "$T" "$tmp/new.vpc" --graph "$tmp/d.dot"
cmp -s "$tmp/d.dot" "$root/Tests/DiagramsTests/Golden/three-tier-change.dot" || fail "diff --graph d.dot differs from graph --diff"
for f in mmd svg png html; do
  run 1 diff "$T" "$tmp/new.vpc" --graph "$tmp/d.$f"
  [ -s "$tmp/d.$f" ] || fail "diff --graph d.$f wrote nothing"
done
grep -q 'classDef opened' "$tmp/d.mmd" && grep -q '<table class="changes">' "$tmp/d.html" || fail "diff --graph: no change colours in Mermaid / entries in HTML"
run 2 diff "$T" "$tmp/new.vpc" --graph "$tmp/d.unknown"
[ ! -e "$tmp/d.unknown" ] || fail "diff --graph with a bad name wrote a file"
run 1 diff "$T" "$tmp/new.vpc" --format markdown
grep -qx '```mermaid' "$tmp/out" && grep -q 'classDef opened' "$tmp/out" || fail "diff --format markdown: no Mermaid block of the change"
run 0 diff "$T" "$T" --format markdown
grep -q '```mermaid' "$tmp/out" && fail "diff --format markdown without a change has a Mermaid block"
run 0 graph "$root/Topologies/lint-findings.vpc" --lint; laid_out "graph --lint"
[ "$(grep -c 'lint #' "$tmp/out")" -gt 10 ] || fail "graph --lint: findings not on the diagram"

[ "$failures" = 0 ] && echo "graph.sh: ok" || exit 1
