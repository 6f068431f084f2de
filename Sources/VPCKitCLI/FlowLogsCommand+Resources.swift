import ArgumentParser
import FlowLogs
import NetworkModel
import Reporting

/// `vpckit flowlogs` on a topology with `flow-log` resources (Docs/SEMANTICS.md "Flow log resources"): each
/// flow log gets the records of its scope and traffic filter, in its format and interval, at its destination.
extension FlowLogsCommand {
    /// `records`, with NODATA records for every interface when `--nodata` is given.
    func withNoData(_ records: FlowLogRecords, network: CompiledFlowNetwork, interval: Int64) throws -> FlowLogRecords {
        guard noData else { return records }
        guard let all = records.addingNoData(interfaces: network.interfaces.count, interval: interval) else {
            Terminal.writeError("\(pcap): error: --nodata: the capture spans too many \(interval)-second intervals for \(network.interfaces.count) interfaces (more than 50,000,000 NODATA records)")
            throw InputError()
        }
        return all
    }

    func replayFlowLogResources(network: CompiledFlowNetwork, options: ReplayOptions) throws {
        // The resources say what these options would: refuse rather than silently ignore them.
        for (given, option) in [(self.interval != nil, "--interval"), (fields != nil, "--fields"), (self.flowLogId != nil, "--flow-log-id")] where given {
            throw ValidationError("\(option): \(file) has flow-log resources, which set interval, format and id themselves")
        }
        let plan: FlowLogPlan
        do { plan = try network.flowLogPlan(defaultAccount: account, defaultRegion: region) } catch {
            Terminal.writeError("\(file): error: \(Diagnostic.escaped(error.description))")
            throw InputError()
        }
        var logs = plan.logs
        var transitGatewayLogs = plan.transitGatewayLogs
        let allNames = plan.names.map { "'\(Diagnostic.escaped($0))'" }
        if let wanted = flowLogName {
            logs = logs.filter { $0.name == wanted }
            transitGatewayLogs = transitGatewayLogs.filter { $0.name == wanted }
            if logs.isEmpty && transitGatewayLogs.isEmpty {
                throw ValidationError("--flow-log: no flow log '\(Diagnostic.escaped(wanted))' in \(file); its flow logs are \(allNames.joined(separator: ", "))")
            }
        } else if out == nil && logs.count + transitGatewayLogs.count > 1 {
            throw ValidationError("\(file) has \(allNames.count) flow logs (\(allNames.joined(separator: ", "))): give --out DIR to deliver each to its destination, or --flow-log NAME to print one")
        }
        if !transitGatewayLogs.isEmpty, out == nil, format == .json {
            throw ValidationError("--format json: transit gateway flow log records are written as text (their own fields); drop --format json")
        }
        // One replay per distinct interval (records aggregate per interval from the first packet on).
        var byInterval: [Int64: FlowLogRecords] = [:]
        var summary: ReplaySummary?
        var first: FlowReplay<CompiledFlowNetwork>?
        var failure: CaptureError? = nil
        let showProgress = Terminal.stderrIsTerminal
        for interval in Array(Set(logs.map(\.interval) + transitGatewayLogs.map(\.interval))).sorted() {
            var o = options
            o.interval = interval
            o.transitGatewayRecords = transitGatewayLogs.contains { $0.interval == interval }
            var replay = FlowReplay(network: network, options: o)
            do {
                try replay.replayCapture(path: pcap, filter: filter, progressEvery: 1 << 20) { count in
                    if showProgress { Terminal.writeAll(fd: 2, "\r\(count / 1_000_000)M packets…") }
                }
            } catch {
                failure = error
            }
            if showProgress { Terminal.writeAll(fd: 2, "\r\u{1B}[K") }
            if case .open? = failure { Terminal.writeError("\(pcap): error: \(failure!)"); throw InputError() }
            if case .filter? = failure { Terminal.writeError("error: \(failure!)"); throw InputError() }
            byInterval[interval] = try withNoData(replay.records(), network: network, interval: interval)
            if summary == nil { summary = replay.summary; first = replay }
            ProcessLifetime.keepUntilExit(replay)
        }
        let reasons = first?.rejectReasons ?? []
        let attachments = transitGatewayLogs.isEmpty ? [] : network.transitGatewayENIs(defaultAccount: account, defaultRegion: region)
        let records: (Int64) -> FlowLogRecords = { byInterval[$0] ?? FlowLogRecords() }
        var written: [String] = []
        if let out {
            do {
                let objects = try FlowLogDelivery.objects(logs, transitGatewayLogs: transitGatewayLogs, records: records,
                                                          interfaces: network.interfaces, attachments: attachments, defaultRegion: region)
                try S3Delivery.write(objects, under: out)
            } catch {
                Terminal.writeError("error: \(Diagnostic.escaped(error.description))")
                throw InputError()
            }
            for log in logs { written.append("\(Diagnostic.escaped(log.name)) \(records(log.interval).lazy.filter(log.admits).count)") }
            for log in transitGatewayLogs { written.append("\(Diagnostic.escaped(log.name)) \(records(log.interval).lazy.filter(log.admits).count)") }
        } else if let log = transitGatewayLogs.first {
            // A transit gateway flow log's records on stdout, in its format.
            let renderer = TransitGatewayRenderer(format: log.format, interfaces: network.interfaces, attachments: attachments)
            let selected = log.records(from: records(log.interval))
            var text: [UInt8] = []
            for record in selected {
                renderer.appendLine(record, to: &text)
                text.append(0x0A)
                if text.count >= 1 << 16 { Terminal.writeAll(fd: 1, text); text.removeAll(keepingCapacity: true) }
            }
            if !text.isEmpty { Terminal.writeAll(fd: 1, text) }
            written.append("\(Diagnostic.escaped(log.name)) \(selected.count)")
        } else if let log = logs.first {
            let selected = log.records(from: records(log.interval))
            let renderer = FlowLogRenderer(format: log.format, interfaces: network.interfaces)
            if format == .json {
                let document = renderer.jsonDocument(selected, summary: summary ?? ReplaySummary()) { record in
                    network.rejectExplanation(of: record, reasons: reasons)?.json
                }
                Terminal.write(document.serialized(pretty: true) + "\n")
            } else {
                Self.writeLines(selected, renderer: renderer, explain: explain, network: network, reasons: reasons)
            }
            written.append("\(Diagnostic.escaped(log.name)) \(selected.count)")
        }
        if let s = summary {
            var line = "\(s.packetsRead) packets read, \(s.mapped) mapped (\(s.accepted) accepted, \(s.rejected) rejected), records written per flow log: "
            line += written.joined(separator: ", ")
            let skipped = SkipReason.allCases.filter { s.skipped($0) > 0 }.map { "\(s.skipped($0)) \($0)" }
            if !skipped.isEmpty { line += "; skipped: " + skipped.joined(separator: ", ") }
            Terminal.writeError(line)
        }
        if let failure {
            Terminal.writeError("\(pcap): error: \(failure) (records above cover the packets before it)")
            throw InputError()
        }
    }
}
