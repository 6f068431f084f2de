import IPAddressing
import TestSupport
import NetworkModel
import Testing
@testable import Reachability

/// Gateway and interface VPC endpoints (Docs/AWS-BEHAVIOUR.md §10, §12): the scenarios of issue 18, each with AWS's reason.
@Suite struct VPCEndpointTests {
    static let text = """
    region us-east-1
    prefix-list s3 id pl-63a5400a { 52.216.0.0/15 3.5.0.0/19 }
    vpc prod {
      cidr 10.0.0.0/16
      internet-gateway igw
      subnet public-a 10.0.0.0/24  az us-east-1a
      subnet app-a    10.0.10.0/24 az us-east-1a
      subnet app-b    10.0.11.0/24 az us-east-1b
      subnet db-a     10.0.20.0/24 az us-east-1a
      nat-gateway nat-a in public-a eip 54.10.0.1
      route-table public { associate public-a  route 0.0.0.0/0 -> igw }
      route-table private main {
        associate app-a app-b
        route 0.0.0.0/0 -> nat-a
        route 10.1.0.0/16 -> prod-shared
        route 10.2.0.0/16 -> core
        {{PRIVATE}}
      }
      route-table db { associate db-a  route 0.0.0.0/0 -> nat-a }
      {{NACL}}
      {{ENDPOINTS}}
      security-group app { ingress tcp 443 from 10.0.0.0/8 }
      security-group narrow { egress tcp 443 to 10.0.0.0/8 }
      security-group s3only { egress tcp 443 to pl:s3 }
      security-group endpoints { ingress tcp 443 from 10.0.0.0/8 }
      instance app-1 in app-a ip 10.0.10.10 sg app
      instance app-2 in app-b ip 10.0.11.10 sg app
      instance lim-1 in app-a ip 10.0.10.11 sg narrow
      instance pl-1  in app-a ip 10.0.10.12 sg s3only
      instance db-1  in db-a  ip 10.0.20.5  sg app
    }
    vpc shared {
      cidr 10.1.0.0/16
      subnet svc-a 10.1.0.0/24 az us-east-1a
      route-table sr main { route 10.0.0.0/16 -> prod-shared  route 52.216.0.0/15 -> prod-shared }
      instance svc-1 in svc-a ip 10.1.0.10
    }
    vpc spoke {
      cidr 10.2.0.0/16
      subnet sp-a 10.2.0.0/24 az us-east-1a
      route-table spr main { route 0.0.0.0/0 -> core }
      instance sp-1 in sp-a ip 10.2.0.10
    }
    peering prod-shared prod <-> shared
    transit-gateway core {
      attachment prod-att  vpc prod  subnets app-a
      attachment spoke-att vpc spoke subnets sp-a
      route-table rt {
        associate prod-att spoke-att
        propagate prod-att spoke-att
        route 0.0.0.0/0 -> prod-att
      }
    }
    """

    /// The endpoints: a gateway endpoint for S3 on the `private` table (not `db`), an interface endpoint for SSM in
    /// app-a (written address and ENI id) and app-b (picked address), and one for KMS with private DNS off.
    static let endpoints = """
      endpoint s3-gw gateway s3 route-tables private id vpce-s3
      endpoint ssm interface com.amazonaws.us-east-1.ssm subnets app-a app-b sg endpoints ip 10.0.10.50 enis eni-0ssma id vpce-ssm
      endpoint kms-ep interface kms subnets app-a sg endpoints private-dns off
    """

    static func network(_ markers: [String: String] = [:], endpoints: String = endpoints) -> CompiledTopology {
        var text = Self.text
        for key in ["PRIVATE", "NACL"] { text = text.replacing("{{\(key)}}", with: markers[key] ?? "") }
        return compile(text.replacing("{{ENDPOINTS}}", with: endpoints), file: "endpoints.vpc")
    }

    let c = network()
    static let s3Address = "52.216.1.1"

    func actions(_ hops: [Hop]) -> [StepAction] { hops.map(\.action) }

    // MARK: Gateway endpoints

    @Test func gatewayEndpointBeatsTheNATDefaultRoute() {
        // §10: the endpoint's prefix-list route counts at each entry's length (/15, /19), so it beats 0.0.0.0/0 -> nat-a.
        let v = c.query("app-1", Self.s3Address, "tcp/443")
        expectReachable(v)
        #expect(actions(v.forwardPath).contains(.toGatewayEndpoint(service: "s3")))
        #expect(!v.forwardPath.contains { $0.component.kind == .natGateway })
        #expect(v.forwardPath.last?.component == ComponentRef(kind: .vpcEndpoint, name: "s3-gw", awsID: "vpce-s3"))
        #expect(actions(v.returnPath).first == .fromGatewayEndpoint(service: "s3"))
        #expect(actions(v.returnPath).last == .delivered)
        #expect(v.notes.contains(ReachMessages.gatewayEndpointNote(service: "s3", endpoint: "s3-gw")))
        #expect(c.isReachable(from: resolved("app-1"), to: resolved(Self.s3Address), ipProtocol: 6, port: 443))
        // The second entry of the list too.
        expectReachable(c.query("app-2", "3.5.1.1", "tcp/443"))
    }

    @Test func routeDecisionShowsTheEndpointRoute() throws {
        let subnet = try #require(c.subnet(named: "app-a"))
        let d = c.routeDecision(subnet: subnet, address: try IPAddress(Self.s3Address))
        let chosen = try #require(d.chosen)
        #expect(chosen.prefix == .v4(try IPv4Prefix("52.216.0.0/15")))
        #expect(chosen.origin == .prefixList("s3"))
        guard case .gatewayEndpoint(let e) = chosen.target else { Issue.record("target: \(chosen.target)"); return }
        #expect(c.resolved.name(of: e) == "s3-gw")
        #expect(c.routeTargetName(chosen) == "s3-gw")
        #expect(c.egressRoute(fromInterface: try #require(c.interface(named: "app-1")), to: try IPAddress(Self.s3Address))
                == .gatewayEndpoint(e))
    }

    @Test func anEqualPrefixCIDRRouteBeatsTheEndpointRoute() {
        // §2: a CIDR route beats a prefix-list route of the same prefix.
        let n = Self.network(["PRIVATE": "route 52.216.0.0/15 -> nat-a"])
        let v = n.query("app-1", Self.s3Address, "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.kind == .natGateway })
        #expect(!actions(v.forwardPath).contains(.toGatewayEndpoint(service: "s3")))
        // The other entry still goes through the endpoint.
        #expect(actions(n.query("app-1", "3.5.1.1", "tcp/443").forwardPath).contains(.toGatewayEndpoint(service: "s3")))
    }

    @Test func aTableWithoutTheEndpointRouteGoesTheUsualWay() {
        // §10: traffic to the service's CIDRs from a table without the endpoint route goes through the NAT gateway.
        let v = c.query("db-1", Self.s3Address, "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.kind == .natGateway })
        // Naming the endpoint asks for the path through it: db's table does not send S3 there.
        let named = c.query("db-1", "s3-gw", "tcp/443")
        expectBlocked(named, .noRouteToDestination, .forward, at: "s3-gw")
        #expect(named.explanation?.detail == .vpcEndpoint(endpoint: "s3-gw", service: "s3", problem: .notRoutedThroughEndpoint))
        // Naming the service asks for the service, whichever way.
        expectReachable(c.query("db-1", "s3", "tcp/443"))
    }

    @Test func thePeeredVPCDoesNotUseTheEndpoint() {
        // §10: only traffic that starts in the endpoint's VPC uses it; a peering carries only addresses of the VPCs.
        expectBlocked(c.query("svc-1", Self.s3Address, "tcp/443"), .pcxRequiresAddressInVPCCIDR, .forward, at: "prod-shared")
    }

    @Test func trafficFromATransitGatewayDoesNotUseTheEndpoint() {
        // §10: traffic arriving over a TGW cannot use a gateway endpoint (AWS drops it there).
        let v = c.query("sp-1", Self.s3Address, "tcp/443")
        expectBlocked(v, .noPath, .forward, at: "s3-gw")
        #expect(v.explanation?.detail == .vpcEndpoint(endpoint: "s3-gw", service: "s3", problem: .sourceOutsideVPC))
        #expect(!c.isReachable(from: resolved("sp-1"), to: resolved(Self.s3Address), ipProtocol: 6, port: 443))
    }

    @Test func securityGroupEgressMustAdmitThePrefixList() {
        // §10: no SG of its own; the instance's egress rules must admit the service (its prefix list or CIDRs).
        expectBlocked(c.query("lim-1", Self.s3Address, "tcp/443"), .eniSGRulesMismatch, .forward)
        expectReachable(c.query("pl-1", Self.s3Address, "tcp/443"))
        expectBlocked(c.query("pl-1", Self.s3Address, "tcp/80"), .eniSGRulesMismatch, .forward)
    }

    @Test func udpToS3IsBlockedAndEchoPasses() {
        // §12 VPCE_GATEWAY_PROTOCOL_RESTRICTION: TCP and ICMP echo only.
        let v = c.query("app-1", Self.s3Address, "udp/443")
        expectBlocked(v, .vpceGatewayProtocolRestriction, .forward, at: "s3-gw")
        #expect(v.explanation?.detail == .vpcEndpoint(endpoint: "s3-gw", service: "s3", problem: .protocolNotCarried))
        #expect(!c.isReachable(from: resolved("app-1"), to: resolved(Self.s3Address), ipProtocol: 17, port: 443))
        expectReachable(c.query("app-1", Self.s3Address, "icmp"))
    }

    @Test func theSubnetNACLMustAdmitTheServiceBothWays() {
        // §10: replies come from the service's addresses, through the subnet's inbound NACL.
        let n = Self.network(["NACL": """
            network-acl app-nacl {
              associate app-a
              inbound  100 deny  all from 52.216.0.0/15
              inbound  200 allow all from 0.0.0.0/0
              outbound 100 allow all to 0.0.0.0/0
            }
            """])
        expectBlocked(n.query("app-1", Self.s3Address, "tcp/443"), .subnetACLRestriction, .return, at: "app-nacl")
        expectReachable(n.query("app-1", "3.5.1.1", "tcp/443"))
    }

    @Test func theEndpointByNameIdAndService() {
        for name in ["s3-gw", "vpce-s3", "s3", "com.amazonaws.us-east-1.s3"] {
            let v = c.query("app-1", name, "tcp/443")
            expectReachable(v)
            #expect(actions(v.forwardPath).contains(.toGatewayEndpoint(service: "s3")), "\(name)")
        }
    }

    @Test func theServiceNeverInitiates() {
        let v = c.query("s3-gw", "app-1", "tcp/443")
        expectBlocked(v, .noPath, .forward, at: "s3-gw")
        #expect(v.explanation?.detail == .vpcEndpoint(endpoint: "s3-gw", service: "s3", problem: .serviceInitiates))
    }

    @Test func aGatewayEndpointWithoutItsPrefixListIsAnError() {
        // Validation reports it in a file (`pl:dynamodb` missing); an import or a model built in code still gets an
        // error, never an answer.
        var t = Self.network(endpoints: "").topology
        t.vpcs[0].endpoints = [VPCEndpoint(name: "ddb", kind: .gateway, service: "dynamodb", routeTables: ["private"])]
        let n = CompiledTopology(t)
        guard case .failure(let e) = n.resolve("ddb") else { Issue.record("resolved"); return }
        #expect(e.message.contains("pl:dynamodb"))
    }

    // MARK: Interface endpoints

    @Test func interfaceEndpointENIs() throws {
        let enis = c.interfaces(ofEndpoint: try #require(c.resolved.vpcEndpoints(named: "ssm").first))
        #expect(enis.map { c.interfaces[$0.position].name } == ["ssm@app-a", "ssm@app-b"])
        #expect(enis.map { c.interfaces[$0.position].primaryIP } == [IPv4Address(10, 0, 10, 50), IPv4Address(10, 0, 11, 254)])
        #expect(enis.map { c.interfaces[$0.position].awsID } == ["eni-0ssma", nil])
        #expect(c.invariantViolations().isEmpty)
    }

    @Test func interfaceEndpointInTheVPCUsesTheSourcesZone() {
        // §10 [choice]: the service name resolves (private DNS) to the ENI in the source's AZ.
        for name in ["ssm", "vpce-ssm", "com.amazonaws.us-east-1.ssm"] {
            let a = c.query("app-1", name, "tcp/443")
            expectReachable(a)
            #expect(a.forwardPath.last?.component.name == "ssm@app-a", "\(name)")
            let b = c.query("app-2", name, "tcp/443")
            expectReachable(b)
            #expect(b.forwardPath.last?.component.name == "ssm@app-b", "\(name)")
        }
        // An ENI by name, by id and by address.
        expectReachable(c.query("app-2", "ssm@app-a", "tcp/443"))
        expectReachable(c.query("app-2", "eni-0ssma", "tcp/443"))
        expectReachable(c.query("app-1", "10.0.11.254", "tcp/443"))
    }

    @Test func interfaceEndpointSecurityGroupsDecide() {
        let v = c.query("app-1", "ssm", "tcp/22")
        expectBlocked(v, .eniSGRulesMismatch, .forward)
        #expect(v.explanation?.component.kind == .securityGroup)
    }

    @Test func interfaceEndpointOverPeeringAndTransitGateway() {
        // §10: reachable over peering and TGW (unlike gateway endpoints).
        let peered = c.query("svc-1", "ssm", "tcp/443")
        expectReachable(peered)
        #expect(peered.forwardPath.contains { $0.component.kind == .peering })
        let overTGW = c.query("sp-1", "ssm", "tcp/443")
        expectReachable(overTGW)
        #expect(overTGW.forwardPath.contains { $0.component.kind == .tgwRouteTable })
        #expect(c.isReachable(from: resolved("sp-1"), to: resolved("ssm"), ipProtocol: 6, port: 443))
    }

    @Test func anInterfaceEndpointNeverInitiates() {
        // §12: VPCE_INTRA_VPC_TRAFFIC into its own VPC, NO_PATH elsewhere.
        let v = c.query("ssm", "app-1", "tcp/443")
        expectBlocked(v, .vpceIntraVPCTraffic, .forward, at: "ssm")
        #expect(v.explanation?.detail == .vpcEndpoint(endpoint: "ssm", service: "ssm", problem: .endpointInitiates))
        expectBlocked(c.query("ssm@app-b", "svc-1", "tcp/443"), .noPath, .forward, at: "ssm")
        expectBlocked(c.query("10.0.10.50", "app-1", "tcp/443"), .vpceIntraVPCTraffic, .forward, at: "ssm")
        #expect(!c.isReachable(from: resolved("ssm"), to: resolved("app-1"), ipProtocol: 6, port: 443))
    }

    @Test func privateDNSOffKeepsTheServiceNameOff() {
        guard case .failure(let e) = c.resolve("kms") else { Issue.record("'kms' resolved"); return }
        #expect(e.message.contains("private DNS is off"))
        #expect(e.message.contains("kms-ep"))
        expectReachable(c.query("app-1", "kms-ep", "tcp/443"))
    }

    @Test func openPortsToEndpoints() {
        func ports(_ from: String, _ to: String) -> [String: PortSet] {
            Dictionary(uniqueKeysWithValues: c.openPorts(from: resolved(from), to: resolved(to)).map { ($0.traffic, $0.ports) })
        }
        let ssm = ports("app-1", "ssm")
        #expect(ssm["tcp"] == PortSet(port: 443))
        #expect(ssm["udp"] == .empty)
        let s3 = ports("app-1", "s3-gw")
        #expect(s3["tcp"] == .all)
        #expect(s3["udp"] == .empty)
        #expect(s3["icmp"] == .all)
    }

    @Test func blockersThroughEndpoints() {
        let sg = c.blockers(from: resolved("lim-1"), to: resolved(Self.s3Address), traffic: traffic("tcp/443"))
        #expect(sg.map(\.explanation.code) == [.eniSGRulesMismatch])
        let toENI = c.blockers(from: resolved("app-1"), to: resolved("ssm"), traffic: traffic("tcp/22"))
        #expect(toENI.map(\.explanation.code) == [.eniSGRulesMismatch])
        #expect(toENI.first?.explanation.component.kind == .securityGroup)
        #expect(c.blockers(from: resolved("ssm"), to: resolved("app-1"), traffic: traffic("tcp/443")).isEmpty)
    }

    @Test func assertsThroughEndpoints() {
        let n = compile(Self.text.replacing("{{PRIVATE}}", with: "").replacing("{{NACL}}", with: "")
            .replacing("{{ENDPOINTS}}", with: Self.endpoints) + """

            assert reach app-1 -> s3-gw tcp/443
            assert reach app-1 -> s3 tcp/443
            assert reach app-2 -> com.amazonaws.us-east-1.ssm tcp/443
            assert noreach app-1 -> s3-gw udp/443
            assert noreach db-1 -> s3-gw tcp/443
            assert reach sp-1 -> ssm tcp/443
            assert noreach ssm -> app-1 tcp/443
            """, file: "asserts.vpc")
        let results = n.evaluateAssertions()
        #expect(results.count == 7)
        #expect(results.filter { !$0.holds }.isEmpty, "\(results.compactMap(\.failureMessage))")
        #expect(results.allSatisfy { $0.endpointError == nil })
    }

    @Test func interfaceEndpointOverVPNAndNotTheGatewayEndpoint() throws {
        // §10: interface endpoints are reachable over VPN and Direct Connect; gateway endpoints are not.
        let n = compile(try #require(repositoryFile("Topologies/edges.vpc")), file: "edges.vpc")
        let v = n.query("office-vpn:192.168.1.10", "ssm", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.last?.component.kind == .vpcEndpoint)
        #expect(!n.query("office-vpn:192.168.1.10", "s3-gw", "tcp/443").isReachable)
        #expect(!n.query("office-vpn:192.168.1.10", "52.216.1.1", "tcp/443").isReachable)
    }

    // MARK: Without endpoints, nothing changes

    @Test func withoutEndpointsTheServiceAddressesGoThroughTheNAT() {
        let n = Self.network(endpoints: "")
        let v = n.query("app-1", Self.s3Address, "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.kind == .natGateway })
        expectReachable(n.query("app-1", Self.s3Address, "udp/443"))
        #expect(n.interfaces.count + 3 == c.interfaces.count)
    }

    func resolved(_ text: String) -> ResolvedEndpoint {
        switch c.resolve(text) {
        case .success(let e): return e
        case .failure(let e):
            Issue.record("\(text): \(e)")
            return .internet(.v4(IPv4Address(203, 0, 113, 7)))
        }
    }
}

/// Found by the reference walker (Tests/ReachabilityTests/Reference/DISAGREEMENTS.md, issue 18): an interface
/// endpoint carries TCP only (PrivateLink, §10 [choice]); ICMP or UDP to its ENI was reachable.
@Suite struct InterfaceEndpointProtocolTests {
    static let text = """
    vpc v {
      cidr 10.0.0.0/16
      subnet a 10.0.0.0/24 az us-east-1a
      subnet b 10.0.1.0/24 az us-east-1b
      endpoint ssm interface com.amazonaws.us-east-1.ssm subnets a b sg open ip 10.0.0.70 10.0.1.71
      security-group open {
        ingress all from 0.0.0.0/0
      }
      instance x in b ip 10.0.1.10
    }
    """

    @Test(arguments: [("icmp/8", 1 as UInt8, 8 as UInt16), ("udp/53", 17, 53), ("tcp/443", 6, 443)])
    func onlyTCPReachesAnInterfaceEndpoint(_ traffic: String, _ proto: UInt8, _ port: UInt16) throws {
        let (t, d) = TopologyLoader.load(Self.text, file: "ie.vpc")
        #expect(!d.contains { $0.severity == .error })
        let c = CompiledTopology(t)
        let spec = TrafficSpec(ipProtocol: .number(proto), port: port)
        for dst in [Endpoint.named("ssm"), .address(try IPAddress("10.0.0.70"))] {
            guard case .success(let v) = c.reachQuery(from: .named("x"), to: dst, traffic: spec, sourcePort: 40000) else {
                Issue.record("query failed"); continue
            }
            #expect(v.isReachable == (traffic == "tcp/443"), "\(traffic) to \(dst)")
            if traffic != "tcp/443" {
                #expect(v.explanation?.code == .protocolRestriction)
                #expect(v.explanation?.detail == .vpcEndpoint(endpoint: "ssm", service: "ssm", problem: .interfaceCarriesTCPOnly))
            }
        }
    }
}
