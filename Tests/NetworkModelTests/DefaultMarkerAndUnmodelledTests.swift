import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

/// The `default` markers of security groups and NACLs and the `-> unmodelled ID` route target (issue 16):
/// parse, print (round trip), JSON export and validation.
@Suite struct DefaultMarkerAndUnmodelledTests {
    static let text = """
    vpc prod {
      cidr 10.0.0.0/16

      subnet app-a 10.0.1.0/24
      subnet db-a 10.0.2.0/24

      route-table rt main {
        route 10.8.0.0/16 -> unmodelled vgw-0abc123
        route pl:s3 -> unmodelled vpce-0123
        route 10.9.0.0/16 blackhole
      }

      security-group base default id sg-1 {
        ingress all from sg base
      }

      network-acl locked default id acl-1 {
        inbound 100 deny all from 0.0.0.0/0
      }

      instance app-1 in app-a ip 10.0.1.10
    }
    prefix-list s3 { 52.216.0.0/15 }
    """

    static func load(_ text: String) throws -> Topology {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "defaults.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        return topology
    }

    @Test func markersAndUnmodelledTargetsParse() throws {
        let t = try Self.load(Self.text)
        let vpc = try #require(t.vpcs.first)
        #expect(vpc.securityGroups.map(\.isDefault) == [true])
        #expect(vpc.securityGroups.first?.id == "sg-1")
        #expect(vpc.networkACLs.map(\.isDefault) == [true])
        #expect(vpc.networkACLs.first?.id == "acl-1")
        #expect(vpc.defaultSecurityGroup?.name == "base")
        #expect(vpc.defaultNetworkACL?.name == "locked")
        let targets = vpc.routeTables.first?.routes.map(\.target)
        #expect(targets == [.unmodelled("vgw-0abc123"), .unmodelled("vpce-0123"), .blackhole])
    }

    @Test func printerRoundTripsAndWritesTheMarkers() throws {
        let t = try Self.load(Self.text)
        let printed = TopologyPrinter.format(t)
        #expect(printed.contains("  security-group base default id sg-1 {"))
        #expect(printed.contains("  network-acl locked default id acl-1 {"))
        #expect(printed.contains("    route 10.8.0.0/16 -> unmodelled vgw-0abc123\n"))
        #expect(printed.contains("    route pl:s3 -> unmodelled vpce-0123\n"))
        let (again, diagnostics) = TopologyLoader.load(printed, file: "printed.vpc")
        #expect(diagnostics.isEmpty)
        #expect(again == t)
        // A model without markers prints none.
        var plain = t
        plain.vpcs[0].securityGroups[0].isDefault = false
        plain.vpcs[0].networkACLs[0].isDefault = false
        #expect(!TopologyPrinter.format(plain).contains(" default "))
        #expect(plain != t)
    }

    @Test func theMarkerAlsoFollowsTheIDAndTheGroupNamedDefaultStaysTheLegacyDefault() throws {
        let t = try Self.load("""
        vpc v {
          cidr 10.0.0.0/16
          security-group x id sg-9 default { egress none }
          network-acl n id acl-9 default { }
        }
        vpc w {
          cidr 10.1.0.0/16
          security-group default { }
        }
        """)
        #expect(t.vpcs[0].securityGroups[0].isDefault && t.vpcs[0].securityGroups[0].id == "sg-9")
        #expect(t.vpcs[0].networkACLs[0].isDefault)
        // Unmarked, the group named `default` is the default group (as before the marker).
        #expect(t.vpcs[1].defaultSecurityGroup?.name == "default")
        #expect(t.vpcs[1].securityGroups[0].isDefault == false)
        #expect(t.vpcs[1].defaultNetworkACL == nil)
    }

    /// `unmodelled` alone at the end of the line is still a name (files written before the addition).
    @Test func unmodelledAloneIsStillARouteTargetName() throws {
        let t = try Self.load("""
        vpc v {
          cidr 10.0.0.0/16
          subnet a 10.0.1.0/24
          instance unmodelled in a ip 10.0.1.10 source-dest-check off
          route-table r main {
            route 10.5.0.0/16 -> unmodelled
          }
        }
        """)
        #expect(t.vpcs[0].routeTables[0].routes[0].target == .named("unmodelled"))
    }

    @Test func jsonExportCarriesTheMarkersAndTheUnmodelledTarget() throws {
        let t = try Self.load(Self.text)
        let json = TopologyJSON.export(t)
        guard case .object(let top) = json, case .array(let vpcs)? = top.first(where: { $0.0 == "vpcs" })?.1,
              case .object(let vpc)? = vpcs.first else { Issue.record("no vpcs"); return }
        func member(_ o: [(String, JSONValue)], _ key: String) -> JSONValue? { o.first { $0.0 == key }?.1 }
        guard case .array(let groups)? = member(vpc, "securityGroups"), case .object(let g)? = groups.first,
              case .array(let acls)? = member(vpc, "networkAcls"), case .object(let a)? = acls.first,
              case .array(let tables)? = member(vpc, "routeTables"), case .object(let rt)? = tables.first,
              case .array(let routes)? = member(rt, "routes") else { Issue.record("unexpected shape"); return }
        #expect(member(g, "default") == .bool(true))
        #expect(member(a, "default") == .bool(true))
        let shapes: [[JSONValue?]] = routes.map { r in
            guard case .object(let o) = r else { return [] }
            return [member(o, "target"), member(o, "blackhole"), member(o, "unmodelled")]
        }
        #expect(shapes == [
            [.null, .bool(false), .string("vgw-0abc123")],
            [.null, .bool(false), .string("vpce-0123")],
            [.null, .bool(true), .null],
        ])
    }

    @Test func aSecondDefaultGroupOrNACLIsAnErrorAtItsMarker() {
        let (_, diagnostics) = TopologyLoader.load("""
        vpc v {
          cidr 10.0.0.0/16
          security-group a default { }
          security-group b default { }
          network-acl n1 default { }
          network-acl n2 default { }
        }
        """, file: "two.vpc")
        #expect(diagnostics.map(\.message) == [
            "vpc 'v' already has default security group 'a'",
            "vpc 'v' already has default network ACL 'n1'",
        ])
        #expect(diagnostics.map(\.line) == [4, 6])
        #expect(diagnostics.map(\.column) == [20, 18])   // the caret is under the second `default`
        #expect(diagnostics.allSatisfy { $0.hint?.contains("remove 'default'") == true })
    }

    @Test func aGroupNamedDefaultBesideAMarkedDefaultIsAnError() {
        let (_, diagnostics) = TopologyLoader.load("""
        vpc v {
          cidr 10.0.0.0/16
          security-group base default { }
          security-group default { }
        }
        """, file: "named.vpc")
        #expect(diagnostics.map(\.message) == ["security group 'default' is not vpc 'v''s default group, which is 'base'"])
        #expect(diagnostics.map(\.line) == [4])
    }
}
