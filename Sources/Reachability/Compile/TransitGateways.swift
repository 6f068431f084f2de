import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Transit gateways, their attachments (one ENI per attachment subnet, after every other interface) and
    /// their route tables: static routes (a prefix list expanded, an attachment name that denotes none a
    /// blackhole) and each propagating attachment's VPC blocks.
    mutating func buildTransitGateways(_ c: inout CompileContext) {
        let r = c.resolved
        for (ti, tgw) in c.topology.transitGateways.enumerated() {
            let resolvedTGW = r.transitGateways[ti]
            for id in resolvedTGW.attachments {
                let resolvedAttachment = r.tgwAttachments[id.position]
                let att = tgw.attachments[Int(resolvedAttachment.position)]
                let a = Int32(tgwAttachments.count)
                let v = resolvedAttachment.vpc.index
                var sList: [Int32] = [], eList: [Int32] = []
                for subnet in resolvedAttachment.subnets {
                    let s = subnet.index
                    let index = Int32(interfaces.count)
                    interfaceNICNames.append("")
                    interfaces.append(CompiledInterface(name: "\(att.name)@\(subnets[Int(s)].name)", awsID: nil, instanceID: nil,
                                                        kind: .tgwAttachment(TGWAttachmentID(a)), subnet: s, vpc: v,
                                                        primaryIP: CompiledTopology.pickAddress(in: subnets[Int(s)].cidr, used: &c.usedAddresses),
                                                        secondaryIPs: [], ipv6Addresses: [], publicIP: nil, publicIPKnown: true,
                                                        securityGroupSet: -1, sourceDestCheck: false, location: att.location))
                    sList.append(s)
                    eList.append(index)
                }
                tgwAttachments.append(CompiledTGWAttachment(name: att.name, awsID: att.id, transitGateway: Int32(ti), vpc: v,
                                                            subnets: sList, interfaces: eList, applianceMode: att.applianceMode,
                                                            associatedRouteTable: resolvedAttachment.associatedRouteTable?.index ?? -1,
                                                            location: att.location))
            }
            let atts = resolvedTGW.attachments.map(\.index)
            transitGateways.append(CompiledTransitGateway(name: tgw.name, awsID: tgw.id, attachments: atts,
                                                          securityGroupReferencing: tgw.securityGroupReferencing))
            if tgw.securityGroupReferencing {
                for x in atts { for y in atts { sgReferencingPairs.insert(CompiledTopology.pairKey(tgwAttachments[Int(x)].vpc, tgwAttachments[Int(y)].vpc)) } }
            }
            for t in resolvedTGW.routeTables {
                let resolvedTable = r.tgwRouteTables[t.position]
                let table = tgw.routeTables[Int(resolvedTable.position)]
                var routes: [CompiledTGWRoute] = []
                for (route, resolvedRoute) in zip(table.routes, r.tgwRoutes[resolvedTable.routes]) {
                    let target: TGWRouteTarget = resolvedRoute.target.map { .attachment($0) }
                        ?? resolvedRoute.edgeTarget.map { .edgeAttachment($0) } ?? .blackhole
                    let targetText: String = switch route.target { case .blackhole: "blackhole"; case .attachment(let n): "-> \(n)" }
                    for (p, pl) in CompiledTopology.expand(route.destination, resolvedRoute.destination, r) {
                        routes.append(CompiledTGWRoute(prefix: p, target: target, origin: pl.map { .prefixList($0) } ?? .static,
                                                       text: "route \(route.destination) \(targetText)", location: route.location))
                    }
                }
                for a in resolvedTable.propagations {
                    let name = r.name(of: a)
                    let vpc = vpcs[Int(tgwAttachments[a.position].vpc)]
                    for cidr in vpc.cidrs {
                        routes.append(CompiledTGWRoute(prefix: .v4(cidr), target: .attachment(a), origin: .propagated(name),
                                                       text: "propagated \(cidr) -> \(name)", location: nil))
                    }
                    for cidr in vpc.ipv6Cidrs {
                        routes.append(CompiledTGWRoute(prefix: .v6(cidr), target: .attachment(a), origin: .propagated(name),
                                                       text: "propagated \(cidr) -> \(name)", location: nil))
                    }
                }
                var withdrawn: [WithdrawnRoute] = []
                if !resolvedTable.edgePropagations.isEmpty { routes += edgePropagatedTGWRoutes(resolvedTable, r, withdrawn: &withdrawn) }
                tgwRouteTables.append(CompiledTGWRouteTable(name: table.name, awsID: table.id, transitGateway: Int32(ti), routes: routes,
                                                            lpm: CompiledTopology.buildLPM(routes.map { ($0.prefix, $0.origin) },
                                                                                           tiers: tgwTiers(routes)),
                                                            location: table.location, withdrawn: withdrawn))
            }
        }
    }

    /// Per route of a TGW table, its rank among equal-prefix propagated routes (§6): VPC-propagated, then DX
    /// gateway-propagated, then VPN-propagated (``tgwTier(of:)``, the high byte); two of one kind from different
    /// edges: BGP's best path, higher local preference then shorter AS path (lower wins; equal: the first
    /// propagated, AWS's ECMP or preferred path being a choice among them, Docs/SEMANTICS.md "TGW edges"). Empty (no
    /// tie-break) for a table without edge-propagated routes.
    func tgwTiers(_ routes: [CompiledTGWRoute]) -> [UInt32] {
        guard routes.contains(where: { if case .edgeAttachment = $0.target, case .propagated = $0.origin { true } else { false } }) else { return [] }
        return routes.map { r in
            let kind = UInt32(tgwTier(of: r))
            guard kind > 0, case .edgeAttachment(let e) = r.target, case .v4(let p) = r.prefix else { return kind << 24 }
            let bgp = tgwBGPRank(edge: edgePlane.tgwEdgeAttachments[e.position].edge, prefix: p)
            return kind << 24 | UInt32(bgp.localPreference) << 16 | UInt32(bgp.asPathLength)
        }
    }

    /// The best (local preference, AS path length) among the announcements of `prefix` over TGW edge `edge` (the
    /// propagated route's BGP attributes; a static route of the VPN counts as AS path 0). AS paths are clamped to
    /// 0…65535.
    func tgwBGPRank(edge: Int32, prefix: IPv4Prefix) -> (localPreference: UInt8, asPathLength: UInt16) {
        var best: (localPreference: UInt8, asPathLength: UInt16)?
        for a in edgePlane.tgwAnnouncements where a.edge == edge && a.prefix == prefix {
            let x = (localPreference: a.localPreference, asPathLength: UInt16(clamping: max(0, a.asPathLength)))
            if let b = best, (b.localPreference, b.asPathLength) <= (x.localPreference, x.asPathLength) { continue }
            best = x
        }
        return best ?? (1, 0)
    }

    /// A TGW route's rank among equal-prefix propagated routes (§6): VPC 0, DX gateway 1, VPN 2 (others 0).
    func tgwTier(of route: CompiledTGWRoute) -> UInt8 {
        guard case .propagated = route.origin, case .edgeAttachment(let e) = route.target,
              e.position < edgePlane.tgwEdgeAttachments.count else { return 0 }
        let edge = edgePlane.tgwEdgeAttachments[e.position].edge
        guard edge >= 0, Int(edge) < edgePlane.edges.count else { return 0 }
        return edgePlane.edges[Int(edge)].isDirectConnect ? 1 : 2
    }

    /// A destination's prefixes: the block, or each entry of the resolved prefix list with the list's name.
    static func expand(_ written: RouteDestination, _ resolved: ResolvedDestination,
                       _ r: ResolvedTopology) -> [(IPPrefix, String?)] {
        switch (written, resolved) {
        case (.cidr(let p), _): [(p, nil)]
        case (.prefixList(let n), .prefixList(let list?)): r.model(list).entries.map { ($0, n) }
        default: []
        }
    }
}
