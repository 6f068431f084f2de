import FlowLogs
import IPAddressing
import NetworkModel
import Testing

/// `--map` names: instances (their primary address), `instance.interface` and NAT gateways, read from the
/// resolved topology.
@Suite struct EndpointAddressTests {
    @Test func namesMapToPrimaryAddresses() throws {
        let text = """
            vpc v {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              nat-gateway n in s ip 10.0.0.50
              nat-gateway lost in nowhere ip 10.0.0.51
              instance a in s ip 10.0.0.10
              instance b {
                interface eth0 in s ip 10.0.0.12
                interface eth1 in s ip 10.0.0.13
              }
            }
            """
        let (topology, syntax) = TopologyParser.parse(text, file: "map.vpc")
        #expect(syntax.isEmpty)
        let network = CompiledFlowNetwork(topology)
        func v4(_ s: String) throws -> FlowAddress { FlowAddress(v4: try IPv4Address(s).bits) }
        #expect(network.endpointAddresses == [
            "a": try v4("10.0.0.10"), "a.eth0": try v4("10.0.0.10"),
            "b": try v4("10.0.0.12"), "b.eth0": try v4("10.0.0.12"), "b.eth1": try v4("10.0.0.13"),
            "n": try v4("10.0.0.50"),
        ])
    }
}
