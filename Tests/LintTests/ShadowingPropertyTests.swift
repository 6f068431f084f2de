import TestSupport
import IPAddressing
import Lint
import NetworkModel
import Reporting
import Testing


/// Shadowing against a brute-force twin: every rule list is evaluated first-match on every packet of a finite
/// universe whose points stand for all the equivalence classes the random rules can tell apart (ports 0…7
/// and "8 or more", addresses 10.0.0.0…7 and one outside address, protocols 6, 17, 47 and one no rule names).
@Suite struct ShadowingPropertyTests {
    struct Packet { var proto: UInt8; var port: UInt16; var address: IPv4Address }

    static func randomRule(number: Int, _ rng: inout SplitMix64) -> NetworkACLRule {
        let protocols: [IPProtocol] = [.tcp, .udp, .all, .number(47)]
        let proto = protocols[Int(rng.next() % 4)]
        var ports: PortRange? = nil
        if proto.hasPorts, rng.next() % 3 != 0 {
            let a = UInt16(rng.next() % 8), b = UInt16(rng.next() % 8)
            ports = PortRange(min(a, b), max(a, b))
        }
        let cidr: IPPrefix
        if rng.next() % 5 == 0 {
            cidr = .v4(IPv4Prefix(network: IPv4Address(0, 0, 0, 0), length: 0)!)
        } else {
            let length = 29 + Int(rng.next() % 4)
            let host = UInt8(rng.next() % 8)
            cidr = .v4(IPv4Prefix(network: IPv4Address(10, 0, 0, host), length: length)!)
        }
        let action: NetworkACLRule.Action = rng.next() % 2 == 0 ? .allow : .deny
        return NetworkACLRule(number: number, action: action, ipProtocol: proto, ports: ports, cidr: cidr,
                              location: SourceLocation(fileIndex: 1, line: number, column: 1))
    }

    static func matches(_ rule: NetworkACLRule, _ p: Packet) -> Bool {
        guard rule.cidr.contains(.v4(p.address)) else { return false }
        switch rule.ipProtocol {
        case .all: return true
        case .number(let n):
            guard n == p.proto else { return false }
            guard rule.ipProtocol.hasPorts, let ports = rule.ports else { return true }
            return ports.contains(p.port)
        }
    }

    static let universe: [Packet] = {
        var packets: [Packet] = []
        for proto: UInt8 in [6, 17, 47, 50] {
            for port: UInt16 in 0...8 {
                for host: UInt8 in 0...7 { packets.append(Packet(proto: proto, port: port, address: IPv4Address(10, 0, 0, host))) }
                packets.append(Packet(proto: proto, port: port, address: IPv4Address(11, 0, 0, 1)))
            }
        }
        return packets
    }()

    /// Rule number → "shadowed" or "redundant" by brute force.
    static func bruteForce(_ rules: [NetworkACLRule]) -> [Int: String] {
        var result: [Int: String] = [:]
        for (j, rule) in rules.enumerated() where j > 0 {
            var deciders: Set<Int> = []
            var reaches = false
            for p in universe where matches(rule, p) {
                if let first = rules[..<j].firstIndex(where: { matches($0, p) }) { deciders.insert(first) } else { reaches = true; break }
            }
            if reaches || deciders.isEmpty { continue }   // a rule matching no packet cannot occur here
            result[rule.number] = deciders.allSatisfy { rules[$0].action == rule.action } ? "nacl-rule-redundant" : "nacl-rule-shadowed"
        }
        return result
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func shadowingAgreesWithBruteForce(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var dead = 0, conflicting = 0
        for _ in 0..<150 {
            let count = 2 + Int(rng.next() % 7)
            let rules = (0..<count).map { Self.randomRule(number: 100 + $0 * 10, &rng) }
            var vpc = VPC(name: "v", cidrs: [IPv4Prefix(network: IPv4Address(10, 0, 0, 0), length: 16)!])
            vpc.subnets = [Subnet(name: "a", cidr: IPv4Prefix(network: IPv4Address(10, 0, 0, 0), length: 24)!)]
            vpc.networkACLs = [NetworkACL(name: "n", associations: ["a"], inbound: rules, location: SourceLocation(fileIndex: 1, line: 1, column: 1))]
            var topology = Topology()
            _ = topology.files.index(of: "p.vpc")  // file 1 of the locations above
            topology.vpcs = [vpc]
            let findings = Linter.lint(topology, options: LintOptions(disabledRules: ["nacl-ssh-open-world", "nacl-rdp-open-world"]))
            var got: [Int: String] = [:]
            for f in findings where f.ruleID.hasPrefix("nacl-rule-") { got[f.line] = f.ruleID }
            let want = Self.bruteForce(rules)
            #expect(got == want, "seed \(seed): rules \(rules.map { "\($0.number) \($0.action) \($0.ipProtocol) \($0.ports?.description ?? "*") \($0.cidr)" })")
            dead += want.count
            conflicting += want.values.filter { $0 == "nacl-rule-shadowed" }.count
        }
        // The generator must produce both kinds, or the comparison proves little.
        #expect(dead > 20 && conflicting > 5, "seed \(seed): dead \(dead), conflicting \(conflicting)")
    }
}
