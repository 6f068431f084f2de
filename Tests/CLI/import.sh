#!/usr/bin/env bash
# End-to-end checks of `vpckit import` and of topology commands reading AWS/Terraform JSON: exit codes,
# diagnostics naming file and JSON path, and -o files written whole or not at all.
#   bash Tests/CLI/import.sh path/to/vpckit
set -uo pipefail
vpckit="$1"
here="$(cd "$(dirname "$0")" && pwd)"
fx="$here/import-fixtures"
moto="$here/../ImportersTests/Fixtures/moto"
tf="$here/../ImportersTests/Fixtures/terraform"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0
check() { # description, expected exit, stderr pattern, command...
  local what="$1" want="$2" pattern="$3"; shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL $what: exit $got, expected $want"; cat "$work/err"; fail=1; return; fi
  if [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$work/err"; then echo "FAIL $what: stderr lacks /$pattern/"; cat "$work/err"; fail=1; return; fi
  echo "ok   $what"
}

# Bad input: exit 2, file and JSON path named, and the -o file untouched.
echo "previous content" > "$work/keep.vpc"
check "malformed JSON" 2 'malformed/describe-vpcs.json:1:[0-9]+: error: \$\.Vpcs\[0\]' "$vpckit" import aws "$fx/malformed" -o "$work/keep.vpc"
check "wrong type at a known key" 2 'wrong-type/describe-vpcs.json:1:10: error: \$\.Vpcs: expected an array' "$vpckit" import aws "$fx/wrong-type" -o "$work/keep.vpc"
check "invalid CIDR in a route" 2 'describe-route-tables.json:3:39: error: \$\.RouteTables\[0\]\.Routes\[1\]\.DestinationCidrBlock: invalid IPv4 CIDR' "$vpckit" import aws "$fx/bad-route-cidr" -o "$work/keep.vpc"
check "truncated file" 2 'describe-subnets.json:1:[0-9]+: error: \$\.Subnets\[0\][^ ]*: unexpected end of input.*\(truncated file\?\)' "$vpckit" import aws "$fx/truncated" -o "$work/keep.vpc"
check "folder with no known document" 2 'no AWS document found' "$vpckit" import aws "$fx/unknown" -o "$work/keep.vpc"
mkdir "$work/empty"
check "empty folder" 2 'no \.json files' "$vpckit" import aws "$work/empty" -o "$work/keep.vpc"
# Semantic errors are placed like the language's diagnostics (issue 15): file:line:column, the line, a caret
# under the value; for the import and for commands reading the input directly. Exact stderr, both forms.
check_caret() { # description, expected stderr file, command...
  local what="$1" want="$2"; shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" != 2 ]; then echo "FAIL $what: exit $got, expected 2"; cat "$work/err"; fail=1; return; fi
  if ! diff -u "$want" "$work/err"; then echo "FAIL $what: stderr differs"; fail=1; return; fi
  echo "ok   $what"
}
cd "$fx"
printf '%s\n' \
  'bad-route-cidr/describe-route-tables.json:3:39: error: $.RouteTables[0].Routes[1].DestinationCidrBlock: invalid IPv4 CIDR '"'"'10.0.0/16'"'"': an IPv4 address has exactly four fields' \
  '             {"DestinationCidrBlock": "10.0.0/16", "GatewayId": "igw-1"}]}]}' \
  '                                      ^~~~~~~~~~~' > "$work/aws-caret"
check_caret "aws: semantic error has line, column and caret" "$work/aws-caret" "$vpckit" import aws bad-route-cidr -o "$work/keep.vpc"
check_caret "aws: check places it the same" "$work/aws-caret" "$vpckit" check bad-route-cidr
printf '%s\n' \
  'terraform/bad-cidr.json:14:27: error: $.values.root_module.resources[0].values.cidr_block: invalid IPv4 CIDR '"'"'10.0.0.0/33'"'"': prefix length must be 0...32 for IPv4' \
  '            "cidr_block": "10.0.0.0/33"' \
  '                          ^~~~~~~~~~~~~' > "$work/tf-caret"
check_caret "terraform: semantic error has line, column and caret" "$work/tf-caret" "$vpckit" import terraform terraform/bad-cidr.json -o "$work/keep.vpc"
check_caret "terraform: check places it the same" "$work/tf-caret" "$vpckit" check terraform/bad-cidr.json
check "terraform from standard input: placed from the bytes read" 2 '^-:14:27: error: \$\.values' sh -c '"$1" import terraform - -o "$2" < terraform/bad-cidr.json' _ "$vpckit" "$work/keep.vpc"
cd - >/dev/null
if [ "$(cat "$work/keep.vpc")" != "previous content" ]; then echo "FAIL -o file was touched by a failed import"; fail=1; else echo "ok   -o file untouched after failures"; fi
if ls "$work" | grep -q '\.tmp-'; then echo "FAIL temporary file left behind"; fail=1; fi
check "other commands: exit 2 on bad JSON" 2 'truncated file' "$vpckit" check "$fx/truncated/describe-subnets.json"

# Untrusted strings (issue 15): an id that would end a block is an input error naming file and JSON path, for the
# import and for every command that reads the snapshot directly; so is an empty id.
check "id with newline and brace is rejected" 2 'injected-id/describe-vpcs.json:1:21: error: \$\.Vpcs\[0\]\.VpcId: invalid VPC id' "$vpckit" import aws "$fx/injected-id" -o "$work/keep.vpc"
check "check on the snapshot rejects it too" 2 '\$\.Vpcs\[0\]\.VpcId: invalid VPC id' "$vpckit" check "$fx/injected-id"
check "empty id is rejected" 2 'empty-id/describe-vpcs.json:1:21: error: \$\.Vpcs\[0\]\.VpcId: invalid VPC id' "$vpckit" import aws "$fx/empty-id" -o "$work/keep.vpc"
check "terraform id with newline is rejected" 2 'injected-id.json:1:167: error: \$\.values\.root_module\.resources\[0\]\.values\.id: aws_vpc\.main: invalid VPC id' "$vpckit" import terraform "$fx/terraform/injected-id.json" -o "$work/keep.vpc"
# Duplicates (issue 15): two different objects with one id are an error naming both paths; identical repeats merge, with a note.
check "two VPCs with one id" 2 'duplicate-vpc/describe-vpcs.json:1:83: error: \$\.Vpcs\[1\]: duplicate VpcId .vpc-0a1.: already at \$\.Vpcs\[0\]' "$vpckit" import aws "$fx/duplicate-vpc" -o "$work/keep.vpc"
check "check on the snapshot rejects duplicates too" 2 'duplicate VpcId' "$vpckit" check "$fx/duplicate-vpc"
check "terraform: one address twice" 2 'duplicate-address.json:[0-9]+:[0-9]+: error: \$\.values\.root_module\.resources\[1\]: duplicate resource address .aws_vpc\.main.: already at \$\.values\.root_module\.resources\[0\]' "$vpckit" import terraform "$fx/terraform/duplicate-address.json" -o "$work/keep.vpc"
check "identical repeats are merged with a note" 0 'import: note: 1 object seen twice with identical content' "$vpckit" import aws "$fx/repeated-vpc" -o "$work/repeated.vpc"
[ "$(grep -c '^vpc ' "$work/repeated.vpc")" = 1 ] && echo "ok   one VPC from the repeated object" || { echo "FAIL repeated object imported twice"; fail=1; }
if [ "$(cat "$work/keep.vpc")" != "previous content" ]; then echo "FAIL -o file was touched by a rejected import"; fail=1; else echo "ok   -o file untouched after rejected imports"; fi

# Good input: import, summary on stderr, output passes check; commands read snapshots and plans directly.
check "import aws" 0 'import: VPC: 1 imported' "$vpckit" import aws "$moto/three-tier" -o "$work/three-tier.vpc"
check "imported file passes check" 0 '' "$vpckit" check "$work/three-tier.vpc"
# Round trip: the imported text (comments included) is already in canonical layout.
check "import output is canonical (fmt --check)" 0 '' "$vpckit" fmt --check "$work/three-tier.vpc"
check "import terraform" 0 'unknown until apply; resolved through the configuration' "$vpckit" import terraform "$tf/plan.json" -o "$work/plan.vpc"
check "check reads an AWS folder" 0 '' "$vpckit" check "$moto/three-tier"
check "check reads a Terraform plan" 0 '' "$vpckit" check "$tf/plan.json"
app=$(grep -o 'instance app-1 id i-[0-9a-f]*' "$work/three-tier.vpc" | awk '{print $4}')
db_eni=$(grep -A1 'instance db-1 id' "$work/three-tier.vpc" | grep -o 'eni-[0-9a-f]*')
check "reach by AWS ids on a snapshot folder" 0 '' "$vpckit" reach "$moto/three-tier" "$app" "$db_eni" tcp/5432
grep -q "reachable" "$work/out" || { echo "FAIL reach output"; fail=1; }
check "reach on a Terraform state, not reachable" 1 '' "$vpckit" reach "$tf/state.json" web-1 db-1 tcp/5432
# References as real plans write them (Fixtures/terraform/refs): the EIP by reference gives web-1 its address, a
# group of the peered VPC admits web-1, and the data source read by the plan is named in a warning.
check "import terraform refs plan" 0 'data\.aws_vpc\.default: warning: data source' "$vpckit" import terraform "$tf/refs-plan.json" -o "$work/refs.vpc"
check "refs plan output is canonical (fmt --check)" 0 '' "$vpckit" fmt --check "$work/refs.vpc"
check "reach internet -> instance with a referenced EIP" 0 '' "$vpckit" reach "$tf/refs-plan.json" internet web-1 tcp/443
check "reach across the peering by group reference" 0 '' "$vpckit" reach "$tf/refs-plan.json" web-1 app-0 tcp/5432
# The network's edges from Terraform (Fixtures/terraform/edges, issue 18): plan and state import whole, print
# canonically and check; the VPN, the VGW route, the endpoints and the TGW peering are in the output.
for doc in edges-plan edges-state; do
  check "import terraform $doc" 0 '' "$vpckit" import terraform "$tf/$doc.json" -o "$work/$doc.vpc"
  grep -q 'skipped' "$work/err" && { echo "FAIL $doc: something skipped"; cat "$work/err"; fail=1; }
  check "$doc output is canonical (fmt --check)" 0 '' "$vpckit" fmt --check "$work/$doc.vpc"
  check "$doc output checks" 0 '' "$vpckit" check "$work/$doc.vpc"
  grep -qE '^vpn-connection office-vpn vgw vgw1 customer-gateway office ' "$work/$doc.vpc" \
    && grep -qE '^    route 192\.168\.0\.0/16 -> vgw1$' "$work/$doc.vpc" \
    && grep -qE '^  endpoint s3-gw gateway com\.amazonaws\.us-east-1\.s3 route-tables private prefix-list pl:s3( |$)' "$work/$doc.vpc" \
    && grep -qE '^  attachment from-core peering core( |$)' "$work/$doc.vpc" \
    && grep -qE '^(vpc legacy default \{|default-vpc legacy( |$))' "$work/$doc.vpc" \
    && echo "ok   $doc: VPN, VGW route, gateway endpoint, peering and default VPC printed" || { echo "FAIL $doc output"; cat "$work/$doc.vpc"; fail=1; }
done
# Default VPCs adopted by Terraform (Fixtures/terraform/default-vpc): AWS's shape assumed where the plan is silent,
# each assumption a note on stderr; the output checks and the instance reaches the internet.
check "import terraform default-vpc-plan" 0 'aws_default_subnet\.a: the default subnet.s cidr_block is unknown until apply; AWS.s default 172\.31\.0\.0/20 for us-east-1a assumed' \
  "$vpckit" import terraform "$tf/default-vpc-plan.json" -o "$work/default-vpc.vpc"
grep -q 'skipped' "$work/err" && { echo "FAIL default-vpc-plan: something skipped"; cat "$work/err"; fail=1; }
grep -q 'main route table is not in the configuration; AWS.s default (legacy-main: 0.0.0.0/0 -> legacy-igw) assumed' "$work/err" \
  || { echo "FAIL default-vpc-plan: no note of the assumed main-table route"; cat "$work/err"; fail=1; }
check "default-vpc-plan output checks" 0 '' "$vpckit" check "$work/default-vpc.vpc"
check "default VPC internet access" 0 '' "$vpckit" reach "$work/default-vpc.vpc" web-1 8.8.8.8 tcp/443
# Imports that look like the console (issue 16): groups by GroupName, the default group and NACL marked (lint
# never calls them unused), a VGW route kept as `-> unmodelled` (UNSUPPORTED_COMPONENT, never a blackhole).
cl="$fx/console-look"
check "console look: import" 0 "imported as 'unmodelled vgw-0c1' \(not modelled" "$vpckit" import aws "$cl" -o "$work/console.vpc"
grep -q '^  security-group default default id sg-0c1 {$' "$work/console.vpc" && grep -q '^  security-group launch-wizard-1 id sg-0c2 {$' "$work/console.vpc" \
  && grep -q '^  network-acl acl-0c1 default id acl-0c1 {$' "$work/console.vpc" && grep -q '^    route 0.0.0.0/0 -> unmodelled vgw-0c1$' "$work/console.vpc" \
  && echo "ok   console look: names, default markers and the unmodelled route printed" || { echo "FAIL console look output"; cat "$work/console.vpc"; fail=1; }
check "console look: output is canonical (fmt --check)" 0 '' "$vpckit" fmt --check "$work/console.vpc"
check "console look: lint" 1 '' "$vpckit" lint "$work/console.vpc"
if grep -E "'(default|acl-0c1)' is (attached|associated) to no|route-blackhole" "$work/out"; then echo "FAIL console look: lint calls a default unused or the route a blackhole"; fail=1
elif ! grep -q 'default security group of VPC .vpc-0c1. has 1 ingress rule.*\[default-sg-not-closed\]' "$work/out" || ! grep -q "'launch-wizard-1' is attached to no interface" "$work/out"; then
  echo "FAIL console look: lint findings"; cat "$work/out"; fail=1
else echo "ok   console look: lint fires on the default group, not 'unused' on defaults, no blackhole"; fi
check "console look: reach stops at the unmodelled target" 1 '' "$vpckit" reach "$work/console.vpc" private-a 192.168.0.1 tcp/443
grep -q 'UNSUPPORTED_COMPONENT on the forward path at route-table rtb-0c1' "$work/out" && grep -q 'routed to vgw-0c1, which VPCKit does not model' "$work/out" \
  && echo "ok   console look: reach answer names the target" || { echo "FAIL console look reach output"; cat "$work/out"; fail=1; }
check "console look: route shows the target as unmodelled" 0 '' "$vpckit" route "$work/console.vpc" private-a 192.168.0.1
grep -q '^match: 0.0.0.0/0 -> unmodelled vgw-0c1 ' "$work/out" && grep -q '^note: vgw-0c1 is not modelled' "$work/out" \
  && echo "ok   console look: route output" || { echo "FAIL console look route output"; cat "$work/out"; fail=1; }
{ cat "$work/console.vpc"; echo "assert noreach private-a -> 192.168.0.1 tcp/443"; } > "$work/console-assert.vpc"
check "console look: an unproven noreach fails" 1 '' "$vpckit" check "$work/console-assert.vpc"
grep -q 'assertion failed: noreach private-a -> 192.168.0.1 tcp/443: cannot prove: UNSUPPORTED_COMPONENT' "$work/out" "$work/err" \
  && echo "ok   console look: 'cannot prove' named" || { echo "FAIL console look assertion message"; cat "$work/out" "$work/err"; fail=1; }
exit $fail
