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
        while try capture.next({ header, bytes in process(header: header, bytes: bytes) }) != nil {
            untilProgress -= 1
            if untilProgress == 0 {
                untilProgress = progressEvery
                progress(summary.packetsRead)
            }
        }
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
