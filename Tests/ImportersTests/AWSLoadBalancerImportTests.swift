import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// Elastic Load Balancing in the AWS importer (issue 23): the Batfish snapshot test-load-balancer (an internal
/// NLB, listener TCP 80 → instance targets on port 22 in two AZs, cross-zone on) imports whole and its flows
/// follow Docs/SEMANTICS.md "Load balancers"; malformed documents fail with their JSON path.
@Suite struct AWSLoadBalancerImportTests {
    static let folder = "test-load-balancer/aws_configs"

    @Test(.enabled(if: Files.batfish != nil, "the shared Batfish snapshots are not on this machine"))
    func theNLBIsModelled() throws {
        let result = try importAWS([try #require(Files.batfish) + "/" + Self.folder])
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        #expect(roundTrips(result.topology).0)
        let vpc = try #require(result.topology.vpcs.first { !$0.loadBalancers.isEmpty })
        let lb = try #require(vpc.loadBalancers.first)
        #expect(lb.name == "test-lb" && lb.kind == .network && lb.scheme == .internal && lb.crossZone == true)
        let nodes = [try IPv4Address("10.1.20.123"), try IPv4Address("10.1.1.237")]
        #expect(lb.addresses == nodes)
        #expect(lb.interfaceIDs == ["eni-0c82d6f7254ae6695", "eni-01f261dccaba46564"])
        #expect(lb.dnsName == "test-lb-725b996cb6be8fba.elb.us-east-2.amazonaws.com")
        #expect(lb.listeners.map(\.port) == [80] && lb.listeners.first?.defaultAction == .forward("test-lb-tg"))
        let tg = try #require(vpc.targetGroups.first { $0.name == "test-lb-tg" })
        #expect(tg.targetType == .instance && tg.port == 80)
        #expect(tg.targets.map(\.target).sorted() == ["test1", "test20"] && tg.targets.allSatisfy { $0.port == 22 && $0.health == .healthy })
        // The load balancer's ENIs are its nodes, not skipped interfaces; the other VPC's target groups are skipped.
        #expect(!result.report.skipped.contains { $0.type == "network interface" })
        #expect(!result.report.skipped.contains { $0.type == "load balancer" })
        #expect(result.report.skipped.filter { $0.type == "target group" }.count == 3)
    }

    @Test(.enabled(if: Files.batfish != nil, "the shared Batfish snapshots are not on this machine"))
    func flowsThroughTheNLB() throws {
        let c = CompiledTopology(try importAWS([try #require(Files.batfish) + "/" + Self.folder]).topology)
        guard case .success(let jump) = c.resolve("Jump-Host"), case .success(let lb) = c.resolve("test-lb"),
              case .success(let test1) = c.resolve("test1") else {
            Issue.record("endpoints do not resolve")
            return
        }
        // Listener TCP 80: the node in the jump host's AZ? It has none (us-east-2c); the first node (us-east-2a)
        // sends to the target of its AZ and, cross-zone on, the other one, on port 22 with the client address.
        let v = c.reach(from: jump, to: lb, traffic: TrafficSpec(ipProtocol: .tcp, port: 80))
        #expect(v.isReachable, "\(v.explanation.map { $0.description(files: c.topology.files) } ?? "")")
        let answer = try #require(v.loadBalancer)
        #expect(answer.node == "test-lb@Subnet-20" && answer.zone == "us-east-2a")
        let ofZone = try #require(answer.targets.first { $0.zone == "us-east-2a" })
        #expect(ofZone.target == "test20" && ofZone.port == 22 && ofZone.state == .reachable && ofZone.getsTraffic)
        #expect(ofZone.sourceAddress == .v4(IPv4Address(10, 1, 250, 112)))
        #expect(v.forwardPath.last?.header.destinationPorts == PortSet(port: 22))
        // Another port: no listener, blocked at the load balancer.
        let other = c.reach(from: jump, to: lb, traffic: TrafficSpec(ipProtocol: .tcp, port: 22))
        #expect(other.explanation?.code == .elbv2ListenerPortRestriction)
        #expect(other.explanation?.component.name == "test-lb")
        // The node's address names it too; a target through its own NLB with client-IP preservation: hairpin.
        expectHairpin(c.reach(from: test1, to: lb, traffic: TrafficSpec(ipProtocol: .tcp, port: 80)))
        guard case .success(let node) = c.resolve("10.1.1.237") else { Issue.record("node address"); return }
        #expect(c.reach(from: jump, to: node, traffic: TrafficSpec(ipProtocol: .tcp, port: 80)).loadBalancer?.node == "test-lb@Subnet-1")
    }

    func expectHairpin(_ v: Verdict, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(v.explanation?.code == .elbv2SourceAddressPreservation, sourceLocation: sourceLocation)
    }

    static let base = """
    {"Vpcs": [{"VpcId": "vpc-0a", "CidrBlock": "10.0.0.0/16"}],
     "Subnets": [{"SubnetId": "subnet-0a", "VpcId": "vpc-0a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"}]}
    """

    @Test(arguments: [
        (#"{"LoadBalancers": [{"LoadBalancerName": "x"}]}"#, "$.LoadBalancers[0]"),
        (#"{"LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/x/1", "VpcId": "vpc-0a", "Type": "network", "Scheme": "sideways", "AvailabilityZones": []}]}"#, "$.LoadBalancers[0]"),
        (#"{"TargetGroups": [{"TargetGroupArn": "arn:tg/1", "VpcId": "vpc-0a", "TargetType": "instance", "Protocol": "TCP", "Port": 70000}]}"#, "$.TargetGroups[0].Port"),
        (#"{"LoadBalancerListeners": [{"Listeners": [{"Port": 80}]}]}"#, "$.LoadBalancerListeners[0].Listeners[0]"),
        (#"{"LoadBalancerTargetHealth": [{"TargetHealthDescriptions": []}]}"#, "$.LoadBalancerTargetHealth[0]"),
        (#"{"TargetGroups": [{"TargetGroupArn": "arn:tg/1", "VpcId": "vpc-0a", "TargetType": "ip", "Protocol": "TCP", "Port": 22}], "LoadBalancerTargetHealth": [{"TargetGroupArn": "arn:tg/1", "TargetHealthDescriptions": [{"Target": {"Id": "10.0.1.9"}, "TargetHealth": {"State": "sleepy"}}]}]}"#, "$.LoadBalancerTargetHealth[0].TargetHealthDescriptions[0]"),
    ])
    func malformedDocumentsNameTheirPath(_ document: String, _ path: String) {
        do {
            _ = try importAWS(documents: [("base.json", Self.base), ("lb.json", document)])
            Issue.record("accepted: \(document)")
        } catch {
            #expect(error.path == path, "\(error.message)")
        }
    }

    @Test func anALBWithAddressesAndHealthImports() throws {
        let doc = """
        {"LoadBalancers": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1", "LoadBalancerName": "web",
           "VpcId": "vpc-0a", "Type": "application", "Scheme": "internet-facing", "SecurityGroups": [],
           "AvailabilityZones": [{"SubnetId": "subnet-0a", "ZoneName": "us-east-1a", "LoadBalancerAddresses": []}]}],
         "TargetGroups": [{"TargetGroupArn": "arn:tg/ip", "TargetGroupName": "ips", "VpcId": "vpc-0a", "TargetType": "ip", "Protocol": "HTTP", "Port": 8080}],
         "LoadBalancerTargetHealth": [{"TargetGroupArn": "arn:tg/ip", "TargetHealthDescriptions": [
            {"Target": {"Id": "10.0.1.9", "Port": 8081}, "TargetHealth": {"State": "draining"}}]}],
         "LoadBalancerListeners": [{"Listeners": [{"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1",
            "Port": 443, "Protocol": "HTTPS", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:tg/ip"}]},
           {"LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1",
            "Port": 80, "Protocol": "HTTP", "DefaultActions": [{"Type": "redirect"}]}]}],
         "NetworkInterfaces": [{"NetworkInterfaceId": "eni-0lb", "SubnetId": "subnet-0a", "PrivateIpAddress": "10.0.1.77",
            "Description": "ELB app/web/1", "InterfaceType": "interface", "RequesterManaged": true,
            "Association": {"PublicIp": "54.1.1.1"}}]}
        """
        let result = try importAWS(documents: [("base.json", Self.base), ("lb.json", doc)])
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        let lb = try #require(result.topology.vpcs.first?.loadBalancers.first)
        #expect(lb.kind == .application && lb.scheme == .internetFacing)
        let node = [try IPv4Address("10.0.1.77")], pub = [try IPv4Address("54.1.1.1")]
        #expect(lb.addresses == node && lb.publicAddresses == pub && lb.interfaceIDs == ["eni-0lb"])
        #expect(lb.listeners.map(\.defaultAction) == [.forward("ips"), .respond])
        let t = try #require(result.topology.vpcs.first?.targetGroups.first?.targets.first)
        #expect(t.target == "10.0.1.9" && t.port == 8081 && t.health == .draining)
        #expect(!result.report.skipped.contains { $0.id.hasPrefix("eni-0lb") })
    }
}
