import NetworkModel
import Testing
@testable import Importers

/// Terraform `aws_vpc_endpoint` of type GatewayLoadBalancer (TerraformImporter+GatewayLoadBalancers.swift): one
/// subnet, no groups; a route whose `vpc_endpoint_id` names it targets it by name; a route to an endpoint that is
/// not one stays `unmodelled`.
@Suite struct TerraformGatewayLoadBalancerTests {
    typealias E = TerraformEdgesTests

    static func text(endpointType: String = "GatewayLoadBalancer") -> String {
        E.state([
            E.prod,
            E.res("aws_subnet", "a", #""id": "subnet-0a1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24", "tags": {"Name": "app-a"}"#),
            E.res("aws_subnet", "b", #""id": "subnet-0b1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.2.0/24", "tags": {"Name": "gwlbe-a"}"#),
            E.res("aws_vpc_endpoint", "fw", #""id": "vpce-0gw", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "\#(endpointType)", "service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", "subnet_ids": ["subnet-0b1", "subnet-0a1"], "security_group_ids": [], "private_dns_enabled": false, "network_interface_ids": []"#),
            E.res("aws_route_table", "app", #""id": "rtb-0a1", "vpc_id": "vpc-0a1", "route": [{"cidr_block": "0.0.0.0/0", "vpc_endpoint_id": "vpce-0gw"}], "tags": {"Name": "app"}"#),
        ].joined(separator: ",\n"))
    }

    @Test func theEndpointAndTheRouteToItImport() throws {
        let result = try E.document(Self.text())
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        let vpc = result.topology.vpcs[0]
        let e = try #require(vpc.endpoints.first)
        #expect(e.kind == .gatewayLoadBalancer && e.subnets == ["gwlbe-a"] && e.securityGroups.isEmpty && e.id == "vpce-0gw")
        #expect(result.report.warnings.contains { $0.message.contains("one subnet") && $0.message.contains("app-a") }, "\(result.report.warnings)")
        let table = try E.table(vpc, "app")
        #expect(table.routes.map(\.target) == [.named(e.name)])
        #expect(roundTrips(result.topology).0)
    }

    /// `aws_lb` of type gateway, its GENEVE target group and listener, and the endpoint service tying an endpoint to it.
    static func withLoadBalancer(genevePort: Int = 6081, linked: Bool = true) -> String {
        E.state([
            E.prod,
            E.res("aws_subnet", "a", #""id": "subnet-0a1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a", "tags": {"Name": "app-a"}"#),
            E.res("aws_subnet", "b", #""id": "subnet-0b1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.2.0/24", "availability_zone": "us-east-1a", "tags": {"Name": "gwlbe-a"}"#),
            E.res("aws_subnet", "f", #""id": "subnet-0f1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.3.0/24", "availability_zone": "us-east-1a", "tags": {"Name": "fw-a"}"#),
            E.res("aws_lb", "inspect", #""id": "arn:lb/gwy/inspect/1", "arn": "arn:lb/gwy/inspect/1", "name": "inspect", "load_balancer_type": "gateway", "subnets": ["subnet-0f1"], "enable_cross_zone_load_balancing": false"#),
            E.res("aws_lb_target_group", "fws", #""id": "arn:tg/fws", "arn": "arn:tg/fws", "name": "fws", "target_type": "ip", "protocol": "GENEVE", "port": \#(genevePort), "vpc_id": "vpc-0a1""#),
            E.res("aws_lb_target_group_attachment", "fw1", #""id": "x", "target_group_arn": "arn:tg/fws", "target_id": "10.0.3.10""#),
            E.res("aws_lb_listener", "inspect", #""id": "arn:l/gw", "load_balancer_arn": "arn:lb/gwy/inspect/1", "default_action": [{"type": "forward", "target_group_arn": "arn:tg/fws"}]"#),
            E.res("aws_vpc_endpoint_service", "svc", #""id": "vpce-svc-0abc", "service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", "gateway_load_balancer_arns": [\#(linked ? "\"arn:lb/gwy/inspect/1\"" : "")], "acceptance_required": false"#),
            E.res("aws_vpc_endpoint", "fw", #""id": "vpce-0gw", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "GatewayLoadBalancer", "service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", "subnet_ids": ["subnet-0b1"], "security_group_ids": [], "network_interface_ids": []"#),
            E.res("aws_route_table", "app", #""id": "rtb-0a1", "vpc_id": "vpc-0a1", "route": [{"cidr_block": "0.0.0.0/0", "vpc_endpoint_id": "vpce-0gw"}], "tags": {"Name": "app"}"#),
        ].joined(separator: ",\n"))
    }

    @Test func theGatewayLoadBalancerItsGroupAndTheEndpointTieUp() throws {
        let result = try E.document(Self.withLoadBalancer())
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        let vpc = result.topology.vpcs[0]
        let lb = try #require(vpc.loadBalancers.first)
        #expect(lb.kind == .gateway && lb.scheme == .internal && lb.subnets == ["fw-a"] && lb.securityGroups.isEmpty && lb.crossZone == false)
        #expect(lb.listeners.map(\.defaultAction) == [.forward("fws")] && lb.listeners.first?.listenerProtocol == .geneve)
        let group = try #require(vpc.targetGroups.first)
        #expect(group.targetProtocol == .geneve && group.port == 6081 && group.targets.map(\.target) == ["10.0.3.10"])
        // The endpoint names the load balancer its endpoint service fronts (what reachability follows).
        let e = try #require(vpc.endpoints.first)
        #expect(e.kind == .gatewayLoadBalancer && e.service == lb.name, "\(e.service)")
        #expect(try E.table(vpc, "app").routes.map(\.target) == [.named(e.name)])
        #expect(roundTrips(result.topology).0)
    }

    @Test func anEndpointServiceWithoutAnImportedGatewayLoadBalancerKeepsItsName() throws {
        let result = try E.document(Self.withLoadBalancer(linked: false))
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        #expect(result.topology.vpcs[0].endpoints.first?.service == "com.amazonaws.vpce.us-east-1.vpce-svc-0abc")
    }

    @Test func aGeneveGroupOnAnotherPortIsSkippedAndTheLoadBalancerWithIt() throws {
        let result = try E.document(Self.withLoadBalancer(genevePort: 6082))
        #expect(validationErrors(result.topology).isEmpty, "\(validationErrors(result.topology))")
        #expect(result.topology.vpcs[0].loadBalancers.isEmpty && result.topology.vpcs[0].targetGroups.isEmpty)
        let reasons = result.report.skipped.map(\.reason)
        #expect(reasons.contains { $0.contains("GENEVE runs on port 6081") } && reasons.contains { $0.contains("without its listener") }, "\(reasons)")
    }

    @Test func aRouteToAnInterfaceEndpointStaysUnmodelled() throws {
        let result = try E.document(Self.text(endpointType: "Interface"))
        let table = try E.table(result.topology.vpcs[0], "app")
        #expect(table.routes.map(\.target) == [.unmodelled("vpce-0gw")])
    }
}
