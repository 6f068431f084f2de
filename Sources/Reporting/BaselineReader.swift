// Reading a baseline file back (`vpckit lint --baseline`): the inverse of `Baseline.json`.

extension Baseline {
    /// Parses a baseline file written by `--write-baseline`:
    /// `{"version": 1, "findings": [{"rule": …, "file": …, "message": …}, …]}`.
    /// - Throws: `JSONError` naming the JSON path when the text is not JSON or not a baseline of this version.
    public init(parsing bytes: UnsafeBufferPointer<UInt8>, file: String) throws(JSONError) {
        let document = try JSONDocument(parsing: bytes, file: file)
        let root = try document.root.object()
        guard let version = try root.int("version"), version == Baseline.version else {
            throw root.error("not a vpckit baseline of version \(Baseline.version) (expected \"version\": \(Baseline.version))")
        }
        var entries = Set<Baseline.Entry>()
        for item in try root.array("findings") {
            let entry = try item.object()
            guard let rule = try entry.string("rule"), let file = try entry.string("file"), let message = try entry.string("message") else {
                throw entry.error("a baseline finding needs \"rule\", \"file\" and \"message\" strings")
            }
            entries.insert(Baseline.Entry(rule: rule, file: file, message: message))
        }
        self.init(entries: entries)
    }
}
