import TestSupport
import Testing
@testable import IPAddressing

/// Each malformed input, the message it must produce and the byte offset of the caret.
private let badPrefixes: [(String, String, Int)] = [
    ("10.0.0.1/33", "prefix length must be 0...32 for IPv4", 9),
    ("256.1.1.1/32", "IPv4 field is larger than 255", 0),
    ("1.2.3/24", "an IPv4 address has exactly four fields", 5),
    ("1.2.3.4.5/32", "unexpected character '.'", 7),
    ("010.0.0.1/32", "IPv4 field has a leading zero (ambiguous: octal or decimal?)", 0),
    ("10.0.0.0/08", "prefix length has a leading zero (write it without: /8, not /08)", 9),
    ("1.2.3.4/032", "prefix length has a leading zero (write it without: /8, not /08)", 8),
    ("2001:db8::/064", "prefix length has a leading zero (write it without: /8, not /08)", 11),
    ("10.0.0.0/", "prefix length must be 0...32 for IPv4", 9),
    ("10.0.0.0", "missing prefix length ('/N')", 8),
    ("", "empty address", 0),
    ("10.0.0.0/8x", "unexpected character 'x'", 10),
    ("10.0.0.0/8 ", "unexpected whitespace", 10),
    ("10.0.0.0x/8", "unexpected character 'x'", 8),
    ("10.0.0.1/16", "host bits set; did you mean '10.0.0.0/16'?", 0),
    ("10.0.0.0/16é", "unexpected character 'é'", 11),
    ("1::2::3/64", "IPv6 address has more than one '::'", 4),
    ("2001:db8::/129", "prefix length must be 0...128 for IPv6", 11),
    ("2001:db8::1/64", "host bits set; did you mean '2001:db8::/64'?", 0),
    ("2001:db8:0:0:0:0:0:0:1/128", "an IPv6 address has eight 16-bit groups", 21),
    ("2001:db8:0:0:0:0:0/112", "an IPv6 address has eight 16-bit groups", 18),
    ("12345::/16", "IPv6 group has more than four hex digits", 0),
    ("fe80::1%eth0/128", "unexpected character '%'", 7),
    ("[::1]/128", "unexpected character '['", 0),
    ("::g/128", "unexpected character 'g'", 2),
    (":1::/16", "unexpected character ':'", 0),
    ("1:2:3:4:5:6:7:8::/128", "an IPv6 address has eight 16-bit groups", 0),
    ("1:/16", "an IPv6 address has eight 16-bit groups", 2),
    ("::1.2.3/128", "an IPv4 address has exactly four fields", 7),
    ("::256.0.0.0/128", "IPv4 field is larger than 255", 2),
    ("1:2:3:4:5:6:7:1.2.3.4/128", "an IPv6 address has eight 16-bit groups", 14),
]

@Test func everyBadPrefixFormHasItsMessageAndOffset() {
    for (text, message, offset) in badPrefixes {
        do {
            let p = try IPPrefix(text)
            Issue.record("'\(text)' parsed as \(p)")
        } catch {
            #expect(error.message == message, "'\(text)'")
            #expect(error.offset == offset, "'\(text)'")
        }
    }
}

@Test func badAddressesAreRejectedWithMessages() {
    let cases: [(String, String)] = [
        ("256.1.1.1", "IPv4 field is larger than 255"),
        ("1.2.3", "an IPv4 address has exactly four fields"),
        ("010.0.0.1", "IPv4 field has a leading zero (ambiguous: octal or decimal?)"),
        ("1.2.3.4 ", "unexpected whitespace"),
        (" 1.2.3.4", "unexpected whitespace"),
        ("1.2.3.4x", "unexpected character 'x'"),
        ("1..3.4", "an IPv4 address has exactly four fields"),
        ("", "empty address"),
        ("1::2::3", "IPv6 address has more than one '::'"),
        ("::ffff:1.2.3.4x", "unexpected character 'x'"),
        ("1:2", "an IPv6 address has eight 16-bit groups"),
        (":::", "unexpected character ':'"),
    ]
    for (text, message) in cases {
        #expect(throws: IPParseError.self, "'\(text)'") { try IPAddress(text) }
        do { _ = try IPAddress(text) } catch { #expect(error.message == message, "'\(text)'") }
    }
    #expect(throws: IPParseError(.empty, offset: 0)) { try IPv6Address("") }
    #expect(throws: IPParseError(.empty, offset: 0)) { try IPv4Address("") }
}

@Test func hostBitsAreClearedOnlyWhenAskedToNormalize() throws {
    #expect(throws: IPParseError(.hostBitsSet(canonical: "10.0.0.0/16"), offset: 0)) { try IPv4Prefix("10.0.0.1/16") }
    #expect(try IPv4Prefix("10.0.0.1/16", normalize: true).description == "10.0.0.0/16")
    #expect(try IPv6Prefix("2001:db8::ff/120", normalize: true).description == "2001:db8::/120")
}

@Test func acceptedFormsParseToTheRightBits() throws {
    #expect(try IPv4Address("0.0.0.0").bits == 0)
    #expect(try IPv4Address("255.255.255.255").bits == .max)
    #expect(try IPv4Address("10.1.2.3") == IPv4Address(10, 1, 2, 3))
    #expect(try IPv6Address("::").bits == 0)
    #expect(try IPv6Address("::1").bits == 1)
    #expect(try IPv6Address("1::").bits == UInt128(1) << 112)
    #expect(try IPv6Address("1:2:3:4:5:6:7:8") == IPv6Address(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0008))
    #expect(try IPv6Address("1::2:3:4:5:6:7") == IPv6Address("1:0:2:3:4:5:6:7"))
    #expect(try IPv6Address("1:2:3:4:5:6:7::") == IPv6Address("1:2:3:4:5:6:7:0"))
    #expect(try IPv6Address("::ffff:10.0.0.1").bits == 0xffff_0a00_0001)
    #expect(try IPv6Address("64:ff9b::192.0.2.33") == IPv6Address("64:ff9b::c000:221"))
    #expect(try IPv6Address("1:2:3:4:5:6:1.2.3.4") == IPv6Address("1:2:3:4:5:6:102:304"))
    #expect(try IPv6Address("ABCD:EF01::0001") == IPv6Address("abcd:ef01::1"))
    #expect(try IPPrefix("0.0.0.0/0") == .v4(IPv4Prefix(network: .min, length: 0)!))
    #expect(try IPPrefix("::/0").family == .ipv6)
}

/// RFC 5952 section 4 examples, and the examples that tempt wrong output.
@Test func ipv6OutputFollowsRFC5952() throws {
    let cases: [(String, String)] = [
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),      // one zero group: not shortened
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),              // the longest run
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),        // the first of equal runs
        ("2001:DB8::ABCD", "2001:db8::abcd"),                 // lower case
        ("0:0:0:0:0:0:0:0", "::"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("::ffff:c000:0280", "::ffff:192.0.2.128"),
        ("fe80::0:0:1", "fe80::1"),
    ]
    for (input, expected) in cases {
        #expect(try IPv6Address(input).description == expected, "\(input)")
    }
}

@Test func randomAddressesAndPrefixesRoundTrip() throws {
    let seed: UInt64 = 0x5eed_0001
    var rng = SplitMix64(seed: seed)
    for _ in 0..<20_000 {
        let a = rng.v4()
        #expect(try IPv4Address(a.description) == a, "seed \(seed)")
        let b = rng.next() & 1 == 0 ? rng.v6() : rng.sparseV6()
        let text = b.description
        #expect(try IPv6Address(text) == b, "seed \(seed): \(text)")
        #expect(text == text.lowercased() && !text.contains(":::"), "seed \(seed): \(text)")
        // The full, uncompressed form parses to the same value.
        let full = b.groups.map { String($0, radix: 16) }.joined(separator: ":")
        #expect(try IPv6Address(full) == b, "seed \(seed): \(full)")
        let p4 = rng.v4Prefix(), p6 = rng.v6Prefix()
        #expect(try IPv4Prefix(p4.description) == p4, "seed \(seed)")
        #expect(try IPv6Prefix(p6.description) == p6, "seed \(seed)")
        #expect(try IPPrefix(p6.description) == .v6(p6), "seed \(seed)")
    }
}

/// Every IPv4 text with up to five fields of small numbers, compared with a hand-rolled reference grammar.
@Test func ipv4ParserAgreesWithReferenceGrammar() {
    let fields = ["", "0", "00", "1", "01", "9", "10", "255", "256", "999", "a"]
    var checked = 0
    func reference(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  part == "0" || !part.hasPrefix("0"), let n = UInt32(part), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }
    for a in fields { for b in fields { for c in fields { for d in ["", "0", "7", "255", "256", "01"] {
        for text in ["\(a).\(b).\(c).\(d)", "\(a).\(b).\(c)", "\(a).\(b).\(c).\(d).1"] {
            let parsed = try? IPv4Address(text)
            #expect(parsed?.bits == reference(text), "'\(text)'")
            checked += 1
        }
    } } } }
    #expect(checked > 5000)
}
