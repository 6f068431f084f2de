// The one rule for what may be printed as a single word of the language (a name, an id, a region, an account,
// an availability zone): shared by the printer, which never emits anything else, and by the importers, which
// reject input that would need more.

/// Words of the `.vpc` language that come from a model's strings.
public enum LanguageWord {
    /// True when `text` prints as exactly one word token: non-empty, and none of the bytes the lexer gives a
    /// meaning (whitespace `\t \n \u{B} \u{C} \r` and space, `{`, `}`, `#`). The printer's rule: every word it
    /// writes from a model passes it (so parsing the output gives back the same structure), and importers
    /// check with it too (their AWS grammars and ``isPlain(_:)`` imply it).
    public static func isValid(_ text: String) -> Bool {
        var any = false
        for b in text.utf8 {
            guard !isSpecial(b) else { return false }
            any = true
        }
        return any
    }

    /// ``isValid(_:)`` and printable ASCII only (no control or non-ASCII characters): what an import may
    /// print. The lexer would keep such characters inside a word, but they have no place in names and AWS ids
    /// and could disguise a word on a terminal.
    public static func isPlain(_ text: String) -> Bool {
        isValid(text) && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    @inline(__always) static func isSpecial(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B
            || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "#")
    }

    /// `text` if valid, else a spelling that is one word: each byte the lexer treats specially becomes `_`
    /// (`_` for empty text).
    ///
    /// The printer's last line of defence: models built from parsed or checked input never need it, so the text
    /// it produces may not parse back to the same model, but it can never change the structure of the output.
    public static func printable(_ text: String) -> String {
        if isValid(text) { return text }
        if text.isEmpty { return "_" }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 { out.append(isSpecial(b) ? UInt8(ascii: "_") : b) }
        return String(decoding: out, as: UTF8.self)
    }

    /// True for the characters the language keeps out of one-line text: C0 controls (newlines included), DEL, C1
    /// controls and the line and paragraph separators U+2028 / U+2029. The one definition: `commentSafe` replaces
    /// them, the parser refuses them in quoted text.
    @inlinable public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && s.value < 0xA0) || s.value == 0x2028 || s.value == 0x2029
    }

    /// `text` with every control character (``isControl(_:)``) as a space: for comments, which end at a newline.
    public static func commentSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }
}

extension Topology {
    /// Every string of the model that the printer writes as a word, with what it is (`VPC web id`), in print order.
    /// Assertions are left out (they come from the language, never from an import).
    public func forEachWord(_ body: (_ what: String, _ value: String) -> Void) {
        func n(_ kind: String, _ name: String) { body("\(kind) name", name) }
        func o(_ what: String, _ value: String?) { if let value { body(what, value) } }
        for p in prefixLists {
            n("prefix list", p.name); o("prefix list \(p.name) id", p.id)
        }
        func target(_ owner: String, _ t: Route.Target) {
            if case .named(let x) = t { body("\(owner) route target", x) }
            if case .unmodelled(let x) = t { body("\(owner) unmodelled route target", x) }
        }
        func destination(_ owner: String, _ d: RouteDestination) { if case .prefixList(let x) = d { body("\(owner) prefix list", x) } }
        for v in vpcs {
            let vp = "VPC \(v.name)"
            n("VPC", v.name); o("\(vp) id", v.id); o("\(vp) region", v.region); o("\(vp) account", v.account)
            for g in [v.internetGateway, v.egressOnlyGateway].compactMap({ $0 }) { n("gateway", g.name); o("gateway \(g.name) id", g.id) }
            for s in v.subnets { n("subnet", s.name); o("subnet \(s.name) id", s.id); o("subnet \(s.name) az", s.availabilityZone) }
            for g in v.natGateways { n("NAT gateway", g.name); o("NAT gateway \(g.name) id", g.id); body("NAT gateway \(g.name) subnet", g.subnet) }
            for t in v.routeTables {
                let tp = "route table \(t.name)"
                n("route table", t.name); o("\(tp) id", t.id)
                for a in t.associations { body("\(tp) association", a) }
                for r in t.routes { destination(tp, r.destination); target(tp, r.target) }
            }
            for g in v.securityGroups {
                n("security group", g.name); o("security group \(g.name) id", g.id)
                for r in g.ingress + (g.egress ?? []) {
                    switch r.peer {
                    case .cidr: break
                    case .prefixList(let x): body("security group \(g.name) prefix list", x)
                    case .securityGroup(let x): body("security group \(g.name) peer group", x)
                    }
                }
            }
            for a in v.networkACLs {
                n("network ACL", a.name); o("network ACL \(a.name) id", a.id)
                for x in a.associations { body("network ACL \(a.name) association", x) }
            }
            if let g = v.vpnGateway { n("VPN gateway", g.name); o("VPN gateway \(g.name) id", g.id) }
            for t in v.routeTables {
                for x in t.propagations + t.edgeAssociations { body("route table \(t.name) gateway", x) }
            }
            for e in v.endpoints {
                let ep = "endpoint \(e.name)"
                n("endpoint", e.name); o("\(ep) id", e.id); body("\(ep) service", e.service); o("\(ep) prefix list", e.prefixList)
                for x in e.routeTables + e.subnets + e.securityGroups + e.interfaceIDs { body("\(ep) reference", x) }
            }
            for i in v.instances {
                n("instance", i.name); o("instance \(i.name) id", i.id)
                for e in i.interfaces {
                    let ep = "interface \(i.name).\(e.name)"
                    n("interface", e.name); o("\(ep) id", e.id); body("\(ep) subnet", e.subnet)
                    for g in e.securityGroups { body("\(ep) security group", g) }
                }
            }
        }
        for p in peerings {
            n("peering", p.name); o("peering \(p.name) id", p.id)
            body("peering \(p.name) requester", p.requester); body("peering \(p.name) accepter", p.accepter)
        }
        for t in transitGateways {
            let tp = "transit gateway \(t.name)"
            n("transit gateway", t.name); o("\(tp) id", t.id); o("\(tp) region", t.region); o("\(tp) account", t.account)
            for a in t.attachments {
                n("attachment", a.name); o("attachment \(a.name) id", a.id)
                switch a.kind {
                case .vpc: body("attachment \(a.name) vpc", a.vpc)
                case .vpn(let x), .directConnectGateway(let x), .peering(let x): body("attachment \(a.name) target", x)
                }
                for s in a.subnets { body("attachment \(a.name) subnet", s) }
            }
            for r in t.routeTables {
                let rp = "\(tp) route table \(r.name)"
                n("transit gateway route table", r.name); o("\(rp) id", r.id)
                for x in r.associations + r.propagations { body("\(rp) attachment", x) }
                for route in r.routes {
                    destination(rp, route.destination)
                    if case .attachment(let x) = route.target { body("\(rp) route target", x) }
                }
            }
        }
        forEachEdgeWord(body)
    }

    /// The edges' strings (``forEachWord(_:)``).
    func forEachEdgeWord(_ body: (_ what: String, _ value: String) -> Void) {
        func o(_ what: String, _ value: String?) { if let value { body(what, value) } }
        for c in customerGateways { body("customer gateway name", c.name); o("customer gateway \(c.name) id", c.id) }
        for c in vpnConnections {
            body("VPN connection name", c.name); o("VPN connection \(c.name) id", c.id)
            body("VPN connection \(c.name) customer gateway", c.customerGateway)
            switch c.awsSide {
            case .vpnGateway(let g), .transitGateway(let g): body("VPN connection \(c.name) gateway", g)
            }
        }
        for d in directConnectGateways {
            body("Direct Connect gateway name", d.name); o("Direct Connect gateway \(d.name) id", d.id)
            for a in d.associations { body("Direct Connect gateway \(d.name) association", a.gateway) }
        }
        for v in virtualInterfaces {
            body("virtual interface name", v.name); o("virtual interface \(v.name) id", v.id)
            switch v.awsSide {
            case .vpnGateway(let g), .directConnectGateway(let g): body("virtual interface \(v.name) gateway", g)
            }
        }
        for n in onPremisesNetworks {
            body("on-premises network name", n.name)
            for a in n.announcements { body("on-premises network \(n.name) edge", a.edge) }
        }
        for f in flowLogs {
            body("flow log name", f.name); body("flow log \(f.name) target", f.target); o("flow log \(f.name) id", f.id)
            switch f.destination {
            case .s3(let bucket, let prefix)?: body("flow log \(f.name) bucket", bucket); o("flow log \(f.name) prefix", prefix)
            case .cloudWatch(let group)?: body("flow log \(f.name) log group", group)
            case nil: break
            }
        }
    }

    /// The first string that is not a plain word (``LanguageWord/isPlain(_:)``: one token of printable ASCII),
    /// if any: what an import checks before printing.
    public var firstUnprintableWord: (what: String, value: String)? {
        var found: (String, String)?
        forEachWord { what, value in
            if found == nil, !LanguageWord.isPlain(value) { found = (what, value) }
        }
        return found
    }
}
