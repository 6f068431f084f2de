// Flow logs (describe-flow-logs, `FlowLogs`): each becomes a `flow-log` resource on the VPC, subnet, interface
// or transit gateway it was created on, with its traffic filter, interval, format and destination.
import NetworkModel

extension AWSBuilder {
    mutating func buildFlowLogs() throws(JSONError) {
        for (id, item) in s.flowLogs.all {
            let j = item.json
            guard let resource = try j.string("ResourceId") else { throw j.error("flow log \(id) without 'ResourceId'") }
            if let status = try j.string("FlowLogStatus"), status != "ACTIVE" {
                report.skip("flow log", id: id, reason: "status \(status)")
                continue
            }
            guard let (scope, target) = flowLogTarget(resource) else {
                report.skip("flow log", id: id, reason: resource.hasPrefix("tgw-attach-")
                    ? "a flow log on a transit gateway attachment (the language has flow logs on VPCs, subnets, interfaces and transit gateways)"
                    : "its resource \(resource) is not in the snapshot")
                continue
            }
            var log = FlowLog(name: names.name(id), scope: scope, target: target, id: id, location: at(j))
            // A transit gateway flow log has no traffic filter and a 60-s interval (AWS refuses anything else).
            if let traffic = try j.string("TrafficType"), scope != .transitGateway {
                guard let t = FlowLog.Traffic(rawValue: traffic.lowercased()) else { throw j.error("flow log \(id): TrafficType '\(traffic)' is not ACCEPT, REJECT or ALL") }
                log.traffic = t
            }
            if let interval = try j.int("MaxAggregationInterval") {
                guard FlowLog.intervals.contains(interval) else { throw j.error("flow log \(id): MaxAggregationInterval \(interval) is not 60 or 600") }
                if scope == .transitGateway, interval != 60 { throw j.error("flow log \(id): MaxAggregationInterval \(interval) on a transit gateway (AWS accepts only 60)") }
                log.interval = interval
            }
            if let format = try j.string("LogFormat") {
                switch FlowLog.parseFormat(format, scope: scope) {
                case .success(let fields): log.fields = fields == FlowLog.defaultFields(for: scope) ? nil : fields
                case .failure(let problem): throw j.error("flow log \(id): LogFormat: \(problem.message)")
                }
            }
            let kind = try j.string("LogDestinationType") ?? "cloud-watch-logs"
            let destination = try j.string("LogDestination")
            switch kind {
            case "s3":
                // arn:aws:s3:::BUCKET[/PREFIX]
                guard let arn = destination, arn.hasPrefix("arn:"), let path = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last else {
                    throw j.error("flow log \(id): an S3 destination without an 'arn:aws:s3:::BUCKET' LogDestination")
                }
                let bucket = String(path.prefix { $0 != "/" })
                var prefix = path.dropFirst(bucket.count).drop { $0 == "/" }
                while prefix.hasSuffix("/") { prefix = prefix.dropLast() }
                if let problem = FlowLog.checkBucket(bucket) ?? (prefix.isEmpty ? nil : FlowLog.checkPrefix(String(prefix))) {
                    report.skip("flow log", id: id, reason: problem.message)
                    continue
                }
                log.destination = .s3(bucket: bucket, prefix: prefix.isEmpty ? nil : String(prefix))
                if let options = j["DestinationOptions"] {
                    log.hivePartitions = options["HiveCompatiblePartitions"]?.boolValue ?? false
                    log.hourlyPartitions = options["PerHourPartition"]?.boolValue ?? false
                    if let file = options["FileFormat"]?.stringValue, file != "plain-text" {
                        report.note("flow log \(id): FileFormat \(file) is written as plain text (the replay writes no Parquet)")
                    }
                }
            case "cloud-watch-logs":
                // LogGroupName, else the group in arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*].
                var group = try j.string("LogGroupName")
                if group == nil, let arn = destination, let range = arn.firstRange(of: ":log-group:") {
                    var name = arn[range.upperBound...]
                    if name.hasSuffix(":*") { name = name.dropLast(2) }
                    group = String(name)
                }
                guard let group else { throw j.error("flow log \(id): a CloudWatch Logs destination without 'LogGroupName'") }
                if let problem = FlowLog.checkLogGroup(group) {
                    report.skip("flow log", id: id, reason: problem.message)
                    continue
                }
                log.destination = .cloudWatch(group: group)
            default:
                report.skip("flow log", id: id, reason: "destination type \(kind) (the language delivers to S3 and CloudWatch Logs; Kinesis Data Firehose is not modelled)")
                continue
            }
            topology.flowLogs.append(log)
            report.didImport("flow log")
        }
    }

    /// The scope and the language's name of a flow log's resource, if it was imported.
    func flowLogTarget(_ resource: String) -> (FlowLog.Scope, String)? {
        if resource.hasPrefix("vpc-") { return vpcIndex[resource].map { (.vpc, topology.vpcs[$0].name) } }
        if resource.hasPrefix("subnet-") {
            return subnetPosition[resource].map { (.subnet, topology.vpcs[$0.vpc].subnets[$0.index].name) }
        }
        if resource.hasPrefix("eni-") {
            if let name = imported[.interface, resource] { return (.interface, name) }
            // A NAT gateway's interface, by the gateway's name; an interface endpoint's ENI by its id.
            for (natID, item) in s.natGateways.all {
                let addresses = (try? item.json["NatGatewayAddresses"]?.array()) ?? []
                if addresses.contains(where: { $0["NetworkInterfaceId"]?.stringValue == resource }), let name = imported[.natGateway, natID] {
                    return (.interface, name)
                }
            }
            if endpointENIs.contains(resource), topology.vpcs.contains(where: { $0.endpoints.contains { $0.interfaceIDs.contains(resource) } }) {
                return (.interface, resource)
            }
            return nil
        }
        if resource.hasPrefix("tgw-"), !resource.hasPrefix("tgw-attach-") {
            return imported[.transitGateway, resource].map { (.transitGateway, $0) }
        }
        return nil
    }
}
