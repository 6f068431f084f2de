// A FlowNetwork built straight from a NetworkModel topology: interfaces, route tables, NACLs, security groups,
// internet gateways, NAT gateways and peerings. It is the replay's packet model until the Reachability
// engine's per-packet entry point is available; it follows semantics.md §0 (checks in order), §3, §4, §7, §8.
// Transit gateways, endpoints and VGWs are not modelled here: packets routed to them leave the model.
import IPAddressing
import NetworkModel

/// The replay's view of a ``Topology``.
public struct TopologyFlowNetwork: FlowNetwork, Sendable {
    public let interfaces: [FlowInterface]
    public let natGateways: [FlowNATGateway]

    struct Subnet: Sendable { var vpc: Int; var cidr: IPv4Prefix; var ipv6: IPv6Prefix?; var table: Int; var acl: Int? }
    enum Hop: Sendable { case local, internet, nat(Int), peering(vpc: Int), interface(Int), leave, blackhole }
    struct Table: Sendable { var routes: [(prefix: IPPrefix, hop: Hop)] }
    struct ENI: Sendable {
        var subnet: Int; var addresses: [FlowAddress]; var groups: [Int]; var hasPublicIP: Bool; var nat: Int?
        var sourceDestCheck: Bool
    }
    struct Group: Sendable { var ingress: [SecurityGroupRule]; var egress: [SecurityGroupRule]? }

    let subnets: [Subnet]
    let tables: [Table]
    let acls: [NetworkACL]
    let enis: [ENI]
    let groups: [Group]
    let groupIndex: [String: Int]
    let prefixLists: [String: [IPPrefix]]
    let vpcHasIGW: [Bool]
    let vpcCIDRs: [[IPv4Prefix]]
    let vpcDNS: [FlowAddress]
    let addressIndex: [FlowAddress: Int32]
    let publicIndex: [FlowAddress: Int32]
    let natEIPIndex: [FlowAddress: Int32]
    /// Names of instances (and `instance.interface`) and NAT gateways → their primary private address.
    public let endpointAddresses: [String: FlowAddress]

    /// Builds the replay model. `defaultAccount`/`defaultRegion` fill in VPCs that do not say.
    public init(_ topology: Topology, defaultAccount: String = "123456789012", defaultRegion: String? = nil) {
        var interfaces: [FlowInterface] = [], natGateways: [FlowNATGateway] = []
        var subnets: [Subnet] = [], tables: [Table] = [], acls: [NetworkACL] = [], enis: [ENI] = []
        var groups: [Group] = [], groupIndex: [String: Int] = [:], vpcHasIGW: [Bool] = [], vpcCIDRs: [[IPv4Prefix]] = []
        var vpcDNS: [FlowAddress] = [], endpoints: [String: FlowAddress] = [:]
        var subnetIndex: [String: Int] = [:], vpcIndex: [String: Int] = [:]
        var prefixLists: [String: [IPPrefix]] = [:]
        for list in topology.prefixLists { prefixLists[list.name] = list.entries }
        for (v, vpc) in topology.vpcs.enumerated() { vpcIndex[vpc.name] = v }
        var peeringVPC: [String: (Int, Int)] = [:]
        for p in topology.peerings {
            if let a = vpcIndex[p.requester], let b = vpcIndex[p.accepter] { peeringVPC[p.name] = (a, b) }
        }
        var natNames: [String: Int] = [:], instanceENI: [String: Int] = [:]
        // Pass 1: subnets, groups, interfaces.
        for (v, vpc) in topology.vpcs.enumerated() {
            vpcHasIGW.append(vpc.internetGateway != nil)
            vpcCIDRs.append(vpc.cidrs)
            vpcDNS.append(FlowAddress(v4: (vpc.cidrs.first?.network.bits ?? 0) &+ 2))
            let account = vpc.account ?? defaultAccount
            let region = vpc.region ?? defaultRegion
            let vpcID = vpc.id ?? TopologyFlowNetwork.syntheticID("vpc", vpc.name)
            var defaultGroup: Int? = nil
            for sg in vpc.securityGroups {
                groupIndex[sg.name] = groups.count
                if sg.name == "default" { defaultGroup = groups.count }
                groups.append(Group(ingress: sg.ingress, egress: sg.egress))
            }
            if defaultGroup == nil {
                defaultGroup = groups.count
                let self4 = SecurityGroupRule(ipProtocol: .all, peer: .securityGroup("\u{0}default-\(v)"))
                groupIndex["\u{0}default-\(v)"] = groups.count
                groups.append(Group(ingress: [self4], egress: nil))
            }
            var subnetAZ: [String: String?] = [:]
            for s in vpc.subnets {
                subnetIndex[s.name] = subnets.count
                subnetAZ[s.name] = s.availabilityZone
                let main = vpc.routeTables.firstIndex { $0.isMain }
                let explicit = vpc.routeTables.firstIndex { $0.associations.contains(s.name) }
                let acl = vpc.networkACLs.firstIndex { $0.associations.contains(s.name) }
                subnets.append(Subnet(vpc: v, cidr: s.cidr, ipv6: s.ipv6Cidr, table: -1 - (explicit ?? main ?? -1),
                                      acl: acl.map { acls.count + $0 }))
            }
            acls += vpc.networkACLs
            func meta(_ subnet: String) -> (String, String?) {
                let s = vpc.subnets.first { $0.name == subnet }
                let az = s?.availabilityZone.map(TopologyFlowNetwork.azID)
                return (s?.id ?? TopologyFlowNetwork.syntheticID("subnet", subnet), az)
            }
            for instance in vpc.instances {
                for (n, nic) in instance.interfaces.enumerated() {
                    guard let s = subnetIndex[nic.subnet] else { continue }
                    let (subnetID, az) = meta(nic.subnet)
                    let publicIP: FlowAddress?
                    var hasPublic = false
                    switch nic.publicIP {
                    case .address(let a)?: publicIP = FlowAddress(v4: a.bits); hasPublic = true
                    case .unknown?: publicIP = nil; hasPublic = true
                    case .none?: publicIP = nil
                    case nil:
                        publicIP = nil
                        hasPublic = n == 0 && (vpc.subnets.first { $0.name == nic.subnet }?.mapPublicIP ?? false)
                    }
                    let primary = FlowAddress(v4: nic.privateIP.bits)
                    let addresses = [primary] + nic.secondaryIPs.map { FlowAddress(v4: $0.bits) }
                        + nic.ipv6Addresses.map { FlowAddress(bits: $0.bits, isIPv6: true) }
                    let sgs = nic.securityGroups.isEmpty ? [defaultGroup ?? 0] : nic.securityGroups.compactMap { groupIndex[$0] }
                    if n == 0 { endpoints[instance.name] = primary; instanceENI[instance.name] = enis.count }
                    endpoints["\(instance.name).\(nic.name)"] = primary
                    interfaces.append(FlowInterface(
                        interfaceID: nic.id ?? TopologyFlowNetwork.syntheticID("eni", "\(instance.name).\(nic.name)"),
                        accountID: account, vpcID: vpcID, subnetID: subnetID,
                        instanceID: instance.id ?? TopologyFlowNetwork.syntheticID("i", instance.name),
                        region: region, azID: az, primaryAddress: primary, publicAddress: publicIP))
                    enis.append(ENI(subnet: s, addresses: addresses, groups: sgs, hasPublicIP: hasPublic, nat: nil,
                                    sourceDestCheck: nic.sourceDestCheck))
                }
            }
            for nat in vpc.natGateways {
                guard let s = subnetIndex[nat.subnet] else { continue }
                let (subnetID, az) = meta(nat.subnet)
                let cidr = subnets[s].cidr
                let privateIP = FlowAddress(v4: nat.privateIP?.bits ?? (cidr.last.bits &- 1))
                var eip: FlowAddress? = nil
                if case .public(let e?) = nat.connectivity { eip = FlowAddress(v4: e.bits) }
                natNames[nat.name] = natGateways.count
                endpoints[nat.name] = privateIP
                natGateways.append(FlowNATGateway(interface: Int32(interfaces.count), privateAddress: privateIP, elasticIP: eip))
                interfaces.append(FlowInterface(
                    interfaceID: TopologyFlowNetwork.syntheticID("eni", "nat:" + nat.name), accountID: account, vpcID: vpcID,
                    subnetID: subnetID, instanceID: nil, region: region, azID: az, primaryAddress: privateIP,
                    publicAddress: eip, isNATGateway: true))
                enis.append(ENI(subnet: s, addresses: [privateIP], groups: [], hasPublicIP: eip != nil,
                                nat: natGateways.count - 1, sourceDestCheck: true))
            }
        }
        // Pass 2: route tables (targets resolve to hops).
        var tableOf: [Int: Int] = [:]  // (vpc << 16 | table-in-vpc) → global
        for (v, vpc) in topology.vpcs.enumerated() {
            for (t, table) in vpc.routeTables.enumerated() {
                var routes: [(IPPrefix, Hop)] = vpc.cidrs.map { (.v4($0), .local) } + vpc.ipv6Cidrs.map { (.v6($0), .local) }
                for r in table.routes {
                    let hop: Hop
                    switch r.target {
                    case .local: hop = .local
                    case .blackhole: hop = .blackhole
                    case .named(let name):
                        if name == vpc.internetGateway?.name || name == vpc.egressOnlyGateway?.name { hop = .internet }
                        else if let n = natNames[name] { hop = .nat(n) }
                        else if let (a, b) = peeringVPC[name] { hop = .peering(vpc: a == v ? b : a) }
                        else if let e = instanceENI[name] { hop = .interface(e) }
                        else { hop = .leave }
                    }
                    switch r.destination {
                    case .cidr(let p):
                        routes.removeAll { $0.0 == p && hop.isLocal == false && $0.1.isLocal }
                        routes.append((p, hop))
                    case .prefixList(let n): for p in prefixLists[n] ?? [] { routes.append((p, hop)) }
                    }
                }
                tableOf[v << 16 | t] = tables.count
                tables.append(Table(routes: routes.map { (prefix: $0.0, hop: $0.1) }))
            }
            // A VPC without a main table gets local routes only.
            tableOf[v << 16 | 0xffff] = tables.count
            tables.append(Table(routes: vpc.cidrs.map { (prefix: .v4($0), hop: .local) } + vpc.ipv6Cidrs.map { (prefix: .v6($0), hop: .local) }))
        }
        for i in subnets.indices {
            let encoded = -1 - subnets[i].table  // index in VPC, or -1 for none
            subnets[i].table = tableOf[subnets[i].vpc << 16 | (encoded >= 0 ? encoded : 0xffff)] ?? 0
        }
        var addressIndex: [FlowAddress: Int32] = [:], publicIndex: [FlowAddress: Int32] = [:], natEIPIndex: [FlowAddress: Int32] = [:]
        for (i, e) in enis.enumerated() { for a in e.addresses where addressIndex[a] == nil { addressIndex[a] = Int32(i) } }
        for (i, f) in interfaces.enumerated() where !f.isNATGateway { if let p = f.publicAddress { publicIndex[p] = Int32(i) } }
        for (n, g) in natGateways.enumerated() { if let e = g.elasticIP { natEIPIndex[e] = Int32(n) } }
        self.interfaces = interfaces
        self.natGateways = natGateways
        self.subnets = subnets
        self.tables = tables
        self.acls = acls.map { acl in
            var sorted = acl
            sorted.inbound.sort { $0.number < $1.number }
            sorted.outbound.sort { $0.number < $1.number }
            return sorted
        }
        self.enis = enis
        self.groups = groups
        self.groupIndex = groupIndex
        self.prefixLists = prefixLists
        self.vpcHasIGW = vpcHasIGW
        self.vpcCIDRs = vpcCIDRs
        self.vpcDNS = vpcDNS
        self.addressIndex = addressIndex
        self.publicIndex = publicIndex
        self.natEIPIndex = natEIPIndex
        self.endpointAddresses = endpoints
    }

    public func interface(holding address: FlowAddress) -> Int32? { addressIndex[address] }

    public func isNeverLogged(_ address: FlowAddress) -> Bool {
        if !address.isIPv6 {
            let b = UInt32(truncatingIfNeeded: address.bits)
            if b == 0xA9FE_A9FE || b == 0xA9FE_A97B { return true }  // 169.254.169.254 metadata, .123 time sync
            if b == 0xA9FE_A9FD { return true }  // 169.254.169.253: Amazon DNS
        }
        return vpcDNS.contains(address)
    }

    public func forward(_ p: DecodedPacket, from origin: FlowOrigin, tracked: Bool,
                        into observations: inout [InterfaceObservation]) -> ForwardEnd {
        switch origin {
        case .interface(let i):
            return send(p, from: Int(i), tracked: tracked, into: &observations)
        case .natGateway(let n):
            return send(p, from: Int(natGateways[Int(n)].interface), tracked: tracked, into: &observations)
        case .internet:
            if let n = natEIPIndex[p.destination] {
                let e = Int(natGateways[Int(n)].interface)
                guard vpcHasIGW[subnets[enis[e].subnet].vpc] else { return .dropped }
                var q = p
                q.destination = natGateways[Int(n)].privateAddress
                return receive(q, at: e, fromSubnet: nil, tracked: tracked, into: &observations) ? .reachedNATGateway(n) : .dropped
            }
            guard let j = publicIndex[p.destination] else { return .dropped }
            guard vpcHasIGW[subnets[enis[Int(j)].subnet].vpc], !isPrivateOrShared(p.source) else { return .dropped }
            var q = p
            q.destination = interfaces[Int(j)].primaryAddress
            return receive(q, at: Int(j), fromSubnet: nil, tracked: tracked, into: &observations) ? .delivered : .dropped
        }
    }

    /// The interface `e` sends `p`: SG egress, route lookup, NACL out, then the next hop.
    func send(_ p: DecodedPacket, from e: Int, tracked: Bool, into obs: inout [InterfaceObservation]) -> ForwardEnd {
        let eni = enis[e]
        let subnet = subnets[eni.subnet]
        let vpc = subnet.vpc
        // Route: within the subnet no table; else longest prefix in the subnet's table.
        var hop: Hop = .leave
        if inSubnet(p.destination, eni.subnet) { hop = .local }
        else if let h = lookup(subnet.table, p.destination) { hop = h } else { hop = .blackhole }
        var next: Int? = nil
        var trafficPath: UInt8 = 1
        switch hop {
        case .local: next = addressIndex[p.destination].map(Int.init).flatMap { subnets[enis[$0].subnet].vpc == vpc ? $0 : nil }
        case .peering(let other):
            trafficPath = 4
            next = addressIndex[p.destination].map(Int.init).flatMap { subnets[enis[$0].subnet].vpc == other ? $0 : nil }
        case .nat(let n): next = Int(natGateways[n].interface)
        case .interface(let j): next = j
        case .internet: trafficPath = 2
        case .leave: trafficPath = 1
        case .blackhole: break
        }
        if case .nat(let n) = hop, eni.nat == n { hop = .blackhole; next = nil }  // a route back to itself counts as none
        var ok = tracked || eni.nat != nil || sgAllows(eni.groups, egress: true, p, remote: p.destination, vpc: vpc)  // NAT gateways have no SG
        let leavesSubnet = next.map { enis[$0].subnet != eni.subnet } ?? true
        if ok, leavesSubnet, let acl = subnet.acl { ok = aclAllows(acls[acl].outbound, p, remote: p.destination) }
        if case .blackhole = hop {
            // Dropped by routing: the interface still sent it (AWS logs the egress).
            append(&obs, e, egress: true, ok, p, path: 0)
            return .dropped
        }
        if case .internet = hop {
            let isNAT = eni.nat != nil
            // Without a public address the IGW drops it after the interface logged it (§3).
            append(&obs, e, egress: true, ok, p, path: trafficPath)
            guard ok else { return .dropped }
            if isPrivateOrShared(p.destination) { return .dropped }
            return (isNAT || eni.hasPublicIP || p.source.isIPv6) ? .exited : .dropped
        }
        append(&obs, e, egress: true, ok, p, path: next == nil && hop.isLocal ? 1 : trafficPath)
        guard ok else { return .dropped }
        guard let j = next else { return hop.isLocal ? .dropped : .exited }
        let accepted = receive(p, at: j, fromSubnet: eni.subnet, tracked: tracked, into: &obs)
        guard accepted else { return .dropped }
        if let n = enis[j].nat, case .nat = hop { return .reachedNATGateway(Int32(n)) }
        if enis[j].nat != nil { return .dropped }  // NAT gateways take no traffic addressed to themselves
        return .delivered
    }

    /// Interface `j` receives `p`: NACL in (unless from its own subnet), SG ingress (unless tracked).
    func receive(_ p: DecodedPacket, at j: Int, fromSubnet: Int?, tracked: Bool, into obs: inout [InterfaceObservation]) -> Bool {
        let eni = enis[j]
        var ok = true
        if fromSubnet != eni.subnet, let acl = subnets[eni.subnet].acl { ok = aclAllows(acls[acl].inbound, p, remote: p.source) }
        if ok, !tracked, eni.nat == nil { ok = sgAllows(eni.groups, egress: false, p, remote: p.source, vpc: subnets[eni.subnet].vpc) }
        append(&obs, j, egress: false, ok, p, path: 0)
        return ok
    }

    func append(_ obs: inout [InterfaceObservation], _ e: Int, egress: Bool, _ ok: Bool, _ p: DecodedPacket, path: UInt8) {
        obs.append(InterfaceObservation(interface: Int32(e), isEgress: egress, accepted: ok, packetSource: p.source,
                                        packetDestination: p.destination, sourcePort: p.sourcePort,
                                        destinationPort: p.destinationPort, trafficPath: egress ? path : 0))
    }

    func lookup(_ table: Int, _ address: FlowAddress) -> Hop? {
        let ip = Self.ipAddress(address)
        var best: (Int, Hop)? = nil
        for r in tables[table].routes where r.prefix.contains(ip) {
            if r.prefix.length > (best?.0 ?? -1) { best = (r.prefix.length, r.hop) }
        }
        return best?.1
    }

    func inSubnet(_ a: FlowAddress, _ s: Int) -> Bool {
        a.isIPv6 ? (subnets[s].ipv6?.contains(IPv6Address(bits: a.bits)) ?? false)
                 : subnets[s].cidr.contains(IPv4Address(bits: UInt32(truncatingIfNeeded: a.bits)))
    }

    func isPrivateOrShared(_ a: FlowAddress) -> Bool {
        guard !a.isIPv6 else { return false }
        let b = UInt32(truncatingIfNeeded: a.bits)
        return b >> 24 == 10 || b >> 20 == 0xAC1 || b >> 16 == 0xC0A8 || b >> 22 == (100 << 2 | 1)
    }

    func sgAllows(_ groupList: [Int], egress: Bool, _ p: DecodedPacket, remote: FlowAddress, vpc: Int) -> Bool {
        let ip = Self.ipAddress(remote)
        for g in groupList {
            guard let rules = egress ? groups[g].egress : groups[g].ingress else { return true }  // default egress
            for rule in rules where Self.protocolAndPortsMatch(rule.ipProtocol, rule.ports, p) {
                switch rule.peer {
                case .cidr(let c): if c.contains(ip) { return true }
                case .prefixList(let n): if (prefixLists[n] ?? []).contains(where: { $0.contains(ip) }) { return true }
                case .securityGroup(let name):
                    if let target = groupIndex[name], let other = addressIndex[remote], enis[Int(other)].groups.contains(target) {
                        return true
                    }
                }
            }
        }
        return false
    }

    func aclAllows(_ rules: [NetworkACLRule], _ p: DecodedPacket, remote: FlowAddress) -> Bool {
        let ip = Self.ipAddress(remote)
        for rule in rules  // sorted by number at init
        where rule.cidr.contains(ip) && Self.protocolAndPortsMatch(rule.ipProtocol, rule.ports, p) {
            return rule.action == .allow
        }
        return false
    }

    static func protocolAndPortsMatch(_ proto: IPProtocol, _ ports: PortRange?, _ p: DecodedPacket) -> Bool {
        switch proto {
        case .all: return true
        case .number(let n):
            guard n == p.ipProtocol else { return false }
            guard let ports else { return true }
            switch n {
            case 6, 17: return ports.contains(p.destinationPort)
            case 1, 58:
                return (ports.lower == 65535 || UInt16(p.icmpType) == ports.lower)
                    && (ports.upper == 65535 || UInt16(p.icmpCode) == ports.upper)
            default: return true
            }
        }
    }

    static func ipAddress(_ a: FlowAddress) -> IPAddress {
        a.isIPv6 ? .v6(IPv6Address(bits: a.bits)) : .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: a.bits)))
    }

    /// `us-east-1a` → `use1-az1` (AWS's zone ids differ per account; this is a stable stand-in).
    static func azID(_ zone: String) -> String {
        let parts = zone.split(separator: "-")
        guard parts.count == 3, let last = parts[2].last, let number = parts[2].first, last.isLetter else { return zone }
        let area = parts[1].prefix(1) + (parts[1].count > 5 ? String(parts[1].dropFirst(5).prefix(1)) : "")
        let letter = Int(last.asciiValue ?? 97) - 96
        return "\(parts[0])\(area)\(number)-az\(letter)"
    }

    /// A stable AWS-shaped id for a resource written without one: `eni-` + 17 hex digits of FNV-1a.
    static func syntheticID(_ prefix: String, _ name: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        let digits = String(repeating: "0", count: max(0, 16 - hex.count)) + hex
        return "\(prefix)-0\(digits)"
    }
}

extension TopologyFlowNetwork.Hop {
    var isLocal: Bool { if case .local = self { true } else { false } }
}
