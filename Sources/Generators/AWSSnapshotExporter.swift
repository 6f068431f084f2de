// The reverse of the AWS importer, for benchmarks and round-trip tests: a topology written as the JSON the AWS
// CLI prints (describe-*, get-*, search-*), with the fields a real account's output carries. Resources without
// an AWS id get a deterministic made-up one. Not a user-facing feature: AWS is the source of truth.
// The network's edges are written too (VGWs, customer gateways, VPN connections, VPC endpoints and their ENIs,
// Direct Connect gateways, associations and VIFs in the Direct Connect CLI's camelCase, TGW VPN and Direct
// Connect gateway attachments, TGW peering attachments (both sides under one id, each side's view in
// describe-transit-gateway-attachments and the pair in describe-transit-gateway-peering-attachments),
// propagations, gateway route tables, IsDefault). Not written: on-premises networks (in no AWS document).
import IPAddressing
import NetworkModel
import Reporting

/// Writes a topology as AWS CLI JSON documents (file name → text), one folder's worth.
public enum AWSSnapshotExporter {
    /// The documents of `topology`: `describe-vpcs.json`, …, one `search-transit-gateway-routes.<table id>.json`
    /// per TGW route table and one `get-managed-prefix-list-entries.<id>.json` per prefix list.
    public static func export(_ topology: Topology) -> [(file: String, text: String)] {
        var e = Exporter(topology)
        return e.run()
    }
}

private struct Exporter {
    let t: Topology
    var ids: [String: String] = [:]
    var counter: UInt64 = 0
    var owner = "123456789012"

    init(_ topology: Topology) {
        t = topology
        owner = topology.vpcs.first?.account ?? owner
    }

    /// The TGW peering attachments, each with the peer TGW's attachment back to it when there is one (paired in
    /// order: the first unpaired attachment of the peer that names this TGW).
    var peeringPairs: [(a: (tgw: TransitGateway, attachment: TGWAttachment), b: (tgw: TransitGateway, attachment: TGWAttachment)?)] {
        var used = Set<String>()
        var out: [(a: (tgw: TransitGateway, attachment: TGWAttachment), b: (tgw: TransitGateway, attachment: TGWAttachment)?)] = []
        for g in t.transitGateways {
            for a in g.attachments where !used.contains(a.name) {
                guard case .peering(let peerName) = a.kind else { continue }
                used.insert(a.name)
                let peer = t.transitGateways.first { $0.name == peerName }
                let back = peer?.attachments.first { b in
                    if case .peering(let n) = b.kind, n == g.name, !used.contains(b.name) { return true }
                    return false
                }
                if let back, let peer { used.insert(back.name); out.append(((g, a), (peer, back))) } else { out.append(((g, a), nil)) }
            }
        }
        return out
    }

    mutating func id(_ prefix: String, _ name: String, _ existing: String?) -> String {
        if let existing { ids[name] = existing; return existing }
        if let known = ids[name] { return known }
        counter &+= 1
        var x = counter &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        let hex = String(x, radix: 16)
        let made = prefix + "-" + String(repeating: "0", count: max(0, 17 - hex.count)) + hex.prefix(17)
        ids[name] = made
        return made
    }

    func tags(_ name: String) -> JSONValue { .array([.object([("Key", .string("Name")), ("Value", .string(name))])]) }
    /// `Name` (the instance's name), then the instance's own tags (a `Name` tag of its own is the name's).
    func instanceTags(_ i: Instance) -> JSONValue {
        .array([.object([("Key", .string("Name")), ("Value", .string(i.name))])]
               + i.tags.filter { $0.key != "Name" }.map { .object([("Key", .string($0.key)), ("Value", .string($0.value))]) })
    }
    func str(_ s: String) -> JSONValue { .string(s) }

    static func proto(_ p: IPProtocol) -> String { String(p.awsNumber) }

    func ports(_ p: IPProtocol, _ r: PortRange?) -> [(String, JSONValue)] {
        switch p {
        case .tcp, .udp:
            let r = r ?? .all
            return [("FromPort", .int(Int(r.lower))), ("ToPort", .int(Int(r.upper)))]
        case .icmp, .icmpv6:
            guard let r else { return [("FromPort", .int(-1)), ("ToPort", .int(-1))] }
            return [("FromPort", .int(Int(r.lower))), ("ToPort", .int(r.upper == 65535 ? -1 : Int(r.upper)))]
        default:
            return []
        }
    }

    mutating func run() -> [(file: String, text: String)] {
        var docs: [(String, JSONValue)] = []
        // Ids first, so references can use them in any order.
        for p in t.prefixLists { _ = id("pl", p.name, p.id) }
        for v in t.vpcs {
            _ = id("vpc", v.name, v.id)
            if let g = v.internetGateway { _ = id("igw", g.name, g.id) }
            if let g = v.egressOnlyGateway { _ = id("eigw", g.name, g.id) }
            for s in v.subnets { _ = id("subnet", s.name, s.id) }
            for n in v.natGateways { _ = id("nat", n.name, n.id) }
            for r in v.routeTables { _ = id("rtb", r.name, r.id) }
            for g in v.securityGroups { _ = id("sg", g.name, g.id) }
            for a in v.networkACLs { _ = id("acl", a.name, a.id) }
            for i in v.instances {
                _ = id("i", i.name, i.id)
                for e in i.interfaces { _ = id("eni", i.name + "." + e.name, e.id) }
            }
        }
        for p in t.peerings { _ = id("pcx", p.name, p.id) }
        for g in t.transitGateways {
            _ = id("tgw", g.name, g.id)
            for r in g.routeTables { _ = id("tgw-rtb", r.name, r.id) }
        }
        // A TGW peering is one attachment id that both transit gateways print: the two sides share it.
        for (a, b) in peeringPairs {
            let shared = a.attachment.id ?? b?.attachment.id ?? id("tgw-attach", a.attachment.name, nil)
            ids[a.attachment.name] = shared
            if let b { ids[b.attachment.name] = shared }
        }
        for g in t.transitGateways {
            for a in g.attachments where ids[a.name] == nil { _ = id("tgw-attach", a.name, a.id) }
        }
        for v in t.vpcs {
            if let g = v.vpnGateway { _ = id("vgw", g.name, g.id) }
            for e in v.endpoints {
                _ = id("vpce", e.name, e.id)
                for k in e.addresses.indices { _ = id("eni", e.name + ".eni\(k)", k < e.interfaceIDs.count ? e.interfaceIDs[k] : nil) }
            }
        }
        for g in t.customerGateways { _ = id("cgw", g.name, g.id) }
        for c in t.vpnConnections { _ = id("vpn", c.name, c.id) }
        for d in t.directConnectGateways {
            if let existing = d.id { ids[d.name] = existing } else {
                let made = id("x", d.name, nil).dropFirst(2)
                ids[d.name] = "5f294f92-0000-4000-8000-" + made.suffix(12)
            }
        }
        for f in t.virtualInterfaces { _ = id("dxvif", f.name, f.id) }
        let subnetAZ = Dictionary(t.vpcs.flatMap(\.subnets).map { ($0.name, $0.availabilityZone ?? "us-east-1a") }, uniquingKeysWith: { a, _ in a })
        let subnetVPC = Dictionary(t.vpcs.flatMap { v in v.subnets.map { ($0.name, v.name) } }, uniquingKeysWith: { a, _ in a })

        // VPCs
        docs.append(("describe-vpcs.json", .object([("Vpcs", .array(t.vpcs.map { v in
            var fields: [(String, JSONValue)] = [
                ("CidrBlock", str(v.cidrs[0].description)), ("DhcpOptionsId", str("dopt-0123456789abcdef0")), ("State", str("available")),
                ("VpcId", str(ids[v.name] ?? "")), ("OwnerId", str(v.account ?? owner)), ("InstanceTenancy", str("default")),
                ("CidrBlockAssociationSet", .array(v.cidrs.enumerated().map { i, c in .object([
                    ("AssociationId", str("vpc-cidr-assoc-\(i)")), ("CidrBlock", str(c.description)),
                    ("CidrBlockState", .object([("State", str("associated"))]))]) })),
                ("IsDefault", .bool(v.isDefault)), ("Tags", tags(v.name)),
            ]
            if !v.ipv6Cidrs.isEmpty {
                fields.append(("Ipv6CidrBlockAssociationSet", .array(v.ipv6Cidrs.map { c in .object([
                    ("Ipv6CidrBlock", str(c.description)), ("Ipv6CidrBlockState", .object([("State", str("associated"))])),
                    ("NetworkBorderGroup", str(v.region ?? "us-east-1")), ("Ipv6Pool", str("Amazon"))]) })))
            }
            return .object(fields)
        }))])))
        // Subnets
        docs.append(("describe-subnets.json", .object([("Subnets", .array(t.vpcs.flatMap { v in v.subnets.map { s in
            var fields: [(String, JSONValue)] = [
                ("AvailabilityZone", str(s.availabilityZone ?? "us-east-1a")), ("AvailabilityZoneId", str("use1-az1")),
                ("AvailableIpAddressCount", .int(251)), ("CidrBlock", str(s.cidr.description)), ("DefaultForAz", .bool(false)),
                ("MapPublicIpOnLaunch", .bool(s.mapPublicIP)), ("State", str("available")), ("SubnetId", str(ids[s.name] ?? "")),
                ("VpcId", str(ids[v.name] ?? "")), ("OwnerId", str(v.account ?? owner)), ("AssignIpv6AddressOnCreation", .bool(false)),
                ("SubnetArn", str("arn:aws:ec2:\(v.region ?? "us-east-1"):\(owner):subnet/\(ids[s.name] ?? "")")), ("Tags", tags(s.name)),
            ]
            if let v6 = s.ipv6Cidr {
                fields.append(("Ipv6CidrBlockAssociationSet", .array([.object([("Ipv6CidrBlock", str(v6.description)),
                                                                                ("Ipv6CidrBlockState", .object([("State", str("associated"))]))])])))
            }
            return .object(fields)
        } }))])))
        // Gateways
        docs.append(("describe-internet-gateways.json", .object([("InternetGateways", .array(t.vpcs.compactMap { v in
            v.internetGateway.map { g in .object([
                ("Attachments", .array([.object([("State", str("available")), ("VpcId", str(ids[v.name] ?? ""))])])),
                ("InternetGatewayId", str(ids[g.name] ?? "")), ("OwnerId", str(owner)), ("Tags", tags(g.name))]) }
        }))])))
        docs.append(("describe-egress-only-internet-gateways.json", .object([("EgressOnlyInternetGateways", .array(t.vpcs.compactMap { v in
            v.egressOnlyGateway.map { g in .object([
                ("Attachments", .array([.object([("State", str("attached")), ("VpcId", str(ids[v.name] ?? ""))])])),
                ("EgressOnlyInternetGatewayId", str(ids[g.name] ?? "")), ("Tags", tags(g.name))]) }
        }))])))
        docs.append(("describe-nat-gateways.json", .object([("NatGateways", .array(t.vpcs.flatMap { v in v.natGateways.map { n in
            var address: [(String, JSONValue)] = [("NetworkInterfaceId", str("eni-nat" + (ids[n.name] ?? "").dropFirst(4))), ("IsPrimary", .bool(true))]
            if let ip = n.privateIP { address.append(("PrivateIp", str(ip.description))) }
            var fields: [(String, JSONValue)] = [
                ("CreateTime", str("2024-01-01T00:00:00.000Z")), ("NatGatewayId", str(ids[n.name] ?? "")), ("State", str("available")),
                ("SubnetId", str(ids[n.subnet] ?? "")), ("VpcId", str(ids[v.name] ?? "")), ("Tags", tags(n.name)),
            ]
            switch n.connectivity {
            case .private: fields.append(("ConnectivityType", str("private")))
            case .public(let eip):
                fields.append(("ConnectivityType", str("public")))
                if let eip { address.append(("PublicIp", str(eip.description))); address.append(("AllocationId", str("eipalloc-" + (ids[n.name] ?? "").dropFirst(4)))) }
            }
            fields.append(("NatGatewayAddresses", .array([.object(address)])))
            return .object(fields)
        } }))])))
        // Route tables
        docs.append(("describe-route-tables.json", .object([("RouteTables", .array(t.vpcs.flatMap { v in v.routeTables.map { r in
            var associations: [JSONValue] = []
            if r.isMain { associations.append(.object([("Main", .bool(true)), ("RouteTableId", str(ids[r.name] ?? "")),
                                                       ("AssociationState", .object([("State", str("associated"))]))])) }
            for s in r.associations {
                associations.append(.object([("Main", .bool(false)), ("RouteTableId", str(ids[r.name] ?? "")), ("SubnetId", str(ids[s] ?? "")),
                                             ("AssociationState", .object([("State", str("associated"))]))]))
            }
            for g in r.edgeAssociations {
                associations.append(.object([("Main", .bool(false)), ("RouteTableId", str(ids[r.name] ?? "")), ("GatewayId", str(ids[g] ?? "")),
                                             ("AssociationState", .object([("State", str("associated"))]))]))
            }
            var routes: [JSONValue] = v.cidrs.map { c in .object([("DestinationCidrBlock", str(c.description)), ("GatewayId", str("local")),
                                                                   ("Origin", str("CreateRouteTable")), ("State", str("active"))]) }
            for route in r.routes {
                var f: [(String, JSONValue)] = []
                switch route.destination {
                case .cidr(.v4(let p)): f.append(("DestinationCidrBlock", str(p.description)))
                case .cidr(.v6(let p)): f.append(("DestinationIpv6CidrBlock", str(p.description)))
                case .prefixList(let n): f.append(("DestinationPrefixListId", str(ids[n] ?? "")))
                }
                switch route.target {
                case .local: continue
                case .blackhole: f.append(("NatGatewayId", str("nat-0deleted0000000000"))); f.append(("State", str("blackhole")))
                case .named(let n):
                    let base = n.split(separator: ".").first.map(String.init) ?? n
                    let target = ids[n] ?? ids[base] ?? ""
                    let key = target.hasPrefix("igw-") || target.hasPrefix("vgw-") ? "GatewayId" : target.hasPrefix("nat-") ? "NatGatewayId"
                        : target.hasPrefix("pcx-") ? "VpcPeeringConnectionId" : target.hasPrefix("tgw-") ? "TransitGatewayId"
                        : target.hasPrefix("eigw-") ? "EgressOnlyInternetGatewayId" : target.hasPrefix("eni-") ? "NetworkInterfaceId"
                        : target.hasPrefix("vpce-") ? "GatewayLoadBalancerEndpointId" : "InstanceId"
                    f.append((key, str(target)))
                    f.append(("State", str("active")))
                case .unmodelled(let id):
                    let key = id.hasPrefix("vpce-") ? "VpcEndpointId" : id.hasPrefix("cagw-") ? "CarrierGatewayId"
                        : id.hasPrefix("lgw-") ? "LocalGatewayId" : id.hasPrefix("arn:") ? "CoreNetworkArn" : "GatewayId"
                    f.append((key, str(id)))
                    f.append(("State", str("active")))
                }
                f.append(("Origin", str("CreateRoute")))
                routes.append(.object(f))
            }
            // A gateway endpoint's prefix-list route, as AWS shows it in each of the endpoint's tables.
            for e in v.endpoints where e.kind == .gateway && e.routeTables.contains(r.name) {
                routes.append(.object([("DestinationPrefixListId", str(ids[e.prefixList ?? e.service] ?? "")), ("GatewayId", str(ids[e.name] ?? "")),
                                       ("Origin", str("CreateRoute")), ("State", str("active"))]))
            }
            return .object([("Associations", .array(associations)),
                            ("PropagatingVgws", .array(r.propagations.map { .object([("GatewayId", str(ids[$0] ?? ""))]) })),
                            ("RouteTableId", str(ids[r.name] ?? "")),
                            ("Routes", .array(routes)), ("Tags", tags(r.name)), ("VpcId", str(ids[v.name] ?? "")), ("OwnerId", str(owner))])
        } }))])))
        // Security groups
        func permissions(_ rules: [SecurityGroupRule]) -> JSONValue {
            .array(rules.map { r in
                var f: [(String, JSONValue)] = [("IpProtocol", str(Exporter.proto(r.ipProtocol)))]
                f += ports(r.ipProtocol, r.ports)
                var v4: [JSONValue] = [], v6: [JSONValue] = [], pls: [JSONValue] = [], groups: [JSONValue] = []
                switch r.peer {
                case .cidr(.v4(let p)): v4.append(.object([("CidrIp", str(p.description))]))
                case .cidr(.v6(let p)): v6.append(.object([("CidrIpv6", str(p.description))]))
                case .prefixList(let n): pls.append(.object([("PrefixListId", str(ids[n] ?? ""))]))
                case .securityGroup(let n): groups.append(.object([("GroupId", str(ids[n] ?? "")), ("UserId", str(owner))]))
                }
                f += [("IpRanges", .array(v4)), ("Ipv6Ranges", .array(v6)), ("PrefixListIds", .array(pls)), ("UserIdGroupPairs", .array(groups))]
                return .object(f)
            })
        }
        docs.append(("describe-security-groups.json", .object([("SecurityGroups", .array(t.vpcs.flatMap { v in v.securityGroups.map { g in
            var egress = g.egress ?? [SecurityGroupRule(ipProtocol: .all, peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0) ?? v.cidrs[0])))]
            if g.egress == nil, !v.ipv6Cidrs.isEmpty, let any6 = IPv6Prefix(network: IPv6Address(bits: 0), length: 0) {
                egress.append(SecurityGroupRule(ipProtocol: .all, peer: .cidr(.v6(any6))))
            }
            return .object([("Description", str(g.name)), ("GroupName", str(g.isDefault ? "default" : g.name)), ("IpPermissions", permissions(g.ingress)),
                            ("OwnerId", str(owner)), ("GroupId", str(ids[g.name] ?? "")), ("IpPermissionsEgress", permissions(egress)),
                            ("Tags", tags(g.name)), ("VpcId", str(ids[v.name] ?? ""))])
        } }))])))
        // Network ACLs
        docs.append(("describe-network-acls.json", .object([("NetworkAcls", .array(t.vpcs.flatMap { v in v.networkACLs.map { a in
            func entry(_ r: NetworkACLRule, egress: Bool) -> JSONValue {
                var f: [(String, JSONValue)] = [("RuleNumber", .int(r.number)), ("Protocol", str(Exporter.proto(r.ipProtocol))),
                                                ("RuleAction", str(r.action.rawValue)), ("Egress", .bool(egress))]
                switch r.cidr {
                case .v4(let p): f.append(("CidrBlock", str(p.description)))
                case .v6(let p): f.append(("Ipv6CidrBlock", str(p.description)))
                }
                switch r.ipProtocol {
                case .tcp, .udp: let p = r.ports ?? .all; f.append(("PortRange", .object([("From", .int(Int(p.lower))), ("To", .int(Int(p.upper)))])))
                case .icmp, .icmpv6:
                    if let p = r.ports { f.append(("IcmpTypeCode", .object([("Type", .int(Int(p.lower))), ("Code", .int(p.upper == 65535 ? -1 : Int(p.upper)))]))) }
                    else { f.append(("IcmpTypeCode", .object([("Type", .int(-1)), ("Code", .int(-1))]))) }
                default: break
                }
                return .object(f)
            }
            let deny: [JSONValue] = [false, true].map { egress in .object([("CidrBlock", str("0.0.0.0/0")), ("Egress", .bool(egress)), ("Protocol", str("-1")),
                                                                           ("RuleAction", str("deny")), ("RuleNumber", .int(32767))]) }
            return .object([
                ("Associations", .array(a.associations.map { s in .object([("NetworkAclAssociationId", str("aclassoc-" + (ids[s] ?? "").dropFirst(7))),
                                                                            ("NetworkAclId", str(ids[a.name] ?? "")), ("SubnetId", str(ids[s] ?? ""))]) })),
                ("Entries", .array(a.inbound.map { entry($0, egress: false) } + a.outbound.map { entry($0, egress: true) } + deny)),
                ("IsDefault", .bool(a.isDefault)), ("NetworkAclId", str(ids[a.name] ?? "")), ("Tags", tags(a.name)),
                ("VpcId", str(ids[v.name] ?? "")), ("OwnerId", str(owner))])
        } }))])))
        // Instances and their interfaces (describe-instances and describe-network-interfaces both list them)
        var enis: [JSONValue] = []
        var reservations: [JSONValue] = []
        for v in t.vpcs {
            for i in v.instances {
                var ifaces: [JSONValue] = []
                for (index, e) in i.interfaces.enumerated() {
                    var f: [(String, JSONValue)] = [
                        ("Attachment", .object([("AttachTime", str("2024-01-01T00:00:00.000Z")), ("AttachmentId", str("eni-attach-" + (ids[i.name + "." + e.name] ?? "").dropFirst(4))),
                                                ("DeleteOnTermination", .bool(true)), ("DeviceIndex", .int(index)), ("Status", str("attached")),
                                                ("InstanceId", str(ids[i.name] ?? ""))])),
                        ("Description", str(index == 0 ? "Primary network interface" : "")),
                        ("Groups", .array(e.securityGroups.map { g in .object([("GroupId", str(ids[g] ?? "")), ("GroupName", str(g))]) })),
                        ("InterfaceType", str("interface")),
                        ("Ipv6Addresses", .array(e.ipv6Addresses.map { .object([("Ipv6Address", str($0.description))]) })),
                        ("MacAddress", str("02:00:00:00:00:00")), ("NetworkInterfaceId", str(ids[i.name + "." + e.name] ?? "")),
                        ("OwnerId", str(owner)), ("PrivateDnsName", str("ip-\(e.privateIP.description.split(separator: ".").joined(separator: "-")).ec2.internal")),
                        ("PrivateIpAddress", str(e.privateIP.description)),
                        ("PrivateIpAddresses", .array(([e.privateIP] + e.secondaryIPs).enumerated().map { k, ip in
                            .object([("Primary", .bool(k == 0)), ("PrivateIpAddress", str(ip.description))]) })),
                        ("SourceDestCheck", .bool(e.sourceDestCheck)), ("Status", str("in-use")),
                        ("SubnetId", str(ids[e.subnet] ?? "")), ("VpcId", str(ids[subnetVPC[e.subnet] ?? v.name] ?? "")),
                    ]
                    if case .address(let p)? = e.publicIP {
                        f.append(("Association", .object([("IpOwnerId", str("amazon")), ("PublicDnsName", str("")), ("PublicIp", str(p.description))])))
                    }
                    ifaces.append(.object(f))
                    enis.append(.object(f + [("AvailabilityZone", str(subnetAZ[e.subnet] ?? "us-east-1a")), ("TagSet", .array([]))]))
                }
                let primary = i.interfaces.first
                var fields: [(String, JSONValue)] = [
                    ("AmiLaunchIndex", .int(0)), ("ImageId", str("ami-0abcdef1234567890")), ("InstanceId", str(ids[i.name] ?? "")),
                    ("InstanceType", str("t3.micro")), ("LaunchTime", str("2024-01-01T00:00:00.000Z")),
                    ("Monitoring", .object([("State", str("disabled"))])),
                    ("Placement", .object([("AvailabilityZone", str(subnetAZ[primary?.subnet ?? ""] ?? "us-east-1a")), ("GroupName", str("")), ("Tenancy", str("default"))])),
                    ("PrivateIpAddress", str(primary?.privateIP.description ?? "")), ("ProductCodes", .array([])),
                    ("State", .object([("Code", .int(16)), ("Name", str("running"))])), ("SubnetId", str(ids[primary?.subnet ?? ""] ?? "")),
                    ("VpcId", str(ids[v.name] ?? "")), ("Architecture", str("x86_64")),
                    ("BlockDeviceMappings", .array([.object([("DeviceName", str("/dev/xvda")), ("Ebs", .object([("AttachTime", str("2024-01-01T00:00:00.000Z")),
                        ("DeleteOnTermination", .bool(true)), ("Status", str("attached")), ("VolumeId", str("vol-" + (ids[i.name] ?? "").dropFirst(2)))]))])])),
                    ("EbsOptimized", .bool(false)), ("EnaSupport", .bool(true)), ("Hypervisor", str("xen")),
                    ("NetworkInterfaces", .array(ifaces)), ("RootDeviceName", str("/dev/xvda")), ("RootDeviceType", str("ebs")),
                    ("SecurityGroups", .array((primary?.securityGroups ?? []).map { g in .object([("GroupId", str(ids[g] ?? "")), ("GroupName", str(g))]) })),
                    ("SourceDestCheck", .bool(primary?.sourceDestCheck ?? true)), ("Tags", instanceTags(i)), ("VirtualizationType", str("hvm")),
                ]
                if case .address(let p)? = primary?.publicIP { fields.append(("PublicIpAddress", str(p.description))) }
                reservations.append(.object([("Groups", .array([])), ("Instances", .array([.object(fields)])), ("OwnerId", str(owner)),
                                             ("ReservationId", str("r-" + (ids[i.name] ?? "").dropFirst(2)))]))
            }
        }
        // VPC endpoints' ENIs (requester-managed, InterfaceType vpc_endpoint)
        for v in t.vpcs {
            for e in v.endpoints where e.kind == .interface {
                for (k, ip) in e.addresses.enumerated() where k < e.subnets.count {
                    let subnet = e.subnets[k]
                    enis.append(.object([
                        ("AvailabilityZone", str(subnetAZ[subnet] ?? "us-east-1a")), ("Description", str("VPC Endpoint Interface \(ids[e.name] ?? "")")),
                        ("Groups", .array(e.securityGroups.map { g in .object([("GroupId", str(ids[g] ?? "")), ("GroupName", str(g))]) })),
                        ("InterfaceType", str("vpc_endpoint")), ("NetworkInterfaceId", str(ids[e.name + ".eni\(k)"] ?? "")),
                        ("OwnerId", str(owner)), ("PrivateIpAddress", str(ip.description)),
                        ("PrivateIpAddresses", .array([.object([("Primary", .bool(true)), ("PrivateIpAddress", str(ip.description))])])),
                        ("RequesterId", str("727180483921")), ("RequesterManaged", .bool(true)), ("SourceDestCheck", .bool(true)),
                        ("Status", str("in-use")), ("SubnetId", str(ids[subnet] ?? "")), ("VpcId", str(ids[v.name] ?? "")), ("TagSet", .array([])),
                    ]))
                }
            }
        }
        docs.append(("describe-instances.json", .object([("Reservations", .array(reservations))])))
        docs.append(("describe-network-interfaces.json", .object([("NetworkInterfaces", .array(enis))])))
        // Peerings
        docs.append(("describe-vpc-peering-connections.json", .object([("VpcPeeringConnections", .array(t.peerings.map { p in
            func info(_ name: String) -> JSONValue {
                let vpc = t.vpcs.first { $0.name == name }
                return .object([("CidrBlock", str(vpc?.cidrs.first?.description ?? "")), ("OwnerId", str(vpc?.account ?? owner)),
                                ("VpcId", str(ids[name] ?? "")), ("Region", str(vpc?.region ?? "us-east-1"))])
            }
            return .object([("AccepterVpcInfo", info(p.accepter)), ("RequesterVpcInfo", info(p.requester)),
                            ("Status", .object([("Code", str("active")), ("Message", str("Active"))])), ("Tags", tags(p.name)),
                            ("VpcPeeringConnectionId", str(ids[p.name] ?? ""))])
        }))])))
        // Transit gateways
        docs.append(("describe-transit-gateways.json", .object([("TransitGateways", .array(t.transitGateways.map { g in
            .object([("TransitGatewayId", str(ids[g.name] ?? "")), ("State", str("available")), ("OwnerId", str(g.account ?? owner)),
                     ("Options", .object([("AmazonSideAsn", .int(64512)), ("DefaultRouteTableAssociation", str("disable")),
                                          ("DefaultRouteTablePropagation", str("disable")),
                                          ("SecurityGroupReferencingSupport", str(g.securityGroupReferencing ? "enable" : "disable"))])),
                     ("Tags", tags(g.name))])
        }))])))
        var association: [String: String] = [:]
        for g in t.transitGateways { for r in g.routeTables { for a in r.associations { association[a] = ids[r.name] } } }
        let vpcByName = Dictionary(t.vpcs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func resourceType(_ a: TGWAttachment) -> String {
            switch a.kind {
            case .vpc: "vpc"
            case .vpn: "vpn"
            case .directConnectGateway: "direct-connect-gateway"
            case .peering: "peering"
            }
        }
        func resourceID(_ a: TGWAttachment) -> String {
            switch a.kind {
            case .vpc: ids[a.vpc] ?? ""
            case .vpn(let c): ids[c] ?? ""
            case .directConnectGateway(let d): ids[d] ?? ""
            case .peering(let g): ids[g] ?? ""
            }
        }
        let attachmentKind = Dictionary(t.transitGateways.flatMap { g in g.attachments.map { ($0.name, resourceType($0)) } }, uniquingKeysWith: { a, _ in a })
        docs.append(("describe-transit-gateway-vpc-attachments.json", .object([("TransitGatewayVpcAttachments", .array(t.transitGateways.flatMap { g in g.attachments.filter { $0.kind == .vpc }.map { a in
            .object([("TransitGatewayAttachmentId", str(ids[a.name] ?? "")), ("TransitGatewayId", str(ids[g.name] ?? "")),
                     ("VpcId", str(ids[a.vpc] ?? "")), ("VpcOwnerId", str(vpcByName[a.vpc]?.account ?? owner)), ("State", str("available")),
                     ("SubnetIds", .array(a.subnets.map { str(ids[$0] ?? "") })),
                     ("Options", .object([("DnsSupport", str("enable")), ("Ipv6Support", str("disable")),
                                          ("ApplianceModeSupport", str(a.applianceMode ? "enable" : "disable"))])), ("Tags", tags(a.name))])
        } }))])))
        // A peering's sides share one id, and one file lists an id once: the requester's view goes here, the
        // accepter's comes from describe-transit-gateway-peering-attachments.
        let accepters = Set(peeringPairs.compactMap { $0.b?.attachment.name })
        docs.append(("describe-transit-gateway-attachments.json", .object([("TransitGatewayAttachments", .array(t.transitGateways.flatMap { g in g.attachments.filter { !accepters.contains($0.name) }.map { a in
            var f: [(String, JSONValue)] = [("TransitGatewayAttachmentId", str(ids[a.name] ?? "")), ("TransitGatewayId", str(ids[g.name] ?? "")),
                                            ("ResourceType", str(resourceType(a))), ("ResourceId", str(resourceID(a))), ("State", str("available")),
                                            ("Tags", tags(a.name))]
            if let table = association[a.name] { f.append(("Association", .object([("TransitGatewayRouteTableId", str(table)), ("State", str("associated"))]))) }
            return .object(f)
        } }))])))
        // Each peering once, requester (the side written first) and accepter, with their regions and accounts.
        docs.append(("describe-transit-gateway-peering-attachments.json", .object([("TransitGatewayPeeringAttachments", .array(peeringPairs.map { a, b in
            func info(_ g: TransitGateway?, _ name: String) -> JSONValue {
                .object([("TransitGatewayId", str(ids[name] ?? "")), ("OwnerId", str(g?.account ?? owner)),
                         ("Region", str(g?.region ?? t.vpcs.first?.region ?? "us-east-1"))])
            }
            let peer: String = if case .peering(let p) = a.attachment.kind { p } else { "" }
            return .object([("TransitGatewayAttachmentId", str(ids[a.attachment.name] ?? "")),
                            ("RequesterTgwInfo", info(a.tgw, a.tgw.name)),
                            ("AccepterTgwInfo", info(b?.tgw ?? t.transitGateways.first { $0.name == peer }, b?.tgw.name ?? peer)),
                            ("Status", .object([("Code", str("available")), ("Message", str("Available"))])),
                            ("State", str("available")), ("Tags", tags(a.attachment.name))])
        }))])))
        docs.append(("describe-transit-gateway-route-tables.json", .object([("TransitGatewayRouteTables", .array(t.transitGateways.flatMap { g in g.routeTables.map { r in
            .object([("TransitGatewayRouteTableId", str(ids[r.name] ?? "")), ("TransitGatewayId", str(ids[g.name] ?? "")), ("State", str("available")),
                     ("DefaultAssociationRouteTable", .bool(false)), ("DefaultPropagationRouteTable", .bool(false)), ("Tags", tags(r.name))])
        } }))])))
        edges(&docs)
        var files: [(file: String, text: String)] = docs.map { ($0.0, $0.1.serialized(pretty: true) + "\n") }
        for g in t.transitGateways {
            for r in g.routeTables {
                let table = ids[r.name] ?? ""
                let props = JSONValue.object([("TransitGatewayRouteTablePropagations", .array(r.propagations.map { a in
                    .object([("TransitGatewayAttachmentId", str(ids[a] ?? "")), ("ResourceType", str(attachmentKind[a] ?? "vpc")), ("State", str("enabled"))]) }))])
                let routes = JSONValue.object([("Routes", .array(r.routes.map { route in
                    var f: [(String, JSONValue)] = []
                    switch route.destination {
                    case .cidr(let p): f.append(("DestinationCidrBlock", str(p.description)))
                    case .prefixList(let n): f.append(("PrefixListId", str(ids[n] ?? "")))
                    }
                    switch route.target {
                    case .blackhole: f.append(("State", str("blackhole")))
                    case .attachment(let a):
                        f.append(("State", str("active")))
                        f.append(("TransitGatewayAttachments", .array([.object([("TransitGatewayAttachmentId", str(ids[a] ?? "")), ("ResourceType", str(attachmentKind[a] ?? "vpc"))])])))
                    }
                    f.append(("Type", str("static")))
                    return .object(f)
                })), ("AdditionalRoutesAvailable", .bool(false))])
                // Per table, so each side of a peering (one id on two TGWs) keeps its own association.
                let assocs = JSONValue.object([("TransitGatewayRouteTableId", str(table)), ("Associations", .array(r.associations.map { a in
                    .object([("TransitGatewayAttachmentId", str(ids[a] ?? "")), ("ResourceType", str(attachmentKind[a] ?? "vpc")), ("State", str("associated"))]) }))])
                files.append(("get-transit-gateway-route-table-associations.\(table).json", assocs.serialized(pretty: true) + "\n"))
                files.append(("get-transit-gateway-route-table-propagations.\(table).json", props.serialized(pretty: true) + "\n"))
                files.append(("search-transit-gateway-routes.\(table).json", routes.serialized(pretty: true) + "\n"))
            }
        }
        files.append(("describe-managed-prefix-lists.json", JSONValue.object([("PrefixLists", .array(t.prefixLists.map { p in
            .object([("PrefixListId", str(ids[p.name] ?? "")), ("PrefixListName", str(p.name)), ("State", str("create-complete")),
                     ("AddressFamily", str(p.entries.first?.family == .ipv6 ? "IPv6" : "IPv4")), ("MaxEntries", .int(max(1, p.entries.count))),
                     ("OwnerId", str(owner)), ("Tags", tags(p.name))]) }))]).serialized(pretty: true) + "\n"))
        for p in t.prefixLists {
            files.append(("get-managed-prefix-list-entries.\(ids[p.name] ?? "").json", JSONValue.object([("Entries", .array(p.entries.map {
                .object([("Cidr", str($0.description))]) }))]).serialized(pretty: true) + "\n"))
        }
        return files
    }

    /// The edges' describe-* documents (VGWs, customer gateways, VPN connections, VPC endpoints, Direct Connect).
    func edges(_ docs: inout [(String, JSONValue)]) {
        docs.append(("describe-vpn-gateways.json", .object([("VpnGateways", .array(t.vpcs.compactMap { v in
            v.vpnGateway.map { g in
                var f: [(String, JSONValue)] = [("State", str("available")), ("Type", str("ipsec.1")),
                                                ("VpcAttachments", .array([.object([("State", str("attached")), ("VpcId", str(ids[v.name] ?? ""))])])),
                                                ("VpnGatewayId", str(ids[g.name] ?? "")), ("Tags", tags(g.name))]
                if let asn = g.asn { f.append(("AmazonSideAsn", .int(Int(asn)))) }
                return .object(f)
            }
        }))])))
        docs.append(("describe-customer-gateways.json", .object([("CustomerGateways", .array(t.customerGateways.map { g in
            .object([("BgpAsn", str(String(g.asn))), ("CustomerGatewayId", str(ids[g.name] ?? "")), ("IpAddress", str(g.address.description)),
                     ("State", str("available")), ("Type", str("ipsec.1")), ("Tags", tags(g.name))])
        }))])))
        docs.append(("describe-vpn-connections.json", .object([("VpnConnections", .array(t.vpnConnections.map { c in
            var f: [(String, JSONValue)] = [("Category", str("VPN")), ("CustomerGatewayId", str(ids[c.customerGateway] ?? "")),
                                            ("Options", .object([("StaticRoutesOnly", .bool(c.staticRoutesOnly))])),
                                            ("Routes", .array(c.staticRoutes.map { .object([("DestinationCidrBlock", str($0.description)), ("Source", str("Static")), ("State", str("available"))]) })),
                                            ("State", str("available")), ("Type", str("ipsec.1")), ("VpnConnectionId", str(ids[c.name] ?? "")), ("Tags", tags(c.name))]
            switch c.awsSide {
            case .vpnGateway(let g): f.append(("VpnGatewayId", str(ids[g] ?? "")))
            case .transitGateway(let g): f.append(("TransitGatewayId", str(ids[g] ?? "")))
            }
            f.append(("VgwTelemetry", .array(c.tunnels.enumerated().map { k, s in
                .object([("AcceptedRouteCount", .int(0)), ("OutsideIpAddress", str("203.0.113.\(k + 1)")), ("Status", str(s == .up ? "UP" : "DOWN")), ("StatusMessage", str(""))])
            })))
            return .object(f)
        }))])))
        docs.append(("describe-vpc-endpoints.json", .object([("VpcEndpoints", .array(t.vpcs.flatMap { v in v.endpoints.map { e in
            var f: [(String, JSONValue)] = [("VpcEndpointId", str(ids[e.name] ?? "")), ("VpcEndpointType", str(e.kind == .gateway ? "Gateway" : e.kind == .interface ? "Interface" : "GatewayLoadBalancer")),
                                            ("VpcId", str(ids[v.name] ?? "")), ("ServiceName", str(e.service)), ("State", str("available")),
                                            ("RouteTableIds", .array(e.routeTables.map { str(ids[$0] ?? "") })),
                                            ("SubnetIds", .array(e.subnets.map { str(ids[$0] ?? "") })),
                                            ("Groups", .array(e.securityGroups.map { g in .object([("GroupId", str(ids[g] ?? "")), ("GroupName", str(g))]) })),
                                            ("NetworkInterfaceIds", .array(e.addresses.indices.map { str(ids[e.name + ".eni\($0)"] ?? "") })),
                                            ("PrivateDnsEnabled", .bool(e.kind == .interface && e.privateDNS)), ("RequesterManaged", .bool(false)),
                                            ("OwnerId", str(v.account ?? owner)), ("Tags", tags(e.name))]
            if let policy = e.policy { f.append(("PolicyDocument", str(policy))) }
            return .object(f)
        } }))])))
        // Direct Connect, as its CLI prints it (camelCase).
        docs.append(("describe-direct-connect-gateways.json", .object([("directConnectGateways", .array(t.directConnectGateways.map { d in
            var f: [(String, JSONValue)] = [("directConnectGatewayId", str(ids[d.name] ?? "")), ("directConnectGatewayName", str(d.name)),
                                            ("ownerAccount", str(owner)), ("directConnectGatewayState", str("available"))]
            if let asn = d.asn { f.append(("amazonSideAsn", .int(Int(asn)))) }
            return .object(f)
        }))])))
        docs.append(("describe-direct-connect-gateway-associations.json", .object([("directConnectGatewayAssociations", .array(t.directConnectGateways.flatMap { d in
            d.associations.enumerated().map { k, a in
                let gateway = ids[a.gateway] ?? ""
                return .object([("directConnectGatewayId", str(ids[d.name] ?? "")), ("associationId", str("\(ids[d.name] ?? "")-assoc-\(k)")),
                                ("associationState", str("associated")),
                                ("associatedGateway", .object([("id", str(gateway)), ("type", str(gateway.hasPrefix("vgw-") ? "virtualPrivateGateway" : "transitGateway")),
                                                               ("ownerAccount", str(owner)), ("region", str("us-east-1"))])),
                                ("allowedPrefixesToDirectConnectGateway", .array(a.allowedPrefixes.map { .object([("cidr", str($0.description))]) }))])
            }
        }))])))
        docs.append(("describe-virtual-interfaces.json", .object([("virtualInterfaces", .array(t.virtualInterfaces.enumerated().map { k, f in
            var vgw = "", dx = ""
            switch f.awsSide {
            case .vpnGateway(let g): vgw = ids[g] ?? ""
            case .directConnectGateway(let d): dx = ids[d] ?? ""
            }
            return .object([("ownerAccount", str(owner)), ("virtualInterfaceId", str(ids[f.name] ?? "")), ("virtualInterfaceName", str(f.name)),
                            ("virtualInterfaceType", str(f.kind.rawValue)), ("virtualInterfaceState", str(f.isAvailable ? "available" : "down")),
                            ("vlan", .int(100 + k)), ("asn", .int(65000)), ("virtualGatewayId", str(vgw)), ("directConnectGatewayId", str(dx))])
        }))])))
    }
}
