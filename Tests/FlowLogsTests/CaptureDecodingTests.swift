import Testing
@testable import FlowLogs
import TestSupport

/// Replays `bytes` (a capture file's content) and returns the summary, records and any error.
func replayFile(_ bytes: [UInt8], name: String, filter: String? = nil) -> (ReplaySummary, [String], CaptureError?) {
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 0))
    let path = CaptureWriter.write(bytes, name: name)
    var replay = FlowReplay(network: network)
    var failure: CaptureError? = nil
    do { try replay.replayCapture(path: path, filter: filter) } catch { failure = error }
    let renderer = FlowLogRenderer(format: .default, interfaces: network.interfaces)
    return (replay.summary, replay.records().map(renderer.line), failure)
}

let udpRecords = [
    "2 123456789010 eni-app 10.0.2.20 10.0.1.10 7000 53 17 1 28 100 100 ACCEPT OK",
    "2 123456789010 eni-web 10.0.2.20 10.0.1.10 7000 53 17 1 28 100 100 ACCEPT OK",
]
let udpPacket = Craft.udp("10.0.2.20", 7000, "10.0.1.10", 53)

@Test func pcapngIsReadLikePcap() {
    let (summary, lines, error) = replayFile(CaptureWriter.pcapng([Timed(time: 100, micros: 5, frame: udpPacket.ethernet())]), name: "ng")
    #expect(error == nil)
    #expect(summary.packetsRead == 1)
    #expect(lines == udpRecords)
}

@Test func vlanTaggedFramesAreDecoded() {
    let frames = [Timed(time: 100, frame: udpPacket.ethernet(vlans: [10])), Timed(time: 100, frame: udpPacket.ethernet(vlans: [10, 20]))]
    let (summary, lines, _) = replayFile(CaptureWriter.pcap(frames), name: "vlan")
    #expect(summary.ipPackets == 2)
    #expect(lines.map { $0.replacing(" 2 56 ", with: " 1 28 ") } == udpRecords)
}

@Test func linuxCookedV1AndV2AreDecoded() {
    var sll = Bytes()
    sll.u16(0); sll.u16(1); sll.u16(6); sll.data += [2, 0, 0, 0, 0, 1, 0, 0]; sll.u16(0x0800)
    let v1 = replayFile(CaptureWriter.pcap([Timed(time: 100, frame: sll.data + udpPacket.ip)], dlt: 113), name: "sll")
    #expect(v1.1 == udpRecords)
    var sll2 = Bytes()
    sll2.u16(0x0800); sll2.u16(0); sll2.u32(2); sll2.u16(1); sll2.u8(0); sll2.u8(6); sll2.data += [2, 0, 0, 0, 0, 1, 0, 0]
    let v2 = replayFile(CaptureWriter.pcap([Timed(time: 100, frame: sll2.data + udpPacket.ip)], dlt: 276), name: "sll2")
    #expect(v2.1 == udpRecords)
}

@Test func rawIPAndLoopbackAreDecoded() {
    #expect(replayFile(CaptureWriter.pcap([Timed(time: 100, frame: udpPacket.ip)], dlt: 101), name: "raw").1 == udpRecords)
    var null = Bytes(); null.le32(2)
    #expect(replayFile(CaptureWriter.pcap([Timed(time: 100, frame: null.data + udpPacket.ip)], dlt: 0), name: "null").1 == udpRecords)
    var loop = Bytes(); loop.u32(2)
    #expect(replayFile(CaptureWriter.pcap([Timed(time: 100, frame: loop.data + udpPacket.ip)], dlt: 108), name: "loop").1 == udpRecords)
}

@Test func nonIPAndTruncatedPacketsAreCountedNotFatal() {
    var arp = Bytes(); arp.data += [UInt8](repeating: 0xff, count: 12); arp.u16(0x0806); arp.data += [UInt8](repeating: 0, count: 28)
    let cut = Array(udpPacket.ethernet().prefix(14 + 20 + 2))  // ends inside the UDP header
    var bad = udpPacket.ethernet(); bad[14] = 0x35  // IPv4 header length 5 words but version 3
    let (summary, lines, error) = replayFile(CaptureWriter.pcap([
        Timed(time: 100, frame: arp.data), Timed(time: 100, frame: cut), Timed(time: 100, frame: bad),
        Timed(time: 100, frame: udpPacket.ethernet()),
    ]), name: "odd")
    #expect(error == nil)
    #expect(summary.packetsRead == 4)
    #expect(summary.skipped(.notIP) == 1 && summary.skipped(.truncated) == 1 && summary.skipped(.malformed) == 1)
    #expect(lines == udpRecords)
}

@Test func truncatedFileGivesAnErrorAndTheRecordsBeforeIt() {
    let full = CaptureWriter.pcap([
        Timed(time: 100, frame: udpPacket.ethernet()), Timed(time: 100, frame: udpPacket.ethernet()),
        Timed(time: 101, frame: Craft.tcp("10.0.2.20", 40000, "10.0.1.10", 443, SYN).ethernet()),
    ])
    let (summary, lines, error) = replayFile(Array(full.dropLast(10)), name: "trunc")
    guard case .read(let n, let message)? = error else { Issue.record("expected a read error, got \(String(describing: error))"); return }
    #expect(n == 3)
    #expect(message.contains("truncated"))
    #expect(summary.packetsRead == 2)
    #expect(lines == udpRecords.map { $0.replacing(" 1 28 ", with: " 2 56 ") })
}

@Test func corruptedFilesAreReportedClearly() {
    let (_, _, notPcap) = replayFile(Array("this is not a capture file at all".utf8), name: "garbage")
    guard case .open(_, let message)? = notPcap else { Issue.record("expected an open error"); return }
    #expect(!message.isEmpty)
    var broken = CaptureWriter.pcap([Timed(time: 100, frame: udpPacket.ethernet()), Timed(time: 100, frame: udpPacket.ethernet())])
    // Second record header claims a 16 MB packet.
    let second = 24 + 16 + udpPacket.ethernet().count
    broken[second + 8] = 0; broken[second + 9] = 0; broken[second + 10] = 0; broken[second + 11] = 1
    let (summary, lines, error) = replayFile(broken, name: "huge")
    guard case .read(2, _)? = error else { Issue.record("expected a read error at packet 2, got \(String(describing: error))"); return }
    #expect(summary.packetsRead == 1)
    #expect(lines == udpRecords)
}

@Test func bpfFilterKeepsMatchingPackets() {
    let frames = [Timed(time: 100, frame: udpPacket.ethernet()),
                  Timed(time: 100, frame: Craft.tcp("10.0.2.20", 40000, "10.0.1.10", 443, SYN).ethernet())]
    let (summary, lines, _) = replayFile(CaptureWriter.pcap(frames), name: "bpf", filter: "udp port 53")
    #expect(summary.packetsRead == 1)
    #expect(lines == udpRecords)
    let (_, _, error) = replayFile(CaptureWriter.pcap(frames), name: "bpfbad", filter: "udp portt 53")
    guard case .filter(let expression, _)? = error else { Issue.record("expected a filter error"); return }
    #expect(expression == "udp portt 53")
}

@Test func ipv6ExtensionHeadersAndFragmentsAreWalked() {
    // Hop-by-hop (8 bytes) → fragment header (first fragment, more follow) → TCP.
    let tcp = Craft.tcp("2001:db8::1", 40000, "2001:db8::2", 443, SYN)
    let t = tcp.transport
    var b = Bytes()
    b.u32(0x6000_0000); b.u16(UInt16(8 + 8 + t.count)); b.u8(0); b.u8(64); b.u128(tcp.src.bits); b.u128(tcp.dst.bits)
    b.u8(44); b.u8(0); b.data += [1, 4, 0, 0, 0, 0]            // hop-by-hop, next = fragment
    b.u8(6); b.u8(0); b.u16(0x0001); b.u32(99)                   // offset 0, M=1
    let first = b.data + t
    var packet = DecodedPacket()
    let outcome = first.withUnsafeBytes { PacketDecoder.decode($0, link: .raw, into: &packet) }
    #expect(outcome == .ip)
    #expect(packet.ipProtocol == 6 && packet.sourcePort == 40000 && packet.destinationPort == 443 && packet.tcpFlags == SYN)
    #expect(packet.ipLength == UInt32(40 + 16 + t.count) && !packet.isLaterFragment)
    #expect(packet.source == v6("2001:db8::1"))
    var later = Bytes()
    later.u32(0x6000_0000); later.u16(16); later.u8(44); later.u8(64); later.u128(tcp.src.bits); later.u128(tcp.dst.bits)
    later.u8(6); later.u8(0); later.u16(0x0100); later.u32(99); later.data += [UInt8](repeating: 0, count: 8)
    let outcome2 = later.data.withUnsafeBytes { PacketDecoder.decode($0, link: .raw, into: &packet) }
    #expect(outcome2 == .ip && packet.isLaterFragment && packet.sourcePort == 0 && packet.ipProtocol == 6)
    // IPv4 later fragment: no ports.
    var frag = udpPacket.ip
    frag[6] = 0x00; frag[7] = 0x10
    let outcome3 = frag.withUnsafeBytes { PacketDecoder.decode($0, link: .raw, into: &packet) }
    #expect(outcome3 == .ip && packet.isLaterFragment && packet.destinationPort == 0)
}

@Test func icmpv6EchoIsDecoded() {
    let echo = Craft(src: v6("2001:db8::1"), dst: v6("2001:db8::2"), proto: 1, icmpType: 128, icmpID: 77)
    var packet = DecodedPacket()
    let outcome = echo.ip.withUnsafeBytes { PacketDecoder.decode($0, link: .raw, into: &packet) }
    #expect(outcome == .ip && packet.ipProtocol == 58 && packet.icmpType == 128 && packet.icmpIdentifier == 77)
    #expect(packet.ipLength == 48)
}

@Test func awsTCPFlagEncoding() {
    #expect(FlowLogRecord.awsTCPFlags(SYN) == 2)
    #expect(FlowLogRecord.awsTCPFlags(SYN | ACK) == 18)
    #expect(FlowLogRecord.awsTCPFlags(ACK) == 0)
    #expect(FlowLogRecord.awsTCPFlags(PSH | ACK) == 0)
    #expect(FlowLogRecord.awsTCPFlags(FIN | ACK) == 1)
    #expect(FlowLogRecord.awsTCPFlags(RST | ACK) == 4)
    #expect(FlowLogRecord.awsTCPFlags(SYN | 0x40) == 2)  // SYN+ECE
}

/// The capture loop replays packets through a prefetch ring: its records must equal feeding the same packets one
/// by one, on seeded random interleavings of many connections (longer than the ring, with state changes,
/// interval boundaries and idle timeouts), and a file cut short still replays every complete packet.
@Test func captureLoopMatchesPacketByPacketReplay() throws {
    var rng = SplitMix64(seed: 0xF10E)
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 0))
    for round in 0..<6 {
        var packets: [Timed] = []
        var time: Int64 = 1_000 + Int64(round) * 10_000
        for _ in 0..<(40 + round * 37) {
            time += Int64(rng.next() % 50)
            let port = UInt16(40_000 + rng.next() % 6)
            let forward = rng.next() % 3 != 0
            let (a, b) = ("10.0.2.20", "10.0.1.10")
            let frame: [UInt8]
            switch rng.next() % 3 {
            case 0:
                let flags: UInt8 = [SYN, ACK, FIN | ACK, RST, SYN | ACK][Int(rng.next() % 5)]
                frame = forward ? Craft.tcp(a, port, b, 443, flags).ethernet() : Craft.tcp(b, 443, a, port, flags).ethernet()
            case 1:
                frame = forward ? Craft.udp(a, port, b, 53).ethernet() : Craft.udp(b, 53, a, port).ethernet()
            default:
                frame = forward ? Craft.tcp(a, port, b, 22, SYN).ethernet() : Craft.tcp(b, 22, a, port, ACK).ethernet()
            }
            packets.append(Timed(time: time, frame: frame))
        }
        var options = ReplayOptions()
        options.interval = 60
        let renderer = FlowLogRenderer(format: .default, interfaces: network.interfaces)
        var oneByOne = FlowReplay(network: network, options: options)
        for p in packets {
            p.frame.withUnsafeBytes { bytes in
                oneByOne.process(header: PacketHeader(seconds: p.time, microseconds: 0, capturedLength: bytes.count,
                                                      originalLength: bytes.count), bytes: bytes)
            }
        }
        let expected = oneByOne.records().map(renderer.line)
        #expect(expected.count > 4)

        var looped = FlowReplay(network: network, options: options)
        try looped.replayCapture(path: CaptureWriter.write(CaptureWriter.pcap(packets), name: "ring\(round)"))
        #expect(looped.records().map(renderer.line) == expected, "round \(round)")
        #expect(looped.summary == oneByOne.summary)

        // Cut inside the last packet: every packet before it is replayed, then the error.
        var cut = FlowReplay(network: network, options: options)
        let file = CaptureWriter.pcap(packets)
        #expect(throws: CaptureError.self) {
            try cut.replayCapture(path: CaptureWriter.write(Array(file.dropLast(5)), name: "ringcut\(round)"))
        }
        var reference = FlowReplay(network: network, options: options)
        for p in packets.dropLast() {
            p.frame.withUnsafeBytes { bytes in
                reference.process(header: PacketHeader(seconds: p.time, microseconds: 0, capturedLength: bytes.count,
                                                       originalLength: bytes.count), bytes: bytes)
            }
        }
        #expect(cut.records().map(renderer.line) == reference.records().map(renderer.line), "cut round \(round)")
    }
}
