#!/usr/bin/env bash
# Load balancers from the command line (issue 23): Topologies/load-balancers.vpc through the ALB (exit 0, the
# targets listed in text, the JSON valid against Docs/schemas/reach.schema.json with its loadBalancer answer), a port
# with no listener (exit 1, ELBV2_LISTENER_PORT_RESTRICTION); open-ports mode (the listener ports and each listener's
# targets, text and JSON); `check` asserts naming load balancers; the Batfish snapshot test-load-balancer (../shared
# beside the checkout) by the NLB's name and DNS name on its listener (exit 0) and on another port (exit 1); a Gateway
# Load Balancer endpoint route target (Topologies/inspection-vpc.vpc) with its typed hops, and without GENEVE admitted.
# Usage: Tests/CLI/reach-load-balancers.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: reach-load-balancers.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "reach-load-balancers.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
run() {
  local want=$1; shift
  "$vpckit" "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" = "$want" ] || fail "exit $got (want $want): vpckit $* :: $(head -c 400 "$tmp/err") $(head -c 400 "$tmp/out")"
}
topo="$root/Topologies/load-balancers.vpc"
run 0 reach "$topo" internet web-alb tcp/443
grep -q "target web-1:8080 (web-tg" "$tmp/out" && grep -q "listener https 443 of web-alb accepts" "$tmp/out" || fail "no LB hop or targets: $(cat "$tmp/out")"
run 0 reach "$topo" internet web-alb tcp/443 --format json
python3 - "$tmp/out" "$root/Docs/schemas/reach.schema.json" <<'PY' || fail "JSON answer"
import json, sys, jsonschema
d = json.load(open(sys.argv[1])); jsonschema.validate(d, json.load(open(sys.argv[2])))
lb = d["loadBalancer"]
assert lb["listener"] == "https 443" and [t["target"] for t in lb["targets"]] == ["web-1", "web-2"], lb
assert any(h["step"]["kind"] == "newConnectionToTarget" for h in d["forwardPath"]), d["forwardPath"]
PY
run 1 reach "$topo" ops-1 ssh-nlb tcp/23
grep -q "ELBV2_LISTENER_PORT_RESTRICTION" "$tmp/out" || fail "no listener code: $(cat "$tmp/out")"
run 1 reach "$topo" ops-1 ssh-nlb tcp/23 --format json
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['explanation']['code']=='ELBV2_LISTENER_PORT_RESTRICTION' and d['explanation']['detail']['kind']=='loadBalancer'" "$tmp/out" || fail "JSON code"
# Open-ports mode (no port): the listener ports, each listener's targets in text and in the JSON.
run 0 reach "$topo" internet web-alb
grep -q "tcp ports 443: reachable" "$tmp/out" && grep -q "      target web-2:8080 (web-tg" "$tmp/out" || fail "open ports to the ALB: $(cat "$tmp/out")"
run 0 reach "$topo" ops-1 ssh-nlb --format json
python3 - "$tmp/out" "$root/Docs/schemas/reach.schema.json" <<'PY' || fail "open-ports JSON"
import json, sys, jsonschema
d = json.load(open(sys.argv[1])); jsonschema.validate(d, json.load(open(sys.argv[2])))
tcp = next(p for p in d["protocols"] if p["protocol"] == "tcp")
assert tcp["destinationPorts"] == "22,2222" or "2222" in json.dumps(tcp["destinationPorts"]), tcp["destinationPorts"]
assert [l["listener"] for l in tcp["loadBalancerListeners"]] == ["tcp 22", "tcp 2222"], tcp["loadBalancerListeners"]
udp = next(p for p in d["protocols"] if p["protocol"] == "udp")
assert udp["explanation"]["code"] == "ELBV2_LISTENER_PORT_RESTRICTION" and "loadBalancerListeners" not in udp, udp
PY
# The internet cannot open a connection to an internal load balancer on any port.
run 1 reach "$topo" internet ssh-nlb
# check: asserts naming load balancers (name, DNS name) hold and fail as reach answers.
cat "$topo" > "$tmp/asserts.vpc"
cat >> "$tmp/asserts.vpc" <<'VPC'
assert reach internet -> web-alb-1234.us-east-1.elb.amazonaws.com tcp/443
assert reach ops-1 -> ssh-nlb tcp/2222
assert noreach internet -> ssh-nlb tcp/22
VPC
run 0 check "$tmp/asserts.vpc"
echo 'assert reach ops-1 -> ssh-nlb tcp/23' >> "$tmp/asserts.vpc"
run 1 check "$tmp/asserts.vpc"
grep -q "ELBV2_LISTENER_PORT_RESTRICTION" "$tmp/out" "$tmp/err" || fail "failed LB assert names no code: $(cat "$tmp/out" "$tmp/err")"
# A Gateway Load Balancer endpoint as a route target (Topologies/inspection-vpc.vpc): the typed hops in the JSON,
# valid against the schema, both ways; the appliance's group without GENEVE is GWLB_DESTINATION_PORT_RESTRICTION.
gwlb="$root/Topologies/inspection-vpc.vpc"
run 0 reach "$gwlb" internet web-1 tcp/443 --format json
python3 - "$tmp/out" "$root/Docs/schemas/reach.schema.json" <<'PY' || fail "GWLB JSON answer"
import json, sys, jsonschema
d = json.load(open(sys.argv[1])); jsonschema.validate(d, json.load(open(sys.argv[2])))
want = ["toGatewayLoadBalancerEndpoint", "gatewayLoadBalancerNode", "inspectedByAppliances", "fromGatewayLoadBalancerEndpoint"]
for path in ("forwardPath", "returnPath"):
    kinds = [h["step"]["kind"] for h in d[path]]
    assert [k for k in kinds if k in want] == want, (path, kinds)
appliance = next(h["step"] for h in d["forwardPath"] if h["step"]["kind"] == "inspectedByAppliances")
assert appliance["appliances"] == ["fw-1"] and appliance["loadBalancer"] == "inspect", appliance
PY
sed 's|ingress udp 6081 from 10.0.3.0/24|ingress udp 53 from 10.0.3.0/24|' "$gwlb" > "$tmp/no-geneve.vpc"
run 1 reach "$tmp/no-geneve.vpc" internet web-1 tcp/443
grep -q "GWLB_DESTINATION_PORT_RESTRICTION" "$tmp/out" && grep -q "udp/6081 from 10.0.3.100" "$tmp/out" || fail "no GENEVE code: $(cat "$tmp/out")"
run 1 check "$tmp/no-geneve.vpc"
snapshot="$root/../shared/aws-snapshots/batfish/test-load-balancer/aws_configs"
if [ -d "$snapshot" ]; then
  run 0 reach "$snapshot" Jump-Host test-lb tcp/80
  grep -q "target test20:22" "$tmp/out" || fail "snapshot targets: $(cat "$tmp/out")"
  run 0 reach "$snapshot" Jump-Host test-lb-725b996cb6be8fba.elb.us-east-2.amazonaws.com tcp/80
  run 1 reach "$snapshot" Jump-Host test-lb tcp/22
  grep -q "ELBV2_LISTENER_PORT_RESTRICTION" "$tmp/out" || fail "snapshot other port: $(cat "$tmp/out")"
else
  echo "reach-load-balancers.sh: snapshot part skipped (no ../shared/aws-snapshots)"
fi
[ "$failures" = 0 ] && echo "reach-load-balancers.sh: ok"
exit $((failures > 0))
