import NetworkModel
import Reachability
import Testing

/// `vpckit check --format sarif|junit` names each assertion by its text and explains a failure without the
/// location and statement the text format prefixes.
@Test func assertionResultsGiveTheirStatementAndTheFailureReasonApart() throws {
    let text = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24 az us-east-1a
          security-group web { ingress tcp 443 from 10.0.0.0/8 }
          instance web-1 in a ip 10.0.0.10 sg web
          instance web-2 in a ip 10.0.0.11 sg web
        }
        assert reach web-1 -> web-2 tcp/443
        assert reach web-1 -> web-2 tcp/22 client-ports linux
        assert noreach web-1 -> nowhere tcp/22

        """
    // Parsed only: the validator rejects the unknown endpoint, which the engine reports as a failure.
    let (topology, syntax) = TopologyParser.parse(text, file: "a.vpc")
    #expect(syntax.isEmpty)
    let results = CompiledTopology(topology).evaluateAssertions()
    #expect(results.map(\.statement) == ["reach web-1 -> web-2 tcp/443", "reach web-1 -> web-2 tcp/22 client-ports linux",
                                         "noreach web-1 -> nowhere tcp/22"])
    #expect(results[0].failureReason == nil)
    let reason = try #require(results[1].failureReason)
    #expect(reason.hasPrefix("not reachable") && reason.contains("ENI_SG_RULES_MISMATCH") && !reason.contains("a.vpc"))
    #expect(results[2].failureReason?.isEmpty == false && results[2].failureReason?.contains("a.vpc:10") == false)
}
