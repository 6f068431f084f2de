// The bodies of the fuzz targets: each feeds raw bytes to one reader through the library entry point the CLI
// uses, renders what the CLI would print, and checks the reader's properties (round trips). A broken property
// is reported through `finding(_:)`, which traps: libFuzzer keeps the input as a crash (Docs/FUZZING.md).
#if canImport(Glibc)
import Glibc
#endif
import AddressPlanning
import FileIO
import FlowLogs
import Importers
import IPAddressing
import Lint
import Loading
import NetworkModel
import Reachability
import Reporting

/// The fuzz targets' bodies, one function per target.
public enum Harness {
    /// A property that failed: says which on stderr and traps (libFuzzer saves the input).
    static func finding(_ message: @autoclosure () -> String) -> Never {
        let text = "vpckit fuzz finding: " + message() + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        // abort, not fatalError: libFuzzer reports the signal and saves the input without the Swift runtime's
        // crash handling running under ASan first.
        abort()
    }

    /// The repository's root (for the topologies the capture and query targets run against): `VPCKIT_REPO`,
    /// else found from this file's path.
    static let repositoryRoot: String = {
        if let root = getenv("VPCKIT_REPO") { return String(cString: root) }
        var path = "\(#filePath)"
        for _ in 0..<4 { if let slash = path.lastIndex(of: "/") { path = String(path[..<slash]) } }
        return path
    }()

    /// A repository topology, loaded and validated (a broken fixture is the harness's error, not a finding).
    static func fixtureTopology(_ relative: String) -> Topology {
        let path = repositoryRoot + "/" + relative
        guard let bytes = InputFiles.read(path) else { fatalError("fuzz harness: cannot read \(path) (set VPCKIT_REPO)") }
        let (topology, diagnostics) = TopologyLoader.load(bytes: bytes, file: relative)
        guard !diagnostics.contains(where: { $0.severity == .error }) else { fatalError("fuzz harness: \(relative) does not load") }
        return topology
    }

    /// Every diagnostic renders, and points inside the text when it has a line.
    static func checkDiagnostics(_ diagnostics: [Diagnostic], lineCount: Int?, what: String) {
        for d in diagnostics {
            _ = d.rendered
            if let lineCount, d.line > lineCount + 1 || d.line < 0 || d.column < 0 {
                finding("\(what): diagnostic outside the text (line \(d.line) of \(lineCount), column \(d.column)): \(d.rendered)")
            }
        }
    }

    // MARK: vpc

    /// `.vpc` text (Markdown when it holds a fence): parse and validate (`TopologyLoader`, what every command
    /// uses); for `.vpc` text `fmt`'s formatter: its output parses without errors to the same model and
    /// formats to itself; a valid topology compiles.
    public static func vpc(_ data: UnsafeRawBufferPointer) {
        let bytes = [UInt8](data)
        let fence = Array("```".utf8)
        let markdown = bytes.count >= 3 && (0...(bytes.count - 3)).contains { bytes[$0] == fence[0] && bytes[$0 + 1] == fence[1] && bytes[$0 + 2] == fence[2] }
        let file = markdown ? "fuzz.md" : "fuzz.vpc"
        let source = TopologyLoader.source(bytes: bytes, file: file)
        let (topology, diagnostics) = TopologyLoader.load(source)
        checkDiagnostics(diagnostics, lineCount: source.lineCount, what: "load")
        if !markdown {
            let (formatted, formatDiagnostics) = TopologyPrinter.format(source: source)
            checkDiagnostics(formatDiagnostics, lineCount: source.lineCount, what: "fmt")
            if let formatted, formatDiagnostics.isEmpty {
                let (model, _) = TopologyParser.parse(source)
                let (again, reparsed) = TopologyParser.parse(formatted, file: "formatted.vpc")
                if !reparsed.isEmpty { finding("fmt output does not parse: \(reparsed.map(\.rendered))\n\(formatted)") }
                if again != model { finding("fmt changed the model:\n\(formatted)") }
                let (twice, _) = TopologyPrinter.format(source: formatted, file: "formatted.vpc")
                if twice != formatted { finding("fmt is not idempotent:\n\(formatted)\n---\n\(twice ?? "nil")") }
            }
        }
        if !diagnostics.contains(where: { $0.severity == .error }) {
            let compiled = CompiledTopology(topology)
            _ = compiled.interfaces.count
        }
    }

    // MARK: aws-json, terraform

    /// An import's result as `vpckit import` prints it: when it validates (else the CLI reports the errors,
    /// exit 2, and prints no topology), the text parses without syntax errors (imported names and values
    /// cannot inject statements) and prints back to the same topology text.
    static func checkImported(_ result: ImportResult, paths: [String], source: String) {
        let validation = TopologyValidator.validate(result.topology)
        for d in validation { _ = d.rendered }
        for w in result.report.warnings { _ = w.description }
        guard !validation.contains(where: { $0.severity == .error }) else { return }
        let text = ImportInput.render(result, paths: paths, source: source)
        let (model, diagnostics) = TopologyParser.parse(text, file: "imported.vpc")
        if !diagnostics.isEmpty { finding("imported text does not parse: \(diagnostics.map(\.rendered))\n\(text)") }
        let printed = TopologyPrinter.format(result.topology)
        let reprinted = TopologyPrinter.format(model)
        if printed != reprinted { finding("imported text prints differently once parsed:\n\(printed)\n---\n\(reprinted)") }
    }

    /// A JSON error rendered as the CLI shows it (line, column and caret from the source).
    static func render(_ error: JSONError, source: [UInt8]?) {
        if let source {
            _ = source.withUnsafeBufferPointer { error.diagnostic(source: $0, shownPath: nil).rendered }
        } else {
            _ = error.diagnostic(source: nil, shownPath: nil).rendered
        }
    }

    /// AWS describe-* JSON: the input split at NUL bytes into up to 8 documents (the files of one snapshot
    /// folder), each parsed and added to one `AWSSnapshot`, then imported as `vpckit import aws` does.
    public static func awsJSON(_ data: UnsafeRawBufferPointer) {
        let parts = data.split(separator: 0, maxSplits: 7, omittingEmptySubsequences: false)
        var snapshot = AWSSnapshot()
        var paths: [String] = []
        for (i, part) in parts.enumerated() {
            let bytes = [UInt8](part)
            let file = i % 2 == 0 ? "snapshot/us-east-1/part\(i).json" : "snapshot/part\(i).json"
            paths.append(file)
            do {
                let document = try JSONDocument(bytes: bytes, file: file)
                do { try snapshot.add(document) } catch { render(error, source: bytes) }
            } catch {
                render(error, source: bytes)
            }
        }
        guard !snapshot.isEmpty else { return }
        do {
            let result = try snapshot.makeTopology(source: paths.joined(separator: " "))
            checkImported(result, paths: paths, source: "AWS describe-* JSON")
        } catch {
            render(error, source: nil)
        }
    }

    /// A Terraform `show -json` document: both sides of a plan imported (`vpckit import terraform`, `diff`).
    public static func terraform(_ data: UnsafeRawBufferPointer) {
        let bytes = [UInt8](data)
        let document: JSONDocument
        do { document = try JSONDocument(bytes: bytes, file: "plan.json") } catch { render(error, source: bytes); return }
        for side in [TerraformPlanSide.planned, .prior] {
            do {
                let result = try TerraformImporter.importDocument(document, side: side)
                checkImported(result, paths: ["plan.json"], source: "Terraform")
            } catch {
                render(error, source: error.file == document.file ? bytes : nil)
            }
        }
    }

    // MARK: pcap, packet

    /// The network the capture target replays through: the repository's flow-log example.
    static let flowNetwork = CompiledFlowNetwork(fixtureTopology("Topologies/flowlogs-session.vpc"))

    /// A capture (pcap or pcapng) read from memory by libpcap and replayed as `vpckit flowlogs` does; the
    /// records rendered as text lines (with reject explanations) and as JSON.
    public static func pcap(_ data: UnsafeRawBufferPointer) {
        let network = flowNetwork
        var replay = FlowReplay(network: network)
        do { try replay.replayCapture(bytes: [UInt8](data), name: "fuzz.pcap") } catch {
            _ = error.description
            if case .open = error { return }
        }
        let records = replay.records()
        let renderer = FlowLogRenderer(format: .default, interfaces: network.interfaces)
        var bytes: [UInt8] = []
        let reasons = replay.rejectReasons
        for record in records {
            renderer.appendLine(record, to: &bytes)
            if !record.accepted { _ = network.rejectExplanation(of: record, reasons: reasons)?.commentLine }
        }
        _ = renderer.jsonDocument(records, summary: replay.summary) { network.rejectExplanation(of: $0, reasons: reasons)?.json }
            .serialized(pretty: false)
    }

    /// The link types the decoder reads, chosen by a frame's first byte (the rest is the frame).
    static let linkTypes: [LinkType] = [.ethernet, .linuxCooked, .linuxCooked2, .raw, .null, .loop, .unsupported(147)]

    /// One raw frame: the first byte picks the link type, the rest is decoded; the decoded lengths stay
    /// inside the frame's claims and an IP packet replays.
    public static func packet(_ data: UnsafeRawBufferPointer) {
        guard let first = data.first else { return }
        let link = linkTypes[Int(first) % linkTypes.count]
        let frame = UnsafeRawBufferPointer(rebasing: data[1...])
        var packet = DecodedPacket()
        if case .ip = PacketDecoder.decode(frame, link: link, into: &packet) {
            var replay = FlowReplay(network: flowNetwork)
            replay.process(packet, at: 1_700_000_000)
            _ = replay.records().count
        }
    }

    // MARK: cidr-list

    /// A plain CIDR list (`vpckit cidr overlaps FILE`): read, then the overlap report streamed in the
    /// format the input's length picks (text, JSON, GitHub, SARIF); blocks as printed parse back.
    public static func cidrList(_ data: UnsafeRawBufferPointer) {
        var inputs = CidrInputs()
        inputs.readPlainList([UInt8](data), name: "list.txt", normalize: data.count % 2 == 1)
        for d in inputs.errors { _ = d.rendered }
        guard inputs.errorCount == 0 else { return }
        for p in inputs.v4 where (try? IPv4Prefix(p.description)) != p { finding("IPv4 block \(p) does not read back") }
        for p in inputs.v6 where (try? IPv6Prefix(p.description)) != p { finding("IPv6 block \(p) does not read back") }
        let format = FindingFormat.allCases[data.count % FindingFormat.allCases.count]
        var written = 0
        var writer = FindingStreamWriter(format: format, rules: CidrOverlapReport.rules, bufferSize: 1 << 12) { written += $0.count }
        writer.begin()
        let totals = CidrOverlapReport.report(inputs, limit: 64, to: &writer)
        writer.finish(extra: [("total", totals.findings), ("pairs", totals.pairs)])
        if totals.shown > totals.findings { finding("more findings shown (\(totals.shown)) than found (\(totals.findings))") }
    }

    // MARK: ip

    /// Parse → print → parse for every address, prefix and range spelling: what reads back is the same value,
    /// and printing is canonical (the printed text prints to itself).
    static func roundTrip<T: Equatable & CustomStringConvertible>(_ text: Substring, _ parse: (Substring) throws(IPParseError) -> T) {
        let value: T
        do { value = try parse(text) } catch {
            if error.offset < 0 || error.offset > text.utf8.count { finding("error offset \(error.offset) outside '\(text)'") }
            _ = error.message
            return
        }
        let printed = value.description
        let again: T
        do { again = try parse(Substring(printed)) } catch { finding("'\(text)' prints as '\(printed)', which does not parse: \(error.message)") }
        if again != value { finding("'\(text)' prints as '\(printed)', which reads as another value") }
        if again.description != printed { finding("'\(printed)' is not canonical") }
    }

    /// Address, prefix and range text (the input as UTF-8, invalid bytes replaced).
    public static func ip(_ data: UnsafeRawBufferPointer) {
        let text = Substring(String(decoding: data, as: UTF8.self))
        roundTrip(text) { (s) throws(IPParseError) in try IPv4Address(parsing: s) }
        roundTrip(text) { (s) throws(IPParseError) in try IPv6Address(parsing: s) }
        roundTrip(text) { (s) throws(IPParseError) in try IPAddress(parsing: s) }
        roundTrip(text) { (s) throws(IPParseError) in try IPPrefix(parsing: s) }
        roundTrip(text) { (s) throws(IPParseError) in try IPPrefix(parsing: s, normalize: true) }
        roundTrip(text) { (s) throws(IPParseError) in try IPv4Prefix(parsing: s) }
        roundTrip(text) { (s) throws(IPParseError) in try IPv6Prefix(parsing: s, normalize: true) }
        roundTrip(text) { (s) throws(IPParseError) in try IPRange<IPv4Address>(parsing: s) }
        roundTrip(text) { (s) throws(IPParseError) in try IPRange<IPv6Address>(parsing: s) }
        // The byte-level entry point (CIDR lists, the lexer) agrees with the text one.
        let viaBytes = data.withMemoryRebound(to: UInt8.self) { p -> IPPrefix? in try? IPPrefix(utf8: p) }
        let viaText = try? IPPrefix(parsing: text)
        if text.utf8.elementsEqual(data), viaBytes != viaText { finding("IPPrefix(utf8:) and IPPrefix(parsing:) disagree on '\(text)'") }
    }

    // MARK: flowlog-format

    /// A `--fields` format string, then `--map` lines (the input's lines after the first): a format that
    /// parses prints (`text`) to a string that parses to the same format.
    public static func flowLogFormat(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let formatText = String(lines.first ?? "")
        do {
            let format = try FlowLogFormat(parsing: formatText)
            let again: FlowLogFormat
            do { again = try FlowLogFormat(parsing: format.text) } catch { finding("format '\(format.text)' does not parse: \(error)") }
            if again != format { finding("format '\(formatText)' prints as '\(format.text)', another format") }
            _ = format.header
            _ = format.version
        } catch {
            _ = error.description
        }
        if lines.count > 1 {
            let endpoints = flowNetwork.endpointAddresses
            for (entry, origin) in AddressMap.entries(inFile: lines.dropFirst().joined(separator: "\n"), named: "map.txt") {
                do throws(AddressMapError) { _ = try AddressMap.parse(entry, origin: origin, endpoints: endpoints) } catch { _ = error.description }
            }
        }
    }

    // MARK: query

    /// The topology queries run against: the repository's edges example (instances, endpoints, a VPN, Direct
    /// Connect, on-premises networks).
    static let queryTopology = CompiledTopology(fixtureTopology("Topologies/edges.vpc"))

    /// Lines: source endpoint, destination endpoint, traffic, client ports (`vpckit reach FILE FROM TO
    /// TRAFFIC --client-ports P`), then spellings of policies and `--internet-ports`. Each parses (or
    /// fails) cleanly; a query whose parts all read is answered, with its blockers and JSON report.
    public static func query(_ data: UnsafeRawBufferPointer) {
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func line(_ i: Int) -> String? { i < lines.count ? lines[i] : nil }
        let compiled = queryTopology
        for l in lines.prefix(6) {
            if let endpoint = try? Endpoint(parsing: l) {
                let printed = endpoint.description
                if (try? Endpoint(parsing: printed)) != endpoint { finding("endpoint '\(l)' prints as '\(printed)', which reads differently") }
            }
            if let spec = TrafficSpec(commandLine: l), TrafficSpec(commandLine: spec.description) != spec {
                finding("traffic '\(l)' prints as '\(spec.description)', which reads differently")
            }
            if let ports = ClientPorts(parsing: l), ClientPorts(parsing: ports.description) != ports {
                finding("client ports '\(l)' print as '\(ports.description)', which read differently")
            }
            _ = EndpointSet.parse(l)
            _ = PolicyTraffic.parse(l)
            _ = LintOptions.parsePorts(l)
        }
        guard let from = line(0), let to = line(1) else { return }
        let source: QueryEndpoint, destination: QueryEndpoint
        switch compiled.resolveQuery(from, side: .source) {
        case .success(let e): source = e
        case .failure(let e): _ = e.diagnostic().rendered; return
        }
        switch compiled.resolveQuery(to, side: .destination) {
        case .success(let e): destination = e
        case .failure(let e): _ = e.diagnostic().rendered; return
        }
        guard let trafficText = line(2), let spec = TrafficSpec(commandLine: trafficText) else { return }
        if spec.ipProtocol.hasPorts, spec.port == 0 { return }  // the CLI refuses port 0
        var requested = PortSet.ephemeral
        if let portsText = line(3), !portsText.isEmpty {
            guard let ports = ClientPorts(parsing: portsText) else { return }
            requested = PortSet(ports.range)
        }
        let oneWay = lines.count > 4 && lines[4] == "one-way"
        switch compiled.reach(from: source, to: destination, traffic: spec, sourcePorts: requested, oneWay: oneWay) {
        case .success(let verdict):
            let blockers = compiled.blockers(for: verdict, from: source, to: destination, traffic: spec, sourcePorts: requested, oneWay: oneWay)
            _ = ReachReport.json(verdict, from: from, to: to, traffic: spec.description, oneWay: oneWay, blockers: blockers,
                                 files: compiled.topology.files).serialized(pretty: false)
        case .failure(let e):
            _ = e.description
        }
    }
}
