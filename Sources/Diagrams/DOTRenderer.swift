/// Graphviz DOT text of a ``Diagram`` (what `dot -Tsvg` lays out).
///
/// Every id is a ``DiagramID`` (letters, digits, `_`) and every label a double-quoted DOT string: `\` and `"` are
/// escaped, `&` is written `&amp;` (Graphviz reads entities in labels), line breaks are this renderer's own `\n`,
/// and control characters in names become U+FFFD, so no name can close a string, start an attribute or a
/// statement, reach a `\N`-style escape or an entity.
public enum DOTRenderer {
    public static func render(_ diagram: Diagram) -> String {
        var out = ""
        out.reserveCapacity(256 + diagram.edges.count * 64 + diagram.allNodes.count * 96)
        out += "digraph \(quote(diagram.title)) {\n"
        out += "  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=11, nodesep=0.25, ranksep=0.5];\n"
        out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9, dir=none];\n"
        if let d = diagram.pathDisposition {
            out += "  label=\(quote("path: " + d)); labelloc=t;\n"
        }
        for c in diagram.clusters { cluster(c, indent: "  ", findings: diagram.findings, into: &out) }
        for n in diagram.nodes { node(n, indent: "  ", findings: diagram.findings, into: &out) }
        for e in diagram.edges { edge(e, into: &out) }
        out += "}\n"
        return out
    }

    static func cluster(_ c: DiagramCluster, indent: String, findings: [DiagramFinding], into out: inout String) {
        out += indent + "subgraph \(c.id) {\n"
        let inner = indent + "  "
        let style: String
        switch c.kind {
        case .vpc: style = "style=\"rounded,bold\", color=\"#1a73e8\", bgcolor=\"#f5f9ff\""
        case .availabilityZone: style = "style=\"dashed\", color=\"#7f8c8d\", bgcolor=\"#ffffff\""
        case .subnet: style = "style=\"rounded,filled\", color=\"#5b9d48\", fillcolor=\"#f3faf0\""
        case .transitGateway: style = "style=\"rounded,bold\", color=\"#e67e22\", bgcolor=\"#fff8f0\""
        case .onPremises: style = "style=\"rounded\", color=\"#555555\", bgcolor=\"#f4f4f4\""
        case .legend: style = "style=\"rounded\", color=\"#57606a\", bgcolor=\"#ffffff\""
        }
        out += inner + "graph [label=\(quote(c.lines)), \(style)];\n"
        for k in c.clusters { cluster(k, indent: inner, findings: findings, into: &out) }
        for n in c.nodes { node(n, indent: inner, findings: findings, into: &out) }
        out += indent + "}\n"
    }

    static func shape(_ kind: DiagramNodeKind) -> String {
        switch kind {
        case .vpc: "shape=box, fillcolor=\"#dbe8fd\""
        case .subnet: "shape=box, fillcolor=\"#e6f4df\""
        case .instance: "shape=box, fillcolor=\"#ffffff\""
        case .natGateway: "shape=hexagon, fillcolor=\"#fdebd0\""
        case .internetGateway, .egressOnlyGateway: "shape=invhouse, fillcolor=\"#fff3c4\""
        case .vpnGateway: "shape=house, fillcolor=\"#e8daef\""
        case .vpcEndpoint: "shape=component, fillcolor=\"#e0f2f1\""
        case .peering: "shape=diamond, style=filled, fillcolor=\"#f3e5f5\""
        case .transitGateway: "shape=doubleoctagon, style=filled, fillcolor=\"#fde2c8\""
        case .tgwAttachment: "shape=box, fillcolor=\"#fff1e0\""
        case .tgwRouteTable, .routeTable: "shape=note, style=filled, fillcolor=\"#fffde7\""
        case .customerGateway: "shape=house, fillcolor=\"#eeeeee\""
        case .vpnConnection: "shape=parallelogram, style=filled, fillcolor=\"#e8f5e9\""
        case .virtualInterface: "shape=parallelogram, style=filled, fillcolor=\"#efebe9\""
        case .directConnectGateway: "shape=octagon, style=filled, fillcolor=\"#efebe9\""
        case .onPremises: "shape=folder, style=filled, fillcolor=\"#eeeeee\""
        case .internet: "shape=ellipse, style=filled, fillcolor=\"#d6eaf8\""
        case .securityGroup: "shape=box, style=\"rounded,dashed,filled\", fillcolor=\"#fce4ec\""
        case .networkACL: "shape=box, style=\"dashed,filled\", fillcolor=\"#ede7f6\""
        case .legend: "shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\""
        }
    }

    /// `connections opened`, `connections closed`, `connections opened and closed` (nil: unchanged).
    static func changeLine(_ changes: Set<DiagramChange>) -> String? {
        switch changes {
        case [.opened]: "connections opened"
        case [.closed]: "connections closed"
        case [.opened, .closed]: "connections opened and closed"
        default: nil
        }
    }

    /// `lint #2 sg-ssh-open-world, #3 sg-rdp-open-world` (at most six, then `… (+N more)`).
    static func findingLine(_ numbers: [Int], diagram findings: [DiagramFinding]) -> String {
        let items = numbers.map { k in "#\(k) " + (findings.indices.contains(k - 1) ? findings[k - 1].rule : "") }
        return "lint " + items.prefix(6).joined(separator: ", ") + (items.count > 6 ? ", … (+\(items.count - 6) more)" : "")
    }

    static func node(_ n: DiagramNode, indent: String, findings: [DiagramFinding], into out: inout String) {
        var lines = n.lines
        if !n.hops.isEmpty { lines.append("step " + n.hops.map(String.init).joined(separator: ", ")) }
        var attributes = shape(n.kind)
        if let b = n.blocked {
            lines.append("BLOCKED \(b.code) (\(b.direction.rawValue))")
            if let rule = b.rule { lines.append(rule) }
            attributes += ", color=\"#cf222e\", fontcolor=\"#82071e\", penwidth=3, fillcolor=\"#ffebe9\""
        } else if !n.hops.isEmpty {
            attributes += ", color=\"#1f6feb\", penwidth=3"
        }
        if n.kind != .legend, let text = changeLine(n.changes) { lines.append(text) }
        if n.blocked == nil && n.hops.isEmpty {
            switch n.changes {
            case [.opened]: attributes += ", color=\"#1a7f37\", fontcolor=\"#116329\", penwidth=3, fillcolor=\"#dafbe1\""
            case [.closed]: attributes += ", color=\"#cf222e\", fontcolor=\"#82071e\", penwidth=3, fillcolor=\"#ffebe9\""
            case [.opened, .closed]: attributes += ", color=\"#9a6700\", penwidth=3, fillcolor=\"#fff8c5\""
            default: break
            }
        }
        if !n.findings.isEmpty {
            lines.append(findingLine(n.findings, diagram: findings))
            if n.changes.isEmpty && !n.isHighlighted { attributes += ", color=\"#bf8700\", penwidth=3, fillcolor=\"#fff8c5\"" }
        }
        out += indent + n.id + " [label=\(quote(lines)), \(attributes)];\n"
    }

    static func edge(_ e: DiagramEdge, into out: inout String) {
        var a: [String] = []
        switch e.kind {
        case .link: a.append("color=\"#888888\"")
        case .peering: a += ["style=dashed", "color=\"#8e44ad\"", "penwidth=2"]
        case .attachment: a += ["color=\"#e67e22\"", "penwidth=2"]
        case .association: a += ["style=dotted", "color=\"#e67e22\"", "dir=forward", "arrowhead=open"]
        case .vpn: a += ["style=dashed", "color=\"#2e7d32\"", "penwidth=2"]
        case .directConnect: a += ["style=bold", "color=\"#6d4c41\"", "penwidth=2"]
        case .announcement: a += ["style=dotted", "color=\"#555555\"", "dir=forward"]
        case .pathForward: a += ["color=\"#1f6feb\"", "fontcolor=\"#1f6feb\"", "penwidth=3", "dir=forward", "constraint=false"]
        case .pathReturn: a += ["color=\"#2da44e\"", "fontcolor=\"#2da44e\"", "penwidth=3", "style=dashed", "dir=forward", "constraint=false"]
        case .opened: a += ["color=\"#1a7f37\"", "fontcolor=\"#1a7f37\"", "penwidth=2.5", "dir=forward", "constraint=false"]
        case .closed: a += ["color=\"#cf222e\"", "fontcolor=\"#cf222e\"", "penwidth=2.5", "style=dashed", "dir=forward", "constraint=false"]
        }
        if let label = e.label { a.append("label=\(quote(label))") }
        out += "  \(e.from) -> \(e.to) [\(a.joined(separator: ", "))];\n"
    }

    /// A DOT string holding `lines`, one per line.
    static func quote(_ lines: [String]) -> String {
        "\"" + lines.map { escape(DiagramText.clip($0)) }.joined(separator: "\\n") + "\""
    }
    static func quote(_ text: String) -> String { "\"" + escape(text) + "\"" }

    /// `text` as the inside of a DOT double-quoted string: `\` and `"` escaped, `&` as `&amp;`, control
    /// characters (line breaks included) replaced by U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            // Graphviz reads HTML entities in every label: `&` is written as one, so `&amp;` in a name stays text.
            case "&": out += "&amp;"
            case _ where s.value < 0x20 || s.value == 0x7F || (0x80...0x9F).contains(s.value)
                || s.value == 0x2028 || s.value == 0x2029:
                out.unicodeScalars.append("\u{FFFD}")
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
