// Terraform: the network's edges — virtual private gateways, customer gateways, Site-to-Site VPN connections,
// VPC endpoints (gateway and interface), Direct Connect gateways, their associations and virtual interfaces.
// Transit gateway VPN, Direct Connect gateway and peering attachments are built with the other TGW attachments
// (TerraformImporter+Routing.swift), route-table propagation and edge associations with the route tables.
import IPAddressing
import NetworkModel

extension JSONCursor {
    /// A Terraform ASN attribute (a string of digits in the AWS provider, or a number); nil when absent or empty.
    func tfASN(_ key: String) throws(JSONError) -> UInt32? {
        guard let v = self[key], !v.isNull else { return nil }
        if let s = v.stringValue, s.isEmpty { return nil }
        guard let n = v.intValue, n >= 0, n <= Int(UInt32.max) else {
            throw v.error("invalid ASN \(AWSGrammar.quoted(v.stringValue ?? "\(v.kind)")): expected a number from 0 to 4294967295")
        }
        return UInt32(n)
    }
}

extension AWSGrammar {
    /// A Direct Connect gateway id: a UUID (lowercase hexadecimal digits in groups joined by single `-`).
    static func isDirectConnectGatewayID(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard !b.isEmpty, b.count <= 64, b.first != 0x2D, b.last != 0x2D else { return false }
        var previous: UInt8 = 0
        for c in b {
            guard (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c == 0x2D && previous != 0x2D) else { return false }
            previous = c
        }
        return true
    }

    /// An endpoint service name: `com.amazonaws.us-east-1.s3`, `com.amazonaws.vpce.us-east-1.vpce-svc-0a1b…` —
    /// lowercase letters, digits, `.`, `-` and `_`.
    static func isServiceName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 255 && text.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x5F
        }
    }
}

extension TFBuilder {
    /// True when a list attribute has known values, or the configuration writes an expression for it: a computed
    /// list that association resources fill (`route_table_ids`, `propagating_vgws`) is unknown in a plan
    /// without naming anything, and is no reason for a warning.
    func isListWritten(_ r: TFResource, _ attribute: String) -> Bool {
        if let v = r.values[attribute], v.kind == .array { return true }
        return r.isUnknown([attribute]) && doc.expression(r, [attribute]) != nil
    }

    static let vpnGatewayTypes: Set<String> = ["aws_vpn_gateway"]
    static let transitGatewayTypes: Set<String> = ["aws_ec2_transit_gateway"]

    /// The short name of an AWS service from its endpoint service name: `com.amazonaws.us-east-1.s3` → `s3`.
    static func serviceShortName(_ service: String) -> String {
        service.split(separator: ".").last.map(String.init) ?? service
    }

    /// `aws_vpn_gateway` with `vpc_id`, or attached by `aws_vpn_gateway_attachment`: one per VPC.
    mutating func buildVPNGateways() throws(JSONError) {
        var attachedTo: [String: (resource: TFResource, vpc: Int)] = [:]   // VGW address → attachment
        for a in resources("aws_vpn_gateway_attachment") {
            guard let g = address(ref(a, ["vpn_gateway_id"], types: Self.vpnGatewayTypes)) else {
                skip(a, "VPN gateway attachment", "its VPN gateway is not managed by this configuration (or unknown until apply)")
                continue
            }
            guard let v = vpcIndex(a, "VPN gateway attachment") else { continue }
            attachedTo[g] = (a, v)
            report.didImport("VPN gateway attachment")
        }
        for r in resources("aws_vpn_gateway") {
            var v: Int?
            if r.string("vpc_id") != nil || (r.isUnknown(["vpc_id"]) && doc.expression(r, ["vpc_id"]) != nil) {
                v = vpcIndex(r, "VPN gateway")
            } else if let a = attachedTo[r.address] {
                v = a.vpc
            } else {
                skip(r, "VPN gateway", "not attached to a VPC")
            }
            guard let v else { continue }
            if let other = topology.vpcs[v].vpnGateway {
                skip(r, "VPN gateway", "a second VPN gateway on VPC \(topology.vpcs[v].id ?? topology.vpcs[v].name) (it has \(other.id ?? other.name))")
                continue
            }
            let g = VPNGateway(name: names.name(r.address), id: r.string("id"), asn: try r.values.tfASN("amazon_side_asn"), location: at(r))
            topology.vpcs[v].vpnGateway = g
            nameOf[r.address] = g.name
            vpcOf[r.address] = v
            report.didImport("VPN gateway")
        }
    }

    mutating func buildCustomerGateways() throws(JSONError) {
        for r in resources("aws_customer_gateway") {
            guard let address = try r.values.tfAddress4("ip_address") else {
                skip(r, "customer gateway", r.isUnknown(["ip_address"]) ? "ip_address is unknown until apply" : "no IPv4 ip_address")
                continue
            }
            let asnValue = try r.values.tfASN("bgp_asn")
            let extended = try r.values.tfASN("bgp_asn_extended")
            guard let asn = asnValue ?? extended else {
                skip(r, "customer gateway", "no bgp_asn")
                continue
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            topology.customerGateways.append(CustomerGateway(name: name, id: r.string("id"), address: address, asn: asn, location: at(r)))
            report.didImport("customer gateway")
        }
    }

    /// `aws_dx_gateway` (before the TGWs: a TGW association becomes a TGW attachment).
    mutating func buildDirectConnectGateways() throws(JSONError) {
        for r in resources("aws_dx_gateway") {
            if let v = r.values["id"], let id = v.stringValue, !id.isEmpty, !AWSGrammar.isDirectConnectGatewayID(id) {
                throw v.error("\(r.address): invalid Direct Connect gateway id \(AWSGrammar.quoted(id)): expected a UUID like '5f294f92-bafb-4011-916d-9b0bEXAMPLE'")
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            dxGatewayIndex[r.address] = topology.directConnectGateways.count
            topology.directConnectGateways.append(DirectConnectGateway(name: name, id: r.string("id"), asn: try r.values.tfASN("amazon_side_asn"),
                                                                       location: at(r)))
            report.didImport("Direct Connect gateway")
        }
    }

    /// The Direct Connect gateway index and the gateway (VGW or TGW) address of an `aws_dx_gateway_association`.
    mutating func dxAssociationEnds(_ r: TFResource) -> (dxg: Int, gateway: String)? {
        guard let d = address(ref(r, ["dx_gateway_id"], types: ["aws_dx_gateway"])), let dxg = dxGatewayIndex[d] else {
            skip(r, "Direct Connect gateway association", "its Direct Connect gateway is not imported")
            return nil
        }
        let attribute = isWritten(r, "associated_gateway_id") ? "associated_gateway_id" : "vpn_gateway_id"
        guard let g = address(ref(r, [attribute], types: Self.vpnGatewayTypes.union(Self.transitGatewayTypes))), nameOf[g] != nil else {
            skip(r, "Direct Connect gateway association", "its gateway is not imported (a VPN gateway or transit gateway of this configuration)")
            return nil
        }
        return (dxg, g)
    }

    mutating func buildDirectConnectAssociations() throws(JSONError) {
        for r in resources("aws_dx_gateway_association") {
            guard let (dxg, g) = dxAssociationEnds(r), let gateway = nameOf[g] else { continue }
            var allowed: [IPv4Prefix] = []
            for e in r.values["allowed_prefixes"]?.elements ?? [] {
                guard let s = e.stringValue, !s.isEmpty else { continue }
                do { allowed.append(try IPv4Prefix(s, normalize: true)) } catch { throw e.error("invalid IPv4 CIDR '\(s)': \(error.message)") }
            }
            if allowed.isEmpty, r.isUnknown(["allowed_prefixes"]), resource(g)?.type == "aws_vpn_gateway" {
                report.note("\(r.address): allowed_prefixes unknown until apply; AWS's default for a VPN gateway (its VPC's CIDRs) assumed")
            }
            if allowed.isEmpty, resource(g)?.type == "aws_ec2_transit_gateway" {
                warn(r, "allowed_prefixes is empty or unknown for a transit gateway association: nothing is advertised to on-premises over it", into: &report)
            }
            let location = at(r)
            topology.directConnectGateways[dxg].associations.append(DirectConnectGateway.Association(gateway: gateway, allowedPrefixes: allowed,
                                                                                                     location: location))
            report.didImport("Direct Connect gateway association")
        }
        for (type, kind) in [("aws_dx_private_virtual_interface", VirtualInterface.Kind.private), ("aws_dx_transit_virtual_interface", .transit)] {
            for r in resources(type) {
                if let v = r.values["id"], v.stringValue?.isEmpty == false { _ = try v.awsID(prefix: "dxvif", what: "virtual interface") }
                let side: VirtualInterface.AWSSide
                if kind == .private, isWritten(r, "vpn_gateway_id") {
                    guard let g = address(ref(r, ["vpn_gateway_id"], types: Self.vpnGatewayTypes)), let n = nameOf[g] else {
                        skip(r, "virtual interface", "its VPN gateway is not imported"); continue
                    }
                    side = .vpnGateway(n)
                } else {
                    guard let d = address(ref(r, ["dx_gateway_id"], types: ["aws_dx_gateway"])), let n = nameOf[d] else {
                        skip(r, "virtual interface", "its Direct Connect gateway is not imported"); continue
                    }
                    side = .directConnectGateway(n)
                }
                let name = names.name(r.address)
                nameOf[r.address] = name
                // `aws_dx_*_virtual_interface` has no state attribute; AWS's `VirtualInterfaceState` is not in it.
                topology.virtualInterfaces.append(VirtualInterface(name: name, id: r.string("id"), kind: kind, awsSide: side, location: at(r)))
                report.didImport("virtual interface")
            }
        }
    }

    /// `aws_vpn_connection` (+ `aws_vpn_connection_route`): on a VGW (`vpn_gateway_id`) or a TGW
    /// (`transit_gateway_id`, whose attachment ``buildTransitGateways()`` made).
    mutating func buildVPNConnections() throws(JSONError) {
        var extraRoutes: [String: [IPv4Prefix]] = [:]
        for r in resources("aws_vpn_connection_route") {
            guard let c = address(ref(r, ["vpn_connection_id"], types: ["aws_vpn_connection"])) else {
                skip(r, "VPN connection route", "its VPN connection is not managed by this configuration (or unknown until apply)")
                continue
            }
            guard let p = try r.values.tfPrefix4("destination_cidr_block") else {
                skip(r, "VPN connection route", "destination_cidr_block is unknown until apply")
                continue
            }
            extraRoutes[c, default: []].append(p)
        }
        for r in resources("aws_vpn_connection") {
            guard let cg = address(ref(r, ["customer_gateway_id"], types: ["aws_customer_gateway"])), let cgName = nameOf[cg] else {
                skip(r, "VPN connection", "its customer gateway is not imported")
                continue
            }
            let side: VPNConnection.AWSSide
            if isWritten(r, "transit_gateway_id") {
                guard let t = address(ref(r, ["transit_gateway_id"], types: Self.transitGatewayTypes)), let n = nameOf[t],
                      tgwAttachmentNameOf[r.address] != nil else {
                    skip(r, "VPN connection", "its transit gateway is not imported")
                    continue
                }
                side = .transitGateway(n)
            } else if isWritten(r, "vpn_gateway_id") {
                guard let g = address(ref(r, ["vpn_gateway_id"], types: Self.vpnGatewayTypes)), let n = nameOf[g] else {
                    skip(r, "VPN connection", "its VPN gateway is not imported (not attached to a VPC of this configuration?)")
                    continue
                }
                side = .vpnGateway(n)
            } else {
                skip(r, "VPN connection", "neither vpn_gateway_id nor transit_gateway_id (a Cloud WAN or unattached connection)")
                continue
            }
            let staticOnly = r.values["static_routes_only"]?.boolValue ?? false
            var routes: [IPv4Prefix] = []
            // A state lists the connection's routes (`routes[]`, the routes of aws_vpn_connection_route among them).
            for e in r.values["routes"]?.elements ?? [] where (e["state"]?.stringValue ?? "available") == "available" {
                if let p = try e.tfPrefix4("destination_cidr_block"), !routes.contains(p) { routes.append(p) }
            }
            for p in extraRoutes[r.address] ?? [] where !routes.contains(p) { routes.append(p) }
            if !routes.isEmpty, !staticOnly {
                warn(r, "static routes on a connection without static_routes_only: kept as announced prefixes", into: &report)
            }
            var tunnels: [VPNConnection.TunnelState] = []
            for t in r.values["vgw_telemetry"]?.elements ?? [] {
                switch t["status"]?.stringValue?.uppercased() {
                case "UP"?: tunnels.append(.up)
                case "DOWN"?: tunnels.append(.down)
                default: break
                }
            }
            let name = names.name(r.address)
            nameOf[r.address] = name
            topology.vpnConnections.append(VPNConnection(name: name, id: r.string("id"), awsSide: side, customerGateway: cgName,
                                                         staticRoutesOnly: staticOnly, staticRoutes: routes, tunnels: tunnels,
                                                         location: at(r)))
            report.didImport("VPN connection")
        }
        for r in resources("aws_vpn_connection_route") where address(ref(r, ["vpn_connection_id"], types: ["aws_vpn_connection"])).map({ nameOf[$0] != nil }) == true {
            report.didImport("VPN connection route")
        }
    }

    /// `aws_vpc_endpoint` (+ route-table and subnet association resources). Gateway endpoints need the service's
    /// prefix list: the one with the endpoint's `prefix_list_id`, else the one named after the service, else one
    /// made from the endpoint's `cidr_blocks`.
    mutating func buildVPCEndpoints() throws(JSONError) {
        let tableTypes: Set<String> = ["aws_route_table", "aws_default_route_table"]
        let subnetTypes: Set<String> = ["aws_subnet", "aws_default_subnet"]
        var extraTables: [String: [String]] = [:], extraSubnets: [String: [String]] = [:]
        for (type, isTable) in [("aws_vpc_endpoint_route_table_association", true), ("aws_vpc_endpoint_subnet_association", false)] {
            for r in resources(type) {
                guard let e = address(ref(r, ["vpc_endpoint_id"], types: ["aws_vpc_endpoint"])) else {
                    skip(r, isTable ? "VPC endpoint route table association" : "VPC endpoint subnet association",
                         "its VPC endpoint is not managed by this configuration (or unknown until apply)")
                    continue
                }
                let attribute = isTable ? "route_table_id" : "subnet_id"
                guard let target = address(ref(r, [attribute], types: isTable ? tableTypes : subnetTypes)) else {
                    skip(r, isTable ? "VPC endpoint route table association" : "VPC endpoint subnet association", "its \(isTable ? "route table" : "subnet") is not imported")
                    continue
                }
                if isTable { extraTables[e, default: []].append(target) } else { extraSubnets[e, default: []].append(target) }
            }
        }
        for r in resources("aws_vpc_endpoint") {
            let typeValue = r.string("vpc_endpoint_type") ?? "Gateway"
            guard typeValue == "Gateway" || typeValue == "Interface" || typeValue == "GatewayLoadBalancer" else {
                skip(r, "VPC endpoint", "\(typeValue) endpoints are not in the language")
                continue
            }
            var service = r.values["service_name"]?.stringValue ?? ""
            if service.isEmpty, Self.isGatewayLoadBalancerEndpoint(r), let lb = gatewayLoadBalancerOfEndpoint(r) {
                // A plan: the endpoint service's name is unknown until apply, but the service fronts a Gateway Load
                // Balancer of the configuration: the endpoint names it (tieGatewayLoadBalancerEndpoints, in a state).
                service = names.name(lb)
            } else {
                guard let serviceValue = r.values["service_name"], let written = serviceValue.stringValue, !written.isEmpty else {
                    skip(r, "VPC endpoint", "service_name is unknown until apply")
                    continue
                }
                guard AWSGrammar.isServiceName(written) else {
                    throw serviceValue.error("\(r.address): invalid service name \(AWSGrammar.quoted(written)): expected a name like 'com.amazonaws.us-east-1.s3'")
                }
                service = written
            }
            guard let v = vpcIndex(r, "VPC endpoint") else { continue }
            var endpoint = VPCEndpoint(name: names.name(r.address), id: r.string("id"), kind: typeValue == "Gateway" ? .gateway : .interface, service: service,
                                       location: at(r))
            if endpoint.kind == .gateway {
                guard let list = try servicePrefixList(r, service: service) else {
                    skip(r, "VPC endpoint", "the service's prefix list is unknown (prefix_list_id and cidr_blocks unknown until apply): add data \"aws_ec2_managed_prefix_list\" with name = \"\(service)\"")
                    continue
                }
                endpoint.prefixList = list
                var tables: [String] = []
                let listed = isListWritten(r, "route_table_ids") ? refs(r, "route_table_ids", types: tableTypes) ?? [] : []
                for a in listed + (extraTables[r.address] ?? []) {
                    guard let n = nameOf[a], vpcOf[a] == v else {
                        warn(r, "route table \(a.hasPrefix("id:") ? String(a.dropFirst(3)) : a) is not imported (or in another VPC): left out", into: &report)
                        continue
                    }
                    if !tables.contains(n) { tables.append(n) }
                }
                endpoint.routeTables = tables
            } else {
                var subnets: [String] = []
                let listed = isListWritten(r, "subnet_ids") ? refs(r, "subnet_ids", types: subnetTypes) ?? [] : []
                for a in listed + (extraSubnets[r.address] ?? []) {
                    guard let n = nameOf[a], vpcOf[a] == v else {
                        warn(r, "subnet \(a.hasPrefix("id:") ? String(a.dropFirst(3)) : a) is not imported (or in another VPC): left out", into: &report)
                        continue
                    }
                    if !subnets.contains(n) { subnets.append(n) }
                }
                endpoint.subnets = subnets
                var groups: [String] = []
                let listedGroups = refs(r, "security_group_ids", types: ["aws_security_group", "aws_default_security_group"]) ?? []
                for a in listedGroups {
                    guard let n = nameOf[a] else {
                        warn(r, "security group \(a.hasPrefix("id:") ? String(a.dropFirst(3)) : a) is not imported: left out", into: &report)
                        continue
                    }
                    if !groups.contains(n) { groups.append(n) }
                }
                // Without any of its groups the ENIs would get the VPC's default group, which may admit more: skipped.
                if groups.isEmpty, !listedGroups.isEmpty, !Self.isGatewayLoadBalancerEndpoint(r) {
                    skip(r, "VPC endpoint", "none of its security groups is imported")
                    continue
                }
                // The language (and AWS) have no interface endpoint without a subnet: printed, it would not parse
                // (the AWS importer's fuzz finding, Docs/FUZZING.md).
                if subnets.isEmpty {
                    skip(r, "VPC endpoint", "\(Self.isGatewayLoadBalancerEndpoint(r) ? "a Gateway Load Balancer" : "an interface") endpoint with none of its subnets imported (subnet_ids, aws_vpc_endpoint_subnet_association)")
                    continue
                }
                endpoint.securityGroups = groups
                endpoint.privateDNS = r.values["private_dns_enabled"]?.boolValue ?? false
                // Which ENI is in which subnet is not in the resource: the ids are kept when there is one of each.
                let enis = (r.values["network_interface_ids"]?.elements ?? []).compactMap(\.stringValue).filter { !$0.isEmpty }
                if enis.count == 1, subnets.count == 1, let v = r.values["network_interface_ids"]?.elements.first {
                    endpoint.interfaceIDs = [try v.awsID(prefix: "eni", what: "network interface")]
                } else if !enis.isEmpty {
                    report.note("\(r.address): \(enis.count) endpoint network interface\(enis.count == 1 ? "" : "s") for \(subnets.count) subnets; which is in which subnet is not in the state, so their ids are not kept")
                }
            }
            if Self.isGatewayLoadBalancerEndpoint(r) { finishGatewayLoadBalancerEndpoint(r, &endpoint) }
            nameOf[r.address] = endpoint.name
            vpcOf[r.address] = v
            topology.vpcs[v].endpoints.append(endpoint)
            report.didImport("VPC endpoint")
        }
        for (type, what) in [("aws_vpc_endpoint_route_table_association", "VPC endpoint route table association"), ("aws_vpc_endpoint_subnet_association", "VPC endpoint subnet association")] {
            for r in resources(type) where address(ref(r, ["vpc_endpoint_id"], types: ["aws_vpc_endpoint"])).map({ nameOf[$0] != nil }) == true {
                report.didImport(what)
            }
        }
    }

    /// The name of the prefix list holding a gateway endpoint's service CIDRs, made from `cidr_blocks` when no
    /// imported prefix list has the endpoint's `prefix_list_id` or the service's name.
    mutating func servicePrefixList(_ r: TFResource, service: String) throws(JSONError) -> String? {
        let plID = r.string("prefix_list_id")
        if let plID, let i = topology.prefixLists.firstIndex(where: { $0.id == plID }) { return topology.prefixLists[i].name }
        if let name = servicePrefixListByService[service] { return name }
        var entries: [IPPrefix] = []
        for e in r.values["cidr_blocks"]?.elements ?? [] {
            guard let s = e.stringValue, !s.isEmpty else { continue }
            do { entries.append(try IPPrefix(s, normalize: true)) } catch { throw e.error("invalid CIDR '\(s)': \(error.message)") }
        }
        guard !entries.isEmpty else { return nil }
        if let idValue = r.values["prefix_list_id"], idValue.stringValue?.isEmpty == false { _ = try idValue.awsID(prefix: "pl", what: "prefix list") }
        let key = "prefix-list#" + service
        names.register(key: key, tag: Self.serviceShortName(service), fallback: plID)
        let name = names.name(key)
        // Made from the endpoint's `cidr_blocks`: placed at the endpoint.
        topology.prefixLists.append(PrefixList(name: name, id: plID, entries: entries, location: at(r)))
        servicePrefixListByService[service] = name
        report.note("\(r.address): the service's prefix list \(plID ?? service) imported from the endpoint's cidr_blocks as pl:\(name)")
        report.didImport("prefix list")
        return name
    }
}
