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
        }
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
    /// `54.1.2.3`, or `public IP of web-3` for a synthetic address.
    func publicAddressText(_ a: IPv4Address) -> String {
        if a.bits & 0xF000_0000 == CompiledTopology.syntheticPublicBase, case let o = publicOwner.find(UInt64(a.bits)), o >= 0, !interfaces[Int(o)].publicIPKnown {
            return "public IP of \(interfaces[Int(o)].name) (unknown)"
        }
        return a.description
    }
    func publicAddressText(_ a: IPAddress) -> String {
        if case .v4(let x) = a { return publicAddressText(x) }
        return a.description
    }

    /// Turns a block into a readable explanation.
    /// Why an address in subnet `s` has no interface: AWS reserves the first four and the last address of
    /// every subnet (IPv4 and IPv6); any other is simply not assigned.
    func unheldAddressReason(_ address: IPAddress, subnet s: Int32) -> String {
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
        case 0?: return "it is the subnet's network address, reserved by AWS"
        case 1?: return "it is reserved by AWS for the VPC router"
        case 2?: return "it is reserved by AWS (the Amazon DNS resolver answers only at the primary VPC block's base + 2)"
        case 3?: return "it is reserved by AWS for future use"
        case let o? where o == last: return "it is the subnet's last address, reserved by AWS"
        default: return "the address is not assigned to any interface"
        }
    }

    func explanation(_ block: Block, flow f: Flow, direction: PathDirection) -> Explanation {
        let traffic: String = {
            let proto = IPProtocol.number(f.ipProtocol).description
            if IPProtocol.isICMP(f.ipProtocol) { return "\(proto) type \(f.icmpTypeCode >> 8) code \(f.icmpTypeCode & 0xFF)" }
            return IPProtocol.hasPorts(f.ipProtocol) ? "\(proto)/\(f.destinationPorts)" : proto
        }()
        let src = publicAddressText(f.source), dst = publicAddressText(f.destination)
        switch block.site {
        case .interface(let i):
            return Explanation(code: block.code, direction: direction, component: interfaceComponent(i),
                               detail: "source/destination check is on and the packet \(src) -> \(dst) is not its own")
        case .securityGroups(let i, let ingress):
            let set = interfaces[Int(i)].securityGroupSet
            let comp = securityGroupComponent(set, rule: nil, ingress: ingress)
            let detail: String
            switch block.code {
            case .sgHasNoRules:
                detail = "the security groups of \(interfaces[Int(i)].name) have no \(ingress ? "inbound" : "outbound") rules"
            case .sgReferencingSupport:
                detail = "only a rule of security group \(comp.name) on \(interfaces[Int(i)].name) referencing another VPC's group allows \(traffic) to \(dst), and the path crosses a transit gateway without security-group referencing, so the reference does not match"
            default:
                detail = "no \(ingress ? "inbound" : "outbound") rule of security group \(comp.name) on \(interfaces[Int(i)].name) allows \(traffic) \(ingress ? "from \(src)" : "to \(dst)")"
            }
            return Explanation(code: block.code, direction: direction, component: comp, detail: detail)
        case .networkACL(let s, let inbound, _, let deny):
            let acl = subnets[Int(s)].networkACL
            let nacl = networkACLs[Int(max(acl, 0))]
            let rules = inbound ? nacl.inbound : nacl.outbound
            let rule: RuleRef = deny >= 0
                ? RuleRef(text: rules[Int(deny)].text, ruleNumber: rules[Int(deny)].number, location: rules[Int(deny)].location)
                : RuleRef(text: "\(inbound ? "inbound" : "outbound") * deny all (implicit)", ruleNumber: 32767, location: nil)
            let which = deny >= 0 ? "rule \(rules[Int(deny)].number) denies" : "no rule allows (final '*' denies)"
            return Explanation(code: block.code, direction: direction,
                               component: ComponentRef(kind: .networkACL, name: nacl.name, awsID: nacl.awsID), rule: rule,
                               detail: "\(inbound ? "inbound" : "outbound") \(traffic) \(inbound ? "from \(src)" : "to \(dst)") on subnet \(subnets[Int(s)].name): \(which)")
        case .routeTable(let t, let r):
            let table = routeTables[Int(t)]
            let route = r >= 0 ? table.routes[Int(r)] : nil
            let detail: String
            switch block.code {
            case .noRouteToDestination where r >= 0:
                detail = "the NAT gateway's subnet table sends \(dst) back to the NAT gateway itself; no route onward to the internet"
            case .noRouteToDestination: detail = "no route for \(dst)"
            case .badStateRoute:
                if case .unresolved(let n)? = route?.target { detail = "route target '\(n)' is not usable from this VPC (blackhole)" }
                else { detail = "\(dst) matches a blackhole route (no fallback to a shorter prefix)" }
            case .routingLoop: detail = "the route for \(dst) points back at the sending interface"
            case .unsupportedComponent:
                let id: String = if case .unmodelled(let x)? = route?.target { x } else { "a target outside the model" }
                detail = "\(dst) is routed to \(id), which VPCKit does not model: it cannot tell what happens beyond it"
            default: detail = "route for \(dst)"
            }
            return Explanation(code: block.code, direction: direction, component: routeTableComponent(t),
                               rule: route.map { RuleRef(text: $0.text, location: $0.location) }, detail: detail)
        case .internetGateway(let v):
            let detail: String
            switch block.code {
            case .igwPublicIPAssociationForEgress: detail = "source \(src) has no public IPv4 association"
            case .igwPrivateIPAssociationForIngress: detail = "destination \(dst) is not a public address of any interface"
            case .igwDestinationAddressNotInRFC1918Egress, .igwDestinationAddressNotInRFC6598Egress: detail = "destination \(dst) is private address space"
            case .igwSourceAddressNotInRFC1918Ingress, .igwSourceAddressNotInRFC6598Ingress: detail = "source \(src) is private address space"
            default: detail = "\(src) -> \(dst) dropped"
            }
            return Explanation(code: block.code, direction: direction, component: gatewayComponent(v, egressOnly: false), detail: detail)
        case .egressOnlyGateway(let v):
            return Explanation(code: block.code, direction: direction, component: gatewayComponent(v, egressOnly: true),
                               detail: block.code == .egressOnlyGatewayInbound ? "an egress-only gateway admits no inbound-initiated IPv6 flows" : "\(src) -> \(dst) dropped")
        case .natGateway(let n):
            let detail: String
            switch block.code {
            case .ngwRequiresSourceInVPC: detail = "source \(src) is not in the NAT gateway's VPC (peering, VPN and DX sources are not translated)"
            case .protocolRestriction: detail = "a NAT gateway translates only IPv4 TCP, UDP and ICMP (and, as NAT64, IPv6 TCP, UDP and ICMPv6 echo to 64:ff9b::/96)"
            case .ngwSourceAddressReassign:
                detail = "the reply \(src) -> \(dst) is routed into NAT gateway \(interfaces[Int(n)].name), which translates its source like a new connection's: it no longer matches the connection, which fails"
            case .noPossibleDestination where f.destination == .v4(interfaces[Int(n)].primaryIP):
                detail = "a NAT gateway admits no inbound-initiated flows (\(src) -> \(dst))"
            default: detail = "a NAT gateway admits no inbound-initiated flows (\(src) -> \(dst))"
            }
            return Explanation(code: block.code, direction: direction, component: interfaceComponent(n), detail: detail)
        case .peering(let p):
            let pc = peerings[Int(p)]
            return Explanation(code: block.code, direction: direction, component: peeringComponent(p),
                               detail: "peering \(pc.name) (\(vpcs[Int(pc.vpcA)].name) <-> \(vpcs[Int(pc.vpcB)].name)) is not transitive: \(src) -> \(dst) needs the source in the VPC it leaves and the destination in the VPC it enters")
        case .tgwAttachment(let a):
            let detail: String
            switch block.code {
            case .tgwAttachMissingTGWRTBAssociation: detail = "attachment \(tgwAttachments[Int(a)].name) has no associated transit gateway route table"
            case .tgwRouteAZRestriction: detail = "attachment \(tgwAttachments[Int(a)].name) has no subnet in the sender's availability zone"
            case .noPossibleDestination where tgwAttachments[Int(a)].interfaces.contains(where: { interfaces[Int($0)].owns(f.destination) }):
                detail = "\(dst) is the address of an interface of attachment \(tgwAttachments[Int(a)].name): a transit gateway interface forwards and serves nothing itself"
            case .tgwAttachVPCAZRestriction: detail = "appliance mode is off on \(tgwAttachments[Int(a)].name): the reply entered an appliance in another AZ that never saw the request"
            default: detail = "attachment \(tgwAttachments[Int(a)].name) cannot deliver \(dst)"
            }
            return Explanation(code: block.code, direction: direction, component: attachmentComponent(a), detail: detail)
        case .tgwRouteTable(let t, let r):
            let route = r >= 0 ? tgwRouteTables[Int(t)].routes[Int(r)] : nil
            return Explanation(code: block.code, direction: direction, component: tgwRouteTableComponent(t),
                               rule: route.map { RuleRef(text: $0.text, location: $0.location) },
                               detail: r >= 0 ? "\(dst) matches a blackhole route" : "no route for \(dst)")
        case .subnet(let sn):
            let subnet = subnets[Int(sn)]
            return Explanation(code: block.code, direction: direction,
                               component: ComponentRef(kind: .subnet, name: subnet.name, awsID: subnet.awsID),
                               detail: "no interface in subnet \(subnet.name) holds \(dst): \(unheldAddressReason(f.destination, subnet: sn)); AWS delivers only to an interface that holds the address")
        case .vpc(let v):
            return Explanation(code: block.code, direction: direction, component: ComponentRef(kind: .vpc, name: vpcs[Int(v)].name, awsID: vpcs[Int(v)].awsID),
                               detail: "\(dst) is in vpc \(vpcs[Int(v)].name) but in none of its subnets")
        case .internet:
            let detail: String
            switch block.code {
            case .routingLoop: detail = "routing loop (more than 64 steps)"
            default: detail = "\(dst) is not reachable from the internet (no internet gateway or no public address)"
            }
            return Explanation(code: block.code, direction: direction, component: ComponentRef(kind: .internet, name: "internet"), detail: detail)
        }
    }
}
