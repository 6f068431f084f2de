import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// ``CompiledTopology/connections(from:to:traffic:)`` says what `reach` says, port by port, on the example
/// topologies; who-can-reach and reachable-from list exactly the parties with a non-empty answer.
@Suite struct ConnectionsTests {
    static let examples = ["three-tier", "hub-and-spoke", "peering-mesh", "dual-stack", "edges"]

    static func compiled(_ name: String) throws -> CompiledTopology {
        let text = try #require(repositoryFile("Topologies/\(name).vpc"), "Topologies/\(name).vpc")
        let (topology, diagnostics) = TopologyLoader.load(text, file: "\(name).vpc")
        #expect(diagnostics.isEmpty, "\(name): \(diagnostics.map(\.message))")
        return CompiledTopology(topology)
    }

    /// Ports sampled per pair: the well-known ones the examples use, range edges and a few others.
    static let ports: [UInt16] = [1, 22, 53, 80, 443, 1023, 1024, 3306, 5432, 8080, 8443, 9000, 32768, 65535]

    @Test(arguments: examples) func grantsAgreeWithReachPortByPort(_ name: String) throws {
        let c = try Self.compiled(name)
        let sources = c.questionParties(asSources: true)
        let targets = c.questionParties(asSources: false)
        #expect(sources.contains { $0.kind == .internet })
        var compared = 0, reachable = 0
        for s in sources.prefix(12) {
            for d in targets.prefix(12) where s.endpoint != d.endpoint {
                let g = c.connections(from: s.endpoint, to: d.endpoint, traffic: QuestionTraffic())
                for p in [IPProtocol.tcp, .udp] {
                    for port in Self.ports {
                        guard case .success(let v) = c.reach(from: s.endpoint, to: d.endpoint, traffic: TrafficSpec(ipProtocol: p, port: port))
                        else { continue }
                        compared += 1
                        let says = g.allows(p, port: port)
                        #expect(says == (v.state == .reachable), "\(name): \(s.name) -> \(d.name) \(p)/\(port): grants \(says), reach \(v.state)")
                        if v.state == .reachable { reachable += 1 }
                        let partial = g.partial.contains { $0.ipProtocol == p && $0.ports.contains(port) }
                        #expect(partial == (v.state == .partlyReachable && !says), "\(name): \(s.name) -> \(d.name) \(p)/\(port) partial")
                    }
                }
                if case .success(let v) = c.reach(from: s.endpoint, to: d.endpoint, traffic: TrafficSpec(ipProtocol: .icmp, port: 8)),
                   !c.isIPv6(s.endpoint), !c.isIPv6(d.endpoint) {
                    #expect(g.allows(.icmp, port: 8) == (v.state == .reachable), "\(name): \(s.name) -> \(d.name) icmp/8")
                }
            }
        }
        #expect(compared > 100)
        #expect(reachable > 0, "\(name): nothing reachable among the pairs sampled")
    }

    @Test func whoCanReachTheDatabaseInThreeTier() throws {
        let c = try Self.compiled("three-tier")
        guard case .success(let db) = c.resolveQuery("db-1", side: .destination) else { Issue.record("db-1"); return }
        let who = c.whoCanReach(db, traffic: QuestionTraffic(parsing: "tcp/5432")!)
        #expect(!who.isEmpty)
        for (p, g) in who {
            guard case .success(let v) = c.reach(from: p.endpoint, to: db, traffic: TrafficSpec(ipProtocol: .tcp, port: 5432)) else { continue }
            #expect((v.state == .reachable) == g.allows(.tcp, port: 5432), "\(p.name)")
        }
        // Every party left out gets nothing through.
        let listed = Set(who.map(\.party.name))
        for p in c.questionParties(asSources: true) where !listed.contains(p.name) && p.endpoint != db {
            guard case .success(let v) = c.reach(from: p.endpoint, to: db, traffic: TrafficSpec(ipProtocol: .tcp, port: 5432)) else { continue }
            #expect(v.state == .unreachable, "\(p.name) left out but \(v.state)")
        }
    }

    /// A pair open to everything gets the single `all` grant (TCP/UDP on every port a question asks about,
    /// 1-65535); close one UDP port and it gets the per-protocol grants instead.
    @Test func everythingOpenIsOneAllGrant() throws {
        func answer(_ udpRule: String) -> ConnectionGrants {
            let text = """
                vpc v {
                  cidr 10.0.0.0/16
                  subnet a 10.0.1.0/24 az us-east-1a
                  subnet b 10.0.2.0/24 az us-east-1a
                  security-group open {
                    ingress all from 0.0.0.0/0
                    egress all to 0.0.0.0/0
                  }
                  network-acl n {
                    associate b
                    \(udpRule)
                    inbound 200 allow all from 0.0.0.0/0
                    outbound 100 allow all to 0.0.0.0/0
                  }
                  instance x in a ip 10.0.1.10 sg open
                  instance y in b ip 10.0.2.11 sg open
                }
                """
            let (t, diagnostics) = TopologyLoader.load(text, file: "open.vpc")
            #expect(diagnostics.allSatisfy { $0.severity != .error }, "\(diagnostics.map(\.message))")
            let c = CompiledTopology(t)
            guard case .success(let x) = c.resolveQuery("x", side: .source), case .success(let y) = c.resolveQuery("y", side: .destination)
            else { Issue.record("x, y"); return ConnectionGrants() }
            return c.connections(from: x, to: y, traffic: QuestionTraffic())
        }
        #expect(answer("") == ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)]))
        let closed = answer("inbound 100 deny udp 53 from 0.0.0.0/0")
        #expect(!closed.allowed.contains { $0.ipProtocol == .all })
        #expect(closed.allows(.tcp, port: 1) && closed.allows(.tcp, port: 65535) && closed.allows(.udp, port: 52))
        #expect(!closed.allows(.udp, port: 53))
    }

    @Test func trafficParsing() {
        #expect(QuestionTraffic(parsing: "tcp/80,443,8000-8080")?.ports == PortSet(ranges: [PortRange(80, 80), PortRange(443, 443), PortRange(8000, 8080)]))
        #expect(QuestionTraffic(parsing: "tcp")?.ipProtocol == .tcp)
        #expect(QuestionTraffic(parsing: "all")?.ipProtocol == nil)
        #expect(QuestionTraffic(parsing: "proto 47")?.ipProtocol == .number(47))
        #expect(QuestionTraffic(parsing: "icmp/8")?.ports == PortSet(port: 8))
        #expect(QuestionTraffic(parsing: "tcp/0") == nil)
        #expect(QuestionTraffic(parsing: "icmp/256") == nil)
        #expect(QuestionTraffic(parsing: "tcp/9-1") == nil)
        #expect(QuestionTraffic(parsing: "bogus") == nil)
        #expect(PortGrant(ipProtocol: .tcp, ports: PortSet(ranges: [PortRange(5432, 5432), PortRange(8000, 8080)])).portsText == "5432,8000-8080")
    }
}
