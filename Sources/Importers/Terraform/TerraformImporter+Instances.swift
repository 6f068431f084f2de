// Terraform: instances and network interfaces.
import IPAddressing
import NetworkModel

extension TFBuilder {
    mutating func groupNames(_ r: TFResource, _ attribute: String) -> [String] {
        guard let list = refs(r, attribute, types: Self.sgTypes) else { return [] }
        var out: [String] = []
        for g in list {
            let key = g.hasPrefix("id:") ? String(g.dropFirst(3)) : g
            if let n = groupName(key) { out.append(n) } else { warn(r, "security group \(key) is not imported; left out", into: &report) }
        }
        return out
    }

    mutating func buildInstances() throws(JSONError) {
        // ENIs attached to instances: by inline attachment blocks, attachment resources, or the instance's blocks.
        var attachedTo: [String: (instance: String, device: Int)] = [:]
        for e in resources("aws_network_interface") {
            for a in e.values["attachment"]?.elements ?? [] {
                if let i = address(ref(e, ["attachment", "0", "instance"], types: ["aws_instance"], value: a["instance"])) {
                    attachedTo[e.address] = (i, a["device_index"]?.intValue ?? 1)
                }
            }
        }
        for a in resources("aws_network_interface_attachment") {
            if let e = address(ref(a, ["network_interface_id"], types: ["aws_network_interface"])),
               let i = address(ref(a, ["instance_id"], types: ["aws_instance"])) {
                attachedTo[e] = (i, a.values["device_index"]?.intValue ?? 1)
            }
        }
        var extraSGs: [String: [String]] = [:]
        for s in resources("aws_network_interface_sg_attachment") {
            if let e = address(ref(s, ["network_interface_id"], types: ["aws_network_interface"])),
               let g = address(ref(s, ["security_group_id"], types: Self.sgTypes)), let n = nameOf[g] {
                extraSGs[e, default: []].append(n)
            }
        }
        var enisByInstance: [String: [(device: Int, eni: TFResource)]] = [:]
        for (eni, a) in attachedTo {
            if let e = doc.byAddress[eni].map({ doc.resources[$0] }) { enisByInstance[a.instance, default: []].append((a.device, e)) }
        }
        var usedENIs: Set<String> = []
        // Per VPC, the model names of its security groups, for `security_groups` given by name (every group is built by now).
        let groupsIn: [Set<String>] = topology.vpcs.map { Set($0.securityGroups.map(\.name)) }

        for r in resources("aws_instance") {
            var interfaces: [NetworkInterface] = []
            var firstVPC: Int?   // the VPC of the first interface's subnet
            let launchBlocks = r.values["network_interface"]?.elements ?? []
            var launched: [(Int, TFResource)] = []
            for (i, b) in launchBlocks.enumerated() {
                if let e = address(ref(r, ["network_interface", "\(i)", "network_interface_id"], types: ["aws_network_interface"], value: b["network_interface_id"])),
                   let eni = doc.byAddress[e].map({ doc.resources[$0] }) {
                    launched.append((b["device_index"]?.intValue ?? i, eni))
                }
            }
            if launched.isEmpty {
                // The primary interface is described by the instance's own attributes.
                guard let (v, subnet) = subnetOf(r) else {
                    skip(r, "instance", r.isUnknown(["subnet_id"]) ? "subnet_id is unknown until apply and not resolvable" : "its subnet is not imported")
                    continue
                }
                guard let ip = try r.values.tfAddress4("private_ip") else {
                    skip(r, "instance", "private_ip is unknown until apply (set private_ip in the configuration to import it)")
                    continue
                }
                var secondary: [IPv4Address] = []
                for s in Self.strings(r.values["secondary_private_ips"]) { if let a = try? IPv4Address(s) { secondary.append(a) } }
                var publicIP: NetworkInterface.PublicIP?
                if let p = try r.values.tfAddress4("public_ip") { publicIP = .address(p) }
                else if r.values["associate_public_ip_address"]?.boolValue == false { publicIP = NetworkInterface.PublicIP.none }
                var v6: [IPv6Address] = []
                for s in Self.strings(r.values["ipv6_addresses"]) { if let a = try? IPv6Address(s) { v6.append(a) } }
                var groups = groupNames(r, "vpc_security_group_ids")
                if groups.isEmpty, r.type == "aws_instance" {
                    for g in Self.strings(r.values["security_groups"]) {   // by group name (default VPC)
                        if groupsIn[v].contains(g) { groups.append(g) }
                    }
                }
                interfaces.append(NetworkInterface(name: "eth0", id: r.string("primary_network_interface_id"), subnet: subnet, privateIP: ip,
                                                   secondaryIPs: secondary, publicIP: publicIP, ipv6Addresses: v6, securityGroups: groups,
                                                   sourceDestCheck: r.values["source_dest_check"]?.boolValue ?? true,
                                                   location: at(r)))
                firstVPC = v
            }
            var others = launched + (enisByInstance[r.address] ?? []).map { ($0.device, $0.eni) }
            others.sort { $0.0 < $1.0 }
            for (device, eni) in others where !usedENIs.contains(eni.address) {
                guard let (v, iface) = try networkInterface(eni, device: device, extraSGs: extraSGs[eni.address] ?? []) else { continue }
                if interfaces.isEmpty { firstVPC = v }
                interfaces.append(iface)
                usedENIs.insert(eni.address)
            }
            guard let v = firstVPC else {
                skip(r, "instance", "none of its interfaces could be imported")
                continue
            }
            let name = names.name(r.address)
            instanceAt[name] = (v, topology.vpcs[v].instances.count)
            topology.vpcs[v].instances.append(Instance(name: name, id: r.string("id"), interfaces: interfaces, location: at(r)))
            let (tags, dropped) = ImportedTags.keep(ImportedTags.terraform(r.values))
            if !tags.isEmpty { topology.vpcs[v].instances[topology.vpcs[v].instances.count - 1].tags = tags }
            for d in dropped { skip(r, "tag", "\(d.key): \(d.reason)") }
            nameOf[r.address] = name
            vpcOf[r.address] = v
            for (i, iface) in interfaces.enumerated() {
                if let id = iface.id, let a = addressByID[id] { nameOf[a] = i == 0 ? name : name + "." + iface.name }
            }
            for (device, eni) in others where usedENIs.contains(eni.address) {
                nameOf[eni.address] = device == 0 ? name : name + ".eth\(device)"
                vpcOf[eni.address] = v
            }
            report.didImport("instance")
        }
        for e in resources("aws_network_interface") where !usedENIs.contains(e.address) {
            skip(e, "network interface", "not attached to an instance (the language has only instance interfaces)")
        }
    }

    /// The model interface of `e` and the VPC of its subnet; nil (after a skip) when it cannot be imported.
    mutating func networkInterface(_ e: TFResource, device: Int, extraSGs: [String]) throws(JSONError) -> (vpc: Int, interface: NetworkInterface)? {
        guard let (v, subnet) = subnetOf(e) else {
            skip(e, "network interface", "its subnet is not imported")
            return nil
        }
        var ips: [IPv4Address] = []
        if let p = try e.values.tfAddress4("private_ip") { ips.append(p) }
        for s in Self.strings(e.values["private_ip_list"]) + Self.strings(e.values["private_ips"]) {
            if let a = try? IPv4Address(s), !ips.contains(a) { ips.append(a) }
        }
        guard let primary = ips.first else {
            skip(e, "network interface", "its private address is unknown until apply (set private_ips in the configuration)")
            return nil
        }
        var v6: [IPv6Address] = []
        for s in Self.strings(e.values["ipv6_addresses"]) + Self.strings(e.values["ipv6_address_list"]) {
            if let a = try? IPv6Address(s), !v6.contains(a) { v6.append(a) }
        }
        var groups = groupNames(e, "security_groups")
        for g in extraSGs where !groups.contains(g) { groups.append(g) }
        report.didImport("network interface")
        return (v, NetworkInterface(name: "eth\(device)", id: e.string("id"), subnet: subnet, privateIP: primary,
                                    secondaryIPs: Array(ips.dropFirst()), ipv6Addresses: v6, securityGroups: groups,
                                    sourceDestCheck: e.values["source_dest_check"]?.boolValue ?? true, location: at(e)))
    }
}

extension TFBuilder {
    /// Elastic IPs on instances and interfaces: `aws_eip` with `instance` / `network_interface`, and
    /// `aws_eip_association`. A plan knows neither the address nor (usually) the target's id: the target is resolved
    /// through the configuration and the address is `public-ip unknown` until apply; a state gives both.
    mutating func buildElasticIPs() throws(JSONError) {
        // A NAT gateway's EIP sits on the gateway's own interface (not a resource): it is the gateway's address.
        var natEIPs: Set<String> = []
        for n in resources("aws_nat_gateway") {
            if let e = address(ref(n, ["allocation_id"], types: ["aws_eip"])) { natEIPs.insert(e) }
        }
        for r in resources("aws_eip") where !natEIPs.contains(r.address) {
            let eniRef = isWritten(r, "network_interface") ? ref(r, ["network_interface"], types: ["aws_network_interface", "aws_instance"]) : .none
            let instanceRef = address(eniRef) == nil && isWritten(r, "instance") ? ref(r, ["instance"], types: ["aws_instance"]) : .none
            guard let target = address(eniRef) ?? address(instanceRef) else {
                if case .external(let id) = eniRef { warn(r, "network_interface \(id) is not managed by this configuration; the address is left out", into: &report) }
                if case .external(let id) = instanceRef { warn(r, "instance \(id) is not managed by this configuration; the address is left out", into: &report) }
                continue
            }
            let ip = try r.values.tfAddress4("public_ip")
            try assignPublicIP(r, target: target, ip: ip, privateIP: r.values.tfAddress4("associate_with_private_ip"))
        }
        for r in resources("aws_eip_association") {
            let eniRef = isWritten(r, "network_interface_id") ? ref(r, ["network_interface_id"], types: ["aws_network_interface", "aws_instance"]) : .none
            let target = address(eniRef) ?? (isWritten(r, "instance_id") ? address(ref(r, ["instance_id"], types: ["aws_instance"])) : nil)
            guard let target else {
                skip(r, "EIP association", "its instance or interface is not managed by this configuration (or unknown until apply and not resolvable)")
                continue
            }
            var ip = try r.values.tfAddress4("public_ip")
            if ip == nil, let e = address(ref(r, ["allocation_id"], types: ["aws_eip"])), let eip = resource(e) {
                ip = try eip.values.tfAddress4("public_ip")
            }
            try assignPublicIP(r, target: target, ip: ip, privateIP: r.values.tfAddress4("private_ip_address"))
            report.didImport("EIP association")
        }
    }

    /// Gives the interface `target` denotes (an instance: its primary interface, or the one holding `privateIP`)
    /// the public address `ip` (unknown when nil).
    mutating func assignPublicIP(_ r: TFResource, target: String, ip: IPv4Address?, privateIP: IPv4Address?) throws(JSONError) {
        guard let modelName = nameOf[target] else {
            warn(r, "its target \(target) is not imported; the address is left out", into: &report)
            return
        }
        let parts = modelName.split(separator: ".", maxSplits: 1).map(String.init)
        let instanceName = parts.first ?? modelName
        if let (v, i) = instanceAt[instanceName] {
            let interfaces = topology.vpcs[v].instances[i].interfaces
            let e: Int? = if let privateIP { interfaces.firstIndex { $0.privateIP == privateIP || $0.secondaryIPs.contains(privateIP) } }
                          else if parts.count > 1 { interfaces.firstIndex { $0.name == parts[1] } }
                          else { interfaces.indices.first }
            guard let e else {
                warn(r, "no interface of \(target) holds the private address it names; the address is left out", into: &report)
                return
            }
            topology.vpcs[v].instances[i].interfaces[e].publicIP = ip.map { .address($0) } ?? .unknown
            if ip == nil { report.note("\(r.address): the Elastic IP of \(target) is unknown until apply (public-ip unknown)") }
            report.didImport("Elastic IP")
            return
        }
        warn(r, "its target \(target) is not imported; the address is left out", into: &report)
    }
}
