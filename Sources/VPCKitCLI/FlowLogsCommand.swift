#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import FlowLogs
import Reachability
import Reporting

/// `vpckit flowlogs`: replay a capture through a topology into VPC Flow Log records.
struct FlowLogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowlogs",
        abstract: "Replay a pcap/pcapng capture through a topology into VPC Flow Log records.",
        discussion: """
            Addresses on an interface are that interface; any other address is the internet. --map rewrites \
            capture addresses onto topology endpoints (an address, an instance, instance.interface or a NAT \
            gateway). Records print in AWS's default version 2 format unless --fields gives a custom format. A \
            topology with flow-log resources replays each one: its scope, traffic filter, format, interval and \
            destination (--out DIR writes them all; --flow-log NAME prints one). Several --pcap captures (or a \
            folder) replay as one timeline merged by packet time, or each on its own with --per-capture; --window \
            and --shard split a replay across processes (Docs/MANY-CAPTURES.md).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "The topology (.vpc).") var file: String
    @Option(name: .customLong("pcap"), help: ArgumentHelp("A capture (pcap or pcapng), or a folder: its *.pcap, *.pcapng and *.cap files by name (repeatable). Several are replayed as one timeline, merged by packet time.", valueName: "pcap"))
    var pcaps: [String] = []
    @Flag(name: .customLong("per-capture"), help: "Replay each capture on its own (its own connections), outputs apart: on stdout one capture's records after another's; under --out, names carry capture-N.")
    var perCapture = false
    @Option(help: ArgumentHelp("Only packets in [START, END) count: RFC 3339 times or Unix seconds (2026-12-08T00:00:00Z/2026-12-08T01:00:00Z); --out names carry the window.", valueName: "start/end"))
    var window: String?
    @Option(help: "A shard id (1-32 letters, digits or '-') that --out names carry, so the trees of many processes merge without collisions.")
    var shard: String?
    @Option(name: .customLong("map"), help: "Rewrite a capture address: ADDRESS=ENDPOINT (repeatable).") var maps: [String] = []
    @Option(help: "A file of ADDRESS=ENDPOINT lines ('#' comments).") var mapFile: String?
    @Option(parsing: .unconditional, help: "Aggregation interval in seconds: 60 or 600 (default 600).") var interval: Int?
    @Option(help: "Custom record format, e.g. '${version} ${srcaddr} ${tcp-flags}'.") var fields: String?
    @Option(help: "Output format: text or json.") var format: Format = .text
    @Option(help: "Write the S3 delivery layout (AWSLogs/…/*.log.gz) under this directory instead of stdout.") var out: String?
    @Option(help: "A BPF filter (tcpdump syntax) applied by libpcap.") var filter: String?
    @Option(help: "Account id for VPCs that do not give one.") var account = "123456789012"
    @Option(help: "Region for VPCs that do not give one.") var region = "us-east-1"
    @Option(help: "Flow log id used in S3 file names (default fl-0123456789abcdef0).") var flowLogId: String?
    @Option(name: .customLong("flow-log"), help: "Of the topology's flow-log resources, replay only this one (on stdout without --out).")
    var flowLogName: String?
    @Flag(help: "After each REJECT record, a '# REJECT …' line: the component, its side, the rule (or 'no rule admits') and its file:line. Not with --out (--format json always has a 'reject-reason' member).")
    var explain = false
    @Flag(name: .customLong("nodata"), help: "Also write a NODATA record (log-status NODATA) for each interface with no traffic in an aggregation interval of the capture's span.") var noData = false
    @Flag(help: "No progress line on stderr (there is one only when stderr is a terminal).") var quiet = false

    @OptionGroup var edges: EdgeOptions

    func run() throws {
        let interval = self.interval ?? 600, flowLogId = self.flowLogId ?? "fl-0123456789abcdef0"
        guard interval == 60 || interval == 600 else { throw ValidationError("--interval must be 60 or 600 (AWS's two aggregation intervals)") }
        // These become S3 object path components under --out (Docs/SECURITY.md): check them whatever the output.
        guard AWSIdentifier.isAccountID(account) else {
            throw ValidationError("--account must be a 12-digit AWS account id, found '\(Diagnostic.escaped(account))'")
        }
        guard AWSIdentifier.isRegion(region) else {
            throw ValidationError("--region must be an AWS region name such as us-east-1 or us-gov-west-1, found '\(Diagnostic.escaped(region))'")
        }
        guard AWSIdentifier.isFlowLogID(flowLogId) else {
            throw ValidationError("--flow-log-id must be 'fl-' followed by lower-case letters or digits, found '\(Diagnostic.escaped(flowLogId))'")
        }
        if explain && out != nil { throw ValidationError("--explain prints comment lines on stdout; S3 files (--out) hold only records") }
        let recordFormat: FlowLogFormat
        do { recordFormat = try fields.map { try FlowLogFormat(parsing: $0) } ?? .default } catch {
            throw ValidationError("--fields: \(error)")
        }
        let inputs = try captureInputs()
        let loaded = try loadTopology(file, edges: edges)
        for w in loaded.warnings { Terminal.writeError(w.rendered) }
        let network = CompiledFlowNetwork(loaded.topology, defaultAccount: account, defaultRegion: region)
        if flowLogName != nil && loaded.topology.flowLogs.isEmpty {
            throw ValidationError("--flow-log: \(file) has no flow-log resources")
        }
        var options = ReplayOptions()
        options.interval = Int64(interval)
        var mapLines = maps.map { (entry: $0, origin: "--map") }
        if let mapFile {
            mapLines += AddressMap.entries(inFile: String(decoding: try readInputFile(mapFile), as: UTF8.self), named: mapFile)
        }
        let endpoints = mapLines.isEmpty ? [:] : network.endpointAddresses
        for (entry, origin) in mapLines {
            do throws(AddressMapError) {
                let (from, to) = try AddressMap.parse(entry, origin: origin, endpoints: endpoints)
                options.addressMap[from] = to
            } catch {
                Terminal.writeError(error.description)
                throw InputError()
            }
        }
        if !loaded.topology.flowLogs.isEmpty {
            try replayFlowLogResources(network: network, options: options, inputs: inputs)
            ProcessLifetime.keepUntilExit((loaded, network))
            return
        }
        let showProgress = !quiet && Terminal.stderrIsTerminal
        let renderer = FlowLogRenderer(format: recordFormat, interfaces: network.interfaces)
        var objects: [S3Object] = []
        var failed = false
        for (k, group) in inputs.groups.enumerated() {
            var replay = FlowReplay(network: network, options: options)
            let outcome = try replayCaptures(group, into: &replay, inputs: inputs, progress: showProgress)
            let records = try withNoData(replay.records(), network: network, interval: Int64(interval), captures: group)
            if out != nil {
                do {
                    objects += try S3Delivery.objects(records, renderer: renderer, flowLogID: flowLogId, defaultRegion: region,
                                                      layout: S3Layout(objectTag: inputs.tag(group: k)))
                } catch {
                    Terminal.writeError("error: \(Diagnostic.escaped(error.description))")
                    throw InputError()
                }
            } else if format == .json {
                let reasons = replay.rejectReasons
                let document = renderer.jsonDocument(records, summary: replay.summary) { record in
                    network.rejectExplanation(of: record, reasons: reasons)?.json
                }
                Terminal.write(document.serialized(pretty: true) + "\n")
            } else {
                Self.writeLines(records, renderer: renderer, explain: explain, network: network, reasons: replay.rejectReasons)
            }
            // Everything is written: let the process exit take the replay's tables rather than freeing them one by one.
            ProcessLifetime.keepUntilExit((replay, records))
            let s = replay.summary
            var summary = inputs.summaryPrefix(group)
            summary += "\(s.packetsRead) packets read, \(s.mapped) mapped (\(s.accepted) accepted, \(s.rejected) rejected), \(records.count) records written"
            let skipped = SkipReason.allCases.filter { s.skipped($0) > 0 }.map { "\(s.skipped($0)) \($0)" }
            if !skipped.isEmpty { summary += "; skipped: " + skipped.joined(separator: ", ") }
            summary += outcome.windowNote
            Terminal.writeError(summary)
            failed = report(outcome) || failed
        }
        if let out {
            do { try S3Delivery.write(objects, under: out) } catch {
                Terminal.writeError("error: \(Diagnostic.escaped(error.description))")
                throw InputError()
            }
        }
        ProcessLifetime.keepUntilExit((loaded, network))
        if failed { throw InputError() }
    }
}

extension FlowLogsCommand {
    /// Writes `records` on stdout in 64 kB writes, one line each, with a `# REJECT …` line after each REJECT record
    /// when `explain` is set (`--explain`); the record 8 ahead has its interface's text prefetched.
    static func writeLines<Records: RandomAccessCollection<FlowLogRecord>>(_ records: Records, renderer: FlowLogRenderer, explain: Bool,
                                                                          network: CompiledFlowNetwork, reasons: [DropSite]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 17)
        var ahead = records.index(records.startIndex, offsetBy: 8, limitedBy: records.endIndex) ?? records.endIndex
        for record in records {
            if ahead != records.endIndex { renderer.prefetch(records[ahead]); records.formIndex(after: &ahead) }
            renderer.appendLine(record, to: &bytes)
            bytes.append(0x0A)
            if explain, !record.accepted, let reason = network.rejectExplanation(of: record, reasons: reasons) {
                bytes.append(contentsOf: reason.commentLine.utf8)
                bytes.append(0x0A)
            }
            if bytes.count >= 1 << 16 { Terminal.writeAll(fd: 1, bytes); bytes.removeAll(keepingCapacity: true) }
        }
        Terminal.writeAll(fd: 1, bytes)
    }
}

/// The progress line's clock: the replay's elapsed time, and at most one line every 100 ms.
struct ProgressMeter {
    private let started = ProgressMeter.now()
    private var lastDrawn = -1.0
    /// A line has been drawn (so one is to be cleared).
    private(set) var drawn = false

    /// The line to draw for `progress`, or nil when the last one is less than 100 ms old.
    mutating func line(for progress: ReplayProgress) -> String? {
        let t = Self.now()
        guard lastDrawn < 0 || t - lastDrawn >= 0.1 else { return nil }
        lastDrawn = t
        drawn = true
        return progress.line(elapsed: t - started)
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
