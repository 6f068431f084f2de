import ArgumentParser
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
            all, proto/47 (bare icmp/icmpv6: an echo request, type 8/128, code 0); without TRAFFIC, prints which protocols and destination port ranges get through.
            Exit 0 reachable, 1 not reachable, 2 input error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

    @Argument(help: "Topology (.vpc file).") var file: String
    @Argument(help: "Source endpoint.") var from: String
    @Argument(help: "Destination endpoint.") var to: String
    @Argument(help: "Protocol and port, e.g. tcp/443.") var traffic: String?
    @Option(help: "Output format.") var format: Format = .text
    @Option(name: .customLong("source-port"), help: "One client source port (default: any of 1024-65535).")
    var sourcePort: UInt16?
    @Flag(name: .customLong("one-way"), help: "The request direction only, as a traceroute sees it (no reply check).")
    var oneWay = false

    func run() throws {
        let loaded = try loadTopology(file)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        let source = try resolve(compiled, from, side: .source)
        let destination = try resolve(compiled, to, side: .destination)
        guard let traffic else {
            try openPorts(compiled, source, destination)
            return
        }
        guard let spec = ReachOutput.parseTraffic(traffic) else {
            Terminal.writeError("error: bad traffic '\(traffic)': expected tcp/PORT, udp/PORT, icmp, icmp/TYPE, icmpv6, icmpv6/TYPE, all or proto/N")
            throw ExitCode(2)
        }
        let verdict: Verdict
        switch compiled.reach(from: source, to: destination, traffic: spec, sourcePort: sourcePort, oneWay: oneWay) {
        case .success(let v): verdict = v
        case .failure(let e):
            Terminal.writeError("error: \(e)")
            throw ExitCode(2)
        }
        switch format {
        case .text:
            Terminal.write(ReachOutput.text(verdict, query: "\(from) -> \(to) \(spec)\(oneWay ? " (one way)" : "")"))
        case .json:
            var json = ReachOutput.json(verdict, from: from, to: to, traffic: spec.description)
            if case .object(var fields) = json { fields.insert(("oneWay", .bool(oneWay)), at: 3); json = .object(fields) }
            Terminal.write(json.serialized(pretty: true) + "\n")
        }
        if !verdict.isReachable { throw ExitCode(1) }
    }

    func resolve(_ compiled: CompiledTopology, _ text: String, side: InternetAnswer.Side) throws -> QueryEndpoint {
        switch compiled.resolveQuery(text, side: side) {
        case .success(let e): return e
        case .failure(let e):
            Terminal.writeError("error: \(e)")
            throw ExitCode(2)
        }
    }

    func openPorts(_ compiled: CompiledTopology, _ source: QueryEndpoint, _ destination: QueryEndpoint) throws {
        let requested = sourcePort.map { PortSet(port: $0) } ?? .ephemeral
        let results: [CompiledTopology.OpenPortsAnswer]
        switch compiled.openPorts(from: source, to: destination, sourcePorts: requested) {
        case .success(let r): results = r
        case .failure(let e):
            Terminal.writeError("error: \(e)")
            throw ExitCode(2)
        }
        let any = results.contains { $0.verdict.isReachable }
        switch format {
        case .text:
            var s = "\(from) -> \(to): \(any ? "reachable" : "not reachable")\n"
            for r in results {
                if r.verdict.isReachable {
                    let ports = r.traffic.hasPrefix("icmp") ? "" : " ports \(r.ports)"
                    s += "  \(r.traffic)\(ports): reachable (client source ports \(r.verdict.workingSourcePorts))\n"
                    // Which internet addresses get which ports.
                    for line in r.addressLines { s += "    \(line)\n" }
                } else if let e = r.verdict.explanation {
                    s += "  \(r.traffic): not reachable: \(e.code.rawValue) at \(e.component) (\(e.direction.rawValue) path)\n"
                }
            }
            Terminal.write(s)
        case .json:
            let json = JSONValue.object([
                ("source", .string(from)), ("destination", .string(to)), ("reachable", .bool(any)),
                ("protocols", .array(results.map { r in
                    var fields: [(String, JSONValue)] = [
                        ("protocol", .string(r.traffic)), ("reachable", .bool(r.verdict.isReachable)),
                        ("destinationPorts", ReachOutput.json(r.ports)),
                        ("workingSourcePorts", ReachOutput.json(r.verdict.workingSourcePorts)),
                        ("explanation", r.verdict.explanation.map { .string($0.description) } ?? .null)]
                    if let internet = r.verdict.internet {
                        fields += ReachOutput.internetFields(internet)
                        fields.append(("portsByAddresses", .array(r.byAddresses.map { g in
                            .object([("destinationPorts", ReachOutput.json(g.ports)),
                                     ("addresses", .array(g.addresses.map { .string($0.description) }))])
                        })))
                    }
                    return .object(fields)
                })),
            ])
            Terminal.write(json.serialized(pretty: true) + "\n")
        }
        if !any { throw ExitCode(1) }
    }
}
