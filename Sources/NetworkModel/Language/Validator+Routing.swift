// Validation of route tables, their targets, peerings and transit gateways.
import IPAddressing
import Reporting

extension Validation {
    // MARK: Route tables

    mutating func checkRouteTables(_ vpc: VPC, index: Int) {
        var mainTable: RouteTable? = nil
        var associated = NameMap<String>()
        for t in vpc.routeTables {
            if t.isMain {
                if let m = mainTable {
                    error(.onePerVPC, "vpc '\(vpc.name)' already has main route table '\(m.name)'", at: t.location, word: "main",
                          hint: "a VPC has exactly one main table")
                } else { mainTable = t }
            }
            for s in t.associations {
                guard resolve(s, as: Validation.subnetKind, what: "subnet", inVPC: index, at: t.location) else { continue }
                if let other = associated[s] {
                    let message = other == t.name ? "subnet '\(s)' is listed twice in route table '\(other)'"
                        : "subnet '\(s)' is already associated with route table '\(other)'"
                    error(.duplicateAssociation, message, at: t.location, word: s,
                          hint: "a subnet has at most one route table")
                } else { associated.set(t.name, for: s) }
            }
            var destinations = SmallSet<RouteDestination>(expected: t.routes.count)
            for r in t.routes {
                if !destinations.insert(r.destination) {
                    error(.duplicateRoute, "route table '\(t.name)' already has a route to \(r.destination)", at: r.location,
                          word: r.destination.description)
                }
                checkDestination(r.destination, at: r.location)
                checkRouteTarget(r, vpc: vpc, index: index)
            }
        }
    }

    mutating func checkDestination(_ d: RouteDestination, at location: SourceLocation) {
        if case .prefixList(let pl) = d {
            resolve(pl, as: Validation.prefixListKind, what: "prefix list", inVPC: nil, at: location)
        }
    }

    /// Targets a route in VPC `index` may name (for suggestions).
    func routeTargets(vpc: VPC, index: Int) -> [String] {
        var out: [String] = []
        if let g = vpc.internetGateway { out.append(g.name) }
        if let g = vpc.egressOnlyGateway { out.append(g.name) }
        if let g = vpc.vpnGateway { out.append(g.name) }
        out += vpc.natGateways.map(\.name) + vpc.instances.map(\.name)
        out += topology.peerings.filter { $0.requester == vpc.name || $0.accepter == vpc.name }.map(\.name)
        out += topology.transitGateways.filter { $0.attachments.contains { $0.vpc == vpc.name } }.map(\.name)
        return out
    }

    mutating func checkRouteTarget(_ r: Route, vpc: VPC, index: Int) {
        guard case .named(let target) = r.target else { return }
        let isIPv6: Bool? = {
            if case .cidr(let p) = r.destination { return p.family == .ipv6 }
            return nil
        }()
        // `instance.interface`
        var lookup = target
        var interface: String? = nil
        if names[target] == nil, let dot = target.lastIndex(of: "."), names[String(target[..<dot])]?.kind == .instance {
            lookup = String(target[..<dot])
            interface = String(target[target.index(after: dot)...])
        }
        guard let entry = names[lookup] else {
            if checkEdgeRouteTarget(r, target: target, vpc: vpc, index: index, isIPv6: isIPv6) { return }
            error(.unknownName, "unknown route target '\(target)'", at: r.location, word: target,
                  hint: didYouMean(target, routeTargets(vpc: vpc, index: index) + ["local", "blackhole"]))
            return
        }
        switch entry.kind {
        case .internetGateway, .egressOnlyGateway, .natGateway, .instance:
            if entry.owner != index {
                error(.wrongOwner, "route target '\(target)' is a \(entry.kind.rawValue) in vpc '\(vpcName(entry.owner))', not in vpc '\(vpc.name)'",
                      at: r.location, word: target, hint: didYouMean(target, routeTargets(vpc: vpc, index: index)))
                return
            }
            if entry.kind == .egressOnlyGateway, isIPv6 == false {
                error(.routeTarget, "egress-only gateway '\(target)' routes only IPv6 destinations", at: r.location, word: target)
            }
            if entry.kind == .natGateway, isIPv6 == true,
               case .cidr(let p) = r.destination, p != (try? IPPrefix("64:ff9b::/96")) {
                error(.routeTarget, "NAT gateway '\(target)' takes IPv6 only as NAT64 (64:ff9b::/96)", at: r.location, word: target)
            }
            if entry.kind == .instance, let interface,
               let inst = vpc.instances.first(where: { $0.name == lookup }),
               !inst.interfaces.contains(where: { $0.name == interface }) {
                error(.unknownInterface, "instance '\(lookup)' has no interface '\(interface)'", at: r.location, word: target,
                      hint: didYouMean(interface, inst.interfaces.map(\.name)))
            }
        case .peering:
            // The entry holds the first peering of that name (the one a search by name finds).
            if entry.position < topology.peerings.count, case let p = topology.peerings[entry.position],
               p.requester != vpc.name, p.accepter != vpc.name {
                error(.wrongOwner, "peering '\(target)' joins '\(p.requester)' and '\(p.accepter)', not vpc '\(vpc.name)'", at: r.location,
                      word: target)
            }
        case .transitGateway:
            if entry.owner < attachedVPCNames.count, attachedVPCNames[entry.owner][vpc.name] == nil {
                error(.wrongOwner, "transit gateway '\(target)' has no attachment in vpc '\(vpc.name)'", at: r.location, word: target,
                      hint: "add 'attachment NAME vpc \(vpc.name) subnets …' to the transit gateway")
            }
        default:
            error(.wrongKind, "route target '\(target)' is a \(entry.kind.rawValue)", at: r.location, word: target,
                  hint: "a route targets a gateway, NAT gateway, peering, transit gateway, instance, 'local' or 'blackhole'")
        }
    }

    // MARK: Peerings and transit gateways

    mutating func checkPeerings() {
        var pairs: [String: String] = [:]
        for p in topology.peerings {
            let a = resolve(p.requester, as: [.vpc], what: "VPC", inVPC: nil, at: p.location)
            let b = resolve(p.accepter, as: [.vpc], what: "VPC", inVPC: nil, at: p.location)
            guard a, b, let va = names[p.requester].map({ topology.vpcs[$0.owner] }),
                  let vb = names[p.accepter].map({ topology.vpcs[$0.owner] }) else { continue }
            if p.requester == p.accepter {
                error(.badPeering, "peering '\(p.name)' joins vpc '\(p.requester)' with itself", at: p.location, word: p.accepter)
                continue
            }
            let key = min(p.requester, p.accepter) + "\u{0}" + max(p.requester, p.accepter)
            if let other = pairs[key] {
                error(.badPeering, "vpcs '\(p.requester)' and '\(p.accepter)' are already peered by '\(other)'", at: p.location, word: p.name,
                      hint: "AWS allows one peering connection per pair of VPCs")
            } else { pairs[key] = p.name }
            for x in va.cidrs {
                for y in vb.cidrs where x.overlaps(y) {
                    error(.badPeering, "peered VPCs overlap: '\(va.name)' \(x) and '\(vb.name)' \(y)", at: p.location, word: p.name,
                          hint: "VPC peering needs disjoint IPv4 blocks")
                }
            }
            for x in va.ipv6Cidrs {
                for y in vb.ipv6Cidrs where x.overlaps(y) {
                    error(.badPeering, "peered VPCs overlap: '\(va.name)' \(x) and '\(vb.name)' \(y)", at: p.location, word: p.name)
                }
            }
        }
    }

    mutating func checkTransitGateway(_ tgw: TransitGateway, index: Int) {
        for a in tgw.attachments {
            if a.kind != .vpc { checkEdgeAttachment(a, tgw: tgw, index: index); continue }
            guard resolve(a.vpc, as: [.vpc], what: "VPC", inVPC: nil, at: a.location), let entry = names[a.vpc] else { continue }
            let vpc = topology.vpcs[entry.owner]
            if a.subnets.isEmpty {
                error(.badAttachment, "attachment '\(a.name)' names no subnets", at: a.location, word: a.name,
                      hint: "write 'subnets SUBNET…' (one subnet per availability zone)")
            }
            var byZone: [String: String] = [:]
            for s in a.subnets {
                guard resolve(s, as: [.subnet], what: "subnet", inVPC: entry.owner, at: a.location),
                      let subnet = subnet(s, in: vpc) else { continue }
                let zone = subnet.availabilityZone ?? ""
                if let other = byZone[zone] {
                    error(.badAttachment, "attachment '\(a.name)' already has subnet '\(other)' in \(zone.isEmpty ? "the same availability zone" : "availability zone \(zone)")",
                          at: a.location, word: s, hint: "a transit gateway attachment has at most one subnet per availability zone")
                } else { byZone[zone] = s }
            }
        }
        var associations: [String: String] = [:]
        let own = tgw.attachments.map(\.name)
        for t in tgw.routeTables {
            for a in t.associations + t.propagations {
                guard resolveAttachment(a, tgw: tgw, index: index, at: t.location, own: own) else { continue }
            }
            if hasEdges { for a in t.propagations { checkPropagation(a, tgw: tgw, table: t) } }
            for a in t.associations {
                if let other = associations[a] {
                    let message = other == t.name ? "attachment '\(a)' is listed twice in route table '\(other)'"
                        : "attachment '\(a)' is already associated with route table '\(other)'"
                    error(.duplicateAssociation, message, at: t.location, word: a,
                          hint: "an attachment is associated with at most one transit gateway route table")
                } else { associations[a] = t.name }
            }
            var destinations = Set<RouteDestination>()
            for r in t.routes {
                if !destinations.insert(r.destination).inserted {
                    error(.duplicateRoute, "route table '\(t.name)' already has a route to \(r.destination)", at: r.location, word: r.destination.description)
                }
                checkDestination(r.destination, at: r.location)
                if case .attachment(let a) = r.target { _ = resolveAttachment(a, tgw: tgw, index: index, at: r.location, own: own) }
            }
        }
    }

    mutating func resolveAttachment(_ a: String, tgw: TransitGateway, index: Int, at location: SourceLocation, own: [String]) -> Bool {
        guard let entry = names[a] else {
            error(.unknownName, "unknown attachment '\(a)'", at: location, word: a, hint: didYouMean(a, own))
            return false
        }
        guard entry.kind == .tgwAttachment else {
            error(.wrongKind, "'\(a)' is a \(entry.kind.rawValue), not a transit gateway attachment", at: location, word: a, hint: didYouMean(a, own))
            return false
        }
        guard entry.owner == index else {
            error(.wrongOwner, "attachment '\(a)' belongs to transit gateway '\(topology.transitGateways[entry.owner].name)'", at: location, word: a)
            return false
        }
        return true
    }
}
