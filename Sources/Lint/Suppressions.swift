import NetworkModel
import Reporting

extension Linter {
    /// Applies the `# vpckit:ignore RULE-ID reason` comments of `sources` to `findings`: a finding of a named rule
    /// located on the comment's statement (or inside the block that statement opens) gets an in-source
    /// ``Suppression`` with the reason as justification. See ``IgnoreComment`` for which statement a comment is
    /// about.
    ///
    /// - Returns: warnings (never errors) for comments that name no rule or an unknown rule, have no reason,
    ///   are about no statement (a blank line between comment and statement), or suppress nothing although
    ///   the rule ran (rules turned off by `--disable` or below `--min-severity` do not count as unused).
    public static func applySuppressions(_ findings: inout [Finding], sources: [SourceText],
                                         options: LintOptions = LintOptions()) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        let known = Set(LintCatalogue.all.map(\.id))
        for source in sources {
            let comments = IgnoreComment.scan(source)
            guard !comments.isEmpty else { continue }
            let here = findings.indices.filter { findings[$0].file == source.file }
            for comment in comments {
                func warn(_ kind: DiagnosticDescriptor, _ message: String, hint: String?) {
                    warnings.append(source.diagnostic(message, at: comment.idsRange.isEmpty ? comment.range : comment.idsRange,
                                                      hint: hint, severity: .warning, id: kind.id))
                }
                if comment.ruleIDs.isEmpty {
                    warn(LintCatalogue.suppressionNoRule, "suppression comment names no rule", hint: "write '# vpckit:ignore RULE-ID reason' ('vpckit lint --list-rules' lists the ids)")
                    continue
                }
                let unknown = comment.ruleIDs.filter { !known.contains($0) }
                for id in unknown {
                    let near = Suggest.closest(to: id, in: LintCatalogue.all.map(\.id))
                    warn(LintCatalogue.suppressionUnknownRule, "suppression comment names unknown rule '\(id)'", hint: near.map { "did you mean '\($0)'?" })
                }
                guard let lines = comment.coveredLines else {
                    warn(LintCatalogue.suppressionNoStatement, "suppression comment is about no statement: it must trail the statement or stand on the lines directly above it",
                         hint: "remove the blank line between the comment and the statement")
                    continue
                }
                if comment.reason == nil {
                    warn(LintCatalogue.suppressionNoReason, "suppression of \(comment.ruleIDs.map { "'\($0)'" }.joined(separator: ", ")) gives no reason",
                         hint: "say why after the rule id: '# vpckit:ignore \(comment.ruleIDs.joined(separator: ",")) REASON'")
                }
                for id in comment.ruleIDs {
                    guard known.contains(id) else { continue }
                    var used = false
                    for i in here where findings[i].ruleID == id && lines.contains(findings[i].line) {
                        used = true
                        if findings[i].suppression == nil {
                            findings[i].suppression = Suppression(kind: .inSource, justification: comment.reason,
                                                                  file: source.file, line: comment.line)
                        }
                    }
                    if !used, let rule = LintCatalogue.rule(id), !options.disabledRules.contains(id),
                       rule.severity >= options.minimumSeverity {
                        warn(LintCatalogue.suppressionUnused, "suppression of '\(id)' suppresses nothing: no '\(id)' finding on \(lines.count == 1 ? "line \(lines.lowerBound)" : "lines \(lines.lowerBound)-\(lines.upperBound)")",
                             hint: "remove the comment, or move it to the statement the finding is reported at")
                    }
                }
            }
        }
        return warnings
    }
}
