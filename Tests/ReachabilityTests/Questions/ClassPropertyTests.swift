import Generators
import IPAddressing
import NetworkModel
import TestSupport
import Testing
@_spi(Reference) @testable import Reachability

/// The class-level questions (Questions/Classes.swift) answer exactly what the loop over single pairs answers:
/// on random topologies (the reference walker's generator and the benchmark generator at small sizes), and on
/// hand-made pairs of interfaces that differ in one thing a walk reads (an address a NACL rule, a /32 route or a
/// CIDR rule singles out, the security groups, a public address, the subnet of the other end), which must get
/// different answers.
@Suite struct ClassPropertyTests {
    typealias Answer = [(party: QuestionParty, grants: ConnectionGrants)]

    static func same(_ a: Answer, _ b: Answer) -> Bool {
        a.map(\.party) == b.map(\.party) && a.map(\.grants) == b.map(\.grants)
    }

    static func compile(_ text: String) throws -> CompiledTopology {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "classes.vpc")
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        return CompiledTopology(topology)
    }

    /// Who-can-reach, reachable-from, the table and the class table equal their loop references.
    static func checkAgainstLoops(_ c: CompiledTopology, _ label: String, traffic: QuestionTraffic = QuestionTraffic(),
                                  maxEnds: Int = 1_000) {
        let sources = c.questionParties(asSources: true)
        let destinations = c.questionParties(asSources: false)
        for d in destinations.prefix(maxEnds) {
            let fast = c.whoCanReach(d.endpoint, traffic: traffic)
            let loop = c.whoCanReachByLoop(d.endpoint, traffic: traffic)
            #expect(same(fast, loop), "\(label): who-can-reach \(d.name)")
        }
        for s in sources.prefix(maxEnds) {
            let fast = c.reachableFrom(s.endpoint, traffic: traffic)
            let loop = c.reachableFromByLoop(s.endpoint, traffic: traffic)
            #expect(same(fast, loop), "\(label): reachable-from \(s.name)")
        }
        let table = c.connectionTable(sources: sources, destinations: destinations, traffic: traffic)
        let loop = c.connectionTableByLoop(sources: sources, destinations: destinations, traffic: traffic)
        #expect(table == loop, "\(label): connection table")
        let classes = c.connectionClasses(sources: sources, destinations: destinations, traffic: traffic)
        var mismatches = 0
        for i in sources.indices {
            for j in destinations.indices where classes.grants(source: i, destination: j) != loop.grants(source: i, destination: j) {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(label): class cell \(sources[i].name) -> \(destinations[j].name)") }
            }
        }
        #expect(mismatches == 0, "\(label): class table")
        // Members of a class are listed once, in order.
        #expect(classes.sourceMembers.flatMap { $0 }.sorted() == Array(sources.indices))
        #expect(classes.destinationMembers.flatMap { $0 }.sorted() == Array(destinations.indices))
    }

    /// The answers of who-can-reach toward a few targets agree with `reach` on sampled ports and ICMP types
    /// (independent of the loop references, which share ``CompiledTopology/connections(from:to:traffic:)``).
    static func checkAgainstReach(_ c: CompiledTopology, _ label: String, targets: Int = 4) {
        for t in c.questionParties(asSources: false).prefix(targets) {
            let answers = c.whoCanReach(t.endpoint, traffic: QuestionTraffic())
            for s in c.questionParties(asSources: true).prefix(8) where s.endpoint != t.endpoint {
                let g = answers.first { $0.party == s }?.grants ?? ConnectionGrants()
                for (p, port) in [(IPProtocol.tcp, 22), (.tcp, 443), (.udp, 53), (.icmp, 0), (.icmp, 3), (.icmp, 8)] as [(IPProtocol, UInt16)] {
                    guard case .success(let v) = c.reach(from: s.endpoint, to: t.endpoint, traffic: TrafficSpec(ipProtocol: p, port: port))
                    else { continue }
                    #expect(g.allows(p, port: port) == (v.state == .reachable), "\(label): \(s.name) -> \(t.name) \(p)/\(port)")
                }
            }
        }
    }

    @Test(arguments: [3, 8, 21, 55, 89] as [UInt64])
    func randomTopologiesAgreeWithTheLoop(_ seed: UInt64) throws {
        let g = RandomTopology(seed: seed)
        if g.instances.isEmpty { return }
        let (topology, diagnostics) = TopologyLoader.load(g.text, file: "random.vpc")
        guard diagnostics.allSatisfy({ $0.severity != .error }) else { return }
        let c = CompiledTopology(topology)
        Self.checkAgainstReach(c, "seed \(seed)")
        if seed % 2 == 1 {
            Self.checkAgainstLoops(c, "seed \(seed)", maxEnds: 5)
        } else {
            Self.checkAgainstLoops(c, "seed \(seed) tcp/22,443", traffic: QuestionTraffic(ipProtocol: .tcp, ports: PortSet(ranges: [PortRange(22, 22), PortRange(443, 443)])),
                                   maxEnds: 5)
        }
    }

    /// The benchmark's generator at a small size: many interfaces share a class, and the answers stay exact.
    @Test(arguments: [(1, false), (2, true)] as [(UInt64, Bool)])
    func generatedTopologiesMergeAndAgree(_ seed: UInt64, _ edges: Bool) throws {
        let generator = TopologyGenerator(seed: seed, vpcs: 3, subnetsPerVPC: 4, instances: 26, securityGroups: 5, peerings: 1,
                                          transitGateway: true, zones: 2, edges: edges)
        let c = CompiledTopology(generator.generate())
        let classes = c.interfaceClasses
        let instances = c.interfaces.filter(\.isInstance).count
        #expect(classes.count < c.interfaces.count, "classes merge some interfaces (\(classes.count) of \(instances) instance interfaces)")
        Self.checkAgainstLoops(c, "generated \(seed)", maxEnds: 5)
    }

    /// Who-can-reach agrees with `reach` on sampled (source, target, port): allowed ⇔ reachable, partial ⇔
    /// partly reachable.
    @Test(arguments: [4, 9] as [UInt64])
    func whoCanReachAgreesWithReach(_ seed: UInt64) throws {
        let generator = TopologyGenerator(seed: seed, vpcs: 3, subnetsPerVPC: 4, instances: 30, securityGroups: 5, peerings: 1,
                                          transitGateway: true, zones: 2)
        let c = CompiledTopology(generator.generate())
        let targets = c.questionParties(asSources: false).filter { $0.kind == .interface }
        var rng = SplitMix64(seed: seed)
        var compared = 0, reachable = 0
        for t in targets.prefix(6) {
            let answers = c.whoCanReach(t.endpoint, traffic: QuestionTraffic())
            let byName = Dictionary(answers.map { ($0.party.name, $0.grants) }, uniquingKeysWith: { a, _ in a })
            for s in c.questionParties(asSources: true) where s.endpoint != t.endpoint && rng.next() % 3 == 0 {
                let g = byName[s.name] ?? ConnectionGrants()
                for port in [22, 443, 1024, 5432, 8080, UInt16(1 + rng.next() % 65535)] as [UInt16] {
                    guard case .success(let v) = c.reach(from: s.endpoint, to: t.endpoint, traffic: TrafficSpec(ipProtocol: .tcp, port: port))
                    else { continue }
                    compared += 1
                    if v.state == .reachable { reachable += 1 }
                    #expect(g.allows(.tcp, port: port) == (v.state == .reachable), "\(s.name) -> \(t.name) tcp/\(port)")
                    let partial = g.partial.contains { $0.ipProtocol == .tcp && $0.ports.contains(port) }
                    #expect(partial == (v.state == .partlyReachable), "\(s.name) -> \(t.name) tcp/\(port) partial")
                }
                for type in [0, 3, 8, 13, 42] as [UInt16] {
                    guard case .success(let v) = c.reach(from: s.endpoint, to: t.endpoint, traffic: TrafficSpec(ipProtocol: .icmp, port: type))
                    else { continue }
                    #expect(g.allows(.icmp, port: type) == (v.state == .reachable), "\(s.name) -> \(t.name) icmp/\(type)")
                }
            }
        }
        #expect(compared > 50)
        #expect(reachable > 0)
    }

    // MARK: What the class key must not forget

    /// A VPC with subnets a and b (one route table, one NACL, one zone) and `db` in subnet d.
    static func twoApps(nacl: String = "inbound 100 allow all from 0.0.0.0/0", routes: String = "", dbGroup: String = "ingress tcp 5432 from 10.0.0.0/16",
                        app2: String = "instance app-2 in a ip 10.0.1.6 sg app") -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet a 10.0.1.0/24 az us-east-1a
          subnet b 10.0.2.0/24 az us-east-1a
          subnet d 10.0.3.0/24 az us-east-1a
          route-table rt main {
            route 0.0.0.0/0 -> igw
            \(routes)
          }
          network-acl acl {
            associate a b d
            \(nacl)
            outbound 100 allow all to 0.0.0.0/0
          }
          security-group app {
            ingress tcp 443 from 0.0.0.0/0
          }
          security-group other {
            ingress tcp 443 from 0.0.0.0/0
          }
          security-group db-sg {
            \(dbGroup)
          }
          instance app-1 in a ip 10.0.1.5 sg app
          \(app2)
          instance db in d ip 10.0.3.10 sg db-sg
        }
        """
    }

    /// The answers for app-1 and app-2 toward db differ, and the classes agree with the loop.
    static func expectApart(_ text: String, _ label: String, toward target: String = "db") throws {
        let c = try compile(text)
        let parties = c.questionParties(asSources: true)
        let t = try #require(c.questionParties(asSources: false).first { $0.name == target })
        let who = c.whoCanReach(t.endpoint, traffic: QuestionTraffic())
        #expect(same(who, c.whoCanReachByLoop(t.endpoint, traffic: QuestionTraffic())), "\(label)")
        let g1 = who.first { $0.party.name == "app-1" }?.grants ?? ConnectionGrants()
        let g2 = who.first { $0.party.name == "app-2" }?.grants ?? ConnectionGrants()
        #expect(g1 != g2, "\(label): app-1 \(g1.allowed) vs app-2 \(g2.allowed)")
        #expect(parties.contains { $0.name == "app-2" })
        checkAgainstLoops(c, label)
    }

    @Test func partlyReachableAnswersMatchTheLoop() throws {
        // Replies reach subnet a's instances only on client ports 1024-30000: partly reachable.
        let c = try Self.compile(Self.twoApps(nacl: "inbound 90 allow tcp 5432 from 10.0.1.0/24\n    inbound 100 allow tcp 1024-30000 from 10.0.3.0/24"))
        let t = try #require(c.questionParties(asSources: false).first { $0.name == "db" })
        let who = c.whoCanReach(t.endpoint, traffic: QuestionTraffic())
        #expect(Self.same(who, c.whoCanReachByLoop(t.endpoint, traffic: QuestionTraffic())))
        let app1 = try #require(who.first { $0.party.name == "app-1" })
        #expect(app1.grants.allowed.isEmpty)
        #expect(app1.grants.partial == [PortGrant(ipProtocol: .tcp, ports: PortSet(port: 5432), clientPorts: PortSet(PortRange(1024, 30000)))])
        Self.checkAgainstLoops(c, "partial")
    }

    /// ICMP types are walked by group (a named or singled-out type alone, the rest by reply): the grouped answer
    /// equals `reach` type by type, all 256 types, both ways, with rules that name replies (14, 18: their requests
    /// 13 and 17 must not share a walk with 15), a type without reply (3), a code (11/3) and echo reply (0).
    @Test func icmpTypeGroupsAgreeWithReachOnEveryType() throws {
        let nacl = """
            inbound 60 deny icmp 14 from 10.0.3.0/24
                inbound 70 deny icmp 0 from 10.0.3.0/24
                inbound 80 deny icmp 18 from 0.0.0.0/0
                inbound 85 deny icmp 11/3 from 0.0.0.0/0
                inbound 100 allow all from 0.0.0.0/0
            """
        let c = try Self.compile(Self.twoApps(nacl: nacl, dbGroup: "ingress icmp from 10.0.1.0/24\n    ingress icmp 3 from 10.0.2.0/24",
                                               app2: "instance app-2 in b ip 10.0.2.6 sg app"))
        let parties = c.questionParties(asSources: true).filter { $0.interface != nil }
        #expect(parties.count == 3)
        var reachableTypes = 0
        for s in parties {
            for d in parties where d != s {
                let grants = c.connections(from: s.endpoint, to: d.endpoint, traffic: QuestionTraffic(ipProtocol: .icmp))
                let grouped = grants.allowed.first { $0.ipProtocol == .icmp }?.ports ?? .empty
                var byReach: [PortRange] = []
                for t in UInt16(0)...255 {
                    guard case .success(let v) = c.reach(from: s.endpoint, to: d.endpoint, traffic: TrafficSpec(ipProtocol: .icmp, port: t)),
                          v.state == .reachable else { continue }
                    byReach.append(PortRange(t, t))
                }
                reachableTypes += byReach.count
                #expect(grouped == PortSet(ranges: byReach), "\(s.name) -> \(d.name): \(grouped) vs \(PortSet(ranges: byReach))")
            }
        }
        // Something gets through and something does not: the rules above matter.
        #expect(reachableTypes > 0 && reachableTypes < 6 * 256)
    }

    @Test func anAddressANACLRuleSinglesOutSplitsTheClass() throws {
        try Self.expectApart(Self.twoApps(nacl: "inbound 90 deny all from 10.0.1.5/32\n    inbound 100 allow all from 0.0.0.0/0"), "NACL /32")
    }

    @Test func anAddressARouteSinglesOutSplitsTheClass() throws {
        // The reply to app-1 is routed into a blackhole.
        try Self.expectApart(Self.twoApps(routes: "route 10.0.1.5/32 blackhole"), "route /32")
    }

    @Test func anAddressASecurityGroupRuleSinglesOutSplitsTheClass() throws {
        try Self.expectApart(Self.twoApps(dbGroup: "ingress tcp 5432 from 10.0.1.6/32"), "SG /32")
    }

    @Test func securityGroupSetsSplitTheClass() throws {
        try Self.expectApart(Self.twoApps(dbGroup: "ingress tcp 5432 from sg other", app2: "instance app-2 in a ip 10.0.1.6 sg other"), "SG sets")
    }

    @Test func aPublicAddressSplitsTheClass() throws {
        // From app-1 and app-2 to the internet: only the one with a public address gets out.
        let text = Self.twoApps(app2: "instance app-2 in a ip 10.0.1.6 public-ip 3.0.0.9 sg app")
        let c = try Self.compile(text)
        let to = c.questionParties(asSources: false)
        let internet = try #require(to.first { $0.kind == .internet })
        let who = c.whoCanReach(internet.endpoint, traffic: QuestionTraffic())
        #expect(Self.same(who, c.whoCanReachByLoop(internet.endpoint, traffic: QuestionTraffic())))
        #expect(who.map(\.party.name).contains("app-2"))
        #expect(!who.map(\.party.name).contains("app-1"))
        let from = c.reachableFrom(internet.endpoint, traffic: QuestionTraffic())
        #expect(Self.same(from, c.reachableFromByLoop(internet.endpoint, traffic: QuestionTraffic())))
        #expect(from.map(\.party.name) == ["app-2"])
        Self.checkAgainstLoops(c, "public")
    }

    @Test func theOtherEndsSubnetSplitsTheClass() throws {
        // The NACL stops everything between subnets; within subnet d no NACL applies. app-1 (subnet a) and
        // app-2 (subnet d) share route table, NACL, zone, groups and atom: one interface class, two answers.
        let text = Self.twoApps(nacl: "inbound 100 allow all from 0.0.0.0/0\n    inbound 90 deny all from 10.0.0.0/16",
                                app2: "instance app-2 in d ip 10.0.3.11 sg app")
        let c = try Self.compile(text)
        let classes = c.interfaceClasses
        let ids = c.questionParties(asSources: true).filter { $0.name.hasPrefix("app-") }.compactMap(\.interface)
        #expect(ids.count == 2)
        #expect(Set(ids.map { classes.classOf[$0.position] }).count == 1, "app-1 and app-2 share an interface class")
        try Self.expectApart(text, "same subnet as the target")
    }
}
