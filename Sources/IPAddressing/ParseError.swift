/// Why an address or prefix did not parse, and where (a UTF-8 offset into the text that was parsed).
///
/// Callers turn the offset into a caret column; ``message`` is a complete sentence fragment for
/// `file:line:column: error: <message>`.
public struct IPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case empty
        case unexpectedCharacter(Character)
        case octetTooLarge
        case leadingZero
        case wrongFieldCount(family: IPFamily)
        case groupTooLong
        case multipleDoubleColons
        case missingPrefixLength
        case badPrefixLength(family: IPFamily)
        /// The address has bits set beyond the prefix length; `canonical` is the masked prefix.
        case hostBitsSet(canonical: String)
    }

    public var kind: Kind
    /// UTF-8 offset of the offending text.
    public var offset: Int

    @inlinable public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A one-line explanation, without position.
    public var message: String {
        switch kind {
        case .empty: "empty address"
        case .unexpectedCharacter(let c): "unexpected character '\(c)'"
        case .octetTooLarge: "IPv4 field is larger than 255"
        case .leadingZero: "IPv4 field has a leading zero (ambiguous: octal or decimal?)"
        case .wrongFieldCount(let family):
            family == .ipv4 ? "an IPv4 address has exactly four fields" : "an IPv6 address has eight 16-bit groups"
        case .groupTooLong: "IPv6 group has more than four hex digits"
        case .multipleDoubleColons: "IPv6 address has more than one '::'"
        case .missingPrefixLength: "missing prefix length ('/N')"
        case .badPrefixLength(let family):
            family == .ipv4 ? "prefix length must be 0...32 for IPv4" : "prefix length must be 0...128 for IPv6"
        case .hostBitsSet(let canonical): "host bits set; did you mean '\(canonical)'?"
        }
    }

    public var description: String { "\(message) (at offset \(offset))" }
}
