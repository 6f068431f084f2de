import NetworkModel
import Reachability

extension Diagram {
    /// Draws `verdict`'s path on the diagram, read from its typed trace (never re-derived): every hop of the
    /// forward path, then of the return path (the working ports' reply, or up to where the reply is stopped),
    /// numbered from 1 at the node of its component, consecutive hops at different nodes joined by numbered edges
    /// (the reply's colour from its first hop on), and the
    /// explanation's component marked with its code and rule. A hop whose component has no node yet (a
    /// security group, route table or NACL) gets one in its VPC's cluster; one the diagram cannot place (a
    /// component outside a `--focus`) gets one outside every cluster, so that every hop is drawn.
    public mutating func overlay(_ verdict: Verdict, files: SourceFileTable) {
        var steps: [(PathDirection, Hop)] = verdict.forwardPath.map { (.forward, $0) }
        steps += verdict.returnPath.map { (.return, $0) }
        if verdict.returnPath.isEmpty { steps += verdict.blockedReturnPath.map { (.return, $0) } }
        // The subnet each hop happens in, where the trace says (a NACL's subnet, an instance's), else the nearest
        // earlier hop's of the same direction, else the nearest later one's: where a node drawn only for the path
        // goes (the security group of web-1 beside web-1, not somewhere in its VPC).
        var subnets: [String?] = steps.map { subnet(of: $0.1) }
        for k in subnets.indices.dropFirst() where subnets[k] == nil && steps[k - 1].0 == steps[k].0 { subnets[k] = subnets[k - 1] }
        for k in subnets.indices.dropLast().reversed() where subnets[k] == nil && steps[k + 1].0 == steps[k].0 { subnets[k] = subnets[k + 1] }
        var currentVPC: String? = nil
        var previous: String? = nil
        for (k, (direction, hop)) in steps.enumerated() {
            let number = k + 1
            let id = nodeID(for: hop.component, near: currentVPC, subnet: subnets[k])
            if let vpc = componentVPC[id] { currentVPC = vpc }
            updateNode(id) { $0.hops.append(number) }
            pathSteps.append(DiagramPathStep(number: number, direction: direction, component: hop.component,
                                             action: hop.action.kind, actionText: ReachMessages.text(hop.action), rule: hop.rule?.description(files: files), nodeID: id))
            if let previous, previous != id {
                edges.append(DiagramEdge(from: previous, to: id, kind: direction == .forward ? .pathForward : .pathReturn,
                                         label: "\(number)"))
            }
            previous = id
        }
        pathDisposition = verdict.disposition.kind
        if let e = verdict.explanation {
            var subnet = subnets.last ?? nil
            if case .networkACL(let name, _, _, _, _) = e.detail { subnet = name }
            let id = nodeID(for: e.component, near: currentVPC, subnet: subnet)
            let block = DiagramBlock(code: e.code.rawValue, direction: e.direction, rule: e.rule?.description(files: files),
                                     detail: e.detailText)
            updateNode(id) { $0.blocked = block }
            if let previous, previous != id {
                edges.append(DiagramEdge(from: previous, to: id, kind: e.direction == .forward ? .pathForward : .pathReturn,
                                         label: "blocked"))
            }
        }
    }

    /// The node of `component`, drawing it when the diagram has none: in the cluster of VPC `vpc` when the
    /// component is one of that VPC's (security groups named `default` are in every VPC), else outside.
    /// The subnet a hop names or whose interface it is at.
    func subnet(of hop: Hop) -> String? {
        if case .networkACLAllowed(_, let name) = hop.action { return name }
        switch hop.component.kind {
        case .instance, .networkInterface: return componentSubnet[ComponentKey(kind: .instance, name: hop.component.name)]
        case .subnet: return hop.component.name
        default: return nil
        }
    }

    mutating func nodeID(for component: ComponentRef, near vpc: String?, subnet: String? = nil) -> String {
        var none: DiagramIndex? = nil
        return nodeID(for: component, near: vpc, subnet: subnet, index: &none)
    }

    /// ``nodeID(for:near:subnet:)``, looking nodes up in `index` (and recording the ones it draws) when there is one.
    mutating func nodeID(for component: ComponentRef, near vpc: String?, subnet: String? = nil, index: inout DiagramIndex?) -> String {
        let key = ComponentKey(kind: component.kind, name: component.name)
        if let id = components[key] { return id }
        if component.kind == .internet {
            if !hasNode("internet", index) {
                place(DiagramNode(id: "internet", kind: .internet, lines: ["internet"]), inCluster: nil, &index)
            }
            components[key] = "internet"
            return "internet"
        }
        if let id = component.awsID.flatMap({ components[ComponentKey(kind: component.kind, name: $0)] }) { return id }
        let subnetVPC = subnet.flatMap { self.subnetVPC[$0] }
        if let options = placements[key], let p = options.first(where: { $0.vpc == (subnetVPC ?? vpc) }) ?? options.first {
            if !hasNode(p.node.id, index) {
                // Beside the subnet the path is in when that subnet is in the component's VPC (instances keep their zone).
                let inSubnet = p.vpc == subnetVPC && !(component.kind == .instance || component.kind == .networkInterface)
                place(p.node, inCluster: inSubnet ? (subnet.flatMap { subnetCluster[$0] } ?? p.clusterID) : p.clusterID, &index)
            }
            componentVPC[p.node.id] = p.vpc
            if options.count == 1 { components[key] = p.node.id }
            return p.node.id
        }
        // Not drawn (outside the focus, or a component the builder does not draw): a node of its own.
        let id = DiagramID.make("hop", component.kind.rawValue) + "__" + DiagramID.make("n", component.name)
        if !hasNode(id, index) {
            place(DiagramNode(id: id, kind: Self.nodeKind(component.kind), lines: [component.description]), inCluster: nil, &index)
        }
        components[key] = id
        return id
    }

    static func nodeKind(_ kind: ComponentKind) -> DiagramNodeKind {
        switch kind {
        case .instance, .networkInterface: .instance
        case .subnet: .subnet
        case .vpc: .vpc
        case .routeTable: .routeTable
        case .securityGroup: .securityGroup
        case .networkACL: .networkACL
        case .internetGateway: .internetGateway
        case .egressOnlyGateway: .egressOnlyGateway
        case .natGateway: .natGateway
        case .peering: .peering
        case .transitGateway: .transitGateway
        case .tgwAttachment: .tgwAttachment
        case .tgwRouteTable: .tgwRouteTable
        case .internet: .internet
        case .vpcEndpoint, .loadBalancer: .vpcEndpoint
        case .vpnGateway: .vpnGateway
        case .vpnConnection: .vpnConnection
        case .virtualInterface: .virtualInterface
        case .directConnectGateway: .directConnectGateway
        case .onPremises: .onPremises
        }
    }
}
