import TestSupport
import IPAddressing
import Testing
@testable import PrefixMatch

/// Builds random tables with inserts, duplicate inserts (overwrites) and removals, mirrors every step in the
/// linear-scan reference, then compares builder, compiled single and batch lookups on many probes.
/// Returns the number of distinct answers seen, so callers can check the probes exercise the table.
func checkAgainstReference<Address: IPAddressProtocol>(
    _: Address.Type, seed: UInt64, routes: Int, probes: Int
) -> Int {
    var gen = RandomPrefixes<Address>(rng: SplitMix64(seed: seed))
    var table = PrefixTable<Address, Int>()
    var reference = ReferenceTable<Address>()
    var chosen: [Prefix<Address>] = []
    var nextValue = 0
    for _ in 0..<routes {
        let roll = gen.rng.next() % 10
        if roll == 0, !chosen.isEmpty {
            // Overwrite an existing prefix.
            let p = chosen[Int(gen.rng.next() % UInt64(chosen.count))]
            nextValue += 1
            let old = table.insert(p, nextValue)
            #expect(old == reference.get(p), "seed \(seed): insert over \(p) returned the wrong old value")
            reference.insert(p, nextValue)
        } else if roll == 1, !chosen.isEmpty {
            // Remove a prefix (present or already removed).
            let p = chosen[Int(gen.rng.next() % UInt64(chosen.count))]
            let removed = table.remove(p)
            #expect(removed == reference.get(p), "seed \(seed): remove \(p)")
            reference.remove(p)
        } else {
            let p = gen.prefix(near: chosen)
            chosen.append(p)
            nextValue += 1
            table.insert(p, nextValue)
            reference.insert(p, nextValue)
        }
    }
    #expect(table.count == reference.routes.count, "seed \(seed): count")
    for p in chosen.prefix(200) {
        #expect(table[p] == reference.get(p), "seed \(seed): exact get \(p)")
    }
    let compiled = table.compiled()
    #expect(compiled.count == reference.routes.count)
    // Iteration is in prefix order and holds exactly the reference's routes.
    let sorted = reference.routes.sorted { $0.prefix < $1.prefix }
    #expect(table.map(\.prefix) == sorted.map(\.prefix), "seed \(seed): iteration order")
    #expect(compiled.prefixes == sorted.map(\.prefix), "seed \(seed): compiled order")
    #expect(compiled.values == sorted.map(\.value), "seed \(seed): compiled values")
    for p in chosen.prefix(200) {
        #expect(compiled.value(for: p) == reference.get(p), "seed \(seed): compiled exact get \(p)")
    }

    var addresses: [Address] = []
    let live = reference.routes.map(\.prefix) + chosen
    for _ in 0..<probes { addresses.append(gen.address(near: live)) }
    var batch = [Int32](repeating: -2, count: addresses.count)
    compiled.lookupIndices(addresses, into: &batch)
    var values = [Int?](repeating: -99, count: addresses.count)
    addresses.withUnsafeBufferPointer { a in
        values.withUnsafeMutableBufferPointer { v in compiled.lookup(a, into: v) }
    }

    var distinct = Set<Int>()
    var failures = 0
    for (k, address) in addresses.enumerated() {
        let expected = reference.longestMatch(address)
        let got = compiled.longestMatch(address)
        let ok = got?.prefix == expected?.prefix && got?.value == expected?.value
            && table.longestMatch(address)?.prefix == expected?.prefix
            && values[k] == expected?.value
            && (batch[k] < 0 ? nil : compiled.prefixes[Int(batch[k])]) == expected?.prefix
            && compiled.matchIndex(address).map({ compiled.prefixes[$0] }) == expected?.prefix
        if !ok {
            failures += 1
            if failures <= 5 {
                Issue.record("seed \(seed) (\(compiled.layoutName)): \(address) expected \(String(describing: expected)), compiled \(String(describing: got)), batch \(batch[k])")
            }
        }
        if let expected { distinct.insert(expected.value) }
    }
    #expect(failures == 0, "seed \(seed): \(failures) of \(probes) probes disagree")
    return distinct.count
}

@Test(arguments: [(1 as UInt64, 8), (2, 40), (3, 200), (4, 600), (5, 3_000)])
func ipv4LookupAgreesWithLinearScan(seed: UInt64, routes: Int) {
    let distinct = checkAgainstReference(IPv4Address.self, seed: seed, routes: routes, probes: 4_000)
    #expect(distinct >= min(routes / 3, 300), "seed \(seed): only \(distinct) distinct answers")
}

@Test(arguments: [(11 as UInt64, 8), (12, 40), (13, 200), (14, 600), (15, 3_000)])
func ipv6LookupAgreesWithLinearScan(seed: UInt64, routes: Int) {
    let distinct = checkAgainstReference(IPv6Address.self, seed: seed, routes: routes, probes: 4_000)
    #expect(distinct >= min(routes / 3, 300), "seed \(seed): only \(distinct) distinct answers")
}

/// The trie layout with unusual direct-array widths (so almost everything goes through nodes), checked
/// directly against the reference on a small table.
func checkTrieLayout<Address: IPAddressProtocol>(_: Address.Type, seed: UInt64, directBits: Int) -> Int {
    var gen = RandomPrefixes<Address>(rng: SplitMix64(seed: seed))
    var reference = ReferenceTable<Address>()
    var chosen: [Prefix<Address>] = []
    for i in 0..<300 {
        let p = gen.prefix(near: chosen)
        chosen.append(p)
        reference.insert(p, i)
    }
    let sorted = reference.routes.sorted { $0.prefix < $1.prefix }
    let trie = Poptrie<Address.Bits>(sortedPrefixes: sorted.map(\.prefix), directBits: directBits)
    var distinct = Set<Int>()
    var failures = 0
    for _ in 0..<3_000 {
        let address = gen.address(near: chosen)
        let expected = reference.longestMatch(address)?.prefix
        let got = trie.find(address.bits)
        if (got < 0 ? nil : sorted[Int(got)].prefix) != expected {
            failures += 1
            if failures <= 3 { Issue.record("seed \(seed) direct \(directBits): \(address) expected \(String(describing: expected)), got \(got)") }
        }
        if let expected { distinct.insert(expected.hashValue) }
    }
    #expect(failures == 0)
    return distinct.count
}

@Test(arguments: [1, 5, 8, 13])
func trieWithAnyDirectWidthAgreesWithLinearScan(directBits: Int) {
    #expect(checkTrieLayout(IPv4Address.self, seed: 21 + UInt64(directBits), directBits: directBits) > 80)
    #expect(checkTrieLayout(IPv6Address.self, seed: 31 + UInt64(directBits), directBits: directBits) > 80)
}
