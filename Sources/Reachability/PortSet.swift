import NetworkModel

/// A set of ports (0…65535) kept as sorted, disjoint, non-adjacent inclusive ranges.
///
/// The first range is stored inline, so a set of one range — every per-packet set and most query sets —
/// never allocates. Intersection, union and difference work range by range, never port by port.
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

    /// The set holding the union of `ranges` (any order, overlaps allowed).
    public init(ranges: [PortRange]) {
        let sorted = ranges.filter { $0.lower <= $0.upper }.sorted { $0.lower < $1.lower }
        var merged: [PortRange] = []
        for r in sorted {
            if let last = merged.last, UInt32(r.lower) <= UInt32(last.upper) + 1 {
                merged[merged.count - 1].upper = max(last.upper, r.upper)
            } else {
                merged.append(r)
            }
        }
        self.init(normalized: merged)
    }

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
        return PortSet.combine(ranges, [range]) { $0 && $1 }
    }

    /// The ports in both sets.
    public func intersection(_ other: PortSet) -> PortSet {
        if other.count == 1 { return intersection(PortRange(other.lower0, other.upper0)) }
        if count == 1 { return other.intersection(PortRange(lower0, upper0)) }
        if count == 0 || other.count == 0 { return .empty }
        return PortSet.combine(ranges, other.ranges) { $0 && $1 }
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
        return PortSet.combine(ranges, other.ranges) { $0 || $1 }
    }

    /// The ports in this set and not in `other`.
    public func subtracting(_ other: PortSet) -> PortSet {
        if other.count == 0 || count == 0 { return self }
        if count == 1 && other.count == 1 {
            if other.lower0 <= lower0 && other.upper0 >= upper0 { return .empty }
            if other.upper0 < lower0 || other.lower0 > upper0 { return self }
        }
        return PortSet.combine(ranges, other.ranges) { $0 && !$1 }
    }

    /// Sweeps the boundaries of two normalized range lists, keeping the ports where `keep(inA, inB)`.
    @usableFromInline static func combine(_ a: [PortRange], _ b: [PortRange], _ keep: (Bool, Bool) -> Bool) -> PortSet {
        // Boundaries as half-open [lower, upper+1) events over 0…65536.
        var points: [UInt32] = []
        points.reserveCapacity(2 * (a.count + b.count) + 2)
        for r in a { points.append(UInt32(r.lower)); points.append(UInt32(r.upper) + 1) }
        for r in b { points.append(UInt32(r.lower)); points.append(UInt32(r.upper) + 1) }
        points.sort()
        var result: [PortRange] = []
        func inside(_ list: [PortRange], _ p: UInt32) -> Bool {
            for r in list where UInt32(r.lower) <= p && p <= UInt32(r.upper) { return true }
            return false
        }
        var previous: UInt32? = nil
        for p in points where p != previous {
            previous = p
            guard p <= 65535 else { continue }
            if keep(inside(a, p), inside(b, p)) {
                // The segment from p to the next boundary - 1 has constant membership.
                let next = points.first { $0 > p } ?? 65536
                let upper = UInt16(next - 1)
                if let last = result.last, UInt32(last.upper) + 1 == p {
                    result[result.count - 1].upper = upper
                } else {
                    result.append(PortRange(UInt16(p), upper))
                }
            }
        }
        return PortSet(normalized: result)
    }

    /// `1024-65535`, `22, 80-90`, or `none`.
    public var description: String {
        count == 0 ? "none" : ranges.map(\.description).joined(separator: ", ")
    }
}
