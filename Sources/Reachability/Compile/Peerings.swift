import NetworkModel

extension CompiledTopology {
    /// Peerings whose two VPCs exist (same index as their ``PeeringID``), and the VPC pair → peering map (a
    /// repeated pair: the last written).
    mutating func buildPeerings(_ c: inout CompileContext) {
        for resolvedPeering in c.resolved.peerings {
            let p = c.topology.peerings[Int(resolvedPeering.position)]
            let a = resolvedPeering.requester.index, b = resolvedPeering.accepter.index
            peeringByPair[CompiledTopology.pairKey(a, b)] = Int32(peerings.count)
            peerings.append(CompiledPeering(name: p.name, awsID: p.id, vpcA: a, vpcB: b))
        }
    }
}
