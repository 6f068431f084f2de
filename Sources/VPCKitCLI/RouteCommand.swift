import ArgumentParser
import IPAddressing
import NetworkModel
import Reachability
import Reporting

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show the route a subnet uses for an address.",
        discussion: "Prints the route table used, the matching route and the other candidate routes with why they lost. Exit 0 when a route matches, 1 when none does, 2 on input errors.")

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

    @Argument(help: "Topology (.vpc file).") var file: String
    @Argument(help: "Subnet name or id.") var subnet: String
    @Argument(help: "Destination IP address.") var ip: String
    @Option(help: "Output format.") var format: Format = .text

    func run() throws {
        let loaded = try loadTopology(file)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        guard let s = compiled.subnetIndex(named: subnet) else {
            Terminal.writeError("error: unknown subnet '\(subnet)'")
            throw ExitCode(2)
        }
        guard let address = try? IPAddress(ip) else {
            Terminal.writeError("error: '\(ip)' is not an IP address")
            throw ExitCode(2)
        }
        let d = compiled.routeDecision(subnet: s, address: address)
        let table = compiled.routeTables[Int(d.routeTable)]
        func where_(_ r: CompiledRoute) -> String {
            if let l = r.location, l.line > 0 { return " (\(l))" }
            return r.origin == .local ? " (implicit)" : ""
        }
        switch format {
        case .text:
            var out = "subnet \(subnet) uses route table \(table.name)\(d.isMainTable ? " (main)" : "")\n"
            if d.isWithinSubnet { out += "note: \(ip) is inside subnet \(subnet): delivered on the subnet, no route lookup\n" }
            if let c = d.chosen {
                out += "match: \(c.prefix) -> \(targetText(compiled, c)) [\(c.origin)] \(c.text)\(where_(c))\n"
                if case .unmodelled(let id) = c.target {
                    out += "note: \(id) is not modelled: VPCKit cannot tell what happens beyond it (UNSUPPORTED_COMPONENT)\n"
                }
            } else {
                out += "match: none: no route for \(ip) (NO_ROUTE_TO_DESTINATION)\n"
            }
            let losers = d.candidates.filter { $0.lostBecause != nil }
            if !losers.isEmpty {
                out += "other candidates:\n"
                for c in losers {
                    out += "  \(c.route.prefix) -> \(targetText(compiled, c.route)) [\(c.route.origin)]\(where_(c.route)): \(c.lostBecause ?? "")\n"
                }
            }
            Terminal.write(out)
        case .json:
            func routeJSON(_ r: CompiledRoute) -> JSONValue {
                .object([("prefix", .string(r.prefix.description)), ("target", .string(targetText(compiled, r))),
                         ("origin", .string(r.origin.description)), ("text", .string(r.text)),
                         ("location", r.location.flatMap { $0.line > 0 ? .string($0.description) : nil } ?? .null)])
            }
            let json = JSONValue.object([
                ("subnet", .string(subnet)), ("address", .string(ip)), ("routeTable", .string(table.name)),
                ("main", .bool(d.isMainTable)), ("withinSubnet", .bool(d.isWithinSubnet)),
                ("match", d.chosen.map(routeJSON) ?? .null),
                ("candidates", .array(d.candidates.filter { $0.lostBecause != nil }.map { c in
                    .object([("route", routeJSON(c.route)), ("lostBecause", .string(c.lostBecause ?? "")),
                             ("code", c.code.map { .string($0.rawValue) } ?? .null)])
                })),
            ])
            Terminal.write(json.serialized(pretty: true) + "\n")
        }
        if d.chosen == nil && !d.isWithinSubnet { throw ExitCode(1) }
    }

    func targetText(_ c: CompiledTopology, _ r: CompiledRoute) -> String {
        switch r.target {
        case .local: "local"
        case .blackhole: "blackhole"
        case .internetGateway: c.vpcs[Int(c.routeTables.first { $0.routes.contains(r) }?.vpc ?? 0)].internetGateway?.name ?? "igw"
        case .egressOnlyGateway: "egress-only gateway"
        case .natGateway(let i), .interface(let i): c.interfaces[Int(i)].name
        case .peering(let p): c.peerings[Int(p)].name
        case .transitGateway(let t): c.transitGateways[Int(t)].name
        case .unresolved(let n): "\(n) (unresolved)"
        case .unmodelled(let id): "unmodelled \(id)"
        }
    }
}
