import IPAddressing
import NetworkModel

// who-can-reach a load balancer, and load balancers among reachable-from's destinations (issue 23: the questions
// see through load balancers). A connection to a load
// balancer is answered by `reach` itself, per listener: the client's leg to the node, the listener, and every
// target that gets traffic (Docs/SEMANTICS.md "Load balancers"). The answer depends on more than the client's leg
// (with client-IP preservation the targets' groups judge the client's address), so the party classes, which
// only know what lies between the two ends, are not used: each source is asked, and a load balancer has few
// listeners.

extension CompiledTopology {
    /// The application, network or classic load balancer whose node `endpoint` is (as a name, id, DNS name or
    /// node address resolves), nil for anything else (a Gateway Load Balancer has no listener a client reaches).
    func loadBalancerTarget(_ endpoint: QueryEndpoint) -> Int32? {
        guard case .endpoint(.interface(let i, _)) = endpoint, let k = loadBalancer(ofNode: i),
              loadBalancers[Int(k)].kind != .gateway else { return nil }
        return k
    }

    /// What `source` opens to load balancer `k` at `destination` (one of its nodes): per listener port and IP
    /// protocol the listener takes (within what `traffic` asks), `reach`'s verdict through the load balancer —
    /// reachable for every client port asked about: allowed; for some: partial, with those client ports. Other
    /// protocols and ports get no connection (no listener takes them).
    func loadBalancerGrants(from source: QueryEndpoint, to destination: QueryEndpoint, loadBalancer k: Int32,
                            traffic: QuestionTraffic) -> ConnectionGrants {
        if source.isInternet && destination.isInternet { return ConnectionGrants() }
        var allowed: [UInt8: PortSet] = [:]
        var partial: [PortGrant] = []
        let lb = loadBalancers[Int(k)]
        for ipProtocol: UInt8 in [IPProtocol.tcpNumber, IPProtocol.udpNumber] {
            if let asked = traffic.ipProtocol, asked != .all, asked.number != ipProtocol { continue }
            var ports = Set<UInt16>()
            for l in lb.listeners where l.listenerProtocol.accepts(ipProtocol: ipProtocol) {
                if let asked = traffic.ports, !asked.contains(l.port) { continue }
                ports.insert(l.port)
            }
            for port in ports.sorted() {
                guard case .success(let v) = reach(from: source, to: destination, traffic: TrafficSpec(ipProtocol: .number(ipProtocol), port: port),
                                                   sourcePorts: traffic.sourcePorts, oneWay: traffic.oneWay) else { continue }
                switch v.state {
                case .reachable:
                    allowed[ipProtocol, default: .empty] = allowed[ipProtocol, default: .empty].union(PortSet(port: port))
                case .partlyReachable:
                    let clients = v.workingSourcePorts
                    if let i = partial.firstIndex(where: { $0.ipProtocol == .number(ipProtocol) && $0.clientPorts == clients }) {
                        partial[i].ports = partial[i].ports.union(PortSet(port: port))
                    } else {
                        partial.append(PortGrant(ipProtocol: .number(ipProtocol), ports: PortSet(port: port), clientPorts: clients))
                    }
                case .unreachable:
                    continue
                }
            }
        }
        let grants = [IPProtocol.tcpNumber, IPProtocol.udpNumber].compactMap { p in
            allowed[p].map { PortGrant(ipProtocol: .number(p), ports: $0) }
        }
        return ConnectionGrants(allowed: grants, partial: partial)
    }

    /// ``whoCanReach(_:traffic:)`` for load balancer `k`: every source party, asked through `reach`.
    func whoCanReachLoadBalancer(_ k: Int32, at target: QueryEndpoint, traffic: QuestionTraffic)
        -> [(party: QuestionParty, grants: ConnectionGrants)] {
        questionParties(asSources: true).compactMap { p in
            if p.endpoint == target { return nil }
            let g = loadBalancerGrants(from: p.endpoint, to: target, loadBalancer: k, traffic: traffic)
            return g.isEmpty ? nil : (p, g)
        }
    }

    /// The load balancers (application, network, classic) as `reachable-from` destinations, each named by its name
    /// and resolved as `reach SOURCE LB` resolves it, with what `source` gets through to it (empty answers left out).
    func reachableLoadBalancers(from source: QueryEndpoint, traffic: QuestionTraffic) -> [(party: QuestionParty, grants: ConnectionGrants)] {
        var out: [(party: QuestionParty, grants: ConnectionGrants)] = []
        for (k, lb) in loadBalancers.enumerated() where lb.kind != .gateway {
            guard case .success(let end) = resolveQuery(lb.name, side: .destination), end != source,
                  loadBalancerTarget(end) == Int32(k) else { continue }
            let g = loadBalancerGrants(from: source, to: end, loadBalancer: Int32(k), traffic: traffic)
            if !g.isEmpty {
                out.append((QuestionParty(kind: .loadBalancer, name: lb.name, awsID: lb.awsID, interface: nil, endpoint: end), g))
            }
        }
        return out
    }
}
