#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Standard output and standard error held in memory, for running commands in-process (tests): bind it with
/// `Terminal.$capture.withValue(capture) { VPCKitTool.run([...]) }`.
public final class TerminalCapture: Sendable {
    private let streams = Mutex<(out: [UInt8], err: [UInt8])>(([], []))

    public init() {}

    /// Everything written to standard output so far.
    public var standardOutput: String { streams.withLock { String(decoding: $0.out, as: UTF8.self) } }
    /// Everything written to standard error so far.
    public var standardError: String { streams.withLock { String(decoding: $0.err, as: UTF8.self) } }

    func append(fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        streams.withLock { if fd == 2 { $0.err.append(contentsOf: bytes) } else { $0.out.append(contentsOf: bytes) } }
    }
}

/// Standard streams without Foundation.
public enum Terminal {
    /// Where the streams go instead of file descriptors 1 and 2 in the current task (tests); nil: the process's
    /// standard streams.
    @TaskLocal public static var capture: TerminalCapture?

    /// Writes `text` and a newline to stderr.
    static func writeError(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        writeAll(fd: 2, line)
    }
    /// Writes `text` to stdout unchanged.
    static func write(_ text: String) {
        writeAll(fd: 1, text)
    }
    /// Writes every byte of `text` to `fd`, retrying short writes.
    static func writeAll(fd: Int32, _ text: String) {
        writeAll(fd: fd, Array(text.utf8))
    }
    /// Writes every byte of `bytes` to `fd`, retrying short writes.
    static func writeAll(fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        if let capture { capture.append(fd: fd, bytes); return }
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, base + offset, bytes.count - offset)
            if n <= 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
    /// Writes every byte of `bytes` to `fd`, retrying short writes.
    static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeAll(fd: fd, $0) }
    }
    /// True when stderr is a terminal (for progress bars); never while captured.
    static var stderrIsTerminal: Bool { capture == nil && isatty(2) != 0 }
}
