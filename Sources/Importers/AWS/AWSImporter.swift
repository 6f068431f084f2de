// From collected AWS documents to a topology: VPCs and what lives in them. Transit gateways and peerings are
// in AWSImporter+Transit.swift, security groups and NACLs in AWSImporter+Rules.swift.
import IPAddressing
import NetworkModel

/// A topology produced by an importer, with the report of what was and was not imported.
public struct ImportResult: Sendable {
    public var topology: Topology
    public var report: ImportReport
    public init(topology: Topology, report: ImportReport) {
        self.topology = topology
        self.report = report
    }
}

extension AWSSnapshot {
    /// Builds the topology.
    ///
    /// - Throws: `JSONError` naming the file and JSON path of a malformed value (an invalid CIDR, a wrong type).
    /// `source` names the snapshot in warnings that concern no single file.
    public func makeTopology(source: String = "snapshot") throws(JSONError) -> ImportResult {
        var builder = AWSBuilder(snapshot: self)
        try builder.build()
        if mergedDuplicates > 0 {
            builder.report.note("\(mergedDuplicates) object\(mergedDuplicates == 1 ? "" : "s") seen twice with identical content (paginated or repeated output) kept once")
        }
        for view in mergedViews { builder.report.note(view) }
        var result = ImportResult(topology: builder.topology, report: builder.report)
        result.reconcile(source: source)
        try result.topology.checkPrintable(source: source)
        return result
    }
}

struct AWSBuilder {
    let s: AWSSnapshot
    var names = NameAllocator()
    var report = ImportReport()
    var topology = Topology()
    /// Resources' locations: the describe-* file and the line and column of the object each came from.
    var locator = JSONLocator()

    var vpcIndex: [String: Int] = [:]
    var subnetVPC: [String: String] = [:]
    /// Subnet id → (VPC index, position in its subnets).
    var subnetPosition: [String: (vpc: Int, index: Int)] = [:]
    /// AWS id → the name the resource was imported under, per kind (ENIs: `instance` or `instance.ethN`).
    var imported = ImportedNames()
    // The network's edges (AWSImporter+Edges.swift): what was imported under which name, by AWS id.
    var vgwByID: [String: (vpc: Int, name: String)] = [:]
    var cgwName: [String: String] = [:]
    var vpnName: [String: String] = [:]
    var dxgwIndex: [String: Int] = [:]
    var routeTableByID: [String: (vpc: Int, name: String)] = [:]
    /// Gateway endpoint id → the tables whose prefix-list route goes to it, with the list.
    var gatewayEndpointRoutes: [String: [(table: String, prefixList: String)]] = [:]
    /// ENIs of the snapshot's VPC endpoints.
    var endpointENIs: Set<String> = []
    /// ENIs of the snapshot's load balancers (their nodes).
    var loadBalancerENIs: Set<String> = []

    init(snapshot: AWSSnapshot) { s = snapshot }

    /// Where `c` is: its file in the topology's file table, its line and column.
    mutating func at(_ c: JSONCursor) -> SourceLocation {
        locator.location(of: c, in: &topology.files)
    }

    func warn(_ c: JSONCursor, _ message: String, into report: inout ImportReport) {
        report.warn(file: c.document.file, path: c.path, message)
    }

    mutating func build() throws(JSONError) {
        registerNames()
        endpointENIs = endpointInterfaceIDs()
        loadBalancerENIs = loadBalancerInterfaceIDs()
        try buildPrefixLists()
        try buildVPCs()
        try buildSubnets()
        try buildGateways()
        try buildVPNGateways()
        try buildNATGateways()
        try buildSecurityGroups()
        try buildInstances()
        try buildNetworkACLs()
        try buildPeerings()
        try buildCustomerGateways()
        try buildVPNConnections()
        try buildDirectConnect()
        try buildTransitGateways()
        try buildRouteTables()
        try buildEndpoints()
        try buildLoadBalancers()
        try buildFlowLogs()
        for u in s.unsupported { report.skip(u.type, id: u.id, reason: u.reason) }
    }

    mutating func registerNames() {
        for (id, item) in s.prefixLists.all {
            names.register(key: id, tag: nameTag(item.json) ?? item.json["PrefixListName"]?.stringValue)
        }
        // Security groups as the console names them: Name tag, else GroupName, else id.
        for (id, item) in s.securityGroups.all {
            let groupName = item.json["GroupName"]?.stringValue
            names.register(key: id, tag: securityGroupNameCandidate(tag: nameTag(item.json), groupName: groupName,
                                                                     isDefault: groupName == "default"))
        }
        let collections: [AWSCollection] = [
            s.vpcs, s.subnets, s.internetGateways, s.egressOnlyGateways, s.natGateways, s.routeTables,
            s.networkACLs, s.instances, s.peerings, s.transitGateways, s.tgwVpcAttachments,
            s.tgwAttachments, s.tgwRouteTables, s.flowLogs,
        ]
        for collection in collections {
            // A peering attachment's sides are named one by one (registerEdgeNames).
            for (id, item) in collection.all where s.tgwPeeringViews[id] == nil && s.tgwPeeringAttachments[id] == nil {
                names.register(key: id, tag: nameTag(item.json))
            }
        }
        registerEdgeNames()
        registerLoadBalancerNames()
    }

    // MARK: Prefix lists

    mutating func buildPrefixLists() throws(JSONError) {
        var unknownPrefixLists = 0
        var ids = s.prefixLists.all.map(\.id)
        for id in s.prefixListEntries.keys.sorted() where s.prefixLists[id] == nil { ids.append(id) }
        for id in ids {
            var entries: [IPPrefix] = []
            var known = false
            // The list's own object, else (get-managed-prefix-list-entries alone) its first entry.
            let origin = s.prefixLists[id]?.json ?? s.prefixListEntries[id]?.first?.json
            if let item = s.prefixLists[id] {
                if let state = item.json["State"]?.stringValue, state.hasPrefix("delete") {
                    report.skip("prefix list", id: id, reason: "state \(state)")
                    continue
                }
                if let cidrs = item.json["Cidrs"] {
                    known = true
                    for c in try cidrs.array() {
                        let text = try c.string()
                        do { entries.append(try IPPrefix(text, normalize: true)) } catch { throw c.error("invalid CIDR '\(text)': \(error.message)") }
                    }
                }
            }
            if let list = s.prefixListEntries[id] {
                known = true
                for entry in list { if let p = try entry.json.ipPrefix("Cidr") { entries.append(p) } }
            }
            guard known else {
                // Routes and rules that name it say so; an unreferenced list (AWS-managed ones) changes nothing.
                unknownPrefixLists += 1
                continue
            }
            var seen: Set<IPPrefix> = []
            entries = entries.filter { seen.insert($0).inserted }
            let name = names.name(id)
            imported[.prefixList, id] = name
            let location = origin.map { at($0) } ?? .unknown
            topology.prefixLists.append(PrefixList(name: name, id: id, entries: entries, location: location))
            report.didImport("prefix list")
        }
        if unknownPrefixLists > 0 {
            report.note("\(unknownPrefixLists) prefix list\(unknownPrefixLists == 1 ? "" : "s") without entries in the snapshot left out (routes or rules naming one say so)")
        }
    }

    // MARK: VPCs, subnets, gateways

    mutating func buildVPCs() throws(JSONError) {
        for (id, item) in s.vpcs.all {
            let j = item.json
            if let state = j["State"]?.stringValue, state != "available" && state != "pending" {
                report.skip("VPC", id: id, reason: "state \(state)")
                continue
            }
            var cidrs: [IPv4Prefix] = []
            let primary = try j.ipv4Prefix("CidrBlock")
            for assoc in try j.array("CidrBlockAssociationSet") {
                let state = assoc["CidrBlockState"]?["State"]?.stringValue ?? "associated"
                guard state == "associated" || state == "associating" else { continue }
                if let p = try assoc.ipv4Prefix("CidrBlock"), !cidrs.contains(p) { cidrs.append(p) }
            }
            if let primary {
                cidrs.removeAll { $0 == primary }
                cidrs.insert(primary, at: 0)
            }
            guard !cidrs.isEmpty else {
                report.skip("VPC", id: id, reason: "no IPv4 CIDR block")
                continue
            }
            var vpc = VPC(name: names.name(id), id: id, region: item.region, account: try j.awsAccount("OwnerId"), cidrs: cidrs,
                          location: at(j))
            vpc.isDefault = try j.bool("IsDefault") ?? false
            for assoc in try j.array("Ipv6CidrBlockAssociationSet") {
                let state = assoc["Ipv6CidrBlockState"]?["State"]?.stringValue ?? "associated"
                guard state == "associated" || state == "associating" else { continue }
                if let p = try assoc.ipv6Prefix("Ipv6CidrBlock") { vpc.ipv6Cidrs.append(p) }
            }
            vpcIndex[id] = topology.vpcs.count
            topology.vpcs.append(vpc)
            report.didImport("VPC")
        }
    }

    mutating func buildSubnets() throws(JSONError) {
        for (id, item) in s.subnets.all {
            let j = item.json
            let cidrBlock = try j.ipv4Prefix("CidrBlock")
            guard let vpcID = try j.string("VpcId"), let v = vpcIndex[vpcID] else {
                report.skip("subnet", id: id, reason: "its VPC is not in the snapshot")
                continue
            }
            guard let cidr = cidrBlock else {
                report.skip("subnet", id: id, reason: "IPv6-only subnets are not in the language")
                continue
            }
            var ipv6: IPv6Prefix?
            for assoc in try j.array("Ipv6CidrBlockAssociationSet") {
                let state = assoc["Ipv6CidrBlockState"]?["State"]?.stringValue ?? "associated"
                if state == "associated" || state == "associating", ipv6 == nil { ipv6 = try assoc.ipv6Prefix("Ipv6CidrBlock") }
            }
            let az = try j.awsAvailabilityZone("AvailabilityZone")
            if topology.vpcs[v].region == nil, let az, let last = az.last, last.isLetter {
                topology.vpcs[v].region = String(az.dropLast())
            }
            let subnet = Subnet(name: names.name(id), id: id, cidr: cidr, ipv6Cidr: ipv6, availabilityZone: az,
                                mapPublicIP: try j.bool("MapPublicIpOnLaunch") ?? false, location: at(j))
            subnetPosition[id] = (v, topology.vpcs[v].subnets.count)
            topology.vpcs[v].subnets.append(subnet)
            subnetVPC[id] = vpcID
            report.didImport("subnet")
        }
    }

    mutating func buildGateways() throws(JSONError) {
        for (kind, collection, idKey) in [("internet gateway", s.internetGateways, "InternetGatewayId"),
                                          ("egress-only internet gateway", s.egressOnlyGateways, "EgressOnlyInternetGatewayId")] {
            _ = idKey
            for (id, item) in collection.all {
                let attached = try item.json.array("Attachments").filter { a in
                    let state = a["State"]?.stringValue ?? "available"
                    return state == "available" || state == "attached" || state == "attaching"
                }
                guard let attachment = attached.first, let vpcID = try attachment.string("VpcId") else {
                    report.skip(kind, id: id, reason: "not attached to a VPC")
                    continue
                }
                guard let v = vpcIndex[vpcID] else {
                    report.skip(kind, id: id, reason: "its VPC \(vpcID) is not in the snapshot")
                    continue
                }
                let gateway = Gateway(name: names.name(id), id: id, location: at(item.json))
                if kind == "internet gateway" {
                    if topology.vpcs[v].internetGateway != nil {
                        report.skip(kind, id: id, reason: "a second internet gateway on \(vpcID)")
                        continue
                    }
                    topology.vpcs[v].internetGateway = gateway
                    imported[.internetGateway, id] = gateway.name
                } else {
                    if topology.vpcs[v].egressOnlyGateway != nil {
                        report.skip(kind, id: id, reason: "a second egress-only gateway on \(vpcID)")
                        continue
                    }
                    topology.vpcs[v].egressOnlyGateway = gateway
                    imported[.egressOnlyGateway, id] = gateway.name
                }
                report.didImport(kind)
            }
        }
    }

    func subnet(_ id: String) -> (vpc: Int, index: Int)? {
        subnetPosition[id]
    }

    mutating func buildNATGateways() throws(JSONError) {
        for (id, item) in s.natGateways.all {
            let j = item.json
            let state = j["State"]?.stringValue ?? "available"
            guard state == "available" || state == "pending" else {
                report.skip("NAT gateway", id: id, reason: "state \(state) (routes to it are blackholes)")
                continue
            }
            guard let subnetID = try j.string("SubnetId"), let (v, si) = subnet(subnetID) else {
                report.skip("NAT gateway", id: id, reason: "its subnet is not in the snapshot")
                continue
            }
            let addresses = try j.array("NatGatewayAddresses")
            let primary = addresses.first { $0["IsPrimary"]?.boolValue ?? true } ?? addresses.first
            var privateIP = try primary?.ipv4Address("PrivateIp")
            if let ip = privateIP, !topology.vpcs[v].subnets[si].cidr.contains(ip), let p = primary {
                warn(p, "NAT gateway \(id): private address \(ip) is outside its subnet \(topology.vpcs[v].subnets[si].cidr); left for the model to pick", into: &report)
                privateIP = nil
            }
            let connectivity: NATGateway.Connectivity
            if j["ConnectivityType"]?.stringValue == "private" {
                connectivity = .private
            } else {
                connectivity = .public(eip: try primary?.ipv4Address("PublicIp"))
            }
            let nat = NATGateway(name: names.name(id), id: id, subnet: topology.vpcs[v].subnets[si].name,
                                 connectivity: connectivity, privateIP: privateIP, location: at(j))
            topology.vpcs[v].natGateways.append(nat)
            imported[.natGateway, id] = nat.name
            report.didImport("NAT gateway")
        }
    }
}
