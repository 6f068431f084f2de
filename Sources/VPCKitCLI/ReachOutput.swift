import IPAddressing
import NetworkModel
import Reachability
import Reporting

/// Text and JSON renderings of reachability answers (shared by `reach` and `check`).
enum ReachOutput {
    /// Parses `tcp/443`, `udp/53`, `tcp`, `icmp`, `icmpv6`, `all`, `47` or `proto 47` (the language's spelling,
    /// one shell argument; `proto/47` is still read).
    static func parseTraffic(_ text: String) -> TrafficSpec? {
        let spelled = text.hasPrefix("proto ") ? "proto/" + text.dropFirst(6) : Substring(text)
        let parts = spelled.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let first = parts.first else { return nil }
        let proto: IPProtocol
        var portText: String? = parts.count == 2 ? parts[1] : nil
        if first.lowercased() == "proto" {
            guard let n = portText.flatMap({ UInt8($0) }) else { return nil }
            proto = .number(n)
            portText = nil
        } else {
            guard let p = IPProtocol(lenient: first) else { return nil }
            proto = p
        }
        if let portText {
            // tcp/udp: the destination port; icmp/icmpv6: the message type (code 0).
            let isICMP = proto.isICMP
            guard proto.hasPorts || isICMP, let port = UInt16(portText), !isICMP || port <= 255 else { return nil }
            return TrafficSpec(ipProtocol: proto, port: port)
        }
        return TrafficSpec(ipProtocol: proto)
    }

    /// True when the traffic has client source ports to report (TCP, UDP and `all`; not ICMP or `proto N`).
    static func hasClientPorts(_ spec: TrafficSpec) -> Bool { spec.ipProtocol.hasPorts || spec.ipProtocol == .all }

    /// `file:line`, or nil for a location not in a file.
    static func place(_ l: SourceLocation?) -> String? {
        guard let l, l.line > 0 else { return nil }
        return "\(l.file):\(l.line)"
    }

    /// `blocked by 2 components:` and each blocker, its reason and its fix (empty when there is none).
    static func blockersText(_ blockers: [Blocker]) -> String {
        guard !blockers.isEmpty else { return "" }
        var s = "blocked by \(blockers.count) component\(blockers.count == 1 ? "" : "s"):\n"
        for (i, b) in blockers.enumerated() {
            let e = b.explanation
            s += "  \(i + 1). \(e.component) (\(e.direction.rawValue) path): \(e.code.rawValue)"
            if let at = place(b.location) { s += " at \(at)" }
            s += "\n     \(e.detail)\n"
            if let rule = b.rule { s += "     rule: \(rule.text)\n" }
            if let fix = b.fix { s += "     fix: \(fix)\n" }
            if let remark = b.remark { s += "     note: \(remark)\n" }
        }
        return s
    }

    static func text(_ v: Verdict, query: String, blockers: [Blocker] = [], clientPorts: Bool = true) -> String {
        var s = "\(query): \(v.state)"
        if let internet = v.internet {
            // `reachable from 198.51.100.0/24 (e.g. 198.51.100.1)`; not reachable: the address the path shows.
            if v.state != .unreachable { s += " " + internet.phrase() }
            else if let e = internet.example {
                s += " \(internet.side == .source ? "from" : "to") any queried public address (path shown for \(e))"
            }
        }
        if v.state == .unreachable, v.explanation?.code == .unsupportedComponent {
            s += " within the model (unproven: the path leaves it at a route target VPCKit does not model)"
        }
        s += "\n"
        if v.state == .partlyReachable {
            s += "  client source ports that work: \(v.workingSourcePorts) (of \(v.requestedSourcePorts))\n"
            s += "  client source ports that fail: \(v.failingSourcePorts)\n"
        }
        if let e = v.explanation {
            s += "  \(e.code.rawValue) on the \(e.direction.rawValue) path at \(e.component)\n"
            s += "  \(e.detail)\n"
            if let rule = e.rule { s += "  rule: \(rule)\n" }
        }
        func path(_ title: String, _ hops: [Hop]) {
            guard !hops.isEmpty else { return }
            s += "\(title):\n"
            for (i, h) in hops.enumerated() {
                s += "  \(i + 1). \(h.component): \(h.action)"
                if let r = h.rule { s += "\n       \(r.ruleNumber == nil ? "by" : "rule") \(r)" }
                if let t = h.translation { s += "\n       \(t)" }
                s += "\n       \(h.header)\n"
            }
        }
        s += blockersText(blockers)
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
        for n in v.notes { s += "note: \(n)\n" }
        return s
    }

    static func json(_ c: ComponentRef) -> JSONValue {
        .object([("kind", .string(c.kind.rawValue)), ("name", .string(c.name)), ("id", c.awsID.map { .string($0) } ?? .null)])
    }
    static func json(_ r: RuleRef?) -> JSONValue {
        guard let r else { return .null }
        var fields: [(String, JSONValue)] = [("text", .string(r.text))]
        if let n = r.ruleNumber { fields.append(("number", .int(n))) }
        if let l = r.location, l.line > 0 { fields.append(("location", .string(l.description))) }
        return .object(fields)
    }
    static func json(_ p: PortSet) -> JSONValue {
        .array(p.ranges.map { .object([("from", .int(Int($0.lower))), ("to", .int(Int($0.upper)))]) })
    }
    static func json(_ h: Hop) -> JSONValue {
        .object([
            ("component", json(h.component)), ("action", .string(h.action)), ("rule", json(h.rule)),
            ("translation", h.translation.map { .string($0) } ?? .null),
            ("packet", .object(packetFields(h.header))),
        ])
    }
    /// A hop's packet; ICMP/ICMPv6 packets carry `icmpType` and `icmpCode`, and null ports (they have none).
    static func packetFields(_ f: Flow) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("source", .string(f.source.description)), ("destination", .string(f.destination.description)),
            ("protocol", .int(Int(f.ipProtocol))),
            ("sourcePorts", f.hasPorts ? json(f.sourcePorts) : .null),
            ("destinationPorts", f.hasPorts ? json(f.destinationPorts) : .null),
        ]
        if IPProtocol.isICMP(f.ipProtocol) {
            fields.append(("icmpType", .int(Int(f.icmpTypeCode >> 8))))
            fields.append(("icmpCode", .int(Int(f.icmpTypeCode & 0xFF))))
        }
        return fields
    }
    static func json(_ l: SourceLocation?) -> (file: JSONValue, line: JSONValue) {
        guard let l, l.line > 0 else { return (.null, .null) }
        return (.string(l.file), .int(l.line))
    }

    /// One blocker: `component`, `direction`, `code`, `rule`, `detail`, `file`, `line`, `fix` (or null),
    /// `remark` (or null), `walkContinues`.
    static func json(_ b: Blocker) -> JSONValue {
        let e = b.explanation
        let at = json(b.location)
        let fix: JSONValue = b.fix.map { f in
            let where_ = json(f.location)
            return .object([
                ("statement", .string(f.statement)), ("component", json(f.component)), ("edit", .string(f.edit.rawValue)),
                ("file", where_.file), ("line", where_.line),
                ("column", f.edit == .insertInline ? f.location.map { .int($0.column) } ?? .null : .null),
                ("replaces", f.replaces.map { .string($0) } ?? .null), ("text", .string(f.description)),
            ])
        } ?? .null
        return .object([
            ("component", json(e.component)), ("direction", .string(e.direction.rawValue)), ("code", .string(e.code.rawValue)),
            ("rule", json(b.rule)), ("detail", .string(e.detail)), ("file", at.file), ("line", at.line), ("fix", fix),
            ("remark", b.remark.map { .string($0) } ?? .null), ("walkContinues", .bool(b.walkContinues)),
        ])
    }

    static func json(_ v: Verdict, from: String, to: String, traffic: String, blockers: [Blocker] = [],
                     clientPorts: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("source", .string(from)), ("destination", .string(to)), ("traffic", .string(traffic)),
            ("state", .string(v.state.rawValue)), ("reachable", .bool(v.state == .reachable)),
            ("forwardPath", .array(v.forwardPath.map(json))), ("returnPath", .array(v.returnPath.map(json))),
            ("blockedReturnPath", .array(v.blockedReturnPath.map(json))),
        ]
        if let e = v.explanation {
            fields.append(("explanation", .object([
                ("code", .string(e.code.rawValue)), ("direction", .string(e.direction.rawValue)), ("component", json(e.component)),
                ("rule", json(e.rule)), ("detail", .string(e.detail)),
            ])))
        } else {
            fields.append(("explanation", .null))
        }
        fields.append(("blockers", .array(blockers.map(json))))
        // Protocols without client ports (ICMP, `proto N`) carry null port sets.
        fields.append(("requestedSourcePorts", clientPorts ? json(v.requestedSourcePorts) : .null))
        fields.append(("workingSourcePorts", clientPorts ? json(v.workingSourcePorts) : .null))
        fields.append(("failingSourcePorts", clientPorts ? json(v.failingSourcePorts) : .null))
        fields.append(("notes", .array(v.notes.map { .string($0) })))
        if let internet = v.internet { fields += internetFields(internet) }
        return .object(fields)
    }

    /// For a query over internet addresses: which end was the internet, the addresses that get through (the
    /// fewest CIDR blocks), whether that is every queried address, and the example address the paths show.
    static func internetFields(_ a: InternetAnswer) -> [(String, JSONValue)] {
        [("internetSide", .string(a.side.rawValue)),
         ("addresses", .array(a.addresses.map { .string($0.description) })),
         ("allQueriedAddresses", .bool(a.coversQueriedSet)),
         ("exampleAddress", a.example.map { .string($0.description) } ?? .null)]
    }
}
