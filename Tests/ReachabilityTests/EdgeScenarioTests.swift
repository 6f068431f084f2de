import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// AWS-BEHAVIOUR.md §2 and §10 at the network's edges: a VPC's virtual private gateway, Site-to-Site VPN, Direct
/// Connect and on-premises networks, both ways. Each scenario says the AWS reason. The edges are added in Swift
/// to a topology written in the language (the edge syntax is H-lang's part of issue 18).
@Suite struct EdgeScenarioTests {
    static let base = """
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet app-a 10.0.10.0/24 az us-east-1a
          subnet pub 10.0.1.0/24 az us-east-1a map-public-ip
          route-table private main {
            associate app-a
          }
          route-table public {
            associate pub
            route 0.0.0.0/0 -> igw
          }
          security-group app {
            ingress tcp 443 from 192.168.0.0/16
            ingress tcp 443 from 10.10.0.0/16
            ingress tcp 443 from 10.20.0.0/16
          }
          instance app-1 in app-a ip 10.0.10.10 sg app
          instance web-1 in pub ip 10.0.1.10 public-ip 54.1.2.3 sg app
        }
        """

    struct Options {
        var propagate = true
        var officeTunnels: [VPNConnection.TunnelState] = []
        var dxAvailable = true
        var staticRouteToVGW = false
    }

    /// prod with VGW `vgw1` (vgw-0a1b), static VPN `office-vpn` (vpn-0abc, 192.168.0.0/16), BGP VPN `backup-vpn`,
    /// a DX gateway `dxg` with private VIFs `dc-a` (dxvif-a) and `dc-b` associated with vgw1; on-premises networks
    /// `office` (over office-vpn), `datacentre` 10.10.0.0/16 (dc-a and backup-vpn: DX wins), `lab` 10.20.0.0/16 (dc-a
    /// low, dc-b high local preference: dc-b wins), and `silent-vpn` announcing nothing.
    static func topology(_ o: Options = Options()) throws -> Topology {
        var t = TopologyLoader.load(base, file: "edges.vpc").topology
        t.vpcs[0].vpnGateway = VPNGateway(name: "vgw1", id: "vgw-0a1b", asn: 64512)
        if o.propagate { t.vpcs[0].routeTables[0].propagations = ["vgw1"] }
        if o.staticRouteToVGW {
            t.vpcs[0].routeTables[0].routes.append(Route(destination: .cidr(.v4(try IPv4Prefix("172.16.0.0/12"))), target: .named("vgw1")))
        }
        t.customerGateways = [CustomerGateway(name: "cgw", id: "cgw-1", address: try IPv4Address("198.51.100.10"), asn: 65000)]
        t.vpnConnections = [
            VPNConnection(name: "office-vpn", id: "vpn-0abc", awsSide: .vpnGateway("vgw1"), customerGateway: "cgw",
                          staticRoutesOnly: true, staticRoutes: [try IPv4Prefix("192.168.0.0/16")], tunnels: o.officeTunnels),
            VPNConnection(name: "backup-vpn", id: "vpn-0bbb", awsSide: .vpnGateway("vgw1"), customerGateway: "cgw"),
            VPNConnection(name: "silent-vpn", id: "vpn-0ccc", awsSide: .vpnGateway("vgw1"), customerGateway: "cgw"),
        ]
        t.directConnectGateways = [DirectConnectGateway(name: "dxg", id: "5f294f92-aaaa", associations: [.init(gateway: "vgw1")])]
        t.virtualInterfaces = [
            VirtualInterface(name: "dc-a", id: "dxvif-a", kind: .private, awsSide: .directConnectGateway("dxg"), isAvailable: o.dxAvailable),
            VirtualInterface(name: "dc-b", id: "dxvif-b", kind: .private, awsSide: .directConnectGateway("dxg")),
        ]
        t.onPremisesNetworks = [
            OnPremisesNetwork(name: "office", prefixes: [try IPv4Prefix("192.168.0.0/16")], announcements: [.init(edge: "office-vpn")]),
            OnPremisesNetwork(name: "datacentre", prefixes: [try IPv4Prefix("10.10.0.0/16")],
                              announcements: [.init(edge: "backup-vpn", asPathLength: 1), .init(edge: "dxvif-a", asPathLength: 3)]),
            OnPremisesNetwork(name: "lab", prefixes: [try IPv4Prefix("10.20.0.0/16")],
                              announcements: [.init(edge: "dc-a", localPreference: .low), .init(edge: "dc-b", localPreference: .high, asPathLength: 4)]),
        ]
        return t
    }

    static func compiled(_ o: Options = Options()) throws -> CompiledTopology { CompiledTopology(try topology(o)) }

    /// The edge the forward path leaves AWS over (the `toOnPremises` hop's component name).
    static func exitEdge(_ v: Verdict) -> String? {
        v.forwardPath.last { if case .toOnPremises = $0.action { true } else { false } }?.component.name
    }

    @Test func vpcToOnPremisesOverAStaticVPNRoutePropagatedIntoTheTable() throws {
        // §10: the VGW forwards to prefixes on-premises announced (the VPN's static routes); `propagate` installs
        // them in the table; the reply enters through the VGW and the tracked SG admits it.
        let c = try Self.compiled()
        let v = c.query("app-1", "onprem:office:192.168.1.10", "tcp/22")
        expectReachable(v)
        #expect(Self.exitEdge(v) == "office-vpn")
        #expect(v.forwardPath.contains { $0.component.kind == .vpnConnection && $0.component.awsID == "vpn-0abc" })
        #expect(v.returnPath.contains { if case .fromOnPremises = $0.action { true } else { false } })
        // One-way: the answer says the far side is not modelled.
        #expect(v.notes.contains(ReachMessages.onPremisesFarSide))
        // The same by the edge's AWS id and address.
        expectReachable(c.query("app-1", "vpn-0abc:192.168.1.10", "tcp/22"))
    }

    @Test func withoutPropagationOrAStaticRouteTheTableHasNoRouteToOnPremises() throws {
        // §2: a VGW's routes reach a table only by propagation or a static route.
        let c = try Self.compiled(Options(propagate: false))
        expectBlocked(c.query("app-1", "onprem:office:192.168.1.10", "tcp/22"), .noRouteToDestination, .forward, at: "private")
    }

    @Test func aStaticRouteToTheVGWForAPrefixNobodyAnnouncesIsDroppedAtTheVGW() throws {
        // §10: the VGW forwards only to prefixes it learned; 172.16.0.0/12 is routed to it but announced by no edge.
        let c = try Self.compiled(Options(propagate: false, staticRouteToVGW: true))
        let v = c.query("app-1", "172.16.5.5", "tcp/22")
        expectBlocked(v, .noRouteToDestination, .forward, at: "vgw1")
        if case .edge(_, _, _, let problem)? = v.explanation?.detail { #expect(problem == .notAnnounced) } else { Issue.record("no edge detail") }
    }

    @Test func vpnTunnelsDownDropTheTrafficUnlessAssumedUp() throws {
        // §10: both tunnels DOWN: traffic is dropped (BAD_STATE_VPN), naming the connection with its id.
        let c = try Self.compiled(Options(officeTunnels: [.down, .down]))
        let v = c.query("app-1", "onprem:office:192.168.1.10", "tcp/22")
        expectBlocked(v, .badStateVPN, .forward, at: "office-vpn")
        #expect(v.explanation?.component.awsID == "vpn-0abc")
        // From on-premises over the down connection: dropped too.
        expectBlocked(c.query("office-vpn:192.168.1.10", "app-1", "tcp/443"), .badStateVPN, .forward, at: "office-vpn")
        // One tunnel up carries the traffic.
        expectReachable(try Self.compiled(Options(officeTunnels: [.up, .down])).query("app-1", "onprem:office:192.168.1.10", "tcp/22"))
        // --assume-tunnels-up (the loader clears the telemetry): as configured.
        var t = try Self.topology(Options(officeTunnels: [.down, .down]))
        t.assumeTunnelsUp()
        expectReachable(CompiledTopology(t).query("app-1", "onprem:office:192.168.1.10", "tcp/22"))
    }

    @Test func onPremisesToAPrivateAddressEntersThroughTheVGW() throws {
        // §10: on-premises → VPC to a private address in its CIDRs; NACL and SG apply; the reply goes back by the
        // destination subnet's table, which routes to the VGW (propagated).
        let c = try Self.compiled()
        let v = c.query("onprem:office:192.168.1.10", "app-1", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.first.map { if case .fromOnPremises = $0.action { true } else { false } } == true)
        #expect(Self.exitEdge(Verdict.reachable(forwardPath: v.returnPath, returnPath: [], sourcePorts: .all, notes: [])) == "office-vpn")
        // The SG admits tcp/443 only: tcp/22 stops there.
        expectBlocked(c.query("onprem:office:192.168.1.10", "app-1", "tcp/22"), .eniSGRulesMismatch, .forward)
        // No route back (no propagation): the reply has no route at the destination subnet's table.
        expectBlocked(try Self.compiled(Options(propagate: false)).query("onprem:office:192.168.1.10", "app-1", "tcp/443"),
                      .noRouteToDestination, .return, at: "private")
    }

    @Test func onPremisesToAnElasticIPIsNotCarriedByTheVGW() throws {
        // §10: the VGW delivers only to private addresses (VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS for a public IP).
        let c = try Self.compiled()
        expectBlocked(c.query("onprem:office:192.168.1.10", "54.1.2.3", "tcp/443"), .vgwPrivateIPAssociationForIngress, .forward, at: "vgw1")
    }

    @Test func directConnectIsPreferredOverVPNForTheSamePrefix() throws {
        // §2: among propagated routes of one prefix, Direct Connect BGP beats VPN (even with a longer AS path).
        let c = try Self.compiled()
        let v = c.query("app-1", "onprem:datacentre:10.10.3.4", "tcp/22")
        expectReachable(v)
        #expect(Self.exitEdge(v) == "dc-a")
        // The VIF down: BGP withdraws it, the VPN carries the traffic.
        let down = try Self.compiled(Options(dxAvailable: false))
        #expect(Self.exitEdge(down.query("app-1", "onprem:datacentre:10.10.3.4", "tcp/22")) == "backup-vpn")
    }

    @Test func higherLocalPreferenceWinsBetweenTwoVirtualInterfaces() throws {
        // §10: between two VIFs announcing one prefix, local preference (7224:7300 high) wins before AS path.
        let c = try Self.compiled()
        #expect(Self.exitEdge(c.query("app-1", "onprem:lab:10.20.0.9", "tcp/22")) == "dc-b")
    }

    @Test func anEdgeWithUnknownRoutesSaysSo() throws {
        // Issue 18: without --onprem an edge announces its static routes only; a BGP VPN with no declared prefix
        // has unknown routes: the answer names the edge (never reachable).
        let c = try Self.compiled()
        let v = c.query("app-1", "vpn-0ccc:10.99.0.1", "tcp/22")
        #expect(!v.isReachable)
        #expect(v.explanation?.component.name == "silent-vpn")
        if case .edge(_, _, _, let problem)? = v.explanation?.detail { #expect(problem == .routesUnknown) } else { Issue.record("no edge detail") }
        // A bare edge with unknown routes: an error naming it, not a crash.
        guard case .failure(let e) = c.resolve("silent-vpn") else { Issue.record("resolved"); return }
        #expect(e.message.contains("silent-vpn") && e.message.contains("unknown"))
        // An unknown network or an address outside it: errors.
        guard case .failure = c.resolve("onprem:nowhere"), case .failure = c.resolve("onprem:office:10.99.0.1") else {
            Issue.record("resolved"); return
        }
    }

    @Test func theRouteTableShowsPropagatedRoutesWithTheirOrigin() throws {
        // §2: propagated routes rank below static and never replace local (10.0.0.0/16 is not propagated).
        let c = try Self.compiled()
        let subnet = try #require(c.resolved.subnet(named: "app-a"))
        let d = c.routeDecision(subnet: subnet, address: .v4(try IPv4Address("192.168.7.7")))
        let chosen = try #require(d.chosen)
        #expect(chosen.origin == .propagated("vgw1 via office-vpn"))
        #expect(c.routeTargetName(chosen) == "vgw1")
        let table = c.routeTables[Int(c.subnets[subnet.position].routeTable)]
        #expect(!table.routes.contains { $0.origin != .local && $0.prefix == .v4(try! IPv4Prefix("10.0.0.0/16")) })
    }

    @Test func topologiesWithoutEdgesCompileNoEdgePlane() throws {
        let c = compile(Self.base)
        #expect(c.edgePlane.isEmpty && c.edgePlane.edges.isEmpty)
        // Nothing on premises to reach: an on-premises endpoint is an error, never an answer.
        guard case .failure = c.resolve("onprem:office") else { Issue.record("resolved"); return }
    }
}
