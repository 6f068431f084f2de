import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// Interface endpoint ENIs are ENIs of the data plane: replay records them with instance-id `-`; a packet through
/// a gateway endpoint leaves with traffic-path 2 (Docs/AWS-BEHAVIOUR.md §10, §11).
@Suite struct VPCEndpointReplayTests {
    static func network() -> CompiledFlowNetwork {
        let text = """
        prefix-list s3 { 52.216.0.0/15 }
        vpc v {
          cidr 10.0.0.0/16
          subnet a-net 10.0.1.0/24 az us-east-1a
          route-table rt main { associate a-net }
          security-group open { ingress all from 0.0.0.0/0 }
          instance a in a-net ip 10.0.1.10 sg open
          endpoint s3-gw gateway s3 route-tables rt
          endpoint ssm interface ssm subnets a-net sg open ip 10.0.1.50 enis eni-0ssm
        }
        """
        let (topology, diagnostics) = TopologyLoader.load(text, file: "endpoints.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        return CompiledFlowNetwork(topology)
    }

    static func lines(_ packets: [Timed], name: String = #function) throws -> [String] {
        try replayLines(network(), packets, format: "${interface-id} ${instance-id} ${srcaddr} ${dstaddr} ${action} ${flow-direction} ${traffic-path}", name: name).sorted()
    }

    @Test func theEndpointENIIsAnInterfaceWithoutInstance() throws {
        let network = Self.network()
        let eni = try #require(network.interfaces.first { $0.interfaceID == "eni-0ssm" })
        #expect(eni.instanceID == nil)
        let lines = try Self.lines([Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "10.0.1.50", 443, SYN).ethernet())])
        #expect(lines.contains("eni-0ssm - 10.0.1.10 10.0.1.50 ACCEPT ingress -"))
    }

    @Test func aPacketThroughTheGatewayEndpointHasTrafficPath2() throws {
        let lines = try Self.lines([Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "52.216.1.1", 443, SYN).ethernet())])
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix("10.0.1.10 52.216.1.1 ACCEPT egress 2") == true)
    }
}
