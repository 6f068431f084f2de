#!/usr/bin/env bash
# The network's edges from the command line (issue 18), on the Batfish snapshot test-vpn-gateway (../shared beside
# the checkout): a BGP VPN whose prefixes no AWS document holds says its routes are unknown (exit 1); declared with
# --onprem but both tunnels DOWN: BAD_STATE_VPN (exit 1); --assume-tunnels-up: reachable (exit 0) with the
# far-side note in text and JSON; bad --onprem values exit 2.
# Usage: Tests/CLI/reach-edges.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: reach-edges.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
snapshot="$here/../../../shared/aws-snapshots/batfish/test-vpn-gateway"
if [ ! -d "$snapshot" ]; then echo "reach-edges.sh: skipped (no ../shared/aws-snapshots)"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "reach-edges.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
run() {
  local want=$1; shift
  "$vpckit" "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" = "$want" ] || fail "exit $got (want $want): vpckit $* :: $(head -c 400 "$tmp/err") $(head -c 400 "$tmp/out")"
}
i=i-099cf38911942421c
vpn=vpn-03701a53bba3c48b7
run 1 reach "$snapshot" $i 10.200.0.5 tcp/22
grep -q "routes are unknown" "$tmp/out" && grep -q "$vpn" "$tmp/out" || fail "unknown routes not named: $(cat "$tmp/out")"
run 1 reach "$snapshot" $i 10.200.0.5 tcp/22 --onprem 10.200.0.0/16@$vpn
grep -q "BAD_STATE_VPN" "$tmp/out" || fail "tunnels down not BAD_STATE_VPN: $(cat "$tmp/out")"
run 0 reach "$snapshot" $i 10.200.0.5 tcp/22 --onprem 10.200.0.0/16@$vpn --assume-tunnels-up
grep -q "on-premises side is not modelled" "$tmp/out" || fail "no far-side note: $(cat "$tmp/out")"
run 0 reach "$snapshot" $i onprem:10.200.0.0/16:10.200.0.5 tcp/22 --onprem 10.200.0.0/16@$vpn --assume-tunnels-up --format json
python3 - "$tmp/out" <<'PY' || fail "JSON: $(head -c 400 "$tmp/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert any("not modelled" in n for n in d["notes"]), d["notes"]
kinds = [h["step"]["kind"] for h in d["forwardPath"]]
assert kinds[-1] == "toOnPremises", kinds
PY
run 0 reach "$snapshot" "$vpn:10.200.0.5" $i tcp/22 --onprem 10.200.0.0/16@$vpn --assume-tunnels-up
run 2 reach "$snapshot" $i 10.200.0.5 tcp/22 --onprem 10.200.0.0/16
run 2 reach "$snapshot" $i 10.200.0.5 tcp/22 --onprem 10.200.0.0/16@vpn-nope
grep -q "vpn-nope" "$tmp/err" || fail "unknown edge not named: $(cat "$tmp/err")"
run 0 route "$snapshot" Private-subnet 10.200.0.5 --onprem 10.200.0.0/16@$vpn
grep -q "vgw-0c09bd7fadac961bf" "$tmp/out" || fail "route: $(cat "$tmp/out")"
# vpckit route on a TGW route table (test-direct-connect-gateway): DX-gateway-propagated beats VPN-propagated (§6).
dx="$here/../../../shared/aws-snapshots/batfish/test-direct-connect-gateway"
run 0 route "$dx" tgw-rtb-dx01 172.16.0.5 --onprem 172.16.0.0/16@vpn-dx-test --onprem 172.16.0.0/16@dxvif-dx01 --format json
python3 - "$tmp/out" <<'PY' || fail "route TGW JSON: $(head -c 600 "$tmp/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["match"]["target"] == "dx-test-dxgw-attachment", d["match"]
assert [c["code"] for c in d["candidates"]] == ["TGW_RTB_HIGHER_PRIORITY_ROUTE"], d["candidates"]
assert d["candidates"][0]["route"]["target"] == "dx-test-vpn-attachment"
PY
run 1 route "$dx" isolated-tgw-rtb 172.16.0.5 --onprem 172.16.0.0/16@dxvif-dx01
run 2 route "$dx" no-such-table 172.16.0.5
if [ $failures -gt 0 ]; then echo "reach-edges.sh: $failures failure(s)"; exit 1; fi
echo "reach-edges.sh: ok"
