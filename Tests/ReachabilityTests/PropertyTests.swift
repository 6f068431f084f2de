import TestSupport
import IPAddressing
import NetworkModel
import Testing
@testable import Reachability


/// Compiled engines against slow, independent references.
@Suite struct PropertyTests {
    static func randomRange(_ rng: inout SplitMix64) -> PortRange {
        // Bias toward small boundaries so that ranges overlap often.
        let a = UInt16.random(in: 0...200, using: &rng) * 300, b = UInt16.random(in: 0...200, using: &rng) * 300
        return PortRange(min(a, b), max(a, b) &+ UInt16.random(in: 0...5, using: &rng))
    }
    static func randomSet(_ rng: inout SplitMix64) -> PortSet {
        PortSet(ranges: (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomRange(&rng) })
    }
    /// The set of the ports a bitmap holds, range by range.
    static func set(_ bits: [Bool]) -> PortSet {
        var ranges: [PortRange] = []
        var start: Int? = nil
        for p in 0...65536 {
            let on = p < 65536 && bits[p]
            if on, start == nil { start = p }
            if !on, let s = start { ranges.append(PortRange(UInt16(s), UInt16(p - 1))); start = nil }
        }
        return PortSet(ranges: ranges)
    }
    static func bits(_ s: PortSet) -> [Bool] {
        var b = [Bool](repeating: false, count: 65536)
        for r in s.ranges { for p in Int(r.lower)...Int(r.upper) { b[p] = true } }
        return b
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func portSetOperationsMatchBitmaps(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<150 {
            let a = Self.randomSet(&rng)
            var b = Self.randomSet(&rng)
            // Often one range inside, across or between a's ranges: the single-range fast paths (all, nothing, one).
            if a.ranges.count > 1, Int.random(in: 0..<3, using: &rng) == 0 {
                let r = a.ranges[Int.random(in: 0..<a.ranges.count, using: &rng)]
                let lo = UInt16.random(in: r.lower...r.upper, using: &rng), hi = UInt16.random(in: lo...r.upper, using: &rng)
                b = PortSet(ranges: [[PortRange(lo, hi), PortRange(r.lower, r.upper), PortRange(r.upper, UInt16.max),
                                      PortRange(0, lo), PortRange(r.upper, r.upper &+ 1)][Int.random(in: 0..<5, using: &rng)]])
            }
            let ba = Self.bits(a), bb = Self.bits(b)
            let inter = Self.bits(a.intersection(b)), uni = Self.bits(a.union(b)), diff = Self.bits(a.subtracting(b))
            var ok = true
            for p in stride(from: 0, to: 65536, by: 7) where inter[p] != (ba[p] && bb[p]) || uni[p] != (ba[p] || bb[p]) || diff[p] != (ba[p] && !bb[p]) {
                ok = false
            }
            #expect(ok, "seed \(seed): \(a) vs \(b)")
            // Every port, and the same value as the set built from the bitmap: equality of PortSet is equality of
            // its normalised storage (one range inline, several as a range set), so a result stored another way,
            // or off by one at a range's end, differs.
            var both = ba, either = ba, only = ba
            for p in 0..<65536 {
                both[p] = ba[p] && bb[p]
                either[p] = ba[p] || bb[p]
                only[p] = ba[p] && !bb[p]
            }
            #expect(a.intersection(b) == Self.set(both) && a.union(b) == Self.set(either) && a.subtracting(b) == Self.set(only),
                    "seed \(seed): \(a) vs \(b)")
            // Normalised: ranges sorted, disjoint, non-adjacent.
            let r = a.union(b).ranges
            #expect(zip(r, r.dropFirst()).allSatisfy { UInt32($0.upper) + 1 < UInt32($1.lower) }, "seed \(seed)")
        }
    }

    /// A NACL evaluated per port by a naive first-match loop.
    static func naiveNACL(_ rules: [CompiledNACLRule], proto: UInt8, remote: IPAddress, port: UInt16) -> Bool {
        for r in rules.sorted(by: { $0.number < $1.number }) {
            if r.ipProtocol != -1 && r.ipProtocol != Int16(proto) { continue }
            if !r.cidr.contains(remote) { continue }
            if (proto == 6 || proto == 17) && r.ipProtocol != -1, let ports = r.ports, !ports.contains(port) { continue }
            return r.allow
        }
        return false
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func naclEvaluationMatchesNaiveFirstMatch(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var distinct = Set<Int>()
        for _ in 0..<120 {
            var inbound: [NetworkACLRule] = []
            for n in 0..<Int.random(in: 1...8, using: &rng) {
                let proto: IPProtocol = [.tcp, .udp, .all, .icmp].randomElement(using: &rng) ?? .tcp
                let cidr = try IPPrefix("10.\(UInt8.random(in: 0...1, using: &rng)).0.0/\([8, 16, 24].randomElement(using: &rng) ?? 16)", normalize: true)
                inbound.append(NetworkACLRule(number: (n + 1) * 10 + Int.random(in: 0...5, using: &rng), action: Bool.random(using: &rng) ? .allow : .deny,
                                              ipProtocol: proto, ports: proto.hasPorts && Bool.random(using: &rng) ? Self.randomRange(&rng) : nil, cidr: cidr))
            }
            var t = Topology()
            var vpc = VPC(name: "v", cidrs: [try IPv4Prefix("10.0.0.0/16")])
            vpc.subnets = [Subnet(name: "s", cidr: try IPv4Prefix("10.0.0.0/24"))]
            vpc.networkACLs = [NetworkACL(name: "n", associations: ["s"], inbound: inbound, outbound: [])]
            t.vpcs = [vpc]
            let c = CompiledTopology(t)
            let rules = c.networkACLs[0].inbound
            for _ in 0..<20 {
                let remote = IPAddress.v4(IPv4Address(10, UInt8.random(in: 0...1, using: &rng), UInt8.random(in: 0...255, using: &rng), 1))
                let proto: UInt8 = [6, 17, 1].randomElement(using: &rng) ?? 6
                let set = Self.randomSet(&rng)
                let r = c.evaluateNACL(NetworkACLID(0), inbound: true, ipProtocol: proto, remote: remote, ports: set)
                let passedBits = Self.bits(r.passed)
                var ok = true
                for range in set.ranges {
                    for p in stride(from: Int(range.lower), through: Int(range.upper), by: 13) {
                        if passedBits[p] != Self.naiveNACL(rules, proto: proto, remote: remote, port: UInt16(p)) { ok = false }
                    }
                }
                #expect(ok, "seed \(seed): rules \(rules.map(\.text)) remote \(remote) proto \(proto) ports \(set)")
                // The sweep (the general case) against the rule-by-rule subtraction: same ports, same deciding and
                // denying rules.
                let slice = c.naclHot[0].inbound
                let swept = c.evaluateNACLRulesBySweep(slice, ipProtocol: proto, remote: remote, ports: set)
                let subtracted = c.evaluateNACLRulesBySubtraction(slice, ipProtocol: proto, remote: remote, ports: set)
                #expect(swept.passed == subtracted.passed && swept.decidingRule == subtracted.decidingRule
                        && swept.denyingRule == subtracted.denyingRule,
                        "seed \(seed): rules \(rules.map(\.text)) remote \(remote) proto \(proto) ports \(set): \(swept) vs \(subtracted)")
                distinct.insert(r.passed.portCount)
            }
        }
        #expect(distinct.count > 10, "the generator must produce varied answers")
    }

    @Test(arguments: [21, 22] as [UInt64])
    func securityGroupEvaluationMatchesNaiveUnion(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var allowedCount = 0
        for _ in 0..<30 {
            func rules() throws -> [SecurityGroupRule] {
                try (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    let proto: IPProtocol = [.tcp, .udp, .all].randomElement(using: &rng) ?? .tcp
                    return SecurityGroupRule(ipProtocol: proto, ports: proto.hasPorts ? Self.randomRange(&rng) : nil,
                                             peer: .cidr(try IPPrefix("10.\(UInt8.random(in: 0...1, using: &rng)).0.0/16")))
                }
            }
            var t = Topology()
            var vpc = VPC(name: "v", cidrs: [try IPv4Prefix("10.0.0.0/16")])
            vpc.subnets = [Subnet(name: "s", cidr: try IPv4Prefix("10.0.0.0/24"))]
            vpc.securityGroups = [SecurityGroup(name: "g1", ingress: try rules()), SecurityGroup(name: "g2", ingress: try rules())]
            vpc.instances = [Instance(name: "h", interfaces: [NetworkInterface(subnet: "s", privateIP: IPv4Address(10, 0, 0, 10), securityGroups: ["g1", "g2"])])]
            t.vpcs = [vpc]
            let c = CompiledTopology(t)
            let set = c.interfaces[0].securityGroupSetID
            let all = vpc.securityGroups.flatMap(\.ingress)
            for _ in 0..<20 {
                let remote = IPAddress.v4(IPv4Address(10, UInt8.random(in: 0...1, using: &rng), 3, 4))
                let proto: UInt8 = Bool.random(using: &rng) ? 6 : 17
                let port = UInt16.random(in: 0...61000, using: &rng)
                let r = c.evaluateSecurityGroups(set, ingress: true, vpc: VPCID(0), ipProtocol: proto, remote: remote, ports: PortSet(port: port))
                let naive = all.contains { rule in
                    (rule.ipProtocol == .all || rule.ipProtocol == .number(proto))
                        && { if case .cidr(let p) = rule.peer { p.contains(remote) } else { false } }()
                        && (rule.ipProtocol == .all || rule.ports.map { $0.contains(port) } ?? true)
                }
                #expect(r.passed.isEmpty == !naive, "seed \(seed): \(all) \(remote) \(proto)/\(port)")
                if naive { allowedCount += 1 }
            }
        }
        #expect(allowedCount > 20)
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func routeLookupMatchesLinearScanWithTieBreaks(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var winners = Set<String>()
        for _ in 0..<30 {
            var entries: [(IPPrefix, RouteOrigin)] = []
            for _ in 0..<Int.random(in: 1...40, using: &rng) {
                let length = [0, 8, 16, 16, 20, 24, 24, 28, 32].randomElement(using: &rng) ?? 16
                let net = IPv4Address(10, UInt8.random(in: 0...3, using: &rng), UInt8.random(in: 0...3, using: &rng), UInt8.random(in: 0...255, using: &rng))
                let origin: RouteOrigin = [.static, .local, .prefixList("a"), .prefixList("b")].randomElement(using: &rng) ?? .static
                entries.append((.v4(try #require(IPv4Prefix(network: net, length: length))), origin))
            }
            let lpm = CompiledTopology.buildLPM(entries)
            for _ in 0..<100 {
                let a = IPAddress.v4(IPv4Address(10, UInt8.random(in: 0...3, using: &rng), UInt8.random(in: 0...3, using: &rng), UInt8.random(in: 0...255, using: &rng)))
                // Reference: every containing route; longest; then rank; then prefix-list name; then first written.
                var best: Int? = nil
                for (i, e) in entries.enumerated() where e.0.contains(a) {
                    guard let b = best else { best = i; continue }
                    let (pb, ob) = entries[b]
                    if e.0.length > pb.length { best = i; continue }
                    if e.0.length < pb.length { continue }
                    if e.1.rank < ob.rank { best = i; continue }
                    if e.1.rank == ob.rank, case .prefixList(let x) = e.1, case .prefixList(let y) = ob, x < y { best = i }
                }
                let got = lpm.lookup(a).map { Int($0.value) }
                #expect(got == best, "seed \(seed): \(a) in \(entries)")
                if let best { winners.insert("\(entries[best].0)\(entries[best].1)") }
            }
        }
        #expect(winners.count > 50)
    }
}
