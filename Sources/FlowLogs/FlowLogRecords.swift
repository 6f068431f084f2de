// The replay's record list: fixed-size chunks that never move, in memory the kernel may back with 2 MB pages.
import CPrefetch
import Glibc

/// Flow log records in order: what ``FlowReplay/records()`` returns and the outputs render.
///
/// A value type with copy-on-write. Records live in chunks of 65,536 that are allocated once and never moved:
/// a capture with millions of records grows without copying them (an array would copy and re-fault every
/// record at each doubling), and each chunk is anonymous memory advised `MADV_HUGEPAGE`, so the replay's
/// random record updates do not also miss the TLB.
public struct FlowLogRecords: RandomAccessCollection, Sendable {
    /// One chunk's records. Shared between copies of the collection until one of them writes (copy-on-write
    /// through `isKnownUniquelyReferenced`), hence unchecked: a shared chunk is never mutated.
    final class Chunk: @unchecked Sendable {
        static let shift = 16
        static let capacity = 1 << shift
        let base: UnsafeMutablePointer<FlowLogRecord>
        /// The mapping (nil: allocated with `allocate`) and its length.
        private let mapping: UnsafeMutableRawPointer?
        private let length: Int

        init() {
            let bytes = Self.capacity * MemoryLayout<FlowLogRecord>.stride
            let huge = 1 << 21
            let length = (bytes + 2 * huge - 1) & ~(huge - 1)  // room to start on a 2 MB boundary
            let raw = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let raw, raw != UnsafeMutableRawPointer(bitPattern: -1) {
                let aligned = (Int(bitPattern: raw) + huge - 1) & ~(huge - 1)
                let start = raw + (aligned - Int(bitPattern: raw))
                _ = madvise(start, length - (aligned - Int(bitPattern: raw)), 14)  // MADV_HUGEPAGE; only a hint
                base = start.bindMemory(to: FlowLogRecord.self, capacity: Self.capacity)
                mapping = raw
                self.length = length
            } else {
                base = UnsafeMutablePointer<FlowLogRecord>.allocate(capacity: Self.capacity)
                mapping = nil
                self.length = 0
            }
        }

        /// A chunk with the first `count` records of this one.
        func copy(count: Int) -> Chunk {
            let new = Chunk()
            new.base.initialize(from: base, count: count)
            return new
        }

        deinit {  // records are plain values: nothing to deinitialise
            if let mapping { munmap(mapping, length) } else { base.deallocate() }
        }
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
