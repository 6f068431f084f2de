import IPAddressing
import NetworkModel

/// A packet (or, for connection queries, a set of packets differing only in ports) as it travels.
public struct Flow: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var ipProtocol: UInt8
    public var sourcePorts: PortSet
    public var destinationPorts: PortSet
    /// For ICMP/ICMPv6: the message's type and code as `type << 8 | code` (what ICMP rules match; ports are
    /// then 0). Ignored for other protocols.
    public var icmpTypeCode: UInt16
    public init(source: IPAddress, destination: IPAddress, ipProtocol: UInt8, sourcePorts: PortSet, destinationPorts: PortSet,
                icmpTypeCode: UInt16 = 0) {
        self.source = source
        self.destination = destination
        self.ipProtocol = ipProtocol
        self.sourcePorts = sourcePorts
        self.destinationPorts = destinationPorts
        self.icmpTypeCode = icmpTypeCode
    }
    /// The values SG and NACL rules match: the destination ports, or for ICMP/ICMPv6 the type/code key.
    @inline(__always) var ruleKeys: PortSet {
        IPProtocol.isICMP(ipProtocol) ? PortSet(port: icmpTypeCode) : destinationPorts
    }
    /// Keeps the keys that passed a filter: narrows the destination ports (ICMP's single key stays as it is).
    @inline(__always) mutating func narrow(to passed: PortSet) {
        if !IPProtocol.isICMP(ipProtocol) { destinationPorts = passed }
    }
    var header: HeaderView {
        self
    }
    /// True for TCP and UDP: the protocols whose packets carry ports (ICMP answers print none).
    public var hasPorts: Bool { IPProtocol.hasPorts(ipProtocol) }
}

/// Where a walk stands: an interface (or a plain address in a subnet, `eni == -1`) about to send, or the internet.
enum Position: Sendable {
    case send(eni: Int32, subnet: Int32)
    case internet
    /// A gateway endpoint's service answering into the endpoint's VPC (a reply; index into
    /// ``ResolvedTopology/vpcEndpoints``).
    case fromGatewayEndpoint(Int32)
    /// On premises, about to enter AWS over an edge (`edge` -1: any edge that leads to the destination).
    case onPremises(edge: Int32)
}

/// The component a block names, by index (turned into text only when a verdict is built).
enum BlockSite: Sendable {
    case interface(Int32)
    case securityGroups(interface: Int32, ingress: Bool)
    case networkACL(subnet: Int32, inbound: Bool, rule: Int32, denyRule: Int32)
    case routeTable(Int32, route: Int32)
    case internetGateway(vpc: Int32)
    case egressOnlyGateway(vpc: Int32)
    case natGateway(Int32)
    case peering(Int32)
    case tgwAttachment(Int32)
    case tgwRouteTable(Int32, route: Int32)
    /// A VPC endpoint (index into ``ResolvedTopology/vpcEndpoints``).
    case vpcEndpoint(Int32)
    case vpc(Int32)
    /// Delivered into a subnet toward an address no interface there holds (unused or reserved by AWS).
    case subnet(Int32)
    case internet
    /// An edge to on-premises: the VGW of VPC `vpc` (`edge` -1) or one of its edges (``CompiledEdges/edges``).
    case edge(vpc: Int32, edge: Int32, problem: ExplanationDetail.EdgeProblem)
    /// A Gateway Load Balancer endpoint (index into ``ResolvedTopology/vpcEndpoints``), its load balancer or its
    /// appliances; `bypassed`: a reply that did not pass it (`GWLB_FLOW_SYMMETRY_RESTRICTION`).
    case gatewayLoadBalancerEndpoint(Int32, bypassed: Bool)
}

/// Why a walk stopped. The packet as it was when blocked is the walk's `flow` (a walk stops right there).
struct Block: Error, Sendable {
    var code: ExplanationCode
    var site: BlockSite
}

/// How a walk ended. The packet as delivered (or blocked) is the walk's `flow`: outcomes carry no copy of it,
/// which keeps `Step` small.
enum WalkOutcome: Sendable {
    case deliveredToInterface(Int32)
    case deliveredToHost(subnet: Int32)
    case exitedToInternet
    /// Handed to a gateway endpoint's service (index into ``ResolvedTopology/vpcEndpoints``).
    case exitedToService(Int32)
    /// Left AWS toward on-premises over edge `edge` (``CompiledEdges/edges``).
    case exitedToOnPremises(edge: Int32)
    case blocked(Block)
}

enum Step {
    case next(Position)
    case done(WalkOutcome)
}

/// The route table's answer inside ``CompiledTopology/sendStep(eni:subnet:_:_:_:)``: the chosen route and its
/// target, or the walk's end (no route).
enum RouteChoice {
    case route(table: Int32, route: Int32, target: HotRouteTarget)
    case end(Step)
}

/// Receives what a walk sees. Connection queries record hops; packet replay records ENI observations and
/// owns NAT gateway port mappings.
protocol TraceSink {
    /// False when `observe` does nothing: the walk then skips the call (and the copy of the flow it takes).
    static var observesInterfaces: Bool { get }
    var recordsHops: Bool { get }
    mutating func hop(_ hop: Hop)
    mutating func observe(interface: Int32, egress: Bool, accept: Bool, flow: Flow)
    /// Sets the translated source ports after a NAT gateway rewrote the source address.
    mutating func natTranslate(nat: Int32, original: Flow, flow: inout Flow)
    /// Rewrites a reply addressed to the NAT gateway back to the original client; false: no mapping (drop).
    mutating func natReverse(nat: Int32, flow: inout Flow) -> Bool
    /// True only for the walk that explains a blocked answer (``CompiledTopology/blockers(from:to:traffic:sourcePort:sourcePorts:oneWay:internetBlock:)``):
    /// it passes each security group and NACL block as if it allowed, after ``noteBlock(_:_:direction:sender:)``.
    /// A static property, so every other walk's specialised code has no trace of it.
    static var explains: Bool { get }
    /// Notes a block the explaining walk passes as if it allowed.
    mutating func noteBlock(_ block: Block, _ flow: Flow, direction: PathDirection, sender: Int32)
    /// For an explaining walk's reply: the client ports a filter stopped when it passed `passed` of `flow`'s
    /// ports (nil: none, or not a reply to the client).
    func clientPortsRemoved(_ flow: Flow, passed: PortSet) -> PortSet?
}

extension TraceSink {
    static var explains: Bool { false }
    mutating func noteBlock(_ block: Block, _ flow: Flow, direction: PathDirection, sender: Int32) {}
    func clientPortsRemoved(_ flow: Flow, passed: PortSet) -> PortSet? { nil }
}

/// A short list of interface indices kept inline (no allocation up to eight entries).
struct SmallIDList: Sendable {
    var count = 0
    var inline: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0)
    var overflow: [Int32] = []

    @inline(__always) func contains(_ x: Int32) -> Bool {
        let n = Swift.min(count, 8)
        if n > 0 && inline.0 == x { return true }
        if n > 1 && inline.1 == x { return true }
        if n > 2 && inline.2 == x { return true }
        if n > 3 && inline.3 == x { return true }
        if n > 4 && inline.4 == x { return true }
        if n > 5 && inline.5 == x { return true }
        if n > 6 && inline.6 == x { return true }
        if n > 7 && inline.7 == x { return true }
        return count > 8 && overflow.contains(x)
    }
    /// The `k`th entry (`k < count`).
    subscript(k: Int) -> Int32 {
        switch k {
        case 0: inline.0
        case 1: inline.1
        case 2: inline.2
        case 3: inline.3
        case 4: inline.4
        case 5: inline.5
        case 6: inline.6
        case 7: inline.7
        default: overflow[k - 8]
        }
    }
    @inline(__always) mutating func append(_ x: Int32) {
        switch count {
        case 0: inline.0 = x
        case 1: inline.1 = x
        case 2: inline.2 = x
        case 3: inline.3 = x
        case 4: inline.4 = x
        case 5: inline.5 = x
        case 6: inline.6 = x
        case 7: inline.7 = x
        default: overflow.append(x)
        }
        count += 1
    }
}

/// Per-walk state.
struct WalkContext {
    var direction: PathDirection
    /// Every security group check is skipped (a tracked reply, packet replay).
    var trackedAll: Bool = false
    /// Interfaces whose security groups track this connection (the forward path's interfaces).
    var trackedSet = SmallIDList()
    var useTrackedSet: Bool = false
    /// Record visited interfaces (connection forward walks) for the reply's tracking.
    var recordVisited: Bool = false
    var visited = SmallIDList()
    /// The TGW attachment the packet last left the TGW through (-1: none since the last instance).
    var lastTGWAttachment: Int32 = -1
    /// The NAT gateway interface that translated just before this lookup (-1: none).
    var natSecondLookup: Int32 = -1
    /// An interface that sent and is not yet logged (flow-log egress record).
    var pendingEgress: Int32 = -1
    var steps: Int = 0
    /// A network load balancer node sends for the client (client-IP preservation): its source/destination
    /// check does not apply to the new connection's first packet.
    var sendsForClient: Bool = false
    /// The VPC whose egress-only gateway the request left through (-1: none); a reply may leave through an
    /// egress-only gateway only when the request came in through it (connection queries).
    var egressOnlyVPC: Int32 = -1
    var forwardEgressOnlyVPC: Int32 = -1
    /// The one address no interface holds that may still take delivery: a host the query placed in a subnet
    /// (a subnet-name endpoint, or the reply's way back to an address-only source). Any other packet toward an
    /// address no interface holds is dropped, as AWS drops it.
    var hostAddress: IPAddress? = nil
    /// The edge a query toward on-premises names (`EDGE:ADDR`, ``CompiledEdges/edges``); -1: any.
    var onPremisesEdge: Int32 = -1
    /// The instance interface whose security groups a group reference sees as the packet's sender: the last
    /// instance interface that sent it (an appliance that forwards replaces the original sender, AWS's
    /// `SG_REFERENCES_NOT_PRESERVED`); -1 once no group identity is left (a NAT gateway or the internet
    /// rewrote the packet, a transit gateway without security-group referencing carried it, or the sender has
    /// no interface).
    var senderIdentity: Int32 = -1
    /// The sender's egress rules admitted some keys only through references to groups of other VPCs
    /// (`egressLocalKeys` is what passes without them): such references hold only if the path carries group
    /// identity, so a transit gateway without security-group referencing narrows the packet to the local keys.
    var egressReferencePending: Bool = false
    var egressLocalKeys: PortSet = .empty
    var egressReferenceSender: Int32 = -1
    /// The Gateway Load Balancer endpoints this walk passed (``ResolvedTopology/vpcEndpoints`` indices), and for a
    /// connection's reply those its request passed: the reply must pass the same ones (stateful appliances).
    var gwlbEndpoints = SmallIDList()
    var forwardGWLBEndpoints = SmallIDList()
    /// The GWLB endpoint the packet just came out of (-1: none since), to spot a table that sends it straight back.
    var lastGWLBEndpoint: Int32 = -1

    init(direction: PathDirection) { self.direction = direction }

    @inline(__always) func isTracked(_ eni: Int32) -> Bool {
        trackedAll || (useTrackedSet && trackedSet.contains(eni))
    }
    @inline(__always) mutating func visit(_ eni: Int32) {
        if recordVisited && !visited.contains(eni) { visited.append(eni) }
    }
}

/// Shared (RFC 1918) and carrier-grade NAT (RFC 6598) space, which the IGW never routes.
@inline(__always) func isRFC1918(_ a: IPv4Address) -> Bool {
    a.bits & 0xFF00_0000 == 0x0A00_0000 || a.bits & 0xFFF0_0000 == 0xAC10_0000 || a.bits & 0xFFFF_0000 == 0xC0A8_0000
}
@inline(__always) func isRFC6598(_ a: IPv4Address) -> Bool { a.bits & 0xFFC0_0000 == 0x6440_0000 }
