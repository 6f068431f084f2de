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
