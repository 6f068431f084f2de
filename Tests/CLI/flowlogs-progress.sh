#!/usr/bin/env bash
# `vpckit flowlogs` progress line (issue 21, point 6): none when stderr is not a terminal or with --quiet; on a
# terminal (under `script`, when it is installed) a line of bytes read, packets/s, records and time left, cleared
# at the end. The records on stdout are the same in every case.
# Usage: Tests/CLI/flowlogs-progress.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: flowlogs-progress.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
T="$here/../../Topologies/flowlogs-session.vpc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "flowlogs-progress.sh: FAIL: $*" >&2; failures=$((failures + 1)); }

# 200,000 packets (progress is reported every 65,536): web-1 -> app-1 TCP, 100 connections, 1 ms apart.
python3 - <<'PY'
import struct
out = open('big.pcap', 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for n in range(200000):
    ip = bytes.fromhex('450000280001000040060000') + bytes([10,20,0,10]) + bytes([10,20,10,10])
    tcp = struct.pack('!HHIIBBHHH', 40000 + n % 100, 8080, 1, 0, 0x50, 0x10, 8192, 0, 0)
    frame = b'\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x06\x08\x00' + ip + tcp
    t = 1700000000 * 1000000 + n * 1000
    out.write(struct.pack('<IIII', t // 1000000, t % 1000000, len(frame), len(frame)) + frame)
PY

"$vpckit" flowlogs "$T" --pcap big.pcap > plain.out 2> plain.err || fail "non-tty run exited $?"
[ -s plain.out ] || fail "no records on stdout"
grep -q 'packets/s' plain.err && fail "progress on a non-terminal stderr: $(head -c 300 plain.err)"
grep -q $'\r' plain.err && fail "carriage return on a non-terminal stderr"
[ "$(wc -l < plain.err)" -eq 1 ] || fail "stderr is not just the summary: $(cat plain.err)"
grep -q '^200000 packets read' plain.err || fail "summary missing: $(cat plain.err)"

if command -v script > /dev/null; then
    # A terminal on stderr (and stdout, the records then go to the typescript: compare them without \r).
    script -qec "'$vpckit' flowlogs '$T' --pcap big.pcap 2> /dev/tty > tty.out" tty.log > /dev/null 2>&1 || fail "tty run exited $?"
    grep -aq 'packets/s' tty.log || fail "no progress line on a terminal: $(tr '\r' '|' < tty.log | head -c 400)"
    grep -aq ' records' tty.log || fail "progress line without records"
    grep -aq ' left' tty.log || fail "progress line without time left"
    grep -aq 'of [0-9.]* MB (' tty.log || fail "progress line without bytes of the total"
    # Cleared at the end: the last progress line is followed by carriage return + erase line before the summary.
    tr -d '\n' < tty.log | grep -aq $'\r\e\[K200000 packets read' || fail "progress line not cleared before the summary"
    cmp -s plain.out tty.out || fail "records differ between the terminal and the plain run"
    script -qec "'$vpckit' flowlogs '$T' --pcap big.pcap --quiet 2> /dev/tty > quiet.out" quiet.log > /dev/null 2>&1 || fail "--quiet tty run exited $?"
    grep -aq 'packets/s' quiet.log && fail "--quiet still shows progress"
    grep -aq '200000 packets read' quiet.log || fail "--quiet hides the summary"
else
    echo "flowlogs-progress.sh: note: no 'script' program, terminal checks skipped"
fi

[ $failures -eq 0 ] && echo "flowlogs-progress.sh: all checks passed"
exit $((failures > 0))
