import Lint
import NetworkModel
import Reporting
import TestSupport
import Testing

/// Warnings about suppression comments carry stable ids (issue 17): each catalogue example produces its id,
/// SARIF names it as the notification's descriptor, and Docs/DIAGNOSTICS.md lists it.
@Suite struct SuppressionWarningIDTests {
    @Test(arguments: LintCatalogue.suppressionWarnings)
    func exampleProducesItsID(_ entry: DiagnosticDescriptor) {
        let (_, warnings) = SuppressionTests.run(entry.example)
        #expect(warnings.contains { $0.id == entry.id }, "\(entry.id): got \(warnings.map(\.id)) \(warnings.map(\.message))")
        #expect(warnings.allSatisfy { $0.severity == .warning && !$0.id.isEmpty })
    }

    @Test func sarifNotificationNamesTheID() throws {
        let (findings, warnings) = SuppressionTests.run(LintCatalogue.suppressionNoReason.example)
        let sarif = FindingRenderer.render(findings, format: .sarif, rules: [], notifications: warnings)
        let compact = String(sarif.filter { !$0.isWhitespace })
        #expect(compact.contains("\"descriptor\":{\"id\":\"suppression-no-reason\"},\"message\""), "\(sarif)")
        let json = FindingRenderer.render(findings, format: .json, rules: [], notifications: warnings)
        #expect(json.contains("\"id\": \"suppression-no-reason\""))
    }

    @Test func everyIDIsDocumented() throws {
        let doc = try #require(repositoryFile("Docs/DIAGNOSTICS.md"))
        for entry in LintCatalogue.suppressionWarnings {
            #expect(doc.contains("### `\(entry.id)`") && doc.contains(entry.summary), "\(entry.id)")
            #expect(doc.contains("```\n" + entry.example + "```"), "\(entry.id): example missing")
        }
    }
}
