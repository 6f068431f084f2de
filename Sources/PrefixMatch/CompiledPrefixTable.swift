import IPAddressing

/// A longest-prefix-match table frozen for lookup.
///
/// Build a ``PrefixTable``, then call ``PrefixTable/compiled()``. Routes are numbered `0..<count` in prefix
/// order (network address, then length); ``prefixes`` and ``values`` are indexed by that number, and the
/// index-returning lookups (``matchIndex(_:)``, ``lookupIndices(_:into:)``) return it, so a caller can keep
/// its own parallel arrays.
///
/// Layout (chosen by size, behind one API; see Docs/ARCHITECTURE.md, "PrefixMatch"):
/// - small tables: the disjoint address intervals the prefixes induce, searched by a branch-free binary search;
/// - large tables: a Poptrie (direct-pointing array, then 64-ary nodes with popcount-compressed children and
///   leaves).
///
/// Lookups never allocate. The value is immutable and `Sendable`: share it across threads freely.
public struct CompiledPrefixTable<Address: IPAddressProtocol, Value: Sendable>: Sendable {
    /// The prefixes in prefix order; route `i` is `(prefixes[i], values[i])`.
    public let prefixes: [Prefix<Address>]
    /// The values, parallel to ``prefixes``.
    public let values: [Value]
    /// The search structure mapping an address to a route index.
    @usableFromInline let index: LookupIndex<Address.Bits>

    /// The result written by the batch lookups for an address that no prefix contains.
    public static var noMatch: Int32 { -1 }

    @inlinable init(building table: PrefixTable<Address, Value>) {
        let order = table.sortedOrder()
        var prefixes: [Prefix<Address>] = []
        var values: [Value] = []
        prefixes.reserveCapacity(order.count)
        values.reserveCapacity(order.count)
        for i in order {
            prefixes.append(table.keys[i])
            values.append(table.values[i])
        }
        self.prefixes = prefixes
        self.values = values
        self.index = LookupIndex(sortedPrefixes: prefixes)
    }

    /// Creates an empty table (every lookup misses).
    @inlinable public init() {
        prefixes = []
        values = []
        index = LookupIndex(sortedPrefixes: [Prefix<Address>]())
    }

    /// The number of routes.
    @inlinable public var count: Int { prefixes.count }
    /// True when the table has no routes.
    @inlinable public var isEmpty: Bool { prefixes.isEmpty }

    /// The index (into ``prefixes``/``values``) of the longest prefix containing `address`, or nil.
    ///
    /// - Complexity: O(1) for the trie layout (a handful of node visits), O(log n) for small tables.
    @inlinable public func matchIndex(_ address: Address) -> Int? {
        let i = index.find(address.bits)
        return i < 0 ? nil : Int(i)
    }

    /// The value of the longest prefix containing `address`, or nil when none does.
    @inlinable public func lookup(_ address: Address) -> Value? {
        let i = index.find(address.bits)
        return i < 0 ? nil : values[Int(i)]
    }

    /// The longest prefix containing `address`, with its value, or nil when none does.
    @inlinable public func longestMatch(_ address: Address) -> (prefix: Prefix<Address>, value: Value)? {
        let i = index.find(address.bits)
        return i < 0 ? nil : (prefixes[Int(i)], values[Int(i)])
    }

    /// Looks up many addresses: `results[k]` becomes the route index for `addresses[k]`, or ``noMatch``.
    ///
    /// This is the fastest entry point (no optionals, one layout dispatch per batch, independent lookups
    /// overlap in the CPU). It does not allocate.
    /// - Precondition: `results.count >= addresses.count`.
    @inlinable public func lookupIndices(_ addresses: UnsafeBufferPointer<Address>, into results: UnsafeMutableBufferPointer<Int32>) {
        precondition(results.count >= addresses.count, "result buffer is shorter than the address buffer")
        guard let source = addresses.baseAddress, let target = results.baseAddress else { return }
        guard MemoryLayout<Address>.size == MemoryLayout<Address.Bits>.size,
              MemoryLayout<Address>.stride == MemoryLayout<Address.Bits>.stride else {
            for k in 0..<addresses.count { target[k] = index.find(addresses[k].bits) }
            return
        }
        // IPv4Address and IPv6Address are @frozen one-field structs around Bits: same layout.
        source.withMemoryRebound(to: Address.Bits.self, capacity: addresses.count) { bits in
            index.findBatch(bits, count: addresses.count, into: target)
        }
    }

    /// Array form of ``lookupIndices(_:into:)-(UnsafeBufferPointer<Address>,_)``; `results` must already have
    /// at least `addresses.count` elements (it is not resized, so a reused buffer never allocates).
    @inlinable public func lookupIndices(_ addresses: [Address], into results: inout [Int32]) {
        addresses.withUnsafeBufferPointer { a in
            results.withUnsafeMutableBufferPointer { r in lookupIndices(a, into: r) }
        }
    }

    /// Looks up many addresses: `results[k]` becomes the value for `addresses[k]`, or nil.
    /// - Precondition: `results.count >= addresses.count`.
    @inlinable public func lookup(_ addresses: UnsafeBufferPointer<Address>, into results: UnsafeMutableBufferPointer<Value?>) {
        precondition(results.count >= addresses.count, "result buffer is shorter than the address buffer")
        for k in 0..<addresses.count {
            let i = index.find(addresses[k].bits)
            results[k] = i < 0 ? nil : values[Int(i)]
        }
    }

    /// The value stored for exactly `prefix` (no longest-prefix matching).
    ///
    /// - Complexity: O(log n).
    public func value(for prefix: Prefix<Address>) -> Value? {
        var lo = 0, hi = prefixes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if prefixes[mid] < prefix { lo = mid + 1 } else { hi = mid }
        }
        return lo < prefixes.count && prefixes[lo] == prefix ? values[lo] : nil
    }

    /// Calls `body` with each maximal address interval on which the longest match is constant, in address
    /// order: the interval's first address (as bits; the first interval starts at 0) and the index of the
    /// winning route (into ``prefixes``/``values``; -1: no prefix contains the interval). Consecutive intervals
    /// have different routes, and together they cover the whole address space.
    ///
    /// - Complexity: O(number of intervals) for small tables (the search structure is read as it is); the trie
    ///   layout sweeps the prefixes again, O(n).
    @inlinable public func forEachInterval(_ body: (_ start: Address.Bits, _ route: Int32) -> Void) {
        index.forEachInterval(sortedPrefixes: prefixes, body)
    }

    /// Every prefix containing `address`, longest first, as route indices.
    public func allMatchIndices(_ address: Address) -> [Int] {
        var result: [Int] = []
        for i in prefixes.indices where prefixes[i].contains(address) { result.append(i) }
        result.sort { prefixes[$0].length > prefixes[$1].length }
        return result
    }

    /// The routes in prefix order.
    public var routes: Zip2Sequence<[Prefix<Address>], [Value]> { zip(prefixes, values) }

    /// A builder holding the same routes, to edit and compile again.
    public func builder() -> PrefixTable<Address, Value> {
        var table = PrefixTable<Address, Value>(minimumCapacity: prefixes.count)
        for i in prefixes.indices { table.insert(prefixes[i], values[i]) }
        return table
    }

    /// Bytes used by the search structure (excluding ``prefixes`` and ``values``).
    public var indexMemoryBytes: Int { index.memoryBytes }

    /// The layout chosen for this table, for diagnostics and benchmarks.
    public var layoutName: String { index.layoutName }
}
