import Generators
import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// ``DiffScope`` where a change's effect reaches beyond its own subnets: a route in the table of a subnet that
/// forwards (a TGW attachment's, a NAT gateway's), a block holding a NAT gateway's address (its clients, not
/// everyone), with hub routes that make an attachment deliver into other blocks or a NAT gateway serve the whole
/// hub (centralised egress). Each scoped diff is compared with the full comparison (`--every-pair`, one
/// `connections` per pair).
@Suite struct DiffScopeTests {
    enum Mutation: CaseIterable {
        case routeInAttachmentSubnet, routeInNATSubnet, routeToNATBlock, sgRuleNATBlock, naclRuleNATBlock, association
    }

    /// A small generated topology (3 VPCs, public subnets with a NAT gateway each, private subnets holding the
    /// hub's attachments); by `seed % 3`: as generated, with the hub sending `0.0.0.0/0` to one VPC's attachment
    /// (whose subnets route it to their NAT gateways: centralised egress), or with the hub sending another VPC's
    /// subnet block to it.
    static func random(_ seed: UInt64) throws -> Topology {
        var t = TopologyGenerator(seed: seed, vpcs: 3, subnetsPerVPC: 4, instances: 12, securityGroups: 5, peerings: 1,
                                  transitGateway: true, zones: 2).generate()
        guard !t.transitGateways.isEmpty, !t.transitGateways[0].routeTables.isEmpty else { return t }
        let k = Int(seed / 3 % 3)
        switch seed % 3 {
        case 1:
            t.transitGateways[0].routeTables[0].routes.append(
                TGWRoute(destination: .cidr(try IPPrefix(parsing: "0.0.0.0/0")), target: .attachment("v\(k)-att")))
        case 2:
            let other = t.vpcs[(k + 1) % t.vpcs.count]
            t.transitGateways[0].routeTables[0].routes.append(
                TGWRoute(destination: .cidr(.v4(other.subnets[2].cidr)), target: .attachment("v\(k)-att")))
        default: break
        }
        return t
    }

    /// Blocks a change names: another VPC's block (it holds that VPC's NAT gateways' addresses), a NAT gateway's
    /// private or elastic address, a subnet, an instance, the hub's and the internet's ranges.
    static func blocks(_ t: Topology, _ rng: inout SplitMix64) -> [String] {
        let other = t.vpcs[Int(rng.next() % UInt64(t.vpcs.count))]
        var out = ["0.0.0.0/0", "10.0.0.0/8", other.cidrs[0].description]
        for n in other.natGateways {
            if let ip = n.privateIP { out += ["\(ip)/32", "\(ip)/32"] }
            if case .public(let eip?) = n.connectivity { out.append("\(eip)/32") }
        }
        out += other.subnets.map(\.cidr.description) + other.instances.map { "\($0.interfaces[0].privateIP)/32" }
        return out
    }

    static func mutate(_ t: Topology, _ kind: Mutation, _ rng: inout SplitMix64) -> Topology? {
        var t = t
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
        let v = pick(t.vpcs.count)
        let all = blocks(t, &rng)
        let nat = all.filter { b in t.vpcs.contains { $0.natGateways.contains { n in n.privateIP.map { "\($0)/32" } == b } } }
        guard let block = try? IPPrefix(parsing: Substring(all[pick(all.count)])) else { return nil }
        let natBlock = nat.isEmpty ? block : (try? IPPrefix(parsing: Substring(nat[pick(nat.count)]))) ?? block
        let port: UInt16 = [22, 443, 8080][pick(3)]
        /// The tables of the subnets holding `holds`.
        func tables(holding subnets: Set<String>) -> [Int] {
            t.vpcs[v].routeTables.indices.filter { !Set(t.vpcs[v].routeTables[$0].associations).isDisjoint(with: subnets) }
        }
        func changeRoute(_ r: Int, _ b: IPPrefix) {
            var routes = t.vpcs[v].routeTables[r].routes
            if pick(3) == 0, !routes.isEmpty {
                routes.remove(at: pick(routes.count))
            } else {
                routes.removeAll { $0.destination == .cidr(b) }
                let targets: [Route.Target] = [.blackhole, .named("hub")] + t.vpcs[v].natGateways.map { .named($0.name) }
                routes.append(Route(destination: .cidr(b), target: targets[pick(targets.count)]))
            }
            t.vpcs[v].routeTables[r].routes = routes
        }
        switch kind {
        case .routeInAttachmentSubnet:
            let attached = Set(t.transitGateways.flatMap(\.attachments).filter { $0.vpc == t.vpcs[v].name }.flatMap(\.subnets))
            let candidates = tables(holding: attached)
            guard !candidates.isEmpty else { return nil }
            changeRoute(candidates[pick(candidates.count)], pick(2) == 0 ? natBlock : block)
        case .routeInNATSubnet:
            let candidates = tables(holding: Set(t.vpcs[v].natGateways.map(\.subnet)))
            guard !candidates.isEmpty else { return nil }
            changeRoute(candidates[pick(candidates.count)], pick(2) == 0 ? natBlock : block)
        case .routeToNATBlock:
            guard !t.vpcs[v].routeTables.isEmpty else { return nil }
            changeRoute(pick(t.vpcs[v].routeTables.count), natBlock)
        case .sgRuleNATBlock:
            guard !t.vpcs[v].securityGroups.isEmpty else { return nil }
            let g = pick(t.vpcs[v].securityGroups.count)
            let rule = SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port), peer: .cidr(natBlock))
            if pick(2) == 0 { t.vpcs[v].securityGroups[g].ingress.append(rule) } else { t.vpcs[v].securityGroups[g].egress = [rule] }
        case .naclRuleNATBlock:
            guard !t.vpcs[v].networkACLs.isEmpty else { return nil }
            let a = pick(t.vpcs[v].networkACLs.count)
            let rule = NetworkACLRule(number: [50, 105][pick(2)], action: pick(2) == 0 ? .allow : .deny, ipProtocol: .tcp,
                                      ports: PortRange(port), cidr: natBlock)
            if pick(2) == 0 {
                t.vpcs[v].networkACLs[a].inbound.removeAll { $0.number == rule.number }
                t.vpcs[v].networkACLs[a].inbound.append(rule)
                t.vpcs[v].networkACLs[a].inbound.sort { $0.number < $1.number }
            } else {
                t.vpcs[v].networkACLs[a].outbound.removeAll { $0.number == rule.number }
                t.vpcs[v].networkACLs[a].outbound.append(rule)
                t.vpcs[v].networkACLs[a].outbound.sort { $0.number < $1.number }
            }
        case .association:
            // A subnet moves to another table of its VPC.
            let tables = t.vpcs[v].routeTables
            guard tables.count >= 2 else { return nil }
            let from = pick(tables.count)
            guard let subnet = tables[from].associations.first else { return nil }
            let to = (from + 1 + pick(tables.count - 1)) % tables.count
            t.vpcs[v].routeTables[from].associations.removeAll { $0 == subnet }
            t.vpcs[v].routeTables[to].associations.append(subnet)
        }
        return t
    }

    /// The property: the scoped diff equals the full comparison for every mutation, and the forwarding-subnet and
    /// NAT-block changes are mostly compared in a restricted scope (the path this suite is about).
    @Test func scopedDiffEqualsTheFullComparisonBeyondOwnSubnets() throws {
        var compared = 0, changed = 0
        var restricted: [String: Int] = [:], byKind: [String: Int] = [:], tried: [String: Int] = [:]
        for seed in 0..<96 {
            var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 11)
            let old = try Self.random(UInt64(seed))
            #expect(TopologyValidator.validate(old).filter { $0.severity == .error }.isEmpty, "seed \(seed)")
            let kind = Mutation.allCases[seed % Mutation.allCases.count]
            guard let new = Self.mutate(old, kind, &rng), new != old else { continue }
            guard TopologyValidator.validate(new).filter({ $0.severity == .error }).isEmpty else { continue }
            let a = CompiledTopology(old), b = CompiledTopology(new)
            let traffic = seed % 4 == 0 ? QuestionTraffic() : try #require(QuestionTraffic(parsing: "tcp"))
            let scoped = ConnectionDiff.compare(old: a, new: b, traffic: traffic)
            let full = ConnectionDiff.compare(old: a, new: b, traffic: traffic, mode: .full, byLoop: true)
            compared += 1
            tried["\(kind)", default: 0] += 1
            #expect(scoped.opened == full.opened, "seed \(seed) \(kind): opened (scope: \(scoped.scope.fullReason ?? "restricted"))")
            #expect(scoped.closed == full.closed, "seed \(seed) \(kind): closed (scope: \(scoped.scope.fullReason ?? "restricted"))")
            if !full.isEmpty { changed += 1; byKind["\(kind)", default: 0] += 1 }
            if !scoped.scope.isFull { restricted["\(kind)", default: 0] += 1 }
        }
        #expect(compared >= 80, "compared: \(compared) \(tried)")
        #expect(changed >= 30, "changed a connection: \(changed) \(byKind)")
        #expect(byKind.count >= 5, "kinds that changed something: \(byKind)")
        for kind in [Mutation.routeInAttachmentSubnet, .routeInNATSubnet, .routeToNATBlock, .sgRuleNATBlock] {
            #expect(restricted["\(kind)", default: 0] * 3 >= tried["\(kind)", default: 0] * 2, "\(kind): restricted \(restricted) of \(tried)")
        }
    }

    /// The benchmark's case in small: a blackhole for another VPC's block (holding its NAT gateways' addresses) in
    /// the table of the subnet holding the VPC's TGW attachment. The hub delivers only the VPC's own block there, so
    /// the scope is the table's parties against the block's (and the NAT gateways' clients) — no party against
    /// everyone — and the answer is the full comparison's.
    @Test func blackholeInAttachmentSubnetStaysNarrow() throws {
        let old = try Self.random(0)
        var new = old
        let table = try #require(new.vpcs[0].routeTables.firstIndex { $0.associations.contains("v0-prv-2") })
        new.vpcs[0].routeTables[table].routes.append(Route(destination: .cidr(.v4(old.vpcs[2].cidrs[0])), target: .blackhole))
        let a = CompiledTopology(old), b = CompiledTopology(new)
        let scope = DiffScope.of(old: a, new: b)
        #expect(scope.fullReason == nil)
        #expect(scope.affectedSources.isEmpty && scope.affectedDestinations.isEmpty)
        let destinations = Set(scope.rectangles.flatMap(\.destinations))
        #expect(destinations.contains(DiffPartyKey(kind: .interface, name: old.vpcs[2].instances[0].name)))
        #expect(!destinations.contains(DiffPartyKey(kind: .interface, name: old.vpcs[1].instances[0].name)))
        let scoped = ConnectionDiff.compare(old: a, new: b, traffic: QuestionTraffic())
        let full = ConnectionDiff.compare(old: a, new: b, traffic: QuestionTraffic(), mode: .full, byLoop: true)
        #expect(!full.isEmpty)
        #expect(scoped.opened == full.opened && scoped.closed == full.closed)
        #expect(scoped.scope.askedPairs < full.scope.askedPairs / 4, "asked \(scoped.scope.askedPairs) of \(full.scope.askedPairs)")
        // With the hub sending 0.0.0.0/0 to vpc-2's attachment, whose subnets route it to their NAT gateways, anyone
        // on the hub may be behind those gateways: the table's parties are compared against everyone, and the
        // answer stays exact.
        var hub = old
        hub.transitGateways[0].routeTables[0].routes.append(TGWRoute(destination: .cidr(try IPPrefix(parsing: "0.0.0.0/0")), target: .attachment("v2-att")))
        var hubNew = hub
        hubNew.vpcs[0].routeTables[table].routes = new.vpcs[0].routeTables[table].routes
        let c = CompiledTopology(hub), d = CompiledTopology(hubNew)
        let wide = DiffScope.of(old: c, new: d)
        #expect(wide.fullReason == nil)
        #expect(wide.affectedSources.contains(DiffPartyKey(kind: .interface, name: old.vpcs[0].instances[2].name)))
        let wideScoped = ConnectionDiff.compare(old: c, new: d, traffic: QuestionTraffic())
        let wideFull = ConnectionDiff.compare(old: c, new: d, traffic: QuestionTraffic(), mode: .full, byLoop: true)
        #expect(wideScoped.opened == wideFull.opened && wideScoped.closed == wideFull.closed)
    }
}
