import Lint
import NetworkModel
import Reporting
import Testing

@Suite struct OptionsAndRenderingTests {
    static let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24 map-public-ip
          security-group web {
            ingress tcp 22 from 0.0.0.0/0
          }
          security-group spare { ingress tcp 443 from 10.0.0.0/8 }
          instance i in a ip 10.0.0.10 sg web
        }
        """

    @Test func minimumSeverityAndDisabledRulesFilter() {
        let all = lint(Self.text).map(\.ruleID)
        #expect(all.contains("subnet-map-public-ip") && all.contains("sg-ssh-open-world") && all.contains("sg-unused"))
        let warnings = lint(Self.text, options: LintOptions(minimumSeverity: .warning)).map(\.ruleID)
        #expect(!warnings.contains("subnet-map-public-ip") && warnings.contains("sg-unused"))
        let errors = lint(Self.text, options: LintOptions(minimumSeverity: .error)).map(\.ruleID)
        #expect(errors == ["sg-ssh-open-world"])
        let disabled = lint(Self.text, options: LintOptions(disabledRules: ["sg-ssh-open-world", "sg-unused"])).map(\.ruleID)
        #expect(!disabled.contains("sg-ssh-open-world") && !disabled.contains("sg-unused") && disabled.contains("subnet-map-public-ip"))
    }

    @Test func findingsAreSortedByPlace() {
        let findings = lint(Self.text)
        let places = findings.map { [$0.line, $0.column] }
        #expect(places == places.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func catalogueIdsAreUniqueKebabCaseAndDocumented() {
        let ids = LintCatalogue.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for rule in LintCatalogue.all {
            #expect(rule.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(rule.id)")
            #expect(!rule.summary.isEmpty && !rule.hint.isEmpty && !rule.basis.isEmpty)
            #expect(rule.descriptor.name.first?.isUppercase == true)
        }
    }

    @Test func sarifNamesEveryRuleAndIndexesResults() {
        let findings = lint(Self.text)
        let sarif = FindingRenderer.render(findings, format: .sarif, rules: LintCatalogue.all.map(\.descriptor))
        #expect(sarif.contains("\"version\": \"2.1.0\""))
        for rule in LintCatalogue.all { #expect(sarif.contains("\"id\": \"\(rule.id)\"")) }
        let index = LintCatalogue.all.firstIndex { $0.id == "sg-ssh-open-world" } ?? -1
        #expect(sarif.contains("\"ruleId\": \"sg-ssh-open-world\",\n          \"ruleIndex\": \(index)"), "\(sarif)")
        #expect(FindingRenderer.uriReference("my dir\\a b.vpc") == "my%20dir/a%20b.vpc")
        #expect(FindingRenderer.uriReference("Topologies/x-1_y.vpc") == "Topologies/x-1_y.vpc")
    }

    @Test func textAndGithubFormatsCarryRuleFileAndLine() {
        let findings = lint(Self.text, options: LintOptions(minimumSeverity: .error))
        #expect(FindingRenderer.render(findings, format: .text, rules: []).hasPrefix("t.vpc:5:5: error: "))
        #expect(FindingRenderer.render(findings, format: .github, rules: []).hasPrefix("::error file=t.vpc,line=5,col=5,title=sg-ssh-open-world::"))
    }
}
