import Testing
@testable import FlowLogs
import TestSupport

// Captures read from memory (`CaptureFile(bytes:name:)`, `replayCapture(bytes:name:)`): the capture fuzz target's
// entry point, through the same libpcap reader as files (Docs/FUZZING.md).

/// Replays `bytes` from memory, as `replayFile` replays them from a file.
func replayMemory(_ bytes: [UInt8], name: String) -> (ReplaySummary, [String], CaptureError?) {
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 0))
    var replay = FlowReplay(network: network)
    var failure: CaptureError? = nil
    do { try replay.replayCapture(bytes: bytes, name: name) } catch { failure = error }
    let renderer = FlowLogRenderer(format: .default, interfaces: network.interfaces)
    return (replay.summary, replay.records().map(renderer.line), failure)
}

@Test func capturesInMemoryReplayLikeFiles() {
    let frames = [Timed(time: 100, micros: 5, frame: udpPacket.ethernet()), Timed(time: 160, frame: udpPacket.ethernet(vlans: [7]))]
    for (bytes, name) in [(CaptureWriter.pcap(frames), "pcap"), (CaptureWriter.pcapng(frames), "pcapng")] {
        let fromFile = replayFile(bytes, name: name)
        let fromMemory = replayMemory(bytes, name: name)
        #expect(fromMemory.0 == fromFile.0, "\(name)")
        #expect(fromMemory.1 == fromFile.1, "\(name)")
        #expect(fromMemory.2 == nil && fromFile.2 == nil, "\(name)")
        #expect(fromMemory.0.packetsRead == 2)
    }
}

@Test func badCapturesInMemoryAreErrorsNamingTheInput() {
    // Empty, not a capture, a header cut short: open errors naming the input; a cut packet: a read error.
    for bytes in [[], Array("not a capture at all".utf8), Array(CaptureWriter.pcap([]).prefix(10))] as [[UInt8]] {
        let (_, lines, error) = replayMemory(bytes, name: "mem.pcap")
        guard case .open(let path, let message)? = error else {
            Issue.record("expected an open error, got \(String(describing: error))")
            continue
        }
        #expect(path == "mem.pcap")
        #expect(!message.isEmpty)
        #expect(lines.isEmpty)
    }
    let whole = CaptureWriter.pcap([Timed(time: 100, frame: udpPacket.ethernet()), Timed(time: 101, frame: udpPacket.ethernet())])
    let (summary, _, error) = replayMemory(Array(whole.dropLast(5)), name: "cut.pcap")
    #expect(summary.packetsRead == 1)
    guard case .read(let n, _)? = error else { Issue.record("expected a read error, got \(String(describing: error))"); return }
    #expect(n == 2)
}

@Test func memoryCapturesKeepTheirLinkTypeAndTimes() throws {
    var capture = try CaptureFile(bytes: CaptureWriter.pcap([Timed(time: 4_000_000_000, frame: udpPacket.ip)], dlt: 101), name: "raw")
    #expect(capture.linkType == 12)  // libpcap reads LINKTYPE_RAW (101) as DLT_RAW (12)
    let seconds = try capture.next { header, _ in header.seconds }
    #expect(seconds == 4_000_000_000)  // classic pcap: unsigned 32-bit seconds
    #expect(try capture.next { _, _ in 0 } == nil)
}
