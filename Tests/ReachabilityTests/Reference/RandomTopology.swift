import TestSupport

/// Random `.vpc` topologies and queries for the reference-walker comparison (seeded: one seed, one case).
///
/// Covers: several VPCs with IPv4 (+ secondary) and IPv6 blocks, subnets in two AZs, route tables with local,
/// more-specific-than-local routes (a whole subnet block → NAT gateway / appliance ENI), blackholes, prefix-list
/// routes and SG rules using `pl:`, internet and egress-only gateways, public and private NAT gateways (NAT64),
/// peerings with partial routes, a transit gateway with attachments, route tables, associations, propagations
/// and static routes, `sg-referencing` on or off, SG rules on CIDRs, prefix lists and groups (same VPC, across
/// peering, across the TGW), NACLs with allow/deny in various orders with and without ephemeral ranges,
/// instances with and without public IPs, secondary IPs, IPv6, appliances with source/dest check off used as
/// route targets; declared defaults (issue 16: `security-group NAME default` with random rules, or an unmarked
/// group named `default`, held by interfaces without `sg`; `network-acl NAME default` with random rules, used by
/// subnets without an association) and routes to `-> unmodelled ID` targets (the default route, prefixes inside
/// a peer's block or an instance's /32, internet /24s, part of the VPC's own block, `::/0`, prefix lists).
/// Issue 18: VGWs with static or BGP VPNs (tunnels up or down), Direct Connect private VIFs on the VGW or through a
/// DX gateway (allowed prefixes, some down), on-premises networks announced over several edges with
/// `local-preference` / `as-path`, gateway endpoints, interface endpoints, gateway route tables (IGW, VGW), TGW VPN
/// and DX gateway attachments (`hq` over them) associated and propagated in random orders, static TGW routes to
/// them; a second TGW `tgwb` peered with `tgw` holding some attached VPCs (static routes over the peering on both
/// sides, 30 % of the queries across it). `edgeFocus`: every topology has edges and a TGW with edge attachments, most
/// queries to or from on premises.
/// Addresses are from fixed slices so that queries can name held, unheld and reserved ones.
struct RandomTopology {
    struct Inst {
        var name: String
        var vpc: Int
        /// (interface name, subnet index, primary, secondary, public, ipv6)
        var interfaces: [(name: String, subnet: Int, ip: String, secondary: String?, publicIP: String?, ipv6: String?)]
        var appliance: Bool
    }
    struct Sub {
        var name: String
        var vpc: Int
        var third: Int  // 10.<block>.<third>.0/24
        var block: Int
        var az: String
        var v6: String?  // "2600:1f18:abcd:<v>0<j>" prefix (no "::/64")
        var cidr: String { "10.\(block).\(third).0/24" }
        func address(_ host: Int) -> String { "10.\(block).\(third).\(host)" }
    }
    struct V {
        var name: String
        var index: Int
        var secondary: Bool
        var v6: String?
        var igw: Bool
        var eigw: Bool
        var subnets: [Int] = []
        var nats: [(name: String, subnet: Int, isPublic: Bool, eip: String, ip: String)] = []
        var groups: [String] = []
        var attached = false
        /// The VPC's written default group (`security-group NAME default`, or one named `default` without the
        /// marker); nil: AWS's implied default group. Interfaces without `sg` hold it.
        var defaultGroup: String?
        var defaultGroupMarked = false
        /// The VPC declares `network-acl NAME default`: subnets with no explicit association use it.
        var defaultNACL = false
        /// Issue 18: a VGW `v<i>vgw` with a VPN `v<i>vpn` (static 192.168.<i>.0/24 + 10.20<i>.0.0/16, or BGP)
        /// and an on-premises network `dc<i>` (192.168.<i>.0/24, 172.16.<i>.0/24) announced over it.
        var vgw = false
        var vpnStatic = true
        var vpnTunnels = ""
        /// A gateway endpoint `v<i>s3` on pl:svc; an interface endpoint `v<i>ssm` (ENI addresses).
        var gatewayEndpoint = false
        var interfaceEndpoint: [(subnet: Int, ip: String)] = []
        /// Direct Connect on the VGW: 0 none, 1 a private VIF `v<i>dx` on the VGW, 2 one on the DX gateway `dxv`
        /// associated with the VGW (sometimes with allowed prefixes); `dc<i>` is announced over it too, with BGP
        /// attributes, so that BGP ranks DX against the VPN (and local preference / AS path decide).
        var dx = 0
        var dxDown = false
        /// The VPN's static routes include 172.16.0.0/12 (shorter than what DX announces).
        var vpnWide = false
        /// Gateway route tables: edge-associated with the IGW and/or the VGW.
        var igwTable = false
        var vgwTable = false
        /// Attached to the second transit gateway `tgwb` (peered with `tgw`) instead of `tgw`: its `-> tgw` routes
        /// name `tgwb`.
        var farSide = false
    }

    var rng: SplitMix64
    /// Issue 23: load balancers are drawn from their own stream, so the rest of each seed's topology and queries
    /// stay what they were.
    var lbRng = SplitMix64(seed: 0)
    /// Per VPC: its load-balancer lines; and each load balancer's name, node addresses and listener ports.
    var lbText: [Int: String] = [:]
    var lbInfo: [(name: String, nodes: [String], ports: [UInt16])] = []
    mutating func lbChance(_ p: Double) -> Bool { Double(lbRng.next() % 10_000) / 10_000 < p }
    mutating func lbPick<T>(_ xs: [T]) -> T { xs[Int(lbRng.next() % UInt64(xs.count))] }
    var vpcs: [V] = []
    var subnets: [Sub] = []
    var instances: [Inst] = []
    var peered: Set<[Int]> = []
    var tgw = false
    var sgReferencing = false
    var prefixLists: [String] = []
    var text = ""
    /// Issue 18: some VPC has an edge (a VGW or an endpoint).
    var edges = false
    /// TGW edges: BGP/static VPN `tvpn` (and `tvpn2`) and the DX gateway `dxt` with a transit VIF `tvif`, attached
    /// to the TGW (`tvpnatt`, `tvpn2att`, `tdxatt`), announcing the on-premises network `hq` (192.168.50.0/24,
    /// 172.16.50.0/24), sometimes also over a VGW's VPN.
    var tgwVPN = false, tgwVPN2 = false, tgwDX = false
    var tgwVPNStatic = false
    /// The TGW edge attachments written (names).
    var tgwEdgeAttachments: [String] = []
    /// A second transit gateway `tgwb` peered with `tgw` (attachments `peer` on tgw, `back` on tgwb; static routes
    /// on both sides), holding the `farSide` VPCs' attachments.
    var tgwPeering = false

    /// Every topology has the network's edges, a transit gateway with VPN / DX gateway attachments, and most queries
    /// go to or come from on premises (the edge-focused comparison).
    var edgeFocus = false

    init(seed: UInt64, edgeFocus: Bool = false) {
        rng = SplitMix64(seed: seed)
        lbRng = SplitMix64(seed: seed ^ 0x1055_BA1A_0C0E_0023)
        self.edgeFocus = edgeFocus
        build()
    }

    mutating func chance(_ p: Double) -> Bool { Double(rng.next() % 10_000) / 10_000 < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }

    func peeredPair(_ a: Int, _ b: Int) -> Bool { peered.contains([min(a, b), max(a, b)]) }

    mutating func build() {
        let nv = int(2...4)
        for i in 0..<nv {
            vpcs.append(V(name: "v\(i)", index: i, secondary: chance(0.25), v6: chance(0.5) ? "2600:1f18:abcd:\(i + 1)" : nil,
                          igw: chance(0.75), eigw: false))
            if vpcs[i].v6 != nil { vpcs[i].eigw = chance(0.5) }
            let ns = int(2...4)
            for j in 0..<ns {
                let inSecondary = vpcs[i].secondary && j == ns - 1
                let s = Sub(name: "v\(i)s\(j)", vpc: i, third: j, block: inSecondary ? 100 + i : i, az: j % 2 == 0 ? "us-east-1a" : "us-east-1b",
                            v6: vpcs[i].v6 != nil && chance(0.7) ? "\(vpcs[i].v6!)0\(j)" : nil)
                vpcs[i].subnets.append(subnets.count)
                subnets.append(s)
            }
        }
        for a in 0..<nv { for b in (a + 1)..<max(a + 1, nv) where chance(0.4) { peered.insert([a, b]) } }
        tgw = edgeFocus || chance(0.65)
        sgReferencing = chance(0.5)
        if tgw { for i in 0..<nv where chance(edgeFocus ? 0.9 : 0.8) { vpcs[i].attached = true } }
        let attachedVPCs = vpcs.indices.filter { vpcs[$0].attached }
        if attachedVPCs.count >= 2 && chance(0.5) {
            tgwPeering = true
            for i in attachedVPCs.dropFirst() where chance(0.5) { vpcs[i].farSide = true }
            if let last = attachedVPCs.last, !vpcs.contains(where: \.farSide) { vpcs[last].farSide = true }
            // VPCs on the two sides talk over the TGW peering only (a VPC peering would take their traffic).
            peered = peered.filter { vpcs[$0[0]].farSide == vpcs[$0[1]].farSide || chance(0.2) }
        }
        // Prefix lists.
        for k in 0..<int(0...2) {
            var entries: Set<String> = []
            for _ in 0..<int(1...3) {
                let o = int(0...(nv - 1))
                entries.insert(pick(["10.\(o).0.0/16", "10.\(o).1.0/24", "198.51.100.0/24", "203.0.113.0/24"]))
            }
            let name = "pl\(k)"
            prefixLists.append(name)
            text += "prefix-list \(name) { \(entries.sorted().joined(separator: " ")) }\n"
        }
        // Declared defaults: a marked default group (sometimes named `default`, at most one VPC: names are global),
        // an unmarked group named `default` (the form before the marker), or AWS's implied group; a marked NACL.
        var namedDefaultTaken = false
        for i in 0..<nv {
            let r = int(0...9)
            if r < 3 {
                let named = !namedDefaultTaken && chance(0.2)
                namedDefaultTaken = namedDefaultTaken || named
                vpcs[i].defaultGroup = named ? "default" : "v\(i)dg"
                vpcs[i].defaultGroupMarked = true
            } else if r < 4 && !namedDefaultTaken {
                namedDefaultTaken = true
                vpcs[i].defaultGroup = "default"
            }
            vpcs[i].defaultNACL = chance(0.35)
        }
        // Instances and NAT gateways first (route targets and SG peers need them).
        for i in 0..<nv {
            for g in 0..<int(1...3) { vpcs[i].groups.append("v\(i)g\(g)") }
            for (k, s) in vpcs[i].subnets.enumerated() where k < 2 && chance(0.45) {
                let pub = chance(0.7)
                vpcs[i].nats.append((name: "v\(i)nat\(k)", subnet: s, isPublic: pub, eip: "52.\(i).0.\(k + 1)", ip: subnets[s].address(200 + k)))
            }
            var n = 0
            for s in vpcs[i].subnets {
                for h in 0..<int(0...3) {
                    let sub = subnets[s]
                    let appliance = chance(0.12)
                    instances.append(Inst(name: "v\(i)i\(n)", vpc: i, interfaces: [(
                        name: "eth0", subnet: s, ip: sub.address(10 + h), secondary: chance(0.15) ? sub.address(100 + h) : nil,
                        publicIP: chance(0.4) ? "54.\(i).\(sub.third).\(10 + h)" : nil,
                        ipv6: sub.v6 != nil && chance(0.6) ? "\(sub.v6!)::\(10 + h)" : nil)], appliance: appliance))
                    n += 1
                }
            }
            // A two-legged appliance.
            if vpcs[i].subnets.count >= 2 && chance(0.35) {
                let s0 = vpcs[i].subnets[0], s1 = vpcs[i].subnets[1]
                instances.append(Inst(name: "v\(i)fw", vpc: i, interfaces: [
                    (name: "eth0", subnet: s0, ip: subnets[s0].address(50), secondary: nil, publicIP: chance(0.3) ? "54.\(i).200.50" : nil, ipv6: nil),
                    (name: "eth1", subnet: s1, ip: subnets[s1].address(50), secondary: nil, publicIP: nil,
                     ipv6: subnets[s1].v6.map { "\($0)::50" }),
                ], appliance: true))
            }
        }
        // Issue 18 edges: with some probability a VGW + VPN + on-premises network per VPC, gateway endpoints on
        // a service prefix list, interface endpoints with ENIs at .7x.
        if edgeFocus || chance(0.5) {
            for i in 0..<nv {
                if chance(0.5) {
                    vpcs[i].vgw = true
                    vpcs[i].vpnStatic = chance(0.6)
                    vpcs[i].vpnTunnels = pick(["", "", "", " tunnels up down", " tunnels up up", " tunnels down down"])
                }
                vpcs[i].gatewayEndpoint = chance(0.4)
                if chance(0.35) {
                    var seen: Set<String> = []
                    for s in vpcs[i].subnets where !seen.contains(subnets[s].az) && chance(0.8) {
                        seen.insert(subnets[s].az)
                        vpcs[i].interfaceEndpoint.append((s, subnets[s].address(70 + vpcs[i].interfaceEndpoint.count)))
                    }
                }
            }
            for i in 0..<nv {
                if vpcs[i].vgw && chance(0.5) { vpcs[i].dx = chance(0.5) ? 1 : 2; vpcs[i].dxDown = chance(0.2) }
                if vpcs[i].vgw { vpcs[i].vpnWide = vpcs[i].vpnStatic && chance(0.3) }
                vpcs[i].igwTable = vpcs[i].igw && chance(0.3)
                vpcs[i].vgwTable = vpcs[i].vgw && chance(0.3)
            }
            if tgw && (edgeFocus || chance(0.6)) {
                tgwVPN = chance(0.8)
                tgwVPNStatic = tgwVPN && chance(0.25)
                tgwVPN2 = chance(edgeFocus ? 0.8 : 0.6)
                tgwDX = chance(0.6)
                if !tgwVPN && !tgwVPN2 && !tgwDX { tgwVPN = true }
                if tgwVPN { tgwEdgeAttachments.append("tvpnatt") }
                if tgwVPN2 { tgwEdgeAttachments.append("tvpn2att") }
                if tgwDX { tgwEdgeAttachments.append("tdxatt") }
            }
            edges = vpcs.contains { $0.vgw || $0.gatewayEndpoint || !$0.interfaceEndpoint.isEmpty } || !tgwEdgeAttachments.isEmpty
            if vpcs.contains(where: \.gatewayEndpoint) { text += "prefix-list svc { 52.216.0.0/15 3.5.0.0/19 }\n" }
        }
        // Issue 23: now and then a load balancer per VPC: nodes at .9x (one subnet per AZ), a target group of the
        // VPC's instances (some unhealthy), one or two listeners on the queries' ports.
        for i in 0..<nv where lbChance(0.35) {
            let kind = lbPick(["application", "network", "network", "classic"])
            var seen: Set<String> = []
            var nodes: [(Int, String)] = []
            for s in vpcs[i].subnets where !seen.contains(subnets[s].az) && lbChance(0.8) {
                seen.insert(subnets[s].az)
                nodes.append((s, subnets[s].address(90 + nodes.count)))
            }
            let targets = instances.filter { $0.vpc == i && !$0.appliance }.map(\.name)
            guard !nodes.isEmpty, !targets.isEmpty else { continue }
            let facing = vpcs[i].igw && lbChance(0.5)
            let name = "v\(i)lb", tg = "v\(i)tg"
            let targetPort: UInt16 = lbPick([22, 80, 443, 8080, 5432])
            var t = ""
            if kind != "classic" {
                let proto = kind == "application" ? "http" : "tcp"
                let preserve = kind == "network" ? lbPick(["", "", " preserve-client-ip off", " preserve-client-ip on"]) : ""
                t += "  target-group \(tg) instance \(proto) \(targetPort)\(preserve)\n"
                for x in targets where lbChance(0.7) {
                    t += "  target \(tg) \(x)" + (lbChance(0.2) ? " port \(lbPick([22, 443, 8085]))" : "") + lbPick(["", "", " healthy", " unhealthy"]) + "\n"
                }
            }
            t += "  load-balancer \(name) \(kind) \(facing ? "internet-facing" : "internal") subnets " + nodes.map { subnets[$0.0].name }.joined(separator: " ")
            if kind != "network" || lbChance(0.4), !vpcs[i].groups.isEmpty, lbChance(0.8) { t += " sg " + lbPick(vpcs[i].groups) }
            t += " ip " + nodes.map(\.1).joined(separator: " ")
            if facing { t += " public-ip " + nodes.indices.map { "54.\(i).250.\($0 + 1)" }.joined(separator: " ") }
            t += lbPick(["", " cross-zone on", " cross-zone off"]) + "\n"
            var ports: [UInt16] = []
            for p in [lbPick([22, 80, 443] as [UInt16]), lbPick([443, 8080] as [UInt16])] where !ports.contains(p) && (ports.isEmpty || lbChance(0.5)) {
                ports.append(p)
                let proto = kind == "application" ? "https" : "tcp"
                t += "  listener \(name) \(proto) \(p) -> " + (kind == "classic" ? "port \(targetPort)" : tg) + "\n"
            }
            if kind == "classic" { for x in targets where lbChance(0.7) { t += "  target \(name) \(x)\n" } }
            lbText[i] = t
            lbInfo.append((name, nodes.map(\.1) + (facing ? nodes.indices.map { "54.\(i).250.\($0 + 1)" } : []), ports))
        }
        for i in 0..<nv {
            guard vpcs[i].farSide else { emitVPC(i); continue }
            // Its routes to the transit gateway name tgwb.
            let before = text
            text = ""
            emitVPC(i)
            text = before + text.replacing("-> tgw\n", with: "-> tgwb\n")
        }
        if vpcs.contains(where: \.vgw) || !tgwEdgeAttachments.isEmpty { text += "customer-gateway cg ip 198.51.100.10 asn 65000\n" }
        func bgp(_ rng: inout SplitMix64) -> String {
            let r = rng.next() % 10
            let pref = r < 2 ? " local-preference high" : r < 3 ? " local-preference low" : r < 4 ? " local-preference medium" : ""
            let path = rng.next() % 2 == 0 ? " as-path \(1 + rng.next() % 4)" : ""
            return pref + path
        }
        var dxgw: [String] = []
        for v in vpcs where v.vgw {
            let i = v.index
            text += "vpn-connection v\(i)vpn vgw v\(i)vgw customer-gateway cg "
                + (v.vpnStatic ? "static 192.168.\(i).0/24 10.20\(i).0.0/16" + (v.vpnWide ? " 172.16.0.0/12" : "") : "bgp") + v.vpnTunnels + "\n"
            var via = ["  via v\(i)vpn" + bgp(&rng)]
            if v.dx > 0 { via.append("  via v\(i)dx" + bgp(&rng)) }
            if v.dx == 2 && chance(0.3) { via.append("  via dxv" + bgp(&rng)) }
            if chance(0.15) { via.append("  via v\(i)vgw" + bgp(&rng)) }
            text += "onprem dc\(i) {\n  prefix 192.168.\(i).0/24 172.16.\(i).0/24\n" + via.shuffledSeeded(&rng).joined(separator: "\n") + "\n}\n"
            if v.dx == 1 { text += "dx-vif v\(i)dx private vgw v\(i)vgw" + (v.dxDown ? " state down" : "") + "\n" }
            if v.dx == 2 {
                text += "dx-vif v\(i)dx private dx-gateway dxv" + (v.dxDown ? " state down" : "") + "\n"
                dxgw.append("  associate v\(i)vgw" + pick(["", "", " allowed 10.\(i).0.0/16", " allowed 10.\(i).0.0/24", " allowed 10.\(i).1.0/24 10.\(i).2.0/24"]))
            }
        }
        if !dxgw.isEmpty { text += "dx-gateway dxv {\n" + dxgw.joined(separator: "\n") + "\n}\n" }
        if !tgwEdgeAttachments.isEmpty {
            var via: [String] = []
            if tgwVPN {
                text += "vpn-connection tvpn tgw tgw customer-gateway cg " + (tgwVPNStatic ? "static 192.168.50.0/24" : "bgp")
                    + pick(["", "", " tunnels up down", " tunnels down down"]) + "\n"
                via.append("  via tvpn" + bgp(&rng))
            }
            if tgwVPN2 {
                text += "vpn-connection tvpn2 tgw tgw customer-gateway cg bgp" + pick(["", "", " tunnels down down"]) + "\n"
                via.append("  via tvpn2" + bgp(&rng))
            }
            if tgwDX {
                let all = vpcs.indices.map { "10.\($0).0.0/16" }.joined(separator: " ")
                text += "dx-gateway dxt {\n  associate tgw" + pick(["", "", " allowed 10.0.0.0/8", " allowed \(all)", " allowed 10.0.0.0/16"]) + "\n}\n"
                text += "dx-vif tvif transit dx-gateway dxt" + (chance(0.2) ? " state down" : "") + "\n"
                via.append("  via " + (chance(0.7) ? "tvif" : "dxt") + bgp(&rng))
            }
            // The same network also behind a VGW's VPN (on premises then has two ways in).
            if let v = vpcs.filter(\.vgw).randomElementSeeded(&rng), chance(0.3) { via.append("  via v\(v.index)vpn" + bgp(&rng)) }
            text += "onprem hq {\n  prefix 192.168.50.0/24 172.16.50.0/24\n" + via.shuffledSeeded(&rng).joined(separator: "\n") + "\n}\n"
        }
        for p in peered.sorted(by: { $0.lexicographicallyPrecedes($1) }) { text += "peering p\(p[0])x\(p[1]) v\(p[0]) <-> v\(p[1])\n" }
        if tgw { emitTGW() }
    }

    func instancesOf(_ v: Int) -> [Inst] { instances.filter { $0.vpc == v } }

    /// The groups rules may reference in VPC `v`: its groups and its written default group.
    func referable(_ v: Int) -> [String] { vpcs[v].groups + (vpcs[v].defaultGroup.map { [$0] } ?? []) }

    /// An id for `-> unmodelled ID` (a VGW, an endpoint, a carrier gateway, an ENI outside the model).
    mutating func unmodelledTarget(_ v: Int) -> String {
        "-> unmodelled " + pick(["vgw-0a\(v)", "vpce-0b\(v)\(int(0...9))", "cagw-0c\(v)", "eni-0d\(v)\(int(0...9))", "cwan-0e\(v)"])
    }

    mutating func cidrPeer(_ v: Int) -> String {
        var pool = ["0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "10.\(v).0.0/16", "198.51.100.0/24"]
        for o in vpcs.indices { pool.append("10.\(o).0.0/16") }
        for s in subnets { pool.append(s.cidr) }
        if let x = instances.randomElementSeeded(&rng) { pool.append(x.interfaces[0].ip + "/32"); if let p = x.interfaces[0].publicIP { pool.append(p + "/32") } }
        for w in vpcs where w.v6 != nil { pool.append("\(w.v6!)00::/56"); pool.append("::/0") }
        return pick(pool)
    }

    mutating func sgRule(_ v: Int, egress: Bool) -> String {
        let proto = pick(["tcp", "tcp", "tcp", "udp", "icmp", "all", "all", "icmpv6", "proto 47"])
        var ports = ""
        if proto == "tcp" || proto == "udp" {
            ports = pick(["", "", " 22", " 80", " 443", " 443", " 5432", " 53", " 8080-8090", " 1024-65535", " 0-1023"])
        } else if proto == "icmp" {
            ports = pick(["", "", " 8", " 0", " 3/4"])
        }
        var peer: String
        let r = int(0...9)
        if r < 6 {
            peer = cidrPeer(v)
            if proto == "icmpv6" && !peer.contains(":") { peer = "::/0" }
        } else if r < 7, !prefixLists.isEmpty {
            peer = "pl:" + pick(prefixLists)
        } else {
            // A group: this VPC's, a peered VPC's, or (ingress) one across a TGW with referencing on.
            var pool = referable(v)
            if !egress {
                for o in vpcs.indices where o != v && (peeredPair(v, o) || (tgw && sgReferencing && vpcs[v].attached && vpcs[o].attached && vpcs[v].farSide == vpcs[o].farSide)) {
                    pool += referable(o)
                }
            }
            peer = "sg " + pick(pool)
        }
        return "\(proto)\(ports) \(egress ? "to" : "from") \(peer)"
    }

    mutating func naclRule(_ v: Int, _ number: Int, outbound: Bool) -> String {
        let proto = pick(["tcp", "tcp", "udp", "icmp", "all", "all"])
        var ports = ""
        if proto == "tcp" || proto == "udp" {
            ports = pick(["", " 22", " 443", " 5432", " 53", " 8080-8090", " 1024-65535", " 1024-65535", " 32768-60999", " 49152-65535", " 0-1023"])
        } else if proto == "icmp" {
            ports = pick(["", "", " 8", " 0"])
        }
        let cidr = pick(["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "::/0", "10.\(v).0.0/16"] + subnets.map(\.cidr))
        let action = chance(0.7) ? "allow" : "deny"
        return "\(outbound ? "outbound" : "inbound") \(number) \(action) \(proto)\(ports) \(outbound ? "to" : "from") \(cidr)"
    }

    mutating func emitVPC(_ i: Int) {
        let v = vpcs[i]
        text += "vpc \(v.name) {\n  cidr 10.\(i).0.0/16\n"
        if v.secondary { text += "  cidr 10.\(100 + i).0.0/16\n" }
        if let v6 = v.v6 { text += "  ipv6 \(v6)00::/56\n" }
        if v.igw { text += "  internet-gateway \(v.name)igw\n" }
        if v.eigw { text += "  egress-only-gateway \(v.name)eigw\n" }
        if v.vgw { text += "  vpn-gateway \(v.name)vgw\n" }
        for s in v.subnets {
            let sub = subnets[s]
            text += "  subnet \(sub.name) \(sub.cidr) az \(sub.az)" + (sub.v6.map { " ipv6 \($0)::/64" } ?? "") + "\n"
        }
        for n in v.nats {
            text += "  nat-gateway \(n.name) in \(subnets[n.subnet].name) " + (n.isPublic ? "eip \(n.eip)" : "private") + " ip \(n.ip)\n"
        }
        // Route tables.
        var unassociated = v.subnets.shuffledSeeded(&rng)
        let appliances = instancesOf(i).filter(\.appliance)
        var tableNames: [String] = []
        for t in 0..<int(1...3) {
            var lines: [String] = []
            var dests: Set<String> = []
            tableNames.append("\(v.name)r\(t)")
            if v.vgw {
                // Static routes to the VGW (announced or not), and propagation.
                for d in ["192.168.\(i).0/24", "172.16.\(i).0/24", "192.168.0.0/16", "10.20\(i).0.0/16", "172.16.0.0/12"] where chance(0.25) {
                    dests.insert(d); lines.append("    route \(d) -> \(v.name)vgw")
                }
                if chance(0.6) { lines.insert("    propagate \(v.name)vgw", at: 0) }
            }
            var assoc: [String] = []
            for _ in 0..<int(0...2) where !unassociated.isEmpty { assoc.append(subnets[unassociated.removeLast()].name) }
            // Likely routes first (so that many queries get through), then random ones.
            if chance(0.6) {
                var ts: [String] = []
                if v.igw { ts += ["-> \(v.name)igw", "-> \(v.name)igw"] }
                for n in v.nats { ts.append("-> \(n.name)") }
                if chance(0.12) { ts = [unmodelledTarget(i)] }
                if let t = ts.randomElementSeeded(&rng) { dests.insert("0.0.0.0/0"); lines.append("    route 0.0.0.0/0 \(t)") }
            }
            for o in vpcs.indices where o != i && peeredPair(i, o) && chance(0.7) {
                dests.insert("10.\(o).0.0/16"); lines.append("    route 10.\(o).0.0/16 -> p\(min(i, o))x\(max(i, o))")
            }
            if tgw && v.attached && chance(0.6) { dests.insert("10.0.0.0/8"); lines.append("    route 10.0.0.0/8 -> tgw") }
            if tgw && v.attached && !tgwEdgeAttachments.isEmpty && chance(0.6) {
                let d = pick(["192.168.50.0/24", "172.16.50.0/24", "172.16.0.0/12", "192.168.0.0/16"])
                if !dests.contains(d) { dests.insert(d); lines.append("    route \(d) -> tgw") }
            }
            if v.v6 != nil && (v.igw || v.eigw) && chance(0.5) {
                dests.insert("::/0"); lines.append("    route ::/0 -> \(v.eigw && (chance(0.6) || !v.igw) ? v.name + "eigw" : v.name + "igw")")
            }
            // Routes to targets outside the model, some winning over the routes that follow (more specific
            // inside a peer's block, an instance's /32, an internet host's /24, part of this VPC's own block).
            if chance(0.3) {
                for _ in 0..<int(1...2) {
                    var pool = ["0.0.0.0/0", "198.51.100.0/24", "203.0.113.0/24", "198.51.100.0/25", "10.0.0.0/8"]
                    for o in vpcs.indices where o != i {
                        pool += ["10.\(o).0.0/16", "10.\(o).1.0/24", "10.\(o).0.0/24", "10.\(o).1.10/32", "10.\(o).0.8/29"]
                        if let w6 = vpcs[o].v6, v.v6 != nil { pool.append("\(w6)00::/56") }
                    }
                    for s in v.subnets { pool.append(subnets[s].cidr) }
                    if v.v6 != nil { pool += ["::/0", "2606:4700::/32", "64:ff9b::/96"] }
                    pool += prefixLists.map { "pl:\($0)" }
                    let d = pick(pool)
                    if dests.contains(d) { continue }
                    dests.insert(d)
                    lines.append("    route \(d) \(unmodelledTarget(i))")
                }
            }
            for _ in 0..<int(0...4) {
                var options: [(String, [String])] = []
                var internet: [String] = ["blackhole"]
                if v.igw { internet += ["-> \(v.name)igw", "-> \(v.name)igw", "-> \(v.name)igw"] }
                for n in v.nats { internet.append("-> \(n.name)") }
                if tgw && v.attached { internet.append("-> tgw") }
                for a in appliances { internet.append("-> \(a.name)" + (a.interfaces.count > 1 ? ".eth0" : "")) }
                if v.vgw { internet.append("-> \(v.name)vgw") }
                options.append(("0.0.0.0/0", internet))
                options.append(("198.51.100.0/24", internet))
                for o in vpcs.indices where o != i {
                    var ts = ["blackhole"]
                    if peeredPair(i, o) { ts += ["-> p\(min(i, o))x\(max(i, o))", "-> p\(min(i, o))x\(max(i, o))"] }
                    if tgw && v.attached { ts += ["-> tgw", "-> tgw"] }
                    for a in appliances { ts.append("-> \(a.name)") }
                    options.append(("10.\(o).0.0/16", ts))
                    options.append(("10.\(o).1.0/24", ts))
                    if vpcs[o].secondary { options.append(("10.\(100 + o).0.0/16", ts)) }
                    if let w6 = vpcs[o].v6, v.v6 != nil { options.append(("\(w6)00::/56", ts)) }
                }
                options.append(("10.0.0.0/8", ["blackhole"] + (tgw && v.attached ? ["-> tgw"] : [])))
                // More specific than local: a whole subnet block → NAT gateway or appliance ENI.
                for s in v.subnets {
                    var ts: [String] = []
                    for n in v.nats { ts.append("-> \(n.name)") }
                    for a in appliances { ts.append("-> \(a.name)") }
                    if !ts.isEmpty { options.append((subnets[s].cidr, ts)) }
                }
                if v.v6 != nil {
                    var ts = ["blackhole"]
                    if v.igw { ts.append("-> \(v.name)igw") }
                    if v.eigw { ts += ["-> \(v.name)eigw", "-> \(v.name)eigw"] }
                    if tgw && v.attached { ts.append("-> tgw") }
                    options.append(("::/0", ts))
                    let pubNATs = v.nats.filter(\.isPublic)
                    if !pubNATs.isEmpty { options.append(("64:ff9b::/96", pubNATs.map { "-> \($0.name)" })) }
                }
                for p in prefixLists {
                    var ts = ["blackhole"]
                    if tgw && v.attached { ts.append("-> tgw") }
                    if v.igw { ts.append("-> \(v.name)igw") }
                    for n in v.nats { ts.append("-> \(n.name)") }
                    options.append(("pl:\(p)", ts))
                }
                let (d, ts) = pick(options)
                if dests.contains(d) { continue }
                dests.insert(d)
                let target = pick(ts)
                lines.append("    route \(d) \(target)")
            }
            let main = t == 0 && chance(0.7)
            text += "  route-table \(v.name)r\(t)\(main ? " main" : "") {\n"
            if !assoc.isEmpty { text += "    associate \(assoc.joined(separator: " "))\n" }
            text += lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n") + "  }\n"
        }
        if v.igwTable || v.vgwTable {
            // A gateway route table (§2): traffic entering through the IGW / VGW, a subnet's block (or the VPC's) to
            // an appliance, sometimes to a NAT gateway (not a gateway-table target: dropped there).
            var assoc: [String] = []
            if v.igwTable { assoc.append("\(v.name)igw") }
            if v.vgwTable { assoc.append("\(v.name)vgw") }
            var lines: [String] = []
            var ds: Set<String> = []
            for _ in 0..<int(0...2) {
                var ts: [String] = []
                for a in appliances { ts += ["-> \(a.name)", "-> \(a.name)"] }
                if let n = v.nats.first, chance(0.2) { ts.append("-> \(n.name)") }
                guard let target = ts.randomElementSeeded(&rng) else { break }
                let d = chance(0.2) ? "10.\(i).0.0/16" : subnets[pick(v.subnets)].cidr
                if ds.contains(d) { continue }
                ds.insert(d)
                lines.append("    route \(d) \(target)")
            }
            text += "  route-table \(v.name)gw {\n    edge-associate \(assoc.joined(separator: " "))\n" + lines.map { $0 + "\n" }.joined() + "  }\n"
        }
        if v.gatewayEndpoint {
            let chosen = tableNames.filter { _ in chance(0.6) }
            text += "  endpoint \(v.name)gwe gateway s3" + (chosen.isEmpty ? "" : " route-tables " + chosen.joined(separator: " ")) + " prefix-list pl:svc\n"
        }
        if !v.interfaceEndpoint.isEmpty {
            var m = "  endpoint \(v.name)ssm interface com.amazonaws.us-east-1.ssm subnets "
                + v.interfaceEndpoint.map { subnets[$0.subnet].name }.joined(separator: " ")
            if chance(0.7) { m += " sg " + pick(v.groups) }
            m += " ip " + v.interfaceEndpoint.map(\.ip).joined(separator: " ")
            text += m + "\n"
        }
        if let t = lbText[i] { text += t }
        // Security groups (the written default group among them, at a random place).
        var written = v.groups
        if let d = v.defaultGroup { written.insert(d, at: int(0...written.count)) }
        for g in written {
            if g == v.defaultGroup {
                text += "  security-group \(g)\(v.defaultGroupMarked ? " default" : "") {\n"
                // AWS's default group allows all from its own members; some are edited.
                if chance(0.5) { text += "    ingress all from sg \(g)\n" }
                for _ in 0..<int(0...3) { text += "    ingress \(sgRule(i, egress: false))\n" }
                let e = int(0...9)
                if e == 0 { text += "    egress none\n" }
                else if e < 4 { for _ in 0..<int(1...2) { text += "    egress \(sgRule(i, egress: true))\n" } }
                text += "  }\n"
                continue
            }
            text += "  security-group \(g) {\n"
            if chance(0.6) { text += "    ingress " + pick(["all from 10.0.0.0/8", "tcp from 0.0.0.0/0", "all from 0.0.0.0/0", "tcp 443 from 0.0.0.0/0", "all from ::/0"]) + "\n" }
            if edges && chance(edgeFocus ? 0.6 : 0.3) {
                text += "    ingress " + pick(["all from 192.168.0.0/16", "tcp from 172.16.0.0/12", "tcp 443 from 192.168.\(i).0/24", "all from 192.168.50.0/24"]) + "\n"
            }
            for _ in 0..<int(0...4) { text += "    ingress \(sgRule(i, egress: false))\n" }
            let e = int(0...19)
            if e == 0 { text += "    egress none\n" }
            else if e < 6 { for _ in 0..<int(1...3) { text += "    egress \(sgRule(i, egress: true))\n" } }
            if e != 0 && v.gatewayEndpoint && chance(0.3) { text += "    egress " + pick(["tcp to pl:svc", "tcp 443 to pl:svc", "all to 52.216.0.0/15"]) + "\n" }
            text += "  }\n"
        }
        // NACLs.
        var free = v.subnets.shuffledSeeded(&rng)
        for k in 0..<int(0...1) where !free.isEmpty {
            var assoc: [String] = []
            for _ in 0..<int(1...2) where !free.isEmpty { assoc.append(subnets[free.removeLast()].name) }
            text += "  network-acl \(v.name)n\(k) {\n    associate \(assoc.joined(separator: " "))\n"
            for outbound in [false, true] {
                var numbers = [10, 50, 90, 100, 110, 120, 130, 200].shuffledSeeded(&rng).prefix(int(0...5))
                if chance(0.7) { numbers.append(300) }
                for n in numbers.sorted() {
                    text += "    " + (n == 300 ? "\(outbound ? "outbound" : "inbound") 300 allow all \(outbound ? "to" : "from") 0.0.0.0/0"
                                      : naclRule(i, n, outbound: outbound)) + "\n"
                }
            }
            text += "  }\n"
        }
        if v.defaultNACL {
            // The declared default NACL: AWS's (100 allow all each way) or edited; sometimes with its own
            // `associate` line. Subnets left without an association use it.
            text += "  network-acl \(v.name)nd default {\n"
            if !free.isEmpty && chance(0.3) { text += "    associate \(subnets[free.removeLast()].name)\n" }
            if chance(0.3) {
                text += "    inbound 100 allow all from 0.0.0.0/0\n    outbound 100 allow all to 0.0.0.0/0\n"
            } else {
                for outbound in [false, true] {
                    var numbers = [10, 50, 90, 100, 110, 120, 130, 200].shuffledSeeded(&rng).prefix(int(0...4))
                    if chance(0.6) { numbers.append(300) }
                    for n in numbers.sorted() {
                        text += "    " + (n == 300 ? "\(outbound ? "outbound" : "inbound") 300 allow all \(outbound ? "to" : "from") 0.0.0.0/0"
                                          : naclRule(i, n, outbound: outbound)) + "\n"
                    }
                }
            }
            text += "  }\n"
        }
        for inst in instancesOf(i) {
            func mods(_ f: (name: String, subnet: Int, ip: String, secondary: String?, publicIP: String?, ipv6: String?), _ rng: inout SplitMix64) -> String {
                var m = "in \(subnets[f.subnet].name) ip \(f.ip)"
                if let s = f.secondary { m += " secondary-ip \(s)" }
                if let p = f.publicIP { m += " public-ip \(p)" }
                if let x = f.ipv6 { m += " ipv6 \(x)" }
                let r = rng.next() % 10
                // With a written default group, more interfaces name no group (they hold it), a few name it.
                let declared = v.defaultGroup != nil
                if r < (declared ? 4 : 7) { m += " sg \(v.groups[Int(rng.next() % UInt64(v.groups.count))])" }
                else if r < (declared ? 5 : 9) { m += " sg " + v.groups.joined(separator: " ") }
                else if declared && r == 5, let d = v.defaultGroup { m += " sg \(d)" + (rng.next() % 2 == 0 ? " \(v.groups[0])" : "") }
                if inst.appliance && rng.next() % 10 < 8 { m += " source-dest-check off" }
                return m
            }
            if inst.interfaces.count == 1 {
                text += "  instance \(inst.name) \(mods(inst.interfaces[0], &rng))\n"
            } else {
                text += "  instance \(inst.name) {\n"
                for f in inst.interfaces { text += "    interface \(f.name) \(mods(f, &rng))\n" }
                text += "  }\n"
            }
        }
        text += "}\n"
    }

    /// `attachment att<i> vpc v<i> subnets …` (one or two AZs, sometimes appliance mode).
    mutating func attachmentLine(_ i: Int) -> String {
        var chosen: [String] = []
        for az in ["us-east-1a", "us-east-1b"] {
            let inAZ = vpcs[i].subnets.filter { subnets[$0].az == az }
            if !inAZ.isEmpty && (chosen.isEmpty || chance(0.7)) { chosen.append(subnets[pick(inAZ)].name) }
        }
        return "  attachment att\(i) vpc v\(i) subnets \(chosen.joined(separator: " "))\(chance(edgeFocus ? 0.05 : 0.15) ? " appliance-mode" : "")\n"
    }

    mutating func emitTGW() {
        text += "transit-gateway tgw\(sgReferencing ? " sg-referencing" : "") {\n"
        let attached = vpcs.indices.filter { vpcs[$0].attached && !vpcs[$0].farSide }
        let far = vpcs.indices.filter { vpcs[$0].farSide }
        for i in attached { text += attachmentLine(i) }
        if tgwPeering { text += "  attachment peer peering tgwb\n" }
        if tgwVPN { text += "  attachment tvpnatt vpn tvpn\n" }
        if tgwVPN2 { text += "  attachment tvpn2att vpn tvpn2\n" }
        if tgwDX { text += "  attachment tdxatt dx-gateway dxt\n" }
        var edgeUnassociated = tgwEdgeAttachments.shuffledSeeded(&rng)
        var unassociated = attached.shuffledSeeded(&rng)
        var peerAssociated = false
        for t in 0..<int(1...2) {
            text += "  route-table tr\(t) {\n"
            var assoc: [String] = []
            for _ in 0..<int(1...3) where !unassociated.isEmpty && chance(0.9) { assoc.append("att\(unassociated.removeLast())") }
            // Edge attachments: associated with some table (where traffic from on premises is routed), propagated
            // (in a random order: two of one kind with equal prefixes, the first propagated wins after BGP).
            // The first table takes most edge attachments and propagates most VPCs (so that on premises gets in).
            for _ in 0..<3 where !edgeUnassociated.isEmpty && chance(t == 0 ? 0.85 : 0.5) { assoc.append(edgeUnassociated.removeLast()) }
            // The peering (traffic from tgwb is routed here), usually in the first table.
            if tgwPeering && !peerAssociated && chance(t == 0 ? 0.9 : 0.95) { assoc.append("peer"); peerAssociated = true }
            if !assoc.isEmpty { text += "    associate \(assoc.joined(separator: " "))\n" }
            var prop = attached.filter { _ in chance(t == 0 && !tgwEdgeAttachments.isEmpty ? 0.9 : 0.7) }.map { "att\($0)" }
            prop += tgwEdgeAttachments.filter { _ in chance(0.85) }
            prop = prop.shuffledSeeded(&rng)
            if !prop.isEmpty { text += "    propagate \(prop.joined(separator: " "))\n" }
            var dests: Set<String> = []
            // Static routes over the peering: the far VPCs' blocks (sometimes wider, or a /24 of them).
            if tgwPeering {
                for o in far where chance(0.8) {
                    let d = pick(["10.\(o).0.0/16", "10.\(o).0.0/16", "10.\(o).1.0/24", "10.0.0.0/8"])
                    if dests.insert(d).inserted { text += "    route \(d) -> peer\n" }
                }
            }
            for _ in 0..<int(0...3) where !attached.isEmpty {
                var pool = ["0.0.0.0/0", "198.51.100.0/24"] + prefixLists.map { "pl:\($0)" }
                for o in vpcs.indices { pool += ["10.\(o).0.0/16", "10.\(o).1.0/24"] }
                if vpcs.contains(where: { $0.v6 != nil }) { pool.append("::/0") }
                if !tgwEdgeAttachments.isEmpty { pool += ["192.168.50.0/24", "172.16.0.0/12", "192.168.50.0/25"] }
                let d = pick(pool)
                if dests.contains(d) { continue }
                dests.insert(d)
                let toEdge = !tgwEdgeAttachments.isEmpty && !d.contains(":") && chance(0.35)
                let toPeer = tgwPeering && chance(0.15)
                text += "    route \(d) " + (chance(0.2) ? "blackhole" : toPeer ? "-> peer" : toEdge ? "-> \(pick(tgwEdgeAttachments))" : "-> att\(pick(attached))") + "\n"
            }
            text += "  }\n"
        }
        text += "}\n"
        if tgwPeering { emitFarTGW(near: attached, far: far) }
    }

    /// The second transit gateway `tgwb`: the far VPCs' attachments and `back` (the peering to `tgw`); a table for
    /// the far VPCs (their blocks propagated, static routes over the peering to the near VPCs and on premises) and
    /// one for traffic arriving over the peering (the far VPCs' blocks, propagated or static). Now and then a route
    /// back over the peering for a far block (a loop), a blackhole, a missing association.
    mutating func emitFarTGW(near: [Int], far: [Int]) {
        text += "transit-gateway tgwb\(sgReferencing ? " sg-referencing" : "") {\n"
        for i in far { text += attachmentLine(i) }
        text += "  attachment back peering tgw\n"
        // Table for the far VPCs.
        text += "  route-table tb0 {\n"
        let assoc = far.filter { _ in chance(0.95) }.map { "att\($0)" }
        if !assoc.isEmpty { text += "    associate \(assoc.joined(separator: " "))\n" }
        let prop = far.filter { _ in chance(0.8) }.map { "att\($0)" }
        if !prop.isEmpty { text += "    propagate \(prop.joined(separator: " "))\n" }
        var dests: Set<String> = []
        var pool = near.flatMap { ["10.\($0).0.0/16", "10.\($0).1.0/24"] } + ["10.0.0.0/8", "0.0.0.0/0"]
        if !tgwEdgeAttachments.isEmpty { pool += ["192.168.50.0/24", "172.16.0.0/12", "172.16.50.0/24"] }
        for _ in 0..<int(1...4) {
            let d = pick(pool)
            guard dests.insert(d).inserted else { continue }
            text += "    route \(d) " + (chance(0.1) ? "blackhole" : chance(0.1) ? "-> att\(pick(far))" : "-> back") + "\n"
        }
        text += "  }\n"
        // Table for what comes over the peering.
        text += "  route-table tb1 {\n"
        if chance(0.95) { text += "    associate back\n" }
        let prop1 = far.filter { _ in chance(0.85) }.map { "att\($0)" }
        if !prop1.isEmpty { text += "    propagate \(prop1.joined(separator: " "))\n" }
        var dests1: Set<String> = []
        for o in far where chance(0.5) {
            let d = pick(["10.\(o).0.0/16", "10.\(o).1.0/24"])
            if dests1.insert(d).inserted { text += "    route \(d) " + (chance(0.1) ? "blackhole" : chance(0.08) ? "-> back" : "-> att\(o)") + "\n" }
        }
        text += "  }\n"
        text += "}\n"
    }

    // MARK: Queries

    mutating func query() -> ReferenceWalker.Query {
        typealias E = ReferenceWalker.QueryEndpoint
        let all = instances.flatMap { i in i.interfaces.map { (i, $0) } }
        let v6Capable = all.filter { $0.1.ipv6 != nil }
        let v6 = !v6Capable.isEmpty && chance(edgeFocus ? 0.05 : 0.25)
        var proto: UInt8 = pick([6, 6, 6, 6, 6, 17, 17, 1, 1, 47])
        if v6 && proto == 1 { proto = 58 }
        var port: UInt16 = switch proto {
        case 6, 17: pick([22, 80, 443, 443, 5432, 53, 8080, 8085, 3000])
        case 1: pick([8, 8, 8, 13, 3, 0])
        case 58: pick([128, 128, 129])
        default: 0
        }
        let sourcePort: UInt16 = chance(0.3) ? UInt16(int(1024...65535)) : pick([1024, 1500, 32768, 40000, 49152, 55000, 60999, 61000, 65535])
        let internetHost: String = v6 ? "2606:4700::\(int(1...0xfff))" : "198.51.100.\(int(1...254))"
        // Source: an interface (by instance.interface, sometimes the bare instance name) or the internet.
        var source: E
        var srcName = ""
        var srcInstance = ""
        if !all.isEmpty && chance(0.85) {
            let (i, f) = v6 && chance(0.8) ? pick(v6Capable) : pick(all)
            srcName = "\(i.name).\(f.name)"
            srcInstance = i.name
            source = .interface(f.name == "eth0" && chance(0.3) ? i.name : srcName)
        } else {
            source = .internet(try! IPAddress(internetHost))
        }
        // Destination.
        var candidates: [E] = []
        let r = int(0...99)
        // Not the source's own instance (an instance's packets to its own addresses never leave it).
        let others = all.filter { $0.0.name != srcInstance }
        if r < 25, !others.isEmpty {
            let (i, f) = pick(others)
            candidates.append(.interface("\(i.name).\(f.name)"))
        } else if r < 45, !others.isEmpty {
            let (_, f) = pick(others)
            if v6, let x = f.ipv6 { candidates.append(.address(try! IPAddress(x))) }
            else if let s = f.secondary, chance(0.4) { candidates.append(.address(try! IPAddress(s))) }
            else { candidates.append(.address(try! IPAddress(f.ip))) }
        } else if r < 60, let (_, f) = others.filter({ $0.1.publicIP != nil }).randomElementSeeded(&rng), !v6 {
            candidates.append(.address(try! IPAddress(f.publicIP!)))
        } else if r < 70 {
            let s = pick(subnets)
            if v6, let p = s.v6 { candidates.append(.address(try! IPAddress("\(p)::\(String(int(60...99), radix: 16))"))) }
            else { candidates.append(.address(try! IPAddress(s.address(int(60...99))))) }
        } else if r < 75 {
            let s = pick(subnets)
            // Reserved: network, router, +3, broadcast (+2 is the Amazon DNS resolver on the primary block: excluded).
            if v6, let p = s.v6 { candidates.append(.address(try! IPAddress(pick(["\(p)::1", "\(p)::2", "\(p)::3", "\(p):ffff:ffff:ffff:ffff"])))) }
            else { candidates.append(.address(try! IPAddress(s.address(pick([0, 1, 3, 255]))))) }
        } else if r < 90 || !v6 {
            if case .internet = source, !all.isEmpty { candidates.append(.interface(pick(all).0.name)) }
            else { candidates.append(.internet(try! IPAddress(v6 ? internetHost : "203.0.113.\(int(1...254))"))) }
        } else {
            candidates.append(.address(.v6(IPv6Address(high: 0x0064_ff9b_0000_0000, low: UInt64(IPv4Address(203, 0, 113, UInt8(int(1...254))).bits)))))
        }
        var destination = candidates.first ?? .internet(try! IPAddress("203.0.113.9"))
        // Across the TGW peering: between a VPC on tgw and one on tgwb (either way), now and then.
        if tgwPeering && !v6 && chance(0.3) {
            let near = all.filter { vpcs[$0.0.vpc].attached && !vpcs[$0.0.vpc].farSide }
            let far = all.filter { vpcs[$0.0.vpc].farSide }
            if let a = near.randomElementSeeded(&rng), let b = far.randomElementSeeded(&rng) {
                let (x, y) = chance(0.5) ? (a, b) : (b, a)
                source = .interface("\(x.0.name).\(x.1.name)")
                destination = chance(0.7) ? .interface("\(y.0.name).\(y.1.name)") : .address(try! IPAddress(y.1.ip))
            }
        }
        // Issue 18: on premises, the service's addresses, interface endpoints (as destination only).
        if edges && !v6 && chance(edgeFocus ? 0.85 : 0.55) {
            let vgws = vpcs.filter(\.vgw).map(\.index)
            let ieps = vpcs.filter { !$0.interfaceEndpoint.isEmpty }
            let host = int(1...254)
            let hq = !tgwEdgeAttachments.isEmpty
            func onPremHost(_ rng: inout SplitMix64) -> E? {
                guard !vgws.isEmpty || hq else { return nil }
                let k = Int(rng.next() % UInt64(vgws.count + (hq ? (edgeFocus ? 4 : 2) : 0)))
                let o = k < vgws.count ? vgws[k] : 50
                return .onPrem(o == 50 ? "hq" : "dc\(o)", try! IPAddress(rng.next() % 2 == 0 ? "192.168.\(o).\(host)" : "172.16.\(o).\(host)"))
            }
            let r = int(0...9)
            if r < 3, !all.isEmpty, let h = onPremHost(&rng) {
                // From on premises to an instance (private or public), an unheld address or an endpoint ENI.
                source = h
                let k = int(0...3)
                if k == 0, let e = ieps.randomElementSeeded(&rng), let x = e.interfaceEndpoint.randomElementSeeded(&rng) {
                    destination = .address(try! IPAddress(x.ip))
                } else if k == 1, let (_, f) = all.filter({ $0.1.publicIP != nil }).randomElementSeeded(&rng) {
                    destination = .address(try! IPAddress(f.publicIP!))
                } else if case .onPrem("hq", _) = h, let (i, _) = all.filter({ vpcs[$0.0.vpc].attached }).randomElementSeeded(&rng), chance(0.8) {
                    // hq is behind the TGW: mostly toward attached VPCs.
                    destination = .interface(i.name)
                } else {
                    destination = .interface(pick(all).0.name)
                }
            } else if case .interface = source {
                if r < 5, let h = onPremHost(&rng) { destination = h }
                else if r < 6, let o = vgws.randomElementSeeded(&rng) { destination = .address(try! IPAddress("10.20\(o).0.\(host)")) }
                else if r < 8 || ieps.isEmpty, vpcs.contains(where: \.gatewayEndpoint) {
                    destination = .address(try! IPAddress(chance(0.5) ? "52.216.\(int(0...255)).\(host)" : "3.5.\(int(0...31)).\(host)"))
                } else if let e = ieps.randomElementSeeded(&rng) {
                    if chance(0.5), let x = e.interfaceEndpoint.randomElementSeeded(&rng) { destination = .address(try! IPAddress(x.ip)) }
                    else { destination = .interface("\(e.name)ssm") }
                }
            }
        }
        // Internet to internet is not a question (the CLI exits 2).
        if case .internet = source, !all.isEmpty {
            switch destination {
            case .internet: destination = .interface(pick(all).0.name)
            case .address(let a) where ReferenceWalker.isNAT64(a): destination = .interface(pick(all).0.name)
            default: break
            }
        }
        if !v6, case .internet(let a) = source, a.family == .ipv6 { source = .internet(try! IPAddress("198.51.100.7")) }
        // Issue 23: to a load balancer (by name or a node's address), mostly on a listener port.
        if !v6, !lbInfo.isEmpty, lbChance(0.3) {
            let lb = lbPick(lbInfo)
            destination = lbChance(0.5) ? .interface(lb.name) : .address(try! IPAddress(lbPick(lb.nodes)))
            if proto == 6 || proto == 17, lbChance(0.8) { port = lbPick(lb.ports) }
        }
        return ReferenceWalker.Query(source: source, destination: destination, proto: proto, port: port, sourcePort: sourcePort)
    }
}

import IPAddressing

extension Array {
    func shuffledSeeded(_ rng: inout SplitMix64) -> [Element] {
        var a = self
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return a
    }
    func randomElementSeeded(_ rng: inout SplitMix64) -> Element? {
        isEmpty ? nil : self[Int(rng.next() % UInt64(count))]
    }
}
