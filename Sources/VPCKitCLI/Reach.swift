import ArgumentParser
import Diagrams
import NetworkModel
import Reachability
import Reporting

struct Reach: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach",
        abstract: "Can A reach B? The verdict, the path and the reason.",
        discussion: """
            FROM and TO: an instance, instance.interface, NAT gateway or subnet name, an AWS id (i-…, eni-…, \
            subnet-…), an IP address, 'internet' (every public address outside the topology: reachable when some \
            get through, and the answer says which), 'internet:CIDR' (those of one public block) or 'internet:IP'. TRAFFIC: tcp/443, udp/53, icmp/TYPE, icmpv6/TYPE, \
            all, 'proto 47' (bare icmp/icmpv6: an echo request, type 8/128, code 0); without TRAFFIC, prints which protocols and destination port ranges get through.
            TCP and UDP answers are reachable (every client port of the range works), partly reachable (some do: \
            the answer lists the ports that work, those that fail and the rule that stops them) or not reachable. \
            The client port range is 1024-65535 unless --client-ports narrows it (linux: 32768-60999, windows: \
            49152-65535, or LO-HI); --source-port asks about one port.
            A blocked answer lists every component that would block (in walk order), each with the smallest fix: \
            a statement of the language and the file:line where it goes.
            --graph FILE also draws the answer as 'vpckit graph TOPOLOGY --path FROM TO TRAFFIC' does (the same \
            trace): format from the file name (.dot, .mmd, .svg, .png, .html) or --graph-format; written whole or not at all.
            Exit 0 reachable, 1 partly reachable or not reachable, 2 input error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

    @Argument(help: "Topology (.vpc file).") var file: String
    @Argument(help: "Source endpoint.") var from: String
    @Argument(help: "Destination endpoint.") var to: String
    @Argument(help: "Protocol and port, e.g. tcp/443.") var traffic: String?
    @Option(help: "Output format.") var format: Format = .text
    @Option(help: ArgumentHelp("Also draw the answer into FILE (as 'vpckit graph --path'): .dot, .mmd, .svg, .png or .html.", valueName: "FILE"))
    var graph: String?
    @Option(name: .customLong("graph-format"), help: "The format of --graph's file (default: from its name).")
    var graphFormat: DiagramFormat?
    @OptionGroup var connection: ConnectionOptions
    var oneWay: Bool { connection.oneWay }

    @OptionGroup var edges: EdgeOptions

    func run() throws {
        // The options first, as every command with ConnectionOptions checks them: before reading the topology.
        let requested = try connection.requestedPorts()
        if graph != nil && traffic == nil {
            Terminal.writeError("error: --graph draws the answer for one TRAFFIC (e.g. tcp/443); give TRAFFIC")
            throw ExitCode(2)
        }
        if graph == nil && graphFormat != nil {
            Terminal.writeError("error: --graph-format needs --graph FILE")
            throw ExitCode(2)
        }
        let drawing = try graph.map { path in
            let f = try DiagramOutput.format(forFile: path, explicit: graphFormat)
            return (path: path, format: f, program: try DiagramOutput.graphviz(for: f, option: "--graph"))
        }
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        let source = try resolve(compiled, from, side: .source)
        let destination = try resolve(compiled, to, side: .destination)
        guard let traffic else {
            try openPorts(compiled, source, destination, requested)
            return
        }
        guard let spec = ReachOutput.parseTraffic(traffic) else {
            Terminal.writeError("error: bad traffic '\(traffic)': expected tcp/PORT, udp/PORT, icmp, icmp/TYPE, icmpv6, icmpv6/TYPE, all or 'proto N'")
            throw ExitCode(2)
        }
        if spec.ipProtocol.hasPorts, spec.port == 0 {
            // Port 0 is reserved: no TCP or UDP connection goes to it, so no answer about one would mean anything.
            Terminal.writeError("error: bad traffic '\(Diagnostic.escaped(traffic))': destination port 0 is reserved and never a TCP/UDP connection; give a port 1-65535, or the protocol alone for any port")
            throw ExitCode(2)
        }
        let verdict: Verdict
        switch compiled.reach(from: source, to: destination, traffic: spec, sourcePorts: requested, oneWay: oneWay) {
        case .success(let v): verdict = v
        case .failure(let e):
            Terminal.writeError("error: \(e)")
            throw ExitCode(2)
        }
        // Every component that blocks, each with its fix (empty when reachable).
        let blockers = compiled.blockers(for: verdict, from: source, to: destination, traffic: spec, sourcePorts: requested, oneWay: oneWay)
        let clientPorts = ReachOutput.hasClientPorts(spec)
        if let drawing {
            // The drawing of this verdict (the same typed trace as the answer printed below), written first:
            // a file that cannot be written is exit 2 before any answer.
            var diagram = try DiagramOutput.diagram(compiled.resolved, option: "--graph")
            diagram.overlay(verdict, files: compiled.topology.files)
            let bytes = try DiagramOutput.render(diagram, format: drawing.format, program: drawing.program,
                                                 heading: "vpckit reach \(file) \(from) \(to) \(traffic)")
            try writeOutputFile(drawing.path, bytes)
        }
        switch format {
        case .text:
            Terminal.write(ReachOutput.text(verdict, query: "\(from) -> \(to) \(spec)\(oneWay ? " (one way)" : "")",
                                            blockers: blockers, clientPorts: clientPorts, files: compiled.topology.files))
        case .json:
            let json = ReachReport.json(verdict, from: from, to: to, traffic: spec.description, oneWay: oneWay, blockers: blockers,
                                        clientPorts: clientPorts, files: compiled.topology.files)
            Terminal.write(json.serialized(pretty: true) + "\n")
        }
        if verdict.state != .reachable { throw ExitCode(1) }
    }

    func resolve(_ compiled: CompiledTopology, _ text: String, side: InternetAnswer.Side) throws -> QueryEndpoint {
        switch compiled.resolveQuery(text, side: side) {
        case .success(let e): return e
        case .failure(let e):
            Terminal.writeError("error: \(e)")
            throw ExitCode(2)
        }
    }

    func openPorts(_ compiled: CompiledTopology, _ source: QueryEndpoint, _ destination: QueryEndpoint,
                   _ requested: PortSet) throws {
        let results: [CompiledTopology.OpenPortsAnswer]
        switch compiled.openPorts(from: source, to: destination, sourcePorts: requested) {
        case .success(let r): results = r
        case .failure(let e):
            Terminal.writeError("error: \(e)")
            throw ExitCode(2)
        }
        // Reachable when one protocol is reachable for every client port; else partly when one is partly.
        let overall = CompiledTopology.OpenPortsAnswer.overallState(results)
        switch format {
        case .text:
            var s = "\(from) -> \(to): \(overall)\n"
            for r in results {
                let v = r.verdict
                let ports = r.traffic.hasPrefix("icmp") ? "" : " ports \(r.ports)"
                if v.state == .reachable {
                    // ICMP has no client ports.
                    s += "  \(r.traffic)\(ports): reachable" + (r.traffic.hasPrefix("icmp") ? "" : " (client source ports \(v.workingSourcePorts))") + "\n"
                    // Which internet addresses get which ports.
                    for line in r.addressLines { s += "    \(line)\n" }
                } else if v.state == .partlyReachable, let e = v.explanation {
                    s += "  \(r.traffic)\(ports): partly reachable (client source ports \(v.workingSourcePorts) of \(v.requestedSourcePorts)); "
                    s += "\(v.failingSourcePorts) fail: \(e.code.rawValue) at \(e.component) (\(e.direction.rawValue) path)\n"
                    for line in r.addressLines { s += "    \(line)\n" }
                } else if let e = v.explanation {
                    s += "  \(r.traffic): not reachable: \(e.code.rawValue) at \(e.component) (\(e.direction.rawValue) path)\n"
                }
                // To a load balancer: each listener of the protocol, its node and where it sends connections.
                for answer in v.listenerAnswers { for line in ReachMessages.lines(answer) { s += "    \(line)\n" } }
            }
            Terminal.write(s)
        case .json:
            let json = ReachReport.json(openPorts: results, from: from, to: to, requested: requested,
                                        files: compiled.topology.files)
            Terminal.write(json.serialized(pretty: true) + "\n")
        }
        if overall != .reachable { throw ExitCode(1) }
    }
}
