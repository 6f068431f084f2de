import ArgumentParser
import NetworkModel
import Reachability
import Reporting

/// `vpckit matrix TOPO --by subnet|security-group|vpc|tag:KEY [TRAFFIC]`: what gets through between groups.
struct Matrix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "What gets through between groups (subnets, security groups, VPCs or tag values), as a table.",
        discussion: """
            Rows are source groups, columns destination groups; the internet and each on-premises network are \
            their own rows and columns, interface endpoints are in their subnet's (VPC's) group. A cell is the \
            union of what 'who-can-reach' gives each member pair (a party in several security groups counts in \
            each): the ports that get through for every client port for some pair, then the ports only partly \
            reachable as 'tcp/9000 (partly)'; empty (text: '-') when nothing. With --by tag:KEY, members without \
            the tag are in '(no KEY)'. Labels use the endpoint-set notation: subnet:NAME, sg:NAME, vpc:NAME, \
            tag:KEY=VALUE, internet, onprem:NAME.
            Exit 0 on success, 2 input or usage error (unknown --by, bad traffic).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, csv, json, markdown }

    @Argument(help: "Topology (.vpc file, AWS or Terraform JSON).") var file: String
    @Argument(help: "Protocol and ports: tcp, tcp/5432, tcp/80,443,8000-8080, udp/53, icmp, icmp/8, all, 'proto 47' (default: every protocol).")
    var traffic: String?
    @Option(help: ArgumentHelp("Group by subnet, security-group, vpc or tag:KEY.", valueName: "GROUPING")) var by: String
    @Option(help: "Output format.") var format: Format = .text
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var edges: EdgeOptions

    func run() throws {
        guard let grouping = MatrixGrouping(parsing: by) else {
            Terminal.writeError("error: bad --by '\(Diagnostic.escaped(by))': expected subnet, security-group, vpc or tag:KEY")
            throw ExitCode(2)
        }
        let traffic = try connection.questionTraffic(self.traffic)
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        let matrix = compiled.connectionMatrix(by: grouping, traffic: traffic)
        switch format {
        case .text: Terminal.write(MatrixReport.text(matrix, traffic: traffic))
        case .csv: Terminal.write(MatrixReport.csv(matrix))
        case .json: Terminal.write(MatrixReport.json(matrix).serialized(pretty: true) + "\n")
        case .markdown: Terminal.write(MatrixReport.markdown(matrix))
        }
    }
}
