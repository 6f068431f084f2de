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
        try replayCaptureLoop(try CaptureFile(path: path), filter: filter, progressEvery: progressEvery) { progress($0.packetsRead) }
    }

    /// Replays the capture at `path` as ``replayCapture(path:filter:progressEvery:progress:)`` does, handing
    /// `report` the bytes read, packets read and records made so far after every `progressEvery` packets (the
    /// terminal progress line of `vpckit flowlogs`, ``ReplayProgress/line(elapsed:)``).
    /// - Throws: ``CaptureError``.
    public mutating func replayCapture(path: String, filter: String? = nil, progressEvery: Int,
                                       report: (ReplayProgress) -> Void) throws(CaptureError) {
        try replayCaptureLoop(try CaptureFile(path: path), filter: filter, progressEvery: progressEvery, progress: report)
    }

    /// Replays a capture held in memory (pcap or pcapng, read by libpcap as a file would be:
    /// ``CaptureFile/init(bytes:name:)``); errors name `name`. Same contract as
    /// ``replayCapture(path:filter:progressEvery:progress:)``; the capture fuzz target's entry point.
    /// - Throws: ``CaptureError``.
    public mutating func replayCapture(bytes: [UInt8], name: String, filter: String? = nil) throws(CaptureError) {
        try replayCaptureLoop(try CaptureFile(bytes: bytes, name: name), filter: filter, progressEvery: Int.max) { _ in }
    }

    /// The loop behind ``replayCapture(path:filter:progressEvery:progress:)``, always inlined into its callers
    /// so each is specialised for its network.
    @inline(__always)
    mutating func replayCaptureLoop(_ opened: consuming CaptureFile, filter: String?, progressEvery: Int,
                                    progress: (ReplayProgress) -> Void) throws(CaptureError) {
        var capture = opened
        if let filter { try capture.setFilter(filter) }
        linkType = LinkType(dlt: capture.linkType)
        var untilProgress = progressEvery
        var ring = PacketRing()
        // Replays what was decoded even when the capture ends in an error.
        defer { while !ring.isEmpty { replayOldest(&ring) } }
        while try capture.next({ header, bytes in stage(header: header, bytes: bytes, ring: &ring) }) != nil {
            untilProgress -= 1
            if untilProgress == 0 {
                untilProgress = progressEvery
                progress(ReplayProgress(packetsRead: tally.packetsRead, bytesRead: capture.bytesRead,
                                        totalBytes: capture.totalBytes, records: recordList.count))
            }
        }
    }

    /// Replays every packet of `merge` (several captures as one stream in packet-time order, ``CaptureMerge``):
    /// connection state and aggregation intervals run on across files as in one capture holding all the packets.
    /// Captures that cannot be read to their end are in ``CaptureMerge/problems``; `report` gets the progress
    /// after every `progressEvery` packets.
    public mutating func replayCaptures(_ merge: CaptureMerge, progressEvery: Int = Int.max,
                                        report: (ReplayProgress) -> Void = { _ in }) {
        replayMergeLoop(merge, progressEvery: progressEvery, progress: report)
    }

    /// The loop behind ``replayCaptures(_:progressEvery:report:)``; each packet is decoded with its own
    /// capture's link type.
    @inline(__always)
    mutating func replayMergeLoop(_ merge: CaptureMerge, progressEvery: Int, progress: (ReplayProgress) -> Void) {
        var untilProgress = progressEvery
        var ring = PacketRing()
        var dlt: Int32 = -1
        defer { while !ring.isEmpty { replayOldest(&ring) } }
        while merge.next({ (header, bytes, packetDLT) -> Void in
            if packetDLT != dlt { dlt = packetDLT; linkType = LinkType(dlt: packetDLT) }
            stage(header: header, bytes: bytes, ring: &ring)
        }) != nil {
            untilProgress -= 1
            if untilProgress == 0 {
                untilProgress = progressEvery
                progress(ReplayProgress(packetsRead: tally.packetsRead, bytesRead: merge.bytesRead,
                                        totalBytes: merge.totalBytes, records: recordList.count))
            }
        }
    }

    /// Decodes one captured packet into the ring and replays the oldest once the ring is full. With 100,000
    /// interleaved connections each packet's connection is a cache miss (its hash slot, then its entry): the
    /// ring asks for the slot as a packet arrives and for the entry half-way through, so both are in cache
    /// by the time the packet is replayed, and the misses of several packets overlap. Packets are decoded in
    /// place and replayed from their slot: copying a just-decoded packet would read back its field-by-field
    /// stores in wider loads (store-forwarding stalls).
    @inline(__always)
    mutating func stage(header: PacketHeader, bytes: UnsafeRawBufferPointer, ring: inout PacketRing) {
        tally.packetsRead += 1
        if Self.isOutOfRange(header.seconds) { tally.skipped[SkipReason.timeOutOfRange.rawValue] += 1; return }
        let slot = ring.tail
        switch PacketDecoder.decode(bytes, link: linkType, into: &ring.items[slot].packet) {
        case .ip:
            tally.ipPackets += 1
            if !options.addressMap.isEmpty { ring.items[slot].packet = mapped(ring.items[slot].packet) }
            let (key, sourceIsA) = ConnectionKey.of(ring.items[slot].packet)
            let hash = key.hash
            connections.prefetchSlot(hash)
            ring.items[slot].time = header.seconds
            ring.items[slot].key = key
            ring.items[slot].sourceIsA = sourceIsA
            ring.items[slot].hash = hash
            if let middle = ring.pushTail() { connections.prefetchEntry(middle) }
            if ring.isFull { replayOldest(&ring) }
        case .skipped(let reason):
            tally.skipped[reason.rawValue] += 1
        }
    }

    /// Replays the ring's oldest packet (the ring must not be empty).
    @inline(__always) mutating func replayOldest(_ ring: inout PacketRing) {
        let h = ring.head
        replay(ring.items[h].packet, at: ring.items[h].time, key: ring.items[h].key,
               sourceIsA: ring.items[h].sourceIsA, hash: ring.items[h].hash)
        ring.popHead()
    }
}

/// A decoded packet waiting in the capture loop's ring, with its connection key.
struct StagedPacket {
    var packet = DecodedPacket()
    var time: Int64 = 0
    var key = ConnectionKey.of(DecodedPacket()).0
    var sourceIsA = true
    var hash: UInt64 = 0
}

/// A fixed ring of ``StagedPacket``s in capture order, allocated once per capture: packets are decoded into
/// the slot at ``tail``, then ``pushTail()`` makes it part of the ring.
struct PacketRing {
    static let capacity = 16
    /// Pushing a packet hints the entry of the packet this far back.
    static let entryLead = 8
    var items = [StagedPacket](repeating: StagedPacket(), count: capacity)
    private(set) var head = 0
    private(set) var count = 0

    var isFull: Bool { count == Self.capacity }
    var isEmpty: Bool { count == 0 }
    /// The free slot the next packet is decoded into (the ring must not be full).
    var tail: Int { (head &+ count) & (Self.capacity - 1) }

    /// Adds the packet decoded at ``tail``; returns the hash of the packet ``entryLead`` places back.
    @inline(__always) mutating func pushTail() -> UInt64? {
        count &+= 1
        guard count > Self.entryLead else { return nil }
        return items[(head &+ count &- 1 &- Self.entryLead) & (Self.capacity - 1)].hash
    }

    @inline(__always) mutating func popHead() {
        head = (head &+ 1) & (Self.capacity - 1)
        count &-= 1
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
        try replayCaptureLoop(try CaptureFile(path: path), filter: filter, progressEvery: progressEvery) { progress($0.packetsRead) }
    }

    /// Replays the capture at `path` as ``replayCapture(path:filter:progressEvery:progress:)`` does, handing
    /// `report` the bytes read, packets read and records made so far after every `progressEvery` packets (the
    /// terminal progress line of `vpckit flowlogs`, ``ReplayProgress/line(elapsed:)``).
    /// - Throws: ``CaptureError``.
    public mutating func replayCapture(path: String, filter: String? = nil, progressEvery: Int,
                                       report: (ReplayProgress) -> Void) throws(CaptureError) {
        try replayCaptureLoop(try CaptureFile(path: path), filter: filter, progressEvery: progressEvery, progress: report)
    }

    /// Replays a capture held in memory (pcap or pcapng, read by libpcap as a file would be:
    /// ``CaptureFile/init(bytes:name:)``); errors name `name`. Same contract as
    /// ``replayCapture(path:filter:progressEvery:progress:)``; the capture fuzz target's entry point.
    /// - Throws: ``CaptureError``.
    public mutating func replayCapture(bytes: [UInt8], name: String, filter: String? = nil) throws(CaptureError) {
        try replayCaptureLoop(try CaptureFile(bytes: bytes, name: name), filter: filter, progressEvery: Int.max) { _ in }
    }

    /// ``FlowReplay/replayCaptures(_:progressEvery:report:)`` compiled for `CompiledFlowNetwork` (see
    /// ``replayCapture(path:filter:progressEvery:progress:)``).
    public mutating func replayCaptures(_ merge: CaptureMerge, progressEvery: Int = Int.max,
                                        report: (ReplayProgress) -> Void = { _ in }) {
        replayMergeLoop(merge, progressEvery: progressEvery, progress: report)
    }
}
