import Glibc
@testable import FlowLogs

/// Builds packets byte by byte (big-endian fields), as a capture would hold them.
struct Bytes {
    var data: [UInt8] = []
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u16(_ v: UInt16) { data += [UInt8(v >> 8), UInt8(v & 0xff)] }
    mutating func u32(_ v: UInt32) { for s in [24, 16, 8, 0] { data.append(UInt8((v >> UInt32(s)) & 0xff)) } }
    mutating func u128(_ v: UInt128) { for s in stride(from: 120, through: 0, by: -8) { data.append(UInt8((v >> UInt128(s)) & 0xff)) } }
    mutating func le16(_ v: UInt16) { data += [UInt8(v & 0xff), UInt8(v >> 8)] }
    mutating func le32(_ v: UInt32) { for s in [0, 8, 16, 24] { data.append(UInt8((v >> UInt32(s)) & 0xff)) } }
}

func v4(_ s: String) -> FlowAddress { FlowAddress(v4: (try? IPv4Address(s))?.bits ?? 0) }
func v6(_ s: String) -> FlowAddress { FlowAddress(bits: (try? IPv6Address(s))?.bits ?? 0, isIPv6: true) }

import IPAddressing

/// One crafted packet: IP header and transport header; payload zero bytes.
struct Craft {
    var src: FlowAddress
    var dst: FlowAddress
    var proto: UInt8 = 6
    var sport: UInt16 = 0
    var dport: UInt16 = 0
    var flags: UInt8 = 0
    var payload = 0
    var icmpType: UInt8 = 8
    var icmpID: UInt16 = 7
    var icmpCode: UInt8 = 0

    static func tcp(_ s: String, _ sp: UInt16, _ d: String, _ dp: UInt16, _ flags: UInt8, payload: Int = 0) -> Craft {
        Craft(src: s.contains(":") ? v6(s) : v4(s), dst: d.contains(":") ? v6(d) : v4(d), proto: 6, sport: sp, dport: dp,
              flags: flags, payload: payload)
    }
    static func udp(_ s: String, _ sp: UInt16, _ d: String, _ dp: UInt16, payload: Int = 0) -> Craft {
        Craft(src: v4(s), dst: v4(d), proto: 17, sport: sp, dport: dp, payload: payload)
    }
    static func icmp(_ s: String, _ d: String, type: UInt8, id: UInt16 = 7) -> Craft {
        Craft(src: v4(s), dst: v4(d), proto: 1, icmpType: type, icmpID: id)
    }
    /// The same message with ICMP code `code`.
    func withICMPCode(_ code: UInt8) -> Craft {
        var c = self
        c.icmpCode = code
        return c
    }

    var transport: [UInt8] {
        var b = Bytes()
        switch proto {
        case 6:
            b.u16(sport); b.u16(dport); b.u32(1); b.u32(0); b.u8(0x50); b.u8(flags); b.u16(65535); b.u16(0); b.u16(0)
        case 17:
            b.u16(sport); b.u16(dport); b.u16(UInt16(8 + payload)); b.u16(0)
        default:
            b.u8(icmpType); b.u8(icmpCode); b.u16(0); b.u16(icmpID); b.u16(1)
        }
        return b.data + [UInt8](repeating: 0, count: payload)
    }

    /// The IP packet (IPv4 or IPv6 by address family).
    var ip: [UInt8] {
        let t = transport
        var b = Bytes()
        if src.isIPv6 {
            b.u32(0x6000_0000); b.u16(UInt16(t.count)); b.u8(proto == 1 ? 58 : proto); b.u8(64); b.u128(src.bits); b.u128(dst.bits)
        } else {
            b.u8(0x45); b.u8(0); b.u16(UInt16(20 + t.count)); b.u16(1); b.u16(0x4000); b.u8(64); b.u8(proto); b.u16(0)
            b.u32(UInt32(truncatingIfNeeded: src.bits)); b.u32(UInt32(truncatingIfNeeded: dst.bits))
        }
        return b.data + t
    }

    /// Ethernet frame, with optional 802.1Q tags.
    func ethernet(vlans: [UInt16] = []) -> [UInt8] {
        var b = Bytes()
        b.data += [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]
        for v in vlans { b.u16(0x8100); b.u16(v) }
        b.u16(src.isIPv6 ? 0x86DD : 0x0800)
        return b.data + ip
    }
}

/// A packet at a time, in capture order.
struct Timed {
    var time: Int64
    var micros: Int32 = 0
    var frame: [UInt8]
}

enum CaptureWriter {
    /// Classic pcap (microsecond, little-endian) with link type `dlt`.
    static func pcap(_ packets: [Timed], dlt: UInt32 = 1, snaplen: UInt32 = 65535) -> [UInt8] {
        var b = Bytes()
        b.le32(0xa1b2c3d4); b.le16(2); b.le16(4); b.le32(0); b.le32(0); b.le32(snaplen); b.le32(dlt)
        for p in packets {
            let captured = min(p.frame.count, Int(snaplen))
            b.le32(UInt32(p.time)); b.le32(UInt32(p.micros)); b.le32(UInt32(captured)); b.le32(UInt32(p.frame.count))
            b.data += p.frame.prefix(captured)
        }
        return b.data
    }

    /// pcapng: section header, one interface description (microsecond), enhanced packet blocks.
    static func pcapng(_ packets: [Timed], dlt: UInt16 = 1) -> [UInt8] {
        var b = Bytes()
        func block(_ type: UInt32, _ body: [UInt8]) {
            let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
            let length = UInt32(12 + padded.count)
            b.le32(type); b.le32(length); b.data += padded; b.le32(length)
        }
        var shb = Bytes(); shb.le32(0x1A2B3C4D); shb.le16(1); shb.le16(0); shb.le32(0xffff_ffff); shb.le32(0xffff_ffff)
        block(0x0A0D0D0A, shb.data)
        var idb = Bytes(); idb.le16(dlt); idb.le16(0); idb.le32(0)
        block(1, idb.data)
        for p in packets {
            let ts = UInt64(p.time) * 1_000_000 + UInt64(p.micros)
            var epb = Bytes()
            epb.le32(0); epb.le32(UInt32(ts >> 32)); epb.le32(UInt32(ts & 0xffff_ffff))
            epb.le32(UInt32(p.frame.count)); epb.le32(UInt32(p.frame.count)); epb.data += p.frame
            epb.data += [UInt8](repeating: 0, count: (4 - p.frame.count % 4) % 4)
            block(6, epb.data)
        }
        return b.data
    }

    /// Writes bytes to a fresh file under /tmp and returns its path.
    static func write(_ bytes: [UInt8], name: String) -> String {
        // A random part: tests running at once may write captures of the same name (a shared helper's).
        let path = "/tmp/vpckit-flowlogs-test-\(getpid())-\(name)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        guard let f = fopen(path, "wb") else { return path }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }
}
