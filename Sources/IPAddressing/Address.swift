/// A fixed-width IP address: IPv4 (32 bits) or IPv6 (128 bits).
///
/// Both families share this protocol so that prefixes, ranges, sets and the overlap finder are written once
/// and specialised per family. Values are plain integers: comparison, masking and hashing are register work.
public protocol IPAddressProtocol: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The unsigned integer that holds the address bits (`UInt32` or `UInt128`).
    associatedtype Bits: FixedWidthInteger & UnsignedInteger & Sendable
    /// 32 for IPv4, 128 for IPv6.
    static var bitWidth: Int { get }
    /// The address family.
    static var family: IPFamily { get }
    /// The address as an integer, most significant bit first.
    var bits: Bits { get }
    /// Creates an address from its integer form.
    init(bits: Bits)
    /// Parses the textual form strictly; see the concrete types for the accepted grammar.
    init(parsing text: Substring) throws(IPParseError)
}

/// IPv4 or IPv6.
public enum IPFamily: String, Hashable, Sendable, Codable, CustomStringConvertible {
    case ipv4, ipv6
    public var description: String { self == .ipv4 ? "IPv4" : "IPv6" }
}

extension IPAddressProtocol {
    /// Parses a `String`; see ``init(parsing:)``.
    @inlinable public init(_ text: String) throws(IPParseError) { try self.init(parsing: Substring(text)) }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bits < rhs.bits }

    /// The next address, or nil past the last one.
    @inlinable public var successor: Self? { bits == Bits.max ? nil : Self(bits: bits &+ 1) }
    /// The previous address, or nil before the first one.
    @inlinable public var predecessor: Self? { bits == 0 ? nil : Self(bits: bits &- 1) }
}

/// An IPv4 address, stored as a 32-bit integer.
@frozen public struct IPv4Address: IPAddressProtocol {
    public var bits: UInt32
    @inlinable public init(bits: UInt32) { self.bits = bits }
    /// Creates `a.b.c.d`.
    @inlinable public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        bits = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
    public static var bitWidth: Int { 32 }
    public static var family: IPFamily { .ipv4 }

    /// Parses dotted-quad text: exactly four decimal fields 0…255, no leading zeros, nothing else.
    @inlinable public init(parsing text: Substring) throws(IPParseError) {
        var utf8 = text.utf8[...]
        self = try IPv4Address.parseDottedQuad(&utf8, baseOffset: 0)
        if let extra = utf8.first {
            throw IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(extra))), offset: text.utf8.count - utf8.count)
        }
    }

    /// Parses a dotted quad at the start of `utf8`, leaving the rest in place.
    @inlinable static func parseDottedQuad(_ utf8: inout Substring.UTF8View.SubSequence, baseOffset: Int) throws(IPParseError) -> IPv4Address {
        let total = utf8.count
        var result: UInt32 = 0
        for field in 0..<4 {
            if field > 0 {
                guard let dot = utf8.first else {
                    throw IPParseError(.wrongFieldCount(family: .ipv4), offset: baseOffset + total - utf8.count)
                }
                guard dot == UInt8(ascii: ".") else {
                    throw IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(dot))), offset: baseOffset + total - utf8.count)
                }
                utf8 = utf8.dropFirst()
            }
            let start = baseOffset + total - utf8.count
            var value: UInt32 = 0
            var digits = 0
            while let c = utf8.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                if digits == 1 && value == 0 { throw IPParseError(.leadingZero, offset: start) }
                value = value * 10 + UInt32(c &- UInt8(ascii: "0"))
                digits += 1
                if value > 255 { throw IPParseError(.octetTooLarge, offset: start) }
                utf8 = utf8.dropFirst()
            }
            if digits == 0 {
                if let c = utf8.first, c != UInt8(ascii: ".") {
                    throw IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(c))), offset: start)
                }
                throw IPParseError(utf8.isEmpty && field == 0 && total == 0 ? .empty : .wrongFieldCount(family: .ipv4), offset: start)
            }
            result = result << 8 | value
        }
        return IPv4Address(bits: result)
    }

    /// Dotted-quad text.
    public var description: String {
        var s = ""
        s.reserveCapacity(15)
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { s.append(".") }
            s += String((bits >> UInt32(shift)) & 0xff)
        }
        return s
    }

    /// The four bytes, most significant first.
    @inlinable public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(truncatingIfNeeded: bits >> 24), UInt8(truncatingIfNeeded: bits >> 16),
         UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits))
    }
}

/// An IPv6 address, stored as a 128-bit integer.
@frozen public struct IPv6Address: IPAddressProtocol {
    public var bits: UInt128
    @inlinable public init(bits: UInt128) { self.bits = bits }
    /// Creates an address from its upper and lower 64 bits.
    @inlinable public init(high: UInt64, low: UInt64) { bits = UInt128(high) << 64 | UInt128(low) }
    @inlinable public var high: UInt64 { UInt64(truncatingIfNeeded: bits >> 64) }
    @inlinable public var low: UInt64 { UInt64(truncatingIfNeeded: bits) }
    public static var bitWidth: Int { 128 }
    public static var family: IPFamily { .ipv6 }

    /// Parses RFC 4291 text: eight groups of 1–4 hex digits, at most one `::`, an optional trailing dotted
    /// quad. Zone ids, brackets and anything after the address are rejected.
    public init(parsing text: Substring) throws(IPParseError) {
        let utf8 = Array(text.utf8)
        if utf8.isEmpty { throw IPParseError(.empty, offset: 0) }
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        var gapIndex: Int? = nil
        var i = 0
        if utf8.count >= 2 && utf8[0] == UInt8(ascii: ":") && utf8[1] == UInt8(ascii: ":") {
            gapIndex = 0
            i = 2
        } else if utf8[0] == UInt8(ascii: ":") {
            throw IPParseError(.unexpectedCharacter(":"), offset: 0)
        }
        while i < utf8.count {
            // Parse one group (or a trailing IPv4 dotted quad).
            let start = i
            var value: UInt32 = 0
            var digits = 0
            while i < utf8.count, let d = IPv6Address.hexValue(utf8[i]) {
                value = value << 4 | UInt32(d)
                digits += 1
                i += 1
                if digits > 4 { throw IPParseError(.groupTooLong, offset: start) }
            }
            if i < utf8.count && utf8[i] == UInt8(ascii: ".") {
                // Embedded IPv4 in the last 32 bits.
                var rest = text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: start)...]
                let v4 = try IPv4Address.parseDottedQuad(&rest, baseOffset: start)
                if let extra = rest.first {
                    throw IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(extra))), offset: utf8.count - rest.count)
                }
                if groups.count > 6 { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: start) }
                groups.append(UInt16(truncatingIfNeeded: v4.bits >> 16))
                groups.append(UInt16(truncatingIfNeeded: v4.bits))
                i = utf8.count
                break
            }
            if digits == 0 {
                if i < utf8.count {
                    let c = utf8[i]
                    if c == UInt8(ascii: ":") { throw IPParseError(.multipleDoubleColons, offset: i) }
                    throw IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(c))), offset: i)
                }
                throw IPParseError(.wrongFieldCount(family: .ipv6), offset: i)
            }
            groups.append(UInt16(value))
            if groups.count > 8 { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: start) }
            if i == utf8.count { break }
            guard utf8[i] == UInt8(ascii: ":") else {
                throw IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(utf8[i]))), offset: i)
            }
            i += 1
            if i < utf8.count && utf8[i] == UInt8(ascii: ":") {
                if gapIndex != nil { throw IPParseError(.multipleDoubleColons, offset: i - 1) }
                gapIndex = groups.count
                i += 1
                if i == utf8.count { break }
            } else if i == utf8.count {
                throw IPParseError(.wrongFieldCount(family: .ipv6), offset: i)
            }
        }
        if let gap = gapIndex {
            if groups.count > 7 { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: 0) }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gap)
        } else if groups.count != 8 {
            throw IPParseError(.wrongFieldCount(family: .ipv6), offset: utf8.count)
        }
        var value: UInt128 = 0
        for g in groups { value = value << 16 | UInt128(g) }
        bits = value
    }

    @inlinable static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16] { (0..<8).map { UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * $0)) } }

    /// RFC 5952 canonical text: lower case, no leading zeros, the longest run (two or more) of zero groups
    /// shortened to `::` (the first such run on a tie); IPv4-mapped addresses end in a dotted quad.
    public var description: String {
        let g = groups
        if bits >> 32 == 0xffff {
            return "::ffff:" + IPv4Address(bits: UInt32(truncatingIfNeeded: bits)).description
        }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && g[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength && length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        var s = ""
        var i = 0
        while i < 8 {
            if i == bestStart {
                s += "::"
                i += bestLength
                continue
            }
            if !s.isEmpty && !s.hasSuffix(":") { s += ":" }
            s += String(g[i], radix: 16)
            i += 1
        }
        return s
    }
}

/// An address of either family.
@frozen public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses an IPv4 address when the text has no `:`, an IPv6 address otherwise.
    public init(parsing text: Substring) throws(IPParseError) {
        if text.utf8.contains(UInt8(ascii: ":")) {
            self = .v6(try IPv6Address(parsing: text))
        } else {
            self = .v4(try IPv4Address(parsing: text))
        }
    }
    public init(_ text: String) throws(IPParseError) { try self.init(parsing: Substring(text)) }

    public var family: IPFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }
    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }
    /// IPv4 sorts before IPv6; within a family, numeric order.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v6(let a), .v6(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
