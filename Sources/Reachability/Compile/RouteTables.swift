import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// VPC route tables (same index as their ``RouteTableID``: per VPC the written tables, then AWS's implied
    /// main table with only the local routes). Each starts with the VPC's local routes; route texts are shared
    /// between equal routes (the same destination and target in many VPCs).
    mutating func buildRouteTables(_ c: inout CompileContext) {
        let r = c.resolved
        for (vi, vpc) in c.topology.vpcs.enumerated() {
            let v = Int32(vi)
            // The VPC's local routes, once for all its tables.
            let local = vpc.cidrs.map { CompiledRoute(prefix: .v4($0), target: .local, origin: .local, text: "local \($0)", location: nil) }
                + vpc.ipv6Cidrs.map { CompiledRoute(prefix: .v6($0), target: .local, origin: .local, text: "local \($0)", location: nil) }
            for t in r.vpcs[vi].routeTables {
                let resolvedTable = r.routeTables[t.position]
                guard let position = resolvedTable.position else {
                    // No main table written: AWS's main table holds only the local routes.
                    routeTables.append(CompiledRouteTable(name: "\(vpc.name)-main", awsID: nil, vpc: v, routes: local,
                                                          lpm: CompiledTopology.buildLPM(routes: local), location: nil))
                    continue
                }
                let table = vpc.routeTables[Int(position)]
                // Sized up front (local, written, the gateway endpoints' shared routes; a written prefix-list
                // route or a propagation may still grow it): the copy of `local` grew once or twice per table.
                var routes: [CompiledRoute] = []
                routes.reserveCapacity(local.count + table.routes.count + gatewayEndpointRouteCount(table: t.position, c))
                routes += local
                for (route, resolvedRoute) in zip(table.routes, r.routes[resolvedTable.routes]) {
                    let target = compiledTarget(resolvedRoute.target, written: route.target, vpc: v, &c)
                    let text = c.routeTexts.text(for: route, first: true) {
                        let targetText: String = switch route.target { case .blackhole: "blackhole"; default: "-> \(route.target)" }
                        return "route \(route.destination) \(targetText)"
                    }
                    for (p, pl) in CompiledTopology.expand(route.destination, resolvedRoute.destination, r) {
                        routes.append(CompiledRoute(prefix: p, target: target, origin: pl.map { .prefixList($0) } ?? .static,
                                                    text: text, location: route.location))
                    }
                }
                if !c.gatewayEndpointsByTable.isEmpty { appendGatewayEndpointRoutes(table: t.position, &routes, c) }
                var withdrawn: [WithdrawnRoute] = []
                if !resolvedTable.propagations.isEmpty { routes += propagatedRoutes(resolvedTable, vpc: vpc, r, withdrawn: &withdrawn) }
                routeTables.append(CompiledRouteTable(name: table.name, awsID: table.id, vpc: v, routes: routes,
                                                      lpm: CompiledTopology.buildLPM(routes: routes),
                                                      location: table.location, withdrawn: withdrawn))
            }
        }
    }

    /// The data plane's target for a resolved route target (interfaces by their compiled index).
    func compiledTarget(_ target: ResolvedRouteTarget, written: Route.Target, vpc: Int32, _ c: inout CompileContext) -> RouteTargetKind {
        switch target {
        case .local: return .local
        case .blackhole: return .blackhole
        case .internetGateway: return .internetGateway
        case .egressOnlyGateway: return .egressOnlyGateway
        case .peering(let p): return .peering(p)
        case .transitGateway(let t): return .transitGateway(t)
        case .vpnGateway(let g): return .vpnGateway(g)
        case .natGateway(let g):
            let i = c.interfaceOfNAT[g.position]
            if i >= 0 { return .natGateway(InterfaceID(i)) }
        case .interface(let e):
            let i = c.interfaceOfENI[e.position]
            if i >= 0 { return .interface(InterfaceID(i)) }
        case .unmodelled:
            if case .unmodelled(let id) = written { return .unmodelled(id) }
            // A route to a Gateway Load Balancer endpoint (the resolver's only other `.unmodelled`): followed when its
            // load balancer is in the model, else a target outside it.
            if case .named(let n) = written {
                if let g = followedGWLBEndpoint(named: n, vpc: vpc) { return .gatewayLoadBalancerEndpoint(g) }
                return .unmodelled("gwlbe \(n)")
            }
        case .unresolved:
            break
        }
        return .unresolved(written.description)
    }
}
