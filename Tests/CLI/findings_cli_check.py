#!/usr/bin/env python3
"""CI check of suppressions, baselines, fix-its and `check --format sarif|junit` (run by .ci/run:
Tests/CLI/findings_cli_check.py PATH/TO/vpckit).

* lint: `# vpckit:ignore` comments suppress (exit 0; text says how many; SARIF `suppressions` inSource with
  the reason), bad comments warn on stderr; `--write-baseline` then `--baseline` suppresses (SARIF `external`,
  `baselineState`), survives moved lines, lets new findings through (exit 1); a baseline that cannot be written
  leaves nothing and exits 2; a malformed baseline exits 2; SARIF with fixes validates against the schema and
  keeps the hint out of message.text.
* check: SARIF valid against the schema with one `assert-failed` result per failed assert at its line and a
  `topology-error` result per parse error; JUnit XML parses, one testsuite per file, one testcase per assert,
  failures carry the explanation; names with XML/JSON metacharacters are escaped; exit codes 0/1/2.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import jsonschema

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
vpckit = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build", "debug", "vpckit"))
# The SARIF 2.1.0 schema: $SARIF_SCHEMA, or ../shared beside the checkout (the project's shared reference folder).
schema_paths = [os.environ.get("SARIF_SCHEMA", ""), os.path.join(root, "..", "shared", "sarif-schema-2.1.0.json")]
schema_path = next((p for p in schema_paths if p and os.path.exists(p)), None)
validator = None
if schema_path:
    schema = json.load(open(schema_path))
    validator = jsonschema.validators.validator_for(schema)(schema)

failures = []
work = tempfile.mkdtemp(prefix="vpckit-findings-")


def run(*args):
    return subprocess.run([vpckit, *args], cwd=work, capture_output=True, text=True)


def expect(cond, what):
    if not cond:
        failures.append(what)


def valid_sarif(text, what):
    try:
        doc = json.loads(text)
    except ValueError as e:
        failures.append(f"{what}: not JSON: {e}")
        return None
    if validator:
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))[:5]:
            failures.append(f"{what}: SARIF schema: {list(e.path)}: {e.message[:200]}")
    return doc


def write(name, text):
    with open(os.path.join(work, name), "w") as f:
        f.write(text)


TOPOLOGY = """vpc prod {
  cidr 10.0.0.0/16
  subnet a 10.0.0.0/24 az us-east-1a
  security-group web {
    ingress tcp 443 from 0.0.0.0/0
    # vpckit:ignore sg-ssh-open-world bastion "until" <2027> & later
    ingress tcp 22 from 0.0.0.0/0
  }
  security-group old { ingress tcp 80 from 10.0.0.0/8 }
  instance web-1 in a ip 10.0.0.10 sg web
}
"""

# --- Suppression comments --------------------------------------------------------------------------------
write("s.vpc", TOPOLOGY)
r = run("lint", "s.vpc")
expect(r.returncode == 1, f"lint with one unsuppressed finding: exit {r.returncode}, expected 1\n{r.stdout}{r.stderr}")
expect("sg-ssh-open-world" not in r.stdout, "suppressed finding printed in text output")
expect("(1 suppressed)" in r.stderr, f"text summary does not count the suppressed finding: {r.stderr!r}")
r = run("lint", "--format", "sarif", "s.vpc")
doc = valid_sarif(r.stdout, "lint sarif with suppressions")
if doc:
    results = doc["runs"][0]["results"]
    ssh = [x for x in results if x["ruleId"] == "sg-ssh-open-world"]
    expect(len(ssh) == 1 and ssh[0].get("suppressions", [{}])[0].get("kind") == "inSource"
           and ssh[0]["suppressions"][0].get("justification") == 'bastion "until" <2027> & later',
           f"SARIF inSource suppression: {ssh}")
    unused = [x for x in results if x["ruleId"] == "sg-unused"]
    expect(len(unused) == 1 and "suppressions" not in unused[0], "unsuppressed finding carries a suppression")
    for x in results:
        expect("Hint:" not in x["message"]["text"], f"hint inside SARIF message: {x['message']['text']}")
    fixes = unused[0].get("fixes") if unused else None
    expect(bool(fixes) and fixes[0]["artifactChanges"][0]["replacements"][0]["deletedRegion"]["startLine"] == 9,
           f"sg-unused fix-it in SARIF: {fixes}")
r = run("lint", "--format", "json", "s.vpc")
j = json.loads(r.stdout)
expect(j["count"] == 1 and j.get("suppressed") == 1
       and any(f.get("suppressed", {}).get("kind") == "inSource" for f in j["findings"]), f"JSON marks: {j}")

# Bad comments: warnings on stderr, exit code unchanged by them.
write("w.vpc", TOPOLOGY.replace("# vpckit:ignore sg-ssh-open-world bastion \"until\" <2027> & later",
                                "# vpckit:ignore sg-ssh-open-wrld").replace("sg web\n}", "sg web  # vpckit:ignore nacl-unused none\n}"))
r = run("lint", "w.vpc")
expect(r.returncode == 1, f"bad suppression comments: exit {r.returncode}")
expect("unknown rule 'sg-ssh-open-wrld'" in r.stderr and "did you mean 'sg-ssh-open-world'" in r.stderr,
       f"unknown rule warning: {r.stderr}")
expect("gives no reason" in r.stderr, "missing reason not warned")
expect("suppresses nothing" in r.stderr, "unused suppression not warned")
expect("error:" not in r.stderr, "suppression problems reported as errors")
r = run("lint", "--format", "sarif", "w.vpc")
doc = valid_sarif(r.stdout, "lint sarif with bad suppression comments")
if doc:
    notes = doc["runs"][0].get("invocations", [{}])[0].get("toolConfigurationNotifications", [])
    expect(len(notes) == 3 and all(n["level"] == "warning" for n in notes)
           and any("unknown rule 'sg-ssh-open-wrld'" in n["message"]["text"] for n in notes),
           f"SARIF toolConfigurationNotifications: {notes}")

# --- Baselines ---------------------------------------------------------------------------------------------
plain = TOPOLOGY.replace("    # vpckit:ignore sg-ssh-open-world bastion \"until\" <2027> & later\n", "")
write("b.vpc", plain)
r = run("lint", "--write-baseline", "base.json", "b.vpc")
expect(r.returncode == 0, f"--write-baseline: exit {r.returncode}\n{r.stderr}")
base = json.load(open(os.path.join(work, "base.json")))
expect(base.get("version") == 1 and len(base["findings"]) == 2
       and all(set(f) == {"rule", "file", "message"} for f in base["findings"]), f"baseline file: {base}")
r = run("lint", "--baseline", "base.json", "b.vpc")
expect(r.returncode == 0 and "(2 suppressed)" in r.stderr, f"--baseline: exit {r.returncode} {r.stderr!r}")
# Moved lines: still the same findings.
write("b.vpc", "# a new comment line\n\n" + plain)
r = run("lint", "--baseline", "base.json", "--format", "sarif", "b.vpc")
expect(r.returncode == 0, f"--baseline after moving lines: exit {r.returncode}")
doc = valid_sarif(r.stdout, "lint sarif with a baseline")
if doc:
    results = doc["runs"][0]["results"]
    expect(len(results) == 2 and all(x["suppressions"][0]["kind"] == "external" and x["baselineState"] == "unchanged"
                                     for x in results), f"baseline SARIF: {results}")
# A new finding counts.
write("b.vpc", plain.replace("  instance web-1", "  security-group spare { ingress tcp 25 from 10.0.0.0/8 }\n  instance web-1"))
r = run("lint", "--baseline", "base.json", "--format", "json", "b.vpc")
j = json.loads(r.stdout)
news = [f for f in j["findings"] if f.get("baselineState") == "new"]
expect(r.returncode == 1 and len(news) == 1 and "spare" in news[0]["message"], f"new finding with a baseline: {r.returncode} {news}")
# Unwritable baseline: exit 2, nothing left behind. Malformed baseline: exit 2.
r = run("lint", "--write-baseline", "no/such/dir/base.json", "b.vpc")
expect(r.returncode == 2 and not os.path.exists(os.path.join(work, "no")), f"unwritable baseline: exit {r.returncode}")
expect(not [n for n in os.listdir(work) if ".tmp-" in n], "temporary baseline file left behind")
write("bad.json", '{"version": 1, "findings": [{"rule": 3}]}')
r = run("lint", "--baseline", "bad.json", "b.vpc")
expect(r.returncode == 2 and "bad baseline" in r.stderr, f"malformed baseline: exit {r.returncode} {r.stderr}")
# Like every JSON error: file:line:column, the JSON path, the source line and a caret under the value.
lines = r.stderr.splitlines()
expect(lines[:3] == ['bad.json:1:38: error: $.findings[0].rule: bad baseline: expected a string, found a number',
                     '{"version": 1, "findings": [{"rule": 3}]}', ' ' * 37 + '^'], f"baseline error form: {lines}")
r = run("lint", "--baseline", "missing.json", "b.vpc")
expect(r.returncode == 2, f"missing baseline: exit {r.returncode}")

# --- check --format sarif|junit ----------------------------------------------------------------------------
odd = 'a&b<"c">\'.vpc'
write(odd, """vpc prod {
  cidr 10.0.0.0/16
  subnet a 10.0.0.0/24 az us-east-1a
  security-group web { ingress tcp 443 from 10.0.0.0/8 }
  instance web-1 in a ip 10.0.0.10 sg web
  instance web-2 in a ip 10.0.0.11 sg web
}
assert reach web-1 -> web-2 tcp/443
assert reach web-1 -> web-2 tcp/22
assert noreach web-1 -> web-2 tcp/443
""")
write("broken.vpc", "vpc x {\n  cidr 10.0.0.0/33\n}\n")
r = run("check", "--format", "sarif", odd)
expect(r.returncode == 1, f"check sarif with failed asserts: exit {r.returncode}\n{r.stderr}")
doc = valid_sarif(r.stdout, "check sarif")
if doc:
    results = doc["runs"][0]["results"]
    lines = sorted(x["locations"][0]["physicalLocation"]["region"]["startLine"] for x in results)
    expect([x["ruleId"] for x in results] == ["assert-failed", "assert-failed"] and lines == [9, 10],
           f"check sarif results: {[(x['ruleId'], x['message']['text']) for x in results]}")
    expect(results and "tcp/22" in results[0]["message"]["text"] and "not reachable" in results[0]["message"]["text"],
           "check sarif message lacks verdict and reason")
    expect(results and results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%26b%3C%22c%22%3E%27.vpc",
           "file name not percent-encoded in the SARIF URI")
r = run("check", "--format", "sarif", "broken.vpc")
expect(r.returncode == 2, f"check sarif broken: exit {r.returncode}")
doc = valid_sarif(r.stdout, "check sarif broken")
if doc:
    results = doc["runs"][0]["results"]
    expect(len(results) == 1 and results[0]["ruleId"] == "topology-error"
           and results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2, f"topology-error result: {results}")

r = run("check", "--format", "junit", odd, "broken.vpc", os.path.join(root, "Topologies", "three-tier.vpc"))
expect(r.returncode == 2, f"check junit with a broken file: exit {r.returncode}")
try:
    tree = ET.fromstring(r.stdout)
    suites = tree.findall("testsuite")
    expect(len(suites) == 3 and suites[0].get("name") == odd, f"junit suites: {[s.get('name') for s in suites]}")
    cases = suites[0].findall("testcase")
    expect([c.get("name") for c in cases] == ["assert reach web-1 -> web-2 tcp/443", "assert reach web-1 -> web-2 tcp/22",
                                              "assert noreach web-1 -> web-2 tcp/443"], f"junit cases: {[c.get('name') for c in cases]}")
    expect(cases and cases[0].find("failure") is None and cases[1].find("failure") is not None
           and "ENI_SG_RULES_MISMATCH" in (cases[1].find("failure").text or ""), "junit failure text")
    expect(suites[1].find("testcase/error") is not None, "junit error for the broken file")
    expect(tree.get("failures") == "2" and tree.get("errors") == "1", f"junit totals {tree.attrib}")
    expect(suites[2].get("failures") == "0" and int(suites[2].get("tests")) > 0, "three-tier: asserts hold")
except ET.ParseError as e:
    failures.append(f"junit output does not parse: {e}\n{r.stdout[:500]}")
r = run("check", "--format", "junit", os.path.join(root, "Topologies", "three-tier.vpc"))
expect(r.returncode == 0 and r.stdout.startswith("<?xml"), f"check junit clean: exit {r.returncode}")
r = run("check", "--format", "xml", odd)
expect(r.returncode == 2 and "unknown format" in r.stderr, "unknown check format")

shutil.rmtree(work, ignore_errors=True)
if failures:
    print("findings_cli_check: FAILED")
    for f in failures:
        print("  " + f)
    sys.exit(1)
print(f"findings_cli_check: ok (suppressions, baselines, fix-its, check sarif/junit{'; SARIF valid against ' + schema_path if schema_path else ''})")
