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

    @Test func aRouteToAnInterfaceEndpointStaysUnmodelled() throws {
        let result = try E.document(Self.text(endpointType: "Interface"))
        let table = try E.table(result.topology.vpcs[0], "app")
        #expect(table.routes.map(\.target) == [.unmodelled("vpce-0gw")])
    }
}
