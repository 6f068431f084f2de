// Import benchmark: writes the generated benchmark topology (2,000 VPCs, 100,000 instances) as AWS CLI JSON,
// then times the import in-process by phase. The end-to-end number (CLI, peak memory) and the baseline
// (python json.load of the same files) come from Benchmarks/baselines/import_bench.sh.
//
//   swift run -c release ImportReport write DIR     # the snapshot folder
//   swift run -c release ImportReport time DIR      # phases, median of 5
#if canImport(Glibc)
import Glibc
#endif
import Generators
import Importers
import NetworkModel

func writeFile(_ path: String, _ text: String) {
    guard let f = fopen(path, "w") else { fatalError("cannot write \(path)") }
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
}

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "r") else { fatalError("cannot read \(path)") }
    defer { fclose(f) }
    fseek(f, 0, SEEK_END)
    let size = ftell(f)
    fseek(f, 0, SEEK_SET)
    var bytes = [UInt8](repeating: 0, count: size)
    _ = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, f) }
    return bytes
}

func listFiles(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let e = readdir(d) {
        let name = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
        if name.hasSuffix(".json") { out.append(dir + "/" + name) }
    }
    return out.sorted()
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

let args = CommandLine.arguments
guard args.count == 3 else { print("usage: ImportReport write|time DIR"); exit(2) }
let dir = args[2]
if args[1] == "write" {
    let topology = TopologyGenerator.benchmark.generate()
    mkdir(dir, 0o755)
    var total = 0
    for (file, text) in AWSSnapshotExporter.export(topology) {
        writeFile(dir + "/" + file, text)
        total += text.utf8.count
    }
    print("wrote \(dir): \(topology.vpcs.count) VPCs, \(topology.vpcs.reduce(0) { $0 + $1.instances.count }) instances, \(total) bytes")
} else {
    let clock = ContinuousClock()
    var read: [Double] = [], parse: [Double] = [], build: [Double] = [], print_: [Double] = []
    var bytes = 0
    for _ in 0..<5 {
        var t0 = clock.now
        let files = listFiles(dir).map { ($0, readFile($0)) }
        bytes = files.reduce(0) { $0 + $1.1.count }
        read.append(seconds(clock.now - t0))
        t0 = clock.now
        var snapshot = AWSSnapshot()
        for (name, b) in files { try snapshot.add(try JSONDocument(bytes: b, file: name)) }
        parse.append(seconds(clock.now - t0))
        t0 = clock.now
        let result = try snapshot.makeTopology()
        build.append(seconds(clock.now - t0))
        t0 = clock.now
        let text = TopologyPrinter.format(result.topology)
        print_.append(seconds(clock.now - t0))
        if text.isEmpty { print("empty") }
    }
    func median(_ x: [Double]) -> String { let s = x.sorted(); return String(Int(s[s.count / 2] * 1000)) + " ms" }
    print("input: \(bytes) bytes")
    print("read \(median(read)), parse+collect \(median(parse)) (\(Int(Double(bytes) / 1e6 / (parse.sorted()[2]))) MB/s), build+reconcile \(median(build)), print \(median(print_))")
}
