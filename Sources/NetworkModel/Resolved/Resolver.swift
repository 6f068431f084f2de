import IPAddressing
import Reporting

/// Resolves every reference of a topology once (Docs/ARCHITECTURE.md, "Resolve once"): names become typed ids,
/// the `default` markers and AWS's implied defaults (default group, main table, allow-all NACL) become
/// explicit. The only name resolver: compiling, linting and importing read the result.
///
/// It never fails: a reference that does not resolve is left out or `nil` (``TopologyValidator`` reports
/// it), so that an invalid topology still resolves as it always compiled (a route to an unknown target
/// blackholes, an interface in an unknown subnet is unusable).
public enum TopologyResolver {
    /// The resolved form of `topology`.
    ///
    /// - Complexity: O(size of the topology); one hash per name declared and per name referenced.
    public static func resolve(_ topology: Topology) -> ResolvedTopology {
        var r = ResolvedTopology(topology: topology)
        r.resolveAll()
        return r
    }
}

extension ResolvedTopology {
    /// An interface a route can target by name or AWS id: an instance interface or a NAT gateway.
    enum TargetInterface {
        case instance(NetworkInterfaceID), nat(NATGatewayID)
    }

    mutating func resolveAll() {
        let t = topology
        prefixLists = IDRange(0, t.prefixLists.count)
        prefixListByName = NameMap(minimumCapacity: t.prefixLists.count)
        for (i, pl) in t.prefixLists.enumerated() { prefixListByName.set(PrefixListID(i), for: pl.name) }

        var subnetCount = 0, groupCount = 0, instanceCount = 0, interfaceCount = 0, natCount = 0, tableCount = 0
        var aclCount = 0
        for vpc in t.vpcs {
            subnetCount += vpc.subnets.count
            groupCount += vpc.securityGroups.count + 1
            natCount += vpc.natGateways.count
            instanceCount += vpc.instances.count
            tableCount += vpc.routeTables.count + 1
            aclCount += vpc.networkACLs.count
            for instance in vpc.instances { interfaceCount += instance.interfaces.count }
        }
        vpcs.reserveCapacity(t.vpcs.count)
        subnets.reserveCapacity(subnetCount)
        securityGroups.reserveCapacity(groupCount)
        networkACLs.reserveCapacity(aclCount)
        instances.reserveCapacity(instanceCount)
        interfaces.reserveCapacity(interfaceCount)
        interfaceSecurityGroups.reserveCapacity(interfaceCount)
        natGateways.reserveCapacity(natCount)
        routeTables.reserveCapacity(tableCount)
        vpcByName = NameMap(minimumCapacity: t.vpcs.count)
        subnetByName = NameMap(minimumCapacity: subnetCount)
        securityGroupByName = NameMap(minimumCapacity: groupCount)

        resolveVPCsAndGroups()
        resolveGroupRules()
        resolveNetworkACLs()
        resolveSubnets()
        let targets = resolveInterfaces()
        resolveTransitGateways()
        resolvePeerings()
        resolveRouteTables(targets)
        resolveEndpoints()
        resolveEdges()
    }

    /// VPCs and their groups' names first, so that references resolve in any order; the default group.
    mutating func resolveVPCsAndGroups() {
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = VPCID(vi)
            vpcByName.set(v, for: vpc.name)
            let firstGroup = securityGroups.count
            for (k, sg) in vpc.securityGroups.enumerated() {
                securityGroupByName.set(SecurityGroupID(securityGroups.count), for: sg.name)
                securityGroups.append(ResolvedSecurityGroup(vpc: v, position: Int32(k), ingress: 0..<0, egress: 0..<0,
                                                            isShadowed: false))
            }
            let defaultGroup: SecurityGroupID?
            let implied: Bool
            if let declared = vpc.defaultSecurityGroup {
                // Marked `default`, or named `default` (the last of that name so far: this VPC's).
                defaultGroup = securityGroupByName[declared.name]
                implied = false
            } else {
                // AWS's default group: all traffic from itself, all egress.
                defaultGroup = SecurityGroupID(securityGroups.count)
                securityGroups.append(ResolvedSecurityGroup(vpc: v, position: nil, ingress: 0..<0, egress: nil, isShadowed: false))
                implied = true
            }
            vpcs.append(ResolvedVPC(
                subnets: IDRange(0, 0), securityGroups: IDRange(firstGroup, securityGroups.count), networkACLs: IDRange(0, 0),
                instances: IDRange(0, 0), natGateways: IDRange(0, 0), routeTables: IDRange(0, 0),
                defaultSecurityGroup: defaultGroup, impliesDefaultSecurityGroup: implied, mainRouteTable: RouteTableID(-1),
                impliesMainRouteTable: false, defaultNetworkACL: nil, peerings: [],
                internetGateway: vpc.internetGateway == nil ? nil : InternetGatewayID(vi),
                egressOnlyGateway: vpc.egressOnlyGateway == nil ? nil : EgressOnlyGatewayID(vi)))
        }
    }

    /// Each written group's rules; a group whose name a later group repeats gets none (its rules went to the
    /// later one, which then received its own).
    mutating func resolveGroupRules() {
        var rules: [ResolvedSGRule] = []
        for (vi, vpc) in topology.vpcs.enumerated() {
            let defaultGroup = vpcs[vi].defaultSecurityGroup
            for sg in vpc.securityGroups {
                guard let g = securityGroupByName[sg.name] else { continue }
                let start = rules.count
                for (k, rule) in sg.ingress.enumerated() { rules.append(ResolvedSGRule(position: Int32(k), peer: peer(rule.peer, defaultGroup))) }
                securityGroups[g.position].ingress = start..<rules.count
                if let egress = sg.egress {
                    let e = rules.count
                    for (k, rule) in egress.enumerated() { rules.append(ResolvedSGRule(position: Int32(k), peer: peer(rule.peer, defaultGroup))) }
                    securityGroups[g.position].egress = e..<rules.count
                } else {
                    securityGroups[g.position].egress = nil
                }
            }
            for g in vpcs[vi].securityGroups {
                if let p = securityGroups[g.position].position, securityGroupByName[vpc.securityGroups[Int(p)].name] != g {
                    securityGroups[g.position].ingress = 0..<0
                    securityGroups[g.position].egress = 0..<0
                    securityGroups[g.position].isShadowed = true
                }
            }
        }
        securityGroupRules = rules
    }

    func peer(_ p: SecurityGroupRule.Peer, _ defaultGroup: SecurityGroupID?) -> ResolvedSGPeer {
        switch p {
        case .cidr: .cidr
        case .prefixList(let n): .prefixList(prefixListByName[n])
        // `sg default`: the VPC's default group (declared under any name, or implied).
        case .securityGroup(let n): .securityGroup(securityGroupByName[n] ?? (n == "default" ? defaultGroup : nil))
        }
    }

    func destination(_ d: RouteDestination) -> ResolvedDestination {
        switch d {
        case .cidr: .cidr
        case .prefixList(let n): .prefixList(prefixListByName[n])
        }
    }

    mutating func resolveNetworkACLs() {
        networkACLByName = NameMap(minimumCapacity: networkACLs.capacity)
        for (vi, vpc) in topology.vpcs.enumerated() {
            let first = networkACLs.count
            for (k, acl) in vpc.networkACLs.enumerated() {
                networkACLByName.set(NetworkACLID(networkACLs.count), for: acl.name)
                networkACLs.append(ResolvedNetworkACL(vpc: VPCID(vi), position: Int32(k)))
            }
            vpcs[vi].networkACLs = IDRange(first, networkACLs.count)
        }
    }

    /// Subnets, VPC by VPC, and their NACLs: an association names a subnet of the same VPC (the last of that
    /// name so far); subnets without one use the declared default NACL.
    mutating func resolveSubnets() {
        var repeats = [Bool](repeating: false, count: topology.vpcs.count)
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = VPCID(vi)
            let first = subnets.count
            for (k, subnet) in vpc.subnets.enumerated() {
                if let old = subnetByName[subnet.name], subnets[old.position].vpc == v { repeats[vi] = true }
                subnetByName.set(SubnetID(subnets.count), for: subnet.name)
                subnets.append(ResolvedSubnet(vpc: v, position: Int32(k), routeTable: RouteTableID(-1), networkACL: nil))
            }
            vpcs[vi].subnets = IDRange(first, subnets.count)
            for acl in vpc.networkACLs {
                guard let a = networkACLByName[acl.name] else { continue }
                for name in acl.associations {
                    if let s = subnetByName[name], subnets[s.position].vpc == v { subnets[s.position].networkACL = a }
                }
            }
            if let declared = vpc.defaultNetworkACL, let a = networkACLByName[declared.name] {
                vpcs[vi].defaultNetworkACL = a
                for s in vpcs[vi].subnets where subnets[s.position].networkACL == nil { subnets[s.position].networkACL = a }
            }
        }
        repeatsSubnetName = repeats
    }

    /// Instances, their interfaces' subnets and groups, and NAT gateways; returns the interfaces routes can
    /// target, by name and by AWS id, as compiling always keyed them (creation order, the last key wins).
    mutating func resolveInterfaces() -> (byName: NameMap<TargetInterface>, byAWSID: NameMap<TargetInterface>) {
        // Only names some route targets are kept.
        var targetNames = NameMap<Bool>()
        for vpc in topology.vpcs {
            for table in vpc.routeTables {
                for route in table.routes { if case .named(let n) = route.target { targetNames.insertIfAbsent(n, true) } }
            }
        }
        let targetsHaveDot = targetNames.keys.contains { $0.utf8.contains(UInt8(ascii: ".")) }
        var byName = NameMap<TargetInterface>(), byAWSID = NameMap<TargetInterface>()
        func noteName(_ name: String, _ target: TargetInterface) {
            if targetNames[name] != nil { byName.set(target, for: name) }
        }
        func noteID(_ id: String, _ target: TargetInterface) {
            if targetNames[id] != nil { byAWSID.set(target, for: id) }
        }
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = VPCID(vi)
            let defaultGroup = vpcs[vi].defaultSecurityGroup
            let firstInstance = instances.count
            // By index: the fields are read in place, not copied.
            for n in vpc.instances.indices {
                let instance = InstanceID(instances.count)
                let firstInterface = interfaces.count
                for k in vpc.instances[n].interfaces.indices {
                    let subnetName = vpc.instances[n].interfaces[k].subnet
                    var subnet: SubnetID? = nil
                    var mapPublic = false
                    if let s = subnetByName[subnetName], subnets[s.position].vpc == v {
                        subnet = s
                        mapPublic = repeatsSubnetName[vi]
                            ? vpc.subnets.first { $0.name == subnetName }?.mapPublicIP ?? false
                            : vpc.subnets[Int(subnets[s.position].position)].mapPublicIP
                    }
                    // The written groups that exist, else the VPC's default group (when it has one).
                    let start = interfaceSecurityGroups.count
                    for name in vpc.instances[n].interfaces[k].securityGroups {
                        if let g = securityGroupByName[name] { interfaceSecurityGroups.append(g) }
                    }
                    if interfaceSecurityGroups.count == start, let d = defaultGroup { interfaceSecurityGroups.append(d) }
                    let id = NetworkInterfaceID(interfaces.count)
                    interfaces.append(ResolvedInterface(instance: instance, vpc: v, position: Int32(k), subnet: subnet,
                                                        securityGroups: start..<interfaceSecurityGroups.count,
                                                        subnetMapsPublicIP: mapPublic))
                    guard subnet != nil else { continue }
                    let target = TargetInterface.instance(id)
                    if targetsHaveDot { noteName("\(vpc.instances[n].name).\(vpc.instances[n].interfaces[k].name)", target) }
                    if k == 0 {
                        noteName(vpc.instances[n].name, target)
                        if let i = vpc.instances[n].id { noteID(i, target) }
                    }
                    if let i = vpc.instances[n].interfaces[k].id { noteID(i, target) }
                }
                instances.append(ResolvedInstance(vpc: v, position: Int32(n), interfaces: IDRange(firstInterface, interfaces.count)))
            }
            vpcs[vi].instances = IDRange(firstInstance, instances.count)
            let firstNAT = natGateways.count
            for (k, nat) in vpc.natGateways.enumerated() {
                let id = NATGatewayID(natGateways.count)
                var subnet: SubnetID? = nil
                if let s = subnetByName[nat.subnet], subnets[s.position].vpc == v { subnet = s }
                natGateways.append(ResolvedNATGateway(vpc: v, position: Int32(k), subnet: subnet))
                guard subnet != nil else { continue }
                noteName(nat.name, .nat(id))
                if let i = nat.id { noteID(i, .nat(id)) }
            }
            vpcs[vi].natGateways = IDRange(firstNAT, natGateways.count)
        }
        return (byName, byAWSID)
    }

    /// Transit gateways, TGW by TGW: attachments (an attachment name denotes the last attachment of that name
    /// written so far), then the TGW's route tables.
    mutating func resolveTransitGateways() {
        attachmentByName = NameMap()
        for (ti, tgw) in topology.transitGateways.enumerated() {
            let tg = TransitGatewayID(ti)
            var attachments: [TGWAttachmentID] = []
            var edgeAttachments: [TGWEdgeAttachmentID] = []
            for (k, att) in tgw.attachments.enumerated() {
                if att.kind != .vpc {
                    // VPN / DX gateway / peering: a record of its own (kinds resolved in resolveEdges).
                    let e = TGWEdgeAttachmentID(tgwEdgeAttachments.count)
                    tgwEdgeAttachments.append(ResolvedTGWEdgeAttachment(transitGateway: tg, position: Int32(k), kind: .vpn(nil),
                                                                        associatedRouteTable: nil))
                    edgeAttachmentByName.set(e, for: att.name)
                    edgeAttachments.append(e)
                    continue
                }
                guard let v = vpcByName[att.vpc] else { continue }
                var list: [SubnetID] = []
                for name in att.subnets {
                    if let s = subnetByName[name], subnets[s.position].vpc == v { list.append(s) }
                }
                let a = TGWAttachmentID(tgwAttachments.count)
                tgwAttachments.append(ResolvedTGWAttachment(transitGateway: tg, position: Int32(k), vpc: v, subnets: list,
                                                            associatedRouteTable: nil))
                attachmentByName.set(a, for: att.name)
                attachments.append(a)
            }
            let firstTable = tgwRouteTables.count
            for (k, table) in tgw.routeTables.enumerated() {
                let t = TGWRouteTableID(tgwRouteTables.count)
                let start = tgwRoutes.count
                for (j, r) in table.routes.enumerated() {
                    let target: TGWAttachmentID? = switch r.target {
                    case .blackhole: nil
                    case .attachment(let n): attachmentByName[n]
                    }
                    var route = ResolvedTGWRoute(position: Int32(j), destination: destination(r.destination), target: target)
                    if target == nil, case .attachment(let n) = r.target, let e = edgeAttachmentByName[n],
                       tgwEdgeAttachments[e.position].transitGateway == tg {
                        route.edgeTarget = e
                    }
                    tgwRoutes.append(route)
                }
                let propagations = table.propagations.compactMap { attachmentByName[$0] }
                for name in table.associations {
                    if let a = attachmentByName[name], tgwAttachments[a.position].transitGateway == tg {
                        tgwAttachments[a.position].associatedRouteTable = t
                    } else if let e = edgeAttachmentByName[name], tgwEdgeAttachments[e.position].transitGateway == tg {
                        tgwEdgeAttachments[e.position].associatedRouteTable = t
                    }
                }
                var resolvedTable = ResolvedTGWRouteTable(transitGateway: tg, position: Int32(k), routes: start..<tgwRoutes.count,
                                                          propagations: propagations)
                if !edgeAttachments.isEmpty {
                    for name in table.propagations where attachmentByName[name] == nil {
                        // Peering attachments never propagate (AWS: static routes only across a peering).
                        if let e = edgeAttachmentByName[name], tgwEdgeAttachments[e.position].transitGateway == tg,
                           tgw.attachments[Int(tgwEdgeAttachments[e.position].position)].kind.isPeering == false {
                            resolvedTable.edgePropagations.append(e)
                        }
                    }
                }
                tgwRouteTables.append(resolvedTable)
            }
            transitGateways.append(ResolvedTransitGateway(attachments: attachments,
                                                          routeTables: IDRange(firstTable, tgwRouteTables.count),
                                                          edgeAttachments: edgeAttachments))
        }
    }

    mutating func resolvePeerings() {
        for (k, p) in topology.peerings.enumerated() {
            guard let a = vpcByName[p.requester], let b = vpcByName[p.accepter] else { continue }
            let id = PeeringID(peerings.count)
            peerings.append(ResolvedPeering(position: Int32(k), requester: a, accepter: b))
            vpcs[a.position].peerings.append(id)
            if b != a { vpcs[b.position].peerings.append(id) }
        }
    }

    /// VPC route tables, their targets (resolved in the table's VPC), the main table and associations.
    mutating func resolveRouteTables(_ targets: (byName: NameMap<TargetInterface>, byAWSID: NameMap<TargetInterface>)) {
        var flat: [ResolvedRoute] = []
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = VPCID(vi)
            // The VPC's peerings by name (the first written wins a repeated name).
            var peeringByName = NameMap<PeeringID>(minimumCapacity: vpcs[vi].peerings.count)
            for p in vpcs[vi].peerings { peeringByName.insertIfAbsent(topology.peerings[Int(peerings[p.position].position)].name, p) }
            func resolve(_ target: Route.Target) -> ResolvedRouteTarget {
                switch target {
                case .local: return .local
                case .blackhole: return .blackhole
                case .unmodelled: return .unmodelled
                case .named(let n):
                    if n == vpc.internetGateway?.name || (n == vpc.internetGateway?.id && n.hasPrefix("igw-")) {
                        return .internetGateway(InternetGatewayID(vi))
                    }
                    if n == vpc.egressOnlyGateway?.name || (n == vpc.egressOnlyGateway?.id && n.hasPrefix("eigw-")) {
                        return .egressOnlyGateway(EgressOnlyGatewayID(vi))
                    }
                    if let g = vpc.vpnGateway, n == g.name || (n == g.id && n.hasPrefix("vgw-")) {
                        return .vpnGateway(VPNGatewayID(vi))
                    }
                    if let p = peeringByName[n] { return .peering(p) }
                    // A Gateway Load Balancer endpoint of this VPC (by name or `vpce-` id): not yet followed by
                    // reachability, so outside the model (`UNSUPPORTED_COMPONENT`, never "reachable"; Docs/SEMANTICS.md).
                    if vpc.endpoints.contains(where: { $0.kind == .gatewayLoadBalancer && ($0.name == n || $0.id == n) }) {
                        return .unmodelled
                    }
                    if let t = topology.transitGateways.firstIndex(where: { $0.name == n || $0.id == n }) {
                        return .transitGateway(TransitGatewayID(t))
                    }
                    switch targets.byName[n] ?? targets.byAWSID[n] {
                    case .instance(let e)? where interfaces[e.position].vpc == v: return .interface(e)
                    case .nat(let g)? where natGateways[g.position].vpc == v: return .natGateway(g)
                    default: return .unresolved
                    }
                }
            }
            let first = routeTables.count
            var main: RouteTableID? = nil
            var tableByName = NameMap<RouteTableID>(minimumCapacity: vpc.routeTables.count)
            for (k, table) in vpc.routeTables.enumerated() {
                let start = flat.count
                for (j, r) in table.routes.enumerated() {
                    flat.append(ResolvedRoute(position: Int32(j), destination: destination(r.destination), target: resolve(r.target)))
                }
                let t = RouteTableID(routeTables.count)
                tableByName.set(t, for: table.name)
                routeTables.append(ResolvedRouteTable(vpc: v, position: Int32(k), routes: start..<flat.count))
                if table.isMain && main == nil { main = t }
            }
            if main == nil {
                // No main table written: AWS's main table holds only the local routes.
                main = RouteTableID(routeTables.count)
                routeTables.append(ResolvedRouteTable(vpc: v, position: nil, routes: flat.count..<flat.count))
                vpcs[vi].impliesMainRouteTable = true
            }
            let mainTable = main ?? RouteTableID(-1)
            vpcs[vi].mainRouteTable = mainTable
            vpcs[vi].routeTables = IDRange(first, routeTables.count)
            for s in vpcs[vi].subnets { subnets[s.position].routeTable = mainTable }
            for table in vpc.routeTables {
                guard let t = tableByName[table.name] else { continue }
                for name in table.associations {
                    if let s = subnetByName[name], subnets[s.position].vpc == v { subnets[s.position].routeTable = t }
                }
            }
        }
        routes = flat
    }
}

extension TopologyValidator {
    /// Validates and resolves in one call: the diagnostics of ``validate(_:sources:)`` and the resolved
    /// topology (whose references are the ones validation accepted when there are no errors; with errors, the
    /// dangling ones are `nil` or left out).
    public static func validateAndResolve(_ topology: Topology, sources: [String: SourceText] = [:])
        -> (resolved: ResolvedTopology, diagnostics: [Diagnostic]) {
        (TopologyResolver.resolve(topology), validate(topology, sources: sources))
    }
}
