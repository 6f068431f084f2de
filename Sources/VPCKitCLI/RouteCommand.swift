import ArgumentParser
import IPAddressing
import NetworkModel
import Reachability
import Reporting

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Show the route a subnet (or a transit gateway route table) uses for an address.",
        discussion: "Prints the route table used, the matching route and the other candidate routes with why they lost. Exit 0 when a route matches, 1 when none does, 2 on input errors.")

    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable { case text, json }

    @Argument(help: "Topology (.vpc file).") var file: String
    @Argument(help: "Subnet name or id (or a transit gateway route table's name or id).") var subnet: String
    @Argument(help: "Destination IP address.") var ip: String
    @Option(help: "Output format.") var format: Format = .text

    @OptionGroup var edges: EdgeOptions

    func run() throws {
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let compiled = CompiledTopology(loaded.topology)
        guard let address = try? IPAddress(ip) else {
            Terminal.writeError("error: '\(Diagnostic.escaped(ip))' is not an IP address")
            throw ExitCode(2)
        }
        guard let s = compiled.subnet(named: subnet) else {
            guard let t = compiled.tgwRouteTable(named: subnet) else {
                Terminal.writeError("error: unknown subnet or transit gateway route table '\(Diagnostic.escaped(subnet))'")
                throw ExitCode(2)
            }
            let d = compiled.tgwRouteDecision(table: t, address: address)
            switch format {
            case .text: Terminal.write(compiled.tgwRouteReportText(d, address: ip))
            case .json: Terminal.write(compiled.tgwRouteReportJSON(d, address: ip).serialized(pretty: true) + "\n")
            }
            if d.chosen == nil { throw ExitCode(1) }
            return
        }
        let d = compiled.routeDecision(subnet: s, address: address)
        switch format {
        case .text: Terminal.write(compiled.routeReportText(d, subnet: subnet, address: ip))
        case .json: Terminal.write(compiled.routeReportJSON(d, subnet: subnet, address: ip).serialized(pretty: true) + "\n")
        }
        if d.chosen == nil && !d.isWithinSubnet { throw ExitCode(1) }
    }
}
