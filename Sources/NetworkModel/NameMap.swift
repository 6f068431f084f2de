/// A hash map from resource names to values, built for the hundreds of thousands of names of a big topology.
///
/// `Dictionary<String, Value>` hashes every key through `Hasher` (per-process seeded SipHash, with set-up and
/// finalisation per key): on the 14 MB benchmark topology that hashing was a third of compiling it. This map
/// hashes the UTF-8 bytes eight at a time with multiply-shift mixing, keeps a 32-bit tag of the hash in each slot so that a probe
/// compares strings only when the tags agree, and stores keys and values in insertion order (so ``keys`` is
/// deterministic). Slots stay at most three quarters full (linear probing); names are never removed.
///
/// The hash is unseeded, so crafted names could collide on purpose; topology files are the user's own input,
/// and a collision costs time, never a wrong answer.
///
/// Inlinable, so that other modules get code specialised for their value type (unspecialised generic code
/// looked up type metadata on every call).
public struct NameMap<Value: Sendable>: Sendable {
    /// One open-addressing slot: the key's hash tag and its index in ``keys`` (-1: empty).
    @usableFromInline struct Slot: Sendable {
        @usableFromInline
        var tag: UInt32
        @usableFromInline var index: Int32
        @inlinable init(tag: UInt32, index: Int32) {
            self.tag = tag
            self.index = index
        }
    }
    /// The keys in insertion order.
    @inlinable public var keys: [String] { storedKeys }
    /// The values, indexed like ``keys``.
    @inlinable public var values: [Value] { storedValues }
    @usableFromInline var storedKeys: [String]
    @usableFromInline var storedValues: [Value]
    @usableFromInline var slots: [Slot]
    /// `64 - log2(slots.count)`: the home slot is the top bits of the mixed hash.
    @usableFromInline var shift: UInt64

    /// An empty map that holds `minimumCapacity` names without growing.
    @inlinable public init(minimumCapacity: Int = 0) {
        var capacity = 16
        while 3 * capacity < 4 * minimumCapacity { capacity <<= 1 }
        slots = Array(repeating: Slot(tag: 0, index: -1), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        storedKeys = []
        storedValues = []
        storedKeys.reserveCapacity(minimumCapacity)
        storedValues.reserveCapacity(minimumCapacity)
    }

    /// The number of names.
    @inlinable public var count: Int { storedKeys.count }

    /// True when the map holds no names.
    @inlinable public var isEmpty: Bool { storedKeys.isEmpty }

    /// The value stored for `name`, or nil.
    @inlinable public subscript(name: String) -> Value? {
        let i = index(of: name, hash: NameMap.hash(name))
        return i < 0 ? nil : storedValues[i]
    }

    /// Stores `value` for `name`, replacing any value stored before (the last write wins).
    @inlinable public mutating func set(_ value: Value, for name: String) {
        let h = NameMap.hash(name)
        let i = index(of: name, hash: h)
        if i >= 0 { storedValues[i] = value } else { append(name, value, hash: h) }
    }

    /// Stores `value` for `name` unless the name is present (the first write wins).
    /// - Returns: true when the name was new.
    @inlinable @discardableResult
    public mutating func insertIfAbsent(_ name: String, _ value: Value) -> Bool {
        let h = NameMap.hash(name)
        guard index(of: name, hash: h) < 0 else { return false }
        append(name, value, hash: h)
        return true
    }

    /// Every (name, value) pair in insertion order.
    @inlinable public var pairs: Zip2Sequence<[String], [Value]> { zip(storedKeys, storedValues) }

    // MARK: Implementation

    /// A 64-bit hash of the UTF-8 bytes, eight at a time (contiguous for native and small strings, so no copy).
    @inlinable @inline(__always) static func hash(_ name: String) -> UInt64 {
        if let h = name.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return h }
        return Array(name.utf8).withUnsafeBytes { hash($0) }
    }

    /// Each 8-byte word (the last one zero-padded) is mixed in with a multiply and a shift; the length seeds
    /// the state, so zero padding cannot make two names collide. Not a keyed hash (see the type's note).
    @inlinable static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(bytes.count) &* k
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* k
            h ^= h &>> 29
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) &<< shift
                shift &+= 8
                i += 1
            }
            h = (h ^ tail) &* k
            h ^= h &>> 29
        }
        return (h ^ (h &>> 32)) &* 0xD6E8_FEB8_6659_FD93
    }

    /// The home slot (the top bits, after one more multiply) and the tag (the low 32 bits).
    @inlinable @inline(__always) func home(_ h: UInt64) -> (slot: Int, tag: UInt32) {
        let mixed = h &* 0x9E37_79B9_7F4A_7C15
        return (Int(truncatingIfNeeded: mixed &>> shift), UInt32(truncatingIfNeeded: h))
    }

    /// The index in ``storedKeys`` of `name`, or -1.
    @inlinable func index(of name: String, hash h: UInt64) -> Int {
        let (start, tag) = home(h)
        return slots.withUnsafeBufferPointer { s in
            let mask = s.count &- 1
            var i = start
            while true {
                let slot = s[i]
                if slot.index < 0 { return -1 }
                if slot.tag == tag, storedKeys[Int(slot.index)] == name { return Int(slot.index) }
                i = (i &+ 1) & mask
            }
        }
    }

    @inlinable mutating func append(_ name: String, _ value: Value, hash h: UInt64) {
        if 4 * (storedKeys.count + 1) > 3 * slots.count { grow() }
        place(Slot(tag: UInt32(truncatingIfNeeded: h), index: Int32(storedKeys.count)), home: home(h).slot)
        storedKeys.append(name)
        storedValues.append(value)
    }

    /// Puts `slot` in the first empty slot from `home` on.
    @inlinable mutating func place(_ slot: Slot, home: Int) {
        slots.withUnsafeMutableBufferPointer { s in
            let mask = s.count &- 1
            var i = home
            while s[i].index >= 0 { i = (i &+ 1) & mask }
            s[i] = slot
        }
    }

    /// Doubles the slot array and re-places every key (hashing it again: slots keep only a tag).
    @inlinable mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: Slot(tag: 0, index: -1), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for (k, name) in storedKeys.enumerated() {
            let h = NameMap.hash(name)
            place(Slot(tag: UInt32(truncatingIfNeeded: h), index: Int32(k)), home: home(h).slot)
        }
    }
}
