import IPAddressing
import NetworkModel

// The walk: one direction of a flow, hop by hop, over the compiled data plane (the types it uses are in Trace.swift).

extension CompiledTopology {
    /// Walks one direction of a flow from `start` until it is delivered, leaves for the internet or is blocked.
    func walk<S: TraceSink>(_ flow: inout Flow, from start: Position, context ctx: inout WalkContext, sink: inout S) -> WalkOutcome {
        var position = start
        while true {
            ctx.steps += 1
            if ctx.steps > 64 {
                return .blocked(Block(code: .routingLoop, site: .internet))
            }
            let step: Step
            switch position {
            case .send(let eni, let subnet): step = sendStep(eni: eni, subnet: subnet, &flow, &ctx, &sink)
            case .internet: step = internetStep(&flow, &ctx, &sink)
            case .fromGatewayEndpoint(let g): step = gatewayEndpointReplyStep(g, &flow, &ctx, &sink)
            case .onPremises(let edge): step = onPremisesStep(edge: edge, &flow, &ctx, &sink)
            }
            switch step {
            case .next(let p): position = p
            case .done(let outcome):
                // A connection's reply must pass every Gateway Load Balancer endpoint its request passed.
                if ctx.forwardGWLBEndpoints.count > 0, let b = gwlbBypassBlock(outcome, ctx) { return .blocked(b) }
                return outcome
            }
        }
    }

    // MARK: Sending from an interface (or a plain address) in a subnet

    /// One hop out of a subnet: the sender's checks, then delivery within the subnet or the route table's
    /// choice and the target it names. Each part is a named step below, inlined into this one.
    func sendStep<S: TraceSink>(eni a: Int32, subnet s: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let sub = subnetHot[Int(s)]
        let vpc = sub.vpc
        if a >= 0 {
            if let end = leaveInterface(a, vpc: vpc, &flow, &ctx, &sink) { return end }
        } else {
            ctx.senderIdentity = -1
        }
        if subnetContains(s, sub, flow.destination) { return deliverWithinSubnet(s, vpc: vpc, &flow, &ctx, &sink) }
        let t: Int32, route: Int32, target: HotRouteTarget
        switch lookUpRoute(subnet: s, sub, &flow, &ctx, &sink) {
        case .end(let step): return step
        case .route(let table, let r, let tgt): (t, route, target) = (table, r, tgt)
        }
        let translatedBy = ctx.natSecondLookup
        ctx.natSecondLookup = -1
        switch target {
        case .blackhole, .unresolved:
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .badStateRoute, site: .routeTable(t, route: route))))
        case .unmodelled:
            // The packet leaves the subnet toward the target, so the subnet's outbound NACL applies (a deny there is
            // a proven block); then it leaves what the model can follow: never reachable, never proven blocked.
            if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            return .done(.blocked(Block(code: .unsupportedComponent, site: .routeTable(t, route: route))))
        case .local: return deliverThroughLocalRoute(from: s, vpc: vpc, &flow, &ctx, &sink)
        case .interface(let f): return sendToInterfaceTarget(f, from: a, subnet: s, table: t, route: route, &flow, &ctx, &sink)
        case .natGateway(let n): return sendToNATGateway(n, from: a, subnet: s, table: t, route: route, translatedBy: translatedBy, &flow, &ctx, &sink)
        case .internetGateway: return igwEgress(vpc: vpc, subnet: s, &flow, &ctx, &sink)
        case .egressOnlyGateway: return sendToEgressOnlyGateway(subnet: s, vpc: vpc, table: t, route: route, &flow, &ctx, &sink)
        case .peering(let p): return sendThroughPeering(p, subnet: s, vpc: vpc, table: t, route: route, &flow, &ctx, &sink)
        case .transitGateway(let tg): return sendToTransitGateway(tg, subnet: s, sub, vpc: vpc, table: t, route: route, &flow, &ctx, &sink)
        case .gatewayEndpoint(let g): return sendToGatewayEndpoint(g, from: a, subnet: s, vpc: vpc, &flow, &ctx, &sink)
        case .gatewayLoadBalancerEndpoint(let g): return sendToGWLBEndpoint(g, from: a, subnet: s, table: t, route: route, &flow, &ctx, &sink)
        case .vpnGateway(let g): return sendToVPNGateway(g, subnet: s, vpc: vpc, table: t, route: route, &flow, &ctx, &sink)
        }
    }

    /// The sending interface's side: source/destination check and egress security groups (or the tracked
    /// connection), and who the packet's sender now is. nil: the packet leaves; else the walk's end.
    @inline(__always)
    func leaveInterface<S: TraceSink>(_ a: Int32, vpc: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step? {
        let iface = interfaceHot[Int(a)]
        if iface.hasGroups {
            let forwarded = !owns(a, flow.source)
            if forwarded && iface.sourceDestCheck && !ctx.sendsForClient {
                if S.observesInterfaces { sink.observe(interface: a, egress: true, accept: false, flow: flow) }
                return .done(.blocked(Block(code: .eniSourceDestCheckRestriction, site: .interface(a))))
            }
            if !ctx.isTracked(a) {
                let r = iface.securityGroupSet < 0 ? FilterResult(passed: flow.ruleKeys, decidingRule: nil, denyingRule: nil)
                    : evaluateSecurityGroupRules(iface.sgEgress, vpc: vpc, ipProtocol: flow.ipProtocol, remote: flow.destination,
                                                 ports: flow.ruleKeys)
                ctx.egressReferencePending = false
                if !r.passed.isEmpty && iface.securityGroupSet >= 0 && sgSetHot[Int(iface.securityGroupSet)].egressCrossVPCReferences {
                    // What passes without references to other VPCs' groups: those hold only if the packet's path
                    // carries group identity (a peering, or a transit gateway with referencing), checked on the way.
                    let local = evaluateSecurityGroupRules(iface.sgEgress, vpc: vpc, ipProtocol: flow.ipProtocol, remote: flow.destination,
                                                           ports: flow.ruleKeys, sender: CompiledTopology.sameVPCReferencesOnly)
                    if local.passed != r.passed {
                        ctx.egressReferencePending = true
                        ctx.egressLocalKeys = local.passed
                        ctx.egressReferenceSender = a
                    }
                }
                if r.passed.isEmpty {
                    if S.observesInterfaces { sink.observe(interface: a, egress: true, accept: false, flow: flow) }
                    let empty = iface.securityGroupSet >= 0 && sgSetHot[Int(iface.securityGroupSet)].egress.count == 0
                    let block = Block(code: empty ? .sgHasNoRules : .eniSGRulesMismatch, site: .securityGroups(interface: a, ingress: false))
                    guard S.explains else { return .done(.blocked(block)) }
                    // Explaining: note it and go on as if the groups allowed the packet.
                    sink.noteBlock(block, flow, direction: ctx.direction, sender: ctx.senderIdentity)
                } else {
                    flow.narrow(to: r.passed)
                }
                if sink.recordsHops {
                    sink.hop(Hop(component: securityGroupComponent(iface.securityGroupSet, rule: r.decidingRule, ingress: false),
                                 action: .egressAllowed, rule: sgRuleRef(iface.securityGroupSet, r.decidingRule, ingress: false),
                                 header: flow.header))
                }
            } else if sink.recordsHops {
                sink.hop(Hop(component: interfaceComponent(a), action: .egressTracked, header: flow.header))
            }
            ctx.visit(a)
            ctx.lastTGWAttachment = -1
            ctx.senderIdentity = a
        } else if iface.kind == 1 {
            ctx.senderIdentity = -1
        }
        ctx.pendingEgress = a
        return nil
    }

    /// Layer 2 within the subnet: no route table, no NACL.
    @inline(__always)
    func deliverWithinSubnet<S: TraceSink>(_ s: Int32, vpc: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        flushEgress(&ctx, &sink, flow)
        if sink.recordsHops {
            sink.hop(Hop(component: subnetComponent(s), action: .sameSubnet, header: flow.header))
        }
        if case let b = privateOwner(vpc: vpc, flow.destination), b >= 0 {
            return arrive(b, &flow, &ctx, &sink)
        }
        return deliverUnheld(subnet: s, flow, ctx)
    }

    /// The subnet's route table: the winning route (IPv4 from the table's interval list, IPv6 from its LPM
    /// table) and its target, recorded as a `routeLookup` step; the walk's end when no route matches.
    @inline(__always)
    func lookUpRoute<S: TraceSink>(subnet s: Int32, _ sub: SubnetHot, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> RouteChoice {
        let t = sub.routeTable
        let matchedRoute: Int32, target: HotRouteTarget
        if case .v4(let d) = flow.destination {
            let hit = routeInterval(sub.routes, d)
            matchedRoute = hit.route
            target = hit.target
        } else if let m = routeTables[Int(t)].lpm.lookup(flow.destination) {
            matchedRoute = m.value
            target = routeTargetHot[Int(routeTableBase[Int(t)]) + Int(m.value)]
        } else {
            matchedRoute = -1
            target = .unresolved
        }
        guard matchedRoute >= 0 else {
            flushEgress(&ctx, &sink, flow)
            if let b = withdrawnRouteBlock(routeTables[Int(t)].withdrawn, flow.destination) { return .end(.done(.blocked(b))) }
            return .end(.done(.blocked(Block(code: .noRouteToDestination, site: .routeTable(t, route: -1)))))
        }
        if sink.recordsHops {
            let route = routeTables[Int(t)].routes[Int(matchedRoute)]
            sink.hop(Hop(component: routeTableComponent(t), action: .routeLookup,
                         rule: RuleRef(text: route.text, location: route.location), header: flow.header))
        }
        return .route(table: t, route: matchedRoute, target: target)
    }

    /// The `local` route: to the interface (or unheld address) in another subnet of the VPC, through both subnets' NACLs.
    @inline(__always)
    func deliverThroughLocalRoute<S: TraceSink>(from s: Int32, vpc: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let ds = subnetOf(vpc: vpc, flow.destination)
        guard ds >= 0 else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .noPossibleDestination, site: .vpc(vpc))))
        }
        let owner = privateOwner(vpc: vpc, flow.destination)
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if let b = naclCheck(subnet: ds, inbound: true, receiver: owner, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if owner >= 0 { return arrive(owner, &flow, &ctx, &sink) }
        return deliverUnheld(subnet: ds, flow, ctx)
    }

    /// A route to an interface (an appliance): through the NACLs when it is in another subnet.
    @inline(__always)
    func sendToInterfaceTarget<S: TraceSink>(_ f: Int32, from a: Int32, subnet s: Int32, table t: Int32, route: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        if f == a {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .routingLoop, site: .routeTable(t, route: route))))
        }
        let fs = interfaceHot[Int(f)].subnet
        if fs != s {
            if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            if let b = naclCheck(subnet: fs, inbound: true, receiver: f, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        } else {
            flushEgress(&ctx, &sink, flow)
        }
        return arrive(f, &flow, &ctx, &sink)
    }

    /// A route to a NAT gateway (not the one that just translated the packet: §13.5).
    @inline(__always)
    func sendToNATGateway<S: TraceSink>(_ n: Int32, from a: Int32, subnet s: Int32, table t: Int32, route: Int32, translatedBy: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        if n == translatedBy || n == a {
            // [choice] Docs/AWS-BEHAVIOUR.md §13.5: a route back to the same NAT gateway counts as none.
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .noRouteToDestination, site: .routeTable(t, route: route))))
        }
        let ns = interfaceHot[Int(n)].subnet
        if ns != s {
            if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            if let b = naclCheck(subnet: ns, inbound: true, receiver: n, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        } else {
            flushEgress(&ctx, &sink, flow)
        }
        return arrive(n, &flow, &ctx, &sink)
    }

    /// A route to the egress-only internet gateway: IPv6 from the VPC, outbound-initiated only.
    @inline(__always)
    func sendToEgressOnlyGateway<S: TraceSink>(subnet s: Int32, vpc: Int32, table t: Int32, route: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        guard case .v6(let src) = flow.source else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .badStateRoute, site: .routeTable(t, route: route))))
        }
        guard privateOwner(vpc: vpc, .v6(src)) >= 0 || vpcContains(vpc, flow.source) else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .gatewayRejectsSpoofedTraffic, site: .egressOnlyGateway(vpc: vpc))))
        }
        if ctx.useTrackedSet && ctx.direction == .return && ctx.forwardEgressOnlyVPC != vpc {
            // The flow was initiated from outside: the egress-only gateway has no state for it.
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .egressOnlyGatewayInbound, site: .egressOnlyGateway(vpc: vpc))))
        }
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        ctx.egressOnlyVPC = vpc
        if sink.recordsHops {
            sink.hop(Hop(component: gatewayComponent(vpc, egressOnly: true), action: .toInternetEgressOnly, header: flow.header))
        }
        return .next(.internet)
    }

    /// A route to a VPC peering: not transitive, then into the peer VPC's subnet.
    @inline(__always)
    func sendThroughPeering<S: TraceSink>(_ p: Int32, subnet s: Int32, vpc: Int32, table t: Int32, route: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        guard let other = peerings[Int(p)].other(than: vpc) else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .badStateRoute, site: .routeTable(t, route: route))))
        }
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        // No transitive routing, no edge-to-edge: source in the VPC it leaves, destination in the one it enters.
        guard vpcContains(other, flow.destination), vpcContains(vpc, flow.source) else {
            return .done(.blocked(Block(code: .pcxRequiresAddressInVPCCIDR, site: .peering(p))))
        }
        if sink.recordsHops {
            sink.hop(Hop(component: peeringComponent(p), action: .crossedPeering(vpc: vpcs[Int(other)].name), header: flow.header))
        }
        let ds = subnetOf(vpc: other, flow.destination)
        guard ds >= 0 else {
            return .done(.blocked(Block(code: .noPossibleDestination, site: .vpc(other))))
        }
        let owner = privateOwner(vpc: other, flow.destination)
        if let b = naclCheck(subnet: ds, inbound: true, receiver: owner, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if owner >= 0 { return arrive(owner, &flow, &ctx, &sink) }
        return deliverUnheld(subnet: ds, flow, ctx)
    }

    /// A route to a transit gateway: through the VPC's attachment interface in the sender's AZ.
    @inline(__always)
    func sendToTransitGateway<S: TraceSink>(_ tg: Int32, subnet s: Int32, _ sub: SubnetHot, vpc: Int32, table t: Int32, route: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let att = attachmentMap.find(UInt64(UInt32(bitPattern: tg)) << 32 | UInt64(UInt32(bitPattern: vpc)))
        guard att >= 0 else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .badStateRoute, site: .routeTable(t, route: route))))
        }
        let zone = sub.zone
        let slice = attachmentHot[Int(att)].subnets
        var found = -1
        for k in Int(slice.start)..<Int(slice.start + slice.count) {
            let z = attachmentSubnetHot[k].zone
            if zone < 0 || z < 0 || z == zone { found = k; break }
        }
        guard found >= 0 else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .tgwRouteAZRestriction, site: .tgwAttachment(att))))
        }
        let e = attachmentSubnetHot[found].interface
        // A packet handed to a TGW ENI passes NACLs even within one subnet (Docs/AWS-BEHAVIOUR.md §6).
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if let b = naclCheck(subnet: attachmentSubnetHot[found].subnet, inbound: true, receiver: e, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        return arrive(e, &flow, &ctx, &sink)
    }

    // MARK: Arriving at an interface

    func arrive<S: TraceSink>(_ b: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let iface = interfaceHot[Int(b)]
        switch iface.kind {
        case 0, 3, 4:
            // An instance ENI, or an interface endpoint's (its groups decide; source/destination check on, so
            // it never forwards).
            let forwarded = !owns(b, flow.destination)
            if forwarded && ctx.direction == .return && ctx.useTrackedSet && !ctx.trackedSet.contains(b) && ctx.lastTGWAttachment >= 0
                && !attachmentHot[Int(ctx.lastTGWAttachment)].applianceMode {
                // The reply met an appliance that never saw the request: the TGW kept the reply in its own AZ.
                if S.observesInterfaces { sink.observe(interface: b, egress: false, accept: false, flow: flow) }
                return .done(.blocked(Block(code: .tgwAttachVPCAZRestriction, site: .tgwAttachment(ctx.lastTGWAttachment))))
            }
            if !ctx.isTracked(b) {
                let r = iface.securityGroupSet < 0 ? FilterResult(passed: flow.ruleKeys, decidingRule: nil, denyingRule: nil)
                    : evaluateSecurityGroupRules(iface.sgIngress, vpc: iface.vpc, ipProtocol: flow.ipProtocol, remote: flow.source,
                                                 ports: flow.ruleKeys, sender: ctx.senderIdentity)
                if r.passed.isEmpty {
                    if S.observesInterfaces { sink.observe(interface: b, egress: false, accept: false, flow: flow) }
                    let empty = iface.securityGroupSet >= 0 && sgSetHot[Int(iface.securityGroupSet)].ingress.count == 0
                    let block = Block(code: empty ? .sgHasNoRules : .eniSGRulesMismatch, site: .securityGroups(interface: b, ingress: true))
                    guard S.explains else { return .done(.blocked(block)) }
                    sink.noteBlock(block, flow, direction: ctx.direction, sender: ctx.senderIdentity)
                } else {
                    flow.narrow(to: r.passed)
                }
                if sink.recordsHops {
                    sink.hop(Hop(component: securityGroupComponent(iface.securityGroupSet, rule: r.decidingRule, ingress: true),
                                 action: .ingressAllowed, rule: sgRuleRef(iface.securityGroupSet, r.decidingRule, ingress: true),
                                 header: flow.header))
                }
            }
            if forwarded && iface.sourceDestCheck {
                if S.observesInterfaces { sink.observe(interface: b, egress: false, accept: false, flow: flow) }
                return .done(.blocked(Block(code: .eniSourceDestCheckRestriction, site: .interface(b))))
            }
            if S.observesInterfaces { sink.observe(interface: b, egress: false, accept: true, flow: flow) }
            if iface.kind == 3 && !forwarded && ctx.direction == .forward && flow.ipProtocol != IPProtocol.tcpNumber,
               case .vpcEndpoint(let e) = interfaces[Int(b)].kind {
                // §10 [choice]: an interface endpoint carries TCP only. Its groups admitted the packet (the ENI's
                // record says ACCEPT, as for an instance with nothing listening); the service drops it.
                return .done(.blocked(Block(code: .protocolRestriction, site: .vpcEndpoint(e.index))))
            }
            ctx.visit(b)
            if !forwarded {
                if sink.recordsHops { sink.hop(Hop(component: interfaceComponent(b), action: .delivered, header: flow.header)) }
                return .done(.deliveredToInterface(b))
            }
            // An appliance forwards: out of the interface of the same instance whose subnet holds the destination,
            // else out of the interface it arrived on.
            var out = b
            if case .instance(let name) = interfaces[Int(b)].kind {
                for (i, other) in interfaces.enumerated() where Int32(i) != b && other.vpc == iface.vpc {
                    if case .instance(let n2) = other.kind, n2 == name, subnets[Int(other.subnet)].contains(flow.destination) {
                        out = Int32(i)
                        break
                    }
                }
            }
            if sink.recordsHops { sink.hop(Hop(component: interfaceComponent(b), action: .forwardedByAppliance, header: flow.header)) }
            return .next(.send(eni: out, subnet: interfaces[Int(out)].subnet))

        case 1:
            if S.observesInterfaces { sink.observe(interface: b, egress: false, accept: true, flow: flow) }
            if flow.destination == .v4(iface.primaryIP) {
                let before = flow
                guard sink.natReverse(nat: b, flow: &flow) else {
                    return .done(.blocked(Block(code: .noPossibleDestination, site: .natGateway(b))))
                }
                if case .v6 = flow.destination, case .v4(let src) = flow.source {
                    // NAT64's reply: the IPv4 source is written back into the well-known prefix 64:ff9b::/96, and
                    // ICMP echo messages become ICMPv6 ones (echo reply 0 -> 129, echo request 8 -> 128).
                    flow.source = .v6(IPv6Address(bits: CompiledTopology.nat64Prefix | UInt128(src.bits)))
                    if flow.ipProtocol == IPProtocol.icmpNumber {
                        flow.ipProtocol = 58
                        let t = UInt8(truncatingIfNeeded: flow.icmpTypeCode >> 8)
                        flow.icmpTypeCode = icmpKey(type: t == 0 ? 129 : t == 8 ? 128 : t, code: UInt8(truncatingIfNeeded: flow.icmpTypeCode))
                    }
                }
                if sink.recordsHops {
                    sink.hop(Hop(component: interfaceComponent(b), action: .replyTranslatedBack,
                                 translation: .destination(AddressRewrite(
                                    from: TranslatedAddress(address: before.destination, ports: before.hasPorts && flow.hasPorts ? before.destinationPorts : nil),
                                    to: TranslatedAddress(address: flow.destination, ports: before.hasPorts && flow.hasPorts ? flow.destinationPorts : nil))),
                                 header: flow.header))
                }
                return .next(.send(eni: b, subnet: iface.subnet))
            }
            if ctx.useTrackedSet && ctx.direction == .return {
                // A connection's reply routed into a NAT gateway is translated like any new packet: it leaves with
                // the gateway's address as its source and no longer belongs to the connection.
                return .done(.blocked(Block(code: .ngwSourceAddressReassign, site: .natGateway(b))))
            }
            // NAT64: an IPv6 TCP/UDP packet or ICMPv6 echo to 64:ff9b::/96 leaves as IPv4 to the embedded address.
            var nat64 = false
            if case .v6(let d) = flow.destination, d.bits >> 32 == CompiledTopology.nat64Prefix >> 32 {
                let icmpEcho = flow.ipProtocol == IPProtocol.icmpv6Number && (flow.icmpTypeCode >> 8 == 128 || flow.icmpTypeCode >> 8 == 129)
                if IPProtocol.hasPorts(flow.ipProtocol) || icmpEcho { nat64 = true }
            }
            guard nat64 || ((IPProtocol.hasPorts(flow.ipProtocol) || flow.ipProtocol == IPProtocol.icmpNumber) && flow.destination.family == .ipv4) else {
                return .done(.blocked(Block(code: .protocolRestriction, site: .natGateway(b))))
            }
            guard vpcContains(iface.vpc, flow.source) || ctx.lastTGWAttachment >= 0 else {
                return .done(.blocked(Block(code: .ngwRequiresSourceInVPC, site: .natGateway(b))))
            }
            let original = flow
            if nat64, case .v6(let d) = flow.destination {
                flow.destination = .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: d.bits)))
                if flow.ipProtocol == IPProtocol.icmpv6Number {
                    // ICMPv6 echo becomes ICMP echo (request 128 -> 8, reply 129 -> 0).
                    flow.ipProtocol = 1
                    flow.icmpTypeCode = icmpKey(type: flow.icmpTypeCode >> 8 == 128 ? 8 : 0, code: UInt8(truncatingIfNeeded: flow.icmpTypeCode))
                }
            }
            flow.source = .v4(iface.primaryIP)
            sink.natTranslate(nat: b, original: original, flow: &flow)
            if sink.recordsHops {
                sink.hop(Hop(component: interfaceComponent(b), action: nat64 ? .translatedNAT64 : .sourceTranslated,
                             translation: natTranslation(original: original, translated: flow, nat64: nat64),
                             header: flow.header))
            }
            ctx.natSecondLookup = b
            return .next(.send(eni: b, subnet: iface.subnet))

        default:
            let att = iface.attachment
            if S.observesInterfaces { sink.observe(interface: b, egress: false, accept: true, flow: flow) }
            if owns(b, flow.destination) {
                // Addressed to the attachment's own interface: it forwards for the transit gateway and serves nothing.
                return .done(.blocked(Block(code: .noPossibleDestination, site: .tgwAttachment(att))))
            }
            let table = attachmentHot[Int(att)].associatedRouteTable
            guard table >= 0 else {
                return .done(.blocked(Block(code: .tgwAttachMissingTGWRTBAssociation, site: .tgwAttachment(att))))
            }
            return forwardThroughTGW(table: table, zone: subnetHot[Int(iface.subnet)].zone, &flow, &ctx, &sink)
        }
    }

    /// A transit gateway's forwarding from route table `table` (the one associated with the attachment the packet
    /// came in through) for a packet from availability zone `zone` (-1: none, from on-premises).
    func forwardThroughTGW<S: TraceSink>(table first: Int32, zone: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
            var table = first
            var dst: Int32 = -1
            // Each TGW peering crossed looks up again in the far TGW's table for the peering attachment (bounded).
            for _ in 0..<8 {
                guard let match = tgwRouteTables[Int(table)].lpm.lookup(flow.destination) else {
                    if let b = withdrawnRouteBlock(tgwRouteTables[Int(table)].withdrawn, flow.destination) { return .done(.blocked(b)) }
                    return .done(.blocked(Block(code: .noRouteToDestination, site: .tgwRouteTable(table, route: -1))))
                }
                if sink.recordsHops {
                    let route = tgwRouteTables[Int(table)].routes[Int(match.value)]
                    sink.hop(Hop(component: tgwRouteTableComponent(table), action: .transitGatewayRouteLookup,
                                 rule: RuleRef(text: route.text, location: route.location), header: flow.header))
                }
                dst = tgwTargetHot[Int(tgwTableBase[Int(table)]) + Int(match.value)]
                if dst == -1 {
                    return .done(.blocked(Block(code: .tgwRTBBadStateRoute, site: .tgwRouteTable(table, route: match.value))))
                }
                guard dst < -1 else { break }
                // An edge attachment (VPN, DX gateway, peering): only topologies with edges have one.
                switch tgwEdgeStep(-2 - dst, table: table, route: match.value, &flow, &ctx, &sink) {
                case .next(let far): table = far
                case .end(let step): return step
                }
            }
            guard dst >= 0 else { return .done(.blocked(Block(code: .routingLoop, site: .tgwRouteTable(table, route: -1)))) }
            let dstSlice = attachmentHot[Int(dst)].subnets
            let count = Int(dstSlice.count)
            guard count > 0 else {
                return .done(.blocked(Block(code: .noPossibleDestination, site: .tgwAttachment(dst))))
            }
            var k: Int
            if attachmentHot[Int(dst)].applianceMode {
                k = Int(CompiledTopology.symmetricHash(flow) % UInt64(count))
            } else {
                k = 0
                for j in 0..<count where attachmentSubnetHot[Int(dstSlice.start) + j].zone == zone { k = j; break }
            }
            let e = attachmentSubnetHot[Int(dstSlice.start) + k].interface
            let eSubnet = attachmentSubnetHot[Int(dstSlice.start) + k].subnet
            if !transitGateways[Int(tgwRouteTables[Int(table)].transitGateway)].securityGroupReferencing {
                // Without security-group referencing the transit gateway carries no group identity (Docs/AWS-BEHAVIOUR.md §6).
                ctx.senderIdentity = -1
                if ctx.egressReferencePending {
                    ctx.egressReferencePending = false
                    let keep = flow.ruleKeys.intersection(ctx.egressLocalKeys)
                    if keep.isEmpty {
                        let block = Block(code: .sgReferencingSupport, site: .securityGroups(interface: ctx.egressReferenceSender, ingress: false))
                        guard S.explains else { return .done(.blocked(block)) }
                        sink.noteBlock(block, flow, direction: ctx.direction, sender: ctx.senderIdentity)
                    } else {
                        flow.narrow(to: keep)
                    }
                }
            } else {
                ctx.egressReferencePending = false
            }
            ctx.lastTGWAttachment = dst
            if sink.recordsHops {
                sink.hop(Hop(component: attachmentComponent(dst), action: .transitGatewayDelivered(vpc: vpcs[Int(tgwAttachments[Int(dst)].vpc)].name, subnet: subnets[Int(eSubnet)].name),
                             header: flow.header))
            }
            return .next(.send(eni: e, subnet: eSubnet))
    }

    /// No route is left for `destination` but BGP withdrew one (its edge is down, Docs/SEMANTICS.md "Withdrawn
    /// routes"): the block names that edge — the longest withdrawn prefix holding the destination — as the route
    /// to it would have (`TGW_BAD_STATE_VPN` on a TGW; at a VGW `BAD_STATE_VPN`, or `BAD_STATE` for Direct
    /// Connect). nil when nothing withdrawn holds it.
    func withdrawnRouteBlock(_ withdrawn: [WithdrawnRoute], _ destination: IPAddress) -> Block? {
        guard !withdrawn.isEmpty, case .v4(let d) = destination else { return nil }
        var best: WithdrawnRoute?
        for w in withdrawn where w.prefix.contains(d) && Int(w.edge) < edgePlane.edges.count {
            if let b = best, b.prefix.length >= w.prefix.length { continue }
            best = w
        }
        guard let w = best else { return nil }
        let e = edgePlane.edges[Int(w.edge)]
        let vpn = e.kind == .vpnConnection
        let code: ExplanationCode = e.vpc < 0 ? .tgwBadStateVPN : vpn ? .badStateVPN : .badState
        return Block(code: code, site: .edge(vpc: e.vpc, edge: w.edge, problem: vpn ? .tunnelsDown : .interfaceDown))
    }

    /// A NAT gateway's translation of `original` into `translated`: the source (with ports when the packet has
    /// them) and, for NAT64, the destination (address only).
    func natTranslation(original: Flow, translated: Flow, nat64: Bool) -> Translation {
        let source = AddressRewrite(from: TranslatedAddress(address: original.source, ports: original.hasPorts ? original.sourcePorts : nil),
                                    to: TranslatedAddress(address: translated.source, ports: original.hasPorts ? translated.sourcePorts : nil))
        guard nat64 else { return .source(source) }
        return .sourceAndDestination(source: source, destination: AddressRewrite(from: TranslatedAddress(address: original.destination),
                                                                                 to: TranslatedAddress(address: translated.destination)))
    }
}
