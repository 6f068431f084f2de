import IPAddressing
import NetworkModel
import Reporting

extension CompiledTopology {
    /// Answers "can `source` reach `destination` with `traffic`?" at connection level: the request and
    /// (unless `oneWay`) the reply, for every client source port in `sourcePorts` (default 1024–65535).
    /// TCP and UDP verdicts are three-valued (``ReachabilityState``): when the reply gets back for only some
    /// client ports, the connection is partly reachable and the explanation is that of the same connection for
    /// the failing ports alone (where the reply stops them). Other protocols are reachable or not.
    ///
    /// The destination address is the destination interface's private address, except from the internet,
    /// where it is the interface's public address when it has one. For IPv6 traffic (`icmpv6`, or an IPv6
    /// endpoint address) the interfaces' first IPv6 addresses are used.
    ///
    /// - Parameters:
    ///   - traffic: protocol and destination port (nil port: every port; see ``openPorts(from:to:sourcePorts:)``).
    ///   - sourcePort: one client port; nil: `sourcePorts`.
    public func reach(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, traffic: TrafficSpec,
                      sourcePort: UInt16? = nil, sourcePorts: PortSet = .ephemeral, oneWay: Bool = false) -> Verdict {
        let requested = sourcePort.map { PortSet(port: $0) } ?? sourcePorts
        if !loadBalancers.isEmpty {
            if case .interface(let i, _) = source, let k = loadBalancer(ofNode: i) {
                let e = Explanation(code: .noPath, direction: .forward, component: loadBalancerComponent(k),
                                    detail: .loadBalancer(loadBalancer: loadBalancers[Int(k)].name, problem: .initiates,
                                                          traffic: BlockedTraffic(ipProtocol: traffic.ipProtocol.number ?? 255), zone: nil))
                return .unreachable(e, forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
            }
            if case .interface(let i, let a) = destination, let k = loadBalancer(ofNode: i) {
                let n = node(of: k, for: source, named: i, address: a)
                return reachThroughLoadBalancer(k, from: source, node: n, address: a == CompiledTopology.anyNodeAddress ? .v4(interfaces[n.position].primaryIP) : a,
                                                traffic: traffic, requested: requested, oneWay: oneWay)
            }
        }
        return reachDirect(from: source, to: destination, traffic: traffic, sourcePorts: requested, oneWay: oneWay)
    }

    /// ``reach(from:to:traffic:sourcePort:sourcePorts:oneWay:)`` without load balancers' listeners: a connection
    /// that ends at `destination` (a load balancer node included), for client ports `requested`.
    func reachDirect(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, traffic: TrafficSpec,
                     sourcePorts requested: PortSet, oneWay: Bool) -> Verdict {
        let sourcePort: UInt16? = nil
        let sourcePorts = requested
        if mayInvolveVPCEndpoint(source, destination) {
            switch endpointQuery(from: source, to: destination, ipProtocol: traffic.ipProtocol.number) {
            case .refused(let e):
                return .unreachable(e, forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
            case .endpoints(let s, let d):
                if s != source || d != destination {
                    return reachDirect(from: s, to: d, traffic: traffic, sourcePorts: sourcePort.map { PortSet(port: $0) } ?? sourcePorts, oneWay: oneWay)
                }
            }
        }
        let proto = traffic.ipProtocol.number ?? 255
        let v6 = traffic.ipProtocol == .icmpv6 || source.address.family == .ipv6 || destination.address.family == .ipv6
        guard let srcAddress = address(of: source, toward: destination, ipv6: v6),
              let dstAddress = address(of: destination, from: source, ipv6: v6) else {
            return .unreachable(Explanation(code: .noSourceOrDestination, direction: .forward,
                                            component: ComponentRef(kind: .internet, name: "query"),
                                            detail: .endpointWithoutAddress(family: v6 ? .ipv6 : .ipv4)),
                                forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
        }
        if case .internet = source, case .internet = destination {
            return .unreachable(Explanation(code: .noSourceOrDestination, direction: .forward,
                                            component: ComponentRef(kind: .internet, name: "query"),
                                            detail: .bothEndpointsOnInternet),
                                forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
        }
        if let v = amazonDNSResolver(from: source, to: dstAddress, ipProtocol: proto, port: traffic.port) {
            let vpc = ComponentRef(kind: .vpc, name: vpcs[Int(v)].name, awsID: vpcs[Int(v)].awsID)
            let request = Flow(source: srcAddress, destination: dstAddress, ipProtocol: proto, sourcePorts: requested,
                               destinationPorts: PortSet(port: 53))
            return .reachable(forwardPath: [Hop(component: vpc, action: .answeredByDNSResolver,
                                                header: request)],
                              returnPath: oneWay ? [] : [Hop(component: vpc, action: .dnsResolverReply, header: request.reply)],
                              sourcePorts: requested, notes: [])
        }
        let packet = queryPacket(traffic, from: srcAddress, to: dstAddress, sourcePorts: requested)
        var flow = packet.flow
        let noReply = packet.noReply
        let icmpType = packet.flow.icmpTypeCode >> 8
        let oneWay = oneWay || noReply
        var sink = ConnectionRecorder()
        var ctx = WalkContext(direction: .forward)
        ctx.recordVisited = true
        ctx.hostAddress = placedHostAddress(destination, dstAddress)
        ctx.onPremisesEdge = destination.onPremisesEdge
        let outcome = walk(&flow, from: startPosition(source), context: &ctx, sink: &sink)
        let forwardHops = sink.hops
        sink.hops = []
        var notes = sink.notes
        if source.isOnPremises || destination.isOnPremises { notes.append(ReachMessages.onPremisesFarSide) }
        let delivered: Flow
        switch checkArrival(outcome, flow: flow, at: destination) {
        case .failure(var block):
            if case .onPremises(_, let e) = destination, e >= 0, !edgePlane.announcesAnything(e) {
                // Toward an edge whose routes are unknown: that, not where the packet stopped, is the answer.
                block = Block(code: .noRouteToDestination, site: .edge(vpc: edgePlane.edges[Int(e)].vpc, edge: e, problem: .routesUnknown))
            }
            return .unreachable(explanation(block, flow: flow, direction: .forward), forwardPath: forwardHops, returnPath: [],
                                requestedSourcePorts: requested, notes: notes)
        case .success(let f): delivered = f
        }
        if oneWay {
            if case .exitedToService(let g) = outcome {
                notes.append(ReachMessages.gatewayEndpointNote(service: resolved.model(VPCEndpointID(g)).serviceShortName, endpoint: resolved.name(of: VPCEndpointID(g))))
            }
            if noReply { notes.append("ICMP type \(icmpType) gets no reply: only the request direction is checked") }
            return .reachable(forwardPath: forwardHops, returnPath: [], sourcePorts: requested, notes: notes)
        }
        // The reply: from what the destination saw, back to what the request's source address became.
        var reply = delivered.reply
        var rctx = WalkContext(replyAfter: ctx)
        rctx.hostAddress = placedHostAddress(source, srcAddress, asSource: true)
        rctx.onPremisesEdge = source.onPremisesEdge
        let replyStart: Position
        if case .exitedToService(let g) = outcome {
            // The service's side is not modelled: its reply starts at the endpoint, from the address it was sent to.
            replyStart = .fromGatewayEndpoint(g)
            notes.append("\(ReachMessages.gatewayEndpointNote(service: resolved.model(VPCEndpointID(g)).serviceShortName, endpoint: resolved.name(of: VPCEndpointID(g))))")
        } else {
            replyStart = replyStartPosition(destination)
        }
        let replyOutcome = walk(&reply, from: replyStart, context: &rctx, sink: &sink)
        notes += sink.notes.dropFirst(notes.count)
        let returnHops = sink.hops
        switch checkArrival(replyOutcome, flow: reply, at: source, reply: true) {
        case .failure(let block):
            return .unreachable(explanation(block, flow: reply, direction: .return), forwardPath: forwardHops, returnPath: returnHops,
                                requestedSourcePorts: requested, notes: notes)
        case .success(let back):
            // Only TCP and UDP have client ports: other protocols are reachable or not.
            guard IPProtocol.hasPorts(proto) else {
                return .reachable(forwardPath: forwardHops, returnPath: returnHops, sourcePorts: requested, notes: notes)
            }
            let working = back.destinationPorts.intersection(requested)
            if working == requested {
                return .reachable(forwardPath: forwardHops, returnPath: returnHops, sourcePorts: requested, notes: notes)
            }
            // Partly reachable: the same connection for the failing client ports alone says where they stop.
            let failing = requested.subtracting(working)
            let blocked = reachDirect(from: source, to: destination, traffic: traffic, sourcePorts: failing, oneWay: false)
            let why = blocked.explanation ?? Explanation(
                code: .subnetACLRestriction, direction: .return, component: returnHops.last?.component ?? ComponentRef(kind: .internet, name: "query"),
                detail: .replyDeniedForClientPorts(ports: failing))
            return .partlyReachable(working: working, of: requested, explanation: why, forwardPath: forwardHops,
                                    returnPath: returnHops, blockedReturnPath: blocked.returnPath, notes: notes)
        }
    }

    /// Answers a query whose endpoints are model values (as `assert` lines hold them).
    public func reach(from source: Endpoint, to destination: Endpoint, traffic: TrafficSpec, sourcePort: UInt16? = nil,
                      sourcePorts: PortSet = .ephemeral, oneWay: Bool = false) -> Result<Verdict, EndpointError> {
        let s: ResolvedEndpoint, d: ResolvedEndpoint
        switch resolve(source) { case .success(let x): s = x; case .failure(let e): return .failure(e) }
        switch resolve(destination) { case .success(let x): d = x; case .failure(let e): return .failure(e) }
        return .success(reach(from: s, to: d, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay))
    }

    /// The ICMP key (``icmpKey(type:code:)``) a query for protocol `proto` and `type` sends: that type with code 0;
    /// no type (bare `icmp`/`icmpv6`) means an echo request, what `ping` sends (type 8, ICMPv6 128). A type above
    /// 255 is taken as 255. 0 for other protocols.
    static func icmpQueryKey(_ proto: UInt8, type: UInt16?) -> UInt16 {
        guard IPProtocol.isICMP(proto) else { return 0 }
        let t = type.map { UInt8(clamping: $0) } ?? (proto == IPProtocol.icmpv6Number ? 128 : 8)
        return icmpKey(type: t, code: 0)
    }

    /// True when the connection works for at least one client port; no hop recording (the fast path).
    /// For ICMP/ICMPv6 `port` is the ICMP type (code 0) and `sourcePort` is ignored.
    public func isReachable(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, ipProtocol: UInt8,
                            port: UInt16, sourcePort: UInt16 = 40000) -> Bool {
        if !loadBalancers.isEmpty, case .interface(let i, _) = destination, loadBalancer(ofNode: i) != nil {
            return reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: IPProtocol.number(ipProtocol), port: port),
                         sourcePort: sourcePort).state != .unreachable
        }
        if !loadBalancers.isEmpty, case .interface(let i, _) = source, loadBalancer(ofNode: i) != nil { return false }
        if mayInvolveVPCEndpoint(source, destination) {
            switch endpointQuery(from: source, to: destination, ipProtocol: ipProtocol) {
            case .refused: return false
            case .endpoints(let s, let d):
                if s != source || d != destination {
                    return isReachable(from: s, to: d, ipProtocol: ipProtocol, port: port, sourcePort: sourcePort)
                }
            }
        }
        guard let srcAddress = address(of: source, toward: destination, ipv6: false),
              let dstAddress = address(of: destination, from: source, ipv6: false) else { return false }
        if case .internet = source, case .internet = destination { return false }
        if amazonDNSResolver(from: source, to: dstAddress, ipProtocol: ipProtocol, port: port) != nil { return true }
        let (arrives, answered) = exchange(from: source, to: destination, srcAddress, dstAddress, ipProtocol: ipProtocol, port: port,
                                           sourcePort: sourcePort)
        return answered ?? arrives
    }

    /// The walks behind ``isReachable(from:to:ipProtocol:port:sourcePort:)`` once the addresses are known: whether
    /// the request arrives, and whether its reply comes back (nil when no reply was walked: the request did not
    /// arrive, or it is an ICMP type that gets no reply).
    func exchange(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, _ srcAddress: IPAddress, _ dstAddress: IPAddress,
                  ipProtocol: UInt8, port: UInt16, sourcePort: UInt16) -> (arrives: Bool, answered: Bool?) {
        let icmp = IPProtocol.isICMP(ipProtocol)
        var flow = Flow(source: srcAddress, destination: dstAddress, ipProtocol: ipProtocol,
                        sourcePorts: PortSet(port: icmp ? 0 : sourcePort), destinationPorts: PortSet(port: icmp ? 0 : port),
                        icmpTypeCode: icmp ? Self.icmpQueryKey(ipProtocol, type: port) : 0)
        var sink = ConnectionRecorder(recordsHops: false)
        var ctx = WalkContext(direction: .forward)
        ctx.recordVisited = true
        ctx.hostAddress = placedHostAddress(destination, dstAddress)
        ctx.onPremisesEdge = destination.onPremisesEdge
        // A walk that ends delivered leaves `flow` equal to the flow its outcome carries: read it from there.
        let outcome = walk(&flow, from: startPosition(source), context: &ctx, sink: &sink)
        guard arrived(outcome, at: destination) else { return (false, nil) }
        if icmp && icmpReplyType(UInt8(flow.icmpTypeCode >> 8), v6: ipProtocol == IPProtocol.icmpv6Number) == nil { return (true, nil) }
        var reply = flow.reply
        var rctx = WalkContext(replyAfter: ctx)
        rctx.hostAddress = placedHostAddress(source, srcAddress, asSource: true)
        rctx.onPremisesEdge = source.onPremisesEdge
        var replyStart = replyStartPosition(destination)
        if case .exitedToService(let g) = outcome { replyStart = .fromGatewayEndpoint(g) }
        return (true, arrived(walk(&reply, from: replyStart, context: &rctx, sink: &sink), at: source))
    }

    /// Which protocols and destination ports get from `source` to `destination` (and back): for TCP and UDP
    /// the destination-port set (computed as range sets), for ICMP a yes/no for an echo request (type 8,
    /// ICMPv6 128) and its reply.
    public func openPorts(from source: ResolvedEndpoint, to destination: ResolvedEndpoint,
                          sourcePorts: PortSet = .ephemeral) -> [(traffic: String, verdict: Verdict, ports: PortSet)] {
        var out: [(String, Verdict, PortSet)] = []
        for (name, proto) in [("tcp", IPProtocol.tcp), ("udp", IPProtocol.udp)] {
            if let (ports, v) = openPortsThroughLoadBalancer(from: source, to: destination, ipProtocol: proto, sourcePorts: sourcePorts) {
                out.append((name, v, ports))
                continue
            }
            let v = reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: proto, port: nil), sourcePorts: sourcePorts)
            let ports = v.state != .unreachable ? (v.forwardPath.last?.header.destinationPorts ?? .empty) : .empty
            out.append((name, v, ports))
        }
        let v6 = source.address.family == .ipv6 || destination.address.family == .ipv6
        // ICMP: an echo request (what `ping` sends) and its reply.
        let icmp = reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: v6 ? .icmpv6 : .icmp))
        out.append((v6 ? "icmpv6" : "icmp", icmp, icmp.isReachable ? .all : .empty))
        return out
    }

    // MARK: Helpers

    /// The VPC whose Amazon DNS resolver answers this query: TCP or UDP port 53 from inside the VPC to its
    /// primary block's base + 2 or to 169.254.169.253 (Docs/AWS-BEHAVIOUR.md §1, §7: neither SGs nor NACLs filter it).
    func amazonDNSResolver(from source: ResolvedEndpoint, to destination: IPAddress, ipProtocol: UInt8, port: UInt16?) -> Int32? {
        guard IPProtocol.hasPorts(ipProtocol), port == 53, case .v4(let d) = destination else { return nil }
        let vpc: Int32
        switch source {
        case .interface(let i, _): vpc = interfaces[Int(i.index)].vpc
        case .host(let sn, _), .unheld(let sn, _): vpc = subnets[sn.position].vpc
        case .internet, .vpcEndpoint, .onPremises: return nil
        }
        guard let primary = vpcs[Int(vpc)].cidrs.first else { return nil }
        if d.bits == primary.network.bits &+ 2 || d == IPv4Address(169, 254, 169, 253) { return vpc }
        return nil
    }

    func startPosition(_ e: ResolvedEndpoint) -> Position {
        switch e {
        case .interface(let i, _): .send(eni: i.index, subnet: interfaces[Int(i.index)].subnet)
        case .host(let s, _), .unheld(let s, _): .send(eni: -1, subnet: s.index)
        // Never a walk's start: ``endpointQuery(from:to:)`` refuses it as a source.
        case .internet, .vpcEndpoint: .internet
        case .onPremises(_, let edge): .onPremises(edge: edge)
        }
    }

    /// The address a walk toward `e` may deliver to without an interface holding it: a host the query placed
    /// (`.host`, and `.unheld` as a source, for the reply's way back). Nil for a destination nothing holds.
    @inline(__always) func placedHostAddress(_ e: ResolvedEndpoint, _ address: IPAddress, asSource: Bool = false) -> IPAddress? {
        switch e {
        case .host: address
        case .unheld: asSource ? address : nil
        default: nil
        }
    }

    /// The source address: the interface's private address (or first IPv6 address).
    func address(of e: ResolvedEndpoint, toward other: ResolvedEndpoint, ipv6: Bool) -> IPAddress? {
        switch e {
        case .interface(let i, let a):
            if !ipv6 {
                // Plain-data fast path: an interface with one address uses it.
                let hot = interfaceHot[Int(i.index)]
                if hot.hasOnlyPrimary { return .v4(hot.primaryIP) }
            }
            let iface = interfaces[Int(i.index)]
            if ipv6 { if case .v6 = a { return a }; return iface.ipv6Addresses.first.map { .v6($0) } }
            if case .v4(let x) = a, iface.owns(a) { return .v4(x) }
            return .v4(iface.primaryIP)
        case .host(_, let a), .unheld(_, let a):
            return a.family == (ipv6 ? .ipv6 : .ipv4) ? a : nil
        case .internet(let a):
            if ipv6 { if case .v6 = a { return a }; return try? IPAddress("2001:db8::7") }
            return a
        case .vpcEndpoint(_, let a, _), .onPremises(let a, _):
            return a.family == (ipv6 ? .ipv6 : .ipv4) ? a : nil
        }
    }

    /// The destination address: private, or public when the source is on the internet.
    func address(of e: ResolvedEndpoint, from other: ResolvedEndpoint, ipv6: Bool) -> IPAddress? {
        if case .interface(let i, let a) = e {
            if !ipv6 {
                // Plain-data fast path (the same answers as below for an interface with one address).
                let hot = interfaceHot[Int(i.index)]
                if hot.hasOnlyPrimary {
                    // A public address named as the destination stays public: the packet is routed to it like to
                    // any internet address (through the sender's internet gateway), not delivered privately.
                    if case .v4(let x) = a, hot.publicIP != 0, x.bits == hot.publicIP { return a }
                    if case .internet = other, hot.publicIP != 0 { return .v4(IPv4Address(bits: hot.publicIP)) }
                    return .v4(hot.primaryIP)
                }
            }
            let iface = interfaces[Int(i.index)]
            if ipv6 { if case .v6 = a { return a }; return iface.ipv6Addresses.first.map { .v6($0) } }
            if case .v4(let x) = a, let p = iface.publicIP, x == p { return a }
            if case .internet = other {
                if let p = iface.publicIP { return .v4(p) }
                return .v4(iface.primaryIP)
            }
            if case .v4(let x) = a, iface.owns(a) { return .v4(x) }
            return .v4(iface.primaryIP)
        }
        return address(of: e, toward: other, ipv6: ipv6)
    }

    /// True when a walk ended where it should (``checkArrival(_:at:reply:)`` without building its result).
    @inline(__always) func arrived(_ outcome: WalkOutcome, at endpoint: ResolvedEndpoint) -> Bool {
        switch outcome {
        case .blocked: return false
        case .deliveredToInterface(let i):
            if case .interface(let want, _) = endpoint { return i == want.index }
            return false
        case .deliveredToHost(let s):
            switch endpoint {
            case .host(let want, _), .unheld(let want, _): return s == want.index
            default: return false
            }
        case .exitedToInternet:
            if case .internet = endpoint { return true }
            return false
        case .exitedToService(let g):
            switch endpoint {
            case .internet: return true
            case .vpcEndpoint(let want, _, _): return want.index == g
            default: return false
            }
        case .exitedToOnPremises(let e):
            if case .onPremises(_, let want) = endpoint { return want < 0 || want == e }
            return false
        }
    }

    /// Checks that a walk ended where it should.
    func checkArrival(_ outcome: WalkOutcome, flow f: Flow, at endpoint: ResolvedEndpoint, reply: Bool = false) -> Result<Flow, Block> {
        // One switch over the outcome (no tuple of outcome and endpoint: that would copy the flow).
        switch outcome {
        case .blocked(let b): return .failure(b)
        case .deliveredToInterface(let i):
            if case .interface(let want, _) = endpoint, i == want.index { return .success(f) }
            return .failure(Block(code: .noPossibleDestination, site: .internet))
        case .deliveredToHost(let s):
            switch endpoint {
            case .host(let want, _), .unheld(let want, _): if s == want.index { return .success(f) }
            default: break
            }
            return .failure(Block(code: .noPossibleDestination, site: .internet))
        case .exitedToInternet:
            if case .internet = endpoint { return .success(f) }
            if case .vpcEndpoint(let want, _, _) = endpoint {
                // The service's addresses were reached another way (NAT, internet gateway), not through the endpoint.
                return .failure(Block(code: .noRouteToDestination, site: .vpcEndpoint(want.index)))
            }
            return .failure(Block(code: .noPossibleDestination, site: .internet))
        case .exitedToService(let g):
            switch endpoint {
            case .internet: return .success(f)
            case .vpcEndpoint(let want, _, _) where want.index == g: return .success(f)
            default: return .failure(Block(code: .noPossibleDestination, site: .vpcEndpoint(g)))
            }
        case .exitedToOnPremises(let e):
            if case .onPremises(_, let want) = endpoint, want < 0 || want == e { return .success(f) }
            return .failure(Block(code: .noPossibleDestination, site: .edge(vpc: edgePlane.edges[Int(e)].vpc, edge: e, problem: .notAnnounced)))
        }
    }
}

/// Records hops and NAT sessions for a connection-level query.
struct ConnectionRecorder: TraceSink {
    var recordsHops: Bool = true
    var hops: [Hop] = []
    var notes: [String] = []
    struct Session { var nat: Int32; var client: IPAddress; var clientPorts: PortSet; var natPorts: PortSet }
    var sessions: [Session] = []

    static var observesInterfaces: Bool { false }
    mutating func hop(_ hop: Hop) { hops.append(hop) }
    mutating func observe(interface: Int32, egress: Bool, accept: Bool, flow: Flow) {}
    mutating func natTranslate(nat: Int32, original: Flow, flow: inout Flow) {
        // The NAT gateway picks a port in 1024-65535 (REMAP_EPHEMERAL_PORT).
        flow.sourcePorts = .ephemeral
        sessions.append(Session(nat: nat, client: original.source, clientPorts: original.sourcePorts, natPorts: .ephemeral))
    }
    mutating func natReverse(nat: Int32, flow: inout Flow) -> Bool {
        guard let s = sessions.last(where: { $0.nat == nat }) else { return false }
        if flow.destinationPorts != s.natPorts && recordsHops {
            notes.append("the NAT gateway's reply is admitted only for its ports \(flow.destinationPorts) of 1024-65535")
        }
        flow.destination = s.client
        flow.destinationPorts = s.clientPorts
        return true
    }
}

extension CompiledTopology {
    /// The first packet of a query's connection: `traffic` from `source` to `destination` with the client's
    /// `sourcePorts` (TCP/UDP; other protocols carry none), and whether it gets no reply (an ICMP message type
    /// that is an error or a reply itself: checked one way only). `all` traffic is walked as TCP.
    func queryPacket(_ traffic: TrafficSpec, from source: IPAddress, to destination: IPAddress,
                     sourcePorts: PortSet) -> (flow: Flow, noReply: Bool) {
        let proto = traffic.ipProtocol.number ?? 255
        let ports = IPProtocol.hasPorts(proto)
        let icmp = Self.icmpQueryKey(proto, type: traffic.port)
        var flow = Flow(source: source, destination: destination, ipProtocol: proto == 255 ? 0 : proto,
                        sourcePorts: ports ? sourcePorts : PortSet(port: 0),
                        destinationPorts: ports ? (traffic.port.map { PortSet(port: $0) } ?? .all) : PortSet(port: 0),
                        icmpTypeCode: icmp)
        if traffic.ipProtocol == .all { flow.ipProtocol = 6 }
        return (flow, IPProtocol.isICMP(proto) && icmpReplyType(UInt8(icmp >> 8), v6: proto == IPProtocol.icmpv6Number) == nil)
    }
}

extension CompiledTopology {
    /// Where a connection's reply starts: the destination sends it from its interface (or subnet, for a host
    /// address no interface holds), or the internet does.
    func replyStartPosition(_ destination: ResolvedEndpoint) -> Position {
        switch destination {
        case .interface(let i, _): .send(eni: i.index, subnet: interfaces[Int(i.index)].subnet)
        case .host(let s, _), .unheld(let s, _): .send(eni: -1, subnet: s.index)
        case .internet, .vpcEndpoint: .internet
        case .onPremises(_, let edge): .onPremises(edge: edge)
        }
    }
}

extension Flow {
    /// The reply to this flow as delivered: addresses and ports swapped; for ICMP the reply message type
    /// (``icmpReplyType(_:v6:)``, code 0; a type without a reply keeps its type and code).
    var reply: Flow {
        var icmp = icmpTypeCode
        if IPProtocol.isICMP(ipProtocol), let t = icmpReplyType(UInt8(icmpTypeCode >> 8), v6: ipProtocol == IPProtocol.icmpv6Number) { icmp = icmpKey(type: t, code: 0) }
        return Flow(source: destination, destination: source, ipProtocol: ipProtocol,
                    sourcePorts: destinationPorts, destinationPorts: sourcePorts, icmpTypeCode: icmp)
    }
}

extension WalkContext {
    /// The context of a reply walk after the request walk `forward`: security groups the request passed track
    /// the connection, and an egress-only gateway the request left through admits the reply.
    init(replyAfter forward: WalkContext) {
        self.init(direction: .return)
        useTrackedSet = true
        trackedSet = forward.visited
        forwardEgressOnlyVPC = forward.egressOnlyVPC
        forwardGWLBEndpoints = forward.gwlbEndpoints
    }
}
