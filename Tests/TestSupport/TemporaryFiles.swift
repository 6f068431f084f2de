// Temporary folders for tests that write files (FileIO, the in-process CLI tests).
#if canImport(Glibc)
import Glibc
#endif

/// A fresh empty folder under /tmp, named `/tmp/PREFIX-XXXXXX`.
public func temporaryFolder(prefix: String = "vpckit-test") -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// The names in `folder` (hidden ones too), sorted; empty when it cannot be read.
public func folderEntries(_ folder: String) -> [String] {
    guard let dir = opendir(folder) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
            ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

/// Removes `path` and everything under it (a test's temporary folder); symbolic links are removed, never followed.
public func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for name in folderEntries(path) { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

/// The bytes of the file at `path`, or nil when it cannot be opened.
public func fileBytes(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// The text of the file at `path` (UTF-8, invalid bytes replaced), or nil when it cannot be opened.
public func fileText(_ path: String) -> String? {
    fileBytes(path).map { String(decoding: $0, as: UTF8.self) }
}

/// Why a file-system set-up step of a test failed: the call and its errno.
public struct FileSetupError: Error, CustomStringConvertible {
    public var call: String
    public var path: String
    public var code: Int32
    public var description: String { "\(call) \(path): errno \(code)" }
}

/// Creates the folder `path` and any missing parents (like `mkdir -p`).
public func makeFolders(_ path: String) throws(FileSetupError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        prefix += "/" + part
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw FileSetupError(call: "mkdir", path: prefix, code: errno) }
    }
}

/// Creates a symbolic link at `path` pointing to `destination`.
public func makeSymbolicLink(at path: String, to destination: String) throws(FileSetupError) {
    if symlink(destination, path) != 0 { throw FileSetupError(call: "symlink", path: path, code: errno) }
}
