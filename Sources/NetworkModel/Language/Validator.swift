import IPAddressing
import Reporting

/// Semantic checks of a parsed topology (Docs/DSL.md, "Validation"): names resolve to the right kind in the
/// right VPC, addresses fit their blocks, AWS's structural limits hold.
public enum TopologyValidator {
    /// Every problem of `topology`, in source order. `sources` (file name → text) lets diagnostics show the
    /// source line and underline the offending word; without it they carry only the position.
    public static func validate(_ topology: Topology, sources: [String: SourceText] = [:]) -> [Diagnostic] {
        []
    }
}
