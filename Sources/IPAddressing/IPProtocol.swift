/// An IP protocol as security groups, NACLs, queries and packets name it: one protocol number, or every
/// protocol (AWS's `-1`, the language's `all`).
///
/// This is the one protocol type of the package: every spelling the tool reads (`tcp`, `udp`, `icmp`,
/// `icmpv6`, `all`, `-1`, `proto N`, bare numbers) is parsed here, and every "has ports?" / "is ICMP?" test —
/// on a rule's protocol or on a packet header's protocol byte — is a member of this type.
///
/// A packet always carries one concrete protocol byte, so packet code keeps a bare `UInt8` and asks the
/// static predicates (`IPProtocol.hasPorts(_:)`, `IPProtocol.isICMP(_:)`, the `…Number` constants); they are
/// `@inlinable` and compile to the same compares as the literals they replace.
@frozen public enum IPProtocol: Hashable, Sendable, CustomStringConvertible {
    /// Every protocol (AWS's `-1`).
    case all
    /// A protocol number; 6 tcp, 17 udp, 1 icmp, 58 icmpv6.
    case number(UInt8)

    // MARK: Numbers

    /// TCP's protocol number (6).
    @inlinable public static var tcpNumber: UInt8 { 6 }
    /// UDP's protocol number (17).
    @inlinable public static var udpNumber: UInt8 { 17 }
    /// ICMP's protocol number (1).
    @inlinable public static var icmpNumber: UInt8 { 1 }
    /// ICMPv6's protocol number (58).
    @inlinable public static var icmpv6Number: UInt8 { 58 }

    /// TCP (`tcp`).
    @inlinable public static var tcp: IPProtocol { .number(tcpNumber) }
    /// UDP (`udp`).
    @inlinable public static var udp: IPProtocol { .number(udpNumber) }
    /// ICMP (`icmp`).
    @inlinable public static var icmp: IPProtocol { .number(icmpNumber) }
    /// ICMPv6 (`icmpv6`).
    @inlinable public static var icmpv6: IPProtocol { .number(icmpv6Number) }

    /// The protocol number; nil for `all`.
    @inlinable public var number: UInt8? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// AWS's number: the protocol number, or -1 for `all` (`IpProtocol` in `describe-security-groups`).
    @inlinable public var awsNumber: Int {
        switch self {
        case .all: -1
        case .number(let n): Int(n)
        }
    }

    // MARK: Predicates

    /// True for tcp and udp: the protocols whose rules carry ports.
    @inlinable public var hasPorts: Bool {
        if case .number(let n) = self { return IPProtocol.hasPorts(n) }
        return false
    }

    /// True for icmp and icmpv6: the protocols whose rules carry a type and code.
    @inlinable public var isICMP: Bool {
        if case .number(let n) = self { return IPProtocol.isICMP(n) }
        return false
    }

    /// True when a packet with protocol byte `number` carries ports (TCP or UDP).
    @inlinable @inline(__always) public static func hasPorts(_ number: UInt8) -> Bool {
        number == tcpNumber || number == udpNumber
    }

    /// True when a packet with protocol byte `number` is ICMP or ICMPv6.
    @inlinable @inline(__always) public static func isICMP(_ number: UInt8) -> Bool {
        number == icmpNumber || number == icmpv6Number
    }

    // MARK: ICMP types

    /// The echo request type of ICMP (8) or ICMPv6 (128) — what `ping` sends.
    @inlinable public static func echoRequestType(v6: Bool) -> UInt8 { v6 ? 128 : 8 }

    /// True when `type` is an echo request or echo reply of the ICMP protocol `number` (ICMP 8/0, ICMPv6
    /// 128/129); false for every other type and for non-ICMP protocols.
    @inlinable @inline(__always) public static func isEcho(type: UInt8, protocol number: UInt8) -> Bool {
        (number == icmpNumber && (type == 8 || type == 0)) || (number == icmpv6Number && (type == 128 || type == 129))
    }

    // MARK: Names

    /// The protocols with a name, in the order the language lists them.
    public static let named: [(name: String, protocol: IPProtocol)] = [
        ("tcp", .tcp), ("udp", .udp), ("icmp", .icmp), ("icmpv6", .icmpv6), ("all", .all),
    ]

    /// Every protocol keyword: `tcp`, `udp`, `icmp`, `icmpv6`, `all` (suggestions for a misspelling).
    public static var names: [String] { named.map(\.name) }

    /// The protocol's keyword (`tcp`, `udp`, `icmp`, `icmpv6`, `all`), or nil for a number without one.
    @inlinable public var name: String? {
        switch self {
        case .all: "all"
        case .number(IPProtocol.tcpNumber): "tcp"
        case .number(IPProtocol.udpNumber): "udp"
        case .number(IPProtocol.icmpNumber): "icmp"
        case .number(IPProtocol.icmpv6Number): "icmpv6"
        case .number: nil
        }
    }

    /// The keyword, or the decimal number for a protocol without one (`tcp`, `all`, `47`).
    public var nameOrNumber: String {
        if let name { return name }
        return String(awsNumber)
    }

    /// The language's spelling: `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or `proto N`.
    public var description: String {
        if let name { return name }
        return "proto \(awsNumber)"
    }

    /// A keyword exactly as the language writes it (`tcp`, `udp`, `icmp`, `icmpv6`, `all`; case-sensitive);
    /// nil for anything else, numbers and `proto` included.
    @inlinable public init?(name: some StringProtocol) {
        switch name {
        case "tcp": self = .tcp
        case "udp": self = .udp
        case "icmp": self = .icmp
        case "icmpv6": self = .icmpv6
        case "all": self = .all
        default: return nil
        }
    }

    /// A keyword in any case, `-1` (all), or a decimal protocol number 0-255 (`47`, as `UInt8.init` reads it);
    /// the spelling of the CLI's `--traffic` protocol and of AWS's `IpProtocol`. Nil for anything else.
    public init?(lenient text: String) {
        let lower = text.lowercased()
        if let p = IPProtocol(name: lower) { self = p; return }
        if lower == "-1" { self = .all; return }
        guard let n = UInt8(lower) else { return nil }
        self = .number(n)
    }

    /// AWS's numeric spelling: -1 is every protocol, 0-255 a protocol number; nil out of range.
    public init?(awsNumber n: Int) {
        if n == -1 { self = .all; return }
        guard let byte = UInt8(exactly: n) else { return nil }
        self = .number(byte)
    }
}
