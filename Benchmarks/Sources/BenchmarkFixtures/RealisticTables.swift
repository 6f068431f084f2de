import IPAddressing

/// A small seeded generator (SplitMix64): the same seed gives the same tables on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seeded generators of realistic route tables and probe addresses, shared by the benchmarks.
///
/// - IPv4 "Internet" tables follow the shape of a full BGP table: about 60 % /24, 36 % /16–/23, 0.5 % shorter
///   than /16, 3 % longer than /24, clustered into /16 regions (about 16 routes per region) inside unicast
///   space (1.0.0.0–223.255.255.255 without 10/8 and 127/8), so nested prefixes occur naturally.
/// - IPv6 tables: mostly /32–/48 (45 % /48, 15 % /32), a few shorter, a few /49–/64 and host routes, clustered
///   into /32 regions (about 8 routes per region) inside 2000::/3.
/// - VPC route tables: a default route, the VPC's local /16, and routes in RFC 1918 space of typical lengths.
public enum RealisticTables {
    /// `(length, weight per mille)` for IPv4 Internet tables.
    public static let ipv4Lengths: [(Int, Int)] = [
        (8, 1), (10, 1), (12, 1), (14, 1), (15, 1), (16, 14), (17, 8), (18, 14), (19, 28), (20, 46), (21, 47),
        (22, 110), (23, 95), (24, 603), (25, 6), (26, 6), (27, 4), (28, 4), (29, 3), (30, 3), (31, 1), (32, 3),
    ]
    /// `(length, weight per mille)` for IPv6 Internet tables.
    public static let ipv6Lengths: [(Int, Int)] = [
        (20, 2), (22, 3), (24, 5), (28, 10), (29, 40), (32, 150), (33, 10), (34, 10), (35, 10), (36, 30), (37, 10),
        (38, 10), (39, 10), (40, 60), (41, 5), (42, 10), (43, 5), (44, 80), (45, 10), (46, 15), (47, 20),
        (48, 450), (52, 5), (56, 15), (64, 20), (128, 5),
    ]

    static func pickLength(_ table: [(Int, Int)], _ rng: inout SplitMix64) -> Int {
        var r = Int(rng.next() % 1000)
        for (length, weight) in table {
            if r < weight { return length }
            r -= weight
        }
        return table[table.count - 1].0
    }

    /// `count` distinct IPv4 prefixes shaped like an Internet routing table, in random order.
    public static func ipv4(count: Int, seed: UInt64 = 0x1_0004) -> [IPv4Prefix] {
        var rng = SplitMix64(seed: seed)
        let regionCount = max(16, count / 16)
        var regions: [UInt32] = []
        regions.reserveCapacity(regionCount)
        func unicastFirstOctet() -> UInt32 {
            while true {
                let o = UInt32(1 + rng.next() % 223)
                if o != 10 && o != 127 { return o }
            }
        }
        for _ in 0..<regionCount {
            regions.append(unicastFirstOctet() << 24 | UInt32(truncatingIfNeeded: rng.next() & 0xff) << 16)
        }
        var seen = Set<IPv4Prefix>(minimumCapacity: count)
        var result: [IPv4Prefix] = []
        result.reserveCapacity(count)
        while result.count < count {
            let length = pickLength(ipv4Lengths, &rng)
            let low = UInt32(truncatingIfNeeded: rng.next())
            let bits: UInt32
            if length >= 16 {
                bits = regions[Int(rng.next() % UInt64(regionCount))] | (low & 0xffff)
            } else {
                bits = unicastFirstOctet() << 24 | (low & 0x00ff_ffff)
            }
            guard let p = IPv4Prefix(network: IPv4Address(bits: bits), length: length) else { continue }
            if seen.insert(p).inserted { result.append(p) }
        }
        return result
    }

    /// `count` distinct IPv6 prefixes shaped like an Internet routing table, in random order.
    public static func ipv6(count: Int, seed: UInt64 = 0x1_0006) -> [IPv6Prefix] {
        var rng = SplitMix64(seed: seed)
        let regionCount = max(16, count / 8)
        var regions: [UInt64] = []   // the upper 64 bits; regions are /32s inside 2000::/3
        for _ in 0..<regionCount {
            regions.append((0x2000_0000 | (rng.next() & 0x1fff_ffff)) << 32)
        }
        var seen = Set<IPv6Prefix>(minimumCapacity: count)
        var result: [IPv6Prefix] = []
        result.reserveCapacity(count)
        while result.count < count {
            let length = pickLength(ipv6Lengths, &rng)
            let high: UInt64
            if length >= 32 {
                high = regions[Int(rng.next() % UInt64(regionCount))] | (rng.next() & 0xffff_ffff)
            } else {
                high = 0x2000_0000_0000_0000 | (rng.next() & 0x1fff_ffff_ffff_ffff)
            }
            let address = IPv6Address(high: high, low: rng.next())
            guard let p = IPv6Prefix(network: address, length: length) else { continue }
            if seen.insert(p).inserted { result.append(p) }
        }
        return result
    }

    /// A VPC-style route table of `count` distinct routes: `0.0.0.0/0`, the local `10.<n>.0.0/16`, then
    /// peering/TGW/endpoint routes in RFC 1918 space (/16, /20, /22, /24, /26, /28, /32).
    public static func vpcRouteTable(count: Int = 50, seed: UInt64 = 0x7ab1e) -> [IPv4Prefix] {
        var rng = SplitMix64(seed: seed)
        let local = UInt32(10) << 24 | UInt32(truncatingIfNeeded: rng.next() & 0xff) << 16
        var result: [IPv4Prefix] = [IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!,
                                    IPv4Prefix(network: IPv4Address(bits: local), length: 16)!]
        var seen = Set(result)
        let lengths = [16, 20, 22, 24, 24, 24, 26, 28, 32]
        while result.count < count {
            let length = lengths[Int(rng.next() % UInt64(lengths.count))]
            let r = UInt32(truncatingIfNeeded: rng.next())
            let bits: UInt32
            switch rng.next() % 4 {
            case 0: bits = 0xac10_0000 | (r & 0x000f_ffff)            // 172.16.0.0/12
            case 1: bits = 0xc0a8_0000 | (r & 0x0000_ffff)            // 192.168.0.0/16
            default: bits = 0x0a00_0000 | (r & 0x00ff_ffff)           // 10.0.0.0/8
            }
            guard let p = IPv4Prefix(network: IPv4Address(bits: bits), length: length) else { continue }
            if seen.insert(p).inserted { result.append(p) }
        }
        return result
    }

    /// `count` uniformly random addresses.
    public static func uniformAddresses<Address: IPAddressProtocol>(_: Address.Type, count: Int, seed: UInt64) -> [Address] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var b = Address.Bits(truncatingIfNeeded: rng.next())
            if Address.bitWidth > 64 { b = b << 64 | Address.Bits(truncatingIfNeeded: rng.next()) }
            return Address(bits: b)
        }
    }

    /// `count` addresses each inside a prefix picked uniformly from `prefixes` (random host bits).
    public static func addresses<Address: IPAddressProtocol>(inside prefixes: [Prefix<Address>], count: Int, seed: UInt64) -> [Address] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let p = prefixes[Int(rng.next() % UInt64(prefixes.count))]
            var b = Address.Bits(truncatingIfNeeded: rng.next())
            if Address.bitWidth > 64 { b = b << 64 | Address.Bits(truncatingIfNeeded: rng.next()) }
            return Address(bits: p.network.bits | (b & p.hostMask))
        }
    }
}
