import TestSupport
import Testing
import NetworkModel
@testable import FlowLogs

/// Replay through Topologies/hub-and-spoke.vpc: every transit gateway attachment ENI a packet crosses gets its
/// records (Docs/AWS-BEHAVIOUR.md §11: "TGW ENIs behave alike" — the ENI's own primary address on its side of
/// srcaddr/dstaddr, the packet's true ends in pkt-*), and the inspection VPC's firewall logs both legs.
@Test func transitGatewayAttachmentENIsGetRecords() throws {
    let text = try #require(repositoryFile("Topologies/hub-and-spoke.vpc"))
    let (topology, diagnostics) = TopologyLoader.load(text, file: "hub-and-spoke.vpc")
    #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
    let network = CompiledFlowNetwork(topology)
    let a1 = "10.1.1.10", b1 = "10.2.1.10", dns = "10.50.1.10"
    let t: Int64 = 1_700_000_000
    let packets = [
        Timed(time: t, frame: Craft.udp(a1, 41000, dns, 53, payload: 30).ethernet()),
        Timed(time: t, frame: Craft.udp(dns, 53, a1, 41000, payload: 46).ethernet()),
        Timed(time: t + 1, frame: Craft.tcp(a1, 40000, b1, 443, SYN).ethernet()),
    ]
    let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "hubandspoke")
    var replay = FlowReplay(network: network)
    try replay.replayCapture(path: path)
    let format = try FlowLogFormat(parsing: "${interface-id} ${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${action} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}")
    let lines = replay.records().map(FlowLogRenderer(format: format, interfaces: network.interfaces).line)
    func eni(_ name: String) -> String {
        let i = network.compiled.interfaces.firstIndex { $0.name == name }
        return i.map { "\(network.interfaces[$0].interfaceID) \(network.interfaces[$0].instanceID ?? "-")" } ?? "missing:\(name)"
    }
    // TGW attachment ENIs take the last free address of their subnet (Reachability's choice): .14 of a /28.
    #expect(lines == [
        // DNS query: spoke-a → TGW (spokes table: 10.50.0.0/16 propagated from shared-att) → shared-services.
        "\(eni("app-a1")) 10.1.1.10 10.50.1.10 41000 53 ACCEPT 10.1.1.10 10.50.1.10 egress 1",
        "\(eni("spoke-a-att@a-tgw-1")) 10.1.1.10 10.1.255.14 41000 53 ACCEPT 10.1.1.10 10.50.1.10 ingress -",
        "\(eni("shared-att@svc-tgw-1")) 10.50.255.14 10.50.1.10 41000 53 ACCEPT 10.1.1.10 10.50.1.10 egress 1",
        "\(eni("dns-1")) 10.1.1.10 10.50.1.10 41000 53 ACCEPT 10.1.1.10 10.50.1.10 ingress -",
        // The answer goes straight back (shared table: spoke-a propagated).
        "\(eni("dns-1")) 10.50.1.10 10.1.1.10 53 41000 ACCEPT 10.50.1.10 10.1.1.10 egress 1",
        "\(eni("shared-att@svc-tgw-1")) 10.50.1.10 10.50.255.14 53 41000 ACCEPT 10.50.1.10 10.1.1.10 ingress -",
        "\(eni("spoke-a-att@a-tgw-1")) 10.1.255.14 10.1.1.10 53 41000 ACCEPT 10.50.1.10 10.1.1.10 egress 1",
        "\(eni("app-a1")) 10.50.1.10 10.1.1.10 53 41000 ACCEPT 10.50.1.10 10.1.1.10 ingress -",
        // Spoke to spoke: through the inspection VPC's firewall and back to the TGW, then into spoke-b.
        "\(eni("app-a1")) 10.1.1.10 10.2.1.10 40000 443 ACCEPT 10.1.1.10 10.2.1.10 egress 1",
        "\(eni("spoke-a-att@a-tgw-1")) 10.1.1.10 10.1.255.14 40000 443 ACCEPT 10.1.1.10 10.2.1.10 ingress -",
        "\(eni("inspection-att@insp-tgw-1")) 10.100.0.14 10.2.1.10 40000 443 ACCEPT 10.1.1.10 10.2.1.10 egress 1",
        "\(eni("fw-1")) 10.1.1.10 10.100.1.10 40000 443 ACCEPT 10.1.1.10 10.2.1.10 ingress -",
        "\(eni("fw-1")) 10.100.1.10 10.2.1.10 40000 443 ACCEPT 10.1.1.10 10.2.1.10 egress 1",
        "\(eni("inspection-att@insp-tgw-1")) 10.1.1.10 10.100.0.14 40000 443 ACCEPT 10.1.1.10 10.2.1.10 ingress -",
        "\(eni("spoke-b-att@b-tgw-1")) 10.2.255.14 10.2.1.10 40000 443 ACCEPT 10.1.1.10 10.2.1.10 egress 1",
        "\(eni("app-b1")) 10.1.1.10 10.2.1.10 40000 443 ACCEPT 10.1.1.10 10.2.1.10 ingress -",
    ])
    // Requester-managed ENIs print no instance id.
    for name in ["spoke-a-att@a-tgw-1", "shared-att@svc-tgw-1", "inspection-att@insp-tgw-1", "spoke-b-att@b-tgw-1"] {
        #expect(eni(name).hasPrefix("eni-") && eni(name).hasSuffix(" -"))
    }
    #expect(eni("app-a1").contains(" i-"))
    #expect(replay.summary.accepted == 3 && replay.summary.rejected == 0)
}
