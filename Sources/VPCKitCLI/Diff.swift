#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Dispatch
import Diagrams
import Loading
import NetworkModel
import Reachability
import Reporting

/// `vpckit diff OLD NEW [PROTO[/PORTS]]` and `vpckit diff PLAN.json [PROTO[/PORTS]]`: the connections NEW opens
/// and closes compared to OLD (Docs/DIFF.md).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "The connections NEW opens and closes compared to OLD (or a Terraform plan's planned values compared to its prior state).",
        usage: "vpckit diff OLD NEW [PROTO[/PORTS]] [options]\nvpckit diff PLAN.json [PROTO[/PORTS]] [options]",
        discussion: """
            Every source × destination pair of both versions is compared (instances' interfaces, endpoints, the \
            internet and on-premises networks; a party is matched by its kind and name): opened = reachable in NEW \
            for every client port and not in OLD; closed = reachable in OLD and not, or only partly, in NEW (listed \
            with the client ports that still work). Entries group the sources and destinations that gain or lose \
            exactly the same ports. OLD and NEW may be .vpc files, AWS snapshots or Terraform JSON. --graph FILE \
            also draws NEW with the change coloured (.dot, .mmd, .svg, .png, .html); markdown embeds a Mermaid \
            drawing of the change (when it has at most 40 parties). Exit 0 when \
            nothing --fail-on names changed, 1 when something did, 2 on an input or usage error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json, github, sarif, markdown }
    enum FailOn: String, ExpressibleByArgument, CaseIterable, Sendable { case opened, closed, any, policy }

    @Argument(help: ArgumentHelp("OLD NEW (any topology form), or one Terraform plan (terraform show -json), then optionally the traffic: tcp, tcp/22, tcp/80,443,8000-8080, udp/53, icmp, icmp/8, all, 'proto 47' (default: every protocol).",
                                 valueName: "inputs"))
    var inputs: [String] = []
    @Option(help: "Output format: text, json, github (workflow annotations), sarif or markdown (a pull-request comment).")
    var format: Format = .text
    @Option(name: .customLong("fail-on"), help: "What makes the exit code 1: opened, closed, any (default) or policy (a policy violation NEW introduces).")
    var failOn: FailOn = .any
    @OptionGroup var connection: ConnectionOptions
    @Flag(name: .customLong("every-pair"), help: "Compare every source × destination pair, not only those the changes can affect (the reference; slow on large topologies).")
    var everyPair = false
    @Option(help: ArgumentHelp("Also draw NEW with what it opens (green) and closes (red) into FILE: .dot, .mmd, .svg, .png or .html.", valueName: "FILE"))
    var graph: String?
    @Option(name: .customLong("graph-format"), help: "The format of --graph's file (default: from its name).")
    var graphFormat: DiagramFormat?
    @OptionGroup var edges: EdgeOptions

    func run() throws {
        let (oldPath, newPath, trafficText) = try splitInputs()
        let traffic = try connection.questionTraffic(trafficText)
        if graph == nil && graphFormat != nil {
            Terminal.writeError("error: --graph-format needs --graph FILE")
            throw ExitCode(2)
        }
        let drawing = try graph.map { path in
            let f = try DiagramOutput.format(forFile: path, explicit: graphFormat)
            return (path: path, format: f, program: try DiagramOutput.graphviz(for: f, option: "--graph"))
        }
        let old: Topology, new: Topology
        if let newPath {
            let both = try DiffInputs.load([oldPath, newPath], edges: edges)
            for w in both[0].warnings + both[1].warnings { Terminal.writeError(w.rendered) }
            old = both[0].topology
            new = both[1].topology
        } else {
            guard try TopologyInput.kind(of: oldPath, messages: Terminal.writeError) == .terraform else {
                Terminal.writeError("\(Diagnostic.escaped(oldPath)): error: diff with one input compares a Terraform plan's prior state with its planned values: expected the output of 'terraform show -json PLAN' (or give OLD and NEW)")
                throw ExitCode(2)
            }
            let sides = try ImportInput.terraformPlanSides(oldPath, messages: Terminal.writeError)
            old = try withEdges(sides.prior.topology)
            new = try withEdges(sides.planned.topology)
        }
        let (compiledOld, compiledNew) = DiffInputs.compile(old, new)
        let diff = ConnectionDiff.compare(old: compiledOld, new: compiledNew, traffic: traffic,
                                          mode: everyPair ? .full : .restricted)
        let file = newPath ?? oldPath
        if let drawing {
            // NEW drawn with this answer's entries (the same typed value every format below prints), written first.
            var diagram = try DiagramOutput.diagram(compiledNew.resolved, option: "--graph")
            diagram.overlay(diff)
            let heading = "vpckit diff " + inputs.joined(separator: " ")
            try writeOutputFile(drawing.path, try DiagramOutput.render(diagram, format: drawing.format, program: drawing.program, heading: heading))
        }
        switch format {
        case .text: Terminal.write(DiffReport.text(diff))
        case .json: Terminal.write(DiffReport.json(diff).serialized(pretty: true) + "\n")
        case .github: Terminal.write(DiffReport.github(diff, file: file == "-" ? nil : file))
        case .sarif:
            Terminal.write(DiffReport.sarif(diff, file: file == "-" ? nil : file, toolVersion: VPCKit.configuration.version).serialized(pretty: true) + "\n")
        case .markdown: Terminal.write(DiffReport.markdown(diff) + ChangeDiagram.markdownSection(diff))
        }
        let failed = switch failOn {
        case .opened: !diff.opened.isEmpty
        case .closed: !diff.closed.isEmpty
        case .any: !diff.isEmpty || !diff.policy.introduced.isEmpty
        case .policy: !diff.policy.introduced.isEmpty
        }
        if failed { throw ExitCode(1) }
    }

    /// OLD NEW [TRAFFIC] or PLAN [TRAFFIC]: two inputs are a plan and its traffic when the second reads as
    /// traffic and names no file.
    func splitInputs() throws -> (old: String, new: String?, traffic: String?) {
        switch inputs.count {
        case 1: return (inputs[0], nil, nil)
        case 2:
            if QuestionTraffic(parsing: inputs[1]) != nil && access(inputs[1], F_OK) != 0 { return (inputs[0], nil, inputs[1]) }
            return (inputs[0], inputs[1], nil)
        case 3: return (inputs[0], inputs[1], inputs[2])
        default:
            Terminal.writeError("error: diff takes OLD NEW [PROTO[/PORTS]] or PLAN.json [PROTO[/PORTS]] (got \(inputs.count) argument\(inputs.count == 1 ? "" : "s"))\n"
                                + "usage: vpckit diff OLD NEW [PROTO[/PORTS]] [options]")
            throw ExitCode(2)
        }
    }

    /// `topology` with `--onprem` and `--assume-tunnels-up` applied (as ``loadTopology(_:edges:reportErrors:)``
    /// applies them to a loaded file).
    func withEdges(_ topology: Topology) throws -> Topology {
        var t = topology
        try edges.apply(to: &t)
        return t
    }
}

/// OLD and NEW read, then compiled, two at a time (one per core: the two loads were ≈ 1.2 s of a 1.4 s
/// `diff` on the benchmark topology, Docs/PERFORMANCE.md "Issue 19: diff"). Each side's messages are kept and
/// printed afterwards in the order a sequential load prints them — OLD's, then NEW's — and an input error is thrown
/// where that load would throw it (OLD's before NEW's messages are printed). Standard input (`-`) is read alone.
enum DiffInputs {
    /// One side's load: written by exactly one worker, read after `concurrentPerform` returns.
    final class Side: @unchecked Sendable {
        // @unchecked: each worker touches only its own `Side`, and the caller reads them after the workers end
        // (`concurrentPerform` returning orders the writes before the reads).
        let path: String
        var messages: [String] = []
        var result: Result<LoadedTopology, InputError>?
        init(_ path: String) { self.path = path }
    }

    /// The topologies at `paths`, with the edge options applied, as ``loadTopology(_:edges:reportErrors:)`` loads
    /// each.
    static func load(_ paths: [String], edges: EdgeOptions) throws -> [LoadedTopology] {
        if paths.contains("-") { return try paths.map { try loadTopology($0, edges: edges) } }
        let sides = paths.map(Side.init)
        for side in sides { ProcessLifetime.prepareForInput(side.path) }
        DispatchQueue.concurrentPerform(iterations: sides.count) { i in
            let side = sides[i]
            do throws(InputError) {
                side.result = .success(try TopologyInput.load(side.path, messages: { side.messages.append($0) }))
            } catch {
                side.result = .failure(error)
            }
        }
        var out: [LoadedTopology] = []
        for side in sides {
            for m in side.messages { Terminal.writeError(m) }
            guard let result = side.result else { throw InputError() }
            var loaded = try result.get()
            try edges.apply(to: &loaded.topology)
            out.append(loaded)
        }
        return out
    }

    /// One compiled side, as ``Side``.
    final class Compiled: @unchecked Sendable {
        // @unchecked: as ``Side``.
        let topology: Topology
        var value: CompiledTopology?
        init(_ topology: Topology) { self.topology = topology }
    }

    /// Both topologies compiled at once.
    static func compile(_ old: Topology, _ new: Topology) -> (CompiledTopology, CompiledTopology) {
        let sides = [Compiled(old), Compiled(new)]
        DispatchQueue.concurrentPerform(iterations: 2) { i in sides[i].value = CompiledTopology(sides[i].topology) }
        return (sides[0].value ?? CompiledTopology(old), sides[1].value ?? CompiledTopology(new))
    }
}
