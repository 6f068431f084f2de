import ArgumentParser

struct Cidr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cidr",
        abstract: "IP address planning and CIDR overlap checks.")

    func run() throws {
        Terminal.writeError("vpckit cidr: not implemented yet")
        throw ExitCode(2)
    }
}
