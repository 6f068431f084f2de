import IPAddressing
import NetworkModel

// Every component that blocks a connection, and the smallest change of the topology text that lets the
// traffic through each (issue 16 point 4). The verdict itself never comes from here: `reach` walks as before
// and stops at the first block; only when an answer is not reachable does an *explaining* walk go on past each
// security-group and NACL block as if it allowed, noting each one.

/// One component that blocks a connection: why (an ``Explanation``), where it is written, and the fix.
public struct Blocker: Hashable, Sendable {
    /// Code, direction, component, rule and a sentence, as for a verdict's explanation.
    public var explanation: Explanation
    /// Where the component (or the NACL rule or route that decided) is written; nil when not in a file.
    public var location: SourceLocation?
    /// The smallest change that lets the traffic through this component; nil when none is evident.
    public var fix: BlockerFix?
    /// Why there is no fix, or what to know about it (nil when nothing to add).
    public var remark: String?
    /// False when the walk could not go on past this component (a missing route, a gateway that drops the
    /// packet): components after it are not checked, so the list may not be complete.
    public var walkContinues: Bool

    /// The rule that decided: the NACL rule that denies (32767 for the final `*`), the route, or for a
    /// security group `no rule admits` (groups only allow, so no rule of theirs blocks).
    public var rule: RuleRef? {
        if let r = explanation.rule { return r }
        return explanation.component.kind == .securityGroup ? RuleRef(text: "no rule admits") : nil
    }

    public init(explanation: Explanation, location: SourceLocation?, fix: BlockerFix?, remark: String?, walkContinues: Bool) {
        self.explanation = explanation
        self.location = location
        self.fix = fix
        self.remark = remark
        self.walkContinues = walkContinues
    }
}

/// A statement of the `.vpc` language and where it goes: the change that lets traffic through one blocker.
public struct BlockerFix: Hashable, Sendable, CustomStringConvertible {
    /// How the statement goes into the file.
    public enum Edit: String, Hashable, Sendable {
        /// A new line at ``BlockerFix/location``'s line (the line there and those after it move down).
        case insert
        /// Into a block written on one line: before the `}` at ``BlockerFix/location``'s line and column, on a
        /// line of its own.
        case insertInline = "insert-inline"
        /// Replaces the line at ``BlockerFix/location`` (`egress none`, a blackhole route).
        case replace
    }
    /// The statement, as the parser accepts it: `ingress tcp 22 from sg web`, `outbound 110 allow tcp 1024-65535 to 0.0.0.0/0`.
    public var statement: String
    /// The block the statement goes into (a security group, a network ACL, a route table).
    public var component: ComponentRef
    /// Where it goes (nil when the block is not written in a file, e.g. the VPC's implicit default group).
    public var location: SourceLocation?
    public var edit: Edit
    /// The statement replaced (``Edit/replace`` only): `egress none`, `route 10.9.0.0/16 blackhole`.
    public var replaces: String?
    /// The name of ``location``'s file (from the topology's ``SourceFileTable``; the compiled topology that
    /// makes the fix fills it in), which ``description`` prints.
    public var file: String = ""
    /// For a block that was imported (its place is in AWS or Terraform JSON, not in `.vpc` text): that place,
    /// `file:line:column`, which ``description`` names; ``location`` is then nil (a statement of the language
    /// cannot go into JSON: the change is made in AWS, in Terraform, or in the `.vpc` text `vpckit import`
    /// prints). Empty otherwise.
    public var importedFrom: String = ""

    public init(statement: String, component: ComponentRef, location: SourceLocation?, edit: Edit, replaces: String? = nil) {
        self.statement = statement
        self.component = component
        self.location = location
        self.edit = edit
        self.replaces = replaces
    }

    /// `add 'ingress tcp 22 from sg web' to security-group db at three-tier.vpc:52`; for an imported block
    /// `add '…' to security-group db (imported from describe-security-groups.json:40:9)`.
    public var description: String {
        let target = "\(component.kind.rawValue) \(component.name)"
        guard let location, location.line > 0 else {
            let origin = importedFrom.isEmpty ? "" : " (imported from \(importedFrom))"
            if edit == .replace, let replaces { return "replace '\(replaces)' with '\(statement)' in \(target)\(origin)" }
            return "add '\(statement)' to \(target)\(origin)"
        }
        switch edit {
        case .insert: return "add '\(statement)' to \(target) at \(file):\(location.line)"
        case .insertInline:
            return "add '\(statement)' to \(target) at \(file):\(location.line):\(location.column) (before its '}')"
        case .replace:
            return "replace '\(replaces ?? "")' with '\(statement)' in \(target) at \(file):\(location.line)"
        }
    }

    /// The text of ``location``'s file with the statement put in (`text` is that file's text); nil when the
    /// fix has no location or the location is not in `text`.
    public func apply(to text: String) -> String? {
        guard let location, location.line > 0 else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let i = location.line - 1
        func indentation(_ line: String) -> String { String(line.prefix { $0 == " " || $0 == "\t" }) }
        switch edit {
        case .insert:
            guard i <= lines.count else { return nil }
            var indent = ""
            if i > 0 {
                let before = lines[i - 1]
                indent = indentation(before)
                if before.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).first == "{" { indent += "  " }
            }
            lines.insert(indent + statement, at: i)
        case .replace:
            guard i < lines.count else { return nil }
            lines[i] = indentation(lines[i]) + statement
        case .insertInline:
            guard i < lines.count else { return nil }
            let chars = Array(lines[i])
            let cut = location.column - 1
            guard cut >= 0, cut <= chars.count else { return nil }
            let indent = indentation(lines[i])
            lines[i] = String(chars[..<cut]) + "\n" + indent + "  " + statement + "\n" + indent + String(chars[cut...])
        }
        return lines.joined(separator: "\n")
    }
}

/// What an explaining walk notes: each block it passed as if it allowed.
struct ExplainLog {
    struct Entry {
        var block: Block
        /// The packet as the blocking component saw it (for a NACL that stops only some client ports of a
        /// reply: with just those ports).
        var flow: Flow
        var direction: PathDirection
        /// The interface whose groups the packet carried (``WalkContext/senderIdentity``).
        var sender: Int32
    }
    var entries: [Entry] = []
    /// For a reply: the client's address. A NACL that stops some of the client ports of a packet addressed to
    /// it blocks those ports (the connection fails for them); elsewhere only a full block counts.
    var client: IPAddress? = nil

    /// The client ports a filter stopped when it passed `passed` of the reply `flow`'s ports (nil: none, or
    /// not a reply to the client).
    func clientPortsRemoved(_ flow: Flow, passed: PortSet) -> PortSet? {
        guard let client, flow.destination == client, flow.hasPorts else { return nil }
        let removed = flow.destinationPorts.subtracting(passed)
        return removed.isEmpty ? nil : removed
    }
}

/// The sink of the walk that explains a blocked answer: a ``ConnectionRecorder`` without hops that notes
/// each block it passes as if it allowed (``TraceSink/explains``).
struct ExplainingRecorder: TraceSink {
    var base = ConnectionRecorder(recordsHops: false)
    var log = ExplainLog()

    static var observesInterfaces: Bool { false }
    static var explains: Bool { true }
    var recordsHops: Bool { false }
    mutating func hop(_ hop: Hop) {}
    mutating func observe(interface: Int32, egress: Bool, accept: Bool, flow: Flow) {}
    mutating func natTranslate(nat: Int32, original: Flow, flow: inout Flow) { base.natTranslate(nat: nat, original: original, flow: &flow) }
    mutating func natReverse(nat: Int32, flow: inout Flow) -> Bool { base.natReverse(nat: nat, flow: &flow) }
    mutating func noteBlock(_ block: Block, _ flow: Flow, direction: PathDirection, sender: Int32) {
        log.entries.append(ExplainLog.Entry(block: block, flow: flow, direction: direction, sender: sender))
    }
    func clientPortsRemoved(_ flow: Flow, passed: PortSet) -> PortSet? { log.clientPortsRemoved(flow, passed: passed) }
}

extension CompiledTopology {
    /// Every component that blocks `verdict`'s connection, in walk order, each with the smallest fix; empty
    /// when the verdict is reachable.
    ///
    /// The walk goes on past each security group (egress and ingress) and network ACL (outbound and inbound,
    /// request and reply) that blocks, as if it allowed, and notes it; a block it cannot pass (a missing or
    /// blackhole route, a gateway that drops the packet) ends the list (``Blocker/walkContinues`` false). For
    /// a reply, a NACL that stops only some of the client ports blocks those. A query over a set of internet
    /// addresses is explained for the verdict's example address. The verdict is not changed.
    public func blockers(for verdict: Verdict, from source: QueryEndpoint, to destination: QueryEndpoint, traffic: TrafficSpec,
                         sourcePort: UInt16? = nil, sourcePorts: PortSet = .ephemeral, oneWay: Bool = false) -> [Blocker] {
        guard verdict.state != .reachable else { return [] }
        var internetBlock: IPPrefix? = nil
        func resolved(_ e: QueryEndpoint) -> ResolvedEndpoint? {
            switch e {
            case .endpoint(let r): return r
            case .privateAddress(let r): return source.isInternet || destination.isInternet ? nil : r
            case .internet(let set):
                guard let example = verdict.internet?.example else { return nil }
                internetBlock = Self.block(of: set, family: example.family)
                return .internet(example)
            }
        }
        var list: [Blocker] = []
        if let s = resolved(source), let d = resolved(destination) {
            list = blockers(from: s, to: d, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay,
                            internetBlock: internetBlock)
        }
        if list.isEmpty, let e = verdict.explanation {
            // The query never walks (an endpoint without an address of the family, a private address asked
            // from the internet): the verdict's own reason is the one blocker.
            list = [Blocker(explanation: e, location: e.rule?.location.flatMap { $0.line > 0 ? $0 : nil }, fix: nil,
                            remark: nil, walkContinues: false)]
        }
        return list
    }

    /// The CIDR block written for an internet set in a fix: `0.0.0.0/0` (`::/0`) for `internet`, the block of
    /// `internet:CIDR`, nil for one address.
    static func block(of set: InternetAddresses, family: IPFamily) -> IPPrefix? {
        if set.text == "internet" { return try? IPPrefix(family == .ipv6 ? "::/0" : "0.0.0.0/0") }
        guard set.text.hasPrefix("internet:"), let p = try? IPPrefix(String(set.text.dropFirst("internet:".count))) else { return nil }
        switch p {
        case .v4(let x) where x.length == 32: return nil
        case .v6(let x) where x.length == 128: return nil
        default: return p
        }
    }

    /// ``blockers(for:from:to:traffic:sourcePort:sourcePorts:oneWay:)`` for resolved endpoints; `internetBlock`
    /// is the CIDR a fix names for the internet end (nil: the address itself).
    public func blockers(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, traffic: TrafficSpec,
                         sourcePort: UInt16? = nil, sourcePorts: PortSet = .ephemeral, oneWay: Bool = false,
                         internetBlock: IPPrefix? = nil) -> [Blocker] {
        if !loadBalancers.isEmpty {
            // A load balancer never initiates (the verdict's reason is the one blocker); toward one, the blockers of
            // the client's leg to the node the query uses (past it, the listener and targets: the verdict's reason).
            if case .interface(let i, _) = source, loadBalancer(ofNode: i) != nil { return [] }
            if case .interface(let i, let a) = destination, let k = loadBalancer(ofNode: i), a == CompiledTopology.anyNodeAddress {
                let n = node(of: k, for: source, named: i, address: a)
                return blockers(from: source, to: .interface(n, address: .v4(interfaces[n.position].primaryIP)), traffic: traffic,
                                sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay, internetBlock: internetBlock)
            }
        }
        if mayInvolveVPCEndpoint(source, destination) {
            switch endpointQuery(from: source, to: destination, ipProtocol: traffic.ipProtocol.number) {
            case .refused: return []  // the verdict's own reason is the one blocker
            case .endpoints(let s, let d):
                if s != source || d != destination {
                    return blockers(from: s, to: d, traffic: traffic, sourcePort: sourcePort, sourcePorts: sourcePorts, oneWay: oneWay,
                                    internetBlock: internetBlock)
                }
            }
        }
        let proto = traffic.ipProtocol.number ?? 255
        let requested = sourcePort.map { PortSet(port: $0) } ?? sourcePorts
        let v6 = traffic.ipProtocol == .icmpv6 || source.address.family == .ipv6 || destination.address.family == .ipv6
        guard let srcAddress = address(of: source, toward: destination, ipv6: v6),
              let dstAddress = address(of: destination, from: source, ipv6: v6) else { return [] }
        if case .internet = source, case .internet = destination { return [] }
        if amazonDNSResolver(from: source, to: dstAddress, ipProtocol: proto, port: traffic.port) != nil { return [] }
        // The same packet as ``reach(from:to:traffic:sourcePort:sourcePorts:oneWay:)`` sends.
        let packet = queryPacket(traffic, from: srcAddress, to: dstAddress, sourcePorts: requested)
        var flow = packet.flow
        let noReply = packet.noReply
        var sink = ExplainingRecorder()
        var ctx = WalkContext(direction: .forward)
        ctx.recordVisited = true
        ctx.hostAddress = placedHostAddress(destination, dstAddress)
        ctx.onPremisesEdge = destination.onPremisesEdge
        let outcome = walk(&flow, from: startPosition(source), context: &ctx, sink: &sink)
        var entries = sink.log.entries
        var final: ExplainLog.Entry? = nil
        switch checkArrival(outcome, flow: flow, at: destination) {
        case .failure(let block):
            final = ExplainLog.Entry(block: block, flow: flow, direction: .forward, sender: ctx.senderIdentity)
        case .success(let delivered):
            if !(oneWay || noReply) {
                var reply = delivered.reply
                var rctx = WalkContext(replyAfter: ctx)
                rctx.hostAddress = placedHostAddress(source, srcAddress, asSource: true)
                rctx.onPremisesEdge = source.onPremisesEdge
                sink.log = ExplainLog(client: srcAddress)
                var replyStart = replyStartPosition(destination)
                if case .exitedToService(let g) = outcome { replyStart = .fromGatewayEndpoint(g) }
                let replyOutcome = walk(&reply, from: replyStart, context: &rctx, sink: &sink)
                entries += sink.log.entries
                if case .failure(let block) = checkArrival(replyOutcome, flow: reply, at: source, reply: true) {
                    final = ExplainLog.Entry(block: block, flow: reply, direction: .return, sender: rctx.senderIdentity)
                }
            }
        }
        let allProtocols = traffic.ipProtocol == .all
        var out = entries.map { blocker($0, allProtocols: allProtocols, internetBlock: internetBlock, continues: true) }
        if let final { out.append(blocker(final, allProtocols: allProtocols, internetBlock: internetBlock, continues: false)) }
        for k in out.indices {
            guard let l = out[k].fix?.location else { continue }
            if topology.files.kind(of: l) == .language {
                out[k].fix?.file = topology.files.name(of: l)
            } else {
                // An imported block: no line of `.vpc` text to put the statement at; the fix names where it came from.
                let block = out[k].location ?? l
                out[k].fix?.location = nil
                out[k].fix?.importedFrom = block.line > 0 ? topology.files.place(of: block) : topology.files.name(of: block)
            }
        }
        return out
    }

    // MARK: One blocker and its fix

    func blocker(_ entry: ExplainLog.Entry, allProtocols: Bool, internetBlock: IPPrefix?, continues: Bool) -> Blocker {
        let e = explanation(entry.block, flow: entry.flow, direction: entry.direction)
        let f = entry.flow
        switch entry.block.site {
        case .securityGroups(let i, let ingress):
            let (fix, remark, location) = securityGroupFix(interface: i, ingress: ingress, flow: f, sender: entry.sender,
                                                           allProtocols: allProtocols, internetBlock: internetBlock,
                                                           referenceBlocked: entry.block.code == .sgReferencingSupport)
            return Blocker(explanation: e, location: location, fix: fix, remark: remark, walkContinues: continues)
        case .networkACL(let s, let inbound, _, let deny):
            let (fix, remark, location) = networkACLFix(subnet: s, inbound: inbound, denyRule: deny, flow: f,
                                                        allProtocols: allProtocols, internetBlock: internetBlock)
            return Blocker(explanation: e, location: location, fix: fix, remark: remark, walkContinues: continues)
        case .routeTable where entry.block.code == .unsupportedComponent:
            // The route is there; its target is outside the model. No statement fixes that: say so.
            let location = e.rule?.location.flatMap { $0.line > 0 ? $0 : nil }
            return Blocker(explanation: e, location: location, fix: nil,
                           remark: "the route's target is not modelled, so VPCKit cannot tell whether the traffic gets through beyond it (check it in AWS); components after it are not checked",
                           walkContinues: false)
        case .routeTable(let t, let r):
            let (fix, remark, location) = routeFix(table: t, route: r, flow: f)
            return Blocker(explanation: e, location: location, fix: fix,
                           remark: remark ?? (continues ? nil : "the walk cannot continue past a missing route: components after it are not checked"),
                           walkContinues: continues)
        case .tgwRouteTable(let t, let r):
            let (fix, remark, location) = tgwRouteFix(table: t, route: r, flow: f)
            return Blocker(explanation: e, location: location, fix: fix,
                           remark: remark ?? (continues ? nil : "the walk cannot continue past a missing route: components after it are not checked"),
                           walkContinues: continues)
        default:
            let location = e.rule?.location.flatMap { $0.line > 0 ? $0 : nil }
            return Blocker(explanation: e, location: location, fix: nil,
                           remark: continues ? nil : "the walk cannot continue past it: components after it are not checked",
                           walkContinues: continues)
        }
    }

    /// `tcp 22`, `udp 1024-65535`, `icmp 8`, `all`, `proto 47`: what a rule for the flow's packets says.
    func ruleTraffic(_ f: Flow, allProtocols: Bool) -> String {
        if allProtocols { return "all" }
        let proto = IPProtocol.number(f.ipProtocol).description
        if IPProtocol.isICMP(f.ipProtocol) { return "\(proto) \(f.icmpTypeCode >> 8)" }
        guard f.hasPorts, let first = f.destinationPorts.ranges.first,
              let last = f.destinationPorts.ranges.last else { return proto }
        // One range: the span of the ports (a NACL or SG rule holds one range).
        if first.lower == 0 && last.upper == 65535 { return proto }
        return first.lower == last.upper ? "\(proto) \(first.lower)" : "\(proto) \(first.lower)-\(last.upper)"
    }

    /// The CIDR a rule names for `address`: the queried internet block for an internet address, else the address.
    func peerBlock(_ address: IPAddress, internetBlock: IPPrefix?) -> String {
        if let internetBlock, privateVPC(of: address) == nil, !vpcs.contains(where: { $0.contains(address) }) {
            return internetBlock.description
        }
        switch address {
        case .v4(let a): return "\(a)/32"
        case .v6(let a): return "\(a)/128"
        }
    }

    func modelVPC(_ v: Int32) -> VPC? { topology.vpcs.first { $0.name == vpcs[Int(v)].name } }

    /// True when group `g` is written in the topology (`sg NAME` can name it; the VPC's implicit default
    /// group cannot be referenced).
    func isWritten(group g: Int32) -> Bool {
        let name = securityGroups[Int(g)].name
        return modelVPC(securityGroups[Int(g)].vpc)?.securityGroups.contains { $0.name == name } ?? false
    }

    /// Where a statement goes into a block written at `header` and closed at `close`, after the lines
    /// `after` (the block's rules): the line after the last of them, kept inside the block.
    static func insertionPoint(header: SourceLocation, close: SourceLocation, after lines: [Int]) -> (SourceLocation, BlockerFix.Edit)? {
        guard header.line > 0 else { return nil }
        if close.line > 0 && close.line == header.line { return (close, .insertInline) }
        var line = (lines.max() ?? header.line) + 1
        if close.line > header.line { line = min(line, close.line) }
        return (SourceLocation(fileIndex: header.fileIndex, line: line, column: 1), .insert)
    }

    func securityGroupFix(interface i: Int32, ingress: Bool, flow f: Flow, sender: Int32, allProtocols: Bool,
                          internetBlock: IPPrefix?, referenceBlocked: Bool) -> (BlockerFix?, String?, SourceLocation?) {
        let set = interfaces[Int(i)].securityGroupSet
        guard set >= 0, let g = securityGroupSets[Int(set)].groups.first else {
            return (nil, "interface \(interfaces[Int(i)].name) has no security group to add a rule to", nil)
        }
        let vpc = interfaces[Int(i)].vpc
        let group = securityGroups[Int(g)]
        let component = ComponentRef(kind: .securityGroup, name: group.name, awsID: group.awsID)
        // The peer: a group of the other end when a reference would match (ingress: the sender's groups, when
        // the path carries them; egress: the destination's groups in the same VPC), else the address or block.
        var peer: String? = nil
        if !referenceBlocked {
            if ingress, sender >= 0, interfaces[Int(sender)].securityGroupSet >= 0 {
                for sg in securityGroupSets[Int(interfaces[Int(sender)].securityGroupSet)].groups
                where interfaceHoldsGroup(sender, group: sg, fromVPC: vpc) && isWritten(group: sg) {
                    peer = "sg \(securityGroups[Int(sg)].name)"
                    break
                }
            } else if !ingress, let owner = interface(holding: f.destination, inVPC: vpc), interfaces[Int(owner.index)].isInstance,
                      interfaces[Int(owner.index)].securityGroupSet >= 0,
                      let sg = securityGroupSets[Int(interfaces[Int(owner.index)].securityGroupSet)].groups.first(where: isWritten(group:)) {
                peer = "sg \(securityGroups[Int(sg)].name)"
            }
        }
        let peerText = peer ?? peerBlock(ingress ? f.source : f.destination, internetBlock: internetBlock)
        let statement = "\(ingress ? "ingress" : "egress") \(ruleTraffic(f, allProtocols: allProtocols)) \(ingress ? "from" : "to") \(peerText)"
        guard let model = modelVPC(vpc)?.securityGroups.first(where: { $0.name == group.name }), model.location.line > 0 else {
            let remark = group.name == "default" ? "the VPC's default group is not written in the topology: declare 'security-group default' with this rule, or give \(interfaces[Int(i)].name) a group" : nil
            return (BlockerFix(statement: statement, component: component, location: nil, edit: .insert), remark, nil)
        }
        if !ingress, model.egressNoneLocation.line > 0 {
            return (BlockerFix(statement: statement, component: component, location: model.egressNoneLocation, edit: .replace,
                               replaces: "egress none"), nil, model.location)
        }
        let rules = ingress ? model.ingress : (model.egress ?? [])
        let lines = (rules.isEmpty ? model.ingress + (model.egress ?? []) : rules).map(\.location.line).filter { $0 > 0 }
        guard let (at, edit) = Self.insertionPoint(header: model.location, close: model.closeLocation, after: lines) else {
            return (BlockerFix(statement: statement, component: component, location: nil, edit: .insert), nil, nil)
        }
        return (BlockerFix(statement: statement, component: component, location: at, edit: edit), nil, model.location)
    }

    func networkACLFix(subnet s: Int32, inbound: Bool, denyRule: Int32, flow f: Flow, allProtocols: Bool,
                       internetBlock: IPPrefix?) -> (BlockerFix?, String?, SourceLocation?) {
        let acl = subnets[Int(s)].networkACL
        guard acl >= 0 else { return (nil, nil, nil) }
        let nacl = networkACLs[Int(acl)]
        let rules = inbound ? nacl.inbound : nacl.outbound
        let component = ComponentRef(kind: .networkACL, name: nacl.name, awsID: nacl.awsID)
        let limit = denyRule >= 0 && Int(denyRule) < rules.count ? rules[Int(denyRule)].number : 32767
        let location: SourceLocation? = denyRule >= 0 && Int(denyRule) < rules.count && rules[Int(denyRule)].location.line > 0
            ? rules[Int(denyRule)].location : (nacl.location.line > 0 ? nacl.location : nil)
        // A free rule number below the one that denies: ten past the last rule below it when free, else the
        // highest free number below it.
        let used = Set(rules.map(\.number))
        let below = rules.map(\.number).filter { $0 < limit }
        var number: Int? = nil
        let next = (below.max() ?? 90) + 10
        if next < limit && next <= 32766 && !used.contains(next) { number = next }
        else { number = stride(from: min(limit - 1, 32766), through: 1, by: -1).first { !used.contains($0) } }
        guard let number else {
            return (nil, "no rule number is free below \(limit): renumber the rules or change the one that denies", location)
        }
        let remote = inbound ? f.source : f.destination
        let statement = "\(inbound ? "inbound" : "outbound") \(number) allow \(ruleTraffic(f, allProtocols: allProtocols)) \(inbound ? "from" : "to") \(peerBlock(remote, internetBlock: internetBlock))"
        guard let model = modelVPC(subnets[Int(s)].vpc)?.networkACLs.first(where: { $0.name == nacl.name }),
              let (at, edit) = Self.insertionPoint(header: model.location, close: model.closeLocation,
                                                   after: (model.inbound + model.outbound).map(\.location.line).filter { $0 > 0 }) else {
            return (BlockerFix(statement: statement, component: component, location: nil, edit: .insert), nil, location)
        }
        // Inbound rules after the last inbound rule, outbound after the last outbound one, where there are some.
        let sameWay = (inbound ? model.inbound : model.outbound).map(\.location.line).filter { $0 > 0 }
        if edit == .insert, !sameWay.isEmpty, let (near, _) = Self.insertionPoint(header: model.location, close: model.closeLocation, after: sameWay) {
            return (BlockerFix(statement: statement, component: component, location: near, edit: .insert), nil, location)
        }
        return (BlockerFix(statement: statement, component: component, location: at, edit: edit), nil, location)
    }

    func routeFix(table t: Int32, route r: Int32, flow f: Flow) -> (BlockerFix?, String?, SourceLocation?) {
        let table = routeTables[Int(t)]
        let v = table.vpc
        let component = ComponentRef(kind: .routeTable, name: table.name, awsID: table.awsID)
        let route = r >= 0 && Int(r) < table.routes.count ? table.routes[Int(r)] : nil
        let location = route?.location.flatMap { $0.line > 0 ? $0 : nil } ?? table.location.flatMap { $0.line > 0 ? $0 : nil }
        let dst = f.destination
        // The evident target and destination block: a peering or transit gateway joining this VPC to the
        // destination's, or this VPC's internet gateway for an address outside every VPC.
        var target: String? = nil, destination: String? = nil
        if let other = vpcs.indices.first(where: { Int32($0) != v && vpcs[$0].contains(dst) }) {
            let o = Int32(other)
            switch dst {
            case .v4(let a): destination = vpcs[other].cidrs.first { $0.contains(a) }?.description
            case .v6(let a): destination = vpcs[other].ipv6Cidrs.first { $0.contains(a) }?.description
            }
            if let p = peerings.first(where: { ($0.vpcA == v && $0.vpcB == o) || ($0.vpcA == o && $0.vpcB == v) }) {
                target = p.name
            } else if let tg = transitGateways.first(where: { tgw in
                tgw.attachments.contains { tgwAttachments[Int($0)].vpc == v } && tgw.attachments.contains { tgwAttachments[Int($0)].vpc == o }
            }) {
                target = tg.name
            }
        } else if !vpcs.contains(where: { $0.contains(dst) }), let igw = vpcs[Int(v)].internetGateway {
            target = igw.name
            destination = dst.family == .ipv6 ? "::/0" : "0.0.0.0/0"
        }
        guard let target, let destination else {
            return (nil, "route table \(table.name) needs a route for \(dst); no peering, transit gateway or internet gateway toward it is evident", location)
        }
        let model = modelVPC(v)?.routeTables.first { $0.name == table.name }
        if let route, let loc = route.location, loc.line > 0,
           let written = model?.routes.first(where: { $0.location.line == loc.line }) {
            // A blackhole (or unusable) route, or one back to the sending NAT gateway: it is replaced.
            let statement = "route \(written.destination) -> \(target)"
            return (BlockerFix(statement: statement, component: component, location: loc, edit: .replace, replaces: route.text), nil, location)
        }
        let statement = "route \(destination) -> \(target)"
        guard let model, let (at, edit) = Self.insertionPoint(header: model.location, close: model.closeLocation,
                                                              after: model.routes.map(\.location.line).filter { $0 > 0 }) else {
            return (BlockerFix(statement: statement, component: component, location: nil, edit: .insert),
                    "route table \(table.name) is not written in the topology (the VPC's implicit main table): declare one for the subnet with this route", location)
        }
        return (BlockerFix(statement: statement, component: component, location: at, edit: edit), nil, location)
    }

    /// A transit gateway route table without a usable route: `route BLOCK -> ATTACHMENT` toward the attachment
    /// of the same transit gateway whose VPC holds the destination (replacing a blackhole route).
    func tgwRouteFix(table t: Int32, route r: Int32, flow f: Flow) -> (BlockerFix?, String?, SourceLocation?) {
        let table = tgwRouteTables[Int(t)]
        let component = ComponentRef(kind: .tgwRouteTable, name: table.name, awsID: table.awsID)
        let route = r >= 0 && Int(r) < table.routes.count ? table.routes[Int(r)] : nil
        let location = route?.location.flatMap { $0.line > 0 ? $0 : nil } ?? (table.location.line > 0 ? table.location : nil)
        let dst = f.destination
        let tgw = transitGateways[Int(table.transitGateway)]
        guard let att = tgw.attachments.first(where: { vpcs[Int(tgwAttachments[Int($0)].vpc)].contains(dst) }) else {
            return (nil, "transit gateway route table \(table.name) needs a route for \(dst); no attachment of \(tgw.name) is in a VPC holding it", location)
        }
        let v = Int(tgwAttachments[Int(att)].vpc)
        let block: String?
        switch dst {
        case .v4(let a): block = vpcs[v].cidrs.first { $0.contains(a) }?.description
        case .v6(let a): block = vpcs[v].ipv6Cidrs.first { $0.contains(a) }?.description
        }
        guard let block else { return (nil, nil, location) }
        let target = tgwAttachments[Int(att)].name
        let model = topology.transitGateways.first { $0.name == tgw.name }?.routeTables.first { $0.name == table.name }
        if let route, let loc = route.location, loc.line > 0,
           let written = model?.routes.first(where: { $0.location.line == loc.line }) {
            return (BlockerFix(statement: "route \(written.destination) -> \(target)", component: component, location: loc,
                               edit: .replace, replaces: route.text), nil, location)
        }
        let statement = "route \(block) -> \(target)"
        guard let model, let (at, edit) = Self.insertionPoint(header: model.location, close: model.closeLocation,
                                                              after: model.routes.map(\.location.line).filter { $0 > 0 }) else {
            return (BlockerFix(statement: statement, component: component, location: nil, edit: .insert), nil, location)
        }
        return (BlockerFix(statement: statement, component: component, location: at, edit: edit), nil, location)
    }
}
