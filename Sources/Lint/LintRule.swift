import Reporting

/// One rule of the lint catalogue: a stable id, its default severity, what it means and how to fix it.
///
/// Ids are kebab-case and never change meaning once published (CI configurations filter on them with
/// `--disable`). `Docs/LINT.md` shows a snippet that triggers each rule, the finding and the fix.
public struct LintRule: Hashable, Sendable {
    /// The stable id, e.g. `sg-ssh-open-world`.
    public var id: String
    /// The severity findings of this rule carry.
    public var severity: Diagnostic.Severity
    /// One line saying what the rule finds.
    public var summary: String
    /// The generic fix, shown when a finding has no more specific hint.
    public var hint: String
    /// Where the rule's knowledge comes from (Docs/AWS-BEHAVIOUR.md section, CIS/Security Hub control).
    public var basis: String

    public init(id: String, severity: Diagnostic.Severity, summary: String, hint: String, basis: String) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.hint = hint
        self.basis = basis
    }

    /// The SARIF `reportingDescriptor` for this rule.
    public var descriptor: RuleDescriptor {
        RuleDescriptor(id: id, name: LintRule.pascalCase(id), shortDescription: summary, defaultSeverity: severity,
                       helpText: hint)
    }

    /// `sg-ssh-open-world` → `SgSshOpenWorld` (SARIF rule names are identifiers).
    static func pascalCase(_ id: String) -> String {
        id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
