import Lint
import Testing

@Suite struct RoutingRuleTests {
    /// Docs/AWS-BEHAVIOUR.md §13 scenario 5 (NAT gateway in a private subnet) next to a correct one.
    @Test func natGatewayInASubnetWithoutIGWRouteFires() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              internet-gateway igw
              subnet public-a 10.0.0.0/24 az us-east-1a
              subnet app-a 10.0.10.0/24 az us-east-1a
              nat-gateway good in public-a eip 54.10.0.1
              nat-gateway nat-a in app-a eip 54.10.0.2        #! nat-gateway-no-igw-route
              nat-gateway inner in app-a private
              route-table public {
                associate public-a
                route 0.0.0.0/0 -> igw
              }
              route-table private main {
                associate app-a
                route 0.0.0.0/0 -> nat-a
              }
            }
            vpc lonely {
              cidr 10.1.0.0/16
              subnet s 10.1.0.0/24
              nat-gateway orphan in s eip 54.10.0.3          #! nat-gateway-no-igw-route
            }
            """
        expectRule("nat-gateway-no-igw-route", text)
    }

    static let targets = """
        vpc a {
          cidr 10.0.0.0/16
          internet-gateway igw-a
          subnet sa 10.0.0.0/24 az us-east-1a
          nat-gateway nat-a in sa eip 54.0.0.1
          route-table ra main {
            associate sa
            route 0.0.0.0/0 -> igw-a
            route 10.50.0.0/16 -> nat-zz                   #! route-target-missing
            route 10.51.0.0/16 -> nat-b                    #! route-target-other-vpc
            route 10.52.0.0/16 -> igw-b                    #! route-target-other-vpc
            route 10.53.0.0/16 -> bc                       #! route-target-other-vpc
            route 10.54.0.0/16 -> core                     #! route-target-other-vpc
            route 10.55.0.0/16 -> ib                       #! route-target-other-vpc
          }
        }
        vpc b {
          cidr 10.1.0.0/16
          internet-gateway igw-b
          subnet sb 10.1.0.0/24 az us-east-1a
          nat-gateway nat-b in sb eip 54.0.0.2
          instance ib in sb ip 10.1.0.10
          route-table rb main {
            associate sb
            route 0.0.0.0/0 -> igw-b
          }
        }
        vpc c {
          cidr 10.2.0.0/16
          subnet sc 10.2.0.0/24 az us-east-1a
        }
        peering bc b <-> c
        transit-gateway core {
          attachment xb vpc b subnets sb
          attachment xc vpc c subnets sc
          route-table t {
            associate xb xc
            propagate xb xc
            route 10.60.0.0/16 -> xa                       #! route-target-missing
          }
        }
        """

    @Test func missingAndForeignTargetsFire() {
        // The validator rejects all of these in .vpc files; imported topologies (warnings) can hold them.
        let missing = expectRule("route-target-missing", Self.targets, validate: false)
        #expect(missing.first?.hint?.hasPrefix("did you mean 'nat-a'?") == true)
        expectRule("route-target-other-vpc", Self.targets, validate: false)
    }

    @Test func ownTargetsAreClean() {
        let text = Self.targets.split(separator: "\n").filter { !$0.contains("#!") }.joined(separator: "\n")
        expectRule("route-target-missing", text)
        expectRule("route-target-other-vpc", text)
    }

    @Test func blackholeRoutesFireInVPCTablesAndAreNotesInTGWTables() {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.10.0/24 az us-east-1a
              route-table private main {
                route 10.9.0.0/16 blackhole                 #! route-blackhole
                route 10.0.0.0/8 -> core
              }
            }
            transit-gateway core {
              attachment x vpc prod subnets app-a
              route-table t {
                associate x
                route 10.99.0.0/16 blackhole                #! tgw-route-blackhole
              }
            }
            """
        expectRule("route-blackhole", text)
        expectRule("tgw-route-blackhole", text)
        let clean = text.split(separator: "\n").filter { !$0.contains("#!") }.joined(separator: "\n")
        expectRule("route-blackhole", clean)
        expectRule("tgw-route-blackhole", clean)
    }

    @Test func routeToAnApplianceWithSourceDestCheckOnFires() {
        let text = """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              subnet b 10.0.1.0/24
              security-group default { egress none }
              instance fw-1 in a ip 10.0.0.10
              instance fw-2 in a ip 10.0.0.11 source-dest-check off
              route-table r main {
                route 10.8.0.0/16 -> fw-1                   #! route-target-source-dest-check
                route 10.9.0.0/16 -> fw-2
              }
            }
            """
        expectRule("route-target-source-dest-check", text)
    }

    /// Docs/AWS-BEHAVIOUR.md §13 scenario 1: prod routes to shared over the peering, shared has only local routes.
    static func peered(_ sharedRoutes: String, marked: Bool) -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app-a 10.0.10.0/24 az us-east-1a
          route-table private main {
            route 10.1.0.0/16 -> prod-shared\(marked ? "          #! peering-no-return-route" : "")
          }
        }
        vpc shared {
          cidr 10.1.0.0/16
          subnet svc-a 10.1.0.0/24 az us-east-1a
          route-table back main {
            \(sharedRoutes)
          }
        }
        peering prod-shared prod <-> shared
        """
    }

    @Test func peeringWithoutReturnRouteFires() {
        let f = expectRule("peering-no-return-route", Self.peered("", marked: true))
        #expect(f.first?.message.contains("svc-a") == true)
        // A route back through something else is no way back either.
        expectRule("peering-no-return-route", Self.peered("route 10.0.0.0/8 blackhole", marked: true))
    }

    @Test func peeringReturnThroughATransitGatewayIsAsymmetricButClean() {
        let text = Self.peered("route 10.0.0.0/8 -> core", marked: false) + """

            transit-gateway core {
              attachment p vpc prod subnets app-a
              attachment s vpc shared subnets svc-a
              route-table t { associate p s  propagate p s }
            }
            """
        expectRule("peering-no-return-route", text)
    }

    @Test func peeringWithReturnRouteIsClean() {
        expectRule("peering-no-return-route", Self.peered("route 10.0.0.0/16 -> prod-shared", marked: false))
        expectRule("peering-no-return-route", Self.peered("route 10.0.10.0/24 -> prod-shared", marked: false))
    }

    static func prefixLists(_ extra: String, marked: Bool) -> String {
        """
        prefix-list corp { 10.200.0.0/16 192.168.0.0/20 }
        prefix-list lab { 10.200.0.0/16 }
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet a 10.0.0.0/24 az us-east-1a
          route-table r main {
            route pl:corp -> core
            route pl:lab -> igw\(marked ? "                              #! prefix-list-route-conflict" : "")
            \(extra)
          }
        }
        transit-gateway core {
          attachment x vpc v subnets a
          route-table t { associate x }
        }
        """
    }

    @Test func prefixListsGivingOnePrefixTwoTargetsFire() {
        let f = expectRule("prefix-list-route-conflict", Self.prefixLists("", marked: true))
        #expect(f.first?.related.first?.line == 8)
        // A CIDR route for the shared prefix beats both lists: no ambiguity left.
        expectRule("prefix-list-route-conflict", Self.prefixLists("route 10.200.0.0/16 -> core", marked: false))
    }

    @Test func unassociatedRouteTableFiresButTheMainTableDoesNot() {
        expectRule("route-table-unused", """
            vpc v {
              cidr 10.0.0.0/16
              subnet a 10.0.0.0/24
              route-table used { associate a }
              route-table spare {                         #! route-table-unused
                route 10.9.0.0/16 blackhole
              }
              route-table idle main {
              }
            }
            """)
    }
}
