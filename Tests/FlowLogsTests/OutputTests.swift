import Testing
import Reporting
@testable import FlowLogs

@Test func civilDatesMatchKnownTimestamps() {
    #expect(S3Delivery.civil(0) == (1970, 1, 1, 0, 0))
    #expect(S3Delivery.civil(1_529_511_600) == (2018, 6, 20, 16, 20))  // AWS's example file name 20180620T1620Z
    #expect(S3Delivery.civil(951_782_400) == (2000, 2, 29, 0, 0))
}

@Test func s3DeliveryUsesAWSLayoutAndGzip() throws {
    let network = webAndApp()
    var options = ReplayOptions()
    options.interval = 60
    var replay = FlowReplay(network: network, options: options)
    var p = DecodedPacket()
    p.source = v4("10.0.2.20"); p.destination = v4("10.0.1.10"); p.ipProtocol = 6
    p.sourcePort = 40000; p.destinationPort = 443; p.tcpFlags = SYN; p.ipLength = 60
    replay.process(p, at: 1_529_511_659)   // 16:20:59
    replay.process(p, at: 1_529_511_900)   // 16:25:00: next 5-minute file
    let renderer = FlowLogRenderer(format: .default, interfaces: network.interfaces)
    let objects = try #require(S3Delivery.objects(replay.records(), renderer: renderer, flowLogID: "fl-1234abcd", defaultRegion: "eu-west-1"))
    try #require(objects.count == 2)
    let key = objects[0].key
    #expect(key.hasPrefix("AWSLogs/123456789010/vpcflowlogs/us-east-1/2018/06/20/123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_"))
    #expect(key.hasSuffix(".log.gz"))
    #expect(objects[1].key.contains("_20180620T1625Z_"))
    #expect(Array(objects[0].contents.prefix(3)) == [0x1f, 0x8b, 0x08])
}

@Test func jsonDocumentTypesIntegersAndNulls() throws {
    let network = webAndApp()
    var replay = FlowReplay(network: network)
    var p = DecodedPacket()
    p.source = v4("10.0.2.20"); p.destination = v4("10.0.1.10"); p.ipProtocol = 17
    p.sourcePort = 5000; p.destinationPort = 53; p.ipLength = 60
    replay.process(p, at: 100)
    let renderer = FlowLogRenderer(format: try FlowLogFormat(parsing: "${srcport} ${action} ${traffic-path}"), interfaces: network.interfaces)
    let json = renderer.jsonDocument(replay.records(), summary: replay.summary).serialized()
    #expect(json.hasPrefix(#"{"version":5,"format":"${srcport} ${action} ${traffic-path}","records":[{"srcport":5000,"action":"ACCEPT","traffic-path":1},{"srcport":5000,"action":"REJECT","traffic-path":null}]"#))
    #expect(json.contains(#""packets-read":1"#))
}
