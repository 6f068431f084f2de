import TestSupport
import Testing
import NetworkModel
import Reachability
import Reporting
import IPAddressing
@testable import FlowLogs

/// `--explain` / `reject-reason` at and around VPC endpoints (Docs/AWS-BEHAVIOUR.md §10, §11, §12): each REJECT
/// record a capture can produce there names the code, the component and the endpoint on the packet's way.
@Suite struct EndpointRejectReasonTests {
    static let text = """
    prefix-list s3 { 52.216.0.0/15 }
    vpc v {
      cidr 10.0.0.0/16
      subnet app-a 10.0.1.0/24 az us-east-1a
      subnet ep-a 10.0.2.0/24 az us-east-1a
      subnet app-b 10.0.3.0/24 az us-east-1a
      route-table rt main { associate app-a ep-a app-b }
      security-group open { ingress all from 0.0.0.0/0 }
      security-group ep-sg {
        ingress tcp 443 from 10.0.1.0/24
        ingress udp 53 from 10.0.1.0/24
      }
      security-group narrow {
        egress tcp 443 to 10.0.0.0/16
      }
      network-acl app-nacl {
        associate app-a
        inbound 100 deny tcp 1024-65535 from 52.216.128.0/17
        inbound 200 allow all from 0.0.0.0/0
        outbound 100 deny tcp 443 to 52.217.0.0/16
        outbound 200 allow all to 0.0.0.0/0
      }
      network-acl ep-nacl {
        associate ep-a
        inbound 100 deny tcp 443 from 10.0.1.20/32
        inbound 200 allow all from 0.0.0.0/0
        outbound 100 deny tcp 1024-65535 to 10.0.1.30/32
        outbound 200 allow all to 0.0.0.0/0
      }
      instance a1 in app-a ip 10.0.1.10 sg open
      instance a2 in app-a ip 10.0.1.20 sg open
      instance a3 in app-a ip 10.0.1.30 sg open
      instance b1 in app-b ip 10.0.3.10 sg narrow
      endpoint s3-gw gateway s3 route-tables rt id vpce-0s3gw
      endpoint ssm interface ssm subnets ep-a sg ep-sg ip 10.0.2.50 enis eni-0ssm id vpce-0ssm
    }
    """

    struct Reject: Equatable, CustomStringConvertible {
        var line: String
        var code: String
        var component: ComponentRef
        var direction: String?
        var ruleNumber: Int?
        var endpoint: ComponentRef?
        var description: String { "\(line) → \(code) \(component) \(direction ?? "-") \(ruleNumber.map(String.init) ?? "-") \(endpoint.map(\.description) ?? "-")" }
    }

    struct Replayed {
        var network: CompiledFlowNetwork
        var records: [FlowLogRecord]
        var reasons: [DropSite]
        var summary: ReplaySummary
        var lines: [String]
        /// The REJECT records' lines and reasons, in record order.
        var rejects: [Reject]
    }

    static func replay(_ packets: [Timed], name: String = #function) throws -> Replayed {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "endpoint-rejects.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics)")
        let network = CompiledFlowNetwork(topology)
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: "eprej" + name.filter { $0.isLetter || $0.isNumber })
        var replay = FlowReplay(network: network)
        try replay.replayCapture(path: path)
        let records = Array(replay.records())
        let format = try FlowLogFormat(parsing: "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${flow-direction}")
        let renderer = FlowLogRenderer(format: format, interfaces: network.interfaces)
        var rejects: [Reject] = []
        for record in records where !record.accepted {
            guard let e = network.rejectExplanation(of: record, reasons: replay.rejectReasons) else {
                rejects.append(Reject(line: renderer.line(record), code: "(none)", component: ComponentRef(kind: .internet, name: "-"),
                                      direction: nil, ruleNumber: nil, endpoint: nil))
                continue
            }
            rejects.append(Reject(line: renderer.line(record), code: e.explanation.code.rawValue, component: e.explanation.component,
                                  direction: e.componentDirection, ruleNumber: e.rule?.ruleNumber, endpoint: e.endpoint))
        }
        return Replayed(network: network, records: records, reasons: replay.rejectReasons, summary: replay.summary,
                        lines: records.map { renderer.line($0) }, rejects: rejects)
    }

    static let ssm = ComponentRef(kind: .vpcEndpoint, name: "ssm", awsID: "vpce-0ssm")
    static let s3 = ComponentRef(kind: .vpcEndpoint, name: "s3-gw", awsID: "vpce-0s3gw")
    static func sg(_ name: String) -> ComponentRef { ComponentRef(kind: .securityGroup, name: name) }
    static func nacl(_ name: String) -> ComponentRef { ComponentRef(kind: .networkACL, name: name) }

    /// One capture, every REJECT case at or around the two endpoints (and one that is not about an endpoint).
    @Test func eachEndpointRejectNamesItsCodeComponentAndEndpoint() throws {
        let r = try Self.replay([
            // Interface endpoint, its security group: ep-sg admits 443 and 53/udp only.
            Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "10.0.2.50", 22, SYN).ethernet()),
            // Interface endpoint, its subnet's NACL inbound rule 100 (a2 may not reach it).
            Timed(time: 1001, frame: Craft.tcp("10.0.1.20", 40001, "10.0.2.50", 443, SYN).ethernet()),
            // Interface endpoint, its answer to a3 meets its subnet's NACL outbound rule 100.
            Timed(time: 1002, frame: Craft.tcp("10.0.1.30", 40002, "10.0.2.50", 443, SYN).ethernet()),
            Timed(time: 1002, frame: Craft.tcp("10.0.2.50", 443, "10.0.1.30", 40002, SYN | ACK).ethernet()),
            // Interface endpoint as the initiator (into its own VPC).
            Timed(time: 1003, frame: Craft.tcp("10.0.2.50", 50000, "10.0.1.10", 22, SYN).ethernet()),
            // Gateway endpoint: b1's egress groups do not admit the service's addresses.
            Timed(time: 1004, frame: Craft.tcp("10.0.3.10", 40003, "52.216.1.1", 443, SYN).ethernet()),
            // Gateway endpoint: app-a's NACL outbound rule 100 denies part of the service's addresses.
            Timed(time: 1005, frame: Craft.tcp("10.0.1.10", 40004, "52.217.5.5", 443, SYN).ethernet()),
            // Gateway endpoint: the service's answer meets app-a's NACL inbound rule 100.
            Timed(time: 1006, frame: Craft.tcp("10.0.1.10", 40005, "52.216.200.1", 443, SYN).ethernet()),
            Timed(time: 1006, frame: Craft.tcp("52.216.200.1", 443, "10.0.1.10", 40005, SYN | ACK).ethernet()),
            // Not about an endpoint: b1's groups have no ingress rule.
            Timed(time: 1007, frame: Craft.tcp("10.0.1.10", 40006, "10.0.3.10", 22, SYN).ethernet()),
        ])
        let a1 = try #require(r.network.interfaces.first { $0.primaryAddress == FlowAddress(v4: 0x0A00_010A) }).interfaceID
        let a3 = try #require(r.network.interfaces.first { $0.primaryAddress == FlowAddress(v4: 0x0A00_011E) }).interfaceID
        let b1 = try #require(r.network.interfaces.first { $0.primaryAddress == FlowAddress(v4: 0x0A00_030A) }).interfaceID
        #expect(r.rejects == [
            Reject(line: "eni-0ssm 10.0.1.10 10.0.2.50 40000 22 6 REJECT ingress", code: "ENI_SG_RULES_MISMATCH",
                   component: Self.sg("ep-sg"), direction: "ingress", ruleNumber: nil, endpoint: Self.ssm),
            Reject(line: "eni-0ssm 10.0.1.20 10.0.2.50 40001 443 6 REJECT ingress", code: "SUBNET_ACL_RESTRICTION",
                   component: Self.nacl("ep-nacl"), direction: "inbound", ruleNumber: 100, endpoint: Self.ssm),
            Reject(line: "eni-0ssm 10.0.2.50 10.0.1.30 443 40002 6 REJECT egress", code: "SUBNET_ACL_RESTRICTION",
                   component: Self.nacl("ep-nacl"), direction: "outbound", ruleNumber: 100, endpoint: Self.ssm),
            Reject(line: "eni-0ssm 10.0.2.50 10.0.1.10 50000 22 6 REJECT egress", code: "VPCE_INTRA_VPC_TRAFFIC",
                   component: Self.ssm, direction: nil, ruleNumber: nil, endpoint: Self.ssm),
            Reject(line: "\(b1) 10.0.3.10 52.216.1.1 40003 443 6 REJECT egress", code: "ENI_SG_RULES_MISMATCH",
                   component: Self.sg("narrow"), direction: "egress", ruleNumber: nil, endpoint: Self.s3),
            Reject(line: "\(a1) 10.0.1.10 52.217.5.5 40004 443 6 REJECT egress", code: "SUBNET_ACL_RESTRICTION",
                   component: Self.nacl("app-nacl"), direction: "outbound", ruleNumber: 100, endpoint: Self.s3),
            Reject(line: "\(a1) 52.216.200.1 10.0.1.10 443 40005 6 REJECT ingress", code: "SUBNET_ACL_RESTRICTION",
                   component: Self.nacl("app-nacl"), direction: "inbound", ruleNumber: 100, endpoint: Self.s3),
            Reject(line: "\(b1) 10.0.1.10 10.0.3.10 40006 22 6 REJECT ingress", code: "SG_HAS_NO_RULES",
                   component: Self.sg("narrow"), direction: "ingress", ruleNumber: nil, endpoint: nil),
        ])
        // The accepted legs of the two connections whose answers were refused.
        #expect(r.lines.contains("\(a3) 10.0.1.30 10.0.2.50 40002 443 6 ACCEPT egress"))
        #expect(r.lines.contains("eni-0ssm 10.0.1.30 10.0.2.50 40002 443 6 ACCEPT ingress"))
        #expect(r.lines.contains("\(a1) 10.0.1.10 52.216.200.1 40005 443 6 ACCEPT egress"))
    }

    /// The endpoint as the initiator toward another VPC's address is NO_PATH (§12: VPCE_INTRA_VPC_TRAFFIC is for
    /// its own VPC), still naming the endpoint.
    @Test func theEndpointInitiatingOutsideItsVPCIsNoPath() throws {
        let r = try Self.replay([Timed(time: 1000, frame: Craft.tcp("10.0.2.50", 50000, "192.0.2.7", 443, SYN).ethernet())])
        #expect(r.rejects.map(\.code) == ["NO_PATH"])
        #expect(r.rejects.first?.component == Self.ssm)
        #expect(r.summary.rejected == 1)
    }

    /// Drops past an interface's ACCEPT keep no reason (AWS logs what security groups and NACLs decided): UDP that
    /// ep-sg admits is dropped by the interface endpoint (TCP only, §10 [choice]), and UDP to the gateway
    /// endpoint's service is dropped by the endpoint (VPCE_GATEWAY_PROTOCOL_RESTRICTION). Both count as rejected.
    @Test func dropsBeyondAnAcceptingInterfaceAreCountedNotExplained() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.udp("10.0.1.10", 5000, "10.0.2.50", 53).ethernet()),
            Timed(time: 1001, frame: Craft.udp("10.0.1.10", 5001, "52.216.1.1", 53).ethernet()),
        ])
        let a1 = try #require(r.network.interfaces.first { $0.primaryAddress == FlowAddress(v4: 0x0A00_010A) }).interfaceID
        #expect(r.lines.sorted() == [
            "\(a1) 10.0.1.10 10.0.2.50 5000 53 17 ACCEPT egress",
            "\(a1) 10.0.1.10 52.216.1.1 5001 53 17 ACCEPT egress",
            "eni-0ssm 10.0.1.10 10.0.2.50 5000 53 17 ACCEPT ingress",
        ])
        #expect(r.rejects.isEmpty && r.reasons.isEmpty)
        #expect(r.summary.accepted == 0 && r.summary.rejected == 2)
        // The data plane's reasons, for the record: what `reach` says too.
        let c = r.network.compiled
        var sink = ObservationBuffer()
        guard let a1i = c.interfaces.indices.first(where: { c.interfaces[$0].name == "a1" }) else { Issue.record("no a1"); return }
        #expect(c.forward(Packet(source: .v4(try IPv4Address("10.0.1.10")), destination: .v4(try IPv4Address("10.0.2.50")), ipProtocol: 17,
                                 sourcePort: 5000, destinationPort: 53), from: .interface(InterfaceID(Int32(a1i))), tracked: false,
                          observer: &sink) == .dropped(.protocolRestriction))
        #expect(c.forward(Packet(source: .v4(try IPv4Address("10.0.1.10")), destination: .v4(try IPv4Address("52.216.1.1")), ipProtocol: 17,
                                 sourcePort: 5001, destinationPort: 53), from: .interface(InterfaceID(Int32(a1i))), tracked: false,
                          observer: &sink) == .dropped(.vpceGatewayProtocolRestriction))
    }

    /// The JSON member and the comment line carry the endpoint.
    @Test func jsonMemberAndCommentLineNameTheEndpoint() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.tcp("10.0.3.10", 40003, "52.216.1.1", 443, SYN).ethernet()),
            Timed(time: 1001, frame: Craft.tcp("10.0.2.50", 50000, "10.0.1.10", 22, SYN).ethernet()),
        ])
        let rejects = r.records.filter { !$0.accepted }
        #expect(rejects.count == 2)
        let sg = try #require(r.network.rejectExplanation(of: rejects[0], reasons: r.reasons))
        guard case .object(let members) = sg.json else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["code", "component", "direction", "rule", "file", "line", "detail", "endpoint"])
        #expect(members.first { $0.0 == "endpoint" }?.1
                == .object([("kind", .string("vpc-endpoint")), ("name", .string("s3-gw")), ("id", .string("vpce-0s3gw"))]))
        #expect(sg.commentLine.hasPrefix("# REJECT ENI_SG_RULES_MISMATCH at security-group narrow egress, no rule admits, via vpc-endpoint s3-gw (vpce-0s3gw) (endpoint-rejects.vpc:13): "))
        let initiates = try #require(r.network.rejectExplanation(of: rejects[1], reasons: r.reasons))
        #expect(initiates.explanation.detail == .vpcEndpoint(endpoint: "ssm", service: "ssm", problem: .endpointInitiates))
        // The component is the endpoint: no "via" repeats it.
        #expect(initiates.commentLine.hasPrefix("# REJECT VPCE_INTRA_VPC_TRAFFIC at vpc-endpoint ssm (vpce-0ssm) (endpoint-rejects.vpc:35): "))
        #expect(!initiates.commentLine.contains("via"))
        // A reject that is not about an endpoint has a null member.
        let plain = try Self.replay([Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40006, "10.0.3.10", 22, SYN).ethernet())])
        let reason = try #require(plain.records.first { !$0.accepted }.flatMap { plain.network.rejectExplanation(of: $0, reasons: plain.reasons) })
        guard case .object(let plainMembers) = reason.json else { Issue.record("not an object"); return }
        #expect(plainMembers.first { $0.0 == "endpoint" }?.1 == .null)
    }

    /// A drop site at a VPC endpoint survives its index encoding (it was read back as an on-premises edge).
    @Test func anEndpointDropSiteDecodesAsTheEndpoint() throws {
        let r = try Self.replay([Timed(time: 1000, frame: Craft.tcp("10.0.2.50", 50000, "10.0.1.10", 22, SYN).ethernet())])
        let site = try #require(r.reasons.first)
        #expect(site.code == .vpceIntraVPCTraffic)
        let named = r.network.compiled.explain(site, source: .v4(try IPv4Address("10.0.2.50")), destination: .v4(try IPv4Address("10.0.1.10")),
                                               ipProtocol: 6, sourcePort: 50000, destinationPort: 22)
        #expect(named.explanation.component.kind == .vpcEndpoint)
        #expect(named.location?.line == 35)  // endpoint ssm interface …
    }
}
