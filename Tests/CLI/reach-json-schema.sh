#!/usr/bin/env bash
# Issue 17 point 3: `vpckit reach --format json` (one traffic, and every protocol) validates against the
# versioned schema Docs/schemas/reach.schema.json (Docs/REACH-JSON.md), for reachable, partly reachable,
# blocked and unproven answers, NAT translations and internet queries; the schema rejects contradictory
# documents (reachable with an explanation, unproven without UNSUPPORTED_COMPONENT). Needs python jsonschema.
# Usage: Tests/CLI/reach-json-schema.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: reach-json-schema.sh PATH/TO/vpckit}
case $vpckit in /*) ;; *) vpckit="$(pwd)/$vpckit" ;; esac
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat > unmodelled.vpc <<'VPC'
vpc prod {
  cidr 10.0.0.0/16
  subnet app-a 10.0.1.0/24
  route-table rt main {
    route 10.8.0.0/16 -> unmodelled vgw-0abc123
  }
  security-group open {
    egress all to 0.0.0.0/0
  }
  instance app-1 in app-a ip 10.0.1.10 sg open
}
VPC

# Each line: want-exit-code, want-disposition (or - for the every-protocol shape), then the arguments.
cat > queries <<EOF2
0 reachable $root/Topologies/three-tier.vpc web-1 internet tcp/443
0 reachable $root/Topologies/three-tier.vpc internet web-1 tcp/443
1 blocked $root/Topologies/three-tier.vpc app-1 db-1 tcp/22
0 reachable $root/Topologies/three-tier.vpc app-1 db-1 tcp/5432
0 reachable $root/Topologies/three-tier.vpc app-1 internet tcp/443
1 blocked $root/Topologies/three-tier.vpc db-1 internet tcp/443
1 blocked $root/Topologies/three-tier.vpc internet db-1 tcp/5432
1 unproven unmodelled.vpc app-1 10.8.0.1 tcp/443
1 blocked $root/Topologies/three-tier.vpc web-1 internet icmp
1 blocked $root/Topologies/three-tier.vpc internet web-1 proto/47
0 reachable $root/Topologies/dual-stack.vpc web-1 internet tcp/443
0 reachable $root/Topologies/hub-and-spoke.vpc app-a1 app-b1 tcp/443
0 - $root/Topologies/three-tier.vpc internet web-1
1 - $root/Topologies/three-tier.vpc internet db-1
0 reachable $root/Topologies/edges.vpc app-1 s3-gw tcp/443
1 blocked $root/Topologies/edges.vpc app-1 s3-gw udp/443
0 reachable $root/Topologies/edges.vpc app-1 ssm tcp/443
1 blocked $root/Topologies/edges.vpc ssm app-1 tcp/443
1 blocked $root/Topologies/edges.vpc s3-gw app-1 tcp/443
0 - $root/Topologies/edges.vpc app-1 s3-gw
EOF2
if [ ! -f "$root/Topologies/edges.vpc" ]; then sed -i '/edges.vpc/d' queries; fi
if ! grep -q "^ *instance web-1" "$root/Topologies/dual-stack.vpc"; then sed -i '/dual-stack/d' queries; fi
if ! grep -q "^ *instance app-b1" "$root/Topologies/hub-and-spoke.vpc"; then sed -i '/hub-and-spoke/d' queries; fi

i=0
while read -r want disp args; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  "$vpckit" reach $args --format json >"out$i.json" 2>"err$i"; rc=$?
  echo "$rc $want $disp $args" >>"runs"
done <queries

python3 - "$root/Docs/schemas/reach.schema.json" <<'PY'
import json, sys, copy
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
failures = 0
def fail(msg):
    global failures
    failures += 1
    print("reach-json-schema.sh: FAIL:", msg, file=sys.stderr)
seen = set()
docs = []
for i, line in enumerate(open("runs"), 1):
    rc, want, disp, args = line.rstrip("\n").split(" ", 3)
    if rc != want:
        fail(f"vpckit reach {args} exited {rc}, want {want}: {open(f'err{i}').read()[:300]}")
        continue
    doc = json.load(open(f"out{i}.json"))
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:3]:
        fail(f"vpckit reach {args}: {list(e.path)}: {e.message[:200]}")
    if doc.get("schemaVersion") != 3:
        fail(f"vpckit reach {args}: schemaVersion {doc.get('schemaVersion')!r}")
    if disp != "-":
        if doc.get("disposition") != disp:
            fail(f"vpckit reach {args}: disposition {doc.get('disposition')!r}, want {disp}")
        seen.add(disp)
        docs.append(doc)
        for path in ("forwardPath", "returnPath", "blockedReturnPath"):
            for hop in doc[path]:
                seen.add("step:" + hop["step"]["kind"])
                if hop["rewrite"] is not None:
                    seen.add("rewrite")
        # Version 3: the explanation's and every blocker's `detail` is the typed detail, its sentence `detailText`.
        for e in ([doc["explanation"]] if doc["explanation"] else []) + doc["blockers"]:
            seen.add("detail:" + e["detail"]["kind"])
            if not e["detailText"] or e["detailText"] not in (doc["explanation"] or {}).get("text", "") + "".join(b["detailText"] for b in doc["blockers"]):
                fail(f"vpckit reach {args}: detailText {e['detailText']!r} is not the sentence of the answer")
    else:
        seen.add("openPorts")
for want in ("reachable", "blocked", "unproven", "openPorts", "rewrite", "step:sourceTranslated", "step:networkACLAllowed",
             "detail:securityGroupRules", "detail:route", "detail:gateway"):
    if want not in seen:
        fail(f"no query covered {want}")
# The schema can fail: contradictory or incomplete documents are rejected.
reachable = next((d for d in docs if d["disposition"] == "reachable"), None)
blocked = next((d for d in docs if d["disposition"] == "blocked"), None)
if reachable and blocked:
    bad = copy.deepcopy(reachable); bad["explanation"] = blocked["explanation"]
    if v.is_valid(bad): fail("schema accepts a reachable answer with an explanation")
    bad = copy.deepcopy(blocked); bad["disposition"] = "unproven"
    if v.is_valid(bad): fail("schema accepts an unproven answer whose code is not UNSUPPORTED_COMPONENT")
    bad = copy.deepcopy(reachable); bad["forwardPath"][0]["step"] = {"kind": "teleported"}
    if v.is_valid(bad): fail("schema accepts an unknown step kind")
    bad = copy.deepcopy(blocked); bad["explanation"]["detail"] = bad["explanation"]["detailText"]
    if v.is_valid(bad): fail("schema accepts a version-2 string detail")
    bad = copy.deepcopy(blocked); bad["explanation"]["detail"]["kind"] = "teleported"
    if v.is_valid(bad): fail("schema accepts an unknown detail kind")
    bad = copy.deepcopy(reachable); bad["forward_path"] = bad.pop("forwardPath")
    if v.is_valid(bad): fail("schema accepts a snake_case key")
sys.exit(1 if failures else 0)
PY
rc=$?
[ "$rc" = 0 ] && echo "reach-json-schema.sh: ok ($(wc -l <runs) queries)"
exit "$rc"
