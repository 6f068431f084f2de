import ArgumentParser
import IPAddressing
import Reporting

/// `vpckit cidr overlaps FILE...`: every pair of overlapping blocks across plain lists and topologies.
struct CidrOverlaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlaps",
        abstract: "Report every pair of overlapping CIDR blocks (equal or nested) across files.",
        discussion: """
            Plain lists hold one CIDR a line, an optional name after whitespace, and # comments; '-' reads \
            standard input. Files ending in .vpc or .json, and folders, are read as topologies: their VPC blocks, \
            subnet blocks and prefix-list entries are checked (a subnet inside its own VPC, and prefix-list \
            entries against other resources, are expected and not reported).
            Exit status: 0 no overlaps, 1 overlaps found, 2 bad input.
            Example: vpckit cidr overlaps --format github networks/*.txt
            """)

    @Argument(help: "Plain CIDR lists or topology files.")
    var files: [String]
    @Option(help: "Output format: text, json, github (Actions annotations) or sarif (2.1.0).")
    var format: CidrFindingFormat = .text
    @Flag(help: "Clear host bits (10.0.0.1/16 → 10.0.0.0/16) instead of rejecting them.")
    var normalize = false

    static let rules = [
        RuleDescriptor(id: "cidr-duplicate", name: "DuplicateCIDR",
                       shortDescription: "The same CIDR block appears twice.", defaultSeverity: .error,
                       helpText: "Two networks with the same block cannot be routed to each other or peered."),
        RuleDescriptor(id: "cidr-nested", name: "NestedCIDR",
                       shortDescription: "A CIDR block lies inside another one.", defaultSeverity: .error,
                       helpText: "Overlapping address plans break peering, transit gateway propagation and routing."),
    ]

    func run() throws {
        var inputs = CidrInputs()
        for path in files { try inputs.read(path, normalize: normalize) }
        if inputs.errorCount > 0 {
            reportInputErrors(inputs)
            if format == .github {
                Terminal.write(FindingRenderer.github(inputs.errors.map {
                    Finding(ruleID: "cidr-parse", severity: .error, file: $0.file, line: $0.line, column: $0.column, message: $0.message)
                }))
            }
            throw ExitCode(2)
        }
        let findings = CidrOverlaps.findings(inputs)
        Terminal.write(FindingRenderer.render(findings, format: format.findingFormat, rules: CidrOverlaps.rules))
        let summary = "\(findings.count) overlap\(findings.count == 1 ? "" : "s") among \(inputs.prefixCount) blocks"
            + " (\(inputs.v4.count) IPv4, \(inputs.v6.count) IPv6)"
        Terminal.writeError(summary)
        if !findings.isEmpty { throw ExitCode(1) }
    }

    /// One finding per reportable overlapping pair, placed at the later of the two lines (usually the new one),
    /// in input order.
    static func findings(_ inputs: CidrInputs) -> [Finding] {
        var pairs: [(primary: Int32, other: Int32, outerIsPrimary: Bool, kind: OverlapKind, family: IPFamily, a: Int, b: Int)] = []
        func collect(_ outerOrigin: Int32, _ innerOrigin: Int32, _ kind: OverlapKind, _ family: IPFamily, _ o: Int, _ i: Int) {
            guard inputs.isReportable(inputs.origins[Int(outerOrigin)], inputs.origins[Int(innerOrigin)]) else { return }
            let outerLater = outerOrigin > innerOrigin
            pairs.append((outerLater ? outerOrigin : innerOrigin, outerLater ? innerOrigin : outerOrigin, outerLater, kind, family, o, i))
        }
        OverlapFinder.sweep(inputs.v4) { o, i, kind in collect(inputs.v4Origin[o], inputs.v4Origin[i], kind, .ipv4, o, i) }
        OverlapFinder.sweep(inputs.v6) { o, i, kind in collect(inputs.v6Origin[o], inputs.v6Origin[i], kind, .ipv6, o, i) }
        pairs.sort { ($0.primary, $0.other) < ($1.primary, $1.other) }
        return pairs.map { pair in
            let outerText = pair.family == .ipv4 ? inputs.v4[pair.a].description : inputs.v6[pair.a].description
            let innerText = pair.family == .ipv4 ? inputs.v4[pair.b].description : inputs.v6[pair.b].description
            let primary = inputs.origins[Int(pair.primary)], other = inputs.origins[Int(pair.other)]
            func label(_ text: String, _ origin: CidrOrigin) -> String {
                inputs.name(of: origin).map { "\(text) '\($0)'" } ?? text
            }
            let primaryText = pair.outerIsPrimary ? outerText : innerText
            let otherText = pair.outerIsPrimary ? innerText : outerText
            let otherPlace = "\(inputs.files[Int(other.file)]):\(other.line)"
            let verb = pair.kind == .equal ? "duplicates" : pair.outerIsPrimary ? "contains" : "lies inside"
            let message = "\(label(primaryText, primary)) \(verb) \(label(otherText, other)) (\(otherPlace))"
            return Finding(
                ruleID: pair.kind == .equal ? "cidr-duplicate" : "cidr-nested", severity: .error,
                file: inputs.files[Int(primary.file)], line: Int(primary.line), column: max(1, Int(primary.column)),
                message: message,
                related: [.init(file: inputs.files[Int(other.file)], line: Int(other.line),
                                message: "\(label(otherText, other)) is here")])
        }
    }
}
