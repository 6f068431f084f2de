import IPAddressing
import NetworkModel
import Reporting

// `vpckit route FILE SUBNET IP`: the text and JSON of a ``RouteDecision``, built here so the CLI only picks the
// format (issue 17). JSON keys: `subnet`, `address`, `routeTable`, `main`, `withinSubnet`, `match` (a route or
// null), `candidates` (`route`, `lostBecause`, `code`); a route is `prefix`, `target`, `origin`, `text`,
// `location` (Docs/REACH-JSON.md, last section).

extension CompiledTopology {
    /// The name a route's target goes by: `local`, `blackhole`, the gateway's, interface's, peering's or transit
    /// gateway's name, `NAME (unresolved)`, `unmodelled ID`.
    public func routeTargetName(_ r: CompiledRoute) -> String {
        switch r.target {
        case .local: "local"
        case .blackhole: "blackhole"
        case .internetGateway: vpcs[Int(routeTables.first { $0.routes.contains(r) }?.vpc ?? 0)].internetGateway?.name ?? "igw"
        case .egressOnlyGateway: "egress-only gateway"
        case .natGateway(let i), .interface(let i): interfaces[i.position].name
        case .peering(let p): peerings[p.position].name
        case .transitGateway(let t): transitGateways[t.position].name
        case .vpnGateway(let g): resolved.name(of: g)
        case .unresolved(let n): "\(n) (unresolved)"
        case .unmodelled(let id): "unmodelled \(id)"
        case .gatewayEndpoint(let e), .gatewayLoadBalancerEndpoint(let e): resolved.name(of: e)
        }
    }

    /// `subnet S uses route table T (main)`, the match, and the candidates that lost with why.
    public func routeReportText(_ d: RouteDecision, subnet: String, address ip: String) -> String {
        let table = routeTables[d.routeTable.position]
        func where_(_ r: CompiledRoute) -> String {
            if let l = r.location, l.line > 0 { return " (\(topology.files.place(of: l)))" }
            return r.origin == .local ? " (implicit)" : ""
        }
        var out = "subnet \(subnet) uses route table \(table.name)\(d.isMainTable ? " (main)" : "")\n"
        if d.isWithinSubnet { out += "note: \(ip) is inside subnet \(subnet): delivered on the subnet, no route lookup\n" }
        if let c = d.chosen {
            out += "match: \(c.prefix) -> \(routeTargetName(c)) [\(c.origin)] \(c.text)\(where_(c))\n"
            if case .unmodelled(let id) = c.target {
                out += "note: \(id) is not modelled: VPCKit cannot tell what happens beyond it (UNSUPPORTED_COMPONENT)\n"
            }
        } else {
            out += "match: none: no route for \(ip) (NO_ROUTE_TO_DESTINATION)\n"
        }
        let losers = d.candidates.filter { $0.lostBecause != nil }
        if !losers.isEmpty {
            out += "other candidates:\n"
            for c in losers {
                out += "  \(c.route.prefix) -> \(routeTargetName(c.route)) [\(c.route.origin)]\(where_(c.route)): \(c.lostBecause ?? "")\n"
            }
        }
        return out
    }

    /// The decision as JSON (keys above).
    public func routeReportJSON(_ d: RouteDecision, subnet: String, address ip: String) -> JSONValue {
        let table = routeTables[d.routeTable.position]
        func routeJSON(_ r: CompiledRoute) -> JSONValue {
            .object([("prefix", .string(r.prefix.description)), ("target", .string(routeTargetName(r))),
                     ("origin", .string(r.origin.description)), ("text", .string(r.text)),
                     ("location", r.location.flatMap { $0.line > 0 ? .string(topology.files.place(of: $0)) : nil } ?? .null)])
        }
        return .object([
            ("subnet", .string(subnet)), ("address", .string(ip)), ("routeTable", .string(table.name)),
            ("main", .bool(d.isMainTable)), ("withinSubnet", .bool(d.isWithinSubnet)),
            ("match", d.chosen.map(routeJSON) ?? .null),
            ("candidates", .array(d.candidates.filter { $0.lostBecause != nil }.map { c in
                .object([("route", routeJSON(c.route)), ("lostBecause", .string(c.lostBecause ?? "")),
                         ("code", c.code.map { .string($0.rawValue) } ?? .null)])
            })),
        ])
    }

    /// A TGW route table by name or AWS id (`vpckit route FILE TABLE IP` when TABLE names no subnet).
    public func tgwRouteTable(named name: String) -> TGWRouteTableID? {
        tgwRouteTables.firstIndex { $0.name == name || $0.awsID == name }.map { TGWRouteTableID($0) }
    }

    /// The name a TGW route's target goes by: the attachment's name, or `blackhole`.
    public func tgwRouteTargetName(_ r: CompiledTGWRoute) -> String {
        switch r.target {
        case .attachment(let a): tgwAttachments[a.position].name
        case .edgeAttachment(let e): edgePlane.tgwEdgeAttachments[e.position].name
        case .blackhole: "blackhole"
        }
    }

    /// `transit gateway route table T (TGW)`, the match, and the candidates that lost with why and their code.
    public func tgwRouteReportText(_ d: TGWRouteDecision, address ip: String) -> String {
        let table = tgwRouteTables[d.routeTable.position]
        var out = "transit gateway route table \(table.name) (\(transitGateways[Int(table.transitGateway)].name))\n"
        if let c = d.chosen {
            out += "match: \(c.prefix) -> \(tgwRouteTargetName(c)) [\(c.origin)] \(c.text)\n"
        } else {
            out += "match: none: no route for \(ip) (NO_ROUTE_TO_DESTINATION)\n"
        }
        let losers = d.candidates.filter { $0.lostBecause != nil }
        if !losers.isEmpty {
            out += "other candidates:\n"
            for c in losers {
                out += "  \(c.route.prefix) -> \(tgwRouteTargetName(c.route)) [\(c.route.origin)]: \(c.lostBecause ?? "")\(c.code.map { " (\($0.rawValue))" } ?? "")\n"
            }
        }
        return out
    }

    /// The TGW decision as JSON: `transitGatewayRouteTable`, `transitGateway`, `address`, `match`, `candidates`
    /// (`route`, `lostBecause`, `code`); a route is `prefix`, `target`, `origin`, `text`.
    public func tgwRouteReportJSON(_ d: TGWRouteDecision, address ip: String) -> JSONValue {
        let table = tgwRouteTables[d.routeTable.position]
        func routeJSON(_ r: CompiledTGWRoute) -> JSONValue {
            .object([("prefix", .string(r.prefix.description)), ("target", .string(tgwRouteTargetName(r))),
                     ("origin", .string(r.origin.description)), ("text", .string(r.text))])
        }
        return .object([
            ("transitGatewayRouteTable", .string(table.name)), ("transitGateway", .string(transitGateways[Int(table.transitGateway)].name)),
            ("address", .string(ip)), ("match", d.chosen.map(routeJSON) ?? .null),
            ("candidates", .array(d.candidates.filter { $0.lostBecause != nil }.map { c in
                .object([("route", routeJSON(c.route)), ("lostBecause", .string(c.lostBecause ?? "")),
                         ("code", c.code.map { .string($0.rawValue) } ?? .null)])
            })),
        ])
    }
}
