import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// A Network Load Balancer that keeps its clients' addresses (Docs/SEMANTICS.md "Load balancers", flow logs): the
/// target's side of a client's connection carries the client's address, so the replay starts it at the node and
/// sends its replies back there. AWS's own account of the records (Elastic Load Balancing, "Monitor your Network
/// Load Balancers", VPC Flow Logs): two entries for each connection through the load balancer, the front end
/// (client ↔ node) and the back end (node ↔ target); with client-IP preservation the target sees the client's
/// address; a target group that does not admit the client gives `ACCEPT` on the load balancer's interface for both
/// and `REJECT` on the instance's.
@Suite struct LoadBalancerReplayTests {
    static func network(appRules: String = "ingress tcp 8080 from 0.0.0.0/0", clientInVPC: Bool = false) -> CompiledFlowNetwork {
        let text = """
        vpc prod {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table public {
            associate public-a
            route 0.0.0.0/0 -> igw
          }
          security-group app {
            \(appRules)
          }
          security-group open {
            ingress all from 0.0.0.0/0
          }
          instance web-1 in app-a ip 10.0.10.10 sg app id i-0web
          \(clientInVPC ? "instance client-1 in public-a ip 10.0.0.50 sg open id i-0client" : "")
          target-group web-tg instance tcp 8080
          target web-tg web-1 healthy
          load-balancer web-nlb network internet-facing subnets public-a ip 10.0.0.20 enis eni-0nlb
          listener web-nlb tcp 443 -> web-tg
        }
        """
        let (topology, diagnostics) = TopologyLoader.load(text, file: "nlb.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.rendered))")
        return CompiledFlowNetwork(topology)
    }

    static let format = "${interface-id} ${instance-id} ${srcaddr} ${dstaddr} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${flow-direction}"

    /// The records, sorted, with web-1's interface id written `eni-0web`.
    static func lines(_ network: CompiledFlowNetwork, _ packets: [Timed], name: String = #function) throws -> [String] {
        let web = try #require(network.interfaces.first { $0.instanceID == "i-0web" }).interfaceID
        return try replayLines(network, packets, format: format, name: name).map { $0.replacing(web, with: "eni-0web") }.sorted()
    }

    /// Client → node (front end), then the node's packet to the target with the client's address (back end).
    static func frontAndBack(client: String = "198.51.100.7") -> [Timed] {
        [
            Timed(time: 1000, frame: Craft.tcp(client, 40000, "10.0.0.20", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("10.0.0.20", 443, client, 40000, SYN | ACK).ethernet()),
            Timed(time: 1001, frame: Craft.tcp(client, 40000, "10.0.10.10", 8080, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.0.10.10", 8080, client, 40000, SYN | ACK).ethernet()),
        ]
    }

    @Test func theBackEndStartsAtTheNodeAndItsRepliesGoBackThere() throws {
        let lines = try Self.lines(Self.network(), Self.frontAndBack())
        // The node's interface: the front end both ways, the back end both ways (its own address on its side, as for
        // a NAT gateway's interface; the packet's addresses in pkt-*).
        #expect(lines == [
            "eni-0nlb - 10.0.0.20 10.0.10.10 8080 198.51.100.7 10.0.10.10 ACCEPT egress",
            "eni-0nlb - 10.0.0.20 198.51.100.7 40000 10.0.0.20 198.51.100.7 ACCEPT egress",
            "eni-0nlb - 10.0.10.10 10.0.0.20 40000 10.0.10.10 198.51.100.7 ACCEPT ingress",
            "eni-0nlb - 198.51.100.7 10.0.0.20 443 198.51.100.7 10.0.0.20 ACCEPT ingress",
            // The target: a connection from the client.
            "eni-0web i-0web 10.0.10.10 198.51.100.7 40000 10.0.10.10 198.51.100.7 ACCEPT egress",
            "eni-0web i-0web 198.51.100.7 10.0.10.10 8080 198.51.100.7 10.0.10.10 ACCEPT ingress",
        ].sorted(), "\(lines)")
    }

    @Test func aTargetThatDoesNotAdmitTheClientRejectsOnItsInterfaceOnly() throws {
        // AWS's example: ACCEPT on the load balancer's interface for the front and back end, REJECT on the instance's.
        let lines = try Self.lines(Self.network(appRules: "ingress tcp 8080 from 10.0.0.0/16"), Array(Self.frontAndBack().prefix(3)))
        #expect(lines.contains("eni-0nlb - 198.51.100.7 10.0.0.20 443 198.51.100.7 10.0.0.20 ACCEPT ingress"))
        #expect(lines.contains("eni-0nlb - 10.0.0.20 10.0.10.10 8080 198.51.100.7 10.0.10.10 ACCEPT egress"))
        #expect(lines.contains("eni-0web i-0web 198.51.100.7 10.0.10.10 8080 198.51.100.7 10.0.10.10 REJECT ingress"))
        #expect(!lines.contains { $0.hasPrefix("eni-0web") && $0.contains("ACCEPT") })
    }

    @Test func withoutTheFrontEndAnInternetClientStillComesThroughTheNode() throws {
        // The internet does not route to the target's private address: only the node can have sent it.
        let lines = try Self.lines(Self.network(), Array(Self.frontAndBack().suffix(2)))
        #expect(lines.contains("eni-0nlb - 10.0.0.20 10.0.10.10 8080 198.51.100.7 10.0.10.10 ACCEPT egress"))
        #expect(lines.contains("eni-0web i-0web 198.51.100.7 10.0.10.10 8080 198.51.100.7 10.0.10.10 ACCEPT ingress"))
        #expect(lines.contains("eni-0nlb - 10.0.10.10 10.0.0.20 40000 10.0.10.10 198.51.100.7 ACCEPT ingress"))
        #expect(lines.count == 4, "\(lines)")
    }

    @Test func aClientInTheVPCConnectingDirectlyIsNotTakenForTheNodes() throws {
        let network = Self.network(clientInVPC: true)
        // Only the direct connection in the capture: the client's and the target's records, none on the node.
        let direct = try Self.lines(network, Array(Self.frontAndBack(client: "10.0.0.50").suffix(2)))
        #expect(!direct.contains { $0.hasPrefix("eni-0nlb") }, "\(direct)")
        #expect(direct.contains { $0.hasPrefix("eni-0web i-0web 10.0.0.50 10.0.10.10 8080") && $0.hasSuffix("ACCEPT ingress") })
        // With its front end in the capture, the same packets are the node's back end.
        let through = try Self.lines(network, Self.frontAndBack(client: "10.0.0.50"))
        #expect(through.contains("eni-0nlb - 10.0.0.20 10.0.10.10 8080 10.0.0.50 10.0.10.10 ACCEPT egress"), "\(through)")
        #expect(through.contains("eni-0web i-0web 10.0.0.50 10.0.10.10 8080 10.0.0.50 10.0.10.10 ACCEPT ingress"))
    }
}
