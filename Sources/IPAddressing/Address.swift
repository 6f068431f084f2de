/// A fixed-width IP address: IPv4 (32 bits) or IPv6 (128 bits).
///
/// Both families share this protocol so that prefixes, ranges, sets and the overlap finder are written once
/// and specialised per family. Values are plain integers: comparison, masking and hashing are register work.
public protocol IPAddressProtocol: DiscreteBound, Hashable, Comparable, Sendable, CustomStringConvertible {
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
    /// Parses the textual form strictly from UTF-8 bytes (the whole buffer must be the address).
    /// Error offsets are byte offsets into `utf8`. No allocation.
    init(utf8: UnsafeBufferPointer<UInt8>) throws(IPParseError)
}

/// IPv4 or IPv6.
public enum IPFamily: String, Hashable, Sendable, Codable, CustomStringConvertible {
    case ipv4, ipv6
    public var description: String { self == .ipv4 ? "IPv4" : "IPv6" }
}

extension IPAddressProtocol {
    /// Parses a `String`; see ``init(parsing:)``.
    @inlinable public init(_ text: String) throws(IPParseError) { try self.init(parsing: Substring(text)) }

    /// Parses a `Substring` by handing its UTF-8 bytes to ``init(utf8:)``.
    @inlinable public init(parsing text: Substring) throws(IPParseError) {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(IPParseError) -> Self in try Self(utf8: buffer) }
        }
        self = try result.get()
    }

    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bits < rhs.bits }

    /// The next address, or nil past the last one.
    @inlinable public var successor: Self? { bits == Bits.max ? nil : Self(bits: bits &+ 1) }
    /// The previous address, or nil before the first one.
    @inlinable public var predecessor: Self? { bits == 0 ? nil : Self(bits: bits &- 1) }
    /// The lowest address of the family (`0.0.0.0`, `::`).
    @inlinable public static var min: Self { Self(bits: 0) }
    /// The highest address of the family (`255.255.255.255`, `ffff:…:ffff`).
    @inlinable public static var max: Self { Self(bits: Bits.max) }
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
    ///
    /// - Throws: ``IPParseError`` with the byte offset of the first bad byte.
    /// - Complexity: O(n), no allocation.
    @inlinable public init(utf8 p: UnsafeBufferPointer<UInt8>) throws(IPParseError) {
        var i = 0
        self = try IPv4Address.parseDottedQuad(p, &i)
        if i < p.count { throw IPParseError.unexpected(in: p, at: i) }
    }

    /// Parses a dotted quad starting at `i`, leaving `i` after it. Offsets in errors are indices into `p`.
    @inlinable static func parseDottedQuad(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) throws(IPParseError) -> IPv4Address {
        let n = p.count
        if i == n && i == 0 { throw IPParseError(.empty, offset: 0) }
        var result: UInt32 = 0
        for field in 0..<4 {
            if field > 0 {
                guard i < n else { throw IPParseError(.wrongFieldCount(family: .ipv4), offset: i) }
                guard p[i] == UInt8(ascii: ".") else { throw IPParseError.unexpected(in: p, at: i) }
                i += 1
            }
            let start = i
            var value: UInt32 = 0
            while i < n {
                let d = p[i] &- UInt8(ascii: "0")
                if d > 9 { break }
                if i > start && value == 0 { throw IPParseError(.leadingZero, offset: start) }
                value = value &* 10 &+ UInt32(d)
                if value > 255 { throw IPParseError(.octetTooLarge, offset: start) }
                i += 1
            }
            if i == start {
                if i < n && p[i] != UInt8(ascii: ".") { throw IPParseError.unexpected(in: p, at: i) }
                throw IPParseError(.wrongFieldCount(family: .ipv4), offset: i)
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
    /// The upper 64 bits (the routing prefix and subnet id).
    @inlinable public var high: UInt64 { UInt64(truncatingIfNeeded: bits >> 64) }
    /// The lower 64 bits (the interface id).
    @inlinable public var low: UInt64 { UInt64(truncatingIfNeeded: bits) }
    public static var bitWidth: Int { 128 }
    public static var family: IPFamily { .ipv6 }

    /// Parses RFC 4291 text: eight groups of 1–4 hex digits, at most one `::` (standing for one or more zero
    /// groups), an optional trailing dotted quad. Zone ids, brackets and anything after the address are
    /// rejected.
    ///
    /// - Throws: ``IPParseError`` with the byte offset of the first bad byte.
    /// - Complexity: O(n), no allocation.
    @inlinable public init(utf8 p: UnsafeBufferPointer<UInt8>) throws(IPParseError) {
        let n = p.count
        if n == 0 { throw IPParseError(.empty, offset: 0) }
        let colon = UInt8(ascii: ":")
        var head: UInt128 = 0, headCount = 0   // groups before `::` (all groups when there is none)
        var tail: UInt128 = 0, tailCount = 0   // groups after `::`
        var sawGap = false
        var i = 0
        if p[0] == colon {
            guard n >= 2, p[1] == colon else { throw IPParseError(.unexpectedCharacter(":"), offset: 0) }
            sawGap = true
            i = 2
        }
        while i < n {
            let start = i
            var value: UInt32 = 0
            var digits = 0
            while i < n, let d = IPv6Address.hexValue(p[i]) {
                if digits == 4 { throw IPParseError(.groupTooLong, offset: start) }
                value = value << 4 | UInt32(d)
                digits += 1
                i += 1
            }
            if i < n && p[i] == UInt8(ascii: ".") {
                // An embedded IPv4 address: the last 32 bits.
                i = start
                let v4 = try IPv4Address.parseDottedQuad(p, &i)
                if i < n { throw IPParseError.unexpected(in: p, at: i) }
                if headCount + tailCount > (sawGap ? 5 : 6) { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: start) }
                if sawGap {
                    tail = tail << 32 | UInt128(v4.bits)
                    tailCount += 2
                } else {
                    head = head << 32 | UInt128(v4.bits)
                    headCount += 2
                }
                break
            }
            if digits == 0 {
                if i < n { throw IPParseError.unexpected(in: p, at: i) }
                throw IPParseError(.wrongFieldCount(family: .ipv6), offset: i)
            }
            if sawGap {
                tail = tail << 16 | UInt128(value)
                tailCount += 1
            } else {
                head = head << 16 | UInt128(value)
                headCount += 1
            }
            if headCount + tailCount > 8 { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: start) }
            if i == n { break }
            guard p[i] == colon else { throw IPParseError.unexpected(in: p, at: i) }
            i += 1
            if i < n && p[i] == colon {
                if sawGap { throw IPParseError(.multipleDoubleColons, offset: i - 1) }
                sawGap = true
                i += 1
            } else if i == n {
                throw IPParseError(.wrongFieldCount(family: .ipv6), offset: i)
            }
        }
        let total = headCount + tailCount
        if sawGap {
            if total > 7 { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: 0) }
            let shift = 16 * (8 - headCount)
            bits = (shift >= 128 ? 0 : head << UInt128(shift)) | tail
        } else {
            if total != 8 { throw IPParseError(.wrongFieldCount(family: .ipv6), offset: n) }
            bits = head
        }
    }

    @inlinable static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    /// Group `index` (0…7, most significant first).
    @inlinable public func group(_ index: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: bits >> UInt128(112 - 16 * index))
    }

    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16] { (0..<8).map(group) }

    /// True for `::ffff:a.b.c.d`.
    @inlinable public var isIPv4Mapped: Bool { bits >> 32 == 0xffff }

    /// RFC 5952 canonical text: lower case, no leading zeros, the longest run (two or more) of zero groups
    /// shortened to `::` (the first such run on a tie); IPv4-mapped addresses end in a dotted quad.
    public var description: String {
        if isIPv4Mapped {
            return "::ffff:" + IPv4Address(bits: UInt32(truncatingIfNeeded: bits)).description
        }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && group(i) == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                let length = i - runStart
                if length > bestLength && length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        var s = ""
        s.reserveCapacity(39)
        var i = 0
        var needColon = false
        while i < 8 {
            if i == bestStart {
                s += "::"
                i += bestLength
                needColon = false
                continue
            }
            if needColon { s += ":" }
            s += String(group(i), radix: 16)
            needColon = true
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
    @inlinable public init(utf8 p: UnsafeBufferPointer<UInt8>) throws(IPParseError) {
        if p.contains(UInt8(ascii: ":")) {
            self = .v6(try IPv6Address(utf8: p))
        } else {
            self = .v4(try IPv4Address(utf8: p))
        }
    }
    /// Parses an IPv4 address when the text has no `:`, an IPv6 address otherwise.
    @inlinable public init(parsing text: Substring) throws(IPParseError) {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(IPParseError) -> IPAddress in try IPAddress(utf8: buffer) }
        }
        self = try result.get()
    }
    /// Parses a `String`; see ``init(parsing:)``.
    @inlinable public init(_ text: String) throws(IPParseError) { try self.init(parsing: Substring(text)) }

    /// The address family.
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
