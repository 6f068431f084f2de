// Driving a replay from a capture file.

extension FlowReplay {
    /// Replays every packet of the capture at `path` (pcap or pcapng) in order.
    ///
    /// On a read error (truncated or corrupted file) the packets before it stay replayed — ``records()``
    /// still gives their records — and the error is thrown.
    /// - Parameters:
    ///   - filter: a BPF expression (tcpdump syntax) compiled by libpcap; nil keeps every packet.
    ///   - progressEvery: `progress` is called with the packet count after every this many packets.
    /// - Throws: ``CaptureError``.
    public mutating func replayCapture(path: String, filter: String? = nil, progressEvery: Int = 1 << 20,
                                       progress: (Int) -> Void = { _ in }) throws(CaptureError) {
        try replayCaptureLoop(path: path, filter: filter, progressEvery: progressEvery, progress: progress)
    }

    /// The loop behind ``replayCapture(path:filter:progressEvery:progress:)``, always inlined into its callers
    /// so each is specialised for its network.
    @inline(__always)
    mutating func replayCaptureLoop(path: String, filter: String?, progressEvery: Int,
                                    progress: (Int) -> Void) throws(CaptureError) {
        var capture = try CaptureFile(path: path)
        if let filter { try capture.setFilter(filter) }
        linkType = LinkType(dlt: capture.linkType)
        var untilProgress = progressEvery
        var ring = PacketRing()
        // Replays what was decoded even when the capture ends in an error.
        defer { while let staged = ring.pop() { replay(staged) } }
        while try capture.next({ header, bytes in stage(header: header, bytes: bytes, ring: &ring) }) != nil {
            untilProgress -= 1
            if untilProgress == 0 {
                untilProgress = progressEvery
                progress(summary.packetsRead)
            }
        }
    }

    /// Decodes one captured packet into the ring and replays the oldest once the ring is full. With 100,000
    /// interleaved connections each packet's connection is a cache miss (its hash slot, then its entry): the
    /// ring asks for the slot as a packet arrives and for the entry half-way through, so both are in cache
    /// by the time the packet is replayed, and the misses of several packets overlap.
    @inline(__always)
    mutating func stage(header: PacketHeader, bytes: UnsafeRawBufferPointer, ring: inout PacketRing) {
        summary.packetsRead += 1
        switch PacketDecoder.decode(bytes, link: linkType, into: &packet) {
        case .ip:
            summary.ipPackets += 1
            let p = mapped(packet)
            let (key, sourceIsA) = ConnectionKey.of(p)
            let hash = key.hash
            connections.prefetchSlot(hash)
            if let middle = ring.push(StagedPacket(packet: p, time: header.seconds, key: key, sourceIsA: sourceIsA, hash: hash)) {
                connections.prefetchEntry(middle)
            }
            if ring.isFull, let oldest = ring.pop() { replay(oldest) }
        case .skipped(let reason):
            summary.skipped[reason.rawValue] += 1
        }
    }

    @inline(__always) mutating func replay(_ s: StagedPacket) {
        replay(s.packet, at: s.time, key: s.key, sourceIsA: s.sourceIsA, hash: s.hash)
    }
}

/// A decoded packet waiting in the capture loop's ring, with its connection key.
struct StagedPacket {
    var packet: DecodedPacket
    var time: Int64
    var key: ConnectionKey
    var sourceIsA: Bool
    var hash: UInt64
}

/// A fixed ring of ``StagedPacket``s (capture order), allocated once per capture.
struct PacketRing {
    static let capacity = 16
    /// Pushing a packet hints the entry of the packet this far back.
    static let entryLead = 8
    private var items: [StagedPacket]
    private var head = 0
    private(set) var count = 0

    init() {
        items = Array(repeating: StagedPacket(packet: DecodedPacket(), time: 0,
                                              key: ConnectionKey.of(DecodedPacket()).0, sourceIsA: true, hash: 0),
                      count: Self.capacity)
    }

    var isFull: Bool { count == Self.capacity }

    /// Appends `s` (the ring must not be full); returns the hash of the packet ``entryLead`` places back.
    @inline(__always) mutating func push(_ s: StagedPacket) -> UInt64? {
        items[(head &+ count) & (Self.capacity - 1)] = s
        count &+= 1
        guard count > Self.entryLead else { return nil }
        return items[(head &+ count &- 1 &- Self.entryLead) & (Self.capacity - 1)].hash
    }

    @inline(__always) mutating func pop() -> StagedPacket? {
        guard count > 0 else { return nil }
        let s = items[head]
        head = (head &+ 1) & (Self.capacity - 1)
        count &-= 1
        return s
    }
}

extension FlowReplay where Network == CompiledFlowNetwork {
    /// Replays every packet of the capture at `path` (pcap or pcapng) in order, through the compiled
    /// network. Same contract as the generic ``FlowReplay/replayCapture(path:filter:progressEvery:progress:)``;
    /// this overload exists for speed: a generic method called from another module runs unspecialised
    /// (every packet then went through witness tables and runtime metadata look-ups), while this one is
    /// compiled for `CompiledFlowNetwork` inside FlowLogs.
    /// - Throws: ``CaptureError``.
    public mutating func replayCapture(path: String, filter: String? = nil, progressEvery: Int = 1 << 20,
                                       progress: (Int) -> Void = { _ in }) throws(CaptureError) {
        try replayCaptureLoop(path: path, filter: filter, progressEvery: progressEvery, progress: progress)
    }
}
