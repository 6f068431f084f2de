import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Compiles `topology`. Dangling references (validation's job) compile to unusable components rather than
    /// trapping: a route to an unknown target becomes an `unresolved` target that blocks with
    /// `BAD_STATE_ROUTE`; an unknown subnet drops the interface.
    ///
    /// - Complexity: O(size of the topology), plus sorting each table's routes.
    public init(_ topology: Topology) {
        self.topology = topology
        var prefixLists: [String: [IPPrefix]] = [:]
        for pl in topology.prefixLists { prefixLists[pl.name] = pl.entries }

        // Sizes up front, so that the arrays and name maps below never grow.
        var subnetCount = 0, groupCount = 0, instanceCount = 0, interfaceCount = 0, natCount = 0
        for vpc in topology.vpcs {
            subnetCount += vpc.subnets.count
            groupCount += vpc.securityGroups.count + 1
            natCount += vpc.natGateways.count
            instanceCount += vpc.instances.count
            for instance in vpc.instances { interfaceCount += instance.interfaces.count }
        }
        // TGW attachment ENIs (one per attachment subnet) come last: without them in the reservation, the
        // interface array (100,000 records on the benchmark topology) was copied once more at the first one.
        var attachmentENICount = 0
        for tgw in topology.transitGateways { for att in tgw.attachments { attachmentENICount += att.subnets.count } }
        vpcs.reserveCapacity(topology.vpcs.count)
        subnets.reserveCapacity(subnetCount)
        securityGroups.reserveCapacity(groupCount)
        interfaces.reserveCapacity(interfaceCount + natCount + attachmentENICount)
        vpcByName = NameMap(minimumCapacity: topology.vpcs.count)
        subnetByName = NameMap(minimumCapacity: subnetCount)
        interfaceNICNames.reserveCapacity(interfaceCount + natCount + attachmentENICount)

        // The names VPC routes target. Route targets are resolved through the interface-name and AWS-id maps,
        // but those maps are built lazily (``NameIndex``); compiling keeps only their entries for these names,
        // written in the same order, so each target resolves exactly as through the full maps.
        var routeTargetNames = NameMap<Bool>()
        for vpc in topology.vpcs {
            for table in vpc.routeTables {
                for route in table.routes { if case .named(let n) = route.target { routeTargetNames.insertIfAbsent(n, true) } }
            }
        }
        // Only a name with a dot can be an `instance.interface` key.
        let targetsHaveDot = routeTargetNames.keys.contains { $0.utf8.contains(UInt8(ascii: ".")) }
        var targetInterfaceByName = NameMap<Int32>()
        var targetByAWSID = NameMap<Component>()
        func noteInterfaceName(_ name: String, _ index: Int32) {
            if routeTargetNames[name] != nil { targetInterfaceByName.set(index, for: name) }
        }
        func noteAWSID(_ id: String, _ component: Component) {
            if routeTargetNames[id] != nil { targetByAWSID.set(component, for: id) }
        }

        // VPCs, subnets, security groups (names first so references resolve in any order).
        var sgIndexByName = NameMap<Int32>(minimumCapacity: groupCount)
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = Int32(vi)
            vpcByName.set(v, for: vpc.name)
            if let id = vpc.id { noteAWSID(id, .vpc(v)) }
            vpcs.append(CompiledVPC(name: vpc.name, awsID: vpc.id, cidrs: vpc.cidrs, ipv6Cidrs: vpc.ipv6Cidrs,
                                    internetGateway: vpc.internetGateway, egressOnlyGateway: vpc.egressOnlyGateway,
                                    subnets: [], defaultSecurityGroup: -1, mainRouteTable: -1, region: vpc.region))
            for sg in vpc.securityGroups {
                sgIndexByName.set(Int32(securityGroups.count), for: sg.name)
                securityGroups.append(CompiledSecurityGroup(name: sg.name, awsID: sg.id, vpc: v, ingress: [], egress: [],
                                                            location: sg.location))
            }
            if let declared = vpc.defaultSecurityGroup {
                // Marked `default`, or named `default`.
                vpcs[vi].defaultSecurityGroup = sgIndexByName[declared.name] ?? -1
            } else {
                // AWS's default group: all traffic from itself, all egress.
                vpcs[vi].defaultSecurityGroup = Int32(securityGroups.count)
                securityGroups.append(CompiledSecurityGroup(name: "default", awsID: nil, vpc: v, ingress: [], egress: [],
                                                            location: vpc.location))
            }
        }
        securityGroupByName = sgIndexByName

        func expand(_ dest: RouteDestination) -> [(IPPrefix, String?)] {
            switch dest {
            case .cidr(let p): [(p, nil)]
            case .prefixList(let n): (prefixLists[n] ?? []).map { ($0, n) }
            }
        }

        // Security-group rules. A rule's text depends only on its direction and content (equality ignores the
        // location), and the same rules recur across groups: each distinct text is built once and shared.
        var ruleTexts = RuleTexts<SecurityGroupRule>()
        for (vi, vpc) in topology.vpcs.enumerated() {
            let hasIPv6 = !vpc.ipv6Cidrs.isEmpty
            func compileRules(_ rules: [SecurityGroupRule], group: Int32, ingress: Bool) -> [CompiledSGRule] {
                var out: [CompiledSGRule] = []
                for rule in rules {
                    let proto: Int16 = rule.ipProtocol == .all ? -1 : Int16(protocolNumber(rule.ipProtocol))
                    let text = ruleTexts.text(for: rule, first: ingress) {
                        "\(ingress ? "ingress" : "egress") \(TopologyPrinter.protocolAndPorts(rule.ipProtocol, rule.ports))"
                            + " \(ingress ? "from" : "to") \(rule.peer)"
                    }
                    switch rule.peer {
                    case .cidr(let p):
                        out.append(CompiledSGRule(ipProtocol: proto, ports: rule.ports, peer: .cidr(p), group: group, text: text, location: rule.location))
                    case .prefixList(let n):
                        for p in prefixLists[n] ?? [] {
                            out.append(CompiledSGRule(ipProtocol: proto, ports: rule.ports, peer: .cidr(p), group: group, text: text, location: rule.location))
                        }
                    case .securityGroup(let n):
                        // `sg default`: the VPC's default group (declared under any name, or implied).
                        if let g = sgIndexByName[n] ?? (n == "default" ? vpcs[vi].defaultSecurityGroup : nil), g >= 0 {
                            out.append(CompiledSGRule(ipProtocol: proto, ports: rule.ports, peer: .group(g), group: group, text: text, location: rule.location))
                        }
                    }
                }
                return out
            }
            func defaultEgress(group: Int32, location: SourceLocation) -> [CompiledSGRule] {
                var out = [CompiledSGRule(ipProtocol: -1, ports: nil, peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!)),
                                          group: group, text: "egress all to 0.0.0.0/0 (default)", location: location)]
                if hasIPv6 {
                    out.append(CompiledSGRule(ipProtocol: -1, ports: nil, peer: .cidr(.v6(IPv6Prefix(network: IPv6Address(bits: 0), length: 0)!)),
                                              group: group, text: "egress all to ::/0 (default)", location: location))
                }
                return out
            }
            for sg in vpc.securityGroups {
                guard let g = sgIndexByName[sg.name] else { continue }
                securityGroups[Int(g)].ingress = compileRules(sg.ingress, group: g, ingress: true)
                securityGroups[Int(g)].egress = sg.egress.map { compileRules($0, group: g, ingress: false) }
                    ?? defaultEgress(group: g, location: sg.location)
            }
            let d = vpcs[vi].defaultSecurityGroup
            if d >= 0 && vpc.defaultSecurityGroup == nil {
                securityGroups[Int(d)].ingress = [CompiledSGRule(ipProtocol: -1, ports: nil, peer: .group(d), group: d,
                                                                 text: "ingress all from sg default (default group)", location: vpc.location)]
                securityGroups[Int(d)].egress = defaultEgress(group: d, location: vpc.location)
            }
        }

        // Network ACLs.
        var naclIndexByName = NameMap<Int32>()
        // Texts shared between equal rules, as for security groups.
        var naclRuleTexts = RuleTexts<NetworkACLRule>()
        for vpc in topology.vpcs {
            for acl in vpc.networkACLs {
                func rules(_ list: [NetworkACLRule], inbound: Bool) -> [CompiledNACLRule] {
                    list.sorted { $0.number < $1.number }.map { r in
                        let proto: Int16 = r.ipProtocol == .all ? -1 : Int16(protocolNumber(r.ipProtocol))
                        let text = naclRuleTexts.text(for: r, first: inbound) {
                            "\(inbound ? "inbound" : "outbound") \(r.number) \(r.action.rawValue) "
                                + TopologyPrinter.protocolAndPorts(r.ipProtocol, r.ports) + " \(inbound ? "from" : "to") \(r.cidr)"
                        }
                        return CompiledNACLRule(number: r.number, allow: r.action == .allow, ipProtocol: proto, ports: r.ports,
                                                cidr: r.cidr, location: r.location, text: text)
                    }
                }
                naclIndexByName.set(Int32(networkACLs.count), for: acl.name)
                networkACLs.append(CompiledNetworkACL(name: acl.name, awsID: acl.id, inbound: rules(acl.inbound, inbound: true),
                                                      outbound: rules(acl.outbound, inbound: false), location: acl.location))
            }
        }

        // Subnets. `mapPublicIP` per subnet index; VPCs that repeat a subnet name (invalid, but compiled anyway)
        // keep the first subnet's setting, as a search by name would.
        var subnetMapsPublicIP: [Bool] = []
        subnetMapsPublicIP.reserveCapacity(subnetCount)
        var repeatsSubnetName = [Bool](repeating: false, count: topology.vpcs.count)
        for (vi, vpc) in topology.vpcs.enumerated() {
            var lpmEntries: [(IPPrefix, Int32)] = []
            for subnet in vpc.subnets {
                let s = Int32(subnets.count)
                if let old = subnetByName[subnet.name], subnets[Int(old)].vpc == Int32(vi) { repeatsSubnetName[vi] = true }
                subnetByName.set(s, for: subnet.name)
                subnetMapsPublicIP.append(subnet.mapPublicIP)
                if let id = subnet.id { noteAWSID(id, .subnet(s)) }
                subnets.append(CompiledSubnet(name: subnet.name, awsID: subnet.id, vpc: Int32(vi), cidr: subnet.cidr,
                                              ipv6Cidr: subnet.ipv6Cidr, availabilityZone: subnet.availabilityZone,
                                              routeTable: -1, networkACL: -1, location: subnet.location))
                vpcs[vi].subnets.append(s)
                lpmEntries.append((.v4(subnet.cidr), s))
                if let v6 = subnet.ipv6Cidr { lpmEntries.append((.v6(v6), s)) }
            }
            subnetLPM.append(RouteLPM(lpmEntries))
            for acl in vpc.networkACLs {
                guard let a = naclIndexByName[acl.name] else { continue }
                for name in acl.associations {
                    if let s = subnetByName[name], subnets[Int(s)].vpc == Int32(vi) { subnets[Int(s)].networkACL = a }
                }
            }
            // Subnets with no association use the declared default NACL (without one: allow all, -1).
            if let declared = vpc.defaultNetworkACL, let a = naclIndexByName[declared.name] {
                for s in vpcs[vi].subnets where subnets[Int(s)].networkACL < 0 { subnets[Int(s)].networkACL = a }
            }
        }

        // Interfaces: instances, then NAT gateways and TGW attachment ENIs (addresses picked when unknown).
        // Written addresses (an integer map used as a set: key the address bits, value 0).
        var usedAddresses = IndexMap(expected: interfaceCount + natCount)
        for vpc in topology.vpcs {
            // By index: only the addresses are read, not a copy of each instance and interface.
            for i in vpc.instances.indices {
                for k in vpc.instances[i].interfaces.indices {
                    usedAddresses.insertIfAbsent(UInt64(vpc.instances[i].interfaces[k].privateIP.bits), 0)
                    for a in vpc.instances[i].interfaces[k].secondaryIPs { usedAddresses.insertIfAbsent(UInt64(a.bits), 0) }
                }
            }
            for nat in vpc.natGateways { if let ip = nat.privateIP { usedAddresses.insertIfAbsent(UInt64(ip.bits), 0) } }
        }
        var sgSetIndex: [[Int32]: Int32] = [:]
        // Sets of one group (most interfaces have one) by group index: no array key to sort and hash.
        var singleGroupSet = IndexMap(expected: groupCount)
        /// The set of one group `g` (most interfaces have one): found by group index (no array key to sort and
        /// hash), its rules the group's own arrays (shared, not copied).
        func internSGSet(single g: Int32) -> Int32 {
            let found = singleGroupSet.find(UInt64(UInt32(bitPattern: g)))
            if found >= 0 { return found }
            let i = Int32(securityGroupSets.count)
            securityGroupSets.append(CompiledSecurityGroupSet(groups: [g], ingress: securityGroups[Int(g)].ingress,
                                                              egress: securityGroups[Int(g)].egress))
            singleGroupSet.insertIfAbsent(UInt64(UInt32(bitPattern: g)), i)
            return i
        }
        func internSGSet(_ groups: [Int32]) -> Int32 {
            if groups.count == 1 { return internSGSet(single: groups[0]) }
            let key = groups.sorted()
            if let i = sgSetIndex[key] { return i }
            let i = Int32(securityGroupSets.count)
            var ingress: [CompiledSGRule] = [], egress: [CompiledSGRule] = []
            for g in key { ingress += securityGroups[Int(g)].ingress; egress += securityGroups[Int(g)].egress }
            securityGroupSets.append(CompiledSecurityGroupSet(groups: key, ingress: ingress, egress: egress))
            sgSetIndex[key] = i
            return i
        }
        var syntheticPublic = CompiledTopology.syntheticPublicBase
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = Int32(vi)
            // By index: the fields are read in place (iterating copied each instance and interface record, a
            // dozen retains and releases per interface).
            for n in vpc.instances.indices {
                for k in vpc.instances[n].interfaces.indices {
                    guard let s = subnetByName[vpc.instances[n].interfaces[k].subnet], subnets[Int(s)].vpc == v else { continue }
                    let mapPublic = repeatsSubnetName[vi]
                        ? vpc.subnets.first { $0.name == vpc.instances[n].interfaces[k].subnet }?.mapPublicIP ?? false
                        : subnetMapsPublicIP[Int(s)]
                    var publicIP: IPv4Address? = nil
                    var known = true
                    switch vpc.instances[n].interfaces[k].publicIP ?? (mapPublic && k == 0 ? .unknown : .none) {
                    case .none: break
                    case .address(let a): publicIP = a
                    case .unknown:
                        publicIP = IPv4Address(bits: syntheticPublic)
                        syntheticPublic &+= 1
                        known = false
                    }
                    // The named groups that exist, else the VPC's default group (when it has one).
                    let securityGroupSet: Int32
                    if vpc.instances[n].interfaces[k].securityGroups.count <= 1 {
                        let g = vpc.instances[n].interfaces[k].securityGroups.first.flatMap { sgIndexByName[$0] }
                            ?? vpcs[vi].defaultSecurityGroup
                        securityGroupSet = g >= 0 ? internSGSet(single: g) : internSGSet([])
                    } else {
                        var groups = vpc.instances[n].interfaces[k].securityGroups.compactMap { sgIndexByName[$0] }
                        if groups.isEmpty && vpcs[vi].defaultSecurityGroup >= 0 { groups = [vpcs[vi].defaultSecurityGroup] }
                        securityGroupSet = internSGSet(groups)
                    }
                    let index = Int32(interfaces.count)
                    interfaceNICNames.append(vpc.instances[n].interfaces[k].name)
                    interfaces.append(CompiledInterface(
                        name: k == 0 ? vpc.instances[n].name : "\(vpc.instances[n].name).\(vpc.instances[n].interfaces[k].name)",
                        awsID: vpc.instances[n].interfaces[k].id, instanceID: vpc.instances[n].id,
                        kind: .instance(instance: vpc.instances[n].name), subnet: s, vpc: v,
                        primaryIP: vpc.instances[n].interfaces[k].privateIP, secondaryIPs: vpc.instances[n].interfaces[k].secondaryIPs,
                        ipv6Addresses: vpc.instances[n].interfaces[k].ipv6Addresses, publicIP: publicIP, publicIPKnown: known,
                        securityGroupSet: securityGroupSet, sourceDestCheck: vpc.instances[n].interfaces[k].sourceDestCheck,
                        location: vpc.instances[n].interfaces[k].location))
                    if targetsHaveDot {
                        noteInterfaceName("\(vpc.instances[n].name).\(vpc.instances[n].interfaces[k].name)", index)
                    }
                    if k == 0 {
                        noteInterfaceName(vpc.instances[n].name, index)
                        if let id = vpc.instances[n].id { noteAWSID(id, .interface(index)) }
                    }
                    if let id = vpc.instances[n].interfaces[k].id { noteAWSID(id, .interface(index)) }
                }
            }
            for nat in vpc.natGateways {
                guard let s = subnetByName[nat.subnet], subnets[Int(s)].vpc == v else { continue }
                let ip = nat.privateIP ?? CompiledTopology.pickAddress(in: subnets[Int(s)].cidr, used: &usedAddresses)
                var eip: IPv4Address? = nil
                var isPublic = false
                var known = true
                if case .public(let e) = nat.connectivity {
                    isPublic = true
                    if let e { eip = e } else { eip = IPv4Address(bits: syntheticPublic); syntheticPublic &+= 1; known = false }
                }
                let index = Int32(interfaces.count)
                interfaces.append(CompiledInterface(name: nat.name, awsID: nat.id, instanceID: nil,
                                                    kind: .natGateway(publicEIP: eip, isPublic: isPublic), subnet: s, vpc: v,
                                                    primaryIP: ip, secondaryIPs: [], ipv6Addresses: [], publicIP: eip,
                                                    publicIPKnown: known, securityGroupSet: -1, sourceDestCheck: false,
                                                    location: nat.location))
                interfaceNICNames.append("")
                noteInterfaceName(nat.name, index)
                if let id = nat.id { noteAWSID(id, .interface(index)) }
            }
        }

        // Transit gateways and their attachments (ENIs).
        var attachmentByName = NameMap<Int32>()
        for (ti, tgw) in topology.transitGateways.enumerated() {
            var atts: [Int32] = []
            for att in tgw.attachments {
                guard let v = vpcByName[att.vpc] else { continue }
                let a = Int32(tgwAttachments.count)
                var sList: [Int32] = [], eList: [Int32] = []
                for sn in att.subnets {
                    guard let s = subnetByName[sn], subnets[Int(s)].vpc == v else { continue }
                    let index = Int32(interfaces.count)
                    interfaceNICNames.append("")
                    interfaces.append(CompiledInterface(name: "\(att.name)@\(sn)", awsID: nil, instanceID: nil,
                                                        kind: .tgwAttachment(a), subnet: s, vpc: v, primaryIP: CompiledTopology.pickAddress(in: subnets[Int(s)].cidr, used: &usedAddresses),
                                                        secondaryIPs: [], ipv6Addresses: [], publicIP: nil, publicIPKnown: true,
                                                        securityGroupSet: -1, sourceDestCheck: false, location: att.location))
                    sList.append(s)
                    eList.append(index)
                }
                tgwAttachments.append(CompiledTGWAttachment(name: att.name, awsID: att.id, transitGateway: Int32(ti), vpc: v,
                                                            subnets: sList, interfaces: eList, applianceMode: att.applianceMode,
                                                            associatedRouteTable: -1, location: att.location))
                attachmentByName.set(a, for: att.name)
                atts.append(a)
            }
            transitGateways.append(CompiledTransitGateway(name: tgw.name, awsID: tgw.id, attachments: atts,
                                                          securityGroupReferencing: tgw.securityGroupReferencing))
            if tgw.securityGroupReferencing {
                for x in atts { for y in atts { sgReferencingPairs.insert(CompiledTopology.pairKey(tgwAttachments[Int(x)].vpc, tgwAttachments[Int(y)].vpc)) } }
            }
            for table in tgw.routeTables {
                let t = Int32(tgwRouteTables.count)
                var routes: [CompiledTGWRoute] = []
                for r in table.routes {
                    let target: TGWRouteTarget
                    switch r.target {
                    case .blackhole: target = .blackhole
                    case .attachment(let n): target = attachmentByName[n].map { .attachment($0) } ?? .blackhole
                    }
                    let targetText: String = switch r.target { case .blackhole: "blackhole"; case .attachment(let n): "-> \(n)" }
                    for (p, pl) in expand(r.destination) {
                        routes.append(CompiledTGWRoute(prefix: p, target: target, origin: pl.map { .prefixList($0) } ?? .static,
                                                       text: "route \(r.destination) \(targetText)", location: r.location))
                    }
                }
                for name in table.propagations {
                    guard let a = attachmentByName[name] else { continue }
                    let vpc = vpcs[Int(tgwAttachments[Int(a)].vpc)]
                    for c in vpc.cidrs {
                        routes.append(CompiledTGWRoute(prefix: .v4(c), target: .attachment(a), origin: .propagated(name),
                                                       text: "propagated \(c) -> \(name)", location: nil))
                    }
                    for c in vpc.ipv6Cidrs {
                        routes.append(CompiledTGWRoute(prefix: .v6(c), target: .attachment(a), origin: .propagated(name),
                                                       text: "propagated \(c) -> \(name)", location: nil))
                    }
                }
                for name in table.associations {
                    if let a = attachmentByName[name], tgwAttachments[Int(a)].transitGateway == Int32(ti) {
                        tgwAttachments[Int(a)].associatedRouteTable = t
                    }
                }
                tgwRouteTables.append(CompiledTGWRouteTable(name: table.name, awsID: table.id, transitGateway: Int32(ti), routes: routes,
                                                            lpm: CompiledTopology.buildLPM(routes.map { ($0.prefix, $0.origin) }),
                                                            location: table.location))
            }
        }

        // Peerings.
        for p in topology.peerings {
            guard let a = vpcByName[p.requester], let b = vpcByName[p.accepter] else { continue }
            peeringByPair[CompiledTopology.pairKey(a, b)] = Int32(peerings.count)
            peerings.append(CompiledPeering(name: p.name, awsID: p.id, vpcA: a, vpcB: b))
        }

        // VPC route tables (after interfaces, NATs, peerings and TGWs so that targets resolve). Route texts are
        // shared between equal routes (the same destination and target in many VPCs).
        var routeTexts = RuleTexts<Route>()
        var peeringsOfVPC = [[Int32]](repeating: [], count: topology.vpcs.count)
        for (p, peering) in peerings.enumerated() {
            peeringsOfVPC[Int(peering.vpcA)].append(Int32(p))
            if peering.vpcB != peering.vpcA { peeringsOfVPC[Int(peering.vpcB)].append(Int32(p)) }
        }
        for (vi, vpc) in topology.vpcs.enumerated() {
            let v = Int32(vi)
            // The VPC's peerings by name (the first written wins a repeated name).
            var peeringByName = NameMap<Int32>(minimumCapacity: peeringsOfVPC[vi].count)
            for p in peeringsOfVPC[vi] { peeringByName.insertIfAbsent(peerings[Int(p)].name, p) }
            func resolve(_ target: Route.Target) -> RouteTargetKind {
                switch target {
                case .local: return .local
                case .blackhole: return .blackhole
                case .unmodelled(let id): return .unmodelled(id)
                case .named(let n):
                    if n == vpc.internetGateway?.name || (n == vpc.internetGateway?.id && n.hasPrefix("igw-")) { return .internetGateway }
                    if n == vpc.egressOnlyGateway?.name || (n == vpc.egressOnlyGateway?.id && n.hasPrefix("eigw-")) { return .egressOnlyGateway }
                    if let p = peeringByName[n] { return .peering(p) }
                    if let t = transitGateways.firstIndex(where: { $0.name == n || $0.awsID == n }) { return .transitGateway(Int32(t)) }
                    if let i = targetInterfaceByName[n] ?? targetByAWSID[n].flatMap({ if case .interface(let i) = $0 { i } else { nil } }),
                       interfaces[Int(i)].vpc == v {
                        switch interfaces[Int(i)].kind {
                        case .natGateway: return .natGateway(i)
                        case .instance: return .interface(i)
                        case .tgwAttachment: return .unresolved(n)
                        }
                    }
                    return .unresolved(n)
                }
            }
            var mainTable: Int32 = -1
            var tableIndexByName = NameMap<Int32>(minimumCapacity: vpc.routeTables.count)
            func localRoutes() -> [CompiledRoute] {
                vpc.cidrs.map { CompiledRoute(prefix: .v4($0), target: .local, origin: .local, text: "local \($0)", location: nil) }
                    + vpc.ipv6Cidrs.map { CompiledRoute(prefix: .v6($0), target: .local, origin: .local, text: "local \($0)", location: nil) }
            }
            // The VPC's local routes, once for all its tables.
            let local = localRoutes()
            for table in vpc.routeTables {
                var routes = local
                for r in table.routes {
                    let target = resolve(r.target)
                    let text = routeTexts.text(for: r, first: true) {
                        let targetText: String = switch r.target { case .blackhole: "blackhole"; default: "-> \(r.target)" }
                        return "route \(r.destination) \(targetText)"
                    }
                    for (p, pl) in expand(r.destination) {
                        routes.append(CompiledRoute(prefix: p, target: target, origin: pl.map { .prefixList($0) } ?? .static,
                                                    text: text, location: r.location))
                    }
                }
                let t = Int32(routeTables.count)
                tableIndexByName.set(t, for: table.name)
                routeTables.append(CompiledRouteTable(name: table.name, awsID: table.id, vpc: v, routes: routes,
                                                      lpm: CompiledTopology.buildLPM(routes.map { ($0.prefix, $0.origin) }),
                                                      location: table.location))
                if table.isMain && mainTable < 0 { mainTable = t }
            }
            if mainTable < 0 {
                // No main table written: AWS's main table holds only the local routes.
                let routes = local
                mainTable = Int32(routeTables.count)
                routeTables.append(CompiledRouteTable(name: "\(vpc.name)-main", awsID: nil, vpc: v, routes: routes,
                                                      lpm: CompiledTopology.buildLPM(routes.map { ($0.prefix, $0.origin) }), location: nil))
            }
            vpcs[vi].mainRouteTable = mainTable
            for s in vpcs[vi].subnets { subnets[Int(s)].routeTable = mainTable }
            for table in vpc.routeTables {
                guard let t = tableIndexByName[table.name] else { continue }
                for name in table.associations {
                    if let s = subnetByName[name], subnets[Int(s)].vpc == v { subnets[Int(s)].routeTable = t }
                }
            }
        }

        for (a, att) in tgwAttachments.enumerated() {
            let key = UInt64(UInt32(bitPattern: att.transitGateway)) << 32 | UInt64(UInt32(bitPattern: att.vpc))
            if attachmentByTGWAndVPC[key] == nil { attachmentByTGWAndVPC[key] = Int32(a) }
        }
        var subnetBlocks: [(IPPrefix, Int32)] = []
        subnetBlocks.reserveCapacity(subnets.count)
        for s in subnets.indices {
            subnetBlocks.append((.v4(subnets[s].cidr), subnets[s].vpc))
            if let v6 = subnets[s].ipv6Cidr { subnetBlocks.append((.v6(v6), subnets[s].vpc)) }
        }
        vpcBySubnetBlock = RouteLPM(subnetBlocks)

        // Plain-data hot arrays.
        var zones = NameMap<Int32>()
        // By index: the loops read a few fields of each record, not a copy of it (retaining its strings).
        subnetHot.reserveCapacity(subnets.count)
        for s in subnets.indices {
            var zone: Int32 = -1
            if let az = subnets[s].availabilityZone {
                if let z = zones[az] { zone = z } else { zone = Int32(zones.count); zones.set(zone, for: az) }
            }
            subnetHot.append(SubnetHot(vpc: subnets[s].vpc, cidr: subnets[s].cidr, hasIPv6: subnets[s].ipv6Cidr != nil, zone: zone,
                                       routeTable: subnets[s].routeTable, networkACL: subnets[s].networkACL))
        }
        interfaceHot.reserveCapacity(interfaces.count)
        for i in interfaces.indices {
            var kind: UInt8 = 0, att: Int32 = -1
            switch interfaces[i].kind {
            case .instance: kind = 0
            case .natGateway: kind = 1
            case .tgwAttachment(let a): kind = 2; att = a
            }
            interfaceHot.append(InterfaceHot(kind: kind, attachment: att, subnet: interfaces[i].subnet, vpc: interfaces[i].vpc,
                                             primaryIP: interfaces[i].primaryIP, publicIP: interfaces[i].publicIP?.bits ?? 0,
                                             securityGroupSet: interfaces[i].securityGroupSet,
                                             sourceDestCheck: interfaces[i].sourceDestCheck,
                                             hasOnlyPrimary: interfaces[i].secondaryIPs.isEmpty && interfaces[i].ipv6Addresses.isEmpty))
        }

        // Address maps (the first interface listed wins an address).
        var owner4 = IndexMap(expected: interfaces.count)
        var public4 = IndexMap(expected: interfaces.count / 4)
        // By index: the loop reads a few fields of each interface, not a copy of the record.
        for i in interfaces.indices {
            let index = Int32(i), vpc = interfaces[i].vpc
            owner4.insertIfAbsent(CompiledTopology.addressKey(vpc, interfaces[i].primaryIP), index)
            for a in interfaces[i].secondaryIPs { owner4.insertIfAbsent(CompiledTopology.addressKey(vpc, a), index) }
            for a in interfaces[i].ipv6Addresses {
                let key = AddressKey(vpc: vpc, address: .v6(a))
                if privateOwner6[key] == nil { privateOwner6[key] = index }
                if ipv6Owner[a.bits] == nil { ipv6Owner[a.bits] = index }
            }
            if let p = interfaces[i].publicIP { public4.insertIfAbsent(UInt64(p.bits), index) }
        }
        privateOwner4 = owner4
        publicOwner = public4
        buildHotData()
    }

    /// Builds an LPM table whose value for each prefix is the index of the best-ranked entry (lowest
    /// ``RouteOrigin/rank``; among prefix lists, the first list name in sorted order; else the first written).
    static func buildLPM(_ entries: [(IPPrefix, RouteOrigin)]) -> RouteLPM<Int32> {
        // Most tables hold a handful of routes: a linear search beats hashing each prefix (the LPM table does
        // not depend on the order of its entries).
        if entries.count <= 16 {
            var best: [(IPPrefix, Int32)] = []
            best.reserveCapacity(entries.count)
            for (i, (prefix, origin)) in entries.enumerated() {
                if let k = best.firstIndex(where: { $0.0 == prefix }) {
                    if outranks(origin, entries[Int(best[k].1)].1) { best[k].1 = Int32(i) }
                } else {
                    best.append((prefix, Int32(i)))
                }
            }
            return RouteLPM(best)
        }
        var best: [IPPrefix: Int] = [:]
        for (i, (prefix, origin)) in entries.enumerated() {
            if let j = best[prefix] {
                if outranks(origin, entries[j].1) { best[prefix] = i }
            } else {
                best[prefix] = i
            }
        }
        return RouteLPM(best.map { ($0.key, Int32($0.value)) })
    }

    /// True when a route of origin `a` beats an equal-prefix route of origin `b` written earlier.
    static func outranks(_ a: RouteOrigin, _ b: RouteOrigin) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if case .prefixList(let x) = a, case .prefixList(let y) = b { return x < y }
        return false
    }

    /// An unused address in `cidr`, from the top down (NAT gateway and TGW ENIs whose address is not written).
    /// `used` holds the addresses taken (key: the address bits).
    static func pickAddress(in cidr: IPv4Prefix, used: inout IndexMap) -> IPv4Address {
        var bits = cidr.last.bits &- 1
        while bits > cidr.network.bits &+ 3 {
            if used.find(UInt64(bits)) < 0 { used.insertIfAbsent(UInt64(bits), 0); return IPv4Address(bits: bits) }
            bits &-= 1
        }
        return IPv4Address(bits: cidr.network.bits &+ 4)
    }

    @inlinable static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        let lo = UInt32(bitPattern: min(a, b)), hi = UInt32(bitPattern: max(a, b))
        return UInt64(lo) << 32 | UInt64(hi)
    }
}

/// The IP protocol number (`all` → 255, never used as a number).
@inlinable func protocolNumber(_ p: IPProtocol) -> UInt8 {
    switch p {
    case .all: 255
    case .number(let n): n
    }
}

extension CompiledTopology {
    /// The interface-name and AWS-id maps, written in the order ``init(_:)`` creates the components (so a
    /// repeated key keeps the value written last, as when they were built eagerly): VPC ids, subnet ids, then
    /// each interface — an instance ENI under `instance.interface` (and its primary ENI also under the
    /// instance name, then the instance id), then its ENI id; a NAT gateway under its name, then its id.
    func buildNameMaps() -> NameIndex.Maps {
        var maps = NameIndex.Maps(interfaceByName: NameMap(minimumCapacity: 2 * interfaces.count),
                                  byAWSID: NameMap(minimumCapacity: vpcs.count + interfaces.count))
        for v in vpcs.indices { if let id = vpcs[v].awsID { maps.byAWSID.set(.vpc(Int32(v)), for: id) } }
        for s in subnets.indices { if let id = subnets[s].awsID { maps.byAWSID.set(.subnet(Int32(s)), for: id) } }
        for i in interfaces.indices {
            let index = Int32(i)
            switch interfaces[i].kind {
            case .instance(let instance):
                maps.interfaceByName.set(index, for: instance + "." + interfaceNICNames[i])
                // The primary ENI is the one named after its instance (others are `instance.interface`).
                if interfaces[i].name == instance {
                    maps.interfaceByName.set(index, for: instance)
                    if let id = interfaces[i].instanceID { maps.byAWSID.set(.interface(index), for: id) }
                }
            case .natGateway:
                maps.interfaceByName.set(index, for: interfaces[i].name)
            case .tgwAttachment:
                continue
            }
            if let id = interfaces[i].awsID { maps.byAWSID.set(.interface(index), for: id) }
        }
        return maps
    }
}

/// The `text` of compiled rules and routes, built once per distinct rule (and direction) and then shared: equal
/// rules (equality ignores the location) recur across groups, ACLs and route tables, and formatting each again
/// cost more than a look-up.
struct RuleTexts<Rule: Hashable> {
    /// Index 0: the first direction (ingress, inbound; routes use only this one); 1: the other.
    private var texts: [[Rule: String]] = [[:], [:]]

    /// The text of `rule` in the direction `first` selects, built by `build` the first time.
    mutating func text(for rule: Rule, first: Bool, build: () -> String) -> String {
        let k = first ? 0 : 1
        if let known = texts[k][rule] { return known }
        let text = build()
        texts[k][rule] = text
        return text
    }
}
