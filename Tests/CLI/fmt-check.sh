#!/usr/bin/env bash
# End-to-end checks of `vpckit fmt` and `vpckit check` exit codes: broken input exits 2 (with a file:line:col
# diagnostic), an unformatted file makes `fmt --check` exit 1 and `fmt --write` fixes it keeping every comment,
# a formatted file exits 0, and every example in Topologies/ is canonical and passes `check` with its asserts.
# Usage: Tests/CLI/fmt-check.sh PATH/TO/vpckit
set -euo pipefail
vpckit=${1:?usage: fmt-check.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
topologies="$here/../../Topologies"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "fmt-check.sh: FAIL: $*" >&2; exit 1; }
comments() { grep -o '#.*' "$1" | sed 's/[[:space:]]*$//' | sort; }

set +e
# Broken input: exit 2 from fmt (all three modes) and from check, with a located diagnostic.
for mode in "" --check --write; do
  # shellcheck disable=SC2086
  "$vpckit" fmt $mode "$topologies/broken/missing-brace.vpc" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || fail "fmt $mode on a broken file: exit $rc, want 2"
  grep -q 'missing-brace.vpc:[0-9]*:[0-9]*: error: ' "$tmp/err" || fail "fmt $mode: no diagnostic: $(cat "$tmp/err")"
done
"$vpckit" check "$topologies/broken/missing-brace.vpc" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "check on a broken file: exit $rc, want 2"
"$vpckit" fmt --check "$tmp/does-not-exist.vpc" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "fmt --check on a missing file: exit $rc, want 2"
"$vpckit" fmt --check --write "$topologies/three-tier.vpc" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--check with --write: exit $rc, want 2"

# Unformatted (but valid) input: --check exits 1 and prints nothing on stdout; --write fixes it in place.
cat >"$tmp/messy.vpc" <<'VPC'
# header comment

assert reach a-1 -> internet tcp/443   # checked last, written first
vpc messy {
    # where the instance lives
    subnet a 10.0.0.0/24    # the only subnet
  cidr 10.0.0.0/16 # primary
  internet-gateway igw
  route-table rt { associate a
    route 0.0.0.0/0 -> igw }   # out to the internet
  instance a-1 in a ip 10.0.0.10 public-ip 54.0.0.1
  # end of the VPC
}
# end of the file
VPC
cp "$tmp/messy.vpc" "$tmp/original.vpc"
"$vpckit" fmt --check "$tmp/messy.vpc" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "fmt --check on an unformatted file: exit $rc, want 1"
[ ! -s "$tmp/out" ] || fail "fmt --check wrote to stdout: $(cat "$tmp/out")"
grep -q 'messy.vpc: not formatted' "$tmp/err" || fail "fmt --check does not name the file: $(cat "$tmp/err")"
cmp -s "$tmp/messy.vpc" "$tmp/original.vpc" || fail "fmt --check changed the file"
"$vpckit" fmt "$tmp/messy.vpc" >"$tmp/stdout.vpc" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "fmt to stdout: exit $rc"
cmp -s "$tmp/messy.vpc" "$tmp/original.vpc" || fail "fmt without --write changed the file"
"$vpckit" fmt --write "$tmp/messy.vpc" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "fmt --write: exit $rc: $(cat "$tmp/err")"
cmp -s "$tmp/messy.vpc" "$tmp/stdout.vpc" || fail "fmt --write and fmt to stdout differ"
[ "$(comments "$tmp/messy.vpc")" = "$(comments "$tmp/original.vpc")" ] || fail "comments lost: $(cat "$tmp/messy.vpc")"
grep -q '^  subnet a 10.0.0.0/24  # the only subnet$' "$tmp/messy.vpc" || fail "end-of-line comment moved: $(cat "$tmp/messy.vpc")"
grep -A1 '^  # where the instance lives$' "$tmp/messy.vpc" | grep -q '^  subnet a ' \
  || fail "a whole-line comment left its statement: $(cat "$tmp/messy.vpc")"
grep -B2 '^assert reach a-1 ' "$tmp/messy.vpc" | head -1 | grep -q '^}$' || fail "assert not after the VPC"
head -1 "$tmp/messy.vpc" | grep -q '^# header comment$' || fail "file header not kept on top"
tail -1 "$tmp/messy.vpc" | grep -q '^# end of the file$' || fail "end-of-file comment not last"

# Formatted input: --check exits 0 (the file just written, and every example).
"$vpckit" fmt --check "$tmp/messy.vpc" >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] || fail "fmt --check after --write: exit $rc, want 0"
"$vpckit" fmt --check "$topologies"/*.vpc >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "Topologies/ not canonical (run vpckit fmt --write Topologies/*.vpc): $(cat "$tmp/err")"
# One unformatted file among formatted ones: exit 1, naming only it.
"$vpckit" fmt --check "$topologies/three-tier.vpc" "$tmp/original.vpc" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "mixed --check: exit $rc, want 1"
[ "$(grep -c 'not formatted' "$tmp/err")" -eq 1 ] || fail "mixed --check: $(cat "$tmp/err")"
# Broken beats unformatted: exit 2.
"$vpckit" fmt --check "$tmp/original.vpc" "$topologies/broken/missing-brace.vpc" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "unformatted + broken: exit $rc, want 2"

# check: every example loads and its asserts hold (exit 0); a failing assert exits 1.
"$vpckit" check "$topologies"/*.vpc >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || fail "vpckit check Topologies/*.vpc: exit $rc: $(cat "$tmp/out" "$tmp/err")"
cp "$tmp/messy.vpc" "$tmp/failing.vpc"
printf 'assert noreach a-1 -> internet tcp/443\n' >>"$tmp/failing.vpc"
"$vpckit" check "$tmp/failing.vpc" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || fail "check with a failing assert: exit $rc, want 1"
set -e
echo "fmt/check CLI checks passed"
