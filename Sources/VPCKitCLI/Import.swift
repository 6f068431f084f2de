import ArgumentParser
import Importers
import Loading
import NetworkModel

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import AWS describe-* JSON or Terraform plan JSON as a topology.",
        discussion: """
            Prints the topology in the .vpc language (or writes it with -o, whole or not at all) and a summary of \
            what was imported and skipped on stderr. Exit 0 on success, 2 on input errors. See Docs/IMPORT.md.
            """,
        subcommands: [AWS.self, Terraform.self])

    struct AWS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "aws",
            abstract: "Import the JSON printed by 'aws ec2 describe-*' (files, or folders searched recursively).")

        @Option(name: .shortAndLong, help: "Write the topology to this file instead of stdout.")
        var output: String?

        @Argument(help: "Files or folders of describe-* output (any names; documents are recognised by their top-level key).")
        var paths: [String]

        func run() throws {
            try Import.emit(paths, kind: .awsSnapshot, output: output, source: "AWS snapshot")
        }
    }

    struct Terraform: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "terraform",
            abstract: "Import a plan or state printed by 'terraform show -json'.")

        @Option(name: .shortAndLong, help: "Write the topology to this file instead of stdout.")
        var output: String?

        @Argument(help: "The JSON of 'terraform show -json PLANFILE' or 'terraform show -json' (state).")
        var plan: String

        func run() throws {
            try Import.emit([plan], kind: .terraform, output: output, source: "Terraform")
        }
    }

    static func emit(_ paths: [String], kind: TopologyInputKind, output: String?, source: String) throws {
        let result: ImportResult
        do { result = try ImportInput.importTopology(paths, kind: kind, messages: Terminal.writeError) } catch { throw ExitCode(2) }
        let text = ImportInput.render(result, paths: paths, source: source)
        if let output {
            try writeOutputFile(output, text)
        } else {
            Terminal.write(text)
        }
        Terminal.writeError(result.report.summary)
    }
}
