// Terraform `show -json` (plan or state) into the topology model.
import IPAddressing
import NetworkModel

/// Imports the JSON of `terraform show -json` (a plan or a state).
public enum TerraformImporter {
    /// Builds a topology from a parsed Terraform document.
    ///
    /// - Throws: `JSONError` naming the file and JSON path of a malformed value.
    public static func importDocument(_ document: JSONDocument) throws(JSONError) -> ImportResult {
        throw document.root.error("Terraform import is not implemented yet")
    }
}
