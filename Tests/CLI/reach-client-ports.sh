#!/usr/bin/env bash
# Partly reachable is not reachable (Docs/AWS-BEHAVIOUR.md §13 scenario 2 with the Linux ephemeral rule): `vpckit reach`
# answers reachable / partly reachable / not reachable with exit 0 / 1 / 1, `--client-ports` narrows the
# client port range, JSON carries the state, and `assert reach|noreach … client-ports …` is checked, printed
# by `fmt` and rejected with a located diagnostic when malformed.
# Usage: Tests/CLI/reach-client-ports.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: reach-client-ports.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "reach-client-ports.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
# run CODE ARGS...: runs vpckit ARGS into out/err and checks the exit code.
run() {
  local want=$1; shift
  "$vpckit" "$@" >out 2>err; local rc=$?
  [ "$rc" = "$want" ] || fail "vpckit $* exited $rc, want $want: $(head -c 400 err)"
}
has() { grep -qF -- "$1" "${2:-out}" || fail "output of the last command lacks '$1': $(head -c 600 "${2:-out}")"; }

cat > net.vpc <<'VPC'
vpc prod {
  cidr 10.0.0.0/16
  internet-gateway igw
  subnet public-a 10.0.0.0/24
  route-table public {
    associate public-a
    route 0.0.0.0/0 -> igw
  }
  security-group web { ingress tcp 443 from 0.0.0.0/0 }
  network-acl w {
    associate public-a
    inbound 100 allow tcp 443 from 0.0.0.0/0
    outbound 100 allow tcp 443 to 0.0.0.0/0
    outbound 110 allow tcp 32768-60999 to 0.0.0.0/0
  }
  instance web-1 in public-a ip 10.0.0.10 public-ip 54.1.2.3 sg web
}
VPC

run 1 reach net.vpc internet web-1 tcp/443
has "internet -> web-1 tcp/443: partly reachable"
has "client source ports that work: 32768-60999 (of 1024-65535)"
has "client source ports that fail: 1024-32767, 61000-65535"
has "SUBNET_ACL_RESTRICTION on the return path at network-acl w"
has "rule: outbound * deny all (implicit)"
has "return path (client source ports 1024-32767, 61000-65535, until blocked):"

run 0 reach net.vpc internet web-1 tcp/443 --client-ports linux
has "internet -> web-1 tcp/443: reachable"
has "client source ports that work: 32768-60999 (of 32768-60999)"
run 1 reach net.vpc internet web-1 tcp/443 --client-ports windows
has "client source ports that fail: 61000-65535"
run 0 reach net.vpc internet web-1 tcp/443 --client-ports 40000-40010
run 1 reach net.vpc internet web-1 tcp/443 --client-ports 1024-2000
has "internet -> web-1 tcp/443: not reachable"
run 0 reach net.vpc internet web-1 tcp/443 --source-port 40000
run 1 reach net.vpc internet web-1 tcp/443 --source-port 1024
has "not reachable"
for bad in macos 5-4 1024-70000 "" -1; do
  run 2 reach net.vpc internet web-1 tcp/443 --client-ports "$bad"
  has "client-ports" err
done
run 2 reach net.vpc internet web-1 tcp/443 --source-port 40000 --client-ports linux

run 1 reach net.vpc internet web-1 tcp/443 --format json
python3 - out <<'PY' || fail "JSON of a partly reachable verdict"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["state"] == "partly-reachable" and v["reachable"] is False, v["state"]
assert v["workingSourcePorts"] == [{"from": 32768, "to": 60999}], v["workingSourcePorts"]
assert v["failingSourcePorts"] == [{"from": 1024, "to": 32767}, {"from": 61000, "to": 65535}]
assert v["explanation"]["code"] == "SUBNET_ACL_RESTRICTION" and v["explanation"]["direction"] == "return"
assert v["explanation"]["rule"]["number"] == 32767
assert v["returnPath"] and v["blockedReturnPath"]
PY
run 0 reach net.vpc internet web-1 tcp/443 --format json --client-ports linux
python3 -c 'import json,sys; v=json.load(open("out")); assert v["state"]=="reachable" and v["failingSourcePorts"]==[] and v["explanation"] is None' \
  || fail "JSON of a reachable verdict"

# Without traffic: which protocols get through, per protocol state.
run 1 reach net.vpc internet web-1
has "internet -> web-1: partly reachable"
has "tcp ports 443: partly reachable (client source ports 32768-60999 of 1024-65535)"
run 0 reach net.vpc internet web-1 --client-ports linux
has "tcp ports 443: reachable"
run 1 reach net.vpc internet web-1 --format json
python3 -c 'import json; v=json.load(open("out")); assert v["state"]=="partly-reachable"; t=[p for p in v["protocols"] if p["protocol"]=="tcp"][0]; assert t["state"]=="partly-reachable" and t["failingSourcePorts"]' \
  || fail "JSON of open ports"

# Asserts: reach holds only when every client port works, noreach only when none does.
cp net.vpc held.vpc
cat >> held.vpc <<'VPC'
assert reach internet -> web-1 tcp/443 client-ports linux
assert noreach internet -> web-1 tcp/443 client-ports 61000-65535
VPC
run 0 check held.vpc
has "2 of 2 assertions hold"
cp net.vpc failed.vpc
cat >> failed.vpc <<'VPC'
assert reach internet -> web-1 tcp/443
assert noreach internet -> web-1 tcp/443
assert reach internet -> web-1 tcp/443 client-ports windows
VPC
run 1 check failed.vpc
has "0 of 3 assertions hold"
has "failed.vpc:18:1: assertion failed: reach internet -> web-1 tcp/443: partly reachable from every queried public address (e.g. 203.0.113.7): client ports 32768-60999 work, 1024-32767, 61000-65535 do not" err
has "failed.vpc:19:1: assertion failed: noreach internet -> web-1 tcp/443: partly reachable" err
has "client-ports windows: partly reachable from every queried public address (e.g. 203.0.113.7): client ports 49152-60999 work, 61000-65535 do not" err

# fmt keeps client-ports; a bad value is located.
run 0 fmt held.vpc
has "assert reach internet -> web-1 tcp/443 client-ports linux"
has "assert noreach internet -> web-1 tcp/443 client-ports 61000-65535"
cp net.vpc bad.vpc
echo 'assert reach internet -> web-1 icmp client-ports linux' >> bad.vpc
run 2 check bad.vpc
has "bad.vpc:18:37: error: 'client-ports' needs tcp or udp traffic" err

if [ "$failures" != 0 ]; then echo "reach-client-ports.sh: $failures failure(s)" >&2; exit 1; fi
echo "reach-client-ports.sh: ok"
