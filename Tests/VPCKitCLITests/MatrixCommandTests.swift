import IPAddressing
import NetworkModel
import Reachability
import TestSupport
import Testing
@testable import VPCKitCLI

/// `vpckit matrix`: exit codes, every format, and the JSON's cells against
/// ``CompiledTopology/connections(from:to:traffic:)`` of their member pairs.
@Suite struct MatrixCommandTests {
    /// True when a JSON grant list lets `p`/`port` through (ports read back with the CLI's own notation).
    static func allows(_ grants: [[String: Any]], _ p: IPProtocol, _ port: UInt16) -> Bool {
        grants.contains { g in
            guard let proto = g["protocol"] as? String else { return false }
            if proto == "all" { return true }
            guard proto == p.description, let ports = g["ports"] as? String, let t = QuestionTraffic(parsing: "\(proto)/\(ports)")
            else { return false }
            return t.ports?.contains(port) ?? false
        }
    }

    static let cases: [(String, String)] = [
        ("three-tier", "subnet"), ("three-tier", "security-group"), ("three-tier", "vpc"),
        ("edges", "subnet"), ("edges", "security-group"), ("edges", "vpc"), ("edges", "tag:env"),
    ]

    @Test(arguments: cases) func jsonCellsAgreeWithTheirMemberPairs(_ name: String, _ by: String) throws {
        let path = checkoutPath("Topologies/\(name).vpc")
        let run = vpckit("matrix", path, "--by", by, "--format", "json")
        #expect(run.code == 0, "\(run.err)")
        let doc = try #require(jsonObject(run.out) as? [String: Any])
        #expect(doc["by"] as? String == by)
        let groups = try #require(doc["groups"] as? [String])
        let cells = try #require(doc["cells"] as? [[String: Any]])
        var byKey: [String: [String: Any]] = [:]
        for c in cells {
            let s = try #require(c["source"] as? String), d = try #require(c["destination"] as? String)
            #expect(groups.contains(s) && groups.contains(d))
            #expect(byKey.updateValue(c, forKey: s + " -> " + d) == nil, "a cell twice")
        }

        let text = try #require(repositoryFile("Topologies/\(name).vpc"))
        let compiled = CompiledTopology(TopologyLoader.load(text, file: path).topology)
        let grouping = try #require(MatrixGrouping(parsing: by))
        let sources = compiled.questionParties(asSources: true), destinations = compiled.questionParties(asSources: false)
        let sl = compiled.groupLabels(sources, by: grouping), dl = compiled.groupLabels(destinations, by: grouping)
        #expect(Set(groups) == Set(sl.joined()).union(dl.joined()))
        var pairs: [String: [ConnectionGrants]] = [:]
        for (i, s) in sources.enumerated() {
            for (j, d) in destinations.enumerated() where s.endpoint != d.endpoint && !(s.interface != nil && s.interface == d.interface)
                && !(s.kind == d.kind && s.name == d.name) {
                let g = compiled.connections(from: s.endpoint, to: d.endpoint, traffic: QuestionTraffic())
                if g.isEmpty { continue }
                for a in sl[i] { for b in dl[j] { pairs[a + " -> " + b, default: []].append(g) } }
            }
        }
        #expect(Set(byKey.keys) == Set(pairs.keys), "\(name) --by \(by): non-empty cells")
        for (key, members) in pairs {
            let cell = byKey[key]
            let allowed = cell?["allowed"] as? [[String: Any]] ?? []
            let partial = cell?["partial"] as? [[String: Any]] ?? []
            for p in [IPProtocol.tcp, .udp] {
                for port: UInt16 in [1, 22, 80, 443, 1024, 5432, 8080, 65535] {
                    let want = members.contains { $0.allows(p, port: port) }
                    #expect(Self.allows(allowed, p, port) == want, "\(name) --by \(by): \(key) \(p)/\(port)")
                    let partly = !want && members.contains { $0.partial.contains { $0.ipProtocol == p && $0.ports.contains(port) } }
                    #expect(Self.allows(partial, p, port) == partly, "\(name) --by \(by): \(key) \(p)/\(port) partly")
                }
            }
            #expect(Self.allows(allowed, .icmp, 8) == members.contains { $0.allows(.icmp, port: 8) }, "\(name) --by \(by): \(key) icmp/8")
        }
    }

    @Test func everyFormatAndItsShape() {
        let path = checkoutPath("Topologies/three-tier.vpc")
        let text = vpckit("matrix", path, "--by", "subnet")
        #expect(text.code == 0)
        let lines = text.out.split(separator: "\n")
        #expect(lines.first == "matrix by subnet, all traffic: 7 source groups, 7 destination groups, 20 non-empty cells")
        #expect(lines.count == 9)
        #expect(lines.dropFirst().first?.hasPrefix("source \\ destination  subnet:public-a  ") == true)
        #expect(lines.contains { $0.hasPrefix("subnet:app-a ") && $0.contains("tcp/5432") })

        let csv = vpckit("matrix", path, "--by", "subnet", "tcp/5432", "--format", "csv")
        #expect(csv.code == 0)
        let records = csv.out.split(separator: "\r\n")
        #expect(records.count == 8)
        #expect(records.first == "source \\ destination,subnet:public-a,subnet:public-b,subnet:app-a,subnet:app-b,subnet:db-a,subnet:db-b,internet")
        #expect(records.contains("subnet:app-a,,,,,tcp/5432,tcp/5432,"))
        #expect(csv.out.hasSuffix("\r\n"))

        let md = vpckit("matrix", path, "--by", "security-group", "--format", "markdown")
        #expect(md.code == 0)
        let rows = md.out.split(separator: "\n")
        #expect(rows.count == 6)
        #expect(rows.first == "| source \\\\ destination | sg:web | sg:app | sg:db | internet |")
        #expect(rows.dropFirst().first == "| --- | --- | --- | --- | --- |")

        let oneWay = vpckit("matrix", path, "--by", "vpc", "--one-way", "--client-ports", "linux")
        #expect(oneWay.code == 0)
        #expect(oneWay.out.hasPrefix("matrix by vpc, all traffic (one way): 2 source groups"))
        // The edge options: an on-premises network of --onprem is its own row and column.
        let edges = vpckit("matrix", checkoutPath("Topologies/edges.vpc"), "--by", "vpc", "--onprem", "10.99.0.0/16@office-vpn", "--format", "json")
        #expect(edges.code == 0)
        let doc = (try? jsonObject(edges.out)) as? [String: Any]
        #expect((doc?["groups"] as? [String])?.contains("onprem:10.99.0.0/16") == true)
    }

    @Test func badInputIsExitTwo() {
        let path = checkoutPath("Topologies/three-tier.vpc")
        let unknown = vpckit("matrix", path, "--by", "az")
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("bad --by 'az'"))
        #expect(unknown.out.isEmpty)
        #expect(vpckit("matrix", path, "--by", "tag:").code == 2)
        #expect(vpckit("matrix", path).code == 2)
        let traffic = vpckit("matrix", path, "--by", "vpc", "tcp/0")
        #expect(traffic.code == 2)
        #expect(traffic.err.contains("bad traffic"))
        #expect(vpckit("matrix", path, "--by", "vpc", "--format", "xml").code == 2)
        #expect(vpckit("matrix", path, "--by", "vpc", "--source-port", "5", "--client-ports", "linux").code == 2)
        #expect(vpckit("matrix", checkoutPath("Topologies/missing.vpc"), "--by", "vpc").code == 2)
        #expect(vpckit("matrix", checkoutPath("Topologies/broken"), "--by", "vpc").code == 2)
    }
}
