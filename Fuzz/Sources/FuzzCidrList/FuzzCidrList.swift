// Fuzz target `cidr-list`: the plain CIDR-list reader and the overlap report. Built and run by `Scripts/fuzz` (Docs/FUZZING.md).
import FuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Harness.cidrList(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The executable's entry point as SwiftPM links it (`main` = `FuzzCidrList_main`): libFuzzer's driver.
@_cdecl("FuzzCidrList_main")
public func moduleMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
