import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// The network's edges written in the language (Topologies/edges.vpc and small topologies here), each answer
/// with the AWS reason (AWS-BEHAVIOUR.md §2, §6, §10).
@Suite struct EdgeLanguageScenarioTests {
    static func example() throws -> CompiledTopology {
        compile(try #require(repositoryFile("Topologies/edges.vpc")), file: "edges.vpc")
    }

    static func exitEdge(_ hops: [Hop]) -> String? {
        hops.last { if case .toOnPremises = $0.action { true } else { false } }?.component.name
    }

    @Test func theOfficeOverTheStaticVPN() throws {
        // §10: the static VPN's route (and the table's static route) lead to the VGW, which forwards to the office.
        let c = try Self.example()
        let v = c.query("app-1", "onprem:office:192.168.1.10", "tcp/22")
        expectReachable(v)
        #expect(Self.exitEdge(v.forwardPath) == "office-vpn")
        #expect(v.notes.contains(ReachMessages.onPremisesFarSide))
        // From the office: SG app admits tcp/22 from 192.168.0.0/16; the reply goes back over the VGW.
        expectReachable(c.query("onprem:office:192.168.1.10", "app-1", "tcp/22"))
        // By the VPN's AWS id.
        expectReachable(c.query("vpn-0a1b2c3d:192.168.1.10", "app-1", "tcp/443"))
        // A bare address an edge announces is on premises (not the internet).
        guard case .success(.onPremises) = c.resolve("192.168.1.10") else { Issue.record("not on premises"); return }
        expectReachable(c.query("app-1", "192.168.1.10", "tcp/22"))
    }

    @Test func theDataCentreOverDirectConnect() throws {
        // §10: the private VIF on the DX gateway associated with vgw1 (allowed 10.0.0.0/16) carries the data
        // centre's prefixes; they propagate into the private table.
        let c = try Self.example()
        let v = c.query("app-1", "onprem:datacentre:10.10.0.5", "tcp/22")
        expectReachable(v)
        #expect(Self.exitEdge(v.forwardPath) == "dc-a")
        expectReachable(c.query("onprem:datacentre:10.10.0.5", "app-1", "tcp/443"))
    }

    @Test func peeringBothWaysThroughTheHub() throws {
        // §10: TGW peering, static routes on both sides; the far TGW routes by its peering attachment's table.
        let c = try Self.example()
        expectReachable(c.query("west-1", "app-1", "tcp/443"))
        expectReachable(c.query("app-1", "west-1", "tcp/443"))
    }

    @Test func aPrefixNoTableRoutesIsNotReachable() throws {
        // The branch office is announced over the TGW's VPN, but prod's tables have no route toward it.
        let c = try Self.example()
        expectBlocked(c.query("app-1", "onprem:branch-office:172.30.0.5", "tcp/22"), .noRouteToDestination, .forward, at: "private")
    }

    @Test func aGatewayRouteTableSendsInternetTrafficThroughTheFirewall() throws {
        // §2: a gateway route table edge-associated with the IGW routes inbound traffic to the appliance first.
        func text(_ firewall: String) -> String { """
            vpc prod {
              cidr 10.0.0.0/16
              internet-gateway igw
              subnet web-a 10.0.20.0/24 az us-east-1a
              subnet fw-a 10.0.30.0/24 az us-east-1a
              route-table public {
                associate web-a fw-a
                route 0.0.0.0/0 -> igw
              }
              route-table edge-in {
                edge-associate igw
                route 10.0.20.0/24 -> fw-1
              }
              security-group web {
                ingress tcp 443 from 0.0.0.0/0
              }
              security-group fw {
                ingress tcp 443 from 0.0.0.0/0
              }
              instance web-1 in web-a ip 10.0.20.10 public-ip 54.1.2.3 sg web
              instance fw-1 in fw-a ip 10.0.30.10 sg fw\(firewall)
            }
            """ }
        let c = compile(text(" source-dest-check off"))
        let v = c.query("internet", "web-1", "tcp/443")
        #expect(v.forwardPath.contains { $0.component.name == "fw-1" && $0.action == .forwardedByAppliance })
        // The firewall with its source/destination check on drops what it forwards.
        let checked = compile(text(""))
        expectBlocked(checked.query("internet", "web-1", "tcp/443"), .eniSourceDestCheckRestriction, .forward, at: "fw-1")
    }
}
