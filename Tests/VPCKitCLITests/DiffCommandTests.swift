import TestSupport
import Testing
@testable import VPCKitCLI

/// `vpckit diff` (issue 19): exit codes per `--fail-on`, the JSON shape by structure, the plan's two sides, the
/// formats' escaping, and input errors.
@Suite struct DiffCommandTests {
    /// ``DiffFixtures/threeTierChange()``'s two versions (three-tier.vpc and the change Docs/DIFF.md shows) in a
    /// fresh folder.
    static func versions() throws -> (old: String, new: String) {
        let (text, changed) = try #require(DiffFixtures.threeTierChange())
        let dir = temporaryFolder(prefix: "vpckit-diff")
        writeFile(dir + "/old.vpc", text)
        writeFile(dir + "/new.vpc", changed)
        return (dir + "/old.vpc", dir + "/new.vpc")
    }

    static func names(_ v: Any?) -> [String] { (v as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? [] }

    @Test func jsonListsOpenedAndClosedEntries() throws {
        let (old, new) = try Self.versions()
        let run = vpckit("diff", old, new, "--format", "json")
        #expect(run.code == 1)
        let doc = try #require(jsonObject(run.out) as? [String: Any])
        let opened = try #require(doc["opened"] as? [[String: Any]])
        let closed = try #require(doc["closed"] as? [[String: Any]])
        #expect(opened.count == 3)
        #expect(Self.names(opened.first?["sources"]) == ["app-1", "app-2", "internet"])
        #expect(Self.names(opened.first?["destinations"]) == ["web-1", "web-2"])
        #expect(opened.first?["protocol"] as? String == "tcp" && opened.first?["ports"] as? String == "8443")
        #expect(closed.count == 1)
        #expect(Self.names(closed.first?["sources"]) == ["app-1"] && Self.names(closed.first?["destinations"]) == ["internet"])
        #expect(closed.first?["ports"] as? String == "443")
        let internet = try #require((closed.first?["destinations"] as? [[String: Any]])?.first)
        #expect(internet["kind"] as? String == "internet")
        #expect(internet["id"] is JSONNull)
        let policy = try #require(doc["policy"] as? [String: Any])
        #expect((policy["introduced"] as? [Any])?.isEmpty == true)
    }

    @Test func failOnPicksTheExitCode() throws {
        let (old, new) = try Self.versions()
        #expect(vpckit("diff", old, old).code == 0)
        #expect(vpckit("diff", old, new).code == 1)
        #expect(vpckit("diff", old, new, "--fail-on", "opened").code == 1)
        #expect(vpckit("diff", old, new, "--fail-on", "policy").code == 0)
        // Limited to tcp/443 only the closed connection is left.
        #expect(vpckit("diff", old, new, "tcp/443", "--fail-on", "opened").code == 0)
        #expect(vpckit("diff", old, new, "tcp/443", "--fail-on", "closed").code == 1)
        #expect(vpckit("diff", new, new, "--fail-on", "closed").code == 0)
        // The reference comparison of every pair says the same.
        let every = vpckit("diff", old, new, "--every-pair", "--format", "json")
        #expect(every.out == vpckit("diff", old, new, "--format", "json").out)
    }

    @Test func planComparesItsPriorStateWithItsPlannedValues() throws {
        let fixtures = "Tests/ImportersTests/Fixtures/terraform/"
        let plan = vpckit("diff", checkoutPath(fixtures + "plan-diff.json"), "--format", "json")
        #expect(plan.code == 1)
        let pair = vpckit("diff", checkoutPath(fixtures + "state.json"), checkoutPath(fixtures + "plan-change.json"), "--format", "json")
        #expect(plan.out == pair.out)
        let doc = try #require(jsonObject(plan.out) as? [String: Any])
        let opened = try #require(doc["opened"] as? [[String: Any]])
        #expect(opened.count == 1)
        #expect(Self.names(opened.first?["sources"]) == ["app-1", "internet"])
        #expect(Self.names(opened.first?["destinations"]) == ["web-1"])
        #expect(opened.first?["ports"] as? String == "80")
        #expect((opened.first?["destinations"] as? [[String: Any]])?.first?["id"] as? String != nil)
        // A plan and its traffic; a plan that creates everything opens what it creates.
        #expect(vpckit("diff", checkoutPath(fixtures + "plan-diff.json"), "tcp/22").code == 0)
        let create = vpckit("diff", checkoutPath(fixtures + "plan.json"), "--format", "json")
        #expect(create.code == 1)
        let created = try #require(jsonObject(create.out) as? [String: Any])
        #expect((created["closed"] as? [Any])?.isEmpty == true)
        #expect((created["opened"] as? [Any])?.isEmpty == false)
    }

    /// The prior side resolves through the prior state's values only: the plan moves its default route table (with
    /// 0.0.0.0/0 -> the VPC's internet gateway) from VPC a to VPC b, so ssh between the internet and host-a closes
    /// and between the internet and host-b opens. (Read through the planned configuration, the prior table would be
    /// VPC b's, with a route to VPC a's gateway.)
    @Test func planPriorSideKeepsItsOwnReferences() throws {
        let plan = checkoutPath("Tests/ImportersTests/Fixtures/terraform/plan-moved-reference.json")
        let run = vpckit("diff", plan, "tcp/22", "--format", "json")
        #expect(run.code == 1, "\(run.err)")
        let doc = try #require(jsonObject(run.out) as? [String: Any])
        func entries(_ key: String) -> [String] {
            ((doc[key] as? [[String: Any]]) ?? []).map { "\(Self.names($0["sources"])) -> \(Self.names($0["destinations"])) \($0["protocol"] ?? "")/\($0["ports"] ?? "")" }
        }
        #expect(entries("opened") == [#"["host-b"] -> ["internet"] tcp/22"#, #"["internet"] -> ["host-b"] tcp/22"#])
        #expect(entries("closed") == [#"["host-a"] -> ["internet"] tcp/22"#, #"["internet"] -> ["host-a"] tcp/22"#])
    }

    @Test func inputErrorsExitTwo() throws {
        let (old, new) = try Self.versions()
        let state = checkoutPath("Tests/ImportersTests/Fixtures/terraform/state.json")
        let notPlan = vpckit("diff", state)
        #expect(notPlan.code == 2)
        #expect(notPlan.err.contains("not a Terraform plan"))
        #expect(vpckit("diff", old).code == 2)                       // one .vpc: not a plan
        #expect(vpckit("diff", old, new, "tcp/0").code == 2)
        #expect(vpckit("diff", old, new, "tcp/22", "extra").code == 2)
        #expect(vpckit("diff").code == 2)
        #expect(vpckit("diff", old, old + ".missing").code == 2)
        #expect(vpckit("diff", old, new, "--fail-on", "sometimes").code == 2)
        #expect(vpckit("diff", old, new, "--format", "xml").code == 2)
    }

    /// The formats' shapes: Markdown table rows with names escaped, one workflow command per line, SARIF results.
    @Test func formatsEscapeNames() throws {
        let dir = temporaryFolder(prefix: "vpckit-diff-escape")
        writeFile(dir + "/old.vpc", DiffFixtures.oneInstance())
        writeFile(dir + "/new.vpc", DiffFixtures.oneInstance("  instance x_y.z in a ip 10.0.1.6 sg open\n"))
        let md = vpckit("diff", dir + "/old.vpc", dir + "/new.vpc", "--format", "markdown")
        #expect(md.code == 1)
        #expect(md.out.contains(#"| x\_y.z | x | tcp/22 |"#), "\(md.out)")
        #expect(md.out.hasPrefix("#### vpckit diff: 2 opened (2 connections), 0 closed (0 connections)\n"))
        let gh = vpckit("diff", dir + "/old.vpc", dir + "/new.vpc", "--format", "github")
        #expect(gh.out.split(separator: "\n").allSatisfy { $0.hasPrefix("::warning file=") || $0.hasPrefix("::notice file=") })
        #expect(gh.out.contains("title=vpckit diff%3A connection opened::"))
        let sarif = vpckit("diff", dir + "/old.vpc", dir + "/new.vpc", "--format", "sarif")
        let log = try #require(jsonObject(sarif.out) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let results = try #require(((log["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0["ruleId"] as? String == "connection-opened" })
    }
}
