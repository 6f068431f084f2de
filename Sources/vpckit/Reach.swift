import ArgumentParser

struct Reach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach",
        abstract: "Can A reach B? The verdict, the path and the reason.")

    func run() throws {
        Terminal.writeError("vpckit reach: not implemented yet")
        throw ExitCode(2)
    }
}
