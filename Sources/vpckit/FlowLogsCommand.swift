import ArgumentParser

struct FlowLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowlogs",
        abstract: "Replay a pcap through a topology into VPC Flow Log records.")

    func run() throws {
        Terminal.writeError("vpckit flowlogs: not implemented yet")
        throw ExitCode(2)
    }
}
