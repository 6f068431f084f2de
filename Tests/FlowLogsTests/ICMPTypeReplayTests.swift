import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// ICMP type/code reach the engine's rule matching through `CompiledFlowNetwork.forward`: an SG `icmp 8` rule
/// admits a ping (and its tracked reply) but not a timestamp request (type 13).
@Suite struct ICMPTypeReplayTests {
    static func network(_ rule: String) -> CompiledFlowNetwork {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a-net 10.0.1.0/24
          subnet b-net 10.0.2.0/24
          security-group open { ingress all from 0.0.0.0/0 }
          security-group target { \(rule) }
          instance a in a-net ip 10.0.1.10 sg open
          instance b in b-net ip 10.0.2.10 sg target
        }
        """
        let (topology, diagnostics) = TopologyLoader.load(text, file: "icmp.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        return CompiledFlowNetwork(topology)
    }

    static func lines(_ network: CompiledFlowNetwork, _ packets: [Timed], name: String = #function) throws -> [String] {
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: name.filter { $0.isLetter || $0.isNumber })
        var replay = FlowReplay(network: network)
        try replay.replayCapture(path: path)
        let format = try FlowLogFormat(parsing: "${interface-id} ${srcaddr} ${dstaddr} ${protocol} ${packets} ${action} ${flow-direction}")
        let renderer = FlowLogRenderer(format: format, interfaces: network.interfaces)
        // Interface ids are synthetic: name them by address.
        let names = Dictionary(uniqueKeysWithValues: network.interfaces.map { ($0.interfaceID, $0.primaryAddress == v4("10.0.1.10") ? "a" : "b") })
        return replay.records().map { r in
            // The interface id is the first field.
            let fields = renderer.line(r).split(separator: " ", maxSplits: 1).map(String.init)
            return ([names[fields[0]] ?? fields[0]] + fields.dropFirst()).joined(separator: " ")
        }
    }

    @Test func pingIsAcceptedAndTimestampRequestIsRejected() throws {
        let network = Self.network("ingress icmp 8 from 10.0.0.0/8")
        let ping = try Self.lines(network, [
            Timed(time: 1000, frame: Craft.icmp("10.0.1.10", "10.0.2.10", type: 8, id: 7).ethernet()),
            Timed(time: 1000, frame: Craft.icmp("10.0.2.10", "10.0.1.10", type: 0, id: 7).ethernet()),
        ])
        #expect(ping == [
            "a 10.0.1.10 10.0.2.10 1 1 ACCEPT egress", "b 10.0.1.10 10.0.2.10 1 1 ACCEPT ingress",
            "b 10.0.2.10 10.0.1.10 1 1 ACCEPT egress", "a 10.0.2.10 10.0.1.10 1 1 ACCEPT ingress",
        ])
        let timestamp = try Self.lines(network, [
            Timed(time: 2000, frame: Craft.icmp("10.0.1.10", "10.0.2.10", type: 13, id: 9).ethernet()),
        ])
        #expect(timestamp == ["a 10.0.1.10 10.0.2.10 1 1 ACCEPT egress", "b 10.0.1.10 10.0.2.10 1 1 REJECT ingress"])
        // With a rule for every ICMP type the same packet is accepted: the type decided.
        let any = try Self.lines(Self.network("ingress icmp from 10.0.0.0/8"), [
            Timed(time: 2000, frame: Craft.icmp("10.0.1.10", "10.0.2.10", type: 13, id: 9).ethernet()),
        ])
        #expect(any == ["a 10.0.1.10 10.0.2.10 1 1 ACCEPT egress", "b 10.0.1.10 10.0.2.10 1 1 ACCEPT ingress"])
    }

    /// Messages without an identifier (errors, timestamps) between the same two hosts are decided type by type:
    /// one allowed type does not let another through in the same interval (they would share a connection if
    /// keyed by identifier alone).
    @Test func eachICMPTypeIsDecidedOnItsOwn() throws {
        let network = Self.network("ingress icmp 3/4 from 10.0.0.0/8")
        let lines = try Self.lines(network, [
            Timed(time: 3000, frame: Craft.icmp("10.0.1.10", "10.0.2.10", type: 3, id: 0).withICMPCode(4).ethernet()),
            Timed(time: 3001, frame: Craft.icmp("10.0.1.10", "10.0.2.10", type: 11, id: 0).ethernet()),
            Timed(time: 3002, frame: Craft.icmp("10.0.1.10", "10.0.2.10", type: 3, id: 0).withICMPCode(4).ethernet()),
        ])
        // Records aggregate by 5-tuple (ICMP ports are 0) and action, as AWS's do: a's egress holds all three.
        #expect(lines == [
            "a 10.0.1.10 10.0.2.10 1 3 ACCEPT egress", "b 10.0.1.10 10.0.2.10 1 2 ACCEPT ingress",
            "b 10.0.1.10 10.0.2.10 1 1 REJECT ingress",
        ])
    }
}
