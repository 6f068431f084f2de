import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// The done-when scenario: a real-looking session replayed through Topologies/flowlogs-session.vpc.
/// app-1 asks the Amazon resolver (not logged) and 1.1.1.1 (logged, through nat-a) for a name, opens an
/// HTTPS connection to 93.184.216.34 through nat-a; someone on the internet tries SSH on web-1 (NACL: REJECT).
@Test func realLookingSessionGivesAWSRecords() throws {
    let text = try #require(repositoryFile("Topologies/flowlogs-session.vpc"))
    let (topology, diagnostics) = TopologyLoader.load(text, file: "flowlogs-session.vpc")
    #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
    let network = CompiledFlowNetwork(topology)
    let app = "10.20.10.10", web = "10.20.0.10", site = "93.184.216.34", attacker = "198.51.100.23"
    let t: Int64 = 1_700_000_100
    var packets: [Timed] = [
        Timed(time: t, frame: Craft.udp(app, 41000, "10.20.0.2", 53, payload: 30).ethernet()),
        Timed(time: t, frame: Craft.udp("10.20.0.2", 53, app, 41000, payload: 46).ethernet()),
        Timed(time: t, frame: Craft.udp(app, 41001, "1.1.1.1", 53, payload: 30).ethernet()),
        Timed(time: t + 1, frame: Craft.udp("1.1.1.1", 53, app, 41001, payload: 46).ethernet()),
        Timed(time: t + 1, frame: Craft.tcp(app, 40001, site, 443, SYN).ethernet()),
        Timed(time: t + 1, frame: Craft.tcp(site, 443, app, 40001, SYN | ACK).ethernet()),
        Timed(time: t + 1, frame: Craft.tcp(app, 40001, site, 443, ACK).ethernet()),
        Timed(time: t + 1, frame: Craft.tcp(app, 40001, site, 443, PSH | ACK, payload: 517).ethernet()),
        Timed(time: t + 2, frame: Craft.tcp(site, 443, app, 40001, PSH | ACK, payload: 1400).ethernet()),
        Timed(time: t + 2, frame: Craft.tcp(app, 40001, site, 443, ACK).ethernet()),
        Timed(time: t + 3, frame: Craft.tcp(app, 40001, site, 443, FIN | ACK).ethernet()),
        Timed(time: t + 3, frame: Craft.tcp(site, 443, app, 40001, FIN | ACK).ethernet()),
        Timed(time: t + 3, frame: Craft.tcp(app, 40001, site, 443, ACK).ethernet()),
    ]
    for retry: Int64 in [0, 1, 3] {
        packets.append(Timed(time: t + 5 + retry, frame: Craft.tcp(attacker, 52122, web, 22, SYN).ethernet()))
    }
    let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "session")
    var replay = FlowReplay(network: network)
    try replay.replayCapture(path: path)
    let format = try FlowLogFormat(parsing: "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}")
    let lines = replay.records().map(FlowLogRenderer(format: format, interfaces: network.interfaces).line)
    let web1 = network.interfaces[0].interfaceID, app1 = network.interfaces[1].interfaceID
    let nat = network.interfaces[2].interfaceID
    #expect(network.interfaces[2].isNATGateway && network.interfaces[1].primaryAddress == v4(app))
    let expected = [
        // DNS to 1.1.1.1 through nat-a (the Amazon resolver query is not logged).
        "5 \(app1) 10.20.10.10 1.1.1.1 41001 53 17 1 58 ACCEPT 0 10.20.10.10 1.1.1.1 egress 1",
        "5 \(nat) 10.20.10.10 10.20.0.50 41001 53 17 1 58 ACCEPT 0 10.20.10.10 1.1.1.1 ingress -",
        "5 \(nat) 10.20.0.50 1.1.1.1 1024 53 17 1 58 ACCEPT 0 10.20.0.50 1.1.1.1 egress 2",
        "5 \(nat) 1.1.1.1 10.20.0.50 53 1024 17 1 74 ACCEPT 0 1.1.1.1 10.20.0.50 ingress -",
        "5 \(nat) 10.20.0.50 10.20.10.10 53 41001 17 1 74 ACCEPT 0 1.1.1.1 10.20.10.10 egress 1",
        "5 \(app1) 1.1.1.1 10.20.10.10 53 41001 17 1 74 ACCEPT 0 1.1.1.1 10.20.10.10 ingress -",
        // HTTPS through nat-a: 6 packets out (40+40+557+40+40+40), 3 back (40+1440+40).
        "5 \(app1) 10.20.10.10 93.184.216.34 40001 443 6 6 757 ACCEPT 3 10.20.10.10 93.184.216.34 egress 1",
        "5 \(nat) 10.20.10.10 10.20.0.50 40001 443 6 6 757 ACCEPT 3 10.20.10.10 93.184.216.34 ingress -",
        "5 \(nat) 10.20.0.50 93.184.216.34 1025 443 6 6 757 ACCEPT 3 10.20.0.50 93.184.216.34 egress 2",
        "5 \(nat) 93.184.216.34 10.20.0.50 443 1025 6 3 1520 ACCEPT 19 93.184.216.34 10.20.0.50 ingress -",
        "5 \(nat) 10.20.0.50 10.20.10.10 443 40001 6 3 1520 ACCEPT 19 93.184.216.34 10.20.10.10 egress 1",
        "5 \(app1) 93.184.216.34 10.20.10.10 443 40001 6 3 1520 ACCEPT 19 93.184.216.34 10.20.10.10 ingress -",
        // The SSH attempt: public-nacl has no inbound rule for port 22.
        "5 \(web1) 198.51.100.23 10.20.0.10 52122 22 6 3 120 REJECT 2 198.51.100.23 10.20.0.10 ingress -",
    ]
    #expect(lines == expected)
    #expect(replay.summary.skipped(.notLogged) == 2)
    #expect(replay.summary.rejected == 3)
}

import Glibc
