import IPAddressing
import NetworkModel
import Testing
@testable import Importers

/// The two sides of a plan (`vpckit diff PLAN.json`): the prior state resolves its references through its own values,
/// never through the (planned) configuration. Fixture: Fixtures/terraform/plan-moved-reference.json
/// (make_moved_reference_fixture.py), whose `aws_default_route_table.main` is VPC a's main table before the plan and
/// VPC b's after it.
struct TerraformPlanSidesTests {
    static func side(_ side: TerraformPlanSide) throws -> ImportResult {
        let file = Files.fixtures + "/terraform/plan-moved-reference.json"
        return try TerraformImporter.importDocument(try JSONDocument(bytes: Files.read(file) ?? [], file: file), side: side)
    }

    /// (VPC name, routes) of the main tables.
    static func mainTables(_ t: Topology) -> [String: [Route]] {
        var out: [String: [Route]] = [:]
        for v in t.vpcs { for r in v.routeTables where r.isMain { out[v.name] = r.routes.map { Route(destination: $0.destination, target: $0.target) } } }
        return out
    }

    @Test func theDefaultRouteTableIsWhereEachSideHasIt() throws {
        let anywhere = RouteDestination.cidr(try IPPrefix("0.0.0.0/0"))
        let prior = try Self.side(.prior), planned = try Self.side(.planned)
        for result in [prior, planned] {
            #expect(validationErrors(result.topology) == [])
            #expect(result.report.skipped.isEmpty, "\(result.report.skipped)")
        }
        // Before the plan: VPC a's main table routes to igw-a; VPC b keeps the local-only table Terraform does not manage.
        #expect(Self.mainTables(prior.topology) == ["vpc-a": [Route(destination: anywhere, target: .named("igw-a"))], "vpc-b": []])
        #expect(prior.topology.vpcs.first { $0.name == "vpc-a" }?.routeTables.first { $0.isMain }?.id == "rtb-0aaaaaaaaaaaaaaa1")
        // After it: the managed table is VPC b's, to igw-b.
        #expect(Self.mainTables(planned.topology) == ["vpc-a": [], "vpc-b": [Route(destination: anywhere, target: .named("igw-b"))]])
    }

    /// The prior side never reads the configuration: a prior resource has no expression; the planned side does.
    @Test func onlyThePlannedSideReadsTheConfiguration() throws {
        let file = Files.fixtures + "/terraform/plan-moved-reference.json"
        let document = try JSONDocument(bytes: Files.read(file) ?? [], file: file)
        let prior = try TFDocument(document.root, side: .prior), planned = try TFDocument(document.root, side: .planned)
        let table = try #require(prior.resources.first { $0.address == "aws_default_route_table.main" })
        #expect(prior.expression(table, ["default_route_table_id"]) == nil)
        let plannedTable = try #require(planned.resources.first { $0.address == "aws_default_route_table.main" })
        #expect(planned.expression(plannedTable, ["default_route_table_id"]) != nil)
        // What the prior state says: VPC a's table.
        #expect(table.string("vpc_id") == "vpc-0aaaaaaaaaaaaaaa1")
    }
}
