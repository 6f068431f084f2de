#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import FileIO
import Importers
import NetworkModel
import Reporting

/// Reports a JSON error as a diagnostic and returns `InputError` to throw. A path of more than ``maxShownPathSteps``
/// steps (JSON nested hundreds deep) is cut to its first steps and a count, so the message stays one line.
///
/// An error with a place in its file (a syntax error, or a value of the wrong shape) is shown like the
/// language's diagnostics: `file:line:column: error: $.path: message`, the line and a caret under the value.
/// The parsed document keeps no source text, so the file is mapped again here (on the error path only); when
/// it cannot be, or has changed so the place is gone, the message names the file alone (or the parser's line).
/// `source`: the file's bytes, when the caller still has them (standard input cannot be read twice).
func reportJSONError(_ error: JSONError, source: [UInt8]? = nil, messages: MessageSink) -> InputError {
    let path = shortenedJSONPath(error.path)
    let diagnostic: Diagnostic
    if error.offset != nil, let source {
        diagnostic = source.withUnsafeBufferPointer { error.diagnostic(source: $0, shownPath: path) }
    } else if error.offset != nil, error.file != "-",
              let mapped = InputFiles.withMappedFile(error.file, { error.diagnostic(source: $0, shownPath: path) }) {
        diagnostic = mapped
    } else {
        diagnostic = error.diagnostic(source: nil, shownPath: path)
    }
    messages(diagnostic.rendered)
    return InputError()
}

/// The most steps (`.Key` or `[i]`) of a JSON path a diagnostic prints.
let maxShownPathSteps = 8

/// `path` cut after ``maxShownPathSteps`` steps: `$.Vpcs[0][0]…[0] (… 500 levels more)`.
func shortenedJSONPath(_ path: String) -> String {
    var steps = 0
    var index = path.startIndex
    var inQuotes = false
    for i in path.indices {
        let c = path[i]
        if c == "\"" { inQuotes.toggle() }
        if !inQuotes, c == "." || c == "[" {
            steps += 1
            if steps == maxShownPathSteps + 1 { index = i }
        }
    }
    guard steps > maxShownPathSteps else { return path }
    return String(path[..<index]) + "… (\(steps - maxShownPathSteps) levels more)"
}

/// Reads and parses one JSON file, returning its bytes too (to place later errors); reports the error and
/// throws `InputError` on failure.
func readJSONKeepingSource(_ file: String, messages: MessageSink) throws(InputError) -> (document: JSONDocument, source: [UInt8]) {
    let bytes = try TopologyInput.read(file, messages: messages)
    if let empty = bytes.withUnsafeBufferPointer({ emptyInputError($0, file: file) }) { throw reportJSONError(empty, messages: messages) }
    do { return (try JSONDocument(bytes: bytes, file: file), bytes) } catch { throw reportJSONError(error, source: bytes, messages: messages) }
}

/// The error for a file with nothing but whitespace (or a byte-order mark) in it: "empty", as `cidr overlaps`
/// and `check` say, rather than the parser's "unexpected end of input".
func emptyInputError(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> JSONError? {
    guard InputFiles.isBlank(bytes) else { return nil }
    return JSONError(id: JSONError.empty, file: file, path: "$", message: "the file is empty (expected a JSON document)")
}

/// Parsed documents of one import, one slot per file, each written by exactly one worker.
final class ParsedSlots: @unchecked Sendable {
    // @unchecked: `concurrentPerform` gives every index to one worker only, and the slots are read after it
    // returns (which orders the writes before the reads).
    var slots: [Result<JSONDocument, JSONError>?]
    var unreadable: [Bool]
    init(count: Int) {
        slots = Array(repeating: nil, count: count)
        unreadable = Array(repeating: false, count: count)
    }
}

/// Reads and parses `files` on every core (the raw bytes of a file are dropped once it is parsed).
func parseInParallel(_ files: [String]) -> ParsedSlots {
    let parsed = ParsedSlots(count: files.count)
    parsed.slots.withUnsafeMutableBufferPointer { slots in
        parsed.unreadable.withUnsafeMutableBufferPointer { unreadable in
            nonisolated(unsafe) let slots = slots, unreadable = unreadable
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                let result = InputFiles.withMappedFile(files[i]) { buffer -> Result<JSONDocument, JSONError> in
                    if let empty = emptyInputError(buffer, file: files[i]) { return .failure(empty) }
                    do throws(JSONError) { return .success(try JSONDocument(parsing: buffer, file: files[i])) } catch { return .failure(error) }
                }
                if let result { slots[i] = result } else { unreadable[i] = true }
            }
        }
    }
    return parsed
}

/// Imports AWS describe-* output from files and folders.
func importAWS(_ paths: [String], messages: MessageSink) throws(InputError) -> ImportResult {
    var snapshot = AWSSnapshot()
    var failed = false
    var files: [String] = []
    for path in paths {
        if InputFiles.isDirectory(path) {
            let found = InputFiles.jsonFiles(under: path)
            if found.isEmpty {
                messages("\(path): error: no .json files in this folder")
                failed = true
            }
            files += found
        } else {
            files.append(path)
        }
    }
    let parsed = parseInParallel(files)
    for (i, file) in files.enumerated() {
        if parsed.unreadable[i] {
            messages("\(file): error: cannot read file")
            failed = true
            continue
        }
        switch parsed.slots[i] {
        case .success(let document)?:
            do { try snapshot.add(document) } catch {
                _ = reportJSONError(error, messages: messages)
                failed = true
            }
        case .failure(let error)?:
            _ = reportJSONError(error, messages: messages)
            failed = true
        case nil:
            failed = true
        }
        parsed.slots[i] = nil
    }
    if failed { throw InputError() }
    if snapshot.isEmpty {
        messages("\(paths.joined(separator: ", ")): error: no AWS document found (expected the JSON printed by "
                            + "'aws ec2 describe-vpcs', 'describe-subnets', …: an object with a key such as \"Vpcs\" or \"Subnets\"; see Docs/IMPORT.md)")
        throw InputError()
    }
    for file in snapshot.unrecognised {
        messages("\(file): note: not an AWS document this importer knows (no known top-level key); ignored")
    }
    do { return try snapshot.makeTopology(source: paths.joined(separator: " ")) } catch { throw reportJSONError(error, messages: messages) }
}

/// Imports a Terraform plan or state (`terraform show -json`).
func importTerraform(_ path: String, messages: MessageSink) throws(InputError) -> ImportResult {
    let (document, source) = try readJSONKeepingSource(path, messages: messages)
    do { return try TerraformImporter.importDocument(document) } catch {
        throw reportJSONError(error, source: error.file == document.file ? source : nil, messages: messages)
    }
}

/// Imports both sides of the Terraform plan at `path` (its prior state, its planned values), each validated as
/// ``importTopology(_:kind:quiet:messages:)`` validates an import; the file is read and parsed once.
func importTerraformPlanSides(_ path: String, messages: MessageSink) throws(InputError) -> (prior: ImportResult, planned: ImportResult) {
    let (document, source) = try readJSONKeepingSource(path, messages: messages)
    var out: [ImportResult] = []
    for (side, label) in [(TerraformPlanSide.prior, "prior state"), (.planned, "planned values")] {
        let result: ImportResult
        do { result = try TerraformImporter.importDocument(document, side: side) } catch {
            throw reportJSONError(error, source: error.file == document.file ? source : nil, messages: messages)
        }
        try validateImport(result, label: "\(path) (\(label), as imported)", quiet: side == .prior, messages: messages)
        out.append(result)
    }
    return (out[0], out[1])
}

/// Reports `result`'s warnings (unless `quiet`) and validates it; on errors, shows them against the printed text
/// (labelled `label`) and throws.
func validateImport(_ result: ImportResult, label: String, quiet: Bool, messages: MessageSink) throws(InputError) {
    if !quiet {
        for w in result.report.warnings { messages(w.description) }
    }
    let diagnostics = TopologyValidator.validate(result.topology)
    let errors = diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
        let text = TopologyPrinter.format(result.topology)
        let (_, located) = TopologyLoader.load(text, file: label)
        let shown = located.filter { $0.severity == .error }
        for d in shown.isEmpty ? errors : shown { messages(d.rendered) }
        messages("\(label): the imported topology is not valid (\(errors.count) error\(errors.count == 1 ? "" : "s"))")
        throw InputError()
    }
}

/// Imports `path` as `kind`, validates the result, reports warnings; the caller decides what to print.
///
/// The model is validated directly. Only when that finds errors is it printed and parsed again, so that each
/// error points at a line of the `.vpc` text `vpckit import` would print (an imported model's resources have no
/// line of their own); on that error path alone it costs a print and a parse.
func importTopology(_ paths: [String], kind: TopologyInputKind, quiet: Bool = false,
                    messages: MessageSink) throws(InputError) -> ImportResult {
    let result = kind == .terraform ? try importTerraform(paths[0], messages: messages) : try importAWS(paths, messages: messages)
    // Problems are shown against the generated text, where they have a line to point at.
    try validateImport(result, label: paths.joined(separator: ", ") + " (as imported)", quiet: quiet, messages: messages)
    return result
}

/// Importing AWS describe-* JSON and Terraform JSON from files and folders (the `vpckit import` commands and
/// every command given a JSON topology).
public enum ImportInput {
    /// Imports `paths` (AWS: files and folders searched recursively; Terraform: one file) as `kind`, checks the
    /// result with the validator and reports the import's warnings (unless `quiet`) and any errors to
    /// `messages`; throws ``InputError`` after reporting errors.
    public static func importTopology(_ paths: [String], kind: TopologyInputKind, quiet: Bool = false,
                                      messages: MessageSink) throws(InputError) -> ImportResult {
        try Loading.importTopology(paths, kind: kind, quiet: quiet, messages: messages)
    }

    /// Both sides of the Terraform plan at `path` — its prior state and its planned values — each checked with
    /// the validator (the planned side's import warnings are reported); `vpckit diff PLAN.json` compares them.
    public static func terraformPlanSides(_ path: String, messages: MessageSink) throws(InputError) -> (prior: ImportResult, planned: ImportResult) {
        try importTerraformPlanSides(path, messages: messages)
    }

    /// The `.vpc` text `vpckit import` prints: a header naming the `source` kind and `paths`, one comment per
    /// skipped resource and warning, then the topology. Input text reaches the comments only through
    /// `LanguageWord.commentSafe` (no line breaks: it cannot add statements).
    public static func render(_ result: ImportResult, paths: [String], source: String) -> String {
        var text = "# Imported by vpckit from \(source): \(LanguageWord.commentSafe(paths.joined(separator: " ")))\n"
        text += result.report.comments
        for w in result.report.warnings { text += "# warning: \(LanguageWord.commentSafe(w.description))\n" }
        text += "\n" + TopologyPrinter.format(result.topology)
        return text
    }
}
