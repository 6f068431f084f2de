#!/usr/bin/env python3
"""CI cross-check of `vpckit flowlogs` against independent tools (run by .ci/run after `swift test`:
Tests/CLI/flowlogs_cross_check.py PATH/TO/vpckit).

1. Writes a capture with dpkt (not our writer): the Topologies/flowlogs-session.vpc session — DNS to the
   Amazon resolver (never logged) and to 1.1.1.1 through nat-a, an HTTPS connection through nat-a, blocked SSH
   attempts and an accepted HTTPS connection to web-1 from the internet — plus an ARP frame.
2. Runs `vpckit flowlogs` (default format), parses every line with the `flowlogs-reader` PyPI package's
   record parser (FlowRecord) and checks field values: version, account, ENI ids, actions, ports.
3. Decodes the same file with tshark: frame and IP packet counts must equal vpckit's summary, and the packets
   and bytes of every instance-ENI record must equal tshark's count and sum of ip.len for that 5-tuple; NAT
   gateway records must carry the same counts as their client's records.
4. The network's edges on Topologies/edges.vpc: on premises over the VGW (VPN, Direct Connect) both ways and S3
   through a gateway endpoint — custom fields parsed by flowlogs-reader: action, flow-direction, traffic-path
   (3 VGW, 2 gateway endpoint), packets and bytes against the capture.
5. `--onprem CIDR@EDGE` on flowlogs: a BGP VPN's data centre answers only once its prefix is declared.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
from collections import defaultdict

import dpkt
from flowlogs_reader import FlowRecord

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
vpckit = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "debug", "vpckit")
topology = "Topologies/flowlogs-session.vpc"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def ip_packet(src, dst, proto, sport, dport, flags=0, payload=b""):
    if proto == dpkt.ip.IP_PROTO_TCP:
        l4 = dpkt.tcp.TCP(sport=sport, dport=dport, seq=1, flags=flags, win=65535, data=payload)
    else:
        l4 = dpkt.udp.UDP(sport=sport, dport=dport, data=payload)
        l4.ulen = 8 + len(payload)
    ip = dpkt.ip.IP(src=socket.inet_aton(src), dst=socket.inet_aton(dst), p=proto, ttl=64, data=l4)
    ip.len = 20 + len(bytes(l4))
    return dpkt.ethernet.Ethernet(src=b"\x02\x00\x00\x00\x00\x01", dst=b"\x02\x00\x00\x00\x00\x02",
                                  type=dpkt.ethernet.ETH_TYPE_IP, data=ip)


TCP, UDP = dpkt.ip.IP_PROTO_TCP, dpkt.ip.IP_PROTO_UDP
SYN, ACK, FIN, PSH = dpkt.tcp.TH_SYN, dpkt.tcp.TH_ACK, dpkt.tcp.TH_FIN, dpkt.tcp.TH_PUSH
app, web, site, attacker, visitor = "10.20.10.10", "10.20.0.10", "93.184.216.34", "198.51.100.23", "198.51.100.50"
t = 1_700_000_100
frames = [
    (t, ip_packet(app, "10.20.0.2", UDP, 41000, 53, payload=b"q" * 30)),
    (t, ip_packet("10.20.0.2", app, UDP, 53, 41000, payload=b"a" * 46)),
    (t, ip_packet(app, "1.1.1.1", UDP, 41001, 53, payload=b"q" * 30)),
    (t + 1, ip_packet("1.1.1.1", app, UDP, 53, 41001, payload=b"a" * 46)),
    (t + 1, ip_packet(app, site, TCP, 40001, 443, SYN)),
    (t + 1, ip_packet(site, app, TCP, 443, 40001, SYN | ACK)),
    (t + 1, ip_packet(app, site, TCP, 40001, 443, ACK)),
    (t + 1, ip_packet(app, site, TCP, 40001, 443, PSH | ACK, b"c" * 517)),
    (t + 2, ip_packet(site, app, TCP, 443, 40001, PSH | ACK, b"s" * 1400)),
    (t + 2, ip_packet(app, site, TCP, 40001, 443, ACK)),
    (t + 3, ip_packet(app, site, TCP, 40001, 443, FIN | ACK)),
    (t + 3, ip_packet(site, app, TCP, 443, 40001, FIN | ACK)),
    (t + 3, ip_packet(app, site, TCP, 40001, 443, ACK)),
    (t + 4, ip_packet(visitor, web, TCP, 50500, 443, SYN)),
    (t + 4, ip_packet(web, visitor, TCP, 443, 50500, SYN | ACK)),
    (t + 4, ip_packet(visitor, web, TCP, 50500, 443, ACK)),
]
for retry in (0, 1, 3):
    frames.append((t + 5 + retry, ip_packet(attacker, web, TCP, 52122, 22, SYN)))
arp = dpkt.ethernet.Ethernet(src=b"\x02\x00\x00\x00\x00\x01", dst=b"\xff" * 6, type=dpkt.ethernet.ETH_TYPE_ARP,
                             data=b"\x00\x01\x08\x00\x06\x04\x00\x01" + b"\x00" * 20)
frames.append((t + 9, arp))

with tempfile.TemporaryDirectory() as tmp:
    pcap = os.path.join(tmp, "session.pcap")
    with open(pcap, "wb") as f:
        writer = dpkt.pcap.Writer(f)
        for ts, frame in frames:
            writer.writepkt(bytes(frame), ts=ts)

    r = subprocess.run([vpckit, "flowlogs", topology, "--pcap", pcap], cwd=root, capture_output=True, text=True)
    check(r.returncode == 0, f"vpckit flowlogs: exit {r.returncode}\n{r.stderr}")
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    records = [FlowRecord.from_cwl_event({"message": line}) for line in lines]
    summary = json.loads(subprocess.run([vpckit, "flowlogs", topology, "--pcap", pcap, "--format", "json"], cwd=root,
                                        capture_output=True, text=True).stdout)["summary"]

    # tshark's view of the same file.
    # One interval over the whole file; columns: all frames, IP frames (frames and bytes each).
    stat = subprocess.run(["tshark", "-r", pcap, "-q", "-z", "io,stat,0,frame,ip"], capture_output=True, text=True).stdout
    counts = [int(cell) for row in stat.splitlines() if "<>" in row for cell in row.split("|")[2:] if cell.strip().isdigit()]
    fields = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "ip.dst",
                             "-e", "ip.proto", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport",
                             "-e", "udp.dstport", "-e", "ip.len", "-Y", "ip"], capture_output=True, text=True).stdout

tuples = defaultdict(lambda: [0, 0])
for row in fields.splitlines():
    src, dst, proto, tsp, tdp, usp, udp, length = row.split(",")
    key = (src, dst, int(tsp or usp or 0), int(tdp or udp or 0), int(proto))
    tuples[key][0] += 1
    tuples[key][1] += int(length)

# Counts: frames and IP packets as tshark decodes them.
check(len(counts) >= 2 and counts[0] == len(frames), f"tshark frames {counts[:1]} != {len(frames)} written")
check(summary["packets-read"] == len(frames), f"vpckit read {summary['packets-read']} packets, tshark {counts[:1]}")
check(len(counts) >= 4 and summary["ip-packets"] == counts[2], f"vpckit IP packets {summary['ip-packets']}, tshark {counts[2:3]}")
check(sum(summary["skipped"].values()) == 1 + 2 + 0 and summary["mapped"] == summary["ip-packets"] - 2,
      f"skipped: {summary['skipped']} (expected the ARP frame and the two Amazon-resolver packets)")

# Field values through flowlogs-reader's parser.
check(len(records) == 15, f"{len(records)} records, expected 15:\n" + "\n".join(lines))
for rec, line in zip(records, lines):
    check(rec.version == 2 and rec.account_id == "111122223333" and rec.log_status == "OK", f"fields: {line}")
    check(rec.interface_id.startswith("eni-") and len(rec.interface_id) == 21, f"interface-id: {line}")
    check(rec.action in ("ACCEPT", "REJECT"), f"action: {line}")
    check(rec.start.timestamp() <= rec.end.timestamp() and t <= rec.start.timestamp() <= t + 9, f"start/end: {line}")
    check(rec.srcaddr != "10.20.0.2" and rec.dstaddr != "10.20.0.2", f"the Amazon resolver is never logged: {line}")

by_eni = defaultdict(list)
for rec in records:
    by_eni[rec.interface_id].append(rec)
check(len(by_eni) == 3, f"ENIs: {sorted(by_eni)} (expected web-1, app-1, nat-a)")
app_eni = next((e for e, rs in by_eni.items() if any(r.srcaddr == app for r in rs)), None)
nat_eni = next((e for e, rs in by_eni.items() if any(r.srcaddr == "10.20.0.50" for r in rs)), None)
web_eni = next((e for e, rs in by_eni.items() if any(r.dstaddr == web for r in rs)), None)

# Instance ENIs: packets and bytes equal tshark's totals for the record's 5-tuple.
for eni in (app_eni, web_eni):
    for rec in by_eni.get(eni, []):
        want = tuples.get((rec.srcaddr, rec.dstaddr, rec.srcport, rec.dstport, rec.protocol))
        check(want is not None and [rec.packets, rec.bytes] == want,
              f"{rec.to_message()}: tshark says {want} (packets, bytes)")

# The SSH attempts: REJECT at web-1 (public-nacl has no inbound rule for 22); the HTTPS visit is accepted.
ssh = [r for r in by_eni.get(web_eni, []) if r.dstport == 22]
check(len(ssh) == 1 and ssh[0].action == "REJECT" and ssh[0].packets == 3, f"SSH records: {[r.to_message() for r in ssh]}")
https = [r for r in by_eni.get(web_eni, []) if 443 in (r.srcport, r.dstport)]
check(len(https) == 2 and all(r.action == "ACCEPT" for r in https), f"HTTPS to web-1: {[r.to_message() for r in https]}")

# NAT gateway: four records per connection (both sides, both directions), counts equal to app-1's.
nat = by_eni.get(nat_eni, [])
check(len(nat) == 8, f"{len(nat)} NAT gateway records, expected 8")
for rec in nat:
    check(rec.action == "ACCEPT", f"NAT record rejected: {rec.to_message()}")
    app_side = app in (rec.srcaddr, rec.dstaddr)
    if app_side:  # client ↔ NAT gateway: the twin is app-1's record of the same ports, same direction
        outbound = rec.srcaddr == app
        twin = [r for r in by_eni.get(app_eni, []) if (r.srcaddr == app) == outbound
                and (r.srcport, r.dstport, r.protocol) == (rec.srcport, rec.dstport, rec.protocol)]
    else:  # NAT gateway ↔ internet: the twin is app-1's record with the same remote end and service port
        outbound = rec.srcaddr == "10.20.0.50"
        remote, service = (rec.dstaddr, rec.dstport) if outbound else (rec.srcaddr, rec.srcport)
        twin = [r for r in by_eni.get(app_eni, []) if (r.srcaddr == app) == outbound
                and ((r.dstaddr, r.dstport) if outbound else (r.srcaddr, r.srcport)) == (remote, service)]
    check(len(twin) == 1 and (twin[0].packets, twin[0].bytes) == (rec.packets, rec.bytes),
          f"NAT record {rec.to_message()} vs app-1 {[r.to_message() for r in twin]}")
ports = sorted({r.srcport for r in nat if r.srcaddr == "10.20.0.50" and r.dstaddr != app})
check(len(ports) == 2 and all(1024 <= p <= 65535 for p in ports), f"NAT source ports {ports}")

# 4. The network's edges (Topologies/edges.vpc): app-1 to the office over the VGW (static VPN) and back, the data
#    centre (Direct Connect, propagated by the VGW) to app-1, S3 through the gateway endpoint and its answer, and a
#    destination with no route. Custom fields with flow-direction and traffic-path, parsed by flowlogs-reader.
edge_fields = ("version account_id interface_id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
               "log_status flow_direction traffic_path pkt_srcaddr pkt_dstaddr").split()
edge_format = " ".join("${%s}" % f.replace("_", "-") for f in edge_fields)
office, dc, s3, nowhere = "192.168.1.10", "10.10.0.5", "52.216.1.1", "172.31.99.9"
edge_app = "10.0.10.10"
edge_frames = [
    (t, ip_packet(edge_app, office, TCP, 40001, 443, SYN)),
    (t, ip_packet(office, edge_app, TCP, 443, 40001, SYN | ACK)),
    (t, ip_packet(edge_app, office, TCP, 40001, 443, ACK)),
    (t + 1, ip_packet(edge_app, office, TCP, 40001, 443, PSH | ACK, b"c" * 300)),
    (t + 1, ip_packet(office, edge_app, TCP, 443, 40001, PSH | ACK, b"s" * 900)),
    (t + 2, ip_packet(dc, edge_app, TCP, 50001, 443, SYN)),
    (t + 2, ip_packet(edge_app, dc, TCP, 443, 50001, SYN | ACK)),
    (t + 3, ip_packet(edge_app, s3, TCP, 40002, 443, SYN)),
    (t + 3, ip_packet(s3, edge_app, TCP, 443, 40002, SYN | ACK)),
    (t + 4, ip_packet(dc, edge_app, TCP, 50002, 22, SYN)),  # security group app admits SSH from the office only
    (t + 5, ip_packet(edge_app, nowhere, TCP, 40003, 443, SYN)),  # no route: the ENI's ACCEPT, counted as dropped
]
with tempfile.TemporaryDirectory() as tmp:
    pcap = os.path.join(tmp, "edges.pcap")
    with open(pcap, "wb") as f:
        writer = dpkt.pcap.Writer(f)
        for ts, frame in edge_frames:
            writer.writepkt(bytes(frame), ts=ts)
    r = subprocess.run([vpckit, "flowlogs", "Topologies/edges.vpc", "--pcap", pcap, "--fields", edge_format], cwd=root,
                       capture_output=True, text=True)
    check(r.returncode == 0, f"vpckit flowlogs edges.vpc: exit {r.returncode}\n{r.stderr}")
    edge_lines = [line for line in r.stdout.splitlines() if line.strip()]
    edge_summary = json.loads(subprocess.run([vpckit, "flowlogs", "Topologies/edges.vpc", "--pcap", pcap, "--format", "json"],
                                             cwd=root, capture_output=True, text=True).stdout)["summary"]
edge_records = [FlowRecord.from_cwl_event({"message": line}, fields=tuple(edge_fields)) for line in edge_lines]
edge_tuples = defaultdict(lambda: [0, 0])
for _, frame in edge_frames:
    ip = frame.data
    key = (socket.inet_ntoa(ip.src), socket.inet_ntoa(ip.dst), ip.data.sport, ip.data.dport)
    edge_tuples[key][0] += 1
    edge_tuples[key][1] += ip.len
got = {(r.srcaddr, r.dstaddr, r.srcport, r.dstport): r for r in edge_records}
want = {  # (src, dst, sport, dport): (action, direction, traffic-path)
    (edge_app, office, 40001, 443): ("ACCEPT", "egress", 3),  # §11: 3 through a VGW
    (office, edge_app, 443, 40001): ("ACCEPT", "ingress", None),  # the answer from on premises, over the VPN
    (dc, edge_app, 50001, 443): ("ACCEPT", "ingress", None),
    (edge_app, dc, 443, 50001): ("ACCEPT", "egress", 3),  # Direct Connect through the VGW: 3 as well
    (edge_app, s3, 40002, 443): ("ACCEPT", "egress", 2),  # gateway endpoint: 2 (no Nitro code 7)
    (s3, edge_app, 443, 40002): ("ACCEPT", "ingress", None),  # S3's answer, through the endpoint
    (dc, edge_app, 50002, 22): ("REJECT", "ingress", None),
    (edge_app, nowhere, 40003, 443): ("ACCEPT", "egress", None),
}
check(len(edge_records) == len(want) and set(got) == set(want), "edges records:\n" + "\n".join(edge_lines))
for key, (action, direction, path) in want.items():
    rec = got.get(key)
    if rec is None:
        continue
    check((rec.action, rec.flow_direction, rec.traffic_path) == (action, direction, path),
          f"edges: {rec.to_message()} expected {action} {direction} {path}")
    check([rec.packets, rec.bytes] == edge_tuples[key], f"edges: {rec.to_message()}: the capture has {edge_tuples[key]}")
    check(rec.account_id == "111122223333" and (rec.pkt_srcaddr, rec.pkt_dstaddr) == key[:2], f"edges fields: {rec.to_message()}")
check(len({r.interface_id for r in edge_records}) == 1, f"edges: one ENI (app-1's): {sorted({r.interface_id for r in edge_records})}")
check((edge_summary["mapped"], edge_summary["accepted"], edge_summary["rejected"]) == (11, 9, 2), f"edges summary: {edge_summary}")

# 5. --onprem on flowlogs: a BGP VPN announces nothing written, so its data centre's answers are from nowhere
#    (no record) until `--onprem CIDR@EDGE` declares the prefix; then they come in over the VPN (ingress record).
bgp_topology = """vpc v {
  cidr 10.0.0.0/16
  vpn-gateway vgw1
  subnet a 10.0.1.0/24
  route-table rt main {
    associate a
    propagate vgw1
  }
  instance i in a ip 10.0.1.10
}
customer-gateway dc ip 198.51.100.10 asn 65000
vpn-connection dc-vpn vgw vgw1 customer-gateway dc bgp
"""
with tempfile.TemporaryDirectory() as tmp:
    vpc_file, pcap = os.path.join(tmp, "bgp.vpc"), os.path.join(tmp, "bgp.pcap")
    with open(vpc_file, "w") as f:
        f.write(bgp_topology)
    with open(pcap, "wb") as f:
        writer = dpkt.pcap.Writer(f)
        writer.writepkt(bytes(ip_packet("10.0.1.10", "10.99.0.5", TCP, 40000, 443, SYN)), ts=t)
        writer.writepkt(bytes(ip_packet("10.99.0.5", "10.0.1.10", TCP, 443, 40000, SYN | ACK)), ts=t)
    fields = "${srcaddr} ${dstaddr} ${action} ${flow-direction} ${traffic-path}"
    runs = {}
    for extra in ([], ["--onprem", "10.99.0.0/16@dc-vpn"]):
        r = subprocess.run([vpckit, "flowlogs", vpc_file, "--pcap", pcap, "--fields", fields] + extra, cwd=root,
                           capture_output=True, text=True)
        check(r.returncode == 0, f"flowlogs {extra}: exit {r.returncode}\n{r.stderr}")
        runs[bool(extra)] = sorted(line for line in r.stdout.splitlines() if line.strip())
    # Without the fact the route is unknown: the ENI's egress record only (no propagated route: path `-`).
    check(runs[False] == ["10.0.1.10 10.99.0.5 ACCEPT egress -"], f"flowlogs without --onprem: {runs[False]}")
    check(runs[True] == ["10.0.1.10 10.99.0.5 ACCEPT egress 3", "10.99.0.5 10.0.1.10 ACCEPT ingress -"],
          f"flowlogs --onprem 10.99.0.0/16@dc-vpn: {runs[True]}")

if failures:
    print("flowlogs cross-check FAILED:\n" + "\n".join(failures), file=sys.stderr)
    sys.exit(1)
print(f"flowlogs cross-check: {len(records)} records agree with flowlogs-reader and tshark ({len(frames)} frames); "
      f"{len(edge_records)} edge records (VGW, Direct Connect, gateway endpoint) agree with flowlogs-reader")
