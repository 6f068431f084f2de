/// One token of the `.vpc` language: a word (anything between whitespace, braces and comments) or a brace.
struct Token: Sendable {
    enum Kind: UInt8, Sendable { case word, openBrace, closeBrace, end }
    var kind: Kind
    /// Byte range in the source.
    var start: Int
    var end: Int
    /// 1-based line.
    var line: Int
    /// Byte offset where the token's line starts.
    var lineStart: Int
    /// True when no other token precedes this one on its line.
    var isFirstOnLine: Bool
}

/// A comment (`#` to the end of its line) the lexer skipped, kept as trivia for `vpckit fmt`.
struct CommentTrivia: Sendable {
    /// Byte range from `#` to the end of the line, trailing whitespace (and `\r`) excluded.
    var start: Int
    var end: Int
    /// 1-based line.
    var line: Int
    /// True when a token precedes the comment on its line (an end-of-line comment).
    var isTrailing: Bool
}

/// A streaming lexer over UTF-8 bytes: no allocation per token. Comments (`#` to end of line) and
/// whitespace are skipped; a word starting with `'` is quoted and runs to its closing `'` on the same line
/// (spaces, braces and `#` inside; `''` stands for one quote); `{` and `}` are tokens of their own even when attached to a word. With
/// `recordsComments` the skipped comments are kept in ``comments`` (the formatter's trivia).
struct Lexer {
    let bytes: [UInt8]
    private(set) var offset = 0
    private(set) var line = 1
    private(set) var lineStart = 0
    private var sawTokenOnLine = false
    /// Record skipped comments in ``comments``.
    var recordsComments = false
    /// The comments skipped so far, in source order (only with `recordsComments`).
    private(set) var comments: [CommentTrivia] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // Skip a UTF-8 byte-order mark.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// The next token (`.end` at the end, repeatedly).
    mutating func next() -> Token {
        let count = bytes.count
        while offset < count {
            let b = bytes[offset]
            if b == 0x0A {
                offset += 1
                line += 1
                lineStart = offset
                sawTokenOnLine = false
            } else if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                offset += 1
            } else if b == UInt8(ascii: "#") {
                let start = offset
                while offset < count, bytes[offset] != 0x0A { offset += 1 }
                if recordsComments {
                    var end = offset
                    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D
                        || bytes[end - 1] == 0x0C || bytes[end - 1] == 0x0B { end -= 1 }
                    comments.append(CommentTrivia(start: start, end: end, line: line, isTrailing: sawTokenOnLine))
                }
            } else {
                break
            }
        }
        let first = !sawTokenOnLine
        guard offset < count else {
            return Token(kind: .end, start: count, end: count, line: line, lineStart: lineStart, isFirstOnLine: first)
        }
        sawTokenOnLine = true
        let start = offset
        let b = bytes[offset]
        if b == UInt8(ascii: "{") {
            offset += 1
            return Token(kind: .openBrace, start: start, end: offset, line: line, lineStart: lineStart, isFirstOnLine: first)
        }
        if b == UInt8(ascii: "}") {
            offset += 1
            return Token(kind: .closeBrace, start: start, end: offset, line: line, lineStart: lineStart, isFirstOnLine: first)
        }
        if b == 0x27 {  // `'…'`: a quoted word runs to the closing quote on its line (`''` is one quote).
            offset += 1
            while offset < count {
                let c = bytes[offset]
                if c == 0x0A || c == 0x0D { break }
                offset += 1
                if c == 0x27 {
                    if offset < count, bytes[offset] == 0x27 { offset += 1; continue }
                    break
                }
            }
            return Token(kind: .word, start: start, end: offset, line: line, lineStart: lineStart, isFirstOnLine: first)
        }
        while offset < count {
            let c = bytes[offset]
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C || c == 0x0B
                || c == UInt8(ascii: "{") || c == UInt8(ascii: "}") || c == UInt8(ascii: "#") { break }
            offset += 1
        }
        return Token(kind: .word, start: start, end: offset, line: line, lineStart: lineStart, isFirstOnLine: first)
    }
}
