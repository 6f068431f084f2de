import IPAddressing
import NetworkModel
import Reporting
import Testing
@testable import Reachability

/// Equal-prefix routes in a TGW route table (AWS-BEHAVIOUR.md §6): a static route beats every propagated one (a
/// propagated route equal to a static one is not installed); among propagated routes, VPC-propagated beats
/// Direct Connect gateway-propagated, which beats VPN-propagated — whatever the order of `propagate`.
@Suite struct TGWPropagationPriorityTests {
    /// `order`: the `propagate` line; `staticRoute`: a static route for the on-premises prefix to the VPN.
    static func topology(order: String, staticRoute: Bool = false, vpcOverlap: Bool = false, vifDown: Bool = false,
                         viaVPN: Bool = true) -> CompiledTopology {
        compile("""
            vpc app {
              cidr 10.100.0.0/16
              subnet app-a 10.100.1.0/24 az us-east-1a
              route-table rt main {
                associate app-a
                route 0.0.0.0/0 -> core
              }
              security-group web { ingress tcp 443 from 0.0.0.0/0 }
              instance web-1 in app-a ip 10.100.1.10 sg web
            }
            vpc shadow {
              cidr 10.200.0.0/16
              subnet sh-a 10.200.1.0/24 az us-east-1a
              route-table srt main {
                associate sh-a
                route 0.0.0.0/0 -> core
              }
            }
            customer-gateway branch ip 198.51.100.10 asn 65000
            vpn-connection branch-vpn tgw core customer-gateway branch bgp
            transit-gateway core {
              attachment app-att vpc app subnets app-a
              attachment shadow-att vpc shadow subnets sh-a
              attachment vpn-att vpn branch-vpn
              attachment dx-att dx-gateway dxg
              route-table main-rt {
                associate app-att shadow-att vpn-att dx-att
                \(order)
                \(staticRoute ? "route 172.16.0.0/16 -> vpn-att" : "")
              }
            }
            dx-gateway dxg { associate core allowed 10.0.0.0/8 }
            dx-vif dc-t transit dx-gateway dxg \(vifDown ? "state down" : "")
            onprem dc {
              prefix 172.16.0.0/16 \(vpcOverlap ? "10.200.0.0/16" : "")
              via dc-t
              \(viaVPN ? "via branch-vpn" : "")
            }
            """, file: "tgw-priority.vpc")
    }

    static func decision(_ c: CompiledTopology, _ address: String) -> TGWRouteDecision? {
        guard let t = c.tgwRouteTables.firstIndex(where: { $0.name == "main-rt" }), let a = try? IPv4Address(address) else { return nil }
        return c.tgwRouteDecision(table: TGWRouteTableID(t), address: .v4(a))
    }

    static func targetName(_ c: CompiledTopology, _ r: CompiledTGWRoute?) -> String? {
        switch r?.target {
        case .edgeAttachment(let e)?: c.edgePlane.tgwEdgeAttachments[e.position].name
        case .attachment(let a)?: c.tgwAttachments[a.position].name
        default: nil
        }
    }

    @Test(arguments: ["propagate app-att shadow-att vpn-att dx-att", "propagate dx-att vpn-att app-att shadow-att"])
    func directConnectBeatsVPN(order: String) throws {
        let c = Self.topology(order: order)
        let d = try #require(Self.decision(c, "172.16.0.5"))
        // Both attachments propagate 172.16.0.0/16: the DX gateway's route wins (§6), the VPN's loses with the code.
        #expect(Self.targetName(c, d.chosen) == "dx-att")
        #expect(d.candidates.count == 2)
        #expect(Self.targetName(c, d.candidates.last?.route) == "vpn-att")
        #expect(d.candidates.last?.code == .tgwRTBHigherPriorityRoute)
        #expect(c.tgwRoute(table: TGWRouteTableID(0), address: .v4(IPv4Address(10, 100, 1, 10))).map { Self.targetName(c, $0) } == "app-att")
        // The walk follows the table: the path out leaves through the DX gateway attachment.
        let v = c.query("web-1", "onprem:dc:172.16.0.5", "tcp/443")
        expectReachable(v)
        let mentions = { (n: String) in v.forwardPath.contains { $0.component.name.contains(n) || ($0.rule?.text.contains(n) ?? false) } }
        #expect(mentions("dx-att"))
        #expect(!mentions("vpn-att") && !mentions("branch-vpn"), "\(v.forwardPath.map { "\($0.component.name) \($0.rule?.text ?? "")" })")
    }

    @Test func vpcPropagatedBeatsEdgePropagated() throws {
        // On-premises announces the shadow VPC's block too: the VPC attachment's propagated route wins (§6).
        let c = Self.topology(order: "propagate vpn-att dx-att app-att shadow-att", vpcOverlap: true)
        let d = try #require(Self.decision(c, "10.200.1.5"))
        #expect(Self.targetName(c, d.chosen) == "shadow-att")
        #expect(d.candidates.dropFirst().map { Self.targetName(c, $0.route) } == ["vpn-att", "dx-att"])
        #expect(d.candidates.dropFirst().allSatisfy { $0.code == .tgwRTBHigherPriorityRoute })
    }

    @Test func staticBeatsPropagated() throws {
        // A static route equal to a propagated one: the static route is used (the propagated one is not installed).
        let c = Self.topology(order: "propagate app-att dx-att vpn-att", staticRoute: true)
        let d = try #require(Self.decision(c, "172.16.0.5"))
        #expect(Self.targetName(c, d.chosen) == "vpn-att")
        #expect(d.chosen?.origin == .static)
        #expect(d.candidates.dropFirst().allSatisfy { $0.code == .tgwRTBHigherPriorityRoute })
    }

    @Test func longerPrefixStillWins() throws {
        let c = Self.topology(order: "propagate app-att dx-att vpn-att")
        // 0.0.0.0/0 is not in the table; a /16 and nothing else for 172.16.0.5; for 10.100.1.10 only the VPC route.
        let d = try #require(Self.decision(c, "10.100.1.10"))
        #expect(d.candidates.count == 1 && d.candidates[0].code == nil)
    }

    @Test func routeReportNamesTheLoserAndItsCode() throws {
        let c = Self.topology(order: "propagate vpn-att dx-att app-att")
        let t = try #require(c.tgwRouteTable(named: "main-rt"))
        let d = c.tgwRouteDecision(table: t, address: .v4(IPv4Address(172, 16, 0, 5)))
        guard case .object(let o) = c.tgwRouteReportJSON(d, address: "172.16.0.5") else { Issue.record("not an object"); return }
        let fields = Dictionary(o, uniquingKeysWith: { a, _ in a })
        guard case .object(let match)? = fields["match"], case .array(let losers)? = fields["candidates"] else {
            Issue.record("no match or candidates"); return
        }
        #expect(Dictionary(match, uniquingKeysWith: { a, _ in a })["target"] == .string("dx-att"))
        #expect(losers.count == 1)
        guard case .object(let loser)? = losers.first else { return }
        #expect(Dictionary(loser, uniquingKeysWith: { a, _ in a })["code"] == .string("TGW_RTB_HIGHER_PRIORITY_ROUTE"))
        #expect(c.tgwRouteTable(named: "nope") == nil)
        // No route: match null.
        let none = c.tgwRouteDecision(table: t, address: .v4(IPv4Address(8, 8, 8, 8)))
        #expect(none.chosen == nil && none.candidates.isEmpty)
    }

    @Test func aTransitVIFThatIsDownPropagatesNothing() throws {
        // The transit VIF is down: no BGP session, the DX gateway attachment propagates nothing, so the VPN's
        // route is the only one and carries the traffic (§6, §10).
        let c = Self.topology(order: "propagate app-att dx-att vpn-att", vifDown: true)
        let d = try #require(Self.decision(c, "172.16.0.5"))
        #expect(Self.targetName(c, d.chosen) == "vpn-att")
        #expect(d.candidates.count == 1)
        expectReachable(c.query("web-1", "onprem:dc:172.16.0.5", "tcp/443"))
        // Without the VPN: no route at all, never reachable over the dead VIF.
        let alone = Self.topology(order: "propagate app-att dx-att vpn-att", vifDown: true, viaVPN: false)
        #expect(Self.decision(alone, "172.16.0.5")?.chosen == nil)
        #expect(!alone.query("web-1", "onprem:dc:172.16.0.5", "tcp/443").isReachable)
    }
}
