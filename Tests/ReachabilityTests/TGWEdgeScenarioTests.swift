import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// AWS-BEHAVIOUR.md §6 and §10 for transit gateway edges: a VPN attachment (propagating on-premises prefixes,
/// tunnels down: TGW_BAD_STATE_VPN) and a TGW peering (static routes on both sides; the far TGW routes by the
/// table associated with its peering attachment). Edges added in Swift to a topology written in the language.
@Suite struct TGWEdgeScenarioTests {
    static let base = """
        vpc spoke {
          cidr 10.1.0.0/16
          subnet s-a 10.1.0.0/24 az us-east-1a
          route-table rt main {
            associate s-a
            route 0.0.0.0/0 -> core
          }
          security-group s {
            ingress tcp 22 from 10.0.0.0/8
            ingress tcp 22 from 192.168.0.0/16
          }
          instance s-1 in s-a ip 10.1.0.10 sg s
        }
        vpc far {
          cidr 10.2.0.0/16
          subnet f-a 10.2.0.0/24 az us-west-2a
          route-table frt main {
            associate f-a
            route 10.1.0.0/16 -> core-west
          }
          security-group f {
            ingress tcp 22 from 10.1.0.0/16
          }
          instance f-1 in f-a ip 10.2.0.10 sg f
        }
        transit-gateway core {
          attachment spoke-att vpc spoke subnets s-a
          route-table spokes {
            associate spoke-att
            propagate spoke-att
          }
        }
        transit-gateway core-west {
          attachment far-att vpc far subnets f-a
          route-table west-rt {
            associate far-att
            route 10.1.0.0/16 -> east
          }
          route-table peer-rt {
            route 10.2.0.0/16 -> far-att
          }
        }
        """

    static func topology(farRoute: Bool = true, tunnels: [VPNConnection.TunnelState] = []) throws -> Topology {
        var t = TopologyLoader.load(base, file: "tgw-edges.vpc").topology
        t.customerGateways = [CustomerGateway(name: "branch-cgw", address: try IPv4Address("198.51.100.20"), asn: 65001)]
        t.vpnConnections = [VPNConnection(name: "branch-vpn", id: "vpn-0tgw", awsSide: .transitGateway("core"),
                                          customerGateway: "branch-cgw", tunnels: tunnels)]
        t.onPremisesNetworks = [OnPremisesNetwork(name: "branch", prefixes: [try IPv4Prefix("192.168.0.0/16")],
                                                  announcements: [.init(edge: "branch-vpn")])]
        t.transitGateways[0].attachments += [TGWAttachment(name: "branch-att", kind: .vpn(connection: "branch-vpn")),
                                             TGWAttachment(name: "west", id: "tgw-attach-0w", kind: .peering(transitGateway: "core-west"))]
        t.transitGateways[0].routeTables[0].associations += ["branch-att", "west"]
        t.transitGateways[0].routeTables[0].propagations += ["branch-att"]
        t.transitGateways[0].routeTables[0].routes.append(TGWRoute(destination: .cidr(.v4(try IPv4Prefix("10.2.0.0/16"))), target: .attachment("west")))
        t.transitGateways[1].attachments.append(TGWAttachment(name: "east", kind: .peering(transitGateway: "core")))
        t.transitGateways[1].routeTables[1].associations = ["east"]
        if !farRoute { t.transitGateways[1].routeTables[1].routes = [] }
        return t
    }

    @Test func peeringCarriesTrafficBothWaysWithStaticRoutesOnBothSides() throws {
        // §10: routes over a peering are static on both sides; the far TGW routes by the peering attachment's table.
        let c = CompiledTopology(try Self.topology())
        let v = c.query("s-1", "f-1", "tcp/22")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.name == "peer-rt" })
        expectReachable(c.query("f-1", "10.1.0.10", "tcp/22"))
    }

    @Test func aMissingFarSideRouteBlocksAtTheFarTable() throws {
        // §10: the far TGW's table for the peering attachment has no route for the destination: dropped there.
        let c = CompiledTopology(try Self.topology(farRoute: false))
        expectBlocked(c.query("s-1", "f-1", "tcp/22"), .noRouteToDestination, .forward, at: "peer-rt")
    }

    @Test func vpnAttachmentPropagatesOnPremisesPrefixesBothWays() throws {
        // §6: a VPN attachment propagates the prefixes on-premises announces; the reply enters by its table.
        let c = CompiledTopology(try Self.topology())
        let out = c.query("s-1", "onprem:branch:192.168.4.4", "tcp/22")
        expectReachable(out)
        #expect(out.forwardPath.last?.component.awsID == "vpn-0tgw")
        expectReachable(c.query("branch-vpn:192.168.4.4", "s-1", "tcp/22"))
        // Tunnels down: TGW_BAD_STATE_VPN.
        let down = CompiledTopology(try Self.topology(tunnels: [.down, .down]))
        expectBlocked(down.query("s-1", "onprem:branch:192.168.4.4", "tcp/22"), .tgwBadStateVPN, .forward, at: "branch-vpn")
    }
}
