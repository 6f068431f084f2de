import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// `--nodata` (Docs/SEMANTICS.md "NODATA"): a NODATA record for each interface with no traffic in an aggregation
/// interval of the replay's span, written as AWS does (`2 ACCOUNT eni-… - - - - - - - START END - NODATA`,
/// semantics.md §11). The capture is FlowLogResourceTests' (web-1 → app-1 at t, app-1's DNS query through nat-a
/// at t and t+120, an SSH probe of web-1 at t+1), replayed with 60-second intervals: t+60 is an interval with no
/// traffic at all, and at t+120 only app-1 and nat-a have traffic.
@Suite struct NoDataTests {
    static let t = FlowLogResourceTests.t

    static func replay() throws -> (CompiledFlowNetwork, FlowLogPlan, FlowLogRecords) {
        let (network, plan, records) = try FlowLogResourceTests.replays()
        return (network, plan, try #require(records[60]))
    }

    @Test func oneNoDataRecordPerQuietInterfacePerInterval() throws {
        let (network, _, records) = try Self.replay()
        let all = try #require(records.addingNoData(interfaces: network.interfaces.count, interval: 60))
        let renderer = FlowLogRenderer(format: .default, interfaces: network.interfaces)
        let eni = network.interfaces.map(\.interfaceID)
        let t = Self.t
        let noData = all.filter(\.isNoData).map(renderer.line)
        // t+60…t+119: nobody; t+120: only web-1 is quiet, and the span ends at the last packet (t+120).
        #expect(noData == [
            "2 111122223333 \(eni[0]) - - - - - - - \(t + 60) \(t + 119) - NODATA",
            "2 111122223333 \(eni[1]) - - - - - - - \(t + 60) \(t + 119) - NODATA",
            "2 111122223333 \(eni[2]) - - - - - - - \(t + 60) \(t + 119) - NODATA",
            "2 111122223333 \(eni[0]) - - - - - - - \(t + 120) \(t + 120) - NODATA",
        ])
        // The traffic records are unchanged and in order; each interval's NODATA records follow its traffic.
        #expect(Array(all.filter { !$0.isNoData }) == Array(records))
        #expect(all.map(\.intervalStart) == all.map(\.intervalStart).sorted())
        #expect(all.count == records.count + 4)
        // Custom formats: the interface's own fields stay, traffic fields are '-'; JSON has null for them.
        let custom = FlowLogRenderer(format: try FlowLogFormat(parsing: "${version} ${vpc-id} ${interface-id} ${srcaddr} ${packets} ${tcp-flags} ${flow-direction} ${action} ${log-status}"),
                                     interfaces: network.interfaces)
        let firstNoData = all.first { $0.isNoData }
        let first = try #require(firstNoData)
        #expect(custom.line(first) == "5 \(network.interfaces[0].vpcID) \(eni[0]) - - - - - NODATA")
        #expect(custom.json(first).serialized().contains("\"packets\":null"))
        #expect(custom.json(first).serialized().contains("\"log-status\":\"NODATA\""))
    }

    @Test func flowLogResourcesGetTheNoDataOfTheirScopeWhateverTheirFilter() throws {
        let (network, plan, records) = try Self.replay()
        let all = try #require(records.addingNoData(interfaces: network.interfaces.count, interval: 60))
        let rejects = try #require(plan.logs.first { $0.name == "public-rejects" })  // subnet public-a, REJECT only
        let selected = rejects.records(from: all)
        let eni = network.interfaces.map(\.interfaceID)
        let renderer = FlowLogRenderer(format: rejects.format, interfaces: network.interfaces)
        #expect(selected.map(renderer.line) == [
            "\(eni[0]) 198.51.100.23 22 REJECT",
            "\(eni[0]) - - -", "\(eni[2]) - - -",  // t+60 (app-1 is not in public-a)
            "\(eni[0]) - - -",  // t+120
        ])
    }

    @Test func noTrafficNoSpanAndAHugeSpanIsRefused() throws {
        #expect(FlowLogRecords().addingNoData(interfaces: 3, interval: 60)?.isEmpty == true)
        let (network, _, records) = try Self.replay()
        // Three intervals × three interfaces would exceed a limit of 5 NODATA records.
        #expect(records.addingNoData(interfaces: network.interfaces.count, interval: 60, limit: 5) == nil)
    }
}
