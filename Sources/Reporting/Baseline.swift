/// A set of accepted findings (`vpckit lint --write-baseline FILE`, `--baseline FILE`), as SARIF baselines and
/// checkov's baseline work: findings present in it are suppressed (`external`), new ones count.
///
/// A finding is identified by its fingerprint — rule id, file and message — never by its line or column, so
/// moving statements keeps the baseline valid. Messages name the resource (group, rule, route, table…) and
/// what is wrong with it, never a line number; a finding whose message changes (the resource renamed, another
/// port exposed) is new. The file is JSON:
///
/// ```json
/// {
///   "version": 1,
///   "tool": "vpckit",
///   "findings": [
///     {"rule": "sg-ssh-open-world", "file": "prod.vpc", "message": "security group 'web' allows SSH (tcp 22) from 0.0.0.0/0"}
///   ]
/// }
/// ```
public struct Baseline: Hashable, Sendable {
    /// One accepted finding.
    public struct Entry: Hashable, Sendable, Comparable {
        public var rule: String
        public var file: String
        public var message: String
        public init(rule: String, file: String, message: String) {
            self.rule = rule
            self.file = file
            self.message = message
        }
        public init(_ finding: Finding) {
            self.init(rule: finding.ruleID, file: finding.file, message: finding.message)
        }
        public static func < (a: Entry, b: Entry) -> Bool { (a.file, a.rule, a.message) < (b.file, b.rule, b.message) }
    }

    /// The format version this code writes and reads.
    public static let version = 1

    public var entries: Set<Entry>

    public init(entries: Set<Entry>) { self.entries = entries }

    /// The baseline of `findings`: every finding not suppressed in the source (findings a baseline
    /// suppressed are kept, so writing a baseline while reading one keeps what is still there).
    public init(findings: [Finding]) {
        entries = Set(findings.filter { $0.suppression?.kind != .inSource }.map(Entry.init))
    }

    /// The file's JSON text (entries sorted by file, rule and message; one line each).
    public var json: String {
        var out = "{\n  \"version\": \(Baseline.version),\n  \"tool\": \"vpckit\",\n  \"findings\": ["
        for (i, e) in entries.sorted().enumerated() {
            out += i == 0 ? "\n    " : ",\n    "
            out += JSONValue.object([("rule", .string(e.rule)), ("file", .string(e.file)), ("message", .string(e.message))]).serialized()
        }
        out += entries.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// Marks the findings this baseline holds as suppressed (`external`, justification `baseline FILE`) and
    /// sets every finding's ``Finding/baselineState``. Findings already suppressed in the source keep that
    /// suppression. - Returns: the number of entries no finding matched (fixed since the baseline was written).
    @discardableResult
    public func apply(to findings: inout [Finding], name: String) -> Int {
        var matched = Set<Entry>()
        for i in findings.indices {
            let entry = Entry(findings[i])
            if entries.contains(entry) {
                matched.insert(entry)
                findings[i].baselineState = .unchanged
                if findings[i].suppression == nil {
                    findings[i].suppression = Suppression(kind: .external, justification: "baseline \(name)")
                }
            } else {
                findings[i].baselineState = .new
            }
        }
        return entries.count - matched.count
    }
}
