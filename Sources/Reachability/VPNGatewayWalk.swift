import IPAddressing
import NetworkModel

// The walk's steps at a VPC's virtual private gateway (issue 18; AWS-BEHAVIOUR.md §2, §10): out to on-premises over
// the edge that announces the destination, and in from on-premises to a private address of the VPC. Reached only
// through a route to a VGW or a query endpoint on premises: a topology without edges never runs this code.

extension CompiledTopology {
    /// A route to the VPC's VGW: the subnet's outbound NACL, then the VGW's checks — the source is a private
    /// address of the VPC (`VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS`), some edge that is up announces the
    /// destination (else `NO_ROUTE_TO_DESTINATION`; all such edges down: `BAD_STATE_VPN` / `BAD_STATE`) — and the
    /// packet leaves AWS over the best edge (§2: longest prefix, Direct Connect > VPN static > VPN BGP, local
    /// preference, AS path). What happens on premises is not modelled.
    func sendToVPNGateway<S: TraceSink>(_ g: Int32, subnet s: Int32, vpc: Int32, table t: Int32, route: Int32,
                                        _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        return leaveThroughVPNGateway(g, &flow, &ctx, &sink)
    }

    func leaveThroughVPNGateway<S: TraceSink>(_ g: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        guard case .v4(let dst) = flow.destination else {
            // A VGW's VPN and Direct Connect carry IPv4 only.
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: g, edge: -1, problem: .notAnnounced))))
        }
        guard vpcs[Int(g)].contains(flow.source) else {
            return .done(.blocked(Block(code: .vgwPrivateIPAssociationForEgress, site: .edge(vpc: g, edge: -1, problem: .sourceNotPrivate))))
        }
        let wanted = ctx.onPremisesEdge
        if wanted >= 0 && !edgePlane.announcesAnything(wanted) {
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: g, edge: wanted, problem: .routesUnknown))))
        }
        let choice = edgePlane.select(vpc: g, dst)
        guard choice.edge >= 0 else {
            if choice.anyDown >= 0 {
                let e = edgePlane.edges[Int(choice.anyDown)]
                let code: ExplanationCode = e.kind == .vpnConnection ? .badStateVPN : .badState
                return .done(.blocked(Block(code: code, site: .edge(vpc: g, edge: choice.anyDown,
                                                                     problem: e.kind == .vpnConnection ? .tunnelsDown : .interfaceDown))))
            }
            // An edge of this VGW whose routes are unknown (a BGP VPN or a VIF nothing declares): say so, naming it.
            if let silent = edgePlane.edges.indices.first(where: { edgePlane.edges[$0].vpc == g && !edgePlane.announcesAnything(Int32($0)) }) {
                return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: g, edge: Int32(silent), problem: .routesUnknown))))
            }
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: g, edge: -1, problem: .notAnnounced))))
        }
        if sink.recordsHops {
            sink.hop(Hop(component: edgeComponent(vpc: g, edge: choice.edge), action: .toOnPremises(edge: edgeLabel(choice.edge)),
                         header: flow.header))
        }
        return .done(.exitedToOnPremises(edge: choice.edge))
    }

    /// A packet from on-premises (over `edge`, or -1: any edge leading to the destination) enters the VPC whose
    /// block holds the destination through its VGW: a private address only (`VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS`),
    /// over an edge that is up and, through a Direct Connect gateway association, advertises the destination;
    /// then the VGW's gateway route table when it has one, else the local route; the destination subnet's NACL
    /// and the interface's security groups as usual.
    func onPremisesStep<S: TraceSink>(edge wanted: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        ctx.senderIdentity = -1
        ctx.lastTGWAttachment = -1
        guard case .v4(let dst) = flow.destination else {
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: -1, edge: wanted, problem: .noEdge))))
        }
        // The VPC: one whose block holds the destination and whose VGW has an edge (the wanted one if named).
        var vpc: Int32 = -1
        for vi in edgePlane.vgwVPCs where vpcs[Int(vi)].contains(flow.destination) {
            if wanted < 0 || edgePlane.edges[Int(wanted)].vpc == vi { vpc = vi; break }
        }
        if vpc < 0, let step = enterThroughTGW(edge: wanted, &flow, &ctx, &sink) { return step }
        guard vpc >= 0 else {
            // (`hasVGW` is empty when no VPC has a VGW: a topology whose only edges are TGW attachments.)
            if let owner = interface(withPublicAddress: flow.destination), case let v = interfaceHot[Int(owner.index)].vpc,
               Int(v) < edgePlane.hasVGW.count, edgePlane.hasVGW[Int(v)] {
                return .done(.blocked(Block(code: .vgwPrivateIPAssociationForIngress, site: .edge(vpc: v, edge: wanted, problem: .destinationNotPrivate))))
            }
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: -1, edge: wanted, problem: .noEdge))))
        }
        // The edge the packet comes over: the named one, else the best edge announcing the source (an on-premises
        // address is known to be behind the edges that announce it, never another edge of the VGW: found by the
        // reference walker, Tests/ReachabilityTests/Reference/DISAGREEMENTS.md §9); one that is down: below.
        var edge = wanted
        if edge < 0, case .v4(let src) = flow.source {
            let choice = edgePlane.select(vpc: vpc, src)
            edge = choice.edge >= 0 ? choice.edge : choice.anyDown
            // Only edges that are down announce it here: they have no BGP session, so on premises sends over a TGW
            // edge announcing the source that is up, when there is one (else the down edge is named, below).
            if choice.edge < 0 && choice.anyDown >= 0 && tgwEdgeUp(announcing: src), let step = enterThroughTGW(edge: -1, &flow, &ctx, &sink) {
                return step
            }
            if edge < 0 {
                // No edge of this VGW announces the source: it may be behind a TGW edge (a VPN or DX gateway
                // attachment announcing it), which then carries it (found by the reference walker: the reply of a
                // request that left over a TGW edge from a VPC that also has a VGW was dropped here).
                if let step = enterThroughTGW(edge: -1, &flow, &ctx, &sink) { return step }
                return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: vpc, edge: -1, problem: .noEdge))))
            }
        }
        if edge < 0 { edge = Int32(edgePlane.edges.firstIndex { $0.vpc == vpc && !$0.isDown } ?? -1) }
        if edge < 0 {
            if let down = edgePlane.edges.firstIndex(where: { $0.vpc == vpc }) {
                let e = edgePlane.edges[down]
                return .done(.blocked(Block(code: e.kind == .vpnConnection ? .badStateVPN : .badState,
                                            site: .edge(vpc: vpc, edge: Int32(down), problem: e.kind == .vpnConnection ? .tunnelsDown : .interfaceDown))))
            }
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: vpc, edge: -1, problem: .noEdge))))
        }
        let e = edgePlane.edges[Int(edge)]
        if e.isDown {
            return .done(.blocked(Block(code: e.kind == .vpnConnection ? .badStateVPN : .badState,
                                        site: .edge(vpc: vpc, edge: edge, problem: e.kind == .vpnConnection ? .tunnelsDown : .interfaceDown))))
        }
        if !e.allowedPrefixes.isEmpty && !e.allowedPrefixes.contains(where: { $0.contains(dst) }) {
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: vpc, edge: edge, problem: .notAllowedOnAssociation))))
        }
        if sink.recordsHops {
            sink.hop(Hop(component: edgeComponent(vpc: vpc, edge: edge), action: .fromOnPremises(edge: edgeLabel(edge)), header: flow.header))
        }
        // The VGW's gateway route table (edge association), if any: its route for the destination decides.
        let table = edgePlane.vgwEdgeTable.isEmpty ? -1 : edgePlane.vgwEdgeTable[Int(vpc)]
        if table >= 0 {
            guard let m = routeTables[Int(table)].lpm.lookup(flow.destination) else {
                return .done(.blocked(Block(code: .noRouteToDestination, site: .routeTable(table, route: -1))))
            }
            let route = routeTables[Int(table)].routes[Int(m.value)]
            if sink.recordsHops {
                sink.hop(Hop(component: routeTableComponent(table), action: .routeLookup,
                             rule: RuleRef(text: route.text, location: route.location), header: flow.header))
            }
            switch route.target {
            case .local: break
            case .interface(let f):
                let fs = interfaceHot[Int(f.index)].subnet
                if let b = naclCheck(subnet: fs, inbound: true, receiver: f.index, &flow, &ctx, &sink) { return .done(.blocked(b)) }
                return arrive(f.index, &flow, &ctx, &sink)
            default:
                return .done(.blocked(Block(code: .badStateRoute, site: .routeTable(table, route: m.value))))
            }
        }
        let ds = subnetOf(vpc: vpc, dst)
        guard ds >= 0 else { return .done(.blocked(Block(code: .noPossibleDestination, site: .vpc(vpc)))) }
        let owner = privateOwner(vpc: vpc, flow.destination)
        if let b = naclCheck(subnet: ds, inbound: true, receiver: owner, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if owner >= 0 { return arrive(owner, &flow, &ctx, &sink) }
        return deliverUnheld(subnet: ds, flow, ctx)
    }

    /// From on-premises over a TGW's VPN or Direct Connect gateway attachment (the named edge, else the first one
    /// up among those announcing the source: an on-premises address is known to be behind the edges announcing it
    /// only, as at a VGW — found by the reference walker, any edge up used to carry it): routed by the table
    /// associated with the attachment, to a destination the edge advertises (a DX gateway association's allowed
    /// prefixes). nil when no TGW edge applies.
    func enterThroughTGW<S: TraceSink>(edge wanted: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step? {
        let source: IPv4Address? = if case .v4(let a) = flow.source { a } else { nil }
        let candidates = edgePlane.tgwEdgeAttachments.filter { t in
            t.edge >= 0 && (wanted >= 0 ? t.edge == wanted
                : edgePlane.tgwAnnouncements.contains { a in a.edge == t.edge && source.map { a.prefix.contains($0) } == true })
        }
        guard !candidates.isEmpty else { return nil }
        guard let t = candidates.first(where: { !edgePlane.edges[Int($0.edge)].isDown }) else {
            return .done(.blocked(Block(code: .tgwBadStateVPN, site: .edge(vpc: -1, edge: candidates[0].edge, problem: .tunnelsDown))))
        }
        let allowed = edgePlane.edges[Int(t.edge)].allowedPrefixes
        if !allowed.isEmpty, case .v4(let dst) = flow.destination, !allowed.contains(where: { $0.contains(dst) }) {
            return .done(.blocked(Block(code: .noRouteToDestination, site: .edge(vpc: -1, edge: t.edge, problem: .notAllowedOnAssociation))))
        }
        if sink.recordsHops {
            sink.hop(Hop(component: edgeComponent(vpc: -1, edge: t.edge), action: .fromOnPremises(edge: edgeLabel(t.edge)), header: flow.header))
        }
        guard t.table >= 0 else {
            return .done(.blocked(Block(code: .tgwAttachMissingTGWRTBAssociation, site: .edge(vpc: -1, edge: t.edge, problem: .noEdge))))
        }
        return forwardThroughTGW(table: t.table, zone: -1, &flow, &ctx, &sink)
    }

    /// True when a TGW VPN / DX gateway attachment that is up announces `source`.
    func tgwEdgeUp(announcing source: IPv4Address) -> Bool {
        edgePlane.tgwEdgeAttachments.contains { t in
            t.edge >= 0 && !edgePlane.edges[Int(t.edge)].isDown
                && edgePlane.tgwAnnouncements.contains { $0.edge == t.edge && $0.prefix.contains(source) }
        }
    }

    /// `office-vpn (vpn-0abc…)`.
    func edgeLabel(_ e: Int32) -> String {
        let edge = edgePlane.edges[Int(e)]
        return edge.awsID.map { "\(edge.name) (\($0))" } ?? edge.name
    }

    /// The edge (or, `edge` -1, the VGW of `vpc`; `vpc` -1 too: on-premises) as a component.
    func edgeComponent(vpc: Int32, edge: Int32) -> ComponentRef {
        if edge >= 0 && Int(edge) < edgePlane.edges.count {
            let e = edgePlane.edges[Int(edge)]
            let kind: ComponentKind = switch e.kind {
            case .vpnConnection: .vpnConnection
            case .virtualInterface: .virtualInterface
            case .vpnGateway: .vpnGateway
            case .directConnectGateway: .directConnectGateway
            }
            return ComponentRef(kind: kind, name: e.name, awsID: e.awsID)
        }
        if vpc >= 0, let g = topology.vpcs[Int(vpc)].vpnGateway {
            return ComponentRef(kind: .vpnGateway, name: g.name, awsID: g.id)
        }
        return ComponentRef(kind: .onPremises, name: "on-premises")
    }
}

/// What a TGW route to an edge attachment does: on to the far TGW's table (peering) or the walk's end.
enum TGWEdgeChoice {
    case next(Int32)
    case end(Step)
}

extension CompiledTopology {
    /// A TGW route to a VPN or Direct Connect gateway attachment leaves AWS toward on-premises (VPN tunnels all
    /// down: `TGW_BAD_STATE_VPN`); to a peering attachment, the far TGW's table associated with its peering
    /// attachment decides next (none: `TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION` naming the far TGW's attachment).
    func tgwEdgeStep<S: TraceSink>(_ k: Int32, table: Int32, route: Int32, _ flow: inout Flow, _ ctx: inout WalkContext,
                                   _ sink: inout S) -> TGWEdgeChoice {
        guard Int(k) < edgePlane.tgwEdgeAttachments.count else {
            return .end(.done(.blocked(Block(code: .tgwRTBBadStateRoute, site: .tgwRouteTable(table, route: route)))))
        }
        let t = edgePlane.tgwEdgeAttachments[Int(k)]
        if t.isPeering {
            guard t.farTable >= 0 else {
                return .end(.done(.blocked(Block(code: .tgwAttachMissingTGWRTBAssociation, site: .tgwRouteTable(table, route: route)))))
            }
            ctx.senderIdentity = -1  // security-group references do not cross a peering
            return .next(t.farTable)
        }
        guard t.edge >= 0 else {
            return .end(.done(.blocked(Block(code: .tgwRTBBadStateRoute, site: .tgwRouteTable(table, route: route)))))
        }
        let e = edgePlane.edges[Int(t.edge)]
        if e.isDown {
            return .end(.done(.blocked(Block(code: .tgwBadStateVPN, site: .edge(vpc: -1, edge: t.edge, problem: .tunnelsDown)))))
        }
        if sink.recordsHops {
            sink.hop(Hop(component: edgeComponent(vpc: -1, edge: t.edge), action: .toOnPremises(edge: edgeLabel(t.edge)), header: flow.header))
        }
        return .end(.done(.exitedToOnPremises(edge: t.edge)))
    }
}
