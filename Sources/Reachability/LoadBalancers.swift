import IPAddressing
import NetworkModel

// Load balancers as hops (Docs/SEMANTICS.md "Load balancers"): each node is an ENI of its subnet with the load
// balancer's security groups. A connection to a node is a connection that ends there (the client's leg); a
// listener of the connection's protocol and port forwards it, and the node opens a NEW connection to each
// target that gets traffic (the target's leg): from the node's private address (ALB, classic, NLB without
// client-IP preservation) or from the client's address (NLB with preservation, the node's source/destination
// check not applying), its reply coming back to the node whatever the target's routes say.

/// A compiled load balancer: its nodes (data-plane interfaces) and, per listener, the targets it forwards to.
public struct CompiledLoadBalancer: Sendable {
    public var name: String
    public var awsID: String?
    public var dnsName: String?
    public var kind: LoadBalancer.Kind
    public var scheme: LoadBalancer.Scheme
    /// Cross-zone load balancing in effect.
    public var crossZone: Bool
    /// The nodes, one per subnet.
    public var nodes: [InterfaceID]
    public var listeners: [Listener]
    /// For each listener, the targets of its target groups (classic: the registered instances on the
    /// instance port); empty for a listener that answers itself.
    public var targets: [[CompiledLoadBalancerTarget]]
    @usableFromInline var vpc: Int32
}

extension CompiledLoadBalancer {
    /// True when the node in availability zone `zone` sends connections to `t`: the target gets traffic (healthy
    /// or unreported) and, cross-zone off, is in that zone (an unknown zone or `all` counts in every zone).
    public func sends(to t: CompiledLoadBalancerTarget, fromZone zone: String?) -> Bool {
        t.getsTraffic && (crossZone || t.zone == nil || t.zone == "all" || zone == nil || t.zone == zone)
    }
}

/// One target of a listener, resolved: the interface that holds it (an instance's primary interface or the
/// interface holding an IP target; -1: an address no interface holds, or a function), its address and port.
public struct CompiledLoadBalancerTarget: Sendable, Hashable {
    /// The target as written (an instance name, an address, a function ARN).
    public var name: String
    /// The target group (a classic load balancer's own name).
    public var group: String
    @usableFromInline var interface: Int32
    public var address: IPv4Address?
    public var port: UInt16
    /// Its availability zone (nil: unknown, or `all`: counts as every zone).
    public var zone: String?
    public var health: LoadBalancerTarget.Health?
    /// NLB client-IP preservation for this target's group.
    public var preservesClientIP: Bool
    public var isLambda: Bool
    /// Healthy or unreported.
    public var getsTraffic: Bool { health == nil || health == .healthy }
    /// The interface that holds the target (nil: an address no interface holds, or a function).
    public var interfaceID: InterfaceID? { interface >= 0 ? InterfaceID(interface) : nil }
}

/// Where a connection through a load balancer went: the node, the listener, and every target with its outcome.
public struct LoadBalancerAnswer: Hashable, Sendable {
    /// One target's part of the answer.
    public struct TargetOutcome: Hashable, Sendable {
        public var target: String
        public var group: String
        public var address: IPAddress?
        public var port: UInt16
        public var zone: String?
        public var health: LoadBalancerTarget.Health?
        /// True when the node sends connections to it (it gets traffic and, cross-zone off, is in the node's zone).
        public var getsTraffic: Bool
        /// The source address the target sees (the node's or the client's).
        public var sourceAddress: IPAddress?
        /// The target leg's state (nil: not asked, the target gets no traffic).
        public var state: ReachabilityState?
        /// Why the target leg fails, when it does.
        public var explanation: Explanation?
    }
    public var loadBalancer: ComponentRef
    /// The node the client connected to (its interface name `LB@SUBNET`) and its zone.
    public var node: String
    public var zone: String?
    /// `https 443`; nil when no listener takes the connection.
    public var listener: String?
    public var targets: [TargetOutcome]
}

extension CompiledTopology {
    /// Written node addresses are taken before any address is picked.
    mutating func reserveLoadBalancerAddresses(_ c: inout CompileContext) {
        for vpc in c.topology.vpcs {
            for lb in vpc.loadBalancers {
                for a in lb.addresses { c.usedAddresses.insertIfAbsent(UInt64(a.bits), 0) }
            }
        }
    }

    /// One node per subnet of the load balancer's VPC (repeated subnets once), named `LB@SUBNET`, with its groups
    /// (ALB and classic without groups: the VPC's default group; NLB without: none), the written address or one
    /// picked like a NAT gateway's, and (internet-facing) its public address, written or unknown.
    mutating func buildLoadBalancers(_ c: inout CompileContext) {
        let r = c.resolved
        for (vi, vpc) in c.topology.vpcs.enumerated() where !vpc.loadBalancers.isEmpty {
            let v = VPCID(vi)
            for lb in vpc.loadBalancers {
                let index = Int32(loadBalancers.count)
                var groups: [Int32] = []
                for g in lb.securityGroups {
                    if let id = r.securityGroup(named: g), r.securityGroups[id.position].vpc == v, !groups.contains(id.index) { groups.append(id.index) }
                }
                if groups.isEmpty, lb.kind != .network, lb.kind != .gateway, let d = r.vpcs[vi].defaultSecurityGroup { groups = [d.index] }
                let set: Int32 = groups.isEmpty ? -1 : groups.count == 1 ? internSGSet(single: groups[0], &c) : internSGSet(groups, &c)
                var nodes: [InterfaceID] = []
                var seen: [Int32] = []
                for (w, name) in lb.subnets.enumerated() {
                    guard let s = r.subnet(named: name, in: v)?.index, !seen.contains(s) else { continue }
                    seen.append(s)
                    let cidr = subnets[Int(s)].cidr
                    let address = w < lb.addresses.count && cidr.contains(lb.addresses[w]) ? lb.addresses[w]
                        : CompiledTopology.pickAddress(in: cidr, used: &c.usedAddresses)
                    var publicIP: IPv4Address? = nil
                    var known = true
                    if lb.scheme == .internetFacing {
                        if w < lb.publicAddresses.count { publicIP = lb.publicAddresses[w] } else {
                            publicIP = IPv4Address(bits: c.syntheticPublic)
                            c.syntheticPublic &+= 1
                            known = false
                        }
                    }
                    nodes.append(InterfaceID(Int32(interfaces.count)))
                    interfaceNICNames.append("")
                    interfaces.append(CompiledInterface(name: "\(lb.name)@\(subnets[Int(s)].name)",
                                                        awsID: w < lb.interfaceIDs.count ? lb.interfaceIDs[w] : nil, instanceID: nil,
                                                        kind: .loadBalancer(index), subnet: s, vpc: Int32(vi), primaryIP: address,
                                                        secondaryIPs: [], ipv6Addresses: [], publicIP: publicIP, publicIPKnown: known,
                                                        securityGroupSet: set, sourceDestCheck: true, location: lb.location))
                }
                loadBalancers.append(CompiledLoadBalancer(name: lb.name, awsID: lb.id, dnsName: lb.dnsName, kind: lb.kind,
                                                          scheme: lb.scheme, crossZone: lb.crossZoneEnabled, nodes: nodes,
                                                          listeners: lb.listeners, targets: [], vpc: Int32(vi)))
            }
        }
    }

    /// Each listener's targets, once every interface and the address maps exist.
    mutating func resolveLoadBalancerTargets() {
        guard !loadBalancers.isEmpty else { return }
        var byInstance: [String: Int32] = [:]
        for i in interfaces.indices {
            if case .instance(let n) = interfaces[i].kind, interfaces[i].name == n, byInstance[n] == nil { byInstance[n] = Int32(i) }
        }
        for k in loadBalancers.indices {
            let lb = loadBalancers[k]
            let vpc = resolved.topology.vpcs[Int(lb.vpc)]
            guard let model = vpc.loadBalancers.first(where: { $0.name == lb.name }) else { continue }
            var all: [[CompiledLoadBalancerTarget]] = []
            for l in lb.listeners {
                var out: [CompiledLoadBalancerTarget] = []
                if case .instancePort(let port) = l.defaultAction {
                    for t in model.targets { out.append(target(t, group: lb.name, type: .instance, port: port, preserves: false, byInstance, vpc: lb.vpc)) }
                }
                for g in l.targetGroups {
                    guard let group = vpc.targetGroups.first(where: { $0.name == g }) else { continue }
                    let preserves = lb.kind == .network && group.preservesClientIP
                    for t in group.targets {
                        out.append(target(t, group: g, type: group.targetType, port: t.port ?? group.port ?? l.port, preserves: preserves, byInstance, vpc: lb.vpc))
                    }
                }
                all.append(out)
            }
            loadBalancers[k].targets = all
        }
    }

    func target(_ t: LoadBalancerTarget, group: String, type: TargetGroup.TargetType, port: UInt16, preserves: Bool,
                _ byInstance: [String: Int32], vpc: Int32) -> CompiledLoadBalancerTarget {
        var iface: Int32 = -1
        var address: IPv4Address? = nil
        switch type {
        case .instance:
            if let i = byInstance[t.target], interfaces[Int(i)].vpc == vpc { iface = i; address = interfaces[Int(i)].primaryIP }
        case .ip:
            if let a = try? IPv4Address(parsing: Substring(t.target)) {
                address = a
                // An address of the VPC held by an interface is that interface; elsewhere (a peered VPC, on premises) by address.
                for (vi, _) in vpcs.enumerated() where vpcs[vi].contains(.v4(a)) {
                    let owner = privateOwner(vpc: Int32(vi), .v4(a))
                    if owner >= 0 { iface = owner; break }
                }
            }
        case .lambda:
            break
        }
        var zone = t.zone
        if zone == nil, iface >= 0 { zone = subnets[Int(interfaces[Int(iface)].subnet)].availabilityZone }
        return CompiledLoadBalancerTarget(name: t.target, group: group, interface: iface, address: address, port: port, zone: zone,
                                          health: t.health, preservesClientIP: preserves, isLambda: type == .lambda)
    }

    /// The load balancer whose node interface `i` is (nil: no node).
    @inline(__always) func loadBalancer(ofNode i: InterfaceID) -> Int32? {
        guard !loadBalancers.isEmpty, case .loadBalancer(let k) = interfaces[i.position].kind else { return nil }
        return k
    }

    /// A load balancer as a component.
    func loadBalancerComponent(_ k: Int32) -> ComponentRef {
        ComponentRef(kind: .loadBalancer, name: loadBalancers[Int(k)].name, awsID: loadBalancers[Int(k)].awsID)
    }

    /// The address a load balancer named by name carries in its ``ResolvedEndpoint/interface(_:address:)``: 0.0.0.0,
    /// "whichever node DNS gives the client" (``node(of:for:named:address:)`` picks it per query).
    static let anyNodeAddress = IPAddress.v4(IPv4Address(bits: 0))

    /// A query name that denotes a load balancer (its name, AWS id or DNS name): its first node, with
    /// ``anyNodeAddress`` (each query then takes the node in the client's zone). nil: no load balancer of that name.
    func resolveLoadBalancer(_ name: String) -> Result<ResolvedEndpoint, EndpointError>? {
        guard !loadBalancers.isEmpty,
              let k = loadBalancers.firstIndex(where: { $0.name == name || $0.awsID == name || $0.dnsName == name }) else { return nil }
        guard let node = loadBalancers[k].nodes.first else {
            return .failure(EndpointError(text: name, message: "load balancer '\(name)' has no node (none of its subnets is in its VPC)"))
        }
        return .success(.interface(node, address: CompiledTopology.anyNodeAddress))
    }

    /// The node of load balancer `k` a client in `source`'s availability zone reaches through DNS: the node in its
    /// zone, else `node` (the one the query named). [choice] Docs/SEMANTICS.md "Load balancers".
    func node(of k: Int32, for source: ResolvedEndpoint, named node: InterfaceID, address: IPAddress) -> InterfaceID {
        // An address names one node: keep it.
        guard address == CompiledTopology.anyNodeAddress else { return node }
        let zone: String? = switch source {
        case .interface(let i, _): subnets[Int(interfaces[i.position].subnet)].availabilityZone
        case .host(let s, _), .unheld(let s, _): subnets[s.position].availabilityZone
        default: nil
        }
        guard let zone else { return node }
        return loadBalancers[Int(k)].nodes.first { subnets[Int(interfaces[$0.position].subnet)].availabilityZone == zone } ?? node
    }

    /// The open-ports mode (no port) to a load balancer: each listener port of protocol `ipProtocol`, asked as
    /// ``reach(from:to:traffic:sourcePort:sourcePorts:oneWay:)`` asks it, gives the ports some connection gets
    /// through on (partly reachable counts) and the verdict shown: the first fully reachable listener's, else the
    /// first partly reachable one's, else the first's; ``Verdict/listenerAnswers`` holds every listener's answer.
    /// No listener of the protocol: the no-listener verdict. nil when `destination` is no load balancer node or
    /// the protocol has no ports.
    func openPortsThroughLoadBalancer(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, ipProtocol: IPProtocol,
                                      sourcePorts: PortSet) -> (ports: PortSet, verdict: Verdict)? {
        guard !loadBalancers.isEmpty, ipProtocol.hasPorts, case .interface(let i, _) = destination, let k = loadBalancer(ofNode: i),
              let proto = ipProtocol.number else { return nil }
        var ports: [UInt16] = []
        for l in loadBalancers[Int(k)].listeners where l.listenerProtocol.accepts(ipProtocol: proto) && !ports.contains(l.port) {
            ports.append(l.port)
        }
        ports.sort()
        var open = PortSet.empty
        var full: Verdict? = nil
        var partly: Verdict? = nil
        var first: Verdict? = nil
        var answers: [LoadBalancerAnswer] = []
        for p in ports {
            let v = reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: ipProtocol, port: p), sourcePorts: sourcePorts)
            if let a = v.loadBalancer { answers.append(a) }
            if first == nil { first = v }
            if v.state == .reachable, full == nil { full = v }
            if v.state == .partlyReachable, partly == nil { partly = v }
            if v.state != .unreachable { open = open.union(PortSet(port: p)) }
        }
        var shown = full ?? partly ?? first
            ?? reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: ipProtocol, port: nil), sourcePorts: sourcePorts)
        shown.listenerAnswers = answers
        return (open, shown)
    }

    /// "Can `source` reach load balancer node `node` with `traffic`?": the client's leg to the node, the listener,
    /// then each target's leg (Docs/SEMANTICS.md "Load balancers"). Reachable only when the client's leg is and
    /// every target that gets traffic answers: a connection may land on any of them.
    func reachThroughLoadBalancer(_ k: Int32, from source: ResolvedEndpoint, node: InterfaceID, address: IPAddress, traffic: TrafficSpec,
                                  requested: PortSet, oneWay: Bool) -> Verdict {
        let lb = loadBalancers[Int(k)]
        let component = loadBalancerComponent(k)
        let nodeSubnet = interfaces[node.position].subnet
        let zone = subnets[Int(nodeSubnet)].availabilityZone
        var answer = LoadBalancerAnswer(loadBalancer: component, node: interfaces[node.position].name, zone: zone, listener: nil, targets: [])
        let proto = traffic.ipProtocol.number ?? 255
        if lb.kind == .gateway {
            // A GWLB is no destination: packets reach it only through its endpoints (GatewayLoadBalancers.swift).
            let e = Explanation(code: .unsupportedComponent, direction: .forward, component: component,
                                detail: .loadBalancer(loadBalancer: lb.name, problem: .onlyThroughEndpoints,
                                                      traffic: BlockedTraffic(ipProtocol: proto, destinationPorts: traffic.port.map { PortSet(port: $0) }),
                                                      zone: zone))
            // Its one listener (GENEVE 6081), so the answer's line does not read "no listener".
            answer.listener = lb.listeners.first.map { "\($0.listenerProtocol.rawValue) \($0.port)" }
            var v = Verdict.unreachable(e, forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
            v.loadBalancer = answer
            return v
        }
        // The client's leg: a connection that ends at the node.
        var leg1 = reachDirect(from: source, to: .interface(node, address: address), traffic: traffic, sourcePorts: requested, oneWay: oneWay)
        let blocked = BlockedTraffic(ipProtocol: proto, destinationPorts: traffic.port.map { PortSet(port: $0) })
        guard leg1.state != .unreachable else { leg1.loadBalancer = answer; return leg1 }
        guard let port = traffic.port,
              let li = lb.listeners.firstIndex(where: { $0.port == port && $0.listenerProtocol.accepts(ipProtocol: proto) }) else {
            let e = Explanation(code: lb.kind == .classic ? .elbListenerPortRestriction : .elbv2ListenerPortRestriction, direction: .forward,
                                component: component, detail: .loadBalancer(loadBalancer: lb.name, problem: .noListener, traffic: blocked, zone: zone))
            var v = Verdict.unreachable(e, forwardPath: leg1.forwardPath, returnPath: [], requestedSourcePorts: requested, notes: leg1.notes)
            v.loadBalancer = answer
            return v
        }
        let listener = lb.listeners[li]
        answer.listener = "\(listener.listenerProtocol.rawValue) \(listener.port)"
        let arrivedHeader = leg1.forwardPath.last?.header ?? Flow(source: source.address, destination: address, ipProtocol: proto,
                                                                 sourcePorts: requested, destinationPorts: PortSet(port: port))
        var forward = leg1.forwardPath
        forward.append(Hop(component: component, action: .acceptedByListener(loadBalancer: lb.name, listener: answer.listener ?? "",
                                                                           targetGroups: listener.targetGroups), header: arrivedHeader))
        if case .respond = listener.defaultAction, listener.rules.isEmpty {
            var v = leg1
            v.forwardPath = forward
            v.notes.append("listener \(answer.listener ?? "") of \(lb.name) answers itself (fixed response or redirect): no target is involved")
            v.loadBalancer = answer
            return v
        }
        let targets = li < lb.targets.count ? lb.targets[li] : []
        let clientAddress = arrivedHeader.source
        var firstWorking: Verdict? = nil
        var firstFailing: Verdict? = nil
        var eligibleCount = 0
        for t in targets {
            let gets = lb.sends(to: t, fromZone: zone)
            var outcome = LoadBalancerAnswer.TargetOutcome(target: t.name, group: t.group, address: t.address.map { .v4($0) }, port: t.port,
                                                           zone: t.zone, health: t.health, getsTraffic: gets, sourceAddress: nil,
                                                           state: nil, explanation: nil)
            guard gets else { answer.targets.append(outcome); continue }
            eligibleCount += 1
            if t.isLambda {
                outcome.state = .reachable
                answer.targets.append(outcome)
                continue
            }
            let leg2 = targetLeg(k, node: node, target: t, client: clientAddress, ipProtocol: proto, clientPorts: requested, oneWay: oneWay)
            outcome.sourceAddress = t.preservesClientIP ? clientAddress : .v4(interfaces[node.position].primaryIP)
            outcome.state = leg2.state
            outcome.explanation = leg2.explanation
            answer.targets.append(outcome)
            if leg2.state == .reachable { if firstWorking == nil { firstWorking = leg2 } } else if firstFailing == nil { firstFailing = leg2 }
        }
        guard eligibleCount > 0 else {
            let anyInOtherZone = targets.contains { $0.getsTraffic }
            let code: ExplanationCode = lb.kind == .classic && anyInOtherZone ? .elbNotCrossZone : .elbv2NoTargetsInAZ
            let e = Explanation(code: code, direction: .forward, component: component,
                                detail: .loadBalancer(loadBalancer: lb.name, problem: anyInOtherZone ? .noTargetInZone : .noHealthyTarget,
                                                      traffic: blocked, zone: zone))
            var v = Verdict.unreachable(e, forwardPath: forward, returnPath: [], requestedSourcePorts: requested, notes: leg1.notes)
            v.loadBalancer = answer
            return v
        }
        let shown = firstFailing ?? firstWorking
        if let shown {
            if let t = answer.targets.first(where: { $0.state == shown.state && $0.getsTraffic }) {
                forward.append(Hop(component: component, action: .newConnectionToTarget(loadBalancer: lb.name, target: "\(t.target):\(t.port)",
                                                                                       preservesClientIP: t.sourceAddress == clientAddress),
                                   header: shown.forwardPath.first?.header ?? arrivedHeader))
            }
            forward += shown.forwardPath
        }
        var back: [Hop] = []
        if !oneWay, let shown {
            back = shown.returnPath
            if let h = back.last?.header ?? leg1.returnPath.first?.header {
                back.append(Hop(component: component, action: .relayedByLoadBalancer(loadBalancer: lb.name), header: h))
            }
            back += leg1.returnPath
        }
        var notes = leg1.notes
        let working = answer.targets.filter { $0.state == .reachable }.map(\.target)
        notes.append("\(lb.name) sends connections on \(answer.listener ?? "") to \(working.isEmpty ? "no target" : working.joined(separator: ", "))"
                     + (working.count < eligibleCount ? " (\(eligibleCount - working.count) of its \(eligibleCount) targets do not answer)" : ""))
        var v: Verdict
        if let failing = firstFailing, let e = failing.explanation {
            v = .unreachable(e, forwardPath: forward, returnPath: back, requestedSourcePorts: requested, notes: notes)
        } else if leg1.state == .partlyReachable, let e = leg1.explanation {
            v = .partlyReachable(working: leg1.workingSourcePorts, of: requested, explanation: e, forwardPath: forward, returnPath: back,
                                 blockedReturnPath: leg1.blockedReturnPath, notes: notes)
        } else {
            v = .reachable(forwardPath: forward, returnPath: back, sourcePorts: requested, notes: notes)
        }
        v.loadBalancer = answer
        v.internet = leg1.internet
        return v
    }

    /// The node's new connection to target `t`: from the node's address (any port of 1024-65535, as Elastic Load
    /// Balancing picks) or, preserving, from the client's address and ports, the reply walked back to the node.
    func targetLeg(_ k: Int32, node: InterfaceID, target t: CompiledLoadBalancerTarget, client: IPAddress, ipProtocol proto: UInt8,
                   clientPorts: PortSet, oneWay: Bool) -> Verdict {
        let destination: ResolvedEndpoint
        if t.interface >= 0, let a = t.address {
            destination = .interface(InterfaceID(t.interface), address: .v4(a))
        } else if let a = t.address {
            switch resolve(.address(.v4(a))) {
            case .success(let e): destination = e
            case .failure: destination = .internet(.v4(a))
            }
        } else {
            let e = Explanation(code: .noSourceOrDestination, direction: .forward, component: loadBalancerComponent(k),
                                detail: .endpointWithoutAddress(family: .ipv4))
            return .unreachable(e, forwardPath: [], returnPath: [], requestedSourcePorts: clientPorts, notes: [])
        }
        let traffic = TrafficSpec(ipProtocol: IPProtocol.number(proto), port: t.port)
        guard t.preservesClientIP else {
            return reachDirect(from: .interface(node, address: .v4(interfaces[node.position].primaryIP)), to: destination, traffic: traffic,
                               sourcePorts: .ephemeral, oneWay: oneWay)
        }
        // Client-IP preservation: the node sends the client's packet on to the target; a target that is the
        // client sees its own address as the source and drops the packet (AWS: hairpin is not supported).
        if client == destination.address {
            let lb = loadBalancers[Int(k)]
            let e = Explanation(code: .elbv2SourceAddressPreservation, direction: .forward, component: loadBalancerComponent(k),
                                detail: .loadBalancer(loadBalancer: lb.name, problem: .hairpin,
                                                      traffic: BlockedTraffic(ipProtocol: proto, destinationPorts: PortSet(port: t.port)),
                                                      zone: subnets[Int(interfaces[node.position].subnet)].availabilityZone))
            return .unreachable(e, forwardPath: [], returnPath: [], requestedSourcePorts: clientPorts, notes: [])
        }
        var flow = Flow(source: client, destination: destination.address, ipProtocol: proto, sourcePorts: clientPorts,
                        destinationPorts: PortSet(port: t.port))
        var sink = ConnectionRecorder()
        var ctx = WalkContext(direction: .forward)
        ctx.recordVisited = true
        ctx.sendsForClient = true
        let nodeSubnet = interfaces[node.position].subnet
        let outcome = walk(&flow, from: .send(eni: node.index, subnet: nodeSubnet), context: &ctx, sink: &sink)
        let forwardHops = sink.hops
        sink.hops = []
        let delivered: Flow
        switch checkArrival(outcome, flow: flow, at: destination) {
        case .failure(let block):
            return .unreachable(explanation(block, flow: flow, direction: .forward), forwardPath: forwardHops, returnPath: [],
                                requestedSourcePorts: clientPorts, notes: [])
        case .success(let f): delivered = f
        }
        if oneWay { return .reachable(forwardPath: forwardHops, returnPath: [], sourcePorts: clientPorts, notes: []) }
        // The reply goes back to the node (the load balancer tracks the flow), through both subnets' NACLs with the
        // client's address, as AWS sees it.
        var reply = delivered.reply
        var rctx = WalkContext(replyAfter: ctx)
        guard case .interface(let ti, _) = destination else {
            return .reachable(forwardPath: forwardHops, returnPath: [], sourcePorts: clientPorts, notes: [])
        }
        let targetSubnet = interfaces[ti.position].subnet
        let block = replyToLoadBalancerNode(from: ti.index, node: node.index, &reply, &rctx, &sink)
        let returnHops = sink.hops
        if let block {
            return .unreachable(explanation(block, flow: reply, direction: .return), forwardPath: forwardHops, returnPath: returnHops,
                                requestedSourcePorts: clientPorts, notes: [])
        }
        let working = reply.destinationPorts.intersection(clientPorts)
        if !IPProtocol.hasPorts(proto) || working == clientPorts {
            return .reachable(forwardPath: forwardHops, returnPath: returnHops, sourcePorts: clientPorts, notes: [])
        }
        let e = Explanation(code: .subnetACLRestriction, direction: .return, component: subnetComponent(targetSubnet),
                            detail: .replyDeniedForClientPorts(ports: clientPorts.subtracting(working)))
        return .partlyReachable(working: working, of: clientPorts, explanation: e, forwardPath: forwardHops, returnPath: returnHops,
                                blockedReturnPath: [], notes: [])
    }
}

extension CompiledTopology {
    /// The reply of a connection preserving NLB node `node` delivered to target interface `target`: back to the
    /// node whatever the target's routes say (the load balancer tracks the flow), out of the target (its groups,
    /// unless tracked), through the target subnet's outbound and the node subnet's inbound NACL (none within one
    /// subnet), into the node. nil: it arrived; else where it stopped. `vpckit reach` and the flow-log replay share it.
    func replyToLoadBalancerNode<S: TraceSink>(from target: Int32, node: Int32, _ reply: inout Flow, _ ctx: inout WalkContext,
                                               _ sink: inout S) -> Block? {
        let targetSubnet = interfaces[Int(target)].subnet, nodeSubnet = interfaces[Int(node)].subnet
        if case .done(let end)? = leaveInterface(target, vpc: interfaces[Int(target)].vpc, &reply, &ctx, &sink), case .blocked(let b) = end {
            return b
        }
        if targetSubnet != nodeSubnet {
            if let b = naclCheck(subnet: targetSubnet, inbound: false, receiver: -1, &reply, &ctx, &sink) { return b }
            if let b = naclCheck(subnet: nodeSubnet, inbound: true, receiver: node, &reply, &ctx, &sink) { return b }
        } else {
            flushEgress(&ctx, &sink, reply)
        }
        if S.observesInterfaces { sink.observe(interface: node, egress: false, accept: true, flow: reply) }
        return nil
    }
}

extension ReachMessages {
    /// The text form of a load balancer answer: the node and listener, then one line per target:
    /// `  web-1:8080 (web-tg, us-east-1a, from 10.0.0.50): reachable`, `  web-2:8080 (web-tg): gets no traffic (unhealthy)`.
    public static func lines(_ a: LoadBalancerAnswer) -> [String] {
        var out = ["load balancer \(a.loadBalancer.name): node \(a.node)" + (a.zone.map { " (\($0))" } ?? "")
                   + (a.listener.map { ", listener \($0)" } ?? ", no listener")]
        for t in a.targets {
            var facts = [t.group]
            if let z = t.zone { facts.append(z) }
            if let s = t.sourceAddress { facts.append("from \(s)") }
            var line = "  target \(t.target):\(t.port) (\(facts.joined(separator: ", "))): "
            if !t.getsTraffic {
                line += "gets no traffic (" + (t.health.map { $0 == .healthy ? "other availability zone, cross-zone off" : $0.rawValue }
                                              ?? "other availability zone, cross-zone off") + ")"
            } else if let state = t.state {
                line += state.description + (t.explanation.map { ": \($0.code.rawValue) at \($0.component)" } ?? "")
            }
            out.append(line)
        }
        return out
    }
}
