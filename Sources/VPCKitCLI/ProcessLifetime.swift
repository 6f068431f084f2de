#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Allocator tuning and leaving big structures to process exit: off unless `VPCKIT_FAST_EXIT=1` is in the
/// environment (Docs/PERFORMANCE.md, "Allocator tuning", has what they buy).
///
/// A compiled benchmark topology is millions of strings, arrays and records; releasing them one by one at the
/// end of a command costs a few per cent of the run and frees nothing the exiting process still needs, and
/// glibc's default thresholds map and unmap big blocks between the load's phases. With the option a command
/// keeps freed memory in the heap, raises the mmap threshold before reading its input, and hands its big values
/// to ``keepUntilExit(_:)`` once the output is written. Output and exit codes are the same either way.
enum ProcessLifetime {
    /// True when `VPCKIT_FAST_EXIT=1`: read once.
    static let enabled: Bool = {
        guard let value = getenv("VPCKIT_FAST_EXIT") else { return false }
        return String(cString: value) == "1"
    }()

    /// A box that is never released.
    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Asks glibc's allocator to keep freed memory for reuse instead of handing it back to the system (blocks
    /// up to 32 MB from the heap, no trimming). Only with the option; elsewhere than glibc: nothing to do.
    static func keepFreedMemory() {
        #if canImport(Glibc)
        guard enabled else { return }
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export: look it up by name.
        // Parameter numbers from <malloc.h> (a stable ABI): M_TRIM_THRESHOLD -1, M_TOP_PAD -2, M_MMAP_THRESHOLD -3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-3, 32 << 20)
        _ = mallopt(-1, 1 << 30)
        _ = mallopt(-2, 16 << 20)
        #endif
    }

    /// Before `path` is read (only with the option): allocates and frees a block of the file's size, which
    /// raises glibc's mmap threshold to it (up to 32 MB), so the input's bytes and later big arrays come from the
    /// heap and memory freed there is reused instead of faulting fresh pages.
    static func prepareForInput(_ path: String) {
        #if canImport(Glibc)
        guard enabled, path != "-" else { return }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0,
              let block = malloc(Int(st.st_size)) else { return }
        // Stored so that the compiler keeps the allocation (an unused malloc/free pair is removed); never read.
        lastBlock.store(Int(bitPattern: block), ordering: .relaxed)
        free(block)
        #endif
    }

    /// The address of the block ``prepareForInput(_:)`` allocated last (never dereferenced).
    private static let lastBlock = Atomic<Int>(0)

    /// Keeps `value` (and everything it references) alive until the process exits (only with the option).
    static func keepUntilExit<Value>(_ value: Value) {
        guard enabled else { return }
        _ = Unmanaged.passRetained(Box(value))
    }
}
