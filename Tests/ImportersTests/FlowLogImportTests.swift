import NetworkModel
import Reporting
import Testing
@testable import Importers

/// describe-flow-logs → `flow-log` resources (the AWS API shape, as moto's describe_flow_logs prints it, with
/// the S3 and Firehose fields AWS documents).
@Suite struct FlowLogImportTests {
    static let flowLogsDoc = #"""
    {"FlowLogs": [
      {"CreationTime": "2026-12-07 18:20:32+00:00", "DeliverLogsStatus": "SUCCESS", "FlowLogId": "fl-0aaa",
       "FlowLogStatus": "ACTIVE", "ResourceId": "vpc-1", "TrafficType": "ALL", "LogDestinationType": "s3",
       "LogDestination": "arn:aws:s3:::shop-logs/prod/vpc", "MaxAggregationInterval": 60,
       "LogFormat": "${version} ${srcaddr} ${dstaddr} ${action}", "Tags": [{"Key": "Name", "Value": "all-prod"}],
       "DestinationOptions": {"FileFormat": "plain-text", "HiveCompatiblePartitions": true, "PerHourPartition": true}},
      {"CreationTime": "2026-12-07 18:20:32+00:00", "DeliverLogsPermissionArn": "arn:aws:iam::123456789012:role/fl",
       "DeliverLogsStatus": "SUCCESS", "FlowLogId": "fl-0bbb", "FlowLogStatus": "ACTIVE", "LogGroupName": "/aws/vpc/app",
       "ResourceId": "subnet-1", "TrafficType": "REJECT", "LogDestinationType": "cloud-watch-logs",
       "LogFormat": "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}",
       "Tags": [], "MaxAggregationInterval": 600},
      {"FlowLogId": "fl-0ccc", "FlowLogStatus": "ACTIVE", "ResourceId": "vpc-2", "TrafficType": "ACCEPT",
       "LogDestinationType": "kinesis-data-firehose", "LogDestination": "arn:aws:firehose:us-east-1:123456789012:deliverystream/x"},
      {"FlowLogId": "fl-0ddd", "FlowLogStatus": "ACTIVE", "ResourceId": "tgw-attach-0abc", "TrafficType": "ALL",
       "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::shop-logs"},
      {"FlowLogId": "fl-0eee", "FlowLogStatus": "ACTIVE", "ResourceId": "vpc-2", "TrafficType": "ALL",
       "LogDestinationType": "cloud-watch-logs", "LogDestination": "arn:aws:logs:us-east-1:123456789012:log-group:prod-flows:*"}
    ]}
    """#

    @Test func describeFlowLogsBecomeFlowLogResources() throws {
        var snapshot = AWSSnapshot()
        try snapshot.add(try JSONDocument(bytes: Array(vpcsDoc.utf8), file: "snap/Vpcs.json"))
        try snapshot.add(try JSONDocument(bytes: Array(subnetsDoc.utf8), file: "snap/Subnets.json"))
        try snapshot.add(try JSONDocument(bytes: Array(Self.flowLogsDoc.utf8), file: "snap/FlowLogs.json"))
        let result = try snapshot.makeTopology()
        let logs = result.topology.flowLogs
        #expect(logs.map(\.id) == ["fl-0aaa", "fl-0bbb", "fl-0eee"])
        let vpc1 = try #require(result.topology.vpcs.first { $0.id == "vpc-1" }).name
        let vpc2 = try #require(result.topology.vpcs.first { $0.id == "vpc-2" }).name
        let subnet1 = try #require(result.topology.vpcs.flatMap(\.subnets).first { $0.id == "subnet-1" }).name
        let a = logs[0]
        #expect(a.name == "all-prod" && a.scope == .vpc && a.target == vpc1 && a.traffic == .all && a.interval == 60)
        #expect(a.fields == ["version", "srcaddr", "dstaddr", "action"])
        #expect(a.destination == .s3(bucket: "shop-logs", prefix: "prod/vpc") && a.hivePartitions && a.hourlyPartitions)
        let b = logs[1]
        #expect(b.scope == .subnet && b.target == subnet1 && b.traffic == .reject && b.interval == 600)
        #expect(b.fields == nil)  // the default format, written out, is the default
        #expect(b.destination == .cloudWatch(group: "/aws/vpc/app"))
        #expect(logs[2].target == vpc2 && logs[2].destination == .cloudWatch(group: "prod-flows"))
        // Firehose and TGW-attachment flow logs: skipped with their reasons.
        let skipped = result.report.skipped.filter { $0.type == "flow log" }
        #expect(skipped.map(\.id) == ["fl-0ccc", "fl-0ddd"])
        #expect(skipped.first?.reason.contains("Kinesis Data Firehose") == true)
        #expect(skipped.last?.reason.contains("transit gateway attachment") == true)
        // What is imported prints, parses back to the same flow logs and validates.
        let printed = TopologyPrinter.format(result.topology)
        let (again, syntax) = TopologyParser.parse(printed, file: "imported.vpc")
        #expect(syntax.isEmpty, "\(syntax.map(\.rendered))")
        #expect(again.flowLogs.map(TopologyPrinter.statement) == logs.map(TopologyPrinter.statement))
        #expect(TopologyValidator.validate(again).filter { $0.severity == .error }.isEmpty)
    }
}
