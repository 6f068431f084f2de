#!/usr/bin/env bash
# `vpckit flowlogs --out DIR` never writes outside DIR (Docs/SECURITY.md): --account, --region and
# --flow-log-id that are not AWS identifiers are usage errors (exit 2, naming the option) with nothing written;
# a topology account that is not 12 digits is an input error; a symbolic link inside DIR is refused, not
# followed; a good run writes only under DIR.
# Usage: Tests/CLI/flowlogs-out.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: flowlogs-out.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
T="$here/../../Topologies/flowlogs-session.vpc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir -p work/out outside
failures=0
fail() { echo "flowlogs-out.sh: FAIL: $*" >&2; failures=$((failures + 1)); }

# One TCP SYN web-1 -> app-1, classic pcap (bytes written here: no Python needed).
python3 - <<'PY' || printf '' > a.pcap
import struct
ip = bytes.fromhex('450000280001000040060000') + bytes([10,20,0,10]) + bytes([10,20,10,10])
tcp = struct.pack('!HHIIBBHHH', 40000, 8080, 1, 0, 0x50, 0x02, 8192, 0, 0)
frame = b'\x00\x01\x02\x03\x04\x05' + b'\x00\x01\x02\x03\x04\x06' + b'\x08\x00' + ip + tcp
with open('a.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack('<IIII', 1700000000, 0, len(frame), len(frame)) + frame)
PY

# expect2 OPTION ARGS...: exit 2, stderr names OPTION, nothing written anywhere under $tmp but a.pcap.
expect2() {
  local option=$1; shift
  (cd work && "$vpckit" flowlogs "$T" --pcap ../a.pcap --out out "$@" >/dev/null 2>"$tmp/err"); local rc=$?
  [ "$rc" = 2 ] || fail "flowlogs $* exited $rc, want 2: $(head -c 300 "$tmp/err")"
  grep -q -- "$option" "$tmp/err" || fail "flowlogs $*: message does not name $option: $(head -c 300 "$tmp/err")"
  local written; written=$(find "$tmp" -type f ! -name a.pcap ! -name err ! -path "$tmp/bad.vpc" | head -n 3)
  [ -z "$written" ] || fail "flowlogs $* wrote $written"
}
expect2 --account --account 'x/../../..' --region '../../../tmp/probe/ESC'
expect2 --region --region '../../../outside/ESC'
expect2 --region --region '/abs/path'
expect2 --region --region 'US-EAST-1'
expect2 --region --region 'us-east-'
expect2 --account --account x
expect2 --account --account 1234567890123
expect2 --flow-log-id --flow-log-id '../../outside/x'
expect2 --flow-log-id --flow-log-id 'fl-a/b'
# The check holds for stdout output too (the options mean the same whatever the output).
"$vpckit" flowlogs "$T" --pcap a.pcap --account x >/dev/null 2>&1; [ $? = 2 ] || fail "--account x without --out accepted"

# A topology whose account is not 12 digits: the S3 layout cannot name it (exit 2, nothing written).
sed 's/^account .*/account abc/' "$T" > bad.vpc
grep -q '^account abc' bad.vpc || printf 'account abc\n%s\n' "$(cat "$T")" > bad.vpc
"$vpckit" flowlogs bad.vpc --pcap a.pcap --out work/out >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q "account id 'abc'" "$tmp/err" || fail "topology account abc: exit $rc: $(head -c 300 "$tmp/err")"
[ -z "$(find work -type f)" ] || fail "topology account abc wrote $(find work -type f)"

# Good values: us-gov-west-1 and cn-north-1 are regions; files land only under out/.
for region in us-gov-west-1 cn-north-1 ap-southeast-2; do
  "$vpckit" flowlogs "$T" --pcap a.pcap --out work/out --region "$region" >/dev/null 2>"$tmp/err" \
    || fail "--region $region refused: $(cat "$tmp/err")"
done
[ -n "$(find work/out -name '*.log.gz')" ] || fail "good run wrote no .log.gz"
[ -z "$(find "$tmp" -type f -name '*.log.gz' ! -path "$tmp/work/out/*")" ] || fail "a file outside out/"
[ -z "$(find work/out -name '.*tmp*')" ] || fail "temporary files left behind"

# A symbolic link inside the output folder is not followed.
mkdir -p sym
ln -s "$tmp/outside" sym/AWSLogs
"$vpckit" flowlogs "$T" --pcap a.pcap --out sym >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && grep -q "symbolic link" "$tmp/err" || fail "symlink AWSLogs: exit $rc: $(head -c 300 "$tmp/err")"
[ -z "$(find outside -mindepth 1)" ] || fail "wrote through a symbolic link: $(find outside -mindepth 1)"

# ts_sec 0xFFFFFFFF is 2106-02-07, not -1 (1969): records and the S3 path say so.
python3 - <<'PY'
data = open('a.pcap', 'rb').read()
open('late.pcap', 'wb').write(data[:24] + (0xFFFFFFFF).to_bytes(4, 'little') + data[28:])
PY
"$vpckit" flowlogs "$T" --pcap late.pcap 2>/dev/null | grep -q ' 4294967295 4294967295 ACCEPT' || fail "ts_sec 0xFFFFFFFF: not 4294967295"
"$vpckit" flowlogs "$T" --pcap late.pcap --out late >/dev/null 2>&1 && [ -n "$(find late -path '*/2106/02/07/*.log.gz')" ] \
  || fail "ts_sec 0xFFFFFFFF: no 2106/02/07 file: $(find late -type f 2>/dev/null)"

if [ $failures -gt 0 ]; then echo "flowlogs-out.sh: $failures failure(s)" >&2; exit 1; fi
echo "flowlogs-out.sh: ok"
