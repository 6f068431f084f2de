import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Transit gateway edges as AWS ranks and enters them (AWS-BEHAVIOUR.md §6, §10; Docs/SEMANTICS.md "TGW edges"), each
/// case a disagreement the reference walker found or a rule it now checks (Reference/DISAGREEMENTS.md §11–§14):
/// equal-prefix routes of one kind go by BGP (local preference, then AS path, then the first propagated); on
/// premises enters only over an edge announcing its address, also when the destination's VPC has a VGW that does
/// not; a DX gateway association's allowed prefixes are all that on premises reaches; a DX gateway whose private
/// VIFs are all down carries nothing.
@Suite struct TGWEdgeRankingTests {
    /// `a` / `b`: the `via` clauses' BGP attributes of `hq` over `vpn-a` / `vpn-b`; `order`: the `propagate` line's
    /// edge attachments; `tunnelsB`: vpn-b's tunnels.
    static func text(a: String = "", b: String = "", order: String = "a-att b-att", tunnelsB: String = "tunnels down down") -> String {
        """
        vpc app {
          cidr 10.1.0.0/16
          vpn-gateway vgw1
          subnet a 10.1.0.0/24 az us-east-1a
          route-table rt main {
            associate a
            route 0.0.0.0/0 -> core
          }
          security-group open {
            ingress all from 0.0.0.0/0
          }
          instance app-1 in a ip 10.1.0.10 sg open
        }
        vpc other {
          cidr 10.2.0.0/16
          subnet o 10.2.0.0/24 az us-east-1a
          route-table ort main {
            associate o
            route 0.0.0.0/0 -> core
          }
          security-group open2 {
            ingress all from 0.0.0.0/0
          }
          instance other-1 in o ip 10.2.0.10 sg open2
        }
        customer-gateway cg ip 198.51.100.10 asn 65000
        vpn-connection vpn-a tgw core customer-gateway cg bgp
        vpn-connection vpn-b tgw core customer-gateway cg bgp \(tunnelsB)
        vpn-connection office-vpn vgw vgw1 customer-gateway cg static 192.168.7.0/24
        transit-gateway core {
          attachment app-att vpc app subnets a
          attachment other-att vpc other subnets o
          attachment a-att vpn vpn-a
          attachment b-att vpn vpn-b
          attachment dx-att dx-gateway dxg
          route-table hub {
            associate app-att other-att a-att b-att dx-att
            propagate app-att other-att \(order) dx-att
            route 192.168.7.0/24 -> a-att
          }
        }
        dx-gateway dxg {
          associate core allowed 10.2.0.0/16
        }
        dx-vif t1 transit dx-gateway dxg
        onprem hq {
          prefix 172.16.0.0/16
          via vpn-a\(a)
          via vpn-b\(b)
        }
        onprem dc 172.30.0.0/16 via t1
        onprem office 192.168.7.0/24 via office-vpn
        """
    }

    static func hq(_ c: CompiledTopology) -> Verdict { c.query("app-1", "onprem:hq:172.16.0.5", "tcp/443") }

    /// The edge a reachable answer leaves AWS over (nil: not reachable).
    static func exit(_ v: Verdict) -> String? { v.isReachable ? v.forwardPath.last?.component.name : nil }

    @Test func equalPrefixRoutesOfOneKindGoByBGP() {
        // Both VPNs up: whichever route wins carries the packet. A shorter AS path wins whatever the order. (This
        // used to be observed through vpn-b's tunnels being down; BGP now withdraws a down VPN's routes, below.)
        #expect(Self.exit(Self.hq(compile(Self.text(a: " as-path 3", b: " as-path 1", tunnelsB: "")))) == "vpn-b")
        #expect(Self.exit(Self.hq(compile(Self.text(a: " as-path 3", b: " as-path 1", order: "b-att a-att", tunnelsB: "")))) == "vpn-b")
        #expect(Self.exit(Self.hq(compile(Self.text(a: " as-path 1", b: " as-path 3", order: "b-att a-att", tunnelsB: "")))) == "vpn-a")
        // Higher local preference before AS path.
        #expect(Self.exit(Self.hq(compile(Self.text(a: " local-preference high as-path 4", b: " as-path 1", tunnelsB: "")))) == "vpn-a")
        #expect(Self.exit(Self.hq(compile(Self.text(a: " local-preference low", b: "", tunnelsB: "")))) == "vpn-b")
        // Equal attributes: the first propagated.
        #expect(Self.exit(Self.hq(compile(Self.text(order: "a-att b-att", tunnelsB: "")))) == "vpn-a")
        #expect(Self.exit(Self.hq(compile(Self.text(order: "b-att a-att", tunnelsB: "")))) == "vpn-b")
    }

    @Test func aDownBGPVPNsRoutesAreWithdrawnSoTheOtherVPNCarriesThePacket() throws {
        // vpn-b (BGP, tunnels down) would win by AS path, order or local preference: AWS withdraws what it
        // announced (no BGP session), so vpn-a's equal route carries the packet (the engine used to answer
        // TGW_BAD_STATE_VPN naming vpn-b: a wrong "unreachable").
        #expect(Self.exit(Self.hq(compile(Self.text(a: " as-path 3", b: " as-path 1")))) == "vpn-a")
        #expect(Self.exit(Self.hq(compile(Self.text(order: "b-att a-att")))) == "vpn-a")
        #expect(Self.exit(Self.hq(compile(Self.text(a: " local-preference low", b: "")))) == "vpn-a")
        // The table holds no route to vpn-b any more: its decision names a-att alone.
        let c = compile(Self.text(a: " as-path 3", b: " as-path 1"))
        let t = try #require(c.tgwRouteTables.firstIndex { $0.name == "hub" })
        let d = c.tgwRouteDecision(table: TGWRouteTableID(t), address: .v4(IPv4Address(172, 16, 0, 5)))
        #expect(d.chosen?.text.contains("a-att") == true)
        #expect(d.candidates.contains { $0.route.text.contains("b-att") } == false)
        #expect(c.tgwRouteTables[t].withdrawn.map(\.prefix) == [try IPv4Prefix("172.16.0.0/16")])
    }

    @Test func theRouteDecisionSaysBGPChose() throws {
        let c = compile(Self.text(a: " as-path 3", b: " as-path 1", tunnelsB: ""))
        let t = try #require(c.tgwRouteTables.firstIndex { $0.name == "hub" })
        let d = c.tgwRouteDecision(table: TGWRouteTableID(t), address: .v4(IPv4Address(172, 16, 0, 5)))
        #expect(d.chosen?.text.contains("b-att") == true)
        let loser = try #require(d.candidates.first { $0.route.text.contains("a-att") })
        #expect(loser.code == .tgwRTBHigherPriorityRoute)
        #expect(loser.lostBecause?.contains("BGP") == true)
    }

    @Test func theReplyEntersOverTheTGWEdgeWhenTheVPCsVGWDoesNotAnnounceTheSource() {
        // app has a VGW (office-vpn announces 192.168.7.0/24 only): the reply from hq comes in over vpn-a.
        expectReachable(Self.hq(compile(Self.text(tunnelsB: ""))))
        expectReachable(compile(Self.text(tunnelsB: "")).query("onprem:hq:172.16.0.5", "app-1", "tcp/22"))
    }

    @Test func onPremisesEntersATGWOnlyOverAnEdgeAnnouncingIt() {
        // office is behind office-vpn (app's VGW) only: it does not come in over a TGW VPN (the reply's route
        // 192.168.7.0/24 -> a-att would have carried it back).
        let c = compile(Self.text(tunnelsB: ""))
        expectBlocked(c.query("onprem:office:192.168.7.5", "other-1", "tcp/22"), .noRouteToDestination, .forward)
        // Named, the edge is used.
        expectReachable(c.query("vpn-a:192.168.7.5", "other-1", "tcp/22"))
    }

    @Test func aDirectConnectGatewayAssociationAdvertisesOnlyItsAllowedPrefixes() {
        let c = compile(Self.text(tunnelsB: ""))
        expectReachable(c.query("onprem:dc:172.30.0.5", "other-1", "tcp/22"))
        expectReachable(c.query("other-1", "onprem:dc:172.30.0.5", "tcp/22"))
        // 10.1.0.0/16 is not advertised to on premises over dxg: nothing comes in for it, so no reply either.
        expectBlocked(c.query("onprem:dc:172.30.0.5", "app-1", "tcp/22"), .noRouteToDestination, .forward, at: "dxg")
        expectBlocked(c.query("app-1", "onprem:dc:172.30.0.5", "tcp/22"), .noRouteToDestination, .return, at: "dxg")
    }

    @Test func onPremisesAnnouncedNowhereToAPublicAddressWithoutAnyVGW() {
        // Only TGW edges (no VPC has a VGW), the network's one announcement withdrawn (its transit VIF is down), to
        // an instance's public IP: an answer, never a crash (found by a 60,000-pair walker run: the VGW table was
        // indexed for a topology without VGWs).
        let c = compile("""
            vpc app {
              cidr 10.1.0.0/16
              internet-gateway igw
              subnet a 10.1.0.0/24 az us-east-1a
              instance app-1 in a ip 10.1.0.10 public-ip 54.1.0.10
            }
            transit-gateway core {
              attachment app-att vpc app subnets a
              attachment dx-att dx-gateway dxg
              route-table hub {
                associate app-att dx-att
                propagate app-att dx-att
              }
            }
            dx-gateway dxg {
              associate core
            }
            dx-vif t1 transit dx-gateway dxg state down
            onprem dc 172.30.0.0/16 via t1
            """)
        expectBlocked(c.query("onprem:dc:172.30.0.5", "54.1.0.10", "tcp/22"), .noRouteToDestination, .forward)
    }

    static func privateVIF(state: String) -> String {
        """
        vpc app {
          cidr 10.1.0.0/16
          vpn-gateway vgw1
          subnet a 10.1.0.0/24 az us-east-1a
          route-table rt main {
            associate a
            route 172.31.0.0/16 -> vgw1
          }
          security-group open {
            ingress all from 0.0.0.0/0
          }
          instance app-1 in a ip 10.1.0.10 sg open
        }
        dx-gateway dxv {
          associate vgw1
        }
        dx-vif p1 private dx-gateway dxv \(state)
        onprem dc2 172.31.0.0/16 via dxv
        """
    }

    @Test func aDirectConnectGatewayWhosePrivateVIFsAreAllDownCarriesNothing() {
        expectReachable(compile(Self.privateVIF(state: "")).query("app-1", "onprem:dc2:172.31.0.5", "tcp/443"))
        expectBlocked(compile(Self.privateVIF(state: "state down")).query("app-1", "onprem:dc2:172.31.0.5", "tcp/443"), .badState, .forward, at: "dxv")
        expectBlocked(compile(Self.privateVIF(state: "state down")).query("onprem:dc2:172.31.0.5", "app-1", "tcp/443"), .badState, .forward, at: "dxv")
    }
}
