import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// The per-packet entry point (pcap replay): ENI observations in path order.
@Suite struct PacketForwardingTests {
    /// Docs/AWS-BEHAVIOUR.md §11's NAT gateway walk-through: app-1 → 203.0.113.7:443 via nat-a, NAT port 21002.
    struct NATObserver: PacketObserver {
        var seen: [ENIObservation] = []
        mutating func observe(_ o: ENIObservation) { seen.append(o) }
        mutating func natSourcePort(gateway: InterfaceID, original: Packet, translated: Packet) -> UInt16 { 21002 }
        mutating func natReverse(gateway: InterfaceID, reply: Packet) -> (address: IPAddress, port: UInt16)? {
            reply.destinationPort == 21002 ? (.v4(IPv4Address(10, 0, 10, 10)), 40001) : nil
        }
    }

    @Test func natGatewayWalkThroughMatchesTheFlowLogExample() throws {
        let c = compile(Fixture.prod(["NAT": "nat-gateway nat-a in public-a eip 54.10.0.1 ip 10.0.0.50"]))
        let app = try #require(c.interface(named: "app-1")), nat = try #require(c.interface(named: "nat-a"))
        var observer = NATObserver()
        let request = Packet(source: try IPAddress("10.0.10.10"), destination: try IPAddress("203.0.113.7"), ipProtocol: 6,
                             sourcePort: 40001, destinationPort: 443, tcpFlags: 2, length: 60)
        #expect(c.forward(request, from: .interface(app), tracked: false, observer: &observer) == .exitedToInternet)
        let summary = observer.seen.map { "\($0.interface == app ? "app" : "nat") \($0.direction) \($0.packet.source):\($0.packet.sourcePort)>\($0.packet.destination):\($0.packet.destinationPort) \($0.accepted)" }
        #expect(summary == [
            "app egress 10.0.10.10:40001>203.0.113.7:443 true",
            "nat ingress 10.0.10.10:40001>203.0.113.7:443 true",
            "nat egress 10.0.0.50:21002>203.0.113.7:443 true",
        ])
        observer.seen = []
        let reply = Packet(source: try IPAddress("203.0.113.7"), destination: try IPAddress("54.10.0.1"), ipProtocol: 6,
                           sourcePort: 443, destinationPort: 21002, tcpFlags: 18, length: 60)
        #expect(c.forward(reply, from: .internet, tracked: true, observer: &observer) == .delivered(app))
        let back = observer.seen.map { "\($0.interface == nat ? "nat" : "app") \($0.direction) \($0.packet.source):\($0.packet.sourcePort)>\($0.packet.destination):\($0.packet.destinationPort)" }
        #expect(back == [
            "nat ingress 203.0.113.7:443>10.0.0.50:21002",
            "nat egress 203.0.113.7:443>10.0.10.10:40001",
            "app ingress 203.0.113.7:443>10.0.10.10:40001",
        ])
    }

    @Test func securityGroupDropIsARejectOnTheDestinationENI() throws {
        let c = compile(Fixture.prod())
        let web = try #require(c.interface(named: "web-1")), db = try #require(c.interface(named: "db-1"))
        var buffer = ObservationBuffer()
        let p = Packet(source: .v4(IPv4Address(10, 0, 0, 10)), destination: .v4(IPv4Address(10, 0, 20, 5)), ipProtocol: 6,
                       sourcePort: 40000, destinationPort: 5432)
        #expect(c.forward(p, from: .interface(web), tracked: false, observer: &buffer) == .dropped(.eniSGRulesMismatch))
        #expect(buffer.observations.last?.interface == db)
        #expect(buffer.observations.last?.accepted == false)
        #expect(buffer.observations.last?.direction == .ingress)
        // A tracked packet skips security groups (NACLs still apply: db-nacl admits 5432 only from app-a).
        buffer.removeAll()
        let fromApp = Packet(source: .v4(IPv4Address(10, 0, 10, 10)), destination: .v4(IPv4Address(10, 0, 20, 5)), ipProtocol: 6,
                             sourcePort: 40000, destinationPort: 5432)
        let app = try #require(c.interface(named: "app-1"))
        #expect(c.forward(fromApp, from: .interface(app), tracked: true, observer: &buffer) == .delivered(db))
        #expect(buffer.observations.map(\.accepted) == [true, true])
    }

    @Test func naclOutboundDropIsARejectOnTheSender() throws {
        let c = compile(Fixture.prod())
        let db = try #require(c.interface(named: "db-1"))
        var buffer = ObservationBuffer()
        // Reply-like packet db-1 → web-1 on an ephemeral port: db-nacl outbound 100 covers only app-a.
        let p = Packet(source: .v4(IPv4Address(10, 0, 20, 5)), destination: .v4(IPv4Address(10, 0, 0, 10)), ipProtocol: 6,
                       sourcePort: 5432, destinationPort: 40000)
        #expect(c.forward(p, from: .interface(db), tracked: true, observer: &buffer) == .dropped(.subnetACLRestriction))
        #expect(buffer.observations.count == 1 && buffer.observations[0].accepted == false && buffer.observations[0].direction == .egress)
    }

    @Test func tgwAttachmentENIsAppearInThePath() throws {
        let c = compile(Fixture.prod([
            "PRIVATE_ROUTES": "route 10.1.0.0/16 -> core",
            "TGW": """
            transit-gateway core {
              attachment prod-att vpc prod subnets app-a
              attachment shared-att vpc shared subnets svc-a
              route-table spokes { associate prod-att propagate shared-att }
            }
            """,
        ]))
        let app = try #require(c.interface(named: "app-1"))
        var buffer = ObservationBuffer()
        let p = Packet(source: .v4(IPv4Address(10, 0, 10, 10)), destination: .v4(IPv4Address(10, 1, 0, 10)), ipProtocol: 6,
                       sourcePort: 40000, destinationPort: 443)
        let fate = c.forward(p, from: .interface(app), tracked: false, observer: &buffer)
        #expect(fate == .delivered(try #require(c.interface(named: "svc-1"))))
        let kinds = buffer.observations.map { c.interfaces[Int($0.interface.index)].name + " " + $0.direction.rawValue }
        #expect(kinds == ["app-1 egress", "prod-att@app-a ingress", "shared-att@svc-a egress", "svc-1 ingress"])
    }
}
