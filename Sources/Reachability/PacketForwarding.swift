import IPAddressing
import NetworkModel

/// One packet for replay (pcap → flow logs).
public struct Packet: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var ipProtocol: UInt8
    /// TCP/UDP ports; 0 for other protocols.
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var tcpFlags: UInt8
    /// IP total length in bytes.
    public var length: Int
    /// ICMP/ICMPv6 type and code (what ICMP rules of SGs and NACLs match); ignored for other protocols.
    /// Default: an echo request's type 8 (a packet with protocol 58 and type 8 is not an ICMPv6 echo: set 128).
    public var icmpType: UInt8
    public var icmpCode: UInt8
    public init(source: IPAddress, destination: IPAddress, ipProtocol: UInt8, sourcePort: UInt16 = 0, destinationPort: UInt16 = 0,
                tcpFlags: UInt8 = 0, length: Int = 0, icmpType: UInt8 = 8, icmpCode: UInt8 = 0) {
        self.icmpType = icmpType
        self.icmpCode = icmpCode
        self.source = source
        self.destination = destination
        self.ipProtocol = ipProtocol
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.tcpFlags = tcpFlags
        self.length = length
    }
}

/// Where a replayed packet appears.
public enum PacketOrigin: Hashable, Sendable {
    /// Sent by this interface.
    case interface(InterfaceID)
    /// Arrives from the internet (at the internet gateway of the VPC owning the destination address).
    case internet
    /// Arrives from on premises over the edge that leads to the destination (the best one back to the source):
    /// a VGW, or a transit gateway's VPN or Direct Connect gateway attachment.
    case onPremises
    /// The service behind a gateway endpoint answering into the endpoint's VPC (a reply to traffic that left
    /// through the endpoint).
    case gatewayEndpointService(VPCEndpointID)
    /// A Network Load Balancer node (its interface) sending a client's packet on to a target with client-IP
    /// preservation: the packet keeps the client's address and port, and the node's source/destination check does
    /// not apply (Docs/SEMANTICS.md "Load balancers").
    case loadBalancerNode(InterfaceID)
    /// A target's reply on a connection a preserving NLB node delivered to it: back to that node whatever the
    /// target's routes say (the load balancer tracks the flow), through the target's outbound, the target subnet's
    /// outbound and the node subnet's inbound NACL.
    case replyToLoadBalancerNode(target: InterfaceID, node: InterfaceID)
}

/// Direction relative to the ENI, as flow logs' `flow-direction` field.
public enum FlowDirection: String, Hashable, Sendable {
    case ingress, egress
}

/// One ENI seeing a packet: what a flow-log record aggregates.
public struct ENIObservation: Hashable, Sendable {
    public var interface: InterfaceID
    public var direction: FlowDirection
    /// True: ACCEPT; false: REJECT (the packet was dropped here by an SG, a NACL or the source/dest check).
    public var accepted: Bool
    /// The packet as seen at this ENI (after any translation before it): `pkt-srcaddr`, `pkt-dstaddr`, ports.
    public var packet: Packet
}

/// What happened to a replayed packet.
public enum PacketFate: Hashable, Sendable {
    case delivered(InterfaceID)
    /// Delivered to an address in a subnet that no interface holds.
    case deliveredToAddress
    case exitedToInternet
    /// Left AWS toward on-premises over an edge of a VGW.
    case exitedToOnPremises
    case dropped(ExplanationCode)
}

/// Receives the ENI observations of a replayed packet and owns NAT gateway port mappings (connection state
/// lives with the caller). Implement it as a struct; calls are statically dispatched.
public protocol PacketObserver {
    /// Called for every ENI the packet meets, in path order.
    mutating func observe(_ observation: ENIObservation)
    /// The source port a NAT gateway gives a packet it translates (`packet.source` is already the NAT
    /// gateway's address). Default: keep the client's port when ≥ 1024, else 1024 + port.
    mutating func natSourcePort(gateway: InterfaceID, original: Packet, translated: Packet) -> UInt16
    /// The client address and port a reply addressed to the NAT gateway belongs to; nil drops the packet
    /// (a NAT gateway admits no inbound-initiated flows). Default: nil.
    mutating func natReverse(gateway: InterfaceID, reply: Packet) -> (address: IPAddress, port: UInt16)?
    /// The packet was dropped: where and why, by index (``CompiledTopology/explain(_:source:destination:ipProtocol:sourcePort:destinationPort:)``
    /// names it). Called once, after the last observation, only for a dropped packet. Default: ignored.
    mutating func dropped(at site: DropSite)
}

extension PacketObserver {
    public mutating func natSourcePort(gateway: InterfaceID, original: Packet, translated: Packet) -> UInt16 {
        original.sourcePort >= 1024 ? original.sourcePort : 1024 &+ original.sourcePort
    }
    public mutating func natReverse(gateway: InterfaceID, reply: Packet) -> (address: IPAddress, port: UInt16)? { nil }
}

/// A reusable fixed-capacity observation buffer (allocates once, at its first use).
public struct ObservationBuffer: PacketObserver {
    public private(set) var observations: [ENIObservation] = []
    public init(capacity: Int = 16) { observations.reserveCapacity(capacity) }
    /// Empties the buffer, keeping its storage.
    public mutating func removeAll() { observations.removeAll(keepingCapacity: true) }
    public mutating func observe(_ observation: ENIObservation) { observations.append(observation) }
}

/// The walk's sink for packet replay. Not generic: the caller's observer is reached through three
/// non-escaping closures, so `walk` is specialised once, here, for every observer type (an observer defined in
/// another module would otherwise run the walk unspecialised, through witness tables and runtime metadata).
struct PacketSink: TraceSink {
    let packet: Packet
    static var observesInterfaces: Bool { true }
    let observeENI: (ENIObservation) -> Void
    let natPort: (InterfaceID, Packet, Packet) -> UInt16
    let natBack: (InterfaceID, Packet) -> (address: IPAddress, port: UInt16)?
    var recordsHops: Bool { false }
    mutating func hop(_ hop: Hop) {}

    @inline(__always) func packet(of flow: Flow) -> Packet {
        Packet(source: flow.source, destination: flow.destination, ipProtocol: flow.ipProtocol,
               sourcePort: flow.sourcePorts.min ?? 0, destinationPort: flow.destinationPorts.min ?? 0,
               tcpFlags: packet.tcpFlags, length: packet.length,
               icmpType: UInt8(truncatingIfNeeded: flow.icmpTypeCode >> 8), icmpCode: UInt8(truncatingIfNeeded: flow.icmpTypeCode))
    }
    mutating func observe(interface: Int32, egress: Bool, accept: Bool, flow: Flow) {
        observeENI(ENIObservation(interface: InterfaceID(interface), direction: egress ? .egress : .ingress,
                                  accepted: accept, packet: packet(of: flow)))
    }
    mutating func natTranslate(nat: Int32, original: Flow, flow: inout Flow) {
        flow.sourcePorts = PortSet(port: natPort(InterfaceID(nat), packet(of: original), packet(of: flow)))
    }
    mutating func natReverse(nat: Int32, flow: inout Flow) -> Bool {
        guard let (address, port) = natBack(InterfaceID(nat), packet(of: flow)) else { return false }
        flow.destination = address
        flow.destinationPorts = PortSet(port: port)
        return true
    }
}

extension CompiledTopology {
    /// True when some edge announces `address` to AWS (an on-premises address, not one on the internet): a VPN
    /// static route, an on-premises network's `via`, or an `--onprem` fact. False at once without edges.
    public func isOnPremises(_ address: IPAddress) -> Bool {
        guard case .v4(let a) = address, !edgePlane.isEmpty || !edgePlane.tgwAnnouncements.isEmpty else { return false }
        return edgePlane.announces(a)
    }

    /// Forwards one packet from where it appears and reports every ENI observation along its path to
    /// `observer` (NAT gateway and TGW attachment ENIs included), in order.
    ///
    /// `tracked: true` marks a packet of an already-allowed connection (a reply, or a later packet of a flow
    /// whose first packet was accepted): security-group checks are skipped, NACLs still apply.
    ///
    /// - Complexity: a handful of hash probes and rule scans per hop; no allocation (ports stay single values).
    public func forward<O: PacketObserver>(_ packet: Packet, from origin: PacketOrigin, tracked: Bool, observer: inout O) -> PacketFate {
        let usesPorts = IPProtocol.hasPorts(packet.ipProtocol)
        var flow = Flow(source: packet.source, destination: packet.destination, ipProtocol: packet.ipProtocol,
                        sourcePorts: PortSet(port: usesPorts ? packet.sourcePort : 0),
                        destinationPorts: PortSet(port: usesPorts ? packet.destinationPort : 0),
                        icmpTypeCode: icmpKey(type: packet.icmpType, code: packet.icmpCode))
        var ctx = WalkContext(direction: tracked ? .return : .forward)
        ctx.trackedAll = tracked
        let start: Position
        switch origin {
        case .interface(let i):
            guard i.index >= 0 && Int(i.index) < interfaces.count else { return .dropped(.noSourceOrDestination) }
            if !tracked, interfaceHot[Int(i.index)].kind == 3, case .vpcEndpoint(let e) = interfaces[Int(i.index)].kind {
                // An interface endpoint starts no connection (§12: VPCE_INTRA_VPC_TRAFFIC into its own VPC, NO_PATH
                // elsewhere): a packet of one it would start is refused at its ENI, before its groups.
                observer.observe(ENIObservation(interface: i, direction: .egress, accepted: false, packet: packet))
                let intoItsVPC = vpcContains(resolved.vpcEndpoints[e.position].vpc.index, packet.destination)
                let block = Block(code: intoItsVPC ? .vpceIntraVPCTraffic : .noPath, site: .vpcEndpoint(e.index))
                observer.dropped(at: DropSite(block, icmpTypeCode: flow.icmpTypeCode, tracked: false))
                return .dropped(block.code)
            }
            start = .send(eni: i.index, subnet: interfaces[Int(i.index)].subnet)
        case .internet: start = .internet
        case .onPremises: start = .onPremises(edge: -1)
        case .gatewayEndpointService(let g):
            guard g.index >= 0 && Int(g.index) < resolved.vpcEndpoints.count else { return .dropped(.noSourceOrDestination) }
            start = .fromGatewayEndpoint(g.index)
        case .loadBalancerNode(let n):
            guard n.index >= 0 && Int(n.index) < interfaces.count, interfaceHot[n.position].kind == 4 else { return .dropped(.noSourceOrDestination) }
            ctx.sendsForClient = true
            start = .send(eni: n.index, subnet: interfaces[n.position].subnet)
        case .replyToLoadBalancerNode(let t, let n):
            guard t.index >= 0 && Int(t.index) < interfaces.count, n.index >= 0 && Int(n.index) < interfaces.count,
                  interfaceHot[n.position].kind == 4 else { return .dropped(.noSourceOrDestination) }
            start = .send(eni: t.index, subnet: interfaces[t.position].subnet)
        }
        let outcome = withUnsafeMutablePointer(to: &observer) { pointer in
            // The observer is borrowed for the walk (no copy, so its buffers never copy-on-write).
            var sink = PacketSink(packet: packet,
                                  observeENI: { pointer.pointee.observe($0) },
                                  natPort: { pointer.pointee.natSourcePort(gateway: $0, original: $1, translated: $2) },
                                  natBack: { pointer.pointee.natReverse(gateway: $0, reply: $1) })
            if case .replyToLoadBalancerNode(let t, let n) = origin {
                if let b = replyToLoadBalancerNode(from: t.index, node: n.index, &flow, &ctx, &sink) { return WalkOutcome.blocked(b) }
                return .deliveredToInterface(n.index)
            }
            return walk(&flow, from: start, context: &ctx, sink: &sink)
        }
        switch outcome {
        case .deliveredToInterface(let i): return .delivered(InterfaceID(i))
        case .deliveredToHost: return .deliveredToAddress
        // [choice] A packet handed to a gateway endpoint's service leaves the model as one to the internet does.
        case .exitedToInternet, .exitedToService: return .exitedToInternet
        case .exitedToOnPremises: return .exitedToOnPremises
        case .blocked(let b):
            observer.dropped(at: DropSite(b, icmpTypeCode: flow.icmpTypeCode, tracked: tracked))
            return .dropped(b.code)
        }
    }
}
