import Reachability

// The drawing as a value: nested clusters, nodes and edges with stable ids (Docs/GRAPH.md). Built by
// ``DiagramBuilder`` from a resolved topology, marked with a path by ``Diagram/overlay(_:)``, and printed by
// ``DOTRenderer`` and ``MermaidRenderer``. Nothing here is text of a diagram language: names stay data until a
// renderer escapes them.

/// How much of each VPC a diagram shows.
public enum DiagramDetail: String, Hashable, Sendable, CaseIterable {
    /// One node per VPC (its blocks and counts), with its gateways.
    case vpc
    /// VPCs as clusters, availability zones inside them, a node per subnet (CIDR, route table, NACL).
    case subnet
    /// As `subnet`, with subnets as clusters holding their instances, NAT gateways and endpoint interfaces.
    case interface

    /// Interfaces (instance interfaces and interface-endpoint ENIs) at most this many: `interface` detail by default.
    public static let interfaceThreshold = 40
    /// Subnets at most this many (and more interfaces than ``interfaceThreshold``): `subnet` detail by default;
    /// more subnets: `vpc`.
    public static let subnetThreshold = 150

    /// The default detail for a drawing of `subnets` subnets and `interfaces` interfaces.
    public static func automatic(subnets: Int, interfaces: Int) -> DiagramDetail {
        if interfaces <= interfaceThreshold && subnets <= subnetThreshold { return .interface }
        if subnets <= subnetThreshold { return .subnet }
        return .vpc
    }
}

/// What a node stands for (its shape and colour in every renderer).
public enum DiagramNodeKind: String, Hashable, Sendable {
    case vpc, subnet, instance, natGateway = "nat-gateway", internetGateway = "internet-gateway"
    case egressOnlyGateway = "egress-only-gateway", vpnGateway = "vpn-gateway", vpcEndpoint = "vpc-endpoint"
    case peering, transitGateway = "transit-gateway", tgwAttachment = "tgw-attachment"
    case tgwRouteTable = "tgw-route-table", customerGateway = "customer-gateway", vpnConnection = "vpn-connection"
    case virtualInterface = "dx-vif", directConnectGateway = "dx-gateway", onPremises = "onprem", internet
    /// Added only to draw a path through it: a security group, a VPC route table, a NACL.
    case securityGroup = "security-group", routeTable = "route-table", networkACL = "network-acl"
    /// A key of the change legend (``Diagram/overlay(_:edgeLimit:)``): what green and red mean.
    case legend
}

/// What a cluster groups.
public enum DiagramClusterKind: String, Hashable, Sendable {
    case vpc, availabilityZone = "az", subnet, transitGateway = "transit-gateway", onPremises = "onprem"
    /// The legend of a change drawing.
    case legend
}

/// How an edge is drawn.
public enum DiagramEdgeKind: String, Hashable, Sendable {
    /// A gateway or endpoint to what it connects (VPC to IGW, IGW to the internet, NAT to its subnet).
    case link
    /// A VPC peering connection.
    case peering
    /// A TGW attachment to its VPC, VPN connection, DX gateway or peer.
    case attachment
    /// A TGW attachment to its associated route table.
    case association
    /// A Site-to-Site VPN connection.
    case vpn
    /// Direct Connect (virtual interface, DX gateway association).
    case directConnect = "dx"
    /// An on-premises network announced over an edge.
    case announcement
    /// A step of the drawn path, request direction.
    case pathForward = "path-forward"
    /// A step of the drawn path, reply direction.
    case pathReturn = "path-return"
    /// Connections a change opens between two parties (green), labelled with the traffic.
    case opened
    /// Connections a change closes between two parties (red), labelled with the traffic.
    case closed
}

/// Which way a change moved a connection (``ConnectionDiff/opened`` or ``ConnectionDiff/closed``).
public enum DiagramChange: String, Hashable, Sendable, Comparable {
    case opened, closed
    public static func < (a: DiagramChange, b: DiagramChange) -> Bool { a == .opened && b == .closed }
}

/// A node: a stable id (from its kind and model name), the lines of its label, and any path marks.
public struct DiagramNode: Hashable, Sendable {
    public var id: String
    public var kind: DiagramNodeKind
    /// Label lines, as data (renderers escape them).
    public var lines: [String]
    /// The path steps (numbers, ``Diagram/pathSteps``) at this component, in order.
    public var hops: [Int] = []
    /// The reason the path stops here, when it does: the explanation code and the rule.
    public var blocked: DiagramBlock?
    /// The changes (``Diagram/overlay(_:edgeLimit:)``) to this party's connections: opened, closed or both.
    public var changes: Set<DiagramChange> = []
    /// The lint findings (numbers, ``Diagram/findings``) located on this component, in order.
    public var findings: [Int] = []
    public init(id: String, kind: DiagramNodeKind, lines: [String]) {
        self.id = id
        self.kind = kind
        self.lines = lines
    }
    /// True when the path passes or stops here.
    public var isHighlighted: Bool { !hops.isEmpty || blocked != nil }
}

/// Where and why a path is blocked, as the trace's explanation says.
public struct DiagramBlock: Hashable, Sendable {
    /// `SUBNET_ACL_RESTRICTION`.
    public var code: String
    public var direction: PathDirection
    /// The rule that refused, when the explanation names one (`inbound 200 deny tcp 5432 from 10.0.0.0/8`).
    public var rule: String?
    /// The explanation's sentence.
    public var detail: String
}

/// A cluster: a VPC, an availability zone, a subnet (interface detail), a TGW, on-premises.
public struct DiagramCluster: Hashable, Sendable {
    public var id: String
    public var kind: DiagramClusterKind
    public var lines: [String]
    public var clusters: [DiagramCluster] = []
    public var nodes: [DiagramNode] = []
    public init(id: String, kind: DiagramClusterKind, lines: [String]) {
        self.id = id
        self.kind = kind
        self.lines = lines
    }
}

/// An edge between two node ids.
public struct DiagramEdge: Hashable, Sendable {
    public var from: String
    public var to: String
    public var kind: DiagramEdgeKind
    public var label: String?
    public init(from: String, to: String, kind: DiagramEdgeKind, label: String? = nil) {
        self.from = from
        self.to = to
        self.kind = kind
        self.label = label
    }
}

/// One numbered step of a drawn path: the trace's hop and the node that shows it.
public struct DiagramPathStep: Hashable, Sendable {
    /// 1-based, forward hops first, then the return hops.
    public var number: Int
    public var direction: PathDirection
    /// The hop's component, as the trace names it.
    public var component: ComponentRef
    /// The hop's action (``StepAction/kind``).
    public var action: String
    /// The hop's action in words (``ReachMessages/text(_:)-(StepAction)``: `egress allowed`).
    public var actionText: String
    /// The rule that decided, as the trace prints it.
    public var rule: String?
    /// The node drawing the component.
    public var nodeID: String
}

/// A whole drawing.
public struct Diagram: Hashable, Sendable {
    public var title: String
    public var detail: DiagramDetail
    public var clusters: [DiagramCluster] = []
    /// Nodes outside every cluster (the internet, VPN connections, VPCs at `vpc` detail, …).
    public var nodes: [DiagramNode] = []
    public var edges: [DiagramEdge] = []
    /// The drawn path's steps, in order (empty without a path).
    public var pathSteps: [DiagramPathStep] = []
    /// The path's answer (`reachable`, `blocked`, …) when a path is drawn.
    public var pathDisposition: String?
    /// The drawn change's entries (``Diagram/overlay(_:edgeLimit:)``), opened first; empty without one.
    public var changeEntries: [DiagramChangeEntry] = []
    /// Changed connections not drawn as edges (beyond the edge limit): the entries still list them.
    public var changeEdgesOmitted = 0
    /// The lint findings drawn (``Diagram/overlay(findings:topology:)``), numbered from 1 in this order.
    public var findings: [DiagramFinding] = []
    /// The node drawing each component a trace can name (path drawing reads it).
    var components: [ComponentKey: String] = [:]
    /// The VPC of each drawn node that belongs to one.
    var componentVPC: [String: String] = [:]
    /// Nodes drawn only when a path passes them.
    var placements: [ComponentKey: [Placement]] = [:]
    /// Per subnet: its VPC and the cluster path-only nodes go in (``Builder/subnetCluster``).
    var subnetVPC: [String: String] = [:]
    var subnetCluster: [String: String] = [:]
    /// The subnet of each instance interface, by the name a trace gives it.
    var componentSubnet: [ComponentKey: String] = [:]
    public init(title: String, detail: DiagramDetail) {
        self.title = title
        self.detail = detail
    }

    /// Every node, clusters' first (depth first), in drawing order.
    public var allNodes: [DiagramNode] {
        var out: [DiagramNode] = []
        func walk(_ c: DiagramCluster) {
            for k in c.clusters { walk(k) }
            out += c.nodes
        }
        for c in clusters { walk(c) }
        return out + nodes
    }

    /// The ids of the nodes a path passes or stops at.
    public var highlightedNodeIDs: Set<String> { Set(allNodes.filter(\.isHighlighted).map(\.id)) }

    /// Applies `body` to the node with id `id` wherever it is; false when there is none.
    @discardableResult
    mutating func updateNode(_ id: String, _ body: (inout DiagramNode) -> Void) -> Bool {
        func visit(_ c: inout DiagramCluster) -> Bool {
            if let i = c.nodes.firstIndex(where: { $0.id == id }) { body(&c.nodes[i]); return true }
            for k in c.clusters.indices where visit(&c.clusters[k]) { return true }
            return false
        }
        if let i = nodes.firstIndex(where: { $0.id == id }) { body(&nodes[i]); return true }
        for k in clusters.indices where visit(&clusters[k]) { return true }
        return false
    }

    /// Applies `body` to every node once: the nodes outside clusters first, then each cluster's own nodes before
    /// its inner clusters' (the order ``updateNode(_:_:)`` searches in).
    mutating func updateNodes(_ body: (inout DiagramNode) -> Void) {
        func visit(_ c: inout DiagramCluster) {
            for i in c.nodes.indices { body(&c.nodes[i]) }
            for k in c.clusters.indices { visit(&c.clusters[k]) }
        }
        for i in nodes.indices { body(&nodes[i]) }
        for k in clusters.indices { visit(&clusters[k]) }
    }

    /// Adds `node` the way ``add(_:inCluster:)`` does, found through `index` when there is one (and recorded in
    /// it), so that a batch of marks does not search the drawing for each.
    mutating func place(_ node: DiagramNode, inCluster clusterID: String?, _ index: inout DiagramIndex?) {
        guard index != nil else { add(node, inCluster: clusterID); return }
        index?.drawn.insert(node.id)
        guard let clusterID, let path = index?.clusterPaths[clusterID], let top = path.first else { nodes.append(node); return }
        func put(_ c: inout DiagramCluster, _ rest: ArraySlice<Int>) {
            if let k = rest.first { put(&c.clusters[k], rest.dropFirst()) } else { c.nodes.append(node) }
        }
        put(&clusters[top], path.dropFirst())
    }

    /// True when a node with id `id` is drawn (looked up in `index` when there is one).
    func hasNode(_ id: String, _ index: DiagramIndex?) -> Bool {
        if let index { return index.drawn.contains(id) }
        return allNodes.contains { $0.id == id }
    }

    /// Adds `node` to the cluster with id `clusterID` (nil or not found: outside every cluster).
    mutating func add(_ node: DiagramNode, inCluster clusterID: String?) {
        func visit(_ c: inout DiagramCluster) -> Bool {
            if c.id == clusterID { c.nodes.append(node); return true }
            for k in c.clusters.indices where visit(&c.clusters[k]) { return true }
            return false
        }
        if clusterID != nil {
            for k in clusters.indices where visit(&clusters[k]) { return }
        }
        nodes.append(node)
    }
}

/// What marking many components at once (a lint run's findings, a diff's parties) needs so as not to search the
/// drawing for each: the ids of the drawn nodes and where each cluster is (its path of indices, the first of an id
/// in ``Diagram/add(_:inCluster:)``'s search order). Clusters do not move while marks are added; nodes only join,
/// through ``Diagram/place(_:inCluster:_:)``, which records them.
struct DiagramIndex {
    var drawn: Set<String> = []
    var clusterPaths: [String: [Int]] = [:]
    init(_ d: Diagram) {
        func visit(_ c: DiagramCluster, _ path: [Int]) {
            if clusterPaths[c.id] == nil { clusterPaths[c.id] = path }
            for n in c.nodes { drawn.insert(n.id) }
            for (k, inner) in c.clusters.enumerated() { visit(inner, path + [k]) }
        }
        for n in d.nodes { drawn.insert(n.id) }
        for (k, c) in d.clusters.enumerated() { visit(c, [k]) }
    }
}

/// Stable identifiers: a kind prefix and the model name with every byte outside `[A-Za-z0-9]` written as `_XX`
/// (hex), so distinct names give distinct ids, every id is a plain word in DOT and Mermaid, and no name can
/// end an id, a string or a statement.
public enum DiagramID {
    /// `subnet_web_2Da` for subnet `web-a`.
    public static func make(_ kind: String, _ name: String) -> String {
        var out = kind + "_"
        out.reserveCapacity(kind.count + 1 + name.utf8.count)
        for b in name.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "_"
                out.unicodeScalars.append(hexDigit(b >> 4))
                out.unicodeScalars.append(hexDigit(b & 0xF))
            }
        }
        return out
    }
    private static func hexDigit(_ v: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "A") + v - 10)
    }
}

/// Label text shared by the renderers.
enum DiagramText {
    /// The longest label line drawn, in Unicode scalars (a name of AWS's maximum length, 256, still fits with its
    /// kind; Graphviz refuses strings over 16,384 bytes).
    static let maximumLine = 300
    /// `line`, cut to ``maximumLine`` scalars with a trailing `…` when longer.
    static func clip(_ line: String) -> String {
        let scalars = line.unicodeScalars
        guard scalars.count > maximumLine else { return line }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars.prefix(maximumLine - 1))
        out.append("\u{2026}")
        return String(out)
    }
}
