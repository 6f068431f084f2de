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
    /// The files of an ``AtomicFileSet`` that were already replaced when a rename failed (empty otherwise:
    /// nothing was replaced), as their paths under the set's folders.
    public var replaced: [String]
    public init(message: String, replaced: [String] = []) {
        self.message = message
        self.replaced = replaced
    }
}

/// The one way VPCKit writes an output file: whole or not at all (Docs/SECURITY.md, "Output files are atomic").
///
/// The bytes go to a temporary file beside the final name, opened with `O_NOFOLLOW` (never through a symbolic
/// link planted at the temporary name), written, `fsync`ed, closed, then renamed over the final name (which
/// replaces a symbolic link at that name itself, never its target). On any error the temporary file is removed
/// and whatever was at the final name stays as it was. While the temporary file exists it is recorded for the
/// interrupt handler (``AtomicFileSet``), so SIGINT, SIGTERM or SIGHUP removes it too.
public enum AtomicFile {
    /// Writes `bytes` to `name`, resolved in the directory open as `directory` (`AT_FDCWD`: the current
    /// directory, so `name` may be any path), through the temporary `temporary` in the same directory.
    public static func write(_ bytes: [UInt8], to name: String, in directory: Int32,
                             temporary: String) throws(AtomicWriteError) {
        let set = AtomicFileSet()
        try set.stage(bytes, to: name, temporary: temporary, in: directory)
        try set.commit()
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
