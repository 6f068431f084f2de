// Typed readers for the values AWS prints: CIDRs, addresses, protocols, port ranges. Each fails with the
// file and JSON path of the offending value.
import IPAddressing
import NetworkModel

extension JSONCursor {
    /// The member `key` as an IPv4 prefix (host bits cleared, as the API does); nil when absent.
    func ipv4Prefix(_ key: String) throws(JSONError) -> IPv4Prefix? {
        guard let v = self[key], !v.isNull else { return nil }
        if let p = v.withUnescapedStringBytes({ try? IPv4Prefix(utf8: $0, normalize: true) }) { return p }
        let text = try v.string()
        do { return try IPv4Prefix(text, normalize: true) } catch { throw v.error("invalid IPv4 CIDR '\(text)': \(error.message)") }
    }

    /// The member `key` as an IPv6 prefix; nil when absent.
    func ipv6Prefix(_ key: String) throws(JSONError) -> IPv6Prefix? {
        guard let v = self[key], !v.isNull else { return nil }
        let text = try v.string()
        do { return try IPv6Prefix(text, normalize: true) } catch { throw v.error("invalid IPv6 CIDR '\(text)': \(error.message)") }
    }

    /// The member `key` as a prefix of either family; nil when absent.
    func ipPrefix(_ key: String) throws(JSONError) -> IPPrefix? {
        guard let v = self[key], !v.isNull else { return nil }
        let text = try v.string()
        do { return try IPPrefix(text, normalize: true) } catch { throw v.error("invalid CIDR '\(text)': \(error.message)") }
    }

    /// The member `key` as an IPv4 address; nil when absent or empty.
    func ipv4Address(_ key: String) throws(JSONError) -> IPv4Address? {
        guard let v = self[key], !v.isNull else { return nil }
        if let a = v.withUnescapedStringBytes({ try? IPv4Address(utf8: $0) }) { return a }
        let text = try v.string()
        if text.isEmpty { return nil }
        do { return try IPv4Address(text) } catch { throw v.error("invalid IPv4 address '\(text)': \(error.message)") }
    }

    /// The member `key` as an IPv6 address; nil when absent or empty.
    func ipv6Address(_ key: String) throws(JSONError) -> IPv6Address? {
        guard let v = self[key], !v.isNull else { return nil }
        let text = try v.string()
        if text.isEmpty { return nil }
        do { return try IPv6Address(text) } catch { throw v.error("invalid IPv6 address '\(text)': \(error.message)") }
    }

    /// A member that AWS prints as a number or a numeric string (`FromPort`, `RuleNumber`, `Protocol`).
    func flexibleInt(_ key: String) throws(JSONError) -> Int? {
        guard let v = self[key], !v.isNull else { return nil }
        guard let n = v.intValue else { throw v.error("expected an integer, found \(v.kind)") }
        return n
    }
}

/// AWS's protocol spelling (`-1`, `tcp`, `6`, `icmpv6`, `all`) as the model's.
func parseProtocol(_ v: JSONCursor) throws(JSONError) -> IPProtocol {
    if let n = v.intValue {
        guard let p = IPProtocol(awsNumber: n) else { throw v.error("protocol number \(n) out of range 0-255") }
        return p
    }
    // Numeric strings were read above; names in any case remain (`+6` and friends stay errors).
    let text = try v.string().lowercased()
    guard let p = IPProtocol(name: text) else { throw v.error("unknown protocol '\(text)'") }
    return p
}

/// Ports of a rule: tcp/udp → the range (nil when all); icmp/icmpv6 → type and code (nil when all types);
/// other protocols carry none.
///
/// `from`/`to` follow AWS: for ICMP `from` is the type and `to` the code, `-1` meaning any.
func ruleRange(_ proto: IPProtocol, from: Int?, to: Int?, at cursor: JSONCursor) throws(JSONError) -> PortRange? {
    switch proto {
    case .tcp, .udp:
        guard let from, let to, from >= 0, to >= 0 else { return nil }
        guard from <= 65535, to <= 65535, from <= to else { throw cursor.error("invalid port range \(from)-\(to)") }
        if from == 0 && to == 65535 { return nil }
        return PortRange(UInt16(from), UInt16(to))
    case .icmp, .icmpv6:
        guard let type = from, type >= 0, type <= 255 else { return nil }
        let code = to ?? -1
        return icmpRange(type: UInt16(type), code: code >= 0 && code <= 255 ? UInt16(code) : nil)
    default:
        return nil
    }
}

/// The model's encoding of an ICMP type with an optional code (nil: any code).
func icmpRange(type: UInt16, code: UInt16?) -> PortRange {
    PortRange(type, code ?? 65535)
}

/// True when `rules` are exactly AWS's default egress: all traffic to 0.0.0.0/0, and to ::/0 when the VPC has
/// IPv6 (the model's `egress == nil`).
func isDefaultEgress(_ rules: [SecurityGroupRule], vpcHasIPv6: Bool) -> Bool {
    var v4 = false, v6 = false
    for r in rules {
        guard r.ipProtocol == .all, case .cidr(let p) = r.peer, p.length == 0 else { return false }
        if case .v4 = p { v4 = true } else { v6 = true }
    }
    return rules.count == (vpcHasIPv6 ? 2 : 1) && v4 && v6 == vpcHasIPv6
}
