import IPAddressing
import Testing
@testable import NetworkModel

/// The printer's defence in depth (issue 15): whatever a model holds, each name, id, region, account and zone is
/// printed as exactly one word, so the text parses to the same structure.
@Suite struct PrinterWordTests {
    @Test func wordRule() {
        for good in ["vpc-0a1b2c3d", "a", "web.eth1", "us-east-1a", "123456789012"] { #expect(LanguageWord.isValid(good), "\(good)") }
        for bad in ["", "a b", "a\nb", "a}", "{", "a#b", "a\tb", "a\rb", "a\u{B}", "a\u{C}"] {
            #expect(!LanguageWord.isValid(bad), "\(bad)")
            #expect(!LanguageWord.isPlain(bad), "\(bad)")
        }
        // The lexer keeps these inside a word (so parsed files round-trip), but an import may not print them.
        for odd in ["é", "a\u{7F}", "a\u{0}", "a\u{2028}"] {
            #expect(LanguageWord.isValid(odd), "\(odd)")
            #expect(!LanguageWord.isPlain(odd), "\(odd)")
        }
        #expect(LanguageWord.printable("") == "_")
        #expect(LanguageWord.printable("vpc-1\n}\nvpc evil {") == "vpc-1___vpc_evil__")
        #expect(LanguageWord.commentSafe("a\nb\rc\u{2028}d") == "a b c d")
    }

    @Test func hostileStringsCannotAddStatements() throws {
        var t = Topology()
        var vpc = VPC(name: "x}\nvpc evil {", id: "vpc-1\n}\nvpc evil2 {\n cidr 10.9.0.0/16\n", region: "us-east-1 #",
                      account: "", cidrs: [try IPv4Prefix("10.0.0.0/16")])
        vpc.subnets.append(Subnet(name: "s", id: "subnet-1 }", cidr: try IPv4Prefix("10.0.1.0/24"), availabilityZone: "a{b", mapPublicIP: false))
        t.vpcs.append(vpc)
        #expect(t.firstUnprintableWord?.what == "VPC x}\nvpc evil { id" || t.firstUnprintableWord?.what == "VPC name")
        let text = TopologyPrinter.format(t)
        let (parsed, _) = TopologyParser.parse(text, file: "t.vpc")
        #expect(parsed.vpcs.count == 1)
        #expect(parsed.vpcs.first?.subnets.count == 1)
        #expect(!text.contains("evil {"))
        // Every word the printer wrote from the model is one token.
        var words: [String] = []
        parsed.forEachWord { _, value in words.append(value) }
        #expect(words.allSatisfy(LanguageWord.isValid))
    }
}
