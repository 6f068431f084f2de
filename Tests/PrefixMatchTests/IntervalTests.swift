import TestSupport
import IPAddressing
import Testing
@testable import PrefixMatch

/// The intervals a compiled table reports (`CompiledPrefixTable.forEachInterval`) against a reference built
/// independently: probe every prefix boundary with the linear-scan reference and keep the boundaries where the
/// answer changes.
private func referenceIntervals<Address: IPAddressProtocol>(_ reference: ReferenceTable<Address>) -> [(Address.Bits, Int)] {
    var bounds: [Address.Bits] = [0]
    for r in reference.routes {
        bounds.append(r.prefix.network.bits)
        let last = r.prefix.network.bits | r.prefix.hostMask
        if last != Address.Bits.max { bounds.append(last &+ 1) }
    }
    bounds.sort()
    var out: [(Address.Bits, Int)] = []
    for b in bounds where out.last?.0 != b {
        let v = reference.longestMatch(Address(bits: b))?.value ?? -1
        if let last = out.last, last.1 == v { continue }
        out.append((b, v))
    }
    return out
}

private func checkIntervals<Address: IPAddressProtocol>(_: Address.Type, seed: UInt64, routes: Int) -> (layout: String, count: Int) {
    var gen = RandomPrefixes<Address>(rng: SplitMix64(seed: seed))
    var table = PrefixTable<Address, Int>()
    var reference = ReferenceTable<Address>()
    var chosen: [Prefix<Address>] = []
    for v in 0..<routes {
        let p = gen.prefix(near: chosen)
        chosen.append(p)
        table.insert(p, v)
        reference.insert(p, v)
    }
    let compiled = table.compiled()
    var got: [(Address.Bits, Int)] = []
    compiled.forEachInterval { start, route in got.append((start, route < 0 ? -1 : compiled.values[Int(route)])) }
    let expected = referenceIntervals(reference)
    #expect(got.count == expected.count, "seed \(seed), \(routes) routes (\(compiled.layoutName)): interval count")
    for (g, e) in zip(got, expected) where g.0 != e.0 || g.1 != e.1 {
        Issue.record("seed \(seed), \(routes) routes (\(compiled.layoutName)): interval \(g) expected \(e)")
        break
    }
    return (compiled.layoutName, compiled.count)
}

@Suite struct IntervalTests {
    /// Small tables (the interval layout, read as it is, padding dropped) and large ones (the trie layout,
    /// swept again) report the same maximal intervals as the reference, in both families.
    @Test(arguments: [(1, 0), (2, 1), (3, 5), (4, 17), (5, 200), (6, 256), (7, 300), (8, 900)] as [(UInt64, Int)])
    func intervalsMatchTheReference(seed: UInt64, routes: Int) {
        let v4 = checkIntervals(IPv4Address.self, seed: seed, routes: routes)
        #expect(v4.layout == (v4.count > 256 ? "poptrie" : "intervals"))
        _ = checkIntervals(IPv6Address.self, seed: seed &+ 100, routes: routes)
    }

    /// An empty table is one interval without a route; its lookups miss, singly and in batches.
    @Test func emptyTableIsOneIntervalWithoutRoute() {
        let empty4 = PrefixTable<IPv4Address, Int>().compiled()
        var got: [(UInt32, Int32)] = []
        empty4.forEachInterval { got.append(($0, $1)) }
        #expect(got.count == 1 && got[0] == (0, -1))
        let empty6 = PrefixTable<IPv6Address, Int>().compiled()
        var got6: [(UInt128, Int32)] = []
        empty6.forEachInterval { got6.append(($0, $1)) }
        #expect(got6.count == 1 && got6[0] == (0, -1))
        let probes = [try! IPv6Address("::"), try! IPv6Address("2001:db8::1"), IPv6Address(bits: .max)]
        for a in probes { #expect(empty6.lookup(a) == nil) }
        var out: [Int32] = [5, 5, 5]
        empty6.lookupIndices(probes, into: &out)
        #expect(out == [-1, -1, -1])
        #expect(empty4.lookup(IPv4Address(bits: .max)) == nil)
    }

    /// A host route on the last address of the space: the padding (which repeats the last start) is not
    /// reported as an interval of its own.
    @Test func lastAddressHostRoute() throws {
        var table = PrefixTable<IPv4Address, Int>()
        table.insert(try IPv4Prefix("10.0.0.0/8"), 0)
        table.insert(try IPv4Prefix("255.255.255.255/32"), 1)
        let c = table.compiled()
        var got: [(UInt32, Int32)] = []
        c.forEachInterval { got.append(($0, $1)) }
        let ten = try IPv4Address("10.0.0.0").bits
        #expect(got.map(\.0) == [0, ten, ten + (1 << 24), .max])
        #expect(got.map { $0.1 < 0 ? -1 : c.values[Int($0.1)] } == [-1, 0, -1, 1])
    }
}
