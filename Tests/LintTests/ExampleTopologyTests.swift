import Lint
import NetworkModel
import Reporting
import Testing
import TestSupport

/// Every example in `Topologies/` is linted: it must be clean, or show exactly the findings its
/// `# lint: RULE…` comments announce (on those lines). `Topologies/broken/` holds inputs that must not load.
@Suite struct ExampleTopologyTests {
    static let directory: String = {
        repositoryRoot + "/Topologies"
    }()

    static var examples: [String] {
        let names = folderEntries(directory)
        return names.filter { $0.hasSuffix(".vpc") }.sorted()
    }

    /// `(line, rule)` pairs announced by `# lint:` comments.
    static func announced(_ text: String) -> [String] {
        var out: [String] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.firstRange(of: "# lint:") else { continue }
            for word in line[range.upperBound...].split(separator: " ") where LintCatalogue.rule(String(word)) != nil {
                out.append("\(i + 1) \(word)")
            }
        }
        return out.sorted()
    }

    @Test func thereAreExamplesIncludingOneWithFindings() {
        #expect(Self.examples.count >= 2, "no examples in \(Self.directory)")
        #expect(Self.examples.contains("lint-findings.vpc"))
    }

    @Test(arguments: examples)
    func exampleLintsToExactlyItsAnnouncedFindings(name: String) throws {
        let path = Self.directory + "/" + name
        let text = try #require(fileText(path))
        let (topology, diagnostics) = TopologyLoader.load(text, file: name)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(name) does not load")
        let findings = Linter.lint(topology)
        let got = findings.map { "\($0.line) \($0.ruleID)" }.sorted()
        #expect(got == Self.announced(text),
                "\(name):\n\(findings.map { "\($0.line): \($0.message) [\($0.ruleID)]" }.joined(separator: "\n"))")
        for f in findings { #expect(f.file == name) }
    }

    /// The showcase covers most of the catalogue, so `.ci/run`'s SARIF check sees many rules.
    @Test func showcaseCoversMostRules() throws {
        let text = try #require(fileText(Self.directory + "/lint-findings.vpc"))
        let rules = Set(Self.announced(text).map { $0.split(separator: " ")[1] })
        #expect(rules.count >= 24, "\(rules.count) rules")
    }
}
