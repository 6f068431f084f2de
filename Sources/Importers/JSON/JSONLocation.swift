// Turning a JSON error's byte offset into a line, a column and a caret under the offending value.
//
// The document keeps no source text (only strings' and numbers' bytes), so this runs on the error path only,
// over the text read again by whoever has it (the CLI maps the file once more).

import NetworkModel
import Reporting

/// Places imported resources where their JSON came from: a ``SourceLocation`` in the topology's file table
/// naming the document's file (as the user gave it) and the line and column of the value's first byte.
///
/// Each document's file is added to the table once (the last document's index is kept, the rest in a
/// dictionary), and a place is two binary searches in the document's line table (``JSONDocument/lines``): no
/// rescan of any text per resource.
struct JSONLocator {
    private var lastDocument: ObjectIdentifier?
    private var lastIndex: UInt32 = 0
    private var indices: [ObjectIdentifier: UInt32] = [:]

    /// The location of `value` in `files` (its file added on first use).
    mutating func location(of value: JSONCursor, in files: inout SourceFileTable) -> SourceLocation {
        let document = value.document
        let key = ObjectIdentifier(document)
        let index: UInt32
        if key == lastDocument {
            index = lastIndex
        } else if let known = indices[key] {
            index = known
        } else {
            index = files.index(of: document.file, kind: .json)
            indices[key] = index
        }
        lastDocument = key
        lastIndex = index
        let (line, column) = value.lineColumn
        return SourceLocation(fileIndex: index, line: line, column: column)
    }
}

extension JSONError {
    /// This error with ``line`` and ``column`` found from ``offset`` in `source`, the text the document was
    /// parsed from. Unchanged when it has no offset, already has a line, or `source` is shorter than the offset
    /// (the file changed since).
    public func located(in source: UnsafeBufferPointer<UInt8>) -> JSONError {
        guard line == 0, let offset, offset <= source.count else { return self }
        var copy = self
        (copy.line, copy.column) = TextPosition.lineColumn(source, offset: offset)
        return copy
    }

    /// The error as a compiler-style diagnostic: `file:line:column: error: $.path: message`, the source line and
    /// a caret under the value (a scalar is underlined whole, a container at its bracket). Without `source`, or
    /// without a place, a whole-file diagnostic (`file: error: $.path: message`).
    ///
    /// - Parameter shownPath: the path as printed, when the caller shortens long ones; ``path`` otherwise.
    public func diagnostic(source: UnsafeBufferPointer<UInt8>?, shownPath: String? = nil) -> Diagnostic {
        let text = "\(shownPath ?? path): \(message)"
        guard let source, let offset, offset <= source.count else {
            return Diagnostic(id: id, file: file, line: line, column: column, message: text)
        }
        let located = self.located(in: source)
        let lineStart = TextPosition.lineStart(source, before: offset)
        let lineEnd = TextPosition.lineEnd(source, after: offset)
        let sourceLine = String(decoding: UnsafeBufferPointer(rebasing: source[lineStart..<lineEnd]), as: UTF8.self)
        let length = JSONError.tokenLength(source, at: offset, lineEnd: lineEnd)
        return Diagnostic(id: id, file: file, line: located.line, column: located.column, length: length, message: text,
                          sourceLine: sourceLine)
    }

    /// Characters of the scalar starting at `offset` (a whole string with its quotes, a number, a literal), cut
    /// at the end of its line; 1 for a bracket or anything else.
    static func tokenLength(_ p: UnsafeBufferPointer<UInt8>, at offset: Int, lineEnd: Int) -> Int {
        guard offset < lineEnd else { return 1 }
        var j = offset
        switch p[offset] {
        case 0x22: // "
            j += 1
            while j < lineEnd, p[j] != 0x22 { j += p[j] == 0x5C ? 2 : 1 }
            j = min(j + 1, lineEnd)
        case 0x2D, 0x30...0x39, 0x61...0x7A: // number or literal
            while j < lineEnd, p[j] == 0x2B || p[j] == 0x2D || p[j] == 0x2E || (p[j] >= 0x30 && p[j] <= 0x39) || (p[j] | 0x20 >= 0x61 && p[j] | 0x20 <= 0x7A) {
                j += 1
            }
        default:
            return 1
        }
        return max(1, TextPosition.characterCount(p, from: offset, to: j))
    }
}
