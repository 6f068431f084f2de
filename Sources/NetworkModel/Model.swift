import IPAddressing

// The topology model: plain values that mirror the `.vpc` language (see Docs/DSL.md).
//
// References between resources are by name (names are unique across a topology); validation checks that each
// resolves to the right kind in the right VPC, and `TopologyResolver` (Resolved/) turns them into typed ids
// once, for every layer above. Every resource may carry its AWS id (`id …`), which importers keep so that
// answers name real resources.

/// Where a resource was written. Equality and hashing ignore the position, so that two models compare by
/// content: `parse(print(model)) == model` holds although lines move.
///
/// Stored as three 32-bit integers, the file as an index into the file table of the topology the location
/// belongs to (``Topology/files``, a ``SourceFileTable``): every resource and compiled rule carries a location,
/// and a `String` field made each copy of such a record retain and release the file name (and each location
/// 32 bytes instead of 12). A location therefore has no file name of its own: renderers ask the table
/// (``SourceFileTable/name(of:)``, ``SourceFileTable/place(of:)``). File index 0 is "no file" (``unknown``).
/// Imported resources are located in the JSON they came from (the describe-* or Terraform file, the line and
/// column of the object's first byte; ``SourceFileKind/json``); what a command-line option added, at line 0 of
/// a name that is the option (``SourceFileKind/option``).
public struct SourceLocation: Hashable, Sendable {
    /// The file's index in its topology's ``SourceFileTable`` (0: no file).
    public let fileIndex: UInt32
    @usableFromInline var storedLine: Int32
    @usableFromInline var storedColumn: Int32

    /// 1-based line (0: unknown).
    @inlinable public var line: Int {
        get { Int(storedLine) }
        set { storedLine = Int32(clamping: newValue) }
    }
    /// 1-based column in characters (0: unknown).
    @inlinable public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = Int32(clamping: newValue) }
    }
    /// A location in the file at `fileIndex` of a ``SourceFileTable`` (the parser adds its file once, see
    /// ``SourceFileTable/index(of:)``).
    @inlinable public init(fileIndex: UInt32, line: Int, column: Int) {
        self.fileIndex = fileIndex
        storedLine = Int32(clamping: line)
        storedColumn = Int32(clamping: column)
    }
    /// No file, line or column.
    public static let unknown = SourceLocation(fileIndex: 0, line: 0, column: 0)
    @inlinable public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool { true }
    @inlinable public func hash(into hasher: inout Hasher) {}
}

extension DefaultStringInterpolation {
    /// A location has no file name of its own: print it with ``SourceFileTable/place(of:)`` (or
    /// ``SourceFileTable/name(of:)``) of its topology's table. (Without this, `"\(location)"` would compile and
    /// print the struct's fields; if the warning is ignored, the place prints without its file.)
    @available(*, deprecated, message: "print a location through its topology's file table: files.place(of:)")
    public mutating func appendInterpolation(_ location: SourceLocation) {
        appendLiteral(SourceFileTable().place(of: location))
    }
    @available(*, deprecated, message: "print a location through its topology's file table: files.place(of:)")
    public mutating func appendInterpolation(_ location: SourceLocation?) {
        appendLiteral(location.map { SourceFileTable().place(of: $0) } ?? "nil")
    }
}

/// What a name in a ``SourceFileTable`` is, and so what a location in it allows.
public enum SourceFileKind: UInt8, Hashable, Sendable {
    /// Text of the `.vpc` language (or Markdown holding it): statements can be added at its lines.
    case language
    /// An imported JSON document (AWS describe-* output, a Terraform plan or state): a place to point at, never
    /// one to put a statement of the language (the imported topology is changed in AWS, in Terraform, or in the
    /// `.vpc` text `vpckit import` prints).
    case json
    /// A command-line option (`--onprem 10.0.10.0/24@vpn-1`): locations in it are at line 0 (no line).
    case option
}

/// The names of the source files a topology's ``SourceLocation``s refer to, by index; index 0 is the empty
/// name (no file). A value that travels with its ``Topology`` (and so with the resolved and compiled
/// topologies built from it): there is no process-wide registry, so topologies parsed at the same time on
/// different threads each keep their own names.
///
/// Equality and hashing ignore the table, as they ignore locations: two topologies compare by content.
public struct SourceFileTable: Hashable, Sendable {
    /// The names, by index (`names[0]` is `""`).
    public private(set) var names: [String] = [""]
    /// What each name is, by index (``SourceFileKind``; the empty name's is `.language`).
    public private(set) var kinds: [SourceFileKind] = [.language]

    /// A table holding only the empty name.
    public init() {}

    /// The index of `name`, added to the table as a file of `kind` if new (the empty name is index 0; a name
    /// already in the table keeps the kind it was added with).
    ///
    /// - Complexity: O(number of files): a topology has a handful (an import, one per describe-* file).
    public mutating func index(of name: String, kind: SourceFileKind = .language) -> UInt32 {
        if let i = names.firstIndex(of: name) { return UInt32(i) }
        names.append(name)
        kinds.append(kind)
        return UInt32(names.count - 1)
    }

    /// A location in file `name` (added to the table as a file of `kind` if new).
    public mutating func location(file name: String, line: Int, column: Int, kind: SourceFileKind = .language) -> SourceLocation {
        SourceLocation(fileIndex: index(of: name, kind: kind), line: line, column: column)
    }

    /// What the file of `location` is (`.language` for a location without a file or not in this table).
    public func kind(of location: SourceLocation) -> SourceFileKind {
        Int(location.fileIndex) < kinds.count ? kinds[Int(location.fileIndex)] : .language
    }

    /// The file name of `location` as written (empty when it has none or its index is not in this table).
    public func name(of location: SourceLocation) -> String {
        Int(location.fileIndex) < names.count ? names[Int(location.fileIndex)] : ""
    }

    /// `file:line:column` for `location` (what diagnostics and reports print).
    public func place(of location: SourceLocation) -> String {
        "\(name(of: location)):\(location.line):\(location.column)"
    }

    public static func == (lhs: SourceFileTable, rhs: SourceFileTable) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

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

/// A VPC peering connection between two VPCs.
public struct Peering: Hashable, Sendable {
    public var name: String
    public var id: String?
    public var requester: String
    public var accepter: String
    public var location: SourceLocation
    public init(name: String, id: String? = nil, requester: String, accepter: String, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.requester = requester
        self.accepter = accepter
        self.location = location
    }
}

/// A transit gateway with its VPC attachments and route tables.
public struct TransitGateway: Hashable, Sendable {
    public var name: String
    public var id: String?
    public var region: String?
    public var account: String?
    public var attachments: [TGWAttachment]
    public var routeTables: [TGWRouteTable]
    /// Security-group referencing across the TGW (AWS default: off).
    public var securityGroupReferencing: Bool
    public var location: SourceLocation
    public init(name: String, id: String? = nil, region: String? = nil, account: String? = nil,
                attachments: [TGWAttachment] = [], routeTables: [TGWRouteTable] = [],
                securityGroupReferencing: Bool = false, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.region = region
        self.account = account
        self.attachments = attachments
        self.routeTables = routeTables
        self.securityGroupReferencing = securityGroupReferencing
        self.location = location
    }
}

/// A transit gateway attachment: to a VPC (one subnet per enabled AZ), a VPN connection, a Direct Connect
/// gateway, or a peering with another transit gateway.
public struct TGWAttachment: Hashable, Sendable {
    /// What the attachment connects the transit gateway to.
    public enum Kind: Hashable, Sendable {
        /// A VPC attachment: ``TGWAttachment/vpc`` and ``TGWAttachment/subnets`` say where.
        case vpc
        /// `attachment NAME vpn CONNECTION`: a Site-to-Site VPN connection ending on this TGW.
        case vpn(connection: String)
        /// `attachment NAME dx-gateway DXGW`: a Direct Connect gateway associated with this TGW.
        case directConnectGateway(String)
        /// `attachment NAME peering TGW`: a peering with another transit gateway (by name); static routes only.
        case peering(transitGateway: String)
    }
    public var name: String
    public var id: String?
    /// `.vpc` unless the attachment is of another type (then ``vpc`` is empty and ``subnets`` has none).
    public var kind: Kind = .vpc
    public var vpc: String
    public var subnets: [String]
    /// Appliance mode: a flow hash pins both directions to one AZ.
    public var applianceMode: Bool
    public var location: SourceLocation
    public init(name: String, id: String? = nil, vpc: String, subnets: [String], applianceMode: Bool = false,
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.kind = .vpc
        self.vpc = vpc
        self.subnets = subnets
        self.applianceMode = applianceMode
        self.location = location
    }
    /// An attachment of a kind other than `.vpc` (VPN, Direct Connect gateway, peering).
    public init(name: String, id: String? = nil, kind: Kind, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.kind = kind
        self.vpc = ""
        self.subnets = []
        self.applianceMode = false
        self.location = location
    }
}

/// A transit gateway route table.
public struct TGWRouteTable: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// Attachments whose arriving packets use this table (an attachment has at most one).
    public var associations: [String]
    /// Attachments whose VPC blocks propagate into this table.
    public var propagations: [String]
    public var routes: [TGWRoute]
    public var location: SourceLocation
    /// Where the block's closing `}` was written (`.unknown` when not parsed from text).
    public var closeLocation: SourceLocation = .unknown
    public init(name: String, id: String? = nil, associations: [String] = [], propagations: [String] = [],
                routes: [TGWRoute] = [], location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.associations = associations
        self.propagations = propagations
        self.routes = routes
        self.location = location
    }
}

/// A static transit gateway route.
public struct TGWRoute: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case attachment(String)
        case blackhole
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

/// One end of a reachability question.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// An instance, `instance.interface`, or a subnet (its first usable address) — resolved by name.
    case named(String)
    case address(IPAddress)
    /// A public address outside every VPC; nil: the set of every such address (`internet`).
    case internet(IPAddress?)
    /// The public addresses of a block outside every VPC (`internet:198.51.100.0/24`).
    case internetBlock(IPPrefix)
    /// `onprem:NAME` (the network's first prefix's first usable address) or `onprem:NAME:10.10.0.5`: a declared
    /// on-premises network.
    case onPremises(String, IPAddress?)
    /// `EDGE:ADDRESS` (`vpn-0abc…:192.168.1.10`): an address on premises reached over the edge named or with
    /// AWS id EDGE (a VPN connection, VIF, VGW or Direct Connect gateway). A bare edge name or id is `.named`.
    case overEdge(String, IPAddress)
    public var description: String {
        switch self {
        case .named(let n): n
        case .address(let a): a.description
        case .internet(nil): "internet"
        case .internet(let a?): "internet:\(a)"
        case .internetBlock(let p): "internet:\(p)"
        case .onPremises(let n, nil): "onprem:\(n)"
        case .onPremises(let n, let a?): "onprem:\(n):\(a)"
        case .overEdge(let e, let a): "\(e):\(a)"
        }
    }
    /// True for `internet`, `internet:IP` and `internet:CIDR`.
    public var isInternet: Bool {
        switch self {
        case .internet, .internetBlock: true
        case .named, .address, .onPremises, .overEdge: false
        }
    }
}

/// The traffic a query or assertion is about: a protocol and, for TCP/UDP, a destination port.
public struct TrafficSpec: Hashable, Sendable, CustomStringConvertible {
    public var ipProtocol: IPProtocol
    /// The destination port (TCP/UDP) or ICMP type; nil: any.
    public var port: UInt16?
    public init(ipProtocol: IPProtocol, port: UInt16? = nil) {
        self.ipProtocol = ipProtocol
        self.port = port
    }
    /// `tcp/443`, `icmp`, `proto 47`.
    public var description: String {
        if let port { return "\(ipProtocol)/\(port)" }
        return ipProtocol.description
    }
}

/// The client source ports a TCP/UDP query or assertion is about: an OS's ephemeral range or written ports.
/// Without one, queries use 1024-65535 (``PortRange/ephemeral``).
public enum ClientPorts: Hashable, Sendable, CustomStringConvertible {
    /// Linux's default ephemeral range, 32768-60999 (`net.ipv4.ip_local_port_range`).
    case linux
    /// Windows' default dynamic range, 49152-65535.
    case windows
    /// Written ports `LO-HI` (or one port `P`).
    case ports(PortRange)

    /// The ports.
    public var range: PortRange {
        switch self {
        case .linux: PortRange(32768, 60999)
        case .windows: PortRange(49152, 65535)
        case .ports(let r): r
        }
    }

    /// Parses `linux`, `windows`, `LO-HI` or `P` (0 ≤ LO ≤ HI ≤ 65535); nil for anything else.
    public init?(parsing written: some StringProtocol) {
        let text = Substring(written)
        switch text {
        case "linux": self = .linux; return
        case "windows": self = .windows; return
        default: break
        }
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        func port(_ s: Substring) -> UInt16? {
            guard !s.isEmpty, s.count <= 5, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return UInt16(s)
        }
        guard let lo = port(parts[0]) else { return nil }
        let hi: UInt16
        if parts.count == 2 {
            guard let h = port(parts[1]), h >= lo else { return nil }
            hi = h
        } else {
            hi = lo
        }
        self = .ports(PortRange(lo, hi))
    }

    /// `linux`, `windows`, `32768-60999`, `40000`.
    public var description: String {
        switch self {
        case .linux: "linux"
        case .windows: "windows"
        case .ports(let r): r.description
        }
    }
}

/// `assert reach|noreach FROM -> TO PROTO/PORT [client-ports linux|windows|LO-HI]`.
public struct Assertion: Hashable, Sendable {
    /// `reach` (true): holds when every client port works. `noreach` (false): holds when none does.
    public var expectReachable: Bool
    public var source: Endpoint
    public var destination: Endpoint
    public var traffic: TrafficSpec
    /// The client ports the assertion is about (TCP/UDP only); nil: 1024-65535.
    public var clientPorts: ClientPorts?
    public var location: SourceLocation
    public init(expectReachable: Bool, source: Endpoint, destination: Endpoint, traffic: TrafficSpec,
                clientPorts: ClientPorts? = nil, location: SourceLocation = .unknown) {
        self.expectReachable = expectReachable
        self.source = source
        self.destination = destination
        self.traffic = traffic
        self.clientPorts = clientPorts
        self.location = location
    }
}
