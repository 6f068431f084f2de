import TestSupport
import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// The query-path data plane (`HotData.swift`) against independent references: `Dictionary`, the compiled
/// LPM tables, naive first-match NACL evaluation and the general (port-set) evaluation loop.
@Suite struct HotDataTests {
    @Test(arguments: [21, 22] as [UInt64])
    func indexMapMatchesDictionary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var map = IndexMap()
        var reference: [UInt64: Int32] = [:]
        // Keys clustered like (VPC << 32 | address) so that probing sequences collide, plus growth from 16 slots.
        for i in 0..<5_000 {
            let key = UInt64.random(in: 0...40, using: &rng) << 32 | UInt64.random(in: 0...300, using: &rng)
            let value = Int32(i)
            map.insertIfAbsent(key, value)
            if reference[key] == nil { reference[key] = value }
        }
        #expect(map.count == reference.count)
        #expect(map.slots.count >= 2 * map.count, "load stays at most one half")
        for (k, v) in reference { #expect(map.find(k) == v) }
        var misses = 0
        for _ in 0..<2_000 {
            let key = UInt64.random(in: 41...80, using: &rng) << 32 | UInt64.random(in: 0...300, using: &rng)
            if map.find(key) != -1 { misses += 1 }
        }
        #expect(misses == 0, "absent keys are not found")
    }

    /// Random route tables: the interval list answers exactly as the compiled LPM table for every boundary
    /// address, its neighbours and random addresses.
    @Test(arguments: [31, 32, 33] as [UInt64])
    func routeIntervalsMatchLPM(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<20 {
            var routes: [Route] = []
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                let length = Int.random(in: 0...32, using: &rng)
                let bits = UInt32(truncatingIfNeeded: rng.next()) & (UInt32.random(in: 0...3, using: &rng) == 0 ? 0xFFFF_FFFF : 0x0AFF_FFFF)
                guard let p = IPv4Prefix(network: IPv4Address(bits: bits), length: length) else { continue }
                routes.append(Route(destination: .cidr(.v4(p)), target: Bool.random(using: &rng) ? .blackhole : .named("igw")))
            }
            var vpc = VPC(name: "v", cidrs: [try IPv4Prefix("10.0.0.0/16")])
            vpc.internetGateway = Gateway(name: "igw")
            vpc.subnets = [Subnet(name: "s", cidr: try IPv4Prefix("10.0.1.0/24"))]
            vpc.routeTables = [RouteTable(name: "rt", associations: ["s"], routes: routes)]
            var t = Topology()
            t.vpcs = [vpc]
            let c = CompiledTopology(t)
            let table = c.subnetHot[0].routeTable
            let slice = c.subnetHot[0].routes
            var probes: [UInt32] = [0, .max]
            for r in c.routeTables[Int(table)].routes {
                guard case .v4(let p) = r.prefix else { continue }
                probes += [p.network.bits, p.network.bits &- 1, p.last.bits, p.last.bits &+ 1]
            }
            for _ in 0..<200 { probes.append(UInt32(truncatingIfNeeded: rng.next())) }
            for bits in probes {
                let a = IPv4Address(bits: bits)
                let hit = c.routeInterval(slice, a)
                let want = c.routeTables[Int(table)].lpm.lookup(a)?.value ?? -1
                #expect(hit.route == want, "seed \(seed): \(a)")
                if want >= 0 {
                    let target = c.routeTables[Int(table)].routes[Int(want)].target
                    switch (hit.target, target) {
                    case (.blackhole, .blackhole), (.internetGateway, .internetGateway), (.local, .local): break
                    default: Issue.record("seed \(seed): \(a): interval target \(hit.target) vs route target \(target)")
                    }
                }
                #expect(c.subnetOf(vpc: 0, a) == (c.subnetLPM[0].lookup(a)?.value ?? -1))
            }
        }
    }

    /// One-port NACL evaluation (the fast path) decides like a naive first-match evaluator and names the same
    /// deciding/denying rule as the general loop does for a set holding that port and one far away.
    @Test(arguments: [41, 42, 43] as [UInt64])
    func singlePortNACLMatchesNaiveAndGeneralLoop(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var allowed = 0, denied = 0
        for _ in 0..<40 {
            var inbound: [NetworkACLRule] = []
            for n in 0..<Int.random(in: 1...8, using: &rng) {
                let proto: IPProtocol = [.tcp, .udp, .all, .icmp].randomElement(using: &rng) ?? .tcp
                let cidr = try IPPrefix("10.\(UInt8.random(in: 0...1, using: &rng)).0.0/\([8, 16, 24].randomElement(using: &rng) ?? 16)", normalize: true)
                inbound.append(NetworkACLRule(number: (n + 1) * 10, action: Bool.random(using: &rng) ? .allow : .deny, ipProtocol: proto,
                                              ports: proto.hasPorts && Bool.random(using: &rng) ? PropertyTests.randomRange(&rng) : nil, cidr: cidr))
            }
            var vpc = VPC(name: "v", cidrs: [try IPv4Prefix("10.0.0.0/16")])
            vpc.subnets = [Subnet(name: "s", cidr: try IPv4Prefix("10.0.0.0/24"))]
            vpc.networkACLs = [NetworkACL(name: "n", associations: ["s"], inbound: inbound, outbound: [])]
            var t = Topology()
            t.vpcs = [vpc]
            let c = CompiledTopology(t)
            let rules = c.networkACLs[0].inbound
            for _ in 0..<20 {
                let remote = IPAddress.v4(IPv4Address(10, UInt8.random(in: 0...1, using: &rng), UInt8.random(in: 0...255, using: &rng), 1))
                let proto: UInt8 = [6, 17, 1].randomElement(using: &rng) ?? 6
                let port = UInt16.random(in: 0...200, using: &rng) * 300 &+ UInt16.random(in: 0...5, using: &rng)
                let r = c.evaluateNACL(NetworkACLID(0), inbound: true, ipProtocol: proto, remote: remote, ports: PortSet(port: port))
                let naive = PropertyTests.naiveNACL(rules, proto: proto, remote: remote, port: port)
                #expect(r.passed.contains(port) == naive && r.passed.portCount == (naive ? 1 : 0), "seed \(seed): port \(port)")
                // The first rule that matches the port, found independently.
                let first = rules.indices.first { i in
                    let x = rules[i]
                    if x.ipProtocol != -1 && x.ipProtocol != Int16(proto) { return false }
                    if !x.cidr.contains(remote) { return false }
                    if (proto == 6 || proto == 17) && x.ipProtocol != -1, let p = x.ports, !p.contains(port) { return false }
                    return true
                }
                if naive {
                    allowed += 1
                    #expect(r.decidingRule == first && r.denyingRule == nil)
                } else {
                    denied += 1
                    #expect(r.decidingRule == nil)
                    #expect(r.denyingRule == first.flatMap { rules[$0].allow ? nil : $0 })
                }
            }
        }
        #expect(allowed > 50 && denied > 50, "the generator must produce both answers")
    }
}
