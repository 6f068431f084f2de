import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// Load balancers from Terraform (Fixtures/terraform/load-balancers, printed by make_lb_fixtures.sh against
/// moto): an internet-facing ALB in two public subnets (SG 443 and 8443 from anywhere) in front of `web-0` and
/// `web-1` (count = 2; their SG admits the ALB's SG on 8080), a listener rule to `api-tg`, `batch-1` behind
/// listener 8443 with an SG that does not admit the ALB, an internal NLB with fixed node addresses in front of an
/// IP target, and (in the plan) a classic ELB in front of `web-0`.
struct TerraformLoadBalancerTests {
    static func load(_ name: String) throws -> ImportResult { try TerraformReferenceTests.load(name) }

    static func vpc(_ t: Topology) throws -> VPC { try TerraformReferenceTests.vpc(t, "web") }

    static func reach(_ t: Topology, _ a: String, _ b: String, _ spec: TrafficSpec) -> Verdict? {
        let c = CompiledTopology(t)
        guard case .success(let s) = c.resolve(a), case .success(let d) = c.resolve(b) else { return nil }
        return c.reach(from: s, to: d, traffic: spec)
    }

    /// `t` with `rule` added to the ingress (or egress) rules of group `group` of VPC `web`.
    static func withRule(_ t: Topology, group: String, _ rule: SecurityGroupRule, egress: Bool = false) throws -> Topology {
        var out = t
        let vi = try #require(out.vpcs.firstIndex { $0.name == "web" })
        let gi = try #require(out.vpcs[vi].securityGroups.firstIndex { $0.name == group })
        if egress { out.vpcs[vi].securityGroups[gi].egress = (out.vpcs[vi].securityGroups[gi].egress ?? []) + [rule] } else { out.vpcs[vi].securityGroups[gi].ingress.append(rule) }
        return out
    }

    @Test(arguments: ["lb-plan", "lb-state"])
    func everyLoadBalancerResourceImports(_ name: String) throws {
        let result = try Self.load(name)
        let t = result.topology
        #expect(validationErrors(t) == [], "\(name)")
        #expect(roundTrips(t).0, "\(name)")
        #expect(result.report.skipped.map(\.id) == [], "\(name): \(result.report.skipped)")
        let v = try Self.vpc(t)
        let alb = try #require(v.loadBalancers.first { $0.name == "web-alb" })
        #expect(alb.kind == .application && alb.scheme == .internetFacing)
        #expect(Set(alb.subnets) == ["public-0", "public-1"] && alb.securityGroups == ["alb"])   // a set: a state lists it by id
        #expect(alb.listeners.map(\.port).sorted() == [80, 443, 8443])
        let https = try #require(alb.listeners.first { $0.port == 443 })
        #expect(https.listenerProtocol == .https && https.defaultAction == .forward("app-tg"))
        #expect(https.rules == [Listener.Rule(condition: "host-header=www.example.com path-pattern=/api/*", targetGroup: "api-tg")])
        #expect(alb.listeners.first { $0.port == 80 }?.defaultAction == .respond)
        // `forward { target_group { arn weight } }`.
        #expect(alb.listeners.first { $0.port == 8443 }?.defaultAction == .forward("batch-tg"))
        let app = try #require(v.targetGroups.first { $0.name == "app-tg" })
        #expect(app.targetType == .instance && app.targetProtocol == .http && app.port == 8080)
        #expect(app.targets.map(\.target) == ["web-0", "web-1"] && app.targets.allSatisfy { $0.port == nil && $0.health == nil })
        #expect(v.targetGroups.first { $0.name == "api-tg" }?.targets.map(\.target) == ["web-1"])
        let nlb = try #require(v.loadBalancers.first { $0.name == "cache-nlb" })
        #expect(nlb.kind == .network && nlb.scheme == .internal && nlb.crossZone == true && nlb.securityGroups == [])
        // moto 5.2 drops subnet_mapping's private_ipv4_address (the state reads it back empty): the model picks them.
        let fixed = [try IPv4Address("10.0.10.100"), try IPv4Address("10.0.11.100")]
        #expect(nlb.addresses == (name == "lb-plan" ? fixed : []))
        #expect(nlb.listeners.map(\.port) == [6379] && nlb.listeners.first?.listenerProtocol == .tcp)
        let cache = try #require(v.targetGroups.first { $0.name == "cache-tg" })
        #expect(cache.targetType == .ip && cache.preserveClientIP == false && cache.targets.map(\.target) == ["10.0.11.30"])
        if name == "lb-plan" {
            let elb = try #require(v.loadBalancers.first { $0.name == "legacy-elb" })
            #expect(elb.kind == .classic && elb.crossZone == false && elb.securityGroups == ["classic-elb"])
            #expect(elb.listeners == [Listener(listenerProtocol: .tcp, port: 80, defaultAction: .instancePort(8080), location: elb.listeners.first?.location ?? .unknown)])
            #expect(elb.targets.map(\.target) == ["web-0"])
        } else {
            // The state knows the ARNs and DNS names.
            #expect(alb.id?.hasPrefix("arn:aws:elasticloadbalancing:") == true && alb.dnsName != nil)
            #expect(app.id?.contains("targetgroup/app-tg/") == true)
        }
    }

    @Test(arguments: ["lb-plan", "lb-state"])
    func theInternetReachesBothInstancesThroughTheALB(_ name: String) throws {
        let t = try Self.load(name).topology
        let v = try #require(Self.reach(t, "internet", "web-alb", TrafficSpec(ipProtocol: .tcp, port: 443)))
        #expect(v.isReachable, "\(name)")
        let answer = try #require(v.loadBalancer)
        let reached = answer.targets.filter { $0.state == .reachable && $0.getsTraffic }
        // The default group and the rule's: web-0 and web-1 on 8080, from the ALB node's private address.
        #expect(Set(reached.map(\.target)) == ["web-0", "web-1"], "\(answer.targets)")
        #expect(reached.allSatisfy { $0.port == 8080 })
        // tcp/22: the ALB's group admits only 443, 8443 and 80, so the SG stops it at the load balancer's node…
        let ssh = try #require(Self.reach(t, "internet", "web-alb", TrafficSpec(ipProtocol: .tcp, port: 22)))
        #expect(!ssh.isReachable && ssh.explanation?.code == .eniSGRulesMismatch && ssh.explanation?.component.name == "alb")
        // …and with the group open on 22, there is still no listener: ELBV2_LISTENER_PORT_RESTRICTION.
        let open = try Self.withRule(t, group: "alb", SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(22), peer: .cidr(try IPPrefix("0.0.0.0/0"))))
        let noListener = try #require(Self.reach(open, "internet", "web-alb", TrafficSpec(ipProtocol: .tcp, port: 22)))
        #expect(!noListener.isReachable && noListener.explanation?.code == .elbv2ListenerPortRestriction)
        #expect(noListener.explanation?.component.name == "web-alb")
        // The instances have no public address: not reachable around the ALB.
        #expect(Self.reach(t, "internet", "web-0", TrafficSpec(ipProtocol: .tcp, port: 8080))?.isReachable == false)
    }

    @Test(arguments: ["lb-plan", "lb-state"])
    func aTargetGroupThatDoesNotAdmitTheALBBlocks(_ name: String) throws {
        let t = try Self.load(name).topology
        // Listener 8443 → batch-1 on 9000, whose SG admits only 10.99.0.0/16.
        let v = try #require(Self.reach(t, "internet", "web-alb", TrafficSpec(ipProtocol: .tcp, port: 8443)))
        #expect(!v.isReachable, "\(name)")
        let batch = try #require(v.loadBalancer?.targets.first)
        #expect(batch.target == "batch-1" && batch.port == 9000 && batch.state != .reachable)
        // Blocked at batch-1's security group, inbound.
        let why = try #require(batch.explanation)
        var blockedBy: (String, Bool)?
        if case .securityGroupRules(let group, _, let inbound, _, _, _) = why.detail { blockedBy = (group, inbound) }
        #expect(blockedBy?.0 == "batch" && blockedBy?.1 == true, "\(why.detail)")
        // The same with app's SG rule from the ALB removed: the working path breaks too.
        var broken = t
        let vi = try #require(broken.vpcs.firstIndex { $0.name == "web" })
        let gi = try #require(broken.vpcs[vi].securityGroups.firstIndex { $0.name == "app" })
        broken.vpcs[vi].securityGroups[gi].ingress.removeAll { $0.peer == .securityGroup("alb") }
        #expect(Self.reach(broken, "internet", "web-alb", TrafficSpec(ipProtocol: .tcp, port: 443))?.isReachable == false)
    }

    @Test func theNLBReachesItsIPTargetFromTheNode() throws {
        // The configuration's app group has no egress rule: give it one to the VPC.
        let t = try Self.withRule(try Self.load("lb-plan").topology, group: "app",
                                  SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(6379), peer: .cidr(try IPPrefix("10.0.0.0/16"))), egress: true)
        #expect(Self.reach(try Self.load("lb-plan").topology, "web-0", "cache-nlb", TrafficSpec(ipProtocol: .tcp, port: 6379))?.isReachable == false)
        let v = try #require(Self.reach(t, "web-0", "cache-nlb", TrafficSpec(ipProtocol: .tcp, port: 6379)))
        #expect(v.isReachable)
        let target = try #require(v.loadBalancer?.targets.first { $0.state == .reachable })
        #expect(target.target == "10.0.11.30" && target.port == 6379)
        // No preservation: the cache sees the node's address (in the app subnets), not web-0's.
        #expect(target.sourceAddress != .v4(try IPv4Address("10.0.10.10")))
        // The internal NLB is not reachable from the internet.
        #expect(Self.reach(t, "internet", "cache-nlb", TrafficSpec(ipProtocol: .tcp, port: 6379))?.isReachable == false)
    }

    @Test func theClassicELBForwardsToItsInstancePort() throws {
        let t = try Self.load("lb-plan").topology
        let v = try #require(Self.reach(t, "internet", "legacy-elb", TrafficSpec(ipProtocol: .tcp, port: 80)))
        #expect(v.isReachable)
        #expect(v.loadBalancer?.targets.filter { $0.state == .reachable }.map(\.target) == ["web-0"])
        #expect(v.loadBalancer?.targets.first?.port == 8080)
        let open = try Self.withRule(t, group: "classic-elb", SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(443), peer: .cidr(try IPPrefix("0.0.0.0/0"))))
        let other = try #require(Self.reach(open, "internet", "legacy-elb", TrafficSpec(ipProtocol: .tcp, port: 443)))
        #expect(!other.isReachable && other.explanation?.code == .elbListenerPortRestriction)
    }

    /// A classic ELB from `elb describe-load-balancers` / `describe-load-balancer-attributes` /
    /// `describe-instance-health` printed by boto3 against moto (Fixtures/moto/make_elb_snapshot.py).
    @Test func aClassicELBFromAMotoSnapshot() throws {
        let result = try importAWS([Files.fixtures + "/moto/classic-elb"])
        let t = result.topology
        #expect(validationErrors(t) == [], "\(validationErrors(t))")
        #expect(roundTrips(t).0)
        #expect(!result.report.skipped.contains { $0.type == "load balancer" || $0.type == "load balancer target" }, "\(result.report.skipped)")
        let shop = try TerraformReferenceTests.vpc(t, "shop")
        let elb = try #require(shop.loadBalancers.first)
        #expect(elb.name == "legacy-elb" && elb.id == "legacy-elb" && elb.kind == .classic && elb.scheme == .internetFacing)
        #expect(elb.subnets == ["pub-a", "pub-b"] && elb.securityGroups == ["elb"] && elb.crossZone == true)
        #expect(elb.dnsName == "legacy-elb.us-east-1.elb.amazonaws.com")
        #expect(elb.listeners.map(\.port) == [80] && elb.listeners.first?.defaultAction == .instancePort(8080))
        #expect(elb.targets.map(\.target) == ["web-1", "web-2"])
        #expect(elb.targets.map(\.health) == [nil, .unhealthy] || elb.targets.map(\.health) == [.healthy, .unhealthy])
        let v = try #require(Self.reach(t, "internet", "legacy-elb", TrafficSpec(ipProtocol: .tcp, port: 80)))
        #expect(v.isReachable)
        // Only the InService instance gets the traffic, on the instance port.
        let served = v.loadBalancer?.targets.filter { $0.state == .reachable && $0.getsTraffic } ?? []
        #expect(served.map(\.target) == ["web-1"] && served.first?.port == 8080)
        // 8080 (the instance port, not a listener): the ELB's own group admits only 80.
        let other = try #require(Self.reach(t, "internet", "legacy-elb", TrafficSpec(ipProtocol: .tcp, port: 8080)))
        #expect(!other.isReachable && other.explanation?.code == .eniSGRulesMismatch)
    }

    @Test func classicDocumentsThatDoNotNameTheirLoadBalancerAreInputErrors() throws {
        do {
            _ = try importAWS(documents: [("health.json", #"{"InstanceStates": [{"InstanceId": "i-1", "State": "InService"}]}"#)])
            Issue.record("accepted")
        } catch {
            #expect(error.path == "$.InstanceStates" && error.message.contains("LoadBalancerName"), "\(error.message)")
        }
        do {
            _ = try importAWS(documents: [("elb.json", #"{"LoadBalancerDescriptions": [{"DNSName": "x"}]}"#)])
            Issue.record("accepted")
        } catch {
            #expect(error.path == "$.LoadBalancerDescriptions[0]", "\(error.message)")
        }
    }

    /// A state by hand: weighted forward blocks, a weight-0 group, a Gateway Load Balancer without a listener and an unusable NLB
    /// listener are each imported or skipped with their reason.
    @Test func weightedForwardsAndSkippedParts() throws {
        func res(_ type: String, _ name: String, _ values: String) -> String { TerraformEdgesTests.res(type, name, values) }
        let state = TerraformEdgesTests.state([
            TerraformEdgesTests.prod,
            res("aws_subnet", "a", #""id": "subnet-0a", "vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a""#),
            res("aws_lb", "web", #""id": "arn:lb/app/web/1", "arn": "arn:lb/app/web/1", "name": "web", "load_balancer_type": "application", "internal": true, "subnets": ["subnet-0a"], "security_groups": []"#),
            res("aws_lb", "gw", #""id": "arn:lb/gwy/gw/1", "name": "gw", "load_balancer_type": "gateway", "subnets": ["subnet-0a"]"#),
            res("aws_lb_target_group", "blue", #""id": "arn:tg/blue", "arn": "arn:tg/blue", "name": "blue", "target_type": "ip", "protocol": "HTTP", "port": 80, "vpc_id": "vpc-0a1""#),
            res("aws_lb_target_group", "green", #""id": "arn:tg/green", "arn": "arn:tg/green", "name": "green", "target_type": "ip", "protocol": "HTTP", "port": 80, "vpc_id": "vpc-0a1""#),
            res("aws_lb_target_group", "red", #""id": "arn:tg/red", "arn": "arn:tg/red", "name": "red", "target_type": "ip", "protocol": "HTTP", "port": 80, "vpc_id": "vpc-0a1""#),
            res("aws_lb_target_group_attachment", "blue", #""id": "x", "target_group_arn": "arn:tg/blue", "target_id": "10.0.1.9", "port": 8081"#),
            res("aws_lb_listener", "http", #""id": "arn:l/1", "load_balancer_arn": "arn:lb/app/web/1", "port": 80, "protocol": "HTTP", "default_action": [{"type": "forward", "target_group_arn": "", "forward": [{"target_group": [{"arn": "arn:tg/blue", "weight": 80}, {"arn": "arn:tg/green", "weight": 20}, {"arn": "arn:tg/red", "weight": 0}]}]}]"#),
            res("aws_lb_listener", "orphan", #""id": "arn:l/2", "load_balancer_arn": "arn:lb/app/none/9", "port": 81, "protocol": "HTTP", "default_action": []"#),
            res("aws_lb_listener_certificate", "c", #""id": "c-1""#),
        ].joined(separator: ", "))
        let result = try TerraformReferenceTests.document(state)
        #expect(validationErrors(result.topology) == [], "\(validationErrors(result.topology))")
        let vpc = try #require(result.topology.vpcs.first)
        let web = try #require(vpc.loadBalancers.first)
        #expect(vpc.loadBalancers.count == 1 && web.name == "web" && web.scheme == .internal)
        let l = try #require(web.listeners.first)
        #expect(l.defaultAction == .forward("blue") && l.rules == [Listener.Rule(condition: "weighted forward (weight 20)", targetGroup: "green")])
        #expect(vpc.targetGroups.first { $0.name == "blue" }?.targets == [LoadBalancerTarget(target: "10.0.1.9", port: 8081, location: vpc.targetGroups.first { $0.name == "blue" }?.targets.first?.location ?? .unknown)])
        #expect(result.report.notes.contains { $0.contains("weight 0") })
        let skipped = Dictionary(result.report.skipped.map { ($0.id.split(separator: " ").first.map(String.init) ?? $0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(skipped["aws_lb.gw"]?.contains("Gateway Load Balancer without its listener") == true, "\(skipped)")
        #expect(skipped["aws_lb_listener.orphan"]?.contains("not managed by this configuration") == true, "\(skipped)")
        #expect(skipped["aws_lb_listener_certificate.c"]?.contains("certificates") == true, "\(skipped)")
    }
}
