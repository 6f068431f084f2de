import IPAddressing

// The model's transit: VPC peering and transit gateways with their attachments, route tables and routes.

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
