import IPAddressing
import NetworkModel
import Reachability

/// Load balancer rules (Docs/LINT.md "Load balancers"; Docs/SEMANTICS.md "Load balancers"): targets whose groups
/// shut the load balancer out, internet-facing nodes without a way to the internet, targets the internet reaches
/// around the load balancer, listeners without a target to send to, and load balancer groups open on ports no
/// listener takes. Connections are the reachability engine's (the target's leg of `vpckit reach` through a load
/// balancer, `internet -> target` for the bypass), so lint and `reach` agree.
enum LoadBalancerRules {
    /// A model load balancer with its compiled twin (same order: VPCs, then load balancers in written order).
    struct Pair {
        var vpc: Int
        var model: LoadBalancer
        var index: Int
        var compiled: CompiledLoadBalancer
    }

    /// One target of one listener, with the statement it was written at.
    struct ListenerTarget {
        var compiled: CompiledLoadBalancerTarget
        var location: SourceLocation
    }

    static func run(_ context: inout LintContext) {
        let rules = [LintCatalogue.lbTargetSGBlocksLB, LintCatalogue.lbInternetFacingNoIGWRoute, LintCatalogue.lbTargetInternetExposed,
                     LintCatalogue.lbListenerNoHealthyTarget, LintCatalogue.lbSGPortNoListener]
        guard rules.contains(where: context.wants) else { return }
        let compiled = context.routing.compiled
        var pairs: [Pair] = []
        for (v, vpc) in context.topology.vpcs.enumerated() {
            for lb in vpc.loadBalancers {
                let k = pairs.count
                guard compiled.loadBalancers.indices.contains(k), compiled.loadBalancers[k].name == lb.name else { return }
                pairs.append(Pair(vpc: v, model: lb, index: k, compiled: compiled.loadBalancers[k]))
            }
        }
        // Gateway Load Balancers carry GENEVE (UDP 6081) to appliances, reached only through their endpoints
        // (Docs/SEMANTICS.md "Gateway Load Balancers"): none of these rules is about them (they are no TCP listeners).
        pairs.removeAll { $0.model.kind == .gateway }
        guard !pairs.isEmpty else { return }
        for pair in pairs {
            if context.wants(LintCatalogue.lbInternetFacingNoIGWRoute) { noInternetRoute(pair, &context) }
            if context.wants(LintCatalogue.lbListenerNoHealthyTarget) { listenersWithoutTargets(pair, &context) }
        }
        if context.wants(LintCatalogue.lbTargetSGBlocksLB) { targetGroupsShutOut(pairs, &context) }
        if context.wants(LintCatalogue.lbTargetInternetExposed) { targetsExposed(pairs, &context) }
        if context.wants(LintCatalogue.lbSGPortNoListener) { groupsOpenWithoutListener(pairs, &context) }
    }

    // MARK: Helpers

    /// The targets of listener `li` in the compiled order (classic: the registered instances; then each target
    /// group's targets), each with the statement it came from.
    static func targets(of pair: Pair, listener li: Int, _ topology: Topology) -> [ListenerTarget] {
        guard li < pair.compiled.targets.count, li < pair.model.listeners.count else { return [] }
        let vpc = topology.vpcs[pair.vpc]
        var locations: [SourceLocation] = []
        let listener = pair.model.listeners[li]
        if case .instancePort = listener.defaultAction { locations += pair.model.targets.map(\.location) }
        for g in listener.targetGroups {
            guard let group = vpc.targetGroups.first(where: { $0.name == g }) else { continue }
            locations += group.targets.map { $0.location.isKnown ? $0.location : group.location }
        }
        let compiledTargets = pair.compiled.targets[li]
        guard locations.count == compiledTargets.count else { return [] }
        return zip(compiledTargets, locations).map { ListenerTarget(compiled: $0, location: $1) }
    }

    /// The IP protocol a listener's connections to targets use (TCP, UDP for `udp`).
    static func ipProtocol(_ listener: Listener) -> UInt8 { listener.listenerProtocol == .udp ? 17 : 6 }

    /// `tcp` or `udp`: the security-group word for a listener's protocol.
    static func protocolWord(_ listener: Listener) -> String { ipProtocol(listener) == 17 ? "udp" : "tcp" }

    /// The lint index's reference to a compiled interface (its name is `INSTANCE` or `INSTANCE.INTERFACE`).
    static func reference(_ name: String, _ index: TopologyIndex) -> TopologyIndex.InterfaceRef? {
        index.interfaces.first { ref in
            (ref.instance.interfaces.first?.name == ref.interface.name ? ref.instance.name : "\(ref.instance.name).\(ref.interface.name)") == name
        }
    }

    /// The target's name as a finding says it: `'web-1' (target group 'web-tg', tcp 8080)`.
    static func describe(_ t: CompiledLoadBalancerTarget, _ listener: Listener, classic: Bool) -> String {
        "'\(t.name)' (\(classic ? "registered with" : "target group") '\(t.group)', \(protocolWord(listener)) \(t.port))"
    }

    // MARK: lb-internet-facing-no-igw-route

    /// An internet-facing load balancer some of whose subnets do not route to the VPC's internet gateway.
    static func noInternetRoute(_ pair: Pair, _ context: inout LintContext) {
        guard pair.model.scheme == .internetFacing else { return }
        let index = context.index
        let missing = pair.model.subnets.filter { name in
            index.vpc(ofSubnet: name) == pair.vpc && !index.hasRouteToInternetGateway(index.routeTable(for: name), vpc: pair.vpc)
        }
        guard !missing.isEmpty else { return }
        let vpc = context.topology.vpcs[pair.vpc]
        let why = vpc.internetGateway == nil ? "VPC '\(vpc.name)' has no internet gateway"
            : "their route table\(missing.count == 1 ? " has" : "s have") no route to internet gateway '\(vpc.internetGateway?.name ?? "")'"
        let list = missing.map { "'\($0)'" }.joined(separator: ", ")
        var related: [(SourceLocation, String)] = []
        for name in missing {
            if let table = index.routeTable(for: name), table.location.isKnown { related.append((table.location, "route table '\(table.name)' of subnet '\(name)'")) }
        }
        context.report(LintCatalogue.lbInternetFacingNoIGWRoute, at: pair.model.location,
                       "internet-facing load balancer '\(pair.model.name)' has nodes in subnet\(missing.count == 1 ? "" : "s") \(list), but \(why): the internet cannot reach those nodes and their replies to clients are not routed",
                       related: related)
    }

    // MARK: lb-listener-no-healthy-target

    /// A forwarding listener none of whose targets gets traffic, or (cross-zone off) none in some node's zone.
    static func listenersWithoutTargets(_ pair: Pair, _ context: inout LintContext) {
        let lb = pair.compiled
        let compiled = context.routing.compiled
        for (li, listener) in pair.model.listeners.enumerated() where li < lb.targets.count {
            if case .respond = listener.defaultAction, listener.rules.isEmpty { continue }
            let targets = lb.targets[li]
            let at = listener.location.isKnown ? listener.location : pair.model.location
            let name = "listener '\(listener.listenerProtocol.rawValue) \(listener.port)' of load balancer '\(pair.model.name)'"
            let groups = listener.targetGroups.isEmpty ? "its registered instances" : listener.targetGroups.map { "'\($0)'" }.joined(separator: ", ")
            let code = lb.kind == .classic ? "ELB_NOT_CROSSZONE" : "ELBV2_NO_TARGETS_IN_AZ"
            if !targets.contains(where: \.getsTraffic) {
                let states = targets.map { "\($0.name) \($0.health?.rawValue ?? "healthy")" }
                context.report(LintCatalogue.lbListenerNoHealthyTarget, at: at,
                               "\(name) forwards to \(groups), which \(targets.isEmpty ? "has no registered target" : "has no healthy target (\(states.joined(separator: ", ")))"): every connection to it fails (ELBV2_NO_TARGETS_IN_AZ)")
                continue
            }
            guard !lb.crossZone else { continue }
            var empty: [String] = []
            for node in lb.nodes {
                let zone = compiled.zone(ofNode: node)
                if !targets.contains(where: { lb.sends(to: $0, fromZone: zone) }) {
                    empty.append("\(zone ?? "?") (node '\(compiled.interfaces[node.position].name)')")
                }
            }
            guard !empty.isEmpty else { continue }
            let hint = "register a healthy target in each of the load balancer's availability zones, or add 'cross-zone on' to load balancer '\(pair.model.name)'"
            var fix: LintFix? = nil
            if pair.model.location.isKnown {
                fix = LintFix(hint, [pair.model.crossZone == nil ? .append("cross-zone on", to: pair.model.location)
                                                                  : .replaceWord("off", with: "on", in: pair.model.location)])
            }
            context.report(LintCatalogue.lbListenerNoHealthyTarget, at: at,
                           "\(name) has no healthy target in \(empty.joined(separator: ", ")), and cross-zone load balancing is off: connections that DNS sends to \(empty.count == 1 ? "that node" : "those nodes") fail (\(code))",
                           hint: hint, fix: fix)
        }
    }

    // MARK: lb-target-sg-blocks-lb

    /// Targets whose security groups stop the connections the load balancer's nodes open to them.
    static func targetGroupsShutOut(_ pairs: [Pair], _ context: inout LintContext) {
        let compiled = context.routing.compiled
        var seen = Set<String>()
        for pair in pairs {
            let lb = pair.compiled
            for (li, listener) in pair.model.listeners.enumerated() {
                for entry in targets(of: pair, listener: li, context.topology) {
                    let t = entry.compiled
                    guard !t.isLambda, let ti = t.interfaceID,
                          seen.insert("\(pair.index) \(t.group) \(t.name) \(t.port) \(ipProtocol(listener))").inserted else { continue }
                    // Health aside (a shut-out target is often why it is unhealthy): the nodes that would send to it.
                    var probe = t
                    probe.health = nil
                    var blocked: Explanation? = nil
                    for node in lb.nodes where lb.sends(to: probe, fromZone: compiled.zone(ofNode: node)) {
                        if case .blockedBySecurityGroup(let e) = compiled.targetAdmission(loadBalancer: pair.index, node: node, target: probe,
                                                                                         ipProtocol: ipProtocol(listener)) {
                            blocked = e
                            break
                        }
                    }
                    guard let blocked else { continue }
                    let preserved = t.preservesClientIP
                    let clients = !preserved ? "the load balancer's nodes"
                        : pair.model.scheme == .internetFacing ? "its clients on the internet (client IP preserved)"
                        : "its clients in VPC '\(context.topology.vpcs[pair.vpc].name)' (client IP preserved)"
                    let fix = shutOutFix(pair, listener: listener, target: t, interface: compiled.interfaces[ti.position].name, context)
                    context.report(LintCatalogue.lbTargetSGBlocksLB, at: entry.location,
                                   "target \(describe(t, listener, classic: lb.kind == .classic)) of load balancer '\(pair.model.name)' does not admit \(clients): \(blocked.detailText) (\(blocked.code.rawValue))",
                                   fix: fix)
                }
            }
        }
    }

    /// Adds the rule that admits the load balancer (its first group, else its VPC's block) or, with preservation,
    /// its clients, to the target's first declared group in the load balancer's VPC.
    static func shutOutFix(_ pair: Pair, listener: Listener, target t: CompiledLoadBalancerTarget, interface: String,
                           _ context: LintContext) -> LintFix? {
        let index = context.index
        guard let ref = reference(interface, index), ref.vpc == pair.vpc,
              let groupName = index.groups(of: ref.interface).first,
              let (gv, group) = index.securityGroups[groupName], gv == pair.vpc, group.location.isKnown else { return nil }
        let vpc = context.topology.vpcs[pair.vpc]
        let peer: String
        if t.preservesClientIP {
            if pair.model.scheme == .internetFacing { peer = "0.0.0.0/0" } else if let block = vpc.cidrs.first { peer = "\(block)" } else { return nil }
        } else if let sg = pair.model.securityGroups.first {
            peer = "sg \(sg)"
        } else if let block = vpc.cidrs.first {
            peer = "\(block)"
        } else {
            return nil
        }
        let statement = "ingress \(protocolWord(listener)) \(t.port) from \(peer)"
        return LintFix("add '\(statement)' to security group '\(group.name)'", [.insert(statement, into: group.location)])
    }

    // MARK: lb-target-internet-exposed

    /// Targets the internet reaches directly on their target port.
    static func targetsExposed(_ pairs: [Pair], _ context: inout LintContext) {
        let compiled = context.routing.compiled
        let internet = QueryEndpoint.internet(compiled.internetAddresses)
        var seen = Set<String>()
        for pair in pairs {
            for (li, listener) in pair.model.listeners.enumerated() {
                for entry in targets(of: pair, listener: li, context.topology) {
                    let t = entry.compiled
                    let proto = protocolWord(listener)
                    guard let ti = t.interfaceID, let address = t.address, compiled.interfaces[ti.position].publicIP != nil,
                          seen.insert("\(ti.index) \(t.port) \(proto)").inserted,
                          case .success(let answers) = compiled.openPorts(from: internet, to: .endpoint(.interface(ti, address: .v4(address))),
                                                                            protocols: [proto], withAddresses: false),
                          answers.contains(where: { $0.traffic == proto && $0.ports.contains(t.port) }) else { continue }
                    var related: [(SourceLocation, String)] = []
                    if let ref = reference(compiled.interfaces[ti.position].name, context.index) {
                        related = ExposureRules.admittingRules(ref, [(proto, PortSet(port: t.port))], context)
                            .map { ($0.location, "admitted by security group rule '\($0.text)'") }
                    }
                    context.report(LintCatalogue.lbTargetInternetExposed, at: entry.location,
                                   "target \(describe(t, listener, classic: pair.compiled.kind == .classic)) of load balancer '\(pair.model.name)' is also reachable from the internet directly on \(proto) \(t.port), bypassing the load balancer",
                                   related: related)
                }
            }
        }
    }

    // MARK: lb-sg-port-no-listener

    /// Ingress rules of groups that only load balancers hold, on TCP/UDP ports no listener of those load balancers takes.
    static func groupsOpenWithoutListener(_ pairs: [Pair], _ context: inout LintContext) {
        let index = context.index
        for (v, vpc) in context.topology.vpcs.enumerated() {
            let here = pairs.filter { $0.vpc == v }
            guard !here.isEmpty else { continue }
            var holders: [String: [Pair]] = [:]
            var order: [String] = []
            for pair in here {
                var groups = pair.model.securityGroups
                if groups.isEmpty, pair.model.kind != .network { groups = [vpc.defaultSecurityGroup?.name ?? "default"] }
                for g in groups {
                    if holders[g] == nil { order.append(g) }
                    holders[g, default: []].append(pair)
                }
            }
            for name in order {
                guard let pairsHolding = holders[name], index.interfaces(holding: name, vpc: v).isEmpty,
                      let (gv, group) = index.securityGroups[name], gv == v else { continue }
                var tcp = PortSet.empty, udp = PortSet.empty
                for pair in pairsHolding {
                    for l in pair.model.listeners {
                        if l.listenerProtocol.accepts(ipProtocol: 6) { tcp = tcp.union(PortSet(port: l.port)) }
                        if l.listenerProtocol.accepts(ipProtocol: 17) { udp = udp.union(PortSet(port: l.port)) }
                    }
                }
                let lbNames = pairsHolding.map { "'\($0.model.name)'" }.joined(separator: ", ")
                for rule in group.ingress {
                    let open: [(String, PortSet, PortSet)]
                    switch rule.ipProtocol {
                    case .all: open = [("tcp", .all, tcp), ("udp", .all, udp)]
                    case .number(6): open = [("tcp", PortSet(rule.ports ?? .all), tcp)]
                    case .number(17): open = [("udp", PortSet(rule.ports ?? .all), udp)]
                    default: continue
                    }
                    let uncovered = open.map { ($0.0, $0.1.subtracting($0.2), $0.1) }.filter { !$0.1.isEmpty }
                    guard !uncovered.isEmpty else { continue }
                    let text = uncovered.map { "\($0.0) \($0.1.ranges.map(\.description).joined(separator: ", "))" }.joined(separator: "; ")
                    let at = SecurityGroupRules.place(rule, in: group)
                    // The whole rule is for ports no listener takes: deleting it changes nothing the load balancer carries.
                    let wholeRule = uncovered.count == open.count && uncovered.allSatisfy { $0.1 == $0.2 }
                    let fix = wholeRule && rule.location.isKnown
                        ? LintFix("delete the rule (no listener takes its ports), or add a listener on them", [.delete(rule.location)]) : nil
                    context.report(LintCatalogue.lbSGPortNoListener, at: at,
                                   "security group '\(group.name)' of load balancer\(pairsHolding.count == 1 ? "" : "s") \(lbNames) admits \(text) from \(rule.peer), but no listener takes \(uncovered.count == 1 && uncovered[0].1.portCount == 1 ? "that port" : "those ports"): the load balancer drops the connections (\(pairsHolding[0].model.kind == .classic ? "ELB_LISTENER_PORT_RESTRICTION" : "ELBV2_LISTENER_PORT_RESTRICTION"))",
                                   fix: fix)
                }
            }
        }
    }
}
