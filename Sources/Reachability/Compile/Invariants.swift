import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Every broken invariant of the compiled tables, as one line each (empty: all hold). Debug builds check it
    /// after every compile (``init(resolved:)`` traps on a violation), as swift-collections checks its heaps;
    /// release builds never run it. What it checks: every index in range and pointing at a component of the
    /// right kind and VPC, NACL rules sorted by number (first match wins), every LPM value a route of its
    /// table, the plain-data copies as long as the records they copy, and interval lists sorted.
    ///
    /// - Complexity: O(size of the compiled tables).
    public func invariantViolations() -> [String] {
        var out: [String] = []
        func check(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { out.append(what()) } }
        func inRange(_ i: Int32, _ count: Int) -> Bool { i >= 0 && Int(i) < count }
        for (v, vpc) in vpcs.enumerated() {
            for s in vpc.subnets {
                check(inRange(s, subnets.count) && subnets[Int(s)].vpc == Int32(v), "vpc \(v): subnet \(s) is not one of its subnets")
            }
            check(vpc.defaultSecurityGroup == -1 || inRange(vpc.defaultSecurityGroup, securityGroups.count),
                  "vpc \(v): default security group \(vpc.defaultSecurityGroup) out of range")
            check(inRange(vpc.mainRouteTable, routeTables.count) && routeTables[Int(vpc.mainRouteTable)].vpc == Int32(v),
                  "vpc \(v): main route table \(vpc.mainRouteTable) is not one of its tables")
        }
        for (i, s) in subnets.enumerated() {
            check(inRange(s.vpc, vpcs.count), "subnet \(i): vpc \(s.vpc) out of range")
            check(inRange(s.routeTable, routeTables.count) && routeTables[Int(s.routeTable)].vpc == s.vpc,
                  "subnet \(i): route table \(s.routeTable) is not one of its VPC's tables")
            check(s.networkACL == -1 || inRange(s.networkACL, networkACLs.count), "subnet \(i): network ACL \(s.networkACL) out of range")
        }
        for (i, e) in interfaces.enumerated() {
            check(inRange(e.subnet, subnets.count) && subnets[Int(e.subnet)].vpc == e.vpc,
                  "interface \(i): subnet \(e.subnet) is not in its vpc \(e.vpc)")
            check(e.securityGroupSet == -1 || inRange(e.securityGroupSet, securityGroupSets.count),
                  "interface \(i): security-group set \(e.securityGroupSet) out of range")
            if case .tgwAttachment(let id) = e.kind { let a = id.index
                check(inRange(a, tgwAttachments.count), "interface \(i): attachment \(a) out of range")
            }
        }
        check(interfaceNICNames.count == interfaces.count, "interface names: \(interfaceNICNames.count) for \(interfaces.count) interfaces")
        for (t, table) in routeTables.enumerated() {
            check(inRange(table.vpc, vpcs.count), "route table \(t): vpc \(table.vpc) out of range")
            for (k, route) in table.routes.enumerated() {
                switch route.target {
                case .natGateway(let id): let i = id.index
                    check(inRange(i, interfaces.count) && interfaces[Int(i)].vpc == table.vpc && !interfaces[Int(i)].isInstance,
                          "route table \(t) route \(k): NAT gateway interface \(i) is not a NAT gateway of its VPC")
                case .interface(let id): let i = id.index
                    check(inRange(i, interfaces.count) && interfaces[Int(i)].vpc == table.vpc && interfaces[Int(i)].isInstance,
                          "route table \(t) route \(k): interface \(i) is not an instance interface of its VPC")
                case .peering(let id): let p = id.index
                    check(inRange(p, peerings.count) && peerings[Int(p)].other(than: table.vpc) != nil,
                          "route table \(t) route \(k): peering \(p) does not join its VPC")
                case .transitGateway(let id): let g = id.index
                    check(inRange(g, transitGateways.count), "route table \(t) route \(k): transit gateway \(g) out of range")
                case .gatewayEndpoint(let id):
                    check(inRange(id.index, resolved.vpcEndpoints.count) && resolved.vpcEndpoints[id.position].vpc.index == table.vpc
                          && resolved.vpcEndpoints[id.position].kind == .gateway,
                          "route table \(t) route \(k): gateway endpoint \(id.index) is not a gateway endpoint of its VPC")
                default: break
                }
            }
            table.lpm.forEachValue { check(inRange($0, table.routes.count), "route table \(t): LPM value \($0) is not one of its routes") }
        }
        for (a, acl) in networkACLs.enumerated() {
            for (direction, rules) in [("inbound", acl.inbound), ("outbound", acl.outbound)] {
                for k in rules.indices.dropFirst() where rules[k - 1].number > rules[k].number {
                    out.append("network ACL \(a): \(direction) rules not sorted by number at \(k)")
                }
            }
        }
        for (g, group) in securityGroups.enumerated() {
            check(inRange(group.vpc, vpcs.count), "security group \(g): vpc \(group.vpc) out of range")
            for rule in group.ingress + group.egress {
                check(rule.group == Int32(g), "security group \(g): holds a rule of group \(rule.group)")
                if case .group(let id) = rule.peer { let peer = id.index
                    check(inRange(peer, securityGroups.count), "security group \(g): references group \(peer) out of range")
                }
            }
        }
        for (i, set) in securityGroupSets.enumerated() {
            check(set.groups.allSatisfy { inRange($0, securityGroups.count) }, "security-group set \(i): group out of range")
            check(zip(set.groups, set.groups.dropFirst()).allSatisfy { $0 < $1 }, "security-group set \(i): groups not sorted")
            check((set.ingress + set.egress).allSatisfy { set.groups.contains($0.group) },
                  "security-group set \(i): holds a rule of a group not in the set")
        }
        for (p, peering) in peerings.enumerated() {
            check(inRange(peering.vpcA, vpcs.count) && inRange(peering.vpcB, vpcs.count), "peering \(p): vpc out of range")
        }
        for (t, tgw) in transitGateways.enumerated() {
            for a in tgw.attachments {
                check(inRange(a, tgwAttachments.count) && tgwAttachments[Int(a)].transitGateway == Int32(t),
                      "transit gateway \(t): attachment \(a) is not one of its attachments")
            }
        }
        for (a, att) in tgwAttachments.enumerated() {
            check(inRange(att.transitGateway, transitGateways.count) && inRange(att.vpc, vpcs.count), "attachment \(a): owner out of range")
            check(att.subnets.count == att.interfaces.count, "attachment \(a): \(att.subnets.count) subnets, \(att.interfaces.count) interfaces")
            for (s, e) in zip(att.subnets, att.interfaces) {
                check(inRange(s, subnets.count) && subnets[Int(s)].vpc == att.vpc, "attachment \(a): subnet \(s) is not in its VPC")
                check(inRange(e, interfaces.count) && interfaces[Int(e)].subnet == s && interfaces[Int(e)].kind == .tgwAttachment(TGWAttachmentID(a)),
                      "attachment \(a): interface \(e) is not its ENI in subnet \(s)")
            }
            check(att.associatedRouteTable == -1 || (inRange(att.associatedRouteTable, tgwRouteTables.count)
                    && tgwRouteTables[Int(att.associatedRouteTable)].transitGateway == att.transitGateway),
                  "attachment \(a): associated table \(att.associatedRouteTable) is not one of its TGW's")
        }
        for (t, table) in tgwRouteTables.enumerated() {
            for route in table.routes {
                if case .attachment(let id) = route.target { let a = id.index
                    check(inRange(a, tgwAttachments.count), "TGW route table \(t): attachment \(a) out of range")
                }
            }
            table.lpm.forEachValue { check(inRange($0, table.routes.count), "TGW route table \(t): LPM value \($0) is not one of its routes") }
        }
        check(subnetLPM.count == vpcs.count, "subnet LPMs: \(subnetLPM.count) for \(vpcs.count) VPCs")
        check(subnetHot.count == subnets.count, "subnet hot data: \(subnetHot.count) for \(subnets.count) subnets")
        check(interfaceHot.count == interfaces.count, "interface hot data: \(interfaceHot.count) for \(interfaces.count) interfaces")
        for (i, hot) in subnetHot.enumerated() where i < subnets.count {
            check(hot.routeTable == subnets[i].routeTable && hot.networkACL == subnets[i].networkACL && hot.vpc == subnets[i].vpc,
                  "subnet \(i): hot data disagrees with the record")
        }
        for (i, hot) in interfaceHot.enumerated() where i < interfaces.count {
            check(hot.subnet == interfaces[i].subnet && hot.securityGroupSet == interfaces[i].securityGroupSet,
                  "interface \(i): hot data disagrees with the record")
        }
        for (t, slice) in routeTableIntervals.enumerated() {
            let lo = Int(slice.start), hi = lo + Int(slice.count)
            guard lo >= 0, hi <= routeIntervals.count else { out.append("route table \(t): interval slice out of range"); continue }
            for k in (lo + 1)..<max(lo + 1, hi) where routeIntervals[k - 1].start >= routeIntervals[k].start {
                out.append("route table \(t): intervals not sorted at \(k - lo)")
                break
            }
        }
        for (v, slice) in vpcSubnetIntervals.enumerated() {
            let lo = Int(slice.start), hi = lo + Int(slice.count)
            guard lo >= 0, hi <= subnetIntervals.count else { out.append("vpc \(v): subnet interval slice out of range"); continue }
            for k in (lo + 1)..<max(lo + 1, hi) where subnetIntervals[k - 1].start >= subnetIntervals[k].start {
                out.append("vpc \(v): subnet intervals not sorted at \(k - lo)")
                break
            }
        }
        return out
    }
}
