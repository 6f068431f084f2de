/// The topology versions the `vpckit diff` tests compare (Tests/ReachabilityTests/Questions/DiffTests.swift and
/// Tests/VPCKitCLITests/DiffCommandTests.swift): one text for both suites, so the library's answer and the
/// command's are about the same change.
public enum DiffFixtures {
    /// `Topologies/three-tier.vpc` (OLD) and the change Docs/DIFF.md shows (NEW): `ingress tcp 8443 from 0.0.0.0/0`
    /// added to group web, app-a's default route to nat-a removed. nil when the file cannot be read.
    public static func threeTierChange() -> (old: String, new: String)? {
        guard let old = repositoryFile("Topologies/three-tier.vpc") else { return nil }
        let new = old.replacing("    ingress tcp 80 from 0.0.0.0/0\n", with: "    ingress tcp 80 from 0.0.0.0/0\n    ingress tcp 8443 from 0.0.0.0/0\n")
            .replacing("    associate app-a\n    route 0.0.0.0/0 -> nat-a\n", with: "    associate app-a\n")
        // Both edits applied: the text changed in two places.
        guard new.count == old.count + "    ingress tcp 8443 from 0.0.0.0/0\n".count - "    route 0.0.0.0/0 -> nat-a\n".count else { return nil }
        return (old, new)
    }

    /// One VPC with instance `x` in group `open` (tcp 22 from the VPC); `extra` is inserted as the VPC's last
    /// statements (a line ending in a newline, or "").
    public static func oneInstance(_ extra: String = "") -> String {
        """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24
          security-group open {
            ingress tcp 22 from 10.0.0.0/16
          }
          instance x in a ip 10.0.1.5 sg open
        \(extra)}
        """
    }
}
