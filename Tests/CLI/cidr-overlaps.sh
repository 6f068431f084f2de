#!/usr/bin/env bash
# End-to-end checks of `vpckit cidr` on the fixtures: exit codes 0/1/2, both origins named, the caret
# diagnostic, grouped findings, --max-findings and the summary, and SARIF validated against the 2.1.0 schema. Usage: Tests/CLI/cidr-overlaps.sh PATH/TO/vpckit
set -euo pipefail
vpckit=${1:?usage: cidr-overlaps.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/fixtures"
# The SARIF 2.1.0 schema: $SARIF_SCHEMA, or the project's shared reference folder.
schema=""
for candidate in "${SARIF_SCHEMA:-}" "$here/../../../shared/sarif-schema-2.1.0.json" /work/shared/sarif-schema-2.1.0.json; do
  if [ -n "$candidate" ] && [ -f "$candidate" ]; then schema=$candidate; break; fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "cidr-overlaps.sh: FAIL: $*" >&2; exit 1; }

cd "$fixtures"
set +e
"$vpckit" cidr overlaps clean.txt >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "clean list: exit $rc, want 0"
"$vpckit" cidr overlaps clean.txt overlapping.txt >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "overlapping lists: exit $rc, want 1"
grep -q "^overlapping.txt:2:1: error: 10.0.42.0/24 'new-team' lies inside 10.0.0.0/16 'prod' (clean.txt:2)" "$tmp/out" \
  || fail "nested overlap not named with both file:line: $(cat "$tmp/out")"
grep -q "^overlapping.txt:4:1: error: 2001:db8:0:100::/56 'staging-v6-copy' duplicates 2001:db8:0:100::/56 'staging-v6' (clean.txt:6)" "$tmp/out" \
  || fail "duplicate not reported: $(cat "$tmp/out")"
[ "$(grep -c ': error: ' "$tmp/out")" -eq 2 ] || fail "want exactly 2 overlaps: $(cat "$tmp/out")"
"$vpckit" cidr overlaps clean.txt malformed.txt >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "malformed list: exit $rc, want 2"
grep -q "^malformed.txt:2:1: error: host bits set in '10.3.0.1/16'; did you mean '10.3.0.0/16'?" "$tmp/err" \
  || fail "malformed line not diagnosed: $(cat "$tmp/err")"
grep -q '^\^~~~~~~~~~~$' "$tmp/err" || fail "no caret line: $(cat "$tmp/err")"
"$vpckit" cidr overlaps --normalize clean.txt malformed.txt >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "--normalize: exit $rc, want 0"
"$vpckit" cidr overlaps --format github clean.txt overlapping.txt >"$tmp/out" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "github format: exit $rc"
grep -q '^::error file=overlapping.txt,line=2,col=1,title=cidr-nested::' "$tmp/out" || fail "github annotation: $(cat "$tmp/out")"
"$vpckit" cidr overlaps --format sarif clean.txt overlapping.txt >"$tmp/out.sarif" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "sarif format: exit $rc"
"$vpckit" cidr overlaps --format json clean.txt overlapping.txt >"$tmp/out.json" 2>/dev/null
"$vpckit" cidr overlaps --format bogus clean.txt >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad --format: exit $rc, want 2"
"$vpckit" cidr free 10.0.0.0/16 --used overlapping.txt --size /20 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = "10.0.0.0/20" ] || fail "cidr free: exit $rc: $(cat "$tmp/out")"
"$vpckit" cidr free 10.0.42.0/24 --used overlapping.txt --size /25 >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || fail "cidr free with no room: exit $rc, want 1"
# Topologies: a subnet inside its own VPC is expected; blocks shared with a plain list are not.
topologies="$here/../../Topologies"
if [ -f "$topologies/three-tier.vpc" ]; then
  "$vpckit" cidr overlaps "$topologies/three-tier.vpc" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -eq 0 ] || fail "three-tier.vpc alone: exit $rc, want 0: $(cat "$tmp/out" "$tmp/err")"
  printf '10.10.20.0/22 planned-db\n' >"$tmp/plan.txt"
  "$vpckit" cidr overlaps "$topologies/three-tier.vpc" "$tmp/plan.txt" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] || fail "three-tier.vpc + plan: exit $rc, want 1"
  # One finding for the plan's block, listing the VPC block around it and the two subnets inside it.
  grep -q "plan.txt:1:1: error: 10.10.20.0/22 'planned-db' contains 2 blocks and lies inside 1 \[cidr-nested\]" "$tmp/out" \
    || fail "topology overlap not grouped: $(cat "$tmp/out")"
  grep -q "three-tier.vpc:21: note: 10.10.20.0/24 'subnet db-a' lies inside it" "$tmp/out" \
    || fail "grouped overlap lacks a listed block: $(cat "$tmp/out")"
  [ "$(grep -c ': error: ' "$tmp/out")" -eq 1 ] && [ "$(grep -c ': note: ' "$tmp/out")" -eq 3 ] \
    || fail "want 1 finding with 3 notes: $(cat "$tmp/out")"
  "$vpckit" cidr free 10.10.0.0/16 --used "$topologies/three-tier.vpc" --size /24 >"$tmp/out" 2>&1; rc=$?
  [ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = "10.10.2.0/24" ] || fail "cidr free in three-tier: exit $rc: $(cat "$tmp/out")"
fi
# A block overlapping many others is one finding listing them; --max-findings and the summary.
{
  echo "10.0.0.0/8 region"
  for i in 1 2 3 4 5; do echo "10.$i.0.0/16 team-$i"; done
  echo "10.3.0.0/16 team-3-copy"
  echo "192.168.0.0/16 lab"
  echo "192.168.7.0/24 lab-7"
} >"$tmp/many.txt"
"$vpckit" cidr overlaps "$tmp/many.txt" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "many overlaps: exit $rc, want 1"
grep -q "many.txt:1:1: error: 10.0.0.0/8 'region' contains 6 blocks \[cidr-nested\]" "$tmp/out" || fail "region not grouped: $(cat "$tmp/out")"
[ "$(grep -c "note: .* lies inside it" "$tmp/out")" -eq 6 ] || fail "region's blocks not listed once each: $(cat "$tmp/out")"
grep -q "many.txt:7:1: error: 10.3.0.0/16 'team-3-copy' duplicates 10.3.0.0/16 'team-3' (.*many.txt:4) \[cidr-duplicate\]" "$tmp/out" \
  || fail "duplicate not reported on its own: $(cat "$tmp/out")"
grep -q "many.txt:9:1: error: 192.168.7.0/24 'lab-7' lies inside 192.168.0.0/16 'lab'" "$tmp/out" || fail "isolated pair: $(cat "$tmp/out")"
[ "$(grep -c ': error: ' "$tmp/out")" -eq 3 ] || fail "want 3 findings: $(cat "$tmp/out")"
grep -q "^8 overlaps among 9 blocks (9 IPv4, 0 IPv6) in 3 findings$" "$tmp/err" || fail "summary: $(cat "$tmp/err")"
"$vpckit" cidr overlaps --max-findings 1 "$tmp/many.txt" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "--max-findings 1: exit $rc, want 1"
[ "$(grep -c ': error: ' "$tmp/out")" -eq 1 ] || fail "--max-findings 1 printed: $(cat "$tmp/out")"
grep -q "^8 overlaps among 9 blocks (9 IPv4, 0 IPv6) in 3 findings; 2 not shown (--max-findings 1)$" "$tmp/err" \
  || fail "--max-findings summary: $(cat "$tmp/err")"
"$vpckit" cidr overlaps --max-findings 0 --format github "$tmp/many.txt" >"$tmp/out" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "--max-findings 0: exit $rc, want 1 (overlaps exist)"
[ "$(cat "$tmp/out")" = "::notice title=cidr-overlaps::3 more findings not shown (--max-findings 0)" ] || fail "github notice: $(cat "$tmp/out")"
"$vpckit" cidr overlaps --format github "$tmp/many.txt" >"$tmp/out" 2>/dev/null
grep -q "^::error file=.*many.txt,line=1,col=1,title=cidr-nested::10.0.0.0/8 'region' contains 6 blocks%0A.*many.txt:2: 10.1.0.0/16 'team-1' lies inside it%0A" "$tmp/out" \
  || fail "github grouped annotation: $(cat "$tmp/out")"
"$vpckit" cidr overlaps --max-findings 2 --format json "$tmp/many.txt" >"$tmp/many.json" 2>/dev/null
"$vpckit" cidr overlaps --max-findings 2 --format sarif "$tmp/many.txt" >"$tmp/many.sarif" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "sarif --max-findings: exit $rc"
"$vpckit" cidr overlaps --max-findings -1 "$tmp/many.txt" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--max-findings -1: exit $rc, want 2"
set -e

python3 - "$schema" "$tmp/many.sarif" "$tmp/many.json" <<'PY'
import json, sys
sarif, findings = (json.load(open(p)) for p in sys.argv[2:4])
if sys.argv[1]:
    import jsonschema
    jsonschema.validate(sarif, json.load(open(sys.argv[1])))
run = sarif["runs"][0]
assert len(run["results"]) == 2 and run["properties"] == {"total": 3, "omitted": 1, "pairs": 8}, run.get("properties")
region = run["results"][0]
assert region["ruleId"] == "cidr-nested" and len(region["relatedLocations"]) == 6, region
assert [r["id"] for r in region["relatedLocations"]] == list(range(1, 7)), region
assert (findings["count"], findings["total"], findings["omitted"], findings["pairs"]) == (2, 3, 1, 8), findings
assert len(findings["findings"]) == 2 and len(findings["findings"][0]["related"]) == 6, findings
PY

python3 - "$schema" "$tmp/out.sarif" "$tmp/out.json" <<'PY'
import json, sys
sarif, findings = (json.load(open(p)) for p in sys.argv[2:4])
if sys.argv[1]:
    import jsonschema
    jsonschema.validate(sarif, json.load(open(sys.argv[1])))
else:
    print("cidr-overlaps.sh: SARIF schema not found; checked the SARIF shape only", file=sys.stderr)
assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"] == "vpckit", sarif
results = sarif["runs"][0]["results"]
assert len(results) == 2, results
assert {r["ruleId"] for r in results} == {"cidr-nested", "cidr-duplicate"}, results
assert findings["count"] == 2 and findings["findings"][0]["related"][0]["file"] == "clean.txt", findings
assert (findings["total"], findings["omitted"], findings["pairs"]) == (2, 0, 2), findings
PY
echo "cidr CLI checks passed"
