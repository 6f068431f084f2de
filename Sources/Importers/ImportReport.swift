// What an import did: per resource type, how many were imported and how many skipped for which reason;
// the skipped resources themselves (each becomes a comment in the output) and warnings.

import NetworkModel

/// The outcome of an import besides the topology: counts, skipped resources and warnings.
public struct ImportReport: Sendable, Hashable {
    /// One resource that was not imported.
    public struct Skipped: Sendable, Hashable {
        /// `VPN gateway`, `VPC endpoint`, `route`, …
        public var type: String
        /// The AWS id or Terraform address.
        public var id: String
        public var reason: String
        public init(type: String, id: String, reason: String) {
            self.type = type
            self.id = id
            self.reason = reason
        }
    }

    /// A problem that did not stop the import: where (file and JSON path) and what.
    public struct Warning: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var path: String
        public var message: String
        public init(file: String, path: String, message: String) {
            self.file = file
            self.path = path
            self.message = message
        }
        /// `file: $.path: warning: message`
        public var description: String { LanguageWord.commentSafe(path.isEmpty ? "\(file): warning: \(message)" : "\(file): \(path): warning: \(message)") }
    }

    /// Resource types in first-seen order, with imported counts.
    public private(set) var types: [String] = []
    public private(set) var imported: [String: Int] = [:]
    public private(set) var skipped: [Skipped] = []
    public private(set) var warnings: [Warning] = []
    /// Notes about inputs (documents not recognised, values resolved through configuration…).
    public private(set) var notes: [String] = []

    public init() {}

    mutating func touch(_ type: String) {
        if imported[type] == nil {
            imported[type] = 0
            types.append(type)
        }
    }

    /// Counts one imported resource of `type`.
    public mutating func didImport(_ type: String, count: Int = 1) {
        touch(type)
        imported[type, default: 0] += count
    }

    /// Records a skipped resource.
    public mutating func skip(_ type: String, id: String, reason: String) {
        touch(type)
        skipped.append(Skipped(type: type, id: id, reason: reason))
    }

    /// Turns one imported resource of `type` into a skipped one (a later step found it unusable).
    public mutating func retract(_ type: String, id: String, reason: String) {
        if let n = imported[type], n > 0 { imported[type] = n - 1 }
        skip(type, id: id, reason: reason)
    }

    /// Records a warning.
    public mutating func warn(file: String, path: String, _ message: String) {
        warnings.append(Warning(file: file, path: path, message: message))
    }

    /// Records a note.
    public mutating func note(_ message: String) {
        notes.append(message)
    }

    /// Number of skipped resources of `type`.
    public func skippedCount(_ type: String) -> Int { skipped.lazy.filter { $0.type == type }.count }

    /// The summary printed on stderr: one line per resource type, then the reasons for skips. Reasons and notes
    /// quote input (ids a reference names): their control characters are printed as spaces.
    ///
    /// ```
    /// import: VPC: 2 imported
    /// import: VPN gateway: 0 imported, 1 skipped (1 the language has no VPN gateways)
    /// ```
    public var summary: String {
        var out = ""
        for type in types {
            let skips = skipped.filter { $0.type == type }
            out += "import: \(type): \(imported[type] ?? 0) imported"
            if !skips.isEmpty {
                var reasons: [String] = []
                var counts: [String: Int] = [:]
                for s in skips {
                    if counts[s.reason] == nil { reasons.append(s.reason) }
                    counts[s.reason, default: 0] += 1
                }
                out += ", \(skips.count) skipped (" + reasons.map { "\(counts[$0] ?? 0) \($0.replacingNewlines())" }.joined(separator: "; ") + ")"
            }
            out += "\n"
        }
        for note in notes { out += "import: note: \(note.replacingNewlines())\n" }
        return out
    }

    /// Comment lines for the top of the `.vpc` output: one per skipped resource.
    public var comments: String {
        var out = ""
        if !skipped.isEmpty { out += "# Not imported (the language does not cover these, or they are not in a usable state):\n" }
        for s in skipped {
            out += "# skipped \(s.type.replacingNewlines()) \(s.id.replacingNewlines()): \(s.reason.replacingNewlines())\n"
        }
        return out
    }
}

extension String {
    /// Control characters (newlines included) as spaces: the text stays inside one comment line.
    func replacingNewlines() -> String {
        LanguageWord.commentSafe(self)
    }
}
