import IPAddressing
import NetworkModel

/// Addressing rules: Docker's bridge range, full subnets, overlapping blocks of connected VPCs.
enum AddressingRules {
    static let dockerBridge = IPv4Prefix(network: IPv4Address(172, 17, 0, 0), length: 16)

    static func run(_ context: inout LintContext) {
        for (v, vpc) in context.topology.vpcs.enumerated() {
            if let docker = dockerBridge {
                for block in vpc.cidrs where block.overlaps(docker) {
                    context.report(LintCatalogue.cidrDockerRange, at: vpc.location,
                                   "VPC '\(vpc.name)' block \(block) overlaps \(docker), Docker's default bridge network")
                }
            }
            for subnet in vpc.subnets { freeAddresses(subnet, vpc: v, &context) }
        }
        connectedOverlaps(&context)
    }

    /// Usable = 2^(32−p) − 5; used = interface addresses, NAT gateways, TGW attachment interfaces.
    static func freeAddresses(_ subnet: Subnet, vpc v: Int, _ context: inout LintContext) {
        guard let size = subnet.cidr.count, size > 5 else { return }
        let usable = Int(size) - 5
        var known = Set<IPv4Address>()
        var unnamed = 0
        for ref in context.index.interfaces(inSubnet: subnet.name) where ref.vpc == v {
            known.insert(ref.interface.privateIP)
            for a in ref.interface.secondaryIPs { known.insert(a) }
        }
        for nat in context.topology.vpcs[v].natGateways where nat.subnet == subnet.name {
            if let ip = nat.privateIP { known.insert(ip) } else { unnamed += 1 }
        }
        unnamed += context.index.attachmentInterfaces[subnet.name] ?? 0
        let used = known.filter { subnet.cidr.contains($0) }.count + unnamed
        guard used >= usable else { return }
        context.report(LintCatalogue.subnetNoFreeAddresses, at: subnet.location,
                       "subnet '\(subnet.name)' (\(subnet.cidr)) has \(usable) usable addresses and \(used) in use: none left for new instances, interfaces or scaling")
    }

    static func overlapping(_ a: VPC, _ b: VPC) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for x in a.cidrs { for y in b.cidrs where x.overlaps(y) { pairs.append((x.description, y.description)) } }
        for x in a.ipv6Cidrs { for y in b.ipv6Cidrs where x.overlaps(y) { pairs.append((x.description, y.description)) } }
        return pairs
    }

    static func connectedOverlaps(_ context: inout LintContext) {
        let index = context.index
        let vpcs = context.topology.vpcs
        for peering in context.topology.peerings {
            guard let a = index.vpcIndex[peering.requester], let b = index.vpcIndex[peering.accepter], a != b else { continue }
            let pairs = overlapping(vpcs[a], vpcs[b])
            guard !pairs.isEmpty else { continue }
            context.report(LintCatalogue.vpcCIDROverlapConnected, at: peering.location,
                           "peering '\(peering.name)' joins VPCs with overlapping blocks: \(pairs.map { "\($0.0) ('\(vpcs[a].name)') and \($0.1) ('\(vpcs[b].name)')" }.joined(separator: ", ")); AWS rejects such a peering",
                           related: [(vpcs[a].location, "VPC '\(vpcs[a].name)'"), (vpcs[b].location, "VPC '\(vpcs[b].name)'")])
        }
        for tgw in context.topology.transitGateways {
            for (j, later) in tgw.attachments.enumerated() {
                guard let b = index.vpcIndex[later.vpc] else { continue }
                for earlier in tgw.attachments[..<j] {
                    guard let a = index.vpcIndex[earlier.vpc], a != b else { continue }
                    let pairs = overlapping(vpcs[a], vpcs[b])
                    guard !pairs.isEmpty else { continue }
                    context.report(LintCatalogue.vpcCIDROverlapConnected, at: later.location,
                                   "transit gateway '\(tgw.name)' attaches VPCs with overlapping blocks: \(pairs.map { "\($0.0) ('\(vpcs[a].name)') and \($0.1) ('\(vpcs[b].name)')" }.joined(separator: ", ")); the later VPC's blocks do not propagate",
                                   related: [(earlier.location, "attachment '\(earlier.name)' of VPC '\(vpcs[a].name)'")])
                }
            }
        }
    }
}
