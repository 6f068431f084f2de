import Testing
@testable import FlowLogs

/// The replay's address map against `Dictionary` (its brute-force twin) on seeded random addresses: IPv4 and
/// IPv6, duplicates (the first value stays), clustered keys, growth from the smallest capacity.
@Test func addressTableAgreesWithDictionary() {
    var state: UInt64 = 0x5EED_6
    func next() -> UInt64 {  // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    func address() -> FlowAddress {
        switch next() % 4 {
        case 0: FlowAddress(v4: 0x0A00_0000 | UInt32(truncatingIfNeeded: next() % 512))  // clustered, duplicates
        case 1: FlowAddress(v4: UInt32(truncatingIfNeeded: next()))
        case 2: FlowAddress(bits: UInt128(next()) << 64 | UInt128(next() % 64), isIPv6: true)
        default: FlowAddress(bits: UInt128(next() % 512), isIPv6: true)  // same bits as an IPv4 key, other family
        }
    }
    var table = AddressTable(capacity: 1)
    var twin: [FlowAddress: Int32] = [:]
    for n in 0..<5_000 {
        let a = address()
        let v = Int32(n)
        table.insertIfAbsent(a, v)
        if twin[a] == nil { twin[a] = v }
    }
    #expect(table.count == twin.count)
    for (a, v) in twin { #expect(table.value(for: a) == v) }
    var misses = 0
    for _ in 0..<5_000 {
        let a = address()
        #expect(table.value(for: a) == twin[a])
        if twin[a] == nil { misses += 1 }
    }
    #expect(misses > 0)
}
