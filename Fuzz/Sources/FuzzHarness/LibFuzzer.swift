// Starting libFuzzer from a SwiftPM executable.
//
// SwiftPM links a debug executable with `main` defined as `<module>_main` (so that tests can link the
// executable's module), which hides libFuzzer's own `main`. Each target therefore also defines
// `<module>_main`, which hands its arguments and `LLVMFuzzerTestOneInput` to libFuzzer's driver,
// `LLVMFuzzerRunDriver` (libFuzzer's documented entry point for programs with their own `main`).

/// One fuzz input: `LLVMFuzzerTestOneInput`'s C signature.
public typealias FuzzTestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ testOneInput: FuzzTestOneInput) -> Int32

/// libFuzzer's driver on the program's arguments (flags, corpus folders or files to replay).
public func runLibFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                         _ testOneInput: FuzzTestOneInput) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, testOneInput)
}
