// A fast, allocation-light JSON reader for importer inputs: UTF-8 bytes in, a flat tape of nodes out.
//
// The parser makes one pass over the bytes and records every value as a 16-byte node in one array: containers
// know where their subtree ends, so skipping a value is O(1), and strings stay bytes until asked for.
// Errors name the JSON path (`$.RouteTables[3].Routes[1]`): paths are computed only when something fails.

import Diagnostics

/// The kind of a JSON value.
public enum JSONKind: UInt8, Sendable, CustomStringConvertible {
    case null, bool, number, string, array, object
    /// `a string`, `an object`, … for error messages.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One value on the tape: 16 bytes (it was 12 before the source offset was kept).
@usableFromInline
struct JSONNode: Sendable {
    /// `JSONKind.rawValue`; bit 7 set: a string containing escapes (or a `true` boolean).
    @usableFromInline var kindAndFlags: UInt8
    /// Scalars: first byte in the document's string heap. Containers: number of children (members for objects).
    @usableFromInline var start: UInt32
    /// Scalars: one past the last byte in the heap. Containers: the index of the node after the subtree (a
    /// scalar's subtree ends at the next index).
    @usableFromInline var end: UInt32
    /// Byte offset in the source text of the value's first byte (a string's opening quote, a container's
    /// bracket), so an error about the value can name its line and column (``JSONError/located(in:)``).
    @usableFromInline var source: UInt32

    @inlinable init(kindAndFlags: UInt8, start: UInt32, end: UInt32, source: UInt32) {
        self.kindAndFlags = kindAndFlags
        self.start = start
        self.end = end
        self.source = source
    }

    @inlinable var kind: JSONKind { JSONKind(rawValue: kindAndFlags & 0x7F) ?? .null }
    @inlinable var flag: Bool { kindAndFlags & 0x80 != 0 }
    @inlinable var isContainer: Bool { kindAndFlags & 0x7F >= JSONKind.array.rawValue }
}

extension Array where Element == JSONNode {
    /// The index after the subtree of node `i`.
    @inlinable func next(_ i: Int) -> Int {
        let n = self[i]
        return n.isContainer ? Int(n.end) : i + 1
    }
}

/// A malformed document or a value of the wrong shape: the file, the JSON path and what is wrong.
///
/// A thrown error that carries its ``Diagnostic`` (id, file, line, column, message); ``diagnostic(source:shownPath:)``
/// adds the JSON path, the source line and the caret.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error as a diagnostic, without the path (``diagnostic(source:shownPath:)`` is the printed form).
    public var base: Diagnostic
    /// `$.RouteTables[3].Routes[1]`
    public var path: String
    /// Byte offset in the source text of the offending value (or of the syntax error); nil when the error is
    /// about no one place (a whole snapshot, say).
    public var offset: Int?

    /// The stable id (`import-json-syntax`, `import-wrong-type`, `import-bad-value`, …; `Docs/DIAGNOSTICS.md`).
    public var id: String {
        get { base.id }
        set { base.id = newValue }
    }
    public var file: String {
        get { base.file }
        set { base.file = newValue }
    }
    public var message: String {
        get { base.message }
        set { base.message = newValue }
    }
    /// 1-based line and column; 0 until known. A syntax error has them from the parser; an error about a value
    /// has only ``offset`` until ``located(in:)`` reads the source text again (the document does not keep it).
    public var line: Int {
        get { base.line }
        set { base.line = newValue }
    }
    public var column: Int {
        get { base.column }
        set { base.column = newValue }
    }

    public init(id: String = JSONError.badValue, file: String, path: String, message: String, line: Int = 0,
                column: Int = 0, offset: Int? = nil) {
        base = Diagnostic(id: id, file: file, line: line, column: column, message: message)
        self.path = path
        self.offset = offset
    }
    /// `file:line:column: $.path: message` (line and column only once known).
    public var description: String {
        let position = line > 0 ? "\(file):\(line):\(column)" : file
        return "\(position): \(path): \(message)"
    }

    /// The text is not JSON (RFC 8259): the parser's errors.
    public static let syntax = "import-json-syntax"
    /// The file holds nothing but whitespace.
    public static let empty = "import-empty"
    /// A value has the wrong JSON kind (a string where an array belongs, …).
    public static let wrongType = "import-wrong-type"
    /// A value has the right kind but cannot be used (a bad CIDR, an unknown protocol, a missing member, …).
    public static let badValue = "import-bad-value"
    /// A name or id cannot be written as one word of the language.
    public static let unprintableName = "import-unprintable-name"
    /// Every JSON import error id, in `Docs/DIAGNOSTICS.md` order, each with an AWS `describe-*` document that
    /// produces it.
    public static let catalogue: [DiagnosticDescriptor] = [
        DiagnosticDescriptor(id: syntax, summary: "the file is not JSON: the parser stops at the first byte that breaks RFC 8259",
                             example: "{\"Vpcs\": [}\n"),
        DiagnosticDescriptor(id: empty, summary: "the file is empty or holds only whitespace", example: "  \n"),
        DiagnosticDescriptor(id: wrongType, summary: "a value has the wrong JSON kind for its place",
                             example: "{\"Vpcs\": \"vpc-1\"}\n"),
        DiagnosticDescriptor(id: badValue,
                             summary: "a value of the right kind that cannot be imported (a bad CIDR, an unknown protocol, a missing member)",
                             example: "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0/16\"}]}\n"),
        // No input produces it (importers check every name and id as they read it): it guards the printer.
        DiagnosticDescriptor(id: unprintableName, summary: "a name or id that cannot be written as one word of the .vpc language",
                             example: "a VPC named 'a b' (a topology an importer built without checking its names)"),
    ]
}

/// A parsed JSON document: the bytes and the tape. Immutable, so shared freely.
public final class JSONDocument: Sendable {
    /// The file name used in error messages.
    public let file: String
    /// The bytes of every string and number, back to back (the text's whitespace and punctuation are not kept).
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let nodes: [JSONNode]
    /// Where the text's lines begin and where its strings hold non-ASCII text, recorded by the parser: places a
    /// value by line and column (``JSONCursor/lineColumn``) without the text.
    public let lines: TextLineTable

    /// Parses `bytes` as one JSON value (RFC 8259; nesting limited to 512 levels). The document keeps only the
    /// strings and numbers (and a line table: 4 bytes a line), so `bytes` can be released once it is parsed.
    ///
    /// - Throws: `JSONError` naming the line, column and the JSON path where the text stops being JSON.
    /// - Complexity: O(n) in the input; 16 bytes of tape per value plus the strings' and numbers' bytes.
    public convenience init(bytes: [UInt8], file: String) throws(JSONError) {
        let result: Result<JSONDocument, JSONError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONError) { return .success(try JSONDocument(parsing: buffer, file: file)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let d): self.init(file: d.file, heap: d.bytes, nodes: d.nodes, lines: d.lines)
        case .failure(let e): throw e
        }
    }

    /// Parses the bytes in `buffer` (a mapped file, say); nothing of `buffer` is kept.
    public init(parsing buffer: UnsafeBufferPointer<UInt8>, file: String) throws(JSONError) {
        self.file = file
        var parser = JSONParser(count: buffer.count)
        if let failure = parser.parse(buffer) {
            let (line, column) = TextPosition.lineColumn(buffer, offset: failure.offset)
            throw JSONError(id: JSONDocument.isBlank(buffer) ? JSONError.empty : JSONError.syntax, file: file, path: failure.path, message: failure.message, line: line, column: column,
                            offset: failure.offset)
        }
        self.bytes = parser.heap
        self.nodes = parser.nodes
        self.lines = parser.lines
    }

    private init(file: String, heap: [UInt8], nodes: [JSONNode], lines: TextLineTable) {
        self.file = file
        self.bytes = heap
        self.nodes = nodes
        self.lines = lines
    }

    /// The top-level value.
    @inlinable public var root: JSONCursor { JSONCursor(document: self, index: 0) }

    /// True when `bytes` hold only JSON whitespace, after an optional UTF-8 byte-order mark.
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        while i < bytes.count {
            guard bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 else { return false }
            i += 1
        }
        return true
    }

    /// The JSON path of node `target` (`$`, `$.Vpcs[2].CidrBlock`), found by walking down from the root.
    public func path(to target: Int) -> String {
        var out = "$"
        var index = 0
        while index != target {
            let node = nodes[index]
            var child = index + 1
            var found = false
            switch node.kind {
            case .array:
                var position = 0
                while child < Int(node.end) {
                    let next = nodes.next(child)
                    if target >= child && target < next {
                        out += "[\(position)]"
                        index = child
                        found = true
                        break
                    }
                    child = next
                    position += 1
                }
            case .object:
                while child < Int(node.end) {
                    let key = child
                    let value = child + 1
                    let next = nodes.next(value)
                    if target >= key && target < next {
                        out += JSONDocument.pathComponent(string(at: key))
                        index = target == key ? target : value
                        found = true
                        break
                    }
                    child = next
                }
            default: break
            }
            if !found { break }
        }
        return out
    }

    static func pathComponent(_ key: String) -> String {
        var plain = !key.isEmpty
        for b in key.utf8 where !(b == 0x5F || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)) {
            plain = false
        }
        if plain { return "." + key }
        var quoted = "[\""
        for ch in key.unicodeScalars {
            if ch == "\"" || ch == "\\" { quoted += "\\" }
            quoted.unicodeScalars.append(ch)
        }
        return quoted + "\"]"
    }

    /// Decodes the string node at `index` (escapes resolved).
    @usableFromInline func string(at index: Int) -> String {
        let node = nodes[index]
        return bytes.withUnsafeBufferPointer { buffer -> String in
            let slice = UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.end)])
            if !node.flag { return String(decoding: slice, as: UTF8.self) }
            return JSONDocument.unescape(slice)
        }
    }

    static func unescape(_ s: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= s.count else { return nil }
            var v: UInt32 = 0
            for k in at..<at + 4 {
                let c = s[k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while i < s.count {
            let c = s[i]
            if c != 0x5C { out.append(c); i += 1; continue }
            i += 1
            guard i < s.count else { break }
            let e = s[i]
            i += 1
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75:
                guard var v = hex4(i) else { break }
                i += 4
                if v >= 0xD800 && v < 0xDC00, i + 6 <= s.count, s[i] == 0x5C, s[i + 1] == 0x75,
                   let low = hex4(i + 2), low >= 0xDC00 && low < 0xE000 {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                appendScalar(v)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
