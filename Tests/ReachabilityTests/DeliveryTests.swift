import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// No false "reachable": a packet is delivered only to an interface that holds its destination address, public
/// addresses are reached through the internet, and the rewrites of NAT gateways, appliances and transit gateways
/// are not transparent (issue 14, Docs/AWS-BEHAVIOUR.md §0, §3, §4, §6, §7, §9).
@Suite struct DeliveryTests {
    let base = compile(Fixture.prod())

    // MARK: Addresses no interface holds

    @Test func unusedAddressInAnotherSubnetIsDropped() {
        let v = base.query("web-1", "10.0.10.99", "tcp/8080")
        expectBlocked(v, .noPossibleDestination, .forward, at: "app-a")
        #expect(v.explanation?.detail == .unheldAddress(subnet: "app-a", destination: TranslatedAddress(address: .v4(IPv4Address(10, 0, 10, 99))),
                                                       reason: .notAssigned))
        #expect(v.explanation?.component.kind == .subnet)
    }

    @Test func unusedAddressInTheSameSubnetIsDropped() {
        expectBlocked(base.query("web-1", "10.0.0.99", "tcp/443"), .noPossibleDestination, .forward, at: "public-a")
    }

    @Test(arguments: [("10.0.10.0", ExplanationDetail.UnheldAddressReason.networkAddress), ("10.0.10.1", .vpcRouter),
                      ("10.0.10.2", .dnsResolver), ("10.0.10.3", .futureUse), ("10.0.10.255", .lastAddress)])
    func reservedAddressesAreDropped(_ address: String, _ reason: ExplanationDetail.UnheldAddressReason) throws {
        let v = base.query("web-1", address, "tcp/8080")
        expectBlocked(v, .noPossibleDestination, .forward, at: "app-a")
        #expect(v.explanation?.detail == .unheldAddress(subnet: "app-a", destination: TranslatedAddress(address: try IPAddress(address)),
                                                       reason: reason))
    }

    @Test func unusedAddressAcrossAPeeringIsDropped() {
        let c = compile(Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }"]))
        expectReachable(c.query("app-1", "svc-1", "tcp/443"))
        expectBlocked(c.query("app-1", "10.1.0.99", "tcp/443"), .noPossibleDestination, .forward, at: "svc-a")
    }

    @Test func unusedAddressBehindATransitGatewayIsDropped() {
        // The request crosses the transit gateway; the reply comes back over the peering.
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> core",
                                      "SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }"]))
        expectReachable(c.query("app-1", "svc-1", "tcp/443"))
        let v = c.query("app-1", "10.1.0.99", "tcp/443")
        expectBlocked(v, .noPossibleDestination, .forward, at: "svc-a")
        #expect(v.forwardPath.contains { $0.component.kind == .tgwRouteTable })
    }

    @Test func unusedIPv6AddressIsDropped() {
        expectBlocked(base.query("app-6", "2600:1f18:1234:5610::99", "tcp/8080"), .noPossibleDestination, .forward, at: "app-a")
        expectBlocked(base.query("app-6", "2600:1f18:1234:5610::3", "tcp/8080"), .noPossibleDestination, .forward, at: "app-a")
        expectBlocked(base.query("internet:2606:4700::1", "2600:1f18:1234:5610::99", "tcp/443"), .noPossibleDestination, .forward, at: "app-a")
    }

    @Test func amazonDNSResolverAnswersOnlyPort53OfItsOwnVPC() {
        // prod's primary block is 10.0.0.0/16: the resolver is 10.0.0.2; db-nacl's rule 200 denies all UDP, yet
        // neither NACLs nor security groups filter resolver traffic (Docs/AWS-BEHAVIOUR.md §7).
        expectReachable(base.query("db-1", "10.0.0.2", "udp/53"))
        expectReachable(base.query("web-1", "10.0.0.2", "tcp/53"))
        expectReachable(base.query("app-1", "169.254.169.253", "udp/53"))
        expectBlocked(base.query("web-1", "10.0.0.2", "tcp/443"), .noPossibleDestination, .forward, at: "public-a")
        // base + 2 of another subnet is only reserved; another VPC's resolver is not this VPC's.
        expectBlocked(base.query("web-1", "10.0.10.2", "udp/53"), .noPossibleDestination, .forward, at: "app-a")
        let c = compile(Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }"]))
        #expect(!c.query("svc-1", "10.0.0.2", "udp/53").isReachable)
        expectReachable(c.query("svc-1", "10.1.0.2", "udp/53"))
    }

    @Test func aSubnetNameIsAHostTheQueryPlaces() {
        // A subnet endpoint asks about a host in that subnet (no security groups), not about an unused address.
        expectReachable(base.query("app-1", "db-a", "tcp/5432"))
        // An address-only source still gets its replies back.
        expectReachable(base.query("10.0.10.99", "web-1", "tcp/443"))
    }

    @Test func transitGatewayInterfaceServesNothing() throws {
        let att = try #require(base.tgwAttachments.first { $0.name == "prod-att" })
        let eni = try #require(att.interfaces.first)
        let v = base.query("db-1", "\(base.interfaces[Int(eni)].primaryIP)", "tcp/443")
        #expect(!v.isReachable)
        #expect(v.explanation?.code != .routingLoop, "\(v.explanation?.description(files: SourceFileTable()) ?? "-")")
        let w = base.query("app-1", "\(base.interfaces[Int(eni)].primaryIP)", "tcp/443")
        expectBlocked(w, .noPossibleDestination, .forward, at: "prod-att")
    }

    // MARK: Public addresses are reached through the internet

    @Test func publicAddressIsReachedThroughTheInternetGateway() {
        let v = base.query("app-1", "54.1.2.3", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.kind == .natGateway })
        #expect(v.forwardPath.contains { $0.action == .fromInternet })
        // web-1 sees the NAT gateway's public address, so its rule for 10.0.0.0/8 does not match.
        expectBlocked(base.query("app-1", "54.1.2.3", "icmp"), .eniSGRulesMismatch, .forward, at: "web")
        expectReachable(base.query("app-1", "web-1", "icmp"))
    }

    @Test func publicAddressDoesNotCarryGroupIdentity() {
        // web-3 holds group web, which web-1 admits for everything; from web-3's public address it does not match.
        expectReachable(base.query("web-3", "web-1", "tcp/9999"))
        expectBlocked(base.query("web-3", "54.1.2.3", "tcp/9999"), .eniSGRulesMismatch, .forward, at: "web")
    }

    @Test func publicAddressWithoutAnInternetRouteGoesNowhere() {
        let c = compile(Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }"]))
        expectBlocked(c.query("svc-1", "54.1.2.3", "tcp/443"), .noRouteToDestination, .forward)
        let p = compile(Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared\n route 54.1.2.3/32 -> prod-shared }"]))
        expectBlocked(p.query("svc-1", "54.1.2.3", "tcp/443"), .pcxRequiresAddressInVPCCIDR, .forward, at: "prod-shared")
    }

    @Test func aBarePrivateAddressCannotBeAddressedFromTheInternet() throws {
        // By name the internet reaches web-1 at its public address; its private address it cannot address.
        let named = try base.reachQuery(from: .internet(nil), to: .named("web-1"), traffic: traffic("tcp/443")).get()
        #expect(named.state == .reachable)
        let bare = try base.reachQuery(from: .internet(try IPAddress("198.51.100.7")), to: .address(try IPAddress("10.0.0.10")),
                                       traffic: traffic("tcp/443")).get()
        #expect(bare.state == .unreachable)
        #expect(bare.explanation?.code == .igwPrivateIPAssociationForIngress)
        // From inside AWS the same bare address is web-1.
        let inside = try base.reachQuery(from: .named("app-1"), to: .address(try IPAddress("10.0.0.10")), traffic: traffic("icmp")).get()
        #expect(inside.state == .reachable)
    }

    @Test func egressOnlyGatewayAdmitsOnlyRepliesToFlowsThatLeftThroughIt() {
        // Found by the reference walker (1M pairs): the request crosses a peering, the reply takes the peer's
        // ::/0 -> igw route, and v0's egress-only gateway, which never saw the flow, drops it.
        let c = compile("""
            vpc v0 {
              cidr 10.0.0.0/16
              ipv6 2600:1f18:abcd:100::/56
              egress-only-gateway v0eigw
              subnet v0s0 10.0.0.0/24 az us-east-1a ipv6 2600:1f18:abcd:100::/64
              route-table v0r0 main {
                route 2600:1f18:abcd:200::/56 -> p0x1
                route ::/0 -> v0eigw
              }
              instance v0i0 in v0s0 ip 10.0.0.10 ipv6 2600:1f18:abcd:100::10
            }
            vpc v1 {
              cidr 10.1.0.0/16
              ipv6 2600:1f18:abcd:200::/56
              internet-gateway v1igw
              subnet v1s0 10.1.0.0/24 az us-east-1a ipv6 2600:1f18:abcd:200::/64
              route-table v1r0 main {
                route ::/0 -> v1igw
              }
              security-group v1g0 {
                ingress all from ::/0
              }
              instance v1i2 in v1s0 ip 10.1.0.12 ipv6 2600:1f18:abcd:200::12 sg v1g0
            }
            peering p0x1 v0 <-> v1
            """)
        expectBlocked(c.query("v0i0", "2600:1f18:abcd:200::12", "tcp/80"), .egressOnlyGatewayInbound, .return, at: "v0eigw")
        // Out through the egress-only gateway itself, the reply is admitted.
        expectReachable(c.query("v0i0", "internet:2606:4700::1", "tcp/443"))
    }

    @Test func internetToInternetIsNotAQuestionAboutTheNetwork() {
        let v = base.query("internet", "internet:198.51.100.1", "tcp/443")
        #expect(!v.isReachable)
        #expect(v.explanation?.code == .noSourceOrDestination)
    }

    // MARK: Rewrites are not transparent

    @Test func replyRoutedIntoANATGatewayFails() {
        let c = compile(Fixture.prod(["PROD_EXTRA": "instance pub-2 in app-a ip 10.0.10.40 public-ip 54.1.2.9 sg web"]))
        // The request comes in through the internet gateway; the reply leaves app-a by its default route to nat-a.
        expectBlocked(c.query("internet", "pub-2", "tcp/443"), .ngwSourceAddressReassign, .return, at: "nat-a")
        expectReachable(c.query("internet", "web-1", "tcp/443"))
    }

    static let appliance: [String: String] = [
        "PRIVATE_ROUTES": "route 10.1.0.0/16 -> fw-2",
        "PUBLIC_ROUTES": "route 10.1.0.0/16 -> prod-shared",
        "PROD_EXTRA": """
        security-group fwsg { ingress all from 10.0.0.0/8 }
        instance fw-2 in public-a ip 10.0.0.25 public-ip none sg fwsg source-dest-check off
        """,
        "SHARED_EXTRA": """
        route-table sr main { route 10.0.0.0/16 -> prod-shared }
        security-group svc2 { ingress tcp 8443 from sg app }
        instance svc-2 in svc-a ip 10.1.0.20 sg svc2
        """,
    ]

    @Test func applianceHopLosesGroupIdentity() {
        let c = compile(Fixture.prod(Self.appliance))
        let v = c.query("app-1", "svc-2", "tcp/8443")
        expectBlocked(v, .eniSGRulesMismatch, .forward, at: "svc2")
        #expect(v.forwardPath.contains { $0.action == .forwardedByAppliance })
        // The same rule matches when the packet comes straight over the peering.
        var direct = Self.appliance
        direct["PRIVATE_ROUTES"] = "route 10.1.0.0/16 -> prod-shared"
        expectReachable(compile(Fixture.prod(direct)).query("app-1", "svc-2", "tcp/8443"))
    }

    static func overTGW(referencing: Bool, viaTGW: Bool) -> String {
        Fixture.prod([
            "PRIVATE_ROUTES": viaTGW ? "route 10.1.0.0/16 -> core" : "route 10.1.0.0/16 -> prod-shared",
            "PROD_EXTRA": """
            security-group appx { egress tcp 8443 to sg svc2 }
            instance app-9 in app-a ip 10.0.10.90 sg appx
            """,
            "SHARED_EXTRA": """
            route-table sr main { route 10.0.0.0/16 -> prod-shared }
            security-group svc2 { ingress tcp 8443 from sg app }
            security-group svc3 { ingress tcp 8443 from 10.0.0.0/16 }
            instance svc-2 in svc-a ip 10.1.0.20 sg svc2
            instance svc-3 in svc-a ip 10.1.0.30 sg svc3 svc2
            """,
            "TGW": Fixture.core.replacing("transit-gateway core {", with: referencing ? "transit-gateway core sg-referencing {" : "transit-gateway core {"),
        ])
    }

    @Test func ingressReferenceAcrossATransitGatewayNeedsReferencing() {
        // prod and shared are peered and both attached to core: the path decides, not the relationship.
        expectReachable(compile(Self.overTGW(referencing: false, viaTGW: false)).query("app-1", "svc-2", "tcp/8443"))
        expectBlocked(compile(Self.overTGW(referencing: false, viaTGW: true)).query("app-1", "svc-2", "tcp/8443"),
                      .eniSGRulesMismatch, .forward, at: "svc2")
        expectReachable(compile(Self.overTGW(referencing: true, viaTGW: true)).query("app-1", "svc-2", "tcp/8443"))
    }

    @Test func egressReferenceAcrossATransitGatewayNeedsReferencing() {
        expectReachable(compile(Self.overTGW(referencing: false, viaTGW: false)).query("app-9", "svc-3", "tcp/8443"))
        let v = compile(Self.overTGW(referencing: false, viaTGW: true)).query("app-9", "svc-3", "tcp/8443")
        expectBlocked(v, .sgReferencingSupport, .forward, at: "appx")
        expectReachable(compile(Self.overTGW(referencing: true, viaTGW: true)).query("app-9", "svc-3", "tcp/8443"))
    }

    @Test func nat64TranslatesIPv6ToIPv4() {
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 64:ff9b::/96 -> nat-a"]))
        let v = c.query("app-6", "64:ff9b::cb00:7107", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.header.destination == .v4(IPv4Address(203, 0, 113, 7)) })
        #expect(v.returnPath.last?.header.source == (try? IPAddress("64:ff9b::cb00:7107")))
        // ICMPv6 echo is translated to ICMP echo and back (found by the reference walker).
        let ping = c.query("app-6", "64:ff9b::cb00:7107", "icmpv6")
        expectReachable(ping)
        #expect(ping.forwardPath.contains { $0.header.ipProtocol == 1 && $0.header.icmpTypeCode >> 8 == 8 })
        #expect(ping.returnPath.last.map { $0.header.ipProtocol == 58 && $0.header.icmpTypeCode >> 8 == 129 } == true)
        // Without the NAT64 route the IPv6 packet has no way out.
        expectBlocked(base.query("app-6", "64:ff9b::cb00:7107", "tcp/443"), .noRouteToDestination, .forward)
    }
}
