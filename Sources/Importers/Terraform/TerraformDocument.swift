// Reading `terraform show -json` output: resources of a plan (planned values + what is unknown until apply) or
// of a state, across child modules, and references through the `configuration` section.

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
    var modules: [String: TFModuleConfig] = [:]
    var isPlan = false
    /// The AWS provider's region when the configuration names it as a constant.
    var region: String?

    init(_ root: JSONCursor) throws(JSONError) {
        _ = try root.object()
        guard root["format_version"] != nil || root["terraform_version"] != nil else {
            throw root.error("not a Terraform JSON document (no 'format_version'): expected the output of 'terraform show -json'")
        }
        var unknowns: [String: JSONCursor] = [:]
        if let planned = try root.object("planned_values") {
            isPlan = true
            for change in try root.array("resource_changes") {
                guard let address = try change.object().string("address"), let c = try change.object("change") else { continue }
                if let u = c["after_unknown"] { unknowns[address] = u }
            }
            if let rm = try planned.object("root_module") { try collect(rm, unknowns) }
        } else if let values = try root.object("values") {
            if let rm = try values.object("root_module") { try collect(rm, unknowns) }
        } else {
            throw root.error("neither 'planned_values' (a plan) nor 'values' (a state): an empty state or not 'terraform show -json' output")
        }
        if let config = try root.object("configuration") {
            if let rm = try config.object("root_module") { indexModules(rm, address: "", parent: nil, callName: nil) }
            region = config["provider_config"]?["aws"]?["expressions"]?["region"]?["constant_value"]?.stringValue
        }
    }

    private mutating func collect(_ module: JSONCursor, _ unknowns: [String: JSONCursor]) throws(JSONError) {
        for r in try module.array("resources") {
            _ = try r.object()
            guard let address = try r.string("address"), let type = try r.string("type"), let name = try r.string("name") else {
                throw r.error("resource without 'address', 'type' or 'name'")
            }
            if let mode = try r.string("mode"), mode != "managed" { continue }
            guard let values = try r.object("values") else { continue }
            let moduleAddress = address.hasPrefix("module.") ? TFDocument.moduleOf(address) : ""
            byAddress[address] = resources.count
            resources.append(TFResource(address: address, type: type, module: moduleAddress, configAddress: type + "." + name,
                                        values: values, unknown: unknowns[address]))
        }
        for child in try module.array("child_modules") { try collect(try child.object(), unknowns) }
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

    /// The configuration expression of `attribute` of `resource` (`{"references": […]}` or `{"constant_value": …}`).
    func expression(_ resource: TFResource, _ attribute: String) -> JSONCursor? {
        // Module instances (`module.x[0]`) share the configuration of `module.x`.
        let module = TFDocument.stripIndexes(resource.module)
        guard let config = modules[module]?.json else { return nil }
        for r in config["resources"]?.elements ?? [] where r["address"]?.stringEquals(resource.configAddress) == true {
            return r["expressions"]?[attribute]
        }
        return nil
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
    func resolve(reference: String, in module: String, depth: Int = 0) -> [String] {
        guard depth < 16 else { return [] }
        let parts = reference.split(separator: ".").map(String.init)
        guard parts.count >= 2 else { return [] }
        switch parts[0] {
        case "var":
            guard let m = modules[module], let parent = m.parent, let call = m.callName,
                  let expression = modules[parent]?.json?["module_calls"]?[call]?["expressions"]?[parts[1]] else { return [] }
            return references(expression).flatMap { resolve(reference: $0, in: parent, depth: depth + 1) }
        case "module":
            guard parts.count >= 3 else { return [] }
            let callName = parts[1].split(separator: "[").first.map(String.init) ?? parts[1]
            let child = module.isEmpty ? "module.\(callName)" : "\(module).module.\(callName)"
            guard let expression = modules[child]?.json?["outputs"]?[parts[2]]?["expression"] else { return [] }
            return references(expression).flatMap { resolve(reference: $0, in: child, depth: depth + 1) }
        case "data", "local", "each", "count", "path", "terraform", "self":
            return []
        default:
            let type = parts[0]
            let name = parts[1]
            let prefix = module.isEmpty ? "" : module + "."
            let exact = prefix + type + "." + name
            if byAddress[exact] != nil { return [exact] }
            // count/for_each instances: the reference names them all unless it indexes one.
            let instances = resources.filter { TFDocument.stripIndexes($0.address) == TFDocument.stripIndexes(exact) && $0.address.hasPrefix(prefix) }
            if name.contains("[") {
                return instances.filter { $0.address.hasSuffix(name) }.map(\.address)
            }
            return instances.map(\.address)
        }
    }

    /// The `references` of an expression (empty for constants).
    func references(_ expression: JSONCursor) -> [String] {
        expression["references"]?.elements.compactMap(\.stringValue) ?? []
    }
}
