import IPAddressing
import NetworkModel

// Questions about load balancers that lint asks (Docs/LINT.md "Load balancers"), answered by the same walks as
// `vpckit reach` through a load balancer (LoadBalancers.swift), so that lint and `reach` never disagree.

/// Whether a target's security groups take the connections a load balancer node opens to it.
public enum TargetAdmission: Hashable, Sendable {
    /// Some connection the node opens to the target (from its own address, or with client-IP preservation from some
    /// client) passes the target's security groups.
    case admitted
    /// None does, and the target's security groups stop some of them (the explanation of the first).
    case blockedBySecurityGroup(Explanation)
    /// None does, but not (only) because of the target's security groups, or the target is not an interface of the
    /// topology (an address outside it, a function): the explanation when there is one.
    case notDecidedBySecurityGroup(Explanation?)
}

extension CompiledTopology {
    /// The availability zone of load balancer node `node` (its subnet's).
    public func zone(ofNode node: InterfaceID) -> String? {
        subnets[Int(interfaces[node.position].subnet)].availabilityZone
    }

    /// Client addresses in VPC `vpc` to try toward interface `target` (an internal load balancer's target with
    /// client-IP preservation): the first usable address of each subnet of the VPC, and, for each of the target's
    /// IPv4 CIDR rules that can match `ipProtocol`, the lowest usable subnet address inside the rule's block. So a
    /// group that admits only part of the VPC (a /25 of a subnet, one address) is tried with an address it admits, and
    /// "no client is admitted" is never concluded from addresses the rules happen to leave out. Group references
    /// need no address: they never match through the load balancer. Distinct, in that order.
    func internalClients(of vpc: Int32, toward target: InterfaceID, protocol ipProtocol: UInt8) -> [IPv4Address] {
        var out: [IPv4Address] = []
        var seen = Set<UInt32>()
        func add(_ a: IPv4Address) { if seen.insert(a.bits).inserted { out.append(a) } }
        let inVPC = subnets.indices.filter { subnets[$0].vpc == vpc }
        for s in inVPC { add(subnets[s].firstUsableAddress) }
        let set = interfaces[target.position].securityGroupSet
        guard set >= 0 else { return out }
        for rule in securityGroupSets[Int(set)].ingress where rule.ipProtocol == -1 || rule.ipProtocol == Int16(ipProtocol) {
            switch rule.peer {
            case .cidr(.v4(let block)):
                // The lowest usable subnet address inside the block (subnets inside it already gave theirs).
                for s in inVPC {
                    let c = subnets[s].cidr
                    guard block.length > c.length, c.contains(block.network) else { continue }
                    let first = max(block.network.bits, subnets[s].firstUsableAddress.bits)
                    // AWS keeps a subnet's last address (broadcast) too.
                    if first <= block.last.bits, first < c.last.bits { add(IPv4Address(bits: first)) }
                }
            case .cidr(.v6), .group:
                // A group reference never matches through the load balancer: the node forwards, and forwarding
                // loses group identity (SG_REFERENCES_NOT_PRESERVED).
                continue
            }
        }
        return out
    }

    /// Do target `t`'s security groups admit the connections node `node` of load balancer `k` opens to it, for IP
    /// protocol `ipProtocol`? The clients the target sees are the node's own address (ALB, classic, NLB without
    /// client-IP preservation) or, with preservation, the clients': for an internet-facing load balancer the whole
    /// internet address set (one address per class, as every internet query), for an internal one the first usable
    /// address of each subnet of its VPC. Each is the target's leg of `vpckit reach` (forward path).
    public func targetAdmission(loadBalancer k: Int, node: InterfaceID, target t: CompiledLoadBalancerTarget,
                                ipProtocol: UInt8) -> TargetAdmission {
        guard loadBalancers.indices.contains(k), let ti = t.interfaceID, let address = t.address, !t.isLambda else {
            return .notDecidedBySecurityGroup(nil)
        }
        let lb = loadBalancers[k]
        let k32 = Int32(k)
        var verdicts: [Verdict] = []
        if !t.preservesClientIP {
            verdicts = [targetLeg(k32, node: node, target: t, client: .v4(interfaces[node.position].primaryIP), ipProtocol: ipProtocol,
                                  clientPorts: .ephemeral, oneWay: true)]
        } else if lb.scheme == .internetFacing {
            let destination = ResolvedEndpoint.interface(ti, address: .v4(address))
            let traffic = TrafficSpec(ipProtocol: .number(ipProtocol), port: t.port)
            verdicts = walkInternet(internetAddresses, side: .source, other: destination, traffic: traffic) { peer in
                ((), targetLeg(k32, node: node, target: t, client: peer.address, ipProtocol: ipProtocol, clientPorts: .ephemeral, oneWay: true))
            }.map(\.2)
        } else {
            for client in internalClients(of: lb.vpc, toward: ti, protocol: ipProtocol) where client != address {
                verdicts.append(targetLeg(k32, node: node, target: t, client: .v4(client), ipProtocol: ipProtocol,
                                          clientPorts: .ephemeral, oneWay: true))
            }
        }
        if verdicts.contains(where: { $0.state != .unreachable }) { return .admitted }
        let name = interfaces[ti.position].name
        for v in verdicts {
            guard let e = v.explanation, e.direction == .forward else { continue }
            switch e.detail {
            case .securityGroupRules(_, let interface, true, _, _, _) where interface == name: return .blockedBySecurityGroup(e)
            case .securityGroupsHaveNoRules(let interface, true) where interface == name: return .blockedBySecurityGroup(e)
            default: continue
            }
        }
        return .notDecidedBySecurityGroup(verdicts.first?.explanation)
    }
}
