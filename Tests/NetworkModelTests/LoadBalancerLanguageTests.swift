import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

/// The load-balancer statements (Docs/DSL.md "Load balancers"): parsing every form, printing and `fmt` round trip,
/// and each validation error with its catalogue id and the offending word.
@Suite struct LoadBalancerLanguageTests {
    static let example = Fixtures.read("Topologies/load-balancers.vpc")

    @Test func exampleParsesEveryForm() throws {
        let (t, d) = Fixtures.load(LoadBalancerLanguageTests.example)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let web = try #require(t.vpcs.first)
        #expect(web.loadBalancers.map(\.name) == ["web-alb", "ssh-nlb", "old-elb"])
        let alb = web.loadBalancers[0]
        #expect(alb.kind == .application && alb.scheme == .internetFacing && alb.subnets == ["public-a", "public-b"])
        let addresses = [try IPv4Address("10.0.0.50"), try IPv4Address("10.0.1.50")]
        let publicAddresses = [try IPv4Address("54.0.0.1"), try IPv4Address("54.0.0.2")]
        #expect(alb.securityGroups == ["alb"] && alb.addresses == addresses)
        #expect(alb.publicAddresses == publicAddresses)
        #expect(alb.crossZone == nil && alb.crossZoneEnabled && alb.dnsName == "web-alb-1234.us-east-1.elb.amazonaws.com")
        #expect(alb.listeners == [Listener(listenerProtocol: .https, port: 443, defaultAction: .forward("web-tg"),
                                            rules: [.init(condition: "path-pattern=/api/*", targetGroup: "web-tg")],
                                            location: alb.listeners.first?.location ?? .unknown)])
        let nlb = web.loadBalancers[1]
        #expect(nlb.kind == .network && nlb.scheme == .internal && nlb.crossZone == false && !nlb.crossZoneEnabled)
        #expect(nlb.listeners.map(\.port) == [22, 2222] && nlb.listeners.map(\.listenerProtocol) == [.tcp, .tcp])
        let classic = web.loadBalancers[2]
        #expect(classic.listeners.first?.defaultAction == .instancePort(22) && classic.targets.map(\.target) == ["ops-1"])
        #expect(web.targetGroups.map(\.name) == ["web-tg", "ssh-tg", "ip-tg"])
        let ssh = web.targetGroups[1]
        #expect(ssh.targetType == .instance && ssh.targetProtocol == .tcp && ssh.port == 22 && ssh.preservesClientIP)
        #expect(ssh.targets.map(\.health) == [.healthy, .unhealthy] && ssh.targets.map(\.getsTraffic) == [true, false])
        let ip = web.targetGroups[2]
        #expect(ip.targetType == .ip && !ip.preservesClientIP && ip.targets.first?.health == nil)
    }

    @Test func printsAndRoundTrips() throws {
        let (t, d) = Fixtures.load(LoadBalancerLanguageTests.example)
        #expect(d.isEmpty)
        let printed = TopologyPrinter.format(t)
        let (again, d2) = Fixtures.load(printed)
        #expect(d2.isEmpty, "\(d2.map(\.rendered))")
        #expect(again.vpcs.first?.loadBalancers.map { $0.listeners.map(\.defaultAction) } == t.vpcs.first?.loadBalancers.map { $0.listeners.map(\.defaultAction) })
        #expect(again.vpcs.first?.targetGroups.map(\.targets.count) == [2, 2, 1])
        #expect(TopologyPrinter.format(again) == printed, "fmt is idempotent")
        #expect(printed.contains("  listener web-alb https 443 -> web-tg rule 'path-pattern=/api/*' -> web-tg\n"))
        #expect(printed.contains("  target ssh-tg web-2 unhealthy\n"))
        // Every written field survives (locations aside).
        var a = again.vpcs[0], b = t.vpcs[0]
        for k in a.loadBalancers.indices {
            a.loadBalancers[k].location = .unknown; b.loadBalancers[k].location = .unknown
            for j in a.loadBalancers[k].listeners.indices { a.loadBalancers[k].listeners[j].location = .unknown; b.loadBalancers[k].listeners[j].location = .unknown }
            for j in a.loadBalancers[k].targets.indices { a.loadBalancers[k].targets[j].location = .unknown; b.loadBalancers[k].targets[j].location = .unknown }
        }
        for k in a.targetGroups.indices {
            a.targetGroups[k].location = .unknown; b.targetGroups[k].location = .unknown
            for j in a.targetGroups[k].targets.indices { a.targetGroups[k].targets[j].location = .unknown; b.targetGroups[k].targets[j].location = .unknown }
        }
        #expect(a.loadBalancers == b.loadBalancers)
        #expect(a.targetGroups == b.targetGroups)
    }

    @Test func commentsOnLoadBalancerLinesAreKept() {
        let text = LoadBalancerLanguageTests.example.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("  listener ssh-nlb tcp 22 -> ssh-tg ") ? "  listener ssh-nlb tcp 22 -> ssh-tg  # ssh" : String($0) }.joined(separator: "\n")
        let formatted = TopologyPrinter.format(source: text, file: "x.vpc").formatted
        // The comment stays on its statement (aligned with the comments of the lines around it).
        let line = formatted?.split(separator: "\n").first { $0.contains("listener ssh-nlb tcp 22 -> ssh-tg") }
        #expect(line?.hasSuffix(" # ssh") == true, "\(formatted ?? "nil")")
    }

    struct Case: CustomStringConvertible, Sendable {
        var rule: String
        var lines: String
        var id: String
        var word: String
        var description: String { rule }
    }

    static let cases: [Case] = [
        Case(rule: "unknown subnet", lines: "load-balancer lb network internal subnets app-z", id: "dsl-unknown-name", word: "app-z"),
        Case(rule: "subnet of another VPC", lines: "load-balancer lb network internal subnets o-a", id: "dsl-wrong-owner", word: "o-a"),
        Case(rule: "two nodes in one AZ", lines: "load-balancer lb network internal subnets app-a app-c", id: "dsl-load-balancer", word: "app-c"),
        Case(rule: "unknown security group", lines: "load-balancer lb application internal subnets app-a app-b sg nope", id: "dsl-unknown-name", word: "nope"),
        Case(rule: "more addresses than subnets", lines: "load-balancer lb network internal subnets app-a ip 10.0.1.7 10.0.2.7", id: "dsl-load-balancer", word: "10.0.2.7"),
        Case(rule: "address outside its subnet", lines: "load-balancer lb network internal subnets app-a ip 10.0.2.7", id: "dsl-interface-address", word: "10.0.2.7"),
        Case(rule: "address of an instance", lines: "load-balancer lb network internal subnets app-a ip 10.0.1.10", id: "dsl-interface-address", word: "10.0.1.10"),
        Case(rule: "public address on an internal LB", lines: "load-balancer lb network internal subnets app-a public-ip 54.0.0.9", id: "dsl-load-balancer", word: "54.0.0.9"),
        Case(rule: "listener to an unknown target group", lines: "load-balancer lb network internal subnets app-a\n  listener lb tcp 80 -> tg-x", id: "dsl-unknown-name", word: "tg-x"),
        Case(rule: "listener to another VPC's target group", lines: "load-balancer lb network internal subnets app-a\n  listener lb tcp 80 -> far-tg", id: "dsl-wrong-owner", word: "far-tg"),
        Case(rule: "listener protocol of another type", lines: "load-balancer lb network internal subnets app-a\n  listener lb http 80 -> tg", id: "dsl-load-balancer", word: "http"),
        Case(rule: "two listeners on one port", lines: "load-balancer lb network internal subnets app-a\n  listener lb tcp 80 -> tg\n  listener lb tcp-udp 80 -> tg", id: "dsl-load-balancer", word: "80"),
        Case(rule: "listener of an undeclared LB", lines: "listener lbx tcp 80 -> tg", id: "dsl-unknown-name", word: "lbx"),
        Case(rule: "rules on an NLB listener", lines: "load-balancer lb network internal subnets app-a\n  listener lb tcp 80 -> tg rule 'host=x' -> tg", id: "dsl-load-balancer", word: "rule"),
        Case(rule: "classic listener to a target group", lines: "load-balancer lb classic internal subnets app-a\n  listener lb tcp 80 -> tg", id: "dsl-load-balancer", word: "80"),
        Case(rule: "bad listener port", lines: "load-balancer lb network internal subnets app-a\n  listener lb tcp 70000 -> tg", id: "dsl-bad-port", word: "70000"),
        Case(rule: "unknown instance target", lines: "target tg app-9", id: "dsl-unknown-name", word: "app-9"),
        Case(rule: "an instance in an ip group", lines: "target-group ipg ip tcp 22\n  target ipg app-1", id: "dsl-load-balancer", word: "app-1"),
        Case(rule: "target of an unknown group", lines: "target tgz app-1", id: "dsl-unknown-name", word: "tgz"),
        Case(rule: "missing subnets", lines: "load-balancer lb network internal", id: "dsl-missing-clause", word: "lb"),
        Case(rule: "unknown type", lines: "load-balancer lb gatway internal subnets app-a", id: "dsl-expected", word: "gatway"),
    ]

    static func topology(_ lines: String) -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app-a 10.0.1.0/24 az us-east-1a
          subnet app-b 10.0.2.0/24 az us-east-1b
          subnet app-c 10.0.3.0/24 az us-east-1a
          instance app-1 in app-a ip 10.0.1.10
          target-group tg instance tcp 80
          \(lines)
        }
        vpc other {
          cidr 10.1.0.0/16
          subnet o-a 10.1.1.0/24
          target-group far-tg instance tcp 80
        }
        """
    }

    @Test(arguments: cases) func eachMistakeIsReported(_ c: Case) throws {
        #expect(Fixtures.load(LoadBalancerLanguageTests.topology("")).1.isEmpty, "the base is valid")
        let text = LoadBalancerLanguageTests.topology(c.lines)
        let d = Fixtures.load(text).1
        let first = try #require(d.first, "no diagnostic for \(c.rule)")
        #expect(d.count == 1, "\(d.map(\.rendered))")
        #expect(first.id == c.id, "\(first.rendered)")
        // The caret is under the offending word.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = String(lines[first.line - 1])
        let column = try #require(LoadBalancerLanguageTests.column(of: c.word, in: line))
        #expect(first.column == column, "\(first.rendered)")
    }

    /// The 1-based column of the first whole-word `word` in `line`.
    static func column(of word: String, in line: String) -> Int? {
        let chars = Array(line), w = Array(word)
        guard chars.count >= w.count else { return nil }
        for i in 0...(chars.count - w.count) where Array(chars[i..<i + w.count]) == w {
            let before = i == 0 || chars[i - 1] == " "
            let after = i + w.count == chars.count || chars[i + w.count] == " " || chars[i + w.count] == "\n"
            if before && after { return i + 1 }
        }
        return nil
    }

    @Test func aTargetGroupIsNoQueryEndpoint() {
        let d = Fixtures.load(LoadBalancerLanguageTests.example + "assert reach web-1 -> web-tg tcp/80\n").1
        #expect(d.map(\.id) == ["dsl-wrong-kind"])
        #expect(Fixtures.load(LoadBalancerLanguageTests.example + "assert reach web-1 -> web-alb-1234.us-east-1.elb.amazonaws.com tcp/443\n").1.isEmpty)
    }
}
