import TestSupport
import IPAddressing


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
