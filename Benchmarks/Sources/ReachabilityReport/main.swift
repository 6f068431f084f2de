// Reachability figures for Docs/PERFORMANCE.md: compile time of the generated large topology, single-query
// latency (median of per-query timings) and throughput on one core, with a brute-force baseline in the same run.
//
// Run: cd Benchmarks && swift run -c release ReachabilityReport [--edges] [--profile-… [passes]]
// --edges: the issue-18 input, `TopologyGenerator.benchmarkEdges` (the same 2,000 VPCs plus a gateway endpoint in
// every VPC, a VPN and a Direct Connect gateway on the hub, on-premises networks). The same 200,000 pairs are
// queried, and a second set of queries crosses the edges: instance -> an S3 address (the gateway endpoint),
// instance -> onprem:office (over the VPN), onprem:datacentre -> instance (over Direct Connect).
#if canImport(Glibc)
import Glibc
#endif
import Generators
import IPAddressing
import NetworkModel
import Reachability

@inline(never) func blackHole<T>(_ x: T) { withExtendedLifetime(x) {} }

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func median(_ xs: [UInt64]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : Double(s[s.count / 2])
}

struct Rng {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The baseline: a route lookup by linear scan over every route of the table (what the compiled LPM replaces),
/// then the same connection walk. Only the route decision differs, so the ratio isolates the data-plane
/// compilation.
func linearLookup(_ table: CompiledRouteTable, _ a: IPAddress) -> Int? {
    var best: Int? = nil
    for (i, r) in table.routes.enumerated() where r.prefix.contains(a) {
        if let b = best, table.routes[b].prefix.length >= r.prefix.length { continue }
        best = i
    }
    return best
}

let withEdges = CommandLine.arguments.contains("--edges")
let generator = withEdges ? TopologyGenerator.benchmarkEdges : TopologyGenerator.benchmark
var t0 = now()
let topology = generator.generate()
let generateSeconds = Double(now() - t0) / 1e9
var compileTimes: [UInt64] = []
var compiled: CompiledTopology? = nil
for _ in 0..<3 {
    t0 = now()
    compiled = CompiledTopology(topology)
    compileTimes.append(now() - t0)
}
guard let c = compiled else { fatalError("unreachable: compiled three times") }
let instanceInterfaces = c.interfaces.indices.filter { c.interfaces[$0].isInstance }
print("topology: \(c.vpcs.count) VPCs, \(c.subnets.count) subnets, \(instanceInterfaces.count) instance interfaces, \(c.interfaces.count) interfaces, \(c.routeTables.count) route tables, \(c.tgwRouteTables.count) TGW tables (\(c.tgwRouteTables.map(\.routes.count).reduce(0, +)) TGW routes); generated in \(generateSeconds) s")
print("compile: median \(median(compileTimes) / 1e6) ms of 3")

// Query mix: random instance pairs (same VPC and across the TGW hub), tcp/443 with one client port, plus
// instance -> internet.
var rng = Rng(state: 7)
let queryCount = 200_000
var pairs: [(ResolvedEndpoint, ResolvedEndpoint)] = []
pairs.reserveCapacity(queryCount)
for k in 0..<queryCount {
    let a = instanceInterfaces[Int(rng.next() % UInt64(instanceInterfaces.count))]
    let src = ResolvedEndpoint.interface(InterfaceID(Int32(a)), address: .v4(c.interfaces[a].primaryIP))
    if k % 10 == 9 {
        pairs.append((src, .internet(.v4(c.representativeInternetAddress))))
    } else {
        let b = instanceInterfaces[Int(rng.next() % UInt64(instanceInterfaces.count))]
        pairs.append((src, .interface(InterfaceID(Int32(b)), address: .v4(c.interfaces[b].primaryIP))))
    }
}

// The edges' queries (with --edges): a third each through the gateway endpoint, to on-premises over the VPN and
// from on-premises over Direct Connect; tcp/443 like the pairs above.
var edgePairs: [(ResolvedEndpoint, ResolvedEndpoint)] = []
if withEdges {
    let s3 = TopologyGenerator.s3Prefixes
    for k in 0..<60_000 {
        let a = instanceInterfaces[Int(rng.next() % UInt64(instanceInterfaces.count))]
        let instance = ResolvedEndpoint.interface(InterfaceID(Int32(a)), address: .v4(c.interfaces[a].primaryIP))
        let r = rng.next()
        switch k % 3 {
        case 0:
            let p = s3[Int(r % UInt64(s3.count))]
            let host = UInt32(truncatingIfNeeded: r >> 32) & ~(UInt32.max << UInt32(32 - p.length))
            edgePairs.append((instance, .internet(.v4(IPv4Address(bits: p.network.bits | host)))))
        case 1:
            // 192.168.0.0/20: onprem office, announced over the VPN only.
            let host = UInt32(truncatingIfNeeded: r >> 32) % 4094 + 1
            edgePairs.append((instance, .onPremises(address: .v4(IPv4Address(bits: IPv4Address(192, 168, 0, 0).bits | host)), edge: -1)))
        default:
            // 172.16.0.0/16: onprem datacentre, over the transit VIF (local preference high) or the VPN.
            let host = UInt32(truncatingIfNeeded: r >> 32) % 65534 + 1
            edgePairs.append((.onPremises(address: .v4(IPv4Address(bits: IPv4Address(172, 16, 0, 0).bits | host)), edge: -1), instance))
        }
    }
}

// Profiling modes (for `valgrind --tool=callgrind` / `perf record`): only one kind of query, then exit.
// `--profile-verdict-edges` / `--profile-full-edges` (with --edges) run the edges' queries.
let profileMode = CommandLine.arguments.dropFirst().first { $0.hasPrefix("--profile-") }
/// Counts observations (what FlowLogs replay does with them, minus aggregation).
struct CountingObserver: PacketObserver {
    var count = 0
    mutating func observe(_ observation: ENIObservation) { count &+= observation.accepted ? 1 : 2 }
}
let packets: [(Packet, PacketOrigin)] = pairs.map { s, d in
    var origin = PacketOrigin.internet
    if case .interface(let i, _) = s { origin = .interface(i) }
    return (Packet(source: s.address, destination: d.address, ipProtocol: 6, sourcePort: 40000, destinationPort: 443, tcpFlags: 2, length: 60),
            origin)
}
if let mode = profileMode {
    var n = 0
    let passes = Int(CommandLine.arguments.last ?? "") ?? 1
    t0 = now()
    for _ in 0..<passes {
        switch mode {
        case "--profile-verdict": for (s, d) in pairs where c.isReachable(from: s, to: d, ipProtocol: 6, port: 443) { n += 1 }
        case "--profile-full": for (s, d) in pairs.prefix(50_000) where c.reach(from: s, to: d, traffic: TrafficSpec(ipProtocol: .tcp, port: 443)).isReachable { n += 1 }
        case "--profile-verdict-edges": for (s, d) in edgePairs where c.isReachable(from: s, to: d, ipProtocol: 6, port: 443) { n += 1 }
        case "--profile-full-edges": for (s, d) in edgePairs.prefix(15_000) where c.reach(from: s, to: d, traffic: TrafficSpec(ipProtocol: .tcp, port: 443)).isReachable { n += 1 }
        default:
            var o = CountingObserver()
            for (p, origin) in packets { if case .delivered = c.forward(p, from: origin, tracked: false, observer: &o) { n += 1 } }
            n &+= o.count
        }
    }
    print("\(mode): \(n) in \(Double(now() - t0) / 1e6) ms")
    exit(0)
}

// Fast path (verdict only): single-query latency and throughput.
var reachable = 0
var latencies: [UInt64] = []
latencies.reserveCapacity(20_000)
for (s, d) in pairs.prefix(20_000) {
    let q0 = now()
    let r = c.isReachable(from: s, to: d, ipProtocol: 6, port: 443)
    latencies.append(now() - q0)
    if r { reachable += 1 }
}
var throughputs: [Double] = []
for _ in 0..<3 {
    t0 = now()
    var n = 0
    for (s, d) in pairs where c.isReachable(from: s, to: d, ipProtocol: 6, port: 443) { n += 1 }
    blackHole(n)
    throughputs.append(Double(pairs.count) / (Double(now() - t0) / 1e9))
}
print("isReachable (verdict only): median latency \(median(latencies)) ns; throughput median \(throughputs.sorted()[1] / 1e6) M queries/s; \(reachable) of 20000 reachable")

if withEdges {
    var edgeLatencies: [UInt64] = [], kinds = [0, 0, 0], reachableKinds = [0, 0, 0]
    for (k, (s, d)) in edgePairs.enumerated() {
        let q0 = now()
        let r = c.isReachable(from: s, to: d, ipProtocol: 6, port: 443)
        edgeLatencies.append(now() - q0)
        kinds[k % 3] += 1
        if r { reachableKinds[k % 3] += 1 }
    }
    t0 = now()
    var n = 0
    for (s, d) in edgePairs where c.isReachable(from: s, to: d, ipProtocol: 6, port: 443) { n += 1 }
    blackHole(n)
    let edgeThroughput = Double(edgePairs.count) / (Double(now() - t0) / 1e9)
    print("isReachable over the edges: median latency \(median(edgeLatencies)) ns; throughput \(edgeThroughput / 1e6) M queries/s; reachable: gateway endpoint \(reachableKinds[0]) of \(kinds[0]), to onprem over the VPN \(reachableKinds[1]) of \(kinds[1]), from onprem over DX \(reachableKinds[2]) of \(kinds[2])")
}

// Full verdicts with hops, explanations and port ranges (what `vpckit reach` prints).
var fullLatencies: [UInt64] = []
for (s, d) in pairs.prefix(20_000) {
    let q0 = now()
    let v = c.reach(from: s, to: d, traffic: TrafficSpec(ipProtocol: .tcp, port: 443))
    fullLatencies.append(now() - q0)
    blackHole(v)
}
t0 = now()
for (s, d) in pairs.prefix(50_000) { blackHole(c.reach(from: s, to: d, traffic: TrafficSpec(ipProtocol: .tcp, port: 443))) }
let fullThroughput = 50_000 / (Double(now() - t0) / 1e9)
print("reach (full verdict, port ranges): median latency \(median(fullLatencies)) ns; throughput \(fullThroughput / 1e6) M queries/s")

// Per-packet forwarding (FlowLogs replay's entry point): the same pairs as single TCP SYN packets, every ENI
// observation delivered to an observer.
var packetRates: [Double] = []
var delivered = 0
for _ in 0..<3 {
    var o = CountingObserver()
    var n = 0
    t0 = now()
    for (p, origin) in packets { if case .delivered = c.forward(p, from: origin, tracked: false, observer: &o) { n += 1 } }
    packetRates.append(Double(packets.count) / (Double(now() - t0) / 1e9))
    blackHole(o.count)
    delivered = n
}
print("forward (per packet, observer): throughput median \(packetRates.sorted()[1] / 1e6) M packets/s; \(delivered) of \(packets.count) delivered")

// Baseline: route decisions by linear scan of the source subnet's table vs the compiled LPM table.
var lpmTimes: [UInt64] = [], linearTimes: [UInt64] = []
var agree = true
for (s, d) in pairs.prefix(20_000) {
    guard case .interface(let i, _) = s else { continue }
    let table = c[c[c[i].subnetID].routeTableID]
    let q0 = now()
    let x = table.lpm.lookup(d.address).map { Int($0.value) }
    let q1 = now()
    let y = linearLookup(table, d.address)
    let q2 = now()
    lpmTimes.append(q1 - q0)
    linearTimes.append(q2 - q1)
    if x.map({ table.routes[$0].prefix.length }) != y.map({ table.routes[$0].prefix.length }) { agree = false }
}
print("route decision: LPM median \(median(lpmTimes)) ns vs linear scan \(median(linearTimes)) ns (agree: \(agree))")
// The TGW hub table: 2,000 propagated routes.
if let hub = c.tgwRouteTables.max(by: { $0.routes.count < $1.routes.count }) {
    var a: [UInt64] = [], b: [UInt64] = []
    for (_, d) in pairs.prefix(20_000) {
        let q0 = now()
        let x = hub.lpm.lookup(d.address)
        let q1 = now()
        var best: Int? = nil
        for (i, r) in hub.routes.enumerated() where r.prefix.contains(d.address) {
            if let k = best, hub.routes[k].prefix.length >= r.prefix.length { continue }
            best = i
        }
        let q2 = now()
        blackHole(x); blackHole(best)
        a.append(q1 - q0); b.append(q2 - q1)
    }
    print("TGW hub table (\(hub.routes.count) routes): LPM median \(median(a)) ns vs linear scan \(median(b)) ns")
}
