#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an ``AtomicFile`` write failed: the system's reason (`strerror`).
public struct AtomicWriteError: Error, Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}

/// The one way VPCKit writes an output file: whole or not at all (Docs/SECURITY.md, "Output files are atomic").
///
/// The bytes go to a temporary file beside the final name, opened with `O_NOFOLLOW` (never through a symbolic
/// link planted at the temporary name), written, `fsync`ed, closed, then renamed over the final name (which
/// replaces a symbolic link at that name itself, never its target). On any error the temporary file is removed
/// and whatever was at the final name stays as it was.
public enum AtomicFile {
    /// Writes `bytes` to `name`, resolved in the directory open as `directory` (`AT_FDCWD`: the current
    /// directory, so `name` may be any path), through the temporary `temporary` in the same directory.
    public static func write(_ bytes: [UInt8], to name: String, in directory: Int32,
                             temporary: String) throws(AtomicWriteError) {
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicWriteError(message: errorText()) }
        var offset = 0
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return true }
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        let message = written ? "" : errorText()
        let flushed = written && fsync(fd) == 0
        let closed = close(fd) == 0
        guard written, flushed, closed else {
            let why = written ? errorText() : message
            unlinkat(directory, temporary, 0)
            throw AtomicWriteError(message: why)
        }
        if renameat(directory, temporary, directory, name) != 0 {
            let why = errorText()
            unlinkat(directory, temporary, 0)
            throw AtomicWriteError(message: why)
        }
    }

    /// Writes `text` to the file at `path` whole or not at all, through `path.tmp-<pid>`; false on failure
    /// (nothing changed at `path`).
    public static func write(_ text: String, toPath path: String) -> Bool {
        do throws(AtomicWriteError) {
            try write(Array(text.utf8), to: path, in: AT_FDCWD, temporary: path + ".tmp-\(getpid())")
            return true
        } catch {
            return false
        }
    }

    /// Writes `bytes` to the file at `path` whole or not at all, through `path.tmp-<pid>`; false on failure
    /// (nothing changed at `path`).
    public static func write(_ bytes: [UInt8], toPath path: String) -> Bool {
        do throws(AtomicWriteError) {
            try write(bytes, to: path, in: AT_FDCWD, temporary: path + ".tmp-\(getpid())")
            return true
        } catch {
            return false
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
