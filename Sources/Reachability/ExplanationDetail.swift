import IPAddressing
import NetworkModel

/// The typed values behind an explanation's sentence: which component refused what, and why. One case per
/// kind of refusal (its variants are a nested enum when they share the same values); the words are in
/// ``ReachMessages/text(_:)-(ExplanationDetail)``, so renderers (text, JSON, flow-log reject reasons,
/// assertion reports) read the values and never parse prose. Addresses are ``TranslatedAddress`` values
/// without ports: `unknownPublicAddressOf` marks VPCKit's placeholder for an interface's unknown public IP.
public enum ExplanationDetail: Hashable, Sendable, Codable {
    /// `ENI_SOURCE_DEST_CHECK_RESTRICTION`: the interface neither sent the packet nor is addressed by it.
    case sourceDestinationCheck(source: TranslatedAddress, destination: TranslatedAddress)
    /// `SG_HAS_NO_RULES`: the interface's security groups have no rule in this direction.
    case securityGroupsHaveNoRules(interface: String, inbound: Bool)
    /// `ENI_SG_RULES_MISMATCH` (no rule of `group` allows `traffic` from / to `peer`) or, with
    /// `crossVPCReferenceOnly`, `SG_REFERENCING_SUPPORT` (only a rule referencing another VPC's group would, and
    /// the path crosses a transit gateway without security-group referencing).
    case securityGroupRules(group: String, interface: String, inbound: Bool, traffic: BlockedTraffic,
                            peer: TranslatedAddress, crossVPCReferenceOnly: Bool)
    /// `SUBNET_ACL_RESTRICTION`: the subnet's network ACL denies `traffic` from / to `peer`, by rule
    /// `denyingRule` or (nil) by the final `*`.
    case networkACL(subnet: String, inbound: Bool, traffic: BlockedTraffic, peer: TranslatedAddress, denyingRule: Int?)
    /// A VPC or transit gateway route table cannot carry the packet to `destination`.
    case route(destination: TranslatedAddress, transitGateway: Bool, problem: RouteProblem)
    /// An internet gateway or egress-only internet gateway drops the packet.
    case gateway(source: TranslatedAddress, destination: TranslatedAddress, problem: GatewayProblem)
    /// NAT gateway `natGateway` does not translate or admit the packet.
    case natGateway(natGateway: String, source: TranslatedAddress, destination: TranslatedAddress, problem: NATGatewayProblem)
    /// `PCX_REQUIRES_ADDRESS_IN_VPC_CIDR`: peering `peering` between `vpcA` and `vpcB` is not transitive.
    case peeringNotTransitive(peering: String, vpcA: String, vpcB: String, source: TranslatedAddress, destination: TranslatedAddress)
    /// A transit gateway attachment cannot take or deliver the packet.
    case transitGatewayAttachment(attachment: String, destination: TranslatedAddress, problem: AttachmentProblem)
    /// `NO_POSSIBLE_DESTINATION` in a subnet: no interface of `subnet` holds `destination`, for `reason`.
    case unheldAddress(subnet: String, destination: TranslatedAddress, reason: UnheldAddressReason)
    /// `NO_POSSIBLE_DESTINATION` in a VPC: `destination` is in vpc `vpc` but in none of its subnets.
    case outsideSubnets(vpc: String, destination: TranslatedAddress)
    /// Nothing on the internet side can reach `destination` (no internet gateway or no public address).
    case notReachableFromInternet(destination: TranslatedAddress)
    /// `ROUTING_LOOP`: the walk took more than `steps` steps.
    case routingLoop(steps: Int)
    /// A query from the internet to `address`, a private address of `interface`.
    case privateAddressFromInternet(address: TranslatedAddress, interface: String)
    /// `NO_SOURCE_OR_DESTINATION`: an endpoint of the query has no `family` address.
    case endpointWithoutAddress(family: IPFamily)
    /// `NO_SOURCE_OR_DESTINATION`: both endpoints are on the internet.
    case bothEndpointsOnInternet
    /// `NO_SOURCE_OR_DESTINATION`: the queried internet addresses hold no `family` address.
    case noQueriedInternetAddress(family: IPFamily)
    /// The reply is denied for the client source ports `ports` (partly reachable, no finer reason).
    case replyDeniedForClientPorts(ports: PortSet)
    /// VPC endpoint `endpoint` (service `service`) cannot carry or start the connection.
    case vpcEndpoint(endpoint: String, service: String, problem: VPCEndpointProblem)
    /// Load balancer `loadBalancer` does not take `traffic` or has no target for it (`zone`: the node's zone).
    case loadBalancer(loadBalancer: String, problem: LoadBalancerProblem, traffic: BlockedTraffic, zone: String?)

    /// Why a load balancer does not carry a connection.
    public enum LoadBalancerProblem: String, Hashable, Sendable, Codable, CaseIterable {
        /// `ELBV2_LISTENER_PORT_RESTRICTION` / `ELB_LISTENER_PORT_RESTRICTION`.
        case noListener
        /// `ELBV2_NO_TARGETS_IN_AZ` / `ELB_NOT_CROSSZONE`: cross-zone off and no target in the node's zone.
        case noTargetInZone
        /// `ELBV2_NO_TARGETS_IN_AZ`: no target gets traffic at all.
        case noHealthyTarget
        /// `NO_PATH`: a load balancer as the query's source.
        case initiates
        /// `ELBV2_SOURCE_ADDRESS_PRESERVATION`: the client is the target (client-IP preservation, hairpin).
        case hairpin
        /// `UNSUPPORTED_COMPONENT`: a Gateway Load Balancer addressed directly; it takes packets only through its
        /// endpoints (a route to one), never as a destination (Docs/SEMANTICS.md "Gateway Load Balancers").
        case onlyThroughEndpoints
        /// `ELBV2_LISTENER_HAS_NO_TG`: a Gateway Load Balancer without a listener (or whose listener names no
        /// target group of its VPC): its endpoints' packets go nowhere.
        case noTargetGroup
        /// `VPCE_SERVICE_NOT_INSTALLED_IN_AZ`: the Gateway Load Balancer has no node in the endpoint's zone.
        case noNodeInEndpointZone
        /// `UNSUPPORTED_COMPONENT`: an appliance the Gateway Load Balancer sends to is not an interface of the model
        /// (an address no interface holds, or in another VPC): what it does is unknown.
        case applianceNotModelled
        /// `GWLB_FLOW_SYMMETRY_RESTRICTION`: the reply did not come back through the endpoint the request took.
        case replyBypassedEndpoint
        /// `GWLB_FLOW_SYMMETRY_RESTRICTION`: the reply entered an endpoint the request did not pass.
        case replyThroughOtherEndpoint
    }

    /// Why a VPC endpoint cannot carry or start a connection.
    public enum VPCEndpointProblem: String, Hashable, Sendable, Codable, CaseIterable {
        /// `VPCE_GATEWAY_PROTOCOL_RESTRICTION`: not TCP or ICMP echo.
        case protocolNotCarried
        /// `VPCE_GATEWAY_PROTOCOL_RESTRICTION`: IPv6 (gateway endpoints are modelled IPv4 only).
        case ipv6NotCarried
        /// `NO_PATH`: the packet did not start in the gateway endpoint's VPC (peering, TGW, VPN, Direct Connect).
        case sourceOutsideVPC
        /// `VPCE_INTRA_VPC_TRAFFIC` / `NO_PATH`: an interface endpoint's ENI as the initiator.
        case endpointInitiates
        /// `NO_PATH`: a gateway endpoint's service as the initiator (it only answers).
        case serviceInitiates
        /// `NO_ROUTE_TO_DESTINATION`: the source's route table does not send the service's addresses to the
        /// gateway endpoint (they leave another way, or not at all).
        case notRoutedThroughEndpoint
        /// `PROTOCOL_RESTRICTION`: an interface endpoint carries TCP only (§10 [choice]).
        case interfaceCarriesTCPOnly
    }
    /// An edge to on-premises (a VGW, VPN connection, VIF or Direct Connect gateway) did not carry the packet;
    /// `edge` is its name (and AWS id in parentheses when known).
    case edge(edge: String, source: TranslatedAddress, destination: TranslatedAddress, problem: EdgeProblem)

    /// Why a route table cannot carry the packet.
    public enum RouteProblem: Hashable, Sendable, Codable {
        /// `NO_ROUTE_TO_DESTINATION`: no route matches.
        case noRoute
        /// `BAD_STATE_ROUTE` / `TGW_RTB_BAD_STATE_ROUTE`: the destination matches a blackhole route.
        case blackhole
        /// `BAD_STATE_ROUTE`: the route's target `target` is not usable from this VPC.
        case unusableTarget(String)
        /// `ROUTING_LOOP`: the route points back at the sending interface.
        case pointsBackAtSender
        /// `NO_ROUTE_TO_DESTINATION`: the NAT gateway's own subnet table sends the destination back to it.
        case natGatewaySendsBackToItself
        /// `UNSUPPORTED_COMPONENT`: routed to `target` (nil: unknown), which VPCKit does not model.
        case unmodelledTarget(String?)
        /// Any other refusal at the route.
        case other
    }

    /// Why an internet gateway or egress-only internet gateway drops the packet.
    public enum GatewayProblem: String, Hashable, Sendable, Codable, CaseIterable {
        /// `IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS`.
        case sourceHasNoPublicAddress
        /// `IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS`.
        case destinationNotPublic
        /// `IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS` / `…RFC6598…`.
        case destinationPrivate
        /// `IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS` / `…RFC6598…`.
        case sourcePrivate
        /// `EIGW_INBOUND_NOT_ALLOWED`.
        case inboundToEgressOnly
        /// Any other drop.
        case dropped
    }

    /// Why a NAT gateway does not carry the packet.
    public enum NATGatewayProblem: String, Hashable, Sendable, Codable, CaseIterable {
        /// `NGW_REQUIRES_SOURCE_IN_VPC`.
        case sourceOutsideVPC
        /// `PROTOCOL_RESTRICTION`.
        case protocolNotTranslated
        /// `NGW_SOURCE_ADDRESS_REASSIGN`: a reply routed into it is translated like a new connection.
        case replyTranslatedAgain
        /// `NO_POSSIBLE_DESTINATION`: it admits no inbound-initiated flows.
        case inboundInitiated
    }

    /// Why a transit gateway attachment cannot take or deliver the packet.
    public enum AttachmentProblem: String, Hashable, Sendable, Codable, CaseIterable {
        /// `TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION`.
        case noAssociatedRouteTable
        /// `TGW_ROUTE_AZ_RESTRICTION`.
        case noSubnetInSendersZone
        /// `NO_POSSIBLE_DESTINATION`: the destination is one of the attachment's own interfaces.
        case destinationIsAttachmentInterface
        /// `TGW_ATTACH_VPC_AZ_RESTRICTION`: appliance mode off, the reply entered another AZ's appliance.
        case applianceModeOff
        /// Any other refusal.
        case cannotDeliver
    }

    /// Why an address of a subnet has no interface: AWS reserves the first four and the last address of every
    /// subnet (IPv4 and IPv6); any other is simply not assigned.
    /// Why an edge to on-premises did not carry a packet.
    public enum EdgeProblem: String, Hashable, Sendable, Codable, CaseIterable {
        /// VPC → on-premises from an address that is not a private address of the VGW's VPC.
        case sourceNotPrivate
        /// On-premises → VPC to an address that is not a private address in a VPC block (an EIP, a public IP).
        case destinationNotPrivate
        /// No edge of the VGW announces the destination.
        case notAnnounced
        /// The edge named announces nothing at all: its on-premises routes are unknown (`--onprem CIDR@EDGE`).
        case routesUnknown
        /// The VPN connection's tunnels are all down.
        case tunnelsDown
        /// The virtual interface is not available.
        case interfaceDown
        /// The destination's VPC has no VGW with an edge to on-premises.
        case noEdge
        /// The Direct Connect gateway association does not advertise the destination to on-premises.
        case notAllowedOnAssociation
    }

    public enum UnheldAddressReason: String, Hashable, Sendable, Codable, CaseIterable {
        case networkAddress, vpcRouter, dnsResolver, futureUse, lastAddress, notAssigned
    }

    /// The detail's stable name (JSON `reason.kind`), e.g. `networkACL`.
    public var kind: Kind {
        switch self {
        case .sourceDestinationCheck: .sourceDestinationCheck
        case .securityGroupsHaveNoRules: .securityGroupsHaveNoRules
        case .securityGroupRules: .securityGroupRules
        case .networkACL: .networkACL
        case .route: .route
        case .gateway: .gateway
        case .natGateway: .natGateway
        case .peeringNotTransitive: .peeringNotTransitive
        case .transitGatewayAttachment: .transitGatewayAttachment
        case .unheldAddress: .unheldAddress
        case .outsideSubnets: .outsideSubnets
        case .notReachableFromInternet: .notReachableFromInternet
        case .routingLoop: .routingLoop
        case .privateAddressFromInternet: .privateAddressFromInternet
        case .endpointWithoutAddress: .endpointWithoutAddress
        case .bothEndpointsOnInternet: .bothEndpointsOnInternet
        case .noQueriedInternetAddress: .noQueriedInternetAddress
        case .replyDeniedForClientPorts: .replyDeniedForClientPorts
        case .vpcEndpoint: .vpcEndpoint
        case .edge: .edge
        case .loadBalancer: .loadBalancer
        }
    }

    /// The cases of ``ExplanationDetail`` without their values (JSON `reason.kind`).
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case sourceDestinationCheck, securityGroupsHaveNoRules, securityGroupRules, networkACL, route, gateway, natGateway
        case peeringNotTransitive, transitGatewayAttachment, unheldAddress, outsideSubnets, notReachableFromInternet
        case routingLoop, privateAddressFromInternet, endpointWithoutAddress, bothEndpointsOnInternet
        case noQueriedInternetAddress, replyDeniedForClientPorts, vpcEndpoint, edge, loadBalancer
    }
}

/// The traffic an explanation is about: the protocol and, for TCP/UDP, the destination ports, for ICMP and
/// ICMPv6 the type and code (printed `tcp/5432`, `icmp type 8 code 0`, `proto 47`).
public struct BlockedTraffic: Hashable, Sendable, Codable {
    public var ipProtocol: UInt8
    /// The destination ports (TCP and UDP only).
    public var destinationPorts: PortSet?
    /// The ICMP type and code (ICMP and ICMPv6 only).
    public var icmpType: UInt8?, icmpCode: UInt8?
    public init(ipProtocol: UInt8, destinationPorts: PortSet? = nil, icmpType: UInt8? = nil, icmpCode: UInt8? = nil) {
        self.ipProtocol = ipProtocol
        self.destinationPorts = destinationPorts
        self.icmpType = icmpType
        self.icmpCode = icmpCode
    }
    /// The traffic of a packet header.
    public init(_ f: Flow) {
        let icmp = IPProtocol.isICMP(f.ipProtocol)
        self.init(ipProtocol: f.ipProtocol, destinationPorts: f.hasPorts ? f.destinationPorts : nil,
                  icmpType: icmp ? UInt8(truncatingIfNeeded: f.icmpTypeCode >> 8) : nil,
                  icmpCode: icmp ? UInt8(truncatingIfNeeded: f.icmpTypeCode & 0xFF) : nil)
    }
}
