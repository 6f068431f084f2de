import NetworkModel

extension AssertionResult {
    /// The assertion as written, without `assert`: `reach app-1 -> db-1 tcp/5432` (with `client-ports …`).
    public var statement: String {
        let a = assertion
        return "\(a.expectReachable ? "reach" : "noreach") \(a.source) -> \(a.destination) \(a.traffic)"
            + (a.clientPorts.map { " client-ports \($0)" } ?? "")
    }

    /// Why the assertion fails — ``failureMessage`` without its location and statement (`not reachable: …`,
    /// `reachable (via …)`); nil when it holds.
    public var failureReason: String? {
        guard let message = failureMessage else { return nil }
        let head = "\(files.place(of: assertion.location)): assertion failed: \(statement)"
        guard message.hasPrefix(head) else { return message }
        var rest = message.dropFirst(head.count)
        if rest.hasPrefix(": ") { rest = rest.dropFirst(2) }
        return rest.isEmpty ? "fails" : String(rest)
    }
}
