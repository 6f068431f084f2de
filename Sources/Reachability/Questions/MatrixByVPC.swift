import IPAddressing
import NetworkModel

// `matrix --by vpc` without a walk per class pair (issue 19, Docs/QUESTIONS.md "How it is computed").
//
// Between two different VPCs A and B, a walk from an interface of A to one of B reads, about the two VPCs, only
// what this file calls their *cross forms*: each VPC's subnets, route tables, NACLs, NAT gateways and TGW
// attachments with every address made relative — a prefix inside the VPC's own block by its
// offset and length, any other prefix only by whether it holds the VPC's block and whether it holds the other
// VPC's block (a prefix holding neither is left out: no address such a walk looks up, filters on or delivers to
// lies outside the two blocks), a route table by what it routes each stretch of the own block and the whole
// other block to (a peering: to the other VPC or not), a TGW attachment's table by what it routes the other
// block to (the other VPC's attachment, the own, a blackhole, nothing) — and, about each end, its class
// *descriptor*: its class key with every identity replaced by its place in its VPC's cross form and its address
// by its atom among the own block's relative cut points, and its security-group set's content toward the other VPC
// (only the ends' own sets are read). Two pairs of classes with equal cross forms (both ways), descriptors and set
// contents are the same walk up to a translation of both blocks: they get the same answer.
// So a cross-VPC cell is the union of a few walks memoised by (pair of forms, descriptor, descriptor), and the
// 2,000 × 2,000 VPC cells cost a few bit operations each.
//
// Only *regular* VPCs take part (anything else is walked class pair by class pair, as `connectionClasses` does):
// one IPv4 block inside RFC 1918 overlapping no other VPC's (an internet gateway drops every packet of such a
// walk, so public addresses are never read), no IPv6, only instance interfaces (none standing alone in its
// class), NAT gateways and TGW attachment ENIs, routes to the VPC itself, a blackhole, an internet gateway, its
// own NAT gateways, a peering or a transit gateway (one attachment per transit gateway), security-group
// references to the VPC's own groups only (they never match an end in another VPC: the far end holds none of
// them and no interface of the VPC holds its address), no withdrawn routes, and no TGW route strictly inside
// the block; no appliance-mode attachment anywhere. A pair whose forms cannot be made (a rule of one VPC or a
// TGW table of one strictly inside the other's block; a TGW route to a third VPC or an edge) is walked by class
// pairs too.

/// What the cross-VPC memo needs of one VPC (nil in ``CrossVPCPlan/vpcs`` when the VPC is not regular). A class:
/// the pair loop reads two per pair without copying their arrays.
final class CrossVPCShape {
    var base: UInt32
    var length: Int
    var last: UInt32
    /// Per TGW route table: its route for the block (the block holds no TGW route's bounds).
    var tableHits: [TGWRouteTarget?] = []

    init(base: UInt32, length: Int, last: UInt32) {
        self.base = base
        self.length = length
        self.last = last
    }
    /// The VPC's subnets, route tables (used by a subnet), NACLs (-1: the default one) and security-group sets
    /// (of its instance interfaces), each in order of first use: their place is their canonical number.
    var subnets: [Int32] = []
    var tables: [Int32] = []
    var nacls: [Int32] = []
    /// Per canonical NACL: a subnet using it (its rule slices).
    var naclSubnet: [Int32] = []
    var sets: [Int32] = []
    /// Per canonical set: an interface holding it (its rule slices).
    var setInterface: [Int32] = []
    var natGateways: [Int32] = []
    var attachments: [Int32] = []
    /// Sorted boundaries of the VPC's rule and route prefixes that are not inside its block.
    var outsideCuts: [UInt32] = []
    /// Sorted boundaries (relative to `base`) of the prefixes inside the block, and the DNS resolver's address.
    var insideCuts: [UInt32] = []
    var subnetCanon: [Int32: Int] = [:]
    var tableCanon: [Int32: Int] = [:]
    var naclCanon: [Int32: Int] = [:]
    var setCanon: [Int32: Int] = [:]

    /// True when `p` lies inside the block.
    func holds(_ p: IPv4Prefix) -> Bool { Int(p.length) >= length && p.network.bits >= base && p.last.bits <= last }
    /// True when `p` holds the whole block.
    func isInside(_ p: IPv4Prefix) -> Bool { Int(p.length) <= length && p.network.bits <= base && p.last.bits >= last }
}

/// The cross-VPC memo's data for one topology (``CompiledTopology/crossVPCPlan(_:)``).
struct CrossVPCPlan {
    var vpcs: [CrossVPCShape?]
}

extension CompiledTopology {
    /// The regular VPCs' shapes (see the comment at the top of this file); all nil when some attachment is in
    /// appliance mode or a TGW table has withdrawn routes.
    func crossVPCPlan(_ classes: InterfaceClasses) -> CrossVPCPlan {
        var out = CrossVPCPlan(vpcs: Array(repeating: nil, count: vpcs.count))
        if attachmentHot.contains(where: { $0.applianceMode }) || tgwRouteTables.contains(where: { !$0.withdrawn.isEmpty }) { return out }
        var regular = [Bool](repeating: true, count: vpcs.count)
        var shapes: [CrossVPCShape] = []
        shapes.reserveCapacity(vpcs.count)
        // Blocks: one IPv4 block in RFC 1918, no IPv6, no overlap with another VPC's block.
        var blocks: [(UInt32, UInt32, Int)] = []
        for (v, vpc) in vpcs.enumerated() {
            guard vpc.cidrs.count == 1, vpc.ipv6Cidrs.isEmpty, let b = vpc.cidrs.first, isRFC1918Block(b) else {
                regular[v] = false
                shapes.append(CrossVPCShape(base: 0, length: 0, last: 0))
                continue
            }
            shapes.append(CrossVPCShape(base: b.network.bits, length: Int(b.length), last: b.last.bits))
            blocks.append((b.network.bits, b.last.bits, v))
        }
        blocks.sort { $0.0 < $1.0 }
        // Sorted by first address: a block overlaps an earlier one exactly when it starts at or before the
        // furthest end so far.
        var furthest: (last: UInt32, vpc: Int)? = nil
        for (first, last, v) in blocks {
            if let r = furthest, first <= r.last {
                regular[v] = false
                regular[r.vpc] = false
                if last > r.last { furthest = (last, v) }
            } else if furthest.map({ last > $0.last }) ?? true {
                furthest = (last, v)
            }
        }
        // TGW routes strictly inside a block make that VPC irregular.
        let sortedBlocks = blocks
        func blockHolding(_ p: IPv4Prefix) -> Int? {
            var lo = 0, hi = sortedBlocks.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sortedBlocks[mid].0 <= p.network.bits { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { return nil }
            let (first, last, v) = sortedBlocks[lo - 1]
            return p.network.bits >= first && p.last.bits <= last ? v : nil
        }
        for t in tgwRouteTables {
            for r in t.routes {
                guard case .v4(let p) = r.prefix, let v = blockHolding(p) else { continue }
                if Int(p.length) > shapes[v].length { regular[v] = false }
            }
        }
        // Subnets, interfaces, tables, NACLs, groups.
        var subnetsOf = [[Int32]](repeating: [], count: vpcs.count)
        for (s, sub) in subnetHot.enumerated() {
            subnetsOf[Int(sub.vpc)].append(Int32(s))
            if sub.hasIPv6 { regular[Int(sub.vpc)] = false }
        }
        var interfacesOf = [[Int32]](repeating: [], count: vpcs.count)
        for (i, hot) in interfaceHot.enumerated() where hot.vpc >= 0 {
            interfacesOf[Int(hot.vpc)].append(Int32(i))
        }
        var attachmentsOf = [[Int32]](repeating: [], count: vpcs.count)
        for (a, att) in tgwAttachments.enumerated() where att.vpc >= 0 { attachmentsOf[Int(att.vpc)].append(Int32(a)) }
        for v in vpcs.indices where regular[v] {
            let shape = shapes[v]
            var ok = true
            let vpc = Int32(v)
            for s in subnetsOf[v] {
                let sub = subnetHot[Int(s)]
                shape.subnetCanon[s] = shape.subnets.count
                shape.subnets.append(s)
                if sub.routeTable >= 0, shape.tableCanon[sub.routeTable] == nil {
                    shape.tableCanon[sub.routeTable] = shape.tables.count
                    shape.tables.append(sub.routeTable)
                }
                if shape.naclCanon[sub.networkACL] == nil {
                    shape.naclCanon[sub.networkACL] = shape.nacls.count
                    shape.nacls.append(sub.networkACL)
                    shape.naclSubnet.append(s)
                }
            }
            for i in interfacesOf[v] {
                let hot = interfaceHot[Int(i)]
                switch hot.kind {
                case 0:
                    if classes.alone[Int(i)] || hot.subnet < 0 { ok = false }
                    let set = hot.securityGroupSet
                    if set >= 0 {
                        let h = sgSetHot[Int(set)]
                        if h.egressCrossVPCReferences { ok = false }
                        for k in Int(h.groups.start)..<Int(h.groups.start + h.groups.count) where sgVPCHot[Int(sgGroupHot[k])] != vpc { ok = false }
                    }
                    if shape.setCanon[set] == nil {
                        shape.setCanon[set] = shape.sets.count
                        shape.sets.append(set)
                        shape.setInterface.append(i)
                    }
                case 1: shape.natGateways.append(i)
                case 2: break
                default: ok = false
                }
            }
            var tgws = Set<Int32>()
            if attachmentsOf[v].count > 7 { ok = false }
            for a in attachmentsOf[v] {
                if !tgws.insert(tgwAttachments[Int(a)].transitGateway).inserted { ok = false }
                shape.attachments.append(a)
            }
            // Routes: allowed targets, no withdrawn routes; cut points.
            var outside: [UInt32] = [], inside: [UInt32] = [2, 3]
            func cut(_ p: IPPrefix) {
                guard case .v4(let q) = p else { return }
                if shape.holds(q) {
                    inside.append(q.network.bits - shape.base)
                    if q.last.bits < shape.last { inside.append(q.last.bits &+ 1 - shape.base) }
                } else {
                    outside.append(q.network.bits)
                    if q.last.bits != .max { outside.append(q.last.bits &+ 1) }
                }
            }
            for t in shape.tables {
                let table = routeTables[Int(t)]
                if !table.withdrawn.isEmpty { ok = false }
                for r in table.routes {
                    cut(r.prefix)
                    switch r.target {
                    case .local, .blackhole, .internetGateway, .peering, .transitGateway, .unresolved: break
                    case .natGateway(let n): if interfaceHot[n.position].vpc != vpc { ok = false }
                    default: ok = false
                    }
                }
            }
            for (k, acl) in shape.nacls.enumerated() where acl >= 0 {
                let sub = subnetHot[Int(shape.naclSubnet[k])]
                for slice in [sub.naclInbound, sub.naclOutbound] {
                    for r in Int(slice.start)..<Int(slice.start + slice.count) { cut(naclRuleHot[r].cidr) }
                }
            }
            for i in shape.setInterface {
                let hot = interfaceHot[Int(i)]
                for slice in [hot.sgIngress, hot.sgEgress] {
                    for r in Int(slice.start)..<Int(slice.start + slice.count) {
                        switch sgRuleHot[r].peer {
                        case .cidr(let p): cut(p)
                        case .group(let g): if sgVPCHot[g.position] != vpc { ok = false }
                        }
                    }
                }
            }
            outside.sort()
            inside.sort()
            shape.outsideCuts = outside.reduce(into: []) { if $0.last != $1 { $0.append($1) } }
            shape.insideCuts = inside.reduce(into: []) { if $0.last != $1 { $0.append($1) } }
            shape.tableHits = tgwRouteTables.map { t in
                t.lpm.lookup(.v4(IPv4Address(bits: shape.base))).map { t.routes[Int($0.value)].target }
            }
            if ok { out.vpcs[v] = shape }
        }
        return out
    }

    /// True when `p` lies inside 10/8, 172.16/12 or 192.168/16.
    func isRFC1918Block(_ p: IPv4Prefix) -> Bool {
        let blocks: [(network: UInt32, length: Int)] = [(0x0A00_0000, 8), (0xAC10_0000, 12), (0xC0A8_0000, 16)]
        for b in blocks where Int(p.length) >= b.length {
            let shift = UInt32(32 - b.length)
            if p.network.bits >> shift == b.network >> shift { return true }
        }
        return false
    }

    /// How VPC `x` sees VPC `y`, as far as its cross form depends on `y` (the key of the forms' memo).
    struct CrossView: Hashable {
        var x: Int32
        /// The atom of `y`'s block among `x`'s outside cut points.
        var atom: Int32
        var length: Int32
        /// `y` when `x` has a peering with it, else -1.
        var peer: Int32
        /// What `x`'s attachments' tables route `y`'s block to (``tgwCode(_:_:from:toward:_:)``), 8 bits each.
        var tgw: UInt64
    }

    /// ``CrossView`` of `x` toward `y`; nil when no form can be made (a cut point strictly inside `y`'s block, a TGW
    /// route to a third VPC or an edge).
    func crossView(_ x: Int32, _ f: CrossVPCShape, _ y: Int32, _ g: CrossVPCShape, peers: Set<UInt64>) -> CrossView? {
        // The number of cut points at or below g.base; none may fall in (g.base, g.last].
        var lo = 0, hi = f.outsideCuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if f.outsideCuts[mid] <= g.base { lo = mid + 1 } else { hi = mid }
        }
        if lo < f.outsideCuts.count && f.outsideCuts[lo] <= g.last { return nil }
        var tgw: UInt64 = 0
        for a in f.attachments {
            guard let code = tgwCode(a, f, from: x, toward: y, g) else { return nil }
            tgw = tgw << 8 | UInt64(UInt8(truncatingIfNeeded: code))
        }
        return CrossView(x: x, atom: Int32(lo), length: Int32(g.length), peer: peers.contains(CompiledTopology.pairKey(x, y)) ? y : -1, tgw: tgw)
    }

    /// What attachment `a` (of VPC `x`, shape `f`) has its table route VPC `y`'s block to: 0 nothing (or no
    /// table), -1 a blackhole, 1 + k the k-th attachment of `y`, -2 - k the k-th of `x`; nil: a third VPC's
    /// attachment or an edge.
    func tgwCode(_ a: Int32, _ f: CrossVPCShape, from x: Int32, toward y: Int32, _ g: CrossVPCShape) -> Int? {
        let t = tgwAttachments[Int(a)].associatedRouteTable
        guard t >= 0, Int(t) < g.tableHits.count, let hit = g.tableHits[Int(t)] else { return 0 }
        switch hit {
        case .blackhole: return -1
        case .edgeAttachment: return nil
        case .attachment(let b):
            if let k = g.attachments.firstIndex(of: Int32(b.position)) { return 1 + k }
            if let k = f.attachments.firstIndex(of: Int32(b.position)) { return -2 - k }
            return nil
        }
    }

    /// A route target's code in a cross form of `x` toward `y` (nil: not a regular target).
    func crossTargetCode(_ hit: RouteInterval, x: Int32, y: Int32, _ f: CrossVPCShape) -> Int? {
        guard hit.route >= 0 else { return 0 }
        switch hit.target {
        case .local: return 1
        case .blackhole: return 2
        case .internetGateway: return 3
        case .unresolved: return 4
        case .peering(let p):
            guard let other = peerings[Int(p)].other(than: x) else { return 5 }
            return other == y ? 6 : 7
        case .transitGateway(let t): return 100 + Int(t)
        case .natGateway(let n):
            guard let k = f.natGateways.firstIndex(of: n) else { return nil }
            return -10 - k
        default: return nil
        }
    }

    /// The cross form of `x` toward `y` (see the top of this file) and, apart, the content of each of `x`'s
    /// security-group sets (by canonical number) toward `y`; nil when none can be made.
    func crossForm(_ x: Int32, _ f: CrossVPCShape, _ y: Int32, _ g: CrossVPCShape) -> (form: [Int], sets: [[Int]])? {
        var form: [Int] = [f.length, g.length, vpcHot[Int(x)].hasInternetGateway ? 1 : 0, f.subnets.count]
        for s in f.subnets {
            let sub = subnetHot[Int(s)]
            form += [Int(sub.cidr.network.bits - f.base), Int(sub.cidr.length), Int(sub.zone), sub.routeTable >= 0 ? f.tableCanon[sub.routeTable] ?? -1 : -1,
                     f.naclCanon[sub.networkACL] ?? -1]
        }
        // A prefix: inside x by offset and length; else whether it holds x's and y's blocks (left out when
        // neither); nil when strictly inside y's block.
        enum Code { case drop, none, code([Int]) }
        func encode(_ p: IPPrefix) -> Code {
            guard case .v4(let q) = p else { return .drop }
            if f.holds(q) { return .code([0, Int(q.network.bits - f.base), Int(q.length)]) }
            if g.holds(q) && Int(q.length) > g.length { return .none }
            let hx = f.isInside(q), hy = g.isInside(q)
            if !hx && !hy { return .drop }
            return .code([1, hx ? 1 : 0, hy ? 1 : 0, Int(q.length)])
        }
        // Route tables: what each stretch of x's block and y's whole block go to.
        form.append(f.tables.count)
        for t in f.tables {
            let slice = routeTableIntervals[Int(t)]
            let atY = routeInterval(slice, IPv4Address(bits: g.base))
            // y's block in one interval.
            if slice.count > 0 {
                let end = Int(slice.start + slice.count)
                var k = Int(slice.start)
                while k < end && routeIntervals[k].start <= g.base { k += 1 }
                if k < end && routeIntervals[k].start <= g.last { return nil }
            }
            guard let yCode = crossTargetCode(atY, x: x, y: y, f) else { return nil }
            form += [-1000, yCode]
            // x's block, stretch by stretch.
            var at = f.base
            while true {
                let hit = routeInterval(slice, IPv4Address(bits: at))
                guard let c = crossTargetCode(hit, x: x, y: y, f) else { return nil }
                form += [Int(at - f.base), c]
                // The next interval start after `at`.
                var next: UInt32? = nil
                if slice.count > 0 {
                    for k in Int(slice.start)..<Int(slice.start + slice.count) where routeIntervals[k].start > at {
                        next = routeIntervals[k].start
                        break
                    }
                }
                guard let n = next, n <= f.last else { break }
                at = n
            }
        }
        // NACLs: rules in order, those that can match kept.
        form.append(f.nacls.count)
        for (k, acl) in f.nacls.enumerated() {
            form.append(-2000)
            guard acl >= 0 else { form.append(-1); continue }
            let sub = subnetHot[Int(f.naclSubnet[k])]
            for slice in [sub.naclInbound, sub.naclOutbound] {
                form.append(-3000)
                for r in Int(slice.start)..<Int(slice.start + slice.count) {
                    let rule = naclRuleHot[r]
                    switch encode(rule.cidr) {
                    case .drop: continue
                    case .none: return nil
                    case .code(let c): form += [rule.allow ? 1 : 0, Int(rule.ipProtocol), Int(rule.lower), Int(rule.upper)] + c
                    }
                }
            }
        }
        // Security-group sets (kept apart: only the ends' own sets are read, so each end's set is part of the memo
        // key, not of the form): CIDR rules that can match (references to the VPC's own groups never do).
        var sets: [[Int]] = []
        for (k, set) in f.sets.enumerated() {
            var content: [Int] = []
            guard set >= 0 else { sets.append([-1]); continue }
            let hot = interfaceHot[Int(f.setInterface[k])]
            for slice in [hot.sgIngress, hot.sgEgress] {
                content.append(-5000)
                for r in Int(slice.start)..<Int(slice.start + slice.count) {
                    let rule = sgRuleHot[r]
                    guard case .cidr(let p) = rule.peer else { continue }
                    switch encode(p) {
                    case .drop: continue
                    case .none: return nil
                    case .code(let c): content += [Int(rule.ipProtocol), Int(rule.lower), Int(rule.upper)] + c
                    }
                }
            }
            sets.append(content)
        }
        // NAT gateways.
        form.append(f.natGateways.count)
        for n in f.natGateways {
            let hot = interfaceHot[Int(n)]
            var isPublic = 0
            if case .natGateway(_, let p) = interfaces[Int(n)].kind { isPublic = p ? 1 : 0 }
            form += [f.subnetCanon[hot.subnet] ?? -1, Int(hot.primaryIP.bits &- f.base), hot.publicIP != 0 ? 1 : 0, isPublic]
        }
        // TGW attachments.
        form.append(f.attachments.count)
        for a in f.attachments {
            let att = attachmentHot[Int(a)]
            let tgw = tgwAttachments[Int(a)].transitGateway
            form += [Int(tgw), transitGateways[Int(tgw)].securityGroupReferencing ? 1 : 0, Int(att.associatedRouteTable), att.applianceMode ? 1 : 0,
                     Int(att.subnets.count)]
            for k in Int(att.subnets.start)..<Int(att.subnets.start + att.subnets.count) {
                let e = attachmentSubnetHot[k]
                form += [f.subnetCanon[e.subnet] ?? -1, Int(e.zone), e.interface >= 0 ? Int(interfaceHot[Int(e.interface)].primaryIP.bits &- f.base) : -1]
            }
            guard let code = tgwCode(a, f, from: x, toward: y, g) else { return nil }
            form.append(code)
        }
        return (form, sets)
    }

    /// A class's descriptor in its VPC's cross forms: its subnet's place when the subnet keys on its identity
    /// (else -1), its subnet's route table, NACL, zone, source/destination check, its address's atom among the
    /// block's inside cut points, and whether it has a public address. (Its security-group set's content toward
    /// the other VPC completes it in the memo key.)
    func crossDescriptor(_ i: Int, _ f: CrossVPCShape, subnetKeyed: [Bool]) -> [Int] {
        let hot = interfaceHot[i]
        let sub = subnetHot[Int(hot.subnet)]
        let offset = hot.primaryIP.bits &- f.base
        var lo = 0, hi = f.insideCuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if f.insideCuts[mid] <= offset { lo = mid + 1 } else { hi = mid }
        }
        return [subnetKeyed[Int(hot.subnet)] ? f.subnetCanon[hot.subnet] ?? -1 : -1, sub.routeTable >= 0 ? f.tableCanon[sub.routeTable] ?? -1 : -1,
                f.naclCanon[sub.networkACL] ?? -1, Int(sub.zone), hot.sourceDestCheck ? 1 : 0, lo,
                hot.publicIP != 0 ? 1 : 0, interfaces[i].publicIPKnown ? 1 : 0]
    }

    /// `matrix --by vpc`: the same cells as ``connectionMatrix(by:traffic:)`` computed from the class table, with
    /// the cells between two regular VPCs from the cross-VPC memo (see the top of this file).
    func connectionMatrixByVPC(traffic: QuestionTraffic) -> ConnectionMatrix {
        connectionMatrixByVPCWithStatistics(traffic: traffic).matrix
    }

    /// What the by-VPC computation did (benchmark and tests).
    @_spi(Reference) public struct CrossVPCStatistics: Sendable, CustomStringConvertible {
        /// Walks made for the memo (one per distinct forms and descriptors met).
        public var memoWalks = 0
        /// Class pairs walked as the class table does (within a VPC, toward or from a class or VPC outside the memo).
        public var classCells = 0
        /// VPC pairs answered by the memo.
        public var memoPairs = 0
        /// Cross forms built (one per VPC and distinct view of another).
        public var formPairs = 0
        public var description: String { "memo walks \(memoWalks), class cells \(classCells), memo pairs \(memoPairs), forms \(formPairs)" }
    }

    /// ``connectionMatrixByVPC(traffic:)`` with what it did.
    @_spi(Reference) public func connectionMatrixByVPCWithStatistics(traffic: QuestionTraffic) -> (matrix: ConnectionMatrix, statistics: CrossVPCStatistics) {
        var stats = CrossVPCStatistics()
        let sources = questionParties(asSources: true)
        let destinations = questionParties(asSources: false)
        let sourceLabels = groupLabels(sources, by: .vpc), destinationLabels = groupLabels(destinations, by: .vpc)
        let numbered = CompiledTopology.numberGroups(sourceLabels: sourceLabels, destinationLabels: destinationLabels)
        let vocabulary = ruleVocabulary()
        let classes = interfaceClasses
        let plan = ClassTablePlan(self, sources: sources, destinations: destinations, classes: classes)
        let cross = crossVPCPlan(classes)
        let sides = MatrixClassSides(sourceMembers: plan.s.members, sourceGroupsOf: numbered.sources, sourceSubnet: plan.s.subnet,
                                     destinationMembers: plan.d.members, destinationGroupsOf: numbered.destinations,
                                     destinationSubnet: plan.d.subnet)
        var unions: [Int: [Int: GrantUnion]] = [:]
        // Per class: its descriptor's number when it takes part in the memo (its VPC regular), else -1.
        var descriptorIDs: [[Int]: Int] = [:]
        // And its security-group set's canonical number in its VPC.
        func descriptors(_ parties: [QuestionParty], _ members: [[Int]]) -> (descriptor: [Int], set: [Int]) {
            var sets: [Int] = []
            sets.reserveCapacity(members.count)
            let ids = members.map { list -> Int in
                sets.append(-1)
                guard let id = parties[list[0]].interface else { return -1 }
                let hot = interfaceHot[id.position]
                guard hot.kind == 0, hot.vpc >= 0, let f = cross.vpcs[Int(hot.vpc)], let set = f.setCanon[hot.securityGroupSet] else { return -1 }
                sets[sets.count - 1] = set
                let d = crossDescriptor(id.position, f, subnetKeyed: classes.subnetKeyed)
                if let k = descriptorIDs[d] { return k }
                descriptorIDs[d] = descriptorIDs.count
                return descriptorIDs.count - 1
            }
            return (ids, sets)
        }
        let (sDesc, sSet) = descriptors(sources, plan.s.members), (dDesc, dSet) = descriptors(destinations, plan.d.members)
        // Per VPC: its source and destination classes taking part, one class per descriptor, and the others.
        var sourceClassesOf = [[Int]](repeating: [], count: vpcs.count)
        var destinationClassesOf = [[Int]](repeating: [], count: vpcs.count)
        var destinationByDescriptor = [[Int]](repeating: [], count: vpcs.count)
        var sourceByDescriptor = [[Int]](repeating: [], count: vpcs.count)
        var loneDestinations: [Int] = []
        var loneSources: [Int] = []
        for a in plan.s.members.indices {
            if sDesc[a] < 0 { loneSources.append(a); continue }
            let v = Int(plan.sVPC[a])
            sourceClassesOf[v].append(a)
            if !sourceByDescriptor[v].contains(where: { sDesc[$0] == sDesc[a] && sSet[$0] == sSet[a] }) { sourceByDescriptor[v].append(a) }
        }
        for b in plan.d.members.indices {
            if dDesc[b] < 0 { loneDestinations.append(b); continue }
            let v = Int(plan.dVPC[b])
            destinationClassesOf[v].append(b)
            if !destinationByDescriptor[v].contains(where: { dDesc[$0] == dDesc[b] && dSet[$0] == dSet[b] }) { destinationByDescriptor[v].append(b) }
        }
        // One class pair walked and added, as the class table does.
        func walkCell(_ a: Int, _ b: Int) {
            let r = plan.representatives(a, b, sources: sources, destinations: destinations)
            for (pair, same) in [(r.different, false), (r.same, true)] {
                guard let (i, j) = pair else { continue }
                if !same && firstRouteDrops(from: sources[i].endpoint, to: destinations[j].endpoint) { continue }
                stats.classCells += 1
                let g = connections(from: sources[i].endpoint, to: destinations[j].endpoint, traffic: traffic, vocabulary: vocabulary)
                if !g.isEmpty { sides.add(g, sourceClass: a, destinationClass: b, sameSubnet: same, to: &unions, sources: sources, destinations: destinations) }
            }
        }
        /// The group of a source or destination class (by VPC: one each).
        func sourceGroup(_ a: Int) -> Int? { numbered.sources[plan.s.members[a][0]].first }
        func destinationGroup(_ b: Int) -> Int? { numbered.destinations[plan.d.members[b][0]].first }
        /// True when the cell of the two classes' groups already holds all that `bound` lets through.
        func covered(_ a: Int, _ b: Int, _ bound: GrantBound) -> Bool {
            guard let ga = sourceGroup(a), let gb = destinationGroup(b) else { return false }
            return unions[ga]?[gb]?.covers(bound) ?? bound.isEmpty
        }
        // Sources that take no part: every destination class; toward an instance class, no walk once the cell holds
        // what its groups admit from any address.
        var anyIngress: [Int: GrantBound] = [:]
        for a in loneSources {
            for b in plan.d.members.indices {
                if let id = destinations[plan.d.members[b][0]].interface, interfaceHot[id.position].kind == 0 {
                    let bound: GrantBound
                    if let known = anyIngress[b] { bound = known } else { bound = ingressBound(id.position, nil); anyIngress[b] = bound }
                    if covered(a, b, bound) { continue }
                }
                walkCell(a, b)
            }
        }
        // Within each regular VPC, destination class by destination class: no walk once the VPC's cell holds all
        // that the class's groups admit from the VPC (``ingressBound(_:_:)``).
        for v in vpcs.indices where !sourceClassesOf[v].isEmpty {
            guard let f = cross.vpcs[v], let group = numbered.sources[plan.s.members[sourceClassesOf[v][0]][0]].first else { continue }
            for b in destinationClassesOf[v] {
                let j = plan.d.members[b][0]
                guard let id = destinations[j].interface else { continue }
                let bound = ingressBound(id.position, f)
                for a in sourceClassesOf[v] {
                    if unions[group]?[group]?.covers(bound) ?? bound.isEmpty { break }
                    walkCell(a, b)
                }
            }
            // Toward the classes that take no part: no walk once the cell holds what the source's groups let out.
            for a in sourceClassesOf[v] {
                guard let id = sources[plan.s.members[a][0]].interface else { continue }
                let bound = ingressBound(id.position, nil, egress: true)
                for b in loneDestinations where !covered(a, b, bound) { walkCell(a, b) }
            }
        }
        // Between regular VPCs: the memo.
        var peered = Set<UInt64>()
        for p in peerings { peered.insert(CompiledTopology.pairKey(p.vpcA, p.vpcB)) }
        var formIDs: [[Int]: Int] = [:]
        var setContentIDs: [[Int]: Int] = [:]
        var setListIDs: [[Int]: Int] = [:]
        var formOfView: [CrossView: (form: Int, sets: [Int], setList: Int)] = [:]
        /// The cross form number of x toward y, the numbers of its sets' contents toward y and of that list; nil
        /// when none.
        func formID(_ x: Int, _ f: CrossVPCShape, _ y: Int, _ g: CrossVPCShape) -> (form: Int, sets: [Int], setList: Int)? {
            guard let view = crossView(Int32(x), f, Int32(y), g, peers: peered) else { return nil }
            if let k = formOfView[view] { return k.form < 0 ? nil : k }
            stats.formPairs += 1
            guard let (form, sets) = crossForm(Int32(x), f, Int32(y), g) else {
                formOfView[view] = (-1, [], -1)
                return nil
            }
            let id: Int
            if let k = formIDs[form] { id = k } else { id = formIDs.count; formIDs[form] = id }
            let contents = sets.map { content -> Int in
                if let k = setContentIDs[content] { return k }
                setContentIDs[content] = setContentIDs.count
                return setContentIDs.count - 1
            }
            let list: Int
            if let k = setListIDs[contents] { list = k } else { list = setListIDs.count; setListIDs[contents] = list }
            formOfView[view] = (id, contents, list)
            return (id, contents, list)
        }
        // (forms both ways, source descriptor, destination descriptor) -> the answer's number (-1: nothing). A VPC
        // cell is the union of the distinct answers it meets: a mask over their numbers, each mask's union once.
        struct MemoKey: Hashable { var forms: Int; var source: Int; var sourceSet: Int; var destination: Int; var destinationSet: Int }
        var memo: [MemoKey: Int] = [:]
        var answers: [ConnectionGrants] = []
        var answerNumber: [ConnectionGrants: Int] = [:]
        var unionOfMask: [AnswerMask: ConnectionGrants] = [:]
        var memoCells: [ConnectionMatrix.Cell] = []
        var overflow = false
        // Dense numbers of (destination descriptor, set content), and per VPC by list of its set contents.
        var denseOf: [Int: Int] = [:]
        var denseLists = [[Int: [Int]]](repeating: [:], count: vpcs.count)
        for v in vpcs.indices {
            let sourcesHere = sourceClassesOf[v]
            guard !sourcesHere.isEmpty, let f = cross.vpcs[v],
                  let sourceGroup = numbered.sources[plan.s.members[sourcesHere[0]][0]].first else { continue }
            // Per forms and own set contents met (numbered here): per destination descriptor and set content, the mask
            // of this VPC's source descriptors' answers.
            struct Here: Hashable { var forms: Int; var sets: Int }
            var formsHere: [Here: Int] = [:]
            var masks: [(masks: [AnswerMask], known: [Bool])] = []
            for w in vpcs.indices where w != v && !destinationClassesOf[w].isEmpty {
                guard !overflow, let g = cross.vpcs[w], let ab = formID(v, f, w, g), let ba = formID(w, g, v, f) else {
                    for a in sourcesHere { for b in destinationClassesOf[w] { walkCell(a, b) } }
                    continue
                }
                stats.memoPairs += 1
                let forms = ab.form << 32 | ba.form
                let here: Int
                if let k = formsHere[Here(forms: forms, sets: ab.setList)] {
                    here = k
                } else {
                    here = masks.count
                    formsHere[Here(forms: forms, sets: ab.setList)] = here
                    masks.append(([], []))
                }
                // The destination descriptors' dense numbers, for this list of set contents of w.
                let dense: [Int]
                if let known = denseLists[w][ba.setList] {
                    dense = known
                } else {
                    dense = destinationByDescriptor[w].map { b in
                        let key = dDesc[b] << 32 | ba.sets[dSet[b]]
                        if let k = denseOf[key] { return k }
                        denseOf[key] = denseOf.count
                        return denseOf.count - 1
                    }
                    denseLists[w][ba.setList] = dense
                }
                if masks[here].known.count < denseOf.count {
                    masks[here].masks += Array(repeating: AnswerMask(), count: denseOf.count - masks[here].known.count)
                    masks[here].known += Array(repeating: false, count: denseOf.count - masks[here].known.count)
                }
                var mask = AnswerMask()
                for (k, b) in destinationByDescriptor[w].enumerated() {
                    let dSetContent = ba.sets[dSet[b]]
                    let dKey = dense[k]
                    if masks[here].known[dKey] {
                        mask.formUnion(masks[here].masks[dKey])
                        continue
                    }
                    var m = AnswerMask()
                    for a in sourceByDescriptor[v] {
                        let key = MemoKey(forms: forms, source: sDesc[a], sourceSet: ab.sets[sSet[a]], destination: dDesc[b], destinationSet: dSetContent)
                        let n: Int
                        if let known = memo[key] {
                            n = known
                        } else {
                            // Different VPCs: different subnets; any members stand for the classes.
                            let i = plan.s.members[a][0], j = plan.d.members[b][0]
                            stats.memoWalks += 1
                            let g = connections(from: sources[i].endpoint, to: destinations[j].endpoint, traffic: traffic, vocabulary: vocabulary)
                            if g.isEmpty {
                                n = -1
                            } else if let known = answerNumber[g] {
                                n = known
                            } else {
                                n = answers.count
                                answerNumber[g] = n
                                answers.append(g)
                            }
                            memo[key] = n
                        }
                        if n >= AnswerMask.capacity { overflow = true } else if n >= 0 { m.insert(n) }
                    }
                    masks[here].masks[dKey] = m
                    masks[here].known[dKey] = true
                    mask.formUnion(m)
                }
                if overflow {
                    // More distinct answers than a mask holds: this pair and the rest class by class.
                    for a in sourcesHere { for b in destinationClassesOf[w] { walkCell(a, b) } }
                    continue
                }
                guard !mask.isEmpty, let destinationGroup = numbered.destinations[plan.d.members[destinationClassesOf[w][0]][0]].first else { continue }
                let cell: ConnectionGrants
                if let known = unionOfMask[mask] {
                    cell = known
                } else {
                    var u = GrantUnion()
                    for n in mask.elements { u.add(answers[n]) }
                    cell = u.grants
                    unionOfMask[mask] = cell
                }
                memoCells.append(ConnectionMatrix.Cell(source: sourceGroup, destination: destinationGroup, grants: cell))
            }
        }
        // The memo's cells and the others are for different pairs of groups (a memo pair's classes are walked
        // nowhere else).
        var matrix = CompiledTopology.finish(by: .vpc, groups: numbered.groups, sourceGroupsOf: numbered.sources,
                                             destinationGroupsOf: numbered.destinations, unions: unions)
        if !memoCells.isEmpty {
            matrix.cells += memoCells
            matrix.cells.sort { ($0.source, $0.destination) < ($1.source, $1.destination) }
        }
        return (matrix, stats)
    }

    /// An upper bound on what any walk from an interface of VPC `f` to interface `i` gets: what `i`'s groups admit
    /// from some address of the VPC's block (every source such a walk can show `i` — the sender, or a NAT gateway
    /// of the VPC — has one), by protocol; everything for a rule of another protocol or all protocols, or without
    /// groups. TCP and UDP: the rules' ports; ICMP: every type.
    /// With `f` nil, from any address (any source: its ingress), or `egress`: what `i`'s groups let out to any
    /// address (any walk from `i`).
    func ingressBound(_ i: Int, _ f: CrossVPCShape?, egress: Bool = false) -> GrantBound {
        let hot = interfaceHot[i]
        guard hot.securityGroupSet >= 0 else { return GrantBound(everything: true) }
        var bound = GrantBound()
        let slice = egress ? hot.sgEgress : hot.sgIngress
        for r in Int(slice.start)..<Int(slice.start + slice.count) {
            let rule = sgRuleHot[r]
            if let f, case .cidr(let p) = rule.peer {
                guard case .v4(let q) = p, q.network.bits <= f.last && q.last.bits >= f.base else { continue }
            }
            switch rule.ipProtocol {
            case Int16(IPProtocol.tcpNumber), Int16(IPProtocol.udpNumber):
                let lower = max(rule.lower, 1)
                guard lower <= rule.upper else { continue }
                let p: IPProtocol = rule.ipProtocol == Int16(IPProtocol.tcpNumber) ? .tcp : .udp
                bound.ports[p] = (bound.ports[p] ?? .empty).union(PortSet(PortRange(lower, rule.upper)))
            case Int16(IPProtocol.icmpNumber):
                bound.ports[.icmp] = PortSet(PortRange(0, 255))
            default:
                return GrantBound(everything: true)
            }
        }
        return bound
    }
}

/// An upper bound on a set of answers (``CompiledTopology/ingressBound(_:_:)``).
struct GrantBound {
    var everything = false
    var ports: [IPProtocol: PortSet] = [:]
    /// True when no answer can hold anything.
    var isEmpty: Bool { !everything && ports.values.allSatisfy(\.isEmpty) }
}

/// A set of answer numbers below ``capacity``.
struct AnswerMask: Hashable {
    static let capacity = 256
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (a: AnswerMask, b: AnswerMask) -> Bool { a.words == b.words }
    func hash(into h: inout Hasher) {
        h.combine(words.0)
        h.combine(words.1)
        h.combine(words.2)
        h.combine(words.3)
    }
    var isEmpty: Bool { words == (0, 0, 0, 0) }
    mutating func insert(_ n: Int) {
        let bit = UInt64(1) << UInt64(n % 64)
        switch n / 64 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }
    mutating func formUnion(_ o: AnswerMask) {
        words = (words.0 | o.words.0, words.1 | o.words.1, words.2 | o.words.2, words.3 | o.words.3)
    }
    /// The numbers, ascending.
    var elements: [Int] {
        var out: [Int] = []
        for (k, w) in [words.0, words.1, words.2, words.3].enumerated() {
            for b in 0..<64 where w & (UInt64(1) << UInt64(b)) != 0 { out.append(k * 64 + b) }
        }
        return out
    }
}
