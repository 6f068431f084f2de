import Lint
import Testing

@Suite struct SecurityGroupRuleTests {
    static let openGroups = """
        prefix-list anywhere { 0.0.0.0/0 }
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24
          security-group web {
            ingress tcp 22 from 0.0.0.0/0         #! sg-ssh-open-world
            ingress tcp 0-1024 from ::/0          #! sg-ssh-open-world
            ingress tcp 22 from pl:anywhere       #! sg-ssh-open-world
            ingress tcp 3389 from 0.0.0.0/0       #! sg-rdp-open-world
            ingress tcp 3000-4000 from ::/0       #! sg-rdp-open-world
            ingress tcp 20-4000 from 0.0.0.0/0    #! sg-ssh-open-world #! sg-rdp-open-world
            ingress all from 0.0.0.0/0            #! sg-all-ports-open-world
            ingress tcp from ::/0                 #! sg-all-ports-open-world
            ingress udp 0-65535 from 0.0.0.0/0    #! sg-all-ports-open-world
          }
          instance i in a ip 10.0.0.10 sg web
        }
        """

    static let closedGroups = """
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.0.0/24
          security-group web {
            ingress tcp 22 from 10.0.0.0/8
            ingress tcp 3389 from 203.0.113.0/24
            ingress all from 10.0.0.0/8
            ingress tcp from sg web
            ingress udp 3389 from 0.0.0.0/0
            ingress icmp from 0.0.0.0/0
            ingress tcp 443 from 0.0.0.0/0
            ingress tcp 1-65534 from 0.0.0.0/0
          }
          instance i in a ip 10.0.0.10 sg web
        }
        """

    @Test func worldOpenSSHRDPAndAllPortsFireOnTheirRules() {
        for rule in ["sg-ssh-open-world", "sg-rdp-open-world", "sg-all-ports-open-world"] {
            expectRule(rule, Self.openGroups)
        }
    }

    @Test func narrowOrNonWorldRulesAreClean() {
        // tcp 1-65534 is not "all ports" but does include 22 and 3389.
        let findings = lint(Self.closedGroups).map(\.ruleID)
        #expect(!findings.contains("sg-all-ports-open-world"))
        #expect(findings.filter { $0 == "sg-ssh-open-world" }.count == 1)
        #expect(findings.filter { $0 == "sg-rdp-open-world" }.count == 1)
        let trimmed = Self.closedGroups.replacing("    ingress tcp 1-65534 from 0.0.0.0/0\n", with: "")
        for rule in ["sg-ssh-open-world", "sg-rdp-open-world", "sg-all-ports-open-world"] {
            expectRule(rule, trimmed)
        }
    }

    @Test func defaultGroupWithRulesOrImplicitAndUsedIsNotClosed() {
        expectRule("default-sg-not-closed", """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              security-group default {            #! default-sg-not-closed
                ingress all from sg default
              }
              instance i in a ip 10.0.0.10
            }
            vpc x {
              cidr 10.2.0.0/16
              subnet c 10.2.0.0/24
              instance k in c ip 10.2.0.10        #! default-sg-not-closed
              instance l in c ip 10.2.0.11
            }
            """)
    }

    @Test func declaredDefaultGroupWithOnlyDefaultEgressIsNotClosed() {
        expectRule("default-sg-not-closed", """
            vpc w {
              cidr 10.1.0.0/16
              subnet b 10.1.0.0/24
              security-group default {            #! default-sg-not-closed
              }
              security-group own { ingress tcp 443 from 10.0.0.0/8 }
              instance j in b ip 10.1.0.10 sg own
            }
            """)
    }

    @Test func closedOrUnusedDefaultGroupIsClean() {
        expectRule("default-sg-not-closed", """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              security-group default { egress none }
              instance i in a ip 10.0.0.10
            }
            vpc w {
              cidr 10.1.0.0/16
              subnet b 10.1.0.0/24
              security-group own { ingress tcp 443 from 10.0.0.0/8 }
              instance j in b ip 10.1.0.10 sg own
            }
            """)
    }

    static func twoVPCs(_ joins: String, regionB: String = "us-east-1") -> String {
        """
        region us-east-1
        vpc a {
          cidr 10.0.0.0/16
          subnet sa 10.0.0.0/24 az us-east-1a
          security-group ga {
            ingress tcp 443 from sg gb          #! sg-reference-not-peered
          }
          instance ia in sa ip 10.0.0.10 sg ga
        }
        region \(regionB)
        vpc b {
          cidr 10.1.0.0/16
          subnet sb 10.1.0.0/24 az \(regionB)a
          security-group gb { ingress tcp 443 from 10.0.0.0/8 }
          instance ib in sb ip 10.1.0.10 sg gb
        }
        \(joins)
        """
    }

    @Test func groupReferenceAcrossUnpeeredOrInterRegionOrNonReferencingTGWFires() {
        // The validator rejects these in .vpc files; imported topologies can hold them.
        expectRule("sg-reference-not-peered", Self.twoVPCs(""), validate: false)
        expectRule("sg-reference-not-peered", Self.twoVPCs("peering ab a <-> b", regionB: "eu-west-1"), validate: false)
        expectRule("sg-reference-not-peered", Self.twoVPCs("""
            transit-gateway core {
              attachment xa vpc a subnets sa
              attachment xb vpc b subnets sb
              route-table t { associate xa xb propagate xa xb }
            }
            """), validate: false)
    }

    @Test func groupReferenceOverSameRegionPeeringOrReferencingTGWIsClean() {
        let unmark = { (s: String) in s.replacing("#! sg-reference-not-peered", with: "") }
        expectRule("sg-reference-not-peered", unmark(Self.twoVPCs("peering ab a <-> b")))
        expectRule("sg-reference-not-peered", unmark(Self.twoVPCs("""
            transit-gateway core sg-referencing {
              attachment xa vpc a subnets sa
              attachment xb vpc b subnets sb
              route-table t { associate xa xb propagate xa xb }
            }
            """)))
    }

    @Test func staleGroupReferenceFires() {
        expectRule("sg-reference-not-peered", """
            vpc a {
              cidr 10.0.0.0/16
              subnet sa 10.0.0.0/24
              security-group ga {
                ingress tcp 443 from sg gone        #! sg-reference-not-peered
              }
              instance ia in sa ip 10.0.0.10 sg ga
            }
            """, validate: false)
    }

    @Test func unusedGroupFiresHeldGroupDoesNot() {
        expectRule("sg-unused", """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              security-group used { ingress tcp 443 from 10.0.0.0/8 }
              security-group spare {              #! sg-unused
                ingress tcp 443 from 10.0.0.0/8
              }
              security-group default { egress none }
              instance i in a ip 10.0.0.10 sg used
              instance j in a ip 10.0.0.11
            }
            """)
    }
}
