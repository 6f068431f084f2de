// Issue 19's question figures for Docs/PERFORMANCE.md ("Issue 19: questions"): who-can-reach one target and
// reachable-from one source over all traffic, and the class table `matrix --by vpc` aggregates, each against the
// baseline — the loop of single pair queries over every party that main ran (`whoCanReachByLoop` & co.: every
// answer through `reach`, as before issue 19's classes) — in the same run, with the answers compared equal.
//
// Run: cd Benchmarks && swift run -c release QuestionsReport [--vpcs N] [--no-loop] [--matrix-vpcs N]
// Default input: `TopologyGenerator.benchmark` (2,000 VPCs, 40,000 subnets, 100,000 instances); `--vpcs N` the same
// generator with N VPCs (and 50 instances per VPC). `--matrix-vpcs N`: the class table on a generated topology of N
// VPCs (default 40; the table's loop baseline runs only when it has at most 2,500 parties), and the same table
// without the route pre-filter.
// `--matrix-only [--matrix-vpcs N] [--no-class-table]`: only `matrix --by vpc`, memo against class table (below).
// `--profile-reachable-from N` asks only reachable-from `v1-i-2`, N times (to profile it), and stops.
#if canImport(Glibc)
import Glibc
#endif
import Generators
import IPAddressing
import NetworkModel
@_spi(Reference) import Reachability

/// CPU time of this thread: the machine is shared, so wall time would include other processes' turns.
func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func seconds(_ t0: UInt64) -> Double { Double(now() - t0) / 1e9 }

func option(_ name: String) -> Int? {
    let args = CommandLine.arguments
    guard let k = args.firstIndex(of: name), k + 1 < args.count else { return nil }
    return Int(args[k + 1])
}

func generator(vpcs: Int?) -> TopologyGenerator {
    guard let vpcs else { return .benchmark }
    var g = TopologyGenerator.benchmark
    g.vpcs = vpcs
    g.instances = vpcs * 50
    g.securityGroups = vpcs * 5
    g.peerings = vpcs
    return g
}

typealias Answer = [(party: QuestionParty, grants: ConnectionGrants)]

func same(_ a: Answer, _ b: Answer) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.party == $1.party && $0.grants == $1.grants }
}

func summary(_ a: Answer) -> String {
    let all = a.filter { $0.grants.allowed.contains { $0.ipProtocol == .all } }.count
    return "\(a.count) parties answer (\(all) with all traffic)"
}

let runLoop = !CommandLine.arguments.contains("--no-loop")
var t0 = now()

// `--matrix-only`: `matrix --by vpc` on a generated topology of `--matrix-vpcs N` VPCs (0: the benchmark itself)
// through the cross-VPC memo and, unless `--no-class-table`, through the whole class table (main's path) in the same
// run, the two compared; then stop.
if CommandLine.arguments.contains("--matrix-only") {
    let n = option("--matrix-vpcs") ?? 100
    t0 = now()
    let m = CompiledTopology((n == 0 ? TopologyGenerator.benchmark : generator(vpcs: n)).generate())
    print("(all times: CPU time of the measuring thread)")
    print("generate + compile \(n == 0 ? "the benchmark" : "\(n) VPCs"): \(seconds(t0)) s; \(m.interfaces.count) interfaces")
    t0 = now()
    let (memo, stats) = m.connectionMatrixByVPCWithStatistics(traffic: QuestionTraffic())
    let memoTime = seconds(t0)
    print("matrix --by vpc, cross-VPC memo: \(memoTime * 1000) ms; \(memo.sourceGroups.count) x \(memo.destinationGroups.count) groups, "
          + "\(memo.cells.count) non-empty cells; memo walks \(stats.memoWalks), class cells walked \(stats.classCells), "
          + "VPC pairs by the memo \(stats.memoPairs), cross forms built \(stats.formPairs)")
    if !CommandLine.arguments.contains("--no-class-table") {
        t0 = now()
        let table = m.connectionMatrixByClassTable(by: .vpc, traffic: QuestionTraffic())
        let tableTime = seconds(t0)
        print("matrix --by vpc, whole class table (main's path): \(tableTime * 1000) ms; same matrix: \(table == memo); ratio \(tableTime / memoTime)")
    }
    exit(0)
}
let topology = generator(vpcs: option("--vpcs")).generate()
print("(all times: CPU time of the measuring thread)")
print("generate: \(seconds(t0)) s")
t0 = now()
let c = CompiledTopology(topology)
print("compile: \(seconds(t0)) s; \(c.vpcs.count) VPCs, \(c.subnets.count) subnets, \(c.interfaces.count) interfaces")
let traffic = QuestionTraffic()
let sources = c.questionParties(asSources: true)
let destinations = c.questionParties(asSources: false)

func endpoint(_ name: String) -> QueryEndpoint {
    guard case .success(let e) = c.resolveQuery(name, side: .destination) else { fatalError("\(name) does not resolve") }
    return e
}

// Targets: a private instance behind the TGW (v0-i-2 in v0-prv-2, sg v0-sg-3) and a public one (v0-i-0 in
// v0-pub-0 with a public address, sg v0-sg-2); a source: v1-i-2 (private, behind the TGW).
/// Asks `ask` three times (the first builds the interface classes), prints the times and the answer, then, with
/// the loop baseline on, the loop reference's time, whether it answers the same, and the ratio.
@MainActor func measure(_ question: String, _ label: String, note: String = "", ask: () -> Answer, loop: () -> Answer) {
    var times: [Double] = []
    var answer: Answer = []
    for _ in 0..<3 {
        t0 = now()
        answer = ask()
        times.append(seconds(t0))
    }
    print("\(question) \(label): \(times.map { "\($0 * 1000) ms" }.joined(separator: ", "))\(note); \(summary(answer))")
    if runLoop {
        t0 = now()
        let reference = loop()
        let loopTime = seconds(t0)
        print("  loop baseline: \(loopTime * 1000) ms; equal: \(same(answer, reference)); ratio \(loopTime / (times.min() ?? 1))")
    }
}

// `--profile-reachable-from N`: only reachable-from v1-i-2, N times (for `perf record`), then stop.
if let n = option("--profile-reachable-from") {
    let source = endpoint("v1-i-2")
    t0 = now()
    var parties = 0
    for _ in 0..<n { parties = c.reachableFrom(source, traffic: traffic).count }
    print("reachable-from v1-i-2 x \(n): \(seconds(t0) * 1000 / Double(n)) ms each; \(parties) parties answer")
    exit(0)
}

for (label, name) in [("private target v0-i-2", "v0-i-2"), ("public target v0-i-0", "v0-i-0")] {
    let target = endpoint(name)
    measure("who-can-reach", label, note: " (first includes the class build)",
            ask: { c.whoCanReach(target, traffic: traffic) }, loop: { c.whoCanReachByLoop(target, traffic: traffic) })
}

for (label, name) in [("private source v1-i-2", "v1-i-2"), ("public source v0-i-0", "v0-i-0")] {
    let source = endpoint(name)
    measure("reachable-from", label, ask: { c.reachableFrom(source, traffic: traffic) },
            loop: { c.reachableFromByLoop(source, traffic: traffic) })
}

// How many classes the parties fall into (sources toward one target: one cell column).
do {
    t0 = now()
    let column = c.connectionClasses(sources: sources, destinations: [destinations[2]], traffic: traffic)
    print("source classes toward \(destinations[2].name): \(column.sourceMembers.count) for \(sources.count) sources (\(column.cells.count) non-empty), \(seconds(t0) * 1000) ms; a full class table would walk up to \(column.sourceMembers.count) x \(column.sourceMembers.count) cells")
}

// The class table (what `matrix --by vpc` aggregates), on a smaller generated topology.
let matrixVPCs = option("--matrix-vpcs") ?? 40
let m = CompiledTopology(generator(vpcs: matrixVPCs).generate())
let ms = m.questionParties(asSources: true), md = m.questionParties(asSources: false)
t0 = now()
let classes = m.connectionClasses(sources: ms, destinations: md, traffic: traffic)
let classTime = seconds(t0)
// Aggregate by VPC as matrix does: the union of what any member pair opens (allowed TCP ports here).
t0 = now()
var byVPC: [String: [String: PortSet]] = [:]
let vpcOfSource = m.memberships(ms).map { $0.vpc ?? "" }
let vpcOfDestination = m.memberships(md).map { $0.vpc ?? "" }
for cell in classes.cells {
    guard let tcp = cell.grants.allowed.first(where: { $0.ipProtocol == .tcp || $0.ipProtocol == .all }) else { continue }
    let a = vpcOfSource[classes.sourceMembers[cell.sourceClass][0]], b = vpcOfDestination[classes.destinationMembers[cell.destinationClass][0]]
    byVPC[a, default: [:]][b] = (byVPC[a]?[b] ?? .empty).union(tcp.ports)
}
let aggregateTime = seconds(t0)
print("class table (\(matrixVPCs) VPCs, \(ms.count) sources x \(md.count) destinations): \(classes.sourceMembers.count) x \(classes.destinationMembers.count) classes, \(classes.cells.count) cells, \(classTime * 1000) ms; by-VPC aggregate \(aggregateTime * 1000) ms (\(byVPC.values.map(\.count).reduce(0, +)) VPC pairs with TCP)")
// The same table without the route pre-filter (every class cell walked): the baseline of the pruning, same run.
do {
    t0 = now()
    let unpruned = m.connectionClassesWithoutPruning(sources: ms, destinations: md, traffic: traffic)
    let unprunedTime = seconds(t0)
    print("  without the route pre-filter: \(unprunedTime * 1000) ms; same cells: \(unpruned.cells == classes.cells); ratio \(unprunedTime / classTime)")
}
if runLoop && ms.count * md.count <= 2_500 * 2_500 {
    t0 = now()
    let loop = m.connectionTableByLoop(sources: ms, destinations: md, traffic: traffic)
    var mismatches = 0
    for i in ms.indices {
        for j in md.indices where loop.grants(source: i, destination: j) != classes.grants(source: i, destination: j) { mismatches += 1 }
    }
    let loopTime = seconds(t0)
    print("  loop baseline: \(loopTime * 1000) ms; mismatches: \(mismatches); ratio \(loopTime / classTime)")
}
