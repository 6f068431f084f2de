/// A bound a ``ClosedRangeSet`` can merge: ordered, with a next and a previous value (nil at the ends), so
/// two ranges that touch (`1...4`, `5...9`) are recognised as one.
public protocol DiscreteBound: Hashable, Comparable, Sendable {
    /// The next value, or nil for the largest.
    var successor: Self? { get }
    /// The previous value, or nil for the smallest.
    var predecessor: Self? { get }
}

extension UInt8: DiscreteBound {
    @inlinable public var successor: UInt8? { self == .max ? nil : self &+ 1 }
    @inlinable public var predecessor: UInt8? { self == 0 ? nil : self &- 1 }
}
extension UInt16: DiscreteBound {
    @inlinable public var successor: UInt16? { self == .max ? nil : self &+ 1 }
    @inlinable public var predecessor: UInt16? { self == 0 ? nil : self &- 1 }
}
extension UInt32: DiscreteBound {
    @inlinable public var successor: UInt32? { self == .max ? nil : self &+ 1 }
    @inlinable public var predecessor: UInt32? { self == 0 ? nil : self &- 1 }
}
// IPv4Address and IPv6Address are bounds through IPAddressProtocol.

/// A set of values kept as sorted, pairwise disjoint, non-adjacent closed ranges — the one range-set
/// algorithm behind ``PrefixSet`` (addresses) and Reachability's `PortSet` (ports).
///
/// Because the ranges are normalised (adjacent and overlapping ranges merged), two sets are equal exactly
/// when they hold the same values. ``union(_:)``, ``intersection(_:)`` and ``subtracting(_:)`` are linear
/// merges of the two range lists; ``contains(_:)-(Bound)`` is a binary search.
///
/// Closed ranges, not the standard library's half-open `RangeSet`: a range may end at the type's largest
/// value (port 65535, 255.255.255.255) without a wider type. (The different name keeps the standard
/// library's `RangeSet` usable wherever IPAddressing is imported.)
///
/// ```swift
/// let a = ClosedRangeSet<UInt16>([1...10, 20...30])
/// a.subtracting(ClosedRangeSet([5...25])).ranges   // [1...4, 26...30]
/// ```
@frozen public struct ClosedRangeSet<Bound: DiscreteBound>: Hashable, Sendable, Sequence {
    /// The ranges, sorted, pairwise disjoint and never adjacent.
    public private(set) var ranges: [ClosedRange<Bound>]

    /// The empty set.
    public init() { ranges = [] }

    /// The set of the values in any of `ranges` (any order, overlaps allowed).
    ///
    /// - Complexity: O(n log n).
    @inlinable public init<S: Sequence>(_ input: S) where S.Element == ClosedRange<Bound> {
        self.init(normalized: ClosedRangeSet.merged(input.sorted {
            $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound < $1.upperBound)
        }))
    }

    /// A set whose ranges are already sorted by lower bound (overlaps and adjacency allowed: they are merged).
    ///
    /// - Complexity: O(n).
    @inlinable public init(sorted: [ClosedRange<Bound>]) {
        self.init(normalized: ClosedRangeSet.merged(sorted))
    }

    /// The set holding exactly `range`.
    @inlinable public init(_ range: ClosedRange<Bound>) { self.init(normalized: [range]) }

    /// Wraps ranges that are already sorted, disjoint and non-adjacent (checked in debug builds).
    @usableFromInline init(normalized: [ClosedRange<Bound>]) {
        ranges = normalized
        assert(ClosedRangeSet.isNormalized(normalized), "ranges not sorted, disjoint and non-adjacent")
    }

    /// True when `ranges` are sorted, disjoint and non-adjacent: the invariant every set keeps.
    @usableFromInline static func isNormalized(_ ranges: [ClosedRange<Bound>]) -> Bool {
        guard ranges.count > 1 else { return true }
        for i in 1..<ranges.count {
            guard let next = ranges[i - 1].upperBound.successor, next < ranges[i].lowerBound else { return false }
        }
        return true
    }

    /// Merges ranges sorted by lower bound into disjoint, non-adjacent ones.
    @inlinable static func merged(_ sorted: [ClosedRange<Bound>]) -> [ClosedRange<Bound>] {
        var out: [ClosedRange<Bound>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, ClosedRangeSet.touches(last, r) {
                if r.upperBound > last.upperBound { out[out.count - 1] = last.lowerBound...r.upperBound }
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// True when `later` (lower bound ≥ `earlier`'s) overlaps or directly follows `earlier`.
    @inlinable @inline(__always) static func touches(_ earlier: ClosedRange<Bound>, _ later: ClosedRange<Bound>) -> Bool {
        guard let next = earlier.upperBound.successor else { return true }
        return later.lowerBound <= next
    }

    /// True when the set holds no value.
    @inlinable public var isEmpty: Bool { ranges.isEmpty }

    /// The ranges in ascending order.
    public func makeIterator() -> IndexingIterator<[ClosedRange<Bound>]> { ranges.makeIterator() }

    /// The index of the first range whose upper bound is at least `value` (`ranges.count` when none).
    @inlinable func firstIndex(notBelow value: Bound) -> Int {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upperBound < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// True when `value` is in the set.
    ///
    /// - Complexity: O(log n).
    @inlinable public func contains(_ value: Bound) -> Bool {
        let i = firstIndex(notBelow: value)
        return i < ranges.count && ranges[i].lowerBound <= value
    }

    /// True when every value of `range` is in the set.
    ///
    /// - Complexity: O(log n).
    @inlinable public func contains(_ range: ClosedRange<Bound>) -> Bool {
        let i = firstIndex(notBelow: range.lowerBound)
        return i < ranges.count && ranges[i].lowerBound <= range.lowerBound && range.upperBound <= ranges[i].upperBound
    }

    /// The values in either set.
    ///
    /// - Complexity: O(n + m).
    @inlinable public func union(_ other: ClosedRangeSet) -> ClosedRangeSet {
        if other.ranges.isEmpty { return self }
        if ranges.isEmpty { return other }
        var out: [ClosedRange<Bound>] = []
        out.reserveCapacity(ranges.count + other.ranges.count)
        var i = 0, j = 0
        while i < ranges.count || j < other.ranges.count {
            let r: ClosedRange<Bound>
            if j == other.ranges.count || (i < ranges.count && ranges[i].lowerBound <= other.ranges[j].lowerBound) {
                r = ranges[i]; i += 1
            } else {
                r = other.ranges[j]; j += 1
            }
            if let last = out.last, ClosedRangeSet.touches(last, r) {
                if r.upperBound > last.upperBound { out[out.count - 1] = last.lowerBound...r.upperBound }
            } else {
                out.append(r)
            }
        }
        return ClosedRangeSet(normalized: out)
    }

    /// The positions in ``ranges`` of the ranges that share a value with `range` (empty when none does).
    ///
    /// - Complexity: O(log n).
    @inlinable public func indices(overlapping range: ClosedRange<Bound>) -> Range<Int> {
        let start = firstIndex(notBelow: range.lowerBound)
        var lo = start, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].lowerBound <= range.upperBound { lo = mid + 1 } else { hi = mid }
        }
        return start..<lo
    }

    /// The values of the set that are in `range`: no allocation when the answer is the whole set or nothing.
    ///
    /// - Complexity: O(log n + k), k the ranges kept.
    @inlinable public func intersection(_ range: ClosedRange<Bound>) -> ClosedRangeSet {
        let k = indices(overlapping: range)
        if k.isEmpty { return ClosedRangeSet() }
        let first = ranges[k.lowerBound], last = ranges[k.upperBound - 1]
        if k.count == ranges.count && range.lowerBound <= first.lowerBound && last.upperBound <= range.upperBound { return self }
        var out = Array(ranges[k])
        out[0] = Swift.max(first.lowerBound, range.lowerBound)...Swift.min(first.upperBound, range.upperBound)
        if out.count > 1 { out[out.count - 1] = last.lowerBound...Swift.min(last.upperBound, range.upperBound) }
        return ClosedRangeSet(normalized: out)
    }

    /// The values in both sets.
    ///
    /// - Complexity: O(n + m); O(log n + k) when one side is a single range.
    @inlinable public func intersection(_ other: ClosedRangeSet) -> ClosedRangeSet {
        if other.ranges.count == 1 { return intersection(other.ranges[0]) }
        if ranges.count == 1 { return other.intersection(ranges[0]) }
        var out: [ClosedRange<Bound>] = []
        out.reserveCapacity(ranges.count + other.ranges.count)
        var i = 0, j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i], b = other.ranges[j]
            let lower = Swift.max(a.lowerBound, b.lowerBound), upper = Swift.min(a.upperBound, b.upperBound)
            if lower <= upper { out.append(lower...upper) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return ClosedRangeSet(normalized: out)
    }

    /// The values in this set and not in `other`.
    ///
    /// - Complexity: O(n + m).
    @inlinable public func subtracting(_ other: ClosedRangeSet) -> ClosedRangeSet {
        if other.ranges.isEmpty || ranges.isEmpty { return self }
        // One range removed that touches none of ours (beyond the ends, or in a gap): nothing changes.
        if other.ranges.count == 1 && indices(overlapping: other.ranges[0]).isEmpty { return self }
        var out: [ClosedRange<Bound>] = []
        out.reserveCapacity(ranges.count + other.ranges.count)
        var j = 0
        for r in ranges {
            var lower = r.lowerBound
            var exhausted = false
            while j < other.ranges.count && other.ranges[j].upperBound < lower { j += 1 }
            var k = j
            while k < other.ranges.count && other.ranges[k].lowerBound <= r.upperBound {
                let cut = other.ranges[k]
                if cut.lowerBound > lower, let before = cut.lowerBound.predecessor { out.append(lower...before) }
                guard let after = cut.upperBound.successor, cut.upperBound < r.upperBound else { exhausted = true; break }
                lower = Swift.max(lower, after)
                k += 1
            }
            if !exhausted { out.append(lower...r.upperBound) }
        }
        return ClosedRangeSet(normalized: out)
    }

    /// Adds the values of `other`.
    public mutating func formUnion(_ other: ClosedRangeSet) { self = union(other) }
    /// Keeps only the values also in `other`.
    public mutating func formIntersection(_ other: ClosedRangeSet) { self = intersection(other) }
    /// Removes the values of `other`.
    public mutating func subtract(_ other: ClosedRangeSet) { self = subtracting(other) }
    /// Adds one range.
    public mutating func insert(_ range: ClosedRange<Bound>) { formUnion(ClosedRangeSet(normalized: [range])) }
    /// Removes one range.
    public mutating func remove(_ range: ClosedRange<Bound>) { subtract(ClosedRangeSet(normalized: [range])) }
}
