import Generators
import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// Policies (issue 19): each kind's violations on a fixture, every witness agreeing with `reach`, the evaluation
/// agreeing with a pair-by-pair reference, and on random topologies a policy that holds meaning what `reach` says.
@Suite struct PolicyTests {
    static func load(_ path: String) throws -> CompiledTopology {
        let text = try #require(repositoryFile(path), "\(path)")
        let (topology, diagnostics) = TopologyLoader.load(text, file: path)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map { $0.message })")
        return CompiledTopology(topology)
    }

    static let violated = "Tests/CLI/fixtures/policies-violated.vpc"

    @Test func eachKindIsViolatedAsWritten() throws {
        let c = try Self.load(Self.violated)
        let results = c.policyResults()
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.policy.name, $0) })
        func keys(_ name: String) -> [String] { byName[name]?.violations.map(\.key) ?? ["missing \(name)"] }
        #expect(keys("no-ssh") == ["no-ssh: internet -> web-1 tcp"])
        #expect(keys("app-not-to-db") == ["app-not-to-db: app-1 -> db-1 tcp"])
        #expect(keys("no-ping") == ["no-ping: internet -> web-1 icmp"])
        #expect(keys("app-needs-db") == ["app-needs-db: app-1 -> db-1 tcp"])
        #expect(keys("db-only-from-app") == ["db-only-from-app: batch-1 -> db-1 tcp"])
        #expect(keys("no-db-from-internet") == [])
        #expect(byName["no-db-from-internet"]?.holds == true)
        #expect(results.map(\.policy.name) == c.topology.policies.map(\.name))

        let ssh = try #require(byName["no-ssh"]?.violations.first)
        #expect(ssh.ports == PortSet(port: 22))
        #expect(ssh.witness == TrafficSpec(ipProtocol: .tcp, port: 22))
        #expect(ssh.witnessState == .reachable)
        #expect(c.witnessVerdict(for: ssh)?.state == .reachable)
        #expect(!ssh.partly)
        #expect(ssh.source.kind == .internet && ssh.destination.awsID == nil)

        // A partly reachable connection violates a deny (it works for some clients).
        let partly = try #require(byName["app-not-to-db"]?.violations.first)
        #expect(partly.partly)
        #expect(partly.witnessState == .partlyReachable)
        #expect(c.witnessVerdict(for: partly)?.state == .partlyReachable)
        #expect(c.witnessVerdict(for: partly)?.workingSourcePorts == PortSet(PortRange(32768, 65535)))

        // require: 5432 works partly, 5433 not at all: both listed, the witness the lowest.
        let need = try #require(byName["app-needs-db"]?.violations.first)
        #expect(need.ports == PortSet(PortRange(5432, 5433)))
        #expect(need.witness.port == 5432)
        #expect(need.partly)
        #expect(need.witnessState == .partlyReachable)

        let ping = try #require(byName["no-ping"]?.violations.first)
        #expect(ping.ports == PortSet(port: 8))
        #expect(ping.trafficText == "icmp/8")

        // A party never answers about itself.
        for v in byName["isolated"]?.violations ?? [] { #expect(v.source.name != v.destination.name) }
        #expect((byName["isolated"]?.violations.count ?? 0) >= 10)
    }

    /// Every witness says what `reach` says: reachable or partly for deny/only, unreachable or partly for require.
    @Test(arguments: [violated, "Topologies/policies.vpc", "Topologies/three-tier.vpc"])
    func witnessesAgreeWithReach(_ path: String) throws {
        let c = try Self.load(path)
        for v in c.policyViolations() {
            guard case .success(let again) = c.reach(from: v.source.endpoint, to: v.destination.endpoint, traffic: v.witness) else {
                Issue.record("\(v.key): does not resolve"); continue
            }
            // The witness traced on demand is that verdict, and the state known without a walk is its state.
            #expect(again == c.witnessVerdict(for: v), "\(v.key)")
            #expect(again.state == v.witnessState, "\(v.key)")
            switch v.policy.kind {
            case .deny, .only: #expect(again.state != .unreachable, "\(v.key)")
            case .require: #expect(again.state != .reachable, "\(v.key)")
            }
            #expect(v.partly == (again.state == .partlyReachable) || v.policy.kind == .require || !v.partly, "\(v.key)")
            if let port = v.witness.port { #expect(v.ports?.contains(port) == true, "\(v.key)") }
        }
    }

    @Test func theBundledPoliciesHold() throws {
        let c = try Self.load("Topologies/policies.vpc")
        let results = c.policyResults()
        #expect(results.count >= 6)
        #expect(Set(results.map(\.policy.kind)) == Set(Policy.Kind.allCases))
        for r in results {
            #expect(r.holds, "\(r.policy.name): \(r.violations.map(\.key))")
            #expect(r.sourceCount > 0 && r.destinationCount > 0, "\(r.policy.name) matches nothing")
        }
    }

    /// The evaluation equals a reference that asks ``CompiledTopology/connections(from:to:traffic:)`` for every
    /// pair (both deny strategies, by source and by destination, are exercised: the sets have different sizes).
    @Test(arguments: [violated, "Topologies/three-tier.vpc", "Topologies/edges.vpc"])
    func evaluationEqualsThePairByPairReference(_ path: String) throws {
        let c0 = try Self.load(path)
        var topology = c0.topology
        topology.policies = [
            Policy(name: "few-to-many", kind: .deny, sources: [EndpointSet(.internet)], destinations: [EndpointSet(.namePattern("*"))]),
            Policy(name: "many-to-few", kind: .deny, sources: [EndpointSet(.namePattern("*"))], destinations: [EndpointSet(.internet)]),
            Policy(name: "tcp-only", kind: .deny, sources: [EndpointSet(.namePattern("*"))], destinations: [EndpointSet(.namePattern("*"))],
                   traffic: PolicyTraffic(ipProtocol: .tcp, ports: [PortRange(22), PortRange(443), PortRange(5432)])),
            Policy(name: "only-internet", kind: .only, sources: [EndpointSet(.internet)], destinations: [EndpointSet(.namePattern("*"))],
                   traffic: PolicyTraffic(ipProtocol: .tcp)),
        ]
        let c = CompiledTopology(topology)
        let sources = c.questionParties(asSources: true), destinations = c.questionParties(asSources: false)
        let members = c.memberships(sources), dmembers = c.memberships(destinations)
        for policy in topology.policies {
            var expected: [String] = []
            for (i, s) in sources.enumerated() {
                let inA = policy.sources.contains { $0.contains(s, members[i]) }
                if policy.kind == .deny && !inA { continue }
                if policy.kind == .only && inA { continue }
                for (j, d) in destinations.enumerated() where !s.isSameParty(as: d) && policy.destinations.contains(where: { $0.contains(d, dmembers[j]) }) {
                    let g = c.connections(from: s.endpoint, to: d.endpoint, traffic: policy.questionTraffic)
                    var protocols: [IPProtocol] = []
                    for p in g.allowed.map(\.ipProtocol) + g.partial.map(\.ipProtocol) where !protocols.contains(p) { protocols.append(p) }
                    expected += protocols.map { "\(policy.name): \(s.name) -> \(d.name) \(PolicyViolation.protocolField($0))" }
                }
            }
            let got = c.policyViolations([policy]).map(\.key)
            #expect(got == expected, "\(path) \(policy.name)")
        }
    }

    /// Random topologies: a deny that holds means `reach` finds nothing between sampled members; a require that
    /// holds means every sampled port is reachable; every violation's witness is what `reach` says.
    @Test(arguments: UInt64(1)...6) func randomTopologiesAgreeWithReach(seed: UInt64) {
        var topology = TopologyGenerator(seed: seed, vpcs: 3, subnetsPerVPC: 3, instances: 14, securityGroups: 5).generate()
        var rng = SplitMix64(seed: seed)
        for v in topology.vpcs.indices {
            for i in topology.vpcs[v].instances.indices {
                topology.vpcs[v].instances[i].tags = [ResourceTag(key: "tier", value: ["web", "app", "db"][Int(rng.next() % 3)])]
            }
        }
        let sets: [EndpointSet] = [EndpointSet(.internet), EndpointSet(.tag(key: "tier", value: "web")), EndpointSet(.tag(key: "tier", value: "db")),
                                   EndpointSet(.vpc(topology.vpcs[0].name)), EndpointSet(.namePattern("*"))]
        let traffics = [PolicyTraffic(), PolicyTraffic(ipProtocol: .tcp, ports: [PortRange(22), PortRange(80, 443)]), PolicyTraffic(ipProtocol: .udp)]
        for k in 0..<9 {
            let a = sets[Int(rng.next() % UInt64(sets.count))], b = sets[Int(rng.next() % UInt64(sets.count))]
            topology.policies.append(Policy(name: "p\(k)", kind: Policy.Kind.allCases[k % 3], sources: [a], destinations: [b],
                                            traffic: traffics[Int(rng.next() % UInt64(traffics.count))]))
        }
        let c = CompiledTopology(topology)
        let sources = c.questionParties(asSources: true), destinations = c.questionParties(asSources: false)
        let members = c.memberships(sources), dmembers = c.memberships(destinations)
        var checked = 0
        for r in c.policyResults() {
            for v in r.violations {
                let state = c.witnessVerdict(for: v)?.state
                #expect(state == v.witnessState, "seed \(seed) \(v.key)")
                #expect(r.policy.kind == .require ? state != .reachable : state != .unreachable, "seed \(seed) \(v.key) \(v.witness) \(String(describing: state)) \(v.source.endpoint) \(v.destination.endpoint)")
            }
            guard r.holds else { continue }
            let ports: [UInt16] = r.policy.traffic.ports?.flatMap { [$0.lower, $0.upper] } ?? [22, 443, 5432, 40000]
            let protocols: [IPProtocol] = r.policy.traffic.ipProtocol.map { [$0] } ?? [.tcp, .udp]
            for (i, s) in sources.enumerated().prefix(8) {
                let inA = r.policy.sources.contains { $0.contains(s, members[i]) }
                for (j, d) in destinations.enumerated().prefix(10) where !s.isSameParty(as: d) {
                    guard r.policy.destinations.contains(where: { $0.contains(d, dmembers[j]) }) else { continue }
                    for p in protocols {
                        for port in ports {
                            guard case .success(let verdict) = c.reach(from: s.endpoint, to: d.endpoint, traffic: TrafficSpec(ipProtocol: p, port: port))
                            else { continue }
                            checked += 1
                            switch r.policy.kind {
                            case .deny where inA, .only where !inA:
                                #expect(verdict.state == .unreachable, "seed \(seed) \(r.policy.name): \(s.name) -> \(d.name) \(p)/\(port)")
                            case .require where inA:
                                #expect(verdict.state == .reachable, "seed \(seed) \(r.policy.name): \(s.name) -> \(d.name) \(p)/\(port)")
                            default: break
                            }
                        }
                    }
                }
            }
        }
        #expect(checked > 0 || c.policyResults().allSatisfy { !$0.holds })
    }

    @Test func policyTrafficReadsWhatQuestionTrafficReads() {
        for text in ["tcp", "tcp/5432", "tcp/80,443,8000-8080", "udp/53", "icmp", "icmp/8", "icmpv6/128", "all", "proto/47", "tcp/443,80"] {
            guard case .success(let p) = PolicyTraffic.parse(text), let q = QuestionTraffic(parsing: text) else {
                Issue.record("\(text) does not read"); continue
            }
            let asked = Policy(name: "x", kind: .deny, sources: [], destinations: [], traffic: p).questionTraffic
            #expect(asked == q, "\(text)")
        }
        for bad in ["tcp/0", "tcp/70000", "icmp/256", "all/1", "tpc", "proto/x", "tcp/5-1"] {
            if case .success = PolicyTraffic.parse(bad) { Issue.record("\(bad) reads") }
            #expect(QuestionTraffic(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func violationJSONCarriesTheWitness() throws {
        let c = try Self.load(Self.violated)
        let v = try #require(c.policyViolations().first { $0.policy.name == "app-not-to-db" })
        let json = try #require(jsonObject(v.json.serialized()) as? [String: Any])
        #expect(json["policy"] as? String == "app-not-to-db")
        #expect(json["kind"] as? String == "deny")
        #expect(json["source"] as? String == "app-1")
        #expect(json["destination"] as? String == "db-1")
        #expect(json["protocol"] as? String == "tcp")
        #expect(json["ports"] as? String == "5432")
        #expect(json["partly"] as? Bool == true)
        #expect(json["key"] as? String == v.key)
        let witness = try #require(json["witness"] as? [String: Any])
        #expect(witness["state"] as? String == "partly-reachable" || witness["state"] as? String == "partly reachable")
    }
}
