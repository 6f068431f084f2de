import IPAddressing

/// A small seeded generator (SplitMix64) so property tests are reproducible: print the seed on failure.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    mutating func v4() -> IPv4Address { IPv4Address(bits: UInt32(truncatingIfNeeded: next())) }
    mutating func v6() -> IPv6Address { IPv6Address(high: next(), low: next()) }
    /// An IPv6 address with runs of zero groups, so `::` compression is exercised.
    mutating func sparseV6() -> IPv6Address {
        var bits: UInt128 = 0
        for _ in 0..<8 {
            let group: UInt128 = next() % 3 == 0 ? UInt128(next() & 0xffff) : 0
            bits = bits << 16 | group
        }
        return IPv6Address(bits: bits)
    }
    mutating func v4Prefix(lengths: ClosedRange<Int> = 0...32) -> IPv4Prefix {
        IPv4Prefix(network: v4(), length: Int.random(in: lengths, using: &self))!
    }
    mutating func v6Prefix(lengths: ClosedRange<Int> = 0...128) -> IPv6Prefix {
        IPv6Prefix(network: v6(), length: Int.random(in: lengths, using: &self))!
    }
}
