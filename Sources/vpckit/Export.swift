import ArgumentParser

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a topology as JSON.")

    func run() throws {
        Terminal.writeError("vpckit export: not implemented yet")
        throw ExitCode(2)
    }
}
