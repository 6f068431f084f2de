#!/usr/bin/env bash
# vpckit generate --edges (issue 18's benchmark input): the 2,000-VPC benchmark with the network's edges parses,
# validates and answers queries over them ('check' exit 0, 'reach' through the gateway endpoint and to on-premises
# over the VPN exit 0); without --edges the benchmark is byte for byte what it was (md5 of main 108a9f5's output).
# Usage: Tests/CLI/generate-edges.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: generate-edges.sh PATH/TO/vpckit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "generate-edges.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
run() {
  local want=$1; shift
  "$vpckit" "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" = "$want" ] || fail "exit $got (want $want): vpckit $* :: $(head -c 400 "$tmp/err") $(head -c 400 "$tmp/out")"
}
run 0 generate --benchmark -o "$tmp/plain.vpc"
sum=$(md5sum <"$tmp/plain.vpc" | cut -d' ' -f1)
[ "$sum" = af111ecb6c99c5e94c275169e6b8ffb5 ] || fail "generate --benchmark changed (md5 $sum)"
run 0 generate --benchmark --edges -o "$tmp/edges.vpc"
for line in 'prefix-list s3 id pl-63a5400a' 'endpoint v1999-s3 gateway s3 route-tables' 'vpn-connection office-vpn tgw hub' \
            'dx-gateway dxg' 'dx-vif dc-vif transit dx-gateway dxg' 'onprem datacentre' 'attachment vpn-att vpn office-vpn' \
            'attachment dx-att dx-gateway dxg'; do
  grep -q -- "$line" "$tmp/edges.vpc" || fail "edges topology lacks '$line'"
done
run 0 check "$tmp/edges.vpc"
# A small one: queries through the edges (v0-i-3 is in a private subnet of vpc-0).
run 0 generate --vpcs 8 --instances 160 --subnets-per-vpc 6 --edges -o "$tmp/small.vpc"
run 0 check "$tmp/small.vpc"
run 0 reach "$tmp/small.vpc" v0-i-3 52.216.1.10 tcp/443
grep -q v0-s3 "$tmp/out" || fail "S3 traffic not through the endpoint: $(cat "$tmp/out")"
run 0 reach "$tmp/small.vpc" v0-i-3 onprem:office:192.168.1.10 tcp/443
grep -q office-vpn "$tmp/out" || fail "office not over the VPN: $(cat "$tmp/out")"
[ "$failures" = 0 ] && echo "generate-edges.sh: ok" || exit 1
