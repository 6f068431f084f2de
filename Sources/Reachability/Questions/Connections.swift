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
        /// An application, network or classic load balancer (a `reachable-from` destination only).
        case loadBalancer = "load-balancer"
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
    /// they name (besides `all`) and the ICMP types they name, with the ICMP type groups that follow (see
    /// ``icmpTypes(_:from:to:traffic:vocabulary:filter:fast:)``). A question builds it once and passes it to each pair.
    struct RuleVocabulary: Sendable {
        var protocolNumbers: Set<UInt8> = []
        /// ICMP and ICMPv6 types a rule names (a rule names one type, or every type).
        var icmpTypes: Set<UInt16> = []
        /// ICMP types that one walk answers together: per ``groupIndex(v6:plain:oneWay:)`` the groups, and for the
        /// loop references (``referenceGroups``) the older, coarser grouping.
        var icmpGroups: [[ICMPTypeGroup]] = []
        var referenceGroups: [[ICMPTypeGroup]] = []

        static func groupIndex(v6: Bool, plain: Bool, oneWay: Bool) -> Int { (v6 ? 4 : 0) | (plain ? 2 : 0) | (oneWay ? 1 : 0) }

        /// Fills ``icmpGroups`` and ``referenceGroups`` from ``icmpTypes``.
        mutating func groupICMPTypes() {
            icmpGroups = (0..<8).map { i in
                let v6 = i & 4 != 0, plain = i & 2 != 0, oneWay = i & 1 != 0
                // Between two plain IPv4 interfaces the types with their own behaviour behave like the rest: a
                // gateway endpoint's echo matters only toward the service, NAT64 only from IPv6.
                let named = icmpTypes
                func singled(_ t: UInt16) -> Bool {
                    named.contains(t) || (!(plain && !v6) && icmpTypesWithOwnBehaviour.contains(UInt8(truncatingIfNeeded: t)))
                }
                return Self.groups { t in
                    if singled(t) { return Int(t) }
                    guard !oneWay, let r = icmpReplyType(UInt8(truncatingIfNeeded: t), v6: v6) else { return ICMPTypeGroup.noReply }
                    return singled(UInt16(r)) ? 512 + Int(r) : ICMPTypeGroup.plainReply
                }
            }
            let alone = icmpTypes.union([0, 8, 9, 10, 13, 14, 15, 16, 17, 18, 42, 43, 128, 129])
            referenceGroups = [Self.groups { alone.contains($0) ? Int($0) : 256 }]
        }

        /// Types 0…255 grouped by `key`, groups in order of their first type.
        static func groups(_ key: (UInt16) -> Int) -> [ICMPTypeGroup] {
            var order: [Int] = []
            var members: [Int: [PortRange]] = [:]
            for t in UInt16(0)...255 {
                let k = key(t)
                if members[k] == nil { order.append(k) }
                members[k, default: []].append(PortRange(t, t))
            }
            return order.map { k in
                let list = members[k] ?? []
                return ICMPTypeGroup(key: k, representative: list.first?.lower ?? 0, members: PortSet(ranges: list))
            }
        }
    }

    /// ICMP types one walk answers together (``RuleVocabulary``).
    struct ICMPTypeGroup: Sendable {
        /// A singled-out type's own number; ``noReply``; 512 + a singled-out reply type; ``plainReply``.
        var key: Int
        var representative: UInt16
        var members: PortSet
        /// The types without a reply (or every type, one-way) that nothing singles out.
        static let noReply = 256
        /// The types whose reply nothing singles out.
        static let plainReply = 1024
    }

    /// The rules' vocabulary, gathered once per compiled topology (``QuestionClassCache``).
    func ruleVocabulary() -> RuleVocabulary {
        questionClassCache.vocabulary { gatherRuleVocabulary() }
    }

    func gatherRuleVocabulary() -> RuleVocabulary {
        var vocabulary = RuleVocabulary()
        func note(_ p: IPProtocol, _ ports: PortRange?) {
            if let n = p.number { vocabulary.protocolNumbers.insert(n) }
            if p.isICMP, let t = ports?.lower, t <= 255 { vocabulary.icmpTypes.insert(t) }
        }
        for v in topology.vpcs {
            for g in v.securityGroups {
                for r in g.ingress { note(r.ipProtocol, r.ports) }
                for r in g.egress ?? [] { note(r.ipProtocol, r.ports) }
            }
            for a in v.networkACLs {
                for r in a.inbound { note(r.ipProtocol, r.ports) }
                for r in a.outbound { note(r.ipProtocol, r.ports) }
            }
        }
        vocabulary.groupICMPTypes()
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
    /// ICMP grants. A load balancer as `destination`: its listener ports, each asked through `reach`
    /// (``loadBalancerGrants(from:to:loadBalancer:traffic:)``).
    public func connections(from source: QueryEndpoint, to destination: QueryEndpoint, traffic: QuestionTraffic) -> ConnectionGrants {
        if let k = loadBalancerTarget(destination) { return loadBalancerGrants(from: source, to: destination, loadBalancer: k, traffic: traffic) }
        return connections(from: source, to: destination, traffic: traffic, vocabulary: ruleVocabulary())
    }

    /// ``connections(from:to:traffic:)`` with the rules' vocabulary already gathered (loops over pairs).
    ///
    /// `fast` false: every answer through `reach` itself, no key left unwalked (the loop references).
    func connections(from source: QueryEndpoint, to destination: QueryEndpoint, traffic: QuestionTraffic,
                     vocabulary: RuleVocabulary, fast: Bool = true) -> ConnectionGrants {
        if source.isInternet && destination.isInternet { return ConnectionGrants() }
        var out = ConnectionGrants()
        let v6 = isIPv6(source) || isIPv6(destination)
        let icmp: IPProtocol = v6 ? .icmpv6 : .icmp
        let protocols: [IPProtocol] = traffic.ipProtocol.map { [$0] } ?? [.tcp, .udp, icmp]
        var everything = traffic.ipProtocol == nil
        // What the ends' own groups let through, per protocol below (see ``KeyFilter``).
        let ends = fast ? keyFilter(from: source, to: destination) : nil
        for p in protocols {
            if p.hasPorts {
                let (allowed, partial) = portGrants(p, from: source, to: destination, traffic: traffic, filter: ends, fast: fast)
                if let allowed { out.allowed.append(allowed) }
                out.partial += partial
                if allowed?.ports != PortSet(PortRange(1, 65535)) { everything = false }  // every port a question asks about (1-65535)
            } else if p.isICMP {
                let set = icmpTypes(p, from: source, to: destination, traffic: traffic, vocabulary: vocabulary, filter: ends, fast: fast)
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

    func reachable(from s: QueryEndpoint, to d: QueryEndpoint, _ spec: TrafficSpec, _ traffic: QuestionTraffic, fast: Bool = false) -> Bool {
        if fast, spec.ipProtocol == .icmp, !traffic.oneWay, case .endpoint(let a) = s, case .endpoint(let b) = d,
           a.address.family == .ipv4, b.address.family == .ipv4 {
            // ICMP between two IPv4 ends: the verdict-only walk (no trace) gives the same yes/no as `reach`'s
            // reachable state (same endpoints, packet, walk and arrival checks; ICMP has no client ports).
            return isReachable(from: a, to: b, ipProtocol: IPProtocol.icmpNumber, port: spec.port ?? 8)
        }
        if fast {
            // An internet set against one end: reachable when some class of the set is (what `reach`'s summary
            // says), without building the summary's address lists.
            switch (s, d) {
            case (.internet(let set), .endpoint(let other)) where !other.isInternetAddress,
                 (.endpoint(let other), .internet(let set)) where !other.isInternetAddress:
                let side: InternetAnswer.Side = if case .internet = s { .source } else { .destination }
                let results = walkInternet(set, side: side, other: other, traffic: spec) { peer -> (Bool, Verdict) in
                    let v = side == .source
                        ? reach(from: peer, to: other, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay)
                        : reach(from: other, to: peer, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay)
                    return (v.state == .reachable, v)
                }
                return results.contains { $0.1 }
            default: break
            }
        }
        guard case .success(let v) = reach(from: s, to: d, traffic: spec, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay)
        else { return false }
        return v.state == .reachable
    }

    /// What the two ends' own security groups let through on the request, for protocol `p`: the source
    /// interface's egress rules toward the destination address (evaluated exactly, as the walk's first check
    /// does) and the destination interface's ingress rules whatever the sender (the key ranges of every rule of
    /// the protocol, peers ignored: a superset). A rule key (TCP/UDP destination port, ICMP `type << 8 | code`)
    /// either stops is blocked at a check every such walk makes, so it need not be walked.
    struct KeyFilter {
        /// The source's egress rules (nil: not an IPv4 interface with groups).
        var source: HotSGSlice?
        /// The destination's ingress rules (nil: not an IPv4 interface with groups).
        var ingressRules: RuleSlice?
        /// The destination's ingress keys of the protocol asked about (nil: not an IPv4 interface with groups).
        var ingress: PortSet?

        struct HotSGSlice {
            var rules: RuleSlice
            var vpc: Int32
            var remote: IPAddress
        }
    }

    /// The ``KeyFilter`` of a pair (its ingress keys not yet filled: ``keyFilter(_:ipProtocol:)``), or nil when
    /// nothing is known (an end is not an IPv4 interface with groups, or an interface endpoint is involved).
    func keyFilter(from s: QueryEndpoint, to d: QueryEndpoint) -> KeyFilter? {
        guard case .endpoint(let a) = s, case .endpoint(let b) = d, a.address.family == .ipv4, b.address.family == .ipv4,
              !mayInvolveVPCEndpoint(a, b) else { return nil }
        var filter = KeyFilter()
        if case .interface(let i, _) = a, let dst = address(of: b, from: a, ipv6: false), dst.family == .ipv4 {
            let hot = interfaceHot[i.position]
            if hot.hasGroups && hot.securityGroupSet >= 0 { filter.source = .init(rules: hot.sgEgress, vpc: hot.vpc, remote: dst) }
        }
        if case .interface(let j, _) = b {
            let hot = interfaceHot[j.position]
            if hot.hasGroups && hot.securityGroupSet >= 0 { filter.ingressRules = hot.sgIngress }
        }
        return filter.source == nil && filter.ingressRules == nil ? nil : filter
    }

    /// `f` with the destination's ingress keys of protocol `p` filled in.
    func keyFilter(_ f: KeyFilter, ipProtocol p: UInt8) -> KeyFilter {
        var filter = f
        if let slice = f.ingressRules {
            // Unions of single ranges stay inline: no allocation for a group set with one or two such rules.
            var admitted = PortSet.empty
            for k in Int(slice.start)..<Int(slice.start + slice.count) {
                let rule = sgRuleHot[k]
                if rule.ipProtocol == -1 || rule.ipProtocol == Int16(p) { admitted = admitted.union(PortSet(PortRange(rule.lower, rule.upper))) }
            }
            filter.ingress = admitted
        }
        return filter
    }

    /// True when key `k` of protocol `p` may pass both ends' groups.
    func admits(_ f: KeyFilter, _ p: UInt8, key k: UInt16) -> Bool {
        if let ingress = f.ingress, !ingress.contains(k) { return false }
        guard let e = f.source else { return true }
        return !evaluateSecurityGroupRules(e.rules, vpc: e.vpc, ipProtocol: p, remote: e.remote, ports: PortSet(port: k)).passed.isEmpty
    }

    /// True when some key of `asked` may pass both ends' groups.
    func admitsSome(_ f: KeyFilter, _ p: UInt8, of asked: PortSet) -> Bool {
        var candidates = asked
        if let ingress = f.ingress {
            candidates = asked.intersection(ingress)
            if candidates.isEmpty { return false }
        }
        guard let e = f.source else { return true }
        return !evaluateSecurityGroupRules(e.rules, vpc: e.vpc, ipProtocol: p, remote: e.remote, ports: candidates).passed.isEmpty
    }

    /// The ICMP types (code 0) reachable from `s` to `d`. Types a walk cannot tell apart share one walk
    /// (``RuleVocabulary/icmpGroups``): a type that a rule names or that the walk itself singles out
    /// (``icmpTypesWithOwnBehaviour``) is walked alone; every other type is grouped with the others that have no
    /// reply, or with those whose reply is the same singled-out type, or with those whose reply is not singled out
    /// either. Rules match a named type or every type, so they treat a group's members alike, both ways; the walk
    /// reads the type only to find the reply and at the singled-out types. Between two plain IPv4 interfaces one
    /// exchange answers two groups: the types without a reply (the request arrives) and those whose reply nothing
    /// singles out (the reply comes back too).
    func icmpTypes(_ p: IPProtocol, from s: QueryEndpoint, to d: QueryEndpoint, traffic: QuestionTraffic,
                   vocabulary: RuleVocabulary, filter ends: KeyFilter?, fast: Bool = true) -> PortSet {
        let asked = traffic.ports ?? PortSet(PortRange(0, 255))
        // Types the ends' own groups stop are not walked (see ``KeyFilter``).
        let n = p.number ?? 1
        let filter = fast ? ends.map { keyFilter($0, ipProtocol: n) } : nil
        func walk(_ t: UInt16) -> Bool {
            if let filter, !admits(filter, n, key: t << 8) { return false }
            return reachable(from: s, to: d, TrafficSpec(ipProtocol: p, port: t), traffic, fast: fast)
        }
        var plain: (a: ResolvedEndpoint, b: ResolvedEndpoint)? = nil
        if fast, p == .icmp, case .endpoint(let a) = s, case .endpoint(let b) = d, isPlainInterfacePair(a, b) { plain = (a, b) }
        let groups = fast
            ? vocabulary.icmpGroups[RuleVocabulary.groupIndex(v6: p == .icmpv6, plain: plain != nil, oneWay: traffic.oneWay)]
            : vocabulary.referenceGroups[0]
        var both: (arrives: Bool, answered: Bool)? = nil
        if let plain, !traffic.oneWay, let rep = groups.first(where: { $0.key == ICMPTypeGroup.plainReply })?.representative,
           let src = address(of: plain.a, toward: plain.b, ipv6: false), let dst = address(of: plain.b, from: plain.a, ipv6: false) {
            if let filter, !admits(filter, n, key: rep << 8) {
                both = (false, false)
            } else {
                let (arrives, answered) = exchange(from: plain.a, to: plain.b, src, dst, ipProtocol: n, port: rep, sourcePort: 0)
                both = (arrives, answered ?? false)
            }
        }
        var out = PortSet.empty
        for g in groups {
            let types = g.members.intersection(asked)
            if types.isEmpty { continue }
            let works: Bool
            if let both, g.key == ICMPTypeGroup.noReply { works = both.arrives }
            else if let both, g.key == ICMPTypeGroup.plainReply { works = both.answered }
            else { works = walk(g.representative) }
            if works { out = out.union(types) }
        }
        return out
    }

    /// TCP or UDP: the destination ports reachable for every client port, and the partly reachable ones grouped
    /// by the client ports that work. One walk over the whole port set answers every port: routes never depend on
    /// ports, and SG and NACL rules match the destination port only, so the request's rules narrow the server
    /// ports and the reply's narrow the client ports, independently.
    func portGrants(_ p: IPProtocol, from s: QueryEndpoint, to d: QueryEndpoint, traffic: QuestionTraffic, filter ends: KeyFilter?,
                    fast: Bool = true) -> (PortGrant?, [PortGrant]) {
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
        // Nothing of the asked ports passes the ends' own groups: no walk (see ``KeyFilter``).
        if fast, let n = p.number, let ends, !admitsSome(keyFilter(ends, ipProtocol: n), n, of: asked) { return (nil, []) }
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
        case (.endpoint(let a), .endpoint(let b)) where fast && isPlainInterfacePair(a, b):
            if let (ports, working) = portWalk(spec, from: a, to: b, sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay) {
                let got = ports.intersection(asked)
                if !got.isEmpty {
                    if working == traffic.sourcePorts { allowed = allowed.union(got) }
                    else { partial[working, default: .empty] = partial[working, default: .empty].union(got) }
                }
            }
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

    /// True for two instance interfaces addressed by IPv4 with no interface endpoint involved: ``portWalk(_:from:to:sourcePorts:oneWay:)``
    /// answers them.
    func isPlainInterfacePair(_ a: ResolvedEndpoint, _ b: ResolvedEndpoint) -> Bool {
        guard case .interface(let i, let x) = a, case .interface(let j, let y) = b, x.family == .ipv4, y.family == .ipv4 else { return false }
        return interfaceHot[i.position].kind == 0 && interfaceHot[j.position].kind == 0 && !mayInvolveVPCEndpoint(a, b)
    }

    /// A TCP or UDP connection between two plain interfaces (``isPlainInterfacePair(_:_:)``) over every port of
    /// `traffic`, as ``reach(from:to:traffic:sourcePort:sourcePorts:oneWay:)-(ResolvedEndpoint,ResolvedEndpoint,_,_,_,_)``
    /// walks it but without recording hops: the destination ports delivered and the client ports that work (nil:
    /// unreachable). The same steps as `reach` (its DNS-resolver and endpoint cases do not arise: no single port,
    /// no endpoint), so the same answer: reachable when the working client ports are all of `sourcePorts`.
    func portWalk(_ traffic: TrafficSpec, from source: ResolvedEndpoint, to destination: ResolvedEndpoint, sourcePorts: PortSet,
                  oneWay: Bool) -> (ports: PortSet, working: PortSet)? {
        guard let srcAddress = address(of: source, toward: destination, ipv6: false),
              let dstAddress = address(of: destination, from: source, ipv6: false) else { return nil }
        var flow = queryPacket(traffic, from: srcAddress, to: dstAddress, sourcePorts: sourcePorts).flow
        var sink = ConnectionRecorder(recordsHops: false)
        var ctx = WalkContext(direction: .forward)
        ctx.recordVisited = true
        ctx.hostAddress = placedHostAddress(destination, dstAddress)
        ctx.onPremisesEdge = destination.onPremisesEdge
        let outcome = walk(&flow, from: startPosition(source), context: &ctx, sink: &sink)
        guard case .success(let delivered) = checkArrival(outcome, flow: flow, at: destination) else { return nil }
        if oneWay { return (delivered.destinationPorts, sourcePorts) }
        var reply = delivered.reply
        var rctx = WalkContext(replyAfter: ctx)
        rctx.hostAddress = placedHostAddress(source, srcAddress, asSource: true)
        rctx.onPremisesEdge = source.onPremisesEdge
        let replyOutcome = walk(&reply, from: replyStartPosition(destination), context: &rctx, sink: &sink)
        guard case .success(let back) = checkArrival(replyOutcome, flow: reply, at: source, reply: true) else { return nil }
        let working = back.destinationPorts.intersection(sourcePorts)
        return (delivered.destinationPorts, working)
    }

    /// Every party that can open a connection to `target`, with what gets through (parties with an empty answer
    /// left out), in ``questionParties(asSources:)`` order; the target itself is left out. One walk set per party
    /// class (Questions/Classes.swift), exactly ``connections(from:to:traffic:)`` for every party.
    public func whoCanReach(_ target: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        if let k = loadBalancerTarget(target) { return whoCanReachLoadBalancer(k, at: target, traffic: traffic) }
        return classAnswers(questionParties(asSources: true), other: target, partiesAreSources: true, traffic: traffic)
    }

    /// Every party `source` can open a connection to, with what gets through (the same, the other way).
    /// Load balancers come after the other parties (``reachableLoadBalancers(from:traffic:)``).
    public func reachableFrom(_ source: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        classAnswers(questionParties(asSources: false), other: source, partiesAreSources: false, traffic: traffic)
            + reachableLoadBalancers(from: source, traffic: traffic)
    }

    /// The reference for ``whoCanReach(_:traffic:)``: one ``connections(from:to:traffic:)`` per party.
    @_spi(Reference) public func whoCanReachByLoop(_ target: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        if let k = loadBalancerTarget(target) { return whoCanReachLoadBalancer(k, at: target, traffic: traffic) }
        let vocabulary = ruleVocabulary()
        return questionParties(asSources: true).compactMap { p in
            if p.endpoint == target { return nil }
            let g = connections(from: p.endpoint, to: target, traffic: traffic, vocabulary: vocabulary, fast: false)
            return g.isEmpty ? nil : (p, g)
        }
    }

    /// The reference for ``reachableFrom(_:traffic:)``: one ``connections(from:to:traffic:)`` per party.
    @_spi(Reference) public func reachableFromByLoop(_ source: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        let vocabulary = ruleVocabulary()
        return questionParties(asSources: false).compactMap { p in
            if p.endpoint == source { return nil }
            let g = connections(from: source, to: p.endpoint, traffic: traffic, vocabulary: vocabulary, fast: false)
            return g.isEmpty ? nil : (p, g)
        } + reachableLoadBalancers(from: source, traffic: traffic)
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
    @_spi(Reference) public func connectionTableByLoop(sources: [QuestionParty], destinations: [QuestionParty], traffic: QuestionTraffic) -> ConnectionTable {
        let vocabulary = ruleVocabulary()
        return ConnectionTable(rows: sources.map { s in
            destinations.enumerated().compactMap { j, d -> ConnectionTable.Entry? in
                if s.isSameParty(as: d) { return nil }
                let g = connections(from: s.endpoint, to: d.endpoint, traffic: traffic, vocabulary: vocabulary, fast: false)
                return g.isEmpty ? nil : ConnectionTable.Entry(destination: j, grants: g)
            }
        })
    }
}
