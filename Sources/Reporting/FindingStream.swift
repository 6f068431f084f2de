/// Writes findings one at a time in any ``FindingFormat`` — the same bytes ``FindingRenderer/render(_:format:rules:toolName:toolVersion:)``
/// produces for the same findings — without holding them: output goes through a fixed buffer handed to `sink`
/// whenever it fills (and by ``finish(total:extra:)``).
///
/// A finding is written in parts, so that callers with many findings never build a `Finding` or a message
/// `String`: ``beginFinding(ruleID:severity:file:line:column:hint:relatedCount:)``, then message pieces
/// (``text(_:)-(String)``, ``text(utf8:)``, ``text(decimal:)``…), then for each related place
/// ``beginRelated(file:line:)``, its message pieces and ``endRelated()``, then ``endFinding()``. Message pieces are
/// escaped for the format as they are written (JSON strings, workflow-command data); invalid UTF-8 becomes
/// U+FFFD as in `String(decoding:as:)`.
///
/// Differences from the array renderer, by design: GitHub annotations of a finding with two or more related
/// places list them on extra lines of the annotation (`file:line: message`), and ``finish(total:extra:)`` may add
/// summary members (JSON: after `"count"`; SARIF: the run's `properties`).
public struct FindingStreamWriter: ~Copyable {
    public let format: FindingFormat
    let sink: (UnsafeBufferPointer<UInt8>) -> Void
    let buffer: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var used = 0
    let ruleIndex: [String: Int]
    let sarifHead: [UInt8]

    // The finding being written.
    var findings = 0
    var ruleID = ""
    var hint: String?
    var headerOpen = false
    /// True while the message of a related place GitHub does not list is written.
    var muted = false
    var related = 0
    var relatedCount = 0
    var file = ""
    var line = 0
    var column = 0
    // SARIF's artifact URI of the last file written.
    var lastFile = ""
    var lastURI = ""

    /// A writer for `format` that passes full buffers of output to `sink`. `rules`, `toolName` and
    /// `toolVersion` go into SARIF's driver, as in ``FindingRenderer/sarif(_:rules:toolName:toolVersion:)``.
    public init(format: FindingFormat, rules: [RuleDescriptor], toolName: String = "vpckit", toolVersion: String = "0.1.0",
                bufferSize: Int = 1 << 16, sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.format = format
        self.sink = sink
        capacity = max(bufferSize, 4096)
        buffer = .allocate(capacity: capacity)
        ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        if format == .sarif {
            // The document around the results, from the array renderer, cut where the results go.
            let empty = FindingRenderer.sarif([], rules: rules, toolName: toolName, toolVersion: toolVersion).serialized(pretty: true)
            let marker = "\"results\": []"
            let cut = empty.firstRange(of: marker).map { empty[..<$0.lowerBound] } ?? Substring(empty)
            sarifHead = Array((cut + "\"results\": [").utf8)
        } else {
            sarifHead = []
        }
    }

    deinit { buffer.deallocate() }

    // MARK: Document

    /// Writes what comes before the first finding (JSON and SARIF).
    public mutating func begin() {
        switch format {
        case .text, .github: break
        case .json: raw("{\n  \"findings\": [")
        case .sarif: sarifHead.withUnsafeBufferPointer { raw($0) }
        }
    }

    /// Writes what comes after the last finding and flushes. JSON's `"count"` is the number of findings
    /// written, unless `total` is given; `extra` members follow it (JSON) or form the SARIF run's `properties`.
    public mutating func finish(total: Int? = nil, extra: [(String, Int)] = []) {
        switch format {
        case .text, .github: break
        case .json:
            raw(findings > 0 ? "\n  ]" : "]")
            raw(",\n  \"count\": ")
            decimal(total ?? findings)
            for (key, value) in extra {
                raw(",\n  ")
                jsonString(key)
                raw(": ")
                decimal(value)
            }
            raw("\n}\n")
        case .sarif:
            raw(findings > 0 ? "\n      ]" : "]")
            if !extra.isEmpty {
                raw(",\n      \"properties\": {")
                for (i, (key, value)) in extra.enumerated() {
                    raw(i == 0 ? "\n        " : ",\n        ")
                    jsonString(key)
                    raw(": ")
                    decimal(value)
                }
                raw("\n      }")
            }
            raw("\n    }\n  ]\n}\n")
        }
        flush()
    }

    /// Hands the buffered output to the sink.
    public mutating func flush() {
        if used > 0 { sink(UnsafeBufferPointer(start: buffer, count: used)) }
        used = 0
    }

    // MARK: Findings

    /// Starts a finding; its message follows. `relatedCount` is the number of ``beginRelated(file:line:)`` calls
    /// that will follow (GitHub lists related places only when there are two or more).
    public mutating func beginFinding(ruleID: String, severity: Diagnostic.Severity, file: String, line: Int, column: Int = 1,
                                      hint: String? = nil, relatedCount: Int = 0) {
        self.ruleID = ruleID
        self.hint = hint
        self.file = file
        self.line = line
        self.column = column
        self.relatedCount = relatedCount
        related = 0
        headerOpen = true
        switch format {
        case .text:
            // Line 0 (a whole file, or what a command-line option added): the file alone, as diagnostics print it.
            plain(file)
            if line > 0 { raw(":"); decimal(line); raw(":"); decimal(column) }
            raw(": ")
            plain(severity.rawValue)
            raw(": ")
        case .json:
            raw(findings > 0 ? ",\n    {\n      \"rule\": " : "\n    {\n      \"rule\": ")
            jsonString(ruleID)
            raw(",\n      \"severity\": "); jsonString(severity.rawValue)
            raw(",\n      \"file\": "); jsonString(file)
            raw(",\n      \"line\": "); decimal(line)
            raw(",\n      \"column\": "); decimal(column)
            raw(",\n      \"message\": \"")
        case .github:
            raw("::"); raw(severity.githubCommand); raw(" file=")
            escaped(file, property: true)
            if line > 0 { raw(",line="); decimal(line); raw(",col="); decimal(column) }
            raw(",title=")
            escaped(ruleID, property: true)
            raw("::")
        case .sarif:
            raw(findings > 0 ? ",\n        {\n          \"ruleId\": " : "\n        {\n          \"ruleId\": ")
            jsonString(ruleID)
            if let i = ruleIndex[ruleID] { raw(",\n          \"ruleIndex\": "); decimal(i) }
            raw(",\n          \"level\": ")
            raw("\""); raw(severity.sarifLevel); raw("\"")
            raw(",\n          \"message\": {\n            \"text\": \"")
        }
        findings += 1
    }

    /// Starts a related place of the current finding; its message follows.
    public mutating func beginRelated(file: String, line: Int) {
        closeHeader()
        related += 1
        switch format {
        case .text:
            plain(file)
            if line > 0 { raw(":"); decimal(line) }
            raw(": note: ")
        case .json:
            raw(related == 1 ? ",\n      \"related\": [\n        {\n          \"file\": " : ",\n        {\n          \"file\": ")
            jsonString(file)
            raw(",\n          \"line\": "); decimal(line)
            raw(",\n          \"message\": \"")
        case .github:
            muted = relatedCount < 2
            if !muted {
                raw("%0A")
                escaped(file, property: false)
                if line > 0 { raw(":"); decimal(line) }
                raw(": ")
            }
        case .sarif:
            raw(related == 1 ? ",\n          \"relatedLocations\": [\n            {\n              \"id\": "
                             : ",\n            {\n              \"id\": ")
            decimal(related)
            raw(",\n              \"physicalLocation\": {\n                \"artifactLocation\": {\n                  \"uri\": ")
            jsonString(uri(file))
            raw("\n                },\n                \"region\": {\n                  \"startLine\": ")
            decimal(max(1, line))
            raw("\n                }\n              },\n              \"message\": {\n                \"text\": \"")
        }
    }

    /// Ends the current related place.
    public mutating func endRelated() {
        switch format {
        case .text: raw("\n")
        case .json: raw("\"\n        }")
        case .github: muted = false
        case .sarif: raw("\"\n              }\n            }")
        }
        if used >= capacity / 2 { flush() }
    }

    /// Ends the current finding.
    public mutating func endFinding() {
        closeHeader()
        switch format {
        case .text:
            if let hint { raw("  hint: "); plain(hint); raw("\n") }
        case .json:
            raw(related > 0 ? "\n      ]\n    }" : "\n    }")
        case .github:
            raw("\n")
        case .sarif:
            if related > 0 { raw("\n          ]") }
            // The hint stays out of the message (as in the array renderer): the result's `properties.hint`.
            if let hint {
                raw(",\n          \"properties\": {\n            \"hint\": ")
                jsonString(hint)
                raw("\n          }")
            }
            raw("\n        }")
        }
        if used >= capacity / 2 { flush() }
    }

    /// Ends the finding's own message: what follows it before the related places.
    mutating func closeHeader() {
        guard headerOpen else { return }
        headerOpen = false
        switch format {
        case .text:
            raw(" ["); plain(ruleID); raw("]\n")
        case .json:
            raw("\"")
            if let hint { raw(",\n      \"hint\": "); jsonString(hint) }
        case .github:
            if let hint { text(" (hint: "); text(hint); text(")") }
        case .sarif:
            raw("\"\n          },\n          \"locations\": [\n            {\n              \"physicalLocation\": {\n                \"artifactLocation\": {\n                  \"uri\": ")
            jsonString(uri(file))
            raw("\n                },\n                \"region\": {\n                  \"startLine\": ")
            decimal(max(1, line))
            raw(",\n                  \"startColumn\": ")
            decimal(max(1, column))
            raw("\n                }\n              }\n            }\n          ]")
        }
    }

    // MARK: Message pieces

    /// Appends message text.
    public mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { text(utf8: $0) }
    }

    /// Appends message text given as UTF-8 bytes.
    public mutating func text(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if muted { return }
        // Fast path: printable ASCII without characters the format escapes.
        var clean = true
        for b in bytes where b >= 0x80 || b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "%") {
            clean = false
            break
        }
        if clean { raw(bytes); return }
        let s = String(decoding: bytes, as: UTF8.self)
        switch format {
        case .text: plain(s)
        case .json, .sarif: jsonEscaped(s)
        case .github: escaped(s, property: false)
        }
    }

    /// Appends a decimal number to the message.
    public mutating func text(decimal n: Int) { if !muted { decimal(n) } }

    /// Appends one ASCII character that no format escapes (letters, digits, `.`, `/`, `:`, space, `'`…).
    public mutating func text(ascii c: UInt8) {
        if muted { return }
        reserve(1)
        buffer[used] = c
        used += 1
    }

    // MARK: Bytes

    @inline(__always) mutating func reserve(_ n: Int) {
        if used + n > capacity { flush() }
    }

    @inline(__always) mutating func raw(_ s: StaticString) {
        raw(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes
        while rest.count > capacity - used {
            let n = capacity - used
            if n > 0, let base = rest.baseAddress {
                (buffer + used).update(from: base, count: n)
                used += n
            }
            flush()
            rest = UnsafeBufferPointer(rebasing: rest[n...])
        }
        if let base = rest.baseAddress, !rest.isEmpty {
            (buffer + used).update(from: base, count: rest.count)
            used += rest.count
        }
    }

    /// Unescaped text.
    mutating func plain(_ s: String) {
        var s = s
        s.withUTF8 { raw($0) }
    }

    mutating func decimal(_ n: Int) {
        reserve(21)
        var v = n.magnitude
        if n < 0 { buffer[used] = UInt8(ascii: "-"); used += 1 }
        var digits = 1
        var t = v
        while t >= 10 { t /= 10; digits += 1 }
        var i = used + digits - 1
        repeat {
            buffer[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            i -= 1
        } while v > 0
        used += digits
    }

    /// A JSON string literal, quotes included.
    mutating func jsonString(_ s: String) {
        raw("\"")
        jsonEscaped(s)
        raw("\"")
    }

    mutating func jsonEscaped(_ s: String) {
        var s = s
        let clean = s.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        if clean { plain(s); return }
        var out = ""
        JSONValue.writeString(s, to: &out)
        // Without the quotes writeString adds.
        Array(out.utf8.dropFirst().dropLast()).withUnsafeBufferPointer { raw($0) }
    }

    /// Workflow-command data (`property: false`) or property value escaping.
    mutating func escaped(_ s: String, property: Bool) {
        var s = s
        let clean = s.withUTF8 { bytes in
            !bytes.contains {
                $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n")
                    || (property && ($0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",")))
            }
        }
        if clean { plain(s); return }
        plain(property ? FindingRenderer.escapeProperty(s) : FindingRenderer.escapeData(s))
    }

    mutating func uri(_ file: String) -> String {
        if file != lastFile {
            lastFile = file
            lastURI = FindingRenderer.uriReference(file)
        }
        return lastURI
    }
}
