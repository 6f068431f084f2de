import IPAddressing
import Testing
@testable import NetworkModel

/// Every protocol spelling of the language still reads as the same protocol now that `IPProtocol` parses
/// them, and a misspelling keeps its message and hint.
@Suite struct ProtocolSpellingTests {
    static func ingress(_ rule: String) -> (SecurityGroupRule?, [String]) {
        let text = "vpc a {\n  cidr 10.0.0.0/16\n  security-group g {\n    ingress \(rule) from 10.0.0.0/8\n  }\n}\n"
        let (topology, diagnostics) = TopologyParser.parse(text, file: "p.vpc")
        return (topology.vpcs.first?.securityGroups.first?.ingress.first, diagnostics.map { "\($0.message) | \($0.hint ?? "")" })
    }
    static func traffic(_ spec: String) -> (TrafficSpec?, [String]) {
        let text = "assert reach 10.0.0.1 -> 10.0.0.2 \(spec)\n"
        let (topology, diagnostics) = TopologyParser.parse(text, file: "p.vpc")
        return (topology.assertions.first?.traffic, diagnostics.map { "\($0.message) | \($0.hint ?? "")" })
    }

    @Test func ruleSpellings() {
        let cases: [(String, IPProtocol, PortRange?)] = [
            ("tcp 443", .number(6), PortRange(443)), ("udp 1024-65535", .number(17), PortRange(1024, 65535)),
            ("icmp", .number(1), nil), ("icmp 3/4", .number(1), PortRange(3, 4)), ("icmpv6 128", .number(58), PortRange(128, 65535)),
            ("all", .all, nil), ("proto 47", .number(47), nil), ("proto 0", .number(0), nil), ("proto 255", .number(255), nil),
            ("proto 6 443", .number(6), PortRange(443)),
        ]
        for (spelling, proto, ports) in cases {
            let (rule, errors) = Self.ingress(spelling)
            #expect(errors.isEmpty, "\(spelling): \(errors)")
            #expect(rule?.ipProtocol == proto, "\(spelling)")
            #expect(rule?.ports == ports, "\(spelling)")
        }
    }

    @Test func trafficSpellings() {
        let cases: [(String, TrafficSpec)] = [
            ("tcp/443", TrafficSpec(ipProtocol: .number(6), port: 443)), ("udp", TrafficSpec(ipProtocol: .number(17))),
            ("icmp/8", TrafficSpec(ipProtocol: .number(1), port: 8)), ("icmpv6", TrafficSpec(ipProtocol: .number(58))),
            ("all", TrafficSpec(ipProtocol: .all)), ("proto 47", TrafficSpec(ipProtocol: .number(47))),
        ]
        for (spelling, spec) in cases {
            let (traffic, errors) = Self.traffic(spelling)
            #expect(errors.isEmpty, "\(spelling): \(errors)")
            #expect(traffic == spec, "\(spelling)")
        }
    }

    @Test func misspellingsKeepTheirMessages() {
        #expect(Self.ingress("tcpx 443").1.first == "unknown protocol 'tcpx' | did you mean 'tcp'?")
        #expect(Self.ingress("icmp6").1.first == "unknown protocol 'icmp6' | did you mean 'icmp'?")
        #expect(Self.ingress("tpc 443").1.first == "unknown protocol 'tpc' | expected 'tcp', 'udp', 'icmp', 'icmpv6', 'all' or 'proto N'")
        #expect(Self.ingress("TCP 443").1.first?.hasPrefix("unknown protocol 'TCP'") == true)
        #expect(Self.ingress("proto 256").1.isEmpty == false)
        #expect(Self.ingress("protocols").1.first?.hasPrefix("unknown protocol 'protocols'") == true)
        #expect(Self.traffic("tcpx/443").1.first == "unknown protocol 'tcpx' | did you mean 'tcp'?")
        #expect(Self.traffic("xyz/1").1.first == "unknown protocol 'xyz' | expected 'tcp/PORT', 'udp/PORT', 'icmp', 'icmpv6', 'all' or 'proto N'")
        #expect(Self.traffic("all/80").1.first?.hasPrefix("'all' takes no port") == true)
    }
}
