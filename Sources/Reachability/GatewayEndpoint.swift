import IPAddressing
import NetworkModel

/// The walk's gateway-endpoint side (S3, DynamoDB; Docs/AWS-BEHAVIOUR.md §10): leaving a subnet through a table's
/// `pl:… -> endpoint` route, and the service's reply back into the endpoint's VPC. Part of
/// ``CompiledTopology/walk(_:from:context:sink:)`` (Trace.swift). The service beyond the endpoint is not
/// modelled: a request that gets there is "handed to the service".
extension CompiledTopology {
    /// A route to gateway endpoint `g`: only traffic that starts in the endpoint's VPC (not from a TGW
    /// attachment's ENI, nor with a source outside the VPC's blocks: peering, TGW, VPN, Direct Connect), IPv4
    /// TCP or ICMP echo only, then the subnet's outbound NACL toward the service's address.
    func sendToGatewayEndpoint<S: TraceSink>(_ g: Int32, from a: Int32, subnet s: Int32, vpc: Int32, _ flow: inout Flow,
                                             _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        let fromOutside = (a >= 0 && interfaceHot[Int(a)].kind == 2) || !vpcContains(vpc, flow.source)
        if fromOutside {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .noPath, site: .vpcEndpoint(g))))
        }
        let echo = flow.ipProtocol == IPProtocol.icmpNumber && (flow.icmpTypeCode >> 8 == 8 || flow.icmpTypeCode >> 8 == 0)
        guard case .v4 = flow.destination, flow.ipProtocol == IPProtocol.tcpNumber || echo else {
            flushEgress(&ctx, &sink, flow)
            return .done(.blocked(Block(code: .vpceGatewayProtocolRestriction, site: .vpcEndpoint(g))))
        }
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if sink.recordsHops {
            let id = VPCEndpointID(g)
            sink.hop(Hop(component: vpcEndpointComponent(id), action: .toGatewayEndpoint(service: resolved.model(id).serviceShortName),
                         header: flow.header))
        }
        return .done(.exitedToService(g))
    }

    /// The service behind gateway endpoint `g` answering: into the endpoint's VPC toward the reply's
    /// destination (the request's source, or the NAT gateway that translated it), through the destination
    /// subnet's inbound NACL; the receiver's groups track the connection.
    func gatewayEndpointReplyStep<S: TraceSink>(_ g: Int32, _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        ctx.senderIdentity = -1
        let vpc = resolved.vpcEndpoints[Int(g)].vpc.index
        if sink.recordsHops {
            let id = VPCEndpointID(g)
            sink.hop(Hop(component: vpcEndpointComponent(id), action: .fromGatewayEndpoint(service: resolved.model(id).serviceShortName),
                         header: flow.header))
        }
        let ds = subnetOf(vpc: vpc, flow.destination)
        guard ds >= 0 else { return .done(.blocked(Block(code: .noPossibleDestination, site: .vpc(vpc)))) }
        let owner = privateOwner(vpc: vpc, flow.destination)
        if let b = naclCheck(subnet: ds, inbound: true, receiver: owner, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        if owner >= 0 { return arrive(owner, &flow, &ctx, &sink) }
        return deliverUnheld(subnet: ds, flow, ctx)
    }
}
