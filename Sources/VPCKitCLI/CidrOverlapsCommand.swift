import AddressPlanning
import ArgumentParser
import IPAddressing
import Loading
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
            entries against other resources, are expected and not reported). On-premises prefixes (`onprem` \
            blocks, and --onprem CIDR@EDGE applied to every topology) are compared like VPC blocks (the prefixes \
            of one network with each other are not reported). --scope vpc compares only their \
            VPC blocks, --scope subnet only their subnet blocks (with each other and with every plain-list line); \
            it needs a topology input.
            Each overlapping pair is reported once, under the block of the two that overlaps more blocks (on a \
            tie, the later line): a block overlapping many others is one finding listing them. In plain lists a \
            block listed several times is one finding at its last copy listing every line it is on, and counts \
            once in the others ("listed N times"). Findings are \
            written as they are found, in input order; --max-findings limits how many are printed, and a summary \
            (stderr; JSON keys; SARIF run properties) counts them all.
            Exit status: 0 no overlaps, 1 overlaps found, 2 bad input.
            Example: vpckit cidr overlaps --format github networks/*.txt
            """)

    @Argument(help: "Plain CIDR lists or topology files.")
    var files: [String]
    @Option(help: "Output format: text, json, github (Actions annotations) or sarif (2.1.0).")
    var format: CidrFindingFormat = .text
    @Flag(help: "Clear host bits (10.0.0.1/16 → 10.0.0.0/16) instead of rejecting them.")
    var normalize = false
    @Option(parsing: .unconditional, help: "Print at most N findings; the summary still counts every pair and finding.")
    var maxFindings: Int?
    @Option(help: "Topology blocks to compare: all (VPC, subnet and prefix-list blocks), vpc or subnet.")
    var scope: CidrScope = .all
    @OptionGroup var edges: EdgeOptions

    func validate() throws {
        if let n = maxFindings, n < 0 { throw ValidationError("--max-findings must be 0 or more, got \(n)") }
    }

    func run() throws {
        var inputs = CidrInputs()
        inputs.scope = scope
        if let facts = try edges.facts() { inputs.edgeFacts = facts }
        for path in files { try inputs.read(path, normalize: normalize, messages: Terminal.writeError) }
        if scope != .all && !inputs.hasTopology && inputs.errorCount == 0 {
            Terminal.writeError("error: --scope \(scope.rawValue) selects blocks of topologies (.vpc, AWS/Terraform JSON, folders), and no input is one; plain lists are always compared whole")
            throw ExitCode(2)
        }
        if inputs.errorCount > 0 {
            reportInputErrors(inputs)
            if format == .github {
                Terminal.write(FindingRenderer.github(inputs.errors.map {
                    Finding(ruleID: "cidr-parse", severity: .error, file: $0.file, line: $0.line, column: $0.column, message: $0.message)
                }))
            }
            throw ExitCode(2)
        }
        var writer = FindingStreamWriter(format: format.findingFormat, rules: CidrOverlapReport.rules, bufferSize: 1 << 18) {
            Terminal.writeAll(fd: 1, $0)
        }
        writer.begin()
        let totals = CidrOverlapReport.report(inputs, limit: maxFindings ?? Int.max, to: &writer)
        let omitted = totals.findings - totals.shown
        switch format {
        case .text: writer.finish()
        case .json: writer.finish(extra: [("total", totals.findings), ("omitted", omitted), ("pairs", totals.pairs)])
        case .sarif: writer.finish(extra: [("total", totals.findings), ("omitted", omitted), ("pairs", totals.pairs)])
        case .github:
            writer.finish()
            if omitted > 0 {
                Terminal.write("::notice title=cidr-overlaps::\(omitted) more finding\(omitted == 1 ? "" : "s") not shown (--max-findings \(totals.shown))\n")
            }
        }
        var summary = "\(totals.pairs) overlap\(totals.pairs == 1 ? "" : "s") among \(inputs.prefixCount) blocks"
            + " (\(inputs.v4.count) IPv4, \(inputs.v6.count) IPv6)"
        if totals.pairs > 0 { summary += " in \(totals.findings) finding\(totals.findings == 1 ? "" : "s")" }
        if omitted > 0 { summary += "; \(omitted) not shown (--max-findings \(maxFindings ?? 0))" }
        Terminal.writeError(summary)
        if totals.pairs > 0 { throw ExitCode(1) }
    }
}

extension CidrScope: ExpressibleByArgument {}
