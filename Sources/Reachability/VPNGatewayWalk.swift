import IPAddressing
import NetworkModel

// The walk's steps at a VPC's virtual private gateway (issue 18; semantics.md §2, §10).

extension CompiledTopology {
    /// A route to the VPC's VGW: the subnet's outbound NACL, then the VGW's own checks. Until the edges'
    /// data plane decides what lies beyond, the walk stops here: never reachable, never a proven block.
    func sendToVPNGateway<S: TraceSink>(_ g: Int32, subnet s: Int32, vpc: Int32, table t: Int32, route: Int32,
                                        _ flow: inout Flow, _ ctx: inout WalkContext, _ sink: inout S) -> Step {
        if let b = naclCheck(subnet: s, inbound: false, receiver: -1, &flow, &ctx, &sink) { return .done(.blocked(b)) }
        return .done(.blocked(Block(code: .unsupportedComponent, site: .routeTable(t, route: route))))
    }
}
