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
///
/// With ``edges`` (issue 18's benchmark), the topology also gets the network's edges: an `s3` service prefix
/// list, a gateway endpoint in every VPC on all its route tables, a Site-to-Site VPN (static routes) and a
/// Direct Connect gateway with a transit VIF on the hub, each with its TGW attachment associated with and
/// propagating into the hub table, and two on-premises networks announced over them (``addEdges(to:)``).
/// Without it the output is byte for byte what it was before the option existed.
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
    /// Whether to add the network's edges (gateway endpoints, a VPN and Direct Connect on the hub, on-premises
    /// networks); see ``addEdges(to:)``.
    public var edges: Bool

    /// Sizes; values are clamped to what fits (at most 4,096 VPCs of /20 and subnets no smaller than /28).
    public init(seed: UInt64 = 1, vpcs: Int = 10, subnetsPerVPC: Int = 6, instances: Int = 100, securityGroups: Int = 30,
                peerings: Int? = nil, transitGateway: Bool = true, zones: Int = 2, edges: Bool = false) {
        self.seed = seed
        self.vpcs = max(1, min(vpcs, 4096))
        self.subnetsPerVPC = max(1, subnetsPerVPC)
        self.instances = max(0, instances)
        self.securityGroups = max(self.vpcs, securityGroups)
        self.peerings = max(0, min(peerings ?? self.vpcs / 4, self.vpcs - 1))
        self.transitGateway = transitGateway
        self.zones = max(1, min(zones, 3))
        self.edges = edges
    }

    /// The 2,000-VPC benchmark topology of the issue (≈10 MB of DSL).
    public static let benchmark = TopologyGenerator(seed: 42, vpcs: 2000, subnetsPerVPC: 20, instances: 100_000,
                                                    securityGroups: 10_000, peerings: 500)

    /// Issue 18's benchmark: ``benchmark`` plus the network's edges (a gateway endpoint in every VPC, a VPN and a
    /// Direct Connect gateway on the hub TGW, on-premises networks announced over both).
    public static let benchmarkEdges: TopologyGenerator = {
        var g = TopologyGenerator.benchmark
        g.edges = true
        return g
    }()

    /// Names of what ``addEdges(to:)`` adds (benchmarks and tests query them).
    public enum EdgeNames {
        public static let servicePrefixList = "s3"
        public static let customerGateway = "office-cgw"
        public static let vpnConnection = "office-vpn"
        public static let directConnectGateway = "dxg"
        public static let virtualInterface = "dc-vif"
        public static let vpnAttachment = "vpn-att"
        public static let directConnectAttachment = "dx-att"
        /// 192.168.0.0/20 (inside `pl:corp`), announced over the VPN only.
        public static let office = "office"
        /// 172.16.0.0/16 (inside `pl:corp`), announced over the VIF (local preference high) and the VPN.
        public static let datacentre = "datacentre"
        /// The gateway endpoint of VPC `vpc-N`.
        public static func gatewayEndpoint(vpc: Int) -> String { "v\(vpc)-s3" }
    }

    /// The service CIDRs of `pl:s3` (the us-east-1 S3 prefix list's entries, `pl-63a5400a`).
    public static let s3Prefixes: [IPv4Prefix] = [
        IPv4Prefix(network: IPv4Address(3, 5, 0, 0), length: 19), IPv4Prefix(network: IPv4Address(16, 182, 0, 0), length: 16),
        IPv4Prefix(network: IPv4Address(18, 34, 0, 0), length: 19), IPv4Prefix(network: IPv4Address(18, 34, 232, 0), length: 21),
        IPv4Prefix(network: IPv4Address(52, 216, 0, 0), length: 15), IPv4Prefix(network: IPv4Address(54, 231, 0, 0), length: 16),
    ].compactMap { $0 }

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
        if edges { addEdges(to: &topology) }
        return topology
    }

    /// Adds the network's edges to a generated topology (no randomness: the rest stays as generated).
    ///
    /// - `prefix-list s3 id pl-63a5400a { … }` (``s3Prefixes``) and, in every VPC, `endpoint vN-s3 gateway s3
    ///   route-tables …` on all its route tables (so S3 traffic takes the endpoint instead of `0/0 -> nat`/`igw`).
    /// - With the hub: a customer gateway, a VPN connection on the hub with static routes to both on-premises
    ///   networks (tunnels up), a Direct Connect gateway associated with the hub (allowed `10.0.0.0/8`) and a
    ///   transit VIF on it; attachments `vpn-att` (VPN) and `dx-att` (DX gateway), each associated with the hub
    ///   table and propagating into it; `onprem office 192.168.0.0/20 via office-vpn` and `onprem datacentre
    ///   172.16.0.0/16` via the VIF (local preference high) and the VPN (AS path 3). Both networks are inside
    ///   `pl:corp`, which the private tables already route to the hub, and `sg-0` of every VPC admits tcp/22 from it;
    ///   the private subnets' NACL gets `inbound 130 allow tcp 443 from 172.16.0.0/16` (the data centre's HTTPS).
    public func addEdges(to topology: inout Topology) {
        typealias N = EdgeNames
        topology.prefixLists.append(PrefixList(name: N.servicePrefixList, id: "pl-63a5400a",
                                               entries: TopologyGenerator.s3Prefixes.map { .v4($0) }))
        for v in topology.vpcs.indices {
            let tables = topology.vpcs[v].routeTables.map(\.name)
            topology.vpcs[v].endpoints.append(VPCEndpoint(
                name: N.gatewayEndpoint(vpc: v), id: "vpce-\(String(0x1000_0000 + v, radix: 16))", kind: .gateway,
                service: "s3", routeTables: tables, prefixList: N.servicePrefixList))
        }
        guard let hub = topology.transitGateways.indices.first else { return }
        let hubName = topology.transitGateways[hub].name
        let office = IPv4Prefix(network: IPv4Address(192, 168, 0, 0), length: 20)
        let datacentre = IPv4Prefix(network: IPv4Address(172, 16, 0, 0), length: 16)
        // The private subnets' NACL admits HTTPS from the data centre (rule 130, before the final deny).
        if let datacentre {
            for v in topology.vpcs.indices {
                for a in topology.vpcs[v].networkACLs.indices {
                    guard let at = topology.vpcs[v].networkACLs[a].inbound.firstIndex(where: { $0.number > 130 }) else { continue }
                    topology.vpcs[v].networkACLs[a].inbound.insert(
                        NetworkACLRule(number: 130, action: .allow, ipProtocol: .tcp, ports: PortRange(443), cidr: .v4(datacentre)), at: at)
                }
            }
        }
        let everyVPC = IPv4Prefix(network: IPv4Address(10, 0, 0, 0), length: 8)
        topology.customerGateways.append(CustomerGateway(name: N.customerGateway, id: "cgw-0a1b2c3d4e5f60718",
                                                         address: IPv4Address(198, 51, 100, 10), asn: 65000))
        topology.vpnConnections.append(VPNConnection(
            name: N.vpnConnection, id: "vpn-0a1b2c3d4e5f60718", awsSide: .transitGateway(hubName),
            customerGateway: N.customerGateway, staticRoutesOnly: true,
            staticRoutes: [office].compactMap { $0 }, tunnels: [.up, .up]))
        topology.directConnectGateways.append(DirectConnectGateway(
            name: N.directConnectGateway, id: "5f294f92-bafb-4011-916d-9b0bec17b2a2", asn: 64513,
            associations: [.init(gateway: hubName, allowedPrefixes: [everyVPC].compactMap { $0 })]))
        topology.virtualInterfaces.append(VirtualInterface(name: N.virtualInterface, id: "dxvif-ffk2hj4a", kind: .transit,
                                                           awsSide: .directConnectGateway(N.directConnectGateway)))
        topology.onPremisesNetworks.append(OnPremisesNetwork(name: N.office, prefixes: [office].compactMap { $0 },
                                                             announcements: [.init(edge: N.vpnConnection)]))
        topology.onPremisesNetworks.append(OnPremisesNetwork(
            name: N.datacentre, prefixes: [datacentre].compactMap { $0 },
            announcements: [.init(edge: N.virtualInterface, localPreference: .high), .init(edge: N.vpnConnection, asPathLength: 3)]))
        topology.transitGateways[hub].attachments.append(TGWAttachment(name: N.vpnAttachment, id: "tgw-attach-0a1b2c3d4e5f60701",
                                                                       kind: .vpn(connection: N.vpnConnection)))
        topology.transitGateways[hub].attachments.append(TGWAttachment(name: N.directConnectAttachment, id: "tgw-attach-0a1b2c3d4e5f60702",
                                                                       kind: .directConnectGateway(N.directConnectGateway)))
        if topology.transitGateways[hub].routeTables.indices.contains(0) {
            for name in [N.vpnAttachment, N.directConnectAttachment] {
                topology.transitGateways[hub].routeTables[0].associations.append(name)
                topology.transitGateways[hub].routeTables[0].propagations.append(name)
            }
        }
    }
}
