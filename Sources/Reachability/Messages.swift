import IPAddressing

/// Every human phrase of a reachability answer, in one table: step actions, translations, explanation codes
/// and dispositions. Renderers (the CLI's text, flow-log reject reasons, assertion reports) take their words
/// from here and their structure from the typed trace; JSON carries both the typed values and these texts.
public enum ReachMessages {
    /// The note of every answer with an end on premises: reachable means one-way into or out of AWS.
    public static let onPremisesFarSide =
        "the on-premises side is not modelled: the answer covers AWS up to and from the edge (on-premises routers and firewalls are not checked)"
    /// The words for what a hop did: `egress allowed`, `route lookup`, `inbound allowed (subnet db)` …
    public static func text(_ action: StepAction) -> String {
        switch action {
        case .egressAllowed: "egress allowed"
        case .egressTracked: "egress (tracked connection)"
        case .ingressAllowed: "ingress allowed"
        case .sameSubnet: "same subnet: delivered without route lookup or NACL"
        case .routeLookup: "route lookup"
        case .networkACLAllowed(let inbound, let subnet): "\(inbound ? "inbound" : "outbound") allowed (subnet \(subnet))"
        case .toInternet: "to the internet"
        case .toInternetIPv6: "to the internet (IPv6)"
        case .toInternetEgressOnly: "to the internet (IPv6, outbound only)"
        case .fromInternet: "from the internet"
        case .fromInternetIPv6: "from the internet (IPv6)"
        case .crossedPeering(let vpc): "crossed to vpc \(vpc)"
        case .delivered: "delivered"
        case .forwardedByAppliance: "forwarded by appliance"
        case .replyTranslatedBack: "reply translated back"
        case .sourceTranslated: "source translated"
        case .translatedNAT64: "translated (NAT64)"
        case .transitGatewayRouteLookup: "transit gateway route lookup"
        case .transitGatewayDelivered(let vpc, let subnet): "delivered into vpc \(vpc) via \(subnet)"
        case .answeredByDNSResolver: "answered by the Amazon DNS resolver (security groups and NACLs do not filter it)"
        case .dnsResolverReply: "resolver reply"
        case .toGatewayEndpoint(let service): "to the \(service) service through the gateway endpoint (the service itself is not modelled)"
        case .fromGatewayEndpoint(let service): "reply from the \(service) service through the gateway endpoint"
        case .toOnPremises(let edge): "to on-premises over \(edge) (the far side is not modelled)"
        case .fromOnPremises(let edge): "from on-premises over \(edge)"
        case .acceptedByListener(let lb, let listener, let groups):
            groups.isEmpty ? "listener \(listener) of \(lb) accepts and answers itself"
                : "listener \(listener) of \(lb) accepts and forwards to target group \(groups.joined(separator: ", "))"
        case .newConnectionToTarget(let lb, let target, let preserves):
            "\(lb) opens a new connection to \(target)" + (preserves ? " (client IP preserved)" : " (from the node's address)")
        case .relayedByLoadBalancer(let lb): "reply relayed by \(lb) to the client"
        case .toGatewayLoadBalancerEndpoint(let e, let lb): "to gateway load balancer endpoint \(e) (gateway load balancer \(lb))"
        case .gatewayLoadBalancerNode(let lb, let node): "gateway load balancer \(lb) node \(node) sends it to an appliance over GENEVE (UDP 6081)"
        case .inspectedByAppliances(_, let appliances):
            "returned unchanged by appliance \(appliances.joined(separator: " or ")) (GENEVE admitted; appliances are modelled as a transparent bump in the wire)"
        case .fromGatewayLoadBalancerEndpoint(let e): "back out of gateway load balancer endpoint \(e), routed by its subnet's table"
        }
    }

    /// `10.0.0.10:1024-65535`, `54.1.2.3`, `public IP of web (unknown)`.
    public static func text(_ a: TranslatedAddress) -> String {
        let address = a.unknownPublicAddressOf.map { "public IP of \($0) (unknown)" } ?? a.address.description
        return a.ports.map { "\(address):\($0)" } ?? address
    }

    /// `source 10.0.0.10 -> 54.1.2.3`, `destination … -> …`, `source … -> …, destination … -> …` (NAT64).
    public static func text(_ t: Translation) -> String {
        func rewrite(_ field: String, _ r: AddressRewrite) -> String { "\(field) \(text(r.from)) -> \(text(r.to))" }
        switch t {
        case .source(let r): return rewrite("source", r)
        case .destination(let r): return rewrite("destination", r)
        case .sourceAndDestination(let s, let d): return rewrite("source", s) + ", " + rewrite("destination", d)
        }
    }

    /// The sentence of an explanation's detail: `no inbound rule of security group db-sg on db-1 allows
    /// tcp/5432 from 10.0.1.10`, `no route for 10.9.0.1`, … (text output and JSON `explanation.detail`).
    public static func text(_ d: ExplanationDetail) -> String {
        func bound(_ inbound: Bool) -> String { inbound ? "inbound" : "outbound" }
        switch d {
        case .sourceDestinationCheck(let s, let t):
            return "source/destination check is on and the packet \(text(s)) -> \(text(t)) is not its own"
        case .securityGroupsHaveNoRules(let i, let inbound):
            return "the security groups of \(i) have no \(bound(inbound)) rules"
        case .securityGroupRules(let g, let i, let inbound, let traffic, let peer, let crossVPCReferenceOnly):
            if crossVPCReferenceOnly {
                return "only a rule of security group \(g) on \(i) referencing another VPC's group allows \(text(traffic)) to \(text(peer)), and the path crosses a transit gateway without security-group referencing, so the reference does not match"
            }
            return "no \(bound(inbound)) rule of security group \(g) on \(i) allows \(text(traffic)) \(inbound ? "from" : "to") \(text(peer))"
        case .networkACL(let subnet, let inbound, let traffic, let peer, let rule):
            let which = rule.map { "rule \($0) denies" } ?? "no rule allows (final '*' denies)"
            return "\(bound(inbound)) \(text(traffic)) \(inbound ? "from" : "to") \(text(peer)) on subnet \(subnet): \(which)"
        case .route(let dst, let transitGateway, let problem):
            let d = text(dst)
            switch problem {
            case .noRoute: return "no route for \(d)"
            case .blackhole: return transitGateway ? "\(d) matches a blackhole route" : "\(d) matches a blackhole route (no fallback to a shorter prefix)"
            case .unusableTarget(let n): return "route target '\(n)' is not usable from this VPC (blackhole)"
            case .pointsBackAtSender: return "the route for \(d) points back at the sending interface"
            case .natGatewaySendsBackToItself: return "the NAT gateway's subnet table sends \(d) back to the NAT gateway itself; no route onward to the internet"
            case .unmodelledTarget(let id):
                return "\(d) is routed to \(id ?? "a target outside the model"), which VPCKit does not model: it cannot tell what happens beyond it"
            case .other: return "route for \(d)"
            }
        case .edge(let edge, let s, let t, let problem):
            switch problem {
            case .sourceNotPrivate: return "\(edge) carries to on-premises only packets from a private address of its VPC, not \(text(s))"
            case .destinationNotPrivate: return "\(edge) delivers from on-premises only to private addresses in its VPC, not \(text(t))"
            case .notAnnounced: return "no edge of \(edge) announces \(text(t)) from on-premises"
            case .routesUnknown:
                return "\(edge) announces no on-premises prefix: its routes are unknown (declare them with --onprem CIDR@EDGE or an onprem block)"
            case .tunnelsDown: return "the tunnels of \(edge) are all down (--assume-tunnels-up analyses the configuration as if up)"
            case .interfaceDown: return "\(edge) is not available"
            case .noEdge: return "no virtual private gateway edge leads from on-premises to \(text(t))"
            case .notAllowedOnAssociation: return "the Direct Connect gateway association of \(edge) does not advertise \(text(t)) to on-premises"
            }
        case .gateway(let s, let t, let problem):
            switch problem {
            case .sourceHasNoPublicAddress: return "source \(text(s)) has no public IPv4 association"
            case .destinationNotPublic: return "destination \(text(t)) is not a public address of any interface"
            case .destinationPrivate: return "destination \(text(t)) is private address space"
            case .sourcePrivate: return "source \(text(s)) is private address space"
            case .inboundToEgressOnly: return "an egress-only gateway admits no inbound-initiated IPv6 flows"
            case .dropped: return "\(text(s)) -> \(text(t)) dropped"
            }
        case .natGateway(let n, let s, let t, let problem):
            switch problem {
            case .sourceOutsideVPC: return "source \(text(s)) is not in the NAT gateway's VPC (peering, VPN and DX sources are not translated)"
            case .protocolNotTranslated: return "a NAT gateway translates only IPv4 TCP, UDP and ICMP (and, as NAT64, IPv6 TCP, UDP and ICMPv6 echo to 64:ff9b::/96)"
            case .replyTranslatedAgain:
                return "the reply \(text(s)) -> \(text(t)) is routed into NAT gateway \(n), which translates its source like a new connection's: it no longer matches the connection, which fails"
            case .inboundInitiated: return "a NAT gateway admits no inbound-initiated flows (\(text(s)) -> \(text(t)))"
            }
        case .peeringNotTransitive(let p, let a, let b, let s, let t):
            return "peering \(p) (\(a) <-> \(b)) is not transitive: \(text(s)) -> \(text(t)) needs the source in the VPC it leaves and the destination in the VPC it enters"
        case .transitGatewayAttachment(let a, let t, let problem):
            switch problem {
            case .noAssociatedRouteTable: return "attachment \(a) has no associated transit gateway route table"
            case .noSubnetInSendersZone: return "attachment \(a) has no subnet in the sender's availability zone"
            case .destinationIsAttachmentInterface:
                return "\(text(t)) is the address of an interface of attachment \(a): a transit gateway interface forwards and serves nothing itself"
            case .applianceModeOff: return "appliance mode is off on \(a): the reply entered an appliance in another AZ that never saw the request"
            case .cannotDeliver: return "attachment \(a) cannot deliver \(text(t))"
            }
        case .unheldAddress(let subnet, let t, let reason):
            return "no interface in subnet \(subnet) holds \(text(t)): \(text(reason)); AWS delivers only to an interface that holds the address"
        case .outsideSubnets(let vpc, let t):
            return "\(text(t)) is in vpc \(vpc) but in none of its subnets"
        case .notReachableFromInternet(let t):
            return "\(text(t)) is not reachable from the internet (no internet gateway or no public address)"
        case .routingLoop(let steps):
            return "routing loop (more than \(steps) steps)"
        case .privateAddressFromInternet(let a, let i):
            return "destination \(text(a)) is a private address of \(i): the internet reaches it only at its public address (name the instance to ask about that)"
        case .endpointWithoutAddress(let family):
            return "an endpoint has no \(family) address"
        case .bothEndpointsOnInternet:
            return "both endpoints are on the internet: the path never enters this network"
        case .noQueriedInternetAddress(let family):
            return "the queried internet addresses hold no \(family) address"
        case .replyDeniedForClientPorts(let ports):
            return "the reply is denied for client source ports \(ports)"
        case .vpcEndpoint(let endpoint, let service, let problem):
            switch problem {
            case .protocolNotCarried: return "gateway endpoint \(endpoint) (\(service)) carries only TCP and ICMP echo"
            case .ipv6NotCarried: return "gateway endpoint \(endpoint) (\(service)) carries only IPv4"
            case .sourceOutsideVPC:
                return "gateway endpoint \(endpoint) (\(service)) carries only traffic that starts in its own VPC, not traffic arriving over a peering, transit gateway, VPN or Direct Connect"
            case .endpointInitiates: return "interface endpoint \(endpoint) (\(service)) only answers connections; it never initiates one"
            case .serviceInitiates: return "the \(service) service behind gateway endpoint \(endpoint) only answers connections; it never initiates one"
            case .notRoutedThroughEndpoint:
                return "the source's route table does not send the \(service) addresses to gateway endpoint \(endpoint)"
            case .interfaceCarriesTCPOnly: return "interface endpoint \(endpoint) (\(service)) carries only TCP"
            }
        case .loadBalancer(let lb, let problem, let traffic, let zone):
            let where_ = zone.map { " in availability zone \($0)" } ?? ""
            switch problem {
            case .noListener: return "load balancer \(lb) has no listener for \(text(traffic))"
            case .noTargetInZone: return "no target of load balancer \(lb) that gets traffic is\(where_.isEmpty ? " in the node's zone" : where_), and cross-zone load balancing is off"
            case .noHealthyTarget: return "load balancer \(lb) has no target that gets traffic (healthy or unreported) for \(text(traffic))"
            case .hairpin: return "load balancer \(lb) preserves the client address: a target that is the client itself gets no answer (hairpin)"
            case .initiates: return "load balancer \(lb) only answers connections on its listeners; it never initiates one"
            case .onlyThroughEndpoints: return "gateway load balancer \(lb) is no destination: it takes packets only from its endpoints (a route to a gateway-load-balancer endpoint)"
            case .noTargetGroup: return "gateway load balancer \(lb) has no listener forwarding to a target group of appliances: packets from its endpoints go nowhere"
            case .noNodeInEndpointZone: return "gateway load balancer \(lb) has no node\(where_.isEmpty ? " in the endpoint's availability zone" : where_), where the endpoint is"
            case .applianceNotModelled: return "an appliance gateway load balancer \(lb) sends to is not an interface of the model: what it does with the packet is unknown"
            case .replyBypassedEndpoint: return "the reply does not come back through the gateway load balancer endpoint the request took: the stateful appliance behind \(lb) never sees it and the flow is dropped (route the reply through the same endpoint)"
            case .replyThroughOtherEndpoint: return "the reply enters a gateway load balancer endpoint (of \(lb)) the request did not pass: its appliance has no state for the flow and drops it (route both directions through the same endpoint)"
            }
        }
    }

    /// Why an address of a subnet has no interface, as a clause.
    public static func text(_ r: ExplanationDetail.UnheldAddressReason) -> String {
        switch r {
        case .networkAddress: "it is the subnet's network address, reserved by AWS"
        case .vpcRouter: "it is reserved by AWS for the VPC router"
        case .dnsResolver: "it is reserved by AWS (the Amazon DNS resolver answers only at the primary VPC block's base + 2)"
        case .futureUse: "it is reserved by AWS for future use"
        case .lastAddress: "it is the subnet's last address, reserved by AWS"
        case .notAssigned: "the address is not assigned to any interface"
        }
    }

    /// `tcp/5432`, `udp/53, 123`, `icmp type 8 code 0`, `proto 47`.
    public static func text(_ t: BlockedTraffic) -> String {
        let proto = IPProtocol.number(t.ipProtocol).description
        if let type = t.icmpType { return "\(proto) type \(type) code \(t.icmpCode ?? 0)" }
        return t.destinationPorts.map { "\(proto)/\($0)" } ?? proto
    }

    /// Which detail kinds explain each code (the values the sentence of a code is built from). Every code
    /// maps to at least one kind; codes VPCKit does not raise yet still name the kind they would use.
    public static func detailKinds(_ code: ExplanationCode) -> [ExplanationDetail.Kind] {
        switch code {
        case .badStateRoute, .tgwRTBBadStateRoute, .higherPriorityRoute, .moreSpecificRoute, .tgwRTBHigherPriorityRoute,
             .tgwRTBMoreSpecificRoute: [.route]
        case .noRouteToDestination: [.route, .privateAddressFromInternet, .notReachableFromInternet, .vpcEndpoint, .edge]
        case .routingLoop: [.route, .routingLoop]
        case .unsupportedComponent: [.route]
        case .badStateVPN, .tgwBadStateVPN, .badState, .vgwPrivateIPAssociationForEgress, .vgwPrivateIPAssociationForIngress: [.edge]
        case .eniAddressRestriction: [.unheldAddress]
        case .eniSGRulesMismatch: [.securityGroupRules]
        case .sgReferencingSupport: [.securityGroupRules]
        case .sgReferencesNotPreserved: [.securityGroupRules]
        case .sgHasNoRules: [.securityGroupsHaveNoRules]
        case .eniSourceDestCheckRestriction: [.sourceDestinationCheck]
        case .gatewayRejectsSpoofedTraffic: [.gateway]
        case .igwDestinationAddressNotInRFC1918Egress, .igwDestinationAddressNotInRFC6598Egress, .igwPublicIPAssociationForEgress,
             .igwSourceAddressNotInRFC1918Ingress, .igwSourceAddressNotInRFC6598Ingress, .egressOnlyGatewayInbound: [.gateway]
        case .igwPrivateIPAssociationForIngress: [.gateway, .privateAddressFromInternet]
        case .ngwRequiresSourceInVPC, .protocolRestriction, .ngwSourceAddressReassign: [.natGateway]
        case .noPossibleDestination:
            [.unheldAddress, .outsideSubnets, .natGateway, .transitGatewayAttachment, .notReachableFromInternet, .gateway]
        case .pcxRequiresAddressInVPCCIDR: [.peeringNotTransitive]
        case .subnetACLRestriction: [.networkACL, .replyDeniedForClientPorts]
        case .tgwAttachMissingTGWRTBAssociation, .tgwAttachVPCAZRestriction, .tgwRouteAZRestriction: [.transitGatewayAttachment]
        case .noSourceOrDestination: [.endpointWithoutAddress, .bothEndpointsOnInternet, .noQueriedInternetAddress]
        case .vpceGatewayProtocolRestriction, .vpceIntraVPCTraffic, .noPath: [.vpcEndpoint, .loadBalancer]
        case .elbv2ListenerPortRestriction, .elbListenerPortRestriction, .elbv2NoTargetsInAZ, .elbNotCrossZone,
             .elbv2SourceAddressPreservation, .elbv2ListenerHasNoTG, .vpceServiceNotInstalledInAZ, .gwlbFlowSymmetryRestriction: [.loadBalancer]
        case .gwlbDestinationPortRestriction, .gwlbProtocolRestriction: [.securityGroupRules, .securityGroupsHaveNoRules, .networkACL]
        }
    }

    /// What an explanation code means, in one line (JSON `explanation.summary`, docs).
    public static func summary(_ code: ExplanationCode) -> String {
        switch code {
        case .badStateRoute: "the chosen route's target cannot carry the packet (blackhole or unusable target)"
        case .elbv2ListenerPortRestriction: "the load balancer has no listener for the protocol and port"
        case .elbListenerPortRestriction: "the classic load balancer has no listener for the protocol and port"
        case .elbv2NoTargetsInAZ: "no target that gets traffic is in the load balancer node's availability zone (or in any, with cross-zone load balancing)"
        case .elbv2SourceAddressPreservation: "with client-IP preservation a target cannot be its own client through the network load balancer"
        case .elbv2ListenerHasNoTG: "the load balancer's listener forwards to no target group"
        case .gwlbDestinationPortRestriction: "the gateway load balancer sends to its appliances only on UDP port 6081 (GENEVE), and the appliance does not admit it from the load balancer's node"
        case .gwlbProtocolRestriction: "the gateway load balancer sends to its appliances only over UDP (GENEVE on port 6081), and the appliance admits port 6081 for another protocol only"
        case .vpceServiceNotInstalledInAZ: "the endpoint's service has no node in the endpoint's availability zone"
        case .gwlbFlowSymmetryRestriction: "the reply does not pass the gateway load balancer endpoint the request passed, so the stateful appliance drops the flow (VPCKit's code)"
        case .elbNotCrossZone: "the classic load balancer has no instance in the node's availability zone and cross-zone load balancing is off"
        case .eniAddressRestriction: "the interface does not hold the address"
        case .eniSGRulesMismatch: "no security group rule allows the packet"
        case .eniSourceDestCheckRestriction: "source/destination check drops a packet the interface neither sent nor is addressed to"
        case .gatewayRejectsSpoofedTraffic: "the gateway drops a packet whose source is not in its VPC"
        case .higherPriorityRoute: "a higher-priority route wins"
        case .tgwRTBHigherPriorityRoute: "a higher-priority route of the transit gateway route table wins"
        case .tgwRTBMoreSpecificRoute: "a more specific route of the transit gateway route table wins"
        case .igwDestinationAddressNotInRFC1918Egress: "the internet gateway does not route to private (RFC 1918) destinations"
        case .igwDestinationAddressNotInRFC6598Egress: "the internet gateway does not route to shared (RFC 6598) destinations"
        case .igwPrivateIPAssociationForIngress: "the destination is not a public address of any interface"
        case .igwPublicIPAssociationForEgress: "the source has no public IPv4 address"
        case .igwSourceAddressNotInRFC1918Ingress: "the internet gateway drops private (RFC 1918) sources from the internet"
        case .igwSourceAddressNotInRFC6598Ingress: "the internet gateway drops shared (RFC 6598) sources from the internet"
        case .moreSpecificRoute: "a more specific route wins"
        case .ngwRequiresSourceInVPC: "the NAT gateway translates only sources in its own VPC"
        case .noPossibleDestination: "nothing at the destination can take delivery"
        case .noRouteToDestination: "no route matches the destination"
        case .pcxRequiresAddressInVPCCIDR: "a peering carries only packets from its one VPC to the other (not transitive)"
        case .protocolRestriction: "the component does not carry this protocol"
        case .sgHasNoRules: "the security groups have no rules in this direction"
        case .subnetACLRestriction: "the subnet's network ACL denies the packet"
        case .tgwAttachMissingTGWRTBAssociation: "the transit gateway attachment has no associated route table"
        case .tgwAttachVPCAZRestriction: "the reply crossed to an availability zone whose appliance never saw the request (appliance mode off)"
        case .tgwRouteAZRestriction: "the transit gateway attachment has no subnet in the sender's availability zone"
        case .tgwRTBBadStateRoute: "the transit gateway route's target cannot carry the packet"
        case .egressOnlyGatewayInbound: "an egress-only gateway admits no inbound-initiated flows"
        case .routingLoop: "the packet loops"
        case .noSourceOrDestination: "the query has no usable source or destination"
        case .ngwSourceAddressReassign: "a reply routed into a NAT gateway is translated like a new connection and no longer matches it"
        case .sgReferencingSupport: "a security group reference does not hold across a transit gateway without security-group referencing"
        case .sgReferencesNotPreserved: "an appliance on the path replaces the sender a security group reference names"
        case .unsupportedComponent: "the path leaves the model at a component VPCKit does not model"
        case .vpceGatewayProtocolRestriction: "a gateway endpoint carries only TCP and ICMP echo (IPv4)"
        case .vpceIntraVPCTraffic: "an interface endpoint never initiates a connection into its VPC"
        case .noPath: "no path can exist between these endpoints"
        case .badStateVPN: "the VPN connection's tunnels are all down"
        case .tgwBadStateVPN: "the transit gateway's VPN attachment has all its tunnels down"
        case .badState: "the component is down"
        case .vgwPrivateIPAssociationForEgress: "the virtual private gateway carries to on-premises only packets from its VPC's private addresses"
        case .vgwPrivateIPAssociationForIngress: "the virtual private gateway delivers from on-premises only to private addresses in its VPC"
        }
    }

    /// What the text answer adds after `not reachable` for a disposition (empty for none).
    public static func stateRemark(_ d: Disposition) -> String {
        switch d {
        case .unproven: " within the model (unproven: the path leaves it at a route target VPCKit does not model)"
        case .reachable, .partlyReachable, .blocked: ""
        }
    }
}

extension StepAction: CustomStringConvertible {
    /// ``ReachMessages/text(_:)-(StepAction)``.
    public var description: String { ReachMessages.text(self) }
}

extension Translation: CustomStringConvertible {
    /// ``ReachMessages/text(_:)-(Translation)``.
    public var description: String { ReachMessages.text(self) }
}
