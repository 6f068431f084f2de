/// An inclusive range of addresses of one family, `lower...upper` (never empty).
///
/// Ranges are what prefix-set algebra works in: any set of addresses is a sorted list of disjoint ranges, and
/// any range has a unique minimal list of CIDR blocks covering it exactly (``prefixes``).
@frozen public struct IPRange<Address: IPAddressProtocol>: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first address in the range.
    public let lower: Address
    /// The last address in the range (inclusive).
    public let upper: Address

    /// Creates `lower...upper`, or nil when `lower > upper`.
    @inlinable public init?(lower: Address, upper: Address) {
        guard lower <= upper else { return nil }
        self.lower = lower
        self.upper = upper
    }

    /// Creates a range whose bounds are known to be ordered.
    @inlinable init(uncheckedLower lower: Address, upper: Address) {
        self.lower = lower
        self.upper = upper
    }

    /// The range of one CIDR block.
    @inlinable public init(_ prefix: Prefix<Address>) {
        self.init(uncheckedLower: prefix.first, upper: prefix.last)
    }

    /// Parses `A-B` (two addresses of this family, `A <= B`), a CIDR block `A/N`, or one address `A` (the range of
    /// that address alone: what ``description`` prints for a one-address range, so printed ranges read back).
    ///
    /// - Throws: ``IPParseError``; a reversed range is an ``IPParseError/Kind/unexpectedCharacter(_:)`` at the `-`.
    public init(parsing text: Substring) throws(IPParseError) {
        if let dash = text.utf8.firstIndex(of: UInt8(ascii: "-")) {
            let dashOffset = text.utf8.distance(from: text.utf8.startIndex, to: dash)
            let lower = try Address(parsing: text[text.startIndex..<dash])
            let upper: Address
            do {
                upper = try Address(parsing: text[text.utf8.index(after: dash)...])
            } catch {
                throw IPParseError(error.kind, offset: error.offset + dashOffset + 1)
            }
            guard let range = IPRange(lower: lower, upper: upper) else {
                throw IPParseError(.unexpectedCharacter("-"), offset: dashOffset)
            }
            self = range
        } else if text.utf8.contains(UInt8(ascii: "/")) {
            self.init(try Prefix<Address>(parsing: text))
        } else {
            let address = try Address(parsing: text)
            // lower == upper: always a range (the guard never fails).
            guard let one = IPRange(lower: address, upper: address) else { throw IPParseError(.empty, offset: 0) }
            self = one
        }
    }

    /// The number of addresses, or nil when it does not fit `Address.Bits` (the whole address space).
    @inlinable public var count: Address.Bits? {
        let span = upper.bits &- lower.bits
        return span == Address.Bits.max ? nil : span &+ 1
    }

    /// True when `address` is in the range.
    @inlinable public func contains(_ address: Address) -> Bool { lower <= address && address <= upper }
    /// True when `other` lies wholly inside this range.
    @inlinable public func contains(_ other: IPRange) -> Bool { lower <= other.lower && other.upper <= upper }
    /// True when the ranges share at least one address.
    @inlinable public func overlaps(_ other: IPRange) -> Bool { lower <= other.upper && other.lower <= upper }

    /// The minimal list of CIDR blocks whose union is exactly this range, in address order.
    ///
    /// - Complexity: O(bitWidth) blocks at most 2·bitWidth.
    public var prefixes: [Prefix<Address>] {
        var result: [Prefix<Address>] = []
        forEachPrefix { result.append($0) }
        return result
    }

    /// Calls `body` with each block of the minimal cover (see ``prefixes``), in address order, without
    /// allocating.
    @inlinable public func forEachPrefix(_ body: (Prefix<Address>) throws -> Void) rethrows {
        let width = Address.bitWidth
        var lo = lower.bits
        let hi = upper.bits
        while true {
            // The largest block that starts at `lo` (alignment) and ends at or before `hi` (size).
            let alignment = lo == 0 ? width : lo.trailingZeroBitCount
            let span = hi &- lo
            let fit = span == Address.Bits.max ? width : width - (span &+ 1).leadingZeroBitCount - 1
            let hostBits = Swift.min(alignment, fit)
            try body(Prefix(uncheckedNetwork: Address(bits: lo), length: UInt8(width - hostBits)))
            let blockLast = hostBits == width ? Address.Bits.max : lo | ((Address.Bits(1) &<< Address.Bits(hostBits)) &- 1)
            if blockLast >= hi { return }
            lo = blockLast &+ 1
        }
    }

    /// The single smallest CIDR block that contains the whole range.
    @inlinable public var enclosingPrefix: Prefix<Address> {
        let differing = lower.bits ^ upper.bits
        let length = differing == 0 ? Address.bitWidth : differing.leadingZeroBitCount
        return Prefix(network: lower, length: length) ?? Prefix(uncheckedNetwork: Address.min, length: 0)
    }

    /// Order by lower bound, then upper bound.
    @inlinable public static func < (a: IPRange, b: IPRange) -> Bool {
        a.lower != b.lower ? a.lower < b.lower : a.upper < b.upper
    }

    /// `lower-upper`, or a single address when the range holds one.
    public var description: String { lower == upper ? lower.description : "\(lower)-\(upper)" }
}

public typealias IPv4Range = IPRange<IPv4Address>
public typealias IPv6Range = IPRange<IPv6Address>
