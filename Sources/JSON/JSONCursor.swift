// Reading values off the tape: typed accessors that fail with the value's JSON path.

/// A value inside a parsed ``JSONDocument``. Cheap to copy; keys and strings are compared as bytes.
public struct JSONCursor: Sendable {
    public let document: JSONDocument
    /// The value's node index on the tape.
    public let index: Int

    @inlinable init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    @usableFromInline var node: JSONNode { document.nodes[index] }

    /// The value's kind.
    public var kind: JSONKind { node.kind }
    /// True for JSON `null`.
    public var isNull: Bool { node.kind == .null }

    /// `$.RouteTables[3].Routes[1]`
    public var path: String { document.path(to: index) }

    /// Byte offset of the value's first byte in the text it was parsed from (a string's opening quote).
    public var sourceOffset: Int { Int(node.source) }

    /// The 1-based line and character column of the value's first byte (a container's bracket, a string's
    /// opening quote) in the text it was parsed from: two binary searches in the document's line table.
    public var lineColumn: (line: Int, column: Int) { document.lines.lineColumn(of: sourceOffset) }

    /// An error about this value: its file, path and place in the source (see ``JSONError/located(in:)``).
    public func error(_ message: String, id: String = JSONError.badValue) -> JSONError {
        JSONError(id: id, file: document.file, path: path, message: message, offset: sourceOffset)
    }

    // MARK: Objects

    /// The member named `key`; nil if this is not an object or has no such member (the first one on duplicates).
    public subscript(key: String) -> JSONCursor? {
        let node = self.node
        guard node.kind == .object else { return nil }
        var key = key
        let found: Int? = key.withUTF8 { k -> Int? in
            document.bytes.withUnsafeBufferPointer { bytes -> Int? in
                document.nodes.withUnsafeBufferPointer { nodes -> Int? in
                    var child = index + 1
                    let end = Int(node.end)
                    let count = k.count
                    let first = count > 0 ? k[0] : 0
                    while child < end {
                        let keyNode = nodes[child]
                        let start = Int(keyNode.start)
                        if !keyNode.flag {
                            if Int(keyNode.end) - start == count && (count == 0 || bytes[start] == first) {
                                var equal = true
                                for i in 1..<max(1, count) where bytes[start + i] != k[i] { equal = false; break }
                                if equal { return child + 1 }
                            }
                        } else if document.string(at: child).utf8.elementsEqual(k) {
                            return child + 1
                        }
                        let value = nodes[child + 1]
                        child = value.isContainer ? Int(value.end) : child + 2
                    }
                    return nil
                }
            }
        }
        return found.map { JSONCursor(document: document, index: $0) }
    }

    /// The object's members in document order (empty for other kinds).
    public var members: [(key: String, value: JSONCursor)] {
        let node = self.node
        guard node.kind == .object else { return [] }
        var out: [(String, JSONCursor)] = []
        out.reserveCapacity(Int(node.start))
        var child = index + 1
        let nodes = document.nodes
        while child < Int(node.end) {
            out.append((document.string(at: child), JSONCursor(document: document, index: child + 1)))
            child = nodes.next(child + 1)
        }
        return out
    }

    // MARK: Arrays

    /// The array's elements (empty for other kinds).
    public var elements: [JSONCursor] {
        let node = self.node
        guard node.kind == .array else { return [] }
        var out: [JSONCursor] = []
        out.reserveCapacity(Int(node.start))
        var child = index + 1
        let nodes = document.nodes
        while child < Int(node.end) {
            out.append(JSONCursor(document: document, index: child))
            child = nodes.next(child)
        }
        return out
    }

    /// Calls `body` with each element of an array, without building an array.
    public func forEachElement(_ body: (JSONCursor) -> Void) {
        let node = self.node
        guard node.kind == .array else { return }
        var child = index + 1
        while child < Int(node.end) {
            body(JSONCursor(document: document, index: child))
            child = document.nodes.next(child)
        }
    }

    /// Number of elements or members (0 for scalars).
    public var count: Int {
        let node = self.node
        return node.kind == .array || node.kind == .object ? Int(node.start) : 0
    }

    // MARK: Scalars

    /// The string value, or nil for other kinds.
    public var stringValue: String? {
        node.kind == .string ? document.string(at: index) : nil
    }

    /// The boolean value, or nil for other kinds.
    public var boolValue: Bool? {
        let node = self.node
        return node.kind == .bool ? node.flag : nil
    }

    /// The integer value of a number without fraction or exponent (or of a string of digits, as AWS sometimes
    /// prints numbers), or nil.
    public var intValue: Int? {
        let node = self.node
        guard node.kind == .number || node.kind == .string, !node.flag else { return nil }
        return document.bytes.withUnsafeBufferPointer { p -> Int? in
            var i = Int(node.start)
            let end = Int(node.end)
            var negative = false
            if i < end && p[i] == 0x2D { negative = true; i += 1 }
            guard i < end else { return nil }
            var value = 0
            while i < end {
                let d = p[i]
                guard d >= 0x30 && d <= 0x39 else { return nil }
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(d - 0x30))
                if o1 || o2 { return nil }
                value = s
                i += 1
            }
            return negative ? -value : value
        }
    }

    /// True when this string equals `text` byte for byte.
    public func stringEquals(_ text: String) -> Bool {
        let node = self.node
        guard node.kind == .string else { return false }
        if node.flag { return document.string(at: index) == text }
        var text = text
        return text.withUTF8 { k in
            guard k.count == Int(node.end) - Int(node.start) else { return false }
            return document.bytes.withUnsafeBufferPointer { p in
                var a = Int(node.start)
                for b in k {
                    if p[a] != b { return false }
                    a += 1
                }
                return true
            }
        }
    }

    // MARK: Typed accessors that fail with a path

    /// The value as a string. - Throws: `JSONError` if it is another kind.
    public func string() throws(JSONError) -> String {
        guard let s = stringValue else { throw error("expected a string, found \(kind)", id: JSONError.wrongType) }
        return s
    }

    /// The value as an integer. - Throws: `JSONError` if it is not an integer.
    public func int() throws(JSONError) -> Int {
        guard let v = intValue else { throw error("expected an integer, found \(kind == .number ? "a non-integer number" : kind.description)", id: JSONError.wrongType) }
        return v
    }

    /// The value as a boolean. - Throws: `JSONError` if it is another kind.
    public func bool() throws(JSONError) -> Bool {
        guard let v = boolValue else { throw error("expected a boolean, found \(kind)", id: JSONError.wrongType) }
        return v
    }

    /// The elements of an array. - Throws: `JSONError` if it is another kind.
    public func array() throws(JSONError) -> [JSONCursor] {
        guard kind == .array else { throw error("expected an array, found \(kind)", id: JSONError.wrongType) }
        return elements
    }

    /// Checks that the value is an object. - Throws: `JSONError` if not.
    public func object() throws(JSONError) -> JSONCursor {
        guard kind == .object else { throw error("expected an object, found \(kind)", id: JSONError.wrongType) }
        return self
    }

    /// The member `key` as a string; nil when absent or null. - Throws: `JSONError` on another kind.
    public func string(_ key: String) throws(JSONError) -> String? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.string()
    }

    /// The member `key` as an integer; nil when absent or null. - Throws: `JSONError` on another kind.
    public func int(_ key: String) throws(JSONError) -> Int? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.int()
    }

    /// The member `key` as a boolean; nil when absent or null. - Throws: `JSONError` on another kind.
    public func bool(_ key: String) throws(JSONError) -> Bool? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.bool()
    }

    /// The member `key` as an array; empty when absent or null. - Throws: `JSONError` on another kind.
    public func array(_ key: String) throws(JSONError) -> [JSONCursor] {
        guard let v = self[key], !v.isNull else { return [] }
        return try v.array()
    }

    /// The member `key` as an object; nil when absent or null. - Throws: `JSONError` on another kind.
    public func object(_ key: String) throws(JSONError) -> JSONCursor? {
        guard let v = self[key], !v.isNull else { return nil }
        return try v.object()
    }

    /// Hands the bytes of a string value without escapes to `body`, without making a String (the fast path of
    /// the typed readers, which parse them with the `IPAddressing` parsers); nil when the value is anything else
    /// or `body` gives nil (the caller then takes the slow path, which explains errors).
    public func withUnescapedStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R?) -> R? {
        let node = self.node
        guard node.kind == .string, !node.flag else { return nil }
        return document.bytes.withUnsafeBufferPointer { p -> R? in
            let start = Int(node.start), end = Int(node.end)
            guard let base = p.baseAddress, start >= 0, start <= end, end <= p.count else { return nil }
            return body(UnsafeBufferPointer(start: base + start, count: end - start))
        }
    }
}

extension JSONCursor {
    /// True when the two values are the same JSON text up to whitespace: same kinds, same member keys in the
    /// same order, same string and number bytes (`1.0` and `1` differ). The test for "the same resource seen
    /// twice" (paginated or repeated AWS output).
    public func isIdentical(to other: JSONCursor) -> Bool {
        let a = document.nodes, b = other.document.nodes
        let endA = a.next(index), endB = b.next(other.index)
        guard endA - index == endB - other.index else { return false }
        var i = index, j = other.index
        while i < endA {
            let x = a[i], y = b[j]
            guard x.kindAndFlags == y.kindAndFlags else { return false }
            if x.isContainer {
                guard x.start == y.start else { return false }
            } else {
                guard x.end - x.start == y.end - y.start else { return false }
                var p = Int(x.start), q = Int(y.start)
                while p < Int(x.end) {
                    guard document.bytes[p] == other.document.bytes[q] else { return false }
                    p += 1
                    q += 1
                }
            }
            i += 1
            j += 1
        }
        return true
    }
}
