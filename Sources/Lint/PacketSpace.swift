import IPAddressing
import NetworkModel

/// A box of packet headers as a NACL rule sees them: protocol numbers × port (or ICMP type/code) values ×
/// addresses of one family. NACL rules match boxes, so "which packets does rule 120 still decide after
/// rules 100 and 110?" is exact box arithmetic — no sampling.
///
/// The port axis means the destination port for TCP/UDP and `type * 256 + code` for ICMP; for other
/// protocols no rule constrains it, so it stays whole.
struct PacketBox: Hashable, Sendable {
    var protocols: ClosedRange<Int>
    var ports: ClosedRange<Int>
    var family: IPFamily
    var addresses: ClosedRange<UInt128>

    static let allProtocols = 0...255
    static let allPorts = 0...65535

    /// The common part of two boxes, or nil.
    func intersection(_ other: PacketBox) -> PacketBox? {
        guard family == other.family,
              let p = protocols.clampedIfOverlapping(other.protocols),
              let q = ports.clampedIfOverlapping(other.ports),
              let a = addresses.clampedIfOverlapping(other.addresses) else { return nil }
        return PacketBox(protocols: p, ports: q, family: family, addresses: a)
    }

    /// This box minus `other`, as disjoint boxes (at most six).
    func subtracting(_ other: PacketBox) -> [PacketBox] {
        guard let cut = intersection(other) else { return [self] }
        var pieces: [PacketBox] = []
        var rest = self
        // Split along each axis in turn: the parts outside the cut, then narrow to the cut.
        let (ql, qu) = rest.protocols.outside(cut.protocols)
        if let ql { var b = rest; b.protocols = ql; pieces.append(b) }
        if let qu { var b = rest; b.protocols = qu; pieces.append(b) }
        rest.protocols = cut.protocols
        let (pl, pu) = rest.ports.outside(cut.ports)
        if let pl { var b = rest; b.ports = pl; pieces.append(b) }
        if let pu { var b = rest; b.ports = pu; pieces.append(b) }
        rest.ports = cut.ports
        let (al, au) = rest.addresses.outside(cut.addresses)
        if let al { var b = rest; b.addresses = al; pieces.append(b) }
        if let au { var b = rest; b.addresses = au; pieces.append(b) }
        return pieces
    }

    /// The address range as the smallest covering text, for messages (`0.0.0.0/0`, or `a-b`).
    var addressDescription: String { PacketBox.describe(addresses, family: family) }

    static func describe(_ range: ClosedRange<UInt128>, family: IPFamily) -> String {
        func text(_ v: UInt128) -> String {
            family == .ipv4 ? IPv4Address(bits: UInt32(truncatingIfNeeded: v)).description : IPv6Address(bits: v).description
        }
        let width = family == .ipv4 ? 32 : 128
        let size = range.upperBound &- range.lowerBound &+ 1
        if size == 0 { return family == .ipv4 ? "0.0.0.0/0" : "::/0" }
        if size.nonzeroBitCount == 1, range.lowerBound % size == 0 {
            return "\(text(range.lowerBound))/\(width - size.trailingZeroBitCount)"
        }
        return "\(text(range.lowerBound))-\(text(range.upperBound))"
    }

    /// The address range of a prefix.
    static func addresses(of prefix: IPPrefix) -> (IPFamily, ClosedRange<UInt128>) {
        switch prefix {
        case .v4(let p): (.ipv4, UInt128(p.first.bits)...UInt128(p.last.bits))
        case .v6(let p): (.ipv6, p.first.bits...p.last.bits)
        }
    }

    /// The packets `rule` matches (AWS: `-1` or a protocol other than 6/17/1 ignores ports; ICMPv6 with an
    /// IPv4 CIDR matches every type).
    init(rule: NetworkACLRule) {
        let (family, addresses) = PacketBox.addresses(of: rule.cidr)
        self.family = family
        self.addresses = addresses
        switch rule.ipProtocol {
        case .all:
            protocols = PacketBox.allProtocols
            ports = PacketBox.allPorts
        case .number(let n):
            protocols = Int(n)...Int(n)
            ports = PacketBox.portAxis(protocol: n, ports: rule.ports, family: family)
        }
    }

    init(protocols: ClosedRange<Int>, ports: ClosedRange<Int>, family: IPFamily, addresses: ClosedRange<UInt128>) {
        self.protocols = protocols
        self.ports = ports
        self.family = family
        self.addresses = addresses
    }

    /// The port-axis values a rule of protocol `n` with `ports` matches.
    static func portAxis(protocol n: UInt8, ports: PortRange?, family: IPFamily) -> ClosedRange<Int> {
        guard let ports else { return allPorts }
        switch n {
        case IPProtocol.tcpNumber, IPProtocol.udpNumber:
            return Int(min(ports.lower, ports.upper))...Int(max(ports.lower, ports.upper))
        case IPProtocol.icmpNumber, IPProtocol.icmpv6Number:
            if n == IPProtocol.icmpv6Number && family == .ipv4 { return allPorts }
            // ICMP: type in `lower`, code in `upper`; a value above 255 means "all" (AWS's -1).
            if ports.lower > 255 { return allPorts }
            let base = Int(ports.lower) * 256
            return ports.upper > 255 ? base...(base + 255) : (base + Int(ports.upper))...(base + Int(ports.upper))
        default:
            return allPorts
        }
    }
}

extension ClosedRange where Bound: Comparable {
    /// The overlap of two ranges, or nil when they are disjoint.
    func clampedIfOverlapping(_ other: ClosedRange) -> ClosedRange? {
        overlaps(other) ? clamped(to: other) : nil
    }
}

extension ClosedRange where Bound: BinaryInteger {
    /// The parts of this range below and above `inner` (which must lie inside it).
    func outside(_ inner: ClosedRange) -> (ClosedRange?, ClosedRange?) {
        let below = inner.lowerBound > lowerBound ? lowerBound...(inner.lowerBound - 1) : nil
        let above = inner.upperBound < upperBound ? (inner.upperBound + 1)...upperBound : nil
        return (below, above)
    }
}

/// A set of packets as disjoint boxes.
struct PacketSet: Sendable {
    var boxes: [PacketBox]
    init(_ boxes: [PacketBox] = []) { self.boxes = boxes }
    var isEmpty: Bool { boxes.isEmpty }

    mutating func subtract(_ box: PacketBox) {
        boxes = boxes.flatMap { $0.subtracting(box) }
    }
    func intersection(_ box: PacketBox) -> PacketSet {
        PacketSet(boxes.compactMap { $0.intersection(box) })
    }
}

/// What a first-match rule list decides for a region of packets.
struct ACLDecision: Sendable {
    /// Allowed pieces, each with the rule that allowed it.
    var allowed: [(box: PacketBox, rule: NetworkACLRule)] = []
    /// Denied pieces, with the denying rule (nil: the implicit final `*`).
    var denied: [(box: PacketBox, rule: NetworkACLRule?)] = []
}

enum ACLEvaluation {
    /// Rules in evaluation order (ascending number).
    static func ordered(_ rules: [NetworkACLRule]) -> [NetworkACLRule] {
        rules.sorted { $0.number < $1.number }
    }

    /// Evaluates `rules` first-match over every packet of `region`.
    static func decide(_ rules: [NetworkACLRule], over region: PacketBox) -> ACLDecision {
        var remaining = PacketSet([region])
        var decision = ACLDecision()
        for rule in ordered(rules) {
            if remaining.isEmpty { break }
            let box = PacketBox(rule: rule)
            let hit = remaining.intersection(box)
            if hit.isEmpty { continue }
            for piece in hit.boxes {
                if rule.action == .allow { decision.allowed.append((piece, rule)) } else { decision.denied.append((piece, rule)) }
            }
            remaining.subtract(box)
        }
        for piece in remaining.boxes { decision.denied.append((piece, nil)) }
        return decision
    }
}
