// Terraform: Elastic Load Balancing (Docs/IMPORT.md "Terraform: load balancers"): `aws_lb` / `aws_alb` of type
// application and network, their listeners and listener rules, target groups and target group attachments, and
// classic `aws_elb` (+ `aws_elb_attachment`). References resolve like every other resource's (known values, else
// the configuration); Terraform knows no target health, so every target counts as healthy.
import IPAddressing
import NetworkModel

extension TFBuilder {
    static let loadBalancerTypes: Set<String> = ["aws_lb", "aws_alb"]
    static let targetGroupTypes: Set<String> = ["aws_lb_target_group", "aws_alb_target_group"]
    static let listenerTypes: Set<String> = ["aws_lb_listener", "aws_alb_listener"]
    static let listenerRuleTypes: Set<String> = ["aws_lb_listener_rule", "aws_alb_listener_rule"]
    static let targetAttachmentTypes: Set<String> = ["aws_lb_target_group_attachment", "aws_alb_target_group_attachment"]
    static let lbSubnetTypes: Set<String> = ["aws_subnet", "aws_default_subnet"]
    /// Every Elastic Load Balancing type this file reads.
    static let loadBalancingTypes: Set<String> = loadBalancerTypes.union(targetGroupTypes).union(listenerTypes)
        .union(listenerRuleTypes).union(targetAttachmentTypes).union(["aws_elb", "aws_elb_attachment"])
    /// Types named by their `name` attribute (as describe-load-balancers and the console name them).
    static let namedByNameAttribute: Set<String> = loadBalancerTypes.union(targetGroupTypes).union(["aws_elb"])
    /// Types that never become a named part of the topology.
    static let unnamedLoadBalancingTypes: Set<String> = listenerTypes.union(listenerRuleTypes).union(targetAttachmentTypes)
        .union(["aws_elb_attachment"])

    /// A port attribute: nil when absent, null or 0 (unset); out of range: an input error.
    static func tfPort(_ c: JSONCursor, _ key: String) throws(JSONError) -> UInt16? {
        guard let v = c[key], !v.isNull, v.intValue != 0 else { return nil }
        return try AWSBuilder.port(c, key)
    }

    /// The security groups a list attribute names (nothing when the configuration does not write it).
    mutating func lbGroups(_ r: TFResource, _ attribute: String) -> [String] {
        isListWritten(r, attribute) ? groupNames(r, attribute) : []
    }

    /// The target groups an action block forwards to, with their weights: its `target_group_arn`, else its
    /// `forward { target_group { arn weight } }` blocks (an unknown ARN and its weight both from the configuration).
    mutating func forwardedGroups(_ r: TFResource, _ action: JSONCursor, path: [String]) -> [(ref: TFRef, weight: Int)] {
        let arnPath = path + ["target_group_arn"]
        if (action["target_group_arn"]?.stringValue.map { !$0.isEmpty } ?? false) || (r.isUnknown(arnPath) && doc.expression(r, arnPath) != nil) {
            return [(ref(r, arnPath, types: Self.targetGroupTypes, value: action["target_group_arn"]), 1)]
        }
        var out: [(TFRef, Int)] = []
        for f in action["forward"]?.elements.prefix(1) ?? [] {
            for (k, g) in (f["target_group"]?.elements ?? []).enumerated() {
                let p = path + ["forward", "0", "target_group", "\(k)"]
                let reference = ref(r, p + ["arn"], types: Self.targetGroupTypes, value: g["arn"])
                var weight = g["weight"]?.intValue ?? 1
                if r.isUnknown(p + ["arn"]), let w = doc.expression(r, p + ["weight"])?["constant_value"]?.intValue { weight = w }
                out.append((reference, weight))
            }
        }
        return out
    }

    /// A listener rule's conditions as one opaque label: `host-header=www.example.com path-pattern=/api/*`.
    static func conditionLabel(_ conditions: [JSONCursor]) -> String {
        var parts: [String] = []
        func values(_ c: JSONCursor?) -> String { TFBuilder.strings(c).joined(separator: ",") }
        for c in conditions {
            for (key, word) in [("host_header", "host-header"), ("path_pattern", "path-pattern"),
                                ("http_request_method", "http-request-method"), ("source_ip", "source-ip")] {
                for b in c[key]?.elements ?? [] { parts.append("\(word)=\(values(b["values"]))") }
            }
            for b in c["http_header"]?.elements ?? [] {
                parts.append("http-header:\(b["http_header_name"]?.stringValue ?? "")=\(values(b["values"]))")
            }
            for b in c["query_string"]?.elements ?? [] {
                let pairs = (b["value"]?.elements ?? []).map { ($0["key"]?.stringValue.map { $0 + ":" } ?? "") + ($0["value"]?.stringValue ?? "") }
                parts.append("query-string=\(pairs.joined(separator: ","))")
            }
        }
        return parts.isEmpty ? "conditions unknown until apply" : LanguageWord.commentSafe(parts.joined(separator: " "))
    }

    mutating func buildLoadBalancers() throws(JSONError) {
        // Target group attachments, by group address.
        var attachments: [String: [TFResource]] = [:]
        for a in resources("aws_lb_target_group_attachment", "aws_alb_target_group_attachment") {
            guard let g = address(ref(a, ["target_group_arn"], types: Self.targetGroupTypes)) else {
                skip(a, "target group attachment", "its target group is not managed by this configuration (or unknown until apply and not resolvable)")
                continue
            }
            attachments[g, default: []].append(a)
        }
        // Target groups: placed in their VPC; lambda groups (no VPC) in the VPC of the first load balancer forwarding to them.
        var groups: [String: (group: TargetGroup, vpc: Int?)] = [:]
        var groupOrder: [String] = []
        for r in resources("aws_lb_target_group", "aws_alb_target_group") {
            let typeText = (r.string("target_type") ?? "instance").lowercased()
            guard let type = TargetGroup.TargetType(rawValue: typeText) else {
                skip(r, "target group", "target type \(typeText) (alb targets are not modelled)")
                continue
            }
            var group = TargetGroup(name: names.name(r.address), id: r.string("arn") ?? r.string("id"), targetType: type, location: at(r))
            var v: Int?
            if type != .lambda {
                guard let protoText = r.string("protocol"), let proto = AWSBuilder.listenerProtocol(protoText) else {
                    skip(r, "target group", "protocol \(r.string("protocol") ?? "unknown")")
                    continue
                }
                guard let port = try Self.tfPort(r.values, "port") else { skip(r, "target group", "no port"); continue }
                if proto == .geneve, port != LoadBalancer.genevePort {
                    skip(r, "target group", "GENEVE on port \(port): GENEVE runs on port \(LoadBalancer.genevePort)")
                    continue
                }
                group.targetProtocol = proto
                group.port = port
                guard let vpc = vpcIndex(r, "target group") else { continue }
                v = vpc
            }
            if let p = r.string("preserve_client_ip") { group.preserveClientIP = p == "true" }
            for a in attachments[r.address] ?? [] {
                let target: String
                switch type {
                case .instance:
                    let reference = ref(a, ["target_id"], types: ["aws_instance"])
                    guard let i = address(reference), let n = nameOf[i], instanceAt[n] != nil else {
                        skip(a, "load balancer target", "its instance is not imported (or target_id is unknown and not resolvable)")
                        continue
                    }
                    target = n
                case .ip:
                    var text = a.string("target_id")
                    if text == nil, a.isUnknown(["target_id"]) {
                        let found = resolveThroughConfiguration(a, ["target_id"], types: ["aws_instance", "aws_network_interface"])
                        if found.count == 1, let x = resource(found[0]) { text = x.string("private_ip") }
                    }
                    guard let t = text, (try? IPv4Address(parsing: Substring(t))) != nil else {
                        skip(a, "load balancer target", "target_id is not an IPv4 address known before apply")
                        continue
                    }
                    target = t
                case .lambda:
                    let found = a.string("target_id") ?? resolveThroughConfiguration(a, ["target_id"], types: ["aws_lambda_function", "aws_lambda_alias"]).first
                    guard let f = found else { skip(a, "load balancer target", "target_id is unknown until apply and not resolvable"); continue }
                    target = f
                }
                var entry = LoadBalancerTarget(target: target, location: at(a))
                if type != .lambda, let p = try Self.tfPort(a.values, "port"), p != group.port { entry.port = p }
                if let z = a.string("availability_zone") { entry.zone = z }
                if !group.targets.contains(entry) { group.targets.append(entry) }
                report.didImport("load balancer target")
            }
            groups[r.address] = (group, v)
            groupOrder.append(r.address)
            nameOf[r.address] = group.name
        }

        // Listeners and rules, by load balancer address / listener address, in document order.
        var listenersOf: [String: [TFResource]] = [:]
        for l in resources("aws_lb_listener", "aws_alb_listener") {
            guard let lb = address(ref(l, ["load_balancer_arn"], types: Self.loadBalancerTypes)) else {
                skip(l, "listener", "its load balancer is not managed by this configuration (or unknown until apply and not resolvable)")
                continue
            }
            listenersOf[lb, default: []].append(l)
        }
        var rulesOf: [String: [TFResource]] = [:]
        for r in resources("aws_lb_listener_rule", "aws_alb_listener_rule") {
            guard let l = address(ref(r, ["listener_arn"], types: Self.listenerTypes)) else {
                skip(r, "listener rule", "its listener is not managed by this configuration (or unknown until apply and not resolvable)")
                continue
            }
            rulesOf[l, default: []].append(r)
        }
        rulesOf = rulesOf.mapValues { $0.sorted { ($0.values["priority"]?.intValue ?? Int.max) < ($1.values["priority"]?.intValue ?? Int.max) } }

        /// The model name of the group `reference` denotes, placing a lambda group in `vpc`; nil after a warning.
        func groupName(_ owner: TFResource, _ reference: TFRef, vpc: Int) -> String? {
            guard let a = address(reference), let g = groups[a] else {
                warn(owner, "its target group is not imported (or unknown until apply and not resolvable)", into: &report)
                return nil
            }
            if g.vpc == nil { groups[a]?.vpc = vpc }
            guard (groups[a]?.vpc ?? vpc) == vpc else {
                warn(owner, "target group \(a) is in another VPC than the load balancer", into: &report)
                return nil
            }
            return g.group.name
        }

        for r in resources("aws_lb", "aws_alb") {
            let typeText = (r.string("load_balancer_type") ?? "application").lowercased()
            guard let kind = LoadBalancer.Kind(rawValue: typeText), kind != .classic else {
                skip(r, "load balancer", "type \(typeText): not a load_balancer_type aws_lb takes (application, network, gateway)")
                continue
            }
            let internalValue = r.values["internal"]?.boolValue ?? doc.expression(r, ["internal"])?["constant_value"]?.boolValue
            if internalValue == nil, r.isUnknown(["internal"]) {
                warn(r, "internal is unknown until apply: taken as internal (no path from the internet is assumed)", into: &report)
            }
            // A Gateway Load Balancer has no scheme but internal (AWS reports `internal`).
            let scheme: LoadBalancer.Scheme = kind == .gateway || (internalValue ?? r.isUnknown(["internal"])) ? .internal : .internetFacing
            // Subnets: subnet_mapping blocks (with fixed addresses and EIPs), else `subnets`.
            var placed: [(subnet: String, ip: IPv4Address?, publicIP: IPv4Address?)] = []
            let mappings = r.values["subnet_mapping"]?.elements ?? []
            for (i, m) in mappings.enumerated() {
                guard let s = address(ref(r, ["subnet_mapping", "\(i)", "subnet_id"], types: Self.lbSubnetTypes, value: m["subnet_id"])) else { continue }
                var pub: IPv4Address?
                if let e = address(ref(r, ["subnet_mapping", "\(i)", "allocation_id"], types: ["aws_eip"], value: m["allocation_id"], quiet: true)),
                   let eip = resource(e) { pub = try eip.values.tfAddress4("public_ip") }
                placed.append((s, try m.tfAddress4("private_ipv4_address"), pub))
            }
            if mappings.isEmpty, isListWritten(r, "subnets") {
                for s in refs(r, "subnets", types: Self.lbSubnetTypes) ?? [] { placed.append((s, nil, nil)) }
            }
            var v: Int?
            var lb = LoadBalancer(name: names.name(r.address), id: r.string("arn") ?? r.string("id"), kind: kind, scheme: scheme, location: at(r))
            var addresses: [IPv4Address?] = [], publics: [IPv4Address?] = []
            for p in placed {
                guard let sv = vpcOf[p.subnet], let n = nameOf[p.subnet] else {
                    warn(r, "subnet \(p.subnet.hasPrefix("id:") ? String(p.subnet.dropFirst(3)) : p.subnet) is not imported; left out", into: &report)
                    continue
                }
                if v == nil { v = sv }
                guard sv == v else { warn(r, "subnet \(p.subnet) is in another VPC; left out", into: &report); continue }
                lb.subnets.append(n)
                addresses.append(p.ip)
                publics.append(scheme == .internetFacing ? p.publicIP : nil)
            }
            guard let v else {
                skip(r, "load balancer", "none of its subnets is imported (subnets / subnet_mapping unknown, or outside the configuration)")
                continue
            }
            for a in addresses { guard let a else { break }; lb.addresses.append(a) }
            for a in publics { guard let a else { break }; lb.publicAddresses.append(a) }
            lb.securityGroups = kind == .gateway ? [] : lbGroups(r, "security_groups")
            if kind == .network || kind == .gateway, let cz = r.values["enable_cross_zone_load_balancing"]?.boolValue { lb.crossZone = cz }
            if (r.string("ip_address_type") ?? "ipv4").hasPrefix("dualstack") { lb.addressType = .dualstack }
            lb.dnsName = r.string("dns_name")
            for l in listenersOf[r.address] ?? [] {
                let protoText = l.string("protocol")
                let fallback: Listener.ListenerProtocol = kind == .application ? (l.string("certificate_arn") != nil ? .https : .http) : .tcp
                // A Gateway Load Balancer's listener has no port or protocol: every packet, over GENEVE.
                let port: UInt16
                if kind == .gateway { port = LoadBalancer.genevePort } else {
                    guard let p = try Self.tfPort(l.values, "port") else { skip(l, "listener", "no port"); continue }
                    port = p
                }
                let proto = kind == .gateway ? .geneve : protoText.flatMap(AWSBuilder.listenerProtocol) ?? fallback
                guard Listener.ListenerProtocol.allowed(for: kind).contains(proto) else {
                    skip(l, "listener", "protocol \(protoText ?? "") on a \(kind.rawValue) load balancer")
                    continue
                }
                var action: Listener.Action = .respond
                var extra: [Listener.Rule] = []
                var forwards = false
                for (i, a) in (l.values["default_action"]?.elements ?? []).enumerated() where !forwards {
                    let type = a["type"]?.stringValue ?? ""
                    guard type == "forward" else {
                        if type == "redirect" || type == "fixed-response" { break }
                        continue   // authenticate-*: a step before the forward
                    }
                    forwards = true
                    for (reference, weight) in forwardedGroups(l, a, path: ["default_action", "\(i)"]) {
                        guard weight > 0 else { report.note("\(l.address): a target group of weight 0 gets no traffic; left out"); continue }
                        guard let g = groupName(l, reference, vpc: v) else { continue }
                        if case .respond = action { action = .forward(g) }
                        else if kind == .application { extra.append(Listener.Rule(condition: "weighted forward (weight \(weight))", targetGroup: g)) }
                        else { warn(l, "a \(kind.rawValue) load balancer forwards to one target group; \(g) left out", into: &report) }
                    }
                }
                if case .respond = action, kind != .application || forwards {
                    skip(l, "listener", "no imported target group to forward to")
                    continue
                }
                if kind == .gateway, case .forward(let g) = action,
                   !groups.values.contains(where: { $0.group.name == g && $0.group.targetProtocol == .geneve }) {
                    skip(l, "listener", "a Gateway Load Balancer forwards only to a GENEVE target group, not \(g)")
                    continue
                }
                if lb.listeners.contains(where: { $0.port == port && $0.listenerProtocol == proto }) {
                    skip(l, "listener", "a second \(proto.rawValue) listener on port \(port)")
                    continue
                }
                var listener = Listener(listenerProtocol: proto, port: port, defaultAction: action, rules: extra,
                                        id: l.string("arn") ?? l.string("id"), location: at(l))
                for rule in rulesOf[l.address] ?? [] {
                    guard kind == .application else { skip(rule, "listener rule", "only application load balancers have rules"); continue }
                    let label = Self.conditionLabel(rule.values["condition"]?.elements ?? [])
                    var any = false
                    for (i, a) in (rule.values["action"]?.elements ?? []).enumerated() where a["type"]?.stringValue == "forward" {
                        for (reference, weight) in forwardedGroups(rule, a, path: ["action", "\(i)"]) where weight > 0 {
                            guard let g = groupName(rule, reference, vpc: v) else { continue }
                            if !listener.rules.contains(Listener.Rule(condition: label, targetGroup: g)) {
                                listener.rules.append(Listener.Rule(condition: label, targetGroup: g))
                            }
                            any = true
                        }
                    }
                    if any { report.didImport("listener rule") }
                    else { report.note("\(rule.address): the rule forwards to no imported target group (it redirects or answers itself)") }
                }
                lb.listeners.append(listener)
                report.didImport("listener")
            }
            if kind == .gateway, lb.listeners.isEmpty {
                skip(r, "load balancer", "a Gateway Load Balancer without its listener (aws_lb_listener forwarding to an imported GENEVE target group)")
                continue
            }
            topology.vpcs[v].loadBalancers.append(lb)
            nameOf[r.address] = lb.name
            vpcOf[r.address] = v
            report.didImport("load balancer")
        }
        for a in groupOrder {
            guard let (group, v) = groups[a] else { continue }
            guard let v else {
                if let r = resource(a) { skip(r, "target group", "a lambda target group no imported listener forwards to (it has no VPC)") }
                continue
            }
            topology.vpcs[v].targetGroups.append(group)
            vpcOf[a] = v
            report.didImport("target group")
        }
        try buildClassicLoadBalancers()
    }

    /// Classic load balancers: `aws_elb` (listener blocks, subnets, security_groups, instances,
    /// cross_zone_load_balancing) and `aws_elb_attachment`.
    mutating func buildClassicLoadBalancers() throws(JSONError) {
        var attached: [String: [String]] = [:]
        for a in resources("aws_elb_attachment") {
            guard let e = address(ref(a, ["elb"], types: ["aws_elb"])), let i = address(ref(a, ["instance"], types: ["aws_instance"])) else {
                skip(a, "ELB attachment", "its load balancer or instance is not managed by this configuration (or unknown and not resolvable)")
                continue
            }
            attached[e, default: []].append(i)
        }
        for r in resources("aws_elb") {
            let scheme: LoadBalancer.Scheme = r.values["internal"]?.boolValue == true ? .internal : .internetFacing
            var lb = LoadBalancer(name: names.name(r.address), id: r.string("name") ?? r.string("id"), kind: .classic, scheme: scheme, location: at(r))
            var v: Int?
            for s in isListWritten(r, "subnets") ? refs(r, "subnets", types: Self.lbSubnetTypes) ?? [] : [] {
                guard let sv = vpcOf[s], let n = nameOf[s] else { warn(r, "subnet \(s) is not imported; left out", into: &report); continue }
                if v == nil { v = sv }
                guard sv == v else { warn(r, "subnet \(s) is in another VPC; left out", into: &report); continue }
                lb.subnets.append(n)
            }
            guard let v else {
                skip(r, "load balancer", "none of its subnets is imported (availability_zones alone: EC2-Classic or the default VPC's subnets, not modelled)")
                continue
            }
            lb.securityGroups = lbGroups(r, "security_groups")
            if let cz = r.values["cross_zone_load_balancing"]?.boolValue { lb.crossZone = cz }
            lb.dnsName = r.string("dns_name")
            for l in r.values["listener"]?.elements ?? [] {
                guard let port = try Self.tfPort(l, "lb_port"), let instancePort = try Self.tfPort(l, "instance_port"),
                      let proto = l["lb_protocol"]?.stringValue.flatMap(AWSBuilder.listenerProtocol),
                      Listener.ListenerProtocol.allowed(for: .classic).contains(proto) else {
                    warn(r, "a listener without a known port or with protocol \(l["lb_protocol"]?.stringValue ?? "unknown"); left out", into: &report)
                    continue
                }
                if lb.listeners.contains(where: { $0.port == port }) { continue }
                lb.listeners.append(Listener(listenerProtocol: proto, port: port, defaultAction: .instancePort(instancePort), location: at(l)))
            }
            var instances: [String] = isListWritten(r, "instances") ? refs(r, "instances", types: ["aws_instance"]) ?? [] : []
            instances += attached[r.address] ?? []
            for i in instances {
                guard let n = nameOf[i], instanceAt[n] != nil, vpcOf[i] == v else {
                    warn(r, "instance \(i.hasPrefix("id:") ? String(i.dropFirst(3)) : i) is not imported (or in another VPC); left out", into: &report)
                    continue
                }
                if !lb.targets.contains(where: { $0.target == n }) { lb.targets.append(LoadBalancerTarget(target: n, location: at(r))) }
            }
            topology.vpcs[v].loadBalancers.append(lb)
            nameOf[r.address] = lb.name
            vpcOf[r.address] = v
            report.didImport("load balancer")
        }
    }
}
