import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// Reachability through the network's edges on the imported Batfish snapshots (issue 18): each expected answer
/// was worked out from the snapshot's JSON and Docs/AWS-BEHAVIOUR.md (§2, §6, §10), not from the engine's output.
/// The on-premises router configurations were not copied with the snapshots, so the prefixes they announce are
/// declared as `--onprem CIDR@EDGE` does (``Topology/announceOnPremises(_:over:)``) or, for BGP preferences that
/// `--onprem` cannot say, as an on-premises network of the model.
@Suite(.enabled(if: Files.batfish != nil, "the shared Batfish snapshots are not on this machine"))
struct BatfishEdgeReachabilityTests {
    static func load(_ folder: String, onprem: [(String, String)] = [], tunnelsUp: Bool = false,
                     edit: (inout Topology) -> Void = { _ in }) throws -> CompiledTopology {
        var t = try importAWS([try #require(Files.batfish) + "/" + folder]).topology
        for (cidr, edge) in onprem { #expect(t.announceOnPremises(try IPv4Prefix(cidr), over: edge) == nil, "\(cidr)@\(edge)") }
        if tunnelsUp { t.assumeTunnelsUp() }
        edit(&t)
        return CompiledTopology(t)
    }

    static func query(_ c: CompiledTopology, _ a: String, _ b: String, _ spec: TrafficSpec,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Verdict? {
        guard case .success(let s) = c.resolve(a), case .success(let d) = c.resolve(b) else {
            Issue.record("endpoint did not resolve: \(a) / \(b)", sourceLocation: sourceLocation); return nil
        }
        return c.reach(from: s, to: d, traffic: spec)
    }

    /// The names of the components on the request's path.
    static func forward(_ v: Verdict?) -> [String] { v?.forwardPath.map(\.component.name) ?? [] }

    static func blocked(_ v: Verdict?, _ code: ExplanationCode, _ direction: PathDirection, at component: String? = nil,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(v?.isReachable == false, sourceLocation: sourceLocation)
        #expect(v?.explanation?.code == code, "\(String(describing: v?.explanation?.code))", sourceLocation: sourceLocation)
        #expect(v?.explanation?.direction == direction, sourceLocation: sourceLocation)
        if let component { #expect(v?.explanation?.component.name == component, sourceLocation: sourceLocation) }
    }

    let ssh = TrafficSpec(ipProtocol: .tcp, port: 22)
    let https = TrafficSpec(ipProtocol: .tcp, port: 443)

    // MARK: test-public-private-subnet: a VGW with a static VPN (19.168.0.0/16), both tunnels DOWN

    @Test func publicPrivateSubnetVGW() throws {
        let folder = "test-public-private-subnet"
        let priv = "i-099cf38911942421c", pub = "i-094a9e5b545a4fde4", vpn = "vpn-05044757278685fd3"
        // §10: both tunnels report DOWN: the VPN carries nothing (BAD_STATE_VPN).
        let down = try Self.load(folder)
        Self.blocked(Self.query(down, priv, "19.168.0.5", ssh), .badStateVPN, .forward, at: vpn)
        let up = try Self.load(folder, tunnelsUp: true)
        // The private subnet uses the main table (0.0.0.0/0 -> vgw, propagation on): out over the VPN's static
        // route, one-way (the far side is not modelled); SG launch-wizard-3 egress all, default NACL allows all.
        let out = Self.query(up, priv, "19.168.0.5", ssh)
        #expect(out?.isReachable == true)
        #expect(out?.notes.contains(ReachMessages.onPremisesFarSide) == true)
        // On-premises to the private instance: a private address in the VPC CIDR, SG admits tcp/22 from anywhere,
        // the reply goes back by the main table to the VGW.
        #expect(Self.query(up, "\(vpn):19.168.0.5", priv, ssh)?.isReachable == true)
        // On-premises to the public instance: delivered, but its subnet's table sends the reply (to the public
        // address 19.168.0.5) out of the IGW, not to the VGW: the connection does not work.
        Self.blocked(Self.query(up, "\(vpn):19.168.0.5", pub, ssh), .noPossibleDestination, .return)
        // On-premises to the public instance's public IP: a VGW delivers only to private addresses (§10).
        Self.blocked(Self.query(up, "\(vpn):19.168.0.5", "13.58.55.60", ssh), .vgwPrivateIPAssociationForIngress, .forward, at: vpn)
        // From the public subnet, 19.168.0.5 goes to the IGW (0.0.0.0/0 -> igw), i.e. the internet, never to the VPN.
        let viaIGW = Self.query(up, pub, "19.168.0.5", ssh)
        #expect(viaIGW?.isReachable == false)
        #expect(!Self.forward(viaIGW).contains(vpn))
        // An address no edge announces: the VGW has no route for it (never a guess).
        Self.blocked(Self.query(up, priv, "10.50.0.5", ssh), .noRouteToDestination, .forward)
    }

    // MARK: test-vpn-gateway: a BGP VPN on the VGW, both tunnels DOWN, 0.0.0.0/0 -> vgw in the private table

    @Test func vpnGatewayWithBGPVPN() throws {
        let folder = "test-vpn-gateway", priv = "i-099cf38911942421c", vpn = "vpn-03701a53bba3c48b7"
        // A BGP VPN announces nothing any AWS document holds: the VGW has no route for 10.200.0.5 and the answer
        // names the VPN whose routes are unknown (never a guess).
        let unknown = Self.query(try Self.load(folder), priv, "10.200.0.5", ssh)
        Self.blocked(unknown, .noRouteToDestination, .forward, at: vpn)
        // Declared (`--onprem 10.200.0.0/16@vpn-…`), but both tunnels DOWN: BAD_STATE_VPN (§10).
        let down = try Self.load(folder, onprem: [("10.200.0.0/16", vpn)])
        Self.blocked(Self.query(down, priv, "10.200.0.5", ssh), .badStateVPN, .forward, at: vpn)
        // As configured (`--assume-tunnels-up`): out one-way, and in from on-premises (SG admits tcp/22; the
        // reply follows 0.0.0.0/0 -> vgw).
        let up = try Self.load(folder, onprem: [("10.200.0.0/16", vpn)], tunnelsUp: true)
        #expect(Self.query(up, priv, "onprem:10.200.0.0/16:10.200.0.5", ssh)?.isReachable == true)
        #expect(Self.query(up, "\(vpn):10.200.0.5", priv, ssh)?.isReachable == true)
        // A source on premises outside the announced prefix: the request is delivered, but the reply to 10.99.0.5
        // has no VGW route (no edge announces it): not reachable, blocked on the return path at the VGW.
        Self.blocked(Self.query(up, "\(vpn):10.99.0.5", priv, ssh), .noRouteToDestination, .return, at: "vgw-0c09bd7fadac961bf")
    }

    @Test func openPortsFromAndToOnPremises() throws {
        // Open-ports mode (no port) with an on-premises endpoint: SG launch-wizard-3 admits tcp/22 only; every
        // protocol goes out (SG egress all, NACL allow all, main table to the VGW).
        let c = try Self.load("test-public-private-subnet", tunnelsUp: true)
        let onprem = "vpn-05044757278685fd3:19.168.0.5", priv = "i-099cf38911942421c"
        guard case .success(let o) = c.resolve(onprem), case .success(let i) = c.resolve(priv) else {
            Issue.record("endpoints did not resolve"); return
        }
        let inbound = Dictionary(uniqueKeysWithValues: c.openPorts(from: o, to: i).map { ($0.traffic, $0.ports) })
        #expect(inbound == ["tcp": PortSet(port: 22), "udp": .empty, "icmp": .empty])
        let outbound = Dictionary(uniqueKeysWithValues: c.openPorts(from: i, to: o).map { ($0.traffic, $0.ports) })
        #expect(outbound == ["tcp": .all, "udp": .all, "icmp": .all])
        // Tunnels down: nothing at all is open.
        let down = try Self.load("test-public-private-subnet")
        guard case .success(let o2) = down.resolve(onprem), case .success(let i2) = down.resolve(priv) else { return }
        #expect(down.openPorts(from: i2, to: o2).allSatisfy { $0.ports == .empty })
    }

    // MARK: test-direct-connect-private-vif: two private VIFs on one VGW

    @Test func highLocalPreferenceVIFIsChosen() throws {
        // Both VIFs announce 10.10.0.0/16; the -high VIF with community 7224:7300 (high), the -low one with
        // 7224:7100 (low): BGP prefers the higher local preference (§10), whatever the announcement order.
        func compiled(high: String, low: String, highFirst: Bool) throws -> CompiledTopology {
            try Self.load("test-direct-connect-private-vif") { t in
                var announcements: [OnPremisesNetwork.Announcement] = [.init(edge: high, localPreference: .high),
                                                                       .init(edge: low, localPreference: .low)]
                if !highFirst { announcements.reverse() }
                t.onPremisesNetworks.append(OnPremisesNetwork(name: "dc", prefixes: [try! IPv4Prefix("10.10.0.0/16")],
                                                              announcements: announcements))
            }
        }
        for highFirst in [true, false] {
            let c = try compiled(high: "dxvif-priv01", low: "dxvif-priv02", highFirst: highFirst)
            let v = Self.query(c, "i-priv01", "onprem:dc:10.10.0.5", ssh)
            #expect(v?.isReachable == true)
            #expect(Self.forward(v).last == "vgw-private-vif-high")
            #expect(v?.returnPath.first?.component.name == "vgw-private-vif-high")
            // Swap the communities: the other VIF wins (the preference decides, not the order or the name).
            let swapped = try compiled(high: "dxvif-priv02", low: "dxvif-priv01", highFirst: highFirst)
            #expect(Self.forward(Self.query(swapped, "i-priv01", "onprem:dc:10.10.0.5", ssh)).last == "vgw-private-vif-low")
        }
    }

    // MARK: test-direct-connect-gateway: a TGW with a DX gateway attachment and a VPN attachment

    @Test func directConnectGatewayOverVPNOnTheTransitGateway() throws {
        // Both the DX gateway (over the transit VIF) and the VPN announce 172.16.0.0/16; both attachments propagate
        // into tgw-rtb-dx01: the DX-gateway-propagated route beats the VPN-propagated one (§6), either order.
        for order in [["vpn-dx-test", "dxvif-dx01"], ["dxvif-dx01", "vpn-dx-test"]] {
            let c = try Self.load("test-direct-connect-gateway", onprem: order.map { ("172.16.0.0/16", $0) })
            let v = Self.query(c, "i-dx01", "172.16.0.5", ssh)
            #expect(v?.isReachable == true)
            #expect(Self.forward(v).last == "dx-test-gateway", "\(Self.forward(v))")
            #expect(!Self.forward(v).contains("vpn-dx-test"))
            let table = try #require(c.tgwRouteTables.firstIndex { $0.awsID == "tgw-rtb-dx01" })
            let d = c.tgwRouteDecision(table: TGWRouteTableID(table), address: .v4(IPv4Address(172, 16, 0, 5)))
            #expect(d.candidates.map(\.code) == [nil, .tgwRTBHigherPriorityRoute])
            // Back from on-premises over the DX gateway: the attachment's table has the VPC's propagated route.
            #expect(Self.query(c, "onprem:172.16.0.0/16:172.16.0.5", "i-dx01", ssh)?.isReachable == true)
        }
        // The isolated VPC's attachment uses tgw-rtb-iso01, which only has its own VPC's route.
        let c = try Self.load("test-direct-connect-gateway", onprem: [("172.16.0.0/16", "dxvif-dx01")])
        Self.blocked(Self.query(c, "subnet-iso01", "172.16.0.5", ssh), .noRouteToDestination, .forward, at: "isolated-tgw-rtb")
        // Nothing announced: no TGW route for the address, never reachable.
        let none = try Self.load("test-direct-connect-gateway")
        #expect(Self.query(none, "i-dx01", "dxvif-dx01:172.16.0.5", ssh)?.isReachable == false)
    }

    @Test func directConnectGatewayMultiRegion() throws {
        // One DX gateway associated with a TGW in us-east-1 and one in us-west-1. A DX gateway never carries
        // traffic between two associations (§10): neither TGW table has a route to the other, and no VPC is
        // attached, so the import holds the shape and nothing else.
        let t = try importAWS([try #require(Files.batfish) + "/test-direct-connect-gateway-multi-region"]).topology
        #expect(t.directConnectGateways.count == 1)
        #expect(t.directConnectGateways.first?.associations.count == 2)
        #expect(Set(t.transitGateways.map(\.region)) == ["us-east-1", "us-west-1"])
        let c = CompiledTopology(t)
        for table in c.tgwRouteTables.indices {
            #expect(c.tgwRoute(table: TGWRouteTableID(table), address: .v4(IPv4Address(10, 1, 0, 5))) == nil)
        }
    }

    // MARK: test-transit-gateway-peering: bat, bat2 (us-east-1) and fish (us-west-1) over a TGW peering

    @Test func transitGatewayPeering() throws {
        let c = try Self.load("test-transit-gateway-peering")
        let bat = "i-08f3abb6471637c66", bat2 = "i-05e25e43074216229", fish = "i-0afb0a59f6bf36397"
        // bat2 -> fish: bat2's table sends 192.168.0.0/16 over the peering; the west side uses the peering
        // attachment's table (tgw-rtb-00be…), which has fish's propagated route: delivered. The reply: fish's
        // table sends 10.20.0.0/16 over the peering, and the east side's table for the peering attachment,
        // tgw-rtb-05d2952671d1f460a, has no route to 10.20.0.0/16: blocked on the return path.
        Self.blocked(Self.query(c, bat2, fish, ssh), .noRouteToDestination, .return, at: "tgw-rtb-05d2952671d1f460a")
        // bat -> fish: bat's attachment uses tgw-rtb-05d2952671d1f460a, with bat's VPC route only.
        Self.blocked(Self.query(c, bat, fish, ssh), .noRouteToDestination, .forward, at: "tgw-rtb-05d2952671d1f460a")
        // fish -> bat2: west sends 10.20.0.0/16 over the peering; the east side's table has no route to it.
        Self.blocked(Self.query(c, fish, bat2, ssh), .noRouteToDestination, .forward, at: "tgw-rtb-05d2952671d1f460a")
        // fish -> bat: the west table has no route to 10.10.0.0/16 (static routes only cross a peering).
        Self.blocked(Self.query(c, fish, bat, ssh), .noRouteToDestination, .forward, at: "tgw-rtb-00be87593fb2cd0ae")
    }

    // MARK: test-vpc-endpoint-gateway: an S3 gateway endpoint on both tables

    @Test func s3TrafficUsesTheGatewayEndpoint() throws {
        let c = try Self.load("test-vpc-endpoint-gateway")
        let endpoint = "vpce-0b7357542bb7b83ec"
        // The private subnet's table (testing-noigw) has only local and the endpoint's prefix-list route: an S3
        // address goes through the endpoint (one-way into the service), by address, endpoint id or service name.
        for destination in ["52.216.0.10", endpoint, "s3", "com.amazonaws.us-east-1.s3"] {
            let v = Self.query(c, "private-web01", destination, https)
            #expect(v?.isReachable == true, "\(destination)")
            #expect(Self.forward(v).contains(endpoint), "\(destination)")
        }
        // The public subnet's table also has 0.0.0.0/0 -> igw: the prefix list's /15 is longer, so S3 still goes
        // through the endpoint, not the IGW.
        let pub = Self.query(c, "public-web01", "3.5.0.10", https)
        #expect(pub?.isReachable == true)
        #expect(Self.forward(pub).contains(endpoint))
        #expect(!Self.forward(pub).contains("testing-igw-0c8afe4471084ccba"))
        // The endpoint carries TCP and ICMP echo only.
        Self.blocked(Self.query(c, "private-web01", "52.216.0.10", TrafficSpec(ipProtocol: .udp, port: 53)),
                     .vpceGatewayProtocolRestriction, .forward, at: endpoint)
        // Other internet addresses have no route from the private subnet; the service never initiates.
        Self.blocked(Self.query(c, "private-web01", "8.8.8.8", https), .noRouteToDestination, .forward)
        Self.blocked(Self.query(c, endpoint, "private-web01", ssh), .noPath, .forward, at: endpoint)
    }

    // MARK: test-vpc-endpoint-interface: a CloudTrail interface endpoint in the private subnet

    @Test func interfaceEndpointAdmitsWhatItsGroupAdmits() throws {
        let c = try Self.load("test-vpc-endpoint-interface")
        let endpoint = "vpce-083c683a6be29b889"
        // Its ENI 10.1.101.97 has SG testing_general (tcp 22, 443, udp 33434-33534, icmp echo from anywhere).
        #expect(Self.query(c, "public-web01", endpoint, https)?.isReachable == true)
        #expect(Self.query(c, "private-web01", "10.1.101.97", https)?.isReachable == true)
        Self.blocked(Self.query(c, "public-web01", endpoint, TrafficSpec(ipProtocol: .tcp, port: 8080)), .eniSGRulesMismatch, .forward)
        // An interface endpoint never initiates; from the internet its private address is not reachable.
        Self.blocked(Self.query(c, endpoint, "public-web01", ssh), .vpceIntraVPCTraffic, .forward, at: endpoint)
        Self.blocked(Self.query(c, "internet", endpoint, https), .igwPrivateIPAssociationForIngress, .forward)
    }
}
