import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// Transit gateway flow logs (Docs/SEMANTICS.md "Transit gateway flow log records"): one record per attachment
/// a flow crosses, per direction and 60-s interval, in AWS's transit gateway fields; packets the transit gateway
/// drops counted in the entry attachment's `packets-lost-*`. Two VPCs on one transit gateway `core`:
/// app-a 10.1.1.10 (VPC a, attachment a-att) and app-b 10.2.1.10 (VPC b, attachment b-att); 10.9.0.0/16 is a
/// blackhole route, 10.7.0.0/16 has no route in the transit gateway table.
@Suite struct TransitGatewayFlowLogTests {
    static let topology = """
        region us-east-1
        account 111122223333

        vpc a {
          id vpc-0aaa
          cidr 10.1.0.0/16
          subnet a-app 10.1.1.0/24 az us-east-1a id subnet-0a1
          subnet a-tgw 10.1.255.0/28 az us-east-1a id subnet-0a2
          route-table a-rt {
            associate a-app
            route 10.0.0.0/8 -> core
          }
          security-group a-sg {
            ingress tcp 443 from 10.0.0.0/8
          }
          instance app-a in a-app ip 10.1.1.10 sg a-sg
        }

        vpc b {
          id vpc-0bbb
          cidr 10.2.0.0/16
          subnet b-app 10.2.1.0/24 az us-east-1b id subnet-0b1
          subnet b-tgw 10.2.255.0/28 az us-east-1b id subnet-0b2
          route-table b-rt {
            associate b-app
            route 10.0.0.0/8 -> core
          }
          security-group b-sg {
            ingress tcp 443 from 10.0.0.0/8
          }
          instance app-b in b-app ip 10.2.1.10 sg b-sg
        }

        transit-gateway core id tgw-0c0de {
          attachment a-att vpc a subnets a-tgw id tgw-attach-0a
          attachment b-att vpc b subnets b-tgw id tgw-attach-0b
          route-table main {
            associate a-att b-att
            propagate a-att b-att
            route 10.9.0.0/16 blackhole
          }
        }

        """

    /// 60 s aligned: every packet below is in one interval.
    static let t: Int64 = 1_700_000_040

    static func replay(_ flowLogs: String, packets: [Timed], name: String) throws -> (CompiledFlowNetwork, FlowLogPlan, FlowLogRecords) {
        let (topology, diagnostics) = TopologyLoader.load(topology + flowLogs, file: "tgw.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.rendered))")
        let network = CompiledFlowNetwork(topology)
        let plan = try network.flowLogPlan()
        var options = ReplayOptions()
        options.interval = 60
        options.transitGatewayRecords = true
        var replay = FlowReplay(network: network, options: options)
        try replay.replayCapture(path: CaptureWriter.write(CaptureWriter.pcap(packets), name: name))
        return (network, plan, replay.records())
    }

    static func eni(_ network: CompiledFlowNetwork, _ name: String) -> String {
        network.compiled.interfaces.firstIndex { $0.name == name }.map { network.interfaces[$0].interfaceID } ?? "missing:\(name)"
    }

    static func lines(_ network: CompiledFlowNetwork, _ plan: FlowLogPlan, _ records: FlowLogRecords) throws -> [String] {
        let log = try #require(plan.transitGatewayLogs.first)
        let renderer = TransitGatewayRenderer(format: log.format, interfaces: network.interfaces, attachments: network.transitGatewayENIs())
        return log.records(from: records).map(renderer.line)
    }

    /// A request and its answer: 4 records in the interval (2 attachments × 2 directions), each in AWS's default
    /// transit gateway format, derived by hand: the request enters at a-att (ingress, pair b-att) and leaves at
    /// b-att (egress, pair a-att); the answer the other way round. Source/destination fields describe the packet's
    /// way (a → b for the request on both of its records).
    @Test func acceptedFlowBothWaysInTheDefaultFormat() throws {
        let a = "10.1.1.10", b = "10.2.1.10"
        let packets = [
            Timed(time: Self.t, frame: Craft.tcp(a, 40000, b, 443, SYN).ethernet()),                    // 40 bytes
            Timed(time: Self.t + 1, frame: Craft.tcp(b, 443, a, 40000, SYN | ACK).ethernet()),           // 40 bytes
            Timed(time: Self.t + 2, frame: Craft.tcp(a, 40000, b, 443, ACK, payload: 60).ethernet()),   // 100 bytes
        ]
        let (network, plan, records) = try Self.replay("flow-log hub on transit-gateway core id fl-0hub\n", packets: packets, name: "tgwAccepted")
        let log = try #require(plan.transitGatewayLogs.first)
        #expect(log.interval == 60 && log.id == "fl-0hub" && log.format == .default && log.transitGatewayID == "tgw-0c0de")
        #expect(log.format.header == FlowLog.transitGatewayFieldNames.joined(separator: " ") && log.format.version == 6)
        let ea = Self.eni(network, "a-att@a-tgw"), eb = Self.eni(network, "b-att@b-tgw")
        let a2b = "vpc-0aaa vpc-0bbb subnet-0a2 subnet-0b2 \(ea) \(eb) use1-az1 use1-az2"
        let b2a = "vpc-0bbb vpc-0aaa subnet-0b2 subnet-0a2 \(eb) \(ea) use1-az2 use1-az1"
        let head = "6 TransitGateway 111122223333 tgw-0c0de"
        #expect(try Self.lines(network, plan, records) == [
            "\(head) tgw-attach-0a 111122223333 111122223333 \(a2b) tgw-attach-0b \(a) \(b) 40000 443 6 2 140 \(Self.t) \(Self.t + 2) OK IPv4 0 0 0 0 2 us-east-1 ingress - -",
            "\(head) tgw-attach-0b 111122223333 111122223333 \(a2b) tgw-attach-0a \(a) \(b) 40000 443 6 2 140 \(Self.t) \(Self.t + 2) OK IPv4 0 0 0 0 2 us-east-1 egress - -",
            "\(head) tgw-attach-0b 111122223333 111122223333 \(b2a) tgw-attach-0a \(b) \(a) 443 40000 6 1 40 \(Self.t + 1) \(Self.t + 1) OK IPv4 0 0 0 0 18 us-east-1 ingress - -",
            "\(head) tgw-attach-0a 111122223333 111122223333 \(b2a) tgw-attach-0b \(b) \(a) 443 40000 6 1 40 \(Self.t + 1) \(Self.t + 1) OK IPv4 0 0 0 0 18 us-east-1 egress - -",
        ])
        // The VPC records of the same replay are untouched by the transit gateway ones: a plain replay (no
        // transit gateway records) gives exactly the non-TGW records.
        var plain = FlowReplay(network: network, options: { var o = ReplayOptions(); o.interval = 60; return o }())
        try plain.replayCapture(path: CaptureWriter.write(CaptureWriter.pcap(packets), name: "tgwFlowLogsPlain"))
        #expect(Array(plain.records()) == records.filter { !$0.isTransitGateway })
        #expect(records.filter(\.isTransitGateway).count == 4)
    }

    /// A blackhole route and a missing route: one ingress record at the entry attachment, its packets counted
    /// as lost (blackhole, no route), the far side `-`; no egress record.
    @Test func droppedAtTheTransitGatewayCountsLostPackets() throws {
        let packets = [
            Timed(time: Self.t, frame: Craft.tcp("10.1.1.10", 40001, "10.9.0.5", 443, SYN).ethernet()),
            Timed(time: Self.t + 3, frame: Craft.tcp("10.1.1.10", 40001, "10.9.0.5", 443, SYN).ethernet()),
            Timed(time: Self.t + 4, frame: Craft.udp("10.1.1.10", 41000, "10.7.0.5", 53, payload: 20).ethernet()),
        ]
        let format = "format '${tgw-attachment-id} ${tgw-src-vpc-id} ${tgw-dst-vpc-id} ${tgw-pair-attachment-id} ${srcaddr} ${dstaddr} ${packets} ${packets-lost-no-route} ${packets-lost-blackhole} ${flow-direction}'"
        let (network, plan, records) = try Self.replay("flow-log hub on transit-gateway core \(format)\n", packets: packets, name: "tgwDropped")
        #expect(plan.transitGatewayLogs.first?.format.version == 6)
        #expect(try Self.lines(network, plan, records) == [
            "tgw-attach-0a vpc-0aaa - - 10.1.1.10 10.9.0.5 2 0 2 ingress",
            "tgw-attach-0a vpc-0aaa - - 10.1.1.10 10.7.0.5 1 1 0 ingress",
        ])
    }

    /// Two flow logs: the transit gateway's records never reach a VPC flow log, and a VPC flow log's never the
    /// transit gateway's; S3 objects of the transit gateway log are named with its id under its owner's account
    /// and region; its CloudWatch stream is named after the transit gateway.
    @Test func deliveryKeepsTheKindsApartAndNamesObjects() throws {
        let packets = [Timed(time: Self.t, frame: Craft.tcp("10.1.1.10", 40000, "10.2.1.10", 443, SYN).ethernet())]
        let (network, plan, records) = try Self.replay("""
            flow-log hub on transit-gateway core id fl-0hub to s3://tgw-logs/core
            flow-log hub-cw on transit-gateway core format '${tgw-attachment-id} ${flow-direction}' to cloudwatch /tgw/core
            flow-log vpc-a on vpc a interval 60 id fl-0vpca

            """, packets: packets, name: "tgwDelivery")
        #expect(plan.logs.map(\.name) == ["vpc-a"] && plan.transitGatewayLogs.map(\.name) == ["hub", "hub-cw"])
        let vpcA = try #require(plan.logs.first)
        #expect(vpcA.records(from: records).allSatisfy { !$0.isTransitGateway } && vpcA.records(from: records).count == 2)
        let objects = try FlowLogDelivery.objects(plan.logs, transitGatewayLogs: plan.transitGatewayLogs, records: { _ in records },
                                                  interfaces: network.interfaces, attachments: network.transitGatewayENIs(),
                                                  defaultRegion: "us-east-1")
        let keys = objects.map(\.key)
        // 2023-11-14 22:14:00 UTC: the 22:10 window.
        let tgwKey = try #require(keys.first { $0.hasPrefix("tgw-logs/") })
        #expect(tgwKey.hasPrefix("tgw-logs/core/AWSLogs/111122223333/vpcflowlogs/us-east-1/2023/11/14/111122223333_vpcflowlogs_us-east-1_fl-0hub_20231114T2210Z_"))
        #expect(tgwKey.hasSuffix(".log.gz"))
        // One object for the 5-minute window (its text is read back by flowlogs-reader in Tests/CLI/flowlogs_tgw_check.py).
        #expect(keys.filter { $0.hasPrefix("tgw-logs/") }.count == 1)
        #expect(keys.contains("cloudwatch/%2Ftgw%2Fcore/tgw-0c0de.jsonl"))
        let cw = String(decoding: try #require(objects.first { $0.key == "cloudwatch/%2Ftgw%2Fcore/tgw-0c0de.jsonl" }).contents, as: UTF8.self)
        #expect(cw == "{\"timestamp\":\(Self.t * 1000),\"message\":\"tgw-attach-0a ingress\"}\n{\"timestamp\":\(Self.t * 1000),\"message\":\"tgw-attach-0b egress\"}\n")
        #expect(keys.filter { $0.contains("_fl-0vpca_") }.count == 1)
    }

    /// Topologies/hub-and-spoke.vpc: spoke-a → spoke-b goes through the inspection VPC, so it crosses the
    /// transit gateway twice — in at spoke-a-att, out at inspection-att; in again at inspection-att, out at
    /// spoke-b-att — 4 records for one direction, each pair naming each other, the second crossing's source VPC
    /// the inspection VPC. The VPC records of the replay are the same as without transit gateway records.
    @Test func aFlowThroughAnInspectionVPCCrossesTwice() throws {
        let base = try #require(repositoryFile("Topologies/hub-and-spoke.vpc"))
        let text = base + "\nflow-log hub-log on transit-gateway hub format '${tgw-attachment-id} ${tgw-pair-attachment-id} ${flow-direction} ${tgw-src-vpc-id} ${tgw-dst-vpc-id} ${srcaddr} ${dstaddr}'\n"
        let (topology, diagnostics) = TopologyLoader.load(text, file: "hub-and-spoke.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.rendered))")
        let network = CompiledFlowNetwork(topology)
        let plan = try network.flowLogPlan()
        let packets = [Timed(time: Self.t, frame: Craft.tcp("10.1.1.10", 40000, "10.2.1.10", 443, SYN).ethernet())]
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "tgwInspection")
        var options = ReplayOptions()
        options.interval = 60
        var plain = FlowReplay(network: network, options: options)
        try plain.replayCapture(path: path)
        options.transitGatewayRecords = true
        var replay = FlowReplay(network: network, options: options)
        try replay.replayCapture(path: path)
        let records = replay.records()
        #expect(Array(plain.records()) == records.filter { !$0.isTransitGateway })
        let attachments = network.transitGatewayENIs()
        func at(_ name: String) -> (attachment: String, vpc: String) {
            guard let i = network.compiled.interfaces.firstIndex(where: { $0.name == name }), let a = attachments[i] else { return ("missing:\(name)", "-") }
            return (a.attachmentID, network.interfaces[i].vpcID)
        }
        let a = at("spoke-a-att@a-tgw-1"), insp = at("inspection-att@insp-tgw-1"), b = at("spoke-b-att@b-tgw-1")
        #expect(a.attachment.hasPrefix("tgw-attach-0") && a.attachment != b.attachment)
        let ab = "10.1.1.10 10.2.1.10"
        #expect(try Self.lines(network, plan, records) == [
            "\(a.attachment) \(insp.attachment) ingress \(a.vpc) \(insp.vpc) \(ab)",
            "\(insp.attachment) \(a.attachment) egress \(a.vpc) \(insp.vpc) \(ab)",
            "\(insp.attachment) \(b.attachment) ingress \(insp.vpc) \(b.vpc) \(ab)",
            "\(b.attachment) \(insp.attachment) egress \(insp.vpc) \(b.vpc) \(ab)",
        ])
    }
}
