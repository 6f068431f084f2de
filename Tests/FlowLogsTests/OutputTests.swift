import Testing
import TestSupport
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
    let objects = try S3Delivery.objects(replay.records(), renderer: renderer, flowLogID: "fl-1234abcd", defaultRegion: "eu-west-1")
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

@Test func awsIdentifiersFollowAWSGrammar() {
    for good in ["us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "eu-central-1", "us-isob-east-1"] {
        #expect(AWSIdentifier.isRegion(good), "\(good)")
    }
    for bad in ["", "us-east", "us-east-", "-us-east-1", "US-EAST-1", "us--east-1", "us-east-1/..", "../../../tmp/probe/ESC",
                "us-east-1a", "us-east-1234", "/us-east-1"] {
        #expect(!AWSIdentifier.isRegion(bad), "\(bad)")
    }
    #expect(AWSIdentifier.isAccountID("111122223333"))
    for bad in ["x", "x/../../..", "11112222333", "1111222233334", "11112222333a", "١١١١٢٢٢٢٣٣٣٣"] {
        #expect(!AWSIdentifier.isAccountID(bad), "\(bad)")
    }
    #expect(AWSIdentifier.isFlowLogID("fl-0123456789abcdef0"))
    for bad in ["fl-", "fl-../x", "FL-1", "fl-a/b", "x"] { #expect(!AWSIdentifier.isFlowLogID(bad), "\(bad)") }
    for bad in ["", ".", "..", ".hidden", "a/b", "a\u{0}b"] { #expect(!AWSIdentifier.isSafePathComponent(bad), "\(bad)") }
}

@Test func s3DeliveryRefusesAccountsAndRegionsThatAreNotAWSIdentifiers() throws {
    let network = webAndApp()
    var p = DecodedPacket()
    p.source = v4("10.0.2.20"); p.destination = v4("10.0.1.10"); p.ipProtocol = 17
    p.sourcePort = 5000; p.destinationPort = 53; p.ipLength = 60
    var replay = FlowReplay(network: network)
    replay.process(p, at: 100)
    let records = replay.records()
    func objects(_ interfaces: [FlowInterface], region: String = "us-east-1", id: String = "fl-1") throws(S3DeliveryError) -> [S3Object] {
        try S3Delivery.objects(records, renderer: FlowLogRenderer(format: .default, interfaces: interfaces), flowLogID: id, defaultRegion: region)
    }
    var interfaces = network.interfaces
    #expect(try objects(interfaces).count == 1)
    #expect(throws: S3DeliveryError.invalidFlowLogID("../x")) { try objects(interfaces, id: "../x") }
    for i in interfaces.indices { interfaces[i].region = nil }
    #expect(throws: S3DeliveryError.self) { try objects(interfaces, region: "../../tmp") }
    for i in interfaces.indices { interfaces[i].accountID = "x/../.." }
    #expect(throws: S3DeliveryError.self) { try objects(interfaces) }
    do { _ = try objects(interfaces); Issue.record("accepted") } catch {
        guard case .invalidAccount("x/../..", _) = error else { Issue.record("\(error)"); return }
    }
}

@Test func s3WriteStaysInsideTheFolder() throws {
    let base = temporaryFolder(prefix: "vpckit-s3")
    defer { removeTree(base) }
    let object = S3Object(key: "AWSLogs/111122223333/x.log.gz", contents: [1, 2, 3])
    try S3Delivery.write([object], under: base + "/out")
    #expect(fileBytes(base + "/out/AWSLogs/111122223333/x.log.gz") == [1, 2, 3])
    #expect(folderEntries(base + "/out/AWSLogs/111122223333") == ["x.log.gz"])
    for key in ["AWSLogs/../../escape", "/abs", "AWSLogs//x", "AWSLogs/./x", ""] {
        #expect(throws: S3DeliveryError.unsafeKey(key)) { try S3Delivery.write([S3Object(key: key, contents: [1])], under: base + "/out") }
    }
    // A symbolic link inside the folder is refused, not followed.
    try makeFolders(base + "/outside")
    try makeFolders(base + "/sym")
    try makeSymbolicLink(at: base + "/sym/AWSLogs", to: base + "/outside")
    #expect(throws: (any Error).self) { try S3Delivery.write([object], under: base + "/sym") }
    #expect(folderEntries(base + "/outside").isEmpty)
}
