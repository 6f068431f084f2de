import TestSupport
import Testing
@testable import Reporting

/// A small seeded generator (the Reporting tests do not depend on TestSupport).
private struct LCG {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

private let pieces = ["10.0.0.0/16", " 'prod'", " lies inside ", "quote \"x\"", "back\\slash", "100%", "tab\there",
                      "new\nline", "ünïcode ✓", "\u{1}ctl", "a:b,c", " (clean.txt:2)"]

private func randomFindings(_ rng: inout LCG, count: Int, maxRelated: Int) -> [Finding] {
    (0..<count).map { _ in
        let message = (0..<(1 + rng.next(4))).map { _ in pieces[rng.next(pieces.count)] }.joined()
        let related = (0..<rng.next(maxRelated + 1)).map { _ in
            // Line 0 now and then: a whole file, or what a command-line option added (`file: note:`).
            Finding.RelatedLocation(file: ["clean.txt", "my dir/a b.txt", "x,y:z.txt"][rng.next(3)], line: rng.next(4) == 0 ? 0 : rng.next(5000),
                                    message: pieces[rng.next(pieces.count)] + " is here")
        }
        return Finding(ruleID: ["cidr-nested", "cidr-duplicate", "other-rule"][rng.next(3)],
                       severity: [.error, .warning, .note][rng.next(3)],
                       file: ["overlapping.txt", "dir/with space.txt", "%odd,name:.txt"][rng.next(3)],
                       line: rng.next(4) == 0 ? 0 : rng.next(100_000), column: rng.next(80), message: message,
                       hint: rng.next(3) == 0 ? pieces[rng.next(pieces.count)] : nil, related: related)
    }
}

private let rules = [
    RuleDescriptor(id: "cidr-duplicate", name: "DuplicateCIDR", shortDescription: "dup", defaultSeverity: .error),
    RuleDescriptor(id: "cidr-nested", name: "NestedCIDR", shortDescription: "nested", defaultSeverity: .error, helpText: "h"),
]

/// Streams `findings`, splitting each message into pieces written separately (String and UTF-8 pieces).
private func streamed(_ findings: [Finding], format: FindingFormat, extra: [(String, Int)] = [],
                      relatedCountOverride: Int? = nil) -> String {
    var bytes: [UInt8] = []
    var writer = FindingStreamWriter(format: format, rules: rules, bufferSize: 4096) { bytes.append(contentsOf: $0) }
    writer.begin()
    for f in findings {
        writer.beginFinding(ruleID: f.ruleID, severity: f.severity, file: f.file, line: f.line, column: f.column,
                            hint: f.hint, relatedCount: relatedCountOverride ?? f.related.count)
        let characters = Array(f.message)
        let middle = characters.count / 2
        writer.text(String(characters[..<middle]))
        let rest = Array(String(characters[middle...]).utf8)
        rest.withUnsafeBufferPointer { writer.text(utf8: $0) }
        for r in f.related {
            writer.beginRelated(file: r.file, line: r.line)
            writer.text(r.message)
            writer.endRelated()
        }
        writer.endFinding()
    }
    writer.finish(extra: extra)
    return String(decoding: bytes, as: UTF8.self)
}

@Test func streamedFindingsMatchTheArrayRendererByteForByte() {
    var rng = LCG(state: 14)
    for round in 0..<40 {
        let findings = randomFindings(&rng, count: rng.next(60), maxRelated: 3)
        for format in [FindingFormat.text, .json, .sarif] {
            let expected = FindingRenderer.render(findings, format: format, rules: rules)
            #expect(streamed(findings, format: format) == expected, "round \(round) \(format)")
        }
        // GitHub: the array renderer names no related places; the stream lists them only for two or more.
        let single = findings.map { f -> Finding in var f = f; f.related = Array(f.related.prefix(1)); return f }
        #expect(streamed(single, format: .github) == FindingRenderer.render(single, format: .github, rules: rules), "round \(round)")
    }
}

@Test func githubAnnotationsListTwoOrMoreRelatedPlacesOnExtraLines() {
    let f = Finding(ruleID: "cidr-nested", severity: .error, file: "a.txt", line: 3, column: 1, message: "10.0.0.0/8 contains 2 blocks",
                    related: [.init(file: "b.txt", line: 4, message: "10.1.0.0/16 lies inside it"),
                              .init(file: "c 100%.txt", line: 9, message: "10.2.0.0/16 lies inside it")])
    #expect(streamed([f], format: .github)
        == "::error file=a.txt,line=3,col=1,title=cidr-nested::10.0.0.0/8 contains 2 blocks%0Ab.txt:4: 10.1.0.0/16 lies inside it%0Ac 100%25.txt:9: 10.2.0.0/16 lies inside it\n")
}

@Test func summaryMembersFollowCountInJSONAndFormTheSARIFRunProperties() throws {
    var rng = LCG(state: 3)
    for findings in [[], randomFindings(&rng, count: 5, maxRelated: 2)] {
        let json = streamed(findings, format: .json, extra: [("total", 9), ("pairs", 12)])
        let object = try #require(try jsonObject(json) as? [String: Any])
        #expect(object["count"] as? Int == findings.count && object["total"] as? Int == 9 && object["pairs"] as? Int == 12)
        #expect((object["findings"] as? [Any])?.count == findings.count)
        let sarif = streamed(findings, format: .sarif, extra: [("pairs", 12)])
        let log = try #require(try jsonObject(sarif) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        #expect((run["properties"] as? [String: Any])?["pairs"] as? Int == 12)
        #expect((run["results"] as? [Any])?.count == findings.count)
    }
}

@Test func invalidUTF8InMessagePiecesBecomesReplacementCharacters() {
    for format in [FindingFormat.text, .json] {
        var bytes: [UInt8] = []
        var writer = FindingStreamWriter(format: format, rules: []) { bytes.append(contentsOf: $0) }
        writer.begin()
        writer.beginFinding(ruleID: "r", severity: .error, file: "f", line: 1)
        let bad: [UInt8] = [0x61, 0xFF, 0x62]
        bad.withUnsafeBufferPointer { writer.text(utf8: $0) }
        writer.endFinding()
        writer.finish()
        let out = String(decoding: bytes, as: UTF8.self)
        #expect(out.contains("a\u{FFFD}b"), "\(format): \(out)")
    }
}
