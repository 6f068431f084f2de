#!/usr/bin/env bash
# Scripts/pr-gate: check, lint and diff steps, annotations, summary, exit codes 0/1/2 (Docs/PR-GATE.md).
set -uo pipefail
vpckit=$(realpath "$1")
cd "$(dirname "$0")/../.."
gate=Scripts/pr-gate
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Holds: exit 0, the summary names the steps.
"$gate" --vpckit "$vpckit" --summary "$tmp/ok.md" Topologies/three-tier.vpc > "$tmp/ok.out" 2>&1
rc=$?; [ $rc -eq 0 ] || { cat "$tmp/ok.out"; fail "three-tier: exit $rc, expected 0"; }
grep -q '^## VPCKit network gate' "$tmp/ok.md" || fail "summary heading"
grep -q 'check\*\*: every assertion holds' "$tmp/ok.md" || fail "summary check line"
grep -q 'lint\*\*: 0 error(s)' "$tmp/ok.md" || fail "summary lint line"

# A failing assert: exit 1 and one annotation with the file, line and column; ',' and ':' in the path escaped.
mkdir -p "$tmp/a,b:c"
cat > "$tmp/a,b:c/fail.vpc" <<'VPC'
vpc a {
  cidr 10.0.0.0/16
  subnet s 10.0.0.0/24 az us-east-1a
  instance x in s ip 10.0.0.5
  instance y in s ip 10.0.0.6
}
assert noreach x -> y tcp/22
VPC
"$gate" --vpckit "$vpckit" --no-lint --summary - "$tmp/a,b:c/fail.vpc" > "$tmp/fail.out" 2>&1
rc=$?; [ $rc -eq 1 ] || { cat "$tmp/fail.out"; fail "failing assert: exit $rc, expected 1"; }
grep -q '^::error file=.*a%2Cb%3Ac/fail.vpc,line=7,col=1,title=vpckit check::assertion failed: noreach x -> y tcp/22' "$tmp/fail.out" \
  || { cat "$tmp/fail.out"; fail "annotation"; }
grep -q 'assertions fail' "$tmp/fail.out" || fail "summary on stdout"

# Input errors and usage errors: exit 2.
printf 'vpc {\n' > "$tmp/bad.vpc"
"$gate" --vpckit "$vpckit" --no-lint "$tmp/bad.vpc" > /dev/null 2>&1; rc=$?; [ $rc -eq 2 ] || fail "bad topology: exit $rc, expected 2"
"$gate" --vpckit "$vpckit" > /dev/null 2>&1; rc=$?; [ $rc -eq 2 ] || fail "no topology: exit $rc"
"$gate" --vpckit "$vpckit" --fail-on sometimes Topologies/three-tier.vpc > /dev/null 2>&1; rc=$?; [ $rc -eq 2 ] || fail "bad --fail-on: exit $rc"
"$gate" --vpckit "$vpckit" --base x --plan Topologies/three-tier.vpc > /dev/null 2>&1; rc=$?; [ $rc -eq 2 ] || fail "--base with --plan: exit $rc"
"$gate" --vpckit "$vpckit" "$tmp/missing.vpc" > /dev/null 2>&1; rc=$?; [ $rc -eq 2 ] || fail "missing file: exit $rc"

# Without `vpckit diff` (issue 19), a diff mode says so and exits 2.
if ! "$vpckit" diff --help > /dev/null 2>&1; then
  "$gate" --vpckit "$vpckit" --base-ref HEAD Topologies/three-tier.vpc > /dev/null 2> "$tmp/nodiff.err"; rc=$?
  [ $rc -eq 2 ] || fail "--base-ref without diff: exit $rc"
  grep -q "no 'diff' command" "$tmp/nodiff.err" || fail "--base-ref without diff: message"
fi
# The diff step (vpckit diff): opened and closed connections against --fail-on, --base-ref and --plan.
if "$vpckit" diff --help > /dev/null 2>&1; then
  cp Topologies/three-tier.vpc "$tmp/base.vpc"
  python3 - "$tmp/base.vpc" "$tmp/opens.vpc" "$tmp/closes.vpc" <<'PY'
import sys
s = open(sys.argv[1]).read()
opens = s.replace("    ingress tcp 80 from 0.0.0.0/0\n", "    ingress tcp 80 from 0.0.0.0/0\n    ingress tcp 8443 from 0.0.0.0/0\n")
closes = s.replace("    ingress tcp 80 from 0.0.0.0/0\n", "")
assert opens != s and closes != s
open(sys.argv[2], "w").write(opens)
open(sys.argv[3], "w").write(closes)
PY
  gate_rc() { "$gate" --vpckit "$vpckit" --no-lint "$@" > "$tmp/gate.out" 2>&1; echo $?; }
  [ "$(gate_rc --base "$tmp/base.vpc" --summary "$tmp/opens.md" "$tmp/opens.vpc")" -eq 1 ] || { cat "$tmp/gate.out"; fail "opened, --fail-on any: expected 1"; }
  grep -q '^::warning file=.*opens.vpc,title=vpckit diff%3A connection opened::app-1, app-2, internet -> web-1, web-2: tcp/8443$' "$tmp/gate.out" \
    || { cat "$tmp/gate.out"; fail "opened annotation"; }
  grep -q '^#### vpckit diff: 3 opened' "$tmp/opens.md" || fail "opened: summary"
  grep -q '| app-1, app-2, internet | web-1, web-2 | tcp/8443 |' "$tmp/opens.md" || fail "opened: summary table"
  grep -qx '```mermaid' "$tmp/opens.md" && grep -q 'classDef opened' "$tmp/opens.md" || fail "opened: no Mermaid drawing of the change in the summary"
  [ "$(gate_rc --base "$tmp/base.vpc" --fail-on opened "$tmp/opens.vpc")" -eq 1 ] || fail "opened, --fail-on opened: expected 1"
  [ "$(gate_rc --base "$tmp/base.vpc" --fail-on closed "$tmp/opens.vpc")" -eq 0 ] || fail "opened, --fail-on closed: expected 0"
  [ "$(gate_rc --base "$tmp/base.vpc" --fail-on none "$tmp/opens.vpc")" -eq 0 ] || fail "opened, --fail-on none: expected 0"
  [ "$(gate_rc --base "$tmp/base.vpc" --fail-on policy "$tmp/opens.vpc")" -eq 0 ] || fail "opened, --fail-on policy: expected 0"
  [ "$(gate_rc --base "$tmp/base.vpc" --fail-on closed "$tmp/closes.vpc")" -eq 1 ] || { cat "$tmp/gate.out"; fail "closed, --fail-on closed: expected 1"; }
  grep -q '^::notice file=.*closes.vpc,title=vpckit diff%3A connection closed::' "$tmp/gate.out" || fail "closed annotation"
  [ "$(gate_rc --base "$tmp/base.vpc" --fail-on opened "$tmp/closes.vpc")" -eq 0 ] || fail "closed, --fail-on opened: expected 0"
  [ "$(gate_rc --base "$tmp/base.vpc" --traffic tcp/443 --fail-on closed "$tmp/closes.vpc")" -eq 0 ] || fail "closed, other traffic: expected 0"
  # The same file at HEAD: nothing changed.
  [ "$(gate_rc --base-ref HEAD --summary "$tmp/head.md" Topologies/three-tier.vpc)" -eq 0 ] || { cat "$tmp/gate.out"; fail "--base-ref HEAD: expected 0"; }
  grep -q 'no connection opened or closed' "$tmp/head.md" || fail "--base-ref HEAD: summary"
  # A plan: its prior state against its planned values.
  [ "$(gate_rc --plan --fail-on opened Tests/ImportersTests/Fixtures/terraform/plan-diff.json)" -eq 1 ] || { cat "$tmp/gate.out"; fail "--plan: expected 1"; }
  grep -q 'connection opened::app-1, internet -> web-1: tcp/80$' "$tmp/gate.out" || { cat "$tmp/gate.out"; fail "--plan annotation"; }
  [ "$(gate_rc --plan --fail-on closed Tests/ImportersTests/Fixtures/terraform/plan-diff.json)" -eq 0 ] || fail "--plan, --fail-on closed: expected 0"
fi
echo "pr-gate: ok"
