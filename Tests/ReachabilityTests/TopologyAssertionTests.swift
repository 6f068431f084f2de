import TestSupport
import NetworkModel
import Testing
@testable import Reachability

/// Every `assert` in Topologies/ holds, and the asserts of the language contract (Docs/LANGUAGE-CONTRACT.md) hold.
@Test(arguments: ["Topologies/three-tier.vpc", "Topologies/hub-and-spoke.vpc", "Topologies/peering-mesh.vpc", "Topologies/dual-stack.vpc"])
func everyTopologyAssertionHolds(_ path: String) throws {
    let text = try #require(repositoryFile(path), "cannot read \(path)")
    let compiled = compile(text, file: path)
    let results = compiled.evaluateAssertions()
    #expect(!results.isEmpty)
    for r in results {
        #expect(r.holds, "\(r.failureMessage ?? "")")
    }
}

@Test func dslContractAssertionsHold() throws {
    let text = try #require(languageContractExample())
    let compiled = compile(text, file: "dsl.md")
    let results = compiled.evaluateAssertions()
    #expect(results.count == 5)
    for r in results { #expect(r.holds, "\(r.failureMessage ?? "")") }
}
