import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Hand-worked cases, one construct or trap each: a small topology, a query, the verdict and the reason.
@Suite struct ConstructScenarioTests {
    let base = compile(Fixture.prod())

    @Test func localRouteNACLsAndSGReferenceAdmitAppToDB() {
        let v = base.query("app-1", "db-1", "tcp/5432")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.rule?.ruleNumber == 100 && $0.component.name == "db-nacl" })
        #expect(v.returnPath.contains { $0.component.name == "db-nacl" && $0.rule?.ruleNumber == 100 })
        #expect(v.forwardPath.last?.action == .delivered)
    }

    @Test func securityGroupWithoutMatchingRuleBlocksIngress() {
        expectBlocked(base.query("web-1", "db-1", "tcp/5432"), .eniSGRulesMismatch, .forward, at: "db")
    }

    @Test func privateInstanceIsNotReachableFromTheInternet() {
        expectBlocked(base.query("internet", "db-1", "tcp/5432"), .igwPrivateIPAssociationForIngress, .forward, at: "igw")
    }

    @Test func natGatewayTranslatesAndRepliesReturn() {
        let v = base.query("db-1", "internet", "tcp/443")
        expectReachable(v)
        let natSource = v.forwardPath.first { $0.component.kind == .natGateway }?.header.source
        let db = try? IPAddress("10.0.20.5"), natPublic = try? IPAddress("54.10.0.1")
        #expect(natSource != nil && db != nil)
        if let natSource, let db {
            #expect(v.forwardPath.contains { $0.translation == .source(AddressRewrite(from: TranslatedAddress(address: db, ports: .ephemeral),
                                                                                      to: TranslatedAddress(address: natSource, ports: .ephemeral))) })
        }
        #expect(v.forwardPath.contains { $0.component.kind == .internetGateway && $0.translation?.source?.to.address == natPublic })
        #expect(v.returnPath.contains { $0.action == .replyTranslatedBack })
    }

    @Test func internetGatewayTranslatesPublicToPrivate() {
        let v = base.query("internet", "web-1", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.first?.translation == .destination(AddressRewrite(from: TranslatedAddress(address: .v4(IPv4Address(54, 1, 2, 3))),
                                                                                to: TranslatedAddress(address: .v4(IPv4Address(10, 0, 0, 10))))))
        #expect(v.returnPath.last?.component.kind == .internetGateway)
    }

    @Test func mapPublicIPGivesAnUnknownPublicAddress() {
        let v = base.query("internet", "web-3", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.first?.translation?.destination?.from.unknownPublicAddressOf == "web-3")
        expectReachable(base.query("web-3", "internet", "tcp/443"))
    }

    @Test func internetGatewayDropsPrivateSourcesAndDestinations() {
        expectBlocked(base.query("internet:10.200.0.1", "web-1", "tcp/443"), .igwSourceAddressNotInRFC1918Ingress, .forward, at: "igw")
        let c = compile(Fixture.prod())
        expectBlocked(c.query("internet:100.64.0.1", "54.1.2.3", "tcp/443"), .igwSourceAddressNotInRFC6598Ingress, .forward, at: "igw")
        expectBlocked(c.query("web-1", "172.16.0.1", "tcp/443"), .igwDestinationAddressNotInRFC1918Egress, .forward, at: "igw")
    }

    @Test func egressOnlyGatewayPassesIPv6OutboundOnly() {
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route ::/0 -> eigw", "PROD_EXTRA": """
        security-group v6 { ingress tcp 443 from ::/0 }
        instance v6-1 in app-a ip 10.0.10.30 ipv6 2600:1f18:1234:5610::30 sg v6
        """]))
        expectReachable(c.query("v6-1", "internet:2606:4700::1", "tcp/443"))
        expectBlocked(c.query("internet:2606:4700::1", "2600:1f18:1234:5610::30", "tcp/443"), .egressOnlyGatewayInbound, .return, at: "eigw")
    }

    @Test func privateNATGatewayCannotReachTheInternet() {
        let c = compile(Fixture.prod(["NAT": "nat-gateway nat-a in public-a private"]))
        expectBlocked(c.query("db-1", "internet", "tcp/443"), .igwPublicIPAssociationForEgress, .forward, at: "igw")
    }

    @Test func peerNATGatewayIsNotUsableEdgeToEdge() {
        let c = compile(Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 0.0.0.0/0 -> prod-shared }"]))
        expectBlocked(c.query("svc-1", "internet", "tcp/443"), .pcxRequiresAddressInVPCCIDR, .forward, at: "prod-shared")
    }

    @Test func peeringWithRoutesOnBothSidesReaches() {
        let c = compile(Fixture.prod(["SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }"]))
        let v = c.query("app-1", "svc-1", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.kind == .peering })
        #expect(v.returnPath.contains { $0.component.kind == .peering })
    }

    @Test func securityGroupReferenceAcrossPeering() {
        let c = compile(Fixture.prod([
            "SHARED_EXTRA": """
            route-table sr main { route 10.0.0.0/16 -> prod-shared }
            security-group svc-ref { ingress tcp 8443 from sg app }
            instance svc-2 in svc-a ip 10.1.0.11 sg svc-ref
            """,
        ]))
        expectReachable(c.query("app-1", "svc-2", "tcp/8443"))
        expectBlocked(c.query("fw-1.eth1", "svc-2", "tcp/8443"), .eniSGRulesMismatch, .forward, at: "svc-ref")
    }

    @Test func securityGroupsOnOneInterfaceAreUnioned() {
        let c = compile(Fixture.prod(["PROD_EXTRA": """
        security-group ssh { ingress tcp 22 from 10.0.0.0/16 }
        security-group https { ingress tcp 443 from 10.0.0.0/16 }
        instance multi-1 in app-a ip 10.0.10.40 sg ssh https
        """]))
        expectReachable(c.query("app-1", "multi-1", "tcp/22"))
        expectReachable(c.query("app-1", "multi-1", "tcp/443"))
        expectBlocked(c.query("app-1", "multi-1", "tcp/80"), .eniSGRulesMismatch, .forward)
    }

    @Test func egressNoneHasNoRules() {
        let c = compile(Fixture.prod(["PROD_EXTRA": """
        security-group sealed { ingress tcp 22 from 0.0.0.0/0
          egress none }
        instance sealed-1 in app-a ip 10.0.10.50 sg sealed
        """]))
        expectBlocked(c.query("sealed-1", "app-1", "tcp/8080"), .sgHasNoRules, .forward, at: "sealed")
    }

    @Test func defaultSecurityGroupAdmitsOnlyItsMembers() {
        let c = compile(Fixture.prod(["PROD_EXTRA": """
        instance plain-1 in app-a ip 10.0.10.60
        instance plain-2 in app-a ip 10.0.10.61
        """]))
        expectReachable(c.query("plain-1", "plain-2", "tcp/9000"))
        expectBlocked(c.query("app-1", "plain-2", "tcp/9000"), .eniSGRulesMismatch, .forward, at: "default")
    }

    @Test func prefixListPeerInSecurityGroup() {
        let c = compile(Fixture.prod([
            "SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> prod-shared }",
            "EXTRA": "",
        ]).replacing("prefix-list corp { 10.200.0.0/16 192.168.0.0/20 }", with: "prefix-list corp { 10.200.0.0/16 10.1.0.0/24 }"))
        // sg web: 'ingress tcp 22 from pl:corp' now covers svc-a.
        expectReachable(c.query("svc-1", "fw-1.eth1", "tcp/22"))
        expectBlocked(c.query("svc-1", "fw-1.eth1", "tcp/23"), .eniSGRulesMismatch, .forward, at: "web")
    }

    @Test func cidrRouteBeatsPrefixListRouteOfTheSamePrefix() throws {
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route 10.200.0.0/16 -> prod-shared"]))
        let d = c.routeDecision(subnet: try #require(c.subnet(named: "app-a")), address: try IPAddress("10.200.3.4"))
        #expect(d.chosen?.origin == .static)
        let pl = d.candidates.first { $0.route.origin == .prefixList("corp") }
        #expect(pl?.code == .higherPriorityRoute)
        #expect(pl?.lostBecause?.contains("CIDR route beats") == true)
        // The default route lost on length.
        #expect(d.candidates.contains { $0.route.prefix.length == 0 && $0.code == .moreSpecificRoute })
    }

    @Test func prefixListRouteSendsEntriesToTheTGW() throws {
        let d = base.routeDecision(subnet: try #require(base.subnet(named: "app-a")), address: try IPAddress("192.168.1.1"))
        #expect(d.chosen?.origin == .prefixList("corp"))
        #expect(d.chosen?.prefix == IPPrefix.v4(try IPv4Prefix("192.168.0.0/20")))
    }

    @Test func naclAllowBeforeDenyWins() {
        let c = compile(Fixture.prod(["DB_NACL": "inbound 80 allow tcp 5432 from 10.0.10.10/32\n    inbound 90 deny tcp 5432 from 10.0.10.0/24"]))
        expectReachable(c.query("app-1", "db-1", "tcp/5432"))
        expectBlocked(c.query("10.0.10.11", "db-1", "tcp/5432"), .subnetACLRestriction, .forward, at: "db-nacl", rule: 90)
    }

    @Test func naclPartialDenyInsideEphemeralRange() {
        // Outbound deny 50 for 2000-2999, then the allow: replies to those client ports are denied.
        let c = compile(Fixture.prod(["DB_NACL": "outbound 50 deny tcp 2000-2999 to 10.0.10.0/24"]))
        let v = c.query("app-1", "db-1", "tcp/5432")
        #expect(v.state == .partlyReachable)
        #expect(v.workingSourcePorts == PortSet(ranges: [PortRange(1024, 1999), PortRange(3000, 65535)]))
        #expect(v.failingSourcePorts == PortSet(PortRange(2000, 2999)))
        expectExplanation(v, .subnetACLRestriction, .return, at: "db-nacl", rule: 50)
        // A range that avoids the denied ports is reachable.
        #expect(c.query("app-1", "db-1", "tcp/5432", sourcePorts: PortSet(ClientPorts.linux.range)).state == .reachable)
        let one = c.query("app-1", "db-1", "tcp/5432", sourcePort: 2500)
        expectBlocked(one, .subnetACLRestriction, .return, at: "db-nacl", rule: 50)
    }

    @Test func sameSubnetTrafficSkipsNACLsButNotSecurityGroups() {
        let c = compile(Fixture.prod(["PROD_EXTRA": """
        security-group peer { ingress tcp 7000 from 10.0.20.0/24 }
        instance db-2 in db-a ip 10.0.20.6 sg peer
        """]))
        // db-nacl would deny tcp/7000 (rule 200); within the subnet no NACL applies.
        let v = c.query("db-1", "db-2", "tcp/7000")
        // sg db egress only allows 443: blocked by the source's security group, not the NACL.
        expectBlocked(v, .eniSGRulesMismatch, .forward, at: "db")
        let c2 = compile(Fixture.prod(["PROD_EXTRA": """
        security-group peer { ingress tcp 7000 from 10.0.20.0/24 }
        instance db-2 in db-a ip 10.0.20.6 sg peer
        instance db-3 in db-a ip 10.0.20.7 sg peer
        """]))
        let v2 = c2.query("db-3", "db-2", "tcp/7000")
        expectReachable(v2)
        #expect(!v2.forwardPath.contains { $0.component.kind == .networkACL })
    }

    @Test func subnetEndpointIsAHostWithoutSecurityGroups() {
        let v = base.query("app-1", "db-a", "tcp/5432")
        expectReachable(v)
        #expect(v.forwardPath.last?.header.destination == (try? IPAddress("10.0.20.4")))
        expectBlocked(base.query("app-1", "db-a", "tcp/22"), .subnetACLRestriction, .forward, at: "app-nacl-none".isEmpty ? nil : nil)
    }

    @Test func addressEndpointResolvesToTheInterface() {
        let v = base.query("10.0.10.10", "10.0.20.5", "tcp/5432")
        expectReachable(v)
        #expect(v.forwardPath.last?.component.name == "db-1")
    }

    @Test func icmpAllowedByProtocolRule() {
        expectReachable(base.query("app-1", "web-1", "icmp"))
        expectBlocked(base.query("app-1", "db-1", "icmp"), .subnetACLRestriction, .forward, at: "db-nacl", rule: 200)
    }

    @Test func applianceRouteMoreSpecificThanLocal() {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1a
          subnet f 10.0.3.0/24 az us-east-1a
          route-table ra { associate a  route 10.0.2.0/24 -> fw }
          route-table rb { associate b  route 10.0.1.0/24 -> fw }
          security-group all-in { ingress all from 10.0.0.0/16 }
          instance ha in a ip 10.0.1.10 sg all-in
          instance hb in b ip 10.0.2.10 sg all-in
          instance fw in f ip 10.0.3.10 sg all-in {{CHECK}}
        }
        """
        let on = compile(text.replacing("{{CHECK}}", with: ""))
        expectBlocked(on.query("ha", "hb", "tcp/80"), .eniSourceDestCheckRestriction, .forward, at: "fw")
        let off = compile(text.replacing("{{CHECK}}", with: "source-dest-check off"))
        let v = off.query("ha", "hb", "tcp/80")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.name == "fw" && $0.action == .forwardedByAppliance })
        #expect(v.returnPath.contains { $0.component.name == "fw" && $0.action == .forwardedByAppliance })
    }

    @Test func tgwPathThroughAssociatedAndPropagatedRoutes() {
        let c = compile(Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core",
            "SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> core }",
            "TGW": """
            transit-gateway core {
              attachment prod-att vpc prod subnets app-a
              attachment shared-att vpc shared subnets svc-a
              route-table spokes { associate prod-att propagate shared-att }
              route-table shared-rt { associate shared-att propagate prod-att }
            }
            """,
        ]))
        let v = c.query("app-1", "svc-1", "tcp/443")
        expectReachable(v)
        #expect(v.forwardPath.contains { $0.component.name == "spokes" && $0.rule?.text == "propagated 10.1.0.0/16 -> shared-att" })
        #expect(v.returnPath.contains { $0.component.name == "shared-rt" })
    }

    @Test func tgwTableWithoutRouteNamesTheTable() {
        let c = compile(Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core",
            "TGW": """
            transit-gateway core {
              attachment prod-att vpc prod subnets app-a
              attachment shared-att vpc shared subnets svc-a
              route-table spokes { associate prod-att }
            }
            """,
        ]))
        expectBlocked(c.query("app-1", "svc-1", "tcp/443"), .noRouteToDestination, .forward, at: "spokes")
    }

    @Test func tgwAttachmentWithoutSubnetInTheSourceAZ() {
        let c = compile(Fixture.prod([
            "PROD_EXTRA": "subnet app-b 10.0.11.0/24 az us-east-1b\n  instance app-9 in app-b ip 10.0.11.10 sg app",
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core",
        ]).replacing("associate app-a db-a", with: "associate app-a db-a app-b"))
        expectBlocked(c.query("app-9", "svc-1", "tcp/443"), .tgwRouteAZRestriction, .forward, at: "prod-att")
    }

    @Test func tgwEntryChecksNACLsEvenInTheAttachmentSubnet() {
        let c = compile(Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core",
            "SHARED_EXTRA": "route-table sr main { route 10.0.0.0/16 -> core }",
            "PROD_EXTRA": """
            network-acl app-nacl {
                associate app-a
                inbound 100 allow all from 10.0.0.0/16
                outbound 100 allow all to 0.0.0.0/0
              }
            """,
        ]))
        // app-1 and the TGW ENI share app-a: the packet handed to the TGW ENI passes app-nacl inbound with
        // source 10.0.10.10 (allowed); the reply coming out of the TGW into app-a is not checked.
        let v = c.query("app-1", "svc-1", "tcp/443")
        #expect(v.forwardPath.filter { $0.component.name == "app-nacl" }.count == 2)
        // shared-att has no associated table in `core`: the reply is dropped there.
        expectBlocked(v, .tgwAttachMissingTGWRTBAssociation, .return, at: "shared-att")
    }

    @Test func oneWayIgnoresTheReply() {
        let c = compile(Fixture.prod())
        let v = c.query("app-1", "svc-1", "tcp/443", oneWay: true)
        expectReachable(v)
        #expect(v.returnPath.isEmpty)
    }

    @Test func openPortsAreRangeSets() throws {
        guard case .success(let s) = base.resolve("app-1"), case .success(let d) = base.resolve("db-1") else {
            Issue.record("resolve")
            return
        }
        let r = base.openPorts(from: s, to: d)
        let tcp = try #require(r.first { $0.traffic == "tcp" })
        #expect(tcp.ports == PortSet(port: 5432))
        #expect(r.first { $0.traffic == "udp" }?.verdict.isReachable == false)
        guard case .success(let w) = base.resolve("web-1") else { return }
        let webPorts = base.openPorts(from: s, to: w).first { $0.traffic == "tcp" }
        // sg web: 443 from anywhere, 22 from pl:corp (not app-1): only 443 is open from app-1.
        #expect(webPorts?.ports == PortSet(port: 443))
    }

    @Test func awsIDsResolveAsEndpoints() {
        let c = compile("""
        vpc v {
          cidr 10.0.0.0/16
          id vpc-0123456789abcdef0
          subnet a 10.0.1.0/24 az us-east-1a id subnet-0aaa
          instance h1 in a ip 10.0.1.10 id i-0abc
          instance h2 { interface eth0 in a ip 10.0.1.11 id eni-0def }
        }
        """)
        expectReachable(c.query("i-0abc", "eni-0def", "tcp/22"))
        if case .success(.host(let s, _)) = c.resolve("subnet-0aaa") { #expect(c[s].name == "a") } else { Issue.record("subnet id") }
        if case .failure(let e) = c.resolve("h3") { #expect(e.suggestion == "h1" || e.suggestion == "h2") } else { Issue.record("h3 resolved") }
    }

    @Test func unknownEndpointFailsTheAssertion() {
        let c = compile(Fixture.prod() + "\nassert reach app-1 -> db-1 tcp/5432\nassert noreach web-1 -> db-1 tcp/5432\nassert reach web-1 -> db-1 tcp/5432")
        let results = c.evaluateAssertions()
        #expect(results.map(\.holds) == [true, true, false])
        #expect(results[2].failureMessage?.contains("test.vpc:") == true)
        #expect(results[2].failureMessage?.contains("ENI_SG_RULES_MISMATCH") == true)
    }
}
