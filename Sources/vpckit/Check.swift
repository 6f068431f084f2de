import ArgumentParser

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse, validate and run the assertions of topology files.")

    func run() throws {
        Terminal.writeError("vpckit check: not implemented yet")
        throw ExitCode(2)
    }
}
