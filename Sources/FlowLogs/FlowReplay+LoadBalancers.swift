// The flow-log replay through a Network Load Balancer that keeps its clients' addresses (Docs/SEMANTICS.md "Load
// balancers", flow logs): which connections an NLB node forwards, so that their packets start at the node and their
// replies go back to it.
import Reachability

extension FlowReplay {
    /// The preserving NLB node that forwards a connection whose first packet is `p` (from `origin`) to a target,
    /// -1 none. Packets with a client's address are told from the client's direct packets by the client's own
    /// connection to a node (same address and port, to the node's address and a listener port that forwards to
    /// the target) found in the capture; without it, only a client the topology does not hold (the internet, on
    /// premises) is taken to come through the node, and only to a target without a public address (it cannot
    /// reach the target's private address otherwise). [choice] Docs/SEMANTICS.md "Load balancers".
    func preservingNode(for p: DecodedPacket, origin: FlowOrigin) -> Int32 {
        let legs = network.preservedLegs(target: p.destination, port: p.destinationPort, ipProtocol: p.ipProtocol)
        guard !legs.isEmpty else { return -1 }
        for leg in legs {
            var front = p
            front.destination = leg.nodeAddress
            front.destinationPort = leg.listenerPort
            let (key, _) = ConnectionKey.of(front)
            if connections.find(key, hash: key.hash) != nil { return leg.node }
        }
        if case .interface = origin { return -1 }
        if let t = network.interface(holding: p.destination), network.interfaces[Int(t)].publicAddress != nil { return -1 }
        return legs[0].node
    }
}
