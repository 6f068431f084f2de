import IPAddressing
import NetworkModel
import Testing
@testable import Importers
import Generators
import Reachability
import TestSupport

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
            t.vpcs[v].vpnGateway?.id = nil
            for e in t.vpcs[v].endpoints.indices { t.vpcs[v].endpoints[e].id = nil; t.vpcs[v].endpoints[e].interfaceIDs = [] }
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
        for i in t.customerGateways.indices { t.customerGateways[i].id = nil }
        for i in t.vpnConnections.indices { t.vpnConnections[i].id = nil }
        for i in t.directConnectGateways.indices { t.directConnectGateways[i].id = nil }
        for i in t.virtualInterfaces.indices { t.virtualInterfaces[i].id = nil }
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

    /// A generated topology with every edge the exporter writes (all but TGW peering): it survives export and
    /// import, and the edges keep their values.
    @Test func edgesSurviveExportAndImport() throws {
        var t = TopologyGenerator(seed: 7, vpcs: 3, subnetsPerVPC: 2, instances: 6, securityGroups: 3, peerings: 0,
                                  transitGateway: true, zones: 2).generate()
        let vgw = "edge-vgw"
        t.vpcs[0].vpnGateway = VPNGateway(name: vgw, asn: 65010)
        t.vpcs[0].routeTables[0].propagations = [vgw]
        t.vpcs[0].routeTables[0].routes.append(Route(destination: .cidr(.v4(try IPv4Prefix("192.168.0.0/16"))), target: .named(vgw)))
        t.vpcs[0].routeTables.append(RouteTable(name: "edge-ingress", edgeAssociations: [vgw]))
        t.prefixLists.append(PrefixList(name: "s3-list", entries: [.v4(try IPv4Prefix("52.216.0.0/15")), .v4(try IPv4Prefix("3.5.0.0/19"))]))
        t.vpcs[0].endpoints.append(VPCEndpoint(name: "s3-gw", kind: .gateway, service: "com.amazonaws.us-east-1.s3",
                                               routeTables: [t.vpcs[0].routeTables[0].name], prefixList: "s3-list", policy: #"{"Statement": []}"#))
        let subnet = t.vpcs[0].subnets[0]
        let address = IPv4Address(bits: subnet.cidr.last.bits &- 1)
        t.vpcs[0].endpoints.append(VPCEndpoint(name: "ssm", kind: .interface, service: "com.amazonaws.us-east-1.ssm", subnets: [subnet.name],
                                               securityGroups: [t.vpcs[0].securityGroups[0].name], addresses: [address], privateDNS: false))
        t.vpcs[1].isDefault = true
        t.customerGateways = [CustomerGateway(name: "office", address: try IPv4Address("198.51.100.10"), asn: 65000)]
        let hub = t.transitGateways[0].name
        t.vpnConnections = [
            VPNConnection(name: "office-vpn", awsSide: .vpnGateway(vgw), customerGateway: "office", staticRoutesOnly: true,
                          staticRoutes: [try IPv4Prefix("192.168.0.0/16")], tunnels: [.up, .down]),
            VPNConnection(name: "branch-vpn", awsSide: .transitGateway(hub), customerGateway: "office"),
        ]
        t.directConnectGateways = [DirectConnectGateway(name: "dxg", asn: 64513, associations: [
            .init(gateway: vgw, allowedPrefixes: [t.vpcs[0].cidrs[0]]), .init(gateway: hub, allowedPrefixes: [try IPv4Prefix("10.0.0.0/8")])])]
        t.virtualInterfaces = [VirtualInterface(name: "dc-a", kind: .private, awsSide: .vpnGateway(vgw)),
                               VirtualInterface(name: "dc-t", kind: .transit, awsSide: .directConnectGateway("dxg"), isAvailable: false)]
        t.transitGateways[0].attachments += [TGWAttachment(name: "branch-att", kind: .vpn(connection: "branch-vpn")),
                                             TGWAttachment(name: "dx-att", kind: .directConnectGateway("dxg"))]
        t.transitGateways[0].routeTables[0].associations += ["branch-att", "dx-att"]
        t.transitGateways[0].routeTables[0].propagations += ["branch-att", "dx-att"]
        t.transitGateways[0].routeTables[0].routes.append(TGWRoute(destination: .cidr(.v4(try IPv4Prefix("172.20.0.0/16"))), target: .attachment("branch-att")))

        var snapshot = AWSSnapshot()
        for (file, text) in AWSSnapshotExporter.export(t) {
            try snapshot.add(try JSONDocument(bytes: Array(text.utf8), file: "us-east-1/" + file))
        }
        let imported = try snapshot.makeTopology()
        #expect(imported.report.warnings.isEmpty, "\(imported.report.warnings.prefix(3))")
        #expect(imported.report.skipped.isEmpty, "\(imported.report.skipped.prefix(3))")
        let expected = Self.withoutIDs(Self.explicitPublicIPs(t)), got = Self.withoutIDs(imported.topology)
        #expect(got.vpcs[0].vpnGateway == expected.vpcs[0].vpnGateway)
        #expect(got.vpcs[0].endpoints == expected.vpcs[0].endpoints)
        #expect(got.vpcs[0].routeTables == expected.vpcs[0].routeTables)
        #expect(got.vpcs.map(\.isDefault) == [false, true, false])
        #expect(got.customerGateways == expected.customerGateways)
        #expect(got.vpnConnections == expected.vpnConnections)
        #expect(got.directConnectGateways == expected.directConnectGateways)
        #expect(got.virtualInterfaces == expected.virtualInterfaces)
        #expect(got.transitGateways == expected.transitGateways)
        #expect(got.prefixLists == expected.prefixLists)
        #expect(got == expected)
        // The endpoint's ENI keeps its made-up id and is not reported as an interface left out.
        #expect(imported.topology.vpcs[0].endpoints[1].interfaceIDs.count == 1)
    }
}

/// TGW peering survives export and import: both sides of `Topologies/edges.vpc`'s peering come back as one
/// attachment id on two transit gateways, with their associations and static routes, and every instance pair
/// gets the same answer before and after.
struct TGWPeeringExportTests {
    @Test func peeringSurvivesExportAndImport() throws {
        let text = try #require(repositoryFile("Topologies/edges.vpc"))
        let (original, diagnostics) = TopologyLoader.load(text, file: "edges.vpc")
        #expect(diagnostics.isEmpty)
        let files = AWSSnapshotExporter.export(original)
        let peeringDoc = try #require(files.first { $0.file == "describe-transit-gateway-peering-attachments.json" })
        #expect(peeringDoc.text.contains("tgw-attach-0peer"))
        var snapshot = AWSSnapshot()
        for (file, text) in files { try snapshot.add(try JSONDocument(bytes: Array(text.utf8), file: "us-east-1/" + file)) }
        let imported = try snapshot.makeTopology()
        #expect(!imported.report.skipped.contains { $0.type.contains("peering") }, "\(imported.report.skipped)")
        let sides = imported.topology.transitGateways.flatMap { g in
            g.attachments.compactMap { a -> (String, String, String?)? in
                if case .peering(let peer) = a.kind { return (g.name, peer, a.id) }
                return nil
            }
        }
        #expect(sides.count == 2, "\(sides)")
        #expect(Set(sides.map(\.2)) == ["tgw-attach-0peer"])
        #expect(Set(sides.map(\.0)) == Set(sides.map(\.1)), "each side names the other's TGW")
        // Same answers for every instance pair, across the peering included.
        let before = CompiledTopology(original), after = CompiledTopology(imported.topology)
        let names = original.vpcs.flatMap { $0.instances.map(\.name) }
        var compared = 0, across = false
        for s in names {
            for d in names where s != d {
                for port: UInt16 in [22, 443] {
                    let traffic = TrafficSpec(ipProtocol: .tcp, port: port)
                    guard case .success(let v0) = before.reach(from: .named(s), to: .named(d), traffic: traffic),
                          case .success(let v1) = after.reach(from: .named(s), to: .named(d), traffic: traffic) else {
                        Issue.record("\(s) -> \(d) did not resolve"); continue
                    }
                    #expect(v0.state == v1.state, "\(s) -> \(d) tcp/\(port): \(v0.state) before, \(v1.state) after")
                    compared += 1
                    if s == "west-1" && d == "app-1" && port == 443 { across = v1.state == .reachable }
                }
            }
        }
        #expect(compared > 10)
        #expect(across, "west-1 -> app-1 tcp/443 crosses the peering and is reachable after the round trip")
    }
}
