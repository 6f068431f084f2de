// Terraform: prefix lists, VPCs, subnets, gateways, NAT gateways.
import IPAddressing
import NetworkModel

extension JSONCursor {
    /// A Terraform string attribute as a CIDR of either family; nil when absent, null or empty.
    func tfPrefix(_ key: String) throws(JSONError) -> IPPrefix? {
        guard let v = self[key], let s = v.stringValue, !s.isEmpty else { return nil }
        do { return try IPPrefix(s, normalize: true) } catch { throw v.error("invalid CIDR '\(s)': \(error.message)") }
    }
    func tfPrefix4(_ key: String) throws(JSONError) -> IPv4Prefix? {
        guard let v = self[key], let s = v.stringValue, !s.isEmpty else { return nil }
        do { return try IPv4Prefix(s, normalize: true) } catch { throw v.error("invalid IPv4 CIDR '\(s)': \(error.message)") }
    }
    func tfPrefix6(_ key: String) throws(JSONError) -> IPv6Prefix? {
        guard let v = self[key], let s = v.stringValue, !s.isEmpty else { return nil }
        do { return try IPv6Prefix(s, normalize: true) } catch { throw v.error("invalid IPv6 CIDR '\(s)': \(error.message)") }
    }
    func tfAddress4(_ key: String) throws(JSONError) -> IPv4Address? {
        guard let v = self[key], let s = v.stringValue, !s.isEmpty else { return nil }
        do { return try IPv4Address(s) } catch { throw v.error("invalid IPv4 address '\(s)': \(error.message)") }
    }
}

extension TFBuilder {
    /// The block of every default VPC (AWS-BEHAVIOUR.md §10).
    static let defaultVPCBlock: IPv4Prefix? = try? IPv4Prefix("172.31.0.0/16")

    mutating func buildPrefixLists() throws(JSONError) {
        for r in resources("aws_ec2_managed_prefix_list") {
            var entries: [IPPrefix] = []
            for e in r.values["entry"]?.elements ?? [] { if let p = try e.tfPrefix("cidr") { entries.append(p) } }
            for e in resources("aws_ec2_managed_prefix_list_entry") {
                if address(ref(e, ["prefix_list_id"], types: ["aws_ec2_managed_prefix_list"])) == r.address,
                   let p = try e.values.tfPrefix("cidr"), !entries.contains(p) { entries.append(p) }
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            topology.prefixLists.append(PrefixList(name: name, id: r.string("id"), entries: entries, location: at(r)))
            report.didImport("prefix list")
        }
        // `data "aws_ec2_managed_prefix_list"`: its entries are read with it.
        for d in dataSources("aws_ec2_managed_prefix_list") {
            var entries: [IPPrefix] = []
            for e in d.values["entries"]?.elements ?? [] { if let p = try e.tfPrefix("cidr") { entries.append(p) } }
            let name = names.name(d.address)
            nameOf[d.address] = name
            topology.prefixLists.append(PrefixList(name: name, id: d.string("id"), entries: entries, location: at(d)))
            if let service = d.string("name") { servicePrefixListByService[service] = name }
            noteDataSource(d, "prefix list")
            report.didImport("prefix list (data source)")
        }
        // `data "aws_prefix_list"` (the older data source of an AWS-managed list): `cidr_blocks`.
        for d in dataSources("aws_prefix_list") where !topology.prefixLists.contains(where: { $0.id == d.string("id") }) {
            var entries: [IPPrefix] = []
            for e in d.values["cidr_blocks"]?.elements ?? [] {
                guard let s = e.stringValue, !s.isEmpty else { continue }
                do { entries.append(try IPPrefix(s, normalize: true)) } catch { throw e.error("invalid CIDR '\(s)': \(error.message)") }
            }
            if let v = d.values["id"] { _ = try v.awsID(prefix: "pl", what: "prefix list") }
            let name = names.name(d.address)
            nameOf[d.address] = name
            topology.prefixLists.append(PrefixList(name: name, id: d.string("id"), entries: entries, location: at(d)))
            if let service = d.string("name") { servicePrefixListByService[service] = name }
            noteDataSource(d, "prefix list")
            report.didImport("prefix list (data source)")
        }
    }

    mutating func buildVPCs() throws(JSONError) {
        for r in resources("aws_vpc", "aws_default_vpc") {
            // `aws_default_vpc` adopts the region's default VPC: AWS's shape (172.31.0.0/16, AWS-BEHAVIOUR.md §10) when
            // the plan does not know its block yet.
            let isDefault = r.type == "aws_default_vpc"
            let defaultBlock = isDefault && r.values["cidr_block"]?.stringValue?.isEmpty != false ? TFBuilder.defaultVPCBlock : nil
            if defaultBlock != nil { report.note("\(r.address): the default VPC's cidr_block is unknown until apply; AWS's default 172.31.0.0/16 assumed") }
            let written = try r.values.tfPrefix4("cidr_block")
            guard let cidr = defaultBlock ?? written else {
                skip(r, "VPC", r.isUnknown(["cidr_block"]) ? "cidr_block is unknown until apply (IPAM?)" : "no IPv4 CIDR block")
                continue
            }
            var vpc = VPC(name: names.name(r.address), id: r.string("id"), region: try doc.region(of: r), account: r.string("owner_id"), cidrs: [cidr],
                          location: at(r))
            if let v6 = try r.values.tfPrefix6("ipv6_cidr_block") { vpc.ipv6Cidrs.append(v6) }
            vpc.isDefault = isDefault
            vpcOf[r.address] = topology.vpcs.count
            nameOf[r.address] = vpc.name
            topology.vpcs.append(vpc)
            report.didImport("VPC")
        }
        // `data "aws_vpc"`: a VPC outside the configuration that its resources are placed in.
        for d in dataSources("aws_vpc") {
            guard let cidr = try d.values.tfPrefix4("cidr_block") else { continue }
            // In a plan the managed resources' owner is unknown until apply: the data source's is left out too, so that the
            // topology stays printable (an account line cannot be undone for what follows it).
            var vpc = VPC(name: names.name(d.address), id: d.string("id"), region: try doc.region(of: d), account: doc.isPlan ? nil : d.string("owner_id"), cidrs: [cidr],
                          location: at(d))
            for a in d.values["cidr_block_associations"]?.elements ?? [] where a["state"]?.stringValue ?? "associated" == "associated" {
                if let c = try a.tfPrefix4("cidr_block"), !vpc.cidrs.contains(c) { vpc.cidrs.append(c) }
            }
            if let v6 = try d.values.tfPrefix6("ipv6_cidr_block") { vpc.ipv6Cidrs.append(v6) }
            vpcOf[d.address] = topology.vpcs.count
            nameOf[d.address] = vpc.name
            topology.vpcs.append(vpc)
            noteDataSource(d, "VPC")
            report.didImport("VPC (data source)")
        }
        for r in resources("aws_vpc_ipv4_cidr_block_association") {
            guard let a = address(ref(r, ["vpc_id"], types: ["aws_vpc", "aws_default_vpc"])), let v = vpcOf[a] else {
                skip(r, "VPC CIDR association", "its VPC is not imported")
                continue
            }
            guard let cidr = try r.values.tfPrefix4("cidr_block") else {
                skip(r, "VPC CIDR association", "cidr_block is unknown until apply")
                continue
            }
            if !topology.vpcs[v].cidrs.contains(cidr) { topology.vpcs[v].cidrs.append(cidr) }
            report.didImport("VPC CIDR association")
        }
    }

    /// The VPC index a `vpc_id`-like attribute denotes, or nil after recording why the resource is skipped.
    mutating func vpcIndex(_ r: TFResource, _ type: String, attribute: String = "vpc_id") -> Int? {
        let reference = ref(r, [attribute], types: ["aws_vpc", "aws_default_vpc"])
        switch reference {
        case .resource(let a):
            if let v = vpcOf[a] { return v }
            skip(r, type, "its VPC \(a) is not imported")
        case .external(let id): skip(r, type, "its VPC \(id) is not managed by this configuration")
        case .unresolved: skip(r, type, "\(attribute) is unknown until apply and not resolvable through the configuration")
        case .none: skip(r, type, "no \(attribute)")
        }
        return nil
    }

    mutating func buildSubnets() throws(JSONError) {
        for r in resources("aws_subnet", "aws_default_subnet") {
            let cidrValue = try r.values.tfPrefix4("cidr_block")
            let isDefault = r.type == "aws_default_subnet"
            // `aws_default_subnet` adopts the default subnet of its zone: `vpc_id` is computed (unknown in a plan), so
            // the region's default VPC of the configuration is its VPC.
            let vpcGiven = !isDefault || r.string("vpc_id") != nil
            guard let v = vpcGiven ? vpcIndex(r, "subnet") : defaultVPC(for: r) else { continue }
            var cidr = cidrValue
            let zone = r.string("availability_zone")
            if cidr == nil, isDefault, topology.vpcs[v].isDefault, let zone, let k = Self.defaultSubnetPosition(zone),
               let assumed = Self.defaultSubnetBlock(k) {
                // AWS's default subnets (AWS-BEHAVIOUR.md §10): the /20s of 172.31.0.0/16 in zone order.
                cidr = assumed
                report.note("\(r.address): the default subnet's cidr_block is unknown until apply; AWS's default \(assumed) for \(zone) assumed")
            }
            guard let cidr else {
                skip(r, "subnet", r.isUnknown(["cidr_block"]) ? "cidr_block is unknown until apply" : "IPv6-only subnets are not in the language")
                continue
            }
            var mapPublicIP = r.values["map_public_ip_on_launch"]?.boolValue
            if mapPublicIP == nil, isDefault {
                // A default subnet launches instances with public addresses (`MapPublicIpOnLaunch: true`).
                mapPublicIP = true
                report.note("\(r.address): map_public_ip_on_launch is unknown until apply; AWS's default for a default subnet (true) assumed")
            }
            let subnet = Subnet(name: names.name(r.address), id: r.string("id"), cidr: cidr,
                                ipv6Cidr: try r.values.tfPrefix6("ipv6_cidr_block"),
                                availabilityZone: zone,
                                mapPublicIP: mapPublicIP ?? false, location: at(r))
            topology.vpcs[v].subnets.append(subnet)
            vpcOf[r.address] = v
            nameOf[r.address] = subnet.name
            report.didImport("subnet")
        }
        // `data "aws_subnet"` in an imported VPC.
        for d in dataSources("aws_subnet") {
            guard let vpcID = d.string("vpc_id"), let a = addressByID[vpcID], let v = vpcOf[a], let cidr = try d.values.tfPrefix4("cidr_block"),
                  !topology.vpcs[v].subnets.contains(where: { $0.id == d.string("id") }) else { continue }
            let subnet = Subnet(name: names.name(d.address), id: d.string("id"), cidr: cidr, ipv6Cidr: try d.values.tfPrefix6("ipv6_cidr_block"),
                                availabilityZone: d.string("availability_zone"),
                                mapPublicIP: d.values["map_public_ip_on_launch"]?.boolValue ?? false, location: at(d))
            topology.vpcs[v].subnets.append(subnet)
            vpcOf[d.address] = v
            nameOf[d.address] = subnet.name
            noteDataSource(d, "subnet")
            report.didImport("subnet (data source)")
        }
    }

    /// The VPC of an `aws_default_subnet` (or an `aws_default_security_group` without `vpc_id`) whose VPC is not
    /// known: the configuration's default VPC of the resource's region (the only one when regions are not known),
    /// else nil after recording why it is skipped.
    mutating func defaultVPC(for r: TFResource, _ type: String = "subnet") -> Int? {
        let region = try? doc.region(of: r)
        let defaults = topology.vpcs.indices.filter { topology.vpcs[$0].isDefault }
        let sameRegion = defaults.filter { topology.vpcs[$0].region == region }
        if sameRegion.count == 1 { return sameRegion[0] }
        if defaults.count == 1, sameRegion.isEmpty, region == nil || topology.vpcs[defaults[0]].region == nil { return defaults[0] }
        let what = type == "subnet" ? "a default subnet" : "the default VPC's \(type)"
        skip(r, type, defaults.isEmpty ? "\(what), and the configuration has no aws_default_vpc for its default VPC"
                                       : "\(what), and the configuration's default VPC of its region is not known")
        return nil
    }

    /// The position of availability zone `zone` (`us-east-1c` → 2) among its region's zones: its last letter, when
    /// what precedes it is a region name; nil otherwise or past the 16th zone.
    static func defaultSubnetPosition(_ zone: String) -> Int? {
        guard let last = zone.utf8.last, last >= UInt8(ascii: "a"), last <= UInt8(ascii: "p"),
              AWSGrammar.isRegion(String(zone.dropLast())) else { return nil }
        return Int(last - UInt8(ascii: "a"))
    }

    /// The default subnet block at position `k` (0…15): `172.31.(16·k).0/20`.
    static func defaultSubnetBlock(_ k: Int) -> IPv4Prefix? {
        guard k >= 0, k < 16 else { return nil }
        return IPv4Prefix(network: IPv4Address(172, 31, UInt8(k * 16), 0), length: 20)
    }

    /// AWS's shape of the default VPCs (AWS-BEHAVIOUR.md §10) where the configuration does not say: an internet
    /// gateway when none is attached, and, when the configuration adopts no default subnet, the default subnets of
    /// the region's first three zones (as `default-vpc` without `azs`) that overlap none of its subnets. Every
    /// assumption is a note of the import report. (The main table's `0.0.0.0/0` route is added with the table, in
    /// ``buildRouteTables()``; the default security group and network ACL are AWS's implied ones unless the
    /// configuration adopts them.)
    mutating func expandDefaultVPCs() {
        for r in resources("aws_default_vpc") {
            guard let v = vpcOf[r.address], topology.vpcs[v].isDefault else { continue }
            let vpcName = topology.vpcs[v].name
            if topology.vpcs[v].internetGateway == nil {
                names.register(key: r.address + "#internet-gateway", tag: vpcName + "-igw")
                let name = names.name(r.address + "#internet-gateway")
                topology.vpcs[v].internetGateway = Gateway(name: name, location: at(r))
                report.note("\(r.address): a default VPC's internet gateway is not in the configuration; AWS's default (attached, named \(name)) assumed")
            }
            let adopted = resources("aws_default_subnet").contains { vpcOf[$0.address] == v }
            guard !adopted else { continue }
            let region = topology.vpcs[v].region
            guard let region else {
                report.note("\(r.address): the default VPC's region is not known: its default subnets are not assumed")
                continue
            }
            var assumed: [String] = []
            for (k, letter) in ["a", "b", "c"].enumerated() {
                guard let block = Self.defaultSubnetBlock(k) else { continue }
                if topology.vpcs[v].subnets.contains(where: { $0.cidr.overlaps(block) }) { continue }
                let key = r.address + "#default-subnet-" + letter
                names.register(key: key, tag: vpcName + "-" + letter)
                let name = names.name(key)
                topology.vpcs[v].subnets.append(Subnet(name: name, cidr: block, availabilityZone: region + letter, mapPublicIP: true,
                                                       location: at(r)))
                assumed.append("\(name) \(block) in \(region + letter)")
            }
            if !assumed.isEmpty {
                report.note("\(r.address): the configuration adopts none of the default VPC's subnets; AWS's default subnets assumed (map-public-ip): " + assumed.joined(separator: ", "))
            }
        }
    }

    /// Notes the default VPCs' security group and network ACL that the configuration does not adopt: AWS's defaults
    /// (all traffic from the group itself and all egress; rule 100 allowing everything both ways), which the model
    /// implies for any VPC. (An adopted `aws_default_security_group` or `aws_default_network_acl` holds exactly its
    /// configured rules: Terraform removes the others.)
    mutating func noteDefaultVPCRules() {
        for r in resources("aws_default_vpc") {
            guard let v = vpcOf[r.address], topology.vpcs[v].isDefault else { continue }
            if topology.vpcs[v].defaultSecurityGroup == nil {
                report.note("\(r.address): the default VPC's default security group is not in the configuration; AWS's default rules (all traffic from the group itself, all egress) assumed")
            }
            if topology.vpcs[v].defaultNetworkACL == nil {
                report.note("\(r.address): the default VPC's default network ACL is not in the configuration; AWS's default rules (100 allow all in and out) assumed")
            }
        }
    }

    /// The (VPC index, subnet name) a `subnet_id`-like reference denotes.
    mutating func subnetOf(_ r: TFResource, _ attribute: String = "subnet_id", value: JSONCursor? = nil) -> (Int, String)? {
        guard let a = address(ref(r, [attribute], types: ["aws_subnet", "aws_default_subnet"], value: value)),
              let v = vpcOf[a], let n = nameOf[a] else { return nil }
        return (v, n)
    }

    mutating func buildGateways() {
        var igwVPC: [String: String] = [:]   // igw address → vpc address, from attachment resources
        for a in resources("aws_internet_gateway_attachment") {
            if let g = address(ref(a, ["internet_gateway_id"], types: ["aws_internet_gateway"])),
               let v = address(ref(a, ["vpc_id"], types: ["aws_vpc", "aws_default_vpc"])) { igwVPC[g] = v }
        }
        for r in resources("aws_internet_gateway") {
            var v: Int?
            if r.string("vpc_id") != nil || r.isUnknown(["vpc_id"]) { v = vpcIndex(r, "internet gateway") }
            else if let va = igwVPC[r.address], let index = vpcOf[va] { v = index }
            else { skip(r, "internet gateway", "not attached to a VPC") }
            guard let v else { continue }
            if topology.vpcs[v].internetGateway != nil { skip(r, "internet gateway", "a second internet gateway on the VPC"); continue }
            let g = Gateway(name: names.name(r.address), id: r.string("id"), location: at(r))
            topology.vpcs[v].internetGateway = g
            nameOf[r.address] = g.name
            vpcOf[r.address] = v
            report.didImport("internet gateway")
        }
        for r in resources("aws_egress_only_internet_gateway") {
            guard let v = vpcIndex(r, "egress-only internet gateway") else { continue }
            let g = Gateway(name: names.name(r.address), id: r.string("id"), location: at(r))
            topology.vpcs[v].egressOnlyGateway = g
            nameOf[r.address] = g.name
            vpcOf[r.address] = v
            report.didImport("egress-only internet gateway")
        }
    }

    mutating func buildNATGateways() throws(JSONError) {
        for r in resources("aws_nat_gateway") {
            guard let (v, subnet) = subnetOf(r) else {
                skip(r, "NAT gateway", "its subnet is not imported (or subnet_id is unknown and not resolvable)")
                continue
            }
            let connectivity: NATGateway.Connectivity
            if r.string("connectivity_type") == "private" {
                connectivity = .private
            } else if let eip = address(ref(r, ["allocation_id"], types: ["aws_eip"])),
                      let e = doc.byAddress[eip].map({ doc.resources[$0] }) {
                connectivity = .public(eip: try e.values.tfAddress4("public_ip"))
            } else {
                connectivity = .public(eip: nil)
            }
            let nat = NATGateway(name: names.name(r.address), id: r.string("id"), subnet: subnet, connectivity: connectivity,
                                 privateIP: try r.values.tfAddress4("private_ip"), location: at(r))
            topology.vpcs[v].natGateways.append(nat)
            nameOf[r.address] = nat.name
            vpcOf[r.address] = v
            report.didImport("NAT gateway")
        }
    }
}
