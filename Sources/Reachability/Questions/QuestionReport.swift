import IPAddressing
import NetworkModel
import Reporting

/// Renderers of `who-can-reach` and `reachable-from` answers (issue 19): JSON (every party listed) and text.
public enum QuestionReport {
    /// One grant as JSON: `{"protocol": "tcp", "ports": "5432"}` (`clientPorts` on partial grants only).
    public static func json(_ g: PortGrant) -> JSONValue {
        var m: [(String, JSONValue)] = []
        let p = g.ipProtocol
        let name = p == .all ? "all" : p.hasPorts || p.isICMP ? p.description : String(p.number ?? 0)
        m.append(("protocol", .string(name)))
        if p != .all && (p.hasPorts || p.isICMP) { m.append(("ports", .string(g.portsText))) }
        if let c = g.clientPorts { m.append(("clientPorts", .string(PortGrant.text(c)))) }
        return .object(m)
    }

    /// `{"target": NAME, "sources": [...]}` (`towardTarget`) or `{"source": NAME, "destinations": [...]}`.
    public static func json(end: String, towardTarget: Bool, _ answers: [(party: QuestionParty, grants: ConnectionGrants)]) -> JSONValue {
        let items: [JSONValue] = answers.map { a in
            .object([
                (towardTarget ? "source" : "destination", .string(a.party.name)),
                ("id", a.party.awsID.map { .string($0) } ?? .null),
                ("kind", .string(a.party.kind.rawValue)),
                ("allowed", .array(a.grants.allowed.map(json))),
                ("partial", .array(a.grants.partial.map(json))),
            ])
        }
        return .object([(towardTarget ? "target" : "source", .string(end)), (towardTarget ? "sources" : "destinations", .array(items))])
    }

    /// One line per party: `app-1 (i-…): tcp/5432`; partial grants with their client ports.
    public static func text(end: String, towardTarget: Bool, _ answers: [(party: QuestionParty, grants: ConnectionGrants)]) -> String {
        var s = towardTarget ? "\(answers.count) source\(answers.count == 1 ? "" : "s") can reach \(Diagnostic.escaped(end))\n"
            : "\(Diagnostic.escaped(end)) can reach \(answers.count) destination\(answers.count == 1 ? "" : "s")\n"
        for a in answers {
            let id = a.party.awsID.map { " (\(Diagnostic.escaped($0)))" } ?? ""
            let grants = a.grants.allowed.map(\.description) + a.grants.partial.map { "partly \($0.description)" }
            s += "  \(Diagnostic.escaped(a.party.name))\(id): \(grants.joined(separator: ", "))\n"
        }
        return s
    }
}
