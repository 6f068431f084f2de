/// Lines and columns of UTF-8 text: the one place byte offsets become the 1-based line and character column
/// that diagnostics print (the `.vpc` source text, JSON import errors and CIDR lists all use it).
///
/// A column counts characters as Unicode scalars: every byte that is not a UTF-8 continuation byte
/// (`10xxxxxx`) starts one. The functions are `@inlinable` and scan bytes only, so callers on byte-scanning
/// paths (the CIDR-list reader) pay no more than their own loop did.
public enum TextPosition {
    /// The number of characters (Unicode scalars) in `bytes[from..<to]`.
    @inlinable
    public static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0
        var i = max(0, from)
        let end = min(to, bytes.count)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    /// The 1-based character column of byte `offset` on the line that starts at byte `lineStart`.
    @inlinable
    public static func column(_ bytes: UnsafeBufferPointer<UInt8>, lineStart: Int, offset: Int) -> Int {
        1 + characterCount(bytes, from: lineStart, to: offset)
    }

    /// The byte offset where the line holding byte `offset` begins (just after the previous `\n`).
    @inlinable
    public static func lineStart(_ bytes: UnsafeBufferPointer<UInt8>, before offset: Int) -> Int {
        var i = min(max(0, offset), bytes.count)
        while i > 0, bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// The byte offset of the `\n` ending the line holding byte `offset` (or the end of the text).
    @inlinable
    public static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int {
        var i = min(max(0, offset), bytes.count)
        while i < bytes.count, bytes[i] != 0x0A { i += 1 }
        return i
    }

    /// The 1-based line and character column of byte `offset`, scanning from the start of the text (for
    /// error paths without a line table; an offset past the end is clamped to it).
    @inlinable
    public static func lineColumn(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1, i = 0
        let end = min(max(0, offset), bytes.count)
        while i < end {
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }
}
