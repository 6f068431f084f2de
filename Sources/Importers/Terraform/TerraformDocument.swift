// Reading `terraform show -json` output: resources of a plan (planned values + what is unknown until apply) or
// of a state, across child modules, and references through the `configuration` section.

import NetworkModel

/// One managed resource instance of a plan or state.
struct TFResource {
    /// `module.net.aws_subnet.app_a`, `aws_instance.web[0]`
    var address: String
    var type: String
    /// The module it lives in: "" (root) or `module.net`.
    var module: String
    /// The address inside its module without an index (`aws_subnet.app_a`), as the configuration names it.
    var configAddress: String
    var values: JSONCursor
    /// `after_unknown` of the plan's change (nil for a state).
    var unknown: JSONCursor?
    /// The resource's object in the document (for the JSON path in warnings).
    var json: JSONCursor? = nil

    /// The index of a `count` / `for_each` instance: `0` of `aws_x.y[0]`, `a` of `aws_x.y["a"]`.
    var instanceKey: String? { TFDocument.instanceKey(address) }

    /// True when the plan says the attribute at `path` is unknown until apply.
    func isUnknown(_ path: [String]) -> Bool {
        guard var c = unknown else { return false }
        for component in path {
            if c.boolValue == true { return true }
            if let i = Int(component) {
                let e = c.elements
                guard i < e.count else { return false }
                c = e[i]
            } else {
                guard let next = c[component] else { return false }
                c = next
            }
        }
        return c.boolValue == true
    }

    /// A known, non-empty string attribute.
    func string(_ key: String) -> String? {
        guard let s = values[key]?.stringValue, !s.isEmpty else { return nil }
        return s
    }

    /// The `Name` tag, when known.
    var nameTag: String? { values["tags"]?["Name"]?.stringValue }
}

/// A module of the configuration: its resources' expressions, calls and outputs.
struct TFModuleConfig {
    var address: String
    var json: JSONCursor?
    /// The module that calls this one, and the call's name there.
    var parent: String?
    var callName: String?
}

/// The resources and configuration of one Terraform JSON document.
struct TFDocument {
    var resources: [TFResource] = []
    var byAddress: [String: Int] = [:]
    /// Data sources the document holds values for (a plan's `prior_state`, a state's `values`), by address.
    var dataSources: [TFResource] = []
    /// Ids of the plan's `prior_state` (resources being replaced have their new id unknown) → address.
    var priorIDs: [String: String] = [:]
    var modules: [String: TFModuleConfig] = [:]
    var isPlan = false
    /// False for a plan's prior state: its values are the state before the plan, and the document's
    /// `configuration` is the planned one, so its expressions say nothing about them (``expression(_:_:)`` is nil):
    /// the prior side resolves references through the prior state's values only.
    var readsConfiguration = true
    /// The AWS provider's region when the configuration names it as a constant.
    var region: String?
    /// The configuration's `provider_config` (aliased providers: their regions, ``region(of:)``).
    var providerConfig: JSONCursor?
    /// Resources listed twice with identical content (kept once).
    var mergedDuplicates = 0

    /// Resource types whose `id` the topology prints, with the AWS id prefix it must have.
    static let idPrefix: [String: (prefix: String, what: String)] = [
        "aws_vpc": ("vpc", "VPC"), "aws_default_vpc": ("vpc", "VPC"), "aws_subnet": ("subnet", "subnet"),
        "aws_default_subnet": ("subnet", "subnet"), "aws_route_table": ("rtb", "route table"),
        "aws_default_route_table": ("rtb", "route table"), "aws_internet_gateway": ("igw", "internet gateway"),
        "aws_egress_only_internet_gateway": ("eigw", "egress-only internet gateway"), "aws_nat_gateway": ("nat", "NAT gateway"),
        "aws_vpc_peering_connection": ("pcx", "peering connection"), "aws_ec2_transit_gateway": ("tgw", "transit gateway"),
        "aws_ec2_transit_gateway_vpc_attachment": ("tgw-attach", "transit gateway attachment"),
        "aws_ec2_transit_gateway_route_table": ("tgw-rtb", "transit gateway route table"),
        "aws_security_group": ("sg", "security group"), "aws_default_security_group": ("sg", "security group"),
        "aws_network_acl": ("acl", "network ACL"), "aws_default_network_acl": ("acl", "network ACL"),
        "aws_instance": ("i", "instance"), "aws_network_interface": ("eni", "network interface"),
        "aws_ec2_managed_prefix_list": ("pl", "prefix list"),
        "aws_vpn_gateway": ("vgw", "VPN gateway"), "aws_customer_gateway": ("cgw", "customer gateway"),
        "aws_vpn_connection": ("vpn", "VPN connection"), "aws_vpc_endpoint": ("vpce", "VPC endpoint"),
        "aws_ec2_transit_gateway_peering_attachment": ("tgw-attach", "transit gateway attachment"),
        "aws_dx_private_virtual_interface": ("dxvif", "virtual interface"), "aws_dx_transit_virtual_interface": ("dxvif", "virtual interface"),
    ]
    /// Resource types whose `id` is another resource's (the accepter of a TGW peering has the attachment's id):
    /// checked against the grammar, never counted as a second resource with that id.
    static let sharedIDPrefix: [String: (prefix: String, what: String)] = [
        "aws_ec2_transit_gateway_peering_attachment_accepter": ("tgw-attach", "transit gateway attachment"),
    ]
    /// Attributes of the edges' resources that the topology prints as AWS ids, with the id prefix they must have.
    static let idAttributes: [String: [(key: String, prefix: String, what: String)]] = [
        "aws_vpn_connection": [("transit_gateway_attachment_id", "tgw-attach", "transit gateway attachment")],
        "aws_dx_gateway_association": [("transit_gateway_attachment_id", "tgw-attach", "transit gateway attachment")],
        "aws_vpc_endpoint": [("prefix_list_id", "pl", "prefix list")],
    ]
    /// Id → index in `resources`, for the types of `idPrefix` (one AWS object managed at two addresses is an error).
    private var addressOfID: [String: Int] = [:]

    /// Checks what of a resource reaches the output: its address (no control characters, and its type and name
    /// where the address says), its AWS id against the type's grammar, its account and zone.
    static func checkResource(_ r: JSONCursor, address: String, type: String, name: String, values: JSONCursor) throws(JSONError) {
        guard LanguageWord.commentSafe(address) == address, address.unicodeScalars.allSatisfy({ $0.value < 0x7F }),
              address.hasSuffix(type + "." + name) || address.contains(type + "." + name + "[") else {
            throw (r["address"] ?? r).error("invalid resource address \(AWSGrammar.quoted(address)) for \(AWSGrammar.quoted(type + "." + name))")
        }
        if let (prefix, what) = idPrefix[type] ?? sharedIDPrefix[type], let id = values["id"], let text = id.stringValue, !text.isEmpty {
            do { _ = try id.awsID(prefix: prefix, what: what) } catch { throw id.error("\(address): \(error.message)") }
        }
        for (key, prefix, what) in idAttributes[type] ?? [] {
            if let v = values[key], let text = v.stringValue, !text.isEmpty {
                do { _ = try v.awsID(prefix: prefix, what: what) } catch { throw v.error("\(address): \(error.message)") }
            }
        }
        if type == "aws_vpc" || type == "aws_default_vpc" || type == "aws_ec2_transit_gateway",
           let v = values["owner_id"], let text = v.stringValue, !text.isEmpty, !AWSGrammar.isAccount(text) {
            throw v.error("\(address): invalid account id \(AWSGrammar.quoted(text)): expected 12 digits")
        }
        if type == "aws_subnet" || type == "aws_default_subnet",
           let v = values["availability_zone"], let text = v.stringValue, !text.isEmpty, !AWSGrammar.isAvailabilityZone(text) {
            throw v.error("\(address): invalid availability zone \(AWSGrammar.quoted(text)): expected a region and a letter, like 'us-east-1a'")
        }
    }

    init(_ root: JSONCursor, side: TerraformPlanSide = .planned) throws(JSONError) {
        _ = try root.object()
        guard root["format_version"] != nil || root["terraform_version"] != nil else {
            throw root.error("not a Terraform JSON document (no 'format_version'): expected the output of 'terraform show -json'")
        }
        var unknowns: [String: JSONCursor] = [:]
        if side == .prior {
            // The prior state, read as a state (every value known); nothing when the plan creates everything.
            guard try root.object("planned_values") != nil else {
                throw root.error("not a Terraform plan (no 'planned_values'): only a plan has a prior state and planned values to compare")
            }
            // Read as the planned side is (no account from `owner_id`), so that unchanged VPCs compare equal.
            isPlan = true
            readsConfiguration = false
            if let rm = try root.object("prior_state")?.object("values")?.object("root_module") { try collect(rm, [:]) }
        } else if let planned = try root.object("planned_values") {
            isPlan = true
            for change in try root.array("resource_changes") {
                guard let address = try change.object().string("address"), let c = try change.object("change") else { continue }
                if let u = c["after_unknown"] { unknowns[address] = u }
            }
            if let rm = try planned.object("root_module") { try collect(rm, unknowns) }
            if let rm = try root.object("prior_state")?.object("values")?.object("root_module") { try collectPrior(rm) }
        } else if let values = try root.object("values") {
            if let rm = try values.object("root_module") { try collect(rm, unknowns) }
        } else {
            throw root.error("neither 'planned_values' (a plan) nor 'values' (a state): an empty state or not 'terraform show -json' output")
        }
        if let config = try root.object("configuration") {
            if let rm = try config.object("root_module") { indexModules(rm, address: "", parent: nil, callName: nil) }
            region = config["provider_config"]?["aws"]?["expressions"]?["region"]?["constant_value"]?.stringValue
            providerConfig = config["provider_config"]
        }
    }

    private mutating func collect(_ module: JSONCursor, _ unknowns: [String: JSONCursor]) throws(JSONError) {
        for r in try module.array("resources") {
            _ = try r.object()
            guard let address = try r.string("address"), let type = try r.string("type"), let name = try r.string("name") else {
                throw r.error("resource without 'address', 'type' or 'name'")
            }
            // A plan lists a resource whose every attribute is unknown until apply without `values`
            // (`aws_vpn_gateway_attachment`): kept (with its empty `sensitive_values` for values), its references
            // resolved through the configuration.
            let written = try r.object("values")
            let sensitive = isPlan ? try r.object("sensitive_values") : nil
            guard let values = written ?? sensitive else { continue }
            try TFDocument.checkResource(r, address: address, type: type, name: name, values: values)
            let moduleAddress = address.hasPrefix("module.") ? TFDocument.moduleOf(address) : ""
            let resource = TFResource(address: address, type: type, module: moduleAddress, configAddress: type + "." + name,
                                      values: values, unknown: unknowns[address], json: r)
            if let mode = try r.string("mode"), mode != "managed" {
                // A data source read at apply (its values unknown) is in planned_values; one read by the plan is in
                // prior_state (collectPrior), which is kept in preference.
                if mode == "data", !dataSources.contains(where: { $0.address == address }) { dataSources.append(resource) }
                continue
            }
            if let i = byAddress[address], let first = resources[i].json {
                // The same address twice: the same resource repeated, or two that contradict each other.
                guard first.isIdentical(to: r) else {
                    throw r.error("duplicate resource address \(AWSGrammar.quoted(address)): already at \(first.path), with different values")
                }
                mergedDuplicates += 1
                continue
            }
            if let (_, what) = TFDocument.idPrefix[type], let id = resource.string("id") {
                if let i = addressOfID[id], let first = resources[i].json {
                    throw r.error("\(address) has the \(what) id \(AWSGrammar.quoted(id)) of \(resources[i].address) at \(first.path): one AWS resource at two addresses")
                }
                addressOfID[id] = resources.count
            }
            byAddress[address] = resources.count
            resources.append(resource)
        }
        for child in try module.array("child_modules") { try collect(try child.object(), unknowns) }
    }

    /// A plan's `prior_state`: the data sources the plan read, and the ids resources had before the plan.
    private mutating func collectPrior(_ module: JSONCursor) throws(JSONError) {
        for r in try module.array("resources") {
            _ = try r.object()
            guard let address = try r.string("address"), let type = try r.string("type"), let name = try r.string("name"),
                  let values = try r.object("values") else { continue }
            try TFDocument.checkResource(r, address: address, type: type, name: name, values: values)
            if try r.string("mode") == "data" {
                let moduleAddress = address.hasPrefix("module.") ? TFDocument.moduleOf(address) : ""
                let resource = TFResource(address: address, type: type, module: moduleAddress, configAddress: type + "." + name,
                                          values: values, unknown: nil, json: r)
                if let i = dataSources.firstIndex(where: { $0.address == address }) { dataSources[i] = resource }
                else { dataSources.append(resource) }
            } else if let id = values["id"]?.stringValue, !id.isEmpty {
                priorIDs[id] = address
            }
        }
        for child in try module.array("child_modules") { try collectPrior(try child.object()) }
    }

    /// The index of the last component of an address: `0` of `aws_x.y[0]`, `a` of `module.m.aws_x.y["a"]`.
    static func instanceKey(_ address: String) -> String? {
        guard address.hasSuffix("]"), let open = address.lastIndex(of: "[") else { return nil }
        var key = address[address.index(after: open)..<address.index(before: address.endIndex)]
        if key.hasPrefix("\"") && key.hasSuffix("\"") && key.count >= 2 { key = key.dropFirst().dropLast() }
        return String(key)
    }

    /// Splits a reference at the dots outside brackets: `module.m.ids["a.b"]` → `module`, `m`, `ids["a.b"]`.
    static func referenceParts(_ reference: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for ch in reference {
            if ch == "\"" { quoted.toggle() }
            if !quoted {
                if ch == "[" { depth += 1 } else if ch == "]" { depth -= 1 }
                if ch == "." && depth == 0 { parts.append(current); current = ""; continue }
            }
            current.append(ch)
        }
        parts.append(current)
        return parts
    }

    /// `module.a.module.b.aws_x.y[0]` → `module.a.module.b`
    static func moduleOf(_ address: String) -> String {
        var parts: [Substring] = []
        var rest = address[...]
        while rest.hasPrefix("module.") {
            let afterPrefix = rest.dropFirst(7)
            // A module name may carry an index with dots inside quotes; cut at the first '.' after a closing ']' or name.
            var end = afterPrefix.startIndex
            var depth = 0
            while end < afterPrefix.endIndex {
                let ch = afterPrefix[end]
                if ch == "[" { depth += 1 } else if ch == "]" { depth -= 1 } else if ch == "." && depth == 0 { break }
                end = afterPrefix.index(after: end)
            }
            parts.append(rest[rest.startIndex..<end])
            rest = end < afterPrefix.endIndex ? afterPrefix[afterPrefix.index(after: end)...] : ""
        }
        return parts.joined(separator: ".")
    }

    private mutating func indexModules(_ json: JSONCursor, address: String, parent: String?, callName: String?) {
        modules[address] = TFModuleConfig(address: address, json: json, parent: parent, callName: callName)
        for (name, call) in json["module_calls"]?.members ?? [] {
            let child = address.isEmpty ? "module.\(name)" : "\(address).module.\(name)"
            if let m = call["module"] { indexModules(m, address: child, parent: address, callName: name) }
        }
    }

    /// The configuration expression of the attribute at `path` of `resource` (`{"references": […]}` or
    /// `{"constant_value": …}`). Nested blocks (`network_interface.0.network_interface_id`) are followed while the
    /// configuration has them as blocks; an attribute written as one expression (`ingress = […]`, or blocks of an
    /// attributes-as-blocks type such as `route`) answers for everything inside it. nil for every resource of a
    /// plan's prior state (``readsConfiguration``).
    func expression(_ resource: TFResource, _ path: [String]) -> JSONCursor? {
        guard readsConfiguration else { return nil }
        // Module instances (`module.x[0]`) share the configuration of `module.x`.
        let module = TFDocument.stripIndexes(resource.module)
        guard let config = modules[module]?.json, let first = path.first else { return nil }
        for r in config["resources"]?.elements ?? [] where r["address"]?.stringEquals(resource.configAddress) == true {
            guard var e = r["expressions"]?[first] else { return nil }
            for component in path.dropFirst() {
                if e["references"] != nil || e["constant_value"] != nil { return e }
                if e.kind == .array {
                    let blocks = e.elements
                    guard let i = Int(component) else { return nil }
                    // Dynamic blocks are not in the configuration: only a single written block is taken for any index.
                    guard i < blocks.count || blocks.count == 1 else { return nil }
                    e = blocks[i < blocks.count ? i : 0]
                } else {
                    guard let next = e[component] else { return nil }
                    e = next
                }
            }
            return e
        }
        return nil
    }

    /// The region of the provider configuration a resource uses (`provider = aws.west` → the `aws.west` block's
    /// constant `region`); the default provider's region (``region``) otherwise.
    ///
    /// - Throws: naming the configuration value when it is not a region.
    func region(of resource: TFResource) throws(JSONError) -> String? {
        let module = TFDocument.stripIndexes(resource.module)
        // The configuration names a data source `data.TYPE.NAME`.
        let isData = resource.address.hasPrefix("data.") || resource.address.contains(".data.")
        let configAddress = isData ? "data." + resource.configAddress : resource.configAddress
        guard let config = modules[module]?.json,
              let r = config["resources"]?.elements.first(where: { $0["address"]?.stringEquals(configAddress) == true }),
              let key = r["provider_config_key"]?.stringValue, key != "aws",
              let value = providerConfig?[key]?["expressions"]?["region"]?["constant_value"], let text = value.stringValue else { return region }
        guard AWSGrammar.isRegion(text) else {
            throw value.error("invalid region \(AWSGrammar.quoted(text)) of provider \(AWSGrammar.quoted(key)): expected a region like 'us-east-1'")
        }
        return text
    }

    static func stripIndexes(_ address: String) -> String {
        var out = ""
        var depth = 0
        for ch in address {
            if ch == "[" { depth += 1; continue }
            if ch == "]" { depth -= 1; continue }
            if depth == 0 { out.append(ch) }
        }
        return out
    }

    /// Resource addresses that a configuration reference denotes, followed through module variables and outputs.
    ///
    /// An index on a module output (`module.net.subnet_ids["public"]`, `module.net.subnet_ids.public`) picks, among
    /// the `count`/`for_each` instances the output names, the one with that key.
    func resolve(reference: String, in module: String, depth: Int = 0) -> [String] {
        guard depth < 16 else { return [] }
        let parts = TFDocument.referenceParts(reference)
        guard parts.count >= 2 else { return [] }
        switch parts[0] {
        case "var":
            let variable = parts[1].split(separator: "[").first.map(String.init) ?? parts[1]
            guard let m = modules[module], let parent = m.parent, let call = m.callName,
                  let expression = modules[parent]?.json?["module_calls"]?[call]?["expressions"]?[variable] else { return [] }
            let found = references(expression).flatMap { resolve(reference: $0, in: parent, depth: depth + 1) }
            return TFDocument.pick(found, key: TFDocument.instanceKey(parts[1]) ?? (parts.count > 2 ? parts[2] : nil))
        case "module":
            guard parts.count >= 3 else { return [] }
            let callName = parts[1].split(separator: "[").first.map(String.init) ?? parts[1]
            let output = parts[2].split(separator: "[").first.map(String.init) ?? parts[2]
            let child = module.isEmpty ? "module.\(callName)" : "\(module).module.\(callName)"
            guard let expression = modules[child]?.json?["outputs"]?[output]?["expression"] else { return [] }
            let found = references(expression).flatMap { resolve(reference: $0, in: child, depth: depth + 1) }
            return TFDocument.pick(found, key: TFDocument.instanceKey(parts[2]) ?? (parts.count > 3 ? parts[3] : nil))
        case "local", "each", "count", "path", "terraform", "self":
            return []
        case "data":
            // A data source the document read: its address (its values are in dataSources).
            guard parts.count >= 3 else { return [] }
            let prefix = module.isEmpty ? "" : module + "."
            let exact = prefix + "data." + parts[1] + "." + parts[2]
            // One read only at apply has no values yet: it names nothing.
            return dataSources.contains(where: { $0.address == exact && $0.string("id") != nil }) ? [exact] : []
        default:
            let type = parts[0]
            let name = parts[1]
            let prefix = module.isEmpty ? "" : module + "."
            let exact = prefix + type + "." + name
            if byAddress[exact] != nil { return [exact] }
            // count/for_each instances: the reference names them all unless it indexes one.
            let base = TFDocument.stripIndexes(exact)
            let instances = resources.filter { TFDocument.stripIndexes($0.address) == base && $0.address.hasPrefix(prefix) }
            if name.contains("[") {
                return instances.filter { $0.address.hasSuffix(name) }.map(\.address)
            }
            return instances.map(\.address)
        }
    }

    /// Among several `count`/`for_each` instances, the one with index `key` (all of them if none has it).
    static func pick(_ addresses: [String], key: String?) -> [String] {
        guard let key, addresses.count > 1 else { return addresses }
        let unquoted = key.hasPrefix("\"") && key.hasSuffix("\"") && key.count >= 2 ? String(key.dropFirst().dropLast()) : key
        let matching = addresses.filter { instanceKey($0) == unquoted }
        return matching.isEmpty ? addresses : matching
    }

    /// The `references` of an expression (empty for constants).
    ///
    /// Terraform lists a traversal with each of its prefixes (`aws_subnet.a[0].id`, `aws_subnet.a[0]`,
    /// `aws_subnet.a`); a prefix of a longer reference in the same list is dropped, so that `aws_subnet.a[0].id`
    /// does not also name every instance of `aws_subnet.a`.
    func references(_ expression: JSONCursor) -> [String] {
        let all = expression["references"]?.elements.compactMap(\.stringValue) ?? []
        return all.filter { r in !all.contains { $0 != r && ($0.hasPrefix(r + ".") || $0.hasPrefix(r + "[")) } }
    }
}
