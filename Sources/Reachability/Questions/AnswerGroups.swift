import IPAddressing
import NetworkModel

// Grouping of `who-can-reach` / `reachable-from` answers for the text rendering (issue 19): parties that share an
// answer are said once, with how many they are. JSON lists every party (``QuestionReport/json(end:towardTarget:_:)``).

/// One line of a grouped `who-can-reach` / `reachable-from` answer: a subnet, a security-group set or one party,
/// with what gets through.
public struct AnswerGroup: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Every answering instance interface of the subnet gets the same grants (at least two answer).
        case subnet(String)
        /// The answering instance interfaces with exactly these security groups (names in the interface's
        /// order) that no subnet line covers get the same grants (at least two).
        case securityGroups([String])
        /// Of the interfaces left, those of one subnet with exactly these security groups (at least two) that get
        /// the same grants.
        case subnetAndSecurityGroups(subnet: String, securityGroups: [String])
        /// One party by itself: an interface whose answer no group shares, an interface endpoint, the internet
        /// or an on-premises network.
        case party
    }
    public var kind: Kind
    /// Indices into the answers grouped, ascending (one for ``Kind/party``).
    public var members: [Int]
    /// For a subnet or security-group set: how many instance interfaces of the question's parties it holds (the
    /// question's own end left out), so `members.count < total` when some of them get nothing; 1 for a party.
    public var total: Int
    /// What every member gets.
    public var grants: ConnectionGrants

    public init(kind: Kind, members: [Int], total: Int, grants: ConnectionGrants) {
        self.kind = kind
        self.members = members
        self.total = total
        self.grants = grants
    }
}

extension CompiledTopology {
    /// The answers of ``whoCanReach(_:traffic:)`` (`asSources`) or ``reachableFrom(_:traffic:)`` in lines: first the
    /// subnets whose answering instance interfaces (two or more) all get the same grants; of the interfaces left,
    /// the security-group sets whose members (two or more) all get the same grants; of those left, the (subnet,
    /// security-group set) pairs whose members (two or more) all get the same grants; then every other party alone
    /// (interface endpoints, the internet and on-premises networks always are). Lines come in the order of their
    /// first member in `answers`. `end` is the question's own end (left out of the totals).
    public func answerGroups(_ answers: [(party: QuestionParty, grants: ConnectionGrants)], end: QueryEndpoint) -> [AnswerGroup] {
        var endInterface: Int32? = nil
        if case .endpoint(.interface(let id, _)) = end { endInterface = id.index }
        // Totals: the instance interfaces of each subnet and of each security-group set.
        var subnetTotal: [Int32: Int] = [:]
        var groupsTotal: [[Int32]: Int] = [:]
        for (i, iface) in interfaces.enumerated() where iface.isInstance && Int32(i) != endInterface {
            subnetTotal[iface.subnet, default: 0] += 1
            groupsTotal[groupKey(iface), default: 0] += 1
        }
        func instanceInterface(_ a: (party: QuestionParty, grants: ConnectionGrants)) -> CompiledInterface? {
            guard a.party.kind == .interface, let id = a.party.interface, interfaces.indices.contains(id.position) else { return nil }
            let iface = interfaces[id.position]
            return iface.isInstance ? iface : nil
        }
        var bySubnet: [Int32: [Int]] = [:]
        for (i, a) in answers.enumerated() {
            if let iface = instanceInterface(a) { bySubnet[iface.subnet, default: []].append(i) }
        }
        var grouped = [Bool](repeating: false, count: answers.count)
        var out: [AnswerGroup] = []
        for (subnet, members) in bySubnet where members.count >= 2 {
            let g = answers[members[0]].grants
            guard members.allSatisfy({ answers[$0].grants == g }) else { continue }
            for m in members { grouped[m] = true }
            out.append(AnswerGroup(kind: .subnet(subnets[Int(subnet)].name), members: members,
                                   total: subnetTotal[subnet] ?? members.count, grants: g))
        }
        var byGroups: [[Int32]: [Int]] = [:]
        for (i, a) in answers.enumerated() where !grouped[i] {
            if let iface = instanceInterface(a), iface.securityGroupSet >= 0 { byGroups[groupKey(iface), default: []].append(i) }
        }
        for (key, members) in byGroups where members.count >= 2 {
            let g = answers[members[0]].grants
            guard members.allSatisfy({ answers[$0].grants == g }) else { continue }
            for m in members { grouped[m] = true }
            out.append(AnswerGroup(kind: .securityGroups(key.map { securityGroups[Int($0)].name }), members: members,
                                   total: groupsTotal[key] ?? members.count, grants: g))
        }
        var bySubnetAndGroups: [SubnetAndGroups: [Int]] = [:]
        for (i, a) in answers.enumerated() where !grouped[i] {
            if let iface = instanceInterface(a), iface.securityGroupSet >= 0 {
                bySubnetAndGroups[SubnetAndGroups(subnet: iface.subnet, groups: groupKey(iface)), default: []].append(i)
            }
        }
        var bothTotal: [SubnetAndGroups: Int] = [:]
        if bySubnetAndGroups.values.contains(where: { $0.count >= 2 }) {
            for (i, iface) in interfaces.enumerated() where iface.isInstance && Int32(i) != endInterface {
                bothTotal[SubnetAndGroups(subnet: iface.subnet, groups: groupKey(iface)), default: 0] += 1
            }
        }
        for (key, members) in bySubnetAndGroups where members.count >= 2 {
            let g = answers[members[0]].grants
            guard members.allSatisfy({ answers[$0].grants == g }) else { continue }
            for m in members { grouped[m] = true }
            out.append(AnswerGroup(kind: .subnetAndSecurityGroups(subnet: subnets[Int(key.subnet)].name,
                                                                  securityGroups: key.groups.map { securityGroups[Int($0)].name }),
                                   members: members, total: bothTotal[key] ?? members.count, grants: g))
        }
        for (i, a) in answers.enumerated() where !grouped[i] {
            out.append(AnswerGroup(kind: .party, members: [i], total: 1, grants: a.grants))
        }
        return out.sorted { $0.members[0] < $1.members[0] }
    }

    private struct SubnetAndGroups: Hashable {
        var subnet: Int32
        var groups: [Int32]
    }

    /// The security groups of an interface, as the key of its security-group set (empty without groups).
    private func groupKey(_ iface: CompiledInterface) -> [Int32] {
        iface.securityGroupSet < 0 ? [] : securityGroupSets[Int(iface.securityGroupSet)].groups
    }
}

extension ConnectionGrants {
    /// What a question's `--why` shows the path of: the first allowed grant's protocol and first port (ICMP:
    /// type), else the first partial grant's, else (nothing gets through) the protocol asked about (TCP when every
    /// protocol is) on its first port asked about, where the walk shows the step that blocks.
    public func whyTraffic(asked: QuestionTraffic) -> TrafficSpec {
        func spec(_ g: PortGrant) -> TrafficSpec {
            let p = g.ipProtocol
            return TrafficSpec(ipProtocol: p, port: p.hasPorts || p.isICMP ? g.ports.min : nil)
        }
        if let g = allowed.first { return spec(g) }
        if let g = partial.first { return spec(g) }
        let p = asked.ipProtocol ?? .tcp
        return TrafficSpec(ipProtocol: p, port: p.hasPorts || p.isICMP ? asked.ports?.min : nil)
    }
}
