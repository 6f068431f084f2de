import Glibc
import Testing
@testable import FlowLogs

// Several captures as one timeline (CaptureMerge), --window, folder inputs and output tags (Docs/SEMANTICS.md
// "Many captures, many machines").

/// The network of `replayFile`: web admits UDP and TCP 443, app admits nothing inbound (replies only when tracked).
private func network() -> ToyNetwork {
    var n = webAndApp()
    n.hosts[0].sgIn.append((17, 0))
    return n
}

private func lines(_ replay: inout FlowReplay<ToyNetwork>) -> [String] {
    let renderer = FlowLogRenderer(format: .default, interfaces: replay.network.interfaces)
    return replay.records().map(renderer.line)
}

/// Records of one capture file, read as a file.
private func replayOne(_ path: String, interval: Int64 = 60) -> [String] {
    var options = ReplayOptions()
    options.interval = interval
    var replay = FlowReplay(network: network(), options: options)
    try? replay.replayCapture(path: path)
    return lines(&replay)
}

/// Records of `paths` merged by packet time, with the merge.
private func replayMerged(_ paths: [String], window: CaptureWindow? = nil, interval: Int64 = 60) -> ([String], CaptureMerge?, ReplaySummary) {
    var options = ReplayOptions()
    options.interval = interval
    var replay = FlowReplay(network: network(), options: options)
    guard let merge = try? CaptureMerge(paths: paths, window: window) else { return ([], nil, replay.summary) }
    replay.replayCaptures(merge)
    return (lines(&replay), merge, replay.summary)
}

/// 60 UDP exchanges app -> web:53 with web's replies (a reply that lost its connection would be REJECTed at
/// app), over several 60 s intervals, every packet at its own microsecond.
private func conversation() -> [Timed] {
    var packets: [Timed] = []
    for i in 0..<60 {
        let port = UInt16(20000 + i % 7)
        let t = Int64(1_796_688_000 + i * 7)
        packets.append(Timed(time: t, micros: Int32(i), frame: Craft.udp("10.0.2.20", port, "10.0.1.10", 53, payload: i).ethernet()))
        packets.append(Timed(time: t + 3, micros: Int32(500_000 + i), frame: Craft.udp("10.0.1.10", 53, "10.0.2.20", port, payload: 2 * i).ethernet()))
    }
    return packets
}

@Test func mergedCapturesReplayAsOneCaptureHoldingAllPackets() {
    let all = conversation()
    let whole = CaptureWriter.write(CaptureWriter.pcap(all), name: "merge-whole.pcap")
    let expected = replayOne(whole)
    #expect(expected.count > 20)
    #expect(!expected.contains { $0.contains("REJECT") }, "\(expected)")
    // Interleaved: packet i goes to file i % 3 (one of them pcapng), so every connection spans files.
    let parts = (0..<3).map { k in all.enumerated().filter { $0.offset % 3 == k }.map(\.element) }
    let paths = [
        CaptureWriter.write(CaptureWriter.pcap(parts[0]), name: "merge-0.pcap"),
        CaptureWriter.write(CaptureWriter.pcapng(parts[1]), name: "merge-1.pcapng"),
        CaptureWriter.write(CaptureWriter.pcap(parts[2]), name: "merge-2.pcap"),
    ]
    let (merged, merge, summary) = replayMerged(paths)
    #expect(merged == expected)
    #expect(summary.packetsRead == all.count)
    #expect(merge?.problems == [])
    // The order of the list does not matter when no two packets share a time.
    #expect(replayMerged(Array(paths.reversed())).0 == expected)
    // Each on its own loses the connections: replies become flows of their own, REJECTed at app.
    var one = FlowReplay(network: network(), options: { var o = ReplayOptions(); o.interval = 60; return o }())
    try? one.replayCapture(path: paths[1])
    #expect(lines(&one).contains { $0.contains("REJECT") })
}

@Test func manyCapturesAreReopenedWhenReachedAndStillMergeExactly() {
    // 24 captures (more than the 16 kept open), consecutive in time except two that overlap the others.
    let all = conversation()
    let chunk = all.count / 24
    var paths: [String] = []
    for k in 0..<24 {
        let part = Array(all[(k * chunk)..<min(all.count, (k + 1) * chunk)])
        paths.append(CaptureWriter.write(CaptureWriter.pcap(part), name: "rotate-\(k).pcap"))
    }
    let rest = Array(all[(24 * chunk)...])
    if !rest.isEmpty { paths.append(CaptureWriter.write(CaptureWriter.pcap(rest), name: "rotate-rest.pcap")) }
    let whole = CaptureWriter.write(CaptureWriter.pcap(all), name: "rotate-whole.pcap")
    let (merged, merge, summary) = replayMerged(paths.shuffled())
    #expect(merged == replayOne(whole))
    #expect(summary.packetsRead == all.count)
    #expect(merge?.heap.isEmpty == true)
    #expect(merge?.totalBytes == paths.reduce(0) { total, p in
        var s = stat()
        return total + (stat(p, &s) == 0 ? Int(s.st_size) : 0)
    })
}

@Test func equalTimesGoInListOrderThenFilePosition() {
    let x = Craft.udp("10.0.2.20", 1111, "10.0.1.10", 53).ethernet()
    let y = Craft.udp("10.0.2.20", 2222, "10.0.1.10", 53).ethernet()
    let a = CaptureWriter.write(CaptureWriter.pcap([Timed(time: 100, frame: x)]), name: "tie-a.pcap")
    let b = CaptureWriter.write(CaptureWriter.pcap([Timed(time: 100, frame: y)]), name: "tie-b.pcap")
    let ab = replayMerged([a, b]).0, ba = replayMerged([b, a]).0
    #expect(ab.count == 4)
    #expect(ab.first?.contains(" 1111 53 ") == true, "\(ab)")
    #expect(ba.first?.contains(" 2222 53 ") == true, "\(ba)")
}

@Test func aTruncatedOrMissingCaptureIsReportedAndTheOthersGoOn() {
    let all = conversation()
    let good = CaptureWriter.write(CaptureWriter.pcap(Array(all[0..<40])), name: "bad-good.pcap")
    var cut = CaptureWriter.pcap(Array(all[40..<60]))
    cut.removeLast(10)  // the 20th packet is cut short
    let truncated = CaptureWriter.write(cut, name: "bad-cut.pcap")
    let missing = "/tmp/vpckit-flowlogs-test-\(getpid())-no-such.pcap"
    let (merged, merge, summary) = replayMerged([good, missing, truncated])
    #expect(summary.packetsRead == 59)
    #expect(!merged.isEmpty)
    let problems = merge?.problems ?? []
    #expect(problems.count == 2)
    #expect(problems.first?.path == missing)
    if case .open? = problems.first?.error {} else { Issue.record("missing capture: \(problems)") }
    #expect(problems.last?.path == truncated)
    if case .read(20, _)? = problems.last?.error {} else { Issue.record("truncated capture: \(problems)") }
}

@Test func windowKeepsPacketsFromStartUpToButNotIncludingEnd() throws {
    let frame = { (p: UInt16) in Craft.udp("10.0.2.20", p, "10.0.1.10", 53).ethernet() }
    let packets = [
        Timed(time: 999, micros: 999_999, frame: frame(1)),  // before START
        Timed(time: 1000, micros: 0, frame: frame(2)),  // at START: counted
        Timed(time: 1059, micros: 999_999, frame: frame(3)),  // last microsecond before END: counted
        Timed(time: 1060, micros: 0, frame: frame(4)),  // at END: not counted
    ]
    let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "window.pcap")
    let window = try #require(CaptureWindow(start: 1000, end: 1060))
    let (records, merge, summary) = replayMerged([path], window: window)
    #expect(summary.packetsRead == 2)
    #expect(merge?.outsideWindow == 2)
    let ports = Set(records.map { $0.split(separator: " ")[5] })
    #expect(ports == ["2", "3"], "\(records)")
    // Two windows that cut one interval give records that sum to the one replay's.
    let halves = [try #require(CaptureWindow(start: 0, end: 1030)), try #require(CaptureWindow(start: 1030, end: 2000))]
    let same = (1...4).map { Timed(time: 1016 + Int64($0) * 6, frame: frame(9)) }  // 1022…1040: one 60 s interval
    let p2 = CaptureWriter.write(CaptureWriter.pcap(same), name: "window-same.pcap")
    let split = halves.flatMap { replayMerged([p2], window: $0).0 }
    #expect(replayOne(p2).count == 2)
    #expect(split.count == 4)  // each window: one record per interface, the same interval
    let packetsOf = { (line: String) in Int(line.split(separator: " ")[8]) ?? 0 }
    #expect(split.map(packetsOf).reduce(0, +) == replayOne(p2).map(packetsOf).reduce(0, +))
}

@Test func windowsParseFromRFC3339AndUnixSeconds() throws {
    #expect(try CaptureWindow(parsing: "2026-12-08T00:00:00Z/2026-12-08T01:00:00Z") == CaptureWindow(start: 1_796_688_000, end: 1_796_691_600))
    #expect(try CaptureWindow(parsing: "2026-12-08T01:00:00+01:00/1796691600") == CaptureWindow(start: 1_796_688_000, end: 1_796_691_600))
    #expect(try CaptureWindow(parsing: "0/4294967296") == CaptureWindow(start: 0, end: 4_294_967_296))
    #expect(try CaptureWindow(parsing: "1970-01-01t00:00:00z/2000-02-29T00:00:00-00:30").end == 951_784_200)
    for bad in ["100", "100/100", "200/100", "a/b", "2026-12-08T00:00:00.5Z/1796691600", "2026-02-30T00:00:00Z/1796691600",
                "2026-12-08T00:00:00/1796691600", "0/4294967297", "/100"] {
        #expect(throws: CaptureWindowError.self, "\(bad)") { try CaptureWindow(parsing: bad) }
    }
}

@Test func aFolderGivesItsCapturesByName() throws {
    let folder = "/tmp/vpckit-flowlogs-test-\(getpid())-folder"
    mkdir(folder, 0o755)
    mkdir(folder + "/sub.pcap", 0o755)
    let bytes = CaptureWriter.pcap([])
    for name in ["b.pcap", "a.PCAPNG", "c.cap", ".hidden.pcap", "notes.txt", "pcap"] {
        guard let f = fopen(folder + "/" + name, "wb") else { continue }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
    let paths = try CaptureInputs.expand(["x.pcap", folder + "/", "-"])
    #expect(paths == ["x.pcap", folder + "/a.PCAPNG", folder + "/b.pcap", folder + "/c.cap", "-"])
    let empty = folder + "/sub.pcap"
    #expect(throws: CaptureInputError.emptyFolder(empty)) { try CaptureInputs.expand([empty]) }
}

@Test func outputTagsKeepNamesApart() throws {
    #expect(OutputTag.isShardID("a7"))
    #expect(OutputTag.isShardID("job-12-B"))
    #expect(OutputTag.isShardID(String(repeating: "x", count: 32)))
    for bad in ["", String(repeating: "x", count: 33), "a/b", "a.b", "a_b", "é", "../x", "a b"] { #expect(!OutputTag.isShardID(bad), "\(bad)") }
    #expect(OutputTag().text == nil)
    let window = try #require(CaptureWindow(start: 1_796_688_000, end: 1_796_691_600))
    #expect(OutputTag(window: window, shard: "a7", capture: 3).text == "window-1796688000-1796691600.shard-a7.capture-3")
    // The same records under two tags: two names, AWS's fields kept (six '_'-separated fields, the hash last).
    let path = CaptureWriter.write(CaptureWriter.pcap(conversation()), name: "tags.pcap")
    var replay = FlowReplay(network: network())
    try replay.replayCapture(path: path)
    let records = replay.records()
    let renderer = FlowLogRenderer(format: .default, interfaces: replay.network.interfaces)
    func keys(_ tag: String?) throws -> [String] {
        try S3Delivery.objects(records, renderer: renderer, flowLogID: "fl-1", defaultRegion: "us-east-1",
                               layout: S3Layout(objectTag: tag)).map(\.key)
    }
    let plain = try keys(nil), one = try keys("capture-1"), two = try keys("capture-2"), shard = try keys("shard-b.capture-1")
    #expect(!plain.isEmpty)
    #expect(Set(plain + one + two + shard).count == 4 * plain.count)
    for key in one {
        let name = String(key.split(separator: "/").last ?? "")
        let fields = name.split(separator: "_")
        #expect(fields.count == 6, "\(name)")
        #expect(fields.last?.hasPrefix("capture-1.") == true && name.hasSuffix(".log.gz"), "\(name)")
    }
}
