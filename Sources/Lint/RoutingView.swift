import IPAddressing
import NetworkModel
import Reachability

/// The route lookups the cross-resource rules need, answered by the reachability engine's compiled
/// topology (its LPM tables and tie-breaks), so that lint and `vpckit reach` never disagree on a winner.
struct RoutingView {
    /// The winner of a TGW route-table lookup.
    enum TGWChoice: Equatable {
        case attachment(String)
        case blackhole
    }

    let compiled: CompiledTopology

    init(_ topology: Topology) {
        compiled = CompiledTopology(topology)
    }

    /// The route subnet `name` uses for `address`: nil when no route matches (or the subnet is unknown).
    func route(fromSubnet name: String, to address: IPv4Address) -> CompiledRoute? {
        guard let s = compiled.subnet(named: name) else { return nil }
        return compiled.routeDecision(subnet: s, address: .v4(address)).chosen
    }

    /// The name of the peering a compiled route targets, if it targets one.
    func peeringName(of route: CompiledRoute) -> String? {
        if case .peering(let p) = route.target, compiled.peerings.indices.contains(p.position) {
            return compiled[p].name
        }
        return nil
    }

    /// TGW table `table` of transit gateway `tgw`.
    func tgwTableIndex(_ table: String, tgw: String) -> TGWRouteTableID? {
        compiled.tgwRouteTables.indices.first { i in
            let t = compiled.tgwRouteTables[i]
            return t.name == table && compiled.transitGateways.indices.contains(t.transitGatewayID.position)
                && compiled[t.transitGatewayID].name == tgw
        }.map { TGWRouteTableID($0) }
    }

    /// The attachment TGW table `table` forwards `address` to; nil for no route or a blackhole.
    func tgwTarget(table: TGWRouteTableID, _ address: IPv4Address) -> TGWAttachmentID? {
        guard let route = compiled.tgwRoute(table: table, address: .v4(address)), case .attachment(let a) = route.target else {
            return nil
        }
        return a
    }

    /// The route TGW table `table` picks for `address`, or nil when none matches.
    func tgwRoute(table: TGWRouteTableID, _ address: IPv4Address) -> TGWChoice? {
        guard let route = compiled.tgwRoute(table: table, address: .v4(address)) else { return nil }
        switch route.target {
        case .blackhole: return .blackhole
        case .attachment(let a):
            guard compiled.tgwAttachments.indices.contains(a.position) else { return nil }
            return .attachment(compiled[a].name)
        case .edgeAttachment:
            // A VPN, Direct Connect gateway or peering attachment (issue 18): no VPC attachment to follow.
            return nil
        }
    }
}

extension RouteDestination {
    var isPrefixList: Bool { if case .prefixList = self { true } else { false } }
}
