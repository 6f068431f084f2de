#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide table of source file names that ``SourceLocation`` refers to by index (index 0: the empty
/// name of ``SourceLocation/unknown``). Names are added on first use and kept for the process's lifetime; the
/// table is guarded by a lock, so locations can be made and read on any thread.
public final class SourceFiles: @unchecked Sendable {
    /// The one table.
    public static let shared = SourceFiles()

    /// Guards ``names`` and ``indexByName`` (a pthread mutex: allocated once, never moved).
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private var names: [String] = [""]
    private var indexByName: [String: UInt32] = ["": 0]

    private init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// The index of `name`, added to the table if new.
    ///
    /// - Complexity: one hash look-up under the lock.
    public func index(of name: String) -> UInt32 {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if let i = indexByName[name] { return i }
        let i = UInt32(names.count)
        names.append(name)
        indexByName[name] = i
        return i
    }

    /// The name stored at `index` (the empty name for an index not in the table).
    public func name(_ index: UInt32) -> String {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return Int(index) < names.count ? names[Int(index)] : ""
    }
}
