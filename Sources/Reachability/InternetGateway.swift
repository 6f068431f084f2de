import IPAddressing
import NetworkModel

/// The walk's internet side: leaving through an internet gateway, and arriving from the internet at a
/// public address (Docs/AWS-BEHAVIOUR.md §3). Part of ``CompiledTopology/walk(_:from:context:sink:)`` (Trace.swift).
extension CompiledTopology {
    // MARK: Internet gateways

    func igwEgress<S: TraceSink>(vpc: Int32, subnet s: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        switch (flow.source, flow.destination) {
        case (.v4(let src), .v4(let dst)):
            if isRFC1918(dst) || isRFC6598(dst) {
                flushEgress(&ctx, &sink, flow)
                return .done(.blocked(Block(code: isRFC1918(dst) ? .igwDestinationAddressNotInRFC1918Egress : .igwDestinationAddressNotInRFC6598Egress,
                                            site: .internetGateway(vpc: vpc))))
            }
            var publicIP: IPv4Address? = nil
            if case let owner = privateOwner4.find(CompiledTopology.addressKey(vpc, src)), owner >= 0, interfaceHot[Int(owner)].primaryIP == src,
               interfaceHot[Int(owner)].publicIP != 0 {
                publicIP = IPv4Address(bits: interfaceHot[Int(owner)].publicIP)
            }
            guard let pub = publicIP else {
                flushEgress(&ctx, &sink, flow)
                return .done(.blocked(Block(code: .igwPublicIPAssociationForEgress, site: .internetGateway(vpc: vpc))))
            }
            if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            flow.source = .v4(pub)
            if sink.recordsHops {
                sink.hop(Hop(component: gatewayComponent(vpc, egressOnly: false), action: .toInternet,
                             translation: .source(AddressRewrite(from: TranslatedAddress(address: .v4(src)), to: translatedPublicAddress(pub))), header: flow.header))
            }
            return .next(.internet)
        case (.v6(let src), .v6):
            guard privateOwner(vpc: vpc, .v6(src)) >= 0 || vpcContains(vpc, flow.source) else {
                flushEgress(&ctx, &sink, flow)
                return .done(.blocked(Block(code: .gatewayRejectsSpoofedTraffic, site: .internetGateway(vpc: vpc))))
            }
            if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            if sink.recordsHops {
                sink.hop(Hop(component: gatewayComponent(vpc, egressOnly: false), action: .toInternetIPv6, header: flow.header))
            }
            return .next(.internet)
        default:
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .noPossibleDestination, site: .internetGateway(vpc: vpc))))
        }
    }

    func internetStep<S: TraceSink>(_ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        ctx.senderIdentity = -1
        guard let owner = interface(withPublicAddress: flow.destination)?.index else {
            // An IPv6 address of a VPC that no interface holds: the internet gateway has nowhere to deliver it.
            if case .v6 = flow.destination, let v = privateVPC(of: flow.destination) {
                if let s = subnet(containing: flow.destination, inVPC: v) {
                    return .done(.blocked(Block(code: .noPossibleDestination, site: .subnet(s))))
                }
                return .done(.blocked(Block(code: .noPossibleDestination, site: .vpc(v))))
            }
            // A private address is not reachable from the internet.
            if case .v4(let dst) = flow.destination, isRFC1918(dst) || isRFC6598(dst) || privateVPC(of: flow.destination) != nil {
                if let v = privateVPC(of: flow.destination), vpcHot[Int(v)].hasInternetGateway {
                    return .done(.blocked(Block(code: .igwPrivateIPAssociationForIngress, site: .internetGateway(vpc: v))))
                }
                return .done(.blocked(Block(code: .noRouteToDestination, site: .internet)))
            }
            return .done(.exitedToInternet)
        }
        let o = interfaceHot[Int(owner)]
        let vpc = o.vpc
        switch flow.destination {
        case .v4:
            guard vpcHot[Int(vpc)].hasInternetGateway else {
                return .done(.blocked(Block(code: .noRouteToDestination, site: .internet)))
            }
            if case .v4(let src) = flow.source, isRFC1918(src) || isRFC6598(src) {
                return .done(.blocked(Block(code: isRFC1918(src) ? .igwSourceAddressNotInRFC1918Ingress : .igwSourceAddressNotInRFC6598Ingress,
                                            site: .internetGateway(vpc: vpc))))
            }
            let before = flow.destination
            flow.destination = .v4(o.primaryIP)
            if sink.recordsHops {
                sink.hop(Hop(component: gatewayComponent(vpc, egressOnly: false), action: .fromInternet,
                             translation: .destination(AddressRewrite(from: translatedPublicAddress(before), to: TranslatedAddress(address: .v4(o.primaryIP)))), header: flow.header))
            }
        case .v6:
            if !vpcHot[Int(vpc)].hasInternetGateway {
                guard vpcHot[Int(vpc)].hasEgressOnlyGateway else {
                    return .done(.blocked(Block(code: .noRouteToDestination, site: .internet)))
                }
                // An egress-only gateway admits from the internet only replies to flows that left through it: for a
                // connection query, the request must have left this VPC's egress-only gateway (not, say, a peering).
                guard ctx.trackedAll || (ctx.direction == .return && (!ctx.useTrackedSet || ctx.forwardEgressOnlyVPC == vpc)) else {
                    return .done(.blocked(Block(code: .egressOnlyGatewayInbound, site: .egressOnlyGateway(vpc: vpc))))
                }
            }
            if sink.recordsHops {
                sink.hop(Hop(component: gatewayComponent(vpc, egressOnly: vpcs[Int(vpc)].internetGateway == nil), action: .fromInternetIPv6,
                             header: flow.header))
            }
        }
        if !edgePlane.igwEdgeTable.isEmpty && edgePlane.igwEdgeTable[Int(vpc)] >= 0,
           let step = igwGatewayRoute(edgePlane.igwEdgeTable[Int(vpc)], owner: owner, &flow, &ctx, &sink) {
            return step
        }
        if let b = naclCheck(subnet: o.subnet, inbound: true, receiver: owner, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        return arrive(owner, &flow, &ctx, &sink)
    }

    /// The IGW's gateway route table (edge association, AWS-BEHAVIOUR.md §2): its route for the (translated)
    /// destination decides where traffic entering from the internet goes first — `local`: on as usual (nil); an
    /// interface (a firewall appliance): to it, through its subnet's inbound NACL; a GWLB endpoint: through its
    /// subnet's inbound NACL to its appliances and back out (GatewayLoadBalancers.swift); a target outside the model
    /// (`-> unmodelled ID`, an endpoint of a service the model lacks): `UNSUPPORTED_COMPONENT`; anything else blocks.
    func igwGatewayRoute<S: TraceSink>(_ table: Int32, owner: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step? {
        guard let m = routeTables[Int(table)].lpm.lookup(flow.destination) else {
            return .done(.blocked(Block(code: .noRouteToDestination, site: .routeTable(table, route: -1))))
        }
        let route = routeTables[Int(table)].routes[Int(m.value)]
        switch route.target {
        case .local: return nil
        case .interface(let f) where f.index == owner: return nil
        case .interface(let f):
            if sink.recordsHops {
                sink.hop(Hop(component: routeTableComponent(table), action: .routeLookup,
                             rule: RuleRef(text: route.text, location: route.location), header: flow.header))
            }
            if let b = naclCheck(subnet: interfaceHot[Int(f.index)].subnet, inbound: true, receiver: f.index, &flow, &ctx, &sink) {
                return .done(.blocked(b))
            }
            return arrive(f.index, &flow, &ctx, &sink)
        case .gatewayLoadBalancerEndpoint(let g):
            if sink.recordsHops {
                sink.hop(Hop(component: routeTableComponent(table), action: .routeLookup,
                             rule: RuleRef(text: route.text, location: route.location), header: flow.header))
            }
            let es = gwlbHot[g.position].subnet
            if let b = naclCheck(subnet: es, inbound: true, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
            return throughGWLBEndpoint(g.index, &flow, &ctx, &sink)
        case .unmodelled:
            // A target outside the model (a Gateway Load Balancer endpoint, `-> unmodelled ID`): never reachable,
            // never proven blocked.
            return .done(.blocked(Block(code: .unsupportedComponent, site: .routeTable(table, route: m.value))))
        default:
            return .done(.blocked(Block(code: .badStateRoute, site: .routeTable(table, route: m.value))))
        }
    }

    /// A public address as a translation shows it: VPCKit's placeholder for an interface's unknown public IP
    /// names the interface (printed `public IP of web (unknown)` by ``ReachMessages/text(_:)-(TranslatedAddress)``).
    func translatedPublicAddress(_ a: IPv4Address) -> TranslatedAddress {
        if a.bits & 0xF000_0000 == CompiledTopology.syntheticPublicBase, case let o = publicOwner.find(UInt64(a.bits)), o >= 0, !interfaces[Int(o)].publicIPKnown {
            return TranslatedAddress(address: .v4(a), unknownPublicAddressOf: interfaces[Int(o)].name)
        }
        return TranslatedAddress(address: .v4(a))
    }
    func translatedPublicAddress(_ a: IPAddress) -> TranslatedAddress {
        if case .v4(let x) = a { return translatedPublicAddress(x) }
        return TranslatedAddress(address: a)
    }
}
