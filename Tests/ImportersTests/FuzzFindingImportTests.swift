import NetworkModel
import Testing
@testable import Importers

/// Fuzz finding (target `aws-json`): an interface endpoint whose `SubnetIds` is empty (or names no subnet of
/// the snapshot) was imported without subnets; the validator took it, and `vpckit import aws` printed an
/// `endpoint … interface` statement the parser rejects ("needs 'subnets SUBNET…'"). It is now skipped, with
/// its reason, and the printed topology parses.
@Test func interfaceEndpointWithoutSubnetsIsSkippedAndTheImportParses() throws {
    let json = """
        {"Vpcs":[{"VpcId":"vpc-0a1","CidrBlock":"10.0.0.0/16"}],
         "Subnets":[{"SubnetId":"subnet-0a1","VpcId":"vpc-0a1","CidrBlock":"10.0.1.0/24","AvailabilityZone":"us-east-1a"}],
         "VpcEndpoints":[{"VpcEndpointId":"vpce-0a1","VpcEndpointType":"Interface","VpcId":"vpc-0a1",
                          "ServiceName":"com.amazonaws.us-east-1.ssm","SubnetIds":[],"Groups":[],"NetworkInterfaceIds":[]},
                         {"VpcEndpointId":"vpce-0a2","VpcEndpointType":"Interface","VpcId":"vpc-0a1",
                          "ServiceName":"com.amazonaws.us-east-1.ssm","SubnetIds":["subnet-0ff"],"Groups":[],"NetworkInterfaceIds":[]}]}
        """
    var snapshot = AWSSnapshot()
    try snapshot.add(try JSONDocument(bytes: Array(json.utf8), file: "snap.json"))
    let result = try snapshot.makeTopology()
    #expect(result.topology.vpcs.first?.endpoints.isEmpty == true)
    #expect(result.report.skipped.map(\.id) == ["vpce-0a1", "vpce-0a2"])
    #expect(result.report.skipped.allSatisfy { $0.reason.contains("none of its subnets") })
    let (_, diagnostics) = TopologyParser.parse(TopologyPrinter.format(result.topology), file: "imported.vpc")
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
}
