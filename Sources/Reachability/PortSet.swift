import IPAddressing
import NetworkModel

/// A set of ports (0…65535) kept as sorted, disjoint, non-adjacent inclusive ranges.
///
/// The first range is stored inline, so a set of one range — every per-packet set and most query sets —
/// never allocates. Sets of one range combine inline; anything longer goes through the shared range-set
/// algorithm (``ClosedRangeSet`` over `UInt16`, IPAddressing), as linear merges range by range.
public struct PortSet: Hashable, Sendable, CustomStringConvertible {
    /// Number of ranges (0 = empty).
    @usableFromInline var count: Int
    @usableFromInline var lower0: UInt16
    @usableFromInline var upper0: UInt16
    /// Ranges after the first (only when `count > 1`).
    @usableFromInline var more: [PortRange]

    /// The empty set.
    public static let empty = PortSet(count: 0, lower0: 0, upper0: 0, more: [])
    /// Every port 0…65535.
    public static let all = PortSet(PortRange.all)
    /// The ephemeral client range 1024…65535 (Docs/AWS-BEHAVIOUR.md §8).
    public static let ephemeral = PortSet(PortRange.ephemeral)

    @inlinable init(count: Int, lower0: UInt16, upper0: UInt16, more: [PortRange]) {
        self.count = count
        self.lower0 = lower0
        self.upper0 = upper0
        self.more = more
    }

    /// The set holding exactly `range`.
    @inlinable public init(_ range: PortRange) {
        self.init(count: 1, lower0: range.lower, upper0: range.upper, more: [])
    }

    /// The set holding one port.
    @inlinable public init(port: UInt16) { self.init(count: 1, lower0: port, upper0: port, more: []) }

    /// The set holding the union of `ranges` (any order, overlaps allowed; backwards ranges are empty).
    public init(ranges: [PortRange]) {
        self.init(ClosedRangeSet(ranges.compactMap { $0.lower <= $0.upper ? $0.lower...$0.upper : nil }))
    }

    /// The set holding exactly the ports of `set`.
    public init(_ set: ClosedRangeSet<UInt16>) {
        self.init(normalized: set.ranges.map { PortRange($0.lowerBound, $0.upperBound) })
    }

    /// The ports as the shared range-set type.
    public var rangeSet: ClosedRangeSet<UInt16> { ClosedRangeSet(sorted: ranges.map { $0.lower...$0.upper }) }

    @usableFromInline init(normalized: [PortRange]) {
        if let first = normalized.first {
            self.init(count: normalized.count, lower0: first.lower, upper0: first.upper,
                      more: normalized.count > 1 ? Array(normalized.dropFirst()) : [])
        } else {
            self = .empty
        }
    }

    /// True when no port is in the set.
    @inlinable public var isEmpty: Bool { count == 0 }
    /// True when the set is one range.
    @inlinable public var isSingleRange: Bool { count == 1 }
    /// The ranges in ascending order.
    public var ranges: [PortRange] {
        count == 0 ? [] : [PortRange(lower0, upper0)] + more
    }
    /// The smallest port, if any.
    @inlinable public var min: UInt16? { count == 0 ? nil : lower0 }
    /// Number of ports in the set.
    public var portCount: Int {
        count == 0 ? 0 : Int(upper0) - Int(lower0) + 1 + more.reduce(0) { $0 + Int($1.upper) - Int($1.lower) + 1 }
    }

    /// True when `port` is in the set.
    @inlinable public func contains(_ port: UInt16) -> Bool {
        if count == 0 { return false }
        if port >= lower0 && port <= upper0 { return true }
        if count == 1 { return false }
        for r in more where r.contains(port) { return true }
        return false
    }

    /// The ports in both sets.
    @inlinable public func intersection(_ range: PortRange) -> PortSet {
        if count == 1 {
            let lo = Swift.max(lower0, range.lower), hi = Swift.min(upper0, range.upper)
            return lo <= hi ? PortSet(count: 1, lower0: lo, upper0: hi, more: []) : .empty
        }
        if count == 0 { return .empty }
        return PortSet.combine(ranges, [range], .intersection)
    }

    /// The ports in both sets.
    public func intersection(_ other: PortSet) -> PortSet {
        if other.count == 1 { return intersection(PortRange(other.lower0, other.upper0)) }
        if count == 1 { return other.intersection(PortRange(lower0, upper0)) }
        if count == 0 || other.count == 0 { return .empty }
        return PortSet.combine(ranges, other.ranges, .intersection)
    }

    /// The ports in either set.
    public func union(_ other: PortSet) -> PortSet {
        if other.count == 0 { return self }
        if count == 0 { return other }
        if count == 1 && other.count == 1 {
            // Overlapping or adjacent single ranges merge inline.
            if UInt32(other.lower0) <= UInt32(upper0) + 1 && UInt32(lower0) <= UInt32(other.upper0) + 1 {
                return PortSet(count: 1, lower0: Swift.min(lower0, other.lower0), upper0: Swift.max(upper0, other.upper0), more: [])
            }
        }
        return PortSet.combine(ranges, other.ranges, .union)
    }

    /// The ports in this set and not in `other`.
    public func subtracting(_ other: PortSet) -> PortSet {
        if other.count == 0 || count == 0 { return self }
        if count == 1 && other.count == 1 {
            if other.lower0 <= lower0 && other.upper0 >= upper0 { return .empty }
            if other.upper0 < lower0 || other.lower0 > upper0 { return self }
        }
        return PortSet.combine(ranges, other.ranges, .subtracting)
    }

    /// Which set operation ``combine(_:_:_:)`` performs.
    @usableFromInline enum Combination { case intersection, union, subtracting }

    /// Combines two normalized range lists with the shared range-set algorithm (``ClosedRangeSet``).
    @usableFromInline static func combine(_ a: [PortRange], _ b: [PortRange], _ how: Combination) -> PortSet {
        let x = ClosedRangeSet(sorted: a.map { $0.lower...$0.upper }), y = ClosedRangeSet(sorted: b.map { $0.lower...$0.upper })
        switch how {
        case .intersection: return PortSet(x.intersection(y))
        case .union: return PortSet(x.union(y))
        case .subtracting: return PortSet(x.subtracting(y))
        }
    }

    /// `1024-65535`, `22, 80-90`, or `none`.
    public var description: String {
        count == 0 ? "none" : ranges.map(\.description).joined(separator: ", ")
    }
}
