#if canImport(Glibc)
import TestSupport
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
    func query(_ from: String, _ to: String, _ t: String, sourcePort: UInt16? = nil, sourcePorts: PortSet = .ephemeral,
               oneWay: Bool = false, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Verdict {
        guard case .success(let s) = resolve(from), case .success(let d) = resolve(to) else {
            Issue.record("endpoint did not resolve: \(from) / \(to)", sourceLocation: sourceLocation)
            return .unreachable(Explanation(code: .noSourceOrDestination, direction: .forward,
                                            component: ComponentRef(kind: .internet, name: "query"), detail: .bothEndpointsOnInternet),
                                forwardPath: [], returnPath: [], requestedSourcePorts: .empty, notes: [])
        }
        return reach(from: s, to: d, traffic: traffic(t), sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay)
    }
}

/// Checks a blocked verdict's code, direction and component name.
func expectBlocked(_ v: Verdict, _ code: ExplanationCode, _ direction: PathDirection, at component: String? = nil,
                   rule: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(!v.isReachable, "expected not reachable", sourceLocation: sourceLocation)
    expectExplanation(v, code, direction, at: component, rule: rule, sourceLocation: sourceLocation)
}

/// Checks a verdict's explanation (an unreachable one, or why a partly reachable one's failing ports fail).
func expectExplanation(_ v: Verdict, _ code: ExplanationCode, _ direction: PathDirection, at component: String? = nil,
                       rule: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    guard let e = v.explanation else {
        Issue.record("no explanation", sourceLocation: sourceLocation)
        return
    }
    #expect(e.code == code, "code: \(e.description(files: SourceFileTable()))", sourceLocation: sourceLocation)
    #expect(e.direction == direction, "direction: \(e.description(files: SourceFileTable()))", sourceLocation: sourceLocation)
    if let component { #expect(e.component.name == component, "component: \(e.description(files: SourceFileTable()))", sourceLocation: sourceLocation) }
    if let rule { #expect(e.rule?.ruleNumber == rule, "rule: \(e.description(files: SourceFileTable()))", sourceLocation: sourceLocation) }
}

func expectReachable(_ v: Verdict, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(v.isReachable, "expected reachable, got \(v.explanation.map { $0.description(files: SourceFileTable()) } ?? "-")", sourceLocation: sourceLocation)
}

