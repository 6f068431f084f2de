import NetworkModel
import Testing
@testable import Reachability

/// A transit VIF as a query endpoint (`dxvif-…:ADDR`): it ends on a Direct Connect gateway associated with a
/// transit gateway, so traffic to and from it goes through the DX gateway's TGW attachment (AWS-BEHAVIOUR.md
/// §10: a transit VIF ends on a DX gateway associated with TGWs; §6: the DX-gateway attachment propagates the
/// on-premises prefixes). The shape of the Batfish `test-direct-connect-gateway` snapshot.
@Suite struct TransitVIFEndpointTests {
    static func topology(announced: Bool) -> CompiledTopology {
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
            transit-gateway core {
              attachment app-att vpc app subnets app-a
              attachment dx-att dx-gateway dxg
              route-table main-rt {
                associate app-att dx-att
                propagate app-att dx-att
              }
            }
            dx-gateway dxg id 7b2c4f8a-1234-4abc-9def-fedcba987654 {
              associate core allowed 10.0.0.0/8
            }
            dx-vif dc-t transit dx-gateway dxg id dxvif-dx01
            \(announced ? "onprem dc 172.16.0.0/16 via dc-t" : "")
            """, file: "transit-vif.vpc")
    }

    @Test func aTransitVIFCarriesTrafficThroughItsDXGatewayAttachment() {
        let c = Self.topology(announced: true)
        // Both ways, by the VIF's id and by its name: the DX gateway's attachment is the way in and out.
        let out = c.query("web-1", "dxvif-dx01:172.16.0.5", "tcp/443")
        expectReachable(out)
        #expect(out.notes.contains(ReachMessages.onPremisesFarSide))
        expectReachable(c.query("dc-t:172.16.0.5", "web-1", "tcp/443"))
        // Before the fix the endpoint was refused ("ends on no virtual private gateway").
        guard case .success(.onPremises) = c.resolve("dxvif-dx01:172.16.0.5") else {
            Issue.record("a transit VIF with an address is not an on-premises endpoint"); return
        }
    }

    @Test func aTransitVIFWithUnknownRoutesIsNeverReachable() {
        // Nothing announced: no TGW route to 172.16.0.5, and the answer names the DX gateway's unknown routes.
        let v = Self.topology(announced: false).query("web-1", "dxvif-dx01:172.16.0.5", "tcp/443")
        #expect(!v.isReachable)
        #expect(v.explanation?.code == .noRouteToDestination)
    }
}
