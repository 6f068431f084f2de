// Why a REJECT record was rejected, named only when it is written: the replay keeps a small index per record
// (FlowLogRecord.rejectReason → FlowReplay.rejectReasons), the compiled data plane names the site.
import NetworkModel
import Reachability
import Reporting

extension CompiledFlowNetwork {
    /// The named reason of `record` (a record of a replay over this network whose reasons are `reasons`: the
    /// replay's ``FlowReplay/rejectReasons``); nil for ACCEPT records and records without a reason.
    public func rejectExplanation(of record: FlowLogRecord, reasons: [DropSite]) -> DropExplanation? {
        guard !record.accepted, record.rejectReason > 0, Int(record.rejectReason) <= reasons.count else { return nil }
        return compiled.explain(reasons[Int(record.rejectReason) - 1],
                                source: Self.ipAddress(record.packetSource), destination: Self.ipAddress(record.packetDestination),
                                ipProtocol: record.ipProtocol, sourcePort: record.sourcePort, destinationPort: record.destinationPort)
    }
}

extension DropExplanation {
    /// The `reject-reason` member of a `--format json` record:
    /// `{"code", "component": {"kind", "name", "id"}, "direction", "rule": {"number", "text"} | null, "file", "line",
    /// "detail", "endpoint": {"kind", "name", "id"} | null}`; `rule` is null when no rule admits the packet, `number`
    /// is 32767 for a NACL's implicit final `*` rule, `direction` (`inbound`/`outbound` for NACLs, `ingress`/`egress`
    /// for security groups), `id`, `file` and `line` are null when not known; `endpoint` is the VPC endpoint on the
    /// packet's way (``DropExplanation/endpoint``), null when none.
    public var json: JSONValue {
        let e = explanation
        let component = ReachReport.json(e.component)
        let ruleValue: JSONValue = rule.map { r in
            .object([("number", r.ruleNumber.map(JSONValue.int) ?? .null), ("text", .string(r.text))])
        } ?? .null
        return .object([
            ("code", .string(e.code.rawValue)),
            ("component", component),
            ("direction", componentDirection.map(JSONValue.string) ?? .null),
            ("rule", ruleValue),
            ("file", location.map { _ in .string(file) } ?? .null),
            ("line", location.map { .int($0.line) } ?? .null),
            ("detail", .string(e.detailText)),
            ("endpoint", endpoint.map { ReachReport.json($0) } ?? .null),
        ])
    }

    /// The `--explain` line printed after a REJECT record (no newline): `# REJECT CODE at COMPONENT SIDE, RULE,
    /// via ENDPOINT (FILE:LINE): DETAIL`, where RULE is `rule N 'TEXT'`, `rule * 'TEXT'` (a NACL's implicit final
    /// rule) or `no rule admits`, and `via ENDPOINT` (`vpc-endpoint NAME (vpce-…)`) names the VPC endpoint on the
    /// packet's way when it is not the component itself. A line starting with `#` is a comment to flow log
    /// readers; unsafe characters are escaped.
    public var commentLine: String {
        let e = explanation
        var s = "# REJECT \(e.code.rawValue) at \(e.component)"
        if let componentDirection { s += " \(componentDirection)" }
        if let rule {
            let number = rule.ruleNumber.map { $0 == 32767 ? "*" : String($0) }
            s += number.map { ", rule \($0) '\(rule.text)'" } ?? ", rule '\(rule.text)'"
        } else if e.code == .eniSGRulesMismatch || e.code == .sgHasNoRules || e.code == .subnetACLRestriction {
            s += ", no rule admits"
        }
        if let endpoint, endpoint != e.component { s += ", via \(endpoint)" }
        if let location { s += " (\(file):\(location.line))" }
        s += ": " + e.detailText
        return Diagnostic.escaped(s)
    }
}
