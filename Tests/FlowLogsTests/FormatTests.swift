import Testing
@testable import FlowLogs
import TestSupport

@Test func customFormatVersionIsTheHighestFieldVersion() throws {
    #expect(try FlowLogFormat(parsing: "${version} ${srcaddr}").version == 2)
    #expect(try FlowLogFormat(parsing: "${version} ${vpc-id} ${srcaddr} ${tcp-flags}").version == 3)
    #expect(try FlowLogFormat(parsing: "${az-id}").version == 4)
    #expect(try FlowLogFormat(parsing: "${flow-direction} ${srcaddr}").version == 5)
    #expect(FlowLogFormat.default.version == 2)
    #expect(FlowLogFormat.default.header == "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")
}

@Test func badCustomFormatsAreRejectedWithSuggestions() {
    #expect(throws: FlowLogFormat.ParseError.unknownField(name: "srcadr", suggestion: "srcaddr")) {
        try FlowLogFormat(parsing: "${version} ${srcadr}")
    }
    #expect(throws: FlowLogFormat.ParseError.notAField(token: "version")) { try FlowLogFormat(parsing: "version") }
    #expect(throws: FlowLogFormat.ParseError.empty) { try FlowLogFormat(parsing: "  ") }
}

@Test func everyFieldRendersAndInapplicableOnesAreDashes() throws {
    let all = FlowLogFormat(fields: FlowLogField.allCases.filter { $0.version <= 5 })
    let network = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app")],
                             nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    var replay = FlowReplay(network: network)
    var p = DecodedPacket()
    p.source = v4("10.0.10.10"); p.destination = v4("203.0.113.7"); p.ipProtocol = 6
    p.sourcePort = 40001; p.destinationPort = 443; p.tcpFlags = SYN; p.ipLength = 60
    replay.process(p, at: 1_700_000_000)
    let renderer = FlowLogRenderer(format: all, interfaces: network.interfaces)
    let lines = replay.records().map(renderer.line)
    #expect(lines == [
        "5 123456789010 eni-app 10.0.10.10 203.0.113.7 40001 443 6 1 60 1700000000 1700000000 ACCEPT OK vpc-1 subnet-app i-app 2 IPv4 10.0.10.10 203.0.113.7 us-east-1 use1-az1 - - - - egress 1",
        "5 123456789010 eni-nat 10.0.10.10 10.0.0.50 40001 443 6 1 60 1700000000 1700000000 ACCEPT OK vpc-1 subnet-pub - 2 IPv4 10.0.10.10 203.0.113.7 us-east-1 use1-az1 - - - - ingress -",
        "5 123456789010 eni-nat 10.0.0.50 203.0.113.7 1024 443 6 1 60 1700000000 1700000000 ACCEPT OK vpc-1 subnet-pub - 2 IPv4 10.0.0.50 203.0.113.7 us-east-1 use1-az1 - - - - egress 2",
    ])
    #expect(all.fields.count == 29)
}

/// The byte-level renderer's numbers and IPv4 addresses equal Swift's own `description`s (edges and seeded
/// random values).
@Test func lineBufferNumbersAndAddressesMatchDescriptions() {
    var rng = SplitMix64(seed: 0xD161)
    var numbers: [UInt64] = [0, 9, 10, 11, 99, 100, 101, 999, 1000, 65_535, 4_294_967_295, 9_999_999_999_999_999_999, .max]
    var power: UInt64 = 1
    for _ in 0..<19 { power *= 10; numbers += [power - 1, power, power + 1] }
    for _ in 0..<2000 { numbers.append(rng.next() >> (rng.next() % 64)) }
    var addresses: [UInt32] = [0, .max, 0x0A00_0001, 0x6464_6464, 0xFF00_FF00, 0x0909_0909]
    for _ in 0..<2000 { addresses.append(UInt32(truncatingIfNeeded: rng.next())) }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: LineBuffer.capacity) { scratch in
        guard let base = scratch.baseAddress else { return }
        for n in numbers {
            var b = LineBuffer(base: base)
            b.number(n)
            #expect(String(decoding: UnsafeBufferPointer(start: base, count: b.count), as: UTF8.self) == String(n))
        }
        for a in addresses {
            var b = LineBuffer(base: base)
            var unused: [UInt8] = []
            b.address(FlowAddress(v4: a), out: &unused)
            #expect(String(decoding: UnsafeBufferPointer(start: base, count: b.count), as: UTF8.self) == FlowAddress(v4: a).description)
        }
    }
}

/// Lines rendered with the per-interface prefix run (the leading version and interface fields, issue 21) equal
/// the fields' values joined by spaces, whatever the format starts with or repeats.
@Test func interfacePrefixRunsRenderLikeTheirFields() throws {
    let network = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app")],
                             nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    var replay = FlowReplay(network: network)
    var p = DecodedPacket()
    p.source = v4("10.0.10.10"); p.destination = v4("203.0.113.7"); p.ipProtocol = 6
    p.sourcePort = 40001; p.destinationPort = 443; p.tcpFlags = SYN; p.ipLength = 60
    replay.process(p, at: 1_700_000_000)
    let records = Array(replay.records())
    #expect(records.count == 3)
    let formats = ["${version} ${account-id}", "${interface-id}", "${version}", "${interface-id} ${vpc-id} ${srcaddr} ${action}",
                   "${srcaddr} ${version} ${account-id}", "${version} ${srcaddr} ${interface-id}",
                   "${vpc-id} ${interface-id} ${vpc-id} ${instance-id} ${az-id} ${region} ${action} ${log-status}",
                   "${action} ${interface-id} ${action}"]
    for text in formats {
        let format = try FlowLogFormat(parsing: text)
        let renderer = FlowLogRenderer(format: format, interfaces: network.interfaces)
        for r in records {
            let expected = format.fields.map { renderer.value($0, of: r)?.text ?? "-" }.joined(separator: " ")
            #expect(renderer.line(r) == expected, "\(text)")
        }
    }
    // The prefix of the default format is its first three fields.
    #expect(InterfaceText(format: .default, interfaces: network.interfaces).prefixFields == 3)
    #expect(InterfaceText(format: try FlowLogFormat(parsing: "${srcaddr} ${version}"), interfaces: network.interfaces).prefixFields == 0)
}

/// An interface text too long for a prefix slot's length byte (255) turns the prefix runs off; lines still
/// render every field as it is.
@Test func prefixRunsLongerThanASlotFallBackToFields() throws {
    let long = "eni-" + String(repeating: "a", count: 300)
    let interfaces = [long, "eni-short"].map { id in
        FlowInterface(interfaceID: id, accountID: "123456789012", vpcID: "vpc-1", subnetID: "subnet-1", instanceID: nil,
                      region: nil, azID: nil, primaryAddress: v4("10.0.0.1"), publicAddress: nil, isNATGateway: false)
    }
    #expect(InterfaceText(format: .default, interfaces: interfaces).prefixFields == 0)
    #expect(InterfaceText(format: .default, interfaces: Array(interfaces.suffix(1))).prefixFields == 3)
    let renderer = FlowLogRenderer(format: .default, interfaces: interfaces)
    for e in 0..<2 {
        let record = FlowLogRecord(interface: Int32(e), isEgress: true, accepted: false, source: v4("10.0.0.1"),
                                   destination: v4("10.0.0.2"), sourcePort: 1, destinationPort: 2, ipProtocol: 6,
                                   packetSource: v4("10.0.0.1"), packetDestination: v4("10.0.0.2"), start: 5, end: 6,
                                   trafficPath: 0, intervalStart: 0)
        #expect(renderer.line(record) == "2 123456789012 \(interfaces[e].interfaceID) 10.0.0.1 10.0.0.2 1 2 6 0 0 5 6 REJECT OK")
    }
}
