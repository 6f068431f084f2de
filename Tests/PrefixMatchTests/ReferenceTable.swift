import TestSupport
import IPAddressing

/// The brute-force twin: an unordered list of routes, matched by a linear scan.
struct ReferenceTable<Address: IPAddressProtocol> {
    var routes: [(prefix: Prefix<Address>, value: Int)] = []

    mutating func insert(_ prefix: Prefix<Address>, _ value: Int) {
        if let i = routes.firstIndex(where: { $0.prefix == prefix }) { routes[i].value = value } else { routes.append((prefix, value)) }
    }
    mutating func remove(_ prefix: Prefix<Address>) {
        routes.removeAll { $0.prefix == prefix }
    }
    func get(_ prefix: Prefix<Address>) -> Int? { routes.first { $0.prefix == prefix }?.value }

    /// The longest containing prefix, by scanning every route.
    func longestMatch(_ address: Address) -> (prefix: Prefix<Address>, value: Int)? {
        var best: (prefix: Prefix<Address>, value: Int)?
        for r in routes where r.prefix.contains(address) {
            if best == nil || r.prefix.length > best!.prefix.length { best = r }
        }
        return best
    }
}

/// Random prefixes and probe addresses for one family, with nesting, edge lengths and boundaries.
struct RandomPrefixes<Address: IPAddressProtocol> {
    var rng: SplitMix64

    mutating func bits() -> Address.Bits {
        var b = Address.Bits(truncatingIfNeeded: rng.next())
        if Address.bitWidth > 64 { b = b << 64 | Address.Bits(truncatingIfNeeded: rng.next()) }
        return b
    }

    /// A length biased towards the interesting ones: 0, full width, and a spread in between.
    mutating func length() -> Int {
        let w = Address.bitWidth
        switch rng.next() % 10 {
        case 0: return Int(rng.next() % 3)                     // /0, /1, /2
        case 1: return w - Int(rng.next() % 2)                  // host routes and /31, /127
        default: return Int(rng.next() % UInt64(w + 1))
        }
    }

    /// A prefix: fresh, or nested inside / a sibling of one already chosen (so tables have deep chains).
    mutating func prefix(near existing: [Prefix<Address>]) -> Prefix<Address> {
        if !existing.isEmpty && rng.next() % 2 == 0 {
            let base = existing[Int(rng.next() % UInt64(existing.count))]
            let extra = Int(rng.next() % 9)
            let l = min(Address.bitWidth, Int(base.length) + extra)
            let p = Prefix(network: Address(bits: base.network.bits | (bits() & base.hostMask)), length: l)!
            if rng.next() % 4 == 0, p.length > 0 {
                // The sibling: flip the last network bit.
                let flip = Address.Bits(1) << Address.Bits(Address.bitWidth - Int(p.length))
                return Prefix(network: Address(bits: p.network.bits ^ flip), length: Int(p.length))!
            }
            return p
        }
        return Prefix(network: Address(bits: bits()), length: length())!
    }

    /// A probe: uniform, inside a table prefix, or on/next to a prefix boundary.
    mutating func address(near prefixes: [Prefix<Address>]) -> Address {
        if prefixes.isEmpty { return Address(bits: bits()) }
        let p = prefixes[Int(rng.next() % UInt64(prefixes.count))]
        switch rng.next() % 6 {
        case 0: return Address(bits: bits())
        case 1: return p.first
        case 2: return p.last
        case 3: return p.first.predecessor ?? p.first
        case 4: return p.last.successor ?? p.last
        default: return Address(bits: p.network.bits | (bits() & p.hostMask))
        }
    }
}
