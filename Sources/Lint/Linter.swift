import NetworkModel
import Reporting

/// What a lint run reports.
public struct LintOptions: Hashable, Sendable {
    /// Ports the internet may reach instances on without a finding (`instance-internet-exposed`).
    public var internetPorts: [PortRange]
    /// Rule ids not to run.
    public var disabledRules: Set<String>
    /// Findings below this severity are not reported.
    public var minimumSeverity: Diagnostic.Severity

    public init(internetPorts: [PortRange] = [PortRange(80), PortRange(443)], disabledRules: Set<String> = [],
                minimumSeverity: Diagnostic.Severity = .note) {
        self.internetPorts = internetPorts
        self.disabledRules = disabledRules
        self.minimumSeverity = minimumSeverity
    }
}

/// Runs the lint catalogue over a topology.
///
/// ```swift
/// let findings = Linter.lint(topology, options: LintOptions(minimumSeverity: .warning))
/// print(FindingRenderer.render(findings, format: .text, rules: LintCatalogue.all.map(\.descriptor)))
/// ```
public enum Linter {
    /// The findings of every enabled rule at or above the minimum severity, ordered by file, line, column
    /// and rule id.
    ///
    /// Works on any topology that parsed, valid or not: references that do not resolve are findings
    /// (`route-target-missing`) or are skipped, never a crash.
    public static func lint(_ topology: Topology, options: LintOptions = LintOptions()) -> [Finding] {
        var context = LintContext(topology: topology, options: options)
        SecurityGroupRules.run(&context)
        NetworkACLRules.run(&context)
        AddressingRules.run(&context)
        RoutingRules.run(&context)
        TransitGatewayRules.run(&context)
        ExposureRules.run(&context)
        UsageRules.run(&context)
        var seen = Set<Finding>()
        let unique = context.findings.filter { seen.insert($0).inserted }
        return unique.sorted {
            ($0.file, $0.line, $0.column, $0.ruleID, $0.message) < ($1.file, $1.line, $1.column, $1.ruleID, $1.message)
        }
    }
}

/// Shared state of one lint run: the indexed topology, the options and the findings so far.
struct LintContext {
    let index: TopologyIndex
    /// The reachability engine's view of the same topology (route winners, connection verdicts).
    let routing: RoutingView
    let options: LintOptions
    private(set) var findings: [Finding] = []

    init(topology: Topology, options: LintOptions) {
        index = TopologyIndex(topology)
        routing = RoutingView(topology)
        self.options = options
    }

    var topology: Topology { index.topology }

    /// True when `rule` is enabled and reported at the current threshold (rules skip work otherwise).
    func wants(_ rule: LintRule) -> Bool {
        !options.disabledRules.contains(rule.id) && rule.severity >= options.minimumSeverity
    }

    /// Records a finding of `rule` at `location`.
    mutating func report(_ rule: LintRule, at location: SourceLocation, _ message: String, hint: String? = nil,
                         related: [(SourceLocation, String)] = []) {
        guard wants(rule) else { return }
        findings.append(Finding(
            ruleID: rule.id, severity: rule.severity, file: location.file, line: location.line,
            column: max(1, location.column), message: message, hint: hint ?? rule.hint,
            related: related.map { Finding.RelatedLocation(file: $0.0.file, line: $0.0.line, message: $0.1) }))
    }
}
