import TestSupport
import Testing
@testable import IPAddressing

private func bruteOverlaps<A: IPAddressProtocol>(_ prefixes: [Prefix<A>]) -> Set<IndexedOverlap> {
    var result = Set<IndexedOverlap>()
    for i in prefixes.indices {
        for j in prefixes.indices where i < j {
            let a = prefixes[i], b = prefixes[j]
            // Independent of `contains`: compare the ranges.
            guard a.first <= b.last && b.first <= a.last else { continue }
            if a == b {
                result.insert(IndexedOverlap(outer: i, inner: j, kind: .equal))
            } else if a.first <= b.first && b.last <= a.last {
                result.insert(IndexedOverlap(outer: i, inner: j, kind: .nested))
            } else {
                result.insert(IndexedOverlap(outer: j, inner: i, kind: .nested))
            }
        }
    }
    return result
}

@Test func overlapFinderAgreesWithAllPairsIPv4() {
    let seed: UInt64 = 2024
    var rng = SplitMix64(seed: seed)
    var total = 0, equal = 0
    for round in 0..<60 {
        // A crowded space (10.0.0.0/12) so that nesting chains and duplicates occur.
        let prefixes = (0..<Int.random(in: 0...400, using: &rng)).map { _ -> IPv4Prefix in
            let length = Int.random(in: 12...24, using: &rng)
            return IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0x000F_FFFF), length: length)!
        }
        let found = OverlapFinder.overlaps(in: prefixes)
        #expect(Set(found).count == found.count, "seed \(seed) round \(round): duplicates reported")
        #expect(Set(found) == bruteOverlaps(prefixes), "seed \(seed) round \(round)")
        total += found.count
        equal += found.filter { $0.kind == .equal }.count
    }
    #expect(total > 1_000 && equal > 10)
}

@Test func overlapFinderAgreesWithAllPairsIPv6() {
    let seed: UInt64 = 6
    var rng = SplitMix64(seed: seed)
    var total = 0
    for round in 0..<40 {
        let prefixes = (0..<Int.random(in: 0...300, using: &rng)).map { _ -> IPv6Prefix in
            let base = IPv6Address(high: 0x2001_0db8_0000_0000 | (rng.next() & 0xffff), low: rng.next())
            return IPv6Prefix(network: base, length: Int.random(in: 32...64, using: &rng))!
        }
        let found = OverlapFinder.overlaps(in: prefixes)
        #expect(Set(found) == bruteOverlaps(prefixes), "seed \(seed) round \(round)")
        total += found.count
    }
    #expect(total > 1_000)
}

@Test func locatedOverlapsKeepOriginsAndSeparateFamilies() throws {
    let items = try [
        ("10.0.0.0/16", "vpc-a"), ("10.0.1.0/24", "app"), ("::/0", "all-v6"), ("10.0.1.0/24", "app-copy"),
        ("192.168.0.0/16", "other"), ("2001:db8::/32", "doc"),
    ].enumerated().map { i, pair in
        LocatedPrefix(try IPPrefix(pair.0), origin: PrefixOrigin(file: "nets.txt", line: i + 1, name: pair.1))
    }
    let found = OverlapFinder.overlaps(in: items)
    let described = found.map { "\($0.kind.rawValue) \($0.outer.origin.name ?? "") \($0.inner.origin.name ?? "")" }
    #expect(described == ["nested vpc-a app", "nested vpc-a app-copy", "equal app app-copy", "nested all-v6 doc"])
    #expect(found[2].outer.origin.line == 2 && found[2].inner.origin.line == 4)
}
