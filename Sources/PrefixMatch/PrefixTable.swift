import IPAddressing

/// A mutable longest-prefix-match table from CIDR prefixes of one family to values.
///
/// This is the *builder*: insert, remove, exact get and a (slow-path) longest-prefix lookup. Freeze it with
/// ``compiled()`` for fast lookups; the compiled form chooses its layout by size (see Docs/ARCHITECTURE.md).
/// Iteration is in prefix order (network address, then length: every block before the blocks nested in it).
///
/// Inserting a prefix that is already present replaces its value. Prefixes are canonical by construction
/// (``Prefix`` clears host bits), so `10.0.0.5/8` and `10.0.0.0/8` are the same key.
///
/// ```swift
/// var table = PrefixTable<IPv4Address, UInt32>()
/// table.insert(try IPv4Prefix("10.0.0.0/8"), 1)
/// table.insert(try IPv4Prefix("10.1.0.0/16"), 2)
/// let routes = table.compiled()
/// routes.lookup(try IPv4Address("10.1.2.3"))   // 2
/// ```
public struct PrefixTable<Address: IPAddressProtocol, Value: Sendable>: Sendable {
    /// One route: a prefix and its value.
    public typealias Element = (prefix: Prefix<Address>, value: Value)

    /// Prefixes in insertion order (holes filled by moving the last element on removal).
    @usableFromInline var keys: [Prefix<Address>] = []
    /// `values[i]` belongs to `keys[i]`.
    @usableFromInline var values: [Value] = []
    /// Position of each key in `keys`; built only once the table outgrows a linear search.
    @usableFromInline var positions: [Prefix<Address>: Int] = [:]
    /// Bit `l` (in word `l / 64`) is set when some prefix of length `l` is present (a hint; may be stale-set).
    @usableFromInline var lengthHint: (UInt64, UInt64, UInt64) = (0, 0, 0)

    /// Tables with at most this many entries find keys by a linear scan instead of hashing.
    @usableFromInline static var linearLimit: Int { 24 }

    /// Creates an empty table.
    @inlinable public init() {}

    /// Creates an empty table with room for `minimumCapacity` routes.
    @inlinable public init(minimumCapacity: Int) {
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
        if minimumCapacity > Self.linearLimit { positions.reserveCapacity(minimumCapacity) }
    }

    /// Creates a table from routes; a later duplicate prefix replaces an earlier one.
    @inlinable public init<S: Sequence>(_ routes: S) where S.Element == (Prefix<Address>, Value) {
        self.init(minimumCapacity: routes.underestimatedCount)
        for (prefix, value) in routes { insert(prefix, value) }
    }

    /// The number of routes.
    @inlinable public var count: Int { keys.count }
    /// True when the table has no routes.
    @inlinable public var isEmpty: Bool { keys.isEmpty }

    @inlinable func position(of prefix: Prefix<Address>) -> Int? {
        if keys.count <= Self.linearLimit {
            for i in keys.indices where keys[i] == prefix { return i }
            return nil
        }
        return positions[prefix]
    }

    /// Inserts or replaces the route for `prefix`.
    ///
    /// - Returns: the value it replaced, or nil when the prefix was new.
    /// - Complexity: amortised O(1).
    @inlinable @discardableResult
    public mutating func insert(_ prefix: Prefix<Address>, _ value: Value) -> Value? {
        if let i = position(of: prefix) {
            let old = values[i]
            values[i] = value
            return old
        }
        keys.append(prefix)
        values.append(value)
        let n = keys.count
        if n == Self.linearLimit + 1 {
            positions.reserveCapacity(2 * n)
            for i in keys.indices { positions[keys[i]] = i }
        } else if n > Self.linearLimit + 1 {
            positions[prefix] = n - 1
        }
        let l = Int(prefix.length)
        switch l >> 6 {
        case 0: lengthHint.0 |= 1 << UInt64(l & 63)
        case 1: lengthHint.1 |= 1 << UInt64(l & 63)
        default: lengthHint.2 |= 1 << UInt64(l & 63)
        }
        return nil
    }

    /// Removes the route for `prefix`.
    ///
    /// - Returns: its value, or nil when the prefix was not in the table.
    /// - Complexity: O(1) (amortised).
    @inlinable @discardableResult
    public mutating func remove(_ prefix: Prefix<Address>) -> Value? {
        guard let i = position(of: prefix) else { return nil }
        let old = values[i]
        let last = keys.count - 1
        let usesIndex = keys.count > Self.linearLimit
        if usesIndex { positions[prefix] = nil }
        if i != last {
            keys[i] = keys[last]
            values[i] = values[last]
            if usesIndex { positions[keys[i]] = i }
        }
        keys.removeLast()
        values.removeLast()
        if keys.count == Self.linearLimit { positions.removeAll(keepingCapacity: false) }
        return old
    }

    /// The value stored for exactly `prefix` (no longest-prefix matching); setting nil removes the route.
    @inlinable public subscript(prefix: Prefix<Address>) -> Value? {
        get { position(of: prefix).map { values[$0] } }
        set {
            if let newValue { insert(prefix, newValue) } else { remove(prefix) }
        }
    }

    /// True when exactly `prefix` is in the table.
    @inlinable public func contains(_ prefix: Prefix<Address>) -> Bool { position(of: prefix) != nil }

    @inlinable func hasLength(_ l: Int) -> Bool {
        let bit = UInt64(1) << UInt64(l & 63)
        switch l >> 6 {
        case 0: return lengthHint.0 & bit != 0
        case 1: return lengthHint.1 & bit != 0
        default: return lengthHint.2 & bit != 0
        }
    }

    /// The longest prefix containing `address`, with its value.
    ///
    /// This is the builder's reference path (one exact probe per prefix length in use, longest first);
    /// use ``compiled()`` for speed.
    @inlinable public func longestMatch(_ address: Address) -> Element? {
        if keys.count <= Self.linearLimit {
            var best = -1
            for i in keys.indices where keys[i].contains(address) {
                if best < 0 || keys[i].length > keys[best].length { best = i }
            }
            return best < 0 ? nil : (keys[best], values[best])
        }
        var l = Address.bitWidth
        while l >= 0 {
            if hasLength(l), let p = Prefix(network: address, length: l), let i = positions[p] {
                return (keys[i], values[i])
            }
            l -= 1
        }
        return nil
    }

    /// The value of the longest prefix containing `address`.
    @inlinable public func lookup(_ address: Address) -> Value? { longestMatch(address)?.value }

    /// Every prefix containing `address`, longest first — the winner, then the candidates it beat.
    public func allMatches(_ address: Address) -> [Element] {
        var result: [Element] = []
        for i in keys.indices where keys[i].contains(address) { result.append((keys[i], values[i])) }
        result.sort { $0.prefix.length > $1.prefix.length }
        return result
    }

    /// The routes in prefix order (network address, then length).
    ///
    /// - Complexity: O(n log n); the table keeps insertion order internally.
    public var sortedRoutes: [Element] {
        sortedOrder().map { (keys[$0], values[$0]) }
    }

    /// Indices into `keys` in prefix order.
    @inlinable func sortedOrder() -> [Int] {
        keys.withUnsafeBufferPointer { k in
            var order = Array(k.indices)
            order.sort { a, b in
                let x = k[a], y = k[b]
                return x.network.bits != y.network.bits ? x.network.bits < y.network.bits : x.length < y.length
            }
            return order
        }
    }

    /// Freezes the table into its lookup-optimised form. The builder is unchanged and can be edited and
    /// compiled again.
    ///
    /// - Complexity: O(n log n).
    @inlinable public func compiled() -> CompiledPrefixTable<Address, Value> {
        CompiledPrefixTable(building: self)
    }
}

extension PrefixTable: Sequence {
    /// Iterates the routes in prefix order (network address, then length).
    public func makeIterator() -> IndexingIterator<[Element]> { sortedRoutes.makeIterator() }
    /// The number of routes.
    public var underestimatedCount: Int { keys.count }
}

extension PrefixTable: CustomStringConvertible {
    /// One `prefix → value` per line, in prefix order.
    public var description: String {
        sortedRoutes.map { "\($0.prefix) → \($0.value)" }.joined(separator: "\n")
    }
}
