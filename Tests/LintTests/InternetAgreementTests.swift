import IPAddressing
import Lint
import NetworkModel
import Reachability
import Testing

/// `reach`, `assert` lines, the open-ports mode and lint's `instance-internet-exposed` give one answer about the
/// internet (issue 14 part 4): reachable when some public address gets through.
@Suite struct InternetAgreementTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var sg = "ingress tcp 22 from 0.0.0.0/0"
        var nacl = ""
        var routes = "route 0.0.0.0/0 -> igw"
        var publicIP = "public-ip 54.1.2.3"
        /// The expected answer: the public addresses that reach bastion-1 on tcp/22 (nil: none).
        var reachableFrom: [String]?
        /// True when every public address does.
        var everywhere = false
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "tcp/22 from one public block", sg: "ingress tcp 22 from 198.51.100.0/24", reachableFrom: ["198.51.100.0/24"]),
        Case(name: "tcp/22 from 0.0.0.0/0", reachableFrom: [], everywhere: true),
        Case(name: "tcp/22 from a private block only", sg: "ingress tcp 22 from 10.0.0.0/8", reachableFrom: nil),
        Case(name: "a NACL denies the internet but one block", nacl: """
            network-acl n {
                associate public-a
                inbound 100 allow tcp 22 from 192.0.2.0/24
                inbound 110 deny tcp 22 from 0.0.0.0/0
                inbound 120 allow all from 0.0.0.0/0
                outbound 100 allow all to 0.0.0.0/0
              }
            """, reachableFrom: ["192.0.2.0/24"]),
        Case(name: "no route to the IGW", routes: "", reachableFrom: nil),
        Case(name: "an IGW route for one block only", routes: "route 203.0.113.0/24 -> igw", reachableFrom: ["203.0.113.0/24"]),
        Case(name: "no public IP", publicIP: "public-ip none", reachableFrom: nil),
    ]

    static func text(_ c: Case, assert line: String) -> String {
        """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          route-table public {
            associate public-a
            \(c.routes)
          }
          security-group bastion {
            \(c.sg)
          }
          \(c.nacl)
          instance bastion-1 in public-a ip 10.0.0.10 \(c.publicIP) sg bastion
        }
        \(line)
        """
    }

    @Test(arguments: cases) func reachAssertsOpenPortsAndLintAgree(_ c: Case) throws {
        let expected = c.reachableFrom != nil
        for (line, holdsWhenReachable) in [("assert reach internet -> bastion-1 tcp/22", true),
                                           ("assert noreach internet -> bastion-1 tcp/22", false)] {
            let (topology, diagnostics) = TopologyLoader.load(Self.text(c, assert: line), file: "t.vpc")
            #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.rendered))")
            let compiled = CompiledTopology(topology)

            // reach
            let source = try compiled.resolveQuery("internet", side: .source).get()
            let destination = try compiled.resolveQuery("bastion-1", side: .destination).get()
            let verdict = try compiled.reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: .tcp, port: 22)).get()
            #expect(verdict.isReachable == expected, "\(c): reach")
            if let want = c.reachableFrom, !c.everywhere {
                #expect(verdict.internet?.addresses == (try want.map { try IPPrefix($0) }), "\(c): addresses")
            }
            #expect(verdict.internet?.coversQueriedSet == c.everywhere, "\(c): everywhere")

            // assert
            let results = compiled.evaluateAssertions()
            #expect(results.count == 1 && results[0].holds == (holdsWhenReachable == expected), "\(c): \(line): \(results.map(\.failureMessage))")
            if let message = results.first?.failureMessage, expected, let want = c.reachableFrom?.first {
                #expect(message.contains("reachable from \(want)"), "\(message)")
            }

            // the open-ports mode
            let open = try compiled.openPorts(from: source, to: destination).get()
            let tcp = open.first { $0.traffic == "tcp" }
            #expect(tcp?.ports.contains(22) == expected, "\(c): open ports \(String(describing: tcp?.ports))")

            // lint (22 is outside the default allowed internet ports 80 and 443)
            let exposed = Linter.lint(topology).filter { $0.ruleID == "instance-internet-exposed" }
            #expect(exposed.count == (expected ? 1 : 0), "\(c): lint \(exposed.map(\.message))")
            if expected { #expect(exposed.first?.message.contains("tcp 22") == true) }
        }
    }
}
