import IPAddressing
import NetworkModel
import Testing

/// `TrafficSpec(commandLine:)`: the traffic spellings `vpckit reach` takes (moved from the CLI into the library
/// so that the query fuzz target reads them through the same code).
@Suite struct TrafficTextTests {
    @Test func everySpellingReads() {
        let cases: [(String, TrafficSpec)] = [
            ("tcp/443", TrafficSpec(ipProtocol: .tcp, port: 443)), ("UDP/53", TrafficSpec(ipProtocol: .udp, port: 53)),
            ("tcp", TrafficSpec(ipProtocol: .tcp)), ("icmp", TrafficSpec(ipProtocol: .icmp)),
            ("icmp/8", TrafficSpec(ipProtocol: .icmp, port: 8)), ("icmpv6/128", TrafficSpec(ipProtocol: .icmpv6, port: 128)),
            ("all", TrafficSpec(ipProtocol: .all)), ("47", TrafficSpec(ipProtocol: .number(47))),
            ("proto 47", TrafficSpec(ipProtocol: .number(47))), ("proto/47", TrafficSpec(ipProtocol: .number(47))),
        ]
        for (text, spec) in cases { #expect(TrafficSpec(commandLine: text) == spec, "\(text)") }
    }

    @Test func badSpellingsAreNil() {
        for text in ["", "tcp/", "tcp/65536", "tcp/-1", "icmp/256", "proto", "proto 256", "proto 47/1", "gre/1", "tcp/443/1", "all/80",
                     "tcp/ 443", "bogus"] {
            #expect(TrafficSpec(commandLine: text) == nil, "\(text)")
        }
    }

    @Test func printedSpecsReadBack() {
        for text in ["tcp/443", "udp", "icmp/3", "icmpv6", "all", "proto 47", "6/22"] {
            guard let spec = TrafficSpec(commandLine: text) else { Issue.record("\(text) does not read"); continue }
            #expect(TrafficSpec(commandLine: spec.description) == spec, "\(text) → \(spec.description)")
        }
    }
}
