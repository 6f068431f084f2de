import TestSupport
import NetworkModel
import Reporting

/// Files of the repository (examples, goldens, the language contract).
enum Fixtures {
    /// The package root, from this file's path.
    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func read(_ relative: String) -> String {
        fileText(root + "/" + relative) ?? ""
    }

    static func list(_ directory: String, suffix: String) -> [String] {
        let names = folderEntries(root + "/" + directory)
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// The language contract's example (before its grammar additions); falls back to nothing when the shared folder is absent.
    static let contract: String = languageContractExample() ?? ""

    /// Parses and validates, returning the topology and diagnostics.
    static func load(_ text: String, file: String = "test.vpc") -> (Topology, [Diagnostic]) {
        let r = TopologyLoader.load(text, file: file)
        return (r.topology, r.diagnostics)
    }

    /// The messages of `text`'s diagnostics.
    static func messages(_ text: String) -> [String] { load(text).1.map(\.message) }
}
