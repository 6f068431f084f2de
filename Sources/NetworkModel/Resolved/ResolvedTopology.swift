import IPAddressing

/// A contiguous run of ids of one kind (a VPC's subnets, an instance's interfaces, …): a collection of
/// ``ComponentID``s that costs two integers.
@frozen public struct IDRange<Kind: ComponentIDKind>: RandomAccessCollection, Hashable, Sendable {
    public let lower: Int32
    public let upper: Int32
    @inlinable public init(_ lower: Int, _ upper: Int) {
        self.lower = Int32(truncatingIfNeeded: lower)
        self.upper = Int32(truncatingIfNeeded: upper)
    }
    @inlinable public var startIndex: Int { Int(lower) }
    @inlinable public var endIndex: Int { Int(upper) }
    @inlinable public subscript(position: Int) -> ComponentID<Kind> { ComponentID(position) }
    /// True when `id` is in the run.
    @inlinable public func contains(_ id: ComponentID<Kind>) -> Bool { id.index >= lower && id.index < upper }
}

/// A topology whose references are resolved: every name a resource writes (a subnet's route table and NACL, an
/// interface's subnet and groups, a route's target, a rule's prefix list or group, TGW associations and
/// propagations, the `default` markers and AWS's implied defaults) is a typed id into the arrays below.
///
/// Built by ``TopologyResolver/resolve(_:)``, the only name resolver: the Reachability compiler, Lint and the
/// importers read references from here instead of looking names up again. The arrays hold the components a
/// data plane can use; a reference that does not resolve (validation reports it) is `nil` or left out, and
/// the doc comment of each field says which. Ids index these arrays; ``model(_:)-(VPCID)`` and friends give
/// back the written resource.
///
/// A repeated name (invalid: validation reports it) denotes the resource declared last, as it always did when
/// compiling.
public struct ResolvedTopology: Sendable {
    /// The model as written.
    public let topology: Topology

    /// Every prefix list, in written order (a ``PrefixListID`` is its position in ``Topology/prefixLists``).
    public internal(set) var prefixLists: IDRange<ComponentKinds.PrefixList> = IDRange(0, 0)
    /// Every VPC, in written order (a ``VPCID`` is its position in ``Topology/vpcs``).
    public internal(set) var vpcs: [ResolvedVPC] = []
    /// Every subnet, VPC by VPC in written order.
    public internal(set) var subnets: [ResolvedSubnet] = []
    /// Per VPC: its written groups, then AWS's implied default group when no group is the default.
    public internal(set) var securityGroups: [ResolvedSecurityGroup] = []
    /// The rules of every group, flat (``ResolvedSecurityGroup/ingress`` and `egress` are ranges of it).
    public internal(set) var securityGroupRules: [ResolvedSGRule] = []
    /// Every NACL, VPC by VPC in written order.
    public internal(set) var networkACLs: [ResolvedNetworkACL] = []
    /// Every instance, VPC by VPC.
    public internal(set) var instances: [ResolvedInstance] = []
    /// Every instance interface, instance by instance.
    public internal(set) var interfaces: [ResolvedInterface] = []
    /// The security groups of every interface, flat (``ResolvedInterface/securityGroups`` is a range of it).
    public internal(set) var interfaceSecurityGroups: [SecurityGroupID] = []
    /// Every NAT gateway, VPC by VPC.
    public internal(set) var natGateways: [ResolvedNATGateway] = []
    /// Per VPC: its written tables, then AWS's implied main table when none is marked `main`.
    public internal(set) var routeTables: [ResolvedRouteTable] = []
    /// The routes of every VPC route table, flat (``ResolvedRouteTable/routes`` is a range of it).
    public internal(set) var routes: [ResolvedRoute] = []
    /// The peerings whose two VPCs exist, in written order.
    public internal(set) var peerings: [ResolvedPeering] = []
    /// Every transit gateway, in written order.
    public internal(set) var transitGateways: [ResolvedTransitGateway] = []
    /// The attachments whose VPC exists, TGW by TGW.
    public internal(set) var tgwAttachments: [ResolvedTGWAttachment] = []
    /// Every TGW route table, TGW by TGW.
    public internal(set) var tgwRouteTables: [ResolvedTGWRouteTable] = []
    /// The routes of every TGW route table, flat.
    public internal(set) var tgwRoutes: [ResolvedTGWRoute] = []
    /// Every VPC endpoint, VPC by VPC in written order (Resolved/Endpoints.swift).
    public internal(set) var vpcEndpoints: [ResolvedVPCEndpoint] = []

    // MARK: The network's edges (Resolved/Edges.swift; every array empty for a topology without edges)

    /// Empty unless some VPC has a VGW; then one record per VPC (index = the VPC's), meaningful for VPCs that
    /// have one (``vpnGateway(of:)``).
    public internal(set) var vpnGateways: [ResolvedVPNGateway] = []
    public internal(set) var customerGateways: [ResolvedCustomerGateway] = []
    public internal(set) var vpnConnections: [ResolvedVPNConnection] = []
    public internal(set) var directConnectGateways: [ResolvedDirectConnectGateway] = []
    /// Every Direct Connect gateway's associations, flat.
    public internal(set) var dxAssociations: [ResolvedDXAssociation] = []
    public internal(set) var virtualInterfaces: [ResolvedVirtualInterface] = []
    public internal(set) var onPremisesNetworks: [ResolvedOnPremisesNetwork] = []
    /// Every on-premises network's announcements, flat.
    public internal(set) var onPremisesAnnouncements: [ResolvedAnnouncement] = []
    /// The TGW attachments of kind VPN, Direct Connect gateway and peering, TGW by TGW (never in
    /// ``tgwAttachments``, which holds VPC attachments only).
    public internal(set) var tgwEdgeAttachments: [ResolvedTGWEdgeAttachment] = []
    public internal(set) var edgeAttachmentByName = NameMap<TGWEdgeAttachmentID>()
    /// Per VPC with one: the gateway route table edge-associated with its internet gateway.
    public internal(set) var internetGatewayRouteTables: [VPCID: RouteTableID] = [:]

    // MARK: Names (the one name → id table; the maps are public for callers that need their keys)

    public internal(set) var vpcByName = NameMap<VPCID>()
    public internal(set) var subnetByName = NameMap<SubnetID>()
    public internal(set) var securityGroupByName = NameMap<SecurityGroupID>()
    public internal(set) var networkACLByName = NameMap<NetworkACLID>()
    public internal(set) var prefixListByName = NameMap<PrefixListID>()
    public internal(set) var attachmentByName = NameMap<TGWAttachmentID>()
    /// Per VPC: true when two of its subnets share a name (invalid): an interface then takes `map-public-ip`
    /// from the first subnet of the name, as a search by name would.
    var repeatsSubnetName: [Bool] = []

    init(topology: Topology) { self.topology = topology }

    /// The VPC named `name`.
    @inlinable public func vpc(named name: String) -> VPCID? { vpcByName[name] }
    /// The subnet named `name` (in any VPC).
    @inlinable public func subnet(named name: String) -> SubnetID? { subnetByName[name] }
    /// The security group named `name` (in any VPC; AWS's implied default groups have no name of their own).
    @inlinable public func securityGroup(named name: String) -> SecurityGroupID? { securityGroupByName[name] }
    /// The network ACL named `name`.
    @inlinable public func networkACL(named name: String) -> NetworkACLID? { networkACLByName[name] }
    /// The prefix list named `name` (`pl:NAME` without the prefix).
    @inlinable public func prefixList(named name: String) -> PrefixListID? { prefixListByName[name] }
    /// The TGW attachment named `name`.
    @inlinable public func tgwAttachment(named name: String) -> TGWAttachmentID? { attachmentByName[name] }
    /// The route table named `name` in `vpc` (the last of that name).
    public func routeTable(named name: String, in vpc: VPCID) -> RouteTableID? {
        vpcs[vpc.position].routeTables.last { routeTables[$0.position].position.map { topology.vpcs[vpc.position].routeTables[Int($0)].name } == name }
    }
    /// The subnet a resource of `vpc` means by `name` (a route table's or NACL's `associate`, a TGW attachment's
    /// `subnets`, an interface's or NAT gateway's `in`): the last subnet of that name in `vpc`, or nil when `vpc`
    /// has none. For a topology whose names are unique (a valid one) this is ``subnet(named:)`` when that subnet
    /// is in `vpc`, and the subnet ``ResolvedInterface/subnet`` and ``ResolvedNATGateway/subnet`` hold; with a
    /// name repeated in another VPC (invalid) it is the VPC's own, as the validator reads it.
    public func subnet(named name: String, in vpc: VPCID) -> SubnetID? {
        if let s = subnetByName[name], subnets[s.position].vpc == vpc { return s }
        // A name repeated in another VPC (invalid): the search the resolver's per-VPC view amounts to.
        return vpcs[vpc.position].subnets.last { model($0).name == name }
    }
    /// The attachment of `transitGateway` named `name` (the last of that name in it), as the TGW's route-table
    /// associations resolve it; nil when the TGW has none or its VPC does not exist.
    public func tgwAttachment(named name: String, in transitGateway: TransitGatewayID) -> TGWAttachmentID? {
        if let a = attachmentByName[name], tgwAttachments[a.position].transitGateway == transitGateway { return a }
        return transitGateways[transitGateway.position].attachments.last { model($0).name == name }
    }
    /// The transit gateway named `name` or with AWS id `name` (the first).
    public func transitGateway(named name: String) -> TransitGatewayID? {
        topology.transitGateways.firstIndex { $0.name == name || $0.id == name }.map(TransitGatewayID.init)
    }

    // MARK: The written resources

    public func model(_ id: VPCID) -> VPC { topology.vpcs[id.position] }
    public func model(_ id: SubnetID) -> Subnet {
        let s = subnets[id.position]
        return topology.vpcs[s.vpc.position].subnets[Int(s.position)]
    }
    /// nil for AWS's implied default group.
    public func model(_ id: SecurityGroupID) -> SecurityGroup? {
        let g = securityGroups[id.position]
        return g.position.map { topology.vpcs[g.vpc.position].securityGroups[Int($0)] }
    }
    public func model(_ id: NetworkACLID) -> NetworkACL {
        let a = networkACLs[id.position]
        return topology.vpcs[a.vpc.position].networkACLs[Int(a.position)]
    }
    public func model(_ id: InstanceID) -> Instance {
        let i = instances[id.position]
        return topology.vpcs[i.vpc.position].instances[Int(i.position)]
    }
    public func model(_ id: NetworkInterfaceID) -> NetworkInterface {
        let e = interfaces[id.position]
        let i = instances[e.instance.position]
        return topology.vpcs[i.vpc.position].instances[Int(i.position)].interfaces[Int(e.position)]
    }
    public func model(_ id: NATGatewayID) -> NATGateway {
        let n = natGateways[id.position]
        return topology.vpcs[n.vpc.position].natGateways[Int(n.position)]
    }
    /// nil for AWS's implied main table.
    public func model(_ id: RouteTableID) -> RouteTable? {
        let t = routeTables[id.position]
        return t.position.map { topology.vpcs[t.vpc.position].routeTables[Int($0)] }
    }
    public func model(_ id: PeeringID) -> Peering { topology.peerings[Int(peerings[id.position].position)] }
    public func model(_ id: TransitGatewayID) -> TransitGateway { topology.transitGateways[id.position] }
    public func model(_ id: TGWAttachmentID) -> TGWAttachment {
        let a = tgwAttachments[id.position]
        return topology.transitGateways[a.transitGateway.position].attachments[Int(a.position)]
    }
    public func model(_ id: TGWRouteTableID) -> TGWRouteTable {
        let t = tgwRouteTables[id.position]
        return topology.transitGateways[t.transitGateway.position].routeTables[Int(t.position)]
    }
    public func model(_ id: PrefixListID) -> PrefixList { topology.prefixLists[id.position] }
    public func model(_ id: InternetGatewayID) -> Gateway? { topology.vpcs[id.position].internetGateway }
    public func model(_ id: EgressOnlyGatewayID) -> Gateway? { topology.vpcs[id.position].egressOnlyGateway }

    // MARK: id → name (the reverse lookup)

    public func name(of id: VPCID) -> String { model(id).name }
    public func name(of id: SubnetID) -> String { model(id).name }
    /// `default` for AWS's implied default group.
    public func name(of id: SecurityGroupID) -> String { model(id)?.name ?? "default" }
    public func name(of id: NetworkACLID) -> String { model(id).name }
    public func name(of id: InstanceID) -> String { model(id).name }
    /// `instance.interface` (the instance's name for its first interface).
    public func name(of id: NetworkInterfaceID) -> String {
        let e = interfaces[id.position]
        let instance = model(e.instance).name
        return e.position == 0 ? instance : instance + "." + model(id).name
    }
    public func name(of id: NATGatewayID) -> String { model(id).name }
    /// `VPC-main` for AWS's implied main table.
    public func name(of id: RouteTableID) -> String {
        model(id)?.name ?? "\(model(routeTables[id.position].vpc).name)-main"
    }
    public func name(of id: PeeringID) -> String { model(id).name }
    public func name(of id: TransitGatewayID) -> String { model(id).name }
    public func name(of id: TGWAttachmentID) -> String { model(id).name }
    public func name(of id: TGWRouteTableID) -> String { model(id).name }
    public func name(of id: PrefixListID) -> String { model(id).name }
}

/// A VPC and the runs of its components.
public struct ResolvedVPC: Sendable, Hashable {
    public internal(set) var subnets: IDRange<ComponentKinds.Subnet>
    /// Written groups, then the implied default group (when ``impliesDefaultSecurityGroup``).
    public internal(set) var securityGroups: IDRange<ComponentKinds.SecurityGroup>
    public internal(set) var networkACLs: IDRange<ComponentKinds.NetworkACL>
    public internal(set) var instances: IDRange<ComponentKinds.Instance>
    public internal(set) var natGateways: IDRange<ComponentKinds.NATGateway>
    /// Written tables, then the implied main table (when ``impliesMainRouteTable``).
    public internal(set) var routeTables: IDRange<ComponentKinds.RouteTable>
    /// The group interfaces without a written `sg` hold: the group marked `default`, else the one named
    /// `default`, else AWS's implied default group (all traffic from itself, all egress).
    public internal(set) var defaultSecurityGroup: SecurityGroupID?
    /// True when no written group is the default (the last group of ``securityGroups`` is AWS's).
    public internal(set) var impliesDefaultSecurityGroup: Bool
    /// The table subnets without an association use: the first marked `main`, else AWS's implied one (local
    /// routes only).
    public internal(set) var mainRouteTable: RouteTableID
    /// True when no written table is `main` (the last table of ``routeTables`` is AWS's).
    public internal(set) var impliesMainRouteTable: Bool
    /// The NACL marked `default`; nil: AWS's implied one, which allows everything.
    public internal(set) var defaultNetworkACL: NetworkACLID?
    /// The peerings with this VPC at one end.
    public internal(set) var peerings: [PeeringID]
    /// The VPC's internet gateway, when it has one.
    public internal(set) var internetGateway: InternetGatewayID?
    /// The VPC's egress-only internet gateway, when it has one.
    public internal(set) var egressOnlyGateway: EgressOnlyGatewayID?
}

/// A subnet's VPC and the table and NACL it uses.
public struct ResolvedSubnet: Sendable, Hashable {
    public let vpc: VPCID
    /// Position in the VPC's ``VPC/subnets``.
    public let position: Int32
    /// The associated table, else the VPC's main table.
    public internal(set) var routeTable: RouteTableID
    /// The associated NACL, else the VPC's declared default NACL; nil: AWS's implied allow-all NACL.
    public internal(set) var networkACL: NetworkACLID?
}

/// A security group and its rules.
public struct ResolvedSecurityGroup: Sendable, Hashable {
    public let vpc: VPCID
    /// Position in the VPC's ``VPC/securityGroups``; nil for AWS's implied default group.
    public let position: Int32?
    /// The written ingress rules (ranges of ``ResolvedTopology/securityGroupRules``), in order. Empty for a
    /// group whose name a later group repeats (invalid), which holds no rules.
    public internal(set) var ingress: Range<Int>
    /// The written egress rules; nil: AWS's allow-all egress (`egress none`: an empty range).
    public internal(set) var egress: Range<Int>?
    /// True for a written group whose name a later group repeats (invalid): it has no rules at all.
    public internal(set) var isShadowed: Bool
}

/// A rule's peer, resolved.
public enum ResolvedSGPeer: Sendable, Hashable {
    /// A CIDR block (the written rule holds it).
    case cidr
    /// `pl:NAME`; nil: no such list (no entries).
    case prefixList(PrefixListID?)
    /// `sg NAME` (`sg default`: the VPC's default group); nil: no such group (the rule matches nothing).
    case securityGroup(SecurityGroupID?)
}

/// A security-group rule: the written rule and its resolved peer.
public struct ResolvedSGRule: Sendable, Hashable {
    /// Index of the rule in the group's written `ingress` (or `egress`) list.
    public let position: Int32
    public let peer: ResolvedSGPeer
}

/// A NACL.
public struct ResolvedNetworkACL: Sendable, Hashable {
    public let vpc: VPCID
    public let position: Int32
}

/// An instance and its interfaces.
public struct ResolvedInstance: Sendable, Hashable {
    public let vpc: VPCID
    public let position: Int32
    public internal(set) var interfaces: IDRange<ComponentKinds.NetworkInterface>
}

/// An instance interface: its subnet and security groups. 28 bytes (a big topology has 100,000 of them, and a
/// compiled topology keeps its resolved one).
public struct ResolvedInterface: Sendable, Hashable {
    public let instance: InstanceID
    public let vpc: VPCID
    /// Position in the instance's interfaces (0: the primary).
    public let position: Int32
    private let subnetIndex: Int32
    private let groupStart: Int32
    private let groupCount: Int32
    /// True when the subnet gives a public IPv4 to the primary interface (`map-public-ip`).
    public let subnetMapsPublicIP: Bool

    init(instance: InstanceID, vpc: VPCID, position: Int32, subnet: SubnetID?, securityGroups: Range<Int>,
         subnetMapsPublicIP: Bool) {
        self.instance = instance
        self.vpc = vpc
        self.position = position
        subnetIndex = subnet?.index ?? -1
        groupStart = Int32(truncatingIfNeeded: securityGroups.lowerBound)
        groupCount = Int32(truncatingIfNeeded: securityGroups.count)
        self.subnetMapsPublicIP = subnetMapsPublicIP
    }

    /// The subnet, when it is one of the VPC's; nil: the interface is unusable (validation reports it).
    public var subnet: SubnetID? { subnetIndex >= 0 ? SubnetID(subnetIndex) : nil }
    /// The written groups that exist, else the VPC's default group (a range of
    /// ``ResolvedTopology/interfaceSecurityGroups``; empty: no group at all).
    public var securityGroups: Range<Int> { Int(groupStart)..<(Int(groupStart) + Int(groupCount)) }
}

/// A NAT gateway and its subnet.
public struct ResolvedNATGateway: Sendable, Hashable {
    public let vpc: VPCID
    public let position: Int32
    /// nil: the subnet is not one of the VPC's (the gateway is unusable).
    public internal(set) var subnet: SubnetID?
}

/// A VPC route table and its routes.
public struct ResolvedRouteTable: Sendable, Hashable {
    public let vpc: VPCID
    /// Position in the VPC's ``VPC/routeTables``; nil for AWS's implied main table.
    public let position: Int32?
    /// Its written routes (a range of ``ResolvedTopology/routes``, in written order).
    public internal(set) var routes: Range<Int>
    /// The VGWs propagating into it (`propagate NAME`; names that denote no VGW of the VPC left out).
    public internal(set) var propagations: [VPNGatewayID] = []
    /// The gateways edge-associated with it (a gateway route table; names that denote neither left out).
    public internal(set) var edgeAssociations: [ResolvedEdgeGateway] = []
}

/// A route or rule destination.
public enum ResolvedDestination: Sendable, Hashable {
    /// A CIDR block (the written route holds it).
    case cidr
    /// `pl:NAME`; nil: no such list (no entries).
    case prefixList(PrefixListID?)
}

/// Where a VPC route sends traffic, resolved in the route's VPC.
public enum ResolvedRouteTarget: Sendable, Hashable {
    case local, blackhole
    /// `-> unmodelled ID` (the written route holds the id).
    case unmodelled
    case internetGateway(InternetGatewayID)
    case egressOnlyGateway(EgressOnlyGatewayID)
    case natGateway(NATGatewayID)
    /// An instance interface (by `instance`, `instance.interface`, the instance id or the ENI id).
    case interface(NetworkInterfaceID)
    case peering(PeeringID)
    case transitGateway(TransitGatewayID)
    /// The VPC's own virtual private gateway (by name or `vgw-` id).
    case vpnGateway(VPNGatewayID)
    /// The name denotes nothing usable from this VPC (the route blackholes: `BAD_STATE_ROUTE`).
    case unresolved
}

/// A VPC route: position in its table's written routes, destination and target.
public struct ResolvedRoute: Sendable, Hashable {
    public let position: Int32
    public let destination: ResolvedDestination
    public let target: ResolvedRouteTarget
}

/// A peering whose two VPCs exist.
public struct ResolvedPeering: Sendable, Hashable {
    /// Position in ``Topology/peerings``.
    public let position: Int32
    public let requester: VPCID
    public let accepter: VPCID
}

/// A transit gateway.
public struct ResolvedTransitGateway: Sendable, Hashable {
    /// Its attachments whose VPC exists.
    public internal(set) var attachments: [TGWAttachmentID]
    public internal(set) var routeTables: IDRange<ComponentKinds.TGWRouteTable>
    /// Its VPN, Direct Connect gateway and peering attachments.
    public internal(set) var edgeAttachments: [TGWEdgeAttachmentID] = []
}

/// A TGW attachment whose VPC exists.
public struct ResolvedTGWAttachment: Sendable, Hashable {
    public let transitGateway: TransitGatewayID
    /// Position in the TGW's ``TransitGateway/attachments``.
    public let position: Int32
    public let vpc: VPCID
    /// The written subnets that are the VPC's, in written order.
    public internal(set) var subnets: [SubnetID]
    /// The TGW route table associated with it (the last association written).
    public internal(set) var associatedRouteTable: TGWRouteTableID?
}

/// A TGW route table.
public struct ResolvedTGWRouteTable: Sendable, Hashable {
    public let transitGateway: TransitGatewayID
    public let position: Int32
    /// Its static routes (a range of ``ResolvedTopology/tgwRoutes``).
    public internal(set) var routes: Range<Int>
    /// The attachments propagating into it (written order; names that denote no attachment left out).
    public internal(set) var propagations: [TGWAttachmentID]
    /// The VPN and Direct Connect gateway attachments propagating into it (peering attachments never
    /// propagate: left out).
    public internal(set) var edgePropagations: [TGWEdgeAttachmentID] = []
}

/// A static TGW route.
public struct ResolvedTGWRoute: Sendable, Hashable {
    public let position: Int32
    public let destination: ResolvedDestination
    /// nil: blackhole (written, or an attachment name that denotes none), unless ``edgeTarget`` is set.
    public let target: TGWAttachmentID?
    /// A route to a VPN, Direct Connect gateway or peering attachment (``target`` is then nil: code that knows
    /// only VPC attachments reads it as a blackhole, never as a delivery).
    public internal(set) var edgeTarget: TGWEdgeAttachmentID? = nil
}
