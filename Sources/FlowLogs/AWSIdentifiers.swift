// Checks on the identifiers that become S3 object path components (Docs/SECURITY.md): an account id, a
// region and a flow-log id must be what AWS gives, so no input can name a path outside the output folder.

/// Grammar checks for the AWS identifiers the S3 delivery layout puts in object keys.
public enum AWSIdentifier {
    /// An AWS account id: exactly 12 ASCII digits (`111122223333`).
    public static func isAccountID(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        return bytes.count == 12 && bytes.allSatisfy(isDigit)
    }

    /// An AWS region name: two or more groups of lower-case letters, then a number, joined by dashes
    /// (`us-east-1`, `ap-southeast-2`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`), at most 32 bytes.
    public static func isRegion(_ s: String) -> Bool {
        let parts = s.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard s.utf8.count <= 32, parts.count >= 3, let number = parts.last, !number.isEmpty, number.count <= 3,
              number.allSatisfy(isDigit) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy(isLower) }
    }

    /// A flow-log id: `fl-` then 1 to 32 lower-case letters or digits (AWS gives `fl-` and 17 hex digits).
    public static func isFlowLogID(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count > 3, bytes.count <= 35, bytes.starts(with: Array("fl-".utf8)) else { return false }
        return bytes.dropFirst(3).allSatisfy { isDigit($0) || isLower($0) }
    }

    /// A component of an object key the tool writes: 1 to 255 bytes of letters, digits, `-`, `_`, `.`, and
    /// `=` (Hive-compatible folders), `%` and `#` (CloudWatch log group folders), not starting with `.` (so never
    /// `.`, `..` or a hidden name), never containing `/` or NUL.
    public static func isSafePathComponent(_ s: some StringProtocol) -> Bool {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy {
            isDigit($0) || isLower($0) || ($0 >= 0x41 && $0 <= 0x5A)
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
                || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "#")
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
}
