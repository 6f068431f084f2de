import Testing
import NetworkModel
import TestSupport
@testable import FlowLogs

@Test func tcpHandshakeIsAcceptedBothWays() throws {
    let app = "10.0.2.20", web = "10.0.1.10"
    let packets = [
        Timed(time: 1000, frame: Craft.tcp(app, 40001, web, 443, SYN).ethernet()),
        Timed(time: 1000, frame: Craft.tcp(web, 443, app, 40001, SYN | ACK).ethernet()),
        Timed(time: 1001, frame: Craft.tcp(app, 40001, web, 443, ACK).ethernet()),
        Timed(time: 1002, frame: Craft.tcp(app, 40001, web, 443, FIN | ACK).ethernet()),
        Timed(time: 1002, frame: Craft.tcp(web, 443, app, 40001, FIN | ACK).ethernet()),
        Timed(time: 1003, frame: Craft.tcp(app, 40001, web, 443, ACK).ethernet()),
    ]
    let lines = try replayLines(webAndApp(), packets)
    #expect(lines == [
        "2 123456789010 eni-app 10.0.2.20 10.0.1.10 40001 443 6 4 160 1000 1003 ACCEPT OK",
        "2 123456789010 eni-web 10.0.2.20 10.0.1.10 40001 443 6 4 160 1000 1003 ACCEPT OK",
        "2 123456789010 eni-web 10.0.1.10 10.0.2.20 443 40001 6 2 80 1000 1002 ACCEPT OK",
        "2 123456789010 eni-app 10.0.1.10 10.0.2.20 443 40001 6 2 80 1000 1002 ACCEPT OK",
    ])
    let flags = try replayLines(webAndApp(), packets, format: "${interface-id} ${flow-direction} ${tcp-flags} ${traffic-path}")
    #expect(flags == ["eni-app egress 3 1", "eni-web ingress 3 -", "eni-web egress 19 1", "eni-app ingress 19 -"])
}

@Test func securityGroupRejectsSYN() throws {
    let packets = (0..<3).map { i in
        Timed(time: 2000 + Int64(i), frame: Craft.tcp("10.0.2.20", 50000, "10.0.1.10", 22, SYN).ethernet())
    }
    let lines = try replayLines(webAndApp(), packets, format: "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${packets} ${bytes} ${action} ${tcp-flags}")
    #expect(lines == [
        "3 eni-app 10.0.2.20 10.0.1.10 50000 22 3 120 ACCEPT 2",
        "3 eni-web 10.0.2.20 10.0.1.10 50000 22 3 120 REJECT 2",
    ])
}

@Test func networkACLRejectsTheReply() throws {
    var network = webAndApp()
    network.naclInDeny["b"] = [(6, 1024...65535)]
    let app = "10.0.2.20", web = "10.0.1.10"
    let packets = [
        Timed(time: 3000, frame: Craft.tcp(app, 40002, web, 443, SYN).ethernet()),
        Timed(time: 3000, frame: Craft.tcp(web, 443, app, 40002, SYN | ACK).ethernet()),
        Timed(time: 3001, frame: Craft.tcp(web, 443, app, 40002, SYN | ACK).ethernet()),
    ]
    let lines = try replayLines(network, packets, format: "${interface-id} ${srcaddr} ${srcport} ${dstport} ${packets} ${action} ${tcp-flags}")
    #expect(lines == [
        "eni-app 10.0.2.20 40002 443 1 ACCEPT 2",
        "eni-web 10.0.2.20 40002 443 1 ACCEPT 2",
        "eni-web 10.0.1.10 443 40002 2 ACCEPT 18",
        "eni-app 10.0.1.10 443 40002 2 REJECT 18",
    ])
}

/// Docs/AWS-BEHAVIOUR.md §11's walk-through: app-1 → 203.0.113.7:443 via nat-a; records on both sides of the NAT gateway.
@Test func natGatewayRecordsMatchTheWalkThrough() throws {
    let network = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app")],
                             nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    let app = "10.0.10.10", remote = "203.0.113.7"
    let packets = [
        Timed(time: 4000, frame: Craft.tcp(app, 40001, remote, 443, SYN).ethernet()),
        Timed(time: 4000, frame: Craft.tcp(remote, 443, app, 40001, SYN | ACK).ethernet()),
        Timed(time: 4000, frame: Craft.tcp(app, 40001, remote, 443, ACK).ethernet()),
        Timed(time: 4001, frame: Craft.tcp(app, 40001, remote, 443, FIN | ACK).ethernet()),
        Timed(time: 4001, frame: Craft.tcp(remote, 443, app, 40001, FIN | ACK).ethernet()),
        Timed(time: 4001, frame: Craft.tcp(app, 40001, remote, 443, ACK).ethernet()),
    ]
    let format = "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${tcp-flags} ${flow-direction} ${traffic-path}"
    let lines = try replayLines(network, packets, format: format)
    // The walk-through's lines, in the order the records were opened; the NAT port is ours (first free: 1024).
    #expect(lines == [
        "5 eni-app 10.0.10.10 203.0.113.7 40001 443 6 10.0.10.10 203.0.113.7 ACCEPT 3 egress 1",
        "5 eni-nat 10.0.10.10 10.0.0.50 40001 443 6 10.0.10.10 203.0.113.7 ACCEPT 3 ingress -",
        "5 eni-nat 10.0.0.50 203.0.113.7 1024 443 6 10.0.0.50 203.0.113.7 ACCEPT 3 egress 2",
        "5 eni-nat 203.0.113.7 10.0.0.50 443 1024 6 203.0.113.7 10.0.0.50 ACCEPT 19 ingress -",
        "5 eni-nat 10.0.0.50 10.0.10.10 443 40001 6 203.0.113.7 10.0.10.10 ACCEPT 19 egress 1",
        "5 eni-app 203.0.113.7 10.0.10.10 443 40001 6 203.0.113.7 10.0.10.10 ACCEPT 19 ingress -",
    ])
}

@Test func natGatewayGivesEachConnectionItsOwnPort() throws {
    let network = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app")],
                             nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    let packets = [
        Timed(time: 4000, frame: Craft.udp("10.0.10.10", 5000, "198.51.100.1", 53).ethernet()),
        Timed(time: 4000, frame: Craft.udp("10.0.10.10", 5001, "198.51.100.1", 53).ethernet()),
        Timed(time: 4000, frame: Craft.udp("198.51.100.1", 53, "10.0.10.10", 5001).ethernet()),
    ]
    let lines = try replayLines(network, packets, format: "${interface-id} ${flow-direction} ${srcport} ${dstport} ${action}")
    #expect(lines.contains("eni-nat egress 1024 53 ACCEPT"))
    #expect(lines.contains("eni-nat egress 1025 53 ACCEPT"))
    #expect(lines.contains("eni-nat ingress 53 1025 ACCEPT"))
    #expect(lines.contains("eni-app ingress 53 5001 ACCEPT"))
}

@Test func aggregationIntervalsAreEpochAligned() throws {
    let packets = [599, 600, 659, 660].map { t in
        Timed(time: Int64(t), frame: Craft.udp("10.0.2.20", 7000, "10.0.1.10", 443, payload: 10).ethernet())
    }
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 443))
    let format = "${interface-id} ${packets} ${bytes} ${start} ${end}"
    #expect(try replayLines(network, packets, format: format, interval: 600) == [
        "eni-app 1 38 599 599", "eni-web 1 38 599 599", "eni-app 3 114 600 660", "eni-web 3 114 600 660",
    ])
    #expect(try replayLines(network, packets, format: format, interval: 60) == [
        "eni-app 1 38 599 599", "eni-web 1 38 599 599", "eni-app 2 76 600 659", "eni-web 2 76 600 659",
        "eni-app 1 38 660 660", "eni-web 1 38 660 660",
    ])
}

@Test func udpReplyAfterIdleTimeoutIsANewRejectedFlow() throws {
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 53))
    let packets = [
        Timed(time: 5000, frame: Craft.udp("10.0.2.20", 33000, "10.0.1.10", 53).ethernet()),
        Timed(time: 5001, frame: Craft.udp("10.0.1.10", 53, "10.0.2.20", 33000).ethernet()),
        Timed(time: 5032, frame: Craft.udp("10.0.1.10", 53, "10.0.2.20", 33000).ethernet()),  // 31 s idle: expired
    ]
    let lines = try replayLines(network, packets, format: "${interface-id} ${flow-direction} ${packets} ${action} ${start}")
    #expect(lines == [
        "eni-app egress 1 ACCEPT 5000", "eni-web ingress 1 ACCEPT 5000",
        "eni-web egress 2 ACCEPT 5001", "eni-app ingress 1 ACCEPT 5001", "eni-app ingress 1 REJECT 5032",
    ])
}

@Test func tcpPacketsAfterResetAndCloseTimeoutAreRejected() throws {
    let app = "10.0.2.20", web = "10.0.1.10"
    let packets = [
        Timed(time: 6000, frame: Craft.tcp(app, 40003, web, 443, SYN).ethernet()),
        Timed(time: 6000, frame: Craft.tcp(web, 443, app, 40003, SYN | ACK).ethernet()),
        Timed(time: 6001, frame: Craft.tcp(app, 40003, web, 443, RST).ethernet()),
        Timed(time: 6020, frame: Craft.tcp(web, 443, app, 40003, PSH | ACK, payload: 100).ethernet()),  // 19 s after RST
    ]
    let lines = try replayLines(webAndApp(), packets, format: "${interface-id} ${flow-direction} ${packets} ${action} ${tcp-flags}")
    #expect(lines == [
        "eni-app egress 2 ACCEPT 6", "eni-web ingress 2 ACCEPT 6",
        "eni-web egress 2 ACCEPT 18", "eni-app ingress 1 ACCEPT 18", "eni-app ingress 1 REJECT 0",
    ])
}

@Test func internetToPublicInstanceIsLoggedWithPrivateAddresses() throws {
    var network = webAndApp()
    network.hosts[0].publicAddress = v4("54.1.2.3")
    let packets = [
        Timed(time: 7000, frame: Craft.tcp("198.51.100.9", 51000, "10.0.1.10", 443, SYN).ethernet()),
        Timed(time: 7000, frame: Craft.tcp("10.0.1.10", 443, "198.51.100.9", 51000, SYN | ACK).ethernet()),
        Timed(time: 7001, frame: Craft.tcp("198.51.100.9", 51000, "10.0.1.10", 22, SYN).ethernet()),
        Timed(time: 7002, frame: Craft.icmp("198.51.100.9", "10.0.1.10", type: 8).ethernet()),
    ]
    let lines = try replayLines(network, packets, format: "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${pkt-dstaddr} ${action} ${flow-direction} ${traffic-path}")
    #expect(lines == [
        "eni-web 198.51.100.9 10.0.1.10 51000 443 6 10.0.1.10 ACCEPT ingress -",
        "eni-web 10.0.1.10 198.51.100.9 443 51000 6 198.51.100.9 ACCEPT egress 2",
        "eni-web 198.51.100.9 10.0.1.10 51000 22 6 10.0.1.10 REJECT ingress -",
        "eni-web 198.51.100.9 10.0.1.10 0 0 1 10.0.1.10 REJECT ingress -",
    ])
}

@Test func amazonDNSAndMetadataAreNotLogged() throws {
    let path = CaptureWriter.write(CaptureWriter.pcap([
        Timed(time: 8000, frame: Craft.udp("10.0.2.20", 40000, "10.0.0.2", 53).ethernet()),
        Timed(time: 8000, frame: Craft.tcp("10.0.2.20", 40000, "169.254.169.254", 80, SYN).ethernet()),
        Timed(time: 8000, frame: Craft.udp("0.0.0.0", 68, "255.255.255.255", 67).ethernet()),
        Timed(time: 8000, frame: Craft.udp("198.51.100.1", 1, "198.51.100.2", 2).ethernet()),
    ]), name: "notlogged")
    var replay = FlowReplay(network: webAndApp())
    try replay.replayCapture(path: path)
    #expect(replay.records().isEmpty)
    #expect(replay.summary.skipped(.notLogged) == 3)
    #expect(replay.summary.skipped(.unmapped) == 1)
    #expect(replay.summary.packetsRead == 4)
}

@Test func addressMapRewritesCaptureAddresses() throws {
    let path = CaptureWriter.write(CaptureWriter.pcap([
        Timed(time: 9000, frame: Craft.tcp("192.168.1.20", 40000, "192.168.1.10", 443, SYN).ethernet()),
    ]), name: "map")
    var options = ReplayOptions()
    options.addressMap = [v4("192.168.1.10"): v4("10.0.1.10"), v4("192.168.1.20"): v4("10.0.2.20")]
    var replay = FlowReplay(network: webAndApp(), options: options)
    try replay.replayCapture(path: path)
    let renderer = FlowLogRenderer(format: .default, interfaces: webAndApp().interfaces)
    #expect(replay.records().map(renderer.line) == [
        "2 123456789010 eni-app 10.0.2.20 10.0.1.10 40000 443 6 1 40 9000 9000 ACCEPT OK",
        "2 123456789010 eni-web 10.0.2.20 10.0.1.10 40000 443 6 1 40 9000 9000 ACCEPT OK",
    ])
    #expect(replay.summary.mapped == 1 && replay.summary.accepted == 1)
}

/// Thousands of records: the record index grows several times; each record keeps its own counts (brute force:
/// flow k sends k % 7 + 1 packets, seeded order). A packet of an earlier interval arriving late is still
/// printed with its interval first.
@Test func manyRecordsKeepTheirCountsAndIntervalOrder() throws {
    var network = webAndApp()
    network.hosts[0].sgIn.append((17, 0))
    var rng: UInt64 = 0x5EED
    func next() -> UInt64 {  // SplitMix64
        rng &+= 0x9E37_79B9_7F4A_7C15
        var z = rng
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let flows = 3000
    var sends: [Int] = []
    for k in 0..<flows { sends += Array(repeating: k, count: k % 7 + 1) }
    for i in stride(from: sends.count - 1, to: 0, by: -1) { sends.swapAt(i, Int(next() % UInt64(i + 1))) }
    var packets = sends.map { k in
        Timed(time: 1200, frame: Craft.udp("10.0.2.20", UInt16(10_000 + k), "10.0.1.10", 53).ethernet())
    }
    packets.append(Timed(time: 700, frame: Craft.udp("10.0.2.20", 9999, "10.0.1.10", 53).ethernet()))  // late, earlier interval
    let lines = try replayLines(network, packets, format: "${interface-id} ${srcport} ${packets} ${start}")
    #expect(lines.count == 2 * flows + 2)
    #expect(lines.prefix(2) == ["eni-app 9999 1 700", "eni-web 9999 1 700"])
    var seen = 0
    for line in lines.dropFirst(2) {
        let parts = line.split(separator: " ")
        guard parts.count == 4, let port = Int(parts[1]), let count = Int(parts[2]) else { Issue.record("bad line \(line)"); continue }
        #expect(count == (port - 10_000) % 7 + 1, "\(line)")
        seen += 1
    }
    #expect(seen == 2 * flows)
}

/// A connection that lives across intervals keeps its path, NAT port and actions in every interval (the replay
/// carries a direction's decision into the next interval instead of walking the model again).
@Test func connectionsKeepTheirPathAcrossIntervals() throws {
    let network = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app")],
                             nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    let app = "10.0.10.10", remote = "203.0.113.7"
    var packets: [Timed] = []
    for t: Int64 in [4000, 4070, 4130] {
        packets.append(Timed(time: t, frame: Craft.tcp(app, 40001, remote, 443, ACK).ethernet()))
        packets.append(Timed(time: t + 1, frame: Craft.tcp(remote, 443, app, 40001, ACK).ethernet()))
    }
    // A second connection from another port gets the next NAT port, in its one interval.
    packets.append(Timed(time: 4131, frame: Craft.tcp(app, 40002, remote, 443, SYN).ethernet()))
    let format = "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${packets} ${start} ${end} ${action}"
    let lines = try replayLines(network, packets, format: format, interval: 60)
    var expected: [String] = []
    for t in [4000, 4070, 4130] {
        expected += [
            "eni-app 10.0.10.10 203.0.113.7 40001 443 1 \(t) \(t) ACCEPT",
            "eni-nat 10.0.10.10 10.0.0.50 40001 443 1 \(t) \(t) ACCEPT",
            "eni-nat 10.0.0.50 203.0.113.7 1024 443 1 \(t) \(t) ACCEPT",
            "eni-nat 203.0.113.7 10.0.0.50 443 1024 1 \(t + 1) \(t + 1) ACCEPT",
            "eni-nat 10.0.0.50 10.0.10.10 443 40001 1 \(t + 1) \(t + 1) ACCEPT",
            "eni-app 203.0.113.7 10.0.10.10 443 40001 1 \(t + 1) \(t + 1) ACCEPT",
        ]
    }
    expected += [
        "eni-app 10.0.10.10 203.0.113.7 40002 443 1 4131 4131 ACCEPT",
        "eni-nat 10.0.10.10 10.0.0.50 40002 443 1 4131 4131 ACCEPT",
        "eni-nat 10.0.0.50 203.0.113.7 1025 443 1 4131 4131 ACCEPT",
    ]
    #expect(lines == expected)

    // A reply the NACL rejects stays rejected in the next interval; the accepted request stays accepted.
    var denying = webAndApp()
    denying.naclInDeny["b"] = [(6, 1024...65535)]
    let web = "10.0.1.10"
    let session = [
        Timed(time: 3000, frame: Craft.tcp("10.0.2.20", 40002, web, 443, SYN).ethernet()),
        Timed(time: 3000, frame: Craft.tcp(web, 443, "10.0.2.20", 40002, SYN | ACK).ethernet()),
        Timed(time: 3070, frame: Craft.tcp("10.0.2.20", 40002, web, 443, ACK).ethernet()),
        Timed(time: 3070, frame: Craft.tcp(web, 443, "10.0.2.20", 40002, ACK).ethernet()),
    ]
    #expect(try replayLines(denying, session, format: "${interface-id} ${srcport} ${start} ${action}", interval: 60) == [
        "eni-app 40002 3000 ACCEPT", "eni-web 40002 3000 ACCEPT", "eni-web 443 3000 ACCEPT", "eni-app 443 3000 REJECT",
        "eni-app 40002 3070 ACCEPT", "eni-web 40002 3070 ACCEPT", "eni-web 443 3070 ACCEPT", "eni-app 443 3070 REJECT",
    ])
}

/// Carrying a direction's decision into later intervals gives the records that walking the model again in every
/// interval gives: seeded random traffic over several 60 s intervals — TCP with random flags, UDP, ICMP echo,
/// allowed and blocked ports, idle timeouts, NAT — through a toy network and through the compiled
/// flowlogs-session topology (NAT gateway, NACLs, the internet).
@Test func carriedDecisionsEqualWalkingEveryInterval() throws {
    let text = try #require(repositoryFile("Topologies/flowlogs-session.vpc"))
    let (topology, _) = TopologyLoader.load(text, file: "flowlogs-session.vpc")
    let compiled = CompiledFlowNetwork(topology)
    let toy = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app", sgIn: [(6, 443), (17, 0)])],
                         nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    var rng = SplitMix64(seed: 0xCA77)
    func traffic(_ inside: [String], _ outside: [String]) -> [Timed] {
        var packets: [Timed] = []
        var time: Int64 = 1_700_000_000
        for _ in 0..<400 {
            time += Int64(rng.next() % 9)
            let a = inside[Int(rng.next() % UInt64(inside.count))]
            let pool = rng.next() % 3 == 0 ? inside : outside
            let b = pool[Int(rng.next() % UInt64(pool.count))]
            let port = UInt16(40_000 + rng.next() % 4)
            let service: UInt16 = [443, 22, 53, 80][Int(rng.next() % 4)]
            let forward = rng.next() % 2 == 0
            let frame: [UInt8]
            switch rng.next() % 4 {
            case 0, 1:
                let flags: UInt8 = [SYN, ACK, SYN | ACK, FIN | ACK, RST, PSH | ACK][Int(rng.next() % 6)]
                frame = forward ? Craft.tcp(a, port, b, service, flags).ethernet() : Craft.tcp(b, service, a, port, flags).ethernet()
            case 2:
                frame = forward ? Craft.udp(a, port, b, service).ethernet() : Craft.udp(b, service, a, port).ethernet()
            default:
                frame = Craft.icmp(forward ? a : b, forward ? b : a, type: forward ? 8 : 0, id: port).ethernet()
            }
            packets.append(Timed(time: time, frame: frame))
        }
        return packets
    }
    func lines<N: FlowNetwork>(_ network: N, _ packets: [Timed], carry: Bool) -> [String] {
        var options = ReplayOptions()
        options.interval = 60
        var replay = FlowReplay(network: network, options: options)
        replay.carriesDecisions = carry
        for p in packets {
            p.frame.withUnsafeBytes { bytes in
                replay.process(header: PacketHeader(seconds: p.time, microseconds: 0, capturedLength: bytes.count,
                                                    originalLength: bytes.count), bytes: bytes)
            }
        }
        let format = try? FlowLogFormat(parsing: "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}")
        return replay.records().map(FlowLogRenderer(format: format ?? .default, interfaces: network.interfaces).line)
    }
    /// Compares record lists, reporting only the first difference (the lists are long).
    func expectSame(_ carried: [String], _ walked: [String], _ what: String) {
        guard carried != walked else { return }
        let i = (0..<min(carried.count, walked.count)).first { carried[$0] != walked[$0] } ?? min(carried.count, walked.count)
        Issue.record("\(what): \(carried.count) vs \(walked.count) records; first difference at \(i): carried \(i < carried.count ? carried[i] : "-") | walked \(i < walked.count ? walked[i] : "-")")
    }
    for round in 0..<4 {
        let onToy = traffic(["10.0.10.10"], ["203.0.113.7", "198.51.100.1"])
        let walked = lines(toy, onToy, carry: false)
        #expect(walked.count > 20)
        expectSame(lines(toy, onToy, carry: true), walked, "toy round \(round)")

        let onSession = traffic(["10.20.10.10", "10.20.0.10"], ["93.184.216.34", "1.1.1.1", "198.51.100.23"])
        let walkedSession = lines(compiled, onSession, carry: false)
        #expect(walkedSession.count > 20)
        expectSame(lines(compiled, onSession, carry: true), walkedSession, "session round \(round)")
    }
}

/// A capture whose first packet of a 5-tuple comes from the internet to a private address (dropped before any
/// interface) and whose instance then answers through the NAT gateway: the instance's packets get a NAT
/// mapping of their own, and keep it (not a reverse translation towards the NAT gateway) in later intervals.
@Test func responderPacketsThroughNATKeepTheirMappingAcrossIntervals() throws {
    let network = ToyNetwork(hosts: [.init(name: "app", address: v4("10.0.10.10"), subnet: "app")],
                             nat: (v4("10.0.0.50"), v4("54.10.0.1"), "pub"))
    let app = "10.0.10.10", remote = "203.0.113.7"
    var packets = [Timed(time: 4000, frame: Craft.tcp(remote, 53, app, 40003, SYN | ACK).ethernet())]
    for t: Int64 in [4001, 4070] { packets.append(Timed(time: t, frame: Craft.tcp(app, 40003, remote, 53, ACK).ethernet())) }
    let format = "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${start} ${action} ${flow-direction}"
    var expected: [String] = []
    for t in [4001, 4070] {
        expected += [
            "eni-app 10.0.10.10 203.0.113.7 40003 53 \(t) ACCEPT egress",
            "eni-nat 10.0.10.10 10.0.0.50 40003 53 \(t) ACCEPT ingress",
            "eni-nat 10.0.0.50 203.0.113.7 1024 53 \(t) ACCEPT egress",
        ]
    }
    #expect(try replayLines(network, packets, format: format, interval: 60) == expected)
}
