// Parsing policies (Docs/DSL.md "Policies"): `policy NAME deny|require|only SETS -> SETS [TRAFFIC]`.

extension Parser {
    mutating func parsePolicy() -> Bool {
        advance()
        guard let (n, nt) = name("a policy name") else { return false }
        guard onSameLine, tokenIsOne(of: Keywords.policyKinds) else {
            let hint = onSameLine ? Parser.suggestion(text(tok), Keywords.policyKinds) : nil
            expected("'deny', 'require' or 'only'", hint: hint ?? "policy NAME deny|require|only SOURCES -> DESTINATIONS [TRAFFIC]")
            return false
        }
        guard let kind = Policy.Kind(rawValue: text(tok)) else { return false }
        advance()
        guard let sources = endpointSets("the source endpoint sets") else { return false }
        guard onSameLine, at("->") else {
            expected("'->'", hint: "separate sets with ',' and the sources from the destinations with ' -> '")
            return false
        }
        advance()
        guard let destinations = endpointSets("the destination endpoint sets") else { return false }
        var traffic = PolicyTraffic()
        if onSameLine {
            let t = tok
            advance()
            var spelled = text(t)
            if spelled == "proto" {
                guard let nt = value("a protocol number") else { return false }
                spelled = "proto/" + text(nt)
            }
            switch PolicyTraffic.parse(spelled) {
            case .success(let v): traffic = v
            case .failure(let e):
                error(e.isProtocol ? .unknownProtocol : .badPort, e.message, range: t.start..<previous.end, hint: e.hint)
                return false
            }
        }
        topology.policies.append(Policy(name: n, kind: kind, sources: sources, destinations: destinations, traffic: traffic,
                                        location: location(nt)))
        return end(Keywords.topLevel, [])
    }

    /// `SET, SET, …` (commas attached to a set or standing alone); ends at `->` or at a word that does not follow
    /// a comma.
    mutating func endpointSets(_ what: String) -> [EndpointSet]? {
        var sets: [EndpointSet] = []
        var wantsMore = true
        let formHint = "a set is 'internet', 'onprem[:NAME]', 'vpc:NAME', 'subnet:NAME', 'sg:NAME', 'tag:KEY=VALUE', 'name:PATTERN' or a name"
        while onSameLine, !at("->"), wantsMore || source.bytes[tok.start] == UInt8(ascii: ",") {
            let t = tok
            advance()
            let bytes = source.bytes
            if bytes[t.start] == 0x27 {
                guard let body = LanguageWord.unquoted(Substring(text(t))) else {
                    error(.expected, "unterminated quoted text", at: t, hint: "close it with ' on the same line")
                    return nil
                }
                guard let set = endpointSet(body, range: t.start..<t.end) else { return nil }
                sets.append(set)
                wantsMore = false
                continue
            }
            // Split the word at its commas: `a,b,` is two sets and asks for more.
            var start = t.start
            var i = t.start
            wantsMore = false
            if bytes[t.start] == UInt8(ascii: ","), sets.isEmpty {
                error(.expected, "expected \(what) before ','", at: t, hint: formHint)
                return nil
            }
            var first = true
            while i <= t.end {
                if i == t.end || bytes[i] == UInt8(ascii: ",") {
                    let piece = String(decoding: bytes[start..<i], as: UTF8.self)
                    // A leading comma joins this word to the previous set; a trailing one asks for another word.
                    let leading = first && i == t.start
                    let trailing = i == t.end && start == t.end
                    if !leading && !trailing {
                        if piece.contains("->") {
                            error(.expected, "write ' -> ' between the sources and the destinations, with spaces", range: start..<i)
                            return nil
                        }
                        guard let set = endpointSet(piece, range: start..<max(i, start + 1)) else { return nil }
                        sets.append(set)
                    }
                    if i < t.end, i + 1 == t.end { wantsMore = true }
                    start = i + 1
                    first = false
                }
                i += 1
            }
        }
        if sets.isEmpty || wantsMore {
            expected(what, hint: formHint)
            return nil
        }
        return sets
    }

    /// One set's text at `range` (for the caret), or an error.
    mutating func endpointSet(_ body: String, range: Range<Int>) -> EndpointSet? {
        switch EndpointSet.parse(body) {
        case .success(let s):
            var t = tok
            t.start = range.lowerBound
            t.end = range.upperBound
            t.line = previous.line
            t.lineStart = previous.lineStart
            return EndpointSet(s, location: location(t))
        case .failure(let e):
            error(.badPolicy, e.message, range: range, hint: e.hint)
            return nil
        }
    }
}
