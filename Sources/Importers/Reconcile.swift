// After an import: make the topology one the validator accepts, by leaving out (with a reason) what a snapshot
// holds that AWS itself would not allow together: hand-assembled or half-deleted snapshots, a Terraform plan
// whose values are not all known. Each step mirrors a check of TopologyValidator (Docs/DSL.md, "Validation").
import IPAddressing
import NetworkModel

struct Reconciler {
    var topology: Topology
    var report: ImportReport

    init(topology: Topology, report: ImportReport) {
        self.topology = topology
        self.report = report
    }

    mutating func warn(_ source: String, _ message: String) {
        report.warn(file: source, path: "", message)
    }

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

    mutating func subnets(_ source: String) {
        var removed: Set<String> = []
        for v in topology.vpcs.indices {
            var kept: [Subnet] = []
            let vpc = topology.vpcs[v]
            for s in vpc.subnets {
                let label = s.id ?? s.name
                if !vpc.cidrs.contains(where: { $0.contains(s.cidr) }) {
                    report.retract("subnet", id: label, reason: "its CIDR \(s.cidr) is outside the VPC's blocks (inconsistent snapshot)")
                    removed.insert(s.name)
                } else if s.cidr.length < 16 || s.cidr.length > 28 {
                    report.retract("subnet", id: label, reason: "its CIDR \(s.cidr) is not /16 to /28")
                    removed.insert(s.name)
                } else if let other = kept.first(where: { $0.cidr.overlaps(s.cidr) }) {
                    report.retract("subnet", id: label, reason: "its CIDR \(s.cidr) overlaps subnet \(other.id ?? other.name)")
                    removed.insert(s.name)
                } else {
                    var s = s
                    if let v6 = s.ipv6Cidr, !vpc.ipv6Cidrs.contains(where: { $0.contains(v6) }) { s.ipv6Cidr = nil }
                    kept.append(s)
                }
            }
            topology.vpcs[v].subnets = kept
        }
        guard !removed.isEmpty else { return }
        for v in topology.vpcs.indices {
            topology.vpcs[v].natGateways.removeAll { nat in
                guard removed.contains(nat.subnet) else { return false }
                report.retract("NAT gateway", id: nat.id ?? nat.name, reason: "its subnet is not imported")
                return true
            }
            for t in topology.vpcs[v].routeTables.indices { topology.vpcs[v].routeTables[t].associations.removeAll { removed.contains($0) } }
            for n in topology.vpcs[v].networkACLs.indices { topology.vpcs[v].networkACLs[n].associations.removeAll { removed.contains($0) } }
            for i in topology.vpcs[v].instances.indices {
                topology.vpcs[v].instances[i].interfaces.removeAll { removed.contains($0.subnet) }
            }
            topology.vpcs[v].instances.removeAll { inst in
                guard inst.interfaces.isEmpty else { return false }
                report.retract("instance", id: inst.id ?? inst.name, reason: "its subnet is not imported")
                return true
            }
        }
        for t in topology.transitGateways.indices {
            for a in topology.transitGateways[t].attachments.indices {
                topology.transitGateways[t].attachments[a].subnets.removeAll { removed.contains($0) }
            }
        }
    }

    mutating func gateways(_ source: String) {
        for v in topology.vpcs.indices where topology.vpcs[v].ipv6Cidrs.isEmpty {
            if let g = topology.vpcs[v].egressOnlyGateway {
                report.retract("egress-only internet gateway", id: g.id ?? g.name, reason: "its VPC has no IPv6 block")
                topology.vpcs[v].egressOnlyGateway = nil
            }
        }
    }

    mutating func peerings(_ source: String) {
        let byName = Dictionary(topology.vpcs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var pairs: Set<String> = []
        topology.peerings = topology.peerings.filter { p in
            guard let a = byName[p.requester], let b = byName[p.accepter], a.name != b.name else {
                report.retract("peering connection", id: p.id ?? p.name, reason: "it does not join two imported VPCs")
                return false
            }
            let key = [a.name, b.name].sorted().joined(separator: " ")
            guard pairs.insert(key).inserted else {
                report.retract("peering connection", id: p.id ?? p.name, reason: "a second peering between the same VPCs")
                return false
            }
            let overlap = a.cidrs.contains { x in b.cidrs.contains { $0.overlaps(x) } }
                || a.ipv6Cidrs.contains { x in b.ipv6Cidrs.contains { $0.overlaps(x) } }
            if overlap {
                report.retract("peering connection", id: p.id ?? p.name, reason: "the peered VPCs overlap, which AWS does not allow")
                return false
            }
            return true
        }
    }

    mutating func interfaces(_ source: String) {
        var used: Set<UInt32> = []
        for v in topology.vpcs.indices {
            used.removeAll(keepingCapacity: true)
            let vpc = topology.vpcs[v]
            var subnetCIDR: [String: IPv4Prefix] = [:]
            var subnetV6: [String: IPv6Prefix] = [:]
            for s in vpc.subnets {
                subnetCIDR[s.name] = s.cidr
                if let v6 = s.ipv6Cidr { subnetV6[s.name] = v6 }
            }
            let groups = Set(vpc.securityGroups.map(\.name))
            for i in vpc.instances.indices {
                var kept: [NetworkInterface] = []
                for var eni in vpc.instances[i].interfaces {
                    let label = eni.id ?? "\(vpc.instances[i].name).\(eni.name)"
                    guard let cidr = subnetCIDR[eni.subnet] else { continue }
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
                    if let v6 = subnetV6[eni.subnet] { eni.ipv6Addresses = eni.ipv6Addresses.filter { v6.contains($0) } } else { eni.ipv6Addresses = [] }
                    let foreign = eni.securityGroups.filter { !groups.contains($0) }
                    if !foreign.isEmpty {
                        warn(source, "interface \(label): security groups \(foreign.joined(separator: ", ")) are not in its VPC; left out")
                        eni.securityGroups.removeAll { !groups.contains($0) }
                    }
                    var names = Set(kept.map(\.name))
                    if names.contains(eni.name) {
                        var n = kept.count
                        while names.contains("eth\(n)") { n += 1 }
                        eni.name = "eth\(n)"
                    }
                    names.insert(eni.name)
                    kept.append(eni)
                }
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
                if let cidr = subnetCIDR[nat.subnet], cidr.contains(ip), !Reconciler.reserved(ip, in: cidr), used.insert(ip.bits).inserted { continue }
                warn(source, "NAT gateway \(nat.id ?? nat.name): private address \(ip) is not usable in its subnet; left for the model to pick")
                topology.vpcs[v].natGateways[n].privateIP = nil
            }
        }
    }

    mutating func securityGroupReferences(_ source: String) {
        var groupVPC: [String: Int] = [:]
        for (v, vpc) in topology.vpcs.enumerated() { for g in vpc.securityGroups { groupVPC[g.name] = v } }
        var peered: Set<String> = []
        for p in topology.peerings { peered.insert(p.requester + " " + p.accepter); peered.insert(p.accepter + " " + p.requester) }
        for v in topology.vpcs.indices {
            let vpc = topology.vpcs[v]
            func allowed(_ rule: SecurityGroupRule) -> Bool {
                guard case .securityGroup(let name) = rule.peer else { return true }
                guard let o = groupVPC[name] else { return false }
                if o == v { return true }
                let other = topology.vpcs[o]
                return peered.contains(vpc.name + " " + other.name) && (other.region == nil || vpc.region == nil || other.region == vpc.region)
            }
            for g in vpc.securityGroups.indices {
                let group = vpc.securityGroups[g]
                let ingress = group.ingress.filter(allowed)
                let egress = group.egress?.filter(allowed)
                if ingress.count != group.ingress.count || egress?.count != group.egress?.count {
                    warn(source, "security group \(group.id ?? group.name): rules naming groups outside its VPC and its same-region peers are left out")
                }
                topology.vpcs[v].securityGroups[g].ingress = ingress
                topology.vpcs[v].securityGroups[g].egress = egress
            }
        }
    }

    mutating func associations(_ source: String) {
        for v in topology.vpcs.indices {
            var seen: Set<String> = []
            var hasMain = false
            for t in topology.vpcs[v].routeTables.indices {
                if topology.vpcs[v].routeTables[t].isMain {
                    if hasMain { topology.vpcs[v].routeTables[t].isMain = false }
                    hasMain = true
                }
                topology.vpcs[v].routeTables[t].associations = topology.vpcs[v].routeTables[t].associations.filter { seen.insert($0).inserted }
            }
            seen.removeAll()
            for n in topology.vpcs[v].networkACLs.indices {
                topology.vpcs[v].networkACLs[n].associations = topology.vpcs[v].networkACLs[n].associations.filter { seen.insert($0).inserted }
            }
        }
    }

    mutating func transitGateways(_ source: String) {
        var subnetAZ: [String: String] = [:]
        for vpc in topology.vpcs { for s in vpc.subnets { subnetAZ[s.name] = s.availabilityZone ?? s.name } }
        for t in topology.transitGateways.indices {
            var removed: Set<String> = []
            topology.transitGateways[t].attachments = topology.transitGateways[t].attachments.compactMap { a in
                var a = a
                var zones: Set<String> = []
                a.subnets = a.subnets.filter { zones.insert(subnetAZ[$0] ?? $0).inserted }
                if a.subnets.isEmpty {
                    report.retract("transit gateway attachment", id: a.id ?? a.name, reason: "none of its subnets is imported")
                    removed.insert(a.name)
                    return nil
                }
                return a
            }
            var associated: Set<String> = []
            for r in topology.transitGateways[t].routeTables.indices {
                var table = topology.transitGateways[t].routeTables[r]
                table.associations = table.associations.filter { !removed.contains($0) && associated.insert($0).inserted }
                table.propagations = table.propagations.filter { !removed.contains($0) }
                table.routes = table.routes.map { route in
                    if case .attachment(let a) = route.target, removed.contains(a) {
                        warn(source, "TGW route \(route.destination) in \(table.id ?? table.name): attachment \(a) is not imported; imported as a blackhole")
                        return TGWRoute(destination: route.destination, target: .blackhole)
                    }
                    return route
                }
                topology.transitGateways[t].routeTables[r] = table
            }
        }
    }

    mutating func routes(_ source: String) {
        var hasNamedTargets = false
        for vpc in topology.vpcs where !hasNamedTargets {
            for table in vpc.routeTables { for r in table.routes { if case .named = r.target { hasNamedTargets = true } } }
        }
        guard hasNamedTargets else { return }
        // What each name denotes, from NetworkModel's resolver (the names the reconciled topology declares).
        let resolved = TopologyResolver.resolve(topology)
        let declared = resolved.declarations()
        let nat64 = try? IPv6Prefix("64:ff9b::/96")
        for v in topology.vpcs.indices {
            let vpcName = topology.vpcs[v].name
            for t in topology.vpcs[v].routeTables.indices {
                let table = topology.vpcs[v].routeTables[t]
                for r in table.routes.indices {
                    guard case .named(let target) = table.routes[r].target else { continue }
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

extension ImportResult {
    /// Leaves out, with a reason, what the validator would reject (see Reconciler).
    mutating func reconcile(source: String) {
        var r = Reconciler(topology: topology, report: report)
        r.run(source: source)
        topology = r.topology
        report = r.report
    }
}
