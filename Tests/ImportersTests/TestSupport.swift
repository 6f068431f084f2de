#if canImport(Glibc)
import TestSupport
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Importers
import NetworkModel


enum Files {
    /// The directory of this test target.
    static let testsDirectory: String = {
        let file = #filePath
        return String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)])
    }()
    static let fixtures = testsDirectory + "/Fixtures"

    /// The Batfish AWS snapshots: `<repo>/../shared/aws-snapshots/batfish` or `/work/shared/…`.
    static let batfish: String? = {
        let repo = testsDirectory + "/../.."
        for candidate in [repo + "/../shared/aws-snapshots/batfish", "/work/shared/aws-snapshots/batfish"] where isDirectory(candidate) {
            return candidate
        }
        return nil
    }()

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { out.append(name) }
        }
        return out.sorted()
    }

    static func jsonFiles(_ path: String) -> [String] {
        var out: [String] = []
        for name in entries(path) {
            let full = path + "/" + name
            if isDirectory(full) { out += jsonFiles(full) } else if name.hasSuffix(".json") { out.append(full) }
        }
        return out
    }
}

/// Imports every JSON file under `paths` as an AWS snapshot.
func importAWS(_ paths: [String]) throws -> ImportResult {
    var snapshot = AWSSnapshot()
    for path in paths {
        let files = Files.isDirectory(path) ? Files.jsonFiles(path) : [path]
        for file in files {
            let document = try JSONDocument(bytes: Files.read(file) ?? [], file: file)
            try snapshot.add(document)
        }
    }
    return try snapshot.makeTopology(source: paths.joined(separator: " "))
}

/// Parses an in-memory document set: file name → JSON text.
func importAWS(documents: [(String, String)]) throws(JSONError) -> ImportResult {
    var snapshot = AWSSnapshot()
    for (file, text) in documents { try snapshot.add(try JSONDocument(bytes: Array(text.utf8), file: file)) }
    return try snapshot.makeTopology()
}

/// Errors of the validator for `topology`.
func validationErrors(_ topology: Topology) -> [String] {
    TopologyValidator.validate(topology).filter { $0.severity == .error }.map(\.message)
}

/// print → parse gives the same model (locations are ignored by equality).
func roundTrips(_ topology: Topology) -> (Bool, [String]) {
    let text = TopologyPrinter.format(topology)
    let (parsed, diagnostics) = TopologyParser.parse(text, file: "roundtrip.vpc")
    return (parsed == topology, diagnostics.map(\.message))
}
