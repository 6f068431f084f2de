import IPAddressing
import NetworkModel

/// Resource-level security-group rules (world-open admin ports, all ports, the default group) and the
/// cross-VPC group-reference rule.
enum SecurityGroupRules {
    static func run(_ context: inout LintContext) {
        for (v, vpc) in context.topology.vpcs.enumerated() {
            for group in vpc.securityGroups {
                worldOpen(group, &context)
                references(group, vpc: v, &context)
            }
            defaultGroup(vpc, vpc: v, &context)
        }
    }

    /// The location to report a rule at: its own line when known, else its group's.
    static func place(_ rule: SecurityGroupRule, in group: SecurityGroup) -> SourceLocation {
        rule.location.isKnown ? rule.location : group.location
    }

    /// `0.0.0.0/0` or `::/0` among the blocks a peer stands for.
    static func worldBlock(_ peer: SecurityGroupRule.Peer, _ index: TopologyIndex) -> IPPrefix? {
        switch peer {
        case .cidr(let p): return p.length == 0 ? p : nil
        case .prefixList(let n): return index.prefixLists[n]?.entries.first { $0.length == 0 }
        case .securityGroup: return nil
        }
    }

    static func worldOpen(_ group: SecurityGroup, _ context: inout LintContext) {
        for rule in group.ingress {
            guard let world = worldBlock(rule.peer, context.index) else { continue }
            let at = place(rule, in: group)
            let what = describe(rule)
            let allPorts: Bool
            switch rule.ipProtocol {
            case .all: allPorts = true
            case .number(let n): allPorts = IPProtocol.hasPorts(n) && (rule.ports ?? .all) == .all
            }
            if allPorts {
                context.report(LintCatalogue.sgAllPortsOpenWorld, at: at,
                               "security group '\(group.name)' allows \(what) from \(world)")
                continue
            }
            guard rule.ipProtocol == .tcp else { continue }
            let ports = rule.ports ?? .all
            if ports.contains(22) {
                context.report(LintCatalogue.sgSSHOpenWorld, at: at,
                               "security group '\(group.name)' allows SSH (\(what)) from \(world)")
            }
            if ports.contains(3389) {
                context.report(LintCatalogue.sgRDPOpenWorld, at: at,
                               "security group '\(group.name)' allows RDP (\(what)) from \(world)")
            }
        }
    }

    /// `tcp 22`, `all traffic`, `udp 1-65535`.
    static func describe(_ rule: SecurityGroupRule) -> String {
        if rule.ipProtocol == .all { return "all traffic" }
        guard let ports = rule.ports, rule.ipProtocol.hasPorts else { return "\(rule.ipProtocol)" }
        return "\(rule.ipProtocol) \(ports)"
    }

    static func defaultGroup(_ vpc: VPC, vpc v: Int, _ context: inout LintContext) {
        if let group = vpc.defaultSecurityGroup {
            let open = !group.ingress.isEmpty || group.egress != []
            guard open else { return }
            var parts: [String] = []
            if !group.ingress.isEmpty { parts.append("\(group.ingress.count) ingress rule\(group.ingress.count == 1 ? "" : "s")") }
            if let egress = group.egress {
                if !egress.isEmpty { parts.append("\(egress.count) egress rule\(egress.count == 1 ? "" : "s")") }
            } else {
                parts.append("the default allow-all egress")
            }
            // The group keeps its name; a group not called `default` keeps its `default` marker.
            let closed = "security-group \(group.name)\(group.name == "default" ? "" : " default") { egress none }"
            context.report(LintCatalogue.defaultSGNotClosed, at: group.location,
                           "default security group of VPC '\(vpc.name)' has \(parts.joined(separator: " and "))",
                           fix: LintFix("replace it with '\(closed)' and give instances their own groups",
                                        [.delete(group.location), .insert(closed, into: vpc.location)]))
        } else {
            let users = context.index.interfaces(holding: "default", vpc: v).filter { $0.interface.securityGroups.isEmpty }
            guard let first = users.first else { return }
            var name = "default"
            if context.index.securityGroups[name] != nil {
                name = "\(vpc.name)-default"
                var n = 2
                while context.index.securityGroups[name] != nil { name = "\(vpc.name)-default-\(n)"; n += 1 }
            }
            let closed = "security-group \(name)\(name == "default" ? "" : " default") { egress none }"
            let names = users.map { $0.instance.displayName(of: $0.interface) }
            context.report(LintCatalogue.defaultSGNotClosed, at: first.instance.location,
                           "\(names.joined(separator: ", ")) use\(users.count == 1 ? "s" : "") the default security group of VPC '\(vpc.name)', which admits all traffic from its members and allows all egress",
                           // Group names are unique across a topology: when another VPC holds `default`, the new
                           // group takes a free name and the `default` marker.
                           fix: LintFix("add '\(closed)' to VPC '\(vpc.name)' and give \(users.count == 1 ? "the instance a security group" : "the instances security groups") of \(users.count == 1 ? "its" : "their") own",
                                        [.insert(closed, into: vpc.location)]),
                           related: users.dropFirst().map { ($0.instance.location, "'\($0.instance.name)' also uses it") })
        }
    }

    static func references(_ group: SecurityGroup, vpc v: Int, _ context: inout LintContext) {
        let index = context.index
        let rules = group.ingress.map { ($0, "ingress") } + (group.egress ?? []).map { ($0, "egress") }
        for (rule, direction) in rules {
            guard case .securityGroup(let name) = rule.peer else { continue }
            let at = place(rule, in: group)
            guard let (w, target) = index.securityGroups[name] else {
                if name == "default" { continue }   // the implicit default group of this VPC
                context.report(LintCatalogue.sgReferenceNotConnected, at: at,
                               "\(direction) rule of security group '\(group.name)' references group '\(name)', which does not exist (a stale reference never matches)")
                continue
            }
            guard w != v else { continue }
            let here = index.topology.vpcs[v], there = index.topology.vpcs[w]
            if let peering = index.peering(between: v, w) {
                if here.region == there.region { continue }
                context.report(LintCatalogue.sgReferenceNotConnected, at: at,
                               "security group '\(group.name)' references '\(name)' across inter-region peering '\(peering.name)' (\(here.region ?? "?") ↔ \(there.region ?? "?")): group references work only within a region",
                               related: [(target.location, "'\(name)' declared here")])
                continue
            }
            let tgws = index.sharedTransitGateways(v, w)
            if tgws.contains(where: { index.topology.transitGateways[$0].securityGroupReferencing }) { continue }
            let via = tgws.first.map { " (transit gateway '\(index.topology.transitGateways[$0].name)' joins them but has security-group referencing off)" } ?? ""
            context.report(LintCatalogue.sgReferenceNotConnected, at: at,
                           "security group '\(group.name)' in VPC '\(here.name)' references '\(name)' in VPC '\(there.name)', which is not peered with it\(via): the rule never matches",
                           related: [(target.location, "'\(name)' declared here")])
        }
    }
}

extension Instance {
    /// `web-1`, or `fw-1.eth1` for a secondary interface.
    func displayName(of interface: NetworkInterface) -> String {
        interfaces.first?.name == interface.name ? name : "\(name).\(interface.name)"
    }
}
