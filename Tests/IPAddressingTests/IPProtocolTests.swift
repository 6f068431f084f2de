import Testing
import IPAddressing

@Suite struct IPProtocolTests {
    @Test func namedConstantsHaveTheirNumbers() {
        #expect(IPProtocol.tcp == .number(6))
        #expect(IPProtocol.udp == .number(17))
        #expect(IPProtocol.icmp == .number(1))
        #expect(IPProtocol.icmpv6 == .number(58))
        #expect([IPProtocol.tcpNumber, IPProtocol.udpNumber, IPProtocol.icmpNumber, IPProtocol.icmpv6Number] == [6, 17, 1, 58])
        #expect(IPProtocol.all.number == nil)
        #expect(IPProtocol.number(47).number == 47)
        #expect(IPProtocol.all.awsNumber == -1)
        #expect(IPProtocol.icmpv6.awsNumber == 58)
    }

    /// The language's keywords (case-sensitive, exactly these five).
    @Test func languageNames() {
        let expected: [(String, IPProtocol)] = [("tcp", .tcp), ("udp", .udp), ("icmp", .icmp), ("icmpv6", .icmpv6), ("all", .all)]
        for (word, p) in expected {
            #expect(IPProtocol(name: word) == p, "\(word)")
            #expect(IPProtocol(name: Substring(word)) == p, "\(word)")
        }
        for bad in ["TCP", "Udp", "proto", "6", "-1", "", "icmp6", "tcp ", "al"] {
            #expect(IPProtocol(name: bad) == nil, "\(bad)")
        }
        #expect(IPProtocol.names == ["tcp", "udp", "icmp", "icmpv6", "all"])
    }

    /// The CLI's `--traffic` protocol: names in any case, `-1`, and every number 0-255 as `UInt8.init` reads it.
    @Test func lenientSpellings() {
        #expect(IPProtocol(lenient: "TCP") == .tcp)
        #expect(IPProtocol(lenient: "IcmpV6") == .icmpv6)
        #expect(IPProtocol(lenient: "ALL") == .all)
        #expect(IPProtocol(lenient: "-1") == .all)
        for n in 0...255 {
            #expect(IPProtocol(lenient: String(n)) == .number(UInt8(n)))
        }
        #expect(IPProtocol(lenient: "047") == .number(47))
        for bad in ["256", "-2", "", "proto", "tcp/80", "1.5", " 6"] {
            #expect(IPProtocol(lenient: bad) == nil, "\(bad)")
        }
    }

    @Test func awsNumbers() {
        #expect(IPProtocol(awsNumber: -1) == .all)
        for n in 0...255 { #expect(IPProtocol(awsNumber: n) == .number(UInt8(n))) }
        for bad in [-2, 256, 1000, Int.min, Int.max] { #expect(IPProtocol(awsNumber: bad) == nil) }
    }

    /// name → protocol → name, and number → protocol → (name or number) → protocol, for every protocol.
    @Test func roundTrips() {
        for (name, p) in IPProtocol.named {
            #expect(p.name == name)
            #expect(IPProtocol(name: name) == p)
            #expect(p.description == name)
        }
        for n in 0...255 {
            let p = IPProtocol.number(UInt8(n))
            #expect(IPProtocol(lenient: p.nameOrNumber) == p)
            #expect(IPProtocol(awsNumber: p.awsNumber) == p)
            if let name = p.name { #expect(IPProtocol(name: name) == p) } else { #expect(p.description == "proto \(n)") }
        }
        #expect(IPProtocol(awsNumber: IPProtocol.all.awsNumber) == .all)
        #expect(IPProtocol.number(47).name == nil)
        #expect(IPProtocol.number(47).nameOrNumber == "47")
    }

    @Test func predicatesMatchTheLiterals() {
        for n in 0...255 {
            let b = UInt8(n)
            #expect(IPProtocol.hasPorts(b) == (n == 6 || n == 17), "\(n)")
            #expect(IPProtocol.isICMP(b) == (n == 1 || n == 58), "\(n)")
            #expect(IPProtocol.number(b).hasPorts == IPProtocol.hasPorts(b))
            #expect(IPProtocol.number(b).isICMP == IPProtocol.isICMP(b))
            for t in 0...255 {
                let echo = (n == 1 && (t == 8 || t == 0)) || (n == 58 && (t == 128 || t == 129))
                if IPProtocol.isEcho(type: UInt8(t), protocol: b) != echo { Issue.record("isEcho \(n) \(t)") }
            }
        }
        #expect(!IPProtocol.all.hasPorts)
        #expect(!IPProtocol.all.isICMP)
        #expect(IPProtocol.echoRequestType(v6: false) == 8)
        #expect(IPProtocol.echoRequestType(v6: true) == 128)
    }
}
