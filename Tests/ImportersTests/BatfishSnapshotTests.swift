import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// The Batfish AWS snapshots (real describe-* output): every folder imports, validates and round-trips.
@Suite(.enabled(if: Files.batfish != nil, "the shared Batfish snapshots are not on this machine"))
struct BatfishSnapshotTests {
    /// Every snapshot folder; `fixtures` is not one (unrelated unit-test documents that reuse ids with different
    /// content) and is checked on its own below.
    static let folders: [String] = Files.batfish.map { root in Files.entries(root).filter { $0 != "fixtures" && Files.isDirectory(root + "/" + $0) } } ?? []

    /// Batfish's `fixtures` folder gives `acl-4db39c28` two different bodies in one folder: an input error
    /// naming both places, not a silent choice of one.
    @Test func fixturesFolderReusingAnIDIsAnErrorNamingBothPaths() throws {
        let root = try #require(Files.batfish)
        do {
            _ = try importAWS([root + "/fixtures"])
            Issue.record("conflicting duplicates imported")
        } catch let error as JSONError {
            #expect(error.message.contains("duplicate NetworkAclId 'acl-4db39c28'"))
            #expect(error.message.contains("$.NetworkAcls[0]"))
            #expect(error.file.hasSuffix(".json") && error.path.hasPrefix("$.NetworkAcls["))
        }
    }

    /// Reasons a resource may be skipped for: kinds the language lacks, resources AWS itself shows as gone or
    /// half-present, and data that contradicts itself (hand-assembled snapshots).
    static let acceptableReasons = [
        "the language has no", "not in the language", "state ", "status ", "not in the snapshot", "inconsistent snapshot",
        "not imported", "none of its interfaces", "only instance interfaces", "not attached to a VPC",
    ]

    @Test(arguments: folders)
    func folderImportsAndValidates(_ folder: String) throws {
        let root = try #require(Files.batfish)
        let result = try importAWS([root + "/" + folder])
        #expect(validationErrors(result.topology) == [], "\(folder)")
        let (equal, diagnostics) = roundTrips(result.topology)
        #expect(diagnostics == [], "\(folder)")
        #expect(equal, "\(folder): print → parse changed the model")
        for skip in result.report.skipped {
            #expect(Self.acceptableReasons.contains { skip.reason.contains($0) }, "\(folder): \(skip.type) \(skip.id): \(skip.reason)")
        }
        // Every imported resource keeps its AWS id.
        for vpc in result.topology.vpcs {
            #expect(vpc.id?.hasPrefix("vpc-") == true)
            for s in vpc.subnets { #expect(s.id?.hasPrefix("subnet-") == true) }
            for i in vpc.instances { #expect(i.id?.hasPrefix("i-") == true) }
            for t in vpc.routeTables { #expect(t.id?.hasPrefix("rtb-") == true) }
        }
        #expect(!result.report.summary.isEmpty)
    }

    func load(_ folder: String) throws -> ImportResult {
        try importAWS([try #require(Files.batfish) + "/" + folder])
    }

    @Test func natGatewayKeepsItsElasticIPAndRoutes() throws {
        let t = try load("test-nat-gateway").topology
        let nats = t.vpcs.flatMap(\.natGateways)
        #expect(nats.count == 1)
        let nat = try #require(nats.first)
        guard case .public(let eip?) = nat.connectivity else { Issue.record("NAT without EIP"); return }
        #expect(eip.description.split(separator: ".").count == 4)
        let routesToNAT = t.vpcs.flatMap(\.routeTables).flatMap(\.routes).filter { $0.target == .named(nat.name) }
        #expect(routesToNAT.count == 1)
    }

    @Test func peeringWithTwoSameCIDRPeersImportsBoth() throws {
        let t = try load("test-vpc-peering").topology
        #expect(t.peerings.count == 2)
        #expect(t.peerings.allSatisfy { $0.id?.hasPrefix("pcx-") == true })
    }

    @Test func crossAccountTransitGatewayMergesAttachmentsFromBothAccounts() throws {
        let t = try load("test-transit-gateway-multi-account").topology
        #expect(t.transitGateways.count == 1)
        let tgw = try #require(t.transitGateways.first)
        #expect(tgw.attachments.count == 2)
        #expect(Set(tgw.attachments.map(\.vpc)).count == 2)
        #expect(Set(t.vpcs.compactMap(\.account)).count == 2)
    }

    @Test func regionsComeFromTheFolderPerAccountAndRegion() throws {
        let t = try load("test-multi-account").topology
        #expect(Set(t.vpcs.compactMap(\.region)) == ["us-west-1", "us-west-2"])
    }

    @Test func tgwTablesKeepAssociationsPropagationsAndStaticBlackholes() throws {
        let t = try load("test-transit-gateway-multi-table").topology
        let tables = t.transitGateways.flatMap(\.routeTables)
        #expect(tables.count == 2)
        #expect(tables.allSatisfy { $0.associations.count == 1 })
        #expect(tables.allSatisfy { !$0.propagations.isEmpty })
    }

}

/// Reachability on the imported real snapshots follows Docs/AWS-BEHAVIOUR.md.
@Suite(.enabled(if: Files.batfish != nil, "the shared Batfish snapshots are not on this machine"))
struct BatfishReachabilityTests {
    func verdict(_ folder: String, _ a: String, _ b: String, _ spec: TrafficSpec) throws -> Bool? {
        let t = try importAWS([try #require(Files.batfish) + "/" + folder]).topology
        return CrossSourceReachabilityTests.verdictFor(t, a, b, spec)
    }
    let ssh = TrafficSpec(ipProtocol: .tcp, port: 22)
    let https = TrafficSpec(ipProtocol: .tcp, port: 443)

    @Test func natGatewaySubnetReachesTheInternetAndOnlyThePublicHostIsReachableFromIt() throws {
        #expect(try verdict("test-nat-gateway", "test1", "internet", https) == true)    // §4: via the NAT, then the IGW
        #expect(try verdict("test-nat-gateway", "test20", "internet", https) == false)  // main table: local routes only
        #expect(try verdict("test-nat-gateway", "internet", "Jump-Host", ssh) == true)  // §3: public IP, IGW route
        #expect(try verdict("test-nat-gateway", "internet", "test1", ssh) == false)     // no public address
        #expect(try verdict("test-nat-gateway", "i-0b31b509174d7f5de", "i-0a128d26e59be60f3", ssh) == true)  // by AWS ids
    }

    @Test func transitGatewayServesOnlySubnetsInItsAttachmentsZones() throws {
        // §6: VPC-A is attached in us-east-2c only; its instance in us-east-2a cannot use the TGW.
        #expect(try verdict("test-transit-gateway", "i-0b14080af811fda3d", "i-06ba034d88c84ef07", ssh) == true)
        #expect(try verdict("test-transit-gateway", "i-075e846ed41670385", "i-0b14080af811fda3d", ssh) == false)
        #expect(try verdict("test-transit-gateway", "i-0b14080af811fda3d", "i-075e846ed41670385", ssh) == false)
    }

    @Test func peeringDeliversOnlyToAddressesAnInterfaceHolds() throws {
        // §0/§5: the peer subnet's instance is reachable over the peering; an address of that subnet with no ENI is not.
        #expect(try verdict("test-vpc-peering", "i-06ba034d88c84ef07", "i-0b14080af811fda3d", ssh) == true)
        #expect(try verdict("test-vpc-peering", "i-06ba034d88c84ef07", "192.168.1.106", ssh) == true)
        #expect(try verdict("test-vpc-peering", "i-06ba034d88c84ef07", "192.168.1.50", ssh) == false)
        #expect(try verdict("test-vpc-peering", "i-06ba034d88c84ef07", "192.168.1.255", ssh) == false)
    }
}
