#!/usr/bin/env python3
"""Writes a plain CIDR list for the `vpckit cidr overlaps` benchmark: one random block a line with a name.

IPv4 blocks are /24…/30 anywhere in the space, IPv6 blocks /40…/64 inside 2001::/16, so a million lines hold
a realistic trickle of overlaps (about one block in a hundred) rather than a flood. Deterministic per seed.

    python3 generate_cidrs.py --v4 800000 --v6 200000 --seed 1 > /tmp/cidrs-1m.txt
"""
import argparse
import random
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--v4", type=int, default=800_000, help="IPv4 lines")
    parser.add_argument("--v6", type=int, default=200_000, help="IPv6 lines")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    kinds = [4] * args.v4 + [6] * args.v6
    rng.shuffle(kinds)
    out = []
    for i, kind in enumerate(kinds):
        if kind == 4:
            length = rng.randint(24, 30)
            bits = rng.getrandbits(32) & ~((1 << (32 - length)) - 1) & 0xFFFFFFFF
            text = "%d.%d.%d.%d/%d" % (bits >> 24, (bits >> 16) & 255, (bits >> 8) & 255, bits & 255, length)
        else:
            length = rng.randint(40, 64)
            bits = (0x2001 << 112) | (rng.getrandbits(48) << 64)
            bits &= ~((1 << (128 - length)) - 1)
            groups = [(bits >> (112 - 16 * g)) & 0xFFFF for g in range(8)]
            # Canonical text: the trailing zero groups are always a run (the low 64 bits are zero).
            head = groups[:4]
            while head and head[-1] == 0:
                head.pop()
            text = ":".join("%x" % g for g in head) + "::/%d" % length
        if i % 10 == 0:
            out.append("# block %d\n" % i)
        out.append("%s net-%d\n" % (text, i))
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
