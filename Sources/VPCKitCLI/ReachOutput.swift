import IPAddressing
import NetworkModel
import Reachability
import Reporting

/// The text rendering of reachability answers (shared by `reach` and `check`); JSON comes from the library
/// (``ReachReport``), words from ``ReachMessages``.
enum ReachOutput {
    /// Parses `tcp/443`, `udp/53`, `tcp`, `icmp`, `icmpv6`, `all`, `47` or `proto 47` (the language's spelling,
    /// one shell argument; `proto/47` is still read).
    static func parseTraffic(_ text: String) -> TrafficSpec? { TrafficSpec(commandLine: text) }

    /// True when the traffic has client source ports to report (TCP, UDP and `all`; not ICMP or `proto N`).
    static func hasClientPorts(_ spec: TrafficSpec) -> Bool { spec.ipProtocol.hasPorts || spec.ipProtocol == .all }

    /// `file:line` (the name from `files`, the topology's file table), or nil for a location not in a file.
    static func place(_ l: SourceLocation?, _ files: SourceFileTable) -> String? {
        guard let l, l.line > 0 else { return nil }
        return "\(files.name(of: l)):\(l.line)"
    }

    /// `blocked by 2 components:` and each blocker, its reason and its fix (empty when there is none).
    static func blockersText(_ blockers: [Blocker], files: SourceFileTable) -> String {
        guard !blockers.isEmpty else { return "" }
        var s = "blocked by \(blockers.count) component\(blockers.count == 1 ? "" : "s"):\n"
        for (i, b) in blockers.enumerated() {
            let e = b.explanation
            s += "  \(i + 1). \(e.component) (\(e.direction.rawValue) path): \(e.code.rawValue)"
            if let at = place(b.location, files) { s += " at \(at)" }
            s += "\n     \(e.detailText)\n"
            if let rule = b.rule { s += "     rule: \(rule.text)\n" }
            if let fix = b.fix { s += "     fix: \(fix)\n" }
            if let remark = b.remark { s += "     note: \(remark)\n" }
        }
        return s
    }

    static func text(_ v: Verdict, query: String, blockers: [Blocker] = [], clientPorts: Bool = true,
                     files: SourceFileTable) -> String {
        var s = "\(query): \(v.state)"
        if let internet = v.internet {
            // `reachable from 198.51.100.0/24 (e.g. 198.51.100.1)`; not reachable: the address the path shows.
            if v.state != .unreachable { s += " " + internet.phrase() }
            else if let e = internet.example {
                s += " \(internet.side == .source ? "from" : "to") any queried public address (path shown for \(e))"
            }
        }
        s += ReachMessages.stateRemark(v.disposition)
        s += "\n"
        if v.state == .partlyReachable {
            s += "  client source ports that work: \(v.workingSourcePorts) (of \(v.requestedSourcePorts))\n"
            s += "  client source ports that fail: \(v.failingSourcePorts)\n"
        }
        if let e = v.explanation {
            s += "  \(e.code.rawValue) on the \(e.direction.rawValue) path at \(e.component)\n"
            s += "  \(e.detailText)\n"
            if let rule = e.rule { s += "  rule: \(rule.description(files: files))\n" }
        }
        func path(_ title: String, _ hops: [Hop]) {
            guard !hops.isEmpty else { return }
            s += "\(title):\n"
            for (i, h) in hops.enumerated() {
                s += "  \(i + 1). \(h.component): \(ReachMessages.text(h.action))"
                if let r = h.rule { s += "\n       \(r.ruleNumber == nil ? "by" : "rule") \(r.description(files: files))" }
                if let t = h.translation { s += "\n       \(ReachMessages.text(t))" }
                s += "\n       \(h.header)\n"
            }
        }
        s += blockersText(blockers, files: files)
        let unreachable = v.state == .unreachable
        path(!unreachable || !v.returnPath.isEmpty ? "forward path" : "forward path (until blocked)", v.forwardPath)
        switch v.state {
        case .reachable:
            path("return path", v.returnPath)
            if clientPorts { s += "client source ports that work: \(v.workingSourcePorts) (of \(v.requestedSourcePorts))\n" }
        case .partlyReachable:
            path("return path (client source ports \(v.workingSourcePorts))", v.returnPath)
            path("return path (client source ports \(v.failingSourcePorts), until blocked)", v.blockedReturnPath)
        case .unreachable:
            path("return path (until blocked)", v.returnPath)
        }
        if let lb = v.loadBalancer { for line in ReachMessages.lines(lb) { s += line + "\n" } }
        for n in v.notes { s += "note: \(n)\n" }
        return s
    }
}
