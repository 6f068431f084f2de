import Testing
@testable import Reporting

/// One diagnostic type (issue 17): a lint finding is a `Diagnostic`, and the line/column helper.
@Suite struct DiagnosticTypeTests {
    @Test func aFindingIsADiagnosticWithItsRuleAsID() {
        var f = Finding(ruleID: "sg-unused", severity: .warning, file: "a.vpc", line: 3, message: "m",
                        related: [Finding.RelatedLocation(file: "a.vpc", line: 9, message: "n")])
        #expect(f.id == "sg-unused" && f.column == 1 && f.notes == [Diagnostic.Note(file: "a.vpc", line: 9, message: "n")])
        f.ruleID = "sg-ssh-open-world"
        #expect(f.id == "sg-ssh-open-world")
        let d: Diagnostic = f
        #expect(d.related == d.notes && !d.isSuppressed)
    }

    @Test func severityNamesAreSharedByBothRenderers() {
        #expect(Diagnostic.Severity.allCases.map { "\($0.githubCommand)" } == ["notice", "warning", "error"])
        #expect(Diagnostic.Severity.allCases.map { "\($0.sarifLevel)" } == ["note", "warning", "error"])
    }

    @Test func underlyingIDIsInJSONAndSARIF() throws {
        var f = Finding(ruleID: "topology-error", severity: .error, file: "a.vpc", line: 2, column: 5, message: "m", hint: "h")
        f.underlyingID = "dsl-unknown-name"
        let sarif = FindingRenderer.render([f], format: .sarif, rules: [])
        #expect(sarif.contains("\"properties\": {\n            \"hint\": \"h\",\n            \"diagnosticId\": \"dsl-unknown-name\""))
        #expect(FindingRenderer.render([f], format: .json, rules: []).contains("\"diagnosticId\": \"dsl-unknown-name\""))
        // Without one, nothing changes.
        f.underlyingID = nil
        #expect(!FindingRenderer.render([f], format: .sarif, rules: []).contains("diagnosticId"))
    }

    @Test func textPositionCountsCharactersNotBytes() {
        let text = Array("ab\nçé x\n\nz".utf8)
        text.withUnsafeBufferPointer { p in
            #expect(TextPosition.lineColumn(p, offset: 0) == (1, 1))
            #expect(TextPosition.lineColumn(p, offset: 2) == (1, 3))
            // "x" is byte 8 (ç and é are two bytes each): line 2, column 4.
            #expect(TextPosition.lineColumn(p, offset: 8) == (2, 4))
            #expect(TextPosition.column(p, lineStart: 3, offset: 8) == 4)
            #expect(TextPosition.characterCount(p, from: 3, to: 7) == 2)
            #expect(TextPosition.lineStart(p, before: 8) == 3 && TextPosition.lineEnd(p, after: 8) == 9)
            #expect(TextPosition.lineColumn(p, offset: 10) == (3, 1) && TextPosition.lineColumn(p, offset: 11) == (4, 1))
            // Past the end: clamped.
            #expect(TextPosition.lineColumn(p, offset: 99) == (4, 2))
            #expect(TextPosition.lineEnd(p, after: 99) == p.count && TextPosition.lineStart(p, before: -4) == 0)
        }
    }
}
