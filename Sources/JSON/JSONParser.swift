// The single pass that turns bytes into the tape (see JSONDocument.swift). Iterative, so deep nesting cannot
// overflow the call stack; a depth limit rejects absurd inputs. It also records where lines begin and where
// strings hold non-ASCII text (`lines`), so that values can be placed by line and column later without the text.

import Diagnostics

struct JSONParser {
    struct Failure {
        var offset: Int
        var path: String
        var message: String
    }

    private struct Frame {
        var node: Int
        var isObject: Bool
        var count: UInt32
        /// Byte range of the current member's key (objects).
        var keyStart: Int
        var keyEnd: Int
    }

    var nodes: [JSONNode] = []
    /// Strings' and numbers' bytes; nodes point here.
    var heap: [UInt8] = []
    /// Line starts and continuation bytes of the text parsed so far: a `\n` can only be whitespace between
    /// tokens and a non-ASCII byte only inside a string, so `skipSpace` and `parseString` see them all.
    var lines = TextLineTable()
    private var stack: [Frame] = []
    static let maxDepth = 512

    init(count: Int) {
        // A file over the size limit (see `parse`) is refused before anything is read: reserve nothing for it.
        let expected = count < Int(UInt32.max) ? count : 0
        nodes.reserveCapacity(max(16, expected / 20))
        heap.reserveCapacity(max(16, expected / 6))
    }

    private func failure(_ p: UnsafeBufferPointer<UInt8>, _ offset: Int, _ message: String) -> Failure {
        var path = "$"
        for frame in stack {
            if frame.isObject {
                if frame.keyEnd > frame.keyStart || frame.count > 0 {
                    let key = String(decoding: heap[frame.keyStart..<frame.keyEnd], as: UTF8.self)
                    path += JSONDocument.pathComponent(key)
                }
            } else if frame.count > 0 {
                path += "[\(frame.count - 1)]"
            }
        }
        return Failure(offset: offset, path: path, message: message)
    }

    /// Skips whitespace, recording line starts; runs of spaces (pretty-printed indentation) eight bytes at a time.
    @inline(__always) mutating func skipSpace(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        let n = p.count
        guard let base = p.baseAddress else { return }
        while i < n {
            let b = p[i]
            if b == 0x20 {
                while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 { i += 8 }
                while i < n, p[i] == 0x20 { i += 1 }
            } else if b == 0x0A {
                i += 1
                lines.addLine(startingAt: i)
            } else if b == 0x0D || b == 0x09 {
                i += 1
            } else {
                return
            }
        }
    }

    private static func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16)
    }

    /// Parses the whole buffer; nil on success.
    mutating func parse(_ p: UnsafeBufferPointer<UInt8>) -> Failure? {
        let n = p.count
        guard n < Int(UInt32.max) else { return Failure(offset: 0, path: "$", message: "file too large (4 GiB or more)") }
        var i = 0
        // Skip a UTF-8 byte-order mark.
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
            i = 3
            lines.addContinuationBytes(2, endingBefore: 3)
        }

        valueLoop: while true {
            skipSpace(p, &i)
            guard i < n else { return failure(p, i, "unexpected end of input (truncated file?)") }
            let c = p[i]
            switch c {
            case 0x7B, 0x5B: // { [
                let isObject = c == 0x7B
                guard stack.count < JSONParser.maxDepth else { return failure(p, i, "nesting deeper than \(JSONParser.maxDepth) levels") }
                let index = nodes.count
                nodes.append(JSONNode(kindAndFlags: (isObject ? JSONKind.object : .array).rawValue, start: 0, end: 0, source: UInt32(i)))
                i += 1
                stack.append(Frame(node: index, isObject: isObject, count: 0, keyStart: 0, keyEnd: 0))
                skipSpace(p, &i)
                guard i < n else { return failure(p, i, "unexpected end of input (truncated file?)") }
                if p[i] == (isObject ? 0x7D : 0x5D) {
                    i += 1
                    nodes[index].end = UInt32(nodes.count)
                    stack.removeLast()
                } else {
                    stack[stack.count - 1].count = 1
                    if isObject {
                        if let f = parseKey(p, &i) { return f }
                    }
                    continue valueLoop
                }
            case 0x22: // "
                if let f = parseString(p, &i) { return f }
            case 0x74: // true
                guard i + 4 <= n, p[i + 1] == 0x72, p[i + 2] == 0x75, p[i + 3] == 0x65 else { return failure(p, i, "invalid literal") }
                nodes.append(JSONNode(kindAndFlags: JSONKind.bool.rawValue | 0x80, start: 0, end: 0, source: UInt32(i)))
                i += 4
            case 0x66: // false
                guard i + 5 <= n, p[i + 1] == 0x61, p[i + 2] == 0x6C, p[i + 3] == 0x73, p[i + 4] == 0x65 else { return failure(p, i, "invalid literal") }
                nodes.append(JSONNode(kindAndFlags: JSONKind.bool.rawValue, start: 0, end: 0, source: UInt32(i)))
                i += 5
            case 0x6E: // null
                guard i + 4 <= n, p[i + 1] == 0x75, p[i + 2] == 0x6C, p[i + 3] == 0x6C else { return failure(p, i, "invalid literal") }
                nodes.append(JSONNode(kindAndFlags: JSONKind.null.rawValue, start: 0, end: 0, source: UInt32(i)))
                i += 4
            case 0x2D, 0x30...0x39:
                if let f = parseNumber(p, &i) { return f }
            default:
                return failure(p, i, "unexpected \(JSONParser.describe(c)) where a value was expected")
            }
            // After a value: close containers or move to the next element.
            while let top = stack.last {
                skipSpace(p, &i)
                guard i < n else { return failure(p, i, "unexpected end of input (truncated file?)") }
                let b = p[i]
                if b == 0x2C { // ,
                    i += 1
                    stack[stack.count - 1].count += 1
                    if top.isObject {
                        skipSpace(p, &i)
                        if let f = parseKey(p, &i) { return f }
                    }
                    continue valueLoop
                }
                if b == (top.isObject ? 0x7D : 0x5D) {
                    i += 1
                    nodes[top.node].start = top.count
                    nodes[top.node].end = UInt32(nodes.count)
                    stack.removeLast()
                    continue
                }
                return failure(p, i, "expected ',' or '\(top.isObject ? "}" : "]")', found \(JSONParser.describe(b))")
            }
            skipSpace(p, &i)
            if i != n { return failure(p, i, "unexpected \(JSONParser.describe(p[i])) after the document") }
            return nil
        }
    }

    /// Parses `"key"` and the `:` after it (whitespace before the key already skipped).
    private mutating func parseKey(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Failure? {
        let n = p.count
        guard i < n else { return failure(p, i, "unexpected end of input (truncated file?)") }
        guard p[i] == 0x22 else { return failure(p, i, "expected a member name in quotes, found \(JSONParser.describe(p[i]))") }
        if let f = parseString(p, &i, intern: true) { return f }
        let key = nodes[nodes.count - 1]
        stack[stack.count - 1].keyStart = Int(key.start)
        stack[stack.count - 1].keyEnd = Int(key.end)
        skipSpace(p, &i)
        guard i < n else { return failure(p, i, "unexpected end of input (truncated file?)") }
        guard p[i] == 0x3A else { return failure(p, i, "expected ':' after the member name, found \(JSONParser.describe(p[i]))") }
        i += 1
        return nil
    }

    /// Member names repeat on every object: a small direct-mapped cache lets equal names share heap bytes.
    private var keyCache = [UInt64](repeating: 0, count: 4096)

    private mutating func parseString(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, intern: Bool = false) -> Failure? {
        let n = p.count
        let start = i + 1
        var j = start
        var escaped = false
        var high: UInt8 = 0
        while j < n {
            let b = p[j]
            high |= b
            if b == 0x22 { break }
            if b == 0x5C {
                escaped = true
                guard j + 1 < n else { j = n; break }
                switch p[j + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: j += 2
                case 0x75:
                    guard j + 6 <= n else { j = n; break }
                    for k in j + 2..<j + 6 {
                        let h = p[k]
                        guard (h >= 0x30 && h <= 0x39) || (h | 0x20 >= 0x61 && h | 0x20 <= 0x66) else {
                            return failure(p, k, "invalid \\u escape in a string")
                        }
                    }
                    j += 6
                default: return failure(p, j, "invalid escape in a string")
                }
                continue
            }
            if b < 0x20 { return failure(p, j, "control character in a string (unterminated string?)") }
            j += 1
        }
        guard j < n else { return failure(p, n, "unexpected end of input inside a string (truncated file?)") }
        if high & 0x80 != 0 {
            // Non-ASCII text: its continuation bytes do not count as columns of what follows on the line.
            var count = 0
            for k in start..<j where p[k] & 0xC0 == 0x80 { count += 1 }
            lines.addContinuationBytes(count, endingBefore: j)
        }
        let length = j - start
        if intern, !escaped, length >= 1, length <= 64, let base = p.baseAddress {
            let head = length >= 8 ? UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self) : UInt64(p[start]) << 8 | UInt64(p[j - 1])
            let hash = (head &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(length) &* 0xC2B2_AE3D_27D4_EB4F) >> 52
            let entry = keyCache[Int(hash)]
            if entry != 0, Int(entry & 0xFF) == length {
                let offset = Int(entry >> 8)
                var same = true
                heap.withUnsafeBufferPointer { h in
                    for k in 0..<length where h[offset + k] != p[start + k] { same = false; break }
                }
                if same {
                    nodes.append(JSONNode(kindAndFlags: JSONKind.string.rawValue, start: UInt32(offset), end: UInt32(offset + length),
                                          source: UInt32(i)))
                    i = j + 1
                    return nil
                }
            }
            keyCache[Int(hash)] = UInt64(heap.count) << 8 | UInt64(length)
        }
        let heapStart = heap.count
        heap.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<j]))
        nodes.append(JSONNode(kindAndFlags: JSONKind.string.rawValue | (escaped ? 0x80 : 0), start: UInt32(heapStart),
                              end: UInt32(heap.count), source: UInt32(i)))
        i = j + 1
        return nil
    }

    private mutating func parseNumber(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Failure? {
        let n = p.count
        let start = i
        var j = i
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < n && p[k] >= 0x30 && p[k] <= 0x39 }
        if p[j] == 0x2D { j += 1 }
        guard isDigit(j) else { return failure(p, j, "invalid number") }
        if p[j] == 0x30 { j += 1 } else { while isDigit(j) { j += 1 } }
        if j < n && p[j] == 0x2E {
            j += 1
            guard isDigit(j) else { return failure(p, j, "invalid number") }
            while isDigit(j) { j += 1 }
        }
        if j < n && (p[j] == 0x65 || p[j] == 0x45) {
            j += 1
            if j < n && (p[j] == 0x2B || p[j] == 0x2D) { j += 1 }
            guard isDigit(j) else { return failure(p, j, "invalid number") }
            while isDigit(j) { j += 1 }
        }
        let heapStart = heap.count
        heap.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<j]))
        nodes.append(JSONNode(kindAndFlags: JSONKind.number.rawValue, start: UInt32(heapStart), end: UInt32(heap.count),
                              source: UInt32(start)))
        i = j
        return nil
    }
}
