import Testing
import TestSupport

/// TestSupport's `jsonObject` is what the Reporting tests use to check rendered JSON by structure (in place of
/// Foundation's JSONSerialization): it must give the shapes they cast to, and reject what is not JSON.
@Suite struct TestJSONReaderTests {
    @Test func valuesComeBackInTheShapesTestsCastTo() throws {
        let doc = try #require(try jsonObject(#" { "a": [1, -2, 0.5, 1e2, true, false, null], "b": {"c": "x"}, "d": [] } "#) as? [String: Any])
        let a = try #require(doc["a"] as? [Any])
        #expect(a.count == 7)
        #expect(a[0] as? Int == 1 && a[1] as? Int == -2)
        #expect(a[2] as? Double == 0.5 && a[3] as? Double == 100)
        #expect(a[4] as? Bool == true && a[5] as? Bool == false && a[6] as? JSONNull == JSONNull())
        #expect(doc["b"] as? [String: String] == ["c": "x"])
        #expect((doc["d"] as? [Any])?.isEmpty == true)
        #expect(doc["e"] == nil)
        #expect(try jsonObject("7") as? Int == 7)
    }

    @Test func stringEscapesDecode() throws {
        let s = try jsonObject(#""q\"b\\s\/n\nt\tr\rb\bf\fu\u0001\u00e9\ud83d\ude00""#) as? String
        #expect(s == "q\"b\\s/n\nt\tr\rb\u{8}f\u{C}u\u{1}é😀")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "-", "1.", ".5", "1e", "\"a\nb\"", "\"\\x\"",
                      "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"", "tru", "nul", "[1] 2", "{'a': 1}", "\"open"])
    func notJSONIsRejected(_ text: String) {
        #expect(throws: JSONReadError.self) { try jsonObject(text) }
    }

    @Test func deepNestingIsRejectedNotACrash() {
        #expect(throws: JSONReadError.self) { try jsonObject(String(repeating: "[", count: 10_000)) }
        #expect((try? jsonObject(String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) != nil)
    }

    @Test func trimmingWhitespaceDropsBothEnds() {
        #expect(" \n\ta b\n ".trimmingWhitespace() == "a b")
        #expect(" \n ".trimmingWhitespace() == "")
        #expect("x".trimmingWhitespace() == "x")
    }
}
