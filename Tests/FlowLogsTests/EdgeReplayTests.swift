import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// Replay across the network's edges (Docs/AWS-BEHAVIOUR.md §10, §11): traffic to and from on premises over a
/// VGW (a static VPN), and the replies of a gateway endpoint's service. On-premises addresses are the remote
/// side of the records like any peer's; replies enter by the edge, not the internet gateway.
@Suite struct EdgeReplayTests {
    static let text = source(nacl100: "deny tcp 22 from 192.168.9.0/24")
    static func source(nacl100: String) -> String { """
    prefix-list s3 { 52.216.0.0/15 }
    vpc prod {
      cidr 10.0.0.0/16
      vpn-gateway vgw1 id vgw-0a1b
      subnet app-a 10.0.10.0/24 az us-east-1a
      route-table private main {
        associate app-a
        route 192.168.0.0/16 -> vgw1
        route 172.16.0.0/12 -> vgw1    # nothing on premises announces it
      }
      security-group app {
        ingress tcp 22 from 192.168.0.0/16
      }
      network-acl app-nacl {
        associate app-a
        inbound 100 \(nacl100)
        inbound 200 allow all from 0.0.0.0/0
        outbound 100 allow all to 0.0.0.0/0
      }
      endpoint s3-gw gateway s3 route-tables private
      endpoint ssm interface ssm subnets app-a sg app ip 10.0.10.50
      instance app-1 in app-a ip 10.0.10.10 sg app
    }
    customer-gateway office-cgw ip 198.51.100.10 asn 65000
    vpn-connection office-vpn vgw vgw1 customer-gateway office-cgw static 192.168.0.0/16 id vpn-0office
    onprem office 192.168.0.0/16 via office-vpn
    """ }

    static func network(_ text: String = text) -> CompiledFlowNetwork {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "edges-replay.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        return CompiledFlowNetwork(topology)
    }

    /// The records' lines (sorted) and the summary.
    static func replay(_ packets: [Timed], network: CompiledFlowNetwork = network(),
                       name: String = #function) throws -> (lines: [String], summary: ReplaySummary) {
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "edges" + name.filter { $0.isLetter || $0.isNumber })
        var replay = FlowReplay(network: network)
        try replay.replayCapture(path: path)
        let format = try FlowLogFormat(parsing: "${srcaddr} ${dstaddr} ${srcport} ${dstport} ${action} ${flow-direction} ${traffic-path}")
        let renderer = FlowLogRenderer(format: format, interfaces: network.interfaces)
        return (replay.records().map { renderer.line($0) }.sorted(), replay.summary)
    }

    @Test func theOriginOfAnAddressNoInterfaceHolds() {
        let network = Self.network()
        let app = network.interface(holding: v4("10.0.10.10"))
        #expect(network.hasExternalOrigins)
        #expect(network.externalOrigin(source: v4("192.168.1.10"), receiver: app, isReply: false) == .onPremises)
        #expect(network.externalOrigin(source: v4("192.168.1.10"), receiver: app, isReply: true) == .onPremises)
        #expect(network.externalOrigin(source: v4("172.16.0.5"), receiver: app, isReply: true) == .internet)
        #expect(network.externalOrigin(source: v4("8.8.8.8"), receiver: app, isReply: true) == .internet)
        // The service answers only: a packet it would start is not the endpoint's.
        #expect(network.externalOrigin(source: v4("52.216.1.1"), receiver: app, isReply: true) == .gatewayEndpointService(0))
        #expect(network.externalOrigin(source: v4("52.216.1.1"), receiver: app, isReply: false) == .internet)
        #expect(network.externalOrigin(source: v4("52.216.1.1"), receiver: nil, isReply: true) == .internet)
        // Without edges or endpoints the replay does not ask.
        let plain = Self.network("vpc v {\n  cidr 10.0.0.0/16\n  subnet a 10.0.1.0/24\n  instance i in a ip 10.0.1.10\n}")
        #expect(!plain.hasExternalOrigins)
    }

    /// §11: traffic-path 3 through a VGW; the reply from on premises arrives at the instance's ENI (ingress,
    /// tracked: the NACL allows it, the security group tracks the connection).
    @Test func toOnPremisesOverTheVGWAndBack() throws {
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.0.10.10", 40000, "192.168.1.10", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("192.168.1.10", 443, "10.0.10.10", 40000, SYN | ACK).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.0.10.10", 40000, "192.168.1.10", 443, ACK).ethernet()),
        ])
        #expect(lines == [
            "10.0.10.10 192.168.1.10 40000 443 ACCEPT egress 3",
            "192.168.1.10 10.0.10.10 443 40000 ACCEPT ingress -",
        ])
        #expect(summary.accepted == 3 && summary.rejected == 0 && summary.skipped(.unmapped) == 0)
    }

    /// On premises starts connections too: the NACL and the security group decide as for any peer, and the
    /// answers leave over the VGW (3).
    @Test func fromOnPremisesToTheInstance() throws {
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("192.168.1.10", 50000, "10.0.10.10", 22, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("10.0.10.10", 22, "192.168.1.10", 50000, SYN | ACK).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("192.168.9.5", 50001, "10.0.10.10", 22, SYN).ethernet()),   // NACL in 100
            Timed(time: 1002, frame: Craft.tcp("192.168.1.10", 50002, "10.0.10.10", 80, SYN).ethernet()),  // no SG rule
        ])
        #expect(lines == [
            "10.0.10.10 192.168.1.10 22 50000 ACCEPT egress 3",
            "192.168.1.10 10.0.10.10 50000 22 ACCEPT ingress -",
            "192.168.1.10 10.0.10.10 50002 80 REJECT ingress -",
            "192.168.9.5 10.0.10.10 50001 22 REJECT ingress -",
        ])
        #expect(summary.accepted == 2 && summary.rejected == 2)
    }

    /// A prefix nothing on premises announces: the VGW has no route for it (the walk blocks there). The
    /// sender's ENI logged what its groups and NACL decided, as for a blackhole; the packet counts as dropped,
    /// and nothing can answer from that address over the edge (no record).
    @Test func toAPrefixNoEdgeAnnounces() throws {
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.0.10.10", 40000, "172.16.0.5", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("172.16.0.5", 443, "10.0.10.10", 40000, SYN | ACK).ethernet()),
        ])
        #expect(lines == ["10.0.10.10 172.16.0.5 40000 443 ACCEPT egress 3"])
        #expect(summary.accepted == 0 && summary.rejected == 1 && summary.skipped(.unmapped) == 1)
    }

    /// §10/§11: S3 traffic leaves through the gateway endpoint (traffic-path 2: no Nitro code 7, as the IGW gets
    /// 2, not 8), and the service's answers come back through it into the VPC (there is no internet gateway).
    @Test func theGatewayEndpointsServiceAnswers() throws {
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.0.10.10", 40000, "52.216.1.1", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("52.216.1.1", 443, "10.0.10.10", 40000, SYN | ACK).ethernet()),
        ])
        #expect(lines == [
            "10.0.10.10 52.216.1.1 40000 443 ACCEPT egress 2",
            "52.216.1.1 10.0.10.10 443 40000 ACCEPT ingress -",
        ])
        #expect(summary.accepted == 2 && summary.rejected == 0)
    }

    /// The answer's way in is the destination subnet's inbound NACL, as for any reply.
    @Test func theNACLFiltersTheServicesAnswers() throws {
        let text = Self.source(nacl100: "deny tcp 1024-65535 from 52.216.0.0/15")
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.0.10.10", 40000, "52.216.1.1", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("52.216.1.1", 443, "10.0.10.10", 40000, SYN | ACK).ethernet()),
        ], network: Self.network(text))
        #expect(lines == [
            "10.0.10.10 52.216.1.1 40000 443 ACCEPT egress 2",
            "52.216.1.1 10.0.10.10 443 40000 REJECT ingress -",
        ])
        #expect(summary.accepted == 1 && summary.rejected == 1)
    }

    /// `--map` names interface endpoints (`NAME`, `NAME@SUBNET`) and on-premises networks (`onprem:NAME`, the first
    /// host of its first prefix); a lab address mapped onto premises replays as on premises.
    @Test func addressMapNamesEndpointsAndOnPremisesNetworks() throws {
        let network = Self.network()
        let names = network.endpointAddresses
        #expect(names["ssm"] == v4("10.0.10.50") && names["ssm@app-a"] == v4("10.0.10.50"))
        #expect(names["onprem:office"] == v4("192.168.0.1"))
        let entry = try AddressMap.parse("198.18.0.7=onprem:office", origin: "--map", endpoints: names)
        #expect(entry.to == v4("192.168.0.1"))
        let path = CaptureWriter.write(CaptureWriter.pcap([
            Timed(time: 1000, frame: Craft.tcp("198.18.0.7", 50000, "10.0.10.10", 22, SYN).ethernet()),
        ]), name: "edgesmaponprem")
        var options = ReplayOptions()
        options.addressMap = [entry.from: entry.to]
        var replay = FlowReplay(network: network, options: options)
        try replay.replayCapture(path: path)
        let format = try FlowLogFormat(parsing: "${srcaddr} ${dstaddr} ${action} ${flow-direction}")
        #expect(replay.records().map(FlowLogRenderer(format: format, interfaces: network.interfaces).line)
                == ["192.168.0.1 10.0.10.10 ACCEPT ingress"])
    }

    static func tgwSource(tunnels: String) -> String { """
    vpc spoke {
      cidr 10.1.0.0/16
      subnet s-a 10.1.1.0/24 az us-east-1a
      route-table rt main {
        associate s-a
        route 172.30.0.0/16 -> core
      }
      security-group app { ingress tcp 22 from 172.30.0.0/16 }
      instance s-1 in s-a ip 10.1.1.10 sg app
    }
    transit-gateway core {
      attachment spoke-att vpc spoke subnets s-a
      attachment branch-att vpn branch-vpn
      route-table main {
        associate spoke-att branch-att
        propagate spoke-att branch-att
      }
    }
    customer-gateway branch ip 203.0.113.20 asn 65010
    vpn-connection branch-vpn tgw core customer-gateway branch bgp tunnels \(tunnels)
    onprem branch-office 172.30.0.0/16 via branch-vpn
    """ }

    /// §6/§11: on premises behind a TGW VPN attachment. The instance's egress goes to the TGW attachment ENI in
    /// its VPC (traffic-path 1, a resource in the same VPC); the attachment ENI logs both legs; on premises'
    /// SSH comes in by the VPN attachment's TGW route table.
    @Test func toAndFromOnPremisesOverATransitGatewayVPN() throws {
        let network = Self.network(Self.tgwSource(tunnels: "up up"))
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.1.1.10", 40000, "172.30.1.5", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("172.30.1.5", 443, "10.1.1.10", 40000, SYN | ACK).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("172.30.1.5", 50000, "10.1.1.10", 22, SYN).ethernet()),
        ], network: network)
        #expect(lines == [
            "10.1.1.10 10.1.1.254 40000 443 ACCEPT ingress -",
            "10.1.1.10 172.30.1.5 40000 443 ACCEPT egress 1",
            "10.1.1.254 10.1.1.10 443 40000 ACCEPT egress 1",
            "10.1.1.254 10.1.1.10 50000 22 ACCEPT egress 1",
            "172.30.1.5 10.1.1.10 443 40000 ACCEPT ingress -",
            "172.30.1.5 10.1.1.10 50000 22 ACCEPT ingress -",
        ])
        #expect(summary.accepted == 3 && summary.rejected == 0)
    }

    /// Both tunnels down (TGW_BAD_STATE_VPN): nothing leaves over the VPN, and nothing comes in from it.
    @Test func aTransitGatewayVPNWithItsTunnelsDown() throws {
        let network = Self.network(Self.tgwSource(tunnels: "down down"))
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.1.1.10", 40000, "172.30.1.5", 443, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("172.30.1.5", 50000, "10.1.1.10", 22, SYN).ethernet()),
        ], network: network)
        // The ENIs before the TGW logged what they decided; the packet counts as dropped (at the attachment).
        #expect(lines == ["10.1.1.10 10.1.1.254 40000 443 ACCEPT ingress -", "10.1.1.10 172.30.1.5 40000 443 ACCEPT egress 1"])
        #expect(summary.accepted == 0 && summary.rejected == 1 && summary.skipped(.unmapped) == 1)
    }

    /// An endpoint index the topology does not have is dropped by the engine, never a crash.
    @Test func anUnknownGatewayEndpointOriginIsDropped() {
        struct Sink: FlowPathHandler {
            var seen = 0
            mutating func observe(_ observation: InterfaceObservation) { seen += 1 }
            mutating func natSourcePort(gateway: Int32, original: DecodedPacket) -> UInt16 { 0 }
            mutating func natReverse(gateway: Int32, reply: DecodedPacket) -> (address: FlowAddress, port: UInt16)? { nil }
        }
        let network = Self.network()
        var packet = DecodedPacket()
        packet.source = v4("52.216.1.1")
        packet.destination = v4("10.0.10.10")
        packet.ipProtocol = 6
        var sink = Sink()
        #expect(network.forward(packet, from: .gatewayEndpointService(99), tracked: true, handler: &sink) == .dropped)
        #expect(network.forward(packet, from: .gatewayEndpointService(-1), tracked: true, handler: &sink) == .dropped)
        #expect(network.forward(packet, from: .gatewayEndpointService(0), tracked: true, handler: &sink) == .delivered)
        #expect(sink.seen == 1)
    }

    /// An interface endpoint's ENI answers (its packets are replies of a tracked connection): both its records
    /// and the instance's ingress, all ACCEPT; a packet it would start is dropped where the engine says.
    @Test func anInterfaceEndpointAnswers() throws {
        let lines = try VPCEndpointReplayTests.lines([
            Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "10.0.1.50", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("10.0.1.50", 443, "10.0.1.10", 40000, SYN | ACK).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.0.1.50", 50000, "10.0.1.10", 22, SYN).ethernet()),
        ])
        #expect(lines == [
            "eni-01fbedba5e4abf8e7 i-0af63dc4c8601ec8c 10.0.1.10 10.0.1.50 ACCEPT egress 1",
            "eni-01fbedba5e4abf8e7 i-0af63dc4c8601ec8c 10.0.1.50 10.0.1.10 ACCEPT ingress -",
            "eni-0ssm - 10.0.1.10 10.0.1.50 ACCEPT ingress -",
            "eni-0ssm - 10.0.1.50 10.0.1.10 ACCEPT egress 1",
            // The SSH the endpoint would start: refused at its ENI (nothing reaches the instance); the record's
            // traffic-path is its route's, as for any egress REJECT.
            "eni-0ssm - 10.0.1.50 10.0.1.10 REJECT egress 1",
        ])
    }

    /// S3 traffic of a subnet without the endpoint route goes through the NAT gateway, whose subnet's table has
    /// it (§10: the route of the subnet the packet is in decides): the NAT gateway's ENI leaves with
    /// traffic-path 2 through the endpoint, and S3's answer comes back through the endpoint to the NAT gateway
    /// (the VPC has no internet gateway), which translates it back to the instance.
    @Test func s3ThroughANATGatewayWhoseSubnetHasTheEndpointRoute() throws {
        let network = Self.network("""
        prefix-list s3 { 52.216.0.0/15 }
        vpc v {
          cidr 10.0.0.0/16
          subnet public-a 10.0.0.0/24 az us-east-1a
          subnet app-a 10.0.10.0/24 az us-east-1a
          nat-gateway nat-a in public-a ip 10.0.0.50 eip 54.0.0.50
          route-table public { associate public-a }  # no internet gateway: S3's answer can only come by the endpoint
          route-table private main {
            associate app-a
            route 0.0.0.0/0 -> nat-a
          }
          endpoint s3-gw gateway s3 route-tables public
          instance app-1 in app-a ip 10.0.10.10
        }
        """)
        let (lines, summary) = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.0.10.10", 40000, "52.216.1.1", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("52.216.1.1", 443, "10.0.10.10", 40000, SYN | ACK).ethernet()),
        ], network: network)
        #expect(lines == [
            "10.0.0.50 10.0.10.10 443 40000 ACCEPT egress 1",
            "10.0.0.50 52.216.1.1 1024 443 ACCEPT egress 2",
            "10.0.10.10 10.0.0.50 40000 443 ACCEPT ingress -",
            "10.0.10.10 52.216.1.1 40000 443 ACCEPT egress 1",
            "52.216.1.1 10.0.0.50 443 1024 ACCEPT ingress -",
            "52.216.1.1 10.0.10.10 443 40000 ACCEPT ingress -",
        ])
        #expect(summary.accepted == 2 && summary.rejected == 0)
    }
}
