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
                               "subnet '\(subnet.name)' gives every instance launched in it a public IPv4 address",
                               fix: LintFix("remove 'map-public-ip' from subnet '\(subnet.name)' and give instances that need one a 'public-ip' address of their own",
                                            [.removeWord("map-public-ip", from: subnet.location)]))
                let table = context.index.routeTable(for: subnet.name)
                if !context.index.hasRouteToInternetGateway(table, vpc: v) {
                    let why = vpc.internetGateway == nil ? "VPC '\(vpc.name)' has no internet gateway"
                        : "its route table\(table.map { " '\($0.name)'" } ?? "") sends no internet destination to '\(vpc.internetGateway?.name ?? "")'"
                    let route = vpc.internetGateway.map { " (or route 0.0.0.0/0 -> \($0.name) in the subnet's route table)" } ?? ""
                    context.report(LintCatalogue.subnetMapPublicIPNoIGWRoute, at: subnet.location,
                                   "subnet '\(subnet.name)' assigns public IPv4 addresses but \(why): the addresses are unusable",
                                   fix: LintFix("remove 'map-public-ip' from subnet '\(subnet.name)'\(route)",
                                                [.removeWord("map-public-ip", from: subnet.location)]))
                }
            }
            for nat in vpc.natGateways {
                guard case .public = nat.connectivity else { continue }
                let table = context.index.routeTable(for: nat.subnet)
                if !context.index.hasRouteToInternetGateway(table, vpc: v) {
                    let why = vpc.internetGateway == nil ? "VPC '\(vpc.name)' has no internet gateway"
                        : "the route table\(table.map { " '\($0.name)'" } ?? "") of its subnet '\(nat.subnet)' sends no internet destination to '\(vpc.internetGateway?.name ?? "")'"
                    // Add the default route to the IGW when the subnet's table has none for 0.0.0.0/0 (one there,
                    // to another target, is a design choice the fix must not overwrite).
                    var fix: LintFix?
                    let zone = context.index.subnets[nat.subnet]?.subnet.availabilityZone
                    if nat.privateIP == nil, let target = vpc.subnets.first(where: { s in
                        s.availabilityZone == zone && context.index.hasRouteToInternetGateway(context.index.routeTable(for: s.name), vpc: v)
                    }) {
                        // A public subnet in the same AZ: move the NAT gateway there.
                        fix = LintFix("move the NAT gateway to public subnet '\(target.name)' ('in \(target.name)'), or route 0.0.0.0/0 to the IGW in its subnet's table",
                                      [.replaceWord(nat.subnet, with: target.name, in: nat.location)])
                    } else if let igw = vpc.internetGateway, let table, !table.routes.contains(where: { if case .cidr(.v4(let p)) = $0.destination { p.length == 0 } else { false } }) {
                        let statement = "route 0.0.0.0/0 -> \(igw.name)"
                        fix = LintFix("add '\(statement)' to route table '\(table.name)' (the table of subnet '\(nat.subnet)'), or move the NAT gateway to a public subnet",
                                      [.insert(statement, into: table.location)])
                    }
                    context.report(LintCatalogue.natGatewayNoIGWRoute, at: nat.location,
                                   "public NAT gateway '\(nat.name)' cannot reach the internet: \(why)",
                                   fix: fix,
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
            if let g = vpc.vpnGateway { names.append(g.name) }
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
                           "route \(route.destination) in table '\(table.name)' is a blackhole: matching traffic is dropped (no fallback to a shorter route)",
                           fix: route.location.isKnown ? LintFix("delete the route (matching traffic then takes the next longest route), or point it at a live target", [.delete(route.location)]) : nil)
        case .named(let name):
            switch index.target(name) {
            case .unknown:
                let near = Suggest.closest(to: name, in: targetNames(index))
                context.report(LintCatalogue.routeTargetMissing, at: at,
                               "'\(line)' in table '\(table.name)': no gateway, NAT gateway, peering, transit gateway or instance is named '\(name)'",
                               fix: near.flatMap { n in
                                   route.location.isKnown ? LintFix("did you mean '\(n)'? ('route \(route.destination) -> \(n)')", [.replaceWord(name, with: n, in: route.location)]) : nil
                               })
            case .internetGateway(let w) where w != v: foreign("internet gateway '\(name)'", w)
            case .egressOnlyGateway(let w) where w != v: foreign("egress-only gateway '\(name)'", w)
            case .natGateway(let w, _) where w != v: foreign("NAT gateway '\(name)'", w)
            case .vpnGateway(let w) where w != v: foreign("virtual private gateway '\(name)'", w)
            case .vpcEndpoint(let w) where w != v: foreign("VPC endpoint '\(name)'", w)
            case .interface(let w, let instance, _) where w != v: foreign("instance '\(instance.name)'", w)
            case .interface(_, let instance, let interface):
                if interface.sourceDestCheck {
                    context.report(LintCatalogue.routeTargetSourceDestCheck, at: at,
                                   "'\(line)' forwards to '\(instance.displayName(of: interface))', whose source/destination check is on: it drops the forwarded packets",
                                   fix: LintFix("add 'source-dest-check off' to '\(instance.displayName(of: interface))'",
                                                [.append("source-dest-check off", to: interface.location.isKnown ? interface.location : instance.location)]),
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
        let peer = index.topology.vpcs[w]
        context.report(LintCatalogue.peeringNoReturnRoute, at: place(route, in: table),
                       "'route \(route.destination) -> \(peering.name)' has no way back: subnet '\(far.name)' of VPC '\(peer.name)' \(got) \(near.cidr) (subnet '\(near.name)')\(more)",
                       fix: returnRouteFix(missing.map { ($0.0, $0.1, $0.3) }, peer: peer, peering: peering, index),
                       related: farTable.map { [($0.location, "route table of subnet '\(far.name)'")] } ?? [])
    }

    /// Routes back through the peering: for each peer table (or, for peer subnets on no table, a new main
    /// table of the peer VPC), `route NEAR -> PEERING` for every source subnet it lacks. Offered when none of
    /// those destinations is already in the table (a route there to another target is a choice to keep).
    static func returnRouteFix(_ missing: [(near: Subnet, far: Subnet, table: RouteTable?)], peer: VPC, peering: Peering,
                               _ index: TopologyIndex) -> LintFix? {
        var perTable: [(table: RouteTable?, blocks: [IPv4Prefix])] = []
        for m in missing {
            let at = perTable.firstIndex { $0.table?.name == m.table?.name } ?? { perTable.append((m.table, [])); return perTable.count - 1 }()
            if !perTable[at].blocks.contains(m.near.cidr) { perTable[at].blocks.append(m.near.cidr) }
        }
        var changes: [LintFix.Change] = []
        var words: [String] = []
        for (table, blocks) in perTable {
            let statements = blocks.map { "route \($0) -> \(peering.name)" }
            if let table {
                guard table.location.isKnown,
                      !table.routes.contains(where: { r in blocks.contains { r.destination == .cidr(.v4($0)) } }) else { return nil }
                changes += statements.map { .insert($0, into: table.location) }
                words.append("\(statements.map { "'\($0)'" }.joined(separator: ", ")) to table '\(table.name)'")
            } else {
                // No table at all in the peer VPC for these subnets: a main table holding the routes.
                guard peer.location.isKnown, !peer.routeTables.contains(where: \.isMain) else { return nil }
                var name = "\(peer.name)-main"
                var n = 2
                while index.isTaken(name) { name = "\(peer.name)-main-\(n)"; n += 1 }
                let block = "route-table \(name) main { \(statements.joined(separator: "  ")) }"
                changes.append(.insert(block, into: peer.location))
                words.append("'\(block)'")
            }
        }
        guard !changes.isEmpty else { return nil }
        return LintFix("in VPC '\(peer.name)', add \(words.joined(separator: " and "))", changes)
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
                // A CIDR route for each shared prefix beats both list routes; it pins the target VPCKit models
                // today (the earlier list's), which is one of the two AWS may pick.
                var fix: LintFix?
                if case .named = earlier.target, table.location.isKnown {
                    let statements = shared.map { "route \($0) -> \(earlier.target)" }
                    fix = LintFix("add \(statements.map { "'\($0)'" }.joined(separator: ", ")) to table '\(table.name)' (a CIDR route beats prefix-list routes), or remove the prefix from one list",
                                  statements.map { .insert($0, into: table.location) })
                }
                context.report(LintCatalogue.prefixListRouteConflict, at: place(later, in: table),
                               "table '\(table.name)': \(shared.map(\.description).joined(separator: ", ")) is in both \(earlier.destination) (-> \(earlier.target)) and \(later.destination) (-> \(later.target)); AWS picks one target at random",
                               fix: fix,
                               related: [(place(earlier, in: table), "'route \(earlier.destination) -> \(earlier.target)'")])
            }
        }
    }
}

extension TopologyIndex {
    /// True when some resource of the topology is named `name` (names are unique across a topology).
    func isTaken(_ name: String) -> Bool {
        if target(name) != .unknown || subnets[name] != nil || securityGroups[name] != nil || prefixLists[name] != nil { return true }
        for vpc in topology.vpcs {
            if vpc.name == name || vpc.routeTables.contains(where: { $0.name == name })
                || vpc.networkACLs.contains(where: { $0.name == name }) { return true }
        }
        return topology.transitGateways.contains { $0.routeTables.contains { $0.name == name } }
            || attachments[name] != nil
    }
}
