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
        // The edges' statement keywords (issue 18); their clause words (`vgw`, `tgw`, `static`, …) are not
        // reserved: resources are often called that (a Terraform `aws_ec2_transit_gateway.tgw`).
        "vpn-gateway", "edge-associate", "default-vpc", "customer-gateway", "vpn-connection", "dx-gateway", "dx-vif",
        "private-dns", "route-tables", "local-preference", "as-path",
    ]

    /// Key → slot; per slot its candidate name and, once resolved, its final name.
    private var slot: [String: Int] = [:]
    private var candidates: [String] = []
    private var keys: [String] = []
    private var final: [String] = []
    /// How many keys want each candidate.
    private var uses: [String: Int] = [:]
    private var resolved = false

    /// Makes `text` a valid name: letters, digits, `-`, `_`; other runs become one `-`; trimmed.
    static func sanitize(_ text: String) -> String {
        // Fast path: already valid (the usual case for ids and tidy tags).
        var valid = !text.isEmpty
        var previous: UInt8 = 0x2D
        for b in text.utf8 {
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
            if !ok || (b == 0x2D && previous == 0x2D) || (previous == 0x2D && b == 0x5F && valid && text.utf8.first == b) { valid = false; break }
            previous = b
        }
        if valid, previous != 0x2D, text.utf8.first != 0x5F { return text }
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

    /// Registers a resource under `key` (its id) with an optional tag name; `fallback` replaces an unusable tag.
    mutating func register(key: String, tag: String?, fallback: String? = nil) {
        guard slot[key] == nil else { return }
        var name = tag.map(NameAllocator.sanitize) ?? ""
        if name.isEmpty || NameAllocator.reserved.contains(name.lowercased()) { name = NameAllocator.sanitize(fallback ?? key) }
        if NameAllocator.reserved.contains(name.lowercased()) { name = NameAllocator.sanitize(key) }
        if name.isEmpty { name = "unnamed" }
        slot[key] = candidates.count
        candidates.append(name)
        keys.append(key)
        uses[name, default: 0] += 1
        if resolved { resolveFrom(candidates.count - 1) }
    }

    /// The final name of `key` (registering it with no tag if needed).
    mutating func name(_ key: String) -> String {
        if !resolved { resolveFrom(0) }
        if slot[key] == nil { register(key: key, tag: nil) }
        guard let i = slot[key], i < final.count else { return NameAllocator.sanitize(key) }
        return final[i]
    }

    /// Names slots `start…`: a candidate wanted once keeps it; shared candidates get the id appended.
    private mutating func resolveFrom(_ start: Int) {
        resolved = true
        var extra: Set<String> = []
        for i in start..<candidates.count {
            let c = candidates[i]
            if uses[c] == 1 {
                final.append(c)
                continue
            }
            let idPart = NameAllocator.sanitize(keys[i])
            var name = c == idPart ? c : c + "-" + idPart
            var n = 2
            while (uses[name] != nil && name != c) || extra.contains(name) {
                name = c + "-" + idPart + "-\(n)"
                n += 1
            }
            extra.insert(name)
            final.append(name)
        }
    }
}

/// The name a security group is registered under, as the console shows it: its `Name` tag, else its group
/// name (`launch-wizard-1`, `default`), else (nil) its id. Only the VPC's default group may be called `default`
/// (the language's legacy marker for the default group): a name that would sanitize to `default` on another
/// group is passed over for the next choice.
func securityGroupNameCandidate(tag: String?, groupName: String?, isDefault: Bool) -> String? {
    for candidate in [tag, groupName] {
        guard let candidate else { continue }
        let clean = NameAllocator.sanitize(candidate)
        if clean.isEmpty || NameAllocator.reserved.contains(clean.lowercased()) { continue }
        if !isDefault && clean.lowercased() == "default" { continue }
        return candidate
    }
    return nil
}

/// The value of the `Name` tag in an AWS `Tags`/`TagSet` list.
func nameTag(_ object: JSONCursor) -> String? {
    let tags = object["Tags"] ?? object["TagSet"]
    guard let tags else { return nil }
    var found: String?
    tags.forEachElement { tag in
        if found == nil, tag["Key"]?.stringEquals("Name") == true { found = tag["Value"]?.stringValue }
    }
    return found
}

/// What an AWS import named each resource it imported, by AWS id: the one id → topology-name map of the
/// importer (route targets, rule peers and interface groups name what they point at by id). A lookup says the
/// kind it expects, so an id written where another kind belongs (a hand-made snapshot's `NatGatewayId:
/// "sg-…"`) finds nothing, as it would in AWS. What a name then denotes in the model is NetworkModel's
/// resolver's business (Reconcile.swift); this map only remembers what was imported under which name.
struct ImportedNames {
    /// The kinds a snapshot refers to by id.
    enum Kind: UInt8, Hashable {
        case internetGateway, egressOnlyGateway, natGateway, peering, transitGateway, instance, prefixList, securityGroup
        /// A network interface: `instance` for an instance's primary interface, else `instance.ethN`.
        case interface
    }

    private struct Key: Hashable {
        var kind: Kind
        var id: String
    }

    private var names: [Key: String] = [:]

    /// The name the resource of `kind` with AWS id `id` was imported under; nil when it was not imported.
    subscript(kind: Kind, id: String) -> String? {
        get { names[Key(kind: kind, id: id)] }
        set { names[Key(kind: kind, id: id)] = newValue }
    }
}
