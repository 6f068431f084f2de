import IPAddressing
import NetworkModel
import Reachability
import Reporting

/// Why a diagram cannot be drawn as asked.
public enum DiagramError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `--focus NAME` names no VPC or transit gateway (by name or AWS id); `suggestion`: the closest name.
    case unknownFocus(String, suggestion: String?)
    public var description: String {
        switch self {
        case .unknownFocus(let name, let suggestion):
            "no VPC or transit gateway named '\(Diagnostic.escaped(name))'"
                + (suggestion.map { "; did you mean '\(Diagnostic.escaped($0))'?" } ?? "")
        }
    }
}

/// The component a trace names, as the key the diagram indexes its nodes by.
struct ComponentKey: Hashable, Sendable {
    var kind: ComponentKind
    var name: String
}

/// Turns a resolved topology into a ``Diagram``: sorted by name at every level (so a diagram diffs well), ids
/// from the model's kinds and names (``DiagramID``).
public enum DiagramBuilder {
    /// `--focus VPC` draws the other VPCs of the focus's transit gateways when a gateway has at most this many
    /// VPC attachments; a bigger hub is drawn with the focus's attachments (and their route tables) only.
    public static let focusAttachmentLimit = 12

    /// Draws `resolved` at `detail` (nil: ``DiagramDetail/automatic(subnets:interfaces:)`` over the drawn VPCs),
    /// the whole topology or, with `focus`, the VPC or transit gateway of that name (or AWS id) and what it
    /// connects to: its peers, its transit gateways and their other VPCs (as single nodes), its edges to
    /// on-premises.
    public static func build(_ resolved: ResolvedTopology, detail: DiagramDetail? = nil, focus: String? = nil,
                             title: String = "vpckit") -> Result<Diagram, DiagramError> {
        var b = Builder(resolved)
        if let focus {
            guard b.focus(on: focus) else {
                let names = resolved.topology.vpcs.map(\.name) + resolved.topology.transitGateways.map(\.name)
                return .failure(.unknownFocus(focus, suggestion: Suggest.closest(to: focus, in: names)))
            }
        }
        return .success(b.draw(detail: detail, title: title))
    }
}

/// Where a node drawn only for a path (a security group, route table, NACL) goes: its VPC's cluster.
struct Placement: Hashable, Sendable {
    var vpc: String
    var clusterID: String?
    var node: DiagramNode
}

struct Builder {
    let resolved: ResolvedTopology
    var t: Topology { resolved.topology }
    /// Per VPC (written order): drawn in full / drawn as one node (a neighbour of the focus).
    var full: [Bool]
    var stub: [Bool]
    var tgwIncluded: [Bool]
    var focused = false
    /// The focus, when it is a VPC.
    var focusVPC: String? = nil
    /// TGWs drawn with the focus VPC's attachments only (more than ``DiagramBuilder/focusAttachmentLimit`` VPCs).
    var tgwTrimmed: Set<Int> = []
    var vpcIndex: [String: Int] = [:]
    var tgwIndex: [String: Int] = [:]

    var diagram = Diagram(title: "vpckit", detail: .subnet)
    /// Every node drawn for a component a trace can name.
    var components: [ComponentKey: String] = [:]
    /// The VPC each drawn component belongs to (path drawing keeps VPC-scoped names in the walk's VPC).
    var componentVPC: [String: String] = [:]
    /// Nodes drawn only when a path passes them, by the component a trace names.
    var placements: [ComponentKey: [Placement]] = [:]
    /// Per subnet drawn: its VPC, and the cluster a path's security group, table or NACL goes in when the path
    /// is in that subnet (its own cluster at interface detail, its zone's at subnet detail).
    var subnetVPC: [String: String] = [:]
    var subnetCluster: [String: String] = [:]
    /// The subnet of each instance interface (by the name a trace gives it).
    var componentSubnet: [ComponentKey: String] = [:]
    var internetUsed = false
    var seenEdges: Set<String> = []

    init(_ resolved: ResolvedTopology) {
        self.resolved = resolved
        let n = resolved.topology.vpcs.count
        full = Array(repeating: true, count: n)
        stub = Array(repeating: false, count: n)
        tgwIncluded = Array(repeating: true, count: resolved.topology.transitGateways.count)
        for (i, v) in resolved.topology.vpcs.enumerated() where vpcIndex[v.name] == nil {
            vpcIndex[v.name] = i
            if let id = v.id, vpcIndex[id] == nil { vpcIndex[id] = i }
        }
        for (i, g) in resolved.topology.transitGateways.enumerated() where tgwIndex[g.name] == nil {
            tgwIndex[g.name] = i
            if let id = g.id, tgwIndex[id] == nil { tgwIndex[id] = i }
        }
    }

    // MARK: Scope

    /// Restricts the drawing to `name` (a VPC or TGW, by name or id) and its neighbourhood; false: no such one.
    mutating func focus(on name: String) -> Bool {
        let vpc = t.vpcs.firstIndex { $0.name == name } ?? t.vpcs.firstIndex { $0.id == name }
        let tgw = vpc == nil ? (t.transitGateways.firstIndex { $0.name == name } ?? t.transitGateways.firstIndex { $0.id == name }) : nil
        guard vpc != nil || tgw != nil else { return false }
        focused = true
        for i in full.indices { full[i] = false }
        for i in tgwIncluded.indices { tgwIncluded[i] = false }
        if let v = vpc {
            full[v] = true
            let vname = t.vpcs[v].name
            for p in t.peerings where p.requester == vname || p.accepter == vname {
                let other = p.requester == vname ? p.accepter : p.requester
                if let o = vpcIndex[other], o != v { stub[o] = true }
            }
            focusVPC = vname
            for (g, tgw) in t.transitGateways.enumerated() where tgw.attachments.contains(where: { $0.kind == .vpc && $0.vpc == vname }) {
                tgwIncluded[g] = true
                // A hub with many VPCs: only the focus's attachments and their route tables (`--focus TGW` draws all).
                if tgw.attachments.count(where: { $0.kind == .vpc }) > DiagramBuilder.focusAttachmentLimit { tgwTrimmed.insert(g) }
            }
        }
        if let tgw { tgwIncluded[tgw] = true }
        for (g, tgw) in t.transitGateways.enumerated() where tgwIncluded[g] && !tgwTrimmed.contains(g) {
            for a in tgw.attachments where a.kind == .vpc {
                if let o = vpcIndex[a.vpc], !full[o] { stub[o] = true }
            }
        }
        return true
    }

    // MARK: Drawing

    mutating func draw(detail requested: DiagramDetail?, title: String) -> Diagram {
        var subnets = 0, interfaces = 0
        for (i, v) in t.vpcs.enumerated() where full[i] {
            subnets += v.subnets.count
            interfaces += v.instances.reduce(0) { $0 + $1.interfaces.count }
            interfaces += v.endpoints.reduce(0) { $0 + $1.subnets.count }
        }
        let detail = requested ?? DiagramDetail.automatic(subnets: subnets, interfaces: interfaces)
        diagram = Diagram(title: title, detail: detail)

        for i in sortedIndices(t.vpcs.map(\.name)) {
            if full[i] { drawVPC(i, detail: detail) } else if stub[i] { drawStubVPC(i) }
        }
        drawPeerings()
        for g in sortedIndices(t.transitGateways.map(\.name)) where tgwIncluded[g] { drawTransitGateway(g) }
        drawEdges()
        if internetUsed {
            diagram.nodes.append(DiagramNode(id: "internet", kind: .internet, lines: ["internet"]))
            components[ComponentKey(kind: .internet, name: "internet")] = "internet"
        }
        // An edge whose end is not drawn (a name validation reports, a component outside the focus) is left out.
        let ids = Set(diagram.allNodes.map(\.id))
        diagram.edges.removeAll { !ids.contains($0.from) || !ids.contains($0.to) }
        diagram.components = components
        diagram.componentVPC = componentVPC
        diagram.placements = placements
        diagram.subnetVPC = subnetVPC
        diagram.subnetCluster = subnetCluster
        diagram.componentSubnet = componentSubnet
        return diagram
    }

    /// Indices of `names` sorted by name (then written order): the drawing's order everywhere.
    func sortedIndices(_ names: [String]) -> [Int] {
        names.indices.sorted { names[$0] != names[$1] ? NameOrder.less(names[$0], names[$1]) : $0 < $1 }
    }

    mutating func register(_ kind: ComponentKind, _ name: String, _ id: String, vpc: String? = nil) {
        let key = ComponentKey(kind: kind, name: name)
        if components[key] == nil { components[key] = id }
        if let vpc { componentVPC[id] = vpc }
    }

    mutating func edge(_ from: String, _ to: String, _ kind: DiagramEdgeKind, _ label: String? = nil, undirectedKey: Bool = true) {
        // One edge per pair and kind (a peering or VPN drawn from both of its ends is drawn once).
        let a = undirectedKey ? min(from, to) : from, b = undirectedKey ? max(from, to) : to
        let key = "\(a) \(b) \(kind.rawValue)"
        guard seenEdges.insert(key).inserted else { return }
        diagram.edges.append(DiagramEdge(from: from, to: to, kind: kind, label: label))
    }

    func vpcLines(_ v: VPC) -> [String] {
        var lines = ["VPC " + v.name]
        if let id = v.id { lines.append(id) }
        let blocks = v.cidrs.map(\.description) + v.ipv6Cidrs.map(\.description)
        if !blocks.isEmpty { lines.append(listLine("", blocks)) }
        let place = [v.account, v.region].compactMap { $0 }
        if !place.isEmpty { lines.append(place.joined(separator: " / ")) }
        return lines
    }

    mutating func drawStubVPC(_ i: Int) {
        let v = t.vpcs[i]
        let id = DiagramID.make("vpc", v.name)
        var lines = vpcLines(v)
        lines.append("(not expanded)")
        diagram.nodes.append(DiagramNode(id: id, kind: .vpc, lines: lines))
        register(.vpc, v.name, id, vpc: v.name)
    }

    mutating func drawVPC(_ i: Int, detail: DiagramDetail) {
        let v = t.vpcs[i]
        let rv = resolved.vpcs[i]
        let vpcID = DiagramID.make("vpc", v.name)
        register(.vpc, v.name, vpcID, vpc: v.name)
        if detail == .vpc {
            var lines = vpcLines(v)
            var counts = ["\(v.subnets.count) subnet" + (v.subnets.count == 1 ? "" : "s")]
            if !v.instances.isEmpty { counts.append("\(v.instances.count) instance" + (v.instances.count == 1 ? "" : "s")) }
            if !v.natGateways.isEmpty { counts.append("\(v.natGateways.count) NAT") }
            if !v.endpoints.isEmpty { counts.append("\(v.endpoints.count) endpoint" + (v.endpoints.count == 1 ? "" : "s")) }
            lines.append(counts.joined(separator: ", "))
            diagram.nodes.append(DiagramNode(id: vpcID, kind: .vpc, lines: lines))
            diagram.nodes += drawGateways(v, vpcID: vpcID)
            addPlacements(i, clusterID: nil)
            return
        }
        let clusterID = vpcClusterID(v.name)
        var cluster = DiagramCluster(id: clusterID, kind: .vpc, lines: vpcLines(v))
        cluster.nodes.append(DiagramNode(id: vpcID, kind: .vpc, lines: ["VPC router", v.cidrs.first?.description ?? ""].filter { !$0.isEmpty }))

        // Availability zones, each with its subnets (sorted by zone, then name).
        var zones: [String: [Int]] = [:]
        for (s, subnet) in v.subnets.enumerated() { zones[subnet.availabilityZone ?? "(no zone)", default: []].append(s) }
        var natsBySubnet: [String: [Int]] = [:]
        for (n, nat) in v.natGateways.enumerated() { natsBySubnet[nat.subnet, default: []].append(n) }
        var instancesBySubnet: [String: [(Int, Int)]] = [:]
        for (k, inst) in v.instances.enumerated() {
            for (e, iface) in inst.interfaces.enumerated() { instancesBySubnet[iface.subnet, default: []].append((k, e)) }
        }
        for zone in zones.keys.sorted(by: NameOrder.less) {
            let zoneID = vpcClusterID(v.name) + "__" + DiagramID.make("az", zone)
            var zc = DiagramCluster(id: zoneID, kind: .availabilityZone, lines: [zone])
            let members = zones[zone] ?? []
            for s in members.sorted(by: { v.subnets[$0].name != v.subnets[$1].name ? NameOrder.less(v.subnets[$0].name, v.subnets[$1].name) : $0 < $1 }) {
                let subnet = v.subnets[s]
                let sid = SubnetID(rv.subnets.lower + Int32(s))
                let subnetID = DiagramID.make("subnet", subnet.name)
                register(.subnet, subnet.name, subnetID, vpc: v.name)
                subnetVPC[subnet.name] = v.name
                subnetCluster[subnet.name] = detail == .interface
                    ? vpcClusterID(v.name) + "__" + DiagramID.make("subnet", subnet.name) : zoneID
                var lines = [subnet.cidr.description]
                if let six = subnet.ipv6Cidr { lines.append(six.description) }
                let rs = resolved.subnets[sid.position]
                lines.append("route table " + resolved.name(of: rs.routeTable))
                lines.append("NACL " + (rs.networkACL.map { resolved.name(of: $0) } ?? "default (allow all)"))
                if subnet.mapPublicIP { lines.append("public IP on launch") }
                var natNodes: [DiagramNode] = []
                for n in (natsBySubnet[subnet.name] ?? []).sorted(by: { NameOrder.less(v.natGateways[$0].name, v.natGateways[$1].name) }) {
                    let nat = v.natGateways[n]
                    let natID = DiagramID.make("nat", nat.name)
                    register(.natGateway, nat.name, natID, vpc: v.name)
                    var nl = ["NAT " + nat.name]
                    switch nat.connectivity {
                    case .public(let eip): nl.append("public" + (eip.map { " " + $0.description } ?? ""))
                    case .private: nl.append("private")
                    }
                    natNodes.append(DiagramNode(id: natID, kind: .natGateway, lines: nl))
                    if detail != .interface { edge(natID, subnetID, .link) }
                }
                if detail == .interface {
                    var sc = DiagramCluster(id: vpcClusterID(v.name) + "__" + DiagramID.make("subnet", subnet.name),
                                            kind: .subnet, lines: ["subnet " + subnet.name])
                    sc.nodes.append(DiagramNode(id: subnetID, kind: .subnet, lines: lines))
                    sc.nodes += natNodes
                    let members = (instancesBySubnet[subnet.name] ?? []).sorted {
                        let a = v.instances[$0.0].name, b = v.instances[$1.0].name
                        return a != b ? NameOrder.less(a, b) : $0.1 < $1.1
                    }
                    for (k, e) in members {
                        let inst = v.instances[k], iface = inst.interfaces[e]
                        let name = e == 0 ? inst.name : inst.name + "." + iface.name
                        let nodeID = DiagramID.make("inst", name)
                        register(.instance, name, nodeID, vpc: v.name)
                        register(.networkInterface, name, nodeID, vpc: v.name)
                        componentSubnet[ComponentKey(kind: .instance, name: name)] = subnet.name
                        var il = [(e == 0 ? "instance " : "interface ") + name]
                        if e == 0, let id = inst.id { il.append(id) }
                        il.append(listLine("", ([iface.privateIP] + iface.secondaryIPs).map(\.description)))
                        if case .address(let p)? = iface.publicIP { il.append("public " + p.description) }
                        if !iface.securityGroups.isEmpty { il.append(listLine("sg ", iface.securityGroups)) }
                        if !iface.sourceDestCheck { il.append("source/dest check off") }
                        sc.nodes.append(DiagramNode(id: nodeID, kind: .instance, lines: il))
                        if e > 0 { edge(DiagramID.make("inst", inst.name), nodeID, .link) }
                    }
                    zc.clusters.append(sc)
                } else {
                    // Instances are drawn at interface detail; here only when a path passes them.
                    for (k, e) in instancesBySubnet[subnet.name] ?? [] {
                        let inst = v.instances[k], iface = inst.interfaces[e]
                        let name = e == 0 ? inst.name : inst.name + "." + iface.name
                        let node = DiagramNode(id: DiagramID.make("inst", name), kind: .instance,
                                               lines: [(e == 0 ? "instance " : "interface ") + name, iface.privateIP.description])
                        for kind in [ComponentKind.instance, .networkInterface] {
                            placements[ComponentKey(kind: kind, name: name), default: []]
                                .append(Placement(vpc: v.name, clusterID: zoneID, node: node))
                        }
                        componentSubnet[ComponentKey(kind: .instance, name: name)] = subnet.name
                    }
                    zc.nodes.append(DiagramNode(id: subnetID, kind: .subnet, lines: ["subnet " + subnet.name] + lines))
                    zc.nodes += natNodes
                }
            }
            cluster.clusters.append(zc)
        }
        cluster.nodes += drawGateways(v, vpcID: vpcID)
        diagram.clusters.append(cluster)
        addPlacements(i, clusterID: clusterID)
    }

    /// IGW, egress-only IGW, VGW and VPC endpoints of `v`, inside its cluster (or beside its node).
    mutating func drawGateways(_ v: VPC, vpcID: String) -> [DiagramNode] {
        var nodes: [DiagramNode] = []
        // The IGW and the egress-only IGW: a node linked to the VPC and to the internet.
        func internetFacing(_ component: ComponentKind, _ kind: DiagramNodeKind, _ prefix: String, _ label: String, _ name: String,
                            _ awsID: String?) {
            let id = DiagramID.make(prefix, name)
            register(component, name, id, vpc: v.name)
            nodes.append(DiagramNode(id: id, kind: kind, lines: [label + name] + (awsID.map { [$0] } ?? [])))
            edge(vpcID, id, .link)
            edge(id, "internet", .link)
            internetUsed = true
        }
        if let g = v.internetGateway { internetFacing(.internetGateway, .internetGateway, "igw", "internet gateway ", g.name, g.id) }
        if let g = v.egressOnlyGateway { internetFacing(.egressOnlyGateway, .egressOnlyGateway, "eigw", "egress-only IGW ", g.name, g.id) }
        if let g = v.vpnGateway {
            let id = DiagramID.make("vgw", g.name)
            register(.vpnGateway, g.name, id, vpc: v.name)
            if let gid = g.id { register(.vpnGateway, gid, id, vpc: v.name) }
            nodes.append(DiagramNode(id: id, kind: .vpnGateway, lines: ["VGW " + g.name] + (g.id.map { [$0] } ?? []) + (g.asn.map { ["ASN \($0)"] } ?? [])))
            edge(vpcID, id, .link)
        }
        if diagram.detail != .vpc {
            for e in v.endpoints.sorted(by: { NameOrder.less($0.name, $1.name) }) {
                let id = DiagramID.make("vpce", e.name)
                register(.vpcEndpoint, e.name, id, vpc: v.name)
                nodes.append(DiagramNode(id: id, kind: .vpcEndpoint,
                                         lines: ["\(e.kind.rawValue) endpoint " + e.name, e.service] + (e.id.map { [$0] } ?? [])))
                switch e.kind {
                case .gateway: edge(vpcID, id, .link)
                case .interface, .gatewayLoadBalancer:
                    for s in e.subnets.sorted(by: NameOrder.less) { edge(id, DiagramID.make("subnet", s), .link) }
                }
                // A GWLB endpoint's load balancer (drawn below, when in the same VPC).
                if e.kind == .gatewayLoadBalancer,
                   let lb = v.loadBalancers.first(where: { $0.kind == .gateway && ($0.name == e.service || $0.id == e.service) }) {
                    edge(id, DiagramID.make("gwlb", lb.name), .link)
                }
            }
            // Gateway Load Balancers, drawn as generic gateway nodes (an endpoint-like box) in their subnets.
            for lb in v.loadBalancers.sorted(by: { NameOrder.less($0.name, $1.name) }) where lb.kind == .gateway {
                let id = DiagramID.make("gwlb", lb.name)
                nodes.append(DiagramNode(id: id, kind: .vpcEndpoint, lines: ["gateway load balancer " + lb.name]))
                for s in lb.subnets.sorted(by: NameOrder.less) { edge(id, DiagramID.make("subnet", s), .link) }
            }
        }
        return nodes
    }

    /// Security groups, route tables and NACLs of VPC `i`: drawn only when a path passes them.
    mutating func addPlacements(_ i: Int, clusterID: String?) {
        let v = t.vpcs[i]
        func put(_ kind: ComponentKind, _ prefix: String, _ name: String, _ nodeKind: DiagramNodeKind, _ lines: [String]) {
            let id = DiagramID.make(prefix, v.name) + "__" + DiagramID.make("n", name)
            let p = Placement(vpc: v.name, clusterID: clusterID, node: DiagramNode(id: id, kind: nodeKind, lines: lines))
            placements[ComponentKey(kind: kind, name: name), default: []].append(p)
        }
        for g in v.securityGroups { put(.securityGroup, "sg", g.name, .securityGroup, ["security group " + g.name]) }
        if v.defaultSecurityGroup == nil { put(.securityGroup, "sg", "default", .securityGroup, ["security group default"]) }
        for r in v.routeTables { put(.routeTable, "rt", r.name, .routeTable, ["route table " + r.name]) }
        if !v.routeTables.contains(where: \.isMain) { put(.routeTable, "rt", v.name + "-main", .routeTable, ["route table " + v.name + "-main"]) }
        for a in v.networkACLs { put(.networkACL, "nacl", a.name, .networkACL, ["NACL " + a.name]) }
    }

    // MARK: Peering and transit gateways

    mutating func drawPeerings() {
        for p in t.peerings.sorted(by: { NameOrder.less($0.name, $1.name) }) {
            guard let a = vpcIndex[p.requester], let b = vpcIndex[p.accepter], full[a] || full[b],
                  full[a] || stub[a], full[b] || stub[b] else { continue }
            let id = DiagramID.make("pcx", p.name)
            register(.peering, p.name, id)
            diagram.nodes.append(DiagramNode(id: id, kind: .peering, lines: ["peering " + p.name] + (p.id.map { [$0] } ?? [])))
            edge(DiagramID.make("vpc", t.vpcs[a].name), id, .peering)
            edge(id, DiagramID.make("vpc", t.vpcs[b].name), .peering)
        }
    }

    mutating func drawTransitGateway(_ g: Int) {
        let tgw = t.transitGateways[g]
        let tgwID = DiagramID.make("tgw", tgw.name)
        register(.transitGateway, tgw.name, tgwID)
        let clusterID = DiagramID.make("cluster", "tgw") + "__" + DiagramID.make("tgw", tgw.name)
        var c = DiagramCluster(id: clusterID, kind: .transitGateway,
                               lines: ["transit gateway " + tgw.name] + (tgw.id.map { [$0] } ?? []))
        var tl = ["TGW " + tgw.name]
        if tgw.securityGroupReferencing { tl.append("security-group referencing on") }
        c.nodes.append(DiagramNode(id: tgwID, kind: .transitGateway, lines: tl))
        func attachmentID(_ name: String) -> String { DiagramID.make("tgwatt", tgw.name) + "__" + DiagramID.make("n", name) }
        let trimmed = tgwTrimmed.contains(g)
        let attachments = trimmed ? tgw.attachments.filter { $0.kind == .vpc && $0.vpc == focusVPC } : tgw.attachments
        if trimmed {
            let hidden = tgw.attachments.count - attachments.count
            c.nodes[0].lines.append("\(hidden) other attachment" + (hidden == 1 ? "" : "s") + " (--focus \(tgw.name))")
        }
        let drawnAttachments = Set(attachments.map(\.name))
        for a in attachments.sorted(by: { NameOrder.less($0.name, $1.name) }) {
            let id = attachmentID(a.name)
            register(.tgwAttachment, a.name, id, vpc: a.kind == .vpc ? a.vpc : nil)
            var lines = ["attachment " + a.name]
            if let aid = a.id { lines.append(aid) }
            switch a.kind {
            case .vpc:
                guard let v = vpcIndex[a.vpc], full[v] || stub[v] else { continue }
                lines.append("vpc " + a.vpc)
                if a.applianceMode { lines.append("appliance mode") }
                edge(id, DiagramID.make("vpc", t.vpcs[v].name), .attachment)
            case .vpn(let conn):
                lines.append("vpn " + conn)
                edge(id, DiagramID.make("vpn", conn), .attachment)
            case .directConnectGateway(let dx):
                lines.append("dx-gateway " + dx)
                edge(id, DiagramID.make("dxgw", dx), .attachment)
            case .peering(let other):
                lines.append("peering " + other)
                if let o = tgwIndex[other], tgwIncluded[o],
                   let back = t.transitGateways[o].attachments.first(where: { $0.kind == .peering(transitGateway: tgw.name) }) {
                    edge(id, DiagramID.make("tgwatt", t.transitGateways[o].name) + "__" + DiagramID.make("n", back.name), .attachment, "TGW peering")
                } else {
                    let otherID = DiagramID.make("tgw", other)
                    if !diagram.allNodes.contains(where: { $0.id == otherID }) && tgwIndex[other].map({ !tgwIncluded[$0] }) ?? true {
                        diagram.nodes.append(DiagramNode(id: otherID, kind: .transitGateway, lines: ["TGW " + other, "(not expanded)"]))
                    }
                    edge(id, otherID, .attachment, "TGW peering")
                }
            }
            c.nodes.append(DiagramNode(id: id, kind: .tgwAttachment, lines: lines))
        }
        for rt in tgw.routeTables.sorted(by: { NameOrder.less($0.name, $1.name) }) where !trimmed || rt.associations.contains(where: drawnAttachments.contains) {
            let id = DiagramID.make("tgwrt", tgw.name) + "__" + DiagramID.make("n", rt.name)
            register(.tgwRouteTable, rt.name, id)
            var lines = ["TGW route table " + rt.name]
            if let rid = rt.id { lines.append(rid) }
            if !rt.propagations.isEmpty { lines.append(listLine("propagations ", rt.propagations.sorted(by: NameOrder.less))) }
            if !rt.routes.isEmpty { lines.append("\(rt.routes.count) static route" + (rt.routes.count == 1 ? "" : "s")) }
            c.nodes.append(DiagramNode(id: id, kind: .tgwRouteTable, lines: lines))
            for a in rt.associations.sorted(by: NameOrder.less) where drawnAttachments.contains(a) && tgw.attachments.contains(where: { $0.name == a && ($0.kind != .vpc || vpcDrawn($0.vpc)) }) {
                edge(attachmentID(a), id, .association, "associated", undirectedKey: false)
            }
        }
        diagram.clusters.append(c)
    }

    /// `prefix a, b, c, … (+N more)`: at most `limit` items of a list, so that no label grows with the topology.
    func listLine(_ prefix: String, _ items: [String], limit: Int = 6) -> String {
        prefix + items.prefix(limit).joined(separator: ", ") + (items.count > limit ? ", … (+\(items.count - limit) more)" : "")
    }

    /// `cluster_vpc__vpc_NAME`: every cluster id but on-premises' has a `__` part, so no name collides with it.
    func vpcClusterID(_ name: String) -> String { "cluster_vpc__" + DiagramID.make("vpc", name) }

    func vpcDrawn(_ name: String) -> Bool { vpcIndex[name].map { full[$0] || stub[$0] } ?? false }

    // MARK: Edges to on-premises

    mutating func drawEdges() {
        // Which edge components are drawn: those ending on a drawn VGW or TGW, then what hangs off them.
        var vgwVPC: [String: Int] = [:]
        for (i, v) in t.vpcs.enumerated() {
            if let g = v.vpnGateway {
                vgwVPC[g.name] = vgwVPC[g.name] ?? i
                if let id = g.id { vgwVPC[id] = vgwVPC[id] ?? i }
            }
        }
        func vgwDrawn(_ name: String) -> Bool { vgwVPC[name].map { full[$0] } ?? false }
        func tgwDrawn(_ name: String) -> Bool { tgwIndex[name].map { tgwIncluded[$0] } ?? false }
        func vgwNode(_ name: String) -> String? {
            vgwVPC[name].flatMap { t.vpcs[$0].vpnGateway }.map { DiagramID.make("vgw", $0.name) }
        }
        var dxDrawn: Set<String> = []
        for dx in t.directConnectGateways {
            let byAssociation = dx.associations.contains { vgwDrawn($0.gateway) || tgwDrawn($0.gateway) }
            let byAttachment = t.transitGateways.enumerated().contains { g, tgw in
                tgwIncluded[g] && tgw.attachments.contains { a in
                    a.kind == .directConnectGateway(dx.name) || (dx.id.map { a.kind == .directConnectGateway($0) } ?? false)
                }
            }
            if !focused || byAssociation || byAttachment { dxDrawn.insert(dx.name) }
        }
        var edgeNames: Set<String> = []   // drawn edges, by name and id (on-premises announcements name them)
        var cgwUsed: Set<String> = []

        for dx in t.directConnectGateways.sorted(by: { NameOrder.less($0.name, $1.name) }) where dxDrawn.contains(dx.name) {
            let id = DiagramID.make("dxgw", dx.name)
            register(.directConnectGateway, dx.name, id)
            if let did = dx.id { register(.directConnectGateway, did, id) }
            edgeNames.insert(dx.name)
            if let did = dx.id { edgeNames.insert(did) }
            diagram.nodes.append(DiagramNode(id: id, kind: .directConnectGateway,
                                             lines: ["DX gateway " + dx.name] + (dx.id.map { [$0] } ?? []) + (dx.asn.map { ["ASN \($0)"] } ?? [])))
            for a in dx.associations {
                if let vgw = vgwNode(a.gateway), vgwDrawn(a.gateway) {
                    edge(id, vgw, .directConnect, "association")
                } else if let g = tgwIndex[a.gateway], tgwIncluded[g] {
                    edge(id, DiagramID.make("tgw", t.transitGateways[g].name), .directConnect, "association")
                }
            }
        }
        for vif in t.virtualInterfaces.sorted(by: { NameOrder.less($0.name, $1.name) }) {
            let end: String?
            switch vif.awsSide {
            case .vpnGateway(let g): end = vgwDrawn(g) ? vgwNode(g) : nil
            case .directConnectGateway(let d):
                let dx = t.directConnectGateways.first { $0.name == d || $0.id == d }
                end = dx.flatMap { dxDrawn.contains($0.name) ? DiagramID.make("dxgw", $0.name) : nil }
            }
            guard let end else { continue }
            let id = DiagramID.make("vif", vif.name)
            register(.virtualInterface, vif.name, id)
            if let vid = vif.id { register(.virtualInterface, vid, id) }
            edgeNames.insert(vif.name)
            if let vid = vif.id { edgeNames.insert(vid) }
            diagram.nodes.append(DiagramNode(id: id, kind: .virtualInterface,
                                             lines: ["\(vif.kind.rawValue) VIF " + vif.name] + (vif.id.map { [$0] } ?? []) + (vif.isAvailable ? [] : ["not available"])))
            edge(id, end, .directConnect)
        }
        for vpn in t.vpnConnections.sorted(by: { NameOrder.less($0.name, $1.name) }) {
            let end: String?
            switch vpn.awsSide {
            case .vpnGateway(let g): end = vgwDrawn(g) ? vgwNode(g) : nil
            case .transitGateway(let g):
                // The TGW's VPN attachment is drawn with the TGW (its edge reaches this node).
                end = tgwDrawn(g) ? "" : nil
            }
            guard let end else { continue }
            let id = DiagramID.make("vpn", vpn.name)
            register(.vpnConnection, vpn.name, id)
            if let vid = vpn.id { register(.vpnConnection, vid, id) }
            edgeNames.insert(vpn.name)
            if let vid = vpn.id { edgeNames.insert(vid) }
            var lines = ["VPN " + vpn.name]
            if let vid = vpn.id { lines.append(vid) }
            lines.append(vpn.staticRoutesOnly ? listLine("static ", vpn.staticRoutes.map(\.description)) : "BGP")
            if !vpn.tunnels.isEmpty && vpn.tunnels.allSatisfy({ $0 == .down }) { lines.append("tunnels down") }
            diagram.nodes.append(DiagramNode(id: id, kind: .vpnConnection, lines: lines))
            if !end.isEmpty { edge(end, id, .vpn) }
            cgwUsed.insert(vpn.customerGateway)
            edge(id, DiagramID.make("cgw", t.customerGateways.first { $0.name == vpn.customerGateway || $0.id == vpn.customerGateway }?.name ?? vpn.customerGateway), .vpn)
        }
        // VGWs announce too: an on-premises network may be announced "via VGW".
        for (name, i) in vgwVPC where full[i] { edgeNames.insert(name) }

        var onprem = DiagramCluster(id: DiagramID.make("cluster", "onprem"), kind: .onPremises, lines: ["on-premises"])
        for cgw in t.customerGateways.sorted(by: { NameOrder.less($0.name, $1.name) }) where !focused || cgwUsed.contains(cgw.name) || (cgw.id.map(cgwUsed.contains) ?? false) {
            let id = DiagramID.make("cgw", cgw.name)
            onprem.nodes.append(DiagramNode(id: id, kind: .customerGateway,
                                            lines: ["customer gateway " + cgw.name, cgw.address.description, "ASN \(cgw.asn)"]))
        }
        for n in t.onPremisesNetworks.sorted(by: { NameOrder.less($0.name, $1.name) }) {
            let announced = n.announcements.filter { edgeNames.contains($0.edge) }
            guard !focused || !announced.isEmpty else { continue }
            let id = DiagramID.make("onprem", n.name)
            register(.onPremises, n.name, id)
            onprem.nodes.append(DiagramNode(id: id, kind: .onPremises,
                                            lines: ["on-premises " + n.name, listLine("", n.prefixes.map(\.description))]))
            for a in announced {
                guard let target = edgeNodeID(a.edge, vgwNode: vgwNode) else { continue }
                var label = "announces"
                if let lp = a.localPreference { label += " (local-preference \(lp.rawValue))" }
                edge(id, target, .announcement, label, undirectedKey: false)
            }
        }
        if !onprem.nodes.isEmpty { diagram.clusters.append(onprem) }
    }

    /// The node of the edge component an announcement names (a VPN connection, VIF, VGW or DX gateway).
    func edgeNodeID(_ name: String, vgwNode: (String) -> String?) -> String? {
        for kind in [ComponentKind.vpnConnection, .virtualInterface, .directConnectGateway] {
            if let id = components[ComponentKey(kind: kind, name: name)] { return id }
        }
        return vgwNode(name)
    }
}

/// The drawing's order of names: runs of digits compare by value (`prv-2` before `prv-10`), everything else by
/// Unicode scalar value; names equal that way (`a01`, `a1`) by the standard order. A strict total order, so the
/// output never depends on the written order.
enum NameOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var i2 = i, j2 = j
                while i2 < x.count && isDigit(x[i2]) { i2 += 1 }
                while j2 < y.count && isDigit(y[j2]) { j2 += 1 }
                var si = i, sj = j
                while si < i2 - 1 && x[si] == "0" { si += 1 }
                while sj < j2 - 1 && y[sj] == "0" { sj += 1 }
                if i2 - si != j2 - sj { return i2 - si < j2 - sj }
                for k in 0..<(i2 - si) where x[si + k] != y[sj + k] { return x[si + k].value < y[sj + k].value }
                i = i2
                j = j2
                continue
            }
            if x[i] != y[j] { return x[i].value < y[j].value }
            i += 1
            j += 1
        }
        if (x.count - i) != (y.count - j) { return x.count - i < y.count - j }
        return a < b
    }
    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
}
