import IPAddressing

/// One internal node of a ``Poptrie``: 64 slots (6 address bits), compressed with two bitmaps.
///
/// Slot `v` holds a child node when bit `v` of `vector` is set; its index is
/// `childBase + popcount(vector & bits 0...v) - 1` (children are contiguous). Otherwise it holds a leaf: leaves
/// of equal neighbouring slots are stored once, `leafvec` marks the slots where a new run starts, and the leaf
/// is `leaves[leafBase + popcount(leafvec & bits 0...v) - 1]`. 24 bytes.
@frozen @usableFromInline struct PoptrieNode: Sendable {
    @usableFromInline var vector: UInt64
    @usableFromInline var leafvec: UInt64
    @usableFromInline var leafBase: Int32
    @usableFromInline var childBase: Int32

    @inlinable init(vector: UInt64, leafvec: UInt64, leafBase: Int32, childBase: Int32) {
        self.vector = vector
        self.leafvec = leafvec
        self.leafBase = leafBase
        self.childBase = childBase
    }
}

/// A Poptrie (Asai & Ohara, SIGCOMM 2015): a direct-pointing array on the top `directBits` address bits, then
/// a multiway trie of stride 6 whose nodes are compressed by popcount over 64-bit bitmaps.
///
/// `direct[top bits]` is either a leaf (a route index, or -1 for no route: values `>= -1`) or a node reference
/// `Int32.min + node`. Leaves are route indices into the compiled table's arrays. All storage is three flat
/// arrays linked by `Int32` indices; lookups read them through unsafe pointers and never allocate.
@usableFromInline struct Poptrie<Bits: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    @usableFromInline let direct: [Int32]
    @usableFromInline let nodes: [PoptrieNode]
    @usableFromInline let leaves: [Int32]
    @usableFromInline let directBits: Int

    /// The direct-pointing width for a table: wide enough that most routes end within one node below it,
    /// small enough that the array (4 bytes × 2^bits) stays within cache for mid-sized tables.
    @inlinable static func directBits(count: Int, width: Int) -> Int {
        if width == 32 { return count >= 65_536 ? 18 : 16 }
        return count >= 65_536 ? 20 : 16
    }

    /// Builds the trie for prefixes given in prefix order (network, then length), without duplicates;
    /// the leaf for a route is its position in `prefixes`.
    @inlinable init<Address: IPAddressProtocol>(sortedPrefixes prefixes: [Prefix<Address>], directBits forcedDirectBits: Int? = nil) where Address.Bits == Bits {
        var builder = PoptrieBuilder<Bits>(
            directBits: forcedDirectBits ?? Self.directBits(count: prefixes.count, width: Address.bitWidth),
            expectedRoutes: prefixes.count)
        builder.build(prefixes)
        direct = builder.direct
        nodes = builder.nodes
        leaves = builder.leaves
        directBits = builder.directBits
    }

    /// The route index for `key`, or -1.
    @inlinable @inline(__always) func find(_ key: Bits) -> Int32 {
        direct.withUnsafeBufferPointer { d in
            nodes.withUnsafeBufferPointer { n in
                leaves.withUnsafeBufferPointer { l in
                    guard let dp = d.baseAddress, let np = n.baseAddress, let lp = l.baseAddress else { return -1 }
                    return Self.walk(key, dp, np, lp, directBits)
                }
            }
        }
    }

    /// Looks up `count` keys into `out`.
    @inlinable func findBatch(_ keys: UnsafePointer<Bits>, count: Int, into out: UnsafeMutablePointer<Int32>) {
        direct.withUnsafeBufferPointer { d in
            nodes.withUnsafeBufferPointer { n in
                leaves.withUnsafeBufferPointer { l in
                    guard let dp = d.baseAddress, let np = n.baseAddress, let lp = l.baseAddress else {
                        for k in 0..<count { out[k] = -1 }
                        return
                    }
                    Self.walkInterleaved(keys, count, out, dp, np, lp, directBits)
                }
            }
        }
    }

    /// Lookups in groups of `lanes`, advanced level by level in lockstep: the node reads of different
    /// addresses are independent, so the CPU overlaps their cache misses instead of waiting for each walk.
    @inlinable @inline(__always)
    static func walkInterleaved(_ keys: UnsafePointer<Bits>, _ count: Int, _ out: UnsafeMutablePointer<Int32>,
                                _ direct: UnsafePointer<Int32>, _ nodes: UnsafePointer<PoptrieNode>,
                                _ leaves: UnsafePointer<Int32>, _ directBits: Int) {
        let lanes = 16
        let topShift = Bits(truncatingIfNeeded: Bits.bitWidth &- directBits)
        let slotShift = Bits(truncatingIfNeeded: Bits.bitWidth &- 6)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: lanes) { pending in
            let pending = pending.baseAddress.unsafelyUnwrapped
            var start = 0
            while start < count {
                let n = Swift.min(lanes, count &- start)
                let k = keys + start
                let o = out + start
                // Level 0: the direct array. `pending[i]` is the node to visit next, or -1 when done.
                var active = 0
                for i in 0..<n {
                    let top = direct[Int(truncatingIfNeeded: k[i] &>> topShift)]
                    if top >= -1 {
                        o[i] = top
                        pending[i] = -1
                    } else {
                        pending[i] = top &- Int32.min
                        active &+= 1
                    }
                }
                var depth = directBits
                while active > 0 {
                    let shift = Bits(truncatingIfNeeded: depth)
                    for i in 0..<n where pending[i] >= 0 {
                        let node = nodes[Int(truncatingIfNeeded: pending[i])]
                        let v = UInt64(truncatingIfNeeded: (k[i] &<< shift) &>> slotShift)
                        let upTo = (UInt64(2) &<< v) &- 1
                        if node.vector & (UInt64(1) &<< v) == 0 {
                            o[i] = leaves[Int(truncatingIfNeeded: node.leafBase) &+ (node.leafvec & upTo).nonzeroBitCount &- 1]
                            pending[i] = -1
                            active &-= 1
                        } else {
                            pending[i] = node.childBase &+ Int32(truncatingIfNeeded: (node.vector & upTo).nonzeroBitCount) &- 1
                        }
                    }
                    depth &+= 6
                }
                start &+= n
            }
        }
    }

    /// The lookup proper: one direct-array read, then one node per 6 bits until a leaf.
    @inlinable @inline(__always)
    static func walk(_ key: Bits, _ direct: UnsafePointer<Int32>, _ nodes: UnsafePointer<PoptrieNode>,
                     _ leaves: UnsafePointer<Int32>, _ directBits: Int) -> Int32 {
        let top = direct[Int(truncatingIfNeeded: key &>> Bits(truncatingIfNeeded: Bits.bitWidth &- directBits))]
        if top >= -1 { return top }
        var node = nodes[Int(truncatingIfNeeded: top &- Int32.min)]
        var depth = directBits
        while true {
            let v = UInt64(truncatingIfNeeded: (key &<< Bits(truncatingIfNeeded: depth)) &>> Bits(truncatingIfNeeded: Bits.bitWidth &- 6))
            let upTo = (UInt64(2) &<< v) &- 1
            if node.vector & (UInt64(1) &<< v) == 0 {
                return leaves[Int(truncatingIfNeeded: node.leafBase) &+ (node.leafvec & upTo).nonzeroBitCount &- 1]
            }
            node = nodes[Int(truncatingIfNeeded: node.childBase) &+ (node.vector & upTo).nonzeroBitCount &- 1]
            depth &+= 6
        }
    }

    var memoryBytes: Int {
        direct.capacity * 4 + nodes.capacity * MemoryLayout<PoptrieNode>.stride + leaves.capacity * 4
    }
}

/// Builds a ``Poptrie`` top-down from prefixes in prefix order.
///
/// Short prefixes (length ≤ `directBits`) are painted into the direct array in prefix order, so a nested
/// prefix overwrites its container. The rest are grouped by their direct slot; each group becomes a subtree
/// whose nodes are filled the same way: paint the 64 slots from prefixes ending within the node's 6 bits,
/// mark slots with longer prefixes as children (inheriting the painted slot as their default), compress the
/// leaf runs, then recurse. Each prefix is touched once per level above it.
@usableFromInline struct PoptrieBuilder<Bits: FixedWidthInteger & UnsignedInteger & Sendable> {
    @usableFromInline let directBits: Int
    @usableFromInline var direct: [Int32]
    @usableFromInline var nodes: [PoptrieNode] = []
    @usableFromInline var leaves: [Int32] = []
    // The prefixes longer than `directBits`, in prefix order (struct of arrays).
    @usableFromInline var deepNetworks: [Bits] = []
    @usableFromInline var deepLengths: [UInt8] = []
    @usableFromInline var deepRoutes: [Int32] = []

    @inlinable init(directBits: Int, expectedRoutes: Int) {
        self.directBits = directBits
        direct = [Int32](repeating: -1, count: 1 << directBits)
        nodes.reserveCapacity(expectedRoutes / 4 + 16)
        leaves.reserveCapacity(expectedRoutes * 2 + 16)
    }

    @inlinable @inline(__always) func slot(_ bits: Bits, depth: Int) -> Int {
        Int(truncatingIfNeeded: (bits &<< Bits(truncatingIfNeeded: depth)) &>> Bits(truncatingIfNeeded: Bits.bitWidth - 6))
    }

    @inlinable mutating func build<Address: IPAddressProtocol>(_ prefixes: [Prefix<Address>]) where Address.Bits == Bits {
        let width = Bits.bitWidth
        let shift = Bits(truncatingIfNeeded: width - directBits)
        direct.withUnsafeMutableBufferPointer { d in
            for (i, p) in prefixes.enumerated() {
                let length = Int(p.length)
                if length <= directBits {
                    let start = Int(truncatingIfNeeded: p.network.bits &>> shift)
                    let span = 1 << (directBits - length)
                    for s in start..<(start + span) { d[s] = Int32(truncatingIfNeeded: i) }
                } else {
                    deepNetworks.append(p.network.bits)
                    deepLengths.append(p.length)
                    deepRoutes.append(Int32(truncatingIfNeeded: i))
                }
            }
        }
        // Group the deep prefixes by direct slot (contiguous, since they are in prefix order).
        var j = 0
        let n = deepNetworks.count
        while j < n {
            let top = Int(truncatingIfNeeded: deepNetworks[j] &>> shift)
            var end = j + 1
            while end < n && Int(truncatingIfNeeded: deepNetworks[end] &>> shift) == top { end += 1 }
            let root = nodes.count
            nodes.append(PoptrieNode(vector: 0, leafvec: 0, leafBase: 0, childBase: 0))
            fill(node: root, range: j..<end, depth: directBits, inherited: direct[top])
            direct[top] = Int32.min + Int32(truncatingIfNeeded: root)
            j = end
        }
        // Keep the arrays non-empty so lookups can take their base addresses.
        if nodes.isEmpty { nodes.append(PoptrieNode(vector: 0, leafvec: 0, leafBase: 0, childBase: 0)) }
        if leaves.isEmpty { leaves.append(-1) }
    }

    /// Fills `nodes[node]` for the prefixes `range` (all longer than `depth`, sharing the node's path).
    @inlinable mutating func fill(node: Int, range: Range<Int>, depth: Int, inherited: Int32) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 64) { slots in
            slots.initialize(repeating: inherited)
            var childMask: UInt64 = 0
            for j in range {
                let length = Int(deepLengths[j])
                if length <= depth { continue }  // ended in an ancestor: already in `inherited`
                let v = slot(deepNetworks[j], depth: depth)
                if length <= depth + 6 {
                    let span = 1 << (depth + 6 - length)
                    let route = deepRoutes[j]
                    for s in v..<(v + span) { slots[s] = route }
                } else {
                    childMask |= UInt64(1) << UInt64(v)
                }
            }
            let leafBase = leaves.count
            var leafvec: UInt64 = 0
            var previous: Int32? = nil
            for v in 0..<64 where childMask & (UInt64(1) << UInt64(v)) == 0 {
                if slots[v] != previous {
                    leafvec |= UInt64(1) << UInt64(v)
                    leaves.append(slots[v])
                    previous = slots[v]
                }
            }
            let childBase = nodes.count
            let children = childMask.nonzeroBitCount
            nodes.append(contentsOf: repeatElement(PoptrieNode(vector: 0, leafvec: 0, leafBase: 0, childBase: 0), count: children))
            nodes[node] = PoptrieNode(vector: childMask, leafvec: leafvec,
                                      leafBase: Int32(truncatingIfNeeded: leafBase),
                                      childBase: Int32(truncatingIfNeeded: childBase))
            // Recurse into the children in slot order; each child's prefixes are a contiguous run.
            var j = range.lowerBound
            var child = childBase
            var mask = childMask
            while mask != 0 {
                let v = mask.trailingZeroBitCount
                mask &= mask - 1
                while j < range.upperBound && slot(deepNetworks[j], depth: depth) < v { j += 1 }
                var end = j
                while end < range.upperBound && slot(deepNetworks[end], depth: depth) == v { end += 1 }
                fill(node: child, range: j..<end, depth: depth + 6, inherited: slots[v])
                child += 1
                j = end
            }
        }
    }
}
