// Gateway Load Balancer endpoints from Terraform (Docs/IMPORT.md): `aws_vpc_endpoint` with
// `vpc_endpoint_type = "GatewayLoadBalancer"` becomes `endpoint NAME gateway-load-balancer SERVICE subnets S`, and a
// route whose `vpc_endpoint_id` names such an endpoint of the route's VPC targets it by name. Small hooks only:
// ``buildVPCEndpoints()`` and ``routeTarget(_:_:path:destination:vpc:)`` call these.
import NetworkModel

extension TFBuilder {
    /// True for an `aws_vpc_endpoint` of type GatewayLoadBalancer.
    static func isGatewayLoadBalancerEndpoint(_ r: TFResource) -> Bool {
        r.type == "aws_vpc_endpoint" && r.string("vpc_endpoint_type") == "GatewayLoadBalancer"
    }

    /// Shapes an endpoint built like an interface endpoint into a Gateway Load Balancer one: one subnet (AWS
    /// allows exactly one; more are left out with a warning), no security groups, no private DNS.
    mutating func finishGatewayLoadBalancerEndpoint(_ r: TFResource, _ endpoint: inout VPCEndpoint) {
        endpoint.kind = .gatewayLoadBalancer
        if endpoint.subnets.count > 1 {
            warn(r, "a Gateway Load Balancer endpoint has one subnet; \(endpoint.subnets.dropFirst().joined(separator: ", ")) left out", into: &report)
            endpoint.subnets = [endpoint.subnets[0]]
            endpoint.interfaceIDs = Array(endpoint.interfaceIDs.prefix(1))
            endpoint.addresses = Array(endpoint.addresses.prefix(1))
        }
        endpoint.securityGroups = []
        endpoint.privateDNS = true
    }

    /// A route's `vpc_endpoint_id` naming a Gateway Load Balancer endpoint of the configuration in the route's VPC
    /// with a known service and at least one subnet of that VPC: the name ``buildVPCEndpoints()`` gives it (route
    /// tables are built first). Nil otherwise (the caller keeps its `unmodelled` handling).
    mutating func gatewayLoadBalancerEndpointRoute(_ r: TFResource, _ path: [String], value: JSONCursor?, vpc: Int) -> String? {
        guard case .resource(let a) = ref(r, path, types: ["aws_vpc_endpoint"], value: value, quiet: true),
              let e = resource(a), Self.isGatewayLoadBalancerEndpoint(e),
              (e.string("service_name").map { !$0.isEmpty && AWSGrammar.isServiceName($0) } ?? false) || gatewayLoadBalancerOfEndpoint(e) != nil,
              let va = address(ref(e, ["vpc_id"], types: ["aws_vpc", "aws_default_vpc"], quiet: true)), vpcOf[va] == vpc else { return nil }
        let subnets = isListWritten(e, "subnet_ids") ? refs(e, "subnet_ids", types: ["aws_subnet", "aws_default_subnet"]) ?? [] : []
        guard subnets.contains(where: { nameOf[$0] != nil && vpcOf[$0] == vpc }) else { return nil }
        return names.name(a)
    }

    /// The `aws_vpc_endpoint_service` a GWLB endpoint's `service_name` names: the one whose `service_name` it is, or
    /// (unknown until apply, in a plan) the one its configuration expression names.
    mutating func gatewayLoadBalancerEndpointService(_ r: TFResource) -> TFResource? {
        if let s = r.string("service_name"), !s.isEmpty {
            return resources("aws_vpc_endpoint_service").first { $0.string("service_name") == s }
        }
        guard r.isUnknown(["service_name"]) else { return nil }
        let found = resolveThroughConfiguration(r, ["service_name"], types: ["aws_vpc_endpoint_service"])
        return found.count == 1 ? resource(found[0]) : nil
    }

    /// The `aws_lb` of type gateway behind a GWLB endpoint: its endpoint service's first `gateway_load_balancer_arns`
    /// entry that is a load balancer of the configuration (its address). nil: none (the endpoint keeps its service
    /// name, a service outside the model).
    mutating func gatewayLoadBalancerOfEndpoint(_ r: TFResource) -> String? {
        guard let service = gatewayLoadBalancerEndpointService(r) else { return nil }
        let arns = isListWritten(service, "gateway_load_balancer_arns") ? refs(service, "gateway_load_balancer_arns", types: ["aws_lb"]) ?? [] : []
        return arns.first { a in resource(a).map { $0.type == "aws_lb" && $0.string("load_balancer_type") == "gateway" } ?? false }
    }

    /// After the load balancers: a GWLB endpoint whose endpoint service fronts an imported Gateway Load Balancer of
    /// the configuration names that load balancer (what reachability follows), in place of the service's name.
    mutating func tieGatewayLoadBalancerEndpoints() {
        for r in resources("aws_vpc_endpoint") where Self.isGatewayLoadBalancerEndpoint(r) {
            guard let name = nameOf[r.address], let v = vpcOf[r.address], let lbAddress = gatewayLoadBalancerOfEndpoint(r),
                  let lbName = nameOf[lbAddress], let k = topology.vpcs[v].endpoints.firstIndex(where: { $0.name == name }) else { continue }
            topology.vpcs[v].endpoints[k].service = lbName
            report.note("\(r.address): its endpoint service fronts \(lbAddress): the endpoint names load balancer \(lbName)")
        }
    }
}
