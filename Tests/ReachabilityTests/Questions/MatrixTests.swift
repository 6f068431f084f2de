import IPAddressing
import NetworkModel
import Generators
import TestSupport
import Testing
@_spi(Reference) @testable import Reachability

/// `vpckit matrix` (``CompiledTopology/connectionMatrix(by:traffic:)``): each cell is the union of what its member
/// pairs get (checked port by port against ``CompiledTopology/connections(from:to:traffic:)``), labels follow the
/// endpoint-set notation, and the renderers keep hostile names from shaping CSV, Markdown, text or JSON.
@Suite struct MatrixTests {
    static let groupings: [MatrixGrouping] = [.subnet, .securityGroup, .vpc, .tag("env")]

    /// The grouping test topology with m3 in two security groups (ops and app) and tags on a1, a2 (env=prod) and
    /// b1 (env=dev).
    static func tagged() throws -> CompiledTopology {
        let text = AnswerGroupTests.text.replacing("instance m3 in mixed ip 10.0.3.12 sg ops", with: "instance m3 in mixed ip 10.0.3.12 sg ops app")
        #expect(text != AnswerGroupTests.text)
        let (loaded, diagnostics) = TopologyLoader.load(text, file: "tagged.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        var t = loaded
        for (i, instance) in t.vpcs[0].instances.enumerated() {
            switch instance.name {
            case "a1", "a2": t.vpcs[0].instances[i].tags = [ResourceTag(key: "env", value: "prod")]
            case "b1": t.vpcs[0].instances[i].tags = [ResourceTag(key: "env", value: "dev"), ResourceTag(key: "team", value: "x")]
            default: break
            }
        }
        return CompiledTopology(t)
    }

    /// Every cell against the member pairs: non-empty exactly when some pair gets something; a TCP/UDP port (ICMP
    /// type 8) allowed exactly when some pair's answer allows it; partial exactly when some pair's is partial
    /// there and none allows it.
    static func checkAgainstPairs(_ c: CompiledTopology, by: MatrixGrouping, traffic: QuestionTraffic = QuestionTraffic(),
                                  _ name: String) -> ConnectionMatrix {
        let m = c.connectionMatrix(by: by, traffic: traffic)
        let sources = c.questionParties(asSources: true)
        let destinations = c.questionParties(asSources: false)
        let sourceLabels = c.groupLabels(sources, by: by)
        let destinationLabels = c.groupLabels(destinations, by: by)
        var pairs: [String: [ConnectionGrants]] = [:]
        for (i, s) in sources.enumerated() {
            for (j, d) in destinations.enumerated() where !s.isSameParty(as: d) {
                let g = c.connections(from: s.endpoint, to: d.endpoint, traffic: traffic)
                if g.isEmpty { continue }
                for a in sourceLabels[i] { for b in destinationLabels[j] { pairs[a + " -> " + b, default: []].append(g) } }
            }
        }
        #expect(m.sourceGroups.map { m.groups[$0] } .sorted() == Set(sourceLabels.joined()).sorted(), "\(name) \(by): rows")
        #expect(m.destinationGroups.map { m.groups[$0] }.sorted() == Set(destinationLabels.joined()).sorted(), "\(name) \(by): columns")
        #expect(Set(m.groups).count == m.groups.count, "\(name) \(by): a label twice")
        #expect(m.cells.map { [$0.source, $0.destination] } == m.cells.map { [$0.source, $0.destination] }.sorted { $0.lexicographicallyPrecedes($1) })
        var nonEmpty = 0
        for si in m.sourceGroups {
            for di in m.destinationGroups {
                let key = m.groups[si] + " -> " + m.groups[di]
                let cell = m.grants(source: si, destination: di)
                let members = pairs[key] ?? []
                #expect(cell.isEmpty == members.isEmpty, "\(name) \(by): \(key)")
                if !cell.isEmpty { nonEmpty += 1 }
                for p in [IPProtocol.tcp, .udp] {
                    for port in ConnectionsTests.ports {
                        let allowed = members.contains { $0.allows(p, port: port) }
                        #expect(cell.allows(p, port: port) == allowed, "\(name) \(by): \(key) \(p)/\(port)")
                        let partly = !allowed && members.contains { $0.partial.contains { $0.ipProtocol == p && $0.ports.contains(port) } }
                        let cellPartly = cell.partial.contains { $0.ipProtocol == p && $0.ports.contains(port) }
                        #expect(cellPartly == partly, "\(name) \(by): \(key) \(p)/\(port) partly")
                    }
                }
                #expect(cell.allows(.icmp, port: 8) == members.contains { $0.allows(.icmp, port: 8) }, "\(name) \(by): \(key) icmp/8")
            }
        }
        #expect(nonEmpty == m.cells.count)
        return m
    }

    @Test(arguments: ["three-tier", "edges", "hub-and-spoke"]) func cellsAreTheUnionOfTheirMemberPairs(_ name: String) throws {
        let c = try ConnectionsTests.compiled(name)
        for by in Self.groupings {
            let m = Self.checkAgainstPairs(c, by: by, name)
            #expect(!m.cells.isEmpty, "\(name) \(by)")
            #expect(m.groups.contains("internet"))
        }
    }

    @Test func taggedAndMultiGroupMembers() throws {
        let c = try Self.tagged()
        let bySG = Self.checkAgainstPairs(c, by: .securityGroup, "tagged")
        #expect(bySG.groups == ["sg:app", "sg:ops", "sg:db", "internet"])
        // m3 (ops and app) reaches a1 on 8080 as a member of sg:app: the cell sg:app -> sg:app has 8080 and 
        // sg:ops -> sg:app too (through m3 only).
        let app = try #require(bySG.groups.firstIndex(of: "sg:app")), ops = try #require(bySG.groups.firstIndex(of: "sg:ops"))
        #expect(bySG.grants(source: ops, destination: app).allows(.tcp, port: 8080))
        #expect(bySG.grants(source: app, destination: ops).allows(.tcp, port: 8080))

        let byTag = Self.checkAgainstPairs(c, by: .tag("env"), "tagged")
        #expect(byTag.groups == ["tag:env=prod", "(no env)", "tag:env=dev", "internet"])
        let byTeam = Self.checkAgainstPairs(c, by: .tag("team"), "tagged")
        #expect(byTeam.groups == ["(no team)", "tag:team=x", "internet"])
        // Tag keys are case-sensitive.
        #expect(!c.connectionMatrix(by: .tag("Env"), traffic: QuestionTraffic()).groups.contains("tag:env=prod"))

        // The partial cell of app-b -> data, with its client ports.
        let bySubnet = Self.checkAgainstPairs(c, by: .subnet, "tagged")
        let b = try #require(bySubnet.groups.firstIndex(of: "subnet:app-b")), data = try #require(bySubnet.groups.firstIndex(of: "subnet:data"))
        let cell = bySubnet.grants(source: b, destination: data)
        #expect(cell.allowed.isEmpty)
        #expect(cell.partial == [PortGrant(ipProtocol: .tcp, ports: PortSet(port: 5432), clientPorts: PortSet(PortRange(30000, 65535)))])
        #expect(MatrixReport.cellText(cell) == "tcp/5432 (partly)")
        // One traffic asked: only its ports.
        let one = Self.checkAgainstPairs(c, by: .subnet, traffic: QuestionTraffic(parsing: "tcp/22")!, "tagged tcp/22")
        #expect(one.cells.allSatisfy { $0.grants.allowed.allSatisfy { $0.ipProtocol == .tcp && $0.ports == PortSet(port: 22) } })
        #expect(!one.cells.isEmpty)
    }

    /// The class-level matrix equals the party-level one (every pair walked), for every grouping; tags spread so
    /// that one class spans several tag groups.
    static func checkClassesAgainstTable(_ c: CompiledTopology, traffic: QuestionTraffic = QuestionTraffic(), _ name: String) {
        let sources = c.questionParties(asSources: true), destinations = c.questionParties(asSources: false)
        let table = c.connectionTableByLoop(sources: sources, destinations: destinations, traffic: traffic)
        let classes = c.connectionClasses(sources: sources, destinations: destinations, traffic: traffic)
        for by in groupings + [.tag("team")] {
            let sl = c.groupLabels(sources, by: by), dl = c.groupLabels(destinations, by: by)
            let byTable = CompiledTopology.matrix(by: by, sources: sources, sourceLabels: sl, destinations: destinations,
                                                  destinationLabels: dl, table: table)
            let byClasses = CompiledTopology.matrix(by: by, sources: sources, sourceLabels: sl, destinations: destinations,
                                                    destinationLabels: dl, classes: classes)
            #expect(byClasses == byTable, "\(name) \(by)")
            if byClasses != byTable {
                for (a, b) in zip(byClasses.cells, byTable.cells) where a != b {
                    Issue.record("\(name) \(by): \(byClasses.groups[a.source]) -> \(byClasses.groups[a.destination]) vs \(byTable.groups[b.source]) -> \(byTable.groups[b.destination])")
                    break
                }
            }
        }
    }

    /// Tags on every instance but every third: env a/b alternating, team by position.
    static func spreadTags(_ t: inout Topology) {
        var n = 0
        for v in t.vpcs.indices {
            for i in t.vpcs[v].instances.indices {
                n += 1
                if n % 3 == 0 { continue }
                t.vpcs[v].instances[i].tags = [ResourceTag(key: "env", value: n % 2 == 0 ? "a" : "b"), ResourceTag(key: "team", value: "t\(n % 5)")]
            }
        }
    }

    @Test(arguments: ConnectionsTests.examples) func classLevelMatrixEqualsThePartyLevelOne(_ name: String) throws {
        let text = try #require(repositoryFile("Topologies/\(name).vpc"))
        var t = TopologyLoader.load(text, file: "\(name).vpc").topology
        Self.spreadTags(&t)
        Self.checkClassesAgainstTable(CompiledTopology(t), name)
        Self.checkClassesAgainstTable(try Self.tagged(), "tagged")
    }

    /// Generated topologies, where many interfaces share a class (across subnets and tag groups).
    @Test(arguments: [(1, false), (2, true), (5, false)] as [(UInt64, Bool)])
    func classLevelMatrixOnGeneratedTopologies(_ seed: UInt64, _ edges: Bool) {
        var t = TopologyGenerator(seed: seed, vpcs: 3, subnetsPerVPC: 4, instances: 26, securityGroups: 5, peerings: 1,
                                  transitGateway: true, zones: 2, edges: edges).generate()
        Self.spreadTags(&t)
        let c = CompiledTopology(t)
        #expect(c.interfaceClasses.count < c.interfaces.count)
        Self.checkClassesAgainstTable(c, "generated \(seed)")
        if seed == 5 { Self.checkClassesAgainstTable(c, traffic: QuestionTraffic(parsing: "tcp/22,443")!, "generated 5 tcp/22,443") }
    }

    @Test func groupingParses() {
        #expect(MatrixGrouping(parsing: "subnet") == .subnet)
        #expect(MatrixGrouping(parsing: "security-group") == .securityGroup)
        #expect(MatrixGrouping(parsing: "sg") == .securityGroup)
        #expect(MatrixGrouping(parsing: "vpc") == .vpc)
        #expect(MatrixGrouping(parsing: "tag:env") == .tag("env"))
        #expect(MatrixGrouping(parsing: "tag:a:b=c") == .tag("a:b=c"))
        for bad in ["", "tag:", "tag", "subnets", "VPC", "az"] { #expect(MatrixGrouping(parsing: bad) == nil, "\(bad)") }
        #expect(MatrixGrouping.tag("env").description == "tag:env")
        #expect(MatrixGrouping.securityGroup.description == "security-group")
    }

    @Test func unionAbsorbsMergesAndDropsPartialPortsSomePairAllows() {
        let tcp = { (r: [PortRange]) in PortGrant(ipProtocol: .tcp, ports: PortSet(ranges: r)) }
        var u = GrantUnion()
        u.add(ConnectionGrants(allowed: [tcp([PortRange(22, 22)])],
                               partial: [PortGrant(ipProtocol: .tcp, ports: PortSet(ranges: [PortRange(80, 80), PortRange(9000, 9000)]),
                                                   clientPorts: PortSet(PortRange(30000, 65535)))]))
        u.add(ConnectionGrants(allowed: [tcp([PortRange(80, 80)]), PortGrant(ipProtocol: .icmp, ports: PortSet(port: 8)),
                                         PortGrant(ipProtocol: .udp, ports: PortSet(port: 53))]))
        let g = u.grants
        #expect(g.allowed == [tcp([PortRange(22, 22), PortRange(80, 80)]), PortGrant(ipProtocol: .udp, ports: PortSet(port: 53)),
                              PortGrant(ipProtocol: .icmp, ports: PortSet(port: 8))])
        #expect(g.partial == [PortGrant(ipProtocol: .tcp, ports: PortSet(port: 9000), clientPorts: PortSet(PortRange(30000, 65535)))])
        #expect(MatrixReport.cellText(g) == "tcp/22,80, udp/53, icmp/8, tcp/9000 (partly)")
        u.add(ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)]))
        u.add(ConnectionGrants(allowed: [tcp([PortRange(1, 1)])]))
        #expect(u.grants == ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)]))
        #expect(GrantUnion().grants.isEmpty)
    }

    // MARK: Renderers

    static let hostile = ["subnet:a,b\"c", "sg:x|y`z`", "tag:k=<script>alert(1)</script>", "vpc:new\nline\r\nx", "onprem:@team *b* [l](u) _i_ ~s~ #h $m$ \\"]

    static func hostileMatrix() -> ConnectionMatrix {
        let g = ConnectionGrants(allowed: [PortGrant(ipProtocol: .tcp, ports: PortSet(ranges: [PortRange(80, 80), PortRange(443, 443)]))],
                                 partial: [PortGrant(ipProtocol: .tcp, ports: PortSet(port: 9000), clientPorts: PortSet(PortRange(30000, 65535)))])
        return ConnectionMatrix(by: .tag("k|\n"), groups: hostile, sourceGroups: [0, 1, 2, 3], destinationGroups: [0, 2, 3, 4],
                                cells: [ConnectionMatrix.Cell(source: 0, destination: 2, grants: g),
                                        ConnectionMatrix.Cell(source: 3, destination: 4, grants: g)])
    }

    /// RFC 4180 records: fields split on commas outside quotes, `""` inside quotes a quote, records end in CRLF.
    static func parseCSV(_ text: String) -> [[String]]? {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false, wasQuoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.append("\"") } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                guard field.isEmpty, !wasQuoted else { return nil }
                quoted = true
                wasQuoted = true
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\r\n" {
                record.append(field); records.append(record); record = []; field = ""; wasQuoted = false
            } else if c == "\r" || c == "\n" {
                return nil  // a bare line break outside quotes
            } else {
                guard !wasQuoted else { return nil }
                field.append(c)
            }
        }
        return quoted || !record.isEmpty || !field.isEmpty ? nil : records
    }

    @Test func csvQuotesWhatMustBeQuotedAndRoundTrips() throws {
        let m = Self.hostileMatrix()
        let records = try #require(Self.parseCSV(MatrixReport.csv(m)))
        #expect(records == MatrixReport.grid(m))
        #expect(records.first == ["source \\ destination", Self.hostile[0], Self.hostile[2], Self.hostile[3], Self.hostile[4]])
        #expect(records[1][2] == "tcp/80,443, tcp/9000 (partly)")
        #expect(records.count == 5)
        #expect(records.allSatisfy { $0.count == 5 })
        #expect(MatrixReport.csvField("plain") == "plain")
        #expect(MatrixReport.csvField("a\"b") == "\"a\"\"b\"")
        #expect(MatrixReport.csvField("a\nb") == "\"a\nb\"")
    }

    @Test func markdownCellsCannotBreakTheTable() {
        let m = Self.hostileMatrix()
        let md = MatrixReport.markdown(m)
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 2 + m.sourceGroups.count)
        #expect(!md.contains("\r"))
        for line in lines {
            // Unescaped pipes: one per column boundary.
            var pipes = 0, escaped = false
            for c in line {
                if escaped { escaped = false; continue }
                if c == "\\" { escaped = true } else if c == "|" { pipes += 1 }
            }
            #expect(pipes == m.destinationGroups.count + 2, "\(line)")
            var bare: [Character] = []
            escaped = false
            for c in line {
                if escaped { escaped = false; continue }
                if c == "\\" { escaped = true } else { bare.append(c) }
            }
            for special in ["`", "<", ">", "*", "[", "]", "_", "@", "$", "~", "#"] as [Character] {
                #expect(!bare.contains(special), "\(special) in \(line)")
            }
        }
        #expect(md.contains("tag:k=&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(md.contains("sg:x\\|y\\`z\\`"))
        #expect(md.contains("vpc:new\\\\u{A}line\\\\u{D}\\\\u{A}x"))
        #expect(MatrixReport.markdownEscaped("a&b") == "a&amp;b")
    }

    @Test func textEscapesAndAligns() {
        let m = Self.hostileMatrix()
        let text = MatrixReport.text(m, traffic: QuestionTraffic())
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2 + m.sourceGroups.count)
        #expect(lines[0].hasPrefix("matrix by tag:k|\\u{A}, all traffic: 4 source groups, 4 destination groups, 2 non-empty cells"))
        // Empty cells are '-'; the second column starts at the same place on every row of the table.
        let starts = lines.dropFirst().map { line -> Int in
            let chars = Array(line)
            var i = 0
            while i < chars.count && chars[i] != " " { i += 1 }
            while i < chars.count && chars[i] == " " { i += 1 }
            return i
        }
        #expect(Set(starts.dropFirst()).count == 1)
        #expect(lines[2].contains("-"))
    }

    @Test func jsonHasTheIssuesShape() throws {
        let m = Self.hostileMatrix()
        let doc = try #require(jsonObject(MatrixReport.json(m).serialized(pretty: true)) as? [String: Any])
        #expect(doc.keys.sorted() == ["by", "cells", "groups"])
        #expect(doc["by"] as? String == "tag:k|\n")
        #expect(doc["groups"] as? [String] == Self.hostile)
        let cells = try #require(doc["cells"] as? [[String: Any]])
        #expect(cells.count == 2)
        #expect(cells[0]["source"] as? String == Self.hostile[0])
        #expect(cells[0]["destination"] as? String == Self.hostile[2])
        let allowed = try #require(cells[0]["allowed"] as? [[String: Any]])
        #expect(allowed.count == 1)
        #expect(allowed[0]["protocol"] as? String == "tcp")
        #expect(allowed[0]["ports"] as? String == "80,443")
        #expect(allowed[0]["clientPorts"] == nil)
        let partial = try #require(cells[0]["partial"] as? [[String: Any]])
        #expect(partial[0]["clientPorts"] as? String == "30000-65535")
    }
}

/// The class table's exact pre-filter (``CompiledTopology/firstRouteDrops(from:to:)``): a pair is skipped only when
/// its answer is empty (every pair of each topology, all traffic and one way), and pairs are skipped where the first
/// route table drops them — no route, a blackhole, an internet gateway for a private address — while pairs routed
/// through a peering, a transit gateway, a NAT gateway or within the VPC are walked.
@Suite struct MatrixPruningTests {
    static let text = """
        vpc x {
          cidr 10.1.0.0/16
          internet-gateway x-igw
          subnet pub 10.1.0.0/24
          subnet iso 10.1.1.0/24
          subnet bh 10.1.2.0/24
          subnet nat 10.1.3.0/24
          nat-gateway x-nat in pub eip 54.9.0.1 ip 10.1.0.50
          route-table pub-rt {
            associate pub
            route 0.0.0.0/0 -> x-igw
            route 10.2.0.0/16 -> x-y
          }
          route-table iso-rt main {
          }
          route-table bh-rt {
            associate bh
            route 10.2.0.0/16 blackhole
            route 10.3.0.0/16 -> hub
          }
          route-table nat-rt {
            associate nat
            route 0.0.0.0/0 -> x-nat
          }
          security-group open {
            ingress all from 0.0.0.0/0
          }
          instance p1 in pub ip 10.1.0.10 public-ip 3.9.0.10 sg open
          instance i1 in iso ip 10.1.1.10 sg open
          instance b1 in bh ip 10.1.2.10 sg open
          instance n1 in nat ip 10.1.3.10 sg open
        }
        vpc y {
          cidr 10.2.0.0/16
          internet-gateway y-igw
          subnet y-1 10.2.0.0/24
          route-table y-rt main {
            route 0.0.0.0/0 -> y-igw
            route 10.1.0.0/16 -> x-y
          }
          security-group y-open {
            ingress all from 0.0.0.0/0
          }
          instance y1 in y-1 ip 10.2.0.10 public-ip 3.9.0.20 sg y-open
        }
        vpc z {
          cidr 10.3.0.0/16
          subnet z-1 10.3.0.0/24
          subnet z-att 10.3.255.0/28
          route-table z-rt main {
            route 10.1.0.0/16 -> hub
          }
          security-group z-open {
            ingress all from 0.0.0.0/0
          }
          instance z1 in z-1 ip 10.3.0.10 sg z-open
        }
        peering x-y x <-> y
        transit-gateway hub {
          attachment x-att vpc x subnets bh
          attachment z-hub vpc z subnets z-att
        }
        """

    /// Every pair: a pruned pair has an empty answer (all traffic, one way too); returns the pruned pairs' names.
    static func check(_ c: CompiledTopology, _ name: String) -> Set<String> {
        let sources = c.questionParties(asSources: true), destinations = c.questionParties(asSources: false)
        var pruned = Set<String>()
        for s in sources {
            for d in destinations where !s.isSameParty(as: d) && c.firstRouteDrops(from: s.endpoint, to: d.endpoint) {
                pruned.insert("\(s.name) -> \(d.name)")
                #expect(c.connections(from: s.endpoint, to: d.endpoint, traffic: QuestionTraffic()).isEmpty, "\(name): \(s.name) -> \(d.name)")
                var oneWay = QuestionTraffic()
                oneWay.oneWay = true
                #expect(c.connections(from: s.endpoint, to: d.endpoint, traffic: oneWay).isEmpty, "\(name): \(s.name) -> \(d.name) one way")
            }
        }
        return pruned
    }

    @Test func prunesExactlyTheFirstRouteDrops() throws {
        let (t, diagnostics) = TopologyLoader.load(Self.text, file: "pruning.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let c = CompiledTopology(t)
        let pruned = Self.check(c, "pruning")
        // No route (the main table has only the local route), a blackhole, an internet gateway for a private
        // address (z1 has no route back either, but it is y1's own table that drops y1 -> z1).
        for p in ["i1 -> y1", "i1 -> z1", "b1 -> y1", "y1 -> z1", "p1 -> z1", "z1 -> y1"] { #expect(pruned.contains(p), "\(p)") }
        // Routed: within the VPC, over the peering, through the transit gateway, through the NAT gateway (to a
        // private address of another VPC: dropped later, at the internet gateway, so walked).
        for p in ["i1 -> p1", "p1 -> y1", "y1 -> p1", "b1 -> z1", "z1 -> b1", "n1 -> y1", "p1 -> i1"] { #expect(!pruned.contains(p), "\(p)") }
        // The class-level matrix still equals the party-level one.
        MatrixTests.checkClassesAgainstTable(c, "pruning")
    }

    @Test func neverPrunesANonEmptyAnswerOnExamplesAndGeneratedTopologies() throws {
        var pruned = 0
        for name in ConnectionsTests.examples { pruned += Self.check(try ConnectionsTests.compiled(name), name).count }
        for seed in [1, 3] as [UInt64] {
            let t = TopologyGenerator(seed: seed, vpcs: 4, subnetsPerVPC: 4, instances: 24, securityGroups: 6, peerings: 2,
                                      transitGateway: seed == 1, zones: 2, edges: seed == 1).generate()
            pruned += Self.check(CompiledTopology(t), "generated \(seed)").count
        }
        #expect(pruned > 0)
    }
}
