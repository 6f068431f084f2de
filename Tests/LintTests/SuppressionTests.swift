import Lint
import NetworkModel
import Reporting
import Testing

@Suite struct SuppressionTests {
    static func run(_ text: String, options: LintOptions = LintOptions()) -> (findings: [Finding], warnings: [Diagnostic]) {
        let source = SourceText(text, file: "t.vpc")
        let (topology, diagnostics) = TopologyLoader.load(source)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.rendered))")
        var findings = Linter.lint(topology, options: options, sources: [source])
        let warnings = Linter.applySuppressions(&findings, sources: [source], options: options)
        return (findings, warnings)
    }

    static let base = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24 az us-east-1a
          SSH
          security-group web {
            ingress tcp 443 from 0.0.0.0/0
            ingress tcp 22 from 0.0.0.0/0
          }
          security-group old { ingress tcp 80 from 10.0.0.0/8 }OLD
          instance web-1 in a ip 10.0.0.10 sg web
        }

        """

    static func text(ssh: String = "", old: String = "") -> String {
        base.replacing("  SSH\n", with: ssh.isEmpty ? "" : "  \(ssh)\n").replacing("OLD", with: old)
    }

    @Test func aCommentAboveABlockSuppressesFindingsInsideIt() {
        let (findings, warnings) = Self.run(Self.text(ssh: "# vpckit:ignore sg-ssh-open-world bastion until 2027"))
        let ssh = findings.first { $0.ruleID == "sg-ssh-open-world" }
        #expect(ssh?.suppression == Suppression(kind: .inSource, justification: "bastion until 2027", file: "t.vpc", line: 4))
        #expect(findings.first { $0.ruleID == "sg-unused" }?.suppression == nil)
        #expect(warnings.isEmpty)
    }

    @Test func aTrailingCommentSuppressesItsLineAndWarnsWithoutAReason() {
        let (findings, warnings) = Self.run(Self.text(old: "  # vpckit:ignore sg-unused"))
        #expect(findings.first { $0.ruleID == "sg-unused" }?.isSuppressed == true)
        #expect(findings.first { $0.ruleID == "sg-ssh-open-world" }?.isSuppressed == false)
        #expect(warnings.map(\.severity) == [.warning])
        #expect(warnings.first?.message == "suppression of 'sg-unused' gives no reason")
        #expect(warnings.first?.line == 8)
    }

    @Test func unknownAndUnusedSuppressionsWarn() {
        let (findings, warnings) = Self.run(Self.text(ssh: "# vpckit:ignore sg-ssh-open-wrld,nacl-unused typo"))
        #expect(findings.allSatisfy { !$0.isSuppressed })
        #expect(warnings.map(\.message) == ["suppression comment names unknown rule 'sg-ssh-open-wrld'",
                                            "suppression of 'nacl-unused' suppresses nothing: no 'nacl-unused' finding on lines 5-8"])
        #expect(warnings.first?.hint == "did you mean 'sg-ssh-open-world'?")
        #expect(warnings.allSatisfy { $0.severity == .warning })
    }

    @Test func aRuleThatDidNotRunIsNotAnUnusedSuppression() {
        let options = LintOptions(disabledRules: ["sg-ssh-open-world"], minimumSeverity: .warning)
        let (_, warnings) = Self.run(Self.text(ssh: "# vpckit:ignore sg-ssh-open-world,subnet-map-public-ip reasons"), options: options)
        #expect(warnings.isEmpty, "\(warnings.map(\.message))")
    }

    @Test func aBlankLineDetachesTheComment() {
        let (findings, warnings) = Self.run(Self.text(ssh: "# vpckit:ignore sg-ssh-open-world reason\n"))
        #expect(findings.allSatisfy { !$0.isSuppressed })
        #expect(warnings.count == 1 && warnings[0].message.hasPrefix("suppression comment is about no statement"))
    }
}
