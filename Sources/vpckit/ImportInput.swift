#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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

/// Prints a JSON error as a diagnostic and throws `InputError`.
func reportJSONError(_ error: JSONError) -> InputError {
    if error.line > 0 {
        Terminal.writeError("\(error.file):\(error.line):\(error.column): error: \(error.path): \(error.message)")
    } else {
        Terminal.writeError("\(error.file): error: \(error.path): \(error.message)")
    }
    return InputError()
}

/// Reads and parses one JSON file; prints the error and throws `InputError` on failure.
func readJSON(_ file: String) throws -> JSONDocument {
    let bytes = try readInputFile(file)
    do { return try JSONDocument(bytes: bytes, file: file) } catch { throw reportJSONError(error) }
}

/// Imports AWS describe-* output from files and folders.
func importAWS(_ paths: [String]) throws -> ImportResult {
    var snapshot = AWSSnapshot()
    var failed = false
    for path in paths {
        let files: [String]
        if isDirectory(path) {
            files = jsonFiles(under: path)
            if files.isEmpty {
                Terminal.writeError("\(path): error: no .json files in this folder")
                failed = true
                continue
            }
        } else {
            files = [path]
        }
        for file in files {
            do {
                let document = try readJSON(file)
                try snapshot.add(document)
            } catch let error as JSONError {
                _ = reportJSONError(error)
                failed = true
            } catch {
                failed = true
            }
        }
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
    let document = try readJSON(path)
    do { return try TerraformImporter.importDocument(document) } catch { throw reportJSONError(error) }
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
