// Load balancers (Docs/DSL.md "Load balancers"): `load-balancer`, `listener`, `target-group` and `target` lines in
// a VPC. A listener names a load balancer declared above it in the VPC; a target names a target group (or a
// classic load balancer) declared above it.
import IPAddressing

extension Parser {
    /// A port 1...65535.
    mutating func loadBalancerPort(_ what: String) -> UInt16? {
        guard let t = value(what) else { return nil }
        guard let n = Parser.decimal(source.bytes, t.start, t.end), (1...65535).contains(n) else {
            error(.badPort, "expected \(what) (1...65535), found '\(text(t))'", at: t)
            return nil
        }
        return UInt16(n)
    }

    /// One word of `E`'s raw values, or an error naming them (with a near-miss hint).
    mutating func choice<E: RawRepresentable & CaseIterable>(_ what: String, _: E.Type) -> E? where E.RawValue == String {
        let options = E.allCases.map(\.rawValue)
        guard onSameLine else { expected(what); return nil }
        let word = text(tok)
        guard let v = E(rawValue: word) else {
            expected(what + " (" + options.joined(separator: ", ") + ")", hint: Parser.suggestion(word, options))
            return nil
        }
        advance()
        return v
    }

    /// `load-balancer NAME application|network|classic internet-facing|internal subnets S… [sg G…] [ip A…]
    /// (a gateway one: `load-balancer NAME gateway [internal] subnets S… …`)
    /// [public-ip A…] [enis ENI…] [cross-zone on|off] [ip-type ipv4|dualstack] [dns NAME] [id ID]`.
    mutating func parseLoadBalancer(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("a load balancer name") else { return false }
        guard let kind = choice("the load balancer's type", LoadBalancer.Kind.self) else { return false }
        // A Gateway Load Balancer has no scheme (AWS reports `internal`): the word is optional and only `internal`.
        let scheme: LoadBalancer.Scheme
        if kind == .gateway {
            if onSameLine, at("internet-facing") {
                error(.loadBalancer, "a gateway load balancer is never internet-facing", at: tok,
                      hint: "write 'load-balancer \(n) gateway subnets …'; traffic reaches it through its endpoints")
                return false
            }
            if onSameLine, at("internal") { advance() }
            scheme = .internal
        } else {
            guard let s = choice("the load balancer's scheme", LoadBalancer.Scheme.self) else { return false }
            scheme = s
        }
        var lb = LoadBalancer(name: n, kind: kind, scheme: scheme, location: location(nt))
        let stop = Keywords.loadBalancerStop
        while onSameLine, tokenIsOne(of: Keywords.loadBalancerModifiers) {
            let word = text(tok)
            advance()
            switch word {
            case "subnets":
                guard let names = nameList("a subnet name", stop: stop) else { return false }
                lb.subnets.append(contentsOf: names)
            case "sg":
                guard let names = nameList("a security-group name", stop: stop) else { return false }
                lb.securityGroups.append(contentsOf: names)
            case "ip", "public-ip":
                var any = false
                while onSameLine, !tokenIsOne(of: stop) {
                    guard let a = ipv4Address(word == "ip" ? "a node's private IPv4 address" : "a node's public IPv4 address") else { return false }
                    if word == "ip" { lb.addresses.append(a) } else { lb.publicAddresses.append(a) }
                    any = true
                }
                if !any { expected("an IPv4 address"); return false }
            case "enis":
                guard let names = nameList("an ENI id", stop: stop) else { return false }
                lb.interfaceIDs.append(contentsOf: names)
            case "cross-zone":
                guard let on = onOff() else { return false }
                lb.crossZone = on
            case "ip-type":
                guard let t = choice("the IP address type", LoadBalancer.AddressType.self) else { return false }
                lb.addressType = t
            case "dns":
                guard let t = value("the load balancer's DNS name") else { return false }
                lb.dnsName = text(t)
            default:  // "id"
                guard let t = value("an id") else { return false }
                lb.id = text(t)
            }
        }
        if lb.subnets.isEmpty {
            error(.missingClause, "load balancer '\(n)' needs 'subnets SUBNET…'", at: nt,
                  hint: "a load balancer has one node in each of its subnets")
            return false
        }
        vpc.loadBalancers.append(lb)
        return end(Keywords.vpc, Keywords.loadBalancerModifiers)
    }

    /// `listener LB PROTOCOL PORT -> TARGET-GROUP|respond [rule 'CONDITION' -> TARGET-GROUP]… [id ID]`; a classic
    /// load balancer's: `listener LB PROTOCOL PORT -> port N`.
    mutating func parseListener(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (lbName, lbToken) = name("a load balancer name") else { return false }
        guard let k = vpc.loadBalancers.lastIndex(where: { $0.name == lbName }) else {
            error(.unknownName, "unknown load balancer '\(lbName)' in vpc '\(vpc.name)'", at: lbToken,
                  hint: Parser.suggestion(lbName, vpc.loadBalancers.map(\.name)) ?? "declare the load balancer above its listeners")
            return false
        }
        let kind = vpc.loadBalancers[k].kind
        if kind == .gateway {
            // `listener GWLB -> GROUP [id ID]`: a GWLB's one listener takes every IP packet (no protocol, no port).
            let at0 = tok
            guard onSameLine, at("->") else {
                expected("'->' (a gateway load balancer's listener has no protocol or port)"); return false
            }
            advance()
            guard let (g, _) = name("a target group name") else { return false }
            var listener = Listener(listenerProtocol: .geneve, port: LoadBalancer.genevePort, defaultAction: .forward(g),
                                    location: location(lbToken))
            while onSameLine, at("id") {
                advance()
                guard let t = value("an id") else { return false }
                listener.id = text(t)
            }
            if !vpc.loadBalancers[k].listeners.isEmpty {
                error(.loadBalancer, "gateway load balancer '\(lbName)' already has a listener", at: at0,
                      hint: "a gateway load balancer has one listener")
                return false
            }
            vpc.loadBalancers[k].listeners.append(listener)
            return end(Keywords.vpc, ["id"])
        }
        let protoToken = tok
        guard let proto = choice("a listener protocol", Listener.ListenerProtocol.self) else { return false }
        let allowed = Listener.ListenerProtocol.allowed(for: kind)
        guard allowed.contains(proto) else {
            error(.loadBalancer, "a \(kind.rawValue) load balancer has no \(proto.rawValue) listeners", at: protoToken,
                  hint: "its listener protocols: " + allowed.map(\.rawValue).joined(separator: ", "))
            return false
        }
        let portToken = tok
        guard let port = loadBalancerPort("the listener port") else { return false }
        guard onSameLine, at("->") else { expected("'->'"); return false }
        advance()
        let action: Listener.Action
        if onSameLine, at("respond") {
            advance()
            action = .respond
        } else if onSameLine, at("port") {
            advance()
            guard let p = loadBalancerPort("the instance port") else { return false }
            action = .instancePort(p)
        } else {
            guard let (g, _) = name("a target group name, 'respond' or 'port N'") else { return false }
            action = .forward(g)
        }
        switch (kind, action) {
        case (.classic, .forward), (.classic, .respond):
            error(.loadBalancer, "a classic load balancer's listener forwards to its instances: '-> port N'", at: portToken,
                  hint: "register the instances with 'target \(lbName) INSTANCE'")
            return false
        case (.application, .instancePort), (.network, .instancePort):
            error(.loadBalancer, "'-> port N' is for classic load balancers", at: portToken, hint: "forward to a target group: '-> GROUP'")
            return false
        case (.network, .respond):
            error(.loadBalancer, "a network load balancer's listener forwards to a target group", at: portToken)
            return false
        default: break
        }
        var listener = Listener(listenerProtocol: proto, port: port, defaultAction: action, location: location(lbToken))
        while onSameLine, tokenIsOne(of: Keywords.listenerModifiers) {
            if at("id") {
                advance()
                guard let t = value("an id") else { return false }
                listener.id = text(t)
                continue
            }
            let ruleToken = tok
            advance()
            guard kind == .application else {
                error(.loadBalancer, "only application load balancers have listener rules", at: ruleToken)
                return false
            }
            guard let condition = quoted("the rule's conditions") else { return false }
            guard onSameLine, at("->") else { expected("'->'"); return false }
            advance()
            guard let (g, _) = name("a target group name") else { return false }
            listener.rules.append(Listener.Rule(condition: condition, targetGroup: g))
        }
        if let other = vpc.loadBalancers[k].listeners.first(where: { o in
            o.port == port && [6, 17].contains { o.listenerProtocol.accepts(ipProtocol: $0) && proto.accepts(ipProtocol: $0) }
        }) {
            error(.loadBalancer, "load balancer '\(lbName)' already has a \(other.listenerProtocol.rawValue) listener on port \(port)",
                  at: portToken, hint: "a load balancer has one listener per port (an NLB: one TCP and one UDP)")
            return false
        }
        vpc.loadBalancers[k].listeners.append(listener)
        return end(Keywords.vpc, Keywords.listenerModifiers)
    }

    /// `target-group NAME instance|ip|lambda [PROTOCOL PORT] [preserve-client-ip on|off] [id ID]`.
    mutating func parseTargetGroup(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (n, nt) = name("a target group name") else { return false }
        guard let type = choice("the target type", TargetGroup.TargetType.self) else { return false }
        var group = TargetGroup(name: n, targetType: type, location: location(nt))
        if type != .lambda {
            guard let proto = choice("the targets' protocol", Listener.ListenerProtocol.self) else { return false }
            guard let port = loadBalancerPort("the targets' port") else { return false }
            group.targetProtocol = proto
            group.port = port
        }
        while onSameLine, tokenIsOne(of: Keywords.targetGroupModifiers) {
            if at("id") {
                advance()
                guard let t = value("an id") else { return false }
                group.id = text(t)
            } else {
                advance()
                guard let on = onOff() else { return false }
                group.preserveClientIP = on
            }
        }
        vpc.targetGroups.append(group)
        return end(Keywords.vpc, Keywords.targetGroupModifiers)
    }

    /// `target GROUP TARGET [port N] [az ZONE] [healthy|unhealthy|initial|unused|draining|unavailable]`: TARGET
    /// an instance (instance groups, classic load balancers), an IPv4 address (ip groups) or a function ARN.
    mutating func parseTarget(_ vpc: inout VPC) -> Bool {
        advance()
        guard let (g, gt) = name("a target group name") else { return false }
        guard let t = value("the target (an instance, an IPv4 address or a function)") else { return false }
        var target = LoadBalancerTarget(target: text(t), location: location(gt))
        while onSameLine, tokenIsOne(of: Keywords.targetModifiers) {
            let word = text(tok)
            advance()
            switch word {
            case "port":
                guard let p = loadBalancerPort("the target's port") else { return false }
                target.port = p
            case "az":
                guard let z = value("an availability zone (or 'all')") else { return false }
                target.zone = text(z)
            default:
                target.health = LoadBalancerTarget.Health(rawValue: word)
            }
        }
        if let k = vpc.targetGroups.lastIndex(where: { $0.name == g }) {
            if vpc.targetGroups[k].targetType == .ip, (try? IPv4Address(parsing: Substring(target.target))) == nil {
                error(.loadBalancer, "target group '\(g)' takes IPv4 addresses, not '\(target.target)'", at: t,
                      hint: "an ip target group's targets are addresses; register instances in an instance target group")
                return false
            }
            vpc.targetGroups[k].targets.append(target)
        } else if let k = vpc.loadBalancers.lastIndex(where: { $0.name == g && $0.kind == .classic }) {
            vpc.loadBalancers[k].targets.append(target)
        } else {
            let candidates = vpc.targetGroups.map(\.name) + vpc.loadBalancers.filter { $0.kind == .classic }.map(\.name)
            error(.unknownName, "unknown target group '\(g)' in vpc '\(vpc.name)'", at: gt,
                  hint: Parser.suggestion(g, candidates) ?? "declare the target group (or classic load balancer) above its targets")
            return false
        }
        return end(Keywords.vpc, Keywords.targetModifiers)
    }
}
