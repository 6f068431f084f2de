/// The kind of component a ``ComponentID`` names: a caseless enum per kind, so that ids of two kinds are
/// different types (a `SubnetID` cannot be passed where a `VPCID` is expected).
public protocol ComponentIDKind: Sendable {
    /// `vpc`, `subnet`, … (for ``ComponentID/description``).
    static var kindName: String { get }
}

/// A component of a ``ResolvedTopology`` by its dense index in the resolved array of its kind
/// (``ResolvedTopology/vpcs``, ``ResolvedTopology/subnets``, …). Four bytes, `Hashable`, `Sendable`.
@frozen public struct ComponentID<Kind: ComponentIDKind>: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The index in the resolved array of the kind.
    public let index: Int32
    @inlinable public init(_ index: Int32) { self.index = index }
    @inlinable public init(_ index: Int) { self.index = Int32(truncatingIfNeeded: index) }
    /// The index as an `Int` (for subscripting).
    @inlinable public var position: Int { Int(index) }
    @inlinable public static func < (a: ComponentID, b: ComponentID) -> Bool { a.index < b.index }
    /// `subnet#3`.
    public var description: String { "\(Kind.kindName)#\(index)" }
}

/// Component kinds (phantom types of ``ComponentID``).
public enum ComponentKinds {
    public enum VPC: ComponentIDKind { public static var kindName: String { "vpc" } }
    public enum Subnet: ComponentIDKind { public static var kindName: String { "subnet" } }
    public enum Instance: ComponentIDKind { public static var kindName: String { "instance" } }
    public enum NetworkInterface: ComponentIDKind { public static var kindName: String { "interface" } }
    public enum NATGateway: ComponentIDKind { public static var kindName: String { "nat-gateway" } }
    public enum InternetGateway: ComponentIDKind { public static var kindName: String { "internet-gateway" } }
    public enum EgressOnlyGateway: ComponentIDKind { public static var kindName: String { "egress-only-gateway" } }
    public enum RouteTable: ComponentIDKind { public static var kindName: String { "route-table" } }
    public enum SecurityGroup: ComponentIDKind { public static var kindName: String { "security-group" } }
    public enum NetworkACL: ComponentIDKind { public static var kindName: String { "network-acl" } }
    public enum Peering: ComponentIDKind { public static var kindName: String { "peering" } }
    public enum TransitGateway: ComponentIDKind { public static var kindName: String { "transit-gateway" } }
    public enum TGWAttachment: ComponentIDKind { public static var kindName: String { "attachment" } }
    public enum TGWRouteTable: ComponentIDKind { public static var kindName: String { "tgw-route-table" } }
    public enum PrefixList: ComponentIDKind { public static var kindName: String { "prefix-list" } }
}

public typealias VPCID = ComponentID<ComponentKinds.VPC>
public typealias SubnetID = ComponentID<ComponentKinds.Subnet>
public typealias InstanceID = ComponentID<ComponentKinds.Instance>
/// An instance's network interface (the model's ``NetworkInterface``). Not Reachability's `InterfaceID`, which
/// numbers the data plane's interfaces (instance, NAT gateway and TGW attachment ENIs).
public typealias NetworkInterfaceID = ComponentID<ComponentKinds.NetworkInterface>
public typealias NATGatewayID = ComponentID<ComponentKinds.NATGateway>
/// An internet gateway; its index is its VPC's (a VPC has at most one).
public typealias InternetGatewayID = ComponentID<ComponentKinds.InternetGateway>
/// An egress-only internet gateway; its index is its VPC's (a VPC has at most one).
public typealias EgressOnlyGatewayID = ComponentID<ComponentKinds.EgressOnlyGateway>
public typealias RouteTableID = ComponentID<ComponentKinds.RouteTable>
public typealias SecurityGroupID = ComponentID<ComponentKinds.SecurityGroup>
public typealias NetworkACLID = ComponentID<ComponentKinds.NetworkACL>
public typealias PeeringID = ComponentID<ComponentKinds.Peering>
public typealias TransitGatewayID = ComponentID<ComponentKinds.TransitGateway>
public typealias TGWAttachmentID = ComponentID<ComponentKinds.TGWAttachment>
public typealias TGWRouteTableID = ComponentID<ComponentKinds.TGWRouteTable>
public typealias PrefixListID = ComponentID<ComponentKinds.PrefixList>
