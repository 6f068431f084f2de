import Reporting

// Validation of tags and policies (Docs/DSL.md "Tags", "Policies").

extension Validation {
    /// One value per tag key on each instance.
    mutating func checkTags() {
        for vpc in topology.vpcs {
            for instance in vpc.instances where instance.tags.count > 1 {
                var seen: [String: ResourceTag] = [:]
                for tag in instance.tags {
                    if let first = seen[tag.key] {
                        let place = first.location.line > 0 ? " at line \(first.location.line)" : ""
                        error(.duplicateTag, "instance '\(instance.name)' has tag key '\(tag.key)' twice", at: tag.location,
                              word: nil, hint: "AWS keeps one value per key; remove one (the first is '\(first.key)=\(first.value)'\(place))")
                    } else {
                        seen[tag.key] = tag
                    }
                }
            }
        }
    }

    /// Policy names are unique; each set's names resolve; a set that matches nothing is a warning.
    mutating func checkPolicies() {
        guard !topology.policies.isEmpty else { return }
        var seen: [String: SourceLocation] = [:]
        for policy in topology.policies {
            if let previous = seen[policy.name] {
                let place = previous.line > 0 ? " at line \(previous.line)" : ""
                error(.duplicateName, "duplicate policy name '\(policy.name)': already a policy\(place)", at: policy.location,
                      word: policy.name, hint: "policy names are unique")
            } else {
                seen[policy.name] = policy.location
            }
            for set in policy.sources + policy.destinations { checkSet(set) }
        }
    }

    mutating func checkSet(_ set: EndpointSet) {
        let word = set.description
        func nothing(_ what: String) {
            error(.policyMatchesNothing, "endpoint set '\(set.plainText)' matches nothing: \(what)", at: set.location, word: word,
                  hint: "the policy holds vacuously for this set; check the spelling", severity: .warning)
        }
        let interfaces = topology.vpcs.lazy.flatMap { v in v.instances.lazy.flatMap(\.interfaces) }
        switch set.selector {
        case .internet: break
        case .onPremises(nil):
            if topology.onPremisesNetworks.isEmpty { nothing("the topology has no on-premises network") }
        case .onPremises(let n?):
            if !topology.onPremisesNetworks.contains(where: { $0.name == n }) {
                error(.unknownName, "unknown on-premises network '\(n)'", at: set.location, word: word,
                      hint: didYouMean(n, topology.onPremisesNetworks.map(\.name)) ?? "declare it with 'onprem \(n) { … }'")
            }
        case .vpc(let n):
            guard let e = resolvedEntry(n, as: [.vpc], what: "VPC", inVPC: nil, at: set.location) else { return }
            let v = topology.vpcs[e.owner]
            if v.instances.isEmpty && !v.endpoints.contains(where: { $0.kind == .interface }) { nothing("vpc '\(n)' has no instance or endpoint") }
        case .subnet(let n):
            guard resolve(n, as: [.subnet], what: "subnet", inVPC: nil, at: set.location) else { return }
            if !interfaces.contains(where: { $0.subnet == n })
                && !topology.vpcs.contains(where: { $0.endpoints.contains { $0.subnets.contains(n) } }) {
                nothing("no interface is in subnet '\(n)'")
            }
        case .securityGroup(let n):
            guard let e = resolvedEntry(n, as: [.securityGroup], what: "security group", inVPC: nil, at: set.location) else { return }
            let v = topology.vpcs[e.owner]
            let isDefault = v.securityGroups.first { $0.name == n }?.isDefault ?? false
            if !isDefault && !interfaces.contains(where: { $0.securityGroups.contains(n) })
                && !v.endpoints.contains(where: { $0.securityGroups.contains(n) }) {
                nothing("no interface is in security group '\(n)'")
            }
        case .tag(let k, let value):
            let any = topology.vpcs.contains { v in v.instances.contains { $0.tags.value(of: k) == value } }
            if !any { nothing("no instance has tag '\(k)=\(value)'") }
        case .namePattern(let p):
            if !partyNames().contains(where: { EndpointSet.matches($0, pattern: p) }) { nothing("no endpoint's name matches '\(p)'") }
        case .party(let n):
            if topology.vpcs.contains(where: { v in v.instances.contains { $0.name == n } || v.endpoints.contains { $0.name == n } }) { return }
            if let dot = n.lastIndex(of: "."), let entry = names[String(n[..<dot])], entry.kind == .instance {
                let iname = String(n[n.index(after: dot)...])
                let inst = topology.vpcs[entry.owner].instances.first { $0.name == String(n[..<dot]) }
                if let inst, !inst.interfaces.contains(where: { $0.name == iname }) {
                    error(.unknownInterface, "instance '\(inst.name)' has no interface '\(iname)'", at: set.location, word: word,
                          hint: didYouMean(iname, inst.interfaces.map(\.name)))
                }
                return
            }
            if let entry = names[n] {
                error(.wrongKind, "'\(n)' is a \(entry.kind.rawValue); a plain name in a policy is an instance, 'instance.interface' or an interface endpoint",
                      at: set.location, word: word, hint: entry.kind == .subnet ? "write 'subnet:\(n)'" : entry.kind == .securityGroup ? "write 'sg:\(n)'"
                          : entry.kind == .vpc ? "write 'vpc:\(n)'" : nil)
                return
            }
            let pool = candidates([.instance]) + topology.vpcs.flatMap { $0.endpoints.map(\.name) } + ["internet", "onprem"]
            error(.unknownName, "unknown endpoint '\(n)'", at: set.location, word: word,
                  hint: didYouMean(n, pool) ?? "a set is 'internet', 'onprem[:NAME]', 'vpc:NAME', 'subnet:NAME', 'sg:NAME', 'tag:KEY=VALUE', 'name:PATTERN' or a name")
        }
    }

    /// The names questions give their parties (instance interfaces, endpoint ENIs, the internet, on-premises
    /// networks), for `name:` patterns.
    func partyNames() -> [String] {
        var out = ["internet"]
        for v in topology.vpcs {
            for i in v.instances {
                for (k, e) in i.interfaces.enumerated() { out.append(k == 0 ? i.name : "\(i.name).\(e.name)") }
            }
            for e in v.endpoints where e.kind == .interface {
                for s in e.subnets { out.append("\(e.name)@\(s)") }
            }
        }
        for n in topology.onPremisesNetworks { out.append("onprem:\(n.name)") }
        return out
    }
}
