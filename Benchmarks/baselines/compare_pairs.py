#!/usr/bin/env python3
"""Checks that `vpckit cidr overlaps --format json` and overlaps.py report the same overlapping pairs.

Each pair is taken as the unordered pair of its two (file, line) places: from overlaps.py's lines
(`file:line: error: … (file:line)`) and from vpckit's findings (the finding's place with each related place).
A block listed more than once is one `cidr-duplicate` finding at its last copy listing every copy (all pairs
among them), and stands for all its copies in `cidr-nested` findings (Docs/CIDR.md): those are expanded.
Prints the pair counts; exits 1 when the sets differ or vpckit lists a pair twice.

    python3 overlaps.py list.txt > py.out; vpckit cidr overlaps --format json list.txt > vpckit.json
    python3 compare_pairs.py py.out vpckit.json
"""
import json
import re
import sys

LINE = re.compile(r"^(.*?):(\d+): error: .* \((.*):(\d+)\)$")


def main(python_out: str, vpckit_json: str) -> int:
    baseline = set()
    with open(python_out, encoding="utf-8") as f:
        for text in f:
            m = LINE.match(text.rstrip("\n"))
            if not m:
                continue
            a, b = (m.group(1), int(m.group(2))), (m.group(3), int(m.group(4)))
            baseline.add((min(a, b), max(a, b)))
    with open(vpckit_json, encoding="utf-8") as f:
        document = json.load(f)
    listed = 0
    ours = set()
    # A repeated block's place (its last copy) → the places of all its copies.
    copies = {}
    for finding in document["findings"]:
        if finding["rule"] == "cidr-duplicate" and finding["message"].endswith(" times") and " is listed " in finding["message"]:
            copies[(finding["file"], finding["line"])] = [(r["file"], r["line"]) for r in finding["related"]]

    def add(a, b):
        nonlocal listed
        ours.add((min(a, b), max(a, b)))
        listed += 1

    for finding in document["findings"]:
        here = (finding["file"], finding["line"])
        if here in copies and finding["rule"] == "cidr-duplicate":
            group = copies[here]
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    add(a, b)
            continue
        for related in finding.get("related", []):
            there = (related["file"], related["line"])
            for a in copies.get(here, [here]):
                for b in copies.get(there, [there]):
                    add(a, b)
    print("overlaps.py: %d pairs; vpckit: %d pairs listed (%d distinct), summary says %d"
          % (len(baseline), listed, len(ours), document["pairs"]))
    same = baseline == ours and listed == len(ours) == document["pairs"]
    if not same:
        print("only in overlaps.py: %d, only in vpckit: %d" % (len(baseline - ours), len(ours - baseline)))
    print("same pairs" if same else "DIFFERENT pairs")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
