import NetworkModel
import Testing
@testable import Importers

/// Issue 15, items 2 and 3: no input string can change the structure of the printed topology, and no resource is
/// dropped silently when its id is repeated.
@Suite struct UntrustedInputTests {
    /// The error an AWS import of `documents` fails with (nil when it succeeds).
    func awsError(_ documents: [(String, String)]) -> JSONError? {
        do { _ = try importAWS(documents: documents); return nil } catch { return error }
    }

    func terraformError(_ text: String, file: String = "plan.json") -> JSONError? {
        do {
            _ = try TerraformImporter.importDocument(try JSONDocument(bytes: Array(text.utf8), file: file))
            return nil
        } catch { return error }
    }

    // MARK: Item 2: text injection

    @Test func vpcIDWithNewlineAndBraceIsRejectedWithItsPath() throws {
        let doc = #"{"Vpcs": [{"VpcId": "vpc-0a1\n}\nvpc evil {\n cidr 10.9.0.0/16\n", "CidrBlock": "10.0.0.0/16"}]}"#
        let error = try #require(awsError([("describe-vpcs.json", doc)]))
        #expect(error.file == "describe-vpcs.json")
        #expect(error.path == "$.Vpcs[0].VpcId")
        #expect(error.message.contains("invalid VPC id 'vpc-0a1\\n}\\nvpc evil {"))
    }

    @Test func emptyVpcIDIsRejected() throws {
        let error = try #require(awsError([("v.json", #"{"Vpcs": [{"VpcId": "", "CidrBlock": "10.0.0.0/16"}]}"#)]))
        #expect(error.path == "$.Vpcs[0].VpcId")
    }

    /// Every collection's id key, with a value that would end a block.
    @Test(arguments: [
        ("Subnets", "SubnetId", "subnet"), ("RouteTables", "RouteTableId", "rtb"), ("InternetGateways", "InternetGatewayId", "igw"),
        ("NatGateways", "NatGatewayId", "nat"), ("VpcPeeringConnections", "VpcPeeringConnectionId", "pcx"),
        ("TransitGateways", "TransitGatewayId", "tgw"), ("TransitGatewayVpcAttachments", "TransitGatewayAttachmentId", "tgw-attach"),
        ("TransitGatewayRouteTables", "TransitGatewayRouteTableId", "tgw-rtb"), ("SecurityGroups", "GroupId", "sg"),
        ("NetworkAcls", "NetworkAclId", "acl"), ("NetworkInterfaces", "NetworkInterfaceId", "eni"), ("PrefixLists", "PrefixListId", "pl"),
        ("VpnGateways", "VpnGatewayId", "vgw"), ("CustomerGateways", "CustomerGatewayId", "cgw"), ("VpnConnections", "VpnConnectionId", "vpn"),
        ("VpcEndpoints", "VpcEndpointId", "vpce"), ("TransitGatewayPeeringAttachments", "TransitGatewayAttachmentId", "tgw-attach"),
        ("VirtualInterfaces", "VirtualInterfaceId", "dxvif"),
    ])
    func everyResourceIDIsCheckedAgainstItsPrefix(_ key: String, _ idKey: String, _ prefix: String) throws {
        for bad in ["\(prefix)-1 }", "\(prefix)-1#x", "", "\(prefix)-", "\(prefix)-1\n", "x\(prefix)-1", "\(prefix)-ABC"] {
            let doc = #"{"\#(key)": [{"\#(idKey)": "\#(bad.replacing("\n", with: "\\n"))"}]}"#
            let error = try #require(awsError([("f.json", doc)]), "\(key) \(bad)")
            #expect(error.path == "$.\(key)[0].\(idKey)", "\(key) \(bad)")
            #expect(error.message.contains("'\(prefix)-'"), "\(error.message)")
        }
        // The prefix of another kind is wrong too (a subnet id is not a VPC id).
        let other = prefix == "vpc" ? "subnet" : "vpc"
        #expect(awsError([("f.json", #"{"\#(key)": [{"\#(idKey)": "\#(other)-0a1"}]}"#)]) != nil)
    }

    @Test func instanceIDInReservationsIsChecked() throws {
        let doc = #"{"Reservations": [{"Instances": [{"InstanceId": "i-1 }"}]}]}"#
        let error = try #require(awsError([("i.json", doc)]))
        #expect(error.path == "$.Reservations[0].Instances[0].InstanceId")
    }

    @Test func accountAndZoneAreChecked() throws {
        let badAccount = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "1111 }"}]}"#
        let e1 = try #require(awsError([("v.json", badAccount)]))
        #expect(e1.path == "$.Vpcs[0].OwnerId")
        #expect(e1.message.contains("12 digits"))
        let vpc = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}"#
        let badZone = #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a\n}"}]}"#
        let e2 = try #require(awsError([("v.json", vpc), ("s.json", badZone)]))
        #expect(e2.path == "$.Subnets[0].AvailabilityZone")
        let localZone = #"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-west-2-lax-1a"}]}"#
        #expect(awsError([("v.json", vpc), ("s.json", localZone)]) == nil)
    }

    @Test func hostileTagsAndSkippedIDsStayInsideTheirWordOrComment() throws {
        let vpc = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "a}\nvpc evil {"}]}]}"#
        let vpn = #"{"CarrierGateways": [{"CarrierGatewayId": "cagw-1\n}\nvpc evil2 {\n cidr 10.8.0.0/16\n"}]}"#
        let result = try importAWS(documents: [("v.json", vpc), ("vpn.json", vpn)])
        let text = result.report.comments + TopologyPrinter.format(result.topology)
        let (parsed, diagnostics) = TopologyParser.parse(text, file: "out.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(parsed.vpcs.count == 1)
        #expect(parsed.vpcs.first?.name == "a-vpc-evil")
        #expect(result.report.comments.split(separator: "\n").count == 2)
    }

    @Test func referencedIDsInReasonsStayOnTheirLine() throws {
        // An internet gateway attached to a VPC that is not there: the reference is quoted in the skip reason.
        let igw = #"{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"State": "available", "VpcId": "vpc-9\n}\nvpc evil {"}]}]}"#
        let result = try importAWS(documents: [("igw.json", igw)])
        #expect(result.report.skipped.first?.reason.contains("vpc-9\n}") == true)
        #expect(!result.report.summary.contains("\n}"))
        #expect(result.report.comments.split(separator: "\n").count == 2)
    }

    @Test func theLastCheckCatchesAnUncheckedWord() throws {
        var t = Topology()
        t.vpcs.append(VPC(name: "ok", id: "vpc-1", region: "us-east-1\n}", cidrs: [try .init("10.0.0.0/16")]))
        #expect(throws: JSONError.self) { try t.checkPrintable(source: "snap") }
        t.vpcs[0].region = "us-east-1"
        try t.checkPrintable(source: "snap")
    }

    // MARK: Item 3: duplicates

    @Test func twoDifferentVPCsWithOneIDAreAnErrorNamingBothPaths() throws {
        let doc = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]}"#
        let error = try #require(awsError([("describe-vpcs.json", doc)]))
        #expect(error.path == "$.Vpcs[1]")
        #expect(error.message.contains("duplicate VpcId 'vpc-1'"))
        #expect(error.message.contains("$.Vpcs[0]"))
        // Across two files of one folder: the first file is named.
        let other = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]}"#
        let error2 = try #require(awsError([("snap/a.json", doc.replacing(", {\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.1.0.0/16\"}", with: "")),
                                           ("snap/b.json", other)]))
        #expect(error2.file == "snap/b.json")
        #expect(error2.message.contains("snap/a.json: $.Vpcs[0]"))
    }

    @Test func identicalRepeatsAreMergedWithANote() throws {
        let page = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}"#
        let result = try importAWS(documents: [("p1.json", page), ("p2.json", page)])
        #expect(result.topology.vpcs.count == 1)
        #expect(result.report.notes.contains { $0.contains("1 object seen twice with identical content") })
        #expect(result.report.summary.contains("seen twice"))
    }

    @Test func oneResourceSeenFromTwoAccountsIsKeptWithANote() throws {
        // Each account tags its view of a shared resource: same id, different tags, two folders.
        let a = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "a"}]}]}"#
        let b = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "b"}]}]}"#
        let result = try importAWS(documents: [("accounts/111111111111/us-east-1/v.json", a), ("accounts/222222222222/us-east-1/v.json", b)])
        #expect(result.topology.vpcs.count == 1)
        #expect(result.report.notes.contains { $0.contains("VpcId vpc-1") && $0.contains("two accounts'") && $0.contains("111111111111/us-east-1/v.json: $.Vpcs[0]") })
    }

    @Test func duplicateInstancesAreAnError() throws {
        let doc = #"{"Reservations": [{"Instances": [{"InstanceId": "i-1", "SubnetId": "subnet-1"}, {"InstanceId": "i-1", "SubnetId": "subnet-2"}]}]}"#
        let error = try #require(awsError([("i.json", doc)]))
        #expect(error.path == "$.Reservations[0].Instances[1]")
        #expect(error.message.contains("$.Reservations[0].Instances[0]"))
    }

    // MARK: Terraform

    func state(_ resources: String, region: String = "us-east-1") -> String {
        #"{"format_version": "1.0", "values": {"root_module": {"resources": [\#(resources)]}}, "configuration": {"provider_config": {"aws": {"expressions": {"region": {"constant_value": "\#(region)"}}}}}}"#
    }

    func vpc(_ name: String, id: String, cidr: String = "10.0.0.0/16", address: String? = nil) -> String {
        #"{"address": "\#(address ?? "aws_vpc." + name)", "mode": "managed", "type": "aws_vpc", "name": "\#(name)", "values": {"id": "\#(id)", "cidr_block": "\#(cidr)"}}"#
    }

    @Test func terraformIDsAreCheckedWithTheirAddress() throws {
        let error = try #require(terraformError(state(vpc("main", id: #"vpc-0a1\n}\nvpc evil {"#))))
        #expect(error.path == "$.values.root_module.resources[0].values.id")
        #expect(error.message.hasPrefix("aws_vpc.main: invalid VPC id"))
        let empty = try TerraformImporter.importDocument(try JSONDocument(bytes: Array(state(vpc("main", id: "")).utf8), file: "s.json"))
        #expect(empty.topology.vpcs.first?.id == nil)
    }

    @Test func terraformAddressesAndRegionAreChecked() throws {
        let badAddress = try #require(terraformError(state(vpc("main", id: "vpc-1", address: #"aws_vpc.main\n}"#))))
        #expect(badAddress.path == "$.values.root_module.resources[0].address")
        let badRegion = try #require(terraformError(state(vpc("main", id: "vpc-1"), region: "us-east-1 }")))
        #expect(badRegion.path.hasSuffix("region.constant_value"))
    }

    @Test func terraformDuplicateAddressesAndIDs() throws {
        let twice = try #require(terraformError(state(vpc("main", id: "vpc-1") + ", " + vpc("main", id: "vpc-2"))))
        #expect(twice.path == "$.values.root_module.resources[1]")
        #expect(twice.message.contains("duplicate resource address 'aws_vpc.main'"))
        #expect(twice.message.contains("$.values.root_module.resources[0]"))
        let sameID = try #require(terraformError(state(vpc("a", id: "vpc-1") + ", " + vpc("b", id: "vpc-1", cidr: "10.1.0.0/16"))))
        #expect(sameID.message.contains("aws_vpc.b has the VPC id 'vpc-1' of aws_vpc.a"))
        let repeated = try TerraformImporter.importDocument(try JSONDocument(bytes: Array(state(vpc("main", id: "vpc-1") + ", " + vpc("main", id: "vpc-1")).utf8), file: "s.json"))
        #expect(repeated.topology.vpcs.count == 1)
        #expect(repeated.report.notes.contains { $0.contains("listed twice with identical values") })
    }
}

/// Issue 17 item 6 (shared basics): the JSON reader's fast path parses addresses and CIDRs with the
/// `IPAddressing` parsers, so it accepts exactly what they accept (it used to take a prefix length `/08`).
@Suite struct JSONAddressParsingTests {
    func vpcs(_ cidr: String) throws(JSONError) -> ImportResult {
        try importAWS(documents: [("v.json", #"{"Vpcs": [{"VpcId": "vpc-0a1", "CidrBlock": "\#(cidr)"}]}"#)])
    }

    @Test(arguments: ["10.0.0.0/08", "010.0.0.0/16", "10.0.0.0/33", "10.0.0/16", "10.0.0.0/", "10.0.0.0/16 "])
    func malformedCIDRsAreErrorsWithTheirPath(cidr: String) {
        do {
            _ = try vpcs(cidr)
            Issue.record("'\(cidr)' was accepted")
        } catch {
            #expect(error.path == "$.Vpcs[0].CidrBlock")
            #expect(error.message.contains("invalid IPv4 CIDR"))
        }
    }

    @Test func wellFormedCIDRsAreReadAndHostBitsCleared() throws {
        #expect(try vpcs("10.0.0.0/16").topology.vpcs.first?.cidrs.first?.description == "10.0.0.0/16")
        // The API clears host bits; so does the importer (normalize), on the fast path as on the slow one.
        #expect(try vpcs("10.0.3.0/16").topology.vpcs.first?.cidrs.first?.description == "10.0.0.0/16")
        // An escaped string takes the slow path and reads the same.
        #expect(try vpcs(#"10.0.0.0\/16"#).topology.vpcs.first?.cidrs.first?.description == "10.0.0.0/16")
    }
}
