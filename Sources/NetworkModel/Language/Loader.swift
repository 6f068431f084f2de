import Reporting

/// Parses and validates topology text in one call: what every command uses for `.vpc` (and `.md`) files.
public enum TopologyLoader {
    /// Parses `text` (a `.vpc` file, or Markdown whose fenced code blocks hold the language when `file` ends
    /// in `.md`) and validates the result.
    /// - Returns: the topology and its diagnostics in source order: every syntax error, or, when the text
    ///   parses, every validation error.
    public static func load(_ text: String, file: String) -> (topology: Topology, diagnostics: [Diagnostic]) {
        let source: SourceText
        if file.hasSuffix(".md") || file.hasSuffix(".markdown") {
            source = SourceText(bytes: MarkdownBlocks.extract(Array(text.utf8)), file: file)
        } else {
            source = SourceText(text, file: file)
        }
        return load(source)
    }

    /// Parses and validates UTF-8 bytes (no copy into a `String`); Markdown when `file` ends in `.md`.
    public static func load(bytes: [UInt8], file: String) -> (topology: Topology, diagnostics: [Diagnostic]) {
        load(source(bytes: bytes, file: file))
    }

    /// The source the loader parses for `bytes` of `file`: the bytes, or a Markdown file's fenced blocks
    /// (other lines blanked, so lines and columns are those of the file).
    public static func source(bytes: [UInt8], file: String) -> SourceText {
        if file.hasSuffix(".md") || file.hasSuffix(".markdown") {
            return SourceText(bytes: MarkdownBlocks.extract(bytes), file: file)
        }
        return SourceText(bytes: bytes, file: file)
    }

    /// Parses and validates an already wrapped source.
    public static func load(_ source: SourceText) -> (topology: Topology, diagnostics: [Diagnostic]) {
        let (topology, syntax) = TopologyParser.parse(source)
        // Validation runs once the file parses: a statement that failed to parse would otherwise cascade into
        // "unknown name" errors for everything that refers to it.
        guard syntax.isEmpty else { return (topology, sortedByPosition(syntax)) }
        return (topology, TopologyValidator.validate(topology, sources: [source.file: source]))
    }
}

/// Fenced code blocks of a Markdown document.
public enum MarkdownBlocks {
    /// The bytes of `markdown` with every line outside a fenced code block (```` ``` ```` with no language, or
    /// `vpc`) blanked, so that lines and columns stay those of the original file. Fence lines are blanked too.
    public static func extract(_ markdown: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(markdown.count)
        var inBlock = false
        var keep = false
        var lineStart = 0
        let count = markdown.count
        while lineStart <= count {
            var lineEnd = lineStart
            while lineEnd < count, markdown[lineEnd] != 0x0A { lineEnd += 1 }
            // Leading spaces before a fence (up to 3, as CommonMark allows).
            var i = lineStart
            while i < lineEnd, i - lineStart < 3, markdown[i] == 0x20 { i += 1 }
            var ticks = 0
            while i + ticks < lineEnd, markdown[i + ticks] == UInt8(ascii: "`") { ticks += 1 }
            if ticks >= 3 {
                if inBlock {
                    inBlock = false
                    keep = false
                } else {
                    inBlock = true
                    var info = i + ticks
                    while info < lineEnd, markdown[info] == 0x20 { info += 1 }
                    var infoEnd = info
                    while infoEnd < lineEnd, markdown[infoEnd] != 0x20, markdown[infoEnd] != 0x0D { infoEnd += 1 }
                    let language = Array(markdown[info..<infoEnd])
                    keep = language.isEmpty || language == Array("vpc".utf8)
                }
            } else if inBlock && keep {
                out.append(contentsOf: markdown[lineStart..<lineEnd])
            }
            if lineEnd < count { out.append(0x0A) }
            lineStart = lineEnd + 1
        }
        return out
    }
}

/// `diagnostics` ordered by file (first appearance), line and column; stable otherwise.
public func sortedByPosition(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    var fileOrder: [String: Int] = [:]
    for d in diagnostics where fileOrder[d.file] == nil { fileOrder[d.file] = fileOrder.count }
    return diagnostics.enumerated().sorted { a, b in
        let x = a.element, y = b.element
        if x.file != y.file { return fileOrder[x.file, default: 0] < fileOrder[y.file, default: 0] }
        if x.line != y.line { return x.line < y.line }
        if x.column != y.column { return x.column < y.column }
        return a.offset < b.offset
    }.map(\.element)
}
