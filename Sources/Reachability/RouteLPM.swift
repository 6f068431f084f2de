import IPAddressing
import PrefixMatch

/// The longest-prefix-match table every route decision goes through (VPC and TGW route tables, subnet
/// lookup): a pair of `PrefixMatch` compiled tables, one per family.
///
/// Built once per route table when a topology compiles; lookups never allocate.
public struct RouteLPM<Value: Sendable>: Sendable {
    @usableFromInline let table4: CompiledPrefixTable<IPv4Address, Value>
    @usableFromInline let table6: CompiledPrefixTable<IPv6Address, Value>

    /// Builds a table; for a duplicate prefix the first entry wins (callers pre-resolve tie-breaks).
    public init(_ entries: [(IPPrefix, Value)]) {
        // Sized up front: the table of every subnet block (40,000 on the benchmark topology) grew its index
        // several times otherwise.
        var count4 = 0
        for (prefix, _) in entries { if case .v4 = prefix { count4 += 1 } }
        var b4 = PrefixTable<IPv4Address, Value>(minimumCapacity: count4)
        var b6 = PrefixTable<IPv6Address, Value>(minimumCapacity: entries.count - count4)
        for (prefix, value) in entries {
            switch prefix {
            // One search per entry: a duplicate (rare) puts the first value back.
            case .v4(let p): if let first = b4.insert(p, value) { b4.insert(p, first) }
            case .v6(let p): if let first = b6.insert(p, value) { b6.insert(p, first) }
            }
        }
        table4 = b4.compiled()
        table6 = b6.compiled()
    }

    /// The value of the longest prefix containing `address`, with that prefix's length.
    ///
    /// - Complexity: PrefixMatch's compiled lookup (binary search over intervals for small tables, Poptrie
    ///   for large ones); no allocation.
    @inlinable public func lookup(_ address: IPv4Address) -> (length: UInt8, value: Value)? {
        guard let i = table4.matchIndex(address) else { return nil }
        return (table4.prefixes[i].length, table4.values[i])
    }

    /// The value of the longest prefix containing `address`, with that prefix's length.
    @inlinable public func lookup(_ address: IPv6Address) -> (length: UInt8, value: Value)? {
        guard let i = table6.matchIndex(address) else { return nil }
        return (table6.prefixes[i].length, table6.values[i])
    }

    /// Looks up an address of either family.
    @inlinable public func lookup(_ address: IPAddress) -> (length: UInt8, value: Value)? {
        switch address {
        case .v4(let a): lookup(a)
        case .v6(let a): lookup(a)
        }
    }
}

extension RouteLPM {
    /// Calls `body` with each maximal IPv4 interval on which the lookup is constant, in address order: its
    /// first address and the winning value (nil: no match); the first starts at 0.
    @inline(__always) func forEachIPv4Interval(_ body: (UInt32, Value?) -> Void) {
        let values = table4.values
        table4.forEachInterval { start, route in body(start, route >= 0 ? values[Int(route)] : nil) }
    }

    /// Calls `body` with every value of the table (both families; invariant checks).
    func forEachValue(_ body: (Value) -> Void) {
        for i in 0..<table4.count { body(table4.values[i]) }
        for i in 0..<table6.count { body(table6.values[i]) }
    }
}
