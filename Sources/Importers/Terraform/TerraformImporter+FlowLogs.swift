// `aws_flow_log` → `flow-log` resources (Docs/IMPORT.md): on the VPC, subnet, interface or transit gateway
// it names, with its traffic filter, interval, format and destination.
import NetworkModel

extension TFBuilder {
    mutating func buildFlowLogs() throws(JSONError) {
        for r in resources("aws_flow_log") {
            if isWritten(r, "transit_gateway_attachment_id") {
                skip(r, "flow log", "a flow log on a transit gateway attachment (the language has flow logs on VPCs, subnets, interfaces and transit gateways)")
                continue
            }
            let targets: [(String, FlowLog.Scope, Set<String>)] = [
                ("vpc_id", .vpc, ["aws_vpc", "aws_default_vpc"]), ("subnet_id", .subnet, ["aws_subnet", "aws_default_subnet"]),
                ("eni_id", .interface, ["aws_network_interface"]), ("transit_gateway_id", .transitGateway, ["aws_ec2_transit_gateway"]),
            ]
            guard let (attribute, scope, types) = targets.first(where: { isWritten(r, $0.0) }) else {
                skip(r, "flow log", "none of vpc_id, subnet_id, eni_id, transit_gateway_id")
                continue
            }
            guard let a = address(ref(r, [attribute], types: types)), let target = nameOf[a] else {
                skip(r, "flow log", "its \(attribute) is not a resource this configuration imports")
                continue
            }
            var log = FlowLog(name: names.name(r.address), scope: scope, target: target, id: r.string("id"), location: at(r))
            if let id = log.id, !FlowLog.isFlowLogID(id) { log.id = nil }
            // A transit gateway flow log has no traffic filter and a 60-s interval (AWS refuses anything else).
            if let traffic = r.string("traffic_type"), scope != .transitGateway {
                guard let t = FlowLog.Traffic(rawValue: traffic.lowercased()) else {
                    skip(r, "flow log", "traffic_type '\(traffic)' is not ACCEPT, REJECT or ALL")
                    continue
                }
                log.traffic = t
            }
            if let interval = r.values["max_aggregation_interval"]?.intValue {
                guard FlowLog.intervals.contains(interval) else {
                    skip(r, "flow log", "max_aggregation_interval \(interval) is not 60 or 600")
                    continue
                }
                if scope == .transitGateway, interval != 60 {
                    skip(r, "flow log", "max_aggregation_interval \(interval) on a transit gateway (AWS accepts only 60: apply would fail)")
                    continue
                }
                log.interval = interval
            }
            if let format = r.string("log_format"), !format.isEmpty {
                switch FlowLog.parseFormat(format, scope: scope) {
                case .success(let fields): log.fields = fields == FlowLog.defaultFields(for: scope) ? nil : fields
                case .failure(let problem):
                    skip(r, "flow log", "log_format: \(problem.message)")
                    continue
                }
            }
            let kind = r.string("log_destination_type") ?? "cloud-watch-logs"
            let destination = r.string("log_destination")
            switch kind {
            case "s3":
                guard let arn = destination, arn.hasPrefix("arn:"),
                      let path = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last else {
                    skip(r, "flow log", r.isUnknown(["log_destination"]) ? "log_destination is unknown until apply" : "an S3 destination without an 'arn:aws:s3:::BUCKET' log_destination")
                    continue
                }
                let bucket = String(path.prefix { $0 != "/" })
                var prefix = path.dropFirst(bucket.count).drop { $0 == "/" }
                while prefix.hasSuffix("/") { prefix = prefix.dropLast() }
                if let problem = FlowLog.checkBucket(bucket) ?? (prefix.isEmpty ? nil : FlowLog.checkPrefix(String(prefix))) {
                    skip(r, "flow log", problem.message)
                    continue
                }
                log.destination = .s3(bucket: bucket, prefix: prefix.isEmpty ? nil : String(prefix))
                if let options = r.values["destination_options"]?.elements.first ?? r.values["destination_options"] {
                    log.hivePartitions = options["hive_compatible_partitions"]?.boolValue ?? false
                    log.hourlyPartitions = options["per_hour_partition"]?.boolValue ?? false
                }
            case "cloud-watch-logs":
                var group = r.string("log_group_name").flatMap { $0.isEmpty ? nil : $0 }
                if group == nil, let arn = destination, let range = arn.firstRange(of: ":log-group:") {
                    var name = arn[range.upperBound...]
                    if name.hasSuffix(":*") { name = name.dropLast(2) }
                    group = String(name)
                }
                guard let group else {
                    skip(r, "flow log", r.isUnknown(["log_destination"]) ? "log_destination is unknown until apply" : "a CloudWatch Logs destination without a log group")
                    continue
                }
                if let problem = FlowLog.checkLogGroup(group) {
                    skip(r, "flow log", problem.message)
                    continue
                }
                log.destination = .cloudWatch(group: group)
            default:
                skip(r, "flow log", "log_destination_type \(kind) (the language delivers to S3 and CloudWatch Logs; Kinesis Data Firehose is not modelled)")
                continue
            }
            nameOf[r.address] = log.name
            topology.flowLogs.append(log)
            report.didImport("flow log")
        }
    }
}
