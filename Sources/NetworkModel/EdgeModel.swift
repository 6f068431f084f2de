import IPAddressing

// The model's edges (Docs/DSL.md "Edges"; AWS-BEHAVIOUR.md §10): virtual private gateways, VPC endpoints,
// customer gateways, Site-to-Site VPN connections, Direct Connect gateways and virtual interfaces, and
// on-premises networks. Plain values like the rest of the model (Model.swift); they hang off ``Topology`` and
// ``VPC``.

/// A virtual private gateway attached to a VPC (`vpn-gateway NAME [asn N]`): the AWS end of Site-to-Site VPN
/// connections and private Direct Connect virtual interfaces. Route tables reach it by `-> NAME` routes or by
/// `propagate NAME`; it forwards only to prefixes on-premises announced to it (VPN static routes, BGP).
public struct VPNGateway: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// The Amazon-side BGP ASN (`AmazonSideAsn`); nil: unknown (AWS's default 64512).
    public var asn: UInt32?
    public var location: SourceLocation
    public init(name: String, id: String? = nil, asn: UInt32? = nil, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.asn = asn
        self.location = location
    }
}

/// A VPC endpoint: a gateway endpoint (S3, DynamoDB), whose service prefix list the chosen route tables route to
/// it, or an interface endpoint (PrivateLink), one requester-managed ENI per chosen subnet.
public struct VPCEndpoint: Hashable, Sendable {
    /// `gatewayLoadBalancer` (`gateway-load-balancer`, a "gwlbe"): one ENI in one subnet, a route target that
    /// hands packets to a Gateway Load Balancer (``service`` names it) and takes them back.
    public enum Kind: String, Hashable, Sendable { case gateway, interface, gatewayLoadBalancer = "gateway-load-balancer" }
    public var name: String
    public var id: String?
    public var kind: Kind
    /// The service as written: a short name (`s3`, `dynamodb`, `ssm`) or AWS's full name
    /// (`com.amazonaws.us-east-1.s3`). Gateway Load Balancer endpoints: the `gateway` load balancer's name (in any
    /// VPC of the topology), or an endpoint service name the model does not hold (`com.amazonaws.vpce.…`).
    public var service: String
    /// Gateway endpoints: the route tables (by name, in the endpoint's VPC) that get the `pl:… -> endpoint`
    /// route.
    public var routeTables: [String] = []
    /// Gateway endpoints: the prefix list holding the service's CIDRs (by name, without `pl:`); nil: the list
    /// named like the service's short name (`s3` → `pl:s3`).
    public var prefixList: String?
    /// Interface endpoints: the subnets holding its ENIs (at most one per AZ).
    public var subnets: [String] = []
    /// Interface endpoints: the security groups on every ENI; empty: the VPC's default group.
    public var securityGroups: [String] = []
    /// Interface endpoints: each ENI's private address, in the order of ``subnets``; missing ones: the model
    /// picks one in the subnet.
    public var addresses: [IPv4Address] = []
    /// Interface endpoints: the ENIs' AWS ids (`eni-…`), in the order of ``subnets``, when imported.
    public var interfaceIDs: [String] = []
    /// Interface endpoints: private DNS (the service's name resolves to the endpoint's ENIs). AWS default: on.
    public var privateDNS: Bool = true
    /// The endpoint policy as written (recorded, not evaluated).
    public var policy: String?
    public var location: SourceLocation
    public init(name: String, id: String? = nil, kind: Kind, service: String, routeTables: [String] = [],
                prefixList: String? = nil, subnets: [String] = [], securityGroups: [String] = [],
                addresses: [IPv4Address] = [], interfaceIDs: [String] = [], privateDNS: Bool = true,
                policy: String? = nil, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.kind = kind
        self.service = service
        self.routeTables = routeTables
        self.prefixList = prefixList
        self.subnets = subnets
        self.securityGroups = securityGroups
        self.addresses = addresses
        self.interfaceIDs = interfaceIDs
        self.privateDNS = privateDNS
        self.policy = policy
        self.location = location
    }
}

/// A customer gateway: the on-premises end of Site-to-Site VPN connections.
public struct CustomerGateway: Hashable, Sendable {
    public var name: String
    public var id: String?
    /// Its public (outside) address.
    public var address: IPv4Address
    /// Its BGP ASN.
    public var asn: UInt32
    public var location: SourceLocation
    public init(name: String, id: String? = nil, address: IPv4Address, asn: UInt32, location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.address = address
        self.asn = asn
        self.location = location
    }
}

/// A Site-to-Site VPN connection between a customer gateway and a VGW or a TGW.
public struct VPNConnection: Hashable, Sendable {
    /// The AWS end.
    public enum AWSSide: Hashable, Sendable {
        /// `vgw NAME`: a VPC's virtual private gateway.
        case vpnGateway(String)
        /// `tgw NAME`: a transit gateway (which then has an attachment of kind `.vpn` naming this connection).
        case transitGateway(String)
    }
    /// A tunnel's telemetry status (`VgwTelemetry[].Status`).
    public enum TunnelState: String, Hashable, Sendable { case up, down }
    public var name: String
    public var id: String?
    public var awsSide: AWSSide
    /// The customer gateway, by name.
    public var customerGateway: String
    /// `static …` (`Options.StaticRoutesOnly`): the prefixes routed to on-premises; BGP when false.
    public var staticRoutesOnly: Bool
    /// The static routes (`Routes[]` in state `available`): prefixes on-premises that this connection carries.
    public var staticRoutes: [IPv4Prefix]
    /// Tunnel states as last reported; empty: no telemetry (treated as up). Both down: traffic is dropped
    /// (`BAD_STATE_VPN`, `TGW_BAD_STATE_VPN`).
    public var tunnels: [TunnelState]
    public var location: SourceLocation
    public init(name: String, id: String? = nil, awsSide: AWSSide, customerGateway: String,
                staticRoutesOnly: Bool = false, staticRoutes: [IPv4Prefix] = [], tunnels: [TunnelState] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.awsSide = awsSide
        self.customerGateway = customerGateway
        self.staticRoutesOnly = staticRoutesOnly
        self.staticRoutes = staticRoutes
        self.tunnels = tunnels
        self.location = location
    }
}

/// A Direct Connect gateway: global; associated with VGWs or TGWs; never carries traffic between two of its
/// associations or between two of its virtual interfaces.
public struct DirectConnectGateway: Hashable, Sendable {
    /// An association with a VGW or TGW and the prefixes advertised to on-premises over it.
    public struct Association: Hashable, Sendable {
        /// The VGW or TGW, by name.
        public var gateway: String
        /// `AllowedPrefixesToDirectConnectGateway`; empty: for a VGW, its VPC's CIDRs (AWS's default).
        public var allowedPrefixes: [IPv4Prefix]
        public var location: SourceLocation
        public init(gateway: String, allowedPrefixes: [IPv4Prefix] = [], location: SourceLocation = .unknown) {
            self.gateway = gateway
            self.allowedPrefixes = allowedPrefixes
            self.location = location
        }
    }
    public var name: String
    /// The Direct Connect gateway id (a UUID).
    public var id: String?
    /// Its Amazon-side ASN.
    public var asn: UInt32?
    public var associations: [Association]
    public var location: SourceLocation
    public init(name: String, id: String? = nil, asn: UInt32? = nil, associations: [Association] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.asn = asn
        self.associations = associations
        self.location = location
    }
}

/// A Direct Connect virtual interface.
public struct VirtualInterface: Hashable, Sendable {
    /// `private` (ends on a VGW or a DX gateway) or `transit` (ends on a DX gateway associated with TGWs).
    /// Public VIFs are out of scope.
    public enum Kind: String, Hashable, Sendable { case `private`, transit }
    /// Where the VIF ends on the AWS side.
    public enum AWSSide: Hashable, Sendable {
        case vpnGateway(String)
        case directConnectGateway(String)
    }
    public var name: String
    /// `dxvif-…`.
    public var id: String?
    public var kind: Kind
    public var awsSide: AWSSide
    /// The state (`VirtualInterfaceState`): anything but `available` carries nothing. True: available.
    public var isAvailable: Bool = true
    public var location: SourceLocation
    public init(name: String, id: String? = nil, kind: Kind, awsSide: AWSSide, isAvailable: Bool = true,
                location: SourceLocation = .unknown) {
        self.name = name
        self.id = id
        self.kind = kind
        self.awsSide = awsSide
        self.isAvailable = isAvailable
        self.location = location
    }
}

/// An on-premises network: prefixes announced to AWS over one or more edges.
public struct OnPremisesNetwork: Hashable, Sendable {
    /// BGP local preference set by Direct Connect communities (`7224:7300` high, `7224:7200` medium,
    /// `7224:7100` low).
    public enum LocalPreference: String, Hashable, Sendable { case high, medium, low }
    /// One edge announcing the network (`via EDGE [local-preference high|medium|low] [as-path N]`).
    public struct Announcement: Hashable, Sendable {
        /// A VPN connection, virtual interface, VGW or Direct Connect gateway: by name or AWS id.
        public var edge: String
        public var localPreference: LocalPreference?
        /// The AS_PATH length announced (shorter wins among equals); nil: 1.
        public var asPathLength: Int?
        public var location: SourceLocation
        public init(edge: String, localPreference: LocalPreference? = nil, asPathLength: Int? = nil,
                    location: SourceLocation = .unknown) {
            self.edge = edge
            self.localPreference = localPreference
            self.asPathLength = asPathLength
            self.location = location
        }
    }
    public var name: String
    public var prefixes: [IPv4Prefix]
    public var announcements: [Announcement]
    public var location: SourceLocation
    public init(name: String, prefixes: [IPv4Prefix], announcements: [Announcement] = [],
                location: SourceLocation = .unknown) {
        self.name = name
        self.prefixes = prefixes
        self.announcements = announcements
        self.location = location
    }
}
