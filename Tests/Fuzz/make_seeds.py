#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora and dictionaries (Tests/Fuzz/<target>/, Tests/Fuzz/dictionaries/)
from the repository's examples and fixtures: run from anywhere; the output is committed (Docs/FUZZING.md).
Crashes found by fuzzing are added by hand next to these (`crash-*` files, never regenerated)."""
import json, os, re, struct, glob

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
out = os.path.join(root, "Tests", "Fuzz")

def write(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def minified(path):
    with open(path) as f:
        return json.dumps(json.load(f), separators=(",", ":")).encode()

# vpc: the example topologies, three broken ones, a Markdown document.
for path in sorted(glob.glob(os.path.join(root, "Topologies", "*.vpc"))):
    write("vpc", os.path.basename(path), open(path, "rb").read())
for name in ["bad-cidr", "duplicate-ip", "assert-port-zero"]:
    write("vpc", "broken-" + name + ".vpc", open(os.path.join(root, "Topologies", "broken", name + ".vpc"), "rb").read())
write("vpc", "markdown.md", "# Notes\n\nProse.\n\n```\nvpc v {\n  cidr 10.0.0.0/16\n}\n```\n")

# aws-json: single documents, and whole snapshots joined with NUL bytes (the target splits at NUL).
fixtures = os.path.join(root, "Tests", "CLI", "import-fixtures")
for folder in ["bad-route-cidr", "console-look", "wrong-type", "injected-id", "repeated-vpc"]:
    files = sorted(glob.glob(os.path.join(fixtures, folder, "*.json")))
    for path in files:
        write("aws-json", folder + "-" + os.path.basename(path), minified(path))
    if len(files) > 1:
        write("aws-json", folder + "-snapshot.json", b"\0".join(minified(p) for p in files))
for snap in ["three-tier", "edges"]:
    files = sorted(glob.glob(os.path.join(root, "Tests", "ImportersTests", "Fixtures", "moto", snap, "us-east-1", "*.json")))
    write("aws-json", "moto-" + snap + "-snapshot.json", b"\0".join(minified(p) for p in files))

# terraform: the small CLI fixtures and two importer fixtures, minified.
for path in sorted(glob.glob(os.path.join(fixtures, "terraform", "*.json"))):
    write("terraform", os.path.basename(path), minified(path))
for name in ["locations-state.json", "state.json", "default-vpc-plan.json"]:
    write("terraform", name, minified(os.path.join(root, "Tests", "ImportersTests", "Fixtures", "terraform", name)))

# pcap: the bundled capture in every container the reader takes.
capture = open(os.path.join(root, "Topologies", "flowlogs-session.pcap"), "rb").read()
magic, vmaj, vmin, zone, sigfigs, snaplen, link = struct.unpack("<IHHiIII", capture[:24])
packets, i = [], 24
while i + 16 <= len(capture):
    sec, usec, caplen, length = struct.unpack("<IIII", capture[i:i + 16])
    packets.append((sec, usec, capture[i + 16:i + 16 + caplen], length))
    i += 16 + caplen
packets = packets[:12]

def pcap(order, magic, link, frames, nano=False):
    data = struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, 65535, link)
    for sec, usec, frame, length in frames:
        data += struct.pack(order + "IIII", sec, usec * 1000 if nano else usec, len(frame), len(frame)) + frame
    return data

def pcapng(frames, link):
    def block(kind, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # An interface with if_tsresol 6 (microseconds), then an end-of-options.
    idb = block(1, struct.pack("<HHI", link, 0, 65535) + struct.pack("<HHB", 9, 1, 6) + b"\0\0\0" + b"\0\0\0\0")
    data = shb + idb
    for sec, usec, frame, length in frames:
        t = sec * 1_000_000 + usec
        data += block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(frame), len(frame)) + frame)
    return data

ip_frames = [(s, u, f[14:], l) for s, u, f, l in packets]
write("pcap", "session.pcap", pcap("<", 0xA1B2C3D4, 1, packets))
write("pcap", "session-big-endian.pcap", pcap(">", 0xA1B2C3D4, 1, packets[:6]))
write("pcap", "session-nanoseconds.pcap", pcap("<", 0xA1B23C4D, 1, packets[:6], nano=True))
write("pcap", "session.pcapng", pcapng(packets[:6], 1))
write("pcap", "session-raw.pcap", pcap("<", 0xA1B2C3D4, 101, ip_frames[:6]))
sll = [(s, u, struct.pack(">HHH8sH", 0, 1, 6, b"\x02" * 6 + b"\0\0", 0x0800) + f, l) for s, u, f, l in ip_frames[:6]]
write("pcap", "session-sll.pcap", pcap("<", 0xA1B2C3D4, 113, sll))
write("pcap", "truncated.pcap", pcap("<", 0xA1B2C3D4, 1, packets[:3])[:-7])

# packet: one frame per link type (first byte: 0 Ethernet, 1 SLL, 2 SLL2, 3 raw, 4 null, 5 loop).
for n, (s, u, frame, l) in enumerate(packets[:4]):
    ip = frame[14:]
    family = 2 if ip[0] >> 4 == 4 else 10
    write("packet", f"ethernet-{n}", b"\0" + frame)
    write("packet", f"sll-{n}", b"\1" + struct.pack(">HHH8sH", 0, 1, 6, b"\x02" * 8, 0x0800) + ip)
    write("packet", f"sll2-{n}", b"\2" + struct.pack(">HHIHBB8s", 0x0800, 0, 2, 1, 0, 6, b"\x02" * 8) + ip)
    write("packet", f"raw-{n}", b"\3" + ip)
    write("packet", f"null-{n}", b"\4" + struct.pack("<I", family) + ip)
    write("packet", f"loop-{n}", b"\5" + struct.pack(">I", family) + ip)
# An 802.1Q-tagged frame and an IPv6 fragment over Ethernet.
f0 = packets[0][2]
write("packet", "vlan", b"\0" + f0[:12] + b"\x81\x00\x00\x05" + f0[12:])
v6 = bytes.fromhex("6000000000100" + "02c40") + bytes(15) + b"\1" + bytes(15) + b"\2" + bytes.fromhex("06000001" + "00000001") + bytes(8)
write("packet", "ipv6-fragment", b"\3" + v6)

# cidr-list: the CLI fixtures.
for path in sorted(glob.glob(os.path.join(root, "Tests", "CLI", "fixtures", "*.txt"))):
    write("cidr-list", os.path.basename(path), open(path, "rb").read())
write("cidr-list", "names-and-v6.txt", "\ufeff10.0.0.0/8 corp\n10.1.0.0/16\tlab # nested\n2001:db8::/32 v6\n2001:db8:1::/48\n10.0.0.1/16\n")

# ip: every spelling the parsers take (and a few they refuse).
for n, text in enumerate(["10.0.0.0/8", "192.168.1.1", "0.0.0.0/0", "::/0", "::", "::1", "2001:db8::/32",
                          "::ffff:10.1.2.3", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "2001:db8::1/64",
                          "10.0.0.1-10.0.0.9", "2001:db8::1-2001:db8::ff", "010.0.0.1", "10.0.0.1/16", "1::2::3"]):
    write("ip", f"seed-{n}", text)

# flowlog-format: formats, then --map lines.
write("flowlog-format", "default", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
write("flowlog-format", "v5", "${version} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${region} ${az-id} ${flow-direction} ${traffic-path}\n192.0.2.1=web-1\n198.51.100.7 = 10.20.10.10\n# comment\n")
write("flowlog-format", "typo", "${srcadr} ${dstaddr}\nbad-map\n")

# query: from, to, traffic, client ports, one-way.
for n, text in enumerate(["app-1\ndb-1\ntcp/5432\n", "internet\nfw-1\ntcp/443\nlinux\n", "office-vpn:192.168.1.10\napp-1\ntcp/22\n32768-60999\n",
                          "onprem:datacentre\napp-1\ntcp/443\n\none-way", "app-1\ninternet:8.8.8.8\nudp/53\nwindows\n", "10.0.10.10\n10.50.1.10\nicmp/8\n",
                          "west-1\napp-1\nproto 47\n", "app-1\nssm\ntcp/443\n", "app-1\ns3\ntcp/443\n", "dc-a:10.60.0.5\napp-1\nall\n",
                          "internet:203.0.113.0/24\nfw-1\ntcp/80\n1024-2000\n", "tag:env=prod\nname:app-*\ntcp/1-1024,8080\n80,443,8000-8080\n"]):
    write("query", f"seed-{n}", text)

# Dictionaries: the language's keywords, JSON keys the importers read, flow-log field names.
def dictionary(name, words):
    os.makedirs(os.path.join(out, "dictionaries"), exist_ok=True)
    with open(os.path.join(out, "dictionaries", name + ".dict"), "w") as f:
        f.write("# Generated by Tests/Fuzz/make_seeds.py.\n")
        for w in sorted(set(words)):
            f.write('"' + "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else ("\\" + c if c in '"\\' else "".join("\\x%02X" % b for b in c.encode())) for c in w) + '"\n')

keywords = re.findall(r'"([a-z][a-z0-9-]*)"', open(os.path.join(root, "Sources", "NetworkModel", "Language", "Keywords.swift")).read())
dictionary("vpc", keywords + ["{", "}", "->", "<->", "#", "10.0.0.0/16", "::/0", "0.0.0.0/0", "tcp", "udp", "icmp", "all",
                              "reach", "noreach", "```", "# vpckit:ignore", "sg ", "pl:", "tgw", "igw", "nat", "pcx"])

def json_keys(folder):
    words = []
    for path in glob.glob(os.path.join(root, "Sources", "Importers", folder, "*.swift")):
        words += re.findall(r'"([A-Za-z_][A-Za-z0-9_]*)"', open(path).read())
    return ['"' + w + '":' for w in words if len(w) > 1]
dictionary("aws-json", json_keys("AWS") + ["{", "}", "[", "]", "null", "true", "false", "vpc-", "subnet-", "sg-", "rtb-", "igw-", "eni-", "i-", "10.0.0.0/16"])
dictionary("terraform", json_keys("Terraform") + ["{", "}", "[", "]", "null", "true", "false", "aws_vpc", "aws_subnet", "aws_route_table",
                                                  "aws_security_group", "aws_instance", "values", "resources", "root_module", "child_modules"])
enum = open(os.path.join(root, "Sources", "FlowLogs", "FlowLogRecord.swift")).read().split("enum FlowLogField")[1].split("///")[0]
fields = re.findall(r'"([a-z-]+)"', enum) + [w for w in re.findall(r'`?\b([a-z]+)\b`?\s*[,\n]', enum) if w not in ("case",)]
dictionary("flowlog-format", ["${" + f + "}" for f in fields] + ["${", "}", "="])
dictionary("query", ["internet", "internet:", "onprem:", "tcp/", "udp/", "icmp", "icmpv6", "proto ", "all", "linux", "windows",
                     "one-way", "tag:", "name:", "app-1", "db-1", "fw-1", "west-1", "office-vpn", "dc-a", "ssm", "s3", "datacentre"])
dictionary("cidr-list", ["#", "/", ":", "::", ".", "\t", "\r", "\ufeff", "/32", "/128", "10.0.0.0/8"])
dictionary("ip", [":", "::", ".", "/", "-", "ffff:", "0", "255", "/32", "/128", "%"])
