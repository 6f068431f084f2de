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

struct Validation {
    /// What a declared name denotes (the resolver's cross-kind name table, `Resolved/Declarations.swift`).
    typealias Entry = DeclaredNames.Entry

    let topology: Topology
    let sources: [String: SourceText]
    var diagnostics: [Diagnostic] = []
    /// Every declared name (a ``NameMap``: cheaper to build and probe than a `Dictionary` at this size).
    var names = NameMap<Entry>()
    /// Per transit gateway: the VPC names its attachments name (a route to the TGW is checked against it).
    var attachedVPCNames: [NameMap<Bool>] = []
    /// The names of the edge kinds (VPN gateways, VPC endpoints, customer gateways, VPN connections, Direct
    /// Connect gateways, virtual interfaces, on-premises networks; `Validator+Edges.swift`), and the edges'
    /// AWS ids (what `onprem … via` and `EDGE:ADDRESS` may name). Empty, and never probed, for a topology
    /// without edges.
    var edgeNames = NameMap<EdgeEntry>()
    var edgeIDs = NameMap<EdgeEntry>()
    /// True when the topology has any edge (the checks of `Validator+Edges.swift` run only then).
    var hasEdges = false

    init(topology: Topology, sources: [String: SourceText]) {
        self.topology = topology
        self.sources = sources
    }

    // MARK: Reporting

    /// Reports beyond this many are dropped (and one note says so).
    static let maxErrors = 1000

    /// Reports `message` (catalogue entry `kind`, see ``DSLCatalogue``) at `location`, underlining `word`.
    mutating func error(_ kind: DiagnosticDescriptor, _ message: String, at location: SourceLocation, word: String? = nil,
                        hint: String? = nil, severity: Diagnostic.Severity = .error) {
        let file = topology.files.name(of: location)
        if diagnostics.count >= Validation.maxErrors {
            if diagnostics.count == Validation.maxErrors {
                diagnostics.append(Diagnostic(id: DSLCatalogue.tooManyErrors.id, file: file, line: location.line,
                                              column: location.column,
                                              message: "too many errors; further validation errors are not shown"))
            }
            return
        }
        if let source = sources[file] {
            diagnostics.append(source.diagnostic(message, at: location, word: word, hint: hint, severity: severity, id: kind.id))
        } else {
            diagnostics.append(Diagnostic(id: kind.id, severity: severity, file: file, line: location.line, column: location.column,
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
        collectEdgeNames()
        attachedVPCNames = topology.transitGateways.map { tgw in
            var vpcs = NameMap<Bool>(minimumCapacity: tgw.attachments.count)
            for a in tgw.attachments { vpcs.insertIfAbsent(a.vpc, true) }
            return vpcs
        }
        for (i, vpc) in topology.vpcs.enumerated() { checkVPC(vpc, index: i) }
        checkPrefixLists()
        checkPeerings()
        for (i, tgw) in topology.transitGateways.enumerated() { checkTransitGateway(tgw, index: i) }
        if hasEdges { checkEdges() }
        checkAssertions()
        checkTags()
        checkPolicies()
        checkFlowLogs()
    }

    /// The declared names come from the resolver's name table; a repeated name is reported here.
    mutating func collectNames() {
        let declared = DeclaredNames(topology)
        names = declared.entries
        for duplicate in declared.duplicates {
            let (name, location, previous) = (duplicate.name, duplicate.location, duplicate.previous)
            let place = previous.line > 0 ? " at line \(previous.line)" : ""
            error(.duplicateName, "duplicate name '\(name)': already a \(previous.kind.rawValue)\(place)", at: location, word: name,
                  hint: "names are unique across the topology")
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
