import NetworkModel

/// The outcome of one `assert reach|noreach` line.
public struct AssertionResult: Sendable {
    public var assertion: Assertion
    /// The verdict (nil when an endpoint did not resolve).
    public var verdict: Verdict?
    /// The endpoint error, when an endpoint did not resolve (the assertion then fails).
    public var endpointError: EndpointError?
    /// True when the assertion holds: `reach` when every client port works, `noreach` when none does (a
    /// partly reachable connection fails both, and so does a path that ends at an unmodelled route target:
    /// `UNSUPPORTED_COMPONENT` is neither reachable nor proven unreachable).
    public var holds: Bool
    /// For a failed `reach` assertion: every component that blocks, each with its fix (empty otherwise).
    public var blockers: [Blocker] = []
    /// The file table of the topology the assertion is written in (its place and its rules' places).
    public var files: SourceFileTable

    /// `file:line:column: assertion failed: reach app-1 -> db-1 tcp/5432: …` (nil when it holds).
    public var failureMessage: String? {
        if holds { return nil }
        let a = assertion
        let head = "\(files.place(of: a.location)): assertion failed: \(a.expectReachable ? "reach" : "noreach") \(a.source) -> \(a.destination) \(a.traffic)"
            + (a.clientPorts.map { " client-ports \($0)" } ?? "")
        if let endpointError { return "\(head): \(endpointError)" }
        guard let verdict else { return head }
        let internet = verdict.internet.map { " " + $0.phrase() } ?? ""
        switch verdict.disposition {
        case .unproven(let e) where !a.expectReachable:
            return "\(head): cannot prove: \(e.description(files: files))"
        case .blocked(let e), .unproven(let e):
            let which = verdict.internet.map { " \($0.side == .source ? "from" : "to") any queried public address" } ?? ""
            return "\(head): not reachable\(which): \(e.description(files: files))"
        case .partlyReachable(let e):
            return "\(head): partly reachable\(internet): client ports \(verdict.workingSourcePorts) work, \(verdict.failingSourcePorts) do not: \(e.description(files: files))"
        case .reachable: break
        }
        let via = verdict.forwardPath.map(\.component.name).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        return "\(head): reachable\(internet) (via \(via.joined(separator: " -> ")))"
    }
}

extension CompiledTopology {
    /// Evaluates every `assert` line of the topology, in order. `internet` (and `internet:CIDR`) is the set of
    /// public addresses: `reach` holds when some of them gets through, `noreach` when none does.
    public func evaluateAssertions() -> [AssertionResult] {
        topology.assertions.map { a in
            let ports = PortSet(a.clientPorts?.range ?? .ephemeral)
            switch reachQuery(from: a.source, to: a.destination, traffic: a.traffic, sourcePorts: ports) {
            case .failure(let e):
                return AssertionResult(assertion: a, verdict: nil, endpointError: e, holds: false, files: topology.files)
            case .success(let v):
                // `reach` holds only when every client port works, `noreach` only when none does.
                // A path that ends at an unmodelled target proves nothing: `noreach` does not hold either.
                let holds: Bool
                switch v.disposition {
                case .reachable: holds = a.expectReachable
                case .blocked: holds = !a.expectReachable
                case .partlyReachable, .unproven: holds = false
                }
                var result = AssertionResult(assertion: a, verdict: v, endpointError: nil, holds: holds, files: topology.files)
                if !holds && a.expectReachable,
                   case .success(let s) = resolveQuery(a.source, side: .source),
                   case .success(let d) = resolveQuery(a.destination, side: .destination) {
                    result.blockers = blockers(for: v, from: s, to: d, traffic: a.traffic, sourcePorts: ports)
                }
                return result
            }
        }
    }
}
