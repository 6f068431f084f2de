import IPAddressing
import NetworkModel

// Why the data plane dropped a replayed packet: a small index value the walk hands to the observer (no strings,
// no allocation), resolved to names, rules and source locations only when a caller writes it.

/// Where and why ``CompiledTopology/forward(_:from:tracked:observer:)`` dropped a packet, by index.
///
/// `Hashable` and a few words large, so a caller can keep one per decision (or intern them) and turn it into
/// text with ``CompiledTopology/explain(_:source:destination:ipProtocol:sourcePort:destinationPort:)`` only
/// when it prints.
public struct DropSite: Hashable, Sendable {
    /// The explanation code (Docs/AWS-BEHAVIOUR.md §12).
    public let code: ExplanationCode
    /// The blocking component's kind and indices (an encoding of the walk's internal block site).
    @usableFromInline let kind: UInt8
    @usableFromInline let a: Int32, b: Int32, c: Int32
    @usableFromInline let flag: Bool
    /// The dropped packet's ICMP type and code (`type << 8 | code`); the sentence names them.
    @usableFromInline let icmpTypeCode: UInt16
    /// The packet belonged to a tracked connection (a reply): the explanation's path is the return path.
    public let tracked: Bool

    init(_ block: Block, icmpTypeCode: UInt16, tracked: Bool) {
        code = block.code
        self.icmpTypeCode = icmpTypeCode
        self.tracked = tracked
        var kind: UInt8 = 0, a: Int32 = -1, b: Int32 = -1, c: Int32 = -1, flag = false
        switch block.site {
        case .interface(let i): kind = 0; a = i
        case .securityGroups(let i, let ingress): kind = 1; a = i; flag = ingress
        case .networkACL(let s, let inbound, let rule, let deny): kind = 2; a = s; flag = inbound; b = rule; c = deny
        case .routeTable(let t, let r): kind = 3; a = t; b = r
        case .internetGateway(let v): kind = 4; a = v
        case .egressOnlyGateway(let v): kind = 5; a = v
        case .natGateway(let n): kind = 6; a = n
        case .peering(let p): kind = 7; a = p
        case .tgwAttachment(let t): kind = 8; a = t
        case .tgwRouteTable(let t, let r): kind = 9; a = t; b = r
        case .vpc(let v): kind = 10; a = v
        case .subnet(let s): kind = 11; a = s
        case .vpcEndpoint(let g): kind = 14; a = g
        case .gatewayLoadBalancerEndpoint(let g, let bypassed): kind = 15; a = g; flag = bypassed
        case .internet: kind = 12
        case .edge(let v, let e, let problem):
            kind = 13; a = v; b = e; c = Int32(ExplanationDetail.EdgeProblem.allCases.firstIndex(of: problem) ?? 0)
        }
        self.kind = kind
        self.a = a
        self.b = b
        self.c = c
        self.flag = flag
    }

    // Written out: `ExplanationCode` has `String` raw values, so the synthesised conformance would hash and compare
    // the code's text. The indices are hashed as two words; the code (almost always the same for one site) is
    // compared last.
    @inlinable public static func == (l: DropSite, r: DropSite) -> Bool {
        l.kind == r.kind && l.a == r.a && l.b == r.b && l.c == r.c && l.flag == r.flag && l.tracked == r.tracked
            && l.icmpTypeCode == r.icmpTypeCode && l.code == r.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(UInt64(kind) | UInt64(icmpTypeCode) << 8 | (flag ? 1 << 24 : 0) | (tracked ? 1 << 25 : 0)
                       | UInt64(UInt32(bitPattern: c)) << 32)
        hasher.combine(UInt64(UInt32(bitPattern: a)) | UInt64(UInt32(bitPattern: b)) << 32)
    }

    /// A cheap 64-bit mix of the site's indices for callers' small caches (not `Hasher`: no seed, no
    /// finalisation; equal sites give equal keys).
    @inlinable public var cacheKey: UInt64 {
        let w0 = UInt64(kind) | UInt64(icmpTypeCode) << 8 | (flag ? 1 << 24 : 0) | (tracked ? 1 << 25 : 0)
            | UInt64(UInt32(bitPattern: c)) << 32
        let w1 = UInt64(UInt32(bitPattern: a)) | UInt64(UInt32(bitPattern: b)) << 32
        return (w0 &* 0xBF58_476D_1CE4_E5B9) ^ w1
    }

    var block: Block {
        let site: BlockSite
        switch kind {
        case 0: site = .interface(a)
        case 1: site = .securityGroups(interface: a, ingress: flag)
        case 2: site = .networkACL(subnet: a, inbound: flag, rule: b, denyRule: c)
        case 3: site = .routeTable(a, route: b)
        case 4: site = .internetGateway(vpc: a)
        case 5: site = .egressOnlyGateway(vpc: a)
        case 6: site = .natGateway(a)
        case 7: site = .peering(a)
        case 8: site = .tgwAttachment(a)
        case 9: site = .tgwRouteTable(a, route: b)
        case 10: site = .vpc(a)
        case 11: site = .subnet(a)
        case 13:
            let all = ExplanationDetail.EdgeProblem.allCases
            site = .edge(vpc: a, edge: b, problem: c >= 0 && Int(c) < all.count ? all[Int(c)] : .notAnnounced)
        case 14: site = .vpcEndpoint(a)
        case 15: site = .gatewayLoadBalancerEndpoint(a, bypassed: flag)
        default: site = .internet
        }
        return Block(code: code, site: site)
    }
}

/// A drop with names: the explanation (code, path direction, component, deciding rule, sentence), the direction at the
/// component that dropped it and where the rule or component is written.
public struct DropExplanation: Hashable, Sendable {
    public var explanation: Explanation
    /// `inbound`/`outbound` for a network ACL, `ingress`/`egress` for security groups; nil for other components.
    public var componentDirection: String?
    /// The rule that dropped the packet: a NACL deny rule, or the implicit final `*` rule (number 32767, no
    /// location). nil when no rule admits the packet (security groups: they have only allow rules).
    public var rule: RuleRef?
    /// Where to look: the deciding rule's line when it has one, else the component's definition (the first
    /// security group of the interface's set, the NACL, the route table …); nil when unknown (imported JSON
    /// without locations, or a component the topology does not spell out).
    public var location: SourceLocation?
    /// The name of ``location``'s file, from the topology's ``SourceFileTable`` (``CompiledTopology/explain(_:source:destination:ipProtocol:sourcePort:destinationPort:)``
    /// fills it in; empty when unknown).
    public var file: String = ""
    /// The VPC endpoint on the dropped packet's way, when there is one (Docs/AWS-BEHAVIOUR.md §10): the endpoint that
    /// refused it (the blocking component itself), the interface endpoint whose ENI or subnet dropped it (its
    /// groups, its subnet's NACL), the gateway endpoint the sender's route table sends the destination to (the
    /// sender's egress groups or outbound NACL dropped it before it got there), or the gateway endpoint whose
    /// service's answer the receiver's subnet NACL dropped. nil otherwise.
    public var endpoint: ComponentRef? = nil

    public init(explanation: Explanation, componentDirection: String?, rule: RuleRef?, location: SourceLocation?) {
        self.explanation = explanation
        self.componentDirection = componentDirection
        self.rule = rule
        self.location = location
    }
}

extension PacketObserver {
    /// Default: the drop's site is not wanted.
    public mutating func dropped(at site: DropSite) {}
}

extension CompiledTopology {
    /// Names a drop that ``forward(_:from:tracked:observer:)`` reported, for the packet as it was where it was
    /// dropped (its addresses, protocol and ports at that point: what a flow log record of it shows).
    public func explain(_ site: DropSite, source: IPAddress, destination: IPAddress, ipProtocol: UInt8,
                        sourcePort: UInt16, destinationPort: UInt16) -> DropExplanation {
        let usesPorts = IPProtocol.hasPorts(ipProtocol)
        let flow = Flow(source: source, destination: destination, ipProtocol: ipProtocol,
                        sourcePorts: PortSet(port: usesPorts ? sourcePort : 0),
                        destinationPorts: PortSet(port: usesPorts ? destinationPort : 0),
                        icmpTypeCode: site.icmpTypeCode)
        let block = site.block
        let explanation = explanation(block, flow: flow, direction: site.tracked ? .return : .forward)
        var side: String? = nil  // the component direction
        var rule: RuleRef? = nil
        var location: SourceLocation? = nil
        func known(_ l: SourceLocation?) -> SourceLocation? {
            guard let l, l.line > 0 else { return nil }
            return l
        }
        switch block.site {
        case .securityGroups(let i, let ingress):
            side = ingress ? "ingress" : "egress"
            let set = interfaces[Int(i)].securityGroupSet
            if set >= 0, let g = securityGroupSets[Int(set)].groups.first { location = known(securityGroups[Int(g)].location) }
        case .networkACL(let s, let inbound, _, _):
            side = inbound ? "inbound" : "outbound"
            rule = explanation.rule
            let acl = subnets[Int(s)].networkACL
            location = known(rule?.location) ?? (acl >= 0 ? known(networkACLs[Int(acl)].location) : nil)
        case .routeTable(let t, _):
            rule = explanation.rule
            location = known(rule?.location) ?? known(routeTables[Int(t)].location)
        case .tgwRouteTable(let t, _):
            rule = explanation.rule
            location = known(rule?.location) ?? known(tgwRouteTables[Int(t)].location)
        case .tgwAttachment(let a):
            location = known(tgwAttachments[Int(a)].location)
        case .vpcEndpoint(let g), .gatewayLoadBalancerEndpoint(let g, _):
            location = known(resolved.model(VPCEndpointID(g)).location)
        case .interface, .internetGateway, .egressOnlyGateway, .natGateway, .peering, .vpc, .subnet, .internet, .edge:
            break
        }
        var named = DropExplanation(explanation: explanation, componentDirection: side, rule: rule, location: location)
        if let location { named.file = topology.files.name(of: location) }
        if hasVPCEndpoints { named.endpoint = endpointOnTheWay(block.site, source: source, destination: destination, reply: site.tracked) }
        return named
    }

    /// ``DropExplanation/endpoint``: the VPC endpoint a drop at `site` was on the way to or from.
    func endpointOnTheWay(_ site: BlockSite, source: IPAddress, destination: IPAddress, reply: Bool) -> ComponentRef? {
        func ofInterface(_ i: Int32) -> VPCEndpointID? {
            guard i >= 0, Int(i) < interfaces.count, case .vpcEndpoint(let e) = interfaces[Int(i)].kind else { return nil }
            return e
        }
        /// The gateway endpoint interface `i`'s subnet routes `address` to.
        func gatewayRoute(_ i: Int32, to address: IPAddress) -> VPCEndpointID? {
            guard i >= 0, Int(i) < interfaces.count,
                  case .gatewayEndpoint(let g) = egressRoute(fromInterface: InterfaceID(i), to: address) else { return nil }
            return g
        }
        /// The sender (egress side) or receiver (ingress side) at interface `i`.
        func around(_ i: Int32, egress: Bool) -> VPCEndpointID? {
            if let e = ofInterface(i) { return e }
            if egress { return gatewayRoute(i, to: destination) }
            // Ingress: a reply from the service behind the gateway endpoint the receiver's request left by.
            return reply ? gatewayRoute(i, to: source) : nil
        }
        let id: VPCEndpointID?
        switch site {
        case .vpcEndpoint(let g): id = g >= 0 && Int(g) < resolved.vpcEndpoints.count ? VPCEndpointID(g) : nil
        case .securityGroups(let i, let ingress): id = around(i, egress: !ingress)
        case .networkACL(let s, let inbound, _, _):
            // The interface on this side of the NACL: the receiver of an inbound packet, the sender of an outbound one.
            guard s >= 0, Int(s) < subnets.count else { return nil }
            id = around(privateOwner(vpc: subnets[Int(s)].vpc, inbound ? destination : source), egress: !inbound)
        default: id = nil
        }
        return id.map(vpcEndpointComponent)
    }
}
