// Prints the PrefixMatch figures recorded in Docs/PERFORMANCE.md: build time, memory and batch lookup rate of
// CompiledPrefixTable on seeded realistic tables, beside a linear scan and a one-bit trie measured in the same
// run. Each figure is the median of several repetitions.
//
//   cd Benchmarks && swift run -c release PrefixMatchReport [--quick]
import BenchmarkFixtures
import IPAddressing
import LPMBaselines
import PrefixMatch

let quick = CommandLine.arguments.contains("--quick")
let repetitions = quick ? 3 : 7

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Runs `body` `runs` times and returns the median wall time in seconds.
func median(runs: Int = repetitions, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        body()
        times.append(seconds(clock.now - start))
    }
    times.sort()
    return times[times.count / 2]
}

@inline(never) func consume(_ x: Int32) { if x == Int32.min + 7 { print("") } }

func rate(_ count: Int, _ t: Double) -> String {
    let r = Double(count) / t
    return r >= 1e6 ? "\(format(r / 1e6)) M/s" : "\(format(r / 1e3)) k/s"
}
func format(_ x: Double, _ digits: Int = 1) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = Double(Int(x * p + 0.5)) / p
    return "\(v)"
}
func megabytes(_ bytes: Int) -> String { format(Double(bytes) / 1_048_576, 2) + " MB" }

func report(_ label: String, _ value: String) {
    print("\(label): \(value)")
}

func runCase<Address: IPAddressProtocol>(
    name: String, prefixes: [Prefix<Address>], probes: [(String, [Address])], linearProbeCount: Int, builds: Int
) {
    print("== \(name): \(prefixes.count) prefixes")
    let routes = prefixes.enumerated().map { ($0.element, UInt32($0.offset)) }
    // Build: builder insertions + compile.
    var compiled = CompiledPrefixTable<Address, UInt32>()
    let buildTime = median {
        for _ in 0..<builds {
            var table = PrefixTable<Address, UInt32>(minimumCapacity: routes.count)
            for (p, v) in routes { table.insert(p, v) }
            compiled = table.compiled()
        }
    } / Double(builds)
    let builder = PrefixTable<Address, UInt32>(routes)
    let compileTime = median { for _ in 0..<builds { compiled = builder.compiled() } } / Double(builds)
    report("\(name) build (insert + compile)", buildTime < 1e-3 ? "\(format(buildTime * 1e6, 2)) µs" : "\(format(buildTime * 1e3)) ms")
    report("\(name) compile only", compileTime < 1e-3 ? "\(format(compileTime * 1e6, 2)) µs" : "\(format(compileTime * 1e3)) ms")
    let tableBytes = compiled.indexMemoryBytes
    let routeBytes = compiled.count * (MemoryLayout<Prefix<Address>>.stride + MemoryLayout<UInt32>.stride)
    report("\(name) memory (\(compiled.layoutName))", "\(megabytes(tableBytes)) index + \(megabytes(routeBytes)) route arrays")

    let trieStart = ContinuousClock.now
    let trie = BinaryTrie(prefixes)
    let trieBuild = seconds(ContinuousClock.now - trieStart)
    report("\(name) one-bit trie build / memory", "\(format(trieBuild * 1e3, 2)) ms / \(megabytes(trie.memoryBytes))")
    let linear = LinearScanTable(prefixes)

    for (label, addresses) in probes {
        var out = [Int32](repeating: 0, count: addresses.count)
        let t = median { compiled.lookupIndices(addresses, into: &out) }
        // Cross-check against the trie (route numbering differs: compare prefixes).
        var mismatches = 0
        var distinct = Set<Int32>()
        for (k, a) in addresses.enumerated() {
            let r = trie.lookup(a)
            let expected: Prefix<Address>? = r < 0 ? nil : prefixes[Int(r)]
            let got: Prefix<Address>? = out[k] < 0 ? nil : compiled.prefixes[Int(out[k])]
            if expected != got { mismatches += 1 }
            distinct.insert(out[k])
        }
        precondition(mismatches == 0, "\(name) \(label): \(mismatches) lookups disagree with the one-bit trie")
        let single = median {
            var acc: Int32 = 0
            for a in addresses { acc &+= Int32(truncatingIfNeeded: compiled.matchIndex(a) ?? -1) }
            consume(acc)
        }
        let trieTime = median(runs: 3) {
            var acc: Int32 = 0
            for a in addresses { acc &+= trie.lookup(a) }
            consume(acc)
        }
        let n = min(linearProbeCount, addresses.count)
        let linearTime = median(runs: 3) {
            var acc: Int32 = 0
            for a in addresses[0..<n] { acc &+= linear.lookup(a) }
            consume(acc)
        }
        let batchRate = Double(addresses.count) / t
        report("\(name) \(label) batch lookup", "\(rate(addresses.count, t)) (\(format(t / Double(addresses.count) * 1e9, 2)) ns/lookup; \(distinct.count) distinct results)")
        report("\(name) \(label) single lookup loop", rate(addresses.count, single))
        report("\(name) \(label) one-bit trie", "\(rate(addresses.count, trieTime)) (batch is \(format(batchRate / (Double(addresses.count) / trieTime)))× faster)")
        report("\(name) \(label) linear scan", "\(rate(n, linearTime)) (batch is \(format(batchRate / (Double(n) / linearTime), 0))× faster)")
    }
}

let probeCount = quick ? 200_000 : 1_000_000
/// `--case v4|v6|vpc` runs one case only.
let only: String? = CommandLine.arguments.firstIndex(of: "--case").flatMap {
    $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil
}

if only == nil || only == "v4" {
let v4 = RealisticTables.ipv4(count: quick ? 200_000 : 1_000_000)
runCase(name: "IPv4 \(v4.count / 1000)k", prefixes: v4,
        probes: [("uniform", RealisticTables.uniformAddresses(IPv4Address.self, count: probeCount, seed: 1)),
                 ("in-table", RealisticTables.addresses(inside: v4, count: probeCount, seed: 2))],
        linearProbeCount: 200, builds: 1)
}

if only == nil || only == "v6" {
let v6 = RealisticTables.ipv6(count: quick ? 50_000 : 200_000)
runCase(name: "IPv6 \(v6.count / 1000)k", prefixes: v6,
        probes: [("uniform", RealisticTables.uniformAddresses(IPv6Address.self, count: probeCount, seed: 3)),
                 ("in-table", RealisticTables.addresses(inside: v6, count: probeCount, seed: 4))],
        linearProbeCount: 1_000, builds: 1)
}

if only == nil || only == "vpc" {
let vpc = RealisticTables.vpcRouteTable(count: 50)
runCase(name: "VPC 50", prefixes: vpc,
        probes: [("uniform", RealisticTables.uniformAddresses(IPv4Address.self, count: probeCount, seed: 5)),
                 ("in-table", RealisticTables.addresses(inside: vpc, count: probeCount, seed: 6))],
        linearProbeCount: probeCount, builds: 10_000)
}

/// Concrete instantiation kept out of line so its machine code can be inspected (objdump) and profiled.
@inline(never) public func lookupBatchIPv4(_ table: CompiledPrefixTable<IPv4Address, UInt32>, _ a: UnsafeBufferPointer<IPv4Address>, _ r: UnsafeMutableBufferPointer<Int32>) {
    table.lookupIndices(a, into: r)
}
