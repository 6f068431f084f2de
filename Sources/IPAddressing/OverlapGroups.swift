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
/// - Complexity: O(n log n) to build; 21 bytes a block (five `Int32` arrays and the lengths), however many
///   pairs there are. Listing all groups: O(k log k) for k pairs (each group's partners are sorted by index).
public struct OverlapGroups: Sendable {
    /// Sorted position → input index.
    @usableFromInline let order: [Int32]
    /// Input index → sorted position.
    @usableFromInline let rank: [Int32]
    /// Sorted position → sorted position of the nearest block containing it, or -1.
    @usableFromInline let parent: [Int32]
    /// Sorted position → one past the last sorted position of the blocks inside it.
    @usableFromInline let end: [Int32]
    /// Sorted position → how many blocks of the input overlap it.
    @usableFromInline let degrees: [Int32]
    /// Sorted position → prefix length.
    @usableFromInline let lengths: [UInt8]
    /// The number of overlapping pairs among the blocks (that the `counting` test accepts).
    public let pairCount: Int

    /// Indexes `prefixes` (at most `Int32.max` of them). With `counting`, degrees count only the pairs it
    /// accepts (called with both indices); pass the same test to ``partners(of:into:where:)``.
    public init<Address: IPAddressProtocol>(_ prefixes: [Prefix<Address>], counting include: ((Int, Int) -> Bool)? = nil) {
        let n = prefixes.count
        let order = OverlapFinder.sortedPositions(prefixes)
        var rank = [Int32](repeating: 0, count: n)
        var parent = [Int32](repeating: -1, count: n)
        var end = [Int32](repeating: Int32(truncatingIfNeeded: n), count: n)
        var degrees = [Int32](repeating: 0, count: n)
        var lengths = [UInt8](repeating: 0, count: n)
        var pairs = 0
        var stack: [Int32] = []
        stack.reserveCapacity(Address.bitWidth + 1)
        prefixes.withUnsafeBufferPointer { p in
            for r in 0..<n {
                let index = Int(order[r])
                let current = p[index]
                rank[index] = Int32(truncatingIfNeeded: r)
                lengths[r] = current.length
                while let top = stack.last, !p[Int(order[Int(top)])].contains(current) {
                    end[Int(top)] = Int32(truncatingIfNeeded: r)
                    stack.removeLast()
                }
                parent[r] = stack.last ?? -1
                degrees[r] = Int32(truncatingIfNeeded: stack.count)
                pairs += stack.count
                stack.append(Int32(truncatingIfNeeded: r))
            }
        }
        // Add the blocks inside each block to the blocks containing it.
        if let include {
            degrees = [Int32](repeating: 0, count: n)
            pairs = 0
            for r in 0..<n {
                var p = Int(parent[r])
                while p >= 0 {
                    if include(Int(order[r]), Int(order[p])) {
                        degrees[r] &+= 1
                        degrees[p] &+= 1
                        pairs += 1
                    }
                    p = Int(parent[p])
                }
            }
        } else {
            for r in 0..<n { degrees[r] &+= end[r] &- Int32(truncatingIfNeeded: r) &- 1 }
        }
        self.order = order
        self.rank = rank
        self.parent = parent
        self.end = end
        self.degrees = degrees
        self.lengths = lengths
        self.pairCount = pairs
    }

    /// The number of blocks indexed.
    @inlinable public var count: Int { order.count }

    /// How many blocks overlap the block at `index` (containing it, inside it or equal to it; only the pairs
    /// the `counting` test accepts, when one was given).
    @inlinable public func degree(of index: Int) -> Int { Int(degrees[Int(rank[index])]) }

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
        let r = Int(rank[index])
        let own = degrees[r]
        if own == 0 { return }
        let length = lengths[r]
        let index32 = Int32(truncatingIfNeeded: index)
        order.withUnsafeBufferPointer { order in
            degrees.withUnsafeBufferPointer { degrees in
                // The blocks containing this one: its chain of parents.
                var p = Int(parent[r])
                while p >= 0 {
                    let other = order[p], d = degrees[p]
                    if (own > d || (own == d && index32 > other)) && include(Int(other)) {
                        partners.append(OverlapPartner(index: other, relation: lengths[p] == length ? .equal : .liesInside))
                    }
                    p = Int(parent[p])
                }
                // The blocks inside it: the run after it in sorted order.
                var q = r + 1
                let last = Int(end[r])
                while q < last {
                    let other = order[q], d = degrees[q]
                    if (own > d || (own == d && index32 > other)) && include(Int(other)) {
                        partners.append(OverlapPartner(index: other, relation: lengths[q] == length ? .equal : .contains))
                    }
                    q += 1
                }
            }
        }
        if partners.count > 1 { partners.sort { $0.index < $1.index } }
    }
}
