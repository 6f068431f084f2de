import Testing
@testable import FlowLogs

// The terminal progress line of a long replay (issue 21, point 6): `ReplayProgress.line(elapsed:)` and its parts.

@Test func progressLineShowsBytesRateRecordsAndTimeLeft() {
    let p = ReplayProgress(packetsRead: 4_000_000, bytesRead: 750_000_000, totalBytes: 1_937_871_624, records: 712_345)
    // 4 M packets in 0.5 s; 750 MB of 1.94 GB read in 0.5 s: 1.19 GB left at 1.5 GB/s is 0.79 s → rounded up.
    #expect(p.line(elapsed: 0.5) == "750.0 MB of 1.9 GB (38%) · 8.0M packets/s · 712,345 records · 0:01 left")
    let later = ReplayProgress(packetsRead: 30_000, bytesRead: 2_500, totalBytes: 10_000, records: 3)
    #expect(later.line(elapsed: 1_200) == "2.5 KB of 10.0 KB (25%) · 25 packets/s · 3 records · 1:00:00 left")
}

@Test func progressLineWithoutATotalOrTimeHasNoPercentageRateOrTimeLeft() {
    let stdin = ReplayProgress(packetsRead: 65_536, bytesRead: 999, totalBytes: nil, records: 1_000)
    #expect(stdin.line(elapsed: 2) == "999 B read · 32.8K packets/s · 1,000 records")
    #expect(stdin.line(elapsed: 0) == "999 B read · 1,000 records")
    let done = ReplayProgress(packetsRead: 10, bytesRead: 10_000, totalBytes: 10_000, records: 0)
    #expect(done.line(elapsed: 1) == "10.0 KB of 10.0 KB (100%) · 10 packets/s · 0 records · 0:00 left")
}

@Test func progressNumbersAreRoundedAndGrouped() {
    #expect(ReplayProgress.size(0) == "0 B")
    #expect(ReplayProgress.size(999) == "999 B")
    #expect(ReplayProgress.size(1_000) == "1.0 KB")
    #expect(ReplayProgress.size(999_949) == "999.9 KB")
    #expect(ReplayProgress.size(999_950) == "1.0 MB")  // no "1000.0 KB"
    #expect(ReplayProgress.size(3_000_000_000_000_000) == "3000.0 TB")
    #expect(ReplayProgress.rate(999.9) == "999")
    #expect(ReplayProgress.rate(999_949) == "999.9K")
    #expect(ReplayProgress.rate(999_950) == "1.0M")
    #expect(ReplayProgress.rate(.infinity) == "0")
    #expect(ReplayProgress.grouped(0) == "0")
    #expect(ReplayProgress.grouped(999) == "999")
    #expect(ReplayProgress.grouped(1_000) == "1,000")
    #expect(ReplayProgress.grouped(12_345_678) == "12,345,678")
    #expect(ReplayProgress.duration(0.2) == "0:01")
    #expect(ReplayProgress.duration(59) == "0:59")
    #expect(ReplayProgress.duration(3_599) == "59:59")
    #expect(ReplayProgress.duration(3_600) == "1:00:00")
    #expect(ReplayProgress.duration(.nan) == "0:00")
}

@Test func replayReportsBytesPacketsAndRecordsAsItGoes() throws {
    // 40 packets, a report every 16: after 16 and 32 packets, bytes read exactly up to the next record.
    let frame = Craft.udp("10.0.2.20", 7000, "10.0.1.10", 53).ethernet()
    let bytes = CaptureWriter.pcap((0..<40).map { Timed(time: 100 + Int64($0), frame: frame) })
    let path = CaptureWriter.write(bytes, name: "progress")
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 0))
    var replay = FlowReplay(network: network)
    var reports: [ReplayProgress] = []
    try replay.replayCapture(path: path, progressEvery: 16) { reports.append($0) }
    let record = 16 + frame.count
    #expect(reports.map(\.packetsRead) == [16, 32])
    #expect(reports.map(\.bytesRead) == [24 + 16 * record, 24 + 32 * record])
    #expect(reports.allSatisfy { $0.totalBytes == bytes.count })
    #expect(reports.last.map { $0.records > 0 } == true)
}
