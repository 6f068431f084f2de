// A small open-addressing map from addresses to interface numbers, for the replay's per-decision look-ups
// (`Dictionary<FlowAddress, Int32>` hashed every probe with SipHash through `Hasher`).

/// Open-addressing (linear probing) map `FlowAddress → Int32` with a multiplicative hash; built once, read
/// many times. Keys and values sit at their slots (no indirection); an empty slot has value -1, so stored
/// values must be ≥ 0.
struct AddressTable: Sendable {
    private var keys: [FlowAddress]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        keys = Array(repeating: FlowAddress(v4: 0), count: c)
        values = Array(repeating: -1, count: c)
        mask = c - 1
    }

    @inline(__always) static func hash(_ a: FlowAddress) -> UInt64 {
        var h = a.low &* 0x9E37_79B9_7F4A_7C15
        h ^= a.high &* 0xC2B2_AE3D_27D4_EB4F &+ (a.isIPv6 ? 1 : 0)
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The value stored for `address`, nil if none.
    @inline(__always) func value(for address: FlowAddress) -> Int32? {
        var i = Int(truncatingIfNeeded: Self.hash(address)) & mask
        while true {
            let v = values[i]
            if v < 0 { return nil }
            if keys[i] == address { return v }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` (≥ 0) for `address` unless the address already has one (the first stays).
    mutating func insertIfAbsent(_ address: FlowAddress, _ value: Int32) {
        precondition(value >= 0, "AddressTable values are ≥ 0")
        var i = Int(truncatingIfNeeded: Self.hash(address)) & mask
        while values[i] >= 0 {
            if keys[i] == address { return }
            i = (i + 1) & mask
        }
        keys[i] = address
        values[i] = value
        count += 1
        if count * 2 > values.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        let c = values.count * 2
        keys = Array(repeating: FlowAddress(v4: 0), count: c)
        values = Array(repeating: -1, count: c)
        mask = c - 1
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where v >= 0 { insertIfAbsent(k, v) }
    }
}
