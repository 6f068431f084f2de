import IPAddressing
import NetworkModel

/// Reasons a path is blocked, named after AWS Reachability Analyzer's explanation codes (Docs/AWS-BEHAVIOUR.md §12).
public enum ExplanationCode: String, Hashable, Sendable, CaseIterable {
    case badStateRoute = "BAD_STATE_ROUTE"
    case eniAddressRestriction = "ENI_ADDRESS_RESTRICTION"
    case eniSGRulesMismatch = "ENI_SG_RULES_MISMATCH"
    case eniSourceDestCheckRestriction = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    case gatewayRejectsSpoofedTraffic = "GATEWAY_REJECTS_SPOOFED_TRAFFIC"
    case higherPriorityRoute = "HIGHER_PRIORITY_ROUTE"
    case igwDestinationAddressNotInRFC1918Egress = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
    case igwDestinationAddressNotInRFC6598Egress = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"
    case igwPrivateIPAssociationForIngress = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    case igwPublicIPAssociationForEgress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    case igwSourceAddressNotInRFC1918Ingress = "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS"
    case igwSourceAddressNotInRFC6598Ingress = "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS"
    case moreSpecificRoute = "MORE_SPECIFIC_ROUTE"
    case ngwRequiresSourceInVPC = "NGW_REQUIRES_SOURCE_IN_VPC"
    case noPossibleDestination = "NO_POSSIBLE_DESTINATION"
    case noRouteToDestination = "NO_ROUTE_TO_DESTINATION"
    case pcxRequiresAddressInVPCCIDR = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
    case protocolRestriction = "PROTOCOL_RESTRICTION"
    case sgHasNoRules = "SG_HAS_NO_RULES"
    case subnetACLRestriction = "SUBNET_ACL_RESTRICTION"
    case tgwAttachMissingTGWRTBAssociation = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
    case tgwAttachVPCAZRestriction = "TGW_ATTACH_VPC_AZ_RESTRICTION"
    case tgwRouteAZRestriction = "TGW_ROUTE_AZ_RESTRICTION"
    case tgwRTBBadStateRoute = "TGW_RTB_BAD_STATE_ROUTE"
    /// A TGW route lost to an equal-prefix route of higher priority (static > propagated; VPC > DX gateway > VPN, §6).
    case tgwRTBHigherPriorityRoute = "TGW_RTB_HIGHER_PRIORITY_ROUTE"
    /// A TGW route lost to a longer-prefix route.
    case tgwRTBMoreSpecificRoute = "TGW_RTB_MORE_SPECIFIC_ROUTE"
    case egressOnlyGatewayInbound = "EIGW_INBOUND_NOT_ALLOWED"
    case routingLoop = "ROUTING_LOOP"
    case noSourceOrDestination = "NO_SOURCE_OR_DESTINATION"
    case ngwSourceAddressReassign = "NGW_SOURCE_ADDRESS_REASSIGN"
    case sgReferencingSupport = "SG_REFERENCING_SUPPORT"
    case sgReferencesNotPreserved = "SG_REFERENCES_NOT_PRESERVED"
    /// The chosen route's target is outside the model (`-> unmodelled ID`): VPCKit cannot tell what happens
    /// beyond it, so the path is neither reachable nor proven unreachable.
    case unsupportedComponent = "UNSUPPORTED_COMPONENT"
    /// A gateway endpoint carries TCP and ICMP echo only.
    case vpceGatewayProtocolRestriction = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
    /// An interface endpoint's ENI never initiates a connection into its VPC.
    case vpceIntraVPCTraffic = "VPCE_INTRA_VPC_TRAFFIC"
    /// No path can exist: an endpoint (or a gateway endpoint's service) as the initiator, or traffic from outside
    /// a gateway endpoint's VPC routed into it.
    case noPath = "NO_PATH"
    /// A VPN connection whose tunnels are all down (its VGW end).
    case badStateVPN = "BAD_STATE_VPN"
    /// A VPN attachment of a transit gateway whose tunnels are all down.
    case tgwBadStateVPN = "TGW_BAD_STATE_VPN"
    /// A component that is down (a Direct Connect virtual interface not `available`).
    case badState = "BAD_STATE"
    /// The VGW carries toward on-premises only packets from a private address of its VPC.
    case vgwPrivateIPAssociationForEgress = "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS"
    /// The VGW delivers from on-premises only to private addresses in its VPC's blocks.
    case vgwPrivateIPAssociationForIngress = "VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    /// An application or network load balancer has no listener for the protocol and port.
    case elbv2ListenerPortRestriction = "ELBV2_LISTENER_PORT_RESTRICTION"
    /// A classic load balancer has no listener for the protocol and port.
    case elbListenerPortRestriction = "ELB_LISTENER_PORT_RESTRICTION"
    /// No target that gets traffic is in the node's availability zone (cross-zone off) or at all.
    case elbv2NoTargetsInAZ = "ELBV2_NO_TARGETS_IN_AZ"
    /// A classic load balancer without cross-zone load balancing has no instance in the node's zone.
    case elbNotCrossZone = "ELB_NOT_CROSSZONE"
    /// A network load balancer preserving the client address cannot send a target its own connection back
    /// (hairpin: the target is the client).
    case elbv2SourceAddressPreservation = "ELBV2_SOURCE_ADDRESS_PRESERVATION"
    /// A load balancer's listener forwards to no target group (a Gateway Load Balancer without its listener).
    case elbv2ListenerHasNoTG = "ELBV2_LISTENER_HAS_NO_TG"
    /// A Gateway Load Balancer sends to its appliances only on UDP port 6081 (GENEVE): an appliance whose security
    /// groups or subnet's NACLs do not admit that port from the load balancer's node never sees the packet.
    case gwlbDestinationPortRestriction = "GWLB_DESTINATION_PORT_RESTRICTION"
    /// A Gateway Load Balancer sends to its appliances only over UDP: an appliance that admits port 6081 for
    /// another protocol (TCP) only never sees the packet.
    case gwlbProtocolRestriction = "GWLB_PROTOCOL_RESTRICTION"
    /// The endpoint's service (a Gateway Load Balancer) has no node in the endpoint's availability zone.
    case vpceServiceNotInstalledInAZ = "VPCE_SERVICE_NOT_INSTALLED_IN_AZ"
    /// VPCKit's code (AWS has none): a flow's reply did not pass the Gateway Load Balancer endpoint(s) the request
    /// passed (it bypassed them, or entered another one), so the stateful appliance that saw the request never sees
    /// the reply and the flow is dropped (Docs/SEMANTICS.md "Gateway Load Balancers").
    case gwlbFlowSymmetryRestriction = "GWLB_FLOW_SYMMETRY_RESTRICTION"
}

/// Request (client → server) or reply (server → client).
public enum PathDirection: String, Hashable, Sendable {
    case forward, `return`
}

/// The kind of component a hop or explanation names.
public enum ComponentKind: String, Hashable, Sendable {
    case instance, networkInterface = "network-interface", subnet, vpc, routeTable = "route-table"
    case securityGroup = "security-group", networkACL = "network-acl", internetGateway = "internet-gateway"
    case egressOnlyGateway = "egress-only-gateway", natGateway = "nat-gateway", peering
    case transitGateway = "transit-gateway", tgwAttachment = "tgw-attachment", tgwRouteTable = "tgw-route-table"
    case internet
    case vpcEndpoint = "vpc-endpoint"
    case vpnGateway = "vpn-gateway", vpnConnection = "vpn-connection", virtualInterface = "dx-vif"
    case directConnectGateway = "dx-gateway", onPremises = "onprem"
    case loadBalancer = "load-balancer"
}

/// A named component: its kind, its name in the topology and its AWS id when known.
public struct ComponentRef: Hashable, Sendable, Codable, CustomStringConvertible {
    public var kind: ComponentKind
    public var name: String
    public var awsID: String?
    public init(kind: ComponentKind, name: String, awsID: String? = nil) {
        self.kind = kind
        self.name = name
        self.awsID = awsID
    }
    /// `network-acl db-nacl (acl-0abc…)`.
    public var description: String { "\(kind.rawValue) \(name)" + (awsID.map { " (\($0))" } ?? "") }
}

/// The route or rule that decided a hop: readable text and where it was written.
public struct RuleRef: Hashable, Sendable {
    /// `route 10.1.0.0/16 -> prod-shared`, `inbound 100 allow tcp 5432 from 10.0.10.0/24`, `implicit local route`.
    public var text: String
    /// The NACL rule number, when the rule is a NACL rule (32767 for the implicit final `*`).
    public var ruleNumber: Int?
    public var location: SourceLocation?
    public init(text: String, ruleNumber: Int? = nil, location: SourceLocation? = nil) {
        self.text = text
        self.ruleNumber = ruleNumber
        self.location = location
    }
    /// The text, and where it is written (`file:line:column` from `files`, the table of the topology the
    /// rule belongs to) when known.
    public func description(files: SourceFileTable) -> String {
        if let location, location.line > 0 { return "\(text) (\(files.place(of: location)))" }
        return text
    }
}

/// A packet header as one hop sees it (after any translation before it): the traced ``Flow`` at that point.
public typealias HeaderView = Flow

extension Flow: CustomStringConvertible {
    public var description: String {
        if IPProtocol.hasPorts(ipProtocol) {
            return "\(source):\(sourcePorts) -> \(destination):\(destinationPorts)"
        }
        if IPProtocol.isICMP(ipProtocol) {
            return "\(source) -> \(destination) type \(icmpTypeCode >> 8) code \(icmpTypeCode & 0xFF)"
        }
        return "\(source) -> \(destination)"
    }
}

/// One step of a path: the component checked, the rule that decided, the action taken and the packet after
/// it (and any translation done here). Typed throughout: renderers take the words from ``ReachMessages``.
public struct Hop: Hashable, Sendable, Codable {
    /// The component checked.
    public var component: ComponentRef
    /// What happened here (``StepAction``; its words: ``ReachMessages/text(_:)-(StepAction)``).
    public var action: StepAction
    /// The route or rule that decided, when one did.
    public var rule: RuleRef?
    /// Address translation done at this hop (printed `source 10.0.0.10 -> 54.1.2.3`).
    public var translation: Translation?
    /// The packet after this hop.
    public var header: HeaderView
    public init(component: ComponentRef, action: StepAction, rule: RuleRef? = nil, translation: Translation? = nil, header: HeaderView) {
        self.component = component
        self.action = action
        self.rule = rule
        self.translation = translation
        self.header = header
    }
    /// `component: action [rule] {translation}`; the rule's place from `files`, its topology's file table.
    public func description(files: SourceFileTable) -> String {
        var s = "\(component): \(action)"
        if let rule { s += " [\(rule.description(files: files))]" }
        if let translation { s += " {\(translation)}" }
        return s
    }
}

/// Why a path is blocked: the code, the direction, the component and rule, and the typed detail.
public struct Explanation: Hashable, Sendable, Codable {
    public var code: ExplanationCode
    public var direction: PathDirection
    public var component: ComponentRef
    public var rule: RuleRef?
    /// The values the sentence is made of (which component refused what, and why).
    public var detail: ExplanationDetail
    public init(code: ExplanationCode, direction: PathDirection, component: ComponentRef, rule: RuleRef? = nil, detail: ExplanationDetail) {
        self.code = code
        self.direction = direction
        self.component = component
        self.rule = rule
        self.detail = detail
    }
    /// The detail's sentence, ``ReachMessages/text(_:)-(ExplanationDetail)``: `no inbound rule of security
    /// group db-sg on db-1 allows tcp/5432 from 10.0.1.10`.
    public var detailText: String { ReachMessages.text(detail) }
    /// `CODE (direction path) at component: detail [rule]`; the rule's place from `files`, its topology's
    /// file table.
    public func description(files: SourceFileTable) -> String {
        var s = "\(code.rawValue) (\(direction.rawValue) path) at \(component): \(detailText)"
        if let rule { s += " [\(rule.description(files: files))]" }
        return s
    }
}

/// Whether a connection works: for every client source port asked about, for some, or for none.
///
/// Clients pick their source port from their OS's ephemeral range, so a connection whose replies pass for
/// only part of that range fails nearly every time: it is *partly reachable*, not reachable (Docs/SEMANTICS.md).
/// Protocols without ports (ICMP, `all`, `proto N`) and a query about one client port are two-valued.
public enum ReachabilityState: String, Hashable, Sendable, CustomStringConvertible {
    /// Every requested client port works.
    case reachable
    /// Some requested client ports work and some do not.
    case partlyReachable = "partly-reachable"
    /// No requested client port works.
    case unreachable
    /// `reachable`, `partly reachable`, `not reachable`.
    public var description: String {
        switch self {
        case .reachable: "reachable"
        case .partlyReachable: "partly reachable"
        case .unreachable: "not reachable"
        }
    }
}

/// The answer to "can A reach B with this traffic?".
///
/// Built only through ``reachable(forwardPath:returnPath:sourcePorts:notes:)``,
/// ``unreachable(_:forwardPath:returnPath:requestedSourcePorts:notes:)`` and
/// ``partlyReachable(working:of:explanation:forwardPath:returnPath:blockedReturnPath:notes:)``, so the
/// disposition and the ports always agree. The answer is ONE value, ``disposition``; ``state``,
/// ``isReachable`` and ``explanation`` are derived from it.
public struct Verdict: Hashable, Sendable {
    /// Hops of the request, in order (up to the block when no port gets through).
    public var forwardPath: [Hop]
    /// Hops of the reply for the working client ports (empty for one-way queries or when the request is
    /// blocked; up to the block when no port works).
    public var returnPath: [Hop]
    /// Hops of the reply for the failing client ports up to where they are stopped (partly reachable only).
    public private(set) var blockedReturnPath: [Hop]
    /// Reachable, partly reachable, blocked or unproven, with the explanation of every state but reachable.
    public private(set) var disposition: Disposition
    /// The client source ports asked about (default 1024-65535; one port for `--source-port`).
    public private(set) var requestedSourcePorts: PortSet
    /// The client source ports for which the connection works (a subset of ``requestedSourcePorts``).
    public private(set) var workingSourcePorts: PortSet
    /// Extra remarks (NAT port remapping, unknown public addresses, ICMP without reply).
    public var notes: [String]
    /// For a query from or to a set of internet addresses (`internet`, `internet:CIDR`): which of them get
    /// through; the paths above are those of its example address. nil for other queries.
    public var internet: InternetAnswer? = nil
    /// For a query to a load balancer: its node, listener and targets, with each target's outcome. nil for other
    /// queries.
    public var loadBalancer: LoadBalancerAnswer? = nil
    /// Open-ports mode to a load balancer (no port): one answer per listener port of the protocol, in port order
    /// (which targets each listener sends to, and how each answers). Empty for other queries.
    public var listenerAnswers: [LoadBalancerAnswer] = []

    init(forwardPath: [Hop], returnPath: [Hop], blockedReturnPath: [Hop], disposition: Disposition,
         requestedSourcePorts: PortSet, workingSourcePorts: PortSet, notes: [String]) {
        self.forwardPath = forwardPath
        self.returnPath = returnPath
        self.blockedReturnPath = blockedReturnPath
        self.disposition = disposition
        self.requestedSourcePorts = requestedSourcePorts
        self.workingSourcePorts = workingSourcePorts
        self.notes = notes
    }

    /// Every port of `sourcePorts` works.
    public static func reachable(forwardPath: [Hop], returnPath: [Hop], sourcePorts: PortSet, notes: [String]) -> Verdict {
        Verdict(forwardPath: forwardPath, returnPath: returnPath, blockedReturnPath: [], disposition: .reachable,
                requestedSourcePorts: sourcePorts, workingSourcePorts: sourcePorts, notes: notes)
    }

    /// No port of `requestedSourcePorts` works, for the reason `explanation` (unproven when its code is
    /// `UNSUPPORTED_COMPONENT`, else blocked).
    public static func unreachable(_ explanation: Explanation, forwardPath: [Hop], returnPath: [Hop],
                                   requestedSourcePorts: PortSet, notes: [String]) -> Verdict {
        Verdict(forwardPath: forwardPath, returnPath: returnPath, blockedReturnPath: [], disposition: .unreachable(explanation),
                requestedSourcePorts: requestedSourcePorts, workingSourcePorts: .empty, notes: notes)
    }

    /// The ports `working` of `requested` work; `explanation` and `blockedReturnPath` say where the others are
    /// stopped. `working` is clipped to `requested`; when that leaves every port or none, the verdict is
    /// reachable (explanation dropped) or unreachable.
    public static func partlyReachable(working: PortSet, of requested: PortSet, explanation: Explanation,
                                       forwardPath: [Hop], returnPath: [Hop], blockedReturnPath: [Hop],
                                       notes: [String]) -> Verdict {
        let w = working.intersection(requested)
        if w == requested { return reachable(forwardPath: forwardPath, returnPath: returnPath, sourcePorts: requested, notes: notes) }
        if w.isEmpty {
            return unreachable(explanation, forwardPath: forwardPath, returnPath: blockedReturnPath,
                               requestedSourcePorts: requested, notes: notes)
        }
        return Verdict(forwardPath: forwardPath, returnPath: returnPath, blockedReturnPath: blockedReturnPath,
                       disposition: .partlyReachable(explanation), requestedSourcePorts: requested, workingSourcePorts: w,
                       notes: notes)
    }

    /// Reachable for every requested client port, for some, or for none (blocked and unproven are both
    /// `.unreachable`).
    public var state: ReachabilityState {
        switch disposition {
        case .reachable: .reachable
        case .partlyReachable: .partlyReachable
        case .blocked, .unproven: .unreachable
        }
    }

    /// Why the failing client ports fail (every port when unreachable); nil when reachable.
    public var explanation: Explanation? { disposition.explanation }

    /// True when every requested client port works (``disposition`` is `.reachable`). A partly reachable
    /// connection is *not* reachable.
    public var isReachable: Bool {
        if case .reachable = disposition { return true }
        return false
    }

    /// The requested client ports for which the connection fails (empty when reachable).
    public var failingSourcePorts: PortSet { requestedSourcePorts.subtracting(workingSourcePorts) }
}

extension DefaultStringInterpolation {
    // Trace values print their rule's place through the topology's file table: `description(files:)`.
    // (Without these, `"\(hop)"` would compile and print the struct's fields; if the warning is ignored, places
    // print without their file.)
    @available(*, deprecated, message: "print through the topology's file table: description(files:)")
    public mutating func appendInterpolation(_ rule: RuleRef) { appendLiteral(rule.description(files: SourceFileTable())) }
    @available(*, deprecated, message: "print through the topology's file table: description(files:)")
    public mutating func appendInterpolation(_ rule: RuleRef?) {
        appendLiteral(rule?.description(files: SourceFileTable()) ?? "nil")
    }
    @available(*, deprecated, message: "print through the topology's file table: description(files:)")
    public mutating func appendInterpolation(_ hop: Hop) { appendLiteral(hop.description(files: SourceFileTable())) }
    @available(*, deprecated, message: "print through the topology's file table: description(files:)")
    public mutating func appendInterpolation(_ explanation: Explanation) {
        appendLiteral(explanation.description(files: SourceFileTable()))
    }
    @available(*, deprecated, message: "print through the topology's file table: description(files:)")
    public mutating func appendInterpolation(_ explanation: Explanation?) {
        appendLiteral(explanation?.description(files: SourceFileTable()) ?? "nil")
    }
}
