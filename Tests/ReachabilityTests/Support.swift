#if canImport(Glibc)
import Glibc
#endif
import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Parses and validates DSL text; records an issue for every error diagnostic.
func compile(_ text: String, file: String = "test.vpc", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CompiledTopology {
    let (topology, diagnostics) = TopologyLoader.load(text, file: file)
    for d in diagnostics where d.severity == .error {
        Issue.record("DSL error: \(d.rendered)", sourceLocation: sourceLocation)
    }
    return CompiledTopology(topology)
}

/// Parses `tcp/443`, `udp/53`, `icmp`, `all`.
func traffic(_ text: String) -> TrafficSpec {
    let parts = text.split(separator: "/")
    let proto: IPProtocol = switch parts[0] {
    case "tcp": .tcp
    case "udp": .udp
    case "icmp": .icmp
    case "icmpv6": .icmpv6
    case "all": .all
    default: .number(UInt8(parts[0]) ?? 0)
    }
    return TrafficSpec(ipProtocol: proto, port: parts.count > 1 ? UInt16(parts[1]) : nil)
}

extension CompiledTopology {
    /// Resolves both endpoints (recording an issue on failure) and answers the query.
    func query(_ from: String, _ to: String, _ t: String, sourcePort: UInt16? = nil, oneWay: Bool = false,
               sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Verdict {
        guard case .success(let s) = resolve(from), case .success(let d) = resolve(to) else {
            Issue.record("endpoint did not resolve: \(from) / \(to)", sourceLocation: sourceLocation)
            return Verdict(isReachable: false, forwardPath: [], returnPath: [], explanation: nil, requestedSourcePorts: .empty,
                           workingSourcePorts: .empty, notes: [])
        }
        return reach(from: s, to: d, traffic: traffic(t), sourcePort: sourcePort, oneWay: oneWay)
    }
}

/// Checks a blocked verdict's code, direction and component name.
func expectBlocked(_ v: Verdict, _ code: ExplanationCode, _ direction: PathDirection, at component: String? = nil,
                   rule: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(!v.isReachable, "expected not reachable", sourceLocation: sourceLocation)
    guard let e = v.explanation else {
        Issue.record("no explanation", sourceLocation: sourceLocation)
        return
    }
    #expect(e.code == code, "code: \(e)", sourceLocation: sourceLocation)
    #expect(e.direction == direction, "direction: \(e)", sourceLocation: sourceLocation)
    if let component { #expect(e.component.name == component, "component: \(e)", sourceLocation: sourceLocation) }
    if let rule { #expect(e.rule?.ruleNumber == rule, "rule: \(e)", sourceLocation: sourceLocation) }
}

func expectReachable(_ v: Verdict, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(v.isReachable, "expected reachable, got \(v.explanation.map(\.description) ?? "-")", sourceLocation: sourceLocation)
}

/// Reads a file of the repository (tests run from the package root).
func repositoryFile(_ path: String) -> String? {
    var candidates = [path]
    let here = #filePath
    let marker = "/Tests/ReachabilityTests/"
    if let cut = here.utf8.indices.first(where: { here.utf8[$0...].starts(with: marker.utf8) }) {
        candidates.insert(String(here[..<cut]) + "/" + path, at: 0)
    }
    for p in candidates {
        guard let f = fopen(p, "rb") else { continue }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    return nil
}
