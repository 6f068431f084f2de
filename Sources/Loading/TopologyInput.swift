#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FileIO
import NetworkModel
import Reporting

/// Where loading reports what it has to say, one message (a rendered diagnostic or a one-line note) at a time,
/// in the order found: the CLI hands `Terminal.writeError`, tests collect the lines.
public typealias MessageSink = (String) -> Void

/// Thrown after the problems were reported to the ``MessageSink``: the input cannot be used (exit 2 in the CLI).
public struct InputError: Error, Sendable {
    public init() {}
}

/// A topology loaded from what the user has: a `.vpc` file, AWS describe-* JSON (a file or a folder), or a
/// Terraform plan/state JSON.
public struct LoadedTopology {
    public var topology: Topology
    /// Warnings produced while loading (the caller prints them).
    public var warnings: [Diagnostic]
    /// The text parsed, for a `.vpc` (or Markdown) input: lint resolves fix-its and suppression comments in it.
    public var source: SourceText?

    public init(topology: Topology, warnings: [Diagnostic], source: SourceText? = nil) {
        self.topology = topology
        self.warnings = warnings
        self.source = source
    }
}

/// What a topology path holds, decided by content: a folder or JSON file of AWS describe-* output, a Terraform
/// `show -json` document, or the topology language.
public enum TopologyInputKind: Sendable {
    case language, awsSnapshot, terraform
}

/// Loading topologies from paths: format detection, reading, parsing and validation. Every `vpckit` command
/// that takes a topology goes through ``load(_:messages:reportErrors:)``.
public enum TopologyInput {
    /// Loads `path`, reporting diagnostics to `messages` (a `.vpc` file's errors go to `reportErrors` when
    /// given); throws ``InputError`` on input errors.
    ///
    /// `path` may be a `.vpc` file (`-`: standard input), a folder or JSON file of AWS describe-* output, or a
    /// Terraform `show -json` document: the content decides (``sniff(_:)``).
    public static func load(_ path: String, messages: MessageSink,
                            reportErrors: (([Diagnostic]) -> Void)? = nil) throws(InputError) -> LoadedTopology {
        // `-`: the topology language on standard input.
        if path == "-" {
            return try loadLanguage(try read(path, messages: messages), path: path, messages: messages, reportErrors: reportErrors)
        }
        let kind: TopologyInputKind
        if InputFiles.isDirectory(path) {
            kind = .awsSnapshot
        } else {
            // One read: the bytes the kind is decided from are the ones parsed (reading a 14 MB file twice was
            // a tenth of loading it).
            let bytes = try read(path, messages: messages)
            kind = sniff(bytes)
            if kind == .language { return try loadLanguage(bytes, path: path, messages: messages, reportErrors: reportErrors) }
        }
        let result = try ImportInput.importTopology([path], kind: kind, messages: messages)
        return LoadedTopology(topology: result.topology, warnings: [])
    }

    /// Parses and validates `bytes`, the content of the `.vpc` (or Markdown) file `path`.
    ///
    /// Errors go to `reportErrors` when given (`vpckit check --format sarif|junit` reports them as results),
    /// else to `messages`, followed by a count; then ``InputError`` is thrown. Warnings are returned.
    public static func loadLanguage(_ bytes: [UInt8], path: String, messages: MessageSink,
                                    reportErrors: (([Diagnostic]) -> Void)? = nil) throws(InputError) -> LoadedTopology {
        let source = TopologyLoader.source(bytes: bytes, file: path)
        let (topology, diagnostics) = TopologyLoader.load(source)
        let errors = diagnostics.filter { $0.severity == .error }
        if let collect = reportErrors {
            collect(errors)
        } else {
            for d in errors { messages(d.rendered) }
        }
        if !errors.isEmpty {
            messages("\(path): \(errors.count) error\(errors.count == 1 ? "" : "s")")
            throw InputError()
        }
        return LoadedTopology(topology: topology, warnings: diagnostics.filter { $0.severity != .error }, source: source)
    }

    /// The bytes of `path` (`-`: standard input); reports `path: error: cannot read file: …` and throws when it
    /// cannot be read.
    public static func read(_ path: String, messages: MessageSink) throws(InputError) -> [UInt8] {
        guard let bytes = InputFiles.read(path) else {
            let reason = String(cString: strerror(errno))
            messages("\(path): error: cannot read file: \(reason)")
            throw InputError()
        }
        return bytes
    }

    /// Decides what `bytes` hold: JSON with Terraform's top-level keys, other JSON (AWS), or the language.
    public static func sniff(_ bytes: [UInt8]) -> TopologyInputKind {
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

    /// The kind of input at `path`: a folder is an AWS snapshot; a file is sniffed.
    public static func kind(of path: String, messages: MessageSink) throws(InputError) -> TopologyInputKind {
        if InputFiles.isDirectory(path) { return .awsSnapshot }
        return sniff(try read(path, messages: messages))
    }
}
