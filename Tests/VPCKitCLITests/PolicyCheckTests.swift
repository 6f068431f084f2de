import TestSupport
import Testing
@testable import VPCKitCLI

/// `vpckit check` with policies (issue 19): exit codes, text with witness paths (capped), SARIF, JUnit.
@Suite struct PolicyCheckTests {
    static let violated = checkoutPath("Tests/CLI/fixtures/policies-violated.vpc")
    static let holding = checkoutPath("Topologies/policies.vpc")

    @Test func policiesThatHoldExitZero() {
        let run = vpckit("check", Self.holding)
        #expect(run.code == 0, "\(run.err)")
        #expect(run.out.contains("\(Self.holding): 7 of 7 policies hold\n"))
        #expect(!run.err.contains("error"))
    }

    @Test func aViolationExitsOneWithItsWitnessAndPath() {
        let run = vpckit("check", Self.violated)
        #expect(run.code == 1)
        #expect(run.out.contains("\(Self.violated): 1 of 7 policies hold\n"))
        let lines = run.err.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(Self.violated):48:8: error: policy 'no-ssh' (deny internet -> tag:env=prod tcp/22) is violated by 1 connection"))
        #expect(lines.contains("  internet -> web-1 tcp/22"))
        #expect(lines.contains { $0.hasPrefix("    witness internet -> web-1 tcp/22: reachable") })
        #expect(lines.contains("    forward path:"))
        #expect(lines.contains("  app-1 -> db-1 tcp/5432 (partly: some client ports)"))
        #expect(lines.contains { $0.hasPrefix("    witness app-1 -> db-1 tcp/5432: partly reachable") })
        #expect(lines.contains("  batch-1 -> db-1 tcp/5432 (partly: some client ports)"))
        #expect(!run.err.contains("no-db-from-internet"))
    }

    @Test func textListsAtMostTheCapAndCountsTheRest() throws {
        let c = try #require(TopologyLoaderForTests.compiled(Self.violated))
        let r = try #require(c.policyResults().first { $0.policy.name == "isolated" })
        // Only the listed witnesses are traced (the evaluation traces none).
        var traced: [String] = []
        let text = try #require(PolicyOutput.failureText(r, c, cap: 5, witness: { v in traced.append(v.key); return c.witnessVerdict(for: v) }))
        #expect(traced == r.violations.prefix(5).map(\.key))
        #expect(text == PolicyOutput.failureText(r, c, cap: 5))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("    ") && !$0.hasPrefix("  …") }.count == 5)
        #expect(text.contains("  … and \(r.violations.count - 5) more (--format sarif lists every one)\n"))
        #expect(PolicyOutput.textCap == 20)
    }

    @Test func sarifHasAResultPerViolationUnderPolicyRules() throws {
        let run = vpckit("check", "--format", "sarif", Self.violated)
        #expect(run.code == 1)
        let log = try #require(try jsonObject(run.out) as? [String: Any])
        let runs = try #require(log["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        let ids = results.compactMap { $0["ruleId"] as? String }
        #expect(ids.filter { $0 == "policy/no-ssh" }.count == 1)
        // One violation per pair and protocol; a pair open to every protocol is one `all` violation.
        #expect(ids.filter { $0 == "policy/isolated" }.count == 10)
        #expect(!ids.contains("policy/no-db-from-internet"))
        let rules = try #require((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]
        let ruleIDs = try #require(rules).compactMap { $0["id"] as? String }
        #expect(ruleIDs.contains("policy/no-db-from-internet") && ruleIDs.contains("policy/no-ssh"))
        for r in results where (r["ruleId"] as? String)?.hasPrefix("policy/") == true {
            let index = try #require(r["ruleIndex"] as? Int)
            #expect(ruleIDs[index] == r["ruleId"] as? String)
            let message = try #require((r["message"] as? [String: Any])?["text"] as? String)
            #expect(message.hasPrefix("policy "))
            let region = (((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
            #expect((region?["startLine"] as? Int ?? 0) >= 48)
        }
        let ssh = try #require(results.first { $0["ruleId"] as? String == "policy/no-ssh" })
        #expect((ssh["message"] as? [String: Any])?["text"] as? String == "policy no-ssh (deny): internet -> web-1 tcp/22: reachable (witness tcp/22)")
    }

    @Test func junitHasACasePerPolicy() {
        let run = vpckit("check", "--format", "junit", Self.violated)
        #expect(run.code == 1)
        #expect(run.out.contains("name=\"policy no-ssh\""))
        #expect(run.out.contains("name=\"policy no-db-from-internet\""))
        #expect(run.out.policyCaseCount == 7)
        #expect(run.out.contains("1 violation, e.g. internet -&gt; web-1 tcp/22"))
        let ok = vpckit("check", "--format", "junit", Self.holding)
        #expect(ok.code == 0)
        #expect(!ok.out.contains("<failure"))
    }

    @Test func anInputErrorStillExitsTwo() {
        let file = temporaryFolder() + "/p.vpc"
        writeFile(file, "policy p deny internet -> sgg:db\n")
        let run = vpckit("check", file)
        #expect(run.code == 2)
        #expect(run.err.contains("\(file):1:27: error: unknown endpoint-set kind 'sgg'"))
        #expect(run.err.contains("hint: did you mean 'sg:'?"))
    }
}

extension String {
    /// How many JUnit test cases are named `policy …`.
    var policyCaseCount: Int {
        var n = 0, rest = self[...]
        while let r = rest.firstRange(of: "<testcase name=\"policy ") { n += 1; rest = rest[r.upperBound...] }
        return n
    }
}

import NetworkModel
import Reachability

enum TopologyLoaderForTests {
    static func compiled(_ path: String) -> CompiledTopology? {
        guard let text = readFile(path) else { return nil }
        let (t, d) = TopologyLoader.load(text, file: path)
        guard !d.contains(where: { $0.severity == .error }) else { return nil }
        return CompiledTopology(t)
    }
}
