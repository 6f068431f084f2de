import ArgumentParser

struct Fmt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Print topology files in canonical layout.")

    func run() throws {
        Terminal.writeError("vpckit fmt: not implemented yet")
        throw ExitCode(2)
    }
}
