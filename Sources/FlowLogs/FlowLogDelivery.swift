// Delivering flow-log resources' records (Docs/SEMANTICS.md "Flow log resources"): S3 objects under each flow
// log's bucket and prefix, or CloudWatch-style stream files, as files under the output folder.
import NetworkModel
import Reporting

/// The files a replay writes for its flow-log resources, under the output folder:
/// - S3 (default, or `to s3://BUCKET[/PREFIX]`): `[BUCKET/[PREFIX/]]AWSLogs/…` as ``S3Delivery`` lays it out,
///   named with the flow log's id;
/// - CloudWatch Logs (`to cloudwatch GROUP`): `cloudwatch/<GROUP>/<eni-…>-<all|accept|reject>.jsonl`, one file
///   per log stream, one JSON object per event (`{"timestamp": MS, "message": "RECORD"}`, as
///   `aws logs filter-log-events` prints events). `/` in the group name is written `%2F` (and a leading `.` `%2E`),
///   so a group is one folder and never a path.
public enum FlowLogDelivery {
    /// Every flow log's files. `records(interval)` gives the replay's records for an aggregation interval (one
    /// replay per distinct interval of `logs`). Two flow logs into one group write one stream per interface and
    /// traffic filter, as AWS shares it: the events of both, by timestamp.
    /// - Throws: ``S3DeliveryError`` naming the first value that cannot be a path or key.
    ///
    /// Transit gateway flow logs (`transitGatewayLogs`, rendered with `attachments`) write S3 objects under the
    /// transit gateway owner's account and region, or one CloudWatch stream per transit gateway
    /// (`cloudwatch/<GROUP>/<tgw-…>.jsonl`: AWS gives each transit gateway its own stream in the group).
    public static func objects(_ logs: [ResolvedFlowLog], transitGatewayLogs: [ResolvedTransitGatewayFlowLog] = [],
                               records: (Int64) -> FlowLogRecords, interfaces: [FlowInterface],
                               attachments: [TransitGatewayENI?] = [], defaultRegion: String) throws(S3DeliveryError) -> [S3Object] {
        var objects: [S3Object] = []
        var streams: [String: [(timestamp: Int64, line: String)]] = [:]
        var streamOrder: [String] = []
        for log in transitGatewayLogs {
            let renderer = TransitGatewayRenderer(format: log.format, interfaces: interfaces, attachments: attachments)
            let selected = records(log.interval).lazy.filter(log.admits)
            switch log.log.destination {
            case .cloudWatch(let group)?:
                let key = "cloudwatch/" + cloudWatchFolder(group) + "/" + log.transitGatewayID + ".jsonl"
                guard AWSIdentifier.isSafePathComponent(log.transitGatewayID) else { throw .unsafeKey(key) }
                for record in selected {
                    if streams[key] == nil { streamOrder.append(key) }
                    streams[key, default: []].append((record.start, renderer.line(record)))
                }
            case .s3(let bucket, let prefix)?:
                let leading = [bucket] + (prefix.map { $0.split(separator: "/").map(String.init) } ?? [])
                objects += try S3Delivery.transitGatewayObjects(
                    selected, renderer: renderer, flowLogID: log.id, account: log.account, region: log.region ?? defaultRegion,
                    layout: S3Layout(leading: leading, hiveCompatible: log.log.hivePartitions, hourly: log.log.hourlyPartitions))
            case nil:
                objects += try S3Delivery.transitGatewayObjects(
                    selected, renderer: renderer, flowLogID: log.id, account: log.account, region: log.region ?? defaultRegion,
                    layout: S3Layout(hiveCompatible: log.log.hivePartitions, hourly: log.log.hourlyPartitions))
            }
        }
        for log in logs {
            let renderer = FlowLogRenderer(format: log.format, interfaces: interfaces)
            let all = records(log.interval)
            let selected = all.lazy.filter(log.admits)
            switch log.log.destination {
            case .cloudWatch(let group)?:
                let folder = "cloudwatch/" + cloudWatchFolder(group)
                for record in selected {
                    let key = folder + "/" + streamName(interfaceID: interfaces[Int(record.interface)].interfaceID, traffic: log.log.traffic) + ".jsonl"
                    if streams[key] == nil { streamOrder.append(key) }
                    streams[key, default: []].append((record.start, renderer.line(record)))
                }
            case .s3(let bucket, let prefix)?:
                let leading = [bucket] + (prefix.map { $0.split(separator: "/").map(String.init) } ?? [])
                objects += try S3Delivery.objects(selected, renderer: renderer, flowLogID: log.id, defaultRegion: defaultRegion,
                                                  layout: S3Layout(leading: leading, hiveCompatible: log.log.hivePartitions,
                                                                   hourly: log.log.hourlyPartitions))
            case nil:
                objects += try S3Delivery.objects(selected, renderer: renderer, flowLogID: log.id, defaultRegion: defaultRegion,
                                                  layout: S3Layout(hiveCompatible: log.log.hivePartitions, hourly: log.log.hourlyPartitions))
            }
        }
        for key in streamOrder {
            let events = (streams[key] ?? []).enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
            var text = ""
            for (_, e) in events { text += cloudWatchEvent(timestamp: e.timestamp, message: e.line) + "\n" }
            objects.append(S3Object(key: key, contents: Array(text.utf8)))
        }
        return objects
    }

    /// One event line: `{"timestamp":MS,"message":"…"}`; the timestamp is the record's `start` in milliseconds.
    public static func cloudWatchEvent(timestamp: Int64, message: String) -> String {
        JSONValue.object([("timestamp", .int(Int(timestamp) * 1000)), ("message", .string(message))]).serialized()
    }

    /// AWS's log stream name for an interface: `eni-…-all`, `eni-…-accept` or `eni-…-reject` (the traffic filter).
    public static func streamName(interfaceID: String, traffic: FlowLog.Traffic) -> String {
        interfaceID + "-" + traffic.rawValue
    }

    /// A log group name as one folder name: `/` as `%2F`, a leading `.` as `%2E` (group names hold only
    /// letters, digits and `_-/.#`, so nothing else needs encoding and no two groups share a folder).
    public static func cloudWatchFolder(_ group: String) -> String {
        var out = ""
        for (k, c) in group.enumerated() {
            if c == "/" { out += "%2F" } else if k == 0 && c == "." { out += "%2E" } else { out.append(c) }
        }
        return out
    }
}
