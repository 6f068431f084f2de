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

    /// `aws_flow_log` in a Terraform state: the same resources from the provider's attributes.
    @Test func terraformFlowLogsBecomeFlowLogResources() throws {
        let state = #"""
        {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
          {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a",
           "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}},
          {"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
           "values": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24"}},
          {"address": "aws_flow_log.vpc", "mode": "managed", "type": "aws_flow_log", "name": "vpc",
           "values": {"id": "fl-0aaa", "vpc_id": "vpc-1", "traffic_type": "ALL", "log_destination_type": "s3",
                      "log_destination": "arn:aws:s3:::shop-logs/prod", "max_aggregation_interval": 60,
                      "log_format": "${version} ${srcaddr} ${action}",
                      "destination_options": [{"file_format": "plain-text", "hive_compatible_partitions": true, "per_hour_partition": false}]}},
          {"address": "aws_flow_log.subnet", "mode": "managed", "type": "aws_flow_log", "name": "subnet",
           "values": {"id": "fl-0bbb", "subnet_id": "subnet-1", "traffic_type": "REJECT", "log_destination_type": "cloud-watch-logs",
                      "log_destination": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/app:*", "max_aggregation_interval": 600}},
          {"address": "aws_flow_log.firehose", "mode": "managed", "type": "aws_flow_log", "name": "firehose",
           "values": {"id": "fl-0ccc", "vpc_id": "vpc-1", "traffic_type": "ALL", "log_destination_type": "kinesis-data-firehose",
                      "log_destination": "arn:aws:firehose:us-east-1:123456789012:deliverystream/x"}}]}}}
        """#
        let result = try TerraformImporter.importDocument(try JSONDocument(bytes: Array(state.utf8), file: "state.json"))
        let logs = result.topology.flowLogs
        let vpc = try #require(result.topology.vpcs.first)
        try #require(logs.count == 2)
        #expect(logs[0].scope == .vpc && logs[0].target == vpc.name && logs[0].interval == 60 && logs[0].id == "fl-0aaa")
        #expect(logs[0].fields == ["version", "srcaddr", "action"])
        #expect(logs[0].destination == .s3(bucket: "shop-logs", prefix: "prod") && logs[0].hivePartitions && !logs[0].hourlyPartitions)
        #expect(logs[1].scope == .subnet && logs[1].target == vpc.subnets.first?.name && logs[1].traffic == .reject)
        #expect(logs[1].destination == .cloudWatch(group: "/aws/vpc/app"))
        let skipped = result.report.skipped.filter { $0.type == "flow log" }
        #expect(skipped.count == 1 && skipped.first?.reason.contains("Kinesis Data Firehose") == true)
        let (again, syntax) = TopologyParser.parse(TopologyPrinter.format(result.topology), file: "imported.vpc")
        #expect(syntax.isEmpty && again.flowLogs.map(TopologyPrinter.statement) == logs.map(TopologyPrinter.statement))
        #expect(TopologyValidator.validate(again).filter { $0.severity == .error }.isEmpty)
    }

    /// A flow log on a transit gateway (describe-flow-logs `ResourceId` `tgw-…`; Terraform `transit_gateway_id`):
    /// a transit gateway flow log, its format read with the transit gateway fields (AWS's default — every field
    /// in order — left out), its traffic type ignored (AWS gives it none), its interval 60.
    @Test func transitGatewayFlowLogsImport() throws {
        let fullFormat = FlowLog.transitGatewayFieldNames.map { "${\($0)}" }.joined(separator: " ")
        var snapshot = AWSSnapshot()
        try snapshot.add(try JSONDocument(bytes: Array(#"{"TransitGateways": [{"TransitGatewayId": "tgw-0a", "State": "available", "Tags": [{"Key": "Name", "Value": "core"}]}]}"#.utf8), file: "snap/TransitGateways.json"))
        let logs = """
            {"FlowLogs": [
              {"FlowLogId": "fl-0t1", "FlowLogStatus": "ACTIVE", "ResourceId": "tgw-0a", "TrafficType": "ALL", "MaxAggregationInterval": 60,
               "LogFormat": "\(fullFormat)", "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::tgw-logs/core"},
              {"FlowLogId": "fl-0t2", "FlowLogStatus": "ACTIVE", "ResourceId": "tgw-0a", "MaxAggregationInterval": 60,
               "LogFormat": "${tgw-attachment-id} ${srcaddr} ${packets-lost-blackhole}", "LogDestinationType": "cloud-watch-logs", "LogGroupName": "/tgw"}
            ]}
            """
        try snapshot.add(try JSONDocument(bytes: Array(logs.utf8), file: "snap/FlowLogs.json"))
        let result = try snapshot.makeTopology()
        let imported = result.topology.flowLogs
        try #require(imported.count == 2, "\(result.report.skipped)")
        #expect(imported.allSatisfy { $0.scope == .transitGateway && $0.target == "core" && $0.interval == 60 && $0.traffic == .all })
        #expect(imported[0].fields == nil && imported[0].destination == .s3(bucket: "tgw-logs", prefix: "core"))
        #expect(imported[1].fields == ["tgw-attachment-id", "srcaddr", "packets-lost-blackhole"])
        let (again, syntax) = TopologyParser.parse(TopologyPrinter.format(result.topology), file: "imported.vpc")
        #expect(syntax.isEmpty, "\(syntax.map(\.rendered))")
        #expect(again.flowLogs.map(TopologyPrinter.statement) == imported.map(TopologyPrinter.statement))
        #expect(TopologyValidator.validate(again).filter { $0.severity == .error }.isEmpty)

        let state = """
            {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
              {"address": "aws_ec2_transit_gateway.core", "mode": "managed", "type": "aws_ec2_transit_gateway", "name": "core",
               "values": {"id": "tgw-0a1", "tags": {"Name": "core"}}},
              {"address": "aws_flow_log.tgw", "mode": "managed", "type": "aws_flow_log", "name": "tgw",
               "values": {"id": "fl-0t1", "transit_gateway_id": "tgw-0a1", "traffic_type": "ALL", "max_aggregation_interval": 60,
                          "log_format": "${version} ${tgw-id} ${packets-lost-no-route}", "log_destination_type": "s3",
                          "log_destination": "arn:aws:s3:::tgw-logs"}},
              {"address": "aws_flow_log.slow", "mode": "managed", "type": "aws_flow_log", "name": "slow",
               "values": {"id": "fl-0t2", "transit_gateway_id": "tgw-0a1", "max_aggregation_interval": 600,
                          "log_destination_type": "s3", "log_destination": "arn:aws:s3:::tgw-logs"}},
              {"address": "aws_flow_log.eni-field", "mode": "managed", "type": "aws_flow_log", "name": "eni-field",
               "values": {"id": "fl-0t3", "transit_gateway_id": "tgw-0a1", "max_aggregation_interval": 60, "log_format": "${action}",
                          "log_destination_type": "s3", "log_destination": "arn:aws:s3:::tgw-logs"}}]}}}
            """
        let tf = try TerraformImporter.importDocument(try JSONDocument(bytes: Array(state.utf8), file: "state.json"))
        try #require(tf.topology.flowLogs.count == 1, "\(tf.report.skipped)")
        let log = tf.topology.flowLogs[0]
        #expect(log.scope == .transitGateway && log.interval == 60 && log.traffic == .all && log.fields == ["version", "tgw-id", "packets-lost-no-route"])
        let skipped = tf.report.skipped.filter { $0.type == "flow log" }.map(\.reason)
        #expect(skipped.count == 2)
        #expect(skipped.contains { $0.contains("AWS accepts only 60") })
        #expect(skipped.contains { $0.contains("'action' is not a field of transit gateway flow log records") })
    }
}
