import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// who-can-reach a load balancer (issue 23, Docs/QUESTIONS.md): every source that `reach` finds reaching it on a
/// listener port, and only those; the internet too for an internet-facing one.
@Suite struct LoadBalancerQuestionTests {
    /// An internet-facing NLB (tcp 443 → web-1:8080, client IP preserved: web-1's group admits only the corporate
    /// block and part of the VPC) and an internal ALB (https 443, http 80 → web-1:8080 from the ALB's group), with
    /// clients in and out of the admitted half.
    static let text = """
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table public {
            associate public-a
            route 0.0.0.0/0 -> igw
          }
          security-group alb {
            ingress tcp 443 from 10.0.0.0/16
          }
          security-group open {
            ingress all from 0.0.0.0/0
          }
          security-group app {
            ingress tcp 8080 from 10.0.0.128/25
            ingress tcp 8080 from 198.51.100.0/24
            ingress tcp 8080 from sg alb
          }
          instance web-1 in app-a ip 10.0.10.10 sg app
          instance inside in public-a ip 10.0.0.200 sg open
          instance outside in public-a ip 10.0.0.50 sg open
          target-group web-tg instance tcp 8080
          target web-tg web-1 healthy
          load-balancer web-nlb network internet-facing subnets public-a ip 10.0.0.20
          listener web-nlb tcp 443 -> web-tg
          target-group alb-tg instance http 8080
          target alb-tg web-1 healthy
          load-balancer web-alb application internal subnets public-a sg alb ip 10.0.0.30
          listener web-alb https 443 -> alb-tg
          listener web-alb http 80 -> alb-tg
        }
        """

    static func compiled() throws -> CompiledTopology {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "lb-questions.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        return CompiledTopology(topology)
    }

    static func answers(_ c: CompiledTopology, _ target: String, _ traffic: QuestionTraffic = QuestionTraffic()) throws -> [String: String] {
        let end = try AnswerGroupTests.end(c, target, side: .destination)
        var out: [String: String] = [:]
        for (party, grants) in c.whoCanReach(end, traffic: traffic) {
            out[party.name] = grants.allowed.map(\.description).joined(separator: " ")
                + grants.partial.map { " partly \($0.description)" }.joined()
        }
        return out
    }

    @Test func whoCanReachThePreservingNLBIsWhatReachSays() throws {
        let c = try Self.compiled()
        // The targets' group judges the client's address: `inside` (10.0.0.200) is admitted, `outside` is not, the
        // internet only from 198.51.100.0/24 (some of its addresses: reachable, as `reach internet` says).
        let got = try Self.answers(c, "web-nlb")
        #expect(got == ["inside": "tcp/443", "internet": "tcp/443"], "\(got)")
        // Port by port and party by party, the same as `reach`.
        let end = try AnswerGroupTests.end(c, "web-nlb", side: .destination)
        for party in c.questionParties(asSources: true) {
            for port: UInt16 in [80, 443, 8080] {
                guard case .success(let v) = c.reach(from: party.endpoint, to: end, traffic: TrafficSpec(ipProtocol: .tcp, port: port)) else {
                    Issue.record("\(party.name): no verdict")
                    continue
                }
                #expect((v.state == .reachable) == (got[party.name] == "tcp/\(port)"), "\(party.name) tcp/\(port): \(v.state)")
            }
        }
    }

    @Test func whoCanReachTheALBListsEveryListenerPort() throws {
        let c = try Self.compiled()
        // The ALB's group admits 443 from the VPC only (no rule for 80): the listener on 80 is closed at the group.
        let got = try Self.answers(c, "web-alb")
        #expect(got == ["inside": "tcp/443", "outside": "tcp/443", "web-1": "tcp/443"], "\(got)")
        // The traffic asked about narrows the listeners: nothing on UDP, nothing on 80.
        #expect(try Self.answers(c, "web-alb", QuestionTraffic(ipProtocol: .udp)).isEmpty)
        #expect(try Self.answers(c, "web-alb", QuestionTraffic(ipProtocol: .tcp, ports: PortSet(port: 80))).isEmpty)
        // The pair question (`--why`) agrees.
        let alb = try AnswerGroupTests.end(c, "web-alb", side: .destination)
        let inside = try AnswerGroupTests.end(c, "inside", side: .source)
        #expect(c.connections(from: inside, to: alb, traffic: QuestionTraffic()).allowed.map(\.description) == ["tcp/443"])
    }

    @Test func reachableFromListsTheLoadBalancersASourceReaches() throws {
        let c = try Self.compiled()
        func destinations(_ source: String) throws -> [String: String] {
            let end = try AnswerGroupTests.end(c, source, side: .source)
            var out: [String: String] = [:]
            for (party, grants) in c.reachableFrom(end, traffic: QuestionTraffic()) where party.kind == .loadBalancer {
                out[party.name] = grants.allowed.map(\.description).joined(separator: " ")
            }
            return out
        }
        // `inside` reaches both (the NLB's targets admit its address); `outside` only the ALB; each as `reach` says.
        #expect(try destinations("inside") == ["web-nlb": "tcp/443", "web-alb": "tcp/443"])
        #expect(try destinations("outside") == ["web-alb": "tcp/443"])
        #expect(try destinations("internet") == ["web-nlb": "tcp/443"])
        let outside = try AnswerGroupTests.end(c, "outside", side: .source)
        let nlb = try AnswerGroupTests.end(c, "web-nlb", side: .destination)
        guard case .success(let v) = c.reach(from: outside, to: nlb, traffic: TrafficSpec(ipProtocol: .tcp, port: 443)) else {
            Issue.record("no verdict")
            return
        }
        #expect(v.state == .unreachable)
    }
}
