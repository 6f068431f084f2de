import Reporting

extension TopologyPrinter {
    /// Formats topology source text in the canonical layout and keeps every comment.
    ///
    /// - Whole-line comments stay attached to the statement that follows them (they move with it when the
    ///   canonical order moves it), indented like it; blank lines between them and before the statement are
    ///   kept (at most one).
    /// - An end-of-line comment stays on its statement's line; end-of-line comments on consecutive lines are
    ///   aligned two columns after the longest of those lines. Whole-line comments right below an end-of-line
    ///   comment and indented deeper than a block body would be continue it: they stay below it, in its column.
    /// - Comments before a block's `}` stay at the end of the block; comments after the last statement stay at
    ///   the end of the file. Comments at the top of the file that a blank line separates from the first
    ///   statement (a file header) stay at the top.
    /// - A comment whose statement prints nothing of its own (a repeated `region`) moves to the next statement
    ///   that does; when several end-of-line comments fall on one printed line (a block the layout writes on
    ///   one line), the first stays there and the others go on lines of their own just above it.
    ///
    /// Comment text (from `#` to the end of the line, trailing whitespace dropped) is never changed.
    /// - Returns: the formatted text, or nil and the syntax errors when the source does not parse.
    public static func format(source: SourceText) -> (formatted: String?, diagnostics: [Diagnostic]) {
        let (topology, diagnostics, trivia) = TopologyParser.parseWithTrivia(source)
        guard diagnostics.isEmpty else { return (nil, sortedByPosition(diagnostics)) }
        var sink = PrintSink(trivia: trivia)
        write(topology, to: &sink)
        return (CommentLayout(source: source, lines: sink.lines, comments: trivia.comments).render(), [])
    }

    /// ``format(source:)`` on `text`; `file` is the name diagnostics print.
    public static func format(source text: String, file: String) -> (formatted: String?, diagnostics: [Diagnostic]) {
        format(source: SourceText(text, file: file))
    }
}

/// Places comments among printed lines and renders the result.
struct CommentLayout {
    struct Comment {
        var text: String
        /// A blank line precedes / follows the comment's line in the source.
        var blankBefore: Bool
        var blankAfter: Bool
        /// Whole-line comments right below an end-of-line comment, starting in its column: its continuation.
        var continuation: [String] = []
    }

    /// Where a comment was placed (so that its continuation lines can follow it).
    enum Slot {
        case trailing(Int)
        case leading(Int, Int)
        case atEnd(Int)
    }

    enum Row {
        case blank
        case comment(indent: Int, text: String)
        case code(text: String, trailing: Comment?)
    }

    let lines: [PrintSink.Line]
    var leading: [[Comment]]
    var trailing: [Comment?]
    var atEnd: [Comment] = []
    /// Comments at the top of the file, apart from the first statement by a blank line: they stay on top.
    var header: [Comment] = []

    init(source: SourceText, lines: [PrintSink.Line], comments: [CommentTrivia]) {
        self.lines = lines
        leading = Array(repeating: [], count: lines.count)
        trailing = Array(repeating: nil, count: lines.count)
        // The first printed line standing for each source line.
        var firstPrinted: [Int: Int] = [:]
        for (index, line) in lines.enumerated() {
            for origin in line.origins where firstPrinted[origin] == nil { firstPrinted[origin] = index }
        }
        let printedSourceLines = firstPrinted.keys.sorted()
        let bytes = source.bytes
        func isBlank(_ line: Int) -> Bool {
            guard let range = source.byteRange(ofLine: line) else { return false }
            return bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0C || $0 == 0x0B }
        }
        // The line of the first token after byte `offset` (comments skipped), or nil at the end of the text.
        func nextTokenLine(after offset: Int) -> Int? {
            var i = offset
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "#") {
                    while i < bytes.count, bytes[i] != 0x0A { i += 1 }
                } else if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C || b == 0x0B {
                    i += 1
                } else {
                    return source.line(ofByte: i)
                }
            }
            return nil
        }
        // The file header: whole-line comments before the first token, up to the last one followed by a blank line.
        var headerCount = 0
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        if let first = comments.first, !first.isTrailing, let firstToken = nextTokenLine(after: bom),
           firstToken > first.line {
            for (k, c) in comments.enumerated() {
                guard c.line < firstToken else { break }
                if isBlank(c.line + 1) { headerCount = k + 1 }
            }
        }
        // The column of the first token on `line`.
        func codeColumn(_ line: Int) -> Int {
            guard let range = source.byteRange(ofLine: line) else { return 1 }
            var i = range.lowerBound
            while i < range.upperBound, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            return source.column(ofByte: i, line: line)
        }
        // The end-of-line comment a continuation line may continue: its slot, the last line of it so far, and the
        // column of its statement. A whole-line comment on the next line, indented deeper than a block's body
        // would be, continues it.
        var open: (slot: Slot, line: Int, codeColumn: Int)? = nil
        for (k, c) in comments.enumerated() {
            let column = source.column(ofByte: c.start, line: c.line)
            if !c.isTrailing, let o = open, o.line == c.line - 1, column > o.codeColumn + 2 {
                let text = String(decoding: bytes[c.start..<c.end], as: UTF8.self)
                switch o.slot {
                case .trailing(let i): trailing[i]?.continuation.append(text)
                case .leading(let i, let j): leading[i][j].continuation.append(text)
                case .atEnd(let j): atEnd[j].continuation.append(text)
                }
                open = (o.slot, c.line, o.codeColumn)
                continue
            }
            open = nil
            if k < headerCount {
                let text = String(decoding: bytes[c.start..<c.end], as: UTF8.self)
                header.append(Comment(text: text, blankBefore: false, blankAfter: isBlank(c.line + 1)))
                continue
            }
            let text = String(decoding: bytes[c.start..<c.end], as: UTF8.self)
            if c.isTrailing {
                let moved = Comment(text: text, blankBefore: false, blankAfter: false)
                if let index = firstPrinted[c.line] {
                    if trailing[index] == nil {
                        trailing[index] = moved
                        open = (.trailing(index), c.line, codeColumn(c.line))
                    } else {
                        leading[index].append(moved)
                        open = (.leading(index, leading[index].count - 1), c.line, codeColumn(c.line))
                    }
                    continue
                }
                // Its statement prints nothing of its own: a line of its own before the next statement.
                let slot = place(moved, anchor: nextTokenLine(after: c.end), printedSourceLines, firstPrinted)
                open = (slot, c.line, codeColumn(c.line))
            } else {
                let comment = Comment(text: text, blankBefore: c.line > 1 && isBlank(c.line - 1),
                                      blankAfter: isBlank(c.line + 1))
                _ = place(comment, anchor: nextTokenLine(after: c.end), printedSourceLines, firstPrinted)
            }
        }
    }

    /// Attaches `comment` before the first printed statement at or after source line `anchor`.
    private mutating func place(_ comment: Comment, anchor: Int?, _ printedSourceLines: [Int],
                                _ firstPrinted: [Int: Int]) -> Slot {
        guard let anchor else { atEnd.append(comment); return .atEnd(atEnd.count - 1) }
        var lo = 0
        var hi = printedSourceLines.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if printedSourceLines[mid] < anchor { lo = mid + 1 } else { hi = mid }
        }
        guard lo < printedSourceLines.count, let index = firstPrinted[printedSourceLines[lo]] else {
            atEnd.append(comment)
            return .atEnd(atEnd.count - 1)
        }
        leading[index].append(comment)
        return .leading(index, leading[index].count - 1)
    }

    func render() -> String {
        var rows: [Row] = []
        rows.reserveCapacity(lines.count + trailing.count)
        func group(_ comments: [Comment], indent: Int, beforeEnd: Bool, _ rows: inout [Row]) {
            for (k, c) in comments.enumerated() {
                if k == 0, c.blankBefore, let last = rows.last {
                    switch last {
                    case .blank: break
                    case .code(let text, _) where text.hasSuffix("{"): break
                    default: rows.append(.blank)
                    }
                }
                rows.append(.comment(indent: indent, text: c.text))
                for more in c.continuation { rows.append(.comment(indent: indent, text: more)) }
                if c.blankAfter, !(beforeEnd && k == comments.count - 1) { rows.append(.blank) }
            }
        }
        group(header, indent: 0, beforeEnd: lines.isEmpty && atEnd.isEmpty, &rows)
        for (index, line) in lines.enumerated() {
            if line.text.isEmpty {
                rows.append(.blank)
                continue
            }
            var indent = 0
            for ch in line.text.utf8 { if ch == 0x20 { indent += 1 } else { break } }
            let isClose = line.text.utf8.count == indent + 1 && line.text.utf8.last == UInt8(ascii: "}")
            group(leading[index], indent: isClose ? indent + 2 : indent, beforeEnd: isClose, &rows)
            rows.append(.code(text: line.text, trailing: trailing[index]))
        }
        group(atEnd, indent: 0, beforeEnd: true, &rows)

        // Align end-of-line comments of consecutive lines.
        var out = ""
        var i = 0
        while i < rows.count {
            if case .code(_, let t) = rows[i], t != nil {
                var j = i
                var width = 0
                while j < rows.count, case .code(let text, let t2) = rows[j], t2 != nil {
                    width = max(width, text.count)
                    j += 1
                }
                for k in i..<j {
                    guard case .code(let text, let t?) = rows[k] else { continue }
                    out += text
                    out += String(repeating: " ", count: width - text.count + 2)
                    out += t.text
                    out += "\n"
                    for more in t.continuation {
                        out += String(repeating: " ", count: width + 2) + more + "\n"
                    }
                }
                i = j
                continue
            }
            switch rows[i] {
            case .blank: out += "\n"
            case .comment(let indent, let text): out += String(repeating: " ", count: indent) + text + "\n"
            case .code(let text, _): out += text + "\n"
            }
            i += 1
        }
        return out
    }
}
