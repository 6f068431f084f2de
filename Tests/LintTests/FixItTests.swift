import Lint
import NetworkModel
import Reporting
import TestSupport
import Testing

/// Fix-its are data: every rule that has one builds it as text edits, and applying a finding's edits to the
/// text it was found in gives a topology that parses (and validates, when the original did) on which the
/// finding is gone.
@Suite struct FixItTests {
    /// Rules whose fix is a judgement call (which source to allow, which block to re-address…): no edits,
    /// only a hint in words.
    static let judgementRules: Set<String> = [
        "sg-ssh-open-world", "sg-rdp-open-world", "sg-all-ports-open-world", "sg-reference-not-peered",
        "subnet-no-free-addresses", "cidr-docker-range", "vpc-cidr-overlap-connected", "route-target-other-vpc",
        "tgw-route-blackhole", "instance-internet-exposed",
        // Edges: an operational state, a missing resource of the estate, an addressing plan.
        "vpn-tunnel-down", "vpn-single-tunnel", "dx-no-vpn-backup", "onprem-prefix-overlaps-vpc",
        // Load balancers: which subnets to move the nodes to, how to close the direct way in.
        "lb-internet-facing-no-igw-route", "lb-target-internet-exposed",
    ]

    struct Outcome {
        var parses: Bool
        var validates: Bool
        var stillThere: Bool
        var text: String
    }

    /// Lints `text`, applies `finding`'s fix and lints again.
    static func apply(_ finding: Finding, to text: String, file: String) -> Outcome? {
        guard let fix = finding.fix, !fix.edits.isEmpty else { return nil }
        let source = SourceText(text, file: file)
        guard let bytes = SourceEditor.apply(fix.edits, to: source) else { return nil }
        let fixed = String(decoding: bytes, as: UTF8.self)
        let (topology, syntax) = TopologyParser.parse(fixed, file: file)
        let (_, all) = TopologyLoader.load(fixed, file: file)
        let after = Linter.lint(topology, options: LintOptions(minimumSeverity: .note), sources: [SourceText(fixed, file: file)])
        return Outcome(parses: syntax.isEmpty, validates: !all.contains { $0.severity == .error },
                       stillThere: after.contains { $0.ruleID == finding.ruleID && $0.message == finding.message },
                       text: fixed)
    }

    @Test(arguments: LintDocsTests.sections)
    func documentedExampleFixItRemovesTheFinding(section: LintDocsTests.Section) throws {
        let text = section.trigger + "\n"
        let (topology, _) = TopologyParser.parse(text, file: "example.vpc")
        let findings = Linter.lint(topology, options: LintOptions(minimumSeverity: .note),
                                   sources: [SourceText(text, file: "example.vpc")]).filter { $0.ruleID == section.rule }
        #expect(!findings.isEmpty)
        for finding in findings {
            if Self.judgementRules.contains(section.rule) {
                #expect(finding.fix == nil, "\(section.rule) is a judgement call but has a fix-it")
                continue
            }
            let fix = try #require(finding.fix, "\(section.rule): no fix-it for the documented example")
            #expect(finding.hint == fix.description)
            let outcome = try #require(Self.apply(finding, to: text, file: "example.vpc"), "\(section.rule): edits do not apply")
            #expect(outcome.parses && outcome.validates, "\(section.rule): the fixed text does not load\n\(outcome.text)")
            #expect(!outcome.stillThere, "\(section.rule): the finding survives its fix\n\(outcome.text)")
        }
    }

    /// The examples: the showcase triggers most rules, in one file with comments and one-line blocks.
    @Test(arguments: ExampleTopologyTests.examples)
    func everyFixItInAnExampleRemovesItsFinding(name: String) throws {
        let file = "Topologies/\(name)"
        let text = try #require(repositoryFile(file))
        let (topology, _) = TopologyParser.parse(text, file: file)
        let validBefore = !TopologyLoader.load(text, file: file).diagnostics.contains { $0.severity == .error }
        let findings = Linter.lint(topology, options: LintOptions(minimumSeverity: .note), sources: [SourceText(text, file: file)])
        var applied = Set<String>()
        for finding in findings where finding.fix != nil {
            let outcome = try #require(Self.apply(finding, to: text, file: file), "\(finding.ruleID): edits do not apply")
            #expect(outcome.parses, "\(finding.ruleID) at line \(finding.line): the fixed text does not parse")
            if validBefore { #expect(outcome.validates, "\(finding.ruleID) at line \(finding.line): the fixed text does not validate") }
            #expect(!outcome.stillThere, "\(finding.ruleID) at line \(finding.line): the finding survives its fix")
            applied.insert(finding.ruleID)
        }
        if name == "lint-findings.vpc" { #expect(applied.count >= 12, "fix-its applied for \(applied.sorted())") }
    }

    /// The bug issue 16 names: a NACL hint proposed `to sg app`, which a NACL cannot take. A group peer now
    /// becomes its members' addresses.
    @Test func ephemeralReplyFixForAGroupPeerNamesAddresses() throws {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.1.0/24 az us-east-1a
              subnet db-a 10.0.2.0/24 az us-east-1a
              security-group app { ingress tcp 443 from 10.0.0.0/8 }
              security-group db { ingress tcp 5432 from sg app }
              network-acl db-nacl {
                associate db-a
                inbound 100 allow tcp 5432 from 10.0.0.0/16
                outbound 100 allow tcp 443 to 0.0.0.0/0
              }
              instance app-1 in app-a ip 10.0.1.10 sg app
              instance db-1 in db-a ip 10.0.2.10 sg db
            }

            """
        let (topology, errors) = TopologyLoader.load(text, file: "t.vpc")
        #expect(errors.filter { $0.severity == .error }.isEmpty)
        let finding = try #require(Linter.lint(topology, sources: [SourceText(text, file: "t.vpc")])
            .first { $0.ruleID == "nacl-blocks-ephemeral-replies" })
        #expect(finding.hint?.contains("sg ") == false, "\(finding.hint ?? "")")
        let edits = try #require(finding.fix?.edits)
        #expect(edits.map(\.text) == ["    outbound 110 allow tcp 1024-65535 to 10.0.1.10/32\n"])
        let outcome = try #require(Self.apply(finding, to: text, file: "t.vpc"))
        #expect(outcome.validates && !outcome.stillThere, "\(outcome.text)")
    }

    /// `default-sg-not-closed` with default markers (issue 16 point 2): a marked default group keeps its name and
    /// marker when closed, and a second VPC whose instances use the implied group gets a new marked group under
    /// a free name (`default` is taken: names are unique across a topology).
    @Test(arguments: [
        ("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s1 10.0.1.0/24 az us-east-1a
              security-group base default {
                ingress all from sg base
              }
              instance i1 in s1 ip 10.0.1.10
            }

            """, "security-group base default { egress none }"),
        ("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s1 10.0.1.0/24 az us-east-1a
              security-group default { egress none }
              instance i1 in s1 ip 10.0.1.10
            }
            vpc b {
              cidr 10.1.0.0/16
              subnet s2 10.1.1.0/24 az us-east-1a
              instance i2 in s2 ip 10.1.1.10
            }

            """, "security-group b-default default { egress none }"),
    ])
    func defaultGroupFixKeepsNamesUnique(text: String, statement: String) throws {
        let finding = try #require(Linter.lint(TopologyLoader.load(text, file: "t.vpc").topology, sources: [SourceText(text, file: "t.vpc")])
            .first { $0.ruleID == "default-sg-not-closed" })
        #expect(finding.hint?.contains("'\(statement)'") == true, "\(finding.hint ?? "")")
        let outcome = try #require(Self.apply(finding, to: text, file: "t.vpc"))
        #expect(outcome.parses && outcome.validates, "\(outcome.text)")
        #expect(!outcome.stillThere, "\(outcome.text)")
    }

    @Test func editorPlacesStatementsAndDeletesWholeLines() throws {
        let text = "vpc p {\n  cidr 10.0.0.0/16\n  route-table r main { route 10.9.0.0/16 blackhole }\n  network-acl n {   # edge\n    inbound 100 allow all from 0.0.0.0/0\n  }\n}\n"
        let source = SourceText(text, file: "e.vpc")
        var files = SourceFileTable()
        let e = files.index(of: "e.vpc"), other = files.index(of: "other.vpc")
        let editor = SourceEditor(source, files: files)
        func applied(_ e: TextEdit?) throws -> String {
            let edit = try #require(e)
            return String(decoding: try #require(SourceEditor.apply([edit], to: source)), as: UTF8.self)
        }
        // Into a multi-line block: a line of its own, indented like the body.
        #expect(try applied(editor.insert("inbound 90 deny tcp 22 from 0.0.0.0/0", intoBlockAt: SourceLocation(fileIndex: e, line: 4, column: 15)))
                == text.replacing("  network-acl n {   # edge\n", with: "  network-acl n {   # edge\n    inbound 90 deny tcp 22 from 0.0.0.0/0\n"))
        // Into a one-line block: after the brace.
        #expect(try applied(editor.insert("associate a", intoBlockAt: SourceLocation(fileIndex: e, line: 3, column: 15)))
                == text.replacing("main { route", with: "main { associate a route"))
        // A statement alone on its line: the line goes.
        #expect(try applied(editor.delete(statementAt: SourceLocation(fileIndex: e, line: 5, column: 5)))
                == text.replacing("    inbound 100 allow all from 0.0.0.0/0\n", with: ""))
        // A statement inside a one-line block: its words go.
        #expect(try applied(editor.delete(statementAt: SourceLocation(fileIndex: e, line: 3, column: 24)))
                == text.replacing(" route 10.9.0.0/16 blackhole", with: ""))
        // A block statement: through its closing brace.
        #expect(try applied(editor.delete(statementAt: SourceLocation(fileIndex: e, line: 4, column: 15)))
                == text.replacing("  network-acl n {   # edge\n    inbound 100 allow all from 0.0.0.0/0\n  }\n", with: ""))
        #expect(editor.delete(statementAt: SourceLocation(fileIndex: other, line: 5, column: 5)) == nil)
        // Overlapping edits are refused.
        let a = try #require(editor.delete(statementAt: SourceLocation(fileIndex: e, line: 4, column: 15)))
        let b = try #require(editor.delete(statementAt: SourceLocation(fileIndex: e, line: 5, column: 5)))
        #expect(SourceEditor.apply([a, b], to: source) == nil)
    }
}

/// Hints quote statements only in forms the parser accepts: every quoted piece of a hint that starts with a
/// statement keyword parses in the block it belongs to (rules with no fix-it included).
@Suite struct HintSyntaxTests {
    /// The block a statement starting with `keyword` is written in, with `STATEMENT` where it goes.
    static let contexts: [String: String] = [
        "inbound": "vpc v {\n  cidr 10.0.0.0/16\n  network-acl n {\n    STATEMENT\n  }\n}\n",
        "outbound": "vpc v {\n  cidr 10.0.0.0/16\n  network-acl n {\n    STATEMENT\n  }\n}\n",
        "route": "vpc v {\n  cidr 10.0.0.0/16\n  route-table r {\n    STATEMENT\n  }\n}\n",
        "associate": "transit-gateway t {\n  route-table r {\n    STATEMENT\n  }\n}\n",
        "propagate": "transit-gateway t {\n  route-table r {\n    STATEMENT\n  }\n}\n",
        "security-group": "vpc v {\n  cidr 10.0.0.0/16\n  STATEMENT\n}\n",
        "route-table": "vpc v {\n  cidr 10.0.0.0/16\n  STATEMENT\n}\n",
        "endpoint": "vpc v {\n  cidr 10.0.0.0/16\n  STATEMENT\n}\n",
        "ingress": "vpc v {\n  cidr 10.0.0.0/16\n  security-group g {\n    STATEMENT\n  }\n}\n",
    ]

    /// The `'…'` pieces of `hint`.
    static func quoted(_ hint: String) -> [String] {
        hint.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    static func hints() throws -> [String] {
        var texts: [(String, String)] = LintDocsTests.sections.map { ($0.trigger + "\n", "example.vpc") }
        texts.append((try #require(repositoryFile("Topologies/lint-findings.vpc")), "lint-findings.vpc"))
        var hints = LintCatalogue.all.map(\.hint)
        for (text, file) in texts {
            let (topology, _) = TopologyParser.parse(text, file: file)
            hints += Linter.lint(topology, options: LintOptions(minimumSeverity: .note)).compactMap(\.hint)
        }
        return hints
    }

    @Test func quotedStatementsInHintsParse() throws {
        var checked = 0
        for hint in try Self.hints() {
            for piece in Self.quoted(hint) {
                guard let keyword = piece.split(separator: " ").first, let context = Self.contexts[String(keyword)] else { continue }
                let (_, errors) = TopologyParser.parse(context.replacing("STATEMENT", with: piece), file: "hint.vpc")
                #expect(errors.isEmpty, "hint proposes '\(piece)', which does not parse: \(errors.map(\.message))\n\(hint)")
                checked += 1
            }
        }
        #expect(checked >= 15)
        // The checker itself rejects what issue 16 found.
        #expect(!TopologyParser.parse(Self.contexts["outbound"]!.replacing("STATEMENT", with: "outbound 100 allow tcp 1024-65535 to sg app"),
                                      file: "hint.vpc").1.isEmpty)
    }
}

@Test func insertedLinesKeepACRLFFilesLineEndings() throws {
    let text = "vpc p {\r\n  cidr 10.0.0.0/16\r\n  network-acl n {\r\n    inbound 100 allow all from 0.0.0.0/0\r\n  }\r\n}\r\n"
    let source = SourceText(text, file: "c.vpc")
    var files = SourceFileTable()
    let c = files.index(of: "c.vpc")
    let edit = try #require(SourceEditor(source, files: files).insert("inbound 90 deny tcp 22 from 0.0.0.0/0", intoBlockAt: SourceLocation(fileIndex: c, line: 3, column: 15)))
    #expect(edit.text == "    inbound 90 deny tcp 22 from 0.0.0.0/0\r\n")
    let fixed = String(decoding: try #require(SourceEditor.apply([edit], to: source)), as: UTF8.self)
    #expect(TopologyLoader.load(fixed, file: "c.vpc").diagnostics.isEmpty)
}

@Test func statementsAddedToOneBlockAreOneEditInOrder() throws {
    let text = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet db-a 10.0.2.0/24 az us-east-1a
          security-group db {
            ingress tcp 5432 from 10.1.0.0/16
            ingress udp 53 from 10.2.0.0/16
          }
          network-acl db-nacl {
            associate db-a
            inbound 100 allow all from 10.0.0.0/8
            outbound 100 allow tcp 443 to 0.0.0.0/0
          }
          instance db-1 in db-a ip 10.0.2.10 sg db
        }

        """
    let (topology, _) = TopologyLoader.load(text, file: "t.vpc")
    let finding = try #require(Linter.lint(topology, sources: [SourceText(text, file: "t.vpc")])
        .first { $0.ruleID == "nacl-blocks-ephemeral-replies" })
    let edits = try #require(finding.fix?.edits)
    #expect(edits.map(\.text) == ["    outbound 110 allow tcp 1024-65535 to 10.1.0.0/16\n    outbound 120 allow udp 1024-65535 to 10.2.0.0/16\n"])
    let outcome = try #require(FixItTests.apply(finding, to: text, file: "t.vpc"))
    #expect(outcome.validates && !outcome.stillThere, "\(outcome.text)")
}

/// The deny a world-open SSH fix adds goes after the rules that already decide some SSH traffic, so it takes
/// nothing from them; when no number is free there, there is no fix-it.
@Test func worldOpenNACLFixDoesNotOverrideEarlierSSHRules() throws {
    func fix(_ rules: String) throws -> FixIt? {
        let text = "vpc prod {\n  cidr 10.0.0.0/16\n  subnet a 10.0.0.0/24 az us-east-1a\n  network-acl edge {\n    associate a\n\(rules)    outbound 100 allow all to 0.0.0.0/0\n  }\n}\n"
        let (topology, errors) = TopologyLoader.load(text, file: "t.vpc")
        #expect(errors.isEmpty)
        let finding = try #require(Linter.lint(topology, sources: [SourceText(text, file: "t.vpc")]).first { $0.ruleID == "nacl-ssh-open-world" })
        return finding.fix
    }
    let spaced = try fix("    inbound 90 allow tcp 22 from 192.0.2.0/24\n    inbound 100 allow all from 0.0.0.0/0\n")
    #expect(spaced?.edits.map(\.text) == ["    inbound 99 deny tcp 22 from 0.0.0.0/0\n"])
    #expect(try fix("    inbound 99 allow tcp 22 from 192.0.2.0/24\n    inbound 100 allow all from 0.0.0.0/0\n") == nil)
    // Rules for other ports before it do not count.
    #expect(try fix("    inbound 98 allow tcp 443 from 0.0.0.0/0\n    inbound 99 allow udp 53 from 0.0.0.0/0\n    inbound 100 allow all from 0.0.0.0/0\n")?
        .edits.map(\.text) == ["    inbound 97 deny tcp 22 from 0.0.0.0/0\n"])
}
