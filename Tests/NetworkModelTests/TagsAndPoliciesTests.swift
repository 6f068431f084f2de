import TestSupport
import Reporting
import Testing
@testable import NetworkModel

/// `tag KEY=VALUE` on instances and `policy …` statements (issue 19): parse, print, validate.
@Suite struct TagsAndPoliciesTests {
    static let vpc = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app 10.0.1.0/24
          subnet data 10.0.2.0/24
          security-group web {
            ingress tcp 443 from 0.0.0.0/0
          }
          security-group db {
            ingress tcp 5432 from sg web
          }
          instance web-1 in app ip 10.0.1.10 sg web tag env=prod tag 'Cost Center=Team A'
          instance db-1 {
            tag env=prod
            tag role=
            interface eth0 in data ip 10.0.2.10 sg db
            interface eth1 in app ip 10.0.1.20 sg db
          }
        }

        """

    static func load(_ tail: String) -> (Topology, [Diagnostic]) { Fixtures.load(vpc + tail) }

    // MARK: Tags

    @Test func tagsParseInBothFormsAndKeepOrder() throws {
        let (t, d) = Self.load("")
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let web = try #require(t.vpcs.first?.instances.first { $0.name == "web-1" })
        #expect(web.tags == [ResourceTag(key: "env", value: "prod"), ResourceTag(key: "Cost Center", value: "Team A")])
        let db = try #require(t.vpcs.first?.instances.first { $0.name == "db-1" })
        #expect(db.tags == [ResourceTag(key: "env", value: "prod"), ResourceTag(key: "role", value: "")])
        #expect(db.tags.value(of: "role") == "")
        #expect(web.tags[1].location.line == 11)
    }

    @Test func tagsInTheOneLineFormMixWithModifiersAndID() throws {
        let (t, d) = Fixtures.load("vpc v {\n  cidr 10.0.0.0/16\n  subnet a 10.0.1.0/24\n  instance w tag k=v in a tag x==y ip 10.0.1.9 id i-1 tag 'it''s=a b'\n}\n")
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let w = try #require(t.vpcs.first?.instances.first)
        #expect(w.id == "i-1")
        #expect(w.tags.map(\.key) == ["k", "x", "it's"])
        #expect(w.tags.map(\.value) == ["v", "=y", "a b"])
    }

    @Test func tagsPrintAndRoundTrip() {
        let (t, _) = Self.load("")
        let text = TopologyPrinter.format(t)
        #expect(text.contains("  instance web-1 in app ip 10.0.1.10 sg web tag env=prod tag 'Cost Center=Team A'\n"))
        #expect(text.contains("  instance db-1 {\n    tag env=prod\n    tag role=\n    interface eth0"))
        let (again, d) = TopologyParser.parse(text, file: "x.vpc")
        #expect(d.isEmpty)
        #expect(again == t)
    }

    @Test func fmtKeepsTagsAndTheirComments() throws {
        let source = Self.vpc.replacing("    tag role=\n", with: "    tag role=   # who\n")
        let out = try #require(TopologyPrinter.format(source: source, file: "x.vpc").formatted)
        #expect(out.contains("    tag role=  # who\n"), "\(out)")
    }

    @Test func malformedTagIsAnErrorWithCaretAndHint() throws {
        let d = Fixtures.load("vpc v {\n  cidr 10.0.0.0/16\n  subnet a 10.0.1.0/24\n  instance w in a ip 10.0.1.9 tag env\n}\n").1
        let e = try #require(d.first)
        #expect(e.id == DSLCatalogue.expected.id)
        #expect((e.line, e.column) == (4, 35))
        #expect(e.hint?.contains("tag 'Cost Center=Team A'") == true)
    }

    @Test func duplicateTagKeyIsAnError() throws {
        let d = Fixtures.load(DSLCatalogue.duplicateTag.example).1
        let e = try #require(d.first { $0.id == DSLCatalogue.duplicateTag.id })
        #expect((e.line, e.column) == (4, 53))
        #expect(e.length == 8)
        #expect(e.rendered.contains("^~~~~~~~"))
        #expect(e.hint?.contains("env=prod") == true)
    }

    // MARK: Policies

    static let policies = """
        policy no-ssh deny internet, onprem -> tag:env=prod tcp/22
        policy db-only only sg:web ,subnet:app -> sg:db tcp/5432,6000-6001
        policy web-db require web-1 -> db-1.eth1, db-1 tcp/5432
        policy gre deny vpc:prod -> internet proto 47
        policy everything deny 'tag:Cost Center=Team A',name:web-* -> db-1
        policy icmp require web-1 -> db-1 icmp/8
        policy all-explicit deny internet -> db-1 all

        """

    @Test func policiesParseEveryForm() throws {
        let (t, d) = Self.load(Self.policies)
        // `onprem` matches nothing here: a warning, no error.
        #expect(d.map(\.id) == [DSLCatalogue.policyMatchesNothing.id], "\(d.map(\.rendered))")
        #expect(t.policies.map(\.name) == ["no-ssh", "db-only", "web-db", "gre", "everything", "icmp", "all-explicit"])
        #expect(t.policies.map(\.kind) == [.deny, .only, .require, .deny, .deny, .require, .deny])
        let p = t.policies
        #expect(p[0].sources.map(\.selector) == [.internet, .onPremises(nil)])
        #expect(p[0].destinations.map(\.selector) == [.tag(key: "env", value: "prod")])
        #expect(p[0].traffic == PolicyTraffic(ipProtocol: .tcp, ports: [PortRange(22)]))
        #expect(p[1].sources.map(\.selector) == [.securityGroup("web"), .subnet("app")])
        #expect(p[1].traffic == PolicyTraffic(ipProtocol: .tcp, ports: [PortRange(5432), PortRange(6000, 6001)]))
        #expect(p[2].destinations.map(\.selector) == [.party("db-1.eth1"), .party("db-1")])
        #expect(p[3].traffic == PolicyTraffic(ipProtocol: .number(47)))
        #expect(p[4].sources.map(\.selector) == [.tag(key: "Cost Center", value: "Team A"), .namePattern("web-*")])
        #expect(p[4].traffic == PolicyTraffic())
        #expect(p[5].traffic == PolicyTraffic(ipProtocol: .icmp, ports: [PortRange(8)]))
        #expect(p[6].traffic == PolicyTraffic())
        #expect(p[1].sources[1].location.line == 20 && p[1].sources[1].location.column == 29)
    }

    @Test func policiesPrintCanonicallyAndRoundTrip() {
        let (t, _) = Self.load(Self.policies)
        let text = TopologyPrinter.format(t)
        #expect(text.hasSuffix("""

            policy no-ssh deny internet, onprem -> tag:env=prod tcp/22
            policy db-only only sg:web, subnet:app -> sg:db tcp/5432,6000-6001
            policy web-db require web-1 -> db-1.eth1, db-1 tcp/5432
            policy gre deny vpc:prod -> internet proto 47
            policy everything deny 'tag:Cost Center=Team A', name:web-* -> db-1
            policy icmp require web-1 -> db-1 icmp/8
            policy all-explicit deny internet -> db-1

            """), "\(text)")
        let (again, d) = TopologyParser.parse(text, file: "x.vpc")
        #expect(d.isEmpty)
        #expect(again == t)
    }

    /// Syntax errors: file:line:column, the caret's width, the catalogue id, the hint.
    @Test(arguments: [
        ("policy p deny internet -> sgg:db", 1, 27, 6, "dsl-bad-policy", "did you mean 'sg:'?"),
        ("policy p deny -> db-1", 1, 15, 2, "dsl-expected", "a set is 'internet'"),
        ("policy p deny internet ->", 1, 26, 0, "dsl-expected", "a set is"),
        ("policy p deny internet,,vpc:prod -> db-1", 1, 24, 1, "dsl-bad-policy", "remove the extra ','"),
        ("policy p deny internet, -> db-1", 1, 25, 2, "dsl-expected", "a set is"),
        ("policy p deny internet -> db-1 tpc/22", 1, 32, 6, "dsl-unknown-protocol", "expected 'tcp[/PORTS]'"),
        ("policy p deny internet -> db-1 udpp/53", 1, 32, 7, "dsl-unknown-protocol", "did you mean 'udp'?"),
        ("policy p deny internet -> db-1 tcp/0", 1, 32, 5, "dsl-bad-port", "1-65535"),
        ("policy p deny internet -> db-1 tcp/70000", 1, 32, 9, "dsl-bad-port", "write ports"),
        ("policy p deny internet -> db-1 tcp/90-80", 1, 32, 9, "dsl-bad-port", "did you mean '80-90'?"),
        ("policy p deny internet -> db-1 icmp/300", 1, 32, 8, "dsl-bad-port", nil),
        ("policy p deny internet -> db-1 proto x", 1, 32, 7, "dsl-unknown-protocol", "proto 47"),
        ("policy p denny internet -> db-1", 1, 10, 5, "dsl-expected", "did you mean 'deny'?"),
        ("policy p deny internet db-1", 1, 24, 4, "dsl-expected", "' -> '"),
        ("policy p deny internet->db-1", 1, 15, 14, "dsl-expected", nil),
        ("policy p deny tag:env -> db-1", 1, 15, 7, "dsl-bad-policy", "'tag:env=prod'"),
        ("policy p deny vpc: -> db-1", 1, 15, 4, "dsl-bad-policy", "'vpc:NAME'"),
        ("policy p deny internet -> db-1 tcp/22 extra", 1, 39, 5, "dsl-unexpected", nil),
    ] as [(String, Int, Int, Int, String, String?)])
    func policySyntaxErrors(_ line: String, _ row: Int, _ column: Int, _ length: Int, _ id: String, _ hint: String?) throws {
        let (_, d) = TopologyParser.parse(line + "\n", file: "p.vpc")
        let e = try #require(d.first, "no error for \(line)")
        #expect(d.count == 1, "\(d.map(\.rendered))")
        #expect(e.id == id, "\(e.rendered)")
        #expect((e.line, e.column) == (row, column), "\(e.rendered)")
        if length > 0 { #expect(e.length == length, "\(e.rendered)") }
        if let hint { #expect(e.hint?.contains(hint) == true, "\(e.rendered)") }
        #expect(e.rendered.hasPrefix("p.vpc:\(row):\(column): error: "))
        #expect(e.rendered.contains(line))
    }

    /// Validation: names resolve (with "did you mean"), a set that matches nothing is a warning.
    @Test(arguments: [
        ("policy p deny internet -> sg:dbb", "dsl-unknown-name", Diagnostic.Severity.error, "did you mean 'db'?", 27),
        ("policy p deny vpc:prd -> db-1", "dsl-unknown-name", .error, "did you mean 'prod'?", 15),
        ("policy p deny subnet:dat -> db-1", "dsl-unknown-name", .error, "did you mean 'data'?", 15),
        ("policy p deny subnet:web -> db-1", "dsl-wrong-kind", .error, nil, 15),
        ("policy p deny internet -> db-2", "dsl-unknown-name", .error, "did you mean 'db-1'?", 27),
        ("policy p deny internet -> app", "dsl-wrong-kind", .error, "write 'subnet:app'", 27),
        ("policy p deny internet -> db-1.eth7", "dsl-unknown-interface", .error, nil, 27),
        ("policy p deny onprem:office -> db-1", "dsl-unknown-name", .error, "onprem office", 15),
        ("policy p deny onprem -> db-1", "dsl-policy-matches-nothing", .warning, nil, 15),
        ("policy p deny internet -> tag:env=test", "dsl-policy-matches-nothing", .warning, "vacuously", 27),
        ("policy p deny internet -> name:app-*", "dsl-policy-matches-nothing", .warning, nil, 27),
        ("policy p deny internet -> db-1\npolicy p only internet -> db-1", "dsl-duplicate-name", .error, "unique", 8),
    ] as [(String, String, Diagnostic.Severity, String?, Int)])
    func policyValidation(_ text: String, _ id: String, _ severity: Diagnostic.Severity, _ hint: String?, _ column: Int) throws {
        let (_, d) = Self.load(text + "\n")
        let e = try #require(d.first, "nothing for \(text)")
        #expect(d.count == 1, "\(d.map(\.rendered))")
        #expect(e.id == id, "\(e.rendered)")
        #expect(e.severity == severity)
        #expect(e.column == column, "\(e.rendered)")
        if let hint { #expect(e.hint?.contains(hint) == true, "\(e.rendered)") }
    }

    @Test func setsThatMatchSomethingAreSilent() {
        let (_, d) = Self.load("""
            policy p deny internet -> tag:env=prod, name:web-*, name:db-1.*, sg:db, subnet:data, vpc:prod, db-1.eth1
            policy q require 'tag:Cost Center=Team A' -> db-1 tcp/5432

            """)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
    }

    /// Random policy and tag lines (fragments of the grammar in any order): never a crash, every diagnostic has
    /// a catalogue id and a position on the line.
    @Test func randomPolicyLinesNeverCrash() {
        let words = ["policy", "p", "deny", "require", "only", "->", ",", "internet", "onprem", "onprem:", "vpc:prod", "sg:", "tag:",
                     "tag:k=v", "'tag:a b=c'", "'open", "name:*", "web-1", "db-1.eth1", "a,,b", ",x", "x,", "tcp", "tcp/0", "tcp/1-",
                     "icmp/256", "proto", "proto 47", "all/1", "udp/53,54", "''", "'", "{", "}", "#c", "tag", "k=", "=v", "-"]
        let known = Set(DSLCatalogue.all.map(\.id))
        var rng = SplitMix64(seed: 19)
        for _ in 0..<1500 {
            var line = rng.next() % 3 == 0 ? "policy" : "policy p \(RandomTopology.pick(["deny", "only", "require", "x"], &rng))"
            for _ in 0..<(rng.next() % 8) { line += " " + RandomTopology.pick(words, &rng) }
            let (_, d) = Self.load(line + "\n")
            for x in d {
                #expect(known.contains(x.id), "\(x.rendered)")
                #expect(x.line >= 1)
            }
        }
        for _ in 0..<500 {
            var line = "vpc v {\n  cidr 10.0.0.0/16\n  subnet s 10.0.1.0/24\n  instance i in s ip 10.0.1.10"
            for _ in 0..<(rng.next() % 6) { line += " " + RandomTopology.pick(words + ["sg", "id", "ip"], &rng) }
            let (_, d) = Fixtures.load(line + "\n}\n")
            for x in d { #expect(known.contains(x.id), "\(x.rendered)") }
        }
    }

    @Test func namePatterns() {
        #expect(EndpointSet.matches("web-1", pattern: "web-*"))
        #expect(EndpointSet.matches("web-1", pattern: "*"))
        #expect(EndpointSet.matches("web-1", pattern: "*-1"))
        #expect(EndpointSet.matches("a-b-c", pattern: "a*c"))
        #expect(EndpointSet.matches("abc", pattern: "a**c"))
        #expect(EndpointSet.matches("", pattern: "*"))
        #expect(!EndpointSet.matches("web-1", pattern: "web"))
        #expect(!EndpointSet.matches("web-1", pattern: "*-2"))
        #expect(!EndpointSet.matches("db-1", pattern: "web-*"))
        #expect(EndpointSet.matches("fw-1.eth1", pattern: "fw-*.eth1"))
    }

    @Test func setSpellingsQuoteWhatNeedsIt() {
        #expect(EndpointSet(.tag(key: "env", value: "prod")).description == "tag:env=prod")
        #expect(EndpointSet(.tag(key: "a", value: "x,y")).description == "'tag:a=x,y'")
        #expect(EndpointSet(.tag(key: "a", value: "it's")).description == "tag:a=it's")
        #expect(EndpointSet(.tag(key: "a", value: "Team A")).description == "'tag:a=Team A'")
        #expect(EndpointSet(.party("'odd")).description == "'''odd'")
        #expect(EndpointSet(.onPremises(nil)).description == "onprem")
        #expect(LanguageWord.unquoted("'it''s'") == "it's")
        #expect(LanguageWord.unquoted("'open") == nil)
        #expect(LanguageWord.unquoted("'a'b'") == nil)
    }
}

/// Statement-level edits (lint fix-its) keep `tag` and an endpoint's `policy` inside their statement.
@Suite struct TagsAndPoliciesSourceEditTests {
    static let text = """
        vpc p {
          cidr 10.0.0.0/16
          subnet s 10.0.1.0/24
          endpoint e gateway s3 policy '{"Statement": []}'
          instance a in s ip 10.0.1.10 tag env=prod tag 'Cost Center=Team A'
          instance b {
            tag env=test
            interface eth0 in s ip 10.0.1.11
            interface eth1 in s ip 10.0.1.12
          }
        }

        policy keep deny internet -> a
        policy drop deny internet -> b

        """

    static func applying(_ edit: TextEdit?) throws -> String {
        let e = try #require(edit)
        let bytes = try #require(SourceEditor.apply([e], to: SourceText(Self.text, file: "x.vpc")))
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func editsOfTaggedInstancesEndpointsAndPolicies() throws {
        let (t, d) = TopologyParser.parse(Self.text, file: "x.vpc")
        #expect(d.isEmpty)
        let editor = SourceEditor(SourceText(Self.text, file: "x.vpc"), files: t.files)
        let vpc = try #require(t.vpcs.first)
        // Appending to a one-line instance goes after its tags, and the result keeps them.
        let appended = try Self.applying(editor.append("sg web", toStatementAt: vpc.instances[0].location))
        #expect(appended.contains("  instance a in s ip 10.0.1.10 tag env=prod tag 'Cost Center=Team A' sg web\n"))
        let (again, _) = TopologyParser.parse(appended, file: "x.vpc")
        #expect(again.vpcs.first?.instances.first?.tags.count == 2)
        #expect(again.vpcs.first?.instances.first?.interfaces.first?.securityGroups == ["web"])
        // Deleting a tagged instance or an endpoint with a policy takes its whole line.
        #expect(try !Self.applying(editor.delete(statementAt: vpc.instances[0].location)).contains("Cost Center"))
        let noEndpoint = try Self.applying(editor.delete(statementAt: vpc.endpoints[0].location))
        #expect(!noEndpoint.contains("Statement"), "\(noEndpoint)")
        // A block-form tag and a policy are statements of their own.
        let untagged = try Self.applying(editor.delete(statementAt: vpc.instances[1].tags[0].location))
        #expect(untagged.contains("  instance b {\n    interface eth0"))
        let dropped = try Self.applying(editor.delete(statementAt: t.policies[1].location))
        #expect(dropped.contains("\npolicy keep deny internet -> a\n") && !dropped.contains("drop"))
    }
}
