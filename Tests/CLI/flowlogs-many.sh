#!/usr/bin/env bash
# `vpckit flowlogs` over several captures (Docs/MANY-CAPTURES.md): two interleaved halves of a capture, as files
# or as a folder, give the whole capture's records byte for byte; --per-capture names carry capture-N; --window
# counts [START, END); a bad --shard or --window is a usage error (exit 2, nothing written); a truncated capture
# among good ones is reported and skipped (exit 2, the others' records written); two shards' --out trees merge
# into one folder without a file replacing another.
# Usage: Tests/CLI/flowlogs-many.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: flowlogs-many.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
T="$here/../../Topologies/flowlogs-session.vpc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "flowlogs-many.sh: FAIL: $*" >&2; failures=$((failures + 1)); }

# 90 packets: TCP connections web-1 -> app-1:8080 (SYN, SYN-ACK, ACK) and UDP web-1 -> internet, over three
# 600-s intervals; all.pcap holds them all, caps/half-1.pcap and caps/half-2.pcap every other packet.
python3 - <<'PY' || fail "python3 could not write the captures"
import struct, os
def frame(src, dst, proto, sport, dport, flags=0):
    if proto == 6:
        l4 = struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 0x50, flags, 8192, 0, 0)
    else:
        l4 = struct.pack('!HHHH', sport, dport, 8, 0)
    ip = struct.pack('!BBHHHBBH', 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0) + bytes(src) + bytes(dst)
    return b'\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x06\x08\x00' + ip + l4
web, app, net = [10, 20, 0, 10], [10, 20, 10, 10], [198, 51, 100, 7]
packets = []
t = 1700000400
for i in range(30):
    port = 40000 + i % 5
    packets.append((t + i * 40, i, frame(web, app, 6, port, 8080, 0x02)))
    packets.append((t + i * 40 + 1, i, frame(app, web, 6, 8080, port, 0x12)))
    packets.append((t + i * 40 + 2, 500000 + i, frame(web, net, 17, 5000 + i % 3, 53)))
def write(name, items):
    with open(name, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for s, us, b in items:
            f.write(struct.pack('<IIII', s, us, len(b), len(b)) + b)
os.makedirs('caps', exist_ok=True)
write('all.pcap', packets)
write('caps/half-1.pcap', packets[0::2])
write('caps/half-2.pcap', packets[1::2])
with open('caps/notes.txt', 'w') as f: f.write('not a capture\n')
data = open('caps/half-2.pcap', 'rb').read()
open('cut.pcap', 'wb').write(data[:len(data) - 7])
PY

"$vpckit" flowlogs "$T" --pcap all.pcap > whole.txt 2> whole.err || fail "whole capture: exit $?: $(head -c 300 whole.err)"
[ "$(wc -l < whole.txt)" -ge 10 ] || fail "whole capture gave $(wc -l < whole.txt) records"
grep -q REJECT whole.txt && fail "whole capture has REJECT records (replies lost their connection?)"
"$vpckit" flowlogs "$T" --pcap caps/half-2.pcap --pcap caps/half-1.pcap > merged.txt 2> merged.err \
  || fail "two captures: exit $?: $(head -c 300 merged.err)"
cmp -s whole.txt merged.txt || fail "two interleaved halves differ from the whole capture: $(diff whole.txt merged.txt | head -5)"
"$vpckit" flowlogs "$T" --pcap caps > folder.txt 2>/dev/null || fail "--pcap caps (a folder): exit $?"
cmp -s whole.txt folder.txt || fail "the folder differs from the whole capture"
grep -q '^90 packets read' merged.err || fail "summary of two captures: $(cat merged.err)"
# On its own, half 2 (the SYN-ACKs) has no connections to reply to: REJECTed.
"$vpckit" flowlogs "$T" --pcap caps --per-capture > per.txt 2> per.err || fail "--per-capture: exit $?"
grep -q REJECT per.txt || fail "--per-capture: replies of the other capture's connections were accepted"
grep -q '^caps/half-1.pcap: 45 packets read' per.err && grep -q '^caps/half-2.pcap: 45 packets read' per.err \
  || fail "--per-capture summaries: $(cat per.err)"

# --per-capture --out: every name carries capture-N, none shared.
"$vpckit" flowlogs "$T" --pcap caps --per-capture --out per-out 2>/dev/null || fail "--per-capture --out: exit $?"
n1=$(find per-out -name '*capture-1.*.log.gz' | wc -l); n2=$(find per-out -name '*capture-2.*.log.gz' | wc -l)
[ "$n1" -ge 1 ] && [ "$n2" -ge 1 ] && [ "$(find per-out -type f | wc -l)" = $((n1 + n2)) ] \
  || fail "--per-capture --out: $n1 capture-1 and $n2 capture-2 files of $(find per-out -type f | wc -l)"

# --window: [START, END) — the packet at START counts, the one at END does not.
"$vpckit" flowlogs "$T" --pcap all.pcap --window 1700000400/1700000440 > w.txt 2> w.err || fail "--window: exit $?"
grep -q '^3 packets read.*; 87 packets outside --window' w.err || fail "--window 1700000400/1700000440: $(cat w.err)"
"$vpckit" flowlogs "$T" --pcap all.pcap --window 2023-11-14T22:20:00Z/1700000441 > /dev/null 2> w2.err
grep -q '^4 packets read' w2.err || fail "--window RFC 3339 START, END one second later: $(cat w2.err)"

# Usage errors: exit 2, the option named, nothing written.
for args in "--shard a/b" "--shard ''" "--shard $(printf 'x%.0s' $(seq 33))" "--window 100" "--window 200/100" \
            "--window 2023-11-14T22:20:00.5Z/1700000441"; do
  eval "\"\$vpckit\" flowlogs \"\$T\" --pcap all.pcap --out bad-out $args" > /dev/null 2> err.txt; rc=$?
  [ "$rc" = 2 ] || fail "$args: exit $rc, want 2"
  grep -q -- "${args%% *}" err.txt || fail "$args: message does not name ${args%% *}: $(head -c 300 err.txt)"
  [ ! -e bad-out ] || { fail "$args wrote bad-out"; rm -rf bad-out; }
done
mkdir empty
"$vpckit" flowlogs "$T" --pcap empty > /dev/null 2> err.txt; rc=$?
[ "$rc" = 2 ] && grep -q "holds no capture" err.txt || fail "an empty folder: exit $rc: $(cat err.txt)"

# A truncated capture among good ones: reported with its packet, skipped; the good one's records written; exit 2.
"$vpckit" flowlogs "$T" --pcap caps/half-1.pcap --pcap cut.pcap --pcap missing.pcap > cut.txt 2> cut.err; rc=$?
[ "$rc" = 2 ] || fail "truncated capture: exit $rc, want 2"
grep -q '^cut.pcap: error: capture unreadable at packet 45' cut.err || fail "truncated capture not reported: $(cat cut.err)"
grep -q '^missing.pcap: error: cannot open capture.*(capture skipped)' cut.err || fail "missing capture not reported: $(cat cut.err)"
grep -q '^89 packets read' cut.err && [ -s cut.txt ] || fail "the good captures' records: $(cat cut.err)"

# Two shards into one --out folder: the union of each alone, no file replaced.
"$vpckit" flowlogs "$T" --pcap caps/half-1.pcap --shard a --out merged-out 2>/dev/null || fail "shard a: exit $?"
"$vpckit" flowlogs "$T" --pcap caps/half-1.pcap --shard a --out a-out 2>/dev/null
"$vpckit" flowlogs "$T" --pcap caps/half-2.pcap --shard b --out merged-out 2>/dev/null || fail "shard b: exit $?"
"$vpckit" flowlogs "$T" --pcap caps/half-2.pcap --shard b --out b-out 2>/dev/null
na=$(find a-out -type f | wc -l); nb=$(find b-out -type f | wc -l); nm=$(find merged-out -type f | wc -l)
[ "$na" -ge 1 ] && [ "$nb" -ge 1 ] && [ "$nm" = $((na + nb)) ] || fail "shards: $na + $nb files, merged folder holds $nm"
(cd a-out && find . -type f) | while read -r f; do cmp -s "a-out/$f" "merged-out/$f" || echo "$f"; done > changed.txt
[ ! -s changed.txt ] || fail "shard b replaced shard a's $(head -1 changed.txt)"
find merged-out -name '*.log.gz' | grep -v -q 'shard-[ab]\.' && fail "a file name without its shard"
# Windows that cut an interval: each window's records carry its own packets; summed they are the whole's.
"$vpckit" flowlogs "$T" --pcap all.pcap --window 0/1700000700 > w1.txt 2>/dev/null
"$vpckit" flowlogs "$T" --pcap all.pcap --window 1700000700/1800000000 > w2.txt 2>/dev/null
sum() { awk '{ p += $9 } END { print p + 0 }' "$@"; }
[ "$(sum w1.txt w2.txt)" = "$(sum whole.txt)" ] || fail "windowed packets $(sum w1.txt w2.txt), whole $(sum whole.txt)"
[ "$(cat w1.txt w2.txt | wc -l)" -gt "$(wc -l < whole.txt)" ] || fail "a window cutting an interval split no record"

# Flow-log resources: S3 objects and CloudWatch stream files carry the tag too.
cp "$T" res.vpc && printf '\nflow-log cw on vpc shop to cloudwatch /aws/vpc/shop\nflow-log s3 on vpc shop to s3://bucket/p\n' >> res.vpc
"$vpckit" flowlogs res.vpc --pcap caps --per-capture --shard a --out res-out 2>/dev/null || fail "resources --per-capture --shard: exit $?"
nc=$(find res-out/cloudwatch -name 'eni-*-all.shard-a.capture-[12].jsonl' | wc -l)
ns=$(find res-out/bucket/p -name '*_shard-a.capture-[12].*.log.gz' | wc -l)
[ "$nc" -ge 2 ] && [ "$ns" -ge 2 ] && [ "$(find res-out -type f | wc -l)" = $((nc + ns)) ] \
  || fail "resources: $nc stream files, $ns objects with the tag, of $(find res-out -type f | wc -l)"

if [ "$failures" -gt 0 ]; then echo "flowlogs-many.sh: $failures failure(s)" >&2; exit 1; fi
echo "flowlogs-many.sh: ok"
