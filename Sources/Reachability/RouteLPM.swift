import IPAddressing

/// The longest-prefix-match table every route decision goes through (VPC and TGW route tables).
///
/// A thin adapter: the compile step builds it once per route table; lookups never allocate. It wraps the
/// `PrefixMatch` module's table (see Docs/ARCHITECTURE.md § Reachability).
public struct RouteLPM<Value: Sendable>: Sendable {
    // Interim storage until PrefixMatch's compiled form is wired in: one hash probe per distinct length.
    @usableFromInline var lengths4: [UInt8] = []
    @usableFromInline var table4: [UInt64: Value] = [:]
    @usableFromInline var lengths6: [UInt8] = []
    @usableFromInline var table6: [Key6: Value] = [:]

    @usableFromInline struct Key6: Hashable, Sendable {
        @usableFromInline var bits: UInt128
        @usableFromInline var length: UInt8
        @inlinable init(bits: UInt128, length: UInt8) {
            self.bits = bits
            self.length = length
        }
    }

    /// Builds a table; for a duplicate prefix the first entry wins (callers pre-resolve tie-breaks).
    public init(_ entries: [(IPPrefix, Value)]) {
        var l4 = Set<UInt8>(), l6 = Set<UInt8>()
        for (prefix, value) in entries {
            switch prefix {
            case .v4(let p):
                let key = UInt64(p.network.bits) << 8 | UInt64(p.length)
                if table4[key] == nil { table4[key] = value }
                l4.insert(p.length)
            case .v6(let p):
                let key = Key6(bits: p.network.bits, length: p.length)
                if table6[key] == nil { table6[key] = value }
                l6.insert(p.length)
            }
        }
        lengths4 = l4.sorted(by: >)
        lengths6 = l6.sorted(by: >)
    }

    /// The value of the longest prefix containing `address`, with that prefix's length.
    ///
    /// - Complexity: one hash probe per distinct prefix length in the table; no allocation.
    @inlinable public func lookup(_ address: IPv4Address) -> (length: UInt8, value: Value)? {
        for length in lengths4 {
            let masked = length == 0 ? 0 : address.bits & (~UInt32(0) << UInt32(32 - Int(length)))
            if let v = table4[UInt64(masked) << 8 | UInt64(length)] { return (length, v) }
        }
        return nil
    }

    /// The value of the longest prefix containing `address`, with that prefix's length.
    @inlinable public func lookup(_ address: IPv6Address) -> (length: UInt8, value: Value)? {
        for length in lengths6 {
            let masked = length == 0 ? 0 : address.bits & (~UInt128(0) << UInt128(128 - Int(length)))
            if let v = table6[Key6(bits: masked, length: length)] { return (length, v) }
        }
        return nil
    }

    /// Looks up an address of either family.
    @inlinable public func lookup(_ address: IPAddress) -> (length: UInt8, value: Value)? {
        switch address {
        case .v4(let a): lookup(a)
        case .v6(let a): lookup(a)
        }
    }
}
