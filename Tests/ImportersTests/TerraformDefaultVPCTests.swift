import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// Default VPCs adopted by Terraform (Fixtures/terraform/default-vpc, planned by make_default_vpc_fixture.sh
/// against moto): the plan knows none of their computed values, so the import expands AWS's default shape
/// (AWS-BEHAVIOUR.md §10) where the configuration is silent, and its report says what it assumed.
@Suite struct TerraformDefaultVPCTests {
    static func load() throws -> ImportResult { try TerraformReferenceTests.load("default-vpc-plan") }
    static func p4(_ s: String) throws -> IPv4Prefix { try IPv4Prefix(s) }
    static let all = RouteDestination.cidr(.v4(IPv4Prefix(network: IPv4Address(0, 0, 0, 0), length: 0)!))

    /// us-east-1: the VPC, its two adopted default subnets (their /20s by zone), the internet gateway and the main
    /// table's default route; the instance placed in its subnet.
    @Test func anAdoptedDefaultVPCGetsAWSsShape() throws {
        let result = try Self.load()
        let t = result.topology
        #expect(result.report.skipped.map(\.id) == [])
        #expect(validationErrors(t) == [])
        #expect(roundTrips(t).0)
        let legacy = try TerraformReferenceTests.vpc(t, "legacy")
        #expect(legacy.isDefault && legacy.region == "us-east-1")
        #expect(legacy.cidrs == [try Self.p4("172.31.0.0/16")])
        // Only the adopted subnets (a and c): their blocks are the /20s of their zones' positions.
        #expect(legacy.subnets.map(\.name) == ["legacy-a", "legacy-c"])
        #expect(legacy.subnets.map(\.cidr) == [try Self.p4("172.31.0.0/20"), try Self.p4("172.31.32.0/20")])
        #expect(legacy.subnets.map(\.availabilityZone) == ["us-east-1a", "us-east-1c"])
        #expect(legacy.subnets.allSatisfy { $0.mapPublicIP })
        let igw = try #require(legacy.internetGateway)
        #expect(igw.name == "legacy-igw")
        let main = try #require(legacy.routeTables.first { $0.isMain })
        #expect(legacy.routeTables.count == 1)
        #expect(main.routes == [Route(destination: Self.all, target: .named("legacy-igw"))])
        // Default group and NACL: AWS's, implied (not written).
        #expect(legacy.defaultSecurityGroup == nil && legacy.defaultNetworkACL == nil)
        let web = try TerraformReferenceTests.instance(t, "web-1")
        #expect(web.interfaces.first?.subnet == "legacy-a")
    }

    /// Every assumed value is in the report, one note per resource and value.
    @Test func theReportSaysWhatWasAssumed() throws {
        let notes = try Self.load().report.notes
        func has(_ parts: String...) -> Bool { notes.contains { n in parts.allSatisfy { n.contains($0) } } }
        #expect(has("aws_default_vpc.legacy", "cidr_block", "172.31.0.0/16 assumed"))
        #expect(has("aws_default_subnet.a", "cidr_block", "172.31.0.0/20 for us-east-1a assumed"))
        #expect(has("aws_default_subnet.c", "cidr_block", "172.31.32.0/20 for us-east-1c assumed"))
        #expect(has("aws_default_vpc.legacy", "internet gateway", "legacy-igw", "assumed"))
        #expect(has("aws_default_vpc.legacy", "main route table", "0.0.0.0/0 -> legacy-igw", "assumed"))
        #expect(has("aws_default_vpc.legacy", "default security group", "assumed"))
        #expect(has("aws_default_vpc.legacy", "default network ACL", "assumed"))
        // us-west-2 adopts its table, group and NACL: only the block and the gateway are assumed there.
        #expect(has("aws_default_vpc.west", "cidr_block", "assumed"))
        #expect(has("aws_default_vpc.west", "internet gateway", "west-igw"))
        #expect(!has("aws_default_vpc.west", "main route table"))
        #expect(!has("aws_default_vpc.west", "default security group"))
        #expect(!has("aws_default_vpc.west", "default network ACL"))
        // (The provider's plan knows map_public_ip_on_launch of a default subnet: true, nothing assumed.)
        #expect(!has("map_public_ip_on_launch"))
        // The summary prints them.
        #expect(try Self.load().report.summary.contains("import: note: aws_default_subnet.a: the default subnet's cidr_block is unknown until apply"))
    }

    /// us-west-2: what the configuration adopts is exactly what it says (Terraform replaces the default rules);
    /// the configuration names no default subnet, so the region's first three are assumed.
    @Test func adoptedTablesGroupsAndNACLsKeepTheirConfiguredRules() throws {
        let result = try Self.load()
        let west = try TerraformReferenceTests.vpc(result.topology, "west")
        #expect(west.isDefault && west.region == "us-west-2")
        let main = try #require(west.routeTables.first { $0.isMain })
        #expect(west.routeTables.count == 1 && main.routes.isEmpty)
        let group = try #require(west.defaultSecurityGroup)
        #expect(group.ingress.count == 1)
        #expect(group.egress == nil)   // its one egress rule, all to 0.0.0.0/0, is the language's default
        let acl = try #require(west.defaultNetworkACL)
        #expect(acl.inbound.map(\.number) == [100] && acl.outbound.map(\.number) == [100])
        #expect(west.subnets.map(\.name) == ["west-a", "west-b", "west-c"])
        #expect(west.subnets.map(\.cidr) == [try Self.p4("172.31.0.0/20"), try Self.p4("172.31.16.0/20"), try Self.p4("172.31.32.0/20")])
        #expect(west.subnets.map(\.availabilityZone) == ["us-west-2a", "us-west-2b", "us-west-2c"])
        #expect(result.report.notes.contains { $0.contains("aws_default_vpc.west") && $0.contains("west-a 172.31.0.0/20 in us-west-2a") })
    }

    /// The answers follow (§10, "default VPC internet access"): the instance reaches the internet and is reached
    /// from it on what the default group admits (AWS's default: only from the group itself).
    @Test func theDefaultVPCHasInternetAccess() throws {
        let t = try Self.load().topology
        let https = TrafficSpec(ipProtocol: .tcp, port: 443)
        #expect(TerraformReferenceTests.verdict(t, "web-1", "8.8.8.8", https) == true)
        #expect(TerraformReferenceTests.verdict(t, "internet", "web-1", https) == false)   // the default group admits only itself
    }

    /// An `aws_default_subnet` without a default VPC in the configuration is skipped, saying why.
    @Test func aDefaultSubnetWithoutItsDefaultVPCIsSkipped() throws {
        let text = """
        {"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {"root_module": {"resources": [
          {"address": "aws_default_subnet.a", "mode": "managed", "type": "aws_default_subnet", "name": "a",
           "values": {"availability_zone": "us-east-1a", "map_public_ip_on_launch": true}}]}},
         "resource_changes": [{"address": "aws_default_subnet.a", "mode": "managed", "type": "aws_default_subnet", "name": "a",
           "change": {"actions": ["create"], "after": {"availability_zone": "us-east-1a"}, "after_unknown": {"cidr_block": true, "vpc_id": true, "id": true}}}]}
        """
        let result = try TerraformReferenceTests.document(text)
        #expect(result.report.skipped.map(\.reason) == ["a default subnet, and the configuration has no aws_default_vpc for its default VPC"])
    }

    /// A plan of a default VPC (`vpcType`: `aws_default_vpc`, or `aws_vpc` for none) and an
    /// `aws_default_security_group` without `vpc_id` (computed: unknown in the plan).
    static func defaultGroupPlan(vpcType: String) -> String {
        """
        {"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {"root_module": {"resources": [
          {"address": "\(vpcType).d", "mode": "managed", "type": "\(vpcType)", "name": "d", "values": {"cidr_block": "10.9.0.0/16", "tags": {"Name": "d"}}},
          {"address": "aws_default_security_group.d", "mode": "managed", "type": "aws_default_security_group", "name": "d",
           "values": {"ingress": [{"cidr_blocks": ["10.0.0.0/8"], "from_port": 22, "to_port": 22, "protocol": "tcp", "ipv6_cidr_blocks": [],
                                   "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}], "egress": []}}]}},
         "resource_changes": [
          {"address": "\(vpcType).d", "mode": "managed", "type": "\(vpcType)", "name": "d",
           "change": {"actions": ["create"], "after_unknown": {"id": true}}},
          {"address": "aws_default_security_group.d", "mode": "managed", "type": "aws_default_security_group", "name": "d",
           "change": {"actions": ["create"], "after_unknown": {"vpc_id": true, "id": true}}}]}
        """
    }

    /// An `aws_default_security_group` without `vpc_id` adopts the default VPC's group.
    @Test func aDefaultGroupWithoutVPCIDIsTheDefaultVPCs() throws {
        let result = try TerraformReferenceTests.document(Self.defaultGroupPlan(vpcType: "aws_default_vpc"))
        #expect(result.report.skipped.map(\.id) == [])
        let d = try TerraformReferenceTests.vpc(result.topology, "d")
        let group = try #require(d.defaultSecurityGroup)
        #expect(group.isDefault && group.ingress.count == 1 && group.egress == [])
        #expect(!result.report.notes.contains { $0.contains("default security group is not in the configuration") })
        // Without a default VPC in the configuration it is skipped, saying why.
        let alone = try TerraformReferenceTests.document(Self.defaultGroupPlan(vpcType: "aws_vpc"))
        #expect(alone.report.skipped.map(\.reason) == ["the default VPC's security group, and the configuration has no aws_default_vpc for its default VPC"])
    }

    /// Zone positions: the last letter after a region name; anything else assumes nothing.
    @Test func defaultSubnetPositions() throws {
        #expect(TFBuilder.defaultSubnetPosition("us-east-1a") == 0)
        #expect(TFBuilder.defaultSubnetPosition("eu-west-3c") == 2)
        #expect(TFBuilder.defaultSubnetPosition("us-east-1p") == 15)
        #expect(TFBuilder.defaultSubnetPosition("us-east-1q") == nil)
        #expect(TFBuilder.defaultSubnetPosition("us-west-2-lax-1a") == nil)
        #expect(TFBuilder.defaultSubnetPosition("a") == nil)
        #expect(TFBuilder.defaultSubnetBlock(15) == (try Self.p4("172.31.240.0/20")))
        #expect(TFBuilder.defaultSubnetBlock(16) == nil)
    }
}
