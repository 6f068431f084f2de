#!/usr/bin/env python3
"""Baseline for `vpckit cidr overlaps`: the same job with the standard `ipaddress` module.

Reads plain lists (one CIDR a line, optional name, `#` comments), parses strictly (host bits are an error),
sorts each family by (network, length, input order) and sweeps with a stack of enclosing blocks, printing one
line per overlapping pair. Exit 0 clean, 1 overlaps, 2 bad input — like vpckit.

    python3 overlaps.py FILE...
"""
import ipaddress
import sys


def main(paths):
    entries = {4: [], 6: []}
    origins = []
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for number, raw in enumerate(f, 1):
                text = raw.split("#", 1)[0].strip()
                if not text:
                    continue
                parts = text.split(None, 1)
                try:
                    net = ipaddress.ip_network(parts[0], strict=True)
                except ValueError as error:
                    print("%s:%d: error: %s" % (path, number, error), file=sys.stderr)
                    bad += 1
                    continue
                origins.append((path, number, parts[1] if len(parts) > 1 else None))
                first = int(net.network_address)
                last = first | ((1 << (net.max_prefixlen - net.prefixlen)) - 1)
                entries[net.version].append((first, net.prefixlen, len(origins) - 1, net, last))
    if bad:
        return 2
    out = []
    count = 0
    for version in (4, 6):
        items = entries[version]
        items.sort(key=lambda e: (e[0], e[1], e[2]))
        stack = []
        for item in items:
            net = item[3]
            # Sorted by (network, length): the top encloses this block exactly when the block starts
            # at or before the top's last address.
            while stack and item[0] > stack[-1][4]:
                stack.pop()
            for outer in stack:
                a, b = origins[outer[2]], origins[item[2]]
                kind = "duplicates" if outer[1] == item[1] else "lies inside"
                out.append("%s:%d: error: %s '%s' %s %s '%s' (%s:%d)\n"
                           % (b[0], b[1], net, b[2], kind, outer[3], a[2], a[0], a[1]))
                count += 1
            stack.append(item)
    sys.stdout.write("".join(out))
    print("%d overlaps among %d blocks" % (count, len(origins)), file=sys.stderr)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
