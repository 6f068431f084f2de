import IPAddressing
import NetworkModel
import Synchronization

// `internet` as a set of addresses (issue 14 part 4). A query from or to `internet` asks about every public
// address at once and is answered exactly: the queried set is cut into classes of addresses that every route,
// rule and block of the topology treats alike, one address per class is walked, and the answer is the union of
// the classes that get through (Docs/SEMANTICS.md, "The internet is a set of addresses").

/// A set of internet addresses a query asks about: `internet` (every public address outside the topology) or
/// `internet:CIDR` (those of one block).
public struct InternetAddresses: Hashable, Sendable, CustomStringConvertible {
    public var v4: IPv4PrefixSet
    public var v6: IPv6PrefixSet
    /// How the set was written (`internet`, `internet:198.51.100.0/24`).
    public var text: String
    public init(v4: IPv4PrefixSet, v6: IPv6PrefixSet, text: String) {
        self.v4 = v4
        self.v6 = v6
        self.text = text
    }
    public var description: String { text }
}

/// One end of a query as the CLI and `assert` lines give it: a resolved endpoint, or a set of internet
/// addresses.
public enum QueryEndpoint: Hashable, Sendable, CustomStringConvertible {
    case endpoint(ResolvedEndpoint)
    case internet(InternetAddresses)
    /// A bare private IPv4 address that an interface with a public address holds, as a destination: from
    /// inside AWS it is that interface; the internet cannot address it (the IGW translates only the public one).
    case privateAddress(ResolvedEndpoint)
    public var description: String {
        switch self {
        case .endpoint(let e), .privateAddress(let e): e.description
        case .internet(let s): s.text
        }
    }
    /// True for an internet address or set of them.
    var isInternet: Bool {
        switch self {
        case .internet, .endpoint(.internet): true
        default: false
        }
    }
}

/// Which internet addresses a query over a set of them (``QueryEndpoint/internet(_:)``) got through for.
public struct InternetAnswer: Hashable, Sendable {
    /// Which end of the query the internet was.
    public enum Side: String, Hashable, Sendable { case source, destination }
    public var side: Side
    public var family: IPFamily
    /// The queried addresses for which the connection works, as the fewest CIDR blocks (empty: none).
    public var addresses: [IPPrefix]
    /// True when every queried address works.
    public var coversQueriedSet: Bool
    /// The queried addresses for which it does not work, as the fewest CIDR blocks (empty: none).
    public var unreachableAddresses: [IPPrefix] = []
    /// The address the verdict's paths use: one of ``addresses`` when some work, else one of the queried set
    /// (nil when the set holds no address of the query's family).
    public var example: IPAddress?
    /// The number of address classes walked (addresses every route, rule and block treats alike).
    public var classesWalked: Int
    public init(side: Side, family: IPFamily, addresses: [IPPrefix], coversQueriedSet: Bool, example: IPAddress?,
                classesWalked: Int) {
        self.side = side
        self.family = family
        self.addresses = addresses
        self.coversQueriedSet = coversQueriedSet
        self.example = example
        self.classesWalked = classesWalked
    }

    /// `from 198.51.100.0/24 (e.g. 198.51.100.1)`, `to any public address (e.g. 203.0.113.7)`; at most `limit`
    /// blocks are listed.
    public func phrase(limit: Int = 8) -> String {
        let word = side == .source ? "from" : "to"
        let e = example.map { " (e.g. \($0))" } ?? ""
        if addresses.isEmpty { return "\(word) no public address" }
        if coversQueriedSet { return "\(word) every queried public address\(e)" }
        if addresses.count > limit && !unreachableAddresses.isEmpty && unreachableAddresses.count <= limit {
            return "\(word) every queried public address except \(unreachableAddresses.map(\.description).joined(separator: ", "))\(e)"
        }
        var list = addresses.prefix(limit).map(\.description).joined(separator: ", ")
        if addresses.count > limit { list += " and \(addresses.count - limit) more blocks" }
        return "\(word) \(list)\(e)"
    }
}

/// A piece of the address line (v4 addresses are held in the low 32 bits).
struct AddressSpan: Hashable, Sendable {
    var lower: UInt128
    var upper: UInt128
}

/// The prefixes a query's walk can consult, as the atomic intervals of the address line (no prefix starts or
/// ends inside one) and, per interval, a class number: two intervals get the same number exactly when the same
/// prefixes contain them (so 0.0.0.0/8 … 9.255.255.255 and 11.0.0.0 … are one class when only 10.0.0.0/16 lies
/// between them).
struct Boundaries: Sendable {
    /// Sorted, unique start points of the atomic intervals after the first (which starts at 0).
    var points: [UInt128] = []
    /// Per atomic interval (`points.count + 1`): its class number.
    var classOf: [Int32] = [0]

    init(_ prefixes: [AddressSpan]) {
        // Each distinct prefix once: +id where it starts, -id after it ends.
        let unique = Array(Set(prefixes)).sorted { ($0.lower, $0.upper) < ($1.lower, $1.upper) }
        var events: [(at: UInt128, id: Int32, starts: Bool)] = []
        events.reserveCapacity(unique.count * 2)
        for (i, p) in unique.enumerated() {
            events.append((p.lower, Int32(i), true))
            if p.upper != UInt128.max { events.append((p.upper + 1, Int32(i), false)) }
        }
        events.sort { $0.at < $1.at }
        var active = Set<Int32>()
        var classOfSignature: [[Int32]: Int32] = [[]: 0]
        var e = 0
        // Events at 0 belong to the first interval.
        while e < events.count && events[e].at == 0 {
            if events[e].starts { active.insert(events[e].id) } else { active.remove(events[e].id) }
            e += 1
        }
        func number(_ active: Set<Int32>) -> Int32 {
            let signature = active.sorted()
            if let n = classOfSignature[signature] { return n }
            let n = Int32(classOfSignature.count)
            classOfSignature[signature] = n
            return n
        }
        classOf = [number(active)]
        while e < events.count {
            let at = events[e].at
            while e < events.count && events[e].at == at {
                if events[e].starts { active.insert(events[e].id) } else { active.remove(events[e].id) }
                e += 1
            }
            points.append(at)
            classOf.append(number(active))
        }
    }
}

/// A class of a queried internet set: atomic intervals with the same prefixes holding them (``Boundaries``) —
/// its addresses are those of the set inside them — and the address walked for it.
struct InternetClass: Sendable {
    /// The atomic intervals, sorted and merged when adjacent (they may hold addresses outside the set).
    var spans: [AddressSpan]
    var representative: UInt128
}

/// Per compiled topology: the internet address space and the cut points of its rules and routes, built on
/// first use under a lock (shared by copies of the topology value).
final class InternetSpaceCache: Sendable {
    struct Space: Sendable {
        /// Public addresses outside every VPC block.
        var v4: IPv4PrefixSet
        var v6: IPv6PrefixSet
        /// The known public IPv4 addresses interfaces hold, and `v4` without them (where walks start or end).
        var held4: IPv4PrefixSet
        var walkable4: IPv4PrefixSet
        /// ``CompiledTopology/representativeInternetAddress``, once.
        var representative4: IPv4Address
    }
    private let space = Mutex<Space?>(nil)
    /// Sorted, unique start points of the atomic intervals of every prefix of the topology (index 0: v4);
    /// built only when a walk leaves its VPC.
    private let globalCuts = Mutex<[Boundaries]?>(nil)

    func globalCuts(_ build: () -> [Boundaries]) -> [Boundaries] { Self.once(globalCuts, build) }
    /// Per VPC: the cut points of its own blocks, routes and rules (and the prefix lists they name).
    private let vpcCuts = Mutex<[Int32: [Boundaries]]>([:])

    func space(_ build: () -> Space) -> Space { Self.once(space, build) }

    /// The value `slot` holds, built (under its lock) the first time it is asked for.
    private static func once<T: Sendable>(_ slot: borrowing Mutex<T?>, _ build: () -> T) -> T {
        slot.withLock { value in
            if let value { return value }
            let built = build()
            value = built
            return built
        }
    }

    /// The classes of the whole `internet` set, per (scope VPC or -1 for every prefix, family).
    private let wholeSetClasses = Mutex<[Int64: [InternetClass]]>([:])

    func classes(scope: Int32, family: IPFamily, _ build: () -> [InternetClass]) -> [InternetClass] {
        let key = Int64(scope) << 1 | (family == .ipv4 ? 0 : 1)
        if let c = wholeSetClasses.withLock({ $0[key] }) { return c }
        let built = build()
        wholeSetClasses.withLock { $0[key] = built }
        return built
    }

    func cuts(vpc: Int32, _ build: () -> [Boundaries]) -> [Boundaries] {
        vpcCuts.withLock { m in
            if let c = m[vpc] { return c }
            let built = build()
            m[vpc] = built
            return built
        }
    }
}

extension CompiledTopology {
    // MARK: The address space

    var internetSpace: InternetSpaceCache.Space {
        internetSpaceCache.space {
            var v4 = PublicAddressSpace.ipv4
            var v6 = PublicAddressSpace.ipv6
            var vpcs4: [IPv4Prefix] = [], vpcs6: [IPv6Prefix] = []
            for v in topology.vpcs { vpcs4 += v.cidrs; vpcs6 += v.ipv6Cidrs }
            v4.subtract(IPv4PrefixSet(vpcs4))
            v6.subtract(IPv6PrefixSet(vpcs6))
            // A public address an interface holds is that interface, not the internet.
            // A public address an interface holds is that interface, not the internet: never walked. The sets
            // keep it (taking thousands of scattered /32s out would fragment every address list).
            let held = interfaces.compactMap { $0.publicIPKnown ? $0.publicIP : nil }
            let held4 = IPv4PrefixSet(ranges: held.compactMap { IPv4Range(lower: $0, upper: $0) })
            return .init(v4: v4, v6: v6, held4: held4, walkable4: v4.subtracting(held4),
                         representative4: representativeInternetAddress)
        }
    }

    /// The cut points of every prefix of the topology: every VPC's, the prefix lists' and the TGW routes'.
    var globalCuts: [Boundaries] {
        internetSpaceCache.globalCuts {
            var cuts4: [AddressSpan] = [], cuts6: [AddressSpan] = []
            for vi in topology.vpcs.indices {
                let c = vpcCutPoints(Int32(vi))
                cuts4 += c[0]
                cuts6 += c[1]
            }
            for list in topology.prefixLists { Self.addCuts(list.entries, &cuts4, &cuts6) }
            for tgw in topology.transitGateways {
                for table in tgw.routeTables {
                    for r in table.routes { Self.addCuts(prefixes(of: r.destination), &cuts4, &cuts6) }
                }
            }
            return [Boundaries(cuts4), Boundaries(cuts6)]
        }
    }

    /// Every public address outside the topology's VPC blocks: the set `internet` stands for. It keeps the public
    /// IPs the topology's interfaces hold (they would fragment every address list), but no walk starts or ends
    /// at one: such an address is that interface, not the internet.
    public var internetAddresses: InternetAddresses {
        let s = internetSpace
        return InternetAddresses(v4: s.v4, v6: s.v6, text: "internet")
    }

    /// The internet addresses of `block` (`internet:CIDR`): an error when the block holds a non-public address
    /// or overlaps a VPC block, or when every address of it is a public address an interface holds.
    public func internetAddresses(in block: IPPrefix) -> Result<InternetAddresses, EndpointError> {
        let text = "internet:\(block)"
        guard PublicAddressSpace.contains(block) else {
            return .failure(EndpointError(text: text, message: "'\(text)' is not a public block: it holds private, shared, reserved or multicast addresses"))
        }
        for v in vpcs {
            let hit: String? = switch block {
            case .v4(let p): v.cidrs.first { $0.overlaps(p) }?.description
            case .v6(let p): v.ipv6Cidrs.first { $0.overlaps(p) }?.description
            }
            if let hit {
                return .failure(EndpointError(text: text, message: "'\(text)' overlaps block \(hit) of vpc '\(v.name)': not an internet address"))
            }
        }
        let s = internetSpace
        var set = InternetAddresses(v4: IPv4PrefixSet(), v6: IPv6PrefixSet(), text: text)
        switch block {
        case .v4(let p): set.v4 = s.v4.intersection(IPv4PrefixSet([p]))
        case .v6(let p): set.v6 = s.v6.intersection(IPv6PrefixSet([p]))
        }
        if set.v4.subtracting(s.held4).isEmpty && set.v6.isEmpty {
            return .failure(EndpointError(text: text, message: "'\(text)' holds no internet address: every address of it is a public IP of the topology"))
        }
        return .success(set)
    }

    // MARK: Resolving query ends

    /// Resolves endpoint text for one end of a query: as ``resolve(_:)-(String)``, except that `internet` is
    /// the set of every public address outside the topology, `internet:CIDR` the public addresses of a block,
    /// and `internet:IP` as a source is always an internet host (also when an interface holds that public IP).
    public func resolveQuery(_ text: String, side: InternetAnswer.Side) -> Result<QueryEndpoint, EndpointError> {
        if text == "internet" { return resolveQuery(.internet(nil), side: side) }
        if text.hasPrefix("internet:") {
            let rest = text.dropFirst("internet:".count)
            if rest.contains("/") {
                guard let p = try? IPPrefix(parsing: rest) else {
                    return .failure(EndpointError(text: text, message: "'\(text)': not a CIDR block after 'internet:'"))
                }
                return resolveQuery(.internetBlock(p), side: side)
            }
            guard let a = try? IPAddress(parsing: rest) else {
                return .failure(EndpointError(text: text, message: "'\(text)': not an address after 'internet:'"))
            }
            return resolveQuery(.internet(a), side: side)
        }
        if side == .destination, let a = try? IPAddress(text) { return resolveQuery(.address(a), side: side) }
        return resolve(text).map { .endpoint($0) }
    }

    /// Resolves a model endpoint for one end of a query (see ``resolveQuery(_:side:)-(String,_)``).
    public func resolveQuery(_ endpoint: Endpoint, side: InternetAnswer.Side) -> Result<QueryEndpoint, EndpointError> {
        switch endpoint {
        case .internet(nil): return .success(.internet(internetAddresses))
        case .internetBlock(let p): return internetAddresses(in: p).map { .internet($0) }
        case .internet(let a?) where side == .source: return .success(.endpoint(.internet(a)))
        case .address(let a) where side == .destination:
            return resolve(endpoint).map { e in
                if case .interface(let i, _) = e, case .v4(let x) = a, interfaces[Int(i.index)].publicIP != nil,
                   interfaces[Int(i.index)].owns(a), x != interfaces[Int(i.index)].publicIP {
                    return .privateAddress(e)
                }
                return .endpoint(e)
            }
        default: return resolve(endpoint).map { .endpoint($0) }
        }
    }

    // MARK: Queries over a set of internet addresses

    /// Answers "can `source` reach `destination` with `traffic`?" where either end may be a set of internet
    /// addresses: reachable when some address of the set gets through; the verdict's ``Verdict/internet``
    /// then says which addresses do, and its paths are those of ``InternetAnswer/example``. Both ends the
    /// internet is an error.
    public func reach(from source: QueryEndpoint, to destination: QueryEndpoint, traffic: TrafficSpec,
                      sourcePort: UInt16? = nil, sourcePorts: PortSet = .ephemeral,
                      oneWay: Bool = false) -> Result<Verdict, EndpointError> {
        if case .privateAddress(let e) = destination {
            if source.isInternet, case .interface(let i, let a) = e {
                return .success(privateAddressFromTheInternet(i, a, requested: sourcePort.map { PortSet(port: $0) } ?? sourcePorts))
            }
            return reach(from: source, to: .endpoint(e), traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay)
        }
        if case .privateAddress(let e) = source {
            return reach(from: .endpoint(e), to: destination, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay)
        }
        switch (source, destination) {
        case (.privateAddress(let e), _), (_, .privateAddress(let e)):
            // Handled above; kept for exhaustiveness.
            return .failure(EndpointError(text: e.description, message: "'\(e)': a private address on both ends of an internet query"))
        case (.endpoint(.internet), .endpoint(.internet)):
            return .failure(Self.bothInternet)
        case (.endpoint(let s), .endpoint(let d)):
            return .success(reach(from: s, to: d, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay))
        case (.internet, .internet):
            return .failure(Self.bothInternet)
        case (.internet(let set), .endpoint(let other)), (.endpoint(let other), .internet(let set)):
            if case .internet = other { return .failure(Self.bothInternet) }
            let side: InternetAnswer.Side = if case .internet = source { .source } else { .destination }
            let results = walkInternet(set, side: side, other: other, traffic: traffic) { peer in
                let v = side == .source
                    ? reach(from: peer, to: other, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay)
                    : reach(from: other, to: peer, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay)
                return (v.state != .unreachable, v)
            }
            return .success(summarize(results, set: set, side: side, family: family(set, other: other, traffic: traffic),
                                      requested: sourcePort.map { PortSet(port: $0) } ?? sourcePorts))
        }
    }

    /// Answers an `assert` line's query (model endpoints): as ``reach(from:to:traffic:sourcePort:sourcePorts:oneWay:)-(QueryEndpoint,QueryEndpoint,_,_,_,_)``.
    public func reachQuery(from source: Endpoint, to destination: Endpoint, traffic: TrafficSpec,
                           sourcePort: UInt16? = nil, sourcePorts: PortSet = .ephemeral, oneWay: Bool = false) -> Result<Verdict, EndpointError> {
        if source.isInternet && destination.isInternet { return .failure(Self.bothInternet) }
        let s: QueryEndpoint, d: QueryEndpoint
        switch resolveQuery(source, side: .source) { case .success(let x): s = x; case .failure(let e): return .failure(e) }
        switch resolveQuery(destination, side: .destination) { case .success(let x): d = x; case .failure(let e): return .failure(e) }
        return reach(from: s, to: d, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay)
    }

    /// From the internet to a bare private address: the internet gateway translates only public addresses, so
    /// nothing on the internet can address it (Docs/AWS-BEHAVIOUR.md §3; name the instance to ask about its public address).
    func privateAddressFromTheInternet(_ i: InterfaceID, _ a: IPAddress, requested: PortSet) -> Verdict {
        let vpc = interfaces[Int(i.index)].vpc
        let component = vpcs[Int(vpc)].internetGateway != nil ? gatewayComponent(vpc, egressOnly: false)
            : ComponentRef(kind: .internet, name: "internet")
        let code: ExplanationCode = vpcs[Int(vpc)].internetGateway != nil ? .igwPrivateIPAssociationForIngress : .noRouteToDestination
        return .unreachable(Explanation(code: code, direction: .forward, component: component,
                                        detail: .privateAddressFromInternet(address: TranslatedAddress(address: a), interface: interfaces[Int(i.index)].name)),
                            forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
    }

    static var bothInternet: EndpointError {
        EndpointError(text: "internet", message: "both ends are the internet: name an instance, interface, subnet or address at one end")
    }

    /// One protocol's answer of the open-ports mode over a set of internet addresses.
    public struct OpenPortsAnswer: Sendable {
        /// `tcp`, `udp`, `icmp` or `icmpv6`.
        public var traffic: String
        /// The verdict for the example address (its paths and explanation), with ``Verdict/internet`` set.
        public var verdict: Verdict
        /// The destination ports some queried address gets through on (ICMP: all or empty).
        public var ports: PortSet
        /// The same ports grouped by the addresses that get through on them (an empty list when none).
        public var byAddresses: [(ports: PortSet, addresses: [IPPrefix])]
        /// Per entry of ``byAddresses``: the queried addresses that do not get those ports.
        public var byAddressesUnreachable: [[IPPrefix]] = []

        /// `ports 22 from 198.51.100.0/24` for each entry of ``byAddresses`` (`from every queried public address`
        /// when one entry holds them all).
        public var addressLines: [String] {
            guard let internet = verdict.internet else { return [] }
            return byAddresses.indices.map { i in
                var a = internet
                a.addresses = byAddresses[i].addresses
                a.unreachableAddresses = i < byAddressesUnreachable.count ? byAddressesUnreachable[i] : []
                a.coversQueriedSet = a.unreachableAddresses.isEmpty
                if byAddresses.count > 1 { a.example = nil }
                return (traffic.hasPrefix("icmp") ? "" : "ports \(byAddresses[i].ports) ") + a.phrase()
            }
        }
    }

    /// The open-ports mode (``openPorts(from:to:sourcePorts:)``) where either end may be a set of internet
    /// addresses: per protocol, the union over the set's addresses, and which addresses get which ports.
    /// Over a set only: `protocols` are the protocols to answer, of `tcp`, `udp` and ICMP (default all three);
    /// without `withAddresses` the answers' address lists stay empty (the ports are the same).
    public func openPorts(from source: QueryEndpoint, to destination: QueryEndpoint, sourcePorts: PortSet = .ephemeral,
                          protocols only: Set<String>? = nil, withAddresses: Bool = true) -> Result<[OpenPortsAnswer], EndpointError> {
        if case .privateAddress(let e) = destination {
            if source.isInternet, case .interface(let i, let a) = e {
                let v = privateAddressFromTheInternet(i, a, requested: sourcePorts)
                let v6 = a.family == .ipv6
                return .success(["tcp", "udp", v6 ? "icmpv6" : "icmp"].filter { only?.contains($0) ?? true }.map {
                    OpenPortsAnswer(traffic: $0, verdict: v, ports: .empty, byAddresses: [])
                })
            }
            return openPorts(from: source, to: .endpoint(e), sourcePorts: sourcePorts, protocols: only, withAddresses: withAddresses)
        }
        if case .privateAddress(let e) = source {
            return openPorts(from: .endpoint(e), to: destination, sourcePorts: sourcePorts, protocols: only, withAddresses: withAddresses)
        }
        switch (source, destination) {
        case (.privateAddress(let e), _), (_, .privateAddress(let e)):
            // Handled above; kept for exhaustiveness.
            return .failure(EndpointError(text: e.description, message: "'\(e)': a private address on both ends of an internet query"))
        case (.endpoint(.internet), .endpoint(.internet)):
            return .failure(Self.bothInternet)
        case (.endpoint(let s), .endpoint(let d)):
            return .success(openPorts(from: s, to: d, sourcePorts: sourcePorts).map {
                OpenPortsAnswer(traffic: $0.traffic, verdict: $0.verdict, ports: $0.ports, byAddresses: [])
            })
        case (.internet, .internet):
            return .failure(Self.bothInternet)
        case (.internet(let set), .endpoint(let other)), (.endpoint(let other), .internet(let set)):
            if case .internet = other { return .failure(Self.bothInternet) }
            let side: InternetAnswer.Side = if case .internet = source { .source } else { .destination }
            var out: [OpenPortsAnswer] = []
            let v6 = family(set, other: other, traffic: TrafficSpec(ipProtocol: .tcp)) == .ipv6
            let protocols: [(String, IPProtocol)] = [("tcp", .tcp), ("udp", .udp), (v6 ? "icmpv6" : "icmp", v6 ? .icmpv6 : .icmp)]
            for (name, proto) in protocols where only?.contains(name) ?? true {
                let traffic = TrafficSpec(ipProtocol: proto, port: nil)
                let results = walkInternet(set, side: side, other: other, traffic: traffic) { peer -> (PortSet, Verdict) in
                    if side == .source, let answer = openPortsThroughLoadBalancer(from: peer, to: other, ipProtocol: proto, sourcePorts: sourcePorts) {
                        return answer
                    }
                    let v = side == .source ? reach(from: peer, to: other, traffic: traffic, sourcePorts: sourcePorts)
                        : reach(from: other, to: peer, traffic: traffic, sourcePorts: sourcePorts)
                    let ports: PortSet = v.state == .unreachable ? .empty
                        : proto.hasPorts ? (v.forwardPath.last?.header.destinationPorts ?? .empty) : .all
                    return (ports, v)
                }
                let verdict = summarize(results.map { ($0.0, !$0.1.isEmpty, $0.2) }, set: set, side: side,
                                        family: family(set, other: other, traffic: traffic), requested: sourcePorts,
                                        withAddresses: withAddresses)
                var ports = PortSet.empty
                var groups: [(PortSet, [AddressSpan])] = []
                for (c, p, _) in results where !p.isEmpty {
                    ports = ports.union(p)
                    if !withAddresses { continue }
                    if let i = groups.firstIndex(where: { $0.0 == p }) { groups[i].1 += c.spans } else { groups.append((p, c.spans)) }
                }
                let fam = verdict.internet?.family ?? .ipv4
                out.append(OpenPortsAnswer(traffic: name, verdict: verdict, ports: ports,
                                           byAddresses: groups.map { ($0.0, Self.prefixes($0.1, family: fam, in: set)) },
                                           byAddressesUnreachable: groups.map { Self.prefixes($0.1, family: fam, in: set, complement: true) }))
            }
            return .success(out)
        }
    }

    // MARK: Classes and walks

    /// The address family a query over `set` uses: IPv6 for `icmpv6`, an IPv6 other end, or a set with IPv6
    /// addresses only.
    func family(_ set: InternetAddresses, other: ResolvedEndpoint, traffic: TrafficSpec) -> IPFamily {
        if traffic.ipProtocol == .icmpv6 || other.address.family == .ipv6 { return .ipv6 }
        if set.v4.isEmpty && !set.v6.isEmpty { return .ipv6 }
        return .ipv4
    }

    /// Walks one address per class of `set` (see ``internetClasses(_:family:cuts:)``). The classes are first cut
    /// by the other end's VPC alone; when a walk leaves that VPC (peering, transit gateway) they are cut again by
    /// every prefix of the topology and walked again, so the answer is exact either way.
    func walkInternet<R>(_ set: InternetAddresses, side: InternetAnswer.Side, other: ResolvedEndpoint, traffic: TrafficSpec,
                         _ walk: (ResolvedEndpoint) -> (R, Verdict)) -> [(InternetClass, R, Verdict)] {
        let fam = family(set, other: other, traffic: traffic)
        let f = fam == .ipv4 ? 0 : 1
        let vpc: Int32? = switch other {
        case .interface(let i, _): interfaces[Int(i.index)].vpc
        case .host(let s, _), .unheld(let s, _): subnets[s.position].vpc
        case .vpcEndpoint(let e, _, _): resolved.vpcEndpoints[e.position].vpc.index
        case .internet, .onPremises: nil
        }
        var cuts = vpc.map { v in scopedCuts(v)[f] } ?? globalCuts[f]
        var global = vpc == nil
        while true {
            var results: [(InternetClass, R, Verdict)] = []
            var leftVPC = false
            // The whole set's classes are the same for every query scoped to one VPC: built once.
            let classes = set.text == "internet" && set == internetAddresses
                ? internetSpaceCache.classes(scope: global ? -1 : (vpc ?? -1), family: fam) { internetClasses(set, family: fam, cuts: cuts) }
                : internetClasses(set, family: fam, cuts: cuts)
            for c in classes {
                let address: IPAddress = fam == .ipv4 ? .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: c.representative)))
                    : .v6(IPv6Address(bits: c.representative))
                let (r, v) = walk(.internet(address))
                if !global && Self.leavesVPC(v) { leftVPC = true; break }
                results.append((c, r, v))
            }
            if !leftVPC { return results }
            global = true
            cuts = globalCuts[f]
        }
    }

    /// True when a verdict's paths (or its block) involve a component outside one VPC.
    static func leavesVPC(_ v: Verdict) -> Bool {
        func outside(_ k: ComponentKind) -> Bool {
            switch k {
            case .peering, .transitGateway, .tgwAttachment, .tgwRouteTable: true
            default: false
            }
        }
        if let e = v.explanation, outside(e.component.kind) { return true }
        return v.forwardPath.contains { outside($0.component.kind) } || v.returnPath.contains { outside($0.component.kind) }
            || v.blockedReturnPath.contains { outside($0.component.kind) }
    }

    /// The verdict of a query over a set: the example class's verdict with the addresses that got through.
    /// Without `withAddresses` the address lists stay empty (lint needs the ports only).
    func summarize(_ results: [(InternetClass, Bool, Verdict)], set: InternetAddresses, side: InternetAnswer.Side,
                   family: IPFamily, requested: PortSet, withAddresses: Bool = true) -> Verdict {
        let legacy = legacyRepresentative(family)
        func holdsLegacy(_ c: InternetClass) -> Bool { c.representative == legacy }
        // An address "gets through" when some client port works; the verdict shown is a fully reachable
        // class's when there is one (so the set is reachable when some address is), else a partly reachable one's.
        let reachable = results.filter(\.1)
        let full = reachable.filter { $0.2.state == .reachable }
        // When none gets through, a class stopped at an unmodelled route target is shown first: the set is then
        // not proven unreachable (`assert noreach` must not hold on the other classes' reasons).
        let chosen = full.first { holdsLegacy($0.0) } ?? full.first ?? reachable.first { holdsLegacy($0.0) } ?? reachable.first
            ?? results.first { $0.2.explanation?.code == .unsupportedComponent }
            ?? results.first { holdsLegacy($0.0) } ?? results.first
        guard let chosen else {
            var v = Verdict.unreachable(Explanation(code: .noSourceOrDestination, direction: .forward,
                                                    component: ComponentRef(kind: .internet, name: "query"),
                                                    detail: .noQueriedInternetAddress(family: family)),
                                        forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: [])
            v.internet = InternetAnswer(side: side, family: family, addresses: [], coversQueriedSet: false, example: nil, classesWalked: 0)
            return v
        }
        var v = chosen.2
        let addresses = withAddresses ? Self.prefixes(reachable.flatMap(\.0.spans), family: family, in: set) : []
        let unreachable = withAddresses ? Self.prefixes(results.filter { !$0.1 }.flatMap(\.0.spans), family: family, in: set) : []
        let example: IPAddress = family == .ipv4 ? .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: chosen.0.representative)))
            : .v6(IPv6Address(bits: chosen.0.representative))
        var answer = InternetAnswer(side: side, family: family, addresses: addresses,
                                    coversQueriedSet: !reachable.isEmpty && reachable.count == results.count,
                                    example: example, classesWalked: results.count)
        answer.unreachableAddresses = unreachable
        if withAddresses && !reachable.isEmpty && !answer.coversQueriedSet {
            v.notes.append("reachable \(answer.phrase()) only: the other queried public addresses are not")
        }
        v.internet = answer
        return v
    }

    static let legacyIPv6: UInt128 = (UInt128(0x2001_0db8) << 96) | 7

    /// The address a query without a set used for `internet` (203.0.113.7 / 2001:db8::7): a class holding it
    /// walks it, so paths stay as they were.
    func legacyRepresentative(_ family: IPFamily) -> UInt128 {
        family == .ipv4 ? UInt128(internetSpace.representative4.bits) : Self.legacyIPv6
    }

    /// The addresses of `set` inside `spans` (or, with `complement`, outside them) as the fewest CIDR blocks.
    static func prefixes(_ spans: [AddressSpan], family: IPFamily, in set: InternetAddresses, complement: Bool = false) -> [IPPrefix] {
        switch family {
        case .ipv4:
            let inside = IPv4PrefixSet(ranges: spans.compactMap {
                IPv4Range(lower: IPv4Address(bits: UInt32(truncatingIfNeeded: $0.lower)), upper: IPv4Address(bits: UInt32(truncatingIfNeeded: $0.upper)))
            })
            return (complement ? set.v4.subtracting(inside) : set.v4.intersection(inside)).prefixes.map { .v4($0) }
        case .ipv6:
            let inside = IPv6PrefixSet(ranges: spans.compactMap { IPv6Range(lower: IPv6Address(bits: $0.lower), upper: IPv6Address(bits: $0.upper)) })
            return (complement ? set.v6.subtracting(inside) : set.v6.intersection(inside)).prefixes.map { .v6($0) }
        }
    }

    /// Cuts `set` (one family) into classes: the addresses of one class lie in exactly the same prefixes of
    /// `cuts` (see ``Boundaries``), so every route, rule and block those prefixes came from treats them alike.
    /// A class's representative is the engine's usual internet address when the class holds it, else the
    /// second address of its first piece (198.51.100.1 for 198.51.100.0/24), else the only one.
    func internetClasses(_ set: InternetAddresses, family: IPFamily, cuts: Boundaries) -> [InternetClass] {
        // Walked addresses avoid the public IPs interfaces hold.
        let space = internetSpace
        let walkable4 = space.held4.isEmpty ? set.v4 : set == internetAddresses ? space.walkable4 : set.v4.subtracting(space.held4)
        let ranges: [AddressSpan] = family == .ipv4
            ? walkable4.ranges.map { AddressSpan(lower: UInt128($0.lower.bits), upper: UInt128($0.upper.bits)) }
            : set.v6.ranges.map { AddressSpan(lower: $0.lower.bits, upper: $0.upper.bits) }
        guard let lastRange = ranges.last else { return [] }
        let legacy = legacyRepresentative(family)
        let legacyQueried = family == .ipv4
            ? walkable4.contains(IPv4Address(bits: UInt32(truncatingIfNeeded: legacy))) : set.v6.contains(IPv6Address(bits: legacy))
        let points = cuts.points
        var classes: [InternetClass] = []
        var indexOfClass: [Int32: Int] = [:]
        // Every atomic interval the set meets, in address order (the set's ranges found by binary search).
        for i in 0...points.count {
            let start: UInt128 = i == 0 ? 0 : points[i - 1]
            if start > lastRange.upper { break }
            let end: UInt128 = i < points.count ? points[i] - 1 : lastRange.upper
            var lo = 0, hi = ranges.count
            while lo < hi { let mid = (lo + hi) / 2; if ranges[mid].upper < start { lo = mid + 1 } else { hi = mid } }
            guard lo < ranges.count, ranges[lo].lower <= end else { continue }
            let first = max(ranges[lo].lower, start)
            let span = AddressSpan(lower: start, upper: end)
            let holdsLegacy = legacyQueried && start <= legacy && legacy <= end
            if let k = indexOfClass[cuts.classOf[i]] {
                if let last = classes[k].spans.last, last.upper &+ 1 == start {
                    classes[k].spans[classes[k].spans.count - 1].upper = end
                } else {
                    classes[k].spans.append(span)
                }
                if holdsLegacy { classes[k].representative = legacy }
            } else {
                indexOfClass[cuts.classOf[i]] = classes.count
                let representative = holdsLegacy ? legacy : first < min(ranges[lo].upper, end) ? first + 1 : first
                classes.append(InternetClass(spans: [span], representative: representative))
            }
        }
        return classes
    }

    /// The cut points one VPC's routes, rules and blocks give (and the prefix lists they name).
    func scopedCuts(_ vi: Int32) -> [Boundaries] {
        internetSpaceCache.cuts(vpc: vi) {
            let c = vpcCutPoints(vi)
            return [Boundaries(c[0]), Boundaries(c[1])]
        }
    }

    /// Unsorted cut points of VPC `vi`: its blocks, subnets, routes, security-group and NACL rules, and the
    /// entries of the prefix lists they name.
    func vpcCutPoints(_ vi: Int32) -> [[AddressSpan]] {
        let vpc = topology.vpcs[Int(vi)]
        var c4: [AddressSpan] = [], c6: [AddressSpan] = []
        Self.addCuts(vpc.cidrs.map { .v4($0) } + vpc.ipv6Cidrs.map { .v6($0) }, &c4, &c6)
        for s in vpc.subnets { Self.addCuts([.v4(s.cidr)] + (s.ipv6Cidr.map { [.v6($0)] } ?? []), &c4, &c6) }
        for t in vpc.routeTables { for r in t.routes { Self.addCuts(prefixes(of: r.destination), &c4, &c6) } }
        for g in vpc.securityGroups {
            for r in g.ingress + (g.egress ?? []) {
                switch r.peer {
                case .cidr(let p): Self.addCuts([p], &c4, &c6)
                case .prefixList(let n): Self.addCuts(prefixes(of: .prefixList(n)), &c4, &c6)
                case .securityGroup: break
                }
            }
        }
        for n in vpc.networkACLs { Self.addCuts((n.inbound + n.outbound).map(\.cidr), &c4, &c6) }
        return [c4, c6]
    }

    func prefixes(of d: RouteDestination) -> [IPPrefix] {
        switch d {
        case .cidr(let p): [p]
        case .prefixList(let n): topology.prefixLists.first { $0.name == n }?.entries ?? []
        }
    }

    static func addCuts(_ prefixes: [IPPrefix], _ c4: inout [AddressSpan], _ c6: inout [AddressSpan]) {
        for p in prefixes {
            switch p {
            case .v4(let q): c4.append(AddressSpan(lower: UInt128(q.first.bits), upper: UInt128(q.last.bits)))
            case .v6(let q): c6.append(AddressSpan(lower: q.first.bits, upper: q.last.bits))
            }
        }
    }
}
