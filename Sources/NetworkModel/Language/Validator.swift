import IPAddressing
import Reporting

/// Semantic checks of a parsed topology (Docs/DSL.md, "Validation"): names resolve to the right kind in the
/// right VPC, addresses fit their blocks, AWS's structural limits hold.
public enum TopologyValidator {
    /// Every problem of `topology`, sorted by position. `sources` (file name → text) lets diagnostics show the
    /// source line and underline the offending word; without it they carry only the position.
    ///
    /// - Complexity: O(n log n) in the number of resources.
    public static func validate(_ topology: Topology, sources: [String: SourceText] = [:]) -> [Diagnostic] {
        var v = Validation(topology: topology, sources: sources)
        v.run()
        return sortedByPosition(v.diagnostics)
    }
}

/// What a name denotes.
enum ResourceKind: String, Sendable {  // stored as its case index
    case prefixList = "prefix list", vpc = "VPC", internetGateway = "internet gateway"
    case egressOnlyGateway = "egress-only gateway", subnet = "subnet", natGateway = "NAT gateway"
    case routeTable = "route table", securityGroup = "security group", networkACL = "network ACL"
    case instance = "instance", peering = "peering connection", transitGateway = "transit gateway"
    case tgwAttachment = "transit gateway attachment", tgwRouteTable = "transit gateway route table"
}

extension ResourceKind {
    /// The kind's bit in a ``ResourceKinds`` mask.
    var bit: UInt16 {
        switch self {
        case .prefixList: 1 << 0
        case .vpc: 1 << 1
        case .internetGateway: 1 << 2
        case .egressOnlyGateway: 1 << 3
        case .subnet: 1 << 4
        case .natGateway: 1 << 5
        case .routeTable: 1 << 6
        case .securityGroup: 1 << 7
        case .networkACL: 1 << 8
        case .instance: 1 << 9
        case .peering: 1 << 10
        case .transitGateway: 1 << 11
        case .tgwAttachment: 1 << 12
        case .tgwRouteTable: 1 << 13
        }
    }
}

/// A set of ``ResourceKind``s as a bit mask: `resolve` asks "is this entry one of these kinds" per reference,
/// and a `Set<ResourceKind>` hashed the kind's raw string for every question.
struct ResourceKinds: Sendable, ExpressibleByArrayLiteral {
    private var mask: UInt16 = 0
    init(arrayLiteral kinds: ResourceKind...) {
        for kind in kinds { mask |= kind.bit }
    }
    func contains(_ kind: ResourceKind) -> Bool { mask & kind.bit != 0 }
}

struct Validation {
    /// 12 bytes: 160,000 names of the benchmark topology cost a few megabytes.
    struct Entry {
        var kind: ResourceKind
        /// Index of the owning VPC (or TGW for attachments and TGW tables); -1 for none.
        var ownerIndex: Int32
        /// Position in the owner's array of this kind.
        var positionIndex: Int32
        /// Line of the declaration (for "already … at line N").
        var line: Int32
        var owner: Int { Int(ownerIndex) }
        var position: Int { Int(positionIndex) }
    }

    let topology: Topology
    let sources: [String: SourceText]
    var diagnostics: [Diagnostic] = []
    /// Every declared name (a ``NameMap``: cheaper to build and probe than a `Dictionary` at this size).
    var names = NameMap<Entry>()
    /// Per transit gateway: the VPC names its attachments name (a route to the TGW is checked against it).
    var attachedVPCNames: [NameMap<Bool>] = []

    init(topology: Topology, sources: [String: SourceText]) {
        self.topology = topology
        self.sources = sources
    }

    // MARK: Reporting

    /// Reports beyond this many are dropped (and one note says so).
    static let maxErrors = 1000

    mutating func error(_ message: String, at location: SourceLocation, word: String? = nil, hint: String? = nil) {
        if diagnostics.count >= Validation.maxErrors {
            if diagnostics.count == Validation.maxErrors {
                diagnostics.append(Diagnostic(file: location.file, line: location.line, column: location.column,
                                              message: "too many errors; further validation errors are not shown"))
            }
            return
        }
        if let source = sources[location.file] {
            diagnostics.append(source.diagnostic(message, at: location, word: word, hint: hint))
        } else {
            diagnostics.append(Diagnostic(file: location.file, line: location.line, column: location.column,
                                          length: word?.count ?? 1, message: message, hint: hint))
        }
    }

    func didYouMean(_ word: String, _ candidates: [String]) -> String? {
        Suggest.closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    func vpcName(_ index: Int) -> String { topology.vpcs[index].name }

    /// Names of `kinds` (optionally only in VPC `owner`), for suggestions.
    func candidates(_ kinds: ResourceKinds, owner: Int? = nil) -> [String] {
        names.pairs.compactMap { name, entry in
            kinds.contains(entry.kind) && (owner == nil || entry.owner == owner) ? name : nil
        }.sorted()
    }

    // MARK: Run

    mutating func run() {
        collectNames()
        attachedVPCNames = topology.transitGateways.map { tgw in
            var vpcs = NameMap<Bool>(minimumCapacity: tgw.attachments.count)
            for a in tgw.attachments { vpcs.insertIfAbsent(a.vpc, true) }
            return vpcs
        }
        for (i, vpc) in topology.vpcs.enumerated() { checkVPC(vpc, index: i) }
        checkPrefixLists()
        checkPeerings()
        for (i, tgw) in topology.transitGateways.enumerated() { checkTransitGateway(tgw, index: i) }
        checkAssertions()
    }

    mutating func declare(_ name: String, _ kind: ResourceKind, owner: Int, position: Int = 0, _ location: SourceLocation) {
        let entry = Entry(kind: kind, ownerIndex: Int32(truncatingIfNeeded: owner), positionIndex: Int32(truncatingIfNeeded: position),
                          line: Int32(truncatingIfNeeded: location.line))
        if !names.insertIfAbsent(name, entry), let previous = names[name] {
            let place = previous.line > 0 ? " at line \(previous.line)" : ""
            error("duplicate name '\(name)': already a \(previous.kind.rawValue)\(place)", at: location, word: name,
                  hint: "names are unique across the topology")
        }
    }

    mutating func collectNames() {
        var total = topology.prefixLists.count + topology.peerings.count
        for vpc in topology.vpcs {
            total += 3 + vpc.subnets.count + vpc.natGateways.count + vpc.routeTables.count + vpc.securityGroups.count
                + vpc.networkACLs.count + vpc.instances.count
        }
        for tgw in topology.transitGateways { total += 1 + tgw.attachments.count + tgw.routeTables.count }
        names = NameMap(minimumCapacity: total)
        for list in topology.prefixLists { declare(list.name, .prefixList, owner: -1, list.location) }
        for (i, vpc) in topology.vpcs.enumerated() {
            declare(vpc.name, .vpc, owner: i, vpc.location)
            if let g = vpc.internetGateway { declare(g.name, .internetGateway, owner: i, g.location) }
            if let g = vpc.egressOnlyGateway { declare(g.name, .egressOnlyGateway, owner: i, g.location) }
            // By index: the loops read two fields, not a copy of each record.
            for k in vpc.subnets.indices { declare(vpc.subnets[k].name, .subnet, owner: i, position: k, vpc.subnets[k].location) }
            for n in vpc.natGateways { declare(n.name, .natGateway, owner: i, n.location) }
            for t in vpc.routeTables { declare(t.name, .routeTable, owner: i, t.location) }
            for g in vpc.securityGroups { declare(g.name, .securityGroup, owner: i, g.location) }
            for a in vpc.networkACLs { declare(a.name, .networkACL, owner: i, a.location) }
            for k in vpc.instances.indices {
                declare(vpc.instances[k].name, .instance, owner: i, position: k, vpc.instances[k].location)
            }
        }
        for (k, p) in topology.peerings.enumerated() { declare(p.name, .peering, owner: -1, position: k, p.location) }
        for (i, tgw) in topology.transitGateways.enumerated() {
            declare(tgw.name, .transitGateway, owner: i, tgw.location)
            for a in tgw.attachments { declare(a.name, .tgwAttachment, owner: i, a.location) }
            for t in tgw.routeTables { declare(t.name, .tgwRouteTable, owner: i, t.location) }
        }
    }

    /// Resolves `name` as one of `kinds` in VPC `vpc`; reports a diagnostic and returns false otherwise.
    @discardableResult
    mutating func resolve(_ name: String, as kinds: ResourceKinds, what: String, inVPC vpc: Int?,
                          at location: SourceLocation) -> Bool {
        resolvedEntry(name, as: kinds, what: what, inVPC: vpc, at: location) != nil
    }

    /// ``resolve(_:as:what:inVPC:at:)`` returning the name's entry when it resolves (one lookup, not two).
    mutating func resolvedEntry(_ name: String, as kinds: ResourceKinds, what: String, inVPC vpc: Int?,
                                at location: SourceLocation) -> Entry? {
        guard let entry = names[name] else {
            let pool = candidates(kinds, owner: vpc)
            error("unknown \(what) '\(name)'", at: location, word: name, hint: didYouMean(name, pool.isEmpty ? candidates(kinds) : pool))
            return nil
        }
        guard kinds.contains(entry.kind) else {
            error("'\(name)' is a \(entry.kind.rawValue), not a \(what)", at: location, word: name,
                  hint: didYouMean(name, candidates(kinds, owner: vpc)))
            return nil
        }
        if let vpc, entry.owner != vpc {
            error("\(what) '\(name)' is in vpc '\(vpcName(entry.owner))', not in vpc '\(vpcName(vpc))'", at: location,
                  word: name, hint: didYouMean(name, candidates(kinds, owner: vpc)))
            return nil
        }
        return entry
    }

    // MARK: VPCs

    mutating func checkVPC(_ vpc: VPC, index: Int) {
        if vpc.cidrs.isEmpty {
            error("vpc '\(vpc.name)' has no IPv4 block", at: vpc.location, word: vpc.name, hint: "add 'cidr 10.0.0.0/16'")
        }
        let linkLocal = IPv4Prefix(network: IPv4Address(169, 254, 0, 0), length: 16)
        for (k, c) in vpc.cidrs.enumerated() {
            if c.length < 16 || c.length > 28 {
                error("VPC block \(c) is /\(c.length); AWS allows /16 to /28", at: vpc.location, word: c.description)
            }
            if let linkLocal, linkLocal.overlaps(c) {
                error("VPC block \(c) overlaps 169.254.0.0/16, which a VPC can never use", at: vpc.location, word: c.description)
            }
            for other in vpc.cidrs[..<k] where other.overlaps(c) {
                error("VPC block \(c) overlaps block \(other) of the same VPC", at: vpc.location, word: c.description)
            }
        }
        for c in vpc.ipv6Cidrs where c.length != 56 {
            error("VPC IPv6 block \(c) is /\(c.length); Amazon-provided IPv6 blocks are /56", at: vpc.location,
                  word: c.description)
        }
        if vpc.egressOnlyGateway != nil, vpc.ipv6Cidrs.isEmpty, let g = vpc.egressOnlyGateway {
            error("egress-only gateway '\(g.name)' in vpc '\(vpc.name)', which has no IPv6 block", at: g.location, word: g.name,
                  hint: "add 'ipv6 …/56' to the VPC")
        }
        checkSubnets(vpc, index: index)
        checkAddresses(vpc, index: index)
        checkRouteTables(vpc, index: index)
        checkSecurityGroups(vpc, index: index)
        checkNetworkACLs(vpc, index: index)
    }

    mutating func checkSubnets(_ vpc: VPC, index: Int) {
        for s in vpc.subnets {
            if s.cidr.length < 16 || s.cidr.length > 28 {
                error("subnet '\(s.name)' is /\(s.cidr.length); AWS allows /16 to /28", at: s.location, word: s.cidr.description)
            } else if !vpc.cidrs.isEmpty, !vpc.cidrs.contains(where: { $0.contains(s.cidr) }) {
                error("subnet '\(s.name)' \(s.cidr) is outside the blocks of vpc '\(vpc.name)' (\(vpc.cidrs.map(\.description).joined(separator: ", ")))",
                      at: s.location, word: s.cidr.description)
            }
            if let v6 = s.ipv6Cidr {
                if v6.length != 64 {
                    error("subnet '\(s.name)' IPv6 block \(v6) is /\(v6.length); IPv6 subnets are /64", at: s.location,
                          word: v6.description)
                } else if vpc.ipv6Cidrs.isEmpty {
                    error("subnet '\(s.name)' has an IPv6 block but vpc '\(vpc.name)' has none", at: s.location,
                          word: v6.description, hint: "add 'ipv6 …/56' to the VPC")
                } else if !vpc.ipv6Cidrs.contains(where: { $0.contains(v6) }) {
                    error("subnet '\(s.name)' \(v6) is outside the IPv6 blocks of vpc '\(vpc.name)'", at: s.location,
                          word: v6.description)
                }
            }
        }
        // Overlaps: sort by block, then compare each with the widest block seen so far.
        let v4 = vpc.subnets.indices.sorted { vpc.subnets[$0].cidr < vpc.subnets[$1].cidr }
        var widest: Int? = nil
        for i in v4 {
            let s = vpc.subnets[i]
            if let w = widest, vpc.subnets[w].cidr.overlaps(s.cidr) {
                let o = vpc.subnets[w]
                let (first, second) = o.location.line <= s.location.line ? (o, s) : (s, o)
                error("subnet '\(second.name)' \(second.cidr) overlaps subnet '\(first.name)' \(first.cidr)", at: second.location,
                      word: second.cidr.description)
            }
            if let w = widest, vpc.subnets[w].cidr.last >= s.cidr.last { continue }
            widest = i
        }
        var seen6: [(IPv6Prefix, Subnet)] = []
        for s in vpc.subnets {
            guard let p = s.ipv6Cidr else { continue }
            if let (_, o) = seen6.first(where: { $0.0.overlaps(p) }) {
                error("subnet '\(s.name)' IPv6 block \(p) overlaps subnet '\(o.name)'", at: s.location, word: p.description)
            }
            seen6.append((p, s))
        }
    }

    /// The subnet named `name` in `vpc`.
    func subnet(_ name: String, in vpc: VPC) -> Subnet? {
        guard let entry = names[name] else { return nil }
        return subnet(entry, in: vpc)
    }

    /// The subnet a name's `entry` denotes, when it is one of `vpc`'s.
    func subnet(_ entry: Entry, in vpc: VPC) -> Subnet? {
        subnetPosition(entry, in: vpc).map { vpc.subnets[$0] }
    }

    /// The position in `vpc.subnets` of the subnet a name's `entry` denotes, when it is one of `vpc`'s.
    func subnetPosition(_ entry: Entry, in vpc: VPC) -> Int? {
        guard entry.kind == .subnet, topology.vpcs[entry.owner].name == vpc.name,
              entry.position < vpc.subnets.count else { return nil }
        return entry.position
    }

    /// Why `address` cannot be an interface address in `subnet` (outside it, or one of AWS's reserved five).
    static func addressProblem(_ address: IPv4Address, in subnet: Subnet) -> String? {
        guard subnet.cidr.contains(address) else { return "is outside subnet '\(subnet.name)' \(subnet.cidr)" }
        let offset = address.bits &- subnet.cidr.network.bits
        if offset <= 3 || address == subnet.cidr.last {
            let role = offset == 0 ? "the network address" : offset == 1 ? "the VPC router" : offset == 2 ? "the Amazon DNS server"
                : offset == 3 ? "reserved by AWS for future use" : "the broadcast address"
            return "is reserved in subnet '\(subnet.name)' (\(role)); AWS reserves the first four addresses and the last"
        }
        return nil
    }

    static func addressProblem(_ address: IPv6Address, in subnet: Subnet) -> String? {
        guard let block = subnet.ipv6Cidr else { return "is IPv6 but subnet '\(subnet.name)' has no IPv6 block" }
        guard block.contains(address) else { return "is outside subnet '\(subnet.name)' \(block)" }
        let offset = address.bits &- block.network.bits
        if offset <= 3 || address == block.last {
            return "is reserved in subnet '\(subnet.name)'; AWS reserves ::, ::1, ::2, ::3 and the last address"
        }
        return nil
    }

    /// Kind sets `resolve` takes once per reference, built once (a literal builds its array on every call).
    static let subnetKind: ResourceKinds = [.subnet]
    static let securityGroupKind: ResourceKinds = [.securityGroup]
    static let prefixListKind: ResourceKinds = [.prefixList]

    mutating func checkAddresses(_ vpc: VPC, index: Int) {
        // Address → its first claimant, as an integer map: `(instance, interface)`, or `(NAT gateway, -1)`. The
        // owner's name is built only for an error (a `[UInt32: String]` hashed 100,000 addresses with SipHash
        // and kept a string per address).
        var used = AddressClaims(expected: vpc.instances.count + vpc.natGateways.count)
        var used6: [IPv6Address: String] = [:]
        func owner(_ claim: (Int32, Int32)) -> String {
            let (i, k) = claim
            if k < 0 { return vpc.natGateways[Int(i)].name }
            let instance = vpc.instances[Int(i)]
            return instance.interfaces.count == 1 ? instance.name : "\(instance.name).\(instance.interfaces[Int(k)].name)"
        }
        func claim(_ v: inout Validation, _ a: IPv4Address, _ claimant: (Int32, Int32), _ location: SourceLocation) {
            if let other = used.claim(a.bits, claimant) {
                v.error("address \(a) is already used by '\(owner(other))'", at: location, word: a.description,
                        hint: "private addresses are unique within a VPC")
            }
        }
        for (ni, n) in vpc.natGateways.enumerated() {
            guard resolve(n.subnet, as: Validation.subnetKind, what: "subnet", inVPC: index, at: n.location),
                  let s = subnet(n.subnet, in: vpc) else { continue }
            if let ip = n.privateIP {
                if let problem = Validation.addressProblem(ip, in: s) {
                    error("NAT gateway address \(ip) \(problem)", at: n.location, word: ip.description)
                } else { claim(&self, ip, (Int32(ni), -1), n.location) }
            }
        }
        func checkPrivate(_ v: inout Validation, _ ip: IPv4Address, in s: Subnet, claimant: (Int32, Int32), _ location: SourceLocation) {
            if let problem = Validation.addressProblem(ip, in: s) {
                v.error("address \(ip) \(problem)", at: location, word: ip.description,
                        hint: s.cidr.contains(ip) ? nil : "the first usable address is \(IPv4Address(bits: s.cidr.network.bits &+ 4))")
            } else { claim(&v, ip, claimant, location) }
        }
        // By index: instances and interfaces are read in place, not copied (100,000 of them in a big topology).
        for i in vpc.instances.indices {
            let interfaceCount = vpc.instances[i].interfaces.count
            // Only instances with several interfaces can repeat a name (most have one: no set to build).
            var interfaceNames = Set<String>()
            for k in 0..<interfaceCount {
                if interfaceCount > 1, !interfaceNames.insert(vpc.instances[i].interfaces[k].name).inserted {
                    let eni = vpc.instances[i].interfaces[k]
                    error("instance '\(vpc.instances[i].name)' has two interfaces named '\(eni.name)'", at: eni.location,
                          word: eni.name)
                }
                for g in vpc.instances[i].interfaces[k].securityGroups {
                    resolve(g, as: Validation.securityGroupKind, what: "security group", inVPC: index,
                            at: vpc.instances[i].interfaces[k].location)
                }
                guard let entry = resolvedEntry(vpc.instances[i].interfaces[k].subnet, as: Validation.subnetKind, what: "subnet",
                                                inVPC: index, at: vpc.instances[i].interfaces[k].location),
                      let p = subnetPosition(entry, in: vpc) else { continue }
                let claimant = (Int32(i), Int32(k))
                let location = vpc.instances[i].interfaces[k].location
                checkPrivate(&self, vpc.instances[i].interfaces[k].privateIP, in: vpc.subnets[p], claimant: claimant, location)
                for ip in vpc.instances[i].interfaces[k].secondaryIPs {
                    checkPrivate(&self, ip, in: vpc.subnets[p], claimant: claimant, location)
                }
                for ip in vpc.instances[i].interfaces[k].ipv6Addresses {
                    let s = vpc.subnets[p]
                    if let problem = Validation.addressProblem(ip, in: s) {
                        error("address \(ip) \(problem)", at: location, word: ip.description)
                    } else if let other = used6[ip] {
                        error("address \(ip) is already used by '\(other)'", at: location, word: ip.description)
                    } else { used6[ip] = owner(claimant) }
                }
            }
        }
    }

    // MARK: Route tables

    mutating func checkRouteTables(_ vpc: VPC, index: Int) {
        var mainTable: RouteTable? = nil
        var associated = NameMap<String>()
        for t in vpc.routeTables {
            if t.isMain {
                if let m = mainTable {
                    error("vpc '\(vpc.name)' already has main route table '\(m.name)'", at: t.location, word: "main",
                          hint: "a VPC has exactly one main table")
                } else { mainTable = t }
            }
            for s in t.associations {
                guard resolve(s, as: Validation.subnetKind, what: "subnet", inVPC: index, at: t.location) else { continue }
                if let other = associated[s] {
                    let message = other == t.name ? "subnet '\(s)' is listed twice in route table '\(other)'"
                        : "subnet '\(s)' is already associated with route table '\(other)'"
                    error(message, at: t.location, word: s,
                          hint: "a subnet has at most one route table")
                } else { associated.set(t.name, for: s) }
            }
            var destinations = SmallSet<RouteDestination>(expected: t.routes.count)
            for r in t.routes {
                if !destinations.insert(r.destination) {
                    error("route table '\(t.name)' already has a route to \(r.destination)", at: r.location,
                          word: r.destination.description)
                }
                checkDestination(r.destination, at: r.location)
                checkRouteTarget(r, vpc: vpc, index: index)
            }
        }
    }

    mutating func checkDestination(_ d: RouteDestination, at location: SourceLocation) {
        if case .prefixList(let pl) = d {
            resolve(pl, as: Validation.prefixListKind, what: "prefix list", inVPC: nil, at: location)
        }
    }

    /// Targets a route in VPC `index` may name (for suggestions).
    func routeTargets(vpc: VPC, index: Int) -> [String] {
        var out: [String] = []
        if let g = vpc.internetGateway { out.append(g.name) }
        if let g = vpc.egressOnlyGateway { out.append(g.name) }
        out += vpc.natGateways.map(\.name) + vpc.instances.map(\.name)
        out += topology.peerings.filter { $0.requester == vpc.name || $0.accepter == vpc.name }.map(\.name)
        out += topology.transitGateways.filter { $0.attachments.contains { $0.vpc == vpc.name } }.map(\.name)
        return out
    }

    mutating func checkRouteTarget(_ r: Route, vpc: VPC, index: Int) {
        guard case .named(let target) = r.target else { return }
        let isIPv6: Bool? = {
            if case .cidr(let p) = r.destination { return p.family == .ipv6 }
            return nil
        }()
        // `instance.interface`
        var lookup = target
        var interface: String? = nil
        if names[target] == nil, let dot = target.lastIndex(of: "."), names[String(target[..<dot])]?.kind == .instance {
            lookup = String(target[..<dot])
            interface = String(target[target.index(after: dot)...])
        }
        guard let entry = names[lookup] else {
            error("unknown route target '\(target)'", at: r.location, word: target,
                  hint: didYouMean(target, routeTargets(vpc: vpc, index: index) + ["local", "blackhole"]))
            return
        }
        switch entry.kind {
        case .internetGateway, .egressOnlyGateway, .natGateway, .instance:
            if entry.owner != index {
                error("route target '\(target)' is a \(entry.kind.rawValue) in vpc '\(vpcName(entry.owner))', not in vpc '\(vpc.name)'",
                      at: r.location, word: target, hint: didYouMean(target, routeTargets(vpc: vpc, index: index)))
                return
            }
            if entry.kind == .egressOnlyGateway, isIPv6 == false {
                error("egress-only gateway '\(target)' routes only IPv6 destinations", at: r.location, word: target)
            }
            if entry.kind == .natGateway, isIPv6 == true,
               case .cidr(let p) = r.destination, p != (try? IPPrefix("64:ff9b::/96")) {
                error("NAT gateway '\(target)' takes IPv6 only as NAT64 (64:ff9b::/96)", at: r.location, word: target)
            }
            if entry.kind == .instance, let interface,
               let inst = vpc.instances.first(where: { $0.name == lookup }),
               !inst.interfaces.contains(where: { $0.name == interface }) {
                error("instance '\(lookup)' has no interface '\(interface)'", at: r.location, word: target,
                      hint: didYouMean(interface, inst.interfaces.map(\.name)))
            }
        case .peering:
            // The entry holds the first peering of that name (the one a search by name finds).
            if entry.position < topology.peerings.count, case let p = topology.peerings[entry.position],
               p.requester != vpc.name, p.accepter != vpc.name {
                error("peering '\(target)' joins '\(p.requester)' and '\(p.accepter)', not vpc '\(vpc.name)'", at: r.location,
                      word: target)
            }
        case .transitGateway:
            if entry.owner < attachedVPCNames.count, attachedVPCNames[entry.owner][vpc.name] == nil {
                error("transit gateway '\(target)' has no attachment in vpc '\(vpc.name)'", at: r.location, word: target,
                      hint: "add 'attachment NAME vpc \(vpc.name) subnets …' to the transit gateway")
            }
        default:
            error("route target '\(target)' is a \(entry.kind.rawValue)", at: r.location, word: target,
                  hint: "a route targets a gateway, NAT gateway, peering, transit gateway, instance, 'local' or 'blackhole'")
        }
    }

    // MARK: Security groups and NACLs

    mutating func checkSecurityGroups(_ vpc: VPC, index: Int) {
        for g in vpc.securityGroups {
            for rule in g.ingress + (g.egress ?? []) {
                switch rule.peer {
                case .cidr: break
                case .prefixList(let pl):
                    resolve(pl, as: Validation.prefixListKind, what: "prefix list", inVPC: nil, at: rule.location)
                case .securityGroup(let name):
                    guard resolve(name, as: Validation.securityGroupKind, what: "security group", inVPC: nil, at: rule.location),
                          let entry = names[name], entry.owner != index else { continue }
                    let other = topology.vpcs[entry.owner]
                    let peered = topology.peerings.contains {
                        ($0.requester == vpc.name && $0.accepter == other.name) || ($0.accepter == vpc.name && $0.requester == other.name)
                    }
                    let viaTGW = topology.transitGateways.contains { t in
                        t.securityGroupReferencing && t.attachments.contains { $0.vpc == vpc.name }
                            && t.attachments.contains { $0.vpc == other.name }
                    }
                    if !peered && !viaTGW {
                        error("security group '\(name)' is in vpc '\(other.name)', which is neither vpc '\(vpc.name)' nor peered with it",
                              at: rule.location, word: name,
                              hint: "a rule may reference groups of its own VPC, a peered VPC, or a VPC on a transit gateway with 'sg-referencing'")
                    } else if peered, vpc.region != other.region {
                        error("security group '\(name)' is in another region ('\(other.region ?? "?")')", at: rule.location, word: name,
                              hint: "peered security-group references work only within one region")
                    }
                }
            }
        }
    }

    mutating func checkNetworkACLs(_ vpc: VPC, index: Int) {
        var associated = NameMap<String>()
        for a in vpc.networkACLs {
            for s in a.associations {
                guard resolve(s, as: Validation.subnetKind, what: "subnet", inVPC: index, at: a.location) else { continue }
                if let other = associated[s] {
                    let message = other == a.name ? "subnet '\(s)' is listed twice in network ACL '\(other)'"
                        : "subnet '\(s)' is already associated with network ACL '\(other)'"
                    error(message, at: a.location, word: s,
                          hint: "a subnet has exactly one network ACL")
                } else { associated.set(a.name, for: s) }
            }
            checkRuleNumbers(a.inbound, direction: "inbound")
            checkRuleNumbers(a.outbound, direction: "outbound")
        }
    }

    /// Rule numbers of one direction of a NACL: in range and unique.
    mutating func checkRuleNumbers(_ rules: [NetworkACLRule], direction: String) {
        // Rule lists are short: earlier numbers found by a linear search unless the list is long.
        var earlier: [(number: Int, line: Int)] = []
        var earlierByNumber: [Int: Int] = [:]
        let linear = rules.count <= 32
        if linear { earlier.reserveCapacity(rules.count) }
        for r in rules {
            if r.number < 1 || r.number > 32766 {
                error("\(direction) rule number \(r.number) is outside 1...32766", at: r.location, word: String(r.number))
            } else if let line = linear ? earlier.first(where: { $0.number == r.number })?.line : earlierByNumber[r.number] {
                error("\(direction) rule \(r.number) is already used\(line > 0 ? " at line \(line)" : "")", at: r.location,
                      word: String(r.number), hint: "rule numbers are unique per direction")
            } else if linear {
                earlier.append((r.number, r.location.line))
            } else {
                earlierByNumber[r.number] = r.location.line
            }
        }
    }

    // MARK: Prefix lists, peerings, transit gateways

    mutating func checkPrefixLists() {
        for list in topology.prefixLists {
            if let first = list.entries.first, let mixed = list.entries.first(where: { $0.family != first.family }) {
                error("prefix list '\(list.name)' mixes IPv4 and IPv6 entries", at: list.location, word: mixed.description,
                      hint: "a managed prefix list holds one address family")
            }
        }
    }

    mutating func checkPeerings() {
        var pairs: [String: String] = [:]
        for p in topology.peerings {
            let a = resolve(p.requester, as: [.vpc], what: "VPC", inVPC: nil, at: p.location)
            let b = resolve(p.accepter, as: [.vpc], what: "VPC", inVPC: nil, at: p.location)
            guard a, b, let va = names[p.requester].map({ topology.vpcs[$0.owner] }),
                  let vb = names[p.accepter].map({ topology.vpcs[$0.owner] }) else { continue }
            if p.requester == p.accepter {
                error("peering '\(p.name)' joins vpc '\(p.requester)' with itself", at: p.location, word: p.accepter)
                continue
            }
            let key = min(p.requester, p.accepter) + "\u{0}" + max(p.requester, p.accepter)
            if let other = pairs[key] {
                error("vpcs '\(p.requester)' and '\(p.accepter)' are already peered by '\(other)'", at: p.location, word: p.name,
                      hint: "AWS allows one peering connection per pair of VPCs")
            } else { pairs[key] = p.name }
            for x in va.cidrs {
                for y in vb.cidrs where x.overlaps(y) {
                    error("peered VPCs overlap: '\(va.name)' \(x) and '\(vb.name)' \(y)", at: p.location, word: p.name,
                          hint: "VPC peering needs disjoint IPv4 blocks")
                }
            }
            for x in va.ipv6Cidrs {
                for y in vb.ipv6Cidrs where x.overlaps(y) {
                    error("peered VPCs overlap: '\(va.name)' \(x) and '\(vb.name)' \(y)", at: p.location, word: p.name)
                }
            }
        }
    }

    mutating func checkTransitGateway(_ tgw: TransitGateway, index: Int) {
        for a in tgw.attachments {
            guard resolve(a.vpc, as: [.vpc], what: "VPC", inVPC: nil, at: a.location), let entry = names[a.vpc] else { continue }
            let vpc = topology.vpcs[entry.owner]
            if a.subnets.isEmpty {
                error("attachment '\(a.name)' names no subnets", at: a.location, word: a.name,
                      hint: "write 'subnets SUBNET…' (one subnet per availability zone)")
            }
            var byZone: [String: String] = [:]
            for s in a.subnets {
                guard resolve(s, as: [.subnet], what: "subnet", inVPC: entry.owner, at: a.location),
                      let subnet = subnet(s, in: vpc) else { continue }
                let zone = subnet.availabilityZone ?? ""
                if let other = byZone[zone] {
                    error("attachment '\(a.name)' already has subnet '\(other)' in \(zone.isEmpty ? "the same availability zone" : "availability zone \(zone)")",
                          at: a.location, word: s, hint: "a transit gateway attachment has at most one subnet per availability zone")
                } else { byZone[zone] = s }
            }
        }
        var associations: [String: String] = [:]
        let own = tgw.attachments.map(\.name)
        for t in tgw.routeTables {
            for a in t.associations + t.propagations {
                guard resolveAttachment(a, tgw: tgw, index: index, at: t.location, own: own) else { continue }
            }
            for a in t.associations {
                if let other = associations[a] {
                    let message = other == t.name ? "attachment '\(a)' is listed twice in route table '\(other)'"
                        : "attachment '\(a)' is already associated with route table '\(other)'"
                    error(message, at: t.location, word: a,
                          hint: "an attachment is associated with at most one transit gateway route table")
                } else { associations[a] = t.name }
            }
            var destinations = Set<RouteDestination>()
            for r in t.routes {
                if !destinations.insert(r.destination).inserted {
                    error("route table '\(t.name)' already has a route to \(r.destination)", at: r.location, word: r.destination.description)
                }
                checkDestination(r.destination, at: r.location)
                if case .attachment(let a) = r.target { _ = resolveAttachment(a, tgw: tgw, index: index, at: r.location, own: own) }
            }
        }
    }

    mutating func resolveAttachment(_ a: String, tgw: TransitGateway, index: Int, at location: SourceLocation, own: [String]) -> Bool {
        guard let entry = names[a] else {
            error("unknown attachment '\(a)'", at: location, word: a, hint: didYouMean(a, own))
            return false
        }
        guard entry.kind == .tgwAttachment else {
            error("'\(a)' is a \(entry.kind.rawValue), not a transit gateway attachment", at: location, word: a, hint: didYouMean(a, own))
            return false
        }
        guard entry.owner == index else {
            error("attachment '\(a)' belongs to transit gateway '\(topology.transitGateways[entry.owner].name)'", at: location, word: a)
            return false
        }
        return true
    }

    // MARK: Assertions

    mutating func checkAssertions() {
        for assertion in topology.assertions {
            for endpoint in [assertion.source, assertion.destination] {
                guard case .named(let n) = endpoint else { continue }
                if let entry = names[n] {
                    if entry.kind != .instance && entry.kind != .subnet {
                        error("'\(n)' is a \(entry.kind.rawValue); an endpoint is an instance, 'instance.interface', a subnet, an address or 'internet'",
                              at: assertion.location, word: n)
                    }
                    continue
                }
                if let dot = n.lastIndex(of: "."), let entry = names[String(n[..<dot])], entry.kind == .instance {
                    let iname = String(n[n.index(after: dot)...])
                    let inst = topology.vpcs[entry.owner].instances.first { $0.name == String(n[..<dot]) }
                    if let inst, !inst.interfaces.contains(where: { $0.name == iname }) {
                        error("instance '\(inst.name)' has no interface '\(iname)'", at: assertion.location, word: n,
                              hint: didYouMean(iname, inst.interfaces.map(\.name)))
                    }
                    continue
                }
                error("unknown endpoint '\(n)'", at: assertion.location, word: n,
                      hint: didYouMean(n, candidates([.instance, .subnet]) + ["internet"]))
            }
        }
    }
}

/// A set for the few elements of one route table or rule list: a linear search up to 16 elements (cheaper than
/// hashing each), a `Set` beyond.
struct SmallSet<Element: Hashable> {
    private var few: [Element] = []
    private var many: Set<Element> = []
    private let linear: Bool

    init(expected: Int) {
        linear = expected <= 16
        if linear { few.reserveCapacity(expected) }
    }

    /// Adds `element`; false when it was already there.
    mutating func insert(_ element: Element) -> Bool {
        guard linear else { return many.insert(element).inserted }
        if few.contains(element) { return false }
        few.append(element)
        return true
    }
}

/// The private IPv4 addresses claimed in one VPC: address → first claimant (an instance and interface position, or
/// a NAT gateway's position and -1). Open addressing with linear probing over a power-of-two table at most half
/// full: no `Hasher`, no string per address.
struct AddressClaims {
    private var keys: [UInt32]
    private var claimants: [(Int32, Int32)]
    /// Per slot: true when taken (every address value is a valid key).
    private var taken: [Bool]
    private var count = 0

    /// An empty map sized for `expected` addresses.
    init(expected: Int) {
        var capacity = 16
        while capacity < 2 * expected { capacity <<= 1 }
        keys = [UInt32](repeating: 0, count: capacity)
        claimants = [(Int32, Int32)](repeating: (0, 0), count: capacity)
        taken = [Bool](repeating: false, count: capacity)
    }

    /// Claims `address` for `claimant`; returns the earlier claimant when the address was already taken (the map
    /// keeps the first).
    mutating func claim(_ address: UInt32, _ claimant: (Int32, Int32)) -> (Int32, Int32)? {
        if 2 * (count + 1) > keys.count { grow() }
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: (UInt64(address) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while taken[i] {
            if keys[i] == address { return claimants[i] }
            i = (i + 1) & mask
        }
        keys[i] = address
        claimants[i] = claimant
        taken[i] = true
        count += 1
        return nil
    }

    private mutating func grow() {
        var bigger = AddressClaims(expected: keys.count)
        for i in keys.indices where taken[i] { _ = bigger.claim(keys[i], claimants[i]) }
        self = bigger
    }
}
