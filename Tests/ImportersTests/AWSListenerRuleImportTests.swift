import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// elbv2 describe-rules and weighted default forwards from an AWS snapshot (boto3 against moto:
/// Fixtures/moto/make_alb_rules_snapshot.py): every target group a listener sends to is imported, so that a
/// connection is reachable only when the targets of every one of them answer.
@Suite struct AWSListenerRuleImportTests {
    static let folder = Files.fixtures + "/moto/alb-rules"

    static func shop(_ t: Topology) throws -> VPC { try TerraformReferenceTests.vpc(t, "shop") }

    @Test func rulesAndWeightedGroupsBecomeListenerRules() throws {
        let result = try importAWS([Self.folder])
        let t = result.topology
        #expect(validationErrors(t) == [], "\(validationErrors(t))")
        #expect(roundTrips(t).0)
        let shop = try Self.shop(t)
        let alb = try #require(shop.loadBalancers.first)
        let listener = try #require(alb.listeners.first)
        #expect(alb.listeners.count == 1 && listener.port == 80)
        #expect(listener.defaultAction == .forward("blue"))
        let api = try #require(shop.targetGroups.first { $0.targets.map(\.target) == ["api-1"] })
        #expect(listener.rules == [Listener.Rule(condition: "weighted forward (weight 20)", targetGroup: "green"),
                                   Listener.Rule(condition: "path-pattern=/api/*", targetGroup: api.name)])
        #expect(result.report.skipped.isEmpty, "\(result.report.skipped)")
        #expect(!result.report.notes.contains { $0.contains("describe-rules") }, "\(result.report.notes)")
    }

    /// api-1's group admits 9090, not 8080: the /api/* rule's connections fail, so the listener is not reachable
    /// (without the rules it would look reachable: blue and green answer); admitting the ALB makes it so.
    @Test func aRuleTargetThatDoesNotAnswerBlocks() throws {
        let t = try importAWS([Self.folder]).topology
        let v = try #require(TerraformLoadBalancerTests.reach(t, "internet", "shop-alb", TrafficSpec(ipProtocol: .tcp, port: 80)))
        #expect(!v.isReachable && v.explanation?.code == .eniSGRulesMismatch)
        let outcomes = v.loadBalancer?.targets ?? []
        #expect(outcomes.map(\.target) == ["web-1", "web-2", "api-1"])
        #expect(outcomes.map { $0.state == .reachable } == [true, true, false])

        let imported = try importAWS(Files.jsonFiles(Self.folder + "/us-east-1").filter { !$0.hasSuffix("describe-rules.json") })
        // Said, not silent: the listeners have their default action only.
        #expect(imported.report.notes.contains { $0.contains("no elbv2 describe-rules") }, "\(imported.report.notes)")
        let withoutRules = imported.topology
        let loose = try #require(TerraformLoadBalancerTests.reach(withoutRules, "internet", "shop-alb", TrafficSpec(ipProtocol: .tcp, port: 80)))
        #expect(loose.isReachable && loose.loadBalancer?.targets.map(\.target) == ["web-1", "web-2"])

        var fixed = t
        let v0 = try #require(fixed.vpcs.firstIndex { $0.name == "shop" })
        let group = try #require(fixed.vpcs[v0].instances.first { $0.name == "api-1" }?.interfaces.first?.securityGroups.first)
        let g = try #require(fixed.vpcs[v0].securityGroups.firstIndex { $0.name == group })
        fixed.vpcs[v0].securityGroups[g].ingress.append(SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(8080), peer: .securityGroup("alb")))
        let now = try #require(TerraformLoadBalancerTests.reach(fixed, "internet", "shop-alb", TrafficSpec(ipProtocol: .tcp, port: 80)))
        #expect(now.isReachable, "\(String(describing: now.explanation))")
    }

    /// A listener whose forward names a target group the snapshot lacks is left out whole (with its reason), never
    /// kept as a listener that answers itself: the load balancer then refuses the port rather than reach it.
    @Test func aForwardToAGroupNotImportedLeavesTheListenerOut() throws {
        let files = Files.jsonFiles(Self.folder + "/us-east-1").filter { !$0.hasSuffix("describe-target-groups.json") }
        let result = try importAWS(files)
        let alb = try #require(try Self.shop(result.topology).loadBalancers.first)
        #expect(alb.listeners.isEmpty)
        #expect(result.report.skipped.contains { $0.type == "listener" && $0.reason.contains("no imported target group") }, "\(result.report.skipped)")
        let v = try #require(TerraformLoadBalancerTests.reach(result.topology, "internet", "shop-alb", TrafficSpec(ipProtocol: .tcp, port: 80)))
        #expect(!v.isReachable && v.explanation?.code == .elbv2ListenerPortRestriction, "\(String(describing: v.explanation))")
    }

    @Test func ruleARNsNameTheirListener() {
        #expect(AWSBuilder.listenerARN(ofRule: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee")
                == "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2")
        #expect(AWSBuilder.listenerARN(ofRule: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shop/1/2") == nil)
        #expect(AWSBuilder.listenerARN(ofRule: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/x") == nil)
        #expect(AWSBuilder.listenerARN(ofRule: "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app//1/2") == nil)
        #expect(AWSBuilder.listenerARN(ofRule: "listener-rule/app/a/b/c") == nil)
    }

    @Test func aRuleARNOfAnotherShapeIsAnInputErrorWithItsPath() {
        let text = #"{"Rules": [{"RuleArn": "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/x/1/2", "Priority": "1", "IsDefault": false, "Conditions": [], "Actions": []}]}"#
        #expect(throws: JSONError.self) { try importAWS(documents: [("describe-rules.json", text)]) }
        do { _ = try importAWS(documents: [("describe-rules.json", text)]) } catch {
            #expect("\(error)".contains("Rules[0]") && "\(error)".contains("RuleArn"), "\(error)")
        }
    }
}
