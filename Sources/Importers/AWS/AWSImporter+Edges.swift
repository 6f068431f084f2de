// The network's edges: virtual private gateways, customer gateways, Site-to-Site VPN connections, Direct
// Connect gateways, their associations and virtual interfaces, and VPC endpoints (gateway and interface).
// Transit gateway attachments of these kinds are in AWSImporter+Routing.swift with the other attachments.
import IPAddressing
import NetworkModel

extension AWSSnapshot {
    /// `DirectConnectGateways` → `directConnectGateways`: the AWS CLI prints Direct Connect in camelCase.
    static func camel(_ key: String) -> String {
        guard let first = key.first else { return key }
        return first.lowercased() + key.dropFirst()
    }
}

extension JSONCursor {
    /// The member `key` in PascalCase (Batfish's files) or camelCase (the Direct Connect CLI).
    func member(_ key: String) -> JSONCursor? { self[key] ?? self[AWSSnapshot.camel(key)] }

    /// This string value as a Direct Connect gateway id (a UUID: lowercase hexadecimal digits in words joined by
    /// single `-`). - Throws: naming the path otherwise.
    func dxGatewayID() throws(JSONError) -> String {
        let text = try string()
        var previous: UInt8 = 0x2D
        var ok = !text.isEmpty && text.utf8.count <= 64
        for c in text.utf8 where ok {
            ok = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c == 0x2D && previous != 0x2D)
            previous = c
        }
        guard ok, previous != 0x2D else {
            throw error("invalid Direct Connect gateway id \(AWSGrammar.quoted(text)): expected a UUID (like '5f294f92-bafb-4011-916d-9b0bec736f1b')")
        }
        return text
    }

    /// The member `key` as a BGP ASN (a number or a numeric string, 1-4294967294); nil when absent.
    func asn(_ key: String) throws(JSONError) -> UInt32? {
        guard let v = member(key), !v.isNull else { return nil }
        guard let n = v.intValue, n >= 1, n <= 4_294_967_294 else {
            throw v.error("invalid BGP ASN: expected a number from 1 to 4294967294")
        }
        return UInt32(n)
    }

    /// The `Name` tag with the key in either case (Direct Connect prints `key`/`value`).
    var anyCaseNameTag: String? {
        if let n = nameTag(self) { return n }
        var found: String?
        (self["tags"] ?? self["Tags"])?.forEachElement { tag in
            if found == nil, tag["key"]?.stringEquals("Name") == true { found = tag["value"]?.stringValue }
        }
        return found
    }
}

/// An AWS service name copied into the output (`com.amazonaws.us-east-1.s3`): lowercase letters, digits, `.`,
/// `-`, `_`.
func isServiceName(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.count <= 200 && text.utf8.allSatisfy { c in
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x2D || c == 0x5F
    }
}

extension AWSBuilder {
    /// The transit gateway with this id will be imported (the state test of `buildTransitGateways`).
    func transitGatewayUsable(_ id: String) -> Bool {
        guard let item = s.transitGateways[id] else { return false }
        let state = item.json["State"]?.stringValue ?? "available"
        return state == "available" || state == "pending" || state == "modifying"
    }

    /// Registers the names of the edge resources (before any name is asked for).
    mutating func registerEdgeNames() {
        for collection in [s.vpnGateways, s.customerGateways, s.vpnConnections, s.vpcEndpoints] {
            for (id, item) in collection.all { names.register(key: id, tag: nameTag(item.json)) }
        }
        for (id, item) in s.dxGateways.all {
            names.register(key: id, tag: item.json.anyCaseNameTag ?? item.json.member("DirectConnectGatewayName")?.stringValue)
        }
        for (id, item) in s.virtualInterfaces.all {
            names.register(key: id, tag: item.json.anyCaseNameTag ?? item.json.member("VirtualInterfaceName")?.stringValue)
        }
        // Each side of a TGW peering is an attachment of its own transit gateway: one name per side, the tag (or
        // the id) and the side's region (or, without one, its TGW's id): `bat-fish-us-east-1`.
        for (id, side) in peeringSides() {
            names.register(key: peeringKey(id, side.tgw), tag: (nameTag(side.json) ?? id) + "-" + (side.region ?? side.tgw))
        }
    }

    func peeringKey(_ attachment: String, _ tgw: String) -> String { attachment + "@" + tgw }

    /// Every side of every TGW peering attachment in the snapshot: (attachment id, its TGW, the peer TGW, the
    /// object describing it). From describe-transit-gateway-attachments (one view per account or region), else
    /// describe-transit-gateway-peering-attachments (requester and accepter).
    func peeringSides() -> [(id: String, side: (tgw: String, peer: String, json: JSONCursor, region: String?, fromPeeringRecord: Bool))] {
        var out: [(id: String, side: (tgw: String, peer: String, json: JSONCursor, region: String?, fromPeeringRecord: Bool))] = []
        var seen: Set<String> = []
        var ids = s.tgwPeeringViews.keys.sorted()
        for (id, _) in s.tgwPeeringAttachments.all where s.tgwPeeringViews[id] == nil { ids.append(id) }
        for id in ids {
            for view in s.tgwPeeringViews[id] ?? [] {
                guard let tgw = view.json["TransitGatewayId"]?.stringValue, let peer = view.json["ResourceId"]?.stringValue else { continue }
                if seen.insert(peeringKey(id, tgw)).inserted { out.append((id, (tgw, peer, view.json, view.region, false))) }
            }
            if let record = s.tgwPeeringAttachments[id]?.json,
               let requester = record["RequesterTgwInfo"]?["TransitGatewayId"]?.stringValue,
               let accepter = record["AccepterTgwInfo"]?["TransitGatewayId"]?.stringValue {
                let regions = [record["RequesterTgwInfo"]?["Region"]?.stringValue, record["AccepterTgwInfo"]?["Region"]?.stringValue]
                for (k, (tgw, peer)) in [(requester, accepter), (accepter, requester)].enumerated() where seen.insert(peeringKey(id, tgw)).inserted {
                    // A region copied into a name only if it is one (the name is made valid anyway).
                    let region = regions[k].flatMap { AWSGrammar.isRegion($0) ? $0 : nil }
                    out.append((id, (tgw, peer, record, region, true)))
                }
            }
        }
        return out
    }

    // MARK: Virtual private gateways

    mutating func buildVPNGateways() throws(JSONError) {
        for (id, item) in s.vpnGateways.all {
            let j = item.json
            let asn = try j.asn("AmazonSideAsn")
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" else {
                report.skip("virtual private gateway", id: id, reason: "state \(state)")
                continue
            }
            let attached = try j.array("VpcAttachments").filter { a in
                let st = a["State"]?.stringValue ?? "attached"
                return st == "attached" || st == "attaching"
            }
            guard let attachment = attached.first, let vpcID = try attachment.string("VpcId") else {
                report.skip("virtual private gateway", id: id, reason: "not attached to a VPC (the language has only attached VGWs)")
                continue
            }
            guard let v = vpcIndex[vpcID] else {
                report.skip("virtual private gateway", id: id, reason: "its VPC \(vpcID) is not in the snapshot")
                continue
            }
            if topology.vpcs[v].vpnGateway != nil {
                report.skip("virtual private gateway", id: id, reason: "a second virtual private gateway on \(vpcID) (inconsistent snapshot: AWS attaches one)")
                continue
            }
            let gateway = VPNGateway(name: names.name(id), id: id, asn: asn, location: at(j))
            topology.vpcs[v].vpnGateway = gateway
            vgwByID[id] = (v, gateway.name)
            report.didImport("virtual private gateway")
        }
    }

    // MARK: Site-to-Site VPN

    mutating func buildCustomerGateways() throws(JSONError) {
        for (id, item) in s.customerGateways.all {
            let j = item.json
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" else {
                report.skip("customer gateway", id: id, reason: "state \(state)")
                continue
            }
            guard let address = try j.ipv4Address("IpAddress") else {
                report.skip("customer gateway", id: id, reason: "no IPv4 address (certificate-only customer gateways are not in the language)")
                continue
            }
            guard let asn = try j.asn("BgpAsn") else { throw j.error("customer gateway \(id) without 'BgpAsn'") }
            let gateway = CustomerGateway(name: names.name(id), id: id, address: address, asn: asn, location: at(j))
            topology.customerGateways.append(gateway)
            cgwName[id] = gateway.name
            report.didImport("customer gateway")
        }
    }

    mutating func buildVPNConnections() throws(JSONError) {
        for (id, item) in s.vpnConnections.all {
            let j = item.json
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" || state == "modifying" else {
                report.skip("VPN connection", id: id, reason: "state \(state)")
                continue
            }
            let side: VPNConnection.AWSSide
            if let vgw = try j.string("VpnGatewayId"), !vgw.isEmpty {
                guard let g = vgwByID[vgw] else {
                    report.skip("VPN connection", id: id, reason: "its virtual private gateway \(vgw) is not in the snapshot (or not attached)")
                    continue
                }
                side = .vpnGateway(g.name)
            } else if let tgw = try j.string("TransitGatewayId"), !tgw.isEmpty {
                guard transitGatewayUsable(tgw) else {
                    report.skip("VPN connection", id: id, reason: "its transit gateway \(tgw) is not in the snapshot")
                    continue
                }
                side = .transitGateway(names.name(tgw))
            } else {
                report.skip("VPN connection", id: id, reason: "ends on neither a VGW nor a TGW (the language has no Cloud WAN VPNs)")
                continue
            }
            guard let cgwID = try j.string("CustomerGatewayId"), let cgw = cgwName[cgwID] else {
                report.skip("VPN connection", id: id, reason: "its customer gateway is not in the snapshot")
                continue
            }
            let staticOnly = try j["Options"]?.bool("StaticRoutesOnly") ?? false
            var routes: [IPv4Prefix] = []
            for r in try j.array("Routes") {
                let st = r["State"]?.stringValue ?? "available"
                guard st == "available" || st == "pending" else { continue }
                if let p = try r.ipv4Prefix("DestinationCidrBlock"), !routes.contains(p) { routes.append(p) }
            }
            var tunnels: [VPNConnection.TunnelState] = []
            for t in try j.array("VgwTelemetry") {
                let status = try t.string("Status") ?? ""
                if status == "UP" { tunnels.append(.up) } else {
                    if status != "DOWN" { warn(t, "VPN connection \(id): tunnel status \(AWSGrammar.quoted(status)) read as down", into: &report) }
                    tunnels.append(.down)
                }
            }
            let connection = VPNConnection(name: names.name(id), id: id, awsSide: side, customerGateway: cgw,
                                           staticRoutesOnly: staticOnly, staticRoutes: routes, tunnels: tunnels,
                                           location: at(j))
            topology.vpnConnections.append(connection)
            vpnName[id] = connection.name
            report.didImport("VPN connection")
        }
    }

    // MARK: Direct Connect

    mutating func buildDirectConnect() throws(JSONError) {
        for (id, item) in s.dxGateways.all {
            let j = item.json
            let state = j.member("DirectConnectGatewayState")?.stringValue ?? "available"
            guard state == "available" || state == "pending" else {
                report.skip("Direct Connect gateway", id: id, reason: "state \(state)")
                continue
            }
            let gateway = DirectConnectGateway(name: names.name(id), id: id, asn: try j.asn("AmazonSideAsn"), location: at(j))
            dxgwIndex[id] = topology.directConnectGateways.count
            topology.directConnectGateways.append(gateway)
            report.didImport("Direct Connect gateway")
        }
        for (id, item) in s.dxAssociations.all {
            let j = item.json
            let state = j.member("AssociationState")?.stringValue ?? "associated"
            guard state == "associated" || state == "associating" || state == "updating" else {
                report.skip("Direct Connect gateway association", id: id, reason: "state \(state)")
                continue
            }
            guard let dxID = j.member("DirectConnectGatewayId")?.stringValue, let d = dxgwIndex[dxID] else {
                report.skip("Direct Connect gateway association", id: id, reason: "its Direct Connect gateway is not in the snapshot")
                continue
            }
            let gatewayID = j.member("AssociatedGateway")?.member("Id")?.stringValue ?? j.member("VirtualGatewayId")?.stringValue ?? ""
            let gatewayName: String
            if let g = vgwByID[gatewayID] {
                gatewayName = g.name
            } else if gatewayID.hasPrefix("tgw-"), transitGatewayUsable(gatewayID) {
                gatewayName = names.name(gatewayID)
            } else {
                report.skip("Direct Connect gateway association", id: id, reason: "its gateway \(gatewayID.isEmpty ? "(none named)" : gatewayID) is not in the snapshot (snapshot its account and region too)")
                continue
            }
            var allowed: [IPv4Prefix] = []
            for p in try (j.member("AllowedPrefixesToDirectConnectGateway").map { c throws(JSONError) in try c.array() } ?? []) {
                guard let cidr = p.member("Cidr") else { continue }
                let text = try cidr.string()
                if let v4 = try? IPv4Prefix(text, normalize: true) {
                    if !allowed.contains(v4) { allowed.append(v4) }
                } else if (try? IPv6Prefix(text, normalize: true)) != nil {
                    warn(cidr, "Direct Connect gateway association \(id): IPv6 allowed prefix \(text) left out (the language's associations are IPv4)", into: &report)
                } else {
                    throw cidr.error("invalid CIDR \(AWSGrammar.quoted(text))")
                }
            }
            if topology.directConnectGateways[d].associations.contains(where: { $0.gateway == gatewayName }) {
                warn(j, "Direct Connect gateway \(dxID): a second association with \(gatewayID); the first is kept", into: &report)
                continue
            }
            let location = at(j)
            topology.directConnectGateways[d].associations.append(.init(gateway: gatewayName, allowedPrefixes: allowed, location: location))
            report.didImport("Direct Connect gateway association")
        }
        for (id, item) in s.virtualInterfaces.all {
            let j = item.json
            let state = j.member("VirtualInterfaceState")?.stringValue ?? "available"
            if state == "deleting" || state == "deleted" || state == "rejected" || state == "unknown" {
                report.skip("virtual interface", id: id, reason: "state \(state)")
                continue
            }
            let typeText = j.member("VirtualInterfaceType")?.stringValue ?? "private"
            guard let kind = VirtualInterface.Kind(rawValue: typeText) else {
                report.skip("virtual interface", id: id, reason: "the language has no \(typeText) virtual interfaces")
                continue
            }
            let side: VirtualInterface.AWSSide
            let vgw = j.member("VirtualGatewayId")?.stringValue ?? ""
            let dx = j.member("DirectConnectGatewayId")?.stringValue ?? ""
            if kind == .private, !vgw.isEmpty {
                guard let g = vgwByID[vgw] else {
                    report.skip("virtual interface", id: id, reason: "its virtual private gateway \(vgw) is not in the snapshot (or not attached)")
                    continue
                }
                side = .vpnGateway(g.name)
            } else if !dx.isEmpty {
                guard let d = dxgwIndex[dx] else {
                    report.skip("virtual interface", id: id, reason: "its Direct Connect gateway \(dx) is not in the snapshot")
                    continue
                }
                side = .directConnectGateway(topology.directConnectGateways[d].name)
            } else {
                report.skip("virtual interface", id: id, reason: "ends on neither a VGW nor a Direct Connect gateway (not in the snapshot)")
                continue
            }
            let vif = VirtualInterface(name: names.name(id), id: id, kind: kind, awsSide: side, isAvailable: state == "available",
                                       location: at(j))
            topology.virtualInterfaces.append(vif)
            report.didImport("virtual interface")
        }
    }

    // MARK: VPC endpoints

    /// ENIs that are part of a VPC endpoint in the snapshot (not reported as interfaces left out).
    func endpointInterfaceIDs() -> Set<String> {
        var out: Set<String> = []
        for (_, item) in s.vpcEndpoints.all {
            for e in item.json["NetworkInterfaceIds"]?.elements ?? [] { if let id = e.stringValue { out.insert(id) } }
        }
        return out
    }

    /// True when the route `r` of a table is the prefix-list route AWS adds for a gateway endpoint that will
    /// be imported (its route tables say so instead of a written route).
    func isGatewayEndpointRoute(_ r: JSONCursor) -> (endpoint: String, prefixList: String)? {
        guard let pl = r["DestinationPrefixListId"]?.stringValue, let plName = imported[.prefixList, pl] else { return nil }
        guard let id = r["GatewayId"]?.stringValue ?? r["VpcEndpointId"]?.stringValue, id.hasPrefix("vpce-"),
              let e = s.vpcEndpoints[id], e.json["VpcEndpointType"]?.stringValue == "Gateway",
              endpointStateUsable(e.json) else { return nil }
        return (id, plName)
    }

    func endpointStateUsable(_ j: JSONCursor) -> Bool {
        let state = (j["State"]?.stringValue ?? "available").lowercased()
        return state == "available" || state == "pending" || state == "pendingacceptance"
    }

    mutating func buildEndpoints() throws(JSONError) {
        for (id, item) in s.vpcEndpoints.all {
            let j = item.json
            guard endpointStateUsable(j) else {
                report.skip("VPC endpoint", id: id, reason: "state \(j["State"]?.stringValue ?? "")")
                continue
            }
            guard let vpcID = try j.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("VPC endpoint", id: id, reason: "its VPC is not in the snapshot")
                continue
            }
            guard let serviceValue = j["ServiceName"] else { throw j.error("VPC endpoint \(id) without 'ServiceName'") }
            let service = try serviceValue.string()
            guard isServiceName(service) else {
                throw serviceValue.error("invalid service name \(AWSGrammar.quoted(service)): expected lowercase letters, digits, '.', '-' and '_'")
            }
            let type = j["VpcEndpointType"]?.stringValue ?? "Gateway"
            var endpoint: VPCEndpoint
            let name = names.name(id)
            switch type {
            case "Gateway":
                endpoint = VPCEndpoint(name: name, id: id, kind: .gateway, service: service, location: at(j))
                var tables: [String] = []
                for t in try j.array("RouteTableIds") {
                    let tid = try t.string()
                    guard let table = routeTableByID[tid], table.vpc == v else {
                        warn(t, "VPC endpoint \(id): route table \(tid) is not in the snapshot (or in another VPC); left out", into: &report)
                        continue
                    }
                    if !tables.contains(table.name) { tables.append(table.name) }
                }
                for (table, _) in gatewayEndpointRoutes[id] ?? [] where !tables.contains(table) { tables.append(table) }
                endpoint.routeTables = tables
                // The service's prefix list: the one its routes name, else the list named like the service.
                var list = gatewayEndpointRoutes[id]?.first?.prefixList
                if list == nil {
                    for (plID, pl) in s.prefixLists.all where pl.json["PrefixListName"]?.stringValue == service {
                        if let n = imported[.prefixList, plID] { list = n; break }
                    }
                }
                guard let list else {
                    report.skip("VPC endpoint", id: id, reason: "the prefix list of \(service) is not in the snapshot (describe-prefix-lists, or describe-managed-prefix-lists with get-managed-prefix-list-entries)")
                    continue
                }
                endpoint.prefixList = list
            case "Interface", "GatewayLoadBalancer":
                let isGWLB = type == "GatewayLoadBalancer"
                endpoint = VPCEndpoint(name: name, id: id, kind: isGWLB ? .gatewayLoadBalancer : .interface, service: service, location: at(j))
                var subnetIDs: [String] = []
                for sid in try j.array("SubnetIds") {
                    let text = try sid.string()
                    guard let (sv, si) = subnet(text), sv == v else {
                        warn(sid, "VPC endpoint \(id): subnet \(text) is not in the snapshot; left out", into: &report)
                        continue
                    }
                    // A Gateway Load Balancer endpoint has one subnet (AWS allows exactly one).
                    if isGWLB, !subnetIDs.isEmpty {
                        warn(sid, "VPC endpoint \(id): a Gateway Load Balancer endpoint has one subnet; \(text) left out", into: &report)
                        continue
                    }
                    subnetIDs.append(text)
                    endpoint.subnets.append(topology.vpcs[v].subnets[si].name)
                }
                // The language (and AWS) have no interface endpoint without a subnet: printed, it would not
                // parse (found by the aws-json fuzz target, Docs/FUZZING.md).
                if endpoint.subnets.isEmpty {
                    report.skip("VPC endpoint", id: id, reason: "\(isGWLB ? "a Gateway Load Balancer" : "an interface") endpoint with none of its subnets in the snapshot (SubnetIds, describe-subnets)")
                    continue
                }
                for g in try j.array("Groups") where !isGWLB {
                    guard let gid = try g.string("GroupId") else { continue }
                    if let n = imported[.securityGroup, gid] { endpoint.securityGroups.append(n) } else {
                        warn(g, "VPC endpoint \(id): security group \(gid) is not in the snapshot; left out", into: &report)
                    }
                }
                // Each ENI's address, in the order of the subnets (describe-network-interfaces says which is where).
                var bySubnet: [String: (eni: String, ip: IPv4Address?)] = [:]
                for e in try j.array("NetworkInterfaceIds") {
                    let eni = try e.string()
                    guard let doc = s.networkInterfaces[eni]?.json, let sid = try doc.string("SubnetId") else {
                        warn(e, "VPC endpoint \(id): network interface \(eni) is not in the snapshot (describe-network-interfaces); its address is left for the model to pick", into: &report)
                        continue
                    }
                    var ip = try doc.ipv4Address("PrivateIpAddress")
                    if let a = ip, let (sv, si) = subnet(sid), !topology.vpcs[sv].subnets[si].cidr.contains(a) {
                        warn(e, "VPC endpoint \(id): network interface \(eni) address \(a) is outside its subnet \(topology.vpcs[sv].subnets[si].cidr); left for the model to pick", into: &report)
                        ip = nil
                    }
                    bySubnet[sid] = (eni, ip)
                }
                for sid in subnetIDs {
                    guard let entry = bySubnet[sid], let ip = entry.ip else { break }
                    endpoint.addresses.append(ip)
                    endpoint.interfaceIDs.append(entry.eni)
                }
                if !isGWLB { endpoint.privateDNS = try j.bool("PrivateDnsEnabled") ?? true }
            default:
                report.skip("VPC endpoint", id: id, reason: "the language has no \(type) endpoints")
                continue
            }
            // Recorded as one line (the language writes it quoted on the endpoint's line; newlines become spaces).
            if let policy = try j.string("PolicyDocument"), !policy.isEmpty { endpoint.policy = LanguageWord.commentSafe(policy) }
            topology.vpcs[v].endpoints.append(endpoint)
            report.didImport("VPC endpoint")
        }
    }
}
