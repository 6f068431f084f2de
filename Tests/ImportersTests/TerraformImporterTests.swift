import IPAddressing
import NetworkModel
import Testing
@testable import Importers

struct TerraformImporterTests {
    func load(_ name: String) throws -> ImportResult {
        let file = Files.fixtures + "/terraform/\(name).json"
        return try TerraformImporter.importDocument(try JSONDocument(bytes: Files.read(file) ?? [], file: file))
    }

    @Test func planResolvesUnknownIDsThroughConfigurationAcrossTheChildModule() throws {
        let result = try load("plan")
        let t = result.topology
        #expect(t.vpcs.count == 1)
        let vpc = try #require(t.vpcs.first)
        #expect(vpc.id == nil)   // unknown until apply
        #expect(vpc.subnets.map(\.name).sorted() == ["app-a", "db-a", "public-a"])
        #expect(vpc.instances.map(\.name).sorted() == ["app-1", "db-1", "web-1"])
        // The instance's subnet_id is a module output: resolved through module.net's outputs to the subnet.
        #expect(vpc.instances.first { $0.name == "db-1" }?.interfaces.first?.subnet == "db-a")
        #expect(result.report.notes.contains { $0.hasPrefix("aws_instance.db_1: subnet_id unknown until apply; resolved through the configuration to module.net.aws_subnet.db_a") })
        // Nested attribute paths are reported: route.0.nat_gateway_id of the private table.
        #expect(result.report.notes.contains { $0.contains("module.net.aws_route_table.private: route.0.nat_gateway_id unknown until apply") })
        #expect(vpc.routeTables.first { $0.isMain }?.routes.first?.target == .named("nat-a"))
        #expect(validationErrors(t) == [])
        #expect(roundTrips(t).0)
    }

    @Test func stateKeepsEveryAWSID() throws {
        let t = try load("state").topology
        let vpc = try #require(t.vpcs.first)
        #expect(vpc.id?.hasPrefix("vpc-") == true)
        #expect(vpc.subnets.allSatisfy { $0.id?.hasPrefix("subnet-") == true })
        #expect(vpc.instances.allSatisfy { $0.id?.hasPrefix("i-") == true && $0.interfaces.first?.id?.hasPrefix("eni-") == true })
        #expect(vpc.securityGroups.allSatisfy { $0.id?.hasPrefix("sg-") == true })
        #expect(vpc.routeTables.allSatisfy { $0.id?.hasPrefix("rtb-") == true })
        // Separate rule resources land in their groups; Terraform's groups have no default egress.
        let db = try #require(vpc.securityGroups.first { $0.name == "db" })
        #expect(db.ingress == [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(5432), peer: .securityGroup("app"))])
        #expect(db.egress == [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(443), peer: .cidr(try IPPrefix("0.0.0.0/0")))])
        #expect(validationErrors(t) == [])
    }

    static func document(_ text: String, file: String = "plan.json") throws(JSONError) -> ImportResult {
        try TerraformImporter.importDocument(try JSONDocument(bytes: Array(text.utf8), file: file))
    }

    @Test func unresolvableUnknownsAreReportedPerResourceWithThePath() throws {
        // A subnet whose vpc_id comes from a data source: unknown, and the configuration names no resource.
        let plan = #"""
        {"format_version": "1.2", "terraform_version": "1.11.4",
         "planned_values": {"root_module": {"resources": [
           {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
            "values": {"cidr_block": "10.0.1.0/24", "tags": {"Name": "a"}}}]}},
         "resource_changes": [{"address": "aws_subnet.a", "change": {"actions": ["create"], "after_unknown": {"vpc_id": true, "id": true}}}],
         "configuration": {"root_module": {"resources": [
           {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a",
            "expressions": {"vpc_id": {"references": ["data.aws_vpc.main.id", "data.aws_vpc.main"]}}}]}}}
        """#
        let result = try Self.document(plan)
        let w = try #require(result.report.warnings.first)
        #expect(w.file == "plan.json")
        #expect(w.path == "aws_subnet.a")
        #expect(w.message.hasPrefix("vpc_id is unknown until apply"))
        #expect(result.report.skipped.contains { $0.id == "aws_subnet.a" && $0.reason.contains("vpc_id is unknown until apply") })
    }

    @Test func notTerraformOrMalformedValuesNameFileAndPath() {
        #expect(throws: JSONError.self) { try Self.document(#"{"Vpcs": []}"#) }
        let bad = #"{"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [{"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a", "values": {"cidr_block": "10.0.0.0/33"}}]}}}"#
        do {
            _ = try Self.document(bad, file: "state.json")
            Issue.record("accepted an invalid CIDR")
        } catch {
            #expect(error.file == "state.json")
            #expect(error.path == "$.values.root_module.resources[0].values.cidr_block")
        }
    }

    @Test func unsupportedResourcesAreSkippedWithAReason() throws {
        let state = #"""
        {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
          {"address": "aws_lb_listener_certificate.v", "mode": "managed", "type": "aws_lb_listener_certificate", "name": "v", "values": {"id": "c-1"}},
          {"address": "aws_vpc_endpoint_service.s3", "mode": "managed", "type": "aws_vpc_endpoint_service", "name": "s3", "values": {"id": "vpce-svc-1"}},
          {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a", "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}}]}}}
        """#
        let result = try Self.document(state)
        #expect(result.report.skipped.map(\.type).sorted() == ["aws_lb_listener_certificate", "aws_vpc_endpoint_service"])
        // The VPC gets the main route table AWS creates with it.
        #expect(result.topology.vpcs.first?.routeTables.first?.isMain == true)
    }
}
