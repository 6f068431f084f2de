#!/usr/bin/env python3
"""Checks that `vpckit cidr overlaps --format json` and overlaps.py report the same overlapping pairs.

Each pair is taken as the unordered pair of its two (file, line) places: from overlaps.py's lines
(`file:line: error: … (file:line)`) and from vpckit's findings (the finding's place with each related place).
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
    for finding in document["findings"]:
        here = (finding["file"], finding["line"])
        for related in finding.get("related", []):
            there = (related["file"], related["line"])
            ours.add((min(here, there), max(here, there)))
            listed += 1
    print("overlaps.py: %d pairs; vpckit: %d pairs listed (%d distinct), summary says %d"
          % (len(baseline), listed, len(ours), document["pairs"]))
    same = baseline == ours and listed == len(ours) == document["pairs"]
    if not same:
        print("only in overlaps.py: %d, only in vpckit: %d" % (len(baseline - ours), len(ours - baseline)))
    print("same pairs" if same else "DIFFERENT pairs")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
