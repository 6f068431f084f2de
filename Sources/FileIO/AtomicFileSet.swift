#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CInterrupt

/// Files written together, all new or none: each is staged to a temporary file beside its final name, and
/// ``commit()`` renames every one over its name at once (Docs/SECURITY.md, "Interrupted work loses nothing").
///
/// Every temporary file is recorded, while it exists, in the interrupt-cleanup table (the `CInterrupt` module):
/// on SIGINT, SIGTERM or SIGHUP its handler removes them and ends the process by that signal (exit status 130,
/// 143 or 129 as the shell reports it). ``commit()`` renames with those signals held back, so an interrupt
/// comes before the first rename (nothing replaced, the temporary files removed) or after the last (everything
/// replaced). Only a failing rename (the final name became a folder, the disk was unmounted) leaves some files
/// replaced; the error says exactly which (``AtomicWriteError/replaced``).
///
/// The directories passed in (`root`) must stay open until ``commit()`` or ``discard()`` (or the set's end,
/// which discards what was not committed). One thread at a time.
public final class AtomicFileSet {
    struct Staged {
        var root: Int32
        var folder: [String]
        var name: String
        var temporary: String
    }

    let batch: UInt
    var staged: [Staged] = []

    public init() { batch = vpckit_interrupt_new_batch() }

    deinit { discard() }

    /// How many files are staged and not yet committed.
    public var count: Int { staged.count }

    /// The paths of the staged files as ``AtomicWriteError/replaced`` names them (`folder/…/name`).
    public var paths: [String] { staged.map(Self.displayPath) }

    /// Writes `bytes` to the temporary `temporary` in the folder `folder` under the directory open as `root`,
    /// to be renamed over `name` there by ``commit()``. `folder`'s components are opened one at a time without
    /// following symbolic links (they must exist); `openFolder` is that folder when the caller has it open
    /// already. With an empty `folder`, `name` and `temporary` may be paths (`root` `AT_FDCWD`: any path).
    /// - Throws: on any error, this file's temporary is removed and nothing else changes (the files staged
    ///   before stay staged).
    public func stage(_ bytes: [UInt8], to name: String, temporary: String, in root: Int32, folder: [String] = [],
                      openFolder: Int32? = nil) throws(AtomicWriteError) {
        var directory = root
        var opened = false
        if let openFolder {
            directory = openFolder
        } else if !folder.isEmpty {
            directory = try Self.open(folder, in: root)
            opened = true
        }
        defer { if opened { close(directory) } }
        let folderPath = folder.joined(separator: "/")
        vpckit_interrupt_hold()
        // Recorded before it exists (an interrupt in between removes nothing: no harm); O_NONBLOCK so that a
        // FIFO planted at the temporary name fails the open instead of blocking it (and the table with it).
        let recorded = vpckit_interrupt_record(batch, root, folderPath, temporary) == 0
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        let openError = errno
        vpckit_interrupt_release()
        guard fd >= 0 else { throw AtomicWriteError(message: String(cString: strerror(openError))) }
        guard recorded else {
            close(fd)
            unlinkat(directory, temporary, 0)
            throw AtomicWriteError(message: "out of memory")
        }
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
        let message = written ? "" : AtomicFile.errorText()
        let flushed = written && fsync(fd) == 0
        let flushMessage = flushed ? "" : AtomicFile.errorText()
        let closed = close(fd) == 0
        guard written, flushed, closed else {
            let why = !written ? message : !flushed ? flushMessage : AtomicFile.errorText()
            // Its record stays until the set ends: removing a name that is gone again is harmless.
            unlinkat(directory, temporary, 0)
            throw AtomicWriteError(message: why)
        }
        staged.append(Staged(root: root, folder: folder, name: name, temporary: temporary))
    }

    /// Writes `text` to the temporary `path.tmp-<pid>` (`-<n>` added for the set's later files, so that two
    /// spellings of one file do not share a temporary), to be renamed over `path` by ``commit()``.
    public func stage(_ text: String, toPath path: String) throws(AtomicWriteError) {
        let suffix = staged.isEmpty ? "" : "-\(staged.count)"
        try stage(Array(text.utf8), to: path, temporary: path + ".tmp-\(getpid())" + suffix, in: AT_FDCWD)
    }

    /// Renames every staged file over its name, in the order staged, with SIGINT, SIGTERM and SIGHUP held
    /// back. When a rename fails, the files after it are not renamed (their temporaries are removed) and the
    /// error lists the files already replaced.
    public func commit() throws(AtomicWriteError) {
        vpckit_interrupt_hold()
        var replaced: [String] = []
        var failure: String?
        var cached: (root: Int32, folder: [String], fd: Int32)?
        for file in staged {
            var directory = file.root
            if !file.folder.isEmpty {
                if let c = cached, c.root == file.root, c.folder == file.folder {
                    directory = c.fd
                } else {
                    if let c = cached { close(c.fd) }
                    cached = nil
                    do throws(AtomicWriteError) {
                        directory = try Self.open(file.folder, in: file.root)
                    } catch {
                        failure = Self.displayPath(file) + ": " + error.message
                        break
                    }
                    cached = (file.root, file.folder, directory)
                }
            }
            if renameat(directory, file.temporary, directory, file.name) != 0 {
                failure = Self.displayPath(file) + ": " + AtomicFile.errorText()
                break
            }
            replaced.append(Self.displayPath(file))
        }
        if let c = cached { close(c.fd) }
        if failure == nil {
            vpckit_interrupt_forget(batch)
        } else {
            // What was renamed has no temporary any more; the rest are removed.
            _ = vpckit_interrupt_remove(batch)
        }
        vpckit_interrupt_release()
        staged = []
        if let failure {
            let list = replaced.isEmpty ? "no file was replaced" :
                "\(replaced.count) file\(replaced.count == 1 ? " was" : "s were") replaced: " + replaced.joined(separator: ", ")
            throw AtomicWriteError(message: "\(failure) (\(list))", replaced: replaced)
        }
    }

    /// Removes every staged temporary file; nothing at the final names changes.
    public func discard() {
        vpckit_interrupt_hold()
        _ = vpckit_interrupt_remove(batch)
        vpckit_interrupt_release()
        staged = []
    }

    /// Opens `folder` under `root` one component at a time, never following a symbolic link.
    static func open(_ folder: [String], in root: Int32) throws(AtomicWriteError) -> Int32 {
        var directory = root
        for component in folder {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let why = errno
            if directory != root { close(directory) }
            guard next >= 0 else {
                let message = why == ELOOP || why == ENOTDIR ? "'\(component)' is a symbolic link or not a folder"
                    : String(cString: strerror(why))
                throw AtomicWriteError(message: message)
            }
            directory = next
        }
        return directory
    }

    static func displayPath(_ file: Staged) -> String {
        (file.folder + [file.name]).joined(separator: "/")
    }
}

/// The interrupt-cleanup table's state, for tests and diagnostics.
public enum InterruptCleanup {
    /// Whether the handler that removes temporary files is installed for `signal` (it is, from the first
    /// write on, unless the signal was ignored or already handled when the process started writing).
    public static func isInstalled(_ signal: Int32) -> Bool { vpckit_interrupt_installed(signal) == 1 }

    /// How many temporary files `set` has recorded for the handler (its staged files, plus any whose write failed).
    public static func recordedCount(_ set: AtomicFileSet) -> Int {
        vpckit_interrupt_hold()
        defer { vpckit_interrupt_release() }
        return vpckit_interrupt_count(set.batch)
    }

    /// Does for `set` what the handler does on a signal, without ending the process: removes its recorded
    /// temporary files (folders opened without following links) and forgets them; returns how many it removed.
    public static func removeRecorded(_ set: AtomicFileSet) -> Int {
        vpckit_interrupt_hold()
        defer { vpckit_interrupt_release() }
        let removed = vpckit_interrupt_remove(set.batch)
        set.staged = []
        return removed
    }
}
