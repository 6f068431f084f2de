import IPAddressing
import NetworkModel

/// Reasons a path is blocked, named after AWS Reachability Analyzer's explanation codes (semantics.md §12).
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
    case egressOnlyGatewayInbound = "EIGW_INBOUND_NOT_ALLOWED"
    case routingLoop = "ROUTING_LOOP"
    case noSourceOrDestination = "NO_SOURCE_OR_DESTINATION"
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
}

/// A named component: its kind, its name in the topology and its AWS id when known.
public struct ComponentRef: Hashable, Sendable, CustomStringConvertible {
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
public struct RuleRef: Hashable, Sendable, CustomStringConvertible {
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
    public var description: String {
        if let location, location.line > 0 { return "\(text) (\(location))" }
        return text
    }
}

/// A packet header as one hop sees it (after any translation before it): the traced ``Flow`` at that point.
public typealias HeaderView = Flow

extension Flow: CustomStringConvertible {
    public var description: String {
        if ipProtocol == 6 || ipProtocol == 17 {
            return "\(source):\(sourcePorts) -> \(destination):\(destinationPorts)"
        }
        if isICMP(ipProtocol) {
            return "\(source) -> \(destination) type \(icmpTypeCode >> 8) code \(icmpTypeCode & 0xFF)"
        }
        return "\(source) -> \(destination)"
    }
}

/// One step of a path: a component, what it did, the rule that decided, and any translation.
public struct Hop: Hashable, Sendable, CustomStringConvertible {
    public var component: ComponentRef
    /// What happened here: `egress allowed`, `route`, `nacl outbound`, `translated`, `delivered` …
    public var action: String
    public var rule: RuleRef?
    /// Address translation done at this hop (`source 10.0.0.10 -> 54.1.2.3`).
    public var translation: String?
    /// The packet as this hop saw it.
    public var header: HeaderView
    public init(component: ComponentRef, action: String, rule: RuleRef? = nil, translation: String? = nil, header: HeaderView) {
        self.component = component
        self.action = action
        self.rule = rule
        self.translation = translation
        self.header = header
    }
    public var description: String {
        var s = "\(component): \(action)"
        if let rule { s += " [\(rule)]" }
        if let translation { s += " {\(translation)}" }
        return s
    }
}

/// Why a path is blocked: the code, the direction, the component and rule, and a sentence.
public struct Explanation: Hashable, Sendable, CustomStringConvertible {
    public var code: ExplanationCode
    public var direction: PathDirection
    public var component: ComponentRef
    public var rule: RuleRef?
    /// A readable sentence: `no rule of sg db allows tcp/5432 from 10.0.0.10`.
    public var detail: String
    public init(code: ExplanationCode, direction: PathDirection, component: ComponentRef, rule: RuleRef? = nil, detail: String) {
        self.code = code
        self.direction = direction
        self.component = component
        self.rule = rule
        self.detail = detail
    }
    public var description: String {
        var s = "\(code.rawValue) (\(direction.rawValue) path) at \(component): \(detail)"
        if let rule { s += " [\(rule)]" }
        return s
    }
}

/// The answer to "can A reach B with this traffic?".
public struct Verdict: Hashable, Sendable {
    /// True when the request reaches the destination and (unless one-way) the reply gets back, for at least
    /// one client source port.
    public var isReachable: Bool
    /// Hops of the request, in order (up to the block when not reachable).
    public var forwardPath: [Hop]
    /// Hops of the reply (empty for one-way queries or when the request is blocked).
    public var returnPath: [Hop]
    /// Why it is not reachable; nil when reachable.
    public var explanation: Explanation?
    /// The client source ports asked about (default 1024-65535).
    public var requestedSourcePorts: PortSet
    /// The client source ports for which the connection works (empty when not reachable).
    public var workingSourcePorts: PortSet
    /// Extra remarks (partial port ranges, NAT port remapping, unknown public addresses).
    public var notes: [String]
    /// For a query from or to a set of internet addresses (`internet`, `internet:CIDR`): which of them get
    /// through; the paths above are those of its example address. nil for other queries.
    public var internet: InternetAnswer? = nil
    public init(isReachable: Bool, forwardPath: [Hop], returnPath: [Hop], explanation: Explanation?,
                requestedSourcePorts: PortSet, workingSourcePorts: PortSet, notes: [String]) {
        self.isReachable = isReachable
        self.forwardPath = forwardPath
        self.returnPath = returnPath
        self.explanation = explanation
        self.requestedSourcePorts = requestedSourcePorts
        self.workingSourcePorts = workingSourcePorts
        self.notes = notes
    }
}
