// Instances and their network interfaces (describe-instances, describe-network-interfaces, describe-addresses).
import IPAddressing
import NetworkModel

extension AWSBuilder {
    mutating func buildInstances() throws(JSONError) {
        // ENIs by the instance they are attached to (built only if an instance record lacks its interface
        // list), and EIPs by (ENI, private address).
        var enisByInstanceCache: [String: [JSONCursor]]?
        func enisByInstance() -> [String: [JSONCursor]] {
            if let cached = enisByInstanceCache { return cached }
            var map: [String: [JSONCursor]] = [:]
            for (_, item) in s.networkInterfaces.all {
                if let instance = item.json["Attachment"]?["InstanceId"]?.stringValue { map[instance, default: []].append(item.json) }
            }
            enisByInstanceCache = map
            return map
        }
        var eips: [String: IPv4Address] = [:]
        for (_, item) in s.addresses.all {
            guard let eni = try item.json.string("NetworkInterfaceId"), let priv = try item.json.string("PrivateIpAddress"),
                  let ip = try item.json.ipv4Address("PublicIp") else { continue }
            eips[eni + " " + priv] = ip
        }
        var usedENIs: Set<String> = []

        for (id, item) in s.instances.all {
            let j = item.json
            let state = j["State"]?["Name"]?.stringValue ?? "running"
            if state == "terminated" || state == "shutting-down" {
                report.skip("instance", id: id, reason: "state \(state)")
                continue
            }
            var sources = try j.array("NetworkInterfaces")
            if sources.isEmpty { sources = enisByInstance()[id] ?? [] }
            // The richer describe-network-interfaces record, when present, fills what the instance omits.
            var interfaces: [(index: Int, iface: NetworkInterface, vpc: String)] = []
            for source in sources {
                let eniID = try source.string("NetworkInterfaceId")
                // The describe-network-interfaces record, looked up only when the instance's copy lacks a field.
                var detailCache: JSONCursor??
                func detail() -> JSONCursor? {
                    if let cached = detailCache { return cached }
                    let d = eniID.flatMap { s.networkInterfaces[$0]?.json }
                    detailCache = .some(d)
                    return d
                }
                var subnetID = try source.string("SubnetId")
                if subnetID == nil { subnetID = try detail()?.string("SubnetId") }
                guard let subnetID, let (v, si) = subnet(subnetID) else {
                    warn(source, "instance \(id): interface \(eniID ?? "?") is in a subnet that is not in the snapshot; interface left out", into: &report)
                    continue
                }
                var primary = try source.ipv4Address("PrivateIpAddress")
                if primary == nil { primary = try detail()?.ipv4Address("PrivateIpAddress") }
                guard let primaryIP = primary else {
                    warn(source, "instance \(id): interface \(eniID ?? "?") has no private IPv4 address; interface left out", into: &report)
                    continue
                }
                var secondary: [IPv4Address] = []
                for entry in try source.array("PrivateIpAddresses") {
                    if let ip = try entry.ipv4Address("PrivateIpAddress"), ip != primaryIP, !secondary.contains(ip) { secondary.append(ip) }
                }
                var publicIP: NetworkInterface.PublicIP?
                var association = try source["Association"]?.ipv4Address("PublicIp")
                if association == nil, source["Association"] == nil { association = try detail()?["Association"]?.ipv4Address("PublicIp") }
                if let ip = association {
                    publicIP = .address(ip)
                } else if !eips.isEmpty, let eniID, let ip = eips[eniID + " " + primaryIP.description] {
                    publicIP = .address(ip)
                } else if topology.vpcs[v].subnets[si].mapPublicIP {
                    publicIP = NetworkInterface.PublicIP.none
                }
                var ipv6: [IPv6Address] = []
                for entry in try source.array("Ipv6Addresses") {
                    if let a = try entry.ipv6Address("Ipv6Address") { ipv6.append(a) }
                }
                var groups: [String] = []
                for g in try source.array("Groups") {
                    guard let gid = try g.string("GroupId") else { continue }
                    if let name = imported[.securityGroup, gid] { groups.append(name) } else {
                        warn(g, "instance \(id): security group \(gid) is not in the snapshot; left out", into: &report)
                    }
                }
                let deviceIndex = try source["Attachment"]?.flexibleInt("DeviceIndex")
                let device = deviceIndex ?? interfaces.count
                var check = try source.bool("SourceDestCheck")
                if check == nil { check = try j.bool("SourceDestCheck") }
                let vpcID = subnetVPC[subnetID] ?? ""
                let iface = NetworkInterface(name: "eth\(device)", id: eniID, subnet: topology.vpcs[v].subnets[si].name,
                                             privateIP: primaryIP, secondaryIPs: secondary, publicIP: publicIP,
                                             ipv6Addresses: ipv6, securityGroups: groups,
                                             sourceDestCheck: check ?? true, location: at(source))
                interfaces.append((device, iface, vpcID))
                if let eniID { usedENIs.insert(eniID) }
            }
            if interfaces.isEmpty, let subnetID = try j.string("SubnetId"), let (v, si) = subnet(subnetID),
               let ip = try j.ipv4Address("PrivateIpAddress") {
                // An instance record without its interface list: its top-level fields describe the primary.
                var groups: [String] = []
                for g in try j.array("SecurityGroups") { if let gid = try g.string("GroupId"), let n = imported[.securityGroup, gid] { groups.append(n) } }
                var publicIP: NetworkInterface.PublicIP?
                if let p = try j.ipv4Address("PublicIpAddress") { publicIP = .address(p) } else if topology.vpcs[v].subnets[si].mapPublicIP { publicIP = NetworkInterface.PublicIP.none }
                interfaces.append((0, NetworkInterface(subnet: topology.vpcs[v].subnets[si].name, privateIP: ip, publicIP: publicIP,
                                                       securityGroups: groups, sourceDestCheck: try j.bool("SourceDestCheck") ?? true,
                                                       location: at(j)),
                                   subnetVPC[subnetID] ?? ""))
            }
            interfaces.sort { $0.index < $1.index }
            guard let first = interfaces.first, let v = vpcIndex[first.vpc] else {
                report.skip("instance", id: id, reason: "none of its interfaces is in a subnet of the snapshot")
                continue
            }
            let name = names.name(id)
            var kept: [NetworkInterface] = []
            for entry in interfaces {
                if entry.vpc != first.vpc {
                    report.skip("network interface", id: entry.iface.id ?? "\(id) \(entry.iface.name)",
                                reason: "in another VPC than the instance's primary interface")
                    continue
                }
                kept.append(entry.iface)
                if let eni = entry.iface.id { imported[.interface, eni] = kept.count == 1 ? name : name + "." + entry.iface.name }
            }
            topology.vpcs[v].instances.append(Instance(name: name, id: id, interfaces: kept, location: at(j)))
            let (tags, dropped) = ImportedTags.keep(ImportedTags.aws(j))
            if !tags.isEmpty { topology.vpcs[v].instances[topology.vpcs[v].instances.count - 1].tags = tags }
            for d in dropped { report.skip("tag", id: "\(id) \(d.key)", reason: d.reason) }
            imported[.instance, id] = name
            report.didImport("instance")
            report.didImport("network interface", count: kept.count)
        }

        // NAT gateways' interfaces are part of the NAT gateway (moto prints them as plain interfaces).
        for (_, item) in s.natGateways.all {
            for address in item.json["NatGatewayAddresses"]?.elements ?? [] {
                if let eni = address["NetworkInterfaceId"]?.stringValue { usedENIs.insert(eni) }
            }
        }
        // A VPC endpoint's interfaces are part of the endpoint (buildEndpoints; a skipped endpoint says why).
        for (id, item) in s.networkInterfaces.all where !usedENIs.contains(id) && !endpointENIs.contains(id) && !loadBalancerENIs.contains(id) {
            let j = item.json
            let type = j["InterfaceType"]?.stringValue ?? "interface"
            switch type {
            case "nat_gateway", "transit_gateway":
                continue   // part of the NAT gateway or TGW attachment
            default:
                let owner = j["Attachment"]?["InstanceId"]?.stringValue
                let description = j["Description"]?.stringValue ?? ""
                let label = description.isEmpty ? id : "\(id) ('\(description)')"
                report.skip("network interface", id: label, reason: owner != nil
                            ? "attached to an instance that is not imported"
                            : "\(type == "interface" ? "" : type + " ")interface not attached to an instance (the language has only instance interfaces)")
            }
        }
    }
}
