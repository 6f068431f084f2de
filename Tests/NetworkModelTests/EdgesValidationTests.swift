import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

/// Validation of the network's edges: each case is a valid base with one mistake (exactly one diagnostic, with
/// the catalogue id and the position of the offending word) and the same base corrected (no diagnostic).
@Suite struct EdgesValidationTests {
    struct Case: CustomStringConvertible, Sendable {
        var rule: String
        var bad: String
        var good: String
        /// The catalogue id, the last line containing `snippet`, and `word`'s column on it.
        var id: String
        var snippet: String
        var word: String
        var description: String { rule }
    }

    static func edges(table: String = "", vpc: String = "", tgw: String = "", top: String = "") -> String {
        """
        prefix-list s3 { 52.216.0.0/15 }
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          vpn-gateway vgw1 id vgw-0a1
          subnet app-a 10.0.1.0/24 az us-east-1a
          subnet app-b 10.0.2.0/24 az us-east-1b
          subnet app-c 10.0.3.0/24 az us-east-1a
          security-group ep {
            ingress tcp 443 from 10.0.0.0/16
          }
          route-table private main {
            associate app-a app-b
        \(table)
          }
        \(vpc)
          instance app-1 in app-a ip 10.0.1.10
        }
        vpc other {
          cidr 10.1.0.0/16
          internet-gateway igw2
          vpn-gateway vgw2
          subnet o-a 10.1.1.0/24
          route-table o-rt {
          }
        }
        transit-gateway core {
          attachment prod-att vpc prod subnets app-a
        \(tgw)
        }
        transit-gateway far {
        }
        customer-gateway cgw ip 198.51.100.1 asn 65000 id cgw-0a1
        vpn-connection office-vpn vgw vgw1 customer-gateway cgw static 192.168.0.0/16 id vpn-0a1
        onprem office 192.168.0.0/16 via office-vpn
        \(top)
        """
    }

    static let cases: [Case] = [
        Case(rule: "propagate names the VPC's own VGW", bad: edges(table: "    propagate vgw2"), good: edges(table: "    propagate vgw1"),
             id: "dsl-wrong-owner", snippet: "propagate vgw2", word: "vgw2"),
        Case(rule: "propagate names a VPN gateway", bad: edges(table: "    propagate igw"), good: edges(table: "    propagate vgw1"),
             id: "dsl-wrong-kind", snippet: "propagate igw", word: "igw"),
        Case(rule: "propagate names something declared", bad: edges(table: "    propagate vgw9"), good: edges(table: "    propagate vgw1"),
             id: "dsl-unknown-name", snippet: "propagate vgw9", word: "vgw9"),
        Case(rule: "propagate lists a gateway once", bad: edges(table: "    propagate vgw1 vgw1"), good: edges(table: "    propagate vgw1"),
             id: "dsl-duplicate-association", snippet: "propagate vgw1 vgw1", word: "vgw1"),
        Case(rule: "edge-associate names the VPC's own gateway", bad: edges(table: "    edge-associate igw2"),
             good: edges(table: "    edge-associate igw"), id: "dsl-wrong-owner", snippet: "edge-associate igw2", word: "igw2"),
        Case(rule: "edge-associate names an IGW or VGW", bad: edges(table: "    edge-associate ep"),
             good: edges(table: "    edge-associate vgw1"), id: "dsl-wrong-kind", snippet: "edge-associate ep", word: "ep"),
        Case(rule: "a gateway has one gateway route table",
             bad: edges(table: "    edge-associate igw", vpc: "  route-table ingress {\n    edge-associate igw  # again\n  }"),
             good: edges(table: "    edge-associate igw", vpc: "  route-table ingress {\n    edge-associate vgw1\n  }"),
             id: "dsl-duplicate-association", snippet: "edge-associate igw  # again", word: "igw"),
        Case(rule: "a route to a VGW: the route's VPC's", bad: edges(table: "    route 192.168.0.0/16 -> vgw2"),
             good: edges(table: "    route 192.168.0.0/16 -> vgw1"), id: "dsl-wrong-owner", snippet: "-> vgw2", word: "vgw2"),
        Case(rule: "a route to a VGW is IPv4", bad: edges(table: "    route ::/0 -> vgw1"),
             good: edges(table: "    route 0.0.0.0/0 -> vgw1"), id: "dsl-route-target", snippet: "route ::/0 -> vgw1", word: "vgw1"),
        Case(rule: "no written route to a gateway endpoint",
             bad: edges(table: "    route 52.216.0.0/15 -> s3-gw", vpc: "  endpoint s3-gw gateway s3 route-tables private"),
             good: edges(vpc: "  endpoint s3-gw gateway s3 route-tables private"),
             id: "dsl-route-target", snippet: "-> s3-gw", word: "s3-gw"),
        Case(rule: "a route cannot target a customer gateway", bad: edges(table: "    route 192.168.0.0/16 -> cgw"),
             good: edges(table: "    route 192.168.0.0/16 -> vgw1"), id: "dsl-wrong-kind", snippet: "-> cgw", word: "cgw"),
        Case(rule: "gateway endpoint needs its prefix list", bad: edges(vpc: "  endpoint ddb gateway dynamodb route-tables private"),
             good: edges(vpc: "  endpoint ddb gateway dynamodb route-tables private prefix-list pl:s3"),
             id: "dsl-unknown-name", snippet: "endpoint ddb", word: "ddb"),
        Case(rule: "gateway endpoint's named prefix list exists", bad: edges(vpc: "  endpoint e gateway s3 prefix-list pl:s4"),
             good: edges(vpc: "  endpoint e gateway s3 prefix-list pl:s3"), id: "dsl-unknown-name", snippet: "endpoint e", word: "pl:s4"),
        Case(rule: "gateway endpoints serve S3 and DynamoDB", bad: edges(vpc: "  endpoint e gateway ssm prefix-list pl:s3"),
             good: edges(vpc: "  endpoint e gateway com.amazonaws.us-east-1.s3 prefix-list pl:s3"),
             id: "dsl-vpc-endpoint", snippet: "endpoint e", word: "e"),
        Case(rule: "gateway endpoint route tables in its VPC", bad: edges(vpc: "  endpoint e gateway s3 route-tables o-rt"),
             good: edges(vpc: "  endpoint e gateway s3 route-tables private"), id: "dsl-wrong-owner", snippet: "endpoint e", word: "o-rt"),
        Case(rule: "interface endpoint: one subnet per AZ", bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a app-c"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a app-b"), id: "dsl-vpc-endpoint", snippet: "endpoint ssm", word: "app-c"),
        Case(rule: "interface endpoint subnets in its VPC", bad: edges(vpc: "  endpoint ssm interface ssm subnets o-a"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a"), id: "dsl-wrong-owner", snippet: "endpoint ssm", word: "o-a"),
        Case(rule: "interface endpoint ip inside its subnet", bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a app-b ip 10.0.1.50 10.0.1.51"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a app-b ip 10.0.1.50 10.0.2.51"),
             id: "dsl-interface-address", snippet: "endpoint ssm", word: "10.0.1.51"),
        Case(rule: "interface endpoint ip not reserved", bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.2"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.4"),
             id: "dsl-interface-address", snippet: "endpoint ssm", word: "10.0.1.2"),
        Case(rule: "interface endpoint ip not used by an instance", bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.10"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.11"),
             id: "dsl-interface-address", snippet: "endpoint ssm", word: "10.0.1.10"),
        Case(rule: "interface endpoint ip not used by another endpoint",
             bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.50\n  endpoint ec2 interface ec2 subnets app-a ip 10.0.1.50"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.50\n  endpoint ec2 interface ec2 subnets app-a ip 10.0.1.51"),
             id: "dsl-interface-address", snippet: "endpoint ec2", word: "10.0.1.50"),
        Case(rule: "interface endpoint: one ip per subnet", bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.50 10.0.1.51"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a ip 10.0.1.50"),
             id: "dsl-vpc-endpoint", snippet: "endpoint ssm", word: "10.0.1.51"),
        Case(rule: "interface endpoint groups in its VPC", bad: edges(vpc: "  endpoint ssm interface ssm subnets app-a sg eq"),
             good: edges(vpc: "  endpoint ssm interface ssm subnets app-a sg ep"), id: "dsl-unknown-name", snippet: "endpoint ssm", word: "eq"),
        Case(rule: "VPN connection names a customer gateway",
             bad: edges(top: "vpn-connection v vgw vgw1 customer-gateway cgx bgp"),
             good: edges(top: "vpn-connection v vgw vgw1 customer-gateway cgw bgp"), id: "dsl-unknown-name", snippet: "vpn-connection v ", word: "cgx"),
        Case(rule: "VPN connection's vgw is a VPN gateway",
             bad: edges(top: "vpn-connection v vgw app-a customer-gateway cgw bgp"),
             good: edges(top: "vpn-connection v vgw vgw2 customer-gateway cgw bgp"), id: "dsl-wrong-kind", snippet: "vpn-connection v ", word: "app-a"),
        Case(rule: "a TGW VPN connection has its attachment",
             bad: edges(top: "vpn-connection v tgw core customer-gateway cgw bgp"),
             good: edges(tgw: "  attachment v-att vpn v", top: "vpn-connection v tgw core customer-gateway cgw bgp"),
             id: "dsl-bad-attachment", snippet: "vpn-connection v ", word: "v"),
        Case(rule: "a TGW vpn attachment's connection ends on that TGW",
             bad: edges(tgw: "  attachment v-att vpn office-vpn"),
             good: edges(tgw: "  attachment v-att vpn v", top: "vpn-connection v tgw core customer-gateway cgw bgp"),
             id: "dsl-wrong-owner", snippet: "attachment v-att", word: "office-vpn"),
        Case(rule: "a VPN connection has two tunnels",
             bad: edges(top: "vpn-connection v vgw vgw2 customer-gateway cgw bgp tunnels up down up"),
             good: edges(top: "vpn-connection v vgw vgw2 customer-gateway cgw bgp tunnels up down"),
             id: "dsl-edge", snippet: "vpn-connection v ", word: "v"),
        Case(rule: "DX gateway associations name VGWs or TGWs", bad: edges(top: "dx-gateway dxg {\n  associate app-a\n}"),
             good: edges(top: "dx-gateway dxg {\n  associate vgw1 allowed 10.0.0.0/16\n}"),
             id: "dsl-wrong-kind", snippet: "associate app-a", word: "app-a"),
        Case(rule: "DX gateway associates a gateway once", bad: edges(top: "dx-gateway dxg {\n  associate core\n  associate core allowed 10.0.0.0/8\n}"),
             good: edges(top: "dx-gateway dxg {\n  associate core allowed 10.0.0.0/8\n}"),
             id: "dsl-duplicate-association", snippet: "associate core allowed", word: "core"),
        Case(rule: "a DX attachment's gateway is associated with the TGW",
             bad: edges(tgw: "  attachment dx-att dx-gateway dxg", top: "dx-gateway dxg {\n  associate vgw1\n}"),
             good: edges(tgw: "  attachment dx-att dx-gateway dxg", top: "dx-gateway dxg {\n  associate core\n}"),
             id: "dsl-bad-attachment", snippet: "attachment dx-att", word: "dxg"),
        Case(rule: "dx-vif ends on a declared DX gateway", bad: edges(top: "dx-vif dc private dx-gateway dxh\ndx-gateway dxg"),
             good: edges(top: "dx-vif dc private dx-gateway dxg\ndx-gateway dxg"), id: "dsl-unknown-name", snippet: "dx-vif dc", word: "dxh"),
        Case(rule: "private dx-vif on a VGW", bad: edges(top: "dx-vif dc private vgw igw"),
             good: edges(top: "dx-vif dc private vgw vgw1"), id: "dsl-wrong-kind", snippet: "dx-vif dc", word: "igw"),
        Case(rule: "onprem via names an edge", bad: edges(top: "onprem dc 10.10.0.0/16 via cgw"),
             good: edges(top: "onprem dc 10.10.0.0/16 via vpn-0a1"), id: "dsl-wrong-kind", snippet: "onprem dc", word: "cgw"),
        Case(rule: "onprem via names something declared", bad: edges(top: "onprem dc 10.10.0.0/16 via dc-x"),
             good: edges(top: "onprem dc 10.10.0.0/16 via vgw-0a1"), id: "dsl-unknown-name", snippet: "onprem dc", word: "dc-x"),
        Case(rule: "onprem declares prefixes", bad: edges(top: "onprem dc {\n  via office-vpn\n}"),
             good: edges(top: "onprem dc {\n  prefix 10.10.0.0/16\n  via office-vpn\n}"), id: "dsl-missing-clause", snippet: "onprem dc", word: "dc"),
        Case(rule: "peering attachment names a TGW", bad: edges(tgw: "  attachment p peering fra"),
             good: edges(tgw: "  attachment p peering far"), id: "dsl-unknown-name", snippet: "attachment p ", word: "fra"),
        Case(rule: "a TGW does not peer with itself", bad: edges(tgw: "  attachment p peering core"),
             good: edges(tgw: "  attachment p peering far"), id: "dsl-bad-attachment", snippet: "attachment p ", word: "core"),
        Case(rule: "peering attachments do not propagate",
             bad: edges(tgw: "  attachment p peering far\n  route-table t {\n    propagate p\n  }"),
             good: edges(tgw: "  attachment p peering far\n  route-table t {\n    route 10.50.0.0/16 -> p\n  }"),
             id: "dsl-bad-attachment", snippet: "propagate p", word: "p"),
        Case(rule: "edge names are unique across kinds", bad: edges(top: "customer-gateway app-b ip 198.51.100.2 asn 65001"),
             good: edges(top: "customer-gateway cgw-2 ip 198.51.100.2 asn 65001"), id: "dsl-duplicate-name",
             snippet: "customer-gateway app-b", word: "app-b"),
        Case(rule: "edge names are unique among edges", bad: edges(top: "onprem cgw 10.10.0.0/16 via office-vpn"),
             good: edges(top: "onprem dc 10.10.0.0/16 via office-vpn"), id: "dsl-duplicate-name", snippet: "onprem cgw", word: "cgw"),
        Case(rule: "assert onprem: names an on-premises network", bad: edges(top: "assert reach onprem:offic -> app-1 tcp/443"),
             good: edges(top: "assert reach onprem:office -> app-1 tcp/443"), id: "dsl-unknown-name", snippet: "assert reach", word: "onprem:offic"),
        Case(rule: "assert onprem:NAME:ADDRESS inside the network", bad: edges(top: "assert reach onprem:office:10.9.0.1 -> app-1 tcp/443"),
             good: edges(top: "assert reach onprem:office:192.168.1.10 -> app-1 tcp/443"), id: "dsl-bad-endpoint", snippet: "assert reach",
             word: "onprem:office:10.9.0.1"),
        Case(rule: "assert EDGE:ADDRESS names an edge", bad: edges(top: "assert reach app-1 -> office-vpm:192.168.1.10 tcp/22"),
             good: edges(top: "assert reach app-1 -> vpn-0a1:192.168.1.10 tcp/22"), id: "dsl-unknown-name", snippet: "assert reach",
             word: "office-vpm:192.168.1.10"),
        Case(rule: "assert a bare on-premises name", bad: edges(top: "assert reach office -> app-1 tcp/443"),
             good: edges(top: "assert reach office-vpn -> app-1 tcp/443"), id: "dsl-wrong-kind", snippet: "assert reach", word: "office"),
    ]

    @Test(arguments: EdgesValidationTests.cases)
    func ruleFailsAndPasses(_ c: Case) throws {
        let bad = Fixtures.load(c.bad, file: "edges.vpc").1
        #expect(bad.count == 1, "\(bad.map(\.rendered))")
        let d = try #require(bad.first)
        let lines = c.bad.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.lastIndex { $0.contains(c.snippet) }, "snippet not in the case")
        let text = lines[line]
        let column = try #require(text.ranges(of: c.word).first { r in
            // A whole word: not inside a longer name.
            let before = r.lowerBound == text.startIndex ? " " : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? " " : text[r.upperBound]
            return !(before.isLetter || before.isNumber || before == "-")
                && !(after.isLetter || after.isNumber || after == "-")
        }).lowerBound
        #expect(d.id == c.id, "\(d.rendered)")
        #expect(d.line == line + 1 && d.column == text.distance(from: text.startIndex, to: column) + 1, "\(d.rendered)")
        let good = Fixtures.load(c.good, file: "edges.vpc").1
        #expect(good.isEmpty, "\(good.map(\.rendered))")
    }

    @Test func baseIsValid() {
        #expect(Fixtures.load(EdgesValidationTests.edges()).1.isEmpty)
    }

    @Test func assertEndpointsNamingEdgesAreValid() {
        let text = EdgesValidationTests.edges(vpc: "  endpoint s3-gw gateway s3 route-tables private id vpce-0s3", top: """
            assert reach app-1 -> s3-gw tcp/443
            assert reach app-1 -> vpce-0s3 tcp/443
            assert reach app-1 -> s3 tcp/443
            assert reach office-vpn -> app-1 tcp/443
            assert reach vpn-0a1 -> app-1 tcp/443
            assert reach onprem:office -> app-1 tcp/443
            """)
        let d = Fixtures.load(text).1
        #expect(d.isEmpty, "\(d.map(\.rendered))")
    }

    @Test func assertNamingAServiceByItsFullAWSNameIsValid() {
        // The endpoint is written `s3`; the engine resolves the short name, the name as written and AWS's full name
        // in the VPC's region (`VPCEndpoint.servesService`): the validator accepts the same names.
        func text(_ service: String) -> String {
            "region us-east-1\n" + EdgesValidationTests.edges(vpc: "  endpoint s3-gw gateway s3 route-tables private",
                                                              top: "assert reach app-1 -> \(service) tcp/443")
        }
        let d = Fixtures.load(text("com.amazonaws.us-east-1.s3")).1
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        // Another region's service is not this endpoint's: still an error.
        let other = Fixtures.load(text("com.amazonaws.eu-west-1.s3")).1
        #expect(other.count == 1, "\(other.map(\.rendered))")
    }

    @Test func aSecondVPNGatewayIsAParseError() throws {
        let (_, d) = TopologyParser.parse("vpc p {\n  cidr 10.0.0.0/16\n  vpn-gateway a\n  vpn-gateway b\n}\n", file: "x.vpc")
        let e = try #require(d.first)
        #expect(d.count == 1 && e.id == "dsl-one-per-vpc" && e.line == 4 && e.column == 3, "\(d.map(\.rendered))")
    }

    @Test func propagateAndEdgeAssociateAreCheckedWithoutAnyEdge() throws {
        let text = "vpc p {\n  cidr 10.0.0.0/16\n  route-table r {\n    propagate vgw9\n    edge-associate igw9\n  }\n}\n"
        let d = Fixtures.load(text).1
        #expect(d.map(\.id) == ["dsl-unknown-name", "dsl-unknown-name"], "\(d.map(\.rendered))")
        #expect(d.map(\.line) == [4, 5])
    }

    @Test func existingTopologiesSkipTheEdgeChecks() {
        var v = Validation(topology: Topology(), sources: [:])
        v.collectEdgeNames()
        #expect(!v.hasEdges)
    }
}
