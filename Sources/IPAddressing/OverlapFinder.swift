/// How two CIDR blocks overlap. Two CIDR blocks that share an address are either equal or one holds the other.
public enum OverlapKind: String, Hashable, Sendable {
    /// The same block twice.
    case equal
    /// The inner block lies inside the (strictly larger) outer block.
    case nested
}

/// One overlap between two input prefixes, by their positions in the input.
public struct IndexedOverlap: Hashable, Sendable {
    /// The index of the containing block (for `.equal`: the one earlier in the input).
    public var outer: Int
    /// The index of the contained block (for `.equal`: the one later in the input).
    public var inner: Int
    /// Equal blocks or strict nesting.
    public var kind: OverlapKind
    /// Creates an overlap record.
    public init(outer: Int, inner: Int, kind: OverlapKind) {
        self.outer = outer
        self.inner = inner
        self.kind = kind
    }
}

/// Where a prefix came from: a file position and an optional name (a subnet, a VPC, a list entry's label).
public struct PrefixOrigin: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line (0 when unknown).
    public var line: Int
    /// 1-based column (0 when unknown).
    public var column: Int
    public var name: String?
    /// Creates an origin.
    public init(file: String, line: Int, column: Int = 0, name: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.name = name
    }
    /// `file:line` and the name in quotes, when there is one.
    public var description: String { "\(file):\(line)" + (name.map { " '\($0)'" } ?? "") }
}

/// A prefix of either family with where it was written.
public struct LocatedPrefix: Hashable, Sendable {
    public var prefix: IPPrefix
    public var origin: PrefixOrigin
    /// Creates a located prefix.
    public init(_ prefix: IPPrefix, origin: PrefixOrigin) {
        self.prefix = prefix
        self.origin = origin
    }
}

/// One overlap between two located prefixes.
public struct PrefixOverlap: Hashable, Sendable {
    public var kind: OverlapKind
    /// The containing block (for `.equal`: the one earlier in the input).
    public var outer: LocatedPrefix
    /// The contained block (for `.equal`: the one later in the input).
    public var inner: LocatedPrefix
}

/// Finds every pair of overlapping CIDR blocks by sorting and one sweep.
///
/// Sorted by (network, length, input position), every block comes after each block that contains it; a stack
/// holds the chain of blocks containing the current one. Each block pops the blocks that end before it, then
/// overlaps exactly the blocks left on the stack. Families never overlap each other and are handled apart.
///
/// - Complexity: O(n log n + k) time for n blocks and k overlaps; O(n + k) memory.
public enum OverlapFinder {
    /// Every overlapping pair among `prefixes`, as indices into the array, in sweep order (by the inner
    /// block's address, then by the outer block's).
    public static func overlaps<Address: IPAddressProtocol>(in prefixes: [Prefix<Address>]) -> [IndexedOverlap] {
        var result: [IndexedOverlap] = []
        sweep(prefixes) { outer, inner, kind in result.append(IndexedOverlap(outer: outer, inner: inner, kind: kind)) }
        return result
    }

    /// Calls `report(outer, inner, kind)` for every overlapping pair among `prefixes` (indices into the array).
    @inlinable public static func sweep<Address: IPAddressProtocol>(
        _ prefixes: [Prefix<Address>], report: (Int, Int, OverlapKind) throws -> Void
    ) rethrows {
        if prefixes.count < 2 { return }
        let order = sortedPositions(prefixes)
        var stack: [Int32] = []
        stack.reserveCapacity(Address.bitWidth + 1)
        for position in order {
            let current = prefixes[Int(position)]
            while let top = stack.last, !prefixes[Int(top)].contains(current) { stack.removeLast() }
            for open in stack {
                let outer = prefixes[Int(open)]
                try report(Int(open), Int(position), outer.length == current.length ? .equal : .nested)
            }
            stack.append(position)
        }
    }

    /// The input positions sorted by (network, length, position): every block comes after the blocks that
    /// contain it, and the blocks inside it follow it as one run.
    @inlinable public static func sortedPositions<Address: IPAddressProtocol>(_ prefixes: [Prefix<Address>]) -> [Int32] {
        if Address.bitWidth == 32 && prefixes.count < 1 << 26 { return radixSortedPositions(prefixes) }
        // Sort positions, not values: one Int32 per block keeps the sort's moves small.
        var order = [Int32](unsafeUninitializedCapacity: prefixes.count) { buffer, count in
            for i in 0..<prefixes.count { buffer[i] = Int32(truncatingIfNeeded: i) }
            count = prefixes.count
        }
        prefixes.withUnsafeBufferPointer { p in
            order.sort { a, b in
                let x = p[Int(a)], y = p[Int(b)]
                if x.network != y.network { return x.network < y.network }
                if x.length != y.length { return x.length < y.length }
                return a < b
            }
        }
        return order
    }

    /// ``sortedPositions(_:)`` for IPv4 lists under 2^26 blocks: one `UInt64` a block, network (32 bits) and
    /// length (6) above the position (26), sorted by a stable least-significant-digit radix sort on the upper
    /// 38 bits (four passes of 10 bits; positions start in order, so stability keeps ties by position).
    @inlinable static func radixSortedPositions<Address: IPAddressProtocol>(_ prefixes: [Prefix<Address>]) -> [Int32] {
        let n = prefixes.count
        var keys = [UInt64](unsafeUninitializedCapacity: n) { buffer, count in
            prefixes.withUnsafeBufferPointer { p in
                for i in 0..<n {
                    let network = UInt64(truncatingIfNeeded: p[i].network.bits)
                    buffer[i] = network << 32 | UInt64(p[i].length) << 26 | UInt64(i)
                }
            }
            count = n
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 1024)
        for shift in stride(from: UInt64(26), to: 64, by: 10) {
            keys.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { counts in
                        for i in 0..<1024 { counts[i] = 0 }
                        for key in source { counts[Int((key >> shift) & 1023)] += 1 }
                        var total = 0
                        for i in 0..<1024 { let c = counts[i]; counts[i] = total; total += c }
                        for key in source {
                            let digit = Int((key >> shift) & 1023)
                            target[counts[digit]] = key
                            counts[digit] += 1
                        }
                    }
                }
            }
            swap(&keys, &scratch)
        }
        return keys.map { Int32(truncatingIfNeeded: $0 & (1 << 26 - 1)) }
    }

    /// Every overlap among located prefixes of both families (IPv4 pairs first, then IPv6).
    public static func overlaps(in items: [LocatedPrefix]) -> [PrefixOverlap] {
        var v4: [IPv4Prefix] = [], v4Index: [Int] = []
        var v6: [IPv6Prefix] = [], v6Index: [Int] = []
        for (i, item) in items.enumerated() {
            switch item.prefix {
            case .v4(let p): v4.append(p); v4Index.append(i)
            case .v6(let p): v6.append(p); v6Index.append(i)
            }
        }
        var result: [PrefixOverlap] = []
        sweep(v4) { o, i, kind in result.append(PrefixOverlap(kind: kind, outer: items[v4Index[o]], inner: items[v4Index[i]])) }
        sweep(v6) { o, i, kind in result.append(PrefixOverlap(kind: kind, outer: items[v6Index[o]], inner: items[v6Index[i]])) }
        return result
    }
}
