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
