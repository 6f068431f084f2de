/// A set of addresses of one family, kept as sorted, disjoint, non-adjacent ranges (a ``ClosedRangeSet``).
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
    /// The addresses: the generic range-set algorithm (``ClosedRangeSet``) over this family.
    public private(set) var addresses: ClosedRangeSet<Address>

    /// The ranges, sorted, pairwise disjoint and never adjacent (adjacent ranges are merged).
    public var ranges: [IPRange<Address>] {
        addresses.ranges.map { IPRange(uncheckedLower: $0.lowerBound, upper: $0.upperBound) }
    }

    /// The empty set.
    public init() { addresses = ClosedRangeSet() }

    /// The set holding exactly the addresses of `addresses`.
    public init(_ addresses: ClosedRangeSet<Address>) { self.addresses = addresses }

    /// The set of the addresses in any of `ranges`.
    ///
    /// - Complexity: O(n log n).
    public init<S: Sequence>(ranges input: S) where S.Element == IPRange<Address> {
        addresses = ClosedRangeSet(sorted: input.sorted().map { $0.lower...$0.upper })
    }

    /// The set of the addresses in any of `prefixes`.
    public init<S: Sequence>(_ prefixes: S) where S.Element == Prefix<Address> {
        self.init(ranges: prefixes.map(\.range))
    }

    /// True when the set holds no address.
    public var isEmpty: Bool { addresses.isEmpty }

    /// The number of addresses, or nil when it does not fit `Address.Bits` (the whole space).
    public var count: Address.Bits? {
        var total: Address.Bits = 0
        for r in addresses {
            guard let c = IPRange(uncheckedLower: r.lowerBound, upper: r.upperBound).count else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(c)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// True when `address` is in the set.
    ///
    /// - Complexity: O(log n).
    public func contains(_ address: Address) -> Bool { addresses.contains(address) }

    /// True when every address of `prefix` is in the set.
    public func contains(_ prefix: Prefix<Address>) -> Bool { addresses.contains(prefix.first...prefix.last) }

    /// The addresses in either set.
    ///
    /// - Complexity: O(n + m).
    public func union(_ other: PrefixSet) -> PrefixSet { PrefixSet(addresses.union(other.addresses)) }

    /// The addresses in both sets.
    ///
    /// - Complexity: O(n + m).
    public func intersection(_ other: PrefixSet) -> PrefixSet { PrefixSet(addresses.intersection(other.addresses)) }

    /// The addresses in this set and not in `other`.
    ///
    /// - Complexity: O(n + m).
    public func subtracting(_ other: PrefixSet) -> PrefixSet { PrefixSet(addresses.subtracting(other.addresses)) }

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
        for r in addresses { IPRange(uncheckedLower: r.lowerBound, upper: r.upperBound).forEachPrefix { out.append($0) } }
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
        for r in addresses {
            // Align `lower` up to a block boundary.
            var start = r.lowerBound.bits
            if start & lowMask != 0 {
                let (aligned, overflow) = (start | lowMask).addingReportingOverflow(1)
                if overflow { continue }
                start = aligned
            }
            while start >= r.lowerBound.bits {
                let end = start | lowMask
                if end > r.upperBound.bits || end < start { break }
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
