#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Importers
import NetworkModel
import Reporting

/// What a topology path holds, decided by content: a folder or JSON file of AWS describe-* output, a Terraform
/// `show -json` document, or the topology language.
enum TopologyInputKind {
    case language, awsSnapshot, terraform
}

/// True when `path` is a directory.
func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// Every `*.json` file under `path` (recursively), sorted, so imports are deterministic.
func jsonFiles(under path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var out: [String] = []
    var subdirectories: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
            ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name.hasPrefix(".") { continue }
        let full = path.hasSuffix("/") ? path + name : path + "/" + name
        if isDirectory(full) { subdirectories.append(full) } else if name.lowercased().hasSuffix(".json") { out.append(full) }
    }
    out.sort()
    for sub in subdirectories.sorted() { out += jsonFiles(under: sub) }
    return out
}

/// Decides what `bytes` hold: JSON with Terraform's top-level keys, other JSON (AWS), or the language.
func sniff(_ bytes: [UInt8]) -> TopologyInputKind {
    var i = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") else { return .language }
    // Terraform's documents start with (or soon hold) "format_version" and "terraform_version".
    let head = bytes.prefix(4096)
    let marker = Array("\"terraform_version\"".utf8)
    if head.count >= marker.count {
        for start in 0...(head.count - marker.count) where head[start] == marker[0] {
            if Array(head[start..<start + marker.count]) == marker { return .terraform }
        }
    }
    return .awsSnapshot
}

/// Prints a JSON error as a diagnostic and throws `InputError`. A path of more than ``maxShownPathSteps``
/// steps (JSON nested hundreds deep) is cut to its first steps and a count, so the message stays one line.
///
/// An error with a place in its file (a syntax error, or a value of the wrong shape) is shown like the
/// language's diagnostics: `file:line:column: error: $.path: message`, the line and a caret under the value.
/// The parsed document keeps no source text, so the file is mapped again here (on the error path only); when
/// it cannot be, or has changed so the place is gone, the message names the file alone (or the parser's line).
/// `source`: the file's bytes, when the caller still has them (standard input cannot be read twice).
func reportJSONError(_ error: JSONError, source: [UInt8]? = nil) -> InputError {
    let path = shortenedJSONPath(error.path)
    let diagnostic: Diagnostic
    if error.offset != nil, let source {
        diagnostic = source.withUnsafeBufferPointer { error.diagnostic(source: $0, shownPath: path) }
    } else if error.offset != nil, error.file != "-",
              let mapped = withMappedFile(error.file, { error.diagnostic(source: $0, shownPath: path) }) {
        diagnostic = mapped
    } else {
        diagnostic = error.diagnostic(source: nil, shownPath: path)
    }
    Terminal.writeError(diagnostic.rendered)
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

/// Reads and parses one JSON file, returning its bytes too (to place later errors); prints the error and
/// throws `InputError` on failure.
func readJSONKeepingSource(_ file: String) throws -> (document: JSONDocument, source: [UInt8]) {
    let bytes = try readInputFile(file)
    if let empty = bytes.withUnsafeBufferPointer({ emptyInputError($0, file: file) }) { throw reportJSONError(empty) }
    do { return (try JSONDocument(bytes: bytes, file: file), bytes) } catch { throw reportJSONError(error, source: bytes) }
}

/// The error for a file with nothing but whitespace (or a byte-order mark) in it: "empty", as `cidr overlaps`
/// and `check` say, rather than the parser's "unexpected end of input".
func emptyInputError(_ bytes: UnsafeBufferPointer<UInt8>, file: String) -> JSONError? {
    guard isBlank(bytes) else { return nil }
    return JSONError(id: JSONError.empty, file: file, path: "$", message: "the file is empty (expected a JSON document)")
}

/// True when `bytes` hold only whitespace, after an optional UTF-8 byte-order mark.
func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    while i < bytes.count {
        guard bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 else { return false }
        i += 1
    }
    return true
}

/// Calls `body` with the bytes of the regular file at `path`, mapped read-only (read into memory when it
/// cannot be mapped); nil when the file cannot be read.
func withMappedFile<R>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    let size = Int(st.st_size)
    if size > 0, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED {
        defer { munmap(map, size) }
        return body(UnsafeBufferPointer(start: map.assumingMemoryBound(to: UInt8.self), count: size))
    }
    guard let bytes = readFileBytes(path) else { return nil }
    return bytes.withUnsafeBufferPointer(body)
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
                let result = withMappedFile(files[i]) { buffer -> Result<JSONDocument, JSONError> in
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
func importAWS(_ paths: [String]) throws -> ImportResult {
    var snapshot = AWSSnapshot()
    var failed = false
    var files: [String] = []
    for path in paths {
        if isDirectory(path) {
            let found = jsonFiles(under: path)
            if found.isEmpty {
                Terminal.writeError("\(path): error: no .json files in this folder")
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
            Terminal.writeError("\(file): error: cannot read file")
            failed = true
            continue
        }
        switch parsed.slots[i] {
        case .success(let document)?:
            do { try snapshot.add(document) } catch {
                _ = reportJSONError(error)
                failed = true
            }
        case .failure(let error)?:
            _ = reportJSONError(error)
            failed = true
        case nil:
            failed = true
        }
        parsed.slots[i] = nil
    }
    if failed { throw InputError() }
    if snapshot.isEmpty {
        Terminal.writeError("\(paths.joined(separator: ", ")): error: no AWS document found (expected the JSON printed by "
                            + "'aws ec2 describe-vpcs', 'describe-subnets', …: an object with a key such as \"Vpcs\" or \"Subnets\"; see Docs/IMPORT.md)")
        throw InputError()
    }
    for file in snapshot.unrecognised {
        Terminal.writeError("\(file): note: not an AWS document this importer knows (no known top-level key); ignored")
    }
    do { return try snapshot.makeTopology(source: paths.joined(separator: " ")) } catch { throw reportJSONError(error) }
}

/// Imports a Terraform plan or state (`terraform show -json`).
func importTerraform(_ path: String) throws -> ImportResult {
    let (document, source) = try readJSONKeepingSource(path)
    do { return try TerraformImporter.importDocument(document) } catch {
        throw reportJSONError(error, source: error.file == document.file ? source : nil)
    }
}

/// Imports `path` as `kind`, validates the result, prints warnings; the caller decides what to print.
func importTopology(_ paths: [String], kind: TopologyInputKind, quiet: Bool = false) throws -> ImportResult {
    let result = kind == .terraform ? try importTerraform(paths[0]) : try importAWS(paths)
    if !quiet {
        for w in result.report.warnings { Terminal.writeError(w.description) }
    }
    let diagnostics = TopologyValidator.validate(result.topology)
    let errors = diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
        // Show the problems against the generated text, where they have a line to point at.
        let label = paths.joined(separator: ", ") + " (as imported)"
        let text = TopologyPrinter.format(result.topology)
        let (_, located) = TopologyLoader.load(text, file: label)
        let shown = located.filter { $0.severity == .error }
        for d in shown.isEmpty ? errors : shown { Terminal.writeError(d.rendered) }
        Terminal.writeError("\(label): the imported topology is not valid (\(errors.count) error\(errors.count == 1 ? "" : "s"))")
        throw InputError()
    }
    return result
}

/// The kind of input at `path`: a folder is an AWS snapshot; a file is sniffed.
func inputKind(_ path: String) throws -> TopologyInputKind {
    if isDirectory(path) { return .awsSnapshot }
    let bytes = try readInputFile(path)
    return sniff(bytes)
}
