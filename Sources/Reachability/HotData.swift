import IPAddressing
import NetworkModel

/// An open-addressing hash map from `UInt64` keys to non-negative `Int32` values: linear probing over one
/// contiguous slot array (power-of-two capacity, load ≤ 1/2), Fibonacci hashing. It replaces `Dictionary` on
/// the query path: no `Hasher` (SipHash), no reference counting per probe, one cache line per hit.
///
/// Kept over `Dictionary` on measurement (Docs/PERFORMANCE.md, "Issue 17: hash tables",
/// `Benchmarks/hashtables/run.sh`): 10,000 `UInt64` keys, ¾ hits, 21 instructions · 11 ns a look-up against
/// `Dictionary`'s 157 · 49 on the same keys and access pattern (7.5× fewer instructions).
struct IndexMap: Sendable {
    struct Slot: Sendable {
        var key: UInt64
        /// -1: empty.
        var value: Int32
    }
    private(set) var slots: [Slot]
    private var shift: UInt64
    private(set) var count = 0

    /// An empty map sized for `expected` keys without growing.
    init(expected: Int = 0) {
        var capacity = 16
        while capacity < 2 * expected { capacity <<= 1 }
        slots = Array(repeating: Slot(key: 0, value: -1), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always) private static func home(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The value stored for `key`, or -1.
    @inline(__always) func find(_ key: UInt64) -> Int32 {
        slots.withUnsafeBufferPointer { s in
            let mask = s.count &- 1
            var i = IndexMap.home(key, shift)
            while true {
                let slot = s[i]
                if slot.value < 0 { return -1 }
                if slot.key == key { return slot.value }
                i = (i &+ 1) & mask
            }
        }
    }

    /// Stores `value` (≥ 0) for `key` unless the key is already present (the first writer wins).
    mutating func insertIfAbsent(_ key: UInt64, _ value: Int32) {
        precondition(value >= 0, "IndexMap values are non-negative")
        if 2 * (count + 1) > slots.count { grow() }
        let mask = slots.count - 1
        var i = IndexMap.home(key, shift)
        while slots[i].value >= 0 {
            if slots[i].key == key { return }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: key, value: value)
        count += 1
    }

    private mutating func grow() {
        let old = slots
        self = IndexMap(expected: slots.count)
        for slot in old where slot.value >= 0 { insertIfAbsent(slot.key, slot.value) }
    }
}

/// A security-group rule as plain data (no text, no location): what evaluation reads.
struct HotSGRule: Sendable {
    var ipProtocol: Int16
    /// The header values the rule matches, as one closed range: destination ports (TCP/UDP), the ICMP key
    /// `type << 8 | code` (ICMP/ICMPv6), or everything (other protocols, `all`). See ``ruleKeyRange``.
    var lower: UInt16
    var upper: UInt16
    var peer: CompiledSGRule.Peer
}

/// A NACL rule as plain data.
struct HotNACLRule: Sendable {
    var allow: Bool
    var ipProtocol: Int16
    /// As ``HotSGRule/lower`` and ``HotSGRule/upper``.
    var lower: UInt16
    var upper: UInt16
    var cidr: IPPrefix
}

/// The ICMP key of a type and code: `type << 8 | code`, the value ICMP rules are matched on (the same axis as
/// Lint's `PacketSpace`).
@inline(__always) func icmpKey(type: UInt8, code: UInt8) -> UInt16 {
    UInt16(type) << 8 | UInt16(code)
}


/// The closed range of header keys a rule of protocol `ipProtocol` (-1: all) with `ports` matches (AWS, §7/§8):
/// TCP/UDP → its port range (nil: all ports); ICMP/ICMPv6 → type `lower`, code `upper` as ``icmpKey(type:code:)``
/// values (nil or a type above 255, AWS's -1: every type; a code above 255: every code of the type); `all` and
/// other protocols ignore ports. `ipv4CIDR` marks a NACL rule with an IPv4 CIDR: an ICMPv6 rule there matches
/// every type (AWS).
func ruleKeyRange(ipProtocol: Int16, ports: PortRange?, ipv4CIDR: Bool = false) -> (lower: UInt16, upper: UInt16) {
    guard let ports else { return (0, .max) }
    switch ipProtocol {
    case 6, 17:
        return (min(ports.lower, ports.upper), max(ports.lower, ports.upper))
    case 1, 58:
        if ipProtocol == Int16(IPProtocol.icmpv6Number) && ipv4CIDR { return (0, .max) }
        if ports.lower > 255 { return (0, .max) }
        let base = ports.lower << 8
        return ports.upper > 255 ? (base, base | 0xFF) : (base | ports.upper, base | ports.upper)
    default:
        return (0, .max)
    }
}

/// ICMP and ICMPv6 types the walk treats differently from other types beyond the rules and the reply
/// (``icmpReplyType(_:v6:)``): a gateway endpoint answers IPv4 echo (8, and 0), NAT64 turns ICMPv6 echo (128, 129)
/// into IPv4 echo. Questions walk these types alone and group the others (`icmpTypes(_:from:to:…)`), so any walk step
/// that reads a packet's ICMP type must single out here the types it treats apart.
public let icmpTypesWithOwnBehaviour: Set<UInt8> = [0, 8, 128, 129]

/// The reply type to an ICMP (`v6: false`) or ICMPv6 query type, or nil when the type gets no reply (errors,
/// replies themselves, unknown types): echo 8→0, timestamp 13→14, information 15→16, address mask 17→18,
/// router solicitation 10→9, extended echo 42→43; ICMPv6 echo 128→129, multicast listener query 130→131,
/// router solicitation 133→134, neighbour solicitation 135→136, extended echo 160→161.
public func icmpReplyType(_ type: UInt8, v6: Bool) -> UInt8? {
    if v6 {
        switch type {
        case 128: 129
        case 130: 131
        case 133: 134
        case 135: 136
        case 160: 161
        default: nil
        }
    } else {
        switch type {
        case 8: 0
        case 13: 14
        case 15: 16
        case 17: 18
        case 10: 9
        case 42: 43
        default: nil
        }
    }
}

/// Where one rule list lives in a flat rule array.
struct RuleSlice: Sendable {
    var start: Int32 = 0
    var count: Int32 = 0
}

/// Per security-group set: its ingress and egress rules and its groups, as slices of flat arrays.
struct HotSGSet: Sendable {
    var ingress: RuleSlice
    var egress: RuleSlice
    var groups: RuleSlice
    /// An egress rule references a group of another VPC (whether it holds depends on the packet's path).
    var egressCrossVPCReferences: Bool = false
}

/// Per NACL: its inbound and outbound rules as slices of one flat array.
struct HotNACL: Sendable {
    var inbound: RuleSlice
    var outbound: RuleSlice
}

/// A VPC route's target as plain data (no name payload).
enum HotRouteTarget: Sendable {
    case local, blackhole, internetGateway, egressOnlyGateway
    case natGateway(Int32)
    case peering(Int32)
    case transitGateway(Int32)
    case interface(Int32)
    /// The VPC's VGW (index = the VPC's).
    case vpnGateway(Int32)
    case unresolved
    case unmodelled
    case gatewayEndpoint(Int32)
    /// A Gateway Load Balancer endpoint (index into ``ResolvedTopology/vpcEndpoints`` and ``CompiledTopology/gwlbHot``).
    case gatewayLoadBalancerEndpoint(Int32)

    init(_ t: RouteTargetKind) {
        switch t {
        case .local: self = .local
        case .blackhole: self = .blackhole
        case .internetGateway: self = .internetGateway
        case .egressOnlyGateway: self = .egressOnlyGateway
        case .natGateway(let n): self = .natGateway(n.index)
        case .peering(let p): self = .peering(p.index)
        case .transitGateway(let t): self = .transitGateway(t.index)
        case .interface(let i): self = .interface(i.index)
        case .vpnGateway(let g): self = .vpnGateway(g.index)
        case .unresolved: self = .unresolved
        case .unmodelled: self = .unmodelled
        case .gatewayEndpoint(let e): self = .gatewayEndpoint(e.index)
        case .gatewayLoadBalancerEndpoint(let e): self = .gatewayLoadBalancerEndpoint(e.index)
        }
    }
}

/// The per-hop fields of a VPC, as plain data: its IPv4 blocks (a slice of ``CompiledTopology/vpcCIDRHot``)
/// and gateways.
struct VPCHot: Sendable {
    var cidrs: RuleSlice
    var hasInternetGateway: Bool
    var hasEgressOnlyGateway: Bool
    /// True when the VPC has IPv6 blocks (checked through ``CompiledVPC/ipv6Cidrs``).
    var hasIPv6: Bool
}

/// One interval of a flattened IPv4 VPC route table: from `start` up to the next interval's start, the
/// winning route is `route` (-1: none) with target `target`.
struct RouteInterval: Sendable {
    var start: UInt32
    var route: Int32
    var target: HotRouteTarget
}

/// One interval of a VPC's flattened IPv4 subnet map: from `start` on, addresses are in `subnet` (-1: none).
struct SubnetInterval: Sendable {
    var start: UInt32
    var subnet: Int32
}

/// A TGW attachment's fields the walk reads, as plain data; its subnets are a slice of
/// ``CompiledTopology/attachmentSubnetHot``.
struct AttachmentHot: Sendable {
    var subnets: RuleSlice
    var associatedRouteTable: Int32
    var applianceMode: Bool
}

/// One subnet of a TGW attachment: the subnet, the attachment's ENI there and the subnet's zone (-1: unknown).
struct AttachmentSubnet: Sendable {
    var subnet: Int32
    var interface: Int32
    var zone: Int32
}

/// The last element of `p[start ..< start + count]` whose `start` is ≤ `key` (the first element's start is 0).
@inline(__always) func intervalSearch<T>(_ p: UnsafeBufferPointer<T>, _ start: Int, _ count: Int, _ key: UInt32,
                                         _ startOf: (T) -> UInt32) -> Int {
    var base = start
    var len = count
    while len > 1 {
        let half = len &>> 1
        base = startOf(p[base &+ half]) <= key ? base &+ half : base
        len &-= half
    }
    return base
}

/// Cuts the IPv4 space into the maximal intervals on which `lookup` is constant, given the prefixes it
/// knows: between consecutive prefix boundaries the set of containing prefixes (hence the longest match) is
/// constant, so probing each boundary is exact. The reference the compiled interval lists are tested against
/// (``RouteLPM/forEachIPv4Interval(_:)`` reads the same intervals off the LPM table).
func ipv4Intervals(_ prefixes: [IPv4Prefix], _ lookup: (IPv4Address) -> Int32) -> [(UInt32, Int32)] {
    var bounds: [UInt32] = [0]
    for p in prefixes {
        bounds.append(p.network.bits)
        let last = p.last.bits
        if last != UInt32.max { bounds.append(last &+ 1) }
    }
    bounds.sort()
    var out: [(UInt32, Int32)] = []
    var previous: UInt32? = nil
    for b in bounds where b != previous {
        previous = b
        let v = lookup(IPv4Address(bits: b))
        if let last = out.last, last.1 == v { continue }
        out.append((b, v))
    }
    return out
}

extension CompiledTopology {
    /// The winning route of a VPC route table (given by its interval slice) for IPv4 `a` (route -1: no
    /// match), with its target.
    @inline(__always) func routeInterval(_ s: RuleSlice, _ a: IPv4Address) -> RouteInterval {
        if s.count == 0 { return RouteInterval(start: 0, route: -1, target: .unresolved) }
        return routeIntervals.withUnsafeBufferPointer { p in
            p[intervalSearch(p, Int(s.start), Int(s.count), a.bits) { $0.start }]
        }
    }

    /// The subnet of VPC `v` holding IPv4 `a`, or -1.
    @inline(__always) func subnetOf(vpc v: Int32, _ a: IPv4Address) -> Int32 {
        let s = vpcSubnetIntervals[Int(v)]
        return subnetIntervals.withUnsafeBufferPointer { p in
            p[intervalSearch(p, Int(s.start), Int(s.count), a.bits) { $0.start }].subnet
        }
    }

    /// The subnet of VPC `v` holding `address` (either family), or -1.
    @inline(__always) func subnetOf(vpc v: Int32, _ address: IPAddress) -> Int32 {
        switch address {
        case .v4(let a): subnetOf(vpc: v, a)
        case .v6: subnetLPM[Int(v)].lookup(address)?.value ?? -1
        }
    }

    /// True when subnet `s` (whose hot record is `sub`) holds `address`.
    @inline(__always) func subnetContains(_ s: Int32, _ sub: SubnetHot, _ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): sub.cidr.contains(a)
        case .v6(let a): sub.hasIPv6 && (subnets[Int(s)].ipv6Cidr?.contains(a) ?? false)
        }
    }

    /// Key of the (VPC, IPv4 address) → interface map.
    @inline(__always) static func addressKey(_ vpc: Int32, _ a: IPv4Address) -> UInt64 {
        UInt64(UInt32(bitPattern: vpc)) << 32 | UInt64(a.bits)
    }

    /// The interface holding `address` privately in `vpc`, or -1.
    @inline(__always) func privateOwner(vpc: Int32, _ address: IPAddress) -> Int32 {
        switch address {
        case .v4(let a): privateOwner4.find(CompiledTopology.addressKey(vpc, a))
        case .v6: privateOwner6[AddressKey(vpc: vpc, address: address)] ?? -1
        }
    }

    /// Builds the plain-data arrays and integer maps the query path reads (end of compilation).
    mutating func buildHotData() {
        // Security-group sets: rules and groups, flattened.
        sgRuleHot = []
        sgGroupHot = []
        sgSetHot = []
        sgSetHot.reserveCapacity(securityGroupSets.count)
        func slice(_ rules: [CompiledSGRule]) -> RuleSlice {
            let s = RuleSlice(start: Int32(sgRuleHot.count), count: Int32(rules.count))
            for r in rules {
                let k = ruleKeyRange(ipProtocol: r.ipProtocol, ports: r.ports)
                sgRuleHot.append(HotSGRule(ipProtocol: r.ipProtocol, lower: k.lower, upper: k.upper, peer: r.peer))
            }
            return s
        }
        for set in securityGroupSets {
            let ingress = slice(set.ingress), egress = slice(set.egress)
            let groups = RuleSlice(start: Int32(sgGroupHot.count), count: Int32(set.groups.count))
            sgGroupHot += set.groups
            sgSetHot.append(HotSGSet(ingress: ingress, egress: egress, groups: groups))
        }
        sgVPCHot = securityGroups.map(\.vpc)
        for k in sgSetHot.indices {
            let set = securityGroupSets[k]
            guard let first = set.groups.first else { continue }
            let home = sgVPCHot[Int(first)]
            sgSetHot[k].egressCrossVPCReferences = set.egress.contains { rule in
                if case .group(let g) = rule.peer { return sgVPCHot[g.position] != home }
                return false
            }
        }

        // NACLs.
        naclRuleHot = []
        naclHot = []
        func nslice(_ rules: [CompiledNACLRule]) -> RuleSlice {
            let s = RuleSlice(start: Int32(naclRuleHot.count), count: Int32(rules.count))
            for r in rules {
                let k = ruleKeyRange(ipProtocol: r.ipProtocol, ports: r.ports, ipv4CIDR: r.cidr.family == .ipv4)
                naclRuleHot.append(HotNACLRule(allow: r.allow, ipProtocol: r.ipProtocol, lower: k.lower, upper: k.upper, cidr: r.cidr))
            }
            return s
        }
        for acl in networkACLs { naclHot.append(HotNACL(inbound: nslice(acl.inbound), outbound: nslice(acl.outbound))) }

        // Route targets, per table, flattened.
        routeTargetHot = []
        routeTableBase = []
        // By index: a table's routes and LPM are read in place, not copied with the whole record.
        routeTableBase.reserveCapacity(routeTables.count)
        for t in routeTables.indices {
            routeTableBase.append(Int32(routeTargetHot.count))
            for r in routeTables[t].routes.indices { routeTargetHot.append(HotRouteTarget(routeTables[t].routes[r].target)) }
        }

        // IPv4 route tables and per-VPC subnet maps as interval lists, read off their LPM tables (the same
        // maximal intervals ``ipv4Intervals(_:_:)`` finds by probing every prefix boundary, without the probes).
        routeIntervals = []
        routeTableIntervals = []
        routeTableIntervals.reserveCapacity(routeTables.count)
        for t in routeTables.indices {
            let start = routeIntervals.count
            let base = Int(routeTableBase[t])
            var last: Int32? = nil
            routeTables[t].lpm.forEachIPv4Interval { first, value in
                let route = value ?? -1
                if route == last { return }
                last = route
                let target = route >= 0 ? routeTargetHot[base + Int(route)] : .unresolved
                routeIntervals.append(RouteInterval(start: first, route: route, target: target))
            }
            routeTableIntervals.append(RuleSlice(start: Int32(start), count: Int32(routeIntervals.count - start)))
        }
        subnetIntervals = []
        vpcSubnetIntervals = []
        vpcSubnetIntervals.reserveCapacity(vpcs.count)
        for v in vpcs.indices {
            let start = subnetIntervals.count
            var last: Int32? = nil
            subnetLPM[v].forEachIPv4Interval { first, value in
                let s = value ?? -1
                if s == last { return }
                last = s
                subnetIntervals.append(SubnetInterval(start: first, subnet: s))
            }
            vpcSubnetIntervals.append(RuleSlice(start: Int32(start), count: Int32(subnetIntervals.count - start)))
        }

        // TGW attachments and TGW route targets.
        attachmentSubnetHot = []
        attachmentHot = tgwAttachments.map { att in
            let s = RuleSlice(start: Int32(attachmentSubnetHot.count), count: Int32(att.subnets.count))
            for (k, sub) in att.subnets.enumerated() {
                attachmentSubnetHot.append(AttachmentSubnet(subnet: sub, interface: k < att.interfaces.count ? att.interfaces[k] : -1,
                                                            zone: subnetHot[Int(sub)].zone))
            }
            return AttachmentHot(subnets: s, associatedRouteTable: att.associatedRouteTable, applianceMode: att.applianceMode)
        }
        tgwTargetHot = []
        tgwTableBase = []
        for table in tgwRouteTables {
            tgwTableBase.append(Int32(tgwTargetHot.count))
            for r in table.routes {
                switch r.target {
                case .attachment(let a): tgwTargetHot.append(a.index)
                // -2 - k: edge attachment k (VPN, Direct Connect gateway, peering).
                case .edgeAttachment(let e): tgwTargetHot.append(-2 - e.index)
                case .blackhole: tgwTargetHot.append(-1)
                }
            }
        }

        // Denormalized slices: a subnet's route intervals and NACL rules, an interface's SG rules.
        for s in subnetHot.indices {
            let t = subnetHot[s].routeTable
            if t >= 0 { subnetHot[s].routes = routeTableIntervals[Int(t)] }
            let acl = subnetHot[s].networkACL
            if acl >= 0 {
                subnetHot[s].naclInbound = naclHot[Int(acl)].inbound
                subnetHot[s].naclOutbound = naclHot[Int(acl)].outbound
            }
        }
        for i in interfaceHot.indices {
            let set = interfaceHot[i].securityGroupSet
            if set >= 0 {
                interfaceHot[i].sgIngress = sgSetHot[Int(set)].ingress
                interfaceHot[i].sgEgress = sgSetHot[Int(set)].egress
            }
        }

        // VPC blocks.
        vpcCIDRHot = []
        vpcHot = vpcs.map { v in
            let s = RuleSlice(start: Int32(vpcCIDRHot.count), count: Int32(v.cidrs.count))
            vpcCIDRHot += v.cidrs
            return VPCHot(cidrs: s, hasInternetGateway: v.internetGateway != nil, hasEgressOnlyGateway: v.egressOnlyGateway != nil,
                          hasIPv6: !v.ipv6Cidrs.isEmpty)
        }

        // Integer maps.
        var pairs = IndexMap(expected: peeringByPair.count + sgReferencingPairs.count)
        for (k, p) in peeringByPair { pairs.insertIfAbsent(k, p) }
        for k in sgReferencingPairs { pairs.insertIfAbsent(k, 0) }
        sgReferencablePairs = pairs
        var atts = IndexMap(expected: attachmentByTGWAndVPC.count)
        for (k, a) in attachmentByTGWAndVPC { atts.insertIfAbsent(k, a) }
        attachmentMap = atts
    }
}
