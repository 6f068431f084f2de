import TestSupport
import Testing
import NetworkModel
import Reachability
@testable import FlowLogs

/// Replay over a Direct Connect *transit* virtual interface (Docs/AWS-BEHAVIOUR.md §10: a transit VIF ends on a DX
/// gateway associated with a TGW; §6: the DX-gateway attachment propagates the on-premises prefixes; §11: AWS logs
/// ENIs only — the instance's and the TGW attachment's, never the VIF or the DX gateway). On premises ↔ VPC
/// through the TGW, both directions, accepted and rejected.
@Suite struct TransitVIFReplayTests {
    static let text = """
    vpc app {
      cidr 10.100.0.0/16
      subnet app-a 10.100.1.0/24 az us-east-1a
      subnet tgw-a 10.100.255.0/28 az us-east-1a
      route-table rt main {
        associate app-a
        route 0.0.0.0/0 -> core
      }
      route-table tgw-rt { associate tgw-a }
      security-group web { ingress tcp 443 from 172.16.0.0/16 }
      network-acl app-nacl {
        associate app-a
        inbound 100 deny tcp 443 from 172.16.9.0/24
        inbound 200 allow all from 0.0.0.0/0
        outbound 100 deny tcp 5432 to 172.16.0.0/16
        outbound 200 allow all to 0.0.0.0/0
      }
      instance web-1 in app-a ip 10.100.1.10 sg web
    }
    transit-gateway core {
      attachment app-att vpc app subnets tgw-a
      attachment dx-att dx-gateway dxg
      route-table main-rt {
        associate app-att dx-att
        propagate app-att dx-att
      }
    }
    dx-gateway dxg id 7b2c4f8a-1234-4abc-9def-fedcba987654 {
      associate core allowed 10.0.0.0/8
    }
    dx-vif dc-t transit dx-gateway dxg id dxvif-dx01
    onprem dc 172.16.0.0/16 via dc-t
    """

    struct Replayed {
        var lines: [String]
        var summary: ReplaySummary
        /// The REJECT records' reasons (code, component kind and name, direction, rule number), in record order.
        var reasons: [String]
        var eni: (String) -> String
    }

    static func replay(_ packets: [Timed], name: String = #function) throws -> Replayed {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "transit-vif.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let network = CompiledFlowNetwork(topology)
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "tvif" + name.filter { $0.isLetter || $0.isNumber })
        var replay = FlowReplay(network: network)
        try replay.replayCapture(path: path)
        let format = try FlowLogFormat(parsing: "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${action} ${pkt-srcaddr} ${pkt-dstaddr} ${flow-direction} ${traffic-path}")
        let renderer = FlowLogRenderer(format: format, interfaces: network.interfaces)
        let records = Array(replay.records())
        let reasons = records.filter { !$0.accepted }.map { record -> String in
            guard let e = network.rejectExplanation(of: record, reasons: replay.rejectReasons) else { return "(none)" }
            return "\(e.explanation.code.rawValue) \(e.explanation.component.kind.rawValue) \(e.explanation.component.name) \(e.componentDirection ?? "-") \(e.rule?.ruleNumber.map(String.init) ?? "-")"
        }
        let eni: (String) -> String = { name in
            network.compiled.interfaces.firstIndex { $0.name == name }.map { network.interfaces[$0].interfaceID } ?? "missing:\(name)"
        }
        return Replayed(lines: records.map { renderer.line($0) }, summary: replay.summary, reasons: reasons, eni: eni)
    }

    /// VPC → on premises and its answer: the instance's egress (traffic-path 1: the TGW's ENI is in the VPC), the
    /// attachment ENI's ingress, then out of AWS over the DX gateway's attachment; the answer comes back in by the
    /// DX attachment's TGW table and the VPC attachment's ENI.
    @Test func fromTheVPCToOnPremisesAndBack() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.100.1.10", 40000, "172.16.1.5", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("172.16.1.5", 443, "10.100.1.10", 40000, SYN | ACK).ethernet()),
        ])
        let web = r.eni("web-1"), att = r.eni("app-att@tgw-a")
        #expect(r.lines == [
            "\(web) 10.100.1.10 172.16.1.5 40000 443 ACCEPT 10.100.1.10 172.16.1.5 egress 1",
            "\(att) 10.100.1.10 10.100.255.14 40000 443 ACCEPT 10.100.1.10 172.16.1.5 ingress -",
            "\(att) 10.100.255.14 10.100.1.10 443 40000 ACCEPT 172.16.1.5 10.100.1.10 egress 1",
            "\(web) 172.16.1.5 10.100.1.10 443 40000 ACCEPT 172.16.1.5 10.100.1.10 ingress -",
        ])
        #expect(r.summary.accepted == 2 && r.summary.rejected == 0 && r.summary.skipped(.unmapped) == 0)
    }

    /// On premises → the VPC and the instance's answer.
    @Test func fromOnPremisesToTheVPCAndBack() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("172.16.1.5", 50000, "10.100.1.10", 443, SYN).ethernet()),
            Timed(time: 1000, frame: Craft.tcp("10.100.1.10", 443, "172.16.1.5", 50000, SYN | ACK).ethernet()),
        ])
        let web = r.eni("web-1"), att = r.eni("app-att@tgw-a")
        #expect(r.lines == [
            "\(att) 10.100.255.14 10.100.1.10 50000 443 ACCEPT 172.16.1.5 10.100.1.10 egress 1",
            "\(web) 172.16.1.5 10.100.1.10 50000 443 ACCEPT 172.16.1.5 10.100.1.10 ingress -",
            "\(web) 10.100.1.10 172.16.1.5 443 50000 ACCEPT 10.100.1.10 172.16.1.5 egress 1",
            "\(att) 10.100.1.10 10.100.255.14 443 50000 ACCEPT 10.100.1.10 172.16.1.5 ingress -",
        ])
        #expect(r.summary.accepted == 2 && r.summary.rejected == 0)
    }

    /// Rejected from on premises: by the instance subnet's NACL (rule 100) and by the instance's security group; the
    /// attachment ENI that delivered them logged ACCEPT.
    @Test func rejectedFromOnPremises() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("172.16.9.5", 50000, "10.100.1.10", 443, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("172.16.1.5", 50001, "10.100.1.10", 22, SYN).ethernet()),
        ])
        let web = r.eni("web-1"), att = r.eni("app-att@tgw-a")
        #expect(r.lines == [
            "\(att) 10.100.255.14 10.100.1.10 50000 443 ACCEPT 172.16.9.5 10.100.1.10 egress 1",
            "\(web) 172.16.9.5 10.100.1.10 50000 443 REJECT 172.16.9.5 10.100.1.10 ingress -",
            "\(att) 10.100.255.14 10.100.1.10 50001 22 ACCEPT 172.16.1.5 10.100.1.10 egress 1",
            "\(web) 172.16.1.5 10.100.1.10 50001 22 REJECT 172.16.1.5 10.100.1.10 ingress -",
        ])
        #expect(r.reasons == [
            "SUBNET_ACL_RESTRICTION network-acl app-nacl inbound 100",
            "ENI_SG_RULES_MISMATCH security-group web ingress -",
        ])
        #expect(r.summary.accepted == 0 && r.summary.rejected == 2)
    }

    /// Rejected toward on premises: the instance subnet's NACL (outbound rule 100) at the instance's ENI; and a
    /// prefix nothing on premises announces, dropped at the TGW (no route in its table) after the ENIs before it
    /// logged ACCEPT: no REJECT record, counted rejected.
    @Test func rejectedTowardOnPremises() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.100.1.10", 40000, "172.16.1.5", 5432, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.100.1.10", 40001, "192.168.1.1", 443, SYN).ethernet()),
        ])
        let web = r.eni("web-1"), att = r.eni("app-att@tgw-a")
        #expect(r.lines == [
            "\(web) 10.100.1.10 172.16.1.5 40000 5432 REJECT 10.100.1.10 172.16.1.5 egress 1",
            "\(web) 10.100.1.10 192.168.1.1 40001 443 ACCEPT 10.100.1.10 192.168.1.1 egress 1",
            "\(att) 10.100.1.10 10.100.255.14 40001 443 ACCEPT 10.100.1.10 192.168.1.1 ingress -",
        ])
        #expect(r.reasons == ["SUBNET_ACL_RESTRICTION network-acl app-nacl outbound 100"])
        #expect(r.summary.accepted == 0 && r.summary.rejected == 2)
    }
}
