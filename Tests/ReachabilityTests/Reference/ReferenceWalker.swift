import IPAddressing
import NetworkModel

// An independent reference for `reach`: slow and simple, written from Docs/AWS-BEHAVIOUR.md §0–§10, §13 (the
// network's edges: VGWs, VPN, Direct Connect, TGW VPN / DX gateway attachments, gateway route tables, BGP ranking),
// the choices of Docs/SEMANTICS.md and the language (Docs/LANGUAGE-CONTRACT.md, Docs/DSL.md) against the
// `NetworkModel` types directly. It must not use the
// Reachability module (no compiled tables, no PortSet, no evaluation helpers) nor PrefixMatch: every lookup
// here is a linear scan, and one concrete packet is walked at a time (concrete source and destination
// ports), forward and then its reply back (§0: the reply is routed by the destination's subnet table, NACLs
// are checked again, security groups and NAT gateways track the connection).
//
// Deliberately not shared with production: this file imports only IPAddressing and NetworkModel.

/// The reference walker over one validated topology.
struct ReferenceWalker {
    // MARK: Query

    enum QueryEndpoint: Hashable, CustomStringConvertible {
        /// `instance.interface` (or an instance name: its primary interface).
        case interface(String)
        /// A bare address: held by an interface → that interface; a public IP → a public destination; inside a
        /// VPC but held by nothing → dropped.
        case address(IPAddress)
        /// A host on the internet (a public address outside every VPC block).
        case internet(IPAddress)
        /// `onprem:NAME:ADDRESS`: a host of a declared on-premises network (issue 18).
        case onPrem(String, IPAddress)
        var description: String {
            switch self {
            case .interface(let n): n
            case .address(let a): a.description
            case .internet(let a): "internet:\(a)"
            case .onPrem(let n, let a): "onprem:\(n):\(a)"
            }
        }
    }

    struct Query: CustomStringConvertible {
        var source: QueryEndpoint
        var destination: QueryEndpoint
        /// 6 tcp, 17 udp, 1 icmp, 58 icmpv6, or another protocol number.
        var proto: UInt8
        /// Destination port (TCP/UDP) or ICMP type (code 0).
        var port: UInt16
        /// The client's concrete source port (TCP/UDP).
        var sourcePort: UInt16
        var trafficText: String {
            switch proto {
            case 6: "tcp/\(port)"
            case 17: "udp/\(port)"
            case 1: "icmp/\(port)"
            case 58: "icmpv6/\(port)"
            default: "proto \(proto)"
            }
        }
        var description: String { "\(source) -> \(destination) \(trafficText) --source-port \(sourcePort)" }
    }

    struct Answer {
        var reachable: Bool
        /// A §12 code (loosely: the verdict is what is compared).
        var code: String
        var direction: String
        /// The path crossed a transit gateway attachment in appliance mode with several subnets: AWS picks the
        /// ENI by a flow hash, which this walker does not reproduce; the comparison skips such queries.
        var ambiguous: Bool
        var trace: [String]
        /// The request was forwarded by an appliance (an ENI with source/dest check off).
        var crossedAppliance = false
        /// A packet crossed a transit gateway without security-group referencing.
        var crossedTGWWithoutReferencing = false
        /// A packet crossed the internet (an internet or egress-only gateway).
        var crossedInternet = false
        /// A packet was checked against a VPC's written default security group (`security-group NAME default`,
        /// or the group named `default`).
        var checkedDeclaredDefaultGroup = false
        /// A packet was checked against a VPC's declared default NACL (`network-acl NAME default`) at a subnet
        /// with no explicit association.
        var checkedDeclaredDefaultNACL = false
        /// The walk met something this walker does not decide (a static TGW route to an edge that announces
        /// nothing covering it, a NAT gateway toward a VGW): the verdict means nothing and the comparison skips the
        /// query (never a guess).
        var unknown = false
        /// The request crossed a VGW (either way), used a gateway endpoint, or reached an interface endpoint.
        var usedVGW = false
        var usedGatewayEndpoint = false
        var reachedInterfaceEndpoint = false
        /// Issue 18 (the reference's second round): the walk crossed a TGW VPN / DX gateway attachment, a Direct
        /// Connect edge, a gateway route table; an edge choice had several candidate edges; a TGW lookup chose among
        /// equal-prefix routes of one kind.
        var usedTGWEdge = false
        var usedDirectConnect = false
        var usedGatewayTable = false
        var rankedEdges = false
        var tgwEqualPrefix = false
        /// The walk crossed a TGW peering attachment (either way).
        var usedTGWPeering = false
        /// A lookup met a route BGP withdrew (its edge down) at least as specific as the one it used, or none.
        var withdrawnRouteMattered = false
        /// Issue 23: the destination was a load balancer node.
        var usedLoadBalancer = false
    }

    // MARK: Indexed model

    struct Iface {
        var name: String
        var instance: Int
        var vpc: Int
        var subnet: Int
        var v4: [IPv4Address]
        var v6: [IPv6Address]
        /// A public IPv4 on the primary private address (an unknown value gets a private placeholder in 240/4).
        var publicIP: IPv4Address?
        var groups: [Int]
        var sourceDestCheck: Bool
        /// An interface endpoint's ENI (§10): answers, never initiates; TCP only.
        var isEndpoint = false
        /// A load balancer node (index into ``ReferenceWalker/lbs``); a node without groups (an NLB's) filters nothing.
        var lb: Int? = nil
        var openGroups = false
        func holds(_ a: IPAddress) -> Bool {
            switch a {
            case .v4(let x): v4.contains(x)
            case .v6(let x): v6.contains(x)
            }
        }
    }
    struct SubnetInfo {
        var name: String
        var vpc: Int
        var cidr: IPv4Prefix
        var v6: IPv6Prefix?
        var az: String?
        var table: Int?
        var nacl: Int?
        /// The subnet has no explicit NACL association and uses the VPC's declared default NACL.
        var usesDeclaredDefaultNACL = false
        func contains(_ a: IPAddress) -> Bool {
            switch a {
            case .v4(let x): cidr.contains(x)
            case .v6(let x): v6?.contains(x) ?? false
            }
        }
    }
    struct NAT {
        var name: String
        var vpc: Int
        var subnet: Int
        var isPublic: Bool
        var eip: IPv4Address?
        var ip: IPv4Address
    }
    struct Group {
        var name: String
        var vpc: Int
        var ingress: [SecurityGroupRule]
        var egress: [SecurityGroupRule]
        /// The VPC's written default group (marked `default`, else named `default`).
        var declaredDefault = false
    }
    enum Target: Equatable {
        case local, blackhole, igw, eigw, unmodelled
        case nat(Int), pcx(Int), tgw(Int), eni(Int)
        /// The VPC's virtual private gateway; a gateway endpoint (index into `gatewayEndpoints`).
        case vgw, vpce(Int)
        /// A Gateway Load Balancer endpoint (index into `gwlbEndpoints`).
        case gwlbe(Int)
    }
    struct RouteEntry {
        var prefix: IPPrefix
        /// Lower wins among equal prefixes: 0 written CIDR, 1 implicit local, 2 prefix-list entry, 3 propagated
        /// from the VGW (§2: static > prefix list > propagated; propagated never replaces local).
        var rank: Int
        var tie: String
        var target: Target
    }
    struct TGWEntry {
        var prefix: IPPrefix
        /// 0 static CIDR, 1 static prefix list, 2 VPC-propagated, 3 Direct Connect gateway-propagated, 4
        /// VPN-propagated (§6).
        var rank: Int
        var tie: String
        /// nil: blackhole.
        var attachment: Int?
        /// Propagated edge routes, two of one kind (Docs/SEMANTICS.md "TGW edges"): BGP's local preference, then
        /// AS path, then the first propagated (`order`: position in the table's `propagate` list).
        var pref = 1
        var asPath = 0
        var order = 0
        func beats(_ b: TGWEntry) -> Bool {
            if prefix.length != b.prefix.length { return prefix.length > b.prefix.length }
            if rank != b.rank { return rank < b.rank }
            if tie != b.tie { return tie < b.tie }
            if pref != b.pref { return pref < b.pref }
            if asPath != b.asPath { return asPath < b.asPath }
            return order < b.order
        }
    }
    struct Attachment {
        /// `peering(far)`: a TGW peering attachment; `far` is the other TGW's attachment back (nil: none declared).
        enum Kind { case vpc, edge(Int), peering(Int?), unresolved }
        var name: String
        var tgw: Int
        var vpc: Int
        var subnets: [Int]
        var applianceMode: Bool
        var table: Int?
        var kind: Kind = .vpc
    }
    /// An edge between AWS and on premises (§10).
    struct EdgeInfo {
        var name: String
        var isVPN: Bool
        /// A VPN whose reported tunnels are all down, a VIF not available: carries nothing.
        var down: Bool
        /// Through a Direct Connect gateway association with allowed prefixes: only those are advertised to on
        /// premises, so only they are reached from there (empty: no restriction).
        var allowed: [IPv4Prefix] = []
    }
    /// One on-premises prefix announced over an edge, with what BGP ranks it by.
    struct Ann {
        var prefix: IPv4Prefix
        var network: String?
        var edge: Int
        /// 0 Direct Connect, 1 VPN static, 2 VPN BGP (§2, §10).
        var origin: Int
        /// Local preference: 0 high, 1 medium (and unset), 2 low.
        var pref: Int
        var asPath: Int
        /// Declaration order (ties: the first declared).
        var order: Int
        /// True when `self` beats `other` for one destination both contain (§2, §10; Docs/SEMANTICS.md "Edge choice
        /// at the VGW"): longer prefix, then Direct Connect > VPN static > VPN BGP, then higher local preference,
        /// then shorter AS path, then the first declared.
        func beats(_ o: Ann) -> Bool {
            if prefix.length != o.prefix.length { return prefix.length > o.prefix.length }
            if origin != o.origin { return origin < o.origin }
            if pref != o.pref { return pref < o.pref }
            if asPath != o.asPath { return asPath < o.asPath }
            return order < o.order
        }
    }

    let model: Topology
    var ifaces: [Iface] = []
    var ifaceByName: [String: Int] = [:]
    var subnets: [SubnetInfo] = []
    var subnetByName: [String: Int] = [:]
    var nats: [NAT] = []
    var groups: [Group] = []
    var groupByName: [String: Int] = [:]
    var naclRules: [(inbound: [NetworkACLRule], outbound: [NetworkACLRule])] = []
    var tables: [[RouteEntry]] = []
    var implicitTable: [[RouteEntry]] = []  // per VPC: local routes only
    var peerings: [(a: Int, b: Int, name: String)] = []
    var attachments: [Attachment] = []
    var tgwTables: [[TGWEntry]] = []
    /// Per table (VPC tables as `tables`, TGW tables as `tgwTables`): the propagated prefixes BGP withdrew because
    /// the announcing edge is down (a BGP VPN, a VIF, a DX gateway without a VIF up; a VPN static route stays),
    /// with that edge. Not routes: when no route is left the answer names the edge.
    var withdrawn: [[(prefix: IPv4Prefix, edge: Int)]] = []
    var tgwWithdrawn: [[(prefix: IPv4Prefix, edge: Int)]] = []
    var prefixLists: [String: [IPPrefix]] = [:]
    /// Issue 18. Per VPC: has a VGW. Per VGW's VPC: the prefixes announced to it (VPN static routes, `onprem …
    /// via` a VPN connection on it or the VGW), each with the on-premises network announcing it (nil: a static
    /// route) and whether the announcing connection has all tunnels down.
    var hasVGW: [Bool] = []
    var announced: [[Ann]] = []
    /// Every edge that carries traffic between AWS and on premises: VPN connections, VIFs (one per VGW a private
    /// VIF reaches through a Direct Connect gateway association), a VGW or Direct Connect gateway named by an
    /// announcement (an unnamed edge on it), and the edges behind TGW VPN / DX gateway attachments.
    var edges: [EdgeInfo] = []
    /// The on-premises prefixes announced over TGW VPN / Direct Connect gateway attachments (`edge` indexes
    /// `edges`); what a BGP VPN whose tunnels are all down announced is kept here (entry from on premises says
    /// `TGW_BAD_STATE_VPN`) and withdrawn from the tables (`isWithdrawn`).
    var tgwAnn: [Ann] = []
    /// Per VPC: its internet gateway's / VGW's gateway route table (edge association), index into `tables`.
    var igwTable: [Int?] = []
    var vgwTable: [Int?] = []
    struct GatewayEndpoint { var name: String; var vpc: Int; var entries: [IPPrefix] }
    var gatewayEndpoints: [GatewayEndpoint] = []
    /// Interface endpoint name → its ENIs (indices into `ifaces`).
    var interfaceEndpoints: [String: [Int]] = [:]
    /// Load balancers (Docs/SEMANTICS.md "Load balancers"), written from the model: nodes, listeners and targets.
    struct LBTarget { var iface: Int?; var address: IPv4Address?; var port: UInt16; var zone: String?; var gets: Bool; var preserve: Bool; var lambda: Bool }
    struct LBListener { var proto: Listener.ListenerProtocol; var port: UInt16; var responds: Bool; var targets: [LBTarget] }
    struct LBInfo { var name: String; var id: String?; var dns: String?; var classic: Bool; var crossZone: Bool; var nodes: [Int]; var listeners: [LBListener]
                    var gateway = false }
    var lbs: [LBInfo] = []
    /// Gateway Load Balancer endpoints whose load balancer is in the model: the endpoint's subnet and its GWLB (`lbs`).
    struct GWLBEndpoint { var name: String; var vpc: Int; var subnet: Int; var lb: Int }
    var gwlbEndpoints: [GWLBEndpoint] = []
    /// The topology has edges this walker does not model (an interface endpoint ENI without a written address):
    /// every answer is unknown.
    var unmodelledEdges = false
    var onPremNetworks: [String: [IPv4Prefix]] = [:]

    init(_ t: Topology) {
        model = t
        for p in t.prefixLists { prefixLists[p.name] = p.entries }
        var vpcIndex: [String: Int] = [:]
        for (vi, v) in t.vpcs.enumerated() { vpcIndex[v.name] = vi }
        for (pi, p) in t.peerings.enumerated() {
            peerings.append((vpcIndex[p.requester] ?? -1, vpcIndex[p.accepter] ?? -1, p.name))
            _ = pi
        }
        // Security groups; each VPC gets its default group: the one marked `default`, else the one named
        // `default` (Docs/DSL.md), else a synthetic one (AWS's implied group: all from itself, all egress).
        var defaultGroup: [Int] = []
        for (vi, v) in t.vpcs.enumerated() {
            let first = groups.count
            for g in v.securityGroups {
                groupByName[g.name] = groups.count
                groups.append(Group(name: g.name, vpc: vi, ingress: g.ingress, egress: g.egress ?? Self.defaultEgress(v)))
            }
            // The marked group wins over one named `default` (the validator rejects both in one VPC anyway).
            let written = v.securityGroups.firstIndex(where: { $0.isDefault }) ?? v.securityGroups.firstIndex(where: { $0.name == "default" })
            defaultGroup.append(written.map { first + $0 } ?? -1)
            if let w = written { groups[first + w].declaredDefault = true }
        }
        for (vi, v) in t.vpcs.enumerated() {
            if defaultGroup[vi] >= 0 { continue }
            let name = "default#\(v.name)"
            groupByName[name] = groups.count
            defaultGroup[vi] = groups.count
            groups.append(Group(name: name, vpc: vi, ingress: [SecurityGroupRule(ipProtocol: .all, peer: .securityGroup(name))],
                                egress: Self.defaultEgress(v)))
        }
        for (vi, v) in t.vpcs.enumerated() {
            for s in v.subnets {
                subnetByName[s.name] = subnets.count
                subnets.append(SubnetInfo(name: s.name, vpc: vi, cidr: s.cidr, v6: s.ipv6Cidr, az: s.availabilityZone))
            }
        }
        var unknownPublic: UInt32 = 0
        for (vi, v) in t.vpcs.enumerated() {
            for (ii, inst) in v.instances.enumerated() {
                for (k, e) in inst.interfaces.enumerated() {
                    let sn = subnetByName[e.subnet] ?? 0
                    var pub: IPv4Address?
                    switch e.publicIP {
                    case .address(let a)?: pub = a
                    case .none?: pub = nil
                    case .unknown?:
                        unknownPublic += 1; pub = IPv4Address(bits: 0xF000_0000 | unknownPublic)
                    case nil:
                        if v.subnets.first(where: { $0.name == e.subnet })?.mapPublicIP == true {
                            unknownPublic += 1; pub = IPv4Address(bits: 0xF000_0000 | unknownPublic)
                        }
                    }
                    let gs = e.securityGroups.isEmpty ? [defaultGroup[vi]] : e.securityGroups.compactMap { groupByName[$0] }
                    let name = "\(inst.name).\(e.name)"
                    ifaceByName[name] = ifaces.count
                    if k == 0 { ifaceByName[inst.name] = ifaces.count }
                    ifaces.append(Iface(name: name, instance: vi * 10_000 + ii, vpc: vi, subnet: sn, v4: [e.privateIP] + e.secondaryIPs,
                                        v6: e.ipv6Addresses, publicIP: pub, groups: gs, sourceDestCheck: e.sourceDestCheck))
                }
            }
        }
        // Interface endpoints: one ENI per subnet with the endpoint's groups (§10).
        for (vi, v) in t.vpcs.enumerated() {
            for (ei, e) in v.endpoints.enumerated() where e.kind == .interface {
                if e.addresses.count < e.subnets.count { unmodelledEdges = true }
                let gs = e.securityGroups.isEmpty ? [defaultGroup[vi]] : e.securityGroups.compactMap { groupByName[$0] }
                var mine: [Int] = []
                for (k, sn) in e.subnets.enumerated() {
                    guard let s = subnetByName[sn], k < e.addresses.count else { continue }
                    mine.append(ifaces.count)
                    ifaces.append(Iface(name: "\(e.name)#\(k)", instance: 5_000_000 + vi * 1_000 + ei * 10 + k, vpc: vi, subnet: s,
                                        v4: [e.addresses[k]], v6: [], publicIP: nil, groups: gs, sourceDestCheck: true, isEndpoint: true))
                }
                interfaceEndpoints[e.name] = mine
            }
        }
        // Load balancer nodes: one per subnet, the written addresses (a node without one: the walker cannot place
        // it, the comparison skips the topology), the LB's groups (ALB, classic: else the VPC default; NLB: none).
        for (vi, v) in t.vpcs.enumerated() {
            for lb in v.loadBalancers {
                if lb.addresses.count < lb.subnets.count { unmodelledEdges = true }
                // A GWLB has no security groups: its node filters nothing.
                let open = lb.securityGroups.isEmpty && (lb.kind == .network || lb.kind == .gateway)
                let gs = lb.securityGroups.isEmpty ? (open ? [] : [defaultGroup[vi]]) : lb.securityGroups.compactMap { groupByName[$0] }
                var nodes: [Int] = []
                for (k, sn) in lb.subnets.enumerated() {
                    guard let s = subnetByName[sn], k < lb.addresses.count else { continue }
                    nodes.append(ifaces.count)
                    var f = Iface(name: "\(lb.name)#\(k)", instance: 6_000_000 + vi * 1_000 + lbs.count * 10 + k, vpc: vi, subnet: s,
                                  v4: [lb.addresses[k]], v6: [], publicIP: k < lb.publicAddresses.count ? lb.publicAddresses[k] : nil,
                                  groups: gs, sourceDestCheck: true)
                    f.lb = lbs.count
                    f.openGroups = open
                    ifaceByName[f.name] = ifaces.count
                    ifaces.append(f)
                }
                var listeners: [LBListener] = []
                for l in lb.listeners {
                    var ts: [LBTarget] = []
                    var groupsOf: [String] = []
                    if case .forward(let g) = l.defaultAction { groupsOf.append(g) }
                    for r in l.rules where !groupsOf.contains(r.targetGroup) { groupsOf.append(r.targetGroup) }
                    func add(_ x: LoadBalancerTarget, type: TargetGroup.TargetType, port: UInt16, preserve: Bool) {
                        let owner: Int? = type == .instance ? ifaceByName[x.target] : nil
                        let addr: IPv4Address? = owner.map { ifaces[$0].v4[0] } ?? (type == .ip ? try? IPv4Address(parsing: Substring(x.target)) : nil)
                        let zone = x.zone ?? owner.flatMap { subnets[ifaces[$0].subnet].az }
                        ts.append(LBTarget(iface: owner, address: addr, port: port, zone: zone, gets: x.health == nil || x.health == .healthy,
                                           preserve: preserve, lambda: type == .lambda))
                    }
                    if case .instancePort(let p) = l.defaultAction { for x in lb.targets { add(x, type: .instance, port: p, preserve: false) } }
                    for gn in groupsOf {
                        guard let g = v.targetGroups.first(where: { $0.name == gn }) else { continue }
                        // Preservation (the group's setting, else on for instance targets, off for IP ones over TCP/TLS).
                        let preserve = lb.kind == .network && (g.preserveClientIP ?? (g.targetType == .instance || g.targetProtocol == .udp || g.targetProtocol == .tcpUDP))
                        for x in g.targets { add(x, type: g.targetType, port: x.port ?? g.port ?? l.port, preserve: preserve) }
                    }
                    var responds = false
                    if case .respond = l.defaultAction, l.rules.isEmpty { responds = true }
                    listeners.append(LBListener(proto: l.listenerProtocol, port: l.port, responds: responds, targets: ts))
                }
                lbs.append(LBInfo(name: lb.name, id: lb.id, dns: lb.dnsName, classic: lb.kind == .classic,
                                  crossZone: lb.crossZone ?? (lb.kind == .application), nodes: nodes, listeners: listeners,
                                  gateway: lb.kind == .gateway))
            }
        }
        for (vi, v) in t.vpcs.enumerated() {
            for n in v.natGateways {
                let sn = subnetByName[n.subnet] ?? 0
                let ip = n.privateIP ?? highestFree(sn)
                switch n.connectivity {
                case .public(let eip):
                    var e = eip
                    if e == nil { unknownPublic += 1; e = IPv4Address(bits: 0xF000_0000 | unknownPublic) }
                    nats.append(NAT(name: n.name, vpc: vi, subnet: sn, isPublic: true, eip: e, ip: ip))
                case .private: nats.append(NAT(name: n.name, vpc: vi, subnet: sn, isPublic: false, eip: nil, ip: ip))
                }
            }
        }
        // NACLs. A subnet with no explicit association uses the VPC's declared default NACL (`network-acl NAME
        // default`), else the implied one that allows everything (`nacl` nil).
        for (vi, v) in t.vpcs.enumerated() {
            var declared: Int?
            for n in v.networkACLs {
                if n.isDefault && declared == nil { declared = naclRules.count }
                for a in n.associations { if let s = subnetByName[a] { subnets[s].nacl = naclRules.count } }
                naclRules.append((n.inbound.sorted { $0.number < $1.number }, n.outbound.sorted { $0.number < $1.number }))
            }
            if let d = declared {
                for s in subnets.indices where subnets[s].vpc == vi && subnets[s].nacl == nil {
                    subnets[s].nacl = d
                    subnets[s].usesDeclaredDefaultNACL = true
                }
            }
        }
        // Transit gateways (before route tables: `-> tgw` targets are resolved by name). A VPN or Direct Connect
        // gateway attachment is an edge to on premises; a peering attachment leads to the other TGW's attachment
        // back (resolved below, once all are known).
        var attByName: [String: Int] = [:]
        func matches(_ word: String, _ name: String, _ id: String?) -> Bool { word == name || (id != nil && word == id) }
        func tunnelsDown(_ c: VPNConnection) -> Bool { !c.tunnels.isEmpty && c.tunnels.allSatisfy { $0 == .down } }
        func newEdge(_ e: EdgeInfo) -> Int { edges.append(e); return edges.count - 1 }
        for (ti, g) in t.transitGateways.enumerated() {
            for a in g.attachments {
                attByName[a.name] = attachments.count
                var att = Attachment(name: a.name, tgw: ti, vpc: vpcIndex[a.vpc] ?? -1,
                                     subnets: a.subnets.compactMap { subnetByName[$0] }, applianceMode: a.applianceMode)
                switch a.kind {
                case .vpc: break
                case .vpn(let cn):
                    if let c = t.vpnConnections.first(where: { matches(cn, $0.name, $0.id) }) {
                        att.kind = .edge(newEdge(EdgeInfo(name: c.name, isVPN: true, down: tunnelsDown(c))))
                    } else { att.kind = .unresolved }
                case .directConnectGateway(let dn):
                    if let d = t.directConnectGateways.first(where: { matches(dn, $0.name, $0.id) }) {
                        // The association of the DX gateway with this TGW: what on premises is told (allowed prefixes).
                        let allowed = d.associations.first { matches($0.gateway, g.name, g.id) }?.allowedPrefixes ?? []
                        att.kind = .edge(newEdge(EdgeInfo(name: d.name, isVPN: false, down: false, allowed: allowed)))
                    } else { att.kind = .unresolved }
                case .peering:
                    att.kind = .peering(nil)
                }
                attachments.append(att)
            }
        }
        // Peering attachments: the far TGW's peering attachment naming this TGW back (§10: each side declares its own).
        for (x, a) in attachments.enumerated() {
            guard case .peering = a.kind,
                  case .peering(let farName)? = t.transitGateways[a.tgw].attachments.first(where: { $0.name == a.name })?.kind,
                  let far = t.transitGateways.firstIndex(where: { matches(farName, $0.name, $0.id) }) else { continue }
            let here = t.transitGateways[a.tgw]
            let back = attachments.indices.first { y in
                guard attachments[y].tgw == far, case .peering = attachments[y].kind,
                      case .peering(let n)? = t.transitGateways[far].attachments.first(where: { $0.name == attachments[y].name })?.kind else { return false }
                return matches(n, here.name, here.id)
            }
            attachments[x].kind = .peering(back)
        }
        // Edges ending on VGWs (§10) and what on premises announces over them, per VGW.
        for n in t.onPremisesNetworks { onPremNetworks[n.name] = n.prefixes }
        func prefRank(_ p: OnPremisesNetwork.LocalPreference?) -> Int { switch p { case .high?: 0; case .low?: 2; default: 1 } }
        for (vi, v) in t.vpcs.enumerated() {
            hasVGW.append(v.vpnGateway != nil)
            var list: [Ann] = []
            defer { announced.append(list) }
            guard let g = v.vpnGateway else { continue }
            func add(_ p: IPv4Prefix, _ network: String?, _ e: Int, origin: Int, pref: Int, asPath: Int) {
                list.append(Ann(prefix: p, network: network, edge: e, origin: origin, pref: pref, asPath: asPath, order: list.count))
            }
            var vpnEdge: [String: Int] = [:]
            for c in t.vpnConnections {
                guard case .vpnGateway(let n) = c.awsSide, matches(n, g.name, g.id) else { continue }
                let e = newEdge(EdgeInfo(name: c.name, isVPN: true, down: tunnelsDown(c)))
                vpnEdge[c.name] = e
                for p in c.staticRoutes { add(p, nil, e, origin: 1, pref: 1, asPath: 0) }
            }
            // Private VIFs: on this VGW, or on a DX gateway associated with it (one edge each).
            var vifEdges: [String: [Int]] = [:]
            var dxgwVIFsUp: [String: Bool] = [:]
            for vif in t.virtualInterfaces where vif.kind == .private {
                switch vif.awsSide {
                case .vpnGateway(let n) where matches(n, g.name, g.id):
                    vifEdges[vif.name, default: []].append(newEdge(EdgeInfo(name: vif.name, isVPN: false, down: !vif.isAvailable)))
                case .directConnectGateway(let dn):
                    guard let d = t.directConnectGateways.first(where: { matches(dn, $0.name, $0.id) }) else { continue }
                    dxgwVIFsUp[d.name] = (dxgwVIFsUp[d.name] ?? false) || vif.isAvailable
                    for a in d.associations where matches(a.gateway, g.name, g.id) {
                        vifEdges[vif.name, default: []].append(newEdge(EdgeInfo(name: vif.name, isVPN: false, down: !vif.isAvailable,
                                                                                allowed: a.allowedPrefixes)))
                    }
                default: break
                }
            }
            var unnamedVGW: Int?
            var dxgwEdges: [String: [Int]] = [:]
            for o in t.onPremisesNetworks {
                for a in o.announcements {
                    let pref = prefRank(a.localPreference), path = a.asPathLength ?? 1
                    var targets: [(Int, Int)] = []
                    if let c = t.vpnConnections.first(where: { matches(a.edge, $0.name, $0.id) }), let e = vpnEdge[c.name] {
                        // A `via` over a static VPN ranks as VPN static, over a BGP VPN as VPN BGP.
                        targets = [(e, c.staticRoutesOnly ? 1 : 2)]
                    } else if let vif = t.virtualInterfaces.first(where: { matches(a.edge, $0.name, $0.id) }) {
                        targets = (vifEdges[vif.name] ?? []).map { ($0, 0) }
                    } else if matches(a.edge, g.name, g.id) {
                        // An unnamed edge on the VGW: ranks as VPN BGP.
                        if unnamedVGW == nil { unnamedVGW = newEdge(EdgeInfo(name: g.name, isVPN: false, down: false)) }
                        targets = [(unnamedVGW!, 2)]
                    } else if let d = t.directConnectGateways.first(where: { matches(a.edge, $0.name, $0.id) }) {
                        // Learned over the DX gateway (an unnamed VIF): Direct Connect; down when it has private VIFs
                        // and all are down (no BGP session).
                        if dxgwEdges[d.name] == nil {
                            let down = !(dxgwVIFsUp[d.name] ?? true)
                            dxgwEdges[d.name] = d.associations.filter { matches($0.gateway, g.name, g.id) }.map {
                                newEdge(EdgeInfo(name: d.name, isVPN: false, down: down, allowed: $0.allowedPrefixes))
                            }
                        }
                        targets = (dxgwEdges[d.name] ?? []).map { ($0, 0) }
                    }
                    for (e, origin) in targets { for p in o.prefixes { add(p, o.name, e, origin: origin, pref: pref, asPath: path) } }
                }
            }
            _ = vi
        }
        // What on premises announces over TGW VPN / DX gateway attachments (BGP, §6): over a VPN, its static routes
        // and the networks announced via it (withdrawn when a BGP VPN's tunnels are all down: no session); over a
        // DX gateway, the networks announced via it or one of its transit VIFs, while such a VIF is up.
        for (ai, att) in attachments.enumerated() {
            guard case .edge(let e) = att.kind else { continue }
            let g = t.transitGateways[att.tgw]
            guard let written = g.attachments.first(where: { $0.name == att.name }) else { continue }
            func add(_ p: IPv4Prefix, _ network: String?, origin: Int, pref: Int, asPath: Int) {
                tgwAnn.append(Ann(prefix: p, network: network, edge: e, origin: origin, pref: pref, asPath: asPath, order: tgwAnn.count))
            }
            switch written.kind {
            case .vpn(let cn):
                guard let c = t.vpnConnections.first(where: { matches(cn, $0.name, $0.id) }) else { continue }
                // A BGP VPN whose tunnels are all down has no session: AWS withdraws what it announced (the tables
                // below leave out what `isWithdrawn` says); its static routes stay.
                for p in c.staticRoutes { add(p, nil, origin: 1, pref: 1, asPath: 0) }
                for o in t.onPremisesNetworks {
                    for a in o.announcements where matches(a.edge, c.name, c.id) {
                        for p in o.prefixes { add(p, o.name, origin: c.staticRoutesOnly ? 1 : 2, pref: prefRank(a.localPreference), asPath: a.asPathLength ?? 1) }
                    }
                }
            case .directConnectGateway(let dn):
                guard let d = t.directConnectGateways.first(where: { matches(dn, $0.name, $0.id) }) else { continue }
                let transit = t.virtualInterfaces.filter {
                    if case .directConnectGateway(let x) = $0.awsSide, matches(x, d.name, d.id), $0.kind == .transit { true } else { false }
                }
                let anyUp = transit.isEmpty || transit.contains(where: \.isAvailable)
                for o in t.onPremisesNetworks {
                    for a in o.announcements {
                        let viaGateway = matches(a.edge, d.name, d.id) && anyUp
                        let viaVIF = transit.contains { matches(a.edge, $0.name, $0.id) && $0.isAvailable }
                        guard viaGateway || viaVIF else { continue }
                        for p in o.prefixes { add(p, o.name, origin: 0, pref: prefRank(a.localPreference), asPath: a.asPathLength ?? 1) }
                    }
                }
            default: break
            }
            _ = ai
        }
        for g in t.transitGateways {
            for rt in g.routeTables {
                let index = tgwTables.count
                for a in rt.associations { if let x = attByName[a] { attachments[x].table = index } }
                var entries: [TGWEntry] = []
                var gone: [(prefix: IPv4Prefix, edge: Int)] = []
                for r in rt.routes {
                    let att: Int? = if case .attachment(let n) = r.target { attByName[n] } else { nil }
                    switch r.destination {
                    case .cidr(let p): entries.append(TGWEntry(prefix: p, rank: 0, tie: "", attachment: att))
                    case .prefixList(let n):
                        for p in prefixLists[n] ?? [] { entries.append(TGWEntry(prefix: p, rank: 1, tie: n, attachment: att)) }
                    }
                }
                for (k, a) in rt.propagations.enumerated() {
                    guard let x = attByName[a] else { continue }
                    switch attachments[x].kind {
                    case .vpc:
                        guard attachments[x].vpc >= 0 else { continue }
                        let v = t.vpcs[attachments[x].vpc]
                        for c in v.cidrs { entries.append(TGWEntry(prefix: .v4(c), rank: 2, tie: "", attachment: x, order: k)) }
                        for c in v.ipv6Cidrs { entries.append(TGWEntry(prefix: .v6(c), rank: 2, tie: "", attachment: x, order: k)) }
                    case .edge(let e):
                        // One route per prefix: the best announcement of it over this attachment.
                        var best: [IPv4Prefix: Ann] = [:]
                        for n in tgwAnn where n.edge == e {
                            if isWithdrawn(n) { gone.append((n.prefix, e)); continue }
                            if let b = best[n.prefix], !(n.pref < b.pref || (n.pref == b.pref && n.asPath < b.asPath)) { continue }
                            best[n.prefix] = n
                        }
                        let rank = edges[e].isVPN ? 4 : 3
                        for (p, n) in best { entries.append(TGWEntry(prefix: .v4(p), rank: rank, tie: "", attachment: x, pref: n.pref, asPath: n.asPath, order: k)) }
                    default: continue
                    }
                }
                tgwTables.append(entries)
                tgwWithdrawn.append(gone)
            }
        }
        // Gateway route tables (edge associations, §2).
        igwTable = Array(repeating: nil, count: t.vpcs.count)
        vgwTable = Array(repeating: nil, count: t.vpcs.count)
        var tableIndex = 0
        for (vi, v) in t.vpcs.enumerated() {
            for rt in v.routeTables {
                for g in rt.edgeAssociations {
                    if v.internetGateway?.name == g { igwTable[vi] = tableIndex }
                    if let w = v.vpnGateway, matches(g, w.name, w.id) { vgwTable[vi] = tableIndex }
                }
                tableIndex += 1
            }
        }
        for (vi, v) in t.vpcs.enumerated() {
            for e in v.endpoints where e.kind == .gateway {
                let entries = prefixLists[e.prefixList ?? e.service] ?? []
                gatewayEndpoints.append(GatewayEndpoint(name: e.name, vpc: vi, entries: entries))
            }
        }
        // Gateway Load Balancer endpoints: the first written subnet of the endpoint's VPC, the GWLB its service names.
        for (vi, v) in t.vpcs.enumerated() {
            for e in v.endpoints where e.kind == .gatewayLoadBalancer {
                guard let s = e.subnets.compactMap({ n in subnets.indices.first { subnets[$0].vpc == vi && subnets[$0].name == n } }).first,
                      let k = lbs.firstIndex(where: { $0.gateway && ($0.name == e.service || $0.id == e.service) }) else { continue }
                gwlbEndpoints.append(GWLBEndpoint(name: e.name, vpc: vi, subnet: s, lb: k))
            }
        }
        // Route tables.
        for (vi, v) in t.vpcs.enumerated() {
            let local = Self.localRoutes(v)
            implicitTable.append(local)
            for rt in v.routeTables {
                var entries = local
                for r in rt.routes {
                    let target = resolveTarget(r.target, vpc: vi)
                    switch r.destination {
                    case .cidr(let p): entries.append(RouteEntry(prefix: p, rank: 0, tie: "", target: target))
                    case .prefixList(let n):
                        for p in prefixLists[n] ?? [] { entries.append(RouteEntry(prefix: p, rank: 2, tie: n, target: target)) }
                    }
                }
                // Gateway endpoints listing this table: `pl:LIST -> endpoint`, a prefix-list route.
                for (x, e) in gatewayEndpoints.enumerated() where e.vpc == vi {
                    guard let written = v.endpoints.first(where: { $0.name == e.name }), written.routeTables.contains(rt.name) else { continue }
                    for p in e.entries { entries.append(RouteEntry(prefix: p, rank: 2, tie: written.prefixList ?? written.service, target: .vpce(x))) }
                }
                // Propagation from the VGW: every prefix announced to it, but what BGP withdrew (an edge that is
                // down, not a VPN static route).
                var gone: [(prefix: IPv4Prefix, edge: Int)] = []
                if let g = v.vpnGateway, rt.propagations.contains(where: { $0 == g.name || $0 == g.id }) {
                    for a in announced[vi] where !v.cidrs.contains(where: { $0.contains(a.prefix) }) {
                        if isWithdrawn(a) { gone.append((a.prefix, a.edge)); continue }
                        entries.append(RouteEntry(prefix: .v4(a.prefix), rank: 3, tie: "", target: .vgw))
                    }
                }
                let index = tables.count
                tables.append(entries)
                withdrawn.append(gone)
                for a in rt.associations { if let s = subnetByName[a] { subnets[s].table = index } }
                if rt.isMain {
                    for s in subnets.indices where subnets[s].vpc == vi && !rt.associations.contains(subnets[s].name)
                        && !v.routeTables.contains(where: { $0.associations.contains(subnets[s].name) }) {
                        subnets[s].table = index
                    }
                }
            }
        }
    }

    static func defaultEgress(_ v: VPC) -> [SecurityGroupRule] {
        var r = [SecurityGroupRule(ipProtocol: .all, peer: .cidr(.v4(IPv4Prefix(network: IPv4Address(bits: 0), length: 0)!)))]
        if !v.ipv6Cidrs.isEmpty { r.append(SecurityGroupRule(ipProtocol: .all, peer: .cidr(.v6(IPv6Prefix(network: IPv6Address(bits: 0), length: 0)!)))) }
        return r
    }
    static func localRoutes(_ v: VPC) -> [RouteEntry] {
        v.cidrs.map { RouteEntry(prefix: .v4($0), rank: 1, tie: "", target: .local) }
            + v.ipv6Cidrs.map { RouteEntry(prefix: .v6($0), rank: 1, tie: "", target: .local) }
    }

    func resolveTarget(_ t: Route.Target, vpc vi: Int) -> Target {
        switch t {
        case .local: return .local
        case .blackhole: return .blackhole
        case .unmodelled: return .unmodelled
        case .named(let n):
            let v = model.vpcs[vi]
            if v.internetGateway?.name == n { return .igw }
            if v.egressOnlyGateway?.name == n { return .eigw }
            // The network's edges (VGW, VPN, Direct Connect) are not modelled here: the reference refuses (never
            // reachable, never a proven block).
            if let g = v.vpnGateway, g.name == n || g.id == n { return .vgw }
            // A Gateway Load Balancer endpoint: followed when its GWLB is in the model (`throughGWLB`), else refused
            // explicitly, like an unmodelled target. (RandomTopology generates no GWLB: GatewayLoadBalancerEndpointTests
            // compares the two on hand-written ones.)
            if v.endpoints.contains(where: { $0.kind == .gatewayLoadBalancer && ($0.name == n || $0.id == n) }) {
                guard let x = gwlbEndpoints.firstIndex(where: { $0.vpc == vi && $0.name == (v.endpoints.first { $0.kind == .gatewayLoadBalancer && ($0.name == n || $0.id == n) }?.name ?? "") }) else {
                    return .unmodelled
                }
                return .gwlbe(x)
            }
            if let x = nats.firstIndex(where: { $0.name == n && $0.vpc == vi }) { return .nat(x) }
            if let x = peerings.firstIndex(where: { $0.name == n && ($0.a == vi || $0.b == vi) }) { return .pcx(x) }
            if let x = model.transitGateways.firstIndex(where: { $0.name == n }),
               attachments.contains(where: { $0.tgw == x && $0.vpc == vi }) { return .tgw(x) }
            if let x = ifaceByName[n], ifaces[x].vpc == vi { return .eni(x) }
            return .blackhole
        }
    }

    /// The highest address of a subnet that nothing written holds (where the model puts an unwritten NAT
    /// gateway address).
    func highestFree(_ s: Int) -> IPv4Address {
        let c = subnets[s].cidr
        var a = c.last.bits &- 1
        while a > c.first.bits &+ 3 {
            let x = IPv4Address(bits: a)
            if !ifaces.contains(where: { $0.v4.contains(x) }) && !nats.contains(where: { $0.ip == x }) { return x }
            a &-= 1
        }
        return IPv4Address(bits: c.last.bits &- 1)
    }

    // MARK: Packets and state

    struct Packet {
        var src: IPAddress
        var dst: IPAddress
        var proto: UInt8
        var sport: UInt16
        /// Destination port; for ICMP the type.
        var dport: UInt16
        var isICMP: Bool { proto == 1 || proto == 58 }
        var hasPorts: Bool { proto == 6 || proto == 17 }
        var reversed: Packet { Packet(src: dst, dst: src, proto: proto, sport: dport, dport: sport) }
    }
    enum Crossing { case peering, tgw(sgReferencing: Bool) }

    /// State of one direction's walk.
    struct Leg {
        /// The interface whose groups security-group references match (the last ENI that sent the packet).
        var identity: Int?
        var crossings: [Crossing] = []
        var enteredViaPeering = false
        /// The packet last left a TGW attachment whose appliance mode is off (§13.9).
        var afterTGWWithoutApplianceMode = false
        var hops = 0
        /// TGW tables entered over peerings on this leg (a loop between two peered TGWs ends at 8).
        var tgwTables = 0
    }
    struct NATMapping {
        var nat: Int
        var originalSource: IPAddress
        var originalSourcePort: UInt16
        var originalDestination: IPAddress
        var originalProto: UInt8
        var translatedPort: UInt16
    }
    /// State shared by the request and its reply.
    struct Connection {
        var reply = false
        /// Interfaces whose security groups saw the request (the reply is tracked there).
        var passed: Set<Int> = []
        /// Instances (appliances) the request passed.
        var passedInstances: Set<Int> = []
        var mappings: [NATMapping] = []
        var eigwUsed: Set<Int> = []
        var attachmentENI: [Int: Int] = [:]
        var ambiguous = false
        var usedNAT = false
        var crossedTGWWithoutReferencing = false
        var crossedInternet = false
        var checkedDeclaredDefaultGroup = false
        var checkedDeclaredDefaultNACL = false
        /// The port a NAT gateway gives the connection; nil: the client's port.
        var natPort: UInt16?
        /// The on-premises networks whose announcement carried the request's last VGW egress, and whether only
        /// VPN static routes (no network) did.
        var onPremNetworks: Set<String> = []
        var onPremStaticOnly = false
        /// Gateway Load Balancer endpoints (`gwlbEndpoints`) the request and the reply passed.
        var gwlbForward: Set<Int> = []
        var gwlbReturn: Set<Int> = []
        var usedVGW = false
        var usedGatewayEndpoint = false
        var reachedInterfaceEndpoint = false
        var usedTGWEdge = false
        var usedDirectConnect = false
        var usedGatewayTable = false
        /// Some edge choice had several edges announcing the address (BGP ranking decided).
        var rankedEdges = false
        /// A TGW lookup chose among equal-prefix routes of one kind.
        var tgwEqualPrefix = false
        var usedTGWPeering = false
        var withdrawnRouteMattered = false
        var unknown = false
        var trace: [String] = []
    }
    enum Outcome {
        case interface(Int, Packet)
        case internet(Packet)
        case dropped(String)
        /// Delivered on premises (through a VGW or a TGW edge attachment).
        case onPrem(Packet)
        /// Delivered into a gateway endpoint's service.
        case service(Int, Packet)
        /// Something not modelled here (see `Answer.unknown`).
        case unknown(String)
    }

    // MARK: The connection

    func answer(_ q: Query) -> Answer {
        if !lbs.isEmpty, let lbAnswer = throughLoadBalancer(q) { return lbAnswer }
        return plainAnswer(q)
    }

    /// A query whose destination is a load balancer node: the client's connection to the node, the listener, then a
    /// connection from the node to every target that gets traffic; reachable only when all of them work. A source
    /// that is a node never initiates. nil: no load balancer involved.
    func throughLoadBalancer(_ q: Query) -> Answer? {
        guard var a = throughLoadBalancerLegs(q) else { return nil }
        a.usedLoadBalancer = true
        return a
    }

    func throughLoadBalancerLegs(_ q: Query) -> Answer? {
        func fail(_ code: String) -> Answer { Answer(reachable: false, code: code, direction: "forward", ambiguous: false, trace: ["lb: \(code)"]) }
        if case .interface(let n) = q.source, let i = ifaceByName[n], ifaces[i].lb != nil { return fail("NO_PATH") }
        let v6 = q.proto == 58
        let srcSubnet: Int? = if case .interface(let n) = q.source, let i = ifaceByName[n] { ifaces[i].subnet } else { nil }
        let fromInternet: Bool = if case .internet = q.source { true } else { false }
        guard let dst = resolveDestination(q.destination, v6: v6, fromInternet: fromInternet, sourceSubnet: srcSubnet),
              case .iface(let node) = intended(dst), let k = ifaces[node].lb else { return nil }
        var leg1 = plainAnswer(Query(source: q.source, destination: .address(dst), proto: q.proto, port: q.port, sourcePort: q.sourcePort))
        guard leg1.reachable else { return leg1 }
        let lb = lbs[k]
        guard let l = lb.listeners.first(where: { $0.port == q.port && $0.proto.accepts(ipProtocol: q.proto) }) else {
            return fail(lb.classic ? "ELB_LISTENER_PORT_RESTRICTION" : "ELBV2_LISTENER_PORT_RESTRICTION")
        }
        if l.responds { return leg1 }
        let zone = subnets[ifaces[node].subnet].az
        let eligible = l.targets.filter { $0.gets && (lb.crossZone || $0.zone == nil || $0.zone == "all" || zone == nil || $0.zone == zone) }
        guard !eligible.isEmpty else {
            return fail(lb.classic && l.targets.contains { $0.gets } ? "ELB_NOT_CROSSZONE" : "ELBV2_NO_TARGETS_IN_AZ")
        }
        for t in eligible where !t.lambda {
            guard let a = t.address else { return fail("NO_SOURCE_OR_DESTINATION") }
            let to: QueryEndpoint = t.iface.map { .interface(ifaces[$0].name) } ?? .address(.v4(a))
            if t.preserve {
                // The node passes the client's packet on: a walk this reference does not make (the comparison skips).
                if case .interface(let n) = q.source, let i = ifaceByName[n], ifaces[i].v4.contains(a) { return fail("ELBV2_SOURCE_ADDRESS_PRESERVATION") }
                leg1.unknown = true
                continue
            }
            // Elastic Load Balancing picks its source port from 1024-65535: every port must work (the NACL edges).
            for port in Set(natPortCandidates() + [q.sourcePort]).sorted() {
                let leg2 = plainAnswer(Query(source: .interface(ifaces[node].name), destination: to, proto: q.proto, port: t.port, sourcePort: port))
                if !leg2.reachable || leg2.unknown || leg2.ambiguous { return leg2 }
            }
        }
        return leg1
    }

    func plainAnswer(_ q: Query) -> Answer {
        var a = connection(q, natPort: nil)
        if !a.0.reachable && a.1 {
            // A NAT gateway picks the translated port from 1024–65535: the connection works if some port does.
            for p in natPortCandidates() {
                let b = connection(q, natPort: p)
                if b.0.reachable { a = b; break }
            }
        }
        return a.0
    }

    func natPortCandidates() -> [UInt16] {
        var s: Set<UInt16> = [1024, 65535, 40000]
        for n in naclRules {
            for r in n.inbound + n.outbound {
                guard let p = r.ports else { continue }
                for x in [Int(p.lower) - 1, Int(p.lower), Int(p.upper), Int(p.upper) + 1] where x >= 1024 && x <= 65535 { s.insert(UInt16(x)) }
            }
        }
        return s.sorted()
    }

    func resolveSource(_ e: QueryEndpoint, v6: Bool) -> (iface: Int?, address: IPAddress)? {
        switch e {
        case .interface(let n):
            guard let i = ifaceByName[n] else { return nil }
            if v6 { return ifaces[i].v6.first.map { (i, .v6($0)) } }
            return (i, .v4(ifaces[i].v4[0]))
        case .address(let a):
            if let i = ifaces.firstIndex(where: { $0.holds(a) }) { return (i, a) }
            return nil
        case .internet(let a), .onPrem(_, let a):
            return (nil, a)
        }
    }

    /// `sourceSubnet`: where the source is (an interface endpoint named as destination answers on its ENI in the
    /// source's AZ, else its first, §10 [choice]).
    func resolveDestination(_ e: QueryEndpoint, v6: Bool, fromInternet: Bool, sourceSubnet: Int? = nil) -> IPAddress? {
        switch e {
        case .interface(let n):
            if let k = lbs.firstIndex(where: { $0.name == n || $0.id == n || $0.dns == n }) {
                guard !v6, let first = lbs[k].nodes.first else { return nil }
                let az = sourceSubnet.flatMap { subnets[$0].az }
                let i = lbs[k].nodes.first { az != nil && subnets[ifaces[$0].subnet].az == az } ?? first
                if fromInternet, let p = ifaces[i].publicIP { return .v4(p) }
                return .v4(ifaces[i].v4[0])
            }
            if let enis = interfaceEndpoints[n] {
                guard !v6, let first = enis.first else { return nil }
                let az = sourceSubnet.flatMap { subnets[$0].az }
                let i = enis.first { az != nil && subnets[ifaces[$0].subnet].az == az } ?? first
                return .v4(ifaces[i].v4[0])
            }
            guard let i = ifaceByName[n] else { return nil }
            if v6 { return ifaces[i].v6.first.map { .v6($0) } }
            // The contract's `internet -> web-1` means the instance's public address.
            if fromInternet, let p = ifaces[i].publicIP { return .v4(p) }
            return .v4(ifaces[i].v4[0])
        case .address(let a), .internet(let a), .onPrem(_, let a): return a
        }
    }

    /// Who should receive the request: an interface holding the address (private, or its public IP), on
    /// premises (an address some VGW is announced), or the internet.
    enum Intended { case iface(Int), internet, onPrem, nobody }
    func intended(_ dst: IPAddress) -> Intended {
        if let i = ifaces.firstIndex(where: { $0.holds(dst) }) { return .iface(i) }
        if case .v4(let x) = dst, let i = ifaces.firstIndex(where: { $0.publicIP == x }) { return .iface(i) }
        if inAnyVPC(dst) || nats.contains(where: { .v4($0.ip) == dst || $0.eip.map { .v4($0) } == dst }) { return .nobody }
        if case .v4(let x) = dst, announced.contains(where: { $0.contains { $0.prefix.contains(x) } }) || tgwAnn.contains(where: { $0.prefix.contains(x) }) {
            return .onPrem
        }
        return .internet
    }

    func connection(_ q: Query, natPort: UInt16?) -> (Answer, Bool) {
        var conn = Connection()
        conn.natPort = natPort
        func answer(_ reachable: Bool, _ code: String, _ dir: String) -> (Answer, Bool) {
            var a = Answer(reachable: reachable, code: code, direction: dir, ambiguous: conn.ambiguous, trace: conn.trace,
                           crossedAppliance: !conn.passedInstances.isEmpty, crossedTGWWithoutReferencing: conn.crossedTGWWithoutReferencing,
                           crossedInternet: conn.crossedInternet, checkedDeclaredDefaultGroup: conn.checkedDeclaredDefaultGroup,
                           checkedDeclaredDefaultNACL: conn.checkedDeclaredDefaultNACL)
            a.unknown = conn.unknown || unmodelledEdges
            a.usedVGW = conn.usedVGW
            a.usedGatewayEndpoint = conn.usedGatewayEndpoint
            a.reachedInterfaceEndpoint = conn.reachedInterfaceEndpoint
            a.usedTGWEdge = conn.usedTGWEdge
            a.usedDirectConnect = conn.usedDirectConnect
            a.usedGatewayTable = conn.usedGatewayTable
            a.rankedEdges = conn.rankedEdges
            a.tgwEqualPrefix = conn.tgwEqualPrefix
            a.usedTGWPeering = conn.usedTGWPeering
            a.withdrawnRouteMattered = conn.withdrawnRouteMattered
            return (a, conn.usedNAT)
        }
        func fail(_ code: String, _ dir: String) -> (Answer, Bool) { answer(false, code, dir) }
        func unknown(_ why: String, _ dir: String) -> (Answer, Bool) {
            conn.unknown = true
            conn.trace.append("  unknown: \(why)")
            return answer(false, "UNKNOWN", dir)
        }
        let v6 = q.proto == 58 || [q.source, q.destination].contains { e in
            switch e { case .address(let a), .internet(let a), .onPrem(_, let a): a.family == .ipv6; case .interface: false }
        }
        guard let (srcIface, srcAddress) = resolveSource(q.source, v6: v6) else { return fail("NO_SOURCE_OR_DESTINATION", "forward") }
        let srcOnPrem: String? = if case .onPrem(let n, _) = q.source { n } else { nil }
        if let n = srcOnPrem {
            // The address must be one of the network's; an interface endpoint never initiates (not a source here).
            guard case .v4(let a) = srcAddress, (onPremNetworks[n] ?? []).contains(where: { $0.contains(a) }) else {
                return unknown("an on-premises address outside its network", "forward")
            }
        }
        if let s = srcIface, ifaces[s].isEndpoint { return fail("VPCE_INTRA_VPC_TRAFFIC", "forward") }
        guard let dstAddress = resolveDestination(q.destination, v6: v6, fromInternet: srcIface == nil && srcOnPrem == nil,
                                                  sourceSubnet: srcIface.map { ifaces[$0].subnet }) else {
            return fail("NO_SOURCE_OR_DESTINATION", "forward")
        }
        // NAT64 aside, the two ends must be of one family.
        if srcAddress.family != dstAddress.family && !(srcAddress.family == .ipv6 && Self.isNAT64(dstAddress)) {
            return fail("NO_SOURCE_OR_DESTINATION", "forward")
        }
        let dstOnPrem: String? = if case .onPrem(let n, _) = q.destination { n } else { nil }
        if let n = dstOnPrem {
            guard case .v4(let a) = dstAddress, (onPremNetworks[n] ?? []).contains(where: { $0.contains(a) }) else {
                return unknown("an on-premises address outside its network", "forward")
            }
        }
        if srcOnPrem != nil && dstOnPrem != nil { return unknown("on premises to on premises", "forward") }
        let icmp = q.proto == 1 || q.proto == 58
        let packet = Packet(src: srcAddress, dst: dstAddress, proto: q.proto,
                            sport: q.proto == 6 || q.proto == 17 ? q.sourcePort : 0, dport: (q.proto == 6 || q.proto == 17 || icmp) ? q.port : 0)
        let want = dstOnPrem != nil ? .onPrem : intended(dstAddress)
        if srcIface == nil && srcOnPrem == nil, case .internet = want { return fail("NO_PATH", "forward") }  // internet to internet
        if srcOnPrem != nil, case .internet = want { return unknown("on premises to the internet", "forward") }
        if srcOnPrem != nil, case .onPrem = want { return unknown("on premises to on premises", "forward") }
        // An interface endpoint carries TCP only (§10 [choice]): whatever the path, nothing else is answered.
        if case .iface(let w) = want, ifaces[w].isEndpoint, q.proto != 6 {
            conn.reachedInterfaceEndpoint = true
            return fail("PROTOCOL_RESTRICTION", "forward")
        }
        var leg = Leg()
        let out: Outcome
        if let s = srcIface {
            out = sendFromInterface(s, packet, &conn, &leg)
        } else if let n = srcOnPrem {
            conn.trace.append("onprem \(n) \(srcAddress) sends to \(dstAddress)")
            out = fromOnPrem(packet, &conn, &leg)
        } else {
            conn.trace.append("internet \(srcAddress) sends to \(dstAddress)")
            out = fromInternet(packet, &conn, &leg)
        }
        let delivered: Packet
        switch (out, want) {
        case (.unknown(let why), _): return unknown(why, "forward")
        case (.dropped(let why), _): return fail(why, "forward")
        case (.interface(let i, let p), .iface(let w)) where i == w: delivered = p
        case (.internet(let p), .internet): delivered = p
        case (.service(_, let p), .internet): delivered = p
        case (.onPrem(let p), .onPrem):
            // Delivered on premises: to the named network when it announced the prefix (a bare address: any).
            if let n = dstOnPrem, !conn.onPremNetworks.contains(n) {
                if conn.onPremNetworks.isEmpty && conn.onPremStaticOnly { return unknown("a VPN static route, no network named", "forward") }
                return fail("NO_PATH", "forward")
            }
            delivered = p
        default: return fail("NO_PATH", "forward")
        }
        // ICMP messages without a reply are checked one way.
        var reply = delivered.reversed
        if icmp {
            guard let r = Self.icmpReply(UInt8(truncatingIfNeeded: delivered.dport), v6: delivered.proto == 58) else {
                return answer(true, "", "")
            }
            reply.dport = UInt16(r)
            reply.sport = 0
        }
        conn.reply = true
        conn.trace.append("-- reply")
        var rleg = Leg()
        let back: Outcome
        switch out {
        case .interface(let i, _): back = sendFromInterface(i, reply, &conn, &rleg)
        // The service and on premises answer (their own side is not modelled): the reply enters the VPC it left.
        case .service(let x, _): back = deliverLocal(vpc: gatewayEndpoints[x].vpc, reply, from: nil, &conn, &rleg)
        case .onPrem: back = fromOnPrem(reply, &conn, &rleg)
        default: back = fromInternet(reply, &conn, &rleg)
        }
        switch back {
        case .unknown(let why): return unknown(why, "return")
        case .dropped(let why): return fail(why, "return")
        case .interface(let i, let p) where i == srcIface && p.dst == srcAddress: break
        case .internet(let p) where srcIface == nil && srcOnPrem == nil && p.dst == srcAddress: break
        case .onPrem(let p) where srcOnPrem != nil && p.dst == srcAddress: break
        default: return fail("NO_PATH", "return")
        }
        // Stateful appliances: the reply must have passed every GWLB endpoint the request passed.
        if !conn.gwlbForward.isSubset(of: conn.gwlbReturn) { return fail("GWLB_FLOW_SYMMETRY_RESTRICTION", "return") }
        return answer(true, "", "")
    }
    static func icmpReply(_ type: UInt8, v6: Bool) -> UInt8? {
        let pairs: [UInt8: UInt8] = v6 ? [128: 129, 130: 131, 133: 134, 135: 136, 160: 161] : [8: 0, 13: 14, 15: 16, 17: 18, 10: 9, 42: 43]
        return pairs[type]
    }

    static let nat64 = IPv6Prefix(network: IPv6Address(high: 0x0064_ff9b_0000_0000, low: 0), length: 96)!
    static func isNAT64(_ a: IPAddress) -> Bool { if case .v6(let x) = a { return nat64.contains(x) }; return false }

    // MARK: Gateway Load Balancer endpoints

    /// Through GWLB endpoint `x`: the reply only through an endpoint the request passed; the GWLB node of the
    /// endpoint's zone; every appliance that gets traffic must take GENEVE (UDP to the target port) from the node —
    /// asked as connections of their own, for client ports 1024, 40000 and 65535 — and returns the packet unchanged;
    /// then on from the endpoint's subnet, without group identity.
    func throughGWLB(_ x: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        let e = gwlbEndpoints[x]
        conn.trace.append("  gwlb endpoint \(e.name) takes \(p.src) -> \(p.dst)")
        if conn.reply {
            guard conn.gwlbForward.contains(x) else {
                return .dropped(leg.afterTGWWithoutApplianceMode ? "TGW_ATTACH_VPC_AZ_RESTRICTION" : "GWLB_FLOW_SYMMETRY_RESTRICTION")
            }
            conn.gwlbReturn.insert(x)
        } else {
            conn.gwlbForward.insert(x)
        }
        if let why = gwlbRefusal(x) { return .dropped(why) }
        leg.identity = nil
        leg.crossings = []
        return fromSubnet(e.subnet, p, &conn, &leg, excludingNAT: nil)
    }

    /// Why endpoint `x`'s GWLB carries nothing (nil: it carries packets).
    func gwlbRefusal(_ x: Int) -> String? {
        let e = gwlbEndpoints[x]
        let lb = lbs[e.lb]
        let zone = subnets[e.subnet].az
        guard let node = lb.nodes.first(where: { zone == nil || subnets[ifaces[$0].subnet].az == zone }) else { return "VPCE_SERVICE_NOT_INSTALLED_IN_AZ" }
        guard let listener = lb.listeners.first else { return "ELBV2_LISTENER_HAS_NO_TG" }
        let nodeZone = subnets[ifaces[node].subnet].az
        let eligible = listener.targets.filter { t in
            t.gets && (lb.crossZone || t.zone == nil || t.zone == "all" || nodeZone == nil || t.zone == nodeZone)
        }
        guard !eligible.isEmpty else { return "ELBV2_NO_TARGETS_IN_AZ" }
        for t in eligible {
            guard let a = t.iface ?? t.address.flatMap({ addr in ifaces.firstIndex { $0.lb == nil && $0.holds(.v4(addr)) } }) else {
                return "UNSUPPORTED_COMPONENT"
            }
            for port: UInt16 in [1024, 40000, 65535] {
                let (geneve, _) = connection(Query(source: .interface(ifaces[node].name), destination: .interface(ifaces[a].name), proto: 17,
                                                   port: t.port, sourcePort: port), natPort: nil)
                guard !geneve.reachable else { continue }
                guard ["ENI_SG_RULES_MISMATCH", "SG_HAS_NO_RULES", "SUBNET_ACL_RESTRICTION"].contains(geneve.code) else { return geneve.code }
                let (tcp, _) = connection(Query(source: .interface(ifaces[node].name), destination: .interface(ifaces[a].name), proto: 6,
                                                port: t.port, sourcePort: port), natPort: nil)
                return tcp.reachable ? "GWLB_PROTOCOL_RESTRICTION" : "GWLB_DESTINATION_PORT_RESTRICTION"
            }
        }
        return nil
    }

    // MARK: Senders

    /// An ENI sends (the query's source, a destination replying, an appliance forwarding).
    func sendFromInterface(_ i: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        let f = ifaces[i]
        conn.trace.append("\(f.name) sends \(p.src):\(p.sport) -> \(p.dst):\(p.dport)")
        if f.sourceDestCheck && !f.holds(p.src) { return .dropped("ENI_SOURCE_DEST_CHECK_RESTRICTION") }
        if !(conn.reply && conn.passed.contains(i)) {
            if !sgAllows(i, egress: true, p, leg, &conn) { return .dropped("ENI_SG_RULES_MISMATCH") }
            if !conn.reply { conn.passed.insert(i) }
        }
        leg.identity = i
        leg.crossings = []
        leg.afterTGWWithoutApplianceMode = false
        return fromSubnet(f.subnet, p, &conn, &leg, excludingNAT: nil)
    }

    /// A packet leaves subnet `s` (sent by an ENI, a NAT gateway or a TGW attachment ENI in it).
    func fromSubnet(_ s: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg, excludingNAT: Int?) -> Outcome {
        leg.hops += 1
        if leg.hops > 24 { return .dropped("ROUTING_LOOP") }
        let sub = subnets[s]
        // Within one subnet: layer 2, no route table, no NACL.
        if sub.contains(p.dst) { return deliverLocal(vpc: sub.vpc, p, from: s, &conn, &leg) }
        guard let route = lookup(table: sub.table, vpc: sub.vpc, p.dst) else {
            // No route left, but BGP withdrew one (its edge is down): the answer names the edge.
            if let t = sub.table, case .v4(let d) = p.dst, let w = withdrawn[t].filter({ $0.prefix.contains(d) }).max(by: { $0.prefix.length < $1.prefix.length }) {
                conn.withdrawnRouteMattered = true
                return .dropped(edges[w.edge].isVPN ? "BAD_STATE_VPN" : "BAD_STATE")
            }
            return .dropped("NO_ROUTE_TO_DESTINATION")
        }
        if let t = sub.table, case .v4(let d) = p.dst, withdrawn[t].contains(where: { $0.prefix.contains(d) && Int($0.prefix.length) >= route.prefix.length }) {
            conn.withdrawnRouteMattered = true
        }
        conn.trace.append("  \(sub.name) table: \(route.prefix) -> \(route.target)")
        switch route.target {
        case .blackhole: return .dropped("BAD_STATE_ROUTE")
        case .unmodelled:
            // Toward a target outside the model: the packet still leaves the subnet through its outbound NACL.
            guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            return .dropped("UNSUPPORTED_COMPONENT")
        case .local:
            return deliverLocal(vpc: sub.vpc, p, from: s, &conn, &leg)
        case .igw:
            guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            return igwEgress(vpc: sub.vpc, p, &conn, &leg)
        case .eigw:
            guard case .v6 = p.dst else { return .dropped("NO_ROUTE_TO_DESTINATION") }
            // Stateful: passes flows initiated from inside and their replies, never a flow initiated outside.
            if conn.reply { return .dropped("EIGW_INBOUND_NOT_ALLOWED") }
            guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            guard let b = model.vpcs[sub.vpc].ipv6Cidrs.first, case .v6(let src) = p.src, b.contains(src) else {
                return .dropped("GATEWAY_REJECTS_SPOOFED_TRAFFIC")
            }
            conn.eigwUsed.insert(sub.vpc)
            leg.identity = nil
            return fromInternet(p, &conn, &leg)
        case .nat(let n):
            if n == excludingNAT { return .dropped("NO_ROUTE_TO_DESTINATION") }  // §13.5: a route back to the same NAT
            let g = nats[n]
            let toItself = p.dst == .v4(g.ip)
            // A NAT gateway on the reply path is not transparent: it would rewrite the reply (unless the reply
            // is addressed to the gateway itself, i.e. it is the reply to its own translation).
            if conn.reply && !toItself { return .dropped("NGW_SOURCE_ADDRESS_REASSIGN") }
            if g.subnet != s {
                guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
                guard naclAllows(g.subnet, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            }
            return toItself ? natReceive(n, p, &conn, &leg) : natForward(n, p, &conn, &leg)
        case .pcx(let x):
            let pc = peerings[x]
            let other = pc.a == sub.vpc ? pc.b : pc.a
            // Not transitive, no edge-to-edge: the source must be in the VPC the packet leaves and the
            // destination in the VPC it enters (Docs/SEMANTICS.md "Peering crossing rule"; Docs/AWS-BEHAVIOUR.md §5).
            guard inVPC(sub.vpc, p.src), inVPC(other, p.dst) else { return .dropped("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR") }
            guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            leg.crossings.append(.peering)
            leg.enteredViaPeering = true
            return deliverLocal(vpc: other, p, from: nil, &conn, &leg)
        case .tgw(let t):
            return tgwIngress(t, from: s, p, &conn, &leg)
        case .vgw:
            guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            return vgwEgress(vpc: sub.vpc, p, route: route, &conn)
        case .vpce(let x):
            return gatewayEndpointEgress(x, from: s, p, &conn, &leg)
        case .gwlbe(let x):
            if gwlbEndpoints[x].subnet != s {
                guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
                guard naclAllows(gwlbEndpoints[x].subnet, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            }
            return throughGWLB(x, p, &conn, &leg)
        case .eni(let f):
            // A route back at the interface that just sent the packet: it would only send it again.
            if leg.identity == f && !ifaces[f].holds(p.dst) { return .dropped("ROUTING_LOOP") }
            let target = ifaces[f]
            if target.subnet != s {
                guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
                guard naclAllows(target.subnet, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            }
            return receive(f, p, &conn, &leg)
        }
    }

    /// Delivery by a VPC's local route (or layer 2 within `from`): the subnet holding the address, its NACL in
    /// (and `from`'s out) when the subnets differ, then whoever holds the address.
    func deliverLocal(vpc: Int, _ p: Packet, from: Int?, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        guard let d = subnets.indices.first(where: { subnets[$0].vpc == vpc && subnets[$0].contains(p.dst) }) else {
            return .dropped("NO_ROUTE_TO_DESTINATION")
        }
        if d != from {
            if let from { guard naclAllows(from, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") } }
            guard naclAllows(d, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
        }
        if let i = ifaces.firstIndex(where: { $0.subnet == d && $0.holds(p.dst) }) { return receive(i, p, &conn, &leg) }
        if let n = nats.firstIndex(where: { $0.subnet == d && .v4($0.ip) == p.dst }) { return natReceive(n, p, &conn, &leg) }
        // Nothing holds the address (unused, reserved, a TGW attachment ENI): dropped.
        return .dropped("NO_POSSIBLE_DESTINATION")
    }

    /// An ENI receives a packet: its SGs, then delivery (it holds the destination) or forwarding (an appliance).
    func receive(_ i: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        let f = ifaces[i]
        conn.trace.append("  \(f.name) receives")
        let appliance = !f.holds(p.dst)
        if appliance && conn.reply && !conn.passedInstances.contains(f.instance) && leg.afterTGWWithoutApplianceMode {
            return .dropped("TGW_ATTACH_VPC_AZ_RESTRICTION")
        }
        if !(conn.reply && conn.passed.contains(i)) {
            if !sgAllows(i, egress: false, p, leg, &conn) { return .dropped("ENI_SG_RULES_MISMATCH") }
            if !conn.reply { conn.passed.insert(i) }
        }
        if !appliance {
            if f.isEndpoint {
                // §10 [choice]: an interface endpoint carries TCP only.
                conn.reachedInterfaceEndpoint = true
                if !conn.reply && p.proto != 6 { return .dropped("PROTOCOL_RESTRICTION") }
            }
            return .interface(i, p)
        }
        if f.sourceDestCheck { return .dropped("ENI_SOURCE_DEST_CHECK_RESTRICTION") }
        if !conn.reply { conn.passedInstances.insert(f.instance) }
        // It sends from its interface whose subnet holds the destination, else from the receiving one.
        let out = ifaces.indices.first { ifaces[$0].instance == f.instance && subnets[ifaces[$0].subnet].contains(p.dst) } ?? i
        return sendFromInterface(out, p, &conn, &leg)
    }

    // MARK: Internet

    static let privateV4: [IPv4Prefix] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].compactMap { try? IPv4Prefix($0) }
    static func isPrivate(_ a: IPAddress) -> Bool {
        if case .v4(let x) = a { return privateV4.contains { $0.contains(x) } }
        return false
    }

    func inVPC(_ v: Int, _ a: IPAddress) -> Bool {
        switch a {
        case .v4(let x): model.vpcs[v].cidrs.contains { $0.contains(x) }
        case .v6(let x): model.vpcs[v].ipv6Cidrs.contains { $0.contains(x) }
        }
    }
    func inAnyVPC(_ a: IPAddress) -> Bool { model.vpcs.indices.contains { inVPC($0, a) } }

    /// Leaving through the VPC's internet gateway: one-to-one NAT of the source (§3).
    func igwEgress(vpc v: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        var q = p
        if Self.isPrivate(p.dst) { return .dropped("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS") }
        switch p.src {
        case .v4(let s):
            if let i = ifaces.firstIndex(where: { $0.vpc == v && $0.v4.first == s && $0.publicIP != nil }), let pub = ifaces[i].publicIP {
                q.src = .v4(pub)
            } else if let n = nats.firstIndex(where: { $0.vpc == v && $0.ip == s && $0.isPublic }), let eip = nats[n].eip {
                q.src = .v4(eip)
            } else {
                return .dropped("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS")
            }
        case .v6:
            if !inVPC(v, p.src) { return .dropped("GATEWAY_REJECTS_SPOOFED_TRAFFIC") }
        }
        conn.trace.append("  igw of \(model.vpcs[v].name): \(p.src) -> \(q.src)")
        leg.identity = nil
        return fromInternet(q, &conn, &leg)
    }

    /// A packet on the internet: to some VPC's public address (through that VPC's gateway), or to an
    /// internet host.
    func fromInternet(_ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        conn.crossedInternet = true
        leg.identity = nil
        leg.crossings = []
        switch p.dst {
        case .v4(let d):
            if let i = ifaces.firstIndex(where: { $0.publicIP == d }) {
                let v = ifaces[i].vpc
                guard model.vpcs[v].internetGateway != nil else { return .dropped("NO_ROUTE_TO_DESTINATION") }
                if Self.isPrivate(p.src) { return .dropped("IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS") }
                var q = p
                q.dst = .v4(ifaces[i].v4[0])
                conn.trace.append("  igw of \(model.vpcs[v].name): \(p.dst) -> \(q.dst)")
                if let table = igwTable[v] { return gatewayTableDelivery(table, vpc: v, q, &conn, &leg) }
                return deliverLocal(vpc: v, q, from: nil, &conn, &leg)
            }
            if let n = nats.firstIndex(where: { $0.eip == d }) {
                let v = nats[n].vpc
                guard model.vpcs[v].internetGateway != nil else { return .dropped("NO_ROUTE_TO_DESTINATION") }
                var q = p
                q.dst = .v4(nats[n].ip)
                if let table = igwTable[v] { return gatewayTableDelivery(table, vpc: v, q, &conn, &leg) }
                return deliverLocal(vpc: v, q, from: nil, &conn, &leg)
            }
            if Self.isPrivate(p.dst) || inAnyVPC(p.dst) { return .dropped("IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS") }
            return .internet(p)
        case .v6:
            if let v = model.vpcs.indices.first(where: { inVPC($0, p.dst) }) {
                let viaEIGW = conn.reply && conn.eigwUsed.contains(v)
                guard model.vpcs[v].internetGateway != nil || viaEIGW else { return .dropped("NO_ROUTE_TO_DESTINATION") }
                if !viaEIGW, let table = igwTable[v] { return gatewayTableDelivery(table, vpc: v, p, &conn, &leg) }
                return deliverLocal(vpc: v, p, from: nil, &conn, &leg)
            }
            return .internet(p)
        }
    }

    // MARK: NAT gateway

    func natForward(_ n: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        let g = nats[n]
        conn.usedNAT = true
        if leg.enteredViaPeering { return .dropped("NGW_REQUIRES_SOURCE_IN_VPC") }
        var q = p
        switch p.dst {
        case .v4:
            guard p.proto == 6 || p.proto == 17 || p.proto == 1 else { return .dropped("PROTOCOL_RESTRICTION") }
        case .v6(let d):
            // NAT64: 64:ff9b::/96 → the IPv4 address in the last 32 bits.
            guard Self.nat64.contains(d) else { return .dropped("NO_ROUTE_TO_DESTINATION") }
            guard p.proto == 6 || p.proto == 17 || p.proto == 58 else { return .dropped("PROTOCOL_RESTRICTION") }
            q.dst = .v4(IPv4Address(bits: UInt32(truncatingIfNeeded: d.bits)))
            if p.proto == 58 {
                q.proto = 1
                q.dport = p.dport == 128 ? 8 : p.dport == 129 ? 0 : p.dport
            }
        }
        q.src = .v4(g.ip)
        let port = p.hasPorts ? (conn.natPort ?? p.sport) : p.sport
        q.sport = port
        conn.mappings.append(NATMapping(nat: n, originalSource: p.src, originalSourcePort: p.sport, originalDestination: p.dst,
                                        originalProto: p.proto, translatedPort: port))
        conn.trace.append("  \(g.name): source \(p.src):\(p.sport) -> \(q.src):\(q.sport), destination \(q.dst)")
        leg.identity = nil
        leg.crossings = []
        leg.enteredViaPeering = false
        leg.afterTGWWithoutApplianceMode = false
        return fromSubnet(g.subnet, q, &conn, &leg, excludingNAT: n)
    }

    /// A packet addressed to a NAT gateway's private address: a reply to one of its translations is
    /// translated back; anything else is dropped (no inbound-initiated flows).
    func natReceive(_ n: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        guard conn.reply, let m = conn.mappings.last(where: { $0.nat == n && (!p.hasPorts || $0.translatedPort == p.dport) }) else {
            return .dropped("NO_POSSIBLE_DESTINATION")
        }
        var q = p
        q.src = m.originalDestination
        q.dst = m.originalSource
        if p.hasPorts { q.dport = m.originalSourcePort }
        if m.originalProto == 58 && p.proto == 1 {
            // NAT64 translates ICMP back to ICMPv6 (echo reply 0 → 129).
            q.proto = 58
            q.dport = p.dport == 0 ? 129 : p.dport == 8 ? 128 : p.dport
        }
        conn.trace.append("  \(nats[n].name): reply back to \(q.dst)")
        leg.identity = nil
        leg.crossings = []
        return fromSubnet(nats[n].subnet, q, &conn, &leg, excludingNAT: nil)
    }

    // MARK: Edges (issue 18, §10)

    /// True when BGP withdrew `a` (§10, Docs/SEMANTICS.md "Withdrawn routes"): its edge is down and it was learned
    /// over BGP (Direct Connect, a BGP VPN, an unnamed edge) — a VPN static route (origin 1) stays.
    func isWithdrawn(_ a: Ann) -> Bool { edges[a.edge].down && a.origin != 1 }

    /// The best announcement that is up among `candidates` (nil: none up).
    func bestUp(_ candidates: [Ann]) -> Ann? {
        var best: Ann?
        for a in candidates where !edges[a.edge].down {
            if let b = best, !a.beats(b) { continue }
            best = a
        }
        return best
    }

    /// The VGW of VPC `v` forwards toward on premises (§10): IPv4 only, from a VPC ENI's private address, over the
    /// best edge that is up among those announcing the destination (§2/§10 ranking, `Ann.beats`); only down edges
    /// announce it: `BAD_STATE_VPN` / `BAD_STATE`. `route`: the VPC route that led here.
    func vgwEgress(vpc v: Int, _ p: Packet, route: RouteEntry, _ conn: inout Connection) -> Outcome {
        conn.usedVGW = true
        conn.trace.append("  vgw of \(model.vpcs[v].name): \(p.src) -> \(p.dst)")
        guard case .v4(let d) = p.dst, case .v4(let src) = p.src else { return .dropped("NO_ROUTE_TO_DESTINATION") }
        if conn.usedNAT { return .unknown("a NAT gateway on a path through a VGW") }
        guard inVPC(v, p.src), ifaces.contains(where: { $0.vpc == v && $0.v4.contains(src) }) else {
            return .dropped("VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS")
        }
        let matches = announced[v].filter { $0.prefix.contains(d) }
        guard let best = bestUp(matches) else {
            if let m = matches.first { return .dropped(edges[m.edge].isVPN ? "BAD_STATE_VPN" : "BAD_STATE") }
            return .dropped("NO_ROUTE_TO_DESTINATION")
        }
        if Set(matches.map(\.edge)).count > 1 { conn.rankedEdges = true }
        if !edges[best.edge].isVPN { conn.usedDirectConnect = true }
        conn.trace.append("    over \(edges[best.edge].name) (\(best.prefix))")
        let up = matches.filter { !edges[$0.edge].down }
        conn.onPremNetworks = Set(up.compactMap(\.network))
        conn.onPremStaticOnly = up.allSatisfy { $0.network == nil }
        return .onPrem(p)
    }

    /// A packet from on premises enters VPC `v` through its VGW over edge `e`: only to a private address in the
    /// VPC's blocks that the edge advertises (a DX gateway association's allowed prefixes); the VGW's gateway route
    /// table decides first when it has one (`local` or an ENI; other targets `BAD_STATE_ROUTE`).
    func vgwIngress(vpc v: Int, edge e: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        conn.usedVGW = true
        conn.trace.append("  vgw of \(model.vpcs[v].name) receives \(p.src) -> \(p.dst) over \(edges[e].name)")
        if !edges[e].isVPN { conn.usedDirectConnect = true }
        leg.identity = nil
        leg.crossings = []
        guard case .v4(let d) = p.dst, inVPC(v, p.dst), Self.isPrivate(p.dst) else { return .dropped("VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS") }
        if !edges[e].allowed.isEmpty && !edges[e].allowed.contains(where: { $0.contains(d) }) { return .dropped("NO_ROUTE_TO_DESTINATION") }
        if let table = vgwTable[v] { return gatewayTableDelivery(table, vpc: v, p, &conn, &leg) }
        return deliverLocal(vpc: v, p, from: nil, &conn, &leg)
    }

    /// A packet entering VPC `v` through a gateway with a gateway route table (§2): its route for the destination
    /// decides — `local` (or the destination's own ENI) delivers as usual, another ENI (an appliance) receives it
    /// through its subnet's inbound NACL; any other target drops it.
    func gatewayTableDelivery(_ table: Int, vpc v: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        conn.usedGatewayTable = true
        guard let r = lookup(table: table, vpc: v, p.dst) else { return .dropped("NO_ROUTE_TO_DESTINATION") }
        conn.trace.append("    gateway route table: \(r.prefix) -> \(r.target)")
        switch r.target {
        case .local: return deliverLocal(vpc: v, p, from: nil, &conn, &leg)
        case .eni(let f):
            guard naclAllows(ifaces[f].subnet, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            return receive(f, p, &conn, &leg)
        case .gwlbe(let x):
            guard naclAllows(gwlbEndpoints[x].subnet, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
            return throughGWLB(x, p, &conn, &leg)
        default: return .dropped("BAD_STATE_ROUTE")
        }
    }

    /// An on-premises host sends (a request, or the reply to a request that left AWS). It is known to be behind the
    /// edges announcing its address only: the VGW of the VPC holding the destination when one of its edges
    /// announces the source and is up (only down ones, and no TGW edge up announcing it: `BAD_STATE_VPN` /
    /// `BAD_STATE`: a down edge has no BGP session, on premises sends elsewhere), else the first TGW
    /// VPN / DX gateway attachment announcing it that is up (only down ones: `TGW_BAD_STATE_VPN`), routed by the TGW
    /// table associated with the attachment.
    func fromOnPrem(_ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        leg.identity = nil
        leg.crossings = []
        guard case .v4(let src) = p.src, case .v4(let dst) = p.dst else { return .dropped("NO_ROUTE_TO_DESTINATION") }
        if let v = model.vpcs.indices.first(where: { hasVGW[$0] && inVPC($0, p.dst) }) {
            let candidates = announced[v].filter { $0.prefix.contains(src) }
            if let best = bestUp(candidates) {
                if Set(candidates.map(\.edge)).count > 1 { conn.rankedEdges = true }
                return vgwIngress(vpc: v, edge: best.edge, p, &conn, &leg)
            }
        }
        let announcing = attachments.indices.filter { a in
            guard case .edge(let e) = attachments[a].kind else { return false }
            return tgwAnn.contains { $0.edge == e && $0.prefix.contains(src) }
        }
        let tgwUp = announcing.contains { if case .edge(let e) = attachments[$0].kind { !edges[e].down } else { false } }
        if let v = model.vpcs.indices.first(where: { hasVGW[$0] && inVPC($0, p.dst) }), !tgwUp,
           let down = announced[v].first(where: { $0.prefix.contains(src) }) {
            // Only down edges of the VGW announce it and no TGW edge that is up does: the down edge is named.
            return .dropped(edges[down.edge].isVPN ? "BAD_STATE_VPN" : "BAD_STATE")
        }
        if let a = announcing.first(where: { if case .edge(let e) = attachments[$0].kind { !edges[e].down } else { false } }),
           case .edge(let e) = attachments[a].kind {
            conn.usedTGWEdge = true
            if !edges[e].isVPN { conn.usedDirectConnect = true }
            conn.trace.append("  tgw \(model.transitGateways[attachments[a].tgw].name) receives \(p.src) -> \(p.dst) over \(attachments[a].name)")
            if !edges[e].allowed.isEmpty && !edges[e].allowed.contains(where: { $0.contains(dst) }) { return .dropped("NO_ROUTE_TO_DESTINATION") }
            guard let table = attachments[a].table else { return .dropped("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION") }
            return tgwRoute(attachments[a].tgw, table: table, zone: nil, p, &conn, &leg)
        }
        if !announcing.isEmpty { return .dropped("TGW_BAD_STATE_VPN") }
        if model.vpcs.indices.contains(where: { v in hasVGW[v] && ifaces.contains { $0.vpc == v && $0.publicIP == dst } }) {
            return .dropped("VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")
        }
        return .dropped("NO_ROUTE_TO_DESTINATION")
    }

    /// A TGW route to a VPN or Direct Connect gateway attachment: the packet leaves AWS over that edge (a VPN whose
    /// tunnels are all down: `TGW_BAD_STATE_VPN`). A static route to an edge that announces nothing covering the
    /// destination leaves AWS too, toward nothing known: not decided here.
    func tgwEdgeEgress(_ e: Int, _ p: Packet, _ conn: inout Connection) -> Outcome {
        conn.usedTGWEdge = true
        if !edges[e].isVPN { conn.usedDirectConnect = true }
        if edges[e].down { return .dropped("TGW_BAD_STATE_VPN") }
        guard case .v4(let d) = p.dst else { return .dropped("NO_ROUTE_TO_DESTINATION") }
        let m = tgwAnn.filter { $0.edge == e && $0.prefix.contains(d) }
        if m.isEmpty { return .unknown("a TGW route to an edge that announces nothing covering the destination") }
        conn.trace.append("  leaves over \(edges[e].name)")
        conn.onPremNetworks = Set(m.compactMap(\.network))
        conn.onPremStaticOnly = m.allSatisfy { $0.network == nil }
        return .onPrem(p)
    }

    /// A table's `pl:LIST -> endpoint` route: traffic that started in the endpoint's own VPC, TCP or ICMP echo,
    /// leaves through the subnet's NACL into the service.
    func gatewayEndpointEgress(_ x: Int, from s: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        let e = gatewayEndpoints[x]
        conn.usedGatewayEndpoint = true
        conn.trace.append("  gateway endpoint \(e.name)")
        if conn.usedNAT || conn.reply { return .unknown("a gateway endpoint after a NAT gateway or on a reply") }
        let crossedTGW = leg.crossings.contains { if case .tgw = $0 { true } else { false } }
        guard case .v4 = p.src, inVPC(e.vpc, p.src), !leg.enteredViaPeering, !crossedTGW else {
            return .dropped("VPCE_GATEWAY_SOURCE_NOT_IN_VPC")
        }
        // "ICMP echo" (§12): echo request and echo reply (types 8 and 0), as production reads it (DISAGREEMENTS.md §10).
        guard p.proto == 6 || (p.proto == 1 && (p.dport == 8 || p.dport == 0)) else { return .dropped("VPCE_GATEWAY_PROTOCOL_RESTRICTION") }
        guard naclAllows(s, outbound: true, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
        return .service(x, p)
    }

    // MARK: Transit gateway

    func tgwIngress(_ t: Int, from s: Int, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        let sub = subnets[s]
        let mine = attachments.indices.filter { attachments[$0].tgw == t && attachments[$0].vpc == sub.vpc }
        guard let (a, eni) = mine.lazy.compactMap({ a in
            self.attachments[a].subnets.first { self.subnets[$0].az == sub.az || sub.az == nil || self.subnets[$0].az == nil }.map { (a, $0) }
        }).first else { return .dropped("TGW_ROUTE_AZ_RESTRICTION") }
        // Instance → TGW ENI: same subnet, that NACL out (dst) and in (src); else sender out, TGW subnet in.
        guard naclAllows(s, outbound: true, p, &conn), naclAllows(eni, outbound: false, p, &conn) else { return .dropped("SUBNET_ACL_RESTRICTION") }
        guard let table = attachments[a].table else { return .dropped("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION") }
        return tgwRoute(t, table: table, zone: .some(subnets[eni].az), p, &conn, &leg)
    }

    /// The TGW table `table` routes the packet (§6): to a VPC attachment (its ENI in `zone` when it has one, else its
    /// first; `zone` nil: from on premises, the first), or to a VPN / DX gateway attachment (out to on premises).
    func tgwRoute(_ t: Int, table: Int, zone: String??, _ p: Packet, _ conn: inout Connection, _ leg: inout Leg) -> Outcome {
        guard let r = tgwLookup(table, p.dst) else {
            // No route left, but BGP withdrew one (a VPN attachment whose tunnels are down): that VPN is named.
            if case .v4(let d) = p.dst, tgwWithdrawn[table].contains(where: { $0.prefix.contains(d) }) {
                conn.withdrawnRouteMattered = true
                return .dropped("TGW_BAD_STATE_VPN")
            }
            return .dropped("TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT")
        }
        if case .v4(let dd) = p.dst, tgwWithdrawn[table].contains(where: { $0.prefix.contains(dd) && Int($0.prefix.length) >= r.prefix.length }) {
            conn.withdrawnRouteMattered = true
        }
        guard let d = r.attachment else { return .dropped("TGW_RTB_BAD_STATE_ROUTE") }
        if tgwTables[table].contains(where: { $0.prefix == r.prefix && $0.attachment != r.attachment && $0.rank == r.rank }) { conn.tgwEqualPrefix = true }
        switch attachments[d].kind {
        case .vpc: break
        case .edge(let e):
            return tgwEdgeEgress(e, p, &conn)
        case .peering(let back):
            // §10: routes over a peering are static (nothing propagates across it); the far TGW's table associated
            // with its peering attachment back decides next (none: dropped there). Security-group references do not
            // cross it. At most 8 TGW tables per walk (a loop between the two sides).
            conn.usedTGWPeering = true
            leg.tgwTables += 1
            if leg.tgwTables > 8 { return .dropped("ROUTING_LOOP") }
            guard let back, let far = attachments[back].table else { return .dropped("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION") }
            conn.trace.append("  tgw \(model.transitGateways[t].name): -> \(attachments[d].name) (peering) -> \(model.transitGateways[attachments[back].tgw].name) table \(far)")
            leg.crossings.append(.tgw(sgReferencing: false))
            return tgwRoute(attachments[back].tgw, table: far, zone: zone, p, &conn, &leg)
        case .unresolved: return .dropped("TGW_RTB_BAD_STATE_ROUTE")
        }
        let dest = attachments[d]
        let out: Int
        if dest.applianceMode, conn.reply, let pinned = conn.attachmentENI[d] {
            out = pinned
        } else {
            guard let first = dest.subnets.first else { return .dropped("NO_ROUTE_TO_DESTINATION") }
            out = zone.flatMap { z in dest.subnets.first { subnets[$0].az == z } } ?? first
            if dest.applianceMode && dest.subnets.count > 1 { conn.ambiguous = true }
            if !conn.reply { conn.attachmentENI[d] = out }
        }
        conn.trace.append("  tgw \(model.transitGateways[t].name): -> \(dest.name) via \(subnets[out].name)")
        leg.crossings.append(.tgw(sgReferencing: model.transitGateways[t].securityGroupReferencing))
        if !model.transitGateways[t].securityGroupReferencing { conn.crossedTGWWithoutReferencing = true }
        leg.enteredViaPeering = false
        leg.afterTGWWithoutApplianceMode = !dest.applianceMode
        return fromSubnet(out, p, &conn, &leg, excludingNAT: nil)
    }

    // MARK: Lookups (linear)

    func lookup(table: Int?, vpc: Int, _ dst: IPAddress) -> RouteEntry? {
        let entries = table.map { tables[$0] } ?? implicitTable[vpc]
        // §2: a propagated route never replaces `local`, even when more specific.
        let local = entries.contains { $0.target == .local && $0.rank == 1 && $0.prefix.contains(dst) }
        var best: RouteEntry?
        for e in entries where e.prefix.contains(dst) && !(local && e.rank == 3) {
            guard let b = best else { best = e; continue }
            if e.prefix.length > b.prefix.length
                || (e.prefix.length == b.prefix.length && (e.rank < b.rank || (e.rank == b.rank && e.tie < b.tie))) { best = e }
        }
        return best
    }

    func tgwLookup(_ table: Int, _ dst: IPAddress) -> TGWEntry? {
        var best: TGWEntry?
        for e in tgwTables[table] where e.prefix.contains(dst) {
            if let b = best, !e.beats(b) { continue }
            best = e
        }
        return best
    }

    // MARK: Rules

    static func protocolAndPortsMatch(_ proto: IPProtocol, _ ports: PortRange?, _ p: Packet) -> Bool {
        switch proto {
        case .all: return true
        case .number(let n):
            guard n == p.proto else { return false }
            if n == 6 || n == 17 { return ports.map { p.dport >= $0.lower && p.dport <= $0.upper } ?? true }
            if n == 1 || n == 58 {
                // ICMP: type in `lower`, code in `upper` (65535 or > 255: any); a type above 255: every type.
                guard let r = ports, r.lower <= 255 else { return true }
                guard r.lower == p.dport else { return false }
                return r.upper > 255 || r.upper == 0
            }
            return true
        }
    }

    /// First matching rule decides; the final `*` denies. No NACL associated: the default NACL (allow all).
    func naclAllows(_ s: Int, outbound: Bool, _ p: Packet, _ conn: inout Connection) -> Bool {
        guard let n = subnets[s].nacl else { return true }
        if subnets[s].usesDeclaredDefaultNACL { conn.checkedDeclaredDefaultNACL = true }
        let rules = outbound ? naclRules[n].outbound : naclRules[n].inbound
        let remote = outbound ? p.dst : p.src
        for r in rules where r.cidr.contains(remote) && Self.protocolAndPortsMatch(r.ipProtocol, r.ports, p) {
            return r.action == .allow
        }
        return false
    }

    func sgAllows(_ i: Int, egress: Bool, _ p: Packet, _ leg: Leg, _ conn: inout Connection) -> Bool {
        let f = ifaces[i]
        if f.openGroups { return true }
        if f.groups.contains(where: { groups[$0].declaredDefault }) { conn.checkedDeclaredDefaultGroup = true }
        let remote = egress ? p.dst : p.src
        for g in f.groups {
            for r in (egress ? groups[g].egress : groups[g].ingress) where Self.protocolAndPortsMatch(r.ipProtocol, r.ports, p) {
                switch r.peer {
                case .cidr(let c): if c.contains(remote) { return true }
                case .prefixList(let n): if (prefixLists[n] ?? []).contains(where: { $0.contains(remote) }) { return true }
                case .securityGroup(let n):
                    guard let ref = groupByName[n] else { continue }
                    if egress {
                        // The destination's private address is on an ENI of that group in this VPC.
                        if ifaces.contains(where: { $0.vpc == f.vpc && $0.holds(remote) && $0.groups.contains(ref) }) { return true }
                    } else if let id = leg.identity, ifaces[id].groups.contains(ref),
                              leg.crossings.allSatisfy({ if case .tgw(let on) = $0 { on } else { true } }) {
                        return true
                    }
                }
            }
        }
        return false
    }
}
