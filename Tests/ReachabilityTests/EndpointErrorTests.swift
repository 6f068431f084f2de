import Reporting
import Testing
@testable import Reachability

/// Endpoint errors produce the one diagnostic type with a stable id (issue 17).
@Suite struct EndpointErrorTests {
    static let text = """
    vpc prod {
      cidr 10.0.0.0/16
      subnet app 10.0.1.0/24
      instance web-1 in app ip 10.0.1.10
    }
    """

    @Test func unknownNameIsEndpointUnknownWithItsSuggestionAsHint() {
        let c = compile(Self.text)
        guard case .failure(let e) = c.resolve("web-2") else { Issue.record("resolved web-2"); return }
        #expect(e.id == EndpointError.unknown)
        #expect(e.description == "unknown endpoint 'web-2'; did you mean 'web-1'?")
        let d = e.diagnostic(file: "t.vpc", line: 7, column: 14)
        #expect(d.id == "endpoint-unknown" && d.message == "unknown endpoint 'web-2'" && d.hint == "did you mean 'web-1'?")
        #expect((d.file, d.line, d.column) == ("t.vpc", 7, 14))
    }

    @Test func aBadAddressIsEndpointInvalid() {
        let c = compile(Self.text)
        guard case .failure(let bad) = c.resolve("internet:10.0.0.300") else { Issue.record("resolved a bad address"); return }
        #expect(bad.id == EndpointError.invalid && bad.diagnostic().id == "endpoint-invalid" && bad.diagnostic().hint == nil)
    }
}
