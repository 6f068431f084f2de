import ArgumentParser
import NetworkModel

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a topology as JSON.",
        discussion: "The document's keys are stable and documented in Docs/DSL.md (\"JSON export\").")

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case json }

    @Option(help: "Output format.")
    var format: Format = .json

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout (whole or not at all).")
    var output: String?

    @Argument(help: "A topology file.")
    var file: String

    @OptionGroup var edges: EdgeOptions

    func run() throws {
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let text = TopologyJSON.export(loaded.topology).serialized(pretty: true) + "\n"
        if let output {
            try writeOutputFile(output, text)
        } else {
            Terminal.write(text)
        }
    }
}
