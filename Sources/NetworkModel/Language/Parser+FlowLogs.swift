// Parsing `flow-log` statements (Docs/DSL.md "Flow logs"; the statement is part of the language contract).

extension Parser {
    /// `flow-log NAME on vpc|subnet|interface|transit-gateway TARGET [traffic accept|reject|all]
    /// [interval 60|600] [format '${field} …'] [to s3://BUCKET[/PREFIX] | to cloudwatch GROUP]
    /// [hive-partitions] [hourly-partitions] [id fl-…]`, modifiers in any order.
    mutating func parseFlowLog() -> Bool {
        advance()
        guard let (n, nt) = name("a flow-log name") else { return false }
        guard onSameLine, at("on") else {
            expected("'on'", hint: "write 'flow-log \(n) on vpc|subnet|interface|transit-gateway TARGET'")
            return false
        }
        advance()
        guard let kt = value("'vpc', 'subnet', 'interface' or 'transit-gateway'") else { return false }
        guard let scope = FlowLog.Scope(rawValue: text(kt)) else {
            error(.expected, "expected 'vpc', 'subnet', 'interface' or 'transit-gateway', found '\(text(kt))'", at: kt,
                  hint: Parser.suggestion(text(kt), FlowLog.Scope.allCases.map(\.rawValue)))
            return false
        }
        guard let (target, _) = name("the \(scope.rawValue) the flow log is on") else { return false }
        var log = FlowLog(name: n, scope: scope, target: target, location: location(nt))
        var seen: [String] = []
        while onSameLine, tokenIsOne(of: Keywords.flowLogModifiers) {
            let keyword = tok
            let word = text(keyword)
            if seen.contains(word) || (word == "to" && seen.contains("to")) {
                error(.conflict, "'\(word)' given twice in flow-log '\(n)'", at: keyword)
                return false
            }
            seen.append(word)
            advance()
            switch word {
            case "traffic":
                if scope == .transitGateway {
                    error(.flowLog, "a transit gateway flow log has no traffic filter", at: keyword,
                          hint: "AWS refuses a traffic type on transit gateway flow logs: they log every flow the transit gateway carries or drops; remove 'traffic …'")
                    return false
                }
                guard let t = value("'accept', 'reject' or 'all'") else { return false }
                guard let traffic = FlowLog.Traffic(rawValue: text(t)) else {
                    error(.flowLog, "unknown traffic filter '\(text(t))'", at: t,
                          hint: Parser.suggestion(text(t), FlowLog.Traffic.allCases.map(\.rawValue)) ?? "expected 'accept', 'reject' or 'all'")
                    return false
                }
                log.traffic = traffic
            case "interval":
                guard let t = value("60 or 600") else { return false }
                guard let v = Parser.decimal(source.bytes, t.start, t.end), FlowLog.intervals.contains(v) else {
                    error(.flowLog, "flow log interval must be 60 or 600 seconds, found '\(text(t))'", at: t,
                          hint: "AWS aggregates records over 60 s or 600 s (the default)")
                    return false
                }
                if scope == .transitGateway, v != 60 {
                    error(.flowLog, "a transit gateway flow log's interval is 60 seconds, found '\(text(t))'", at: t,
                          hint: "AWS accepts only 60 for transit gateway flow logs (the default): remove 'interval \(text(t))'")
                    return false
                }
                log.interval = v
            case "format":
                let t = tok
                guard let body = quoted("the record format") else { return false }
                switch FlowLog.parseFormat(body, scope: scope) {
                case .success(let fields): log.fields = fields
                case .failure(let problem):
                    // The caret under the offending field: the quoted text starts one byte after the quote (the
                    // offset is exact unless the text holds a doubled quote before it, which no field does).
                    let start = min(t.start + 1 + (problem.offset ?? 0), t.end)
                    let end = problem.offset == nil ? t.end : Parser.tokenEnd(source.bytes, from: start, limit: t.end - 1)
                    error(.flowLog, problem.message, range: start..<max(end, start + 1), hint: problem.hint)
                    return false
                }
            case "to":
                guard let t = value("'s3://BUCKET[/PREFIX]' or 'cloudwatch GROUP'") else { return false }
                let target = text(t)
                if target == "cloudwatch" {
                    guard let g = value("a CloudWatch Logs group name") else { return false }
                    let group = text(g)
                    if let problem = FlowLog.checkLogGroup(group) {
                        error(.flowLog, problem.message, at: g, hint: problem.hint)
                        return false
                    }
                    log.destination = .cloudWatch(group: group)
                } else if target.hasPrefix("s3://") {
                    let rest = target.dropFirst(5)
                    let bucket = String(rest.prefix { $0 != "/" })
                    var prefix = rest.dropFirst(bucket.count).dropFirst()
                    if prefix.hasSuffix("/") { prefix = prefix.dropLast() }
                    if let problem = FlowLog.checkBucket(bucket) {
                        let start = t.start + 5 + (problem.offset ?? 0)
                        let end = problem.offset == nil ? t.start + 5 + bucket.utf8.count : start + 1
                        error(.flowLog, problem.message, range: start..<max(end, start + 1), hint: problem.hint)
                        return false
                    }
                    if !prefix.isEmpty, let problem = FlowLog.checkPrefix(String(prefix)) {
                        let base = t.start + 5 + bucket.utf8.count + 1
                        let start = base + (problem.offset ?? 0)
                        error(.flowLog, problem.message, range: start..<max(t.end, start + 1), hint: problem.hint)
                        return false
                    }
                    log.destination = .s3(bucket: bucket, prefix: prefix.isEmpty ? nil : String(prefix))
                } else {
                    error(.flowLog, "unknown flow log destination '\(target)'", at: t,
                          hint: "write 'to s3://BUCKET[/PREFIX]' or 'to cloudwatch GROUP' (Kinesis Data Firehose is not modelled)")
                    return false
                }
            case "hive-partitions": log.hivePartitions = true
            case "hourly-partitions": log.hourlyPartitions = true
            default:  // "id"
                guard let t = value("a flow-log id") else { return false }
                guard FlowLog.isFlowLogID(text(t)) else {
                    error(.flowLog, "flow-log id '\(text(t))' is not 'fl-' followed by lower-case letters or digits", at: t,
                          hint: "AWS flow log ids look like 'fl-0123456789abcdef0'")
                    return false
                }
                log.id = text(t)
            }
        }
        if !log.deliversToS3, log.hivePartitions || log.hourlyPartitions {
            error(.conflict, "'hive-partitions' and 'hourly-partitions' apply to S3 delivery, not to CloudWatch Logs", at: nt,
                  hint: "drop them, or deliver 'to s3://BUCKET'")
            return false
        }
        topology.flowLogs.append(log)
        return end(Keywords.topLevel, Keywords.flowLogModifiers)
    }

    /// The end of the non-blank run starting at `start` (before `limit`).
    static func tokenEnd(_ bytes: [UInt8], from start: Int, limit: Int) -> Int {
        var i = start
        while i < limit, bytes[i] != 0x20, bytes[i] != 0x09 { i += 1 }
        return i
    }
}
