// swift-tools-version: 6.1
// VPCKit's coverage-guided fuzz targets (libFuzzer, Docs/FUZZING.md). A package of its own so that the main
// build and `swift test` never see them: `Scripts/fuzz` builds it with
//   swift build --package-path Fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// which instruments every module (VPCKit's libraries included) and links libFuzzer's `main`.
// Each `fuzz-NAME` product is one target: a `LLVMFuzzerTestOneInput` calling one `FuzzHarness` function.
import PackageDescription

/// Target name (as `Scripts/fuzz` spells it) → the executable's module.
let targets: [(name: String, module: String)] = [
    ("vpc", "FuzzVPC"),
    ("aws-json", "FuzzAWSJSON"),
    ("terraform", "FuzzTerraform"),
    ("pcap", "FuzzPcap"),
    ("packet", "FuzzPacket"),
    ("cidr-list", "FuzzCidrList"),
    ("ip", "FuzzIP"),
    ("flowlog-format", "FuzzFlowLogFormat"),
    ("query", "FuzzQuery"),
]

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "VPCKitFuzz",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: "fuzz-\($0.name)", targets: [$0.module]) },
    dependencies: [.package(name: "VPCKit", path: "..")],
    targets: [
        .target(
            name: "FuzzHarness",
            dependencies: [
                .product(name: "IPAddressing", package: "VPCKit"),
                .product(name: "NetworkModel", package: "VPCKit"),
                .product(name: "Reachability", package: "VPCKit"),
                .product(name: "FlowLogs", package: "VPCKit"),
                .product(name: "Importers", package: "VPCKit"),
                .product(name: "Loading", package: "VPCKit"),
                .product(name: "AddressPlanning", package: "VPCKit"),
                .product(name: "Lint", package: "VPCKit"),
                .product(name: "FileIO", package: "VPCKit"),
            ],
            swiftSettings: strict),
    ] + targets.map { .executableTarget(name: $0.module, dependencies: ["FuzzHarness"], swiftSettings: strict) }
)
