import IPAddressing
import NetworkModel

// Which pairs of parties a change between two versions of a topology can affect (`vpckit diff`, issue 19).
//
// The two models are compared resource by resource, by name. A pair's walk visits its two ends' security groups,
// the route tables and NACLs of their subnets (both ways: the reply leaves through the destination's subnet), and
// whatever forwards the packet in between (NAT gateways, transit gateway attachments, appliances, peerings,
// gateways); security-group rules, routes and NACL rules match by the far end's address. So the pairs compared are
// rectangles (sources × destinations):
// - a group's changed ingress rules: the parties a changed rule can match × the group's members (egress: the
//   other way; groups are stateful: replies pass without rules);
// - a route table's or NACL's changed routes or rules: the parties of the subnets using it × the parties with an
//   address in a changed block, both ways; changed associations: the subnets' parties against everyone. Where one
//   of those subnets holds something that forwards, what it forwards is looked up (or filtered) there too: a
//   route's block then adds, for a TGW attachment, nothing unless a TGW route sends an overlapping block to it
//   (else the block's parties against everyone); for a NAT gateway, its clients against the block's parties (and
//   its clients in the block against everyone); for an appliance, the block's parties against everyone
//   (``forwardedLookups``). A NACL's block there: its parties against everyone;
// - an instance added, removed or changed: its interfaces against everyone (and the internet when it has a public
//   IP: the internet stands for the public addresses no interface holds).
// A block holding a NAT gateway's address also holds the gateway's clients (translated packets carry the gateway's
// address): the parties of the subnets routing to it, or everyone when what forwards there may send through it
// (``SideIndex/natClients(_:)``).
// Everything else — prefix lists, peerings, transit gateways, VPN, Direct Connect, on-premises networks, a VPC's
// blocks, subnets, gateways, NAT gateways or endpoints, a table's main or gateway associations, a group held by
// an appliance, an instance that forwards, or one whose addresses move beside a NAT gateway or endpoint (whose
// picked addresses may move too) — makes every pair worth comparing: the scope is full.

extension DiffScope {
    /// The parties whose connections the differences between `old` and `new` can change.
    static func of(old: CompiledTopology, new: CompiledTopology) -> DiffScope {
        var scope = DiffScope(fullReason: nil)
        if let reason = scope.collect(old: old, new: new) { return .full(reason) }
        return scope
    }

    /// Fills the affected sets; returns why the scope must be full, if it must.
    private mutating func collect(old: CompiledTopology, new: CompiledTopology) -> String? {
        let a = old.topology, b = new.topology
        if a.prefixLists != b.prefixLists { return "prefix lists differ" }
        if a.peerings != b.peerings { return "peerings differ" }
        if a.transitGateways != b.transitGateways { return "transit gateways differ" }
        if a.customerGateways != b.customerGateways || a.vpnConnections != b.vpnConnections { return "VPN connections differ" }
        if a.directConnectGateways != b.directConnectGateways || a.virtualInterfaces != b.virtualInterfaces {
            return "Direct Connect differs"
        }
        if a.onPremisesNetworks != b.onPremisesNetworks { return "on-premises networks differ" }
        let vpcsA = Dictionary(a.vpcs.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let vpcsB = Dictionary(b.vpcs.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        if Set(vpcsA.keys) != Set(vpcsB.keys) { return "a VPC was added or removed" }
        let sides = [SideIndex(old), SideIndex(new)]
        for name in a.vpcs.map(\.name) {
            guard let va = vpcsA[name], let vb = vpcsB[name], va != vb else { continue }
            var ra = va, rb = vb
            ra.routeTables = []; rb.routeTables = []
            ra.networkACLs = []; rb.networkACLs = []
            ra.securityGroups = []; rb.securityGroups = []
            ra.instances = []; rb.instances = []
            if ra != rb { return "vpc '\(name)': its blocks, subnets, gateways, NAT gateways or endpoints differ" }
            if let r = routeTables(va, vb, sides) { return r }
            if let r = networkACLs(va, vb, sides) { return r }
            if let r = securityGroups(va, vb, sides) { return r }
            if let r = instances(va, vb, sides) { return r }
        }
        return nil
    }

    private mutating func affect(_ keys: some Sequence<DiffPartyKey>, asSource: Bool = true, asDestination: Bool = true) {
        for k in keys {
            if asSource { affectedSources.insert(k) }
            if asDestination { affectedDestinations.insert(k) }
        }
    }

    private mutating func affectPairs(_ sources: [DiffPartyKey], _ destinations: [DiffPartyKey]) {
        if sources.isEmpty || destinations.isEmpty { return }
        rectangles.append((Set(sources), Set(destinations)))
    }

    /// The parties a block can hold the far address of: interfaces with an address in it, the internet when it
    /// overlaps the internet's addresses, an on-premises network when it overlaps its prefixes — and, when it holds
    /// a NAT gateway's address (private or elastic), the gateway's clients (``SideIndex/natClients(_:)``): a
    /// packet translated there carries the gateway's address instead of its source's, and its reply is addressed
    /// to it. nil when such a gateway's clients are unbounded (anyone may be behind it): everyone.
    private func regionParties(_ region: [IPPrefix], _ sides: [SideIndex]) -> [DiffPartyKey]? {
        var out: [DiffPartyKey] = []
        for side in sides {
            var seen: Set<Int32> = []
            for (a, n) in side.natAddresses where region.contains(where: { $0.contains(a) }) && seen.insert(n).inserted {
                guard let clients = side.natClients(n) else { return nil }
                out += clients
            }
            out += side.parties(in: region) + side.outsideParties(overlapping: region)
        }
        return out
    }

    /// A changed route's block on subnets that hold something that forwards (`subnets`, per version): the lookups
    /// that can differ besides the subnets' own parties' (Walk.swift: a walk looks a packet up in a subnet's table
    /// when a party there sends, or when something there forwards it — a TGW attachment delivering into the VPC, a
    /// NAT gateway after translating or translating back, an appliance):
    /// - a TGW attachment: only packets whose destination a TGW route sends to it, so nothing when no such route
    ///   overlaps the region; otherwise the region's parties against everyone;
    /// - a NAT gateway: its clients' packets to the region's parties (and the replies, addressed to clients in the
    ///   region): its clients × the region both ways, and its clients in the region against everyone; a gateway
    ///   whose clients are unbounded counts as everyone's;
    /// - an appliance: anything may pass, so the region's parties against everyone.
    /// False when the scope must be full (the region's parties are unbounded and everyone's packets may be
    /// looked up there).
    private mutating func forwardedLookups(_ subnets: [Set<String>], _ region: [IPPrefix], _ far: [DiffPartyKey]?,
                                           _ sides: [SideIndex]) -> Bool {
        var everyone = false
        var clients: [DiffPartyKey] = []
        for (side, names) in zip(sides, subnets) {
            for name in names {
                for i in side.interfacesBySubnet[name] ?? [] {
                    switch side.c.interfaces[i].kind {
                    case .tgwAttachment(let a):
                        if side.attachmentDelivers(a.index, into: region) { everyone = true }
                    case .natGateway:
                        if let c = side.natClients(Int32(i)) { clients += c } else { everyone = true }
                    case .instance:
                        // An appliance: anything may pass through it.
                        if side.forwardingInterfaces.contains(i) { everyone = true }
                    case .vpcEndpoint, .loadBalancer:
                        // They answer, never forward.
                        continue
                    }
                }
            }
        }
        if everyone {
            guard let far else { return false }
            affect(far)
            return true
        }
        if clients.isEmpty { return true }
        guard let far else {
            affect(clients)
            return true
        }
        affectPairs(clients, far)
        affectPairs(far, clients)
        let inRegion = Set(far)
        affect(Set(clients.filter { inRegion.contains($0) }))
        return true
    }

    /// `local` against `far` both ways; against everyone when `far` is nil.
    private mutating func affectBothWays(_ local: [DiffPartyKey], _ far: [DiffPartyKey]?) {
        guard let far else { affect(local); return }
        affectPairs(local, far)
        affectPairs(far, local)
    }

    /// The internet and every on-premises network, both ways.
    private mutating func affectOutside(_ sides: [SideIndex]) {
        affect(sides.flatMap(\.outsideParties))
    }

    /// A block of changed routes or rules on a subnet that forwards: the parties with an address in it (and the
    /// internet and on-premises networks when it reaches outside every VPC).
    private mutating func routeTables(_ va: VPC, _ vb: VPC, _ sides: [SideIndex]) -> String? {
        let ta = Dictionary(va.routeTables.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let tb = Dictionary(vb.routeTables.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(ta.keys).union(tb.keys).sorted() where ta[name] != tb[name] {
            if ta[name]?.edgeAssociations.isEmpty == false || tb[name]?.edgeAssociations.isEmpty == false {
                return "gateway route table '\(name)' changed"
            }
            let subnets = sides.map { $0.subnets(withRouteTable: name) }
            let transit = zip(sides, subnets).contains { side, s in !side.transitSubnets.isDisjoint(with: s) }
            let local = Array(Set(zip(sides, subnets).flatMap { side, s in side.parties(inSubnets: s) }))
            guard let x = ta[name], let y = tb[name], subnets[0] == subnets[1], x.isMain == y.isMain,
                  x.propagations == y.propagations, x.edgeAssociations == y.edgeAssociations else {
                // Which subnets use it, or what it holds beyond its routes, changed: its parties, against everyone.
                if transit { return "route table '\(name)' of a subnet that forwards traffic changed its associations" }
                affect(local)
                continue
            }
            // Only the lookups of far addresses in a changed route's block can differ: the parties of its subnets
            // with those (both ways), and, where something forwards, those against everyone.
            let changed = Self.symmetricDifference(x.routes.map { RouteKey(destination: $0.destination, target: $0.target) },
                                                   y.routes.map { RouteKey(destination: $0.destination, target: $0.target) })
            let region = changed.flatMap { sides[0].prefixes(of: $0.destination) }
            let far = regionParties(region, sides)
            affectBothWays(local, far)
            if transit, !forwardedLookups(subnets, region, far, sides) {
                return "route table '\(name)' of a subnet that forwards traffic changed a route to a NAT gateway's address"
            }
        }
        return nil
    }

    private mutating func networkACLs(_ va: VPC, _ vb: VPC, _ sides: [SideIndex]) -> String? {
        let ta = Dictionary(va.networkACLs.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let tb = Dictionary(vb.networkACLs.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(ta.keys).union(tb.keys).sorted() where ta[name] != tb[name] {
            if ta[name]?.isDefault != tb[name]?.isDefault, ta[name]?.isDefault == true || tb[name]?.isDefault == true {
                return "the default network ACL of vpc '\(va.name)' changed"
            }
            let subnets = sides.map { $0.subnets(withNetworkACL: name) }
            let transit = zip(sides, subnets).contains { side, s in !side.transitSubnets.isDisjoint(with: s) }
            let local = Array(Set(zip(sides, subnets).flatMap { side, s in side.parties(inSubnets: s) }))
            guard let x = ta[name], let y = tb[name], subnets[0] == subnets[1] else {
                if transit { return "network ACL '\(name)' of a subnet that forwards traffic changed its associations" }
                affect(local)
                continue
            }
            // First match: a packet whose far address no changed rule's block holds meets the same rules.
            let changed = Self.symmetricDifference(x.inbound.map { NACLKey($0, inbound: true) } + x.outbound.map { NACLKey($0, inbound: false) },
                                                   y.inbound.map { NACLKey($0, inbound: true) } + y.outbound.map { NACLKey($0, inbound: false) })
            let far = regionParties(changed.map(\.cidr), sides)
            affectBothWays(local, far)
            if transit {
                guard let far else { return "network ACL '\(name)' of a subnet that forwards traffic changed a rule for a NAT gateway's address" }
                affect(far)
            }
        }
        return nil
    }

    private mutating func securityGroups(_ va: VPC, _ vb: VPC, _ sides: [SideIndex]) -> String? {
        let ga = Dictionary(va.securityGroups.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let gb = Dictionary(vb.securityGroups.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(ga.keys).union(gb.keys).sorted() where ga[name] != gb[name] {
            // The rules' far ends: a rule matches a packet by the other end's address (or group), so only the
            // parties a changed rule can match see a different answer at the group's members.
            var ingressPeers: [DiffPartyKey]? = nil, egressPeers: [DiffPartyKey]? = nil
            if let x = ga[name], let y = gb[name], x.isDefault == y.isDefault, x.id == y.id {
                ingressPeers = peers(Self.symmetricDifference(x.ingress, y.ingress), sides)
                if let e = x.egress, let f = y.egress { egressPeers = peers(Self.symmetricDifference(e, f), sides) }
                else if x.egress == nil && y.egress == nil { egressPeers = [] }
            }
            var members: [DiffPartyKey] = []
            for side in sides {
                let m = side.members(ofGroup: name)
                if m.contains(where: { side.forwardingInterfaces.contains($0) }) {
                    return "security group '\(name)' is held by an interface that forwards traffic"
                }
                members += m.compactMap { side.key(ofInterface: $0) }
            }
            members = Array(Set(members))
            if let ingressPeers { affectPairs(ingressPeers, members) } else { affect(members, asSource: false, asDestination: true) }
            if let egressPeers { affectPairs(members, egressPeers) } else { affect(members, asSource: true, asDestination: false) }
        }
        return nil
    }

    private mutating func instances(_ va: VPC, _ vb: VPC, _ sides: [SideIndex]) -> String? {
        let ia = Dictionary(va.instances.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        let ib = Dictionary(vb.instances.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
        for name in Set(ia.keys).union(ib.keys).sorted() where ia[name] != ib[name] {
            // The addresses it holds: when they move, a NAT gateway's or endpoint's picked address may move too.
            func held(_ i: Instance?) -> [[String]]? {
                i?.interfaces.map { [$0.subnet, $0.privateIP.description] + $0.secondaryIPs.map(\.description) }
            }
            let moved = held(ia[name]) != held(ib[name])
            for side in sides {
                let ifaces = side.interfaces(ofInstance: name)
                for i in ifaces {
                    if side.forwardingInterfaces.contains(i) { return "instance '\(name)' forwards traffic" }
                    if moved, side.pickedAddressSubnets.contains(side.subnetOf(i)) {
                        return "instance '\(name)' shares a subnet with a NAT gateway or endpoint"
                    }
                    if side.hasPublicIP(i) { affectOutside(sides) }
                }
                affect(ifaces.compactMap { side.key(ofInterface: $0) })
            }
        }
        return nil
    }

    /// The parties the peers of `rules` can match (either version).
    /// nil: everyone (a peer block holds a NAT gateway's address).
    private func peers(_ rules: [SecurityGroupRule], _ sides: [SideIndex]) -> [DiffPartyKey]? {
        var out: [DiffPartyKey] = []
        for r in rules {
            switch r.peer {
            case .cidr(let p):
                guard let far = regionParties([p], sides) else { return nil }
                out += far
            case .prefixList(let n):
                guard let far = regionParties(sides[0].prefixes(of: .prefixList(n)), sides) else { return nil }
                out += far
            case .securityGroup(let g):
                for side in sides { out += side.members(ofGroup: g).compactMap { side.key(ofInterface: $0) } }
            }
        }
        return Array(Set(out))
    }

    struct RouteKey: Hashable { var destination: RouteDestination; var target: Route.Target }
    struct NACLKey: Hashable {
        var number: Int, action: NetworkACLRule.Action, ipProtocol: IPProtocol, ports: PortRange?, cidr: IPPrefix, inbound: Bool
        init(_ r: NetworkACLRule, inbound: Bool) {
            number = r.number; action = r.action; ipProtocol = r.ipProtocol; ports = r.ports; cidr = r.cidr
            self.inbound = inbound
        }
    }

    /// The elements in one list and not the other, counted as multisets.
    static func symmetricDifference<T: Hashable>(_ x: [T], _ y: [T]) -> [T] {
        var count: [T: Int] = [:]
        for e in x { count[e, default: 0] += 1 }
        for e in y { count[e, default: 0] -= 1 }
        return count.filter { $0.value != 0 }.map(\.key)
    }
}

/// One version's lookups for ``DiffScope``: subnets, groups and instances → interfaces, and what forwards.
struct SideIndex {
    let c: CompiledTopology
    /// Subnet names holding a NAT gateway, a TGW attachment's ENI or an interface that forwards.
    var transitSubnets: Set<String> = []
    /// Subnet names holding a NAT gateway or an interface endpoint's ENI (addresses the model may pick).
    var pickedAddressSubnets: Set<String> = []
    /// Interfaces that forward: source/destination check off, or the target of a route.
    var forwardingInterfaces: Set<Int> = []
    var interfacesBySubnet: [String: [Int]] = [:]
    var interfacesByGroup: [String: [Int]] = [:]
    var interfacesByInstance: [String: [Int]] = [:]
    var vpcBlocks: [IPPrefix] = []
    /// NAT gateways' private and elastic addresses (translated packets carry them), with the gateway's interface.
    var natAddresses: [(address: IPAddress, nat: Int32)] = []
    /// Per NAT gateway interface: the route tables (compiled indices) with a route to it.
    var tablesByNAT: [Int32: [Int32]] = [:]
    /// Per route table: the subnets (compiled indices) using it.
    var subnetsByTable: [Int32: [Int32]] = [:]
    /// Per TGW attachment: the prefixes of every TGW route that sends to it (what it can deliver into its VPC).
    var prefixesByAttachment: [Int32: [IPPrefix]] = [:]
    /// The internet and each on-premises network, as parties.
    var outsideParties: [DiffPartyKey] = []

    init(_ c: CompiledTopology) {
        self.c = c
        var targets: Set<String> = []
        for v in c.topology.vpcs {
            for t in v.routeTables {
                for r in t.routes {
                    if case .named(let n) = r.target {
                        targets.insert(n)
                        if let dot = n.firstIndex(of: ".") { targets.insert(String(n[..<dot])) }
                    }
                }
            }
            vpcBlocks += v.cidrs.map { .v4($0) } + v.ipv6Cidrs.map { .v6($0) }
        }
        // Sized up front: growing these maps rehashed every name (a tenth of a narrow diff's own time).
        interfacesBySubnet.reserveCapacity(c.subnets.count)
        interfacesByGroup.reserveCapacity(c.securityGroups.count)
        interfacesByInstance.reserveCapacity(c.interfaces.count)
        for (i, iface) in c.interfaces.enumerated() {
            let subnet = c.subnets[Int(iface.subnet)].name
            interfacesBySubnet[subnet, default: []].append(i)
            if iface.securityGroupSet >= 0 {
                for g in c.securityGroupSets[Int(iface.securityGroupSet)].groups {
                    interfacesByGroup[c.securityGroups[Int(g)].name, default: []].append(i)
                }
            }
            switch iface.kind {
            case .instance(let name):
                interfacesByInstance[name, default: []].append(i)
                if !iface.sourceDestCheck || targets.contains(name) || targets.contains(iface.name) {
                    forwardingInterfaces.insert(i)
                    transitSubnets.insert(subnet)
                }
            case .natGateway(let eip, _):
                natAddresses.append((.v4(iface.primaryIP), Int32(i)))
                if let eip { natAddresses.append((.v4(eip), Int32(i))) }
                if let p = iface.publicIP { natAddresses.append((.v4(p), Int32(i))) }
                transitSubnets.insert(subnet)
                pickedAddressSubnets.insert(subnet)
            case .tgwAttachment:
                transitSubnets.insert(subnet)
            case .vpcEndpoint, .loadBalancer:
                pickedAddressSubnets.insert(subnet)
            }
        }
        // An instance forwards as a whole: every interface of one that is a route target or has the check off.
        for (_, ifaces) in interfacesByInstance where ifaces.contains(where: forwardingInterfaces.contains) {
            for i in ifaces {
                forwardingInterfaces.insert(i)
                transitSubnets.insert(c.subnets[Int(c.interfaces[i].subnet)].name)
            }
        }
        for (t, table) in c.routeTables.enumerated() {
            for r in table.routes {
                if case .natGateway(let n) = r.target, tablesByNAT[n.index]?.last != Int32(t) { tablesByNAT[n.index, default: []].append(Int32(t)) }
            }
        }
        for (s, subnet) in c.subnets.enumerated() where subnet.routeTable >= 0 {
            subnetsByTable[subnet.routeTable, default: []].append(Int32(s))
        }
        for table in c.tgwRouteTables {
            for r in table.routes {
                if case .attachment(let a) = r.target { prefixesByAttachment[a.index, default: []].append(r.prefix) }
            }
        }
        outsideParties = [DiffPartyKey(kind: .internet, name: "internet")]
            + c.topology.onPremisesNetworks.map { DiffPartyKey(kind: .onprem, name: "onprem:\($0.name)") }
    }

    /// The internet when `region` overlaps its addresses; each on-premises network whose prefixes it overlaps.
    func outsideParties(overlapping region: [IPPrefix]) -> [DiffPartyKey] {
        var out: [DiffPartyKey] = []
        let internet = c.internetAddresses
        let public4 = IPv4PrefixSet(region.compactMap { if case .v4(let p) = $0 { p } else { nil } })
        let public6 = IPv6PrefixSet(region.compactMap { if case .v6(let p) = $0 { p } else { nil } })
        if !internet.v4.intersection(public4).isEmpty || !internet.v6.intersection(public6).isEmpty {
            out.append(DiffPartyKey(kind: .internet, name: "internet"))
        }
        for n in c.topology.onPremisesNetworks where n.prefixes.contains(where: { p in region.contains { $0.overlaps(.v4(p)) } }) {
            out.append(DiffPartyKey(kind: .onprem, name: "onprem:\(n.name)"))
        }
        return out
    }

    func subnetOf(_ i: Int) -> String { c.subnets[Int(c.interfaces[i].subnet)].name }

    func hasPublicIP(_ i: Int) -> Bool { c.interfaces[i].publicIP != nil || !c.interfaces[i].publicIPKnown }

    /// The party key of an interface (instance interfaces and endpoint ENIs; nil for NAT and TGW ENIs).
    func key(ofInterface i: Int) -> DiffPartyKey? {
        let iface = c.interfaces[i]
        switch iface.kind {
        case .instance: return DiffPartyKey(kind: .interface, name: iface.name)
        case .vpcEndpoint: return DiffPartyKey(kind: .vpcEndpoint, name: iface.name)
        default: return nil
        }
    }

    func members(ofGroup name: String) -> [Int] { interfacesByGroup[name] ?? [] }
    func interfaces(ofInstance name: String) -> [Int] { interfacesByInstance[name] ?? [] }

    func subnets(withRouteTable name: String) -> Set<String> {
        Set(c.subnets.filter { $0.routeTable >= 0 && Int($0.routeTable) < c.routeTables.count && c.routeTables[Int($0.routeTable)].name == name }.map(\.name))
    }

    func subnets(withNetworkACL name: String) -> Set<String> {
        Set(c.subnets.filter { $0.networkACL >= 0 && Int($0.networkACL) < c.networkACLs.count && c.networkACLs[Int($0.networkACL)].name == name }.map(\.name))
    }

    func parties(inSubnets names: Set<String>) -> [DiffPartyKey] {
        names.flatMap { interfacesBySubnet[$0] ?? [] }.compactMap { key(ofInterface: $0) }
    }

    /// The parties with an address in one of `region`'s blocks.
    func parties(in region: [IPPrefix]) -> [DiffPartyKey] {
        if region.isEmpty { return [] }
        func inRegion(_ a: IPAddress) -> Bool { region.contains { $0.contains(a) } }
        return c.interfaces.indices.filter { i in
            let iface = c.interfaces[i]
            return inRegion(.v4(iface.primaryIP)) || iface.secondaryIPs.contains { inRegion(.v4($0)) }
                || iface.ipv6Addresses.contains { inRegion(.v6($0)) } || iface.publicIP.map { inRegion(.v4($0)) } == true
        }.compactMap { key(ofInterface: $0) }
    }

    /// The parties whose packets NAT gateway `n` can translate (so whose flows can carry its address): the parties
    /// of the subnets whose route table has a route to it. nil when anything else can send through it — a NAT
    /// gateway or an appliance in such a subnet (what they forward comes from anywhere), or a TGW attachment there
    /// whose deliveries (``prefixesByAttachment``) the table can send to the gateway: then anyone may be behind it.
    /// A walk reaches a NAT gateway only through a lookup in a table of its VPC naming it (Walk.swift: a route
    /// target), and such a lookup happens for the packets of a subnet's own parties and of what forwards there.
    func natClients(_ n: Int32) -> [DiffPartyKey]? {
        var out: [DiffPartyKey] = []
        for t in tablesByNAT[n] ?? [] {
            for s in subnetsByTable[t] ?? [] {
                for i in interfacesBySubnet[c.subnets[Int(s)].name] ?? [] where Int32(i) != n {
                    switch c.interfaces[i].kind {
                    case .tgwAttachment(let a):
                        if deliveries(ofAttachment: a.index, canReachNAT: n, subnet: s, table: t) { return nil }
                    case .natGateway: return nil
                    case .instance:
                        if forwardingInterfaces.contains(i) { return nil }
                        if let k = key(ofInterface: i) { out.append(k) }
                    case .vpcEndpoint, .loadBalancer:
                        continue
                    }
                }
            }
        }
        return out
    }

    /// True when a packet TGW attachment `a` delivers into subnet `s` (its destination in a prefix a TGW route
    /// sends to the attachment) can be routed by the subnet's table `t` to NAT gateway `n`: IPv4 exactly, from the
    /// table's interval list (the winning route per address); IPv6 by any route to the gateway overlapping.
    func deliveries(ofAttachment a: Int32, canReachNAT n: Int32, subnet s: Int32, table t: Int32) -> Bool {
        let delivered = prefixesByAttachment[a] ?? []
        if delivered.isEmpty { return false }
        let slice = c.subnetHot[Int(s)].routes
        let start = Int(slice.start), end = start + Int(slice.count)
        for k in start..<end {
            guard case .natGateway(let m) = c.routeIntervals[k].target, m == n else { continue }
            let lo = c.routeIntervals[k].start
            let hi = k + 1 < end ? c.routeIntervals[k + 1].start &- 1 : UInt32.max
            for case .v4(let p) in delivered where p.network.bits <= hi && p.last.bits >= lo { return true }
        }
        for r in c.routeTables[Int(t)].routes {
            guard case .v6 = r.prefix, case .natGateway(let m) = r.target, m.index == n else { continue }
            if delivered.contains(where: { $0.overlaps(r.prefix) }) { return true }
        }
        return false
    }

    /// True when TGW attachment `a` can deliver a packet whose destination is in `region` (a TGW route to it
    /// overlaps a block of the region).
    func attachmentDelivers(_ a: Int32, into region: [IPPrefix]) -> Bool {
        (prefixesByAttachment[a] ?? []).contains { p in region.contains { $0.overlaps(p) } }
    }

    /// A route destination's blocks (a prefix list's entries).
    func prefixes(of d: RouteDestination) -> [IPPrefix] {
        switch d {
        case .cidr(let p): [p]
        case .prefixList(let n): c.topology.prefixLists.first { $0.name == n }?.entries ?? []
        }
    }
}
