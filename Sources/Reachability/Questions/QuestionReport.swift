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
        let lines = answers.indices.map { AnswerGroup(kind: .party, members: [$0], total: 1, grants: answers[$0].grants) }
        return text(end: end, towardTarget: towardTarget, answers, groups: lines)
    }

    /// The answer in `groups` (``CompiledTopology/answerGroups(_:end:)``): a header with the number of parties,
    /// then one line per group — `subnet app-a (12 interfaces): tcp/5432`, `security groups app, web (2 of 3
    /// interfaces): …`, `subnet app-b, security group ops (2 interfaces): …`, `app-1 (i-…): tcp/5432, partly tcp/9000 (client ports 30000-65535)`, `internet: tcp/443`.
    /// Names are escaped (no control or invisible characters reach the terminal).
    public static func text(end: String, towardTarget: Bool, _ answers: [(party: QuestionParty, grants: ConnectionGrants)],
                            groups: [AnswerGroup]) -> String {
        var s = towardTarget ? "\(answers.count) source\(answers.count == 1 ? "" : "s") can reach \(Diagnostic.escaped(end))\n"
            : "\(Diagnostic.escaped(end)) can reach \(answers.count) destination\(answers.count == 1 ? "" : "s")\n"
        for g in groups {
            let label: String
            switch g.kind {
            case .subnet(let name):
                label = "subnet \(Diagnostic.escaped(name)) (\(count(g)))"
            case .securityGroups(let names):
                label = "security group\(names.count == 1 ? "" : "s") \(names.map(Diagnostic.escaped).joined(separator: ", ")) (\(count(g)))"
            case .subnetAndSecurityGroups(let subnet, let names):
                label = "subnet \(Diagnostic.escaped(subnet)), security group\(names.count == 1 ? "" : "s") "
                    + "\(names.map(Diagnostic.escaped).joined(separator: ", ")) (\(count(g)))"
            case .party:
                guard let i = g.members.first, answers.indices.contains(i) else { continue }
                let party = answers[i].party
                label = Diagnostic.escaped(party.name) + (party.awsID.map { " (\(Diagnostic.escaped($0)))" } ?? "")
            }
            s += "  \(label): \(grantsText(g.grants))\n"
        }
        return s
    }

    /// `tcp/5432, partly tcp/9000 (client ports 30000-65535)`.
    public static func grantsText(_ grants: ConnectionGrants) -> String {
        (grants.allowed.map(\.description) + grants.partial.map { "partly \($0.description)" }).joined(separator: ", ")
    }

    /// `12 interfaces`, `2 of 3 interfaces`.
    static func count(_ g: AnswerGroup) -> String {
        let n = g.members.count
        let of = g.total > n ? " of \(g.total)" : ""
        return "\(n)\(of) interface\(n == 1 && of.isEmpty ? "" : "s")"
    }
}
