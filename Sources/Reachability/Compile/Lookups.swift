import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// The lookup maps over the built components: (TGW, VPC) → attachment, subnet blocks → VPC, the per-hop
    /// plain-data copies of subnets and interfaces, and the address → interface maps (the first interface
    /// listed wins an address).
    mutating func buildLookups() {
        for (a, att) in tgwAttachments.enumerated() {
            let key = UInt64(UInt32(bitPattern: att.transitGateway)) << 32 | UInt64(UInt32(bitPattern: att.vpc))
            if attachmentByTGWAndVPC[key] == nil { attachmentByTGWAndVPC[key] = Int32(a) }
        }
        var subnetBlocks: [(IPPrefix, Int32)] = []
        subnetBlocks.reserveCapacity(subnets.count)
        for s in subnets.indices {
            subnetBlocks.append((.v4(subnets[s].cidr), subnets[s].vpc))
            if let v6 = subnets[s].ipv6Cidr { subnetBlocks.append((.v6(v6), subnets[s].vpc)) }
        }
        vpcBySubnetBlock = RouteLPM(subnetBlocks)

        // Plain-data hot arrays.
        var zones = NameMap<Int32>()
        // By index: the loops read a few fields of each record, not a copy of it (retaining its strings).
        subnetHot.reserveCapacity(subnets.count)
        for s in subnets.indices {
            var zone: Int32 = -1
            if let az = subnets[s].availabilityZone {
                if let z = zones[az] { zone = z } else { zone = Int32(zones.count); zones.set(zone, for: az) }
            }
            subnetHot.append(SubnetHot(vpc: subnets[s].vpc, cidr: subnets[s].cidr, hasIPv6: subnets[s].ipv6Cidr != nil, zone: zone,
                                       routeTable: subnets[s].routeTable, networkACL: subnets[s].networkACL))
        }
        interfaceHot.reserveCapacity(interfaces.count)
        for i in interfaces.indices {
            var kind: UInt8 = 0, att: Int32 = -1
            switch interfaces[i].kind {
            case .instance: kind = 0
            case .natGateway: kind = 1
            case .tgwAttachment(let a): kind = 2; att = a.index
            case .vpcEndpoint: kind = 3
            case .loadBalancer: kind = 4
            }
            interfaceHot.append(InterfaceHot(kind: kind, attachment: att, subnet: interfaces[i].subnet, vpc: interfaces[i].vpc,
                                             primaryIP: interfaces[i].primaryIP, publicIP: interfaces[i].publicIP?.bits ?? 0,
                                             securityGroupSet: interfaces[i].securityGroupSet,
                                             sourceDestCheck: interfaces[i].sourceDestCheck,
                                             hasOnlyPrimary: interfaces[i].secondaryIPs.isEmpty && interfaces[i].ipv6Addresses.isEmpty))
        }

        // Address maps (the first interface listed wins an address).
        var owner4 = IndexMap(expected: interfaces.count)
        var public4 = IndexMap(expected: interfaces.count / 4)
        // By index: the loop reads a few fields of each interface, not a copy of the record.
        for i in interfaces.indices {
            let index = Int32(i), vpc = interfaces[i].vpc
            owner4.insertIfAbsent(CompiledTopology.addressKey(vpc, interfaces[i].primaryIP), index)
            for a in interfaces[i].secondaryIPs { owner4.insertIfAbsent(CompiledTopology.addressKey(vpc, a), index) }
            for a in interfaces[i].ipv6Addresses {
                let key = AddressKey(vpc: vpc, address: .v6(a))
                if privateOwner6[key] == nil { privateOwner6[key] = index }
                if ipv6Owner[a.bits] == nil { ipv6Owner[a.bits] = index }
            }
            if let p = interfaces[i].publicIP { public4.insertIfAbsent(UInt64(p.bits), index) }
        }
        privateOwner4 = owner4
        publicOwner = public4
    }
}
