import Reporting

/// Turns statement-level changes ("add this statement to that block", "delete the statement at this place")
/// into ``TextEdit``s on one source file, so that lint fix-its are data a tool can apply. Statements are found
/// by the lexer (the language is line-based: a statement runs to the end of its line, a `}`, or the next
/// statement keyword of a block written on the same line; a statement with a block runs to its closing brace).
///
/// Every method returns nil when the location does not start a statement of this source.
public struct SourceEditor: Sendable {
    public let source: SourceText
    /// The source's index in the file table of the topology whose locations this editor is given (nil when
    /// the table does not name it: no location is then in this source).
    let fileIndex: UInt32?
    let tokens: [Token]
    /// For each brace token, the index of its partner (-1 for an unmatched brace or a word).
    let partner: [Int32]

    /// Words that start a statement in some block; a statement written on the same line as another ends
    /// before one of these. Statement modifiers that are also keywords (`id`, `ipv6`, an instance's `tag`, an
    /// endpoint's `policy`) are left out.
    static let statementWords: Set<String> = {
        let lists = [Keywords.topLevel, Keywords.vpc, Keywords.routeTable, Keywords.securityGroup, Keywords.networkACL,
                     Keywords.instanceBody, Keywords.transitGateway, Keywords.tgwRouteTable, Keywords.dxGatewayBody,
                     Keywords.onPremisesBody]
        return Set(lists.flatMap { $0 }).subtracting(["id", "ipv6", "tag", "policy"])
    }()
    /// The keywords a located resource's name may follow (``index(at:)``): the statement words, and `tag` and
    /// `policy`, which start statements of their own when first on their line.
    static let leadingWords: Set<String> = statementWords.union(["tag", "policy"])

    /// An editor of `source` for locations of a topology whose file table is `files` (a location is in this
    /// source when `files` names it `source.file`).
    public init(_ source: SourceText, files: SourceFileTable) {
        self.source = source
        fileIndex = files.names.firstIndex(of: source.file).map { UInt32($0) }
        var lexer = Lexer(bytes: source.bytes)
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            if t.kind == .end { break }
            tokens.append(t)
        }
        var partner = [Int32](repeating: -1, count: tokens.count)
        var open: [Int] = []
        for (i, t) in tokens.enumerated() {
            switch t.kind {
            case .openBrace: open.append(i)
            case .closeBrace:
                if let o = open.popLast() { partner[o] = Int32(i); partner[i] = Int32(o) }
            default: break
            }
        }
        self.tokens = tokens
        self.partner = partner
    }

    /// The index of the token starting at byte `offset` (tokens are in source order: a binary search).
    func token(startingAt offset: Int) -> Int? {
        var lo = 0, hi = tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tokens[mid].start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo < tokens.count && tokens[lo].start == offset ? lo : nil
    }

    // MARK: Changes

    /// Adds `statement` as the first statement of the block whose header starts at `block` (a `vpc`,
    /// `route-table`, `network-acl`… line): on a line of its own after the `{` line, indented like the block's
    /// body, or after the `{` when the block is written on one line.
    public func insert(_ statement: String, intoBlockAt block: SourceLocation) -> TextEdit? {
        insert([statement], intoBlockAt: block)
    }

    /// Adds `statements`, in order, as the first statements of the block whose header starts at `block` (one
    /// edit, so that tools applying it cannot reorder them).
    public func insert(_ statements: [String], intoBlockAt block: SourceLocation) -> TextEdit? {
        guard !statements.isEmpty else { return nil }
        guard let i = index(at: block), let open = openBrace(of: i) else { return nil }
        let next = open + 1
        guard next < tokens.count else { return nil }
        if tokens[next].isFirstOnLine {
            let line = tokens[open].line + 1
            let indent: String
            if tokens[next].kind == .closeBrace {
                indent = indentation(ofLine: tokens[i].line) + "  "
            } else {
                indent = indentation(ofLine: tokens[next].line)
            }
            // The file's own line ending (a CRLF file gets CRLF).
            let crlf = source.byteRange(ofLine: tokens[open].line).map { $0.upperBound < source.bytes.count && source.bytes[$0.upperBound] == 0x0D } ?? false
            let newline = crlf ? "\r\n" : "\n"
            return TextEdit(file: source.file, startLine: line, startColumn: 1, endLine: line, endColumn: 1,
                            text: statements.map { indent + $0 + newline }.joined())
        }
        return edit(tokens[open].end..<tokens[open].end, statements.map { " " + $0 }.joined())
    }

    /// Deletes the statement starting at `location` (with its block, if it has one): its whole lines when
    /// nothing else is written on them, else its words and the space before them.
    public func delete(statementAt location: SourceLocation) -> TextEdit? {
        guard let i = index(at: location) else { return nil }
        let last = statementEnd(i, throughBlock: true)
        let alone = tokens[i].isFirstOnLine && (last + 1 == tokens.count || tokens[last + 1].isFirstOnLine)
        if alone {
            let firstLine = tokens[i].line, lastLine = tokens[last].line
            let start = source.lineStarts[firstLine - 1]
            let end = lastLine < source.lineStarts.count ? source.lineStarts[lastLine] : source.bytes.count
            return edit(start..<end, "")
        }
        let start = i > 0 ? tokens[i - 1].end : tokens[i].start
        return edit(start..<tokens[last].end, "")
    }

    /// Appends `words` to the statement starting at `location` (before its `{` when it has a block).
    public func append(_ words: String, toStatementAt location: SourceLocation) -> TextEdit? {
        guard let i = index(at: location) else { return nil }
        let last = statementEnd(i, throughBlock: false)
        return edit(tokens[last].end..<tokens[last].end, " " + words)
    }

    /// Removes the word `word` (and the space before it) from the statement starting at `location`.
    public func remove(word: String, fromStatementAt location: SourceLocation) -> TextEdit? {
        guard let i = index(at: location) else { return nil }
        let last = statementEnd(i, throughBlock: false)
        guard let k = (i + 1...max(i + 1, last)).first(where: { $0 <= last && text(tokens[$0]) == word }) else { return nil }
        return edit(tokens[k - 1].end..<tokens[k].end, "")
    }

    /// Replaces the last word equal to `word` in the statement starting at `location` with `replacement`.
    public func replace(word: String, with replacement: String, inStatementAt location: SourceLocation) -> TextEdit? {
        guard let i = index(at: location) else { return nil }
        let last = statementEnd(i, throughBlock: false)
        guard let k = (i...last).last(where: { text(tokens[$0]) == word }) else { return nil }
        return edit(tokens[k].start..<tokens[k].end, replacement)
    }

    /// The source with `edits` applied (edits for other files are ignored), or nil when two edits overlap or
    /// one points outside the text.
    public static func apply(_ edits: [TextEdit], to source: SourceText) -> [UInt8]? {
        var ranges: [(Range<Int>, [UInt8], Int)] = []
        for (n, e) in edits.enumerated() where e.file == source.file {
            guard let start = source.offset(line: e.startLine, column: e.startColumn),
                  let end = source.offset(line: e.endLine, column: e.endColumn), start <= end else { return nil }
            ranges.append((start..<end, Array(e.text.utf8), n))
        }
        // Insertions at one place go in the order given.
        ranges.sort { ($0.0.lowerBound, $0.0.upperBound, $0.2) < ($1.0.lowerBound, $1.0.upperBound, $1.2) }
        var out: [UInt8] = []
        var at = 0
        for (range, text, _) in ranges {
            guard range.lowerBound >= at else { return nil }
            out += source.bytes[at..<range.lowerBound]
            out += text
            at = range.upperBound
        }
        out += source.bytes[at...]
        return out
    }

    // MARK: Tokens

    func text(_ t: Token) -> String { String(decoding: source.bytes[t.start..<t.end], as: UTF8.self) }

    /// The first token of the statement at `location` in this file: the token there when it is a statement
    /// keyword (`inbound`, `route`), else the keyword just before it (a resource's location is its name:
    /// `security-group web`).
    func index(at location: SourceLocation) -> Int? {
        guard location.fileIndex == fileIndex, let offset = source.offset(line: location.line, column: location.column),
              let k = token(startingAt: offset) else { return nil }
        if SourceEditor.leadingWords.contains(text(tokens[k])) { return k }
        if k > 0, !tokens[k].isFirstOnLine, tokens[k - 1].kind == .word, SourceEditor.leadingWords.contains(text(tokens[k - 1])) {
            return k - 1
        }
        return k
    }

    /// The `{` of the block statement starting at token `i`.
    func openBrace(of i: Int) -> Int? {
        var k = i + 1
        while k < tokens.count, !tokens[k].isFirstOnLine {
            if tokens[k].kind == .openBrace { return k }
            if tokens[k].kind == .closeBrace { return nil }
            k += 1
        }
        return nil
    }

    /// The last token of the statement starting at token `i`: its block's `}` (`throughBlock`), or its last
    /// word before a `{`, a `}`, the end of the line or the next statement keyword.
    func statementEnd(_ i: Int, throughBlock: Bool) -> Int {
        var last = i
        var k = i + 1
        while k < tokens.count, !tokens[k].isFirstOnLine {
            let t = tokens[k]
            if t.kind == .openBrace {
                if throughBlock, partner[k] >= 0 { return Int(partner[k]) }
                return last
            }
            if t.kind == .closeBrace { return last }
            if SourceEditor.statementWords.contains(text(t)) { return last }
            last = k
            k += 1
        }
        return last
    }

    func indentation(ofLine line: Int) -> String {
        guard let range = source.byteRange(ofLine: line) else { return "" }
        var end = range.lowerBound
        while end < range.upperBound, source.bytes[end] == 0x20 || source.bytes[end] == 0x09 { end += 1 }
        return String(decoding: source.bytes[range.lowerBound..<end], as: UTF8.self)
    }

    func edit(_ range: Range<Int>, _ text: String) -> TextEdit {
        let startLine = source.line(ofByte: range.lowerBound)
        let endLine = source.line(ofByte: range.upperBound)
        return TextEdit(file: source.file, startLine: startLine, startColumn: source.column(ofByte: range.lowerBound, line: startLine),
                        endLine: endLine, endColumn: source.column(ofByte: range.upperBound, line: endLine), text: text)
    }
}

extension SourceText {
    /// The byte offset of 1-based (`line`, `column`) (columns count characters), or nil outside the text. The
    /// column just past a line's last character (its newline) is valid; so is line `lineCount + 1`, column 1,
    /// when the text ends with a newline.
    public func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, column >= 1 else { return nil }
        if line > lineStarts.count { return nil }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        var i = start
        var c = 1
        while c < column {
            guard i < end else { return nil }
            i += 1
            while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
            c += 1
        }
        return i
    }
}

// MARK: Suppression comments

/// A `# vpckit:ignore RULE-ID[,RULE-ID…] reason` comment and the statement it is about.
///
/// The comment suppresses findings of the named rules located on the statement: the statement on the same line
/// (a trailing comment), or the first statement below a comment that has a line of its own (only comment
/// lines may come between). When that statement opens a block (`network-acl edge {`, `vpc prod {`), findings
/// anywhere inside the block, up to its closing brace, are suppressed too.
public struct IgnoreComment: Hashable, Sendable {
    public var file: String
    /// Where the comment (`#`) is.
    public var line: Int
    public var column: Int
    /// Byte range of the comment in its source (for diagnostics).
    public var range: Range<Int>
    /// Byte range of the rule-id list.
    public var idsRange: Range<Int>
    /// The rule ids, as written.
    public var ruleIDs: [String]
    /// The reason after the ids; nil when there is none.
    public var reason: String?
    /// The lines whose findings it suppresses (empty when no statement follows the comment).
    public var coveredLines: ClosedRange<Int>?

    /// Every suppression comment of `source`, in order. Comments that start with `# vpckit:ignore` but name no
    /// rule come back with an empty ``ruleIDs`` (the linter warns about them).
    public static func scan(_ source: SourceText) -> [IgnoreComment] {
        let marker = Array("vpckit:ignore".utf8)
        // Cheap test first: most files have no suppression at all.
        guard source.bytes.count >= marker.count, contains(source.bytes, marker) else { return [] }
        var lexer = Lexer(bytes: source.bytes)
        lexer.recordsComments = true
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            if t.kind == .end { break }
            tokens.append(t)
        }
        // Brace partners, and the first `{` of each line with its closing line.
        var blockEnd: [Int: Int] = [:]
        var open: [Token] = []
        for t in tokens {
            if t.kind == .openBrace { open.append(t) }
            if t.kind == .closeBrace, let o = open.popLast() { blockEnd[o.line] = max(blockEnd[o.line] ?? 0, t.line) }
        }
        let commentOnlyLines = Set(lexer.comments.filter { !$0.isTrailing }.map(\.line))
        var tokenLines: [Int] = []
        for t in tokens where tokenLines.last != t.line { tokenLines.append(t.line) }
        var result: [IgnoreComment] = []
        for c in lexer.comments {
            // `#`, optional spaces, `vpckit:ignore`, then space-separated ids and the reason.
            var i = c.start + 1
            while i < c.end, source.bytes[i] == 0x20 || source.bytes[i] == 0x09 { i += 1 }
            guard c.end - i >= marker.count, source.bytes[i..<(i + marker.count)].elementsEqual(marker) else { continue }
            i += marker.count
            guard i == c.end || source.bytes[i] == 0x20 || source.bytes[i] == 0x09 else { continue }
            while i < c.end, source.bytes[i] == 0x20 || source.bytes[i] == 0x09 { i += 1 }
            let idsStart = i
            while i < c.end, source.bytes[i] != 0x20, source.bytes[i] != 0x09 { i += 1 }
            let ids = String(decoding: source.bytes[idsStart..<i], as: UTF8.self)
                .split(separator: ",").map(String.init)
            while i < c.end, source.bytes[i] == 0x20 || source.bytes[i] == 0x09 { i += 1 }
            let reason = i < c.end ? String(decoding: source.bytes[i..<c.end], as: UTF8.self) : nil
            // The statement: this line (trailing), else the next line with a token, past comment lines only.
            var statementLine: Int?
            if c.isTrailing {
                statementLine = c.line
            } else {
                var lo = 0, hi = tokenLines.count
                while lo < hi { let mid = (lo + hi) / 2; if tokenLines[mid] <= c.line { lo = mid + 1 } else { hi = mid } }
                if lo < tokenLines.count {
                    let next = tokenLines[lo]
                    if (c.line + 1..<next).allSatisfy(commentOnlyLines.contains) { statementLine = next }
                }
            }
            let covered = statementLine.map { s in s...max(s, blockEnd[s] ?? s) }
            result.append(IgnoreComment(
                file: source.file, line: c.line, column: source.column(ofByte: c.start, line: c.line),
                range: c.start..<c.end, idsRange: idsStart..<(idsStart + ids.joined(separator: ",").utf8.count),
                ruleIDs: ids, reason: reason, coveredLines: covered))
        }
        return result
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
