import Testing
@testable import FlowLogs

/// The chunked record list behaves like an array across chunk boundaries, and copies are independent
/// (copy-on-write), whichever side writes.
@Test func flowLogRecordsActLikeAnArray() {
    func record(_ n: Int) -> FlowLogRecord {
        FlowLogRecord(interface: Int32(n % 1000), isEgress: n % 2 == 0, accepted: n % 3 == 0,
                      source: FlowAddress(v4: UInt32(n)), destination: FlowAddress(v4: UInt32(n &* 7)),
                      sourcePort: UInt16(n % 65_536), destinationPort: 443, ipProtocol: 6,
                      packetSource: FlowAddress(v4: UInt32(n)), packetDestination: FlowAddress(v4: UInt32(n &* 7)),
                      start: Int64(n), end: Int64(n), trafficPath: 1, intervalStart: Int64(n / 600 * 600))
    }
    let count = 3 * 65_536 + 17
    var list = FlowLogRecords()
    var reference: [FlowLogRecord] = []
    for n in 0..<count {
        list.append(record(n))
        reference.append(record(n))
    }
    #expect(list.count == count)
    #expect(list.elementsEqual(reference))
    #expect(list[65_535] == reference[65_535] && list[65_536] == reference[65_536] && list.last == reference.last)

    var copy = list
    for i in stride(from: 0, to: count, by: 4099) { copy[mutable: i].packets = 99 }
    copy.append(record(count))
    #expect(list.elementsEqual(reference), "the original is untouched by writes to its copy")
    #expect(copy.count == count + 1 && copy[4099].packets == 99 && copy[4100].packets == 0)

    let snapshot = list
    list[mutable: 65_536].bytes = 7
    #expect(snapshot[65_536].bytes == 0 && list[65_536].bytes == 7)
    #expect(FlowLogRecords(reference.prefix(10)).elementsEqual(reference.prefix(10)))
}
