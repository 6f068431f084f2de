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
                    // The deny goes between the allow and the rules before it that match tcp/PORT, so that it
                    // takes nothing from those (a narrower allow for a bastion block, say).
                    let before = acl.inbound.filter { r in
                        r.number < allowing.number && (r.ipProtocol == .all || (r.ipProtocol == .tcp && (r.ports ?? .all).contains(port)))
                    }.map(\.number).max() ?? 0
                    let fix = freeNumber(below: allowing.number, in: acl.inbound).flatMap { n in n > before ? n : nil }.map { n in
                        let deny = "inbound \(n) deny tcp \(port) from \(allowing.cidr)"
                        return LintFix("add '\(deny)' to network ACL '\(acl.name)' (before rule \(allowing.number)), or narrow rule \(allowing.number)'s CIDR",
                                       [.insert(deny, into: acl.location)])
                    }
                    context.report(rule, at: place(allowing, in: acl),
                                   "network ACL '\(acl.name)' rule \(allowing.number) allows tcp/\(port) in from \(allowing.cidr)",
                                   fix: fix)
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
                               fix: rule.location.isKnown ? LintFix("delete the rule", [.delete(rule.location)]) : nil,
                               related: related)
            } else {
                let opposite = deciders.filter { $0.action != rule.action }.map { String($0.number) }.joined(separator: ", ")
                // Numbered just below the first decider, the rule comes before every rule that decides its
                // traffic, and the rules before those decide none of it.
                let first = deciders.map(\.number).min() ?? rule.number
                let fix = freeNumber(below: first, in: inbound ? acl.inbound : acl.outbound).flatMap { n -> LintFix? in
                    guard rule.location.isKnown else { return nil }
                    return LintFix("renumber the rule to \(n) (before rule \(first)), or narrow the rules that shadow it",
                                   [.replaceWord(String(rule.number), with: String(n), in: rule.location)])
                }
                context.report(LintCatalogue.naclRuleShadowed, at: place(rule, in: acl),
                               "network ACL '\(acl.name)' rule '\(what)' never applies: earlier rule\(deciders.count == 1 ? " \(numbers) decides" : "s \(numbers) decide") all its traffic (\(opposite) with '\(rule.action == .allow ? "deny" : "allow")')",
                               fix: fix, related: related)
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
                guard !these.isEmpty else { continue }
                let list = these.map { "'\($0.group) \($0.request)' (blocked: \($0.blocked))" }
                let shownList = list.prefix(4).joined(separator: ", ") + (list.count > 4 ? " and \(list.count - 4) more" : "")
                let linux = these.allSatisfy { !$0.hitsLinuxRange } ? " (Linux clients, ports 32768-60999, are unaffected)" : ""
                let message = inbound
                    ? "network ACL '\(acl.name)' (subnet '\(subnet.name)') denies outbound replies on ephemeral ports to traffic its security groups admit: \(shownList)\(linux)"
                    : "network ACL '\(acl.name)' (subnet '\(subnet.name)') denies inbound replies on ephemeral ports to traffic its security groups send: \(shownList)\(linux)"
                context.report(LintCatalogue.naclBlocksEphemeralReplies, at: acl.location, message,
                               fix: replyFix(these, acl: acl, inbound: inbound),
                               related: these.map { ($0.location, "security group '\($0.group)': \($0.request)") })
            }
        }
    }

    /// The highest rule number below `number` that `rules` do not use (nil when there is none).
    static func freeNumber(below number: Int, in rules: [NetworkACLRule]) -> Int? {
        let used = Set(rules.map(\.number))
        return stride(from: number - 1, through: 1, by: -1).first { !used.contains($0) }
    }

    /// `outbound N allow tcp 1024-65535 to CIDR` rules (numbered after the list's last rule) for the peers whose
    /// replies are blocked. Offered only when nothing but the implicit final deny blocks them (an allow after an
    /// explicit deny would not help) and the peers are at most six CIDR blocks; a NACL takes CIDRs only, so a
    /// group peer stands for its members' addresses and a prefix list for its entries.
    static func replyFix(_ problems: [ReplyProblem], acl: NetworkACL, inbound: Bool) -> LintFix {
        let direction = inbound ? "outbound" : "inbound", toward = inbound ? "to" : "from"
        let generic = LintFix("allow tcp/udp 1024-65535 \(direction) \(toward) the clients' blocks (deny rules for bad ports numbered before it)", [])
        guard problems.allSatisfy({ $0.onlyImplicitDeny }) else { return generic }
        var statements: [(String, IPPrefix)] = []
        for p in problems {
            for block in p.peerBlocks where !statements.contains(where: { $0 == (p.protocolName, block) }) {
                statements.append((p.protocolName, block))
            }
        }
        let rules = inbound ? acl.outbound : acl.inbound
        let start = ((rules.map(\.number).max() ?? 0) / 10 + 1) * 10
        guard !statements.isEmpty, statements.count <= 6, start + 10 * (statements.count - 1) <= 32766 else { return generic }
        let texts = statements.enumerated().map { i, s in "\(direction) \(start + 10 * i) allow \(s.0) 1024-65535 \(toward) \(s.1)" }
        return LintFix("add \(texts.map { "'\($0)'" }.joined(separator: ", ")) to network ACL '\(acl.name)' (deny rules for bad ports numbered before \(texts.count == 1 ? "it" : "them"))",
                       texts.map { .insert($0, into: acl.location) })
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
        /// The peer as CIDR blocks (a group: its members' addresses; a prefix list: its entries).
        var peerBlocks: [IPPrefix]
        /// True when only the NACL's implicit final deny blocks the replies.
        var onlyImplicitDeny: Bool
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

    /// A security-group peer as the CIDR blocks a NACL rule can name.
    static func peerBlocks(_ peer: SecurityGroupRule.Peer, _ index: TopologyIndex) -> [IPPrefix] {
        switch peer {
        case .cidr(let p): return [p]
        case .prefixList(let n): return index.prefixLists[n]?.entries ?? []
        case .securityGroup(let name):
            guard let owner = index.securityGroups[name]?.vpc else { return [] }
            return index.interfaces(holding: name, vpc: owner).compactMap { ref in
                IPv4Prefix(network: ref.interface.privateIP, length: 32).map { .v4($0) }
            }
        }
    }

    static func check(_ rule: SecurityGroupRule, of group: SecurityGroup, acl: NetworkACL, local: PacketBox,
                      requestInbound: Bool, _ index: TopologyIndex) -> ReplyProblem? {
        guard case .number(let proto) = rule.ipProtocol, IPProtocol.hasPorts(proto) else { return nil }
        let requestPorts = PacketBox.portAxis(protocol: proto, ports: rule.ports, family: .ipv4)
        // The clients, minus addresses inside the subnet (traffic within a subnet skips the NACL).
        var clients = PacketSet(peerRanges(rule.peer, index).map {
            PacketBox(protocols: Int(proto)...Int(proto), ports: requestPorts, family: $0.0, addresses: $0.1)
        })
        clients.subtract(local)
        var blocked: [PacketBox] = []
        var explicitDeny = false
        var replies = PacketSet()
        for request in clients.boxes {
            let admitted = ACLEvaluation.decide(requestInbound ? acl.inbound : acl.outbound, over: request).allowed
            for (piece, _) in admitted {
                let reply = PacketBox(protocols: piece.protocols, ports: 1024...65535, family: piece.family,
                                      addresses: piece.addresses)
                replies.boxes.append(reply)
                let decision = ACLEvaluation.decide(requestInbound ? acl.outbound : acl.inbound, over: reply)
                blocked += decision.denied.map(\.box)
                if decision.denied.contains(where: { $0.rule != nil }) { explicitDeny = true }
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
            location: SecurityGroupRules.place(rule, in: group),
            peerBlocks: peerBlocks(rule.peer, index), onlyImplicitDeny: !explicitDeny)
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
