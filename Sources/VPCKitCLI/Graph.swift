import ArgumentParser
import Diagrams
import FileIO
import Lint
import NetworkModel
import Reachability
import Reporting

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the network (DOT, Mermaid, SVG, PNG, HTML), optionally with a path and where it is blocked.",
        discussion: """
            VPCs are clusters with their availability zones and subnets (CIDR, route table, NACL), instances at \
            interface detail; gateways, endpoints, peerings, transit gateways (attachments, route tables), VPN and \
            Direct Connect edges, on-premises networks and the internet around them. --detail defaults by size: \
            interface up to 40 interfaces and 150 subnets, subnet up to 150 subnets, else vpc.
            --focus NAME draws one VPC (or transit gateway) and what it connects to. --path FROM TO TRAFFIC draws \
            the answer of 'vpckit reach TOPOLOGY FROM TO TRAFFIC': its hops numbered in order, the blocking \
            component with its rule and explanation code.
            svg, png and html run Graphviz's 'dot' program (found on PATH; apt-get install graphviz); dot and \
            mermaid need nothing. html is one self-contained page: the SVG inline and, with --path, the hop table \
            beside it (hovering a hop highlights its node). --diff OLD colours what the topology opens (green) and \
            closes (red) compared to OLD ('vpckit diff OLD TOPOLOGY'); --lint marks lint's findings on their \
            components (html: listed beside the diagram, each linked to its node). Exit 0 drawn, 2 usage or input error (and when 'dot' is missing for svg/png).
            """)

    typealias Format = DiagramFormat
    enum Detail: String, ExpressibleByArgument, CaseIterable, Sendable { case vpc, subnet, interface }

    @Argument(help: "A topology (.vpc, AWS or Terraform JSON, a folder).") var file: String
    @Option(help: "Output format.") var format: Format = .dot
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout (whole or not at all).") var output: String?
    @Option(help: "How much to draw (default: by size).") var detail: Detail?
    @Option(help: "Draw this VPC or transit gateway (name or AWS id) and what it connects to.") var focus: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Draw reach's answer for FROM TO TRAFFIC.", valueName: "FROM TO TRAFFIC"))
    var path: [String] = []
    @Option(help: ArgumentHelp("Colour what the topology opens (green) and closes (red) compared to OLD, as 'vpckit diff OLD TOPOLOGY' answers.", valueName: "OLD"))
    var diff: String?
    @Flag(help: "Run 'vpckit lint' (default rules, warnings and errors) and mark each finding on the component it is at; html lists them beside the diagram.")
    var lint = false
    @OptionGroup var edges: EdgeOptions

    func run() throws {
        if !path.isEmpty && path.count != 3 {
            Terminal.writeError("error: --path takes three values: FROM TO TRAFFIC (e.g. --path app-1 db-1 tcp/5432)")
            throw ExitCode(2)
        }
        // Find `dot` before any work: a missing Graphviz is a usage error, said at once.
        let dotProgram = try DiagramOutput.graphviz(for: format)
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let old = try diff.map { try loadTopology($0, edges: edges) }
        for w in old?.warnings ?? [] { Terminal.writeError(w.rendered) }
        // The data plane is compiled only to answer --path or --diff; a drawing needs the resolved topology alone.
        let compiled = path.count == 3 || old != nil ? CompiledTopology(loaded.topology) : nil
        let resolved = compiled?.resolved ?? TopologyResolver.resolve(loaded.topology)
        var diagram = try DiagramOutput.diagram(resolved, detail: detail.map { DiagramDetail(rawValue: $0.rawValue) ?? .subnet },
                                                focus: focus, option: "--focus")
        if let compiled, path.count == 3 {
            let verdict = try answer(compiled, from: path[0], to: path[1], traffic: path[2])
            diagram.overlay(verdict, files: compiled.topology.files)
        }
        if let compiled, let old {
            let change = ConnectionDiff.compare(old: CompiledTopology(old.topology), new: compiled,
                                                traffic: QuestionTraffic(sourcePorts: .ephemeral, oneWay: false), mode: .restricted)
            diagram.overlay(change)
        }
        if lint {
            let sources = loaded.source.map { [$0] } ?? []
            var findings = Linter.lint(loaded.topology, options: LintOptions(minimumSeverity: .warning), sources: sources)
            _ = Linter.applySuppressions(&findings, sources: sources, options: LintOptions(minimumSeverity: .warning))
            diagram.overlay(findings: findings.filter { !$0.isSuppressed }, topology: loaded.topology)
        }
        var heading = "vpckit graph " + file
        if path.count == 3 { heading += " --path " + path.joined(separator: " ") }
        if let diff { heading += " --diff " + diff }
        if lint { heading += " --lint" }
        let bytes = try DiagramOutput.render(diagram, format: format, program: dotProgram, heading: heading)
        if let output {
            try writeOutputFile(output, bytes)
        } else {
            Terminal.writeAll(fd: 1, bytes)
        }
    }

    /// reach's answer for the path, as `vpckit reach` computes it (exit 2 on a bad endpoint or traffic).
    func answer(_ compiled: CompiledTopology, from: String, to: String, traffic: String) throws -> Verdict {
        func endpoint(_ text: String, _ side: InternetAnswer.Side) throws -> QueryEndpoint {
            switch compiled.resolveQuery(text, side: side) {
            case .success(let e): return e
            case .failure(let e):
                Terminal.writeError("error: --path: \(e)")
                throw ExitCode(2)
            }
        }
        let source = try endpoint(from, .source), destination = try endpoint(to, .destination)
        guard let spec = ReachOutput.parseTraffic(traffic), !(spec.ipProtocol.hasPorts && spec.port == 0) else {
            Terminal.writeError("error: --path: bad traffic '\(Diagnostic.escaped(traffic))': expected tcp/PORT (1-65535), udp/PORT, icmp, icmp/TYPE, icmpv6, icmpv6/TYPE, all or 'proto N'")
            throw ExitCode(2)
        }
        switch compiled.reach(from: source, to: destination, traffic: spec, sourcePorts: .ephemeral, oneWay: false) {
        case .success(let v): return v
        case .failure(let e):
            Terminal.writeError("error: --path: \(e)")
            throw ExitCode(2)
        }
    }
}
