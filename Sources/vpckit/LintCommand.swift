import ArgumentParser

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint topologies for misconfigurations.")

    func run() throws {
        Terminal.writeError("vpckit lint: not implemented yet")
        throw ExitCode(2)
    }
}
