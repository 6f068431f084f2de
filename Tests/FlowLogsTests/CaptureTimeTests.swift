import Testing
@testable import FlowLogs

// Capture times are unsigned 32-bit seconds in classic pcap (both byte orders, µs and ns), pcapng's 64-bit
// units per if_tsresol; records are never negative, and times a record cannot hold are skipped and counted.

/// Classic pcap, big-endian, nanosecond magic (0xa1b23c4d), one packet per (seconds, nanoseconds).
func bigEndianNanosecondPcap(_ packets: [(UInt32, UInt32, [UInt8])]) -> [UInt8] {
    var b = Bytes()
    b.u32(0xa1b2_3c4d); b.u16(2); b.u16(4); b.u32(0); b.u32(0); b.u32(65535); b.u32(1)
    for (s, ns, frame) in packets { b.u32(s); b.u32(ns); b.u32(UInt32(frame.count)); b.u32(UInt32(frame.count)); b.data += frame }
    return b.data
}

/// pcapng with one interface whose if_tsresol is `tsresol` (nil: the default, microseconds) and packets at
/// raw 64-bit timestamps.
func pcapngRaw(_ packets: [(UInt64, [UInt8])], tsresol: UInt8? = nil) -> [UInt8] {
    var b = Bytes()
    func block(_ type: UInt32, _ body: [UInt8]) {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        b.le32(type); b.le32(length); b.data += padded; b.le32(length)
    }
    var shb = Bytes(); shb.le32(0x1A2B_3C4D); shb.le16(1); shb.le16(0); shb.le32(0xffff_ffff); shb.le32(0xffff_ffff)
    block(0x0A0D_0D0A, shb.data)
    var idb = Bytes(); idb.le16(1); idb.le16(0); idb.le32(0)
    if let tsresol { idb.le16(9); idb.le16(1); idb.u8(tsresol); idb.data += [0, 0, 0]; idb.le16(0); idb.le16(0) }
    block(1, idb.data)
    for (ts, frame) in packets {
        var epb = Bytes()
        epb.le32(0); epb.le32(UInt32(ts >> 32)); epb.le32(UInt32(ts & 0xffff_ffff))
        epb.le32(UInt32(frame.count)); epb.le32(UInt32(frame.count)); epb.data += frame
        epb.data += [UInt8](repeating: 0, count: (4 - frame.count % 4) % 4)
        block(6, epb.data)
    }
    return b.data
}

let lastSecond = "4294967295 4294967295 ACCEPT OK"

@Test func classicPcapSecondsAreUnsigned() {
    // Little-endian µs: libpcap sign-extends ts_sec (0xFFFFFFFF was -1, a 1969 record).
    let frame = udpPacket.ethernet()
    let (summary, lines, error) = replayFile(CaptureWriter.pcap([Timed(time: 0xFFFF_FFFF, frame: frame)]), name: "ts-max-le")
    #expect(error == nil)
    #expect(summary.skipped(.timeOutOfRange) == 0)
    #expect(lines.count == 2)
    #expect(lines.allSatisfy { $0.hasSuffix(lastSecond) }, "\(lines)")
    // The same second in a big-endian nanosecond file reads the same.
    let (_, beLines, beError) = replayFile(bigEndianNanosecondPcap([(0xFFFF_FFFF, 999_999_999, frame)]), name: "ts-max-be-ns")
    #expect(beError == nil)
    #expect(beLines == lines)
    // 0x80000000 (2038-01-19) is not negative either.
    let (_, mid, _) = replayFile(CaptureWriter.pcap([Timed(time: 0x8000_0000, frame: frame)]), name: "ts-2038")
    #expect(mid.first?.hasSuffix("2147483648 2147483648 ACCEPT OK") == true, "\(mid)")
}

@Test func pcapngTimesBeyondAFlowLogAreSkippedAndCounted() {
    let frame = udpPacket.ethernet()
    // Microsecond units: 2^32 s and later cannot be a record's start/end; the packet in range still is.
    let tooLate = UInt64(1) << 32 * 1_000_000
    let (summary, lines, error) = replayFile(pcapngRaw([(100_000_000, frame), (tooLate, frame), (UInt64.max, frame)]), name: "ng-late")
    #expect(error == nil)
    #expect(summary.packetsRead == 3)
    #expect(summary.skipped(.timeOutOfRange) == 2)
    #expect(lines == udpRecords)
    // if_tsresol 0 (units of 1 s): 2^63 s and more came back from libpcap negative; skipped too.
    let (s2, l2, e2) = replayFile(pcapngRaw([(UInt64(1) << 63, frame), (0xFFFF_FFFF, frame)], tsresol: 0), name: "ng-seconds")
    #expect(e2 == nil)
    #expect(s2.skipped(.timeOutOfRange) == 1)
    #expect(l2.count == 2 && l2.allSatisfy { $0.hasSuffix(lastSecond) }, "\(l2)")
}

@Test func recordsAtTheLastSecondGetA2106Path() throws {
    #expect(S3Delivery.civil(Int64(UInt32.max)) == (2106, 2, 7, 6, 28))
    var replay = FlowReplay(network: webAndApp())
    var p = DecodedPacket()
    p.source = v4("10.0.2.20"); p.destination = v4("10.0.1.10"); p.ipProtocol = 17
    p.sourcePort = 5000; p.destinationPort = 53; p.ipLength = 60
    replay.process(p, at: -1)
    replay.process(p, at: Int64(UInt32.max) + 1)
    #expect(replay.summary.skipped(.timeOutOfRange) == 2)
    replay.process(p, at: Int64(UInt32.max))
    let records = replay.records()
    #expect(records.allSatisfy { $0.start >= 0 && $0.end == Int64(UInt32.max) })
    let renderer = FlowLogRenderer(format: .default, interfaces: webAndApp().interfaces)
    let objects = try S3Delivery.objects(records, renderer: renderer, flowLogID: "fl-1", defaultRegion: "us-east-1")
    #expect(objects.first?.key.contains("/2106/02/07/") == true)
}
