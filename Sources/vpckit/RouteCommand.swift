import ArgumentParser

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show the route a subnet uses for an address.")

    func run() throws {
        Terminal.writeError("vpckit route: not implemented yet")
        throw ExitCode(2)
    }
}
