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
        switch first.lowercased() {
        case "tcp": proto = .tcp
        case "udp": proto = .udp
        case "icmp": proto = .icmp
        case "icmpv6": proto = .icmpv6
        case "all", "-1": proto = .all
        case "proto":
            guard let n = portText.flatMap({ UInt8($0) }) else { return nil }
            proto = .number(n)
            portText = nil
        default:
            guard let n = UInt8(first) else { return nil }
            proto = .number(n)
        }
        if let portText {
            // tcp/udp: the destination port; icmp/icmpv6: the message type (code 0).
            let isICMP = proto == .icmp || proto == .icmpv6
            guard proto.hasPorts || isICMP, let port = UInt16(portText), !isICMP || port <= 255 else { return nil }
            return TrafficSpec(ipProtocol: proto, port: port)
        }
        return TrafficSpec(ipProtocol: proto)
    }

    static func text(_ v: Verdict, query: String) -> String {
        var s = "\(query): \(v.state)"
        if let internet = v.internet {
            // `reachable from 198.51.100.0/24 (e.g. 198.51.100.1)`; not reachable: the address the path shows.
            if v.state != .unreachable { s += " " + internet.phrase() }
            else if let e = internet.example {
                s += " \(internet.side == .source ? "from" : "to") any queried public address (path shown for \(e))"
            }
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
        let unreachable = v.state == .unreachable
        path(!unreachable || !v.returnPath.isEmpty ? "forward path" : "forward path (until blocked)", v.forwardPath)
        switch v.state {
        case .reachable:
            path("return path", v.returnPath)
            s += "client source ports that work: \(v.workingSourcePorts) (of \(v.requestedSourcePorts))\n"
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
    /// A hop's packet; ICMP/ICMPv6 packets also carry `icmpType` and `icmpCode`.
    static func packetFields(_ f: Flow) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("source", .string(f.source.description)), ("destination", .string(f.destination.description)),
            ("protocol", .int(Int(f.ipProtocol))), ("sourcePorts", json(f.sourcePorts)), ("destinationPorts", json(f.destinationPorts)),
        ]
        if f.ipProtocol == 1 || f.ipProtocol == 58 {
            fields.append(("icmpType", .int(Int(f.icmpTypeCode >> 8))))
            fields.append(("icmpCode", .int(Int(f.icmpTypeCode & 0xFF))))
        }
        return fields
    }
    static func json(_ v: Verdict, from: String, to: String, traffic: String) -> JSONValue {
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
        fields.append(("requestedSourcePorts", json(v.requestedSourcePorts)))
        fields.append(("workingSourcePorts", json(v.workingSourcePorts)))
        fields.append(("failingSourcePorts", json(v.failingSourcePorts)))
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
