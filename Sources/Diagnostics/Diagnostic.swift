/// The one message type of VPCKit: a parse or validation error in a `.vpc` file, a JSON import error, a bad
/// line of a CIDR list, a lint finding. Data first, rendering separate (``rendered``, ``FindingRenderer``).
///
/// - ``id`` is the message's stable catalogue id (`dsl-unknown-name`, `import-bad-value`, `cidr-bad-prefix`,
///   a lint rule id such as `sg-ssh-open-world`; `Docs/DIAGNOSTICS.md` and `Docs/LINT.md` list them). Text
///   output never shows it for parse errors (their text form is the compiler's); JSON and SARIF carry it.
/// - The source range is ``file``, ``line``, ``column`` and ``length`` (characters underlined on that line).
/// - ``notes`` are other places the message involves (lint's related locations), each optionally located.
/// - ``fix``, ``suppression`` and ``baselineState`` are what lint findings carry.
///
/// The text form is the compiler's: `file:line:column: error: message`, then the source line, a caret under
/// the offending text, and an optional hint. `Finding` is the same type under its lint name.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        /// The GitHub Actions workflow command for this severity (`error`, `warning`, `notice`).
        public var githubCommand: StaticString { self == .error ? "error" : self == .warning ? "warning" : "notice" }
        /// SARIF's `level` for this severity (`error`, `warning`, `note`).
        public var sarifLevel: StaticString { self == .error ? "error" : self == .warning ? "warning" : "note" }
    }

    /// Another place a diagnostic involves (the second block of an overlap, the rule that shadows another).
    public struct Note: Hashable, Sendable {
        public var file: String
        /// 1-based line (0: the whole file).
        public var line: Int
        /// 1-based column; 0 when only the line is known.
        public var column: Int
        public var message: String
        public init(file: String, line: Int, column: Int = 0, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.message = message
        }
    }

    /// The stable catalogue id; empty for a message that has none.
    public var id: String
    public var severity: Severity
    public var file: String
    /// 1-based line; 0 when the message is about the whole file.
    public var line: Int
    /// 1-based column (in characters).
    public var column: Int
    /// How many characters the caret line underlines (at least 1).
    public var length: Int
    public var message: String
    /// The source line the diagnostic points into, without its newline; nil when not available.
    public var sourceLine: String?
    /// A suggestion ("did you mean `db-a`?").
    public var hint: String?
    /// Other places the message involves, in order.
    public var notes: [Note]
    /// A machine-applicable fix (text edits; ``hint`` is its description), when there is one.
    public var fix: FixIt?
    /// Why the diagnostic is suppressed (a `# vpckit:ignore` comment, a baseline), or nil when it counts.
    public var suppression: Suppression?
    /// Set when a baseline was compared: `new` (not in it) or `unchanged` (in it).
    public var baselineState: BaselineState?
    /// The catalogue id of the diagnostic a finding reports when the finding's own ``id`` is a wrapping rule
    /// (a `topology-error` finding for a `dsl-unknown-name` error): JSON's and SARIF's `diagnosticId`.
    public var underlyingID: String?

    public init(id: String = "", severity: Severity = .error, file: String, line: Int, column: Int, length: Int = 1,
                message: String, sourceLine: String? = nil, hint: String? = nil, notes: [Note] = []) {
        self.id = id
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
        self.message = message
        self.sourceLine = sourceLine
        self.hint = hint
        self.notes = notes
        fix = nil
        suppression = nil
        baselineState = nil
        underlyingID = nil
    }

    /// This diagnostic with catalogue id `id` (for message sites that build the diagnostic first).
    public func with(id: String) -> Diagnostic {
        var copy = self
        copy.id = id
        return copy
    }

    /// True when a suppression comment or a baseline suppresses the diagnostic (it is then neither printed as
    /// text nor counted in the exit code; JSON and SARIF still carry it, marked).
    public var isSuppressed: Bool { suppression != nil }

    /// `file:line:column: severity: message`, source line, caret, hint. A whole-file message (line 0) renders
    /// as `file: severity: message`.
    ///
    /// Input text is never echoed raw: control and invisible characters (NUL, ESC, a byte-order mark,
    /// bidirectional overrides) show as `\u{…}` in the message and hint and as `�` in the source line (one
    /// character for one, so the caret stays aligned), and a source line longer than
    /// ``maxSourceLineWidth`` characters is cut to a window around the caret.
    public var rendered: String {
        let text = Diagnostic.escaped(message)
        var out = line > 0
            ? "\(file):\(line):\(column): \(severity.rawValue): \(text)"
            : "\(file): \(severity.rawValue): \(text)"
        if let sourceLine {
            // A CRLF file's line keeps its "\r"; it is line ending, not content.
            let content = sourceLine.last == "\r" ? String(sourceLine.dropLast()) : sourceLine
            var shown = Array(content).map { Diagnostic.isUnsafe($0) ? "\u{FFFD}" : $0 }
            var caretColumn = column
            var underline = length
            let width = Diagnostic.maxSourceLineWidth
            if shown.count > width {
                // A window of `width` characters that holds the caret (and as much of the underline as fits).
                let start = max(0, min(column - 1 - width / 4, shown.count - width))
                let end = min(shown.count, start + width)
                var window = Array(shown[start..<end])
                if start > 0 { window.insert("…", at: 0) }
                if end < shown.count { window.append("…") }
                caretColumn = column - start + (start > 0 ? 1 : 0)
                underline = max(1, min(length, window.count - caretColumn + 1))
                shown = window
            }
            out += "\n" + String(shown) + "\n"
            var caret = ""
            var col = 1
            for ch in shown {
                if col >= caretColumn { break }
                caret.append(ch == "\t" ? "\t" : " ")
                col += 1
            }
            while col < caretColumn { caret.append(" "); col += 1 }
            caret += "^" + String(repeating: "~", count: max(0, underline - 1))
            out += caret
        }
        if let hint { out += "\nhint: " + Diagnostic.escaped(hint) }
        return out
    }

    /// Source lines longer than this many characters render as a window around the caret.
    public static let maxSourceLineWidth = 160

    /// True for characters that must not reach a terminal raw: C0/C1 controls other than tab, DEL, and
    /// invisible format characters (zero-width spaces and joiners, bidirectional marks and overrides, BOM).
    static func isUnsafe(_ c: Character) -> Bool {
        if c == "\t" { return false }
        for scalar in c.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: return true
            default: continue
            }
        }
        return false
    }

    /// `text` with every unsafe character (see ``isUnsafe(_:)``) written as `\u{HEX}`.
    public static func escaped(_ text: String) -> String {
        guard text.contains(where: isUnsafe) else { return text }
        var out = ""
        for c in text {
            if isUnsafe(c) {
                for scalar in c.unicodeScalars { out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" }
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// Levenshtein-based "did you mean" for near-miss names.
public enum Suggest {
    /// The candidate closest to `word`, when it is close enough to be a likely typo.
    public static func closest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let w = Array(word.lowercased().utf8)
        var best: (String, Int)? = nil
        for c in candidates {
            let d = distance(w, Array(c.lowercased().utf8))
            let limit = max(1, min(3, (max(w.count, c.utf8.count) + 2) / 3))
            // Ties go to the name that sorts first, so the hint does not depend on the candidates' order.
            if d <= limit, let current = best, d > current.1 || (d == current.1 && c >= current.0) { continue }
            if d <= limit { best = (c, d) }
        }
        return best?.0
    }

    /// Edit distance between two byte strings.
    public static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
