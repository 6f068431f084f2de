import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// Flow-log resources in the replay (Docs/SEMANTICS.md "Flow log resources"): each flow log gets the records
/// of the interfaces in its scope whose action its filter admits, in its format and interval, at its destination.
/// The topology is Topologies/flowlogs-session.vpc (interfaces: 0 web-1 in public-a, 1 app-1 in app-a, 2 nat-a
/// in public-a) with flow logs appended.
@Suite struct FlowLogResourceTests {
    static let flowLogs = """

        flow-log all-shop on vpc shop
        flow-log public-rejects on subnet public-a traffic reject interval 60 format '${interface-id} ${srcaddr} ${dstport} ${action}'
        flow-log app-nic on interface app-1 interval 60 format '${srcaddr} ${dstaddr} ${packets} ${start}' to s3://shop-logs/prod/vpc hive-partitions hourly-partitions id fl-0app
        flow-log nat-cw on interface nat-a traffic accept format '${interface-id} ${srcaddr} ${dstaddr}' to cloudwatch /aws/vpc/shop
        flow-log public-cw on subnet public-a traffic accept format '${interface-id} ${srcaddr} ${dstaddr}' to cloudwatch /aws/vpc/shop
        flow-log hub on transit-gateway core

        """
    static let hub = "\ntransit-gateway core {\n}\n"

    /// t is a multiple of 600: both intervals start there.
    static let t: Int64 = 1_700_000_400
    static let app = "10.20.10.10", web = "10.20.0.10", attacker = "198.51.100.23"

    /// web-1 → app-1 tcp/8080 SYN (accepted), app-1 → 1.1.1.1 udp/53 through nat-a at t and t+120, an SSH
    /// SYN from the internet to web-1 (REJECT: sg web admits only 443).
    static func replays() throws -> (CompiledFlowNetwork, FlowLogPlan, [Int64: FlowLogRecords]) {
        let base = try #require(repositoryFile("Topologies/flowlogs-session.vpc"))
        let (topology, diagnostics) = TopologyLoader.load(base + hub + flowLogs, file: "flowlogs-session.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.rendered))")
        let network = CompiledFlowNetwork(topology)
        let plan = try network.flowLogPlan()
        let packets = [
            Timed(time: t, frame: Craft.tcp(web, 40000, app, 8080, SYN).ethernet()),
            Timed(time: t, frame: Craft.udp(app, 41001, "1.1.1.1", 53, payload: 30).ethernet()),
            Timed(time: t + 1, frame: Craft.tcp(attacker, 52122, web, 22, SYN).ethernet()),
            Timed(time: t + 120, frame: Craft.udp(app, 41001, "1.1.1.1", 53, payload: 30).ethernet()),
        ]
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "flowLogResources")
        var records: [Int64: FlowLogRecords] = [:]
        for interval in plan.intervals {
            var options = ReplayOptions()
            options.interval = interval
            var replay = FlowReplay(network: network, options: options)
            try replay.replayCapture(path: path)
            records[interval] = replay.records()
        }
        return (network, plan, records)
    }

    static func lines(_ log: ResolvedFlowLog, _ network: CompiledFlowNetwork, _ records: [Int64: FlowLogRecords]) -> [String] {
        let renderer = FlowLogRenderer(format: log.format, interfaces: network.interfaces)
        return log.records(from: records[log.interval] ?? FlowLogRecords()).map(renderer.line)
    }

    @Test func scopeFilterFormatAndIntervalPerFlowLog() throws {
        let (network, plan, records) = try Self.replays()
        #expect(plan.intervals == [60, 600])
        // The TGW flow log is resolved apart (its records are the transit gateway's; this one has no attachments).
        #expect(plan.transitGatewayLogs.map(\.name) == ["hub"] && plan.transitGatewayLogs[0].inScope == [false, false, false])
        #expect(plan.names == ["all-shop", "public-rejects", "app-nic", "nat-cw", "public-cw", "hub"])
        let byName = Dictionary(uniqueKeysWithValues: plan.logs.map { ($0.name, $0) })
        let web1 = network.interfaces[0].interfaceID, nat = network.interfaces[2].interfaceID
        #expect(network.interfaces[2].isNATGateway)

        // VPC scope: every interface, NAT gateway included; every action; default format and id from the name.
        let all = try #require(byName["all-shop"])
        #expect(all.inScope == [true, true, true])
        #expect(all.id.hasPrefix("fl-0") && all.id.utf8.count == 20)
        let allRecords = all.records(from: try #require(records[600]))
        #expect(allRecords.count == records[600]?.count)
        #expect(Set(allRecords.map(\.interface)) == [0, 1, 2])
        #expect(Self.lines(all, network, records).allSatisfy { $0.hasPrefix("2 111122223333 eni-") && $0.hasSuffix(" OK") })

        // Subnet public-a (web-1 and nat-a), REJECT only: the SSH attempt on web-1, nothing of nat-a.
        let rejects = try #require(byName["public-rejects"])
        #expect(rejects.inScope == [true, false, true])
        #expect(Self.lines(rejects, network, records) == ["\(web1) \(Self.attacker) 22 REJECT"])

        // One interface, 60-second interval: the DNS query at t and the one at t+120 are two records.
        let appNIC = try #require(byName["app-nic"])
        #expect(appNIC.inScope == [false, true, false] && appNIC.id == "fl-0app")
        #expect(Self.lines(appNIC, network, records) == [
            "\(Self.web) \(Self.app) 1 \(Self.t)",
            "\(Self.app) 1.1.1.1 1 \(Self.t)",
            "\(Self.app) 1.1.1.1 1 \(Self.t + 120)",
        ])

        // ACCEPT only on nat-a, 600-second interval: the queries in from app-1 are one record (one flow, 120 s
        // idle); out from the NAT's address they are two, the NAT's UDP mapping having timed out (ports 1024, 1025).
        let natCW = try #require(byName["nat-cw"])
        #expect(natCW.inScope == [false, false, true] && natCW.log.traffic == .accept)
        #expect(Self.lines(natCW, network, records) == [
            "\(nat) \(Self.app) 10.20.0.50", "\(nat) 10.20.0.50 1.1.1.1", "\(nat) 10.20.0.50 1.1.1.1",
        ])
    }

    @Test func destinationsLayOutFilesAsAWSDelivers() throws {
        let (network, plan, records) = try Self.replays()
        let objects = try FlowLogDelivery.objects(plan.logs, records: { records[$0] ?? FlowLogRecords() },
                                                  interfaces: network.interfaces, defaultRegion: "us-east-1")
        let keys = objects.map(\.key)
        let web1 = network.interfaces[0].interfaceID, nat = network.interfaces[2].interfaceID
        let all = try #require(plan.logs.first { $0.name == "all-shop" })
        // Default destination: the plain layout at the top of --out, named with the flow log's id.
        #expect(keys.contains { $0.hasPrefix("AWSLogs/111122223333/vpcflowlogs/us-east-1/2023/11/14/111122223333_vpcflowlogs_us-east-1_\(all.id)_20231114T2220Z_") })
        // Bucket and prefix folders, Hive-compatible names, the hour folder.
        #expect(keys.contains { $0.hasPrefix("shop-logs/prod/vpc/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2023/month=11/day=14/hour=22/111122223333_vpcflowlogs_us-east-1_fl-0app_20231114T2220Z_") && $0.hasSuffix(".log.gz") })
        // CloudWatch: one stream per interface and filter; nat-cw and public-cw share nat-a's stream.
        let natStream = "cloudwatch/%2Faws%2Fvpc%2Fshop/\(nat)-accept.jsonl"
        let webStream = "cloudwatch/%2Faws%2Fvpc%2Fshop/\(web1)-accept.jsonl"
        #expect(keys.filter { $0.hasPrefix("cloudwatch/") }.sorted() == [natStream, webStream].sorted())
        let natText = String(decoding: try #require(objects.first { $0.key == natStream }).contents, as: UTF8.self)
        let natLines = natText.split(separator: "\n").map(String.init)
        #expect(natLines.count == 6)  // 3 records, from each of the two flow logs
        #expect(natLines.first == #"{"timestamp":\#(Self.t * 1000),"message":"\#(nat) \#(Self.app) 10.20.0.50"}"#)
        #expect(natLines.last == #"{"timestamp":\#((Self.t + 120) * 1000),"message":"\#(nat) 10.20.0.50 1.1.1.1"}"#)
        // web-1's accepted traffic (the SYN to app-1), not the rejected SSH attempt.
        let webText = String(decoding: try #require(objects.first { $0.key == webStream }).contents, as: UTF8.self)
        #expect(webText == #"{"timestamp":\#(Self.t * 1000),"message":"\#(web1) \#(Self.web) \#(Self.app)"}"# + "\n")
        // Every key is writable under the output folder.
        #expect(objects.allSatisfy { $0.key.split(separator: "/").allSatisfy(AWSIdentifier.isSafePathComponent) })
    }

    @Test func groupNamesBecomeOneFolder() {
        #expect(FlowLogDelivery.cloudWatchFolder("/aws/vpc/../x") == "%2Faws%2Fvpc%2F..%2Fx")
        #expect(FlowLogDelivery.cloudWatchFolder("..") == "%2E.")
        #expect(FlowLogDelivery.cloudWatchFolder("flows#1") == "flows#1")
        #expect(FlowLogDelivery.streamName(interfaceID: "eni-1", traffic: .all) == "eni-1-all")
    }

    @Test func trafficFilters() {
        #expect(FlowLog.Traffic.all.admits(accepted: true) && FlowLog.Traffic.all.admits(accepted: false))
        #expect(FlowLog.Traffic.accept.admits(accepted: true) && !FlowLog.Traffic.accept.admits(accepted: false))
        #expect(!FlowLog.Traffic.reject.admits(accepted: true) && FlowLog.Traffic.reject.admits(accepted: false))
    }

    /// The language's field list and the renderer's agree (NetworkModel cannot see FlowLogs' enum).
    @Test func languageFieldsAreTheRenderersFields() {
        #expect(FlowLog.fieldNames == FlowLogField.allCases.map(\.rawValue))
    }
}
