import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// The data plane's interfaces, VPC by VPC: instance ENIs, then NAT gateway ENIs (addresses picked when not
    /// written). TGW attachment ENIs come after all of them (``buildTransitGateways(_:)``). An interface or NAT
    /// gateway whose subnet did not resolve is left out.
    mutating func buildInterfaces(_ c: inout CompileContext) {
        let r = c.resolved
        // Written addresses, all of them first: a picked address never takes one written later.
        for vpc in c.topology.vpcs {
            // By index: only the addresses are read, not a copy of each instance and interface.
            for i in vpc.instances.indices {
                for k in vpc.instances[i].interfaces.indices {
                    c.usedAddresses.insertIfAbsent(UInt64(vpc.instances[i].interfaces[k].privateIP.bits), 0)
                    for a in vpc.instances[i].interfaces[k].secondaryIPs { c.usedAddresses.insertIfAbsent(UInt64(a.bits), 0) }
                }
            }
            for nat in vpc.natGateways { if let ip = nat.privateIP { c.usedAddresses.insertIfAbsent(UInt64(ip.bits), 0) } }
        }
        c.interfaceOfENI = [Int32](repeating: -1, count: r.interfaces.count)
        c.interfaceOfNAT = [Int32](repeating: -1, count: r.natGateways.count)
        for (vi, vpc) in c.topology.vpcs.enumerated() {
            let v = Int32(vi)
            for instanceID in r.vpcs[vi].instances {
                let n = Int(r.instances[instanceID.position].position)
                for e in r.instances[instanceID.position].interfaces {
                    let eni = r.interfaces[e.position]
                    guard let s = eni.subnet?.index else { continue }
                    let k = Int(eni.position)
                    // By index: the fields are read in place (iterating copied each instance and interface record,
                    // a dozen retains and releases per interface).
                    var publicIP: IPv4Address? = nil
                    var known = true
                    switch vpc.instances[n].interfaces[k].publicIP ?? (eni.subnetMapsPublicIP && k == 0 ? .unknown : .none) {
                    case .none: break
                    case .address(let a): publicIP = a
                    case .unknown:
                        publicIP = IPv4Address(bits: c.syntheticPublic)
                        c.syntheticPublic &+= 1
                        known = false
                    }
                    let groups = eni.securityGroups
                    let securityGroupSet: Int32 = switch groups.count {
                    case 0: internSGSet([], &c)
                    case 1: internSGSet(single: r.interfaceSecurityGroups[groups.lowerBound].index, &c)
                    default: internSGSet(r.interfaceSecurityGroups[groups].map(\.index), &c)
                    }
                    c.interfaceOfENI[e.position] = Int32(interfaces.count)
                    interfaceNICNames.append(vpc.instances[n].interfaces[k].name)
                    interfaces.append(CompiledInterface(
                        name: k == 0 ? vpc.instances[n].name : "\(vpc.instances[n].name).\(vpc.instances[n].interfaces[k].name)",
                        awsID: vpc.instances[n].interfaces[k].id, instanceID: vpc.instances[n].id,
                        kind: .instance(instance: vpc.instances[n].name), subnet: s, vpc: v,
                        primaryIP: vpc.instances[n].interfaces[k].privateIP, secondaryIPs: vpc.instances[n].interfaces[k].secondaryIPs,
                        ipv6Addresses: vpc.instances[n].interfaces[k].ipv6Addresses, publicIP: publicIP, publicIPKnown: known,
                        securityGroupSet: securityGroupSet, sourceDestCheck: vpc.instances[n].interfaces[k].sourceDestCheck,
                        location: vpc.instances[n].interfaces[k].location))
                }
            }
            for g in r.vpcs[vi].natGateways {
                guard let s = r.natGateways[g.position].subnet?.index else { continue }
                let nat = vpc.natGateways[Int(r.natGateways[g.position].position)]
                let ip = nat.privateIP ?? CompiledTopology.pickAddress(in: subnets[Int(s)].cidr, used: &c.usedAddresses)
                var eip: IPv4Address? = nil
                var isPublic = false
                var known = true
                if case .public(let e) = nat.connectivity {
                    isPublic = true
                    if let e { eip = e } else { eip = IPv4Address(bits: c.syntheticPublic); c.syntheticPublic &+= 1; known = false }
                }
                c.interfaceOfNAT[g.position] = Int32(interfaces.count)
                interfaces.append(CompiledInterface(name: nat.name, awsID: nat.id, instanceID: nil,
                                                    kind: .natGateway(publicEIP: eip, isPublic: isPublic), subnet: s, vpc: v,
                                                    primaryIP: ip, secondaryIPs: [], ipv6Addresses: [], publicIP: eip,
                                                    publicIPKnown: known, securityGroupSet: -1, sourceDestCheck: false,
                                                    location: nat.location))
                interfaceNICNames.append("")
            }
        }
    }
}
