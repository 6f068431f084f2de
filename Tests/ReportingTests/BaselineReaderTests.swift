import Reporting
import Testing

@Suite struct BaselineReaderTests {
    func parse(_ text: String) throws(JSONError) -> Baseline {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(JSONError) in try Baseline(parsing: buffer, file: "b.json") }
    }

    @Test func readsWhatItWrites() throws {
        let finding = Finding(ruleID: "sg-unused", severity: .warning, file: "t.vpc", line: 3, column: 1, message: "unused")
        let written = Baseline(findings: [finding])
        #expect(try parse(written.json) == written)
        #expect(try parse(written.json).entries == [Baseline.Entry(rule: "sg-unused", file: "t.vpc", message: "unused")])
    }

    @Test func badBaselinesNameThePath() {
        #expect(throws: JSONError.self) { try parse("[]") }
        do {
            _ = try parse(#"{"version": 99, "findings": []}"#)
            Issue.record("version 99 accepted")
        } catch {
            #expect(error.path == "$")
            #expect(error.message.contains("not a vpckit baseline of version"))
        }
        do {
            _ = try parse(#"{"version": 1, "findings": [{"rule": "x"}]}"#)
            Issue.record("a finding without file and message accepted")
        } catch {
            #expect(error.path == "$.findings[0]")
        }
    }
}
