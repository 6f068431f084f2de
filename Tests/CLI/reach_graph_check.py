#!/usr/bin/env python3
"""`vpckit reach FROM TO TRAFFIC --graph FILE.dot` draws the answer reach prints: the DOT's numbered steps are the
hops of reach's JSON answer (forward, then the reply's, or the blocked reply's), each at the node of the hop's
component (ids as Docs/GRAPH.md gives them: kind prefix, VPC-scoped for groups, tables and NACLs); the thick nodes
are exactly those and the blocking component; and the file is the one `vpckit graph --path` writes.
Usage: Tests/CLI/reach_graph_check.py PATH/TO/vpckit"""
import json
import os
import re
import subprocess
import sys
import tempfile

vpckit = os.path.abspath(sys.argv[1])
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
topology = os.path.join(root, "Topologies/three-tier.vpc")
VPC = "three-tier"
failures = []


def ident(kind, name):
    return kind + "_" + "".join(c if c.isascii() and c.isalnum() else "_%02X" % b for c in name for b in c.encode())


def node_id(component):
    kind, name = component["kind"], component["name"]
    scoped = {"security-group": "sg", "route-table": "rt", "network-acl": "nacl"}
    if kind in scoped:
        return ident(scoped[kind], VPC) + "__" + ident("n", name)
    prefix = {"instance": "inst", "network-interface": "inst", "subnet": "subnet", "internet-gateway": "igw",
              "nat-gateway": "nat", "vpc": "vpc"}
    if kind == "internet":
        return "internet"
    return ident(prefix[kind], name)


tmp = tempfile.mkdtemp()
for question in (["web-1", "db-1", "tcp/5432"], ["app-1", "db-1", "tcp/5432"], ["internet", "web-1", "tcp/443"],
                 ["app-1", "internet", "tcp/443"]):
    out = os.path.join(tmp, "g.dot")
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run([vpckit, "reach", topology, *question, "--format", "json", "--graph", out], capture_output=True, text=True)
    answer = json.loads(r.stdout)
    if r.returncode != (0 if answer["state"] == "reachable" else 1):
        failures.append(f"{question}: exit {r.returncode}")
    hops = answer["forwardPath"] + (answer["returnPath"] or answer["blockedReturnPath"] or [])
    dot = open(out, encoding="utf-8").read()
    steps, thick = {}, set()
    for m in re.finditer(r'^\s*(\w+) \[label="((?:[^"\\]|\\.)*)", (.*)\];$', dot, re.M):
        ident_, label, attrs = m.groups()
        for line in label.split("\\n"):
            if line.startswith("step "):
                for n in line[5:].split(", "):
                    steps[int(n)] = ident_
        if "penwidth=3" in attrs:
            thick.add(ident_)
    want = {k + 1: node_id(h["component"]) for k, h in enumerate(hops)}
    if steps != want:
        failures.append(f"{' '.join(question)}: the drawn steps {steps} are not reach's hops {want}")
    blocked = set()
    if answer.get("explanation"):
        blocked.add(node_id(answer["explanation"]["component"]))
    if thick != set(want.values()) | blocked:
        failures.append(f"{' '.join(question)}: thick nodes {sorted(thick)} != hops and blocker {sorted(set(want.values()) | blocked)}")
    g = subprocess.run([vpckit, "graph", topology, "--path", *question], capture_output=True, text=True)
    if g.stdout != dot:
        failures.append(f"{' '.join(question)}: reach --graph differs from graph --path")
for f in failures:
    print("reach_graph_check.py: FAIL: " + f, file=sys.stderr)
if failures:
    sys.exit(1)
print("reach_graph_check.py: ok")
