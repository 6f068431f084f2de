import IPAddressing

// The topology model: plain values that mirror the `.vpc` language (see Docs/DSL.md).
//
// References between resources are by name (names are unique across a topology); validation checks that each
// resolves to the right kind in the right VPC, and `TopologyResolver` (Resolved/) turns them into typed ids
// once, for every layer above. Every resource may carry its AWS id (`id …`), which importers keep so that
// answers name real resources.

/// A whole network: VPCs and what joins them, plus the assertions to check.
public struct Topology: Hashable, Sendable {
    public var prefixLists: [PrefixList] = []
    public var vpcs: [VPC] = []
    public var peerings: [Peering] = []
    public var transitGateways: [TransitGateway] = []
    /// Customer gateways: the on-premises ends of Site-to-Site VPN connections.
    public var customerGateways: [CustomerGateway] = []
    /// Site-to-Site VPN connections, each ending on a VPC's virtual private gateway or on a transit gateway.
    public var vpnConnections: [VPNConnection] = []
    /// Direct Connect gateways (global) and their associations with VGWs and TGWs.
    public var directConnectGateways: [DirectConnectGateway] = []
    /// Direct Connect virtual interfaces (private or transit).
    public var virtualInterfaces: [VirtualInterface] = []
    /// On-premises networks: prefixes announced to AWS over edges (VPN connections, VIFs, VGWs, DX gateways).
    public var onPremisesNetworks: [OnPremisesNetwork] = []
    public var assertions: [Assertion] = []
    /// Named policies over endpoint sets (`policy NAME deny|require|only …`, Docs/DSL.md "Policies"), in written order.
    public var policies: [Policy] = []
    /// VPC Flow Log resources (`flow-log NAME on …`, Docs/DSL.md "Flow logs"), in written order.
    public var flowLogs: [FlowLog] = []
    /// The names of the files the locations in this topology refer to (``SourceLocation/fileIndex``); ignored
    /// by equality.
    public var files = SourceFileTable()
    public init() {}
}

/// A managed prefix list, referenced as `pl:NAME`.
public struct PrefixList: Hashable, Sendable {
    public var name: String
    public var id: String?
    public var entries: [IPPrefix]
    public var location: SourceLocation
    public init(name: String, id: String? = nil, entries: [IPPrefix], location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.entries = entries
        self.location = location
    }
}

/// A VPC and everything that lives in it.
public struct VPC: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// The region (from the nearest preceding `region` line), if any.
    public var region: String?
    /// The owning account (from the nearest preceding `account` line), if any.
    public var account: String?
    /// IPv4 blocks; the first is the primary.
    public var cidrs: [IPv4Prefix]
    /// IPv6 blocks (Amazon-provided: one /56).
    public var ipv6Cidrs: [IPv6Prefix] = []
    public var internetGateway: Gateway?
    public var egressOnlyGateway: Gateway?
    public var subnets: [Subnet] = []
    public var natGateways: [NATGateway] = []
    public var routeTables: [RouteTable] = []
    public var securityGroups: [SecurityGroup] = []
    public var networkACLs: [NetworkACL] = []
    public var instances: [Instance] = []
    /// The virtual private gateway attached to this VPC (`vpn-gateway NAME`), if any.
    public var vpnGateway: VPNGateway?
    /// Gateway and interface VPC endpoints.
    public var endpoints: [VPCEndpoint] = []
    /// Load balancers (application, network, classic) with their listeners.
    public var loadBalancers: [LoadBalancer] = []
    /// Target groups with their registered targets.
    public var targetGroups: [TargetGroup] = []
    /// AWS's default VPC of its region (`IsDefault`; `default-vpc NAME` writes one in AWS's shape).
    public var isDefault: Bool = false
    public var location: SourceLocation

    /// The VPC's default security group as written: the group marked `default`, else the group named
    /// `default`; nil when the VPC has only AWS's implied default group.
    public var defaultSecurityGroup: SecurityGroup? {
        securityGroups.first(where: \.isDefault) ?? securityGroups.first(where: { $0.name == "default" })
    }

    /// The NACL marked `default`, if any (without one, subnets with no association allow everything).
    public var defaultNetworkACL: NetworkACL? { networkACLs.first(where: \.isDefault) }

    public init(name: String, id: String? = nil, region: String? = nil, account: String? = nil,
                cidrs: [IPv4Prefix], location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.region = region
        self.account = account
        self.cidrs = cidrs
        self.location = location
    }
}

/// An internet gateway or egress-only internet gateway attached to a VPC.
public struct Gateway: Hashable, Sendable {
    public var name: String
    public var id: String?
    public var location: SourceLocation
    public init(name: String, id: String? = nil, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.location = location
    }
}

/// A subnet in one availability zone.
public struct Subnet: Hashable, Sendable {
    public var name: String
    public var id: String?
    public var cidr: IPv4Prefix
    public var ipv6Cidr: IPv6Prefix?
    public var availabilityZone: String?
    /// AWS's MapPublicIpOnLaunch: instances launched here get a public IPv4 unless they opt out.
    public var mapPublicIP: Bool
    public var location: SourceLocation
    public init(name: String, id: String? = nil, cidr: IPv4Prefix, ipv6Cidr: IPv6Prefix? = nil,
                availabilityZone: String? = nil, mapPublicIP: Bool = false, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.cidr = cidr
        self.ipv6Cidr = ipv6Cidr
        self.availabilityZone = availabilityZone
        self.mapPublicIP = mapPublicIP
        self.location = location
    }
}

/// A NAT gateway: public (with an Elastic IP) or private.
public struct NATGateway: Hashable, Sendable {
    public enum Connectivity: Hashable, Sendable {
        /// Public NAT gateway; the EIP may be unknown (nil) when the source did not say.
        case `public`(eip: IPv4Address?)
        case `private`
    }
    public var name: String
    public var id: String?
    public var subnet: String
    public var connectivity: Connectivity
    /// The gateway's private address in its subnet (`ip …`); nil: the model picks one.
    public var privateIP: IPv4Address?
    public var location: SourceLocation
    public init(name: String, id: String? = nil, subnet: String, connectivity: Connectivity,
                privateIP: IPv4Address? = nil, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.subnet = subnet
        self.connectivity = connectivity
        self.privateIP = privateIP
        self.location = location
    }
}

/// A VPC route table.
public struct RouteTable: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// The VPC's main table: subnets without an explicit association use it.
    public var isMain: Bool
    /// Subnets explicitly associated.
    public var associations: [String]
    /// Routes other than the implicit `local` ones.
    public var routes: [Route]
    /// Virtual private gateways whose routes propagate into this table (`propagate NAME`; AWS's
    /// `PropagatingVgws`). Propagated routes rank below static ones and never replace `local`.
    public var propagations: [String] = []
    /// Gateways (the VPC's internet gateway or virtual private gateway) edge-associated with this table
    /// (`edge-associate NAME`): a gateway route table, which routes traffic *entering* the VPC through them.
    public var edgeAssociations: [String] = []
    public var location: SourceLocation
    /// Where the block's closing `}` was written (`.unknown` when not parsed from text): where a statement
    /// added to the block can go (reach's suggested fixes).
    public var closeLocation: SourceLocation = .unknown
    public init(name: String, id: String? = nil, isMain: Bool = false, associations: [String] = [],
                routes: [Route] = [], propagations: [String] = [], edgeAssociations: [String] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.isMain = isMain
        self.associations = associations
        self.routes = routes
        self.propagations = propagations
        self.edgeAssociations = edgeAssociations
        self.location = location
    }
}

/// Where a route or rule points: a CIDR or a prefix list.
public enum RouteDestination: Hashable, Sendable, CustomStringConvertible {
    case cidr(IPPrefix)
    /// `pl:NAME`
    case prefixList(String)
    public var description: String {
        switch self {
        case .cidr(let p): p.description
        case .prefixList(let n): "pl:\(n)"
        }
    }
}

/// A route: destination → target.
public struct Route: Hashable, Sendable {
    public enum Target: Hashable, Sendable, CustomStringConvertible {
        /// The VPC's own blocks (explicit `-> local`).
        case local
        /// Drops matching traffic.
        case blackhole
        /// A named gateway, NAT gateway, peering, transit gateway, instance (its primary interface) or
        /// `instance.interface`; validation resolves the kind.
        case named(String)
        /// `-> unmodelled ID`: a target the model has no component for (a virtual private gateway, a VPC
        /// endpoint, a carrier or local gateway, Cloud WAN, an interface that is not an instance's), kept by
        /// its AWS id. Matching traffic leaves what VPCKit can follow: answers stop there with
        /// `UNSUPPORTED_COMPONENT`, never "reachable".
        case unmodelled(String)
        public var description: String {
            switch self {
            case .local: "local"
            case .blackhole: "blackhole"
            case .named(let n): n
            case .unmodelled(let id): "unmodelled \(id)"
            }
        }
    }
    public var destination: RouteDestination
    public var target: Target
    public var location: SourceLocation
    public init(destination: RouteDestination, target: Target, location: SourceLocation = .unknown) {
        self.destination = destination
        self.target = target
        self.location = location
    }
}

/// An inclusive port range (for ICMP rules: type in `lower`, code in `upper`, per AWS's convention).
public struct PortRange: Hashable, Sendable, CustomStringConvertible {
    public var lower: UInt16
    public var upper: UInt16
    public init(_ lower: UInt16, _ upper: UInt16) {
        self.lower = lower
        self.upper = upper
    }
    public init(_ port: UInt16) { self.init(port, port) }
    public static let all = PortRange(0, 65535)
    public static let ephemeral = PortRange(1024, 65535)
    public func contains(_ port: UInt16) -> Bool { port >= lower && port <= upper }
    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }
}

/// A security group and its rules.
public struct SecurityGroup: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// `security-group NAME default`: the VPC's default security group (AWS's group named `default`), which
    /// interfaces without a written `sg` hold. Without a marked group, a group named `default` is the default;
    /// without either, the VPC has AWS's implied default group (all traffic from itself, all egress).
    public var isDefault: Bool = false
    public var ingress: [SecurityGroupRule]
    /// nil: AWS's default allow-all egress (to 0.0.0.0/0, and ::/0 when the VPC has IPv6).
    /// An empty array: `egress none`.
    public var egress: [SecurityGroupRule]?
    public var location: SourceLocation
    /// Where the block's closing `}` was written (`.unknown` when not parsed from text).
    public var closeLocation: SourceLocation = .unknown
    /// Where `egress none` was written (`.unknown` when absent or not parsed from text): an egress rule
    /// replaces that line.
    public var egressNoneLocation: SourceLocation = .unknown
    public init(name: String, id: String? = nil, ingress: [SecurityGroupRule] = [], egress: [SecurityGroupRule]? = nil,
                isDefault: Bool = false, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.isDefault = isDefault
        self.ingress = ingress
        self.egress = egress
        self.location = location
    }
}

/// One allow rule of a security group.
public struct SecurityGroupRule: Hashable, Sendable {
    public enum Peer: Hashable, Sendable, CustomStringConvertible {
        case cidr(IPPrefix)
        case prefixList(String)
        /// `sg NAME`: any interface holding that group.
        case securityGroup(String)
        public var description: String {
            switch self {
            case .cidr(let p): p.description
            case .prefixList(let n): "pl:\(n)"
            case .securityGroup(let n): "sg \(n)"
            }
        }
    }
    public var ipProtocol: IPProtocol
    /// nil: all ports (or all ICMP types).
    public var ports: PortRange?
    public var peer: Peer
    public var location: SourceLocation
    public init(ipProtocol: IPProtocol, ports: PortRange? = nil, peer: Peer, location: SourceLocation = .unknown) {
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.peer = peer
        self.location = location
    }
}

/// A network ACL: numbered rules each way, first match wins, implicit final deny.
public struct NetworkACL: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// `network-acl NAME default`: the VPC's default NACL, which subnets without an explicit association use.
    /// Without one the VPC's default NACL is implied and allows everything both ways.
    public var isDefault: Bool = false
    public var associations: [String]
    public var inbound: [NetworkACLRule]
    public var outbound: [NetworkACLRule]
    public var location: SourceLocation
    /// Where the block's closing `}` was written (`.unknown` when not parsed from text).
    public var closeLocation: SourceLocation = .unknown
    public init(name: String, id: String? = nil, associations: [String] = [], inbound: [NetworkACLRule] = [],
                outbound: [NetworkACLRule] = [], isDefault: Bool = false, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.isDefault = isDefault
        self.associations = associations
        self.inbound = inbound
        self.outbound = outbound
        self.location = location
    }
}

/// One numbered NACL rule.
public struct NetworkACLRule: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case allow, deny }
    public var number: Int
    public var action: Action
    public var ipProtocol: IPProtocol
    /// nil: all ports (or all ICMP types).
    public var ports: PortRange?
    /// The source (inbound) or destination (outbound) block.
    public var cidr: IPPrefix
    public var location: SourceLocation
    public init(number: Int, action: Action, ipProtocol: IPProtocol, ports: PortRange? = nil, cidr: IPPrefix,
                location: SourceLocation = .unknown) {
        self.number = number
        self.action = action
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.cidr = cidr
        self.location = location
    }
}

/// An EC2 instance with one or more network interfaces; the first is the primary.
public struct Instance: Hashable, Sendable {
    public var name: String
    public var id: String?
    public var interfaces: [NetworkInterface]
    /// AWS tags (`tag KEY=VALUE`, imported from `Tags`), in written order; keys unique.
    public var tags: [ResourceTag] = []
    public var location: SourceLocation
    public init(name: String, id: String? = nil, interfaces: [NetworkInterface], location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.interfaces = interfaces
        self.location = location
    }
}

/// One AWS tag: a key and its value (AWS: key 1-128 characters, value 0-256).
public struct ResourceTag: Hashable, Sendable {
    public var key: String
    public var value: String
    /// Where the `tag` was written (ignored by equality, as every location).
    public var location: SourceLocation
    public init(key: String, value: String, location: SourceLocation = .unknown) {
        self.key = key
        self.value = value
        self.location = location
    }
}

extension Array where Element == ResourceTag {
    /// The value of tag `key`, nil when the resource has no such tag.
    public func value(of key: String) -> String? { first { $0.key == key }?.value }
}

/// An elastic network interface.
public struct NetworkInterface: Hashable, Sendable {
    /// Public IPv4 association of an interface.
    public enum PublicIP: Hashable, Sendable {
        /// `public-ip none`: no public address even in a map-public-ip subnet.
        case none
        /// A public address whose value is unknown (map-public-ip without a written address).
        case unknown
        case address(IPv4Address)
    }
    public var name: String
    public var id: String?
    public var subnet: String
    public var privateIP: IPv4Address
    /// Further private IPv4 addresses on the interface.
    public var secondaryIPs: [IPv4Address] = []
    /// nil: the subnet decides (map-public-ip gives `.unknown`, otherwise none).
    public var publicIP: PublicIP?
    public var ipv6Addresses: [IPv6Address] = []
    /// Security groups by name; empty: the VPC's default group.
    public var securityGroups: [String]
    public var sourceDestCheck: Bool
    public var location: SourceLocation
    public init(name: String = "eth0", id: String? = nil, subnet: String, privateIP: IPv4Address,
                secondaryIPs: [IPv4Address] = [], publicIP: PublicIP? = nil, ipv6Addresses: [IPv6Address] = [],
                securityGroups: [String] = [], sourceDestCheck: Bool = true, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.subnet = subnet
        self.privateIP = privateIP
        self.secondaryIPs = secondaryIPs
        self.publicIP = publicIP
        self.ipv6Addresses = ipv6Addresses
        self.securityGroups = securityGroups
        self.sourceDestCheck = sourceDestCheck
        self.location = location
    }
}
