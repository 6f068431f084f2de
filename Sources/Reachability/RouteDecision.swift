import IPAddressing
import NetworkModel

/// The route a subnet uses for an address, and why every other candidate lost.
public struct RouteDecision: Sendable {
    /// A route whose prefix contains the address, and why it lost (nil for the winner).
    public struct Candidate: Sendable {
        public var route: CompiledRoute
        /// `shorter prefix (/16) than the match (/24): longest prefix wins`, …
        public var lostBecause: String?
        /// The Reachability Analyzer code for the loss (`MORE_SPECIFIC_ROUTE`, `HIGHER_PRIORITY_ROUTE`).
        public var code: ExplanationCode?
    }
    public var subnet: SubnetID
    /// The table used (the subnet's explicit association, else the VPC's main table).
    public var routeTable: RouteTableID
    public var isMainTable: Bool
    /// The winning route; nil: no route (or the address is in the subnet itself, see ``isWithinSubnet``).
    public var chosen: CompiledRoute?
    /// Every route containing the address, winner first, then by decreasing prefix length.
    public var candidates: [Candidate]
    /// True when the address is in the subnet: delivered on the subnet's link, no route lookup.
    public var isWithinSubnet: Bool
}

extension CompiledTopology {
    /// The subnet by name or AWS id.
    public func subnet(named name: String) -> SubnetID? {
        if let s = resolved.subnet(named: name) { return s }
        if case .subnet(let s)? = endpointNames.byAWSID[name] { return s }
        return nil
    }

    /// Explains the route lookup for `address` in the subnet's table: the match (through the compiled LPM
    /// table) and each other candidate with the reason it lost (longer match wins; equal prefixes: static
    /// beats the implicit local route, which beats prefix-list routes; among prefix lists the first name).
    public func routeDecision(subnet s: SubnetID, address: IPAddress) -> RouteDecision {
        let sub = subnets[s.position]
        let t = sub.routeTable
        let table = routeTables[Int(t)]
        let match = table.lpm.lookup(address)
        let chosen = match.map { table.routes[Int($0.value)] }
        var candidates: [RouteDecision.Candidate] = []
        let containing = table.routes.enumerated().filter { $0.element.prefix.contains(address) }
            .sorted { a, b in
                a.element.prefix.length != b.element.prefix.length ? a.element.prefix.length > b.element.prefix.length : a.offset < b.offset
            }
        if let match { candidates.append(RouteDecision.Candidate(route: table.routes[Int(match.value)], lostBecause: nil, code: nil)) }
        for (i, route) in containing where match.map({ Int($0.value) != i }) ?? true {
            guard let win = chosen else { continue }
            if route.prefix.length < win.prefix.length {
                candidates.append(.init(route: route, lostBecause: "shorter prefix (/\(route.prefix.length)) than the match (/\(win.prefix.length)): the longest prefix wins",
                                        code: .moreSpecificRoute))
            } else {
                let reason: String
                switch (win.origin, route.origin) {
                case (.static, .local): reason = "same prefix: the written route replaces the local route's target"
                case (.static, .prefixList(let n)): reason = "same prefix: a CIDR route beats the prefix-list route (pl:\(n))"
                case (.local, .prefixList(let n)): reason = "same prefix: the local route beats the prefix-list route (pl:\(n))"
                case (.prefixList(let a), .prefixList(let b)) where a != b: reason = "same prefix from two prefix lists: pl:\(a) sorts first"
                default: reason = "same prefix, written later: the first route wins"
                }
                candidates.append(.init(route: route, lostBecause: reason, code: .higherPriorityRoute))
            }
        }
        return RouteDecision(subnet: s, routeTable: RouteTableID(t), isMainTable: vpcs[Int(sub.vpc)].mainRouteTable == t, chosen: chosen,
                             candidates: candidates, isWithinSubnet: sub.contains(address))
    }

    /// Explains the lookup for `address` in a TGW route table: the winner (through the LPM table), then every other
    /// route containing the address with why it lost (`TGW_RTB_MORE_SPECIFIC_ROUTE`, `TGW_RTB_HIGHER_PRIORITY_ROUTE`:
    /// static over propagated; among propagated routes VPC over Direct Connect gateway over VPN, §6).
    public func tgwRouteDecision(table t: TGWRouteTableID, address: IPAddress) -> TGWRouteDecision {
        let table = tgwRouteTables[t.position]
        let match = table.lpm.lookup(address).map { Int($0.value) }
        var candidates: [TGWRouteDecision.Candidate] = []
        guard let w = match else { return TGWRouteDecision(routeTable: t, chosen: nil, candidates: []) }
        let win = table.routes[w]
        candidates.append(.init(route: win, lostBecause: nil, code: nil))
        let kind = { (r: CompiledTGWRoute) -> String in
            switch (r.origin, self.tgwTier(of: r)) {
            case (.propagated, 1): "Direct Connect gateway-propagated"
            case (.propagated, 2): "VPN-propagated"
            case (.propagated, _): "VPC-propagated"
            case (.prefixList, _): "prefix-list"
            default: "static"
            }
        }
        let others = table.routes.enumerated().filter { $0.offset != w && $0.element.prefix.contains(address) }
            .sorted { $0.element.prefix.length != $1.element.prefix.length ? $0.element.prefix.length > $1.element.prefix.length : $0.offset < $1.offset }
        for (_, route) in others {
            if route.prefix.length < win.prefix.length {
                candidates.append(.init(route: route, lostBecause: "shorter prefix (/\(route.prefix.length)) than the match (/\(win.prefix.length)): the longest prefix wins",
                                        code: .tgwRTBMoreSpecificRoute))
            } else {
                let why = kind(win) == kind(route)
                    ? "same prefix, both \(kind(win)): BGP prefers the match (higher local preference, then shorter AS path, then the first propagated)"
                    : "same prefix: a \(kind(win)) route beats a \(kind(route)) one"
                candidates.append(.init(route: route, lostBecause: why, code: .tgwRTBHigherPriorityRoute))
            }
        }
        return TGWRouteDecision(routeTable: t, chosen: win, candidates: candidates)
    }

    /// The winning route for `address` in a TGW route table (through its LPM table).
    public func tgwRoute(table t: TGWRouteTableID, address: IPAddress) -> CompiledTGWRoute? {
        tgwRouteTables[t.position].lpm.lookup(address).map { tgwRouteTables[t.position].routes[Int($0.value)] }
    }
}

/// The route a TGW route table uses for an address, and why every other candidate lost (§6).
public struct TGWRouteDecision: Sendable {
    /// A route whose prefix contains the address, and why it lost (nil for the winner).
    public struct Candidate: Sendable {
        public var route: CompiledTGWRoute
        public var lostBecause: String?
        /// `TGW_RTB_MORE_SPECIFIC_ROUTE` or `TGW_RTB_HIGHER_PRIORITY_ROUTE` (nil for the winner).
        public var code: ExplanationCode?
    }
    public var routeTable: TGWRouteTableID
    /// The winning route; nil: no route matches.
    public var chosen: CompiledTGWRoute?
    /// Every route containing the address, winner first, then by decreasing prefix length.
    public var candidates: [Candidate]
}
