import IPAddressing
import NetworkModel
import Synchronization

// Party classes (issue 19: "equivalence classes of sources and header spaces, not a loop of single queries").
//
// Two interfaces are in one class when every walk treats them alike toward any fixed other end: same VPC, same
// route table, NACL and availability zone of their subnets, same security-group set, kind and source/destination
// check, a public address or not (and in the same atom), and primary addresses in the same *atom* — the interval
// between consecutive cut points of every prefix a walk can consult (routes of VPC and TGW tables, SG and NACL
// rule blocks, VPC blocks, prefix lists, on-premises prefixes, the fixed ranges the walk tests: RFC 1918, RFC
// 6598, 240/4, the DNS resolver addresses, the public address space). Subnet blocks are not cut points: a walk
// reads an address's subnet only to find its route table and NACL (keyed), to check delivery within one subnet
// (the relation to the other end, keyed per pair), or at a subnet that holds something that forwards or
// translates (a NAT gateway, a TGW or endpoint ENI, a route target, a multi-interface instance): such a subnet,
// or one with an IPv6 block, or one overlapping another VPC's subnet, keys on its own identity. Whatever the walk
// reads by exact address or interface identity makes an interface a class of its own: secondary or IPv6
// addresses, being a route target, an instance with several interfaces, an address another interface also
// holds, appliance-mode attachments anywhere (their flow hash reads exact addresses).
//
// A question then walks one representative per (class, relation to the other end) and hands its answer to every
// member: exact by construction, since each member's walks read only what the key holds.

/// Per compiled topology: every interface's class and the rules' vocabulary, built on first use (shared by copies of
/// the topology).
final class QuestionClassCache: Sendable {
    private let classes = Mutex<InterfaceClasses?>(nil)
    private let rules = Mutex<CompiledTopology.RuleVocabulary?>(nil)

    func vocabulary(_ build: () -> CompiledTopology.RuleVocabulary) -> CompiledTopology.RuleVocabulary { Self.once(rules, build) }

    func interfaceClasses(_ build: () -> InterfaceClasses) -> InterfaceClasses { Self.once(classes, build) }

    /// The slot's value, built by `build` on first use.
    private static func once<T: Sendable>(_ slot: borrowing Mutex<T?>, _ build: () -> T) -> T {
        slot.withLock { value in
            if let value { return value }
            let built = build()
            value = built
            return built
        }
    }
}

/// Every interface's class (``CompiledTopology/interfaceClasses``).
struct InterfaceClasses: Sendable {
    /// Per interface: its class (interfaces of one class answer alike toward any fixed other end that is not
    /// one of them, given the same relation to it); every interface that must stand alone has a class of its own.
    var classOf: [Int32]
    var count: Int
    /// Per interface: true when its class is its own (no other member, whatever the key would say).
    var alone: [Bool]
    /// Per subnet: true when it keys on its identity (``CompiledTopology/subnetsKeyedByIdentity(routeTargets:multiInterface:)``).
    var subnetKeyed: [Bool]
}

extension CompiledTopology {
    /// The key two interfaces of one class share.
    private struct InterfaceClassKey: Hashable {
        var vpc: Int32
        /// The subnet, for subnets that key on their identity (-1 otherwise).
        var subnet: Int32
        var routeTable: Int32
        var networkACL: Int32
        var zone: Int32
        var securityGroupSet: Int32
        var kind: UInt8
        var sourceDestCheck: Bool
        var addressAtom: Int32
        /// -1: no public address.
        var publicAtom: Int32
        var publicKnown: Bool
    }

    /// The classes of every interface (built once per compiled topology).
    var interfaceClasses: InterfaceClasses {
        questionClassCache.interfaceClasses { buildInterfaceClasses() }
    }

    /// Sorted cut points (interval starts after 0) of every IPv4 prefix a walk can consult, subnet blocks
    /// excepted (see the comment at the top of this file).
    func questionCutPoints() -> [UInt32] {
        var points: [UInt32] = []
        func add(_ p: IPv4Prefix) {
            points.append(p.network.bits)
            if p.last.bits != .max { points.append(p.last.bits &+ 1) }
        }
        func add(_ p: IPPrefix) { if case .v4(let q) = p { add(q) } }
        func add(lower: UInt32, upper: UInt32) {
            points.append(lower)
            if upper != .max { points.append(upper &+ 1) }
        }
        for t in routeTables { for r in t.routes { add(r.prefix) } }
        for t in tgwRouteTables { for r in t.routes { add(r.prefix) } }
        for set in securityGroupSets {
            for r in set.ingress { if case .cidr(let p) = r.peer { add(p) } }
            for r in set.egress { if case .cidr(let p) = r.peer { add(p) } }
        }
        for g in securityGroups {
            for r in g.ingress { if case .cidr(let p) = r.peer { add(p) } }
            for r in g.egress { if case .cidr(let p) = r.peer { add(p) } }
        }
        for acl in networkACLs {
            for r in acl.inbound { add(r.cidr) }
            for r in acl.outbound { add(r.cidr) }
        }
        for v in vpcs {
            for c in v.cidrs {
                add(c)
                // The Amazon DNS resolver: the block's base + 2.
                let resolver = c.network.bits &+ 2
                add(lower: resolver, upper: resolver)
            }
        }
        for list in topology.prefixLists { for p in list.entries { add(p) } }
        for e in edgePlane.edges { for p in e.allowedPrefixes { add(p) } }
        for list in edgePlane.announcementsByVGW { for a in list { add(a.prefix) } }
        for a in edgePlane.tgwAnnouncements { add(a.prefix) }
        for n in edgePlane.networks { for p in n.prefixes { add(p) } }
        for n in topology.onPremisesNetworks { for p in n.prefixes { add(p) } }
        // Ranges the walk tests by value: RFC 1918, RFC 6598, the synthetic public block, the DNS resolver's
        // link-local address, and the public address space.
        for text in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "240.0.0.0/4", "169.254.169.253/32"] {
            if let p = try? IPv4Prefix(text) { add(p) }
        }
        for r in PublicAddressSpace.ipv4.ranges { add(lower: r.lower.bits, upper: r.upper.bits) }
        points.sort()
        var unique: [UInt32] = []
        unique.reserveCapacity(points.count)
        for p in points where p != 0 && unique.last != p { unique.append(p) }
        return unique
    }

    /// The atom of `a` among `points`: the number of cut points at or below it.
    static func atom(_ a: UInt32, _ points: [UInt32]) -> Int32 {
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid] <= a { lo = mid + 1 } else { hi = mid }
        }
        return Int32(lo)
    }

    /// Subnets that key on their identity: they hold an interface that is not an instance's, a route target, an
    /// interface of a multi-interface instance; or have an IPv6 block; or overlap a subnet of another VPC.
    func subnetsKeyedByIdentity(routeTargets: Set<Int32>, multiInterface: [Bool]) -> [Bool] {
        var special = subnetHot.map(\.hasIPv6)
        for (i, hot) in interfaceHot.enumerated() where hot.subnet >= 0 {
            if hot.kind != 0 || routeTargets.contains(Int32(i)) || multiInterface[i] { special[Int(hot.subnet)] = true }
        }
        // Overlaps across VPCs: sweep the blocks in (network, length) order with the chain of blocks holding
        // the current one.
        let order = subnetHot.indices.sorted {
            (subnetHot[$0].cidr.network.bits, subnetHot[$0].cidr.length) < (subnetHot[$1].cidr.network.bits, subnetHot[$1].cidr.length)
        }
        var stack: [Int] = []
        for s in order {
            let cidr = subnetHot[s].cidr
            while let top = stack.last, subnetHot[top].cidr.last.bits < cidr.network.bits { stack.removeLast() }
            for t in stack where subnetHot[t].vpc != subnetHot[s].vpc {
                special[t] = true
                special[s] = true
            }
            stack.append(s)
        }
        return special
    }

    func buildInterfaceClasses() -> InterfaceClasses {
        let n = interfaceHot.count
        var alone = [Bool](repeating: false, count: n)
        // Appliance mode: the TGW's flow hash reads exact addresses.
        let anyApplianceMode = attachmentHot.contains { $0.applianceMode }
        // Route targets.
        var routeTargets = Set<Int32>()
        for t in routeTargetHot { if case .interface(let f) = t { routeTargets.insert(f) } }
        // Instances with several interfaces (the walk's appliance step finds an instance's other interfaces).
        var multiInterface = [Bool](repeating: false, count: n)
        for instance in resolved.instances where instance.interfaces.count > 1 {
            for e in instance.interfaces {
                let i = interfaceOfENI[e.position]
                if i >= 0 { multiInterface[Int(i)] = true }
            }
        }
        // Addresses held more than once (any VPC, private or public): sorted, then neighbours compared.
        var held: [UInt32] = []
        held.reserveCapacity(n + n / 4)
        for i in 0..<n {
            held.append(interfaceHot[i].primaryIP.bits)
            for a in interfaces[i].secondaryIPs { held.append(a.bits) }
            if let p = interfaces[i].publicIP { held.append(p.bits) }
        }
        held.sort()
        var sharedAddresses = Set<UInt32>()
        for k in held.indices.dropFirst() where held[k] == held[k - 1] { sharedAddresses.insert(held[k]) }
        let special = subnetsKeyedByIdentity(routeTargets: routeTargets, multiInterface: multiInterface)
        let points = questionCutPoints()
        var classOf = [Int32](repeating: -1, count: n)
        var byKey: [InterfaceClassKey: Int32] = [:]
        var count: Int32 = 0
        for i in 0..<n {
            let hot = interfaceHot[i]
            let publicIP = interfaces[i].publicIP
            let shared = !sharedAddresses.isEmpty
                && (sharedAddresses.contains(hot.primaryIP.bits) || publicIP.map { sharedAddresses.contains($0.bits) } ?? false)
            if anyApplianceMode || hot.kind != 0 || !hot.hasOnlyPrimary || !interfaces[i].ipv6Addresses.isEmpty || routeTargets.contains(Int32(i))
                || multiInterface[i] || shared || hot.subnet < 0 {
                alone[i] = true
                classOf[i] = count
                count += 1
                continue
            }
            let sub = subnetHot[Int(hot.subnet)]
            let key = InterfaceClassKey(vpc: hot.vpc, subnet: special[Int(hot.subnet)] ? hot.subnet : -1, routeTable: sub.routeTable,
                                        networkACL: sub.networkACL, zone: sub.zone, securityGroupSet: hot.securityGroupSet, kind: hot.kind,
                                        sourceDestCheck: hot.sourceDestCheck, addressAtom: Self.atom(hot.primaryIP.bits, points),
                                        publicAtom: publicIP.map { Self.atom($0.bits, points) } ?? -1, publicKnown: interfaces[i].publicIPKnown)
            if let c = byKey[key] {
                classOf[i] = c
            } else {
                byKey[key] = count
                classOf[i] = count
                count += 1
            }
        }
        return InterfaceClasses(classOf: classOf, count: Int(count), alone: alone, subnetKeyed: special)
    }
}

/// What a question needs to know of one end, to relate a party to it.
struct QuestionEnd {
    var interface: Int32 = -1
    var subnet: Int32 = -1
    var address: IPAddress? = nil

    init(_ e: QueryEndpoint, _ c: CompiledTopology) {
        switch e {
        case .internet: return
        case .endpoint(let r), .privateAddress(let r):
            switch r {
            case .interface(let i, let a):
                interface = i.index
                subnet = c.interfaceHot[i.position].subnet
                address = a
            case .host(let s, let a), .unheld(let s, let a):
                subnet = s.index
                address = a
            case .vpcEndpoint(_, let a, _), .internet(let a), .onPremises(let a, _):
                address = a
            }
        }
    }
}

extension CompiledTopology {
    /// A party's class toward a fixed other end: its interface class and how it stands to that end (its subnet
    /// holds the end's address; the end's subnet holds its address), or nil when it must be walked alone (not an
    /// interface, or the end is one of its own addresses).
    func classKey(_ p: QuestionParty, toward end: QuestionEnd, _ classes: InterfaceClasses) -> Int? {
        guard let id = p.interface else { return nil }
        let i = id.position
        if classes.alone[i] || end.interface == id.index { return nil }
        let hot = interfaceHot[i]
        var relation = 0
        if let a = end.address {
            if interfaces[i].owns(a) { return nil }
            if hot.subnet >= 0 && subnetContains(hot.subnet, subnetHot[Int(hot.subnet)], a) { relation |= 1 }
        }
        if end.subnet >= 0 && subnetContains(end.subnet, subnetHot[Int(end.subnet)], .v4(hot.primaryIP)) { relation |= 2 }
        return Int(classes.classOf[i]) << 2 | relation
    }

    /// Each party's answer toward (`partiesAreSources`: from each party to `other`; else from `other` to each
    /// party), one walk set per class: parties with an empty answer left out, `other` itself left out, in the
    /// order given.
    func classAnswers(_ parties: [QuestionParty], other: QueryEndpoint, partiesAreSources: Bool, traffic: QuestionTraffic)
        -> [(party: QuestionParty, grants: ConnectionGrants)] {
        let vocabulary = ruleVocabulary()
        let classes = interfaceClasses
        let end = QuestionEnd(other, self)
        // By class key (class << 2 | relation).
        var answerOf = [ConnectionGrants?](repeating: nil, count: classes.count << 2)
        var out: [(party: QuestionParty, grants: ConnectionGrants)] = []
        for p in parties {
            if p.endpoint == other { continue }
            let key = classKey(p, toward: end, classes)
            let g: ConnectionGrants
            if let key, let known = answerOf[key] {
                g = known
            } else {
                g = partiesAreSources ? connections(from: p.endpoint, to: other, traffic: traffic, vocabulary: vocabulary)
                    : connections(from: other, to: p.endpoint, traffic: traffic, vocabulary: vocabulary)
                if let key { answerOf[key] = g }
            }
            if !g.isEmpty { out.append((p, g)) }
        }
        return out
    }
}

/// The class-level connection table (``CompiledTopology/connectionClasses(sources:destinations:traffic:)``):
/// sources and destinations cut into classes whose members answer alike, and what each source class opens to each
/// destination class — separately for the pairs in one subnet and the pairs in different subnets. Aggregating by
/// VPC, subnet or group (`matrix`) reads the classes and cells without expanding every pair of parties.
public struct ConnectionClasses: Sendable {
    /// One non-empty cell: what every (source, destination) pair of the two classes with the given subnet relation
    /// (other than a party and itself) opens.
    public struct Cell: Hashable, Sendable {
        public var sourceClass: Int
        public var destinationClass: Int
        /// True: the cell holds for the pairs whose two ends are interfaces in one subnet; false: for the others.
        public var sameSubnet: Bool
        public var grants: ConnectionGrants
    }
    /// Per source (index into the sources given): its class.
    public var sourceClass: [Int]
    /// Per destination: its class.
    public var destinationClass: [Int]
    /// Per source class: its members (indices into the sources given), ascending.
    public var sourceMembers: [[Int]]
    /// Per destination class: its members, ascending.
    public var destinationMembers: [[Int]]
    /// Per source and per destination: the subnet of an interface party (-1 otherwise), for the relation.
    public var sourceSubnet: [Int32]
    public var destinationSubnet: [Int32]
    /// The non-empty cells, by source class, destination class, then `sameSubnet` (false first).
    public var cells: [Cell]
    /// The parties given (a party is never asked about itself).
    let sources: [QuestionParty]
    let destinations: [QuestionParty]

    /// The cell index of (source class, destination class, same subnet), for ``grants(source:destination:)``.
    var cellIndex: [Int: Int]

    static func cellKey(_ a: Int, _ b: Int, _ same: Bool, destinationClasses: Int) -> Int {
        (a * destinationClasses + b) << 1 | (same ? 1 : 0)
    }

    /// True when source `s` and destination `d` are interfaces in one subnet.
    public func inSameSubnet(source s: Int, destination d: Int) -> Bool {
        sourceSubnet[s] >= 0 && sourceSubnet[s] == destinationSubnet[d]
    }

    /// What source `s` opens to destination `d` (indices into the lists given): exactly
    /// ``CompiledTopology/connections(from:to:traffic:)`` of the two; empty for a party and itself.
    public func grants(source s: Int, destination d: Int) -> ConnectionGrants {
        guard sourceClass.indices.contains(s), destinationClass.indices.contains(d), !sources[s].isSameParty(as: destinations[d]) else { return ConnectionGrants() }
        let key = Self.cellKey(sourceClass[s], destinationClass[d], inSameSubnet(source: s, destination: d),
                               destinationClasses: destinationMembers.count)
        return cellIndex[key].map { cells[$0].grants } ?? ConnectionGrants()
    }
}

extension CompiledTopology {
    /// A party's class among `parties` (interface class, or a class of its own), for tables: classes numbered in
    /// order of first member.
    func tableClasses(_ parties: [QuestionParty], _ classes: InterfaceClasses) -> (classOf: [Int], members: [[Int]], subnet: [Int32]) {
        var classOf: [Int] = []
        classOf.reserveCapacity(parties.count)
        var members: [[Int]] = []
        var subnet: [Int32] = []
        subnet.reserveCapacity(parties.count)
        var numberOf: [Int32: Int] = [:]
        for (k, p) in parties.enumerated() {
            if let id = p.interface {
                subnet.append(interfaceHot[id.position].subnet)
                if !classes.alone[id.position] {
                    let c = classes.classOf[id.position]
                    if let n = numberOf[c] {
                        classOf.append(n)
                        members[n].append(k)
                        continue
                    }
                    numberOf[c] = members.count
                }
            } else {
                subnet.append(-1)
            }
            classOf.append(members.count)
            members.append([k])
        }
        return (classOf, members, subnet)
    }

    /// What each source opens to each destination at class level: classes of ``interfaceClasses`` (a party
    /// that must stand alone is a class of its own), and per (source class, destination class, same subnet or
    /// not) one representative pair walked. A party is never asked about itself.
    /// Pairs whose walks all end at the source subnet's route table are not walked (``firstRouteDrops(from:to:)``).
    public func connectionClasses(sources: [QuestionParty], destinations: [QuestionParty], traffic: QuestionTraffic) -> ConnectionClasses {
        connectionClasses(sources: sources, destinations: destinations, traffic: traffic, pruning: true)
    }

    /// ``connectionClasses(sources:destinations:traffic:)`` walking every class cell, the route pre-filter off (the
    /// benchmark's and tests' baseline).
    @_spi(Reference) public func connectionClassesWithoutPruning(sources: [QuestionParty], destinations: [QuestionParty],
                                                                 traffic: QuestionTraffic) -> ConnectionClasses {
        connectionClasses(sources: sources, destinations: destinations, traffic: traffic, pruning: false)
    }

    func connectionClasses(sources: [QuestionParty], destinations: [QuestionParty], traffic: QuestionTraffic, pruning: Bool) -> ConnectionClasses {
        let vocabulary = ruleVocabulary()
        let plan = ClassTablePlan(self, sources: sources, destinations: destinations, classes: interfaceClasses)
        let s = plan.s, d = plan.d
        var cells: [ConnectionClasses.Cell] = []
        var cellIndex: [Int: Int] = [:]
        func walk(_ a: Int, _ b: Int, _ i: Int, _ j: Int, same: Bool) {
            // The pair's every walk ends at the source subnet's route table: an empty cell, no walk.
            if pruning && !same && firstRouteDrops(from: sources[i].endpoint, to: destinations[j].endpoint) { return }
            let g = connections(from: sources[i].endpoint, to: destinations[j].endpoint, traffic: traffic, vocabulary: vocabulary)
            guard !g.isEmpty else { return }
            cellIndex[ConnectionClasses.cellKey(a, b, same, destinationClasses: d.members.count)] = cells.count
            cells.append(ConnectionClasses.Cell(sourceClass: a, destinationClass: b, sameSubnet: same, grants: g))
        }
        for a in s.members.indices {
            for b in d.members.indices {
                let r = plan.representatives(a, b, sources: sources, destinations: destinations)
                if let (i, j) = r.different { walk(a, b, i, j, same: false) }
                if let (i, j) = r.same { walk(a, b, i, j, same: true) }
            }
        }
        return ConnectionClasses(sourceClass: s.classOf, destinationClass: d.classOf, sourceMembers: s.members, destinationMembers: d.members,
                                 sourceSubnet: s.subnet, destinationSubnet: d.subnet, cells: cells, sources: sources,
                                 destinations: destinations, cellIndex: cellIndex)
    }

    /// True when every walk from `source` to `destination`, whatever the protocol, ports or direction option, ends
    /// at the source subnet's route table (an exact pre-filter: `connections` would answer nothing). Only for two
    /// plain instance interfaces addressed by their one (primary, private IPv4) address, no VPC endpoint involved,
    /// the destination outside the source's subnet: the walk then starts with the source's subnet lookup
    /// (`sendStep`; the source's groups can only block more), and that lookup finds no route, a blackhole or
    /// unresolved target, or an internet gateway for an RFC 1918 / RFC 6598 destination (`igwEgress` drops it).
    func firstRouteDrops(from source: QueryEndpoint, to destination: QueryEndpoint) -> Bool {
        guard case .endpoint(let s) = source, case .endpoint(let d) = destination,
              case .interface(let i, .v4(let a)) = s, case .interface(let j, .v4(let b)) = d, i != j else { return false }
        let src = interfaceHot[i.position], dst = interfaceHot[j.position]
        guard src.kind == 0, dst.kind == 0, src.hasOnlyPrimary, dst.hasOnlyPrimary, src.primaryIP == a, dst.primaryIP == b,
              src.subnet >= 0, !mayInvolveVPCEndpoint(s, d) else { return false }
        let sub = subnetHot[Int(src.subnet)]
        if sub.cidr.contains(b) { return false }
        let hit = routeInterval(sub.routes, b)
        if hit.route < 0 { return true }
        switch hit.target {
        case .blackhole, .unresolved: return true
        case .internetGateway: return isRFC1918(b) || isRFC6598(b)
        default: return false
        }
    }

    /// ``connectionTable(sources:destinations:traffic:)`` by classes: one walk set per (source class,
    /// destination class, same subnet or not), the first pair met standing for the others.
    func connectionTableByClasses(sources: [QuestionParty], destinations: [QuestionParty], traffic: QuestionTraffic) -> ConnectionTable {
        let vocabulary = ruleVocabulary()
        let classes = interfaceClasses
        let s = tableClasses(sources, classes)
        let d = tableClasses(destinations, classes)
        var answerOf: [Int: ConnectionGrants] = [:]
        return ConnectionTable(rows: sources.indices.map { i in
            destinations.indices.compactMap { j -> ConnectionTable.Entry? in
                if sources[i].isSameParty(as: destinations[j]) { return nil }
                let same = s.subnet[i] >= 0 && s.subnet[i] == d.subnet[j]
                let key = ConnectionClasses.cellKey(s.classOf[i], d.classOf[j], same, destinationClasses: d.members.count)
                let g: ConnectionGrants
                if let known = answerOf[key] {
                    g = known
                } else {
                    g = connections(from: sources[i].endpoint, to: destinations[j].endpoint, traffic: traffic, vocabulary: vocabulary)
                    answerOf[key] = g
                }
                return g.isEmpty ? nil : ConnectionTable.Entry(destination: j, grants: g)
            }
        })
    }
}

/// The classes of a class-level table and how to pick a cell's representative pairs (``CompiledTopology/connectionClasses(sources:destinations:traffic:)``
/// and ``CompiledTopology/connectionMatrixByVPC(traffic:)``).
struct ClassTablePlan {
    let s: (classOf: [Int], members: [[Int]], subnet: [Int32])
    let d: (classOf: [Int], members: [[Int]], subnet: [Int32])
    typealias SubnetMembers = (subnet: Int32, first: Int, second: Int?)
    /// Per class: for each subnet its members hold, up to two of them (representatives for either relation).
    let sSubnets: [[SubnetMembers]]
    let dSubnets: [[SubnetMembers]]
    let dSubnetIndex: [[Int32: Int]]
    /// Per class: the VPC of its first member (-1 when not an interface).
    let sVPC: [Int32]
    let dVPC: [Int32]

    init(_ c: CompiledTopology, sources: [QuestionParty], destinations: [QuestionParty], classes: InterfaceClasses) {
        s = c.tableClasses(sources, classes)
        d = c.tableClasses(destinations, classes)
        func bySubnet(_ members: [[Int]], _ subnet: [Int32]) -> [[SubnetMembers]] {
            members.map { list in
                var out: [SubnetMembers] = []
                var at: [Int32: Int] = [:]
                for m in list {
                    if let k = at[subnet[m]] {
                        if out[k].second == nil { out[k].second = m }
                    } else {
                        at[subnet[m]] = out.count
                        out.append((subnet[m], m, nil))
                    }
                }
                return out
            }
        }
        sSubnets = bySubnet(s.members, s.subnet)
        dSubnets = bySubnet(d.members, d.subnet)
        func vpcOf(_ parties: [QuestionParty], _ members: [[Int]]) -> [Int32] {
            members.map { m in parties[m[0]].interface.map { c.interfaceHot[$0.position].vpc } ?? -1 }
        }
        sVPC = vpcOf(sources, s.members)
        dVPC = vpcOf(destinations, d.members)
        dSubnetIndex = dSubnets.map { list in
            var m: [Int32: Int] = [:]
            for (k, x) in list.enumerated() { m[x.subnet] = k }
            return m
        }
    }

    /// The representative pairs (source index, destination index) of cell (a, b): one in different subnets (or
    /// not both interfaces), one in a subnet both classes hold; nil where the classes hold no such pair.
    func representatives(_ a: Int, _ b: Int, sources: [QuestionParty], destinations: [QuestionParty]) -> (different: (Int, Int)?, same: (Int, Int)?) {
        func pair(_ x: SubnetMembers, _ y: SubnetMembers) -> (Int, Int)? {
            for i in [x.first] + (x.second.map { [$0] } ?? []) {
                for j in [y.first] + (y.second.map { [$0] } ?? []) where !sources[i].isSameParty(as: destinations[j]) { return (i, j) }
            }
            return nil
        }
        // Different subnets (or not both interfaces): a pair from the first two subnets of each side (when such a
        // pair exists at all, one exists there).
        var different: (Int, Int)? = nil
        search: for x in sSubnets[a].prefix(2) {
            for y in dSubnets[b].prefix(2) where x.subnet < 0 || x.subnet != y.subnet {
                if let p = pair(x, y) { different = p; break search }
            }
        }
        // One subnet: two distinct parties in a subnet both classes hold (one VPC only).
        guard sVPC[a] >= 0, sVPC[a] == dVPC[b] else { return (different, nil) }
        var same: (Int, Int)? = nil
        for x in sSubnets[a] {
            guard let k = dSubnetIndex[b][x.subnet], let p = pair(x, dSubnets[b][k]) else { continue }
            same = p
            break
        }
        return (different, same)
    }
}
