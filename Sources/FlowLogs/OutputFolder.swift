// Writing S3 objects under an output folder: never outside it, each file whole or not at all.
import FileIO
import Glibc

extension S3Delivery {
    /// Writes each object to `folder/<key>`, creating the folder (like `mkdir -p`) and the key's
    /// directories inside it.
    ///
    /// Nothing is written outside `folder`: every key component must pass
    /// ``AWSIdentifier/isSafePathComponent(_:)`` (no `..`, no `/`, no absolute or empty component), and the
    /// directories under `folder` are walked with `openat(O_NOFOLLOW)`, so a symbolic link inside the folder
    /// (say `AWSLogs` → `/etc`) is refused rather than followed. The files are written together by an
    /// ``AtomicFileSet`` (each to a temporary name in its final directory, flushed; then all renamed over their
    /// names at once): a reader sees each file whole or not at all, and an error or an interrupt (SIGINT, SIGTERM)
    /// before the renames leaves every previous file as it was and no temporary file behind.
    /// - Throws: ``S3DeliveryError/unsafeKey(_:)`` before anything is written for any bad key, or
    ///   ``S3DeliveryError/write(path:message:)``.
    public static func write(_ objects: [S3Object], under folder: String) throws(S3DeliveryError) {
        var keys: [[String]] = []
        for object in objects {
            let parts = object.key.split(separator: "/", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ AWSIdentifier.isSafePathComponent($0) }) else {
                throw .unsafeKey(object.key)
            }
            keys.append(parts.map(String.init))
        }
        guard !folder.isEmpty, !folder.utf8.contains(0) else { throw .write(path: folder, message: "not a folder name") }
        try makeFolder(folder)
        let root = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw .write(path: folder, message: errorText()) }
        defer { close(root) }
        let files = AtomicFileSet()
        do throws(S3DeliveryError) {
            for (object, parts) in zip(objects, keys) {
                try writeWhole(object.contents, at: parts, in: root, displayPath: folder + "/" + object.key, staging: files)
            }
        } catch {
            files.discard()
            throw error
        }
        do throws(AtomicWriteError) {
            try files.commit()
        } catch {
            throw .write(path: folder, message: error.message)
        }
    }

    /// `mkdir -p folder` (the folder the user named; symbolic links in it are the user's to make).
    static func makeFolder(_ folder: String) throws(S3DeliveryError) {
        var prefix = folder.hasPrefix("/") ? "/" : ""
        for component in folder.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix.hasSuffix("/") ? "" : "/") + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw .write(path: prefix, message: errorText()) }
        }
    }

    static func writeWhole(_ bytes: [UInt8], at parts: [String], in root: Int32, displayPath: String,
                           staging files: AtomicFileSet) throws(S3DeliveryError) {
        var directory = root
        defer { if directory != root { close(directory) } }
        for component in parts.dropLast() {
            if mkdirat(directory, component, 0o755) != 0 && errno != EEXIST {
                throw .write(path: displayPath, message: errorText())
            }
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                let message = errno == ELOOP || errno == ENOTDIR ? "'\(component)' is a symbolic link or not a folder" : errorText()
                throw .write(path: displayPath, message: message)
            }
            if directory != root { close(directory) }
            directory = next
        }
        let name = parts[parts.count - 1]
        // The one atomic writer (FileIO): a hidden temporary in the final directory, renamed over the name by the
        // set's commit.
        do throws(AtomicWriteError) {
            try files.stage(bytes, to: name, temporary: ".\(name).tmp-\(getpid())", in: root, folder: Array(parts.dropLast()),
                            openFolder: directory)
        } catch {
            throw .write(path: displayPath, message: error.message)
        }
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
