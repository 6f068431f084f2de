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
            let p = Peering(name: names.name(r.address), id: r.string("id"), requester: topology.vpcs[va].name, accepter: topology.vpcs[vb].name)
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
            topology.transitGateways.append(TransitGateway(name: name, id: r.string("id"), region: doc.region, account: r.string("owner_id"),
                                                           securityGroupReferencing: r.string("security_group_referencing_support") == "enable"))
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
                                                                         subnets: subnets, applianceMode: r.string("appliance_mode_support") == "enable"))
            let tgw = doc.resources[doc.byAddress[ta] ?? 0]
            if r.values["transit_gateway_default_route_table_association"]?.boolValue ?? true, tgw.string("default_route_table_association") != "disable" {
                defaultAssociated[t, default: []].append(name)
            }
            if r.values["transit_gateway_default_route_table_propagation"]?.boolValue ?? true, tgw.string("default_route_table_propagation") != "disable" {
                defaultPropagated[t, default: []].append(name)
            }
            report.didImport("transit gateway attachment")
        }
        var tableIndex: [String: (Int, Int)] = [:]
        for r in resources("aws_ec2_transit_gateway_route_table") {
            guard let ta = address(ref(r, ["transit_gateway_id"], types: ["aws_ec2_transit_gateway"])), let t = tgwIndex[ta] else {
                skip(r, "transit gateway route table", "its transit gateway is not imported")
                continue
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            tableIndex[r.address] = (t, topology.transitGateways[t].routeTables.count)
            topology.transitGateways[t].routeTables.append(TGWRouteTable(name: name, id: r.string("id")))
            report.didImport("transit gateway route table")
        }
        let tableTypes: Set<String> = ["aws_ec2_transit_gateway_route_table"]
        let attachmentTypes: Set<String> = ["aws_ec2_transit_gateway_vpc_attachment"]
        for (type, isAssociation) in [("aws_ec2_transit_gateway_route_table_association", true), ("aws_ec2_transit_gateway_route_table_propagation", false)] {
            for r in resources(type) {
                guard let ta = address(ref(r, ["transit_gateway_route_table_id"], types: tableTypes)), let (t, i) = tableIndex[ta],
                      let aa = address(ref(r, ["transit_gateway_attachment_id"], types: attachmentTypes)), let an = nameOf[aa] else {
                    skip(r, isAssociation ? "TGW association" : "TGW propagation", "its route table or attachment is not imported")
                    continue
                }
                if isAssociation { topology.transitGateways[t].routeTables[i].associations.append(an) }
                else { topology.transitGateways[t].routeTables[i].propagations.append(an) }
            }
        }
        for r in resources("aws_ec2_transit_gateway_route", "aws_ec2_transit_gateway_prefix_list_reference") {
            guard let ta = address(ref(r, ["transit_gateway_route_table_id"], types: tableTypes)), let (t, i) = tableIndex[ta] else {
                skip(r, "transit gateway route", "its route table is not imported")
                continue
            }
            let destination: RouteDestination
            if let p = try r.values.tfPrefix("destination_cidr_block") { destination = .cidr(p) }
            else if let pl = address(ref(r, ["prefix_list_id"], types: ["aws_ec2_managed_prefix_list"])), let n = nameOf[pl] { destination = .prefixList(n) }
            else { skip(r, "transit gateway route", "its destination is unknown or not imported"); continue }
            var target = TGWRoute.Target.blackhole
            if r.values["blackhole"]?.boolValue != true {
                if let aa = address(ref(r, ["transit_gateway_attachment_id"], types: attachmentTypes)), let an = nameOf[aa] { target = .attachment(an) }
                else { warn(r, "route \(destination): its attachment is not imported; imported as a blackhole", into: &report) }
            }
            topology.transitGateways[t].routeTables[i].routes.append(TGWRoute(destination: destination, target: target))
            report.didImport("transit gateway route")
        }
        // AWS's default route table of a TGW (not a Terraform resource): created when default association or
        // propagation is enabled; attachments that keep the defaults use it.
        for r in resources("aws_ec2_transit_gateway") {
            guard let t = tgwIndex[r.address] else { continue }
            let associated = defaultAssociated[t] ?? [], propagated = defaultPropagated[t] ?? []
            guard !associated.isEmpty || !propagated.isEmpty else { continue }
            let explicitlyAssociated = Set(topology.transitGateways[t].routeTables.flatMap(\.associations))
            names.register(key: r.address + "#default-route-table", tag: topology.transitGateways[t].name + "-default")
            topology.transitGateways[t].routeTables.append(TGWRouteTable(
                name: names.name(r.address + "#default-route-table"),
                id: r.string("association_default_route_table_id"),
                associations: associated.filter { !explicitlyAssociated.contains($0) }, propagations: propagated))
            report.note("\(r.address): AWS's default route table imported (attachments that keep default association/propagation use it)")
        }
    }

    /// Id prefixes of route targets the model has no component for (virtual private gateways, VPC endpoints,
    /// carrier and local gateways): routes to them are imported as `-> unmodelled ID`.
    static let unmodelledPrefixes = ["vgw-", "vpce-", "cagw-", "lgw-"]

    /// Route target attributes and the resource types each may name.
    static let targetAttributes: [(String, Set<String>)] = [
        ("gateway_id", ["aws_internet_gateway"]), ("nat_gateway_id", ["aws_nat_gateway"]),
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
        for r in resources("aws_vpc", "aws_default_vpc") {
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
                else {
                    let vpcs = resolveThroughConfiguration(r, ["default_route_table_id"], types: ["aws_vpc", "aws_default_vpc"])
                    if vpcs.count == 1 { v = vpcOf[vpcs[0]] }
                }
                if v == nil { skip(r, "route table", "its VPC is not known") }
            } else {
                v = vpcIndex(r, "route table")
            }
            guard let v else { continue }
            var table = RouteTable(name: names.name(r.address), id: r.string("id"), isMain: r.type == "aws_default_route_table")
            nameOf[r.address] = table.name
            if !r.isUnknown(["route"]) {
                for (i, block) in (r.values["route"]?.elements ?? []).enumerated() {
                    guard let d = try destination(r, block, v4: "cidr_block", v6: "ipv6_cidr_block") else { continue }
                    let target = routeTarget(r, block, path: ["route", "\(i)"], destination: d, vpc: v)
                    if target != .local { table.routes.append(Route(destination: d, target: target)) }
                }
            }
            index[r.address] = tables.count
            tables.append((r.address, v, table))
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
            if target != .local { tables[i].table.routes.append(Route(destination: d, target: target)) }
            report.didImport("route")
        }
        for r in resources("aws_route_table_association") {
            guard let a = address(ref(r, ["route_table_id"], types: tableTypes)), let i = index[a] else {
                skip(r, "route table association", "its route table is not imported")
                continue
            }
            if r.string("gateway_id") != nil || r.isUnknown(["gateway_id"]) {
                skip(r, "route table edge association", "gateway route tables are not in the language")
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
        // Every VPC has a main table; one Terraform does not manage holds only the local routes.
        for r in resources("aws_vpc", "aws_default_vpc") + dataSources("aws_vpc") {
            guard let v = vpcOf[r.address], !topology.vpcs[v].routeTables.contains(where: { $0.isMain }) else { continue }
            names.register(key: r.address + "#main-route-table", tag: topology.vpcs[v].name + "-main")
            let name = names.name(r.address + "#main-route-table")
            topology.vpcs[v].routeTables.append(RouteTable(name: name, id: r.string("main_route_table_id") ?? r.string("default_route_table_id"), isMain: true))
        }
        report.didImport("route table", count: tables.count)
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
