import NetworkModel
import Testing
@testable import Importers

/// Reconciliation blackholes a route whose target the validator would reject, naming why; the targets are
/// classified through the resolved topology's declarations (NetworkModel's resolver).
@Suite struct ReconcileRouteTests {
    static let text = """
        vpc a {
          cidr 10.0.0.0/16
          ipv6 2600:1f18:1234:5600::/56
          internet-gateway igw-a
          egress-only-gateway eigw-a
          subnet s 10.0.0.0/24
          nat-gateway nat-a in s ip 10.0.0.50
          instance fw {
            interface eth0 in s ip 10.0.0.10
            interface eth1 in s ip 10.0.0.11
          }
          route-table r main {
            route 0.0.0.0/0 -> igw-a
            route ::/0 -> eigw-a
            route 10.50.0.0/16 -> eigw-a
            route 2600::/16 -> nat-a
            route 10.51.0.0/16 -> fw.eth1
            route 10.52.0.0/16 -> fw.eth9
            route 10.53.0.0/16 -> ghost
            route 10.54.0.0/16 -> bc
            route 10.55.0.0/16 -> hub
            route 10.56.0.0/16 -> igw-b
            route 10.57.0.0/16 -> b-1
            route 10.58.0.0/16 -> s
            route 10.59.0.0/16 -> ab
            route 10.60.0.0/16 -> nat-a
          }
        }
        vpc b {
          cidr 10.1.0.0/16
          internet-gateway igw-b
          subnet sb 10.1.0.0/24
          instance b-1 in sb ip 10.1.0.10
        }
        vpc c {
          cidr 10.2.0.0/16
        }
        peering ab a <-> b
        peering bc b <-> c
        transit-gateway hub {
          attachment att-b vpc b subnets sb
        }
        """

    @Test func routesToUnusableTargetsBecomeBlackholesWithTheReason() {
        let (topology, syntax) = TopologyParser.parse(Self.text, file: "reconcile.vpc")
        #expect(syntax.isEmpty, "\(syntax.map(\.message))")
        var result = ImportResult(topology: topology, report: ImportReport())
        result.reconcile(source: "snapshot")
        let reasons = result.report.warnings.map(\.message)
        func expected(_ route: String, _ problem: String) -> String {
            "route table r: route \(route): the target \(problem); imported as a blackhole"
        }
        #expect(reasons == [
            expected("10.50.0.0/16 -> eigw-a", "routes only IPv6"),
            expected("2600::/16 -> nat-a", "takes IPv6 only as NAT64"),
            expected("10.52.0.0/16 -> fw.eth9", "is not imported"),
            expected("10.53.0.0/16 -> ghost", "is not imported"),
            expected("10.54.0.0/16 -> bc", "does not join this VPC"),
            expected("10.55.0.0/16 -> hub", "has no attachment in this VPC (AWS shows the route as a blackhole)"),
            expected("10.56.0.0/16 -> igw-b", "is in another VPC"),
            expected("10.57.0.0/16 -> b-1", "is in another VPC"),
            expected("10.58.0.0/16 -> s", "is not imported"),
        ])
        let targets = result.topology.vpcs[0].routeTables[0].routes.map(\.target)
        #expect(targets == [.named("igw-a"), .named("eigw-a"), .blackhole, .blackhole, .named("fw.eth1"), .blackhole, .blackhole,
                            .blackhole, .blackhole, .blackhole, .blackhole, .blackhole, .named("ab"), .named("nat-a")])
        // What is left validates.
        #expect(TopologyValidator.validate(result.topology).isEmpty)
    }
}
