import NetworkModel
import Reachability

/// One entry of a drawn change: ``DiffEntry``'s sources, destinations and traffic, and the nodes showing them.
public struct DiagramChangeEntry: Hashable, Sendable {
    public var change: DiagramChange
    /// The parties as `vpckit diff` names them (`app-1`, `internet`, `onprem:office`).
    public var sources: [String]
    public var destinations: [String]
    /// The traffic gained or lost, as `vpckit diff` prints it (`tcp/8443`).
    public var traffic: String
    /// The nodes of ``sources`` and ``destinations`` (same order).
    public var sourceNodes: [String]
    public var destinationNodes: [String]
}

extension Diagram {
    /// The most edges a change drawing has for its changed connections; beyond, ``changeEdgesOmitted`` counts
    /// the rest (the entries, and every party's colour, still show them).
    public static let changeEdgeLimit = 200

    /// Colours `diff`'s answer (read from its typed entries, never re-derived) on a drawing of its NEW topology:
    /// every party of an opened entry is marked opened (green), of a closed one closed (red), of both both; one
    /// edge per source and destination of an entry (opened: green, closed: red, dashed), labelled with the
    /// traffic, at most `edgeLimit` in all; and a legend. A party the drawing has no node for (an instance at
    /// `subnet` detail, one only OLD has, one outside a `--focus`) gets one, as a path's hop does.
    public mutating func overlay(_ diff: ConnectionDiff, edgeLimit: Int = Diagram.changeEdgeLimit) {
        var seen: [String: Int] = [:]   // "from to kind" -> index in edges
        // One index and one pass to colour the parties, not a search of the drawing per party.
        var index: DiagramIndex? = DiagramIndex(self)
        var marks: [String: Set<DiagramChange>] = [:]
        for (change, entries) in [(DiagramChange.opened, diff.opened), (.closed, diff.closed)] {
            for e in entries {
                let traffic = DiffReport.traffic(e.grant)
                let sources = e.sources.map { partyNode($0, &index) }
                let destinations = e.destinations.map { partyNode($0, &index) }
                for id in sources + destinations { marks[id, default: []].insert(change) }
                changeEntries.append(DiagramChangeEntry(change: change, sources: e.sources.map(\.name),
                                                        destinations: e.destinations.map(\.name), traffic: traffic,
                                                        sourceNodes: sources, destinationNodes: destinations))
                for s in sources {
                    for d in destinations where s != d {
                        let kind: DiagramEdgeKind = change == .opened ? .opened : .closed
                        let key = "\(s) \(d) \(kind.rawValue)"
                        if let i = seen[key] {
                            edges[i].label = (edges[i].label.map { $0 + ", " } ?? "") + traffic
                        } else if seen.count < edgeLimit {
                            seen[key] = edges.count
                            edges.append(DiagramEdge(from: s, to: d, kind: kind, label: traffic))
                        } else {
                            changeEdgesOmitted += 1
                        }
                    }
                }
            }
        }
        if !marks.isEmpty {
            updateNodes { node in
                if let changes = marks.removeValue(forKey: node.id) { node.changes.formUnion(changes) }
            }
        }
        guard !changeEntries.isEmpty else { return }
        let opened = diff.opened.reduce(0) { $0 + $1.pairCount }, closed = diff.closed.reduce(0) { $0 + $1.pairCount }
        var legend = DiagramCluster(id: "cluster_legend", kind: .legend, lines: ["change"])
        var opener = DiagramNode(id: "legend__opened", kind: .legend,
                                 lines: ["opened: reachable in NEW, not in OLD", "\(opened) connection" + (opened == 1 ? "" : "s")])
        opener.changes = [.opened]
        var closer = DiagramNode(id: "legend__closed", kind: .legend,
                                 lines: ["closed: reachable in OLD, not (or partly) in NEW", "\(closed) connection" + (closed == 1 ? "" : "s")])
        closer.changes = [.closed]
        legend.nodes = [opener, closer]
        if changeEdgesOmitted > 0 {
            legend.nodes.append(DiagramNode(id: "legend__omitted", kind: .legend,
                                            lines: ["\(changeEdgesOmitted) more changed connection" + (changeEdgesOmitted == 1 ? "" : "s") + " not drawn"]))
        }
        clusters.append(legend)
    }

    /// The node of a diff party: an instance interface, an endpoint, the internet, an on-premises network.
    mutating func partyNode(_ p: DiffParty, _ index: inout DiagramIndex?) -> String {
        let ref: ComponentRef
        var subnet: String? = nil
        switch p.kind {
        case .interface:
            ref = ComponentRef(kind: p.name.contains(".") ? .networkInterface : .instance, name: p.name, awsID: p.id)
            subnet = componentSubnet[ComponentKey(kind: .instance, name: p.name)]
        case .vpcEndpoint: ref = ComponentRef(kind: .vpcEndpoint, name: p.name, awsID: p.id)
        case .loadBalancer: ref = ComponentRef(kind: .loadBalancer, name: p.name, awsID: p.id)
        case .internet: ref = ComponentRef(kind: .internet, name: "internet")
        case .onprem:
            ref = ComponentRef(kind: .onPremises, name: p.name.hasPrefix("onprem:") ? String(p.name.dropFirst(7)) : p.name)
        }
        return nodeID(for: ref, near: subnet.flatMap { subnetVPC[$0] }, subnet: subnet, index: &index)
    }
}

/// A drawing of a change alone (``ChangeDiagram/build(_:)``): one node per party, the changed connections
/// between them, coloured as ``Diagram/overlay(_:edgeLimit:)`` colours them; what `vpckit diff --format
/// markdown` embeds as Mermaid.
public enum ChangeDiagram {
    /// The most parties drawn in a pull-request comment; a bigger change is described, not drawn.
    public static let nodeLimit = 40
    /// The most changed-connection edges drawn in a pull-request comment.
    public static let edgeLimit = 60

    /// The change's parties (interfaces, endpoints, the internet, on-premises networks) and connections.
    public static func build(_ diff: ConnectionDiff) -> Diagram {
        var d = Diagram(title: "change", detail: .interface)
        var parties: [DiffParty] = []
        var seen: Set<DiffParty> = []
        for e in diff.opened + diff.closed {
            for p in e.sources + e.destinations where seen.insert(p).inserted { parties.append(p) }
        }
        for p in parties.sorted() {
            let kind: ComponentKind
            let label: String
            switch p.kind {
            case .interface: kind = .instance; label = p.name
            case .vpcEndpoint: kind = .vpcEndpoint; label = "endpoint " + p.name
            case .loadBalancer: kind = .loadBalancer; label = "load balancer " + p.name
            case .internet: kind = .internet; label = "internet"
            case .onprem: kind = .onPremises; label = p.name
            }
            let id = p.kind == .internet ? "internet" : DiagramID.make("party", p.kind.rawValue) + "__" + DiagramID.make("n", p.name)
            d.nodes.append(DiagramNode(id: id, kind: Diagram.nodeKind(kind), lines: [label]))
            let key = ComponentKey(kind: kind, name: p.name)
            d.components[key] = id
            if p.kind == .interface { d.components[ComponentKey(kind: .networkInterface, name: p.name)] = id }
            if p.kind == .onprem, p.name.hasPrefix("onprem:") {
                d.components[ComponentKey(kind: .onPremises, name: String(p.name.dropFirst(7)))] = id
            }
        }
        d.overlay(diff, edgeLimit: edgeLimit)
        return d
    }

    /// The Mermaid section of a pull-request comment: a ```` ```mermaid ```` block of ``build(_:)``, or, when the
    /// change has more than ``nodeLimit`` parties or more than ``edgeLimit`` changed connections, a sentence
    /// saying so (and how to draw it); "" when nothing changed.
    public static func markdownSection(_ diff: ConnectionDiff) -> String {
        guard !diff.isEmpty else { return "" }
        let d = build(diff)
        let parties = d.nodes.count
        if parties > nodeLimit || d.changeEdgesOmitted > 0 {
            let pairs = (diff.opened + diff.closed).reduce(0) { $0 + $1.pairCount }
            return "\n_The change touches \(parties) part\(parties == 1 ? "y" : "ies") and \(pairs) connection\(pairs == 1 ? "" : "s"): "
                + "too many to draw here (at most \(nodeLimit) parties and \(edgeLimit) connections); "
                + "`vpckit diff OLD NEW --graph change.html` draws it._\n"
        }
        return "\n```mermaid\n" + MermaidRenderer.render(d) + "```\n"
    }
}
