// The replay's record list: fixed-size chunks that never move.
import CPrefetch

/// Flow log records in order: what ``FlowReplay/records()`` returns and the outputs render.
///
/// A value type with copy-on-write. Records live in chunks of 65,536 that are allocated once and never moved:
/// a capture with millions of records grows without copying them (an array would copy and re-fault every
/// record at each doubling, and hold both copies at its peak). Huge pages were tried for the chunks: the
/// kernel's compaction to find them made system time vary from 0.2 to 0.55 s between identical runs.
public struct FlowLogRecords: RandomAccessCollection, Sendable {
    /// One chunk's records. Shared between copies of the collection until one of them writes (copy-on-write
    /// through `isKnownUniquelyReferenced`), hence unchecked: a shared chunk is never mutated.
    final class Chunk: @unchecked Sendable {
        static let shift = 16
        static let capacity = 1 << shift
        let base: UnsafeMutablePointer<FlowLogRecord>

        init() {
            base = UnsafeMutablePointer<FlowLogRecord>.allocate(capacity: Self.capacity)
        }

        /// A chunk with the first `count` records of this one.
        func copy(count: Int) -> Chunk {
            let new = Chunk()
            new.base.initialize(from: base, count: count)
            return new
        }

        deinit { base.deallocate() }  // records are plain values: nothing to deinitialise
    }

    private var chunks: [Chunk] = []
    public private(set) var endIndex = 0
    public var startIndex: Int { 0 }

    public init() {}

    /// `records` in order.
    public init(_ records: some Sequence<FlowLogRecord>) {
        for r in records { append(r) }
    }

    public subscript(i: Int) -> FlowLogRecord {
        @inline(__always) unsafeAddress {
            precondition(i >= 0 && i < endIndex, "record index out of range")
            return UnsafePointer(chunks[i &>> Chunk.shift].base + (i & (Chunk.capacity - 1)))
        }
    }

    /// Read-write access for the replay.
    subscript(mutable i: Int) -> FlowLogRecord {
        @inline(__always) unsafeAddress { UnsafePointer(pointer(i)) }
        @inline(__always) unsafeMutableAddress {
            precondition(i >= 0 && i < endIndex, "record index out of range")
            let c = i &>> Chunk.shift
            if !isKnownUniquelyReferenced(&chunks[c]) {
                chunks[c] = chunks[c].copy(count: Swift.min(Chunk.capacity, endIndex - c << Chunk.shift))
            }
            return chunks[c].base + (i & (Chunk.capacity - 1))
        }
    }

    @inline(__always) private func pointer(_ i: Int) -> UnsafeMutablePointer<FlowLogRecord> {
        precondition(i >= 0 && i < endIndex, "record index out of range")
        return chunks[i &>> Chunk.shift].base + (i & (Chunk.capacity - 1))
    }

    /// Hints record `i`'s lines into the cache.
    @inline(__always) func prefetch(_ i: Int) {
        guard i >= 0 && i < endIndex else { return }
        let start = UnsafeRawPointer(chunks[i &>> Chunk.shift].base + (i & (Chunk.capacity - 1)))
        vpckit_prefetch(start)
        vpckit_prefetch(start + (MemoryLayout<FlowLogRecord>.stride &- 1))
    }

    mutating func append(_ record: FlowLogRecord) {
        let c = endIndex &>> Chunk.shift, offset = endIndex & (Chunk.capacity - 1)
        if c == chunks.count {
            chunks.append(Chunk())
        } else if !isKnownUniquelyReferenced(&chunks[c]) {
            chunks[c] = chunks[c].copy(count: offset)
        }
        (chunks[c].base + offset).initialize(to: record)
        endIndex &+= 1
    }
}

extension FlowLogRecords {
    /// These records (in interval order, as ``FlowReplay/records()`` gives them) with a NODATA record
    /// (``FlowLogRecord/noData(interface:start:end:intervalStart:)``) for each of the `interfaces` interfaces
    /// that has no record in an aggregation interval of length `interval` within the replay's span. The span runs
    /// from the first record's `start` to the last `end` (the packets that reached an interface; Docs/SEMANTICS.md
    /// "NODATA"); a NODATA record's `start` and `end` are its interval clipped to that span. Each interval's NODATA
    /// records follow its traffic records, by interface. No records: none added (no span). Nil when more than
    /// `limit` NODATA records would be added (a capture whose packets lie years apart).
    public func addingNoData(interfaces: Int, interval: Int64, limit: Int = 50_000_000) -> FlowLogRecords? {
        guard !isEmpty, interfaces > 0, interval > 0 else { return self }
        var first = Int64.max, last = Int64.min
        for r in self where !r.isNoData {
            first = Swift.min(first, r.start)
            last = Swift.max(last, r.end)
        }
        guard first <= last else { return self }
        let intervals = (last - first) / interval + 2
        guard intervals <= Int64(limit / interfaces) else { return nil }
        var out = FlowLogRecords()
        var seen = [Bool](repeating: false, count: interfaces)
        var i = startIndex
        var intervalStart = first - ((first % interval) + interval) % interval
        while intervalStart <= last {
            for k in seen.indices { seen[k] = false }
            while i < endIndex, self[i].intervalStart < intervalStart &+ interval {
                let r = self[i]
                if r.interface >= 0 && Int(r.interface) < interfaces { seen[Int(r.interface)] = true }
                out.append(r)
                i += 1
            }
            let start = Swift.max(intervalStart, first), end = Swift.min(intervalStart &+ interval &- 1, last)
            for e in seen.indices where !seen[e] {
                out.append(.noData(interface: Int32(e), start: start, end: end, intervalStart: intervalStart))
            }
            intervalStart &+= interval
        }
        while i < endIndex { out.append(self[i]); i += 1 }
        return out
    }
}
