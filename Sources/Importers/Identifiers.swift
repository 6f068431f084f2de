// The grammar of the AWS strings an import copies into the `.vpc` output (resource ids, account ids, regions,
// availability zones): a value that does not match is an input error naming its file and JSON path, so no input
// can change the structure of the printed text. Names are made valid instead (Naming.swift); both rest on
// `LanguageWord.isValid`, the printer's own rule.
import NetworkModel

enum AWSGrammar {
    /// `prefix-` then up to 64 lowercase letters and digits, in words joined by single `-`.
    ///
    /// AWS's own ids are `prefix-` and hexadecimal digits (`vpc-0a1b2c3d`, `tgw-attach-0123…`); hand-made
    /// snapshots (Batfish's test data) use words (`acl-dx01`, `tgw-attach-east-dx`), which are just as safe to
    /// print, so they are accepted too. Nothing else is: no upper case, punctuation, space or control character.
    static func isID(_ text: String, prefix: String) -> Bool {
        let t = text.utf8, p = prefix.utf8
        guard t.count > p.count + 1, t.count <= p.count + 65, t.starts(with: p) else { return false }
        var rest = t.dropFirst(p.count)
        guard rest.first == 0x2D else { return false }
        rest = rest.dropFirst()
        var previous: UInt8 = 0x2D
        for c in rest {
            guard (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || (c == 0x2D && previous != 0x2D) else { return false }
            previous = c
        }
        return previous != 0x2D
    }

    /// Twelve decimal digits.
    static func isAccount(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `us-east-1`, `us-gov-west-1`, `cn-north-1`.
    static func isRegion(_ text: String) -> Bool { AWSSnapshot.isRegion(Substring(text)) }

    /// A region then one letter (`us-east-1a`), or a Local/Wavelength Zone name: lowercase letters, digits and
    /// single `-`, starting with a region's two letters and ending with a letter (`us-west-2-lax-1a`).
    static func isAvailabilityZone(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 4, b.count <= 64, let last = b.last, last >= 0x61, last <= 0x7A,
              b[0] >= 0x61, b[0] <= 0x7A, b[1] >= 0x61, b[1] <= 0x7A, b[2] == 0x2D else { return false }
        var previous: UInt8 = 0
        for c in b {
            guard (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D, !(c == 0x2D && previous == 0x2D) else { return false }
            previous = c
        }
        return true
    }

    /// `text` for an error message: printable ASCII as is, anything else as `\n`, `\t` or `\u{…}`; quoted.
    static func quoted(_ text: String) -> String {
        var out = "'"
        for s in text.unicodeScalars {
            switch s.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(s)
            default: out += "\\u{" + String(s.value, radix: 16) + "}"
            }
        }
        return out + "'"
    }
}

extension JSONCursor {
    /// This string value as an AWS id with `prefix` (`vpc`, `tgw-attach`). - Throws: naming the path otherwise.
    func awsID(prefix: String, what: String) throws(JSONError) -> String {
        let text = try string()
        guard AWSGrammar.isID(text, prefix: prefix) else {
            throw error("invalid \(what) id \(AWSGrammar.quoted(text)): expected '\(prefix)-' followed by hexadecimal digits (like '\(prefix)-0a1b2c3d')")
        }
        return text
    }

    /// The member `key` as an AWS account id (12 digits); nil when absent. - Throws: naming the path otherwise.
    func awsAccount(_ key: String) throws(JSONError) -> String? {
        guard let v = self[key], !v.isNull else { return nil }
        let text = try v.string()
        guard AWSGrammar.isAccount(text) else { throw v.error("invalid account id \(AWSGrammar.quoted(text)): expected 12 digits") }
        return text
    }

    /// The member `key` as an availability zone name; nil when absent. - Throws: naming the path otherwise.
    func awsAvailabilityZone(_ key: String) throws(JSONError) -> String? {
        guard let v = self[key], !v.isNull else { return nil }
        let text = try v.string()
        guard AWSGrammar.isAvailabilityZone(text) else {
            throw v.error("invalid availability zone \(AWSGrammar.quoted(text)): expected a region and a letter, like 'us-east-1a'")
        }
        return text
    }
}

extension Topology {
    /// The last check before printing an import: every word the printer writes is one token of the language.
    /// Checked input always passes; a failure is a string an importer let through unchecked.
    func checkPrintable(source: String) throws(JSONError) {
        if let (what, value) = firstUnprintableWord {
            throw JSONError(id: JSONError.unprintableName, file: source, path: "$", message: "\(what) \(AWSGrammar.quoted(value)) cannot be written as one word of the language (whitespace, braces, '#', control or non-ASCII characters)")
        }
    }
}
