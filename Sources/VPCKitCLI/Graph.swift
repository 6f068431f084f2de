import ArgumentParser
import Diagrams
import FileIO
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
            beside it (hovering a hop highlights its node). Exit 0 drawn, 2 usage or input error (and when 'dot' is missing for svg/png).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case dot, mermaid, svg, png, html }
    enum Detail: String, ExpressibleByArgument, CaseIterable, Sendable { case vpc, subnet, interface }

    @Argument(help: "A topology (.vpc, AWS or Terraform JSON, a folder).") var file: String
    @Option(help: "Output format.") var format: Format = .dot
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout (whole or not at all).") var output: String?
    @Option(help: "How much to draw (default: by size).") var detail: Detail?
    @Option(help: "Draw this VPC or transit gateway (name or AWS id) and what it connects to.") var focus: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Draw reach's answer for FROM TO TRAFFIC.", valueName: "FROM TO TRAFFIC"))
    var path: [String] = []
    @OptionGroup var edges: EdgeOptions

    func run() throws {
        if !path.isEmpty && path.count != 3 {
            Terminal.writeError("error: --path takes three values: FROM TO TRAFFIC (e.g. --path app-1 db-1 tcp/5432)")
            throw ExitCode(2)
        }
        // Find `dot` before any work: a missing Graphviz is a usage error, said at once.
        var dotProgram: String? = nil
        if format == .svg || format == .png || format == .html {
            guard let found = ExternalProgram.find("dot", searchPath: ExternalProgram.searchPath) else {
                Terminal.writeError("error: --format \(format.rawValue) needs Graphviz's 'dot' program, which is not on PATH; install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use --format dot or mermaid")
                throw ExitCode(2)
            }
            dotProgram = found
        }
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        // The data plane is compiled only to answer --path; a drawing needs the resolved topology alone.
        let compiled = path.count == 3 ? CompiledTopology(loaded.topology) : nil
        let resolved = compiled?.resolved ?? TopologyResolver.resolve(loaded.topology)
        var diagram: Diagram
        switch DiagramBuilder.build(resolved, detail: detail.map { DiagramDetail(rawValue: $0.rawValue) ?? .subnet },
                                    focus: focus) {
        case .success(let d): diagram = d
        case .failure(let e):
            Terminal.writeError("error: --focus: \(e)")
            throw ExitCode(2)
        }
        if let compiled {
            let verdict = try answer(compiled, from: path[0], to: path[1], traffic: path[2])
            diagram.overlay(verdict, files: compiled.topology.files)
        }
        let bytes: [UInt8]
        switch format {
        case .dot: bytes = Array(DOTRenderer.render(diagram).utf8)
        case .mermaid: bytes = Array(MermaidRenderer.render(diagram).utf8)
        case .svg, .png:
            bytes = try image(DOTRenderer.render(diagram), program: dotProgram ?? "dot", format: format.rawValue)
        case .html:
            let svg = try image(DOTRenderer.render(diagram), program: dotProgram ?? "dot", format: "svg")
            let heading = "vpckit graph " + file + (path.count == 3 ? " --path " + path.joined(separator: " ") : "")
            guard let page = HTMLRenderer.render(diagram, svg: String(decoding: svg, as: UTF8.self), heading: heading) else {
                Terminal.writeError("error: dot -Tsvg wrote no SVG")
                throw ExitCode(2)
            }
            bytes = Array(page.utf8)
        }
        if let output {
            try writeOutputFile(output, bytes)
        } else {
            Terminal.writeAll(fd: 1, bytes)
        }
    }

    /// `dot -TFORMAT` of `text`: its standard output, or exit 2 with its messages.
    func image(_ text: String, program: String, format: String) throws -> [UInt8] {
        let result: ExternalProgram.Output
        do throws(ExternalProgram.RunError) {
            result = try ExternalProgram.run(program, arguments: ["-T" + format], input: Array(text.utf8))
        } catch {
            Terminal.writeError("error: cannot run \(program): \(error)")
            throw ExitCode(2)
        }
        guard result.status == 0, !result.standardOutput.isEmpty else {
            let messages = String(decoding: result.standardError, as: UTF8.self)
            Terminal.writeError("error: \(program) -T\(format) failed (exit \(result.status))" + (messages.isEmpty ? "" : ": " + Diagnostic.escaped(messages)))
            throw ExitCode(2)
        }
        return result.standardOutput
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
