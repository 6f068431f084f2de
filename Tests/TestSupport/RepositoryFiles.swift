#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The package root, from this file's path (`<root>/Tests/TestSupport/RepositoryFiles.swift`).
public let repositoryRoot: String = {
    var path = String(#filePath)
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path
}()

/// The text of a repository file given relative to the package root (`Topologies/three-tier.vpc`), or nil
/// when it cannot be read. Tries the working directory first (`swift test` runs from the package root).
public func repositoryFile(_ relative: String) -> String? {
    for path in [relative, repositoryRoot + "/" + relative] {
        if let text = fileText(path) { return text }
    }
    return nil
}

/// The language contract's example (`Docs/LANGUAGE-CONTRACT.md`, the repository's copy of the shared contract, up
/// to its "## Additions" section), or nil when it cannot be read. The additions section states grammar in fenced blocks (`flow-log NAME on vpc|subnet|…`),
/// which is notation, not a topology, so the example that tests parse, format and check stops before it.
public func languageContractExample() -> String? {
    guard let text = repositoryFile("Docs/LANGUAGE-CONTRACT.md") else { return nil }
    return contractExample(of: text)
}

/// `text` up to its first line starting with `## Additions` (the whole text when there is none).
public func contractExample(of text: String) -> String {
    var kept: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("## Additions") { break }
        kept.append(line)
    }
    return kept.joined(separator: "\n")
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines (Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`).
    public func trimmingWhitespace() -> Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { !$0.isWhitespace }),
              let last = s.lastIndex(where: { !$0.isWhitespace }) else { return s[s.endIndex...] }
        return s[first...last]
    }
}
