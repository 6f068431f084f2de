// ordo-one/benchmark harness for PrefixMatch: batch lookups, builds and the baselines, on the seeded realistic
// tables of BenchmarkFixtures. Run: cd Benchmarks && swift package benchmark --target PrefixMatchBenchmarks
// Lookup benchmarks use scalingFactor .mega with 1,000,000 lookups per iteration: the harness reports the
// time per lookup and lookups per second. The summary figures in Docs/PERFORMANCE.md come from the
// PrefixMatchReport executable (same fixtures, medians, ratios to the baselines).
import Benchmark
import BenchmarkFixtures
import IPAddressing
import LPMBaselines
import PrefixMatch

let probeCount = 1_000_000

struct Fixture<Address: IPAddressProtocol>: Sendable {
    let prefixes: [Prefix<Address>]
    let table: CompiledPrefixTable<Address, UInt32>
    let uniform: [Address]
    let inside: [Address]

    init(_ prefixes: [Prefix<Address>], seed: UInt64) {
        self.prefixes = prefixes
        table = PrefixTable(prefixes.enumerated().map { ($0.element, UInt32($0.offset)) }).compiled()
        uniform = RealisticTables.uniformAddresses(Address.self, count: probeCount, seed: seed)
        inside = RealisticTables.addresses(inside: prefixes, count: probeCount, seed: seed + 1)
    }
}

// Built once, on first use (globals are lazy), outside every measurement.
let ipv4Internet = Fixture(RealisticTables.ipv4(count: 1_000_000), seed: 1)
let ipv6Internet = Fixture(RealisticTables.ipv6(count: 200_000), seed: 3)
let vpcTable = Fixture(RealisticTables.vpcRouteTable(count: 50), seed: 5)

func batchBenchmark<Address: IPAddressProtocol>(_ name: String, _ fixture: @escaping @Sendable () -> Fixture<Address>,
                                                 inside: Bool) {
    Benchmark(name, configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal],
                                         scalingFactor: .mega, maxDuration: .seconds(3))) { benchmark in
        let f = fixture()
        let addresses = inside ? f.inside : f.uniform
        var out = [Int32](repeating: 0, count: addresses.count)
        benchmark.startMeasurement()
        f.table.lookupIndices(addresses, into: &out)
        benchmark.stopMeasurement()
        blackHole(out)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxIterations = 50
    batchBenchmark("IPv4 1M batch lookup, uniform", { ipv4Internet }, inside: false)
    batchBenchmark("IPv4 1M batch lookup, in-table", { ipv4Internet }, inside: true)
    batchBenchmark("IPv6 200k batch lookup, uniform", { ipv6Internet }, inside: false)
    batchBenchmark("IPv6 200k batch lookup, in-table", { ipv6Internet }, inside: true)
    batchBenchmark("VPC 50 batch lookup, uniform", { vpcTable }, inside: false)
    batchBenchmark("VPC 50 batch lookup, in-table", { vpcTable }, inside: true)

    Benchmark("IPv4 1M one-bit trie baseline, in-table",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega, maxDuration: .seconds(3))) { benchmark in
        let f = ipv4Internet
        let trie = BinaryTrie(f.prefixes)
        benchmark.startMeasurement()
        for a in f.inside { blackHole(trie.lookup(a)) }
    }
    Benchmark("VPC 50 linear scan baseline, in-table",
              configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega, maxDuration: .seconds(3))) { benchmark in
        let f = vpcTable
        let linear = LinearScanTable(f.prefixes)
        benchmark.startMeasurement()
        for a in f.inside { blackHole(linear.lookup(a)) }
    }

    Benchmark("IPv4 1M build (insert + compile)",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
        let prefixes = ipv4Internet.prefixes
        benchmark.startMeasurement()
        var table = PrefixTable<IPv4Address, UInt32>(minimumCapacity: prefixes.count)
        for (i, p) in prefixes.enumerated() { table.insert(p, UInt32(i)) }
        blackHole(table.compiled())
    }
    Benchmark("VPC 50 build (insert + compile)",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(3))) { benchmark in
        let prefixes = vpcTable.prefixes
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var table = PrefixTable<IPv4Address, UInt32>(minimumCapacity: prefixes.count)
            for (i, p) in prefixes.enumerated() { table.insert(p, UInt32(i)) }
            blackHole(table.compiled())
        }
    }
}
