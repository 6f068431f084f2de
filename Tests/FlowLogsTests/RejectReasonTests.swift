import TestSupport
import Testing
import NetworkModel
import Reachability
import Reporting
@testable import FlowLogs

/// Every REJECT record keeps why it was rejected (`FlowLogRecord.rejectReason` → `FlowReplay.rejectReasons`),
/// named by the data plane: the component, its direction, the rule or "no rule admits", and the file and line.
@Suite struct RejectReasonTests {
    static let text = """
    vpc v {
      cidr 10.0.0.0/16
      subnet a-net 10.0.1.0/24
      subnet b-net 10.0.2.0/24
      security-group open {
        ingress all from 0.0.0.0/0
      }
      security-group db {
        ingress tcp 5432 from 10.0.0.0/16
      }
      network-acl b-acl {
        associate b-net
        inbound 100 deny udp 53 from 10.0.1.0/24
        inbound 200 allow all from 0.0.0.0/0
        outbound 100 allow all to 0.0.0.0/0
      }
      instance a in a-net ip 10.0.1.10 sg open
      instance b in b-net ip 10.0.2.10 sg db
    }
    """

    struct Replayed {
        var network: CompiledFlowNetwork
        var records: [FlowLogRecord]
        var reasons: [DropSite]
    }

    static func replay(_ packets: [Timed], carries: Bool = true, name: String = #function) throws -> Replayed {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "reject.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let network = CompiledFlowNetwork(topology)
        let path = CaptureWriter.write(CaptureWriter.pcap(packets), name: name.filter { $0.isLetter || $0.isNumber } + (carries ? "" : "walk"))
        var replay = FlowReplay(network: network)
        replay.carriesDecisions = carries
        try replay.replayCapture(path: path)
        let records = Array(replay.records())
        return Replayed(network: network, records: records, reasons: replay.rejectReasons)
    }

    static let packets = [
        // Accepted: a -> b tcp/5432 (sg db admits it).
        Timed(time: 1000, frame: Craft.tcp("10.0.1.10", 40000, "10.0.2.10", 5432, TCPFlag.syn).ethernet()),
        // Security group: b admits only 5432.
        Timed(time: 1001, frame: Craft.tcp("10.0.1.10", 40001, "10.0.2.10", 22, TCPFlag.syn).ethernet()),
        // NACL rule 100 denies udp/53 from a-net.
        Timed(time: 1002, frame: Craft.udp("10.0.1.10", 5000, "10.0.2.10", 53).ethernet()),
        // The same SSH flow in the next 600 s interval: the decision is carried over, with its reason.
        Timed(time: 1700, frame: Craft.tcp("10.0.1.10", 40001, "10.0.2.10", 22, TCPFlag.syn).ethernet()),
    ]

    @Test func rejectRecordsNameTheComponentRuleAndLine() throws {
        let r = try Self.replay(Self.packets)
        let rejects = r.records.filter { !$0.accepted }
        #expect(rejects.count == 3)
        #expect(r.records.filter(\.accepted).allSatisfy { $0.rejectReason == 0 })
        #expect(r.records.filter(\.accepted).allSatisfy { r.network.rejectExplanation(of: $0, reasons: r.reasons) == nil })
        // Two distinct sites: the SG and the NACL rule (the carried record shares the SG's).
        #expect(r.reasons.count == 2)

        let sg = try #require(r.network.rejectExplanation(of: rejects[0], reasons: r.reasons))
        #expect(rejects[0].destinationPort == 22)
        #expect(sg.explanation.code == .eniSGRulesMismatch)
        #expect(sg.explanation.component.kind == .securityGroup)
        #expect(sg.explanation.component.name == "db")
        #expect(sg.componentDirection == "ingress")
        #expect(sg.rule == nil)  // no rule admits
        #expect(sg.location != nil && sg.file == "reject.vpc")
        #expect(sg.location?.line == 8)  // security-group db {

        let nacl = try #require(r.network.rejectExplanation(of: rejects[1], reasons: r.reasons))
        #expect(rejects[1].ipProtocol == 17)
        #expect(nacl.explanation.code == .subnetACLRestriction)
        #expect(nacl.explanation.component.kind == .networkACL)
        #expect(nacl.explanation.component.name == "b-acl")
        #expect(nacl.componentDirection == "inbound")
        #expect(nacl.rule?.ruleNumber == 100)
        #expect(nacl.location?.line == 13)  // inbound 100 deny udp 53 …

        // The later interval's record: its own record, the same reason.
        #expect(rejects[2].intervalStart != rejects[0].intervalStart)
        #expect(rejects[2].rejectReason == rejects[0].rejectReason)
    }

    /// A drop that no interface logs as REJECT (no route out of the VPC, after the sender's egress was
    /// accepted) keeps no reason.
    @Test func dropsWithoutARejectRecordKeepNoReason() throws {
        let r = try Self.replay([
            Timed(time: 1000, frame: Craft.udp("10.0.1.10", 5000, "192.0.2.1", 53).ethernet()),
        ])
        #expect(!r.records.isEmpty && r.records.allSatisfy { $0.accepted })
        #expect(r.reasons.isEmpty)
    }

    /// Carrying a decision over and walking again give the same reasons.
    @Test func carriedDecisionsKeepTheirReason() throws {
        let carried = try Self.replay(Self.packets)
        let walked = try Self.replay(Self.packets, carries: false)
        #expect(carried.records == walked.records)
        #expect(carried.reasons == walked.reasons)
    }

    @Test func jsonMemberAndCommentLine() throws {
        let r = try Self.replay(Self.packets)
        let rejects = r.records.filter { !$0.accepted }
        let nacl = try #require(r.network.rejectExplanation(of: rejects[1], reasons: r.reasons))
        guard case .object(let members) = nacl.json else { Issue.record("not an object"); return }
        let keys = members.map(\.0)
        #expect(keys == ["code", "component", "direction", "rule", "file", "line", "detail", "endpoint"])
        #expect(members.first { $0.0 == "endpoint" }?.1 == .null)  // no VPC endpoint on its way
        let byKey = Dictionary(members, uniquingKeysWith: { a, _ in a })
        #expect(byKey["code"] == .string("SUBNET_ACL_RESTRICTION"))
        #expect(byKey["line"] == .int(13))
        #expect(byKey["file"] == .string("reject.vpc"))
        guard case .object(let rule)? = byKey["rule"] else { Issue.record("no rule"); return }
        #expect(rule.first { $0.0 == "number" }?.1 == .int(100))
        let sg = try #require(r.network.rejectExplanation(of: rejects[0], reasons: r.reasons))
        guard case .object(let sgMembers) = sg.json else { Issue.record("not an object"); return }
        #expect(sgMembers.first { $0.0 == "rule" }?.1 == .null)
        // The comment line: starts with '#', one line, names the rule and the place.
        #expect(nacl.commentLine.hasPrefix("# REJECT SUBNET_ACL_RESTRICTION at network-acl b-acl inbound, rule 100 "))
        #expect(nacl.commentLine.contains("(reject.vpc:13)"))
        #expect(sg.commentLine.hasPrefix("# REJECT ENI_SG_RULES_MISMATCH at security-group db ingress, no rule admits (reject.vpc:8)"))
        #expect(!nacl.commentLine.contains("\n") && !sg.commentLine.contains("\n"))
        // The document carries the member on REJECT records only.
        let renderer = FlowLogRenderer(format: .default, interfaces: r.network.interfaces)
        let document = renderer.jsonDocument(r.records, summary: ReplaySummary()) { record in
            r.network.rejectExplanation(of: record, reasons: r.reasons)?.json
        }
        guard case .object(let top) = document, case .array(let items)? = top.first(where: { $0.0 == "records" })?.1 else {
            Issue.record("no records"); return
        }
        let withReason = items.map { item -> Bool in
            guard case .object(let m) = item else { return false }
            return m.contains { $0.0 == "reject-reason" }
        }
        #expect(withReason == r.records.map { !$0.accepted })
    }
}
