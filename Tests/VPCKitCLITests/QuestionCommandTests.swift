import TestSupport
import Testing
@testable import VPCKitCLI

/// `who-can-reach` and `reachable-from` (issue 19): exit codes and the JSON shape, checked by structure.
@Suite struct QuestionCommandTests {
    @Test func whoCanReachTheDatabaseListsTheAppTierOnly() throws {
        let run = vpckit("who-can-reach", checkoutPath("Topologies/three-tier.vpc"), "db-1", "tcp/5432", "--format", "json")
        #expect(run.code == 0)
        let doc = try #require(jsonObject(run.out) as? [String: Any])
        #expect(doc["target"] as? String == "db-1")
        let sources = try #require(doc["sources"] as? [[String: Any]])
        #expect(sources.compactMap { $0["source"] as? String } == ["app-1", "app-2"])
        let allowed = try #require(sources.first?["allowed"] as? [[String: Any]])
        #expect(allowed.first?["protocol"] as? String == "tcp")
        #expect(allowed.first?["ports"] as? String == "5432")
    }

    @Test func reachableFromAndBadInput() {
        let from = vpckit("reachable-from", checkoutPath("Topologies/three-tier.vpc"), "db-1")
        #expect(from.code == 0)
        #expect(from.out.contains("0 destinations"))
        #expect(vpckit("who-can-reach", checkoutPath("Topologies/three-tier.vpc"), "db-9").code == 2)
        #expect(vpckit("who-can-reach", checkoutPath("Topologies/three-tier.vpc"), "db-1", "tcp/0").code == 2)
    }
}
