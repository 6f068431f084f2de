#!/usr/bin/env python3
"""Writes a plain CIDR list shaped like a CI check of many teams' IPv4 allocations, for the findings-heavy
`vpckit cidr overlaps` benchmark: random blocks of mixed lengths anywhere in the IPv4 space, where the few
short blocks (/8…/16, the "regions") hold many of the long ones and some lines repeat an earlier block.

With the defaults (1,000,000 lines, seed 1) the list holds about one million overlapping pairs — nearly all of
them a short block holding a long one — unlike generate_cidrs.py, whose /24…/30 blocks overlap rarely.
Deterministic per seed.

    python3 generate_allocations.py --count 1000000 --seed 1 > /tmp/allocations-1m.txt
"""
import argparse
import random
import sys

# (prefix length, weight in parts per million). The short lengths make the pairs; the rest is the bulk.
LENGTHS = [
    (8, 10), (12, 300), (14, 800), (16, 36_000), (18, 30_000), (19, 30_000), (20, 60_000),
    (21, 60_000), (22, 100_000), (23, 100_000), (24, 350_000), (25, 40_000), (26, 40_000),
    (27, 40_000), (28, 60_000), (29, 20_000), (30, 20_000), (32, 12_890),
]
# Parts per million of lines that repeat an earlier line's block (a copied allocation).
REPEAT_PPM = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="CIDR lines")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    assert sum(w for _, w in LENGTHS) == 1_000_000
    rng = random.Random(args.seed)
    lengths = [length for length, _ in LENGTHS]
    weights = [w for _, w in LENGTHS]
    drawn = rng.choices(lengths, weights=weights, k=args.count)
    out = []
    blocks = []
    for i, length in enumerate(drawn):
        if blocks and rng.randrange(1_000_000) < REPEAT_PPM:
            bits, length = blocks[rng.randrange(len(blocks))]
        else:
            bits = rng.getrandbits(32) & ~((1 << (32 - length)) - 1) & 0xFFFFFFFF
            blocks.append((bits, length))
        if i % 10 == 0:
            out.append("# team %d\n" % (i // 10))
        out.append("%d.%d.%d.%d/%d team-%d-net-%d\n"
                   % (bits >> 24, (bits >> 16) & 255, (bits >> 8) & 255, bits & 255, length, i // 10, i % 10))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
