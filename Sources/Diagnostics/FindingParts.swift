/// A CI finding (an overlap, a lint result): the one ``Diagnostic`` type under its lint name, with the rule id
/// as ``Diagnostic/id``. One value feeds every output format: text, JSON, GitHub Actions annotations and SARIF
/// 2.1.0. (Kept as a name so the lint code reads as before; there is no second shape.)
public typealias Finding = Diagnostic

extension Diagnostic {
    /// A related place of a finding (lint's name for a ``Note``).
    public typealias RelatedLocation = Note

    /// A finding: rule id `ruleID` (the ``id``), at `file:line:column`, with related places.
    public init(ruleID: String, severity: Severity, file: String, line: Int, column: Int = 1,
                message: String, hint: String? = nil, related: [Note] = []) {
        self.init(id: ruleID, severity: severity, file: file, line: line, column: column, message: message,
                  hint: hint, notes: related)
    }

    /// The lint rule id: ``id`` under its lint name.
    public var ruleID: String {
        get { id }
        set { id = newValue }
    }

    /// The finding's other places: ``notes`` under their lint name.
    public var related: [Note] {
        get { notes }
        set { notes = newValue }
    }
}

/// A change to one file: the characters from (`startLine`, `startColumn`) up to, not including,
/// (`endLine`, `endColumn`) are replaced by `text` (equal start and end: an insertion). Lines and columns are
/// 1-based; columns count Unicode scalars, as diagnostics do (the same as SARIF's UTF-16 columns on ASCII text).
public struct TextEdit: Hashable, Sendable {
    public var file: String
    public var startLine: Int
    public var startColumn: Int
    public var endLine: Int
    public var endColumn: Int
    public var text: String
    public init(file: String, startLine: Int, startColumn: Int, endLine: Int, endColumn: Int, text: String) {
        self.file = file
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
        self.text = text
    }
}

/// A fix as data: what it does (the finding's hint) and the edits that do it. Applying the edits to the
/// source makes the finding go away (the Lint tests check this for every rule's documented example).
public struct FixIt: Hashable, Sendable {
    /// The fix in words, e.g. `add 'associate b' to route table 't' of transit gateway 'core'`.
    public var description: String
    /// Non-overlapping edits, in any order.
    public var edits: [TextEdit]
    public init(description: String, edits: [TextEdit]) {
        self.description = description
        self.edits = edits
    }
}

/// Why a finding does not count (SARIF `suppressions[]`).
public struct Suppression: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A `# vpckit:ignore RULE reason` comment at the statement (SARIF `inSource`).
        case inSource
        /// A baseline file lists the finding (SARIF `external`).
        case external
    }
    public var kind: Kind
    /// The comment's reason, or the baseline file's name.
    public var justification: String?
    /// Where the suppressing comment is (in-source suppressions).
    public var file: String?
    public var line: Int?
    public init(kind: Kind, justification: String? = nil, file: String? = nil, line: Int? = nil) {
        self.kind = kind
        self.justification = justification
        self.file = file
        self.line = line
    }
}

/// SARIF's `baselineState`, set on every finding when a baseline was given.
public enum BaselineState: String, Hashable, Sendable {
    case new, unchanged
}

/// Descriptions of the rules that findings cite, for SARIF's `tool.driver.rules`.
public struct RuleDescriptor: Hashable, Sendable {
    public var id: String
    public var name: String
    public var shortDescription: String
    public var defaultSeverity: Diagnostic.Severity
    public var helpText: String?
    public init(id: String, name: String, shortDescription: String, defaultSeverity: Diagnostic.Severity,
                helpText: String? = nil) {
        self.id = id
        self.name = name
        self.shortDescription = shortDescription
        self.defaultSeverity = defaultSeverity
        self.helpText = helpText
    }
}
