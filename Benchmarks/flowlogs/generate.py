#!/usr/bin/env python3
"""Benchmark inputs for `vpckit flowlogs`: a large topology and a capture written directly as pcap bytes.

  python3 generate.py TOPOLOGY.vpc CAPTURE.pcap [--packets 10000000] [--flows 100000] [--seed 1]

Topology: 20 VPCs x 16 subnets x 32 instances (10,240 interfaces), each VPC with an IGW, a NAT gateway,
NACLs and security groups. Capture: `--flows` flows (70% TCP, 25% UDP, 5% ICMP echo; 60% inside a VPC,
40% to the internet, half of those through the NAT gateway), packets round-robin over the flows so that
flows interleave, alternating request/reply, one packet every 100 microseconds of capture time.
"""
import random, struct, sys

def topology(path, vpcs=20, subnets=16, per_subnet=32):
    out = ["region us-east-1", "account 111122223333", ""]
    for v in range(vpcs):
        out.append(f"vpc v{v} {{")
        out.append(f"  cidr 10.{v}.0.0/16")
        out.append(f"  internet-gateway igw{v}")
        for s in range(subnets):
            out.append(f"  subnet v{v}s{s} 10.{v}.{s}.0/24 az us-east-1{'ab'[s % 2]}")
        out.append(f"  nat-gateway nat{v} in v{v}s0 eip 54.{v}.0.1 ip 10.{v}.0.250")
        out.append(f"  route-table v{v}pub {{ associate v{v}s0 v{v}s1 route 0.0.0.0/0 -> igw{v} }}")
        priv = " ".join(f"v{v}s{s}" for s in range(2, subnets))
        out.append(f"  route-table v{v}priv {{ associate {priv} route 0.0.0.0/0 -> nat{v} }}")
        out.append(f"  security-group v{v}web {{ ingress tcp 443 from 0.0.0.0/0 ingress tcp 80 from 0.0.0.0/0 ingress icmp from 10.0.0.0/8 }}")
        out.append(f"  security-group v{v}app {{ ingress tcp 8080 from sg v{v}web ingress udp 53 from 10.{v}.0.0/16 ingress tcp 443 from 10.{v}.0.0/16 ingress icmp from 10.{v}.0.0/16 }}")
        out.append(f"  network-acl v{v}nacl {{ associate {priv} inbound 100 deny tcp 22 from 0.0.0.0/0 "
                   f"inbound 110 allow all from 10.{v}.0.0/16 inbound 120 allow tcp 1024-65535 from 0.0.0.0/0 "
                   f"inbound 130 allow udp 1024-65535 from 0.0.0.0/0 outbound 100 allow all to 0.0.0.0/0 }}")
        for s in range(subnets):
            for i in range(per_subnet):
                sg = f"v{v}web" if s < 2 else f"v{v}app"
                pub = f" public-ip 54.{v}.{100 + s}.{10 + i}" if s < 2 else ""
                out.append(f"  instance v{v}s{s}i{i} in v{v}s{s} ip 10.{v}.{s}.{10 + i}{pub} sg {sg}")
        out.append("}")
    open(path, "w").write("\n".join(out) + "\n")
    return vpcs, subnets, per_subnet

def ip(a): return struct.pack("!I", a)
def addr(v, s, i): return (10 << 24) | (v << 16) | (s << 8) | (10 + i)

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

def capture(path, packets, flows, seed, vpcs, subnets, per_subnet):
    rng = random.Random(seed)
    templates = []
    for f in range(flows):
        v = rng.randrange(vpcs)
        s = rng.randrange(subnets); i = rng.randrange(per_subnet)
        client = addr(v, s, i)
        kind = rng.random()
        if kind < 0.6:
            server = addr(v, rng.randrange(subnets), rng.randrange(per_subnet))
        else:
            server = (93 << 24) | rng.randrange(1 << 24)
            if s < 2 and rng.random() < 0.5:  # inbound to a public web server
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
    dims = topology(pos[0])
    capture(pos[1], opts["--packets"], opts["--flows"], opts["--seed"], *dims)
