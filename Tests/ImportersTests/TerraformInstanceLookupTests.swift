import IPAddressing
import NetworkModel
import Testing
@testable import Importers

/// The three lookups the instance builder makes on what is already imported: a security group given by name, the VPC
/// of an instance's first interface, and the instance (and interface) an Elastic IP lands on. Each case has a
/// component of the same kind in another VPC (declared first) or beside it, which a wrong lookup would pick.
struct TerraformInstanceLookupTests {
    /// Two VPCs: `vpc-a` (declared first, subnet `sub-a`, group `web`) and `vpc-b` (subnet `sub-b`, group `db`).
    /// `one` is in VPC a; `two` and `three` in VPC b; `four` is launched with ENIs only, the first in VPC b.
    static let state = #"""
    {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
      {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a",
       "values": {"id": "vpc-a", "cidr_block": "10.1.0.0/16", "tags": {"Name": "vpc-a"}}},
      {"address": "aws_vpc.b", "mode": "managed", "type": "aws_vpc", "name": "b",
       "values": {"id": "vpc-b", "cidr_block": "10.2.0.0/16", "tags": {"Name": "vpc-b"}}},
      {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
       "values": {"id": "subnet-a", "vpc_id": "vpc-a", "cidr_block": "10.1.1.0/24", "tags": {"Name": "sub-a"}}},
      {"address": "aws_subnet.b", "mode": "managed", "type": "aws_subnet", "name": "b",
       "values": {"id": "subnet-b", "vpc_id": "vpc-b", "cidr_block": "10.2.1.0/24", "tags": {"Name": "sub-b"}}},
      {"address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group", "name": "web",
       "values": {"id": "sg-web", "vpc_id": "vpc-a", "name": "web", "tags": {"Name": "web"}, "ingress": [], "egress": []}},
      {"address": "aws_security_group.db", "mode": "managed", "type": "aws_security_group", "name": "db",
       "values": {"id": "sg-db", "vpc_id": "vpc-b", "name": "db", "tags": {"Name": "db"}, "ingress": [], "egress": []}},
      {"address": "aws_instance.one", "mode": "managed", "type": "aws_instance", "name": "one",
       "values": {"id": "i-one", "subnet_id": "subnet-a", "private_ip": "10.1.1.10", "associate_public_ip_address": false,
                  "vpc_security_group_ids": [], "security_groups": ["web", "db"], "network_interface": [],
                  "tags": {"Name": "one"}}},
      {"address": "aws_instance.two", "mode": "managed", "type": "aws_instance", "name": "two",
       "values": {"id": "i-two", "subnet_id": "subnet-b", "private_ip": "10.2.1.10", "associate_public_ip_address": false,
                  "vpc_security_group_ids": [], "security_groups": ["web", "db"], "network_interface": [],
                  "tags": {"Name": "two"}}},
      {"address": "aws_instance.three", "mode": "managed", "type": "aws_instance", "name": "three",
       "values": {"id": "i-three", "subnet_id": "subnet-b", "private_ip": "10.2.1.20", "associate_public_ip_address": false,
                  "vpc_security_group_ids": ["sg-db"], "network_interface": [], "tags": {"Name": "three"}}},
      {"address": "aws_network_interface.four0", "mode": "managed", "type": "aws_network_interface", "name": "four0",
       "values": {"id": "eni-four0", "subnet_id": "subnet-b", "private_ips": ["10.2.1.30"], "security_groups": ["sg-db"],
                  "attachment": []}},
      {"address": "aws_network_interface.four1", "mode": "managed", "type": "aws_network_interface", "name": "four1",
       "values": {"id": "eni-four1", "subnet_id": "subnet-b", "private_ips": ["10.2.1.31"], "security_groups": ["sg-db"],
                  "attachment": [{"instance": "i-four", "device_index": 1}]}},
      {"address": "aws_instance.four", "mode": "managed", "type": "aws_instance", "name": "four",
       "values": {"id": "i-four", "network_interface": [{"network_interface_id": "eni-four0", "device_index": 0}],
                  "tags": {"Name": "four"}}},
      {"address": "aws_eip.three", "mode": "managed", "type": "aws_eip", "name": "three",
       "values": {"id": "eipalloc-three", "public_ip": "198.51.100.3", "instance": "i-three"}},
      {"address": "aws_eip.four1", "mode": "managed", "type": "aws_eip", "name": "four1",
       "values": {"id": "eipalloc-four1", "public_ip": "198.51.100.41", "network_interface": "eni-four1"}},
      {"address": "aws_eip_association.four", "mode": "managed", "type": "aws_eip_association", "name": "four",
       "values": {"id": "eipassoc-four", "public_ip": "198.51.100.40", "instance_id": "i-four", "private_ip_address": "10.2.1.30"}}
    ]}}}
    """#

    static func importResult() throws -> ImportResult {
        try TerraformImporter.importDocument(try JSONDocument(bytes: Array(state.utf8), file: "state.json"))
    }

    static func imported() throws -> Topology { try importResult().topology }

    static func instance(_ t: Topology, _ name: String) -> (vpc: String, instance: Instance)? {
        for v in t.vpcs { if let i = v.instances.first(where: { $0.name == name }) { return (v.name, i) } }
        return nil
    }

    @Test func securityGroupsGivenByNameAreTakenOnlyFromTheInstancesOwnVPC() throws {
        let result = try Self.importResult()
        let t = result.topology
        #expect(Self.instance(t, "one")?.instance.interfaces.map(\.securityGroups) == [["web"]])
        #expect(Self.instance(t, "two")?.instance.interfaces.map(\.securityGroups) == [["db"]])
        // The other VPC's group is never attached (the reconciler would drop it again, with a warning).
        #expect(result.report.warnings.map(\.message) == [])
        #expect(result.report.skipped.map(\.id) == [])
    }

    @Test func anInstanceLandsInTheVPCOfItsFirstInterface() throws {
        let t = try Self.imported()
        #expect(t.vpcs.map(\.name) == ["vpc-a", "vpc-b"])
        #expect(t.vpcs.map { $0.instances.map(\.name) } == [["one"], ["two", "three", "four"]])
        let four = try #require(Self.instance(t, "four"))
        #expect(four.vpc == "vpc-b")
        #expect(four.instance.interfaces.map(\.name) == ["eth0", "eth1"])
        #expect(validationErrors(t) == [])
    }

    @Test func elasticIPsLandOnTheInstanceAndInterfaceTheyName() throws {
        let t = try Self.imported()
        let publicIPs = t.vpcs.map { $0.instances.map { $0.interfaces.map(\.publicIP) } }
        let none: NetworkInterface.PublicIP? = NetworkInterface.PublicIP.none
        let eip = { (s: String) throws -> NetworkInterface.PublicIP? in .address(try IPv4Address(s)) }
        #expect(publicIPs == [
            [[none]],                                                                // one
            [[none], [try eip("198.51.100.3")],                                      // two, three (by instance)
             [try eip("198.51.100.40"), try eip("198.51.100.41")]],                  // four: by private IP, by ENI
        ])
    }
}
