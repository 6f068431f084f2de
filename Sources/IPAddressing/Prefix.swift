/// A CIDR block of one family: a network address and a length.
///
/// The address of a value made by ``init(parsing:normalize:)`` or ``init(network:length:)`` never has host bits
/// set. Ordering is by network address, then by length (shorter first), which puts every block before the
/// blocks nested in it — the order the overlap sweep relies on.
@frozen public struct Prefix<Address: IPAddressProtocol>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let network: Address
    public let length: UInt8

    /// Creates a prefix, clearing host bits. Returns nil when `length` exceeds the family's width.
    @inlinable public init?(network: Address, length: Int) {
        guard length >= 0 && length <= Address.bitWidth else { return nil }
        self.network = Address(bits: network.bits & Prefix.mask(length))
        self.length = UInt8(length)
    }

    /// Creates a prefix whose address is known to be canonical.
    @inlinable init(uncheckedNetwork: Address, length: UInt8) {
        network = uncheckedNetwork
        self.length = length
    }

    /// The netmask for `length` bits (0…bitWidth).
    @inlinable public static func mask(_ length: Int) -> Address.Bits {
        length == 0 ? 0 : ~Address.Bits(0) &<< Address.Bits(Address.bitWidth &- length)
    }

    /// Parses `address/length` from UTF-8 bytes (the whole buffer). With `normalize: false` (the default) host
    /// bits are an error (``IPParseError/Kind/hostBitsSet(canonical:)``); with `normalize: true` they are
    /// cleared. The length is plain decimal without leading zeros.
    ///
    /// - Throws: ``IPParseError`` with the byte offset of the first bad byte.
    /// - Complexity: O(n), no allocation on success.
    @inlinable public init(utf8 p: UnsafeBufferPointer<UInt8>, normalize: Bool = false) throws(IPParseError) {
        let n = p.count
        var slash = 0
        while slash < n && p[slash] != UInt8(ascii: "/") { slash += 1 }
        if slash == n {
            // Report a bad address before a missing length.
            _ = try Address(utf8: p)
            throw IPParseError(.missingPrefixLength, offset: n)
        }
        let address = try Address(utf8: UnsafeBufferPointer(rebasing: p[0..<slash]))
        let lengthStart = slash + 1
        var i = lengthStart
        var length = 0
        while i < n {
            let d = p[i] &- UInt8(ascii: "0")
            if d > 9 {
                if i == lengthStart { throw IPParseError(.badPrefixLength(family: Address.family), offset: lengthStart) }
                throw IPParseError.unexpected(in: p, at: i)
            }
            if i > lengthStart && length == 0 { throw IPParseError(.prefixLengthLeadingZero, offset: lengthStart) }
            length = length &* 10 &+ Int(d)
            if length > Address.bitWidth { throw IPParseError(.badPrefixLength(family: Address.family), offset: lengthStart) }
            i += 1
        }
        if i == lengthStart { throw IPParseError(.badPrefixLength(family: Address.family), offset: lengthStart) }
        let masked = address.bits & Prefix.mask(length)
        if masked != address.bits && !normalize {
            throw Prefix.hostBitsError(Address(bits: masked), length: length)
        }
        self.init(uncheckedNetwork: Address(bits: masked), length: UInt8(length))
    }

    @usableFromInline static func hostBitsError(_ network: Address, length: Int) -> IPParseError {
        IPParseError(.hostBitsSet(canonical: "\(network)/\(length)"), offset: 0)
    }

    /// Parses `address/length`; see ``init(utf8:normalize:)``.
    @inlinable public init(parsing text: Substring, normalize: Bool = false) throws(IPParseError) {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(IPParseError) -> Prefix in try Prefix(utf8: buffer, normalize: normalize) }
        }
        self = try result.get()
    }

    /// Parses `address/length`; see ``init(utf8:normalize:)``.
    @inlinable public init(_ text: String, normalize: Bool = false) throws(IPParseError) {
        try self.init(parsing: Substring(text), normalize: normalize)
    }

    /// The number of host bits (`bitWidth - length`): the block holds 2^hostBitCount addresses.
    @inlinable public var hostBitCount: Int { Address.bitWidth - Int(length) }

    /// The block as an inclusive address range.
    @inlinable public var range: IPRange<Address> { IPRange(uncheckedLower: first, upper: last) }

    /// The host bits mask (all ones for host bits).
    @inlinable public var hostMask: Address.Bits { ~Prefix.mask(Int(length)) }
    /// The first address of the block (the network address).
    @inlinable public var first: Address { network }
    /// The last address of the block.
    @inlinable public var last: Address { Address(bits: network.bits | hostMask) }
    /// The number of addresses, or nil when it does not fit (an IPv6 /0 has 2^128).
    @inlinable public var count: Address.Bits? {
        let hostBits = hostBitCount
        return hostBits == Address.bitWidth ? nil : Address.Bits(1) &<< Address.Bits(hostBits)
    }

    /// True when `address` lies in the block.
    @inlinable public func contains(_ address: Address) -> Bool {
        address.bits & Prefix.mask(Int(length)) == network.bits
    }
    /// True when `other` lies wholly inside this block (a block contains itself).
    @inlinable public func contains(_ other: Prefix) -> Bool {
        other.length >= length && contains(other.network)
    }
    /// True when the two blocks share any address (for CIDR blocks: one contains the other).
    @inlinable public func overlaps(_ other: Prefix) -> Bool {
        contains(other) || other.contains(self)
    }

    /// The block one bit shorter that contains this one, or nil for /0.
    @inlinable public var parent: Prefix? {
        length == 0 ? nil : Prefix(network: network, length: Int(length) - 1)
    }

    /// The two halves one bit longer, or nil for a host prefix (/32, /128).
    @inlinable public var halves: (Prefix, Prefix)? {
        guard Int(length) < Address.bitWidth else { return nil }
        let child = length + 1
        let upper = network.bits | (Address.Bits(1) &<< Address.Bits(Address.bitWidth - Int(child)))
        return (Prefix(uncheckedNetwork: network, length: child), Prefix(uncheckedNetwork: Address(bits: upper), length: child))
    }

    /// Splits the block into its children of length `newLength`, in address order.
    /// Returns nil when `newLength` is shorter than this prefix or longer than the family allows.
    ///
    /// ```swift
    /// let p = try IPv4Prefix("10.0.0.0/23")
    /// Array(p.split(into: 24)!)   // [10.0.0.0/24, 10.0.1.0/24]
    /// ```
    public func split(into newLength: Int) -> PrefixSplit<Address>? {
        guard newLength >= Int(length), newLength <= Address.bitWidth else { return nil }
        return PrefixSplit(parent: self, childLength: UInt8(newLength))
    }

    public static func < (lhs: Prefix, rhs: Prefix) -> Bool {
        lhs.network != rhs.network ? lhs.network < rhs.network : lhs.length < rhs.length
    }

    /// `network/length` in the family's canonical text.
    public var description: String { "\(network)/\(length)" }
}

/// The children of a prefix at a longer length, lazily, in address order.
public struct PrefixSplit<Address: IPAddressProtocol>: Sequence, Sendable {
    public let parent: Prefix<Address>
    public let childLength: UInt8

    /// The number of children, or nil when it does not fit the address integer.
    public var count: Address.Bits? {
        let bits = Int(childLength) - Int(parent.length)
        return bits >= Address.bitWidth ? nil : Address.Bits(1) << Address.Bits(bits)
    }

    public struct Iterator: IteratorProtocol {
        var cursor: Address.Bits?
        let last: Address.Bits
        let step: Address.Bits
        let length: UInt8
        public mutating func next() -> Prefix<Address>? {
            guard let current = cursor else { return nil }
            let (advanced, overflow) = current.addingReportingOverflow(step)
            cursor = (current == last || overflow || step == 0) ? nil : advanced
            return Prefix(uncheckedNetwork: Address(bits: current), length: length)
        }
    }

    public func makeIterator() -> Iterator {
        let hostBits = Address.bitWidth - Int(childLength)
        let step: Address.Bits = hostBits == Address.bitWidth ? 0 : Address.Bits(1) << Address.Bits(hostBits)
        let lastChild = parent.last.bits & Prefix<Address>.mask(Int(childLength))
        return Iterator(cursor: parent.network.bits, last: lastChild, step: step, length: childLength)
    }
}

public typealias IPv4Prefix = Prefix<IPv4Address>
public typealias IPv6Prefix = Prefix<IPv6Address>

/// A prefix of either family.
@frozen public enum IPPrefix: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Prefix)
    case v6(IPv6Prefix)

    /// Parses an IPv4 prefix when the text has no `:`, an IPv6 prefix otherwise.
    @inlinable public init(utf8 p: UnsafeBufferPointer<UInt8>, normalize: Bool = false) throws(IPParseError) {
        if p.contains(UInt8(ascii: ":")) {
            self = .v6(try IPv6Prefix(utf8: p, normalize: normalize))
        } else {
            self = .v4(try IPv4Prefix(utf8: p, normalize: normalize))
        }
    }
    /// Parses an IPv4 prefix when the text has no `:`, an IPv6 prefix otherwise.
    @inlinable public init(parsing text: Substring, normalize: Bool = false) throws(IPParseError) {
        var copy = text
        let result = copy.withUTF8 { buffer in
            Result { () throws(IPParseError) -> IPPrefix in try IPPrefix(utf8: buffer, normalize: normalize) }
        }
        self = try result.get()
    }
    public init(_ text: String, normalize: Bool = false) throws(IPParseError) {
        try self.init(parsing: Substring(text), normalize: normalize)
    }

    /// The address family.
    public var family: IPFamily {
        switch self {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }
    /// The network address.
    public var network: IPAddress {
        switch self {
        case .v4(let p): .v4(p.network)
        case .v6(let p): .v6(p.network)
        }
    }
    /// The prefix length.
    public var length: Int {
        switch self {
        case .v4(let p): Int(p.length)
        case .v6(let p): Int(p.length)
        }
    }
    /// True when `address` is in the block; always false across families.
    public func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.v4(let p), .v4(let a)): p.contains(a)
        case (.v6(let p), .v6(let a)): p.contains(a)
        default: false
        }
    }
    /// True when the blocks share an address; always false across families.
    public func overlaps(_ other: IPPrefix) -> Bool {
        switch (self, other) {
        case (.v4(let a), .v4(let b)): a.overlaps(b)
        case (.v6(let a), .v6(let b)): a.overlaps(b)
        default: false
        }
    }
    /// True when `other` lies inside this block; always false across families.
    public func contains(_ other: IPPrefix) -> Bool {
        switch (self, other) {
        case (.v4(let a), .v4(let b)): a.contains(b)
        case (.v6(let a), .v6(let b)): a.contains(b)
        default: false
        }
    }
    public var description: String {
        switch self {
        case .v4(let p): p.description
        case .v6(let p): p.description
        }
    }
    public static func < (lhs: IPPrefix, rhs: IPPrefix) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v6(let a), .v6(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
