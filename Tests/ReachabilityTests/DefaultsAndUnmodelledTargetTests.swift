import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Declared default security groups and NACLs (`default` markers) and routes to unmodelled targets (issue 16).
@Suite struct DefaultsAndUnmodelledTargetTests {
    /// `app-a` has no NACL association (it uses the VPC's default NACL); `db-1` has no `sg` (it holds the VPC's
    /// default group). `nacl` and `sg` are the headers' tails, so that each test can drop a marker.
    static func topology(nacl: String = "default", sg: String = "default", routes: String = "", asserts: String = "") -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16

          subnet app-a 10.0.1.0/24
          subnet db-a 10.0.2.0/24

          route-table rt main {
            route 10.8.0.0/16 -> unmodelled vgw-0abc123
            route 10.9.0.0/16 blackhole
            route pl:s3 -> unmodelled vpce-0123
        \(routes)
          }

          security-group open {
            ingress all from 0.0.0.0/0
          }

          security-group base \(sg) {
            ingress tcp 22 from 10.0.0.0/16
          }

          network-acl locked \(nacl) {
            inbound 100 allow all from 0.0.0.0/0
            outbound 100 deny tcp 5432 to 10.0.2.0/24
            outbound 200 allow all to 0.0.0.0/0
          }

          network-acl db-nacl {
            associate db-a
            inbound 100 allow all from 0.0.0.0/0
            outbound 100 allow all to 0.0.0.0/0
          }

          instance app-1 in app-a ip 10.0.1.10 sg open
          instance db-1 in db-a ip 10.0.2.10
          instance db-2 in db-a ip 10.0.2.11 sg open
        }
        prefix-list s3 { 52.216.0.0/15 }
        \(asserts)
        """
    }

    @Test func aSubnetWithoutAssociationUsesTheDeclaredDefaultNACL() {
        let c = compile(Self.topology())
        expectBlocked(c.query("app-1", "db-2", "tcp/5432"), .subnetACLRestriction, .forward, at: "locked", rule: 100)
        expectReachable(c.query("app-1", "db-2", "tcp/443"))
        // Without the marker the NACL is associated with nothing, and app-a has the implied allow-all NACL.
        expectReachable(compile(Self.topology(nacl: "")).query("app-1", "db-2", "tcp/5432"))
    }

    @Test func anInterfaceWithoutGroupsHoldsTheDeclaredDefaultGroup() {
        let c = compile(Self.topology())
        expectReachable(c.query("app-1", "db-1", "tcp/22"))
        expectBlocked(c.query("app-1", "db-1", "tcp/443"), .eniSGRulesMismatch, .forward, at: "base")
        // Without the marker db-1 holds the implied default group, which admits only its own members.
        let implied = compile(Self.topology(sg: ""))
        expectBlocked(implied.query("app-1", "db-1", "tcp/22"), .eniSGRulesMismatch, .forward)
    }

    /// The packet leaves its subnet toward the unmodelled target, so the subnet's outbound NACL applies first: a
    /// deny there is a proven block (and `assert noreach` holds); an allow leaves it unproven.
    @Test func theOutboundNACLDecidesBeforeAnUnmodelledTarget() throws {
        let text = """
            vpc prod {
              cidr 10.0.0.0/16
              subnet app-a 10.0.1.0/24
              route-table rt main {
                route 10.8.0.0/16 -> unmodelled vgw-0abc123
              }
              network-acl app-nacl {
                associate app-a
                inbound 100 allow all from 0.0.0.0/0
                outbound 100 deny tcp 22 to 10.8.0.0/16
                outbound 200 allow all to 0.0.0.0/0
              }
              instance app-1 in app-a ip 10.0.1.10
            }
            assert noreach app-1 -> 10.8.1.1 tcp/22
            assert noreach app-1 -> 10.8.1.1 tcp/443
            """
        let c = compile(text)
        expectBlocked(c.query("app-1", "10.8.1.1", "tcp/22"), .subnetACLRestriction, .forward, at: "app-nacl")
        expectBlocked(c.query("app-1", "10.8.1.1", "tcp/443"), .unsupportedComponent, .forward, at: "rt")
        #expect(c.evaluateAssertions().map(\.holds) == [true, false])
    }

    @Test func aRouteToAnUnmodelledTargetStopsWithUnsupportedComponent() throws {
        let c = compile(Self.topology())
        let v = c.query("app-1", "10.8.1.1", "tcp/443")
        expectBlocked(v, .unsupportedComponent, .forward, at: "rt")
        let e = try #require(v.explanation)
        #expect(e.detail == .route(destination: TranslatedAddress(address: .v4(IPv4Address(10, 8, 1, 1))), transitGateway: false,
                                   problem: .unmodelledTarget("vgw-0abc123")))
        #expect(e.rule?.text == "route 10.8.0.0/16 -> unmodelled vgw-0abc123")
        // A prefix-list route to an endpoint, and all traffic: the same.
        expectBlocked(c.query("app-1", "52.216.1.1", "tcp/443"), .unsupportedComponent, .forward, at: "rt")
        expectBlocked(c.query("app-1", "10.8.1.1", "all"), .unsupportedComponent, .forward)
        // A blackhole is still one.
        expectBlocked(c.query("app-1", "10.9.1.1", "tcp/443"), .badStateRoute, .forward)
    }

    @Test func routeDecisionAndEgressRouteNameTheUnmodelledTarget() throws {
        let c = compile(Self.topology())
        let s = try #require(c.subnet(named: "app-a"))
        let chosen = try #require(c.routeDecision(subnet: s, address: .v4(try IPv4Address("10.8.3.4"))).chosen)
        #expect(chosen.target == .unmodelled("vgw-0abc123"))
        let e = try #require(c.interfaces.firstIndex { $0.name == "app-1" })
        #expect(c.egressRoute(fromInterface: InterfaceID(Int32(e)), to: .v4(try IPv4Address("10.8.3.4"))) == .unmodelled)
        #expect(c.egressRoute(fromInterface: InterfaceID(Int32(e)), to: .v4(try IPv4Address("10.9.3.4"))) == .blackhole)
    }

    /// An unproven `noreach` is not a pass; `reach` fails too.
    @Test func assertionsEndingAtAnUnmodelledTargetFail() throws {
        let c = compile(Self.topology(asserts: """
        assert noreach app-1 -> 10.8.1.1 tcp/443
        assert reach app-1 -> 10.8.1.1 tcp/443
        assert noreach app-1 -> 10.9.1.1 tcp/443
        """))
        let results = c.evaluateAssertions()
        #expect(results.map(\.holds) == [false, false, true])
        let message = try #require(results[0].failureMessage)
        #expect(message.contains("assertion failed: noreach app-1 -> 10.8.1.1 tcp/443: cannot prove: UNSUPPORTED_COMPONENT"))
        #expect(results[1].failureMessage?.contains("not reachable") == true)
    }
}

/// A set of internet addresses of which only some end at an unmodelled target: `noreach` is not proven.
@Test func internetSetWithAnUnmodelledPartIsNotProvenUnreachable() {
    let text = """
    vpc prod {
      cidr 10.0.0.0/16
      internet-gateway igw
      subnet app-a 10.0.1.0/24
      route-table rt main {
        route 0.0.0.0/0 -> igw
        route 52.216.0.0/15 -> unmodelled vpce-0123
      }
      security-group open { ingress all from 0.0.0.0/0 }
      instance app-1 in app-a ip 10.0.1.10 sg open
    }
    assert noreach app-1 -> internet tcp/443
    assert noreach app-1 -> internet:198.51.100.0/24 tcp/443
    """
    // app-1 has no public address: the IGW drops what it sends; the endpoint's block is not modelled.
    let results = compile(text).evaluateAssertions()
    #expect(results.map(\.holds) == [false, true])
    #expect(results[0].failureMessage?.contains("cannot prove: UNSUPPORTED_COMPONENT") == true)
}
