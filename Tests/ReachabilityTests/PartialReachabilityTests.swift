import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Three-valued verdicts (issue 14 part 5): a connection whose replies pass for only some client ports is
/// partly reachable, which is not reachable; asserts name the client port range they are about.
@Suite struct PartialReachabilityTests {
    /// Docs/AWS-BEHAVIOUR.md §13 scenario 2 with the Linux ephemeral rule: replies pass for 32768-60999 only.
    static let linuxOnly = Fixture.prod(["PROD_EXTRA": WorkedScenarioTests.nacl2.replacing(
        "{{MORE}}", with: "outbound 110 allow tcp 32768-60999 to 0.0.0.0/0\n    outbound 120 allow icmp to 0.0.0.0/0\n    inbound 120 allow icmp from 0.0.0.0/0")])

    func assertions(_ lines: String) -> [AssertionResult] {
        compile(Self.linuxOnly + "\n" + lines).evaluateAssertions()
    }

    @Test func reachAssertHoldsOnlyWhenEveryClientPortWorks() {
        let r = assertions("""
            assert reach internet -> web-1 tcp/443
            assert reach internet -> web-1 tcp/443 client-ports linux
            assert reach internet -> web-1 tcp/443 client-ports windows
            assert reach internet -> web-1 tcp/443 client-ports 40000-50000
            assert reach internet -> web-1 tcp/443 client-ports 40000
            """)
        #expect(r.map(\.holds) == [false, true, false, true, true])
        let message = r[0].failureMessage ?? ""
        #expect(message.contains("partly reachable from every queried public address (e.g. 203.0.113.7): client ports 32768-60999 work, 1024-32767, 61000-65535 do not"), "\(message)")
        #expect(message.contains("SUBNET_ACL_RESTRICTION (return path) at network-acl w"), "\(message)")
        #expect(r[2].failureMessage?.contains("client-ports windows: partly reachable from every queried public address (e.g. 203.0.113.7): client ports 49152-60999 work, 61000-65535 do not") == true,
                "\(r[2].failureMessage ?? "")")
    }

    @Test func noreachAssertHoldsOnlyWhenNoClientPortWorks() {
        let r = assertions("""
            assert noreach internet -> web-1 tcp/443
            assert noreach internet -> web-1 tcp/443 client-ports 61000-65535
            assert noreach internet -> web-1 tcp/443 client-ports linux
            assert noreach internet -> web-1 tcp/443 client-ports 1024
            """)
        #expect(r.map(\.holds) == [false, true, false, true])
        #expect(r[0].failureMessage?.contains("partly reachable") == true)
        #expect(r[2].failureMessage?.contains(": reachable from every queried public address (e.g. 203.0.113.7) (via") == true, "\(r[2].failureMessage ?? "")")
    }

    @Test func protocolsWithoutPortsAreTwoValued() {
        let c = compile(Self.linuxOnly)
        let icmp = c.query("app-1", "web-1", "icmp")
        #expect(icmp.state == .reachable, "\(icmp.explanation.map { $0.description(files: SourceFileTable()) } ?? "-")")
        // A narrower requested range changes nothing for ICMP.
        #expect(c.query("app-1", "web-1", "icmp", sourcePorts: PortSet(PortRange(1024, 2000))).state == .reachable)
        let blocked = c.query("internet", "web-1", "udp/53")
        #expect(blocked.state == .unreachable)
        #expect(blocked.explanation != nil && blocked.workingSourcePorts.isEmpty)
    }

    @Test func openPortsReportsThePartialState() throws {
        let c = compile(Self.linuxOnly)
        guard case .success(let s) = c.resolve("internet"), case .success(let d) = c.resolve("web-1") else {
            Issue.record("endpoints")
            return
        }
        let r = c.openPorts(from: s, to: d)
        let tcp = try #require(r.first { $0.traffic == "tcp" })
        #expect(tcp.verdict.state == .partlyReachable)
        #expect(tcp.ports == PortSet(port: 443))
        let linux = c.openPorts(from: s, to: d, sourcePorts: PortSet(ClientPorts.linux.range))
        #expect(linux.first { $0.traffic == "tcp" }?.verdict.state == .reachable)
    }

    @Test func verdictStateFollowsThePorts() {
        let e = Explanation(code: .subnetACLRestriction, direction: .return, component: ComponentRef(kind: .networkACL, name: "w"),
                            detail: .replyDeniedForClientPorts(ports: PortSet(port: 1024)))
        let requested = PortSet.ephemeral
        let partly = Verdict.partlyReachable(working: PortSet(PortRange(2000, 3000)), of: requested, explanation: e,
                                             forwardPath: [], returnPath: [], blockedReturnPath: [], notes: [])
        #expect(partly.state == .partlyReachable && partly.explanation == e)
        // Working ports that cover the request, or none of it, are not "partly".
        let all = Verdict.partlyReachable(working: .all, of: requested, explanation: e, forwardPath: [], returnPath: [],
                                          blockedReturnPath: [], notes: [])
        #expect(all.state == .reachable && all.explanation == nil && all.workingSourcePorts == requested)
        let none = Verdict.partlyReachable(working: PortSet(port: 80), of: requested, explanation: e, forwardPath: [], returnPath: [],
                                           blockedReturnPath: [], notes: [])
        #expect(none.state == .unreachable && none.explanation == e)
        #expect(Verdict.unreachable(e, forwardPath: [], returnPath: [], requestedSourcePorts: requested, notes: []).state == .unreachable)
        #expect(Verdict.reachable(forwardPath: [], returnPath: [], sourcePorts: requested, notes: []).failingSourcePorts.isEmpty)
    }
}
