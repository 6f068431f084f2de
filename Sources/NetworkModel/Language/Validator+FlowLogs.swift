// Validation of flow-log resources (Docs/DSL.md "Flow logs"): names unique, targets resolve to the kind the
// scope says, and what the parser checks for written files (interval, format, destination, id) also holds for
// a model built another way (an import).
import Reporting

extension Validation {
    mutating func checkFlowLogs() {
        guard !topology.flowLogs.isEmpty else { return }
        var seen = NameMap<Int>()
        var ids = NameMap<Int>()
        for (k, log) in topology.flowLogs.enumerated() {
            if let previous = seen[log.name] {
                duplicate(log.name, at: log.location, previous: "flow log", line: topology.flowLogs[previous].location.line)
            } else if let entry = names[log.name] {
                duplicate(log.name, at: log.location, previous: entry.kind.rawValue, line: Int(entry.line))
            } else if let entry = edgeNames[log.name] {
                duplicate(log.name, at: log.location, previous: entry.kind.rawValue, line: entry.location.line)
            } else {
                seen.set(k, for: log.name)
            }
            if let id = log.id {
                if !FlowLog.isFlowLogID(id) {
                    error(.flowLog, "flow-log id '\(id)' is not 'fl-' followed by lower-case letters or digits", at: log.location, word: id)
                } else if let previous = ids[id] {
                    error(.duplicateName, "flow-log id '\(id)' is already flow log '\(topology.flowLogs[previous].name)'s",
                          at: log.location, word: id, hint: "each flow log has its own id")
                } else {
                    ids.set(k, for: id)
                }
            }
            checkFlowLogTarget(log)
            checkFlowLogSettings(log)
        }
    }

    mutating func checkFlowLogTarget(_ log: FlowLog) {
        let what: String
        switch log.scope {
        case .vpc: resolve(log.target, as: [.vpc], what: "VPC", inVPC: nil, at: log.location); return
        case .subnet: resolve(log.target, as: [.subnet], what: "subnet", inVPC: nil, at: log.location); return
        case .transitGateway: resolve(log.target, as: [.transitGateway], what: "transit gateway", inVPC: nil, at: log.location); return
        case .interface: what = "interface"
        }
        let n = log.target
        if let entry = names[n] {
            if entry.kind != .instance && entry.kind != .natGateway {
                error(.wrongKind, "'\(n)' is a \(entry.kind.rawValue), not an \(what)", at: log.location, word: n,
                      hint: "a flow log on an interface names an instance (its primary interface), 'instance.interface', a NAT gateway or an 'eni-…' id")
            }
            return
        }
        if let dot = n.lastIndex(of: "."), let entry = names[String(n[..<dot])], entry.kind == .instance {
            let iname = String(n[n.index(after: dot)...])
            let inst = topology.vpcs[entry.owner].instances[entry.position]
            if !inst.interfaces.contains(where: { $0.name == iname }) {
                error(.unknownInterface, "instance '\(inst.name)' has no interface '\(iname)'", at: log.location, word: n,
                      hint: didYouMean(iname, inst.interfaces.map(\.name)))
            }
            return
        }
        if n.hasPrefix("eni-"), topology.vpcs.contains(where: { vpc in
            vpc.instances.contains { $0.interfaces.contains { $0.id == n } } || vpc.endpoints.contains { $0.interfaceIDs.contains(n) }
        }) { return }
        error(.unknownName, "unknown interface '\(n)'", at: log.location, word: n,
              hint: didYouMean(n, candidates([.instance, .natGateway]))
                ?? "name an instance, 'instance.interface', a NAT gateway, or an interface's 'eni-…' id")
    }

    mutating func checkFlowLogSettings(_ log: FlowLog) {
        if !FlowLog.intervals.contains(log.interval) {
            error(.flowLog, "flow log interval must be 60 or 600 seconds, found \(log.interval)", at: log.location, word: String(log.interval))
        } else if log.isTransitGateway, log.interval != 60 {
            error(.flowLog, "a transit gateway flow log's interval is 60 seconds, found \(log.interval)", at: log.location,
                  word: String(log.interval), hint: "AWS accepts only 60 for transit gateway flow logs")
        }
        if log.isTransitGateway, log.traffic != .all {
            error(.flowLog, "a transit gateway flow log has no traffic filter, found '\(log.traffic.rawValue)'", at: log.location,
                  hint: "AWS refuses a traffic type on transit gateway flow logs")
        }
        if let fields = log.fields {
            if fields.isEmpty { error(.flowLog, "a custom format needs at least one '${field}'", at: log.location) }
            let known = FlowLog.fieldNames(for: log.scope)
            for f in fields where !known.contains(f) {
                if let problem = FlowLog.wrongScopeField(f, scope: log.scope) {
                    error(.flowLog, problem.message, at: log.location, word: f, hint: problem.hint)
                } else {
                    error(.flowLog, "unknown flow log field '\(f)'", at: log.location, word: f, hint: didYouMean(f, known))
                }
            }
        }
        switch log.destination {
        case .s3(let bucket, let prefix)?:
            if let p = FlowLog.checkBucket(bucket) { error(.flowLog, p.message, at: log.location, word: bucket, hint: p.hint) }
            if let prefix, let p = FlowLog.checkPrefix(prefix) { error(.flowLog, p.message, at: log.location, word: prefix, hint: p.hint) }
        case .cloudWatch(let group)?:
            if let p = FlowLog.checkLogGroup(group) { error(.flowLog, p.message, at: log.location, word: group, hint: p.hint) }
            if log.hivePartitions || log.hourlyPartitions {
                error(.conflict, "'hive-partitions' and 'hourly-partitions' apply to S3 delivery, not to CloudWatch Logs", at: log.location)
            }
        case nil: break
        }
    }
}
