#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TestSupport
import Testing
import NetworkModel
import Reporting

/// The topology examples of the documentation are what `vpckit fmt` prints (Docs/DSL.md, "Examples on this
/// page"): a ```` ```vpc ```` block is a whole topology that parses, validates and is in canonical layout; a
/// plain ```` ``` ```` block is a fragment — top-level statements, or statements of a `vpc` body — that parses
/// and is in canonical layout where it stands (inside `vpc doc { … }` for body statements) — also a whole
/// topology that parses but does not validate (Docs/LINT.md's triggers of rules `vpckit check` already rejects);
/// ```` ```text ````, `sh`, `swift` … blocks are not the language and are not checked.
@Suite struct DocExampleTests {
    struct Block {
        var info: String
        var line: Int
        var text: String
    }

    /// The fenced blocks of a Markdown text: the info string, the line of the opening fence, the text.
    static func blocks(_ markdown: String) -> [Block] {
        var blocks: [Block] = []
        var open: (info: String, line: Int)? = nil
        var lines: [Substring] = []
        for (n, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if let o = open {
                    blocks.append(Block(info: o.info, line: o.line, text: lines.map { $0 + "\n" }.joined()))
                    open = nil
                } else {
                    open = (String(line.dropFirst(3)).trimmingSpaces, n + 1)
                    lines = []
                }
            } else if open != nil {
                lines.append(line)
            }
        }
        return blocks
    }

    enum Outcome: Equatable {
        case canonical
        /// What fmt prints instead (or the parse errors).
        case differs(String)
    }

    /// Checks one block; nil for blocks that are not the language.
    static func check(_ block: Block, file: String) -> Outcome? {
        let where_ = "\(file):\(block.line)"
        switch block.info {
        case "vpc":
            let (_, diagnostics) = TopologyLoader.load(block.text, file: where_)
            let errors = diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty { return .differs(errors.map(\.rendered).joined(separator: "\n")) }
            let (formatted, syntax) = TopologyPrinter.format(source: block.text, file: where_)
            guard let formatted else { return .differs(syntax.map(\.rendered).joined(separator: "\n")) }
            return formatted == block.text ? .canonical : .differs(formatted)
        case "":
            let (top, topErrors) = TopologyPrinter.format(source: block.text, file: where_)
            if let top, topErrors.isEmpty { return top == block.text ? .canonical : .differs(top) }
            // A `vpc` body fragment: inside `vpc doc { … }`, then the wrapper (and the blank line fmt puts after it
            // when the fragment does not start with the VPC's first group) taken off again.
            let body = block.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
                .map { $0.isEmpty ? "\n" : "  " + $0 + "\n" }.joined()
            let (inside, insideErrors) = TopologyPrinter.format(source: "vpc doc {\n" + body + "}\n", file: where_)
            guard let inside, insideErrors.isEmpty else {
                return .differs((topErrors + insideErrors).map(\.rendered).joined(separator: "\n"))
            }
            var lines = inside.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.first == "vpc doc {", lines.count >= 3, lines[lines.count - 2] == "}" else { return .differs(inside) }
            lines = Array(lines[1..<(lines.count - 2)])
            if lines.first == "" { lines.removeFirst() }
            let unwrapped = lines.map { ($0.hasPrefix("  ") ? $0.dropFirst(2) : $0) + "\n" }.joined()
            return unwrapped == block.text ? .canonical : .differs(unwrapped)
        default:
            return nil
        }
    }

    static func nonCanonical(_ relative: String) -> [String] {
        guard let text = repositoryFile(relative) else { return ["\(relative): cannot read"] }
        return blocks(text).compactMap { block in
            guard case .differs(let printed)? = check(block, file: relative) else { return nil }
            return "\(relative):\(block.line): not what fmt prints; fmt gives:\n\(printed)"
        }
    }

    @Test func dslExamplesAreCanonical() {
        let problems = Self.nonCanonical("Docs/DSL.md")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n\n"))")
        // The page has examples of both kinds, so the check cannot pass by finding none.
        let blocks = Self.blocks(repositoryFile("Docs/DSL.md") ?? "")
        #expect(blocks.filter { $0.info == "vpc" }.count >= 1)
        #expect(blocks.filter { $0.info == "" }.count >= 12)
    }

    @Test func readmeExamplesAreCanonical() {
        let problems = Self.nonCanonical("README.md")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n\n"))")
    }

    /// Docs/LINT.md: every rule's trigger and fixed topology, the suppression example. All are whole topologies
    /// that load, except the triggers of the three rules whose findings `vpckit check` reports as errors: those
    /// are plain blocks, which parse (and must not validate, or they belong in a ```` ```vpc ```` block).
    @Test func lintExamplesAreCanonical() {
        let problems = Self.nonCanonical("Docs/LINT.md")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n\n"))")
        let blocks = Self.blocks(repositoryFile("Docs/LINT.md") ?? "")
        // Two topologies per rule (31 rules) and the suppression example, so the check cannot pass by finding none.
        #expect(blocks.filter { $0.info == "vpc" }.count >= 60)
        let plain = blocks.filter { $0.info == "" }
        #expect(plain.count == 3)
        for block in plain {
            let (_, diagnostics) = TopologyLoader.load(block.text, file: "Docs/LINT.md:\(block.line)")
            #expect(diagnostics.contains { $0.severity == .error },
                    "Docs/LINT.md:\(block.line) validates: make it a ```vpc block")
        }
    }

    /// The other pages show commands, output and data structures, not the language: any block of the language
    /// they gain is checked like the rest. (The two copies, Docs/LANGUAGE-CONTRACT.md and Docs/AWS-BEHAVIOUR.md,
    /// equal their shared originals byte for byte and are not edited to fit.)
    @Test(arguments: ["Docs/IMPORT.md", "Docs/SEMANTICS.md", "Docs/SECURITY.md", "Docs/ARCHITECTURE.md",
                      "Docs/CIDR.md", "Docs/PERFORMANCE.md"])
    func otherPagesExamplesAreCanonical(page: String) {
        #expect(repositoryFile(page) != nil, "\(page) is missing")
        let problems = Self.nonCanonical(page)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n\n"))")
    }

    /// The contract copy (never edited: it equals the shared contract) is one topology across its blocks: it
    /// parses and validates as a whole (ParserTests also checks its content); it is not in canonical layout.
    @Test func contractCopyLoads() throws {
        let text = try #require(repositoryFile("Docs/LANGUAGE-CONTRACT.md"))
        let (topology, diagnostics) = TopologyLoader.load(contractExample(of: text), file: "LANGUAGE-CONTRACT.md")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(!topology.vpcs.isEmpty)
    }

    /// `Docs/LANGUAGE-CONTRACT.md` is a copy of the shared contract: when `../shared/dsl.md` is at hand, they
    /// are equal byte for byte.
    @Test(.enabled(if: repositoryFile("../shared/dsl.md") != nil, "needs Docs/LANGUAGE-CONTRACT.md"))
    func contractCopyEqualsTheSharedContract() {
        #expect(repositoryFile("Docs/LANGUAGE-CONTRACT.md") == repositoryFile("../shared/dsl.md"))
    }

    /// `Docs/AWS-BEHAVIOUR.md`, the AWS facts the model follows (explanation codes, worked scenarios), is a copy
    /// of the shared reference: a fresh clone has it; when `../shared/semantics.md` is at hand, they are equal
    /// byte for byte.
    @Test func awsBehaviourCopyIsThere() throws {
        let text = try #require(repositoryFile("Docs/AWS-BEHAVIOUR.md"))
        #expect(text.hasPrefix("# The AWS behaviour we model\n"))
        #expect(text.contains("## 12."))
    }

    @Test(.enabled(if: repositoryFile("../shared/semantics.md") != nil, "needs ../shared/semantics.md"))
    func awsBehaviourCopyEqualsTheSharedReference() {
        #expect(repositoryFile("Docs/AWS-BEHAVIOUR.md") == repositoryFile("../shared/semantics.md"))
    }

    /// A fresh clone has no `../shared/`: the docs and the doc comments cite the copies (`AWS-BEHAVIOUR.md`,
    /// `LANGUAGE-CONTRACT.md`), never `semantics.md` or `dsl.md` of the shared folder.
    @Test func referencesCiteTheCopies() {
        let files = (Self.files(under: "Docs", suffix: ".md") + ["README.md"] + Self.files(under: "Sources", suffix: ".swift"))
            .filter { $0 != "Docs/AWS-BEHAVIOUR.md" && $0 != "Docs/LANGUAGE-CONTRACT.md" }
        #expect(files.count >= 40 && files.contains("Sources/Lint/LintCatalogue.swift"), "\(files)")
        var citing: [String] = []
        for file in files {
            guard let text = repositoryFile(file) else { citing.append("\(file): cannot read"); continue }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("semantics.md") || line.contains("shared/dsl.md") {
                citing.append("\(file):\(n + 1): \(line)")
            }
        }
        #expect(citing.isEmpty, "\(citing.joined(separator: "\n"))")
    }

    /// The files under the repository folder `relative` whose names end in `suffix`, as repository paths.
    static func files(under relative: String, suffix: String) -> [String] {
        guard let dir = opendir(repositoryRoot + "/" + relative) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let path = relative + "/" + name
            if name.hasSuffix(suffix) { out.append(path) } else if !name.contains(".") { out += files(under: path, suffix: suffix) }
        }
        return out.sorted()
    }

    /// The checker itself: a non-canonical fragment and a non-canonical whole topology are caught, canonical
    /// ones pass, and other languages are skipped.
    @Test func checkerCatchesLayoutDifferences() {
        let md = """
        ```
        subnet a 10.0.0.0/24
        ```
        ```
        subnet a    10.0.0.0/24
        ```
        ```vpc
        vpc v {
          cidr 10.0.0.0/16
        }
        ```
        ```vpc
        vpc v { cidr 10.0.0.0/16 }
        ```
        ```text
        anything at all
        ```
        """
        let outcomes = Self.blocks(md).map { Self.check($0, file: "t.md") }
        #expect(outcomes.count == 5)
        #expect(outcomes[0] == .canonical)
        #expect(outcomes[1] != .canonical && outcomes[1] != nil)
        #expect(outcomes[2] == .canonical)
        #expect(outcomes[3] != .canonical && outcomes[3] != nil)
        #expect(outcomes[4] == nil)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
