import ArgumentParser
import NetworkModel
import Reachability
import Reporting

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse, validate and run the assertions of topology files.",
        discussion: """
            Exit 0 when every file is valid and every assertion holds, 1 when an assertion fails, 2 on input errors. \
            --format sarif writes a SARIF 2.1.0 log (a result per failed assertion and per parse or validation \
            error); --format junit writes JUnit XML (a testsuite per file, a testcase per assertion). Exit codes \
            are the same in every format.
            """)

    @Argument(help: "Topology files (.vpc, or Markdown with fenced blocks).")
    var files: [String]

    @Option(help: "Output format: text, sarif or junit.")
    var format: String = "text"

    @Flag(name: .customLong("timing"), help: ArgumentHelp("Print parse and validation times to stderr.", visibility: .hidden))
    var timing = false

    @OptionGroup var edges: EdgeOptions

    func run() throws {
        ProcessLifetime.keepFreedMemory()
        guard let format = CheckFormat(rawValue: format) else {
            var text = "vpckit check: error: unknown format '\(format)'"
            if let near = Suggest.closest(to: format, in: CheckFormat.allCases.map(\.rawValue)) { text += "; did you mean '\(near)'?" }
            else { text += " (expected \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", ")))" }
            Terminal.writeError(text)
            throw ExitCode(2)
        }
        if format != .text { return try runReport(format) }
        if timing { try printTimings() }
        var inputError = false
        var failed = false
        // The last file's topology is left to process exit (earlier ones are freed as the loop moves on).
        var last: LoadedTopology? = nil
        defer { ProcessLifetime.keepUntilExit(last) }
        for file in files {
            let loaded: LoadedTopology
            do { loaded = try loadTopology(file, edges: edges) } catch { inputError = true; continue }
            last = loaded
            for w in loaded.warnings { Terminal.writeError(w.rendered) }
            Terminal.write("\(file): ok: \(TopologySummary(loaded.topology).text)\n")
            if loaded.topology.vpcs.isEmpty {
                // Valid, but almost always a wrong or truncated file: say so without failing the check.
                Terminal.writeError("\(file): warning: no VPCs (an empty file, or nothing in it declares a vpc)")
            }
            // ── Assertion hook ──────────────────────────────────────────────────────────────────────────
            // The reachability engine evaluates `assert` lines here: print each failure (with its location)
            // and return false when any fails. Until then the assertions are only counted in the summary.
            // One compiled topology for the assertions and the policies.
            let t = loaded.topology
            let compiled = t.assertions.isEmpty && t.policies.isEmpty ? nil : CompiledTopology(t)
            if let compiled, !runAssertions(compiled, file: file) { failed = true }
            if let compiled, !runPolicies(compiled, file: file) { failed = true }
            // ────────────────────────────────────────────────────────────────────────────────────────────────
        }
        if inputError { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }

    /// Times reading, parsing and validating each file (medians of 5 runs) on stderr.
    func printTimings() throws {
        for file in files {
            let clock = ContinuousClock()
            var read: [Duration] = [], parse: [Duration] = [], validate: [Duration] = []
            for _ in 0..<5 {
                let t0 = clock.now
                let bytes = try readInputFile(file)
                let t1 = clock.now
                let source = SourceText(bytes: bytes, file: file)
                let (topology, _) = TopologyParser.parse(source)
                let t2 = clock.now
                _ = TopologyValidator.validate(topology, sources: [file: source])
                let t3 = clock.now
                read.append(t1 - t0); parse.append(t2 - t1); validate.append(t3 - t2)
            }
            func median(_ d: [Duration]) -> Duration { d.sorted()[d.count / 2] }
            Terminal.writeError("\(file): read \(median(read)), parse \(median(parse)), validate \(median(validate)) (medians of 5)")
        }
    }

    /// Evaluates the topology's `assert` lines; true when all hold. (Hook for the reachability engine.)
    func runAssertions(_ compiled: CompiledTopology, file: String) -> Bool {
        guard !compiled.topology.assertions.isEmpty else { return true }
        let results = compiled.evaluateAssertions()
        var ok = true
        for r in results {
            if let message = r.failureMessage {
                Terminal.writeError(message)
                // The first fix of a failed `reach` (vpckit reach lists every blocker).
                if let fix = r.blockers.lazy.compactMap(\.fix).first { Terminal.writeError("  hint: \(fix)") }
                ok = false
            }
        }
        let held = results.filter(\.holds).count
        Terminal.write("\(file): \(held) of \(results.count) assertion\(results.count == 1 ? "" : "s") hold\n")
        return ok
    }

    /// Evaluates the topology's policies (after the assertions); true when all hold. Violations go to stderr
    /// with their witness paths (at most ``PolicyOutput/textCap`` per policy), the count to stdout.
    func runPolicies(_ compiled: CompiledTopology, file: String) -> Bool {
        guard !compiled.topology.policies.isEmpty else { return true }
        let results = compiled.policyResults()
        for r in results {
            if let text = PolicyOutput.failureText(r, compiled) { Terminal.writeError(String(text.dropLast())) }
        }
        let held = results.filter(\.holds).count
        Terminal.write("\(file): \(held) of \(results.count) polic\(results.count == 1 ? "y holds" : "ies hold")\n")
        return held == results.count
    }

    /// `--format sarif|junit`: the same checks, reported as one document on stdout (the per-file summaries go
    /// to stderr). Exit codes as in text.
    func runReport(_ format: CheckFormat) throws {
        var report = CheckReport()
        var inputError = false
        var failed = false
        for file in files {
            var errors: [Diagnostic] = []
            let loaded: LoadedTopology
            do {
                loaded = try loadTopology(file, edges: edges, reportErrors: { errors += $0 })
            } catch {
                inputError = true
                report.inputFailed(file: file, errors: errors)
                continue
            }
            for w in loaded.warnings { Terminal.writeError(w.rendered) }
            Terminal.writeError("\(file): ok: \(TopologySummary(loaded.topology).text)")
            let compiled = loaded.topology.assertions.isEmpty && loaded.topology.policies.isEmpty ? nil : CompiledTopology(loaded.topology)
            let results = compiled?.evaluateAssertions() ?? []
            let policies = loaded.topology.policies.isEmpty ? [] : compiled?.policyResults() ?? []
            if results.contains(where: { !$0.holds }) || policies.contains(where: { !$0.holds }) { failed = true }
            report.add(file: file, results: results, policies: policies, files: loaded.topology.files)
            Terminal.writeError("\(file): \(results.filter(\.holds).count) of \(results.count) assertion\(results.count == 1 ? "" : "s") hold")
            if !policies.isEmpty {
                Terminal.writeError("\(file): \(policies.filter(\.holds).count) of \(policies.count) polic\(policies.count == 1 ? "y holds" : "ies hold")")
            }
        }
        Terminal.write(format == .sarif ? report.sarif() : report.junit())
        if inputError { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}

/// `vpckit check` output formats.
enum CheckFormat: String, CaseIterable {
    case text, sarif, junit
}
