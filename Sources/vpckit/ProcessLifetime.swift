#if canImport(Glibc)
import Glibc
#endif

/// Ends the lifetime of big structures with the process instead of freeing them piece by piece.
///
/// A compiled benchmark topology is millions of strings, arrays and records; releasing them one by one at the
/// end of a command costs tens of milliseconds and frees nothing the exiting process still needs. A command
/// that has written all its output hands such values to ``keepUntilExit(_:)``: they stay referenced until the
/// process exits and the operating system takes the address space back whole. Output is unaffected (the
/// terminal writes are unbuffered, so nothing waits on a destructor).
enum ProcessLifetime {
    /// A box that is never released.
    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// Asks glibc's allocator to keep freed memory for reuse instead of handing it back to the system.
    ///
    /// Loading and compiling a big topology allocates and frees a few hundred megabytes in phases (source text,
    /// model, validation's name maps, compiled tables). By default glibc maps large blocks afresh and unmaps
    /// them on free, and trims the heap top, so later phases touch new pages: each costs a page fault and
    /// zeroing (the 14 MB benchmark topology: tens of thousands of faults, a sixth of the time). Here blocks up
    /// to 32 MB come from the heap and freed memory stays in it (loading and compiling the benchmark topology:
    /// 7,000 of 50,000 faults saved). The process is short-lived, so the memory kept costs nothing. Not for a
    /// command that then allocates arrays of hundreds of megabytes (`flowlogs` replaying millions of packets
    /// paid more in system time than the load gained). Elsewhere than glibc: nothing to do.
    static func keepFreedMemory() {
        #if canImport(Glibc)
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

    /// Keeps `value` (and everything it references) alive until the process exits.
    static func keepUntilExit<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
