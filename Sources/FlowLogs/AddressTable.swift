// A small open-addressing map from addresses to interface numbers, for the replay's per-decision look-ups
// (`Dictionary<FlowAddress, Int32>` hashed every probe with SipHash through `Hasher`).

/// Open-addressing (linear probing) map `FlowAddress → Int32` with a multiplicative hash; built once, read
/// many times.
///
/// Kept instead of `Dictionary` on measurement (issue 17, `Benchmarks/hashtables`, 2,000 addresses, 9 in 10
/// look-ups hit): 47 instructions a look-up against `Dictionary<FlowAddress, Int32>`'s 318 (callgrind), 26 vs
/// 92 ns (release, one core). Docs/PERFORMANCE.md, "Issue 17: hash tables". Each slot holds its key and value together (one cache line per probe, no indirection); an empty
/// slot has value -1, so stored values must be ≥ 0.
struct AddressTable: Sendable {
    struct Slot: Sendable {
        var key: FlowAddress
        var value: Int32
    }
    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = Array(repeating: Slot(key: FlowAddress(v4: 0), value: -1), count: c)
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
            let slot = slots[i]
            if slot.value < 0 { return nil }
            if slot.key == address { return slot.value }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` (≥ 0) for `address` unless the address already has one (the first stays).
    mutating func insertIfAbsent(_ address: FlowAddress, _ value: Int32) {
        precondition(value >= 0, "AddressTable values are ≥ 0")
        var i = Int(truncatingIfNeeded: Self.hash(address)) & mask
        while slots[i].value >= 0 {
            if slots[i].key == address { return }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: address, value: value)
        count += 1
        if count * 2 > slots.count { grow() }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: FlowAddress(v4: 0), value: -1), count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for slot in old where slot.value >= 0 { insertIfAbsent(slot.key, slot.value) }
    }
}
