// swift-tools-version: 6.1
// VPCKit: model AWS VPC networks offline and answer questions about them fast.
//
// Layering (each module depends only on modules above it in this list):
//   Diagnostics (the one message type) → JSON (reader and writer), FileIO, IPAddressing → Reporting (renderers)
//   → PrefixMatch → NetworkModel (model, language, resolver) → Reachability → FlowLogs (CPcap, CZlib, CPrefetch)
//   · Lint · Importers → Loading (files → topologies) → AddressPlanning (CIDR lists, overlap report) · Generators
//   (synthetic topologies, AWS JSON export) · Diagrams (pictures: DOT, Mermaid; NetworkModel, Reachability,
//   Reporting, IPAddressing only) → VPCKitCLI (the commands) → the `vpckit` executable (its `main`).
// FileIO (with CInterrupt, the C signal handler removing temporary files on SIGINT/SIGTERM): reading files, the one
// atomic writer and the one program runner (Graphviz `dot` for `graph --format
// svg|png`, Docs/SECURITY.md); no other module below Loading touches the file system, except FlowLogs reading
// captures and writing S3 layouts.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

// Modules that inline the LPM lookups (PrefixMatch's hot paths are @inlinable) can get hardware popcount and keep
// LLVM from turning the branch-free interval search into unpredictable branches (Docs/ARCHITECTURE.md,
// "PrefixMatch", hot-path notes): `VPCKIT_NATIVE_FLAGS=1 swift build …`. Off by default: `unsafeFlags` make
// SwiftPM refuse the package as a versioned dependency of another package, and end to end they bought nothing
// measurable (Docs/PERFORMANCE.md, "Build flags": `flowlogs` replaying 2 M packets, `reach`, `lint` on the
// benchmark topology, within ±3 % either way). The Benchmarks package sets them for its own targets, where the
// PrefixMatch microbenchmarks inline the lookups and do gain (popcount 1.5–2× on tries, cmov 5–10× on small tables).
#if arch(x86_64)
let hotPath: [SwiftSetting] = Context.environment["VPCKIT_NATIVE_FLAGS"] == "1"
    ? strict + [.unsafeFlags(["-Xcc", "-mpopcnt", "-Xllvm", "-x86-cmov-converter=false"])]
    : strict
#else
let hotPath: [SwiftSetting] = strict
#endif

let package = Package(
    name: "VPCKit",
    // macOS 15 for `Synchronization.Mutex` (Linux, where CI runs, has no minimum).
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vpckit", targets: ["vpckit"]),
        .library(name: "Diagnostics", targets: ["Diagnostics"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "FileIO", targets: ["FileIO"]),
        .library(name: "IPAddressing", targets: ["IPAddressing"]),
        .library(name: "PrefixMatch", targets: ["PrefixMatch"]),
        .library(name: "NetworkModel", targets: ["NetworkModel"]),
        .library(name: "Reachability", targets: ["Reachability"]),
        .library(name: "FlowLogs", targets: ["FlowLogs"]),
        .library(name: "Lint", targets: ["Lint"]),
        .library(name: "Importers", targets: ["Importers"]),
        .library(name: "Loading", targets: ["Loading"]),
        .library(name: "AddressPlanning", targets: ["AddressPlanning"]),
        .library(name: "Diagrams", targets: ["Diagrams"]),
        // Not part of the modelling API: the generator behind `vpckit generate` and the AWS JSON exporter the
        // import round-trip tests and benchmarks use.
        .library(name: "Generators", targets: ["Generators"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Diagnostics", swiftSettings: strict),
        .target(name: "JSON", dependencies: ["Diagnostics"], swiftSettings: strict),
        // The interrupt-cleanup table and its signal handler, in C so that the handler is plainly async-signal-safe.
        .target(name: "CInterrupt"),
        .target(name: "FileIO", dependencies: ["CInterrupt"], swiftSettings: strict),
        .target(name: "Reporting", dependencies: ["Diagnostics", "JSON"], swiftSettings: strict),
        .target(name: "IPAddressing", swiftSettings: strict),
        .target(name: "PrefixMatch", dependencies: ["IPAddressing"], swiftSettings: strict),
        .target(name: "NetworkModel", dependencies: ["IPAddressing", "Reporting"], swiftSettings: strict),
        .target(name: "Reachability", dependencies: ["NetworkModel", "PrefixMatch", "IPAddressing", "Reporting"], swiftSettings: hotPath),
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPrefetch"),
        .target(name: "FlowLogs", dependencies: ["Reachability", "NetworkModel", "IPAddressing", "Reporting", "FileIO", "CPcap", "CZlib", "CPrefetch"], swiftSettings: hotPath),
        .target(name: "Lint", dependencies: ["Reachability", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: hotPath),
        .target(name: "Importers", dependencies: ["JSON", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .target(name: "Loading", dependencies: ["FileIO", "Importers", "NetworkModel", "Reporting"], swiftSettings: strict),
        .target(name: "AddressPlanning", dependencies: ["Loading", "FileIO", "NetworkModel", "IPAddressing", "Reporting", "CPrefetch"],
                swiftSettings: strict),
        .target(name: "Generators", dependencies: ["NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .target(name: "Diagrams", dependencies: ["NetworkModel", "Reachability", "Reporting", "IPAddressing"], swiftSettings: strict),
        // The commands, as a library so that tests run them in-process (Tests/VPCKitCLITests).
        .target(
            name: "VPCKitCLI",
            dependencies: [
                "Reporting", "IPAddressing", "NetworkModel", "Reachability", "FlowLogs", "Lint", "Importers", "Loading",
                "AddressPlanning", "FileIO", "Generators", "Diagrams", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "vpckit", dependencies: ["VPCKitCLI"], swiftSettings: strict),
        // Shared by the test targets only (seeded RNG); not a product.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "ReportingTests", dependencies: ["TestSupport", "Reporting"], swiftSettings: strict),
        .testTarget(name: "IPAddressingTests", dependencies: ["TestSupport", "IPAddressing"], swiftSettings: strict),
        .testTarget(name: "PrefixMatchTests", dependencies: ["TestSupport", "PrefixMatch", "IPAddressing"], swiftSettings: strict),
        .testTarget(name: "NetworkModelTests", dependencies: ["TestSupport", "NetworkModel", "Generators", "IPAddressing", "Reporting"],
                    resources: [], swiftSettings: strict),
        .testTarget(name: "ReachabilityTests", dependencies: ["TestSupport", "Generators", "Reachability", "NetworkModel", "IPAddressing"],
                    exclude: ["Reference/DISAGREEMENTS.md"], swiftSettings: strict),
        .testTarget(name: "FlowLogsTests", dependencies: ["TestSupport", "FlowLogs", "Reachability", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .testTarget(name: "LintTests", dependencies: ["TestSupport", "Lint", "Reachability", "NetworkModel", "IPAddressing", "Reporting"], swiftSettings: strict),
        .testTarget(name: "ImportersTests", dependencies: ["TestSupport", "Importers", "Generators", "NetworkModel", "Reachability", "Lint",
                                                           "IPAddressing", "Reporting"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "AddressPlanningTests", dependencies: ["AddressPlanning", "IPAddressing", "Reporting"], swiftSettings: strict),
        .testTarget(name: "FileIOTests", dependencies: ["TestSupport", "FileIO"], swiftSettings: strict),
        .testTarget(name: "LoadingTests", dependencies: ["Loading", "FileIO", "Importers", "NetworkModel"], swiftSettings: strict),
        .testTarget(name: "DiagramsTests", dependencies: ["TestSupport", "Diagrams", "Reachability", "NetworkModel", "Generators", "FileIO", "Lint", "Reporting"],
                    exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "VPCKitCLITests", dependencies: ["TestSupport", "VPCKitCLI", "Reachability", "NetworkModel", "IPAddressing", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                    swiftSettings: strict),
    ]
)
