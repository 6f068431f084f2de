import NetworkModel
import Reachability
import Reporting

/// How `vpckit check` reports policies (Docs/DSL.md "Policies"): text with witness paths (capped per policy),
/// SARIF results and JUnit cases.
enum PolicyOutput {
    /// Witnesses listed per policy in text (the rest are counted); SARIF lists every one.
    static let textCap = 20

    /// `file:line:column: error: policy 'NAME' (deny …) is violated by 3 connections` and each witness, with
    /// its path, traced here for the `cap` listed only (`witness`: how; default ``CompiledTopology/witnessVerdict(for:)``);
    /// nil when the policy holds.
    static func failureText(_ r: PolicyResult, _ compiled: CompiledTopology, cap: Int = textCap,
                            witness: ((PolicyViolation) -> Verdict?)? = nil) -> String? {
        guard !r.holds else { return nil }
        let files = compiled.topology.files
        let n = r.violations.count
        var s = "\(files.place(of: r.policy.location)): error: policy \(statement(r.policy)) is violated by \(n) connection\(n == 1 ? "" : "s")\n"
        for v in r.violations.prefix(cap) {
            s += "  \(v.summary)\n"
            if let verdict = witness.map({ $0(v) }) ?? compiled.witnessVerdict(for: v) {
                let query = "\(v.source.name) -> \(v.destination.name) \(v.witness)"
                let body = ReachOutput.text(verdict, query: "witness \(query)", clientPorts: ReachOutput.hasClientPorts(v.witness), files: files)
                for line in body.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty { s += "    \(line)\n" }
            }
        }
        if n > cap { s += "  … and \(n - cap) more (--format sarif lists every one)\n" }
        return s
    }

    /// `'NAME' (deny internet -> sg:db tcp/5432)`, escaped for a terminal.
    static func statement(_ p: Policy) -> String {
        "'\(Diagnostic.escaped(p.name))' (\(Diagnostic.escaped(String(p.statementText.drop { $0 != " " }.dropFirst()))))"
    }

    /// One SARIF rule per policy: `policy/NAME`.
    static func rule(_ p: Policy) -> RuleDescriptor {
        RuleDescriptor(id: "policy/\(p.name)", name: "Policy", shortDescription: "policy \(p.statementText)",
                       defaultSeverity: .error, helpText: "change the topology so that the policy holds, or the policy if the intent changed")
    }

    /// A finding per violation, at the policy's line.
    static func findings(_ r: PolicyResult, file: String, files: SourceFileTable) -> [Finding] {
        let at = r.policy.location, written = files.name(of: at)
        return r.violations.map { v in
            var message = "policy \(r.policy.name) (\(r.policy.kind.rawValue)): \(v.source.name) -> \(v.destination.name) \(v.trafficText)"
            message += ": \(v.witnessState) (witness \(v.witness))"
            if v.partly { message += "; some client ports only" }
            return Finding(ruleID: "policy/\(r.policy.name)", severity: .error, file: written.isEmpty ? file : written,
                           line: max(1, at.line), column: max(1, at.column), message: message)
        }
    }

    /// A JUnit case per policy; a failure lists every violation.
    static func testCase(_ r: PolicyResult, file: String, files: SourceFileTable) -> JUnitReport.TestCase {
        let failure: (String, String)? = r.holds ? nil : (
            "\(r.violations.count) violation\(r.violations.count == 1 ? "" : "s"), e.g. \(r.violations[0].summary)",
            "\(files.place(of: r.policy.location)): policy \(r.policy.statementText)\n" + r.violations.map { "  \($0.summary)" }.joined(separator: "\n"))
        return JUnitReport.TestCase(name: "policy \(r.policy.name)", classname: file, file: file, line: r.policy.location.line, failure: failure)
    }
}
