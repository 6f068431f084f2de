// Fuzz target `packet`: the packet decoder on raw frames (first byte: the link type). Built and run by `Scripts/fuzz` (Docs/FUZZING.md).
import FuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Harness.packet(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The executable's entry point as SwiftPM links it (`main` = `FuzzPacket_main`): libFuzzer's driver.
@_cdecl("FuzzPacket_main")
public func moduleMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
