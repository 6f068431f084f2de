import TestSupport
import Reporting
import Testing
@testable import NetworkModel

/// `vpckit fmt` keeps comments: text preserved, placement, idempotence, and the model untouched.
@Suite struct FormatCommentTests {
    /// The comments of `text`, found independently of the lexer: on each line, from the first `#` to the end of
    /// the line, trailing whitespace dropped (the language has no strings, so `#` always starts a comment).
    static func comments(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // The first `#` outside a quoted word (`'…'` starting a word, `''` a quote inside it).
            var hashIndex: Substring.Index? = nil
            var inQuote = false
            var previous: Character = " "
            var i = line.startIndex
            while i < line.endIndex {
                let ch = line[i]
                if inQuote {
                    if ch == "'" {
                        let next = line.index(after: i)
                        if next < line.endIndex, line[next] == "'" { i = line.index(after: next); previous = "'"; continue }
                        inQuote = false
                    }
                } else if ch == "'", previous == " " || previous == "\t" {
                    inQuote = true
                } else if ch == "#" {
                    hashIndex = i
                    break
                }
                previous = ch
                i = line.index(after: i)
            }
            guard let hash = hashIndex else { continue }
            var c = line[hash...]
            while let last = c.last, last == " " || last == "\t" || last == "\r" { c = c.dropLast() }
            out.append(String(c))
        }
        return out
    }

    static func fmt(_ text: String, file: String = "test.vpc") -> String? {
        let (formatted, diagnostics) = TopologyPrinter.format(source: text, file: file)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        return formatted
    }

    /// Everything `fmt` promises about one input: same comments (as a multiset), same model, idempotent.
    static func checkInvariants(_ text: String, file: String = "test.vpc", _ context: Comment) {
        guard let once = fmt(text, file: file) else { Issue.record("does not format: \(context)"); return }
        #expect(comments(once).sorted() == comments(text).sorted(), "comments changed: \(context)\n\(once)")
        let (before, _) = TopologyParser.parse(text, file: file)
        let (after, d) = TopologyParser.parse(once, file: file)
        #expect(d.isEmpty, "\(context): \(d.map(\.rendered))")
        #expect(after == before, "model changed: \(context)")
        #expect(TopologyPrinter.format(after) == TopologyPrinter.format(before))
        let twice = fmt(once, file: file)
        #expect(twice == once, "not idempotent: \(context)\n--- once\n\(once)--- twice\n\(twice ?? "nil")")
    }

    // MARK: Examples and the contract

    @Test(arguments: RoundTripTests.examples)
    func exampleKeepsCommentsAndIsCanonical(_ name: String) {
        let text = Fixtures.read("Topologies/" + name)
        #expect(!Self.comments(text).isEmpty, "\(name) has comments")
        Self.checkInvariants(text, file: name, "\(name)")
        // The committed examples are in canonical layout (`vpckit fmt --check Topologies/*.vpc` passes).
        #expect(Self.fmt(text, file: name) == text, "\(name) is not canonical: run vpckit fmt --write")
    }

    @Test(.enabled(if: !Fixtures.contract.isEmpty, "needs Docs/LANGUAGE-CONTRACT.md")) func contractKeepsComments() {
        let blocks = String(decoding: MarkdownBlocks.extract(Array(Fixtures.contract.utf8)), as: UTF8.self)
        #expect(Self.comments(blocks).count >= 10)
        Self.checkInvariants(blocks, file: "dsl.vpc", "dsl.md code block")
        // Its end-of-line comments stay on their statements.
        let out = Self.fmt(blocks, file: "dsl.vpc") ?? ""
        #expect(out.contains("cidr 10.0.0.0/16  ") && out.contains("# one or more; the first is the primary block"))
        let cidrLine = out.split(separator: "\n").first { $0.contains("cidr 10.0.0.0/16") } ?? ""
        #expect(cidrLine.hasSuffix("# one or more; the first is the primary block"))
    }

    /// The trivia-recording parse is the plain parse (same model, same diagnostics), also on broken inputs.
    @Test func triviaParseMatchesPlainParse() {
        var inputs = RoundTripTests.examples.map { ("Topologies/" + $0, Fixtures.read("Topologies/" + $0)) }
        inputs += Fixtures.list("Topologies/broken", suffix: ".vpc").map { ("broken/" + $0, Fixtures.read("Topologies/broken/" + $0)) }
        #expect(inputs.count > 10)
        for (name, text) in inputs {
            let source = SourceText(text, file: name)
            let (a, da) = TopologyParser.parse(source)
            let (b, db, trivia) = TopologyParser.parseWithTrivia(source)
            #expect(a == b, "\(name)")
            #expect(da.map(\.rendered) == db.map(\.rendered), "\(name)")
            #expect(trivia.comments.count == Self.comments(text).count, "\(name)")
        }
    }

    @Test func brokenInputIsNotFormatted() {
        let (out, diagnostics) = TopologyPrinter.format(source: "vpc a {\n  cidr 10.0.0.0/33  # bad\n}\n", file: "b.vpc")
        #expect(out == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.line == 2)
    }

    // MARK: Placement

    @Test func commentsFollowTheirStatementsWhenReordered() {
        let text = """
        # header of the file

        # about the assert
        assert reach a -> b tcp/443   # why
        vpc v {
          # the instance
          instance a in s ip 10.0.0.10   # eol on a
          subnet s 10.0.0.0/24   # eol on s
          cidr 10.0.0.0/16 # primary
          # end of vpc v
        }
        # end of file

        # really the end
        """
        let want = """
        # header of the file

        vpc v {
          cidr 10.0.0.0/16  # primary

          subnet s 10.0.0.0/24  # eol on s

          # the instance
          instance a in s ip 10.0.0.10  # eol on a
          # end of vpc v
        }

        # about the assert
        assert reach a -> b tcp/443  # why
        # end of file

        # really the end

        """
        #expect(Self.fmt(text) == want)
        Self.checkInvariants(text, "reordered")
    }

    @Test func blockEndsAndBlankLines() {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          route-table r {   # header eol
            # first route

            route 0.0.0.0/0 -> igw
            associate s    # assoc eol

            # nothing after this
          }
          internet-gateway igw   # the gateway
        }
        """
        let want = """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw  # the gateway

          route-table r {  # header eol
            associate s    # assoc eol
            # first route

            route 0.0.0.0/0 -> igw

            # nothing after this
          }
        }

        """
        #expect(Self.fmt(text) == want)
        Self.checkInvariants(text, "blocks")
    }

    @Test func collapsedBlocksKeepEveryComment() {
        let text = """
        region us-east-1   # first region
        region us-east-1   # said twice
        prefix-list corp {  # corp nets
          10.0.0.0/8        # office
          # vpn
          192.168.0.0/16    # vpn range
        }
        vpc v {
          cidr 10.0.0.0/16
          subnet s 10.0.0.0/24
          instance i {   # one interface
            interface eth0 in s ip 10.0.0.10   # its address
          }              # end of instance
        }
        """
        guard let out = Self.fmt(text) else { return }
        Self.checkInvariants(text, "collapsed")
        // The prefix list and the instance print on one line each: one end-of-line comment stays there.
        #expect(out.contains("prefix-list corp { 10.0.0.0/8 192.168.0.0/16 }  # corp nets\n"))
        #expect(out.contains("  instance i in s ip 10.0.0.10  # one interface\n"))
        // The repeated region prints nothing: its comment moves to a line of its own before the next statement.
        #expect(out.contains("region us-east-1  # said twice\n") || out.contains("region us-east-1  # first region\n"))
    }

    @Test func onlyComments() {
        #expect(Self.fmt("# just a note\n\n\n# and another   \n") == "# just a note\n\n# and another\n")
        #expect(Self.fmt("") == "")
        Self.checkInvariants("  # a\n# b\n\n", "only comments")
    }

    @Test func commentsOnEveryKindOfStatement() {
        // The contract's statements, each given a leading and a trailing comment.
        let blocks = String(decoding: MarkdownBlocks.extract(Array(Fixtures.contract.utf8)), as: UTF8.self)
        guard !blocks.isEmpty else { return }
        var lines: [String] = []
        for (i, line) in blocks.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !code.trimmingWhitespace.isEmpty else { continue }
            lines.append("# before \(i)")
            lines.append(code + " # after \(i)")
        }
        let text = lines.joined(separator: "\n") + "\n"
        Self.checkInvariants(text, "every statement")
        guard let out = Self.fmt(text) else { return }
        // Nothing collapses in the contract except the prefix list: every trailing comment stays trailing.
        let trailing = out.split(separator: "\n").filter { !$0.trimmingWhitespace.hasPrefix("#") && $0.contains("# after") }
        let expected = lines.filter { $0.contains("# after") }.count
        #expect(trailing.count >= expected - 2, "\(trailing.count) of \(expected)\n\(out)")
    }

    // MARK: Random topologies with random comments

    static let commentWords = ["note", "{", "}", "#", "vpc", "->", "10.0.0.0/8", "é", "✓", "tcp/443", "route", "x"]

    static func randomComment(_ rng: inout SplitMix64) -> String {
        var c = "#"
        for _ in 0..<(rng.next() % 5) {
            c += RandomTopology.pick([" ", "", "  "], &rng) + RandomTopology.pick(commentWords, &rng)
        }
        return c
    }

    /// Canonical text of a random model, then comments (whole-line and end-of-line), blank lines and odd
    /// indentation inserted between and after statements.
    static func messUp(_ canonical: String, _ rng: inout SplitMix64) -> String {
        var out: [String] = []
        for line in canonical.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            while RandomTopology.chance(&rng, 20) {
                out.append(String(repeating: " ", count: Int(rng.next() % 6)) + randomComment(&rng))
            }
            if RandomTopology.chance(&rng, 10) { out.append("") }
            var code = String(line)
            if RandomTopology.chance(&rng, 30) { code = String(repeating: " ", count: Int(rng.next() % 4)) + code.trimmingWhitespace }
            if !code.isEmpty, RandomTopology.chance(&rng, 30) {
                code += String(repeating: " ", count: Int(1 + rng.next() % 4)) + randomComment(&rng)
            }
            out.append(code)
        }
        while RandomTopology.chance(&rng, 30) { out.append(randomComment(&rng)) }
        return out.joined(separator: "\n") + (RandomTopology.chance(&rng) ? "\n" : "")
    }

    @Test func randomTopologiesWithRandomComments() {
        for seed in UInt64(1)...150 {
            var rng = SplitMix64(seed: seed &* 7919)
            let topology = RandomTopology.make(using: &rng)
            let text = Self.messUp(TopologyPrinter.format(topology), &rng)
            Self.checkInvariants(text, file: "random.vpc", "seed \(seed)\n\(text)")
            // Without comments, fmt is the plain printer.
            let (parsed, _) = TopologyParser.parse(text, file: "random.vpc")
            #expect(parsed == topology, "seed \(seed)")
        }
    }

    @Test func withoutCommentsFormatEqualsThePrinter() {
        for seed in UInt64(1)...60 {
            var rng = SplitMix64(seed: seed)
            let topology = RandomTopology.make(using: &rng)
            let canonical = TopologyPrinter.format(topology)
            #expect(Self.fmt(canonical, file: "r.vpc") == canonical, "seed \(seed)")
        }
    }

    // MARK: --check semantics (the CLI compares fmt's output with the file)

    @Test func checkSeesUnformattedFiles() {
        let canonical = "vpc v {  # c\n  cidr 10.0.0.0/16\n}\n"
        #expect(Self.fmt(canonical) == canonical)
        for messy in ["vpc v { # c\n  cidr 10.0.0.0/16\n}\n",
                      "vpc v {  # c\n    cidr 10.0.0.0/16\n}\n", "vpc v {  # c\n  cidr 10.0.0.0/16\n}", "\nvpc v {  # c\n cidr 10.0.0.0/16 }\n"] {
            #expect(Self.fmt(messy) != messy, "\(messy)")
            #expect(Self.fmt(Self.fmt(messy) ?? "") == Self.fmt(messy))
        }
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
