import ArgumentParser
import FileIO
import Loading
import NetworkModel
import Reporting

// The commands' way into Loading (TopologyInput, ImportInput) and FileIO: the same calls with the terminal's
// stderr as the message sink.

typealias LoadedTopology = Loading.LoadedTopology
typealias InputError = Loading.InputError

/// Loads a topology from `path` (a `.vpc`, AWS or Terraform JSON, a folder), printing diagnostics on stderr (a
/// `.vpc` file's errors go to `reportErrors` when given); throws `InputError` (exit 2) on input errors.
func loadTopology(_ path: String, edges: EdgeOptions? = nil, reportErrors: (([Diagnostic]) -> Void)? = nil) throws -> LoadedTopology {
    ProcessLifetime.prepareForInput(path)
    var loaded = try TopologyInput.load(path, messages: Terminal.writeError, reportErrors: reportErrors)
    try edges?.apply(to: &loaded.topology)
    return loaded
}

/// `--onprem CIDR@EDGE` and `--assume-tunnels-up`: on every command that reads a topology (issue 18).
struct EdgeOptions: ParsableArguments {
    @Option(name: .customLong("onprem"),
            help: ArgumentHelp("On-premises announces CIDR over EDGE (a VPN connection, VIF, VGW or Direct Connect gateway, by name or id); repeatable.",
                               valueName: "CIDR@EDGE"))
    var onprem: [String] = []
    @Flag(name: .customLong("assume-tunnels-up"), help: "Analyse VPN connections as configured, even when their tunnel telemetry says DOWN.")
    var assumeTunnelsUp = false

    /// The facts these options state, or nil when none is given (bad values: a message and ``InputError``).
    func facts() throws -> EdgeFacts? {
        guard !onprem.isEmpty || assumeTunnelsUp else { return nil }
        return try EdgeFacts.parse(onprem: onprem, assumeTunnelsUp: assumeTunnelsUp, messages: Terminal.writeError)
    }

    /// Applies `--onprem` and `--assume-tunnels-up` to `topology` (nothing when neither is given).
    func apply(to topology: inout Topology) throws {
        try facts()?.apply(to: &topology, messages: Terminal.writeError)
    }
}

/// The bytes of `path` (`-`: standard input); prints `path: error: cannot read file: …` and throws `InputError`.
func readInputFile(_ path: String) throws -> [UInt8] {
    try TopologyInput.read(path, messages: Terminal.writeError)
}

/// Writes `text` to `path` whole or not at all (``AtomicFile``); prints `path: error: cannot write file` and
/// throws exit 2 when it cannot.
func writeOutputFile(_ path: String, _ text: String) throws {
    guard AtomicFile.write(text, toPath: path) else {
        Terminal.writeError("\(path): error: cannot write file")
        throw InputError()
    }
}

/// Writes `bytes` to `path` whole or not at all (``AtomicFile``); prints `path: error: cannot write file` and
/// throws exit 2 when it cannot.
func writeOutputFile(_ path: String, _ bytes: [UInt8]) throws {
    guard AtomicFile.write(bytes, toPath: path) else {
        Terminal.writeError("\(path): error: cannot write file")
        throw InputError()
    }
}
