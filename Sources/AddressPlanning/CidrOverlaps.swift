import CPrefetch
import IPAddressing
import Reporting

/// The report of `vpckit cidr overlaps`: every reportable pair of overlapping blocks, written into a
/// ``FindingStreamWriter`` one finding at a time (Docs/CIDR.md has the grouping rule and output shapes).
public enum CidrOverlapReport {
    /// The two rules the report's findings carry.
    public static let rules = [
        RuleDescriptor(id: "cidr-duplicate", name: "DuplicateCIDR",
                       shortDescription: "The same CIDR block appears twice.", defaultSeverity: .error,
                       helpText: "Two networks with the same block cannot be routed to each other or peered."),
        RuleDescriptor(id: "cidr-nested", name: "NestedCIDR",
                       shortDescription: "A CIDR block lies inside another one.", defaultSeverity: .error,
                       helpText: "Overlapping address plans break peering, transit gateway propagation and routing."),
    ]

    /// Writes the findings of every reportable overlapping pair, in input order of the block each is grouped
    /// under (see ``OverlapGroups``; in topologies the degrees count reportable pairs only), at most `limit` of them; counts them all. A block's pairs form one
    /// `cidr-duplicate` finding (equal blocks) and one `cidr-nested` finding (the rest), placed at its line,
    /// with the other blocks as related places. In plain lists copies are collapsed: a repeated block gets one
    /// `cidr-duplicate` finding listing its copies and stands for them in nested pairs (`Docs/CIDR.md`); the
    /// pair count still counts every pair. Nothing is held but the grouping index and one group.
    public static func report(_ inputs: CidrInputs, limit: Int, to writer: inout FindingStreamWriter)
        -> (pairs: Int, findings: Int, shown: Int) {
        let filtered = inputs.origins.contains { $0.kind != .listLine }
        func test(_ originIndex: [Int32]) -> ((Int, Int) -> Bool)? {
            guard filtered else { return nil }
            return { inputs.isReportable(inputs.origins[Int(originIndex[$0])], inputs.origins[Int(originIndex[$1])]) }
        }
        // Plain lists: the copies of a repeated block are one node, reported once (`Docs/CIDR.md`).
        let v4 = OverlapGroups(inputs.v4, counting: test(inputs.v4Origin), collapsingCopies: !filtered)
        let v6 = OverlapGroups(inputs.v6, counting: test(inputs.v6Origin), collapsingCopies: !filtered)
        var state = ReportState(limit: limit, filtered: filtered, inputs: inputs)
        var bases: [UnsafeBufferPointer<UInt8>] = []
        CidrOverlapReport.withContents(inputs.contents, from: 0, &bases) { contents in
            // Three groups in flight: the next-but-one is listed and its line records are asked for, the next
            // one's records are read and its names asked for, and the current one is written.
            state.fetch(0, v4: v4, v6: v6, inputs: inputs)
            state.fetch(1, v4: v4, v6: v6, inputs: inputs)
            state.prepare(0, contents: contents)
            var k = 0
            while state.ring[k].index >= 0 {
                state.prepare((k + 1) % 3, contents: contents)
                state.fetch((k + 2) % 3, v4: v4, v6: v6, inputs: inputs)
                state.emit(k, groups: state.ring[k].family == .ipv4 ? v4 : v6, inputs: inputs, contents: contents, writer: &writer)
                k = (k + 1) % 3
            }
        }
        return (state.pairs, state.findings, state.shown)
    }

    /// Calls `body` with the bytes of every input file, as buffers valid during the call.
    static func withContents(_ files: [[UInt8]], from i: Int, _ bases: inout [UnsafeBufferPointer<UInt8>],
                             _ body: ([UnsafeBufferPointer<UInt8>]) -> Void) {
        if i == files.count { return body(bases) }
        files[i].withUnsafeBufferPointer { file in
            bases.append(file)
            withContents(files, from: i + 1, &bases, body)
        }
    }
}

/// What a finding's line needs of one block, by family index: one load for a block the group names.
struct BlockLine {
    var line: Int32
    var file: Int32
    /// As in ``CidrOrigin``.
    var nameStart: Int32
    var nameLength: Int32
    var nameIndex: Int32
    /// IPv4: the network's bits (IPv6 blocks are read from the inputs).
    var bits: UInt32
    var length: UInt8
    var relation: OverlapRelation = .equal
}

/// Counters and the reusable partner buffers of ``CidrOverlapReport/report(_:limit:to:)``.
struct ReportState {
    let limit: Int
    /// True when some input is a topology: pairs pass ``CidrInputs/isReportable(_:_:)``.
    let filtered: Bool
    var pairs = 0, findings = 0, shown = 0
    var partners: [OverlapPartner] = []
    let v4Lines: [BlockLine], v6Lines: [BlockLine]
    /// The partners of the finding being written, with what their lines need, read in one tight pass first.
    /// The blocks of a group lie all over the input: their line records and name bytes are asked for ahead
    /// (cache prefetch hints) — the first ``lookahead`` partners two and one groups ahead, the rest 16 and 8
    /// partners ahead within the pass — instead of waiting for each miss in turn.
    /// `copies`: how many times the partner is listed (1 unless copies are collapsed).
    var gathered: [(line: BlockLine, index: Int32, copies: Int)] = []

    init(limit: Int, filtered: Bool, inputs: CidrInputs) {
        self.limit = limit
        self.filtered = filtered
        func lines(_ originIndex: [Int32], bits: (Int) -> UInt32, length: (Int) -> UInt8) -> [BlockLine] {
            originIndex.indices.map { i in
                let o = inputs.origins[Int(originIndex[i])]
                return BlockLine(line: o.line, file: o.file, nameStart: o.nameStart, nameLength: o.nameLength,
                                 nameIndex: o.nameIndex, bits: bits(i), length: length(i))
            }
        }
        v4Lines = lines(inputs.v4Origin, bits: { inputs.v4[$0].network.bits }, length: { inputs.v4[$0].length })
        v6Lines = lines(inputs.v6Origin, bits: { _ in 0 }, length: { inputs.v6[$0].length })
    }

    /// A block whose group is not empty, with its partners (`index` -1: none left).
    struct Pending {
        var family = IPFamily.ipv4
        var index = -1
        var partners: [OverlapPartner] = []
        /// The block is the representative of a block listed more than once (collapsed copies).
        var repeated = false
    }
    var ring = [Pending(), Pending(), Pending()]
    /// The next block of each family to look at; the families are merged in input order.
    var next4 = 0, next6 = 0
    /// How many partners of a group ahead are asked for (the rest by ``gather(duplicates:family:groups:contents:)``).
    static let lookahead = 32

    /// Fills `ring[slot]` with the next block in input order whose group is not empty, and asks for the line
    /// records of its first partners.
    mutating func fetch(_ slot: Int, v4: OverlapGroups, v6: OverlapGroups, inputs: CidrInputs) {
        var found = ring[slot]
        found.index = -1
        ring[slot].partners = []
        while next4 < inputs.v4.count || next6 < inputs.v6.count {
            let family: IPFamily, index: Int
            if next6 >= inputs.v6.count || (next4 < inputs.v4.count && inputs.v4Origin[next4] < inputs.v6Origin[next6]) {
                family = .ipv4; index = next4; next4 += 1
            } else {
                family = .ipv6; index = next6; next6 += 1
            }
            let groups = family == .ipv4 ? v4 : v6
            let originIndex = family == .ipv4 ? inputs.v4Origin : inputs.v6Origin
            found.repeated = false
            if groups.hasCopies {
                // Only the last copy of a repeated block stands for it.
                if groups.representative(of: index) != index { continue }
                found.repeated = groups.copyCount(of: index) > 1
            }
            if filtered {
                let own = inputs.origins[Int(originIndex[index])]
                groups.partners(of: index, into: &found.partners) { inputs.isReportable(own, inputs.origins[Int(originIndex[$0])]) }
            } else {
                groups.partners(of: index, into: &found.partners)
            }
            if found.partners.isEmpty && !found.repeated { continue }
            found.family = family
            found.index = index
            (family == .ipv4 ? v4Lines : v6Lines).withUnsafeBufferPointer { lines in
                guard let base = lines.baseAddress else { return }
                for p in found.partners.prefix(ReportState.lookahead) { vpckit_prefetch(base + Int(p.index)) }
            }
            break
        }
        ring[slot] = found
    }

    /// Asks for the name bytes of the first partners of `ring[slot]` (their line records were asked for).
    func prepare(_ slot: Int, contents: [UnsafeBufferPointer<UInt8>]) {
        let pending = ring[slot]
        if pending.index < 0 { return }
        (pending.family == .ipv4 ? v4Lines : v6Lines).withUnsafeBufferPointer { lines in
            for p in pending.partners.prefix(ReportState.lookahead) {
                let line = lines[Int(p.index)]
                if line.nameLength > 0 && line.nameIndex < 0, let file = contents[Int(line.file)].baseAddress {
                    vpckit_prefetch(file + Int(line.nameStart))
                }
            }
        }
    }

    /// Reports the pairs grouped under the block of `ring[slot]`.
    /// With collapsed copies a block listed m times first gets one `cidr-duplicate` finding listing its m
    /// places (m·(m−1)/2 pairs), and its nested pairs count m × the copies of each partner.
    mutating func emit(_ slot: Int, groups: OverlapGroups, inputs: CidrInputs, contents: [UnsafeBufferPointer<UInt8>],
                       writer: inout FindingStreamWriter) {
        swap(&partners, &ring[slot].partners)
        let family = ring[slot].family, index = ring[slot].index
        let copies = groups.hasCopies ? groups.copyCount(of: index) : 1
        if ring[slot].repeated {
            pairs += copies * (copies - 1) / 2
            findings += 1
            if shown < limit {
                shown += 1
                writeCopies(index, groups: groups, family: family, inputs: inputs, contents: contents, writer: &writer)
            }
        }
        var equal = 0, contains = 0, inside = 0
        if groups.hasCopies {
            for p in partners {
                let k = groups.copyCount(of: Int(p.index))
                if p.relation == .contains { contains += k } else { inside += k }
            }
            pairs += copies * (contains + inside)
        } else {
            pairs += partners.count
            for p in partners {
                switch p.relation {
                case .equal: equal += 1
                case .contains: contains += 1
                case .liesInside: inside += 1
                }
            }
        }
        for duplicates in 0..<2 {
            let count = duplicates == 0 ? equal : contains + inside
            if count == 0 { continue }
            findings += 1
            if shown >= limit { continue }
            shown += 1
            gather(duplicates: duplicates == 0, family: family, groups: groups, contents: contents)
            write(index, family: family, copies: copies, duplicates: duplicates == 0, contains: contains, inside: inside,
                  inputs: inputs, contents: contents, writer: &writer)
        }
        swap(&partners, &ring[slot].partners)
    }

    /// The `cidr-duplicate` finding of a block listed more than once (collapsed copies), at its last copy:
    /// `10.0.0.0/16 'name' is listed 3 times`, every copy a related place (`… is listed here`).
    func writeCopies(_ index: Int, groups: OverlapGroups, family: IPFamily, inputs: CidrInputs,
                     contents: [UnsafeBufferPointer<UInt8>], writer: inout FindingStreamWriter) {
        let lines = family == .ipv4 ? v4Lines : v6Lines
        let own = lines[index]
        let column = inputs.origins[Int(family == .ipv4 ? inputs.v4Origin[index] : inputs.v6Origin[index])].column
        let copies = groups.copies(of: index)
        writer.beginFinding(ruleID: "cidr-duplicate", severity: .error, file: inputs.files[Int(own.file)], line: Int(own.line),
                            column: own.line > 0 ? max(1, Int(column)) : 0, relatedCount: copies.count)
        ReportState.label(own, index: index, family: family, inputs: inputs, contents: contents, writer: &writer)
        writer.text(" is listed ")
        writer.text(decimal: copies.count)
        writer.text(" times")
        for copy in copies {
            let line = lines[Int(copy)]
            writer.beginRelated(file: inputs.files[Int(line.file)], line: Int(line.line))
            ReportState.label(line, index: Int(copy), family: family, inputs: inputs, contents: contents, writer: &writer)
            writer.text(" is listed here")
            writer.endRelated()
        }
        writer.endFinding()
    }

    /// ` (listed 3 times)` after a block listed more than once.
    static func listed(_ copies: Int, writer: inout FindingStreamWriter) {
        if copies < 2 { return }
        writer.text(" (listed ")
        writer.text(decimal: copies)
        writer.text(" times)")
    }

    /// Fills ``gathered`` with the equal partners (`duplicates`) or the nested ones.
    mutating func gather(duplicates: Bool, family: IPFamily, groups: OverlapGroups, contents: [UnsafeBufferPointer<UInt8>]) {
        let counted = groups.hasCopies
        gathered.removeAll(keepingCapacity: true)
        (family == .ipv4 ? v4Lines : v6Lines).withUnsafeBufferPointer { lines in
            partners.withUnsafeBufferPointer { partners in
                guard let base = lines.baseAddress else { return }
                let n = partners.count
                for k in 0..<n {
                    // The first `lookahead` were asked for while earlier groups were written.
                    if k + 16 < n && k + 16 >= ReportState.lookahead { vpckit_prefetch(base + Int(partners[k + 16].index)) }
                    if k + 8 < n && k + 8 >= ReportState.lookahead {
                        let ahead = lines[Int(partners[k + 8].index)]
                        if ahead.nameLength > 0 && ahead.nameIndex < 0, let file = contents[Int(ahead.file)].baseAddress {
                            vpckit_prefetch(file + Int(ahead.nameStart))
                        }
                    }
                    let p = partners[k]
                    if (p.relation == .equal) != duplicates { continue }
                    var line = lines[Int(p.index)]
                    line.relation = p.relation
                    gathered.append((line, p.index, counted ? groups.copyCount(of: Int(p.index)) : 1))
                }
            }
        }
    }

    /// One finding: block `index` and its ``gathered`` partners.
    func write(_ index: Int, family: IPFamily, copies: Int, duplicates: Bool, contains: Int, inside: Int,
               inputs: CidrInputs, contents: [UnsafeBufferPointer<UInt8>], writer: inout FindingStreamWriter) {
        let own = family == .ipv4 ? v4Lines[index] : v6Lines[index]
        let column = inputs.origins[Int(family == .ipv4 ? inputs.v4Origin[index] : inputs.v6Origin[index])].column
        let count = gathered.count
        writer.beginFinding(ruleID: duplicates ? "cidr-duplicate" : "cidr-nested", severity: .error,
                            file: inputs.files[Int(own.file)], line: Int(own.line), column: own.line > 0 ? max(1, Int(column)) : 0,
                            relatedCount: count)
        ReportState.label(own, index: index, family: family, inputs: inputs, contents: contents, writer: &writer)
        ReportState.listed(copies, writer: &writer)
        if count == 1, let partner = gathered.first {
            let other = partner.line
            let otherFile = inputs.files[Int(other.file)]
            writer.text(other.relation == .equal ? " duplicates " : other.relation == .contains ? " contains " : " lies inside ")
            ReportState.label(other, index: Int(partner.index), family: family, inputs: inputs, contents: contents, writer: &writer)
            writer.text(" (")
            writer.text(otherFile)
            // Line 0: a prefix `--onprem CIDR@EDGE` added (its "file" is the option).
            if other.line > 0 {
                writer.text(ascii: UInt8(ascii: ":"))
                writer.text(decimal: Int(other.line))
            }
            if partner.copies > 1 {
                writer.text("; listed ")
                writer.text(decimal: partner.copies)
                writer.text(" times")
            }
            writer.text(ascii: UInt8(ascii: ")"))
            writer.beginRelated(file: otherFile, line: Int(other.line))
            ReportState.label(other, index: Int(partner.index), family: family, inputs: inputs, contents: contents, writer: &writer)
            writer.text(" is here")
            ReportState.listed(partner.copies, writer: &writer)
            writer.endRelated()
        } else {
            if duplicates {
                writer.text(" duplicates ")
                writer.text(decimal: count)
                writer.text(" blocks")
            } else {
                if contains > 0 {
                    writer.text(" contains ")
                    writer.text(decimal: contains)
                    writer.text(contains == 1 ? " block" : " blocks")
                }
                if inside > 0 {
                    writer.text(contains > 0 ? " and lies inside " : " lies inside ")
                    writer.text(decimal: inside)
                    if contains == 0 { writer.text(" blocks") }
                }
            }
            for partner in gathered {
                let other = partner.line
                writer.beginRelated(file: inputs.files[Int(other.file)], line: Int(other.line))
                ReportState.label(other, index: Int(partner.index), family: family, inputs: inputs, contents: contents, writer: &writer)
                writer.text(other.relation == .equal ? " duplicates it" : other.relation == .contains ? " lies inside it" : " contains it")
                ReportState.listed(partner.copies, writer: &writer)
                writer.endRelated()
            }
        }
        writer.endFinding()
    }

    /// `10.0.0.0/16 'name'` (the name when there is one) of block `index` of `family`.
    static func label(_ block: BlockLine, index: Int, family: IPFamily, inputs: CidrInputs,
                      contents: [UnsafeBufferPointer<UInt8>], writer: inout FindingStreamWriter) {
        if family == .ipv4 {
            let bits = block.bits
            writer.text(decimal: Int(bits >> 24))
            writer.text(ascii: UInt8(ascii: "."))
            writer.text(decimal: Int((bits >> 16) & 0xFF))
            writer.text(ascii: UInt8(ascii: "."))
            writer.text(decimal: Int((bits >> 8) & 0xFF))
            writer.text(ascii: UInt8(ascii: "."))
            writer.text(decimal: Int(bits & 0xFF))
            writer.text(ascii: UInt8(ascii: "/"))
            writer.text(decimal: Int(block.length))
        } else {
            writer.text(inputs.v6[index].description)
        }
        if block.nameIndex >= 0 {
            writer.text(" '")
            writer.text(inputs.names[Int(block.nameIndex)])
            writer.text(ascii: UInt8(ascii: "'"))
        } else if block.nameLength > 0 {
            writer.text(" '")
            let start = Int(block.nameStart), length = Int(block.nameLength)
            writer.text(utf8: UnsafeBufferPointer(rebasing: contents[Int(block.file)][start..<start + length]))
            writer.text(ascii: UInt8(ascii: "'"))
        }
    }
}

