import IPAddressing

/// Baseline: the routes sorted longest first, scanned until the first containing prefix.
public struct LinearScanTable<Address: IPAddressProtocol>: Sendable {
    @usableFromInline let networks: [Address.Bits]
    @usableFromInline let masks: [Address.Bits]
    @usableFromInline let routes: [Int32]

    /// `prefixes[i]` gets route index `i`.
    public init(_ prefixes: [Prefix<Address>]) {
        let order = prefixes.indices.sorted { prefixes[$0].length > prefixes[$1].length }
        networks = order.map { prefixes[$0].network.bits }
        masks = order.map { ~prefixes[$0].hostMask }
        routes = order.map { Int32($0) }
    }

    /// The route index of the longest prefix containing `address`, or -1.
    @inlinable public func lookup(_ address: Address) -> Int32 {
        let key = address.bits
        return networks.withUnsafeBufferPointer { n in
            masks.withUnsafeBufferPointer { m in
                for i in 0..<n.count where key & m[i] == n[i] { return routes[i] }
                return -1
            }
        }
    }
}
