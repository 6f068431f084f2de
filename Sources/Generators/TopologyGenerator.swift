import IPAddressing
import NetworkModel

/// A seeded generator of large, valid topologies (benchmarks and scale tests).
///
/// The result always passes ``TopologyValidator``: VPC blocks are disjoint slices of `10.0.0.0/8`, subnets
/// are disjoint slices of their VPC, addresses avoid the reserved five, names are unique. Each VPC gets public
/// subnets (one per AZ) routed to an internet gateway, a NAT gateway per AZ, private route tables per AZ, a
/// network ACL on its private subnets, security groups that reference each other, and instances spread over
/// the subnets. A transit gateway hub attaches every VPC (one subnet per AZ), and optional peerings join
/// neighbouring VPCs. The same seed and sizes give the same topology.
public struct TopologyGenerator: Sendable {
    public var seed: UInt64
    public var vpcs: Int
    public var subnetsPerVPC: Int
    /// Instances in total, spread over all subnets.
    public var instances: Int
    /// Security groups in total, spread over the VPCs (at least one per VPC).
    public var securityGroups: Int
    /// Peerings between neighbouring VPCs (at most `vpcs - 1`).
    public var peerings: Int
    /// Whether a transit gateway hub attaches every VPC.
    public var transitGateway: Bool
    /// Availability zones per VPC (1...3).
    public var zones: Int

    /// Sizes; values are clamped to what fits (at most 4,096 VPCs of /20 and subnets no smaller than /28).
    public init(seed: UInt64 = 1, vpcs: Int = 10, subnetsPerVPC: Int = 6, instances: Int = 100, securityGroups: Int = 30,
                peerings: Int? = nil, transitGateway: Bool = true, zones: Int = 2) {
        self.seed = seed
        self.vpcs = max(1, min(vpcs, 4096))
        self.subnetsPerVPC = max(1, subnetsPerVPC)
        self.instances = max(0, instances)
        self.securityGroups = max(self.vpcs, securityGroups)
        self.peerings = max(0, min(peerings ?? self.vpcs / 4, self.vpcs - 1))
        self.transitGateway = transitGateway
        self.zones = max(1, min(zones, 3))
    }

    /// The 2,000-VPC benchmark topology of the issue (≈10 MB of DSL).
    public static let benchmark = TopologyGenerator(seed: 42, vpcs: 2000, subnetsPerVPC: 20, instances: 100_000,
                                                    securityGroups: 10_000, peerings: 500)

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    }

    static func bitsFor(_ n: Int) -> Int {
        var bits = 0
        while (1 << bits) < n { bits += 1 }
        return bits
    }

    /// Builds the topology.
    public func generate() -> Topology {
        var rng = Random(state: seed)
        var topology = Topology()
        let azNames = ["a", "b", "c"].prefix(zones).map { "us-east-1" + $0 }
        // VPC block length: enough /N blocks inside 10.0.0.0/8; subnets: enough slices inside the VPC.
        let vpcLengthClamped = max(16, min(20, 8 + TopologyGenerator.bitsFor(vpcs)))
        let subnetCount = max(subnetsPerVPC, zones)
        let subnetLength = min(28, vpcLengthClamped + max(1, TopologyGenerator.bitsFor(subnetCount)))
        let maxSubnets = 1 << (subnetLength - vpcLengthClamped)
        let subnetsHere = min(subnetCount, maxSubnets)
        let usablePerSubnet = (1 << (32 - subnetLength)) - 5
        let groupsPerVPC = Array(repeating: securityGroups / vpcs, count: vpcs).enumerated().map {
            $0.element + ($0.offset < securityGroups % vpcs ? 1 : 0)
        }
        let instancesPerVPC = (0..<vpcs).map { instances / vpcs + ($0 < instances % vpcs ? 1 : 0) }
        let hub = "hub"
        var eip: UInt32 = IPv4Address(54, 0, 0, 0).bits
        var publicIP: UInt32 = IPv4Address(3, 0, 0, 0).bits
        topology.prefixLists.append(PrefixList(name: "corp", entries: [.v4(IPv4Prefix(network: IPv4Address(192, 168, 0, 0), length: 20)!),
                                                                         .v4(IPv4Prefix(network: IPv4Address(172, 16, 0, 0), length: 16)!)]))
        var blocks: [IPv4Prefix] = []
        for v in 0..<vpcs {
            let base = IPv4Address(10, 0, 0, 0).bits | (UInt32(v) << UInt32(32 - vpcLengthClamped))
            let block = IPv4Prefix(network: IPv4Address(bits: base), length: vpcLengthClamped)!
            blocks.append(block)
            let p = "v\(v)-"
            var vpc = VPC(name: "vpc-\(v)", id: "vpc-\(String(0x1000_0000 + v, radix: 16))", region: "us-east-1",
                          account: "111122223333", cidrs: [block])
            vpc.internetGateway = Gateway(name: p + "igw")
            var subnetNames: [String] = []
            for s in 0..<subnetsHere {
                let network = base | (UInt32(s) << UInt32(32 - subnetLength))
                let zone = azNames[s % zones]
                let kind = s < zones ? "pub" : "prv"
                let subnet = Subnet(name: p + kind + "-\(s)", cidr: IPv4Prefix(network: IPv4Address(bits: network), length: subnetLength)!,
                                    availabilityZone: zone, mapPublicIP: s < zones && rng.below(2) == 0)
                vpc.subnets.append(subnet)
                subnetNames.append(subnet.name)
            }
            // One NAT gateway per AZ in that AZ's public subnet (last usable address).
            for z in 0..<min(zones, vpc.subnets.count) {
                let s = vpc.subnets[z]
                eip &+= 1
                vpc.natGateways.append(NATGateway(name: p + "nat-\(z)", subnet: s.name, connectivity: .public(eip: IPv4Address(bits: eip)),
                                                  privateIP: IPv4Address(bits: s.cidr.last.bits &- 1)))
            }
            vpc.routeTables.append(RouteTable(name: p + "public", associations: Array(subnetNames.prefix(zones)),
                                              routes: [Route(destination: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!)),
                                                             target: .named(p + "igw"))]))
            for z in 0..<zones where subnetsHere > zones {
                var table = RouteTable(name: p + "private-\(z)", isMain: z == 0)
                table.associations = stride(from: zones + z, to: subnetsHere, by: zones).map { subnetNames[$0] }
                if z < vpc.natGateways.count {
                    table.routes.append(Route(destination: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!)),
                                              target: .named(vpc.natGateways[z].name)))
                }
                if transitGateway {
                    table.routes.append(Route(destination: .cidr(.v4(IPv4Prefix(network: IPv4Address(10, 0, 0, 0), length: 8)!)),
                                              target: .named(hub)))
                    table.routes.append(Route(destination: .prefixList("corp"), target: .named(hub)))
                }
                vpc.routeTables.append(table)
            }
            // Security groups: a web tier open to the world, then tiers each admitting the one before.
            let groups = max(1, groupsPerVPC[v])
            for g in 0..<groups {
                var group = SecurityGroup(name: p + "sg-\(g)")
                if g == 0 {
                    group.ingress = [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(443), peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!))),
                                     SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(22), peer: .prefixList("corp"))]
                } else {
                    let port = UInt16(8000 + rng.below(1000))
                    group.ingress = [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port), peer: .securityGroup(p + "sg-\(g - 1)")),
                                     SecurityGroupRule(ipProtocol: .icmp, peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(10, 0, 0, 0), length: 8)!)))]
                    if rng.below(4) == 0 {
                        group.egress = [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(443), peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!)))]
                    }
                }
                vpc.securityGroups.append(group)
            }
            if subnetsHere > zones {
                let all = IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!
                vpc.networkACLs.append(NetworkACL(
                    name: p + "private-acl", associations: Array(subnetNames[zones...]),
                    inbound: [NetworkACLRule(number: 100, action: .allow, ipProtocol: .tcp, ports: PortRange(443), cidr: .v4(IPv4Prefix(network: IPv4Address(10, 0, 0, 0), length: 8)!)),
                              NetworkACLRule(number: 110, action: .allow, ipProtocol: .tcp, ports: .ephemeral, cidr: .v4(all)),
                              NetworkACLRule(number: 120, action: .allow, ipProtocol: .all, cidr: .v4(block)),
                              NetworkACLRule(number: 200, action: .deny, ipProtocol: .all, cidr: .v4(all))],
                    outbound: [NetworkACLRule(number: 100, action: .allow, ipProtocol: .all, cidr: .v4(all))]))
            }
            // Instances round-robin over subnets, addresses from .4 upward (the first four are reserved).
            var nextHost = Array(repeating: UInt32(4), count: subnetsHere)
            for k in 0..<instancesPerVPC[v] {
                let s = k % subnetsHere
                guard Int(nextHost[s]) < usablePerSubnet + 3 else { continue }
                let subnet = vpc.subnets[s]
                let ip = IPv4Address(bits: subnet.cidr.network.bits | nextHost[s])
                nextHost[s] += 1
                var eni = NetworkInterface(subnet: subnet.name, privateIP: ip,
                                           securityGroups: [p + "sg-\(rng.below(groups))"])
                if s < zones {
                    publicIP &+= 1
                    eni.publicIP = .address(IPv4Address(bits: publicIP))
                }
                vpc.instances.append(Instance(name: p + "i-\(k)", id: "i-\(String(UInt64(v) << 24 | UInt64(k), radix: 16))", interfaces: [eni]))
            }
            topology.vpcs.append(vpc)
        }
        for k in 0..<peerings {
            let a = k % (vpcs - 1)
            let b = a + 1
            let name = "pcx-\(a)-\(b)"
            if topology.peerings.contains(where: { $0.name == name }) { continue }
            topology.peerings.append(Peering(name: name, requester: topology.vpcs[a].name, accepter: topology.vpcs[b].name))
            // Routes each way in the public tables.
            topology.vpcs[a].routeTables[0].routes.append(Route(destination: .cidr(.v4(blocks[b])), target: .named(name)))
            topology.vpcs[b].routeTables[0].routes.append(Route(destination: .cidr(.v4(blocks[a])), target: .named(name)))
        }
        if transitGateway {
            var tgw = TransitGateway(name: hub, region: "us-east-1", account: "111122223333")
            var table = TGWRouteTable(name: "hub-rt")
            for (v, vpc) in topology.vpcs.enumerated() {
                // One subnet per AZ: the first private subnet of each zone (public ones when there are none).
                var chosen: [String] = []
                for z in 0..<zones {
                    let index = subnetsHere > zones + z ? zones + z : z
                    if index < vpc.subnets.count, !chosen.contains(vpc.subnets[index].name) { chosen.append(vpc.subnets[index].name) }
                }
                let name = "v\(v)-att"
                tgw.attachments.append(TGWAttachment(name: name, vpc: vpc.name, subnets: chosen))
                table.associations.append(name)
                table.propagations.append(name)
            }
            table.routes.append(TGWRoute(destination: .cidr(.v4(IPv4Prefix(network: IPv4Address(10, 255, 0, 0), length: 16)!)), target: .blackhole))
            tgw.routeTables = [table]
            topology.transitGateways.append(tgw)
        }
        return topology
    }
}
