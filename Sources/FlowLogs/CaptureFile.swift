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
    /// Packets returned so far.
    public private(set) var packetsRead = 0
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
    }

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
        defer { pcap_freecode(&program) }
        if pcap_setfilter(handle, &program) != 0 {
            throw .filter(expression: expression, message: String(cString: pcap_geterr(handle)))
        }
    }

    /// Reads the next packet and passes its header and captured bytes to `body`; the bytes are valid only
    /// inside `body`. Returns nil at the end of the file.
    /// - Throws: ``CaptureError/read(packetNumber:message:)`` when the file is truncated or corrupted.
    @inline(__always)
    public mutating func next<R>(_ body: (PacketHeader, UnsafeRawBufferPointer) -> R) throws(CaptureError) -> R? {
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
