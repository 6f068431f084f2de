import IPAddressing
import Loading
import NetworkModel
import Testing

/// `--onprem CIDR@EDGE` and `--assume-tunnels-up` (issue 18): parsing, the clear errors for bad values, and what
/// they do to a topology.
@Suite struct EdgeFactsTests {
    static func topology() throws -> Topology {
        var t = Topology()
        var vpc = VPC(name: "prod", cidrs: [try IPv4Prefix("10.0.0.0/16")])
        vpc.vpnGateway = VPNGateway(name: "vgw1", id: "vgw-0a1b")
        t.vpcs = [vpc]
        t.customerGateways = [CustomerGateway(name: "cgw", address: try IPv4Address("198.51.100.1"), asn: 65000)]
        t.vpnConnections = [VPNConnection(name: "office-vpn", id: "vpn-0abc", awsSide: .vpnGateway("vgw1"), customerGateway: "cgw",
                                          tunnels: [.down, .down])]
        return t
    }

    @Test func announcementsAndTunnelsApply() throws {
        var messages: [String] = []
        let facts = try EdgeFacts.parse(onprem: ["10.10.0.0/16@vpn-0abc", "10.10.0.0/16@vgw1", "172.16.0.0/12@office-vpn"],
                                        assumeTunnelsUp: true, messages: { messages.append($0) })
        #expect(messages.isEmpty)
        #expect(facts.announcements.map(\.edge) == ["vpn-0abc", "vgw1", "office-vpn"])
        var t = try Self.topology()
        try facts.apply(to: &t, messages: { messages.append($0) })
        #expect(t.vpnConnections[0].tunnels.isEmpty)
        // One network per prefix, named after it, with every edge that announces it.
        #expect(t.onPremisesNetworks.map(\.name) == ["10.10.0.0/16", "172.16.0.0/12"])
        #expect(t.onPremisesNetworks[0].announcements.map(\.edge) == ["vpn-0abc", "vgw1"])
        let r = TopologyResolver.resolve(t)
        #expect(r.onPremisesAnnouncements.allSatisfy { $0.edge != nil })
    }

    @Test func badValuesAreClearErrors() throws {
        for (value, words) in [("10.10.0.0/16", "expected CIDR@EDGE"), ("@vpn-1", "expected CIDR@EDGE"), ("10.10.0.0/16@", "expected CIDR@EDGE"),
                               ("10.10.0.300/16@vpn-1", "not an IPv4 CIDR"), ("2001:db8::/32@vpn-1", "not an IPv4 CIDR")] {
            var messages: [String] = []
            #expect(throws: InputError.self) { try EdgeFacts.parse(onprem: [value], assumeTunnelsUp: false, messages: { messages.append($0) }) }
            #expect(messages.count == 1 && messages[0].contains(words), "\(value): \(messages)")
        }
        // An edge the topology does not have.
        var messages: [String] = []
        let facts = try EdgeFacts.parse(onprem: ["10.10.0.0/16@vpn-nope"], assumeTunnelsUp: false, messages: { messages.append($0) })
        var t = try Self.topology()
        #expect(throws: InputError.self) { try facts.apply(to: &t, messages: { messages.append($0) }) }
        #expect(messages.count == 1 && messages[0].contains("vpn-nope"))
        #expect(t.vpnConnections[0].tunnels == [.down, .down])
    }
}
