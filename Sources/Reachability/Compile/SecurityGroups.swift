import IPAddressing
import NetworkModel

extension CompiledTopology {
    /// Security groups (same index as their ``SecurityGroupID``: per VPC the written groups, then AWS's implied
    /// default group) with their rules expanded: a prefix list becomes one rule per entry, `sg NAME` the
    /// resolved group; a reference that resolves to nothing matches nothing.
    mutating func buildSecurityGroups(_ c: inout CompileContext) {
        let r = c.resolved
        for (gi, group) in r.securityGroups.enumerated() {
            let g = Int32(gi)
            let vi = group.vpc.position
            let vpc = c.topology.vpcs[vi]
            guard let p = group.position else {
                // AWS's default group: all traffic from itself, all egress.
                securityGroups.append(CompiledSecurityGroup(
                    name: "default", awsID: nil, vpc: Int32(vi),
                    ingress: [CompiledSGRule(ipProtocol: -1, ports: nil, peer: .group(SecurityGroupID(g)), group: g,
                                             text: "ingress all from sg default (default group)", location: vpc.location)],
                    egress: CompiledTopology.defaultEgress(group: g, location: vpc.location, ipv6: !vpc.ipv6Cidrs.isEmpty),
                    location: vpc.location))
                continue
            }
            let sg = vpc.securityGroups[Int(p)]
            var compiled = CompiledSecurityGroup(name: sg.name, awsID: sg.id, vpc: Int32(vi), ingress: [], egress: [],
                                                 location: sg.location)
            if !group.isShadowed {
                compiled.ingress = compileRules(sg.ingress, r.securityGroupRules[group.ingress], group: g, ingress: true, &c)
                if let egress = sg.egress, let resolvedEgress = group.egress {
                    compiled.egress = compileRules(egress, r.securityGroupRules[resolvedEgress], group: g, ingress: false, &c)
                } else {
                    compiled.egress = CompiledTopology.defaultEgress(group: g, location: sg.location, ipv6: !vpc.ipv6Cidrs.isEmpty)
                }
            }
            securityGroups.append(compiled)
        }
    }

    /// AWS's allow-all egress (to 0.0.0.0/0, and ::/0 when the VPC has IPv6).
    static func defaultEgress(group: Int32, location: SourceLocation, ipv6: Bool) -> [CompiledSGRule] {
        var out = [CompiledSGRule(ipProtocol: -1, ports: nil, peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!)),
                                  group: group, text: "egress all to 0.0.0.0/0 (default)", location: location)]
        if ipv6 {
            out.append(CompiledSGRule(ipProtocol: -1, ports: nil, peer: .cidr(.v6(IPv6Prefix(network: IPv6Address(bits: 0), length: 0)!)),
                                      group: group, text: "egress all to ::/0 (default)", location: location))
        }
        return out
    }

    /// The written `rules` of one direction with their resolved peers (`peers[k]` is `rules[k]`'s). A rule's
    /// text depends only on its direction and content, and the same rules recur across groups: each distinct
    /// text is built once and shared.
    func compileRules(_ rules: [SecurityGroupRule], _ peers: ArraySlice<ResolvedSGRule>, group: Int32, ingress: Bool,
                      _ c: inout CompileContext) -> [CompiledSGRule] {
        var out: [CompiledSGRule] = []
        for (rule, resolved) in zip(rules, peers) {
            let proto: Int16 = Int16(rule.ipProtocol.awsNumber)
            let text = c.sgRuleTexts.text(for: rule, first: ingress) {
                "\(ingress ? "ingress" : "egress") \(TopologyPrinter.protocolAndPorts(rule.ipProtocol, rule.ports))"
                    + " \(ingress ? "from" : "to") \(rule.peer)"
            }
            switch (rule.peer, resolved.peer) {
            case (.cidr(let p), _):
                out.append(CompiledSGRule(ipProtocol: proto, ports: rule.ports, peer: .cidr(p), group: group, text: text, location: rule.location))
            case (_, .prefixList(let list?)):
                for p in c.resolved.model(list).entries {
                    out.append(CompiledSGRule(ipProtocol: proto, ports: rule.ports, peer: .cidr(p), group: group, text: text, location: rule.location))
                }
            case (_, .securityGroup(let g?)):
                out.append(CompiledSGRule(ipProtocol: proto, ports: rule.ports, peer: .group(g), group: group, text: text, location: rule.location))
            default:
                break
            }
        }
        return out
    }

    /// The interned set of one group `g` (most interfaces have one): found by group index (no array key to sort
    /// and hash), its rules the group's own arrays (shared, not copied).
    mutating func internSGSet(single g: Int32, _ c: inout CompileContext) -> Int32 {
        let found = c.singleGroupSet.find(UInt64(UInt32(bitPattern: g)))
        if found >= 0 { return found }
        let i = Int32(securityGroupSets.count)
        securityGroupSets.append(CompiledSecurityGroupSet(groups: [g], ingress: securityGroups[Int(g)].ingress,
                                                          egress: securityGroups[Int(g)].egress))
        c.singleGroupSet.insertIfAbsent(UInt64(UInt32(bitPattern: g)), i)
        return i
    }

    /// The interned set of `groups` (any order): the union of their rules, flattened once.
    mutating func internSGSet(_ groups: [Int32], _ c: inout CompileContext) -> Int32 {
        if groups.count == 1 { return internSGSet(single: groups[0], &c) }
        let key = groups.sorted()
        if let i = c.sgSetIndex[key] { return i }
        let i = Int32(securityGroupSets.count)
        var ingress: [CompiledSGRule] = [], egress: [CompiledSGRule] = []
        for g in key { ingress += securityGroups[Int(g)].ingress; egress += securityGroups[Int(g)].egress }
        securityGroupSets.append(CompiledSecurityGroupSet(groups: key, ingress: ingress, egress: egress))
        c.sgSetIndex[key] = i
        return i
    }
}
