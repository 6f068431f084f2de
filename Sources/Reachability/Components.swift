import IPAddressing
import NetworkModel

// Turning indices into named components (only when a verdict is built).
extension CompiledTopology {
    /// The interface as a component (``interfaceComponent(_:)-(InterfaceID)`` by index).
    func interfaceComponent(_ i: Int32) -> ComponentRef {
        let iface = interfaces[Int(i)]
        switch iface.kind {
        case .instance: return ComponentRef(kind: .instance, name: iface.name, awsID: iface.awsID ?? iface.instanceID)
        case .natGateway: return ComponentRef(kind: .natGateway, name: iface.name, awsID: iface.awsID)
        case .tgwAttachment(let a): return ComponentRef(kind: .tgwAttachment, name: iface.name, awsID: tgwAttachments[a.position].awsID)
        case .vpcEndpoint: return ComponentRef(kind: .vpcEndpoint, name: iface.name, awsID: iface.awsID)
        case .loadBalancer: return ComponentRef(kind: .loadBalancer, name: iface.name, awsID: iface.awsID)
        }
    }
    /// A VPC endpoint as a component (its name and `vpce-…` id).
    func vpcEndpointComponent(_ id: VPCEndpointID) -> ComponentRef {
        let e = resolved.model(id)
        return ComponentRef(kind: .vpcEndpoint, name: e.name, awsID: e.id)
    }
    /// An explanation naming VPC endpoint `id`.
    func vpcEndpointExplanation(_ id: VPCEndpointID, code: ExplanationCode, direction: PathDirection,
                                problem: ExplanationDetail.VPCEndpointProblem) -> Explanation {
        let e = resolved.model(id)
        return Explanation(code: code, direction: direction, component: vpcEndpointComponent(id),
                           detail: .vpcEndpoint(endpoint: e.name, service: e.serviceShortName, problem: problem))
    }
    func subnetComponent(_ s: Int32) -> ComponentRef {
        ComponentRef(kind: .subnet, name: subnets[Int(s)].name, awsID: subnets[Int(s)].awsID)
    }
    func routeTableComponent(_ t: Int32) -> ComponentRef {
        ComponentRef(kind: .routeTable, name: routeTables[Int(t)].name, awsID: routeTables[Int(t)].awsID)
    }
    func tgwRouteTableComponent(_ t: Int32) -> ComponentRef {
        ComponentRef(kind: .tgwRouteTable, name: tgwRouteTables[Int(t)].name, awsID: tgwRouteTables[Int(t)].awsID)
    }
    func attachmentComponent(_ a: Int32) -> ComponentRef {
        ComponentRef(kind: .tgwAttachment, name: tgwAttachments[Int(a)].name, awsID: tgwAttachments[Int(a)].awsID)
    }
    func peeringComponent(_ p: Int32) -> ComponentRef {
        ComponentRef(kind: .peering, name: peerings[Int(p)].name, awsID: peerings[Int(p)].awsID)
    }
    func gatewayComponent(_ v: Int32, egressOnly: Bool) -> ComponentRef {
        let g = egressOnly ? vpcs[Int(v)].egressOnlyGateway : vpcs[Int(v)].internetGateway
        return ComponentRef(kind: egressOnly ? .egressOnlyGateway : .internetGateway,
                            name: g?.name ?? "(none in vpc \(vpcs[Int(v)].name))", awsID: g?.id)
    }
    /// The security group of a set that owns `rule` (or the set's groups joined, when no rule).
    func securityGroupComponent(_ set: Int32, rule: Int?, ingress: Bool) -> ComponentRef {
        guard set >= 0 else { return ComponentRef(kind: .securityGroup, name: "(none)") }
        let s = securityGroupSets[Int(set)]
        if let rule {
            let g = (ingress ? s.ingress : s.egress)[rule].group
            return ComponentRef(kind: .securityGroup, name: securityGroups[Int(g)].name, awsID: securityGroups[Int(g)].awsID)
        }
        let names = s.groups.map { securityGroups[Int($0)].name }.joined(separator: ", ")
        let ids = s.groups.compactMap { securityGroups[Int($0)].awsID }
        return ComponentRef(kind: .securityGroup, name: names, awsID: ids.isEmpty ? nil : ids.joined(separator: ", "))
    }
    func sgRuleRef(_ set: Int32, _ rule: Int?, ingress: Bool) -> RuleRef? {
        guard set >= 0, let rule else { return nil }
        let r = (ingress ? securityGroupSets[Int(set)].ingress : securityGroupSets[Int(set)].egress)[rule]
        return RuleRef(text: r.text, location: r.location)
    }
    /// Why an address in subnet `s` has no interface: AWS reserves the first four and the last address of
    /// every subnet (IPv4 and IPv6); any other is simply not assigned.
    func unheldAddressReason(_ address: IPAddress, subnet s: Int32) -> ExplanationDetail.UnheldAddressReason {
        let subnet = subnets[Int(s)]
        var offset: UInt128? = nil, last: UInt128 = 0
        switch address {
        case .v4(let a) where subnet.cidr.contains(a):
            offset = UInt128(a.bits &- subnet.cidr.network.bits)
            last = UInt128(subnet.cidr.last.bits &- subnet.cidr.network.bits)
        case .v6(let a):
            if let c = subnet.ipv6Cidr, c.contains(a) {
                offset = a.bits &- c.network.bits
                last = c.last.bits &- c.network.bits
            }
        default: break
        }
        switch offset {
        case 0?: return .networkAddress
        case 1?: return .vpcRouter
        case 2?: return .dnsResolver
        case 3?: return .futureUse
        case let o? where o == last: return .lastAddress
        default: return .notAssigned
        }
    }

    /// Turns a block into an explanation: the component and rule that refused, and the typed detail (its
    /// words: ``ReachMessages/text(_:)-(ExplanationDetail)``). Built only on blocked paths.
    func explanation(_ block: Block, flow f: Flow, direction: PathDirection) -> Explanation {
        let traffic = BlockedTraffic(f)
        let src = translatedPublicAddress(f.source), dst = translatedPublicAddress(f.destination)
        switch block.site {
        case .interface(let i):
            return Explanation(code: block.code, direction: direction, component: interfaceComponent(i),
                               detail: .sourceDestinationCheck(source: src, destination: dst))
        case .securityGroups(let i, let ingress):
            let set = interfaces[Int(i)].securityGroupSet
            let comp = securityGroupComponent(set, rule: nil, ingress: ingress)
            let name = interfaces[Int(i)].name
            let detail: ExplanationDetail
            switch block.code {
            case .sgHasNoRules:
                detail = .securityGroupsHaveNoRules(interface: name, inbound: ingress)
            case .sgReferencingSupport:
                detail = .securityGroupRules(group: comp.name, interface: name, inbound: ingress, traffic: traffic, peer: dst,
                                             crossVPCReferenceOnly: true)
            default:
                detail = .securityGroupRules(group: comp.name, interface: name, inbound: ingress, traffic: traffic,
                                             peer: ingress ? src : dst, crossVPCReferenceOnly: false)
            }
            return Explanation(code: block.code, direction: direction, component: comp, detail: detail)
        case .networkACL(let s, let inbound, _, let deny):
            let acl = subnets[Int(s)].networkACL
            let nacl = networkACLs[Int(max(acl, 0))]
            let rules = inbound ? nacl.inbound : nacl.outbound
            let rule: RuleRef = deny >= 0
                ? RuleRef(text: rules[Int(deny)].text, ruleNumber: rules[Int(deny)].number, location: rules[Int(deny)].location)
                : RuleRef(text: "\(inbound ? "inbound" : "outbound") * deny all (implicit)", ruleNumber: 32767, location: nil)
            return Explanation(code: block.code, direction: direction,
                               component: ComponentRef(kind: .networkACL, name: nacl.name, awsID: nacl.awsID), rule: rule,
                               detail: .networkACL(subnet: subnets[Int(s)].name, inbound: inbound, traffic: traffic,
                                                   peer: inbound ? src : dst, denyingRule: deny >= 0 ? rules[Int(deny)].number : nil))
        case .routeTable(let t, let r):
            let table = routeTables[Int(t)]
            let route = r >= 0 ? table.routes[Int(r)] : nil
            let problem: ExplanationDetail.RouteProblem
            switch block.code {
            case .noRouteToDestination where r >= 0: problem = .natGatewaySendsBackToItself
            case .noRouteToDestination: problem = .noRoute
            case .badStateRoute:
                if case .unresolved(let n)? = route?.target { problem = .unusableTarget(n) } else { problem = .blackhole }
            case .routingLoop: problem = .pointsBackAtSender
            case .unsupportedComponent:
                if case .unmodelled(let x)? = route?.target { problem = .unmodelledTarget(x) } else { problem = .unmodelledTarget(nil) }
            default: problem = .other
            }
            return Explanation(code: block.code, direction: direction, component: routeTableComponent(t),
                               rule: route.map { RuleRef(text: $0.text, location: $0.location) },
                               detail: .route(destination: dst, transitGateway: false, problem: problem))
        case .internetGateway(let v):
            let problem: ExplanationDetail.GatewayProblem
            switch block.code {
            case .igwPublicIPAssociationForEgress: problem = .sourceHasNoPublicAddress
            case .igwPrivateIPAssociationForIngress: problem = .destinationNotPublic
            case .igwDestinationAddressNotInRFC1918Egress, .igwDestinationAddressNotInRFC6598Egress: problem = .destinationPrivate
            case .igwSourceAddressNotInRFC1918Ingress, .igwSourceAddressNotInRFC6598Ingress: problem = .sourcePrivate
            default: problem = .dropped
            }
            return Explanation(code: block.code, direction: direction, component: gatewayComponent(v, egressOnly: false),
                               detail: .gateway(source: src, destination: dst, problem: problem))
        case .egressOnlyGateway(let v):
            return Explanation(code: block.code, direction: direction, component: gatewayComponent(v, egressOnly: true),
                               detail: .gateway(source: src, destination: dst,
                                                problem: block.code == .egressOnlyGatewayInbound ? .inboundToEgressOnly : .dropped))
        case .natGateway(let n):
            let problem: ExplanationDetail.NATGatewayProblem
            switch block.code {
            case .ngwRequiresSourceInVPC: problem = .sourceOutsideVPC
            case .protocolRestriction: problem = .protocolNotTranslated
            case .ngwSourceAddressReassign: problem = .replyTranslatedAgain
            default: problem = .inboundInitiated
            }
            return Explanation(code: block.code, direction: direction, component: interfaceComponent(n),
                               detail: .natGateway(natGateway: interfaces[Int(n)].name, source: src, destination: dst, problem: problem))
        case .peering(let p):
            let pc = peerings[Int(p)]
            return Explanation(code: block.code, direction: direction, component: peeringComponent(p),
                               detail: .peeringNotTransitive(peering: pc.name, vpcA: vpcs[Int(pc.vpcA)].name, vpcB: vpcs[Int(pc.vpcB)].name,
                                                             source: src, destination: dst))
        case .tgwAttachment(let a):
            let problem: ExplanationDetail.AttachmentProblem
            switch block.code {
            case .tgwAttachMissingTGWRTBAssociation: problem = .noAssociatedRouteTable
            case .tgwRouteAZRestriction: problem = .noSubnetInSendersZone
            case .noPossibleDestination where tgwAttachments[Int(a)].interfaces.contains(where: { interfaces[Int($0)].owns(f.destination) }):
                problem = .destinationIsAttachmentInterface
            case .tgwAttachVPCAZRestriction: problem = .applianceModeOff
            default: problem = .cannotDeliver
            }
            return Explanation(code: block.code, direction: direction, component: attachmentComponent(a),
                               detail: .transitGatewayAttachment(attachment: tgwAttachments[Int(a)].name, destination: dst, problem: problem))
        case .tgwRouteTable(let t, let r):
            let route = r >= 0 ? tgwRouteTables[Int(t)].routes[Int(r)] : nil
            return Explanation(code: block.code, direction: direction, component: tgwRouteTableComponent(t),
                               rule: route.map { RuleRef(text: $0.text, location: $0.location) },
                               detail: .route(destination: dst, transitGateway: true, problem: r >= 0 ? .blackhole : .noRoute))
        case .subnet(let sn):
            let subnet = subnets[Int(sn)]
            return Explanation(code: block.code, direction: direction,
                               component: ComponentRef(kind: .subnet, name: subnet.name, awsID: subnet.awsID),
                               detail: .unheldAddress(subnet: subnet.name, destination: dst, reason: unheldAddressReason(f.destination, subnet: sn)))
        case .vpc(let v):
            return Explanation(code: block.code, direction: direction, component: ComponentRef(kind: .vpc, name: vpcs[Int(v)].name, awsID: vpcs[Int(v)].awsID),
                               detail: .outsideSubnets(vpc: vpcs[Int(v)].name, destination: dst))
        case .vpcEndpoint(let g):
            let problem: ExplanationDetail.VPCEndpointProblem = switch block.code {
            case .vpceGatewayProtocolRestriction: f.destination.family == .ipv6 ? .ipv6NotCarried : .protocolNotCarried
            case .vpceIntraVPCTraffic: .endpointInitiates
            case .noRouteToDestination: .notRoutedThroughEndpoint
            case .protocolRestriction: .interfaceCarriesTCPOnly
            default: resolved.vpcEndpoints[Int(g)].kind == .gateway ? .sourceOutsideVPC : .endpointInitiates
            }
            return vpcEndpointExplanation(VPCEndpointID(g), code: block.code, direction: direction, problem: problem)
        case .edge(let v, let e, let problem):
            let comp = edgeComponent(vpc: v, edge: e)
            return Explanation(code: block.code, direction: direction, component: comp,
                               detail: .edge(edge: comp.awsID.map { "\(comp.name) (\($0))" } ?? comp.name, source: src,
                                             destination: dst, problem: problem))
        case .gatewayLoadBalancerEndpoint(let g, let bypassed):
            return gwlbExplanation(g, code: block.code, bypassed: bypassed, flow: f, direction: direction)
        case .internet:
            let detail: ExplanationDetail = block.code == .routingLoop ? .routingLoop(steps: 64) : .notReachableFromInternet(destination: dst)
            return Explanation(code: block.code, direction: direction, component: ComponentRef(kind: .internet, name: "internet"), detail: detail)
        }
    }
}
