import NetworkModel
import Testing
@testable import Importers

/// Each reconciliation step follows names through NetworkModel's resolver: a name repeated in another VPC or
/// declared by another kind, or a reference to something a step left out, means what it means to
/// Reachability (a typed id), not whatever shares its spelling.
@Suite struct ReconcileStepTests {
    static func reconciler(_ text: String) -> Reconciler {
        let (topology, syntax) = TopologyParser.parse(text, file: "reconcile.vpc")
        #expect(syntax.isEmpty, "\(syntax.map(\.message))")
        return Reconciler(topology: topology, report: ImportReport())
    }

    static func skipped(_ r: Reconciler) -> [String] { r.report.skipped.map { "\($0.type) \($0.id): \($0.reason)" } }

    // MARK: subnets

    /// Subnet `s` of VPC `a` is left out (outside its VPC); VPC `b` has its own `s`: only what stands in a's
    /// subnet goes (its NAT gateway, instance, association, attachment subnet), b's stays.
    static let subnetCollision = """
        vpc a {
          cidr 10.0.0.0/16
          subnet s 10.9.0.0/24
          subnet keep 10.0.1.0/24
          nat-gateway nat-a in s
          instance i-a in s ip 10.9.0.10
          route-table ra main {
            associate s keep
          }
          network-acl na {
            associate s
          }
        }
        vpc b {
          cidr 10.1.0.0/16
          subnet s 10.1.0.0/24
          nat-gateway nat-b in s
          instance i-b in s ip 10.1.0.10
          route-table rb main {
            associate s
          }
          network-acl nb {
            associate s
          }
        }
        transit-gateway hub {
          attachment att-a vpc a subnets s keep
          attachment att-b vpc b subnets s
        }
        """

    @Test func aLeftOutSubnetTakesWithItOnlyWhatStandsInIt() {
        var r = Self.reconciler(Self.subnetCollision)
        r.subnets("snap")
        #expect(Self.skipped(r) == [
            "subnet s: its CIDR 10.9.0.0/24 is outside the VPC's blocks (inconsistent snapshot)",
            "NAT gateway nat-a: its subnet is not imported",
            "instance i-a: its subnet is not imported",
        ])
        let a = r.topology.vpcs[0], b = r.topology.vpcs[1]
        #expect(a.subnets.map(\.name) == ["keep"])
        #expect(a.natGateways.isEmpty && a.instances.isEmpty)
        #expect(a.routeTables[0].associations == ["keep"])
        #expect(a.networkACLs[0].associations.isEmpty)
        // The other VPC's `s` is another subnet: nothing of it is touched.
        #expect(b.subnets.map(\.name) == ["s"])
        #expect(b.natGateways.map(\.name) == ["nat-b"])
        #expect(b.instances.map(\.name) == ["i-b"])
        #expect(b.routeTables[0].associations == ["s"])
        #expect(b.networkACLs[0].associations == ["s"])
        #expect(r.topology.transitGateways[0].attachments.map(\.subnets) == [["keep"], ["s"]])
        // And the whole reconciled import validates.
        var all = Self.reconciler(Self.subnetCollision)
        all.run(source: "snap")
        #expect(TopologyValidator.validate(all.topology).isEmpty)
    }

    /// An interface endpoint in a left-out subnet loses that ENI (its address and ENI id with it); one left
    /// with no subnet is left out, with a reason.
    @Test func aLeftOutSubnetTakesTheInterfaceEndpointENIsInIt() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.9.0.0/24 az us-east-1a
              subnet keep 10.0.1.0/24 az us-east-1b
              subnet gone 10.8.0.0/24 az us-east-1c
              endpoint ssm interface ssm subnets s keep ip 10.9.0.50 10.0.1.50 enis eni-0aaa eni-0bbb
              endpoint logs interface logs subnets gone id vpce-0logs
            }
            """)
        r.subnets("snap")
        let e = r.topology.vpcs[0].endpoints
        #expect(e.map(\.name) == ["ssm"])
        #expect(e.first?.subnets == ["keep"])
        #expect(e.first?.addresses.map(\.description) == ["10.0.1.50"])
        #expect(e.first?.interfaceIDs == ["eni-0bbb"])
        #expect(Self.skipped(r).contains("VPC endpoint vpce-0logs: none of its subnets is imported"))
    }

    // MARK: peerings

    @Test func peeringsAreJudgedByTheirResolvedVPCs() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet x 10.0.0.0/24
            }
            vpc b {
              cidr 10.1.0.0/16
            }
            vpc c {
              cidr 10.0.128.0/20
            }
            peering ab a <-> b
            peering ba b <-> a
            peering aa a <-> a
            peering ax a <-> x
            peering ac a <-> c
            """)
        r.peerings("snap")
        #expect(r.topology.peerings.map(\.name) == ["ab"])
        #expect(Self.skipped(r) == [
            "peering connection ba: a second peering between the same VPCs",
            "peering connection aa: it does not join two imported VPCs",
            // `x` is a subnet, not a VPC.
            "peering connection ax: it does not join two imported VPCs",
            "peering connection ac: the peered VPCs overlap, which AWS does not allow",
        ])
    }

    // MARK: interfaces

    @Test func interfaceAddressesAndGroupsAreCheckedAgainstWhatTheirNamesResolveTo() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              subnet t 10.0.1.0/24
              security-group web {
              }
              nat-gateway nat-a in t ip 10.0.0.60
              instance i-1 {
                interface eth0 in s ip 10.0.0.10 sg web db t
                interface eth0 in s ip 10.0.0.3
                interface eth0 in t ip 10.0.0.11
              }
            }
            vpc b {
              cidr 10.1.0.0/16
              subnet sb 10.1.0.0/24
              security-group db {
              }
            }
            """)
        r.interfaces("snap")
        // Reserved (.3) in s; 10.0.0.11 is outside t, the subnet eth0 names.
        #expect(Self.skipped(r) == [
            "network interface i-1.eth0: its address 10.0.0.3 is reserved by AWS in subnet 10.0.0.0/24 (inconsistent snapshot)",
            "network interface i-1.eth0: its address 10.0.0.11 is outside its subnet 10.0.1.0/24 (inconsistent snapshot)",
        ])
        let eni = r.topology.vpcs[0].instances[0].interfaces
        #expect(eni.map(\.name) == ["eth0"])
        // `db` is b's group; `t` is a subnet: neither is a group of the interface's VPC.
        #expect(eni[0].securityGroups == ["web"])
        #expect(r.report.warnings.map(\.message) == [
            "interface i-1.eth0: security groups db, t are not in its VPC; left out",
            "NAT gateway nat-a: private address 10.0.0.60 is not usable in its subnet; left for the model to pick",
        ])
        #expect(r.topology.vpcs[0].natGateways[0].privateIP == nil)
    }

    // MARK: security-group references

    @Test func ruleGroupsAreResolvedAcrossVPCsAndPeerings() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              security-group app {
                ingress tcp 80 from sg app
                ingress tcp 81 from sg peer-db
                ingress tcp 82 from sg far-db
                ingress tcp 83 from sg s
                ingress tcp 84 from sg default
                ingress tcp 85 from 10.0.0.0/8
              }
            }
            vpc b {
              cidr 10.1.0.0/16
              security-group peer-db {
              }
            }
            vpc c {
              cidr 10.2.0.0/16
              security-group far-db {
              }
            }
            peering ab a <-> b
            """)
        r.securityGroupReferences("snap")
        // Kept: its own group, the peered VPC's, a CIDR. Left out: an unpeered VPC's group, a subnet's name, and
        // `sg default` where no group is declared under that name (the validator rejects it).
        #expect(r.topology.vpcs[0].securityGroups[0].ingress.map { $0.ports?.lower } == [80, 81, 85])
        #expect(r.report.warnings.map(\.message) == [
            "security group app: rules naming groups outside its VPC and its same-region peers are left out",
        ])
    }

    // MARK: associations

    @Test func aSubnetKeepsItsFirstAssociationAndAVPCOneMainTable() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              subnet t 10.0.1.0/24
              route-table r1 main {
                associate s
              }
              route-table r2 main {
                associate s t
              }
              network-acl n1 {
                associate t
              }
              network-acl n2 {
                associate t s
              }
            }
            """)
        r.associations("snap")
        let vpc = r.topology.vpcs[0]
        #expect(vpc.routeTables.map(\.isMain) == [true, false])
        #expect(vpc.routeTables.map(\.associations) == [["s"], ["t"]])
        #expect(vpc.networkACLs.map(\.associations) == [["t"], ["s"]])
        #expect(TopologyValidator.validate(r.topology).isEmpty)
    }

    // MARK: transit gateways

    /// Zones come from the attachment's VPC's subnet: b's subnet `s2` (another zone) shares the name of a's.
    @Test func attachmentZonesComeFromTheAttachmentsOwnSubnets() {
        let text = """
            vpc a {
              cidr 10.0.0.0/16
              subnet s1 10.0.0.0/24 az us-east-1a
              subnet s2 10.0.1.0/24 az us-east-1a
            }
            vpc b {
              cidr 10.1.0.0/16
              subnet s2 10.1.1.0/24 az us-east-1b
            }
            transit-gateway hub {
              attachment att-a vpc a subnets s1 s2
            }
            """
        var r = Self.reconciler(text)
        r.transitGateways("snap")
        #expect(r.topology.transitGateways[0].attachments[0].subnets == ["s1"])
    }

    /// An attachment left without a subnet goes, and with it its association, propagation and routes; another
    /// TGW's attachment is another attachment.
    @Test func aLeftOutAttachmentTakesItsReferencesWithIt() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.9.0.0/24
            }
            vpc b {
              cidr 10.1.0.0/16
              subnet sb 10.1.0.0/24
            }
            transit-gateway hub {
              attachment gone vpc a subnets s
              attachment stay vpc b subnets sb
              route-table rt {
                associate gone stay
                propagate gone stay
                route 10.0.0.0/16 -> gone
                route 10.1.0.0/16 -> stay
              }
              route-table rt2 {
                associate stay
              }
            }
            """)
        r.subnets("snap")
        r.transitGateways("snap")
        let tgw = r.topology.transitGateways[0]
        #expect(tgw.attachments.map(\.name) == ["stay"])
        #expect(tgw.routeTables[0].associations == ["stay"])
        // An attachment is associated with one table: the first written.
        #expect(tgw.routeTables[1].associations.isEmpty)
        #expect(tgw.routeTables[0].propagations == ["stay"])
        #expect(tgw.routeTables[0].routes.map(\.target) == [.blackhole, .attachment("stay")])
        #expect(Self.skipped(r).last == "transit gateway attachment gone: none of its subnets is imported")
        #expect(r.report.warnings.map(\.message) == [
            "TGW route 10.0.0.0/16 in rt: attachment gone is not imported; imported as a blackhole",
        ])
    }

    // MARK: one resolve per change

    /// Steps share one resolved topology until one changes the model; a stale one would miss what a step left
    /// out (here: the route step would still see the peering the peering step removed).
    @Test func aStepSeesWhatThePreviousStepLeftOut() {
        var r = Self.reconciler("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              route-table r main {
                route 10.0.0.0/8 -> aa
              }
            }
            vpc b {
              cidr 10.0.128.0/20
            }
            peering aa a <-> b
            """)
        r.run(source: "snap")
        #expect(r.topology.peerings.isEmpty)
        #expect(r.topology.vpcs[0].routeTables[0].routes[0].target == .blackhole)
        #expect(TopologyValidator.validate(r.topology).isEmpty)
    }
}

/// The Terraform importer picks, among the peerings an unknown `vpc_peering_connection_id` could be, the one
/// whose other VPC holds the destination: the peerings' VPCs come from NetworkModel's resolver.
@Suite struct TerraformRouteTargetTests {
    @Test func anUnknownPeeringIdIsTheOnePeeringThatCanCarryTheRoute() throws {
        let file = Files.fixtures + "/terraform/refs-plan.json"
        let result = try TerraformImporter.importDocument(try JSONDocument(bytes: Files.read(file) ?? [], file: file))
        let chosen = result.report.notes.compactMap { note -> String? in
            guard note.hasPrefix("aws_route_table.hub_public: route."), let r = note.firstRange(of: ": aws_vpc_peering_connection.") else { return nil }
            return String(note[r.upperBound...].prefix { $0 != " " })
        }
        #expect(chosen == ["hub_spoke", "hub_edge"])
        // And the routes name the two peerings (not blackholes).
        let targets = result.topology.vpcs.flatMap(\.routeTables).flatMap(\.routes).compactMap { r -> String? in
            if case .named(let n) = r.target, result.topology.peerings.contains(where: { $0.name == n }) { return n }
            return nil
        }
        #expect(Set(targets).count == 2)
    }
}
