import ArgumentParser
import NetworkModel
import Reachability
import Reporting

/// The options `who-can-reach` and `reachable-from` share.
struct QuestionOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }
    @Argument(help: "Topology (.vpc file, AWS or Terraform JSON).") var file: String
    @Argument(help: "The endpoint asked about (instance, instance.interface, internet, onprem:NAME, …).") var endpoint: String
    @Argument(help: "Protocol and ports: tcp, tcp/5432, tcp/80,443,8000-8080, udp/53, icmp, icmp/8, all, 'proto 47' (default: every protocol).")
    var traffic: String?
    @Option(help: "Output format.") var format: Format = .text
    @Option(name: .customLong("source-port"), help: "One client source port (default: any of 1024-65535).") var sourcePort: UInt16?
    @Option(name: .customLong("client-ports"), help: "Client source ports: linux, windows or LO-HI (default 1024-65535).")
    var clientPorts: String?
    @Flag(name: .customLong("one-way"), help: "The request direction only (no reply check).") var oneWay = false
    @OptionGroup var edges: EdgeOptions

    /// Loads, resolves and answers; prints the answer.
    func run(towardTarget: Bool) throws {
        var reach = Reach()
        reach.sourcePort = sourcePort
        reach.clientPorts = clientPorts
        let requested = try reach.requestedPorts()
        var traffic = QuestionTraffic(sourcePorts: requested, oneWay: oneWay)
        if let text = self.traffic {
            guard var t = QuestionTraffic(parsing: text) else {
                Terminal.writeError("error: bad traffic '\(Diagnostic.escaped(text))': expected tcp, tcp/PORTS, udp/PORTS, icmp, icmp/TYPES, icmpv6, all or 'proto N'")
                throw ExitCode(2)
            }
            t.sourcePorts = requested
            t.oneWay = oneWay
            traffic = t
        }
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        let end = try reach.resolve(compiled, endpoint, side: towardTarget ? .destination : .source)
        let answers = towardTarget ? compiled.whoCanReach(end, traffic: traffic) : compiled.reachableFrom(end, traffic: traffic)
        switch format {
        case .text: Terminal.write(QuestionReport.text(end: endpoint, towardTarget: towardTarget, answers))
        case .json: Terminal.write(QuestionReport.json(end: endpoint, towardTarget: towardTarget, answers).serialized(pretty: true) + "\n")
        }
    }
}

struct WhoCanReach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can-reach",
        abstract: "Every source that can open a connection to TARGET, with the protocols and ports that get through.",
        discussion: "Exactly the verdicts 'reach' gives per source. Exit 0 on success (even when nothing reaches), 2 input error.")
    @OptionGroup var options: QuestionOptions
    func run() throws { try options.run(towardTarget: true) }
}

struct ReachableFrom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reachable-from",
        abstract: "Every destination SOURCE can open a connection to, with the protocols and ports that get through.",
        discussion: "Exactly the verdicts 'reach' gives per destination. Exit 0 on success (even when nothing is reached), 2 input error.")
    @OptionGroup var options: QuestionOptions
    func run() throws { try options.run(towardTarget: false) }
}
