import IPAddressing

/// Prints a ``Topology`` in the canonical layout of the `.vpc` language (what `vpckit fmt` writes).
///
/// The output parses back to an equal model: `TopologyParser.parse(TopologyPrinter.format(t)) == t` for every
/// topology whose regions/accounts can be written (a VPC without a region after one with a region cannot).
/// ``format(source:)`` formats source text and keeps its comments (see `FormatComments.swift`).
public enum TopologyPrinter {
    /// The canonical text of `topology`, ending with a newline. Comments are not part of the model: to format
    /// a file and keep its comments, use ``format(source:)``.
    public static func format(_ topology: Topology) -> String {
        var sink = PrintSink(trivia: nil)
        sink.out.reserveCapacity(topology.vpcs.count * 1024)
        write(topology, to: &sink)
        return sink.out
    }

    static func write(_ topology: Topology, to s: inout PrintSink) {
        var region: String? = nil
        var account: String? = nil
        var needsBlank = false
        func blank(_ s: inout PrintSink) {
            if needsBlank { s.blankLine() }
            needsBlank = true
        }
        func defaults(_ r: String?, _ a: String?, _ owner: SourceLocation, _ s: inout PrintSink) {
            var wrote = false
            if let r, r != region {
                blank(&s); wrote = true
                s += "region \(w(r))"
                s.from(owner, .region)
                s.endLine()
                region = r
            }
            if let a, a != account {
                if !wrote { blank(&s) }
                wrote = true
                s += "account \(w(a))"
                s.from(owner, .account)
                s.endLine()
                account = a
            }
        }
        for list in topology.prefixLists {
            blank(&s)
            s += "prefix-list \(w(list.name))"
            if let id = list.id { s += " id \(w(id))" }
            s += " {"
            for entry in list.entries { s += " \(entry)" }
            s += list.entries.isEmpty ? "}" : " }"
            // Written on one line: every line of the source's block ends up here.
            s.from(list.location)
            if list.location.line > 0, let close = s.trivia?.lines(list.location, .close).first, close > list.location.line {
                for line in (list.location.line + 1)...close { s.from(line: line) }
            }
            s.endLine()
        }
        for vpc in topology.vpcs {
            defaults(vpc.region, vpc.account, vpc.location, &s)
            blank(&s)
            if let zones = vpc.awsDefaultZones {
                writeDefaultVPC(vpc, zones: zones, to: &s)
            } else {
                write(vpc, to: &s)
            }
        }
        if !topology.peerings.isEmpty { blank(&s) }
        for peering in topology.peerings {
            s += "peering \(w(peering.name)) \(w(peering.requester)) <-> \(w(peering.accepter))"
            if let id = peering.id { s += " id \(w(id))" }
            s.from(peering.location)
            s.endLine()
        }
        for tgw in topology.transitGateways {
            defaults(tgw.region, tgw.account, tgw.location, &s)
            blank(&s)
            write(tgw, to: &s)
        }
        writeEdges(topology, blank: { blank(&$0) }, to: &s)
        if !topology.assertions.isEmpty { blank(&s) }
        for assertion in topology.assertions {
            s += "assert \(assertion.expectReachable ? "reach" : "noreach") \(assertion.source) -> "
            s += "\(assertion.destination) \(traffic(assertion.traffic))"
            if let ports = assertion.clientPorts { s += " client-ports \(ports)" }
            s.from(assertion.location)
            s.endLine()
        }
        if !topology.policies.isEmpty { blank(&s) }
        for policy in topology.policies {
            s += "policy " + policy.statementText
            s.from(policy.location)
            s.endLine()
        }
        writeFlowLogs(topology, blank: { blank(&$0) }, to: &s)
    }

    /// `KEY=VALUE` as one word, quoted as a whole when it needs it (`'Cost Center=Team A'`).
    static func tag(_ t: ResourceTag) -> String {
        let text = "\(t.key)=\(t.value)"
        return LanguageWord.isValid(text) && !text.hasPrefix("'") ? text : LanguageWord.quoted(text)
    }

    /// A model string as one word: every name, id, region, account and zone goes through here, so no string
    /// can end a block or start a statement (``LanguageWord/printable(_:)``; importers reject such strings first).
    static func w(_ text: String) -> String { LanguageWord.printable(text) }

    static func peer(_ p: SecurityGroupRule.Peer) -> String {
        switch p {
        case .cidr(let c): c.description
        case .prefixList(let n): "pl:" + w(n)
        case .securityGroup(let n): "sg " + w(n)
        }
    }

    static func destination(_ d: RouteDestination) -> String {
        switch d {
        case .cidr(let c): c.description
        case .prefixList(let n): "pl:" + w(n)
        }
    }

    /// `tcp/443`, `icmp`, `proto 47`.
    public static func traffic(_ spec: TrafficSpec) -> String {
        switch spec.ipProtocol {
        case .all: return "all"
        case .number(let n) where spec.ipProtocol.name == nil: return "proto \(n)"
        default:
            if let port = spec.port { return "\(spec.ipProtocol)/\(port)" }
            return spec.ipProtocol.description
        }
    }

    /// `tcp 443`, `udp 1024-65535`, `icmp 8`, `icmp 3/4`, `all`, `proto 47`.
    public static func protocolAndPorts(_ proto: IPProtocol, _ ports: PortRange?) -> String {
        var s = proto.description
        guard let ports else { return s }
        if proto.isICMP {
            s += ports.upper == 65535 ? " \(ports.lower)" : " \(ports.lower)/\(ports.upper)"
        } else if proto.hasPorts {
            s += " \(ports)"
        }
        return s
    }

    static func write(_ vpc: VPC, to s: inout PrintSink) {
        s += "vpc \(w(vpc.name))" + (vpc.isDefault ? " default {" : " {")
        s.from(vpc.location)
        s.endLine()
        if let id = vpc.id {
            s += "  id \(w(id))"
            s.from(vpc.location, .id)
            s.endLine()
        }
        for (i, c) in vpc.cidrs.enumerated() {
            s += "  cidr \(c)"
            s.from(vpc.location, .cidr, index: i)
            s.endLine()
        }
        for (i, c) in vpc.ipv6Cidrs.enumerated() {
            s += "  ipv6 \(c)"
            s.from(vpc.location, .ipv6, index: i)
            s.endLine()
        }
        if let g = vpc.internetGateway {
            s += "  internet-gateway \(w(g.name))"
            if let id = g.id { s += " id \(w(id))" }
            s.from(g.location)
            s.endLine()
        }
        if let g = vpc.egressOnlyGateway {
            s += "  egress-only-gateway \(w(g.name))"
            if let id = g.id { s += " id \(w(id))" }
            s.from(g.location)
            s.endLine()
        }
        if let g = vpc.vpnGateway {
            s += "  vpn-gateway \(w(g.name))"
            if let asn = g.asn { s += " asn \(asn)" }
            if let id = g.id { s += " id \(w(id))" }
            s.from(g.location)
            s.endLine()
        }
        if !vpc.subnets.isEmpty { s.blankLine() }
        for sn in vpc.subnets {
            s += "  subnet \(w(sn.name)) \(sn.cidr)"
            if let az = sn.availabilityZone { s += " az \(w(az))" }
            if let v6 = sn.ipv6Cidr { s += " ipv6 \(v6)" }
            if sn.mapPublicIP { s += " map-public-ip" }
            if let id = sn.id { s += " id \(w(id))" }
            s.from(sn.location)
            s.endLine()
        }
        if !vpc.natGateways.isEmpty { s.blankLine() }
        for n in vpc.natGateways {
            s += "  nat-gateway \(w(n.name)) in \(w(n.subnet))"
            switch n.connectivity {
            case .public(let eip): if let eip { s += " eip \(eip)" }
            case .private: s += " private"
            }
            if let ip = n.privateIP { s += " ip \(ip)" }
            if let id = n.id { s += " id \(w(id))" }
            s.from(n.location)
            s.endLine()
        }
        for t in vpc.routeTables {
            s.blankLine()
            s.openBlock("  route-table \(w(t.name))" + (t.isMain ? " main" : ""), id: t.id, owner: t.location)
            s.nameList("associate", t.associations, owner: t.location, .associate)
            s.nameList("edge-associate", t.edgeAssociations, owner: t.location, .edgeAssociate)
            s.nameList("propagate", t.propagations, owner: t.location, .propagate)
            for r in t.routes {
                s += "    route \(destination(r.destination))"
                switch r.target {
                case .blackhole: s += " blackhole"
                case .local: s += " -> local"
                case .named(let n): s += " -> \(w(n))"
                case .unmodelled(let id): s += " -> unmodelled \(w(id))"
                }
                s.from(r.location)
                s.endLine()
            }
            s.closeBlock("  ", owner: t.location)
        }
        for g in vpc.securityGroups {
            s.blankLine()
            s.openBlock("  security-group \(w(g.name))" + (g.isDefault ? " default" : ""), id: g.id, owner: g.location)
            for r in g.ingress {
                s += "    ingress \(protocolAndPorts(r.ipProtocol, r.ports)) from \(peer(r.peer))"
                s.from(r.location)
                s.endLine()
            }
            if let egress = g.egress {
                if egress.isEmpty {
                    s += "    egress none"
                    s.from(g.location, .egressNone)
                    s.endLine()
                }
                for r in egress {
                    s += "    egress \(protocolAndPorts(r.ipProtocol, r.ports)) to \(peer(r.peer))"
                    s.from(r.location)
                    s.endLine()
                }
            }
            s.closeBlock("  ", owner: g.location)
        }
        for a in vpc.networkACLs {
            s.blankLine()
            s.openBlock("  network-acl \(w(a.name))" + (a.isDefault ? " default" : ""), id: a.id, owner: a.location)
            s.nameList("associate", a.associations, owner: a.location, .associate)
            for r in a.inbound {
                s += "    inbound \(r.number) \(r.action.rawValue) \(protocolAndPorts(r.ipProtocol, r.ports)) from \(r.cidr)"
                s.from(r.location)
                s.endLine()
            }
            for r in a.outbound {
                s += "    outbound \(r.number) \(r.action.rawValue) \(protocolAndPorts(r.ipProtocol, r.ports)) to \(r.cidr)"
                s.from(r.location)
                s.endLine()
            }
            s.closeBlock("  ", owner: a.location)
        }
        if !vpc.endpoints.isEmpty { s.blankLine() }
        for e in vpc.endpoints { writeEndpoint(e, to: &s) }
        if !vpc.instances.isEmpty { s.blankLine() }
        for i in vpc.instances {
            if i.interfaces.count == 1, let eni = i.interfaces.first, eni.name == "eth0", eni.id == nil {
                s += "  instance \(w(i.name))"
                writeModifiers(eni, to: &s)
                for t in i.tags { s += " tag \(tag(t))"; s.from(t.location) }
                if let id = i.id { s += " id \(w(id))" }
                // One line, also when the source wrote a block: all of the block's lines end up here.
                s.from(i.location)
                s.from(eni.location)
                s.from(i.location, .id)
                s.from(i.location, .close)
                s.endLine()
            } else {
                s.openBlock("  instance \(w(i.name))", id: i.id, owner: i.location)
                for t in i.tags {
                    s += "    tag \(tag(t))"
                    s.from(t.location)
                    s.endLine()
                }
                for eni in i.interfaces {
                    s += "    interface \(w(eni.name))"
                    writeModifiers(eni, to: &s)
                    if let id = eni.id { s += " id \(w(id))" }
                    s.from(eni.location)
                    s.endLine()
                }
                s.closeBlock("  ", owner: i.location)
            }
        }
        writeLoadBalancers(vpc, to: &s)
        s.closeBlock("", owner: vpc.location)
    }

    static func writeModifiers(_ eni: NetworkInterface, to s: inout PrintSink) {
        s += " in \(w(eni.subnet)) ip \(eni.privateIP)"
        for a in eni.secondaryIPs { s += " secondary-ip \(a)" }
        switch eni.publicIP {
        case nil: break
        case .unknown?: s += " public-ip unknown"
        case .none?: s += " public-ip none"
        case .address(let a)?: s += " public-ip \(a)"
        }
        for a in eni.ipv6Addresses { s += " ipv6 \(a)" }
        if !eni.securityGroups.isEmpty { s += " sg " + eni.securityGroups.map(w).joined(separator: " ") }
        if !eni.sourceDestCheck { s += " source-dest-check off" }
    }

    static func write(_ tgw: TransitGateway, to s: inout PrintSink) {
        s += "transit-gateway \(w(tgw.name))"
        if let id = tgw.id { s += " id \(w(id))" }
        if tgw.securityGroupReferencing { s += " sg-referencing" }
        s += " {"
        s.from(tgw.location)
        s.from(tgw.location, .id)
        s.from(tgw.location, .sgReferencing)
        s.endLine()
        for a in tgw.attachments {
            switch a.kind {
            case .vpc: s += "  attachment \(w(a.name)) vpc \(w(a.vpc))"
            case .vpn(let c): s += "  attachment \(w(a.name)) vpn \(w(c))"
            case .directConnectGateway(let d): s += "  attachment \(w(a.name)) dx-gateway \(w(d))"
            case .peering(let t): s += "  attachment \(w(a.name)) peering \(w(t))"
            }
            if a.kind == .vpc, !a.subnets.isEmpty { s += " subnets " + a.subnets.map(w).joined(separator: " ") }
            if a.kind == .vpc, a.applianceMode { s += " appliance-mode" }
            if let id = a.id { s += " id \(w(id))" }
            s.from(a.location)
            s.endLine()
        }
        for t in tgw.routeTables {
            s.openBlock("  route-table \(w(t.name))", id: t.id, owner: t.location)
            s.nameList("associate", t.associations, owner: t.location, .associate)
            s.nameList("propagate", t.propagations, owner: t.location, .propagate)
            for r in t.routes {
                s += "    route \(destination(r.destination))"
                switch r.target {
                case .blackhole: s += " blackhole"
                case .attachment(let n): s += " -> \(w(n))"
                }
                s.from(r.location)
                s.endLine()
            }
            s.closeBlock("  ", owner: t.location)
        }
        s.closeBlock("", owner: tgw.location)
    }
}

/// Where the printer writes: straight into a string, or (when formatting source with comments) line by line
/// with the source lines each printed line came from.
struct PrintSink {
    /// One printed line and the source lines it stands for.
    struct Line {
        var text: String
        var origins: [Int]
    }

    /// The output (when not recording lines).
    var out = ""
    /// The statement lines of the source being formatted; nil when printing a bare model.
    let trivia: SourceTrivia?
    /// The printed lines (only with trivia).
    var lines: [Line] = []
    private var current = ""
    private var origins: [Int] = []

    init(trivia: SourceTrivia?) {
        self.trivia = trivia
    }

    static func += (s: inout PrintSink, text: String) {
        if s.trivia == nil { s.out += text } else { s.current += text }
    }

    /// The line being written comes from the statement at `location`.
    mutating func from(_ location: SourceLocation) {
        if trivia != nil, location.line > 0 { origins.append(location.line) }
    }

    mutating func from(line: Int) {
        if trivia != nil, line > 0 { origins.append(line) }
    }

    /// The line being written comes from the statements of kind `kind` recorded for `owner`.
    mutating func from(_ owner: SourceLocation, _ kind: SourceTrivia.AnchorKind, index: Int = 0) {
        guard let trivia, owner.line > 0 else { return }
        origins.append(contentsOf: trivia.lines(owner, kind, index: index))
    }

    mutating func endLine() {
        if trivia == nil {
            out += "\n"
        } else {
            lines.append(Line(text: current, origins: origins))
            current = ""
            origins.removeAll(keepingCapacity: true)
        }
    }

    /// `header id ID {` on its own line, standing for `owner`'s statement and its `id`.
    mutating func openBlock(_ header: String, id: String?, owner: SourceLocation) {
        self += header
        if let id { self += " id \(TopologyPrinter.w(id))" }
        self += " {"
        from(owner)
        from(owner, .id)
        endLine()
    }

    /// `    KEYWORD a b c` inside a block, standing for `owner`'s `kind` statements; nothing when `names` is empty.
    mutating func nameList(_ keyword: String, _ names: [String], owner: SourceLocation, _ kind: SourceTrivia.AnchorKind) {
        guard !names.isEmpty else { return }
        self += "    \(keyword) " + names.map(TopologyPrinter.w).joined(separator: " ")
        from(owner, kind)
        endLine()
    }

    /// A block's closing brace at `indent`, standing for `owner`'s closing line.
    mutating func closeBlock(_ indent: String, owner: SourceLocation) {
        self += indent + "}"
        from(owner, .close)
        endLine()
    }

    mutating func blankLine() {
        if trivia == nil { out += "\n" } else { lines.append(Line(text: "", origins: [])) }
    }
}
