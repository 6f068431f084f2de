import TestSupport
import IPAddressing
import Testing
@testable import NetworkModel
import Generators

/// The generator's `edges` option (issue 18's benchmark input) and the unchanged plain benchmark.
@Suite struct GeneratorEdgesTests {
    /// FNV-1a (64 bits) of a text's UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    static let small = TopologyGenerator(seed: 7, vpcs: 12, subnetsPerVPC: 9, instances: 300, securityGroups: 40, zones: 3, edges: true)

    /// The plain 2,000-VPC benchmark prints byte for byte what it printed before the option existed (the hash and
    /// size of `vpckit generate --benchmark` at main 108a9f5).
    @Test func plainBenchmarkIsByteIdentical() {
        let text = TopologyPrinter.format(TopologyGenerator.benchmark.generate())
        #expect(text.utf8.count == 14_220_659)
        #expect(GeneratorEdgesTests.fnv1a(text) == 0x0453_acd5_c098_b68d)
        #expect(!TopologyGenerator.benchmark.edges)
    }

    /// Edges off: nothing of the edges; on: the same topology plus the edges (no randomness consumed by them).
    @Test func edgesOnlyAdd() {
        var plainGenerator = GeneratorEdgesTests.small
        plainGenerator.edges = false
        let plain = plainGenerator.generate()
        #expect(plain.vpcs.allSatisfy { $0.endpoints.isEmpty })
        #expect(plain.vpnConnections.isEmpty && plain.directConnectGateways.isEmpty && plain.onPremisesNetworks.isEmpty)
        var withEdges = GeneratorEdgesTests.small.generate()
        #expect(withEdges != plain)
        withEdges.prefixLists.removeAll { $0.name == "s3" }
        for v in withEdges.vpcs.indices {
            withEdges.vpcs[v].endpoints = []
            for a in withEdges.vpcs[v].networkACLs.indices { withEdges.vpcs[v].networkACLs[a].inbound.removeAll { $0.number == 130 } }
        }
        withEdges.customerGateways = []
        withEdges.vpnConnections = []
        withEdges.directConnectGateways = []
        withEdges.virtualInterfaces = []
        withEdges.onPremisesNetworks = []
        withEdges.transitGateways[0].attachments.removeAll { $0.kind != .vpc }
        withEdges.transitGateways[0].routeTables[0].associations.removeAll { $0 == "vpn-att" || $0 == "dx-att" }
        withEdges.transitGateways[0].routeTables[0].propagations.removeAll { $0 == "vpn-att" || $0 == "dx-att" }
        #expect(withEdges == plain)
    }

    @Test func edgesShape() throws {
        typealias N = TopologyGenerator.EdgeNames
        let t = GeneratorEdgesTests.small.generate()
        let s3 = try #require(t.prefixLists.first { $0.name == N.servicePrefixList })
        #expect(s3.entries.count == 6 && s3.id == "pl-63a5400a")
        for (v, vpc) in t.vpcs.enumerated() {
            #expect(vpc.endpoints.count == 1)
            let e = try #require(vpc.endpoints.first)
            #expect(e.name == N.gatewayEndpoint(vpc: v) && e.kind == .gateway && e.service == "s3" && e.prefixList == "s3")
            #expect(e.routeTables == vpc.routeTables.map(\.name), "every table of the VPC gets the endpoint's route")
        }
        let vpn = try #require(t.vpnConnections.first)
        #expect(t.vpnConnections.count == 1 && vpn.awsSide == .transitGateway("hub") && vpn.staticRoutesOnly)
        #expect(vpn.customerGateway == N.customerGateway && t.customerGateways.map(\.name) == [N.customerGateway])
        #expect(vpn.staticRoutes.map(\.description) == ["192.168.0.0/20"])
        #expect(t.directConnectGateways.map { $0.associations.map(\.gateway) } == [["hub"]])
        #expect(t.virtualInterfaces.map(\.kind) == [.transit])
        #expect(t.virtualInterfaces.first?.awsSide == .directConnectGateway(N.directConnectGateway))
        #expect(t.onPremisesNetworks.map(\.name) == [N.office, N.datacentre])
        #expect(t.onPremisesNetworks.map { $0.announcements.map(\.edge) } == [[N.vpnConnection], [N.virtualInterface, N.vpnConnection]])
        for vpc in t.vpcs {
            #expect(vpc.networkACLs.map { $0.inbound.map(\.number) } == [[100, 110, 120, 130, 200]])
        }
        let hub = try #require(t.transitGateways.first)
        #expect(hub.attachments.filter { $0.kind != .vpc }.map(\.kind)
                == [.vpn(connection: N.vpnConnection), .directConnectGateway(N.directConnectGateway)])
        let table = try #require(hub.routeTables.first)
        for name in [N.vpnAttachment, N.directConnectAttachment] {
            #expect(table.associations.contains(name) && table.propagations.contains(name))
        }
    }

    /// The edges topology is valid, and prints and parses back to itself.
    @Test func edgesTopologyValidatesAndRoundTrips() {
        let t = GeneratorEdgesTests.small.generate()
        #expect(TopologyValidator.validate(t).map(\.rendered) == [])
        let text = TopologyPrinter.format(t)
        let (parsed, diagnostics) = TopologyLoader.load(text, file: "edges.vpc")
        #expect(diagnostics.map(\.rendered) == [])
        #expect(parsed == t)
        // Without a hub: only the endpoints, still valid.
        let noHub = TopologyGenerator(seed: 3, vpcs: 4, subnetsPerVPC: 4, instances: 20, securityGroups: 8,
                                      transitGateway: false, edges: true).generate()
        #expect(noHub.vpnConnections.isEmpty && noHub.vpcs.allSatisfy { $0.endpoints.count == 1 })
        #expect(TopologyValidator.validate(noHub).map(\.rendered) == [])
    }
}
