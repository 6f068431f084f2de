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
            if isDefault {
                report.note("\(r.address): a default VPC; its internet gateway and the main table's routes are not in the configuration and are not assumed (import them, or the AWS snapshot, for its internet access)")
            }
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

    /// The VPC that a resource's own known `vpc_id` value names (the state of an `aws_default_route_table` or
    /// `aws_default_network_acl` has one), or nil — without recording a skip.
    func knownVPC(_ r: TFResource) -> Int? {
        guard let id = r.string("vpc_id"), let a = addressByID[id] else { return nil }
        return vpcOf[a]
    }

    mutating func buildSubnets() throws(JSONError) {
        for r in resources("aws_subnet", "aws_default_subnet") {
            let cidrValue = try r.values.tfPrefix4("cidr_block")
            guard let v = vpcIndex(r, "subnet") else { continue }
            guard let cidr = cidrValue else {
                skip(r, "subnet", r.isUnknown(["cidr_block"]) ? "cidr_block is unknown until apply" : "IPv6-only subnets are not in the language")
                continue
            }
            let subnet = Subnet(name: names.name(r.address), id: r.string("id"), cidr: cidr,
                                ipv6Cidr: try r.values.tfPrefix6("ipv6_cidr_block"),
                                availabilityZone: r.string("availability_zone"),
                                mapPublicIP: r.values["map_public_ip_on_launch"]?.boolValue ?? false, location: at(r))
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
