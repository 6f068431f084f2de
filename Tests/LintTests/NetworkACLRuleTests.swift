import IPAddressing
import Lint
import NetworkModel
import Reporting
import Testing

@Suite struct NetworkACLRuleTests {
    static let worldOpen = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24
          network-acl n {
            associate a
            inbound 100 allow tcp 22 from 0.0.0.0/0              #! nacl-ssh-open-world
            inbound 110 allow tcp 1024-65535 from 0.0.0.0/0
            inbound 120 allow tcp 3389 from ::/0                 #! nacl-rdp-open-world
            outbound 100 allow all to 0.0.0.0/0
          }
          network-acl m {
            associate b
            inbound 90 deny tcp 22 from 0.0.0.0/0
            inbound 100 allow all from 0.0.0.0/0                 #! nacl-rdp-open-world
            inbound 110 allow tcp 3389 from 10.0.0.0/8
          }
          subnet b 10.0.1.0/24
        }
        """

    @Test func worldOpenAdminPortsFireOnlyWhereTheAllowDecides() {
        expectRule("nacl-ssh-open-world", Self.worldOpen)
        expectRule("nacl-rdp-open-world", Self.worldOpen)
    }

    @Test func denyBeforeAllowAndReplyRangeAreClean() {
        let text = """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              network-acl n {
                associate a
                inbound 90 deny tcp 22 from 0.0.0.0/0
                inbound 91 deny tcp 3389 from 0.0.0.0/0
                inbound 92 deny tcp 3389 from ::/0
                inbound 100 allow all from 0.0.0.0/0
                inbound 110 allow tcp 1024-65535 from ::/0
                inbound 120 allow tcp 22 from 10.0.0.0/8
              }
            }
            """
        expectRule("nacl-ssh-open-world", text)
        expectRule("nacl-rdp-open-world", text)
    }

    static let shadows = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24
          network-acl n {
            associate a
            inbound 100 allow tcp 0-1023 from 0.0.0.0/0
            inbound 110 allow tcp 1024-65535 from 0.0.0.0/0
            inbound 120 deny tcp 22 from 10.1.0.0/16             #! nacl-rule-shadowed
            inbound 130 allow tcp 443 from 10.0.0.0/8            #! nacl-rule-redundant
            inbound 140 deny udp 53 from 0.0.0.0/0
            inbound 150 allow all from 10.0.0.0/8
            inbound 160 allow tcp 80 from 2600::/16
            outbound 100 deny all to 10.0.0.0/9
            outbound 110 deny all to 10.128.0.0/9
            outbound 120 allow tcp 443 to 10.0.0.0/8             #! nacl-rule-shadowed
            outbound 130 allow tcp 443 to 10.0.0.0/7
            outbound 140 deny tcp 443 to 10.64.0.0/10            #! nacl-rule-redundant
            outbound 150 allow icmp 8 to 11.0.0.0/8
            outbound 160 allow icmp 8/0 to 11.0.0.0/8            #! nacl-rule-redundant
            outbound 170 allow icmp 3/4 to 11.0.0.0/8
          }
        }
        """

    @Test func shadowingNeedsTheUnionOfEarlierRulesAndIsExact() {
        let shadowed = expectRule("nacl-rule-shadowed", Self.shadows)
        expectRule("nacl-rule-redundant", Self.shadows)
        // Outbound 120 is covered only by 100 and 110 together; both are named.
        let outbound = shadowed.first { $0.line == 15 }
        #expect(outbound?.related.map(\.line) == [13, 14])
    }

    @Test func rulesThatStillDecideSomethingAreClean() {
        let text = Self.shadows.split(separator: "\n").filter { !$0.contains("#!") }.joined(separator: "\n")
        expectRule("nacl-rule-shadowed", text)
        expectRule("nacl-rule-redundant", text)
    }

    // MARK: Ephemeral replies

    static func replies(_ extra: String, sg: String = "ingress tcp 443 from 0.0.0.0/0") -> String {
        """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24
          route-table public {
            associate public-a
            route 0.0.0.0/0 -> igw
          }
          security-group web {
            \(sg)
          }
          network-acl w {                                          #! nacl-blocks-ephemeral-replies
            associate public-a
            inbound 100 allow tcp 443 from 0.0.0.0/0
            outbound 100 allow tcp 443 to 0.0.0.0/0
            \(extra)
          }
          instance web-1 in public-a ip 10.0.0.10 public-ip 54.1.2.3 sg web
        }
        """
    }

    @Test func naclWithoutEphemeralOutboundBlocksRepliesOfAdmittedTraffic() {
        // Docs/AWS-BEHAVIOUR.md §13 scenario 2.
        let f = expectRule("nacl-blocks-ephemeral-replies", Self.replies(""))
        #expect(f.first?.message.contains("1024-65535 to 0.0.0.0/0") == true)
        #expect(f.first?.related.first?.line == 10)
        // Allowing only Linux's range still blocks other clients (NAT gateways, Windows).
        let partial = expectRule("nacl-blocks-ephemeral-replies",
                                 Self.replies("outbound 110 allow tcp 32768-60999 to 0.0.0.0/0"))
        #expect(partial.first?.message.contains("1024-32767") == true)
        #expect(partial.first?.message.contains("61000-65535") == true)
    }

    @Test func fullEphemeralRangeOrIntraSubnetTrafficIsClean() {
        let unmark = { (s: String) in s.replacing("#! nacl-blocks-ephemeral-replies", with: "") }
        expectRule("nacl-blocks-ephemeral-replies", unmark(Self.replies("outbound 110 allow tcp 1024-65535 to 0.0.0.0/0")))
        // Clients inside the subnet skip the NACL.
        expectRule("nacl-blocks-ephemeral-replies", unmark(Self.replies("", sg: "ingress tcp 443 from 10.0.0.0/24")))
        // The request is denied inbound (udp): nothing to reply to.
        expectRule("nacl-blocks-ephemeral-replies", unmark(Self.replies("", sg: "ingress udp 53 from 0.0.0.0/0")))
    }

    @Test func explicitEgressNeedsEphemeralInbound() {
        let text = """
            vpc v {
              cidr 10.0.0.0/16
              subnet db-a 10.0.20.0/24
              security-group db {
                ingress tcp 5432 from 10.0.10.0/24
                egress tcp 443 to 0.0.0.0/0
              }
              network-acl db-nacl {                                 #! nacl-blocks-ephemeral-replies
                associate db-a
                inbound 100 allow tcp 5432 from 10.0.10.0/24
                outbound 100 allow tcp 1024-65535 to 10.0.10.0/24
                outbound 110 allow tcp 443 to 0.0.0.0/0
              }
              instance db-1 in db-a ip 10.0.20.5 sg db
            }
            """
        let f = expectRule("nacl-blocks-ephemeral-replies", text)
        #expect(f.first?.message.contains("inbound") == true)
        let fixed = text.replacing("#! nacl-blocks-ephemeral-replies", with: "")
            .replacing("inbound 100 allow tcp 5432", with: "inbound 110 allow tcp 1024-65535 from 0.0.0.0/0\n    inbound 100 allow tcp 5432")
        expectRule("nacl-blocks-ephemeral-replies", fixed)
    }

    @Test func unassociatedNACLFires() {
        expectRule("nacl-unused", """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              network-acl used {
                associate a
                inbound 100 allow all from 0.0.0.0/0
              }
              network-acl spare {                 #! nacl-unused
                inbound 100 allow all from 0.0.0.0/0
              }
            }
            """)
    }
}
