#!/usr/bin/env python3
"""vpckit flowlogs with flow-log resources (Docs/SEMANTICS.md "Flow log resources").

Replays Topologies/flowlogs-session.pcap through Topologies/flowlogs-session.vpc with four flow logs appended
and checks each one's delivery against the records of the same replay without flow logs, filtered by the
flow log's scope and traffic filter (the expectation is derived independently of the routing code):
- S3 objects are read back by flowlogs-reader's S3FlowLogsReader from a moto-mocked bucket (the plain and the
  hourly layouts), and the Hive-compatible layout's folders are checked by name;
- CloudWatch stream files are parsed as JSON lines and by flowlogs-reader's FlowRecord.from_cwl_event;
- --flow-log NAME prints that flow log's records; usage errors exit 2;
- --nodata adds one NODATA record per quiet interface and interval, parsed by flowlogs-reader.
Usage: flowlogs_resources_check.py PATH/TO/vpckit
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile
from datetime import datetime, timezone

import boto3
from flowlogs_reader import FlowRecord, S3FlowLogsReader
from moto import mock_aws

vpckit = os.path.abspath(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, '..', '..')
topology = open(os.path.join(root, 'Topologies', 'flowlogs-session.vpc')).read()
pcap = os.path.join(root, 'Topologies', 'flowlogs-session.pcap')
failures = []


def fail(message):
    failures.append(message)
    print('flowlogs_resources_check.py: FAIL: ' + message, file=sys.stderr)


def run(args, expect=0):
    p = subprocess.run([vpckit] + args, capture_output=True, text=True)
    if p.returncode != expect:
        fail(f'{args}: exit {p.returncode}, want {expect}: {p.stderr[:400]}')
    return p


DEFAULT = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol',
           'packets', 'bytes', 'start', 'end', 'action', 'log-status']
EXTRA = ['subnet-id', 'instance-id', 'pkt-srcaddr', 'pkt-dstaddr']

with tempfile.TemporaryDirectory() as tmp:
    plain = os.path.join(tmp, 'plain.vpc')
    open(plain, 'w').write(topology)
    fields = ' '.join('${%s}' % f for f in DEFAULT + EXTRA)
    base = {}
    for interval in (60, 600):
        out = run(['flowlogs', plain, '--pcap', pcap, '--interval', str(interval), '--fields', fields]).stdout
        base[interval] = [dict(zip(DEFAULT + EXTRA, line.split(' '))) for line in out.splitlines()]
    if not base[600] or not any(r['action'] == 'REJECT' for r in base[600]):
        fail('the session capture gives no records or no REJECT')

    def default_line(r):
        # The version of the default format is 2 (the base replay's format, with v3 fields, says 3).
        return ' '.join(['2'] + [r[f] for f in DEFAULT[1:]])

    # web-1 (10.20.0.10): the instance interface each of whose records has 10.20.0.10 at one end.
    enis = {r['interface-id'] for r in base[600] if r['instance-id'] != '-'}
    web_eni = {e for e in enis if all('10.20.0.10' in (r['srcaddr'], r['dstaddr']) for r in base[600] if r['interface-id'] == e)}
    subnets = {}
    for r in base[600]:
        subnets.setdefault(r['subnet-id'], set()).add(r['interface-id'])
    if len(web_eni) != 1:
        fail(f'web-1 interface not found: {web_eni}')
    web_eni = web_eni.pop() if web_eni else '?'
    public = next((s for s, enis in subnets.items() if web_eni in enis), '?')
    app = next((s for s in subnets if s != public), '?')

    expected = {
        'all-s3': sorted(default_line(r) for r in base[600]),
        'web-rej': sorted(default_line(r) for r in base[60] if r['interface-id'] == web_eni and r['action'] == 'REJECT'),
        'pub-hive': sorted(default_line(r) for r in base[600] if r['subnet-id'] == public and r['action'] == 'ACCEPT'),
        'app-cw': sorted(default_line(r) for r in base[600] if r['subnet-id'] == app),
    }
    for name, lines in expected.items():
        if not lines:
            fail(f'{name}: the expectation is empty (the check would prove nothing)')
    topo = os.path.join(tmp, 'logs.vpc')
    open(topo, 'w').write(topology + '''
flow-log all-s3 on vpc shop to s3://shop-logs/prod
flow-log web-rej on interface web-1 traffic reject interval 60 to s3://shop-logs/web hourly-partitions id fl-0web
flow-log pub-hive on subnet public-a traffic accept to s3://shop-logs/hive hive-partitions id fl-0hive
flow-log app-cw on subnet app-a to cloudwatch /aws/vpc/shop
''')
    out_dir = os.path.join(tmp, 'out')
    p = run(['flowlogs', topo, '--pcap', pcap, '--out', out_dir])
    for name, lines in expected.items():
        if f'{name} {len(lines)}' not in p.stderr:
            fail(f'summary does not say {name} {len(lines)}: {p.stderr.strip()}')

    files = []
    for d, _, names in os.walk(out_dir):
        files += [os.path.relpath(os.path.join(d, n), out_dir) for n in names]
    bucket_files = [f for f in files if f.startswith('shop-logs/')]
    cw_files = [f for f in files if f.startswith('cloudwatch/')]
    if sorted(bucket_files + cw_files) != sorted(files):
        fail(f'files outside the flow logs\' destinations: {files}')

    # S3 through flowlogs-reader, from a mocked bucket holding exactly what was written.
    with mock_aws():
        s3 = boto3.client('s3', region_name='us-east-1')
        s3.create_bucket(Bucket='shop-logs')
        for f in bucket_files:
            s3.upload_file(os.path.join(out_dir, f), 'shop-logs', f[len('shop-logs/'):])
        start, end = datetime(2020, 1, 1), datetime(2030, 1, 1)
        for name, location in (('all-s3', 'shop-logs/prod'), ('web-rej', 'shop-logs/web')):
            reader = S3FlowLogsReader(location, start_time=start, end_time=end, boto_client=s3)
            # to_message() prints every field the reader knows: the default format is its first 14.
            got = sorted(' '.join(r.to_message().split(' ')[:14]) for r in reader)
            if got != expected[name]:
                fail(f'{name}: flowlogs-reader read {len(got)} records, want {len(expected[name])}:\n{got[:3]}\n{expected[name][:3]}')
    for f in bucket_files:
        parts = f.split('/')
        name = parts[-1]
        if not (name.endswith('.log.gz') and name.split('_')[1] == 'vpcflowlogs'):
            fail(f'object name {name}')
        if parts[1] == 'web':
            # hourly: AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/HH/
            if len(parts) != 11 or not (parts[9].isdigit() and len(parts[9]) == 2) or '_fl-0web_' not in name:
                fail(f'hourly layout: {f}')
            hour = parts[9]
            stamp = name.split('_')[4]
            if stamp[9:11] != hour:
                fail(f'hour folder {hour} for file stamped {stamp}')
        if parts[1] == 'hive':
            want = ['aws-account-id=111122223333', 'aws-service=vpcflowlogs', 'aws-region=us-east-1']
            if parts[3:6] != want or not parts[6].startswith('year=') or not parts[7].startswith('month=') \
                    or not parts[8].startswith('day=') or len(parts) != 10 or '_fl-0hive_' not in name:
                fail(f'hive layout: {f}')
    hive_lines = []
    for f in bucket_files:
        if f.startswith('shop-logs/hive/'):
            text = gzip.open(os.path.join(out_dir, f), 'rt').read().splitlines()
            if text[0] != ' '.join(DEFAULT):
                fail(f'{f}: header {text[0]}')
            hive_lines += text[1:]
    if sorted(hive_lines) != expected['pub-hive']:
        fail(f'pub-hive: {len(hive_lines)} records, want {len(expected["pub-hive"])}')

    # CloudWatch: one stream file per interface, JSON lines of timestamp and message.
    cw_lines = []
    for f in cw_files:
        parts = f.split('/')
        if parts[1] != '%2Faws%2Fvpc%2Fshop' or not parts[2].endswith('-all.jsonl'):
            fail(f'CloudWatch file {f}')
        eni = parts[2][:-len('-all.jsonl')]
        for line in open(os.path.join(out_dir, f)):
            event = json.loads(line)
            if sorted(event) != ['message', 'timestamp']:
                fail(f'event members {sorted(event)}')
            record = FlowRecord.from_cwl_event(event)
            if record.interface_id != eni:
                fail(f'{f}: a record of {record.interface_id}')
            if event['timestamp'] != int(record.start.replace(tzinfo=timezone.utc).timestamp()) * 1000:
                fail(f'event timestamp {event["timestamp"]} is not the record start {record.start}')
            cw_lines.append(event['message'])
    if sorted(cw_lines) != expected['app-cw']:
        fail(f'app-cw: {len(cw_lines)} events, want {len(expected["app-cw"])}')

    # --flow-log NAME: that flow log's records on stdout.
    got = sorted(run(['flowlogs', topo, '--pcap', pcap, '--flow-log', 'web-rej']).stdout.splitlines())
    if got != expected['web-rej']:
        fail(f'--flow-log web-rej printed {got}')
    # Usage errors: several flow logs and no --out, an unknown --flow-log, options the resources set.
    for args, word in ((['--pcap', pcap], '--out DIR'), (['--pcap', pcap, '--flow-log', 'nope'], "'nope'"),
                       (['--pcap', pcap, '--out', out_dir, '--interval', '60'], '--interval'),
                       (['--pcap', pcap, '--out', out_dir, '--fields', '${srcaddr}'], '--fields')):
        p = run(['flowlogs', topo] + args, expect=2)
        if word not in p.stderr:
            fail(f'{args}: message does not name {word}: {p.stderr[:300]}')
    p = run(['flowlogs', plain, '--pcap', pcap, '--flow-log', 'x'], expect=2)

    # --nodata: for every 60-second interval of the capture's span and every interface the replay saw, either
    # traffic records or exactly one NODATA record (`2 ACCOUNT ENI - - - - - - - START END - NODATA`), and the
    # traffic records unchanged; flowlogs-reader parses the NODATA records.
    # The session capture lies in one interval where every interface has traffic: an idle instance added to
    # app-a has none.
    idle = os.path.join(tmp, 'idle.vpc')
    app_line = '  instance app-1 in app-a ip 10.20.10.10 sg app\n'
    if app_line not in topology:
        fail('Topologies/flowlogs-session.vpc no longer declares app-1 as this check expects')
    open(idle, 'w').write(topology.replace(app_line, app_line + '  instance idle-1 in app-a ip 10.20.10.99 sg app\n'))
    out = run(['flowlogs', idle, '--pcap', pcap, '--interval', '60', '--nodata']).stdout.splitlines()
    traffic = [line for line in out if not line.endswith(' NODATA')]
    nodata = [line.split(' ') for line in out if line.endswith(' NODATA')]
    if sorted(traffic) != sorted(default_line(r) for r in base[60]):
        fail('--nodata changed the traffic records')
    seen = {r['interface-id'] for r in base[60]}
    idle_enis = {n[2] for n in nodata} - seen
    if len(idle_enis) != 1:
        fail(f'--nodata: want NODATA records of one interface without traffic (idle-1), got {sorted(idle_enis)}')
    seen |= idle_enis
    first = min(int(r['start']) for r in base[60])
    last = max(int(r['end']) for r in base[60])
    busy = {(r['interface-id'], int(r['start']) // 60) for r in base[60]}
    quiet = {(n[2], int(n[10]) // 60) for n in nodata}
    want = {(e, w) for e in seen for w in range(first // 60, last // 60 + 1)} - busy
    if not want:
        fail('--nodata: the capture has no quiet interval (the check would prove nothing)')
    if not want <= quiet or len(quiet) != len(nodata) or quiet & busy:
        fail(f'--nodata: NODATA records {sorted(quiet)[:6]}…, want one per quiet interface and interval {sorted(want)[:6]}…')
    for n in nodata:
        if len(n) != 14 or n[3:10] != ['-'] * 7 or n[12] != '-' or not (first <= int(n[10]) <= int(n[11]) <= last):
            fail(f'--nodata: malformed NODATA record {" ".join(n)}')
            break
        record = FlowRecord.from_cwl_event({'message': ' '.join(n)})
        if record.log_status != 'NODATA' or record.action is not None or record.interface_id != n[2]:
            fail(f'flowlogs-reader reads {" ".join(n)} as {record.to_dict()}')
            break
    p = run(['flowlogs', idle, '--pcap', pcap, '--interval', '60', '--nodata', '--format', 'json'])
    if '"log-status": "NODATA"' not in p.stdout:
        fail('--nodata --format json has no NODATA record')

    # A transit-gateway flow log on a transit gateway no packet crosses: replayed, with no records (its records
    # are checked in flowlogs_tgw_check.py).
    tgw = os.path.join(tmp, 'tgw.vpc')
    open(tgw, 'w').write(topology + '\ntransit-gateway core {\n}\nflow-log hub on transit-gateway core\n')
    p = run(['flowlogs', tgw, '--pcap', pcap, '--out', os.path.join(tmp, 'tgw-out')])
    if 'not replayed' in p.stderr or 'records written per flow log: hub 0' not in p.stderr:
        fail(f'TGW flow log summary: {p.stderr[:300]}')

if failures:
    sys.exit(1)
print('flowlogs_resources_check.py: ok')
