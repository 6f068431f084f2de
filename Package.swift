// swift-tools-version: 6.1
// VPCKit: model AWS VPC networks offline and answer questions about them fast.
//
// Layering (each module depends only on modules above it in this list):
//   Reporting, IPAddressing → PrefixMatch → NetworkModel → Reachability → FlowLogs (CPcap, CZlib, CPrefetch) · Lint · Importers
//   → the `vpckit` executable.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

// Modules that inline the LPM lookups (PrefixMatch's hot paths are @inlinable) get hardware popcount and keep
// LLVM from turning the branch-free interval search into unpredictable branches (Docs/ARCHITECTURE.md,
// "PrefixMatch"). Every x86-64 CPU since 2008/2009 has POPCNT.
#if arch(x86_64)
let hotPath: [SwiftSetting] = strict + [.unsafeFlags(["-Xcc", "-mpopcnt", "-Xllvm", "-x86-cmov-converter=false"])]
#else
let hotPath: [SwiftSetting] = strict
#endif

let package = Package(
    name: "VPCKit",
    // macOS 15 for `Synchronization.Mutex` (Linux, where CI runs, has no minimum).
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vpckit", targets: ["vpckit"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "IPAddressing", targets: ["IPAddressing"]),
        .library(name: "PrefixMatch", targets: ["PrefixMatch"]),
        .library(name: "NetworkModel", targets: ["NetworkModel"]),
        .library(name: "Reachability", targets: ["Reachability"]),
        .library(name: "FlowLogs", targets: ["FlowLogs"]),
        .library(name: "Lint", targets: ["Lint"]),
        .library(name: "Importers", targets: ["Importers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "JSON", swiftSettings: strict),
        .target(name: "Reporting", dependencies: ["JSON"], swiftSettings: strict),
        .target(name: "IPAddressing", swiftSettings: strict),
        .target(name: "PrefixMatch", dependencies: ["IPAddressing"], swiftSettings: strict),
        .target(name: "NetworkModel", dependencies: ["IPAddressing", "PrefixMatch", "Reporting"], swiftSettings: strict),
        .target(name: "Reachability", dependencies: ["NetworkModel", "PrefixMatch", "IPAddressing", "Reporting"], swiftSettings: hotPath),
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPrefetch"),
        .target(name: "FlowLogs", dependencies: ["Reachability", "NetworkModel", "IPAddressing", "Reporting", "CPcap", "CZlib", "CPrefetch"], swiftSettings: hotPath),
        .target(name: "Lint", dependencies: ["Reachability", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: hotPath),
        .target(name: "Importers", dependencies: ["JSON", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .executableTarget(
            name: "vpckit",
            dependencies: [
                "Reporting", "IPAddressing", "PrefixMatch", "NetworkModel", "Reachability", "FlowLogs", "Lint", "Importers",
                "CPrefetch", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // Shared by the test targets only (seeded RNG); not a product.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"], swiftSettings: strict),
        .testTarget(name: "IPAddressingTests", dependencies: ["TestSupport", "IPAddressing"], swiftSettings: strict),
        .testTarget(name: "PrefixMatchTests", dependencies: ["TestSupport", "PrefixMatch", "IPAddressing"], swiftSettings: strict),
        .testTarget(name: "NetworkModelTests", dependencies: ["TestSupport", "NetworkModel", "IPAddressing", "Reporting"],
                    resources: [], swiftSettings: strict),
        .testTarget(name: "ReachabilityTests", dependencies: ["TestSupport", "Reachability", "NetworkModel", "IPAddressing"],
                    exclude: ["Reference/DISAGREEMENTS.md"], swiftSettings: strict),
        .testTarget(name: "FlowLogsTests", dependencies: ["TestSupport", "FlowLogs", "Reachability", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .testTarget(name: "LintTests", dependencies: ["TestSupport", "Lint", "Reachability", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .testTarget(name: "ImportersTests", dependencies: ["TestSupport", "Importers", "NetworkModel", "Reachability", "Lint"], exclude: ["Fixtures"],
                    swiftSettings: strict),
    ]
)
