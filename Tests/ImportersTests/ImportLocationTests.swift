import IPAddressing
import NetworkModel
import Reporting
import TestSupport
import Testing
@testable import Importers

// Imported resources are located where their JSON came from: the file as given, the line and column of the
// object's first byte (columns count Unicode scalars, as diagnostics do).

/// `file:line:column` of `location` in `topology`'s file table.
private func place(_ location: NetworkModel.SourceLocation, _ topology: Topology) -> String {
    topology.files.place(of: location)
}

/// Every value under `c`, depth first.
private func allValues(_ c: JSONCursor, into out: inout [JSONCursor]) {
    out.append(c)
    switch c.kind {
    case .array: for e in c.elements { allValues(e, into: &out) }
    case .object: for m in c.members { allValues(m.value, into: &out) }
    default: break
    }
}

@Suite struct ImportLocationTests {
    static let vpcs = """
        {"Vpcs": [
          {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available"}
        ]}
        """
    static let subnets = """
        {
          "Subnets": [
            {
              "SubnetId": "subnet-1",
              "VpcId": "vpc-1",
              "CidrBlock": "10.0.1.0/24"
            }
          ]
        }
        """
    /// One line, with non-ASCII text before the rule (2 + 4 bytes for 2 characters).
    static let groups = #"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-1", "Description": "für 🌍", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]}"#
    static let acls = """
        {"NetworkAcls": [
         {"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true,
          "Entries": [
           {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}},
           {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"}
          ]}
        ]}
        """
    static let tables = """
        {"RouteTables": [
          {"RouteTableId": "rtb-1", "VpcId": "vpc-1",
           "Associations": [{"Main": true}],
           "Routes": [
             {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"},
             {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}
           ]}
        ]}
        """
    static let gateways = #"{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}]}]}"#
    static let instances = """
        {"Reservations": [{"Instances": [
          {"InstanceId": "i-1", "State": {"Name": "running"},
           "NetworkInterfaces": [
             {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.10",
              "Groups": [{"GroupId": "sg-1"}], "Attachment": {"DeviceIndex": 0}}
           ]}
        ]}]}
        """

    static func snapshot() throws -> Topology {
        try importAWS(documents: [
            ("snap/describe-vpcs.json", vpcs), ("snap/describe-subnets.json", subnets),
            ("snap/describe-security-groups.json", groups), ("snap/describe-network-acls.json", acls),
            ("snap/describe-route-tables.json", tables), ("snap/describe-internet-gateways.json", gateways),
            ("snap/describe-instances.json", instances),
        ]).topology
    }

    /// Each kind of resource names its describe-* file and the line and column of its object.
    @Test func awsResourcesNameTheirFileLineAndColumn() throws {
        let t = try Self.snapshot()
        let vpc = try #require(t.vpcs.first)
        #expect(place(vpc.location, t) == "snap/describe-vpcs.json:2:3")
        #expect(place(try #require(vpc.subnets.first).location, t) == "snap/describe-subnets.json:3:5")
        #expect(place(try #require(vpc.internetGateway).location, t) == "snap/describe-internet-gateways.json:1:23")
        let group = try #require(vpc.securityGroups.first)
        #expect(place(group.location, t) == "snap/describe-security-groups.json:1:21")
        // Byte 189 of the line, after 4 UTF-8 continuation bytes: column 186.
        #expect(place(try #require(group.ingress.first).location, t) == "snap/describe-security-groups.json:1:186")
        let acl = try #require(vpc.networkACLs.first)
        #expect(place(acl.location, t) == "snap/describe-network-acls.json:2:2")
        #expect(acl.inbound.map { place($0.location, t) } == ["snap/describe-network-acls.json:4:4"])
        let table = try #require(vpc.routeTables.first)
        #expect(place(table.location, t) == "snap/describe-route-tables.json:2:3")
        #expect(table.routes.map { place($0.location, t) } == ["snap/describe-route-tables.json:6:6"])
        let instance = try #require(vpc.instances.first)
        #expect(place(instance.location, t) == "snap/describe-instances.json:2:3")
        #expect(place(try #require(instance.interfaces.first).location, t) == "snap/describe-instances.json:4:6")
        // One file-table entry per document, each an imported JSON file.
        #expect(t.files.names.count == 8)
        #expect(t.files.kind(of: vpc.location) == .json && t.files.kind(of: table.routes[0].location) == .json)
    }

    /// A Terraform resource is at its object in `values.root_module.resources`; an inline rule at its block,
    /// a rule resource at its object; the main table Terraform does not manage at the VPC that implies it.
    @Test func terraformResourcesNameTheirFileLineAndColumn() throws {
        let path = Files.fixtures + "/terraform/locations-state.json"
        let bytes = try #require(Files.read(path))
        let result = try TerraformImporter.importDocument(try JSONDocument(bytes: bytes, file: "infra/state.json"))
        let t = result.topology
        let vpc = try #require(t.vpcs.first)
        #expect(place(vpc.location, t) == "infra/state.json:7:9")
        let main = try #require(vpc.routeTables.first { $0.isMain })
        #expect(place(main.location, t) == "infra/state.json:7:9")
        let group = try #require(vpc.securityGroups.first)
        #expect(place(group.location, t) == "infra/state.json:14:9")
        #expect(group.ingress.map { place($0.location, t) } == ["infra/state.json:22:15", "infra/state.json:27:9"])
        #expect(t.files.names == ["", "infra/state.json"])
    }

    /// The parser's line table places every value as a scan from the start of the text would, whatever the
    /// line endings, indentation, byte-order mark and non-ASCII text before it.
    @Test func everyValueIsPlacedAsTextPositionWouldPlaceIt() throws {
        let texts = [
            Self.groups, Self.acls, Self.instances,
            "\u{FEFF}{\"a\": [1, \"é\", {\"b\": null}]}",
            "{\r\n  \"日本\": [\"語\", {\"x\": true}],\r\n\t\"k\": \"\\u00e9\\n\", \"z\": {}\r\n}",
            "[\"🌍🌍\",\n\"ü\", [], {},\n  \"\", 1.5e3]",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let document = try JSONDocument(bytes: bytes, file: "t.json")
            var values: [JSONCursor] = []
            allValues(document.root, into: &values)
            #expect(values.count > 3)
            for v in values {
                let expected = bytes.withUnsafeBufferPointer { TextPosition.lineColumn($0, offset: v.sourceOffset) }
                #expect(v.lineColumn == expected, "\(text.debugDescription) offset \(v.sourceOffset)")
            }
            // The table built from the text itself agrees for every offset, including inside multi-byte characters.
            let table = bytes.withUnsafeBufferPointer { TextLineTable($0) }
            for offset in 0...bytes.count {
                let expected = bytes.withUnsafeBufferPointer { TextPosition.lineColumn($0, offset: offset) }
                #expect(table.lineColumn(of: offset) == expected, "\(text.debugDescription) offset \(offset)")
            }
        }
    }
}
