import IPAddressing
import NetworkModel

// `vpckit diff` (issue 19): the connections a new version of a topology opens and closes compared to an old one.
// Parties of both versions are matched by (kind, name); every source × destination pair over both is compared
// with ``CompiledTopology/connections(from:to:traffic:)``'s answers. Only pairs that a change can affect are
// asked about (``DiffScope``); anything whose effect is not local falls back to every pair.

/// One end of a diff entry, as named in the version where the connection exists.
public struct DiffParty: Hashable, Sendable, Comparable {
    public var name: String
    /// The AWS id when known (see ``QuestionParty/awsID``).
    public var id: String?
    public var kind: QuestionParty.Kind
    public init(name: String, id: String?, kind: QuestionParty.Kind) {
        self.name = name
        self.id = id
        self.kind = kind
    }
    init(_ p: QuestionParty) { self.init(name: p.name, id: p.awsID, kind: p.kind) }
    /// The key parties of two versions are matched by.
    var key: DiffPartyKey { DiffPartyKey(kind: kind, name: name) }
    public static func < (a: DiffParty, b: DiffParty) -> Bool { a.key < b.key }
}

/// (kind, name): how a party of OLD is matched with one of NEW.
struct DiffPartyKey: Hashable, Sendable, Comparable {
    var kind: QuestionParty.Kind
    var name: String
    /// Interfaces, then endpoints, the internet and on-premises networks; by name within a kind.
    static func < (a: DiffPartyKey, b: DiffPartyKey) -> Bool {
        func rank(_ k: QuestionParty.Kind) -> Int {
            switch k { case .interface: 0; case .vpcEndpoint: 1; case .loadBalancer: 2; case .internet: 3; case .onprem: 4 }
        }
        return (rank(a.kind), a.name) < (rank(b.kind), b.name)
    }
}

/// One group of changed connections: every source × destination of the entry gains (``ConnectionDiff/opened``)
/// or loses (``ConnectionDiff/closed``) exactly ``grant``.
public struct DiffEntry: Hashable, Sendable {
    public var sources: [DiffParty]
    public var destinations: [DiffParty]
    /// The protocol and ports (ICMP: types) gained or lost. `.all` stands for the `all` grant (every protocol,
    /// including those other than TCP, UDP and ICMP) gained or lost as a whole. In a closed entry,
    /// ``PortGrant/clientPorts`` is set when the connection became partly reachable: the client ports that still
    /// work.
    public var grant: PortGrant
    public init(sources: [DiffParty], destinations: [DiffParty], grant: PortGrant) {
        self.sources = sources
        self.destinations = destinations
        self.grant = grant
    }
    /// The number of (source, destination) pairs.
    public var pairCount: Int { sources.count * destinations.count }
}

/// The policy violations NEW introduces and fixes, by ``PolicyViolation/key`` (`NAME: SOURCE -> DESTINATION
/// PROTOCOL`); empty when neither version has policies.
public struct DiffPolicyChanges: Hashable, Sendable {
    public var introduced: [String] = []
    public var fixed: [String] = []
    public init(introduced: [String] = [], fixed: [String] = []) {
        self.introduced = introduced
        self.fixed = fixed
    }
    public var isEmpty: Bool { introduced.isEmpty && fixed.isEmpty }
}

/// Which pairs a diff asked about.
public struct DiffScope: Sendable {
    /// nil: only the pairs with an end in ``affectedSources`` / ``affectedDestinations``; else why every pair was
    /// compared (`"transit gateways differ"`).
    public var fullReason: String?
    /// Parties whose connections as a source (destination) a change can affect, by (kind, name).
    var affectedSources: Set<DiffPartyKey> = []
    var affectedDestinations: Set<DiffPartyKey> = []
    /// Rectangles of pairs (these sources × these destinations) a change can affect, besides the above.
    var rectangles: [(sources: Set<DiffPartyKey>, destinations: Set<DiffPartyKey>)] = []
    /// The number of parties asked about as sources and as destinations (restricted scope).
    public var affectedSourceCount: Int { affectedSources.count }
    public var affectedDestinationCount: Int { affectedDestinations.count }
    public var isFull: Bool { fullReason != nil }
    /// The (source, destination) pairs asked about, over both versions.
    public var askedPairs = 0
    static func full(_ reason: String) -> DiffScope { DiffScope(fullReason: reason) }
}

/// What NEW opens and closes compared to OLD.
public struct ConnectionDiff: Sendable {
    /// Connections reachable (for every client port) in NEW and not in OLD.
    public var opened: [DiffEntry] = []
    /// Connections reachable in OLD and not (or only partly) in NEW.
    public var closed: [DiffEntry] = []
    /// Policy violations NEW introduces and fixes.
    public var policy = DiffPolicyChanges()
    /// The pairs compared.
    public var scope = DiffScope(fullReason: nil)
    public init(opened: [DiffEntry] = [], closed: [DiffEntry] = []) {
        self.opened = opened
        self.closed = closed
    }
    /// True when no connection changed (policy changes aside).
    public var isEmpty: Bool { opened.isEmpty && closed.isEmpty }

    /// How pairs are chosen.
    public enum Mode: Sendable {
        /// Only the pairs a change can affect (``DiffScope``), every pair when a change is not local.
        case restricted
        /// Every source × destination pair of both versions (the reference).
        case full
    }

    /// The connections `new` opens and closes compared to `old`, for `traffic`.
    public static func compare(old: CompiledTopology, new: CompiledTopology, traffic: QuestionTraffic,
                               mode: Mode = .restricted) -> ConnectionDiff {
        compare(old: old, new: new, traffic: traffic, mode: mode, byLoop: false)
    }

    /// `byLoop`: every answer by ``CompiledTopology/connectionTableByLoop(sources:destinations:traffic:)`` (one
    /// ``CompiledTopology/connections(from:to:traffic:)`` per pair: the reference the tests compare with).
    static func compare(old: CompiledTopology, new: CompiledTopology, traffic: QuestionTraffic, mode: Mode, byLoop: Bool) -> ConnectionDiff {
        let scope = mode == .full ? DiffScope.full("asked for every pair") : DiffScope.of(old: old, new: new)
        var pairs = PairGrants()
        var asked = 0
        for (side, c) in [old, new].enumerated() {
            let sources = c.questionParties(asSources: true)
            let destinations = c.questionParties(asSources: false)
            func table(_ s: [QuestionParty], _ d: [QuestionParty]) {
                if s.isEmpty || d.isEmpty { return }
                asked += s.count * d.count
                let t = byLoop ? c.connectionTableByLoop(sources: s, destinations: d, traffic: traffic)
                    : c.connectionTable(sources: s, destinations: d, traffic: traffic)
                // The pair's ICMP, as `connections` asks it: ICMPv6 when an end is IPv6, else ICMP.
                let v6s = s.map { c.isIPv6($0.endpoint) }, v6d = d.map { c.isIPv6($0.endpoint) }
                for (i, row) in t.rows.enumerated() {
                    for e in row {
                        pairs.set(side, DiffParty(s[i]), DiffParty(d[e.destination]), e.grants,
                                  icmp: v6s[i] || v6d[e.destination] ? .icmpv6 : .icmp)
                    }
                }
            }
            if scope.isFull {
                table(sources, destinations)
            } else {
                // The affected sources toward every destination, every source toward the affected destinations:
                // one class walk serves every member of a class (connectionTable).
                // Each party's key once (filtering 100,000 parties per rectangle by a fresh key was most of a
                // narrow diff's time beyond loading).
                let sourceKeys = sources.map { DiffPartyKey(kind: $0.kind, name: $0.name) }
                let destinationKeys = destinations.map { DiffPartyKey(kind: $0.kind, name: $0.name) }
                func pick(_ parties: [QuestionParty], _ keys: [DiffPartyKey], _ wanted: Set<DiffPartyKey>) -> [QuestionParty] {
                    if wanted.isEmpty { return [] }
                    return parties.indices.filter { wanted.contains(keys[$0]) }.map { parties[$0] }
                }
                table(pick(sources, sourceKeys, scope.affectedSources), destinations)
                table(sources, pick(destinations, destinationKeys, scope.affectedDestinations))
                for r in scope.rectangles {
                    table(pick(sources, sourceKeys, r.sources), pick(destinations, destinationKeys, r.destinations))
                }
            }
        }
        var diff = pairs.diff()
        diff.scope = scope
        diff.scope.askedPairs = asked
        diff.policy = policyChanges(old: old, new: new)
        return diff
    }

    /// The policy violations (each version evaluating its own policies, by ``PolicyViolation/key``) that NEW has
    /// and OLD has not (introduced) and the other way (fixed), in each version's order.
    static func policyChanges(old: CompiledTopology, new: CompiledTopology) -> DiffPolicyChanges {
        if old.topology.policies.isEmpty && new.topology.policies.isEmpty { return DiffPolicyChanges() }
        func keys(_ c: CompiledTopology) -> [String] {
            var seen: Set<String> = []
            return c.policyViolations().map(\.key).filter { seen.insert($0).inserted }
        }
        let a = keys(old), b = keys(new)
        let sa = Set(a), sb = Set(b)
        return DiffPolicyChanges(introduced: b.filter { !sa.contains($0) }, fixed: a.filter { !sb.contains($0) })
    }
}

/// Each pair's grants in OLD (side 0) and NEW (side 1), and the parties as each version names them.
struct PairGrants {
    struct Pair: Hashable { var source: DiffPartyKey; var destination: DiffPartyKey }
    /// One side's answer for a pair: its grants and the ICMP protocol of the pair's family in that version
    /// (`.icmpv6` when an end is IPv6: what an `all` grant covers besides TCP and UDP).
    struct Side {
        var grants: ConnectionGrants
        var icmp: IPProtocol
    }
    var grants: [Pair: (Side?, Side?)] = [:]
    /// The parties of each side, by key (ids come from the version where the connection exists).
    var parties: [[DiffPartyKey: DiffParty]] = [[:], [:]]

    /// Records what `s` gets to `d` in version `side`; `icmp` is the pair's ICMP there (``Side/icmp``).
    mutating func set(_ side: Int, _ s: DiffParty, _ d: DiffParty, _ g: ConnectionGrants, icmp: IPProtocol) {
        let key = Pair(source: s.key, destination: d.key)
        parties[side][s.key] = s
        parties[side][d.key] = d
        var both = grants[key] ?? (nil, nil)
        if side == 0 { both.0 = Side(grants: g, icmp: icmp) } else { both.1 = Side(grants: g, icmp: icmp) }
        grants[key] = both
    }

    /// The grants of one protocol as a port set (`.all` expanded over TCP, UDP and `icmp` — the ICMP of the
    /// pair's family, every type —, and kept as its own `.all` entry for the protocols beyond them).
    static func byProtocol(_ g: ConnectionGrants, icmp: IPProtocol) -> [IPProtocol: PortSet] {
        var out: [IPProtocol: PortSet] = [:]
        for a in g.allowed {
            if a.ipProtocol == .all {
                out[.all] = .all
                out[.tcp] = PortSet(PortRange(1, 65535))
                out[.udp] = PortSet(PortRange(1, 65535))
                out[icmp] = PortSet(PortRange(0, 255))
            } else {
                out[a.ipProtocol] = (out[a.ipProtocol] ?? .empty).union(a.ports)
            }
        }
        return out
    }

    /// Grouped opened and closed entries.
    func diff() -> ConnectionDiff {
        // Per grant: source → destinations.
        var opened: [PortGrant: [DiffPartyKey: Set<DiffPartyKey>]] = [:]
        var closed: [PortGrant: [DiffPartyKey: Set<DiffPartyKey>]] = [:]
        for (pair, both) in grants {
            let g0 = both.0?.grants ?? ConnectionGrants(), g1 = both.1?.grants ?? ConnectionGrants()
            if g0.allowed == g1.allowed { continue }
            // An `all` grant covers the ICMP of the pair's family in its own version (IPv6 pairs ICMPv6, IPv4
            // pairs ICMP): what `connections` asked there. A party absent from a version grants nothing there.
            let a0 = PairGrants.byProtocol(g0, icmp: both.0?.icmp ?? .icmp), a1 = PairGrants.byProtocol(g1, icmp: both.1?.icmp ?? .icmp)
            for p in Set(a0.keys).union(a1.keys) {
                let old = a0[p] ?? .empty, new = a1[p] ?? .empty
                let gained = new.subtracting(old)
                if !gained.isEmpty {
                    opened[PortGrant(ipProtocol: p, ports: gained), default: [:]][pair.source, default: []].insert(pair.destination)
                }
                var lost = old.subtracting(new)
                if lost.isEmpty { continue }
                // Partly reachable in NEW: closed, with the client ports that still work.
                for part in g1.partial where part.ipProtocol == p {
                    let still = lost.intersection(part.ports)
                    if still.isEmpty { continue }
                    closed[PortGrant(ipProtocol: p, ports: still, clientPorts: part.clientPorts), default: [:]][pair.source, default: []].insert(pair.destination)
                    lost = lost.subtracting(still)
                }
                if !lost.isEmpty {
                    closed[PortGrant(ipProtocol: p, ports: lost), default: [:]][pair.source, default: []].insert(pair.destination)
                }
            }
        }
        return ConnectionDiff(opened: entries(opened, side: 1), closed: entries(closed, side: 0))
    }

    /// Groups sources with identical destination sets, per grant; deterministic order (protocol, ports, client
    /// ports, then the first source).
    func entries(_ byGrant: [PortGrant: [DiffPartyKey: Set<DiffPartyKey>]], side: Int) -> [DiffEntry] {
        func party(_ k: DiffPartyKey) -> DiffParty {
            parties[side][k] ?? parties[1 - side][k] ?? DiffParty(name: k.name, id: nil, kind: k.kind)
        }
        var out: [DiffEntry] = []
        for (grant, rows) in byGrant {
            var groups: [[DiffPartyKey]: [DiffPartyKey]] = [:]
            for (s, ds) in rows { groups[ds.sorted(), default: []].append(s) }
            for (ds, ss) in groups {
                out.append(DiffEntry(sources: ss.sorted().map(party), destinations: ds.map(party), grant: grant))
            }
        }
        return out.sorted(by: PairGrants.entryOrder)
    }

    static func protocolRank(_ p: IPProtocol) -> Int {
        switch p {
        case .tcp: 0
        case .udp: 1
        case .icmp: 2
        case .icmpv6: 3
        case .all: 1000
        default: 4 + Int(p.number ?? 0)
        }
    }

    static func entryOrder(_ a: DiffEntry, _ b: DiffEntry) -> Bool {
        let ka = (protocolRank(a.grant.ipProtocol), a.grant.ports.ranges.map { [$0.lower, $0.upper] }.flatMap { $0 },
                  a.grant.clientPorts.map { $0.ranges.flatMap { [$0.lower, $0.upper] } } ?? [])
        let kb = (protocolRank(b.grant.ipProtocol), b.grant.ports.ranges.map { [$0.lower, $0.upper] }.flatMap { $0 },
                  b.grant.clientPorts.map { $0.ranges.flatMap { [$0.lower, $0.upper] } } ?? [])
        if ka.0 != kb.0 { return ka.0 < kb.0 }
        if ka.1 != kb.1 { return ka.1.lexicographicallyPrecedes(kb.1) }
        if ka.2 != kb.2 { return ka.2.lexicographicallyPrecedes(kb.2) }
        let sa = a.sources.map(\.key), sb = b.sources.map(\.key)
        if sa != sb { return sa.lexicographicallyPrecedes(sb) }
        return a.destinations.map(\.key).lexicographicallyPrecedes(b.destinations.map(\.key))
    }
}
