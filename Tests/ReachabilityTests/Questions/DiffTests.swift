import Generators
import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// ``ConnectionDiff/compare(old:new:traffic:mode:)``: empty for a topology and itself, exactly the expected entries
/// for a hand-made change, the restricted scope equal to the full comparison on random single mutations, and every
/// entry agreeing with `reach` on both versions.
@Suite struct DiffTests {
    static func parse(_ text: String) throws -> Topology {
        let (t, diagnostics) = TopologyLoader.load(text, file: "t.vpc")
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.message))")
        return t
    }

    static func names(_ ps: [DiffParty]) -> [String] { ps.map(\.name) }

    @Test(arguments: ConnectionsTests.examples) func exampleWithItselfIsEmpty(_ name: String) throws {
        let c = try ConnectionsTests.compiled(name)
        let d = ConnectionDiff.compare(old: c, new: CompiledTopology(c.topology), traffic: QuestionTraffic())
        #expect(d.isEmpty)
        #expect(!d.scope.isFull)
        #expect(d.scope.affectedSourceCount == 0 && d.scope.affectedDestinationCount == 0)
        let full = ConnectionDiff.compare(old: c, new: c, traffic: QuestionTraffic(), mode: .full)
        #expect(full.isEmpty)
        #expect(full.scope.isFull)
    }

    /// three-tier with `ingress tcp 8443 from 0.0.0.0/0` added to group web and app-a's default route removed.
    @Test func handMadeChangeGivesExactlyTheExpectedEntries() throws {
        let (text, changed) = try #require(DiffFixtures.threeTierChange())
        let old = try Self.parse(text)
        let new = try Self.parse(changed)
        let d = ConnectionDiff.compare(old: CompiledTopology(old), new: CompiledTopology(new), traffic: QuestionTraffic())
        #expect(!d.scope.isFull)
        let opened = d.opened.map { "\(Self.names($0.sources)) -> \(Self.names($0.destinations)) \($0.grant)" }
        #expect(opened == [
            #"["app-1", "app-2", "internet"] -> ["web-1", "web-2"] tcp/8443"#,
            #"["web-1"] -> ["web-2"] tcp/8443"#,
            #"["web-2"] -> ["web-1"] tcp/8443"#,
        ])
        let closed = d.closed.map { "\(Self.names($0.sources)) -> \(Self.names($0.destinations)) \($0.grant)" }
        #expect(closed == [#"["app-1"] -> ["internet"] tcp/443"#])
        #expect(d.closed.first?.sources.first?.kind == .interface)
        #expect(d.closed.first?.destinations.first?.kind == .internet)
        // The full comparison says the same.
        let full = ConnectionDiff.compare(old: CompiledTopology(old), new: CompiledTopology(new), traffic: QuestionTraffic(), mode: .full)
        #expect(full.opened == d.opened && full.closed == d.closed)
        // Limited to tcp/443: only the closed entry.
        let https = try #require(QuestionTraffic(parsing: "tcp/443"))
        let d443 = ConnectionDiff.compare(old: CompiledTopology(old), new: CompiledTopology(new), traffic: https)
        #expect(d443.opened.isEmpty && d443.closed.count == 1)
    }

    /// A connection that becomes partly reachable is closed, with the client ports that still work.
    @Test func partlyReachableIsClosedWithItsClientPorts() throws {
        let base = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24
          subnet b 10.0.2.0/24
          security-group open {
            ingress tcp 22 from 10.0.0.0/16
          }
          network-acl nb {
            associate b
            inbound 100 allow tcp 22 from 10.0.1.0/24
            outbound 100 allow tcp RANGE to 10.0.1.0/24
          }
          instance x in a ip 10.0.1.5
          instance y in b ip 10.0.2.5 sg open
        }
        """
        let old = try Self.parse(base.replacing("RANGE", with: "1024-65535"))
        let new = try Self.parse(base.replacing("RANGE", with: "32768-65535"))
        let ssh = try #require(QuestionTraffic(parsing: "tcp/22"))
        let d = ConnectionDiff.compare(old: CompiledTopology(old), new: CompiledTopology(new), traffic: ssh)
        #expect(d.opened.isEmpty)
        #expect(d.closed.count == 1)
        let e = try #require(d.closed.first)
        #expect(Self.names(e.sources) == ["x"] && Self.names(e.destinations) == ["y"])
        #expect(e.grant.ipProtocol == .tcp && e.grant.portsText == "22")
        #expect(e.grant.clientPorts.map(PortGrant.text) == "32768-65535")
        let full = ConnectionDiff.compare(old: CompiledTopology(old), new: CompiledTopology(new), traffic: ssh, mode: .full)
        #expect(full.closed == d.closed)
    }

    /// A party absent from a version grants nothing there: an instance added opens its connections, named as NEW
    /// names them (with its id).
    @Test func addedInstanceOpensItsConnections() throws {
        let old = try Self.parse(DiffFixtures.oneInstance())
        let new = try Self.parse(DiffFixtures.oneInstance("  instance y in a ip 10.0.1.6 sg open id i-0123456789abcdef0\n"))
        let ssh = try #require(QuestionTraffic(parsing: "tcp/22"))
        let d = ConnectionDiff.compare(old: CompiledTopology(old), new: CompiledTopology(new), traffic: ssh)
        #expect(d.closed.isEmpty)
        #expect(d.opened.map { "\(Self.names($0.sources)) -> \(Self.names($0.destinations))" } == [#"["x"] -> ["y"]"#, #"["y"] -> ["x"]"#])
        #expect(d.opened.first?.destinations.first?.id == "i-0123456789abcdef0")
        #expect(d.scope.affectedSourceCount == 1)
    }

    /// An `all` grant gained or lost as a whole covers the ICMP of the pair's family in its version — ICMPv6 for an
    /// IPv6 pair, ICMP for an IPv4 one, both in one diff — as `connections` asks them. (Guessing the family from the
    /// grants, ICMPv6 only when a side reports an ICMPv6 grant, says ICMP for the IPv6 pair here: neither side does.)
    @Test func allCoversTheICMPOfEachPairsFamily() {
        var pairs = PairGrants()
        let all = ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)])
        let a = DiffParty(name: "a", id: nil, kind: .interface), b = DiffParty(name: "b", id: nil, kind: .interface)
        let internet = DiffParty(name: "internet", id: nil, kind: .internet)
        pairs.set(0, a, internet, all, icmp: .icmp)
        pairs.set(0, b, internet, all, icmp: .icmpv6)
        pairs.set(1, a, internet, ConnectionGrants(), icmp: .icmp)
        pairs.set(1, b, internet, ConnectionGrants(), icmp: .icmpv6)
        let d = pairs.diff()
        #expect(d.opened.isEmpty)
        #expect(d.closed.map { "\(Self.names($0.sources)) -> \(Self.names($0.destinations)) \($0.grant)" } == [
            #"["a", "b"] -> ["internet"] tcp/1-65535"#,
            #"["a", "b"] -> ["internet"] udp/1-65535"#,
            #"["a"] -> ["internet"] icmp/0-255"#,
            #"["b"] -> ["internet"] icmpv6/0-255"#,
            #"["a", "b"] -> ["internet"] all"#,
        ])
        // The other way round (an IPv6 pair gaining `all`) and a version whose grant is spelled per protocol: only
        // what is not the same is reported.
        var back = PairGrants()
        back.set(0, b, internet, ConnectionGrants(allowed: [PortGrant(ipProtocol: .icmpv6, ports: PortSet(port: 128))]), icmp: .icmpv6)
        back.set(1, b, internet, all, icmp: .icmpv6)
        #expect(back.diff().opened.map { "\($0.grant)" } == ["tcp/1-65535", "udp/1-65535", "icmpv6/0-127,129-255", "all"])
    }

    // MARK: Random topologies and single mutations

    static func random(_ seed: UInt64) -> Topology {
        TopologyGenerator(seed: seed, vpcs: 3, subnetsPerVPC: 3, instances: 9, securityGroups: 5, peerings: 1,
                          transitGateway: seed % 2 == 0, zones: 2).generate()
    }

    enum Mutation: CaseIterable { case sgRule, naclRule, route, membership }

    /// One random change of `kind`; nil when the topology has nothing of that kind.
    static func mutate(_ t: Topology, _ kind: Mutation, _ rng: inout SplitMix64) -> Topology? {
        var t = t
        let v = Int(rng.next() % UInt64(t.vpcs.count))
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
        let ports: [UInt16] = [22, 80, 443, 5432, 8080]
        let port = ports[pick(ports.count)]
        let other = t.vpcs[pick(t.vpcs.count)]
        let blocks = ["0.0.0.0/0", "10.0.0.0/8", other.cidrs[0].description]
            + other.subnets.map(\.cidr.description) + other.instances.map { "\($0.interfaces[0].privateIP)/32" }
        guard let block = try? IPPrefix(parsing: Substring(blocks[pick(blocks.count)])) else { return nil }
        switch kind {
        case .sgRule:
            guard !t.vpcs[v].securityGroups.isEmpty else { return nil }
            let g = pick(t.vpcs[v].securityGroups.count)
            let groups = t.vpcs[v].securityGroups.map(\.name)
            let peer: SecurityGroupRule.Peer = pick(3) == 0 ? .securityGroup(groups[pick(groups.count)]) : .cidr(block)
            let rule = SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port), peer: peer)
            switch pick(3) {
            case 0: t.vpcs[v].securityGroups[g].ingress.append(rule)
            case 1:
                if t.vpcs[v].securityGroups[g].ingress.isEmpty { return nil }
                t.vpcs[v].securityGroups[g].ingress.remove(at: pick(t.vpcs[v].securityGroups[g].ingress.count))
            default:
                t.vpcs[v].securityGroups[g].egress = [rule]
            }
        case .naclRule:
            guard !t.vpcs[v].networkACLs.isEmpty else { return nil }
            let a = pick(t.vpcs[v].networkACLs.count)
            let rule = NetworkACLRule(number: [50, 105, 150][pick(3)], action: pick(2) == 0 ? .allow : .deny, ipProtocol: .tcp,
                                      ports: PortRange(port), cidr: block)
            let inbound = pick(2) == 0
            var rules = inbound ? t.vpcs[v].networkACLs[a].inbound : t.vpcs[v].networkACLs[a].outbound
            if pick(3) == 0, !rules.isEmpty { rules.remove(at: pick(rules.count)) } else {
                rules.removeAll { $0.number == rule.number }
                rules.append(rule)
                rules.sort { $0.number < $1.number }
            }
            if inbound { t.vpcs[v].networkACLs[a].inbound = rules } else { t.vpcs[v].networkACLs[a].outbound = rules }
        case .route:
            guard !t.vpcs[v].routeTables.isEmpty else { return nil }
            let r = pick(t.vpcs[v].routeTables.count)
            if pick(2) == 0, !t.vpcs[v].routeTables[r].routes.isEmpty {
                t.vpcs[v].routeTables[r].routes.remove(at: pick(t.vpcs[v].routeTables[r].routes.count))
            } else {
                t.vpcs[v].routeTables[r].routes.removeAll { $0.destination == .cidr(block) }
                t.vpcs[v].routeTables[r].routes.append(Route(destination: .cidr(block), target: .blackhole))
            }
        case .membership:
            guard !t.vpcs[v].instances.isEmpty, !t.vpcs[v].securityGroups.isEmpty else { return nil }
            let i = pick(t.vpcs[v].instances.count)
            t.vpcs[v].instances[i].interfaces[0].securityGroups = [t.vpcs[v].securityGroups[pick(t.vpcs[v].securityGroups.count)].name]
        }
        return t
    }

    /// The property: on random topologies and random single mutations (SG rule, NACL rule, route, membership), the
    /// restricted diff equals the full all-pairs comparison (one `connections` per pair: connectionTableByLoop); most mutations change something and are compared in
    /// the restricted scope (so both paths are exercised); rule peers are blocks of every size (0.0.0.0/0 down to one
    /// instance's /32) and groups, so the narrowed rectangles (a changed rule's far ends × the group's members, a
    /// changed route's block × its subnets' parties) are checked too.
    @Test func restrictedDiffEqualsTheFullComparison() throws {
        var changed = 0, restrictedCount = 0, compared = 0, narrowed = 0
        var byKind: [String: Int] = [:]
        for seed in 0..<80 {
            var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 3)
            let old = Self.random(UInt64(seed))
            #expect(TopologyValidator.validate(old).filter { $0.severity == .error }.isEmpty)
            let kind = Mutation.allCases[seed % Mutation.allCases.count]
            guard let new = Self.mutate(old, kind, &rng) else { continue }
            guard TopologyValidator.validate(new).filter({ $0.severity == .error }).isEmpty else { continue }
            let a = CompiledTopology(old), b = CompiledTopology(new)
            let traffic = seed % 3 == 0 ? QuestionTraffic() : try #require(QuestionTraffic(parsing: "tcp"))
            let restricted = ConnectionDiff.compare(old: a, new: b, traffic: traffic)
            let full = ConnectionDiff.compare(old: a, new: b, traffic: traffic, mode: .full, byLoop: true)
            compared += 1
            #expect(restricted.opened == full.opened, "seed \(seed) \(kind): opened")
            #expect(restricted.closed == full.closed, "seed \(seed) \(kind): closed")
            if !full.isEmpty { changed += 1; byKind["\(kind)", default: 0] += 1 }
            if !restricted.scope.isFull { restrictedCount += 1 }
            if !restricted.scope.rectangles.isEmpty && !full.isEmpty { narrowed += 1 }
            Self.checkAgainstReach(restricted, a, b, &rng, "seed \(seed) \(kind)")
            // A topology with itself: nothing.
            #expect(ConnectionDiff.compare(old: b, new: CompiledTopology(new), traffic: traffic).isEmpty)
        }
        #expect(compared >= 60, "mutations compared: \(compared)")
        #expect(changed >= 25, "mutations that changed a connection: \(changed) \(byKind)")
        #expect(restrictedCount >= compared * 2 / 3, "restricted: \(restrictedCount) of \(compared)")
        #expect(narrowed >= 5, "changes compared on narrowed rectangles: \(narrowed)")
        #expect(byKind.count == Mutation.allCases.count, "kinds that changed something: \(byKind)")
    }

    /// Every entry agrees with `reach` on both versions for a sampled (source, destination, port): opened is
    /// reachable in NEW and not in OLD, closed the other way (partly reachable in NEW when it has client ports).
    static func checkAgainstReach(_ d: ConnectionDiff, _ old: CompiledTopology, _ new: CompiledTopology,
                                  _ rng: inout SplitMix64, _ label: String) {
        func endpoint(_ c: CompiledTopology, _ p: DiffParty, asSource: Bool) -> QueryEndpoint? {
            c.questionParties(asSources: asSource).first { $0.kind == p.kind && $0.name == p.name }?.endpoint
        }
        func state(_ c: CompiledTopology, _ s: DiffParty, _ t: DiffParty, _ g: PortGrant, _ port: UInt16?) -> ReachabilityState? {
            guard let a = endpoint(c, s, asSource: true), let b = endpoint(c, t, asSource: false) else { return nil }
            guard case .success(let v) = c.reach(from: a, to: b, traffic: TrafficSpec(ipProtocol: g.ipProtocol == .all ? .number(47) : g.ipProtocol, port: port))
            else { return nil }
            return v.state
        }
        for (opened, entries) in [(true, d.opened), (false, d.closed)] {
            for e in entries {
                let s = e.sources[Int(rng.next() % UInt64(e.sources.count))]
                let t = e.destinations[Int(rng.next() % UInt64(e.destinations.count))]
                let ranges = e.grant.ports.ranges
                guard let r = ranges.first else { Issue.record("\(label): an entry without ports"); continue }
                let port: UInt16? = e.grant.ipProtocol.hasPorts || e.grant.ipProtocol.isICMP ? r.lower : nil
                if e.grant.ipProtocol == .all { continue }
                let was = state(old, s, t, e.grant, port), now = state(new, s, t, e.grant, port)
                if opened {
                    #expect(now == .reachable, "\(label): opened \(s.name) -> \(t.name) \(e.grant): NEW says \(String(describing: now))")
                    #expect(was != .reachable, "\(label): opened \(s.name) -> \(t.name) \(e.grant): OLD already reachable")
                } else {
                    #expect(was == .reachable, "\(label): closed \(s.name) -> \(t.name) \(e.grant): OLD says \(String(describing: was))")
                    #expect(now != .reachable, "\(label): closed \(s.name) -> \(t.name) \(e.grant): NEW still reachable")
                    if e.grant.clientPorts != nil { #expect(now == .partlyReachable, "\(label): partly") }
                }
            }
        }
    }

    /// Changes that are not local to their subnets' parties compare every pair.
    @Test func nonLocalChangesFallBackToTheFullComparison() throws {
        let old = Self.random(2)
        var new = old
        new.vpcs[0].cidrs.append(try IPv4Prefix(parsing: Substring("10.250.0.0/16")))
        #expect(DiffScope.of(old: CompiledTopology(old), new: CompiledTopology(new)).isFull)
        var tgw = old
        if !tgw.transitGateways.isEmpty {
            tgw.transitGateways[0].routeTables[0].routes.append(TGWRoute(destination: .cidr(try IPPrefix(parsing: Substring("10.0.0.0/8"))), target: .blackhole))
            #expect(DiffScope.of(old: CompiledTopology(old), new: CompiledTopology(tgw)).fullReason == "transit gateways differ")
        }
    }
}

/// Names reach every format escaped: Markdown syntax, workflow-command separators, text control characters.
@Suite struct DiffReportTests {
    static let hostile = ConnectionDiff(opened: [DiffEntry(
        sources: [DiffParty(name: "a|b`<i>*\n::error::x", id: "i-1,2", kind: .interface)],
        destinations: [DiffParty(name: "d:1,2%", id: nil, kind: .internet)],
        grant: PortGrant(ipProtocol: .tcp, ports: PortSet(PortRange(22))))])

    @Test func markdownEscapesTableAndInlineSyntax() {
        let md = DiffReport.markdown(Self.hostile)
        #expect(md.contains(#"| a\|b\`&lt;i&gt;\*\\u{A}::error::x | d:1,2% | tcp/22 |"#), "\(md)")
        #expect(!md.contains("<i>"))
        #expect(md.split(separator: "\n").filter { $0.hasPrefix("|") }.count == 3)
    }

    @Test func githubEscapesDataAndProperties() {
        let gh = DiffReport.github(Self.hostile, file: "dir,x/new:1.vpc")
        #expect(gh == "::warning file=dir%2Cx/new%3A1.vpc,title=vpckit diff%3A connection opened::a|b`<i>*%0A::error::x -> d:1,2%25: tcp/22\n")
    }

    @Test func textEscapesControlCharacters() {
        let text = DiffReport.text(Self.hostile)
        #expect(text.contains(#"a|b`<i>*\u{A}::error::x -> d:1,2%: tcp/22"#))
        #expect(text.split(separator: "\n").count == 4)
    }

    @Test func jsonAndSarifCarryTheEntry() throws {
        let json = DiffReport.json(Self.hostile).serialized(pretty: false)
        let doc = try #require(jsonObject(json) as? [String: Any])
        let opened = try #require(doc["opened"] as? [[String: Any]])
        #expect((opened.first?["sources"] as? [[String: Any]])?.first?["name"] as? String == "a|b`<i>*\n::error::x")
        let sarif = DiffReport.sarif(Self.hostile, file: "my dir/new.vpc", toolVersion: "0.1.0").serialized(pretty: false)
        let log = try #require(jsonObject(sarif) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "connection-opened")
        #expect(result["level"] as? String == "warning")
        let uri = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { $0["artifactLocation"] as? [String: Any] }?["uri"] as? String
        #expect(uri == "my%20dir/new.vpc")
    }
}

/// Policies: a change that breaks one is reported as introduced, its reverse as fixed.
@Suite struct DiffPolicyTests {
    @Test func removingHTTPSIntroducesARequireViolation() throws {
        let text = try #require(repositoryFile("Topologies/policies.vpc"))
        let changed = text.replacing("    ingress tcp 443 from 0.0.0.0/0\n", with: "")
        #expect(changed != text)
        let old = CompiledTopology(try DiffTests.parse(text)), new = CompiledTopology(try DiffTests.parse(changed))
        let d = ConnectionDiff.compare(old: old, new: new, traffic: QuestionTraffic())
        #expect(d.policy.introduced == ["web-is-public: internet -> web-1 tcp", "web-is-public: internet -> web-2 tcp"])
        #expect(d.policy.fixed.isEmpty)
        #expect(d.closed.contains { $0.grant.portsText == "443" && $0.sources.map(\.name).contains("internet") })
        let back = ConnectionDiff.compare(old: new, new: old, traffic: QuestionTraffic())
        #expect(back.policy.fixed == d.policy.introduced && back.policy.introduced.isEmpty)
    }
}
