/// A message about a place in an input file: data first, rendering separate.
///
/// The text form is the compiler's: `file:line:column: error: message`, then the source line, a caret under
/// the offending text, and an optional hint.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
    }
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

    public init(severity: Severity = .error, file: String, line: Int, column: Int, length: Int = 1,
                message: String, sourceLine: String? = nil, hint: String? = nil) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.length = max(1, length)
        self.message = message
        self.sourceLine = sourceLine
        self.hint = hint
    }

    /// `file:line:column: severity: message`, source line, caret, hint. A whole-file message (line 0) renders
    /// as `file: severity: message`.
    public var rendered: String {
        var out = line > 0
            ? "\(file):\(line):\(column): \(severity.rawValue): \(message)"
            : "\(file): \(severity.rawValue): \(message)"
        if let sourceLine {
            out += "\n" + sourceLine + "\n"
            var caret = ""
            var col = 1
            for ch in sourceLine {
                if col >= column { break }
                caret.append(ch == "\t" ? "\t" : " ")
                col += 1
            }
            while col < column { caret.append(" "); col += 1 }
            caret += "^" + String(repeating: "~", count: max(0, length - 1))
            out += caret
        }
        if let hint { out += "\nhint: " + hint }
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
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
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
