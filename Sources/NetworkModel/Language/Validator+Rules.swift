// Validation of security groups, network ACLs, prefix lists and assert lines.
import IPAddressing
import Reporting

extension Validation {
    // MARK: Security groups and NACLs

    mutating func checkSecurityGroups(_ vpc: VPC, index: Int) {
        // One default group: the one marked `default` (a group named `default` is the default without a marker).
        var marked: SecurityGroup? = nil
        for g in vpc.securityGroups where g.isDefault {
            if let m = marked {
                error(.onePerVPC, "vpc '\(vpc.name)' already has default security group '\(m.name)'", at: g.location, word: "default",
                      hint: "a VPC has one default security group; remove 'default' from one of them")
            } else { marked = g }
        }
        if let m = marked, let named = vpc.securityGroups.first(where: { $0.name == "default" && !$0.isDefault }) {
            error(.onePerVPC, "security group 'default' is not vpc '\(vpc.name)''s default group, which is '\(m.name)'", at: named.location,
                  word: "default", hint: "mark it 'security-group default default' and remove 'default' from '\(m.name)', or rename it")
        }
        for g in vpc.securityGroups {
            for rule in g.ingress + (g.egress ?? []) {
                switch rule.peer {
                case .cidr: break
                case .prefixList(let pl):
                    resolve(pl, as: Validation.prefixListKind, what: "prefix list", inVPC: nil, at: rule.location)
                case .securityGroup(let name):
                    guard resolve(name, as: Validation.securityGroupKind, what: "security group", inVPC: nil, at: rule.location),
                          let entry = names[name], entry.owner != index else { continue }
                    let other = topology.vpcs[entry.owner]
                    let peered = topology.peerings.contains {
                        ($0.requester == vpc.name && $0.accepter == other.name) || ($0.accepter == vpc.name && $0.requester == other.name)
                    }
                    let viaTGW = topology.transitGateways.contains { t in
                        t.securityGroupReferencing && t.attachments.contains { $0.vpc == vpc.name }
                            && t.attachments.contains { $0.vpc == other.name }
                    }
                    if !peered && !viaTGW {
                        error(.wrongOwner, "security group '\(name)' is in vpc '\(other.name)', which is neither vpc '\(vpc.name)' nor peered with it",
                              at: rule.location, word: name,
                              hint: "a rule may reference groups of its own VPC, a peered VPC, or a VPC on a transit gateway with 'sg-referencing'")
                    } else if peered, vpc.region != other.region {
                        error(.wrongOwner, "security group '\(name)' is in another region ('\(other.region ?? "?")')", at: rule.location, word: name,
                              hint: "peered security-group references work only within one region")
                    }
                }
            }
        }
    }

    mutating func checkNetworkACLs(_ vpc: VPC, index: Int) {
        var associated = NameMap<String>()
        var marked: NetworkACL? = nil
        for a in vpc.networkACLs where a.isDefault {
            if let m = marked {
                error(.onePerVPC, "vpc '\(vpc.name)' already has default network ACL '\(m.name)'", at: a.location, word: "default",
                      hint: "a VPC has one default network ACL; remove 'default' from one of them")
            } else { marked = a }
        }
        for a in vpc.networkACLs {
            for s in a.associations {
                guard resolve(s, as: Validation.subnetKind, what: "subnet", inVPC: index, at: a.location) else { continue }
                if let other = associated[s] {
                    let message = other == a.name ? "subnet '\(s)' is listed twice in network ACL '\(other)'"
                        : "subnet '\(s)' is already associated with network ACL '\(other)'"
                    error(.duplicateAssociation, message, at: a.location, word: s,
                          hint: "a subnet has exactly one network ACL")
                } else { associated.set(a.name, for: s) }
            }
            checkRuleNumbers(a.inbound, direction: "inbound")
            checkRuleNumbers(a.outbound, direction: "outbound")
        }
    }

    /// Rule numbers of one direction of a NACL: in range and unique.
    mutating func checkRuleNumbers(_ rules: [NetworkACLRule], direction: String) {
        // Rule lists are short: earlier numbers found by a linear search unless the list is long.
        var earlier: [(number: Int, line: Int)] = []
        var earlierByNumber: [Int: Int] = [:]
        let linear = rules.count <= 32
        if linear { earlier.reserveCapacity(rules.count) }
        for r in rules {
            if r.number < 1 || r.number > 32766 {
                error(.ruleNumber, "\(direction) rule number \(r.number) is outside 1...32766", at: r.location, word: String(r.number))
            } else if let line = linear ? earlier.first(where: { $0.number == r.number })?.line : earlierByNumber[r.number] {
                error(.ruleNumber, "\(direction) rule \(r.number) is already used\(line > 0 ? " at line \(line)" : "")", at: r.location,
                      word: String(r.number), hint: "rule numbers are unique per direction")
            } else if linear {
                earlier.append((r.number, r.location.line))
            } else {
                earlierByNumber[r.number] = r.location.line
            }
        }
    }

    // MARK: Prefix lists

    mutating func checkPrefixLists() {
        for list in topology.prefixLists {
            if let first = list.entries.first, let mixed = list.entries.first(where: { $0.family != first.family }) {
                error(.mixedPrefixList, "prefix list '\(list.name)' mixes IPv4 and IPv6 entries", at: list.location, word: mixed.description,
                      hint: "a managed prefix list holds one address family")
            }
        }
    }

    // MARK: Assertions

    mutating func checkAssertions() {
        for assertion in topology.assertions {
            if assertion.source.isInternet && assertion.destination.isInternet {
                error(.badEndpoint, "both ends of the assertion are the internet; name an instance, a subnet or an address at one end",
                      at: assertion.location, word: assertion.source.description)
            }
            for endpoint in [assertion.source, assertion.destination] {
                if case .internetBlock(let block) = endpoint { checkInternetBlock(block, endpoint, assertion); continue }
                if checkEdgeEndpoint(endpoint, assertion) { continue }
                guard case .named(let n) = endpoint else { continue }
                if let entry = names[n] {
                    if entry.kind != .instance && entry.kind != .subnet {
                        error(.wrongKind, "'\(n)' is a \(entry.kind.rawValue); an endpoint is an instance, 'instance.interface', a subnet, an address or 'internet'",
                              at: assertion.location, word: n)
                    }
                    continue
                }
                if let dot = n.lastIndex(of: "."), let entry = names[String(n[..<dot])], entry.kind == .instance {
                    let iname = String(n[n.index(after: dot)...])
                    let inst = topology.vpcs[entry.owner].instances.first { $0.name == String(n[..<dot]) }
                    if let inst, !inst.interfaces.contains(where: { $0.name == iname }) {
                        error(.unknownInterface, "instance '\(inst.name)' has no interface '\(iname)'", at: assertion.location, word: n,
                              hint: didYouMean(iname, inst.interfaces.map(\.name)))
                    }
                    continue
                }
                error(.unknownName, "unknown endpoint '\(n)'", at: assertion.location, word: n,
                      hint: didYouMean(n, candidates([.instance, .subnet]) + ["internet"]))
            }
        }
    }

    /// `internet:CIDR` must name public addresses: outside the non-public ranges (``PublicAddressSpace``) and
    /// every VPC block.
    mutating func checkInternetBlock(_ block: IPPrefix, _ endpoint: Endpoint, _ assertion: Assertion) {
        if !PublicAddressSpace.contains(block) {
            error(.badEndpoint, "'\(endpoint)' is not a public block: it holds private, shared, reserved or multicast addresses",
                  at: assertion.location, word: endpoint.description,
                  hint: "internet:CIDR narrows 'internet' to a block of public addresses")
            return
        }
        for vpc in topology.vpcs {
            let hit: String? = switch block {
            case .v4(let p): vpc.cidrs.first { $0.overlaps(p) }?.description
            case .v6(let p): vpc.ipv6Cidrs.first { $0.overlaps(p) }?.description
            }
            if let hit {
                error(.badEndpoint, "'\(endpoint)' overlaps block \(hit) of vpc '\(vpc.name)': not an internet address",
                      at: assertion.location, word: endpoint.description,
                      hint: "internet:CIDR narrows 'internet' to public addresses outside every VPC")
                return
            }
        }
    }
}
