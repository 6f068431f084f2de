import ArgumentParser

/// Generates large synthetic topologies (benchmarks and scale tests).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a large synthetic topology (for benchmarks).")

    func run() throws {
        Terminal.writeError("vpckit generate: not implemented yet")
        throw ExitCode(2)
    }
}
