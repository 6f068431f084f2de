import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Routes BGP withdraws when the edge announcing them is down (AWS-BEHAVIOUR.md §6, §10; Docs/SEMANTICS.md
/// "Withdrawn routes"): a BGP VPN whose tunnels are all down (on a TGW or a VGW), a private VIF not available. Its
/// propagated routes leave the table, so a less specific route or another edge's carries the packet; when nothing
/// else covers the destination the answer still names the down edge; a *static* route to a down VPN stays and
/// blackholes (`TGW_BAD_STATE_VPN` / `BAD_STATE_VPN`). Each case a wrong "unreachable" on the engine before.
@Suite struct WithdrawnRouteTests {
    /// `down`: bgp-vpn's (TGW) and vgw-bgp's (VGW) tunnels; `vif`: dc's state; `mirror`: vgw-bgp also announces
    /// 10.41.1.0/24 (inside what backup announces to the TGW).
    static func text(down: String = "tunnels down down", vif: String = "state down", mirror: Bool = false) -> String {
        """
        vpc app {
          cidr 10.1.0.0/16
          vpn-gateway vgw1
          subnet a 10.1.0.0/24 az us-east-1a
          route-table rt main {
            associate a
            route 10.0.0.0/8 -> core
            propagate vgw1
          }
          security-group open {
            ingress all from 0.0.0.0/0
          }
          instance app-1 in a ip 10.1.0.10 sg open
        }
        customer-gateway cg ip 198.51.100.10 asn 65000
        vpn-connection bgp-vpn tgw core customer-gateway cg bgp \(down)
        vpn-connection backup tgw core customer-gateway cg bgp
        vpn-connection static-vpn tgw core customer-gateway cg static 10.60.0.0/16 tunnels down down
        vpn-connection vgw-bgp vgw vgw1 customer-gateway cg bgp \(down)
        vpn-connection vgw-static vgw vgw1 customer-gateway cg static 172.20.0.0/16 tunnels down down
        dx-vif dc private vgw vgw1 \(vif)
        transit-gateway core {
          attachment app-att vpc app subnets a
          attachment bgp-att vpn bgp-vpn
          attachment backup-att vpn backup
          attachment static-att vpn static-vpn
          route-table hub {
            associate app-att bgp-att backup-att static-att
            propagate app-att bgp-att backup-att static-att
            route 10.50.0.0/16 -> bgp-att
          }
        }
        onprem branch 10.40.1.0/24 via bgp-vpn
        onprem wide 10.40.0.0/14 via backup
        onprem lonely 10.45.0.0/16 via bgp-vpn
        onprem static-site 10.50.0.0/16 via bgp-vpn
        onprem office 172.16.1.0/24 via vgw-bgp
        onprem dc-site 172.16.2.0/24 via dc
        onprem vgw-lonely 172.17.0.0/16 via vgw-bgp
        """ + (mirror ? "\nonprem mirror 10.41.1.0/24 via vgw-bgp\n" : "\n")
    }

    static func app(_ c: CompiledTopology, _ to: String) -> Verdict { c.query("app-1", to, "tcp/443") }
    static func exit(_ v: Verdict) -> String? { v.isReachable ? v.forwardPath.last?.component.name : nil }

    @Test func aDownBGPVPNOnATGWLeavesTheCoveringRouteToCarryThePacket() throws {
        let c = compile(Self.text())
        // 10.40.1.0/24 over bgp-vpn is withdrawn: 10.40.0.0/14 over backup carries it (old engine: TGW_BAD_STATE_VPN).
        let v = Self.app(c, "10.40.1.5")
        #expect(Self.exit(v) == "backup")
        #expect(v.forwardPath.contains { $0.rule?.text == "propagated 10.40.0.0/14 -> backup-att" })
        // Tunnels up: the more specific route wins again.
        #expect(Self.exit(Self.app(compile(Self.text(down: "")), "10.40.1.5")) == "bgp-vpn")
        // The route table shows no route to bgp-att for it.
        let t = try #require(c.tgwRouteTables.firstIndex { $0.name == "hub" })
        #expect(c.tgwRouteTables[t].routes.contains { $0.text.contains("10.40.1.0/24") } == false)
    }

    @Test func nothingElseCoveringStillNamesTheDownVPN() {
        // 10.45.0.0/16 only over bgp-vpn: no route is left; the answer names the VPN whose routes went.
        expectBlocked(Self.app(compile(Self.text()), "10.45.0.5"), .tgwBadStateVPN, .forward, at: "bgp-vpn")
    }

    @Test func aStaticTGWRouteToADownVPNBlackholesWithTGWBadStateVPN() {
        let c = compile(Self.text())
        // `route 10.50.0.0/16 -> bgp-att` is static: it stays, and the VPN is down.
        expectBlocked(Self.app(c, "10.50.0.5"), .tgwBadStateVPN, .forward, at: "bgp-vpn")
        // A static VPN's routes are configured, not learned: kept while its tunnels are down.
        expectBlocked(Self.app(c, "10.60.0.5"), .tgwBadStateVPN, .forward, at: "static-vpn")
    }

    @Test func aDownBGPVPNOnAVGWIsWithdrawnFromTheVPCTable() throws {
        let c = compile(Self.text())
        // 172.16.1.0/24 propagated from vgw1 via the down vgw-bgp: withdrawn, no route left in rt: BAD_STATE_VPN.
        expectBlocked(Self.app(c, "172.16.1.5"), .badStateVPN, .forward, at: "vgw-bgp")
        let rt = try #require(c.routeTables.firstIndex { $0.name == "rt" })
        let office = IPPrefix.v4(try IPv4Prefix("172.16.1.0/24"))
        #expect(c.routeTables[rt].routes.contains { $0.prefix == office } == false)
        #expect(Set(c.routeTables[rt].withdrawn.map(\.prefix)) == Set([try IPv4Prefix("172.16.1.0/24"), try IPv4Prefix("172.16.2.0/24"),
                                                                        try IPv4Prefix("172.17.0.0/16")]))
        // A down private VIF withdraws too (BAD_STATE, naming it).
        expectBlocked(Self.app(c, "172.16.2.5"), .badState, .forward, at: "dc")
        // The static VPN's route stays and blackholes at the VGW.
        expectBlocked(Self.app(c, "172.20.0.5"), .badStateVPN, .forward, at: "vgw-static")
        // Up: propagated and carried.
        #expect(Self.exit(Self.app(compile(Self.text(down: "", vif: "")), "172.16.1.5")) == "vgw-bgp")
        #expect(Self.exit(Self.app(compile(Self.text(down: "", vif: "")), "172.16.2.5")) == "dc")
    }

    @Test func aWithdrawnVGWRouteLetsAShorterRouteOfTheVPCTableCarryThePacket() {
        // vgw-bgp (down) announces 10.41.1.0/24 to vgw1: withdrawn from rt, 10.0.0.0/8 -> core carries the packet
        // over the TGW (old engine: the propagated /24 won and the VGW answered BAD_STATE_VPN).
        let v = Self.app(compile(Self.text(mirror: true)), "10.41.1.5")
        #expect(Self.exit(v) == "backup")
        #expect(v.forwardPath.contains { $0.rule?.text == "route 10.0.0.0/8 -> core" })
        // The reply (and a connection from there) comes back over backup: the down vgw-bgp has no BGP session, so on
        // premises does not send over it (old engine: BAD_STATE_VPN at vgw-bgp on the return path).
        #expect(v.returnPath.first?.component.name == "backup")
        let back = compile(Self.text(mirror: true)).query("onprem:mirror:10.41.1.5", "app-1", "tcp/22")
        expectReachable(back)
        #expect(back.forwardPath.first?.component.name == "backup")
        // No TGW edge up announcing it: the down VGW edge is named.
        expectBlocked(compile(Self.text()).query("onprem:office:172.16.1.5", "app-1", "tcp/22"), .badStateVPN, .forward, at: "vgw-bgp")
    }
}
