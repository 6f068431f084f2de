// Terraform: security groups (inline blocks and the three rule resources) and network ACLs.
import IPAddressing
import NetworkModel

extension TFBuilder {
    static let sgTypes: Set<String> = ["aws_security_group", "aws_default_security_group"]

    /// The name of the security group a known id or address denotes.
    ///
    /// AWS also takes the `ACCOUNT/sg-…` form (a group of another account, across a peering): the account is dropped
    /// and the group looked up by its id (Docs/AWS-BEHAVIOUR.md §5, §7: the reconciler keeps it only when the group's VPC is
    /// the rule's own or a same-region peer).
    func groupName(_ idOrAddress: String) -> String? {
        if let n = nameOf[idOrAddress] { return n }
        if let a = addressByID[idOrAddress] { return nameOf[a] }
        if let slash = idOrAddress.lastIndex(of: "/") {
            let id = String(idOrAddress[idOrAddress.index(after: slash)...])
            if id.hasPrefix("sg-"), let a = addressByID[id] { return nameOf[a] }
        }
        return nil
    }

    /// Model rules of one Terraform rule: protocol and ports with any number of peers.
    mutating func tfRules(_ owner: TFResource, _ rule: JSONCursor, protocolKey: String, selfGroup: String,
                          peers: (cidrs: [String], cidrs6: [String], lists: [String], groups: [String], isSelf: Bool)) throws(JSONError) -> [SecurityGroupRule] {
        guard let p = rule[protocolKey], !p.isNull else { return [] }
        let proto = try parseProtocol(p)
        let ports = try ruleRange(proto, from: rule.flexibleInt("from_port"), to: rule.flexibleInt("to_port"), at: rule)
        // An inline block's rules are at the block; a rule resource's at the resource.
        let location = rule.index == owner.values.index ? at(owner) : at(rule)
        var out: [SecurityGroupRule] = []
        for c in peers.cidrs + peers.cidrs6 {
            do { out.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .cidr(try IPPrefix(c, normalize: true)), location: location)) }
            catch { throw rule.error("invalid CIDR '\(c)': \(error.message)") }
        }
        for l in peers.lists {
            if let n = nameOf[addressByID[l] ?? l] { out.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .prefixList(n), location: location)) }
            else { warn(owner, "prefix list \(l) is not imported; rule left out", into: &report) }
        }
        for g in peers.groups {
            if let n = groupName(g) { out.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .securityGroup(n), location: location)) }
            else { warn(owner, "security group \(g) is not imported; rule left out", into: &report) }
        }
        if peers.isSelf { out.append(SecurityGroupRule(ipProtocol: proto, ports: ports, peer: .securityGroup(selfGroup), location: location)) }
        return out
    }

    static func strings(_ c: JSONCursor?) -> [String] {
        (c?.elements ?? []).compactMap { $0.stringValue }.filter { !$0.isEmpty }
    }

    mutating func buildSecurityGroups() throws(JSONError) {
        var groups: [(address: String, vpc: Int, ingress: [SecurityGroupRule], egress: [SecurityGroupRule])] = []
        var index: [String: Int] = [:]
        for r in resources("aws_security_group", "aws_default_security_group") {
            // `aws_default_security_group` without `vpc_id` adopts the default group of the region's default VPC.
            let inDefaultVPC = r.type == "aws_default_security_group" && !isWritten(r, "vpc_id")
            guard let v = inDefaultVPC ? defaultVPC(for: r, "security group") : vpcIndex(r, "security group") else { continue }
            nameOf[r.address] = names.name(r.address)
            index[r.address] = groups.count
            groups.append((r.address, v, [], []))
        }
        // `data "aws_security_group"`: a group outside the configuration (an instance's, or a rule's peer).
        var dataGroups: [String] = []
        for d in dataSources("aws_security_group") {
            guard let vpcID = d.string("vpc_id"), let a = addressByID[vpcID], let v = vpcOf[a] else { continue }
            nameOf[d.address] = names.name(d.address)
            index[d.address] = groups.count
            groups.append((d.address, v, [], []))
            dataGroups.append(d.address)
            noteDataSource(d, "security group")
            warn(d, "the rules of data source security group \(d.string("id") ?? "") are not in the Terraform JSON: imported without rules (traffic only it would admit is denied)", into: &report)
        }
        for r in resources("aws_security_group", "aws_default_security_group") {
            guard let g = index[r.address], let name = nameOf[r.address] else { continue }
            for (key, isEgress) in [("ingress", false), ("egress", true)] {
                if r.isUnknown([key]) { continue }   // rules come from separate resources
                let blocks = r.values[key]?.elements ?? []
                // Blocks whose `security_groups` is unknown until apply (groups of this plan): the configuration writes
                // the rules as one expression, so its group references go to the block when only one is unknown.
                let unknownBlocks = blocks.indices.filter { r.isUnknown([key, "\($0)", "security_groups"]) }
                for (i, block) in blocks.enumerated() {
                    var groupPeers = Self.strings(block["security_groups"])
                    if unknownBlocks.contains(i) {
                        let resolved = resolveThroughConfiguration(r, [key, "\(i)", "security_groups"], types: Self.sgTypes).filter { $0 != r.address }
                        if unknownBlocks.count == 1, !resolved.isEmpty {
                            report.note("\(r.address): \(key).\(i).security_groups unknown until apply; resolved through the configuration to \(resolved.joined(separator: ", "))")
                            groupPeers += resolved
                        } else {
                            warn(r, "\(key).\(i).security_groups is unknown until apply and the configuration does not say which groups this block names\(resolved.isEmpty ? "" : " (the rules name \(resolved.joined(separator: ", ")))"); those peers are left out", into: &report)
                        }
                    }
                    let rules = try tfRules(r, block, protocolKey: "protocol", selfGroup: name,
                                            peers: (Self.strings(block["cidr_blocks"]), Self.strings(block["ipv6_cidr_blocks"]),
                                                    Self.strings(block["prefix_list_ids"]), groupPeers,
                                                    block["self"]?.boolValue ?? false))
                    if isEgress { groups[g].egress += rules } else { groups[g].ingress += rules }
                }
            }
        }
        for r in resources("aws_security_group_rule") {
            guard let a = address(ref(r, ["security_group_id"], types: Self.sgTypes)), let g = index[a], let name = nameOf[a] else {
                skip(r, "security group rule", "its security group is not imported")
                continue
            }
            var sources: [String] = []
            switch ref(r, ["source_security_group_id"], types: Self.sgTypes) {
            case .resource(let s): sources.append(s)
            case .external(let id): sources.append(id)
            case .unresolved: skip(r, "security group rule", "source_security_group_id is unknown until apply"); continue
            case .none: break
            }
            let rules = try tfRules(r, r.values, protocolKey: "protocol", selfGroup: name,
                                    peers: (Self.strings(r.values["cidr_blocks"]), Self.strings(r.values["ipv6_cidr_blocks"]),
                                            Self.strings(r.values["prefix_list_ids"]), sources, r.values["self"]?.boolValue ?? false))
            if r.string("type") == "egress" { groups[g].egress += rules } else { groups[g].ingress += rules }
            report.didImport("security group rule")
        }
        for r in resources("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule") {
            guard let a = address(ref(r, ["security_group_id"], types: Self.sgTypes)), let g = index[a], let name = nameOf[a] else {
                skip(r, "security group rule", "its security group is not imported")
                continue
            }
            var sources: [String] = []
            switch ref(r, ["referenced_security_group_id"], types: Self.sgTypes) {
            case .resource(let s): sources.append(s)
            case .external(let id): sources.append(id)
            case .unresolved: skip(r, "security group rule", "referenced_security_group_id is unknown until apply"); continue
            case .none: break
            }
            var lists: [String] = []
            if let pl = address(ref(r, ["prefix_list_id"], types: ["aws_ec2_managed_prefix_list"])) { lists.append(pl) }
            else if let pl = r.string("prefix_list_id") { lists.append(pl) }
            let rules = try tfRules(r, r.values, protocolKey: "ip_protocol", selfGroup: name,
                                    peers: (r.string("cidr_ipv4").map { [$0] } ?? [], r.string("cidr_ipv6").map { [$0] } ?? [],
                                            lists, sources, false))
            if r.type.hasSuffix("egress_rule") { groups[g].egress += rules } else { groups[g].ingress += rules }
            report.didImport("security group rule")
        }
        for g in groups {
            guard let name = nameOf[g.address], let r = resource(g.address) else { continue }
            // aws_default_security_group (or a data source reading the group named `default`): the VPC's default.
            let isDefault = (r.type == "aws_default_security_group" || (dataGroups.contains(g.address) && r.string("name") == "default"))
                && !topology.vpcs[g.vpc].securityGroups.contains(where: \.isDefault)
            if dataGroups.contains(g.address) {
                topology.vpcs[g.vpc].securityGroups.append(SecurityGroup(name: name, id: r.string("id"), ingress: g.ingress, egress: g.egress,
                                                                         isDefault: isDefault, location: at(r)))
                report.didImport("security group (data source)")
                continue
            }
            var seen: Set<SecurityGroupRule> = []
            let ingress = g.ingress.filter { seen.insert($0).inserted }
            seen.removeAll()
            // Terraform removes AWS's default egress rule: the group's egress is exactly what it declares.
            var egress: [SecurityGroupRule]? = g.egress.filter { seen.insert($0).inserted }
            if let e = egress, isDefaultEgress(e, vpcHasIPv6: !topology.vpcs[g.vpc].ipv6Cidrs.isEmpty) { egress = nil }
            topology.vpcs[g.vpc].securityGroups.append(SecurityGroup(name: name, id: r.string("id"), ingress: ingress, egress: egress,
                                                                     isDefault: isDefault, location: at(r)))
            report.didImport("security group")
        }
    }

    mutating func naclRule(_ r: TFResource, _ c: JSONCursor, numberKey: String, actionKey: String) throws(JSONError) -> NetworkACLRule? {
        guard let number = try c.flexibleInt(numberKey), number >= 1, number <= 32766 else { return nil }
        guard let p = c["protocol"], !p.isNull else { return nil }
        let proto = try parseProtocol(p)
        guard let action = NetworkACLRule.Action(rawValue: c[actionKey]?.stringValue ?? "") else {
            throw (c[actionKey] ?? c).error("expected 'allow' or 'deny'")
        }
        let c4 = try c.tfPrefix("cidr_block"), c6 = try c.tfPrefix("ipv6_cidr_block")
        guard let cidr = c4 ?? c6 else {
            warn(r, "NACL rule \(number) has no CIDR (unknown until apply?); left out", into: &report)
            return nil
        }
        var ports: PortRange?
        switch proto {
        case .tcp, .udp: ports = try ruleRange(proto, from: c.flexibleInt("from_port"), to: c.flexibleInt("to_port"), at: c)
        case .icmp, .icmpv6: ports = try ruleRange(proto, from: c.flexibleInt("icmp_type"), to: c.flexibleInt("icmp_code"), at: c)
        default: break
        }
        // An inline block's rule is at the block; a rule resource's at the resource.
        let location = c.index == r.values.index ? at(r) : at(c)
        return NetworkACLRule(number: number, action: action, ipProtocol: proto, ports: ports, cidr: cidr, location: location)
    }

    mutating func buildNetworkACLs() throws(JSONError) {
        var defaultACLVPC: [String: Int] = [:]   // default_network_acl_id value → VPC
        for r in resources("aws_vpc", "aws_default_vpc") {
            if let id = r.string("default_network_acl_id"), let v = vpcOf[r.address] { defaultACLVPC[id] = v }
        }
        var acls: [(address: String, vpc: Int, acl: NetworkACL)] = []
        var index: [String: Int] = [:]
        for r in resources("aws_network_acl", "aws_default_network_acl") {
            let v: Int?
            if r.type == "aws_default_network_acl" {
                if let id = r.string("default_network_acl_id"), let dv = defaultACLVPC[id] { v = dv }
                else {
                    let vpcs = resolveThroughConfiguration(r, ["default_network_acl_id"], types: ["aws_vpc", "aws_default_vpc"])
                    v = vpcs.count == 1 ? vpcOf[vpcs[0]] : nil
                    if v == nil { skip(r, "network ACL", "its VPC is not known") }
                }
            } else {
                v = vpcIndex(r, "network ACL")
            }
            guard let v else { continue }
            // aws_default_network_acl: the VPC's default NACL (subnets without an association use it).
            let isDefault = r.type == "aws_default_network_acl" && !acls.contains { $0.vpc == v && $0.acl.isDefault }
            var acl = NetworkACL(name: names.name(r.address), id: r.string("id"), isDefault: isDefault, location: at(r))
            for (key, egress) in [("ingress", false), ("egress", true)] {
                for block in r.values[key]?.elements ?? [] {
                    if let rule = try naclRule(r, block, numberKey: "rule_no", actionKey: "action") {
                        if egress { acl.outbound.append(rule) } else { acl.inbound.append(rule) }
                    }
                }
            }
            if let subnets = refs(r, "subnet_ids", types: ["aws_subnet", "aws_default_subnet"]) {
                for s in subnets { if let n = nameOf[s], vpcOf[s] == v { acl.associations.append(n) } }
            }
            index[r.address] = acls.count
            acls.append((r.address, v, acl))
        }
        for r in resources("aws_network_acl_rule") {
            guard let a = address(ref(r, ["network_acl_id"], types: ["aws_network_acl", "aws_default_network_acl"])), let i = index[a] else {
                skip(r, "network ACL rule", "its network ACL is not imported")
                continue
            }
            guard let rule = try naclRule(r, r.values, numberKey: "rule_number", actionKey: "rule_action") else { continue }
            let egress = r.values["egress"]?.boolValue ?? false
            if egress {
                if !acls[i].acl.outbound.contains(where: { $0.number == rule.number }) { acls[i].acl.outbound.append(rule) }
            } else if !acls[i].acl.inbound.contains(where: { $0.number == rule.number }) {
                acls[i].acl.inbound.append(rule)
            }
            report.didImport("network ACL rule")
        }
        for r in resources("aws_network_acl_association") {
            guard let a = address(ref(r, ["network_acl_id"], types: ["aws_network_acl", "aws_default_network_acl"])), let i = index[a],
                  let (v, subnet) = subnetOf(r), v == acls[i].vpc else {
                skip(r, "network ACL association", "its network ACL or subnet is not imported")
                continue
            }
            if !acls[i].acl.associations.contains(subnet) { acls[i].acl.associations.append(subnet) }
        }
        for var entry in acls {
            entry.acl.inbound.sort { $0.number < $1.number }
            entry.acl.outbound.sort { $0.number < $1.number }
            topology.vpcs[entry.vpc].networkACLs.append(entry.acl)
            report.didImport("network ACL")
        }
    }
}
