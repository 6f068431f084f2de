import IPAddressing
import NetworkModel
import Testing

/// `TopologyResolver`: every kind of reference resolves to the id of the right component, the defaults become
/// explicit, unknown names resolve to nothing (and validate with today's diagnostics), and ids map back to names.
@Suite struct ResolverTests {
    static let text = """
        prefix-list corp { 10.200.0.0/16 }
        vpc a {
          cidr 10.0.0.0/16
          ipv6 2600:1f18:1234:5600::/56
          internet-gateway igw-a
          egress-only-gateway eigw-a
          subnet pub 10.0.0.0/24 az z1 map-public-ip
          subnet app 10.0.1.0/24 az z1
          subnet db  10.0.2.0/24 az z2
          nat-gateway nat-a in pub ip 10.0.0.50
          route-table public {
            associate pub
            route 0.0.0.0/0 -> igw-a
            route ::/0 -> eigw-a
            route 10.1.0.0/16 -> ab
            route 10.2.0.0/16 -> hub
            route 10.3.0.0/16 -> fw.eth1
            route 10.4.0.0/16 -> fw
            route 10.5.0.0/16 -> nat-a
            route pl:corp -> unmodelled vgw-123
            route 10.6.0.0/16 blackhole
          }
          route-table private main {
            associate app
          }
          security-group web {
            ingress tcp 443 from pl:corp
            ingress all from sg web
          }
          security-group base default {
            egress none
          }
          network-acl guard {
            associate db
            inbound 100 allow all from 0.0.0.0/0
            outbound 100 allow all to 0.0.0.0/0
          }
          instance web-1 in pub ip 10.0.0.10 sg web
          instance plain in app ip 10.0.1.10
          instance fw {
            interface eth0 in pub ip 10.0.0.20 sg web source-dest-check off
            interface eth1 in app ip 10.0.1.20 sg web base
          }
        }
        vpc b {
          cidr 10.1.0.0/16
          subnet only 10.1.0.0/24 az z1
          network-acl fallback default {
            inbound 100 allow all from 0.0.0.0/0
            outbound 100 allow all to 0.0.0.0/0
          }
          security-group default {
            ingress tcp 80 from sg web
          }
          instance b-1 in only ip 10.1.0.10
        }
        vpc c {
          cidr 10.2.0.0/16
          subnet c-1 10.2.0.0/24 az z1
        }
        peering ab a <-> b
        transit-gateway hub {
          attachment att-a vpc a subnets app
          attachment att-c vpc c subnets c-1
          route-table spokes {
            associate att-a att-c
            propagate att-c
            route 10.9.0.0/16 -> att-a
            route 10.8.0.0/16 blackhole
          }
        }
        """

    static func resolved() throws -> ResolvedTopology {
        let (topology, diagnostics) = TopologyLoader.load(text, file: "resolve.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        return TopologyResolver.resolve(topology)
    }

    @Test func namesResolveToTypedIDsOfTheRightComponent() throws {
        let r = try Self.resolved()
        let a = try #require(r.vpc(named: "a")), b = try #require(r.vpc(named: "b")), c = try #require(r.vpc(named: "c"))
        #expect([a, b, c].map(\.index) == [0, 1, 2])
        #expect(r.vpcs[a.position].subnets.map { r.name(of: $0) } == ["pub", "app", "db"])
        let pub = try #require(r.subnet(named: "pub")), app = try #require(r.subnet(named: "app"))
        let db = try #require(r.subnet(named: "db")), only = try #require(r.subnet(named: "only"))
        #expect(r.subnets[pub.position].vpc == a && r.subnets[only.position].vpc == b)
        // Route tables: the associated one, else the main one (written or implied).
        let publicTable = try #require(r.routeTable(named: "public", in: a))
        let privateTable = try #require(r.routeTable(named: "private", in: a))
        #expect(r.subnets[pub.position].routeTable == publicTable)
        #expect(r.subnets[app.position].routeTable == privateTable)
        #expect(r.subnets[db.position].routeTable == privateTable)
        #expect(r.vpcs[a.position].mainRouteTable == privateTable && !r.vpcs[a.position].impliesMainRouteTable)
        #expect(r.vpcs[b.position].impliesMainRouteTable)
        #expect(r.subnets[only.position].routeTable == r.vpcs[b.position].mainRouteTable)
        #expect(r.model(r.vpcs[b.position].mainRouteTable) == nil)
        #expect(r.name(of: r.vpcs[b.position].mainRouteTable) == "b-main")
        // NACLs: associated, the declared default, or AWS's implied allow-all (nil).
        let guardACL = try #require(r.networkACL(named: "guard")), fallback = try #require(r.networkACL(named: "fallback"))
        #expect(r.subnets[db.position].networkACL == guardACL)
        #expect(r.subnets[pub.position].networkACL == nil)
        #expect(r.subnets[only.position].networkACL == fallback && r.vpcs[b.position].defaultNetworkACL == fallback)
        // Default groups: marked, named `default`, or implied (no name of its own).
        let web = try #require(r.securityGroup(named: "web")), base = try #require(r.securityGroup(named: "base"))
        let bDefault = try #require(r.securityGroup(named: "default"))
        #expect(r.vpcs[a.position].defaultSecurityGroup == base && !r.vpcs[a.position].impliesDefaultSecurityGroup)
        #expect(r.vpcs[b.position].defaultSecurityGroup == bDefault)
        let cDefault = try #require(r.vpcs[c.position].defaultSecurityGroup)
        #expect(r.vpcs[c.position].impliesDefaultSecurityGroup && r.model(cDefault) == nil && r.securityGroups[cDefault.position].vpc == c)
        // Interfaces: subnet and groups (the default group when none is written).
        func groups(_ e: NetworkInterfaceID) -> [SecurityGroupID] { Array(r.interfaceSecurityGroups[r.interfaces[e.position].securityGroups]) }
        let fw = r.instances.indices.map(InstanceID.init).first { r.name(of: $0) == "fw" }
        let fwInterfaces = try #require(fw.map { r.instances[$0.position].interfaces })
        #expect(fwInterfaces.map { r.name(of: $0) } == ["fw", "fw.eth1"])
        #expect(fwInterfaces.map { r.interfaces[$0.position].subnet } == [pub, app])
        #expect(groups(fwInterfaces[fwInterfaces.startIndex]) == [web])
        #expect(groups(fwInterfaces[fwInterfaces.startIndex + 1]) == [web, base])
        let plain = r.interfaces.indices.map(NetworkInterfaceID.init).first { r.name(of: $0) == "plain" }
        #expect(try groups(#require(plain)) == [base])
        #expect(r.interfaces[0].subnetMapsPublicIP && !r.interfaces[1].subnetMapsPublicIP)
        // Security-group rule peers, `sg default` meaning the VPC's default group.
        let webRules = r.securityGroups[web.position]
        #expect(r.securityGroupRules[webRules.ingress].map(\.peer)
            == [.prefixList(r.prefixList(named: "corp")), .securityGroup(web)])
        #expect(webRules.egress == nil)
        #expect(r.securityGroups[base.position].egress?.isEmpty == true)
        #expect(r.securityGroupRules[r.securityGroups[bDefault.position].ingress].map(\.peer) == [.securityGroup(web)])
        // Route targets.
        let ab = try #require(r.peerings.indices.map(PeeringID.init).first)
        let hub = try #require(r.transitGateway(named: "hub"))
        let nat = try #require(r.natGateways.indices.map(NATGatewayID.init).first)
        let targets = r.routes[r.routeTables[publicTable.position].routes].map(\.target)
        #expect(targets == [.internetGateway(InternetGatewayID(0)), .egressOnlyGateway(EgressOnlyGatewayID(0)), .peering(ab),
                            .transitGateway(hub), .interface(fwInterfaces[fwInterfaces.startIndex + 1]),
                            .interface(fwInterfaces[fwInterfaces.startIndex]), .natGateway(nat), .unmodelled, .blackhole])
        #expect(r.routes[r.routeTables[publicTable.position].routes].map(\.destination)[7] == .prefixList(r.prefixList(named: "corp")))
        #expect(r.peerings[ab.position].requester == a && r.peerings[ab.position].accepter == b)
        #expect(r.vpcs[a.position].peerings == [ab] && r.vpcs[b.position].peerings == [ab] && r.vpcs[c.position].peerings.isEmpty)
        // Transit gateway: attachments, association, propagation, routes.
        let attA = try #require(r.tgwAttachment(named: "att-a")), attC = try #require(r.tgwAttachment(named: "att-c"))
        let spokes = try #require(r.transitGateways[hub.position].routeTables.first)
        #expect(r.tgwAttachments[attA.position].vpc == a && r.tgwAttachments[attA.position].subnets == [app])
        #expect(r.tgwAttachments[attC.position].associatedRouteTable == spokes)
        #expect(r.tgwRouteTables[spokes.position].propagations == [attC])
        #expect(r.tgwRoutes[r.tgwRouteTables[spokes.position].routes].map(\.target) == [attA, nil])
    }

    /// Ids of two kinds are different types (passing one for the other does not compile); the lookup API keeps
    /// the kinds apart too: a name of one kind is not found as another.
    @Test func lookupsKeepKindsApart() throws {
        let r = try Self.resolved()
        #expect(r.vpc(named: "pub") == nil)
        #expect(r.subnet(named: "a") == nil)
        #expect(r.securityGroup(named: "guard") == nil)
        #expect(r.networkACL(named: "web") == nil)
        #expect(r.tgwAttachment(named: "hub") == nil)
        #expect(r.transitGateway(named: "att-a") == nil)
        #expect(r.prefixList(named: "corp") == PrefixListID(0))
        // Equal indices, different kinds: the descriptions say which.
        #expect(VPCID(0).description == "vpc#0" && SubnetID(0).description == "subnet#0")
    }

    /// Every id maps back to its name, and the name to the same id.
    @Test func reverseLookupRoundTrips() throws {
        let r = try Self.resolved()
        for v in r.vpcs.indices.map(VPCID.init) { #expect(r.vpc(named: r.name(of: v)) == v) }
        for s in r.subnets.indices.map(SubnetID.init) { #expect(r.subnet(named: r.name(of: s)) == s) }
        for a in r.networkACLs.indices.map(NetworkACLID.init) { #expect(r.networkACL(named: r.name(of: a)) == a) }
        for g in r.securityGroups.indices.map(SecurityGroupID.init) where r.model(g) != nil {
            #expect(r.securityGroup(named: r.name(of: g)) == g)
        }
        for t in r.routeTables.indices.map(RouteTableID.init) where r.model(t) != nil {
            #expect(r.routeTable(named: r.name(of: t), in: r.routeTables[t.position].vpc) == t)
        }
        for a in r.tgwAttachments.indices.map(TGWAttachmentID.init) { #expect(r.tgwAttachment(named: r.name(of: a)) == a) }
        #expect(r.name(of: PeeringID(0)) == "ab" && r.name(of: TGWRouteTableID(0)) == "spokes" && r.name(of: NATGatewayID(0)) == "nat-a")
    }

    /// A name that denotes nothing resolves to nothing usable (never to a component of another kind), and
    /// validation reports it as it always did.
    @Test func unknownNamesResolveToNothingAndKeepTheirDiagnostics() throws {
        let text = """
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              route-table t main {
                associate nowhere
                route 10.9.0.0/16 -> ghost
                route 10.8.0.0/16 -> s
              }
              security-group g {
                ingress tcp 22 from sg nobody
                ingress tcp 23 from pl:nolist
                ingress tcp 24 from sg default
              }
              instance i in elsewhere ip 10.0.0.10 sg missing
              nat-gateway n in void
            }
            """
        let (topology, syntax) = TopologyParser.parse(text, file: "unknown.vpc")
        #expect(syntax.isEmpty)
        let messages = TopologyValidator.validate(topology).map(\.message)
        #expect(messages.contains("unknown subnet 'nowhere'"))
        #expect(messages.contains("unknown route target 'ghost'"))
        #expect(messages.contains("route target 's' is a subnet"))
        #expect(messages.contains("unknown security group 'nobody'"))
        #expect(messages.contains("unknown prefix list 'nolist'"))
        #expect(messages.contains("unknown subnet 'elsewhere'"))
        #expect(messages.contains("unknown security group 'missing'"))
        #expect(messages.contains("unknown subnet 'void'"))
        let r = TopologyResolver.resolve(topology)
        #expect(r.routes.map(\.target) == [.unresolved, .unresolved])
        // `sg default` with no group of that name: the VPC's default group (here AWS's implied one).
        #expect(r.securityGroupRules.map(\.peer) == [.securityGroup(nil), .prefixList(nil), .securityGroup(r.vpcs[0].defaultSecurityGroup)])
        #expect(r.vpcs[0].impliesDefaultSecurityGroup)
        #expect(r.interfaces[0].subnet == nil && r.natGateways[0].subnet == nil)
        // The unknown group is left out: the interface falls back to the VPC's (implied) default group.
        #expect(Array(r.interfaceSecurityGroups[r.interfaces[0].securityGroups]) == [try #require(r.vpcs[0].defaultSecurityGroup)])
        #expect(r.subnets[0].routeTable == r.vpcs[0].mainRouteTable)
    }

    /// A repeated name (invalid) denotes the component declared last, as compiling always took it.
    @Test func aRepeatedNameDenotesTheLastDeclared() {
        let text = """
            vpc a {
              cidr 10.0.0.0/16
              subnet s 10.0.0.0/24
              security-group g { ingress tcp 22 from 10.0.0.0/8 }
              security-group g { ingress tcp 80 from 10.0.0.0/8 }
            }
            """
        let (topology, _) = TopologyParser.parse(text, file: "dup.vpc")
        let r = TopologyResolver.resolve(topology)
        #expect(r.securityGroup(named: "g") == SecurityGroupID(1))
        #expect(r.securityGroups[0].isShadowed && r.securityGroups[0].ingress.isEmpty && r.securityGroups[0].egress?.isEmpty == true)
        #expect(!r.securityGroups[1].isShadowed && r.securityGroups[1].ingress.count == 1)
    }
}
