import IPAddressing
import NetworkModel
import Reporting

// `vpckit matrix` (issue 19): what gets through between groups of parties (subnets, security groups, VPCs, tag
// values), the internet and each on-premises network, as one table.

/// How `matrix` groups parties: `subnet`, `security-group`, `vpc` or `tag:KEY`.
public enum MatrixGrouping: Hashable, Sendable, CustomStringConvertible {
    case subnet, securityGroup, vpc
    /// By the value of the instance tag `KEY` (case-sensitive, as AWS); members without it go to `(no KEY)`.
    case tag(String)

    /// Reads `subnet`, `security-group` (`sg`), `vpc` or `tag:KEY` (KEY not empty); nil for anything else.
    public init?(parsing text: String) {
        switch text {
        case "subnet": self = .subnet
        case "security-group", "sg": self = .securityGroup
        case "vpc": self = .vpc
        default:
            guard text.hasPrefix("tag:"), text.count > 4 else { return nil }
            self = .tag(String(text.dropFirst(4)))
        }
    }

    /// `subnet`, `security-group`, `vpc`, `tag:KEY`.
    public var description: String {
        switch self {
        case .subnet: "subnet"
        case .securityGroup: "security-group"
        case .vpc: "vpc"
        case .tag(let key): "tag:\(key)"
        }
    }
}

/// What gets through between groups: for each (source group, destination group) the union over their member
/// pairs of what each pair gets (``CompiledTopology/connections(from:to:traffic:)``; a party is never asked
/// about itself). Sparse: only non-empty cells are held.
public struct ConnectionMatrix: Hashable, Sendable {
    /// One non-empty cell; `source` and `destination` index ``groups``.
    public struct Cell: Hashable, Sendable {
        public var source: Int
        public var destination: Int
        /// `allowed`: each grant gets through for every client port for some member pair; `partial`: ports that
        /// work for some member pair for the grant's client ports only and for no pair for every client port.
        public var grants: ConnectionGrants
        public init(source: Int, destination: Int, grants: ConnectionGrants) {
            self.source = source
            self.destination = destination
            self.grants = grants
        }
    }
    public var by: MatrixGrouping
    /// Every group's label in the endpoint-set notation (`subnet:app-a`, `sg:web`, `vpc:prod`, `tag:env=prod`,
    /// `(no env)`, `internet`, `onprem:office`), in the order of their first member among the topology's parties
    /// (interfaces in topology order, then the internet, then the on-premises networks).
    public var groups: [String]
    /// The rows: the groups with a source member (indices into ``groups``, ascending).
    public var sourceGroups: [Int]
    /// The columns: the groups with a destination member (indices into ``groups``, ascending).
    public var destinationGroups: [Int]
    /// The non-empty cells, by source group, then destination group.
    public var cells: [Cell]

    public init(by: MatrixGrouping, groups: [String], sourceGroups: [Int], destinationGroups: [Int], cells: [Cell]) {
        self.by = by
        self.groups = groups
        self.sourceGroups = sourceGroups
        self.destinationGroups = destinationGroups
        self.cells = cells
    }

    /// What group `source` gets to group `destination` (empty when nothing).
    public func grants(source: Int, destination: Int) -> ConnectionGrants {
        var lo = 0, hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = cells[mid]
            if (c.source, c.destination) < (source, destination) { lo = mid + 1 } else { hi = mid }
        }
        guard lo < cells.count, cells[lo].source == source, cells[lo].destination == destination else { return ConnectionGrants() }
        return cells[lo].grants
    }
}

/// The union of several answers' grants (a matrix cell): ports per protocol, `all` absorbing everything, partial
/// ports kept by client-port set and dropped where some answer allows them for every client port.
public struct GrantUnion: Sendable {
    private var everything = false
    private var allowed: [IPProtocol: PortSet] = [:]
    private var partial: [PartialKey: PortSet] = [:]
    private struct PartialKey: Hashable, Sendable {
        var ipProtocol: IPProtocol
        var clientPorts: PortSet?
    }

    public init() {}

    /// True when every answer within `bound` would add nothing: `all` is held, or every port of the bound is
    /// allowed (a partial port some answer allows is dropped).
    func covers(_ bound: GrantBound) -> Bool {
        if everything { return true }
        if bound.everything { return false }
        return bound.ports.allSatisfy { p, ports in ports.subtracting(allowed[p] ?? .empty).isEmpty }
    }

    /// Adds one answer.
    public mutating func add(_ grants: ConnectionGrants) {
        if everything { return }
        for g in grants.allowed {
            if g.ipProtocol == .all {
                everything = true
                allowed = [:]
                partial = [:]
                return
            }
            allowed[g.ipProtocol] = (allowed[g.ipProtocol] ?? .empty).union(g.ports)
        }
        for g in grants.partial {
            let key = PartialKey(ipProtocol: g.ipProtocol, clientPorts: g.clientPorts)
            partial[key] = (partial[key] ?? .empty).union(g.ports)
        }
    }

    /// The union: `all` alone when one answer had it; allowed grants ordered tcp, udp, icmp, icmpv6, then other
    /// protocols by number; partial grants without the ports some answer allows, by protocol, first port, first
    /// client port.
    public var grants: ConnectionGrants {
        if everything { return ConnectionGrants(allowed: [PortGrant(ipProtocol: .all, ports: .all)]) }
        let allowedGrants = allowed.map { PortGrant(ipProtocol: $0.key, ports: $0.value) }
            .sorted { GrantUnion.rank($0.ipProtocol) < GrantUnion.rank($1.ipProtocol) }
        let partialGrants = partial.compactMap { key, ports -> PortGrant? in
            let left = allowed[key.ipProtocol].map { ports.subtracting($0) } ?? ports
            return left.isEmpty ? nil : PortGrant(ipProtocol: key.ipProtocol, ports: left, clientPorts: key.clientPorts)
        }.sorted { GrantUnion.order($0).lexicographicallyPrecedes(GrantUnion.order($1)) }
        return ConnectionGrants(allowed: allowedGrants, partial: partialGrants)
    }

    /// A partial grant's place: protocol, first port, client ports.
    static func order(_ g: PortGrant) -> [Int] {
        [rank(g.ipProtocol), Int(g.ports.min ?? 0), Int(g.clientPorts?.min ?? 0), Int(g.clientPorts?.ranges.last?.upper ?? 0)]
    }

    /// tcp, udp, icmp, icmpv6, then the others by number.
    static func rank(_ p: IPProtocol) -> Int {
        switch p {
        case .tcp: 0
        case .udp: 1
        case .icmp: 2
        case .icmpv6: 3
        default: 4 + Int(p.number ?? 0)
        }
    }
}

extension CompiledTopology {
    /// The groups each party belongs to under `by`, as labels in the endpoint-set notation: the internet and each
    /// on-premises network alone (`internet`, `onprem:NAME`); an interface (instance or endpoint ENI) in its
    /// `subnet:NAME`, `vpc:NAME`, each of its `sg:NAME` (none without groups), or `tag:KEY=VALUE` of its instance
    /// (`(no KEY)` without the tag, and for endpoints).
    public func groupLabels(_ parties: [QuestionParty], by: MatrixGrouping) -> [[String]] {
        let members = memberships(parties)
        return zip(parties, members).map { p, m -> [String] in
            switch p.kind {
            case .internet, .onprem, .loadBalancer: return [p.name]
            case .interface, .vpcEndpoint: break
            }
            switch by {
            case .subnet: return m.subnet.map { ["subnet:\($0)"] } ?? []
            case .vpc: return m.vpc.map { ["vpc:\($0)"] } ?? []
            case .securityGroup: return m.securityGroups.map { "sg:\($0)" }
            case .tag(let key):
                let values = m.tags.filter { $0.key == key }.map { "tag:\(key)=\($0.value)" }
                return values.isEmpty ? ["(no \(key))"] : values
            }
        }
    }

    /// The matrix over every party (``questionParties(asSources:)``) grouped `by`: a party in several groups
    /// (several security groups) counts in each. Computed from the class-level table
    /// (``connectionClasses(sources:destinations:traffic:)``): a class cell is added to a pair of groups when some
    /// member pair of those groups has the cell's subnet relation, without expanding the pairs.
    /// By VPC, the cells between two VPCs come from the cross-VPC memo instead (``connectionMatrixByVPC(traffic:)``).
    public func connectionMatrix(by: MatrixGrouping, traffic: QuestionTraffic) -> ConnectionMatrix {
        if by == .vpc { return connectionMatrixByVPC(traffic: traffic) }
        return connectionMatrixByClassTable(by: by, traffic: traffic)
    }

    /// The matrix from the whole class-level table, whatever the grouping (the by-VPC path's baseline and
    /// reference).
    @_spi(Reference) public func connectionMatrixByClassTable(by: MatrixGrouping, traffic: QuestionTraffic) -> ConnectionMatrix {
        let sources = questionParties(asSources: true)
        let destinations = questionParties(asSources: false)
        let classes = connectionClasses(sources: sources, destinations: destinations, traffic: traffic)
        return CompiledTopology.matrix(by: by, sources: sources, sourceLabels: groupLabels(sources, by: by),
                                       destinations: destinations, destinationLabels: groupLabels(destinations, by: by),
                                       classes: classes)
    }

    /// The reference: the same matrix from the party-level ``connectionTable(sources:destinations:traffic:)``.
    func connectionMatrixByTable(by: MatrixGrouping, traffic: QuestionTraffic) -> ConnectionMatrix {
        let sources = questionParties(asSources: true)
        let destinations = questionParties(asSources: false)
        let table = connectionTableByLoop(sources: sources, destinations: destinations, traffic: traffic)
        return CompiledTopology.matrix(by: by, sources: sources, sourceLabels: groupLabels(sources, by: by),
                                       destinations: destinations, destinationLabels: groupLabels(destinations, by: by),
                                       table: table)
    }

    /// The labels numbered in the order of their first party (the destinations first: they hold every source but
    /// the on-premises networks that are sources only): each party's group numbers, and the labels.
    static func numberGroups(sourceLabels: [[String]], destinationLabels: [[String]]) -> (sources: [[Int]], destinations: [[Int]], groups: [String]) {
        var index: [String: Int] = [:]
        var groups: [String] = []
        func number(_ labels: [[String]]) -> [[Int]] {
            labels.map { ls in
                ls.map { l in
                    if let i = index[l] { return i }
                    index[l] = groups.count
                    groups.append(l)
                    return groups.count - 1
                }
            }
        }
        let d = number(destinationLabels)
        let s = number(sourceLabels)
        return (s, d, groups)
    }

    /// The non-empty cells of the unions, by source group then destination group, and the matrix.
    static func finish(by: MatrixGrouping, groups: [String], sourceGroupsOf: [[Int]], destinationGroupsOf: [[Int]],
                       unions: [Int: [Int: GrantUnion]]) -> ConnectionMatrix {
        var cells: [ConnectionMatrix.Cell] = []
        for sg in unions.keys.sorted() {
            guard let row = unions[sg] else { continue }
            for dg in row.keys.sorted() {
                guard let g = row[dg]?.grants, !g.isEmpty else { continue }
                cells.append(ConnectionMatrix.Cell(source: sg, destination: dg, grants: g))
            }
        }
        return ConnectionMatrix(by: by, groups: groups, sourceGroups: Set(sourceGroupsOf.joined()).sorted(),
                                destinationGroups: Set(destinationGroupsOf.joined()).sorted(), cells: cells)
    }

    /// The members of one class in one group, as much as the relation tests need: per subnet how many and the
    /// first; the parties that are not interfaces.
    struct GroupSide {
        var subnets: [Int32: (count: Int, first: Int)] = [:]
        var others: [Int] = []
        mutating func add(_ party: Int, subnet: Int32) {
            if subnet < 0 { others.append(party); return }
            if let x = subnets[subnet] { subnets[subnet] = (x.count + 1, x.first) } else { subnets[subnet] = (1, party) }
        }
    }

    /// Groups a class-level table: each cell of (source class, destination class, relation) goes to every (source
    /// group, destination group) of the two classes that holds a member pair with that relation (both ends in one
    /// subnet, or not), other than a party and itself.
    static func matrix(by: MatrixGrouping, sources: [QuestionParty], sourceLabels: [[String]],
                       destinations: [QuestionParty], destinationLabels: [[String]], classes: ConnectionClasses) -> ConnectionMatrix {
        let numbered = numberGroups(sourceLabels: sourceLabels, destinationLabels: destinationLabels)
        let sides = MatrixClassSides(sourceMembers: classes.sourceMembers, sourceGroupsOf: numbered.sources, sourceSubnet: classes.sourceSubnet,
                                     destinationMembers: classes.destinationMembers, destinationGroupsOf: numbered.destinations,
                                     destinationSubnet: classes.destinationSubnet)
        var unions: [Int: [Int: GrantUnion]] = [:]
        for cell in classes.cells {
            sides.add(cell.grants, sourceClass: cell.sourceClass, destinationClass: cell.destinationClass, sameSubnet: cell.sameSubnet,
                      to: &unions, sources: sources, destinations: destinations)
        }
        return finish(by: by, groups: numbered.groups, sourceGroupsOf: numbered.sources, destinationGroupsOf: numbered.destinations,
                      unions: unions)
    }

    /// Groups a party-level connection table (the reference): each cell goes to every pair of its ends' groups.
    static func matrix(by: MatrixGrouping, sources: [QuestionParty], sourceLabels: [[String]],
                       destinations: [QuestionParty], destinationLabels: [[String]], table: ConnectionTable) -> ConnectionMatrix {
        let numbered = numberGroups(sourceLabels: sourceLabels, destinationLabels: destinationLabels)
        var unions: [Int: [Int: GrantUnion]] = [:]
        for (i, row) in table.rows.enumerated() where i < numbered.sources.count {
            for entry in row where entry.destination < numbered.destinations.count {
                for sg in numbered.sources[i] {
                    for dg in numbered.destinations[entry.destination] {
                        unions[sg, default: [:]][dg, default: GrantUnion()].add(entry.grants)
                    }
                }
            }
        }
        return finish(by: by, groups: numbered.groups, sourceGroupsOf: numbered.sources, destinationGroupsOf: numbered.destinations,
                      unions: unions)
    }
}

/// Renderers of a ``ConnectionMatrix``: an aligned text table, CSV (RFC 4180), JSON and a Markdown table. Rows
/// are source groups, columns destination groups; a cell lists what gets through (`tcp/5432, tcp/9000 (partly)`),
/// empty (text: `-`) when nothing does.
public enum MatrixReport {
    /// The corner cell of the tables.
    static let corner = "source \\ destination"

    /// `tcp/5432, udp/53, tcp/9000 (partly)` (empty when nothing gets through).
    public static func cellText(_ grants: ConnectionGrants) -> String {
        (grants.allowed.map(\.description) + grants.partial.map { "\(PortGrant(ipProtocol: $0.ipProtocol, ports: $0.ports)) (partly)" })
            .joined(separator: ", ")
    }

    /// The table as rows of cells (header first), unescaped.
    static func grid(_ m: ConnectionMatrix) -> [[String]] {
        grid(m) { $0 }
    }

    /// ``grid(_:)`` with every cell and name passed through `transform` once per distinct text (a matrix of
    /// thousands of groups has millions of cells but few distinct answers: each is rendered and escaped once).
    static func grid(_ m: ConnectionMatrix, _ transform: (String) -> String) -> [[String]] {
        var memo: [String: String] = [:]
        func t(_ text: String) -> String {
            if let known = memo[text] { return known }
            let out = transform(text)
            memo[text] = out
            return out
        }
        var rows: [[String]] = [[t(corner)] + m.destinationGroups.map { t(m.groups[$0]) }]
        rows.reserveCapacity(m.sourceGroups.count + 1)
        // Cells by (source row, destination column), flat; each distinct answer's text made once.
        var row = [Int](repeating: -1, count: m.groups.count), column = [Int](repeating: -1, count: m.groups.count)
        for (i, g) in m.sourceGroups.enumerated() where g >= 0 && g < row.count { row[g] = i }
        for (j, g) in m.destinationGroups.enumerated() where g >= 0 && g < column.count { column[g] = j }
        var cellOf = [Int32](repeating: -1, count: m.sourceGroups.count * m.destinationGroups.count)
        var indexOf: [ConnectionGrants: Int32] = [:]
        var texts: [String] = []
        for c in m.cells {
            guard c.source >= 0, c.source < row.count, c.destination >= 0, c.destination < column.count,
                  row[c.source] >= 0, column[c.destination] >= 0 else { continue }
            let k: Int32
            if let known = indexOf[c.grants] { k = known } else {
                k = Int32(texts.count)
                indexOf[c.grants] = k
                texts.append(t(cellText(c.grants)))
            }
            cellOf[row[c.source] * m.destinationGroups.count + column[c.destination]] = k
        }
        let empty = t("")
        for (i, s) in m.sourceGroups.enumerated() {
            var cells = [t(m.groups[s])]
            cells.reserveCapacity(m.destinationGroups.count + 1)
            let base = i * m.destinationGroups.count
            for j in m.destinationGroups.indices {
                let k = cellOf[base + j]
                cells.append(k >= 0 ? texts[Int(k)] : empty)
            }
            rows.append(cells)
        }
        return rows
    }

    /// Aligned columns, names escaped (``Diagnostic/escaped(_:)``), `-` for an empty cell.
    public static func text(_ m: ConnectionMatrix, traffic: QuestionTraffic) -> String {
        // Escaped once per distinct text; an empty cell (not a name: names are never empty) shows as `-`.
        var rows = grid(m, Diagnostic.escaped)
        for i in rows.indices.dropFirst() {
            for j in rows[i].indices.dropFirst() where rows[i][j].isEmpty { rows[i][j] = "-" }
        }
        var widthOf: [String: Int] = [:]
        func width(_ cell: String) -> Int {
            if let w = widthOf[cell] { return w }
            let w = cell.count
            widthOf[cell] = w
            return w
        }
        var widths: [Int] = []
        for row in rows {
            for (j, cell) in row.enumerated() {
                if j == widths.count { widths.append(0) }
                widths[j] = max(widths[j], width(cell))
            }
        }
        var s = "matrix by \(Diagnostic.escaped(m.by.description)), \(traffic)\(traffic.oneWay ? " (one way)" : ""): "
            + "\(m.sourceGroups.count) source group\(m.sourceGroups.count == 1 ? "" : "s"), "
            + "\(m.destinationGroups.count) destination group\(m.destinationGroups.count == 1 ? "" : "s"), "
            + "\(m.cells.count) non-empty cell\(m.cells.count == 1 ? "" : "s")\n"
        for row in rows {
            var line = ""
            for (j, cell) in row.enumerated() {
                line += cell
                if j < row.count - 1 { line += String(repeating: " ", count: widths[j] - width(cell) + 2) }
            }
            s += line + "\n"
        }
        return s
    }

    /// CSV (RFC 4180): a header row (the corner, then the destination groups), one row per source group; a field
    /// holding a comma, a double quote, CR or LF is quoted, its quotes doubled; lines end in CRLF. Every label
    /// starts with a fixed word (`subnet:`, `sg:`, `vpc:`, `tag:`, `(no `, `internet`, `onprem:`) and every cell
    /// with a protocol, so no field starts with a spreadsheet formula character.
    public static func csv(_ m: ConnectionMatrix) -> String {
        grid(m, csvField).map { $0.joined(separator: ",") + "\r\n" }.joined()
    }

    /// One CSV field, quoted when it must be.
    public static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// A GitHub-flavoured Markdown table; every name escaped (``markdownEscaped(_:)``).
    public static func markdown(_ m: ConnectionMatrix) -> String {
        let rows = grid(m, markdownEscaped)
        guard let header = rows.first else { return "" }
        var s = "| " + header.joined(separator: " | ") + " |\n"
        s += "|" + String(repeating: " --- |", count: header.count) + "\n"
        for row in rows.dropFirst() { s += "| " + row.joined(separator: " | ") + " |\n" }
        return s
    }

    /// `text` as literal Markdown inline text: control and invisible characters (newlines included) written as
    /// `\u{HEX}` (``Diagnostic/escaped(_:)``), `<`, `>` and `&` as entities, and the punctuation Markdown or
    /// GitHub give a meaning (`\`, `` ` ``, `*`, `_`, `[`, `]`, `|`, `~`, `#`, `!`, `@`, `$`) backslash-escaped,
    /// so no name can end a table cell, open a link, code span or HTML tag, or mention someone.
    public static func markdownEscaped(_ text: String) -> String {
        var out = ""
        for c in Diagnostic.escaped(text) {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!", "@", "$": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }

    /// `{"by": "vpc", "groups": [...], "cells": [{"source": G, "destination": G, "allowed": [...], "partial": [...]}]}`
    /// (cells non-empty only, grants as in ``QuestionReport/json(_:)``).
    public static func json(_ m: ConnectionMatrix) -> JSONValue {
        .object([
            ("by", .string(m.by.description)),
            ("groups", .array(m.groups.map { .string($0) })),
            ("cells", .array(m.cells.map { c in
                .object([
                    ("source", .string(m.groups[c.source])),
                    ("destination", .string(m.groups[c.destination])),
                    ("allowed", .array(c.grants.allowed.map(QuestionReport.json))),
                    ("partial", .array(c.grants.partial.map(QuestionReport.json))),
                ])
            })),
        ])
    }
}

/// Each class's members by group, and how a class cell goes to the groups (``CompiledTopology/matrix(by:sources:sourceLabels:destinations:destinationLabels:classes:)``).
struct MatrixClassSides {
    typealias GroupSide = CompiledTopology.GroupSide
    let sourceSides: [[(group: Int, side: GroupSide)]]
    let destinationSides: [[(group: Int, side: GroupSide)]]

    init(sourceMembers: [[Int]], sourceGroupsOf: [[Int]], sourceSubnet: [Int32],
         destinationMembers: [[Int]], destinationGroupsOf: [[Int]], destinationSubnet: [Int32]) {
        func sides(_ members: [[Int]], _ groupsOf: [[Int]], _ subnet: [Int32]) -> [[(group: Int, side: GroupSide)]] {
            members.map { list in
                var at: [Int: Int] = [:]
                var out: [(group: Int, side: GroupSide)] = []
                for m in list where m < groupsOf.count {
                    for g in groupsOf[m] {
                        if at[g] == nil {
                            at[g] = out.count
                            out.append((g, GroupSide()))
                        }
                        if let k = at[g] { out[k].side.add(m, subnet: subnet[m]) }
                    }
                }
                return out
            }
        }
        sourceSides = sides(sourceMembers, sourceGroupsOf, sourceSubnet)
        destinationSides = sides(destinationMembers, destinationGroupsOf, destinationSubnet)
    }

    /// Adds the cell of (source class, destination class, relation) to every (source group, destination group) of
    /// the two classes that holds a member pair with that relation, other than a party and itself.
    func add(_ grants: ConnectionGrants, sourceClass: Int, destinationClass: Int, sameSubnet: Bool, to unions: inout [Int: [Int: GrantUnion]],
             sources: [QuestionParty], destinations: [QuestionParty]) {
        guard sourceClass < sourceSides.count && destinationClass < destinationSides.count else { return }
        func differentParties(_ i: Int, _ j: Int) -> Bool { !sources[i].isSameParty(as: destinations[j]) }
        /// Some member pair in one subnet, other than a party and itself.
        func sameSubnetPair(_ s: GroupSide, _ d: GroupSide) -> Bool {
            let (small, large, smallIsSource) = s.subnets.count <= d.subnets.count ? (s.subnets, d.subnets, true) : (d.subnets, s.subnets, false)
            for (subnet, x) in small {
                guard let y = large[subnet] else { continue }
                if x.count > 1 || y.count > 1 { return true }
                if smallIsSource ? differentParties(x.first, y.first) : differentParties(y.first, x.first) { return true }
            }
            return false
        }
        /// Some member pair not in one subnet (a non-interface party is in none), other than a party and itself.
        func otherPair(_ s: GroupSide, _ d: GroupSide) -> Bool {
            if !s.subnets.isEmpty && !d.subnets.isEmpty {
                if s.subnets.count > 1 || d.subnets.count > 1 || s.subnets.keys.first != d.subnets.keys.first { return true }
            }
            if !s.others.isEmpty && !d.subnets.isEmpty { return true }
            if !s.subnets.isEmpty && !d.others.isEmpty { return true }
            for i in s.others { for j in d.others where differentParties(i, j) { return true } }
            return false
        }
        for (sg, s) in sourceSides[sourceClass] {
            for (dg, d) in destinationSides[destinationClass] {
                guard sameSubnet ? sameSubnetPair(s, d) : otherPair(s, d) else { continue }
                unions[sg, default: [:]][dg, default: GrantUnion()].add(grants)
            }
        }
    }
}
