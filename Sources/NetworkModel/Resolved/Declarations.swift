/// What a name denotes.
enum ResourceKind: String, Sendable {  // stored as its case index
    case prefixList = "prefix list", vpc = "VPC", internetGateway = "internet gateway"
    case egressOnlyGateway = "egress-only gateway", subnet = "subnet", natGateway = "NAT gateway"
    case routeTable = "route table", securityGroup = "security group", networkACL = "network ACL"
    case instance = "instance", peering = "peering connection", transitGateway = "transit gateway"
    case tgwAttachment = "transit gateway attachment", tgwRouteTable = "transit gateway route table"
}

extension ResourceKind {
    /// The kind's bit in a ``ResourceKinds`` mask.
    var bit: UInt16 {
        switch self {
        case .prefixList: 1 << 0
        case .vpc: 1 << 1
        case .internetGateway: 1 << 2
        case .egressOnlyGateway: 1 << 3
        case .subnet: 1 << 4
        case .natGateway: 1 << 5
        case .routeTable: 1 << 6
        case .securityGroup: 1 << 7
        case .networkACL: 1 << 8
        case .instance: 1 << 9
        case .peering: 1 << 10
        case .transitGateway: 1 << 11
        case .tgwAttachment: 1 << 12
        case .tgwRouteTable: 1 << 13
        }
    }
}

/// A set of ``ResourceKind``s as a bit mask: `resolve` asks "is this entry one of these kinds" per reference,
/// and a `Set<ResourceKind>` hashed the kind's raw string for every question.
struct ResourceKinds: Sendable, ExpressibleByArrayLiteral {
    private var mask: UInt16 = 0
    init(arrayLiteral kinds: ResourceKind...) {
        for kind in kinds { mask |= kind.bit }
    }
    func contains(_ kind: ResourceKind) -> Bool { mask & kind.bit != 0 }
}

/// Every declared name of a topology across kinds, the first declaration winning a repeated name: what the
/// validator's diagnostics say a name is ("'x' is a subnet, not a security group", "duplicate name"), and what
/// ``ResolvedTopology/declaration(of:)`` answers. Names are unique across a topology, so for a valid one this
/// and the per-kind lookups of ``ResolvedTopology`` agree.
struct DeclaredNames {
    /// 12 bytes: 160,000 names of the benchmark topology cost a few megabytes.
    struct Entry: Sendable {
        var kind: ResourceKind
        /// Index of the owning VPC (or TGW for attachments and TGW tables); -1 for none.
        var ownerIndex: Int32
        /// Position in the owner's array of this kind (in the topology's, for prefix lists and peerings).
        var positionIndex: Int32
        /// Line of the declaration (for "already … at line N").
        var line: Int32
        var owner: Int { Int(ownerIndex) }
        var position: Int { Int(positionIndex) }
    }
    /// A later declaration of a name already declared.
    struct Duplicate {
        var name: String
        var location: SourceLocation
        var previous: Entry
    }

    private(set) var entries = NameMap<Entry>()
    private(set) var duplicates: [Duplicate] = []

    init(_ topology: Topology) {
        var total = topology.prefixLists.count + topology.peerings.count
        for vpc in topology.vpcs {
            total += 3 + vpc.subnets.count + vpc.natGateways.count + vpc.routeTables.count + vpc.securityGroups.count
                + vpc.networkACLs.count + vpc.instances.count
        }
        for tgw in topology.transitGateways { total += 1 + tgw.attachments.count + tgw.routeTables.count }
        entries = NameMap(minimumCapacity: total)
        for (k, list) in topology.prefixLists.enumerated() { declare(list.name, .prefixList, owner: -1, position: k, list.location) }
        for (i, vpc) in topology.vpcs.enumerated() {
            declare(vpc.name, .vpc, owner: i, vpc.location)
            if let g = vpc.internetGateway { declare(g.name, .internetGateway, owner: i, g.location) }
            if let g = vpc.egressOnlyGateway { declare(g.name, .egressOnlyGateway, owner: i, g.location) }
            // By index: the loops read two fields, not a copy of each record.
            for k in vpc.subnets.indices { declare(vpc.subnets[k].name, .subnet, owner: i, position: k, vpc.subnets[k].location) }
            for k in vpc.natGateways.indices {
                declare(vpc.natGateways[k].name, .natGateway, owner: i, position: k, vpc.natGateways[k].location)
            }
            for k in vpc.routeTables.indices {
                declare(vpc.routeTables[k].name, .routeTable, owner: i, position: k, vpc.routeTables[k].location)
            }
            for k in vpc.securityGroups.indices {
                declare(vpc.securityGroups[k].name, .securityGroup, owner: i, position: k, vpc.securityGroups[k].location)
            }
            for k in vpc.networkACLs.indices {
                declare(vpc.networkACLs[k].name, .networkACL, owner: i, position: k, vpc.networkACLs[k].location)
            }
            for k in vpc.instances.indices {
                declare(vpc.instances[k].name, .instance, owner: i, position: k, vpc.instances[k].location)
            }
        }
        for (k, p) in topology.peerings.enumerated() { declare(p.name, .peering, owner: -1, position: k, p.location) }
        for (i, tgw) in topology.transitGateways.enumerated() {
            declare(tgw.name, .transitGateway, owner: i, tgw.location)
            for (k, a) in tgw.attachments.enumerated() { declare(a.name, .tgwAttachment, owner: i, position: k, a.location) }
            for (k, t) in tgw.routeTables.enumerated() { declare(t.name, .tgwRouteTable, owner: i, position: k, t.location) }
        }
    }

    private mutating func declare(_ name: String, _ kind: ResourceKind, owner: Int, position: Int = 0, _ location: SourceLocation) {
        let entry = Entry(kind: kind, ownerIndex: Int32(truncatingIfNeeded: owner), positionIndex: Int32(truncatingIfNeeded: position),
                          line: Int32(truncatingIfNeeded: location.line))
        if !entries.insertIfAbsent(name, entry), let previous = entries[name] {
            duplicates.append(Duplicate(name: name, location: location, previous: previous))
        }
    }
}

/// What a declared name denotes, as a typed id (``ResolvedTopology/declaration(of:)``).
public enum Declaration: Hashable, Sendable {
    case prefixList(PrefixListID)
    case vpc(VPCID)
    case internetGateway(InternetGatewayID)
    case egressOnlyGateway(EgressOnlyGatewayID)
    case subnet(SubnetID)
    case natGateway(NATGatewayID)
    case routeTable(RouteTableID)
    case securityGroup(SecurityGroupID)
    case networkACL(NetworkACLID)
    case instance(InstanceID)
    /// A peering; nil when one of its VPCs does not exist (it is not a usable component).
    case peering(PeeringID?)
    case transitGateway(TransitGatewayID)
    /// An attachment; nil when its VPC does not exist.
    case tgwAttachment(TGWAttachmentID?)
    case tgwRouteTable(TGWRouteTableID)
}

extension ResolvedTopology {
    /// What `name` denotes across every kind (the first declaration of a repeated name, as the validator
    /// reports it), or nil. Builds the cross-kind table on each call: for callers that ask about a few names
    /// (the importers' reconciliation), not per packet.
    public func declarations() -> DeclarationTable { DeclarationTable(self) }
}

/// Every declared name of a resolved topology across kinds (``ResolvedTopology/declarations()``).
public struct DeclarationTable: Sendable {
    let resolved: ResolvedTopology
    let names: NameMap<DeclaredNames.Entry>

    init(_ resolved: ResolvedTopology) {
        self.resolved = resolved
        names = DeclaredNames(resolved.topology).entries
    }

    /// What `name` denotes, or nil when nothing is declared under it.
    public subscript(name: String) -> Declaration? {
        guard let e = names[name] else { return nil }
        let r = resolved
        switch e.kind {
        case .prefixList: return .prefixList(PrefixListID(e.position))
        case .vpc: return .vpc(VPCID(e.owner))
        case .internetGateway: return .internetGateway(InternetGatewayID(e.owner))
        case .egressOnlyGateway: return .egressOnlyGateway(EgressOnlyGatewayID(e.owner))
        case .subnet: return .subnet(r.vpcs[e.owner].subnets[r.vpcs[e.owner].subnets.startIndex + e.position])
        case .natGateway: return .natGateway(r.vpcs[e.owner].natGateways[r.vpcs[e.owner].natGateways.startIndex + e.position])
        case .routeTable: return .routeTable(r.vpcs[e.owner].routeTables[r.vpcs[e.owner].routeTables.startIndex + e.position])
        case .securityGroup:
            return .securityGroup(r.vpcs[e.owner].securityGroups[r.vpcs[e.owner].securityGroups.startIndex + e.position])
        case .networkACL: return .networkACL(r.vpcs[e.owner].networkACLs[r.vpcs[e.owner].networkACLs.startIndex + e.position])
        case .instance: return .instance(r.vpcs[e.owner].instances[r.vpcs[e.owner].instances.startIndex + e.position])
        case .peering:
            return .peering(r.peerings.firstIndex { Int($0.position) == e.position }.map(PeeringID.init))
        case .transitGateway: return .transitGateway(TransitGatewayID(e.owner))
        case .tgwAttachment:
            return .tgwAttachment(r.transitGateways[e.owner].attachments.first { r.tgwAttachments[$0.position].position == e.positionIndex })
        case .tgwRouteTable:
            return .tgwRouteTable(r.transitGateways[e.owner].routeTables[r.transitGateways[e.owner].routeTables.startIndex + e.position])
        }
    }
}
