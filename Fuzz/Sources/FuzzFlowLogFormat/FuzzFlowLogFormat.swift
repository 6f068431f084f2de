// Fuzz target `flowlog-format`: the flow-log `--fields` format parser and `--map` entries. Built and run by `Scripts/fuzz` (Docs/FUZZING.md).
import FuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Harness.flowLogFormat(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The executable's entry point as SwiftPM links it (`main` = `FuzzFlowLogFormat_main`): libFuzzer's driver.
@_cdecl("FuzzFlowLogFormat_main")
public func moduleMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
