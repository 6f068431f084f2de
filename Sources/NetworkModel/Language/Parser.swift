import IPAddressing
import Reporting

/// Parses the `.vpc` topology language (Docs/DSL.md) into a ``Topology``.
///
/// Hand-written, one pass over UTF-8 bytes, no regular expressions. The parser recovers after an error (it
/// skips to the next line, a keyword of the enclosing block, or its closing brace), so one run reports every
/// syntax error of a file. Semantic checks (names resolve, addresses fit) are ``TopologyValidator``'s.
public enum TopologyParser {
    /// Parses `text`; `file` is the name diagnostics print.
    /// - Returns: the topology (what could be parsed) and the syntax errors, in source order.
    public static func parse(_ text: String, file: String) -> (Topology, [Diagnostic]) {
        parse(SourceText(text, file: file))
    }

    /// Parses an already wrapped source text.
    public static func parse(_ source: SourceText) -> (Topology, [Diagnostic]) {
        var parser = Parser(source: source)
        parser.parseTopology()
        return (parser.topology, parser.diagnostics)
    }

    /// Parses and also records the trivia `vpckit fmt` needs to keep comments (``SourceTrivia``). The topology
    /// and diagnostics are exactly those of ``parse(_:)-(SourceText)``.
    static func parseWithTrivia(_ source: SourceText) -> (Topology, [Diagnostic], SourceTrivia) {
        var parser = Parser(source: source, recordsTrivia: true)
        parser.parseTopology()
        var trivia = parser.trivia ?? SourceTrivia()
        trivia.comments = parser.lexer.comments
        return (parser.topology, parser.diagnostics, trivia)
    }
}

/// The parser's state: a one-token lookahead over a streaming lexer.
struct Parser {
    let source: SourceText
    /// The file's index in the topology's file table (``Topology/files``; added once, not per location).
    let fileIndex: UInt32
    var lexer: Lexer
    var tok: Token
    /// End offset of the previous token (where "expected …" errors point).
    var previousEnd = 0
    var previous: Token
    var diagnostics: [Diagnostic] = []
    var topology = Topology()
    var region: String?
    var account: String?
    /// Statement lines for the formatter (nil unless requested).
    var trivia: SourceTrivia?
    /// Line of the `region` / `account` statement in force, and of the last block's closing brace (trivia).
    var regionLine = 0
    var accountLine = 0
    var lastCloseLine = 0
    /// Where the last block's closing brace was (the model keeps it for route tables, groups and NACLs).
    var lastClose = SourceLocation.unknown

    init(source: SourceText, recordsTrivia: Bool = false) {
        self.source = source
        fileIndex = topology.files.index(of: source.file)
        lexer = Lexer(bytes: source.bytes)
        lexer.recordsComments = recordsTrivia
        if recordsTrivia { trivia = SourceTrivia() }
        tok = lexer.next()
        previous = tok
    }

    /// Records the line of a statement that has no model location (only when recording trivia).
    mutating func note(_ owner: SourceLocation, _ kind: SourceTrivia.AnchorKind, index: Int = 0, line: Int) {
        guard trivia != nil else { return }
        trivia?.note(owner, kind, index: index, line: line)
    }

    // MARK: Token helpers

    /// After this many errors the parser stops (the rest of the file would mostly repeat them).
    static let maxErrors = 200

    mutating func advance() {
        previousEnd = tok.end
        previous = tok
        if diagnostics.count >= Parser.maxErrors {
            tok = Token(kind: .end, start: source.bytes.count, end: source.bytes.count, line: tok.line,
                        lineStart: tok.lineStart, isFirstOnLine: true)
            return
        }
        tok = lexer.next()
    }

    func text(_ t: Token) -> String {
        String(decoding: source.bytes[t.start..<t.end], as: UTF8.self)
    }

    func substring(_ t: Token) -> Substring {
        Substring(text(t))
    }

    /// True when the current token is the word `s`.
    func at(_ s: StaticString) -> Bool {
        guard tok.kind == .word, tok.end - tok.start == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        var i = 0
        while i < s.utf8CodeUnitCount {
            if source.bytes[tok.start + i] != p[i] { return false }
            i += 1
        }
        return true
    }

    /// True when the current token continues the current statement (a word on the same line).
    var onSameLine: Bool { tok.kind == .word && !tok.isFirstOnLine }

    /// Column cache: counting characters from the line start for every resource would be quadratic on a file
    /// written as one long line.
    var columnCache = (line: 0, offset: 0, column: 1)

    mutating func location(_ t: Token) -> SourceLocation {
        var offset = t.lineStart
        var column = 1
        if columnCache.line == t.line, columnCache.offset <= t.start {
            offset = columnCache.offset
            column = columnCache.column
        }
        if offset < t.start {
            let from = offset
            column += source.bytes.withUnsafeBufferPointer { TextPosition.characterCount($0, from: from, to: t.start) }
        }
        columnCache = (t.line, t.start, column)
        return SourceLocation(fileIndex: fileIndex, line: t.line, column: column)
    }

    // MARK: Diagnostics

    /// Reports `message` (catalogue entry `kind`, see ``DSLCatalogue``) under token `t`.
    mutating func error(_ kind: DiagnosticDescriptor, _ message: String, at t: Token, hint: String? = nil) {
        let range = t.kind == .end ? t.start..<t.start : t.start..<t.end
        diagnostics.append(source.diagnostic(message, at: range, hint: hint, id: kind.id))
    }

    /// Reports `message` (catalogue entry `kind`) under byte range `range`.
    mutating func error(_ kind: DiagnosticDescriptor, _ message: String, range: Range<Int>, hint: String? = nil) {
        diagnostics.append(source.diagnostic(message, at: range, hint: hint, id: kind.id))
    }

    /// "expected …" pointing just after the previous token.
    mutating func expected(_ what: String, hint: String? = nil) {
        if tok.kind != .end, !tok.isFirstOnLine {
            let found = tok.kind == .word ? "'\(text(tok))'" : "'\(tok.kind == .openBrace ? "{" : "}")'"
            error(.expected, "expected \(what), found \(found)", at: tok, hint: hint)
        } else {
            error(.expected, "expected \(what)", range: previousEnd..<previousEnd, hint: hint)
        }
    }

    static func suggestion(_ word: String, _ candidates: [String]) -> String? {
        guard let best = Suggest.closest(to: word, in: candidates) else { return nil }
        return "did you mean '\(best)'?"
    }

    /// Skips the rest of a broken statement: up to the next line, a keyword of the block, or the block's `}`.
    /// `skipCurrent`: the current token is the offending one and is skipped even when it starts a line.
    mutating func recover(_ keywords: [String], skipCurrent: Bool = false) {
        var depth = 0
        if skipCurrent, tok.kind != .end, tok.kind != .closeBrace {
            if tok.kind == .openBrace { depth += 1 }
            advance()
        }
        while tok.kind != .end {
            if depth == 0 {
                if tok.kind == .closeBrace || tok.isFirstOnLine { return }
                if tok.kind == .word, keywords.contains(text(tok)) { return }
            }
            if tok.kind == .openBrace { depth += 1 }
            if tok.kind == .closeBrace { depth -= 1 }
            advance()
        }
    }

    /// Ends a statement: the next token must start a new line, close the block, or be a keyword of the block.
    mutating func end(_ block: [String], _ modifiers: [String]) -> Bool {
        guard tok.kind == .word, !tok.isFirstOnLine else { return true }
        let word = text(tok)
        if block.contains(word) { return true }
        var hint = Parser.suggestion(word, modifiers + block)
        if hint == nil, !modifiers.isEmpty { hint = "expected one of " + modifiers.map { "'\($0)'" }.joined(separator: ", ") }
        error(.unexpected, "unexpected '\(word)'", at: tok, hint: hint)
        return false
    }

    // MARK: Values

    /// The next word of the statement, or an error.
    mutating func value(_ what: String) -> Token? {
        guard onSameLine else { expected(what); return nil }
        let t = tok
        advance()
        return t
    }

    /// A resource name: letters, digits, '-', '_', '.'.
    mutating func name(_ what: String) -> (String, Token)? {
        guard onSameLine else { expected(what); return nil }
        let t = tok
        var ok = true
        var i = t.start
        while i < t.end {
            let b = source.bytes[i]
            let valid = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
            if !valid || (i == t.start && !(b >= 0x30 && b <= 0x39) && !((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)) {
                ok = false
                break
            }
            i += 1
        }
        if !ok {
            error(.expected, "expected \(what), found '\(text(t))'", at: t,
                  hint: "names start with a letter or digit and hold letters, digits, '-', '_' and '.'")
            return nil
        }
        advance()
        return (text(t), t)
    }

    /// True when the current token's bytes spell one of `words` (no `String` made for the token).
    func tokenIsOne(of words: [String]) -> Bool {
        let start = tok.start, length = tok.end - tok.start
        return source.bytes.withUnsafeBufferPointer { bytes in
            for word in words where word.utf8.count == length {
                let equal = word.utf8.withContiguousStorageIfAvailable { w in
                    var i = 0
                    while i < length, w[i] == bytes[start + i] { i += 1 }
                    return i == length
                } ?? word.utf8.elementsEqual(bytes[start..<(start + length)])
                if equal { return true }
            }
            return false
        }
    }

    /// Names up to the end of the line, a block keyword or a modifier.
    mutating func nameList(_ what: String, stop: [String]) -> [String]? {
        var names: [String] = []
        while onSameLine {
            if tokenIsOne(of: stop) { break }
            guard let (n, _) = name(what) else { return nil }
            names.append(n)
        }
        if names.isEmpty { expected(what); return nil }
        return names
    }

    mutating func ipError(_ e: IPParseError, token t: Token, what: String) {
        let word = text(t)
        if case .hostBitsSet(let canonical) = e.kind {
            error(.hostBits, "host bits set in \(what) '\(word)'", at: t, hint: "did you mean '\(canonical)'?")
            return
        }
        let start = min(t.start + max(0, e.offset), max(t.start, t.end - 1))
        error(.badAddress, "invalid \(what) '\(word)': \(e.message)", range: start..<t.end)
    }

    mutating func ipv4Prefix(_ what: String = "IPv4 CIDR") -> IPv4Prefix? {
        guard let t = value(what) else { return nil }
        do {
            let p = try IPPrefix(parsing: substring(t))
            switch p {
            case .v4(let v4): return v4
            case .v6: error(.badAddress, "expected an IPv4 block, found IPv6 '\(text(t))'", at: t,
                            hint: "IPv6 blocks are written with 'ipv6'")
                return nil
            }
        } catch { ipError(error, token: t, what: "CIDR"); return nil }
    }

    mutating func ipv6Prefix(_ what: String = "IPv6 CIDR") -> IPv6Prefix? {
        guard let t = value(what) else { return nil }
        do {
            let p = try IPPrefix(parsing: substring(t))
            switch p {
            case .v6(let v6): return v6
            case .v4: error(.badAddress, "expected an IPv6 block, found IPv4 '\(text(t))'", at: t); return nil
            }
        } catch { ipError(error, token: t, what: "CIDR"); return nil }
    }

    mutating func anyPrefix(_ what: String = "CIDR") -> IPPrefix? {
        guard let t = value(what) else { return nil }
        do { return try IPPrefix(parsing: substring(t)) } catch { ipError(error, token: t, what: "CIDR"); return nil }
    }

    mutating func ipv4Address(_ what: String = "IPv4 address") -> IPv4Address? {
        guard let t = value(what) else { return nil }
        do { return try IPv4Address(parsing: substring(t)) } catch { ipError(error, token: t, what: "IPv4 address"); return nil }
    }

    mutating func ipv6Address(_ what: String = "IPv6 address") -> IPv6Address? {
        guard let t = value(what) else { return nil }
        do { return try IPv6Address(parsing: substring(t)) } catch { ipError(error, token: t, what: "IPv6 address"); return nil }
    }

    /// A decimal number in `range`.
    mutating func number(_ what: String, in range: ClosedRange<Int>) -> Int? {
        guard let t = value(what) else { return nil }
        guard let n = Parser.decimal(source.bytes, t.start, t.end), range.contains(n) else {
            error(.expected, "expected \(what) (\(range.lowerBound)...\(range.upperBound)), found '\(text(t))'", at: t)
            return nil
        }
        return n
    }

    static func decimal(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        guard start < end, end - start <= 9 else { return nil }
        var n = 0
        for i in start..<end {
            let b = bytes[i]
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    /// `pl:NAME` or a CIDR.
    mutating func destination() -> RouteDestination? {
        guard onSameLine else { expected("a destination CIDR or 'pl:NAME'"); return nil }
        if let pl = prefixListReference() { return .prefixList(pl) }
        guard let p = anyPrefix("destination CIDR") else { return nil }
        return .cidr(p)
    }

    /// Consumes `pl:NAME` when the current token is one.
    mutating func prefixListReference() -> String? {
        guard tok.kind == .word, tok.end - tok.start > 3, source.bytes[tok.start] == UInt8(ascii: "p"),
              source.bytes[tok.start + 1] == UInt8(ascii: "l"), source.bytes[tok.start + 2] == UInt8(ascii: ":")
        else { return nil }
        let name = String(decoding: source.bytes[(tok.start + 3)..<tok.end], as: UTF8.self)
        advance()
        return name
    }

    // MARK: Top level

    mutating func parseTopology() {
        defer {
            if diagnostics.count >= Parser.maxErrors {
                diagnostics.append(Diagnostic(id: DSLCatalogue.tooManyErrors.id, file: source.file, line: previous.line,
                                              column: 1, message: "too many errors; stopped parsing here"))
            }
        }
        while tok.kind != .end {
            switch tok.kind {
            case .end: return
            case .closeBrace:
                error(.unexpected, "unexpected '}'", at: tok, hint: "there is no open block here")
                advance()
                continue
            case .openBrace:
                error(.unexpected, "unexpected '{'", at: tok)
                recover(Keywords.topLevel, skipCurrent: true)
                continue
            case .word: break
            }
            let ok: Bool
            if at("region") { ok = parseDefault(isRegion: true) }
            else if at("account") { ok = parseDefault(isRegion: false) }
            else if at("prefix-list") { ok = parsePrefixList() }
            else if at("vpc") { ok = parseVPC() }
            else if at("peering") { ok = parsePeering() }
            else if at("transit-gateway") { ok = parseTransitGateway() }
            else if at("assert") { ok = parseAssert() }
            else if at("default-vpc") { ok = parseDefaultVPC() }
            else if at("customer-gateway") { ok = parseCustomerGateway() }
            else if at("vpn-connection") { ok = parseVPNConnection() }
            else if at("dx-gateway") { ok = parseDirectConnectGateway() }
            else if at("dx-vif") { ok = parseVirtualInterface() }
            else if at("onprem") { ok = parseOnPremises() }
            else if at("policy") { ok = parsePolicy() }
            else if at("flow-log") { ok = parseFlowLog() }
            else {
                unknownKeyword(Keywords.topLevel, context: "at the top level")
                recover(Keywords.topLevel, skipCurrent: true)
                continue
            }
            if !ok { recover(Keywords.topLevel) }
        }
    }

    mutating func unknownKeyword(_ keywords: [String], context: String) {
        let word = text(tok)
        var hint = Parser.suggestion(word, keywords)
        if hint == nil { hint = "expected one of " + keywords.map { "'\($0)'" }.joined(separator: ", ") }
        if context != "at the top level", Keywords.topLevel.contains(word) {
            hint = "'\(word)' belongs at the top level; is a '}' missing before it?"
        }
        error(.unknownKeyword, "unknown keyword '\(word)' \(context)", at: tok, hint: hint)
    }

    /// Parses `{ statements }` (the current token must be `{`); `statement` returns nil for an unknown word.
    mutating func block(_ keywords: [String], context: String,
                        _ statement: (inout Parser, String) -> Bool?) -> Bool {
        guard tok.kind == .openBrace else { expected("'{'"); return false }
        let open = tok
        advance()
        while true {
            switch tok.kind {
            case .closeBrace:
                lastCloseLine = tok.line
                lastClose = location(tok)
                advance()
                return true
            case .end:
                if diagnostics.count < Parser.maxErrors {
                    error(.missingBrace, "missing '}' for this block", at: open, hint: "add '}' to close \(context.dropFirst(3))")
                }
                return true
            case .openBrace:
                error(.unexpected, "unexpected '{'", at: tok)
                recover(keywords, skipCurrent: true)
            case .word:
                let word = text(tok)
                if let ok = statement(&self, word) {
                    if !ok { recover(keywords) }
                } else {
                    unknownKeyword(keywords, context: context)
                    recover(keywords, skipCurrent: true)
                }
            }
        }
    }

    mutating func parseDefault(isRegion: Bool) -> Bool {
        let keywordLine = tok.line
        advance()
        guard let (v, _) = name(isRegion ? "a region name" : "an account id") else { return false }
        if isRegion { region = v; regionLine = keywordLine } else { account = v; accountLine = keywordLine }
        return end(Keywords.topLevel, [])
    }

    mutating func parsePrefixList() -> Bool {
        advance()
        guard let (n, nt) = name("a prefix-list name") else { return false }
        var list = PrefixList(name: n, entries: [], location: location(nt))
        while onSameLine, at("id") {
            advance()
            guard let t = value("an id") else { return false }
            list.id = text(t)
        }
        guard tok.kind == .openBrace else { expected("'{'"); return false }
        let open = tok
        advance()
        while true {
            if tok.kind == .closeBrace { note(list.location, .close, line: tok.line); advance(); break }
            if tok.kind == .end { error(.missingBrace, "missing '}' for this block", at: open); break }
            if tok.kind == .openBrace { error(.unexpected, "unexpected '{'", at: tok); advance(); continue }
            if at("id") {
                advance()
                guard let t = value("an id") else { continue }
                list.id = text(t)
                continue
            }
            let t = tok
            advance()
            do { list.entries.append(try IPPrefix(parsing: substring(t))) } catch { ipError(error, token: t, what: "CIDR") }
        }
        topology.prefixLists.append(list)
        return end(Keywords.topLevel, [])
    }

    mutating func parsePeering() -> Bool {
        advance()
        guard let (n, nt) = name("a peering name") else { return false }
        guard let (a, _) = name("the requester VPC") else { return false }
        guard onSameLine, at("<->") else { expected("'<->'"); return false }
        advance()
        guard let (b, _) = name("the accepter VPC") else { return false }
        var peering = Peering(name: n, requester: a, accepter: b, location: location(nt))
        while onSameLine, at("id") {
            advance()
            guard let t = value("an id") else { return false }
            peering.id = text(t)
        }
        topology.peerings.append(peering)
        return end(Keywords.topLevel, Keywords.idOnly)
    }

    // MARK: Assertions

    mutating func parseAssert() -> Bool {
        let at0 = tok
        advance()
        let expect: Bool
        if at("reach") { expect = true } else if at("noreach") { expect = false } else {
            let hint = onSameLine ? Parser.suggestion(text(tok), ["reach", "noreach"]) : nil
            expected("'reach' or 'noreach'", hint: hint)
            return false
        }
        advance()
        guard let from = endpoint("a source") else { return false }
        guard onSameLine, at("->") else { expected("'->'"); return false }
        advance()
        guard let to = endpoint("a destination") else { return false }
        guard let traffic = trafficSpec() else { return false }
        var clientPorts: ClientPorts? = nil
        if onSameLine, at("client-ports") {
            let keyword = tok
            advance()
            guard let t = value("client ports ('linux', 'windows' or LO-HI)") else { return false }
            guard let ports = ClientPorts(parsing: substring(t)) else {
                let halves = text(t).split(separator: "-", omittingEmptySubsequences: false)
                if halves.count == 2, let lo = UInt16(halves[0]), let hi = UInt16(halves[1]), lo > hi {
                    error(.badPort, "client port range '\(text(t))' is backwards", at: t, hint: "did you mean '\(hi)-\(lo)'?")
                    return false
                }
                error(.badPort, "invalid client ports '\(text(t))'", at: t,
                      hint: "expected 'linux' (32768-60999), 'windows' (49152-65535), or LO-HI with 0 <= LO <= HI <= 65535")
                return false
            }
            guard traffic.ipProtocol.hasPorts else {
                error(.badPort, "'client-ports' needs tcp or udp traffic", at: keyword, hint: "\(traffic.ipProtocol) has no client ports")
                return false
            }
            clientPorts = ports
        }
        topology.assertions.append(Assertion(expectReachable: expect, source: from, destination: to, traffic: traffic,
                                             clientPorts: clientPorts, location: location(at0)))
        return end(Keywords.topLevel, Keywords.assertModifiers)
    }

    mutating func endpoint(_ what: String) -> Endpoint? {
        guard let t = value(what) else { return nil }
        do throws(EndpointSyntaxError) {
            return try Endpoint(parsing: substring(t))
        } catch {
            if let e = error.addressError, error.isPlainAddress { ipError(e, token: t, what: "address"); return nil }
            self.error(.badAddress, error.message, at: t, hint: error.hint)
            return nil
        }
    }

    /// `tcp/443`, `udp`, `icmp`, `icmp/8`, `all`, `proto 47`.
    mutating func trafficSpec() -> TrafficSpec? {
        guard let t = value("traffic such as 'tcp/443'") else { return nil }
        let word = text(t)
        var protoPart = Substring(word)
        var portPart: Substring? = nil
        if let slash = word.firstIndex(of: "/") {
            protoPart = word[word.startIndex..<slash]
            portPart = word[word.index(after: slash)...]
        }
        let proto: IPProtocol
        if let named = IPProtocol(name: protoPart) {
            proto = named
        } else if protoPart == "proto" {
            guard portPart == nil else { error(.badPort, "write 'proto N' without a port", at: t); return nil }
            guard let n = number("a protocol number", in: 0...255) else { return nil }
            return TrafficSpec(ipProtocol: .number(UInt8(n)))
        } else {
            error(.unknownProtocol, "unknown protocol '\(protoPart)'", at: t,
                  hint: Parser.suggestion(String(protoPart), Keywords.protocols) ?? "expected 'tcp/PORT', 'udp/PORT', 'icmp', 'icmpv6', 'all' or 'proto N'")
            return nil
        }
        guard let portPart else { return TrafficSpec(ipProtocol: proto) }
        guard proto != .all else { error(.badPort, "'all' takes no port", at: t); return nil }
        let bytes = Array(portPart.utf8)
        guard let n = Parser.decimal(bytes, 0, bytes.count), n <= 65535 else {
            error(.badPort, "invalid port '\(portPart)' (0...65535)", at: t)
            return nil
        }
        // Port 0 is reserved: no TCP or UDP connection goes to it (the `reach` command refuses it too). `icmp/0`
        // is ICMP type 0 (echo reply) and stays valid.
        if n == 0, proto.hasPorts {
            error(.badPort, "destination port 0 is reserved and never a TCP/UDP connection", at: t,
                  hint: "give a port 1-65535, or '\(proto)' alone for any port")
            return nil
        }
        return TrafficSpec(ipProtocol: proto, port: UInt16(n))
    }
}
