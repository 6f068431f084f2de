import Glibc

// Hash-table micro-benchmark (issue 17, point 6): each hand-written open-addressing table of the replay and
// query paths against `Dictionary` on the same keys and the same access pattern. The custom tables are
// copied here unchanged in their probe loops (they are internal to their modules); the workloads follow their
// use: IndexMap (Reachability: address/pair → index), AddressTable (FlowLogs: address → interface),
// ConnectionTable (FlowLogs: 5-tuple → connection, one look-up per packet) and RecordIndex (FlowLogs:
// record key → record, one look-up per decision/flush).
//
// Run: ./run.sh (release `swiftc -O`, wall times, and instruction counts under callgrind).
// Usage: hashtables [table] [operations] [variant]   table: index | address | connection | record | all;
// variant: custom | dictionary | cheap (connection only) | both | none (none: set-up only, the baseline callgrind counts subtract)

// MARK: Keys (as in the package)

struct FlowAddress: Hashable {
    var high: UInt64
    var low: UInt64
    var isIPv6: Bool
    init(v4 bits: UInt32) { high = 0; low = UInt64(bits); isIPv6 = false }
}

struct ConnectionKey: Hashable {
    var a: FlowAddress
    var b: FlowAddress
    var portA: UInt16
    var portB: UInt16
    var ipProtocol: UInt8
    @inline(__always) var hash: UInt64 {
        var h = a.low &* 0x9E37_79B9_7F4A_7C15
        h ^= a.high &* 0xC2B2_AE3D_27D4_EB4F
        h = (h << 29 | h >> 35) ^ (b.low &* 0x1656_67B1_9E37_79F9)
        h ^= b.high &* 0x85EB_CA77_C2B2_AE63
        h ^= (UInt64(portA) << 24 | UInt64(portB) << 8 | UInt64(ipProtocol)) &* 0x27D4_EB2F_1656_67C5
        h ^= h >> 31
        h = h &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }
}

/// The same key with `hash(into:)` feeding the cheap mixer's one word (Dictionary's best case: one SipHash
/// round over 8 bytes instead of the 40-byte key).
struct CheapConnectionKey: Hashable {
    var key: ConnectionKey
    static func == (x: Self, y: Self) -> Bool { x.key == y.key }
    func hash(into h: inout Hasher) { h.combine(key.hash) }
}

struct RecordKey: Hashable {
    var interval: Int64
    var interface: Int32
    var isEgress: Bool
    var accepted: Bool
    var source: FlowAddress
    var destination: FlowAddress
    var sourcePort: UInt16
    var destinationPort: UInt16
    var ipProtocol: UInt8
    var packetSource: FlowAddress
    var packetDestination: FlowAddress
    var hash: UInt64 {
        @inline(__always) func mix(_ a: FlowAddress) -> UInt64 { (a.low ^ a.high &* 0xC2B2_AE3D_27D4_EB4F) &+ (a.isIPv6 ? 1 : 0) }
        var h = UInt64(bitPattern: interval) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: interface)) << 20 | UInt64(isEgress ? 2 : 0) | UInt64(accepted ? 1 : 0)
        h = (h ^ mix(source)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ mix(destination)) &* 0x94D0_49BB_1331_11EB
        h ^= UInt64(sourcePort) << 24 | UInt64(destinationPort) << 8 | UInt64(ipProtocol)
        h = (h ^ mix(packetSource)) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ mix(packetDestination)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 31)
    }
}

// MARK: The custom tables (probe loops as in the package)

/// Reachability/HotData.swift `IndexMap`.
struct IndexMap {
    struct Slot { var key: UInt64; var value: Int32 }
    private(set) var slots: [Slot]
    private var shift: UInt64
    private(set) var count = 0
    init(expected: Int = 0) {
        var capacity = 16
        while capacity < 2 * expected { capacity <<= 1 }
        slots = Array(repeating: Slot(key: 0, value: -1), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }
    @inline(__always) private static func home(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }
    @inline(__always) func find(_ key: UInt64) -> Int32 {
        slots.withUnsafeBufferPointer { s in
            let mask = s.count &- 1
            var i = IndexMap.home(key, shift)
            while true {
                let slot = s[i]
                if slot.value < 0 { return -1 }
                if slot.key == key { return slot.value }
                i = (i &+ 1) & mask
            }
        }
    }
    mutating func insertIfAbsent(_ key: UInt64, _ value: Int32) {
        if 2 * (count + 1) > slots.count { grow() }
        let mask = slots.count - 1
        var i = IndexMap.home(key, shift)
        while slots[i].value >= 0 {
            if slots[i].key == key { return }
            i = (i + 1) & mask
        }
        slots[i] = Slot(key: key, value: value)
        count += 1
    }
    private mutating func grow() {
        let old = slots
        self = IndexMap(expected: slots.count)
        for slot in old where slot.value >= 0 { insertIfAbsent(slot.key, slot.value) }
    }
}

/// FlowLogs/AddressTable.swift.
struct AddressTable {
    struct Slot { var key: FlowAddress; var value: Int32 }
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
    @inline(__always) func value(for address: FlowAddress) -> Int32? {
        var i = Int(truncatingIfNeeded: Self.hash(address)) & mask
        while true {
            let slot = slots[i]
            if slot.value < 0 { return nil }
            if slot.key == address { return slot.value }
            i = (i + 1) & mask
        }
    }
    mutating func insertIfAbsent(_ address: FlowAddress, _ value: Int32) {
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

/// FlowLogs/ConnectionTable.swift (entries reduced to the key and a counter; the real entry is 168 bytes).
struct Connection { var key: ConnectionKey; var packets: UInt64 = 0 }
struct ConnectionTable {
    var slots: [Int32]
    var entries: [Connection] = []
    var mask: Int
    init(capacity: Int = 1 << 12) {
        var c = 16
        while c < capacity { c <<= 1 }
        slots = Array(repeating: -1, count: c)
        mask = c - 1
    }
    mutating func findOrInsert(_ key: ConnectionKey, hash: UInt64) -> (index: Int, inserted: Bool) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s < 0 { break }
            if entries[Int(s)].key == key { return (Int(s), false) }
            i = (i + 1) & mask
        }
        let index = entries.count
        entries.append(Connection(key: key))
        slots[i] = Int32(index)
        if entries.count * 2 > slots.count { grow() }
        return (index, true)
    }
    mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (n, entry) in entries.enumerated() {
            var i = Int(truncatingIfNeeded: entry.key.hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(n)
        }
    }
}

/// FlowLogs/FlowReplay.swift `RecordIndex` with the look-up of `findRecord`.
struct RecordIndex {
    static let empty = UInt64.max
    var slots: [UInt64]
    var mask: Int
    var count = 0
    init(capacity: Int = 1 << 12) {
        var c = 16
        while c < capacity { c <<= 1 }
        slots = Array(repeating: Self.empty, count: c)
        mask = c - 1
    }
    @inline(__always) static func tag(_ hash: UInt64) -> UInt64 { hash >> 32 }
    @inline(__always) func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: Self.tag(hash)) & mask }
    mutating func insert(_ r: Int32, hash: UInt64, at slot: Int) {
        slots[slot] = Self.tag(hash) << 32 | UInt64(UInt32(bitPattern: r))
        count += 1
        guard count * 2 > slots.count else { return }
        let old = slots
        let capacity = slots.count * 2
        slots = Array(repeating: Self.empty, count: capacity)
        mask = capacity - 1
        for entry in old where entry != Self.empty {
            var i = Int(truncatingIfNeeded: entry >> 32) & mask
            while slots[i] != Self.empty { i = (i + 1) & mask }
            slots[i] = entry
        }
    }
}
struct Records {
    var index = RecordIndex()
    var list: [RecordKey] = []
    @inline(__always) func find(_ key: RecordKey, hash: UInt64) -> (slot: Int, record: Int32) {
        let tag = RecordIndex.tag(hash)
        var i = index.home(hash)
        while true {
            let entry = index.slots[i]
            if entry == RecordIndex.empty { return (i, -1) }
            let r = Int32(truncatingIfNeeded: entry)
            if entry >> 32 == tag, list[Int(r)] == key { return (i, r) }
            i = (i + 1) & index.mask
        }
    }
    mutating func findOrCreate(_ key: RecordKey) -> Int32 {
        let hash = key.hash
        let (slot, existing) = find(key, hash: hash)
        if existing >= 0 { return existing }
        let r = Int32(list.count)
        list.append(key)
        index.insert(r, hash: hash, at: slot)
        return r
    }
}

// MARK: Workloads

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@inline(never) func blackHole(_ x: Int) { if x == 0x5EED_5EED { print("") } }

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func time(_ name: String, _ ops: Int, _ body: () -> Int) {
    let t0 = now()
    let check = body()
    let t = now() - t0
    blackHole(check)
    print("\(name): \(String(Int((t * 1e9 / Double(ops)).rounded()))) ns/op (\(ops) ops, check \(check))")
}

/// 10,000 keys (addresses and peering pairs), look-ups 3/4 hits.
func indexWorkload(ops: Int, variant: String) {
    var rng = SplitMix64(state: 1)
    let keys = (0..<10_000).map { _ in rng.next() }
    let probes = (0..<ops).map { i in i % 4 == 3 ? rng.next() : keys[Int(rng.next() % 10_000)] }
    if variant == "custom" || variant == "both" {
        var m = IndexMap()
        for (i, k) in keys.enumerated() { m.insertIfAbsent(k, Int32(i)) }
        time("IndexMap.find", ops) { var s = 0; for p in probes { s &+= Int(m.find(p)) }; return s }
    }
    if variant == "dictionary" || variant == "both" {
        var d: [UInt64: Int32] = [:]
        for (i, k) in keys.enumerated() where d[k] == nil { d[k] = Int32(i) }
        time("Dictionary<UInt64, Int32>", ops) { var s = 0; for p in probes { s &+= Int(d[p] ?? -1) }; return s }
    }
}

/// 2,000 interface addresses (10.x), look-ups of packet addresses, 9/10 hits.
func addressWorkload(ops: Int, variant: String) {
    var rng = SplitMix64(state: 2)
    let keys = (0..<2_000).map { _ in FlowAddress(v4: 0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0xFFFFF) }
    let probes = (0..<ops).map { i in i % 10 == 9 ? FlowAddress(v4: UInt32(truncatingIfNeeded: rng.next())) : keys[Int(rng.next() % 2_000)] }
    if variant == "custom" || variant == "both" {
        var t = AddressTable(capacity: keys.count)
        for (i, k) in keys.enumerated() { t.insertIfAbsent(k, Int32(i)) }
        time("AddressTable.value", ops) { var s = 0; for p in probes { s &+= Int(t.value(for: p) ?? -1) }; return s }
    }
    if variant == "dictionary" || variant == "both" {
        var d: [FlowAddress: Int32] = [:]
        for (i, k) in keys.enumerated() where d[k] == nil { d[k] = Int32(i) }
        time("Dictionary<FlowAddress, Int32>", ops) { var s = 0; for p in probes { s &+= Int(d[p] ?? -1) }; return s }
    }
}

/// 100,000 flows (the replay benchmark's), one find-or-insert per packet in random flow order.
func connectionWorkload(ops: Int, variant: String) {
    var rng = SplitMix64(state: 3)
    let flows = (0..<100_000).map { _ -> ConnectionKey in
        let r = rng.next()
        return ConnectionKey(a: FlowAddress(v4: 0x0A00_0000 | UInt32(truncatingIfNeeded: r) & 0xFFFF),
                             b: FlowAddress(v4: UInt32(truncatingIfNeeded: r >> 16)),
                             portA: UInt16(truncatingIfNeeded: r >> 48), portB: 443, ipProtocol: 6)
    }
    let packets = (0..<ops).map { _ in flows[Int(rng.next() % 100_000)] }
    if variant == "custom" || variant == "both" {
        time("ConnectionTable.findOrInsert", ops) {
            var t = ConnectionTable()
            var s = 0
            for p in packets { let (i, _) = t.findOrInsert(p, hash: p.hash); t.entries[i].packets &+= 1; s &+= i }
            return s
        }
    }
    if variant == "dictionary" || variant == "both" {
        time("Dictionary<ConnectionKey, Int> (synthesized Hashable)", ops) {
            var d: [ConnectionKey: Int] = [:]
            var entries: [Connection] = []
            var s = 0
            for p in packets {
                let i: Int
                if let e = d[p] { i = e } else { i = entries.count; entries.append(Connection(key: p)); d[p] = i }
                entries[i].packets &+= 1
                s &+= i
            }
            return s
        }
    }
    if variant == "cheap" || variant == "both" {
        time("Dictionary<ConnectionKey, Int> (hash(into:) of the cheap mixer)", ops) {
            var d: [CheapConnectionKey: Int] = [:]
            var entries: [Connection] = []
            var s = 0
            for p in packets {
                let i: Int
                let k = CheapConnectionKey(key: p)
                if let e = d[k] { i = e } else { i = entries.count; entries.append(Connection(key: p)); d[k] = i }
                entries[i].packets &+= 1
                s &+= i
            }
            return s
        }
    }
}

/// Record keys: 100,000 flows × intervals, each key looked up ~10 times (883,560 records for 10 M packets in
/// the replay benchmark: about one new record per 11 look-ups).
func recordWorkload(ops: Int, variant: String) {
    var rng = SplitMix64(state: 4)
    let distinct = Swift.max(1, ops / 11)
    let keys = (0..<distinct).map { i -> RecordKey in
        let r = rng.next()
        let s = FlowAddress(v4: 0x0A00_0000 | UInt32(truncatingIfNeeded: r) & 0xFFFF), d = FlowAddress(v4: UInt32(truncatingIfNeeded: r >> 16))
        return RecordKey(interval: Int64(i / 100_000) * 600, interface: Int32(r % 2000), isEgress: r & 1 == 0, accepted: true,
                         source: s, destination: d, sourcePort: UInt16(truncatingIfNeeded: r >> 48), destinationPort: 443,
                         ipProtocol: 6, packetSource: s, packetDestination: d)
    }
    let lookups = (0..<ops).map { _ in keys[Int(rng.next() % UInt64(distinct))] }
    if variant == "custom" || variant == "both" {
        time("RecordIndex find-or-create", ops) {
            var r = Records()
            var s = 0
            for k in lookups { s &+= Int(r.findOrCreate(k)) }
            return s
        }
    }
    if variant == "dictionary" || variant == "both" {
        time("Dictionary<RecordKey, Int32> find-or-create", ops) {
            var d: [RecordKey: Int32] = [:]
            var list: [RecordKey] = []
            var s = 0
            for k in lookups {
                let r: Int32
                if let e = d[k] { r = e } else { r = Int32(list.count); list.append(k); d[k] = r }
                s &+= Int(r)
            }
            return s
        }
    }
}

let args = CommandLine.arguments
let which = args.count > 1 ? args[1] : "all"
let ops = args.count > 2 ? Int(args[2]) ?? 10_000_000 : 10_000_000
let variant = args.count > 3 ? args[3] : "both"
if which == "all" || which == "index" { indexWorkload(ops: ops, variant: variant) }
if which == "all" || which == "address" { addressWorkload(ops: ops, variant: variant) }
if which == "all" || which == "connection" { connectionWorkload(ops: ops, variant: variant) }
if which == "all" || which == "record" { recordWorkload(ops: ops, variant: variant) }
