import Testing
import TestSupport
@testable import Reporting

private func object(_ text: String) throws -> [String: Any] {
    try #require(try jsonObject(text) as? [String: Any])
}

private func sarifResults(_ findings: [Finding]) throws -> [[String: Any]] {
    let doc = try object(FindingRenderer.render(findings, format: .sarif, rules: []))
    let runs = try #require(doc["runs"] as? [[String: Any]])
    return try #require(runs.first?["results"] as? [[String: Any]])
}

private let finding = Finding(ruleID: "sg-unused", severity: .warning, file: "a.vpc", line: 5, column: 18,
                              message: "security group 'old' is attached to no interface", hint: "delete it")

@Test func sarifKeepsTheHintOutOfTheMessage() throws {
    let result = try #require(try sarifResults([finding]).first)
    #expect((result["message"] as? [String: Any])?["text"] as? String == finding.message)
    #expect((result["properties"] as? [String: Any])?["hint"] as? String == "delete it")
    // Text output as before: the hint on its own line.
    #expect(FindingRenderer.text([finding]) == "a.vpc:5:18: warning: security group 'old' is attached to no interface [sg-unused]\n  hint: delete it\n")
}

@Test func sarifFixesAreReplacementsOfRegions() throws {
    var f = finding
    f.fix = FixIt(description: "delete it", edits: [
        TextEdit(file: "a.vpc", startLine: 5, startColumn: 1, endLine: 6, endColumn: 1, text: ""),
        TextEdit(file: "a.vpc", startLine: 2, startColumn: 3, endLine: 2, endColumn: 3, text: "x \"q\"\n"),
    ])
    let result = try #require(try sarifResults([f]).first)
    let fix = try #require((result["fixes"] as? [[String: Any]])?.first)
    #expect((fix["description"] as? [String: Any])?["text"] as? String == "delete it")
    let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
    #expect((change["artifactLocation"] as? [String: Any])?["uri"] as? String == "a.vpc")
    let replacements = try #require(change["replacements"] as? [[String: Any]])
    #expect(replacements.count == 2)
    let region = try #require(replacements[0]["deletedRegion"] as? [String: Int])
    #expect(region == ["startLine": 5, "startColumn": 1, "endLine": 6, "endColumn": 1])
    #expect((replacements[1]["insertedContent"] as? [String: Any])?["text"] as? String == "x \"q\"\n")
}

@Test func suppressedFindingsAreHiddenInTextAndMarkedInJSONAndSARIF() throws {
    var quiet = finding
    quiet.suppression = Suppression(kind: .inSource, justification: "kept for the migration", file: "a.vpc", line: 4)
    let loud = Finding(ruleID: "nacl-unused", severity: .warning, file: "a.vpc", line: 9, message: "m")
    #expect(FindingRenderer.text([quiet, loud]) == "a.vpc:9:1: warning: m [nacl-unused]\n")
    #expect(FindingRenderer.github([quiet, loud]).split(separator: "\n").count == 1)
    let json = try object(FindingRenderer.render([quiet, loud], format: .json, rules: []))
    #expect(json["count"] as? Int == 1 && json["suppressed"] as? Int == 1)
    let first = try #require((json["findings"] as? [[String: Any]])?.first)
    #expect((first["suppressed"] as? [String: Any])?["kind"] as? String == "inSource")
    #expect((first["suppressed"] as? [String: Any])?["justification"] as? String == "kept for the migration")
    let results = try sarifResults([quiet, loud])
    let suppression = try #require((results[0]["suppressions"] as? [[String: Any]])?.first)
    #expect(suppression["kind"] as? String == "inSource" && suppression["justification"] as? String == "kept for the migration")
    #expect(results[1]["suppressions"] == nil)
    // No suppression: no "suppressed" key at all.
    #expect(try object(FindingRenderer.render([loud], format: .json, rules: []))["suppressed"] == nil)
}

@Test func baselinesMatchByRuleFileAndMessageNotByLine() throws {
    var moved = finding
    moved.line = 40
    var inSource = Finding(ruleID: "nacl-unused", severity: .warning, file: "a.vpc", line: 9, message: "n")
    inSource.suppression = Suppression(kind: .inSource, justification: "x")
    let baseline = Baseline(findings: [finding, inSource])
    #expect(baseline.entries == [Baseline.Entry(rule: "sg-unused", file: "a.vpc", message: finding.message)])
    var findings = [moved, Finding(ruleID: "sg-unused", severity: .warning, file: "b.vpc", line: 5, message: finding.message)]
    let gone = baseline.apply(to: &findings, name: "base.json")
    #expect(gone == 0)
    #expect(findings[0].suppression == Suppression(kind: .external, justification: "baseline base.json"))
    #expect(findings[0].baselineState == .unchanged)
    #expect(findings[1].suppression == nil && findings[1].baselineState == .new)
    // The file: version, and entries that survive a round trip through a JSON parser (escapes included).
    let odd = Baseline(entries: [Baseline.Entry(rule: "r", file: "d\"ir\\a.vpc", message: "x\ny\u{1}")])
    let doc = try object(odd.json)
    #expect(doc["version"] as? Int == 1)
    let entry = try #require((doc["findings"] as? [[String: String]])?.first)
    #expect(entry == ["rule": "r", "file": "d\"ir\\a.vpc", "message": "x\ny\u{1}"])
    #expect(try object(Baseline(entries: []).json)["findings"] as? [Any] != nil)
}

@Test func junitEscapesEverythingAndCountsFailures() {
    #expect(JUnitReport.escape("a&b<c>\"d\"'e'\n\t\u{1}\u{FFFE}") == "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;&#10;&#9;\u{FFFD}\u{FFFD}")
    #expect(JUnitReport.escape("x\ny", attribute: false) == "x\ny")
    let xml = JUnitReport.xml([
        .init(name: "f<1>.vpc", cases: [
            .init(name: "assert reach a -> b tcp/22", classname: "f", file: "f", line: 3),
            .init(name: "assert noreach a -> b tcp/443", classname: "f", file: "f", line: 4, failure: ("reachable", "f:4:1: reachable")),
        ]),
        .init(name: "g", cases: [.init(name: "load g", classname: "g", file: "g", line: 0, error: ("bad", "bad"))]),
    ])
    #expect(xml.contains("<testsuites name=\"vpckit check\" tests=\"3\" failures=\"1\" errors=\"1\">"))
    #expect(xml.contains("<testsuite name=\"f&lt;1&gt;.vpc\" tests=\"2\" failures=\"1\" errors=\"0\">"))
    #expect(xml.contains("<testcase name=\"assert reach a -&gt; b tcp/22\" classname=\"f\" file=\"f\" line=\"3\"/>"))
    #expect(xml.contains("<failure message=\"reachable\" type=\"assertion\">f:4:1: reachable</failure>"))
}

@Test func configurationWarningsGoToSARIFInvocationsAndJSONWarnings() throws {
    let warning = Diagnostic(severity: .warning, file: "a.vpc", line: 3, column: 19, message: "suppression comment names unknown rule 'x'",
                             hint: "did you mean 'y'?")
    let doc = try object(FindingRenderer.render([finding], format: .sarif, rules: [], notifications: [warning]))
    let run = try #require((doc["runs"] as? [[String: Any]])?.first)
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == true)
    let note = try #require((invocation["toolConfigurationNotifications"] as? [[String: Any]])?.first)
    #expect(note["level"] as? String == "warning")
    #expect((note["message"] as? [String: Any])?["text"] as? String == "suppression comment names unknown rule 'x' (did you mean 'y'?)")
    let json = try object(FindingRenderer.render([finding], format: .json, rules: [], notifications: [warning]))
    let entry = try #require((json["warnings"] as? [[String: Any]])?.first)
    #expect(entry["line"] as? Int == 3 && entry["message"] as? String == warning.message && entry["hint"] as? String == "did you mean 'y'?")
    // Without warnings, neither key.
    #expect(try object(FindingRenderer.render([finding], format: .sarif, rules: [])).description.contains("invocations") == false)
    #expect(try object(FindingRenderer.render([finding], format: .json, rules: []))["warnings"] == nil)
}

/// A finding at line 0 (what `--onprem CIDR@EDGE` added, or a whole file) names its file, or option, alone, as a
/// whole-file diagnostic does: text `FILE: severity: …`, GitHub `file=` without `line`/`col`; JSON keeps line 0;
/// SARIF still gives GitHub the region it requires (line 1).
@Test func lineZeroFindingsPrintTheFileAloneInEveryFormat() throws {
    let f = Finding(ruleID: "onprem-prefix-overlaps-vpc", severity: .warning, file: "--onprem 10.0.10.0/24@office-vpn", line: 0,
                    column: 0, message: "on-premises network '10.0.10.0/24' overlaps 10.0.0.0/16",
                    related: [.init(file: "--onprem 10.0.10.0/24@office-vpn", line: 0, message: "announced here")])
    #expect(FindingRenderer.text([f]) == """
        --onprem 10.0.10.0/24@office-vpn: warning: on-premises network '10.0.10.0/24' overlaps 10.0.0.0/16 [onprem-prefix-overlaps-vpc]
        --onprem 10.0.10.0/24@office-vpn: note: announced here

        """)
    #expect(FindingRenderer.github([f])
        == "::warning file=--onprem 10.0.10.0/24@office-vpn,title=onprem-prefix-overlaps-vpc::on-premises network '10.0.10.0/24' overlaps 10.0.0.0/16\n")
    let json = try object(FindingRenderer.render([f], format: .json, rules: []))
    let first = try #require((json["findings"] as? [[String: Any]])?.first)
    #expect(first["file"] as? String == f.file && first["line"] as? Int == 0 && first["column"] as? Int == 0)
    let result = try #require(try sarifResults([f]).first)
    let physical = try #require(((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
    #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "--onprem%2010.0.10.0/24%40office-vpn")
    #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 1)
    // Findings with a line are unchanged.
    #expect(FindingRenderer.github([finding]).hasPrefix("::warning file=a.vpc,line=5,col=18,title=sg-unused::"))
}
