import IPAddressing
import Testing
@testable import PrefixMatch

private func v4(_ s: String) -> IPv4Address { try! IPv4Address(s) }
private func p4(_ s: String) -> IPv4Prefix { try! IPv4Prefix(s) }
private func v6(_ s: String) -> IPv6Address { try! IPv6Address(s) }
private func p6(_ s: String) -> IPv6Prefix { try! IPv6Prefix(s) }

@Test func emptyTableMatchesNothing() {
    let table = PrefixTable<IPv4Address, UInt32>()
    let compiled = table.compiled()
    #expect(compiled.lookup(v4("0.0.0.0")) == nil)
    #expect(compiled.lookup(v4("255.255.255.255")) == nil)
    #expect(CompiledPrefixTable<IPv6Address, UInt32>().lookup(v6("::")) == nil)
    var out: [Int32] = [7]
    compiled.lookupIndices([v4("1.2.3.4")], into: &out)
    #expect(out == [CompiledPrefixTable<IPv4Address, UInt32>.noMatch])
}

@Test func defaultRouteAndHostRoutesAtTheEdgesOfTheSpace() {
    var table = PrefixTable<IPv4Address, String>()
    table.insert(p4("0.0.0.0/0"), "default")
    table.insert(p4("0.0.0.0/32"), "first")
    table.insert(p4("255.255.255.255/32"), "last")
    table.insert(p4("10.0.0.0/8"), "ten")
    table.insert(p4("10.1.0.0/16"), "ten-one")
    let c = table.compiled()
    #expect(c.lookup(v4("0.0.0.0")) == "first")
    #expect(c.lookup(v4("0.0.0.1")) == "default")
    #expect(c.lookup(v4("255.255.255.255")) == "last")
    #expect(c.lookup(v4("255.255.255.254")) == "default")
    #expect(c.lookup(v4("10.1.255.255")) == "ten-one")
    #expect(c.lookup(v4("10.2.0.0")) == "ten")
    #expect(c.longestMatch(v4("10.1.2.3"))?.prefix == p4("10.1.0.0/16"))
    #expect(table.allMatches(v4("10.1.2.3")).map(\.value) == ["ten-one", "ten", "default"])
    #expect(c.allMatchIndices(v4("10.1.2.3")).map { c.values[$0] } == ["ten-one", "ten", "default"])
    #expect(table.map(\.value) == ["default", "first", "ten", "ten-one", "last"])
}

@Test func ipv6DefaultAndHostRoutes() {
    var table = PrefixTable<IPv6Address, Int>()
    table.insert(p6("::/0"), 0)
    table.insert(p6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), 1)
    table.insert(p6("2001:db8::/32"), 2)
    table.insert(p6("2001:db8::1/128"), 3)
    let c = table.compiled()
    #expect(c.lookup(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")) == 1)
    #expect(c.lookup(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")) == 0)
    #expect(c.lookup(v6("2001:db8::1")) == 3)
    #expect(c.lookup(v6("2001:db8::2")) == 2)
    #expect(c.lookup(v6("::")) == 0)
}

@Test func insertOverwritesAndRemoveRestoresTheShorterMatch() {
    var table = PrefixTable<IPv4Address, Int>()
    #expect(table.insert(p4("10.0.0.0/8"), 1) == nil)
    #expect(table.insert(p4("10.0.0.0/24"), 2) == nil)
    #expect(table.insert(p4("10.0.0.0/24"), 3) == 2)
    #expect(table.count == 2)
    #expect(table.compiled().lookup(v4("10.0.0.9")) == 3)
    #expect(table.remove(p4("10.0.0.0/24")) == 3)
    #expect(table.remove(p4("10.0.0.0/24")) == nil)
    #expect(table.compiled().lookup(v4("10.0.0.9")) == 1)
    table[p4("10.0.0.0/8")] = nil
    #expect(table.isEmpty)
}

@Test func largeTableSwitchesToTheTrieLayoutAndStillMatches() {
    var table = PrefixTable<IPv4Address, Int>()
    for i in 0..<1_000 { table.insert(Prefix(network: IPv4Address(bits: UInt32(i) << 12), length: 20)!, i) }
    table.insert(p4("0.0.0.0/0"), -1)
    let c = table.compiled()
    #expect(c.layoutName == "poptrie")
    #expect(c.lookup(IPv4Address(bits: 999 << 12 | 5)) == 999)
    #expect(c.lookup(IPv4Address(bits: 1_000 << 12)) == -1)
    #expect(c.builder().count == table.count)
}
