/// A set of addresses of one family, kept as sorted, disjoint, non-adjacent ranges.
///
/// Build it from prefixes or ranges, combine with ``union(_:)``, ``intersection(_:)`` and ``subtracting(_:)``,
/// and read it back as ranges or as the minimal list of CIDR blocks (``prefixes``). Two sets are equal exactly
/// when they hold the same addresses.
///
/// ```swift
/// let vpc = PrefixSet([try IPv4Prefix("10.0.0.0/16")])
/// let used = PrefixSet([try IPv4Prefix("10.0.0.0/24"), try IPv4Prefix("10.0.2.0/24")])
/// vpc.subtracting(used).prefixes.first   // 10.0.1.0/24
/// ```
public struct PrefixSet<Address: IPAddressProtocol>: Hashable, Sendable, CustomStringConvertible {
    /// The ranges, sorted, pairwise disjoint and never adjacent (adjacent ranges are merged).
    public private(set) var ranges: [IPRange<Address>]

    /// The empty set.
    public init() { ranges = [] }

    /// The set of the addresses in any of `ranges`.
    ///
    /// - Complexity: O(n log n).
    public init<S: Sequence>(ranges input: S) where S.Element == IPRange<Address> {
        ranges = PrefixSet.normalized(input.sorted())
    }

    /// The set of the addresses in any of `prefixes`.
    public init<S: Sequence>(_ prefixes: S) where S.Element == Prefix<Address> {
        self.init(ranges: prefixes.map(\.range))
    }

    /// Merges sorted ranges into disjoint, non-adjacent ones.
    static func normalized(_ sorted: [IPRange<Address>]) -> [IPRange<Address>] {
        var out: [IPRange<Address>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, last.upper.bits == Address.Bits.max || r.lower.bits <= last.upper.bits &+ 1 {
                if r.upper > last.upper { out[out.count - 1] = IPRange(uncheckedLower: last.lower, upper: r.upper) }
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// True when the set holds no address.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The number of addresses, or nil when it does not fit `Address.Bits` (the whole space).
    public var count: Address.Bits? {
        var total: Address.Bits = 0
        for r in ranges {
            guard let c = r.count else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(c)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// True when `address` is in the set.
    ///
    /// - Complexity: O(log n).
    public func contains(_ address: Address) -> Bool {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upper < address { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].lower <= address
    }

    /// True when every address of `prefix` is in the set.
    public func contains(_ prefix: Prefix<Address>) -> Bool {
        let r = prefix.range
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ranges[mid].upper < r.lower { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count && ranges[lo].contains(r)
    }

    /// The addresses in either set.
    ///
    /// - Complexity: O(n + m).
    public func union(_ other: PrefixSet) -> PrefixSet {
        var merged: [IPRange<Address>] = []
        merged.reserveCapacity(ranges.count + other.ranges.count)
        var i = 0, j = 0
        while i < ranges.count || j < other.ranges.count {
            if j == other.ranges.count || (i < ranges.count && ranges[i] < other.ranges[j]) {
                merged.append(ranges[i]); i += 1
            } else {
                merged.append(other.ranges[j]); j += 1
            }
        }
        var result = PrefixSet()
        result.ranges = PrefixSet.normalized(merged)
        return result
    }

    /// The addresses in both sets.
    ///
    /// - Complexity: O(n + m).
    public func intersection(_ other: PrefixSet) -> PrefixSet {
        var out: [IPRange<Address>] = []
        var i = 0, j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i], b = other.ranges[j]
            let lower = Swift.max(a.lower, b.lower), upper = Swift.min(a.upper, b.upper)
            if lower <= upper { out.append(IPRange(uncheckedLower: lower, upper: upper)) }
            if a.upper < b.upper { i += 1 } else { j += 1 }
        }
        var result = PrefixSet()
        result.ranges = out
        return result
    }

    /// The addresses in this set and not in `other`.
    ///
    /// - Complexity: O(n + m).
    public func subtracting(_ other: PrefixSet) -> PrefixSet {
        var out: [IPRange<Address>] = []
        var j = 0
        for r in ranges {
            var lower = r.lower
            var exhausted = false
            while j < other.ranges.count && other.ranges[j].upper < lower { j += 1 }
            var k = j
            while k < other.ranges.count && other.ranges[k].lower <= r.upper {
                let cut = other.ranges[k]
                if cut.lower > lower, let before = cut.lower.predecessor {
                    out.append(IPRange(uncheckedLower: lower, upper: before))
                }
                guard let after = cut.upper.successor, cut.upper < r.upper else { exhausted = true; break }
                lower = Swift.max(lower, after)
                k += 1
            }
            if !exhausted { out.append(IPRange(uncheckedLower: lower, upper: r.upper)) }
        }
        var result = PrefixSet()
        result.ranges = out
        return result
    }

    /// Adds the addresses of `other`.
    public mutating func formUnion(_ other: PrefixSet) { self = union(other) }
    /// Removes the addresses of `other`.
    public mutating func subtract(_ other: PrefixSet) { self = subtracting(other) }
    /// Adds one block.
    public mutating func insert(_ prefix: Prefix<Address>) { formUnion(PrefixSet([prefix])) }
    /// Removes one block.
    public mutating func remove(_ prefix: Prefix<Address>) { subtract(PrefixSet([prefix])) }

    /// The minimal list of CIDR blocks holding exactly the set's addresses, in address order.
    public var prefixes: [Prefix<Address>] {
        var out: [Prefix<Address>] = []
        for r in ranges { r.forEachPrefix { out.append($0) } }
        return out
    }

    /// The first `limit` aligned blocks of prefix length `length` lying wholly inside the set, in address
    /// order: the answer to "where can I put the next /24?".
    ///
    /// - Complexity: O(ranges + limit).
    public func firstBlocks(length: Int, limit: Int) -> [Prefix<Address>] {
        guard length >= 0, length <= Address.bitWidth, limit > 0 else { return [] }
        let hostBits = Address.bitWidth - length
        let lowMask: Address.Bits = hostBits == Address.bitWidth ? Address.Bits.max : (Address.Bits(1) &<< Address.Bits(hostBits)) &- 1
        var out: [Prefix<Address>] = []
        for r in ranges {
            // Align `lower` up to a block boundary.
            var start = r.lower.bits
            if start & lowMask != 0 {
                let (aligned, overflow) = (start | lowMask).addingReportingOverflow(1)
                if overflow { continue }
                start = aligned
            }
            while start >= r.lower.bits {
                let end = start | lowMask
                if end > r.upper.bits || end < start { break }
                out.append(Prefix(uncheckedNetwork: Address(bits: start), length: UInt8(length)))
                if out.count == limit { return out }
                let (next, overflow) = end.addingReportingOverflow(1)
                if overflow { break }
                start = next
            }
        }
        return out
    }

    /// The ranges, comma separated.
    public var description: String { "{" + ranges.map(\.description).joined(separator: ", ") + "}" }
}

public typealias IPv4PrefixSet = PrefixSet<IPv4Address>
public typealias IPv6PrefixSet = PrefixSet<IPv6Address>
