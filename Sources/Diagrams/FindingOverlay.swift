import NetworkModel
import Reachability
import Reporting

/// A lint finding on a drawing: what `vpckit lint` reports, and the component it is located at.
public struct DiagramFinding: Hashable, Sendable {
    /// 1-based, in the order the findings were given.
    public var number: Int
    public var rule: String
    public var severity: Diagnostic.Severity
    public var message: String
    /// `file:line:column` (or the file alone when the finding has no line).
    public var place: String
    /// The component whose statement the finding is at (nil: none, e.g. a finding about an `--onprem` option).
    public var component: ComponentRef?
    /// The node marked for it (nil when it is not located).
    public var nodeID: String?
}

extension Diagram {
    /// Locates `findings` (a lint run over `topology`, the topology drawn) on the drawing: each finding is at a
    /// statement of the source, and the component that statement belongs to — the resource declared on that line
    /// (a subnet, an instance, a NAT gateway, a VPC, …), the security group, route table or NACL whose rule or
    /// route is on it, or whose block holds it — is marked with the finding's number and rule. Security groups,
    /// route tables and NACLs get a node in their VPC as a path's do. A finding at no statement of a component is
    /// listed without a node. Reads the model's own source locations; nothing is matched by name or message.
    public mutating func overlay(findings: [Finding], topology: Topology) {
        let locator = FindingLocator(topology)
        // One index and one pass to mark the nodes, not a search of the drawing per finding (a large estate's
        // lint run has tens of thousands).
        var index: DiagramIndex? = DiagramIndex(self)
        var marks: [String: [Int]] = [:]
        for f in findings {
            let number = self.findings.count + 1
            let place = f.line > 0 ? "\(f.file):\(f.line):\(f.column)" : f.file
            var entry = DiagramFinding(number: number, rule: f.ruleID, severity: f.severity, message: f.message, place: place)
            if let (ref, vpc) = locator.component(file: f.file, line: f.line, column: f.column) {
                let id = nodeID(for: ref, near: vpc, index: &index)
                marks[id, default: []].append(number)
                entry.component = ref
                entry.nodeID = id
            }
            self.findings.append(entry)
        }
        guard !marks.isEmpty else { return }
        updateNodes { node in
            if let numbers = marks.removeValue(forKey: node.id) { node.findings += numbers }
        }
    }

    /// The ids of the nodes carrying a finding.
    public var findingNodeIDs: Set<String> { Set(allNodes.filter { !$0.findings.isEmpty }.map(\.id)) }
}

/// Where each component of a topology is written: the lines of its declaration and statements, and for blocks
/// with a closing brace (security groups, route tables, NACLs) the lines between.
struct FindingLocator {
    struct Place: Hashable { var file: String; var line: Int }
    struct Entry { var ref: ComponentRef; var vpc: String?; var column: Int }
    var lines: [Place: [Entry]] = [:]
    /// Blocks: file, first and last line, the component.
    var blocks: [(file: String, first: Int, last: Int, entry: Entry)] = []
    let files: SourceFileTable

    init(_ t: Topology) {
        files = t.files
        for v in t.vpcs {
            add(v.location, .vpc, v.name, nil)
            if let g = v.internetGateway { add(g.location, .internetGateway, g.name, v.name) }
            if let g = v.egressOnlyGateway { add(g.location, .egressOnlyGateway, g.name, v.name) }
            if let g = v.vpnGateway { add(g.location, .vpnGateway, g.name, v.name) }
            for s in v.subnets { add(s.location, .subnet, s.name, v.name) }
            for n in v.natGateways { add(n.location, .natGateway, n.name, v.name) }
            for e in v.endpoints { add(e.location, .vpcEndpoint, e.name, v.name) }
            for r in v.routeTables {
                add(r.location, .routeTable, r.name, v.name, close: r.closeLocation)
                for route in r.routes { add(route.location, .routeTable, r.name, v.name) }
            }
            for g in v.securityGroups {
                add(g.location, .securityGroup, g.name, v.name, close: g.closeLocation)
                for rule in g.ingress + (g.egress ?? []) { add(rule.location, .securityGroup, g.name, v.name) }
                add(g.egressNoneLocation, .securityGroup, g.name, v.name)
            }
            for a in v.networkACLs {
                add(a.location, .networkACL, a.name, v.name, close: a.closeLocation)
                for rule in a.inbound + a.outbound { add(rule.location, .networkACL, a.name, v.name) }
            }
            for i in v.instances {
                add(i.location, .instance, i.name, v.name)
                for (k, iface) in i.interfaces.enumerated() {
                    add(iface.location, k == 0 ? .instance : .networkInterface, k == 0 ? i.name : i.name + "." + iface.name, v.name)
                }
            }
        }
        for p in t.peerings { add(p.location, .peering, p.name, nil) }
        for g in t.transitGateways {
            add(g.location, .transitGateway, g.name, nil)
            for a in g.attachments { add(a.location, .tgwAttachment, a.name, a.kind == .vpc ? a.vpc : nil) }
            for r in g.routeTables {
                add(r.location, .tgwRouteTable, r.name, nil)
                for route in r.routes { add(route.location, .tgwRouteTable, r.name, nil) }
            }
        }
        for c in t.vpnConnections { add(c.location, .vpnConnection, c.name, nil) }
        for d in t.directConnectGateways {
            add(d.location, .directConnectGateway, d.name, nil)
            for a in d.associations { add(a.location, .directConnectGateway, d.name, nil) }
        }
        for v in t.virtualInterfaces { add(v.location, .virtualInterface, v.name, nil) }
        for n in t.onPremisesNetworks { add(n.location, .onPremises, n.name, nil) }
        // Innermost block first.
        blocks.sort { ($0.last - $0.first) < ($1.last - $1.first) }
    }

    mutating func add(_ location: SourceLocation, _ kind: ComponentKind, _ name: String, _ vpc: String?,
                      close: SourceLocation = .unknown) {
        guard location.line > 0 else { return }
        let file = files.name(of: location)
        let entry = Entry(ref: ComponentRef(kind: kind, name: name), vpc: vpc, column: max(1, location.column))
        lines[Place(file: file, line: location.line), default: []].append(entry)
        if close.line > location.line, close.fileIndex == location.fileIndex {
            blocks.append((file, location.line, close.line, entry))
        }
    }

    /// The component written at `file:line:column`: one declared or with a statement on that line (the one at
    /// that column when several are), else the innermost block around it.
    func component(file: String, line: Int, column: Int) -> (ComponentRef, String?)? {
        guard line > 0 else { return nil }
        if let here = lines[Place(file: file, line: line)], let first = here.first {
            let e = here.first { $0.column == max(1, column) } ?? first
            return (e.ref, e.vpc)
        }
        if let b = blocks.first(where: { $0.file == file && $0.first <= line && line <= $0.last }) {
            return (b.entry.ref, b.entry.vpc)
        }
        return nil
    }
}
