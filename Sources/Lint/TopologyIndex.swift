import IPAddressing
import NetworkModel

/// Lookups over a topology that the rules share: which VPC owns what, which table and NACL a subnet uses, which
/// interfaces hold a group. Names, tables, NACLs and defaults are answered by the resolved topology the
/// reachability engine compiled from (NetworkModel's one resolver), so lint and `reach` resolve alike. Built
/// once per lint run.
struct TopologyIndex {
    /// What a route's named target resolves to.
    enum TargetKind: Equatable {
        case internetGateway(vpc: Int)
        case egressOnlyGateway(vpc: Int)
        case natGateway(vpc: Int, NATGateway)
        case peering(Peering)
        case transitGateway(Int)
        /// A VPC's virtual private gateway.
        case vpnGateway(vpc: Int)
        /// A VPC endpoint (a gateway endpoint as a route target).
        case vpcEndpoint(vpc: Int)
        /// An instance's interface (the primary one for a bare instance name).
        case interface(vpc: Int, instance: Instance, NetworkInterface)
        case unknown
    }

    /// An interface with its owner.
    struct InterfaceRef {
        var vpc: Int
        var instance: Instance
        var interface: NetworkInterface
    }

    /// The resolved topology (NetworkModel's one name resolver): names, tables, NACLs and defaults come from it.
    let resolved: ResolvedTopology
    var topology: Topology { resolved.topology }
    /// Subnet name → (VPC index, subnet).
    var subnets: Lookup<(vpc: Int, subnet: Subnet)> {
        Lookup { [resolved] in resolved.subnet(named: $0).map { (resolved.subnets[$0.position].vpc.position, resolved.model($0)) } }
    }
    /// Security group name → (VPC index, group).
    var securityGroups: Lookup<(vpc: Int, group: SecurityGroup)> {
        Lookup { [resolved] in
            resolved.securityGroup(named: $0).flatMap { g in resolved.model(g).map { (resolved.securityGroups[g.position].vpc.position, $0) } }
        }
    }
    /// VPC name → index.
    var vpcIndex: Lookup<Int> { Lookup { [resolved] in resolved.vpc(named: $0)?.position } }
    var prefixLists: Lookup<PrefixList> { Lookup { [resolved] in resolved.prefixList(named: $0).map { resolved.model($0) } } }
    /// Attachment name → (TGW index, attachment).
    var attachments: Lookup<(tgw: Int, attachment: TGWAttachment)> {
        Lookup { [resolved] in
            resolved.tgwAttachment(named: $0).map { (resolved.tgwAttachments[$0.position].transitGateway.position, resolved.model($0)) }
        }
    }
    private(set) var interfaces: [InterfaceRef] = []
    private var targets: [String: TargetKind] = [:]
    /// Interface positions (in ``interfaces``) per subnet name.
    private var interfacesBySubnet: [String: [Int]] = [:]
    /// Interface positions per (VPC, group name); `default` also collects interfaces with no group.
    private var holders: [GroupKey: [Int]] = [:]
    /// Attachment interfaces per subnet name (one per attachment listing the subnet).
    private(set) var attachmentInterfaces: [String: Int] = [:]

    /// A name → value lookup answered by the resolved topology.
    struct Lookup<Value> {
        let find: (String) -> Value?
        subscript(name: String) -> Value? { find(name) }
    }

    private struct GroupKey: Hashable {
        var vpc: Int
        var name: String
    }

    init(_ resolved: ResolvedTopology) {
        self.resolved = resolved
        let topology = resolved.topology
        for (v, vpc) in topology.vpcs.enumerated() {
            if let igw = vpc.internetGateway { targets[igw.name] = .internetGateway(vpc: v) }
            if let eigw = vpc.egressOnlyGateway { targets[eigw.name] = .egressOnlyGateway(vpc: v) }
            for nat in vpc.natGateways { targets[nat.name] = .natGateway(vpc: v, nat) }
            if let vgw = vpc.vpnGateway {
                targets[vgw.name] = .vpnGateway(vpc: v)
                if let id = vgw.id { targets[id] = .vpnGateway(vpc: v) }
            }
            for endpoint in vpc.endpoints { targets[endpoint.name] = .vpcEndpoint(vpc: v) }
            for instance in vpc.instances {
                for (i, interface) in instance.interfaces.enumerated() {
                    let position = interfaces.count
                    interfaces.append(InterfaceRef(vpc: v, instance: instance, interface: interface))
                    interfacesBySubnet[interface.subnet, default: []].append(position)
                    for group in interface.securityGroups.isEmpty ? [vpc.defaultSecurityGroup?.name ?? "default"] : interface.securityGroups {
                        holders[GroupKey(vpc: v, name: group), default: []].append(position)
                    }
                    targets["\(instance.name).\(interface.name)"] = .interface(vpc: v, instance: instance, interface)
                    if i == 0 { targets[instance.name] = .interface(vpc: v, instance: instance, interface) }
                }
            }
        }
        for peering in topology.peerings {
            targets[peering.name] = .peering(peering)
        }
        for (t, tgw) in topology.transitGateways.enumerated() {
            targets[tgw.name] = .transitGateway(t)
            for attachment in tgw.attachments {
                for subnet in attachment.subnets { attachmentInterfaces[subnet, default: 0] += 1 }
            }
        }
    }

    /// Resolves a route target name.
    func target(_ name: String) -> TargetKind { targets[name] ?? .unknown }

    /// The VPC index of a subnet, interface or other VPC-owned name, when known.
    func vpc(ofSubnet name: String) -> Int? { subnets[name]?.vpc }

    /// The route table `subnet` uses: its explicit association, else the VPC's main table.
    func routeTable(for subnet: String) -> RouteTable? {
        guard let s = resolved.subnet(named: subnet) else { return nil }
        // nil for AWS's implied main table (no table written).
        return resolved.model(resolved.subnets[s.position].routeTable)
    }

    /// The NACL `subnet` uses: its explicit association, else the VPC's declared default NACL; nil for the
    /// implied default NACL (allow all both ways).
    func networkACL(for subnet: String) -> NetworkACL? {
        guard let s = resolved.subnet(named: subnet) else { return nil }
        return resolved.subnets[s.position].networkACL.map { resolved.model($0) }
    }

    /// Subnets that use `table` (explicitly, or through the main table).
    func subnets(using table: RouteTable, inVPC v: Int) -> [Subnet] {
        topology.vpcs[v].subnets.filter { routeTable(for: $0.name)?.name == table.name }
    }

    /// Security groups of an interface; empty → the VPC's default group (its declared name, else `default`).
    func groups(of interface: NetworkInterface) -> [String] {
        guard interface.securityGroups.isEmpty else { return interface.securityGroups }
        return [subnets[interface.subnet].flatMap { topology.vpcs[$0.vpc].defaultSecurityGroup?.name } ?? "default"]
    }

    /// Interfaces that hold group `name` (for the VPC's default group, also those with no group).
    func interfaces(holding name: String, vpc v: Int) -> [InterfaceRef] {
        (holders[GroupKey(vpc: v, name: name)] ?? []).map { interfaces[$0] }
    }

    /// Interfaces in subnet `name`.
    func interfaces(inSubnet name: String) -> [InterfaceRef] {
        (interfacesBySubnet[name] ?? []).map { interfaces[$0] }
    }

    /// The IPv4 and IPv6 blocks a security-group or route peer stands for, when it is a CIDR or prefix list.
    func prefixes(of destination: RouteDestination) -> [IPPrefix] {
        switch destination {
        case .cidr(let p): [p]
        case .prefixList(let n): prefixLists[n]?.entries ?? []
        }
    }

    /// True when VPCs `a` and `b` are joined by a peering.
    func peering(between a: Int, _ b: Int) -> Peering? {
        let an = topology.vpcs[a].name, bn = topology.vpcs[b].name
        return topology.peerings.first { ($0.requester == an && $0.accepter == bn) || ($0.requester == bn && $0.accepter == an) }
    }

    /// The transit gateways on which both VPCs have an attachment.
    func sharedTransitGateways(_ a: Int, _ b: Int) -> [Int] {
        let an = topology.vpcs[a].name, bn = topology.vpcs[b].name
        return topology.transitGateways.indices.filter { t in
            let vpcs = Set(topology.transitGateways[t].attachments.map(\.vpc))
            return vpcs.contains(an) && vpcs.contains(bn)
        }
    }

    /// True when the table sends some public IPv4 destination to the VPC's internet gateway (a route to the
    /// IGW for private blocks only does not count: the IGW drops egress to RFC 1918 and 100.64.0.0/10).
    func hasRouteToInternetGateway(_ table: RouteTable?, vpc v: Int) -> Bool {
        guard let table, let igw = topology.vpcs[v].internetGateway else { return false }
        return table.routes.contains { route in
            route.target == .named(igw.name) && prefixes(of: route.destination).contains { prefix in
                guard case .v4(let p) = prefix else { return false }
                return !TopologyIndex.nonPublicIPv4.contains { $0.contains(p) }
            }
        }
    }

    /// IPv4 blocks that are never internet addresses (the engine's list: `internet` excludes the same).
    static let nonPublicIPv4: [IPv4Prefix] = PublicAddressSpace.nonPublicIPv4
}

extension SourceLocation {
    /// True when the location points into a file (imported resources may have none).
    var isKnown: Bool { line > 0 }
}
