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

/// The grouped text and `--why` of `who-can-reach` / `reachable-from`.
@Suite struct QuestionTextAndWhyTests {
    static let threeTier = checkoutPath("Topologies/three-tier.vpc")

    @Test func textGroupsTheSourcesThatShareAnAnswer() {
        let run = vpckit("who-can-reach", Self.threeTier, "db-1")
        #expect(run.code == 0)
        #expect(run.out.split(separator: "\n").map(String.init) == ["2 sources can reach db-1", "  security group app (2 interfaces): tcp/5432"])
        let web = vpckit("who-can-reach", Self.threeTier, "web-1", "tcp")
        #expect(web.code == 0)
        #expect(web.out.split(separator: "\n").map(String.init) == [
            "4 sources can reach web-1", "  web-2: tcp/80,443", "  security group app (2 interfaces): tcp/443", "  internet: tcp/80,443",
        ])
        // JSON still lists every source.
        let json = vpckit("who-can-reach", Self.threeTier, "web-1", "tcp", "--format", "json")
        let doc = (try? jsonObject(json.out)) as? [String: Any]
        #expect((doc?["sources"] as? [[String: Any]])?.compactMap { $0["source"] as? String } == ["web-2", "app-1", "app-2", "internet"])
    }

    @Test func whyPrintsReachsPathForTheFirstPortThatGetsThrough() {
        let run = vpckit("who-can-reach", Self.threeTier, "db-1", "--why", "app-1")
        #expect(run.code == 0)
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "app-1 -> db-1: tcp/5432")
        #expect(lines.dropFirst().first == "app-1 -> db-1 tcp/5432: reachable")
        #expect(lines.contains("forward path:"))
        #expect(lines.contains("return path:"))
        // The same text as `reach` for that pair, after the summary line.
        let reach = vpckit("reach", Self.threeTier, "app-1", "db-1", "tcp/5432")
        #expect(lines.dropFirst().joined(separator: "\n") + "\n" == reach.out)

        let from = vpckit("reachable-from", Self.threeTier, "app-1", "tcp/5432,8080", "--why", "db-1")
        #expect(from.code == 0)
        #expect(from.out.hasPrefix("app-1 -> db-1: tcp/5432\napp-1 -> db-1 tcp/5432: reachable\n"))
    }

    @Test func whyOfABlockedPairShowsWhereItIsBlocked() {
        let run = vpckit("who-can-reach", Self.threeTier, "db-1", "tcp/22,5432", "--why", "web-1")
        #expect(run.code == 0)
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "web-1 -> db-1: nothing gets through (tcp/22,5432)")
        #expect(lines.dropFirst().first == "web-1 -> db-1 tcp/22: not reachable")
        #expect(lines.contains { $0.hasPrefix("blocked by ") })
        #expect(lines.contains { $0.contains("SUBNET_ACL_RESTRICTION") })
    }

    @Test func whyJSONIsReachJSONAndBadNamesAreExitTwo() throws {
        let run = vpckit("who-can-reach", Self.threeTier, "db-1", "--why", "app-2", "--format", "json")
        #expect(run.code == 0)
        let doc = try #require(jsonObject(run.out) as? [String: Any])
        #expect(doc["schemaVersion"] as? Int == 3)
        #expect(doc["source"] as? String == "app-2")
        #expect(doc["destination"] as? String == "db-1")
        #expect(doc["traffic"] as? String == "tcp/5432")
        #expect(doc["disposition"] as? String == "reachable")

        let bad = vpckit("who-can-reach", Self.threeTier, "db-1", "--why", "app-9")
        #expect(bad.code == 2)
        #expect(bad.err.contains("did you mean 'app-1'"))
        #expect(bad.out.isEmpty)
        #expect(vpckit("reachable-from", Self.threeTier, "app-1", "--why", "db-9").code == 2)
    }

    @Test func reachableFromJSONShape() throws {
        let run = vpckit("reachable-from", Self.threeTier, "web-1", "--format", "json")
        #expect(run.code == 0)
        let doc = try #require(jsonObject(run.out) as? [String: Any])
        #expect(doc.keys.sorted() == ["destinations", "source"])
        #expect(doc["source"] as? String == "web-1")
        let destinations = try #require(doc["destinations"] as? [[String: Any]])
        #expect(!destinations.isEmpty)
        for d in destinations {
            #expect(d.keys.sorted() == ["allowed", "destination", "id", "kind", "partial"])
            #expect(["interface", "internet", "onprem", "vpc-endpoint"].contains(d["kind"] as? String ?? ""))
        }
        #expect(destinations.contains { $0["destination"] as? String == "app-1" })
    }
}
