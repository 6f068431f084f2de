import IPAddressing

extension ComponentKinds {
    public enum VPCEndpoint: ComponentIDKind { public static var kindName: String { "vpc-endpoint" } }
}

/// A VPC endpoint (gateway or interface): its position in ``ResolvedTopology/vpcEndpoints``, VPC by VPC in
/// written order.
public typealias VPCEndpointID = ComponentID<ComponentKinds.VPCEndpoint>

/// One ENI of an interface endpoint: its subnet and the position of that subnet in the endpoint's written
/// ``VPCEndpoint/subnets`` (which indexes ``VPCEndpoint/addresses`` and ``VPCEndpoint/interfaceIDs``).
public struct ResolvedEndpointENI: Sendable, Hashable {
    public let subnet: SubnetID
    public let written: Int32
}

/// A VPC endpoint with its references resolved in its own VPC.
public struct ResolvedVPCEndpoint: Sendable, Hashable {
    public let vpc: VPCID
    /// Position in the VPC's ``VPC/endpoints``.
    public let position: Int32
    public let kind: VPCEndpoint.Kind
    /// Gateway endpoints: the tables that get the `pl:… -> endpoint` route (written names that denote none of
    /// the VPC's tables left out).
    public internal(set) var routeTables: [RouteTableID]
    /// Gateway endpoints: the service's prefix list (``VPCEndpoint/prefixList``, else the list named like the
    /// service's short name); nil: no such list (the endpoint routes nothing).
    public internal(set) var prefixList: PrefixListID?
    /// Interface endpoints: one ENI per written subnet that is the VPC's (repeated subnets once).
    public internal(set) var interfaces: [ResolvedEndpointENI]
    /// Interface endpoints: the written groups that are the VPC's, else the VPC's default group.
    public internal(set) var securityGroups: [SecurityGroupID]
}

extension VPCEndpoint {
    /// The service's short name: the last dot-separated part of AWS's name (`com.amazonaws.us-east-1.s3` →
    /// `s3`), or the name as written.
    public var serviceShortName: String {
        guard let dot = service.lastIndex(of: ".") else { return service }
        return String(service[service.index(after: dot)...])
    }
    /// True when `text` names this endpoint's service: the service as written, its short name, or AWS's full
    /// name in `region` (`com.amazonaws.REGION.SHORT`).
    public func servesService(_ text: String, region: String?) -> Bool {
        // A GWLB endpoint's "service" names its load balancer: no query reaches a service through it.
        if kind == .gatewayLoadBalancer { return false }
        if text == service || text == serviceShortName { return true }
        if let region, text == "com.amazonaws.\(region).\(serviceShortName)" { return true }
        return false
    }
}

extension ResolvedTopology {
    /// Every endpoint's VPC, route tables, prefix list, subnets and groups (after the route tables).
    mutating func resolveEndpoints() {
        var all: [ResolvedVPCEndpoint] = []
        for (vi, vpc) in topology.vpcs.enumerated() where !vpc.endpoints.isEmpty {
            let v = VPCID(vi)
            for (k, e) in vpc.endpoints.enumerated() {
                var tables: [RouteTableID] = []
                var prefixList: PrefixListID? = nil
                var enis: [ResolvedEndpointENI] = []
                var groups: [SecurityGroupID] = []
                switch e.kind {
                case .gateway:
                    for name in e.routeTables {
                        if let t = routeTable(named: name, in: v), !tables.contains(t) { tables.append(t) }
                    }
                    prefixList = prefixListByName[e.prefixList ?? e.serviceShortName]
                case .interface:
                    for (w, name) in e.subnets.enumerated() {
                        if let s = subnet(named: name, in: v), !enis.contains(where: { $0.subnet == s }) {
                            enis.append(ResolvedEndpointENI(subnet: s, written: Int32(w)))
                        }
                    }
                    for name in e.securityGroups {
                        if let g = securityGroupByName[name], securityGroups[g.position].vpc == v, !groups.contains(g) { groups.append(g) }
                    }
                    if groups.isEmpty, let d = vpcs[vi].defaultSecurityGroup { groups = [d] }
                case .gatewayLoadBalancer:
                    // No ENI here: a GWLB endpoint is a route target only (Docs/SEMANTICS.md "Gateway Load
                    // Balancers"); nothing is addressed to it, so it is not a query endpoint.
                    break
                }
                all.append(ResolvedVPCEndpoint(vpc: v, position: Int32(k), kind: e.kind, routeTables: tables,
                                               prefixList: prefixList, interfaces: enis, securityGroups: groups))
            }
        }
        vpcEndpoints = all
    }

    /// The written endpoint.
    public func model(_ id: VPCEndpointID) -> VPCEndpoint {
        let e = vpcEndpoints[id.position]
        return topology.vpcs[e.vpc.position].endpoints[Int(e.position)]
    }
    public func name(of id: VPCEndpointID) -> String { model(id).name }

    /// The endpoints `text` names: one by name or AWS id (`vpce-…`), else every endpoint of the service `text`
    /// names (``VPCEndpoint/servesService(_:region:)``, the VPC's region), in declaration order.
    public func vpcEndpoints(named text: String) -> [VPCEndpointID] {
        var byService: [VPCEndpointID] = []
        for i in vpcEndpoints.indices {
            let id = VPCEndpointID(i)
            let e = model(id)
            if e.name == text || e.id == text { return [id] }
            if e.servesService(text, region: topology.vpcs[vpcEndpoints[i].vpc.position].region) { byService.append(id) }
        }
        return byService
    }
}
