import IPAddressing
import NetworkModel
import Testing
import Reachability

/// The reference walker alone on issue 18's edges (Docs/AWS-BEHAVIOUR.md §2, §10): each rule it follows, so that
/// the walker itself is checked, not only its agreement with production.
@Suite struct WalkerEdgeScenarioTests {
    static let text = """
    prefix-list svc { 52.216.0.0/15 }
    vpc prod {
      cidr 10.0.0.0/16
      internet-gateway igw
      vpn-gateway vgw1
      subnet a 10.0.1.0/24 az us-east-1a
      subnet b 10.0.2.0/24 az us-east-1b
      route-table ra main {
        associate a
        route 192.168.1.0/24 -> vgw1
        route 0.0.0.0/0 -> igw
      }
      route-table rb {
        associate b
        propagate vgw1
      }
      endpoint s3gw gateway s3 route-tables ra prefix-list pl:svc
      endpoint ssm interface com.amazonaws.us-east-1.ssm subnets a b sg open ip 10.0.1.70 10.0.2.70
      security-group open {
        ingress all from 0.0.0.0/0
      }
      instance x in a ip 10.0.1.10 public-ip 54.0.0.10 sg open
      instance y in b ip 10.0.2.10 sg open
    }
    customer-gateway cg ip 198.51.100.10 asn 65000
    vpn-connection vpn1 vgw vgw1 customer-gateway cg static 192.168.1.0/24 10.201.0.0/16
    onprem office {
      prefix 192.168.1.0/24 172.16.1.0/24
      via vpn1
    }
    """

    static func walk(_ text: String, _ from: ReferenceWalker.QueryEndpoint, _ to: ReferenceWalker.QueryEndpoint,
                     _ proto: UInt8, _ port: UInt16) -> ReferenceWalker.Answer {
        let (t, diagnostics) = TopologyLoader.load(text, file: "edges.vpc")
        for d in diagnostics where d.severity == .error { Issue.record("DSL error: \(d.rendered)") }
        return ReferenceWalker(t).answer(ReferenceWalker.Query(source: from, destination: to, proto: proto, port: port, sourcePort: 40000))
    }
    static func onPrem(_ a: String) -> ReferenceWalker.QueryEndpoint { .onPrem("office", try! IPAddress(a)) }
    static func address(_ a: String) -> ReferenceWalker.QueryEndpoint { .address(try! IPAddress(a)) }

    @Test func vgwStaticAndPropagatedRoutes() {
        // A static route to the VGW carries an announced prefix both ways (the reply re-enters by the VGW).
        #expect(Self.walk(Self.text, .interface("x"), Self.onPrem("192.168.1.5"), 6, 443).reachable)
        // Without a route (table ra sends 172.16.1.0/24 to the IGW): dropped (private destination at the IGW).
        #expect(!Self.walk(Self.text, .interface("x"), Self.onPrem("172.16.1.5"), 6, 443).reachable)
        // Propagation: every prefix announced to the VGW, including a VPN static-only one.
        #expect(Self.walk(Self.text, .interface("y"), Self.onPrem("172.16.1.5"), 6, 443).reachable)
        #expect(Self.walk(Self.text, .interface("y"), Self.address("10.201.0.5"), 6, 443).reachable)
        // The VGW forwards only announced prefixes.
        let a = Self.walk(Self.text.replacingFirst("route 192.168.1.0/24 -> vgw1", with: "route 192.168.0.0/16 -> vgw1"),
                          .interface("x"), Self.address("192.168.7.5"), 6, 443)
        #expect(!a.reachable && a.code == "NO_ROUTE_TO_DESTINATION" && a.usedVGW)
    }

    @Test func onPremisesToTheVPC() {
        // In: private addresses only; the reply goes by the destination subnet's table (ra routes 192.168.1.0/24).
        #expect(Self.walk(Self.text, Self.onPrem("192.168.1.5"), .interface("x"), 6, 22).reachable)
        let pub = Self.walk(Self.text, Self.onPrem("192.168.1.5"), Self.address("54.0.0.10"), 6, 22)
        #expect(!pub.reachable && pub.code == "VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")
        // ra has no route back for 172.16.1.0/24 to the VGW (0/0 -> igw drops a private destination).
        let back = Self.walk(Self.text, Self.onPrem("172.16.1.5"), .interface("x"), 6, 22)
        #expect(!back.reachable && back.direction == "return")
        // Both tunnels down: the static route to the VGW drops (BAD_STATE_VPN).
        let down = Self.text.replacingFirst("static 192.168.1.0/24 10.201.0.0/16", with: "static 192.168.1.0/24 10.201.0.0/16 tunnels down down")
        let d = Self.walk(down, .interface("x"), Self.onPrem("192.168.1.5"), 6, 443)
        #expect(!d.reachable && d.code == "BAD_STATE_VPN")
    }

    @Test func gatewayEndpoint() {
        // The prefix-list route beats 0/0 -> igw (x has a public IP, so the IGW path would work too: the endpoint
        // is what the trace must show); TCP only (and ICMP echo).
        let t = Self.walk(Self.text, .interface("x"), Self.address("52.216.1.1"), 6, 443)
        #expect(t.reachable && t.usedGatewayEndpoint)
        let u = Self.walk(Self.text, .interface("x"), Self.address("52.216.1.1"), 17, 53)
        #expect(!u.reachable && u.code == "VPCE_GATEWAY_PROTOCOL_RESTRICTION")
        // Table rb does not list the endpoint: y has no route to the service.
        #expect(!Self.walk(Self.text, .interface("y"), Self.address("52.216.1.1"), 6, 443).usedGatewayEndpoint)
    }

    @Test func interfaceEndpoint() {
        // By name: the ENI in the source's AZ; TCP only; from on premises too.
        #expect(Self.walk(Self.text, .interface("y"), .interface("ssm"), 6, 443).reachable)
        let i = Self.walk(Self.text, .interface("y"), .interface("ssm"), 1, 8)
        #expect(!i.reachable && i.code == "PROTOCOL_RESTRICTION")
        #expect(Self.walk(Self.text, Self.onPrem("192.168.1.5"), Self.address("10.0.1.70"), 6, 443).reachable)
    }

    @Test func unmodelledEdgesAreUnknown() {
        // An interface endpoint ENI without a written address is not modelled here: every answer is unknown (never
        // a guess). A TGW peering attachment is (WalkerTGWPeeringTests): its answers are decided.
        let unaddressed = Self.text.replacingFirst(" ip 10.0.1.70 10.0.2.70", with: "")
        #expect(Self.walk(unaddressed, .interface("x"), Self.onPrem("192.168.1.5"), 6, 443).unknown)
        let peering = Self.text + "\ntransit-gateway east {\n  attachment to-west peering west\n}\ntransit-gateway west {\n  attachment to-east peering east\n}\n"
        #expect(!Self.walk(peering, .interface("x"), Self.onPrem("192.168.1.5"), 6, 443).unknown)
        #expect(!Self.walk(Self.text, .interface("x"), Self.onPrem("192.168.1.5"), 6, 443).unknown)
        #expect(!Self.walk(Self.text + "\ndx-gateway dxg\n", .interface("x"), Self.onPrem("192.168.1.5"), 6, 443).unknown)
    }
}

/// The reference walker on TGW peering (AWS-BEHAVIOUR.md §10 "Transit Gateway peering"): static routes on both
/// sides, the far TGW's table associated with its peering attachment back decides, nothing propagates across
/// (security-group references across it are rejected by the validator). The topology of production's TGWEdgeScenarioTests, in the language.
@Suite struct WalkerTGWPeeringTests {
    static func text(farRoute: String = "route 10.2.0.0/16 -> far-att", peerAssociation: String = "associate east",
                     ingress: String = "ingress tcp 22 from 10.1.0.0/16") -> String {
        """
        vpc spoke {
          cidr 10.1.0.0/16
          subnet s-a 10.1.0.0/24 az us-east-1a
          route-table rt main {
            associate s-a
            route 0.0.0.0/0 -> core
          }
          security-group s {
            ingress tcp 22 from 10.0.0.0/8
          }
          instance s-1 in s-a ip 10.1.0.10 sg s
        }
        vpc far {
          cidr 10.2.0.0/16
          subnet f-a 10.2.0.0/24 az us-east-1a
          route-table frt main {
            associate f-a
            route 10.1.0.0/16 -> core-west
          }
          security-group f {
            \(ingress)
          }
          instance f-1 in f-a ip 10.2.0.10 sg f
        }
        transit-gateway core sg-referencing {
          attachment spoke-att vpc spoke subnets s-a
          attachment west peering core-west
          route-table spokes {
            associate spoke-att west
            propagate spoke-att
            route 10.2.0.0/16 -> west
          }
        }
        transit-gateway core-west sg-referencing {
          attachment far-att vpc far subnets f-a
          attachment east peering core
          route-table west-rt {
            associate far-att
            route 10.1.0.0/16 -> east
          }
          route-table peer-rt {
            \(peerAssociation)
            \(farRoute)
          }
        }
        """
    }
    static func walk(_ text: String, _ from: String, _ to: String) -> ReferenceWalker.Answer {
        WalkerEdgeScenarioTests.walk(text, .interface(from), .interface(to), 6, 22)
    }

    @Test func staticRoutesOnBothSidesCarryTrafficBothWays() {
        let a = Self.walk(Self.text(), "s-1", "f-1")
        #expect(a.reachable && !a.unknown && a.usedTGWPeering)
        #expect(Self.walk(Self.text(), "f-1", "s-1").reachable)
    }

    @Test func theFarTableForThePeeringDecides() {
        // No route there: dropped in the far TGW's table.
        let none = Self.walk(Self.text(farRoute: ""), "s-1", "f-1")
        #expect(!none.reachable && !none.unknown && none.code == "TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT")
        // The far side's peering attachment associated with no table.
        let unassociated = Self.walk(Self.text(peerAssociation: ""), "s-1", "f-1")
        #expect(!unassociated.reachable && unassociated.code == "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION")
        // A route back over the peering: the packet bounces between the two TGWs until the bound.
        let loop = Self.walk(Self.text(farRoute: "route 10.2.0.0/16 -> east"), "s-1", "f-1")
        #expect(!loop.reachable && loop.code == "ROUTING_LOOP")
    }
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String { replacing(a, with: b, maxReplacements: 1) }
}

/// DISAGREEMENTS.md §9 (fixed in production): an on-premises network enters only over an edge announcing it.
@Suite struct OnPremisesEntryEdgeTests {
    @Test func anOnPremisesSourceEntersOnlyOverAnEdgeAnnouncingIt() {
        let text = """
        vpc v1 {
          cidr 10.1.0.0/16
          vpn-gateway v1vgw
          subnet v1s0 10.1.0.0/24 az us-east-1a
          security-group v1g0 {
            ingress all from 0.0.0.0/0
          }
          instance v1fw in v1s0 ip 10.1.0.50 sg v1g0
        }
        customer-gateway cg ip 198.51.100.10 asn 65000
        vpn-connection v1vpn vgw v1vgw customer-gateway cg static 192.168.1.0/24 10.201.0.0/16 tunnels up up
        onprem dc3 {
          prefix 192.168.3.0/24 172.16.3.0/24
        }
        onprem dc1 192.168.1.0/24 via v1vpn
        """
        let (t, d) = TopologyLoader.load(text, file: "onprem.vpc")
        #expect(!d.contains { $0.severity == .error })
        let c = CompiledTopology(t)
        let icmp3 = TrafficSpec(ipProtocol: .number(1), port: 3)
        guard case .success(let v) = c.reachQuery(from: .onPremises("dc3", try? IPAddress("172.16.3.61")), to: .named("v1fw"), traffic: icmp3),
              case .success(let ok) = c.reachQuery(from: .onPremises("dc1", try? IPAddress("192.168.1.61")), to: .named("v1fw"), traffic: icmp3) else {
            Issue.record("query failed"); return
        }
        #expect(!v.isReachable)
        #expect(v.explanation?.code == .noRouteToDestination)
        #expect(ok.isReachable)
        // The walker agrees.
        let w = ReferenceWalker(t)
        #expect(!w.answer(.init(source: .onPrem("dc3", .v4(IPv4Address(172, 16, 3, 61))), destination: .interface("v1fw"), proto: 1, port: 3, sourcePort: 0)).reachable)
        #expect(w.answer(.init(source: .onPrem("dc1", .v4(IPv4Address(192, 168, 1, 61))), destination: .interface("v1fw"), proto: 1, port: 3, sourcePort: 0)).reachable)
    }
}

/// The reference walker alone on the second round of edges (AWS-BEHAVIOUR.md §2, §6, §10): TGW VPN / DX gateway
/// attachments both ways, Direct Connect and BGP ranking at a VGW, gateway route tables, equal-prefix TGW routes.
/// The same texts as production's TGWEdgeRankingTests, so that each rule is checked on both sides.
@Suite struct WalkerTGWEdgeScenarioTests {
    static func walk(_ text: String, _ from: ReferenceWalker.QueryEndpoint, _ to: ReferenceWalker.QueryEndpoint,
                     _ proto: UInt8 = 6, _ port: UInt16 = 443) -> ReferenceWalker.Answer {
        WalkerEdgeScenarioTests.walk(text, from, to, proto, port)
    }
    static func on(_ network: String, _ a: String) -> ReferenceWalker.QueryEndpoint { .onPrem(network, try! IPAddress(a)) }
    static func blocked(_ a: ReferenceWalker.Answer, _ code: String, _ direction: String = "forward") -> Bool {
        !a.reachable && !a.unknown && a.code == code && a.direction == direction
    }

    static func leaves(_ a: ReferenceWalker.Answer) -> String? {
        a.trace.first { $0.hasPrefix("  leaves over ") }.map { String($0.dropFirst("  leaves over ".count)) }
    }

    @Test func equalPrefixTGWRoutesOfOneKindGoByBGP() {
        typealias T = TGWEdgeRankingTests
        let hq = Self.on("hq", "172.16.0.5")
        func over(_ text: String) -> String? {
            let a = Self.walk(text, .interface("app-1"), hq)
            return a.reachable && a.tgwEqualPrefix ? Self.leaves(a) : nil
        }
        // Both VPNs up: a shorter AS path wins whatever the order, local preference before it, then the first propagated.
        #expect(over(T.text(a: " as-path 3", b: " as-path 1", tunnelsB: "")) == "vpn-b")
        #expect(over(T.text(a: " as-path 3", b: " as-path 1", order: "b-att a-att", tunnelsB: "")) == "vpn-b")
        #expect(over(T.text(a: " as-path 1", b: " as-path 3", order: "b-att a-att", tunnelsB: "")) == "vpn-a")
        #expect(over(T.text(a: " local-preference high as-path 4", b: " as-path 1", tunnelsB: "")) == "vpn-a")
        #expect(over(T.text(order: "a-att b-att", tunnelsB: "")) == "vpn-a")
        #expect(over(T.text(order: "b-att a-att", tunnelsB: "")) == "vpn-b")
        // vpn-b down and winning: AWS withdraws its routes, vpn-a carries the packet.
        let down = Self.walk(T.text(a: " as-path 3", b: " as-path 1"), .interface("app-1"), hq)
        #expect(down.reachable && !down.unknown && Self.leaves(down) == "vpn-a")
        #expect(Self.walk(T.text(a: " as-path 1", b: " as-path 3"), .interface("app-1"), hq).reachable)
    }

    @Test func onPremisesOverTGWEdges() {
        let t = TGWEdgeRankingTests.text(tunnelsB: "")
        // The reply comes in over the TGW VPN although app has a VGW (which does not announce hq).
        #expect(Self.walk(t, .interface("app-1"), Self.on("hq", "172.16.0.5")).reachable)
        #expect(Self.walk(t, Self.on("hq", "172.16.0.5"), .interface("app-1"), 6, 22).reachable)
        // office is behind the VGW's VPN only: never over a TGW edge.
        #expect(Self.blocked(Self.walk(t, Self.on("office", "192.168.7.5"), .interface("other-1"), 6, 22), "NO_ROUTE_TO_DESTINATION"))
        // The DX gateway association advertises 10.2.0.0/16 only.
        let dx = Self.walk(t, Self.on("dc", "172.30.0.5"), .interface("other-1"), 6, 22)
        #expect(dx.reachable && dx.usedDirectConnect)
        #expect(Self.blocked(Self.walk(t, Self.on("dc", "172.30.0.5"), .interface("app-1"), 6, 22), "NO_ROUTE_TO_DESTINATION"))
        #expect(Self.blocked(Self.walk(t, .interface("app-1"), Self.on("dc", "172.30.0.5"), 6, 22), "NO_ROUTE_TO_DESTINATION", "return"))
        // A static TGW route to an edge that announces nothing covering the destination: not decided.
        let far = t.replacingFirst("route 192.168.7.0/24 -> a-att", with: "route 192.168.0.0/16 -> a-att")
        #expect(Self.walk(far, .interface("other-1"), .address(try! IPAddress("192.168.9.9"))).unknown)
    }

    @Test func aDirectConnectGatewayWithItsPrivateVIFsDown() {
        let dc2 = Self.on("dc2", "172.31.0.5")
        #expect(Self.walk(TGWEdgeRankingTests.privateVIF(state: ""), .interface("app-1"), dc2).reachable)
        #expect(Self.blocked(Self.walk(TGWEdgeRankingTests.privateVIF(state: "state down"), .interface("app-1"), dc2), "BAD_STATE"))
    }

    /// A VGW with a static VPN (192.168.1.0/24 and 172.16.0.0/12) and two private VIFs announcing `dc`.
    static func vgw(vpnVia: String = "", aVia: String = "", bVia: String = "", bState: String = "", gatewayTable: String = "") -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          vpn-gateway vgw1
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1b
          route-table ra main {
            associate a b
            propagate vgw1
            route 0.0.0.0/0 -> igw
          }
          \(gatewayTable)
          security-group open {
            ingress all from 0.0.0.0/0
          }
          instance x in a ip 10.0.1.10 public-ip 54.0.0.10 sg open
          instance fw in b ip 10.0.2.50 public-ip 54.0.0.50 sg open source-dest-check off
        }
        customer-gateway cg ip 198.51.100.10 asn 65000
        vpn-connection vpn1 vgw vgw1 customer-gateway cg static 192.168.1.0/24 172.16.0.0/12 tunnels up up
        dx-vif dx-a private vgw vgw1
        dx-vif dx-b private vgw vgw1 \(bState)
        onprem dc {
          prefix 172.16.1.0/24 192.168.1.0/24
          via vpn1\(vpnVia)
          via dx-a\(aVia)
          via dx-b\(bVia)
        }
        """
    }

    static func edge(_ a: ReferenceWalker.Answer) -> String? {
        a.trace.first { $0.contains("    over ") }.map { String($0.split(separator: " ")[1]) }
    }

    @Test func bgpRankingAtTheVGW() {
        let dc = Self.on("dc", "172.16.1.5")
        // Longest prefix first: DX's /24 beats the VPN's static /12; among DX, local preference, then AS path.
        let a = Self.walk(Self.vgw(), .interface("x"), dc)
        #expect(a.reachable && a.usedDirectConnect && a.rankedEdges && Self.edge(a) == "dx-a")
        #expect(Self.edge(Self.walk(Self.vgw(aVia: " local-preference low"), .interface("x"), dc)) == "dx-b")
        #expect(Self.edge(Self.walk(Self.vgw(aVia: " as-path 3", bVia: " as-path 2"), .interface("x"), dc)) == "dx-b")
        #expect(Self.edge(Self.walk(Self.vgw(aVia: " local-preference high as-path 9", bVia: " as-path 2"), .interface("x"), dc)) == "dx-a")
        // DX over VPN static at equal length (192.168.1.0/24 on both); a VIF that is down is skipped.
        #expect(Self.edge(Self.walk(Self.vgw(), .interface("x"), Self.on("dc", "192.168.1.5"))) == "dx-a")
        #expect(Self.edge(Self.walk(Self.vgw(aVia: " as-path 3", bState: "state down"), .interface("x"), dc)) == "dx-a")
    }

    @Test func gatewayRouteTables() {
        // The IGW's gateway route table sends subnet a's traffic through the appliance fw.
        let igw = Self.vgw(gatewayTable: "route-table edge {\n    edge-associate igw\n    route 10.0.1.0/24 -> fw\n  }")
        let i = Self.walk(igw, .internet(try! IPAddress("198.51.100.7")), .interface("x"))
        #expect(i.reachable && i.usedGatewayTable && i.crossedAppliance)
        // The VGW's: the same for on premises; a target a gateway route table cannot have drops there.
        let v = Self.vgw(gatewayTable: "route-table edge {\n    edge-associate vgw1\n    route 10.0.1.0/24 -> fw\n  }")
        let o = Self.walk(v, Self.on("dc", "172.16.1.5"), .interface("x"), 6, 22)
        #expect(o.reachable && o.usedGatewayTable && o.crossedAppliance)
        let bad = Self.vgw(gatewayTable: "route-table edge {\n    edge-associate vgw1\n    route 10.0.1.0/24 -> igw\n  }")
        #expect(Self.blocked(Self.walk(bad, Self.on("dc", "172.16.1.5"), .interface("x"), 6, 22), "BAD_STATE_ROUTE"))
    }
}
