import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

/// Gateway Load Balancers, their `geneve` target groups and their endpoints (Docs/DSL.md "Gateway Load Balancers"):
/// parsing, printing and `fmt` round trip, routes to the endpoint, and each validation error with its id and word.
@Suite struct GatewayLoadBalancerLanguageTests {
    static let example = Fixtures.read("Topologies/inspection-vpc.vpc")

    @Test func exampleParsesEveryPart() throws {
        let (t, d) = Fixtures.load(Self.example)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let vpc = try #require(t.vpcs.first)
        let gwlb = try #require(vpc.loadBalancers.first)
        #expect(gwlb.kind == .gateway && gwlb.scheme == .internal && gwlb.subnets == ["fw-a"] && !gwlb.crossZoneEnabled)
        #expect(gwlb.listeners.map(\.defaultAction) == [.forward("appliances")])
        #expect(gwlb.listeners.first?.listenerProtocol == .geneve && gwlb.listeners.first?.port == 6081)
        let group = try #require(vpc.targetGroups.first)
        #expect(group.targetProtocol == .geneve && group.port == 6081 && group.targetType == .instance)
        #expect(group.targets.map(\.getsTraffic) == [true, false])
        let e = try #require(vpc.endpoints.first)
        #expect(e.kind == .gatewayLoadBalancer && e.service == "inspect" && e.subnets == ["gwlbe-a"] && e.id == "vpce-0b1")
        #expect(e.addresses == [try IPv4Address("10.0.2.10")])
        let ingress = try #require(vpc.routeTables.first { $0.name == "ingress" })
        #expect(ingress.edgeAssociations == ["igw"] && ingress.routes.map(\.target) == [.named("inspect-a")])
    }

    @Test func printsCanonicallyAndRoundTrips() throws {
        let (t, d) = Fixtures.load(Self.example)
        #expect(d.isEmpty)
        let printed = TopologyPrinter.format(t)
        #expect(printed.contains("  load-balancer inspect gateway subnets fw-a ip 10.0.3.100\n"), "no scheme printed")
        #expect(printed.contains("  listener inspect -> appliances\n"), "no protocol or port printed")
        #expect(printed.contains("  target-group appliances instance geneve 6081\n"))
        #expect(printed.contains("  endpoint inspect-a gateway-load-balancer inspect subnets gwlbe-a ip 10.0.2.10 id vpce-0b1\n"))
        let (again, d2) = Fixtures.load(printed)
        #expect(d2.isEmpty, "\(d2.map(\.rendered))")
        #expect(TopologyPrinter.format(again) == printed, "fmt is idempotent")
        #expect(TopologyPrinter.format(source: Self.example, file: "x.vpc").formatted == Self.example, "the file is fmt-canonical")
        // `internal` is accepted and dropped.
        let withScheme = Self.example.replacing("load-balancer inspect gateway subnets", with: "load-balancer inspect gateway internal subnets", maxReplacements: 1)
        #expect(withScheme != Self.example)
        #expect(TopologyPrinter.format(source: withScheme, file: "x.vpc").formatted == Self.example)
    }

    struct Case: CustomStringConvertible, Sendable {
        var rule: String
        var lines: String
        var id: String
        var word: String
        var description: String { rule }
    }

    static let cases: [Case] = [
        Case(rule: "internet-facing GWLB", lines: "load-balancer g2 gateway internet-facing subnets fw-a", id: "dsl-load-balancer", word: "internet-facing"),
        Case(rule: "GWLB with security groups", lines: "load-balancer g2 gateway subnets fw-a sg appliance", id: "dsl-load-balancer", word: "appliance"),
        Case(rule: "GWLB to a tcp group", lines: "target-group t2 instance tcp 80\n  load-balancer g2 gateway subnets fw-a\n  listener g2 -> t2", id: "dsl-load-balancer", word: "t2"),
        Case(rule: "NLB to a geneve group", lines: "load-balancer n2 network internal subnets fw-a\n  listener n2 tcp 80 -> appliances", id: "dsl-load-balancer", word: "appliances"),
        Case(rule: "geneve on another port", lines: "target-group t2 ip geneve 6082", id: "dsl-load-balancer", word: "6082"),
        Case(rule: "GWLB listener with a port", lines: "load-balancer g2 gateway subnets fw-a\n  listener g2 geneve 6081 -> appliances", id: "dsl-expected", word: "geneve"),
        Case(rule: "second GWLB listener", lines: "listener inspect -> appliances", id: "dsl-load-balancer", word: "->"),
        Case(rule: "geneve listener on an NLB", lines: "load-balancer n2 network internal subnets fw-a\n  listener n2 geneve 6081 -> appliances", id: "dsl-load-balancer", word: "geneve"),
        Case(rule: "endpoint of an unknown GWLB", lines: "endpoint e2 gateway-load-balancer nope subnets gwlbe-a", id: "dsl-unknown-name", word: "nope"),
        Case(rule: "endpoint of an NLB", lines: "load-balancer n2 network internal subnets fw-a\n  endpoint e2 gateway-load-balancer n2 subnets gwlbe-a", id: "dsl-vpc-endpoint", word: "n2"),
        Case(rule: "endpoint in two subnets", lines: "endpoint e2 gateway-load-balancer inspect subnets gwlbe-a app-a", id: "dsl-missing-clause", word: "e2"),
        Case(rule: "endpoint with a security group", lines: "endpoint e2 gateway-load-balancer inspect subnets gwlbe-a sg web", id: "dsl-conflict", word: "sg"),
        Case(rule: "endpoint address outside its subnet", lines: "endpoint e2 gateway-load-balancer inspect subnets gwlbe-a ip 10.0.1.50", id: "dsl-interface-address", word: "10.0.1.50"),
        Case(rule: "route to another VPC's endpoint", lines: "route-table far {\n    route 10.9.0.0/16 -> other-e\n  }", id: "dsl-wrong-owner", word: "other-e"),
    ]

    static func topology(_ lines: String) -> String {
        """
        vpc shop {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet app-a 10.0.1.0/24 az us-east-1a
          subnet gwlbe-a 10.0.2.0/24 az us-east-1a
          subnet fw-a 10.0.3.0/24 az us-east-1a
          security-group web {
            ingress tcp 443 from 0.0.0.0/0
          }
          security-group appliance {
            ingress udp 6081 from 10.0.3.0/24
          }
          instance fw-1 in fw-a ip 10.0.3.10 sg appliance
          endpoint inspect-a gateway-load-balancer inspect subnets gwlbe-a
          target-group appliances instance geneve 6081
          target appliances fw-1
          load-balancer inspect gateway subnets fw-a
          listener inspect -> appliances
          \(lines)
        }
        vpc other {
          cidr 10.1.0.0/16
          subnet o-a 10.1.1.0/24
          endpoint other-e gateway-load-balancer inspect subnets o-a
        }
        """
    }

    @Test(arguments: cases) func eachMistakeIsReported(_ c: Case) throws {
        #expect(Fixtures.load(Self.topology("")).1.isEmpty, "the base is valid: \(Fixtures.load(Self.topology("")).1.map(\.rendered))")
        let text = Self.topology(c.lines)
        let d = Fixtures.load(text).1
        let first = try #require(d.first, "no diagnostic for \(c.rule)")
        #expect(d.count == 1, "\(d.map(\.rendered))")
        #expect(first.id == c.id, "\(first.rendered)")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = String(lines[first.line - 1])
        let column = try #require(LoadBalancerLanguageTests.column(of: c.word, in: line), "\(first.rendered)")
        #expect(first.column == column, "\(first.rendered)")
    }

    @Test func anEndpointServiceOutsideTheFileIsAccepted() {
        let text = Self.topology("endpoint e2 gateway-load-balancer com.amazonaws.vpce.us-east-1.vpce-svc-0abc subnets app-a")
        #expect(Fixtures.load(text).1.isEmpty)
    }
}
