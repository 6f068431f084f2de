/// What a query endpoint's name or AWS id denotes (``ResolvedTopology/endpointNames()``).
public enum EndpointComponent: Hashable, Sendable {
    /// An instance interface: `instance.interface`, an instance name (its first interface), an instance id
    /// (`i-…`, its first interface) or an ENI id (`eni-…`).
    case networkInterface(NetworkInterfaceID)
    /// A NAT gateway by name or id (`nat-…`).
    case natGateway(NATGatewayID)
    /// A subnet by AWS id (`subnet-…`; subnet names are ``ResolvedTopology/subnet(named:)``).
    case subnet(SubnetID)
    /// A VPC by AWS id (`vpc-…`): no endpoint, but a query that names one gets a precise error.
    case vpc(VPCID)
}

/// The names a query endpoint may use, resolved: instance interfaces and NAT gateways by name, and VPCs,
/// subnets, instances, ENIs and NAT gateways by AWS id. Only usable components are in it (an interface or NAT
/// gateway whose subnet did not resolve has no data-plane interface), so a name that is here resolves.
///
/// Built on demand by ``ResolvedTopology/endpointNames()`` (a flow-log replay never looks a name up, and on a
/// big topology these maps cost a sixth of compiling it); `CompiledTopology` builds it once on first use.
public struct EndpointNameTable: Sendable {
    /// `instance` (its first interface), `instance.interface` and NAT gateway names, in declaration order
    /// (VPC by VPC: the instances' interfaces, then the NAT gateways); a repeated name denotes the last.
    public private(set) var byName: NameMap<EndpointComponent>
    /// AWS ids: VPCs, subnets, then per VPC the instances' interfaces (an instance's id before its first ENI's)
    /// and NAT gateways; a repeated id denotes the last.
    public private(set) var byAWSID: NameMap<EndpointComponent>

    init(_ r: ResolvedTopology) {
        let t = r.topology
        byName = NameMap(minimumCapacity: 2 * r.interfaces.count + r.natGateways.count)
        byAWSID = NameMap(minimumCapacity: r.vpcs.count + r.interfaces.count + r.natGateways.count)
        for (v, vpc) in t.vpcs.enumerated() { if let id = vpc.id { byAWSID.set(.vpc(VPCID(v)), for: id) } }
        for v in r.vpcs.indices {
            let vpc = t.vpcs[v]
            for s in r.vpcs[v].subnets {
                if let id = vpc.subnets[Int(r.subnets[s.position].position)].id { byAWSID.set(.subnet(s), for: id) }
            }
        }
        for v in r.vpcs.indices {
            let vpc = t.vpcs[v]
            // Fields are read through the arrays' subscripts, never as copies of a whole instance or interface
            // (each copy retains and releases every string and array it holds: a third of this table's cost).
            for instanceID in r.vpcs[v].instances {
                let i = Int(r.instances[instanceID.position].position)
                let instanceName = vpc.instances[i].name
                for e in r.instances[instanceID.position].interfaces where r.interfaces[e.position].subnet != nil {
                    let k = Int(r.interfaces[e.position].position)
                    byName.set(.networkInterface(e), for: instanceName + "." + vpc.instances[i].interfaces[k].name)
                    if k == 0 {
                        byName.set(.networkInterface(e), for: instanceName)
                        if let id = vpc.instances[i].id { byAWSID.set(.networkInterface(e), for: id) }
                    }
                    if let id = vpc.instances[i].interfaces[k].id { byAWSID.set(.networkInterface(e), for: id) }
                }
            }
            for g in r.vpcs[v].natGateways where r.natGateways[g.position].subnet != nil {
                let n = Int(r.natGateways[g.position].position)
                byName.set(.natGateway(g), for: vpc.natGateways[n].name)
                if let id = vpc.natGateways[n].id { byAWSID.set(.natGateway(g), for: id) }
            }
        }
    }
}

extension ResolvedTopology {
    /// The query endpoint names (``EndpointNameTable``), built now: callers that ask often keep it.
    public func endpointNames() -> EndpointNameTable { EndpointNameTable(self) }
}
