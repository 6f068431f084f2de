/// Output formats for findings.
public enum FindingFormat: String, Sendable, CaseIterable {
    case text, json, github, sarif
}

public enum FindingRenderer {
    /// Renders findings in `format`. `toolName`/`toolVersion` go into SARIF's driver. `notifications` are
    /// warnings about the run's configuration (bad suppression comments): SARIF's
    /// `invocations[0].toolConfigurationNotifications` and JSON's `"warnings"`; text and GitHub callers print
    /// them on stderr themselves.
    public static func render(_ findings: [Finding], format: FindingFormat, rules: [RuleDescriptor],
                              toolName: String = "vpckit", toolVersion: String = "0.1.0",
                              notifications: [Diagnostic] = []) -> String {
        switch format {
        case .text: return text(findings)
        case .json:
            guard case .object(var members) = json(findings), !notifications.isEmpty else {
                return json(findings).serialized(pretty: true) + "\n"
            }
            members.append(("warnings", .array(notifications.map(warningJSON))))
            return JSONValue.object(members).serialized(pretty: true) + "\n"
        case .github: return github(findings)
        case .sarif:
            return sarif(findings, rules: rules, toolName: toolName, toolVersion: toolVersion, notifications: notifications)
                .serialized(pretty: true) + "\n"
        }
    }

    /// Compiler-style lines: `file:line:column: severity: message [rule]`, related places as `file:line: note:`.
    /// A finding about a whole file, or about what a command-line option added (line 0), prints the file (or
    /// option) alone, as ``Diagnostic/rendered`` does: `file: severity: message [rule]`.
    public static func text(_ findings: [Finding]) -> String {
        var out = ""
        for f in findings where !f.isSuppressed {
            let place = f.line > 0 ? "\(f.file):\(f.line):\(f.column)" : f.file
            out += "\(place): \(f.severity.rawValue): \(f.message) [\(f.ruleID)]\n"
            for r in f.related { out += (r.line > 0 ? "\(r.file):\(r.line)" : r.file) + ": note: \(r.message)\n" }
            if let hint = f.hint { out += "  hint: \(hint)\n" }
        }
        return out
    }

    public static func json(_ findings: [Finding]) -> JSONValue {
        .object([("findings", .array(findings.map { f in
            var members: [(String, JSONValue)] = [
                ("rule", .string(f.ruleID)), ("severity", .string(f.severity.rawValue)),
                ("file", .string(f.file)), ("line", .int(f.line)), ("column", .int(f.column)),
                ("message", .string(f.message)),
            ]
            if let hint = f.hint { members.append(("hint", .string(hint))) }
            if !f.related.isEmpty {
                members.append(("related", .array(f.related.map {
                    .object([("file", .string($0.file)), ("line", .int($0.line)), ("message", .string($0.message))])
                })))
            }
            if let fix = f.fix, !fix.edits.isEmpty {
                members.append(("fix", .object([("description", .string(fix.description)),
                                                ("edits", .array(fix.edits.map(editJSON)))])))
            }
            if let s = f.suppression {
                var m: [(String, JSONValue)] = [("kind", .string(s.kind.rawValue))]
                if let j = s.justification { m.append(("justification", .string(j))) }
                if let file = s.file, let line = s.line { m.append(("file", .string(file))); m.append(("line", .int(line))) }
                members.append(("suppressed", .object(m)))
            }
            if let b = f.baselineState { members.append(("baselineState", .string(b.rawValue))) }
            if let u = f.underlyingID { members.append(("diagnosticId", .string(u))) }
            return .object(members)
        })), ("count", .int(findings.filter { !$0.isSuppressed }.count))]
            + (findings.contains(where: \.isSuppressed) ? [("suppressed", .int(findings.filter(\.isSuppressed).count))] : []))
    }

    /// A configuration warning in JSON output: file, line, column, message, then the hint and the id when set.
    static func warningJSON(_ d: Diagnostic) -> JSONValue {
        var m: [(String, JSONValue)] = [("file", .string(d.file)), ("line", .int(d.line)), ("column", .int(d.column)),
                                        ("message", .string(d.message))]
        if let hint = d.hint { m.append(("hint", .string(hint))) }
        if !d.id.isEmpty { m.append(("id", .string(d.id))) }
        return .object(m)
    }

    static func editJSON(_ e: TextEdit) -> JSONValue {
        .object([("file", .string(e.file)), ("startLine", .int(e.startLine)), ("startColumn", .int(e.startColumn)),
                 ("endLine", .int(e.endLine)), ("endColumn", .int(e.endColumn)), ("text", .string(e.text))])
    }

    /// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=RULE::message` (without `line` and
    /// `col` for a finding at line 0: a file-level annotation).
    public static func github(_ findings: [Finding]) -> String {
        var out = ""
        for f in findings where !f.isSuppressed {
            let command = f.severity.githubCommand.description
            var message = f.message
            if let hint = f.hint { message += " (hint: \(hint))" }
            let position = f.line > 0 ? ",line=\(f.line),col=\(f.column)" : ""
            out += "::\(command) file=\(escapeProperty(f.file))\(position),title=\(escapeProperty(f.ruleID))::\(escapeData(message))\n"
        }
        return out
    }

    static func escapeData(_ s: String) -> String {
        s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }
    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    /// `path` as a relative URI reference (SARIF's `artifactLocation.uri`): `\\` becomes `/`, and bytes outside
    /// RFC 3986's unreserved set and `/` are percent-encoded (`my dir/a.vpc` → `my%20dir/a.vpc`).
    public static func uriReference(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "\\"):
                out += "/"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xF)]))
            }
        }
        return out
    }

    /// A SARIF 2.1.0 log with one run.
    public static func sarif(_ findings: [Finding], rules: [RuleDescriptor], toolName: String, toolVersion: String,
                             notifications: [Diagnostic] = []) -> JSONValue {
        func level(_ s: Diagnostic.Severity) -> String { s.sarifLevel.description }
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        func location(file: String, line: Int, column: Int?) -> JSONValue {
            var region: [(String, JSONValue)] = [("startLine", .int(max(1, line)))]
            if let column { region.append(("startColumn", .int(max(1, column)))) }
            return .object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(uriReference(file)))])),
                ("region", .object(region)),
            ]))])
        }
        let results: [JSONValue] = findings.map { f in
            var members: [(String, JSONValue)] = [("ruleId", .string(f.ruleID))]
            if let i = ruleIndex[f.ruleID] { members.append(("ruleIndex", .int(i))) }
            members.append(("level", .string(level(f.severity))))
            // The message alone; the hint is the fix's description and the result's `properties.hint`.
            members.append(("message", .object([("text", .string(f.message))])))
            members.append(("locations", .array([location(file: f.file, line: f.line, column: f.column)])))
            if !f.related.isEmpty {
                members.append(("relatedLocations", .array(f.related.enumerated().map { i, r in
                    guard case .object(var m) = location(file: r.file, line: r.line, column: nil) else { return .null }
                    m.insert(("id", .int(i + 1)), at: 0)
                    m.append(("message", .object([("text", .string(r.message))])))
                    return .object(m)
                })))
            }
            if let s = f.suppression {
                var m: [(String, JSONValue)] = [("kind", .string(s.kind.rawValue))]
                if let j = s.justification { m.append(("justification", .string(j))) }
                if let file = s.file, let line = s.line { m.append(("location", location(file: file, line: line, column: nil))) }
                members.append(("suppressions", .array([.object(m)])))
            }
            if let b = f.baselineState { members.append(("baselineState", .string(b.rawValue))) }
            if let fix = f.fix, !fix.edits.isEmpty { members.append(("fixes", .array([sarifFix(fix)]))) }
            var properties: [(String, JSONValue)] = []
            if let hint = f.hint { properties.append(("hint", .string(hint))) }
            if let u = f.underlyingID { properties.append(("diagnosticId", .string(u))) }
            if !properties.isEmpty { members.append(("properties", .object(properties))) }
            return .object(members)
        }
        let ruleObjects: [JSONValue] = rules.map { r in
            var m: [(String, JSONValue)] = [
                ("id", .string(r.id)), ("name", .string(r.name)),
                ("shortDescription", .object([("text", .string(r.shortDescription))])),
                ("defaultConfiguration", .object([("level", .string(level(r.defaultSeverity)))])),
            ]
            if let help = r.helpText { m.append(("help", .object([("text", .string(help))]))) }
            return .object(m)
        }
        var run: [(String, JSONValue)] = [
            ("tool", .object([("driver", .object([
                ("name", .string(toolName)), ("version", .string(toolVersion)),
                ("informationUri", .string("https://github.com/vpckit/vpckit")),
                ("rules", .array(ruleObjects)),
            ]))])),
        ]
        if !notifications.isEmpty {
            let items: [JSONValue] = notifications.map { d in
                var m: [(String, JSONValue)] = [("level", .string(level(d.severity)))]
                if !d.id.isEmpty { m.append(("descriptor", .object([("id", .string(d.id))]))) }
                m.append(("message", .object([("text", .string(d.message + (d.hint.map { " (\($0))" } ?? "")))])))
                if d.line > 0 { m.append(("locations", .array([location(file: d.file, line: d.line, column: d.column)]))) }
                return .object(m)
            }
            run.append(("invocations", .array([.object([
                ("executionSuccessful", .bool(true)), ("toolConfigurationNotifications", .array(items)),
            ])])))
        }
        // Columns count Unicode scalars (as diagnostics and fix-it edits do), not UTF-16 code units.
        run.append(("columnKind", .string("unicodeCodePoints")))
        run.append(("results", .array(results)))
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object(run)])),
        ])
    }

    /// A SARIF `fix`: the description and one `artifactChange` per file, each edit a `replacement` whose
    /// `deletedRegion` is the replaced span (empty for an insertion).
    static func sarifFix(_ fix: FixIt) -> JSONValue {
        var files: [String] = []
        for e in fix.edits where !files.contains(e.file) { files.append(e.file) }
        let changes: [JSONValue] = files.map { file in
            let replacements: [JSONValue] = fix.edits.filter { $0.file == file }.map { e in
                .object([
                    ("deletedRegion", .object([
                        ("startLine", .int(max(1, e.startLine))), ("startColumn", .int(max(1, e.startColumn))),
                        ("endLine", .int(max(1, e.endLine))), ("endColumn", .int(max(1, e.endColumn))),
                    ])),
                    ("insertedContent", .object([("text", .string(e.text))])),
                ])
            }
            return .object([("artifactLocation", .object([("uri", .string(uriReference(file)))])),
                            ("replacements", .array(replacements))])
        }
        return .object([("description", .object([("text", .string(fix.description))])), ("artifactChanges", .array(changes))])
    }
}
