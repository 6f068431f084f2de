import Reporting
import Testing
@testable import NetworkModel

/// The `.vpc` message catalogue (issue 17): stable ids, each produced by its example, each documented.
@Suite struct DSLCatalogueTests {
    static let ids = DSLCatalogue.all.map(\.id)

    @Test func idsAreUniqueAndNamespaced() {
        #expect(Set(DSLCatalogueTests.ids).count == DSLCatalogue.all.count)
        #expect(DSLCatalogue.all.allSatisfy { $0.id.hasPrefix("dsl-") && !$0.summary.isEmpty })
    }

    /// Every id is produced by its catalogue example (iterating the catalogue, so a new id needs an example).
    @Test(arguments: DSLCatalogue.all)
    func exampleProducesItsID(_ entry: DiagnosticDescriptor) {
        let (_, diagnostics) = Fixtures.load(entry.example, file: "example.vpc")
        #expect(diagnostics.contains { $0.id == entry.id }, "\(entry.id): got \(diagnostics.map(\.id))")
    }

    /// Every diagnostic of every broken fixture and catalogue example carries a catalogue id: no message site
    /// was left without one.
    @Test func everyReportedDiagnosticHasACatalogueID() {
        let known = Set(DSLCatalogueTests.ids)
        var inputs = GoldenDiagnosticsTests.broken.map { Fixtures.read("Topologies/broken/" + $0) }
        inputs += DSLCatalogue.all.map(\.example)
        var seen = 0
        for text in inputs {
            for d in Fixtures.load(text).1 {
                #expect(known.contains(d.id), "no catalogue id: \(d.message)")
                seen += 1
            }
        }
        #expect(seen > 100)
    }

    /// The id does not show in the text form (golden files pin it): a diagnostic renders the same with any id.
    @Test func textFormIgnoresTheID() throws {
        let d = try #require(Fixtures.load(DSLCatalogue.unknownName.example).1.first)
        #expect(d.id == "dsl-unknown-name")
        #expect(d.rendered == d.with(id: "").rendered)
        #expect(!d.rendered.contains("dsl-"))
    }

    /// Docs/DIAGNOSTICS.md has a section per id with its summary and its example, in catalogue order.
    @Test func everyIDIsDocumentedWithItsExample() throws {
        let doc = Fixtures.read("Docs/DIAGNOSTICS.md")
        try #require(!doc.isEmpty)
        var last = doc.startIndex
        for entry in DSLCatalogue.all + CidrListDiagnostics.all {
            let heading = try #require(doc.firstRange(of: "### `\(entry.id)`"), "\(entry.id) not documented")
            #expect(heading.lowerBound >= last, "\(entry.id) out of catalogue order")
            last = heading.lowerBound
            let section = doc[heading.upperBound...]
            let end = section.firstRange(of: "\n### ")?.lowerBound ?? section.endIndex
            let body = String(section[..<end])
            #expect(body.contains(entry.summary), "\(entry.id): summary missing")
            if entry.id != DSLCatalogue.tooManyErrors.id {
                #expect(body.contains("```\n" + entry.example + "```"), "\(entry.id): example missing")
            }
        }
    }
}
