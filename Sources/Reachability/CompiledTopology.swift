import IPAddressing
import NetworkModel
import Synchronization

/// An interface of the data plane: an instance ENI, a NAT gateway's ENI or a transit gateway attachment ENI.
@frozen public struct InterfaceID: Hashable, Sendable, Comparable {
    /// Index into ``CompiledTopology/interfaces``.
    public let index: Int32
    @inlinable public init(_ index: Int32) { self.index = index }
    /// The index as an `Int` (for subscripting).
    @inlinable public var position: Int { Int(index) }
    @inlinable public static func < (a: InterfaceID, b: InterfaceID) -> Bool { a.index < b.index }
}

/// An interned set of security groups (the union of an interface's groups): index into
/// ``CompiledTopology/securityGroupSets``.
@frozen public struct SecurityGroupSetID: Hashable, Sendable {
    public let index: Int32
    @inlinable public init(_ index: Int32) { self.index = index }
    @inlinable public var position: Int { Int(index) }
}

/// A topology compiled once for fast queries: per-route-table LPM tables, per-interface security-group rule
/// indexes, per-subnet NACLs, per-TGW-route-table LPM tables and name/AWS-id → component maps.
///
/// Build with ``init(_:)``; every query (``reach(from:to:traffic:sourcePort:oneWay:)``,
/// ``forward(_:from:tracked:observer:)``, ``routeDecision(subnet:address:)`` …) reads it without locking.
public struct CompiledTopology: Sendable {
    /// The resolved model it was compiled from (every reference a typed id; indices of VPCs, subnets, security
    /// groups, NACLs, VPC route tables, peerings, TGWs, TGW attachments and TGW route tables are those ids').
    public let resolved: ResolvedTopology
    /// The model it was compiled from.
    public var topology: Topology { resolved.topology }

    // MARK: Stored compiled state (indices are Int32 into these arrays)
    public internal(set) var vpcs: [CompiledVPC] = []
    public internal(set) var subnets: [CompiledSubnet] = []
    public internal(set) var interfaces: [CompiledInterface] = []
    public internal(set) var routeTables: [CompiledRouteTable] = []
    public internal(set) var networkACLs: [CompiledNetworkACL] = []
    public internal(set) var securityGroups: [CompiledSecurityGroup] = []
    /// Interned sets of security groups (the union of an interface's groups), with flattened rules.
    public internal(set) var securityGroupSets: [CompiledSecurityGroupSet] = []
    public internal(set) var peerings: [CompiledPeering] = []
    public internal(set) var transitGateways: [CompiledTransitGateway] = []
    public internal(set) var tgwAttachments: [CompiledTGWAttachment] = []
    public internal(set) var tgwRouteTables: [CompiledTGWRouteTable] = []
    /// Load balancers (ALB, NLB, classic) with their nodes and each listener's targets (LoadBalancers.swift).
    public internal(set) var loadBalancers: [CompiledLoadBalancer] = []
    /// VGWs' edges to on-premises and their announcements (Compile/Edges.swift); empty without VGWs.
    var edgePlane = CompiledEdges()
    /// Gateway Load Balancer endpoints as the walk follows them, indexed like ``ResolvedTopology/vpcEndpoints``
    /// (GatewayLoadBalancers.swift); empty when no route targets one. `gwlbHot` is their plain-data part.
    var gwlbPlans: [GWLBEndpointPlan] = []
    var gwlbHot: [GWLBEndpointHot] = []

    /// Plain-data copies of the fields every hop reads (no reference-counted members, so reading one
    /// never retains a string or an array).
    var interfaceHot: [InterfaceHot] = []
    var subnetHot: [SubnetHot] = []

    struct AddressKey: Hashable, Sendable {
        var vpc: Int32
        var address: IPAddress
    }
    /// (VPC, private IPv4 address) → interface (key: ``addressKey(_:_:)``); read through
    /// ``privateOwner(vpc:_:)``.
    var privateOwner4 = IndexMap()
    /// (VPC, private IPv6 address) → interface.
    var privateOwner6: [AddressKey: Int32] = [:]
    /// Public IPv4 (known, or synthetic for unknown values) → interface (key: the address bits). IPv6
    /// addresses: by value.
    var publicOwner = IndexMap()
    var ipv6Owner: [UInt128: Int32] = [:]
    /// Unordered VPC pair → peering index.
    var peeringByPair: [UInt64: Int32] = [:]
    /// Unordered VPC pair joined by a TGW with security-group referencing on.
    var sgReferencingPairs: Set<UInt64> = []
    /// (TGW, VPC) → the TGW's attachment of that VPC.
    var attachmentByTGWAndVPC: [UInt64: Int32] = [:]
    /// Plain-data copies of rule lists, route targets and VPC blocks (built by `buildHotData`), read by the
    /// query path without reference counting or hashing.
    var sgRuleHot: [HotSGRule] = []
    var sgGroupHot: [Int32] = []
    var sgSetHot: [HotSGSet] = []
    var sgVPCHot: [Int32] = []
    var naclRuleHot: [HotNACLRule] = []
    var naclHot: [HotNACL] = []
    var routeTargetHot: [HotRouteTarget] = []
    var routeTableBase: [Int32] = []
    var vpcHot: [VPCHot] = []
    var vpcCIDRHot: [IPv4Prefix] = []
    /// IPv4 VPC route tables as interval lists (slices of one array), and per-VPC IPv4 subnet maps.
    var routeIntervals: [RouteInterval] = []
    var routeTableIntervals: [RuleSlice] = []
    var subnetIntervals: [SubnetInterval] = []
    var vpcSubnetIntervals: [RuleSlice] = []
    var attachmentHot: [AttachmentHot] = []
    var attachmentSubnetHot: [AttachmentSubnet] = []
    /// Per TGW route table (from `tgwTableBase`), per route: the target attachment or -1 (blackhole).
    var tgwTargetHot: [Int32] = []
    var tgwTableBase: [Int32] = []
    /// Unordered VPC pairs across which security-group references work (peered, or TGW with referencing on).
    var sgReferencablePairs = IndexMap()
    /// (TGW, VPC) → attachment, as an integer map.
    var attachmentMap = IndexMap()
    /// Every subnet block of every VPC → VPC (which VPC holds a private address).
    var vpcBySubnetBlock = RouteLPM<Int32>([])
    /// Per VPC: subnet lookup by address.
    var subnetLPM: [RouteLPM<Int32>] = []

    /// Name and AWS-id maps (``NameMap``: a big topology has hundreds of thousands of names, and `Dictionary`'s
    /// seeded hashing made these maps a third of the compile time).
    /// Names come from the resolved topology's one name table (the compiled index of these kinds is the id's).
    var vpcByName: IndexByName<ComponentKinds.VPC> { IndexByName(map: resolved.vpcByName) }
    var subnetByName: IndexByName<ComponentKinds.Subnet> { IndexByName(map: resolved.subnetByName) }
    var securityGroupByName: IndexByName<ComponentKinds.SecurityGroup> { IndexByName(map: resolved.securityGroupByName) }
    /// Query endpoint names and AWS ids (the resolved topology's ``EndpointNameTable``), built on first use (a
    /// flow-log replay never looks a name up; on the benchmark topology these maps were a sixth of compiling it).
    var endpointNames: EndpointNameTable { nameIndex.table { resolved.endpointNames() } }
    /// Per interface: the instance's name for the ENI (`eth0`); empty for NAT gateway and TGW ENIs.
    var interfaceNICNames: [String] = []
    /// The compiled interface of each resolved instance interface and NAT gateway (-1: unusable); read through
    /// ``interface(of:)-(NetworkInterfaceID)``.
    @usableFromInline var interfaceOfENI: [Int32] = []
    @usableFromInline var interfaceOfNAT: [Int32] = []
    /// The instance's name for interface `e` (`eth0`, as written); empty for NAT gateway and TGW ENIs.
    public func nicName(ofInterface e: InterfaceID) -> String { interfaceNICNames[Int(e.index)] }
    /// Holds ``endpointNames`` once built (shared by copies of this value).
    let nameIndex = NameIndex()
    /// The internet address space and its cut points, once built (shared by copies of this value).
    let internetSpaceCache = InternetSpaceCache()
    /// Every interface's question class, once built (shared by copies of this value; Questions/Classes.swift).
    let questionClassCache = QuestionClassCache()

    /// The synthetic public addresses given to interfaces whose public IPv4 is unknown (`map-public-ip`
    /// without a written address) come from 240.0.0.0/4, never a VPC block (documented in Docs/SEMANTICS.md).
    static let syntheticPublicBase: UInt32 = 0xF000_0000
}

/// A resolved name → id map read as compiled indices.
struct IndexByName<Kind: ComponentIDKind>: Sendable {
    let map: NameMap<ComponentID<Kind>>
    subscript(name: String) -> Int32? { map[name]?.index }
    /// The names, in declaration order.
    var keys: [String] { map.keys }
}

/// The endpoint-name table of a compiled topology, built once on first use, under a lock (a compiled topology
/// is read from any thread).
final class NameIndex: Sendable {
    private let built = Mutex<EndpointNameTable?>(nil)

    /// The table, built by `build` on the first call.
    func table(_ build: () -> EndpointNameTable) -> EndpointNameTable {
        built.withLock { built in
            if let built { return built }
            let table = build()
            built = table
            return table
        }
    }
}

/// The per-hop fields of an interface, as plain data.
struct InterfaceHot: Sendable {
    /// 0 instance, 1 NAT gateway, 2 TGW attachment ENI, 3 interface endpoint ENI, 4 load balancer node.
    var kind: UInt8
    var attachment: Int32
    var subnet: Int32
    var vpc: Int32
    var primaryIP: IPv4Address
    /// 0: none.
    var publicIP: UInt32
    var securityGroupSet: Int32
    var sourceDestCheck: Bool
    /// True when the primary address is the interface's only address.
    var hasOnlyPrimary: Bool
    /// The interface's security-group rules (slices of ``CompiledTopology/sgRuleHot``; empty without groups).
    var sgIngress = RuleSlice()
    var sgEgress = RuleSlice()
    var isInstance: Bool { kind == 0 }
    /// True for the ENIs whose security groups filter what they send and receive: instances' and interface
    /// endpoints'.
    var hasGroups: Bool { kind == 0 || kind >= 3 }
}

/// The per-hop fields of a subnet, as plain data (the IPv6 block stays in ``CompiledSubnet``: keeping it out
/// halves this record).
struct SubnetHot: Sendable {
    var vpc: Int32
    var cidr: IPv4Prefix
    var hasIPv6: Bool
    /// Interned availability zone; -1: unknown (matches every zone).
    var zone: Int32
    var routeTable: Int32
    var networkACL: Int32
    /// The route table's IPv4 interval list (a slice of ``CompiledTopology/routeIntervals``).
    var routes = RuleSlice()
    /// The NACL's inbound and outbound rules (slices of ``CompiledTopology/naclRuleHot``).
    var naclInbound = RuleSlice()
    var naclOutbound = RuleSlice()
}

/// A compiled VPC.
public struct CompiledVPC: Sendable {
    public var name: String
    public var awsID: String?
    public var cidrs: [IPv4Prefix]
    public var ipv6Cidrs: [IPv6Prefix]
    public var internetGateway: Gateway?
    public var egressOnlyGateway: Gateway?
    @usableFromInline var subnets: [Int32]
    /// The security group instances get when they name none.
    @usableFromInline var defaultSecurityGroup: Int32
    @usableFromInline var mainRouteTable: Int32
    public var region: String?

    /// True when `address` is in one of the VPC's blocks.
    public func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): cidrs.contains { $0.contains(a) }
        case .v6(let a): ipv6Cidrs.contains { $0.contains(a) }
        }
    }
}

/// A compiled subnet: its blocks, AZ, route table and NACL.
public struct CompiledSubnet: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var vpc: Int32
    public var cidr: IPv4Prefix
    public var ipv6Cidr: IPv6Prefix?
    public var availabilityZone: String?
    @usableFromInline var routeTable: Int32
    /// -1: the VPC's default NACL (allow all both ways).
    @usableFromInline var networkACL: Int32
    public var location: SourceLocation

    /// True when `address` is in the subnet's IPv4 or IPv6 block.
    @inlinable public func contains(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): cidr.contains(a)
        case .v6(let a): ipv6Cidr?.contains(a) ?? false
        }
    }
    /// The first usable address (base + 4): what a subnet name means as an endpoint.
    public var firstUsableAddress: IPv4Address { IPv4Address(bits: cidr.network.bits &+ 4) }
}

/// What an interface belongs to.
public enum InterfaceKind: Hashable, Sendable {
    /// An instance ENI; `instance` is the instance name.
    case instance(instance: String)
    /// A NAT gateway's ENI.
    case natGateway(publicEIP: IPv4Address?, isPublic: Bool)
    /// A transit gateway attachment's ENI in one subnet (index into ``CompiledTopology/tgwAttachments``).
    case tgwAttachment(TGWAttachmentID)
    /// An interface endpoint's ENI in one subnet: it answers connections and never initiates or forwards one.
    case vpcEndpoint(VPCEndpointID)
    /// A load balancer's node in one subnet (index into ``CompiledTopology/loadBalancers``): it terminates a
    /// client's connection on a listener and opens a new one to a target.
    case loadBalancer(Int32)
}

/// A compiled network interface.
public struct CompiledInterface: Sendable {
    /// `app-1` (primary interface), `fw-1.eth1`, `nat-a`, or `prod-att@app-a` for a TGW ENI.
    public var name: String
    /// The ENI id (`eni-…`) when known; for a NAT gateway its `nat-…` id.
    public var awsID: String?
    /// The instance id (`i-…`) for instance interfaces.
    public var instanceID: String?
    public var kind: InterfaceKind
    @usableFromInline var subnet: Int32
    @usableFromInline var vpc: Int32
    public var primaryIP: IPv4Address
    public var secondaryIPs: [IPv4Address]
    public var ipv6Addresses: [IPv6Address]
    /// The public IPv4 (or EIP); synthetic (240/4) when unknown, see ``publicIPKnown``.
    public var publicIP: IPv4Address?
    public var publicIPKnown: Bool
    /// Index into ``CompiledTopology/securityGroupSets``; -1 when the interface has no security groups.
    @usableFromInline var securityGroupSet: Int32
    public var sourceDestCheck: Bool
    public var location: SourceLocation

    /// True when `address` is one of the interface's own private addresses.
    @inlinable public func owns(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): a == primaryIP || secondaryIPs.contains(a)
        case .v6(let a): ipv6Addresses.contains(a)
        }
    }
    /// True for an instance interface.
    public var isInstance: Bool { if case .instance = kind { true } else { false } }
}

/// How a VPC route came to be: ranks equal prefixes (Docs/AWS-BEHAVIOUR.md §2).
public enum RouteOrigin: Hashable, Sendable, CustomStringConvertible {
    /// A CIDR route written in the table (including an explicit `-> local`).
    case `static`
    /// The implicit local route of a VPC block.
    case local
    /// One entry of a prefix-list route.
    case prefixList(String)
    /// A TGW route propagated from a VPC attachment.
    case propagated(String)
    /// Lower ranks win among equal prefixes.
    public var rank: Int {
        switch self {
        case .static: 0
        case .local: 1
        case .prefixList: 2
        case .propagated: 3
        }
    }
    public var description: String {
        switch self {
        case .static: "static"
        case .local: "local"
        case .prefixList(let n): "prefix list pl:\(n)"
        case .propagated(let a): "propagated from \(a)"
        }
    }
}

/// Where a VPC route sends traffic.
public enum RouteTargetKind: Hashable, Sendable {
    case local, blackhole, internetGateway, egressOnlyGateway
    /// A NAT gateway's interface.
    case natGateway(InterfaceID)
    case peering(PeeringID)
    case transitGateway(TransitGatewayID)
    /// The VPC's virtual private gateway (toward on-premises).
    case vpnGateway(VPNGatewayID)
    /// An instance interface (appliance routing).
    case interface(InterfaceID)
    /// The target name resolves to nothing usable in this VPC.
    case unresolved(String)
    /// `-> unmodelled ID`: a target outside the model (kept by its AWS id); the walk stops there with
    /// `UNSUPPORTED_COMPONENT`.
    case unmodelled(String)
    /// A gateway endpoint (S3, DynamoDB): the route its table gets for each entry of the service's prefix list.
    case gatewayEndpoint(VPCEndpointID)
    /// A Gateway Load Balancer endpoint whose load balancer the model holds: the packet goes to the appliances
    /// behind it and back out of the endpoint (Docs/SEMANTICS.md "Gateway Load Balancers").
    case gatewayLoadBalancerEndpoint(VPCEndpointID)
}

/// One route of a compiled VPC route table (a prefix-list route becomes one entry per list entry).
public struct CompiledRoute: Hashable, Sendable {
    public var prefix: IPPrefix
    public var target: RouteTargetKind
    public var origin: RouteOrigin
    /// `route 10.1.0.0/16 -> prod-shared`.
    public var text: String
    public var location: SourceLocation?
}

/// A compiled VPC route table with its LPM tables (tie-breaks resolved at compile time).
public struct CompiledRouteTable: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var vpc: Int32
    public var routes: [CompiledRoute]
    /// prefix → index of the winning route in ``routes``.
    public var lpm: RouteLPM<Int32>
    public var location: SourceLocation?
    /// Propagated routes BGP withdrew (their edge is down): not in ``routes``; named when no route is left.
    var withdrawn: [WithdrawnRoute] = []
}

/// A compiled NACL rule.
public struct CompiledNACLRule: Hashable, Sendable {
    public var number: Int
    public var allow: Bool
    /// -1 = all protocols.
    public var ipProtocol: Int16
    /// nil: all ports (or a protocol without ports).
    public var ports: PortRange?
    public var cidr: IPPrefix
    public var location: SourceLocation
    /// `inbound 100 allow tcp 5432 from 10.0.10.0/24`.
    public var text: String
}

/// A compiled network ACL: rules sorted by number.
public struct CompiledNetworkACL: Sendable {
    public var name: String
    public var awsID: String?
    public var inbound: [CompiledNACLRule]
    public var outbound: [CompiledNACLRule]
    public var location: SourceLocation
}

/// A security group's rule after expansion (prefix lists become one rule per entry).
public struct CompiledSGRule: Hashable, Sendable {
    public enum Peer: Hashable, Sendable {
        case cidr(IPPrefix)
        case group(SecurityGroupID)
    }
    /// -1 = all protocols.
    public var ipProtocol: Int16
    public var ports: PortRange?
    public var peer: Peer
    /// The group the rule belongs to.
    @usableFromInline var group: Int32
    /// `ingress tcp 443 from 0.0.0.0/0`.
    public var text: String
    public var location: SourceLocation
}

/// A compiled security group.
public struct CompiledSecurityGroup: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var vpc: Int32
    public var ingress: [CompiledSGRule]
    public var egress: [CompiledSGRule]
    public var location: SourceLocation
}

/// The union of several security groups (those of one interface), flattened for evaluation.
public struct CompiledSecurityGroupSet: Sendable {
    @usableFromInline var groups: [Int32]
    public var ingress: [CompiledSGRule]
    public var egress: [CompiledSGRule]
}

/// A compiled VPC peering connection.
public struct CompiledPeering: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var vpcA: Int32
    @usableFromInline var vpcB: Int32
    /// The VPC at the other end from `vpc`.
    @inlinable @inline(__always) func other(than vpc: Int32) -> Int32? {
        vpc == vpcA ? vpcB : vpc == vpcB ? vpcA : nil
    }
    /// The VPC at the other end from `vpc`; nil when `vpc` is neither end.
    @inlinable public func other(than vpc: VPCID) -> VPCID? { other(than: vpc.index).map(VPCID.init) }
}

/// A compiled transit gateway.
public struct CompiledTransitGateway: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var attachments: [Int32]
    public var securityGroupReferencing: Bool
}

/// A compiled TGW VPC attachment: its subnets (one per AZ), their ENIs and its associated table.
public struct CompiledTGWAttachment: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var transitGateway: Int32
    @usableFromInline var vpc: Int32
    @usableFromInline var subnets: [Int32]
    /// ENI per subnet (same order as ``subnets``).
    @usableFromInline var interfaces: [Int32]
    public var applianceMode: Bool
    /// -1: no associated TGW route table.
    @usableFromInline var associatedRouteTable: Int32
    public var location: SourceLocation
}

/// A TGW route's target.
public enum TGWRouteTarget: Hashable, Sendable {
    case attachment(TGWAttachmentID)
    case blackhole
    /// A VPN, Direct Connect gateway or peering attachment (``CompiledEdges/tgwEdgeAttachments``).
    case edgeAttachment(TGWEdgeAttachmentID)
}

/// One route of a compiled TGW route table.
public struct CompiledTGWRoute: Hashable, Sendable {
    public var prefix: IPPrefix
    public var target: TGWRouteTarget
    public var origin: RouteOrigin
    public var text: String
    public var location: SourceLocation?
}

/// A compiled TGW route table with its LPM tables.
public struct CompiledTGWRouteTable: Sendable {
    public var name: String
    public var awsID: String?
    @usableFromInline var transitGateway: Int32
    public var routes: [CompiledTGWRoute]
    public var lpm: RouteLPM<Int32>
    public var location: SourceLocation
    /// Routes BGP withdrew (a BGP VPN attachment whose tunnels are all down): not in ``routes``; named when no route is left.
    var withdrawn: [WithdrawnRoute] = []
}
