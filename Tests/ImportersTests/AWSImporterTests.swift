import IPAddressing
import NetworkModel
import Testing
@testable import Importers

let vpcsDoc = #"""
{"Vpcs": [
  {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111122223333", "State": "available",
   "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
                               {"CidrBlock": "10.5.0.0/16", "CidrBlockState": {"State": "disassociated"}}],
   "Tags": [{"Key": "Name", "Value": "prod vpc"}], "SomethingNew": {"x": [1, 2]}},
  {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16", "OwnerId": "111122223333", "Tags": [{"Key": "Name", "Value": "prod vpc"}]}
]}
"""#
let subnetsDoc = #"""
{"Subnets": [
  {"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a",
   "MapPublicIpOnLaunch": true, "Tags": [{"Key": "Name", "Value": "main"}]},
  {"SubnetId": "subnet-2", "VpcId": "vpc-2", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a"}
]}
"""#

@Test func namesComeFromTagsMadeValidAndUniqueElseTheID() throws {
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("subnets.json", subnetsDoc)])
    let names = result.topology.vpcs.map(\.name)
    // Two VPCs tagged "prod vpc": both get the id appended; "main" is a keyword, so the subnet takes its id.
    #expect(names == ["prod-vpc-vpc-1", "prod-vpc-vpc-2"])
    #expect(result.topology.vpcs[0].subnets.map(\.name) == ["subnet-1"])
    #expect(result.topology.vpcs[1].subnets.map(\.name) == ["subnet-2"])
    // The disassociated block is not imported; unknown fields are ignored.
    #expect(result.topology.vpcs[0].cidrs == [try IPv4Prefix("10.0.0.0/16")])
    #expect(result.topology.vpcs[0].account == "111122223333")
    #expect(result.topology.vpcs[0].region == "us-east-1")
    #expect(validationErrors(result.topology) == [])
}

@Test func paginatedOutputsAreConcatenatedAndDuplicatesMerged() throws {
    let page1 = #"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "NextToken": "abc"}"#
    let page2 = #"{"Vpcs": [{"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}, {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}"#
    let result = try importAWS(documents: [("p1.json", page1), ("p2.json", page2)])
    #expect(result.topology.vpcs.map(\.id) == ["vpc-1", "vpc-2"])
}

@Test func routeToAMissingNATGatewayIsABlackholeWithAWarning() throws {
    let rt = #"""
    {"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1",
      "Associations": [{"Main": true, "RouteTableId": "rtb-1"}],
      "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"},
                 {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0gone", "State": "blackhole"},
                 {"DestinationCidrBlock": "192.168.0.0/16", "NatGatewayId": "nat-0never", "State": "active"}]}]}
    """#
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("rt.json", rt)])
    let table = try #require(result.topology.vpcs.first?.routeTables.first)
    #expect(table.isMain)
    #expect(table.routes.map(\.target) == [.blackhole, .blackhole])
    let w = try #require(result.report.warnings.first)
    #expect(w.file == "rt.json")
    #expect(w.path == "$.RouteTables[0].Routes[2]")
    #expect(w.message.contains("nat-0never"))
}

@Test func invalidCIDRInARouteNamesFileAndPath() {
    let rt = #"{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local"}, {"DestinationCidrBlock": "10.300.0.0/16", "GatewayId": "igw-1"}]}]}"#
    do {
        _ = try importAWS(documents: [("vpcs.json", vpcsDoc), ("describe-route-tables.json", rt)])
        Issue.record("accepted an invalid CIDR")
    } catch {
        #expect(error.file == "describe-route-tables.json")
        #expect(error.path == "$.RouteTables[0].Routes[1].DestinationCidrBlock")
        #expect(error.message.contains("10.300.0.0/16"))
    }
}

@Test func wrongTypeAtAKnownKeyNamesFileAndPath() {
    for (text, path) in [(#"{"Vpcs": {"VpcId": "vpc-1"}}"#, "$.Vpcs"),
                         (#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": 42}]}"#, "$.Subnets[0].CidrBlock"),
                         (#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": "x"}]}"#, "$.Vpcs[0].CidrBlockAssociationSet")] {
        do {
            _ = try importAWS(documents: [("bad.json", text)])
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.file == "bad.json")
            #expect(error.path == path, "\(text)")
        }
    }
}

@Test func securityGroupDefaultEgressIsTheModelsDefault() throws {
    let sgs = #"""
    {"SecurityGroups": [
      {"GroupId": "sg-1", "VpcId": "vpc-1", "GroupName": "web",
       "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                          "UserIdGroupPairs": [{"GroupId": "sg-1"}, {"GroupId": "sg-elsewhere"}]},
                         {"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
       "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]},
      {"GroupId": "sg-2", "VpcId": "vpc-1", "IpPermissions": [], "IpPermissionsEgress": []}
    ]}
    """#
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("sg.json", sgs)])
    let groups = try #require(result.topology.vpcs.first?.securityGroups)
    #expect(groups[0].egress == nil)
    #expect(groups[1].egress == [])
    #expect(groups[0].ingress.count == 3)
    #expect(groups[0].name == "web")   // its GroupName (no Name tag)
    #expect(groups[1].name == "sg-2")  // neither: the id
    #expect(groups[0].ingress.contains { $0.peer == .securityGroup("web") && $0.ports == PortRange(443) })
    #expect(groups[0].ingress.contains { $0.ipProtocol == .icmp && $0.ports == PortRange(8, 65535) })
    #expect(result.report.warnings.contains { $0.message.contains("sg-elsewhere") })
    #expect(roundTrips(result.topology).0)
}

@Test func unsupportedResourcesAreSkippedWithAReasonAndCommented() throws {
    let doc = #"{"CarrierGateways": [{"CarrierGatewayId": "cagw-1"}], "TransitGatewayConnects": [{"TransitGatewayAttachmentId": "tgw-attach-9"}]}"#
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("x.json", doc)])
    #expect(result.report.skipped.map(\.id).sorted() == ["cagw-1", "tgw-attach-9"])
    #expect(result.report.comments.contains("# skipped carrier gateway cagw-1: the language has no carrier gateways"))
    #expect(result.report.summary.contains("transit gateway Connect attachment: 0 imported, 1 skipped"))
}

/// A VGW that is not attached (it carries nothing) is listed by id with the reason, not dropped.
@Test func detachedVPNGatewayIsSkippedWithItsReason() throws {
    let doc = #"{"VpnGateways": [{"VpnGatewayId": "vgw-1"}]}"#
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("x.json", doc)])
    #expect(result.report.skipped.map(\.id) == ["vgw-1"])
    #expect(result.report.comments.contains("# skipped virtual private gateway vgw-1: not attached to a VPC"))
}

@Test func tgwRoutesWithoutATableIDNeedOneFromTheFileName() throws {
    let routes = #"{"Routes": [{"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"}], "AdditionalRoutesAvailable": false}"#
    var snapshot = AWSSnapshot()
    #expect(throws: JSONError.self) { try snapshot.add(try JSONDocument(bytes: Array(routes.utf8), file: "routes.json")) }
    try snapshot.add(try JSONDocument(bytes: Array(routes.utf8), file: "snap/tgw-rtb-0abc123.routes.json"))
    #expect(snapshot.tgwRoutes["tgw-rtb-0abc123"]?.count == 1)
}

@Test func instanceInterfacesTakeAddressesGroupsAndPublicIPs() throws {
    let sgs = #"{"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": []}]}"#
    let instances = #"""
    {"Reservations": [{"Instances": [
      {"InstanceId": "i-1", "State": {"Name": "running"}, "Tags": [{"Key": "Name", "Value": "web.example"}],
       "NetworkInterfaces": [
         {"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.20",
          "Attachment": {"DeviceIndex": 1}, "Groups": [{"GroupId": "sg-1"}], "SourceDestCheck": false,
          "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.20"}]},
         {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "PrivateIpAddress": "10.0.1.10",
          "Attachment": {"DeviceIndex": 0}, "Groups": [{"GroupId": "sg-1"}],
          "Association": {"PublicIp": "54.1.2.3"},
          "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.10"}, {"Primary": false, "PrivateIpAddress": "10.0.1.11"}]}]},
      {"InstanceId": "i-2", "State": {"Name": "terminated"}}
    ]}]}
    """#
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("subnets.json", subnetsDoc), ("sg.json", sgs), ("i.json", instances)])
    let inst = try #require(result.topology.vpcs.first?.instances.first)
    #expect(inst.name == "web-example")
    #expect(inst.interfaces.map(\.id) == ["eni-1", "eni-2"])
    #expect(inst.interfaces[0].publicIP == .address(try IPv4Address("54.1.2.3")))
    #expect(inst.interfaces[0].secondaryIPs == [try IPv4Address("10.0.1.11")])
    #expect(inst.interfaces[1].publicIP == NetworkInterface.PublicIP.none)   // map-public-ip subnet, no address
    #expect(inst.interfaces[1].sourceDestCheck == false)
    #expect(result.report.skipped.contains { $0.id == "i-2" && $0.reason == "state terminated" })
    #expect(validationErrors(result.topology) == [])
    #expect(roundTrips(result.topology).0)
}

/// Imported resources are located in the document they came from: each file once in the topology's table (an
/// imported JSON file), every VPC in vpcs.json and every subnet in subnets.json, on a line of its own
/// (ImportLocationTests pins exact lines and columns).
@Test func importedResourcesNameTheirDocuments() throws {
    let result = try importAWS(documents: [("vpcs.json", vpcsDoc), ("subnets.json", subnetsDoc)])
    let t = result.topology
    #expect(t.files.names == ["", "vpcs.json", "subnets.json"])
    #expect(t.vpcs.map { t.files.name(of: $0.location) } == ["vpcs.json", "vpcs.json"])
    #expect(t.vpcs.map(\.location.line) == [2, 6])
    let subnets = t.vpcs.flatMap(\.subnets)
    #expect(subnets.map { t.files.name(of: $0.location) } == ["subnets.json", "subnets.json"])
    #expect(subnets.map(\.location.line) == [2, 4])
    #expect((t.vpcs.map(\.location) + subnets.map(\.location)).allSatisfy { t.files.kind(of: $0) == .json && $0.column == 3 })
}
