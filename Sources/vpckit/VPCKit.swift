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
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForError(error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            // Thrown by run() after parsing: the argument parser would print the root's usage
            // ("vpckit <subcommand>"); name the subcommand instead.
            let path = (["vpckit"] + commandPath(to: type(of: command))).joined(separator: " ")
            Terminal.writeError("Error: \(error.message)\n  See '\(path) --help' for more information.")
            exit(withError: ExitCode(2))
        } catch {
            exitForError(error)
        }
    }

    /// Exits for `error`: 0 for help/version, the code of an `ExitCode`, otherwise 2 (usage and input errors)
    /// with the argument parser's message on stderr.
    static func exitForError(_ error: any Error) -> Never {
        if error is InputError { exit(withError: ExitCode(2)) }
        let code = exitCode(for: error)
        if code == .success || error is ExitCode {
            exit(withError: error)
        }
        // Usage errors and anything else unexpected: message on stderr, exit 2.
        Terminal.writeError(fullMessage(for: error))
        exit(withError: ExitCode(2))
    }

    /// The subcommand names leading from the root to `target` (empty for the root itself).
    static func commandPath(to target: any ParsableCommand.Type,
                            from root: any ParsableCommand.Type = VPCKit.self) -> [String] {
        for sub in root.configuration.subcommands {
            let name = sub.configuration.commandName ?? String(describing: sub)
            if sub == target { return [name] }
            let rest = commandPath(to: target, from: sub)
            if !rest.isEmpty { return [name] + rest }
        }
        return []
    }
}
