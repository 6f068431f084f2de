/// One entry of a diagnostic catalogue: a stable id, what it means in one line, and an input that triggers it.
///
/// The `.vpc` language (`DSLCatalogue` in NetworkModel), JSON imports (`JSONError.catalogue` in Importers) and
/// CIDR lists (``CidrListDiagnostics``) each keep a catalogue like the lint rules' (`LintCatalogue`);
/// `Docs/DIAGNOSTICS.md` lists every id with its example, and tests check that each example produces its id.
public struct DiagnosticDescriptor: Hashable, Sendable {
    /// The stable id (`dsl-unknown-name`): what JSON's `"rule"` and SARIF's `properties.diagnosticId` carry.
    public var id: String
    /// One line: what the message is about.
    public var summary: String
    /// An input that produces the message (a `.vpc` file, a JSON document, a CIDR list).
    public var example: String
    public init(id: String, summary: String, example: String) {
        self.id = id
        self.summary = summary
        self.example = example
    }
}

/// The ids of CIDR-list input errors (`vpckit cidr`'s plain lists, one block a line).
public enum CidrListDiagnostics {
    /// A line whose first word is not a CIDR block (bad syntax, host bits set, a bad prefix length).
    public static let parse = DiagnosticDescriptor(
        id: "cidr-parse", summary: "a line of a CIDR list does not start with a CIDR block",
        example: "10.0.0.0/8\n10.300.0.0/16\n")
    /// A list that cannot be read, or holds nothing.
    public static let input = DiagnosticDescriptor(
        id: "cidr-input", summary: "a CIDR list that cannot be read or is empty", example: "\n")
    /// Every id, in `Docs/DIAGNOSTICS.md` order.
    public static let all = [parse, input]
}
