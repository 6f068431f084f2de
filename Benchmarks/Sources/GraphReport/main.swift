// Issue 20's figures for Docs/PERFORMANCE.md ("Issue 20: graph"): the DOT of the 2,000-VPC benchmark at VPC detail
// (target ≤ 1 s) and of one VPC under --focus (target ≤ 100 ms), with what `vpckit graph` does before drawing
// (reading the .vpc text, validating, resolving) timed apart.
//
// Run: cd Benchmarks && swift run -c release GraphReport [--runs N]
#if canImport(Glibc)
import Glibc
#endif
import Diagnostics
import Diagrams
import Generators
import NetworkModel

/// CPU time of this thread (the machine is shared: wall time would include other processes' turns), and wall time.
func cpu() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
func wall() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

let runs: Int = {
    let args = CommandLine.arguments
    guard let k = args.firstIndex(of: "--runs"), k + 1 < args.count, let n = Int(args[k + 1]) else { return 5 }
    return max(1, n)
}()

/// Median CPU and wall milliseconds of `runs` runs of `body` (and its last result).
func measure<T>(_ name: String, _ body: () -> T) -> T {
    var cpus: [Double] = [], walls: [Double] = []
    var result: T? = nil
    for _ in 0..<runs {
        let c0 = cpu(), w0 = wall()
        result = body()
        cpus.append(Double(cpu() - c0) / 1e6)
        walls.append(Double(wall() - w0) / 1e6)
    }
    cpus.sort(); walls.sort()
    let line = "\(name): median \(format3(cpus[runs / 2])) ms CPU, \(format3(walls[runs / 2])) ms wall"
        + " (min \(format3(cpus[0])), max \(format3(cpus[runs - 1])) ms CPU; \(runs) runs)"
    print(line)
    return result!
}
func format3(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return "\(r)"
}

let topology = TopologyGenerator.benchmark.generate()
let text = TopologyPrinter.format(topology)
print("benchmark: \(topology.vpcs.count) VPCs, \(topology.vpcs.reduce(0) { $0 + $1.subnets.count }) subnets, "
      + "\(topology.vpcs.reduce(0) { $0 + $1.instances.count }) instances; \(text.utf8.count) bytes of .vpc")
let loaded = measure("load (.vpc text → Topology)") { TopologyLoader.load(text, file: "bench.vpc").topology }
let resolved = measure("validate + resolve") { TopologyValidator.validateAndResolve(loaded).resolved }

func dot(_ focus: String?, _ detail: DiagramDetail?) -> String {
    guard case .success(let d) = DiagramBuilder.build(resolved, detail: detail, focus: focus) else { fatalError("no diagram") }
    return DOTRenderer.render(d)
}
let whole = measure("graph --detail vpc (build + DOT)") { dot(nil, .vpc) }
print("  \(whole.utf8.count) bytes of DOT")
_ = measure("graph (default detail: vpc) (build + DOT)") { dot(nil, nil) }
let mermaid = measure("graph --detail vpc --format mermaid (build + Mermaid)") { () -> String in
    guard case .success(let d) = DiagramBuilder.build(resolved, detail: .vpc) else { fatalError("no diagram") }
    return MermaidRenderer.render(d)
}
print("  \(mermaid.utf8.count) bytes of Mermaid")
let focus = measure("graph --focus vpc-7 (build + DOT)") { dot("vpc-7", nil) }
print("  \(focus.utf8.count) bytes of DOT")
_ = measure("graph --focus hub (the TGW: 2,000 attachments) (build + DOT)") { dot("hub", nil) }
_ = measure("graph --detail subnet (40,000 subnets) (build + DOT)") { dot(nil, .subnet) }

// graph --lint at scale: findings placed on the VPC-detail drawing. Lint itself finds nothing on the benchmark
// (its time is lint's, not the drawing's), so the findings are made here, one at each subnet's and each instance's
// statement — the shape of a large lint run (many findings) — and only their placement is timed.
func findings(_ n: Int) -> [Finding] {
    var out: [Finding] = []
    out.reserveCapacity(n)
    outer: for v in loaded.vpcs {
        for s in v.subnets {
            if out.count == n { break outer }
            out.append(Finding(ruleID: "bench-subnet", severity: .warning, file: "bench.vpc", line: s.location.line,
                               column: s.location.column, message: "a finding at subnet \(s.name)"))
        }
        for i in v.instances {
            if out.count == n { break outer }
            out.append(Finding(ruleID: "bench-instance", severity: .warning, file: "bench.vpc", line: i.location.line,
                               column: i.location.column, message: "a finding at instance \(i.name)"))
        }
    }
    return out
}
guard case .success(let base) = DiagramBuilder.build(resolved, detail: .vpc) else { fatalError("no diagram") }
for n in [1_000, 10_000, 140_000] {
    let fs = findings(n)
    let placed = measure("graph --lint: \(fs.count) findings placed on the VPC-detail drawing") { () -> Int in
        var d = base
        d.overlay(findings: fs, topology: loaded)
        return d.findings.filter { $0.nodeID != nil }.count
    }
    print("  \(placed) of \(fs.count) located")
}
