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
///   all groups: O(k log k) (each group's partners are sorted by index).
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
    /// By sorted position.
    @usableFromInline let nodes: [Node]
    /// Input index → sorted position.
    @usableFromInline let rank: [Int32]
    /// Input index → whether the block anchors at least one pair (its group is not empty), so that listing
    /// skips the others without reading their nodes.
    @usableFromInline let anchors: [Bool]
    /// The number of overlapping pairs among the blocks (that the `counting` test accepts).
    public let pairCount: Int

    /// Indexes `prefixes` (at most `Int32.max` of them). With `counting`, degrees count only the pairs it
    /// accepts (called with both indices); pass the same test to ``partners(of:into:where:)``.
    @inlinable public init<Address: IPAddressProtocol>(_ prefixes: [Prefix<Address>], counting include: ((Int, Int) -> Bool)? = nil) {
        let n = prefixes.count
        let order = OverlapFinder.sortedPositions(prefixes)
        var rank = [Int32](repeating: 0, count: n)
        var nodes = [Node](repeating: Node(index: 0, parent: -1, end: Int32(truncatingIfNeeded: n), degree: 0, length: 0), count: n)
        var pairs = 0
        var stack: [Int32] = []
        stack.reserveCapacity(Address.bitWidth + 1)
        prefixes.withUnsafeBufferPointer { p in
            for r in 0..<n {
                let index = Int(order[r])
                let current = p[index]
                rank[index] = Int32(truncatingIfNeeded: r)
                while let top = stack.last, !p[Int(order[Int(top)])].contains(current) {
                    nodes[Int(top)].end = Int32(truncatingIfNeeded: r)
                    stack.removeLast()
                }
                nodes[r].index = Int32(truncatingIfNeeded: index)
                nodes[r].length = current.length
                nodes[r].parent = stack.last ?? -1
                nodes[r].degree = Int32(truncatingIfNeeded: stack.count)
                pairs += stack.count
                stack.append(Int32(truncatingIfNeeded: r))
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
            for r in 0..<n { nodes[r].degree &+= nodes[r].end &- Int32(truncatingIfNeeded: r) &- 1 }
        }
        // Mark the anchor of each pair: the busier block, the later one on a tie.
        var anchors = [Bool](repeating: false, count: n)
        for r in 0..<n {
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
        self.nodes = nodes
        self.rank = rank
        self.pairCount = pairs
    }

    /// The number of blocks indexed.
    @inlinable public var count: Int { nodes.count }

    /// How many blocks overlap the block at `index` (containing it, inside it or equal to it; only the pairs
    /// the `counting` test accepts, when one was given).
    @inlinable public func degree(of index: Int) -> Int { Int(nodes[Int(rank[index])].degree) }

    /// The index of the block the overlapping pair `a`, `b` is grouped under.
    @inlinable public func anchor(_ a: Int, _ b: Int) -> Int {
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
