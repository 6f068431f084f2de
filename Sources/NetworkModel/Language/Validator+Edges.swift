// Validation of the network's edges (Docs/DSL.md "Edges"): VPN gateways, route propagation and gateway route
// tables, VPC endpoints, customer gateways, VPN connections, Direct Connect gateways and virtual interfaces,
// on-premises networks, TGW VPN / Direct Connect gateway / peering attachments, and the endpoints of asserts
// that name them. Runs only for a topology that has edges (``Validation/hasEdges``).
import IPAddressing
import Reporting

extension Validation {
    /// What an edge name denotes (kept beside the resolver's name table, whose kinds predate the edges).
    struct EdgeEntry: Sendable {
        enum Kind: String, Sendable {
            case vpnGateway = "VPN gateway", endpoint = "VPC endpoint", customerGateway = "customer gateway"
            case vpnConnection = "VPN connection", directConnectGateway = "Direct Connect gateway"
            case virtualInterface = "virtual interface", onPremises = "on-premises network"
            case loadBalancer = "load balancer", targetGroup = "target group"
        }
        var kind: Kind
        /// The owning VPC's index (VPN gateways and endpoints), else -1.
        var owner: Int
        /// Position in the owner's array of this kind (the topology's for top-level kinds).
        var position: Int
        var location: SourceLocation
    }

    /// The kinds an on-premises announcement (`via`) and an `EDGE:ADDRESS` endpoint may name.
    static let announcingKinds: [EdgeEntry.Kind] = [.vpnConnection, .virtualInterface, .vpnGateway, .directConnectGateway]

    // MARK: Names

    mutating func collectEdgeNames() {
        let t = topology
        hasEdges = !t.customerGateways.isEmpty || !t.vpnConnections.isEmpty || !t.directConnectGateways.isEmpty
            || !t.virtualInterfaces.isEmpty || !t.onPremisesNetworks.isEmpty
            || t.vpcs.contains { v in
                v.vpnGateway != nil || !v.endpoints.isEmpty || !v.loadBalancers.isEmpty || !v.targetGroups.isEmpty
                    || v.routeTables.contains { !$0.propagations.isEmpty || !$0.edgeAssociations.isEmpty }
            }
            || t.transitGateways.contains { $0.attachments.contains { $0.kind != .vpc } }
        guard hasEdges else { return }
        func declare(_ v: inout Validation, _ name: String, _ id: String?, _ entry: EdgeEntry) {
            if let previous = v.names[name] {
                v.duplicate(name, at: entry.location, previous: previous.kind.rawValue, line: Int(previous.line))
            } else if let previous = v.edgeNames[name] {
                v.duplicate(name, at: entry.location, previous: previous.kind.rawValue, line: previous.location.line)
            } else {
                v.edgeNames.set(entry, for: name)
            }
            if let id { v.edgeIDs.insertIfAbsent(id, entry) }
        }
        for (i, vpc) in t.vpcs.enumerated() {
            if let g = vpc.vpnGateway { declare(&self, g.name, g.id, EdgeEntry(kind: .vpnGateway, owner: i, position: 0, location: g.location)) }
            for (k, e) in vpc.endpoints.enumerated() {
                declare(&self, e.name, e.id, EdgeEntry(kind: .endpoint, owner: i, position: k, location: e.location))
            }
            for (k, lb) in vpc.loadBalancers.enumerated() {
                declare(&self, lb.name, lb.id, EdgeEntry(kind: .loadBalancer, owner: i, position: k, location: lb.location))
            }
            for (k, g) in vpc.targetGroups.enumerated() {
                declare(&self, g.name, g.id, EdgeEntry(kind: .targetGroup, owner: i, position: k, location: g.location))
            }
        }
        for (k, c) in t.customerGateways.enumerated() {
            declare(&self, c.name, c.id, EdgeEntry(kind: .customerGateway, owner: -1, position: k, location: c.location))
        }
        for (k, c) in t.vpnConnections.enumerated() {
            declare(&self, c.name, c.id, EdgeEntry(kind: .vpnConnection, owner: -1, position: k, location: c.location))
        }
        for (k, d) in t.directConnectGateways.enumerated() {
            declare(&self, d.name, d.id, EdgeEntry(kind: .directConnectGateway, owner: -1, position: k, location: d.location))
        }
        for (k, v) in t.virtualInterfaces.enumerated() {
            declare(&self, v.name, v.id, EdgeEntry(kind: .virtualInterface, owner: -1, position: k, location: v.location))
        }
        for (k, o) in t.onPremisesNetworks.enumerated() {
            declare(&self, o.name, nil, EdgeEntry(kind: .onPremises, owner: -1, position: k, location: o.location))
        }
    }

    mutating func duplicate(_ name: String, at location: SourceLocation, previous kind: String, line: Int) {
        let place = line > 0 ? " at line \(line)" : ""
        error(.duplicateName, "duplicate name '\(name)': already a \(kind)\(place)", at: location, word: name,
              hint: "names are unique across the topology")
    }

    /// The kind `name` has among every declared name (for "'x' is a …" messages), or nil.
    func kindName(of name: String) -> String? {
        if let e = edgeNames[name] { return e.kind.rawValue }
        return names[name]?.kind.rawValue
    }

    func edgeCandidates(_ kinds: [EdgeEntry.Kind], owner: Int? = nil) -> [String] {
        edgeNames.pairs.compactMap { name, e in kinds.contains(e.kind) && (owner == nil || e.owner == owner) ? name : nil }.sorted()
    }

    /// Resolves `name` as an edge of one of `kinds` (optionally owned by VPC `vpc`); reports and returns nil otherwise.
    @discardableResult
    mutating func resolveEdge(_ name: String, as kinds: [EdgeEntry.Kind], what: String, inVPC vpc: Int? = nil,
                              at location: SourceLocation, word: String? = nil) -> EdgeEntry? {
        let word = word ?? name
        guard let entry = edgeNames[name] else {
            if let other = names[name] {
                error(.wrongKind, "'\(name)' is a \(other.kind.rawValue), not a \(what)", at: location, word: word,
                      hint: didYouMean(name, edgeCandidates(kinds, owner: vpc)))
            } else {
                let pool = edgeCandidates(kinds, owner: vpc)
                error(.unknownName, "unknown \(what) '\(name)'", at: location, word: word,
                      hint: didYouMean(name, pool.isEmpty ? edgeCandidates(kinds) : pool))
            }
            return nil
        }
        guard kinds.contains(entry.kind) else {
            error(.wrongKind, "'\(name)' is a \(entry.kind.rawValue), not a \(what)", at: location, word: word,
                  hint: didYouMean(name, edgeCandidates(kinds, owner: vpc)))
            return nil
        }
        if let vpc, entry.owner != vpc {
            error(.wrongOwner, "\(what) '\(name)' is in vpc '\(vpcName(entry.owner))', not in vpc '\(vpcName(vpc))'", at: location,
                  word: word)
            return nil
        }
        return entry
    }

    /// A VPN gateway or a transit gateway, by name (DX gateway associations): "vgw" or "tgw", or nil after a report.
    mutating func resolveGateway(_ name: String, what: String, at location: SourceLocation) -> String? {
        if let e = edgeNames[name], e.kind == .vpnGateway { return "vgw" }
        if let e = names[name], e.kind == .transitGateway { return "tgw" }
        if let kind = kindName(of: name) {
            error(.wrongKind, "'\(name)' is a \(kind), not a \(what)", at: location, word: name,
                  hint: didYouMean(name, edgeCandidates([.vpnGateway]) + topology.transitGateways.map(\.name)))
        } else {
            error(.unknownName, "unknown \(what) '\(name)'", at: location, word: name,
                  hint: didYouMean(name, edgeCandidates([.vpnGateway]) + topology.transitGateways.map(\.name)))
        }
        return nil
    }

    // MARK: In a VPC

    mutating func checkVPCEdges(_ vpc: VPC, index: Int) {
        var edgeAssociated = NameMap<String>()
        for t in vpc.routeTables {
            var propagated = SmallSet<String>(expected: t.propagations.count)
            for g in t.propagations {
                guard resolveEdge(g, as: [.vpnGateway], what: "VPN gateway", inVPC: index, at: t.location) != nil else { continue }
                if !propagated.insert(g) {
                    error(.duplicateAssociation, "route table '\(t.name)' already propagates '\(g)'", at: t.location, word: g)
                }
            }
            for g in t.edgeAssociations {
                let isIGW = vpc.internetGateway?.name == g
                if !isIGW {
                    if let e = names[g], e.kind == .internetGateway {
                        error(.wrongOwner, "internet gateway '\(g)' is in vpc '\(vpcName(e.owner))', not in vpc '\(vpc.name)'",
                              at: t.location, word: g)
                        continue
                    }
                    guard resolveEdge(g, as: [.vpnGateway], what: "internet or VPN gateway", inVPC: index, at: t.location) != nil
                    else { continue }
                }
                if let other = edgeAssociated[g] {
                    error(.duplicateAssociation, other == t.name ? "gateway '\(g)' is listed twice in route table '\(other)'"
                          : "gateway '\(g)' is already edge-associated with route table '\(other)'", at: t.location, word: g,
                          hint: "a gateway has at most one gateway route table")
                } else { edgeAssociated.set(t.name, for: g) }
            }
        }
        for e in vpc.endpoints { checkEndpoint(e, vpc: vpc, index: index) }
        checkLoadBalancers(vpc, index: index)
    }

    /// A gateway load balancer endpoint's service: a `gateway` load balancer of the topology by name (or id), or an
    /// endpoint service name the model does not hold (`com.amazonaws.vpce.REGION.vpce-svc-…`: routes to the
    /// endpoint stop with `UNSUPPORTED_COMPONENT`).
    mutating func checkGatewayLoadBalancerService(_ e: VPCEndpoint) {
        if e.service.hasPrefix("com.amazonaws.vpce.") { return }
        guard let entry = edgeNames[e.service] ?? edgeIDs[e.service], entry.kind == .loadBalancer else {
            let gateways = topology.vpcs.flatMap { $0.loadBalancers.filter { $0.kind == .gateway }.map(\.name) }
            error(.unknownName, "gateway load balancer endpoint '\(e.name)' names unknown gateway load balancer '\(e.service)'",
                  at: e.location, word: e.service,
                  hint: didYouMean(e.service, gateways) ?? "declare 'load-balancer \(e.service) gateway subnets …', or name the endpoint service 'com.amazonaws.vpce.REGION.vpce-svc-…'")
            return
        }
        let lb = topology.vpcs[entry.owner].loadBalancers[entry.position]
        if lb.kind != .gateway {
            error(.vpcEndpoint, "gateway load balancer endpoint '\(e.name)' names \(lb.kind.rawValue) load balancer '\(lb.name)'",
                  at: e.location, word: e.service, hint: "a gateway load balancer endpoint serves a 'gateway' load balancer")
        }
    }

    /// The short name of an endpoint service (`com.amazonaws.us-east-1.s3` → `s3`).
    static func shortService(_ service: String) -> String {
        guard service.hasPrefix("com.amazonaws."), let dot = service.lastIndex(of: ".") else { return service }
        return String(service[service.index(after: dot)...])
    }

    mutating func checkEndpoint(_ e: VPCEndpoint, vpc: VPC, index: Int) {
        switch e.kind {
        case .gateway:
            let short = Validation.shortService(e.service)
            if short != "s3" && short != "dynamodb" {
                error(.vpcEndpoint, "gateway endpoint '\(e.name)' serves '\(e.service)'; gateway endpoints serve only s3 and dynamodb",
                      at: e.location, word: e.name, hint: "use 'endpoint \(e.name) interface \(e.service) subnets …'")
            }
            for t in e.routeTables {
                resolve(t, as: [.routeTable], what: "route table", inVPC: index, at: e.location)
            }
            let list = e.prefixList ?? short
            let declared = names[list]?.kind == .prefixList
            if !declared, e.prefixList != nil {
                error(.unknownName, "unknown prefix list '\(list)'", at: e.location, word: "pl:\(list)",
                      hint: didYouMean(list, candidates(Validation.prefixListKind)))
            } else if !declared {
                error(.unknownName, "gateway endpoint '\(e.name)' needs prefix list 'pl:\(list)' (the service's CIDRs)", at: e.location,
                      word: e.name, hint: "declare 'prefix-list \(list) { CIDR… }' once, or name one with 'prefix-list pl:NAME'")
            }
            if !e.subnets.isEmpty || !e.addresses.isEmpty || !e.securityGroups.isEmpty {
                error(.vpcEndpoint, "gateway endpoint '\(e.name)' has no subnets, addresses or security groups", at: e.location, word: e.name)
            }
        case .interface, .gatewayLoadBalancer:
            if e.kind == .gatewayLoadBalancer {
                checkGatewayLoadBalancerService(e)
                if !e.securityGroups.isEmpty || !e.privateDNS {
                    error(.vpcEndpoint, "gateway load balancer endpoint '\(e.name)' has no security groups or private DNS",
                          at: e.location, word: e.name)
                }
            }
            let subnets = zonalSubnets(e.subnets, of: "interface endpoint '\(e.name)'", kind: .vpcEndpoint, vpc: vpc, index: index,
                                       at: e.location, hint: "an interface endpoint has at most one subnet per availability zone")
            for g in e.securityGroups {
                resolve(g, as: Validation.securityGroupKind, what: "security group", inVPC: index, at: e.location)
            }
            if e.addresses.count > e.subnets.count {
                error(.vpcEndpoint, "interface endpoint '\(e.name)' has \(e.addresses.count) addresses for \(e.subnets.count) subnets",
                      at: e.location, word: e.addresses[e.subnets.count].description,
                      hint: "'ip' gives one address per subnet, in the order of 'subnets'")
            }
            if e.interfaceIDs.count > e.subnets.count {
                error(.vpcEndpoint, "interface endpoint '\(e.name)' has \(e.interfaceIDs.count) ENI ids for \(e.subnets.count) subnets",
                      at: e.location, word: e.interfaceIDs[e.subnets.count])
            }
            checkNodeAddresses(e.addresses, in: subnets, what: "endpoint address", vpc: vpc, before: e, at: e.location)
            if !e.routeTables.isEmpty || e.prefixList != nil {
                error(.vpcEndpoint, "interface endpoint '\(e.name)' takes no route tables or prefix list", at: e.location, word: e.name)
            }
        }
    }

    /// The subnets of something with one node per availability zone (an interface endpoint, a load balancer), in
    /// written order, nil where a name does not resolve; a second subnet in one zone is an error of `kind`.
    mutating func zonalSubnets(_ names: [String], of owner: String, kind: DiagnosticDescriptor, vpc: VPC, index: Int,
                               at location: SourceLocation, hint: String) -> [Subnet?] {
        var byZone: [String: String] = [:]
        var subnets: [Subnet?] = []
        for s in names {
            guard resolve(s, as: Validation.subnetKind, what: "subnet", inVPC: index, at: location),
                  let subnet = subnet(s, in: vpc) else { subnets.append(nil); continue }
            subnets.append(subnet)
            let zone = subnet.availabilityZone ?? ""
            if let other = byZone[zone] {
                error(kind, "\(owner) already has subnet '\(other)' in \(zone.isEmpty ? "the same availability zone" : "availability zone \(zone)")",
                      at: location, word: s, hint: hint)
            } else { byZone[zone] = s }
        }
        return subnets
    }

    /// The written node addresses (`ip`, one per subnet in order): each inside its subnet's usable addresses and
    /// held by nothing else of the VPC (interfaces, NAT gateways, interface endpoints written before `endpoint`).
    mutating func checkNodeAddresses(_ addresses: [IPv4Address], in subnets: [Subnet?], what: String, vpc: VPC,
                                     before endpoint: VPCEndpoint, at location: SourceLocation) {
        for (k, a) in addresses.enumerated() where k < subnets.count {
            guard let s = subnets[k] else { continue }
            if let problem = Validation.addressProblem(a, in: s) {
                error(.badInterfaceAddress, "\(what) \(a) \(problem)", at: location, word: a.description,
                      hint: "'ip' gives one address per subnet, in the order of 'subnets'")
            } else if let owner = addressOwner(a, in: vpc, before: endpoint) {
                error(.badInterfaceAddress, "address \(a) is already used by '\(owner)'", at: location, word: a.description,
                      hint: "private addresses are unique within a VPC")
            }
        }
    }

    /// Who else in `vpc` holds `address`: an instance interface, a NAT gateway, or an interface endpoint written
    /// before `endpoint` (one scan per written endpoint address: endpoints are few).
    func addressOwner(_ address: IPv4Address, in vpc: VPC, before endpoint: VPCEndpoint) -> String? {
        for i in vpc.instances {
            for eni in i.interfaces where eni.privateIP == address || eni.secondaryIPs.contains(address) {
                return i.interfaces.count == 1 ? i.name : "\(i.name).\(eni.name)"
            }
        }
        if let n = vpc.natGateways.first(where: { $0.privateIP == address }) { return n.name }
        for other in vpc.endpoints {
            if other.name == endpoint.name { break }
            if other.addresses.contains(address) { return other.name }
        }
        return nil
    }

    /// A route to an edge name (`names` has no entry for it): the VPC's own VPN gateway is a target; a gateway
    /// endpoint is reached through its `route-tables`, never a written route. False when `target` is no edge.
    mutating func checkEdgeRouteTarget(_ r: Route, target: String, vpc: VPC, index: Int, isIPv6: Bool?) -> Bool {
        guard hasEdges, let entry = edgeNames[target] else { return false }
        switch entry.kind {
        case .vpnGateway:
            if entry.owner != index {
                error(.wrongOwner, "route target '\(target)' is a VPN gateway in vpc '\(vpcName(entry.owner))', not in vpc '\(vpc.name)'",
                      at: r.location, word: target, hint: didYouMean(target, routeTargets(vpc: vpc, index: index)))
            } else if isIPv6 == true {
                error(.routeTarget, "VPN gateway '\(target)' routes only IPv4 destinations", at: r.location, word: target)
            }
        case .endpoint where topology.vpcs[entry.owner].endpoints[entry.position].kind == .gatewayLoadBalancer:
            if entry.owner != index {
                error(.wrongOwner, "route target '\(target)' is a gateway load balancer endpoint in vpc '\(vpcName(entry.owner))', not in vpc '\(vpc.name)'",
                      at: r.location, word: target, hint: "a route targets a gateway load balancer endpoint of its own VPC")
            }
        case .endpoint where topology.vpcs[entry.owner].endpoints[entry.position].kind == .gateway:
            error(.routeTarget, "a route cannot target gateway endpoint '\(target)'", at: r.location, word: target,
                  hint: "list the table in the endpoint's 'route-tables': AWS adds the 'pl:… -> \(target)' route itself")
        default:
            error(.wrongKind, "route target '\(target)' is a \(entry.kind.rawValue)", at: r.location, word: target,
                  hint: "a route targets a gateway, NAT gateway, VPN gateway, peering, transit gateway, instance, 'local' or 'blackhole'")
        }
        return true
    }

    // MARK: Transit gateway attachments of other kinds

    /// Checks a VPN, Direct Connect gateway or peering attachment of `tgw` (index `index`).
    mutating func checkEdgeAttachment(_ a: TGWAttachment, tgw: TransitGateway, index: Int) {
        switch a.kind {
        case .vpc: return
        case .vpn(let c):
            guard let e = resolveEdge(c, as: [.vpnConnection], what: "VPN connection", at: a.location) else { return }
            let connection = topology.vpnConnections[e.position]
            if connection.awsSide != .transitGateway(tgw.name) {
                let side: String = switch connection.awsSide {
                case .vpnGateway(let g): "VPN gateway '\(g)'"
                case .transitGateway(let g): "transit gateway '\(g)'"
                }
                error(.wrongOwner, "VPN connection '\(c)' ends on \(side), not on transit gateway '\(tgw.name)'", at: a.location, word: c,
                      hint: "write 'vpn-connection \(c) tgw \(tgw.name) …'")
            }
        case .directConnectGateway(let d):
            guard let e = resolveEdge(d, as: [.directConnectGateway], what: "Direct Connect gateway", at: a.location) else { return }
            if !topology.directConnectGateways[e.position].associations.contains(where: { $0.gateway == tgw.name }) {
                error(.badAttachment, "Direct Connect gateway '\(d)' has no association with transit gateway '\(tgw.name)'",
                      at: a.location, word: d, hint: "add 'associate \(tgw.name) allowed CIDR…' to dx-gateway '\(d)'")
            }
        case .peering(let peer):
            guard let e = names[peer], e.kind == .transitGateway else {
                if let kind = kindName(of: peer) {
                    error(.wrongKind, "'\(peer)' is a \(kind), not a transit gateway", at: a.location, word: peer,
                          hint: didYouMean(peer, topology.transitGateways.map(\.name)))
                } else {
                    error(.unknownName, "unknown transit gateway '\(peer)'", at: a.location, word: peer,
                          hint: didYouMean(peer, topology.transitGateways.map(\.name)))
                }
                return
            }
            if e.owner == index {
                error(.badAttachment, "transit gateway '\(tgw.name)' cannot peer with itself", at: a.location, word: peer)
            }
        }
    }

    /// A TGW route table propagating a peering attachment (routes over peering are static only).
    mutating func checkPropagation(_ name: String, tgw: TransitGateway, table: TGWRouteTable) {
        guard let a = tgw.attachments.first(where: { $0.name == name }), case .peering = a.kind else { return }
        error(.badAttachment, "peering attachment '\(name)' cannot propagate into route table '\(table.name)'", at: table.location, word: name,
              hint: "routes over a transit gateway peering are static: write 'route CIDR -> \(name)'")
    }

    // MARK: Top level

    mutating func checkEdges() {
        for c in topology.vpnConnections {
            resolveEdge(c.customerGateway, as: [.customerGateway], what: "customer gateway", at: c.location)
            switch c.awsSide {
            case .vpnGateway(let g):
                resolveEdge(g, as: [.vpnGateway], what: "VPN gateway", at: c.location)
            case .transitGateway(let g):
                guard resolve(g, as: [.transitGateway], what: "transit gateway", inVPC: nil, at: c.location),
                      let e = names[g] else { break }
                if !topology.transitGateways[e.owner].attachments.contains(where: { $0.kind == .vpn(connection: c.name) }) {
                    error(.badAttachment, "transit gateway '\(g)' has no attachment for VPN connection '\(c.name)'", at: c.location,
                          word: c.name, hint: "add 'attachment NAME vpn \(c.name)' to transit-gateway '\(g)'")
                }
            }
            if c.tunnels.count > 2 {
                error(.edge, "VPN connection '\(c.name)' has \(c.tunnels.count) tunnel states; a VPN connection has two tunnels",
                      at: c.location, word: c.name)
            }
        }
        for d in topology.directConnectGateways {
            var seen = SmallSet<String>(expected: d.associations.count)
            for a in d.associations {
                guard resolveGateway(a.gateway, what: "VPN gateway or transit gateway", at: a.location) != nil else { continue }
                if !seen.insert(a.gateway) {
                    error(.duplicateAssociation, "Direct Connect gateway '\(d.name)' already associates '\(a.gateway)'", at: a.location,
                          word: a.gateway)
                }
            }
        }
        for v in topology.virtualInterfaces {
            switch v.awsSide {
            case .vpnGateway(let g):
                if v.kind == .transit {
                    error(.edge, "transit virtual interface '\(v.name)' ends on VPN gateway '\(g)'", at: v.location, word: g,
                          hint: "a transit VIF ends on a Direct Connect gateway associated with transit gateways")
                } else {
                    resolveEdge(g, as: [.vpnGateway], what: "VPN gateway", at: v.location)
                }
            case .directConnectGateway(let g):
                resolveEdge(g, as: [.directConnectGateway], what: "Direct Connect gateway", at: v.location)
            }
        }
        for o in topology.onPremisesNetworks {
            if o.prefixes.isEmpty {
                error(.missingClause, "onprem '\(o.name)' declares no prefix", at: o.location, word: o.name,
                      hint: "write 'prefix CIDR…' (the addresses on premises)")
            }
            for a in o.announcements { _ = resolveAnnouncingEdge(a.edge, at: a.location) }
        }
    }

    /// An edge that can announce on-premises prefixes, by name or AWS id: a VPN connection, virtual interface,
    /// VPN gateway or Direct Connect gateway.
    mutating func resolveAnnouncingEdge(_ edge: String, at location: SourceLocation, word: String? = nil) -> EdgeEntry? {
        if let e = edgeIDs[edge], Validation.announcingKinds.contains(e.kind) { return e }
        return resolveEdge(edge, as: Validation.announcingKinds,
                           what: "edge (VPN connection, virtual interface, VPN gateway or Direct Connect gateway)", at: location,
                           word: word)
    }

    // MARK: Assertions

    /// An assertion endpoint naming an edge (`onprem:…`, `EDGE:ADDRESS`, or a name of an edge, a VPC endpoint,
    /// its id or service). True when `endpoint` was one of those (and checked).
    mutating func checkEdgeEndpoint(_ endpoint: Endpoint, _ assertion: Assertion) -> Bool {
        switch endpoint {
        case .onPremises(let n, let address):
            guard let e = resolveEdge(n, as: [.onPremises], what: "on-premises network", at: assertion.location,
                                      word: endpoint.description) else { return true }
            let network = topology.onPremisesNetworks[e.position]
            if let address {
                let inside: Bool = switch address {
                case .v4(let a): network.prefixes.contains { $0.contains(a) }
                case .v6: false
                }
                if !inside {
                    error(.badEndpoint, "'\(endpoint)' is outside on-premises network '\(n)' (\(network.prefixes.map(\.description).joined(separator: ", ")))",
                          at: assertion.location, word: endpoint.description)
                }
            }
            return true
        case .overEdge(let edge, _):
            _ = resolveAnnouncingEdge(edge, at: assertion.location, word: endpoint.description)
            return true
        case .named(let n):
            guard hasEdges else { return false }
            if let e = edgeNames[n] {
                if e.kind == .onPremises {
                    error(.wrongKind, "'\(n)' is an on-premises network; write 'onprem:\(n)'", at: assertion.location, word: n)
                } else if e.kind == .customerGateway {
                    error(.wrongKind, "'\(n)' is a customer gateway; an on-premises endpoint is 'onprem:NAME' or a VPN connection",
                          at: assertion.location, word: n)
                } else if e.kind == .targetGroup {
                    error(.wrongKind, "'\(n)' is a target group; name the load balancer in front of it, or a target",
                          at: assertion.location, word: n)
                }
                return true
            }
            if let e = edgeIDs[n], e.kind != .customerGateway, e.kind != .targetGroup { return true }
            for vpc in topology.vpcs where vpc.loadBalancers.contains(where: { $0.dnsName == n }) { return true }
            // The service as written, its short name or AWS's full name in the VPC's region: as the engine resolves it.
            for vpc in topology.vpcs where vpc.endpoints.contains(where: { $0.servesService(n, region: vpc.region) }) { return true }
            return false
        default:
            return false
        }
    }
}
