/// Counts of what a topology holds, for `vpckit check`.
public struct TopologySummary: Hashable, Sendable {
    public var vpcs = 0, subnets = 0, routeTables = 0, routes = 0, securityGroups = 0, securityGroupRules = 0
    public var networkACLs = 0, networkACLRules = 0, instances = 0, interfaces = 0, natGateways = 0
    public var internetGateways = 0, egressOnlyGateways = 0, peerings = 0, transitGateways = 0
    public var tgwAttachments = 0, prefixLists = 0, assertions = 0, policies = 0
    /// The network's edges.
    public var vpnGateways = 0, vpcEndpoints = 0, customerGateways = 0, vpnConnections = 0
    public var directConnectGateways = 0, virtualInterfaces = 0, onPremisesNetworks = 0

    /// Counts `topology`.
    public init(_ topology: Topology) {
        vpcs = topology.vpcs.count
        for v in topology.vpcs {
            subnets += v.subnets.count
            routeTables += v.routeTables.count
            for t in v.routeTables { routes += t.routes.count }
            securityGroups += v.securityGroups.count
            for g in v.securityGroups { securityGroupRules += g.ingress.count + (g.egress?.count ?? 0) }
            networkACLs += v.networkACLs.count
            for a in v.networkACLs { networkACLRules += a.inbound.count + a.outbound.count }
            instances += v.instances.count
            for i in v.instances { interfaces += i.interfaces.count }
            natGateways += v.natGateways.count
            if v.internetGateway != nil { internetGateways += 1 }
            if v.egressOnlyGateway != nil { egressOnlyGateways += 1 }
            if v.vpnGateway != nil { vpnGateways += 1 }
            vpcEndpoints += v.endpoints.count
        }
        customerGateways = topology.customerGateways.count
        vpnConnections = topology.vpnConnections.count
        directConnectGateways = topology.directConnectGateways.count
        virtualInterfaces = topology.virtualInterfaces.count
        onPremisesNetworks = topology.onPremisesNetworks.count
        peerings = topology.peerings.count
        transitGateways = topology.transitGateways.count
        for t in topology.transitGateways { tgwAttachments += t.attachments.count }
        prefixLists = topology.prefixLists.count
        assertions = topology.assertions.count
        policies = topology.policies.count
    }

    /// `2 VPCs, 4 subnets, …` (zero counts left out, except VPCs).
    public var text: String {
        func item(_ n: Int, _ one: String, _ many: String) -> String? { n == 0 ? nil : "\(n) \(n == 1 ? one : many)" }
        let items: [String?] = [
            "\(vpcs) VPC\(vpcs == 1 ? "" : "s")",
            item(subnets, "subnet", "subnets"),
            item(routeTables, "route table", "route tables"),
            item(routes, "route", "routes"),
            item(internetGateways, "internet gateway", "internet gateways"),
            item(egressOnlyGateways, "egress-only gateway", "egress-only gateways"),
            item(vpnGateways, "VPN gateway", "VPN gateways"),
            item(vpcEndpoints, "VPC endpoint", "VPC endpoints"),
            item(natGateways, "NAT gateway", "NAT gateways"),
            item(securityGroups, "security group", "security groups"),
            item(securityGroupRules, "SG rule", "SG rules"),
            item(networkACLs, "network ACL", "network ACLs"),
            item(networkACLRules, "NACL rule", "NACL rules"),
            item(instances, "instance", "instances"),
            item(peerings, "peering", "peerings"),
            item(transitGateways, "transit gateway", "transit gateways"),
            item(tgwAttachments, "TGW attachment", "TGW attachments"),
            item(prefixLists, "prefix list", "prefix lists"),
            item(customerGateways, "customer gateway", "customer gateways"),
            item(vpnConnections, "VPN connection", "VPN connections"),
            item(directConnectGateways, "Direct Connect gateway", "Direct Connect gateways"),
            item(virtualInterfaces, "virtual interface", "virtual interfaces"),
            item(onPremisesNetworks, "on-premises network", "on-premises networks"),
            item(assertions, "assertion", "assertions"),
            item(policies, "policy", "policies"),
        ]
        return items.compactMap { $0 }.joined(separator: ", ")
    }
}
