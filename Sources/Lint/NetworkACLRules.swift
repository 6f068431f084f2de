import IPAddressing
import NetworkModel

/// Network ACL rules: world-open admin ports, exact shadowing, and replies blocked on ephemeral ports.
enum NetworkACLRules {
    static func run(_ context: inout LintContext) {
        for (v, vpc) in context.topology.vpcs.enumerated() {
            for acl in vpc.networkACLs {
                worldOpen(acl, &context)
                shadowing(acl, inbound: true, &context)
                shadowing(acl, inbound: false, &context)
            }
            if context.wants(LintCatalogue.naclBlocksEphemeralReplies) { ephemeralReplies(vpc: v, &context) }
        }
    }

    static func place(_ rule: NetworkACLRule, in acl: NetworkACL) -> SourceLocation {
        rule.location.isKnown ? rule.location : acl.location
    }

    static func describe(_ rule: NetworkACLRule, inbound: Bool) -> String {
        let ports = rule.ports.map { rule.ipProtocol.hasPorts ? " \($0)" : "" } ?? ""
        return "\(inbound ? "inbound" : "outbound") \(rule.number) \(rule.action) \(rule.ipProtocol)\(ports) \(inbound ? "from" : "to") \(rule.cidr)"
    }

    // MARK: SSH / RDP from the world

    static func worldOpen(_ acl: NetworkACL, _ context: inout LintContext) {
        for (port, rule) in [(UInt16(22), LintCatalogue.naclSSHOpenWorld), (3389, LintCatalogue.naclRDPOpenWorld)] {
            guard context.wants(rule) else { continue }
            for family in [IPFamily.ipv4, .ipv6] {
                let world: ClosedRange<UInt128> = family == .ipv4 ? 0...UInt128(UInt32.max) : 0...UInt128.max
                let region = PacketBox(protocols: 6...6, ports: Int(port)...Int(port), family: family, addresses: world)
                let decision = ACLEvaluation.decide(acl.inbound, over: region)
                var seen = Set<Int>()
                for (_, allowing) in decision.allowed where allowing.cidr.length == 0 && !isReplyRule(allowing)
                    && seen.insert(allowing.number).inserted {
                    context.report(rule, at: place(allowing, in: acl),
                                   "network ACL '\(acl.name)' rule \(allowing.number) allows tcp/\(port) in from \(allowing.cidr)")
                }
            }
        }
    }

    /// The stateless reply rule AWS recommends (`allow tcp 1024-65535`, or any range from 1024 up that
    /// covers Linux's 32768-60999) opens 3389 by construction; the security group guards that port, so the
    /// rule is not reported.
    static func isReplyRule(_ rule: NetworkACLRule) -> Bool {
        guard rule.ipProtocol == .tcp, let ports = rule.ports else { return false }
        return ports.lower >= 1024 && ports.lower <= 32768 && ports.upper >= 60999
    }

    // MARK: Shadowing

    /// Reports each rule whose every packet an earlier rule decides. Exact: the rule's packet box minus the
    /// union of the earlier rules' boxes is computed as disjoint boxes.
    static func shadowing(_ acl: NetworkACL, inbound: Bool, _ context: inout LintContext) {
        let rules = ACLEvaluation.ordered(inbound ? acl.inbound : acl.outbound)
        for (j, rule) in rules.enumerated() where j > 0 {
            let decision = ACLEvaluation.decide(Array(rules[..<j]), over: PacketBox(rule: rule))
            if decision.denied.contains(where: { $0.rule == nil }) { continue }   // some packets reach this rule
            var deciders: [NetworkACLRule] = []
            for rule in decision.allowed.map(\.rule) + decision.denied.compactMap(\.rule) where !deciders.contains(rule) {
                deciders.append(rule)
            }
            deciders.sort { $0.number < $1.number }
            let numbers = deciders.map { String($0.number) }.joined(separator: ", ")
            let related = deciders.map { (place($0, in: acl), "decided first by: \(describe($0, inbound: inbound))") }
            let what = describe(rule, inbound: inbound)
            if deciders.allSatisfy({ $0.action == rule.action }) {
                context.report(LintCatalogue.naclRuleRedundant, at: place(rule, in: acl),
                               "network ACL '\(acl.name)' rule '\(what)' is redundant: rule\(deciders.count == 1 ? "" : "s") \(numbers) already \(rule.action) all its traffic",
                               related: related)
            } else {
                let opposite = deciders.filter { $0.action != rule.action }.map { String($0.number) }.joined(separator: ", ")
                context.report(LintCatalogue.naclRuleShadowed, at: place(rule, in: acl),
                               "network ACL '\(acl.name)' rule '\(what)' never applies: earlier rule\(deciders.count == 1 ? " \(numbers) decides" : "s \(numbers) decide") all its traffic (\(opposite) with '\(rule.action == .allow ? "deny" : "allow")')",
                               related: related)
            }
        }
    }

    // MARK: Ephemeral replies

    /// For every security-group rule that admits TCP/UDP through a subnet's NACL, checks that the NACL lets
    /// the replies (to the client's ephemeral port 1024–65535) back out; and for explicit egress rules, that
    /// replies come back in.
    static func ephemeralReplies(vpc v: Int, _ context: inout LintContext) {
        let index = context.index
        let vpc = context.topology.vpcs[v]
        for subnet in vpc.subnets {
            guard let acl = index.networkACL(for: subnet.name) else { continue }
            let holders = index.interfaces(inSubnet: subnet.name).filter { $0.vpc == v }
            var groups: [String] = []
            for ref in holders { for g in index.groups(of: ref.interface) where !groups.contains(g) { groups.append(g) } }
            let local = PacketBox(protocols: PacketBox.allProtocols, ports: PacketBox.allPorts, family: .ipv4,
                                  addresses: UInt128(subnet.cidr.first.bits)...UInt128(subnet.cidr.last.bits))
            var problems: [ReplyProblem] = []
            for name in groups {
                guard let (_, group) = index.securityGroups[name] else { continue }
                for rule in group.ingress {
                    if let p = check(rule, of: group, acl: acl, local: local, requestInbound: true, index) { problems.append(p) }
                }
                for rule in group.egress ?? [] {
                    if let p = check(rule, of: group, acl: acl, local: local, requestInbound: false, index) { problems.append(p) }
                }
            }
            for inbound in [true, false] {
                let these = problems.filter { $0.requestInbound == inbound }
                guard let first = these.first else { continue }
                let list = these.map { "'\($0.group) \($0.request)' (blocked: \($0.blocked))" }
                let shownList = list.prefix(4).joined(separator: ", ") + (list.count > 4 ? " and \(list.count - 4) more" : "")
                let linux = these.allSatisfy { !$0.hitsLinuxRange } ? " (Linux clients, ports 32768-60999, are unaffected)" : ""
                let message = inbound
                    ? "network ACL '\(acl.name)' (subnet '\(subnet.name)') denies outbound replies on ephemeral ports to traffic its security groups admit: \(shownList)\(linux)"
                    : "network ACL '\(acl.name)' (subnet '\(subnet.name)') denies inbound replies on ephemeral ports to traffic its security groups send: \(shownList)\(linux)"
                context.report(LintCatalogue.naclBlocksEphemeralReplies, at: acl.location, message,
                               hint: "add '\(inbound ? "outbound" : "inbound") N allow \(first.protocolName) 1024-65535 \(inbound ? "to" : "from") \(first.peer)' (deny rules for bad ports numbered before it)",
                               related: these.map { ($0.location, "security group '\($0.group)': \($0.request)") })
            }
        }
    }

    /// Replies to one security-group rule's traffic that a NACL denies.
    struct ReplyProblem {
        var requestInbound: Bool
        var group: String
        /// `ingress tcp 443 from 0.0.0.0/0`.
        var request: String
        var protocolName: String
        var peer: String
        /// `1024-65535 to 0.0.0.0/0`.
        var blocked: String
        var hitsLinuxRange: Bool
        var location: SourceLocation
    }

    /// The address ranges a security-group peer stands for.
    static func peerRanges(_ peer: SecurityGroupRule.Peer, _ index: TopologyIndex) -> [(IPFamily, ClosedRange<UInt128>)] {
        switch peer {
        case .cidr(let p): return [PacketBox.addresses(of: p)]
        case .prefixList(let n): return (index.prefixLists[n]?.entries ?? []).map(PacketBox.addresses(of:))
        case .securityGroup(let name):
            guard let owner = index.securityGroups[name]?.vpc else { return [] }
            return index.interfaces(holding: name, vpc: owner).map { ref in
                let a = UInt128(ref.interface.privateIP.bits)
                return (.ipv4, a...a)
            }
        }
    }

    static func check(_ rule: SecurityGroupRule, of group: SecurityGroup, acl: NetworkACL, local: PacketBox,
                      requestInbound: Bool, _ index: TopologyIndex) -> ReplyProblem? {
        guard case .number(let proto) = rule.ipProtocol, proto == 6 || proto == 17 else { return nil }
        let requestPorts = PacketBox.portAxis(protocol: proto, ports: rule.ports, family: .ipv4)
        // The clients, minus addresses inside the subnet (traffic within a subnet skips the NACL).
        var clients = PacketSet(peerRanges(rule.peer, index).map {
            PacketBox(protocols: Int(proto)...Int(proto), ports: requestPorts, family: $0.0, addresses: $0.1)
        })
        clients.subtract(local)
        var blocked: [PacketBox] = []
        var replies = PacketSet()
        for request in clients.boxes {
            let admitted = ACLEvaluation.decide(requestInbound ? acl.inbound : acl.outbound, over: request).allowed
            for (piece, _) in admitted {
                let reply = PacketBox(protocols: piece.protocols, ports: 1024...65535, family: piece.family,
                                      addresses: piece.addresses)
                replies.boxes.append(reply)
                let decision = ACLEvaluation.decide(requestInbound ? acl.outbound : acl.inbound, over: reply)
                blocked += decision.denied.map(\.box)
            }
        }
        guard !blocked.isEmpty else { return nil }
        blocked = merged(blocked)
        // Name the rule's own peer when every reply to it (outside the subnet) is blocked on some port range.
        let toward = requestInbound ? "to" : "from"
        var shown: [String] = []
        for ports in Set(blocked.map(\.ports)).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            var uncovered = PacketSet(replies.boxes.map { var b = $0; b.ports = ports; return b })
            for box in blocked where box.ports == ports { uncovered.subtract(box) }
            if uncovered.isEmpty {
                shown.append("\(ports.lowerBound)-\(ports.upperBound) \(toward) \(rule.peer)")
            } else {
                shown += blocked.filter { $0.ports == ports }.map { "\(ports.lowerBound)-\(ports.upperBound) \(toward) \($0.addressDescription)" }
            }
        }
        let more = shown.count > 3 ? " and \(shown.count - 3) more" : ""
        let protoName = IPProtocol.number(proto).description
        let ports = rule.ports.map { " \($0)" } ?? ""
        return ReplyProblem(
            requestInbound: requestInbound, group: group.name,
            request: "\(requestInbound ? "ingress" : "egress") \(protoName)\(ports) \(requestInbound ? "from" : "to") \(rule.peer)",
            protocolName: protoName, peer: rule.peer.description,
            blocked: shown.prefix(3).joined(separator: ", ") + more,
            hitsLinuxRange: blocked.contains { $0.ports.overlaps(32768...60999) },
            location: SecurityGroupRules.place(rule, in: group))
    }

    /// Joins boxes that differ only in adjacent address ranges or adjacent port ranges, for shorter messages.
    static func merged(_ boxes: [PacketBox]) -> [PacketBox] {
        var result: [PacketBox] = []
        for box in boxes.sorted(by: { ($0.ports.lowerBound, $0.addresses.lowerBound) < ($1.ports.lowerBound, $1.addresses.lowerBound) }) {
            if var last = result.last, last.protocols == box.protocols, last.family == box.family {
                if last.ports == box.ports, last.addresses.upperBound &+ 1 == box.addresses.lowerBound {
                    last.addresses = last.addresses.lowerBound...box.addresses.upperBound
                    result[result.count - 1] = last
                    continue
                }
                if last.addresses == box.addresses, last.ports.upperBound + 1 == box.ports.lowerBound {
                    last.ports = last.ports.lowerBound...box.ports.upperBound
                    result[result.count - 1] = last
                    continue
                }
            }
            result.append(box)
        }
        return result
    }
}
