import Testing
@testable import FlowLogs

// The direct classic-pcap reader (`DirectPcapReader`, issue 21) against libpcap reading the same bytes: every
// packet's header and bytes, the error and where it happens, from a file and from memory.

/// One classic pcap record as stored: header fields as given (they may lie), then `data`.
private struct RawRecord {
    var seconds: UInt32
    var micros: UInt32 = 0
    var captured: UInt32? = nil  // nil: data.count
    var original: UInt32? = nil  // nil: data.count
    var data: [UInt8]
}

/// A classic pcap: magic `magic` (written in the file's byte order), version, snaplen, link type, records.
private func classic(_ records: [RawRecord], bigEndian: Bool = false, magic: UInt32 = 0xa1b2c3d4, minor: UInt16 = 4,
                     snaplen: UInt32 = 65535, dlt: UInt32 = 1) -> [UInt8] {
    var b = Bytes()
    func w32(_ v: UInt32) { if bigEndian { b.u32(v) } else { b.le32(v) } }
    func w16(_ v: UInt16) { if bigEndian { b.u16(v) } else { b.le16(v) } }
    w32(magic); w16(2); w16(minor); w32(0); w32(0); w32(snaplen); w32(dlt)
    for r in records {
        w32(r.seconds); w32(r.micros); w32(r.captured ?? UInt32(r.data.count)); w32(r.original ?? UInt32(r.data.count))
        b.data += r.data
    }
    return b.data
}

private struct Read: Equatable {
    var seconds: Int64
    var micros: Int32
    var captured: Int
    var original: Int
    var bytes: [UInt8]
}

/// Every packet of `capture` (after `filter`) and the error that ended it.
private func readAll(_ capture: inout CaptureFile, filter: String? = nil) -> (packets: [Read], error: CaptureError?) {
    var packets: [Read] = []
    do {
        if let filter { try capture.setFilter(filter) }
        while let p = try capture.next({ h, b in
            Read(seconds: h.seconds, micros: h.microseconds, captured: h.capturedLength, original: h.originalLength, bytes: Array(b))
        }) {
            packets.append(p)
        }
        return (packets, nil)
    } catch {
        return (packets, error)
    }
}

/// Reads `bytes` four ways (file and memory, direct and libpcap only) and expects the same packets and error;
/// returns them, and whether the direct reader took the file.
private func compareReaders(_ bytes: [UInt8], name: String, filter: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> (packets: [Read], error: CaptureError?, direct: Bool) {
    let path = CaptureWriter.write(bytes, name: "direct-\(name)")
    var directFile = try CaptureFile(path: path)
    let usedDirect = directFile.readsDirectly
    let a = readAll(&directFile, filter: filter)
    var libpcapFile = try CaptureFile(path: path)
    libpcapFile.useLibpcapOnly()
    let b = readAll(&libpcapFile, filter: filter)
    var directMemory = try CaptureFile(bytes: bytes, name: path)
    #expect(directMemory.readsDirectly == usedDirect, "\(name): memory and file pick the same reader", sourceLocation: sourceLocation)
    let c = readAll(&directMemory, filter: filter)
    var libpcapMemory = try CaptureFile(bytes: bytes, name: path)
    libpcapMemory.useLibpcapOnly()
    let d = readAll(&libpcapMemory, filter: filter)
    #expect(a.packets == b.packets, "\(name): file, direct vs libpcap", sourceLocation: sourceLocation)
    #expect(a.error == b.error, "\(name): file error, direct vs libpcap", sourceLocation: sourceLocation)
    #expect(c.packets == d.packets, "\(name): memory, direct vs libpcap", sourceLocation: sourceLocation)
    #expect(c.error == d.error, "\(name): memory error, direct vs libpcap", sourceLocation: sourceLocation)
    #expect(a.packets == c.packets, "\(name): file vs memory", sourceLocation: sourceLocation)
    return (a.packets, a.error, usedDirect)
}

private let frameA = Craft.udp("10.0.2.20", 7000, "10.0.1.10", 53, payload: 11).ethernet()
private let frameB = Craft.tcp("10.0.1.10", 443, "10.0.2.20", 40000, 0x12, payload: 3).ethernet(vlans: [5])

@Test func directReaderReadsPlainCapturesAsLibpcapDoes() throws {
    let records = [RawRecord(seconds: 100, micros: 5, data: frameA), RawRecord(seconds: 4_000_000_000, micros: 999_999, data: frameB),
                   RawRecord(seconds: 0xFFFF_FFFF, micros: 2_000_000, data: []),  // times as stored, empty packet
                   RawRecord(seconds: 7, captured: 20, original: 1500, data: Array(frameA.prefix(20)))]
    for bigEndian in [false, true] {
        let r = try compareReaders(classic(records, bigEndian: bigEndian), name: "plain-\(bigEndian)")
        #expect(r.direct)
        #expect(r.error == nil)
        #expect(r.packets.count == 4)
        #expect(r.packets.map(\.seconds) == [100, 4_000_000_000, 0xFFFF_FFFF, 7])
        #expect(r.packets[3].original == 1500 && r.packets[3].bytes == Array(frameA.prefix(20)))
    }
}

@Test func directReaderHandsOddRecordsToLibpcap() throws {
    let good = RawRecord(seconds: 100, data: frameA)
    let cases: [(String, [UInt8], Int, Bool)] = [
        // name, bytes, packets before the end or error, expect an error
        ("cut-header", Array(classic([good, good]).dropLast(frameA.count + 6)), 1, true),
        ("cut-body", Array(classic([good, good]).dropLast(5)), 1, true),
        ("over-snaplen", classic([good, RawRecord(seconds: 101, data: frameB), good], snaplen: 40), 3, false),
        ("huge-caplen", classic([good, RawRecord(seconds: 101, captured: 300_000, data: frameB)], snaplen: 0x7FFF_FFFF), 1, true),
        ("caplen-above-len", classic([good, RawRecord(seconds: 101, original: 10, data: frameB), good]), 3, false),
        ("header-only", classic([]), 0, false),
    ]
    for (name, bytes, count, failed) in cases {
        let r = try compareReaders(bytes, name: name)
        #expect(r.packets.count == count, "\(name)")
        #expect((r.error != nil) == failed, "\(name): \(String(describing: r.error))")
    }
}

@Test func capturesTheDirectReaderDoesNotTakeStayWithLibpcap() throws {
    let records = [RawRecord(seconds: 100, micros: 5_000, data: frameA), RawRecord(seconds: 101, data: frameB)]
    let cases: [(String, [UInt8])] = [
        ("nanosecond", classic(records, magic: 0xa1b23c4d)),
        ("version-2.3", classic(records, minor: 3)),
        ("pcapng", CaptureWriter.pcapng([Timed(time: 100, frame: frameA)])),
        ("other-link-type", classic(records, dlt: 147)),  // LINKTYPE_USER0
    ]
    for (name, bytes) in cases {
        let r = try compareReaders(bytes, name: name)
        #expect(!r.direct, "\(name)")
        #expect(!r.packets.isEmpty, "\(name)")
    }
}

@Test func directReaderAppliesTheFilterAndCrossesItsBuffer() throws {
    // ~2 MB of records with sizes that do not divide the 512 KB buffer: records straddle every refill.
    var records: [RawRecord] = []
    for i in 0..<15_000 {
        let frame = i % 3 == 0 ? frameB : Craft.udp("10.0.2.20", UInt16(1000 + i % 50), "10.0.1.10", 53, payload: i % 200).ethernet()
        records.append(RawRecord(seconds: UInt32(1000 + i), micros: UInt32(i), data: frame))
    }
    let bytes = classic(records)
    #expect(bytes.count > 2 * DirectPcapReader.bufferSize)
    let all = try compareReaders(bytes, name: "big")
    #expect(all.direct && all.error == nil && all.packets.count == 15_000)
    #expect(all.packets.map(\.seconds) == (0..<15_000).map { Int64(1000 + $0) })
    let udp = try compareReaders(bytes, name: "big-udp", filter: "udp")
    #expect(udp.error == nil && udp.packets.count == 10_000)
    let cut = try compareReaders(Array(bytes.dropLast(7)), name: "big-cut")
    #expect(cut.packets.count == 14_999)
    guard case .read(let n, _)? = cut.error else { Issue.record("expected a read error, got \(String(describing: cut.error))"); return }
    #expect(n == 15_000)
}
