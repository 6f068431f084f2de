import JSON
import NetworkModel

// Instance tags (Docs/DSL.md "Tags"): what an import keeps of AWS's `Tags` and Terraform's `tags`.

enum ImportedTags {
    /// The tags of an instance an import keeps: every tag but `Name` (the instance's name already), in input
    /// order, the first of a repeated key; a tag the language cannot write (an empty key, a key holding `=`, a
    /// control character) is left out and returned in `dropped` with the reason.
    static func keep(_ pairs: [(key: String, value: String)]) -> (tags: [ResourceTag], dropped: [(key: String, reason: String)]) {
        var tags: [ResourceTag] = [], dropped: [(String, String)] = []
        var seen = Set<String>()
        for (key, value) in pairs where key != "Name" {
            if key.isEmpty || key.contains("=") {
                dropped.append((key, "a tag key that is empty or holds '=' cannot be written as 'tag KEY=VALUE'"))
                continue
            }
            if hasControl(key) || hasControl(value) {
                dropped.append((key, "a tag with a control character (a newline, a tab) cannot be written"))
                continue
            }
            guard seen.insert(key).inserted else { continue }
            tags.append(ResourceTag(key: key, value: value))
        }
        return (tags, dropped)
    }

    static func hasControl(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || ($0.value >= 0x80 && $0.value < 0xA0) || $0.value == 0x2028 || $0.value == 0x2029 }
    }

    /// AWS: `"Tags": [{"Key": …, "Value": …}]`.
    static func aws(_ object: JSONCursor) -> [(key: String, value: String)] {
        var out: [(String, String)] = []
        object["Tags"]?.forEachElement { tag in
            if let k = tag["Key"]?.stringValue { out.append((k, tag["Value"]?.stringValue ?? "")) }
        }
        return out
    }

    /// Terraform: `"tags": {"env": "prod"}` (null when there are none).
    static func terraform(_ values: JSONCursor) -> [(key: String, value: String)] {
        guard let tags = values["tags"], tags.kind == .object else { return [] }
        return tags.members.compactMap { m in m.value.stringValue.map { (m.key, $0) } }
    }
}
