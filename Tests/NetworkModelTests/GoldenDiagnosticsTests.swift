import Reporting
import Testing
@testable import NetworkModel

@Suite struct GoldenDiagnosticsTests {
    static let broken = Fixtures.list("Topologies/broken", suffix: ".vpc")

    @Test func everyBrokenFileHasAGolden() {
        #expect(GoldenDiagnosticsTests.broken.count >= 15)
        for name in GoldenDiagnosticsTests.broken {
            let expected = name.replacing(".vpc", with: ".expected")
            #expect(!Fixtures.read("Topologies/broken/" + expected).isEmpty, "\(expected) missing")
        }
    }

    /// The rendered diagnostics equal the golden file (whose last line is the CLI's error count).
    @Test(arguments: GoldenDiagnosticsTests.broken)
    func brokenFileGivesExactlyItsGoldenDiagnostics(_ name: String) {
        let text = Fixtures.read("Topologies/broken/" + name)
        let golden = Fixtures.read("Topologies/broken/" + name.replacing(".vpc", with: ".expected"))
        let (_, diagnostics) = Fixtures.load(text, file: name)
        #expect(!diagnostics.isEmpty)
        #expect(diagnostics.allSatisfy { $0.severity == .error })
        var lines = golden.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        let summary = lines.removeLast()
        #expect(summary == "\(name): \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s")")
        #expect(diagnostics.map(\.rendered).joined(separator: "\n") == lines.joined(separator: "\n"))
    }
}
