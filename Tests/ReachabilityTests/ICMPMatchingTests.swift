import TestSupport
import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// ICMP/ICMPv6 type and code in security-group and NACL rules (Docs/AWS-BEHAVIOUR.md §7, §8): `from` = type, `to` = code.
@Suite struct ICMPMatchingTests {
    /// Two instances in two subnets; `b`'s group and `b`'s subnet NACL are the parameters.
    static func topology(sg: String, nacl: String = "", naclSubnet: String = "b-net") -> String {
        """
        vpc v {
          cidr 10.0.0.0/16
          ipv6 2600:1f18:1:100::/56
          subnet a-net 10.0.1.0/24 ipv6 2600:1f18:1:101::/64
          subnet b-net 10.0.2.0/24 ipv6 2600:1f18:1:102::/64
          security-group open {
            ingress all from 0.0.0.0/0
            ingress all from ::/0
          }
          security-group target {
            \(sg)
          }
          \(nacl.isEmpty ? "" : "network-acl n {\n    associate \(naclSubnet)\n    \(nacl)\n  }")
          instance a in a-net ip 10.0.1.10 ipv6 2600:1f18:1:101::10 sg open
          instance b in b-net ip 10.0.2.10 ipv6 2600:1f18:1:102::10 sg target
        }
        """
    }

    /// One packet a → b with this type/code (a fresh flow: security groups apply).
    static func packet(_ c: CompiledTopology, type: UInt8, code: UInt8 = 0, v6: Bool = false) throws -> PacketFate {
        let a = try #require(c.interface(named: "a"))
        var buffer = ObservationBuffer()
        let p = Packet(source: try IPAddress(v6 ? "2600:1f18:1:101::10" : "10.0.1.10"),
                       destination: try IPAddress(v6 ? "2600:1f18:1:102::10" : "10.0.2.10"),
                       ipProtocol: v6 ? 58 : 1, icmpType: type, icmpCode: code)
        return c.forward(p, from: .interface(a), tracked: false, observer: &buffer)
    }

    @Test func securityGroupTypeRuleAdmitsOnlyThatType() throws {
        let c = compile(Self.topology(sg: "ingress icmp 8 from 10.0.0.0/8"))
        let b = try #require(c.interface(named: "b"))
        let v = c.query("a", "b", "icmp")
        expectReachable(v)
        // The deciding rule is named on the hop.
        #expect(v.forwardPath.contains { $0.rule?.text == "ingress icmp 8 from 10.0.0.0/8" })
        expectReachable(c.query("a", "b", "icmp/8"))
        expectBlocked(c.query("a", "b", "icmp/13"), .eniSGRulesMismatch, .forward, at: "target")
        expectBlocked(c.query("a", "b", "icmp/3"), .eniSGRulesMismatch, .forward, at: "target")
        // Any code of type 8.
        #expect(try Self.packet(c, type: 8, code: 0) == .delivered(b))
        #expect(try Self.packet(c, type: 8, code: 7) == .delivered(b))
        #expect(try Self.packet(c, type: 3, code: 0) == .dropped(.eniSGRulesMismatch))
        #expect(try Self.packet(c, type: 13) == .dropped(.eniSGRulesMismatch))
        #expect(try Self.packet(c, type: 0) == .dropped(.eniSGRulesMismatch))
        // The fast path agrees.
        let (s, d) = (try resolved(c, "a"), try resolved(c, "b"))
        #expect(c.isReachable(from: s, to: d, ipProtocol: 1, port: 8))
        #expect(!c.isReachable(from: s, to: d, ipProtocol: 1, port: 13))
    }

    @Test func securityGroupTypeAndCodeRuleAdmitsOnlyThatCode() throws {
        let c = compile(Self.topology(sg: "ingress icmp 3/4 from 10.0.0.0/8"))
        let b = try #require(c.interface(named: "b"))
        #expect(try Self.packet(c, type: 3, code: 4) == .delivered(b))
        #expect(try Self.packet(c, type: 3, code: 3) == .dropped(.eniSGRulesMismatch))
        #expect(try Self.packet(c, type: 4, code: 4) == .dropped(.eniSGRulesMismatch))
        #expect(try Self.packet(c, type: 8) == .dropped(.eniSGRulesMismatch))
        // A query for type 3 sends code 0: blocked; type 3 has no reply, so the check is one way.
        expectBlocked(c.query("a", "b", "icmp/3"), .eniSGRulesMismatch, .forward, at: "target")
    }

    @Test func bareICMPRuleAdmitsEveryTypeAndCode() throws {
        let c = compile(Self.topology(sg: "ingress icmp from 10.0.0.0/8"))
        let b = try #require(c.interface(named: "b"))
        for (t, code) in [(0, 0), (3, 4), (8, 0), (11, 1), (13, 0), (255, 255)] as [(UInt8, UInt8)] {
            #expect(try Self.packet(c, type: t, code: code) == .delivered(b), "type \(t) code \(code)")
        }
        expectReachable(c.query("a", "b", "icmp/13"))
        // ICMPv6 is another protocol.
        #expect(try Self.packet(c, type: 128, v6: true) == .dropped(.eniSGRulesMismatch))
    }

    @Test func icmpv6RuleMatchesICMPv6Types() throws {
        let c = compile(Self.topology(sg: "ingress icmpv6 128 from ::/0"))
        let b = try #require(c.interface(named: "b"))
        #expect(try Self.packet(c, type: 128, v6: true) == .delivered(b))
        #expect(try Self.packet(c, type: 135, v6: true) == .dropped(.eniSGRulesMismatch))
        expectReachable(c.query("a", "b", "icmpv6"))
        expectBlocked(c.query("a", "b", "icmpv6/135"), .eniSGRulesMismatch, .forward, at: "target")
    }

    @Test func naclDenyOfEchoReplyBlocksTheReplyOnly() throws {
        // b's subnet may not send echo replies; everything else is allowed. SGs are stateful, NACLs are not.
        let c = compile(Self.topology(sg: "ingress icmp 8 from 10.0.0.0/8", nacl: """
        inbound 100 allow all from 0.0.0.0/0
            outbound 90 deny icmp 0 to 10.0.0.0/8
            outbound 100 allow all to 0.0.0.0/0
        """))
        let b = try #require(c.interface(named: "b"))
        let v = c.query("a", "b", "icmp")
        expectBlocked(v, .subnetACLRestriction, .return, at: "n")
        #expect(v.forwardPath.last?.action == .delivered)
        // The request alone passes (one way; and the packet itself).
        expectReachable(c.query("a", "b", "icmp", oneWay: true))
        #expect(try Self.packet(c, type: 8) == .delivered(b))
        // The reply packet b → a (tracked by b's group) is dropped by the NACL on its own type, 0.
        var buffer = ObservationBuffer()
        let reply = Packet(source: try IPAddress("10.0.2.10"), destination: try IPAddress("10.0.1.10"), ipProtocol: 1, icmpType: 0)
        #expect(c.forward(reply, from: .interface(b), tracked: true, observer: &buffer) == .dropped(.subnetACLRestriction))
        // Other request types with replies, e.g. timestamp 13 → 14, are not denied by that rule (but the SG blocks
        // the request): with an SG admitting every ICMP type the timestamp exchange works.
        let d = compile(Self.topology(sg: "ingress icmp from 10.0.0.0/8", nacl: """
        inbound 100 allow all from 0.0.0.0/0
            outbound 90 deny icmp 0 to 10.0.0.0/8
            outbound 100 allow all to 0.0.0.0/0
        """))
        expectReachable(d.query("a", "b", "icmp/13"))
        expectBlocked(d.query("a", "b", "icmp/8"), .subnetACLRestriction, .return, at: "n")
        #expect(d.query("a", "b", "icmp/8").explanation?.rule?.ruleNumber == 90)
    }

    @Test func naclTypeRuleIsCheckedOnTheReplyType() throws {
        // Outbound allows only echo replies (type 0): a ping works, a timestamp request's reply (14) does not.
        let c = compile(Self.topology(sg: "ingress icmp from 10.0.0.0/8", nacl: """
        inbound 100 allow icmp 8 from 10.0.0.0/8
            inbound 110 allow icmp 13 from 10.0.0.0/8
            outbound 100 allow icmp 0 to 10.0.0.0/8
        """))
        let v = c.query("a", "b", "icmp")
        expectReachable(v)
        #expect(v.returnPath.contains { $0.rule?.text == "outbound 100 allow icmp 0 to 10.0.0.0/8" })
        expectBlocked(c.query("a", "b", "icmp/13"), .subnetACLRestriction, .return, at: "n")
        expectBlocked(c.query("a", "b", "icmp/17"), .subnetACLRestriction, .forward, at: "n")
    }

    @Test func naclICMPv6RuleWithIPv4CIDRMatchesAllTypes() throws {
        // ICMPv6 with an IPv4 CIDR matches every type (AWS); only IPv4 packets can meet an IPv4 CIDR, so this is
        // seen with protocol-58 packets over IPv4 (odd, but a packet like any other for the NACL).
        let c = compile(Self.topology(sg: "ingress all from 10.0.0.0/8", nacl: """
        inbound 100 allow icmpv6 128 from 10.0.0.0/8
            inbound 110 allow icmpv6 128 from ::/0
        """))
        let rules = c.networkACLs[0].inbound
        #expect(rules.count == 2)
        let v4 = IPAddress.v4(IPv4Address(10, 0, 1, 10)), v6 = try IPAddress("2600:1f18:1:101::10")
        for type in [0, 1, 128, 135] as [UInt16] {
            let r4 = c.evaluateNACL(NetworkACLID(0), inbound: true, ipProtocol: 58, remote: v4, ports: PortSet(port: type << 8))
            #expect(r4.decidingRule == 0, "IPv4 CIDR, type \(type)")
            let r6 = c.evaluateNACL(NetworkACLID(0), inbound: true, ipProtocol: 58, remote: v6, ports: PortSet(port: type << 8))
            #expect(r6.passed.isEmpty == (type != 128), "IPv6 CIDR, type \(type)")
        }
    }

    @Test func typeWithoutReplyIsCheckedOneWay() {
        // Destination unreachable (3) gets no reply: only the request direction counts, with a note.
        let c = compile(Self.topology(sg: "ingress icmp 3 from 10.0.0.0/8", nacl: """
        inbound 100 allow all from 0.0.0.0/0
        """))
        let v = c.query("a", "b", "icmp/3")
        expectReachable(v)
        #expect(v.returnPath.isEmpty)
        #expect(v.notes.contains { $0.contains("no reply") })
    }

    @Test func replyTypeMapping() {
        #expect(icmpReplyType(8, v6: false) == 0)
        #expect(icmpReplyType(13, v6: false) == 14)
        #expect(icmpReplyType(0, v6: false) == nil)
        #expect(icmpReplyType(3, v6: false) == nil)
        #expect(icmpReplyType(128, v6: true) == 129)
        #expect(icmpReplyType(135, v6: true) == 136)
        #expect(icmpReplyType(8, v6: true) == nil)
        #expect(ruleKeyRange(ipProtocol: 1, ports: PortRange(8, 65535)) == (0x0800, 0x08FF))
        #expect(ruleKeyRange(ipProtocol: 1, ports: PortRange(3, 4)) == (0x0304, 0x0304))
        #expect(ruleKeyRange(ipProtocol: 1, ports: PortRange(65535, 65535)) == (0, 0xFFFF))
        #expect(ruleKeyRange(ipProtocol: 1, ports: nil) == (0, 0xFFFF))
        #expect(ruleKeyRange(ipProtocol: -1, ports: PortRange(8, 8)) == (0, 0xFFFF))
        #expect(ruleKeyRange(ipProtocol: 58, ports: PortRange(128, 0), ipv4CIDR: true) == (0, 0xFFFF))
        #expect(ruleKeyRange(ipProtocol: 6, ports: PortRange(443, 443)) == (443, 443))
    }

    /// Naive evaluators over random ICMP rules and random types/codes: NACL first match and SG union.
    static func naiveMatches(proto ruleProto: IPProtocol, ports: PortRange?, packetProto: UInt8, type: UInt8, code: UInt8,
                             ipv4CIDR: Bool) -> Bool {
        guard case .number(let n) = ruleProto else { return true }
        guard n == packetProto else { return false }
        guard n == 1 || n == 58, let ports else { return true }
        if n == 58 && ipv4CIDR { return true }
        if ports.lower > 255 { return true }
        if UInt16(type) != ports.lower { return false }
        return ports.upper > 255 || UInt16(code) == ports.upper
    }

    @Test(arguments: [51, 52, 53] as [UInt64])
    func randomICMPRulesMatchNaiveEvaluators(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var allowed = 0, denied = 0
        func randomPorts() -> PortRange? {
            switch Int.random(in: 0...4, using: &rng) {
            case 0: return nil
            case 1: return PortRange(UInt16.random(in: 0...4, using: &rng) * 4, 65535)
            case 2: return PortRange(65535, 65535)
            default: return PortRange(UInt16.random(in: 0...4, using: &rng) * 4, UInt16.random(in: 0...3, using: &rng))
            }
        }
        for _ in 0..<30 {
            var nacl: [NetworkACLRule] = []
            var sg: [SecurityGroupRule] = []
            for n in 0..<Int.random(in: 1...6, using: &rng) {
                let proto: IPProtocol = [.icmp, .icmp, .icmp, .all, .tcp].randomElement(using: &rng) ?? .icmp
                let ports = proto == .icmp ? randomPorts() : nil
                nacl.append(NetworkACLRule(number: (n + 1) * 10, action: Bool.random(using: &rng) ? .allow : .deny, ipProtocol: proto,
                                           ports: ports, cidr: try IPPrefix("10.0.0.0/8")))
                sg.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .cidr(try IPPrefix("10.0.0.0/8"))))
            }
            var t = Topology()
            var vpc = VPC(name: "v", cidrs: [try IPv4Prefix("10.0.0.0/16")])
            vpc.subnets = [Subnet(name: "s", cidr: try IPv4Prefix("10.0.0.0/24"))]
            vpc.networkACLs = [NetworkACL(name: "n", associations: ["s"], inbound: nacl, outbound: [])]
            vpc.securityGroups = [SecurityGroup(name: "g", ingress: sg)]
            vpc.instances = [Instance(name: "h", interfaces: [NetworkInterface(subnet: "s", privateIP: IPv4Address(10, 0, 0, 10), securityGroups: ["g"])])]
            t.vpcs = [vpc]
            let c = CompiledTopology(t)
            let set = c.interfaces[0].securityGroupSetID
            let remote = IPAddress.v4(IPv4Address(10, 0, 3, 4))
            for _ in 0..<40 {
                let type = UInt8.random(in: 0...4, using: &rng) * 4, code = UInt8.random(in: 0...3, using: &rng)
                let key = PortSet(port: UInt16(type) << 8 | UInt16(code))
                let naiveNACL = nacl.first { Self.naiveMatches(proto: $0.ipProtocol, ports: $0.ports, packetProto: 1, type: type, code: code, ipv4CIDR: true) }
                let r = c.evaluateNACL(NetworkACLID(0), inbound: true, ipProtocol: 1, remote: remote, ports: key)
                #expect(r.passed.isEmpty == !(naiveNACL?.action == .allow), "seed \(seed): \(nacl) type \(type) code \(code)")
                let naiveSG = sg.contains { Self.naiveMatches(proto: $0.ipProtocol, ports: $0.ports, packetProto: 1, type: type, code: code, ipv4CIDR: true) }
                let s = c.evaluateSecurityGroups(set, ingress: true, vpc: VPCID(0), ipProtocol: 1, remote: remote, ports: key)
                #expect(s.passed.isEmpty == !naiveSG, "seed \(seed): \(sg) type \(type) code \(code)")
                if naiveSG { allowed += 1 } else { denied += 1 }
            }
        }
        #expect(allowed > 50 && denied > 50, "the generator must produce both answers")
    }
}

/// The resolved endpoint named `name` (recording an issue when it does not resolve).
func resolved(_ c: CompiledTopology, _ name: String) throws -> ResolvedEndpoint {
    guard case .success(let e) = c.resolve(name) else { throw ResolveFailure() }
    return e
}
struct ResolveFailure: Error {}
