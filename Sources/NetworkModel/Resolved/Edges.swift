import IPAddressing

// MARK: - The network's edges, resolved (VGWs, customer gateways, VPN connections, Direct Connect, on-premises
// networks, TGW attachments of kinds other than VPC, route propagation and gateway route tables)

extension ComponentKinds {
    public enum VPNGateway: ComponentIDKind { public static var kindName: String { "vpn-gateway" } }
    public enum CustomerGateway: ComponentIDKind { public static var kindName: String { "customer-gateway" } }
    public enum VPNConnection: ComponentIDKind { public static var kindName: String { "vpn-connection" } }
    public enum DirectConnectGateway: ComponentIDKind { public static var kindName: String { "dx-gateway" } }
    public enum VirtualInterface: ComponentIDKind { public static var kindName: String { "dx-vif" } }
    public enum OnPremisesNetwork: ComponentIDKind { public static var kindName: String { "onprem" } }
    public enum TGWEdgeAttachment: ComponentIDKind { public static var kindName: String { "edge-attachment" } }
}

/// A virtual private gateway; its index is its VPC's (a VPC has at most one).
public typealias VPNGatewayID = ComponentID<ComponentKinds.VPNGateway>
public typealias CustomerGatewayID = ComponentID<ComponentKinds.CustomerGateway>
public typealias VPNConnectionID = ComponentID<ComponentKinds.VPNConnection>
public typealias DirectConnectGatewayID = ComponentID<ComponentKinds.DirectConnectGateway>
public typealias VirtualInterfaceID = ComponentID<ComponentKinds.VirtualInterface>
public typealias OnPremisesNetworkID = ComponentID<ComponentKinds.OnPremisesNetwork>
/// A transit gateway attachment of kind VPN, Direct Connect gateway or peering: never a ``TGWAttachmentID``
/// (which always names a VPC attachment), so that VPC-only code cannot take one for a VPC attachment.
public typealias TGWEdgeAttachmentID = ComponentID<ComponentKinds.TGWEdgeAttachment>

/// An edge between AWS and on-premises that announces prefixes (`via EDGE`, `--onprem CIDR@EDGE`, `EDGE:ADDR`).
public enum ResolvedEdge: Sendable, Hashable {
    case vpnConnection(VPNConnectionID)
    case virtualInterface(VirtualInterfaceID)
    case vpnGateway(VPNGatewayID)
    case directConnectGateway(DirectConnectGatewayID)
}

/// A VPC's virtual private gateway.
public struct ResolvedVPNGateway: Sendable, Hashable {
    public let vpc: VPCID
    /// The VPC's route tables that propagate it (`propagate NAME`), in table order.
    public internal(set) var propagatingTables: [RouteTableID] = []
    /// The gateway route table edge-associated with it (`edge-associate NAME`; the last written).
    public internal(set) var edgeRouteTable: RouteTableID?
    /// The VPN connections ending on it.
    public internal(set) var vpnConnections: [VPNConnectionID] = []
    /// The private VIFs ending on it directly.
    public internal(set) var virtualInterfaces: [VirtualInterfaceID] = []
    /// The Direct Connect gateway associations with it (indices into ``ResolvedTopology/dxAssociations``).
    public internal(set) var dxAssociations: [Int] = []
}

/// A customer gateway.
public struct ResolvedCustomerGateway: Sendable, Hashable {
    /// Position in ``Topology/customerGateways``.
    public let position: Int32
}

/// Where an edge ends on the AWS side.
public enum ResolvedEdgeSide: Sendable, Hashable {
    case vpnGateway(VPNGatewayID)
    case transitGateway(TransitGatewayID)
    case directConnectGateway(DirectConnectGatewayID)
    /// The name denotes nothing usable (validation reports it): the edge carries nothing.
    case unresolved
}

/// A Site-to-Site VPN connection.
public struct ResolvedVPNConnection: Sendable, Hashable {
    public let position: Int32
    /// `.vpnGateway` or `.transitGateway` (or `.unresolved`).
    public internal(set) var awsSide: ResolvedEdgeSide
    /// For a TGW side: the TGW's `vpn` attachment naming this connection (nil: none, the connection carries
    /// nothing through the TGW).
    public internal(set) var tgwAttachment: TGWEdgeAttachmentID?
    public internal(set) var customerGateway: CustomerGatewayID?
    /// True when telemetry was reported and every tunnel is down (`BAD_STATE_VPN`).
    public internal(set) var tunnelsDown: Bool
}

/// A Direct Connect gateway.
public struct ResolvedDirectConnectGateway: Sendable, Hashable {
    public let position: Int32
    /// Its associations (a range of ``ResolvedTopology/dxAssociations``).
    public internal(set) var associations: Range<Int>
    /// The VIFs ending on it.
    public internal(set) var virtualInterfaces: [VirtualInterfaceID] = []
    /// The TGW attachments of kind `dx-gateway` naming it.
    public internal(set) var tgwAttachments: [TGWEdgeAttachmentID] = []
}

/// A Direct Connect gateway association with a VGW or TGW.
public struct ResolvedDXAssociation: Sendable, Hashable {
    public let directConnectGateway: DirectConnectGatewayID
    /// Position in the gateway's ``DirectConnectGateway/associations``.
    public let position: Int32
    /// `.vpnGateway` or `.transitGateway` (or `.unresolved`).
    public let gateway: ResolvedEdgeSide
}

/// A Direct Connect virtual interface.
public struct ResolvedVirtualInterface: Sendable, Hashable {
    public let position: Int32
    /// `.vpnGateway` or `.directConnectGateway` (or `.unresolved`).
    public let awsSide: ResolvedEdgeSide
}

/// An on-premises network and the edges announcing it.
public struct ResolvedOnPremisesNetwork: Sendable, Hashable {
    public let position: Int32
    /// Its announcements (a range of ``ResolvedTopology/onPremisesAnnouncements``), in written order.
    public internal(set) var announcements: Range<Int>
}

/// One announcement of an on-premises network over an edge.
public struct ResolvedAnnouncement: Sendable, Hashable {
    public let network: OnPremisesNetworkID
    /// Position in the network's ``OnPremisesNetwork/announcements``.
    public let position: Int32
    /// nil: the edge name denotes nothing (validation reports it): the announcement carries nothing.
    public let edge: ResolvedEdge?
}

/// A TGW attachment of a kind other than VPC.
public struct ResolvedTGWEdgeAttachment: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// nil: the connection does not exist.
        case vpn(VPNConnectionID?)
        case directConnectGateway(DirectConnectGatewayID?)
        /// The peer TGW and its peering attachment back to this TGW (nil: missing).
        case peering(TransitGatewayID?, peer: TGWEdgeAttachmentID?)
    }
    public let transitGateway: TransitGatewayID
    /// Position in the TGW's ``TransitGateway/attachments``.
    public let position: Int32
    public internal(set) var kind: Kind
    /// The TGW route table associated with it (the last association written).
    public internal(set) var associatedRouteTable: TGWRouteTableID?
}

extension TGWAttachment.Kind {
    /// True for `attachment NAME peering TGW`.
    public var isPeering: Bool { if case .peering = self { true } else { false } }
}

/// A gateway a route table can be edge-associated with.
public enum ResolvedEdgeGateway: Sendable, Hashable {
    case internetGateway(InternetGatewayID)
    case vpnGateway(VPNGatewayID)
}

extension ResolvedTopology {
    /// True when the topology has any edge (VGW, VPN, DX, on-prem network, non-VPC TGW attachment, gateway
    /// route table): code for topologies without edges branches on this once.
    public var hasEdges: Bool {
        !vpnGateways.isEmpty || !vpnConnections.isEmpty || !directConnectGateways.isEmpty || !virtualInterfaces.isEmpty
            || !onPremisesNetworks.isEmpty || !tgwEdgeAttachments.isEmpty || !internetGatewayRouteTables.isEmpty
    }

    /// The VGW of VPC `vpc`, when it has one.
    public func vpnGateway(of vpc: VPCID) -> VPNGatewayID? {
        topology.vpcs[vpc.position].vpnGateway == nil ? nil : VPNGatewayID(vpc.index)
    }
    /// The VGW named `name` or with AWS id `name`.
    public func vpnGateway(named name: String) -> VPNGatewayID? {
        guard !vpnGateways.isEmpty else { return nil }
        return topology.vpcs.firstIndex { $0.vpnGateway.map { $0.name == name || $0.id == name } ?? false }.map(VPNGatewayID.init)
    }
    public func customerGateway(named name: String) -> CustomerGatewayID? {
        topology.customerGateways.lastIndex { $0.name == name || $0.id == name }.map(CustomerGatewayID.init)
    }
    public func vpnConnection(named name: String) -> VPNConnectionID? {
        topology.vpnConnections.lastIndex { $0.name == name || $0.id == name }.map(VPNConnectionID.init)
    }
    public func directConnectGateway(named name: String) -> DirectConnectGatewayID? {
        topology.directConnectGateways.lastIndex { $0.name == name || $0.id == name }.map(DirectConnectGatewayID.init)
    }
    public func virtualInterface(named name: String) -> VirtualInterfaceID? {
        topology.virtualInterfaces.lastIndex { $0.name == name || $0.id == name }.map(VirtualInterfaceID.init)
    }
    public func onPremisesNetwork(named name: String) -> OnPremisesNetworkID? {
        topology.onPremisesNetworks.lastIndex { $0.name == name }.map(OnPremisesNetworkID.init)
    }
    /// The edge named `name` or with AWS id `name`: a VPN connection, VIF, VGW or Direct Connect gateway (in
    /// that order when names collide, which validation reports).
    public func edge(named name: String) -> ResolvedEdge? {
        if let c = vpnConnection(named: name) { return .vpnConnection(c) }
        if let v = virtualInterface(named: name) { return .virtualInterface(v) }
        if let g = vpnGateway(named: name) { return .vpnGateway(g) }
        if let d = directConnectGateway(named: name) { return .directConnectGateway(d) }
        return nil
    }
    /// The non-VPC attachment of `transitGateway` named `name`.
    public func tgwEdgeAttachment(named name: String, in transitGateway: TransitGatewayID) -> TGWEdgeAttachmentID? {
        transitGateways[transitGateway.position].edgeAttachments.last { model($0).name == name }
    }

    public func model(_ id: VPNGatewayID) -> VPNGateway? { topology.vpcs[id.position].vpnGateway }
    public func model(_ id: CustomerGatewayID) -> CustomerGateway { topology.customerGateways[id.position] }
    public func model(_ id: VPNConnectionID) -> VPNConnection { topology.vpnConnections[id.position] }
    public func model(_ id: DirectConnectGatewayID) -> DirectConnectGateway { topology.directConnectGateways[id.position] }
    public func model(_ id: VirtualInterfaceID) -> VirtualInterface { topology.virtualInterfaces[id.position] }
    public func model(_ id: OnPremisesNetworkID) -> OnPremisesNetwork { topology.onPremisesNetworks[id.position] }
    public func model(_ id: TGWEdgeAttachmentID) -> TGWAttachment {
        let a = tgwEdgeAttachments[id.position]
        return topology.transitGateways[a.transitGateway.position].attachments[Int(a.position)]
    }
    public func model(_ a: ResolvedAnnouncement) -> OnPremisesNetwork.Announcement {
        topology.onPremisesNetworks[a.network.position].announcements[Int(a.position)]
    }
    public func model(_ a: ResolvedDXAssociation) -> DirectConnectGateway.Association {
        topology.directConnectGateways[a.directConnectGateway.position].associations[Int(a.position)]
    }

    public func name(of id: VPNGatewayID) -> String { model(id)?.name ?? "" }
    public func name(of id: CustomerGatewayID) -> String { model(id).name }
    public func name(of id: VPNConnectionID) -> String { model(id).name }
    public func name(of id: DirectConnectGatewayID) -> String { model(id).name }
    public func name(of id: VirtualInterfaceID) -> String { model(id).name }
    public func name(of id: OnPremisesNetworkID) -> String { model(id).name }
    public func name(of id: TGWEdgeAttachmentID) -> String { model(id).name }
    public func name(of edge: ResolvedEdge) -> String {
        switch edge {
        case .vpnConnection(let c): name(of: c)
        case .virtualInterface(let v): name(of: v)
        case .vpnGateway(let g): name(of: g)
        case .directConnectGateway(let d): name(of: d)
        }
    }
    /// The AWS id of an edge, when known.
    public func awsID(of edge: ResolvedEdge) -> String? {
        switch edge {
        case .vpnConnection(let c): model(c).id
        case .virtualInterface(let v): model(v).id
        case .vpnGateway(let g): model(g)?.id
        case .directConnectGateway(let d): model(d).id
        }
    }

    // MARK: Resolving

    /// VGWs, customer gateways, VPN connections, Direct Connect, on-premises networks and gateway route tables;
    /// after VPCs, route tables and transit gateways.
    mutating func resolveEdges() {
        let t = topology
        // VGWs: per VPC that has one (index = the VPC's); the array is empty unless some VPC has one.
        if t.vpcs.contains(where: { $0.vpnGateway != nil }) {
            vpnGateways = t.vpcs.indices.map { ResolvedVPNGateway(vpc: VPCID($0)) }
        }
        // Propagation and edge associations, table by table.
        for (vi, vpc) in t.vpcs.enumerated() where !vpc.routeTables.isEmpty {
            for tid in vpcs[vi].routeTables {
                guard let p = routeTables[tid.position].position else { continue }
                let table = vpc.routeTables[Int(p)]
                guard !table.propagations.isEmpty || !table.edgeAssociations.isEmpty else { continue }
                for name in table.propagations {
                    if let g = vpc.vpnGateway, g.name == name || g.id == name {
                        routeTables[tid.position].propagations.append(VPNGatewayID(vi))
                        vpnGateways[vi].propagatingTables.append(tid)
                    }
                }
                for name in table.edgeAssociations {
                    if let g = vpc.internetGateway, g.name == name || g.id == name {
                        routeTables[tid.position].edgeAssociations.append(.internetGateway(InternetGatewayID(vi)))
                        internetGatewayRouteTables[VPCID(vi)] = tid
                    } else if let g = vpc.vpnGateway, g.name == name || g.id == name {
                        routeTables[tid.position].edgeAssociations.append(.vpnGateway(VPNGatewayID(vi)))
                        vpnGateways[vi].edgeRouteTable = tid
                    }
                }
            }
        }
        customerGateways = t.customerGateways.indices.map { ResolvedCustomerGateway(position: Int32($0)) }
        // Direct Connect gateways and their associations.
        for (di, dx) in t.directConnectGateways.enumerated() {
            let d = DirectConnectGatewayID(di)
            let start = dxAssociations.count
            for (k, a) in dx.associations.enumerated() {
                let side = gatewaySide(a.gateway)
                if case .vpnGateway(let g) = side { vpnGateways[g.position].dxAssociations.append(dxAssociations.count) }
                dxAssociations.append(ResolvedDXAssociation(directConnectGateway: d, position: Int32(k), gateway: side))
            }
            directConnectGateways.append(ResolvedDirectConnectGateway(position: Int32(di), associations: start..<dxAssociations.count))
        }
        for (ci, c) in t.vpnConnections.enumerated() {
            let id = VPNConnectionID(ci)
            var side = ResolvedEdgeSide.unresolved
            var attachment: TGWEdgeAttachmentID? = nil
            switch c.awsSide {
            case .vpnGateway(let n):
                if let g = vpnGateway(named: n) {
                    side = .vpnGateway(g)
                    vpnGateways[g.position].vpnConnections.append(id)
                }
            case .transitGateway(let n):
                if let tg = transitGateway(named: n) {
                    side = .transitGateway(tg)
                    attachment = transitGateways[tg.position].edgeAttachments.last {
                        if case .vpn(let x) = tgwEdgeAttachments[$0.position].kind { return x == id } else { return false }
                    }
                }
            }
            let down = !c.tunnels.isEmpty && c.tunnels.allSatisfy { $0 == .down }
            vpnConnections.append(ResolvedVPNConnection(position: Int32(ci), awsSide: side, tgwAttachment: attachment,
                                                        customerGateway: customerGateway(named: c.customerGateway),
                                                        tunnelsDown: down))
        }
        for (vi, vif) in t.virtualInterfaces.enumerated() {
            let id = VirtualInterfaceID(vi)
            var side = ResolvedEdgeSide.unresolved
            switch vif.awsSide {
            case .vpnGateway(let n):
                if let g = vpnGateway(named: n) {
                    side = .vpnGateway(g)
                    vpnGateways[g.position].virtualInterfaces.append(id)
                }
            case .directConnectGateway(let n):
                if let d = directConnectGateway(named: n) {
                    side = .directConnectGateway(d)
                    directConnectGateways[d.position].virtualInterfaces.append(id)
                }
            }
            virtualInterfaces.append(ResolvedVirtualInterface(position: Int32(vi), awsSide: side))
        }
        // TGW edge attachments that name connections / DX gateways (resolved before the connections exist in
        // the arrays: names only).
        for (ai, a) in tgwEdgeAttachments.enumerated() {
            let att = model(TGWEdgeAttachmentID(ai))
            switch att.kind {
            case .vpc: break
            case .vpn(let n): tgwEdgeAttachments[ai].kind = .vpn(vpnConnection(named: n))
            case .directConnectGateway(let n):
                let d = directConnectGateway(named: n)
                tgwEdgeAttachments[ai].kind = .directConnectGateway(d)
                if let d { directConnectGateways[d.position].tgwAttachments.append(TGWEdgeAttachmentID(ai)) }
            case .peering(let n):
                guard let far = transitGateway(named: n) else { tgwEdgeAttachments[ai].kind = .peering(nil, peer: nil); continue }
                let peer = transitGateways[far.position].edgeAttachments.last {
                    if case .peering(let back) = model($0).kind { return transitGateway(named: back) == a.transitGateway }
                    return false
                }
                tgwEdgeAttachments[ai].kind = .peering(far, peer: peer)
            }
        }
        // VPN connections on a TGW: the attachment naming them (now that attachments are resolved).
        for ci in vpnConnections.indices {
            guard case .transitGateway(let tg) = vpnConnections[ci].awsSide else { continue }
            vpnConnections[ci].tgwAttachment = transitGateways[tg.position].edgeAttachments.last {
                if case .vpn(let x) = tgwEdgeAttachments[$0.position].kind { return x == VPNConnectionID(ci) } else { return false }
            }
        }
        for (ni, n) in t.onPremisesNetworks.enumerated() {
            let id = OnPremisesNetworkID(ni)
            let start = onPremisesAnnouncements.count
            for (k, a) in n.announcements.enumerated() {
                onPremisesAnnouncements.append(ResolvedAnnouncement(network: id, position: Int32(k), edge: edge(named: a.edge)))
            }
            onPremisesNetworks.append(ResolvedOnPremisesNetwork(position: Int32(ni), announcements: start..<onPremisesAnnouncements.count))
        }
    }

    /// A DX association's gateway: a VGW or a TGW by name or id.
    func gatewaySide(_ name: String) -> ResolvedEdgeSide {
        if let g = vpnGateway(named: name) { return .vpnGateway(g) }
        if let tg = transitGateway(named: name) { return .transitGateway(tg) }
        return .unresolved
    }
}

// MARK: - Command-line edge facts (`--onprem CIDR@EDGE`, `--assume-tunnels-up`)

extension Topology {
    /// `--assume-tunnels-up`: every VPN connection's tunnel telemetry is dropped, so that each is analysed as
    /// configured (no telemetry = up).
    public mutating func assumeTunnelsUp() {
        for i in vpnConnections.indices { vpnConnections[i].tunnels = [] }
    }

    /// `--onprem CIDR@EDGE`: on-premises announces `prefix` over `edge` (a VPN connection, VIF, VGW or Direct
    /// Connect gateway, by name or AWS id). Adds the announcement to the on-premises network named after the
    /// prefix (`onprem:10.10.0.0/16`), created when absent. Returns an error message when `edge` names no edge.
    ///
    /// What it adds is located at `origin` (default: `--onprem PREFIX@EDGE`, the option that says so), a name in
    /// the file table at line 0, so that findings about it name the option (`--onprem 10.0.10.0/24@vpn: warning: …`)
    /// as a whole-file message names its file.
    @discardableResult
    public mutating func announceOnPremises(_ prefix: IPv4Prefix, over edge: String, origin: String? = nil) -> String? {
        let known = vpnConnections.contains { $0.name == edge || $0.id == edge }
            || virtualInterfaces.contains { $0.name == edge || $0.id == edge }
            || vpcs.contains { $0.vpnGateway.map { $0.name == edge || $0.id == edge } ?? false }
            || directConnectGateways.contains { $0.name == edge || $0.id == edge }
        guard known else {
            return "'\(prefix)@\(edge)': no VPN connection, virtual interface, VGW or Direct Connect gateway is named or has id '\(edge)'"
        }
        let name = prefix.description
        let location = files.location(file: origin ?? "--onprem \(prefix)@\(edge)", line: 0, column: 0, kind: .option)
        if let i = onPremisesNetworks.firstIndex(where: { $0.name == name }) {
            onPremisesNetworks[i].announcements.append(.init(edge: edge, location: location))
        } else {
            onPremisesNetworks.append(OnPremisesNetwork(name: name, prefixes: [prefix], announcements: [.init(edge: edge, location: location)],
                                                        location: location))
        }
        return nil
    }
}
