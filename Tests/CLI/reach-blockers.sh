#!/usr/bin/env bash
# Issue 16 point 4: a blocked `vpckit reach` lists every blocker in walk order with its fix (a statement of the
# language and the file:line it goes to), as text and as a JSON `blockers` array; each fix, inserted where it
# says, parses and removes its blocker until the connection is reachable; a failed `assert reach` in `check`
# prints the first fix as a hint. Point 11 (part): ICMP answers print no client source ports.
# Usage: Tests/CLI/reach-blockers.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: reach-blockers.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "reach-blockers.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
run() {
  local want=$1; shift
  "$vpckit" "$@" >out 2>err; local rc=$?
  [ "$rc" = "$want" ] || fail "vpckit $* exited $rc, want $want: $(head -c 400 err)"
}
has() { grep -qF -- "$1" "${2:-out}" || fail "output of the last command lacks '$1': $(head -c 800 "${2:-out}")"; }
lacks() { if grep -qF -- "$1" "${2:-out}"; then fail "output of the last command has '$1'"; fi; }

cp "$root/Topologies/three-tier.vpc" tt.vpc

# Text: every blocker, in walk order, each with its fix.
run 1 reach tt.vpc app-1 db-1 tcp/22
has "blocked by 3 components:"
has "  1. network-acl app-nacl (forward path): SUBNET_ACL_RESTRICTION at tt.vpc:68"
has "     fix: add 'outbound 130 allow tcp 22 to 10.10.20.10/32' to network-acl app-nacl at tt.vpc:75"
has "  2. network-acl db-nacl (forward path): SUBNET_ACL_RESTRICTION at tt.vpc:77"
has "  3. security-group db (forward path): ENI_SG_RULES_MISMATCH at tt.vpc:55"
has "     fix: add 'ingress tcp 22 from sg app' to security-group db at tt.vpc:57"

# JSON: the same blockers as structured values.
run 1 reach tt.vpc app-1 db-1 tcp/22 --format json
python3 - out <<'PY' || fail "JSON blockers"
import json, sys
v = json.load(open(sys.argv[1]))
b = v["blockers"]
assert [x["component"]["name"] for x in b] == ["app-nacl", "db-nacl", "db"], b
assert [x["component"]["kind"] for x in b] == ["network-acl", "network-acl", "security-group"]
assert all(x["direction"] == "forward" and x["walkContinues"] for x in b)
assert b[0]["code"] == "SUBNET_ACL_RESTRICTION" and b[0]["rule"]["number"] == 32767
assert (b[0]["file"], b[0]["line"]) == ("tt.vpc", 68), b[0]
f = b[2]["fix"]
assert f["statement"] == "ingress tcp 22 from sg app" and f["component"] == {"kind": "security-group", "name": "db", "id": None}
assert (f["file"], f["line"], f["edit"]) == ("tt.vpc", 57, "insert"), f
assert v["explanation"]["code"] == b[0]["code"]
assert b[2]["rule"] == {"text": "no rule admits"}, b[2]["rule"]
PY

# Apply the first fix where it says, re-run, until reachable (each fix parses and removes its blocker).
apply_first() {
  python3 - "$1" <<'PY'
import json, sys
v = json.load(open("out"))
f = v["blockers"][0]["fix"]
lines = open(f["file"]).read().split("\n")
i = f["line"] - 1
indent = "    "
if f["edit"] == "replace":
    lines[i] = indent + f["statement"]
elif f["edit"] == "insert":
    lines.insert(i, indent + f["statement"])
else:
    raise SystemExit("unexpected edit " + f["edit"])
open(f["file"], "w").write("\n".join(lines))
print(f["text"])
PY
}
for query in "app-1 db-1 tcp/22" "web-1 db-1 tcp/5432" "db-1 internet tcp/443"; do
  cp "$root/Topologies/three-tier.vpc" tt.vpc
  # shellcheck disable=SC2086
  for step in 1 2 3 4; do
    "$vpckit" reach tt.vpc $query --format json >out 2>err; rc=$?
    [ "$rc" = 0 ] && break
    before=$(python3 -c 'import json; b=json.load(open("out"))["blockers"][0]; print(b["code"], b["direction"], b["component"]["name"], b["detail"])')
    python3 -c 'import json,sys; sys.exit(0 if json.load(open("out"))["blockers"][0]["fix"] else 1)' || break
    apply_first "$query" >/dev/null || { fail "$query: could not apply the fix"; break; }
    "$vpckit" check tt.vpc >check.out 2>check.err
    grep -q "error:" check.err && fail "$query: after a fix the file does not parse: $(head -c 400 check.err)"
    "$vpckit" reach tt.vpc $query --format json >out 2>err
    python3 - "$before" <<'PY' || fail "$query: blocker still there after its fix: $before"
import json, sys
before = sys.argv[1]
for b in json.load(open("out"))["blockers"]:
    if f'{b["code"]} {b["direction"]} {b["component"]["name"]} {b["detail"]}' == before:
        raise SystemExit(1)
PY
  done
  case $query in
    "db-1 internet tcp/443") ;;  # past the route: db-1 has no public address (no evident fix)
    *) run 0 reach tt.vpc $query ;;
  esac
done

# A missing route ends the list and says so; egress none is replaced.
cp "$root/Topologies/three-tier.vpc" tt.vpc
run 1 reach tt.vpc db-1 internet tcp/443
has "fix: replace 'egress none' with 'egress tcp 443 to 0.0.0.0/0' in security-group db at tt.vpc:57"
has "fix: add 'route 0.0.0.0/0 -> tt-igw' to route-table isolated at tt.vpc:44"
has "note: the walk cannot continue past a missing route"

# Partly reachable: the return path's NACL gets the ephemeral ports the client ports need.
cat > net.vpc <<'VPC'
vpc prod {
  cidr 10.0.0.0/16
  internet-gateway igw
  subnet public-a 10.0.0.0/24
  route-table public {
    associate public-a
    route 0.0.0.0/0 -> igw
  }
  security-group web {
    ingress tcp 443 from 0.0.0.0/0
    ingress icmp 8 from 0.0.0.0/0
  }
  network-acl w {
    associate public-a
    inbound 100 allow tcp 443 from 0.0.0.0/0
    inbound 110 allow icmp 8 from 0.0.0.0/0
    outbound 100 allow tcp 443 to 0.0.0.0/0
    outbound 110 allow tcp 32768-60999 to 0.0.0.0/0
    outbound 120 allow icmp 0 to 0.0.0.0/0
  }
  instance web-1 in public-a ip 10.0.0.10 public-ip 54.1.2.3 sg web
}
VPC
run 1 reach net.vpc internet web-1 tcp/443
has "blocked by 1 component:"
has "  1. network-acl w (return path): SUBNET_ACL_RESTRICTION at net.vpc:13"
has "fix: add 'outbound 130 allow tcp 1024-65535 to 0.0.0.0/0' to network-acl w at net.vpc:20"
run 0 reach net.vpc internet web-1 tcp/443 --client-ports linux
lacks "blocked by"

# ICMP: no client source ports, in text or JSON.
run 0 reach net.vpc internet web-1 icmp
has "internet -> web-1 icmp: reachable"
lacks "client source ports"
run 0 reach net.vpc internet web-1 icmp --format json
python3 - out <<'PY' || fail "ICMP JSON carries client ports"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["requestedSourcePorts"] is None and v["workingSourcePorts"] is None and v["failingSourcePorts"] is None, v
assert v["blockers"] == []
for h in v["forwardPath"] + v["returnPath"]:
    assert h["packet"]["sourcePorts"] is None and h["packet"]["destinationPorts"] is None, h
    assert h["packet"]["icmpType"] in (0, 8)
PY
run 0 reach net.vpc internet web-1
has "  icmp: reachable"
lacks "icmp: reachable (client source ports"
run 0 reach net.vpc internet web-1 --format json
python3 -c 'import json; v=json.load(open("out")); i=[p for p in v["protocols"] if p["protocol"]=="icmp"][0]; assert i["workingSourcePorts"] is None and i["failingSourcePorts"] is None' \
  || fail "ICMP open-ports JSON carries client ports"
run 1 reach net.vpc internet web-1 proto/47 --format json
python3 -c 'import json; v=json.load(open("out")); assert v["requestedSourcePorts"] is None and v["blockers"]' \
  || fail "proto 47 JSON carries client ports or no blockers"
# TCP still does.
run 0 reach net.vpc internet web-1 tcp/443 --client-ports linux
has "client source ports that work: 32768-60999 (of 32768-60999)"

# check: a failed `assert reach` prints the first fix as a hint.
cp "$root/Topologies/three-tier.vpc" tt.vpc
echo 'assert reach app-1 -> db-1 tcp/22' >> tt.vpc
run 1 check tt.vpc
has "tt.vpc:101:1: assertion failed: reach app-1 -> db-1 tcp/22" err
has "  hint: add 'outbound 130 allow tcp 22 to 10.10.20.10/32' to network-acl app-nacl at tt.vpc:75" err

if [ "$failures" != 0 ]; then echo "reach-blockers.sh: $failures failure(s)" >&2; exit 1; fi
echo "reach-blockers.sh: ok"
