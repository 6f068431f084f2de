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
            // Each attachment's VPC blocks, swept in address order: a block overlaps the enclosing blocks still
            // open on the stack (CIDR blocks overlap only by containment). O(n log n) in the blocks.
            var pairs: [Pair: [(String, String)]] = [:]
            var v4: [(IPv4Prefix, Int)] = []
            var v6: [(IPv6Prefix, Int)] = []
            var seenVPCs = Set<String>()
            for (position, attachment) in tgw.attachments.enumerated() where seenVPCs.insert(attachment.vpc).inserted {
                guard let v = index.vpcIndex[attachment.vpc] else { continue }
                v4 += vpcs[v].cidrs.map { ($0, position) }
                v6 += vpcs[v].ipv6Cidrs.map { ($0, position) }
            }
            sweep(v4, tgw, &pairs)
            sweep(v6, tgw, &pairs)
            for (pair, blocks) in pairs.sorted(by: { ($0.key.later, $0.key.earlier) < ($1.key.later, $1.key.earlier) }) {
                let earlier = tgw.attachments[pair.earlier], later = tgw.attachments[pair.later]
                context.report(LintCatalogue.vpcCIDROverlapConnected, at: later.location,
                               "transit gateway '\(tgw.name)' attaches VPCs with overlapping blocks: \(blocks.map { "\($0.0) ('\(earlier.vpc)') and \($0.1) ('\(later.vpc)')" }.joined(separator: ", ")); the later VPC's blocks do not propagate",
                               related: [(earlier.location, "attachment '\(earlier.name)' of VPC '\(earlier.vpc)'")])
            }
        }
    }

    /// Two attachments of one TGW (positions in its attachment list), earlier first.
    struct Pair: Hashable {
        var earlier: Int
        var later: Int
    }

    static func sweep<A: IPAddressProtocol>(_ blocks: [(Prefix<A>, Int)], _ tgw: TransitGateway,
                                            _ pairs: inout [Pair: [(String, String)]]) {
        var open: [(Prefix<A>, Int)] = []
        for (block, owner) in blocks.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
            while let top = open.last, !top.0.contains(block) { open.removeLast() }
            for (outer, other) in open where tgw.attachments[other].vpc != tgw.attachments[owner].vpc {
                let pair = Pair(earlier: min(owner, other), later: max(owner, other))
                let texts = owner > other ? (outer.description, block.description) : (block.description, outer.description)
                pairs[pair, default: []].append(texts)
            }
            open.append((block, owner))
        }
    }
}
