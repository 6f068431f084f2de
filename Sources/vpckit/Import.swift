import ArgumentParser

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import AWS describe-* JSON or Terraform plan JSON as a topology.")

    func run() throws {
        Terminal.writeError("vpckit import: not implemented yet")
        throw ExitCode(2)
    }
}
