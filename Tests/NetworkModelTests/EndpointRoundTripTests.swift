import IPAddressing
import NetworkModel
import Testing

/// Fuzz finding (target `query`, Tests/Fuzz/query/crash-edge-hex-name): `EDGE:ADDRESS` with an edge named in hex
/// digits and an IPv6 address printed as `1:1:1::1:1:1:1`, which reads back as one IPv6 address; `fmt` turned
/// such an assertion's on-premises source into an address. The address is now printed with all eight groups.
@Suite struct EndpointRoundTripTests {
    @Test func overEdgeEndpointsReadBackFromTheirText() throws {
        let endpoint = try Endpoint(parsing: "1:1:1::0:1:1:1:1")
        #expect(endpoint == .overEdge("1", try IPAddress("1:1::1:1:1:1")))
        #expect(endpoint.description == "1:1:1:0:0:1:1:1:1")
        #expect(try Endpoint(parsing: endpoint.description) == endpoint)
        let dc = Endpoint.overEdge("dc", try IPAddress("2001:db8::5"))
        #expect(try Endpoint(parsing: dc.description) == dc)
        // Unambiguous texts keep their short form.
        #expect(Endpoint.overEdge("vpn-1", try IPAddress("2001:db8::5")).description == "vpn-1:2001:db8::5")
        #expect(Endpoint.overEdge("dc", try IPAddress("10.1.2.3")).description == "dc:10.1.2.3")
    }

    @Test func fmtKeepsAnAssertionOverAHexNamedEdge() {
        let text = "assert reach dc:2001:0db8:0:0:0:0:0:5 -> app-1 tcp/22\n"
        let (model, diagnostics) = TopologyParser.parse(text, file: "a.vpc")
        #expect(diagnostics.isEmpty)
        #expect(model.assertions.first?.source == .overEdge("dc", try! IPAddress("2001:db8::5")))
        let printed = TopologyPrinter.format(model)
        let (again, reparsed) = TopologyParser.parse(printed, file: "p.vpc")
        #expect(reparsed.isEmpty)
        #expect(again == model, "\(printed)")
    }
}
