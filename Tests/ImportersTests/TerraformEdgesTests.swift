import IPAddressing
import NetworkModel
import Testing
@testable import Importers

/// The network's edges from Terraform (Fixtures/terraform/edges, printed by make_edges_fixtures.sh against moto):
/// a default VPC, a VGW with a static VPN, gateway and interface endpoints, a gateway route table, a TGW with a
/// VPN attachment and a peering, a Direct Connect gateway. `edges-plan` has every resource (ids unknown, known
/// by reference); `edges-state` the part moto can create (no VGW propagation, VPN static routes or Direct Connect).
struct TerraformEdgesTests {
    static func load(_ name: String) throws -> ImportResult { try TerraformReferenceTests.load(name) }

    @Test(arguments: ["edges-plan", "edges-state"])
    func debugDump(_ name: String) throws {
        let r = try Self.load(name)
        print("=== \(name)")
        print(r.report.summary)
        for s in r.report.skipped { print("SKIP", s) }
        for w in r.report.warnings { print("WARN", w) }
        print(r.topology)
    }
}
