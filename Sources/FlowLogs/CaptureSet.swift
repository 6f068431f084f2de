// Several captures replayed as one (`vpckit flowlogs --pcap A --pcap B`, `--pcap FOLDER`): the inputs, the
// `--window` that keeps one part of the timeline, the k-way merge by packet time, and the tag that keeps the
// outputs of many processes (`--shard`, `--window`, `--per-capture`) apart.
import Glibc

/// A time window `[start, end)` in Unix seconds (`--window START/END`): a packet counts when
/// `start <= seconds < end` (its whole second is in the window: a packet at `START` counts, one at `END` does not).
public struct CaptureWindow: Sendable, Equatable {
    public let start: Int64
    public let end: Int64

    /// nil unless `0 <= start < end <= 2³²` (the times a record can hold, end exclusive).
    public init?(start: Int64, end: Int64) {
        guard start >= 0, start < end, end <= Int64(UInt32.max) + 1 else { return nil }
        self.start = start
        self.end = end
    }

    /// Parses `START/END`, each RFC 3339 (`2026-12-08T00:00:00Z`, `2026-12-08T01:00:00+01:00`; whole seconds)
    /// or Unix seconds (`1765152000`).
    /// - Throws: ``CaptureWindowError`` saying what is wrong.
    public init(parsing text: String) throws(CaptureWindowError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .syntax("expected START/END (RFC 3339 times or Unix seconds), found '\(text)'") }
        let start = try Self.time(String(parts[0])), end = try Self.time(String(parts[1]))
        guard let window = CaptureWindow(start: start, end: end) else {
            throw .syntax("START must be before END, both within 1970-01-01T00:00:00Z…2106-02-07T06:28:16Z, found '\(text)'")
        }
        self = window
    }

    /// True when a packet at `seconds` is in the window.
    @inline(__always) public func contains(_ seconds: Int64) -> Bool { seconds >= start && seconds < end }

    /// One bound: Unix seconds (digits) or an RFC 3339 date-time with `Z` or a `±HH:MM` offset.
    static func time(_ s: String) throws(CaptureWindowError) -> Int64 {
        let b = Array(s.utf8)
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if !b.isEmpty, b.count <= 11, b.allSatisfy(isDigit) { return Int64(s) ?? 0 }
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count, b[from..<from + count].allSatisfy(isDigit) else { return nil }
            return b[from..<from + count].reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
        }
        let bad = CaptureWindowError.syntax("'\(s)' is neither Unix seconds nor an RFC 3339 time such as 2026-12-08T00:00:00Z")
        guard b.count >= 20, let year = number(0, 4), b[4] == 0x2D, let month = number(5, 2), b[7] == 0x2D,
              let day = number(8, 2), b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20,
              let hour = number(11, 2), b[13] == 0x3A, let minute = number(14, 2), b[16] == 0x3A,
              let second = number(17, 2) else { throw bad }
        if b[19] == 0x2E { throw .syntax("'\(s)': window bounds are whole seconds (no fraction)") }
        var offset: Int64 = 0
        switch b[19] {
        case 0x5A, 0x7A: guard b.count == 20 else { throw bad }
        case 0x2B, 0x2D:
            guard b.count == 25, let oh = number(20, 2), b[22] == 0x3A, let om = number(23, 2), oh < 24, om < 60 else { throw bad }
            offset = (oh * 3600 + om * 60) * (b[19] == 0x2B ? 1 : -1)
        default: throw bad
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard month >= 1, month <= 12, day >= 1, day <= Int64(days[Int(month) - 1]), hour < 24, minute < 60, second < 60 else {
            throw .syntax("'\(s)' is not a valid date and time")
        }
        // Days from 1970-01-01 (civil-to-days, proleptic Gregorian).
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let epochDays = era * 146_097 + doe - 719_468
        return epochDays * 86400 + hour * 3600 + minute * 60 + second - offset
    }
}

/// Why `--window` could not be read.
public enum CaptureWindowError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(String)
    public var description: String { if case .syntax(let s) = self { s } else { "" } }
}

/// The capture files of `--pcap` arguments.
public enum CaptureInputs {
    /// The file name endings a folder's captures are taken by (compared without regard to case).
    public static let extensions = [".pcap", ".pcapng", ".cap"]

    /// Each argument as given, except a folder: its regular files (symbolic links followed) whose names end in
    /// ``extensions`` and do not start with `.`, sorted by name (byte order), not descending into sub-folders.
    /// - Throws: ``CaptureInputError`` for a folder that cannot be read or holds no capture.
    public static func expand(_ arguments: [String]) throws(CaptureInputError) -> [String] {
        var paths: [String] = []
        for argument in arguments {
            var status = stat()
            guard argument != "-", stat(argument, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                paths.append(argument)
                continue
            }
            guard let folder = opendir(argument) else { throw .folder(argument, String(cString: strerror(errno))) }
            var names: [String] = []
            while let entry = readdir(folder) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                let lower = name.lowercased()
                guard !name.hasPrefix("."), extensions.contains(where: { lower.hasSuffix($0) && lower.count > $0.count }) else { continue }
                let path = (argument.hasSuffix("/") ? argument : argument + "/") + name
                var fileStatus = stat()
                if stat(path, &fileStatus) == 0, fileStatus.st_mode & S_IFMT == S_IFREG { names.append(path) }
            }
            closedir(folder)
            guard !names.isEmpty else { throw .emptyFolder(argument) }
            paths += names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
        return paths
    }
}

/// Why the `--pcap` arguments name no captures.
public enum CaptureInputError: Error, Equatable, Sendable, CustomStringConvertible {
    case folder(String, String)
    case emptyFolder(String)
    public var description: String {
        switch self {
        case .folder(let path, let message): "cannot read folder '\(path)': \(message)"
        case .emptyFolder(let path): "folder '\(path)' holds no capture (files named *.pcap, *.pcapng or *.cap)"
        }
    }
}

/// A capture that could not be read to its end: the packets before the problem were replayed, the rest of the
/// file skipped.
public struct CaptureProblem: Sendable, Equatable {
    public var path: String
    public var error: CaptureError
    public init(path: String, error: CaptureError) {
        self.path = path
        self.error = error
    }
}

/// One open capture of a ``CaptureMerge``: its file and the one packet buffer holding its next packet.
final class MergeInput {
    var file: CaptureFile
    let order: Int
    let path: String
    let linkType: Int32
    var header = PacketHeader(seconds: 0, microseconds: 0, capturedLength: 0, originalLength: 0)
    var bytes: [UInt8] = []

    init(file: consuming CaptureFile, order: Int, path: String) {
        linkType = file.linkType
        self.file = file
        self.order = order
        self.path = path
    }

    /// Reads the next packet inside `window` into the buffer (false: the file ended), counting those outside.
    func advance(window: CaptureWindow?, outside: inout Int) throws(CaptureError) -> Bool {
        var buffer = bytes
        bytes = []
        defer { bytes = buffer }
        while true {
            let read = try file.next { header, packet -> PacketHeader in
                if buffer.count < packet.count { buffer = [UInt8](repeating: 0, count: max(packet.count, 2 * buffer.count, 2048)) }
                buffer.withUnsafeMutableBytes { target in
                    if let to = target.baseAddress, let from = packet.baseAddress { to.copyMemory(from: from, byteCount: packet.count) }
                }
                return header
            }
            guard let read else { return false }
            if let window, !window.contains(read.seconds) { outside += 1; continue }
            header = read
            return true
        }
    }
}

/// Several captures read as one stream in packet-time order: a k-way merge that holds one packet buffer per open
/// file, as one capture holding all their packets would be read (ties: the earlier capture in the list first,
/// then file position).
///
/// Each capture is first opened, its first packet (inside the window, after the filter) read, and closed again
/// (kept open when there are at most 16 captures, or for standard input); during the merge a capture is opened
/// again only once the stream reaches its first packet and closed at its end, so captures that follow one
/// another in time (a rotating `tcpdump -G`/`-C`) are open one or two at a time, and only captures that
/// overlap in time are open together.
///
/// A capture that cannot be opened, or whose reading fails (truncated, corrupted), becomes a
/// ``CaptureProblem``: the packets before it stay in the stream, the rest of that file is skipped, the
/// others go on.
public final class CaptureMerge {
    public let window: CaptureWindow?
    let filter: String?
    /// Captures not reached yet: first packet time, order, path, and the file when kept open.
    var pending: [(seconds: Int64, micros: Int32, order: Int, path: String, open: MergeInput?)] = []
    /// Open captures: a binary min-heap of their next packets' keys (plain values, so re-ordering it touches no
    /// object), each naming its capture's slot in ``inputs``.
    var heap: [MergeKey] = []
    /// The captures of the heap by slot (nil once finished; slots are not reused).
    var inputs: [MergeInput?] = []
    /// Captures that could not be read to their end, in the order met.
    public private(set) var problems: [CaptureProblem] = []
    /// Packets read but outside ``window`` (not in the stream).
    public private(set) var outsideWindow = 0
    /// The total size of the captures, when all are regular files.
    public private(set) var totalBytes: Int? = 0
    /// Bytes of the captures finished.
    var bytesDone = 0

    /// Opens `paths` in this order (ties between equal packet times go to the earlier one).
    /// - Throws: ``CaptureError/filter(expression:message:)`` when `filter` does not compile (for any capture's
    ///   link type); unreadable captures are ``problems`` instead.
    public init(paths: [String], filter: String? = nil, window: CaptureWindow? = nil) throws(CaptureError) {
        self.window = window
        self.filter = filter
        let keepOpen = paths.count <= 16
        for (order, path) in paths.enumerated() {
            guard let input = try open(path, order: order) else { continue }
            if let size = input.file.totalBytes, let total = totalBytes { totalBytes = total + size } else { totalBytes = nil }
            var skipped = 0
            do throws(CaptureError) {
                guard try input.advance(window: window, outside: &skipped) else {
                    outsideWindow += skipped
                    bytesDone += input.file.bytesRead
                    continue
                }
            } catch {
                outsideWindow += skipped
                problems.append(CaptureProblem(path: path, error: error))
                continue
            }
            if !keepOpen && path != "-" {
                // Reopened when reached: the packets outside the window are counted then.
                pending.append((input.header.seconds, input.header.microseconds, order, path, nil))
            } else {
                outsideWindow += skipped
                pending.append((input.header.seconds, input.header.microseconds, order, path, input))
            }
        }
        pending.sort { ($0.seconds, $0.micros, $0.order) > ($1.seconds, $1.micros, $1.order) }  // next one last
    }

    /// The capture at `path` opened with the filter; nil (and a problem) when it cannot be opened.
    func open(_ path: String, order: Int) throws(CaptureError) -> MergeInput? {
        var file: CaptureFile
        do throws(CaptureError) { file = try CaptureFile(path: path) } catch {
            problems.append(CaptureProblem(path: path, error: error))
            return nil
        }
        if let filter { try file.setFilter(filter) }
        return MergeInput(file: file, order: order, path: path)
    }

    /// Bytes read so far, over every capture (an estimate within a read buffer per open capture).
    public var bytesRead: Int { inputs.reduce(bytesDone) { $0 + ($1?.file.bytesRead ?? 0) } }

    /// Hands the next packet of the stream (its header, bytes and link type, libpcap's `DLT_*`) to `body`; nil at
    /// the end of every capture. The bytes are valid only inside `body`.
    @inline(__always)
    public func next<R>(_ body: (PacketHeader, UnsafeRawBufferPointer, Int32) -> R) -> R? {
        while let last = pending.last, heap.isEmpty || (last.seconds, last.micros, last.order) < (heap[0].seconds, heap[0].micros, heap[0].order) {
            pending.removeLast()
            activate(last)
        }
        guard let first = heap.first, let top = inputs[first.slot] else { return nil }
        let result = top.bytes.withUnsafeBytes { body(top.header, UnsafeRawBufferPointer(rebasing: $0.prefix(top.header.capturedLength)), top.linkType) }
        do throws(CaptureError) {
            if try top.advance(window: window, outside: &outsideWindow) {
                heap[0].seconds = top.header.seconds
                heap[0].micros = top.header.microseconds
                siftDown(0)
                return result
            }
        } catch {
            problems.append(CaptureProblem(path: top.path, error: error))
        }
        bytesDone += top.file.bytesRead
        inputs[first.slot] = nil  // closes the file
        let end = heap.removeLast()
        if !heap.isEmpty { heap[0] = end; siftDown(0) }
        return result
    }

    /// Puts a pending capture in the merge, reopening it when it was closed after its first packet was read.
    func activate(_ entry: (seconds: Int64, micros: Int32, order: Int, path: String, open: MergeInput?)) {
        var input = entry.open
        if input == nil {
            // The filter compiled for this file when it was first opened.
            guard let reopened = try? open(entry.path, order: entry.order) else { return }
            do throws(CaptureError) {
                guard try reopened.advance(window: window, outside: &outsideWindow) else { return }
            } catch {
                problems.append(CaptureProblem(path: entry.path, error: error))
                return
            }
            input = reopened
        }
        guard let input else { return }
        inputs.append(input)
        heap.append(MergeKey(seconds: input.header.seconds, micros: input.header.microseconds, order: input.order, slot: inputs.count - 1))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].precedes(heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    func siftDown(_ start: Int) {
        var i = start
        let count = heap.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var least = i
            if l < count, heap[l].precedes(heap[least]) { least = l }
            if r < count, heap[r].precedes(heap[least]) { least = r }
            if least == i { return }
            heap.swapAt(i, least)
            i = least
        }
    }
}

/// A capture's place in the merge: its next packet's time, its order in the input list, its slot in
/// ``CaptureMerge/inputs``.
struct MergeKey {
    var seconds: Int64
    var micros: Int32
    var order: Int
    var slot: Int

    /// Packet time, then the capture's place in the input list (a file's own packets come in file order: one is
    /// in the merge at a time).
    @inline(__always) func precedes(_ other: MergeKey) -> Bool {
        (seconds, micros, order) < (other.seconds, other.micros, other.order)
    }
}

/// What the outputs of one replay carry so that the outputs of many replays (processes, machines) merge into one
/// tree without two writing the same name: the `--window`, the `--shard` id, and the capture's number under
/// `--per-capture`. S3 object names keep AWS's layout, `…_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`, with the
/// tag in front of the hash in its last `_` field: `…_20261208T0005Z_window-1765152000-1765155600.shard-a7.capture-3.1f2e3d4c.log.gz`;
/// CloudWatch stream files become `eni-…-all.<tag>.jsonl`.
public struct OutputTag: Sendable, Equatable {
    public var window: CaptureWindow?
    public var shard: String?
    /// 1-based place of the capture in the input list (`--per-capture`).
    public var capture: Int?
    public init(window: CaptureWindow? = nil, shard: String? = nil, capture: Int? = nil) {
        self.window = window
        self.shard = shard
        self.capture = capture
    }

    /// A `--shard` id: 1 to 32 ASCII letters, digits or `-`.
    public static func isShardID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return !b.isEmpty && b.count <= 32 && b.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
        }
    }

    /// The dot-separated tag (`window-START-END`, `shard-ID`, `capture-N`, those given, in this order); nil when
    /// none is given (names stay as they always were).
    public var text: String? {
        var parts: [String] = []
        if let window { parts.append("window-\(window.start)-\(window.end)") }
        if let shard { parts.append("shard-\(shard)") }
        if let capture { parts.append("capture-\(capture)") }
        return parts.isEmpty ? nil : parts.joined(separator: ".")
    }
}
