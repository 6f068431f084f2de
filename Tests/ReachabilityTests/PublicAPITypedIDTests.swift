#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport

/// Issue 17: Reachability's public API names components by typed id, never by a raw `Int32` index. Other
/// modules cannot reach the records' internal index fields (a compile-level guarantee for Lint, FlowLogs and the
/// CLI); this pins the declarations themselves: no `public` line in `Sources/Reachability` mentions `Int32`,
/// except the id wrappers' own storage and `RouteLPM<Int32>` (route numbers in a table, not components).
@Suite struct PublicAPITypedIDTests {
    static let allowed: [String] = [
        "public let index: Int32",
        "@inlinable public init(_ index: Int32) { self.index = index }",
        "public var lpm: RouteLPM<Int32>",
    ]

    /// The `.swift` files directly in `folder` (relative to the package root).
    static func swiftFiles(in folder: String) -> [String] {
        guard let dir = opendir(repositoryRoot + "/" + folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".swift") { names.append(folder + "/" + name) }
        }
        return names.sorted()
    }

    @Test func noRawInt32InPublicDeclarations() throws {
        let files = Self.swiftFiles(in: "Sources/Reachability") + Self.swiftFiles(in: "Sources/Reachability/Compile")
        try #require(files.count > 20, "the Reachability sources were not found")
        var offending: [String] = []
        for path in files {
            let text = try #require(repositoryFile(path))
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.drop { $0 == " " }
                if line.hasPrefix("//") || !line.contains("public ") || !line.contains("Int32") { continue }
                if Self.allowed.contains(String(line)) { continue }
                offending.append("\(path):\(n + 1): \(line)")
            }
        }
        #expect(offending.isEmpty, "\(offending.joined(separator: "\n"))")
    }

    /// Protocol numbers are `IPProtocol`'s members (`hasPorts(_:)`, `isICMP(_:)`, the `…Number` constants), not
    /// literals compared with a protocol value.
    @Test func noProtocolLiteralsInComparisons() throws {
        let files = Self.swiftFiles(in: "Sources/Reachability") + Self.swiftFiles(in: "Sources/Reachability/Compile")
        try #require(files.count > 20, "the Reachability sources were not found")
        let literals = ["== 1 ", "== 1)", "== 1,", "== 6 ", "== 6)", "== 17", "== 58", "!= 6 ", "!= 17", "!= 58"]
        var offending: [String] = []
        for path in files {
            let text = try #require(repositoryFile(path))
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.drop { $0 == " " }
                if line.hasPrefix("//") || !(line.contains("rotocol") || line.contains("proto")) { continue }
                if literals.contains(where: { line.contains($0) }) { offending.append("\(path):\(n + 1): \(line)") }
            }
        }
        #expect(offending.isEmpty, "\(offending.joined(separator: "\n"))")
    }
}
