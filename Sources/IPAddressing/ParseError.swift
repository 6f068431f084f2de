/// Why an address or prefix did not parse, and where (a UTF-8 offset into the text that was parsed).
///
/// Callers turn the offset into a caret column; ``message`` is a lowercase fragment for
/// `file:line:column: error: <message>`.
public struct IPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of mistake, each with a fixed message (see ``message``).
    public enum Kind: Hashable, Sendable {
        /// Nothing to parse.
        case empty
        /// A byte that cannot appear here (trailing junk, a letter in an IPv4 address, a zone id, …).
        case unexpectedCharacter(Character)
        /// An IPv4 field above 255.
        case octetTooLarge
        /// An IPv4 field such as `010`, which some parsers read as octal.
        case leadingZero
        /// Too few or too many fields or groups.
        case wrongFieldCount(family: IPFamily)
        /// An IPv6 group of five or more hex digits.
        case groupTooLong
        /// Two `::` in one IPv6 address.
        case multipleDoubleColons
        /// A prefix without `/N`.
        case missingPrefixLength
        /// A prefix length that is not a plain decimal in range for the family.
        case badPrefixLength(family: IPFamily)
        /// A prefix length such as `/032`: in range once read, but written with a leading zero.
        case prefixLengthLeadingZero
        /// The address has bits set beyond the prefix length; `canonical` is the masked prefix.
        case hostBitsSet(canonical: String)
    }

    /// What went wrong.
    public var kind: Kind
    /// UTF-8 offset of the offending text.
    public var offset: Int

    /// Creates an error of `kind` at byte `offset`.
    @inlinable public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// An `unexpectedCharacter` error naming the (possibly multi-byte) character that starts at `i`.
    @inlinable static func unexpected(in p: UnsafeBufferPointer<UInt8>, at i: Int) -> IPParseError {
        let lead = p[i]
        if lead < 0x80 { return IPParseError(.unexpectedCharacter(Character(Unicode.Scalar(lead))), offset: i) }
        return IPParseError(.unexpectedCharacter(decodeCharacter(p, at: i)), offset: i)
    }

    /// Decodes the character starting at byte `i` (U+FFFD for invalid UTF-8).
    @usableFromInline static func decodeCharacter(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Character {
        let end = Swift.min(p.count, i + 4)
        let text = String(decoding: UnsafeBufferPointer(rebasing: p[i..<end]), as: UTF8.self)
        return text.first ?? "\u{FFFD}"
    }

    /// A one-line explanation, without position.
    public var message: String {
        switch kind {
        case .empty: "empty address"
        case .unexpectedCharacter(let c):
            c == " " || c == "\t" ? "unexpected whitespace" : "unexpected character '\(c)'"
        case .octetTooLarge: "IPv4 field is larger than 255"
        case .leadingZero: "IPv4 field has a leading zero (ambiguous: octal or decimal?)"
        case .wrongFieldCount(let family):
            family == .ipv4 ? "an IPv4 address has exactly four fields" : "an IPv6 address has eight 16-bit groups"
        case .groupTooLong: "IPv6 group has more than four hex digits"
        case .multipleDoubleColons: "IPv6 address has more than one '::'"
        case .missingPrefixLength: "missing prefix length ('/N')"
        case .badPrefixLength(let family):
            family == .ipv4 ? "prefix length must be 0...32 for IPv4" : "prefix length must be 0...128 for IPv6"
        case .prefixLengthLeadingZero: "prefix length has a leading zero (write it without: /8, not /08)"
        case .hostBitsSet(let canonical): "host bits set; did you mean '\(canonical)'?"
        }
    }

    public var description: String { "\(message) (at offset \(offset))" }
}
