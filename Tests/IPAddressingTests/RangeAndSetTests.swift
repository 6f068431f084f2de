import TestSupport
import Testing
@testable import IPAddressing

/// Small address spaces: every prefix lies inside 10.0.0.0/24 (IPv4) or 2001:db8::/120 (IPv6), so the
/// brute-force reference is a 256-entry membership table.
private struct SmallSpace<A: IPAddressProtocol> {
    let base: A.Bits
    func address(_ i: Int) -> A { A(bits: base | A.Bits(i)) }
    func index(_ a: A) -> Int { Int(truncatingIfNeeded: a.bits ^ base) }
    func randomPrefix(_ rng: inout SplitMix64) -> Prefix<A> {
        let length = A.bitWidth - Int.random(in: 0...8, using: &rng)
        return Prefix(network: address(Int(rng.next() & 0xff)), length: length)!
    }
    func members(_ prefixes: [Prefix<A>]) -> [Bool] {
        (0..<256).map { i in prefixes.contains { $0.contains(address(i)) } }
    }
    func members(_ set: PrefixSet<A>) -> [Bool] { (0..<256).map { set.contains(address($0)) } }
    func members(_ ranges: [IPRange<A>]) -> [Bool] { (0..<256).map { i in ranges.contains { $0.contains(address(i)) } } }
}

private func checkSetAlgebra<A: IPAddressProtocol>(_ space: SmallSpace<A>, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for round in 0..<300 {
        let a = (0..<Int.random(in: 0...6, using: &rng)).map { _ in space.randomPrefix(&rng) }
        let b = (0..<Int.random(in: 0...6, using: &rng)).map { _ in space.randomPrefix(&rng) }
        let setA = PrefixSet(a), setB = PrefixSet(b)
        let ma = space.members(a), mb = space.members(b)
        let context = "seed \(seed) round \(round)"
        #expect(space.members(setA) == ma, "\(context)")
        #expect(space.members(setA.union(setB)) == zip(ma, mb).map { $0 || $1 }, "\(context)")
        #expect(space.members(setA.intersection(setB)) == zip(ma, mb).map { $0 && $1 }, "\(context)")
        #expect(space.members(setA.subtracting(setB)) == zip(ma, mb).map { $0 && !$1 }, "\(context)")
        #expect(setA.count == A.Bits(ma.filter { $0 }.count), "\(context)")
        // The invariant: sorted, disjoint, never adjacent.
        for (x, y) in zip(setA.ranges, setA.ranges.dropFirst()) {
            #expect(x.upper < y.lower && x.upper.successor != y.lower, "\(context)")
        }
        // The prefixes hold exactly the set's addresses, are disjoint, and no two could merge into one block.
        let cover = setA.prefixes
        #expect(space.members(cover) == ma, "\(context)")
        for (x, y) in zip(cover, cover.dropFirst()) {
            #expect(x.last < y.first, "\(context)")
            if x.length == y.length, let parent = x.parent { #expect(!parent.contains(y), "\(context): \(x) \(y) mergeable") }
        }
        // Membership of whole prefixes.
        let probe = space.randomPrefix(&rng)
        let expected = (space.index(probe.first)...space.index(probe.last)).allSatisfy { ma[$0] }
        #expect(setA.contains(probe) == expected, "\(context): \(probe)")
        // Free blocks: aligned, inside the set, in order, and the first ones.
        let length = A.bitWidth - Int.random(in: 0...4, using: &rng)
        let free = setA.firstBlocks(length: length, limit: 3)
        let allAligned = (0..<256).compactMap { i -> Prefix<A>? in
            let p = Prefix(network: space.address(i), length: length)!
            return p.network == space.address(i) && setA.contains(p) ? p : nil
        }
        #expect(free == Array(allAligned.prefix(3)), "\(context): /\(length)")
    }
}

@Test func setOperationsMatchMembershipTablesIPv4() throws {
    checkSetAlgebra(SmallSpace<IPv4Address>(base: try IPv4Address("10.0.0.0").bits), seed: 11)
}

@Test func setOperationsMatchMembershipTablesIPv6() throws {
    checkSetAlgebra(SmallSpace<IPv6Address>(base: try IPv6Address("2001:db8::").bits), seed: 12)
}

/// The minimal cover of a range: exact, and as short as the reference greedy-by-brute-force cover.
@Test func rangeCoverIsExactAndMinimal() throws {
    let seed: UInt64 = 99
    var rng = SplitMix64(seed: seed)
    for _ in 0..<2_000 {
        let x = UInt32(truncatingIfNeeded: rng.next()), y = UInt32(truncatingIfNeeded: rng.next()) % 5000
        let lower = IPv4Address(bits: x), upper = IPv4Address(bits: x &+ y < x ? .max : x &+ y)
        let range = IPRange(lower: lower, upper: upper)!
        let cover = range.prefixes
        #expect(cover.first?.first == lower && cover.last?.last == upper, "seed \(seed): \(range)")
        for (a, b) in zip(cover, cover.dropFirst()) { #expect(a.last.successor == b.first, "seed \(seed)") }
        // Reference: from each start, try lengths from short to long, take the first block that fits.
        var reference: [IPv4Prefix] = []
        var cursor = UInt64(lower.bits)
        while cursor <= UInt64(upper.bits) {
            for length in 0...32 {
                let p = IPv4Prefix(network: IPv4Address(bits: UInt32(cursor)), length: length)!
                if UInt64(p.network.bits) == cursor && UInt64(p.last.bits) <= UInt64(upper.bits) {
                    reference.append(p)
                    cursor = UInt64(p.last.bits) + 1
                    break
                }
            }
        }
        #expect(cover == reference, "seed \(seed): \(range)")
    }
    let everything = IPRange(lower: IPv6Address.min, upper: IPv6Address.max)!
    #expect(everything.prefixes.map(\.description) == ["::/0"])
    #expect(everything.count == nil)
    let awkward = try IPv4Range(parsing: "10.0.0.1-10.0.0.6")
    #expect(awkward.prefixes.map(\.description) == ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"])
    #expect(awkward.enclosingPrefix.description == "10.0.0.0/29")
    #expect(awkward.count == 6)
    #expect(throws: IPParseError.self) { try IPv4Range(parsing: "10.0.0.6-10.0.0.1") }
    #expect(try IPv4Range(parsing: "10.0.0.0/30") == IPRange(lower: IPv4Address(10, 0, 0, 0), upper: IPv4Address(10, 0, 0, 3)))
}

@Test func subnetPlanningFindsTheFirstFreeBlocks() throws {
    let vpc = PrefixSet([try IPv4Prefix("10.0.0.0/16")])
    let used = PrefixSet(try ["10.0.0.0/24", "10.0.1.0/25", "10.0.3.0/24"].map { try IPv4Prefix($0) })
    let free = vpc.subtracting(used)
    #expect(free.firstBlocks(length: 24, limit: 2).map(\.description) == ["10.0.2.0/24", "10.0.4.0/24"])
    #expect(free.firstBlocks(length: 25, limit: 1).map(\.description) == ["10.0.1.128/25"])
    #expect(free.firstBlocks(length: 15, limit: 1).isEmpty)
    let top = PrefixSet([try IPv4Prefix("255.255.255.0/24")])
    #expect(top.firstBlocks(length: 26, limit: 10).count == 4)
}

/// Fuzz finding (target `ip`, Tests/Fuzz/ip/crash-one-address-range): a one-address range prints as its address
/// (`::1/128` → `::1`), which did not read back as a range. A bare address is now the range of that address.
@Test func oneAddressRangesReadBackFromTheirText() throws {
    let v6 = try IPv6Range(parsing: "::1/128")
    #expect(v6.description == "::1")
    #expect(try IPv6Range(parsing: Substring(v6.description)) == v6)
    let v4 = try IPv4Range(parsing: "10.0.0.7")
    #expect(v4 == IPRange(lower: IPv4Address(10, 0, 0, 7), upper: IPv4Address(10, 0, 0, 7)))
    #expect(try IPv4Range(parsing: Substring(v4.description)) == v4)
    #expect(throws: IPParseError.self) { try IPv4Range(parsing: "10.0.0.256") }
    #expect(throws: IPParseError.self) { try IPv4Range(parsing: "") }
}
