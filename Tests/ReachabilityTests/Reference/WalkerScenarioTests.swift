import IPAddressing
import NetworkModel
import Testing

/// The reference walker on its own: Docs/AWS-BEHAVIOUR.md §13's worked scenarios, the contract's assertions and
/// the rules the comparison relies on, so that the walker itself is checked (not only its agreement with
/// production).
@Suite struct WalkerScenarioTests {
    static func endpoint(_ s: String) -> ReferenceWalker.QueryEndpoint {
        if s == "internet" { return .internet(.v4(IPv4Address(203, 0, 113, 7))) }
        if s.hasPrefix("internet:"), let a = try? IPAddress(String(s.dropFirst(9))) { return .internet(a) }
        if let a = try? IPAddress(s) { return .address(a) }
        return .interface(s)
    }

    static func walk(_ text: String, _ from: String, _ to: String, _ traffic: String, sourcePort: UInt16 = 40000,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ReferenceWalker.Answer {
        let (t, diagnostics) = TopologyLoader.load(text, file: "scenario.vpc")
        for d in diagnostics where d.severity == .error { Issue.record("DSL error: \(d.rendered)", sourceLocation: sourceLocation) }
        let parts = traffic.split(separator: "/")
        let proto: UInt8 = switch parts[0] { case "tcp": 6; case "udp": 17; case "icmp": 1; case "icmpv6": 58; default: 47 }
        let port = parts.count > 1 ? UInt16(parts[1]) ?? 0 : (proto == 1 ? 8 : 0)
        return ReferenceWalker(t).answer(ReferenceWalker.Query(source: endpoint(from), destination: endpoint(to), proto: proto,
                                                               port: port, sourcePort: sourcePort))
    }

    static func expectBlocked(_ a: ReferenceWalker.Answer, _ code: String, _ direction: String,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!a.reachable, "expected not reachable\n\(a.trace.joined(separator: "\n"))", sourceLocation: sourceLocation)
        #expect(a.code == code && a.direction == direction, "got \(a.code) (\(a.direction))", sourceLocation: sourceLocation)
    }
    static func expectReachable(_ a: ReferenceWalker.Answer, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(a.reachable, "expected reachable, got \(a.code) (\(a.direction))\n\(a.trace.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    @Test func contractAssertions() {
        let text = Fixture.prod()
        Self.expectReachable(Self.walk(text, "app-1", "db-1", "tcp/5432"))
        Self.expectBlocked(Self.walk(text, "web-1", "db-1", "tcp/5432"), "ENI_SG_RULES_MISMATCH", "forward")
        #expect(!Self.walk(text, "internet", "db-1", "tcp/5432").reachable)
        Self.expectReachable(Self.walk(text, "db-1", "internet", "tcp/443"))
        Self.expectReachable(Self.walk(text, "internet", "web-1", "tcp/443"))
    }

    @Test func scenario1MissingReturnRoute() {
        Self.expectBlocked(Self.walk(Fixture.prod(), "app-1", "svc-1", "tcp/443"), "NO_ROUTE_TO_DESTINATION", "return")
    }

    static let nacl2 = """
    network-acl w { associate public-a
      inbound 100 allow tcp 443 from 0.0.0.0/0
      outbound 100 allow tcp 443 to 0.0.0.0/0
      {{MORE}} }
    """

    @Test func scenario2NACLWithoutEphemeralRange() {
        let without = Fixture.prod(["PROD_EXTRA": Self.nacl2.replacing("{{MORE}}", with: "")])
        Self.expectBlocked(Self.walk(without, "internet", "web-1", "tcp/443"), "SUBNET_ACL_RESTRICTION", "return")
        let with = Fixture.prod(["PROD_EXTRA": Self.nacl2.replacing("{{MORE}}", with: "outbound 110 allow tcp 32768-60999 to 0.0.0.0/0")])
        Self.expectReachable(Self.walk(with, "internet", "web-1", "tcp/443", sourcePort: 40000))
        Self.expectBlocked(Self.walk(with, "internet", "web-1", "tcp/443", sourcePort: 1024), "SUBNET_ACL_RESTRICTION", "return")
        Self.expectBlocked(Self.walk(with, "internet", "web-1", "tcp/443", sourcePort: 61000), "SUBNET_ACL_RESTRICTION", "return")
    }

    @Test func scenario3SGAllowsNACLDenies() {
        let text = Fixture.prod(["DB_NACL": "inbound 90 deny tcp 5432 from 10.0.10.0/24"])
        Self.expectBlocked(Self.walk(text, "app-1", "db-1", "tcp/5432"), "SUBNET_ACL_RESTRICTION", "forward")
    }

    @Test func scenario4NonTransitivePeering() {
        let text = Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.2.0.0/16 -> prod-shared",
            "EXTRA": "vpc c { cidr 10.2.0.0/16  subnet c-a 10.2.0.0/24 az us-east-1a  instance c-1 in c-a ip 10.2.0.10 }\npeering shared-c shared <-> c",
        ])
        Self.expectBlocked(Self.walk(text, "app-1", "c-1", "tcp/443"), "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "forward")
    }

    @Test func scenario5NATGatewayInAPrivateSubnet() {
        let text = Fixture.prod(["NAT": "nat-gateway nat-a in app-a eip 54.10.0.1"])
        Self.expectBlocked(Self.walk(text, "db-1", "internet", "tcp/443"), "NO_ROUTE_TO_DESTINATION", "forward")
    }

    @Test func scenario6IGWRouteWithoutPublicIP() {
        let text = Fixture.prod(["PROD_EXTRA": "instance web-2 in public-a ip 10.0.0.11 public-ip none sg web"])
        Self.expectBlocked(Self.walk(text, "web-2", "internet", "tcp/443"), "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "forward")
        Self.expectBlocked(Self.walk(text, "internet", "web-2", "tcp/443"), "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "forward")
    }

    @Test func scenario7TGWAttachmentWithoutAssociation() {
        let text = Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core\n    route 10.2.0.0/16 -> core",
            "SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> core }",
            "TGW": "transit-gateway core {\n attachment a vpc prod subnets app-a\n attachment b vpc shared subnets svc-a\n route-table t { associate a propagate a b }\n}",
        ])
        Self.expectBlocked(Self.walk(text, "app-1", "svc-1", "tcp/443"), "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "return")
    }

    @Test func scenario8Blackhole() {
        let text = Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.0.0.0/8 -> core\n    route 10.99.0.0/16 -> core"])
        Self.expectBlocked(Self.walk(text, "app-1", "10.9.1.1", "tcp/443"), "BAD_STATE_ROUTE", "forward")
        Self.expectBlocked(Self.walk(text, "app-1", "10.99.1.1", "tcp/443"), "TGW_RTB_BAD_STATE_ROUTE", "forward")
    }

    @Test func scenario9AsymmetricTGWPath() {
        Self.expectBlocked(Self.walk(WorkedScenarioTests.inspection(applianceMode: false), "client-1", "server-1", "tcp/443"),
                           "TGW_ATTACH_VPC_AZ_RESTRICTION", "return")
        Self.expectReachable(Self.walk(WorkedScenarioTests.inspection(applianceMode: true), "client-1", "server-1", "tcp/443"))
    }

    @Test func scenario10MoreSpecificWins() {
        let text = Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.1.5.0/24 -> core"])
        let a = Self.walk(text, "app-1", "10.1.5.9", "tcp/443")
        #expect(a.trace.contains { $0.contains("10.1.5.0/24 -> tgw") })
        let b = Self.walk(text, "app-1", "svc-1", "tcp/443")
        #expect(b.trace.contains { $0.contains("10.1.0.0/16 -> pcx") })
    }

    // The rules of issue 14 the walker encodes (see DISAGREEMENTS.md for production's current answers).

    @Test func addressesNoInterfaceHoldsAreDropped() {
        let text = Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }"])
        Self.expectReachable(Self.walk(text, "app-1", "svc-1", "tcp/443"))
        Self.expectBlocked(Self.walk(text, "app-1", "10.1.0.77", "tcp/443"), "NO_POSSIBLE_DESTINATION", "forward")  // unused
        Self.expectBlocked(Self.walk(text, "app-1", "10.1.0.255", "tcp/443"), "NO_POSSIBLE_DESTINATION", "forward")  // broadcast
        Self.expectBlocked(Self.walk(text, "app-1", "10.0.0.1", "tcp/443"), "NO_POSSIBLE_DESTINATION", "forward")  // router
    }

    @Test func publicAddressesGoThroughTheInternetGateway() {
        let text = Fixture.prod()
        // web-3 (map-public-ip) → web-1's public IP: out through the IGW from web-3's public address, back in.
        Self.expectReachable(Self.walk(text, "web-3", "54.1.2.3", "tcp/443"))
        // app-1 has no public IP but routes 0/0 to nat-a: arrives from the NAT gateway's EIP.
        Self.expectReachable(Self.walk(text, "app-1", "54.1.2.3", "tcp/443"))
        // Over the peering a public address is dropped: svc-1's table has no way to the internet.
        let peer = Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 0.0.0.0/0 -> prod-shared }"])
        Self.expectBlocked(Self.walk(peer, "svc-1", "54.1.2.3", "tcp/443"), "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "forward")
    }

    @Test func natGatewayOnTheReplyPathBreaksTheConnection() {
        // b's replies to a go through the NAT gateway (a more-specific-than-local route): rewritten, connection fails.
        let simple = """
        vpc v { cidr 10.0.0.0/16
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1a
          subnet n 10.0.3.0/24 az us-east-1a
          nat-gateway nat in n private ip 10.0.3.200
          route-table rb { associate b  route 10.0.1.0/24 -> nat }
          security-group open { ingress all from 10.0.0.0/8 }
          instance x in a ip 10.0.1.10 sg open
          instance y in b ip 10.0.2.10 sg open
        }
        """
        Self.expectBlocked(Self.walk(simple, "x", "y", "tcp/443"), "NGW_SOURCE_ADDRESS_REASSIGN", "return")
        // From b the request itself goes through the NAT gateway and works (x sees the NAT's address).
        Self.expectReachable(Self.walk(simple, "y", "x", "tcp/443"))
    }

    @Test func nat64TranslatesToIPv4() {
        let text = """
        vpc v { cidr 10.0.0.0/16
          ipv6 2600:1f18:1:100::/56
          internet-gateway igw
          subnet pub 10.0.0.0/24 az us-east-1a
          subnet app 10.0.1.0/24 az us-east-1a ipv6 2600:1f18:1:100::/64
          nat-gateway nat in pub eip 52.0.0.1 ip 10.0.0.200
          route-table rp { associate pub  route 0.0.0.0/0 -> igw }
          route-table ra { associate app  route 64:ff9b::/96 -> nat }
          instance x in app ip 10.0.1.10 ipv6 2600:1f18:1:100::10
        }
        """
        Self.expectReachable(Self.walk(text, "x", "64:ff9b::cb00:7107", "tcp/443"))
        Self.expectBlocked(Self.walk(text, "x", "internet:2606:4700::1", "tcp/443"), "NO_ROUTE_TO_DESTINATION", "forward")
    }

    @Test func securityGroupReferencesFollowThePath() {
        let text = """
        vpc a { cidr 10.1.0.0/16
          subnet a1 10.1.0.0/24 az us-east-1a
          route-table ra main { route 10.2.0.0/16 -> t }
          security-group ga { ingress all from 10.0.0.0/8 }
          instance x in a1 ip 10.1.0.10 sg ga
        }
        vpc b { cidr 10.2.0.0/16
          subnet b1 10.2.0.0/24 az us-east-1a
          route-table rb main { route 10.1.0.0/16 -> t }
          security-group gb { ingress tcp 443 from sg ga }
          instance y in b1 ip 10.2.0.10 sg gb
        }
        peering ab a <-> b
        transit-gateway t {
          attachment ta vpc a subnets a1
          attachment tb vpc b subnets b1
          route-table tr { associate ta tb  propagate ta tb }
        }
        """
        // Peered, but the packet takes the TGW, which has no sg-referencing: the reference does not match.
        Self.expectBlocked(Self.walk(text, "x", "y", "tcp/443"), "ENI_SG_RULES_MISMATCH", "forward")
        Self.expectReachable(Self.walk(text.replacing("transit-gateway t {", with: "transit-gateway t sg-referencing {"), "x", "y", "tcp/443"))
        // By the peering it matches.
        let peered = text.replacing("route 10.2.0.0/16 -> t", with: "route 10.2.0.0/16 -> ab").replacing("route 10.1.0.0/16 -> t", with: "route 10.1.0.0/16 -> ab")
        Self.expectReachable(Self.walk(peered, "x", "y", "tcp/443"))
    }

    /// The reproductions of DISAGREEMENTS.md: the walker gives the expected (AWS) verdict on each.
    static let reproductions: [String: String] = [
        "r1": """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1a
          instance x in a ip 10.0.1.10
        }
        """,
        "r2": """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24 az us-east-1a
          instance x in a ip 10.0.1.10
          instance y in a ip 10.0.1.11 public-ip 54.0.0.11
        }
        """,
        "r2b": """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet a 10.0.1.0/24 az us-east-1a
          route-table r main { route 0.0.0.0/0 -> igw }
          instance x in a ip 10.0.1.10 public-ip 54.0.0.10
          instance y in a ip 10.0.1.11 public-ip 54.0.0.11
        }
        """,
        "r3": """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet a 10.0.1.0/24 az us-east-1a
          route-table r main { route 0.0.0.0/0 -> igw }
          security-group open { ingress all from 0.0.0.0/0 }
          instance y in a ip 10.0.1.11 public-ip 54.0.0.11 sg open
        }
        """,
        "r4": """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1a
          subnet n 10.0.3.0/24 az us-east-1a
          nat-gateway nat in n private ip 10.0.3.200
          route-table rb { associate b  route 10.0.1.0/24 -> nat }
          security-group open { ingress all from 10.0.0.0/8 }
          instance x in a ip 10.0.1.10 sg open
          instance y in b ip 10.0.2.10 sg open
        }
        """,
        "r5": """
        vpc v {
          cidr 10.0.0.0/16
          ipv6 2600:1f18:1:100::/56
          internet-gateway igw
          subnet pub 10.0.0.0/24 az us-east-1a
          subnet app 10.0.1.0/24 az us-east-1a ipv6 2600:1f18:1:100::/64
          nat-gateway nat in pub eip 52.0.0.1 ip 10.0.0.200
          route-table rp { associate pub  route 0.0.0.0/0 -> igw }
          route-table ra { associate app  route 64:ff9b::/96 -> nat }
          instance x in app ip 10.0.1.10 ipv6 2600:1f18:1:100::10
        }
        """,
        "r6": """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1a
          route-table ra { associate a  route 10.0.2.0/24 -> fw }
          security-group client { ingress all from 10.0.0.0/8 }
          security-group fwg { ingress all from 10.0.0.0/8 }
          security-group srv { ingress tcp 443 from sg client  ingress tcp 8443 from sg fwg }
          instance x in a ip 10.0.1.10 sg client
          instance fw in b ip 10.0.2.50 sg fwg source-dest-check off
          instance y in b ip 10.0.2.10 sg srv
        }
        """,
        "r7": """
        vpc a {
          cidr 10.1.0.0/16
          subnet a1 10.1.0.0/24 az us-east-1a
          route-table ra main { route 10.2.0.0/16 -> t }
          security-group ga { ingress all from 10.0.0.0/8 }
          instance x in a1 ip 10.1.0.10 sg ga
        }
        vpc b {
          cidr 10.2.0.0/16
          subnet b1 10.2.0.0/24 az us-east-1a
          route-table rb main { route 10.1.0.0/16 -> t }
          security-group gb { ingress tcp 443 from sg ga }
          instance y in b1 ip 10.2.0.10 sg gb
        }
        peering ab a <-> b
        transit-gateway t {
          attachment ta vpc a subnets a1
          attachment tb vpc b subnets b1
          route-table tr { associate ta tb  propagate ta tb }
        }
        """,
        "r8": """
        vpc a {
          cidr 10.1.0.0/16
          ipv6 2600:1f18:1:100::/56
          egress-only-gateway e
          subnet a1 10.1.0.0/24 az us-east-1a ipv6 2600:1f18:1:100::/64
          route-table ra main { route ::/0 -> e }
          security-group ga { ingress all from 10.0.0.0/8 }
          instance x in a1 ip 10.1.0.10 ipv6 2600:1f18:1:100::10 sg ga
        }
        vpc b {
          cidr 10.2.0.0/16
          ipv6 2600:1f18:1:200::/56
          internet-gateway igw
          subnet b1 10.2.0.0/24 az us-east-1a ipv6 2600:1f18:1:200::/64
          route-table rb main { route ::/0 -> igw }
          security-group gb { ingress tcp 443 from sg ga }
          instance y in b1 ip 10.2.0.10 ipv6 2600:1f18:1:200::10 sg gb
        }
        peering ab a <-> b
        """,
    ]

    @Test func disagreementReproductionsGiveTheAWSVerdict() {
        let r = Self.reproductions
        #expect(Self.walk(r["r1"] ?? "", "x", "10.0.2.77", "tcp/443").code == "NO_POSSIBLE_DESTINATION")
        #expect(Self.walk(r["r1"] ?? "", "x", "10.0.2.255", "tcp/443").code == "NO_POSSIBLE_DESTINATION")
        #expect(Self.walk(r["r2"] ?? "", "x", "54.0.0.11", "tcp/443").code == "NO_ROUTE_TO_DESTINATION")
        #expect(Self.walk(r["r2b"] ?? "", "x", "54.0.0.11", "tcp/443").code == "ENI_SG_RULES_MISMATCH")
        #expect(Self.walk(r["r3"] ?? "", "internet:198.51.100.7", "10.0.1.11", "tcp/443").code == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")
        #expect(Self.walk(r["r4"] ?? "", "x", "y", "tcp/443").code == "NGW_SOURCE_ADDRESS_REASSIGN")
        Self.expectReachable(Self.walk(r["r5"] ?? "", "x", "64:ff9b::cb00:7107", "tcp/443"))
        #expect(Self.walk(r["r6"] ?? "", "x", "y", "tcp/443").code == "ENI_SG_RULES_MISMATCH")
        Self.expectReachable(Self.walk(r["r6"] ?? "", "x", "y", "tcp/8443"))
        #expect(Self.walk(r["r7"] ?? "", "x", "y", "tcp/443").code == "ENI_SG_RULES_MISMATCH")
        #expect(Self.walk(r["r8"] ?? "", "x", "2600:1f18:1:200::10", "tcp/443").code == "ENI_SG_RULES_MISMATCH")
    }

    static let issue16 = """
    vpc a {
      cidr 10.1.0.0/16
      subnet a1 10.1.0.0/24 az us-east-1a
      subnet a2 10.1.1.0/24 az us-east-1a
      route-table ra main { route 10.2.0.0/16 -> ab  route 10.2.5.0/24 -> unmodelled vgw-0a  {{ROUTES}} }
      security-group open { ingress all from 0.0.0.0/0 }
      {{DEFAULTS}}
      instance x in a1 ip 10.1.0.10
      instance w in a2 ip 10.1.1.10 sg open
    }
    vpc b {
      cidr 10.2.0.0/16
      subnet b1 10.2.1.0/24 az us-east-1a
      subnet b5 10.2.5.0/24 az us-east-1a
      route-table rb main { route 10.1.0.0/16 -> ab  {{BROUTES}} }
      security-group gb { ingress all from 10.0.0.0/8 }
      instance y in b1 ip 10.2.1.10 sg gb
      instance z in b5 ip 10.2.5.10 sg gb
    }
    peering ab a <-> b
    """

    static func issue16(_ defaults: String, routes: String = "", bRoutes: String = "") -> String {
        issue16.replacing("{{DEFAULTS}}", with: defaults).replacing("{{ROUTES}}", with: routes).replacing("{{BROUTES}}", with: bRoutes)
    }

    @Test func declaredDefaultGroupIsHeldByInterfacesWithoutSG() {
        let marked = Self.issue16("security-group base default { ingress tcp 22 from 10.1.0.0/16 }")
        Self.expectReachable(Self.walk(marked, "w", "x", "tcp/22"))
        Self.expectBlocked(Self.walk(marked, "w", "x", "tcp/80"), "ENI_SG_RULES_MISMATCH", "forward")
        #expect(Self.walk(marked, "w", "x", "tcp/22").checkedDeclaredDefaultGroup)
        // Unmarked, `base` is a plain group: x holds the implied default group (all from its own members).
        let unmarked = Self.issue16("security-group base { ingress tcp 22 from 10.1.0.0/16 }")
        Self.expectBlocked(Self.walk(unmarked, "w", "x", "tcp/22"), "ENI_SG_RULES_MISMATCH", "forward")
        #expect(!Self.walk(unmarked, "w", "x", "tcp/22").checkedDeclaredDefaultGroup)
        // A group named `default` without the marker is the default group, as before the marker.
        Self.expectReachable(Self.walk(Self.issue16("security-group default { ingress tcp 22 from 10.1.0.0/16 }"), "w", "x", "tcp/22"))
        // Its egress: `egress none` stops x's requests.
        let locked = Self.issue16("security-group base default { ingress all from sg base  egress none }")
        Self.expectBlocked(Self.walk(locked, "x", "w", "tcp/22"), "ENI_SG_RULES_MISMATCH", "forward")
    }

    @Test func declaredDefaultNACLCoversSubnetsWithoutAnAssociation() {
        let nacl = """
        network-acl d default { inbound 100 deny tcp 22 from 0.0.0.0/0  inbound 200 allow all from 0.0.0.0/0
          outbound 100 allow all to 0.0.0.0/0 }
        network-acl n2 { associate a2  inbound 100 allow all from 0.0.0.0/0  outbound 100 allow all to 0.0.0.0/0 }
        security-group base default { ingress all from 10.0.0.0/8 }
        """
        let t = Self.issue16(nacl)
        // a1 has no association: the declared default NACL denies tcp/22 in; a2 is associated with n2.
        Self.expectBlocked(Self.walk(t, "w", "x", "tcp/22"), "SUBNET_ACL_RESTRICTION", "forward")
        #expect(Self.walk(t, "w", "x", "tcp/22").checkedDeclaredDefaultNACL)
        Self.expectReachable(Self.walk(t, "w", "x", "tcp/443"))
        Self.expectReachable(Self.walk(t, "x", "w", "tcp/22"))
        // Its own `associate` line associates explicitly: a2 then uses it too.
        let own = Self.issue16(nacl.replacing("network-acl n2 { associate a2", with: "network-acl n2 {")
            .replacing("network-acl d default {", with: "network-acl d default { associate a2"))
        Self.expectBlocked(Self.walk(own, "x", "w", "tcp/22"), "SUBNET_ACL_RESTRICTION", "forward")
    }

    @Test func unmodelledTargetsAreNeverReachable() {
        let t = Self.issue16("security-group base default { ingress all from 10.0.0.0/8 }")
        // 10.2.5.0/24 -> unmodelled wins over the peering's /16; 10.2.1.0/24 still goes through the peering.
        Self.expectBlocked(Self.walk(t, "x", "z", "tcp/443"), "UNSUPPORTED_COMPONENT", "forward")
        Self.expectReachable(Self.walk(t, "x", "y", "tcp/443"))
        // A more specific route elsewhere beats it; an unmodelled route on the reply path stops the reply.
        Self.expectReachable(Self.walk(Self.issue16("", routes: "route 10.2.5.10/32 -> ab"), "x", "z", "tcp/443"))
        Self.expectBlocked(Self.walk(Self.issue16("", bRoutes: "route 10.1.0.0/24 -> unmodelled vpce-0b"), "x", "y", "tcp/443"),
                           "UNSUPPORTED_COMPONENT", "return")
        // The default route to a VGW: the internet is not reachable through it.
        Self.expectBlocked(Self.walk(Self.issue16("", routes: "route 0.0.0.0/0 -> unmodelled vgw-0a"), "x", "internet", "tcp/443"),
                           "UNSUPPORTED_COMPONENT", "forward")
    }
}
