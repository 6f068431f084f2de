// After an import: make the topology one the validator accepts, by leaving out (with a reason) what a snapshot
// holds that AWS itself would not allow together: hand-assembled or half-deleted snapshots, a Terraform plan
// whose values are not all known. Each step mirrors a check of TopologyValidator (Docs/DSL.md, "Validation").
//
// Every name a step follows (the subnet a NAT gateway, interface, association or attachment names, an
// interface's groups, a rule's group, a peering's VPCs, a route's target) is resolved by NetworkModel's resolver
// (`TopologyResolver`, the one name resolver) on the topology as the previous steps left it, and steps compare
// the typed ids it gives, never names: a name repeated in another VPC or declared by another kind is another
// resource. A subnet is the one of that name in the resource's own VPC (`ResolvedTopology.subnet(named:in:)`),
// as the validator reads it.
import IPAddressing
import NetworkModel

struct Reconciler {
    var topology: Topology
    var report: ImportReport
    /// The resolved form of `topology`; nil once a step has changed the topology (the next step resolves again).
    private var cache: ResolvedTopology?

    init(topology: Topology, report: ImportReport) {
        self.topology = topology
        self.report = report
    }

    mutating func warn(_ source: String, _ message: String) {
        report.warn(file: source, path: "", message)
    }

    /// The topology as it stands, resolved (once per change).
    mutating func resolved() -> ResolvedTopology {
        if let cache { return cache }
        let r = TopologyResolver.resolve(topology)
        cache = r
        return r
    }

    /// Records that a step changed the topology: what was resolved no longer describes it.
    mutating func changed() { cache = nil }

    /// Runs every step; `source` names the input in warnings.
    mutating func run(source: String) {
        subnets(source)
        gateways(source)
        peerings(source)
        interfaces(source)
        securityGroupReferences(source)
        associations(source)
        transitGateways(source)
        routes(source)
    }

    static func reserved(_ ip: IPv4Address, in cidr: IPv4Prefix) -> Bool {
        let offset = ip.bits &- cidr.network.bits
        return offset < 4 || ip == cidr.last
    }

    /// Leaves out subnets AWS would not have created, then what stands in them: NAT gateways, associations,
    /// interfaces (and instances left without one), TGW attachment subnets, each by its resolved subnet.
    mutating func subnets(_ source: String) {
        // The references as they were before any subnet is left out.
        let resolved = resolved()
        var removed: Set<SubnetID> = []
        var narrowed = false
        for v in topology.vpcs.indices {
            var kept: [Subnet] = []
            let vpc = topology.vpcs[v]
            let ids = resolved.vpcs[v].subnets
            for (k, s) in vpc.subnets.enumerated() {
                let label = s.id ?? s.name
                if !vpc.cidrs.contains(where: { $0.contains(s.cidr) }) {
                    report.retract("subnet", id: label, reason: "its CIDR \(s.cidr) is outside the VPC's blocks (inconsistent snapshot)")
                    removed.insert(ids[ids.startIndex + k])
                } else if s.cidr.length < 16 || s.cidr.length > 28 {
                    report.retract("subnet", id: label, reason: "its CIDR \(s.cidr) is not /16 to /28")
                    removed.insert(ids[ids.startIndex + k])
                } else if let other = kept.first(where: { $0.cidr.overlaps(s.cidr) }) {
                    report.retract("subnet", id: label, reason: "its CIDR \(s.cidr) overlaps subnet \(other.id ?? other.name)")
                    removed.insert(ids[ids.startIndex + k])
                } else {
                    var s = s
                    if let v6 = s.ipv6Cidr, !vpc.ipv6Cidrs.contains(where: { $0.contains(v6) }) {
                        s.ipv6Cidr = nil
                        narrowed = true
                    }
                    kept.append(s)
                }
            }
            topology.vpcs[v].subnets = kept
        }
        if narrowed { changed() }
        guard !removed.isEmpty else { return }
        changed()
        func isRemoved(_ s: SubnetID?) -> Bool { s.map { removed.contains($0) } ?? false }
        for v in topology.vpcs.indices {
            let vpcID = VPCID(v)
            topology.vpcs[v].natGateways = topology.vpcs[v].natGateways.keeping { _, nat in
                guard isRemoved(resolved.subnet(named: nat.subnet, in: vpcID)) else { return true }
                report.retract("NAT gateway", id: nat.id ?? nat.name, reason: "its subnet is not imported")
                return false
            }
            for t in topology.vpcs[v].routeTables.indices {
                topology.vpcs[v].routeTables[t].associations.removeAll { isRemoved(resolved.subnet(named: $0, in: vpcID)) }
            }
            for n in topology.vpcs[v].networkACLs.indices {
                topology.vpcs[v].networkACLs[n].associations.removeAll { isRemoved(resolved.subnet(named: $0, in: vpcID)) }
            }
            for i in topology.vpcs[v].instances.indices {
                topology.vpcs[v].instances[i].interfaces.removeAll { isRemoved(resolved.subnet(named: $0.subnet, in: vpcID)) }
            }
            topology.vpcs[v].instances.removeAll { inst in
                guard inst.interfaces.isEmpty else { return false }
                report.retract("instance", id: inst.id ?? inst.name, reason: "its subnet is not imported")
                return true
            }
            // Interface endpoints: their ENIs in a left-out subnet go with it (addresses and ENI ids are in the
            // order of the subnets); an endpoint left with no subnet is left out.
            for e in topology.vpcs[v].endpoints.indices where topology.vpcs[v].endpoints[e].kind == .interface {
                var endpoint = topology.vpcs[v].endpoints[e]
                let keep = endpoint.subnets.map { !isRemoved(resolved.subnet(named: $0, in: vpcID)) }
                guard keep.contains(false) else { continue }
                func kept<T>(_ values: [T]) -> [T] { values.enumerated().filter { $0.offset >= keep.count || keep[$0.offset] }.map(\.element) }
                endpoint.subnets = kept(endpoint.subnets)
                endpoint.addresses = kept(endpoint.addresses)
                endpoint.interfaceIDs = kept(endpoint.interfaceIDs)
                topology.vpcs[v].endpoints[e] = endpoint
            }
            topology.vpcs[v].endpoints.removeAll { e in
                guard e.kind == .interface, e.subnets.isEmpty else { return false }
                report.retract("VPC endpoint", id: e.id ?? e.name, reason: "none of its subnets is imported")
                return true
            }
        }
        for t in topology.transitGateways.indices {
            let attachments = resolved.attachmentsByPosition(of: TransitGatewayID(t))
            for a in topology.transitGateways[t].attachments.indices {
                // An attachment whose VPC is not imported resolves no subnet (validation reports it).
                guard let id = attachments[a] else { continue }
                let vpc = resolved.tgwAttachments[id.position].vpc
                topology.transitGateways[t].attachments[a].subnets.removeAll { isRemoved(resolved.subnet(named: $0, in: vpc)) }
            }
        }
    }

    mutating func gateways(_ source: String) {
        for v in topology.vpcs.indices where topology.vpcs[v].ipv6Cidrs.isEmpty {
            if let g = topology.vpcs[v].egressOnlyGateway {
                report.retract("egress-only internet gateway", id: g.id ?? g.name, reason: "its VPC has no IPv6 block")
                topology.vpcs[v].egressOnlyGateway = nil
                changed()
            }
        }
    }

    /// Leaves out peerings that do not join two imported VPCs (by their resolved VPCs), repeat a pair or join
    /// overlapping VPCs.
    mutating func peerings(_ source: String) {
        guard !topology.peerings.isEmpty else { return }
        let resolved = resolved()
        var byPosition = [PeeringID?](repeating: nil, count: topology.peerings.count)
        for p in resolved.peerings.indices { byPosition[Int(resolved.peerings[p].position)] = PeeringID(p) }
        var pairs: Set<VPCPair> = []
        let before = topology.peerings.count
        topology.peerings = topology.peerings.keeping { k, p in
            guard let id = byPosition[k], case let ends = resolved.peerings[id.position], ends.requester != ends.accepter else {
                report.retract("peering connection", id: p.id ?? p.name, reason: "it does not join two imported VPCs")
                return false
            }
            guard pairs.insert(VPCPair(ends.requester, ends.accepter)).inserted else {
                report.retract("peering connection", id: p.id ?? p.name, reason: "a second peering between the same VPCs")
                return false
            }
            let a = resolved.model(ends.requester), b = resolved.model(ends.accepter)
            let overlap = a.cidrs.contains { x in b.cidrs.contains { $0.overlaps(x) } }
                || a.ipv6Cidrs.contains { x in b.ipv6Cidrs.contains { $0.overlaps(x) } }
            if overlap {
                report.retract("peering connection", id: p.id ?? p.name, reason: "the peered VPCs overlap, which AWS does not allow")
                return false
            }
            return true
        }
        if topology.peerings.count != before { changed() }
    }

    /// Leaves out interface addresses AWS would not assign in the interface's resolved subnet, and the groups
    /// it names that are not its VPC's; renames an interface whose name its instance repeats.
    mutating func interfaces(_ source: String) {
        let resolved = resolved()
        var didChange = false
        var used: Set<UInt32> = []
        for v in topology.vpcs.indices {
            used.removeAll(keepingCapacity: true)
            let vpcID = VPCID(v)
            let vpc = topology.vpcs[v]
            /// True when `name` denotes a group of this VPC (an interface's `sg NAME`).
            func isLocalGroup(_ name: String) -> Bool {
                resolved.securityGroup(named: name).map { resolved.securityGroups[$0.position].vpc == vpcID } ?? false
            }
            for i in vpc.instances.indices {
                var kept: [NetworkInterface] = []
                for original in vpc.instances[i].interfaces {
                    var eni = original
                    let label = eni.id ?? "\(vpc.instances[i].name).\(eni.name)"
                    guard let subnetID = resolved.subnet(named: eni.subnet, in: vpcID) else { continue }
                    let subnet = resolved.model(subnetID)
                    let cidr = subnet.cidr
                    let problem: String? = !cidr.contains(eni.privateIP) ? "is outside its subnet \(cidr)"
                        : Reconciler.reserved(eni.privateIP, in: cidr) ? "is reserved by AWS in subnet \(cidr)"
                        : used.contains(eni.privateIP.bits) ? "is used twice" : nil
                    if let problem {
                        report.retract("network interface", id: label, reason: "its address \(eni.privateIP) \(problem) (inconsistent snapshot)")
                        continue
                    }
                    used.insert(eni.privateIP.bits)
                    eni.secondaryIPs = eni.secondaryIPs.filter { ip in
                        cidr.contains(ip) && !Reconciler.reserved(ip, in: cidr) && used.insert(ip.bits).inserted
                    }
                    if let v6 = subnet.ipv6Cidr { eni.ipv6Addresses = eni.ipv6Addresses.filter { v6.contains($0) } } else { eni.ipv6Addresses = [] }
                    let foreign = eni.securityGroups.filter { !isLocalGroup($0) }
                    if !foreign.isEmpty {
                        warn(source, "interface \(label): security groups \(foreign.joined(separator: ", ")) are not in its VPC; left out")
                        eni.securityGroups.removeAll { !isLocalGroup($0) }
                    }
                    var names = Set(kept.map(\.name))
                    if names.contains(eni.name) {
                        var n = kept.count
                        while names.contains("eth\(n)") { n += 1 }
                        eni.name = "eth\(n)"
                    }
                    names.insert(eni.name)
                    if eni != original { didChange = true }
                    kept.append(eni)
                }
                if kept.count != vpc.instances[i].interfaces.count { didChange = true }
                topology.vpcs[v].instances[i].interfaces = kept
            }
            topology.vpcs[v].instances.removeAll { inst in
                guard inst.interfaces.isEmpty else { return false }
                report.retract("instance", id: inst.id ?? inst.name, reason: "none of its interfaces could be imported")
                return true
            }
            for n in vpc.natGateways.indices {
                guard let ip = topology.vpcs[v].natGateways[n].privateIP else { continue }
                let nat = topology.vpcs[v].natGateways[n]
                if let s = resolved.subnet(named: nat.subnet, in: vpcID),
                   case let cidr = resolved.model(s).cidr, cidr.contains(ip), !Reconciler.reserved(ip, in: cidr),
                   used.insert(ip.bits).inserted { continue }
                warn(source, "NAT gateway \(nat.id ?? nat.name): private address \(ip) is not usable in its subnet; left for the model to pick")
                topology.vpcs[v].natGateways[n].privateIP = nil
                didChange = true
            }
        }
        if didChange { changed() }
    }

    /// Leaves out rules whose `sg NAME` resolves to a group outside the rule's VPC and its same-region peers
    /// (or to no declared group).
    mutating func securityGroupReferences(_ source: String) {
        let resolved = resolved()
        var peered: Set<VPCPair> = []
        for p in resolved.peerings { peered.insert(VPCPair(p.requester, p.accepter)) }
        var didChange = false
        for v in topology.vpcs.indices {
            let vpcID = VPCID(v)
            let vpc = topology.vpcs[v]
            func allowed(_ rule: SecurityGroupRule) -> Bool {
                guard case .securityGroup(let name) = rule.peer else { return true }
                // A declared group (`sg default` without a group of that name is AWS's implied group, which
                // the validator does not let a rule name: it is left out, as any unknown group).
                guard let g = resolved.securityGroup(named: name) else { return false }
                let o = resolved.securityGroups[g.position].vpc
                if o == vpcID { return true }
                let other = resolved.model(o)
                return peered.contains(VPCPair(vpcID, o)) && (other.region == nil || vpc.region == nil || other.region == vpc.region)
            }
            for g in vpc.securityGroups.indices {
                let group = vpc.securityGroups[g]
                let ingress = group.ingress.filter(allowed)
                let egress = group.egress?.filter(allowed)
                if ingress.count != group.ingress.count || egress?.count != group.egress?.count {
                    warn(source, "security group \(group.id ?? group.name): rules naming groups outside its VPC and its same-region peers are left out")
                    didChange = true
                }
                topology.vpcs[v].securityGroups[g].ingress = ingress
                topology.vpcs[v].securityGroups[g].egress = egress
            }
        }
        if didChange { changed() }
    }

    /// One main table per VPC; a subnet associated once with a table and once with a NACL (the first
    /// association of each resolved subnet wins).
    mutating func associations(_ source: String) {
        let resolved = resolved()
        var didChange = false
        for v in topology.vpcs.indices {
            let vpcID = VPCID(v)
            var seen = SeenSubnets()
            var hasMain = false
            for t in topology.vpcs[v].routeTables.indices {
                if topology.vpcs[v].routeTables[t].isMain {
                    if hasMain { topology.vpcs[v].routeTables[t].isMain = false; didChange = true }
                    hasMain = true
                }
                let associations = topology.vpcs[v].routeTables[t].associations
                topology.vpcs[v].routeTables[t].associations = associations.filter { seen.first($0, resolved.subnet(named: $0, in: vpcID)) }
                if topology.vpcs[v].routeTables[t].associations.count != associations.count { didChange = true }
            }
            seen = SeenSubnets()
            for n in topology.vpcs[v].networkACLs.indices {
                let associations = topology.vpcs[v].networkACLs[n].associations
                topology.vpcs[v].networkACLs[n].associations = associations.filter { seen.first($0, resolved.subnet(named: $0, in: vpcID)) }
                if topology.vpcs[v].networkACLs[n].associations.count != associations.count { didChange = true }
            }
        }
        if didChange { changed() }
    }

    /// One subnet per zone in an attachment (by the resolved subnets' zones); attachments left without a
    /// subnet are left out, and so are their associations and propagations; routes to them blackhole.
    mutating func transitGateways(_ source: String) {
        guard !topology.transitGateways.isEmpty else { return }
        let resolved = resolved()
        var didChange = false
        for t in topology.transitGateways.indices {
            let tgw = TransitGatewayID(t)
            let ids = resolved.attachmentsByPosition(of: tgw)
            var removed: Set<TGWAttachmentID> = []
            let before = topology.transitGateways[t].attachments
            topology.transitGateways[t].attachments = before.indices.compactMap { k in
                var a = before[k]
                // VPN, Direct Connect gateway and peering attachments have no subnets.
                if a.kind != .vpc { return a }
                // An attachment whose VPC is not imported resolves nothing: validation reports it.
                guard let id = ids[k] else { return a }
                let vpc = resolved.tgwAttachments[id.position].vpc
                var zones: Set<String> = []
                a.subnets = a.subnets.filter { name in
                    let zone = resolved.subnet(named: name, in: vpc).map { s in resolved.model(s).availabilityZone ?? name }
                    return zones.insert(zone ?? name).inserted
                }
                if a.subnets.isEmpty {
                    report.retract("transit gateway attachment", id: a.id ?? a.name, reason: "none of its subnets is imported")
                    removed.insert(id)
                    return nil
                }
                return a
            }
            if topology.transitGateways[t].attachments != before { didChange = true }
            func isRemoved(_ name: String) -> Bool { resolved.tgwAttachment(named: name, in: tgw).map { removed.contains($0) } ?? false }
            var associated: Set<TGWAttachmentID> = []
            var associatedNames: Set<String> = []
            for r in topology.transitGateways[t].routeTables.indices {
                var table = topology.transitGateways[t].routeTables[r]
                table.associations = table.associations.filter { name in
                    if isRemoved(name) { return false }
                    // An attachment is associated with one table: the first association written.
                    if let a = resolved.tgwAttachment(named: name, in: tgw) { return associated.insert(a).inserted }
                    return associatedNames.insert(name).inserted
                }
                table.propagations = table.propagations.filter { !isRemoved($0) }
                table.routes = table.routes.map { route in
                    if case .attachment(let a) = route.target, isRemoved(a) {
                        warn(source, "TGW route \(route.destination) in \(table.id ?? table.name): attachment \(a) is not imported; imported as a blackhole")
                        return TGWRoute(destination: route.destination, target: .blackhole, location: route.location)
                    }
                    return route
                }
                if table != topology.transitGateways[t].routeTables[r] { didChange = true }
                topology.transitGateways[t].routeTables[r] = table
            }
        }
        if didChange { changed() }
    }

    mutating func routes(_ source: String) {
        var hasNamedTargets = false
        for vpc in topology.vpcs where !hasNamedTargets {
            for table in vpc.routeTables { for r in table.routes { if case .named = r.target { hasNamedTargets = true } } }
        }
        guard hasNamedTargets else { return }
        // What each name denotes, from NetworkModel's resolver (the names the reconciled topology declares).
        let resolved = resolved()
        let declared = resolved.declarations()
        let nat64 = try? IPv6Prefix("64:ff9b::/96")
        for v in topology.vpcs.indices {
            let vpcName = topology.vpcs[v].name
            for t in topology.vpcs[v].routeTables.indices {
                let table = topology.vpcs[v].routeTables[t]
                for r in table.routes.indices {
                    guard case .named(let target) = table.routes[r].target else { continue }
                    // The VPC's own virtual private gateway.
                    if topology.vpcs[v].vpnGateway?.name == target { continue }
                    // The VPC's own Gateway Load Balancer endpoint (the importers checked its VPC).
                    if topology.vpcs[v].endpoints.contains(where: { $0.kind == .gatewayLoadBalancer && $0.name == target }) { continue }
                    let destination = table.routes[r].destination
                    var isV6 = false
                    if case .cidr(.v6) = destination { isV6 = true }
                    // The VPC a VPC-scoped target is in.
                    func elsewhere(_ owner: VPCID) -> String? { owner.position != v ? "is in another VPC" : nil }
                    var problem: String?
                    switch declared[target] {
                    case .internetGateway(let g)?: problem = elsewhere(VPCID(g.index))
                    case .egressOnlyGateway(let g)?: problem = elsewhere(VPCID(g.index)) ?? (isV6 ? nil : "routes only IPv6")
                    case .natGateway(let n)?:
                        problem = elsewhere(resolved.natGateways[n.position].vpc)
                        if problem == nil, case .cidr(.v6(let p)) = destination, let nat64, !nat64.contains(p) { problem = "takes IPv6 only as NAT64" }
                    case .instance(let i)?: problem = elsewhere(resolved.instances[i.position].vpc)
                    case .peering(let p?)?:
                        let peering = resolved.model(p)
                        if peering.requester != vpcName && peering.accepter != vpcName { problem = "does not join this VPC" }
                    case .transitGateway(let g)?:
                        if !resolved.model(g).attachments.contains(where: { $0.vpc == vpcName }) {
                            problem = "has no attachment in this VPC (AWS shows the route as a blackhole)"
                        }
                    default:
                        // `instance.interface`
                        if let dot = target.lastIndex(of: "."), case .instance(let i)? = declared[String(target[..<dot])],
                           resolved.model(i).interfaces.contains(where: { $0.name == target[target.index(after: dot)...] }) {
                            problem = elsewhere(resolved.instances[i.position].vpc)
                        } else {
                            problem = "is not imported"
                        }
                    }
                    if let problem {
                        warn(source, "route table \(table.id ?? table.name): route \(destination) -> \(target): the target \(problem); imported as a blackhole")
                        topology.vpcs[v].routeTables[t].routes[r].target = .blackhole
                    }
                }
            }
        }
    }
}

/// Two VPCs, in either order (a peering joins a pair).
struct VPCPair: Hashable {
    let low: VPCID, high: VPCID
    init(_ a: VPCID, _ b: VPCID) { (low, high) = a < b ? (a, b) : (b, a) }
}

/// The subnets a list of associations has named so far: by resolved subnet, or by name for one that does not
/// resolve (the validator reports it; the first of a repeated dangling name is kept, as before).
struct SeenSubnets {
    private var ids: Set<SubnetID> = []
    private var names: Set<String> = []
    /// True the first time `subnet` (resolved from `name`) is seen.
    mutating func first(_ name: String, _ subnet: SubnetID?) -> Bool {
        if let subnet { return ids.insert(subnet).inserted }
        return names.insert(name).inserted
    }
}

extension ResolvedTopology {
    /// The resolved attachment of each attachment `transitGateway` writes, by written position (nil: its VPC
    /// does not exist).
    func attachmentsByPosition(of transitGateway: TransitGatewayID) -> [TGWAttachmentID?] {
        var out = [TGWAttachmentID?](repeating: nil, count: model(transitGateway).attachments.count)
        for a in transitGateways[transitGateway.position].attachments { out[Int(tgwAttachments[a.position].position)] = a }
        return out
    }
}

extension Array {
    /// The elements for which `keep(position, element)` is true, in order; `keep` is called once per element,
    /// in order.
    func keeping(_ keep: (Int, Element) -> Bool) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        for (k, e) in enumerated() where keep(k, e) { out.append(e) }
        return out
    }
}

extension ImportResult {
    /// Leaves out, with a reason, what the validator would reject (see Reconciler).
    mutating func reconcile(source: String) {
        var r = Reconciler(topology: topology, report: report)
        r.run(source: source)
        topology = r.topology
        report = r.report
    }
}
