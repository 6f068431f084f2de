import IPAddressing

/// What a hop of a trace did with the packet: the typed action of one step (Batfish's `StepAction`).
///
/// The words a renderer prints come from ``ReachMessages/text(_:)-(StepAction)`` (one table), never from the walk.
/// Names carried as values are the topology's names of the components involved.
public enum StepAction: Hashable, Sendable, Codable {
    /// The sender's security groups allowed the packet out.
    case egressAllowed
    /// A tracked connection's reply left the interface (its security groups are stateful: no rule check).
    case egressTracked
    /// The receiver's security groups allowed the packet in.
    case ingressAllowed
    /// Destination in the sender's own subnet: delivered at layer 2, no route table, no NACL.
    case sameSubnet
    /// The subnet's route table chose the route in the hop's rule.
    case routeLookup
    /// A subnet's network ACL allowed the packet in (`inbound: true`) or out, on subnet `subnet`.
    case networkACLAllowed(inbound: Bool, subnet: String)
    /// Out through the internet gateway (IPv4: the source becomes the public address).
    case toInternet
    /// Out through the internet gateway, IPv6 (no translation).
    case toInternetIPv6
    /// Out through the egress-only internet gateway (IPv6).
    case toInternetEgressOnly
    /// In through the internet gateway (IPv4: the destination becomes the private address).
    case fromInternet
    /// In through the internet (or egress-only) gateway, IPv6.
    case fromInternetIPv6
    /// Across a VPC peering into vpc `vpc`.
    case crossedPeering(vpc: String)
    /// Delivered to the interface that holds the destination.
    case delivered
    /// An appliance (source/destination check off) forwarded the packet on.
    case forwardedByAppliance
    /// A NAT gateway rewrote a reply back to the original client.
    case replyTranslatedBack
    /// A NAT gateway rewrote the source (IPv4 NAT).
    case sourceTranslated
    /// A NAT gateway translated IPv6 to IPv4 (NAT64).
    case translatedNAT64
    /// A transit gateway route table chose the route in the hop's rule.
    case transitGatewayRouteLookup
    /// A transit gateway attachment delivered the packet into vpc `vpc` through subnet `subnet`.
    case transitGatewayDelivered(vpc: String, subnet: String)
    /// The Amazon DNS resolver answered (security groups and NACLs do not filter it).
    case answeredByDNSResolver
    /// The Amazon DNS resolver's reply.
    case dnsResolverReply
    /// Handed to gateway endpoint's AWS service `service` (`s3`): the far side is not modelled.
    case toGatewayEndpoint(service: String)
    /// A reply from gateway endpoint's service `service` into the endpoint's VPC.
    case fromGatewayEndpoint(service: String)
    /// Left AWS toward on-premises over edge `edge` (the far side is not modelled).
    case toOnPremises(edge: String)
    /// Entered the VPC from on-premises over edge `edge`.
    case fromOnPremises(edge: String)
    /// A load balancer's listener `listener` (`https 443`) accepted the connection; `targets`: the target groups
    /// it forwards to (empty: the load balancer answers itself).
    case acceptedByListener(loadBalancer: String, listener: String, targetGroups: [String])
    /// The load balancer opened a new connection to target `target`, from its node's address or (client-IP
    /// preservation) the client's.
    case newConnectionToTarget(loadBalancer: String, target: String, preservesClientIP: Bool)
    /// The target's reply reached the load balancer node, which relays it to the client.
    case relayedByLoadBalancer(loadBalancer: String)
    /// Routed to Gateway Load Balancer endpoint `endpoint`, which hands the packet to gateway load balancer
    /// `loadBalancer` (Docs/SEMANTICS.md "Gateway Load Balancers").
    case toGatewayLoadBalancerEndpoint(endpoint: String, loadBalancer: String)
    /// The gateway load balancer's node `node` (`LB@SUBNET`, the one in the endpoint's zone) took the packet and
    /// sends it to an appliance over GENEVE (UDP 6081).
    case gatewayLoadBalancerNode(loadBalancer: String, node: String)
    /// The appliances the node may send the flow to (each admits GENEVE from the node) returned the packet
    /// unchanged (a transparent bump in the wire).
    case inspectedByAppliances(loadBalancer: String, appliances: [String])
    /// Back out of Gateway Load Balancer endpoint `endpoint`, on by its subnet's route table.
    case fromGatewayLoadBalancerEndpoint(endpoint: String)

    /// The action's stable name (JSON `action.kind`), e.g. `networkACLAllowed`.
    public var kind: String {
        switch self {
        case .egressAllowed: "egressAllowed"
        case .egressTracked: "egressTracked"
        case .ingressAllowed: "ingressAllowed"
        case .sameSubnet: "sameSubnet"
        case .routeLookup: "routeLookup"
        case .networkACLAllowed: "networkACLAllowed"
        case .toInternet: "toInternet"
        case .toInternetIPv6: "toInternetIPv6"
        case .toInternetEgressOnly: "toInternetEgressOnly"
        case .fromInternet: "fromInternet"
        case .fromInternetIPv6: "fromInternetIPv6"
        case .crossedPeering: "crossedPeering"
        case .delivered: "delivered"
        case .forwardedByAppliance: "forwardedByAppliance"
        case .replyTranslatedBack: "replyTranslatedBack"
        case .sourceTranslated: "sourceTranslated"
        case .translatedNAT64: "translatedNAT64"
        case .transitGatewayRouteLookup: "transitGatewayRouteLookup"
        case .transitGatewayDelivered: "transitGatewayDelivered"
        case .answeredByDNSResolver: "answeredByDNSResolver"
        case .dnsResolverReply: "dnsResolverReply"
        case .toGatewayEndpoint: "toGatewayEndpoint"
        case .fromGatewayEndpoint: "fromGatewayEndpoint"
        case .toOnPremises: "toOnPremises"
        case .fromOnPremises: "fromOnPremises"
        case .acceptedByListener: "acceptedByListener"
        case .newConnectionToTarget: "newConnectionToTarget"
        case .relayedByLoadBalancer: "relayedByLoadBalancer"
        case .toGatewayLoadBalancerEndpoint: "toGatewayLoadBalancerEndpoint"
        case .gatewayLoadBalancerNode: "gatewayLoadBalancerNode"
        case .inspectedByAppliances: "inspectedByAppliances"
        case .fromGatewayLoadBalancerEndpoint: "fromGatewayLoadBalancerEndpoint"
        }
    }

    /// One value of every case (associated values are placeholders): what the message-table test iterates.
    public static let allKinds: [StepAction] = [
        .egressAllowed, .egressTracked, .ingressAllowed, .sameSubnet, .routeLookup,
        .networkACLAllowed(inbound: true, subnet: "s"), .toInternet, .toInternetIPv6, .toInternetEgressOnly,
        .fromInternet, .fromInternetIPv6, .crossedPeering(vpc: "v"), .delivered, .forwardedByAppliance,
        .replyTranslatedBack, .sourceTranslated, .translatedNAT64, .transitGatewayRouteLookup,
        .transitGatewayDelivered(vpc: "v", subnet: "s"), .answeredByDNSResolver, .dnsResolverReply,
        .toGatewayEndpoint(service: "s"), .fromGatewayEndpoint(service: "s"),
        .toOnPremises(edge: "e"), .fromOnPremises(edge: "e"),
        .acceptedByListener(loadBalancer: "l", listener: "tcp 80", targetGroups: ["g"]),
        .newConnectionToTarget(loadBalancer: "l", target: "t", preservesClientIP: true), .relayedByLoadBalancer(loadBalancer: "l"),
        .toGatewayLoadBalancerEndpoint(endpoint: "e", loadBalancer: "l"), .gatewayLoadBalancerNode(loadBalancer: "l", node: "n"),
        .inspectedByAppliances(loadBalancer: "l", appliances: ["a"]), .fromGatewayLoadBalancerEndpoint(endpoint: "e"),
    ]
}

/// One side of an address translation: the address, its ports when the packet carries them, and — for an
/// internet gateway's synthetic stand-in for a public IP the topology does not give — whose public IP it is.
public struct TranslatedAddress: Hashable, Sendable {
    public var address: IPAddress
    /// The ports after the address (nil: not printed — ICMP, `proto N`, or a NAT64 destination).
    public var ports: PortSet?
    /// Set when `address` is VPCKit's placeholder for the unknown public IP of this interface.
    public var unknownPublicAddressOf: String?
    public init(address: IPAddress, ports: PortSet? = nil, unknownPublicAddressOf: String? = nil) {
        self.address = address
        self.ports = ports
        self.unknownPublicAddressOf = unknownPublicAddressOf
    }
}

/// An address (and port) rewrite: what the packet carried before and after.
public struct AddressRewrite: Hashable, Sendable, Codable {
    public var from: TranslatedAddress
    public var to: TranslatedAddress
    public init(from: TranslatedAddress, to: TranslatedAddress) {
        self.from = from
        self.to = to
    }
}

/// The address translation a hop did (internet gateway 1:1 NAT, NAT gateway, NAT64).
public enum Translation: Hashable, Sendable, Codable {
    case source(AddressRewrite)
    case destination(AddressRewrite)
    /// NAT64: the source becomes the gateway's IPv4 address and the destination the embedded IPv4 address.
    case sourceAndDestination(source: AddressRewrite, destination: AddressRewrite)

    /// The source rewrite, if any.
    public var source: AddressRewrite? {
        switch self {
        case .source(let r), .sourceAndDestination(let r, _): r
        case .destination: nil
        }
    }
    /// The destination rewrite, if any.
    public var destination: AddressRewrite? {
        switch self {
        case .destination(let r), .sourceAndDestination(_, let r): r
        case .source: nil
        }
    }
}

/// What a reachability answer is, as one value: contradictory states (reachable with an explanation, blocked
/// without one) cannot be written down.
public enum Disposition: Hashable, Sendable, Codable {
    /// Every requested client port works.
    case reachable
    /// Some requested client ports work; the explanation says why the others fail.
    case partlyReachable(Explanation)
    /// No requested client port works, for a proven reason.
    case blocked(Explanation)
    /// Not reachable within the model, but not proven blocked either: the path leaves the model at a route
    /// target VPCKit does not model (`UNSUPPORTED_COMPONENT`).
    case unproven(Explanation)

    /// The explanation of any state but `reachable`.
    public var explanation: Explanation? {
        switch self {
        case .reachable: nil
        case .partlyReachable(let e), .blocked(let e), .unproven(let e): e
        }
    }

    /// The disposition's stable name (JSON `disposition`): `reachable`, `partlyReachable`, `blocked`, `unproven`.
    public var kind: String {
        switch self {
        case .reachable: "reachable"
        case .partlyReachable: "partlyReachable"
        case .blocked: "blocked"
        case .unproven: "unproven"
        }
    }

    /// No requested port works: every requested port is blocked or unproven.
    static func unreachable(_ e: Explanation) -> Disposition {
        e.code == .unsupportedComponent ? .unproven(e) : .blocked(e)
    }
}
