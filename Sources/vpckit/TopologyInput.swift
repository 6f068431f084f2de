#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NetworkModel
import Reporting

/// A topology loaded from what the user has: a `.vpc` file, AWS describe-* JSON (a file or a folder), or a
/// Terraform plan/state JSON. Every command that takes a topology goes through ``loadTopology(_:)``.
struct LoadedTopology {
    var topology: Topology
    /// Warnings produced while loading (printed by the caller on stderr).
    var warnings: [Diagnostic]
    /// The text parsed, for a `.vpc` (or Markdown) input: lint resolves fix-its and suppression comments in it.
    var source: SourceText? = nil
}

/// Thrown after diagnostics were printed: exit 2.
struct InputError: Error {}

/// Loads `path`, printing diagnostics to stderr (a `.vpc` file's errors go to `reportErrors` when given);
/// throws `InputError` (exit 2) on input errors.
///
/// `path` may be a `.vpc` file, a folder or JSON file of AWS describe-* output, or a Terraform `show -json`
/// document: the content decides (see ImportInput.swift).
func loadTopology(_ path: String, reportErrors: (([Diagnostic]) -> Void)? = nil) throws -> LoadedTopology {
    // `-`: the topology language on standard input.
    if path == "-" { return try loadTopologyLanguage(try readInputFile(path), path: path, reportErrors: reportErrors) }
    let kind: TopologyInputKind
    var st = stat()
    let found = stat(path, &st) == 0
    if found && (st.st_mode & S_IFMT) == S_IFDIR {
        kind = .awsSnapshot
    } else {
        if found && (st.st_mode & S_IFMT) == S_IFREG { keepAllocatorThreshold(Int(st.st_size)) }
        // One read: the bytes the kind is decided from are the ones parsed (reading a 14 MB file twice was
        // a tenth of loading it).
        let bytes = try readInputFile(path)
        kind = sniff(bytes)
        if kind == .language { return try loadTopologyLanguage(bytes, path: path, reportErrors: reportErrors) }
    }
    let result = try importTopology([path], kind: kind)
    return LoadedTopology(topology: result.topology, warnings: [])
}

/// Allocates and frees (without touching) a block of `size` bytes, before the input is read. glibc serves
/// blocks over its mmap threshold (128 KB at start) with `mmap`, and freeing such a block raises the threshold
/// to its size (up to 32 MB): the input's bytes and later big arrays then come from the heap, and memory freed
/// there (the input after parsing, a grown array's old buffer) is reused instead of faulting fresh pages.
/// Reading the input twice (to sniff its kind, then to parse it) used to do this by accident; with one read,
/// loading and the replay keep the allocator state they were tuned under (without it: 2,500 more page faults).
func keepAllocatorThreshold(_ size: Int) {
    guard size > 0, let block = malloc(size) else { return }
    // Stored so that the compiler keeps the allocation (an unused malloc/free pair is removed); never read.
    allocatorThresholdBlock = block
    free(block)
}

/// The block ``keepAllocatorThreshold(_:)`` allocated and freed last: only its address, never dereferenced.
nonisolated(unsafe) private var allocatorThresholdBlock: UnsafeMutableRawPointer?

/// Loads a `.vpc` file (or a Markdown file whose fenced blocks hold the language): parse + validate.
/// Errors and warnings are printed to stderr; errors throw `InputError`.
func loadTopologyLanguageFile(_ path: String) throws -> LoadedTopology {
    try loadTopologyLanguage(try readInputFile(path), path: path)
}

/// Parses and validates `bytes`, the content of the `.vpc` (or Markdown) file `path`; prints diagnostics as
/// ``loadTopologyLanguageFile(_:)`` does.
///
/// With `reportErrors`, the parse and validation errors are handed to it instead of printed
/// (`vpckit check --format sarif|junit` reports them as results).
func loadTopologyLanguage(_ bytes: [UInt8], path: String,
                          reportErrors: (([Diagnostic]) -> Void)? = nil) throws -> LoadedTopology {
    let source = TopologyLoader.source(bytes: bytes, file: path)
    let (topology, diagnostics) = TopologyLoader.load(source)
    let errors = diagnostics.filter { $0.severity == .error }
    if let collect = reportErrors {
        collect(errors)
    } else {
        for d in errors { Terminal.writeError(d.rendered) }
    }
    if !errors.isEmpty {
        Terminal.writeError("\(path): \(errors.count) error\(errors.count == 1 ? "" : "s")")
        throw InputError()
    }
    return LoadedTopology(topology: topology, warnings: diagnostics.filter { $0.severity != .error }, source: source)
}

/// The bytes of `path`; prints `path: error: …` and throws `InputError` when it cannot be read.
func readInputFile(_ path: String) throws -> [UInt8] {
    guard let bytes = readFileBytes(path) else {
        let reason = String(cString: strerror(errno))
        Terminal.writeError("\(path): error: cannot read file: \(reason)")
        throw InputError()
    }
    return bytes
}

/// The bytes of the file at `path` (`-`: standard input), or nil (errno set).
func readFileBytes(_ path: String) -> [UInt8]? {
    let fd = path == "-" ? 0 : open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { if fd != 0 { close(fd) } }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return nil }
    if (st.st_mode & S_IFMT) == S_IFDIR { errno = EISDIR; return nil }
    // Read straight into an array of the file's size (one copy), then keep reading in case it grew.
    let size = (st.st_mode & S_IFMT) == S_IFREG ? max(0, Int(st.st_size)) : 0
    var failed = false
    var result = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        while initialized < size {
            let n = read(fd, buffer.baseAddress! + initialized, size - initialized)
            if n < 0 { if errno == EINTR { continue }; failed = true; break }
            if n == 0 { break }
            initialized += n
        }
    }
    if failed { return nil }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { break }
        result.append(contentsOf: chunk[0..<n])
    }
    return result
}

/// Writes `text` to `path` whole or not at all: a temporary file in the same directory (never through a
/// symbolic link planted at its name), flushed, then renamed over `path`.
func writeFileAtomically(_ path: String, _ text: String) -> Bool {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return false }
    var bytes = Array(text.utf8)
    var offset = 0
    var ok = true
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 { if errno == EINTR { continue }; ok = false; break }
        offset += n
    }
    if ok, fsync(fd) != 0 { ok = false }
    if close(fd) != 0 { ok = false }
    if ok, rename(temporary, path) == 0 { return true }
    unlink(temporary)
    return false
}
