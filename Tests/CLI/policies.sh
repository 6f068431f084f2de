#!/usr/bin/env bash
# End-to-end checks of policies in `vpckit check` (Docs/DSL.md "Policies"): exit codes, the witness in text,
# SARIF (a result per violation, rule policy/NAME) validated against the 2.1.0 schema, JUnit (a case per policy),
# and fmt keeping tags and policies. Usage: Tests/CLI/policies.sh PATH/TO/vpckit
set -euo pipefail
vpckit=${1:?usage: policies.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
schema=""
for candidate in "${SARIF_SCHEMA:-}" "$here/../../../shared/sarif-schema-2.1.0.json"; do
  if [ -n "$candidate" ] && [ -f "$candidate" ]; then schema=$candidate; break; fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "policies.sh: FAIL: $*" >&2; exit 1; }
violated="$here/fixtures/policies-violated.vpc"
holding="$root/Topologies/policies.vpc"

set +e
"$vpckit" check "$holding" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "policies that hold: exit $rc, want 0: $(cat "$tmp/err")"
grep -q "policies.vpc: 7 of 7 policies hold$" "$tmp/out" || fail "no policy count: $(cat "$tmp/out")"
"$vpckit" check "$violated" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "violations: exit $rc, want 1"
grep -q "policies-violated.vpc:48:8: error: policy 'no-ssh' (deny internet -> tag:env=prod tcp/22) is violated by 1 connection$" "$tmp/err" \
  || fail "deny violation not reported: $(cat "$tmp/err")"
grep -q "^    witness internet -> web-1 tcp/22: reachable" "$tmp/err" || fail "no witness: $(cat "$tmp/err")"
grep -q "^  batch-1 -> db-1 tcp/5432 (partly: some client ports)$" "$tmp/err" || fail "only violation not reported"
for format in sarif junit; do
  "$vpckit" check --format $format "$violated" >"$tmp/out.$format" 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] || fail "--format $format: exit $rc, want 1"
done
"$vpckit" check --format sarif "$holding" >"$tmp/ok.sarif" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "--format sarif on policies that hold: exit $rc"
# An input error beats a violation: exit 2.
printf 'policy p deny internet -> sgg:db\n' >"$tmp/bad.vpc"
"$vpckit" check "$tmp/bad.vpc" "$violated" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "bad policy: exit $rc, want 2"
grep -q "bad.vpc:1:27: error: unknown endpoint-set kind 'sgg'" "$tmp/err" || fail "bad set kind not diagnosed: $(cat "$tmp/err")"
# fmt keeps tags and policies (and is idempotent on them).
"$vpckit" fmt "$violated" >"$tmp/f1.vpc" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "fmt: exit $rc"
grep -q "tag env=prod tag tier=web" "$tmp/f1.vpc" || fail "fmt dropped tags"
grep -q "^policy isolated deny name:\* -> name:\*$" "$tmp/f1.vpc" || fail "fmt dropped a policy"
"$vpckit" fmt --check "$tmp/f1.vpc" >/dev/null 2>&1 || fail "fmt output is not canonical"
set -e

python3 - "$schema" "$tmp/out.sarif" "$tmp/out.junit" "$tmp/ok.sarif" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
schema, sarif_path, junit_path, ok_path = sys.argv[1:5]
sarif = json.load(open(sarif_path))
results = sarif["runs"][0]["results"]
rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
policy = [r for r in results if r["ruleId"].startswith("policy/")]
names = sorted({r["ruleId"] for r in policy})
assert names == ["policy/app-needs-db", "policy/app-not-to-db", "policy/db-only-from-app", "policy/isolated",
                 "policy/no-ping", "policy/no-ssh"], names
assert "policy/no-db-from-internet" in rules
assert sum(1 for r in policy if r["ruleId"] == "policy/isolated") == 10  # one per pair and protocol; a pair open to everything is one `all` violation
for r in policy:
    assert rules[r["ruleIndex"]] == r["ruleId"]
    assert r["level"] == "error"
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("policies-violated.vpc")
ok = json.load(open(ok_path))
assert ok["runs"][0]["results"] == [], ok["runs"][0]["results"]
cases = ET.parse(junit_path).getroot().iter("testcase")
policy_cases = {c.get("name"): c for c in cases if c.get("name", "").startswith("policy ")}
assert len(policy_cases) == 7, sorted(policy_cases)
assert policy_cases["policy no-db-from-internet"].find("failure") is None
assert policy_cases["policy no-ssh"].find("failure") is not None
if schema:
    import jsonschema
    s = json.load(open(schema))
    jsonschema.validate(sarif, s)
    jsonschema.validate(ok, s)
else:
    print("policies.sh: SARIF schema not found; checked the SARIF shape only", file=sys.stderr)
PY
echo "policies.sh: ok"
