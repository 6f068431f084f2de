import IPAddressing

/// The search structure of a ``CompiledPrefixTable``: maps address bits to a route index (or -1).
///
/// Two layouts behind one type (no existentials; one predictable branch per lookup, one per batch):
/// - `intervals` for small tables: the sorted start addresses of the disjoint intervals the prefixes cut the
///   address space into, each with the route index that wins there; a branch-free binary search finds the
///   interval.
/// - `trie` for large tables: a ``Poptrie``.
@usableFromInline struct LookupIndex<Bits: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    /// Interval layout: `starts[k]` is the first address of interval `k` (`starts[0] == 0`), padded to a
    /// power of two with `Bits.max` so the search has a fixed number of steps.
    @usableFromInline let starts: [Bits]
    /// Interval layout: the route index winning in interval `k`, or -1.
    @usableFromInline let results: [Int32]
    /// Trie layout (nil for the interval layout).
    @usableFromInline let trie: Poptrie<Bits>?

    /// Tables with more routes than this use the trie layout.
    @inlinable static var intervalLimit: Int { 256 }

    /// Builds the index for prefixes given in prefix order (network, then length), without duplicates.
    @inlinable init<Address: IPAddressProtocol>(sortedPrefixes prefixes: [Prefix<Address>]) where Address.Bits == Bits {
        if prefixes.count > Self.intervalLimit {
            trie = Poptrie(sortedPrefixes: prefixes)
            starts = []
            results = []
        } else if prefixes.isEmpty {
            // One interval, no route: no start array at all (the search takes no step and reads `results[0]`).
            // Most IPv6 halves of route tables are empty: this saves the sweep and its arrays for each.
            trie = nil
            starts = []
            results = [-1]
        } else {
            trie = nil
            (starts, results) = Self.intervals(sortedPrefixes: prefixes)
        }
    }

    /// Cuts the address space into maximal intervals with one winning route each.
    ///
    /// A sweep over the prefixes in prefix order with a stack of the prefixes enclosing the current one:
    /// CIDR blocks nest or are disjoint, and a block sorts before the blocks inside it.
    @inlinable static func intervals<Address: IPAddressProtocol>(sortedPrefixes prefixes: [Prefix<Address>]) -> ([Bits], [Int32]) where Address.Bits == Bits {
        // Reserved before the first element (at most 2n + 1 intervals; padding may still grow it): a literal
        // `[0]` then `reserveCapacity` allocated each array twice.
        let capacity = 2 * prefixes.count + 2
        var starts: [Bits] = []
        var results: [Int32] = []
        starts.reserveCapacity(capacity)
        results.reserveCapacity(capacity)
        starts.append(0)
        results.append(-1)
        func emit(_ start: Bits, _ route: Int32) {
            if let last = starts.last, last == start {
                starts.removeLast()
                results.removeLast()
            }
            if let last = results.last, last == route { return }
            starts.append(start)
            results.append(route)
        }
        // Enclosing prefixes: (last address, route index).
        var stack: [(last: Bits, route: Int32)] = []
        stack.reserveCapacity(Address.bitWidth + 1)
        func pop() {
            guard let top = stack.popLast() else { return }
            if top.last != Bits.max {
                emit(top.last &+ 1, stack.last?.route ?? -1)
            }
        }
        for (i, p) in prefixes.enumerated() {
            let first = p.network.bits
            while let top = stack.last, top.last < first { pop() }
            emit(first, Int32(i))
            stack.append((first | p.hostMask, Int32(i)))
        }
        while !stack.isEmpty { pop() }
        // Pad to a power of two so the search runs a fixed number of halving steps.
        var size = 1
        while size < starts.count { size <<= 1 }
        let pad = size - starts.count
        if pad > 0 {
            // Padding sorts after every real start; it is never selected unless the address is Bits.max and
            // the last real interval starts below it, so give it the last interval's result.
            let lastResult = results[results.count - 1]
            starts.append(contentsOf: repeatElement(Bits.max, count: pad))
            results.append(contentsOf: repeatElement(lastResult, count: pad))
        }
        return (starts, results)
    }

    /// Calls `body` with each maximal interval of keys on which the winning route is constant, in key order:
    /// its first key (the first is 0) and the route index (-1: none); consecutive intervals differ in route.
    /// `prefixes` are the sorted prefixes the index was built from (the trie layout sweeps them again).
    @inlinable func forEachInterval<Address: IPAddressProtocol>(sortedPrefixes prefixes: [Prefix<Address>],
                                                                 _ body: (Bits, Int32) -> Void) where Address.Bits == Bits {
        func visit(_ s: [Bits], _ r: [Int32]) {
            guard !s.isEmpty else { body(0, -1); return }
            var previous = r[0]
            body(s[0], previous)
            var k = 1
            // Skips the padding (the last result repeated) and merges equal neighbours, if any.
            while k < s.count {
                if r[k] != previous { previous = r[k]; body(s[k], previous) }
                k += 1
            }
        }
        if trie == nil {
            visit(starts, results)
        } else {
            let (s, r) = Self.intervals(sortedPrefixes: prefixes)
            visit(s, r)
        }
    }

    /// The route index for `key`, or -1.
    @inlinable @inline(__always) func find(_ key: Bits) -> Int32 {
        if let trie { return trie.find(key) }
        return starts.withUnsafeBufferPointer { s in
            results.withUnsafeBufferPointer { r in Self.searchIntervals(s, r, key) }
        }
    }

    /// Branch-free binary search: the last interval whose start is `<= key`.
    @inlinable @inline(__always)
    static func searchIntervals(_ starts: UnsafeBufferPointer<Bits>, _ results: UnsafeBufferPointer<Int32>, _ key: Bits) -> Int32 {
        guard let s = starts.baseAddress, let r = results.baseAddress else { return -1 }
        var base = 0
        var half = starts.count &>> 1
        while half > 0 {
            // Written as a select (compiles to cmov): the comparison outcome is unpredictable.
            let probe = base &+ half
            base = s[probe] <= key ? probe : base
            half &>>= 1
        }
        return r[base]
    }

    /// Looks up `count` keys into `out`.
    @inlinable func findBatch(_ keys: UnsafePointer<Bits>, count: Int, into out: UnsafeMutablePointer<Int32>) {
        if let trie {
            trie.findBatch(keys, count: count, into: out)
            return
        }
        starts.withUnsafeBufferPointer { s in
            results.withUnsafeBufferPointer { r in
                for k in 0..<count { out[k] = Self.searchIntervals(s, r, keys[k]) }
            }
        }
    }

    var memoryBytes: Int {
        (trie?.memoryBytes ?? 0) + starts.capacity * MemoryLayout<Bits>.stride + results.capacity * 4
    }

    var layoutName: String { trie == nil ? "intervals" : "poptrie" }
}
