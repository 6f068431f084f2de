#!/usr/bin/env python3
"""vpckit flowlogs with a transit gateway flow log (Docs/SEMANTICS.md "Transit gateway flow log records").

Two VPCs on one transit gateway; a dpkt-written capture (not our writer) of a TCP connection a -> b, and of
packets to a blackhole route and to an address without a route. Checks, independently of the replay code:
- the S3 object (default transit gateway format, version 6) read back by flowlogs-reader's S3FlowLogsReader
  from a moto-mocked bucket: 4 records for the connection (ingress at a-att and egress at b-att for each
  direction, each naming the other attachment), one ingress record per dropped flow with its packets in
  packets_lost_blackhole / packets_lost_no_route;
- the object key (AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/ACCOUNT_vpcflowlogs_REGION_FLID_STAMP_HASH.log.gz);
- --flow-log NAME prints the same records; the VPC flow log of the same run has no transit gateway record;
- refused settings: an ENI field in a transit gateway format, `traffic`, `interval 600` (exit 2, file:line:col).
Usage: flowlogs_tgw_check.py PATH/TO/vpckit
"""
import gzip
import os
import socket
import subprocess
import sys
import tempfile
from datetime import datetime

import boto3
import dpkt
from flowlogs_reader import S3FlowLogsReader
from moto import mock_aws

vpckit = os.path.abspath(sys.argv[1])
failures = []


def fail(message):
    failures.append(message)
    print('flowlogs_tgw_check.py: FAIL: ' + message, file=sys.stderr)


def run(args, expect=0):
    p = subprocess.run([vpckit] + args, capture_output=True, text=True)
    if p.returncode != expect:
        fail(f'{args}: exit {p.returncode}, want {expect}: {p.stderr[:400]}')
    return p


TOPOLOGY = """region us-east-1
account 111122223333

vpc a {
  id vpc-0aaa
  cidr 10.1.0.0/16
  subnet a-app 10.1.1.0/24 az us-east-1a
  subnet a-tgw 10.1.255.0/28 az us-east-1a
  route-table a-rt {
    associate a-app
    route 10.0.0.0/8 -> core
  }
  security-group a-sg {
    ingress tcp 443 from 10.0.0.0/8
  }
  instance app-a in a-app ip 10.1.1.10 sg a-sg
}

vpc b {
  id vpc-0bbb
  cidr 10.2.0.0/16
  subnet b-app 10.2.1.0/24 az us-east-1a
  subnet b-tgw 10.2.255.0/28 az us-east-1a
  route-table b-rt {
    associate b-app
    route 10.0.0.0/8 -> core
  }
  security-group b-sg {
    ingress tcp 443 from 10.0.0.0/8
  }
  instance app-b in b-app ip 10.2.1.10 sg b-sg
}

transit-gateway core id tgw-0c0de {
  attachment a-att vpc a subnets a-tgw id tgw-attach-0a
  attachment b-att vpc b subnets b-tgw id tgw-attach-0b
  route-table main {
    associate a-att b-att
    propagate a-att b-att
    route 10.9.0.0/16 blackhole
  }
}
"""


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
SYN, ACK = dpkt.tcp.TH_SYN, dpkt.tcp.TH_ACK
a, b = '10.1.1.10', '10.2.1.10'
t = 1_700_000_040  # a multiple of 60, in the 22:10 UTC five-minute window of 2023-11-14
frames = [
    (t, ip_packet(a, b, TCP, 40000, 443, SYN)),
    (t + 1, ip_packet(b, a, TCP, 443, 40000, SYN | ACK)),
    (t + 2, ip_packet(a, b, TCP, 40000, 443, ACK, b'x' * 60)),
    (t + 3, ip_packet(a, '10.9.0.5', TCP, 40001, 443, SYN)),
    (t + 4, ip_packet(a, '10.9.0.5', TCP, 40001, 443, SYN)),
    (t + 5, ip_packet(a, '10.7.0.5', UDP, 41000, 53, payload=b'q' * 20)),
]

with tempfile.TemporaryDirectory() as tmp:
    pcap = os.path.join(tmp, 'tgw.pcap')
    with open(pcap, 'wb') as f:
        w = dpkt.pcap.Writer(f)
        for ts, frame in frames:
            w.writepkt(bytes(frame), ts=ts)
    topo = os.path.join(tmp, 'tgw.vpc')
    open(topo, 'w').write(TOPOLOGY + '\nflow-log hub on transit-gateway core id fl-0hub to s3://tgw-logs/core\n'
                          'flow-log vpc-a on vpc a interval 60 id fl-0vpca to s3://tgw-logs/vpc\n')
    out = os.path.join(tmp, 'out')
    p = run(['flowlogs', topo, '--pcap', pcap, '--out', out])
    if 'hub 6' not in p.stderr:
        fail(f'summary: {p.stderr[:300]}')
    files = []
    for d, _, names in os.walk(out):
        files += [os.path.relpath(os.path.join(d, n), out) for n in names]
    hub_files = [f for f in files if f.startswith('tgw-logs/core/')]
    want_prefix = 'tgw-logs/core/AWSLogs/111122223333/vpcflowlogs/us-east-1/2023/11/14/111122223333_vpcflowlogs_us-east-1_fl-0hub_20231114T2210Z_'
    if len(hub_files) != 1 or not hub_files[0].startswith(want_prefix) or not hub_files[0].endswith('.log.gz'):
        fail(f'transit gateway object keys: {hub_files}')
    for f in files:
        if f.startswith('tgw-logs/vpc/') and 'TransitGateway' in gzip.open(os.path.join(out, f), 'rt').read():
            fail(f'{f}: a transit gateway record in a VPC flow log')

    with mock_aws():
        s3 = boto3.client('s3', region_name='us-east-1')
        s3.create_bucket(Bucket='tgw-logs')
        for f in hub_files:
            s3.upload_file(os.path.join(out, f), 'tgw-logs', f[len('tgw-logs/'):])
        reader = S3FlowLogsReader('tgw-logs/core', start_time=datetime(2020, 1, 1), end_time=datetime(2030, 1, 1), boto_client=s3)
        records = list(reader)
    def key(row):
        return tuple(str(v) for v in row)
    got = sorted(((r.version, r.resource_type, r.account_id, r.tgw_id, r.tgw_attachment_id, r.tgw_pair_attachment_id,
                  r.tgw_src_vpc_id, r.tgw_dst_vpc_id, r.srcaddr, r.dstaddr, r.srcport, r.dstport, r.protocol, r.packets,
                  r.bytes, r.flow_direction, r.packets_lost_no_route, r.packets_lost_blackhole, r.tcp_flags, r.region,
                  r.log_status) for r in records), key=key)
    A, B = 'tgw-attach-0a', 'tgw-attach-0b'
    common = (6, 'TransitGateway', '111122223333', 'tgw-0c0de')
    want = sorted([
        common + (A, B, 'vpc-0aaa', 'vpc-0bbb', a, b, 40000, 443, 6, 2, 140, 'ingress', 0, 0, 2, 'us-east-1', 'OK'),
        common + (B, A, 'vpc-0aaa', 'vpc-0bbb', a, b, 40000, 443, 6, 2, 140, 'egress', 0, 0, 2, 'us-east-1', 'OK'),
        common + (B, A, 'vpc-0bbb', 'vpc-0aaa', b, a, 443, 40000, 6, 1, 40, 'ingress', 0, 0, 18, 'us-east-1', 'OK'),
        common + (A, B, 'vpc-0bbb', 'vpc-0aaa', b, a, 443, 40000, 6, 1, 40, 'egress', 0, 0, 18, 'us-east-1', 'OK'),
        common + (A, None, 'vpc-0aaa', None, a, '10.9.0.5', 40001, 443, 6, 2, 80, 'ingress', 0, 2, 2, 'us-east-1', 'OK'),
        common + (A, None, 'vpc-0aaa', None, a, '10.7.0.5', 41000, 53, 17, 1, 48, 'ingress', 1, 0, 0, 'us-east-1', 'OK'),
    ], key=key)
    if got != want:
        fail('flowlogs-reader records:\n  got  ' + '\n       '.join(map(str, got)) + '\n  want ' + '\n       '.join(map(str, want)))

    # --flow-log NAME: the same records as text (the object's lines, without its header).
    printed = run(['flowlogs', topo, '--pcap', pcap, '--flow-log', 'hub']).stdout.splitlines()
    lines = gzip.open(os.path.join(out, hub_files[0]), 'rt').read().splitlines() if hub_files else []
    if not lines or lines[0].split() != ['version', 'resource-type', 'account-id', 'tgw-id', 'tgw-attachment-id'] + lines[0].split()[5:] \
            or len(lines[0].split()) != 36 or sorted(printed) != sorted(lines[1:]):
        fail(f'--flow-log hub: {printed[:2]} vs {lines[:2]}')

    # Refused: an ENI field in a transit gateway format, a traffic filter, a 600-s interval.
    for statement, column, message in [
        ("flow-log x on transit-gateway core format '${srcaddr} ${action}'", 55, "'action' is not a field of transit gateway flow log records"),
        ("flow-log x on transit-gateway core traffic reject", 36, 'a transit gateway flow log has no traffic filter'),
        ("flow-log x on transit-gateway core interval 600", 45, "a transit gateway flow log's interval is 60 seconds"),
        ("flow-log x on vpc a format '${srcaddr} ${tgw-id}'", 40, "'tgw-id' is a field of transit gateway flow logs"),
    ]:
        bad = os.path.join(tmp, 'bad.vpc')
        open(bad, 'w').write(TOPOLOGY + statement + '\n')
        p = run(['flowlogs', bad, '--pcap', pcap], expect=2)
        line = TOPOLOGY.count('\n') + 1
        if f'bad.vpc:{line}:{column}: error: {message}' not in p.stderr:
            fail(f'{statement}: {p.stderr[:300]}')

if failures:
    sys.exit(1)
print('flowlogs_tgw_check.py: ok')
