import TestSupport
import IPAddressing
import Reporting
import Testing
@testable import NetworkModel
import Generators

@Suite struct RoundTripTests {
    static let examples = Fixtures.list("Topologies", suffix: ".vpc")

    @Test func thereAreExamples() {
        #expect(RoundTripTests.examples.count >= 4)
    }

    @Test(arguments: RoundTripTests.examples)
    func exampleIsValidAndRoundTrips(_ name: String) throws {
        let text = Fixtures.read("Topologies/" + name)
        let (topology, diagnostics) = Fixtures.load(text, file: name)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        #expect(!topology.assertions.isEmpty, "every example carries assertions")
        let printed = TopologyPrinter.format(topology)
        let (again, d2) = TopologyParser.parse(printed, file: name)
        #expect(d2.isEmpty)
        #expect(again == topology)
        #expect(TopologyPrinter.format(again) == printed, "fmt is idempotent")
    }

    @Test(.enabled(if: !Fixtures.contract.isEmpty, "needs Docs/LANGUAGE-CONTRACT.md")) func contractRoundTrips() {
        let (topology, _) = Fixtures.load(Fixtures.contract, file: "dsl.md")
        let (again, d) = TopologyParser.parse(TopologyPrinter.format(topology), file: "x.vpc")
        #expect(d.isEmpty)
        #expect(again == topology)
        #expect(!topology.vpcs.isEmpty)
    }

    @Test func randomTopologiesRoundTrip() {
        for seed in UInt64(1)...200 {
            var rng = SplitMix64(seed: seed)
            let topology = RandomTopology.make(using: &rng)
            let text = TopologyPrinter.format(topology)
            let (parsed, diagnostics) = TopologyParser.parse(text, file: "random.vpc")
            #expect(diagnostics.isEmpty, "seed \(seed): \(diagnostics.map(\.rendered))")
            #expect(parsed == topology, "seed \(seed)\n\(text)")
            if parsed != topology { return }
        }
    }

    @Test func generatedTopologiesAreValidAndRoundTrip() {
        for seed in UInt64(1)...5 {
            let topology = TopologyGenerator(seed: seed, vpcs: 6, subnetsPerVPC: 4, instances: 60, securityGroups: 12).generate()
            let text = TopologyPrinter.format(topology)
            let (parsed, diagnostics) = TopologyLoader.load(text, file: "generated.vpc")
            #expect(diagnostics.isEmpty, "seed \(seed): \(diagnostics.prefix(3).map(\.rendered))")
            #expect(parsed == topology, "seed \(seed)")
        }
    }
}

/// Random models that use every construct of the language (not necessarily valid: the printer and parser must
/// agree on everything the syntax can say).
enum RandomTopology {
    static func pick<T>(_ items: [T], _ rng: inout SplitMix64) -> T { items[Int(rng.next() % UInt64(items.count))] }
    static func chance(_ rng: inout SplitMix64, _ percent: UInt64 = 50) -> Bool { rng.next() % 100 < percent }
    static func name(_ prefix: String, _ rng: inout SplitMix64) -> String {
        prefix + "-" + String(rng.next() % 100_000) + pick(["", "_x", ".y", "-z"], &rng)
    }
    static func v4(_ rng: inout SplitMix64) -> IPv4Address { IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next())) }
    static func v6(_ rng: inout SplitMix64) -> IPv6Address {
        IPv6Address(high: pick([0, rng.next(), 0x2600_1f18_0000_0000], &rng), low: pick([0, 1, rng.next()], &rng))
    }
    static func p4(_ rng: inout SplitMix64) -> IPv4Prefix {
        IPv4Prefix(network: v4(&rng), length: Int(rng.next() % 33)) ?? IPv4Prefix(network: v4(&rng), length: 16)!
    }
    static func p6(_ rng: inout SplitMix64) -> IPv6Prefix {
        IPv6Prefix(network: v6(&rng), length: Int(rng.next() % 129)) ?? IPv6Prefix(network: v6(&rng), length: 64)!
    }
    static func prefix(_ rng: inout SplitMix64) -> IPPrefix { chance(&rng, 70) ? .v4(p4(&rng)) : .v6(p6(&rng)) }
    static func id(_ prefix: String, _ rng: inout SplitMix64) -> String? {
        chance(&rng, 30) ? prefix + "-" + String(rng.next() % 0xffff_ffff, radix: 16) : nil
    }
    static func protoPorts(_ rng: inout SplitMix64) -> (IPProtocol, PortRange?) {
        switch rng.next() % 7 {
        case 0: return (.all, nil)
        case 1: return (.tcp, nil)
        case 2: let a = UInt16(truncatingIfNeeded: rng.next()); return (.tcp, PortRange(a))
        case 3:
            let a = UInt16(truncatingIfNeeded: rng.next()), b = UInt16(truncatingIfNeeded: rng.next())
            return (.udp, PortRange(min(a, b), max(a, b)))
        case 4: return (pick([.icmp, .icmpv6], &rng), chance(&rng) ? nil : PortRange(UInt16(rng.next() % 256), pick([65535, UInt16(rng.next() % 256)], &rng)))
        case 5: return (.number(UInt8(pick([0, 2, 47, 50, 132, 255], &rng))), nil)
        default: return (.icmp, nil)
        }
    }
    static func destination(_ rng: inout SplitMix64) -> RouteDestination {
        chance(&rng, 80) ? .cidr(prefix(&rng)) : .prefixList(name("pl", &rng))
    }

    static func make(using rng: inout SplitMix64) -> Topology {
        var t = Topology()
        for _ in 0..<(rng.next() % 3) {
            t.prefixLists.append(PrefixList(name: name("pl", &rng), id: id("pl", &rng), entries: (0..<(rng.next() % 4)).map { _ in prefix(&rng) }))
        }
        var region: String? = nil
        var account: String? = nil
        for _ in 0..<(1 + rng.next() % 3) {
            if chance(&rng, 40) { region = pick(["us-east-1", "eu-west-1", "ap-south-2"], &rng) }
            if region != nil, chance(&rng, 30) { account = String(100_000_000_000 + rng.next() % 900_000_000_000) }
            var vpc = VPC(name: name("vpc", &rng), id: id("vpc", &rng), region: region, account: account,
                          cidrs: (0..<(1 + rng.next() % 2)).map { _ in p4(&rng) })
            if chance(&rng) { vpc.ipv6Cidrs = [p6(&rng)] }
            if chance(&rng) { vpc.internetGateway = Gateway(name: name("igw", &rng), id: id("igw", &rng)) }
            if chance(&rng, 30) { vpc.egressOnlyGateway = Gateway(name: name("eigw", &rng), id: id("eigw", &rng)) }
            for _ in 0..<(rng.next() % 4) {
                vpc.subnets.append(Subnet(name: name("sn", &rng), id: id("subnet", &rng), cidr: p4(&rng),
                                          ipv6Cidr: chance(&rng, 30) ? p6(&rng) : nil,
                                          availabilityZone: chance(&rng) ? pick(["us-east-1a", "use1-az2"], &rng) : nil,
                                          mapPublicIP: chance(&rng, 30)))
            }
            for _ in 0..<(rng.next() % 3) {
                let c: NATGateway.Connectivity = pick([.private, .public(eip: nil), .public(eip: v4(&rng))], &rng)
                vpc.natGateways.append(NATGateway(name: name("nat", &rng), id: id("nat", &rng), subnet: name("sn", &rng),
                                                  connectivity: c, privateIP: chance(&rng) ? v4(&rng) : nil))
            }
            for _ in 0..<(rng.next() % 3) {
                var table = RouteTable(name: name("rt", &rng), id: id("rtb", &rng), isMain: chance(&rng, 30),
                                       associations: (0..<(rng.next() % 3)).map { _ in name("sn", &rng) })
                for _ in 0..<(rng.next() % 5) {
                    let target: Route.Target = pick([.local, .blackhole, .named(name("tgt", &rng)), .named("i-1.eth1")], &rng)
                    table.routes.append(Route(destination: destination(&rng), target: target))
                }
                vpc.routeTables.append(table)
            }
            for _ in 0..<(rng.next() % 3) {
                func rule(_ rng: inout SplitMix64) -> SecurityGroupRule {
                    let (p, ports) = protoPorts(&rng)
                    let peer: SecurityGroupRule.Peer = pick([.cidr(prefix(&rng)), .prefixList(name("pl", &rng)), .securityGroup(name("sg", &rng))], &rng)
                    return SecurityGroupRule(ipProtocol: p, ports: ports, peer: peer)
                }
                var g = SecurityGroup(name: name("sg", &rng), id: id("sg", &rng))
                g.ingress = (0..<(rng.next() % 4)).map { _ in rule(&rng) }
                switch rng.next() % 3 {
                case 0: g.egress = nil
                case 1: g.egress = []
                default: g.egress = (1...(1 + rng.next() % 3)).map { _ in rule(&rng) }
                }
                vpc.securityGroups.append(g)
            }
            for _ in 0..<(rng.next() % 3) {
                func rule(_ rng: inout SplitMix64) -> NetworkACLRule {
                    let (p, ports) = protoPorts(&rng)
                    return NetworkACLRule(number: Int(rng.next() % 40_000), action: chance(&rng) ? .allow : .deny,
                                          ipProtocol: p, ports: ports, cidr: prefix(&rng))
                }
                vpc.networkACLs.append(NetworkACL(name: name("acl", &rng), id: id("acl", &rng),
                                                  associations: (0..<(rng.next() % 3)).map { _ in name("sn", &rng) },
                                                  inbound: (0..<(rng.next() % 4)).map { _ in rule(&rng) },
                                                  outbound: (0..<(rng.next() % 4)).map { _ in rule(&rng) }))
            }
            for _ in 0..<(rng.next() % 4) {
                let count = chance(&rng, 70) ? 1 : Int(1 + rng.next() % 3)
                var interfaces: [NetworkInterface] = []
                for k in 0..<count {
                    let publicIP: NetworkInterface.PublicIP? = pick([nil, NetworkInterface.PublicIP.none, .unknown, .address(v4(&rng))], &rng)
                    interfaces.append(NetworkInterface(
                        name: count == 1 && chance(&rng, 80) ? "eth0" : "eth\(k)", id: chance(&rng, 20) ? id("eni", &rng) : nil,
                        subnet: name("sn", &rng), privateIP: v4(&rng),
                        secondaryIPs: (0..<(rng.next() % 3)).map { _ in v4(&rng) }, publicIP: publicIP,
                        ipv6Addresses: (0..<(rng.next() % 3)).map { _ in v6(&rng) },
                        securityGroups: (0..<(rng.next() % 3)).map { _ in name("sg", &rng) }, sourceDestCheck: chance(&rng, 80)))
                }
                var instance = Instance(name: name("i", &rng), id: id("i", &rng), interfaces: interfaces)
                // Tags: plain, with spaces, quotes, braces, '#', '=' in the value, an empty value (keys unique, no '=').
                for k in 0..<(rng.next() % 4) {
                    let key = pick(["env", "Cost Center", "team", "a'b", "x{y}", "#k", "k\(k)"], &rng) + "\(k)"
                    instance.tags.append(ResourceTag(key: key, value: pick(["prod", "Team A", "", "a=b", "it's", "{x}", "#1", "ünï"], &rng)))
                }
                vpc.instances.append(instance)
            }
            t.vpcs.append(vpc)
        }
        for _ in 0..<(rng.next() % 3) {
            t.peerings.append(Peering(name: name("pcx", &rng), id: id("pcx", &rng), requester: name("vpc", &rng), accepter: name("vpc", &rng)))
        }
        for _ in 0..<(rng.next() % 2) {
            var tgw = TransitGateway(name: name("tgw", &rng), id: id("tgw", &rng), region: region, account: account,
                                     securityGroupReferencing: chance(&rng))
            for _ in 0..<(rng.next() % 3) {
                tgw.attachments.append(TGWAttachment(name: name("att", &rng), id: id("tgw-attach", &rng), vpc: name("vpc", &rng),
                                                     subnets: (0..<(1 + rng.next() % 2)).map { _ in name("sn", &rng) },
                                                     applianceMode: chance(&rng, 30)))
            }
            for _ in 0..<(rng.next() % 3) {
                var table = TGWRouteTable(name: name("tgwrt", &rng), id: id("tgw-rtb", &rng),
                                          associations: (0..<(rng.next() % 3)).map { _ in name("att", &rng) },
                                          propagations: (0..<(rng.next() % 3)).map { _ in name("att", &rng) })
                for _ in 0..<(rng.next() % 3) {
                    table.routes.append(TGWRoute(destination: destination(&rng),
                                                 target: chance(&rng) ? .blackhole : .attachment(name("att", &rng))))
                }
                tgw.routeTables.append(table)
            }
            t.transitGateways.append(tgw)
        }
        for _ in 0..<(rng.next() % 4) {
            func endpoint(_ rng: inout SplitMix64) -> Endpoint {
                switch rng.next() % 6 {
                case 0: return .named(name("i", &rng))
                case 4: return .internetBlock(prefix(&rng))
                case 1: return .address(chance(&rng) ? .v4(v4(&rng)) : .v6(v6(&rng)))
                case 2: return .internet(nil)
                case 3: return .internet(chance(&rng) ? .v4(v4(&rng)) : .v6(v6(&rng)))
                case 5 where chance(&rng, 40):
                    return pick([.onPremises(name("dc", &rng), nil), .onPremises(name("dc", &rng), .v4(v4(&rng))),
                                 .overEdge(name("vpn", &rng), .v4(v4(&rng)))], &rng)
                default: return .named(name("i", &rng) + ".eth1")
                }
            }
            // Port 0 is rejected by the parser, so the random TCP port starts at 1.
            let traffic: TrafficSpec = pick([TrafficSpec(ipProtocol: .tcp, port: max(1, UInt16(truncatingIfNeeded: rng.next()))),
                                             TrafficSpec(ipProtocol: .udp), TrafficSpec(ipProtocol: .icmp, port: 8),
                                             TrafficSpec(ipProtocol: .all), TrafficSpec(ipProtocol: .number(47))], &rng)
            // Client ports only on TCP/UDP (the parser rejects them elsewhere).
            let lo = UInt16(truncatingIfNeeded: rng.next()), hi = UInt16(truncatingIfNeeded: rng.next())
            let ports: ClientPorts? = traffic.ipProtocol.hasPorts
                ? pick([nil, .linux, .windows, .ports(PortRange(min(lo, hi), max(lo, hi))), .ports(PortRange(lo))], &rng) : nil
            t.assertions.append(Assertion(expectReachable: chance(&rng), source: endpoint(&rng), destination: endpoint(&rng), traffic: traffic,
                                          clientPorts: ports))
        }
        RandomTopology.addEdges(to: &t, using: &rng)
        for _ in 0..<(rng.next() % 4) { t.policies.append(policy(&rng)) }
        return t
    }

    /// A policy with every kind of endpoint set and traffic spelling.
    static func policy(_ rng: inout SplitMix64) -> Policy {
        func set(_ rng: inout SplitMix64) -> EndpointSet {
            let selectors: [EndpointSet.Selector] = [
                .internet, .onPremises(nil), .onPremises(name("dc", &rng)), .vpc(name("vpc", &rng)), .subnet(name("sn", &rng)),
                .securityGroup(name("sg", &rng)), .tag(key: pick(["env", "Cost Center", "it's"], &rng), value: pick(["prod", "Team A", "", "x,y", "'q'"], &rng)),
                .namePattern(pick(["web-*", "*", "a*b*"], &rng)), .party(name("i", &rng)), .party(name("i", &rng) + ".eth1"),
            ]
            return EndpointSet(pick(selectors, &rng))
        }
        let lo = UInt16(1 + rng.next() % 60000), hi = lo + UInt16(rng.next() % 100)
        let traffic: PolicyTraffic = pick([PolicyTraffic(), PolicyTraffic(ipProtocol: .tcp), PolicyTraffic(ipProtocol: .tcp, ports: [PortRange(lo)]),
                                           PolicyTraffic(ipProtocol: .udp, ports: [PortRange(53), PortRange(lo + 200, hi + 200)]),
                                           PolicyTraffic(ipProtocol: .icmp, ports: [PortRange(8)]), PolicyTraffic(ipProtocol: .icmpv6),
                                           PolicyTraffic(ipProtocol: .number(47))], &rng)
        return Policy(name: name("pol", &rng), kind: pick(Policy.Kind.allCases, &rng),
                      sources: (0...(rng.next() % 3)).map { _ in set(&rng) }, destinations: (0...(rng.next() % 3)).map { _ in set(&rng) },
                      traffic: traffic)
    }

    /// The network's edges, every clause of each statement at random.
    static func addEdges(to t: inout Topology, using rng: inout SplitMix64) {
        for k in t.vpcs.indices {
            if chance(&rng, 40) {
                t.vpcs[k].vpnGateway = VPNGateway(name: name("vgw", &rng), id: id("vgw", &rng), asn: chance(&rng) ? UInt32(truncatingIfNeeded: rng.next() | 1) : nil)
            }
            for r in t.vpcs[k].routeTables.indices where chance(&rng, 30) {
                t.vpcs[k].routeTables[r].propagations = (0..<(1 + rng.next() % 2)).map { _ in name("vgw", &rng) }
                if chance(&rng) { t.vpcs[k].routeTables[r].edgeAssociations = [name("igw", &rng)] }
            }
            for _ in 0..<(rng.next() % 3) {
                let policy: String? = chance(&rng, 30) ? pick(["{\"Statement\": []}", "it's # {open}", ""], &rng) : nil
                if chance(&rng) {
                    t.vpcs[k].endpoints.append(VPCEndpoint(
                        name: name("vpce", &rng), id: id("vpce", &rng), kind: .gateway, service: pick(["s3", "dynamodb", "com.amazonaws.us-east-1.s3"], &rng),
                        routeTables: (0..<(rng.next() % 3)).map { _ in name("rt", &rng) }, prefixList: chance(&rng) ? name("pl", &rng) : nil,
                        policy: policy))
                } else {
                    let n = Int(1 + rng.next() % 3)
                    t.vpcs[k].endpoints.append(VPCEndpoint(
                        name: name("vpce", &rng), id: id("vpce", &rng), kind: .interface, service: "com.amazonaws.us-east-1.ssm",
                        subnets: (0..<n).map { _ in name("sn", &rng) }, securityGroups: (0..<(rng.next() % 3)).map { _ in name("sg", &rng) },
                        addresses: (0..<(rng.next() % UInt64(n + 1))).map { _ in v4(&rng) },
                        interfaceIDs: chance(&rng, 30) ? (0..<n).map { _ in "eni-" + String(rng.next() % 0xffff, radix: 16) } : [],
                        privateDNS: chance(&rng, 70), policy: policy))
                }
            }
            if chance(&rng, 15) {
                let letters: [String] = ["a", "b", "c", "d", "e", "f"]
                var zones: [String] = []
                for _ in 0..<(1 + rng.next() % 4) { zones.append("us-east-1" + pick(letters, &rng)) }
                var d = VPC.awsDefault(name: name("default", &rng), region: t.vpcs[k].region, availabilityZones: zones, id: id("vpc", &rng))
                d.account = t.vpcs[k].account
                if chance(&rng) { d.subnets.removeLast() }  // no longer the expansion: printed as `vpc NAME default { … }`
                t.vpcs[k] = d
            }
        }
        for t2 in t.transitGateways.indices {
            for _ in 0..<(rng.next() % 3) {
                let kind: TGWAttachment.Kind = pick([.vpn(connection: name("vpn", &rng)), .directConnectGateway(name("dxg", &rng)),
                                                     .peering(transitGateway: name("tgw", &rng))], &rng)
                t.transitGateways[t2].attachments.append(TGWAttachment(name: name("att", &rng), id: id("tgw-attach", &rng), kind: kind))
            }
        }
        for _ in 0..<(rng.next() % 3) {
            t.customerGateways.append(CustomerGateway(name: name("cgw", &rng), id: id("cgw", &rng), address: v4(&rng),
                                                      asn: UInt32(truncatingIfNeeded: rng.next() | 1)))
        }
        for _ in 0..<(rng.next() % 3) {
            let side: VPNConnection.AWSSide = chance(&rng) ? .vpnGateway(name("vgw", &rng)) : .transitGateway(name("tgw", &rng))
            t.vpnConnections.append(VPNConnection(name: name("vpn", &rng), id: id("vpn", &rng), awsSide: side, customerGateway: name("cgw", &rng),
                                                  staticRoutesOnly: chance(&rng), staticRoutes: (0..<(rng.next() % 3)).map { _ in p4(&rng) },
                                                  tunnels: (0..<(rng.next() % 3)).map { _ in chance(&rng) ? .up : .down }))
        }
        for _ in 0..<(rng.next() % 3) {
            t.directConnectGateways.append(DirectConnectGateway(
                name: name("dxg", &rng), id: id("dxg", &rng), asn: chance(&rng) ? UInt32(truncatingIfNeeded: rng.next() | 1) : nil,
                associations: (0..<(rng.next() % 3)).map { _ in
                    .init(gateway: name("vgw", &rng), allowedPrefixes: (0..<(rng.next() % 3)).map { _ in p4(&rng) })
                }))
        }
        for _ in 0..<(rng.next() % 3) {
            let kind: VirtualInterface.Kind = chance(&rng) ? .private : .transit
            let side: VirtualInterface.AWSSide = kind == .private && chance(&rng) ? .vpnGateway(name("vgw", &rng)) : .directConnectGateway(name("dxg", &rng))
            t.virtualInterfaces.append(VirtualInterface(name: name("vif", &rng), id: id("dxvif", &rng), kind: kind, awsSide: side,
                                                        isAvailable: chance(&rng, 70)))
        }
        for _ in 0..<(rng.next() % 4) {
            t.onPremisesNetworks.append(OnPremisesNetwork(
                name: name("dc", &rng), prefixes: (0..<(rng.next() % 3)).map { _ in p4(&rng) },
                announcements: (0..<(rng.next() % 3)).map { _ in
                    .init(edge: name("vpn", &rng), localPreference: pick([nil, .high, .medium, .low], &rng),
                          asPathLength: chance(&rng) ? Int(1 + rng.next() % 255) : nil)
                }))
        }
    }
}
