import ArgumentParser
import NetworkModel
import Reporting

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse, validate and run the assertions of topology files.",
        discussion: "Exit 0 when every file is valid and every assertion holds, 1 when an assertion fails, 2 on input errors.")

    @Argument(help: "Topology files (.vpc, or Markdown with fenced blocks).")
    var files: [String]

    func run() throws {
        var inputError = false
        var failed = false
        for file in files {
            let loaded: LoadedTopology
            do { loaded = try loadTopology(file) } catch { inputError = true; continue }
            for w in loaded.warnings { Terminal.writeError(w.rendered) }
            Terminal.write("\(file): ok: \(TopologySummary(loaded.topology).text)\n")
            // ── Assertion hook ──────────────────────────────────────────────────────────────────────────
            // The reachability engine evaluates `assert` lines here: print each failure (with its location)
            // and return false when any fails. Until then the assertions are only counted in the summary.
            if !runAssertions(loaded.topology, file: file) { failed = true }
            // ────────────────────────────────────────────────────────────────────────────────────────────────
        }
        if inputError { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }

    /// Evaluates the topology's `assert` lines; true when all hold. (Hook for the reachability engine.)
    func runAssertions(_ topology: Topology, file: String) -> Bool {
        true
    }
}
