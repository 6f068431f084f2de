#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import FileIO
import Importers
import Lint
import NetworkModel
import Reporting

/// `vpckit lint`: the rule catalogue of the Lint module over one or more topologies.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint topologies for misconfigurations.",
        discussion: """
            Reports each finding with a stable rule id, its severity, the file:line of the resource, a message \
            and a fix hint. Exit 0 when no finding at or above --min-severity remains, 1 when one does, 2 on \
            input or usage errors. The catalogue, with an example per rule, is in Docs/LINT.md; \
            'vpckit lint --list-rules' prints it.
            """)

    @Argument(help: "Topology files (.vpc, or Markdown with fenced blocks).")
    var files: [String] = []

    @Option(help: "Output format: text, json, github or sarif.")
    var format: String = "text"

    @Option(name: .customLong("min-severity"), help: "Report findings at or above this level: note, warning or error.")
    var minSeverity: String = "warning"

    @Option(name: .customLong("disable"), help: "A rule id not to run (repeatable).")
    var disabled: [String] = []

    @Option(name: .customLong("internet-ports"),
            help: "Ports the internet may reach instances on without a finding (comma-separated ports or ranges).")
    var internetPorts: String = "80,443"

    @Option(name: .customLong("baseline"), help: "A baseline file (JSON): findings listed in it are suppressed.")
    var baseline: String?

    @Option(name: .customLong("write-baseline"),
            help: "Write the current findings to this baseline file (JSON, written whole or not at all); they then count as accepted.")
    var writeBaseline: String?

    @Flag(name: .customLong("list-rules"), help: "Print the rule catalogue and exit.")
    var listRules = false

    @OptionGroup var edges: EdgeOptions

    func run() throws {
        if listRules {
            // --format applies: text (a table), json (an array of rules) or sarif (a run with the catalogue as
            // tool.driver.rules and no results); github annotations are findings only.
            switch FindingFormat(rawValue: format) {
            case .text?:
                for rule in LintCatalogue.all {
                    let pad = String(repeating: " ", count: max(1, 32 - rule.id.count))
                    Terminal.write("\(rule.id)\(pad)\(rule.severity.rawValue.padding(8)) \(rule.summary)\n")
                }
            case .json?:
                let rules = JSONValue.array(LintCatalogue.all.map { rule in
                    .object([("id", .string(rule.id)), ("severity", .string(rule.severity.rawValue)), ("summary", .string(rule.summary))])
                })
                Terminal.write(rules.serialized(pretty: true) + "\n")
            case .sarif?:
                Terminal.write(FindingRenderer.render([], format: .sarif, rules: LintCatalogue.all.map(\.descriptor)))
            case .github?:
                throw usage("--list-rules prints text, json or sarif; github annotations are for findings")
            case nil:
                throw usage("unknown format '\(format)'", choices: FindingFormat.allCases.map(\.rawValue))
            }
            return
        }
        guard !files.isEmpty else { throw usage("expected at least one topology file") }
        guard let format = FindingFormat(rawValue: format) else {
            throw usage("unknown format '\(format)'", choices: FindingFormat.allCases.map(\.rawValue))
        }
        guard let minimum = Diagnostic.Severity(rawValue: minSeverity) else {
            throw usage("unknown severity '\(minSeverity)'", choices: Diagnostic.Severity.allCases.map(\.rawValue))
        }
        for id in disabled where LintCatalogue.rule(id) == nil {
            throw usage("unknown rule '\(id)'", choices: LintCatalogue.all.map(\.id))
        }
        guard let ports = LintOptions.parsePorts(internetPorts) else {
            throw usage("invalid --internet-ports '\(internetPorts)'; write ports or ranges, e.g. '80,443,8000-8080'")
        }
        let options = LintOptions(internetPorts: ports, disabledRules: Set(disabled), minimumSeverity: minimum)

        let accepted = try baseline.map { try LintCommand.readBaseline($0) }

        var findings: [Finding] = []
        var warnings: [Diagnostic] = []
        var inputError = false
        for file in files {
            let loaded: LoadedTopology
            do { loaded = try loadTopology(file, edges: edges) } catch { inputError = true; continue }
            for w in loaded.warnings { Terminal.writeError(w.rendered) }
            let sources = loaded.source.map { [$0] } ?? []
            var these = Linter.lint(loaded.topology, options: options, sources: sources)
            let problems = Linter.applySuppressions(&these, sources: sources, options: options)
            for w in problems { Terminal.writeError(w.rendered) }
            warnings += problems
            findings += these
        }
        if inputError { throw ExitCode(2) }
        if let accepted, let name = baseline { accepted.apply(to: &findings, name: name) }
        if let path = writeBaseline {
            let written = Baseline(findings: findings)
            guard AtomicFile.write(written.json, toPath: path) else {
                throw usage("cannot write baseline '\(path)'")
            }
            // What was just written is accepted: the run reports it as baselined.
            written.apply(to: &findings, name: path)
        }
        Terminal.write(FindingRenderer.render(findings, format: format, rules: LintCatalogue.all.map(\.descriptor),
                                              notifications: warnings))
        let counted = findings.filter { !$0.isSuppressed }
        if format == .text {
            let counts = Diagnostic.Severity.allCases.reversed().compactMap { s -> String? in
                let n = counted.filter { $0.severity == s }.count
                return n == 0 ? nil : "\(n) \(s.rawValue)\(n == 1 ? "" : "s")"
            }
            let suppressed = findings.count - counted.count
            Terminal.writeError((counted.isEmpty ? "no findings" : counts.joined(separator: ", "))
                                + (suppressed > 0 ? " (\(suppressed) suppressed)" : ""))
        }
        if !counted.isEmpty { throw ExitCode(1) }
    }

    /// Reads a baseline file written by `--write-baseline` (`{"version": 1, "findings": [{rule, file, message}]}`);
    /// exit 2 with a message when it cannot be read or is not one.
    static func readBaseline(_ path: String) throws -> Baseline {
        guard let bytes = InputFiles.read(path) else {
            Terminal.writeError("\(path): error: cannot read baseline: \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        do throws(JSONError) {
            return try bytes.withUnsafeBufferPointer { buffer throws(JSONError) in try Baseline(parsing: buffer, file: path) }
        } catch {
            // Like every JSON error: file:line:column, the JSON path, the source line and a caret.
            var error = error
            error.message = "bad baseline: " + error.message
            Terminal.writeError(bytes.withUnsafeBufferPointer { error.diagnostic(source: $0) }.rendered)
            throw ExitCode(2)
        }
    }

    /// A usage error: message (with a suggestion) on stderr, exit 2.
    func usage(_ message: String, choices: [String] = []) -> ExitCode {
        var text = "vpckit lint: error: \(message)"
        if !choices.isEmpty {
            let word = message.split(separator: "'").dropFirst().first.map(String.init) ?? ""
            if let near = Suggest.closest(to: word, in: choices) {
                text += "; did you mean '\(near)'?"
            } else {
                text += " (expected \(choices.joined(separator: ", ")))"
            }
        }
        Terminal.writeError(text)
        return ExitCode(2)
    }
}

extension String {
    /// Pads with spaces to `width` characters.
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
