import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// `forward` reports where it dropped a packet (`PacketObserver.dropped(at:)`), and `explain` names it: the
/// component, its direction, the rule and where it is written.
@Suite struct DropSiteTests {
    struct SiteObserver: PacketObserver {
        var sites: [DropSite] = []
        mutating func observe(_ o: ENIObservation) {}
        mutating func dropped(at site: DropSite) { sites.append(site) }
    }

    @Test func securityGroupAndNACLDropsAreNamed() throws {
        let c = compile(Fixture.prod())
        let web = try #require(c.interface(named: "web-1")), db = try #require(c.interface(named: "db-1"))
        var observer = SiteObserver()
        let toDB = Packet(source: .v4(IPv4Address(10, 0, 0, 10)), destination: .v4(IPv4Address(10, 0, 20, 5)), ipProtocol: 6,
                          sourcePort: 40000, destinationPort: 5432)
        #expect(c.forward(toDB, from: .interface(web), tracked: false, observer: &observer) == .dropped(.eniSGRulesMismatch))
        let sg = try #require(observer.sites.first)
        #expect(observer.sites.count == 1 && sg.code == .eniSGRulesMismatch && !sg.tracked)
        let named = c.explain(sg, source: toDB.source, destination: toDB.destination, ipProtocol: 6, sourcePort: 40000, destinationPort: 5432)
        #expect(named.explanation.component.kind == .securityGroup)
        #expect(named.componentDirection == "ingress")
        #expect(named.rule == nil)
        #expect((named.location?.line ?? 0) > 0)

        observer.sites = []
        let reply = Packet(source: .v4(IPv4Address(10, 0, 20, 5)), destination: .v4(IPv4Address(10, 0, 0, 10)), ipProtocol: 6,
                           sourcePort: 5432, destinationPort: 40000)
        #expect(c.forward(reply, from: .interface(db), tracked: true, observer: &observer) == .dropped(.subnetACLRestriction))
        let nacl = try #require(observer.sites.first)
        #expect(nacl.tracked)
        let naclNamed = c.explain(nacl, source: reply.source, destination: reply.destination, ipProtocol: 6, sourcePort: 5432, destinationPort: 40000)
        #expect(naclNamed.explanation.component.kind == .networkACL)
        #expect(naclNamed.explanation.direction == .return)
        #expect(naclNamed.componentDirection == "outbound")
        #expect(naclNamed.rule?.ruleNumber != nil)
        // Delivered packets report no site.
        observer.sites = []
        let app = try #require(c.interface(named: "app-1"))
        let fromApp = Packet(source: .v4(IPv4Address(10, 0, 10, 10)), destination: .v4(IPv4Address(10, 0, 20, 5)), ipProtocol: 6,
                             sourcePort: 40000, destinationPort: 5432)
        #expect(c.forward(fromApp, from: .interface(app), tracked: false, observer: &observer) == .delivered(db))
        #expect(observer.sites.isEmpty)
    }

    /// Equal sites are equal and hash alike whatever the code's text; different indices or codes differ.
    @Test func sitesCompareByIndicesAndCode() {
        let a = DropSite(Block(code: .subnetACLRestriction, site: .networkACL(subnet: 2, inbound: true, rule: -1, denyRule: 3)),
                         icmpTypeCode: 0, tracked: false)
        let same = DropSite(Block(code: .subnetACLRestriction, site: .networkACL(subnet: 2, inbound: true, rule: -1, denyRule: 3)),
                            icmpTypeCode: 0, tracked: false)
        let otherRule = DropSite(Block(code: .subnetACLRestriction, site: .networkACL(subnet: 2, inbound: true, rule: -1, denyRule: 4)),
                                 icmpTypeCode: 0, tracked: false)
        let otherCode = DropSite(Block(code: .sgHasNoRules, site: .networkACL(subnet: 2, inbound: true, rule: -1, denyRule: 3)),
                                 icmpTypeCode: 0, tracked: false)
        #expect(a == same && a.hashValue == same.hashValue)
        #expect(a != otherRule && a != otherCode)
        #expect(Set([a, same, otherRule, otherCode]).count == 3)
        // The site decodes back to the block it came from.
        guard case .networkACL(let s, let inbound, _, let deny) = a.block.site else { Issue.record("not a NACL site"); return }
        #expect(s == 2 && inbound && deny == 3)
    }
}
