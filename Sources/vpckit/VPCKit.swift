import ArgumentParser

/// `vpckit`: model AWS VPC networks offline. Each subcommand lives in its own file and stays thin: call a
/// library, render, pick the exit code (0 ok, 1 findings or failed assertions, 2 usage or input error).
@main
struct VPCKit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpckit",
        abstract: "Model AWS VPC networks offline and answer questions about them.",
        version: "0.1.0",
        subcommands: [
            Cidr.self, Check.self, Fmt.self, Export.self, RouteCommand.self, Reach.self, FlowLogsCommand.self,
            LintCommand.self, Import.self, Generate.self,
        ])

    /// Runs the command, mapping argument-parser usage errors to exit code 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if error is InputError { exit(withError: ExitCode(2)) }
            if code == .success || error is ExitCode {
                exit(withError: error)
            }
            // Usage errors and anything else unexpected: message on stderr, exit 2.
            Terminal.writeError(fullMessage(for: error))
            exit(withError: ExitCode(2))
        }
    }
}
