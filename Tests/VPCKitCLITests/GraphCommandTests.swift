import TestSupport
import Testing
@testable import VPCKitCLI

@Suite struct GraphCommandTests {
    let topology = checkoutPath("Topologies/three-tier.vpc")

    @Test func writesDOTAndMermaidToStdoutOrAFile() throws {
        let dot = vpckit("graph", topology)
        #expect(dot.code == 0)
        #expect(dot.out.hasPrefix("digraph \"vpckit\" {\n"))
        #expect(dot.out == readFile(checkoutPath("Tests/DiagramsTests/Golden/three-tier.dot")))
        let mermaid = vpckit("graph", topology, "--format", "mermaid", "--detail", "vpc")
        #expect(mermaid.code == 0)
        #expect(mermaid.out.hasPrefix("flowchart LR\n"))
        #expect(mermaid.out.contains("vpc_three_2Dtier[\"VPC three-tier<br/>"))
        let dir = temporaryFolder(prefix: "vpckit-graph")
        defer { removeTree(dir) }
        let written = vpckit("graph", topology, "-o", dir + "/g.dot")
        #expect(written.code == 0 && written.out.isEmpty)
        #expect(readFile(dir + "/g.dot") == dot.out)
        #expect(entries(dir) == ["g.dot"])
        let unwritable = vpckit("graph", topology, "-o", dir + "/missing/g.dot")
        #expect(unwritable.code == 2)
        #expect(unwritable.err.contains("cannot write file"))
    }

    @Test func pathIsDrawnAndBadPathsAreUsageErrors() {
        let blocked = vpckit("graph", topology, "--path", "web-1", "db-1", "tcp/5432")
        #expect(blocked.code == 0)
        #expect(blocked.out.contains("BLOCKED SUBNET_ACL_RESTRICTION (forward)"))
        #expect(blocked.out == readFile(checkoutPath("Tests/DiagramsTests/Golden/three-tier-path.dot")))
        let twoValues = vpckit("graph", topology, "--path", "web-1", "db-1")
        #expect(twoValues.code == 2)
        #expect(twoValues.err.contains("--path takes three values"))
        let unknown = vpckit("graph", topology, "--path", "web-9", "db-1", "tcp/5432")
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("web-9"))
        let badTraffic = vpckit("graph", topology, "--path", "web-1", "db-1", "tcp/0")
        #expect(badTraffic.code == 2)
        #expect(badTraffic.err.contains("bad traffic"))
    }

    @Test func focusOnAnUnknownNameSuggestsOne() {
        let r = vpckit("graph", topology, "--focus", "three-tie")
        #expect(r.code == 2)
        #expect(r.err.contains("no VPC or transit gateway named 'three-tie'; did you mean 'three-tier'?"))
        #expect(r.out.isEmpty)
        let ok = vpckit("graph", topology, "--focus", "three-tier", "--format", "mermaid")
        #expect(ok.code == 0)
    }

    /// reach --graph FILE writes what graph --path draws (the same trace), in the format its name says, and still
    /// prints the answer; a name that says no format, --graph-format alone or --graph without TRAFFIC are exit 2
    /// with nothing written.
    @Test func reachDrawsItsAnswer() throws {
        let dir = temporaryFolder(prefix: "vpckit-reach-graph")
        defer { removeTree(dir) }
        let r = vpckit("reach", topology, "web-1", "db-1", "tcp/5432", "--graph", dir + "/a.dot")
        #expect(r.code == 1)
        #expect(r.out.contains("SUBNET_ACL_RESTRICTION"))
        #expect(readFile(dir + "/a.dot") == vpckit("graph", topology, "--path", "web-1", "db-1", "tcp/5432").out)
        let mermaid = vpckit("reach", topology, "app-1", "db-1", "tcp/5432", "--graph", dir + "/a.mmd")
        #expect(mermaid.code == 0)
        #expect(readFile(dir + "/a.mmd") == vpckit("graph", topology, "--path", "app-1", "db-1", "tcp/5432", "--format", "mermaid").out)
        let named = vpckit("reach", topology, "app-1", "db-1", "tcp/5432", "--graph", dir + "/b.picture", "--graph-format", "dot")
        #expect(named.code == 0 && readFile(dir + "/b.picture")?.hasPrefix("digraph") == true)
        let unknown = vpckit("reach", topology, "app-1", "db-1", "tcp/5432", "--graph", dir + "/c.txt")
        #expect(unknown.code == 2 && unknown.err.contains("cannot tell the format") && unknown.out.isEmpty)
        #expect(vpckit("reach", topology, "app-1", "db-1", "--graph", dir + "/d.dot").code == 2)
        #expect(vpckit("reach", topology, "app-1", "db-1", "tcp/5432", "--graph-format", "dot").code == 2)
        #expect(entries(dir) == ["a.dot", "a.mmd", "b.picture"])
    }

    /// graph NEW --diff OLD and diff OLD NEW --graph FILE draw the same change (the golden file); diff's markdown
    /// ends with the change's Mermaid block; graph --lint marks lint's findings.
    @Test func changeAndLintDrawings() throws {
        let (old, new) = try #require(DiffFixtures.threeTierChange())
        let dir = temporaryFolder(prefix: "vpckit-diff-graph")
        defer { removeTree(dir) }
        writeFile(dir + "/old.vpc", old)
        writeFile(dir + "/new.vpc", new)
        let golden = readFile(checkoutPath("Tests/DiagramsTests/Golden/three-tier-change.dot"))
        let drawn = vpckit("graph", dir + "/new.vpc", "--diff", dir + "/old.vpc", "--detail", "interface")
        #expect(drawn.code == 0 && drawn.out == golden)
        let d = vpckit("diff", dir + "/old.vpc", dir + "/new.vpc", "--graph", dir + "/change.dot")
        #expect(d.code == 1)
        #expect(readFile(dir + "/change.dot") == golden)
        let markdown = vpckit("diff", dir + "/old.vpc", dir + "/new.vpc", "--format", "markdown")
        #expect(markdown.out.contains("\n```mermaid\nflowchart LR\n") && markdown.out.hasSuffix("```\n"))
        #expect(vpckit("diff", dir + "/old.vpc", dir + "/old.vpc", "--format", "markdown").out.contains("```") == false)
        #expect(vpckit("diff", dir + "/old.vpc", dir + "/new.vpc", "--graph-format", "dot").code == 2)
        let lint = vpckit("graph", checkoutPath("Topologies/lint-findings.vpc"), "--lint")
        #expect(lint.code == 0)
        #expect(lint.out.contains("lint #10 sg-ssh-open-world, #11 sg-rdp-open-world"))
    }
}
