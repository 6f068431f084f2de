import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// Gateway Load Balancers in the AWS importer (issue 23): a `gateway` load balancer with its GENEVE target group
/// and listener, its endpoint (`VpcEndpointType` GatewayLoadBalancer) and routes to the endpoint by `GatewayId`,
/// `GatewayLoadBalancerEndpointId` and `VpcEndpointId` (an IGW edge table and a subnet table).
@Suite struct AWSGatewayLoadBalancerImportTests {
    static let arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/gwy/fw/1"

    static func document(endpointVPC: String = "vpc-0a", extraRoute: String = "") -> String {
        """
        {"Vpcs": [{"VpcId": "vpc-0a", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-0b", "CidrBlock": "10.1.0.0/16"}],
         "Subnets": [{"SubnetId": "subnet-0a", "VpcId": "vpc-0a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a"},
                     {"SubnetId": "subnet-0b", "VpcId": "vpc-0a", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1a"},
                     {"SubnetId": "subnet-0c", "VpcId": "vpc-0a", "CidrBlock": "10.0.3.0/24", "AvailabilityZone": "us-east-1a"},
                     {"SubnetId": "subnet-1a", "VpcId": "vpc-0b", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a"}],
         "InternetGateways": [{"InternetGatewayId": "igw-0a", "Attachments": [{"VpcId": "vpc-0a", "State": "available"}]}],
         "RouteTables": [
           {"RouteTableId": "rtb-edge", "VpcId": "vpc-0a",
            "Associations": [{"Main": false, "GatewayId": "igw-0a", "AssociationState": {"State": "associated"}}],
            "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                       {"DestinationCidrBlock": "10.0.1.0/24", "VpcEndpointId": "vpce-0gw"}]},
           {"RouteTableId": "rtb-app", "VpcId": "vpc-0a",
            "Associations": [{"Main": false, "SubnetId": "subnet-0a", "AssociationState": {"State": "associated"}}],
            "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
                       {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "vpce-0gw"},
                       {"DestinationCidrBlock": "192.168.0.0/16", "GatewayLoadBalancerEndpointId": "vpce-0gw"}\(extraRoute)]}],
         "VpcEndpoints": [{"VpcEndpointId": "vpce-0gw", "VpcEndpointType": "GatewayLoadBalancer", "VpcId": "\(endpointVPC)",
            "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", "State": "available",
            "SubnetIds": ["\(endpointVPC == "vpc-0a" ? "subnet-0b" : "subnet-1a")"], "NetworkInterfaceIds": [], "Groups": []}],
         "LoadBalancers": [{"LoadBalancerArn": "\(arn)", "LoadBalancerName": "fw", "VpcId": "vpc-0a", "Type": "gateway",
            "State": {"Code": "active"}, "AvailabilityZones": [{"SubnetId": "subnet-0c", "ZoneName": "us-east-1a", "LoadBalancerAddresses": []}]}],
         "TargetGroups": [{"TargetGroupArn": "arn:tg/fleet", "TargetGroupName": "fleet", "VpcId": "vpc-0a", "TargetType": "ip",
            "Protocol": "GENEVE", "Port": 6081}],
         "LoadBalancerTargetHealth": [{"TargetGroupArn": "arn:tg/fleet", "TargetHealthDescriptions": [
            {"Target": {"Id": "10.0.3.10", "Port": 6081}, "TargetHealth": {"State": "healthy"}}]}],
         "LoadBalancerListeners": [{"Listeners": [{"LoadBalancerArn": "\(arn)", "ListenerArn": "arn:listener/1",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": "arn:tg/fleet"}]}]}]}
        """
    }

    @Test func theGWLBItsEndpointAndTheRoutesImport() throws {
        let result = try importAWS(documents: [("net.json", Self.document())])
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        #expect(roundTrips(result.topology).0)
        let vpc = try #require(result.topology.vpcs.first)
        let lb = try #require(vpc.loadBalancers.first)
        #expect(lb.kind == .gateway && lb.scheme == .internal && lb.id == Self.arn)
        #expect(lb.listeners.map(\.defaultAction) == [.forward("fleet")] && lb.listeners.first?.listenerProtocol == .geneve)
        let group = try #require(vpc.targetGroups.first)
        #expect(group.targetProtocol == .geneve && group.port == 6081 && group.targets.map(\.target) == ["10.0.3.10"])
        let e = try #require(vpc.endpoints.first)
        #expect(e.kind == .gatewayLoadBalancer && e.id == "vpce-0gw" && e.subnets.count == 1)
        let app = try #require(vpc.routeTables.first { $0.id == "rtb-app" })
        let edge = try #require(vpc.routeTables.first { $0.id == "rtb-edge" })
        #expect(app.routes.map(\.target) == [.named(e.name), .named(e.name)], "GatewayId and GatewayLoadBalancerEndpointId")
        #expect(edge.routes.map(\.target) == [.named(e.name)], "VpcEndpointId in the IGW's edge table")
        #expect(!result.report.skipped.contains { $0.type == "load balancer" || $0.type == "target group" || $0.type == "VPC endpoint" })
        // Without describe-vpc-endpoint-service-configurations the endpoint's service is not tied to the GWLB: a
        // service outside the model, never "reachable".
        let c = CompiledTopology(result.topology)
        guard case .success(let from) = c.resolve("10.0.1.9"), case .success(let to) = c.resolve("8.8.8.8") else {
            Issue.record("endpoints do not resolve"); return
        }
        let v = c.reach(from: from, to: to, traffic: TrafficSpec(ipProtocol: .tcp, port: 443))
        #expect(!v.isReachable && v.explanation?.code == .unsupportedComponent)
    }

    /// describe-vpc-endpoint-service-configurations ties the endpoint to the GWLB its service fronts: reachability
    /// then follows it (here to an appliance address no interface holds: unproven, not reachable).
    @Test func theEndpointServiceConfigurationTiesTheEndpointToTheGWLB() throws {
        let services = #"{"ServiceConfigurations": [{"ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", "ServiceType": [{"ServiceType": "GatewayLoadBalancer"}], "GatewayLoadBalancerArns": ["\#(Self.arn)"]}]}"#
        let result = try importAWS(documents: [("net.json", Self.document()), ("services.json", services)])
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        #expect(roundTrips(result.topology).0)
        let vpc = try #require(result.topology.vpcs.first)
        #expect(vpc.endpoints.first?.service == "fw", "\(String(describing: vpc.endpoints.first))")
        #expect(result.report.notes.contains { $0.contains("fronts gateway load balancer fw") }, "\(result.report.notes)")
        let c = CompiledTopology(result.topology)
        let app = try #require(c.subnet(named: vpc.subnets.first { $0.id == "subnet-0a" }?.name ?? ""))
        let d = c.routeDecision(subnet: app, address: try IPAddress("8.8.8.8"))
        guard case .gatewayLoadBalancerEndpoint? = d.chosen?.target else { Issue.record("\(String(describing: d.chosen))"); return }
        guard case .success(let from) = c.resolve("10.0.1.9"), case .success(let to) = c.resolve("8.8.8.8") else {
            Issue.record("endpoints do not resolve"); return
        }
        let v = c.reach(from: from, to: to, traffic: TrafficSpec(ipProtocol: .tcp, port: 443))
        #expect(!v.isReachable && v.explanation?.code == .unsupportedComponent && v.disposition.kind == "unproven")
    }

    @Test func aRouteToAnotherVPCsEndpointStaysUnmodelled() throws {
        let result = try importAWS(documents: [("net.json", Self.document(endpointVPC: "vpc-0b"))])
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        let app = try #require(result.topology.vpcs.first?.routeTables.first { $0.id == "rtb-app" })
        #expect(app.routes.map(\.target) == [.unmodelled("vpce-0gw"), .unmodelled("vpce-0gw")])
    }
}
