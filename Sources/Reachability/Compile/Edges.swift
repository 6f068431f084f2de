import IPAddressing
import NetworkModel

/// The network's edges as the walk reads them (issue 18): each edge that can carry traffic between a VPC's
/// virtual private gateway and on-premises (a VPN connection, a private VIF, or the VGW / Direct Connect gateway
/// itself when an announcement names it), and per VGW the on-premises prefixes announced over its edges with
/// their BGP rank. Empty for a topology without edges: the walk reaches none of it then.
struct CompiledEdges: Sendable {
    /// What an edge is.
    enum Kind: UInt8, Sendable { case vpnConnection, virtualInterface, vpnGateway, directConnectGateway }
    /// An edge ending on a VGW.
    struct Edge: Sendable {
        var name: String
        var awsID: String?
        var kind: Kind
        /// The VPC whose VGW the edge ends on.
        var vpc: Int32
        /// True when the edge carries nothing: a VPN whose reported tunnels are all down, a VIF not available.
        var isDown: Bool
        /// True for Direct Connect (a VIF or a DX gateway): its routes beat VPN routes of the same prefix.
        var isDirectConnect: Bool
        /// For an edge through a Direct Connect gateway association: the prefixes the association advertises to
        /// on-premises (empty: the VPC's CIDRs, AWS's default).
        var allowedPrefixes: [IPv4Prefix]
    }
    /// One on-premises prefix announced to a VGW over an edge.
    struct Announcement: Sendable {
        var prefix: IPv4Prefix
        var edge: Int32
        /// 0 Direct Connect BGP, 1 VPN static, 2 VPN BGP (lower wins: AWS-BEHAVIOUR.md §2).
        var origin: UInt8
        /// 0 high, 1 medium (and unset), 2 low (lower wins).
        var localPreference: UInt8
        var asPathLength: Int32
        /// The on-premises network declaring it (-1: a VPN static route).
        var network: Int32
    }
    var edges: [Edge] = []
    /// Per VPC (index = VPC's): its VGW's announcements, in no particular order; empty when none.
    var announcementsByVGW: [[Announcement]] = []
    /// Per VPC: true when it has a VGW (empty array: no VPC has one).
    var hasVGW: [Bool] = []
    /// The VPCs with a VGW, ascending (a packet from on premises looks for its VPC among these only).
    var vgwVPCs: [Int32] = []
    /// Per VPC: its VGW's gateway route table (edge association), -1 when none.
    var vgwEdgeTable: [Int32] = []
    /// Per VPC: its IGW's gateway route table (edge association), -1 when none; empty when no VPC has one.
    var igwEdgeTable: [Int32] = []
    /// The edge index of each resolved edge (by kind and index), for query endpoints.
    var edgeOfVPN: [Int32] = [], edgeOfVIF: [Int32] = [], edgeOfVGW: [Int32] = [], edgeOfDXGW: [[Int32]] = []
    /// A transit gateway's VPN, Direct Connect gateway or peering attachment (index = its ``TGWEdgeAttachmentID``).
    struct TGWEdge: Sendable {
        var name: String
        var awsID: String?
        var transitGateway: Int32
        /// VPN / DX gateway: its entry in ``edges`` (vpc -1); -1 for a peering or an unresolved one.
        var edge: Int32
        var isPeering: Bool
        /// Peering: the far TGW's table associated with its peering attachment back (-1: none).
        var farTable: Int32
        /// Peering: the far TGW's name (for messages).
        var farName: String
        /// The TGW route table associated with this attachment (-1: none): where traffic from on-premises is routed.
        var table: Int32 = -1
    }
    var tgwEdgeAttachments: [TGWEdge] = []
    /// On-premises networks: name and prefixes (for `onprem:NAME`).
    var networks: [(name: String, prefixes: [IPv4Prefix])] = []

    /// True when no VPC has a VGW (TGW edge attachments may still exist: ``tgwEdgeAttachments``).
    @inline(__always) var isEmpty: Bool { hasVGW.isEmpty }

    /// The edge a VGW uses toward `destination`: the longest announced prefix; among equal prefixes Direct Connect
    /// over VPN static over VPN BGP, then higher local preference, then shorter AS path (AWS-BEHAVIOUR.md §2, §10).
    /// Edges that are down are skipped; `anyDown` says one would have matched. `only`: consider that edge alone.
    func select(vpc: Int32, _ destination: IPv4Address, only: Int32 = -1) -> (edge: Int32, anyDown: Int32) {
        guard Int(vpc) < announcementsByVGW.count else { return (-1, -1) }
        var best: Announcement? = nil
        var down: Int32 = -1
        for a in announcementsByVGW[Int(vpc)] where a.prefix.contains(destination) {
            if only >= 0 && a.edge != only { continue }
            if edges[Int(a.edge)].isDown { down = a.edge; continue }
            guard let b = best else { best = a; continue }
            if a.prefix.length != b.prefix.length { if a.prefix.length > b.prefix.length { best = a }; continue }
            if a.origin != b.origin { if a.origin < b.origin { best = a }; continue }
            if a.localPreference != b.localPreference { if a.localPreference < b.localPreference { best = a }; continue }
            if a.asPathLength < b.asPathLength { best = a }
        }
        return (best?.edge ?? -1, down)
    }

    /// True when BGP has withdrawn announcement `a`: its edge is down (a VPN whose tunnels are all down, a VIF not
    /// available, a DX gateway with no private VIF up: no BGP session) and it was learned over BGP (Direct Connect,
    /// a BGP VPN, an unnamed edge). A VPN static route (origin 1) stays while the VPN is down: a route to it then
    /// blackholes (`BAD_STATE_VPN` / `TGW_BAD_STATE_VPN`).
    @inline(__always) func isWithdrawn(_ a: Announcement) -> Bool { a.origin != 1 && edges[Int(a.edge)].isDown }

    /// True when edge `e` announces anything at all (else its routes are unknown).
    func announcesAnything(_ e: Int32) -> Bool {
        let vpc = edges[Int(e)].vpc
        if vpc < 0 { return tgwAnnouncements.contains { $0.edge == e } }
        return announcementsByVGW[Int(vpc)].contains { $0.edge == e }
    }
    /// True when some edge announces `a` (an address on premises, not on the internet).
    func announces(_ a: IPv4Address) -> Bool {
        vgwVPCs.contains { announcementsByVGW[Int($0)].contains { $0.prefix.contains(a) } } || tgwAnnouncements.contains { $0.prefix.contains(a) }
    }
    /// On-premises prefixes announced over TGW VPN / DX gateway attachments (``Announcement/edge`` indexes ``edges``).
    var tgwAnnouncements: [Announcement] = []
}

extension CompiledTopology {
    /// The edges ending on VGWs and their announcements (before the route tables, which get the propagated
    /// routes). Nothing at all for a topology without a VGW.
    mutating func buildEdges(_ c: inout CompileContext) {
        let r = c.resolved
        guard !r.vpnGateways.isEmpty || !r.tgwEdgeAttachments.isEmpty || !r.internetGatewayRouteTables.isEmpty else { return }
        var plane = CompiledEdges()
        let vpcCount = r.vpcs.count
        defer { edgePlane = plane }
        if !r.internetGatewayRouteTables.isEmpty {
            plane.igwEdgeTable = (0..<vpcCount).map { r.internetGatewayRouteTables[VPCID($0)]?.index ?? -1 }
        }
        if !r.tgwEdgeAttachments.isEmpty { buildTGWEdges(r, &plane) }
        guard !r.vpnGateways.isEmpty else { return }
        plane.hasVGW = (0..<vpcCount).map { r.topology.vpcs[$0].vpnGateway != nil }
        plane.vgwVPCs = plane.hasVGW.indices.filter { plane.hasVGW[$0] }.map { Int32($0) }
        plane.announcementsByVGW = Array(repeating: [], count: vpcCount)
        plane.vgwEdgeTable = (0..<vpcCount).map { vi in r.vpnGateways[vi].edgeRouteTable?.index ?? -1 }
        plane.edgeOfVPN = Array(repeating: -1, count: r.vpnConnections.count)
        plane.edgeOfVIF = Array(repeating: -1, count: r.virtualInterfaces.count)
        plane.edgeOfVGW = Array(repeating: -1, count: vpcCount)
        plane.edgeOfDXGW = Array(repeating: [], count: r.directConnectGateways.count)
        func add(_ e: CompiledEdges.Edge) -> Int32 { plane.edges.append(e); return Int32(plane.edges.count - 1) }
        // VPN connections on VGWs, with their static routes.
        for (ci, conn) in r.vpnConnections.enumerated() {
            guard case .vpnGateway(let g) = conn.awsSide else { continue }
            let m = r.model(VPNConnectionID(ci))
            let e = add(.init(name: m.name, awsID: m.id, kind: .vpnConnection, vpc: g.index, isDown: conn.tunnelsDown,
                              isDirectConnect: false, allowedPrefixes: []))
            plane.edgeOfVPN[ci] = e
            for p in m.staticRoutes {
                plane.announcementsByVGW[g.position].append(.init(prefix: p, edge: e, origin: 1, localPreference: 1,
                                                                  asPathLength: 0, network: -1))
            }
        }
        // Private VIFs on a VGW, or on a DX gateway associated with VGWs (one edge per VGW reached).
        for (vi, vif) in r.virtualInterfaces.enumerated() {
            let m = r.model(VirtualInterfaceID(vi))
            guard m.kind == .private else { continue }
            switch vif.awsSide {
            case .vpnGateway(let g):
                plane.edgeOfVIF[vi] = add(.init(name: m.name, awsID: m.id, kind: .virtualInterface, vpc: g.index,
                                                isDown: !m.isAvailable, isDirectConnect: true, allowedPrefixes: []))
            case .directConnectGateway(let d):
                for k in r.directConnectGateways[d.position].associations {
                    guard case .vpnGateway(let g) = r.dxAssociations[k].gateway else { continue }
                    let e = add(.init(name: m.name, awsID: m.id, kind: .virtualInterface, vpc: g.index, isDown: !m.isAvailable,
                                      isDirectConnect: true, allowedPrefixes: r.model(r.dxAssociations[k]).allowedPrefixes))
                    if plane.edgeOfVIF[vi] < 0 { plane.edgeOfVIF[vi] = e }
                    plane.edgeOfDXGW[d.position].append(e)
                }
            default: break
            }
        }
        // Announcements.
        for n in r.onPremisesNetworks {
            let network = r.model(OnPremisesNetworkID(Int(n.position)))
            plane.networks.append((network.name, network.prefixes))
            for k in n.announcements {
                let a = r.onPremisesAnnouncements[k]
                let written = r.model(a)
                let pref: UInt8 = switch written.localPreference { case .high?: 0; case .low?: 2; default: 1 }
                let path = Int32(clamping: written.asPathLength ?? 1)
                var targets: [(Int32, UInt8)] = []
                switch a.edge {
                case .vpnConnection(let ci)?:
                    let e = plane.edgeOfVPN[ci.position]
                    // A static VPN carries only its static routes; `via` over it adds a route as if configured.
                    if e >= 0 { targets.append((e, r.topology.vpnConnections[ci.position].staticRoutesOnly ? 1 : 2)) }
                case .virtualInterface(let v)?:
                    for e in plane.edges.indices where plane.edges[e].kind == .virtualInterface
                        && plane.edges[e].name == r.model(v).name { targets.append((Int32(e), 0)) }
                case .vpnGateway(let g)?:
                    // Learned over the VGW by an unnamed edge: ranks as VPN BGP (the lowest).
                    var e = plane.edgeOfVGW[g.position]
                    if e < 0, let m = r.model(g) {
                        e = add(.init(name: m.name, awsID: m.id, kind: .vpnGateway, vpc: g.index, isDown: false,
                                      isDirectConnect: false, allowedPrefixes: []))
                        plane.edgeOfVGW[g.position] = e
                    }
                    if e >= 0 { targets.append((e, 2)) }
                case .directConnectGateway(let d)?:
                    let m = r.model(d)
                    if plane.edgeOfDXGW[d.position].isEmpty || !plane.edgeOfDXGW[d.position].contains(where: { plane.edges[Int($0)].kind == .directConnectGateway }) {
                        // Learned over the gateway's private VIFs: all of them down (none declared: as written) means no
                        // BGP session, so the edge is down (found by the reference walker: it carried traffic).
                        let vifs = r.virtualInterfaces.indices.filter { i in
                            if case .directConnectGateway(let x) = r.virtualInterfaces[i].awsSide, x == d {
                                r.model(VirtualInterfaceID(i)).kind == .private
                            } else { false }
                        }
                        let down = !vifs.isEmpty && !vifs.contains { r.model(VirtualInterfaceID($0)).isAvailable }
                        for k in r.directConnectGateways[d.position].associations {
                            guard case .vpnGateway(let g) = r.dxAssociations[k].gateway else { continue }
                            let e = add(.init(name: m.name, awsID: m.id, kind: .directConnectGateway, vpc: g.index, isDown: down,
                                              isDirectConnect: true, allowedPrefixes: r.model(r.dxAssociations[k]).allowedPrefixes))
                            plane.edgeOfDXGW[d.position].append(e)
                        }
                    }
                    for e in plane.edgeOfDXGW[d.position] where plane.edges[Int(e)].kind == .directConnectGateway { targets.append((e, 0)) }
                case nil: break
                }
                for (e, origin) in targets {
                    let vpc = plane.edges[Int(e)].vpc
                    for p in network.prefixes {
                        plane.announcementsByVGW[Int(vpc)].append(.init(prefix: p, edge: e, origin: origin, localPreference: pref,
                                                                        asPathLength: path, network: Int32(n.position)))
                    }
                }
            }
        }
    }

    /// TGW VPN / DX gateway / peering attachments: an edge each for VPN and DX (vpc -1), the far table for a
    /// peering, and the on-premises prefixes announced over the VPN connection or DX gateway.
    func buildTGWEdges(_ r: ResolvedTopology, _ plane: inout CompiledEdges) {
        for (ai, a) in r.tgwEdgeAttachments.enumerated() {
            let m = r.model(TGWEdgeAttachmentID(ai))
            var entry = CompiledEdges.TGWEdge(name: m.name, awsID: m.id, transitGateway: a.transitGateway.index, edge: -1,
                                              isPeering: false, farTable: -1, farName: "", table: a.associatedRouteTable?.index ?? -1)
            switch a.kind {
            case .vpn(let c?):
                let conn = r.model(c)
                plane.edges.append(.init(name: conn.name, awsID: conn.id, kind: .vpnConnection, vpc: -1,
                                         isDown: r.vpnConnections[c.position].tunnelsDown, isDirectConnect: false, allowedPrefixes: []))
                entry.edge = Int32(plane.edges.count - 1)
                for p in conn.staticRoutes {
                    plane.tgwAnnouncements.append(.init(prefix: p, edge: entry.edge, origin: 1, localPreference: 1, asPathLength: 0, network: -1))
                }
            case .directConnectGateway(let d?):
                let dx = r.model(d)
                // What the gateway's association with this TGW advertises to on premises (allowed prefixes): only
                // those are reached from there (found by the reference walker; empty: not restricted).
                let association = r.directConnectGateways[d.position].associations.first { k in
                    if case .transitGateway(let g) = r.dxAssociations[k].gateway { g == a.transitGateway } else { false }
                }
                plane.edges.append(.init(name: dx.name, awsID: dx.id, kind: .directConnectGateway, vpc: -1, isDown: false,
                                         isDirectConnect: true, allowedPrefixes: association.map { r.model(r.dxAssociations[$0]).allowedPrefixes } ?? []))
                entry.edge = Int32(plane.edges.count - 1)
            case .peering(let far?, let peer):
                entry.isPeering = true
                entry.farName = r.name(of: far)
                entry.farTable = peer.flatMap { r.tgwEdgeAttachments[$0.position].associatedRouteTable?.index } ?? -1
            default: break
            }
            plane.tgwEdgeAttachments.append(entry)
        }
        // Announcements over the TGW's VPN connections or DX gateways (by name or id of the connection / gateway).
        for n in r.onPremisesNetworks {
            let network = r.model(OnPremisesNetworkID(Int(n.position)))
            for k in n.announcements {
                let a = r.onPremisesAnnouncements[k]
                let written = r.model(a)
                var names: [String] = []
                var staticOnly = false
                switch a.edge {
                case .vpnConnection(let c)?:
                    names = [r.name(of: c)]
                    staticOnly = r.topology.vpnConnections[c.position].staticRoutesOnly
                case .directConnectGateway(let d)?:
                    // Learned over the DX gateway: only while one of its transit VIFs is up (all down: no BGP
                    // session, nothing propagated). A gateway with no VIF declared announces as written.
                    let vifs = r.virtualInterfaces.indices.filter { i in
                        if case .directConnectGateway(let x) = r.virtualInterfaces[i].awsSide, x == d {
                            r.model(VirtualInterfaceID(i)).kind == .transit
                        } else { false }
                    }
                    if vifs.isEmpty || vifs.contains(where: { r.model(VirtualInterfaceID($0)).isAvailable }) { names = [r.name(of: d)] }
                case .virtualInterface(let v)?:
                    // A transit VIF announces through its DX gateway, while it is up (a VIF that is down has no
                    // BGP session: nothing is propagated, never a route to a dead edge).
                    if case .directConnectGateway(let d) = r.virtualInterfaces[v.position].awsSide, r.model(v).isAvailable {
                        names = [r.name(of: d)]
                    }
                default: break
                }
                for t in plane.tgwEdgeAttachments where t.edge >= 0 && names.contains(plane.edges[Int(t.edge)].name) {
                    let isDX = plane.edges[Int(t.edge)].isDirectConnect
                    let pref: UInt8 = switch written.localPreference { case .high?: 0; case .low?: 2; default: 1 }
                    for p in network.prefixes {
                        // Origin 1 (a route as if configured, kept while the VPN is down) over a static VPN.
                        plane.tgwAnnouncements.append(.init(prefix: p, edge: t.edge, origin: isDX ? 0 : staticOnly ? 1 : 2, localPreference: pref,
                                                            asPathLength: Int32(clamping: written.asPathLength ?? 1), network: Int32(n.position)))
                    }
                }
            }
        }
    }

    /// The routes VPN and DX gateway attachments propagate into a TGW table: their on-premises prefixes (§6). What a
    /// BGP VPN whose tunnels are all down announced is withdrawn (``CompiledEdges/isWithdrawn(_:)``: AWS removes the
    /// routes, so a shorter route or another attachment's may carry the packet); `withdrawn` gets those prefixes
    /// with their edge, for the answer when no route is left.
    func edgePropagatedTGWRoutes(_ table: ResolvedTGWRouteTable, _ r: ResolvedTopology,
                                 withdrawn: inout [WithdrawnRoute]) -> [CompiledTGWRoute] {
        var out: [CompiledTGWRoute] = []
        for e in table.edgePropagations {
            let t = edgePlane.tgwEdgeAttachments[e.position]
            guard t.edge >= 0 else { continue }
            // One route per prefix and attachment; equal prefixes from different attachments all enter the table
            // and the LPM build ranks them (DX gateway over VPN, §6: ``tgwTier(of:)``).
            var seen = Set<IPv4Prefix>()
            for a in edgePlane.tgwAnnouncements where a.edge == t.edge {
                if edgePlane.isWithdrawn(a) { withdrawn.append(WithdrawnRoute(prefix: a.prefix, edge: a.edge)); continue }
                guard seen.insert(a.prefix).inserted else { continue }
                out.append(CompiledTGWRoute(prefix: .v4(a.prefix), target: .edgeAttachment(e), origin: .propagated(t.name),
                                            text: "propagated \(a.prefix) -> \(t.name)", location: nil))
            }
        }
        return out
    }

    /// The routes a VGW propagates into a table (`propagate NAME`): one per announced prefix (deduplicated), origin
    /// ``RouteOrigin/propagated(_:)`` naming the VGW and edge. A prefix inside one of the VPC's blocks is left out
    /// (a propagated route never replaces `local`, §2). What BGP withdrew (an edge that is down:
    /// ``CompiledEdges/isWithdrawn(_:)``) is not installed; `withdrawn` gets it, for the answer when no route is left.
    func propagatedRoutes(_ table: ResolvedRouteTable, vpc: VPC, _ r: ResolvedTopology,
                          withdrawn: inout [WithdrawnRoute]) -> [CompiledRoute] {
        guard !table.propagations.isEmpty, !edgePlane.isEmpty else { return [] }
        var out: [CompiledRoute] = []
        var seen = Set<IPv4Prefix>()
        for g in table.propagations {
            let name = r.name(of: g)
            // Best edge per prefix, for the text.
            for a in edgePlane.announcementsByVGW[g.position] {
                if vpc.cidrs.contains(where: { $0.contains(a.prefix) }) { continue }
                if edgePlane.isWithdrawn(a) { withdrawn.append(WithdrawnRoute(prefix: a.prefix, edge: a.edge)); continue }
                guard seen.insert(a.prefix).inserted else { continue }
                let edge = edgePlane.edges[Int(a.edge)].name
                out.append(CompiledRoute(prefix: .v4(a.prefix), target: .vpnGateway(g), origin: .propagated("\(name) via \(edge)"),
                                         text: "propagated \(a.prefix) -> \(name) (via \(edge))", location: nil))
            }
        }
        return out
    }
}

/// A propagated route BGP withdrew because its edge is down: the prefix and the edge (an index into
/// ``CompiledEdges/edges``). When no route of the table is left for a destination, the answer names that edge
/// (`BAD_STATE_VPN`, `BAD_STATE`, `TGW_BAD_STATE_VPN`) rather than a bare missing route.
struct WithdrawnRoute: Sendable, Hashable {
    /// The withdrawn prefix.
    var prefix: IPv4Prefix
    /// The edge that announced it.
    var edge: Int32
}
