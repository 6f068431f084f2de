import TestSupport
import Testing
@testable import IPAddressing

/// Every overlapping pair by comparing ranges (independent of the sweep), with each block's degree.
private func brutePairs(_ prefixes: [IPv4Prefix]) -> (pairs: [(Int, Int)], degree: [Int]) {
    var pairs: [(Int, Int)] = []
    var degree = [Int](repeating: 0, count: prefixes.count)
    for i in prefixes.indices {
        for j in prefixes.indices where i < j {
            let a = prefixes[i], b = prefixes[j]
            if a.first <= b.last && b.first <= a.last {
                pairs.append((i, j))
                degree[i] += 1
                degree[j] += 1
            }
        }
    }
    return (pairs, degree)
}

private func relation(of a: IPv4Prefix, to b: IPv4Prefix) -> OverlapRelation {
    a == b ? .equal : a.length < b.length ? .contains : .liesInside
}

private struct Pair: Hashable { var a: Int, b: Int }

@Test func everyPairAppearsInExactlyOneGroupUnderItsBusierBlock() {
    let seed: UInt64 = 1414
    var rng = SplitMix64(seed: seed)
    var total = 0, multi = 0
    for round in 0..<50 {
        // A crowded space (10.0.0.0/12) of mixed lengths: chains, duplicates and blocks holding many others.
        let prefixes = (0..<Int.random(in: 0...300, using: &rng)).map { _ -> IPv4Prefix in
            let length = [12, 14, 16, 18, 20, 22, 24, 24, 28][Int.random(in: 0..<9, using: &rng)]
            return IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0x000F_FFFF), length: length)!
        }
        let (pairs, degree) = brutePairs(prefixes)
        let groups = OverlapGroups(prefixes)
        #expect(groups.pairCount == pairs.count, "seed \(seed) round \(round)")
        var seen: [Pair: Int] = [:]
        var buffer: [OverlapPartner] = []
        for i in prefixes.indices {
            #expect(groups.degree(of: i) == degree[i], "seed \(seed) round \(round) block \(i)")
            groups.partners(of: i, into: &buffer)
            #expect(buffer.map(\.index) == buffer.map(\.index).sorted(), "partners sorted by index")
            if buffer.count > 1 { multi += 1 }
            for p in buffer {
                let j = Int(p.index)
                #expect(p.relation == relation(of: prefixes[i], to: prefixes[j]), "seed \(seed) round \(round) \(i)-\(j)")
                // The anchor is the busier block; on a tie the later one.
                #expect(degree[i] > degree[j] || (degree[i] == degree[j] && i > j), "seed \(seed) round \(round) \(i)-\(j)")
                #expect(groups.anchor(i, j) == i && groups.anchor(j, i) == i)
                seen[Pair(a: min(i, j), b: max(i, j)), default: 0] += 1
            }
        }
        #expect(seen.count == pairs.count && seen.values.allSatisfy { $0 == 1 }, "seed \(seed) round \(round): each pair once")
        #expect(Set(pairs.map { Pair(a: $0.0, b: $0.1) }) == Set(seen.keys), "seed \(seed) round \(round)")
        total += pairs.count
    }
    #expect(total > 2_000 && multi > 100)
}

@Test func countingTestLimitsDegreesAndTheGroupsFollowIt() {
    var rng = SplitMix64(seed: 77)
    for round in 0..<20 {
        let prefixes = (0..<Int.random(in: 2...200, using: &rng)).map { _ -> IPv4Prefix in
            IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0x00FF_FFFF),
                       length: Int.random(in: 8...20, using: &rng))!
        }
        // Only pairs whose indices differ in parity count (a stand-in for "reportable").
        let include: (Int, Int) -> Bool = { ($0 + $1) % 2 == 1 }
        let groups = OverlapGroups(prefixes, counting: include)
        let (all, _) = brutePairs(prefixes)
        let kept = all.filter { include($0.0, $0.1) }
        var degree = [Int](repeating: 0, count: prefixes.count)
        for (a, b) in kept { degree[a] += 1; degree[b] += 1 }
        #expect(groups.pairCount == kept.count, "round \(round)")
        var seen = Set<Pair>()
        var buffer: [OverlapPartner] = []
        for i in prefixes.indices {
            #expect(groups.degree(of: i) == degree[i])
            groups.partners(of: i, into: &buffer) { include(i, $0) }
            for p in buffer { #expect(seen.insert(Pair(a: min(i, Int(p.index)), b: max(i, Int(p.index)))).inserted) }
        }
        #expect(seen == Set(kept.map { Pair(a: $0.0, b: $0.1) }), "round \(round)")
    }
}

@Test func aRegionHoldingManyBlocksIsOneGroupAndAnIsolatedPairGoesToTheLaterLine() throws {
    let prefixes = try ["10.1.0.0/24", "10.0.0.0/8", "10.2.0.0/24", "10.3.0.0/24", "192.168.0.0/16", "192.168.1.0/24"]
        .map { try IPv4Prefix($0) }
    let groups = OverlapGroups(prefixes)
    var buffer: [OverlapPartner] = []
    groups.partners(of: 1, into: &buffer)
    #expect(buffer == [0, 2, 3].map { OverlapPartner(index: $0, relation: .contains) })
    groups.partners(of: 0, into: &buffer)
    #expect(buffer.isEmpty)
    groups.partners(of: 4, into: &buffer)
    #expect(buffer.isEmpty)
    groups.partners(of: 5, into: &buffer)
    #expect(buffer == [OverlapPartner(index: 4, relation: .liesInside)])
    #expect(OverlapGroups([IPv4Prefix]()).pairCount == 0)
}

@Test func radixSortOrdersIPv4ByNetworkThenLengthThenPosition() {
    var rng = SplitMix64(seed: 26)
    for round in 0..<30 {
        // Few distinct networks and lengths, so that ties on both are common.
        let prefixes = (0..<Int.random(in: 0...2_000, using: &rng)).map { _ -> IPv4Prefix in
            let network = [0, 0x0A00_0000, 0x0A01_0000, 0xC0A8_0000, 0xFFFF_FF00][Int.random(in: 0..<5, using: &rng)]
            return IPv4Prefix(network: IPv4Address(bits: UInt32(network)), length: Int.random(in: 0...32, using: &rng))!
        }
        let expected = prefixes.indices.sorted { a, b in
            let x = prefixes[a], y = prefixes[b]
            return (x.network.bits, x.length, a) < (y.network.bits, y.length, b)
        }
        #expect(OverlapFinder.sortedPositions(prefixes).map(Int.init) == expected, "round \(round)")
    }
}

/// The places a collapsed block stands for: its copies, or itself.
private func places(_ groups: OverlapGroups, _ index: Int) -> [Int] {
    let copies = groups.copies(of: index)
    return copies.isEmpty ? [index] : copies.map { Int($0) }
}

@Test func collapsedCopiesAccountForEveryPairExactlyOnce() {
    let seed: UInt64 = 2718
    var rng = SplitMix64(seed: seed)
    var total = 0, repeated = 0, nestedRepeated = 0
    for round in 0..<60 {
        // Draw from a small pool of blocks so that blocks repeat, up to hundreds of times.
        let pool = (0..<Int.random(in: 1...40, using: &rng)).map { _ -> IPv4Prefix in
            let length = [12, 14, 16, 18, 20, 22, 24, 28][Int.random(in: 0..<8, using: &rng)]
            return IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0x000F_FFFF), length: length)!
        }
        let prefixes = (0..<Int.random(in: 0...400, using: &rng)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] }
        let (pairs, _) = brutePairs(prefixes)
        let groups = OverlapGroups(prefixes, collapsingCopies: true)
        #expect(groups.pairCount == pairs.count, "seed \(seed) round \(round)")
        var seen = Set<Pair>()
        var accounted = 0
        var buffer: [OverlapPartner] = []
        for i in prefixes.indices {
            let copyCount = prefixes.filter { $0 == prefixes[i] }.count
            #expect(groups.copyCount(of: i) == copyCount)
            // The representative is the last copy; only it lists partners.
            let last = prefixes.lastIndex(of: prefixes[i]) ?? i
            #expect(groups.representative(of: i) == last, "seed \(seed) round \(round) block \(i)")
            groups.partners(of: i, into: &buffer)
            if last != i { #expect(buffer.isEmpty); continue }
            // A duplicate group of m places: m·(m−1)/2 equal pairs.
            let copies = places(groups, i)
            #expect(copies == prefixes.indices.filter { prefixes[$0] == prefixes[i] })
            if copies.count > 1 { repeated += 1 }
            accounted += copies.count * (copies.count - 1) / 2
            for (x, a) in copies.enumerated() {
                for b in copies[(x + 1)...] { #expect(seen.insert(Pair(a: a, b: b)).inserted) }
            }
            // A nested pair of distinct blocks: every copy of one with every copy of the other.
            for p in buffer {
                let j = Int(p.index)
                #expect(p.relation != .equal && groups.representative(of: j) == j)
                #expect(p.relation == relation(of: prefixes[i], to: prefixes[j]))
                #expect(groups.anchor(i, j) == i && groups.anchor(j, i) == i)
                let others = places(groups, j)
                if copies.count > 1 || others.count > 1 { nestedRepeated += 1 }
                accounted += copies.count * others.count
                for a in copies {
                    for b in others { #expect(seen.insert(Pair(a: min(a, b), b: max(a, b))).inserted, "seed \(seed) round \(round)") }
                }
            }
        }
        #expect(accounted == pairs.count && seen == Set(pairs.map { Pair(a: $0.0, b: $0.1) }), "seed \(seed) round \(round)")
        total += pairs.count
    }
    #expect(total > 10_000 && repeated > 200 && nestedRepeated > 200)
}

@Test func withoutCopiesCollapsingChangesNothing() {
    var rng = SplitMix64(seed: 31)
    for round in 0..<20 {
        var unique = Set<IPv4Prefix>()
        let prefixes = (0..<Int.random(in: 0...300, using: &rng)).compactMap { _ -> IPv4Prefix? in
            let p = IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0x000F_FFFF),
                               length: [12, 16, 20, 24][Int.random(in: 0..<4, using: &rng)])!
            return unique.insert(p).inserted ? p : nil
        }
        let plain = OverlapGroups(prefixes), collapsed = OverlapGroups(prefixes, collapsingCopies: true)
        #expect(!collapsed.hasCopies && collapsed.pairCount == plain.pairCount, "round \(round)")
        var a: [OverlapPartner] = [], b: [OverlapPartner] = []
        for i in prefixes.indices {
            plain.partners(of: i, into: &a)
            collapsed.partners(of: i, into: &b)
            #expect(a == b && plain.degree(of: i) == collapsed.degree(of: i) && collapsed.copies(of: i).isEmpty)
        }
    }
}

@Test func aBlockListedThousandsOfTimesIsOneNode() throws {
    let prefixes = try [IPv4Prefix("10.0.0.0/8")] + Array(repeating: IPv4Prefix("10.0.1.0/24"), count: 3_000)
    let groups = OverlapGroups(prefixes, collapsingCopies: true)
    #expect(groups.pairCount == 3_000 + 3_000 * 2_999 / 2)
    #expect(groups.copies(of: 1).count == 3_000 && groups.representative(of: 1) == 3_000 && groups.copies(of: 0).isEmpty)
    var buffer: [OverlapPartner] = []
    groups.partners(of: 3_000, into: &buffer)
    #expect(buffer == [OverlapPartner(index: 0, relation: .liesInside)])
    groups.partners(of: 0, into: &buffer)
    #expect(buffer.isEmpty)
}
