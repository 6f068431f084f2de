import IPAddressing
import NetworkModel
import Testing

/// The resolver's records for the network's edges (Resolved/Edges.swift): VGWs, propagation, gateway route
/// tables, customer gateways, VPN connections, Direct Connect, on-premises networks and TGW attachments of kinds
/// other than VPC (which never appear among the VPC attachments).
@Suite struct EdgeResolverTests {
    static let base = """
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet app-a 10.0.10.0/24 az us-east-1a
          subnet app-b 10.0.11.0/24 az us-east-1b
          route-table private main {
            associate app-a app-b
          }
          route-table ingress {
            route 10.0.10.0/24 -> local
          }
        }
        transit-gateway core {
          attachment prod-att vpc prod subnets app-a
          route-table spokes {
            associate prod-att
            propagate prod-att
          }
        }
        transit-gateway core-west {
          route-table west-rt {
          }
        }
        """

    /// The base topology with every kind of edge added in Swift (the language's syntax is H-lang's part).
    static func topology() throws -> Topology {
        var t = TopologyLoader.load(base, file: "edges.vpc").topology
        t.vpcs[0].vpnGateway = VPNGateway(name: "vgw1", id: "vgw-0a1b", asn: 64512)
        t.vpcs[0].routeTables[0].propagations = ["vgw1"]
        t.vpcs[0].routeTables[0].routes.append(Route(destination: .cidr(.v4(try IPv4Prefix("192.168.0.0/16"))), target: .named("vgw-0a1b")))
        t.vpcs[0].routeTables[1].edgeAssociations = ["igw", "nothing"]
        t.customerGateways = [CustomerGateway(name: "office", id: "cgw-1", address: try IPv4Address("198.51.100.10"), asn: 65000)]
        t.vpnConnections = [
            VPNConnection(name: "office-vpn", id: "vpn-0abc", awsSide: .vpnGateway("vgw1"), customerGateway: "office",
                          staticRoutesOnly: true, staticRoutes: [try IPv4Prefix("192.168.0.0/16")], tunnels: [.down, .down]),
            VPNConnection(name: "branch-vpn", awsSide: .transitGateway("core"), customerGateway: "office", tunnels: [.up, .down]),
        ]
        t.directConnectGateways = [DirectConnectGateway(name: "dxg", id: "5f294f92-0000", associations: [
            .init(gateway: "vgw1", allowedPrefixes: [try IPv4Prefix("10.0.0.0/16")]), .init(gateway: "core"), .init(gateway: "nope")])]
        t.virtualInterfaces = [VirtualInterface(name: "dc-a", id: "dxvif-1", kind: .private, awsSide: .directConnectGateway("dxg")),
                               VirtualInterface(name: "dc-v", kind: .private, awsSide: .vpnGateway("vgw1"), isAvailable: false)]
        t.onPremisesNetworks = [OnPremisesNetwork(name: "datacentre", prefixes: [try IPv4Prefix("10.10.0.0/16")], announcements: [
            .init(edge: "dxvif-1", localPreference: .high), .init(edge: "office-vpn", asPathLength: 3), .init(edge: "missing")])]
        t.transitGateways[0].attachments += [
            TGWAttachment(name: "office-att", kind: .vpn(connection: "branch-vpn")),
            TGWAttachment(name: "dx-att", kind: .directConnectGateway("dxg")),
            TGWAttachment(name: "west", id: "tgw-attach-w", kind: .peering(transitGateway: "core-west")),
        ]
        t.transitGateways[0].routeTables[0].associations += ["west"]
        t.transitGateways[0].routeTables[0].propagations += ["office-att", "dx-att", "west"]
        t.transitGateways[0].routeTables[0].routes.append(TGWRoute(destination: .cidr(.v4(try IPv4Prefix("10.50.0.0/16"))), target: .attachment("west")))
        t.transitGateways[1].attachments = [TGWAttachment(name: "east", kind: .peering(transitGateway: "core"))]
        t.transitGateways[1].routeTables[0].associations = ["east"]
        return t
    }

    @Test func vpnGatewayPropagationAndGatewayRouteTables() throws {
        let r = TopologyResolver.resolve(try Self.topology())
        #expect(r.hasEdges)
        let prod = try #require(r.vpc(named: "prod"))
        let g = try #require(r.vpnGateway(of: prod))
        #expect(r.vpnGateway(named: "vgw-0a1b") == g && r.vpnGateway(named: "vgw1") == g)
        #expect(r.name(of: g) == "vgw1")
        let main = r.vpcs[prod.position].mainRouteTable
        #expect(r.routeTables[main.position].propagations == [g])
        #expect(r.vpnGateways[g.position].propagatingTables == [main])
        // The static route by the VGW's id targets the VGW.
        let last = try #require(r.routes[r.routeTables[main.position].routes].last)
        #expect(last.target == .vpnGateway(g))
        // `edge-associate igw`: a gateway route table; an unknown name is left out.
        let ingress = try #require(r.routeTable(named: "ingress", in: prod))
        #expect(r.routeTables[ingress.position].edgeAssociations == [.internetGateway(InternetGatewayID(prod.index))])
        #expect(r.internetGatewayRouteTables[prod] == ingress)
        #expect(r.vpnGateways[g.position].edgeRouteTable == nil)
    }

    @Test func connectionsDirectConnectAndAnnouncements() throws {
        let r = TopologyResolver.resolve(try Self.topology())
        let g = try #require(r.vpnGateway(named: "vgw1"))
        let core = try #require(r.transitGateway(named: "core"))
        let office = try #require(r.vpnConnection(named: "vpn-0abc"))
        #expect(r.vpnConnections[office.position].awsSide == .vpnGateway(g))
        #expect(r.vpnConnections[office.position].tunnelsDown)
        #expect(r.vpnConnections[office.position].customerGateway == r.customerGateway(named: "office"))
        let branch = try #require(r.vpnConnection(named: "branch-vpn"))
        #expect(r.vpnConnections[branch.position].awsSide == .transitGateway(core))
        #expect(!r.vpnConnections[branch.position].tunnelsDown)
        let officeAtt = try #require(r.tgwEdgeAttachment(named: "office-att", in: core))
        #expect(r.vpnConnections[branch.position].tgwAttachment == officeAtt)
        #expect(r.vpnGateways[g.position].vpnConnections == [office])

        let dx = try #require(r.directConnectGateway(named: "5f294f92-0000"))
        let sides = r.dxAssociations[r.directConnectGateways[dx.position].associations].map(\.gateway)
        #expect(sides == [.vpnGateway(g), .transitGateway(core), .unresolved])
        #expect(r.vpnGateways[g.position].dxAssociations.count == 1)
        let vif = try #require(r.virtualInterface(named: "dxvif-1"))
        #expect(r.virtualInterfaces[vif.position].awsSide == .directConnectGateway(dx))
        #expect(r.directConnectGateways[dx.position].virtualInterfaces == [vif])
        #expect(r.vpnGateways[g.position].virtualInterfaces == [try #require(r.virtualInterface(named: "dc-v"))])

        let n = try #require(r.onPremisesNetwork(named: "datacentre"))
        let edges = r.onPremisesAnnouncements[r.onPremisesNetworks[n.position].announcements].map(\.edge)
        #expect(edges == [.virtualInterface(vif), .vpnConnection(office), nil])
        #expect(r.edge(named: "vgw-0a1b") == .vpnGateway(g))
        #expect(r.edge(named: "dxg") == .directConnectGateway(dx))
        #expect(r.awsID(of: .vpnConnection(office)) == "vpn-0abc")
    }

    @Test func nonVPCAttachmentsAreNeverVPCAttachments() throws {
        let r = TopologyResolver.resolve(try Self.topology())
        let core = try #require(r.transitGateway(named: "core"))
        let west = try #require(r.transitGateway(named: "core-west"))
        // Only the VPC attachment is a TGWAttachmentID.
        #expect(r.transitGateways[core.position].attachments.map { r.name(of: $0) } == ["prod-att"])
        #expect(r.tgwAttachment(named: "west") == nil && r.tgwAttachment(named: "office-att") == nil)
        #expect(r.transitGateways[core.position].edgeAttachments.map { r.name(of: $0) } == ["office-att", "dx-att", "west"])
        let w = try #require(r.tgwEdgeAttachment(named: "west", in: core))
        let east = try #require(r.tgwEdgeAttachment(named: "east", in: west))
        #expect(r.tgwEdgeAttachments[w.position].kind == .peering(west, peer: east))
        #expect(r.tgwEdgeAttachments[east.position].kind == .peering(core, peer: w))
        let dx = try #require(r.directConnectGateway(named: "dxg"))
        let dxAtt = try #require(r.tgwEdgeAttachment(named: "dx-att", in: core))
        #expect(r.tgwEdgeAttachments[dxAtt.position].kind == .directConnectGateway(dx))
        #expect(r.directConnectGateways[dx.position].tgwAttachments == [dxAtt])
        let spokes = try #require(r.transitGateways[core.position].routeTables.first)
        #expect(r.tgwEdgeAttachments[w.position].associatedRouteTable == spokes)
        #expect(r.tgwEdgeAttachments[east.position].associatedRouteTable == r.transitGateways[west.position].routeTables.first)
        // Propagation: VPN and DX attachments propagate, a peering attachment never does.
        #expect(r.tgwRouteTables[spokes.position].edgePropagations.map { r.name(of: $0) } == ["office-att", "dx-att"])
        #expect(r.tgwRouteTables[spokes.position].propagations.map { r.name(of: $0) } == ["prod-att"])
        // A route to the peering attachment: no VPC target (read as a blackhole by VPC-only code), an edge target.
        let route = try #require(r.tgwRoutes[r.tgwRouteTables[spokes.position].routes].last)
        #expect(route.target == nil && route.edgeTarget == w)
    }

    @Test func aTopologyWithoutEdgesHasNoEdgeRecords() {
        let r = TopologyResolver.resolve(TopologyLoader.load(Self.base, file: "edges.vpc").topology)
        #expect(!r.hasEdges)
        #expect(r.vpnGateways.isEmpty && r.tgwEdgeAttachments.isEmpty && r.onPremisesAnnouncements.isEmpty)
    }
}
