#!/usr/bin/env bash
# Bad input never crashes `vpckit`: every command, given missing files, folders, empty files, binary garbage,
# NUL bytes, unknown names, bad traffic specs, out-of-range numbers and unwritable outputs, exits with the
# documented code (0 ok, 1 findings/not reachable, 2 usage or input error), says why on stderr, and never
# traps (no exit 132/134/139, no "Fatal error"). Diagnostics never echo control characters raw.
# Usage: Tests/CLI/robustness.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: robustness.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
T="$here/../../Topologies/three-tier.vpc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
# expect CODE ARGS...: runs vpckit ARGS (stdin empty), checks the exit code, a message on stderr for codes 2,
# no trap text and no raw control characters on stderr.
expect() {
  local want=$1; shift
  timeout 60 "$vpckit" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "robustness.sh: FAIL: vpckit $* exited $rc, want $want: $(head -c 300 "$tmp/err")" >&2; failures=$((failures + 1)); return
  fi
  if grep -aq 'Fatal error\|Stack dump' "$tmp/err"; then
    echo "robustness.sh: FAIL: vpckit $* trapped" >&2; failures=$((failures + 1))
  fi
  if [ "$want" = 2 ] && [ ! -s "$tmp/err" ]; then
    echo "robustness.sh: FAIL: vpckit $* exited 2 without a message" >&2; failures=$((failures + 1))
  fi
  if LC_ALL=C grep -aqP '[\x00-\x08\x0b-\x1f\x7f]' "$tmp/err"; then
    echo "robustness.sh: FAIL: vpckit $* echoed a control character on stderr" >&2; failures=$((failures + 1))
  fi
}

: > empty.vpc
mkdir folder
head -c 4096 /dev/urandom > garbage.bin
printf 'vpc a {\000 cidr 10.0.0.0/16 }\n' > nul.vpc
printf 'vpc a { cidr 10.0.0.0/16 \033[31m }\n' > escape.vpc
printf 'vpc caf\303\251 { cidr 10.0.0.0/16 }\n' > unicode.vpc
printf '10.0.0.0/8\n\000\n' > nul.txt
printf '\357\273\27710.0.0.0/8 a\r\n10.1.0.0/16 b\r\n' > bom-crlf.txt

for bad in missing.vpc folder garbage.bin nul.vpc escape.vpc unicode.vpc; do
  expect 2 check "$bad"
  expect 2 fmt "$bad"
  expect 2 export "$bad"
  expect 2 lint "$bad"
  expect 2 route "$bad" app-a 10.0.0.1
  expect 2 reach "$bad" a b tcp/1
  expect 2 graph "$bad"
done
# An empty topology is valid; names in it are not.
expect 0 check empty.vpc
expect 0 graph empty.vpc
expect 0 graph empty.vpc --format mermaid
expect 2 graph empty.vpc --focus a
expect 2 graph "$T" --path app-1 db-1 'tcp/99999'
expect 2 route empty.vpc app-a 10.0.0.1
expect 2 reach empty.vpc a b tcp/1

# Usage errors from the argument parser are exit 2 too.
expect 2 check
expect 2 nosuchcommand
expect 2 reach "$T" app-1 db-1 tcp/5432 --format xml
expect 2 reach "$T" app-1 db-1 tcp/5432 --source-port 99999
expect 2 fmt --check --write "$T"

# reach: bad traffic and unknown endpoints.
for traffic in tcp/99999 tcp/ foo/1 tcp/-1 proto/999 icmp/256 icmp/x all/5; do expect 2 reach "$T" app-1 db-1 "$traffic"; done
expect 2 reach "$T" nobody db-1 tcp/5432
expect 2 reach "$T" app-1 internet:999.1.1.1 tcp/443
# 'internet' is a set of public addresses: not at both ends, and internet:CIDR must be public.
expect 2 reach "$T" internet internet tcp/443
expect 2 reach "$T" internet internet:8.8.8.8 tcp/443
expect 2 reach "$T" internet:10.0.0.0/8 web-1 tcp/443
expect 2 reach "$T" internet:1.2.3.0/33 web-1 tcp/443
expect 2 reach "$T" internet:198.51.100.0/24 internet
expect 2 reach "$T" "" "" tcp/1
expect 0 reach "$T" app-1 db-1 tcp/5432
expect 1 reach "$T" app-1 db-1 tcp/22

# route: bad subnet and address.
expect 2 route "$T" nosuch 10.0.0.1
expect 2 route "$T" app-a 999.0.0.1
expect 0 route "$T" app-a 10.10.20.7

# cidr: bad prefixes, huge numbers (no unbounded output), BOM + CRLF lists, NUL bytes.
expect 2 cidr info 10.0.0.0/33
expect 2 cidr info 10.0.0.0/99999999999999999999
expect 2 cidr info ''
expect 2 cidr info "$(printf '10.0.0.0\033[2J/8')"
expect 2 cidr split 10.0.0.0/16 --into /8
expect 2 cidr split 10.0.0.0/16 --into 99999999999999999999
expect 2 cidr split ::/0 --into /128 --limit 99999999999
expect 2 cidr free ::/0 --size /128 --count 99999999999
expect 2 cidr free 10.0.0.0/16 --size /8
expect 2 cidr free 10.0.0.0/16 --size /24 --used missing.txt
expect 2 cidr overlaps missing.txt
expect 2 cidr overlaps garbage.bin
expect 2 cidr overlaps nul.txt
expect 1 cidr overlaps bom-crlf.txt
grep -q 'bom-crlf.txt:2:1: error: 10.1.0.0/16' "$tmp/out" || { echo "robustness.sh: FAIL: BOM list: $(cat "$tmp/out")" >&2; failures=$((failures + 1)); }

# generate: out-of-range sizes are usage errors, not silent clamps; unwritable output is exit 2.
expect 2 generate --vpcs 0
expect 2 generate --vpcs 5000
expect 2 generate --zones 4
expect 2 generate --peerings 50
expect 2 generate -o /nonexistent-dir/x.vpc
expect 2 export "$T" -o /nonexistent-dir/x.json
expect 2 export "$T" -o folder

# flowlogs: missing/garbage captures; an option checked in run() names the subcommand, not the root.
expect 2 flowlogs "$T" --pcap missing.pcap
expect 2 flowlogs "$T" --pcap garbage.bin
expect 2 flowlogs "$T" --pcap folder
expect 2 flowlogs "$T" --pcap missing.pcap --interval 5
grep -q "vpckit flowlogs --help" "$tmp/err" || { echo "robustness.sh: FAIL: flowlogs --interval 5: $(cat "$tmp/err")" >&2; failures=$((failures + 1)); }

# import: missing, empty, garbage, a topology instead of JSON.
expect 2 import aws missing.json
expect 2 import aws folder
expect 2 import aws empty.vpc
expect 2 import terraform garbage.bin
expect 2 import aws "$T"

# lint options.
expect 2 lint --format xml "$T"
expect 2 lint --internet-ports 99999 "$T"

# `-` reads the topology language from standard input, for every topology command.
for cmd in "check -" "fmt -" "export - --format json" "lint --min-severity error -" "reach - app-1 db-1 tcp/5432"; do
  # shellcheck disable=SC2086
  "$vpckit" $cmd <"$T" >"$tmp/out" 2>"$tmp/err"; rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
    echo "robustness.sh: FAIL: vpckit $cmd < three-tier.vpc exited $rc: $(head -c 300 "$tmp/err")" >&2; failures=$((failures + 1))
  fi
done
"$vpckit" check - <"$T" >"$tmp/out" 2>&1 && grep -q "10 of 10 assertions hold" "$tmp/out" \
  || { echo "robustness.sh: FAIL: check - did not run the piped topology's assertions" >&2; failures=$((failures + 1)); }

# Issue 15 (untrusted input): small holes and misleading messages.
# expect_err CODE PATTERN ARGS...: as expect, and stderr matches PATTERN (grep -E).
expect_err() {
  local want=$1 pattern=$2; shift 2
  expect "$want" "$@"
  grep -Eq -- "$pattern" "$tmp/err" || { echo "robustness.sh: FAIL: vpckit $*: stderr lacks /$pattern/: $(head -c 300 "$tmp/err")" >&2; failures=$((failures + 1)); }
}
expect_err 2 "destination port 0" reach "$T" app-1 db-1 tcp/0
expect_err 2 "destination port 0" reach "$T" app-1 db-1 udp/0
expect_err 2 "--account must be a 12-digit" flowlogs "$T" --pcap missing.pcap --account x
expect_err 2 "--region must be" flowlogs "$T" --pcap missing.pcap --region ../x
expect_err 0 "warning: no VPCs" check empty.vpc
: > empty.txt
expect_err 2 "empty.txt: error: the file is empty" cidr overlaps empty.txt
expect_err 2 "empty.vpc: error: .*the file is empty" import aws empty.vpc
expect_err 2 "empty.vpc: error: .*the file is empty" import terraform empty.vpc
expect_err 2 "leading zero" cidr info 1.2.3.4/032
expect_err 2 "must be 1…1048576, got -1" cidr split 10.0.0.0/16 --into /24 --limit -1
expect_err 2 "must be 1…1048576, got -1" cidr free 10.0.0.0/16 --size /24 --count -1
expect_err 2 "^error: <prefix>: unexpected character '#'" cidr info '#'
expect_err 2 "is a CIDR block, not a file" cidr free 10.0.0.0/16 --size /24 --used 10.0.0.0/8
python3 -c "print('{\"Vpcs\":' + '[' * 600 + ']' * 600 + '}')" > deep.json
expect_err 2 "nesting deeper than 512" import aws deep.json
[ "$(grep -o '\[0\]' "$tmp/err" | wc -l)" -le 16 ] || { echo "robustness.sh: FAIL: deep JSON path not shortened: $(head -c 200 "$tmp/err")" >&2; failures=$((failures + 1)); }
# A JSON error shows its source line under the message: a raw control character in that line (a syntax error)
# or an escaped one in a value (a semantic error) is never echoed raw, and the caret still lands.
printf '{"Vpcs": [{"VpcId": "vpc-1\033[2J", "CidrBlock": "10.0.0.0/16"}]}\n' > raw-escape.json
expect_err 2 "raw-escape.json:1:27: error: .*control character" import aws raw-escape.json
printf '{"Vpcs": [{"VpcId": "vpc-1\\u001b[2J", "CidrBlock": "10.0.0.0/16"}]}\n' > escaped-escape.json
expect_err 2 "escaped-escape.json:1:21: error: .*invalid VPC id" check escaped-escape.json
# lint --list-rules honours --format (SARIF with the catalogue as rules, JSON) or refuses it (github).
"$vpckit" lint --list-rules --format sarif >"$tmp/out" 2>"$tmp/err" && python3 - "$tmp/out" <<'PY' || { echo "robustness.sh: FAIL: lint --list-rules --format sarif: $(head -c 300 "$tmp/out")" >&2; failures=$((failures + 1)); }
import json, sys
doc = json.load(open(sys.argv[1]))
run = doc["runs"][0]
assert doc["version"] == "2.1.0" and run["results"] == [] and len(run["tool"]["driver"]["rules"]) > 5
PY
"$vpckit" lint --list-rules --format json >"$tmp/out" 2>"$tmp/err" && python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r and all('id' in x for x in r)" "$tmp/out" \
  || { echo "robustness.sh: FAIL: lint --list-rules --format json" >&2; failures=$((failures + 1)); }
expect_err 2 "--list-rules prints text, json or sarif" lint --list-rules --format github

if [ $failures -gt 0 ]; then echo "robustness.sh: $failures failure(s)" >&2; exit 1; fi
echo "robustness.sh: ok"
