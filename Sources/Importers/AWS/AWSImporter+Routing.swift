// Peerings, transit gateways and route tables. A route whose target is not in the snapshot (or not in a usable
// state) is what AWS shows as a blackhole route: imported as one, with a warning. A route to a kind of target
// the model has no component for (carrier gateway, Gateway Load Balancer endpoint, …) or that the snapshot
// lacks is imported as `-> unmodelled ID`, so that longest-prefix matching is unchanged and answers say the
// target is not modelled; the warning says why. Routes to the VPC's VGW are `-> VGW`; gateway endpoints'
// prefix-list routes and VGW-propagated routes are not written routes (the endpoint and `propagate` say so).
import IPAddressing
import NetworkModel

extension AWSBuilder {
    mutating func buildPeerings() throws(JSONError) {
        for (id, item) in s.peerings.all {
            let j = item.json
            let status = j["Status"]?["Code"]?.stringValue ?? "active"
            guard status == "active" else {
                report.skip("peering connection", id: id, reason: "status \(status)")
                continue
            }
            guard let requester = try j["RequesterVpcInfo"]?.string("VpcId"), let accepter = try j["AccepterVpcInfo"]?.string("VpcId") else {
                throw j.error("peering connection without RequesterVpcInfo.VpcId or AccepterVpcInfo.VpcId")
            }
            guard let r = vpcIndex[requester], let a = vpcIndex[accepter] else {
                let missing = vpcIndex[requester] == nil ? requester : accepter
                report.skip("peering connection", id: id, reason: "its VPC \(missing) is not in the snapshot (snapshot the other account or region too)")
                continue
            }
            let peering = Peering(name: names.name(id), id: id, requester: topology.vpcs[r].name, accepter: topology.vpcs[a].name,
                                  location: at(j))
            topology.peerings.append(peering)
            imported[.peering, id] = peering.name
            report.didImport("peering connection")
        }
    }

    mutating func buildTransitGateways() throws(JSONError) {
        var tgwIndex: [String: Int] = [:]
        for (id, item) in s.transitGateways.all {
            let j = item.json
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" || state == "modifying" else {
                report.skip("transit gateway", id: id, reason: "state \(state)")
                continue
            }
            let sgRef = j["Options"]?["SecurityGroupReferencingSupport"]?.stringValue == "enable"
            tgwIndex[id] = topology.transitGateways.count
            topology.transitGateways.append(TransitGateway(name: names.name(id), id: id, region: item.region,
                                                           account: try j.awsAccount("OwnerId"), securityGroupReferencing: sgRef,
                                                           location: at(j)))
            imported[.transitGateway, id] = names.name(id)
            report.didImport("transit gateway")
        }
        // Attachments: describe-transit-gateway-attachments (all kinds) ∪ describe-transit-gateway-vpc-attachments.
        var attachmentIDs = s.tgwVpcAttachments.all.map(\.id)
        for (id, _) in s.tgwAttachments.all where s.tgwVpcAttachments[id] == nil { attachmentIDs.append(id) }
        // Attachment name by "TGW-ID ATTACHMENT-ID" (the two sides of a peering share the attachment id).
        var attachmentName: [String: String] = [:]
        for id in attachmentIDs {
            let general = s.tgwAttachments[id]?.json
            let vpcRecord = s.tgwVpcAttachments[id]?.json
            guard let j = vpcRecord ?? general else { continue }
            let type = general?["ResourceType"]?.stringValue ?? "vpc"
            if type == "peering" { continue }   // below, one side at a time
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" || state == "modifying" || state == "initiating" else {
                report.skip("transit gateway attachment", id: id, reason: "state \(state)")
                continue
            }
            guard type == "vpc" || type == "vpn" || type == "direct-connect-gateway" else {
                report.skip("transit gateway attachment", id: id, reason: "\(type) attachments are not in the language")
                continue
            }
            guard let tgwID = try j.string("TransitGatewayId"), let t = tgwIndex[tgwID] else {
                report.skip("transit gateway attachment", id: id, reason: "its transit gateway is not in the snapshot")
                continue
            }
            if type != "vpc" {
                let resource = try general?.string("ResourceId") ?? ""
                let kind: TGWAttachment.Kind
                if type == "vpn" {
                    guard let n = vpnName[resource] else {
                        report.skip("transit gateway attachment", id: id, reason: "its VPN connection \(resource) is not in the snapshot (or not imported)")
                        continue
                    }
                    kind = .vpn(connection: n)
                } else {
                    guard let d = dxgwIndex[resource] else {
                        report.skip("transit gateway attachment", id: id, reason: "its Direct Connect gateway \(resource) is not in the snapshot")
                        continue
                    }
                    kind = .directConnectGateway(topology.directConnectGateways[d].name)
                }
                let name = names.name(id)
                topology.transitGateways[t].attachments.append(TGWAttachment(name: name, id: id, kind: kind, location: at(j)))
                attachmentName[tgwID + " " + id] = name
                report.didImport("transit gateway attachment")
                continue
            }
            let vpcA = try j.string("VpcId"), vpcB = try general?.string("ResourceId")
            guard let vpcID = vpcA ?? vpcB, let v = vpcIndex[vpcID] else {
                report.skip("transit gateway attachment", id: id, reason: "its VPC is not in the snapshot")
                continue
            }
            guard let vpcRecord else {
                report.skip("transit gateway attachment", id: id, reason: "its subnets are not in the snapshot (describe-transit-gateway-vpc-attachments)")
                continue
            }
            var subnets: [String] = []
            for sid in try vpcRecord.array("SubnetIds") {
                let sidText = try sid.string()
                if let (sv, si) = subnet(sidText), sv == v { subnets.append(topology.vpcs[v].subnets[si].name) } else {
                    warn(sid, "attachment \(id): subnet \(sidText) is not in the snapshot; left out", into: &report)
                }
            }
            let appliance = vpcRecord["Options"]?["ApplianceModeSupport"]?.stringValue == "enable"
            let name = names.name(id)
            topology.transitGateways[t].attachments.append(TGWAttachment(name: name, id: id, vpc: topology.vpcs[v].name,
                                                                         subnets: subnets, applianceMode: appliance,
                                                                         location: at(j)))
            attachmentName[tgwID + " " + id] = name
            // A TGW is regional and its VPC attachments are in its region.
            if topology.transitGateways[t].region == nil { topology.transitGateways[t].region = topology.vpcs[v].region }
            report.didImport("transit gateway attachment")
        }
        // TGW peering: each side is an attachment of its own TGW naming the other (static routes only, §6).
        var peeringAssociations: [String: [String]] = [:]
        // A side that does not say which TGWs it joins cannot be placed: listed, not dropped.
        for id in s.tgwPeeringViews.keys.sorted() {
            for view in s.tgwPeeringViews[id] ?? [] where view.json["TransitGatewayId"]?.stringValue == nil || view.json["ResourceId"]?.stringValue == nil {
                report.skip("transit gateway attachment", id: id, reason: "a peering attachment without 'TransitGatewayId' or 'ResourceId' (inconsistent snapshot)")
            }
        }
        for (id, item) in s.tgwPeeringAttachments.all where s.tgwPeeringViews[id] == nil
            && (item.json["RequesterTgwInfo"]?["TransitGatewayId"]?.stringValue == nil || item.json["AccepterTgwInfo"]?["TransitGatewayId"]?.stringValue == nil) {
            report.skip("transit gateway attachment", id: id, reason: "a peering attachment without RequesterTgwInfo/AccepterTgwInfo 'TransitGatewayId' (inconsistent snapshot)")
        }
        for (id, side) in peeringSides() {
            let j = side.json
            let state = (side.fromPeeringRecord ? j["Status"]?["Code"]?.stringValue : nil) ?? j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "modifying" else {
                report.skip("transit gateway attachment", id: "\(id) on \(side.tgw)", reason: "state \(state) (a peering carries traffic once accepted and available)")
                continue
            }
            guard let t = tgwIndex[side.tgw] else {
                // The other account's or region's folder holds that side (if it was snapshotted at all).
                if tgwIndex[side.peer] == nil {
                    report.skip("transit gateway attachment", id: "\(id) on \(side.tgw)", reason: "neither peered transit gateway is in the snapshot")
                }
                continue
            }
            guard tgwIndex[side.peer] != nil else {
                report.skip("transit gateway attachment", id: "\(id) on \(side.tgw)", reason: "its peer transit gateway \(side.peer) is not in the snapshot (snapshot the other account or region too)")
                continue
            }
            let name = names.name(peeringKey(id, side.tgw))
            topology.transitGateways[t].attachments.append(TGWAttachment(name: name, id: id, kind: .peering(transitGateway: names.name(side.peer)),
                                                                                         location: at(j)))
            attachmentName[side.tgw + " " + id] = name
            if !side.fromPeeringRecord, let assoc = j["Association"], let table = try assoc.string("TransitGatewayRouteTableId") {
                let st = assoc["State"]?.stringValue ?? "associated"
                if st == "associated" || st == "associating" { peeringAssociations[table, default: []].append(id) }
            }
            report.didImport("transit gateway attachment")
        }
        // Route tables, associations, propagations, static routes.
        // An attachment has one association: get-transit-gateway-route-table-associations output (per table) is
        // authoritative; the Association field of describe-transit-gateway-attachments fills in the rest.
        var explicitlyAssociated: Set<String> = []
        for (_, list) in s.tgwAssociations {
            for a in list {
                let st = a.json["State"]?.stringValue ?? "associated"
                if st == "associated" || st == "associating", let att = a.json["TransitGatewayAttachmentId"]?.stringValue { explicitlyAssociated.insert(att) }
            }
        }
        var associationsByTable: [String: [String]] = [:]
        for (table, ids) in peeringAssociations { for id in ids where !explicitlyAssociated.contains(id) { associationsByTable[table, default: []].append(id) } }
        for (id, item) in s.tgwAttachments.all where !explicitlyAssociated.contains(id) && s.tgwPeeringViews[id] == nil {
            guard let assoc = item.json["Association"], let table = try assoc.string("TransitGatewayRouteTableId") else { continue }
            let state = assoc["State"]?.stringValue ?? "associated"
            if state == "associated" || state == "associating" { associationsByTable[table, default: []].append(id) }
        }
        for (id, item) in s.tgwRouteTables.all {
            let j = item.json
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" else {
                report.skip("transit gateway route table", id: id, reason: "state \(state)")
                continue
            }
            guard let tgwID = try j.string("TransitGatewayId"), let t = tgwIndex[tgwID] else {
                report.skip("transit gateway route table", id: id, reason: "its transit gateway is not in the snapshot")
                continue
            }
            var table = TGWRouteTable(name: names.name(id), id: id, location: at(j))
            func add(_ list: inout [String], _ attachment: String) {
                if let n = attachmentName[tgwID + " " + attachment], !list.contains(n) { list.append(n) }
            }
            for a in associationsByTable[id] ?? [] { add(&table.associations, a) }
            for a in s.tgwAssociations[id] ?? [] {
                let st = a.json["State"]?.stringValue ?? "associated"
                if st == "associated" || st == "associating", let att = try a.json.string("TransitGatewayAttachmentId") { add(&table.associations, att) }
            }
            for p in s.tgwPropagations[id] ?? [] {
                let st = p.json["State"]?.stringValue ?? "enabled"
                if st == "enabled" || st == "enabling", let att = try p.json.string("TransitGatewayAttachmentId") { add(&table.propagations, att) }
            }
            var destinations: Set<RouteDestination> = []
            for r in s.tgwRoutes[id] ?? [] {
                let rj = r.json
                let type = rj["Type"]?.stringValue ?? "static"
                let attachments = try rj.array("TransitGatewayAttachments")
                if type == "propagated" {
                    // search-transit-gateway-routes shows propagations as routes: the propagation is what we keep.
                    for a in attachments { if let att = try a.string("TransitGatewayAttachmentId") { add(&table.propagations, att) } }
                    continue
                }
                let destination: RouteDestination
                if let p = try rj.ipPrefix("DestinationCidrBlock") {
                    destination = .cidr(p)
                } else if let pl = try rj.string("PrefixListId") {
                    guard let n = imported[.prefixList, pl] else {
                        report.skip("transit gateway route", id: "\(id) \(pl)", reason: "prefix list \(pl) is not in the snapshot")
                        continue
                    }
                    destination = .prefixList(n)
                } else {
                    throw rj.error("route without 'DestinationCidrBlock' or 'PrefixListId'")
                }
                guard destinations.insert(destination).inserted else { continue }
                let routeState = rj["State"]?.stringValue ?? "active"
                var target = TGWRoute.Target.blackhole
                if routeState != "blackhole" {
                    if let att = try attachments.first?.string("TransitGatewayAttachmentId") {
                        if let n = attachmentName[tgwID + " " + att] { target = .attachment(n) } else {
                            warn(rj, "TGW route \(destination) in \(id): attachment \(att) is not imported (a kind the language lacks, or not in the snapshot); imported as a blackhole", into: &report)
                        }
                    } else {
                        warn(rj, "TGW route \(destination) in \(id) names no attachment; imported as a blackhole", into: &report)
                    }
                }
                table.routes.append(TGWRoute(destination: destination, target: target, location: at(rj)))
            }
            topology.transitGateways[t].routeTables.append(table)
            report.didImport("transit gateway route table")
        }
    }

    mutating func buildRouteTables() throws(JSONError) {
        for (id, item) in s.routeTables.all {
            let j = item.json
            guard let vpcID = try j.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("route table", id: id, reason: "its VPC is not in the snapshot")
                continue
            }
            var table = RouteTable(name: names.name(id), id: id, location: at(j))
            for a in try j.array("Associations") {
                let state = a["AssociationState"]?["State"]?.stringValue ?? "associated"
                guard state == "associated" || state == "associating" else { continue }
                if try a.bool("Main") == true { table.isMain = true; continue }
                if let sid = try a.string("SubnetId") {
                    if let (sv, si) = subnet(sid), sv == v { table.associations.append(topology.vpcs[v].subnets[si].name) }
                    else { warn(a, "route table \(id): subnet \(sid) is not in the snapshot; association left out", into: &report) }
                } else if let gw = try a.string("GatewayId") {
                    // A gateway route table: the VPC's IGW or VGW (§2).
                    let vpc = topology.vpcs[v]
                    if let igw = vpc.internetGateway, igw.id == gw {
                        table.edgeAssociations.append(igw.name)
                    } else if let vgw = vpc.vpnGateway, vgw.id == gw {
                        table.edgeAssociations.append(vgw.name)
                    } else {
                        report.skip("route table edge association", id: "\(id) \(gw)", reason: "its gateway \(gw) is not in the snapshot (or not attached to \(vpcID))")
                    }
                }
            }
            for p in try j.array("PropagatingVgws") {
                guard let gw = try p.string("GatewayId") else { continue }
                if let vgw = topology.vpcs[v].vpnGateway, vgw.id == gw {
                    if !table.propagations.contains(vgw.name) { table.propagations.append(vgw.name) }
                } else {
                    warn(p, "route table \(id): propagation from \(gw), which is not in the snapshot (or not attached to \(vpcID)); left out", into: &report)
                }
            }
            if table.isMain, topology.vpcs[v].routeTables.contains(where: { $0.isMain }) {
                warn(j, "route table \(id): a second main table for \(vpcID); imported as a custom table", into: &report)
                table.isMain = false
            }
            var destinations: Set<RouteDestination> = []
            routeTableByID[id] = (v, table.name)
            for r in try j.array("Routes") {
                if r["GatewayId"]?.stringValue == "local" { continue }
                // Routes a VGW propagates are derived from `propagate` (and what on-premises announces), not written.
                if r["Origin"]?.stringEquals("EnableVgwRoutePropagation") == true { continue }
                // A gateway endpoint's prefix-list route: the endpoint's route tables say so (buildEndpoints).
                if let (endpoint, list) = isGatewayEndpointRoute(r) {
                    gatewayEndpointRoutes[endpoint, default: []].append((table.name, list))
                    continue
                }
                let destination: RouteDestination
                if let p = try r.ipv4Prefix("DestinationCidrBlock") {
                    destination = .cidr(.v4(p))
                } else if let p = try r.ipv6Prefix("DestinationIpv6CidrBlock") {
                    destination = .cidr(.v6(p))
                } else if let pl = try r.string("DestinationPrefixListId") {
                    guard let n = imported[.prefixList, pl] else {
                        report.skip("route", id: "\(id) \(pl)", reason: "prefix list \(pl) entries are not in the snapshot")
                        continue
                    }
                    destination = .prefixList(n)
                } else {
                    throw r.error("route without a destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId)")
                }
                guard destinations.insert(destination).inserted else {
                    warn(r, "route table \(id): a second route to \(destination); the first is kept", into: &report)
                    continue
                }
                let target = try routeTarget(r, table: id, destination: destination, vpc: v)
                table.routes.append(Route(destination: destination, target: target, location: at(r)))
            }
            topology.vpcs[v].routeTables.append(table)
            report.didImport("route table")
        }
    }

    /// The target of a VPC route; blackhole (with a warning) when AWS says so or the target is missing.
    mutating func routeTarget(_ r: JSONCursor, table: String, destination: RouteDestination, vpc: Int? = nil) throws(JSONError) -> Route.Target {
        if r["State"]?.stringValue == "blackhole" { return .blackhole }
        let route = "route table \(table): route \(destination)"
        func missing(_ id: String, _ what: String) -> Route.Target {
            warn(r, "\(route) -> \(id): \(what) is not in the snapshot (or not in a usable state); imported as a blackhole, as AWS shows it", into: &report)
            return .blackhole
        }
        func unsupported(_ id: String, _ what: String) -> Route.Target {
            // The id is printed as one word: an id that is not one (never seen from AWS) falls back to a blackhole.
            guard LanguageWord.isPlain(id) else {
                warn(r, "\(route): \(what); its target id is not a plain word, imported as a blackhole", into: &report)
                return .blackhole
            }
            warn(r, "\(route) -> \(id): \(what); imported as 'unmodelled \(id)' (not modelled: VPCKit cannot tell what happens beyond it)", into: &report)
            return .unmodelled(id)
        }
        if let id = try r.string("NatGatewayId") { return imported[.natGateway, id].map { .named($0) } ?? missing(id, "NAT gateway") }
        if let id = try r.string("TransitGatewayId") { return imported[.transitGateway, id].map { .named($0) } ?? missing(id, "transit gateway") }
        if let id = try r.string("VpcPeeringConnectionId") { return imported[.peering, id].map { .named($0) } ?? missing(id, "peering connection") }
        if let id = try r.string("EgressOnlyInternetGatewayId") { return imported[.egressOnlyGateway, id].map { .named($0) } ?? missing(id, "egress-only internet gateway") }
        if let id = try r.string("InstanceId") { return imported[.instance, id].map { .named($0) } ?? missing(id, "instance") }
        if let id = try r.string("NetworkInterfaceId") {
            if let t = imported[.interface, id] { return .named(t) }
            if s.networkInterfaces[id] != nil { return unsupported(id, "a network interface that is not an instance's (the language routes only to instances)") }
            return missing(id, "network interface")
        }
        if let id = try r.string("GatewayId") {
            if id.hasPrefix("igw-") { return imported[.internetGateway, id].map { .named($0) } ?? missing(id, "internet gateway") }
            if id.hasPrefix("vgw-") {
                if let g = vgwByID[id], g.vpc == vpc { return .named(g.name) }
                if s.vpnGateways[id] != nil { return missing(id, "virtual private gateway (attached to this VPC)") }
                return unsupported(id, "the virtual private gateway is not in the snapshot (describe-vpn-gateways)")
            }
            if id.hasPrefix("vpce-") {
                if s.vpcEndpoints[id] == nil { return unsupported(id, "the VPC endpoint is not in the snapshot") }
                if let n = gatewayLoadBalancerEndpointTarget(id, vpc: vpc) { return .named(n) }
                return unsupported(id, "a route to a VPC endpoint other than its gateway endpoint's prefix-list route")
            }
            return unsupported(id, "gateway kind not in the language")
        }
        for key in ["GatewayLoadBalancerEndpointId", "VpcEndpointId"] {
            guard let id = try r.string(key) else { continue }
            if let n = gatewayLoadBalancerEndpointTarget(id, vpc: vpc) { return .named(n) }
            if s.vpcEndpoints[id] == nil { return unsupported(id, "the VPC endpoint is not in the snapshot") }
            return unsupported(id, "a route to a VPC endpoint that is not a Gateway Load Balancer endpoint of this VPC with a subnet in the snapshot")
        }
        if let id = try r.string("CarrierGatewayId") { return unsupported(id, "carrier gateways are not in the language") }
        if let id = try r.string("LocalGatewayId") { return unsupported(id, "local gateways are not in the language") }
        if let id = try r.string("CoreNetworkArn") { return unsupported(id, "Cloud WAN is not in the language") }
        warn(r, "\(route): no target; imported as a blackhole", into: &report)
        return .blackhole
    }

    /// The name a route to Gateway Load Balancer endpoint `id` targets: the endpoint is in the snapshot, of type
    /// `GatewayLoadBalancer`, in the route's VPC and with a subnet in the snapshot (so ``buildEndpoints()``
    /// imports it under this name); else nil.
    mutating func gatewayLoadBalancerEndpointTarget(_ id: String, vpc: Int?) -> String? {
        guard let j = s.vpcEndpoints[id]?.json, j["VpcEndpointType"]?.stringValue == "GatewayLoadBalancer",
              endpointStateUsable(j), let vpcID = j["VpcId"]?.stringValue, let v = vpcIndex[vpcID] else { return nil }
        if let vpc, vpc != v { return nil }
        guard let first = (try? j.array("SubnetIds"))?.first?.stringValue, let (sv, _) = subnet(first), sv == v else { return nil }
        return names.name(id)
    }
}
