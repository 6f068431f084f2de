#!/usr/bin/env bash
# vpckit flowlogs at the network's edges (issue 18), end to end on the built binary: a capture that hits each
# REJECT case at and around a gateway and an interface endpoint gives --explain lines and --format json
# reject-reason members that name the code, the component and the endpoint; a capture over a Direct Connect
# transit VIF (DX gateway on a TGW) gives the instance's and the TGW attachment ENI's records both ways.
# Usage: Tests/CLI/flowlogs-edges.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: flowlogs-edges.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "flowlogs-edges.sh: FAIL: $*" >&2; failures=$((failures + 1)); }

# A classic pcap from lines "SECONDS SRC SPORT DST DPORT tcp|udp [TCP-FLAGS]" (Ethernet, IPv4, TCP/UDP).
cat > "$tmp/mkpcap.py" <<'PY'
import struct, sys
def ip(a): return bytes(int(x) for x in a.split('.'))
def checksum(b):
    s = sum(struct.unpack('!10H', b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
out = open(sys.argv[1], 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for line in sys.stdin:
    f = line.split()
    if not f: continue
    t, src, sport, dst, dport, proto = int(f[0]), f[1], int(f[2]), f[3], int(f[4]), f[5]
    flags = int(f[6]) if len(f) > 6 else 2
    l4 = struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 0x50, flags, 65535, 0, 0) if proto == 'tcp' else struct.pack('!HHHH', sport, dport, 8, 0)
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 1, 0, 64, 6 if proto == 'tcp' else 17, 0, ip(src), ip(dst))
    h = h[:10] + struct.pack('!H', checksum(h)) + h[12:]
    frame = b'\x02' * 6 + b'\x04' * 6 + b'\x08\x00' + h + l4
    out.write(struct.pack('<IIII', 1700000000 + t, 0, len(frame), len(frame)) + frame)
PY

cat > "$tmp/endpoints.vpc" <<'VPC'
prefix-list s3 { 52.216.0.0/15 }
vpc v {
  cidr 10.0.0.0/16
  subnet app-a 10.0.1.0/24 az us-east-1a
  subnet ep-a 10.0.2.0/24 az us-east-1a
  subnet app-b 10.0.3.0/24 az us-east-1a
  route-table rt main { associate app-a ep-a app-b }
  security-group open { ingress all from 0.0.0.0/0 }
  security-group ep-sg { ingress tcp 443 from 10.0.1.0/24 }
  security-group narrow { egress tcp 443 to 10.0.0.0/16 }
  network-acl app-nacl {
    associate app-a
    inbound 100 deny tcp 1024-65535 from 52.216.128.0/17
    inbound 200 allow all from 0.0.0.0/0
    outbound 100 deny tcp 443 to 52.217.0.0/16
    outbound 200 allow all to 0.0.0.0/0
  }
  network-acl ep-nacl {
    associate ep-a
    inbound 100 deny tcp 443 from 10.0.1.20/32
    inbound 200 allow all from 0.0.0.0/0
    outbound 200 allow all to 0.0.0.0/0
  }
  instance a1 in app-a ip 10.0.1.10 sg open
  instance a2 in app-a ip 10.0.1.20 sg open
  instance b1 in app-b ip 10.0.3.10 sg narrow
  endpoint s3-gw gateway s3 route-tables rt id vpce-0s3gw
  endpoint ssm interface ssm subnets ep-a sg ep-sg ip 10.0.2.50 enis eni-0ssm id vpce-0ssm
}
VPC
python3 "$tmp/mkpcap.py" "$tmp/endpoints.pcap" <<'CAP'
0 10.0.1.10 40000 10.0.2.50 22 tcp
1 10.0.1.20 40001 10.0.2.50 443 tcp
2 10.0.2.50 50000 10.0.1.10 22 tcp
3 10.0.3.10 40003 52.216.1.1 443 tcp
4 10.0.1.10 40004 52.217.5.5 443 tcp
5 10.0.1.10 40005 52.216.200.1 443 tcp
5 52.216.200.1 443 10.0.1.10 40005 tcp 18
CAP
"$vpckit" flowlogs "$tmp/endpoints.vpc" --pcap "$tmp/endpoints.pcap" --explain >"$tmp/explain" 2>"$tmp/err" || fail "--explain: exit $? :: $(cat "$tmp/err")"
for want in \
  "# REJECT ENI_SG_RULES_MISMATCH at security-group ep-sg ingress, no rule admits, via vpc-endpoint ssm (vpce-0ssm) " \
  "# REJECT SUBNET_ACL_RESTRICTION at network-acl ep-nacl inbound, rule 100 " \
  "# REJECT VPCE_INTRA_VPC_TRAFFIC at vpc-endpoint ssm (vpce-0ssm) (" \
  "# REJECT ENI_SG_RULES_MISMATCH at security-group narrow egress, no rule admits, via vpc-endpoint s3-gw (vpce-0s3gw) " \
  "# REJECT SUBNET_ACL_RESTRICTION at network-acl app-nacl outbound, rule 100 " \
  "# REJECT SUBNET_ACL_RESTRICTION at network-acl app-nacl inbound, rule 100 "; do
  grep -qF -- "$want" "$tmp/explain" || fail "no line starting '$want' in: $(cat "$tmp/explain")"
done
"$vpckit" flowlogs "$tmp/endpoints.vpc" --pcap "$tmp/endpoints.pcap" --format json >"$tmp/json" 2>"$tmp/err" || fail "--format json: exit $?"
python3 - "$tmp/json" <<'PY' || fail "reject-reason members at the endpoints"
import json, sys
records = json.load(open(sys.argv[1]))["records"]
reasons = [(r["interface-id"], r["reject-reason"]) for r in records if r["action"] == "REJECT"]
got = [(eni == "eni-0ssm", x["code"], x["component"]["name"], x["direction"], (x["rule"] or {}).get("number"),
        x["endpoint"] and (x["endpoint"]["kind"], x["endpoint"]["name"], x["endpoint"]["id"])) for eni, x in reasons]
ssm, s3 = ("vpc-endpoint", "ssm", "vpce-0ssm"), ("vpc-endpoint", "s3-gw", "vpce-0s3gw")
want = [
    (True, "ENI_SG_RULES_MISMATCH", "ep-sg", "ingress", None, ssm),
    (True, "SUBNET_ACL_RESTRICTION", "ep-nacl", "inbound", 100, ssm),
    (True, "VPCE_INTRA_VPC_TRAFFIC", "ssm", None, None, ssm),
    (False, "ENI_SG_RULES_MISMATCH", "narrow", "egress", None, s3),
    (False, "SUBNET_ACL_RESTRICTION", "app-nacl", "outbound", 100, s3),
    (False, "SUBNET_ACL_RESTRICTION", "app-nacl", "inbound", 100, s3),
]
assert got == want, got
PY

cat > "$tmp/transit-vif.vpc" <<'VPC'
vpc app {
  cidr 10.100.0.0/16
  subnet app-a 10.100.1.0/24 az us-east-1a
  subnet tgw-a 10.100.255.0/28 az us-east-1a
  route-table rt main {
    associate app-a
    route 0.0.0.0/0 -> core
  }
  route-table tgw-rt { associate tgw-a }
  security-group web { ingress tcp 443 from 172.16.0.0/16 }
  instance web-1 in app-a ip 10.100.1.10 sg web
}
transit-gateway core {
  attachment app-att vpc app subnets tgw-a
  attachment dx-att dx-gateway dxg
  route-table main-rt {
    associate app-att dx-att
    propagate app-att dx-att
  }
}
dx-gateway dxg { associate core allowed 10.0.0.0/8 }
dx-vif dc-t transit dx-gateway dxg id dxvif-dx01
onprem dc 172.16.0.0/16 via dc-t
VPC
python3 "$tmp/mkpcap.py" "$tmp/transit-vif.pcap" <<'CAP'
0 172.16.1.5 50000 10.100.1.10 443 tcp
0 10.100.1.10 443 172.16.1.5 50000 tcp 18
1 172.16.1.5 50001 10.100.1.10 22 tcp
CAP
"$vpckit" flowlogs "$tmp/transit-vif.vpc" --pcap "$tmp/transit-vif.pcap" --explain \
  --fields '${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${action} ${flow-direction} ${traffic-path}' >"$tmp/tvif" 2>"$tmp/err" \
  || fail "transit VIF: exit $? :: $(cat "$tmp/err")"
python3 - "$tmp/tvif" <<'PY' || fail "transit VIF records: $(cat "$tmp/tvif")"
import sys
lines = [l.split() for l in open(sys.argv[1]).read().splitlines() if not l.startswith("#")]
# Without the ENI ids: which ENI (the attachment's address 10.100.255.14 on its side), addresses, ports, action.
got = [l[1:] for l in lines]
assert got == [
    ["10.100.255.14", "10.100.1.10", "50000", "443", "ACCEPT", "egress", "1"],   # the TGW attachment ENI delivers
    ["172.16.1.5", "10.100.1.10", "50000", "443", "ACCEPT", "ingress", "-"],     # web-1 accepts
    ["10.100.1.10", "172.16.1.5", "443", "50000", "ACCEPT", "egress", "1"],      # web-1 answers
    ["10.100.1.10", "10.100.255.14", "443", "50000", "ACCEPT", "ingress", "-"],  # back into the TGW
    ["10.100.255.14", "10.100.1.10", "50001", "22", "ACCEPT", "egress", "1"],
    ["172.16.1.5", "10.100.1.10", "50001", "22", "REJECT", "ingress", "-"],      # web's group admits only 443
], got
assert len({l[0] for l in lines}) == 2, lines
comments = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("#")]
assert len(comments) == 1 and comments[0].startswith("# REJECT ENI_SG_RULES_MISMATCH at security-group web ingress"), comments
PY

if [ "$failures" -ne 0 ]; then echo "flowlogs-edges.sh: $failures failure(s)"; exit 1; fi
echo "flowlogs-edges.sh: ok"
