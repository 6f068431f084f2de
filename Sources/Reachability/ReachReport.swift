import IPAddressing
import NetworkModel
import Reporting

/// The JSON form of reachability answers (`vpckit reach --format json`, with and without a traffic argument),
/// built from the typed verdict and trace. The shape is documented and versioned in Docs/REACH-JSON.md and
/// checked against Docs/schemas/reach.schema.json; every key is camelCase.
public enum ReachReport {
    /// The version of the shape below (Docs/REACH-JSON.md lists what each version changed). Version 1 was the
    /// unversioned shape before issue 17; version 3 made `detail` (explanations and blockers) the typed
    /// detail object and moved its sentence to `detailText`.
    public static let schemaVersion = 3

    /// One answer: `schemaVersion`, the query (`source`, `destination`, `traffic`, `oneWay`), `state`,
    /// `disposition`, `reachable`, the three paths, `explanation`, `blockers`, the client port sets (null for
    /// protocols without client ports), `notes`, and for internet queries the internet fields. `files` is the
    /// file table of the topology the verdict is about (rules' and blockers' places).
    public static func json(_ v: Verdict, from: String, to: String, traffic: String, oneWay: Bool,
                            blockers: [Blocker] = [], clientPorts: Bool = true, files: SourceFileTable) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("schemaVersion", .int(schemaVersion)),
            ("source", .string(from)), ("destination", .string(to)), ("traffic", .string(traffic)), ("oneWay", .bool(oneWay)),
            ("state", .string(v.state.rawValue)), ("disposition", .string(v.disposition.kind)),
            ("reachable", .bool(v.isReachable)),
            ("forwardPath", .array(v.forwardPath.map { json($0, files: files) })),
            ("returnPath", .array(v.returnPath.map { json($0, files: files) })),
            ("blockedReturnPath", .array(v.blockedReturnPath.map { json($0, files: files) })),
            ("explanation", v.explanation.map { json($0, files: files) } ?? .null),
            ("blockers", .array(blockers.map { json($0, files: files) })),
            // Protocols without client ports (ICMP, `proto N`) carry null port sets.
            ("requestedSourcePorts", clientPorts ? json(v.requestedSourcePorts) : .null),
            ("workingSourcePorts", clientPorts ? json(v.workingSourcePorts) : .null),
            ("failingSourcePorts", clientPorts ? json(v.failingSourcePorts) : .null),
            ("notes", .array(v.notes.map { .string($0) })),
        ]
        if let internet = v.internet { fields += internetFields(internet) }
        if let lb = v.loadBalancer { fields.append(("loadBalancer", json(lb))) }
        return .object(fields)
    }

    /// `reach A B` without traffic: the overall state and one entry per protocol (`files`: the topology's file
    /// table, for the explanations' rules).
    public static func json(openPorts results: [CompiledTopology.OpenPortsAnswer], from: String, to: String,
                            requested: PortSet, files: SourceFileTable) -> JSONValue {
        let overall = CompiledTopology.OpenPortsAnswer.overallState(results)
        return .object([
            ("schemaVersion", .int(schemaVersion)),
            ("source", .string(from)), ("destination", .string(to)), ("state", .string(overall.rawValue)),
            ("reachable", .bool(overall == .reachable)), ("requestedSourcePorts", json(requested)),
            ("protocols", .array(results.map { r in
                let icmp = r.traffic.hasPrefix("icmp")
                var fields: [(String, JSONValue)] = [
                    ("protocol", .string(r.traffic)), ("state", .string(r.verdict.state.rawValue)),
                    ("disposition", .string(r.verdict.disposition.kind)),
                    ("reachable", .bool(r.verdict.isReachable)),
                    ("destinationPorts", json(r.ports)),
                    ("workingSourcePorts", icmp ? .null : json(r.verdict.workingSourcePorts)),
                    ("failingSourcePorts", icmp ? .null : json(r.verdict.failingSourcePorts)),
                    ("explanation", r.verdict.explanation.map { json($0, files: files) } ?? .null)]
                if !r.verdict.listenerAnswers.isEmpty {
                    fields.append(("loadBalancerListeners", .array(r.verdict.listenerAnswers.map { json($0) })))
                }
                if let internet = r.verdict.internet {
                    fields += internetFields(internet)
                    fields.append(("portsByAddresses", .array(r.byAddresses.map { g in
                        .object([("destinationPorts", json(g.ports)),
                                 ("addresses", .array(g.addresses.map { .string($0.description) }))])
                    })))
                }
                return .object(fields)
            })),
        ])
    }

    // MARK: Pieces

    /// `{kind, name, id}`.
    public static func json(_ c: ComponentRef) -> JSONValue {
        .object([("kind", .string(c.kind.rawValue)), ("name", .string(c.name)), ("id", c.awsID.map { .string($0) } ?? .null)])
    }

    /// `{text, number?, location?}` or null (the location from `files`, the topology's file table).
    public static func json(_ r: RuleRef?, files: SourceFileTable) -> JSONValue {
        guard let r else { return .null }
        var fields: [(String, JSONValue)] = [("text", .string(r.text))]
        if let n = r.ruleNumber { fields.append(("number", .int(n))) }
        if let l = r.location, l.line > 0 { fields.append(("location", .string(files.place(of: l)))) }
        return .object(fields)
    }

    /// `[{from, to}, …]`.
    public static func json(_ p: PortSet) -> JSONValue {
        .array(p.ranges.map { .object([("from", .int(Int($0.lower))), ("to", .int(Int($0.upper)))]) })
    }

    /// `{code, direction, component, rule, detail, detailText, summary, text}`: `detail` the typed values,
    /// `detailText` their sentence.
    public static func json(_ e: Explanation, files: SourceFileTable) -> JSONValue {
        .object([
            ("code", .string(e.code.rawValue)), ("direction", .string(e.direction.rawValue)), ("component", json(e.component)),
            ("rule", json(e.rule, files: files)), ("detail", json(e.detail)), ("detailText", .string(e.detailText)),
            ("summary", .string(ReachMessages.summary(e.code))), ("text", .string(e.description(files: files))),
        ])
    }

    /// `{kind, …}`: the typed detail of an explanation with its values (Docs/REACH-JSON.md lists them per kind);
    /// addresses as ``json(_:)-(TranslatedAddress)``, traffic as `{protocol, destinationPorts, icmpType, icmpCode}`.
    public static func json(_ d: ExplanationDetail) -> JSONValue {
        func address(_ a: TranslatedAddress) -> JSONValue { json(a) }
        func traffic(_ t: BlockedTraffic) -> JSONValue {
            .object([("protocol", .int(Int(t.ipProtocol))), ("destinationPorts", t.destinationPorts.map(json) ?? .null),
                     ("icmpType", t.icmpType.map { .int(Int($0)) } ?? .null), ("icmpCode", t.icmpCode.map { .int(Int($0)) } ?? .null)])
        }
        func name(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        var fields: [(String, JSONValue)] = [("kind", .string(d.kind.rawValue))]
        switch d {
        case .sourceDestinationCheck(let s, let t):
            fields += [("source", address(s)), ("destination", address(t))]
        case .securityGroupsHaveNoRules(let i, let inbound):
            fields += [("interface", .string(i)), ("inbound", .bool(inbound))]
        case .securityGroupRules(let g, let i, let inbound, let t, let peer, let crossVPC):
            fields += [("group", .string(g)), ("interface", .string(i)), ("inbound", .bool(inbound)), ("traffic", traffic(t)),
                       ("peer", address(peer)), ("crossVPCReferenceOnly", .bool(crossVPC))]
        case .networkACL(let subnet, let inbound, let t, let peer, let rule):
            fields += [("subnet", .string(subnet)), ("inbound", .bool(inbound)), ("traffic", traffic(t)), ("peer", address(peer)),
                       ("denyingRule", rule.map { .int($0) } ?? .null)]
        case .route(let t, let tgw, let problem):
            let (p, target): (String, String?) = switch problem {
            case .noRoute: ("noRoute", nil)
            case .blackhole: ("blackhole", nil)
            case .unusableTarget(let n): ("unusableTarget", n)
            case .pointsBackAtSender: ("pointsBackAtSender", nil)
            case .natGatewaySendsBackToItself: ("natGatewaySendsBackToItself", nil)
            case .unmodelledTarget(let x): ("unmodelledTarget", x)
            case .other: ("other", nil)
            }
            fields += [("destination", address(t)), ("transitGateway", .bool(tgw)), ("problem", .string(p)), ("target", name(target))]
        case .edge(let e, let s, let t, let problem):
            fields += [("edge", .string(e)), ("source", address(s)), ("destination", address(t)), ("problem", .string(problem.rawValue))]
        case .gateway(let s, let t, let problem):
            fields += [("source", address(s)), ("destination", address(t)), ("problem", .string(problem.rawValue))]
        case .natGateway(let n, let s, let t, let problem):
            fields += [("natGateway", .string(n)), ("source", address(s)), ("destination", address(t)), ("problem", .string(problem.rawValue))]
        case .peeringNotTransitive(let p, let a, let b, let s, let t):
            fields += [("peering", .string(p)), ("vpcA", .string(a)), ("vpcB", .string(b)), ("source", address(s)), ("destination", address(t))]
        case .transitGatewayAttachment(let a, let t, let problem):
            fields += [("attachment", .string(a)), ("destination", address(t)), ("problem", .string(problem.rawValue))]
        case .unheldAddress(let subnet, let t, let reason):
            fields += [("subnet", .string(subnet)), ("destination", address(t)), ("reason", .string(reason.rawValue))]
        case .outsideSubnets(let vpc, let t):
            fields += [("vpc", .string(vpc)), ("destination", address(t))]
        case .notReachableFromInternet(let t):
            fields.append(("destination", address(t)))
        case .routingLoop(let steps):
            fields.append(("steps", .int(steps)))
        case .vpcEndpoint(let endpoint, let service, let problem):
            fields += [("endpoint", .string(endpoint)), ("service", .string(service)), ("problem", .string(problem.rawValue))]
        case .privateAddressFromInternet(let a, let i):
            fields += [("address", address(a)), ("interface", .string(i))]
        case .endpointWithoutAddress(let family), .noQueriedInternetAddress(let family):
            fields.append(("family", .string(family.rawValue)))
        case .bothEndpointsOnInternet:
            break
        case .replyDeniedForClientPorts(let ports):
            fields.append(("ports", json(ports)))
        case .loadBalancer(let lb, let problem, let t, let zone):
            fields += [("loadBalancer", .string(lb)), ("problem", .string(problem.rawValue)), ("traffic", traffic(t)), ("zone", name(zone))]
        }
        return .object(fields)
    }

    /// `{kind, …}`: the typed step action with its values (`inbound`, `subnet`, `vpc`).
    public static func json(_ a: StepAction) -> JSONValue {
        var fields: [(String, JSONValue)] = [("kind", .string(a.kind))]
        switch a {
        case .networkACLAllowed(let inbound, let subnet):
            fields += [("inbound", .bool(inbound)), ("subnet", .string(subnet))]
        case .crossedPeering(let vpc):
            fields.append(("vpc", .string(vpc)))
        case .transitGatewayDelivered(let vpc, let subnet):
            fields += [("vpc", .string(vpc)), ("subnet", .string(subnet))]
        case .toGatewayEndpoint(let service), .fromGatewayEndpoint(let service):
            fields.append(("service", .string(service)))
        case .toOnPremises(let edge), .fromOnPremises(let edge):
            fields.append(("edge", .string(edge)))
        case .acceptedByListener(let lb, let listener, let groups):
            fields += [("loadBalancer", .string(lb)), ("listener", .string(listener)), ("targetGroups", .array(groups.map { .string($0) }))]
        case .newConnectionToTarget(let lb, let target, let preserves):
            fields += [("loadBalancer", .string(lb)), ("target", .string(target)), ("preservesClientIP", .bool(preserves))]
        case .relayedByLoadBalancer(let lb):
            fields.append(("loadBalancer", .string(lb)))
        case .toGatewayLoadBalancerEndpoint(let e, let lb):
            fields += [("endpoint", .string(e)), ("loadBalancer", .string(lb))]
        case .gatewayLoadBalancerNode(let lb, let node):
            fields += [("loadBalancer", .string(lb)), ("node", .string(node))]
        case .inspectedByAppliances(let lb, let appliances):
            fields += [("loadBalancer", .string(lb)), ("appliances", .array(appliances.map { .string($0) }))]
        case .fromGatewayLoadBalancerEndpoint(let e):
            fields.append(("endpoint", .string(e)))
        default:
            break
        }
        return .object(fields)
    }

    /// `{address, ports, unknownPublicAddressOf}`.
    public static func json(_ a: TranslatedAddress) -> JSONValue {
        .object([("address", .string(a.address.description)), ("ports", a.ports.map(json) ?? .null),
                 ("unknownPublicAddressOf", a.unknownPublicAddressOf.map { .string($0) } ?? .null)])
    }

    /// `{source, destination}`, each `{from, to}` or null.
    public static func json(_ t: Translation) -> JSONValue {
        func rewrite(_ r: AddressRewrite?) -> JSONValue {
            guard let r else { return .null }
            return .object([("from", json(r.from)), ("to", json(r.to))])
        }
        return .object([("source", rewrite(t.source)), ("destination", rewrite(t.destination))])
    }

    /// `{component, action, step, rule, translation, rewrite, packet}`: `action` and `translation` are the
    /// words (from ``ReachMessages``), `step` and `rewrite` the typed values.
    public static func json(_ h: Hop, files: SourceFileTable) -> JSONValue {
        .object([
            ("component", json(h.component)), ("action", .string(ReachMessages.text(h.action))), ("step", json(h.action)),
            ("rule", json(h.rule, files: files)),
            ("translation", h.translation.map { .string(ReachMessages.text($0)) } ?? .null),
            ("rewrite", h.translation.map(json) ?? .null),
            ("packet", .object(packetFields(h.header))),
        ])
    }

    /// A hop's packet; ICMP/ICMPv6 packets carry `icmpType` and `icmpCode`, and null ports (they have none).
    public static func packetFields(_ f: Flow) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("source", .string(f.source.description)), ("destination", .string(f.destination.description)),
            ("protocol", .int(Int(f.ipProtocol))),
            ("sourcePorts", f.hasPorts ? json(f.sourcePorts) : .null),
            ("destinationPorts", f.hasPorts ? json(f.destinationPorts) : .null),
        ]
        if IPProtocol.isICMP(f.ipProtocol) {
            fields.append(("icmpType", .int(Int(f.icmpTypeCode >> 8))))
            fields.append(("icmpCode", .int(Int(f.icmpTypeCode & 0xFF))))
        }
        return fields
    }

    static func place(_ l: SourceLocation?, _ files: SourceFileTable) -> (file: JSONValue, line: JSONValue) {
        guard let l, l.line > 0 else { return (.null, .null) }
        return (.string(files.name(of: l)), .int(l.line))
    }

    /// One blocker: `component`, `direction`, `code`, `rule`, `detail` (typed), `detailText`, `file`, `line`, `fix` (or null),
    /// `remark` (or null), `walkContinues`.
    public static func json(_ b: Blocker, files: SourceFileTable) -> JSONValue {
        let e = b.explanation
        let at = place(b.location, files)
        let fix: JSONValue = b.fix.map { f in
            let where_ = place(f.location, files)
            return .object([
                ("statement", .string(f.statement)), ("component", json(f.component)), ("edit", .string(f.edit.rawValue)),
                ("file", where_.file), ("line", where_.line),
                ("column", f.edit == .insertInline ? f.location.map { .int($0.column) } ?? .null : .null),
                ("replaces", f.replaces.map { .string($0) } ?? .null), ("text", .string(f.description)),
            ])
        } ?? .null
        return .object([
            ("component", json(e.component)), ("direction", .string(e.direction.rawValue)), ("code", .string(e.code.rawValue)),
            ("rule", json(b.rule, files: files)), ("detail", json(e.detail)), ("detailText", .string(e.detailText)), ("file", at.file), ("line", at.line), ("fix", fix),
            ("remark", b.remark.map { .string($0) } ?? .null), ("walkContinues", .bool(b.walkContinues)),
        ])
    }

    /// For a query to a load balancer: `{loadBalancer, node, zone, listener, targets: [{target, group, address,
    /// port, zone, health, getsTraffic, sourceAddress, state, code}]}`.
    public static func json(_ a: LoadBalancerAnswer) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        return .object([
            ("loadBalancer", json(a.loadBalancer)), ("node", .string(a.node)), ("zone", text(a.zone)), ("listener", text(a.listener)),
            ("targets", .array(a.targets.map { t in
                .object([("target", .string(t.target)), ("group", .string(t.group)), ("address", text(t.address?.description)),
                         ("port", .int(Int(t.port))), ("zone", text(t.zone)), ("health", text(t.health?.rawValue)),
                         ("getsTraffic", .bool(t.getsTraffic)), ("sourceAddress", text(t.sourceAddress?.description)),
                         ("state", text(t.state?.rawValue)), ("code", text(t.explanation?.code.rawValue))])
            })),
        ])
    }

    /// For a query over internet addresses: which end was the internet, the addresses that get through (the
    /// fewest CIDR blocks), whether that is every queried address, and the example address the paths show.
    public static func internetFields(_ a: InternetAnswer) -> [(String, JSONValue)] {
        [("internetSide", .string(a.side.rawValue)),
         ("addresses", .array(a.addresses.map { .string($0.description) })),
         ("allQueriedAddresses", .bool(a.coversQueriedSet)),
         ("exampleAddress", a.example.map { .string($0.description) } ?? .null)]
    }
}

extension CompiledTopology.OpenPortsAnswer {
    /// Reachable when one protocol is reachable for every client port; else partly when one is partly.
    public static func overallState(_ results: [CompiledTopology.OpenPortsAnswer]) -> ReachabilityState {
        results.contains { $0.verdict.state == .reachable } ? .reachable
            : results.contains { $0.verdict.state == .partlyReachable } ? .partlyReachable : .unreachable
    }
}
