import IPAddressing
import NetworkModel
import Reporting

// Policies (Docs/DSL.md "Policies"): the user's intent over endpoint sets, evaluated on the questions'
// connections (``CompiledTopology/whoCanReach(_:traffic:)``, ``CompiledTopology/reachableFrom(_:traffic:)``,
// ``CompiledTopology/connections(from:to:traffic:)``), so a violation is exactly what `reach` says.

/// One pair (and protocol) that breaks a policy, with its witness: the `reach` question for one port of it and the
/// state `reach` answers. The witness's path is traced on demand (``CompiledTopology/witnessVerdict(for:)``): a
/// policy may have many violations, and only those a report prints need one.
public struct PolicyViolation: Hashable, Sendable {
    public var policy: Policy
    public var source: QuestionParty
    public var destination: QuestionParty
    /// The protocol of the violation (`.all` when every protocol gets through, for `deny`/`only`; for `require`
    /// a protocol number that does not).
    public var ipProtocol: IPProtocol
    /// TCP/UDP ports (ICMP: types) that violate: for `deny`/`only` what gets through (fully or partly), for
    /// `require` what does not get through for every client port. nil for `.all` and numbered protocols.
    public var ports: PortSet?
    /// True when, for `deny`/`only`, the ports get through for some client ports only (none fully); for
    /// `require`, when the witness works for some client ports.
    public var partly: Bool
    /// The witness: the traffic `reach` is asked (the lowest violating port or type, with the policy's client ports
    /// and direction: ``Policy/questionTraffic``).
    public var witness: TrafficSpec
    /// What `reach` answers for the witness, known from the evaluation without a walk: reachable or partly
    /// reachable for `deny`/`only` (partly when no port of the protocol gets through fully), unreachable or partly
    /// reachable for `require`. ``CompiledTopology/witnessVerdict(for:)`` gives the verdict with its path.
    public var witnessState: ReachabilityState

    /// Stable identity across versions of a topology (for diffs): `NAME: SOURCE -> DESTINATION PROTOCOL`; a pair
    /// that violates on other ports of the same protocol is the same violation.
    public var key: String {
        "\(policy.name): \(source.name) -> \(destination.name) \(PolicyViolation.protocolField(ipProtocol))"
    }

    /// The JSON protocol field: `tcp`, `udp`, `icmp`, `icmpv6`, `all`, or the number as a string.
    public static func protocolField(_ p: IPProtocol) -> String {
        p == .all ? "all" : p.hasPorts || p.isICMP ? p.description : String(p.number ?? 0)
    }

    /// `tcp/22,80`, `icmp/8`, `all`, `proto 47`: what violates.
    public var trafficText: String {
        let base = ipProtocol == .all ? "all" : ipProtocol.hasPorts || ipProtocol.isICMP ? ipProtocol.description : "proto \(ipProtocol.nameOrNumber)"
        guard let ports else { return base }
        return "\(base)/\(PortGrant.text(ports))"
    }

    /// `app-1 -> db-1 tcp/5432 (partly)`: one line, names escaped.
    public var summary: String {
        "\(Diagnostic.escaped(source.name)) -> \(Diagnostic.escaped(destination.name)) \(trafficText)\(partly ? " (partly: some client ports)" : "")"
    }

    /// `{"policy", "kind", "source", "sourceId", "sourceKind", "destination", …, "protocol", "ports"?, "partly",
    /// "key", "witness": {"traffic", "state"}}`.
    public var json: JSONValue {
        var m: [(String, JSONValue)] = [
            ("policy", .string(policy.name)), ("kind", .string(policy.kind.rawValue)),
            ("source", .string(source.name)), ("sourceId", source.awsID.map { .string($0) } ?? .null), ("sourceKind", .string(source.kind.rawValue)),
            ("destination", .string(destination.name)), ("destinationId", destination.awsID.map { .string($0) } ?? .null),
            ("destinationKind", .string(destination.kind.rawValue)),
            ("protocol", .string(PolicyViolation.protocolField(ipProtocol))),
        ]
        if let ports { m.append(("ports", .string(PortGrant.text(ports)))) }
        m.append(("partly", .bool(partly)))
        m.append(("key", .string(key)))
        m.append(("witness", .object([("traffic", .string(witness.description)), ("state", .string(witnessState.description))])))
        return .object(m)
    }
}

/// A policy and its violations (empty: it holds).
public struct PolicyResult: Hashable, Sendable {
    public var policy: Policy
    public var violations: [PolicyViolation]
    /// How many sources and destinations its sets matched.
    public var sourceCount: Int
    public var destinationCount: Int
    public var holds: Bool { violations.isEmpty }
}

extension Policy {
    /// The traffic as the questions take it.
    public var questionTraffic: QuestionTraffic {
        QuestionTraffic(ipProtocol: traffic.ipProtocol, ports: traffic.ports.map { PortSet(ranges: $0) })
    }
}

extension EndpointSet {
    /// True when party `p` (with its membership `m`) belongs to the set. A plain instance name stands for every
    /// interface of the instance, an interface endpoint's name for each of its ENIs (`NAME@SUBNET`).
    public func contains(_ p: QuestionParty, _ m: PartyMembership) -> Bool {
        switch selector {
        case .internet: p.kind == .internet
        case .onPremises(nil): p.kind == .onprem
        case .onPremises(let n?): p.kind == .onprem && p.name == "onprem:\(n)"
        case .vpc(let n): p.interface != nil && m.vpc == n
        case .subnet(let n): p.interface != nil && m.subnet == n
        case .securityGroup(let n): p.interface != nil && m.securityGroups.contains(n)
        case .tag(let k, let v): m.tags.value(of: k) == v
        case .namePattern(let pattern): EndpointSet.matches(p.name, pattern: pattern)
        case .party(let n): p.name == n || m.instance == n || (p.kind == .vpcEndpoint && p.name.hasPrefix(n + "@"))
        }
    }
}

extension CompiledTopology {
    /// Every violation of `policies` (default: the topology's), policy by policy, then by source and
    /// destination in ``questionParties(asSources:)`` order.
    public func policyViolations(_ policies: [Policy]? = nil) -> [PolicyViolation] {
        policyResults(policies).flatMap(\.violations)
    }

    /// Each policy with its violations, in the order given (default: the topology's policies).
    public func policyResults(_ policies: [Policy]? = nil) -> [PolicyResult] {
        let list = policies ?? topology.policies
        guard !list.isEmpty else { return [] }
        let sources = questionParties(asSources: true), destinations = questionParties(asSources: false)
        let sourceMembers = memberships(sources), destinationMembers = memberships(destinations)
        var sourceRank: [QuestionParty: Int] = [:], destinationRank: [QuestionParty: Int] = [:]
        for (i, p) in sources.enumerated() { sourceRank[p] = i }
        for (j, p) in destinations.enumerated() { destinationRank[p] = j }
        return list.map { policy in
            let a = sources.indices.filter { i in policy.sources.contains { $0.contains(sources[i], sourceMembers[i]) } }
            let b = destinations.indices.filter { j in policy.destinations.contains { $0.contains(destinations[j], destinationMembers[j]) } }
            let found: [PolicyViolation]
            switch policy.kind {
            case .deny: found = denyViolations(policy, a.map { sources[$0] }, b.map { destinations[$0] })
            case .only:
                found = onlyViolations(policy, Set(a.map { sources[$0] }), b.map { destinations[$0] })
            case .require: found = requireViolations(policy, a.map { sources[$0] }, b.map { destinations[$0] })
            }
            // One order whatever the strategy: sources, then destinations, as the parties are listed.
            let sorted = found.enumerated().sorted { x, y in
                let l = (sourceRank[x.element.source] ?? Int.max, destinationRank[x.element.destination] ?? Int.max, x.offset)
                let r = (sourceRank[y.element.source] ?? Int.max, destinationRank[y.element.destination] ?? Int.max, y.offset)
                return l < r
            }.map(\.element)
            return PolicyResult(policy: policy, violations: sorted, sourceCount: a.count, destinationCount: b.count)
        }
    }

    /// `deny`: whatever gets through, fully or partly. One question per member of the smaller side.
    func denyViolations(_ policy: Policy, _ a: [QuestionParty], _ b: [QuestionParty]) -> [PolicyViolation] {
        let traffic = policy.questionTraffic
        var out: [PolicyViolation] = []
        if a.count <= b.count {
            let wanted = Set(b)
            for s in a {
                for (d, grants) in reachableFrom(s.endpoint, traffic: traffic) where wanted.contains(d) && !s.isSameParty(as: d) {
                    out += grantViolations(policy, s, d, grants)
                }
            }
        } else {
            let wanted = Set(a)
            for d in b {
                for (s, grants) in whoCanReach(d.endpoint, traffic: traffic) where wanted.contains(s) && !s.isSameParty(as: d) {
                    out += grantViolations(policy, s, d, grants)
                }
            }
        }
        return out
    }

    /// `only`: every party outside the sources that reaches a destination.
    func onlyViolations(_ policy: Policy, _ a: Set<QuestionParty>, _ b: [QuestionParty]) -> [PolicyViolation] {
        let traffic = policy.questionTraffic
        var out: [PolicyViolation] = []
        for d in b {
            for (s, grants) in whoCanReach(d.endpoint, traffic: traffic) where !a.contains(s) && !s.isSameParty(as: d) {
                out += grantViolations(policy, s, d, grants)
            }
        }
        return out
    }

    /// One violation per protocol of `grants` (fully reachable ports first: the partly reachable ones of a
    /// protocol with fully reachable ports are listed with them).
    func grantViolations(_ policy: Policy, _ s: QuestionParty, _ d: QuestionParty, _ grants: ConnectionGrants) -> [PolicyViolation] {
        var byProtocol: [(IPProtocol, PortSet, Bool)] = []
        for g in grants.allowed { byProtocol.append((g.ipProtocol, g.ports, false)) }
        for g in grants.partial {
            if let i = byProtocol.firstIndex(where: { $0.0 == g.ipProtocol }) {
                byProtocol[i].1 = byProtocol[i].1.union(g.ports)
            } else {
                byProtocol.append((g.ipProtocol, g.ports, true))
            }
        }
        return byProtocol.map { p, ports, partly in
            // The witness: a fully reachable port when there is one, else a partly reachable one.
            let fully = grants.allowed.first { $0.ipProtocol == p }?.ports
            let port = (p.hasPorts || p.isICMP) ? (fully ?? ports).min : nil
            let spec = TrafficSpec(ipProtocol: p, port: port)
            // The grants are `reach`'s verdicts: a fully reachable port is reachable, a partly reachable one partly.
            return violation(policy, s, d, p, (p.hasPorts || p.isICMP) ? ports : nil, partly, spec, fully == nil ? .partlyReachable : .reachable)
        }
    }

    func violation(_ policy: Policy, _ s: QuestionParty, _ d: QuestionParty, _ p: IPProtocol, _ ports: PortSet?, _ partly: Bool,
                   _ spec: TrafficSpec, _ state: ReachabilityState) -> PolicyViolation {
        PolicyViolation(policy: policy, source: s, destination: d, ipProtocol: p, ports: ports, partly: partly,
                        witness: spec, witnessState: state)
    }

    /// The witness of `violation` with its path: `reach` for ``PolicyViolation/witness`` between its parties, with
    /// the policy's client ports and direction; its state is ``PolicyViolation/witnessState``. nil only when a
    /// party does not resolve in this topology (a violation of another version of it).
    public func witnessVerdict(for violation: PolicyViolation) -> Verdict? {
        let traffic = violation.policy.questionTraffic
        return try? reach(from: violation.source.endpoint, to: violation.destination.endpoint, traffic: violation.witness,
                          sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay).get()
    }

    /// `require`: every port of the traffic fully reachable from each source to each destination.
    func requireViolations(_ policy: Policy, _ a: [QuestionParty], _ b: [QuestionParty]) -> [PolicyViolation] {
        let traffic = policy.questionTraffic
        let vocabulary = ruleVocabulary()
        var out: [PolicyViolation] = []
        for s in a {
            for d in b where !s.isSameParty(as: d) {
                let grants = connections(from: s.endpoint, to: d.endpoint, traffic: traffic, vocabulary: vocabulary)
                if grants.allowed.contains(where: { $0.ipProtocol == .all }) { continue }
                let v6 = isIPv6(s.endpoint) || isIPv6(d.endpoint)
                let protocols: [IPProtocol] = traffic.ipProtocol.map { [$0] } ?? [.tcp, .udp, v6 ? .icmpv6 : .icmp]
                var found: [PolicyViolation] = []
                for p in protocols {
                    let have = grants.allowed.first { $0.ipProtocol == p }?.ports ?? .empty
                    if p.hasPorts || p.isICMP {
                        let asked = traffic.ports ?? (p.hasPorts ? PortSet(PortRange(1, 65535)) : PortSet(PortRange(0, 255)))
                        let missing = asked.subtracting(have)
                        guard let port = missing.min else { continue }
                        let partly = grants.partial.contains { $0.ipProtocol == p && $0.ports.contains(port) }
                        found.append(violation(policy, s, d, p, missing, partly, TrafficSpec(ipProtocol: p, port: port),
                                               partly ? .partlyReachable : .unreachable))
                    } else if have.isEmpty {
                        found.append(violation(policy, s, d, p, nil, false, TrafficSpec(ipProtocol: p), .unreachable))
                    }
                }
                if found.isEmpty && traffic.ipProtocol == nil {
                    // TCP, UDP and ICMP get through whole, another protocol does not: name the first that fails.
                    let named = vocabulary.protocolNumbers.subtracting([IPProtocol.tcpNumber, IPProtocol.udpNumber, IPProtocol.icmpNumber, IPProtocol.icmpv6Number])
                    let spare = (UInt8(2)...UInt8(254)).first { !vocabulary.protocolNumbers.contains($0) && ![IPProtocol.tcpNumber, IPProtocol.udpNumber, IPProtocol.icmpv6Number].contains($0) }
                    let failing = (named.sorted() + (spare.map { [$0] } ?? [])).first {
                        !reachable(from: s.endpoint, to: d.endpoint, TrafficSpec(ipProtocol: .number($0)), traffic)
                    }
                    // None fails: every protocol gets through (the grants spell it per protocol), the pair holds.
                    if let failing {
                        found.append(violation(policy, s, d, .number(failing), nil, false, TrafficSpec(ipProtocol: .number(failing)), .unreachable))
                    }
                }
                out += found
            }
        }
        return out
    }
}
