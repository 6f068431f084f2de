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
        lint(topology, options: options, sources: [])
    }

    /// As ``lint(_:options:)``; with the `sources` the topology was parsed from, findings whose rule has a
    /// fix-it carry it as text edits (``Finding/fix``), resolved against those sources.
    public static func lint(_ topology: Topology, options: LintOptions = LintOptions(), sources: [SourceText]) -> [Finding] {
        var context = LintContext(topology: topology, options: options)
        SecurityGroupRules.run(&context)
        NetworkACLRules.run(&context)
        AddressingRules.run(&context)
        RoutingRules.run(&context)
        TransitGatewayRules.run(&context)
        EdgeRules.run(&context)
        ExposureRules.run(&context)
        LoadBalancerRules.run(&context)
        UsageRules.run(&context)
        var seen = Set<Finding>()
        var editors: [String: SourceEditor] = [:]
        var unique: [Finding] = []
        for (finding, fix) in zip(context.findings, context.fixes) where seen.insert(finding).inserted {
            var finding = finding
            if let fix, !fix.changes.isEmpty, let source = sources.first(where: { $0.file == finding.file }) {
                let editor = editors[source.file] ?? SourceEditor(source, files: topology.files)
                editors[source.file] = editor
                if let edits = fix.edits(editor) { finding.fix = FixIt(description: fix.description, edits: edits) }
            }
            unique.append(finding)
        }
        return unique.sorted {
            ($0.file, $0.line, $0.column, $0.ruleID, $0.message) < ($1.file, $1.line, $1.column, $1.ruleID, $1.message)
        }
    }
}

/// A fix-it as statement-level changes, resolved into text edits by ``SourceEditor`` when the source is known.
/// Its description is the finding's hint, so the hint always names a statement the parser accepts.
struct LintFix {
    enum Change {
        /// Add a statement to the block whose header is at the location.
        case insert(String, into: SourceLocation)
        /// Delete the statement (and its block) at the location.
        case delete(SourceLocation)
        /// Append words to the statement at the location.
        case append(String, to: SourceLocation)
        /// Remove a word from the statement at the location.
        case removeWord(String, from: SourceLocation)
        /// Replace a word of the statement at the location.
        case replaceWord(String, with: String, in: SourceLocation)

        func edit(_ editor: SourceEditor) -> TextEdit? {
            switch self {
            case .insert(let statement, let block): editor.insert(statement, intoBlockAt: block)
            case .delete(let at): editor.delete(statementAt: at)
            case .append(let words, let at): editor.append(words, toStatementAt: at)
            case .removeWord(let word, let at): editor.remove(word: word, fromStatementAt: at)
            case .replaceWord(let word, let replacement, let at): editor.replace(word: word, with: replacement, inStatementAt: at)
            }
        }
    }
    var description: String
    var changes: [Change]
    init(_ description: String, _ changes: [Change]) {
        self.description = description
        self.changes = changes
    }

    /// The text edits, or nil when some change does not resolve. Statements added to one block become one
    /// edit (in the order given), so that no tool can apply them in another order.
    func edits(_ editor: SourceEditor) -> [TextEdit]? {
        var edits: [TextEdit] = []
        var done = Set<Int>()
        for (n, change) in changes.enumerated() where !done.contains(n) {
            if case .insert(_, let block) = change {
                var statements: [String] = []
                for (m, other) in changes.enumerated() {
                    if case .insert(let statement, let at) = other, (at.fileIndex, at.line, at.column) == (block.fileIndex, block.line, block.column) {
                        statements.append(statement)
                        done.insert(m)
                    }
                }
                guard let edit = editor.insert(statements, intoBlockAt: block) else { return nil }
                edits.append(edit)
            } else {
                guard let edit = change.edit(editor) else { return nil }
                edits.append(edit)
            }
        }
        return edits
    }
}

/// Shared state of one lint run: the indexed topology, the options and the findings so far.
struct LintContext {
    let index: TopologyIndex
    /// The reachability engine's view of the same topology (route winners, connection verdicts).
    let routing: RoutingView
    let options: LintOptions
    private(set) var findings: [Finding] = []
    /// The fix-it of each finding (same order), nil when the rule has none for it.
    private(set) var fixes: [LintFix?] = []

    init(topology: Topology, options: LintOptions) {
        routing = RoutingView(topology)
        index = TopologyIndex(routing.compiled.resolved)
        self.options = options
    }

    var topology: Topology { index.topology }

    /// True when `rule` is enabled and reported at the current threshold (rules skip work otherwise).
    func wants(_ rule: LintRule) -> Bool {
        !options.disabledRules.contains(rule.id) && rule.severity >= options.minimumSeverity
    }

    /// Records a finding of `rule` at `location`. With a `fix`, the hint is the fix's description. A location at
    /// line 0 (what `--onprem` added: its file name is the option) is a finding without line or column.
    mutating func report(_ rule: LintRule, at location: SourceLocation, _ message: String, hint: String? = nil,
                         fix: LintFix? = nil, related: [(SourceLocation, String)] = []) {
        guard wants(rule) else { return }
        findings.append(Finding(
            ruleID: rule.id, severity: rule.severity, file: topology.files.name(of: location), line: location.line,
            column: location.line > 0 ? max(1, location.column) : 0, message: message, hint: fix?.description ?? hint ?? rule.hint,
            related: related.map { Finding.RelatedLocation(file: topology.files.name(of: $0.0), line: $0.0.line, message: $0.1) }))
        fixes.append(fix)
    }
}
