import IPAddressing
import NetworkModel
import Generators
import TestSupport
import Testing
@_spi(Reference) @testable import Reachability

/// `matrix --by vpc` through the cross-VPC memo (``CompiledTopology/connectionMatrixByVPC(traffic:)``): equal to the
/// matrix of the whole class table (``CompiledTopology/connectionMatrixByClassTable(by:traffic:)``) and, where small
/// enough, to the party-level loop's, on the examples and on generated topologies with peering, a transit gateway
/// with several route tables, blackholes, NAT and internet gateways, appliances and on-premises edges; and two VPCs
/// that differ in one rule get different answers.
@Suite struct MatrixByVPCTests {
    /// The memo's matrix against the class table's (and the loop's when `loop`); the statistics.
    @discardableResult
    static func check(_ c: CompiledTopology, traffic: QuestionTraffic = QuestionTraffic(), loop: Bool, _ name: String)
        -> CompiledTopology.CrossVPCStatistics {
        let (fast, stats) = c.connectionMatrixByVPCWithStatistics(traffic: traffic)
        let reference = c.connectionMatrixByClassTable(by: .vpc, traffic: traffic)
        #expect(fast == reference, "\(name): memo against the class table")
        if fast != reference {
            #expect(fast.cells.count == reference.cells.count, "\(name): cell count")
            for (a, b) in zip(fast.cells, reference.cells) where a != b {
                Issue.record("\(name): \(fast.groups[a.source]) -> \(fast.groups[a.destination]) \(a.grants) vs \(reference.groups[b.source]) -> \(reference.groups[b.destination]) \(b.grants)")
                break
            }
        }
        if loop { #expect(fast == c.connectionMatrixByTable(by: .vpc, traffic: traffic), "\(name): memo against the party loop") }
        // Through the public entry point too.
        #expect(c.connectionMatrix(by: .vpc, traffic: traffic) == fast, "\(name)")
        return stats
    }

    @Test(arguments: ConnectionsTests.examples + ["inspection-vpc", "load-balancers", "policies", "lint-findings"])
    func examplesEqualTheClassTableAndTheLoop(_ name: String) throws {
        let text = try #require(repositoryFile("Topologies/\(name).vpc"))
        Self.check(CompiledTopology(TopologyLoader.load(text, file: "\(name).vpc").topology), loop: true, name)
    }

    /// Generated topologies: peerings, the hub TGW (with its blackhole), NAT and internet gateways; the memo answers
    /// most VPC pairs with far fewer walks than the class table has cells.
    @Test(arguments: [(1, false), (3, true), (7, false)] as [(UInt64, Bool)])
    func generatedTopologies(_ seed: UInt64, _ edges: Bool) {
        let t = TopologyGenerator(seed: seed, vpcs: 8, subnetsPerVPC: 6, instances: 80, securityGroups: 24, peerings: 3,
                                  transitGateway: true, zones: 2, edges: edges).generate()
        let c = CompiledTopology(t)
        let stats = Self.check(c, loop: true, "generated \(seed)")
        if !edges {
            #expect(stats.memoPairs == 8 * 7, "every pair of VPCs through the memo")
            let classes = c.connectionClasses(sources: c.questionParties(asSources: true), destinations: c.questionParties(asSources: false),
                                              traffic: QuestionTraffic())
            #expect(stats.memoWalks * 4 < classes.sourceMembers.count * classes.destinationMembers.count,
                    "\(stats) against \(classes.sourceMembers.count) x \(classes.destinationMembers.count) classes")
        }
        Self.check(c, traffic: QuestionTraffic(parsing: "tcp/443")!, loop: false, "generated \(seed) tcp/443")
        var oneWay = QuestionTraffic()
        oneWay.oneWay = true
        Self.check(c, traffic: oneWay, loop: false, "generated \(seed) one way")
    }

    /// A second TGW route table (odd attachments, propagations from the even ones only, a blackhole for one VPC's
    /// block and a static route sending another VPC's block to a third VPC), an appliance (an instance with the
    /// source/destination check off as a route target) and a private NAT route.
    @Test func severalTGWTablesBlackholesAndAppliances() {
        var t = TopologyGenerator(seed: 11, vpcs: 8, subnetsPerVPC: 6, instances: 80, securityGroups: 24, peerings: 2).generate()
        var second = TGWRouteTable(name: "hub-rt-b")
        let hub = 0
        let attachments = t.transitGateways[hub].attachments.map(\.name)
        for (k, a) in attachments.enumerated() where k % 2 == 1 { second.associations.append(a) }
        for (k, a) in attachments.enumerated() where k % 2 == 0 { second.propagations.append(a) }
        t.transitGateways[hub].routeTables[0].associations.removeAll { second.associations.contains($0) }
        second.routes.append(TGWRoute(destination: .cidr(.v4(t.vpcs[2].cidrs[0])), target: .blackhole))
        second.routes.append(TGWRoute(destination: .cidr(.v4(t.vpcs[3].cidrs[0])), target: .attachment(attachments[5])))
        t.transitGateways[hub].routeTables.append(second)
        // VPC 4: its private tables send VPC 6's block to an appliance instance.
        if let k = t.vpcs[4].instances.firstIndex(where: { $0.interfaces[0].subnet.contains("prv") }) {
            t.vpcs[4].instances[k].interfaces[0].sourceDestCheck = false
            let name = t.vpcs[4].instances[k].name
            for r in t.vpcs[4].routeTables.indices where t.vpcs[4].routeTables[r].name.contains("private") {
                t.vpcs[4].routeTables[r].routes.append(Route(destination: .cidr(.v4(t.vpcs[6].cidrs[0])), target: .named(name)))
            }
        }
        let c = CompiledTopology(t)
        let plan = c.crossVPCPlan(c.interfaceClasses)
        #expect(plan.vpcs[4] == nil, "a route to an instance: not regular")
        #expect(plan.vpcs[0] != nil)
        Self.check(c, loop: true, "several tables")
    }

    /// Two VPCs alike but for one rule get different cells, and the memo keeps them apart: VPC 5's private NACL
    /// lets out only what goes to its own block (replies to other VPCs through the hub are dropped: only ICMP types
    /// that want no reply still arrive), VPC 6's group
    /// sg-0 admits 8443 instead of 443; VPC 7 is left as it was.
    @Test func oneRuleApartSplitsTheEquivalence() throws {
        var t = TopologyGenerator(seed: 4, vpcs: 8, subnetsPerVPC: 6, instances: 160, securityGroups: 16, peerings: 0).generate()
        let before = CompiledTopology(t).connectionMatrixByClassTable(by: .vpc, traffic: QuestionTraffic())
        let acl = try #require(t.vpcs[5].networkACLs.indices.first)
        t.vpcs[5].networkACLs[acl].outbound = [
            NetworkACLRule(number: 100, action: .allow, ipProtocol: .all, cidr: .v4(t.vpcs[5].cidrs[0])),
            NetworkACLRule(number: 200, action: .deny, ipProtocol: .all, cidr: .v4(try IPv4Prefix("0.0.0.0/0"))),
        ]
        let sg = try #require(t.vpcs[6].securityGroups.firstIndex { $0.name == "v6-sg-0" })
        t.vpcs[6].securityGroups[sg].ingress[0].ports = PortRange(8443)
        let c = CompiledTopology(t)
        let after = Self.check(c, loop: false, "one rule apart")
        #expect(after.memoPairs == 8 * 7)
        let m = c.connectionMatrixByVPC(traffic: QuestionTraffic())
        func cell(_ m: ConnectionMatrix, _ a: String, _ b: String) -> ConnectionGrants {
            guard let i = m.groups.firstIndex(of: a), let j = m.groups.firstIndex(of: b) else { return ConnectionGrants() }
            return m.grants(source: i, destination: j)
        }
        for target in ["vpc:vpc-5", "vpc:vpc-6", "vpc:vpc-7"] {
            #expect(cell(before, "vpc:vpc-0", target).allows(.tcp, port: 443), "\(target) before")
        }
        // Only ICMP types that want no reply still get there.
        #expect(!cell(m, "vpc:vpc-0", "vpc:vpc-5").allows(.tcp, port: 443))
        #expect(!cell(m, "vpc:vpc-0", "vpc:vpc-5").allows(.icmp, port: 8))
        #expect(cell(m, "vpc:vpc-0", "vpc:vpc-5") != cell(before, "vpc:vpc-0", "vpc:vpc-5"))
        #expect(!cell(m, "vpc:vpc-0", "vpc:vpc-6").allows(.tcp, port: 443))
        #expect(cell(m, "vpc:vpc-0", "vpc:vpc-6").allows(.tcp, port: 8443))
        #expect(cell(m, "vpc:vpc-0", "vpc:vpc-7") == cell(before, "vpc:vpc-0", "vpc:vpc-7"))
    }

    /// An irregular VPC (a second block) is walked class by class, and still agrees.
    @Test func irregularVPCsFallBack() throws {
        var t = TopologyGenerator(seed: 9, vpcs: 5, subnetsPerVPC: 4, instances: 40, securityGroups: 10, peerings: 1).generate()
        t.vpcs[2].cidrs.append(try IPv4Prefix("10.250.0.0/16"))
        let c = CompiledTopology(t)
        let plan = c.crossVPCPlan(c.interfaceClasses)
        #expect(plan.vpcs[2] == nil)
        #expect(plan.vpcs[0] != nil && plan.vpcs[1] != nil)
        let stats = Self.check(c, loop: true, "irregular")
        #expect(stats.memoPairs == 4 * 3, "the pairs without VPC 2")
    }
}
