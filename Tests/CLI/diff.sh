#!/usr/bin/env bash
# vpckit diff (issue 19, Docs/DIFF.md): exit codes per --fail-on, the JSON against Docs/schemas/diff.schema.json,
# SARIF against the SARIF 2.1.0 schema, GitHub annotations and Markdown, a Terraform plan's two sides, snapshot
# folders, input errors. Needs python jsonschema.
# Usage: Tests/CLI/diff.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: diff.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
tf="$root/Tests/ImportersTests/Fixtures/terraform"

# OLD: three-tier; NEW: group web admits tcp/8443 from anywhere, app-a loses its default route.
cp "$root/Topologies/three-tier.vpc" "$tmp/old.vpc"
python3 - "$tmp/old.vpc" "$tmp/new.vpc" <<'PY'
import sys
s = open(sys.argv[1]).read()
t = s.replace("    ingress tcp 80 from 0.0.0.0/0\n", "    ingress tcp 80 from 0.0.0.0/0\n    ingress tcp 8443 from 0.0.0.0/0\n")
t = t.replace("    associate app-a\n    route 0.0.0.0/0 -> nat-a\n", "    associate app-a\n")
assert t != s
open(sys.argv[2], "w").write(t)
PY

expect() { # expect CODE ARGS...: runs vpckit, checks the exit code
  local want=$1; shift
  "$vpckit" "$@" > "$tmp/out" 2> "$tmp/err"; local rc=$?
  [ "$rc" -eq "$want" ] || { cat "$tmp/out" "$tmp/err"; fail "vpckit $*: exit $rc, expected $want"; }
}

expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" --format json; cp "$tmp/out" "$tmp/changed.json"
expect 0 diff "$tmp/old.vpc" "$tmp/old.vpc" --format json; cp "$tmp/out" "$tmp/same.json"
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" --format sarif; cp "$tmp/out" "$tmp/changed.sarif"
expect 0 diff "$tmp/old.vpc" "$tmp/old.vpc" --format sarif; cp "$tmp/out" "$tmp/same.sarif"
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" tcp/443 --fail-on closed
expect 0 diff "$tmp/old.vpc" "$tmp/new.vpc" tcp/443 --fail-on opened
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" --fail-on opened
expect 0 diff "$tmp/old.vpc" "$tmp/new.vpc" --fail-on policy
expect 1 diff "$tmp/new.vpc" "$tmp/old.vpc" --fail-on closed   # the reverse closes 8443
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" --every-pair --format json; cmp -s "$tmp/out" "$tmp/changed.json" || fail "--every-pair differs"
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" --format github; cp "$tmp/out" "$tmp/changed.github"
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc" --format markdown; cp "$tmp/out" "$tmp/changed.md"
expect 1 diff "$tmp/old.vpc" "$tmp/new.vpc"; cp "$tmp/out" "$tmp/changed.txt"
# A plan alone: its prior state against its planned values (plan-diff.json: see make_plan_diff_fixture.py).
expect 1 diff "$tf/plan-diff.json" --format json; cp "$tmp/out" "$tmp/plan.json"
expect 1 diff "$tf/state.json" "$tf/plan-change.json" --format json; cmp -s "$tmp/out" "$tmp/plan.json" || fail "plan sides differ from state vs plan"
expect 0 diff "$tf/plan-diff.json" tcp/22
# Snapshot folders and Terraform JSON are topologies like any other.
expect 0 diff "$root/Tests/ImportersTests/Fixtures/moto/three-tier" "$root/Tests/ImportersTests/Fixtures/moto/three-tier"
# Input and usage errors.
expect 2 diff "$tf/state.json"; grep -q "not a Terraform plan" "$tmp/err" || fail "state alone: message"
expect 2 diff "$tmp/old.vpc"
expect 2 diff "$tmp/old.vpc" "$tmp/missing.vpc"
expect 2 diff "$tmp/old.vpc" "$tmp/new.vpc" tcp/0
expect 2 diff "$tmp/old.vpc" "$tmp/new.vpc" --fail-on sometimes
expect 2 diff
printf 'vpc {\n' > "$tmp/bad.vpc"
expect 2 diff "$tmp/old.vpc" "$tmp/bad.vpc"

python3 - "$root" "$tmp" <<'PY' || exit 1
import json, os, sys
import jsonschema
root, tmp = sys.argv[1], sys.argv[2]
failures = []
schema = json.load(open(os.path.join(root, "Docs/schemas/diff.schema.json")))
v = jsonschema.Draft202012Validator(schema)
for name in ["changed.json", "same.json", "plan.json"]:
    for e in v.iter_errors(json.load(open(os.path.join(tmp, name)))):
        failures.append(f"{name}: {e.message} at {list(e.path)}")
changed = json.load(open(os.path.join(tmp, "changed.json")))
names = lambda ps: [p["name"] for p in ps]
got = [(names(e["sources"]), names(e["destinations"]), e["protocol"], e["ports"]) for e in changed["opened"]]
want = [(["app-1", "app-2", "internet"], ["web-1", "web-2"], "tcp", "8443"), (["web-1"], ["web-2"], "tcp", "8443"), (["web-2"], ["web-1"], "tcp", "8443")]
if got != want: failures.append(f"opened: {got}")
got = [(names(e["sources"]), names(e["destinations"]), e["protocol"], e["ports"]) for e in changed["closed"]]
if got != [(["app-1"], ["internet"], "tcp", "443")]: failures.append(f"closed: {got}")
same = json.load(open(os.path.join(tmp, "same.json")))
if same["opened"] or same["closed"]: failures.append("same: not empty")
plan = json.load(open(os.path.join(tmp, "plan.json")))
if [(names(e["sources"]), names(e["destinations"]), e["ports"]) for e in plan["opened"]] != [(["app-1", "internet"], ["web-1"], "80")]:
    failures.append(f"plan: {plan['opened']}")
# The schema can fail: an opened entry with client ports, a party without a kind, a ports field on 'all'.
bad = [
    {"opened": [{"sources": [{"name": "a", "id": None, "kind": "interface"}], "destinations": [{"name": "b", "id": None, "kind": "interface"}], "protocol": "tcp", "ports": "22", "clientPorts": "1024-65535"}], "closed": [], "policy": {"introduced": [], "fixed": []}},
    {"opened": [{"sources": [{"name": "a", "id": None}], "destinations": [{"name": "b", "id": None, "kind": "interface"}], "protocol": "tcp", "ports": "22"}], "closed": [], "policy": {"introduced": [], "fixed": []}},
    {"opened": [], "closed": [{"sources": [{"name": "a", "id": None, "kind": "interface"}], "destinations": [{"name": "b", "id": None, "kind": "interface"}], "protocol": "all", "ports": "1-65535"}], "policy": {"introduced": [], "fixed": []}},
]
for i, doc in enumerate(bad):
    if v.is_valid(doc): failures.append(f"schema accepts bad document {i}")
# SARIF 2.1.0: $SARIF_SCHEMA, or ../shared beside the checkout.
paths = [os.environ.get("SARIF_SCHEMA", ""), os.path.join(root, "..", "shared", "sarif-schema-2.1.0.json")]
path = next((p for p in paths if p and os.path.exists(p)), None)
if path is None:
    print("diff.sh: note: no SARIF schema found; SARIF checked for shape only")
for name, count in [("changed.sarif", 4), ("same.sarif", 0)]:
    log = json.load(open(os.path.join(tmp, name)))
    if path:
        s = json.load(open(path))
        for e in jsonschema.validators.validator_for(s)(s).iter_errors(log):
            failures.append(f"{name}: {e.message}")
    results = log["runs"][0]["results"]
    if len(results) != count: failures.append(f"{name}: {len(results)} results")
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    for r in results:
        if rules[r["ruleIndex"]] != r["ruleId"]: failures.append(f"{name}: ruleIndex")
if [r["ruleId"] for r in json.load(open(os.path.join(tmp, "changed.sarif")))["runs"][0]["results"]] != ["connection-opened"] * 3 + ["connection-closed"]:
    failures.append("sarif rule ids")
gh = open(os.path.join(tmp, "changed.github")).read().splitlines()
if len(gh) != 4 or not all(l.startswith("::warning file=") for l in gh[:3]) or not gh[3].startswith("::notice file="):
    failures.append(f"github: {gh}")
if not all("title=vpckit diff%3A connection " in l for l in gh): failures.append("github: title escaping")
md = open(os.path.join(tmp, "changed.md")).read()
if not md.startswith("#### vpckit diff: 3 opened (8 connections), 1 closed (1 connection)\n"): failures.append(f"markdown summary: {md[:80]}")
if "| app-1, app-2, internet | web-1, web-2 | tcp/8443 |" not in md: failures.append("markdown row")
txt = open(os.path.join(tmp, "changed.txt")).read()
if "  app-1 -> internet: tcp/443\n" not in txt: failures.append("text line")
for f in failures: print("FAIL:", f)
sys.exit(1 if failures else 0)
PY
echo "diff: ok"
