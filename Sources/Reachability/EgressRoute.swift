// Per-interface answers for packet replay, read from the same plain-data tables as the walk (so right after a
// walk they are cache hits).
import IPAddressing
import NetworkModel

/// How a packet an interface sends leaves its subnet: what VPC Flow Logs' `traffic-path` field encodes.
public enum EgressRoute: Hashable, Sendable {
    /// The destination is in the interface's own subnet (no route lookup).
    case sameSubnet
    /// The subnet's route table has no route for the destination.
    case noRoute
    case local, internetGateway, egressOnlyGateway, blackhole, unresolved
    /// A route to a target outside the model (`-> unmodelled ID`): what happens beyond it is unknown.
    case unmodelled
    /// Through a NAT gateway's interface.
    case natGateway(InterfaceID)
    case peering(PeeringID)
    case transitGateway(TransitGatewayID)
    /// Through the VPC's virtual private gateway (toward on-premises).
    case vpnGateway(VPNGatewayID)
    /// Through an instance interface (appliance routing).
    case interface(InterfaceID)
    /// Through a gateway endpoint (S3, DynamoDB).
    case gatewayEndpoint(VPCEndpointID)
}

extension CompiledTopology {
    /// The primary private IPv4 address of interface `e`.
    @inlinable public func primaryAddress(ofInterface e: InterfaceID) -> IPv4Address {
        interfacePrimaryAddress(e.index)
    }

    @usableFromInline func interfacePrimaryAddress(_ e: Int32) -> IPv4Address { interfaceHot[Int(e)].primaryIP }

    /// The route interface `e`'s subnet uses for `destination`: the walk's own lookup (IPv4 interval list,
    /// IPv6 LPM), for replay records after a walk.
    public func egressRoute(fromInterface e: InterfaceID, to destination: IPAddress) -> EgressRoute {
        let s = interfaceHot[Int(e.index)].subnet
        let sub = subnetHot[Int(s)]
        if subnetContains(s, sub, destination) { return .sameSubnet }
        let target: HotRouteTarget
        if case .v4(let d) = destination {
            let hit = routeInterval(sub.routes, d)
            guard hit.route >= 0 else { return .noRoute }
            target = hit.target
        } else if let m = routeTables[Int(sub.routeTable)].lpm.lookup(destination) {
            target = routeTargetHot[Int(routeTableBase[Int(sub.routeTable)]) + Int(m.value)]
        } else {
            return .noRoute
        }
        switch target {
        case .local: return .local
        case .blackhole: return .blackhole
        case .internetGateway: return .internetGateway
        case .egressOnlyGateway: return .egressOnlyGateway
        case .natGateway(let n): return .natGateway(InterfaceID(n))
        case .peering(let p): return .peering(PeeringID(p))
        case .transitGateway(let t): return .transitGateway(TransitGatewayID(t))
        case .interface(let i): return .interface(InterfaceID(i))
        case .vpnGateway(let g): return .vpnGateway(VPNGatewayID(g))
        case .unresolved: return .unresolved
        case .unmodelled: return .unmodelled
        case .gatewayEndpoint(let g): return .gatewayEndpoint(VPCEndpointID(g))
        // [choice] Flow-log replay's traffic-path for a packet toward a GWLB endpoint: unknown, as for a target
        // outside the model (the endpoint's, load balancer's and appliances' own records are not written).
        case .gatewayLoadBalancerEndpoint: return .unmodelled
        }
    }
}
