import IPAddressing
import NetworkModel
import Reporting

/// Renderers of a ``ConnectionDiff`` (`vpckit diff --format text|json|github|sarif|markdown`). Every name printed
/// comes from the topologies: each format escapes it its own way (text: unsafe characters as `\u{…}`; JSON and
/// SARIF: the writer's escaping; GitHub: workflow-command escaping; Markdown: table and inline syntax).
public enum DiffReport {
    /// `tcp/22`, `icmp/8`, `proto 47`, `all`; ` (client ports 32768-65535 still work)` on partly closed entries.
    public static func traffic(_ g: PortGrant) -> String {
        var plain = g
        plain.clientPorts = nil
        var s = plain.description
        if let c = g.clientPorts { s += " (client ports \(PortGrant.text(c)) still work)" }
        return s
    }

    /// Names, the first `limit` of them, then how many more.
    static func names(_ ps: [DiffParty], limit: Int, escape: (String) -> String) -> String {
        var s = ps.prefix(limit).map { escape($0.name) }.joined(separator: ", ")
        if ps.count > limit { s += ", … (\(ps.count - limit) more)" }
        return s
    }

    static func pairs(_ entries: [DiffEntry]) -> Int { entries.reduce(0) { $0 + $1.pairCount } }

    /// `2 opened (3 connections), 1 closed (1 connection)` or `no connection changed`.
    public static func summary(_ d: ConnectionDiff) -> String {
        if d.isEmpty { return "no connection opened or closed" }
        func part(_ e: [DiffEntry], _ word: String) -> String {
            let n = pairs(e)
            return "\(e.count) \(word) (\(n) connection\(n == 1 ? "" : "s"))"
        }
        return part(d.opened, "opened") + ", " + part(d.closed, "closed")
    }

    // MARK: Text

    /// Grouped lines: `  app-1, app-2 -> web-1: tcp/8443`, at most 10 names per side (JSON lists every party).
    public static func text(_ d: ConnectionDiff) -> String {
        var s = "vpckit diff: \(summary(d))\n"
        if let reason = d.scope.fullReason { s += "(every pair compared: \(Diagnostic.escaped(reason)))\n" }
        else { s += "(\(d.scope.askedPairs) pair\(d.scope.askedPairs == 1 ? "" : "s") compared over both versions: those the changes can affect)\n" }
        for (title, entries) in [("opened", d.opened), ("closed", d.closed)] where !entries.isEmpty {
            s += "\(title):\n"
            for e in entries {
                s += "  \(names(e.sources, limit: 10, escape: Diagnostic.escaped)) -> \(names(e.destinations, limit: 10, escape: Diagnostic.escaped)): \(traffic(e.grant))\n"
            }
        }
        s += policyText(d.policy)
        return s
    }

    static func policyText(_ p: DiffPolicyChanges) -> String {
        var s = ""
        if !p.introduced.isEmpty { s += "policy violations introduced:\n" + p.introduced.map { "  \(Diagnostic.escaped($0))\n" }.joined() }
        if !p.fixed.isEmpty { s += "policy violations fixed:\n" + p.fixed.map { "  \(Diagnostic.escaped($0))\n" }.joined() }
        return s
    }

    // MARK: JSON

    static func json(_ p: DiffParty) -> JSONValue {
        .object([("name", .string(p.name)), ("id", p.id.map { .string($0) } ?? .null), ("kind", .string(p.kind.rawValue))])
    }

    static func json(_ e: DiffEntry) -> JSONValue {
        var m: [(String, JSONValue)] = [("sources", .array(e.sources.map(json))), ("destinations", .array(e.destinations.map(json)))]
        if case .object(let g) = QuestionReport.json(e.grant) { m += g }
        return .object(m)
    }

    /// `{"opened": [...], "closed": [...], "policy": {"introduced": [...], "fixed": [...]}}`
    /// (Docs/schemas/diff.schema.json).
    public static func json(_ d: ConnectionDiff) -> JSONValue {
        .object([
            ("opened", .array(d.opened.map(json))),
            ("closed", .array(d.closed.map(json))),
            ("policy", .object([("introduced", .array(d.policy.introduced.map { .string($0) })),
                                ("fixed", .array(d.policy.fixed.map { .string($0) }))])),
        ])
    }

    // MARK: GitHub workflow commands

    static func escapeData(_ s: String) -> String {
        s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }
    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    /// One annotation per entry: opened as `::warning`, closed as `::notice`, both on `file` when given (the new
    /// version's path); policy violations introduced as `::error`.
    public static func github(_ d: ConnectionDiff, file: String?) -> String {
        let at = file.map { "file=\(escapeProperty($0))," } ?? ""
        var s = ""
        for (command, title, entries) in [("warning", "vpckit diff: connection opened", d.opened), ("notice", "vpckit diff: connection closed", d.closed)] {
            for e in entries {
                let message = "\(names(e.sources, limit: 20, escape: { $0 })) -> \(names(e.destinations, limit: 20, escape: { $0 })): \(traffic(e.grant))"
                s += "::\(command) \(at)title=\(escapeProperty(title))::\(escapeData(message))\n"
            }
        }
        for v in d.policy.introduced {
            s += "::error \(at)title=\(escapeProperty("vpckit diff: policy violation introduced"))::\(escapeData(v))\n"
        }
        return s
    }

    // MARK: SARIF

    /// A SARIF 2.1.0 log: one result per entry, rules `connection-opened` (warning) and `connection-closed` (note),
    /// and `policy-violation-introduced` (error); located on `file` (the new version) when given.
    public static func sarif(_ d: ConnectionDiff, file: String?, toolVersion: String) -> JSONValue {
        let rules: [(id: String, name: String, text: String, level: String)] = [
            ("connection-opened", "ConnectionOpened", "The new version opens a connection the old one did not allow.", "warning"),
            ("connection-closed", "ConnectionClosed", "The new version closes (or makes partly reachable) a connection the old one allowed.", "note"),
            ("policy-violation-introduced", "PolicyViolationIntroduced", "The new version violates a policy the old one kept.", "error"),
        ]
        let locations: [(String, JSONValue)] = file.map { f in
            [("locations", .array([.object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(FindingRenderer.uriReference(f)))])),
            ]))])]))]
        } ?? []
        func result(_ rule: Int, _ message: String, _ properties: [(String, JSONValue)]) -> JSONValue {
            var m: [(String, JSONValue)] = [("ruleId", .string(rules[rule].id)), ("ruleIndex", .int(rule)),
                                            ("level", .string(rules[rule].level)), ("message", .object([("text", .string(message))]))]
            m += locations
            if !properties.isEmpty { m.append(("properties", .object(properties))) }
            return .object(m)
        }
        var results: [JSONValue] = []
        for (rule, entries) in [(0, d.opened), (1, d.closed)] {
            for e in entries {
                let verb = rule == 0 ? "opened" : "closed"
                let message = "Connection \(verb): \(names(e.sources, limit: 20, escape: { $0 })) -> \(names(e.destinations, limit: 20, escape: { $0 })): \(traffic(e.grant))"
                guard case .object(let entry) = json(e) else { continue }
                results.append(result(rule, message, entry))
            }
        }
        for v in d.policy.introduced { results.append(result(2, "Policy violation introduced: \(v)", [])) }
        let ruleObjects: [JSONValue] = rules.map { r in
            .object([("id", .string(r.id)), ("name", .string(r.name)), ("shortDescription", .object([("text", .string(r.text))])),
                     ("defaultConfiguration", .object([("level", .string(r.level))]))])
        }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("vpckit")), ("version", .string(toolVersion)),
                    ("informationUri", .string("https://github.com/vpckit/vpckit")), ("rules", .array(ruleObjects)),
                ]))])),
                ("results", .array(results)),
            ])])),
        ])
    }

    // MARK: Markdown

    /// Text safe in a Markdown table cell: HTML and inline syntax escaped, `|` escaped, line breaks as spaces.
    static func markdownEscaped(_ text: String) -> String {
        var out = ""
        for ch in Diagnostic.escaped(text) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|", "`", "*", "_", "[", "]", "\\", "#", "~", "!": out += "\\\(ch)"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// A pull-request comment: a summary line, then a table of opened and one of closed connections (at most
    /// `limit` rows each, 20 names per cell; JSON lists everything), then policy changes.
    public static func markdown(_ d: ConnectionDiff, limit: Int = 100) -> String {
        var s = "#### vpckit diff: \(summary(d))\n"
        if let reason = d.scope.fullReason { s += "\n_Every pair compared: \(markdownEscaped(reason))._\n" }
        for (title, entries) in [("Opened", d.opened), ("Closed", d.closed)] where !entries.isEmpty {
            s += "\n**\(title)**\n\n| Sources | Destinations | Traffic |\n| --- | --- | --- |\n"
            for e in entries.prefix(limit) {
                s += "| \(names(e.sources, limit: 20, escape: markdownEscaped)) | \(names(e.destinations, limit: 20, escape: markdownEscaped)) | \(markdownEscaped(traffic(e.grant))) |\n"
            }
            if entries.count > limit { s += "\n… and \(entries.count - limit) more (see `vpckit diff --format json`)\n" }
        }
        if !d.policy.introduced.isEmpty {
            s += "\n**Policy violations introduced**\n\n" + d.policy.introduced.map { "- \(markdownEscaped($0))\n" }.joined()
        }
        if !d.policy.fixed.isEmpty {
            s += "\n**Policy violations fixed**\n\n" + d.policy.fixed.map { "- \(markdownEscaped($0))\n" }.joined()
        }
        return s
    }
}
