// Terraform: peerings, transit gateways, route tables and routes.
import IPAddressing
import NetworkModel

extension TFBuilder {
    mutating func buildPeerings() {
        let accepted = Set(resources("aws_vpc_peering_connection_accepter").compactMap {
            address(ref($0, ["vpc_peering_connection_id"], types: ["aws_vpc_peering_connection"]))
        })
        for r in resources("aws_vpc_peering_connection") {
            if let status = r.string("accept_status"), status != "active", !accepted.contains(r.address) {
                skip(r, "peering connection", "status \(status)")
                continue
            }
            guard let a = address(ref(r, ["vpc_id"], types: ["aws_vpc", "aws_default_vpc"])), let va = vpcOf[a],
                  let b = address(ref(r, ["peer_vpc_id"], types: ["aws_vpc", "aws_default_vpc"])), let vb = vpcOf[b] else {
                skip(r, "peering connection", "one of its VPCs is not managed by this configuration (or unknown until apply)")
                continue
            }
            let p = Peering(name: names.name(r.address), id: r.string("id"), requester: topology.vpcs[va].name, accepter: topology.vpcs[vb].name,
                            location: at(r))
            topology.peerings.append(p)
            nameOf[r.address] = p.name
            report.didImport("peering connection")
        }
    }

    mutating func buildTransitGateways() throws(JSONError) {
        var tgwIndex: [String: Int] = [:]
        for r in resources("aws_ec2_transit_gateway") {
            tgwIndex[r.address] = topology.transitGateways.count
            let name = names.name(r.address)
            nameOf[r.address] = name
            topology.transitGateways.append(TransitGateway(name: name, id: r.string("id"), region: try doc.region(of: r), account: r.string("owner_id"),
                                                           securityGroupReferencing: r.string("security_group_referencing_support") == "enable",
                                                           location: at(r)))
            report.didImport("transit gateway")
        }
        var defaultAssociated: [Int: [String]] = [:]
        var defaultPropagated: [Int: [String]] = [:]
        for r in resources("aws_ec2_transit_gateway_vpc_attachment") {
            guard let ta = address(ref(r, ["transit_gateway_id"], types: ["aws_ec2_transit_gateway"])), let t = tgwIndex[ta] else {
                skip(r, "transit gateway attachment", "its transit gateway is not imported")
                continue
            }
            guard let v = vpcIndex(r, "transit gateway attachment") else { continue }
            var subnets: [String] = []
            for s in refs(r, "subnet_ids", types: ["aws_subnet", "aws_default_subnet"]) ?? [] {
                if let n = nameOf[s], vpcOf[s] == v { subnets.append(n) }
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            topology.transitGateways[t].attachments.append(TGWAttachment(name: name, id: r.string("id"), vpc: topology.vpcs[v].name,
                                                                         subnets: subnets, applianceMode: r.string("appliance_mode_support") == "enable",
                                                                         location: at(r)))
            let tgw = doc.resources[doc.byAddress[ta] ?? 0]
            if r.values["transit_gateway_default_route_table_association"]?.boolValue ?? true, tgw.string("default_route_table_association") != "disable" {
                defaultAssociated[t, default: []].append(name)
            }
            if r.values["transit_gateway_default_route_table_propagation"]?.boolValue ?? true, tgw.string("default_route_table_propagation") != "disable" {
                defaultPropagated[t, default: []].append(name)
            }
            report.didImport("transit gateway attachment")
        }
        buildEdgeAttachments(tgwIndex: tgwIndex, defaultAssociated: &defaultAssociated, defaultPropagated: &defaultPropagated)
        var tableIndex: [String: (Int, Int)] = [:]
        for r in resources("aws_ec2_transit_gateway_route_table") {
            guard let ta = address(ref(r, ["transit_gateway_id"], types: ["aws_ec2_transit_gateway"])), let t = tgwIndex[ta] else {
                skip(r, "transit gateway route table", "its transit gateway is not imported")
                continue
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            tableIndex[r.address] = (t, topology.transitGateways[t].routeTables.count)
            topology.transitGateways[t].routeTables.append(TGWRouteTable(name: name, id: r.string("id"), location: at(r)))
            report.didImport("transit gateway route table")
        }
        let tableTypes: Set<String> = ["aws_ec2_transit_gateway_route_table"]
        let attachmentTypes: Set<String> = ["aws_ec2_transit_gateway_vpc_attachment", "aws_vpn_connection", "aws_dx_gateway_association",
                                            "aws_ec2_transit_gateway_peering_attachment", "aws_ec2_transit_gateway_peering_attachment_accepter",
                                            "aws_ec2_transit_gateway_vpn_attachment", "aws_ec2_transit_gateway_dx_gateway_attachment"]
        // (The two data sources name an attachment by the id its VPN connection or association already maps to.)
        for (type, isAssociation) in [("aws_ec2_transit_gateway_route_table_association", true), ("aws_ec2_transit_gateway_route_table_propagation", false)] {
            for r in resources(type) {
                guard let ta = address(ref(r, ["transit_gateway_route_table_id"], types: tableTypes)), let (t, i) = tableIndex[ta],
                      let aa = address(ref(r, ["transit_gateway_attachment_id"], types: attachmentTypes)), let an = attachmentName(aa, tgw: t) else {
                    skip(r, isAssociation ? "TGW association" : "TGW propagation", "its route table or attachment is not imported")
                    continue
                }
                if isAssociation { topology.transitGateways[t].routeTables[i].associations.append(an) }
                else { topology.transitGateways[t].routeTables[i].propagations.append(an) }
            }
        }
        // Routes in AWS's default route table of a TGW (`aws_ec2_transit_gateway.x.association_default_route_table_id`),
        // added once that table is made below.
        var defaultTableRoutes: [Int: [TGWRoute]] = [:]
        var defaultTableOf: [String: Int] = [:]   // default route table id → TGW index
        for r in resources("aws_ec2_transit_gateway") {
            if let t = tgwIndex[r.address], let id = r.string("association_default_route_table_id") { defaultTableOf[id] = t }
        }
        for r in resources("aws_ec2_transit_gateway_route", "aws_ec2_transit_gateway_prefix_list_reference") {
            let tableRef = ref(r, ["transit_gateway_route_table_id"], types: tableTypes.union(["aws_ec2_transit_gateway"]))
            var place: (t: Int, i: Int?)?
            switch tableRef {
            case .resource(let a):
                if let (t, i) = tableIndex[a] { place = (t, i) } else if let t = tgwIndex[a] { place = (t, nil) }
            case .external(let id):
                if let t = defaultTableOf[id] { place = (t, nil) }
            case .unresolved, .none: break
            }
            guard let (t, tableAt) = place else {
                skip(r, "transit gateway route", "its route table is not imported")
                continue
            }
            let destination: RouteDestination
            if let p = try r.values.tfPrefix("destination_cidr_block") { destination = .cidr(p) }
            else if let pl = address(ref(r, ["prefix_list_id"], types: ["aws_ec2_managed_prefix_list"])), let n = nameOf[pl] { destination = .prefixList(n) }
            else { skip(r, "transit gateway route", "its destination is unknown or not imported"); continue }
            var target = TGWRoute.Target.blackhole
            if r.values["blackhole"]?.boolValue != true {
                if let aa = address(ref(r, ["transit_gateway_attachment_id"], types: attachmentTypes)), let an = attachmentName(aa, tgw: t) { target = .attachment(an) }
                else { warn(r, "route \(destination): its attachment is not imported; imported as a blackhole", into: &report) }
            }
            let route = TGWRoute(destination: destination, target: target, location: at(r))
            if let i = tableAt { topology.transitGateways[t].routeTables[i].routes.append(route) }
            else { defaultTableRoutes[t, default: []].append(route) }
            report.didImport("transit gateway route")
        }
        // AWS's default route table of a TGW (not a Terraform resource): created when default association or
        // propagation is enabled; attachments that keep the defaults use it.
        for r in resources("aws_ec2_transit_gateway") {
            guard let t = tgwIndex[r.address] else { continue }
            let associated = defaultAssociated[t] ?? [], propagated = defaultPropagated[t] ?? []
            let routes = defaultTableRoutes[t] ?? []
            guard !associated.isEmpty || !propagated.isEmpty || !routes.isEmpty else { continue }
            let explicitlyAssociated = Set(topology.transitGateways[t].routeTables.flatMap(\.associations))
            names.register(key: r.address + "#default-route-table", tag: topology.transitGateways[t].name + "-default")
            // Not in the document: placed at the transit gateway that implies it.
            topology.transitGateways[t].routeTables.append(TGWRouteTable(
                name: names.name(r.address + "#default-route-table"),
                id: r.string("association_default_route_table_id"),
                associations: associated.filter { !explicitlyAssociated.contains($0) }, propagations: propagated, routes: routes,
                location: at(r)))
            report.note("\(r.address): AWS's default route table imported (attachments that keep default association/propagation use it)")
        }
    }

    /// Id prefixes of route targets the model has no component for (virtual private gateways, VPC endpoints,
    /// carrier and local gateways): routes to them are imported as `-> unmodelled ID`.
    static let unmodelledPrefixes = ["vgw-", "vpce-", "cagw-", "lgw-"]
    // A VGW of the configuration attached to an imported VPC is a named target (`-> vgw1`); one outside it stays
    // `unmodelled vgw-…`.

    /// Route target attributes and the resource types each may name.
    static let targetAttributes: [(String, Set<String>)] = [
        ("gateway_id", ["aws_internet_gateway", "aws_vpn_gateway"]), ("vpn_gateway_id", ["aws_vpn_gateway"]), ("nat_gateway_id", ["aws_nat_gateway"]),
        ("transit_gateway_id", ["aws_ec2_transit_gateway"]), ("vpc_peering_connection_id", ["aws_vpc_peering_connection"]),
        ("egress_only_gateway_id", ["aws_egress_only_internet_gateway"]), ("network_interface_id", ["aws_network_interface", "aws_instance"]),
        ("instance_id", ["aws_instance"]), ("vpc_endpoint_id", []), ("carrier_gateway_id", []), ("local_gateway_id", []),
        ("core_network_arn", []),
    ]

    /// A route's target: the first set (or unknown) target attribute.
    ///
    /// Inline `route` blocks are one expression in the configuration: when it names several resources of the
    /// target's type (two peerings), the one that can carry the route is taken: a peering joining the table's VPC
    /// to a VPC whose CIDRs hold the destination, a gateway, NAT gateway or instance in the table's VPC, a transit
    /// gateway attached to it.
    mutating func routeTarget(_ r: TFResource, _ block: JSONCursor, path: [String], destination: RouteDestination, vpc: Int) -> Route.Target {
        for (attribute, types) in Self.targetAttributes {
            let value = block[attribute]
            let isSet = (value?.stringValue.map { !$0.isEmpty } ?? false) || r.isUnknown(path + [attribute])
            guard isSet else { continue }
            if value?.stringValue == "local" { return .local }
            if attribute == "vpc_endpoint_id", let n = gatewayLoadBalancerEndpointRoute(r, path + [attribute], value: value, vpc: vpc) {
                return .named(n)
            }
            if types.isEmpty {
                // A VPC endpoint, carrier or local gateway, Cloud WAN: kept as `-> unmodelled ID` when the id is known.
                if let id = value?.stringValue, !id.isEmpty, LanguageWord.isPlain(id) {
                    warn(r, "route \(destination) -> \(id) (\(attribute)): not in the language; imported as 'unmodelled \(id)' (not modelled: VPCKit cannot tell what happens beyond it)", into: &report)
                    return .unmodelled(id)
                }
                warn(r, "route \(destination) -> \(attribute): not in the language and its id is unknown until apply; imported as a blackhole", into: &report)
                return .blackhole
            }
            if value?.stringValue?.isEmpty ?? true {
                let candidates = resolveThroughConfiguration(r, path + [attribute], types: types)
                // Resolved once, when a route first needs it (every VPC, peering and TGW is built by now).
                if candidates.count > 1, routeTargets == nil { routeTargets = RouteTargetNames(topology) }
                let fitting = candidates.filter { canCarry($0, destination: destination, vpc: vpc) }
                if candidates.count > 1, fitting.count == 1, let n = nameOf[fitting[0]] {
                    report.note("\(r.address): \((path + [attribute]).joined(separator: ".")) unknown until apply; the configuration names \(candidates.joined(separator: ", ")): \(fitting[0]) is the one that can carry \(destination)")
                    return .named(n)
                }
            }
            switch ref(r, path + [attribute], types: types, value: value) {
            case .resource(let a):
                if let n = nameOf[a] { return .named(n) }
                if let target = resource(a), let id = target.string("id"), LanguageWord.isPlain(id),
                   Self.unmodelledPrefixes.contains(where: id.hasPrefix) {
                    warn(r, "route \(destination) -> \(a) (\(id)): not in the language; imported as 'unmodelled \(id)' (not modelled: VPCKit cannot tell what happens beyond it)", into: &report)
                    return .unmodelled(id)
                }
                warn(r, "route \(destination) -> \(a): not imported; imported as a blackhole", into: &report)
            case .external(let id):
                if Self.unmodelledPrefixes.contains(where: id.hasPrefix), LanguageWord.isPlain(id) {
                    warn(r, "route \(destination) -> \(id): not in the language; imported as 'unmodelled \(id)' (not modelled: VPCKit cannot tell what happens beyond it)", into: &report)
                    return .unmodelled(id)
                }
                warn(r, "route \(destination) -> \(id): not managed by this configuration; imported as a blackhole", into: &report)
            case .unresolved, .none:
                break   // warned by ref()
            }
            return .blackhole
        }
        warn(r, "route \(destination): no target; imported as a blackhole", into: &report)
        return .blackhole
    }

    /// Whether the resource at `address` can be the target of a route to `destination` in VPC `vpc`: a peering
    /// of `vpc` whose other VPC holds the destination, a TGW attached to `vpc`, or a resource in `vpc`. What the
    /// resource's name denotes comes from NetworkModel's resolver (``routeTargets``).
    func canCarry(_ address: String, destination: RouteDestination, vpc: Int) -> Bool {
        guard let name = nameOf[address] else { return false }
        let targets = routeTargets ?? RouteTargetNames(topology)
        let resolved = targets.resolved
        let here = VPCID(vpc)
        switch targets.declared[name] {
        case .peering(let p)?:
            guard let p else { return false }   // one of its VPCs is not imported
            let ends = resolved.peerings[p.position]
            guard let other = ends.requester == here ? ends.accepter : ends.accepter == here ? ends.requester : nil else { return false }
            let o = resolved.model(other)
            switch destination {
            case .cidr(.v4(let d)): return o.cidrs.contains { $0.overlaps(d) }
            case .cidr(.v6(let d)): return o.ipv6Cidrs.contains { $0.overlaps(d) }
            case .prefixList: return true
            }
        case .transitGateway(let t)?:
            return resolved.transitGateways[t.position].attachments.contains { resolved.tgwAttachments[$0.position].vpc == here }
        default:
            return vpcOf[address] == vpc
        }
    }

    mutating func destination(_ r: TFResource, _ block: JSONCursor, v4: String, v6: String) throws(JSONError) -> RouteDestination? {
        let p4 = try block.tfPrefix(v4), p6 = try block.tfPrefix(v6)
        if let p = p4 ?? p6 { return .cidr(p) }
        if let pl = block["destination_prefix_list_id"]?.stringValue, !pl.isEmpty {
            if let a = addressByID[pl], let n = nameOf[a] { return .prefixList(n) }
            skip(r, "route", "prefix list \(pl) is not imported")
            return nil
        }
        if let a = address(ref(r, ["destination_prefix_list_id"], types: ["aws_ec2_managed_prefix_list"])), let n = nameOf[a] { return .prefixList(n) }
        return nil
    }

    mutating func buildRouteTables() throws(JSONError) {
        defer { routeTargets = nil }
        var defaultTableVPC: [String: Int] = [:]
        // A data-source VPC's main table too (`data.aws_vpc`'s main_route_table_id).
        for r in resources("aws_vpc", "aws_default_vpc") + dataSources("aws_vpc") {
            if let v = vpcOf[r.address] {
                for key in ["default_route_table_id", "main_route_table_id"] { if let id = r.string(key) { defaultTableVPC[id] = v } }
            }
        }
        var tables: [(address: String, vpc: Int, table: RouteTable)] = []
        var index: [String: Int] = [:]
        for r in resources("aws_route_table", "aws_default_route_table") {
            var v: Int?
            if r.type == "aws_default_route_table" {
                if let id = r.string("default_route_table_id"), let dv = defaultTableVPC[id] { v = dv }
                else if let dv = knownVPC(r) { v = dv }
                else {
                    let vpcs = resolveThroughConfiguration(r, ["default_route_table_id"], types: ["aws_vpc", "aws_default_vpc"])
                    if vpcs.count == 1 { v = vpcOf[vpcs[0]] }
                }
                if v == nil { skip(r, "route table", "its VPC is not known") }
            } else {
                v = vpcIndex(r, "route table")
            }
            guard let v else { continue }
            var table = RouteTable(name: names.name(r.address), id: r.string("id"), isMain: r.type == "aws_default_route_table",
                                   location: at(r))
            nameOf[r.address] = table.name
            if !r.isUnknown(["route"]) {
                for (i, block) in (r.values["route"]?.elements ?? []).enumerated() {
                    guard let d = try destination(r, block, v4: "cidr_block", v6: "ipv6_cidr_block") else { continue }
                    let target = routeTarget(r, block, path: ["route", "\(i)"], destination: d, vpc: v)
                    if target != .local { table.routes.append(Route(destination: d, target: target, location: at(block))) }
                }
            }
            // `propagating_vgws`: VGWs whose routes propagate into the table (AWS's PropagatingVgws).
            for g in (isListWritten(r, "propagating_vgws") ? refs(r, "propagating_vgws", types: Self.vpnGatewayTypes) : nil) ?? [] {
                if let n = propagationName(r, g, vpc: v), !table.propagations.contains(n) { table.propagations.append(n) }
            }
            index[r.address] = tables.count
            vpcOf[r.address] = v
            tables.append((r.address, v, table))
        }
        for r in resources("aws_vpn_gateway_route_propagation") {
            guard let a = address(ref(r, ["route_table_id"], types: ["aws_route_table", "aws_default_route_table"])), let i = index[a] else {
                skip(r, "route propagation", "its route table is not imported")
                continue
            }
            guard let g = address(ref(r, ["vpn_gateway_id"], types: Self.vpnGatewayTypes)), let n = propagationName(r, g, vpc: tables[i].vpc) else {
                skip(r, "route propagation", "its VPN gateway is not imported (or not attached to the table's VPC)")
                continue
            }
            if !tables[i].table.propagations.contains(n) { tables[i].table.propagations.append(n) }
            report.didImport("route propagation")
        }
        let tableTypes: Set<String> = ["aws_route_table", "aws_default_route_table"]
        for r in resources("aws_route") {
            guard let a = address(ref(r, ["route_table_id"], types: tableTypes)), let i = index[a] else {
                skip(r, "route", "its route table is not imported")
                continue
            }
            guard let d = try destination(r, r.values, v4: "destination_cidr_block", v6: "destination_ipv6_cidr_block") else { continue }
            if tables[i].table.routes.contains(where: { $0.destination == d }) { continue }   // also inline in a state
            let target = routeTarget(r, r.values, path: [], destination: d, vpc: tables[i].vpc)
            if target != .local { tables[i].table.routes.append(Route(destination: d, target: target, location: at(r))) }
            report.didImport("route")
        }
        for r in resources("aws_route_table_association") {
            guard let a = address(ref(r, ["route_table_id"], types: tableTypes)), let i = index[a] else {
                skip(r, "route table association", "its route table is not imported")
                continue
            }
            if r.string("gateway_id") != nil || r.isUnknown(["gateway_id"]) {
                // A gateway route table: the IGW or VGW of the table's VPC (edge association).
                guard let g = address(ref(r, ["gateway_id"], types: ["aws_internet_gateway", "aws_vpn_gateway"])), let n = nameOf[g], vpcOf[g] == tables[i].vpc else {
                    skip(r, "route table edge association", "its gateway is not imported (an internet or VPN gateway of the table's VPC)")
                    continue
                }
                if !tables[i].table.edgeAssociations.contains(n) { tables[i].table.edgeAssociations.append(n) }
                report.didImport("route table edge association")
                continue
            }
            guard let (v, subnet) = subnetOf(r), v == tables[i].vpc else {
                skip(r, "route table association", "its subnet is not imported")
                continue
            }
            if !tables[i].table.associations.contains(subnet) { tables[i].table.associations.append(subnet) }
        }
        for r in resources("aws_main_route_table_association") {
            guard let a = address(ref(r, ["route_table_id"], types: tableTypes)), let i = index[a] else {
                skip(r, "main route table association", "its route table is not imported")
                continue
            }
            for j in tables.indices where tables[j].vpc == tables[i].vpc { tables[j].table.isMain = false }
            tables[i].table.isMain = true
        }
        for entry in tables { topology.vpcs[entry.vpc].routeTables.append(entry.table) }
        // Every VPC has a main table; one Terraform does not manage holds only the local routes (placed at the VPC).
        for r in resources("aws_vpc", "aws_default_vpc") + dataSources("aws_vpc") {
            guard let v = vpcOf[r.address], !topology.vpcs[v].routeTables.contains(where: { $0.isMain }) else { continue }
            names.register(key: r.address + "#main-route-table", tag: topology.vpcs[v].name + "-main")
            let name = names.name(r.address + "#main-route-table")
            var table = RouteTable(name: name, id: r.string("main_route_table_id") ?? r.string("default_route_table_id"), isMain: true,
                                   location: at(r))
            if r.type == "aws_default_vpc", topology.vpcs[v].isDefault, let igw = topology.vpcs[v].internetGateway,
               let all = IPv4Prefix(network: IPv4Address(0, 0, 0, 0), length: 0) {
                // AWS's default VPC: its main table routes 0.0.0.0/0 to the internet gateway (AWS-BEHAVIOUR.md §10).
                // (An `aws_default_route_table` would say otherwise: Terraform replaces the routes with its own.)
                table.routes.append(Route(destination: .cidr(.v4(all)), target: .named(igw.name), location: at(r)))
                report.note("\(r.address): the default VPC's main route table is not in the configuration; AWS's default (\(name): 0.0.0.0/0 -> \(igw.name)) assumed")
            }
            topology.vpcs[v].routeTables.append(table)
        }
        report.didImport("route table", count: tables.count)
    }
}

extension TFBuilder {
    /// The VGW name for a propagation into a table of VPC `vpc` (`g`: an address, or `id:vgw-…`), warning when it
    /// is not the VPC's attached VGW.
    mutating func propagationName(_ r: TFResource, _ g: String, vpc: Int) -> String? {
        if let n = nameOf[g], vpcOf[g] == vpc { return n }
        warn(r, "route propagation from \(g.hasPrefix("id:") ? String(g.dropFirst(3)) : g): not a VPN gateway attached to the table's VPC in this configuration; left out", into: &report)
        return nil
    }

    /// The name of the TGW attachment that `address` made on TGW `tgw`: a VPC attachment, a VPN connection's or a
    /// Direct Connect gateway association's attachment, one side of a peering (the accepter has the requester's
    /// id: the side on `tgw` is taken).
    func attachmentName(_ address: String, tgw: Int) -> String? {
        if let side = peeringSides[address]?[tgw] { return side }
        return tgwAttachmentNameOf[address] ?? nameOf[address]
    }

    /// TGW attachments of the edges: VPN connections with `transit_gateway_id`, Direct Connect gateway
    /// associations with a TGW, and peerings (`aws_ec2_transit_gateway_peering_attachment`, one attachment on each
    /// TGW of the configuration: the requester's, and the accepter's when it is accepted).
    mutating func buildEdgeAttachments(tgwIndex: [String: Int], defaultAssociated: inout [Int: [String]], defaultPropagated: inout [Int: [String]]) {
        var tgwResource: [Int: TFResource] = [:]
        for r in resources("aws_ec2_transit_gateway") { if let t = tgwIndex[r.address] { tgwResource[t] = r } }
        func add(_ key: String, tag: String?, id: String?, kind: TGWAttachment.Kind, to t: Int, defaults: Bool, from r: TFResource) -> String {
            names.register(key: key, tag: tag)
            let name = names.name(key)
            let location = at(r)
            topology.transitGateways[t].attachments.append(TGWAttachment(name: name, id: id, kind: kind, location: location))
            if defaults {
                // VPN and Direct Connect gateway attachments take the TGW's default association and propagation.
                if tgwResource[t]?.string("default_route_table_association") != "disable" { defaultAssociated[t, default: []].append(name) }
                if tgwResource[t]?.string("default_route_table_propagation") != "disable" { defaultPropagated[t, default: []].append(name) }
            }
            report.didImport("transit gateway attachment")
            return name
        }
        // VPN connections on a TGW.
        for r in resources("aws_vpn_connection") where isWritten(r, "transit_gateway_id") {
            guard let ta = address(ref(r, ["transit_gateway_id"], types: Self.transitGatewayTypes)), let t = tgwIndex[ta] else { continue }
            let connection = names.name(r.address)
            let name = add(r.address + "#tgw-attachment", tag: connection + "-att", id: r.string("transit_gateway_attachment_id"),
                           kind: .vpn(connection: connection), to: t, defaults: true, from: r)
            tgwAttachmentNameOf[r.address] = name
        }
        // Direct Connect gateway associations with a TGW.
        for r in resources("aws_dx_gateway_association") {
            let attribute = isWritten(r, "associated_gateway_id") ? "associated_gateway_id" : "vpn_gateway_id"
            guard let ta = address(ref(r, [attribute], types: Self.vpnGatewayTypes.union(Self.transitGatewayTypes), quiet: true)), let t = tgwIndex[ta],
                  let d = address(ref(r, ["dx_gateway_id"], types: ["aws_dx_gateway"])), let dxg = nameOf[d] else { continue }
            let name = add(r.address + "#tgw-attachment", tag: dxg + "-att", id: r.string("transit_gateway_attachment_id"),
                           kind: .directConnectGateway(dxg), to: t, defaults: true, from: r)
            tgwAttachmentNameOf[r.address] = name
        }
        // Peerings: static routes only, never default propagation; not default-associated either (conservative:
        // an association must be written).
        var accepterOf: [String: TFResource] = [:]
        for a in resources("aws_ec2_transit_gateway_peering_attachment_accepter") {
            if let p = address(ref(a, ["transit_gateway_attachment_id"], types: ["aws_ec2_transit_gateway_peering_attachment"])) { accepterOf[p] = a }
        }
        for r in resources("aws_ec2_transit_gateway_peering_attachment") {
            guard let ta = address(ref(r, ["transit_gateway_id"], types: Self.transitGatewayTypes)), let t = tgwIndex[ta] else {
                skip(r, "transit gateway peering", "its transit gateway is not imported")
                continue
            }
            guard let pa = address(ref(r, ["peer_transit_gateway_id"], types: Self.transitGatewayTypes)), let p = tgwIndex[pa] else {
                skip(r, "transit gateway peering", "its peer transit gateway is not in this configuration (import both sides together)")
                continue
            }
            if let state = r.string("state"), state != "available", accepterOf[r.address] == nil {
                skip(r, "transit gateway peering", "state \(state) (not accepted)")
                continue
            }
            let id = r.string("id")
            let name = add(r.address, tag: r.nameTag, id: id, kind: .peering(transitGateway: topology.transitGateways[p].name), to: t, defaults: false, from: r)
            nameOf[r.address] = name
            tgwAttachmentNameOf[r.address] = name
            if let accepter = accepterOf[r.address] {
                let side = add(accepter.address, tag: accepter.nameTag, id: id, kind: .peering(transitGateway: topology.transitGateways[t].name), to: p, defaults: false,
                               from: accepter)
                nameOf[accepter.address] = side
                tgwAttachmentNameOf[accepter.address] = side
                // Both addresses name the one peering (the accepter has the attachment's id): each TGW has its side.
                peeringSides[r.address] = [t: name, p: side]
                peeringSides[accepter.address] = [t: name, p: side]
            } else {
                warn(r, "no aws_ec2_transit_gateway_peering_attachment_accepter in this configuration: the peer side (\(topology.transitGateways[p].name)) is left without the attachment", into: &report)
            }
        }
        for a in resources("aws_ec2_transit_gateway_peering_attachment_accepter") where tgwAttachmentNameOf[a.address] == nil {
            skip(a, "transit gateway peering", "its peering attachment is not imported")
        }
    }
}

/// The names of a topology being imported, resolved by NetworkModel's resolver: what a route target denotes
/// (``TFBuilder/canCarry(_:destination:vpc:)``).
struct RouteTargetNames {
    let resolved: ResolvedTopology
    let declared: DeclarationTable
    init(_ topology: Topology) {
        resolved = TopologyResolver.resolve(topology)
        declared = resolved.declarations()
    }
}
