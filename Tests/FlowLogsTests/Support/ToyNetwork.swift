@testable import FlowLogs

/// A hand-written network for replay tests, independent of the Reachability engine: one VPC 10.0.0.0/16,
/// instances with an inbound SG allow list (egress allows all), subnets with an optional inbound NACL deny list,
/// one public NAT gateway in subnet `pub`. Internet ↔ instance only via a public IP or the NAT gateway.
struct ToyNetwork: FlowNetwork {
    struct Host {
        var name: String
        var address: FlowAddress
        var subnet: String
        var publicAddress: FlowAddress? = nil
        /// (protocol, port) allowed in by the SG; port 0 = all ports of that protocol.
        var sgIn: [(UInt8, UInt16)] = []
    }
    var hosts: [Host]
    /// Subnet → (protocol, destination-port range) denied inbound by its NACL.
    var naclInDeny: [String: [(UInt8, ClosedRange<UInt16>)]] = [:]
    var nat: (address: FlowAddress, eip: FlowAddress, subnet: String)? = nil

    var interfaces: [FlowInterface] {
        var list = hosts.map { h in
            FlowInterface(interfaceID: "eni-\(h.name)", accountID: "123456789010", vpcID: "vpc-1", subnetID: "subnet-\(h.subnet)",
                          instanceID: "i-\(h.name)", region: "us-east-1", azID: "use1-az1", primaryAddress: h.address,
                          publicAddress: h.publicAddress)
        }
        if let nat {
            list.append(FlowInterface(interfaceID: "eni-nat", accountID: "123456789010", vpcID: "vpc-1", subnetID: "subnet-\(nat.subnet)",
                                      instanceID: nil, region: "us-east-1", azID: "use1-az1", primaryAddress: nat.address,
                                      publicAddress: nat.eip, isNATGateway: true))
        }
        return list
    }
    func interface(holding address: FlowAddress) -> Int32? {
        if let i = hosts.firstIndex(where: { $0.address == address }) { return Int32(i) }
        if let nat, nat.address == address { return Int32(hosts.count) }
        return nil
    }
    func isNeverLogged(_ address: FlowAddress) -> Bool { address == v4("10.0.0.2") || address == v4("169.254.169.254") }
    func inVPC(_ a: FlowAddress) -> Bool { !a.isIPv6 && UInt32(truncatingIfNeeded: a.bits) >> 16 == 0x0A00 }
    func subnet(_ i: Int32) -> String { Int(i) < hosts.count ? hosts[Int(i)].subnet : (nat?.subnet ?? "") }

    func forward<H: FlowPathHandler>(_ p: DecodedPacket, from origin: FlowOrigin, tracked: Bool, handler: inout H) -> ForwardEnd {
        func observe(_ i: Int32, egress: Bool, _ ok: Bool, _ q: DecodedPacket, path: UInt8 = 0) {
            handler.observe(InterfaceObservation(interface: i, isEgress: egress, accepted: ok, packetSource: q.source,
                                                 packetDestination: q.destination, sourcePort: q.sourcePort,
                                                 destinationPort: q.destinationPort, trafficPath: path))
        }
        func deliver(_ q: DecodedPacket, to j: Int32, fromSubnet: String?) -> ForwardEnd {
            let dport = q.destinationPort
            var ok = true
            if fromSubnet != subnet(j), let deny = naclInDeny[subnet(j)],
               deny.contains(where: { $0.0 == q.ipProtocol && $0.1.contains(dport) }) { ok = false }
            if ok, !tracked, Int(j) < hosts.count {
                ok = hosts[Int(j)].sgIn.contains { $0.0 == q.ipProtocol && ($0.1 == 0 || $0.1 == dport) }
            }
            observe(j, egress: false, ok, q)
            return ok ? .delivered : .dropped
        }
        let natInterface = Int32(hosts.count)
        func fromNAT(_ q: DecodedPacket) -> ForwardEnd {
            if let j = interface(holding: q.destination) {
                observe(natInterface, egress: true, true, q, path: 1)
                return deliver(q, to: j, fromSubnet: nat?.subnet)
            }
            observe(natInterface, egress: true, true, q, path: 2)
            return .exited
        }
        let usesPorts = p.ipProtocol == 6 || p.ipProtocol == 17
        switch origin {
        case .interface(let i):
            if let j = interface(holding: p.destination) {
                observe(i, egress: true, true, p, path: 1)
                if j == natInterface, nat != nil, !inVPC(p.destination) { return .dropped }
                return deliver(p, to: j, fromSubnet: subnet(i))
            }
            if inVPC(p.destination) { return .dropped }
            if hosts[Int(i)].publicAddress != nil { observe(i, egress: true, true, p, path: 2); return .exited }
            guard let nat else { return .dropped }
            observe(i, egress: true, true, p, path: 1)
            observe(natInterface, egress: false, true, p)
            var q = p
            let port = handler.natSourcePort(gateway: natInterface, original: p)
            q.source = nat.address
            if usesPorts { q.sourcePort = port }
            return fromNAT(q)
        case .internet:
            if let nat, p.destination == nat.eip {
                var q = p
                q.destination = nat.address
                observe(natInterface, egress: false, true, q)
                guard let (client, port) = handler.natReverse(gateway: natInterface, reply: q) else { return .dropped }
                q.destination = client
                if usesPorts { q.destinationPort = port }
                return fromNAT(q)
            }
            if let j = hosts.firstIndex(where: { $0.publicAddress == p.destination }) {
                var q = p
                q.destination = hosts[j].address
                return deliver(q, to: Int32(j), fromSubnet: nil)
            }
            return .dropped
        case .onPremises, .gatewayEndpointService, .loadBalancerNode, .replyToLoadBalancerNode:
            return .dropped  // the toy network has no edges (its default hasExternalOrigins is false)
        }
    }
}
