import Testing
@testable import Reporting

@Test func ReportingModuleLoads() {
    #expect(Bool(true))
}

@Test func wholeFileDiagnosticsRenderWithoutLineAndColumn() {
    let d = Diagnostic(file: "nets.txt", line: 0, column: 0, message: "cannot open file")
    #expect(d.rendered == "nets.txt: error: cannot open file")
    let located = Diagnostic(file: "nets.txt", line: 2, column: 3, length: 3, message: "bad", sourceLine: "  abc")
    #expect(located.rendered == "nets.txt:2:3: error: bad\n  abc\n  ^~~")
}

@Test func controlAndInvisibleCharactersAreNeverEchoedRaw() {
    // A NUL byte, an escape sequence, a byte-order mark and a bidi override in the input.
    let d = Diagnostic(file: "x.vpc", line: 1, column: 9, message: "unexpected '\u{0}'",
                       sourceLine: "\u{FEFF}vpc a {\u{0} \u{1B}[31m \u{202E}", hint: "remove '\u{1B}'")
    let text = d.rendered
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(!text.unicodeScalars.contains { $0.value == 0xFEFF || $0.value == 0x202E })
    #expect(text == "x.vpc:1:9: error: unexpected '\\u{0}'\n\u{FFFD}vpc a {\u{FFFD} \u{FFFD}[31m \u{FFFD}\n        ^\nhint: remove '\\u{1B}'")
    // A CRLF line's carriage return is line ending, not content.
    #expect(Diagnostic(file: "f", line: 1, column: 1, message: "m", sourceLine: "abc\r").rendered == "f:1:1: error: m\nabc\n^")
    // Tabs still line the caret up.
    #expect(Diagnostic(file: "f", line: 1, column: 3, message: "m", sourceLine: "\t\tx").rendered == "f:1:3: error: m\n\t\tx\n\t\t^")
}

@Test func longSourceLinesRenderAsAWindowAroundTheCaret() {
    let line = String(repeating: "a", count: 1000) + "BAD" + String(repeating: "b", count: 1000)
    let d = Diagnostic(file: "f", line: 1, column: 1001, length: 3, message: "bad", sourceLine: line)
    let lines = d.rendered.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 3)
    #expect(lines[1].count <= Diagnostic.maxSourceLineWidth + 2)
    #expect(lines[1].hasPrefix("…") && lines[1].hasSuffix("…"))
    // The caret still points at "BAD".
    let caretOffset = lines[2].firstIndex(of: "^").map { lines[2].distance(from: lines[2].startIndex, to: $0) }
    let badOffset = lines[1].firstRange(of: "BAD").map { lines[1].distance(from: lines[1].startIndex, to: $0.lowerBound) }
    #expect(caretOffset != nil && caretOffset == badOffset)
    #expect(lines[2].hasSuffix("^~~"))
    // Short lines are untouched.
    #expect(Diagnostic(file: "f", line: 1, column: 2, length: 2, message: "m", sourceLine: "abc").rendered == "f:1:2: error: m\nabc\n ^~")
}
