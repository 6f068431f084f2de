// Fuzz target `pcap`: the capture reader (pcap/pcapng through libpcap, from memory) and the replay. Built and run by `Scripts/fuzz` (Docs/FUZZING.md).
import FuzzHarness

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Harness.pcap(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// The executable's entry point as SwiftPM links it (`main` = `FuzzPcap_main`): libFuzzer's driver.
@_cdecl("FuzzPcap_main")
public func moduleMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runLibFuzzer(argc, argv, fuzzOneInput)
}
