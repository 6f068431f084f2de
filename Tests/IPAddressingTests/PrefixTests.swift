import TestSupport
import Testing
@testable import IPAddressing

/// Brute-force twins: a prefix as "the addresses whose first `length` bits equal the network's".
private func bruteContains<A: IPAddressProtocol>(_ p: Prefix<A>, _ a: A) -> Bool {
    for bit in 0..<Int(p.length) {
        let shift = A.Bits(A.bitWidth - 1 - bit)
        if (p.network.bits >> shift) & 1 != (a.bits >> shift) & 1 { return false }
    }
    return true
}

@Test func containsOverlapsFirstLastAgreeWithBitByBitReference() {
    let seed: UInt64 = 42
    var rng = SplitMix64(seed: seed)
    var containedSeen = 0
    for _ in 0..<5_000 {
        let p = rng.v4Prefix(lengths: 0...32)
        // Probe near the block and at random.
        let probes = [rng.v4(), p.first, p.last, p.first.predecessor ?? p.first, p.last.successor ?? p.last,
                      IPv4Address(bits: p.network.bits | (UInt32(truncatingIfNeeded: rng.next()) & p.hostMask))]
        for a in probes {
            #expect(p.contains(a) == bruteContains(p, a), "seed \(seed): \(p) \(a)")
            if p.contains(a) { containedSeen += 1 }
        }
        #expect(bruteContains(p, p.first) && bruteContains(p, p.last), "seed \(seed): \(p)")
        if let after = p.last.successor { #expect(!bruteContains(p, after), "seed \(seed): \(p)") }
        if let before = p.first.predecessor { #expect(!bruteContains(p, before), "seed \(seed): \(p)") }
        let q = rng.v4Prefix(lengths: max(0, Int(p.length) - 4)...min(32, Int(p.length) + 4))
        let reference = bruteContains(p, q.first) && bruteContains(p, q.last)
        #expect(p.contains(q) == reference, "seed \(seed): \(p) \(q)")
        #expect(p.overlaps(q) == (p.first <= q.last && q.first <= p.last), "seed \(seed): \(p) \(q)")
        #expect(p.overlaps(q) == q.overlaps(p))
        if let count = p.count { #expect(count == p.last.bits - p.first.bits + 1) } else { #expect(p.length == 0) }
    }
    #expect(containedSeen > 10_000)
}

@Test func ipv6ContainsAgreesWithReference() {
    let seed: UInt64 = 7
    var rng = SplitMix64(seed: seed)
    for _ in 0..<3_000 {
        let p = rng.v6Prefix()
        let inside = IPv6Address(bits: p.network.bits | (rng.v6().bits & p.hostMask))
        for a in [rng.v6(), inside, p.first, p.last, p.last.successor ?? p.last] {
            #expect(p.contains(a) == bruteContains(p, a), "seed \(seed): \(p) \(a)")
        }
        #expect(p.contains(inside))
        if let count = p.count { #expect(count == p.last.bits - p.first.bits + 1) } else { #expect(p.length == 0) }
    }
}

@Test func splitYieldsAlignedChildrenCoveringTheParent() throws {
    let p = try IPv4Prefix("10.0.0.0/22")
    let children = Array(p.split(into: 24)!)
    #expect(children.map(\.description) == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"])
    #expect(p.split(into: 21) == nil && p.split(into: 33) == nil)
    #expect(Array(p.split(into: 22)!) == [p])
    #expect(p.split(into: 26)!.count == 16)
    let all = try IPv4Prefix("0.0.0.0/0")
    #expect(Array(all.split(into: 1)!).map(\.description) == ["0.0.0.0/1", "128.0.0.0/1"])
    #expect(all.split(into: 32)!.count == nil)
    let top = try IPv4Prefix("255.255.255.252/30")
    #expect(Array(top.split(into: 32)!).count == 4)   // the last child ends at the top of the space
    let v6 = try IPv6Prefix("2001:db8::/56")
    let subnets = Array(v6.split(into: 64)!)
    #expect(subnets.count == 256)
    #expect(subnets[1].description == "2001:db8:0:1::/64" && subnets[255].description == "2001:db8:0:ff::/64")
    let (low, high) = try #require(v6.halves)
    #expect(low.description == "2001:db8::/57" && high.description == "2001:db8:0:80::/57")

    var rng = SplitMix64(seed: 3)
    for _ in 0..<500 {
        let parent = rng.v4Prefix(lengths: 8...30)
        let childLength = Int.random(in: Int(parent.length)...min(32, Int(parent.length) + 6), using: &rng)
        let kids = Array(parent.split(into: childLength)!)
        #expect(UInt32(kids.count) == parent.split(into: childLength)!.count)
        #expect(kids.first?.first == parent.first && kids.last?.last == parent.last)
        for (a, b) in zip(kids, kids.dropFirst()) { #expect(a.last.successor == b.first) }
        #expect(kids.allSatisfy { parent.contains($0) && Int($0.length) == childLength })
    }
}

@Test func orderPutsContainersBeforeTheirContents() throws {
    let sorted = try ["10.0.1.0/24", "10.0.0.0/16", "10.0.0.0/24", "9.0.0.0/8"].map { try IPv4Prefix($0) }.sorted()
    #expect(sorted.map(\.description) == ["9.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24"])
    #expect(try IPPrefix("255.0.0.0/8") < IPPrefix("::/0"))
}
