// The progress of a long replay, and the one line a terminal shows for it (issue 21, point 6).

/// How far a capture replay has got: what ``FlowReplay/replayCapture(path:filter:progressEvery:report:)``
/// hands its `report` closure.
public struct ReplayProgress: Sendable, Equatable {
    /// Packets read so far (after `--filter`).
    public var packetsRead: Int
    /// Bytes of the capture file read so far (an estimate within one read buffer).
    public var bytesRead: Int
    /// The capture's size in bytes; nil when unknown (standard input, a pipe).
    public var totalBytes: Int?
    /// Flow log records made so far.
    public var records: Int

    public init(packetsRead: Int, bytesRead: Int, totalBytes: Int?, records: Int) {
        self.packetsRead = packetsRead
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.records = records
    }

    /// The progress line: bytes read (of the total, with the percentage), packets per second, records made and
    /// the time left, e.g. `1.2 GB of 1.9 GB (63%) · 8.1M packets/s · 712,345 records · 0:03 left`.
    /// `elapsed` is the replay's time so far in seconds. Without a known total there is no percentage and no time
    /// left; before any time has passed, no rate. Plain ASCII apart from the separators; no terminal controls
    /// (the caller returns the cursor and clears the line).
    public func line(elapsed: Double) -> String {
        var parts: [String] = []
        if let total = totalBytes, total > 0 {
            let done = min(bytesRead, total)
            parts.append("\(Self.size(done)) of \(Self.size(total)) (\(done * 100 / total)%)")
        } else {
            parts.append("\(Self.size(bytesRead)) read")
        }
        if elapsed > 0 {
            parts.append("\(Self.rate(Double(packetsRead) / elapsed)) packets/s")
        }
        parts.append("\(Self.grouped(records)) records")
        if let total = totalBytes, total > 0, bytesRead > 0, elapsed > 0 {
            let left = elapsed * Double(max(total - bytesRead, 0)) / Double(bytesRead)
            parts.append("\(Self.duration(left)) left")
        }
        return parts.joined(separator: " · ")
    }

    /// A byte count in B, KB, MB or GB (powers of 1000), one decimal from KB up.
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(bytes) / 1000
        var unit = 0
        while value >= 999.95 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return "\(oneDecimal(value)) \(units[unit])"
    }

    /// A rate: plain below 1000, then with K or M and one decimal.
    static func rate(_ perSecond: Double) -> String {
        guard perSecond.isFinite, perSecond >= 0 else { return "0" }
        if perSecond < 1000 { return "\(Int(perSecond))" }
        if perSecond < 999_950 { return "\(oneDecimal(perSecond / 1000))K" }
        return "\(oneDecimal(perSecond / 1_000_000))M"
    }

    /// `value` rounded to one decimal, printed without Foundation.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// An integer with thousands separators: 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// Seconds as `m:ss`, or `h:mm:ss` from an hour up (rounded up: "0:00 left" only at the very end).
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0:00" }
        let s = Int(min(seconds.rounded(.up), 359_999_999))
        let h = s / 3600, m = s / 60 % 60, r = s % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(r))" : "\(m):\(two(r))"
    }
}
