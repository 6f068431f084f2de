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

    /// Keeps `value` (and everything it references) alive until the process exits.
    static func keepUntilExit<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
