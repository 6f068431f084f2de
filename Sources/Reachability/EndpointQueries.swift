import IPAddressing
import NetworkModel

/// Query endpoints for VPC endpoints (Docs/AWS-BEHAVIOUR.md §10): names, AWS ids and service names, the interface ENI a
/// query uses, and the refusals of endpoints as initiators.
extension CompiledTopology {
    /// True when the topology has VPC endpoints (the query entry points skip everything below otherwise).
    @inline(__always) var hasVPCEndpoints: Bool { !resolved.vpcEndpoints.isEmpty }

    /// True when ``endpointQuery(from:to:ipProtocol:)`` could change or refuse a query: a VPC endpoint at either
    /// end, or an interface endpoint's ENI at either end (as the source it never initiates; as the destination it
    /// carries TCP only). A few loads and compares (the common query pays nothing more).
    @inline(__always) func mayInvolveVPCEndpoint(_ source: ResolvedEndpoint, _ destination: ResolvedEndpoint) -> Bool {
        guard hasVPCEndpoints else { return false }
        switch destination {
        case .vpcEndpoint: return true
        case .interface(let i, _): if interfaceHot[i.position].kind == 3 { return true }
        default: break
        }
        switch source {
        case .vpcEndpoint: return true
        case .interface(let i, _): return interfaceHot[i.position].kind == 3
        default: return false
        }
    }

    /// What a query between two endpoints becomes once VPC endpoints are placed.
    enum EndpointQuery {
        /// No path can exist (an endpoint as the initiator, an interface endpoint without ENIs).
        case refused(Explanation)
        /// The query's endpoints, an interface endpoint replaced by the ENI the query uses.
        case endpoints(ResolvedEndpoint, ResolvedEndpoint)
    }

    /// Places VPC endpoints: an interface endpoint as the destination becomes its ENI in the source's
    /// availability zone (else its first; named by service: the endpoint of that service in the source's VPC
    /// first), and an endpoint as the source is refused: an interface endpoint's ENI never initiates
    /// (`VPCE_INTRA_VPC_TRAFFIC` into its own VPC, else `NO_PATH`), nor does a gateway endpoint's service.
    /// `ipProtocol` (nil: every protocol): an interface endpoint's ENI as the destination takes TCP only
    /// (§10 [choice]: PrivateLink carries TCP), else `PROTOCOL_RESTRICTION`.
    func endpointQuery(from source: ResolvedEndpoint, to destination: ResolvedEndpoint, ipProtocol: UInt8? = nil) -> EndpointQuery {
        var d = destination
        if case .vpcEndpoint(let id, _, let byService) = destination, resolved.vpcEndpoints[id.position].kind == .interface {
            guard let eni = interfaceENI(of: id, byServiceName: byService, for: source) else {
                return .refused(Explanation(code: .noSourceOrDestination, direction: .forward, component: vpcEndpointComponent(id),
                                            detail: .endpointWithoutAddress(family: .ipv4)))
            }
            d = .interface(eni, address: .v4(interfaces[eni.position].primaryIP))
        }
        switch source {
        case .vpcEndpoint(let id, _, _):
            if resolved.vpcEndpoints[id.position].kind == .gateway {
                return .refused(vpcEndpointExplanation(id, code: .noPath, direction: .forward, problem: .serviceInitiates))
            }
            return .refused(endpointInitiates(id, to: d))
        case .interface(let i, _):
            if case .vpcEndpoint(let id) = interfaces[i.position].kind { return .refused(endpointInitiates(id, to: d)) }
        default:
            break
        }
        if let p = ipProtocol, p != 6, case .interface(let i, _) = d, case .vpcEndpoint(let id) = interfaces[i.position].kind {
            return .refused(vpcEndpointExplanation(id, code: .protocolRestriction, direction: .forward, problem: .interfaceCarriesTCPOnly))
        }
        return .endpoints(source, d)
    }

    /// An interface endpoint as the initiator: `VPCE_INTRA_VPC_TRAFFIC` toward its own VPC, else `NO_PATH`.
    func endpointInitiates(_ id: VPCEndpointID, to destination: ResolvedEndpoint) -> Explanation {
        let vpc = resolved.vpcEndpoints[id.position].vpc.index
        let intoItsVPC: Bool = switch destination {
        case .interface(let i, _): interfaces[i.position].vpc == vpc
        case .host(let s, _), .unheld(let s, _): subnets[s.position].vpc == vpc
        case .internet, .vpcEndpoint, .onPremises: false
        }
        return vpcEndpointExplanation(id, code: intoItsVPC ? .vpceIntraVPCTraffic : .noPath, direction: .forward, problem: .endpointInitiates)
    }

    /// The ENI of interface endpoint `id` a query from `source` uses: with `byServiceName`, the endpoint of the
    /// same service (private DNS on) in the source's VPC when there is one; then its ENI in the source's
    /// availability zone, else its first. Nil: the endpoint has no ENI.
    func interfaceENI(of id: VPCEndpointID, byServiceName: Bool, for source: ResolvedEndpoint) -> InterfaceID? {
        let sourceSubnet: Int32? = switch source {
        case .interface(let i, _): interfaces[i.position].subnet
        case .host(let s, _), .unheld(let s, _): s.index
        case .internet, .vpcEndpoint, .onPremises: nil
        }
        var endpoint = id
        if byServiceName, let s = sourceSubnet {
            let vpc = subnets[Int(s)].vpc
            let service = resolved.model(id).serviceShortName
            if let local = resolved.vpcEndpoints.indices.first(where: { k in
                let e = resolved.model(VPCEndpointID(k))
                return resolved.vpcEndpoints[k].vpc.index == vpc && e.kind == .interface && e.privateDNS && e.serviceShortName == service
            }) { endpoint = VPCEndpointID(local) }
        }
        let enis = interfaces(ofEndpoint: endpoint)
        guard let first = enis.first else { return nil }
        if let s = sourceSubnet, let zone = subnets[Int(s)].availabilityZone,
           let same = enis.first(where: { subnets[Int(interfaces[$0.position].subnet)].availabilityZone == zone }) {
            return same
        }
        return first
    }

    /// A query name that denotes a VPC endpoint, or nil: an interface endpoint ENI (`ENDPOINT@SUBNET`, its
    /// `eni-…` id); an endpoint by name or `vpce-…` id; a service (`s3`, `com.amazonaws.REGION.ssm`): an interface
    /// endpoint of it with private DNS on, else the service's addresses behind a gateway endpoint (any path there
    /// counts), else an error saying private DNS is off.
    func resolveVPCEndpoint(_ name: String) -> Result<ResolvedEndpoint, EndpointError>? {
        guard hasVPCEndpoints else { return nil }
        for i in interfaces.indices {
            guard case .vpcEndpoint = interfaces[i].kind, interfaces[i].name == name || interfaces[i].awsID == name else { continue }
            return .success(.interface(InterfaceID(Int32(i)), address: .v4(interfaces[i].primaryIP)))
        }
        let ids = resolved.vpcEndpoints(named: name)
        guard let first = ids.first else { return nil }
        let e = resolved.model(first)
        if e.name == name || e.id == name {
            switch e.kind {
            case .gateway: return serviceAddress(of: first).map { .success(.vpcEndpoint(first, address: $0, byServiceName: false)) } ?? .failure(noServiceAddress(first))
            case .interface:
                guard let eni = interfaces(ofEndpoint: first).first else {
                    return .failure(EndpointError(text: name, message: "interface endpoint '\(name)' has no ENI (none of its subnets is in its VPC)"))
                }
                return .success(.vpcEndpoint(first, address: .v4(interfaces[eni.position].primaryIP), byServiceName: false))
            case .gatewayLoadBalancer:
                return .failure(EndpointError(text: name, message: "'\(name)' is a gateway load balancer endpoint: a route target, not a query endpoint; name an address or instance behind the route instead"))
            }
        }
        if let dns = ids.first(where: { resolved.model($0).kind == .interface && resolved.model($0).privateDNS }),
           let eni = interfaces(ofEndpoint: dns).first {
            return .success(.vpcEndpoint(dns, address: .v4(interfaces[eni.position].primaryIP), byServiceName: true))
        }
        if let gateway = ids.first(where: { resolved.model($0).kind == .gateway }) {
            return serviceAddress(of: gateway).map { .success(.internet($0)) } ?? .failure(noServiceAddress(gateway))
        }
        let off = resolved.model(first)
        return .failure(EndpointError(text: name, message: "'\(name)' does not resolve to interface endpoint '\(off.name)': its private DNS is off; name the endpoint ('\(off.name)'\(off.id.map { " or \($0)" } ?? "")) instead"))
    }

    /// One of gateway endpoint `id`'s service addresses: the first IPv4 address of its prefix list.
    func serviceAddress(of id: VPCEndpointID) -> IPAddress? {
        guard let pl = resolved.vpcEndpoints[id.position].prefixList else { return nil }
        for p in resolved.model(pl).entries { if case .v4(let v4) = p { return .v4(v4.network) } }
        return nil
    }

    func noServiceAddress(_ id: VPCEndpointID) -> EndpointError {
        let e = resolved.model(id)
        return EndpointError(text: e.name, message: "gateway endpoint '\(e.name)' has no IPv4 service addresses: declare the prefix list 'pl:\(e.prefixList ?? e.serviceShortName)' with the \(e.serviceShortName) CIDRs")
    }
}

extension ReachMessages {
    /// The note of an answer that went through a gateway endpoint: the service is not modelled.
    public static func gatewayEndpointNote(service: String, endpoint: String) -> String {
        "the \(service) service behind gateway endpoint \(endpoint) is not modelled: the answer covers the path to it and the reply from its addresses"
    }
}
