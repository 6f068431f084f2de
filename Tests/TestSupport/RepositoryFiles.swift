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
        guard let f = fopen(path, "rb") else { continue }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
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
