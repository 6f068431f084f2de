// Elastic Load Balancing (Docs/IMPORT.md "Load balancers"): describe-load-balancers, describe-listeners,
// describe-target-groups, describe-target-health and describe-load-balancer-attributes (elbv2; Batfish's files
// LoadBalancers.json, LoadBalancerListeners.json, TargetGroups.json, LoadBalancerTargetHealth.json,
// LoadBalancerAttributes.json), and the load balancers' requester-managed ENIs of describe-network-interfaces
// (description `ELB net/NAME/ID`, `ELB app/NAME/ID`): their addresses and ids become the nodes'.
import IPAddressing
import JSON
import NetworkModel

extension AWSSnapshot {
    /// Reads the load-balancing documents of `root`.
    mutating func addLoadBalancing(_ root: JSONCursor, region: String?, keys: inout [String]) throws(JSONError) {
        func item(_ c: JSONCursor) -> AWSItem { AWSItem(json: c, region: region) }
        func byARN(_ key: String, _ idKey: String, _ what: String, into collection: inout AWSCollection) throws(JSONError) {
            guard let list = root[key] else { return }
            keys.append(key)
            for element in try list.array() {
                _ = try element.object()
                guard let id = try element.string(idKey) else { throw element.error("\(what) without '\(idKey)'") }
                try collection.add(id, item(element), idKey: idKey, merged: &mergedDuplicates, views: &mergedViews)
            }
        }
        try byARN("LoadBalancers", "LoadBalancerArn", "load balancer", into: &loadBalancers)
        try byARN("TargetGroups", "TargetGroupArn", "target group", into: &targetGroups)
        // describe-listeners prints `Listeners`; Batfish wraps each load balancer's in `LoadBalancerListeners`.
        func listeners(_ list: [JSONCursor]) throws(JSONError) {
            for l in list {
                _ = try l.object()
                guard let lb = try l.string("LoadBalancerArn") else { throw l.error("listener without 'LoadBalancerArn'") }
                lbListeners[lb, default: []].append(item(l))
            }
        }
        if let list = root["Listeners"] { keys.append("Listeners"); try listeners(try list.array()) }
        if let list = root["LoadBalancerListeners"] {
            keys.append("LoadBalancerListeners")
            for entry in try list.array() { try listeners(try entry.object().array("Listeners")) }
        }
        // describe-rules prints `Rules`, one listener's; each rule's listener is in its ARN:
        // `…:listener-rule/app/NAME/LB/LISTENER/RULE` belongs to `…:listener/app/NAME/LB/LISTENER`.
        if let list = root["Rules"] {
            let rules = try list.array()
            if rules.allSatisfy({ $0["RuleArn"] != nil }) {
                keys.append("Rules")
                for r in rules {
                    guard let arn = try r.object().string("RuleArn"), let listener = AWSBuilder.listenerARN(ofRule: arn) else {
                        throw r.error("listener rule whose 'RuleArn' is not '…:listener-rule/…/RULE-ID'")
                    }
                    lbRules[listener, default: []].append(item(r))
                }
            }
        }
        // ec2 describe-vpc-endpoint-service-configurations: which Gateway Load Balancers an endpoint service fronts.
        if let list = root["ServiceConfigurations"] {
            keys.append("ServiceConfigurations")
            for c in try list.array() {
                guard let name = try c.object().string("ServiceName") else { throw c.error("endpoint service configuration without 'ServiceName'") }
                var arns: [String] = []
                if c["GatewayLoadBalancerArns"] != nil { for a in try c.array("GatewayLoadBalancerArns") { arns.append(try a.string()) } }
                endpointServiceLoadBalancers[name, default: []] += arns
            }
        }
        // describe-target-health prints `TargetHealthDescriptions` for one group (its ARN from a top-level key);
        // Batfish wraps them per group in `LoadBalancerTargetHealth`.
        if let list = root["LoadBalancerTargetHealth"] {
            keys.append("LoadBalancerTargetHealth")
            for entry in try list.array() {
                guard let tg = try entry.object().string("TargetGroupArn") else { throw entry.error("target health without 'TargetGroupArn'") }
                for d in try entry.array("TargetHealthDescriptions") { targetHealth[tg, default: []].append(item(try d.object())) }
                if targetHealth[tg] == nil { targetHealth[tg] = [] }
            }
        }
        if let list = root["TargetHealthDescriptions"], let tg = try root.string("TargetGroupArn") {
            keys.append("TargetHealthDescriptions")
            for d in try list.array() { targetHealth[tg, default: []].append(item(try d.object())) }
        }
        // Classic load balancers (`aws elb …`): describe-load-balancers prints `LoadBalancerDescriptions`;
        // describe-load-balancer-attributes (an object) and describe-instance-health do not name the load balancer:
        // a top-level `LoadBalancerName`, else the file name's last part (`….NAME.json`), says which.
        if let list = root["LoadBalancerDescriptions"] {
            keys.append("LoadBalancerDescriptions")
            for element in try list.array() {
                _ = try element.object()
                guard let name = try element.string("LoadBalancerName") else { throw element.error("classic load balancer without 'LoadBalancerName'") }
                try classicLoadBalancers.add(name, item(element), idKey: "LoadBalancerName", merged: &mergedDuplicates, views: &mergedViews)
            }
        }
        func classicName(_ at: JSONCursor, _ what: String) throws(JSONError) -> String {
            if let n = try root.string("LoadBalancerName") { return n }
            let base = at.document.file.split(separator: "/").last.map(String.init) ?? at.document.file
            let parts = base.split(separator: ".")
            guard parts.count >= 3, parts.last == "json" else {
                throw at.error("\(what) output does not say which classic load balancer it is for: add a top-level \"LoadBalancerName\" or put the name in the file name (\(what).NAME.json)")
            }
            return String(parts[parts.count - 2])
        }
        if let attributes = root["LoadBalancerAttributes"], attributes.kind == .object {
            keys.append("LoadBalancerAttributes")
            classicAttributes[try classicName(attributes, "describe-load-balancer-attributes")] = item(attributes)
        }
        if let list = root["InstanceStates"] {
            keys.append("InstanceStates")
            let name = try classicName(list, "describe-instance-health")
            for s in try list.array() { classicHealth[name, default: []].append(item(try s.object())) }
            if classicHealth[name] == nil { classicHealth[name] = [] }
        }
        if let list = root["LoadBalancerAttributes"], list.kind != .object {
            keys.append("LoadBalancerAttributes")
            for entry in try list.array() {
                guard let lb = try entry.object().string("LoadBalancerArn") else { throw entry.error("attributes without 'LoadBalancerArn'") }
                for a in try entry.array("Attributes") { lbAttributes[lb, default: []].append(item(try a.object())) }
            }
        }
        if let list = root["Attributes"], let lb = try root.string("LoadBalancerArn") {
            keys.append("Attributes")
            for a in try list.array() { lbAttributes[lb, default: []].append(item(try a.object())) }
        }
    }
}

extension AWSBuilder {
    /// `ELB net/test-lb/725b…` for `arn:…:loadbalancer/net/test-lb/725b…` (an ALB's `app/…`, a classic one's name).
    static func elbDescription(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[5].hasPrefix("loadbalancer/") else { return nil }
        return "ELB " + parts[5].dropFirst("loadbalancer/".count)
    }

    /// The ENIs of the snapshot's load balancers (they are the nodes, not skipped interfaces).
    func loadBalancerInterfaceIDs() -> Set<String> {
        var descriptions: Set<String> = []
        for (arn, _) in s.loadBalancers.all { if let d = AWSBuilder.elbDescription(ofARN: arn) { descriptions.insert(d) } }
        for (name, _) in s.classicLoadBalancers.all { descriptions.insert("ELB " + name) }
        guard !descriptions.isEmpty else { return [] }
        var out: Set<String> = []
        for (id, item) in s.networkInterfaces.all {
            if let d = item.json["Description"]?.stringValue, descriptions.contains(d) { out.insert(id) }
        }
        return out
    }

    mutating func registerLoadBalancerNames() {
        for (id, item) in s.loadBalancers.all { names.register(key: id, tag: item.json["LoadBalancerName"]?.stringValue) }
        for (id, item) in s.targetGroups.all { names.register(key: id, tag: item.json["TargetGroupName"]?.stringValue) }
        for (name, _) in s.classicLoadBalancers.all { names.register(key: "elb:" + name, tag: name) }
    }

    static func listenerProtocol(_ text: String) -> Listener.ListenerProtocol? {
        switch text.lowercased() {
        case "http": .http
        case "https": .https
        case "tcp": .tcp
        case "tls": .tls
        case "udp": .udp
        case "tcp_udp": .tcpUDP
        case "ssl": .ssl
        case "geneve": .geneve
        default: nil
        }
    }

    static func port(_ c: JSONCursor, _ key: String) throws(JSONError) -> UInt16? {
        guard let v = c[key], !v.isNull else { return nil }
        let n = try v.int()
        guard (1...65535).contains(n) else { throw v.error("port \(n) is not 1...65535") }
        return UInt16(n)
    }

    /// Target groups (in their VPC), then load balancers with their nodes and listeners.
    mutating func buildLoadBalancers() throws(JSONError) {
        var groupPlace: [String: (vpc: Int, name: String)] = [:]
        for (arn, item) in s.targetGroups.all {
            let j = item.json
            guard let vpcID = try j.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("target group", id: arn, reason: "its VPC is not in the snapshot")
                continue
            }
            let typeText = (try j.string("TargetType") ?? "instance").lowercased()
            guard let type = TargetGroup.TargetType(rawValue: typeText) else {
                report.skip("target group", id: arn, reason: "target type \(typeText) (alb targets are not modelled)")
                continue
            }
            let name = names.name(arn)
            var group = TargetGroup(name: name, id: arn, targetType: type, location: at(j))
            if type != .lambda {
                guard let protoText = try j.string("Protocol"), let proto = AWSBuilder.listenerProtocol(protoText) else {
                    report.skip("target group", id: arn, reason: "protocol \(j["Protocol"]?.stringValue ?? "missing") is not a target group protocol the language has")
                    continue
                }
                guard let port = try AWSBuilder.port(j, "Port") else { throw j.error("target group \(arn) without 'Port'") }
                group.targetProtocol = proto
                group.port = port
            }
            for d in s.targetHealth[arn] ?? [] {
                guard let t = try d.json.object("Target"), let tid = try t.string("Id") else { throw d.json.error("target health without 'Target.Id'") }
                var target: String
                switch type {
                case .instance:
                    guard let n = imported[.instance, tid] else {
                        report.skip("load balancer target", id: "\(arn) \(tid)", reason: "the instance is not imported")
                        continue
                    }
                    target = n
                case .ip:
                    guard (try? IPv4Address(parsing: Substring(tid))) != nil else {
                        report.skip("load balancer target", id: "\(arn) \(tid)", reason: "not an IPv4 address")
                        continue
                    }
                    target = tid
                case .lambda:
                    target = tid
                }
                let stateText = try d.json.object("TargetHealth")?.string("State")
                var entry = LoadBalancerTarget(target: target, location: at(d.json))
                if let p = try AWSBuilder.port(t, "Port"), type != .lambda, p != group.port { entry.port = p }
                if let z = try t.string("AvailabilityZone") { entry.zone = z }
                if let st = stateText {
                    guard let h = LoadBalancerTarget.Health(rawValue: st) else { throw d.json.error("unknown target health state \(AWSGrammar.quoted(st))") }
                    entry.health = h
                }
                group.targets.append(entry)
            }
            groupPlace[arn] = (v, name)
            topology.vpcs[v].targetGroups.append(group)
            report.didImport("target group")
        }
        for (arn, item) in s.loadBalancers.all {
            let j = item.json
            if let state = try j.object("State")?.string("Code"), state != "active" {
                report.skip("load balancer", id: arn, reason: "state \(state)")
                continue
            }
            guard let vpcID = try j.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("load balancer", id: arn, reason: "its VPC is not in the snapshot")
                continue
            }
            let typeText = (try j.string("Type") ?? "application").lowercased()
            guard let kind = LoadBalancer.Kind(rawValue: typeText) else {
                report.skip("load balancer", id: arn, reason: "type \(typeText) is not a load balancer type the language has")
                continue
            }
            // A Gateway Load Balancer has no scheme in the language (AWS reports `internal`).
            let schemeText = kind == .gateway ? "internal" : try j.string("Scheme") ?? "internet-facing"
            guard let scheme = LoadBalancer.Scheme(rawValue: schemeText) else { throw j.error("unknown scheme \(AWSGrammar.quoted(schemeText))") }
            var lb = LoadBalancer(name: names.name(arn), id: arn, kind: kind, scheme: scheme, location: at(j))
            lb.dnsName = try j.string("DNSName")
            if (try j.string("IpAddressType"))?.lowercased() == "dualstack" { lb.addressType = .dualstack }
            for g in try j.array("SecurityGroups") {
                let gid = try g.string()
                if let n = imported[.securityGroup, gid] { lb.securityGroups.append(n) } else {
                    warn(g, "load balancer \(arn): security group \(gid) is not in the snapshot; left out", into: &report)
                }
            }
            // Nodes: one per availability zone's subnet; addresses from the zone's LoadBalancerAddresses, else the
            // load balancer's ENI in that subnet.
            let description = AWSBuilder.elbDescription(ofARN: arn)
            var enis: [String: (id: String, ip: IPv4Address?, publicIP: IPv4Address?)] = [:]
            for (eid, e) in s.networkInterfaces.all where description != nil && e.json["Description"]?.stringValue == description {
                guard let sid = try e.json.string("SubnetId") else { continue }
                let publicIP = try e.json.object("Association")?.ipv4Address("PublicIp")
                enis[sid] = (eid, try e.json.ipv4Address("PrivateIpAddress"), publicIP)
            }
            var addresses: [IPv4Address?] = [], publicAddresses: [IPv4Address?] = [], ids: [String?] = []
            for z in try j.array("AvailabilityZones") {
                guard let sid = try z.object().string("SubnetId") else { continue }
                guard let (sv, si) = subnet(sid), sv == v else {
                    warn(z, "load balancer \(arn): subnet \(sid) is not in the snapshot; left out", into: &report)
                    continue
                }
                let subnet = topology.vpcs[v].subnets[si]
                lb.subnets.append(subnet.name)
                var ip = enis[sid]?.ip, pub = enis[sid]?.publicIP
                for a in try z.array("LoadBalancerAddresses") {
                    if let x = try a.ipv4Address("PrivateIPv4Address") { ip = x }
                    if let x = try a.ipv4Address("IpAddress") { pub = x }
                }
                if let a = ip, !subnet.cidr.contains(a) { ip = nil }
                addresses.append(ip)
                publicAddresses.append(scheme == .internetFacing ? pub : nil)
                ids.append(enis[sid]?.id)
            }
            guard !lb.subnets.isEmpty else {
                report.skip("load balancer", id: arn, reason: "none of its subnets is in the snapshot (AvailabilityZones, describe-subnets)")
                continue
            }
            lb.appendKnownNodes(addresses: addresses, publicAddresses: publicAddresses, interfaceIDs: ids)
            for a in s.lbAttributes[arn] ?? [] where a.json["Key"]?.stringValue == "load_balancing.cross_zone.enabled" {
                if let value = a.json["Value"]?.stringValue { lb.crossZone = value == "true" }
            }
            for li in s.lbListeners[arn] ?? [] {
                let l = li.json
                if kind == .gateway {
                    // A GWLB's listener has no protocol or port: every packet to its one target group.
                    guard lb.listeners.isEmpty else { continue }
                    var group: String? = nil
                    for a in try l.array("DefaultActions") where try a.string("Type") == "forward" {
                        guard let tg = try a.string("TargetGroupArn") else { continue }
                        if let g = groupPlace[tg], g.vpc == v { group = g.name } else {
                            warn(a, "listener of \(arn): target group \(tg) is not imported (or in another VPC); the listener is left out", into: &report)
                        }
                    }
                    guard let group else {
                        report.skip("listener", id: l["ListenerArn"]?.stringValue ?? arn, reason: "no imported target group to forward to")
                        continue
                    }
                    lb.listeners.append(Listener(listenerProtocol: .geneve, port: LoadBalancer.genevePort, defaultAction: .forward(group),
                                                 id: l["ListenerArn"]?.stringValue, location: at(l)))
                    continue
                }
                guard let protoText = try l.string("Protocol"), let proto = AWSBuilder.listenerProtocol(protoText),
                      Listener.ListenerProtocol.allowed(for: kind).contains(proto) else {
                    report.skip("listener", id: l["ListenerArn"]?.stringValue ?? arn, reason: "protocol \(l["Protocol"]?.stringValue ?? "missing") on a \(kind.rawValue) load balancer")
                    continue
                }
                guard let port = try AWSBuilder.port(l, "Port") else { throw l.error("listener without 'Port'") }
                var action: Listener.Action = .respond
                var extra: [Listener.Rule] = []
                var unimported: String? = nil
                for a in try l.array("DefaultActions") where unimported == nil {
                    let type = try a.object().string("Type") ?? ""
                    guard type == "forward" else { continue }
                    // Every group of a weighted forward gets traffic (weight 0: none): the first is the default
                    // action, the others weighted-forward rules (as the Terraform importer writes them).
                    for (tg, weight, at) in try AWSBuilder.forwardedGroups(a) {
                        guard weight > 0 else { report.note("listener of \(arn): target group \(tg) has weight 0 and gets no traffic; left out"); continue }
                        guard let g = groupPlace[tg], g.vpc == v else {
                            warn(at, "listener of \(arn): target group \(tg) is not imported (or in another VPC); the listener is left out", into: &report)
                            unimported = tg
                            break
                        }
                        if case .respond = action { action = .forward(g.name) }
                        else if kind == .application { extra.append(Listener.Rule(condition: "weighted forward (weight \(weight))", targetGroup: g.name)) }
                        else { warn(at, "a \(kind.rawValue) load balancer forwards to one target group; \(g.name) left out", into: &report) }
                    }
                }
                // A forward to a group that is not imported is left out whole (never taken for a listener that
                // answers itself, which would reach the load balancer without asking any target).
                var answersItself = false
                if case .respond = action { answersItself = true }
                if unimported != nil || (answersItself && kind != .application) {
                    report.skip("listener", id: l["ListenerArn"]?.stringValue ?? arn, reason: "no imported target group to forward to")
                    continue
                }
                if lb.listeners.contains(where: { $0.port == port && $0.listenerProtocol == proto }) { continue }
                var listener = Listener(listenerProtocol: proto, port: port, defaultAction: action, rules: extra,
                                        id: l["ListenerArn"]?.stringValue, location: at(l))
                // describe-rules: each non-default rule's forwarded groups, in priority order, conditions as a label.
                let rules = (l["ListenerArn"]?.stringValue).flatMap { s.lbRules[$0] } ?? []
                var ordered: [(Int, AWSItem)] = []
                for r in rules where try r.json.bool("IsDefault") != true {
                    ordered.append((Int(try r.json.string("Priority") ?? "") ?? Int.max, r))
                }
                ordered.sort { $0.0 < $1.0 }
                for (_, r) in ordered {
                    guard kind == .application else {
                        report.skip("listener rule", id: r.json["RuleArn"]?.stringValue ?? "", reason: "only application load balancers have rules")
                        continue
                    }
                    let label = try AWSBuilder.conditionLabel(r.json.array("Conditions"))
                    var any = false
                    for a in try r.json.array("Actions") where try a.object().string("Type") == "forward" {
                        for (tg, weight, at) in try AWSBuilder.forwardedGroups(a) where weight > 0 {
                            guard let g = groupPlace[tg], g.vpc == v else {
                                warn(at, "listener rule of \(arn): target group \(tg) is not imported (or in another VPC); left out", into: &report)
                                continue
                            }
                            let rule = Listener.Rule(condition: label, targetGroup: g.name)
                            if !listener.rules.contains(rule) { listener.rules.append(rule) }
                            any = true
                        }
                    }
                    if any { report.didImport("listener rule") }
                    else { report.note("listener rule \(r.json["RuleArn"]?.stringValue ?? ""): forwards to no imported target group (it redirects or answers itself)") }
                }
                lb.listeners.append(listener)
            }
            topology.vpcs[v].loadBalancers.append(lb)
            report.didImport("load balancer")
        }
        // Nothing lost silently: rules are not in describe-listeners, and an ALB's rules may send to more groups.
        if s.lbRules.isEmpty, topology.vpcs.contains(where: { $0.loadBalancers.contains { $0.kind == .application && !$0.listeners.isEmpty } }) {
            report.note("no elbv2 describe-rules in the snapshot: application load balancer listeners have their default action only (Docs/IMPORT.md)")
        }
        tieGatewayLoadBalancerEndpoints()
        try buildClassicLoadBalancers()
    }

    /// A Gateway Load Balancer endpoint whose service (describe-vpc-endpoint-service-configurations) fronts an imported
    /// Gateway Load Balancer names that load balancer (what reachability follows), in place of the service's name.
    mutating func tieGatewayLoadBalancerEndpoints() {
        guard !s.endpointServiceLoadBalancers.isEmpty else { return }
        for v in topology.vpcs.indices {
            for k in topology.vpcs[v].endpoints.indices where topology.vpcs[v].endpoints[k].kind == .gatewayLoadBalancer {
                let service = topology.vpcs[v].endpoints[k].service
                guard let arns = s.endpointServiceLoadBalancers[service],
                      let lb = topology.vpcs.lazy.flatMap(\.loadBalancers).first(where: { $0.kind == .gateway && $0.id.map(arns.contains) == true }) else { continue }
                topology.vpcs[v].endpoints[k].service = lb.name
                report.note("VPC endpoint \(topology.vpcs[v].endpoints[k].id ?? topology.vpcs[v].endpoints[k].name): its service \(service) fronts gateway load balancer \(lb.name)")
            }
        }
    }

    /// Classic load balancers in a VPC (`VPCId`): listeners `LoadBalancerPort` → `InstancePort`, the registered
    /// `Instances` (healthy unless describe-instance-health says otherwise), nodes from the ENIs `ELB NAME`, cross-zone
    /// from describe-load-balancer-attributes (absent: off, AWS's default for the API).
    mutating func buildClassicLoadBalancers() throws(JSONError) {
        for (name, item) in s.classicLoadBalancers.all {
            let j = item.json
            var vpcText = try j.string("VPCId")
            if vpcText == nil { vpcText = try j.string("VpcId") }
            guard let vpcID = vpcText, let v = vpcIndex[vpcID] else {
                report.skip("load balancer", id: name, reason: j["VPCId"] == nil && j["VpcId"] == nil ? "no VPCId (EC2-Classic)" : "its VPC is not in the snapshot")
                continue
            }
            let schemeText = try j.string("Scheme") ?? "internet-facing"
            guard let scheme = LoadBalancer.Scheme(rawValue: schemeText) else { throw j.error("unknown scheme \(AWSGrammar.quoted(schemeText))") }
            var lb = LoadBalancer(name: names.name("elb:" + name), id: name, kind: .classic, scheme: scheme, location: at(j))
            lb.dnsName = try j.string("DNSName")
            for g in try j.array("SecurityGroups") {
                let gid = try g.string()
                if let n = imported[.securityGroup, gid] { lb.securityGroups.append(n) } else {
                    warn(g, "classic load balancer \(name): security group \(gid) is not in the snapshot; left out", into: &report)
                }
            }
            var enis: [String: (id: String, ip: IPv4Address?, publicIP: IPv4Address?)] = [:]
            for (eid, e) in s.networkInterfaces.all where e.json["Description"]?.stringValue == "ELB " + name {
                guard let sid = try e.json.string("SubnetId") else { continue }
                enis[sid] = (eid, try e.json.ipv4Address("PrivateIpAddress"), try e.json.object("Association")?.ipv4Address("PublicIp"))
            }
            var addresses: [IPv4Address?] = [], publics: [IPv4Address?] = [], ids: [String?] = []
            for sub in try j.array("Subnets") {
                let sid = try sub.string()
                guard let (sv, si) = subnet(sid), sv == v else {
                    warn(sub, "classic load balancer \(name): subnet \(sid) is not in the snapshot; left out", into: &report)
                    continue
                }
                let subnet = topology.vpcs[v].subnets[si]
                lb.subnets.append(subnet.name)
                var ip = enis[sid]?.ip
                if let a = ip, !subnet.cidr.contains(a) { ip = nil }
                addresses.append(ip)
                publics.append(scheme == .internetFacing ? enis[sid]?.publicIP : nil)
                ids.append(enis[sid]?.id)
            }
            guard !lb.subnets.isEmpty else {
                report.skip("load balancer", id: name, reason: "none of its subnets is in the snapshot (Subnets, describe-subnets)")
                continue
            }
            lb.appendKnownNodes(addresses: addresses, publicAddresses: publics, interfaceIDs: ids)
            if let attributes = s.classicAttributes[name], let cz = try attributes.json.object("CrossZoneLoadBalancing") {
                lb.crossZone = try cz.bool("Enabled")
            }
            for d in try j.array("ListenerDescriptions") {
                guard let l = try d.object().object("Listener") else { throw d.error("listener description without 'Listener'") }
                guard let protoText = try l.string("Protocol"), let proto = AWSBuilder.listenerProtocol(protoText),
                      Listener.ListenerProtocol.allowed(for: .classic).contains(proto) else {
                    report.skip("listener", id: name, reason: "protocol \(l["Protocol"]?.stringValue ?? "missing") on a classic load balancer")
                    continue
                }
                guard let port = try AWSBuilder.port(l, "LoadBalancerPort") else { throw l.error("listener without 'LoadBalancerPort'") }
                guard let instancePort = try AWSBuilder.port(l, "InstancePort") else { throw l.error("listener without 'InstancePort'") }
                if lb.listeners.contains(where: { $0.port == port }) { continue }
                lb.listeners.append(Listener(listenerProtocol: proto, port: port, defaultAction: .instancePort(instancePort), location: at(l)))
            }
            var health: [String: LoadBalancerTarget.Health] = [:]
            for st in s.classicHealth[name] ?? [] {
                guard let iid = try st.json.string("InstanceId") else { throw st.json.error("instance state without 'InstanceId'") }
                switch try st.json.string("State") {
                case "InService": health[iid] = .healthy
                case "OutOfService": health[iid] = .unhealthy
                case "Unknown": health[iid] = .initial
                case let other: throw st.json.error("unknown instance state \(AWSGrammar.quoted(other ?? "missing"))")
                }
            }
            for i in try j.array("Instances") {
                guard let iid = try i.object().string("InstanceId") else { throw i.error("instance without 'InstanceId'") }
                guard let n = imported[.instance, iid] else {
                    report.skip("load balancer target", id: "\(name) \(iid)", reason: "the instance is not imported")
                    continue
                }
                var t = LoadBalancerTarget(target: n, location: at(i))
                t.health = health[iid]
                if !lb.targets.contains(where: { $0.target == n }) { lb.targets.append(t) }
            }
            topology.vpcs[v].loadBalancers.append(lb)
            report.didImport("load balancer")
        }
    }
}

extension LoadBalancer {
    /// The nodes' private and public addresses and interface ids, one per subnet in subnet order, each list as
    /// far as its values are known: the language lists them in the order of the subnets, a prefix of known ones.
    mutating func appendKnownNodes(addresses: [IPv4Address?], publicAddresses: [IPv4Address?], interfaceIDs: [String?]) {
        for a in addresses { guard let a else { break }; self.addresses.append(a) }
        for a in publicAddresses { guard let a else { break }; self.publicAddresses.append(a) }
        for e in interfaceIDs { guard let e else { break }; self.interfaceIDs.append(e) }
    }
}

extension AWSBuilder {
    /// The listener ARN of a listener rule's ARN (`…:listener-rule/app/NAME/LB/LISTENER/RULE` →
    /// `…:listener/app/NAME/LB/LISTENER`), nil when it is not of that shape.
    static func listenerARN(ofRule arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[5].hasPrefix("listener-rule/") else { return nil }
        var path = parts[5].dropFirst("listener-rule/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard path.count >= 2, path.allSatisfy({ !$0.isEmpty }) else { return nil }
        path.removeLast()
        return parts[..<5].joined(separator: ":") + ":listener/" + path.joined(separator: "/")
    }

    /// The target groups a `forward` action sends to, with their weights (1 when not given) and where each is
    /// written: `ForwardConfig.TargetGroups`, else `TargetGroupArn`.
    static func forwardedGroups(_ action: JSONCursor) throws(JSONError) -> [(arn: String, weight: Int, at: JSONCursor)] {
        if let fc = try action.object("ForwardConfig"), let groups = fc["TargetGroups"] {
            var out: [(arn: String, weight: Int, at: JSONCursor)] = []
            for g in try groups.array() {
                guard let arn = try g.object().string("TargetGroupArn") else { throw g.error("forward target group without 'TargetGroupArn'") }
                out.append((arn, g["Weight"]?.intValue ?? 1, g))
            }
            if !out.isEmpty { return out }
        }
        if let arn = try action.string("TargetGroupArn") { return [(arn, 1, action)] }
        return []
    }

    /// A describe-rules rule's conditions as one opaque label: `host-header=www.example.com path-pattern=/api/*`
    /// (the values of each `…Config`, else of `Values`).
    static func conditionLabel(_ conditions: [JSONCursor]) throws(JSONError) -> String {
        var parts: [String] = []
        for c in conditions {
            let field = try c.object().string("Field") ?? "condition"
            func strings(_ v: JSONCursor?) -> [String] { (v?.elements ?? []).compactMap(\.stringValue) }
            var values: [String] = []
            switch field {
            case "http-header":
                let config = c["HttpHeaderConfig"]
                values = strings(config?["Values"])
                parts.append("http-header:\(config?["HttpHeaderName"]?.stringValue ?? "")=\(values.joined(separator: ","))")
                continue
            case "query-string":
                values = (c["QueryStringConfig"]?["Values"]?.elements ?? []).map {
                    ($0["Key"]?.stringValue.map { $0 + ":" } ?? "") + ($0["Value"]?.stringValue ?? "")
                }
            default:
                let config = ["host-header": "HostHeaderConfig", "path-pattern": "PathPatternConfig",
                              "http-request-method": "HttpRequestMethodConfig", "source-ip": "SourceIpConfig"][field]
                values = strings(config.flatMap { c[$0]?["Values"] })
                if values.isEmpty { values = strings(c["Values"]) }
            }
            parts.append("\(field)=\(values.joined(separator: ","))")
        }
        return parts.isEmpty ? "no conditions" : LanguageWord.commentSafe(parts.joined(separator: " "))
    }
}
