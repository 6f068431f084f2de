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

/// Line and column lookup for many offsets of one text: the line starts, found once, and where the text's
/// UTF-8 continuation bytes are, so that a lookup is two binary searches instead of a scan from the start
/// (``TextPosition/lineColumn(_:offset:)`` per offset would rescan the text each time).
///
/// Columns count characters as ``TextPosition`` does (every byte that is not a continuation byte starts one),
/// so both agree for every offset. A reader that already scans its text (the JSON parser) fills the table as it
/// goes (``addLine(startingAt:)``, ``addContinuationBytes(_:endingBefore:)``); ``init(_:)`` scans a text itself.
public struct TextLineTable: Sendable {
    /// Byte offsets where lines 2, 3, … begin (just after each `\n`), ascending.
    @usableFromInline var lineStarts: [UInt32] = []
    /// (offset, count): `count` continuation bytes lie before byte `offset` in all, ascending in both; only the
    /// places where the count grows are kept (ASCII text keeps none).
    @usableFromInline var continuations: [(offset: UInt32, total: UInt32)] = []

    /// A table of one line and no continuation bytes (fill it with ``addLine(startingAt:)``).
    public init() {}

    /// The table of `bytes`: one pass over the text.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var total: UInt32 = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                lineStarts.append(UInt32(truncatingIfNeeded: i + 1))
            } else if b & 0xC0 == 0x80 {
                total += 1
                continuations.append((UInt32(truncatingIfNeeded: i + 1), total))
            }
        }
    }

    /// Records that a line begins at byte `offset` (after a `\n`); offsets must come in ascending order.
    @inlinable public mutating func addLine(startingAt offset: Int) {
        lineStarts.append(UInt32(truncatingIfNeeded: offset))
    }

    /// Records `count` continuation bytes that lie before byte `offset` and after those recorded so far
    /// (offsets ascending). Lookups of offsets from `offset` on count them; an offset inside the span they were
    /// counted over is placed as if they were all before it (callers count over spans no lookup falls inside,
    /// such as a JSON string).
    public mutating func addContinuationBytes(_ count: Int, endingBefore offset: Int) {
        guard count > 0 else { return }
        let total = (continuations.last?.total ?? 0) &+ UInt32(truncatingIfNeeded: count)
        continuations.append((UInt32(truncatingIfNeeded: offset), total))
    }

    /// The number of lines (at least 1).
    public var lineCount: Int { lineStarts.count + 1 }

    /// The 1-based line and character column of byte `offset` (what ``TextPosition/lineColumn(_:offset:)``
    /// answers for the same text).
    ///
    /// - Complexity: O(log lines + log places with continuation bytes).
    public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
        let target = UInt32(clamping: max(0, offset))
        // Lines whose start is at or before the offset.
        var low = 0, high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] <= target { low = mid + 1 } else { high = mid }
        }
        let lineStart = low == 0 ? 0 : lineStarts[low - 1]
        let bytes = Int(target) - Int(lineStart)
        let skipped = continuationTotal(atOrBefore: target) - continuationTotal(atOrBefore: lineStart)
        return (low + 1, 1 + bytes - Int(skipped))
    }

    /// Continuation bytes recorded before `offset`.
    func continuationTotal(atOrBefore offset: UInt32) -> UInt32 {
        var low = 0, high = continuations.count
        while low < high {
            let mid = (low + high) / 2
            if continuations[mid].offset <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? 0 : continuations[low - 1].total
    }
}
