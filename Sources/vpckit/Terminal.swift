#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard streams without Foundation.
enum Terminal {
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
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if n <= 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
    /// True when stderr is a terminal (for progress bars).
    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
