#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading input files without Foundation: whole files, mapped files, folders of JSON.
public enum InputFiles {
    /// The bytes of the file at `path` (`-`: standard input), or nil (errno set).
    public static func read(_ path: String) -> [UInt8]? {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR { errno = EISDIR; return nil }
        // Read straight into an array of the file's size (one copy), then keep reading in case it grew.
        let size = (st.st_mode & S_IFMT) == S_IFREG ? max(0, Int(st.st_size)) : 0
        var failed = false
        var result = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            while initialized < size {
                let n = Glibc.read(fd, base + initialized, size - initialized)
                if n < 0 { if errno == EINTR { continue }; failed = true; break }
                if n == 0 { break }
                initialized += n
            }
        }
        if failed { return nil }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// True when `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Every `*.json` file under `path` (recursively), sorted, so imports are deterministic.
    public static func jsonFiles(under path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        var subdirectories: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            if isDirectory(full) { subdirectories.append(full) } else if name.lowercased().hasSuffix(".json") { out.append(full) }
        }
        out.sort()
        for sub in subdirectories.sorted() { out += jsonFiles(under: sub) }
        return out
    }

    /// Calls `body` with the bytes of the regular file at `path`, mapped read-only (read into memory when it
    /// cannot be mapped); nil when the file cannot be read.
    public static func withMappedFile<R>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        if size > 0, let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED {
            defer { munmap(map, size) }
            return body(UnsafeBufferPointer(start: map.assumingMemoryBound(to: UInt8.self), count: size))
        }
        guard let bytes = read(path) else { return nil }
        return bytes.withUnsafeBufferPointer(body)
    }

    /// True when `bytes` hold only whitespace, after an optional UTF-8 byte-order mark.
    public static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            guard bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 else { return false }
            i += 1
        }
        return true
    }
}
