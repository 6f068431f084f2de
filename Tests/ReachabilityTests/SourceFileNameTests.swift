import NetworkModel
import Reporting
import Testing
@testable import Reachability

/// Renderers name a rule's or a blocker's file from the file table of the topology the answer is about.
@Suite struct SourceFileNameTests {
    /// web-1 -> db-1 tcp/22 is denied by `inbound 200 deny all from 0.0.0.0/0` of db-nacl; the assertion fails.
    static let text = Fixture.prod(["EXTRA": "assert reach web-1 -> db-1 tcp/22"])
    /// The line and column of that rule in the text.
    static var denyPlace: String {
        let lines = Self.text.split(separator: "\n", omittingEmptySubsequences: false)
        let n = lines.firstIndex { $0.contains("inbound  200 deny") } ?? 0
        return "\(n + 1):\(lines[n].prefix { $0 == " " }.count + 1)"
    }

    struct Rendered: Sendable {
        var file: String
        var explanation: String
        var ruleLocation: JSONValue?
        var assertion: String?
        var blockerFix: String?
        var blockerFile: JSONValue?
    }

    static func render(file: String) -> Rendered {
        let c = compile(text, file: file)
        let v = c.query("web-1", "db-1", "tcp/22")
        let files = c.topology.files
        let json = ReachReport.json(v, from: "web-1", to: "db-1", traffic: "tcp/22", oneWay: false,
                                    blockers: c.evaluateAssertions().first?.blockers ?? [], files: files)
        guard case .object(let fields) = json,
              case .object(let explanation)? = fields.first(where: { $0.0 == "explanation" })?.1,
              case .object(let rule)? = explanation.first(where: { $0.0 == "rule" })?.1,
              case .array(let blockers)? = fields.first(where: { $0.0 == "blockers" })?.1,
              case .object(let blocker)? = blockers.first else {
            return Rendered(file: file, explanation: "", ruleLocation: nil, assertion: nil, blockerFix: nil, blockerFile: nil)
        }
        let result = c.evaluateAssertions().first
        return Rendered(file: file, explanation: v.explanation?.description(files: files) ?? "",
                        ruleLocation: rule.first(where: { $0.0 == "location" })?.1,
                        assertion: result?.failureMessage,
                        blockerFix: result?.blockers.first?.fix?.description,
                        blockerFile: blocker.first(where: { $0.0 == "file" })?.1)
    }

    @Test func answersAboutTopologiesFromDifferentFilesNameTheirOwnFile() async {
        let rendered = await withTaskGroup(of: Rendered.self) { group in
            for i in 0..<8 { group.addTask { Self.render(file: "net-\(i).vpc") } }
            var all: [Rendered] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(rendered.count == 8)
        let at = Self.denyPlace
        #expect(at != "1:1")  // found the rule's line
        for r in rendered {
            #expect(r.explanation.hasSuffix("[inbound 200 deny all from 0.0.0.0/0 (\(r.file):\(at))]"), "\(r.explanation)")
            #expect(r.ruleLocation == .string("\(r.file):\(at)"))
            #expect(r.assertion?.hasPrefix("\(r.file):") == true, "\(r.assertion ?? "-")")
            #expect(r.blockerFile == .string(r.file))
            #expect(r.blockerFix?.contains(" at \(r.file):") == true, "\(r.blockerFix ?? "-")")
        }
    }

    @Test func aRuleRefPrintsItsPlaceThroughTheTableItIsGiven() {
        var files = SourceFileTable()
        let f = files.index(of: "x.vpc")
        let rule = RuleRef(text: "route 0.0.0.0/0 -> igw", location: SourceLocation(fileIndex: f, line: 9, column: 5))
        #expect(rule.description(files: files) == "route 0.0.0.0/0 -> igw (x.vpc:9:5)")
        #expect(RuleRef(text: "implicit local route").description(files: files) == "implicit local route")
        #expect(ReachReport.json(rule, files: files) == .object([("text", .string("route 0.0.0.0/0 -> igw")),
                                                                 ("location", .string("x.vpc:9:5"))]))
    }

    @Test func aTraceStoresTheFileIndexOfItsRules() throws {
        let rule = RuleRef(text: "r", ruleNumber: 100, location: SourceLocation(fileIndex: 3, line: 9, column: 5))
        let back = try TreeDecoder.decode(RuleRef.self, from: TreeEncoder.encode(rule))
        // Locations compare equal whatever they hold: compare the fields.
        #expect(back.location.map { ($0.fileIndex, $0.line, $0.column) } ?? (0, 0, 0) == (3, 9, 5))
    }
}
