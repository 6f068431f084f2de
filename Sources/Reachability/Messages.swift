/// Every human phrase of a reachability answer, in one table: step actions, translations, explanation codes
/// and dispositions. Renderers (the CLI's text, flow-log reject reasons, assertion reports) take their words
/// from here and their structure from the typed trace; JSON carries both the typed values and these texts.
public enum ReachMessages {
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

    /// What an explanation code means, in one line (JSON `explanation.summary`, docs).
    public static func summary(_ code: ExplanationCode) -> String {
        switch code {
        case .badStateRoute: "the chosen route's target cannot carry the packet (blackhole or unusable target)"
        case .eniAddressRestriction: "the interface does not hold the address"
        case .eniSGRulesMismatch: "no security group rule allows the packet"
        case .eniSourceDestCheckRestriction: "source/destination check drops a packet the interface neither sent nor is addressed to"
        case .gatewayRejectsSpoofedTraffic: "the gateway drops a packet whose source is not in its VPC"
        case .higherPriorityRoute: "a higher-priority route wins"
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
