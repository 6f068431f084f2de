/// How a block relates to a block grouped under it (see ``OverlapGroups``).
public enum OverlapRelation: UInt8, Hashable, Sendable {
    /// The same block twice.
    case equal
    /// The group's block contains the partner (strictly larger).
    case contains
    /// The group's block lies inside the partner (strictly smaller).
    case liesInside
}

/// One block overlapping a group's block: its index in the input and how the group's block relates to it.
public struct OverlapPartner: Hashable, Sendable {
    public var index: Int32
    public var relation: OverlapRelation
    /// Creates a partner record.
    @inlinable public init(index: Int32, relation: OverlapRelation) {
        self.index = index
        self.relation = relation
    }
}

/// Every overlapping pair of a list of blocks, grouped under one block of each pair, ready to be listed in
/// input order one group at a time without holding the pairs.
///
/// A pair is grouped under the block of the two that overlaps more blocks of the input (its *degree*); on a
/// tie, under the one later in the input. So a region holding thousands of blocks is one group listing them,
/// and an isolated pair is one group under its later block (usually the new line of a change). Every pair
/// belongs to exactly one group.
///
/// The index is built by the same sort as ``OverlapFinder/sweep(_:report:)`` plus one pass: in sorted order the
/// blocks inside a block are a contiguous run after it, and the blocks containing it are its chain of parents.
/// Listing a group walks both and keeps the pairs it anchors, so listing every group visits each pair twice.
///
/// - Complexity: O(n log n + k) to build for n blocks and k pairs; 25 bytes a block (a 20-byte node by sorted
///   position, the rank and an "anchors a pair" flag by input index), however many pairs there are. Listing
///   all groups: O(k log k) (each group's partners are sorted by index). With `collapsingCopies` and repeated
///   blocks, k is the number of pairs of distinct blocks, plus 4 bytes a block and 4 a distinct block for the
///   copies' places.
public struct OverlapGroups: Sendable {
    /// One block in sorted position: what listing a group reads, in one cache line.
    @usableFromInline struct Node: Sendable {
        /// The input index.
        @usableFromInline var index: Int32
        /// The sorted position of the nearest block containing it, or -1.
        @usableFromInline var parent: Int32
        /// One past the last sorted position of the blocks inside it.
        @usableFromInline var end: Int32
        /// How many blocks of the input overlap it.
        @usableFromInline var degree: Int32
        @usableFromInline var length: UInt8
        @inlinable init(index: Int32, parent: Int32, end: Int32, degree: Int32, length: UInt8) {
            self.index = index
            self.parent = parent
            self.end = end
            self.degree = degree
            self.length = length
        }
    }
    /// By sorted position (of the distinct blocks, when copies are collapsed).
    @usableFromInline let nodes: [Node]
    /// Input index → sorted position.
    @usableFromInline let rank: [Int32]
    /// Input index → whether the block anchors at least one pair (its group is not empty), so that listing
    /// skips the others without reading their nodes.
    @usableFromInline let anchors: [Bool]
    /// With collapsed copies: the input indices by sorted position, the copies of each distinct block one run
    /// in input order; ``memberStart`` holds where each node's run starts (one more entry at the end). Both
    /// empty when no block is listed twice or copies are not collapsed.
    @usableFromInline let members: [Int32]
    @usableFromInline let memberStart: [Int32]
    /// The number of overlapping pairs among the blocks (that the `counting` test accepts). With collapsed
    /// copies still every pair of the input: a block listed m times is m·(m−1)/2 equal pairs, and a nested
    /// pair of distinct blocks listed m and k times is m·k pairs.
    public let pairCount: Int

    /// Indexes `prefixes` (at most `Int32.max` of them). With `counting`, degrees count only the pairs it
    /// accepts (called with both indices); pass the same test to ``partners(of:into:where:)``.
    ///
    /// With `collapsingCopies` (ignored when `counting` is given) the copies of a block listed more than once
    /// are one node: its *representative* is its last copy in the input, the only one whose
    /// ``partners(of:into:where:)`` are listed, degrees count distinct blocks, partners are never `.equal`,
    /// and ``copies(of:)`` lists the places of each repeated block. Listing then costs O(n + distinct nested
    /// pairs), however often blocks repeat. Without copies in the input the groups are the same either way.
    @inlinable public init<Address: IPAddressProtocol>(_ prefixes: [Prefix<Address>], counting include: ((Int, Int) -> Bool)? = nil,
                                                      collapsingCopies: Bool = false) {
        let n = prefixes.count
        var order = OverlapFinder.sortedPositions(prefixes)
        var members: [Int32] = [], memberStart: [Int32] = []
        if collapsingCopies && include == nil {
            // Copies are adjacent in sorted order, in input order: keep the last of each run.
            prefixes.withUnsafeBufferPointer { p in
                var r = 1
                while r < n && p[Int(order[r])] != p[Int(order[r - 1])] { r += 1 }
                if r >= n { return }
                members = order
                var distinct: [Int32] = []
                distinct.reserveCapacity(n)
                memberStart.reserveCapacity(n + 1)
                var start = 0
                for r in 1...n where r == n || p[Int(order[r])] != p[Int(order[start])] {
                    memberStart.append(Int32(truncatingIfNeeded: start))
                    distinct.append(order[r - 1])
                    start = r
                }
                memberStart.append(Int32(truncatingIfNeeded: n))
                order = distinct
            }
        }
        let collapsed = !memberStart.isEmpty
        let d = order.count
        var rank = [Int32](repeating: 0, count: n)
        var nodes = [Node](repeating: Node(index: 0, parent: -1, end: Int32(truncatingIfNeeded: d), degree: 0, length: 0), count: d)
        var pairs = 0
        var stack: [Int32] = []
        stack.reserveCapacity(Address.bitWidth + 1)
        // With copies: the number of input blocks of the stack's nodes, cumulated.
        var below: [Int] = [0]
        if collapsed { below.reserveCapacity(Address.bitWidth + 2) }
        prefixes.withUnsafeBufferPointer { p in
            for r in 0..<d {
                let index = Int(order[r])
                let current = p[index]
                rank[index] = Int32(truncatingIfNeeded: r)
                while let top = stack.last, !p[Int(order[Int(top)])].contains(current) {
                    nodes[Int(top)].end = Int32(truncatingIfNeeded: r)
                    stack.removeLast()
                    if collapsed { below.removeLast() }
                }
                nodes[r].index = Int32(truncatingIfNeeded: index)
                nodes[r].length = current.length
                nodes[r].parent = stack.last ?? -1
                nodes[r].degree = Int32(truncatingIfNeeded: stack.count)
                if collapsed {
                    let m = Int(memberStart[r + 1] &- memberStart[r])
                    let outer = below[below.count - 1]
                    pairs += m * outer + m * (m - 1) / 2
                    below.append(outer + m)
                } else {
                    pairs += stack.count
                }
                stack.append(Int32(truncatingIfNeeded: r))
            }
        }
        if collapsed {
            for r in 0..<d {
                for k in Int(memberStart[r])..<Int(memberStart[r + 1]) { rank[Int(members[k])] = Int32(truncatingIfNeeded: r) }
            }
        }
        if let include {
            for r in 0..<n { nodes[r].degree = 0 }
            pairs = 0
            for r in 0..<n {
                var p = Int(nodes[r].parent)
                while p >= 0 {
                    if include(Int(nodes[r].index), Int(nodes[p].index)) {
                        nodes[r].degree &+= 1
                        nodes[p].degree &+= 1
                        pairs += 1
                    }
                    p = Int(nodes[p].parent)
                }
            }
        } else {
            // Add the blocks inside each block to the blocks containing it.
            for r in 0..<d { nodes[r].degree &+= nodes[r].end &- Int32(truncatingIfNeeded: r) &- 1 }
        }
        // Mark the anchor of each pair: the busier block, the later one on a tie.
        var anchors = [Bool](repeating: false, count: n)
        for r in 0..<d {
            let node = nodes[r]
            var p = Int(node.parent)
            while p >= 0 {
                let other = nodes[p]
                if include?(Int(node.index), Int(other.index)) ?? true {
                    let mine = node.degree > other.degree || (node.degree == other.degree && node.index > other.index)
                    anchors[Int(mine ? node.index : other.index)] = true
                }
                p = Int(other.parent)
            }
        }
        self.anchors = anchors
        self.members = members
        self.memberStart = memberStart
        self.nodes = nodes
        self.rank = rank
        self.pairCount = pairs
    }

    /// The number of blocks indexed.
    @inlinable public var count: Int { rank.count }

    /// True when copies were collapsed and some block is listed more than once.
    @inlinable public var hasCopies: Bool { !memberStart.isEmpty }

    /// How many times the block at `index` is listed (1 unless copies were collapsed).
    @inlinable public func copyCount(of index: Int) -> Int {
        if memberStart.isEmpty { return 1 }
        let r = Int(rank[index])
        return Int(memberStart[r + 1] &- memberStart[r])
    }

    /// The block that stands for the copies of the block at `index`: its last copy (itself without copies).
    @inlinable public func representative(of index: Int) -> Int { Int(nodes[Int(rank[index])].index) }

    /// The input indices of every copy of the block at `index` (itself included), in input order, when copies
    /// were collapsed and the block is listed more than once; empty otherwise.
    @inlinable public func copies(of index: Int) -> ArraySlice<Int32> {
        if memberStart.isEmpty { return members[0..<0] }
        let r = Int(rank[index])
        let start = Int(memberStart[r]), end = Int(memberStart[r + 1])
        return end - start > 1 ? members[start..<end] : members[0..<0]
    }

    /// How many blocks overlap the block at `index` (containing it, inside it or equal to it; only the pairs
    /// the `counting` test accepts, when one was given).
    @inlinable public func degree(of index: Int) -> Int { Int(nodes[Int(rank[index])].degree) }

    /// The index of the block the overlapping pair `a`, `b` of distinct blocks is grouped under (with
    /// collapsed copies: the representative of one of them).
    @inlinable public func anchor(_ a: Int, _ b: Int) -> Int {
        let a = representative(of: a), b = representative(of: b)
        let da = degree(of: a), db = degree(of: b)
        return da != db ? (da > db ? a : b) : max(a, b)
    }

    /// Replaces `partners` with the blocks grouped under the block at `index` that `include` accepts (called
    /// with a partner's index), sorted by index. Empty when the block anchors no pair.
    @inlinable public func partners(of index: Int, into partners: inout [OverlapPartner],
                                    where include: (Int) -> Bool = { _ in true }) {
        partners.removeAll(keepingCapacity: true)
        if !anchors[index] { return }
        nodes.withUnsafeBufferPointer { nodes in
            let r = Int(rank[index])
            let node = nodes[r]
            let own = node.degree
            if own == 0 { return }
            let index32 = Int32(truncatingIfNeeded: index)
            // The blocks containing this one: its chain of parents.
            var p = Int(node.parent)
            while p >= 0 {
                let other = nodes[p]
                if (own > other.degree || (own == other.degree && index32 > other.index)) && include(Int(other.index)) {
                    partners.append(OverlapPartner(index: other.index, relation: other.length == node.length ? .equal : .liesInside))
                }
                p = Int(other.parent)
            }
            // The blocks inside it: the run after it in sorted order.
            var q = r + 1
            let last = Int(node.end)
            while q < last {
                let other = nodes[q]
                if (own > other.degree || (own == other.degree && index32 > other.index)) && include(Int(other.index)) {
                    partners.append(OverlapPartner(index: other.index, relation: other.length == node.length ? .equal : .contains))
                }
                q += 1
            }
        }
        if partners.count > 1 { partners.sort { $0.index < $1.index } }
    }
}
