#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Loading

/// Runs `vpckit`: the executable's `main` is ``main()``; tests call ``run(_:)`` in-process.
public enum VPCKitTool {
    /// Runs the command line `arguments` (without the program name) and returns the exit code: 0 ok, 1 findings
    /// or failed assertions, 2 usage or input errors. Output goes to the standard streams, or to the
    /// ``TerminalCapture`` bound to `Terminal.capture` (tests).
    public static func run(_ arguments: [String]) -> Int32 {
        VPCKit.run(arguments)
    }

    /// Runs the process's arguments and exits with the command's code.
    public static func main() -> Never {
        exit(VPCKit.run(Array(CommandLine.arguments.dropFirst())))
    }
}

/// `vpckit`: model AWS VPC networks offline. Each subcommand lives in its own file and stays thin: call a
/// library, render, pick the exit code (0 ok, 1 findings or failed assertions, 2 usage or input error).
struct VPCKit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpckit",
        abstract: "Model AWS VPC networks offline and answer questions about them.",
        version: "0.1.0",
        subcommands: [
            Cidr.self, Check.self, Fmt.self, Export.self, RouteCommand.self, Reach.self, FlowLogsCommand.self,
            LintCommand.self, Import.self, Generate.self, WhoCanReach.self, ReachableFrom.self,
            Matrix.self,
            DiffCommand.self, Graph.self,
        ])

    /// Parses and runs `arguments`, mapping argument-parser usage errors to exit code 2; returns the exit code.
    static func run(_ arguments: [String]) -> Int32 {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            return exitCode(forError: error)
        }
        do {
            try command.run()
        } catch let error as ValidationError {
            // Thrown by run() after parsing: the argument parser would print the root's usage
            // ("vpckit <subcommand>"); name the subcommand instead.
            let path = (["vpckit"] + commandPath(to: type(of: command))).joined(separator: " ")
            Terminal.writeError("Error: \(error.message)\n  See '\(path) --help' for more information.")
            return 2
        } catch {
            return exitCode(forError: error)
        }
        return 0
    }

    /// The exit code for `error`: 0 for help/version (printed on stdout, as the argument parser does), the code
    /// of an `ExitCode`, otherwise 2 (usage and input errors) with the argument parser's message on stderr.
    static func exitCode(forError error: any Error) -> Int32 {
        if error is InputError { return 2 }
        if let code = error as? ExitCode { return code.rawValue }
        let code = exitCode(for: error)
        if code == .success {
            let text = fullMessage(for: error)
            if !text.isEmpty { Terminal.write(text + "\n") }
            return 0
        }
        // Usage errors and anything else unexpected: message on stderr, exit 2.
        Terminal.writeError(fullMessage(for: error))
        return 2
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
