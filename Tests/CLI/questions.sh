#!/usr/bin/env bash
# Issue 19: `vpckit who-can-reach`, `reachable-from` (grouped text, JSON, --why) and `matrix` (text, CSV, JSON,
# Markdown) end to end on the example topologies: exit codes, every JSON document valid against
# Docs/schemas/{who-can-reach,reachable-from,matrix}.schema.json (python jsonschema), the schemas rejecting wrong
# documents, and the CSV and Markdown tables holding exactly the JSON's cells.
# Usage: Tests/CLI/questions.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: questions.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "questions.sh: FAIL: $*" >&2; failures=$((failures + 1)); }

# A topology with a partly reachable subnet (db-nacl answers app-b on client ports 30000-65535 only) and two
# instances that reach each other on every protocol (sg open).
cat > partial.vpc <<'VPC'
vpc prod {
  cidr 10.0.0.0/16
  subnet app-a 10.0.1.0/24
  subnet app-b 10.0.2.0/24
  subnet data 10.0.9.0/24
  subnet open-s 10.0.3.0/24
  route-table rt main {
  }
  security-group app {
  }
  security-group db {
    ingress tcp 5432 from 10.0.0.0/16
  }
  security-group open {
    ingress all from sg open
  }
  network-acl db-nacl {
    associate data
    inbound 100 allow tcp 5432 from 10.0.0.0/16
    outbound 100 allow tcp 1024-65535 to 10.0.1.0/24
    outbound 110 allow tcp 30000-65535 to 10.0.2.0/24
  }
  instance a1 in app-a ip 10.0.1.10 sg app
  instance a2 in app-a ip 10.0.1.11 sg app
  instance b1 in app-b ip 10.0.2.10 sg app
  instance b2 in app-b ip 10.0.2.11 sg app
  instance db-1 in data ip 10.0.9.10 sg db
  instance o1 in open-s ip 10.0.3.10 sg open
  instance o2 in open-s ip 10.0.3.11 sg open
}
VPC

tt="$root/Topologies/three-tier.vpc"
edges="$root/Topologies/edges.vpc"

# run WANT-EXIT NAME ARGS…: runs vpckit ARGS, keeps stdout in NAME.out and stderr in NAME.err.
run() {
  local want=$1 name=$2; shift 2
  "$vpckit" "$@" >"$name.out" 2>"$name.err"; local rc=$?
  [ "$rc" = "$want" ] || fail "vpckit $* exited $rc, want $want: $(head -c 400 "$name.err")"
}

# who-can-reach / reachable-from: JSON documents to validate (SCHEMA FILE per line).
: >docs
i=0
for topo in "$tt" "$edges" "$root/Topologies/hub-and-spoke.vpc" "$root/Topologies/dual-stack.vpc" partial.vpc; do
  [ -f "$topo" ] || continue
  # Every source and destination name of the topology's parties: the instances and 'internet'.
  names=$(sed -n 's/^ *instance \([^ ]*\) .*/\1/p' "$topo" | head -n 8; echo internet)
  for end in $names; do
    for traffic in "" tcp/5432 tcp/22,443,8000-8080 udp/53 icmp; do
      i=$((i + 1))
      # shellcheck disable=SC2086
      run 0 "w$i" who-can-reach "$topo" "$end" $traffic --format json && echo "who-can-reach w$i.out" >>docs
      # shellcheck disable=SC2086
      run 0 "r$i" reachable-from "$topo" "$end" $traffic --format json && echo "reachable-from r$i.out" >>docs
      # shellcheck disable=SC2086
      run 0 "t$i" who-can-reach "$topo" "$end" $traffic
      head -n 1 "t$i.out" | grep -Eq "^[0-9]+ sources? can reach " || fail "who-can-reach $topo $end $traffic: header $(head -n 1 "t$i.out")"
    done
  done
done
for by in subnet security-group vpc tag:env tag:Name; do
  for topo in "$tt" "$edges" partial.vpc; do
    i=$((i + 1))
    run 0 "m$i" matrix "$topo" --by "$by" --format json && echo "matrix m$i.out" >>docs
    run 0 "m$i.csv" matrix "$topo" --by "$by" --format csv
    run 0 "m$i.md" matrix "$topo" --by "$by" --format markdown
    run 0 "m$i.txt" matrix "$topo" --by "$by"
    echo "m$i" >>tables
  done
done
run 0 m.tcp matrix "$tt" --by subnet tcp/5432,8080 --format json && echo "matrix m.tcp.out" >>docs
run 0 m.newline matrix "$tt" --by "$(printf 'tag:a\nb')" --format json && echo "matrix m.newline.out" >>docs
run 0 m.oneway matrix "$tt" --by vpc --one-way --client-ports linux --format json && echo "matrix m.oneway.out" >>docs

# Grouped text: a subnet line with the partial grant and its client ports.
run 0 g who-can-reach partial.vpc db-1
grep -qx "  subnet app-a (2 interfaces): tcp/5432" g.out || fail "no subnet line for app-a: $(cat g.out)"
grep -qx "  subnet app-b (2 interfaces): partly tcp/5432 (client ports 30000-65535)" g.out || fail "no partial subnet line: $(cat g.out)"
run 0 g2 who-can-reach "$tt" db-1
grep -qx "  security group app (2 interfaces): tcp/5432" g2.out || fail "no security-group line: $(cat g2.out)"

# --why: reach's path (text = reach's text after one summary line; JSON = reach JSON), exit 0; bad name exit 2.
run 0 why who-can-reach "$tt" db-1 --why app-1
run 0 reach reach "$tt" app-1 db-1 tcp/5432
[ "$(tail -n +2 why.out)" = "$(cat reach.out)" ] || fail "--why app-1 is not reach's text"
head -n 1 why.out | grep -qx "app-1 -> db-1: tcp/5432" || fail "--why summary: $(head -n 1 why.out)"
run 0 whyb who-can-reach "$tt" db-1 --why web-1
grep -q "^blocked by " whyb.out || fail "--why web-1 shows no blocker: $(head -c 300 whyb.out)"
run 0 whyj reachable-from "$tt" app-1 --why db-1 --format json
run 2 whybad who-can-reach "$tt" db-1 --why app-9
grep -q "did you mean 'app-1'" whybad.err || fail "--why app-9: no did-you-mean: $(cat whybad.err)"

# Bad input: exit 2 with a message.
run 2 bad1 matrix "$tt" --by az
run 2 bad2 matrix "$tt" --by vpc tcp/70000
run 2 bad3 who-can-reach "$tt" db-9
run 2 bad4 reachable-from "$tt" app-1 udp/x
run 2 bad5 matrix "$tmp/missing.vpc" --by vpc
for n in 1 2 3 4 5; do [ -s "bad$n.err" ] || fail "bad input $n: nothing on stderr"; done
# Bad topologies and hostile names: exit 2, a message, no trap, no raw control character on stderr or stdout.
: >empty.vpc
mkdir folder
head -c 4096 /dev/urandom >garbage.bin
printf 'vpc a {\000 cidr 10.0.0.0/16 }\n' >nul.vpc
printf 'vpc a { cidr 10.0.0.0/16 \033[31m }\n' >escape.vpc
n=0
check_clean() {
  if grep -aq 'Fatal error\|Stack dump' "$1.err"; then fail "$2: trapped"; fi
  if LC_ALL=C grep -aqP '[\x00-\x08\x0b-\x1f\x7f]' "$1.err" "$1.out"; then fail "$2: a raw control character in the output"; fi
}
for bad in missing.vpc folder garbage.bin nul.vpc escape.vpc; do
  for args in "who-can-reach $bad a" "reachable-from $bad a" "matrix $bad --by vpc"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    run 2 "rb$n" $args
    [ -s "rb$n.err" ] || fail "vpckit $args: exit 2 without a message"
    check_clean "rb$n" "vpckit $args"
  done
done
esc=$(printf 'db\033[31m')
run 2 h1 who-can-reach "$tt" "$esc"; check_clean h1 "who-can-reach with an escape in the target"
run 2 h2 reachable-from "$tt" app-1 --why "$esc"; check_clean h2 "--why with an escape"
run 2 h3 matrix "$tt" --by "$esc"; check_clean h3 "--by with an escape"
run 0 h4 matrix "$tt" --by "tag:$esc"; check_clean h4 "--by tag: with an escape"
run 0 h5 matrix empty.vpc --by subnet --format csv

python3 - "$root/Docs/schemas" <<'PY' || failures=$((failures + 1))
import csv, copy, io, json, sys
import jsonschema
folder = sys.argv[1]
validators = {}
for name in ("who-can-reach", "reachable-from", "matrix"):
    schema = json.load(open(f"{folder}/{name}.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validators[name] = jsonschema.Draft202012Validator(schema)
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("questions.sh: FAIL:", msg, file=sys.stderr)
seen = set()
samples = {}
for line in open("docs"):
    name, path = line.split()
    doc = json.load(open(path))
    for e in sorted(validators[name].iter_errors(doc), key=lambda e: list(e.path))[:3]:
        fail(f"{name} {path}: {list(e.path)}: {e.message[:200]}")
    items = doc.get("sources", doc.get("destinations", doc.get("cells", [])))
    for it in items:
        seen.add(name + ":nonempty")
        samples.setdefault(name, doc)
        if it["partial"]: seen.add(name + ":partial"); samples[name + ":partial"] = doc
        for g in it["allowed"]: seen.add(name + ":" + g["protocol"])
        if "kind" in it: seen.add(name + ":kind:" + it["kind"])
for want in ("who-can-reach:nonempty", "reachable-from:nonempty", "matrix:nonempty", "who-can-reach:partial", "matrix:partial",
             "who-can-reach:kind:internet", "who-can-reach:kind:onprem", "reachable-from:kind:vpc-endpoint", "who-can-reach:tcp",
             "who-can-reach:icmp", "matrix:all", "who-can-reach:all"):
    if want not in seen:
        fail(f"no document covered {want}")

# The schemas fail on wrong documents.
def rejects(name, doc, what):
    if validators[name].is_valid(doc): fail(f"{name} schema accepts {what}")
w = samples.get("who-can-reach:partial")
if w:
    d = copy.deepcopy(w); d["sources"][0]["allowed"] = []; d["sources"][0]["partial"] = []; rejects("who-can-reach", d, "a source with nothing")
    d = copy.deepcopy(w); d["sources"][0]["kind"] = "vpc-endpoint"; rejects("who-can-reach", d, "a vpc-endpoint source")
    d = copy.deepcopy(w); d["sources"][0]["allowed"] = [{"protocol": "all", "ports": "1-65535"}]; rejects("who-can-reach", d, "ports on all")
    d = copy.deepcopy(w); p = next(s for s in d["sources"] if s["partial"]); del p["partial"][0]["clientPorts"]
    rejects("who-can-reach", d, "a partial grant without clientPorts")
    d = copy.deepcopy(w); d["sources"][0]["allowed"] = [{"protocol": "tcp", "ports": "80;90"}]; rejects("who-can-reach", d, "bad ports")
    d = copy.deepcopy(w); d["sources"][0]["allowed"] = [{"protocol": "tcp"}]; rejects("who-can-reach", d, "tcp without ports")
    d = copy.deepcopy(w); d["sources"][0]["allowed"] = [{"protocol": "all"}, {"protocol": "tcp", "ports": "22"}]; rejects("who-can-reach", d, "all with more")
    d = copy.deepcopy(w); d["targets"] = d.pop("target"); rejects("who-can-reach", d, "a renamed key")
m = samples.get("matrix:partial")
if m:
    d = copy.deepcopy(m); d["by"] = "az"; rejects("matrix", d, "by az")
    d = copy.deepcopy(m); d["groups"].append(d["groups"][0]); rejects("matrix", d, "a group twice")
    d = copy.deepcopy(m); d["cells"][0]["allowed"] = []; d["cells"][0]["partial"] = []; rejects("matrix", d, "an empty cell")

# CSV and Markdown hold exactly the JSON's cells; text has one line per row.
def cell_text(c):
    return ", ".join([g["protocol"] + ("/" + g["ports"] if "ports" in g else "") if g["protocol"] in ("tcp", "udp", "icmp", "icmpv6", "all")
                      else "proto " + g["protocol"] for g in c["allowed"]] +
                     [g["protocol"] + "/" + g["ports"] + " (partly)" for g in c["partial"]])
tables = 0
for base in open("tables").read().split():
    doc = json.load(open(base + ".out"))
    cells = {(c["source"], c["destination"]): cell_text(c) for c in doc["cells"]}
    raw = open(base + ".csv.out", newline="").read()
    if raw and not raw.endswith("\r\n"): fail(f"{base}.csv: lines do not end in CRLF")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header, body = rows[0], rows[1:]
    if header[0] != "source \\ destination": fail(f"{base}.csv: corner {header[0]!r}")
    columns = header[1:]
    got = {(r[0], columns[j]): v for r in body for j, v in enumerate(r[1:]) if v}
    if got != cells: fail(f"{base}.csv: cells differ from JSON: {sorted(set(got.items()) ^ set(cells.items()))[:4]}")
    if not set(columns) | {r[0] for r in body} <= set(doc["groups"]): fail(f"{base}.csv: labels not in groups")
    md = open(base + ".md.out").read().splitlines()
    if len(md) != len(body) + 2 or md[1] != "|" + " --- |" * len(header): fail(f"{base}.md: {len(md)} lines for {len(body)} rows")
    for line in md:
        if line.replace("\\|", "").count("|") != len(header) + 1: fail(f"{base}.md: wrong column count: {line}")
    txt = open(base + ".txt.out").read().splitlines()
    if len(txt) != len(body) + 2: fail(f"{base}.txt: {len(txt)} lines for {len(body)} rows")
    tables += 1
    if cells: seen.add("tables:nonempty")
if "tables:nonempty" not in seen: fail("no table had a cell")
print(f"questions.sh: {sum(1 for _ in open('docs'))} JSON documents, {tables} tables checked")
sys.exit(1 if bad else 0)
PY

[ "$failures" = 0 ] && echo "questions.sh: ok"
exit $(( failures > 0 ))
