// Connection tracking for the replay: an open-addressing hash table of connections keyed by the
// direction-free 5-tuple, with AWS's idle timeouts. Entries are never deleted: an expired entry is reset in
// place when its 5-tuple shows up again, so memory is bounded by the number of distinct 5-tuples.
import CPrefetch
import IPAddressing

/// A direction-free 5-tuple: the lower (address, port) end first. ICMP echo is keyed by its identifier (both
/// "ports"), other ICMP messages by type and code.

struct ConnectionKey: Equatable {
    /// The lower end's address (both ends are the same family).
    var a: FlowAddress
    var b: FlowAddress
    var portA: UInt16
    var portB: UInt16
    var ipProtocol: UInt8

    var isIPv6: Bool { a.isIPv6 }

    /// The key of `packet`, and whether its source is the `a` end.
    @inline(__always) static func of(_ p: DecodedPacket) -> (ConnectionKey, sourceIsA: Bool) {
        var sp = p.sourcePort, dp = p.destinationPort
        if IPProtocol.isICMP(p.ipProtocol) {
            let t = p.icmpType
            if IPProtocol.isEcho(type: t, protocol: p.ipProtocol) {
                // Echo request and reply: one connection per identifier.
                sp = p.icmpIdentifier
                dp = p.icmpIdentifier
            } else {
                // Any other message: one "connection" per type and code (rules match them one by one, so a
                // decision must not serve another type). `k, ~k` never equals an echo key's `id, id`.
                let k = UInt16(t) << 8 | UInt16(p.icmpCode)
                sp = k
                dp = ~k
            }
        }
        let s = p.source, d = p.destination
        let sourceIsA = s.high < d.high || (s.high == d.high && (s.low < d.low || (s.low == d.low && sp <= dp)))
        let key = sourceIsA
            ? ConnectionKey(a: s, b: d, portA: sp, portB: dp, ipProtocol: p.ipProtocol)
            : ConnectionKey(a: d, b: s, portA: dp, portB: sp, ipProtocol: p.ipProtocol)
        return (key, sourceIsA)
    }

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

/// Tracking state of one connection (AWS idle timeouts; netfilter's where AWS publishes none).

enum ConnectionState: UInt8 {
    case tcpSynSent, tcpSynReceived, tcpEstablished, tcpFinWait, tcpBothFin, tcpClosed
    case udpUnreplied, udpReplied, udpStream
    case icmp, other
}

/// Idle timeouts in seconds (Docs/AWS-BEHAVIOUR.md §7 and §4).
public struct TrackingTimeouts: Sendable, Equatable {
    /// TCP established (AWS default 432,000 s; 350 s on Nitro v6 types; settable 60–432,000).
    public var tcpEstablished: Int64 = 432_000
    public var tcpSynSent: Int64 = 120
    public var tcpSynReceived: Int64 = 60
    /// FIN seen from one side (netfilter FIN_WAIT / CLOSE_WAIT; we use the longer).
    public var tcpFinWait: Int64 = 120
    /// FINs from both sides (netfilter LAST_ACK → TIME_WAIT; we use TIME_WAIT's 120 s).
    public var tcpBothFin: Int64 = 120
    /// After a RST (netfilter CLOSE).
    public var tcpClosed: Int64 = 10
    /// UDP one direction, or one request/response.
    public var udp: Int64 = 30
    /// UDP with several exchanges.
    public var udpStream: Int64 = 180
    public var icmp: Int64 = 30
    public var other: Int64 = 600
    /// NAT gateway idle timeout: caps every connection through a NAT gateway.
    public var natGateway: Int64 = 350
    public init() {}

    func timeout(_ state: ConnectionState, throughNAT: Bool) -> Int64 {
        let t: Int64
        switch state {
        case .tcpSynSent: t = tcpSynSent
        case .tcpSynReceived: t = tcpSynReceived
        case .tcpEstablished: t = tcpEstablished
        case .tcpFinWait: t = tcpFinWait
        case .tcpBothFin: t = tcpBothFin
        case .tcpClosed: t = tcpClosed
        case .udpUnreplied, .udpReplied: t = udp
        case .udpStream: t = udpStream
        case .icmp: t = icmp
        case .other: t = other
        }
        return throughNAT ? min(t, natGateway) : t
    }
}

/// What the replay remembers per connection direction: the records its packets go to in one interval.

struct DirectionCache {
    /// The interval the slots belong to; `Int64.min`: not computed.
    var interval: Int64 = .min
    var bytes: UInt64 = 0
    var first: Int64 = 0
    var last: Int64 = 0
    var slotStart: Int32 = 0
    var slotCount: Int32 = 0
    /// Packets of this direction since the last flush into its records (all its records get the same
    /// increments, so they are counted once here: a packet touches only its connection).
    var packets: UInt32 = 0
    /// 0 no interface saw it, 1 accepted, 2 rejected, 3 never logged.
    var outcome: UInt8 = 0
    var flags: UInt8 = 0
    init() {}
}

/// One tracked connection.

struct Connection {
    // Laid out hot first: a packet reads the key, the tracking fields and one direction.
    var key: ConnectionKey
    var lastSeen: Int64 = 0
    /// NAT gateway index (-1 none) and the port it maps the initiator to.
    var natGateway: Int32 = -1
    var natPort: UInt16 = 0
    /// true: the `a` end of the key opened the connection.
    var initiatorIsA = true
    var state = ConnectionState.other
    /// The security groups admitted the first packet: replies are tracked.
    var tracked = false
    /// The NAT mapping was made for the initiator's packets (the usual case): replies then reach the NAT
    /// gateway's address and port. False when the responder's packets made it (a capture whose first packet came
    /// from the internet to a private address, answered through a NAT gateway).
    var natByInitiator = true
    /// The preserving NLB node that forwards this connection (its interface), -1 none, -2 not asked yet
    /// (``FlowReplay/preservingNode(for:origin:)``; asked once, at the first decision of the initiator's packets).
    var loadBalancerNode: Int32 = -2
    var forward = DirectionCache()
    var reply = DirectionCache()
    init(key: ConnectionKey) { self.key = key }
}

/// Open-addressing (linear probing) table of connections.
///
/// Kept instead of `Dictionary` on measurement (issue 17, `Benchmarks/hashtables`, 100,000 flows, one
/// find-or-insert a packet): 152 instructions a packet against 748 for `Dictionary<ConnectionKey, Int>` with
/// synthesized hashing and 433 with `hash(into:)` fed this table's mixer (callgrind); 233 vs 917 ns (release,
/// one core). It also lets the capture loop prefetch a packet's slot and entry ahead (`prefetchSlot`,
/// `prefetchEntry`), which `Dictionary` cannot. Docs/PERFORMANCE.md, "Issue 17: hash tables".

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

    /// A placeholder without storage (swapped in while the real table is lent out).
    init(empty: Void) {
        slots = []
        mask = 0
    }

    /// The index of the connection with `key`, inserting a fresh one if absent; `inserted` says which.
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

    /// The index of the connection with `key`, nil when there is none.
    func find(_ key: ConnectionKey, hash: UInt64) -> Int? {
        guard !slots.isEmpty else { return nil }
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            if entries[Int(s)].key == key { return Int(s) }
            i = (i + 1) & mask
        }
    }

    /// Hints the slot a look-up of `hash` starts at into the cache.
    @inline(__always) func prefetchSlot(_ hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { vpckit_prefetch(base + (Int(truncatingIfNeeded: hash) & mask)) }
        }
    }

    /// Hints the entry the slot of `hash` points at (if that slot is taken) into the cache.
    @inline(__always) func prefetchEntry(_ hash: UInt64) {
        let s = Int(slots[Int(truncatingIfNeeded: hash) & mask])
        guard s >= 0 else { return }
        entries.withUnsafeBufferPointer { entries in
            guard let base = entries.baseAddress else { return }
            // Every line of the entry: the key and tracking fields, and both directions' counters.
            let start = UnsafeRawPointer(base + s)
            var offset = 0
            while offset < MemoryLayout<Connection>.stride {
                vpckit_prefetch(start + offset)
                offset &+= 64
            }
            vpckit_prefetch(start + (MemoryLayout<Connection>.stride &- 1))
        }
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

extension DirectionCache {
    /// Counts one packet; returns the direction's outcome.
    @inline(__always) mutating func add(time: Int64, bytes: UInt32, flags: UInt8) -> UInt8 {
        if packets == 0 { first = time }
        packets &+= 1
        self.bytes &+= UInt64(bytes)
        self.flags |= flags
        last = time
        return outcome
    }
}

extension DirectionCache {
    /// Forgets counts already flushed into records.
    mutating func clearCounts() {
        packets = 0
        bytes = 0
        flags = 0
    }
}
