// The one file that talks to libpcap. Everything else sees `CaptureFile`, `PacketHeader` and raw bytes.
import CPcap
import Glibc

/// Why a capture could not be opened or read to its end.
public enum CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libpcap could not open the file (missing, unreadable, not a pcap/pcapng file).
    case open(path: String, message: String)
    /// The `--filter` expression does not compile.
    case filter(expression: String, message: String)
    /// Reading stopped at packet `packetNumber` (1-based: the packet that could not be read), e.g. a
    /// truncated or corrupted file; the packets before it were delivered.
    case read(packetNumber: Int, message: String)

    public var description: String {
        switch self {
        case .open(let path, let message): "cannot open capture '\(path)': \(message)"
        case .filter(let expression, let message): "invalid filter '\(expression)': \(message)"
        case .read(let n, let message): "capture unreadable at packet \(n): \(message)"
        }
    }
}

/// The per-packet record header of a capture.
public struct PacketHeader: Sendable, Equatable {
    /// Capture time, Unix seconds: classic pcap's unsigned 32-bit `ts_sec` (0…4294967295, in either byte
    /// order), pcapng's 64-bit timestamp divided by its interface's `if_tsresol` units (may exceed 2³²−1, or
    /// be negative when libpcap's quotient passes 2⁶³).
    public var seconds: Int64
    /// Sub-second part, microseconds.
    public var microseconds: Int32
    /// Bytes present in the capture.
    public var capturedLength: Int
    /// Bytes the packet had on the wire.
    public var originalLength: Int
    public init(seconds: Int64, microseconds: Int32, capturedLength: Int, originalLength: Int) {
        self.seconds = seconds
        self.microseconds = microseconds
        self.capturedLength = capturedLength
        self.originalLength = originalLength
    }
}

/// An open pcap or pcapng file, read packet by packet (pull, not callbacks).
///
/// libpcap detects the format from the magic number; the link type of the file (or of its first pcapng
/// interface) is ``linkType``. The handle is owned by this value and closed when it goes away.
public struct CaptureFile: ~Copyable {
    private let handle: OpaquePointer
    /// The stdio buffer of the file libpcap reads (nil: libpcap opened the file itself).
    private let stdioBuffer: UnsafeMutableRawPointer?
    /// The copy of the bytes a capture read from memory (``init(bytes:name:)``) reads; nil for files.
    private let memory: UnsafeMutableRawPointer?
    /// Reads a plain classic pcap's records itself (large reads, no per-packet libpcap call); nil: every packet
    /// through libpcap (pcapng, nanosecond files, a pipe, …). See ``DirectPcapReader``.
    private var direct: DirectPcapReader?
    /// The `--filter` program for packets ``direct`` reads (libpcap holds its own copy for the packets it reads).
    private var directFilter: UnsafeMutablePointer<bpf_program>?
    /// Packets returned so far.
    public private(set) var packetsRead = 0
    /// The capture's size in bytes when it is a regular file or held in memory; nil for a pipe or standard input.
    public let totalBytes: Int?
    /// The link-layer type (libpcap's `DLT_*` number) of the packets.
    public let linkType: Int32
    /// True when the file is known to be pcapng (its first 4 bytes, read with `pread` where the file allows
    /// it). libpcap sign-extends a little-endian classic pcap's `ts_sec` (so 0xFFFFFFFF became −1) but not a
    /// byte-swapped one: classic times are taken as unsigned 32 bits; pcapng times are libpcap's as they are.
    /// Unknown (a pipe) is read as classic: only a pcapng time past 2⁶³ seconds would then read differently.
    let isPcapng: Bool

    /// Opens `path` (pcap or pcapng).
    /// - Throws: ``CaptureError/open(path:message:)``.
    public init(path: String) throws(CaptureError) {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        // libpcap reads through stdio, two `fread`s per packet over a 4 KB buffer by default: open the file
        // ourselves with a 1 MB buffer (one `read` per MB instead of per 4 KB) and without stdio locking. "-" (stdin) and files `fopen`
        // cannot open go through libpcap's own open, which also words the error.
        var stdioBuffer: UnsafeMutableRawPointer? = nil
        var opened: OpaquePointer? = nil
        var isPcapng = false
        var openedHere = false
        if path != "-", let file = fopen(path, "rb") {
            isPcapng = Self.startsWithPcapngMagic(fileno(file))
            // Only this value reads the FILE: no stdio lock per `fread` (two per packet).
            _ = __fsetlocking(file, Int32(FSETLOCKING_BYCALLER))
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.stdioBufferSize, alignment: 16)
            if setvbuf(file, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, Self.stdioBufferSize) == 0 {
                stdioBuffer = buffer
            } else {
                buffer.deallocate()
            }
            opened = errorBuffer.withUnsafeMutableBufferPointer { errors in
                pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_MICRO), errors.baseAddress)
            }
            openedHere = opened != nil
            if opened == nil {  // libpcap leaves the file open on failure
                fclose(file)
                stdioBuffer?.deallocate()
                stdioBuffer = nil
                errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
            }
        }
        if opened == nil {
            if path == "-" { isPcapng = Self.startsWithPcapngMagic(0) }
            opened = errorBuffer.withUnsafeMutableBufferPointer { buffer in
                pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_MICRO), buffer.baseAddress)
            }
        }
        guard let opened else {
            let message = errorBuffer.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { String(cString: $0) } ?? "unknown error"
            }
            throw .open(path: path, message: message)
        }
        handle = opened
        self.stdioBuffer = stdioBuffer
        memory = nil
        self.isPcapng = isPcapng
        linkType = pcap_datalink(opened)
        var status = stat()
        if let file = pcap_file(opened), fstat(fileno(file), &status) == 0, status.st_mode & S_IFMT == S_IFREG {
            totalBytes = Int(status.st_size)
        } else {
            totalBytes = nil
        }
        // Only for a file opened here, whose header libpcap read through our `FILE`: "-" stays with libpcap.
        direct = openedHere ? DirectPcapReader(handle: opened, source: .file) : nil
    }

    /// Reads a capture (pcap or pcapng) held in memory, through the same libpcap reader as a file
    /// (`fmemopen`): the fuzz targets' entry point (Docs/FUZZING.md). `name` is the file name errors give.
    /// - Throws: ``CaptureError/open(path:message:)``.
    public init(bytes: [UInt8], name: String) throws(CaptureError) {
        // fmemopen refuses a zero-sized buffer on some C libraries: an empty capture reads as one that ends
        // before its header, as an empty file does.
        let size = max(bytes.count, 1)
        let copy = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        copy.storeBytes(of: 0, as: UInt8.self)
        bytes.withUnsafeBytes { if let base = $0.baseAddress { copy.copyMemory(from: base, byteCount: $0.count) } }
        guard let file = fmemopen(copy, bytes.count, "rb") ?? fmemopen(copy, size, "rb") else {
            copy.deallocate()
            throw .open(path: name, message: "cannot read the capture from memory")
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        let opened = errorBuffer.withUnsafeMutableBufferPointer { errors in
            pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_MICRO), errors.baseAddress)
        }
        guard let opened else {
            fclose(file)  // libpcap leaves the file open on failure
            copy.deallocate()
            let message = errorBuffer.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { String(cString: $0) } ?? "unknown error"
            }
            throw .open(path: name, message: message)
        }
        handle = opened
        stdioBuffer = nil
        memory = copy
        isPcapng = bytes.count >= 4 && bytes[0] == 0x0A && bytes[1] == 0x0D && bytes[2] == 0x0D && bytes[3] == 0x0A
        linkType = pcap_datalink(opened)
        totalBytes = bytes.count
        direct = DirectPcapReader(handle: opened, source: .memory(UnsafeRawPointer(copy), count: bytes.count))
    }

    /// Reads every packet through libpcap, as captures ``DirectPcapReader`` does not read do (the reference the
    /// tests compare the direct reader against).
    mutating func useLibpcapOnly() {
        direct?.release()
        direct = nil
    }

    /// Bytes of the capture read so far: exact for the direct reader, libpcap's file position otherwise (which
    /// runs ahead by up to a stdio buffer).
    public var bytesRead: Int {
        if let direct { return direct.position }
        guard let file = pcap_file(handle) else { return 0 }
        return max(Int(ftello(file)), 0)
    }

    /// True while packets are read without libpcap (tests).
    var readsDirectly: Bool { direct != nil }

    /// True when the file at `fd` starts with pcapng's section header block type (0x0A0D0D0A, the same in
    /// both byte orders). `pread` leaves the file offset alone; a pipe (no `pread`) is not known to be pcapng.
    static func startsWithPcapngMagic(_ fd: Int32) -> Bool {
        var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let n = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 4, 0) }
        return n == 4 && magic == (0x0A, 0x0D, 0x0D, 0x0A)
    }

    /// Size of the stdio buffer under libpcap's reads.
    static let stdioBufferSize = 1 << 20

    deinit {
        direct?.release()
        if let directFilter {
            pcap_freecode(directFilter)
            directFilter.deallocate()
        }
        pcap_close(handle)  // closes the FILE before its buffer goes
        stdioBuffer?.deallocate()
        memory?.deallocate()
    }

    /// Keeps only packets matching the BPF `expression` (tcpdump syntax), compiled by libpcap for this
    /// file's link type.
    /// - Throws: ``CaptureError/filter(expression:message:)``.
    public mutating func setFilter(_ expression: String) throws(CaptureError) {
        var program = bpf_program()
        if pcap_compile(handle, &program, expression, 1, PCAP_NETMASK_UNKNOWN) != 0 {
            throw .filter(expression: expression, message: String(cString: pcap_geterr(handle)))
        }
        if pcap_setfilter(handle, &program) != 0 {
            pcap_freecode(&program)
            throw .filter(expression: expression, message: String(cString: pcap_geterr(handle)))
        }
        // libpcap copied the program for the packets it reads; the direct reader's packets run this one.
        if let directFilter {
            pcap_freecode(directFilter)
        } else {
            directFilter = UnsafeMutablePointer<bpf_program>.allocate(capacity: 1)
        }
        directFilter?.initialize(to: program)
    }

    /// Reads the next packet and passes its header and captured bytes to `body`; the bytes are valid only
    /// inside `body`. Returns nil at the end of the file.
    /// - Throws: ``CaptureError/read(packetNumber:message:)`` when the file is truncated or corrupted.
    @inline(__always)
    public mutating func next<R>(_ body: (PacketHeader, UnsafeRawBufferPointer) -> R) throws(CaptureError) -> R? {
        while let step = direct?.next() {
            switch step {
            case .packet(let header, let bytes):
                if let directFilter {
                    var h = pcap_pkthdr()
                    h.caplen = UInt32(header.capturedLength)
                    h.len = UInt32(truncatingIfNeeded: header.originalLength)
                    h.ts.tv_sec = Int(header.seconds)
                    h.ts.tv_usec = Int(header.microseconds)
                    if pcap_offline_filter(directFilter, &h, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)) == 0 { continue }
                }
                packetsRead += 1
                return body(header, bytes)
            case .end:
                return nil
            case .handOver(let offset):
                // Anything unusual (a cut or oversized record, a read error): libpcap reads on from this record,
                // so it words the error or handles the record as it always has.
                direct?.release()
                direct = nil
                if let file = pcap_file(handle) { _ = fseeko(file, offset, SEEK_SET) }
            }
        }
        var header: UnsafeMutablePointer<pcap_pkthdr>? = nil
        var data: UnsafePointer<UInt8>? = nil
        let status = pcap_next_ex(handle, &header, &data)
        if status == PCAP_ERROR_BREAK { return nil }
        guard status == 1, let header, let data else {
            let message = status == PCAP_ERROR ? String(cString: pcap_geterr(handle)) : "libpcap status \(status)"
            throw .read(packetNumber: packetsRead + 1, message: message)
        }
        packetsRead += 1
        let h = header.pointee
        // Classic pcap: unsigned 32-bit seconds whatever libpcap's sign extension (see `isPcapng`).
        let seconds = isPcapng ? Int64(h.ts.tv_sec) : Int64(UInt32(truncatingIfNeeded: h.ts.tv_sec))
        let packetHeader = PacketHeader(seconds: seconds, microseconds: Int32(truncatingIfNeeded: h.ts.tv_usec),
                                        capturedLength: Int(h.caplen), originalLength: Int(h.len))
        return body(packetHeader, UnsafeRawBufferPointer(start: data, count: Int(h.caplen)))
    }
}

/// Reads the records of a plain classic pcap file itself, in large `pread`s (or straight from memory), instead
/// of libpcap's two `fread`s per packet through stdio (a fifth of the replay's time before issue 21).
///
/// It reads only what libpcap would read the same way: a microsecond classic pcap (magic `0xa1b2c3d4` in either
/// byte order), version 2.4, of a link type whose packets libpcap hands over unchanged. libpcap opens the file
/// (so it checks the file header and words open errors) and stays the reader of everything else. Any record
/// that is not plainly whole — a cut header or body, a captured length above the snapshot length or 262,144, a
/// failed read — hands the rest of the file back to libpcap at that record (``Step/handOver(offset:)``), so
/// libpcap words the error or handles the record (it cuts an over-long one to the snapshot length) as it always has.
struct DirectPcapReader {
    enum Source {
        /// Read from the descriptor of libpcap's `FILE`, from its current position on.
        case file
        /// The whole capture in memory (``CaptureFile/init(bytes:name:)``), valid while the reader is.
        case memory(UnsafeRawPointer, count: Int)
    }

    /// The outcome of one read.
    enum Step {
        case packet(PacketHeader, UnsafeRawBufferPointer)
        case end
        /// libpcap reads on from this byte offset of the file.
        case handOver(offset: Int)
    }

    /// Read size; holds the largest record read directly (16 + 262,144 bytes) with room to spare.
    static let bufferSize = 1 << 19
    /// Captured lengths above this go to libpcap (its smallest per-link-type maximum, `MAXIMUM_SNAPLEN`).
    static let largestRecord: UInt32 = 262_144

    /// The descriptor (-1: memory).
    private let fd: Int32
    /// Owned read buffer (file) or the capture itself (memory).
    private var buffer: UnsafeRawPointer
    private let ownsBuffer: Bool
    /// `buffer[start..<end]` holds file bytes not yet handed out; `buffer[0]` is at `bufferOffset` in the file.
    private var start = 0
    private var end = 0
    private var bufferOffset: Int
    private var atEndOfFile: Bool
    /// A read failed: the rest goes to libpcap, which meets the error and words it.
    private var readFailed = false
    private let swapped: Bool
    /// Captured lengths read directly: at most the snapshot length and ``largestRecord``.
    private let recordLimit: UInt32

    /// A reader for `handle`'s capture, or nil when libpcap should read it.
    init?(handle: OpaquePointer, source: Source) {
        guard pcap_major_version(handle) == 2, pcap_minor_version(handle) == 4 else { return nil }
        // Link types whose records libpcap returns as stored (no pseudo-header fix-ups that matter to decoding).
        switch pcap_datalink(handle) {
        case 0, 1, 12, 14, 101, 108, 113, 228, 229, 276: break
        default: return nil
        }
        let snapshot = pcap_snapshot(handle)
        guard snapshot > 0 else { return nil }
        recordLimit = min(UInt32(snapshot), Self.largestRecord)
        swapped = pcap_is_swapped(handle) != 0
        var magic: UInt32 = 0
        switch source {
        case .file:
            guard let file = pcap_file(handle) else { return nil }
            let descriptor = fileno(file)
            var status = stat()
            guard descriptor >= 0, ftello(file) == 24, fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                  withUnsafeMutableBytes(of: &magic, { pread(descriptor, $0.baseAddress, 4, 0) }) == 4 else { return nil }
            fd = descriptor
            buffer = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: Self.bufferSize, alignment: 64))
            ownsBuffer = true
            bufferOffset = 24
            atEndOfFile = false
        case .memory(let base, let count):
            guard count >= 24 else { return nil }
            fd = -1
            magic = base.loadUnaligned(as: UInt32.self)
            buffer = base
            ownsBuffer = false
            bufferOffset = 0
            start = 24
            end = count
            atEndOfFile = true
        }
        // Microsecond classic pcap only (libpcap scales nanosecond files' times).
        guard magic == 0xA1B2_C3D4 || magic == 0xD4C3_B2A1 else {
            release()
            return nil
        }
    }

    /// The file offset of the next record.
    var position: Int { bufferOffset + start }

    /// Frees the read buffer (call once, when the reader is dropped).
    func release() {
        if ownsBuffer { UnsafeMutableRawPointer(mutating: buffer).deallocate() }
    }

    @inline(__always) private func field(_ offset: Int) -> UInt32 {
        let v = buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return swapped ? v.byteSwapped : v
    }

    /// The next record.
    @inline(__always) mutating func next() -> Step {
        if end &- start < 16 {
            refill()
            if end &- start < 16 { return start == end && atEndOfFile && !readFailed ? .end : .handOver(offset: bufferOffset + start) }
        }
        let captured = field(start &+ 8)
        guard captured <= recordLimit else { return .handOver(offset: bufferOffset + start) }
        if end &- start &- 16 < Int(captured) {
            refill()
            guard end &- start &- 16 >= Int(captured) else { return .handOver(offset: bufferOffset + start) }
        }
        let header = PacketHeader(seconds: Int64(field(start)), microseconds: Int32(bitPattern: field(start &+ 4)),
                                  capturedLength: Int(captured), originalLength: Int(field(start &+ 12)))
        let bytes = UnsafeRawBufferPointer(start: buffer + (start &+ 16), count: Int(captured))
        start &+= 16 &+ Int(captured)
        return .packet(header, bytes)
    }

    /// Moves the unread bytes to the front of the buffer and reads on until it is full or the file ends.
    private mutating func refill() {
        guard fd >= 0, !atEndOfFile else { return }
        let target = UnsafeMutableRawPointer(mutating: buffer)
        let left = end - start
        if start > 0 {
            if left > 0 { target.copyMemory(from: buffer + start, byteCount: left) }
            bufferOffset += start
            start = 0
            end = left
        }
        while end < Self.bufferSize {
            let n = pread(fd, target + end, Self.bufferSize - end, bufferOffset + end)
            if n > 0 { end += n; continue }
            if n < 0 && errno == EINTR { continue }
            atEndOfFile = true
            readFailed = n < 0
            return
        }
    }
}
