import NetworkModel
import Testing

/// `ResolvedTopology.subnet(named:in:)` and `tgwAttachment(named:in:)`: the component a resource of an owner
/// means by a name, the owner's own even when the name is repeated elsewhere (invalid, but importers reconcile
/// such topologies).
@Suite struct ScopedLookupTests {
    static func resolve(_ text: String) -> ResolvedTopology {
        let (topology, syntax) = TopologyParser.parse(text, file: "scoped.vpc")
        #expect(syntax.isEmpty, "\(syntax.map(\.message))")
        return TopologyResolver.resolve(topology)
    }

    @Test func aSubnetNameMeansTheOwnVPCsSubnet() throws {
        let r = Self.resolve("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              subnet only-a 10.0.1.0/24
            }
            vpc b {
              cidr 10.1.0.0/16
              subnet s 10.1.0.0/24
            }
            vpc c {
              cidr 10.2.0.0/16
            }
            """)
        let a = try #require(r.vpc(named: "a")), b = try #require(r.vpc(named: "b")), c = try #require(r.vpc(named: "c"))
        // The name's last declaration is b's; a still finds its own.
        #expect(r.subnet(named: "s") == r.subnet(named: "s", in: b))
        let inA = try #require(r.subnet(named: "s", in: a))
        #expect(r.subnets[inA.position].vpc == a)
        #expect(r.model(inA).cidr.description == "10.0.0.0/24")
        #expect(r.subnet(named: "s", in: c) == nil)
        #expect(r.subnet(named: "only-a", in: b) == nil)
        #expect(r.subnet(named: "only-a", in: a) == r.subnet(named: "only-a"))
        #expect(r.subnet(named: "ghost", in: a) == nil)
    }

    @Test func anAttachmentNameMeansTheOwnTGWsAttachment() throws {
        let r = Self.resolve("""
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
            }
            transit-gateway t1 {
              attachment att vpc a subnets s
              attachment one vpc a subnets s
            }
            transit-gateway t2 {
              attachment att vpc a subnets s
            }
            transit-gateway t3 {
              attachment lost vpc nowhere subnets s
            }
            """)
        let t1 = try #require(r.transitGateway(named: "t1")), t2 = try #require(r.transitGateway(named: "t2"))
        let t3 = try #require(r.transitGateway(named: "t3"))
        let inT1 = try #require(r.tgwAttachment(named: "att", in: t1))
        #expect(r.tgwAttachments[inT1.position].transitGateway == t1)
        #expect(r.tgwAttachment(named: "att", in: t2) == r.tgwAttachment(named: "att"))
        #expect(r.tgwAttachment(named: "one", in: t2) == nil)
        // An attachment whose VPC does not exist is no component.
        #expect(r.tgwAttachment(named: "lost", in: t3) == nil)
    }
}
