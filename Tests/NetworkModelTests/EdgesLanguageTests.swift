import TestSupport
import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

/// The language of the network's edges (Docs/DSL.md "Edges"): parsing, printing, the default VPC, endpoint text.
@Suite struct EdgesParsingTests {
    static func parse(_ text: String) -> (Topology, [Diagnostic]) { TopologyParser.parse(text, file: "edges.vpc") }

    @Test func exampleParsesEveryConstruct() throws {
        let (t, d) = EdgesParsingTests.parse(Fixtures.read("Topologies/edges.vpc"))
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let prod = try #require(t.vpcs.first { $0.name == "prod" })
        #expect(prod.vpnGateway == VPNGateway(name: "vgw1", id: "vgw-0a1b2c3d", asn: 64512))
        let privateTable = try #require(prod.routeTables.first { $0.name == "private" })
        #expect(privateTable.propagations == ["vgw1"])
        #expect(privateTable.routes.contains(Route(destination: .cidr(try IPPrefix("192.168.0.0/16")), target: .named("vgw1"))))
        #expect(prod.routeTables.first { $0.name == "ingress" }?.edgeAssociations == ["igw"])
        #expect(prod.endpoints.count == 2)
        let s3 = try #require(prod.endpoints.first)
        #expect(s3.kind == .gateway && s3.service == "s3" && s3.routeTables == ["private"] && s3.prefixList == "s3")
        #expect(s3.policy?.hasPrefix("{\"Statement\":[{") == true)
        #expect(s3.id == "vpce-0a1b2c3d4e5f60001")
        let ssm = prod.endpoints[1]
        #expect(ssm.kind == .interface && ssm.subnets == ["app-a", "app-b"] && ssm.securityGroups == ["endpoints"])
        #expect(ssm.addresses == [try IPv4Address("10.0.10.50"), try IPv4Address("10.0.11.50")])
        #expect(ssm.privateDNS)
        let legacy = try #require(t.vpcs.first { $0.name == "legacy" })
        #expect(legacy.isDefault && legacy.subnets.map(\.name) == ["legacy-a", "legacy-b", "legacy-c"])
        #expect(t.customerGateways.map(\.name) == ["office-cgw", "branch"])
        #expect(t.vpnConnections.first == VPNConnection(name: "office-vpn", id: "vpn-0a1b2c3d", awsSide: .vpnGateway("vgw1"),
                                                         customerGateway: "office-cgw", staticRoutesOnly: true,
                                                         staticRoutes: [try IPv4Prefix("192.168.0.0/16")], tunnels: [.up, .down]))
        #expect(t.vpnConnections.last?.awsSide == .transitGateway("core"))
        #expect(t.vpnConnections.last?.staticRoutesOnly == false)
        #expect(t.directConnectGateways.first?.associations == [.init(gateway: "vgw1", allowedPrefixes: [try IPv4Prefix("10.0.0.0/16")])])
        #expect(t.directConnectGateways.first?.id == "5f294f92-bafb-4011-916d-9b0bc86b4c6f")
        #expect(t.virtualInterfaces.map(\.kind) == [.private, .transit])
        #expect(t.virtualInterfaces.first?.awsSide == .directConnectGateway("dxg-prod"))
        let dc = try #require(t.onPremisesNetworks.first)
        #expect(dc.prefixes == [try IPv4Prefix("10.10.0.0/16"), try IPv4Prefix("172.20.0.0/16")])
        #expect(dc.announcements == [.init(edge: "dc-a", localPreference: .high), .init(edge: "dc-t", asPathLength: 2)])
        #expect(t.onPremisesNetworks[1] == OnPremisesNetwork(name: "office", prefixes: [try IPv4Prefix("192.168.0.0/16")],
                                                             announcements: [.init(edge: "office-vpn")]))
        let core = try #require(t.transitGateways.first)
        #expect(core.attachments.map(\.kind) == [.vpc, .vpn(connection: "branch-vpn"), .directConnectGateway("dxg-core"),
                                                 .peering(transitGateway: "core-west")])
        #expect(core.attachments[3].id == "tgw-attach-0peer")
        #expect(core.attachments[1].vpc == "" && core.attachments[1].subnets.isEmpty)
    }

    @Test func exampleRoundTrips() {
        let (t, _) = EdgesParsingTests.parse(Fixtures.read("Topologies/edges.vpc"))
        let printed = TopologyPrinter.format(t)
        let (again, d) = EdgesParsingTests.parse(printed)
        #expect(d.isEmpty, "\(d.map(\.rendered))\n\(printed)")
        #expect(again == t)
        #expect(TopologyPrinter.format(again) == printed)
    }
}
