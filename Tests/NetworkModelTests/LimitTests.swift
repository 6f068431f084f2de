import NetworkModel
import Testing

/// The language's documented limits (Docs/FUZZING.md, "Limits"), each with its own message.
@Suite struct LimitTests {
    /// Validation reports at most 1000 errors, then one note at the place it stopped.
    @Test func validationStopsAfter1000Errors() {
        var text = "vpc v {\n  cidr 10.0.0.0/16\n  security-group g {\n"
        for n in 0..<1100 { text += "    ingress tcp 443 from sg missing-\(n)\n" }
        text += "  }\n}\n"
        let (_, diagnostics) = TopologyLoader.load(text, file: "many.vpc")
        #expect(diagnostics.count == 1001)
        #expect(diagnostics.last?.message == "too many errors; further validation errors are not shown")
        #expect(diagnostics.last?.id == DSLCatalogue.tooManyErrors.id)
        #expect(diagnostics.filter { $0.severity == .error }.count >= 1000)
    }
}
