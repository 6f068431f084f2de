import TestSupport
import Lint
import NetworkModel
import Reporting
import Testing

/// Docs/LINT.md documents every rule with a snippet that triggers it, the finding, and the fixed snippet.
/// These tests keep the document true: each trigger produces exactly the documented finding, each fix is clean.
@Suite struct LintDocsTests {
    struct Section: Sendable, CustomStringConvertible {
        var rule: String
        var trigger: String
        var finding: String
        var fixed: String
        var description: String { rule }
    }

    static let sections: [Section] = {
        guard let text = repositoryFile("Docs/LINT.md") else { return [] }
        var result: [Section] = []
        for chunk in text.split(separator: "\n### `", omittingEmptySubsequences: false).dropFirst() {
            guard let rule = chunk.split(separator: "`").first.map(String.init) else { continue }
            var blocks: [String] = []
            var current: [Substring]? = nil
            for line in chunk.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") {
                    if let c = current { blocks.append(c.joined(separator: "\n")); current = nil } else { current = [] }
                } else if current != nil {
                    current?.append(line)
                }
            }
            if blocks.count >= 3 { result.append(Section(rule: rule, trigger: blocks[0], finding: blocks[1], fixed: blocks[2])) }
        }
        return result
    }()

    static func findings(_ text: String, rule: String) -> [Finding] {
        let (topology, _) = TopologyParser.parse(text + "\n", file: "example.vpc")
        return Linter.lint(topology).filter { $0.ruleID == rule }
    }

    /// The suppression example ("`vpckit lint` prints `no findings (2 suppressed)`"): in `fmt` layout the
    /// `sg-unused` comment ends the line that opens its group, and still suppresses the group's finding.
    @Test func suppressionExampleSuppressesBothFindings() throws {
        let text = try #require(repositoryFile("Docs/LINT.md"))
        let section = try #require(text.split(separator: "\n## Suppressions", omittingEmptySubsequences: false).dropFirst().first)
        let block = try #require(section.split(separator: "```vpc\n", omittingEmptySubsequences: false).dropFirst().first?
            .split(separator: "\n```", omittingEmptySubsequences: false).first)
        let source = String(block) + "\n"
        let (topology, diagnostics) = TopologyLoader.load(source, file: "prod.vpc")
        #expect(!diagnostics.contains { $0.severity == .error })
        var findings = Linter.lint(topology, sources: [SourceText(source, file: "prod.vpc")])
        #expect(findings.count == 2)
        let warnings = Linter.applySuppressions(&findings, sources: [SourceText(source, file: "prod.vpc")])
        #expect(warnings.isEmpty)
        #expect(findings.filter { !$0.isSuppressed }.isEmpty)
        #expect(findings.filter(\.isSuppressed).map(\.ruleID).sorted() == ["sg-ssh-open-world", "sg-unused"])
    }

    /// The catalogue table and each rule's heading state the catalogue's severity, summary and basis (the
    /// basis cites AWS-BEHAVIOUR.md sections, the copy a fresh clone has).
    @Test func catalogueTableAndHeadingsMatchTheCatalogue() throws {
        let text = try #require(repositoryFile("Docs/LINT.md"))
        for rule in LintCatalogue.all {
            let severity = rule.severity.rawValue
            #expect(text.contains("\n| [`\(rule.id)`](#\(rule.id)) | \(severity) | \(rule.summary) | \(rule.basis) |\n"),
                    "\(rule.id): catalogue table row")
            #expect(text.contains("\n### `\(rule.id)`\n\n**\(severity)** — \(rule.summary). *Basis:* \(rule.basis).\n"),
                    "\(rule.id): heading")
        }
    }

    @Test func everyRuleHasADocumentedExample() {
        #expect(Set(Self.sections.map(\.rule)) == Set(LintCatalogue.all.map(\.id)))
    }

    @Test(arguments: sections)
    func documentedExampleProducesTheDocumentedFindingAndTheFixIsClean(section: Section) {
        let found = Self.findings(section.trigger, rule: section.rule)
        let rendered = FindingRenderer.render(found, format: .text, rules: [])
        #expect(rendered.trimmingWhitespace() == section.finding.trimmingWhitespace(),
                "\(section.rule): documented\n\(section.finding)\nactual\n\(rendered)")
        #expect(Self.findings(section.fixed, rule: section.rule).isEmpty, "\(section.rule): the fix still fires")
    }
}
