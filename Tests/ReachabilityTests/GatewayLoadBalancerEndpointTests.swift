import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// Routes to Gateway Load Balancer endpoints (Docs/SEMANTICS.md "Gateway Load Balancers"): the endpoint's subnet
/// NACL, the GWLB node of the endpoint's zone, GENEVE (UDP 6081) to every appliance that gets traffic, back out of
/// the endpoint and on by the endpoint subnet's table; the reply must pass the same endpoint. An endpoint whose
/// service the model does not hold stays a safe `UNSUPPORTED_COMPONENT` stop.
@Suite struct GatewayLoadBalancerEndpointTests {
    static let example = repositoryFile("Topologies/inspection-vpc.vpc") ?? ""

    static func compiled(_ text: String = example) -> CompiledTopology { compile(text, file: "inspection-vpc.vpc") }

    /// The example with `old` replaced by `new` (which must change it).
    static func variant(_ old: String, _ new: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CompiledTopology {
        let text = example.replacing(old, with: new)
        #expect(text != example, "the variant changes nothing: \(old)", sourceLocation: sourceLocation)
        return compile(text, file: "inspection-vpc.vpc")
    }

    static func kinds(_ hops: [Hop]) -> [String] { hops.map(\.action.kind) }

    static let throughEndpoint = ["toGatewayLoadBalancerEndpoint", "gatewayLoadBalancerNode", "inspectedByAppliances",
                                  "fromGatewayLoadBalancerEndpoint"]

    @Test func internetToTheAppGoesThroughTheApplianceBothWays() {
        let c = Self.compiled()
        let v = c.query("internet", "web-1", "tcp/443")
        expectReachable(v)
        #expect(Self.kinds(v.forwardPath) == ["fromInternet", "routeLookup"] + Self.throughEndpoint + ["routeLookup", "ingressAllowed", "delivered"],
                "\(Self.kinds(v.forwardPath))")
        #expect(Self.kinds(v.returnPath) == ["egressTracked", "routeLookup"] + Self.throughEndpoint + ["routeLookup", "toInternet"],
                "\(Self.kinds(v.returnPath))")
        // The edge table sends the app's block to the endpoint; out of it, the endpoint subnet's local route.
        #expect(v.forwardPath[1].rule?.text == "route 10.0.1.0/24 -> inspect-a")
        #expect(v.forwardPath[6].component.name == "gwlbe" && v.forwardPath[6].rule?.text == "local 10.0.0.0/16")
        // The typed hops name the endpoint, the node of its zone and the appliance that gets traffic (not fw-2: unhealthy).
        #expect(v.forwardPath[2].action == .toGatewayLoadBalancerEndpoint(endpoint: "inspect-a", loadBalancer: "inspect"))
        #expect(v.forwardPath[2].component == ComponentRef(kind: .vpcEndpoint, name: "inspect-a", awsID: "vpce-0b1"))
        #expect(v.forwardPath[3].action == .gatewayLoadBalancerNode(loadBalancer: "inspect", node: "inspect@fw-a"))
        #expect(v.forwardPath[4].action == .inspectedByAppliances(loadBalancer: "inspect", appliances: ["fw-1"]))
        #expect(v.forwardPath[4].component.name == "fw-1")
        // The appliance is a bump in the wire: the packet leaves the endpoint as it entered.
        #expect(v.forwardPath[5].header == v.forwardPath[2].header)
        #expect(v.returnPath[7].action == .toInternet && v.returnPath[6].rule?.text == "route 0.0.0.0/0 -> igw")
    }

    @Test func theAppToTheInternetGoesThroughTheApplianceBothWays() {
        let c = Self.compiled()
        let v = c.query("web-1", "8.8.8.8", "tcp/443")
        expectReachable(v)
        #expect(Self.kinds(v.forwardPath) == ["egressAllowed", "routeLookup"] + Self.throughEndpoint + ["routeLookup", "toInternet"],
                "\(Self.kinds(v.forwardPath))")
        #expect(Self.kinds(v.returnPath) == ["fromInternet", "routeLookup"] + Self.throughEndpoint + ["routeLookup", "delivered"],
                "\(Self.kinds(v.returnPath))")
        // Any protocol: a GWLB carries every IP packet.
        expectReachable(c.query("web-1", "8.8.8.8", "udp/53"))
        expectReachable(c.query("web-1", "8.8.8.8", "icmp"))
    }

    @Test func assertionsSeeThroughTheEndpoint() {
        let text = Self.example + """
            assert reach internet -> web-1 tcp/443
            assert noreach internet -> web-1 tcp/22
            assert reach web-1 -> 8.8.8.8 tcp/443

            """
        // The example's own three, then these.
        #expect(compile(text).evaluateAssertions().map(\.holds) == [true, true, true, true, true, true])
        // tcp/22 stops at web-1's group, past the appliance.
        expectBlocked(Self.compiled().query("internet", "web-1", "tcp/22"), .eniSGRulesMismatch, .forward, at: "web")
    }

    @Test func localTrafficDoesNotUseTheEndpoint() {
        let c = Self.compiled()
        // Inside the VPC the local route wins: the appliance's group admits only GENEVE from its subnet.
        expectBlocked(c.query("web-1", "fw-1", "tcp/22"), .eniSGRulesMismatch, .forward, at: "appliance")
    }

    // MARK: The appliances' side

    @Test func anApplianceWithoutUDP6081FromTheNodeBlocksWithTheGWLBCode() throws {
        let c = Self.variant("ingress udp 6081 from 10.0.3.0/24", "ingress udp 53 from 10.0.3.0/24")
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .gwlbDestinationPortRestriction, .forward, at: "appliance")
        let e = try #require(v.explanation)
        // What to change: the appliance's group, for GENEVE from the node's address.
        guard case .securityGroupRules(let group, let interface, let inbound, let traffic, let peer, _) = e.detail else {
            Issue.record("\(e.detail)"); return
        }
        #expect(group == "appliance" && interface == "fw-1" && inbound)
        #expect(traffic == BlockedTraffic(ipProtocol: 17, destinationPorts: PortSet(port: 6081)))
        #expect(peer.address == .v4(IPv4Address(10, 0, 3, 100)))
        #expect(e.detailText.contains("10.0.3.100") && e.detailText.contains("udp/6081"), "\(e.detailText)")
        // The walk stops at the endpoint: the forward path ends with it.
        #expect(v.forwardPath.last?.action == .toGatewayLoadBalancerEndpoint(endpoint: "inspect-a", loadBalancer: "inspect"))
        #expect(!c.query("web-1", "8.8.8.8", "tcp/443").isReachable)
    }

    @Test func anApplianceAdmittingTCP6081OnlyIsTheProtocolRestriction() {
        let c = Self.variant("ingress udp 6081 from 10.0.3.0/24", "ingress tcp 6081 from 10.0.3.0/24")
        expectBlocked(c.query("internet", "web-1", "tcp/443"), .gwlbProtocolRestriction, .forward, at: "appliance")
    }

    @Test func anApplianceAdmittingAnotherAddressOnlyBlocks() {
        // The node is 10.0.3.100: a rule for the rest of the subnet does not admit it.
        let c = Self.variant("ingress udp 6081 from 10.0.3.0/24", "ingress udp 6081 from 10.0.3.0/26")
        expectBlocked(c.query("internet", "web-1", "tcp/443"), .gwlbDestinationPortRestriction, .forward, at: "appliance")
    }

    @Test func noHealthyApplianceBlocks() throws {
        let c = Self.variant("target appliances fw-1 healthy", "target appliances fw-1 draining")
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .elbv2NoTargetsInAZ, .forward, at: "inspect")
        guard case .loadBalancer(let lb, let problem, _, let zone)? = v.explanation?.detail else { Issue.record("\(String(describing: v.explanation))"); return }
        #expect(lb == "inspect" && problem == .noHealthyTarget && zone == "us-east-1a")
    }

    @Test func aNACLOnTheEndpointSubnetApplies() {
        let text = Self.example.replacing("  security-group web {", with: """
              network-acl edge-only {
                associate gwlbe-a
                inbound 100 allow tcp 443 from 0.0.0.0/0
                outbound 100 allow all to 0.0.0.0/0
              }

              security-group web {
            """)
        let c = compile(text)
        // The request enters the endpoint's subnet (rule 100); the reply from web-1 (to the client's port) does not.
        expectBlocked(c.query("internet", "web-1", "tcp/443"), .subnetACLRestriction, .return, at: "edge-only")
        expectBlocked(c.query("internet", "web-1", "tcp/80"), .subnetACLRestriction, .forward, at: "edge-only")
    }

    // MARK: Zones

    /// Two zones: the endpoint in 1a, GWLB nodes in both, the healthy appliance only in 1b.
    static let twoZones = """
        region us-east-1

        vpc shop {
          cidr 10.0.0.0/16
          internet-gateway igw

          subnet app-a 10.0.1.0/24 az us-east-1a
          subnet gwlbe-a 10.0.2.0/24 az us-east-1a
          subnet fw-a 10.0.3.0/24 az us-east-1a
          subnet fw-b 10.0.4.0/24 az us-east-1b

          route-table app {
            associate app-a
            route 0.0.0.0/0 -> inspect-a
          }

          route-table gwlbe {
            associate gwlbe-a
            route 0.0.0.0/0 -> igw
          }

          route-table ingress {
            edge-associate igw
            route 10.0.1.0/24 -> inspect-a
          }

          security-group web {
            ingress tcp 443 from 0.0.0.0/0
          }

          security-group appliance {
            ingress udp 6081 from 10.0.0.0/16
          }

          endpoint inspect-a gateway-load-balancer inspect subnets gwlbe-a

          instance web-1 in app-a ip 10.0.1.10 public-ip 54.10.0.10 sg web
          instance fw-1 in fw-a ip 10.0.3.10 sg appliance
          instance fw-2 in fw-b ip 10.0.4.10 sg appliance

          target-group appliances instance geneve 6081
          target appliances fw-1 unhealthy
          target appliances fw-2 healthy

          load-balancer inspect gateway subnets fw-a fw-b ip 10.0.3.100 10.0.4.100 CROSS
          listener inspect -> appliances
        }

        """

    @Test func crossZoneOffKeepsTheNodeToItsZone() throws {
        let c = compile(Self.twoZones.replacing(" CROSS", with: ""))
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .elbv2NoTargetsInAZ, .forward, at: "inspect")
        guard case .loadBalancer(_, let problem, _, let zone)? = v.explanation?.detail else { Issue.record("\(String(describing: v.explanation))"); return }
        #expect(problem == .noTargetInZone && zone == "us-east-1a")
    }

    @Test func crossZoneOnReachesTheApplianceInTheOtherZone() {
        let c = compile(Self.twoZones.replacing(" CROSS", with: " cross-zone on"))
        let v = c.query("internet", "web-1", "tcp/443")
        expectReachable(v)
        // The endpoint's zone's node sends to the other zone's appliance.
        #expect(v.forwardPath.contains { $0.action == .gatewayLoadBalancerNode(loadBalancer: "inspect", node: "inspect@fw-a") })
        #expect(v.forwardPath.contains { $0.action == .inspectedByAppliances(loadBalancer: "inspect", appliances: ["fw-2"]) })
        // Across subnets the NACLs of both apply to GENEVE: fw-b denying it inbound blocks.
        let denied = compile(Self.twoZones.replacing(" CROSS", with: " cross-zone on").replacing("  security-group web {", with: """
              network-acl fw {
                associate fw-b
                inbound 100 allow tcp 0-65535 from 0.0.0.0/0
                outbound 100 allow all to 0.0.0.0/0
              }

              security-group web {
            """))
        expectBlocked(denied.query("internet", "web-1", "tcp/443"), .gwlbDestinationPortRestriction, .forward, at: "fw")
    }

    @Test func noNodeInTheEndpointsZoneIsServiceNotInstalled() {
        let text = Self.twoZones.replacing(" CROSS", with: "").replacing("subnets fw-a fw-b ip 10.0.3.100 10.0.4.100", with: "subnets fw-b ip 10.0.4.100")
        let c = compile(text)
        expectBlocked(c.query("internet", "web-1", "tcp/443"), .vpceServiceNotInstalledInAZ, .forward, at: "inspect-a")
    }

    // MARK: Symmetry

    @Test func aReplyThatBypassesTheEndpointIsDropped() throws {
        // app-a's default route goes straight to the internet gateway: the request came in through the appliance,
        // the reply would leave without it.
        let c = Self.variant("    associate app-a\n    route 0.0.0.0/0 -> inspect-a", "    associate app-a\n    route 0.0.0.0/0 -> igw")
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .gwlbFlowSymmetryRestriction, .return, at: "inspect-a")
        guard case .loadBalancer(_, let problem, _, _)? = v.explanation?.detail else { Issue.record("\(String(describing: v.explanation))"); return }
        #expect(problem == .replyBypassedEndpoint)
        #expect(v.returnPath.last?.action == .toInternet)
        // The other way round: the request leaves directly, the reply enters through the endpoint.
        let out = c.query("web-1", "8.8.8.8", "tcp/443")
        expectBlocked(out, .gwlbFlowSymmetryRestriction, .return, at: "inspect-a")
        guard case .loadBalancer(_, let p2, _, _)? = out.explanation?.detail else { Issue.record("\(String(describing: out.explanation))"); return }
        #expect(p2 == .replyThroughOtherEndpoint)
        // One-way questions have no reply to check.
        expectReachable(c.query("internet", "web-1", "tcp/443", oneWay: true))
        // The fast path (matrices, classes) answers alike.
        let fast = { (t: CompiledTopology, from: String, to: String) -> Bool in
            guard case .success(let s) = t.resolve(from), case .success(let d) = t.resolve(to) else { return true }
            return t.isReachable(from: s, to: d, ipProtocol: 6, port: 443)
        }
        #expect(!fast(c, "internet", "web-1") && !fast(c, "web-1", "8.8.8.8"))
        #expect(fast(Self.compiled(), "internet", "web-1") && fast(Self.compiled(), "web-1", "8.8.8.8"))
    }

    @Test func aReplyThroughAnotherEndpointIsDropped() {
        // A second endpoint of the same load balancer in another subnet: requests come in through inspect-a, the
        // app's replies leave through inspect-b.
        let text = Self.example
            .replacing("  subnet fw-a 10.0.3.0/24 az us-east-1a", with: "  subnet fw-a 10.0.3.0/24 az us-east-1a\n  subnet gwlbe-b 10.0.4.0/24 az us-east-1a")
            .replacing("    associate gwlbe-a\n", with: "    associate gwlbe-a gwlbe-b\n")
            .replacing("    associate app-a\n    route 0.0.0.0/0 -> inspect-a", with: "    associate app-a\n    route 0.0.0.0/0 -> inspect-b")
            .replacing("id vpce-0b1\n", with: "id vpce-0b1\n  endpoint inspect-b gateway-load-balancer inspect subnets gwlbe-b\n")
        let c = compile(text)
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .gwlbFlowSymmetryRestriction, .return, at: "inspect-b")
        guard case .loadBalancer(_, let problem, _, _)? = v.explanation?.detail else { Issue.record("\(String(describing: v.explanation))"); return }
        #expect(problem == .replyThroughOtherEndpoint)
        expectBlocked(c.query("web-1", "8.8.8.8", "tcp/443"), .gwlbFlowSymmetryRestriction, .return, at: "inspect-a")
    }

    /// AWS-BEHAVIOUR.md §13.9 with a Gateway Load Balancer: spokes send everything through an inspection VPC whose
    /// attachment subnets route to the GWLB endpoint of their zone.
    static func tgwInspection(applianceMode: Bool) -> String {
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
          subnet gwlbe-a 10.100.2.0/24 az us-east-1a
          subnet gwlbe-b 10.100.3.0/24 az us-east-1b
          subnet fw-a 10.100.10.0/24 az us-east-1a
          subnet fw-b 10.100.11.0/24 az us-east-1b
          route-table to-a { associate tgw-a  route 0.0.0.0/0 -> insp-a }
          route-table to-b { associate tgw-b  route 0.0.0.0/0 -> insp-b }
          route-table back main { route 0.0.0.0/0 -> hub }
          security-group geneve { ingress udp 6081 from 10.100.0.0/16 }
          endpoint insp-a gateway-load-balancer fleet subnets gwlbe-a
          endpoint insp-b gateway-load-balancer fleet subnets gwlbe-b
          instance fwa-1 in fw-a ip 10.100.10.10 sg geneve
          instance fwb-1 in fw-b ip 10.100.11.10 sg geneve
          target-group fws instance geneve 6081
          target fws fwa-1
          target fws fwb-1
          load-balancer fleet gateway subnets fw-a fw-b ip 10.100.10.100 10.100.11.100
          listener fleet -> fws
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

    @Test func transitGatewayInspectionNeedsApplianceMode() {
        let off = compile(Self.tgwInspection(applianceMode: false)).query("client-1", "server-1", "tcp/443")
        // The request is inspected in 1a; the reply enters the inspection VPC in 1b and meets the other zone's endpoint.
        expectBlocked(off, .tgwAttachVPCAZRestriction, .return, at: "insp")
        #expect(off.forwardPath.contains { $0.action == .toGatewayLoadBalancerEndpoint(endpoint: "insp-a", loadBalancer: "fleet") })
        let on = compile(Self.tgwInspection(applianceMode: true)).query("client-1", "server-1", "tcp/443")
        expectReachable(on)
        func endpoints(_ hops: [Hop]) -> [String] {
            hops.compactMap { if case .toGatewayLoadBalancerEndpoint(let e, _) = $0.action { e } else { nil } }
        }
        #expect(endpoints(on.forwardPath).count == 1 && endpoints(on.forwardPath) == endpoints(on.returnPath),
                "\(endpoints(on.forwardPath)) \(endpoints(on.returnPath))")
    }

    @Test func theEndpointSubnetSendingThePacketBackIsALoop() {
        let c = Self.variant("    associate gwlbe-a\n    route 0.0.0.0/0 -> igw", "    associate gwlbe-a\n    route 0.0.0.0/0 -> inspect-a")
        expectBlocked(c.query("web-1", "8.8.8.8", "tcp/443"), .routingLoop, .forward, at: "gwlbe")
    }

    // MARK: The reference walker

    /// The independent reference walker (Reference/ReferenceWalker.swift) follows GWLB endpoints on its own code:
    /// it must give every scenario above the same verdict and code.
    @Test func theReferenceWalkerAgrees() {
        let bypass = Self.example.replacing("    associate app-a\n    route 0.0.0.0/0 -> inspect-a", with: "    associate app-a\n    route 0.0.0.0/0 -> igw")
        let cases: [(String, String, String, String)] = [
            (Self.example, "internet", "web-1", "tcp/443"),
            (Self.example, "web-1", "8.8.8.8", "tcp/443"),
            (Self.example, "web-1", "8.8.8.8", "udp/53"),
            (Self.example, "internet", "web-1", "tcp/22"),
            (Self.example.replacing("ingress udp 6081 from 10.0.3.0/24", with: "ingress udp 53 from 10.0.3.0/24"), "internet", "web-1", "tcp/443"),
            (Self.example.replacing("ingress udp 6081 from 10.0.3.0/24", with: "ingress tcp 6081 from 10.0.3.0/24"), "internet", "web-1", "tcp/443"),
            (Self.example.replacing("target appliances fw-1 healthy", with: "target appliances fw-1 draining"), "internet", "web-1", "tcp/443"),
            (bypass, "internet", "web-1", "tcp/443"),
            (bypass, "web-1", "8.8.8.8", "tcp/443"),
            (Self.twoZones.replacing(" CROSS", with: ""), "internet", "web-1", "tcp/443"),
            (Self.twoZones.replacing(" CROSS", with: " cross-zone on"), "internet", "web-1", "tcp/443"),
            (Self.twoZones.replacing(" CROSS", with: " cross-zone on"), "web-1", "8.8.8.8", "tcp/443"),
            (Self.twoZones.replacing(" CROSS", with: "").replacing("subnets fw-a fw-b ip 10.0.3.100 10.0.4.100", with: "subnets fw-b ip 10.0.4.100"),
             "internet", "web-1", "tcp/443"),
            (Self.tgwInspection(applianceMode: false), "client-1", "server-1", "tcp/443"),
        ]
        for (k, (text, from, to, traffic)) in cases.enumerated() {
            let w = WalkerScenarioTests.walk(text, from, to, traffic)
            let v = compile(text).query(from, to, traffic)
            #expect(w.reachable == v.isReachable, "case \(k) \(from) -> \(to) \(traffic): walker \(w.reachable) \(w.code), production \(v.isReachable)\n\(w.trace.joined(separator: "\n"))")
            if !w.reachable { #expect(w.code == v.explanation?.code.rawValue, "case \(k): walker \(w.code) (\(w.direction)), production \(String(describing: v.explanation?.code))") }
        }
    }

    // MARK: What stays outside the model

    @Test func anEndpointOfAServiceOutsideTheModelIsNeverReachable() throws {
        let c = Self.variant("endpoint inspect-a gateway-load-balancer inspect ", "endpoint inspect-a gateway-load-balancer com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0 ")
        let v = c.query("web-1", "8.8.8.8", "tcp/443")
        expectBlocked(v, .unsupportedComponent, .forward, at: "app")
        let e = try #require(v.explanation)
        #expect(e.detail == .route(destination: TranslatedAddress(address: .v4(IPv4Address(8, 8, 8, 8))), transitGateway: false,
                                   problem: .unmodelledTarget("gwlbe inspect-a")))
        expectBlocked(c.query("internet", "web-1", "tcp/443"), .unsupportedComponent, .forward, at: "ingress")
        let text = Self.example.replacing("endpoint inspect-a gateway-load-balancer inspect ",
                                          with: "endpoint inspect-a gateway-load-balancer com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0 ")
            + "assert noreach internet -> web-1 tcp/443\n"
        // Unproven: `assert noreach` does not hold either.
        // The example's `assert reach` lines fail too: unproven is not reachable.
        #expect(compile(text).evaluateAssertions().map(\.holds) == [true, false, false, false])
    }

    @Test func anApplianceNoInterfaceHoldsIsNotModelled() {
        let c = Self.variant("target-group appliances instance geneve 6081\n  target appliances fw-1 healthy\n  target appliances fw-2 unhealthy",
                             "target-group appliances ip geneve 6081\n  target appliances 10.0.3.77 healthy")
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .unsupportedComponent, .forward, at: "inspect")
        #expect(v.disposition.kind == "unproven")
    }

    /// A GWLB is a bump in the wire, not a destination: addressed by name or node address it carries nothing
    /// (and its node holds no security group, so nothing "admits" it).
    @Test func theGatewayLoadBalancerAddressedDirectlyIsNeverReachable() throws {
        let c = Self.compiled()
        for to in ["inspect", "10.0.3.100"] {
            for traffic in ["udp/6081", "tcp/443", "all"] {
                let v = c.query("web-1", to, traffic)
                expectBlocked(v, .unsupportedComponent, .forward, at: "inspect")
                if case .loadBalancer(let name, let problem, _, _)? = v.explanation?.detail {
                    #expect(name == "inspect" && problem == .onlyThroughEndpoints)
                    // Its answer names its one listener rather than "no listener".
                    #expect(v.loadBalancer?.listener == "geneve 6081", "\(String(describing: v.loadBalancer))")
                } else { Issue.record("\(to) \(traffic): \(String(describing: v.explanation))") }
            }
        }
    }

    @Test func theEndpointIsNoQueryEndpoint() throws {
        let c = Self.compiled()
        let r = c.resolveVPCEndpoint("inspect-a")
        guard case .failure(let e)? = r else { Issue.record("expected an error, got \(String(describing: r))"); return }
        #expect(e.message.contains("route target, not a query endpoint"))
    }
}
