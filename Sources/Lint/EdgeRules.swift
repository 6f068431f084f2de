import IPAddressing
import NetworkModel
import Reachability

/// Rules for the network's edges (AWS-BEHAVIOUR.md §10): gateway and interface VPC endpoints, virtual private
/// gateways, Site-to-Site VPN, Direct Connect, TGW peering and on-premises networks. Names are read from the
/// model directly (small lookups below); routes come from the reachability engine (``RoutingView``).
enum EdgeRules {
    static func run(_ context: inout LintContext) {
        let topology = context.topology
        let endpointLists = endpointPrefixLists(topology)
        for v in topology.vpcs.indices {
            for service in gatewayServices {
                serviceTraffic(service, lists: serviceLists(service, vpc: v, endpointLists, context.index), vpc: v, &context)
            }
            interfaceEndpoints(vpc: v, &context)
            unusedVPNGateway(vpc: v, &context)
        }
        vpnTunnels(&context)
        directConnectBackup(&context)
        peeringReturnRoutes(&context)
        onPremisesOverlaps(&context)
    }

    // MARK: Gateway endpoints (s3-dynamodb-through-nat, gateway-endpoint-route-table-missing)

    /// The services gateway endpoints exist for.
    static let gatewayServices = ["s3", "dynamodb"]

    /// `com.amazonaws.us-east-1.s3` → `s3`; a short name as it is (lower-cased).
    static func shortServiceName(_ service: String) -> String {
        let lower = service.lowercased()
        guard lower.hasPrefix("com.amazonaws."), let last = lower.split(separator: ".").last else { return lower }
        return String(last)
    }

    /// The region part of an AWS service or prefix-list name (`com.amazonaws.us-east-1.s3` → `us-east-1`).
    static func serviceRegion(ofServiceName name: String) -> String? {
        let parts = name.lowercased().split(separator: ".")
        guard parts.count == 4, parts[0] == "com", parts[1] == "amazonaws" else { return nil }
        return String(parts[2])
    }

    /// The prefix lists (by name) holding `service`'s CIDRs for VPC `v`: the lists gateway endpoints of the
    /// service in the same region use (their `prefix-list`, else the list named like the service), and the
    /// lists named like the service (`s3`, `com.amazonaws.REGION.s3`). Only declared lists count.
    static func serviceLists(_ service: String, vpc v: Int, _ endpointLists: [EndpointList], _ index: TopologyIndex) -> [String] {
        let topology = index.topology
        let region = topology.vpcs[v].region
        func sameRegion(_ other: String?) -> Bool { region == nil || other == nil || region == other }
        var names: [String] = []
        func add(_ name: String) {
            if !names.contains(name), index.prefixLists[name] != nil { names.append(name) }
        }
        for e in endpointLists where e.service == service && sameRegion(e.region) { add(e.list) }
        for list in topology.prefixLists {
            let lower = list.name.lowercased()
            if lower == service || (shortServiceName(lower) == service && lower.hasPrefix("com.amazonaws.")
                                    && sameRegion(serviceRegion(ofServiceName: lower))) {
                add(list.name)
            }
        }
        return names
    }

    /// A prefix list a gateway endpoint uses: its service's short name, its VPC's region, the list's name.
    struct EndpointList: Hashable {
        var service: String
        var region: String?
        var list: String
    }

    /// The distinct (service, region, list) of the topology's gateway endpoints, once per run (an estate of
    /// thousands of VPCs with an S3 endpoint each has one).
    static func endpointPrefixLists(_ topology: Topology) -> [EndpointList] {
        var seen = Set<EndpointList>()
        var lists: [EndpointList] = []
        for vpc in topology.vpcs {
            for e in vpc.endpoints where e.kind == .gateway {
                let service = shortServiceName(e.service)
                let entry = EndpointList(service: service, region: vpc.region, list: e.prefixList ?? service)
                if seen.insert(entry).inserted { lists.append(entry) }
            }
        }
        return lists
    }

    /// What a table that has no endpoint route for the service does with the service's CIDRs.
    struct ServiceLeak {
        var table: RouteTable
        /// The winning route's text and location (nil: imported without one).
        var route: String
        var location: SourceLocation?
        /// `NAT gateway 'nat-a'` or `internet gateway 'igw'`.
        var via: String
        var throughNAT: Bool
        /// The service CIDRs it sends that way.
        var prefixes: [IPv4Prefix]
    }

    /// S3/DynamoDB CIDRs that subnets of VPC `v` send through a NAT gateway (no endpoint in the VPC) or
    /// through a NAT or internet gateway from a table an existing endpoint does not list.
    static func serviceTraffic(_ service: String, lists: [String], vpc v: Int, _ context: inout LintContext) {
        let index = context.index
        let vpc = index.topology.vpcs[v]
        guard !lists.isEmpty else { return }
        let entries: [IPv4Prefix] = lists.flatMap { name in
            (index.prefixLists[name]?.entries ?? []).compactMap { if case .v4(let p) = $0 { p } else { nil } }
        }
        let endpoints = vpc.endpoints.filter { $0.kind == .gateway && shortServiceName($0.service) == service }
        let covered = Set(endpoints.flatMap(\.routeTables))
        var leaks: [ServiceLeak] = []
        for table in vpc.routeTables where !covered.contains(table.name) && table.edgeAssociations.isEmpty {
            guard let subnet = index.subnets(using: table, inVPC: v).first else { continue }
            var byRoute: [String: Int] = [:]
            for entry in entries {
                guard let route = context.routing.route(fromSubnet: subnet.name, to: entry.network) else { continue }
                let via: String, nat: Bool
                switch route.target {
                case .natGateway(let n):
                    let compiled = context.routing.compiled
                    let name = compiled.interfaces.indices.contains(Int(n.index)) ? compiled[n].name : "?"
                    (via, nat) = ("NAT gateway '\(name)'", true)
                case .internetGateway:
                    (via, nat) = ("internet gateway '\(vpc.internetGateway?.name ?? "?")'", false)
                default: continue
                }
                if let i = byRoute[route.text] {
                    leaks[i].prefixes.append(entry)
                } else {
                    byRoute[route.text] = leaks.count
                    leaks.append(ServiceLeak(table: table, route: route.text, location: route.location, via: via,
                                             throughNAT: nat, prefixes: [entry]))
                }
            }
        }
        guard !leaks.isEmpty else { return }
        let shown = service == "s3" ? "S3" : "DynamoDB"
        let listText = lists.map { "pl:\($0)" }.joined(separator: ", ")
        func describe(_ leak: ServiceLeak) -> String {
            "table '\(leak.table.name)' sends \(leak.prefixes.map(\.description).joined(separator: " ")) through \(leak.via) ('\(leak.route)')"
        }
        func place(_ leak: ServiceLeak) -> SourceLocation {
            if let l = leak.location, l.isKnown { return l }
            return leak.table.location
        }
        if let endpoint = endpoints.first {
            // An endpoint exists: every table that sends the service's CIDRs to a NAT or internet gateway misses it.
            var missed: [String] = []
            for leak in leaks where !missed.contains(leak.table.name) { missed.append(leak.table.name) }
            let words = missed.joined(separator: " ")
            let fix: LintFix? = endpoint.location.isKnown
                ? LintFix("add \(missed.map { "'\($0)'" }.joined(separator: ", ")) to the route tables of endpoint '\(endpoint.name)' ('route-tables \((endpoint.routeTables + missed).joined(separator: " "))')",
                          [endpoint.routeTables.isEmpty ? .append("route-tables \(words)", to: endpoint.location)
                              : .replaceWord("route-tables", with: "route-tables \(words)", in: endpoint.location)])
                : nil
            context.report(LintCatalogue.gatewayEndpointRouteTableMissing, at: endpoint.location,
                           "gateway endpoint '\(endpoint.name)' (\(shown)) is not in every route table that sends \(shown) traffic: \(leaks.map(describe).joined(separator: "; "))",
                           hint: "add the tables to the endpoint's 'route-tables'", fix: fix,
                           related: leaks.map { (place($0), "\(shown) traffic leaves here: \($0.route)") })
            return
        }
        let nat = leaks.filter(\.throughNAT)
        guard let first = nat.first else { return }
        var tables: [String] = []
        for leak in nat where !tables.contains(leak.table.name) { tables.append(leak.table.name) }
        // A name no other resource has (names are unique across the topology).
        var name = "\(vpc.name)-\(service)"
        var n = 2
        while nameTaken(name, index.topology) { name = "\(vpc.name)-\(service)-\(n)"; n += 1 }
        let list = lists[0] == service ? "" : " prefix-list pl:\(lists[0])"
        let statement = "endpoint \(name) gateway \(service) route-tables \(tables.joined(separator: " "))\(list)"
        context.report(LintCatalogue.s3DynamoDBThroughNAT, at: place(first),
                       "\(shown) traffic (\(listText)) of VPC '\(vpc.name)' leaves through a NAT gateway, which charges per GB processed: \(nat.map(describe).joined(separator: "; "))",
                       fix: vpc.location.isKnown ? LintFix("add '\(statement)' to VPC '\(vpc.name)' (a gateway endpoint carries \(shown) traffic at no charge)",
                                                          [.insert(statement, into: vpc.location)]) : nil,
                       related: nat.dropFirst().map { (place($0), "\(shown) traffic leaves here too: \($0.route)") })
    }

    /// True when some resource of the topology is named `name` (a cheap scan; used only for fix-its).
    static func nameTaken(_ name: String, _ topology: Topology) -> Bool {
        for vpc in topology.vpcs {
            if vpc.name == name || vpc.internetGateway?.name == name || vpc.egressOnlyGateway?.name == name
                || vpc.vpnGateway?.name == name { return true }
            if vpc.subnets.contains(where: { $0.name == name }) || vpc.routeTables.contains(where: { $0.name == name })
                || vpc.securityGroups.contains(where: { $0.name == name }) || vpc.networkACLs.contains(where: { $0.name == name })
                || vpc.instances.contains(where: { $0.name == name }) || vpc.natGateways.contains(where: { $0.name == name })
                || vpc.endpoints.contains(where: { $0.name == name }) { return true }
        }
        if topology.transitGateways.contains(where: { t in
            t.name == name || t.attachments.contains { $0.name == name } || t.routeTables.contains { $0.name == name }
        }) { return true }
        return topology.peerings.contains { $0.name == name } || topology.prefixLists.contains { $0.name == name }
            || topology.customerGateways.contains { $0.name == name } || topology.vpnConnections.contains { $0.name == name }
            || topology.directConnectGateways.contains { $0.name == name } || topology.virtualInterfaces.contains { $0.name == name }
            || topology.onPremisesNetworks.contains { $0.name == name }
    }

    // MARK: Interface endpoints (interface-endpoint-sg-closed)

    /// An interface endpoint none of whose security groups admits an address of its own VPC.
    static func interfaceEndpoints(vpc v: Int, _ context: inout LintContext) {
        let index = context.index
        let vpc = index.topology.vpcs[v]
        for endpoint in vpc.endpoints where endpoint.kind == .interface {
            let names = endpoint.securityGroups.isEmpty ? [vpc.defaultSecurityGroup?.name ?? "default"] : endpoint.securityGroups
            var groups: [SecurityGroup] = []
            var unknown = false
            for name in names {
                if let g = vpc.securityGroups.last(where: { $0.name == name }) { groups.append(g) } else { unknown = true }
            }
            // AWS's implied default group admits all traffic from its members: not provably closed.
            guard !unknown, !groups.contains(where: { admitsFromVPC($0, vpc: v, index) }) else { continue }
            var fix: LintFix?
            if groups.count == 1, let group = groups.first, group.location.isKnown, let block = vpc.cidrs.first {
                let statement = "ingress tcp 443 from \(block)"
                fix = LintFix("add '\(statement)' to security group '\(group.name)' (interface endpoints answer HTTPS)",
                              [.insert(statement, into: group.location)])
            }
            context.report(LintCatalogue.interfaceEndpointSGClosed, at: endpoint.location,
                           "interface endpoint '\(endpoint.name)' (\(endpoint.service)) is unreachable from VPC '\(vpc.name)': its security group\(groups.count == 1 ? "" : "s") \(groups.map { "'\($0.name)'" }.joined(separator: ", ")) admit\(groups.count == 1 ? "s" : "") no address of \(vpc.cidrs.map(\.description).joined(separator: " "))",
                           fix: fix, related: groups.filter(\.location.isKnown).map { ($0.location, "security group '\($0.name)'") })
        }
    }

    /// True when some ingress rule of `group` admits an address of VPC `v`: a CIDR or prefix-list entry
    /// overlapping one of its blocks, or a reference to a group of the VPC that some instance interface holds.
    static func admitsFromVPC(_ group: SecurityGroup, vpc v: Int, _ index: TopologyIndex) -> Bool {
        let vpc = index.topology.vpcs[v]
        let blocks: [IPPrefix] = vpc.cidrs.map { .v4($0) } + vpc.ipv6Cidrs.map { .v6($0) }
        return group.ingress.contains { rule in
            switch rule.peer {
            case .cidr(let p): return blocks.contains { $0.overlaps(p) }
            case .prefixList(let n): return (index.prefixLists[n]?.entries ?? []).contains { e in blocks.contains { $0.overlaps(e) } }
            case .securityGroup(let n): return !index.interfaces(holding: n, vpc: v).isEmpty
            }
        }
    }

    // MARK: Virtual private gateways (vgw-unused)

    /// An attached VGW that no table of its VPC routes to or propagates.
    static func unusedVPNGateway(vpc v: Int, _ context: inout LintContext) {
        let vpc = context.topology.vpcs[v]
        guard let vgw = vpc.vpnGateway else { return }
        let names = Set([vgw.name] + (vgw.id.map { [$0] } ?? []))
        let used = vpc.routeTables.contains { table in
            table.propagations.contains(where: names.contains)
                || table.routes.contains { if case .named(let n) = $0.target { names.contains(n) } else { false } }
        }
        guard !used else { return }
        let table = vpc.routeTables.first(where: \.isMain) ?? vpc.routeTables.first { $0.edgeAssociations.isEmpty }
        let fix = table.flatMap { t -> LintFix? in
            guard t.location.isKnown else { return nil }
            return LintFix("add 'propagate \(vgw.name)' to route table '\(t.name)' (or route the on-premises prefixes to '\(vgw.name)' in the tables that need them)",
                           [.insert("propagate \(vgw.name)", into: t.location)])
        }
        context.report(LintCatalogue.vgwUnused, at: vgw.location,
                       "virtual private gateway '\(vgw.name)' is attached to VPC '\(vpc.name)' but no route table routes to it or propagates its routes: no traffic of the VPC reaches on-premises over it, and replies to on-premises are not routed back",
                       fix: fix)
    }

    // MARK: Site-to-Site VPN (vpn-tunnel-down, vpn-single-tunnel)

    static func vpnTunnels(_ context: inout LintContext) {
        for vpn in context.topology.vpnConnections where !vpn.tunnels.isEmpty {
            let down = vpn.tunnels.enumerated().filter { $0.element == .down }.map { $0.offset + 1 }
            if !down.isEmpty {
                let all = down.count == vpn.tunnels.count
                let code = if case .transitGateway = vpn.awsSide { "TGW_BAD_STATE_VPN" } else { "BAD_STATE_VPN" }
                context.report(LintCatalogue.vpnTunnelDown, at: vpn.location,
                               all ? "VPN connection '\(vpn.name)': every tunnel is down: traffic over it is dropped (\(code))"
                                   : "VPN connection '\(vpn.name)': tunnel \(down.map(String.init).joined(separator: ", ")) of \(vpn.tunnels.count) is down: the connection has no redundancy left")
            }
            if vpn.tunnels.count == 1 {
                context.report(LintCatalogue.vpnSingleTunnel, at: vpn.location,
                               "VPN connection '\(vpn.name)' reports one tunnel only: AWS provides two (one per AWS endpoint) and maintenance takes one down at a time")
            }
        }
    }

    // MARK: Direct Connect (dx-no-vpn-backup)

    /// VGWs and TGWs that a VIF reaches (directly or through a DX gateway association) with no VPN
    /// connection ending on them.
    static func directConnectBackup(_ context: inout LintContext) {
        let topology = context.topology
        var vgwNames: [String: (vpc: String, location: SourceLocation)] = [:]
        for vpc in topology.vpcs { if let g = vpc.vpnGateway { vgwNames[g.name] = (vpc.name, g.location) } }
        let tgwNames = Set(topology.transitGateways.map(\.name))
        var backed = Set<String>()
        for vpn in topology.vpnConnections {
            switch vpn.awsSide {
            case .vpnGateway(let g), .transitGateway(let g): backed.insert(g)
            }
        }
        var reported = Set<String>()
        for vif in topology.virtualInterfaces {
            var reached: [(gateway: String, via: String?)] = []
            switch vif.awsSide {
            case .vpnGateway(let g): reached.append((g, nil))
            case .directConnectGateway(let d):
                for dxg in topology.directConnectGateways where dxg.name == d || dxg.id == d {
                    for a in dxg.associations { reached.append((a.gateway, dxg.name)) }
                }
            }
            for (gateway, via) in reached where !backed.contains(gateway) && !reported.contains(gateway) {
                let what: String
                if let vgw = vgwNames[gateway] { what = "virtual private gateway '\(gateway)' (VPC '\(vgw.vpc)')" }
                else if tgwNames.contains(gateway) { what = "transit gateway '\(gateway)'" }
                else { continue }
                reported.insert(gateway)
                context.report(LintCatalogue.dxNoVPNBackup, at: vif.location,
                               "virtual interface '\(vif.name)' reaches \(what)\(via.map { " through Direct Connect gateway '\($0)'" } ?? ""), but no VPN connection ends on '\(gateway)': when the Direct Connect connection fails, on-premises loses the path")
            }
        }
    }

    // MARK: TGW peering (tgw-peering-no-return-route)

    /// A static route `D -> PEERING` on TGW A whose destinations on the peer TGW B do not route A's VPCs back
    /// over B's end of the peering.
    static func peeringReturnRoutes(_ context: inout LintContext) {
        let topology = context.topology
        for a in topology.transitGateways {
            // Peering attachments by name; a TGW without any (the common case) is skipped at once.
            var peerings: [String: String] = [:]
            for attachment in a.attachments {
                if case .peering(let peer) = attachment.kind { peerings[attachment.name] = peer }
            }
            guard !peerings.isEmpty else { continue }
            for table in a.routeTables {
                for route in table.routes {
                    guard case .attachment(let name) = route.target,
                          let peerName = peerings[name],
                          let b = topology.transitGateways.first(where: { $0.name == peerName }),
                          let back = b.attachments.first(where: { if case .peering(let t) = $0.kind { t == a.name } else { false } })
                    else { continue }
                    // Sources: the VPCs whose attachments use this table.
                    let sources: [IPv4Prefix] = a.attachments.filter { $0.kind == .vpc && table.associations.contains($0.name) }
                        .flatMap { att in topology.vpcs.first { $0.name == att.vpc }?.cidrs ?? [] }
                    let destinations = context.index.prefixes(of: route.destination)
                    for attachment in b.attachments where attachment.kind == .vpc {
                        guard let vpc = topology.vpcs.first(where: { $0.name == attachment.vpc }),
                              vpc.cidrs.contains(where: { c in destinations.contains { $0.overlaps(.v4(c)) } }),
                              let returnTable = b.routeTables.first(where: { $0.associations.contains(attachment.name) })
                        else { continue }
                        for source in sources {
                            let choice = tgwRoute(returnTable, of: b, source.network, context.index)
                            guard choice != .attachment(back.name) else { continue }
                            let got: String
                            switch choice {
                            case nil: got = "has no route for \(source)"
                            case .blackhole?: got = "blackholes \(source)"
                            case .attachment(let other)?: got = "sends \(source) to '\(other)'"
                            }
                            let statement = "route \(source) -> \(back.name)"
                            let fix = choice == nil && returnTable.location.isKnown
                                ? LintFix("add '\(statement)' to table '\(returnTable.name)' of '\(b.name)' (peering carries static routes only)",
                                          [.insert(statement, into: returnTable.location)])
                                : LintFix("route \(source) to '\(back.name)' in table '\(returnTable.name)' of '\(b.name)' (peering carries static routes only)", [])
                            context.report(LintCatalogue.tgwPeeringNoReturnRoute, at: route.location.isKnown ? route.location : table.location,
                                           "route \(route.destination) -> \(name) in table '\(table.name)' of '\(a.name)' has no way back: on peer '\(b.name)', table '\(returnTable.name)' (associated with '\(attachment.name)', VPC '\(vpc.name)') \(got)",
                                           fix: fix, related: [(returnTable.location, "table '\(returnTable.name)' of '\(b.name)'")])
                            break
                        }
                    }
                }
            }
        }
    }

    /// The route TGW table `table` of `tgw` picks for `address`, read from the model: static routes (CIDRs and
    /// prefix-list entries) and the blocks of propagating VPC attachments; longest prefix, then static over
    /// propagated. (VPN and DX-gateway attachments propagate prefixes no document holds: not counted.) The
    /// engine's compiled view is not used here because peering attachments are static-route targets it
    /// resolves only once the edges are compiled.
    static func tgwRoute(_ table: TGWRouteTable, of tgw: TransitGateway, _ address: IPv4Address,
                         _ index: TopologyIndex) -> RoutingView.TGWChoice? {
        var best: (length: Int, isStatic: Bool, choice: RoutingView.TGWChoice)?
        func consider(_ prefix: IPv4Prefix, _ isStatic: Bool, _ choice: RoutingView.TGWChoice) {
            guard prefix.contains(address) else { return }
            let length = Int(prefix.length)
            if let b = best, b.length > length || (b.length == length && (b.isStatic || !isStatic)) { return }
            best = (length, isStatic, choice)
        }
        for route in table.routes {
            let choice: RoutingView.TGWChoice
            switch route.target {
            case .blackhole: choice = .blackhole
            case .attachment(let name): choice = .attachment(name)
            }
            for case .v4(let p) in index.prefixes(of: route.destination) { consider(p, true, choice) }
        }
        for name in table.propagations {
            guard let attachment = tgw.attachments.first(where: { $0.name == name }), attachment.kind == .vpc,
                  let vpc = index.topology.vpcs.first(where: { $0.name == attachment.vpc }) else { continue }
            for block in vpc.cidrs { consider(block, false, .attachment(name)) }
        }
        return best?.choice
    }

    // MARK: On-premises prefixes (onprem-prefix-overlaps-vpc)

    static func onPremisesOverlaps(_ context: inout LintContext) {
        let topology = context.topology
        func overlaps(_ p: IPv4Prefix) -> [String] {
            topology.vpcs.flatMap { vpc in vpc.cidrs.filter { $0.overlaps(p) }.map { "\($0) (VPC '\(vpc.name)')" } }
        }
        let why = "inside the VPC the local route wins (propagated routes never replace local), so the VPC cannot reach those addresses on premises"
        for network in topology.onPremisesNetworks {
            for prefix in network.prefixes {
                let hit = overlaps(prefix)
                guard !hit.isEmpty else { continue }
                context.report(LintCatalogue.onPremPrefixOverlapsVPC, at: network.location,
                               "on-premises network '\(network.name)' announces \(prefix), which overlaps \(hit.joined(separator: ", ")): \(why)")
            }
        }
        for vpn in topology.vpnConnections {
            for prefix in vpn.staticRoutes {
                let hit = overlaps(prefix)
                guard !hit.isEmpty else { continue }
                context.report(LintCatalogue.onPremPrefixOverlapsVPC, at: vpn.location,
                               "VPN connection '\(vpn.name)' has static route \(prefix), which overlaps \(hit.joined(separator: ", ")): \(why)")
            }
        }
    }
}
