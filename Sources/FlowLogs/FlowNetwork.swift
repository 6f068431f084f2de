// The small interface between the replay loop and a network model. The replay owns time, connection
// tracking and NAT port mappings; the model owns routing, NACLs, security groups and where packets go.
import Reachability

/// An elastic network interface that gets flow log records, with the metadata records print.
public struct FlowInterface: Sendable, Equatable {
    /// `eni-…`
    public var interfaceID: String
    public var accountID: String
    public var vpcID: String
    public var subnetID: String
    /// nil for requester-managed interfaces (NAT gateway, TGW): printed `-`.
    public var instanceID: String?
    public var region: String?
    public var azID: String?
    /// The primary private IPv4 address (srcaddr/dstaddr of the interface side, per AWS).
    public var primaryAddress: FlowAddress
    /// The public IPv4 address (public IP or EIP), if known: packets from the internet to the private address
    /// in a capture were addressed to this one on the internet side of the IGW.
    public var publicAddress: FlowAddress?
    /// True for a NAT gateway's interface (traffic-path codes of an instance do not apply).
    public var isNATGateway: Bool
    /// For a transit gateway attachment's ENI: the transit gateway (an index the network defines; the replay
    /// only compares them), else -1. A packet crossing between two such ENIs of one transit gateway is what
    /// transit gateway flow logs record (``ReplayOptions/transitGatewayRecords``).
    public var transitGateway: Int32

    public init(interfaceID: String, accountID: String, vpcID: String, subnetID: String, instanceID: String?,
                region: String?, azID: String?, primaryAddress: FlowAddress, publicAddress: FlowAddress? = nil,
                isNATGateway: Bool = false, transitGateway: Int32 = -1) {
        self.transitGateway = transitGateway
        self.interfaceID = interfaceID
        self.accountID = accountID
        self.vpcID = vpcID
        self.subnetID = subnetID
        self.instanceID = instanceID
        self.region = region
        self.azID = azID
        self.primaryAddress = primaryAddress
        self.publicAddress = publicAddress
        self.isNATGateway = isNATGateway
    }
}

/// Where a packet enters the modelled network.
public enum FlowOrigin: Sendable, Equatable {
    /// Sent by this interface (index into ``FlowNetwork/interfaces``).
    case interface(Int32)
    /// Arrives from the internet (through an internet gateway).
    case internet
    /// Arrives from on premises (an address some edge announces) over the VGW or transit gateway edge that
    /// leads to the destination.
    case onPremises
    /// A reply from the service behind a gateway endpoint (index into the resolved topology's VPC endpoints),
    /// entering the endpoint's VPC.
    case gatewayEndpointService(Int32)
    /// Sent on by a Network Load Balancer node (its interface) with the client's address preserved: the packet
    /// of a client's connection, from the node to a target.
    case loadBalancerNode(Int32)
    /// A target's reply on such a connection (`target`, `node`: interfaces): back to the node.
    case replyToLoadBalancerNode(target: Int32, node: Int32)
}

/// One way a preserving NLB node reaches a target (``FlowNetwork/preservedLegs(target:port:ipProtocol:)``): the node's
/// interface and address, and the listener port clients connect to.
public struct PreservedLeg: Sendable, Equatable {
    public var node: Int32
    public var nodeAddress: FlowAddress
    public var listenerPort: UInt16
    public init(node: Int32, nodeAddress: FlowAddress, listenerPort: UInt16) {
        self.node = node
        self.nodeAddress = nodeAddress
        self.listenerPort = listenerPort
    }
}

/// What one interface saw of a packet: one flow log record's worth of facts.
public struct InterfaceObservation: Sendable, Equatable {
    public var interface: Int32
    /// egress: the interface sent it; ingress: it arrived there.
    public var isEgress: Bool
    /// false: a security group or NACL at this interface (or its subnet) dropped it.
    public var accepted: Bool
    /// The packet's addresses and ports as they are at this interface (after any NAT before it).
    public var packetSource: FlowAddress
    public var packetDestination: FlowAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// AWS's traffic-path code for egress records (1 same VPC, 2 IGW/gateway endpoint, 3 VGW, 4 intra-region
    /// peering, 5 inter-region peering, 6 local gateway, 7/8 Nitro); 0 = `-`.
    public var trafficPath: UInt8
    /// The interface's primary private IPv4 address, when the network has it at hand (the replay looks it up
    /// otherwise).
    public var interfaceAddress: FlowAddress?
    public init(interface: Int32, isEgress: Bool, accepted: Bool, packetSource: FlowAddress,
                packetDestination: FlowAddress, sourcePort: UInt16, destinationPort: UInt16, trafficPath: UInt8 = 0,
                interfaceAddress: FlowAddress? = nil) {
        self.interfaceAddress = interfaceAddress
        self.interface = interface
        self.isEgress = isEgress
        self.accepted = accepted
        self.packetSource = packetSource
        self.packetDestination = packetDestination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.trafficPath = trafficPath
    }
}

/// How forwarding one packet ended.
public enum ForwardEnd: Sendable, Equatable {
    /// Delivered to an interface (or an address in a subnet).
    case delivered
    /// Left the modelled network to the internet (or another network outside the model).
    case exited
    /// Dropped (SG, NACL, no route, gateway rule); the observations say where if an interface saw it.
    case dropped
}

/// Receives what a packet meets on its way and answers a NAT gateway's questions: the replay owns NAT port
/// mappings (in its connection table), the model owns where packets go. Implement it as a struct.
public protocol FlowPathHandler {
    /// One interface saw the packet; called in path order.
    mutating func observe(_ observation: InterfaceObservation)
    /// NAT gateway interface `gateway` translates `original` (as it arrived at the gateway): the source port
    /// the gateway gives it.
    mutating func natSourcePort(gateway: Int32, original: DecodedPacket) -> UInt16
    /// A reply addressed to NAT gateway interface `gateway` (`reply` as it arrived): the client address and
    /// port it belongs to, or nil when the gateway has no mapping (a NAT gateway admits no inbound-initiated
    /// flows: the packet is dropped).
    mutating func natReverse(gateway: Int32, reply: DecodedPacket) -> (address: FlowAddress, port: UInt16)?
    /// The packet was dropped, and the model knows where and why (by index: resolved to text only when a record
    /// is written). Called at most once per forward, after the observations. Default: ignored.
    mutating func dropped(at site: DropSite)
}

extension FlowPathHandler {
    public mutating func dropped(at site: DropSite) {}
}

/// A network model the replay pushes packets through.
///
/// Implementations must be deterministic: the replay caches a decision per connection, direction and
/// aggregation interval, so the same packet header, origin, `tracked` flag and NAT answers must give the same
/// answer.
public protocol FlowNetwork {
    /// Every interface that can appear in records (instance, NAT gateway and TGW attachment ENIs);
    /// observations refer to them by index.
    var interfaces: [FlowInterface] { get }
    /// The interface holding `address` as a private (primary or secondary) or IPv6 address, or nil.
    func interface(holding address: FlowAddress) -> Int32?
    /// True for addresses the flow log service never logs traffic to or from (the Amazon DNS resolver of a
    /// VPC, instance metadata, time sync).
    func isNeverLogged(_ address: FlowAddress) -> Bool
    /// Forwards `packet` from `origin`, through any NAT gateways on its way, to its end; reports what each
    /// interface saw to `handler`, in path order. `tracked`: the packet belongs to a connection the security
    /// groups already admitted (skip SG checks; NACLs still apply). A packet from the internet is addressed as
    /// on the internet (to a public IP or Elastic IP). No allocation.
    func forward<Handler: FlowPathHandler>(_ packet: DecodedPacket, from origin: FlowOrigin, tracked: Bool,
                                           handler: inout Handler) -> ForwardEnd
    /// False when every source no interface holds is on the internet (the replay then skips
    /// ``externalOrigin(source:receiver:isReply:)``). Default: false.
    var hasExternalOrigins: Bool { get }
    /// Where a packet from `source`, which no interface holds, enters the network: ``FlowOrigin/onPremises``,
    /// ``FlowOrigin/gatewayEndpointService(_:)`` (only for a reply, `isReply`) or ``FlowOrigin/internet``.
    /// `receiver`: the interface the packet is addressed to (for a reply through a NAT gateway, the gateway's),
    /// if any. Default: the internet.
    func externalOrigin(source: FlowAddress, receiver: Int32?, isReply: Bool) -> FlowOrigin
    /// True when some Network Load Balancer target keeps its clients' addresses (the replay then asks
    /// ``preservedLegs(target:port:ipProtocol:)`` once per new connection). Default: false.
    var hasPreservingLoadBalancers: Bool { get }
    /// The NLB nodes that send connections to `target`:`port` (IP protocol `ipProtocol`) with the client's address
    /// preserved, each with the listener port that forwards there. Default: none.
    func preservedLegs(target: FlowAddress, port: UInt16, ipProtocol: UInt8) -> [PreservedLeg]
}

extension FlowNetwork {
    public var hasExternalOrigins: Bool { false }
    public func externalOrigin(source: FlowAddress, receiver: Int32?, isReply: Bool) -> FlowOrigin { .internet }
    public var hasPreservingLoadBalancers: Bool { false }
    public func preservedLegs(target: FlowAddress, port: UInt16, ipProtocol: UInt8) -> [PreservedLeg] { [] }
}
