/// Mermaid flowchart text of a ``Diagram`` (renders in GitHub Markdown inside a ```` ```mermaid ```` block).
///
/// Ids are ``DiagramID``s (letters, digits, `_`, always with a kind prefix, so never a keyword such as `end`),
/// and every label is a double-quoted string in which any character but letters, digits, space and `.,:/_-()+=@*`
/// is written as a Mermaid entity (`#35;`), so no name can close a string, a shape or a subgraph, start an edge
/// (`-->`) or reach the HTML a renderer builds (`<`, `>`, `&` become entities). Line breaks are this renderer's
/// own `<br/>`.
public enum MermaidRenderer {
    public static func render(_ diagram: Diagram) -> String {
        var out = "flowchart LR\n"
        if let d = diagram.pathDisposition { out += "  %% path: \(d)\n" }
        for c in diagram.clusters { cluster(c, indent: "  ", findings: diagram.findings, into: &out) }
        for n in diagram.nodes { node(n, indent: "  ", findings: diagram.findings, into: &out) }
        var forward: [Int] = [], back: [Int] = [], opened: [Int] = [], closed: [Int] = []
        for (i, e) in diagram.edges.enumerated() {
            let op: String
            switch e.kind {
            case .link, .peering, .attachment: op = "---"
            case .association, .announcement: op = "-.->"
            case .vpn: op = "-.-"
            case .directConnect: op = "==="
            case .pathForward: op = "==>"; forward.append(i)
            case .pathReturn: op = "==>"; back.append(i)
            case .opened: op = "-->"; opened.append(i)
            case .closed: op = "-.->"; closed.append(i)
            }
            out += "  \(e.from) \(op)" + (e.label.map { "|\"\(escape($0))\"|" } ?? "") + " \(e.to)\n"
        }
        out += "  classDef vpc fill:#dbe8fd,stroke:#1a73e8\n"
        out += "  classDef subnet fill:#e6f4df,stroke:#5b9d48\n"
        out += "  classDef gateway fill:#fff3c4,stroke:#b7950b\n"
        out += "  classDef transit fill:#fde2c8,stroke:#e67e22\n"
        out += "  classDef edge fill:#eeeeee,stroke:#555555\n"
        out += "  classDef path stroke:#1f6feb,stroke-width:3px\n"
        out += "  classDef blocked fill:#ffebe9,stroke:#cf222e,stroke-width:3px,color:#82071e\n"
        var byClass: [String: [String]] = [:]
        for n in diagram.allNodes {
            byClass[styleClass(n.kind), default: []].append(n.id)
            if n.blocked != nil { byClass["blocked", default: []].append(n.id) }
            else if !n.hops.isEmpty { byClass["path", default: []].append(n.id) }
            else if n.changes == [.opened] { byClass["opened", default: []].append(n.id) }
            else if n.changes == [.closed] { byClass["closed", default: []].append(n.id) }
            else if !n.changes.isEmpty { byClass["changed", default: []].append(n.id) }
            else if !n.findings.isEmpty { byClass["lint", default: []].append(n.id) }
        }
        // The change and lint classes only when used (a plain drawing's text stays as it was).
        for (name, style) in [("opened", "fill:#dafbe1,stroke:#1a7f37,stroke-width:3px"), ("closed", "fill:#ffebe9,stroke:#cf222e,stroke-width:3px"),
                              ("changed", "fill:#fff8c5,stroke:#9a6700,stroke-width:3px"), ("lint", "fill:#fff8c5,stroke:#bf8700,stroke-width:3px")]
        where byClass[name] != nil {
            out += "  classDef \(name) \(style)\n"
        }
        for name in ["vpc", "subnet", "gateway", "transit", "edge", "path", "blocked", "opened", "closed", "changed", "lint"] {
            guard let ids = byClass[name], !ids.isEmpty else { continue }
            out += "  class \(ids.joined(separator: ",")) \(name)\n"
        }
        if !forward.isEmpty {
            out += "  linkStyle \(forward.map(String.init).joined(separator: ",")) stroke:#1f6feb,stroke-width:3px\n"
        }
        if !back.isEmpty {
            out += "  linkStyle \(back.map(String.init).joined(separator: ",")) stroke:#2da44e,stroke-width:3px\n"
        }
        if !opened.isEmpty {
            out += "  linkStyle \(opened.map(String.init).joined(separator: ",")) stroke:#1a7f37,stroke-width:2px\n"
        }
        if !closed.isEmpty {
            out += "  linkStyle \(closed.map(String.init).joined(separator: ",")) stroke:#cf222e,stroke-width:2px\n"
        }
        return out
    }

    static func styleClass(_ kind: DiagramNodeKind) -> String {
        switch kind {
        case .vpc: "vpc"
        case .subnet, .instance, .securityGroup, .routeTable, .networkACL: "subnet"
        case .natGateway, .internetGateway, .egressOnlyGateway, .vpnGateway, .vpcEndpoint, .peering, .internet: "gateway"
        case .transitGateway, .tgwAttachment, .tgwRouteTable: "transit"
        case .customerGateway, .vpnConnection, .virtualInterface, .directConnectGateway, .onPremises, .legend: "edge"
        }
    }

    static func cluster(_ c: DiagramCluster, indent: String, findings: [DiagramFinding], into out: inout String) {
        out += indent + "subgraph \(c.id)[\"\(label(c.lines))\"]\n"
        for k in c.clusters { cluster(k, indent: indent + "  ", findings: findings, into: &out) }
        for n in c.nodes { node(n, indent: indent + "  ", findings: findings, into: &out) }
        out += indent + "end\n"
    }

    static func node(_ n: DiagramNode, indent: String, findings: [DiagramFinding], into out: inout String) {
        var lines = n.lines
        if !n.hops.isEmpty { lines.append("step " + n.hops.map(String.init).joined(separator: ", ")) }
        if let b = n.blocked {
            lines.append("BLOCKED \(b.code) (\(b.direction.rawValue))")
            if let rule = b.rule { lines.append(rule) }
        }
        if n.kind != .legend, let text = DOTRenderer.changeLine(n.changes) { lines.append(text) }
        if !n.findings.isEmpty { lines.append(DOTRenderer.findingLine(n.findings, diagram: findings)) }
        let text = "\"" + label(lines) + "\""
        let shaped: String
        switch n.kind {
        case .internet, .onPremises: shaped = "((\(text)))"
        case .natGateway, .transitGateway: shaped = "{{\(text)}}"
        case .internetGateway, .egressOnlyGateway, .vpnGateway, .customerGateway: shaped = "[/\(text)\\]"
        case .peering: shaped = "{\(text)}"
        case .vpnConnection, .virtualInterface: shaped = "[/\(text)/]"
        case .routeTable, .tgwRouteTable, .networkACL, .securityGroup: shaped = "[[\(text)]]"
        case .instance, .tgwAttachment, .directConnectGateway, .vpcEndpoint: shaped = "(\(text))"
        case .vpc, .subnet, .legend: shaped = "[\(text)]"
        }
        out += indent + n.id + shaped + "\n"
    }

    static func label(_ lines: [String]) -> String { lines.map { escape(DiagramText.clip($0)) }.joined(separator: "<br/>") }

    /// `text` inside a Mermaid quoted label: letters, digits, space and `.,:/_-()+=@*` as they are, anything else
    /// as `#N;` (its Unicode scalar value in decimal), control characters as U+FFFD's entity.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            switch s {
            case "a"..."z", "A"..."Z", "0"..."9", " ", ".", ",", ":", "/", "_", "-", "(", ")", "+", "=", "@", "*":
                out.unicodeScalars.append(s)
            default:
                let v = s.value < 0x20 || s.value == 0x7F || (0x80...0x9F).contains(s.value) ? 0xFFFD : s.value
                out += "#\(v);"
            }
        }
        return out
    }
}
