import IPAddressing
import NetworkModel
import Reporting

/// VPC routing rules: targets that are missing, foreign, blackholed or unable to forward; NAT gateways and
/// public subnets without an internet route; peerings without a way back; prefix lists that disagree.
enum RoutingRules {
    static func run(_ context: inout LintContext) {
        let routing = context.routing
        for (v, vpc) in context.topology.vpcs.enumerated() {
            for table in vpc.routeTables {
                for route in table.routes { target(route, table: table, vpc: v, routing, &context) }
                prefixListConflicts(table, &context)
            }
            for subnet in vpc.subnets where subnet.mapPublicIP {
                context.report(LintCatalogue.subnetMapPublicIP, at: subnet.location,
                               "subnet '\(subnet.name)' gives every instance launched in it a public IPv4 address")
                let table = context.index.routeTable(for: subnet.name)
                if !context.index.hasRouteToInternetGateway(table, vpc: v) {
                    let why = vpc.internetGateway == nil ? "VPC '\(vpc.name)' has no internet gateway"
                        : "its route table\(table.map { " '\($0.name)'" } ?? "") sends no internet destination to '\(vpc.internetGateway?.name ?? "")'"
                    context.report(LintCatalogue.subnetMapPublicIPNoIGWRoute, at: subnet.location,
                                   "subnet '\(subnet.name)' assigns public IPv4 addresses but \(why): the addresses are unusable")
                }
            }
            for nat in vpc.natGateways {
                guard case .public = nat.connectivity else { continue }
                let table = context.index.routeTable(for: nat.subnet)
                if !context.index.hasRouteToInternetGateway(table, vpc: v) {
                    let why = vpc.internetGateway == nil ? "VPC '\(vpc.name)' has no internet gateway"
                        : "the route table\(table.map { " '\($0.name)'" } ?? "") of its subnet '\(nat.subnet)' sends no internet destination to '\(vpc.internetGateway?.name ?? "")'"
                    context.report(LintCatalogue.natGatewayNoIGWRoute, at: nat.location,
                                   "public NAT gateway '\(nat.name)' cannot reach the internet: \(why)",
                                   related: table.map { [($0.location, "route table of subnet '\(nat.subnet)'")] } ?? [])
                }
            }
        }
    }

    static func place(_ route: Route, in table: RouteTable) -> SourceLocation {
        route.location.isKnown ? route.location : table.location
    }

    /// All names a route may target, for "did you mean".
    static func targetNames(_ index: TopologyIndex) -> [String] {
        var names: [String] = []
        for vpc in index.topology.vpcs {
            if let g = vpc.internetGateway { names.append(g.name) }
            if let g = vpc.egressOnlyGateway { names.append(g.name) }
            names += vpc.natGateways.map(\.name) + vpc.instances.map(\.name)
        }
        return names + index.topology.peerings.map(\.name) + index.topology.transitGateways.map(\.name)
    }

    static func target(_ route: Route, table: RouteTable, vpc v: Int, _ routing: RoutingView, _ context: inout LintContext) {
        let index = context.index
        let vpc = index.topology.vpcs[v]
        let at = place(route, in: table)
        let line = "route \(route.destination) -> \(route.target)"
        func foreign(_ what: String, _ owner: Int) {
            context.report(LintCatalogue.routeTargetOtherVPC, at: at,
                           "'\(line)' in table '\(table.name)' of VPC '\(vpc.name)' points to \(what) of VPC '\(index.topology.vpcs[owner].name)'")
        }
        switch route.target {
        // A target outside the model is not a blackhole: nothing to say about it (and never "delete it").
        case .local, .unmodelled: return
        case .blackhole:
            context.report(LintCatalogue.routeBlackhole, at: at,
                           "route \(route.destination) in table '\(table.name)' is a blackhole: matching traffic is dropped (no fallback to a shorter route)")
        case .named(let name):
            switch index.target(name) {
            case .unknown:
                let hint = Suggest.closest(to: name, in: targetNames(index)).map { "did you mean '\($0)'?" }
                context.report(LintCatalogue.routeTargetMissing, at: at,
                               "'\(line)' in table '\(table.name)': no gateway, NAT gateway, peering, transit gateway or instance is named '\(name)'",
                               hint: hint)
            case .internetGateway(let w) where w != v: foreign("internet gateway '\(name)'", w)
            case .egressOnlyGateway(let w) where w != v: foreign("egress-only gateway '\(name)'", w)
            case .natGateway(let w, _) where w != v: foreign("NAT gateway '\(name)'", w)
            case .interface(let w, let instance, _) where w != v: foreign("instance '\(instance.name)'", w)
            case .interface(_, let instance, let interface):
                if interface.sourceDestCheck {
                    context.report(LintCatalogue.routeTargetSourceDestCheck, at: at,
                                   "'\(line)' forwards to '\(instance.displayName(of: interface))', whose source/destination check is on: it drops the forwarded packets",
                                   hint: "add 'source-dest-check off' to '\(instance.displayName(of: interface))'",
                                   related: [(interface.location.isKnown ? interface.location : instance.location, "interface declared here")])
                }
            case .peering(let peering):
                guard let a = index.vpcIndex[peering.requester], let b = index.vpcIndex[peering.accepter] else { return }
                guard a == v || b == v else {
                    context.report(LintCatalogue.routeTargetOtherVPC, at: at,
                                   "'\(line)' in table '\(table.name)' of VPC '\(vpc.name)' points to peering '\(peering.name)', which joins '\(peering.requester)' and '\(peering.accepter)'")
                    return
                }
                returnRoute(route, table: table, vpc: v, peer: a == v ? b : a, peering: peering, routing, &context)
            case .transitGateway(let t):
                let tgw = index.topology.transitGateways[t]
                if !tgw.attachments.contains(where: { $0.vpc == vpc.name }) {
                    context.report(LintCatalogue.routeTargetOtherVPC, at: at,
                                   "'\(line)' in table '\(table.name)' points to transit gateway '\(tgw.name)', which has no attachment in VPC '\(vpc.name)'",
                                   hint: "attach VPC '\(vpc.name)' to '\(tgw.name)'")
                }
            default: return
            }
        }
    }

    /// For a route `D -> peering` in a table used by subnets of VPC `v`: every peer subnet inside `D` must route
    /// each of those subnets back through the same peering.
    static func returnRoute(_ route: Route, table: RouteTable, vpc v: Int, peer w: Int, peering: Peering,
                            _ routing: RoutingView, _ context: inout LintContext) {
        let index = context.index
        let sources = index.subnets(using: table, inVPC: v)
        let destinations = index.prefixes(of: route.destination)
        let peerSubnets = index.topology.vpcs[w].subnets.filter { s in destinations.contains { $0.overlaps(.v4(s.cidr)) } }
        var missing: [(Subnet, Subnet, String, RouteTable?)] = []
        for far in peerSubnets {
            let farTable = index.routeTable(for: far.name)
            for near in sources {
                let chosen = routing.route(fromSubnet: far.name, to: near.cidr.network)
                if let chosen, routing.peeringName(of: chosen) == peering.name { continue }
                // A reply through a transit gateway is asymmetric but still arrives (AWS has no reverse-path
                // check); the TGW's own tables are the TGW rules' business.
                if case .transitGateway? = chosen?.target { continue }
                let got = chosen.map { "sends through '\($0.text)'" } ?? "has no route for"
                missing.append((near, far, got, farTable))
            }
        }
        guard let (near, far, got, farTable) = missing.first else { return }
        let more = missing.count > 1 ? " (and \(missing.count - 1) more subnet pair\(missing.count == 2 ? "" : "s"))" : ""
        context.report(LintCatalogue.peeringNoReturnRoute, at: place(route, in: table),
                       "'route \(route.destination) -> \(peering.name)' has no way back: subnet '\(far.name)' of VPC '\(index.topology.vpcs[w].name)' \(got) \(near.cidr) (subnet '\(near.name)')\(more)",
                       hint: "in VPC '\(index.topology.vpcs[w].name)', add 'route \(near.cidr) -> \(peering.name)' (or a covering block) to \(farTable.map { "table '\($0.name)'" } ?? "the table of '\(far.name)'")",
                       related: farTable.map { [($0.location, "route table of subnet '\(far.name)'")] } ?? [])
    }

    /// Two prefix-list routes whose lists share a prefix, with different targets (and no CIDR route for it).
    static func prefixListConflicts(_ table: RouteTable, _ context: inout LintContext) {
        let index = context.index
        let cidrRoutes = Set(table.routes.compactMap { r -> IPPrefix? in if case .cidr(let p) = r.destination { p } else { nil } })
        let listRoutes = table.routes.filter(\.destination.isPrefixList)
        for (j, later) in listRoutes.enumerated() {
            for earlier in listRoutes[..<j] where earlier.target != later.target {
                let shared = Set(index.prefixes(of: earlier.destination)).intersection(index.prefixes(of: later.destination))
                    .subtracting(cidrRoutes).sorted()
                guard !shared.isEmpty else { continue }
                context.report(LintCatalogue.prefixListRouteConflict, at: place(later, in: table),
                               "table '\(table.name)': \(shared.map(\.description).joined(separator: ", ")) is in both \(earlier.destination) (-> \(earlier.target)) and \(later.destination) (-> \(later.target)); AWS picks one target at random",
                               related: [(place(earlier, in: table), "'route \(earlier.destination) -> \(earlier.target)'")])
            }
        }
    }
}
