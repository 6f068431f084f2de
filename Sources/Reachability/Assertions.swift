import NetworkModel

/// The outcome of one `assert reach|noreach` line.
public struct AssertionResult: Sendable {
    public var assertion: Assertion
    /// The verdict (nil when an endpoint did not resolve).
    public var verdict: Verdict?
    /// The endpoint error, when an endpoint did not resolve (the assertion then fails).
    public var endpointError: EndpointError?
    /// True when the assertion holds: `reach` when every client port works, `noreach` when none does (a
    /// partly reachable connection fails both).
    public var holds: Bool

    /// `file:line:column: assertion failed: reach app-1 -> db-1 tcp/5432: …` (nil when it holds).
    public var failureMessage: String? {
        if holds { return nil }
        let a = assertion
        let head = "\(a.location): assertion failed: \(a.expectReachable ? "reach" : "noreach") \(a.source) -> \(a.destination) \(a.traffic)"
            + (a.clientPorts.map { " client-ports \($0)" } ?? "")
        if let endpointError { return "\(head): \(endpointError)" }
        guard let verdict else { return head }
        switch verdict.state {
        case .unreachable:
            if let e = verdict.explanation { return "\(head): not reachable: \(e)" }
            return "\(head): not reachable"
        case .partlyReachable:
            var s = "\(head): partly reachable: client ports \(verdict.workingSourcePorts) work, \(verdict.failingSourcePorts) do not"
            if let e = verdict.explanation { s += ": \(e)" }
            return s
        case .reachable: break
        }
        let via = verdict.forwardPath.map(\.component.name).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        return "\(head): reachable (via \(via.joined(separator: " -> ")))"
    }
}

extension CompiledTopology {
    /// Evaluates every `assert` line of the topology, in order.
    public func evaluateAssertions() -> [AssertionResult] {
        topology.assertions.map { a in
            let ports = PortSet(a.clientPorts?.range ?? .ephemeral)
            switch reach(from: a.source, to: a.destination, traffic: a.traffic, sourcePorts: ports) {
            case .failure(let e):
                return AssertionResult(assertion: a, verdict: nil, endpointError: e, holds: false)
            case .success(let v):
                // `reach` holds only when every client port works, `noreach` only when none does.
                let holds = a.expectReachable ? v.state == .reachable : v.state == .unreachable
                return AssertionResult(assertion: a, verdict: v, endpointError: nil, holds: holds)
            }
        }
    }
}
