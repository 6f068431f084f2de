@testable import Diagrams
import FileIO
import Generators
import IPAddressing
import NetworkModel
import Reachability
import TestSupport
import Testing

/// Parses and validates `text`, recording every error.
func load(_ text: String, file: String = "test.vpc", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Topology {
    let (topology, diagnostics) = TopologyLoader.load(text, file: file)
    for d in diagnostics where d.severity == .error { Issue.record("DSL error: \(d.rendered)", sourceLocation: sourceLocation) }
    return topology
}

func repositoryTopology(_ name: String) -> Topology? {
    guard let text = repositoryFile("Topologies/" + name) else { return nil }
    return load(text, file: "Topologies/" + name)
}

func draw(_ topology: Topology, detail: DiagramDetail? = nil, focus: String? = nil,
          sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagram? {
    switch DiagramBuilder.build(TopologyResolver.resolve(topology), detail: detail, focus: focus) {
    case .success(let d): return d
    case .failure(let e):
        Issue.record("diagram failed: \(e)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Every cluster of `diagram` (depth first).
func allClusters(_ diagram: Diagram) -> [DiagramCluster] {
    var out: [DiagramCluster] = []
    func walk(_ c: DiagramCluster) { out.append(c); c.clusters.forEach(walk) }
    diagram.clusters.forEach(walk)
    return out
}

@Suite struct GoldenDiagramTests {
    /// The small topology's DOT and Mermaid, byte for byte (Tests/DiagramsTests/Golden; regenerate with
    /// `Scripts/graph-golden` after a deliberate change and review the diff).
    @Test(arguments: [("three-tier.vpc", DiagramDetail.interface, "three-tier"), ("hub-and-spoke.vpc", .subnet, "hub-and-spoke"),
                      ("edges.vpc", .subnet, "edges")])
    func goldenFiles(topology name: String, detail: DiagramDetail, golden: String) throws {
        let topology = try #require(repositoryTopology(name))
        let diagram = try #require(draw(topology, detail: detail))
        let dot = try #require(repositoryFile("Tests/DiagramsTests/Golden/\(golden).dot"))
        let mermaid = try #require(repositoryFile("Tests/DiagramsTests/Golden/\(golden).mmd"))
        #expect(DOTRenderer.render(diagram) == dot)
        #expect(MermaidRenderer.render(diagram) == mermaid)
    }

    @Test func goldenPath() throws {
        let topology = try #require(repositoryTopology("three-tier.vpc"))
        var diagram = try #require(draw(topology, detail: .interface))
        let compiled = CompiledTopology(topology)
        diagram.overlay(try answer(compiled, "web-1", "db-1", "tcp/5432"), files: topology.files)
        let dot = try #require(repositoryFile("Tests/DiagramsTests/Golden/three-tier-path.dot"))
        #expect(DOTRenderer.render(diagram) == dot)
    }
}

func answer(_ compiled: CompiledTopology, _ from: String, _ to: String, _ traffic: String,
            sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Verdict {
    guard case .success(let s) = compiled.resolveQuery(from, side: .source),
          case .success(let d) = compiled.resolveQuery(to, side: .destination) else {
        Issue.record("endpoints did not resolve", sourceLocation: sourceLocation)
        throw DiagramError.unknownFocus(from, suggestion: nil)
    }
    let parts = traffic.split(separator: "/")
    let proto: IPProtocol = parts[0] == "udp" ? .udp : parts[0] == "icmp" ? .icmp : .tcp
    let spec = TrafficSpec(ipProtocol: proto, port: parts.count > 1 ? UInt16(parts[1]) : nil)
    return try compiled.reach(from: s, to: d, traffic: spec, sourcePorts: .ephemeral, oneWay: false).get()
}

@Suite struct PathDrawingTests {
    /// The highlighted elements are exactly the trace's hops, in its order, numbered from 1, and the blocking
    /// component carries the explanation's code and rule.
    @Test(arguments: [("three-tier.vpc", "app-1", "db-1", "tcp/5432"), ("three-tier.vpc", "web-1", "db-1", "tcp/5432"),
                      ("three-tier.vpc", "app-1", "internet", "tcp/443"), ("three-tier.vpc", "internet", "web-1", "tcp/443"),
                      ("hub-and-spoke.vpc", "app-a1", "app-b1", "tcp/443"), ("peering-mesh.vpc", "a-host", "c-host", "tcp/443"),
                      ("edges.vpc", "app-1", "west-1", "tcp/443"), ("edges.vpc", "app-1", "db-1", "tcp/5432")])
    func highlightedElementsAreTheHops(topology name: String, from: String, to: String, traffic: String) throws {
        let topology = try #require(repositoryTopology(name))
        let compiled = CompiledTopology(topology)
        let verdict = try answer(compiled, from, to, traffic)
        for detail in DiagramDetail.allCases {
            var diagram = try #require(draw(topology, detail: detail))
            diagram.overlay(verdict, files: topology.files)
            let hops = verdict.forwardPath + (verdict.returnPath.isEmpty ? verdict.blockedReturnPath : verdict.returnPath)
            #expect(diagram.pathSteps.map(\.component) == hops.map(\.component))
            #expect(diagram.pathSteps.map(\.number) == Array(1...max(hops.count, 1)).prefix(hops.count).map { $0 })
            #expect(diagram.pathSteps.map(\.action) == hops.map(\.action.kind))
            // Each node's step numbers are exactly the steps drawn at it; nothing else is marked.
            var expected: [String: [Int]] = [:]
            for s in diagram.pathSteps { expected[s.nodeID, default: []].append(s.number) }
            let nodes = diagram.allNodes
            #expect(Set(nodes.map(\.id)).isSuperset(of: expected.keys), "every hop has a node")
            for n in nodes { #expect(n.hops == (expected[n.id] ?? []), "node \(n.id)") }
            var marked = Set(expected.keys)
            let blocked = nodes.filter { $0.blocked != nil }
            if let e = verdict.explanation {
                #expect(blocked.count == 1)
                #expect(blocked.first?.blocked?.code == e.code.rawValue)
                #expect(blocked.first?.blocked?.rule == e.rule?.description(files: topology.files))
                if let b = blocked.first { marked.insert(b.id) }
            } else {
                #expect(blocked.isEmpty)
            }
            #expect(diagram.highlightedNodeIDs == marked)
            // A node stands for one component: two different components never share one.
            var componentOf: [String: ComponentRef] = [:]
            for s in diagram.pathSteps {
                if let c = componentOf[s.nodeID] { #expect(c == s.component, "\(s.nodeID)") } else { componentOf[s.nodeID] = s.component }
            }
            // The path's edges join consecutive steps' nodes, labelled with the later step's number.
            let pathEdges = diagram.edges.filter { $0.kind == .pathForward || $0.kind == .pathReturn }
            var joins: [DiagramEdge] = []
            for (a, b) in zip(diagram.pathSteps, diagram.pathSteps.dropFirst()) where a.nodeID != b.nodeID {
                joins.append(DiagramEdge(from: a.nodeID, to: b.nodeID, kind: b.direction == .forward ? .pathForward : .pathReturn, label: "\(b.number)"))
            }
            #expect(Array(pathEdges.prefix(joins.count)) == joins)
            // The DOT marks exactly those nodes (penwidth=3 on node statements).
            let dot = DOTRenderer.render(diagram)
            let thick = Set(dot.split(separator: "\n").compactMap { line -> String? in
                let l = line.drop { $0 == " " }
                guard !l.contains(" -> "), l.contains("penwidth=3"), let sp = l.firstIndex(of: " ") else { return nil }
                return String(l[..<sp])
            })
            #expect(thick == diagram.highlightedNodeIDs)
            #expect(mermaidGrammarError(MermaidRenderer.render(diagram)) == nil)
        }
    }
}

@Suite struct DiagramStructureTests {
    @Test func detailThresholds() {
        #expect(DiagramDetail.automatic(subnets: 6, interfaces: 6) == .interface)
        #expect(DiagramDetail.automatic(subnets: DiagramDetail.subnetThreshold, interfaces: DiagramDetail.interfaceThreshold) == .interface)
        #expect(DiagramDetail.automatic(subnets: 10, interfaces: DiagramDetail.interfaceThreshold + 1) == .subnet)
        #expect(DiagramDetail.automatic(subnets: DiagramDetail.subnetThreshold + 1, interfaces: 0) == .vpc)
    }

    @Test func clustersNestVPCZoneSubnet() throws {
        let topology = try #require(repositoryTopology("three-tier.vpc"))
        let diagram = try #require(draw(topology))
        #expect(diagram.detail == .interface)
        let vpc = try #require(diagram.clusters.first { $0.kind == .vpc })
        #expect(vpc.clusters.map(\.lines) == [["us-east-1a"], ["us-east-1b"]])
        #expect(vpc.clusters[0].clusters.map { $0.lines } == [["subnet app-a"], ["subnet db-a"], ["subnet public-a"]])
        let subnet = try #require(diagram.allNodes.first { $0.id == "subnet_db_2Da" })
        #expect(subnet.lines == ["10.10.20.0/24", "route table isolated", "NACL db-nacl"])
        let ids = Set(diagram.allNodes.map(\.id))
        #expect(ids.isSuperset(of: ["inst_db_2D1", "nat_nat_2Da", "igw_tt_2Digw", "internet", "vpc_three_2Dtier"]))
        #expect(diagram.edges.contains(DiagramEdge(from: "igw_tt_2Digw", to: "internet", kind: .link)))
        let atVPC = try #require(draw(topology, detail: .vpc))
        #expect(atVPC.clusters.isEmpty)
        #expect(atVPC.allNodes.first { $0.id == "vpc_three_2Dtier" }?.lines.last == "6 subnets, 6 instances, 2 NAT")
    }

    @Test func transitGatewaysAndEdges() throws {
        let hubTopology = try #require(repositoryTopology("hub-and-spoke.vpc"))
        let hub = try #require(draw(hubTopology, detail: .subnet))
        let tgw = try #require(hub.clusters.first { $0.kind == .transitGateway })
        #expect(tgw.nodes.contains { $0.kind == .transitGateway })
        #expect(tgw.nodes.contains { $0.kind == .tgwAttachment })
        #expect(tgw.nodes.contains { $0.kind == .tgwRouteTable })
        #expect(hub.edges.contains { $0.kind == .attachment && $0.to.hasPrefix("vpc_") })
        #expect(hub.edges.contains { $0.kind == .association })
        let edgesTopology = try #require(repositoryTopology("edges.vpc"))
        let edges = try #require(draw(edgesTopology, detail: .subnet))
        let kinds = Set(edges.allNodes.map(\.kind))
        #expect(kinds.isSuperset(of: [.vpnGateway, .vpnConnection, .customerGateway, .onPremises]))
        #expect(edges.edges.contains { $0.kind == .vpn })
        #expect(edges.edges.contains { $0.kind == .announcement })
    }

    /// Same model, written in another order: the same text (sorted by name, ids from names).
    @Test func deterministicAndIndependentOfWrittenOrder() throws {
        let topology = TopologyGenerator(seed: 3, vpcs: 8, subnetsPerVPC: 4, instances: 30, peerings: 6, transitGateway: true).generate()
        var shuffled = topology
        shuffled.vpcs.reverse()
        for i in shuffled.vpcs.indices {
            shuffled.vpcs[i].subnets.reverse()
            shuffled.vpcs[i].instances.reverse()
        }
        shuffled.peerings.reverse()
        for detail in DiagramDetail.allCases {
            let a = try #require(draw(topology, detail: detail)), b = try #require(draw(topology, detail: detail))
            let c = try #require(draw(shuffled, detail: detail))
            #expect(DOTRenderer.render(a) == DOTRenderer.render(b))
            #expect(DOTRenderer.render(a) == DOTRenderer.render(c))
            #expect(MermaidRenderer.render(a) == MermaidRenderer.render(c))
        }
    }

    @Test func focusDrawsANeighbourhood() throws {
        let topology = TopologyGenerator(seed: 5, vpcs: 12, subnetsPerVPC: 3, instances: 24, peerings: 10, transitGateway: false).generate()
        let name = try #require(topology.peerings.first?.requester)
        let diagram = try #require(draw(topology, detail: .subnet, focus: name))
        // The focus in full, its peers and TGW neighbours as single nodes, nothing else.
        #expect(diagram.clusters.filter { $0.kind == .vpc }.map { $0.lines.first } == ["VPC " + name])
        var expected: Set<String> = []
        for p in topology.peerings where p.requester == name || p.accepter == name {
            expected.insert(p.requester == name ? p.accepter : p.requester)
        }
        for g in topology.transitGateways where g.attachments.contains(where: { $0.vpc == name }) {
            for a in g.attachments where a.vpc != name && a.kind == .vpc { expected.insert(a.vpc) }
        }
        let stubs = Set(diagram.nodes.filter { $0.kind == .vpc }.compactMap { $0.lines.first?.dropFirst(4) }.map(String.init))
        #expect(stubs == expected)
        #expect(stubs.count < topology.vpcs.count - 1)
        // A TGW focus: the TGW and its VPCs as single nodes; a VPC focus draws its TGW.
        let hub = try #require(repositoryTopology("hub-and-spoke.vpc"))
        let tgw = try #require(hub.transitGateways.first)
        let byTGW = try #require(draw(hub, focus: tgw.name))
        #expect(byTGW.clusters.filter { $0.kind == .transitGateway }.count == 1)
        #expect(!byTGW.clusters.contains { $0.kind == .vpc })
        #expect(Set(byTGW.nodes.filter { $0.kind == .vpc }.compactMap(\.lines.first))
                == Set(tgw.attachments.filter { $0.kind == .vpc }.map { "VPC " + $0.vpc }))
        let spoke = try #require(tgw.attachments.first { $0.kind == .vpc }?.vpc)
        let bySpoke = try #require(draw(hub, focus: spoke))
        #expect(bySpoke.clusters.contains { $0.kind == .transitGateway })
        #expect(bySpoke.clusters.filter { $0.kind == .vpc }.map { $0.lines.first } == ["VPC " + spoke])
        // An unknown name is an error with a suggestion.
        let miss = DiagramBuilder.build(TopologyResolver.resolve(topology), focus: name + "x")
        guard case .failure(.unknownFocus(_, let suggestion)) = miss else { Issue.record("expected an error"); return }
        #expect(suggestion == name)
    }

    @Test func idsAreWordsAndDistinct() {
        let names = ["a-b", "a_2Db", "a_b", "a b", "end", "\"]}-->", "a\nb", "<html>", "é", "", "_", "__"]
        let ids = names.map { DiagramID.make("x", $0) }
        #expect(Set(ids).count == names.count)
        for id in ids { #expect(id.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) }) }
        #expect(DiagramID.make("subnet", "web-a") == "subnet_web_2Da")
    }
}

/// Names from imported text never shape DOT or Mermaid syntax.
@Suite struct HostileNameTests {
    static let hostile = ["q\"uote", "br{ace}", "bra]cket[", "a-->b", "new\nline", "<html>&amp;", "back\\slash\\N",
                          "end", "%% x", "semi;colon|pipe", "#35;", "tab\there"]

    /// A topology whose every name is hostile (built directly: the language and the importers would refuse or
    /// rename most of these, the renderers must not rely on that).
    static func topology() -> Topology {
        var t = Topology()
        let h = hostile
        for (k, name) in h.prefix(3).enumerated() {
            var v = VPC(name: name, id: "vpc-\"\(k)", region: h[3], account: h[4], cidrs: [IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(k) << 16), length: 16)!])
            v.internetGateway = Gateway(name: h[5] + "\(k)")
            v.subnets = [Subnet(name: h[6] + "\(k)", cidr: IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000 | UInt32(k) << 16), length: 24)!,
                                availabilityZone: h[7], mapPublicIP: true)]
            v.routeTables = [RouteTable(name: h[8] + "\(k)", isMain: true)]
            v.networkACLs = [NetworkACL(name: h[9] + "\(k)", associations: [v.subnets[0].name], isDefault: true)]
            v.securityGroups = [SecurityGroup(name: h[10] + "\(k)")]
            v.natGateways = [NATGateway(name: h[11] + "\(k)", subnet: v.subnets[0].name, connectivity: .private)]
            v.instances = [Instance(name: h[k] + "-i", id: "i-<\(k)>", interfaces: [
                NetworkInterface(subnet: v.subnets[0].name, privateIP: IPv4Address(bits: 0x0A00_000A | UInt32(k) << 16), securityGroups: [v.securityGroups[0].name]),
                NetworkInterface(name: h[1], subnet: v.subnets[0].name, privateIP: IPv4Address(bits: 0x0A00_000B | UInt32(k) << 16)),
            ])]
            v.endpoints = [VPCEndpoint(name: h[3] + "\(k)", kind: .interface, service: h[5], subnets: [v.subnets[0].name])]
            v.vpnGateway = VPNGateway(name: h[2] + "vgw\(k)")
            t.vpcs.append(v)
        }
        t.peerings = [Peering(name: h[3], requester: h[0], accepter: h[1])]
        t.transitGateways = [TransitGateway(name: h[4], attachments: [TGWAttachment(name: h[5], vpc: h[1], subnets: [h[6] + "1"]),
                                                                       TGWAttachment(name: h[8], kind: .vpn(connection: h[9]))],
                                            routeTables: [TGWRouteTable(name: h[6], associations: [h[5]], propagations: [h[5]])])]
        t.customerGateways = [CustomerGateway(name: h[10], address: IPv4Address(bits: 0x0102_0304), asn: 65000)]
        t.vpnConnections = [VPNConnection(name: h[9], awsSide: .transitGateway(h[4]), customerGateway: h[10]),
                            VPNConnection(name: h[11], awsSide: .vpnGateway(h[2] + "vgw0"), customerGateway: h[10])]
        t.onPremisesNetworks = [OnPremisesNetwork(name: h[7], prefixes: [IPv4Prefix(network: IPv4Address(bits: 0xC0A8_0000), length: 16)!],
                                                  announcements: [.init(edge: h[9]), .init(edge: h[11])])]
        return t
    }

    /// The DOT strings of `text`, unescaped, in order; nil when a string is unterminated or an escape is not one
    /// this renderer writes (`\\`, `\"`, `\n` between lines, `&amp;`: any other `&` could start an entity).
    static func dotStrings(_ line: Substring) -> (strings: [String], skeleton: String)? {
        var strings: [String] = [], skeleton = ""
        var i = line.startIndex
        while i < line.endIndex {
            if line[i] != "\"" { skeleton.append(line[i]); i = line.index(after: i); continue }
            var s = ""
            i = line.index(after: i)
            var closed = false
            while i < line.endIndex {
                let c = line[i]
                if c == "\"" { closed = true; i = line.index(after: i); break }
                if c == "&" {
                    guard line[i...].hasPrefix("&amp;") else { return nil }
                    s.append("&")
                    i = line.index(i, offsetBy: 5)
                    continue
                }
                if c == "\\" {
                    let n = line.index(after: i)
                    guard n < line.endIndex else { return nil }
                    switch line[n] {
                    case "\\": s.append("\\")
                    case "\"": s.append("\"")
                    case "n": s.append("\n")
                    default: return nil
                    }
                    i = line.index(after: n)
                    continue
                }
                s.append(c)
                i = line.index(after: i)
            }
            guard closed else { return nil }
            strings.append(s)
            skeleton += "S"
        }
        return (strings, skeleton)
    }

    @Test func dotQuotesAndEscapesEveryName() throws {
        let diagram = try #require(draw(Self.topology(), detail: .interface))
        let dot = DOTRenderer.render(diagram)
        var labels: [String: String] = [:]
        for line in dot.split(separator: "\n") {
            let parsed = try #require(Self.dotStrings(line), "unterminated string or foreign escape: \(line)")
            // Outside strings: only ids, keywords, brackets, `=`, `,`, `;`, `->`, `{`, `}` and spaces.
            #expect(parsed.skeleton.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_ []=,;{}->#.".contains($0)) },
                    "\(parsed.skeleton)")
            let words = line.drop { $0 == " " }
            if let sp = words.firstIndex(of: " "), words[..<sp] != "graph",
               words[words.index(after: sp)...].hasPrefix("[label="), let first = parsed.strings.first {
                labels[String(words[..<sp])] = first
            }
        }
        // Every node's label reads back as its lines (control characters as U+FFFD), plus the step/blocked lines.
        for n in diagram.allNodes {
            let expected = n.lines.map { String(String.UnicodeScalarView($0.unicodeScalars.map { $0.value < 0x20 ? "\u{FFFD}" : $0 })) }
            #expect(labels[n.id] == expected.joined(separator: "\n"), "\(n.id)")
        }
        #expect(labels.count == diagram.allNodes.count)
        for name in Self.hostile where name.contains("\"") { #expect(!dot.contains(name)) }
    }

    /// Graphviz lays the hostile DOT out, and the names come out as text (escaped in the SVG), not markup.
    @Test func graphvizAcceptsIt() throws {
        guard let dot = ExternalProgram.find("dot", searchPath: ExternalProgram.searchPath) else { return }
        let diagram = try #require(draw(Self.topology(), detail: .interface))
        let result = try ExternalProgram.run(dot, arguments: ["-Tsvg"], input: Array(DOTRenderer.render(diagram).utf8))
        #expect(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        let svg = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(svg.contains("&lt;html&gt;&amp;amp;"))
        #expect(!svg.contains("<html>"))
        #expect(svg.contains("br{ace}"))
    }

    @Test func mermaidFollowsItsGrammar() throws {
        var diagram = try #require(draw(Self.topology(), detail: .interface))
        let text = MermaidRenderer.render(diagram)
        #expect(mermaidGrammarError(text) == nil, "\(mermaidGrammarError(text) ?? "")")
        for bad in ["-->b", "<html>", "q\"uote", "br{ace}", "]cket"] { #expect(!text.contains(bad)) }
        #expect(MermaidRenderer.escape("a<b>\"c\"#;\n") == "a#60;b#62;#34;c#34;#35;#59;#65533;")
        for detail in DiagramDetail.allCases {
            diagram = try #require(draw(Self.topology(), detail: detail))
            #expect(mermaidGrammarError(MermaidRenderer.render(diagram)) == nil)
        }
    }

    /// The checker itself refuses what would break a diagram.
    @Test func grammarCheckerRefusesBrokenText() {
        let good = "flowchart LR\n  subgraph c_1[\"x\"]\n    a_1[\"a\"]\n  end\n  b_1((\"b\"))\n  a_1 ---|\"l\"| b_1\n"
        #expect(mermaidGrammarError(good) == nil)
        #expect(mermaidGrammarError(good.replacingOccurrences("[\"a\"]", "[\"a\"b\"]")) != nil)
        #expect(mermaidGrammarError(good.replacingOccurrences("\"l\"", "\"<b>\"")) != nil)
        #expect(mermaidGrammarError(good.replacingOccurrences("  end\n", "")) != nil)
        #expect(mermaidGrammarError(good.replacingOccurrences("a_1[", "end[")) != nil)
        #expect(mermaidGrammarError(good + "  a_1 --> z_9\n") != nil)
        #expect(mermaidGrammarError(good + "  linkStyle 1 stroke:#000\n") != nil)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = "", rest = self[...]
        while !rest.isEmpty {
            if rest.hasPrefix(target) { out += replacement; rest = rest.dropFirst(target.count) } else { out.append(rest.removeFirst()) }
        }
        return out
    }
}

@Suite struct NameOrderTests {
    @Test func digitsCompareByValue() {
        let names = ["prv-10", "prv-2", "prv-1", "pub-0", "a01", "a1", "a", "b", "B", "prv-02"]
        let sorted = names.sorted(by: NameOrder.less)
        #expect(sorted == ["B", "a", "a01", "a1", "b", "prv-1", "prv-02", "prv-2", "prv-10", "pub-0"])
        // A strict order: never both ways, and equal names only for the same string.
        for a in names { for b in names { #expect(!(NameOrder.less(a, b) && NameOrder.less(b, a))); if a != b { #expect(NameOrder.less(a, b) || NameOrder.less(b, a)) } } }
    }
}

@Suite struct GraphDocsTests {
    /// Docs/GRAPH.md's Mermaid example follows the grammar the renderer writes, and the doc names the thresholds
    /// the code uses.
    @Test func docExamplesHold() throws {
        let doc = try #require(repositoryFile("Docs/GRAPH.md"))
        let blocks = doc.components(separatedBy: "```mermaid\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        #expect(blocks.count == 1)
        for b in blocks { #expect(mermaidGrammarError(b) == nil, "\(mermaidGrammarError(b) ?? "")") }
        #expect(doc.contains("at most \(DiagramDetail.interfaceThreshold) interfaces"))
        #expect(doc.contains("at most \(DiagramDetail.subnetThreshold) subnets"))
        #expect(doc.contains("more than \(DiagramBuilder.focusAttachmentLimit) VPC attachments"))
    }
}

extension String {
    /// The pieces of the string between occurrences of `separator`.
    func components(separatedBy separator: String) -> [String] {
        var out: [String] = [], current = "", rest = self[...]
        while !rest.isEmpty {
            if rest.hasPrefix(separator) { out.append(current); current = ""; rest = rest.dropFirst(separator.count) } else { current.append(rest.removeFirst()) }
        }
        out.append(current)
        return out
    }
}

@Suite struct HTMLPageTests {
    func svg(_ diagram: Diagram) throws -> String? {
        guard let dot = ExternalProgram.find("dot", searchPath: ExternalProgram.searchPath) else { return nil }
        let r = try ExternalProgram.run(dot, arguments: ["-Tsvg"], input: Array(DOTRenderer.render(diagram).utf8))
        #expect(r.status == 0)
        return String(decoding: r.standardOutput, as: UTF8.self)
    }

    /// One page, the SVG inline, a row per hop (and the blocker) naming a node the SVG has, nothing fetched.
    @Test func selfContainedPageWithTheHopTable() throws {
        let topology = try #require(repositoryTopology("three-tier.vpc"))
        var diagram = try #require(draw(topology, detail: .interface))
        diagram.overlay(try answer(CompiledTopology(topology), "web-1", "db-1", "tcp/5432"), files: topology.files)
        guard let image = try svg(diagram) else { return }
        let page = try #require(HTMLRenderer.render(diagram, svg: image, heading: "web-1 -> db-1 <tcp/5432>"))
        #expect(page.hasPrefix("<!DOCTYPE html>\n"))
        #expect(page.components(separatedBy: "<svg").count == 2)
        #expect(!page.contains("<?xml") && !page.contains("<!DOCTYPE svg"))
        #expect(page.contains("<h1>web-1 -&gt; db-1 &lt;tcp/5432&gt;</h1>"))
        for banned in ["src=", "href", "url(", "@import", "<link", "<iframe"] { #expect(!page.contains(banned), "\(banned)") }
        let rows = page.components(separatedBy: "data-node=\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
        #expect(rows == diagram.pathSteps.map(\.nodeID) + diagram.allNodes.filter { $0.blocked != nil }.map(\.id))
        for id in Set(rows) { #expect(image.contains("<title>\(id)</title>"), "\(id)") }
        #expect(page.contains("<tr class=\"blocked\""))
        #expect(page.contains("SUBNET_ACL_RESTRICTION"))
        #expect(HTMLRenderer.render(diagram, svg: "no picture", heading: "x") == nil)
    }

    @Test func everyTextIsEscaped() throws {
        #expect(HTMLRenderer.escape("<a href='x'>&\"\n") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;\u{FFFD}")
        let diagram = try #require(draw(HostileNameTests.topology(), detail: .interface))
        guard let image = try svg(diagram) else { return }
        let page = try #require(HTMLRenderer.render(diagram, svg: image, heading: HostileNameTests.hostile.joined()))
        #expect(!page.contains("<html>&amp;"))
        #expect(page.components(separatedBy: "<script").count == 2)
    }
}

@Suite struct DiagramLimitsTests {
    /// A hub TGW with more than `focusAttachmentLimit` VPCs: `--focus VPC` draws the focus's attachment only.
    @Test func bigHubIsTrimmedUnderAVPCFocus() throws {
        let topology = TopologyGenerator(seed: 9, vpcs: DiagramBuilder.focusAttachmentLimit + 8, subnetsPerVPC: 2, instances: 20,
                                         peerings: 0, transitGateway: true).generate()
        let tgw = try #require(topology.transitGateways.first)
        let vpcAttachments = tgw.attachments.filter { $0.kind == .vpc }
        #expect(vpcAttachments.count > DiagramBuilder.focusAttachmentLimit)
        let focus = try #require(vpcAttachments.first?.vpc)
        let diagram = try #require(draw(topology, focus: focus))
        let cluster = try #require(diagram.clusters.first { $0.kind == .transitGateway })
        #expect(cluster.nodes.filter { $0.kind == .tgwAttachment }.count == 1)
        #expect(cluster.nodes.first { $0.kind == .transitGateway }?.lines.last
                == "\(tgw.attachments.count - 1) other attachments (--focus \(tgw.name))")
        #expect(!diagram.nodes.contains { $0.kind == .vpc })
        // Focused on the TGW itself: every attachment.
        let whole = try #require(draw(topology, focus: tgw.name))
        #expect(whole.clusters.first { $0.kind == .transitGateway }?.nodes.filter { $0.kind == .tgwAttachment }.count == tgw.attachments.count)
    }

    /// Lists show six items and a count; lines longer than 300 scalars are cut, so no label grows with the input.
    @Test func labelsAreBounded() throws {
        var t = Topology()
        var v = VPC(name: String(repeating: "v", count: 1000), cidrs: [IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000), length: 16)!])
        v.subnets = [Subnet(name: "s", cidr: IPv4Prefix(network: IPv4Address(bits: 0x0A00_0000), length: 24)!)]
        v.securityGroups = (0..<10).map { SecurityGroup(name: "g\($0)") }
        v.instances = [Instance(name: "i", interfaces: [NetworkInterface(subnet: "s", privateIP: IPv4Address(bits: 0x0A00_000A),
                                                                         securityGroups: v.securityGroups.map(\.name))])]
        t.vpcs = [v]
        let diagram = try #require(draw(t, detail: .interface))
        #expect(diagram.allNodes.first { $0.id == "inst_i" }?.lines.last == "sg g0, g1, g2, g3, g4, g5, … (+4 more)")
        let dot = DOTRenderer.render(diagram)
        let clusterLabel = try #require(dot.split(separator: "\n").first { $0.contains("label=\"VPC vvv") })
        let text = try #require(HostileNameTests.dotStrings(clusterLabel)?.strings.first)
        let first = try #require(text.split(separator: "\n").first)
        #expect(first.unicodeScalars.count == DiagramText.maximumLine)
        #expect(first.hasSuffix("\u{2026}"))
        #expect(mermaidGrammarError(MermaidRenderer.render(diagram)) == nil)
    }

    /// A path's security group, table and NACL are drawn in the cluster of the subnet the path is in there.
    @Test func pathNodesSitBesideTheirSubnet() throws {
        let topology = try #require(repositoryTopology("three-tier.vpc"))
        for (detail, web, db) in [(DiagramDetail.interface, "cluster_vpc__vpc_three_2Dtier__subnet_public_2Da", "cluster_vpc__vpc_three_2Dtier__subnet_db_2Da"),
                                  (.subnet, "cluster_vpc__vpc_three_2Dtier__az_us_2Deast_2D1a", "cluster_vpc__vpc_three_2Dtier__az_us_2Deast_2D1a")] {
            var diagram = try #require(draw(topology, detail: detail))
            diagram.overlay(try answer(CompiledTopology(topology), "web-1", "db-1", "tcp/5432"), files: topology.files)
            let clusters = allClusters(diagram)
            func home(_ id: String) -> String? { clusters.first { $0.nodes.contains { $0.id == id } }?.id }
            #expect(home("sg_three_2Dtier__n_web") == web)
            #expect(home("rt_three_2Dtier__n_public") == web)
            #expect(home("nacl_three_2Dtier__n_public_2Dnacl") == web)
            #expect(home("nacl_three_2Dtier__n_db_2Dnacl") == db)
        }
    }
}
