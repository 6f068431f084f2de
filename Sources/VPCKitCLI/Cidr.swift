import AddressPlanning
import ArgumentParser
import IPAddressing
import Reporting

/// `vpckit cidr`: address planning and CIDR overlap checks for CI.
struct Cidr: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cidr",
        abstract: "IP address planning and CIDR overlap checks.",
        subcommands: [CidrOverlaps.self, CidrInfo.self, CidrSplit.self, CidrFree.self])
}

/// Output formats of `cidr overlaps`.
enum CidrFindingFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, github, sarif
    var findingFormat: FindingFormat {
        switch self {
        case .text: .text
        case .json: .json
        case .github: .github
        case .sarif: .sarif
        }
    }
}

/// Output formats of the planning subcommands.
enum CidrListFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Parses a prefix given on the command line; prints the error, naming the `argument` (`<prefix>`), with a
/// caret and exits 2 when it is bad.
func parsePrefixArgument(_ text: String, argument: String, normalize: Bool = false) throws -> IPPrefix {
    do {
        return try IPPrefix(text, normalize: normalize)
    } catch {
        // Arguments are echoed with control characters escaped (the caret counts the escaped text).
        let shown = Diagnostic.escaped(text)
        let before = Diagnostic.escaped(String(decoding: Array(text.utf8.prefix(error.offset)), as: UTF8.self)).count
        var message = "\(argument): \(Diagnostic.escaped(error.message)) in '\(shown)'"
        var caret = "^"
        if case .hostBitsSet(let canonical) = error.kind {
            message = "\(argument): host bits set in '\(shown)'; did you mean '\(canonical)'?"
            caret += String(repeating: "~", count: max(0, shown.count - 1))
        }
        Terminal.writeError("error: \(message)\n  \(shown)\n  " + String(repeating: " ", count: before) + caret)
        throw ExitCode(2)
    }
}

/// Parses `/N` or `N` as a prefix length for `family`; exits 2 when it is out of range.
func parseLengthArgument(_ text: String, option: String, family: IPFamily) throws -> Int {
    let digits = text.hasPrefix("/") ? text.dropFirst() : Substring(text)
    let width = family == .ipv4 ? 32 : 128
    guard let n = Int(digits), n >= 0, n <= width, digits.allSatisfy(\.isASCII) else {
        Terminal.writeError("error: \(option) expects a prefix length /0…/\(width) for \(family), got '\(text)'")
        throw ExitCode(2)
    }
    return n
}

/// The parent block and child length of `cidr split` / `cidr free`, checked: the length fits the family and
/// is not shorter than the parent's, and `count` (the number of blocks to print) is 1…``maxListedBlocks``.
/// Prints the problem and exits 2 otherwise.
func parseParentAndLength(_ parent: String, argument: String, length text: String, option: String, count: Int,
                          countOption: String) throws -> (IPPrefix, Int) {
    let parsed = try parsePrefixArgument(parent, argument: argument)
    let length = try parseLengthArgument(text, option: option, family: parsed.family)
    guard length >= parsed.length else {
        Terminal.writeError("error: \(option) /\(length) is shorter than \(parsed); use /\(parsed.length) or longer")
        throw ExitCode(2)
    }
    guard (1...maxListedBlocks).contains(count) else {
        Terminal.writeError("error: \(countOption) must be 1…\(maxListedBlocks), got \(count)")
        throw ExitCode(2)
    }
    return (parsed, length)
}

/// The most blocks `cidr split` and `cidr free` print in one run (their output is built in memory).
let maxListedBlocks = 1 << 20

/// `vpckit cidr info PREFIX`
struct CidrInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a block's range, size, and the addresses usable in an AWS subnet.",
        discussion: "Example: vpckit cidr info 10.0.0.0/24")

    @Argument(help: "A CIDR block, e.g. 10.0.0.0/24 or 2001:db8::/64.")
    var prefix: String
    @Option(help: "Output format: text or json.")
    var format: CidrListFormat = .text

    func run() throws {
        let parsed = try parsePrefixArgument(prefix, argument: "<prefix>")
        let info = CidrFacts.describe(parsed)
        switch format {
        case .json:
            Terminal.write(JSONValue.object(info).serialized(pretty: true) + "\n")
        case .text:
            var out = ""
            for (key, value) in info {
                let text: String
                switch value {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                case .array(let items): text = items.map { item in
                        if case .object(let m) = item, let a = m.first?.1, let r = m.last?.1,
                           case .string(let address) = a, case .string(let role) = r { return "\(address) (\(role))" }
                        return item.serialized()
                    }.joined(separator: ", ")
                default: text = value.serialized()
                }
                out += key.replacing("_", with: " ").padding(to: 18) + text + "\n"
            }
            Terminal.write(out)
        }
    }
}

fileprivate extension String {
    /// The string padded with spaces to at least `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

/// `vpckit cidr split PREFIX --into /N`
struct CidrSplit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "List the /N blocks a prefix splits into, in address order.",
        discussion: "Example: vpckit cidr split 10.0.0.0/16 --into /20")

    @Argument(help: "The block to split.")
    var prefix: String
    @Option(help: "The children's prefix length, e.g. /24.")
    var into: String
    @Option(parsing: .unconditional, help: "Print at most this many blocks (at most 1048576).")
    var limit: Int = 65536
    @Option(help: "Output format: text or json.")
    var format: CidrListFormat = .text

    func run() throws {
        let (parsed, length) = try parseParentAndLength(prefix, argument: "<prefix>", length: into, option: "--into", count: limit,
                                                        countOption: "--limit")
        let children: [String]
        let total: String
        switch parsed {
        case .v4(let p): children = p.split(into: length).map { $0.prefix(limit).map(\.description) } ?? []
        case .v6(let p): children = p.split(into: length).map { $0.prefix(limit).map(\.description) } ?? []
        }
        total = CidrFacts.powerOfTwo(length - parsed.length)
        switch format {
        case .text:
            Terminal.write(children.joined(separator: "\n") + "\n")
        case .json:
            Terminal.write(JSONValue.object([
                ("parent", .string(parsed.description)), ("length", .int(length)), ("total", .string(total)),
                ("children", .array(children.map { .string($0) })),
            ]).serialized(pretty: true) + "\n")
        }
        if String(children.count) != total {
            Terminal.writeError("note: printed the first \(children.count) of \(total) blocks (raise --limit for more)")
        }
    }
}

/// `vpckit cidr free PARENT --used FILE --size /N`
struct CidrFree: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "free",
        abstract: "Find the first free blocks of a size inside a parent block (subnet planning).",
        discussion: """
            Reads the blocks in use from plain lists (one CIDR a line, optional name, # comments) or topologies \
            (their subnets, VPC blocks and prefix-list entries; a VPC block holding the whole parent is the space \
            being planned and does not count as used). \
            Exit status: 0 with blocks printed, 1 when no free block of that size is left, 2 on bad input.
            Example: vpckit cidr free 10.0.0.0/16 --used subnets.txt --size /24
            """)

    @Argument(help: "The block to allocate from (a VPC CIDR).")
    var parent: String
    @Option(name: .long, help: "A file of blocks already in use (repeatable).")
    var used: [String] = []
    @Option(help: "The prefix length wanted, e.g. /24.")
    var size: String
    @Option(parsing: .unconditional, help: "How many free blocks to print (at most 1048576).")
    var count: Int = 1
    @Option(help: "Output format: text or json.")
    var format: CidrListFormat = .text

    func run() throws {
        let (parsed, length) = try parseParentAndLength(parent, argument: "<parent>", length: size, option: "--size", count: count,
                                                        countOption: "--count")
        var inputs = CidrInputs()
        for path in used { try inputs.read(path, normalize: false, messages: Terminal.writeError) }
        if inputs.errorCount > 0 {
            reportInputErrors(inputs)
            throw ExitCode(2)
        }
        let blocks = inputs.freeBlocks(in: parsed, length: length, limit: count).map(\.description)
        switch format {
        case .text:
            if !blocks.isEmpty { Terminal.write(blocks.joined(separator: "\n") + "\n") }
        case .json:
            Terminal.write(JSONValue.object([
                ("parent", .string(parsed.description)), ("length", .int(length)),
                ("free", .array(blocks.map { .string($0) })),
            ]).serialized(pretty: true) + "\n")
        }
        if blocks.isEmpty {
            Terminal.writeError("no free /\(length) left in \(parsed)")
            throw ExitCode(1)
        }
    }
}

/// Prints input diagnostics (at most ``CidrInputs/maxShownErrors``) and a count on stderr.
func reportInputErrors(_ inputs: CidrInputs) {
    var out = ""
    for d in inputs.errors { out += d.rendered + "\n" }
    if inputs.errorCount > inputs.errors.count {
        out += "… and \(inputs.errorCount - inputs.errors.count) more errors\n"
    }
    out += "\(inputs.errorCount) error\(inputs.errorCount == 1 ? "" : "s") in the input; nothing checked"
    Terminal.writeError(out)
}
