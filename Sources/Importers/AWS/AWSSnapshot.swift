// Collecting AWS CLI documents: each file is recognised by its top-level key, resources are keyed by their AWS
// id (so paginated or overlapping outputs merge), and the file each came from is kept for diagnostics.

/// One resource object and where it came from.
struct AWSItem {
    var json: JSONCursor
    /// The region implied by the file's folder (`…/us-east-1/…`), if any.
    var region: String?
}

/// Resources of one kind, by id, in first-seen order.
struct AWSCollection {
    private(set) var order: [String] = []
    private(set) var items: [String: AWSItem] = [:]
    mutating func reserve(_ more: Int) {
        order.reserveCapacity(order.count + more)
        items.reserveCapacity(items.count + more)
    }
    /// Adds `item` under `id`; the same id twice is never dropped silently:
    /// - identical objects are the same resource seen twice (paginated or repeated output): the first is kept and
    ///   `merged` counts one;
    /// - different objects from files in different folders are one resource seen from two accounts or regions
    ///   (a shared transit gateway attachment, both sides of a peering: each side has its own tags and options):
    ///   the later is kept, as before, and `views` gets a note naming both;
    /// - different objects from one folder (one account's view) contradict each other: an error.
    ///
    /// - Throws: `JSONError` at the second object, naming the first's file and path.
    mutating func add(_ id: String, _ item: AWSItem, idKey: String, merged: inout Int, views: inout [String]) throws(JSONError) {
        if let first = items[id] {
            if first.json.isIdentical(to: item.json) {
                merged += 1
                return
            }
            let a = first.json.document.file, b = item.json.document.file
            if AWSCollection.folder(a) != AWSCollection.folder(b) {
                views.append("\(idKey) \(id) is in \(a): \(first.json.path) and \(b): \(item.json.path) with different content (two accounts' or regions' views of one resource); the second is used")
                items[id] = item
                return
            }
            let firstFile = a == b ? "" : a + ": "
            throw item.json.error("duplicate \(idKey) \(AWSGrammar.quoted(id)): already at \(firstFile)\(first.json.path), with different content (which one is right cannot be told)")
        }
        items[id] = item
        order.append(id)
    }
    subscript(id: String) -> AWSItem? { items[id] }
    static func folder(_ file: String) -> Substring {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        return file[..<slash]
    }
    var all: [(id: String, item: AWSItem)] { order.compactMap { id in items[id].map { (id, $0) } } }
    var count: Int { order.count }
}

/// All AWS documents of one snapshot, by resource kind.
public struct AWSSnapshot {
    var vpcs = AWSCollection()
    var subnets = AWSCollection()
    var routeTables = AWSCollection()
    var internetGateways = AWSCollection()
    var egressOnlyGateways = AWSCollection()
    var natGateways = AWSCollection()
    var addresses = AWSCollection()
    var peerings = AWSCollection()
    var transitGateways = AWSCollection()
    var tgwAttachments = AWSCollection()
    var tgwVpcAttachments = AWSCollection()
    var tgwRouteTables = AWSCollection()
    /// TGW route table id → association / propagation / route objects.
    var tgwAssociations: [String: [AWSItem]] = [:]
    var tgwPropagations: [String: [AWSItem]] = [:]
    var tgwRoutes: [String: [AWSItem]] = [:]
    var prefixLists = AWSCollection()
    /// Prefix list id → entry objects.
    var prefixListEntries: [String: [AWSItem]] = [:]
    var securityGroups = AWSCollection()
    var securityGroupRules = AWSCollection()
    var networkACLs = AWSCollection()
    var networkInterfaces = AWSCollection()
    var instances = AWSCollection()
    // The network's edges (AWSImporter+Edges.swift).
    var vpnGateways = AWSCollection()
    var customerGateways = AWSCollection()
    var vpnConnections = AWSCollection()
    var vpcEndpoints = AWSCollection()
    var dxGateways = AWSCollection()
    var virtualInterfaces = AWSCollection()
    var dxAssociations = AWSCollection()
    var tgwPeeringAttachments = AWSCollection()
    // Elastic Load Balancing (AWSImporter+LoadBalancers.swift), by ARN.
    var loadBalancers = AWSCollection()
    var targetGroups = AWSCollection()
    /// Load balancer ARN → listener objects (describe-listeners; Batfish wraps them per load balancer).
    var lbListeners: [String: [AWSItem]] = [:]
    /// Listener ARN → rule objects (elbv2 describe-rules, whose rules name their listener only in their ARN).
    var lbRules: [String: [AWSItem]] = [:]
    /// Target group ARN → TargetHealthDescriptions objects (describe-target-health).
    var targetHealth: [String: [AWSItem]] = [:]
    /// Endpoint service name → its Gateway Load Balancer ARNs (ec2 describe-vpc-endpoint-service-configurations).
    var endpointServiceLoadBalancers: [String: [String]] = [:]
    /// Load balancer ARN → attribute objects (describe-load-balancer-attributes).
    var lbAttributes: [String: [AWSItem]] = [:]
    /// Classic load balancers (`elb describe-load-balancers`), by name.
    var classicLoadBalancers = AWSCollection()
    /// Classic load balancer name → its `LoadBalancerAttributes` object (`elb describe-load-balancer-attributes`).
    var classicAttributes: [String: AWSItem] = [:]
    /// Classic load balancer name → `InstanceStates` objects (`elb describe-instance-health`).
    var classicHealth: [String: [AWSItem]] = [:]
    /// describe-flow-logs (AWSImporter+FlowLogs.swift).
    var flowLogs = AWSCollection()
    /// Peering attachment id → each side's view (describe-transit-gateway-attachments in each account or
    /// region: one id, two transit gateways), one per `TransitGatewayId`.
    var tgwPeeringViews: [String: [AWSItem]] = [:]
    /// Resources of kinds the language cannot express: (type, id, reason).
    var unsupported: [(type: String, id: String, reason: String)] = []
    var unsupportedSeen: Set<String> = []
    /// Objects seen twice, identical both times, and kept once.
    public internal(set) var mergedDuplicates = 0
    /// One note per resource seen from two folders (accounts or regions) with different content.
    public internal(set) var mergedViews: [String] = []

    /// Files read and what each held.
    public private(set) var recognised: [(file: String, keys: [String])] = []
    public private(set) var unrecognised: [String] = []

    public init() {}

    /// True when at least one document held resources this importer knows.
    public var isEmpty: Bool { recognised.isEmpty }

    /// Documents whose resources the language does not model: top-level key → (type, id key, reason).
    static let unsupportedKinds: [String: (String, [String], String)] = [
        "DBInstances": ("RDS instance", ["DBInstanceIdentifier"], "the language has no RDS instances (their network interfaces are not instances)"),
        "DomainStatusList": ("Elasticsearch domain", ["DomainId", "DomainName"], "the language has no Elasticsearch domains"),
        "TransitGatewayConnects": ("transit gateway Connect attachment", ["TransitGatewayAttachmentId"], "the language has no transit gateway Connect"),
        "CarrierGateways": ("carrier gateway", ["CarrierGatewayId"], "the language has no carrier gateways"),
        "LocalGateways": ("local gateway", ["LocalGatewayId"], "the language has no Outposts local gateways"),
        "NetworkFirewalls": ("network firewall", ["NetworkFirewallArn"], "the language has no AWS Network Firewall"),
    ]

    /// Documents that hold nothing to model (read and ignored).
    static let ignoredKeys: Set<String> = [
        "AvailabilityZones", "ServiceDetails", "ServiceNames", "NextToken", "AdditionalRoutesAvailable",
        "Regions", "Account", "UserId", "Arn", "ResponseMetadata",
    ]

    /// The region a file's folder names, if any (`…/accounts/111/us-west-1/Vpcs.json` → `us-west-1`).
    static func regionHint(_ file: String) -> String? {
        for component in file.split(separator: "/").reversed().dropFirst() where isRegion(component) {
            return String(component)
        }
        return nil
    }

    static func isRegion(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.count <= 4, parts[0].count == 2, parts[0].allSatisfy({ $0.isLowercase }),
              let last = parts.last, !last.isEmpty, last.allSatisfy({ $0.isNumber }) else { return false }
        return parts.dropFirst().dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase } }
    }

    /// The first `prefix-…` id in a file name (for get-* outputs that do not name their parent).
    static func idInFileName(_ file: String, prefix: String) -> String? {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        let chars = Array(base.utf8), p = Array(prefix.utf8)
        var i = 0
        while i + p.count <= chars.count {
            if Array(chars[i..<i + p.count]) == p {
                var end = i + p.count
                while end < chars.count, (chars[end] >= 0x30 && chars[end] <= 0x39) || (chars[end] >= 0x61 && chars[end] <= 0x66) { end += 1 }
                if end > i + p.count { return String(decoding: chars[i..<end], as: UTF8.self) }
            }
            i += 1
        }
        return nil
    }

    /// Adds one parsed document.
    ///
    /// - Throws: `JSONError` when a known key holds a value of the wrong shape.
    public mutating func add(_ document: JSONDocument) throws(JSONError) {
        let root = document.root
        let file = document.file
        let region = AWSSnapshot.regionHint(file)
        guard root.kind == .object else {
            unrecognised.append(file)
            return
        }
        var keys: [String] = []
        func item(_ c: JSONCursor) -> AWSItem { AWSItem(json: c, region: region) }
        func collect(_ key: String, _ idKey: String, _ prefix: String, _ what: String, into collection: inout AWSCollection) throws(JSONError) {
            guard let list = root[key] else { return }
            keys.append(key)
            let elements = try list.array()
            collection.reserve(elements.count)
            for element in elements {
                _ = try element.object()
                guard let v = element[idKey], !v.isNull else { throw element.error("missing '\(idKey)'") }
                let id = try v.awsID(prefix: prefix, what: what)
                try collection.add(id, item(element), idKey: idKey, merged: &mergedDuplicates, views: &mergedViews)
            }
        }
        try collect("Vpcs", "VpcId", "vpc", "VPC", into: &vpcs)
        try collect("Subnets", "SubnetId", "subnet", "subnet", into: &subnets)
        try collect("RouteTables", "RouteTableId", "rtb", "route table", into: &routeTables)
        try collect("InternetGateways", "InternetGatewayId", "igw", "internet gateway", into: &internetGateways)
        try collect("EgressOnlyInternetGateways", "EgressOnlyInternetGatewayId", "eigw", "egress-only internet gateway", into: &egressOnlyGateways)
        try collect("NatGateways", "NatGatewayId", "nat", "NAT gateway", into: &natGateways)
        try collect("VpcPeeringConnections", "VpcPeeringConnectionId", "pcx", "peering connection", into: &peerings)
        try collect("TransitGateways", "TransitGatewayId", "tgw", "transit gateway", into: &transitGateways)
        try collect("TransitGatewayAttachments", "TransitGatewayAttachmentId", "tgw-attach", "transit gateway attachment", into: &tgwAttachments)
        try collect("TransitGatewayVpcAttachments", "TransitGatewayAttachmentId", "tgw-attach", "transit gateway attachment", into: &tgwVpcAttachments)
        try collect("TransitGatewayRouteTables", "TransitGatewayRouteTableId", "tgw-rtb", "transit gateway route table", into: &tgwRouteTables)
        try collect("SecurityGroups", "GroupId", "sg", "security group", into: &securityGroups)
        try collect("SecurityGroupRules", "SecurityGroupRuleId", "sgr", "security group rule", into: &securityGroupRules)
        try collect("NetworkAcls", "NetworkAclId", "acl", "network ACL", into: &networkACLs)
        try collect("NetworkInterfaces", "NetworkInterfaceId", "eni", "network interface", into: &networkInterfaces)
        try collect("PrefixLists", "PrefixListId", "pl", "prefix list", into: &prefixLists)
        try collect("VpnGateways", "VpnGatewayId", "vgw", "virtual private gateway", into: &vpnGateways)
        try collect("CustomerGateways", "CustomerGatewayId", "cgw", "customer gateway", into: &customerGateways)
        try collect("VpnConnections", "VpnConnectionId", "vpn", "VPN connection", into: &vpnConnections)
        try collect("VpcEndpoints", "VpcEndpointId", "vpce", "VPC endpoint", into: &vpcEndpoints)
        try collect("TransitGatewayPeeringAttachments", "TransitGatewayAttachmentId", "tgw-attach", "transit gateway peering attachment", into: &tgwPeeringAttachments)
        try collect("FlowLogs", "FlowLogId", "fl", "flow log", into: &flowLogs)
        if let list = root["TransitGatewayAttachments"] {
            // Both sides of a peering print the attachment under one id: each side's view is kept.
            for element in try list.array() where element["ResourceType"]?.stringEquals("peering") == true {
                let tgw = element["TransitGatewayId"]?.stringValue
                let id = try element.object().string("TransitGatewayAttachmentId") ?? ""
                var views = tgwPeeringViews[id] ?? []
                if !views.contains(where: { $0.json["TransitGatewayId"]?.stringValue == tgw }) { views.append(item(element)) }
                tgwPeeringViews[id] = views
            }
        }
        // Direct Connect: the CLI prints camelCase (`directConnectGateways`), Batfish's files PascalCase.
        func collectDX(_ key: String, _ idKey: String, _ what: String, _ check: (JSONCursor) throws(JSONError) -> String, into collection: inout AWSCollection) throws(JSONError) {
            for k in [key, AWSSnapshot.camel(key)] {
                guard let list = root[k] else { continue }
                keys.append(k)
                for element in try list.array() {
                    _ = try element.object()
                    guard let v = element.member(idKey), !v.isNull else { throw element.error("missing '\(AWSSnapshot.camel(idKey))'") }
                    try collection.add(try check(v), item(element), idKey: idKey, merged: &mergedDuplicates, views: &mergedViews)
                }
            }
        }
        try collectDX("DirectConnectGateways", "DirectConnectGatewayId", "Direct Connect gateway", { c throws(JSONError) in try c.dxGatewayID() }, into: &dxGateways)
        try collectDX("VirtualInterfaces", "VirtualInterfaceId", "virtual interface", { c throws(JSONError) in try c.awsID(prefix: "dxvif", what: "virtual interface") }, into: &virtualInterfaces)
        try collectDX("DirectConnectGatewayAssociations", "AssociationId", "Direct Connect gateway association", { c throws(JSONError) in try c.string() }, into: &dxAssociations)
        try addLoadBalancing(root, region: region, keys: &keys)
        if let list = root["Addresses"] {
            keys.append("Addresses")
            for element in try list.array() {
                _ = try element.object()
                let allocation = try element.string("AllocationId"), publicIP = try element.string("PublicIp")
                guard let id = allocation ?? publicIP else {
                    throw element.error("missing 'AllocationId' and 'PublicIp'")
                }
                try addresses.add(id, item(element), idKey: allocation == nil ? "PublicIp" : "AllocationId", merged: &mergedDuplicates, views: &mergedViews)
            }
        }
        if let list = root["Reservations"] {
            keys.append("Reservations")
            for reservation in try list.array() {
                for instance in try reservation.object().array("Instances") {
                    _ = try instance.object()
                    guard let v = instance["InstanceId"], !v.isNull else { throw instance.error("missing 'InstanceId'") }
                    let id = try v.awsID(prefix: "i", what: "instance")
                    try instances.add(id, item(instance), idKey: "InstanceId", merged: &mergedDuplicates, views: &mergedViews)
                }
            }
        }
        // get-* / search-* outputs that name no parent: the parent id comes from a top-level key or the file name.
        let explicitTable = try root["TransitGatewayRouteTableId"].map { c throws(JSONError) in try c.awsID(prefix: "tgw-rtb", what: "transit gateway route table") }
        let tableId = explicitTable ?? AWSSnapshot.idInFileName(file, prefix: "tgw-rtb-")
        func perTable(_ key: String, _ label: String, into map: inout [String: [AWSItem]]) throws(JSONError) {
            guard let list = root[key] else { return }
            keys.append(key)
            guard let tableId else {
                throw list.error("\(label) output does not say which transit gateway route table it is for: add a top-level \"TransitGatewayRouteTableId\" or put the table id (tgw-rtb-…) in the file name")
            }
            for element in try list.array() { map[tableId, default: []].append(item(try element.object())) }
        }
        try perTable("Associations", "get-transit-gateway-route-table-associations", into: &tgwAssociations)
        try perTable("TransitGatewayRouteTablePropagations", "get-transit-gateway-route-table-propagations", into: &tgwPropagations)
        if root["AdditionalRoutesAvailable"] != nil || root["TransitGatewayRouteTableId"] != nil {
            try perTable("Routes", "search-transit-gateway-routes", into: &tgwRoutes)
        }
        // Batfish's wrappers: one entry per table.
        func wrapped(_ key: String, _ inner: String, into map: inout [String: [AWSItem]]) throws(JSONError) {
            guard let list = root[key] else { return }
            keys.append(key)
            for entry in try list.array() {
                guard let t = try entry.object()["TransitGatewayRouteTableId"], !t.isNull else {
                    throw entry.error("missing 'TransitGatewayRouteTableId'")
                }
                let table = try t.awsID(prefix: "tgw-rtb", what: "transit gateway route table")
                for element in try entry.array(inner) { map[table, default: []].append(item(try element.object())) }
                if map[table] == nil { map[table] = [] }
            }
        }
        try wrapped("TransitGatewayPropagations", "TransitGatewayRouteTablePropagations", into: &tgwPropagations)
        try wrapped("TransitGatewayStaticRoutes", "Routes", into: &tgwRoutes)
        if let list = root["Entries"] {
            keys.append("Entries")
            let explicitList = try root["PrefixListId"].map { c throws(JSONError) in try c.awsID(prefix: "pl", what: "prefix list") }
            guard let pl = explicitList ?? AWSSnapshot.idInFileName(file, prefix: "pl-") else {
                throw list.error("get-managed-prefix-list-entries output does not say which prefix list it is for: add a top-level \"PrefixListId\" or put the id (pl-…) in the file name")
            }
            for element in try list.array() { prefixListEntries[pl, default: []].append(item(try element.object())) }
        }
        for (key, value) in root.members {
            if let (type, idKeys, reason) = AWSSnapshot.unsupportedKinds[key] {
                keys.append(key)
                for element in try value.array() {
                    var id: String?
                    for k in idKeys { if let v = element[k]?.stringValue { id = v; break } }
                    let rid = id ?? "\(file): \(element.path)"
                    if unsupportedSeen.insert(type + " " + rid).inserted { unsupported.append((type, rid, reason)) }
                }
            } else if AWSSnapshot.ignoredKeys.contains(key) {
                keys.append(key)
            }
        }
        if keys.isEmpty { unrecognised.append(file) } else { recognised.append((file, keys)) }
    }
}
