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
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var edges: EdgeOptions

    @Option(name: .customLong("why"),
            help: ArgumentHelp("Print the path ('reach' text or JSON) from this source (who-can-reach) or to this destination (reachable-from) instead of the list: for the first protocol and port that gets through, or where it is blocked.",
                               valueName: "PARTY"))
    var why: String?

    /// Loads, resolves and answers; prints the answer grouped (text) or every party (JSON), or with `--why` the
    /// path of one pair.
    func run(towardTarget: Bool) throws {
        let traffic = try connection.questionTraffic(self.traffic)
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        let end = try resolveParty(compiled, endpoint, side: towardTarget ? .destination : .source)
        if let why {
            let other = try resolveParty(compiled, why, side: towardTarget ? .source : .destination)
            try explain(compiled, from: towardTarget ? (why, other) : (endpoint, end), to: towardTarget ? (endpoint, end) : (why, other),
                        traffic: traffic)
            return
        }
        let answers = towardTarget ? compiled.whoCanReach(end, traffic: traffic) : compiled.reachableFrom(end, traffic: traffic)
        switch format {
        case .text:
            Terminal.write(QuestionReport.text(end: endpoint, towardTarget: towardTarget, answers, groups: compiled.answerGroups(answers, end: end)))
        case .json: Terminal.write(QuestionReport.json(end: endpoint, towardTarget: towardTarget, answers).serialized(pretty: true) + "\n")
        }
    }

    /// `--why`: what the pair gets, then `reach`'s answer (text, or reach JSON) for the first protocol and port that
    /// gets through, else for the traffic asked about, where it is blocked.
    func explain(_ compiled: CompiledTopology, from: (name: String, end: QueryEndpoint), to: (name: String, end: QueryEndpoint),
                 traffic: QuestionTraffic) throws {
        let grants = compiled.connections(from: from.end, to: to.end, traffic: traffic)
        let spec = grants.whyTraffic(asked: traffic)
        let verdict: Verdict
        switch compiled.reach(from: from.end, to: to.end, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay) {
        case .success(let v): verdict = v
        case .failure(let e):
            Terminal.writeError("error: " + Diagnostic.escaped("\(e)"))
            throw ExitCode(2)
        }
        let blockers = compiled.blockers(for: verdict, from: from.end, to: to.end, traffic: spec, sourcePorts: traffic.sourcePorts,
                                         oneWay: traffic.oneWay)
        let clientPorts = ReachOutput.hasClientPorts(spec)
        switch format {
        case .text:
            let got = grants.isEmpty ? "nothing gets through (\(traffic))" : QuestionReport.grantsText(grants)
            Terminal.write("\(Diagnostic.escaped(from.name)) -> \(Diagnostic.escaped(to.name)): \(got)\n"
                + ReachOutput.text(verdict, query: "\(Diagnostic.escaped(from.name)) -> \(Diagnostic.escaped(to.name)) \(spec)\(traffic.oneWay ? " (one way)" : "")",
                                   blockers: blockers, clientPorts: clientPorts, files: compiled.topology.files))
        case .json:
            let json = ReachReport.json(verdict, from: from.name, to: to.name, traffic: spec.description, oneWay: traffic.oneWay,
                                        blockers: blockers, clientPorts: clientPorts, files: compiled.topology.files)
            Terminal.write(json.serialized(pretty: true) + "\n")
        }
    }
}

/// Resolves a question's endpoint; an unknown one is exit 2 with "did you mean" (the message escaped: the name is
/// the user's text).
func resolveParty(_ compiled: CompiledTopology, _ text: String, side: InternetAnswer.Side) throws -> QueryEndpoint {
    switch compiled.resolveQuery(text, side: side) {
    case .success(let e): return e
    case .failure(let e):
        Terminal.writeError("error: " + Diagnostic.escaped("\(e)"))
        throw ExitCode(2)
    }
}

struct WhoCanReach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "who-can-reach",
        abstract: "Every source that can open a connection to TARGET, with the protocols and ports that get through.",
        discussion: """
            Exactly the verdicts 'reach' gives per source. Text groups the sources that share an answer: a subnet \
            whose answering interfaces all get the same ('subnet app-a (12 interfaces): tcp/5432'; '2 of 3' when \
            some get nothing), else a security-group set, else a subnet and security-group set together, else one \
            line per source; the internet and each \
            on-premises network by themselves; partly reachable ports with the client ports that work. \
            --format json lists every source. --why SOURCE prints the path from SOURCE instead.
            Exit 0 on success (even when nothing reaches), 2 input error.
            """)
    @OptionGroup var options: QuestionOptions
    func run() throws { try options.run(towardTarget: true) }
}

struct ReachableFrom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reachable-from",
        abstract: "Every destination SOURCE can open a connection to, with the protocols and ports that get through.",
        discussion: """
            Exactly the verdicts 'reach' gives per destination, grouped in text as who-can-reach groups its sources \
            (interface endpoints by themselves); --format json lists every destination. --why DESTINATION prints \
            the path to DESTINATION instead.
            Exit 0 on success (even when nothing is reached), 2 input error.
            """)
    @OptionGroup var options: QuestionOptions
    func run() throws { try options.run(towardTarget: false) }
}
