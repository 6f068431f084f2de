// swift-tools-version: 6.1
// Benchmarks live in their own package so that the main package's build and tests stay light.
// Run: cd Benchmarks && swift package benchmark   (release builds, ordo-one/benchmark harness)
//      swift package benchmark --target PrefixMatchBenchmarks
// Shared fixtures (seeded realistic route tables) are in the BenchmarkFixtures library for other benchmarks.
import PackageDescription

// The lookups are @inlinable and compiled into these targets: let them use the POPCNT instruction on x86-64
// (every x86-64 CPU since 2008/2009 has it; without it popcount is a 12-instruction bit trick).
#if arch(x86_64)
let hotPath: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-Xcc", "-mpopcnt", "-Xllvm", "-x86-cmov-converter=false"])]
#else
let hotPath: [SwiftSetting] = [.swiftLanguageMode(.v6)]
#endif

let package = Package(
    name: "VPCKitBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "VPCKit", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // IP addressing: parsing CIDR text and the overlap sweep (Docs/PERFORMANCE.md, "IP addressing").
        .executableTarget(
            name: "CidrBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "IPAddressing", package: "VPCKit"),
            ],
            path: "Benchmarks/CidrBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // Seeded generators of realistic inputs (route tables, probe addresses), reusable by every benchmark.
        .target(
            name: "BenchmarkFixtures",
            dependencies: [.product(name: "IPAddressing", package: "VPCKit")],
            path: "Sources/BenchmarkFixtures",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // Baselines the LPM table is compared with: a linear scan and a one-bit (binary) trie.
        .target(
            name: "LPMBaselines",
            dependencies: [.product(name: "IPAddressing", package: "VPCKit")],
            path: "Sources/LPMBaselines",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // Plain release executable printing the figures recorded in Docs/PERFORMANCE.md (medians, ratios).
        .executableTarget(
            name: "PrefixMatchReport",
            dependencies: [
                .product(name: "PrefixMatch", package: "VPCKit"),
                .product(name: "IPAddressing", package: "VPCKit"),
                "BenchmarkFixtures", "LPMBaselines",
            ],
            path: "Sources/PrefixMatchReport",
            swiftSettings: hotPath),
        // Reachability figures (compile, query latency and throughput on the generated large topology).
        .executableTarget(
            name: "ReachabilityReport",
            dependencies: [
                .product(name: "Reachability", package: "VPCKit"),
                .product(name: "NetworkModel", package: "VPCKit"),
                .product(name: "IPAddressing", package: "VPCKit"),
                .product(name: "Generators", package: "VPCKit"),
            ],
            path: "Sources/ReachabilityReport",
            swiftSettings: hotPath),
        // Issue 19's questions (who-can-reach, reachable-from, the class table for `matrix`): class-level answers
        // against the loop of single pair queries over every party, in the same run (Docs/PERFORMANCE.md).
        .executableTarget(
            name: "QuestionsReport",
            dependencies: [
                .product(name: "Reachability", package: "VPCKit"),
                .product(name: "NetworkModel", package: "VPCKit"),
                .product(name: "Generators", package: "VPCKit"),
            ],
            path: "Sources/QuestionsReport",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // Issue 20's graph figures: the benchmark's DOT at VPC detail and one VPC under --focus (Docs/PERFORMANCE.md).
        .executableTarget(
            name: "GraphReport",
            dependencies: [
                .product(name: "Diagrams", package: "VPCKit"),
                .product(name: "Diagnostics", package: "VPCKit"),
                .product(name: "NetworkModel", package: "VPCKit"),
                .product(name: "Generators", package: "VPCKit"),
            ],
            path: "Sources/GraphReport",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        // Import figures: the generated benchmark topology as AWS JSON, imported by phase.
        .executableTarget(
            name: "ImportReport",
            dependencies: [
                .product(name: "Importers", package: "VPCKit"),
                .product(name: "NetworkModel", package: "VPCKit"),
                .product(name: "Generators", package: "VPCKit"),
            ],
            path: "Sources/ImportReport",
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "PrefixMatchBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PrefixMatch", package: "VPCKit"),
                .product(name: "IPAddressing", package: "VPCKit"),
                "BenchmarkFixtures", "LPMBaselines",
            ],
            path: "Benchmarks/PrefixMatchBenchmarks",
            swiftSettings: hotPath,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
