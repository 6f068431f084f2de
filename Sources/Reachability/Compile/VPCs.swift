import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// One ``CompiledVPC`` per VPC (same index as its ``VPCID``); subnets, the main table and the default
    /// group are filled by their builders.
    mutating func buildVPCs(_ c: inout CompileContext) {
        for (vi, vpc) in c.topology.vpcs.enumerated() {
            let resolvedVPC = c.resolved.vpcs[vi]
            vpcs.append(CompiledVPC(name: vpc.name, awsID: vpc.id, cidrs: vpc.cidrs, ipv6Cidrs: vpc.ipv6Cidrs,
                                    internetGateway: vpc.internetGateway, egressOnlyGateway: vpc.egressOnlyGateway,
                                    subnets: [], defaultSecurityGroup: resolvedVPC.defaultSecurityGroup?.index ?? -1,
                                    mainRouteTable: resolvedVPC.mainRouteTable.index, region: vpc.region))
        }
    }
}
