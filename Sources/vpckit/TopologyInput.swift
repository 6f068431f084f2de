import NetworkModel
import Reporting

/// A topology loaded from what the user has: a `.vpc` file, AWS describe-* JSON (a file or a folder), or a
/// Terraform plan/state JSON. Every command that takes a topology goes through ``loadTopology(_:)``.
struct LoadedTopology {
    var topology: Topology
    /// Warnings produced while loading (printed by the caller on stderr).
    var warnings: [Diagnostic]
}

/// Thrown after diagnostics were printed: exit 2.
struct InputError: Error {}

/// Loads `path`, printing diagnostics to stderr; throws `ExitCode(2)` on input errors.
func loadTopology(_ path: String) throws -> LoadedTopology {
    Terminal.writeError("\(path): error: reading topologies is not implemented yet")
    throw InputError()
}
