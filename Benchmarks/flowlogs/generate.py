#!/usr/bin/env python3
"""Benchmark capture for `vpckit flowlogs`, addressed to the instances of a generated topology, written
directly as pcap bytes.

  vpckit generate --benchmark -o /tmp/fl-bench.vpc
  python3 generate.py /tmp/fl-bench.vpc /tmp/fl-10m.pcap [--packets 10000000] [--flows 100000] [--seed 1]

The topology is read only for its instances (`instance NAME in SUBNET ip A.B.C.D [public-ip X]`, grouped by
VPC). Capture: `--flows` flows (70% TCP, 25% UDP, 5% ICMP echo; 50% between two instances of one VPC, 10%
to an instance of another VPC (through the transit gateway hub), 40% to the internet — from an instance
with a public IP half of those inbound, from a private one through its NAT gateway); packets round-robin over
the flows so that flows interleave, alternating request/reply, one packet every 100 microseconds of capture
time.
"""
import random, re, struct, sys

INSTANCE = re.compile(r"^\s*instance\s+\S+\s+in\s+\S+\s+ip\s+(\d+)\.(\d+)\.(\d+)\.(\d+)(.*)$")

def instances(path):
    """Per VPC: a list of (address as int, has a public IP)."""
    vpcs, current = [], None
    for line in open(path):
        if line.startswith("vpc "):
            current = []
            vpcs.append(current)
            continue
        m = INSTANCE.match(line)
        if m and current is not None:
            a, b, c, d = (int(x) for x in m.groups()[:4])
            current.append(((a << 24) | (b << 16) | (c << 8) | d, "public-ip" in m.group(5)))
    return [v for v in vpcs if len(v) >= 2]

def ip(a): return struct.pack("!I", a)

def frame(src, dst, proto, sp, dp, flags, payload):
    if proto == 6:
        l4 = struct.pack("!HHIIBBHHH", sp, dp, 1, 0, 0x50, flags, 65535, 0, 0)
    elif proto == 17:
        l4 = struct.pack("!HHHH", sp, dp, 8 + payload, 0)
    else:
        l4 = struct.pack("!BBHHH", 8 if flags == 0 else 0, 0, 0, sp, 1)
    l4 += bytes(payload)
    iph = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4), 1, 0x4000, 64, proto, 0) + ip(src) + ip(dst)
    return b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00" + iph + l4

def capture(path, packets, flows, seed, vpcs):
    rng = random.Random(seed)
    templates = []
    for f in range(flows):
        v = rng.randrange(len(vpcs))
        client, public = rng.choice(vpcs[v])
        kind = rng.random()
        if kind < 0.5:
            server = rng.choice(vpcs[v])[0]
        elif kind < 0.6:
            server = rng.choice(vpcs[rng.randrange(len(vpcs))])[0]
        else:
            server = (93 << 24) | rng.randrange(1 << 24)
            if public and rng.random() < 0.5:  # inbound to a public instance
                client, server = server, client
        p = rng.random()
        proto, dport = (6, rng.choice([443, 443, 8080, 80, 22])) if p < 0.7 else ((17, 53) if p < 0.95 else (1, 0))
        sport = 32768 + (f % 28000) if proto != 1 else f % 65536
        req = [frame(client, server, proto, sport, dport, 0x02 if proto == 6 else 0, 0),
               frame(client, server, proto, sport, dport, 0x18 if proto == 6 else 0, 60)]
        rep = [frame(server, client, proto, dport if proto != 1 else sport, sport, 0x12 if proto == 6 else 1, 0),
               frame(server, client, proto, dport if proto != 1 else sport, sport, 0x18 if proto == 6 else 1, 200)]
        templates.append((req, rep))
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        t0 = 1_700_000_000 * 1_000_000
        chunk = []
        for n in range(packets):
            f = n % flows
            k = n // flows
            req, rep = templates[f]
            data = (req if k % 2 == 0 else rep)[0 if k < 2 else 1]
            t = t0 + n * 100
            chunk.append(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(data), len(data)))
            chunk.append(data)
            if len(chunk) >= 200_000:
                out.write(b"".join(chunk)); chunk.clear()
        out.write(b"".join(chunk))

if __name__ == "__main__":
    args = sys.argv[1:]
    opts = {"--packets": 10_000_000, "--flows": 100_000, "--seed": 1}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts: opts[a] = int(args.pop(0))
        else: pos.append(a)
    capture(pos[1], opts["--packets"], opts["--flows"], opts["--seed"], instances(pos[0]))
