import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// The grouped text of `who-can-reach` / `reachable-from` (``CompiledTopology/answerGroups(_:end:)``): subnets
/// whose answering interfaces share an answer, then security-group sets, then (subnet, security-group set) pairs,
/// then parties alone; and `--why`'s
/// choice of traffic (``ConnectionGrants/whyTraffic(asked:)``).
@Suite struct AnswerGroupTests {
    /// app-a (a1-a3) reach db-1 on 5432; app-b (b1, b2) only partly (db-nacl answers client ports 30000-65535
    /// only); mixed holds m1 (sg app: 5432) and m2, m3 (sg ops: 22 and 5432); o9 (sg ops) in far gets nothing
    /// (far-nacl denies everything). sg app admits 8080 from itself.
    static let text = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app-a 10.0.1.0/24
          subnet app-b 10.0.2.0/24
          subnet mixed 10.0.3.0/24
          subnet far 10.0.4.0/24
          subnet data 10.0.9.0/24
          route-table rt main {
          }
          security-group app {
            ingress tcp 8080 from sg app
          }
          security-group ops {
          }
          security-group db {
            ingress tcp 5432 from 10.0.0.0/16
            ingress tcp 22 from sg ops
          }
          network-acl db-nacl {
            associate data
            inbound 100 allow tcp 5432 from 10.0.0.0/16
            inbound 110 allow tcp 22 from 10.0.0.0/16
            outbound 100 allow tcp 1024-65535 to 10.0.1.0/24
            outbound 110 allow tcp 30000-65535 to 10.0.2.0/24
            outbound 120 allow tcp 1024-65535 to 10.0.3.0/24
          }
          network-acl far-nacl {
            associate far
          }
          instance a1 in app-a ip 10.0.1.10 sg app
          instance a2 in app-a ip 10.0.1.11 sg app
          instance a3 in app-a ip 10.0.1.12 sg app
          instance b1 in app-b ip 10.0.2.10 sg app
          instance b2 in app-b ip 10.0.2.11 sg app
          instance m1 in mixed ip 10.0.3.10 sg app
          instance m2 in mixed ip 10.0.3.11 sg ops
          instance m3 in mixed ip 10.0.3.12 sg ops
          instance o9 in far ip 10.0.4.10 sg ops
          instance db-1 in data ip 10.0.9.10 sg db
        }
        """

    static func topology() throws -> Topology {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "groups.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        return topology
    }

    static func end(_ c: CompiledTopology, _ name: String, side: InternetAnswer.Side) throws -> QueryEndpoint {
        guard case .success(let e) = c.resolveQuery(name, side: side) else {
            Issue.record("\(name) does not resolve")
            throw ResolveFailed()
        }
        return e
    }
    struct ResolveFailed: Error {}

    @Test func subnetsThenSecurityGroupSetsThenParties() throws {
        let c = CompiledTopology(try Self.topology())
        let db = try Self.end(c, "db-1", side: .destination)
        let answers = c.whoCanReach(db, traffic: QuestionTraffic())
        let groups = c.answerGroups(answers, end: db)
        func names(_ g: AnswerGroup) -> [String] { g.members.map { answers[$0].party.name } }
        #expect(groups.map(\.kind) == [.subnet("app-a"), .subnet("app-b"), .party, .securityGroups(["ops"])])
        #expect(groups.map(names) == [["a1", "a2", "a3"], ["b1", "b2"], ["m1"], ["m2", "m3"]])
        // Totals: app-a and app-b answer whole; sg ops has o9 too, which gets nothing.
        #expect(groups.map(\.total) == [3, 2, 1, 3])
        // Every member of a group has the group's answer, and every answer is in exactly one group.
        for g in groups { for m in g.members { #expect(answers[m].grants == g.grants) } }
        #expect(groups.flatMap(\.members).sorted() == Array(answers.indices))
        // app-b's grant is partial, with the client ports that work.
        let partial = try #require(groups[1].grants.partial.first)
        #expect(groups[1].grants.allowed.isEmpty)
        #expect(partial.ports == PortSet(port: 5432))
        #expect(partial.clientPorts == PortSet(PortRange(30000, 65535)))
        #expect(groups[3].grants.allowed == [PortGrant(ipProtocol: .tcp, ports: PortSet(ranges: [PortRange(22, 22), PortRange(5432, 5432)]))])

        let text = QuestionReport.text(end: "db-1", towardTarget: true, answers, groups: groups)
        #expect(text.split(separator: "\n").map(String.init) == [
            "8 sources can reach db-1",
            "  subnet app-a (3 interfaces): tcp/5432",
            "  subnet app-b (2 interfaces): partly tcp/5432 (client ports 30000-65535)",
            "  m1: tcp/5432",
            "  security group ops (2 of 3 interfaces): tcp/22,5432",
        ])
    }

    /// With b3 (sg ops) in app-b, neither app-b nor sg ops nor sg app is uniform: the (subnet, security-group
    /// set) pairs are.
    @Test func subnetAndSecurityGroupSetWhenNeitherAloneShares() throws {
        let text = Self.text.replacing("  instance db-1 in data", with: "  instance b3 in app-b ip 10.0.2.12 sg ops\n  instance db-1 in data")
        let (topology, diagnostics) = TopologyLoader.load(text, file: "groups3.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let c = CompiledTopology(topology)
        let db = try Self.end(c, "db-1", side: .destination)
        let answers = c.whoCanReach(db, traffic: QuestionTraffic())
        let groups = c.answerGroups(answers, end: db)
        // b3 is declared last: its line comes last.
        #expect(groups.map(\.kind) == [.subnet("app-a"), .subnetAndSecurityGroups(subnet: "app-b", securityGroups: ["app"]), .party,
                                       .subnetAndSecurityGroups(subnet: "mixed", securityGroups: ["ops"]), .party])
        #expect(groups.map { $0.members.map { answers[$0].party.name } } == [["a1", "a2", "a3"], ["b1", "b2"], ["m1"], ["m2", "m3"], ["b3"]])
        #expect(groups.map(\.total) == [3, 2, 1, 2, 1])
        let lines = QuestionReport.text(end: "db-1", towardTarget: true, answers, groups: groups).split(separator: "\n").map(String.init)
        #expect(lines == [
            "9 sources can reach db-1",
            "  subnet app-a (3 interfaces): tcp/5432",
            "  subnet app-b, security group app (2 interfaces): partly tcp/5432 (client ports 30000-65535)",
            "  m1: tcp/5432",
            "  subnet mixed, security group ops (2 interfaces): tcp/22,5432",
            "  b3: partly tcp/22,5432 (client ports 30000-65535)",
        ])
    }

    @Test func theQuestionsOwnEndIsNotCounted() throws {
        let c = CompiledTopology(try Self.topology())
        let a1 = try Self.end(c, "a1", side: .destination)
        let answers = c.whoCanReach(a1, traffic: QuestionTraffic(parsing: "tcp/8080")!)
        let groups = c.answerGroups(answers, end: a1)
        // a2 and a3 are all of app-a but a1 itself: "2 interfaces", not "2 of 3".
        #expect(groups.first?.kind == .subnet("app-a"))
        #expect(groups.first?.members.count == 2)
        #expect(groups.first?.total == 2)
        #expect(groups.map(\.kind) == [.subnet("app-a"), .subnet("app-b"), .party])
    }

    @Test func internetOnPremisesAndEndpointsStayAlone() throws {
        let c = try ConnectionsTests.compiled("edges")
        let app = try Self.end(c, "app-1", side: .source)
        let answers = c.reachableFrom(app, traffic: QuestionTraffic())
        let groups = c.answerGroups(answers, end: app)
        #expect(answers.contains { $0.party.kind == .vpcEndpoint })
        #expect(answers.contains { $0.party.kind == .onprem })
        for g in groups {
            let kinds = Set(g.members.map { answers[$0].party.kind })
            if kinds != [.interface] {
                #expect(g.kind == .party && g.members.count == 1, "\(g.members.map { answers[$0].party.name })")
            }
        }
        // Two on-premises networks with the same answer are still two lines.
        let onprem = groups.filter { answers[$0.members[0]].party.kind == .onprem }
        #expect(onprem.count == answers.filter { $0.party.kind == .onprem }.count)
        // Lines follow the answers' order.
        #expect(groups.map { $0.members[0] } == groups.map { $0.members[0] }.sorted())
    }

    @Test func oneLinePerPartyWithoutGroups() throws {
        let c = CompiledTopology(try Self.topology())
        let db = try Self.end(c, "db-1", side: .destination)
        let answers = c.whoCanReach(db, traffic: QuestionTraffic())
        let text = QuestionReport.text(end: "db-1", towardTarget: true, answers)
        #expect(text.split(separator: "\n").count == answers.count + 1)
    }

    @Test func hostileNamesAreEscapedInText() throws {
        let c = CompiledTopology(try Self.topology())
        var party = try #require(c.questionParties(asSources: true).first)
        party.name = "evil\u{1b}[31m\nname"
        party.awsID = "i-\u{202e}x"
        let grants = ConnectionGrants(allowed: [PortGrant(ipProtocol: .tcp, ports: PortSet(port: 22))])
        let groups = [AnswerGroup(kind: .securityGroups(["sg\u{7}x"]), members: [0], total: 1, grants: grants),
                      AnswerGroup(kind: .party, members: [0], total: 1, grants: grants)]
        let text = QuestionReport.text(end: "t\u{0}", towardTarget: false, [(party, grants)], groups: groups)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!text.unicodeScalars.contains { $0.value == 0x202E })
        #expect(text.split(separator: "\n").count == 3)
        #expect(text.contains("evil\\u{1B}[31m\\u{A}name (i-\\u{202E}x): tcp/22"))
    }

    @Test func whyTrafficIsTheFirstGrantElseTheAskedTraffic() {
        let asked = QuestionTraffic(parsing: "tcp/5432,8000-8080")!
        let allowed = ConnectionGrants(allowed: [PortGrant(ipProtocol: .tcp, ports: PortSet(ranges: [PortRange(80, 90), PortRange(443, 443)])),
                                                 PortGrant(ipProtocol: .icmp, ports: PortSet(port: 8))])
        #expect(allowed.whyTraffic(asked: asked) == TrafficSpec(ipProtocol: .tcp, port: 80))
        let partial = ConnectionGrants(partial: [PortGrant(ipProtocol: .udp, ports: PortSet(port: 53), clientPorts: PortSet(PortRange(30000, 65535)))])
        #expect(partial.whyTraffic(asked: asked) == TrafficSpec(ipProtocol: .udp, port: 53))
        #expect(ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)]).whyTraffic(asked: asked) == TrafficSpec(ipProtocol: .all))
        #expect(ConnectionGrants(allowed: [PortGrant(ipProtocol: .number(47), ports: .all)]).whyTraffic(asked: asked)
            == TrafficSpec(ipProtocol: .number(47)))
        #expect(ConnectionGrants().whyTraffic(asked: asked) == TrafficSpec(ipProtocol: .tcp, port: 5432))
        #expect(ConnectionGrants().whyTraffic(asked: QuestionTraffic()) == TrafficSpec(ipProtocol: .tcp))
        #expect(ConnectionGrants().whyTraffic(asked: QuestionTraffic(parsing: "icmp/0")!) == TrafficSpec(ipProtocol: .icmp, port: 0))
    }
}
