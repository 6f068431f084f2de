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
}
