// swift-tools-version: 6.1
// Benchmarks live in their own package so that the main package's build and tests stay light.
// Run: cd Benchmarks && swift package benchmark   (release builds, ordo-one/benchmark harness)
import PackageDescription

let package = Package(
    name: "VPCKitBenchmarks",
    platforms: [.macOS(.v13)],
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
    ]
)
