// A strict RFC 8259 reader for tests that check rendered JSON by its structure, without Foundation.
// Values come back in the shapes tests cast to: `[String: Any]`, `[Any]`, `String`, `Int` (integers that fit),
// `Double` (other numbers), `Bool`, and `JSONNull` for null.

/// JSON's `null` in a value returned by `jsonObject(_:)`.
public struct JSONNull: Equatable, Sendable {
    public init() {}
}

/// Why `jsonObject(_:)` rejected a text: the byte offset and what was wrong there.
public struct JSONReadError: Error, CustomStringConvertible {
    public var offset: Int
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Parses `text` as one JSON value (any kind at top level, surrounded by optional whitespace only), strictly:
/// no trailing commas, no raw control characters in strings, only the escapes JSON defines, no leading zeros,
/// no lone surrogates, nesting at most 512 deep.
public func jsonObject(_ text: String) throws(JSONReadError) -> Any {
    var reader = JSONTestReader(bytes: Array(text.utf8))
    reader.skipSpace()
    let value = try reader.value(depth: 0)
    reader.skipSpace()
    guard reader.at == reader.bytes.count else { throw reader.fail("text after the value") }
    return value
}

private struct JSONTestReader {
    let bytes: [UInt8]
    var at = 0

    func fail(_ reason: String) -> JSONReadError { JSONReadError(offset: at, reason: reason) }

    var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { at += 1 }
    }

    mutating func expect(_ literal: String) throws(JSONReadError) {
        for b in literal.utf8 {
            guard peek == b else { throw fail("expected '\(literal)'") }
            at += 1
        }
    }

    mutating func value(depth: Int) throws(JSONReadError) -> Any {
        guard depth < 512 else { throw fail("nested too deeply") }
        switch peek {
        case UInt8(ascii: "{"):
            at += 1
            var object: [String: Any] = [:]
            skipSpace()
            if peek == UInt8(ascii: "}") { at += 1; return object }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                let key = try string()
                skipSpace()
                try expect(":")
                skipSpace()
                object[key] = try value(depth: depth + 1)
                skipSpace()
                if peek == UInt8(ascii: ",") { at += 1; continue }
                try expect("}")
                return object
            }
        case UInt8(ascii: "["):
            at += 1
            var array: [Any] = []
            skipSpace()
            if peek == UInt8(ascii: "]") { at += 1; return array }
            while true {
                skipSpace()
                array.append(try value(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") { at += 1; continue }
                try expect("]")
                return array
            }
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): try expect("true"); return true
        case UInt8(ascii: "f"): try expect("false"); return false
        case UInt8(ascii: "n"): try expect("null"); return JSONNull()
        case let b? where b == UInt8(ascii: "-") || (0x30...0x39).contains(b): return try number()
        default: throw fail("expected a value")
        }
    }

    mutating func digits() throws(JSONReadError) {
        guard let b = peek, (0x30...0x39).contains(b) else { throw fail("expected a digit") }
        while let b = peek, (0x30...0x39).contains(b) { at += 1 }
    }

    mutating func number() throws(JSONReadError) -> Any {
        let start = at
        if peek == UInt8(ascii: "-") { at += 1 }
        if peek == UInt8(ascii: "0") {
            at += 1
            if let b = peek, (0x30...0x39).contains(b) { throw fail("leading zero") }
        } else {
            try digits()
        }
        var integral = true
        if peek == UInt8(ascii: ".") { at += 1; integral = false; try digits() }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            at += 1
            integral = false
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
            try digits()
        }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        if integral, let int = Int(text) { return int }
        guard let double = Double(text) else { throw fail("number out of range") }
        return double
    }

    mutating func hex4() throws(JSONReadError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek else { throw fail("short \\u escape") }
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: throw fail("bad hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
            at += 1
        }
        return v
    }

    mutating func string() throws(JSONReadError) -> String {
        at += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard let b = peek else { throw fail("unterminated string") }
            at += 1
            switch b {
            case UInt8(ascii: "\""):
                let s = String(decoding: out, as: UTF8.self)
                guard s.utf8.elementsEqual(out) else { throw fail("string is not UTF-8") }
                return s
            case 0x00..<0x20: at -= 1; throw fail("raw control character in a string")
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw fail("unterminated escape") }
                at += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone high surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("lone low surrogate")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("bad \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: at -= 1; throw fail("unknown escape")
                }
            default: out.append(b)
            }
        }
    }
}
