// Printing `flow-log` statements (Docs/DSL.md "Flow logs") in the canonical layout `vpckit fmt` writes:
// defaults (traffic all, interval 600 — 60 on a transit gateway —, the default format, S3 under --out) are left out.

extension TopologyPrinter {
    /// One flow log's statement text (no newline).
    public static func statement(_ log: FlowLog) -> String {
        var s = "flow-log \(w(log.name)) on \(log.scope.rawValue) \(w(log.target))"
        if log.traffic != .all { s += " traffic \(log.traffic.rawValue)" }
        if log.interval != FlowLog.defaultInterval(log.scope) { s += " interval \(log.interval)" }
        if let fields = log.fields { s += " format " + quoted(fields.map { "${\($0)}" }.joined(separator: " ")) }
        switch log.destination {
        case .s3(let bucket, let prefix)?: s += " to " + w("s3://" + bucket + (prefix.map { "/" + $0 } ?? ""))
        case .cloudWatch(let group)?: s += " to cloudwatch \(w(group))"
        case nil: break
        }
        if log.hivePartitions { s += " hive-partitions" }
        if log.hourlyPartitions { s += " hourly-partitions" }
        if let id = log.id { s += " id \(w(id))" }
        return s
    }

    static func writeFlowLogs(_ t: Topology, blank: (inout PrintSink) -> Void, to s: inout PrintSink) {
        if !t.flowLogs.isEmpty { blank(&s) }
        for log in t.flowLogs {
            s += statement(log)
            s.from(log.location)
            s.endLine()
        }
    }
}
