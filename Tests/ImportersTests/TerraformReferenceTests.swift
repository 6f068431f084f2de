import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// Terraform as real configurations are written (Fixtures/terraform/refs, produced by make_refs_fixtures.sh): the
/// first plan knows almost no id, and every reference is resolved through `configuration` and `prior_state`.
struct TerraformReferenceTests {
    static func load(_ name: String) throws -> ImportResult {
        let file = Files.fixtures + "/terraform/\(name).json"
        return try TerraformImporter.importDocument(try JSONDocument(bytes: Files.read(file) ?? [], file: file))
    }

    static func document(_ text: String, file: String = "plan.json") throws(JSONError) -> ImportResult {
        try TerraformImporter.importDocument(try JSONDocument(bytes: Array(text.utf8), file: file))
    }

    static func vpc(_ t: Topology, _ name: String) throws -> VPC { try #require(t.vpcs.first { $0.name == name }) }

    static func instance(_ t: Topology, _ name: String) throws -> Instance {
        try #require(t.vpcs.flatMap(\.instances).first { $0.name == name })
    }

    static func verdict(_ t: Topology, _ a: String, _ b: String, _ spec: TrafficSpec) -> Bool? {
        CrossSourceReachabilityTests.verdictFor(t, a, b, spec)
    }

    @Test(arguments: ["refs-plan", "refs-state"])
    func everyResourceIsPlacedAsAfterApply(_ name: String) throws {
        let result = try Self.load(name)
        let t = result.topology
        #expect(validationErrors(t) == [], "\(name)")
        #expect(roundTrips(t).0, "\(name)")
        #expect(result.report.skipped.map(\.id) == [], "\(name)")
        #expect(Set(t.vpcs.flatMap(\.instances).map(\.name)) == ["app-0", "app-1", "bastion-1", "nat-1", "web-1", "legacy-1", "edge-1"])
        // count: aws_subnet.spoke[count.index] names the instance with the same index.
        #expect(try Self.instance(t, "app-0").interfaces.first?.subnet == "spoke-0")
        #expect(try Self.instance(t, "app-1").interfaces.first?.subnet == "spoke-1")
        // for_each in a nested module, through an indexed module output: module.hub.subnet_ids["public"].
        #expect(try Self.instance(t, "web-1").interfaces.first?.subnet == "hub-public")
        // aws_subnet.spoke[0].id names spoke[0] only, not every instance of aws_subnet.spoke.
        #expect(t.transitGateways.first?.attachments.first?.subnets == ["spoke-0"])
        // Routes to targets created in the same apply.
        let hub = try Self.vpc(t, "hub")
        let priv = try #require(hub.routeTables.first { $0.name == "hub-private-rt" })
        #expect(priv.routes.contains(Route(destination: .cidr(try IPPrefix("0.0.0.0/0")), target: .named("hub-nat"))))
        #expect(priv.routes.contains(Route(destination: .cidr(try IPPrefix("192.168.0.0/16")), target: .named("nat-1"))))
        // Two peerings in one inline `route` expression: each route takes the one whose peer holds its destination.
        let pub = try #require(hub.routeTables.first { $0.name == "hub-public-rt" })
        #expect(pub.routes.contains(Route(destination: .cidr(try IPPrefix("10.1.0.0/16")), target: .named("hub-spoke"))))
        #expect(pub.routes.contains(Route(destination: .cidr(try IPPrefix("10.2.0.0/16")), target: .named("hub-edge"))))
        let spokeTable = try #require(try Self.vpc(t, "spoke").routeTables.first { $0.name == "spoke-rt" })
        #expect(spokeTable.routes.contains(Route(destination: .cidr(try IPPrefix("10.0.0.0/16")), target: .named("hub-spoke"))))
        #expect(spokeTable.routes.contains(Route(destination: .cidr(try IPPrefix("172.16.0.0/12")), target: .named("tgw"))))
        #expect(spokeTable.associations.sorted() == ["spoke-0", "spoke-1"])
        // Security-group references across the peering: inline `security_groups`, source_security_group_id,
        // referenced_security_group_id, and the ACCOUNT/sg-… form.
        let app = try #require(try Self.vpc(t, "spoke").securityGroups.first { $0.name == "app" })
        let expected: [(UInt16, String)] = [(5432, "web"), (8080, "web"), (22, "bastion"), (9000, "nat")]
        for (port, group) in expected {
            #expect(app.ingress.contains(SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port), peer: .securityGroup(group))), "\(name): \(port)")
        }
    }

    @Test func elasticIPsByReferenceGiveThePublicAddress() throws {
        let plan = try Self.load("refs-plan").topology
        let state = try Self.load("refs-state").topology
        for instance in ["web-1", "bastion-1", "nat-1"] {
            // aws_eip.instance, aws_eip.network_interface, aws_eip_association: unknown in the plan, known after apply.
            #expect(try Self.instance(plan, instance).interfaces.first?.publicIP == .unknown, "\(instance)")
            guard case .address? = try Self.instance(state, instance).interfaces.first?.publicIP else {
                Issue.record("\(instance): no public address in the state")
                continue
            }
        }
        // The state's instance has no public_ip of its own (the EIP is attached after it): it comes from aws_eip.
        let file = Files.fixtures + "/terraform/refs-state.json"
        let json = try JSONDocument(bytes: Files.read(file) ?? [], file: file)
        let eip = json.root["values"]?["root_module"]?["resources"]?.elements.first { $0["address"]?.stringValue == "aws_eip.web" }
        let address = try #require(eip?["values"]?["public_ip"]?.stringValue)
        let web = try Self.instance(state, "web-1")
        #expect(web.interfaces.first?.publicIP == .address(try IPv4Address(address)))
    }

    @Test(arguments: ["refs-plan", "refs-state"])
    func referencesDecideReachability(_ name: String) throws {
        let t = try Self.load(name).topology
        let https = TrafficSpec(ipProtocol: .tcp, port: 443), ssh = TrafficSpec(ipProtocol: .tcp, port: 22)
        #expect(Self.verdict(t, "internet", "web-1", https) == true)      // the referenced EIP
        #expect(Self.verdict(t, "internet", "bastion-1", ssh) == true)    // EIP on the interface
        #expect(Self.verdict(t, "internet", "app-0", https) == false)     // no public address
        // Groups of a same-region peered VPC are matched (Docs/AWS-BEHAVIOUR.md §5, §7).
        #expect(Self.verdict(t, "web-1", "app-0", TrafficSpec(ipProtocol: .tcp, port: 5432)) == true)
        #expect(Self.verdict(t, "web-1", "app-1", TrafficSpec(ipProtocol: .tcp, port: 8080)) == true)
        #expect(Self.verdict(t, "bastion-1", "app-1", ssh) == true)
        #expect(Self.verdict(t, "nat-1", "app-0", TrafficSpec(ipProtocol: .tcp, port: 9000)) == true)
        #expect(Self.verdict(t, "web-1", "app-0", ssh) == false)          // web is not admitted on 22
        #expect(Self.verdict(t, "web-1", "edge-1", https) == true)        // the second peering of the inline routes
        #expect(Self.verdict(t, "app-0", "edge-1", https) == false)       // peering is not transitive
        #expect(Self.verdict(t, "bastion-1", "app-0", TrafficSpec(ipProtocol: .tcp, port: 5432)) == false)
        // Without the EIP the instance would be unreachable: the import, not the subnet, gives the address.
        var withoutEIP = t
        for v in withoutEIP.vpcs.indices {
            for i in withoutEIP.vpcs[v].instances.indices where withoutEIP.vpcs[v].instances[i].name == "web-1" {
                withoutEIP.vpcs[v].instances[i].interfaces[0].publicIP = nil
            }
        }
        #expect(Self.verdict(withoutEIP, "internet", "web-1", https) == false)
    }

    @Test func dataSourcesAreImportedWithAWarningNamingThem() throws {
        let result = try Self.load("refs-plan")
        let warnings = result.report.warnings
        let vpcWarning = try #require(warnings.first { $0.path == "data.aws_vpc.default" })
        #expect(vpcWarning.file.hasSuffix("refs-plan.json"))
        #expect(vpcWarning.message.contains("outside this configuration"))
        #expect(vpcWarning.message.contains("$.prior_state.values.root_module.resources["))
        #expect(warnings.contains { $0.path == "data.aws_security_group.default" && $0.message.contains("imported without rules") })
        let defaultCIDR = try IPv4Prefix("172.31.0.0/16")
        let legacy = try #require(result.topology.vpcs.first { $0.cidrs == [defaultCIDR] })
        #expect(legacy.id.map { vpcWarning.message.contains($0) } == true)
        #expect(legacy.subnets.map(\.name) == ["legacy"])
        #expect(legacy.routeTables.first?.isMain == true)
        let group = try #require(legacy.securityGroups.first)
        #expect(group.ingress.isEmpty && group.egress == [])
        #expect(try Self.instance(result.topology, "legacy-1").interfaces.first?.securityGroups == [group.name])
    }

    @Test func aDataSourceReadOnlyAtApplyIsNamedInTheWarning() throws {
        // data.aws_vpc.shared depends on something unknown: Terraform defers the read; it has no values.
        let plan = #"""
        {"format_version": "1.2", "terraform_version": "1.11.4",
         "planned_values": {"root_module": {"resources": [
           {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
            "values": {"cidr_block": "10.0.1.0/24", "tags": {"Name": "a"}}},
           {"address": "data.aws_vpc.shared", "mode": "data", "type": "aws_vpc", "name": "shared", "values": {"tags": {}}}]}},
         "resource_changes": [{"address": "aws_subnet.a", "change": {"actions": ["create"], "after_unknown": {"vpc_id": true, "id": true}}},
           {"address": "data.aws_vpc.shared", "mode": "data", "change": {"actions": ["read"], "after_unknown": {"id": true, "cidr_block": true}}}],
         "configuration": {"root_module": {"resources": [
           {"address": "aws_subnet.a", "type": "aws_subnet", "name": "a",
            "expressions": {"vpc_id": {"references": ["data.aws_vpc.shared.id", "data.aws_vpc.shared"]}}}]}}}
        """#
        let result = try Self.document(plan)
        let w = try #require(result.report.warnings.first { $0.path == "aws_subnet.a" })
        #expect(w.message.contains("vpc_id is unknown until apply"))
        #expect(w.message.contains("it comes from data.aws_vpc.shared, which the plan reads only at apply"))
        #expect(result.report.skipped.contains { $0.id == "aws_subnet.a" })
    }

    /// Two accounts' VPCs peered in one region; account B's group admits account A's group by `ACCOUNT/sg-…`.
    /// moto has one account, so this state is written by hand after the shape of refs-state.json.
    static let crossAccountState =
        #"""
        {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
          {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a",
           "values": {"id": "vpc-a", "cidr_block": "10.0.0.0/16", "owner_id": "111111111111", "tags": {"Name": "a"}}},
          {"address": "aws_vpc.b", "mode": "managed", "type": "aws_vpc", "name": "b", "provider_name": "aws.b",
           "values": {"id": "vpc-b", "cidr_block": "10.1.0.0/16", "owner_id": "222222222222", "tags": {"Name": "b"}}},
          {"address": "aws_vpc_peering_connection.ab", "mode": "managed", "type": "aws_vpc_peering_connection", "name": "ab",
           "values": {"id": "pcx-1", "vpc_id": "vpc-a", "peer_vpc_id": "vpc-b", "peer_region": "us-east-1", "accept_status": "active", "tags": {"Name": "ab"}}},
          {"address": "aws_security_group.a", "mode": "managed", "type": "aws_security_group", "name": "a",
           "values": {"id": "sg-a", "vpc_id": "vpc-a", "ingress": [], "egress": [], "tags": {"Name": "sg-a-web"}}},
          {"address": "aws_security_group.b", "mode": "managed", "type": "aws_security_group", "name": "b",
           "values": {"id": "sg-b", "vpc_id": "vpc-b", "egress": [], "tags": {"Name": "sg-b-db"},
            "ingress": [{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": [], "ipv6_cidr_blocks": [],
                         "prefix_list_ids": [], "security_groups": ["111111111111/sg-a"], "self": false}]}},
          {"address": "aws_security_group_rule.b_from_a", "mode": "managed", "type": "aws_security_group_rule", "name": "b_from_a",
           "values": {"id": "sgrule-1", "type": "ingress", "security_group_id": "sg-b", "protocol": "tcp", "from_port": 22,
                      "to_port": 22, "source_security_group_id": "111111111111/sg-a"}}]}}}
        """#

    @Test func accountSlashGroupFormsMatchAcrossASameRegionPeering() throws {
        let result = try Self.document(Self.crossAccountState, file: "state.json")
        let b = try #require(result.topology.vpcs.first { $0.name == "b" }?.securityGroups.first)
        #expect(b.ingress.contains(SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(5432), peer: .securityGroup("sg-a-web"))))
        #expect(b.ingress.contains(SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(22), peer: .securityGroup("sg-a-web"))))
        #expect(!result.report.warnings.contains { $0.message.contains("not imported") })
        #expect(validationErrors(result.topology) == [])
    }

    @Test func inlineBlocksThatAllNameUnknownGroupsAreNotGuessed() throws {
        // Two ingress blocks, both with groups unknown until apply: the configuration writes `ingress` as one
        // expression, so which block names which group is not known; the peers are left out with a warning.
        let plan = #"""
        {"format_version": "1.2", "terraform_version": "1.11.4",
         "planned_values": {"root_module": {"resources": [
           {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v", "values": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "v"}}},
           {"address": "aws_security_group.x", "mode": "managed", "type": "aws_security_group", "name": "x", "values": {"tags": {"Name": "x"}, "egress": [],
             "ingress": [{"protocol": "tcp", "from_port": 1, "to_port": 1, "cidr_blocks": [], "self": false},
                         {"protocol": "tcp", "from_port": 2, "to_port": 2, "cidr_blocks": [], "self": false}]}},
           {"address": "aws_security_group.y", "mode": "managed", "type": "aws_security_group", "name": "y", "values": {"tags": {"Name": "y"}, "egress": [], "ingress": []}},
           {"address": "aws_security_group.z", "mode": "managed", "type": "aws_security_group", "name": "z", "values": {"tags": {"Name": "z"}, "egress": [], "ingress": []}}]}},
         "resource_changes": [
           {"address": "aws_vpc.v", "change": {"actions": ["create"], "after_unknown": {"id": true}}},
           {"address": "aws_security_group.x", "change": {"actions": ["create"], "after_unknown": {"id": true, "vpc_id": true,
             "ingress": [{"security_groups": true}, {"security_groups": true}]}}},
           {"address": "aws_security_group.y", "change": {"actions": ["create"], "after_unknown": {"id": true, "vpc_id": true}}},
           {"address": "aws_security_group.z", "change": {"actions": ["create"], "after_unknown": {"id": true, "vpc_id": true}}}],
         "configuration": {"root_module": {"resources": [
           {"address": "aws_security_group.x", "type": "aws_security_group", "name": "x", "expressions": {
             "vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]},
             "ingress": {"references": ["aws_security_group.y.id", "aws_security_group.y", "aws_security_group.z.id", "aws_security_group.z"]}}},
           {"address": "aws_security_group.y", "type": "aws_security_group", "name": "y", "expressions": {"vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}}},
           {"address": "aws_security_group.z", "type": "aws_security_group", "name": "z", "expressions": {"vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}}}]}}}
        """#
        let result = try Self.document(plan)
        let x = try #require(result.topology.vpcs.first?.securityGroups.first { $0.name == "x" })
        #expect(x.ingress.isEmpty)
        let w = result.report.warnings.filter { $0.path == "aws_security_group.x" }
        #expect(w.count == 2)
        #expect(w.first?.message.contains("ingress.0.security_groups is unknown until apply") == true)
        #expect(w.first?.message.contains("aws_security_group.y, aws_security_group.z") == true)
    }
}

extension TerraformReferenceTests {
    @Test func aKnownIDOfAReplacedResourceIsFoundInPriorState() throws {
        // The NAT gateway is replaced (new id unknown); the route names its old id as a constant.
        let plan = #"""
        {"format_version": "1.2", "terraform_version": "1.11.4",
         "planned_values": {"root_module": {"resources": [
           {"address": "aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v", "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "tags": {"Name": "v"}}},
           {"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s", "values": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.0.0.0/24", "tags": {"Name": "s"}}},
           {"address": "aws_nat_gateway.n", "mode": "managed", "type": "aws_nat_gateway", "name": "n", "values": {"subnet_id": "subnet-1", "connectivity_type": "private", "tags": {"Name": "n"}}},
           {"address": "aws_route_table.r", "mode": "managed", "type": "aws_route_table", "name": "r", "values": {"id": "rtb-1", "vpc_id": "vpc-1", "tags": {"Name": "r"},
             "route": [{"cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-old"}]}},
           {"address": "aws_internet_gateway.g", "mode": "managed", "type": "aws_internet_gateway", "name": "g", "values": {"id": "igw-1", "vpc_id": "vpc-1", "tags": {"Name": "g"}}}]}},
         "resource_changes": [{"address": "aws_nat_gateway.n", "change": {"actions": ["delete", "create"], "after_unknown": {"id": true}}}],
         "prior_state": {"values": {"root_module": {"resources": [
           {"address": "aws_nat_gateway.n", "mode": "managed", "type": "aws_nat_gateway", "name": "n", "values": {"id": "nat-old", "subnet_id": "subnet-1"}},
           {"address": "data.aws_internet_gateway.shared", "mode": "data", "type": "aws_internet_gateway", "name": "shared", "values": {"id": "igw-shared"}}]}}}}
        """#
        let result = try Self.document(plan)
        let table = try #require(result.topology.vpcs.first?.routeTables.first { $0.name == "r" })
        #expect(table.routes == [Route(destination: .cidr(try IPPrefix("0.0.0.0/0")), target: .named("n"))])
        // A network data source that is not imported is named in a warning with the path of its values.
        let w = try #require(result.report.warnings.first { $0.path == "data.aws_internet_gateway.shared" })
        #expect(w.message.contains("igw-shared") && w.message.contains("$.prior_state.values.root_module.resources[1]"))
    }
}

/// The reference grammar the importer reads from `configuration`.
struct TerraformReferenceSyntaxTests {
    @Test func partsSplitOutsideBracketsAndQuotes() {
        #expect(TFDocument.referenceParts(#"module.hub.subnet_ids["a.b"]"#) == ["module", "hub", #"subnet_ids["a.b"]"#])
        #expect(TFDocument.referenceParts("aws_subnet.spoke[0].id") == ["aws_subnet", "spoke[0]", "id"])
        #expect(TFDocument.referenceParts("var.x") == ["var", "x"])
    }

    @Test func instanceKeysOfCountAndForEach() {
        #expect(TFDocument.instanceKey("aws_subnet.spoke[1]") == "1")
        #expect(TFDocument.instanceKey(#"module.hub.module.subnets.aws_subnet.this["public"]"#) == "public")
        #expect(TFDocument.instanceKey("aws_subnet.spoke") == nil)
    }

    @Test func anIndexPicksOneInstanceOnlyWhenOneHasIt() {
        let all = [#"aws_subnet.this["a"]"#, #"aws_subnet.this["b"]"#]
        #expect(TFDocument.pick(all, key: #""b""#) == [#"aws_subnet.this["b"]"#])
        #expect(TFDocument.pick(all, key: "b") == [#"aws_subnet.this["b"]"#])   // module.m.ids.b
        #expect(TFDocument.pick(all, key: "c") == all)                         // no such key: not narrowed
        #expect(TFDocument.pick(all, key: nil) == all)
    }
}
