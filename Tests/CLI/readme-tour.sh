#!/usr/bin/env bash
# The README's commands that name files of the repository run as written and exit as the README says
# (Quick start, the tour table, the command sections); the bundled capture is what its script writes;
# `vpckit flowlogs --explain` / `--format json` explain the capture's REJECT records; `Scripts/install` installs
# into a PREFIX. Usage: Tests/CLI/readme-tour.sh PATH/TO/vpckit
set -euo pipefail
vpckit=${1:?usage: readme-tour.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "readme-tour.sh: FAIL: $*" >&2; exit 1; }
mkdir "$tmp/bin"
ln -s "$vpckit" "$tmp/bin/vpckit"

# Expected exit status of each README command that runs on repository files (a new or changed README
# command must be added here: the check fails on a command it does not know).
declare -A expected=(
  ["vpckit reach Topologies/three-tier.vpc app-1 db-1 tcp/5432"]=0
  ["vpckit reach Topologies/load-balancers.vpc internet web-alb tcp/443"]=0
  ["vpckit reach Topologies/inspection-vpc.vpc internet web-1 tcp/443"]=0
  ["vpckit cidr overlaps --format github Tests/CLI/fixtures/clean.txt Tests/CLI/fixtures/overlapping.txt"]=1
  ["vpckit check Topologies/three-tier.vpc"]=0
  ["vpckit fmt --check Topologies/*.vpc"]=0
  ["vpckit export Topologies/three-tier.vpc --format json"]=0
  ["vpckit route Topologies/three-tier.vpc app-a 10.10.20.7"]=0
  ["vpckit flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --explain"]=0
  ["vpckit lint --format sarif Topologies/*.vpc > lint.sarif"]=1
  ["vpckit check --format junit Topologies/*.vpc > check.xml"]=0
  ["vpckit import aws Tests/ImportersTests/Fixtures/moto/three-tier -o prod.vpc"]=0
  ["vpckit generate --vpcs 2000 > /tmp/large.vpc"]=0
  ["vpckit cidr info 10.0.0.0/24"]=0
  ["vpckit cidr split 10.0.0.0/16 --into /20"]=0
  ["vpckit cidr free 10.10.0.0/16 --used Topologies/three-tier.vpc --size /24 --count 3"]=0
  ["vpckit reach Topologies/three-tier.vpc internet web-1"]=0
  ["vpckit who-can-reach Topologies/three-tier.vpc db-1"]=0
  ["vpckit matrix Topologies/three-tier.vpc --by security-group"]=0
  ["vpckit diff Tests/ImportersTests/Fixtures/terraform/plan-diff.json"]=1
  ["vpckit graph Topologies/three-tier.vpc --path web-1 db-1 tcp/5432 -o three-tier.dot"]=0
  ["vpckit graph Topologies/three-tier.vpc --path web-1 db-1 tcp/5432 --format svg -o three-tier.svg"]=0
  ["vpckit graph Topologies/hub-and-spoke.vpc --focus spoke-a --format mermaid"]=0
  ["vpckit reach Topologies/three-tier.vpc web-1 db-1 tcp/5432 --graph why.html"]=1
  ["vpckit graph Topologies/lint-findings.vpc --lint --format html -o lint.html"]=0
  ["vpckit flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --format json"]=0
  ["vpckit flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --pcap Topologies/flowlogs-session.pcap --per-capture"]=0
)

# The commands: `vpckit …` lines of ```sh blocks and `vpckit …` examples of table rows, comments dropped; a
# command runs when every file it reads exists in the repository (outputs, after -o or >, go to $tmp).
python3 - "$root/README.md" "$root" >"$tmp/commands" <<'PY'
import glob, os, re, sys
text, root = open(sys.argv[1]).read(), sys.argv[2]
found, in_sh = [], False
for line in text.split("\n"):
    if line.startswith("```"):
        in_sh = (line.strip() == "```sh") if not in_sh else False
        continue
    candidates = [line] if in_sh else (re.findall(r"`(vpckit [^`]*)`", line) if line.startswith("|") else [])
    for c in candidates:
        c = re.sub(r"^\./Scripts/bootstrap && swift run -c release vpckit ", "vpckit ", c.strip())
        c = re.sub(r"\s+#.*$", "", c).strip()
        if c.startswith("vpckit ") and c not in found:
            found.append(c)
for c in found:
    words = c.split()
    outputs = {i + 1 for i, w in enumerate(words) if w in ("-o", ">", "--out")}
    reads = [w for i, w in enumerate(words) if i not in outputs and not w.startswith("/")
             and not re.match(r"^(tcp|udp|icmp|icmpv6|proto)/", w) and not re.match(r"^[0-9a-f.:]+/\d+$", w)
             and ("/" in w or re.search(r"\.(vpc|txt|pcap|json|sarif)$", w))]
    runnable = "FILE..." not in words and all(glob.glob(os.path.join(root, p)) for p in reads)
    print(("run" if runnable else "skip") + "\t" + c)
PY
ran=0
n=0
while IFS=$'\t' read -r what command; do
  [ "$what" = run ] || continue
  n=$((n + 1))
  [ -n "${expected[$command]+x}" ] || fail "README command without an expected exit status (add it to readme-tour.sh): $command"
  # Outputs into $tmp: '> FILE', '-o FILE' and '--graph FILE' (keeping its extension: it names the format).
  shell=$(printf '%s' "$command" | sed -E "s#> *[^ ]+#> $tmp/out.$n#; s#-o +[^ ]+#-o $tmp/out.$n.vpc#; s#--graph +([^ ]+)#--graph $tmp/out.$n.\\1#")
  set +e
  (cd "$root" && PATH="$tmp/bin:$PATH" bash -c "$shell" >"$tmp/stdout.$n" 2>"$tmp/stderr.$n")
  rc=$?
  set -e
  [ $rc -eq "${expected[$command]}" ] || fail "'$command': exit $rc, want ${expected[$command]}: $(head -c 2000 "$tmp/stderr.$n")"
  ran=$((ran + 1))
done <"$tmp/commands"
# The README's quick start, the tour table and the flowlogs section all ran (not skipped as missing files).
[ $ran -ge 14 ] || fail "only $ran README commands ran: $(cat "$tmp/commands")"
for c in "vpckit reach Topologies/three-tier.vpc app-1 db-1 tcp/5432" \
         "vpckit check Topologies/three-tier.vpc" "vpckit check --format junit Topologies/*.vpc > check.xml" \
         "vpckit lint --format sarif Topologies/*.vpc > lint.sarif" \
         "vpckit flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --explain"; do
  grep -qxF "run	$c" "$tmp/commands" || fail "README command not run: $c"
done

# The bundled capture is exactly what its script writes.
python3 "$root/Scripts/flowlogs-session-pcap.py" "$tmp/session.pcap"
cmp -s "$tmp/session.pcap" "$root/Topologies/flowlogs-session.pcap" \
  || fail "Topologies/flowlogs-session.pcap differs from what Scripts/flowlogs-session-pcap.py writes"

# --explain: one '# REJECT' line right after each REJECT record (and none elsewhere): the NACL's implicit
# rule for SSH and SNMP from the internet, security group app for SSH from the web tier.
cd "$root"
"$vpckit" flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --explain >"$tmp/explain" 2>"$tmp/err" \
  || fail "flowlogs --explain: $(cat "$tmp/err")"
python3 - "$tmp/explain" <<'PY' || fail "flowlogs --explain output: $(cat "$tmp/explain")"
import sys
lines = open(sys.argv[1]).read().splitlines()
rejects = [i for i, l in enumerate(lines) if l.endswith(" REJECT OK")]
comments = [i for i, l in enumerate(lines) if l.startswith("#")]
assert len(rejects) == 3 and comments == [i + 1 for i in rejects], (rejects, comments)
texts = [lines[i] for i in comments]
assert texts[0].startswith("# REJECT SUBNET_ACL_RESTRICTION at network-acl public-nacl inbound, rule * "), texts
assert "(Topologies/flowlogs-session.vpc:39)" in texts[0] and "tcp/22 from 198.51.100.66" in texts[0], texts
assert "udp/161 from 198.51.100.9" in texts[1], texts
assert texts[2].startswith("# REJECT ENI_SG_RULES_MISMATCH at security-group app ingress, no rule admits (Topologies/flowlogs-session.vpc:35)"), texts
PY
# The README's sample of it is what the command prints.
python3 - "$root/README.md" "$tmp/explain" <<'PY' || fail "README's flowlogs --explain sample differs from the output"
import sys
readme, output = open(sys.argv[1]).read().splitlines(), set(open(sys.argv[2]).read().splitlines())
sample = [l for l in readme if l.startswith("# REJECT ") or (l.startswith("2 111122223333 ") and l.endswith(" OK"))]
assert len(sample) >= 4 and all(l in output for l in sample), [l for l in sample if l not in output]
PY
# Without --explain the records are the same and there are no comment lines.
"$vpckit" flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap >"$tmp/plain" 2>/dev/null
grep -v '^#' "$tmp/explain" | cmp -s - "$tmp/plain" || fail "--explain changed the record lines"
# --format json: a reject-reason member on each REJECT record, with structured values.
"$vpckit" flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --format json >"$tmp/json" 2>/dev/null
python3 - "$tmp/json" <<'PY' || fail "flowlogs --format json reject-reason"
import json, sys
records = json.load(open(sys.argv[1]))["records"]
assert [("reject-reason" in r) for r in records] == [r["action"] == "REJECT" for r in records], records
reasons = [r["reject-reason"] for r in records if r["action"] == "REJECT"]
assert [x["code"] for x in reasons] == ["SUBNET_ACL_RESTRICTION", "SUBNET_ACL_RESTRICTION", "ENI_SG_RULES_MISMATCH"], reasons
assert reasons[0]["component"] == {"kind": "network-acl", "name": "public-nacl", "id": None}, reasons[0]
assert reasons[0]["rule"] == {"number": 32767, "text": "inbound * deny all (implicit)"} and reasons[0]["direction"] == "inbound"
assert (reasons[0]["file"], reasons[0]["line"]) == ("Topologies/flowlogs-session.vpc", 39), reasons[0]
assert reasons[2]["rule"] is None and reasons[2]["direction"] == "ingress" and reasons[2]["line"] == 35, reasons[2]
assert reasons[2]["component"]["kind"] == "security-group" and reasons[2]["component"]["name"] == "app", reasons[2]
PY
# --explain with --out (S3 files hold only records) is a usage error.
set +e
"$vpckit" flowlogs Topologies/flowlogs-session.vpc --pcap Topologies/flowlogs-session.pcap --explain --out "$tmp/s3" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "--explain --out: exit $rc, want 2"
[ ! -e "$tmp/s3" ] || fail "--explain --out wrote files"

# 'proto 47' is the one spelling: reach takes it as TRAFFIC (as the language writes it), prints it, and its
# help names it so ('proto/47' is still read, the same answer).
set +e
"$vpckit" reach Topologies/three-tier.vpc app-1 db-1 'proto 47' >"$tmp/gre" 2>&1; rc=$?
set -e
[ $rc -eq 1 ] && [ "$(head -1 "$tmp/gre")" = "app-1 -> db-1 proto 47: not reachable" ] || fail "reach 'proto 47': exit $rc: $(cat "$tmp/gre")"
set +e
"$vpckit" reach Topologies/three-tier.vpc app-1 db-1 proto/47 >"$tmp/gre-slash" 2>&1
set -e
cmp -s "$tmp/gre-slash" "$tmp/gre" || fail "reach proto/47 differs from 'proto 47'"
"$vpckit" reach --help >"$tmp/help" 2>&1 || true
grep -q "'proto 47'" "$tmp/help" || fail "reach --help does not spell 'proto 47'"
! grep -q "proto/" "$tmp/help" || fail "reach --help spells proto/N"

# Scripts/install into a temporary PREFIX (the debug build, which the tests already built), then the copy runs.
"$root/Scripts/install" -c debug "$tmp/prefix" >/dev/null 2>"$tmp/err" || fail "Scripts/install: $(cat "$tmp/err")"
[ -x "$tmp/prefix/bin/vpckit" ] || fail "Scripts/install left no $tmp/prefix/bin/vpckit"
"$tmp/prefix/bin/vpckit" check Topologies/three-tier.vpc >/dev/null 2>&1 || fail "the installed vpckit does not run"
set +e
"$root/Scripts/install" -c bogus "$tmp/prefix" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "Scripts/install -c bogus: exit $rc, want 2"
chmod 555 "$tmp/prefix/bin"
if [ ! -w "$tmp/prefix/bin" ]; then  # (root writes anyway)
  "$root/Scripts/install" -c debug "$tmp/prefix" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 1 ] && grep -q "cannot write to" "$tmp/err" || fail "Scripts/install to a read-only PREFIX: exit $rc: $(cat "$tmp/err")"
fi
chmod 755 "$tmp/prefix/bin"
set -e
echo "README tour checks passed ($ran commands)"
