// The replay loop: decoded packets in capture order → connection tracking → the network model (cached per
// connection, direction and interval) → aggregated flow log records.
import CPrefetch
import IPAddressing
import Reachability

/// Replay settings.
public struct ReplayOptions: Sendable {
    /// Aggregation interval in seconds (AWS: 60 or 600); intervals are aligned to the Unix epoch.
    public var interval: Int64 = 600
    /// Idle timeouts of connection tracking.
    public var timeouts = TrackingTimeouts()
    /// Capture address → topology address rewrites (`--map`).
    public var addressMap: [FlowAddress: FlowAddress] = [:]
    /// Also make transit gateway flow log records (``FlowLogRecord/isTransitGateway``): one per transit gateway
    /// attachment ENI a connection direction enters or leaves a transit gateway by, per interval. Off by default:
    /// a replay without transit gateway flow logs makes none (and pays nothing per packet either way: the records
    /// are made once per decision and counted through the decision's slots like the others).
    public var transitGatewayRecords = false
    public init() {}
}

/// Counts reported at the end of a replay.
public struct ReplaySummary: Sendable, Equatable {
    /// Packets libpcap returned (after `--filter`).
    public var packetsRead = 0
    /// Packets that decoded to IP.
    public var ipPackets = 0
    /// Packets at least one interface saw (got records).
    public var mapped = 0
    /// Mapped packets that reached their destination or left the network.
    public var accepted = 0
    /// Mapped packets dropped on the way.
    public var rejected = 0
    /// Packets without records, by reason (indexed by ``SkipReason/rawValue``).
    public var skipped = [Int](repeating: 0, count: SkipReason.allCases.count)
    public init() {}
    /// The count for one reason.
    public func skipped(_ reason: SkipReason) -> Int { skipped[reason.rawValue] }
}

/// Replays packets through a ``FlowNetwork`` into flow log records.
///
/// Feed packets in capture order with ``process(_:at:)`` (or raw bytes with ``process(header:bytes:)``), then
/// take ``records()``. Steady state allocates nothing per packet: each connection direction keeps the
/// records its packets go to in the current interval, so most packets cost one hash lookup and a few adds.
public struct FlowReplay<Network: FlowNetwork> {
    public let network: Network
    public let options: ReplayOptions
    /// Counts so far, without the per-outcome packet counts (kept apart in ``outcomes``).
    var tally = ReplaySummary()
    /// Packets per direction outcome (0 no interface, 1 accepted, 2 rejected, 3 never logged): one indexed add
    /// per packet instead of a branch that mispredicts on interleaved flows.
    var outcomes = [Int](repeating: 0, count: 4)
    /// Per connection state: its idle timeout, and capped by the NAT gateway's (a load per packet instead of an
    /// unpredictable jump through the state switch).
    let timeoutByState: [Int64]
    let natTimeoutByState: [Int64]

    /// Counts reported at the end of a replay.
    public var summary: ReplaySummary {
        var s = tally
        s.accepted = outcomes[1]
        s.rejected = outcomes[2]
        s.mapped = outcomes[1] + outcomes[2]
        s.skipped[SkipReason.unmapped.rawValue] += outcomes[0]
        s.skipped[SkipReason.notLogged.rawValue] += outcomes[3]
        return s
    }
    public var linkType = LinkType.ethernet

    var connections = ConnectionTable()
    var recordList = FlowLogRecords()
    var recordIndex = RecordIndex()
    var slotPool: [Int32] = []
    var observations: [InterfaceObservation] = []
    /// The record keys of one decision or carry, between their prefetch and their look-up.
    var pendingKeys: [PendingRecord] = []
    /// Next port to try, per NAT gateway interface.
    var natNextPort: [UInt16]
    var natPortsInUse: [NATPortKey: Int32] = [:]
    /// Drop sites, in order of first use: a REJECT record's ``FlowLogRecord/rejectReason`` is 1 + an index here.
    /// One entry per dropping decision (not per packet) unless ``rejectReasonCache`` finds the same site already
    /// listed, which it does for the usual repeats (the same security group or NACL rule dropping flow after flow).
    public private(set) var rejectReasons: [DropSite] = []
    /// A direct-mapped cache of sites (256 KB): slot (multiplicative hash of the site) → 1 + index in
    /// ``rejectReasons`` (0: empty). No hashing through `Hasher`, no growth.
    var rejectReasonCache = [UInt32](repeating: 0, count: 1 << 16)
    var packet = DecodedPacket()
    /// False: walk the model again for every interval instead of carrying a direction's decision over (the
    /// reference the tests compare ``carry(_:to:time:)`` against).
    var carriesDecisions = true
    /// The interval of the last packet: `start ..< end` (empty until the first packet).
    var currentInterval: (start: Int64, end: Int64) = (1, 0)
    let interfaces: [FlowInterface]
    /// Per interface: its primary private address (the interface side of srcaddr/dstaddr).
    let interfacePrimary: [FlowAddress]
    /// ``FlowNetwork/hasExternalOrigins``, read once.
    let hasExternalOrigins: Bool
    /// ``FlowNetwork/hasPreservingLoadBalancers``, read once.
    let hasPreservingLoadBalancers: Bool

    public init(network: Network, options: ReplayOptions = ReplayOptions()) {
        self.network = network
        self.options = options
        interfaces = network.interfaces
        natNextPort = Array(repeating: 1024, count: interfaces.count)
        interfacePrimary = interfaces.map(\.primaryAddress)
        hasExternalOrigins = network.hasExternalOrigins
        hasPreservingLoadBalancers = network.hasPreservingLoadBalancers
        let states = (0...UInt8.max).compactMap(ConnectionState.init(rawValue:))
        timeoutByState = states.map { [options] in options.timeouts.timeout($0, throughNAT: false) }
        natTimeoutByState = states.map { [options] in options.timeouts.timeout($0, throughNAT: true) }
        observations.reserveCapacity(16)
    }

    /// The capture times a record can hold: Unix seconds 0…4294967295 (classic pcap's unsigned 32-bit
    /// `ts_sec`). Packets outside it are skipped as ``SkipReason/timeOutOfRange``, so no record is negative.
    public static var timeRange: ClosedRange<Int64> { 0...Int64(UInt32.max) }

    /// True when `seconds` is outside ``timeRange`` (one unsigned compare).
    @inline(__always) static func isOutOfRange(_ seconds: Int64) -> Bool {
        UInt64(bitPattern: seconds) > UInt64(UInt32.max)
    }

    /// Decodes and replays one captured packet (link type ``linkType``). A time outside ``timeRange`` skips
    /// the packet (``SkipReason/timeOutOfRange``).
    public mutating func process(header: PacketHeader, bytes: UnsafeRawBufferPointer) {
        tally.packetsRead += 1
        if Self.isOutOfRange(header.seconds) { tally.skipped[SkipReason.timeOutOfRange.rawValue] += 1; return }
        switch PacketDecoder.decode(bytes, link: linkType, into: &packet) {
        case .ip:
            tally.ipPackets += 1
            let p = packet
            replay(p, at: header.seconds)
        case .skipped(let reason):
            tally.skipped[reason.rawValue] += 1
        }
    }

    /// Replays one decoded packet seen at Unix time `time` (counted as read and as IP). A time outside
    /// ``timeRange`` skips the packet (``SkipReason/timeOutOfRange``).
    public mutating func process(_ decoded: DecodedPacket, at time: Int64) {
        tally.packetsRead += 1
        tally.ipPackets += 1
        if Self.isOutOfRange(time) { tally.skipped[SkipReason.timeOutOfRange.rawValue] += 1; return }
        replay(decoded, at: time)
    }

    /// The records, ordered by interval, then by first packet. Records close at the end of the capture:
    /// this flushes pending counts first (``finish()``), so call it once the capture is done (or stopped by
    /// an error).
    public mutating func records() -> FlowLogRecords {
        finish()
        // Records are created in capture order, so they are usually in output order already: then share the
        // storage instead of copying (hundreds of MB for a large capture).
        var inOrder = true
        var previous = Int64.min
        for r in recordList {
            if r.packets == 0 || r.intervalStart < previous { inOrder = false; break }
            previous = r.intervalStart
        }
        if inOrder { return recordList }
        var order = recordList.indices.filter { recordList[$0].packets > 0 }
        order.sort { (recordList[$0].intervalStart, $0) < (recordList[$1].intervalStart, $1) }
        let list = recordList
        return FlowLogRecords(order.lazy.map { list[$0] })
    }

    mutating func replay(_ captured: DecodedPacket, at time: Int64) {
        let p = mapped(captured)
        let (key, sourceIsA) = ConnectionKey.of(p)
        replay(p, at: time, key: key, sourceIsA: sourceIsA, hash: key.hash)
    }

    /// `packet` with its addresses rewritten by ``ReplayOptions/addressMap``.
    @inline(__always) func mapped(_ packet: DecodedPacket) -> DecodedPacket {
        guard !options.addressMap.isEmpty else { return packet }
        var p = packet
        if let s = options.addressMap[p.source] { p.source = s }
        if let d = options.addressMap[p.destination] { p.destination = d }
        return p
    }

    /// Replays an address-mapped packet whose connection key (and the key's hash) is already known.
    mutating func replay(_ p: DecodedPacket, at time: Int64, key: ConnectionKey, sourceIsA: Bool, hash: UInt64) {
        let (index, inserted) = connections.findOrInsert(key, hash: hash)
        let isForward: Bool
        let interval = intervalStart(of: time)
        do {
            let c = connections.entries[index]
            let timeout = c.natGateway >= 0 ? natTimeoutByState[Int(c.state.rawValue)] : timeoutByState[Int(c.state.rawValue)]
            if inserted || time - c.lastSeen > timeout {
                if !inserted { flush(c.forward); flush(c.reply) }
                var fresh = Connection(key: key)
                fresh.initiatorIsA = sourceIsA
                fresh.state = Self.initialState(p)
                fresh.lastSeen = time
                connections.entries[index] = fresh
                isForward = true
            } else {
                isForward = sourceIsA == c.initiatorIsA
                connections.entries[index].state = Self.nextState(c.state, isForward: isForward, flags: p.tcpFlags)
                connections.entries[index].lastSeen = time
            }
        }
        let cacheInterval = isForward ? connections.entries[index].forward.interval : connections.entries[index].reply.interval
        if cacheInterval != interval {
            if cacheInterval != .min && carriesDecisions {
                // Decided in an earlier interval of this connection: the walk's inputs (5-tuple, origin,
                // tracking, NAT mapping) are unchanged, so only the records move to the new interval.
                var cache = isForward ? connections.entries[index].forward : connections.entries[index].reply
                flush(cache)
                carry(&cache, to: interval, time: time)
                if isForward { connections.entries[index].forward = cache } else { connections.entries[index].reply = cache }
            } else {
                var c = connections.entries[index]
                flush(isForward ? c.forward : c.reply)
                let cache = decide(&c, index: index, packet: p, isForward: isForward, interval: interval, time: time)
                if isForward { c.forward = cache } else { c.reply = cache }
                connections.entries[index] = c
            }
        }
        let flags = p.ipProtocol == IPProtocol.tcpNumber ? FlowLogRecord.awsTCPFlags(p.tcpFlags) : 0
        let outcome = Self.count(&connections.entries[index], isForward: isForward, time: time, bytes: p.ipLength, flags: flags)
        outcomes[Int(outcome & 3)] &+= 1
    }

    /// The epoch-aligned start of `time`'s aggregation interval. Captures are in time order, so the last
    /// interval is remembered: most packets cost two compares instead of two divisions.
    @inline(__always) mutating func intervalStart(of time: Int64) -> Int64 {
        if time >= currentInterval.start, time < currentInterval.end { return currentInterval.start }
        let length = options.interval
        let start = time - ((time % length) + length) % length
        let (end, overflow) = start.addingReportingOverflow(length)
        currentInterval = (start, overflow ? .max : end)
        return start
    }

    @inline(__always)
    static func count(_ c: inout Connection, isForward: Bool, time: Int64, bytes: UInt32, flags: UInt8) -> UInt8 {
        if isForward { return c.forward.add(time: time, bytes: bytes, flags: flags) }
        return c.reply.add(time: time, bytes: bytes, flags: flags)
    }

    /// Moves a direction's pending counts into its records.
    mutating func flush(_ cache: DirectionCache) {
        guard cache.packets > 0 else { return }
        var s = Int(cache.slotStart)
        let end = s + Int(cache.slotCount)
        while s < end {
            let r = Int(slotPool[s])
            if recordList[r].packets == 0 || cache.first < recordList[r].start { recordList[mutable: r].start = cache.first }
            if cache.last > recordList[r].end { recordList[mutable: r].end = cache.last }
            recordList[mutable: r].packets &+= UInt64(cache.packets)
            recordList[mutable: r].bytes &+= cache.bytes
            recordList[mutable: r].tcpFlags |= cache.flags
            s += 1
        }
    }

    /// Flushes every connection's pending counts (records close at the end of the capture). Idempotent.
    public mutating func finish() {
        for i in connections.entries.indices {
            let c = connections.entries[i]
            flush(c.forward)
            flush(c.reply)
            connections.entries[i].forward.clearCounts()
            connections.entries[i].reply.clearCounts()
        }
    }

    /// Runs the model for one connection direction and interval, and finds or creates its records.
    mutating func decide(_ c: inout Connection, index: Int, packet captured: DecodedPacket, isForward: Bool,
                         interval: Int64, time: Int64) -> DirectionCache {
        observations.removeAll(keepingCapacity: true)
        var p = captured
        if network.isNeverLogged(p.source) || network.isNeverLogged(p.destination)
            || (p.ipProtocol == IPProtocol.udpNumber && (p.destinationPort == 67 || p.destinationPort == 68) && (p.sourcePort == 67 || p.sourcePort == 68)) {
            var cache = DirectionCache()
            cache.interval = interval
            cache.outcome = 3
            return cache
        }
        var origin: FlowOrigin = network.interface(holding: p.source).map { .interface($0) } ?? .internet
        if origin == .internet && hasExternalOrigins {
            // On premises, or a gateway endpoint's service answering: decided by the address and the receiver's route.
            let receiver = !isForward && c.natGateway >= 0 && c.natByInitiator ? c.natGateway : network.interface(holding: p.destination)
            origin = network.externalOrigin(source: p.source, receiver: receiver, isReply: !isForward)
        }
        if hasPreservingLoadBalancers {
            // A client's connection an NLB node forwards with the client's address (Docs/SEMANTICS.md "Load
            // balancers"): the target's side of it starts at the node, and its replies go back there.
            if isForward {
                if c.loadBalancerNode == -2 { c.loadBalancerNode = preservingNode(for: p, origin: origin) }
                if c.loadBalancerNode >= 0 { origin = .loadBalancerNode(c.loadBalancerNode) }
            } else if c.loadBalancerNode >= 0, let t = network.interface(holding: p.source) {
                origin = .replyToLoadBalancerNode(target: t, node: c.loadBalancerNode)
            }
        }
        let tracked = !isForward && c.tracked
        if !isForward, c.natGateway >= 0, c.natByInitiator {
            // A reply of a translated connection: on the wire it is addressed to the NAT gateway.
            let nat = interfaces[Int(c.natGateway)]
            p.destination = origin == .internet ? (nat.publicAddress ?? nat.primaryAddress) : nat.primaryAddress
            if IPProtocol.hasPorts(p.ipProtocol) { p.destinationPort = c.natPort }
        } else if origin == .internet, let d = network.interface(holding: p.destination),
                  let publicAddress = interfaces[Int(d)].publicAddress {
            // The capture shows the private address; on the internet side of the IGW it was the public one.
            p.destination = publicAddress
        }
        // The walk asks the handler for NAT ports: it borrows the connection table and port maps meanwhile.
        var handler = DecisionHandler(connection: c, index: index, isForward: isForward, timeouts: options.timeouts)
        swap(&handler.observations, &observations)
        swap(&handler.connections, &connections)
        swap(&handler.natNextPort, &natNextPort)
        swap(&handler.natPortsInUse, &natPortsInUse)
        let end = network.forward(p, from: origin, tracked: tracked, handler: &handler)
        swap(&handler.observations, &observations)
        swap(&handler.connections, &connections)
        swap(&handler.natNextPort, &natNextPort)
        swap(&handler.natPortsInUse, &natPortsInUse)
        c = handler.connection
        if isForward { c.tracked = end == .delivered || end == .exited }
        var reason: UInt32 = 0
        // Only a drop some interface logs as REJECT needs a reason (not, say, a missing route after an ACCEPT).
        if let site = handler.dropSite, observations.contains(where: { !$0.accepted }) {
            let slot = Int(truncatingIfNeeded: (site.cacheKey &* 0x9E37_79B9_7F4A_7C15) >> 48)  // 16 bits: 65,536 slots
            let cached = rejectReasonCache[slot]
            if cached > 0 && rejectReasons[Int(cached) - 1] == site { reason = cached } else {
                rejectReasons.append(site)
                reason = UInt32(rejectReasons.count)
                rejectReasonCache[slot] = reason
            }
        }
        var cache = DirectionCache()
        cache.interval = interval
        cache.slotStart = Int32(slotPool.count)
        if observations.isEmpty {
            cache.outcome = 0
        } else {
            cache.outcome = (end == .delivered || end == .exited) && observations.allSatisfy(\.accepted) ? 1 : 2
        }
        let hasPorts = !IPProtocol.isICMP(captured.ipProtocol)
        // Keys first, asking for each one's index slot (likely a cache miss) so the misses overlap, then the
        // look-ups.
        pendingKeys.removeAll(keepingCapacity: true)
        for o in observations {
            var source = o.packetSource, destination = o.packetDestination
            if o.isEgress {
                if !source.isIPv6 { source = o.interfaceAddress ?? interfacePrimary[Int(o.interface)] }
            } else if !destination.isIPv6 {
                destination = o.interfaceAddress ?? interfacePrimary[Int(o.interface)]
            }
            let key = RecordKey(interval: interval, interface: o.interface, isEgress: o.isEgress, accepted: o.accepted,
                                source: source, destination: destination,
                                sourcePort: hasPorts ? o.sourcePort : 0, destinationPort: hasPorts ? o.destinationPort : 0,
                                ipProtocol: captured.ipProtocol, packetSource: o.packetSource,
                                packetDestination: o.packetDestination)
            let hash = key.hash
            recordIndex.prefetch(hash)
            pendingKeys.append(PendingRecord(key: key, hash: hash, trafficPath: o.isEgress ? o.trafficPath : 0,
                                             rejectReason: o.accepted ? 0 : reason))
        }
        if options.transitGatewayRecords {
            addTransitGatewayKeys(interval: interval, ipProtocol: captured.ipProtocol, hasPorts: hasPorts,
                                  droppedBy: end == .dropped ? handler.dropSite : nil, ended: end)
        }
        cache.slotCount = Int32(pendingKeys.count)
        for k in pendingKeys.indices {
            slotPool.append(findOrCreateRecord(pendingKeys[k].key, hash: pendingKeys[k].hash,
                                               trafficPath: pendingKeys[k].trafficPath,
                                               rejectReason: pendingKeys[k].rejectReason, time: time))
        }
        return cache
    }

    /// Moves a direction decided in an earlier interval to `interval`: the same interfaces, addresses, ports and
    /// actions, in the new interval's records (found or created), reusing the direction's slots. Call after
    /// ``flush(_:)``: the old records are complete.
    mutating func carry(_ cache: inout DirectionCache, to interval: Int64, time: Int64) {
        cache.interval = interval
        cache.clearCounts()
        let start = Int(cache.slotStart), end = start + Int(cache.slotCount)
        // Three passes so the cache misses of a direction's records (old record, index slot) overlap.
        for s in start..<end { recordList.prefetch(Int(slotPool[s])) }
        pendingKeys.removeAll(keepingCapacity: true)
        for s in start..<end {
            let old = recordList[Int(slotPool[s])]
            var key = RecordKey(old)
            key.interval = interval
            let hash = key.hash
            recordIndex.prefetch(hash)
            pendingKeys.append(PendingRecord(key: key, hash: hash, trafficPath: old.trafficPath, rejectReason: old.rejectReason))
        }
        for s in start..<end {
            let k = s - start
            slotPool[s] = findOrCreateRecord(pendingKeys[k].key, hash: pendingKeys[k].hash,
                                             trafficPath: pendingKeys[k].trafficPath,
                                             rejectReason: pendingKeys[k].rejectReason, time: time)
        }
    }

    /// The record with `key`, created (first and last packet at `time`) when it does not exist yet.
    @inline(__always) mutating func findOrCreateRecord(_ key: RecordKey, hash: UInt64, trafficPath: UInt8, rejectReason: UInt32,
                                                       time: Int64) -> Int32 {
        let (slot, existing) = findRecord(key, hash: hash)
        if existing >= 0 { return existing }
        let r = Int32(recordList.count)
        recordList.append(FlowLogRecord(key, time: time, trafficPath: trafficPath, rejectReason: rejectReason))
        recordIndex.insert(r, hash: hash, at: slot)
        return r
    }

    /// The slot where `key`'s record is or would go, and the record (-1: none yet). Records are read only when
    /// their slot's hash tag matches: a new record's look-up usually touches none.
    @inline(__always) func findRecord(_ key: RecordKey, hash: UInt64) -> (slot: Int, record: Int32) {
        let tag = RecordIndex.tag(hash)
        var i = recordIndex.home(hash)
        while true {
            let entry = recordIndex.slots[i]
            if entry == RecordIndex.empty { return (i, -1) }
            let r = Int32(truncatingIfNeeded: entry)
            if entry >> 32 == tag, RecordKey(recordList[Int(r)]) == key { return (i, r) }
            i = (i + 1) & recordIndex.mask
        }
    }

    static func initialState(_ p: DecodedPacket) -> ConnectionState {
        switch p.ipProtocol {
        case IPProtocol.tcpNumber:
            if p.tcpFlags & TCPFlag.rst != 0 { return .tcpClosed }
            if p.tcpFlags & (TCPFlag.syn | TCPFlag.ack) == TCPFlag.syn { return .tcpSynSent }
            return p.tcpFlags & TCPFlag.fin != 0 ? .tcpFinWait : .tcpEstablished  // picked up mid-stream
        case IPProtocol.udpNumber: return .udpUnreplied
        case IPProtocol.icmpNumber, IPProtocol.icmpv6Number: return .icmp
        default: return .other
        }
    }

    static func nextState(_ s: ConnectionState, isForward: Bool, flags: UInt8) -> ConnectionState {
        switch s {
        case .udpUnreplied: return isForward ? .udpUnreplied : .udpReplied
        case .udpReplied: return isForward ? .udpStream : .udpReplied
        case .tcpSynSent, .tcpSynReceived, .tcpEstablished, .tcpFinWait, .tcpBothFin, .tcpClosed:
            if flags & TCPFlag.rst != 0 { return .tcpClosed }
            if s == .tcpClosed { return .tcpClosed }
            if flags & TCPFlag.fin != 0 {
                // A second FIN (from either side: we do not track which side sent the first) closes both ways.
                return s == .tcpFinWait || s == .tcpBothFin ? .tcpBothFin : .tcpFinWait
            }
            switch s {
            case .tcpSynSent where !isForward && flags & (TCPFlag.syn | TCPFlag.ack) == (TCPFlag.syn | TCPFlag.ack):
                return .tcpSynReceived
            case .tcpSynReceived where isForward && flags & TCPFlag.ack != 0:
                return .tcpEstablished
            default:
                return s
            }
        default: return s
        }
    }
}

/// What the network model talks to while it forwards one packet of a connection: collects the observations
/// and answers NAT gateway questions from the connection (its mapping) and the gateways' port maps.
struct DecisionHandler: FlowPathHandler {
    var connection: Connection
    let index: Int
    let isForward: Bool
    let timeouts: TrackingTimeouts
    var observations: [InterfaceObservation] = []
    var connections = ConnectionTable(empty: ())
    var natNextPort: [UInt16] = []
    var natPortsInUse: [NATPortKey: Int32] = [:]
    /// Where the model dropped the packet, when it says.
    var dropSite: DropSite? = nil

    init(connection: Connection, index: Int, isForward: Bool, timeouts: TrackingTimeouts) {
        self.connection = connection
        self.index = index
        self.isForward = isForward
        self.timeouts = timeouts
    }

    mutating func observe(_ observation: InterfaceObservation) { observations.append(observation) }

    mutating func dropped(at site: DropSite) { dropSite = site }

    mutating func natSourcePort(gateway n: Int32, original p: DecodedPacket) -> UInt16 {
        if connection.natGateway != n { allocateNATPort(gateway: n, packet: p) }
        return connection.natPort
    }

    mutating func natReverse(gateway n: Int32, reply: DecodedPacket) -> (address: FlowAddress, port: UInt16)? {
        // No mapping for this side: NAT gateways drop it.
        guard !isForward, connection.natGateway == n, connection.natByInitiator else { return nil }
        let c = connection
        let (initiator, initiatorPort) = c.initiatorIsA ? (c.key.a, c.key.portA) : (c.key.b, c.key.portB)
        let port = IPProtocol.hasPorts(reply.ipProtocol) ? initiatorPort : reply.destinationPort
        return (initiator, port)
    }

    /// Picks the NAT gateway port for the connection: the next free port in 1024–65535 for its destination.
    mutating func allocateNATPort(gateway n: Int32, packet p: DecodedPacket) {
        connection.natGateway = n
        connection.natByInitiator = isForward
        guard IPProtocol.hasPorts(p.ipProtocol) else { connection.natPort = 0; return }
        for _ in 0..<64_512 {
            let port = natNextPort[Int(n)]
            natNextPort[Int(n)] = port == 65535 ? 1024 : port + 1
            let key = NATPortKey(gateway: n, port: port, remote: p.destination, remotePort: p.destinationPort,
                                 ipProtocol: p.ipProtocol)
            if let holder = natPortsInUse[key] {
                let other = connections.entries[Int(holder)]
                let alive = other.natGateway == n && other.natPort == port
                    && connection.lastSeen - other.lastSeen <= timeouts.timeout(other.state, throughNAT: true)
                if alive && other.key != connection.key { continue }
            }
            natPortsInUse[key] = Int32(index)
            connection.natPort = port
            return
        }
        connection.natPort = 0  // exhausted (AWS: ErrorPortAllocation); keep going with port 0
    }
}

/// A record key on its way from a decision to the index.
struct PendingRecord {
    var key: RecordKey
    var hash: UInt64
    var trafficPath: UInt8
    var rejectReason: UInt32
}

/// Identity of an aggregated record.
struct RecordKey: Equatable {
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
    /// 0: a VPC flow log record; ``transitGatewayKind``: a transit gateway one (at the same ENI, another record).
    var kind: UInt8 = 0

    static let transitGatewayKind: UInt8 = 1

    /// A cheap multiplicative hash (the index is private to one replay: no flooding concern).
    var hash: UInt64 {
        @inline(__always) func mix(_ a: FlowAddress) -> UInt64 {
            (a.low ^ a.high &* 0xC2B2_AE3D_27D4_EB4F) &+ (a.isIPv6 ? 1 : 0)
        }
        var h = UInt64(bitPattern: interval) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: interface)) << 20 | UInt64(kind) << 2 | UInt64(isEgress ? 2 : 0) | UInt64(accepted ? 1 : 0)
        h = (h ^ mix(source)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ mix(destination)) &* 0x94D0_49BB_1331_11EB
        h ^= UInt64(sourcePort) << 24 | UInt64(destinationPort) << 8 | UInt64(ipProtocol)
        h = (h ^ mix(packetSource)) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ mix(packetDestination)) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 31)
    }
}

extension RecordKey {
    /// The key of an existing record (an extension, so the memberwise initialiser stays).
    @inline(__always) init(_ r: FlowLogRecord) {
        self.init(interval: r.intervalStart, interface: r.interface, isEgress: r.isEgress, accepted: r.accepted, source: r.source,
                  destination: r.destination, sourcePort: r.sourcePort, destinationPort: r.destinationPort,
                  ipProtocol: r.ipProtocol, packetSource: r.packetSource, packetDestination: r.packetDestination,
                  kind: r.isTransitGateway ? Self.transitGatewayKind : 0)
    }
}

extension FlowLogRecord {
    /// A new record for `key` whose first and last packet are at `time`.
    @inline(__always) init(_ key: RecordKey, time: Int64, trafficPath: UInt8, rejectReason: UInt32 = 0) {
        self.init(interface: key.interface, isEgress: key.isEgress, accepted: key.accepted, source: key.source,
                  destination: key.destination, sourcePort: key.sourcePort, destinationPort: key.destinationPort,
                  ipProtocol: key.ipProtocol, packetSource: key.packetSource, packetDestination: key.packetDestination,
                  start: time, end: time, trafficPath: trafficPath, intervalStart: key.interval)
        self.rejectReason = rejectReason
    }
}

/// Open-addressing (linear probing) index of records by ``RecordKey``: each 8-byte slot holds a record number
/// and the high 32 bits of its key's hash, which also pick the home slot. Probing past other records compares
/// those bits first and growing rehashes from the slots alone, so neither reads the (cold) records.
///
/// Kept instead of `Dictionary` on measurement (issue 17, `Benchmarks/hashtables`, one new record per 11
/// look-ups as in the replay benchmark): 210 instructions a find-or-create against 1,269 for
/// `Dictionary<RecordKey, Int32>` (callgrind); 658 vs 1,120 ns (release, one core); and its slot is prefetched
/// ahead (`prefetch`). Docs/PERFORMANCE.md, "Issue 17: hash tables".
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

    /// The hash bits a slot keeps.
    @inline(__always) static func tag(_ hash: UInt64) -> UInt64 { hash >> 32 }

    /// Hints the slot a look-up for `hash` starts at into the cache.
    @inline(__always) func prefetch(_ hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { vpckit_prefetch(base + home(hash)) }
        }
    }

    /// Where a look-up for `hash` starts.
    @inline(__always) func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: Self.tag(hash)) & mask }

    /// Puts record `r` with key hash `hash` in the empty `slot` found by a look-up; grows past half full.
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

/// A NAT gateway port in use towards one destination.

struct NATPortKey: Hashable {
    var gateway: Int32
    var port: UInt16
    var remote: FlowAddress
    var remotePort: UInt16
    var ipProtocol: UInt8
}
