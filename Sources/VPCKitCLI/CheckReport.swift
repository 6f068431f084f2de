import NetworkModel
import Reachability
import Reporting

/// What `vpckit check --format sarif|junit` reports: per file, its load errors or its assertion results.
struct CheckReport {
    struct FileResult {
        var file: String
        /// Parse and validation errors (a file that did not load); empty with `loadFailed` for other input
        /// errors (unreadable, bad JSON: their messages are on stderr).
        var errors: [Diagnostic] = []
        var loadFailed = false
        var results: [AssertionResult] = []
        var policies: [PolicyResult] = []
        var files = SourceFileTable()
    }
    var files: [FileResult] = []

    mutating func inputFailed(file: String, errors: [Diagnostic]) {
        files.append(FileResult(file: file, errors: errors, loadFailed: true))
    }

    mutating func add(file: String, results: [AssertionResult], policies: [PolicyResult] = [], files table: SourceFileTable = SourceFileTable()) {
        files.append(FileResult(file: file, results: results, policies: policies, files: table))
    }

    static let assertFailed = RuleDescriptor(
        id: "assert-failed", name: "AssertFailed", shortDescription: "an 'assert reach|noreach' line of the topology does not hold",
        defaultSeverity: .error, helpText: "fix the topology, or the assertion if the intent changed")
    static let topologyError = RuleDescriptor(
        id: "topology-error", name: "TopologyError", shortDescription: "the topology file does not parse or validate",
        defaultSeverity: .error)

    /// A SARIF 2.1.0 log: a result per failed assertion (at the assert line) and per parse or validation error.
    func sarif() -> String {
        var findings: [Finding] = []
        for f in files {
            for d in f.errors {
                var finding = Finding(ruleID: CheckReport.topologyError.id, severity: .error, file: d.file.isEmpty ? f.file : d.file,
                                      line: max(1, d.line), column: max(1, d.column), message: d.message, hint: d.hint)
                if !d.id.isEmpty { finding.underlyingID = d.id }
                findings.append(finding)
            }
            if f.loadFailed && f.errors.isEmpty {
                findings.append(Finding(ruleID: CheckReport.topologyError.id, severity: .error, file: f.file, line: 1,
                                        message: "the file could not be loaded (the reason is on standard error)"))
            }
            for r in f.results where !r.holds {
                let at = r.assertion.location, written = r.files.name(of: at)
                findings.append(Finding(ruleID: CheckReport.assertFailed.id, severity: .error,
                                        file: written.isEmpty ? f.file : written, line: max(1, at.line), column: max(1, at.column),
                                        message: "assert \(r.statement): \(r.failureReason ?? "fails")"))
            }
            for p in f.policies { findings += PolicyOutput.findings(p, file: f.file, files: f.files) }
        }
        var rules = [CheckReport.assertFailed, CheckReport.topologyError]
        var seen = Set<String>()
        for f in files { for p in f.policies where seen.insert(p.policy.name).inserted { rules.append(PolicyOutput.rule(p.policy)) } }
        return FindingRenderer.render(findings, format: .sarif, rules: rules)
    }

    /// JUnit XML: a testsuite per file, a testcase per assertion (named by its text), a failure with the
    /// explanation for one that does not hold; a file that did not load is one case with an error.
    func junit() -> String {
        let suites = files.map { f -> JUnitReport.Suite in
            if f.loadFailed {
                let text = f.errors.isEmpty ? "the file could not be loaded (the reason is on standard error)"
                    : f.errors.map(\.rendered).joined(separator: "\n")
                let message = f.errors.first.map { "\($0.file):\($0.line):\($0.column): \($0.message)" } ?? "cannot load \(f.file)"
                return JUnitReport.Suite(name: f.file, cases: [
                    JUnitReport.TestCase(name: "load \(f.file)", classname: f.file, file: f.file, line: f.errors.first?.line ?? 0,
                                         error: (message, text)),
                ])
            }
            return JUnitReport.Suite(name: f.file, cases: f.results.map { r in
                let reason = r.failureReason
                return JUnitReport.TestCase(
                    name: "assert \(r.statement)", classname: f.file, file: f.file, line: r.assertion.location.line,
                    failure: reason.map { ($0, "\(r.files.place(of: r.assertion.location)): \($0)") })
            } + f.policies.map { PolicyOutput.testCase($0, file: f.file, files: f.files) })
        }
        return JUnitReport.xml(suites)
    }
}
