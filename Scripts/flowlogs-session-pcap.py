#!/usr/bin/env python3
"""Writes Topologies/flowlogs-session.pcap, the small capture the README's `vpckit flowlogs` example replays
through Topologies/flowlogs-session.vpc. Dependency-free (struct only) and deterministic: the same bytes on
every run, so the committed file can be checked against this script (Tests/CLI/readme-tour.sh).

Flows (classic pcap, Ethernet, microsecond times from 2026-01-01T00:00:00Z):
  accepted  198.51.100.7:50000 -> web-1 10.20.0.10:443    HTTPS from the internet (handshake, request, reply, close)
  accepted  web-1 10.20.0.10:40000 -> app-1 10.20.10.10:8080   web tier to app tier
  accepted  app-1 10.20.10.10:41000 -> 203.0.113.20:443   app tier out through NAT gateway nat-a
  accepted  app-1 10.20.10.10:53000 -> 8.8.8.8:53 (udp)   DNS through nat-a, and the answer
  REJECT    198.51.100.66:51000 -> web-1:22               SSH from the internet: public-nacl has no rule for port 22
  REJECT    198.51.100.9:5353 -> web-1:161 (udp)          SNMP probe: public-nacl admits no udp below 1024
  REJECT    web-1 10.20.0.10:40100 -> app-1:22              SSH from the web tier: security group app admits only 8080

Usage: python3 Scripts/flowlogs-session-pcap.py [OUTPUT]   (default: Topologies/flowlogs-session.pcap)
"""
import os
import struct
import sys

START = 1767225600  # 2026-01-01T00:00:00Z

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def ip4(text):
    return bytes(int(part) for part in text.split("."))


def ipv4_packet(src, dst, proto, payload, ident):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0, ip4(src), ip4(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def transport_checksum(src, dst, proto, segment):
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, len(segment))
    return checksum(pseudo + segment)


def tcp(src, sport, dst, dport, flags, seq, ack, data=b""):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    c = transport_checksum(src, dst, 6, segment)
    return segment[:16] + struct.pack("!H", c) + segment[18:]


def udp(src, sport, dst, dport, data):
    segment = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = transport_checksum(src, dst, 17, segment) or 0xFFFF
    return segment[:6] + struct.pack("!H", c) + segment[8:]


def ethernet(ip_packet):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip_packet


class Capture:
    def __init__(self):
        self.packets = []
        self.ident = 1

    def add(self, at, src, dst, proto, segment):
        self.packets.append((at, ethernet(ipv4_packet(src, dst, proto, segment, self.ident))))
        self.ident += 1

    def tcp_session(self, at, client, cport, server, sport, request, response):
        """Handshake, one request and one response segment, FIN from both sides."""
        c, s = 1000, 5000
        steps = [
            (client, cport, server, sport, SYN, c, 0, b""),
            (server, sport, client, cport, SYN | ACK, s, c + 1, b""),
            (client, cport, server, sport, ACK, c + 1, s + 1, b""),
            (client, cport, server, sport, PSH | ACK, c + 1, s + 1, request),
            (server, sport, client, cport, PSH | ACK, s + 1, c + 1 + len(request), response),
            (client, cport, server, sport, FIN | ACK, c + 1 + len(request), s + 1 + len(response), b""),
            (server, sport, client, cport, FIN | ACK, s + 1 + len(response), c + 2 + len(request), b""),
            (client, cport, server, sport, ACK, c + 2 + len(request), s + 2 + len(response), b""),
        ]
        for n, (a, ap, b, bp, flags, seq, ack, data) in enumerate(steps):
            self.add(at + n * 0.01, a, b, 6, tcp(a, ap, b, bp, flags, seq, ack, data))

    def write(self, path):
        out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for at, frame in sorted(self.packets, key=lambda p: p[0]):
            seconds = START + int(at)
            micros = int(round((at - int(at)) * 1_000_000))
            out += struct.pack("<IIII", seconds, micros, len(frame), len(frame)) + frame
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(out)
        os.replace(tmp, path)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Topologies", "flowlogs-session.pcap")
    cap = Capture()
    cap.tcp_session(1.0, "198.51.100.7", 50000, "10.20.0.10", 443, b"GET / HTTP/1.1\r\nHost: shop\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\nhello")
    cap.tcp_session(2.0, "10.20.0.10", 40000, "10.20.10.10", 8080, b"GET /cart HTTP/1.1\r\n\r\n", b"HTTP/1.1 200 OK\r\n\r\n[]")
    cap.tcp_session(3.0, "10.20.10.10", 41000, "203.0.113.20", 443, b"\x16\x03\x01 client hello", b"\x16\x03\x03 server hello")
    query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07example\x03com\x00\x00\x01\x00\x01"
    cap.add(4.0, "10.20.10.10", "8.8.8.8", 17, udp("10.20.10.10", 53000, "8.8.8.8", 53, query))
    cap.add(4.02, "8.8.8.8", "10.20.10.10", 17, udp("8.8.8.8", 53, "10.20.10.10", 53000, query[:2] + b"\x81\x80" + query[4:]))
    for n in range(3):  # SYN and two retransmissions, never answered
        cap.add(5.0 + n, "198.51.100.66", "10.20.0.10", 6, tcp("198.51.100.66", 51000, "10.20.0.10", 22, SYN, 777, 0))
    cap.add(6.5, "198.51.100.9", "10.20.0.10", 17, udp("198.51.100.9", 5353, "10.20.0.10", 161, b"\x30\x26\x02\x01\x01public"))
    for n in range(2):
        cap.add(7.0 + n, "10.20.0.10", "10.20.10.10", 6, tcp("10.20.0.10", 40100, "10.20.10.10", 22, SYN, 4242, 0))
    cap.write(path)


if __name__ == "__main__":
    main()
