import Lint
import NetworkModel
import Reporting
import Testing

/// Rules on declared defaults (`security-group NAME default`, `network-acl NAME default`) and on routes to
/// unmodelled targets (issue 16).
@Suite struct DefaultsAndUnmodelledRuleTests {
    /// AWS cannot delete a VPC's default group or NACL: they are never "unused"; other groups and NACLs still are.
    @Test func defaultsAreNeverUnused() {
        func text(_ marker: String) -> String {
            """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.1.0/24
              security-group default-sg-1 \(marker) { egress none }
              security-group spare { egress none }              #! sg-unused
              network-acl acl-1 \(marker) { }
              network-acl acl-2 { }                            #! nacl-unused
              security-group used { egress none }
              instance app-1 in app-a ip 10.0.1.10 sg used
            }
            """
        }
        expectRule("sg-unused", text("default"))
        expectRule("nacl-unused", text("default"))
        // Without the markers both are reported as unused.
        #expect(lint(text("")).filter { $0.ruleID == "sg-unused" || $0.ruleID == "nacl-unused" }.map(\.line).sorted() == [4, 5, 6, 7])
    }

    /// The default-security-group rule follows the marker, whatever the group's name.
    @Test func defaultGroupRuleFiresOnAMarkedGroup() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.1.0/24
              security-group default-sg-1 default {            #! default-sg-not-closed
                ingress all from sg default-sg-1
              }
              instance app-1 in app-a ip 10.0.1.10
            }
            """
        let findings = expectRule("default-sg-not-closed", text)
        #expect(findings.first?.message.contains("default security group of VPC 'prod' has 1 ingress rule") == true)
        // Closed, it is quiet; and app-1 (no `sg`) holds it, so it is not unused either.
        expectRule("default-sg-not-closed", """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.1.0/24
              security-group default-sg-1 default { egress none }
              instance app-1 in app-a ip 10.0.1.10
            }
            """)
    }

    /// A route to an unmodelled target is not a blackhole and names no missing target: no finding on it.
    @Test func unmodelledRoutesAreNeitherBlackholesNorMissingTargets() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.1.0/24
              route-table private main {
                route 10.8.0.0/16 -> unmodelled vgw-0abc123
                route pl:s3 -> unmodelled vpce-0123
                route 10.9.0.0/16 blackhole                 #! route-blackhole
              }
            }
            prefix-list s3 { 52.216.0.0/15 }
            """
        expectRule("route-blackhole", text)
        let onUnmodelled = lint(text).filter { $0.line == 5 || $0.line == 6 }
        #expect(onUnmodelled.isEmpty, "\(onUnmodelled.map(\.message))")
    }

    /// NACL rules see the declared default NACL of a subnet without an association.
    @Test func ephemeralReplyRuleChecksTheDeclaredDefaultNACL() {
        func text(_ marker: String) -> String {
            """
            vpc prod {
              cidr 10.0.0.0/16
              subnet web-a 10.0.1.0/24
              security-group web { ingress tcp 443 from 0.0.0.0/0 }
              network-acl strict \(marker) {
                inbound 100 allow tcp 443 from 0.0.0.0/0
                outbound 100 allow tcp 443 to 0.0.0.0/0
              }
              instance web-1 in web-a ip 10.0.1.10 sg web
            }
            """
        }
        #expect(!lint(text("default")).filter { $0.ruleID == "nacl-blocks-ephemeral-replies" }.isEmpty)
        #expect(lint(text("")).filter { $0.ruleID == "nacl-blocks-ephemeral-replies" }.isEmpty)
    }
}
