import IPAddressing
import NetworkModel

/// A set of ports (0…65535) kept as sorted, disjoint, non-adjacent inclusive ranges.
///
/// The first range is stored inline, so a set of one range — every per-packet set and most query sets —
/// never allocates. Sets of one range combine inline; a set of several ranges also keeps them all as the shared
/// range-set type (``ClosedRangeSet`` over `UInt16`, IPAddressing), so combining two such sets is one linear
/// merge of that algorithm with no conversion on the way in or out.
public struct PortSet: Hashable, Sendable, CustomStringConvertible {
    /// Number of ranges (0 = empty).
    @usableFromInline var count: Int
    /// The first range (when `count > 0`).
    @usableFromInline var lower0: UInt16
    @usableFromInline var upper0: UInt16
    /// Every range, the first included (only when `count > 1`; empty otherwise).
    @usableFromInline var many: ClosedRangeSet<UInt16>

    /// The empty set.
    public static let empty = PortSet(count: 0, lower0: 0, upper0: 0, many: ClosedRangeSet())
    /// Every port 0…65535.
    public static let all = PortSet(PortRange.all)
    /// The ephemeral client range 1024…65535 (Docs/AWS-BEHAVIOUR.md §8).
    public static let ephemeral = PortSet(PortRange.ephemeral)

    @inlinable init(count: Int, lower0: UInt16, upper0: UInt16, many: ClosedRangeSet<UInt16>) {
        self.count = count
        self.lower0 = lower0
        self.upper0 = upper0
        self.many = many
    }

    /// The set holding exactly `range`.
    @inlinable public init(_ range: PortRange) {
        self.init(count: 1, lower0: range.lower, upper0: range.upper, many: ClosedRangeSet())
    }

    /// The set holding one port.
    @inlinable public init(port: UInt16) { self.init(count: 1, lower0: port, upper0: port, many: ClosedRangeSet()) }

    /// The set holding the union of `ranges` (any order, overlaps allowed; backwards ranges are empty).
    public init(ranges: [PortRange]) {
        self.init(ClosedRangeSet(ranges.compactMap { $0.lower <= $0.upper ? $0.lower...$0.upper : nil }))
    }

    /// The set holding exactly the ports of `set`.
    @inlinable public init(_ set: ClosedRangeSet<UInt16>) {
        let r = set.ranges
        switch r.count {
        case 0: self = .empty
        case 1: self.init(count: 1, lower0: r[0].lowerBound, upper0: r[0].upperBound, many: ClosedRangeSet())
        default: self.init(count: r.count, lower0: r[0].lowerBound, upper0: r[0].upperBound, many: set)
        }
    }

    /// The ports as the shared range-set type.
    @inlinable public var rangeSet: ClosedRangeSet<UInt16> {
        switch count {
        case 0: ClosedRangeSet()
        case 1: ClosedRangeSet(lower0...upper0)
        default: many
        }
    }

    /// True when no port is in the set.
    @inlinable public var isEmpty: Bool { count == 0 }
    /// True when the set is one range.
    @inlinable public var isSingleRange: Bool { count == 1 }
    /// The ranges in ascending order.
    public var ranges: [PortRange] {
        switch count {
        case 0: []
        case 1: [PortRange(lower0, upper0)]
        default: many.ranges.map { PortRange($0.lowerBound, $0.upperBound) }
        }
    }
    /// The smallest port, if any.
    @inlinable public var min: UInt16? { count == 0 ? nil : lower0 }
    /// Number of ports in the set.
    public var portCount: Int {
        switch count {
        case 0: 0
        case 1: Int(upper0) - Int(lower0) + 1
        default: many.ranges.reduce(0) { $0 + Int($1.upperBound) - Int($1.lowerBound) + 1 }
        }
    }

    /// True when `port` is in the set.
    @inlinable public func contains(_ port: UInt16) -> Bool {
        if count == 0 { return false }
        if port >= lower0 && port <= upper0 { return true }
        if count == 1 { return false }
        return many.contains(port)
    }

    /// The ports in both sets.
    @inlinable public func intersection(_ range: PortRange) -> PortSet {
        if count == 1 {
            let lo = Swift.max(lower0, range.lower), hi = Swift.min(upper0, range.upper)
            return lo <= hi ? PortSet(count: 1, lower0: lo, upper0: hi, many: ClosedRangeSet()) : .empty
        }
        if count == 0 { return .empty }
        // Several ranges: the one range overlapped (the usual case) stays inline; all or none keeps or drops them.
        let k = many.indices(overlapping: range.lower...range.upper)
        if k.isEmpty { return .empty }
        if k.count == 1 {
            let r = many.ranges[k.lowerBound]
            return PortSet(count: 1, lower0: Swift.max(r.lowerBound, range.lower), upper0: Swift.min(r.upperBound, range.upper),
                           many: ClosedRangeSet())
        }
        return PortSet(many.intersection(range.lower...range.upper))
    }

    /// The ports in both sets.
    @inlinable public func intersection(_ other: PortSet) -> PortSet {
        if other.count == 1 { return intersection(PortRange(other.lower0, other.upper0)) }
        if count == 1 { return other.intersection(PortRange(lower0, upper0)) }
        if count == 0 || other.count == 0 { return .empty }
        return PortSet(many.intersection(other.many))
    }

    /// The ports in either set.
    @inlinable public func union(_ other: PortSet) -> PortSet {
        if other.count == 0 { return self }
        if count == 0 { return other }
        if count == 1 && other.count == 1 {
            // Overlapping or adjacent single ranges merge inline.
            if UInt32(other.lower0) <= UInt32(upper0) + 1 && UInt32(lower0) <= UInt32(other.upper0) + 1 {
                return PortSet(count: 1, lower0: Swift.min(lower0, other.lower0), upper0: Swift.max(upper0, other.upper0),
                               many: ClosedRangeSet())
            }
        }
        // A single range already held adds nothing (no allocation).
        if other.count == 1 && count > 1 && many.contains(other.lower0...other.upper0) { return self }
        if count == 1 && other.count > 1 && other.many.contains(lower0...upper0) { return other }
        return PortSet(rangeSet.union(other.rangeSet))
    }

    /// The ports in this set and not in `other`.
    @inlinable public func subtracting(_ other: PortSet) -> PortSet {
        if other.count == 0 || count == 0 { return self }
        if count == 1 && other.count == 1 {
            if other.lower0 <= lower0 && other.upper0 >= upper0 { return .empty }
            if other.upper0 < lower0 || other.lower0 > upper0 { return self }
            // One range less another that covers one of its ends: one range, inline.
            if other.lower0 <= lower0 {
                return PortSet(count: 1, lower0: other.upper0 + 1, upper0: upper0, many: ClosedRangeSet())
            }
            if other.upper0 >= upper0 {
                return PortSet(count: 1, lower0: lower0, upper0: other.lower0 - 1, many: ClosedRangeSet())
            }
        }
        // A single range touching none of several: nothing removed (no allocation).
        if other.count == 1 && count > 1 && many.indices(overlapping: other.lower0...other.upper0).isEmpty { return self }
        return PortSet(rangeSet.subtracting(other.rangeSet))
    }

    /// `1024-65535`, `22, 80-90`, or `none`.
    public var description: String {
        count == 0 ? "none" : ranges.map(\.description).joined(separator: ", ")
    }
}
