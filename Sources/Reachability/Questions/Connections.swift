import IPAddressing
import NetworkModel

// Questions beyond A → B (issue 19): what gets from one end to another over every protocol and port, and the
// parties those questions range over. `who-can-reach`, `reachable-from`, `matrix` and `diff` are built on
// ``CompiledTopology/connections(from:to:traffic:)``, which answers exactly what `reach` answers, pair by pair.

/// What gets through for one protocol.
public struct PortGrant: Hashable, Sendable, CustomStringConvertible {
    /// `.tcp`, `.udp`, `.icmp`, `.icmpv6`, another protocol number, or `.all` (every protocol on every port:
    /// only in ``ConnectionGrants/allowed``, and then alone).
    public var ipProtocol: IPProtocol
    /// TCP and UDP: the destination ports; ICMP and ICMPv6: the message types (code 0) that get through; other
    /// protocols and `.all`: ``PortSet/all``.
    public var ports: PortSet
    /// In ``ConnectionGrants/partial`` only: the client (source) ports for which the connection works, a
    /// non-empty strict subset of those asked about.
    public var clientPorts: PortSet?

    public init(ipProtocol: IPProtocol, ports: PortSet, clientPorts: PortSet? = nil) {
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.clientPorts = clientPorts
    }

    /// The ports in the notation the CLI reads (`5432,8000-8080`; empty for protocols without ports).
    public var portsText: String {
        guard ipProtocol.hasPorts || ipProtocol.isICMP else { return "" }
        return PortGrant.text(ports)
    }

    /// `tcp/5432,8000-8080`, `icmp/8`, `proto 47`, `all`.
    public var description: String {
        let p = portsText
        let name = ipProtocol == .all ? "all" : ipProtocol.hasPorts || ipProtocol.isICMP ? ipProtocol.description : "proto \(ipProtocol.nameOrNumber)"
        var s = p.isEmpty ? name : "\(name)/\(p)"
        if let clientPorts { s += " (client ports \(PortGrant.text(clientPorts)))" }
        return s
    }

    /// A port set in the CLI's notation: `1024-65535`, `22,80-90`.
    public static func text(_ ports: PortSet) -> String {
        ports.ranges.map { $0.lower == $0.upper ? "\($0.lower)" : "\($0.lower)-\($0.upper)" }.joined(separator: ",")
    }
}

/// What one end can open to another: per protocol, what works for every client port (what `reach` exits 0 on)
/// and what works for some client ports only.
public struct ConnectionGrants: Hashable, Sendable {
    /// Reachable for every client port asked about; ordered tcp, udp, icmp, icmpv6, then other protocols.
    public var allowed: [PortGrant] = []
    /// Partly reachable: these ports work for the grant's ``PortGrant/clientPorts`` only.
    public var partial: [PortGrant] = []
    public init(allowed: [PortGrant] = [], partial: [PortGrant] = []) {
        self.allowed = allowed
        self.partial = partial
    }
    /// True when nothing gets through.
    public var isEmpty: Bool { allowed.isEmpty && partial.isEmpty }
    /// True when `reach` with this protocol and port (ICMP: type) says reachable.
    public func allows(_ ipProtocol: IPProtocol, port: UInt16?) -> Bool {
        allowed.contains { g in
            g.ipProtocol == .all || (g.ipProtocol == ipProtocol && (port.map { g.ports.contains($0) } ?? true))
        }
    }
}

/// The traffic a question ranges over.
public struct QuestionTraffic: Hashable, Sendable, CustomStringConvertible {
    /// nil: TCP, UDP and ICMP (ICMPv6 between IPv6 ends), reported as one `all` grant when every protocol gets
    /// through on every port and type.
    public var ipProtocol: IPProtocol?
    /// The destination ports (ICMP: types) asked about; nil: all.
    public var ports: PortSet?
    /// The client ports asked about (default 1024-65535, as `reach`).
    public var sourcePorts: PortSet
    /// The request direction only (`--one-way`).
    public var oneWay: Bool

    public init(ipProtocol: IPProtocol? = nil, ports: PortSet? = nil, sourcePorts: PortSet = .ephemeral, oneWay: Bool = false) {
        self.ipProtocol = ipProtocol
        self.ports = ports
        self.sourcePorts = sourcePorts
        self.oneWay = oneWay
    }

    /// Reads `tcp`, `tcp/5432`, `tcp/80,443,8000-8080`, `udp/53`, `icmp`, `icmp/8`, `icmpv6/128`, `all` or
    /// `proto 47` (`proto/47`); nil for anything else (a port 0 for TCP/UDP, an ICMP type above 255).
    public init?(parsing text: String) {
        let spelled = text.hasPrefix("proto ") ? "proto/" + text.dropFirst(6) : Substring(text)
        let parts = spelled.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = parts.first else { return nil }
        self.init()
        if first.lowercased() == "proto" {
            guard parts.count == 2, let n = UInt8(parts[1]) else { return nil }
            ipProtocol = .number(n)
            return
        }
        guard let p = IPProtocol(lenient: String(first)) else { return nil }
        if p == .all {
            guard parts.count == 1 else { return nil }
            return
        }
        ipProtocol = p
        guard parts.count == 2 else { return }
        guard p.hasPorts || p.isICMP else { return nil }
        var ranges: [PortRange] = []
        for item in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let lo = UInt16(bounds[0]), let hi = bounds.count == 2 ? UInt16(bounds[1]) : lo, lo <= hi
            else { return nil }
            if p.hasPorts && lo == 0 { return nil }
            if p.isICMP && hi > 255 { return nil }
            ranges.append(PortRange(lo, hi))
        }
        guard !ranges.isEmpty else { return nil }
        ports = PortSet(ranges: ranges.sorted { $0.lower < $1.lower })
    }

    public var description: String {
        guard let ipProtocol else { return "all traffic" }
        let base = ipProtocol.hasPorts || ipProtocol.isICMP ? ipProtocol.description : "proto \(ipProtocol.nameOrNumber)"
        return ports.map { "\(base)/\(PortGrant.text($0))" } ?? base
    }
}

/// One end of a question: an interface, the internet, an on-premises network or an interface endpoint.
public struct QuestionParty: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case interface, internet, onprem
        case vpcEndpoint = "vpc-endpoint"
    }
    public var kind: Kind
    /// The name a query takes: `app-1`, `fw-1.eth1`, `internet`, `onprem:office`, an endpoint's name.
    public var name: String
    /// The AWS id when known: the instance id (`i-…`) of an instance's primary interface, else the ENI id; the
    /// endpoint's `vpce-…`.
    public var awsID: String?
    /// The data-plane interface (interfaces and endpoint ENIs).
    public var interface: InterfaceID?
    /// The endpoint a query uses for it.
    public var endpoint: QueryEndpoint
}

extension CompiledTopology {
    /// Every party that can open a connection (`asSources`: instance interfaces, the internet, each on-premises
    /// network) or accept one (instance interfaces, interface endpoints' ENIs, the internet, each on-premises
    /// network), in topology order.
    public func questionParties(asSources: Bool) -> [QuestionParty] {
        var out: [QuestionParty] = []
        for (i, iface) in interfaces.enumerated() {
            let id = InterfaceID(Int32(i))
            switch iface.kind {
            case .instance(let instance):
                let primary = iface.name == instance
                out.append(QuestionParty(kind: .interface, name: iface.name,
                                         awsID: (primary ? iface.instanceID : nil) ?? iface.awsID ?? iface.instanceID,
                                         interface: id, endpoint: .endpoint(.interface(id, address: .v4(iface.primaryIP)))))
            case .vpcEndpoint where !asSources:
                out.append(QuestionParty(kind: .vpcEndpoint, name: iface.name, awsID: iface.awsID, interface: id,
                                         endpoint: .endpoint(.interface(id, address: .v4(iface.primaryIP)))))
            default: continue
            }
        }
        out.append(QuestionParty(kind: .internet, name: "internet", awsID: nil, interface: nil, endpoint: .internet(internetAddresses)))
        for n in topology.onPremisesNetworks {
            let text = "onprem:\(n.name)"
            if case .success(let e) = resolveQuery(text, side: asSources ? .source : .destination) {
                out.append(QuestionParty(kind: .onprem, name: text, awsID: nil, interface: nil, endpoint: e))
            }
        }
        return out
    }

    /// What the topology's security-group and NACL rules single out, in one pass over them: the protocol numbers
    /// they name (besides `all`) and the ICMP types they name, with every type that has a reply. A question
    /// builds it once and passes it to each pair.
    struct RuleVocabulary {
        var protocolNumbers: Set<UInt8> = []
        var icmpTypes: Set<UInt16> = [0, 8, 9, 10, 13, 14, 15, 16, 17, 18, 42, 43, 128, 129]
    }

    func ruleVocabulary() -> RuleVocabulary {
        var vocabulary = RuleVocabulary()
        func note(_ p: IPProtocol, _ ports: PortRange?) {
            if let n = p.number { vocabulary.protocolNumbers.insert(n) }
            if p.isICMP, let t = ports?.lower, t <= 255 { vocabulary.icmpTypes.insert(t) }
        }
        for v in topology.vpcs {
            for g in v.securityGroups {
                for r in g.ingress + (g.egress ?? []) { note(r.ipProtocol, r.ports) }
            }
            for a in v.networkACLs {
                for r in a.inbound + a.outbound { note(r.ipProtocol, r.ports) }
            }
        }
        return vocabulary
    }

    /// What `source` can open to `destination`: exactly the verdicts `reach` gives, port by port (a TCP/UDP port
    /// is in ``ConnectionGrants/allowed`` when `reach … tcp/PORT` is reachable, in ``ConnectionGrants/partial``
    /// when it is partly reachable; an ICMP type when `reach … icmp/TYPE` is reachable). Both ends the internet,
    /// or an end that does not resolve, grant nothing.
    ///
    /// With every protocol asked about (``QuestionTraffic/ipProtocol`` nil), the answer is one `all` grant when
    /// TCP and UDP get through on every port for every client port, ICMP on every type, and every other protocol
    /// (each number a rule names, and one that no rule names, standing for the rest); otherwise the TCP, UDP and
    /// ICMP grants.
    public func connections(from source: QueryEndpoint, to destination: QueryEndpoint, traffic: QuestionTraffic) -> ConnectionGrants {
        connections(from: source, to: destination, traffic: traffic, vocabulary: ruleVocabulary())
    }

    /// ``connections(from:to:traffic:)`` with the rules' vocabulary already gathered (loops over pairs).
    func connections(from source: QueryEndpoint, to destination: QueryEndpoint, traffic: QuestionTraffic,
                     vocabulary: RuleVocabulary) -> ConnectionGrants {
        if source.isInternet && destination.isInternet { return ConnectionGrants() }
        var out = ConnectionGrants()
        let v6 = isIPv6(source) || isIPv6(destination)
        let icmp: IPProtocol = v6 ? .icmpv6 : .icmp
        let protocols: [IPProtocol] = traffic.ipProtocol.map { [$0] } ?? [.tcp, .udp, icmp]
        var everything = traffic.ipProtocol == nil
        for p in protocols {
            if p.hasPorts {
                let (allowed, partial) = portGrants(p, from: source, to: destination, traffic: traffic)
                if let allowed { out.allowed.append(allowed) }
                out.partial += partial
                if allowed?.ports != .all { everything = false }
            } else if p.isICMP {
                let set = icmpTypes(p, from: source, to: destination, traffic: traffic, special: vocabulary.icmpTypes)
                if !set.isEmpty { out.allowed.append(PortGrant(ipProtocol: p, ports: set)) }
                if set != PortSet(PortRange(0, 255)) { everything = false }
            } else {
                if reachable(from: source, to: destination, TrafficSpec(ipProtocol: p), traffic) {
                    out.allowed.append(PortGrant(ipProtocol: p, ports: .all))
                } else {
                    everything = false
                }
            }
        }
        if everything {
            // Every other protocol: each number a rule names, and one no rule names (the rest behave alike).
            let named = vocabulary.protocolNumbers
            let others = named.subtracting([IPProtocol.tcpNumber, IPProtocol.udpNumber, IPProtocol.icmpNumber, IPProtocol.icmpv6Number])
            let spare = (UInt8(2)...UInt8(254)).first { !named.contains($0) && ![IPProtocol.tcpNumber, IPProtocol.udpNumber, IPProtocol.icmpv6Number].contains($0) }
            for n in others.sorted() + (spare.map { [$0] } ?? []) where everything {
                if !reachable(from: source, to: destination, TrafficSpec(ipProtocol: .number(n)), traffic) { everything = false }
            }
            if everything { out = ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)]) }
        }
        return out
    }

    func isIPv6(_ e: QueryEndpoint) -> Bool {
        switch e {
        case .endpoint(let r), .privateAddress(let r): r.address.family == .ipv6
        case .internet(let s): s.v4.isEmpty && !s.v6.isEmpty
        }
    }

    func reachable(from s: QueryEndpoint, to d: QueryEndpoint, _ spec: TrafficSpec, _ traffic: QuestionTraffic) -> Bool {
        guard case .success(let v) = reach(from: s, to: d, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay)
        else { return false }
        return v.state == .reachable
    }

    /// The ICMP types (code 0) reachable from `s` to `d`: each type a rule names or that has a reply is walked
    /// alone, and one type of neither kind stands for the rest (rules treat them alike).
    func icmpTypes(_ p: IPProtocol, from s: QueryEndpoint, to d: QueryEndpoint, traffic: QuestionTraffic,
                   special: Set<UInt16>) -> PortSet {
        let asked = traffic.ports ?? PortSet(PortRange(0, 255))
        var types: [PortRange] = []
        let spare = (UInt16(0)...255).first { !special.contains($0) }
        let spareWorks = spare.map { reachable(from: s, to: d, TrafficSpec(ipProtocol: p, port: $0), traffic) } ?? false
        for r in asked.ranges {
            for t in r.lower...min(r.upper, 255) {
                let works = special.contains(t) ? reachable(from: s, to: d, TrafficSpec(ipProtocol: p, port: t), traffic) : spareWorks
                if works { types.append(PortRange(t, t)) }
            }
        }
        return PortSet(ranges: types)
    }

    /// TCP or UDP: the destination ports reachable for every client port, and the partly reachable ones grouped
    /// by the client ports that work. One walk over the whole port set answers every port: routes never depend on
    /// ports, and SG and NACL rules match the destination port only, so the request's rules narrow the server
    /// ports and the reply's narrow the client ports, independently.
    func portGrants(_ p: IPProtocol, from s: QueryEndpoint, to d: QueryEndpoint, traffic: QuestionTraffic) -> (PortGrant?, [PortGrant]) {
        let asked = traffic.ports ?? PortSet(PortRange(1, 65535))
        var allowed = PortSet.empty
        var partial: [PortSet: PortSet] = [:]
        func add(_ v: Verdict) {
            guard v.state != .unreachable, let got = v.forwardPath.last?.header.destinationPorts else { return }
            let ports = got.intersection(asked)
            if ports.isEmpty { return }
            if v.state == .reachable { allowed = allowed.union(ports) }
            else { partial[v.workingSourcePorts, default: .empty] = partial[v.workingSourcePorts, default: .empty].union(ports) }
        }
        let spec = TrafficSpec(ipProtocol: p)
        var source = s, destination = d
        if case .privateAddress(let e) = destination {
            if source.isInternet { return (nil, []) }
            destination = .endpoint(e)
        }
        if case .privateAddress(let e) = source { source = .endpoint(e) }
        switch (source, destination) {
        case (.internet(let set), .endpoint(let other)) where !other.isInternetAddress,
             (.endpoint(let other), .internet(let set)) where !other.isInternetAddress:
            let side: InternetAnswer.Side = if case .internet = source { .source } else { .destination }
            for (_, _, v) in walkInternet(set, side: side, other: other, traffic: spec, { peer -> ((), Verdict) in
                ((), side == .source ? reach(from: peer, to: other, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay)
                    : reach(from: other, to: peer, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay))
            }) { add(v) }
        case (.endpoint(let a), .endpoint(let b)) where !(a.isInternetAddress && b.isInternetAddress):
            add(reach(from: a, to: b, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay))
        default:
            return (nil, [])
        }
        let a = allowed.isEmpty ? nil : PortGrant(ipProtocol: p, ports: allowed)
        let parts = partial.compactMap { c, ports -> PortGrant? in
            let left = ports.subtracting(allowed)
            return left.isEmpty ? nil : PortGrant(ipProtocol: p, ports: left, clientPorts: c)
        }.sorted { ($0.ports.min ?? 0, $0.clientPorts?.min ?? 0) < ($1.ports.min ?? 0, $1.clientPorts?.min ?? 0) }
        return (a, parts)
    }

    /// Every party that can open a connection to `target`, with what gets through (parties with an empty answer
    /// left out), in ``questionParties(asSources:)`` order; the target itself is left out. One walk set per party
    /// class (Questions/Classes.swift), exactly ``connections(from:to:traffic:)`` for every party.
    public func whoCanReach(_ target: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        classAnswers(questionParties(asSources: true), other: target, partiesAreSources: true, traffic: traffic)
    }

    /// Every party `source` can open a connection to, with what gets through (the same, the other way).
    public func reachableFrom(_ source: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        classAnswers(questionParties(asSources: false), other: source, partiesAreSources: false, traffic: traffic)
    }

    /// The reference for ``whoCanReach(_:traffic:)``: one ``connections(from:to:traffic:)`` per party.
    func whoCanReachByLoop(_ target: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        let vocabulary = ruleVocabulary()
        return questionParties(asSources: true).compactMap { p in
            if p.endpoint == target { return nil }
            let g = connections(from: p.endpoint, to: target, traffic: traffic, vocabulary: vocabulary)
            return g.isEmpty ? nil : (p, g)
        }
    }

    /// The reference for ``reachableFrom(_:traffic:)``: one ``connections(from:to:traffic:)`` per party.
    func reachableFromByLoop(_ source: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        let vocabulary = ruleVocabulary()
        return questionParties(asSources: false).compactMap { p in
            if p.endpoint == source { return nil }
            let g = connections(from: source, to: p.endpoint, traffic: traffic, vocabulary: vocabulary)
            return g.isEmpty ? nil : (p, g)
        }
    }
}

extension ResolvedEndpoint {
    /// True for an address on the internet.
    var isInternetAddress: Bool { if case .internet = self { true } else { false } }
}

/// What a party belongs to, for grouping (`matrix --by …`) and policy endpoint sets.
public struct PartyMembership: Hashable, Sendable {
    /// The VPC, subnet and security groups of an interface (nil and empty for the internet and on-premises).
    public var vpc: String?
    public var subnet: String?
    public var securityGroups: [String]
    /// The instance an interface belongs to and its tags.
    public var instance: String?
    public var tags: [ResourceTag]
}

extension CompiledTopology {
    /// Each party's membership, in the order given.
    public func memberships(_ parties: [QuestionParty]) -> [PartyMembership] {
        var tagsByInstance: [String: [ResourceTag]] = [:]
        for v in topology.vpcs { for i in v.instances where !i.tags.isEmpty { tagsByInstance[i.name] = i.tags } }
        return parties.map { p in
            guard let id = p.interface else {
                return PartyMembership(vpc: nil, subnet: nil, securityGroups: [], instance: nil, tags: [])
            }
            let iface = interfaces[id.position]
            let groups: [String] = iface.securityGroupSet < 0 ? []
                : securityGroupSets[Int(iface.securityGroupSet)].groups.map { securityGroups[Int($0)].name }
            var instance: String? = nil
            if case .instance(let name) = iface.kind { instance = name }
            return PartyMembership(vpc: vpcs[Int(iface.vpc)].name, subnet: subnets[Int(iface.subnet)].name, securityGroups: groups,
                                   instance: instance, tags: instance.flatMap { tagsByInstance[$0] } ?? [])
        }
    }
}

/// Every connection between a list of sources and a list of destinations: for each source (by index into the
/// sources given), the destinations (by index into the destinations given) it can open something to, with what
/// gets through. Sparse: pairs with an empty answer are left out. Deterministic order: sources, then
/// destinations, in the order given.
public struct ConnectionTable: Hashable, Sendable {
    /// One non-empty cell: a destination index and what gets through.
    public struct Entry: Hashable, Sendable {
        public var destination: Int
        public var grants: ConnectionGrants
        public init(destination: Int, grants: ConnectionGrants) {
            self.destination = destination
            self.grants = grants
        }
    }
    /// `rows[i]`: the non-empty cells of source `i`, by ascending destination index (`rows.count` is the number of
    /// sources).
    public var rows: [[Entry]]
    public init(rows: [[Entry]]) { self.rows = rows }

    /// What source `source` can open to destination `destination` (empty when nothing, or out of range).
    public func grants(source: Int, destination: Int) -> ConnectionGrants {
        guard rows.indices.contains(source) else { return ConnectionGrants() }
        return rows[source].first { $0.destination == destination }?.grants ?? ConnectionGrants()
    }

    /// Every non-empty cell as (source, destination, grants), sources then destinations in order.
    public var cells: [(source: Int, destination: Int, grants: ConnectionGrants)] {
        rows.enumerated().flatMap { i, row in row.map { (i, $0.destination, $0.grants) } }
    }
}

extension QuestionParty {
    /// True when both are the same party (the same interface, or the same endpoint, or the same kind and name): a
    /// question never asks a party about itself.
    func isSameParty(as other: QuestionParty) -> Bool {
        if endpoint == other.endpoint { return true }
        if let a = interface, let b = other.interface { return a == b }
        return kind == other.kind && name == other.name
    }
}

extension CompiledTopology {
    /// What each source can open to each destination (exactly ``connections(from:to:traffic:)`` for every pair,
    /// one walk set per pair of party classes: Questions/Classes.swift; a party is never asked about itself).
    public func connectionTable(sources: [QuestionParty], destinations: [QuestionParty], traffic: QuestionTraffic) -> ConnectionTable {
        connectionTableByClasses(sources: sources, destinations: destinations, traffic: traffic)
    }

    /// The reference implementation: one ``connections(from:to:traffic:)`` per pair.
    func connectionTableByLoop(sources: [QuestionParty], destinations: [QuestionParty], traffic: QuestionTraffic) -> ConnectionTable {
        let vocabulary = ruleVocabulary()
        return ConnectionTable(rows: sources.map { s in
            destinations.enumerated().compactMap { j, d -> ConnectionTable.Entry? in
                if s.isSameParty(as: d) { return nil }
                let g = connections(from: s.endpoint, to: d.endpoint, traffic: traffic, vocabulary: vocabulary)
                return g.isEmpty ? nil : ConnectionTable.Entry(destination: j, grants: g)
            }
        })
    }
}
