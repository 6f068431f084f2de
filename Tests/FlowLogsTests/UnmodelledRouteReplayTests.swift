import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// A packet whose route ends at a target outside the model (`-> unmodelled ID`) is not delivered: no record
/// beyond the sender's interface, and no crash.
@Suite struct UnmodelledRouteReplayTests {
    static func network() -> CompiledFlowNetwork {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a-net 10.0.1.0/24
          route-table rt main {
            route 10.8.0.0/16 -> unmodelled vgw-0abc
            route 10.9.0.0/16 blackhole
          }
          security-group open { ingress all from 0.0.0.0/0 }
          instance a in a-net ip 10.0.1.10 sg open
        }
        """
        let (topology, diagnostics) = TopologyLoader.load(text, file: "unmodelled.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        return CompiledFlowNetwork(topology)
    }

    static func lines(_ packets: [Timed], name: String = #function) throws -> [String] {
        try replayLines(network(), packets, format: "${srcaddr} ${dstaddr} ${packets} ${action} ${flow-direction} ${traffic-path}", name: name)
    }

    @Test func aPacketToAnUnmodelledTargetIsOnlySeenLeavingTheSender() throws {
        let unmodelled = try Self.lines([
            Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "10.8.1.1", 443, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.0.1.10", 40000, "10.8.1.1", 443, SYN).ethernet()),
        ])
        let blackhole = try Self.lines([
            Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "10.9.1.1", 443, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.0.1.10", 40000, "10.9.1.1", 443, SYN).ethernet()),
        ])
        #expect(unmodelled == ["10.0.1.10 10.8.1.1 2 ACCEPT egress -"])
        // As a blackhole is recorded: the route decides nothing the sender's interface sees.
        #expect(blackhole == ["10.0.1.10 10.9.1.1 2 ACCEPT egress -"])
    }
}
