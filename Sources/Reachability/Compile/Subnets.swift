import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Subnets (same index as their ``SubnetID``) with the route table and NACL the resolver chose (-1: AWS's
    /// implied allow-all NACL), and each VPC's subnet LPM.
    mutating func buildSubnets(_ c: inout CompileContext) {
        let r = c.resolved
        for (vi, vpc) in c.topology.vpcs.enumerated() {
            var lpmEntries: [(IPPrefix, Int32)] = []
            lpmEntries.reserveCapacity(2 * r.vpcs[vi].subnets.count)
            for id in r.vpcs[vi].subnets {
                let resolvedSubnet = r.subnets[id.position]
                let subnet = vpc.subnets[Int(resolvedSubnet.position)]
                let s = Int32(subnets.count)
                subnets.append(CompiledSubnet(name: subnet.name, awsID: subnet.id, vpc: Int32(vi), cidr: subnet.cidr,
                                              ipv6Cidr: subnet.ipv6Cidr, availabilityZone: subnet.availabilityZone,
                                              routeTable: resolvedSubnet.routeTable.index,
                                              networkACL: resolvedSubnet.networkACL?.index ?? -1, location: subnet.location))
                vpcs[vi].subnets.append(s)
                lpmEntries.append((.v4(subnet.cidr), s))
                if let v6 = subnet.ipv6Cidr { lpmEntries.append((.v6(v6), s)) }
            }
            subnetLPM.append(RouteLPM(lpmEntries))
        }
    }
}
