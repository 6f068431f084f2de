import IPAddressing

/// Baseline: a plain one-bit trie (one node per address bit), nodes in one array linked by `Int32`.
public struct BinaryTrie<Address: IPAddressProtocol>: Sendable {
    @usableFromInline var children: [Int32] = [-1, -1]   // 2 per node: child for bit 0, for bit 1
    @usableFromInline var routes: [Int32] = [-1]         // route ending at the node, or -1

    /// `prefixes[i]` gets route index `i`.
    public init(_ prefixes: [Prefix<Address>]) {
        for (i, p) in prefixes.enumerated() { insert(p, Int32(i)) }
    }

    mutating func insert(_ prefix: Prefix<Address>, _ route: Int32) {
        var node = 0
        let bits = prefix.network.bits
        for depth in 0..<Int(prefix.length) {
            let bit = Int(truncatingIfNeeded: (bits &>> Address.Bits(Address.bitWidth - 1 - depth)) & 1)
            let slot = 2 * node + bit
            if children[slot] < 0 {
                children[slot] = Int32(routes.count)
                routes.append(-1)
                children.append(-1)
                children.append(-1)
            }
            node = Int(children[slot])
        }
        routes[node] = route
    }

    /// The route index of the longest prefix containing `address`, or -1.
    @inlinable public func lookup(_ address: Address) -> Int32 {
        let key = address.bits
        return children.withUnsafeBufferPointer { c in
            routes.withUnsafeBufferPointer { r in
                var node = 0
                var best = r[0]
                var depth = 0
                while depth < Address.bitWidth {
                    let bit = Int(truncatingIfNeeded: (key &>> Address.Bits(Address.bitWidth - 1 - depth)) & 1)
                    let next = c[2 * node + bit]
                    if next < 0 { break }
                    node = Int(next)
                    let route = r[node]
                    if route >= 0 { best = route }
                    depth += 1
                }
                return best
            }
        }
    }

    /// Bytes used by the node arrays.
    public var memoryBytes: Int { children.capacity * 4 + routes.capacity * 4 }
}
