import Lint
import NetworkModel
import Reporting
import Testing

/// Lints DSL `text` (file `t.vpc`). With `validate`, the snippet must also pass the validator, so that the
/// test shows the rule on a topology `vpckit check` accepts; without it, only parsing is required (for
/// references the validator rejects but imported topologies can hold).
func lint(_ text: String, validate: Bool = true, options: LintOptions = LintOptions(),
          sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Finding] {
    let topology: Topology
    let diagnostics: [Diagnostic]
    if validate {
        (topology, diagnostics) = TopologyLoader.load(text, file: "t.vpc")
    } else {
        (topology, diagnostics) = TopologyParser.parse(text, file: "t.vpc")
    }
    let errors = diagnostics.filter { $0.severity == .error }
    #expect(errors.isEmpty, "snippet does not load: \(errors.map(\.rendered).joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    expectFixItsWork(text, topology: topology, validates: validate && errors.isEmpty, sourceLocation: sourceLocation)
    return Linter.lint(topology, options: options)
}

/// Every rule test's snippet doubles as a fix-it test: each finding's fix-it, applied to the snippet, gives
/// text that parses (and validates, when the snippet does) on which the finding is gone.
func expectFixItsWork(_ text: String, topology: Topology, validates: Bool, sourceLocation: Testing.SourceLocation) {
    let findings = Linter.lint(topology, options: LintOptions(minimumSeverity: .note), sources: [SourceText(text, file: "t.vpc")])
    for finding in findings where finding.fix != nil {
        guard let outcome = FixItTests.apply(finding, to: text, file: "t.vpc") else {
            Issue.record("\(finding.ruleID) line \(finding.line): fix-it edits do not apply", sourceLocation: sourceLocation)
            continue
        }
        #expect(outcome.parses && (!validates || outcome.validates),
                "\(finding.ruleID) line \(finding.line): fixed text does not load\n\(outcome.text)", sourceLocation: sourceLocation)
        #expect(!outcome.stillThere, "\(finding.ruleID) line \(finding.line): the finding survives its fix\n\(outcome.text)",
                sourceLocation: sourceLocation)
    }
}

/// Lines marked `#! RULE` in `text` (one entry per marker; a line may carry several).
func markedLines(_ text: String, rule: String) -> [Int] {
    var lines: [Int] = []
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let markers = line.split(separator: "#!", omittingEmptySubsequences: false).dropFirst()
        for marker in markers where marker.split(separator: " ").first.map(String.init) == rule {
            lines.append(i + 1)
        }
    }
    return lines
}

/// Asserts that `rule` fires exactly on the lines marked `#! rule` in `text` (file `t.vpc`), and nowhere
/// else; with no marker, that it does not fire at all. Returns the rule's findings.
@discardableResult
func expectRule(_ rule: String, _ text: String, validate: Bool = true, options: LintOptions = LintOptions(),
                sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Finding] {
    #expect(LintCatalogue.rule(rule) != nil, "unknown rule \(rule)", sourceLocation: sourceLocation)
    let findings = lint(text, validate: validate, options: options, sourceLocation: sourceLocation)
        .filter { $0.ruleID == rule }
    let got = findings.map(\.line).sorted()
    let want = markedLines(text, rule: rule).sorted()
    #expect(got == want, "\(rule): fired on lines \(got), expected \(want)\n\(findings.map { "\($0.line): \($0.message)" }.joined(separator: "\n"))",
            sourceLocation: sourceLocation)
    for f in findings {
        #expect(f.file == "t.vpc" && f.column >= 1 && f.severity == LintCatalogue.rule(rule)?.severity,
                sourceLocation: sourceLocation)
        #expect(f.hint?.isEmpty == false, sourceLocation: sourceLocation)
    }
    return findings
}

@Test func markersAreFoundPerRuleAndLine() {
    let text = "a\nb #! r1 #! r2\nc #! r1\n#! r10"
    #expect(markedLines(text, rule: "r1") == [2, 3])
    #expect(markedLines(text, rule: "r2") == [2])
    #expect(markedLines(text, rule: "r10") == [4])
}
