import Synchronization

/// The process-wide table of source file names that ``SourceLocation`` refers to by index (index 0: the empty
/// name of ``SourceLocation/unknown``). Names are added on first use and kept for the process's lifetime; the
/// table is guarded by a lock, so locations can be made and read on any thread.
public final class SourceFiles: Sendable {
    /// The one table.
    public static let shared = SourceFiles()

    private struct Table {
        var names: [String] = [""]
        var indexByName: [String: UInt32] = ["": 0]
    }
    private let table = Mutex(Table())

    private init() {}

    /// The index of `name`, added to the table if new.
    ///
    /// - Complexity: one hash look-up under the lock.
    public func index(of name: String) -> UInt32 {
        table.withLock { t in
            if let i = t.indexByName[name] { return i }
            let i = UInt32(t.names.count)
            t.names.append(name)
            t.indexByName[name] = i
            return i
        }
    }

    /// The name stored at `index` (the empty name for an index not in the table).
    public func name(_ index: UInt32) -> String {
        table.withLock { t in Int(index) < t.names.count ? t.names[Int(index)] : "" }
    }
}
