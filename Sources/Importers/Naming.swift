// Topology names for imported resources: the `Name` tag (or Terraform name) made valid, unique across the
// topology, and the AWS id where there is no usable tag.

/// Assigns valid, unique topology names. Register every resource first, then ask for names.
struct NameAllocator {
    /// Words the language gives a meaning where names also appear; a resource is never called this.
    static let reserved: Set<String> = [
        "local", "blackhole", "internet", "main", "in", "sg", "ip", "az", "eip", "ipv6", "id", "vpc", "subnets",
        "region", "account", "assert", "interface", "associate", "propagate", "attachment", "route", "route-table",
        "secondary-ip", "public-ip", "source-dest-check", "map-public-ip", "appliance-mode", "sg-referencing",
        "peering", "transit-gateway", "prefix-list", "instance", "subnet", "cidr", "nat-gateway", "internet-gateway",
        "egress-only-gateway", "security-group", "network-acl", "ingress", "egress", "inbound", "outbound",
    ]

    private var candidates: [String: String] = [:]   // key → candidate
    private var order: [String] = []
    private var uses: [String: Int] = [:]
    private var assigned: [String: String]?

    /// Makes `text` a valid name: letters, digits, `-`, `_`; other runs become one `-`; trimmed.
    static func sanitize(_ text: String) -> String {
        var out = ""
        var lastDash = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let ok = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F || v == 0x2D
            if ok && v != 0x2D && !(v == 0x5F && out.isEmpty) {
                out.unicodeScalars.append(scalar)
                lastDash = false
            } else if !lastDash && !out.isEmpty {
                out.append("-")
                lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// Registers a resource under `key` (its id) with an optional tag name.
    mutating func register(key: String, tag: String?, fallback: String? = nil) {
        guard candidates[key] == nil else { return }
        var name = tag.map(NameAllocator.sanitize) ?? ""
        if name.isEmpty || NameAllocator.reserved.contains(name.lowercased()) { name = NameAllocator.sanitize(fallback ?? key) }
        if NameAllocator.reserved.contains(name.lowercased()) { name = NameAllocator.sanitize(key) }
        if name.isEmpty { name = "unnamed" }
        candidates[key] = name
        order.append(key)
        uses[name, default: 0] += 1
    }

    /// The final name of `key` (registering it with no tag if needed).
    mutating func name(_ key: String) -> String {
        if assigned == nil { resolve() }
        if let n = assigned?[key] { return n }
        register(key: key, tag: nil)
        resolve()
        return assigned?[key] ?? NameAllocator.sanitize(key)
    }

    private mutating func resolve() {
        var result: [String: String] = [:]
        var taken: Set<String> = []
        // Unique candidates first, so a suffixed name never steals a plain one.
        for key in order {
            guard let c = candidates[key], uses[c] == 1 else { continue }
            result[key] = c
            taken.insert(c)
        }
        for key in order where result[key] == nil {
            guard let c = candidates[key] else { continue }
            let idPart = NameAllocator.sanitize(key)
            var name = c == idPart ? c : c + "-" + idPart
            var n = 2
            while taken.contains(name) {
                name = c + "-" + idPart + "-\(n)"
                n += 1
            }
            result[key] = name
            taken.insert(name)
        }
        assigned = result
    }
}

/// The value of the `Name` tag in an AWS `Tags`/`TagSet` list.
func nameTag(_ object: JSONCursor) -> String? {
    let tags = object["Tags"] ?? object["TagSet"]
    guard let tags else { return nil }
    for tag in tags.elements where tag["Key"]?.stringEquals("Name") == true {
        return tag["Value"]?.stringValue
    }
    return nil
}
