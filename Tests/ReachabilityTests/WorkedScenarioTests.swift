import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Docs/AWS-BEHAVIOUR.md §13: the ten worked scenarios, verdict and explanation.
@Suite struct WorkedScenarioTests {
    @Test func missingReturnRouteBlocksTheReply() {
        let c = compile(Fixture.prod())
        let v = c.query("app-1", "svc-1", "tcp/443")
        expectBlocked(v, .noRouteToDestination, .return, at: "shared-main")
        #expect(!v.forwardPath.isEmpty && v.forwardPath.contains { $0.component.name == "prod-shared" })
        // One way (traceroute view): the request alone gets there.
        expectReachable(c.query("app-1", "svc-1", "tcp/443", oneWay: true))
    }

    static let nacl2 = """
    network-acl w {
        associate public-a
        inbound 100 allow tcp 443 from 0.0.0.0/0
        outbound 100 allow tcp 443 to 0.0.0.0/0
        {{MORE}}
      }
    """

    @Test func naclWithoutEphemeralRangeDeniesTheReply() {
        let c = compile(Fixture.prod(["PROD_EXTRA": Self.nacl2.replacing("{{MORE}}", with: "")]))
        expectBlocked(c.query("internet", "web-1", "tcp/443"), .subnetACLRestriction, .return, at: "w", rule: 32767)
    }

    /// "Reachable only for client ports 32768–60999": partly reachable for 1024-65535, reachable for Linux
    /// clients, partly for Windows clients (49152-60999 of 49152-65535).
    @Test func naclWithLinuxEphemeralRangeWorksOnlyForThosePorts() {
        let c = compile(Fixture.prod(["PROD_EXTRA": Self.nacl2.replacing("{{MORE}}", with: "outbound 110 allow tcp 32768-60999 to 0.0.0.0/0")]))
        let v = c.query("internet", "web-1", "tcp/443")
        #expect(v.state == .partlyReachable)
        #expect(!v.isReachable)
        #expect(v.workingSourcePorts == PortSet(PortRange(32768, 60999)))
        #expect(v.failingSourcePorts == PortSet(ranges: [PortRange(1024, 32767), PortRange(61000, 65535)]))
        #expect(v.requestedSourcePorts == .ephemeral)
        // The rule that stops the failing ports: the final '*' of w's outbound rules, on the reply.
        expectExplanation(v, .subnetACLRestriction, .return, at: "w", rule: 32767)
        guard case .networkACL(_, inbound: false, let traffic, _, denyingRule: nil)? = v.explanation?.detail else {
            Issue.record("want the outbound final '*' of a NACL, got \(String(describing: v.explanation?.detail))"); return
        }
        #expect(traffic.destinationPorts == PortSet(ranges: [PortRange(1024, 32767), PortRange(61000, 65535)]))
        #expect(v.returnPath.contains { $0.rule?.ruleNumber == 110 })
        #expect(!v.blockedReturnPath.isEmpty && !v.blockedReturnPath.contains { $0.rule?.ruleNumber == 110 })

        let linux = c.query("internet", "web-1", "tcp/443", sourcePorts: PortSet(ClientPorts.linux.range))
        #expect(linux.state == .reachable)
        #expect(linux.explanation == nil && linux.blockedReturnPath.isEmpty)
        let windows = c.query("internet", "web-1", "tcp/443", sourcePorts: PortSet(ClientPorts.windows.range))
        #expect(windows.state == .partlyReachable)
        #expect(windows.workingSourcePorts == PortSet(PortRange(49152, 60999)))

        // One client port: reachable or not, never partly.
        let low = c.query("internet", "web-1", "tcp/443", sourcePort: 1024)
        expectBlocked(low, .subnetACLRestriction, .return, at: "w")
        #expect(low.state == .unreachable)
        let high = c.query("internet", "web-1", "tcp/443", sourcePort: 40000)
        expectReachable(high)
        #expect(high.state == .reachable)
    }

    @Test func securityGroupAllowsButNACLDeniesWithRule90() {
        let c = compile(Fixture.prod(["DB_NACL": "inbound 90 deny tcp 5432 from 10.0.10.0/24"]))
        let v = c.query("app-1", "db-1", "tcp/5432")
        expectBlocked(v, .subnetACLRestriction, .forward, at: "db-nacl", rule: 90)
        #expect(v.explanation?.rule?.location?.line ?? 0 > 0)
    }

    @Test func peeringIsNotTransitive() {
        let c = compile(Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.2.0.0/16 -> prod-shared",
            "EXTRA": "vpc c { cidr 10.2.0.0/16  subnet c-a 10.2.0.0/24 az us-east-1a  instance c-1 in c-a ip 10.2.0.10 }\npeering shared-c shared <-> c",
        ]))
        expectBlocked(c.query("app-1", "c-1", "tcp/443"), .pcxRequiresAddressInVPCCIDR, .forward, at: "prod-shared")
    }

    @Test func natGatewayInAPrivateSubnetHasNoWayOut() {
        let c = compile(Fixture.prod(["NAT": "nat-gateway nat-a in app-a eip 54.10.0.1"]))
        let v = c.query("db-1", "internet", "tcp/443")
        expectBlocked(v, .noRouteToDestination, .forward, at: "private")
        #expect(v.forwardPath.contains { $0.component.kind == .natGateway && $0.translation != nil })
    }

    @Test func internetGatewayRouteWithoutPublicIP() {
        let c = compile(Fixture.prod(["PROD_EXTRA": "instance web-2 in public-a ip 10.0.0.11 public-ip none sg web"]))
        expectBlocked(c.query("web-2", "internet", "tcp/443"), .igwPublicIPAssociationForEgress, .forward, at: "igw")
        expectBlocked(c.query("internet", "web-2", "tcp/443"), .igwPrivateIPAssociationForIngress, .forward, at: "igw")
    }

    @Test func tgwAttachmentWithoutAssociationDropsTheReply() {
        let tgw = """
        transit-gateway core {
          attachment a vpc prod subnets app-a
          attachment b vpc shared subnets svc-a
          route-table t { associate a propagate a b }
        }
        """
        let c = compile(Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core\n    route 10.2.0.0/16 -> core",
            "SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> core }",
            "TGW": tgw,
        ]))
        let v = c.query("app-1", "svc-1", "tcp/443")
        expectBlocked(v, .tgwAttachMissingTGWRTBAssociation, .return, at: "b")
        #expect(v.forwardPath.contains { $0.component.kind == .tgwRouteTable && $0.component.name == "t" })
    }

    @Test func blackholeWinsWithoutFallback() {
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.0.0.0/8 -> core\n    route 10.99.0.0/16 -> core"]))
        let v = c.query("app-1", "10.9.1.1", "tcp/443")
        expectBlocked(v, .badStateRoute, .forward, at: "private")
        #expect(v.explanation?.rule?.text == "route 10.9.0.0/16 blackhole")
        // In a TGW table: TGW_RTB_BAD_STATE_ROUTE.
        expectBlocked(c.query("app-1", "10.99.1.1", "tcp/443"), .tgwRTBBadStateRoute, .forward, at: "spokes")
    }

    static func inspection(applianceMode: Bool) -> String {
        """
        vpc spoke1 {
          cidr 10.10.0.0/16
          subnet s1-a 10.10.0.0/24 az us-east-1a
          route-table s1-rt main { route 0.0.0.0/0 -> hub }
          security-group open { ingress all from 10.0.0.0/8 }
          instance client-1 in s1-a ip 10.10.0.10 sg open
        }
        vpc spoke2 {
          cidr 10.20.0.0/16
          subnet s2-a 10.20.0.0/24 az us-east-1a
          subnet s2-b 10.20.1.0/24 az us-east-1b
          route-table s2-rt main { route 0.0.0.0/0 -> hub }
          security-group srv { ingress tcp 443 from 10.0.0.0/8 }
          instance server-1 in s2-b ip 10.20.1.10 sg srv
        }
        vpc inspection {
          cidr 10.100.0.0/16
          subnet tgw-a 10.100.0.0/24 az us-east-1a
          subnet tgw-b 10.100.1.0/24 az us-east-1b
          subnet fw-a 10.100.10.0/24 az us-east-1a
          subnet fw-b 10.100.11.0/24 az us-east-1b
          route-table to-fw-a { associate tgw-a  route 0.0.0.0/0 -> fwa-1 }
          route-table to-fw-b { associate tgw-b  route 0.0.0.0/0 -> fwb-1 }
          route-table back main { route 0.0.0.0/0 -> hub }
          security-group fw { ingress all from 10.0.0.0/8 }
          instance fwa-1 in fw-a ip 10.100.10.10 sg fw source-dest-check off
          instance fwb-1 in fw-b ip 10.100.11.10 sg fw source-dest-check off
        }
        transit-gateway hub {
          attachment s1 vpc spoke1 subnets s1-a
          attachment s2 vpc spoke2 subnets s2-a s2-b
          attachment insp vpc inspection subnets tgw-a tgw-b\(applianceMode ? " appliance-mode" : "")
          route-table spokes { associate s1 s2  route 0.0.0.0/0 -> insp }
          route-table after { associate insp  propagate s1 s2 }
        }
        """
    }

    @Test func asymmetricTGWPathWithoutApplianceMode() {
        let c = compile(Self.inspection(applianceMode: false))
        let v = c.query("client-1", "server-1", "tcp/443")
        expectBlocked(v, .tgwAttachVPCAZRestriction, .return, at: "insp")
        #expect(v.forwardPath.contains { $0.component.name == "fwa-1" && $0.action == .forwardedByAppliance })
    }

    @Test func applianceModeKeepsBothDirectionsOnOneFirewall() {
        let c = compile(Self.inspection(applianceMode: true))
        let v = c.query("client-1", "server-1", "tcp/443")
        expectReachable(v)
        let fwForward = v.forwardPath.filter { $0.action == .forwardedByAppliance }.map(\.component.name)
        let fwReturn = v.returnPath.filter { $0.action == .forwardedByAppliance }.map(\.component.name)
        #expect(fwForward.count == 1 && fwForward == fwReturn)
    }

    @Test func moreSpecificRouteWins() throws {
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.1.5.0/24 -> core"]))
        let appA = try #require(c.subnet(named: "app-a"))
        let d = c.routeDecision(subnet: appA, address: try IPAddress("10.1.5.9"))
        #expect(d.chosen?.text == "route 10.1.5.0/24 -> core")
        let loser = d.candidates.first { $0.route.text == "route 10.1.0.0/16 -> prod-shared" }
        #expect(loser?.code == .moreSpecificRoute)
        #expect(d.candidates.contains { $0.route.origin == .local } == false)   // 10.0/16 does not contain it
        let d2 = c.routeDecision(subnet: appA, address: try IPAddress("10.1.0.10"))
        #expect(d2.chosen?.text == "route 10.1.0.0/16 -> prod-shared")
        // The request toward 10.1.5.9 goes through the TGW, not the peering.
        let v = c.query("app-1", "10.1.5.9", "tcp/443", oneWay: true)
        #expect(v.forwardPath.contains { $0.component.kind == .tgwRouteTable })
        #expect(!v.forwardPath.contains { $0.component.kind == .peering })
    }
}
