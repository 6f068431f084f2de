import IPAddressing
import Reporting

// Policies (Docs/DSL.md "Policies"): the user's intent over sets of endpoints, checked by `vpckit check`
// (Reachability/Questions/Policies.swift evaluates them).

/// `policy NAME deny|require|only SETS -> SETS [TRAFFIC]`.
public struct Policy: Hashable, Sendable {
    /// What the policy says about the sources' connections to the destinations.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// No member of the sources may reach any member of the destinations (not even for some client ports).
        case deny
        /// Every member of the sources reaches every member of the destinations, for every client port, on every
        /// port of the traffic.
        case require
        /// The destinations are reachable on the traffic only from members of the sources.
        case only
    }
    public var name: String
    public var kind: Kind
    /// The `A` side (comma-separated endpoint sets; never empty in a parsed policy).
    public var sources: [EndpointSet]
    /// The `B` side.
    public var destinations: [EndpointSet]
    /// The traffic the policy is about (default: every protocol).
    public var traffic: PolicyTraffic
    public var location: SourceLocation

    public init(name: String, kind: Kind, sources: [EndpointSet], destinations: [EndpointSet],
                traffic: PolicyTraffic = PolicyTraffic(), location: SourceLocation = .unknown) {
        self.name = name
        self.kind = kind
        self.sources = sources
        self.destinations = destinations
        self.traffic = traffic
        self.location = location
    }

    /// The statement as the printer writes it (without the leading `policy`): `NAME deny internet -> sg:db tcp/5432`.
    public var statementText: String {
        var s = "\(LanguageWord.printable(name)) \(kind.rawValue) "
        s += sources.map(\.description).joined(separator: ", ") + " -> " + destinations.map(\.description).joined(separator: ", ")
        if let t = traffic.text { s += " \(t)" }
        return s
    }
}

/// One endpoint set of a policy, in the notation every question shares: `internet`, `onprem`, `onprem:NAME`,
/// `vpc:NAME`, `subnet:NAME`, `sg:NAME`, `tag:KEY=VALUE`, `name:PATTERN` (`*` matches any run of characters),
/// or a plain party name (an instance — each of its interfaces —, `instance.eth1`, an interface endpoint).
public struct EndpointSet: Hashable, Sendable, CustomStringConvertible {
    public enum Selector: Hashable, Sendable {
        case internet
        /// nil: every on-premises network.
        case onPremises(String?)
        case vpc(String)
        case subnet(String)
        case securityGroup(String)
        case tag(key: String, value: String)
        case namePattern(String)
        case party(String)
    }
    public var selector: Selector
    /// Where the set was written (ignored by equality).
    public var location: SourceLocation

    public init(_ selector: Selector, location: SourceLocation = .unknown) {
        self.selector = selector
        self.location = location
    }

    /// The kinds written `KIND:…`.
    public static let kinds = ["onprem", "vpc", "subnet", "sg", "tag", "name"]

    /// Why a set's text does not read.
    public struct SyntaxError: Error, Hashable, Sendable {
        public var message: String
        public var hint: String?
    }

    /// Reads one set's text (already unquoted).
    public static func parse(_ text: String) -> Result<Selector, SyntaxError> {
        if text.isEmpty {
            return .failure(SyntaxError(message: "empty endpoint set", hint: "remove the extra ',' or name a set"))
        }
        if text == "internet" { return .success(.internet) }
        if text == "onprem" { return .success(.onPremises(nil)) }
        guard let colon = text.firstIndex(of: ":") else { return .success(.party(text)) }
        let kind = String(text[..<colon]), rest = String(text[text.index(after: colon)...])
        let form = "\(kind):\(kind == "tag" ? "KEY=VALUE" : kind == "name" ? "PATTERN" : "NAME")"
        if EndpointSet.kinds.contains(kind), rest.isEmpty {
            return .failure(SyntaxError(message: "'\(text)' names nothing", hint: "write '\(form)'"))
        }
        switch kind {
        case "onprem": return .success(.onPremises(rest))
        case "vpc": return .success(.vpc(rest))
        case "subnet": return .success(.subnet(rest))
        case "sg": return .success(.securityGroup(rest))
        case "name": return .success(.namePattern(rest))
        case "tag":
            guard let eq = rest.firstIndex(of: "="), eq != rest.startIndex else {
                return .failure(SyntaxError(message: "expected 'tag:KEY=VALUE', found '\(text)'",
                                            hint: "a tag set names a key and its value: 'tag:env=prod'"))
            }
            return .success(.tag(key: String(rest[..<eq]), value: String(rest[rest.index(after: eq)...])))
        default:
            var hint = Suggest.closest(to: kind, in: EndpointSet.kinds + ["internet"]).map { "did you mean '\($0):'?" }
            if kind == "internet" { hint = "'internet' stands alone (policies take every internet address)" }
            return .failure(SyntaxError(
                message: "unknown endpoint-set kind '\(kind)'",
                hint: hint ?? "expected 'internet', 'onprem[:NAME]', 'vpc:', 'subnet:', 'sg:', 'tag:KEY=VALUE', 'name:PATTERN' or a name"))
        }
    }

    /// The set's spelling without quotes.
    public var plainText: String {
        switch selector {
        case .internet: "internet"
        case .onPremises(nil): "onprem"
        case .onPremises(let n?): "onprem:\(n)"
        case .vpc(let n): "vpc:\(n)"
        case .subnet(let n): "subnet:\(n)"
        case .securityGroup(let n): "sg:\(n)"
        case .tag(let k, let v): "tag:\(k)=\(v)"
        case .namePattern(let p): "name:\(p)"
        case .party(let n): n
        }
    }

    /// The spelling the printer writes: ``plainText``, quoted (`'tag:Cost Center=Team A'`) when it holds a
    /// byte the lexer gives a meaning, a `,`, or starts with a quote.
    public var description: String {
        let t = plainText
        if LanguageWord.isValid(t), !t.contains(","), !t.hasPrefix("'"), t != "->" { return t }
        return LanguageWord.quoted(t)
    }

    /// True when `name` matches `pattern`, `*` standing for any run of characters (none included).
    public static func matches(_ name: String, pattern: String) -> Bool {
        let n = Array(name.utf8), p = Array(pattern.utf8)
        var i = 0, j = 0, star = -1, mark = 0
        while i < n.count {
            if j < p.count, p[j] != UInt8(ascii: "*"), p[j] == n[i] { i += 1; j += 1 }
            else if j < p.count, p[j] == UInt8(ascii: "*") { star = j; mark = i; j += 1 }
            else if star >= 0 { j = star + 1; mark += 1; i = mark }
            else { return false }
        }
        while j < p.count, p[j] == UInt8(ascii: "*") { j += 1 }
        return j == p.count
    }
}

extension LanguageWord {
    /// `'text'` with each `'` doubled and control characters (newlines included) as spaces: one quoted word.
    public static func quoted(_ text: String) -> String {
        var out = "'"
        for c in commentSafe(text) {
            out.append(c)
            if c == "'" { out.append("'") }
        }
        return out + "'"
    }

    /// The text of a quoted word (`'…'`, `''` standing for one quote); nil when `word` is not a closed quoted word.
    public static func unquoted(_ word: Substring) -> String? {
        guard word.count >= 2, word.first == "'", word.last == "'" else { return nil }
        var out = "", pendingQuote = false
        for c in word.dropFirst().dropLast() {
            if pendingQuote {
                guard c == "'" else { return nil }
                out.append("'")
                pendingQuote = false
            } else if c == "'" {
                pendingQuote = true
            } else {
                out.append(c)
            }
        }
        return pendingQuote ? nil : out
    }
}

/// The traffic a policy is about, in the notation the questions read (`tcp`, `tcp/5432`, `tcp/80,443,8000-8080`,
/// `udp/53`, `icmp`, `icmp/8`, `icmpv6/128`, `all`, `proto 47`); the default is every protocol.
public struct PolicyTraffic: Hashable, Sendable {
    /// nil: every protocol (`all`, or nothing written).
    public var ipProtocol: IPProtocol?
    /// The destination ports (ICMP: types), sorted and disjoint; nil: all of them.
    public var ports: [PortRange]?

    public init(ipProtocol: IPProtocol? = nil, ports: [PortRange]? = nil) {
        self.ipProtocol = ipProtocol
        self.ports = ports
    }

    /// What the printer writes (`tcp/5432,8000-8080`, `proto 47`); nil for every protocol.
    public var text: String? {
        guard let ipProtocol else { return nil }
        guard ipProtocol.hasPorts || ipProtocol.isICMP else { return "proto \(ipProtocol.nameOrNumber)" }
        guard let ports else { return ipProtocol.description }
        return "\(ipProtocol)/" + ports.map(\.description).joined(separator: ",")
    }

    /// Why a traffic text does not read; `isProtocol`: the protocol is unknown (else a port is wrong).
    public struct SyntaxError: Error, Hashable, Sendable {
        public var message: String
        public var hint: String?
        public var isProtocol: Bool
    }

    /// Reads `PROTO[/PORTS]` (`proto/N` for a numbered protocol; the parser joins `proto N`).
    public static func parse(_ text: String) -> Result<PolicyTraffic, SyntaxError> {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let first = parts[0]
        let portText: Substring? = parts.count == 2 ? parts[1] : nil
        if first == "proto" {
            guard let portText, let n = UInt8(portText) else {
                return .failure(SyntaxError(message: "expected a protocol number (0-255) after 'proto'", hint: "write 'proto 47'", isProtocol: true))
            }
            return .success(PolicyTraffic(ipProtocol: .number(n)))
        }
        guard let p = IPProtocol(name: first) else {
            let hint = Suggest.closest(to: String(first), in: IPProtocol.names + ["proto"]).map { "did you mean '\($0)'?" }
            return .failure(SyntaxError(message: "unknown protocol '\(first)'",
                                        hint: hint ?? "expected 'tcp[/PORTS]', 'udp[/PORTS]', 'icmp[/TYPE]', 'icmpv6[/TYPE]', 'all' or 'proto N'",
                                        isProtocol: true))
        }
        if p == .all {
            guard portText == nil else { return .failure(SyntaxError(message: "'all' takes no port", hint: nil, isProtocol: false)) }
            return .success(PolicyTraffic())
        }
        guard let portText else { return .success(PolicyTraffic(ipProtocol: p)) }
        guard p.hasPorts || p.isICMP else {
            return .failure(SyntaxError(message: "\(p) has no ports", hint: "write 'proto \(p.nameOrNumber)'", isProtocol: false))
        }
        var ranges: [PortRange] = []
        let limit: UInt16 = p.isICMP ? 255 : 65535
        let what = p.isICMP ? "ICMP type" : "port"
        for item in portText.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let lo = UInt16(bounds[0]), let hi = bounds.count == 2 ? UInt16(bounds[1]) : lo,
                  lo <= limit, hi <= limit else {
                return .failure(SyntaxError(message: "invalid \(what) '\(item)' (\(p.hasPorts ? 1 : 0)...\(limit))",
                                            hint: "write ports as '5432', '8000-8080' or '80,443'", isProtocol: false))
            }
            guard lo <= hi else {
                return .failure(SyntaxError(message: "\(what) range '\(item)' is backwards", hint: "did you mean '\(hi)-\(lo)'?", isProtocol: false))
            }
            if p.hasPorts, lo == 0 {
                return .failure(SyntaxError(message: "destination port 0 is reserved and never a TCP/UDP connection",
                                            hint: "give ports 1-65535, or '\(p)' alone for every port", isProtocol: false))
            }
            ranges.append(PortRange(lo, hi))
        }
        // Sorted and merged, so equal sets compare equal.
        ranges.sort { $0.lower < $1.lower }
        var merged: [PortRange] = []
        for r in ranges {
            if let last = merged.last, UInt32(r.lower) <= UInt32(last.upper) + 1 {
                merged[merged.count - 1].upper = max(last.upper, r.upper)
            } else {
                merged.append(r)
            }
        }
        return .success(PolicyTraffic(ipProtocol: p, ports: merged))
    }
}
