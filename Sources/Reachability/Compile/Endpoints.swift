import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Interface endpoints' written addresses are taken before any address is picked (as instances' are), and
    /// the tables that get each gateway endpoint's route are noted for ``buildRouteTables(_:)``.
    mutating func reserveEndpointAddresses(_ c: inout CompileContext) {
        let r = c.resolved
        guard !r.vpcEndpoints.isEmpty else { return }
        c.gatewayEndpointRoutes = Array(repeating: [], count: r.vpcEndpoints.count)
        for i in r.vpcEndpoints.indices {
            let e = r.vpcEndpoints[i]
            switch e.kind {
            case .gateway:
                for t in e.routeTables { c.gatewayEndpointsByTable[t.index, default: []].append(VPCEndpointID(i)) }
                c.gatewayEndpointRoutes[i] = gatewayEndpointRoutes(VPCEndpointID(i), r)
            case .interface, .gatewayLoadBalancer:
                for a in r.model(VPCEndpointID(i)).addresses { c.usedAddresses.insertIfAbsent(UInt64(a.bits), 0) }
            }
        }
    }

    /// Interface endpoints: one ENI per resolved subnet, after every other interface, named `ENDPOINT@SUBNET`,
    /// with the endpoint's groups and the written address (one outside the subnet is ignored), else one picked
    /// like a NAT gateway's (the highest free address of the subnet). Source/destination check is on: an
    /// endpoint ENI never forwards.
    mutating func buildInterfaceEndpoints(_ c: inout CompileContext) {
        let r = c.resolved
        for i in r.vpcEndpoints.indices where r.vpcEndpoints[i].kind == .interface {
            let resolvedEndpoint = r.vpcEndpoints[i]
            let e = r.model(VPCEndpointID(i))
            let groups = resolvedEndpoint.securityGroups.map(\.index)
            let set: Int32 = groups.count == 1 ? internSGSet(single: groups[0], &c) : internSGSet(groups, &c)
            for eni in resolvedEndpoint.interfaces {
                let s = eni.subnet.index
                let w = Int(eni.written)
                let cidr = subnets[Int(s)].cidr
                let address: IPv4Address
                if w < e.addresses.count, cidr.contains(e.addresses[w]) {
                    address = e.addresses[w]
                } else {
                    address = CompiledTopology.pickAddress(in: cidr, used: &c.usedAddresses)
                }
                interfaceNICNames.append("")
                interfaces.append(CompiledInterface(name: "\(e.name)@\(subnets[Int(s)].name)",
                                                    awsID: w < e.interfaceIDs.count ? e.interfaceIDs[w] : nil, instanceID: nil,
                                                    kind: .vpcEndpoint(VPCEndpointID(i)), subnet: s, vpc: resolvedEndpoint.vpc.index,
                                                    primaryIP: address, secondaryIPs: [], ipv6Addresses: [], publicIP: nil,
                                                    publicIPKnown: true, securityGroupSet: set, sourceDestCheck: true,
                                                    location: e.location))
            }
        }
    }

    /// Table `t`'s gateway-endpoint routes: one prefix-list route per entry of the service's list (each at its
    /// own length: a CIDR route of the same prefix beats it, it beats a shorter `0.0.0.0/0 -> nat`).
    func appendGatewayEndpointRoutes(table t: Int, _ routes: inout [CompiledRoute], _ c: CompileContext) {
        guard let endpoints = c.gatewayEndpointsByTable[Int32(t)] else { return }
        for id in endpoints { routes.append(contentsOf: c.gatewayEndpointRoutes[id.position]) }
    }

    /// How many gateway-endpoint routes ``appendGatewayEndpointRoutes(table:_:_:)`` adds to table `t`.
    func gatewayEndpointRouteCount(table t: Int, _ c: CompileContext) -> Int {
        guard !c.gatewayEndpointsByTable.isEmpty, let endpoints = c.gatewayEndpointsByTable[Int32(t)] else { return 0 }
        var n = 0
        for id in endpoints { n += c.gatewayEndpointRoutes[id.position].count }
        return n
    }

    /// Gateway endpoint `id`'s routes: one per entry of its service prefix list, sharing one text.
    func gatewayEndpointRoutes(_ id: VPCEndpointID, _ r: ResolvedTopology) -> [CompiledRoute] {
        guard let pl = r.vpcEndpoints[id.position].prefixList else { return [] }
        let list = r.model(pl)
        let e = r.model(id)
        let text = "route pl:\(list.name) -> \(e.name) (gateway endpoint \(e.serviceShortName))"
        return list.entries.map {
            CompiledRoute(prefix: $0, target: .gatewayEndpoint(id), origin: .prefixList(list.name), text: text, location: e.location)
        }
    }

    /// The interface endpoint's ENIs (data-plane interfaces, in its subnets' written order).
    public func interfaces(ofEndpoint id: VPCEndpointID) -> [InterfaceID] {
        var out: [InterfaceID] = []
        for i in interfaces.indices {
            if case .vpcEndpoint(let e) = interfaces[i].kind, e == id { out.append(InterfaceID(Int32(i))) }
        }
        return out
    }
}
