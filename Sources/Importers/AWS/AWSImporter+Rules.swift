// Security groups (describe-security-groups, describe-security-group-rules) and network ACLs.
import IPAddressing
import NetworkModel

extension AWSBuilder {
    mutating func buildSecurityGroups() throws(JSONError) {
        var groupVPC: [String: Int] = [:]
        for (id, item) in s.securityGroups.all {
            guard let vpcID = try item.json.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("security group", id: id, reason: "its VPC is not in the snapshot")
                continue
            }
            imported[.securityGroup, id] = names.name(id)
            groupVPC[id] = v
        }
        var rulesByGroup: [String: [JSONCursor]] = [:]
        for (id, item) in s.securityGroupRules.all {
            guard let group = try item.json.string("GroupId") else { continue }
            if imported[.securityGroup, group] == nil {
                if s.securityGroups[group] == nil {
                    report.skip("security group rule", id: id, reason: "its group \(group) is not in the snapshot (describe-security-groups)")
                }
                continue
            }
            rulesByGroup[group, default: []].append(item.json)
        }
        for (id, item) in s.securityGroups.all {
            guard let v = groupVPC[id], let name = imported[.securityGroup, id] else { continue }
            let j = item.json
            var ingress: [SecurityGroupRule] = []
            var egress: [SecurityGroupRule]?
            if let rules = rulesByGroup[id] {
                egress = []
                for rule in rules {
                    let converted = try sgRule(rule, group: id)
                    if try rule.bool("IsEgress") ?? false { egress?.append(contentsOf: converted) } else { ingress.append(contentsOf: converted) }
                }
            } else {
                for permission in try j.array("IpPermissions") { ingress += try sgPermission(permission, group: id) }
                if j["IpPermissionsEgress"] != nil {
                    egress = []
                    for permission in try j.array("IpPermissionsEgress") { egress?.append(contentsOf: try sgPermission(permission, group: id)) }
                }
            }
            ingress = unique(ingress)
            egress = egress.map(unique)
            // AWS's default egress (all to 0.0.0.0/0, and ::/0 once the VPC has IPv6) is the model's `nil`.
            if let e = egress, isDefaultEgress(e, vpcHasIPv6: !topology.vpcs[v].ipv6Cidrs.isEmpty) { egress = nil }
            // GroupName `default`: the VPC's default group (AWS has exactly one per VPC and it cannot be deleted).
            let isDefault = j["GroupName"]?.stringValue == "default" && !topology.vpcs[v].securityGroups.contains(where: \.isDefault)
            topology.vpcs[v].securityGroups.append(SecurityGroup(name: name, id: id, ingress: ingress, egress: egress, isDefault: isDefault,
                                                                 location: at(j)))
            report.didImport("security group")
        }
    }

    func unique(_ rules: [SecurityGroupRule]) -> [SecurityGroupRule] {
        var seen: Set<SecurityGroupRule> = []
        return rules.filter { seen.insert($0).inserted }
    }

    /// One `IpPermissions` entry: a protocol and ports with any number of peers.
    mutating func sgPermission(_ p: JSONCursor, group: String) throws(JSONError) -> [SecurityGroupRule] {
        guard let protoValue = p["IpProtocol"] else { throw p.error("missing 'IpProtocol'") }
        let proto = try parseProtocol(protoValue)
        let ports = try ruleRange(proto, from: p.flexibleInt("FromPort"), to: p.flexibleInt("ToPort"), at: p)
        var rules: [SecurityGroupRule] = []
        for r in try p.array("IpRanges") {
            if let c = try r.ipv4Prefix("CidrIp") { rules.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .cidr(.v4(c)), location: at(r))) }
        }
        for r in try p.array("Ipv6Ranges") {
            if let c = try r.ipv6Prefix("CidrIpv6") { rules.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .cidr(.v6(c)), location: at(r))) }
        }
        for r in try p.array("PrefixListIds") {
            guard let pl = try r.string("PrefixListId") else { continue }
            if let name = imported[.prefixList, pl] {
                rules.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .prefixList(name), location: at(r)))
            } else {
                warn(r, "security group \(group): prefix list \(pl) is not in the snapshot; rule left out", into: &report)
            }
        }
        for r in try p.array("UserIdGroupPairs") {
            guard let g = try r.string("GroupId") else { continue }
            if let name = imported[.securityGroup, g] {
                rules.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .securityGroup(name), location: at(r)))
            } else {
                warn(r, "security group \(group): referenced group \(g) is not in the snapshot; rule left out", into: &report)
            }
        }
        return rules
    }

    /// One `SecurityGroupRules` entry (describe-security-group-rules): one peer.
    mutating func sgRule(_ r: JSONCursor, group: String) throws(JSONError) -> [SecurityGroupRule] {
        guard let protoValue = r["IpProtocol"] else { throw r.error("missing 'IpProtocol'") }
        let proto = try parseProtocol(protoValue)
        let ports = try ruleRange(proto, from: r.flexibleInt("FromPort"), to: r.flexibleInt("ToPort"), at: r)
        if let c = try r.ipv4Prefix("CidrIpv4") { return [SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .cidr(.v4(c)), location: at(r))] }
        if let c = try r.ipv6Prefix("CidrIpv6") { return [SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .cidr(.v6(c)), location: at(r))] }
        if let pl = try r.string("PrefixListId") {
            if let name = imported[.prefixList, pl] { return [SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .prefixList(name), location: at(r))] }
            warn(r, "security group \(group): prefix list \(pl) is not in the snapshot; rule left out", into: &report)
            return []
        }
        if let g = try r["ReferencedGroupInfo"]?.string("GroupId") {
            if let name = imported[.securityGroup, g] { return [SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .securityGroup(name), location: at(r))] }
            warn(r, "security group \(group): referenced group \(g) is not in the snapshot; rule left out", into: &report)
            return []
        }
        warn(r, "security group \(group): rule has no peer; left out", into: &report)
        return []
    }

    mutating func buildNetworkACLs() throws(JSONError) {
        for (id, item) in s.networkACLs.all {
            let j = item.json
            guard let vpcID = try j.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("network ACL", id: id, reason: "its VPC is not in the snapshot")
                continue
            }
            var inbound: [NetworkACLRule] = []
            var outbound: [NetworkACLRule] = []
            for entry in try j.array("Entries") {
                guard let number = try entry.flexibleInt("RuleNumber") else { throw entry.error("missing 'RuleNumber'") }
                guard number >= 1 && number <= 32766 else { continue }   // 32767/32768: the implicit '*' deny
                guard let protoValue = entry["Protocol"] else { throw entry.error("missing 'Protocol'") }
                let proto = try parseProtocol(protoValue)
                let actionText = try entry.string("RuleAction") ?? ""
                guard let action = NetworkACLRule.Action(rawValue: actionText) else {
                    throw (entry["RuleAction"] ?? entry).error("expected 'allow' or 'deny', found '\(actionText)'")
                }
                let cidr4 = try entry.ipPrefix("CidrBlock"), cidr6 = try entry.ipPrefix("Ipv6CidrBlock")
                guard let cidr = cidr4 ?? cidr6 else {
                    throw entry.error("missing 'CidrBlock' or 'Ipv6CidrBlock'")
                }
                var ports: PortRange?
                switch proto {
                case .tcp, .udp:
                    if let range = entry["PortRange"] {
                        ports = try ruleRange(proto, from: range.flexibleInt("From"), to: range.flexibleInt("To"), at: range)
                    }
                case .icmp, .icmpv6:
                    if let tc = entry["IcmpTypeCode"] {
                        ports = try ruleRange(proto, from: tc.flexibleInt("Type"), to: tc.flexibleInt("Code"), at: tc)
                    }
                default: break
                }
                let rule = NetworkACLRule(number: number, action: action, ipProtocol: proto, ports: ports, cidr: cidr,
                                          location: at(entry))
                if try entry.bool("Egress") ?? false { outbound.append(rule) } else { inbound.append(rule) }
            }
            inbound.sort { $0.number < $1.number }
            outbound.sort { $0.number < $1.number }
            var associations: [String] = []
            for a in try j.array("Associations") {
                guard let sid = try a.string("SubnetId") else { continue }
                if let (sv, si) = subnet(sid), sv == v {
                    let n = topology.vpcs[v].subnets[si].name
                    if !associations.contains(n) { associations.append(n) }
                }
            }
            // IsDefault: the VPC's default NACL, which subnets without an association use.
            let isDefault = try j.bool("IsDefault") == true && !topology.vpcs[v].networkACLs.contains(where: \.isDefault)
            topology.vpcs[v].networkACLs.append(NetworkACL(name: names.name(id), id: id, associations: associations,
                                                           inbound: inbound, outbound: outbound, isDefault: isDefault,
                                                           location: at(j)))
            report.didImport("network ACL")
        }
    }
}
