import IPAddressing
import NetworkModel
import Reporting

/// A query endpoint resolved against a compiled topology.
public enum ResolvedEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// An interface (instance ENI, NAT gateway) and the address used.
    case interface(InterfaceID, address: IPAddress)
    /// A host the query places in a subnet (a subnet name: its first usable address, when no interface holds
    /// it): a host with no security groups that takes delivery of its address.
    case host(subnet: SubnetID, address: IPAddress)
    /// A bare address inside a subnet that no interface holds (unused, or reserved by AWS). As a destination
    /// nothing takes it, so packets to it are dropped (`NO_POSSIBLE_DESTINATION`); as a source it is a host with no
    /// security groups sending from that address.
    case unheld(subnet: SubnetID, address: IPAddress)
    /// An address on the internet.
    case internet(IPAddress)
    /// A VPC endpoint named by its name or AWS id (or, `byServiceName`, an interface endpoint by its service's
    /// name with private DNS on). A gateway endpoint's is its service (`address`: one of the service's addresses);
    /// an interface endpoint's is the ENI a query picks (the one in the source's zone, else the first).
    case vpcEndpoint(VPCEndpointID, address: IPAddress, byServiceName: Bool)
    /// An address on premises (`onprem:NAME[:ADDR]`, `EDGE:ADDR`), reached over `edge` (an index of
    /// ``CompiledEdges/edges``; -1: any edge that announces it). The far side is not modelled.
    case onPremises(address: IPAddress, edge: Int32)

    public var address: IPAddress {
        switch self {
        case .interface(_, let a), .host(_, let a), .unheld(_, let a), .internet(let a), .vpcEndpoint(_, let a, _), .onPremises(let a, _): a
        }
    }
    /// True for an endpoint on premises.
    public var isOnPremises: Bool { if case .onPremises = self { true } else { false } }
    /// The edge an on-premises endpoint names (-1: any, and for every other endpoint).
    @inlinable var onPremisesEdge: Int32 { if case .onPremises(_, let e) = self { e } else { -1 } }
    public var description: String { address.description }
}

/// Why an endpoint did not resolve.
public struct EndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var message: String
    /// A close name, for "did you mean".
    public var suggestion: String?
    /// The stable id: ``unknown`` (no such name) or ``invalid`` (the text names something that is no endpoint).
    public var id: String = EndpointError.invalid
    public var description: String { message + (suggestion.map { "; did you mean '\($0)'?" } ?? "") }

    /// A name that resolves to nothing.
    public static let unknown = "endpoint-unknown"
    /// Text that is not an endpoint (a VPC, a private or reserved block as the internet, a bad address).
    public static let invalid = "endpoint-invalid"

    /// The error as a diagnostic at `file:line:column` (an `assert` line; an empty file and line 0 for a
    /// command-line argument): the message, and "did you mean" as the hint.
    public func diagnostic(file: String = "", line: Int = 0, column: Int = 0) -> Diagnostic {
        Diagnostic(id: id, file: file, line: line, column: column, message: message,
                   hint: suggestion.map { "did you mean '\($0)'?" })
    }
}

extension CompiledTopology {
    /// The address used for "internet" when a query names none: outside every VPC (TEST-NET-3 / 2001:db8::).
    public var representativeInternetAddress: IPv4Address {
        var a = IPv4Address(203, 0, 113, 7)
        while vpcs.contains(where: { $0.contains(.v4(a)) }) { a = IPv4Address(bits: a.bits &+ 1) }
        return a
    }

    /// Resolves endpoint text: an instance name (its primary interface), `instance.interface`, a NAT gateway
    /// name, a subnet name (its first usable address), an AWS id (`i-…`, `eni-…`, `subnet-…`, `nat-…`), an IP
    /// address, `internet` or `internet:IP`.
    public func resolve(_ text: String) -> Result<ResolvedEndpoint, EndpointError> {
        if text == "internet" { return resolve(.internet(nil)) }
        if text.hasPrefix("internet:") {
            guard let a = try? IPAddress(String(text.dropFirst("internet:".count))) else {
                return .failure(EndpointError(text: text, message: "'\(text)': not an address after 'internet:'"))
            }
            return resolve(.internet(a))
        }
        if let a = try? IPAddress(text) { return resolve(.address(a)) }
        if let e = Self.onPremisesEndpoint(text) { return resolve(e) }
        return resolve(.named(text))
    }

    /// `onprem:NAME`, `onprem:NAME:ADDR` and `EDGE:ADDR` as model endpoints (nil: none of these forms).
    public static func onPremisesEndpoint(_ text: String) -> Endpoint? {
        if text.hasPrefix("onprem:") {
            let rest = text.dropFirst("onprem:".count)
            if let colon = rest.firstIndex(of: ":") {
                guard let a = try? IPAddress(String(rest[rest.index(after: colon)...])) else { return nil }
                return .onPremises(String(rest[..<colon]), a)
            }
            return rest.isEmpty ? nil : .onPremises(String(rest), nil)
        }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
              let a = try? IPAddress(String(text[text.index(after: colon)...])) else { return nil }
        return .overEdge(String(text[..<colon]), a)
    }

    /// Resolves a model endpoint (from an `assert` line or a query).
    public func resolve(_ endpoint: Endpoint) -> Result<ResolvedEndpoint, EndpointError> {
        switch endpoint {
        case .internet(nil):
            return .success(.internet(.v4(representativeInternetAddress)))
        case .internet(let a?):
            if let owner = interface(withPublicAddress: a) { return .success(.interface(owner, address: a)) }
            return .success(.internet(a))
        case .internetBlock(let p):
            // One address of the block (``resolveQuery(_:side:)`` gives the whole set).
            return internetAddresses(in: p).flatMap { set in
                let first: IPAddress? = set.v4.ranges.first.map { .v4($0.lower) } ?? set.v6.ranges.first.map { .v6($0.lower) }
                return first.map { .success(.internet($0)) }
                    ?? .failure(EndpointError(text: p.description, message: "'internet:\(p)' holds no internet address"))
            }
        case .address(let a):
            if let owner = interface(withPublicAddress: a), case .v4 = a { return .success(.interface(owner, address: a)) }
            for (vi, v) in vpcs.enumerated() where v.contains(a) {
                if case let owner = privateOwner(vpc: Int32(vi), a), owner >= 0 {
                    return .success(.interface(InterfaceID(owner), address: a))
                }
                if let s = subnetLPM[vi].lookup(a)?.value { return .success(.unheld(subnet: SubnetID(s), address: a)) }
            }
            // An address some edge announces is on premises (only topologies with edges have announcements).
            if case .v4(let x) = a, edgePlane.announces(x) { return .success(.onPremises(address: a, edge: -1)) }
            return .success(.internet(a))
        case .named(let name):
            let names = endpointNames
            if let c = names.byName[name], let i = interface(of: c) {
                return .success(.interface(i, address: .v4(interfaces[Int(i.index)].primaryIP)))
            }
            if let s = resolved.subnet(named: name) { return .success(subnetEndpoint(s)) }
            if let c = names.byAWSID[name] {
                switch c {
                case .networkInterface, .natGateway:
                    if let i = interface(of: c) { return .success(.interface(i, address: .v4(interfaces[Int(i.index)].primaryIP))) }
                case .subnet(let s): return .success(subnetEndpoint(s))
                case .vpc: return .failure(EndpointError(text: name, message: "'\(name)' is a VPC; name an instance, interface, subnet or address"))
                }
            }
            if let e = resolveVPCEndpoint(name) { return e }
            if let e = resolveLoadBalancer(name) { return e }
            if resolved.hasEdges, resolved.edge(named: name) != nil { return resolveOverEdge(name, address: nil) }
            let candidates = names.byName.keys + resolved.subnetByName.keys + resolved.vpcEndpoints.indices.map { resolved.name(of: VPCEndpointID($0)) }
            return .failure(EndpointError(text: name, message: "unknown endpoint '\(name)'", suggestion: Suggest.closest(to: name, in: candidates),
                                          id: EndpointError.unknown))
        case .onPremises(let name, let address):
            return resolveOnPremises(network: name, address: address)
        case .overEdge(let name, let address):
            return resolveOverEdge(name, address: address)
        }
    }

    /// `onprem:NAME[:ADDR]`: an address of a declared on-premises network (default: its first prefix's first
    /// host address), reached over whichever edge announces it.
    func resolveOnPremises(network name: String, address: IPAddress?) -> Result<ResolvedEndpoint, EndpointError> {
        let text = Endpoint.onPremises(name, address).description
        guard let n = edgePlane.networks.last(where: { $0.name == name }) ?? resolved.topology.onPremisesNetworks.last(where: { $0.name == name })
            .map({ (name: $0.name, prefixes: $0.prefixes) }) else {
            return .failure(EndpointError(text: text, message: "unknown on-premises network '\(name)'",
                                          suggestion: Suggest.closest(to: name, in: resolved.topology.onPremisesNetworks.map(\.name)),
                                          id: EndpointError.unknown))
        }
        if let address {
            guard case .v4(let a) = address, n.prefixes.contains(where: { $0.contains(a) }) else {
                return .failure(EndpointError(text: text, message: "'\(text)': \(address) is not in on-premises network '\(name)' (\(n.prefixes.map(\.description).joined(separator: " ")))"))
            }
            return .success(.onPremises(address: address, edge: -1))
        }
        guard let first = n.prefixes.first else {
            return .failure(EndpointError(text: text, message: "on-premises network '\(name)' has no prefix"))
        }
        let host = first.length >= 31 ? first.network : IPv4Address(bits: first.network.bits &+ 1)
        return .success(.onPremises(address: .v4(host), edge: -1))
    }

    /// `EDGE:ADDR` (and a bare edge name or id, `address` nil): on premises over that edge — a VPN connection,
    /// VIF, VGW or Direct Connect gateway by name or AWS id. A bare edge takes the first prefix it announces; an
    /// edge that announces nothing has unknown routes: an error that says so (with `EDGE:ADDR` the answer does).
    func resolveOverEdge(_ name: String, address: IPAddress?) -> Result<ResolvedEndpoint, EndpointError> {
        let text = address.map { "\(name):\($0)" } ?? name
        guard let edge = resolved.edge(named: name) else {
            return .failure(EndpointError(text: text, message: "unknown edge '\(name)' (a VPN connection, virtual interface, VGW or Direct Connect gateway)",
                                          id: EndpointError.unknown))
        }
        let label = resolved.awsID(of: edge).map { "\(resolved.name(of: edge)) (\($0))" } ?? resolved.name(of: edge)
        // The compiled edges for it (a DX gateway or VIF may reach several VGWs: the first). A transit VIF carries
        // traffic through its Direct Connect gateway's TGW attachments: the DX gateway's edges are its own.
        var carrier = edge
        if case .virtualInterface(let v) = edge, resolved.model(v).kind == .transit,
           case .directConnectGateway(let d) = resolved.virtualInterfaces[v.position].awsSide {
            carrier = .directConnectGateway(d)
        }
        let candidates = edgePlane.edges.indices.filter {
            let e = edgePlane.edges[$0]
            return e.name == resolved.name(of: carrier) || (e.awsID != nil && e.awsID == resolved.awsID(of: carrier))
        }
        let chosen: Int32 = candidates.first.map { Int32($0) } ?? -1
        if let address {
            guard chosen >= 0 else {
                return .failure(EndpointError(text: text, message: "edge \(label) ends on no virtual private gateway of the model: it carries nothing to a VPC"))
            }
            return .success(.onPremises(address: address, edge: candidates.count == 1 ? chosen : -1))
        }
        let vpc = chosen >= 0 ? edgePlane.edges[Int(chosen)].vpc : -1
        let announced = vpc >= 0 ? edgePlane.announcementsByVGW[Int(vpc)] : edgePlane.tgwAnnouncements
        guard chosen >= 0, let first = announced.first(where: { candidates.contains(Int($0.edge)) }) else {
            return .failure(EndpointError(text: text, message: "edge \(label): its on-premises routes are unknown (no static routes, no announcement); declare them with --onprem CIDR@\(name) or name an address (\(name):ADDR)"))
        }
        let p = first.prefix
        return .success(.onPremises(address: .v4(p.length >= 31 ? p.network : IPv4Address(bits: p.network.bits &+ 1)),
                                    edge: candidates.count == 1 ? chosen : -1))
    }

    /// The data plane's interface named `name`: an instance (its primary interface), `instance.interface` or a
    /// NAT gateway (``EndpointNameTable/byName``); nil for any other name.
    public func interface(named name: String) -> InterfaceID? {
        endpointNames.byName[name].flatMap { interface(of: $0) }
    }

    /// The data plane's interface for an endpoint name's instance interface or NAT gateway (nil for subnets,
    /// VPCs, and a component without one).
    func interface(of c: EndpointComponent) -> InterfaceID? {
        switch c {
        case .networkInterface(let e): interface(of: e)
        case .natGateway(let g): interface(of: g)
        case .subnet, .vpc: nil
        }
    }

    func subnetEndpoint(_ s: SubnetID) -> ResolvedEndpoint {
        let a = IPAddress.v4(subnets[s.position].firstUsableAddress)
        if case let owner = privateOwner(vpc: subnets[s.position].vpc, a), owner >= 0 {
            return .interface(InterfaceID(owner), address: a)
        }
        return .host(subnet: s, address: a)
    }

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
