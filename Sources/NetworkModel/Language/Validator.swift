import IPAddressing
import Reporting

/// Semantic checks of a parsed topology (Docs/DSL.md, "Validation"): names resolve to the right kind in the
/// right VPC, addresses fit their blocks, AWS's structural limits hold.
public enum TopologyValidator {
    /// Every problem of `topology`, sorted by position. `sources` (file name → text) lets diagnostics show the
    /// source line and underline the offending word; without it they carry only the position.
    ///
    /// - Complexity: O(n log n) in the number of resources.
    public static func validate(_ topology: Topology, sources: [String: SourceText] = [:]) -> [Diagnostic] {
        var v = Validation(topology: topology, sources: sources)
        v.run()
        return sortedByPosition(v.diagnostics)
    }
}

/// What a name denotes.
enum ResourceKind: String, Sendable {  // stored as its case index
    case prefixList = "prefix list", vpc = "VPC", internetGateway = "internet gateway"
    case egressOnlyGateway = "egress-only gateway", subnet = "subnet", natGateway = "NAT gateway"
    case routeTable = "route table", securityGroup = "security group", networkACL = "network ACL"
    case instance = "instance", peering = "peering connection", transitGateway = "transit gateway"
    case tgwAttachment = "transit gateway attachment", tgwRouteTable = "transit gateway route table"
}

extension ResourceKind {
    /// The kind's bit in a ``ResourceKinds`` mask.
    var bit: UInt16 {
        switch self {
        case .prefixList: 1 << 0
        case .vpc: 1 << 1
        case .internetGateway: 1 << 2
        case .egressOnlyGateway: 1 << 3
        case .subnet: 1 << 4
        case .natGateway: 1 << 5
        case .routeTable: 1 << 6
        case .securityGroup: 1 << 7
        case .networkACL: 1 << 8
        case .instance: 1 << 9
        case .peering: 1 << 10
        case .transitGateway: 1 << 11
        case .tgwAttachment: 1 << 12
        case .tgwRouteTable: 1 << 13
        }
    }
}

/// A set of ``ResourceKind``s as a bit mask: `resolve` asks "is this entry one of these kinds" per reference,
/// and a `Set<ResourceKind>` hashed the kind's raw string for every question.
struct ResourceKinds: Sendable, ExpressibleByArrayLiteral {
    private var mask: UInt16 = 0
    init(arrayLiteral kinds: ResourceKind...) {
        for kind in kinds { mask |= kind.bit }
    }
    func contains(_ kind: ResourceKind) -> Bool { mask & kind.bit != 0 }
}

struct Validation {
    /// 12 bytes: 160,000 names of the benchmark topology cost a few megabytes.
    struct Entry {
        var kind: ResourceKind
        /// Index of the owning VPC (or TGW for attachments and TGW tables); -1 for none.
        var ownerIndex: Int32
        /// Position in the owner's array of this kind.
        var positionIndex: Int32
        /// Line of the declaration (for "already … at line N").
        var line: Int32
        var owner: Int { Int(ownerIndex) }
        var position: Int { Int(positionIndex) }
    }

    let topology: Topology
    let sources: [String: SourceText]
    var diagnostics: [Diagnostic] = []
    /// Every declared name (a ``NameMap``: cheaper to build and probe than a `Dictionary` at this size).
    var names = NameMap<Entry>()
    /// Per transit gateway: the VPC names its attachments name (a route to the TGW is checked against it).
    var attachedVPCNames: [NameMap<Bool>] = []

    init(topology: Topology, sources: [String: SourceText]) {
        self.topology = topology
        self.sources = sources
    }

    // MARK: Reporting

    /// Reports beyond this many are dropped (and one note says so).
    static let maxErrors = 1000

    /// Reports `message` (catalogue entry `kind`, see ``DSLCatalogue``) at `location`, underlining `word`.
    mutating func error(_ kind: DiagnosticDescriptor, _ message: String, at location: SourceLocation, word: String? = nil,
                        hint: String? = nil) {
        if diagnostics.count >= Validation.maxErrors {
            if diagnostics.count == Validation.maxErrors {
                diagnostics.append(Diagnostic(id: DSLCatalogue.tooManyErrors.id, file: location.file, line: location.line,
                                              column: location.column,
                                              message: "too many errors; further validation errors are not shown"))
            }
            return
        }
        if let source = sources[location.file] {
            diagnostics.append(source.diagnostic(message, at: location, word: word, hint: hint, id: kind.id))
        } else {
            diagnostics.append(Diagnostic(id: kind.id, file: location.file, line: location.line, column: location.column,
                                          length: word?.count ?? 1, message: message, hint: hint))
        }
    }

    func didYouMean(_ word: String, _ candidates: [String]) -> String? {
        Suggest.closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    func vpcName(_ index: Int) -> String { topology.vpcs[index].name }

    /// Names of `kinds` (optionally only in VPC `owner`), for suggestions.
    func candidates(_ kinds: ResourceKinds, owner: Int? = nil) -> [String] {
        names.pairs.compactMap { name, entry in
            kinds.contains(entry.kind) && (owner == nil || entry.owner == owner) ? name : nil
        }.sorted()
    }

    // MARK: Run

    mutating func run() {
        collectNames()
        attachedVPCNames = topology.transitGateways.map { tgw in
            var vpcs = NameMap<Bool>(minimumCapacity: tgw.attachments.count)
            for a in tgw.attachments { vpcs.insertIfAbsent(a.vpc, true) }
            return vpcs
        }
        for (i, vpc) in topology.vpcs.enumerated() { checkVPC(vpc, index: i) }
        checkPrefixLists()
        checkPeerings()
        for (i, tgw) in topology.transitGateways.enumerated() { checkTransitGateway(tgw, index: i) }
        checkAssertions()
    }

    mutating func declare(_ name: String, _ kind: ResourceKind, owner: Int, position: Int = 0, _ location: SourceLocation) {
        let entry = Entry(kind: kind, ownerIndex: Int32(truncatingIfNeeded: owner), positionIndex: Int32(truncatingIfNeeded: position),
                          line: Int32(truncatingIfNeeded: location.line))
        if !names.insertIfAbsent(name, entry), let previous = names[name] {
            let place = previous.line > 0 ? " at line \(previous.line)" : ""
            error(.duplicateName, "duplicate name '\(name)': already a \(previous.kind.rawValue)\(place)", at: location, word: name,
                  hint: "names are unique across the topology")
        }
    }

    mutating func collectNames() {
        var total = topology.prefixLists.count + topology.peerings.count
        for vpc in topology.vpcs {
            total += 3 + vpc.subnets.count + vpc.natGateways.count + vpc.routeTables.count + vpc.securityGroups.count
                + vpc.networkACLs.count + vpc.instances.count
        }
        for tgw in topology.transitGateways { total += 1 + tgw.attachments.count + tgw.routeTables.count }
        names = NameMap(minimumCapacity: total)
        for list in topology.prefixLists { declare(list.name, .prefixList, owner: -1, list.location) }
        for (i, vpc) in topology.vpcs.enumerated() {
            declare(vpc.name, .vpc, owner: i, vpc.location)
            if let g = vpc.internetGateway { declare(g.name, .internetGateway, owner: i, g.location) }
            if let g = vpc.egressOnlyGateway { declare(g.name, .egressOnlyGateway, owner: i, g.location) }
            // By index: the loops read two fields, not a copy of each record.
            for k in vpc.subnets.indices { declare(vpc.subnets[k].name, .subnet, owner: i, position: k, vpc.subnets[k].location) }
            for n in vpc.natGateways { declare(n.name, .natGateway, owner: i, n.location) }
            for t in vpc.routeTables { declare(t.name, .routeTable, owner: i, t.location) }
            for g in vpc.securityGroups { declare(g.name, .securityGroup, owner: i, g.location) }
            for a in vpc.networkACLs { declare(a.name, .networkACL, owner: i, a.location) }
            for k in vpc.instances.indices {
                declare(vpc.instances[k].name, .instance, owner: i, position: k, vpc.instances[k].location)
            }
        }
        for (k, p) in topology.peerings.enumerated() { declare(p.name, .peering, owner: -1, position: k, p.location) }
        for (i, tgw) in topology.transitGateways.enumerated() {
            declare(tgw.name, .transitGateway, owner: i, tgw.location)
            for a in tgw.attachments { declare(a.name, .tgwAttachment, owner: i, a.location) }
            for t in tgw.routeTables { declare(t.name, .tgwRouteTable, owner: i, t.location) }
        }
    }

    /// Resolves `name` as one of `kinds` in VPC `vpc`; reports a diagnostic and returns false otherwise.
    @discardableResult
    mutating func resolve(_ name: String, as kinds: ResourceKinds, what: String, inVPC vpc: Int?,
                          at location: SourceLocation) -> Bool {
        resolvedEntry(name, as: kinds, what: what, inVPC: vpc, at: location) != nil
    }

    /// ``resolve(_:as:what:inVPC:at:)`` returning the name's entry when it resolves (one lookup, not two).
    mutating func resolvedEntry(_ name: String, as kinds: ResourceKinds, what: String, inVPC vpc: Int?,
                                at location: SourceLocation) -> Entry? {
        guard let entry = names[name] else {
            let pool = candidates(kinds, owner: vpc)
            error(.unknownName, "unknown \(what) '\(name)'", at: location, word: name, hint: didYouMean(name, pool.isEmpty ? candidates(kinds) : pool))
            return nil
        }
        guard kinds.contains(entry.kind) else {
            error(.wrongKind, "'\(name)' is a \(entry.kind.rawValue), not a \(what)", at: location, word: name,
                  hint: didYouMean(name, candidates(kinds, owner: vpc)))
            return nil
        }
        if let vpc, entry.owner != vpc {
            error(.wrongOwner, "\(what) '\(name)' is in vpc '\(vpcName(entry.owner))', not in vpc '\(vpcName(vpc))'", at: location,
                  word: name, hint: didYouMean(name, candidates(kinds, owner: vpc)))
            return nil
        }
        return entry
    }
}


/// A set for the few elements of one route table or rule list: a linear search up to 16 elements (cheaper than
/// hashing each), a `Set` beyond.
struct SmallSet<Element: Hashable> {
    private var few: [Element] = []
    private var many: Set<Element> = []
    private let linear: Bool

    init(expected: Int) {
        linear = expected <= 16
        if linear { few.reserveCapacity(expected) }
    }

    /// Adds `element`; false when it was already there.
    mutating func insert(_ element: Element) -> Bool {
        guard linear else { return many.insert(element).inserted }
        if few.contains(element) { return false }
        few.append(element)
        return true
    }
}
