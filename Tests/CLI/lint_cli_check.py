#!/usr/bin/env python3
"""CI cross-check of `vpckit lint` (run by .ci/run after `swift test`: Tests/CLI/lint_cli_check.py PATH/TO/vpckit).

Runs the built binary on the examples and checks: exit codes (1 with findings, 0 clean, 2 on bad input),
SARIF 2.1.0 validity against the official schema (/work/shared copy, or Tests/ copy), and that every SARIF
result names a catalogued rule, a file and a line >= 1.
"""
import json
import os
import subprocess
import sys

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
vpckit = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "debug", "vpckit")
# The SARIF 2.1.0 schema: $SARIF_SCHEMA, or ../shared beside the checkout (the project's shared reference folder).
schema_paths = [os.environ.get("SARIF_SCHEMA", ""), os.path.join(root, "..", "shared", "sarif-schema-2.1.0.json")]
schema_path = next((p for p in schema_paths if p and os.path.exists(p)), None)


def run(*args):
    return subprocess.run([vpckit, "lint", *args], cwd=root, capture_output=True, text=True)


failures = []

# Findings: exit 1, valid SARIF.
showcase = "Topologies/lint-findings.vpc"
r = run("--format", "sarif", "--min-severity", "note", showcase)
if r.returncode != 1:
    failures.append(f"{showcase}: exit {r.returncode}, expected 1\n{r.stderr}")
doc = json.loads(r.stdout)
if schema_path:
    schema = json.load(open(schema_path))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:10]:
        failures.append(f"SARIF schema: {list(e.path)}: {e.message[:300]}")
else:
    print("lint_cli_check: warning: SARIF schema not found (set SARIF_SCHEMA); schema validation skipped")
run0 = doc["runs"][0]
rules = [r["id"] for r in run0["tool"]["driver"]["rules"]]
results = run0["results"]
if len(results) < 20:
    failures.append(f"only {len(results)} SARIF results for {showcase}")
for res in results:
    if res["ruleId"] not in rules or rules[res["ruleIndex"]] != res["ruleId"]:
        failures.append(f"result cites unknown rule or wrong index: {res['ruleId']}")
    loc = res["locations"][0]["physicalLocation"]
    if loc["artifactLocation"]["uri"] != showcase or loc["region"]["startLine"] < 1:
        failures.append(f"bad location {loc}")

# The other formats parse / look right.
r = run("--format", "json", showcase)
if r.returncode != 1 or json.loads(r.stdout)["count"] < 1:
    failures.append("json format")
r = run("--format", "github", showcase)
if r.returncode != 1 or not r.stdout.startswith("::"):
    failures.append("github format")

# Clean example: exit 0. Bad input: exit 2. Unknown rule / severity: exit 2.
for args, want in [(["Topologies/three-tier.vpc"], 0),
                   (["--disable", "no-such-rule", "Topologies/three-tier.vpc"], 2),
                   (["--min-severity", "loud", "Topologies/three-tier.vpc"], 2),
                   (["--internet-ports", "80,x", "Topologies/three-tier.vpc"], 2),
                   (["Topologies/does-not-exist.vpc"], 2),
                   (["--min-severity", "error", "--disable", "sg-ssh-open-world", "--disable", "sg-rdp-open-world",
                     "--disable", "sg-all-ports-open-world", "--disable", "nacl-ssh-open-world",
                     "--disable", "nat-gateway-no-igw-route", "--disable", "tgw-attachment-no-association", showcase], 0)]:
    r = run(*args)
    if r.returncode != want:
        failures.append(f"vpckit lint {' '.join(args)}: exit {r.returncode}, expected {want}\n{r.stdout}{r.stderr}")
broken = sorted(f for f in os.listdir(os.path.join(root, "Topologies", "broken")) if f.endswith(".vpc")) \
    if os.path.isdir(os.path.join(root, "Topologies", "broken")) else []
for name in broken[:3]:
    r = run(os.path.join("Topologies", "broken", name))
    if r.returncode != 2:
        failures.append(f"broken/{name}: exit {r.returncode}, expected 2")


def schema_errors(doc, what):
    if not schema_path:
        return
    schema = json.load(open(schema_path))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))[:10]:
        failures.append(f"{what}: SARIF schema: {list(e.path)}: {e.message[:300]}")


# Findings on an imported network name the describe-* file, line and column of the resource's JSON object.
batfish = next((p for p in [os.path.join(root, "..", "shared", "aws-snapshots", "batfish"),
                            "/work/shared/aws-snapshots/batfish"] if os.path.isdir(p)), None)
if batfish:
    snapshot = os.path.join(batfish, "test-vpn-gateway")
    r = run(snapshot)
    acl = os.path.join(snapshot, "aws_configs", "NetworkAcls.json")
    group = os.path.join(snapshot, "aws_configs", "SecurityGroups.json")
    if r.returncode != 1:
        failures.append(f"lint {snapshot}: exit {r.returncode}, expected 1\n{r.stderr}")
    if f"{acl}:26:5: error: network ACL 'acl-0ae73e62fae564306' rule 100 allows tcp/22 in from 0.0.0.0/0 [nacl-ssh-open-world]" not in r.stdout:
        failures.append(f"lint {snapshot}: the NACL rule's finding does not name NetworkAcls.json:26:5\n{r.stdout}")
    if f"{group}:3:3: warning: default security group of VPC 'vpc-0b966fdeb36d5e43f'" not in r.stdout:
        failures.append(f"lint {snapshot}: the default group's finding does not name SecurityGroups.json:3:3\n{r.stdout}")
    if ":0:1:" in r.stdout or any(line.startswith(":") for line in r.stdout.splitlines()):
        failures.append(f"lint {snapshot}: a finding without its file\n{r.stdout}")
    # A reach blocker on an imported group: the fix is a statement in the language, naming where the group came from.
    pps = os.path.join(batfish, "test-public-private-subnet")
    r = subprocess.run([vpckit, "reach", pps, "internet", "i-094a9e5b545a4fde4", "tcp/3306"], cwd=root, capture_output=True, text=True)
    pps_groups = os.path.join(pps, "aws_configs", "SecurityGroups.json")
    want = f"fix: add 'ingress tcp 3306 from 0.0.0.0/0' to security-group launch-wizard-2 (imported from {pps_groups}:72:3)"
    if r.returncode != 1 or want not in r.stdout:
        failures.append(f"reach {pps}: exit {r.returncode}; the blocker's fix does not name {pps_groups}:72:3\n{r.stdout}")
    r = run("--format", "sarif", snapshot)
    doc = json.loads(r.stdout)
    schema_errors(doc, f"lint sarif {snapshot}")
    for res in doc["runs"][0]["results"]:
        loc = res["locations"][0]["physicalLocation"]
        if not loc["artifactLocation"]["uri"].endswith(".json") or loc["region"]["startLine"] < 1 \
                or loc["region"]["startColumn"] < 1:
            failures.append(f"lint sarif {snapshot}: bad location {loc}")
else:
    print("lint_cli_check: warning: Batfish snapshots not found; imported-location checks skipped")

# What --onprem adds is located at the option: `--onprem CIDR@EDGE: warning: …`, and the SARIF still validates.
onprem = "10.0.10.0/24@office-vpn"
r = run("Topologies/edges.vpc", "--onprem", onprem)
if f"--onprem {onprem}: warning: on-premises network '10.0.10.0/24'" not in r.stdout:
    failures.append(f"lint --onprem: the finding does not name the option\n{r.stdout}")
r = run("--format", "sarif", "Topologies/edges.vpc", "--onprem", onprem)
doc = json.loads(r.stdout)
schema_errors(doc, "lint sarif --onprem")
uris = [res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in doc["runs"][0]["results"]]
if "--onprem%2010.0.10.0/24%40office-vpn" not in uris:
    failures.append(f"lint sarif --onprem: no result at the option: {uris}")

if failures:
    print("lint_cli_check: FAILED")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print(f"lint_cli_check: ok ({len(results)} SARIF results{' valid against ' + schema_path if schema_path else ''}; exit codes 0/1/2)")
