import IPAddressing
import NetworkModel
import Testing
@testable import Importers
import Generators

/// A generated topology written as AWS JSON and imported back is the same topology (ids aside): the importer
/// loses nothing the exporter writes, on seeded random networks.
struct ExportRoundTripTests {
    static func withoutIDs(_ t: Topology) -> Topology {
        var t = t
        for p in t.prefixLists.indices { t.prefixLists[p].id = nil }
        for v in t.vpcs.indices {
            t.vpcs[v].id = nil
            t.vpcs[v].internetGateway?.id = nil
            t.vpcs[v].egressOnlyGateway?.id = nil
            for i in t.vpcs[v].subnets.indices { t.vpcs[v].subnets[i].id = nil }
            for i in t.vpcs[v].natGateways.indices { t.vpcs[v].natGateways[i].id = nil }
            for i in t.vpcs[v].routeTables.indices { t.vpcs[v].routeTables[i].id = nil }
            for i in t.vpcs[v].securityGroups.indices { t.vpcs[v].securityGroups[i].id = nil }
            for i in t.vpcs[v].networkACLs.indices { t.vpcs[v].networkACLs[i].id = nil }
            for i in t.vpcs[v].instances.indices {
                t.vpcs[v].instances[i].id = nil
                for e in t.vpcs[v].instances[i].interfaces.indices { t.vpcs[v].instances[i].interfaces[e].id = nil }
            }
        }
        for p in t.peerings.indices { t.peerings[p].id = nil }
        for g in t.transitGateways.indices {
            t.transitGateways[g].id = nil
            for a in t.transitGateways[g].attachments.indices { t.transitGateways[g].attachments[a].id = nil }
            for r in t.transitGateways[g].routeTables.indices { t.transitGateways[g].routeTables[r].id = nil }
        }
        return t
    }

    /// The generator leaves some interfaces' public address to the subnet (nil) where AWS prints none; the
    /// importer writes `public-ip none` there (Docs/AWS-BEHAVIOUR.md §3). Make the original say so too.
    static func explicitPublicIPs(_ t: Topology) -> Topology {
        var t = t
        for v in t.vpcs.indices {
            let mapped = Set(t.vpcs[v].subnets.filter(\.mapPublicIP).map(\.name))
            for i in t.vpcs[v].instances.indices {
                for e in t.vpcs[v].instances[i].interfaces.indices {
                    let eni = t.vpcs[v].instances[i].interfaces[e]
                    if eni.publicIP == nil || eni.publicIP == .unknown {
                        t.vpcs[v].instances[i].interfaces[e].publicIP = mapped.contains(eni.subnet) ? NetworkInterface.PublicIP.none : nil
                    }
                }
            }
        }
        return t
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func generatedTopologySurvivesExportAndImport(seed: UInt64) throws {
        let original = TopologyGenerator(seed: seed, vpcs: 6, subnetsPerVPC: 4, instances: 40, securityGroups: 12, peerings: 2,
                                         transitGateway: true, zones: 2).generate()
        #expect(validationErrors(original) == [])
        #expect(original.vpcs.flatMap(\.instances).count == 40 && original.transitGateways.count == 1)
        var snapshot = AWSSnapshot()
        for (file, text) in AWSSnapshotExporter.export(original) {
            try snapshot.add(try JSONDocument(bytes: Array(text.utf8), file: "us-east-1/" + file))
        }
        let imported = try snapshot.makeTopology()
        #expect(imported.report.warnings.isEmpty, "seed \(seed): \(imported.report.warnings.prefix(3))")
        #expect(imported.report.skipped.isEmpty, "seed \(seed): \(imported.report.skipped.prefix(3))")
        let expected = Self.withoutIDs(Self.explicitPublicIPs(original))
        let got = Self.withoutIDs(imported.topology)
        #expect(got.prefixLists == expected.prefixLists, "seed \(seed)")
        #expect(got.peerings == expected.peerings, "seed \(seed)")
        #expect(got.transitGateways == expected.transitGateways, "seed \(seed)")
        #expect(got.vpcs.count == expected.vpcs.count)
        for (a, b) in zip(got.vpcs, expected.vpcs) {
            #expect(a.subnets == b.subnets, "seed \(seed) \(a.name) subnets")
            #expect(a.routeTables == b.routeTables, "seed \(seed) \(a.name) route tables")
            #expect(a.securityGroups == b.securityGroups, "seed \(seed) \(a.name) security groups")
            #expect(a.networkACLs == b.networkACLs, "seed \(seed) \(a.name) NACLs")
            #expect(a.natGateways == b.natGateways, "seed \(seed) \(a.name) NAT gateways")
            #expect(a.instances == b.instances, "seed \(seed) \(a.name) instances")
            #expect(a == b, "seed \(seed) \(a.name)")
        }
        // And import → print → parse gives the same model.
        let (equal, diagnostics) = roundTrips(imported.topology)
        #expect(diagnostics.isEmpty && equal, "seed \(seed)")
    }
}
