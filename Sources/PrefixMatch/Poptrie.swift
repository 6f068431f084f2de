import IPAddressing

/// Placeholder for the large-table layout (interval search until the trie lands).
@usableFromInline struct Poptrie<Bits: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    @usableFromInline let starts: [Bits]
    @usableFromInline let results: [Int32]

    init<Address: IPAddressProtocol>(sortedPrefixes prefixes: [Prefix<Address>]) where Address.Bits == Bits {
        (starts, results) = LookupIndex<Bits>.intervals(sortedPrefixes: prefixes)
    }

    @inlinable func find(_ key: Bits) -> Int32 {
        starts.withUnsafeBufferPointer { s in
            results.withUnsafeBufferPointer { r in LookupIndex<Bits>.searchIntervals(s, r, key) }
        }
    }

    @inlinable func findBatch(_ keys: UnsafePointer<Bits>, count: Int, into out: UnsafeMutablePointer<Int32>) {
        for k in 0..<count { out[k] = find(keys[k]) }
    }

    var memoryBytes: Int { starts.capacity * MemoryLayout<Bits>.stride + results.capacity * 4 }
}
