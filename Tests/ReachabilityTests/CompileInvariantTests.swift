import Generators
import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// The compiled tables' invariants (`invariantViolations`, checked after every compile in debug builds) hold on
/// every example topology and on generated ones, and a corrupted table is reported with what broke.
@Suite struct CompileInvariantTests {
    static let examples = ["three-tier", "hub-and-spoke", "peering-mesh", "dual-stack", "lint-findings", "flowlogs-session"]

    static func compiled(_ name: String) throws -> CompiledTopology {
        let text = try #require(repositoryFile("Topologies/\(name).vpc"), "Topologies/\(name).vpc")
        let (topology, diagnostics) = TopologyLoader.load(text, file: "\(name).vpc")
        #expect(diagnostics.isEmpty, "\(name): \(diagnostics.map(\.message))")
        return CompiledTopology(topology)
    }

    @Test(arguments: examples) func exampleTopologiesKeepTheInvariants(_ name: String) throws {
        let c = try Self.compiled(name)
        #expect(c.invariantViolations() == [])
        #expect(!c.subnets.isEmpty)
    }

    @Test func generatedTopologiesKeepTheInvariants() {
        for seed in UInt64(1)...3 {
            let topology = TopologyGenerator(seed: seed, vpcs: 6, subnetsPerVPC: 4, instances: 60).generate()
            #expect(CompiledTopology(topology).invariantViolations() == [], "generator seed \(seed)")
        }
        var checked = 0
        for k in 0..<40 {
            let g = RandomTopology(seed: 0xC0FF_EE00 &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
            let (topology, diagnostics) = TopologyLoader.load(g.text, file: "random.vpc")
            if diagnostics.contains(where: { $0.severity == .error }) { continue }
            #expect(CompiledTopology(topology).invariantViolations() == [], "random topology \(k)")
            checked += 1
        }
        #expect(checked >= 30)
    }

    /// Invalid topologies (dangling references, repeated names) compile to unusable components, never to
    /// broken tables.
    @Test func invalidTopologiesKeepTheInvariants() throws {
        for name in ["unknown-reference", "wrong-kind", "wrong-vpc-reference", "duplicate-name", "two-route-tables", "two-nacls",
                     "two-main-tables", "two-defaults", "tgw-attachment-az", "peering-overlap"] {
            let text = try #require(repositoryFile("Topologies/broken/\(name).vpc"), "\(name)")
            let (topology, _) = TopologyParser.parse(text, file: "\(name).vpc")
            #expect(CompiledTopology(topology).invariantViolations() == [], "\(name)")
        }
    }

    /// Compiled indices of these kinds are the resolver's ids.
    @Test func compiledIndicesAreTheResolvedIDs() throws {
        let c = try Self.compiled("hub-and-spoke")
        let r = c.resolved
        #expect(c.subnets.count == r.subnets.count && c.routeTables.count == r.routeTables.count)
        #expect(c.securityGroups.count == r.securityGroups.count && c.networkACLs.count == r.networkACLs.count)
        for (i, s) in r.subnets.enumerated() {
            #expect(c.subnets[i].name == r.name(of: SubnetID(i)))
            #expect(c.subnets[i].routeTable == s.routeTable.index && c.subnets[i].networkACL == (s.networkACL?.index ?? -1))
        }
        for i in r.routeTables.indices { #expect(c.routeTables[i].name == r.name(of: RouteTableID(i))) }
        for i in r.tgwAttachments.indices { #expect(c.tgwAttachments[i].name == r.name(of: TGWAttachmentID(i))) }
    }

    /// Each kind of corruption is caught and described.
    @Test func corruptedTablesAreReported() throws {
        let good = try Self.compiled("three-tier")
        var c = good
        c.subnets[0].routeTable = 9999
        #expect(c.invariantViolations().contains("subnet 0: route table 9999 is not one of its VPC's tables"))

        c = good
        c.interfaces[0].subnet = Int32(c.subnets.count)
        #expect(c.invariantViolations().contains { $0.hasPrefix("interface 0: subnet \(c.subnets.count) is not in its vpc") })

        c = good
        let acl = try #require(c.networkACLs.firstIndex { $0.inbound.count >= 2 })
        c.networkACLs[acl].inbound.swapAt(0, 1)
        #expect(c.invariantViolations().contains("network ACL \(acl): inbound rules not sorted by number at 1"))

        c = good
        c.vpcs[0].mainRouteTable = -1
        #expect(c.invariantViolations().contains("vpc 0: main route table -1 is not one of its tables"))

        c = good
        let t = try #require(c.routeTables.firstIndex { $0.routes.count >= 2 })
        c.routeTables[t].routes.removeLast(c.routeTables[t].routes.count - 1)
        #expect(c.invariantViolations().contains { $0.hasPrefix("route table \(t): LPM value") })

        c = good
        c.subnetHot[0].networkACL = 12345
        #expect(c.invariantViolations().contains("subnet 0: hot data disagrees with the record"))

        c = good
        let slice = try #require(c.routeTableIntervals.firstIndex { $0.count >= 2 })
        let lo = Int(c.routeTableIntervals[slice].start)
        c.routeIntervals.swapAt(lo, lo + 1)
        #expect(c.invariantViolations().contains("route table \(slice): intervals not sorted at 1"))
    }
}
