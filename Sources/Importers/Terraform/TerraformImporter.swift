// Terraform `show -json` (plan or state) into the topology model. Resources are keyed by their AWS id when it is
// known, else by their Terraform address; a reference whose value is unknown until apply is resolved through the
// `configuration` section (module variables and outputs followed) and reported per resource with its path.
import IPAddressing
import NetworkModel

/// Which side of a plan to import.
public enum TerraformPlanSide: Sendable {
    /// The planned values (a state: its values).
    case planned
    /// The plan's prior state: the resources as they were before the plan.
    case prior
}

/// Imports the JSON of `terraform show -json` (a plan or a state).
public enum TerraformImporter {
    /// Builds a topology from a parsed Terraform document.
    ///
    /// - Throws: `JSONError` naming the file and JSON path of a malformed value (wrong shape, invalid CIDR).
    public static func importDocument(_ document: JSONDocument) throws(JSONError) -> ImportResult {
        try importDocument(document, side: .planned)
    }

    /// Builds the topology of one side of a plan: ``TerraformPlanSide/planned`` (what `importDocument(_:)`
    /// imports: the planned values; a state's values) or ``TerraformPlanSide/prior`` (the plan's `prior_state`,
    /// as a state: an empty topology when the plan creates everything). `vpckit diff PLAN.json` compares the two.
    ///
    /// - Throws: `JSONError` as `importDocument(_:)`; for `.prior`, also when the document is not a plan.
    public static func importDocument(_ document: JSONDocument, side: TerraformPlanSide) throws(JSONError) -> ImportResult {
        let doc = try TFDocument(document.root, side: side)
        if let region = doc.region, !AWSGrammar.isRegion(region),
           let value = document.root["configuration"]?["provider_config"]?["aws"]?["expressions"]?["region"]?["constant_value"] {
            throw value.error("invalid region \(AWSGrammar.quoted(region)): expected a region like 'us-east-1'")
        }
        var builder = TFBuilder(doc, file: document.file)
        try builder.build()
        if doc.mergedDuplicates > 0 {
            builder.report.note("\(doc.mergedDuplicates) resource\(doc.mergedDuplicates == 1 ? "" : "s") listed twice with identical values kept once")
        }
        var result = ImportResult(topology: builder.topology, report: builder.report)
        result.reconcile(source: document.file)
        try result.topology.checkPrintable(source: document.file)
        return result
    }

    /// Resource types the language has no word for, with the reason given in the summary.
    static let unsupported: [(prefix: String, reason: String)] = [
        ("aws_vpn_", "the language has no such Site-to-Site VPN resource"),
        ("aws_vpc_endpoint", "the language has no VPC endpoint services, policies or notifications"),
        ("aws_lb_", "TLS certificates, trust stores and stickiness or SSL policies do not change which connections pass"),
        ("aws_alb_", "TLS certificates do not change which connections pass"),
        ("aws_load_balancer_", "classic load balancer policies do not change which connections pass"),
        ("aws_app_cookie_stickiness_policy", "stickiness policies do not change which connections pass"),
        ("aws_proxy_protocol_policy", "proxy protocol policies do not change which connections pass"),
        ("aws_dx_", "the language has no Direct Connect connections, LAGs, public or hosted interfaces"),
        ("aws_ec2_transit_gateway_connect", "the language has no transit gateway Connect"),
        ("aws_ec2_transit_gateway_multicast", "the language has no transit gateway multicast"),
        ("aws_ec2_transit_gateway_policy", "the language has no transit gateway policy tables"),
        ("aws_networkfirewall", "the language has no AWS Network Firewall"),
        ("aws_ec2_carrier_gateway", "the language has no carrier gateways"),
        ("aws_db_", "the language has no RDS instances"),
    ]

    static let handled: Set<String> = ([
        "aws_vpc", "aws_default_vpc", "aws_vpc_ipv4_cidr_block_association", "aws_subnet", "aws_default_subnet",
        "aws_route_table", "aws_default_route_table", "aws_route", "aws_route_table_association",
        "aws_main_route_table_association", "aws_internet_gateway", "aws_internet_gateway_attachment",
        "aws_egress_only_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_eip_association",
        "aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_options",
        "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_vpc_attachment_accepter",
        "aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route_table_association",
        "aws_ec2_transit_gateway_route_table_propagation", "aws_ec2_transit_gateway_route",
        "aws_ec2_transit_gateway_prefix_list_reference", "aws_ec2_managed_prefix_list", "aws_ec2_managed_prefix_list_entry",
        "aws_security_group", "aws_default_security_group", "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_network_acl",
        "aws_default_network_acl", "aws_network_acl_rule", "aws_network_acl_association", "aws_instance",
        "aws_network_interface", "aws_network_interface_attachment", "aws_network_interface_sg_attachment",
        // The network's edges (TerraformImporter+Edges.swift).
        "aws_vpn_gateway", "aws_vpn_gateway_attachment", "aws_vpn_gateway_route_propagation", "aws_customer_gateway",
        "aws_vpn_connection", "aws_vpn_connection_route", "aws_vpc_endpoint", "aws_vpc_endpoint_route_table_association",
        "aws_vpc_endpoint_subnet_association", "aws_dx_gateway", "aws_dx_gateway_association",
        "aws_dx_private_virtual_interface", "aws_dx_transit_virtual_interface",
        "aws_ec2_transit_gateway_peering_attachment", "aws_ec2_transit_gateway_peering_attachment_accepter",
        "aws_flow_log",
    ] as Set<String>).union(TFBuilder.loadBalancingTypes)
}

/// What a reference attribute resolved to.
enum TFRef {
    /// A resource of the document (by address).
    case resource(String)
    /// A known id of something the document does not manage.
    case external(String)
    /// Unknown until apply and not resolvable through the configuration.
    case unresolved
    /// Not set.
    case none
}

struct TFBuilder {
    let doc: TFDocument
    let file: String
    var report = ImportReport()
    var topology = Topology()
    /// Resources' locations: the document's file and the line and column of each resource's object.
    var locator = JSONLocator()
    var names = NameAllocator()
    /// AWS id → resource address.
    var addressByID: [String: String] = [:]
    /// Resource address → model name (of what was imported).
    var nameOf: [String: String] = [:]
    /// Resource address → VPC index.
    var vpcOf: [String: Int] = [:]
    /// Instance model name → its VPC index and its index among that VPC's instances.
    var instanceAt: [String: (vpc: Int, index: Int)] = [:]
    /// Resources by type.
    var byType: [String: [TFResource]] = [:]
    /// While route tables are built: the topology's names, resolved once when a route target first needs them
    /// (every VPC, peering and TGW is built by then).
    var routeTargets: RouteTargetNames?
    /// Resource address (a VPN connection, a Direct Connect gateway association, a peering attachment or its
    /// accepter) → the name of the TGW attachment it made.
    var tgwAttachmentNameOf: [String: String] = [:]
    /// A TGW peering's requester and accepter addresses → the attachment's name on each TGW (by index).
    var peeringSides: [String: [Int: String]] = [:]
    /// `aws_dx_gateway` address → index in `topology.directConnectGateways`.
    var dxGatewayIndex: [String: Int] = [:]
    /// Endpoint service name (`com.amazonaws.us-east-1.s3`) → the prefix list holding its CIDRs.
    var servicePrefixListByService: [String: String] = [:]

    init(_ doc: TFDocument, file: String) {
        self.doc = doc
        self.file = file
        for r in doc.resources {
            // The accepter of a TGW peering has the attachment's id: the id means the attachment.
            if let id = r.string("id"), r.type != "aws_ec2_transit_gateway_peering_attachment_accepter" || addressByID[id] == nil { addressByID[id] = r.address }
            byType[r.type, default: []].append(r)
        }
        // A VPN connection's or Direct Connect gateway association's TGW attachment is not a resource of its own:
        // associations, propagations and routes naming its id mean it.
        for r in doc.resources where r.type == "aws_vpn_connection" || r.type == "aws_dx_gateway_association" {
            if let a = r.string("transit_gateway_attachment_id"), addressByID[a] == nil { addressByID[a] = r.address }
        }
        // An instance's primary interface is not a resource of its own: routes and EIPs naming its id mean the instance.
        for r in doc.resources where r.type == "aws_instance" {
            if let eni = r.string("primary_network_interface_id"), addressByID[eni] == nil { addressByID[eni] = r.address }
        }
        for d in doc.dataSources {
            if let id = d.string("id"), addressByID[id] == nil { addressByID[id] = d.address }
        }
        // A resource the plan replaces keeps its old id in prior_state; a value still naming that id means it.
        for (id, address) in doc.priorIDs where addressByID[id] == nil && doc.byAddress[address] != nil { addressByID[id] = address }
    }

    /// The resource or data source at `address`.
    func resource(_ address: String) -> TFResource? {
        if let i = doc.byAddress[address] { return doc.resources[i] }
        return doc.dataSources.first { $0.address == address }
    }

    func resources(_ types: String...) -> [TFResource] { types.flatMap { byType[$0] ?? [] } }

    func key(_ r: TFResource) -> String { r.string("id") ?? r.address }

    /// The label of a resource in reports: its address (and id when known).
    func label(_ r: TFResource) -> String { r.string("id").map { "\(r.address) (\($0))" } ?? r.address }

    /// Where `c` is: the document's file in the topology's file table, the line and column of `c`.
    mutating func at(_ c: JSONCursor) -> SourceLocation {
        locator.location(of: c, in: &topology.files)
    }

    /// Where resource (or data source) `r` is: its object in the document (else its values).
    mutating func at(_ r: TFResource) -> SourceLocation { at(r.json ?? r.values) }

    func warn(_ r: TFResource, _ message: String, into report: inout ImportReport) {
        report.warn(file: file, path: r.address, message)
    }

    /// Resolves a reference attribute (`vpc_id`, `route[0].nat_gateway_id`): its known value, else the configuration.
    ///
    /// `types` are the resource types it may denote; `block` is the enclosing block attribute for nested paths.
    mutating func ref(_ r: TFResource, _ path: [String], types: Set<String>, value: JSONCursor? = nil, quiet: Bool = false) -> TFRef {
        let v = value ?? r.values[path[0]]
        if let s = v?.stringValue, !s.isEmpty {
            if let a = addressByID[s] { return .resource(a) }
            return .external(s)
        }
        guard r.isUnknown(path) else { return .none }
        let resolved = resolveThroughConfiguration(r, path, types: types)
        let attribute = path.joined(separator: ".")
        if resolved.count == 1 {
            if !quiet { report.note("\(r.address): \(attribute) unknown until apply; resolved through the configuration to \(resolved[0])") }
            return .resource(resolved[0])
        }
        if quiet { return .unresolved }
        warn(r, "\(attribute) is unknown until apply and the configuration does not name one resource for it\(resolved.isEmpty ? "" : " (it names \(resolved.joined(separator: ", ")))")\(unreadDataSources(r, path))", into: &report)
        return .unresolved
    }

    /// `; it comes from data.aws_vpc.x, read only at apply` when the expression names data sources without values.
    func unreadDataSources(_ r: TFResource, _ path: [String]) -> String {
        guard let expression = doc.expression(r, path) else { return "" }
        let unread = doc.references(expression).filter { $0.hasPrefix("data.") }.compactMap { reference -> String? in
            let parts = TFDocument.referenceParts(reference)
            guard parts.count >= 3 else { return nil }
            let address = (r.module.isEmpty ? "" : r.module + ".") + "data.\(parts[1]).\(parts[2])"
            return doc.dataSources.contains { $0.address == address && $0.string("id") != nil } ? nil : address
        }
        guard !unread.isEmpty else { return "" }
        return "; it comes from \(Array(Set(unread)).sorted().joined(separator: ", ")), which the plan reads only at apply"
    }

    /// True when the attribute has a known non-empty value, or the configuration writes an expression for it (a
    /// computed attribute the configuration leaves alone is unknown in a plan without naming anything).
    func isWritten(_ r: TFResource, _ attribute: String) -> Bool {
        if let s = r.values[attribute]?.stringValue, !s.isEmpty { return true }
        return r.isUnknown([attribute]) && doc.expression(r, [attribute]) != nil
    }

    /// A list of references (`subnet_ids`, `vpc_security_group_ids`).
    mutating func refs(_ r: TFResource, _ attribute: String, types: Set<String>) -> [String]? {
        if let list = r.values[attribute], list.kind == .array {
            var out: [String] = []
            for e in list.elements {
                guard let s = e.stringValue else { continue }
                out.append(addressByID[s] ?? "id:" + s)
            }
            return out
        }
        guard r.isUnknown([attribute]) else { return [] }
        let resolved = resolveThroughConfiguration(r, [attribute], types: types)
        if resolved.isEmpty {
            warn(r, "\(attribute) is unknown until apply and the configuration does not name its resources\(unreadDataSources(r, [attribute]))", into: &report)
            return nil
        }
        report.note("\(r.address): \(attribute) unknown until apply; resolved through the configuration to \(resolved.joined(separator: ", "))")
        return resolved
    }

    /// The resources of `types` that the configuration expression of the attribute at `path` names.
    ///
    /// An expression indexed by the resource's own instance (`aws_subnet.a[count.index]`, `aws_subnet.a[each.key]`:
    /// Terraform lists these as `aws_subnet.a` and `count.index`) names the instance with the same key.
    func resolveThroughConfiguration(_ r: TFResource, _ path: [String], types: Set<String>) -> [String] {
        guard let expression = doc.expression(r, path) else { return [] }
        var out: [String] = []
        let references = doc.references(expression)
        for reference in references {
            for a in doc.resolve(reference: reference, in: r.module) {
                guard let target = resource(a), types.contains(target.type) else { continue }
                if !out.contains(a) { out.append(a) }
            }
        }
        if out.count > 1, references.contains(where: { $0 == "count.index" || $0.hasPrefix("each.") }), let key = r.instanceKey {
            let same = out.filter { TFDocument.instanceKey($0) == key }
            if !same.isEmpty { out = same }
        }
        return out
    }

    /// The address a TFRef denotes, if it is a resource of the document.
    func address(_ ref: TFRef) -> String? {
        if case .resource(let a) = ref { return a }
        return nil
    }

    /// Data sources of `types` the document has values for.
    func dataSources(_ types: String...) -> [TFResource] { doc.dataSources.filter { types.contains($0.type) && $0.string("id") != nil } }

    /// The warning every imported data source gets: what it stands for, and where its values are in the document.
    mutating func noteDataSource(_ d: TFResource, _ what: String) {
        let at = d.json.map { " (values read at \($0.path))" } ?? ""
        warn(d, "data source: \(what) \(d.string("id") ?? "") is outside this configuration; imported from the values Terraform read\(at)", into: &report)
    }

    mutating func skip(_ r: TFResource, _ type: String, _ reason: String) {
        report.skip(type, id: label(r), reason: reason)
    }

    /// Resource types that never become a named part of the topology (rules, associations, routes, EIPs): they take
    /// no name, so that their address-derived fallbacks do not collide with the tags of what is named.
    static let unnamedTypes: Set<String> = ([
        "aws_route", "aws_route_table_association", "aws_main_route_table_association", "aws_eip", "aws_eip_association",
        "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
        "aws_network_acl_rule", "aws_network_acl_association", "aws_network_interface_attachment",
        "aws_network_interface_sg_attachment", "aws_internet_gateway_attachment", "aws_vpc_ipv4_cidr_block_association",
        "aws_ec2_managed_prefix_list_entry", "aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_options",
        "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation",
        "aws_ec2_transit_gateway_route", "aws_ec2_transit_gateway_prefix_list_reference",
        "aws_vpn_gateway_attachment", "aws_vpn_gateway_route_propagation", "aws_vpn_connection_route",
        "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_subnet_association", "aws_dx_gateway_association",
    ] as Set<String>).union(TFBuilder.unnamedLoadBalancingTypes)

    mutating func registerNames() {
        for r in doc.resources where !Self.unnamedTypes.contains(r.type) {
            var fallback = r.string("id") ?? NameAllocator.sanitize(TFDocument.stripIndexes(r.address)
                .split(separator: ".").filter { $0 != "module" && !$0.hasPrefix("aws_") }.joined(separator: "-"))
            if let index = r.address.split(separator: "[").dropFirst().first, let i = index.split(separator: "]").first {
                fallback += "-" + NameAllocator.sanitize(String(i))
            }
            var tag = r.nameTag
            // A Direct Connect gateway has a `name` and no tags.
            if tag == nil, r.type == "aws_dx_gateway" { tag = r.string("name") }
            // A load balancer or target group: its `name`, as describe-load-balancers and the console show it.
            if TFBuilder.namedByNameAttribute.contains(r.type), let n = r.string("name") { tag = n }
            if r.type == "aws_security_group" || r.type == "aws_default_security_group" {
                // As the console: Name tag, else the group name (`default` for the default group), else the id.
                let isDefault = r.type == "aws_default_security_group"
                tag = securityGroupNameCandidate(tag: r.nameTag, groupName: isDefault ? "default" : r.string("name"), isDefault: isDefault)
            }
            names.register(key: r.address, tag: tag, fallback: fallback)
        }
        for d in doc.dataSources {
            guard let id = d.string("id") else { continue }
            var tag = d.nameTag
            if d.type == "aws_security_group" {
                tag = securityGroupNameCandidate(tag: d.nameTag, groupName: d.string("name"), isDefault: d.string("name") == "default")
            }
            // An AWS-managed prefix list (`com.amazonaws.us-east-1.s3`): named after its service (`pl:s3`).
            if tag == nil, d.type == "aws_ec2_managed_prefix_list" || d.type == "aws_prefix_list", let n = d.string("name"), n.hasPrefix("com.amazonaws.") {
                tag = TFBuilder.serviceShortName(n)
            }
            names.register(key: d.address, tag: tag, fallback: id)
        }
    }

    mutating func build() throws(JSONError) {
        registerNames()
        for r in doc.resources where r.type.hasPrefix("aws_") && !TerraformImporter.handled.contains(r.type) {
            if let u = TerraformImporter.unsupported.first(where: { r.type.hasPrefix($0.prefix) }) {
                skip(r, r.type, u.reason)
            }
        }
        try buildPrefixLists()
        try buildVPCs()
        try buildSubnets()
        buildGateways()
        expandDefaultVPCs()
        try buildVPNGateways()
        try buildCustomerGateways()
        try buildDirectConnectGateways()
        try buildNATGateways()
        try buildSecurityGroups()
        try buildInstances()
        try buildElasticIPs()
        try buildNetworkACLs()
        buildPeerings()
        try buildTransitGateways()
        try buildRouteTables()
        try buildVPNConnections()
        try buildDirectConnectAssociations()
        try buildVPCEndpoints()
        try buildLoadBalancers()
        tieGatewayLoadBalancerEndpoints()
        try buildFlowLogs()
        noteDefaultVPCRules()
        // Other network data sources (an internet gateway, a transit gateway … read by the plan): references to them
        // stay references to a resource outside the configuration (a route to one is a blackhole, with a warning).
        for d in doc.dataSources where TerraformImporter.handled.contains(d.type) && nameOf[d.address] == nil {
            let at = d.json.map { " (values read at \($0.path))" } ?? ""
            let id = d.string("id").map { " \($0)" } ?? ""
            warn(d, "data source: \(d.type)\(id) is outside this configuration and not imported; what refers to it refers to a resource outside the topology\(at)", into: &report)
        }
    }
}
