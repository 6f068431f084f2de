import IPAddressing
import NetworkModel
import Testing
@testable import Importers

/// The network's edges from Terraform (Fixtures/terraform/edges, printed by make_edges_fixtures.sh against moto):
/// a default VPC, a VGW with a static VPN, gateway and interface endpoints, a gateway route table, a TGW with a
/// VPN attachment and a peering, a Direct Connect gateway. `edges-plan` has every resource (ids unknown, known
/// by reference); `edges-state` the part moto 5.2 can create (it has no EnableVgwRoutePropagation,
/// CreateVpnConnectionRoute or Direct Connect gateways).
struct TerraformEdgesTests {
    static func load(_ name: String) throws -> ImportResult { try TerraformReferenceTests.load(name) }
    static func document(_ text: String) throws(JSONError) -> ImportResult { try TerraformReferenceTests.document(text) }
    static func vpc(_ t: Topology, _ name: String) throws -> VPC { try TerraformReferenceTests.vpc(t, name) }
    static func table(_ v: VPC, _ name: String) throws -> RouteTable { try #require(v.routeTables.first { $0.name == name }) }
    static func tgw(_ t: Topology, _ name: String) throws -> TransitGateway { try #require(t.transitGateways.first { $0.name == name }) }
    static func p4(_ s: String) throws -> IPv4Prefix { try IPv4Prefix(s) }
    static func state(_ resources: String) -> String {
        #"{"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": ["# + resources + "]}}}"
    }
    /// A state resource.
    static func res(_ type: String, _ name: String, _ values: String) -> String {
        #"{"address": "\#(type).\#(name)", "mode": "managed", "type": "\#(type)", "name": "\#(name)", "values": {\#(values)}}"#
    }
    static let prod = res("aws_vpc", "prod", #""id": "vpc-0a1", "cidr_block": "10.0.0.0/16""#)

    @Test(arguments: ["edges-plan", "edges-state"])
    func everyEdgeIsImported(_ name: String) throws {
        let result = try Self.load(name)
        let t = result.topology
        #expect(result.report.skipped.map(\.id) == [], "\(name)")
        // Nothing of the edges is reported unsupported any more.
        #expect(!result.report.skipped.contains { $0.reason.contains("the language has no") }, "\(name)")

        let prod = try Self.vpc(t, "prod")
        #expect(prod.vpnGateway?.name == "vgw1")
        #expect(prod.vpnGateway?.asn == 64512)
        // Routes to the VGW (inline `route` block and aws_route, both `gateway_id`) name it.
        #expect(try Self.table(prod, "private").routes == [Route(destination: .cidr(.v4(try Self.p4("192.168.0.0/16"))), target: .named("vgw1"))])
        #expect(try Self.table(prod, "spare").routes == [Route(destination: .cidr(.v4(try Self.p4("10.20.0.0/16"))), target: .named("vgw1"))])
        // The gateway route table (aws_route_table_association with gateway_id).
        let ingress = try #require(prod.routeTables.first { !$0.edgeAssociations.isEmpty })
        #expect(ingress.edgeAssociations == ["prod-igw"])
        #expect(ingress.associations == [])

        // Gateway endpoint: its tables from aws_vpc_endpoint_route_table_association, its prefix list the data source's.
        let s3 = try #require(prod.endpoints.first { $0.name == "s3-gw" })
        #expect(s3.kind == .gateway)
        #expect(s3.service == "com.amazonaws.us-east-1.s3")
        #expect(s3.routeTables == ["private"])
        #expect(s3.prefixList == "s3")
        let list = try #require(t.prefixLists.first { $0.name == "s3" })
        #expect(list.id?.hasPrefix("pl-") == true)   // moto's id for the AWS-managed list, read by the data source
        #expect(list.entries.contains(try IPPrefix("52.216.0.0/15")))
        // Interface endpoint: subnet_ids + aws_vpc_endpoint_subnet_association, its SG, private DNS off.
        let ssm = try #require(prod.endpoints.first { $0.name == "ssm" })
        #expect(ssm.kind == .interface)
        #expect(ssm.subnets == ["app-a", "app-b"])
        #expect(ssm.securityGroups == ["endpoints"])
        #expect(ssm.privateDNS == false)

        #expect(t.customerGateways.map(\.name).sorted() == ["branch", "office"])
        let office = try #require(t.customerGateways.first { $0.name == "office" })
        #expect(office.address == (try IPv4Address("198.51.100.10")))
        #expect(office.asn == 65000)
        let officeVPN = try #require(t.vpnConnections.first { $0.name == "office-vpn" })
        #expect(officeVPN.awsSide == .vpnGateway("vgw1"))
        #expect(officeVPN.customerGateway == "office")
        let branchVPN = try #require(t.vpnConnections.first { $0.name == "branch-vpn" })
        #expect(branchVPN.awsSide == .transitGateway("core"))
        #expect(branchVPN.staticRoutesOnly == false)

        // The TGW side of the VPN: an attachment that keeps the TGW's default association and propagation.
        let core = try Self.tgw(t, "core")
        let vpnAttachment = try #require(core.attachments.first { $0.kind == .vpn(connection: "branch-vpn") })
        let defaultTable = try #require(core.routeTables.first { $0.name == "core-default" })
        #expect(defaultTable.associations.contains(vpnAttachment.name))
        #expect(defaultTable.propagations.contains(vpnAttachment.name))
        // A table of its own: the VPN attachment, named by `transit_gateway_attachment_id`, propagates into it and
        // is a static route's target.
        let onprem = try #require(core.routeTables.first { $0.name == "onprem" })
        #expect(onprem.propagations == [vpnAttachment.name])
        // (moto 5.2 reads every static TGW route back as `blackhole: true` without its attachment: the state says so.)
        let isPlan = name == "edges-plan"
        #expect(onprem.routes == [TGWRoute(destination: .cidr(.v4(try Self.p4("172.16.0.0/16"))), target: isPlan ? .attachment(vpnAttachment.name) : .blackhole)])
        // Peering: one attachment on each TGW, with the same id; the static route in the default table
        // (association_default_route_table_id) takes the core side.
        let toWest = try #require(core.attachments.first { $0.kind == .peering(transitGateway: "core-west") })
        let west = try Self.tgw(t, "core-west")
        let fromCore = try #require(west.attachments.first { $0.kind == .peering(transitGateway: "core") })
        #expect(toWest.id == fromCore.id)
        let routeTarget: TGWRoute.Target = isPlan ? .attachment(toWest.name) : .blackhole
        #expect(defaultTable.routes == [TGWRoute(destination: .cidr(.v4(try Self.p4("10.50.0.0/16"))), target: routeTarget)])
        // Peerings never propagate and are not default-associated.
        #expect(!defaultTable.propagations.contains(toWest.name) && !defaultTable.associations.contains(toWest.name))

        // aws_default_vpc: AWS's default VPC.
        let legacy = try Self.vpc(t, "legacy")
        #expect(legacy.isDefault)
        #expect(legacy.cidrs == [try Self.p4("172.31.0.0/16")])
        #expect(!prod.isDefault)
    }

    /// True once the language has the edges (branch i18-lang): a VGW parses and validates as a route target.
    static let languageHasEdges: Bool = {
        let (t, diagnostics) = TopologyParser.parse("vpc a {\n  cidr 10.0.0.0/16\n  vpn-gateway g\n  route-table r main {\n    route 192.168.0.0/16 -> g\n  }\n}\n", file: "probe.vpc")
        return diagnostics.isEmpty && t.vpcs.first?.vpnGateway != nil && validationErrors(t).isEmpty
    }()

    /// The import validates and prints as the language (parse(print(m)) == m). Runs once the parser, printer and
    /// validator know the edges (checked by hand on a merge with i18-lang: both pass).
    @Test(.enabled(if: languageHasEdges, "the language has no edges yet (branch i18-lang)"), arguments: ["edges-plan", "edges-state"])
    func importValidatesAndRoundTrips(_ name: String) throws {
        let t = try Self.load(name).topology
        #expect(validationErrors(t) == [], "\(name)")
        let (same, diagnostics) = roundTrips(t)
        #expect(same, "\(name): \(diagnostics)")
    }

    /// What only the plan has: moto cannot create VGW route propagation, VPN static routes or Direct Connect.
    @Test func planHasPropagationStaticRoutesAndDirectConnect() throws {
        let t = try Self.load("edges-plan").topology
        let prod = try Self.vpc(t, "prod")
        #expect(try Self.table(prod, "private").propagations == ["vgw1"])   // aws_vpn_gateway_route_propagation
        #expect(try Self.table(prod, "spare").propagations == ["vgw1"])     // propagating_vgws
        let officeVPN = try #require(t.vpnConnections.first { $0.name == "office-vpn" })
        #expect(officeVPN.staticRoutesOnly)
        #expect(officeVPN.staticRoutes == [try Self.p4("192.168.0.0/16")])   // aws_vpn_connection_route
        let dxg = try #require(t.directConnectGateways.first)
        #expect(dxg.name == "dxg")
        #expect(dxg.asn == 64513)
        #expect(dxg.associations == [DirectConnectGateway.Association(gateway: "vgw1", allowedPrefixes: [try Self.p4("10.0.0.0/16")])])
    }

    /// What only the state has: the AWS ids.
    @Test func stateKeepsTheAWSIDs() throws {
        let result = try Self.load("edges-state")
        let t = result.topology
        let prod = try Self.vpc(t, "prod")
        #expect(prod.vpnGateway?.id?.hasPrefix("vgw-") == true)
        #expect(t.vpnConnections.allSatisfy { $0.id?.hasPrefix("vpn-") == true })
        #expect(t.customerGateways.allSatisfy { $0.id?.hasPrefix("cgw-") == true })
        #expect(prod.endpoints.allSatisfy { $0.id?.hasPrefix("vpce-") == true })
        let core = try Self.tgw(t, "core")
        #expect(core.attachments.first { $0.kind == .vpn(connection: "branch-vpn") }?.id?.hasPrefix("tgw-attach-") == true)
        #expect(core.attachments.first { $0.kind == .peering(transitGateway: "core-west") }?.id?.hasPrefix("tgw-attach-") == true)
        #expect(try Self.vpc(t, "legacy").id?.hasPrefix("vpc-") == true)
        // moto made one ENI for the endpoint's first subnet: which ENI is in which subnet is unknown, so none is kept.
        #expect(prod.endpoints.first { $0.name == "ssm" }?.interfaceIDs == [])
        #expect(result.report.notes.contains { $0.contains("aws_vpc_endpoint.ssm") && $0.contains("ids are not kept") })
    }

    @Test func anInterfaceEndpointWithOneSubnetKeepsItsENI() throws {
        let text = Self.state([
            Self.prod,
            Self.res("aws_subnet", "a", #""id": "subnet-0a1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24", "tags": {"Name": "app-a"}"#),
            Self.res("aws_vpc_endpoint", "e", #""id": "vpce-0a1", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm", "subnet_ids": ["subnet-0a1"], "security_group_ids": [], "private_dns_enabled": true, "network_interface_ids": ["eni-0a1"]"#),
        ].joined(separator: ",\n"))
        let e = try #require(try Self.document(text).topology.vpcs[0].endpoints.first)
        #expect(e.subnets == ["app-a"])
        #expect(e.interfaceIDs == ["eni-0a1"])
        #expect(e.privateDNS)
        #expect(e.securityGroups == [])
    }

    /// Like the AWS importer's fuzz finding: an interface endpoint whose subnets are all left out (or none is
    /// listed) is skipped with its reason, and the printed topology parses.
    @Test func anInterfaceEndpointWithoutImportedSubnetsIsSkippedAndTheImportParses() throws {
        let text = Self.state([
            Self.prod,
            Self.res("aws_subnet", "a", #""id": "subnet-0a1", "vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24", "tags": {"Name": "app-a"}"#),
            Self.res("aws_vpc_endpoint", "e", #""id": "vpce-0a1", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm", "subnet_ids": ["subnet-0ff"], "security_group_ids": [], "private_dns_enabled": false, "network_interface_ids": []"#),
            Self.res("aws_vpc_endpoint", "f", #""id": "vpce-0a2", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm", "subnet_ids": [], "security_group_ids": [], "private_dns_enabled": false, "network_interface_ids": []"#),
        ].joined(separator: ",\n"))
        let result = try Self.document(text)
        #expect(result.topology.vpcs[0].endpoints.isEmpty)
        let skipped = result.report.skipped.filter { $0.reason.contains("none of its subnets") }
        #expect(skipped.count == 2, "\(result.report.skipped)")
        let (_, diagnostics) = TopologyParser.parse(TopologyPrinter.format(result.topology), file: "imported.vpc")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
    }

    @Test func tunnelTelemetryAndConnectionRoutesFromAState() throws {
        let text = Self.state([
            Self.prod,
            Self.res("aws_vpn_gateway", "v", #""id": "vgw-0a1", "vpc_id": "vpc-0a1", "amazon_side_asn": "64512""#),
            Self.res("aws_customer_gateway", "c", #""id": "cgw-0a1", "ip_address": "198.51.100.10", "bgp_asn": "65000""#),
            Self.res("aws_vpn_connection", "x", #""id": "vpn-0a1", "vpn_gateway_id": "vgw-0a1", "customer_gateway_id": "cgw-0a1", "static_routes_only": true, "routes": [{"destination_cidr_block": "192.168.0.0/16", "source": "Static", "state": "available"}, {"destination_cidr_block": "10.9.0.0/16", "source": "Static", "state": "deleted"}], "vgw_telemetry": [{"outside_ip_address": "3.3.3.3", "status": "UP"}, {"outside_ip_address": "4.4.4.4", "status": "DOWN"}]"#),
        ].joined(separator: ",\n"))
        let t = try Self.document(text).topology
        let c = try #require(t.vpnConnections.first)
        #expect(c.id == "vpn-0a1")
        #expect(c.awsSide == .vpnGateway(t.vpcs[0].vpnGateway?.name ?? "?"))
        #expect(c.tunnels == [.up, .down])
        #expect(c.staticRoutes == [try Self.p4("192.168.0.0/16")])   // the deleted route is not carried
    }

    @Test func directConnectVirtualInterfacesAndATransitGatewayAssociation() throws {
        let text = Self.state([
            Self.prod,
            Self.res("aws_vpn_gateway", "v", #""id": "vgw-0a1", "vpc_id": "vpc-0a1""#),
            Self.res("aws_ec2_transit_gateway", "hub", #""id": "tgw-0a1", "default_route_table_association": "enable", "default_route_table_propagation": "enable", "association_default_route_table_id": "tgw-rtb-0a1", "tags": {"Name": "hub"}"#),
            Self.res("aws_dx_gateway", "d", #""id": "5f294f92-bafb-4011-916d-9b0bdeadbeef", "name": "dxg", "amazon_side_asn": "64513""#),
            Self.res("aws_dx_gateway_association", "t", #""id": "ga-1", "dx_gateway_id": "5f294f92-bafb-4011-916d-9b0bdeadbeef", "associated_gateway_id": "tgw-0a1", "allowed_prefixes": ["10.0.0.0/8"], "transit_gateway_attachment_id": "tgw-attach-0dx""#),
            Self.res("aws_dx_private_virtual_interface", "p", #""id": "dxvif-0a1", "vpn_gateway_id": "vgw-0a1", "tags": {"Name": "dc-a"}"#),
            Self.res("aws_dx_transit_virtual_interface", "x", #""id": "dxvif-0a2", "dx_gateway_id": "5f294f92-bafb-4011-916d-9b0bdeadbeef", "tags": {"Name": "dc-t"}"#),
        ].joined(separator: ",\n"))
        let result = try Self.document(text)
        let t = result.topology
        #expect(result.report.skipped.map(\.id) == [])
        let dxg = try #require(t.directConnectGateways.first)
        #expect(dxg.id == "5f294f92-bafb-4011-916d-9b0bdeadbeef")
        #expect(dxg.associations == [DirectConnectGateway.Association(gateway: "hub", allowedPrefixes: [try Self.p4("10.0.0.0/8")])])
        let hub = try Self.tgw(t, "hub")
        let att = try #require(hub.attachments.first)
        #expect(att.kind == .directConnectGateway("dxg"))
        #expect(att.id == "tgw-attach-0dx")
        #expect(hub.routeTables.first?.associations == [att.name])
        #expect(hub.routeTables.first?.propagations == [att.name])
        let vgw = try #require(t.vpcs[0].vpnGateway?.name)
        #expect(t.virtualInterfaces == [
            VirtualInterface(name: "dc-a", id: "dxvif-0a1", kind: .private, awsSide: .vpnGateway(vgw)),
            VirtualInterface(name: "dc-t", id: "dxvif-0a2", kind: .transit, awsSide: .directConnectGateway("dxg")),
        ])
    }

    /// A TGW route table association and a route naming a VPN connection's attachment by its id (a state).
    @Test func vpnAttachmentByIDInAssociationsAndRoutes() throws {
        let text = Self.state([
            Self.res("aws_ec2_transit_gateway", "hub", #""id": "tgw-0a1", "default_route_table_association": "enable", "default_route_table_propagation": "disable", "association_default_route_table_id": "tgw-rtb-0a0", "tags": {"Name": "hub"}"#),
            Self.res("aws_customer_gateway", "c", #""id": "cgw-0a1", "ip_address": "198.51.100.10", "bgp_asn": "65000""#),
            Self.res("aws_vpn_connection", "x", #""id": "vpn-0a1", "transit_gateway_id": "tgw-0a1", "customer_gateway_id": "cgw-0a1", "transit_gateway_attachment_id": "tgw-attach-0a1", "tags": {"Name": "branch-vpn"}"#),
            Self.res("aws_ec2_transit_gateway_route_table", "rt", #""id": "tgw-rtb-0a1", "transit_gateway_id": "tgw-0a1", "tags": {"Name": "edge"}"#),
            Self.res("aws_ec2_transit_gateway_route_table_association", "a", #""id": "a1", "transit_gateway_route_table_id": "tgw-rtb-0a1", "transit_gateway_attachment_id": "tgw-attach-0a1""#),
            Self.res("aws_ec2_transit_gateway_route", "r", #""id": "r1", "transit_gateway_route_table_id": "tgw-rtb-0a1", "destination_cidr_block": "192.168.0.0/16", "transit_gateway_attachment_id": "tgw-attach-0a1", "blackhole": false"#),
        ].joined(separator: ",\n"))
        let result = try Self.document(text)
        #expect(result.report.skipped.map(\.id) == [])
        let hub = try Self.tgw(result.topology, "hub")
        let att = try #require(hub.attachments.first)
        #expect(att.id == "tgw-attach-0a1")
        #expect(att.kind == .vpn(connection: "branch-vpn"))
        let edge = try #require(hub.routeTables.first { $0.name == "edge" })
        #expect(edge.associations == [att.name])
        #expect(edge.routes == [TGWRoute(destination: .cidr(.v4(try Self.p4("192.168.0.0/16"))), target: .attachment(att.name))])
        // Explicitly associated elsewhere, and the TGW does not propagate by default: AWS's default table is empty.
        #expect(hub.routeTables.filter { $0.name != "edge" }.allSatisfy { $0.associations.isEmpty && $0.propagations.isEmpty })
    }

    /// Without a prefix-list data source, a gateway endpoint's own `prefix_list_id` and `cidr_blocks` make the list.
    @Test func gatewayEndpointPrefixListFromItsCIDRBlocks() throws {
        let text = Self.state([
            Self.prod,
            Self.res("aws_route_table", "rt", #""id": "rtb-0a1", "vpc_id": "vpc-0a1", "route": [], "tags": {"Name": "private"}"#),
            Self.res("aws_vpc_endpoint", "e", #""id": "vpce-0a1", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Gateway", "service_name": "com.amazonaws.us-east-1.dynamodb", "route_table_ids": ["rtb-0a1"], "prefix_list_id": "pl-02cd2c6b", "cidr_blocks": ["3.218.180.0/22", "52.94.0.0/22"]"#),
        ].joined(separator: ",\n"))
        let t = try Self.document(text).topology
        #expect(t.prefixLists == [PrefixList(name: "dynamodb", id: "pl-02cd2c6b", entries: [try IPPrefix("3.218.180.0/22"), try IPPrefix("52.94.0.0/22")])])
        let e = try #require(t.vpcs[0].endpoints.first)
        #expect(e.prefixList == "dynamodb")
        #expect(e.routeTables == ["private"])
    }

    /// A plan's aliased provider gives its resources their region: a TGW peering across regions.
    @Test func aliasedProvidersGiveTheRegion() throws {
        func res(_ type: String, _ name: String, _ values: String) -> String {
            #"{"address": "\#(type).\#(name)", "mode": "managed", "type": "\#(type)", "name": "\#(name)", "values": {\#(values)}}"#
        }
        func config(_ type: String, _ name: String, _ provider: String, _ expressions: String = "") -> String {
            #"{"address": "\#(type).\#(name)", "mode": "managed", "type": "\#(type)", "name": "\#(name)", "provider_config_key": "\#(provider)", "expressions": {\#(expressions)}}"#
        }
        func plan(westRegion: String) -> String { #"""
        {"format_version": "1.2", "terraform_version": "1.11.4",
         "planned_values": {"root_module": {"resources": [
           \#(res("aws_ec2_transit_gateway", "east", #""tags": {"Name": "core"}"#)),
           \#(res("aws_ec2_transit_gateway", "west", #""tags": {"Name": "core-west"}"#)),
           \#(res("aws_ec2_transit_gateway_peering_attachment", "p", #""peer_region": "us-west-2", "tags": {"Name": "to-west"}"#)),
           \#(res("aws_ec2_transit_gateway_peering_attachment_accepter", "p", #""tags": {"Name": "from-east"}"#))]}},
         "prior_state": {"values": {"root_module": {"resources": [
           {"address": "data.aws_vpc.west", "mode": "data", "type": "aws_vpc", "name": "west", "values": {"id": "vpc-0a9", "cidr_block": "10.9.0.0/16", "tags": {"Name": "west"}}}]}}},
         "resource_changes": [
           {"address": "aws_ec2_transit_gateway_peering_attachment.p", "change": {"after_unknown": {"id": true, "transit_gateway_id": true, "peer_transit_gateway_id": true}}},
           {"address": "aws_ec2_transit_gateway_peering_attachment_accepter.p", "change": {"after_unknown": {"id": true, "transit_gateway_attachment_id": true}}}],
         "configuration": {
           "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
                               "aws.west": {"name": "aws", "alias": "west", "expressions": {"region": {"constant_value": "\#(westRegion)"}}}},
           "root_module": {"resources": [
             {"address": "data.aws_vpc.west", "mode": "data", "type": "aws_vpc", "name": "west", "provider_config_key": "aws.west", "expressions": {}},
             \#(config("aws_ec2_transit_gateway", "east", "aws")),
             \#(config("aws_ec2_transit_gateway", "west", "aws.west")),
             \#(config("aws_ec2_transit_gateway_peering_attachment", "p", "aws", #""transit_gateway_id": {"references": ["aws_ec2_transit_gateway.east.id", "aws_ec2_transit_gateway.east"]}, "peer_transit_gateway_id": {"references": ["aws_ec2_transit_gateway.west.id", "aws_ec2_transit_gateway.west"]}"#)),
             \#(config("aws_ec2_transit_gateway_peering_attachment_accepter", "p", "aws.west", #""transit_gateway_attachment_id": {"references": ["aws_ec2_transit_gateway_peering_attachment.p.id", "aws_ec2_transit_gateway_peering_attachment.p"]}"#))]}}}
        """# }
        let result = try Self.document(plan(westRegion: "us-west-2"))
        let t = result.topology
        #expect(result.report.skipped.map(\.id) == [])
        #expect(try Self.tgw(t, "core").region == "us-east-1")
        #expect(try Self.tgw(t, "core-west").region == "us-west-2")
        #expect(try Self.vpc(t, "west").region == "us-west-2")   // a data source of the aliased provider
        #expect(try Self.tgw(t, "core").attachments.map(\.kind) == [.peering(transitGateway: "core-west")])
        #expect(try Self.tgw(t, "core-west").attachments.map(\.kind) == [.peering(transitGateway: "core")])
        // An aliased provider whose region is not one is an input error.
        do {
            _ = try Self.document(plan(westRegion: "us west"))
            Issue.record("no error for an invalid region")
        } catch {
            #expect(error.message.contains("invalid region 'us west' of provider 'aws.west'"), "\(error.message)")
        }
    }

    /// Nothing silently dropped: what cannot be imported is skipped with its reason.
    @Test func unusableEdgesAreSkippedWithAReason() throws {
        let text = Self.state([
            Self.prod,
            Self.res("aws_vpn_gateway", "a", #""id": "vgw-0a1", "vpc_id": "vpc-0a1""#),
            Self.res("aws_vpn_gateway", "b", #""id": "vgw-0a2", "vpc_id": "vpc-0a1""#),
            Self.res("aws_vpn_gateway", "loose", #""id": "vgw-0a3""#),
            Self.res("aws_vpc_endpoint", "gwlb", #""id": "vpce-0a1", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "GatewayLoadBalancer", "service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-0a1""#),
            Self.res("aws_vpc_endpoint", "nolist", #""id": "vpce-0a2", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Gateway", "service_name": "com.amazonaws.us-east-1.s3""#),
            Self.res("aws_ec2_transit_gateway", "t", #""id": "tgw-0a1""#),
            Self.res("aws_ec2_transit_gateway_peering_attachment", "p", #""id": "tgw-attach-0a1", "transit_gateway_id": "tgw-0a1", "peer_transit_gateway_id": "tgw-0ff", "state": "available""#),
            Self.res("aws_vpc_endpoint", "nosg", #""id": "vpce-0a3", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm", "security_group_ids": ["sg-0ff"]"#),
            Self.res("aws_vpc_endpoint_service", "svc", #""id": "vpce-svc-0a1""#),
        ].joined(separator: ",\n"))
        let result = try Self.document(text)
        let skipped = Dictionary(result.report.skipped.map { ($0.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(result.topology.vpcs[0].vpnGateway?.id == "vgw-0a1")
        #expect(skipped["aws_vpn_gateway.b (vgw-0a2)"]?.contains("a second VPN gateway") == true)
        #expect(skipped["aws_vpn_gateway.loose (vgw-0a3)"] == "not attached to a VPC")
        #expect(skipped["aws_vpc_endpoint.gwlb (vpce-0a1)"] == "a Gateway Load Balancer endpoint with none of its subnets imported (subnet_ids, aws_vpc_endpoint_subnet_association)")
        #expect(skipped["aws_vpc_endpoint.nolist (vpce-0a2)"]?.contains("prefix list is unknown") == true)
        #expect(skipped["aws_ec2_transit_gateway_peering_attachment.p (tgw-attach-0a1)"]?.contains("peer transit gateway is not in this configuration") == true)
        #expect(skipped["aws_vpc_endpoint_service.svc (vpce-svc-0a1)"]?.contains("VPC endpoint services") == true)
        #expect(skipped["aws_vpc_endpoint.nosg (vpce-0a3)"] == "none of its security groups is imported")
        #expect(result.report.skipped.count == 7)
    }

    /// Ids and service names reach the printed topology: one that is not AWS's grammar is an input error.
    @Test(arguments: [
        ("aws_vpn_gateway", #""id": "vgw 1; evil""#, "invalid VPN gateway id"),
        ("aws_dx_gateway", #""id": "not a uuid", "name": "d""#, "invalid Direct Connect gateway id"),
        ("aws_vpc_endpoint", #""id": "vpce-0a1", "vpc_id": "vpc-0a1", "vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm }""#, "invalid service name"),
        ("aws_vpn_connection", #""id": "vpn-0a1", "transit_gateway_attachment_id": "attach-1""#, "invalid transit gateway attachment id"),
        ("aws_customer_gateway", #""id": "cgw-0a1", "ip_address": "198.51.100.10", "bgp_asn": "sixty""#, "invalid ASN"),
    ])
    func badIDsAreInputErrors(_ type: String, _ values: String, _ message: String) throws {
        let text = Self.state([Self.prod, Self.res(type, "x", values)].joined(separator: ",\n"))
        do {
            _ = try Self.document(text)
            Issue.record("\(type): no error")
        } catch {
            #expect(error.message.contains(message), "\(type): \(error.message)")
        }
    }
}
