// Zero-copy decoding of captured bytes: link layer → IPv4/IPv6 (extension headers, fragments) → TCP, UDP,
// ICMP, ICMPv6. No allocation; every read is bounds-checked and a short packet is reported, never trapped.
import IPAddressing

/// A link-layer header type, by libpcap's `DLT_*` number.
public enum LinkType: Sendable, Equatable {
    /// DLT_EN10MB (1): Ethernet II, with any number of 802.1Q / 802.1ad tags.
    case ethernet
    /// DLT_LINUX_SLL (113): Linux cooked capture v1 (16-byte header).
    case linuxCooked
    /// DLT_LINUX_SLL2 (276): Linux cooked capture v2 (20-byte header).
    case linuxCooked2
    /// DLT_RAW (12 or 14), LINKTYPE_RAW (101), DLT_IPV4 (228), DLT_IPV6 (229): the packet starts with IP.
    case raw
    /// DLT_NULL (0): BSD loopback, a 4-byte address family in the capturing host's byte order.
    case null
    /// DLT_LOOP (108): OpenBSD loopback, a 4-byte address family in network byte order.
    case loop
    /// Anything else; packets are counted as skipped.
    case unsupported(Int32)

    /// The link type for libpcap's `pcap_datalink` value.
    public init(dlt: Int32) {
        switch dlt {
        case 1: self = .ethernet
        case 113: self = .linuxCooked
        case 276: self = .linuxCooked2
        case 12, 14, 101, 228, 229: self = .raw
        case 0: self = .null
        case 108: self = .loop
        default: self = .unsupported(dlt)
        }
    }
}

/// Why a packet did not yield an IP flow (counted in the replay summary).
public enum SkipReason: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// A link type we do not decode.
    case unsupportedLinkType
    /// Not IPv4 or IPv6 (ARP, LLDP, STP, IPX…).
    case notIP
    /// The packet ends before a header it announces.
    case truncated
    /// A header field is impossible (IP version, header length, total length smaller than the header).
    case malformed
    /// Decoded, but the address belongs to no interface in the topology and no interface was reached.
    case unmapped
    /// An address the flow log service never logs (Amazon DNS, metadata, time sync, DHCP).
    case notLogged
    /// The capture time is outside what a flow log record can hold (`start`/`end` are Unix seconds
    /// 0…4294967295, ``FlowReplay/timeRange``): say a pcapng timestamp past 2106.
    case timeOutOfRange

    public var description: String {
        switch self {
        case .unsupportedLinkType: "unsupported link type"
        case .notIP: "not IP"
        case .truncated: "truncated"
        case .malformed: "malformed"
        case .unmapped: "not on any interface"
        case .notLogged: "not logged by AWS"
        case .timeOutOfRange: "time out of range"
        }
    }
}

/// An IPv4 or IPv6 address as a plain 128-bit value (IPv4 in the low 32 bits) plus its family.
///
/// Stored as two 64-bit halves: 8-byte alignment keeps records and keys that hold several addresses compact
/// (a `UInt128` field would align them to 16 bytes: 192-byte records instead of 152).
@frozen public struct FlowAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline var high: UInt64
    @usableFromInline var low: UInt64
    public var isIPv6: Bool
    @inlinable public init(bits: UInt128, isIPv6: Bool) {
        high = UInt64(truncatingIfNeeded: bits >> 64)
        low = UInt64(truncatingIfNeeded: bits)
        self.isIPv6 = isIPv6
    }
    /// The address as a 128-bit value (IPv4 in the low 32 bits).
    @inlinable public var bits: UInt128 {
        get { UInt128(high) << 64 | UInt128(low) }
        set {
            high = UInt64(truncatingIfNeeded: newValue >> 64)
            low = UInt64(truncatingIfNeeded: newValue)
        }
    }
    /// An IPv4 address.
    @inlinable public init(v4 bits: UInt32) {
        high = 0
        low = UInt64(bits)
        isIPv6 = false
    }
    @inlinable public static func < (a: FlowAddress, b: FlowAddress) -> Bool {
        a.isIPv6 != b.isIPv6 ? !a.isIPv6 : a.bits < b.bits
    }
    public var description: String {
        isIPv6 ? IPv6Address(bits: bits).description : IPv4Address(bits: UInt32(truncatingIfNeeded: bits)).description
    }
}

/// The fields of one packet that flow logs and the network model need.
public struct DecodedPacket: Sendable, Equatable {
    public var source = FlowAddress(v4: 0)
    public var destination = FlowAddress(v4: 0)
    /// IP protocol number (the upper-layer protocol after IPv6 extension headers).
    public var ipProtocol: UInt8 = 0
    /// TCP/UDP ports; 0 for other protocols and for non-first fragments.
    public var sourcePort: UInt16 = 0
    public var destinationPort: UInt16 = 0
    /// ICMP/ICMPv6 type and code (0 otherwise).
    public var icmpType: UInt8 = 0
    public var icmpCode: UInt8 = 0
    /// ICMP echo identifier (echo request/reply only), for connection tracking.
    public var icmpIdentifier: UInt16 = 0
    /// The TCP flags byte (CWR ECE URG ACK PSH RST SYN FIN), 0 for other protocols.
    public var tcpFlags: UInt8 = 0
    /// IPv4 total length, or 40 + IPv6 payload length: the flow log `bytes`.
    public var ipLength: UInt32 = 0
    /// A fragment other than the first: no transport header.
    public var isLaterFragment = false
    public init() {}
}

/// The result of decoding one packet.
public enum DecodeOutcome: Equatable, Sendable {
    case ip
    case skipped(SkipReason)
}

/// TCP flag bits.
public enum TCPFlag {
    public static let fin: UInt8 = 0x01
    public static let syn: UInt8 = 0x02
    public static let rst: UInt8 = 0x04
    public static let psh: UInt8 = 0x08
    public static let ack: UInt8 = 0x10
}

/// Decodes captured bytes of a given link type into a ``DecodedPacket``.
public enum PacketDecoder {
    /// Decodes `bytes` (one captured packet of link type `link`) into `packet`.
    ///
    /// - Complexity: O(number of IPv6 extension headers); no allocation.
    @inlinable
    public static func decode(_ bytes: UnsafeRawBufferPointer, link: LinkType, into packet: inout DecodedPacket) -> DecodeOutcome {
        var r = ByteReader(bytes)
        var etherType: UInt16
        switch link {
        case .ethernet:
            guard r.skip(12), let t = r.u16() else { return .skipped(.truncated) }
            etherType = t
            while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
                guard r.skip(2), let inner = r.u16() else { return .skipped(.truncated) }
                etherType = inner
            }
        case .linuxCooked:
            guard r.skip(14), let t = r.u16() else { return .skipped(.truncated) }
            etherType = t
            while etherType == 0x8100 || etherType == 0x88A8 {
                guard r.skip(2), let inner = r.u16() else { return .skipped(.truncated) }
                etherType = inner
            }
        case .linuxCooked2:
            guard let t = r.u16(), r.skip(18) else { return .skipped(.truncated) }
            etherType = t
        case .raw:
            guard let first = r.peekU8() else { return .skipped(.truncated) }
            etherType = first >> 4 == 6 ? 0x86DD : (first >> 4 == 4 ? 0x0800 : 0)
        case .null, .loop:
            guard let family = r.u32() else { return .skipped(.truncated) }
            // DLT_NULL is in the capturing host's order: accept either; LOOP is network order.
            let swapped = family.byteSwapped
            let f = (family < 256 || link == .loop) ? family : swapped
            switch f {
            case 2: etherType = 0x0800
            case 10, 24, 28, 30: etherType = 0x86DD
            default: etherType = 0
            }
        case .unsupported:
            return .skipped(.unsupportedLinkType)
        }
        switch etherType {
        case 0x0800: return decodeIPv4(&r, into: &packet)
        case 0x86DD: return decodeIPv6(&r, into: &packet)
        default: return .skipped(.notIP)
        }
    }

    @inlinable @inline(__always)  // the common case, decoded in the capture loop without a call
    static func decodeIPv4(_ r: inout ByteReader, into p: inout DecodedPacket) -> DecodeOutcome {
        let start = r.offset
        guard let vihl = r.u8(), r.skip(1), let total = r.u16(), r.skip(2), let frag = r.u16(), r.skip(1),
              let proto = r.u8(), r.skip(2), let src = r.u32(), let dst = r.u32() else { return .skipped(.truncated) }
        guard vihl >> 4 == 4 else { return .skipped(.malformed) }
        let headerLength = Int(vihl & 0x0f) * 4
        guard headerLength >= 20, Int(total) >= headerLength else { return .skipped(.malformed) }
        guard r.seek(start + headerLength) else { return .skipped(.truncated) }
        p.source = FlowAddress(v4: src)
        p.destination = FlowAddress(v4: dst)
        p.ipProtocol = proto
        p.ipLength = UInt32(total)
        p.isLaterFragment = frag & 0x1fff != 0
        return decodeTransport(&r, into: &p)
    }

    @inlinable
    static func decodeIPv6(_ r: inout ByteReader, into p: inout DecodedPacket) -> DecodeOutcome {
        guard let vtc = r.u8(), r.skip(3), let payload = r.u16(), var next = r.u8(), r.skip(1),
              let s = r.u128(), let d = r.u128() else { return .skipped(.truncated) }
        guard vtc >> 4 == 6 else { return .skipped(.malformed) }
        p.source = FlowAddress(bits: s, isIPv6: true)
        p.destination = FlowAddress(bits: d, isIPv6: true)
        p.ipLength = 40 + UInt32(payload)
        p.isLaterFragment = false
        // Extension headers: hop-by-hop 0, routing 43, fragment 44, destination options 60, AH 51,
        // mobility 135, HIP 139, shim6 140. ESP (50) and no-next-header (59) end the walk.
        var hops = 0
        while hops < 16 {
            hops += 1
            switch next {
            case 0, 43, 60, 135, 139, 140:
                guard let n = r.u8(), let len = r.u8(), r.skip(6 + Int(len) * 8) else { return .skipped(.truncated) }
                next = n
            case 51:
                guard let n = r.u8(), let len = r.u8(), r.skip(Int(len) * 4 + 6) else { return .skipped(.truncated) }
                next = n
            case 44:
                guard let n = r.u8(), r.skip(1), let off = r.u16(), r.skip(4) else { return .skipped(.truncated) }
                next = n
                if off & 0xfff8 != 0 { p.isLaterFragment = true }
            default:
                p.ipProtocol = next
                return decodeTransport(&r, into: &p)
            }
        }
        return .skipped(.malformed)
    }

    @inlinable @inline(__always)
    static func decodeTransport(_ r: inout ByteReader, into p: inout DecodedPacket) -> DecodeOutcome {
        p.sourcePort = 0
        p.destinationPort = 0
        p.tcpFlags = 0
        p.icmpType = 0
        p.icmpCode = 0
        p.icmpIdentifier = 0
        if p.isLaterFragment { return .ip }
        switch p.ipProtocol {
        case 6:
            guard let sp = r.u16(), let dp = r.u16(), r.skip(9), let flags = r.u8() else { return .skipped(.truncated) }
            p.sourcePort = sp
            p.destinationPort = dp
            p.tcpFlags = flags
        case 17, 132, 136:  // UDP, SCTP, UDP-Lite: ports first
            guard let sp = r.u16(), let dp = r.u16() else { return .skipped(.truncated) }
            p.sourcePort = sp
            p.destinationPort = dp
        case 1, 58:
            guard let t = r.u8(), let c = r.u8() else { return .skipped(.truncated) }
            p.icmpType = t
            p.icmpCode = c
            let isEcho = IPProtocol.isEcho(type: t, protocol: p.ipProtocol)
            if isEcho, r.skip(2), let id = r.u16() { p.icmpIdentifier = id }
        default:
            break
        }
        return .ip
    }
}

/// A bounds-checked cursor over packet bytes; every read returns nil past the end.
@usableFromInline
struct ByteReader {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var offset = 0
    @inlinable init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inlinable @inline(__always) mutating func skip(_ n: Int) -> Bool {
        guard n >= 0, bytes.count - offset >= n else { return false }
        offset += n
        return true
    }
    @inlinable @inline(__always) mutating func seek(_ to: Int) -> Bool {
        guard to >= 0, to <= bytes.count else { return false }
        offset = to
        return true
    }
    @inlinable @inline(__always) func peekU8() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
    @inlinable @inline(__always) mutating func u8() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }
    @inlinable @inline(__always) mutating func u16() -> UInt16? {
        guard bytes.count - offset >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inlinable @inline(__always) mutating func u32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        defer { offset += 4 }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    @inlinable @inline(__always) mutating func u128() -> UInt128? {
        guard bytes.count - offset >= 16 else { return nil }
        let hi = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let lo = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        offset += 16
        return UInt128(hi) << 64 | UInt128(lo)
    }
}
