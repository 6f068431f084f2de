import Reporting

/// The text of one topology file as UTF-8 bytes, with line starts, for diagnostics that show the source line.
public struct SourceText: Sendable {
    /// The file name diagnostics print.
    public let file: String
    /// The UTF-8 bytes.
    public let bytes: [UInt8]
    /// Byte offset where each line begins (line 1 at index 0).
    public let lineStarts: [Int]

    /// Wraps `text` (no copy beyond the UTF-8 array).
    public init(_ text: String, file: String) {
        self.init(bytes: Array(text.utf8), file: file)
    }

    /// Wraps UTF-8 bytes.
    public init(bytes: [UInt8], file: String) {
        self.file = file
        self.bytes = bytes
        lineStarts = SourceText.lineStarts(bytes)
    }

    /// Offset 0 and the offset after each newline, scanning eight bytes at a time (a 14 MB file: 250,000 lines).
    static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        bytes.withUnsafeBytes { raw in
            let count = raw.count
            let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            var i = 0
            while i + 8 <= count {
                // Bytes equal to '\n' become zero; the high bit of each byte of `zero` is set exactly for those
                // (no borrow between bytes, so no false positives).
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                var zero = ~(((w & low7) &+ low7) | w | low7)
                while zero != 0 {
                    starts.append(i + zero.trailingZeroBitCount / 8 + 1)
                    zero &= zero &- 1
                }
                i += 8
            }
            while i < count {
                if raw[i] == 0x0A { starts.append(i + 1) }
                i += 1
            }
        }
        return starts
    }

    /// The number of lines.
    public var lineCount: Int { lineStarts.count }

    /// Byte range of `line` (1-based) without its newline (and without a trailing `\r`).
    public func byteRange(ofLine line: Int) -> Range<Int>? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return start..<max(start, end)
    }

    /// The text of `line` (1-based) without its newline.
    public func lineText(_ line: Int) -> String? {
        guard let r = byteRange(ofLine: line) else { return nil }
        return String(decoding: bytes[r], as: UTF8.self)
    }

    /// The 1-based character column of byte `offset` on `line`.
    public func column(ofByte offset: Int, line: Int) -> Int {
        guard line >= 1, line <= lineStarts.count else { return 1 }
        let start = lineStarts[line - 1]
        return bytes.withUnsafeBufferPointer { TextPosition.column($0, lineStart: start, offset: offset) }
    }

    /// The 1-based line holding byte `offset`.
    public func line(ofByte offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// A diagnostic pointing at byte range `range` of the text.
    public func diagnostic(_ message: String, at range: Range<Int>, hint: String? = nil,
                           severity: Diagnostic.Severity = .error, id: String = "") -> Diagnostic {
        let line = line(ofByte: range.lowerBound)
        let column = column(ofByte: range.lowerBound, line: line)
        let length = bytes.withUnsafeBufferPointer {
            TextPosition.characterCount($0, from: range.lowerBound, to: range.upperBound)
        }
        return Diagnostic(id: id, severity: severity, file: file, line: line, column: column, length: length,
                          message: message, sourceLine: lineText(line), hint: hint)
    }

    /// A diagnostic at `location`, underlining the first whole-word occurrence of `word` at or after the
    /// location's column on its line (or the location itself when the word is not there).
    public func diagnostic(_ message: String, at location: SourceLocation, word: String?, hint: String? = nil,
                           severity: Diagnostic.Severity = .error, id: String = "") -> Diagnostic {
        guard let lineRange = byteRange(ofLine: location.line) else {
            return Diagnostic(id: id, severity: severity, file: file,
                              line: location.line, column: location.column, message: message, hint: hint)
        }
        // Byte offset of the location's column.
        var start = lineRange.lowerBound
        var column = 1
        while start < lineRange.upperBound, column < location.column {
            start += 1
            if start < lineRange.upperBound, bytes[start] & 0xC0 != 0x80 { column += 1 }
        }
        if let word, !word.isEmpty {
            // The word on the location's line, else on the lines that follow (a block's body), comments excluded.
            let needle = Array(word.utf8)
            var from = start
            var line = location.line
            while line <= min(lineCount, location.line + 2000), let range = byteRange(ofLine: line) {
                var to = max(from, range.lowerBound)
                while to < range.upperBound, bytes[to] != UInt8(ascii: "#") { to += 1 }
                if let found = SourceText.find(needle, in: bytes, from: max(from, range.lowerBound), to: to) {
                    return diagnostic(message, at: found..<(found + needle.count), hint: hint, severity: severity, id: id)
                }
                line += 1
                from = 0
            }
        }
        let end = SourceText.wordEnd(bytes, from: start, limit: lineRange.upperBound)
        return diagnostic(message, at: start..<max(end, start + 1), hint: hint, severity: severity, id: id)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "{") || b == UInt8(ascii: "}")
          || b == UInt8(ascii: "#"))
    }

    static func wordEnd(_ bytes: [UInt8], from: Int, limit: Int) -> Int {
        var i = from
        while i < limit, isWordByte(bytes[i]) { i += 1 }
        return i
    }

    /// First offset in `from..<to` where `needle` occurs as a whole word.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard !needle.isEmpty, to - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= to {
            if bytes[i] == needle[0], (i == 0 || !isWordByte(bytes[i - 1])) {
                var match = true
                for k in 1..<needle.count where bytes[i + k] != needle[k] { match = false; break }
                if match, i + needle.count == to || !isWordByte(bytes[i + needle.count]) { return i }
            }
            i += 1
        }
        return nil
    }
}
