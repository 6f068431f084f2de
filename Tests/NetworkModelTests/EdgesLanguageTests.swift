import TestSupport
import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

/// The language of the network's edges (Docs/DSL.md "Edges"): parsing, printing, the default VPC, endpoint text.
@Suite struct EdgesParsingTests {
    static func parse(_ text: String) -> (Topology, [Diagnostic]) { TopologyParser.parse(text, file: "edges.vpc") }

    @Test func exampleParsesEveryConstruct() throws {
        let (t, d) = EdgesParsingTests.parse(Fixtures.read("Topologies/edges.vpc"))
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let prod = try #require(t.vpcs.first { $0.name == "prod" })
        #expect(prod.vpnGateway == VPNGateway(name: "vgw1", id: "vgw-0a1b2c3d", asn: 64512))
        let privateTable = try #require(prod.routeTables.first { $0.name == "private" })
        #expect(privateTable.propagations == ["vgw1"])
        #expect(privateTable.routes.contains(Route(destination: .cidr(try IPPrefix("192.168.0.0/16")), target: .named("vgw1"))))
        #expect(prod.routeTables.first { $0.name == "edge-in" }?.edgeAssociations == ["igw"])
        #expect(prod.endpoints.count == 2)
        let s3 = try #require(prod.endpoints.first)
        #expect(s3.kind == .gateway && s3.service == "s3" && s3.routeTables == ["private"] && s3.prefixList == "s3")
        #expect(s3.policy?.hasPrefix("{\"Statement\":[{") == true)
        #expect(s3.id == "vpce-0a1b2c3d4e5f60001")
        let ssm = prod.endpoints[1]
        #expect(ssm.kind == .interface && ssm.subnets == ["app-a", "app-b"] && ssm.securityGroups == ["app"])
        #expect(ssm.addresses == [try IPv4Address("10.0.10.50"), try IPv4Address("10.0.11.50")])
        #expect(ssm.privateDNS)
        let legacy = try #require(t.vpcs.first { $0.name == "legacy" })
        #expect(legacy.isDefault && legacy.subnets.map(\.name) == ["legacy-a", "legacy-b", "legacy-c"])
        #expect(t.customerGateways.map(\.name) == ["office-cgw", "branch"])
        #expect(t.vpnConnections.first == VPNConnection(name: "office-vpn", id: "vpn-0a1b2c3d", awsSide: .vpnGateway("vgw1"),
                                                         customerGateway: "office-cgw", staticRoutesOnly: true,
                                                         staticRoutes: [try IPv4Prefix("192.168.0.0/16")], tunnels: [.up, .down]))
        #expect(t.vpnConnections.last?.awsSide == .transitGateway("core"))
        #expect(t.vpnConnections.last?.staticRoutesOnly == false)
        #expect(t.directConnectGateways.first?.associations == [.init(gateway: "vgw1", allowedPrefixes: [try IPv4Prefix("10.0.0.0/16")])])
        #expect(t.directConnectGateways.first?.id == "5f294f92-bafb-4011-916d-9b0bc86b4c6f")
        #expect(t.virtualInterfaces.map(\.kind) == [.private, .transit])
        #expect(t.virtualInterfaces.first?.awsSide == .directConnectGateway("dxg-prod"))
        let dc = try #require(t.onPremisesNetworks.first)
        #expect(dc.prefixes == [try IPv4Prefix("10.10.0.0/16"), try IPv4Prefix("172.20.0.0/16")])
        #expect(dc.announcements == [.init(edge: "dc-a", localPreference: .high), .init(edge: "dc-t", asPathLength: 2)])
        #expect(t.onPremisesNetworks[1] == OnPremisesNetwork(name: "office", prefixes: [try IPv4Prefix("192.168.0.0/16")],
                                                             announcements: [.init(edge: "office-vpn")]))
        let core = try #require(t.transitGateways.first)
        #expect(core.attachments.map(\.kind) == [.vpc, .vpn(connection: "branch-vpn"), .directConnectGateway("dxg-core"),
                                                 .peering(transitGateway: "core-west")])
        #expect(core.attachments[3].id == "tgw-attach-0peer")
        #expect(core.attachments[1].vpc == "" && core.attachments[1].subnets.isEmpty)
    }

    @Test func exampleRoundTrips() {
        let (t, _) = EdgesParsingTests.parse(Fixtures.read("Topologies/edges.vpc"))
        let printed = TopologyPrinter.format(t)
        let (again, d) = EdgesParsingTests.parse(printed)
        #expect(d.isEmpty, "\(d.map(\.rendered))\n\(printed)")
        #expect(again == t)
        #expect(TopologyPrinter.format(again) == printed)
    }
}

/// `default-vpc NAME …`: AWS's default VPC (AWS-BEHAVIOUR.md §10), expanded at parse time.
@Suite struct DefaultVPCTests {
    static let handWritten = """
        region us-east-1
        vpc legacy default {
          id vpc-0d
          cidr 172.31.0.0/16
          internet-gateway legacy-igw
          subnet legacy-a 172.31.0.0/20 az us-east-1a map-public-ip
          subnet legacy-b 172.31.16.0/20 az us-east-1b map-public-ip
          subnet legacy-c 172.31.32.0/20 az us-east-1c map-public-ip
          route-table legacy-main main {
            route 0.0.0.0/0 -> legacy-igw
          }
        }
        """

    @Test func expandsToTheHandWrittenVPC() throws {
        let (short, d1) = TopologyParser.parse("region us-east-1\ndefault-vpc legacy id vpc-0d\n", file: "a.vpc")
        let (long, d2) = TopologyParser.parse(DefaultVPCTests.handWritten, file: "b.vpc")
        #expect(d1.isEmpty && d2.isEmpty, "\((d1 + d2).map(\.rendered))")
        #expect(short == long)
        let vpc = try #require(short.vpcs.first)
        #expect(vpc.isDefault && vpc.region == "us-east-1" && vpc.id == "vpc-0d")
        #expect(vpc.subnets.map(\.cidr.description) == ["172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20"])
        // Valid as written: the default NACL and security group are implied.
        #expect(Fixtures.load("region us-east-1\ndefault-vpc legacy\n").1.isEmpty)
    }

    @Test func regionAndZonesClauses() throws {
        let (t, d) = TopologyParser.parse("default-vpc old region eu-west-1 azs eu-west-1b eu-west-1c eu-west-1a eu-west-1d\n", file: "a.vpc")
        #expect(d.isEmpty)
        let vpc = try #require(t.vpcs.first)
        #expect(vpc.region == "eu-west-1")
        #expect(vpc.subnets.map(\.name) == ["old-b", "old-c", "old-a", "old-d"])
        #expect(vpc.subnets.map(\.cidr.description) == ["172.31.0.0/20", "172.31.16.0/20", "172.31.32.0/20", "172.31.48.0/20"])
        #expect(vpc.subnets.map(\.availabilityZone) == ["eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1d"])
        #expect(vpc.routeTables.first?.routes.first?.target == .named("old-igw"))
    }

    @Test func needsARegionOrZones() throws {
        let (_, d) = TopologyParser.parse("default-vpc legacy\n", file: "a.vpc")
        let e = try #require(d.first)
        #expect(d.count == 1 && e.id == "dsl-missing-clause" && e.line == 1 && e.column == 13, "\(d.map(\.rendered))")
    }

    @Test func printsTheOneLinerWhileUnchangedAndTheMarkedBlockOtherwise() throws {
        let (t, _) = TopologyParser.parse("region us-east-1\ndefault-vpc legacy\ndefault-vpc other azs us-east-1d\n", file: "a.vpc")
        let printed = TopologyPrinter.format(t)
        #expect(printed.contains("\ndefault-vpc legacy\n") && printed.contains("\ndefault-vpc other azs us-east-1d\n"), "\(printed)")
        var changed = t
        changed.vpcs[0].subnets[0].mapPublicIP = false
        let text = TopologyPrinter.format(changed)
        #expect(text.contains("vpc legacy default {"), "\(text)")
        let (again, d) = TopologyParser.parse(text, file: "b.vpc")
        #expect(d.isEmpty)
        #expect(again == changed)
        #expect(again.vpcs[0].isDefault)
    }
}

/// Endpoint text (asserts and `vpckit reach`): `Endpoint(parsing:)`.
@Suite struct EndpointTextTests {
    @Test func parsesEveryForm() throws {
        #expect(try Endpoint(parsing: "internet") == .internet(nil))
        #expect(try Endpoint(parsing: "internet:203.0.113.7") == .internet(try IPAddress("203.0.113.7")))
        #expect(try Endpoint(parsing: "internet:198.51.100.0/24") == .internetBlock(try IPPrefix("198.51.100.0/24")))
        #expect(try Endpoint(parsing: "10.0.1.10") == .address(try IPAddress("10.0.1.10")))
        #expect(try Endpoint(parsing: "2600:1f18::1") == .address(try IPAddress("2600:1f18::1")))
        #expect(try Endpoint(parsing: "onprem:datacentre") == .onPremises("datacentre", nil))
        #expect(try Endpoint(parsing: "onprem:datacentre:10.10.0.5") == .onPremises("datacentre", try IPAddress("10.10.0.5")))
        #expect(try Endpoint(parsing: "vpn-0abc:192.168.1.10") == .overEdge("vpn-0abc", try IPAddress("192.168.1.10")))
        #expect(try Endpoint(parsing: "abc:10.0.0.1") == .overEdge("abc", try IPAddress("10.0.0.1")))
        #expect(try Endpoint(parsing: "dc-a:2001:db8::5") == .overEdge("dc-a", try IPAddress("2001:db8::5")))
        #expect(try Endpoint(parsing: "web.eth1") == .named("web.eth1"))
        #expect(try Endpoint(parsing: "vpn-0abc") == .named("vpn-0abc"))
        #expect(try Endpoint(parsing: "com.amazonaws.us-east-1.s3") == .named("com.amazonaws.us-east-1.s3"))
    }

    @Test func descriptionParsesBack() throws {
        for e: Endpoint in [.onPremises("dc", nil), .onPremises("dc", try IPAddress("10.10.0.5")),
                            .overEdge("vpn-1", try IPAddress("192.168.1.10")), .internet(nil), .named("x")] {
            #expect(try Endpoint(parsing: e.description) == e)
        }
    }

    @Test func rejectsBrokenText() {
        for bad in ["onprem:", "onprem:dc:10.10.0.x", "onprem::10.0.0.1", "vpn-0abc:192.168.1.x", "10.0.1.300", "internet:1.2.3"] {
            #expect(throws: EndpointSyntaxError.self, "\(bad)") { try Endpoint(parsing: bad) }
        }
    }

    @Test func theParserReportsItInTheHouseFormat() throws {
        let (_, d) = TopologyParser.parse("assert reach app -> office-vpn:192.168.1.x tcp/22\n", file: "a.vpc")
        let e = try #require(d.first)
        #expect(d.count == 1 && e.id == "dsl-bad-address" && e.line == 1 && e.column == 21, "\(d.map(\.rendered))")
        #expect(e.message.contains("office-vpn:192.168.1.x"))
    }
}

/// Syntax errors of the edge statements: catalogue id and position.
@Suite struct EdgesSyntaxTests {
    struct Case: CustomStringConvertible, Sendable {
        var text: String
        var id: String
        var line: Int
        var column: Int
        var description: String { text }
    }

    static let cases: [Case] = [
        Case(text: "customer-gateway c asn 65000\n", id: "dsl-missing-clause", line: 1, column: 18),
        Case(text: "customer-gateway c ip 198.51.100.1\n", id: "dsl-missing-clause", line: 1, column: 18),
        Case(text: "customer-gateway c ip 198.51.100.1 asn 4294967296\n", id: "dsl-expected", line: 1, column: 40),
        Case(text: "vpn-connection v customer-gateway c bgp\n", id: "dsl-missing-clause", line: 1, column: 16),
        Case(text: "vpn-connection v vgw g customer-gateway c\n", id: "dsl-missing-clause", line: 1, column: 16),
        Case(text: "vpn-connection v vgw g tgw t customer-gateway c bgp\n", id: "dsl-conflict", line: 1, column: 24),
        Case(text: "vpn-connection v vgw g customer-gateway c static 10.0.0.1/16\n", id: "dsl-host-bits", line: 1, column: 50),
        Case(text: "vpn-connection v vgw g customer-gateway c bgp tunnels sideways\n", id: "dsl-expected", line: 1, column: 55),
        Case(text: "dx-vif d public dx-gateway g\n", id: "dsl-expected", line: 1, column: 10),
        Case(text: "dx-vif d transit vgw g\n", id: "dsl-conflict", line: 1, column: 18),
        Case(text: "dx-vif d private\n", id: "dsl-missing-clause", line: 1, column: 8),
        Case(text: "dx-gateway g {\n  associate v allowed\n}\n", id: "dsl-expected", line: 2, column: 22),
        Case(text: "onprem o via e\n", id: "dsl-expected", line: 1, column: 10),
        Case(text: "onprem o 10.0.0.0/8 via e local-preference highest\n", id: "dsl-expected", line: 1, column: 44),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  endpoint e bridge s3\n}\n", id: "dsl-expected", line: 3, column: 14),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  endpoint e interface ssm\n}\n", id: "dsl-missing-clause", line: 3, column: 12),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  endpoint e gateway s3 subnets a\n}\n", id: "dsl-conflict", line: 3, column: 25),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  endpoint e gateway s3 policy 'open\n}\n", id: "dsl-expected", line: 3, column: 32),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  endpoint e gateway s3 policy open\n}\n", id: "dsl-expected", line: 3, column: 32),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  endpoint e interface ssm subnets a private-dns maybe\n}\n", id: "dsl-expected", line: 3, column: 50),
        Case(text: "transit-gateway t {\n  attachment a vpn v subnets s\n}\n", id: "dsl-conflict", line: 2, column: 22),
        Case(text: "transit-gateway t {\n  attachment a vpc p peering u\n}\n", id: "dsl-conflict", line: 2, column: 22),
        Case(text: "vpc p {\n  cidr 10.0.0.0/16\n  route-table r {\n    propagate\n  }\n}\n", id: "dsl-expected", line: 4, column: 14),
    ]

    @Test(arguments: EdgesSyntaxTests.cases)
    func reportsAtThePlace(_ c: Case) throws {
        let (_, d) = TopologyParser.parse(c.text, file: "x.vpc")
        let e = try #require(d.first, "no diagnostic")
        #expect(e.id == c.id && e.line == c.line && e.column == c.column, "\(d.map(\.rendered))")
    }
}

/// Printing the edges: `parse(print(m)) == m`, quoted policies, JSON and summary counts.
@Suite struct EdgesPrintingTests {
    @Test func policiesWithQuotesAndSpecialCharactersRoundTrip() throws {
        var t = Topology()
        var vpc = VPC(name: "p", cidrs: [try IPv4Prefix("10.0.0.0/16")])
        vpc.endpoints = [VPCEndpoint(name: "e", kind: .gateway, service: "s3", policy: "{ \"a\": 'b' } # not a comment")]
        t.vpcs = [vpc]
        let text = TopologyPrinter.format(t)
        #expect(text.contains("policy '{ \"a\": ''b'' } # not a comment'"), "\(text)")
        let (again, d) = TopologyParser.parse(text, file: "x.vpc")
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        #expect(again == t)
        // A newline cannot be inside a quoted word: printed as a space, never as a line break.
        t.vpcs[0].endpoints[0].policy = "a\nvpc evil {"
        let printed = TopologyPrinter.format(t)
        #expect(printed.contains("policy 'a vpc evil {'"))
        #expect(TopologyParser.parse(printed, file: "x.vpc").0.vpcs.count == 1)
    }

    @Test func summaryCountsTheEdges() {
        let (t, _) = TopologyParser.parse(Fixtures.read("Topologies/edges.vpc"), file: "edges.vpc")
        let s = TopologySummary(t)
        #expect(s.vpnGateways == 1 && s.vpcEndpoints == 2 && s.customerGateways == 2 && s.vpnConnections == 2)
        #expect(s.directConnectGateways == 2 && s.virtualInterfaces == 2 && s.onPremisesNetworks == 3)
        #expect(s.text.contains("1 VPN gateway, 2 VPC endpoints"))
        #expect(s.text.contains("2 customer gateways, 2 VPN connections, 2 Direct Connect gateways, 2 virtual interfaces, 3 on-premises networks"))
    }

    @Test func jsonExportHasTheEdges() throws {
        let (t, _) = TopologyParser.parse(Fixtures.read("Topologies/edges.vpc"), file: "edges.vpc")
        let json = try #require(jsonObject(TopologyJSON.export(t).serialized()) as? [String: Any])
        let vpcs = try #require(json["vpcs"] as? [[String: Any]])
        let prod = try #require(vpcs.first)
        #expect((prod["vpnGateway"] as? [String: Any])?["asn"] as? Int == 64512)
        let endpoints = try #require(prod["endpoints"] as? [[String: Any]])
        #expect(endpoints.map { $0["type"] as? String } == ["gateway", "interface"])
        #expect(endpoints[1]["ips"] as? [String] == ["10.0.10.50", "10.0.11.50"])
        #expect(vpcs.map { $0["default"] as? Bool } == [false, true, false])
        let tables = try #require(prod["routeTables"] as? [[String: Any]])
        #expect(tables.first?["propagations"] as? [String] == ["vgw1"])
        #expect(tables.last?["edgeAssociations"] as? [String] == ["igw"])
        let vpns = try #require(json["vpnConnections"] as? [[String: Any]])
        #expect(vpns.first?["vpnGateway"] as? String == "vgw1" && vpns.last?["transitGateway"] as? String == "core")
        #expect(vpns.first?["tunnels"] as? [String] == ["up", "down"])
        let onprem = try #require(json["onPremisesNetworks"] as? [[String: Any]])
        #expect((onprem.first?["announcements"] as? [[String: Any]])?.first?["localPreference"] as? String == "high")
        let tgws = try #require(json["transitGateways"] as? [[String: Any]])
        let attachments = try #require(tgws.first?["attachments"] as? [[String: Any]])
        #expect(attachments.map { $0["type"] as? String } == ["vpc", "vpn", "dx-gateway", "peering"])
        #expect(attachments[3]["target"] as? String == "core-west")
        #expect((json["virtualInterfaces"] as? [[String: Any]])?.last?["kind"] as? String == "transit")
        #expect((json["customerGateways"] as? [[String: Any]])?.first?["asn"] as? Int == 65000)
        #expect((json["directConnectGateways"] as? [[String: Any]])?.first?["id"] as? String == "5f294f92-bafb-4011-916d-9b0bc86b4c6f")
    }
}
