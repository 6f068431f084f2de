import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// Issue 16 point 4: a blocked `reach` lists every blocker in walk order, each with the smallest fix as a
/// statement of the language and the place it goes. Each kind of fix is applied to the topology text,
/// re-parsed and the query re-run: the blocker must be gone.
@Suite struct BlockerTests {
    /// The query's blockers on `text` (as `vpckit reach` computes them), with the verdict.
    static func blockers(_ text: String, _ from: String, _ to: String, _ t: String, file: String = "test.vpc",
                         sourcePorts: PortSet = .ephemeral,
                         sourceLocation: Testing.SourceLocation = #_sourceLocation) -> (Verdict, [Blocker]) {
        let c = compile(text, file: file, sourceLocation: sourceLocation)
        guard case .success(let s) = c.resolveQuery(from, side: .source), case .success(let d) = c.resolveQuery(to, side: .destination),
              case .success(let v) = c.reach(from: s, to: d, traffic: traffic(t), sourcePorts: sourcePorts) else {
            Issue.record("query did not resolve", sourceLocation: sourceLocation)
            return (Verdict.reachable(forwardPath: [], returnPath: [], sourcePorts: sourcePorts, notes: []), [])
        }
        return (v, c.blockers(for: v, from: s, to: d, traffic: traffic(t), sourcePorts: sourcePorts))
    }

    /// Applies `fix` to `text`; records an issue when the result does not load without errors.
    static func applied(_ fix: BlockerFix?, to text: String, file: String = "test.vpc",
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        guard let fix else { Issue.record("no fix", sourceLocation: sourceLocation); return nil }
        guard let changed = fix.apply(to: text) else { Issue.record("fix \(fix) does not apply", sourceLocation: sourceLocation); return nil }
        let (_, diagnostics) = TopologyLoader.load(changed, file: file)
        for d in diagnostics where d.severity == .error {
            Issue.record("after \(fix): \(d.rendered)\n\(changed)", sourceLocation: sourceLocation)
        }
        return changed
    }

    /// Applies each fix in turn and checks its blocker is gone; returns the final text.
    static func fixEach(_ text: String, _ from: String, _ to: String, _ t: String, file: String = "test.vpc",
                        sourcePorts: PortSet = .ephemeral,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        var text = text
        for _ in 0..<8 {
            let (v, list) = blockers(text, from, to, t, file: file, sourcePorts: sourcePorts, sourceLocation: sourceLocation)
            if v.isReachable { return text }
            guard let first = list.first, let changed = applied(first.fix, to: text, file: file, sourceLocation: sourceLocation) else { return text }
            let (_, after) = blockers(changed, from, to, t, file: file, sourcePorts: sourcePorts, sourceLocation: sourceLocation)
            #expect(!after.contains { $0.explanation == first.explanation }, "still blocked after \(first.fix.map(\.description) ?? "")",
                    sourceLocation: sourceLocation)
            text = changed
        }
        return text
    }

    static func threeTier() throws -> String { try #require(repositoryFile("Topologies/three-tier.vpc")) }

    @Test func everyBlockerInWalkOrderWithItsFix() throws {
        let text = try Self.threeTier()
        let (v, list) = Self.blockers(text, "app-1", "db-1", "tcp/22", file: "three-tier.vpc")
        #expect(v.state == .unreachable)
        // The NACL out of app-a hides db-nacl's inbound and the security group behind it.
        #expect(list.map(\.explanation.code) == [.subnetACLRestriction, .subnetACLRestriction, .eniSGRulesMismatch])
        #expect(list.map(\.explanation.component.name) == ["app-nacl", "db-nacl", "db"])
        #expect(list.map(\.explanation.direction) == [.forward, .forward, .forward])
        #expect(list.first?.explanation == v.explanation, "the first blocker is the verdict's reason")
        #expect(list.map(\.walkContinues) == [true, true, true])
        #expect(list[0].rule?.ruleNumber == 32767)
        #expect(list[2].rule?.text == "no rule admits")
        #expect(list.map { $0.location?.line } == [68, 77, 55])
        #expect(list.map { $0.fix?.statement } == ["outbound 130 allow tcp 22 to 10.10.20.10/32",
                                                   "inbound 110 allow tcp 22 from 10.10.10.10/32",
                                                   "ingress tcp 22 from sg app"])
        #expect(list.map { $0.fix?.location?.line } == [75, 80, 57])
        #expect(list[2].fix?.description == "add 'ingress tcp 22 from sg app' to security-group db at three-tier.vpc:57")
        // Every fix together makes the connection reachable (the replies already pass: db-nacl out 100).
        var all = text
        for b in list.reversed() { all = try #require(Self.applied(b.fix, to: all, file: "three-tier.vpc")) }
        #expect(Self.blockers(all, "app-1", "db-1", "tcp/22", file: "three-tier.vpc").0.isReachable)
    }

    @Test func securityGroupAndNACLFixesEachRemoveTheirBlocker() throws {
        let text = try Self.threeTier()
        let fixed = Self.fixEach(text, "app-1", "db-1", "tcp/22", file: "three-tier.vpc")
        #expect(Self.blockers(fixed, "app-1", "db-1", "tcp/22", file: "three-tier.vpc").0.isReachable)
        // Across subnets on both paths: db-nacl's inbound, sg db (from sg web), db-nacl's outbound replies.
        let (_, web) = Self.blockers(text, "web-1", "db-1", "tcp/5432", file: "three-tier.vpc")
        #expect(web.map(\.explanation.direction) == [.forward, .forward, .return])
        #expect(web[1].fix?.statement == "ingress tcp 5432 from sg web")
        #expect(web[2].fix?.statement == "outbound 110 allow tcp 1024-65535 to 10.10.0.10/32")
        let fixedWeb = Self.fixEach(text, "web-1", "db-1", "tcp/5432", file: "three-tier.vpc")
        #expect(Self.blockers(fixedWeb, "web-1", "db-1", "tcp/5432", file: "three-tier.vpc").0.isReachable)
    }

    @Test func egressNoneIsReplacedAndAMissingRouteEndsTheList() throws {
        let text = try Self.threeTier()
        let (_, list) = Self.blockers(text, "db-1", "internet", "tcp/443", file: "three-tier.vpc")
        #expect(list.map(\.explanation.code) == [.sgHasNoRules, .noRouteToDestination])
        let sg = try #require(list.first?.fix)
        #expect(sg.edit == .replace && sg.replaces == "egress none" && sg.location?.line == 57)
        #expect(sg.statement == "egress tcp 443 to 0.0.0.0/0", "the internet end is every public address: 0.0.0.0/0")
        let route = try #require(list.last)
        #expect(!route.walkContinues)
        #expect(route.fix?.statement == "route 0.0.0.0/0 -> tt-igw")
        #expect(route.fix?.component.name == "isolated")
        let afterSG = try #require(Self.applied(sg, to: text, file: "three-tier.vpc"))
        let (_, again) = Self.blockers(afterSG, "db-1", "internet", "tcp/443", file: "three-tier.vpc")
        #expect(again.first?.explanation.code == .noRouteToDestination)
        let afterRoute = try #require(Self.applied(again.first?.fix, to: afterSG, file: "three-tier.vpc"))
        let (_, last) = Self.blockers(afterRoute, "db-1", "internet", "tcp/443", file: "three-tier.vpc")
        // Past the route: db-1 has no public address (no fix is evident for that one).
        #expect(!last.contains { $0.explanation.code == .noRouteToDestination })
        #expect(last.first?.explanation.code == .igwPublicIPAssociationForEgress)
    }

    static let partly = """
    vpc prod {
      cidr 10.0.0.0/16
      internet-gateway igw
      subnet public-a 10.0.0.0/24
      route-table public {
        associate public-a
        route 0.0.0.0/0 -> igw
      }
      security-group web { ingress tcp 443 from 0.0.0.0/0 }
      network-acl w {
        associate public-a
        inbound 100 allow tcp 443 from 0.0.0.0/0
        outbound 100 allow tcp 443 to 0.0.0.0/0
        outbound 110 allow tcp 32768-60999 to 0.0.0.0/0
      }
      instance web-1 in public-a ip 10.0.0.10 public-ip 54.1.2.3 sg web
    }
    """

    @Test func aPartlyReachableReplyNamesTheEphemeralPortsItNeeds() throws {
        let (v, list) = Self.blockers(Self.partly, "internet", "web-1", "tcp/443")
        #expect(v.state == .partlyReachable)
        #expect(list.count == 1)
        let b = try #require(list.first)
        #expect(b.explanation.direction == .return && b.explanation.component.name == "w")
        #expect(b.fix?.statement == "outbound 120 allow tcp 1024-65535 to 0.0.0.0/0")
        #expect(b.fix?.location?.line == 15)
        let fixed = Self.fixEach(Self.partly, "internet", "web-1", "tcp/443")
        #expect(Self.blockers(fixed, "internet", "web-1", "tcp/443").0.state == .reachable)
        // One client port range: the fix names exactly the ports that fail.
        let (_, narrow) = Self.blockers(Self.partly, "internet", "web-1", "tcp/443", sourcePorts: PortSet(PortRange(61000, 65535)))
        #expect(narrow.first?.fix?.statement == "outbound 120 allow tcp 61000-65535 to 0.0.0.0/0")
    }

    @Test func aGroupWrittenOnOneLineGetsItsRuleBeforeTheBrace() throws {
        let text = Self.partly.replacing("{ ingress tcp 443 from 0.0.0.0/0 }", with: "{ ingress tcp 80 from 0.0.0.0/0 }")
        let (_, list) = Self.blockers(text, "internet", "web-1", "tcp/443", sourcePorts: PortSet(PortRange(40000, 40000)))
        let sg = try #require(list.first { $0.explanation.component.kind == .securityGroup }?.fix)
        #expect(sg.edit == .insertInline && sg.location?.line == 9)
        #expect(sg.statement == "ingress tcp 443 from 0.0.0.0/0")
        let fixed = Self.fixEach(text, "internet", "web-1", "tcp/443", sourcePorts: PortSet(PortRange(40000, 40000)))
        #expect(Self.blockers(fixed, "internet", "web-1", "tcp/443", sourcePorts: PortSet(PortRange(40000, 40000))).0.isReachable)
    }

    static let twoVPCs = """
    vpc a {
      cidr 10.1.0.0/16
      subnet a1 10.1.0.0/24
      route-table ra {
        associate a1
        route 10.2.5.0/24 blackhole
      }
      instance x in a1 ip 10.1.0.10
    }
    vpc b {
      cidr 10.2.0.0/16
      subnet b1 10.2.5.0/24
      route-table rb {
        associate b1
        route 10.1.0.0/16 -> ab
      }
      security-group only-web {
        ingress tcp 443 from 10.2.0.0/16
      }
      instance y in b1 ip 10.2.5.10 sg only-web
    }
    peering ab a <-> b
    """

    @Test func routeFixesNameThePeeringAndReplaceABlackhole() throws {
        let (_, list) = Self.blockers(Self.twoVPCs, "x", "y", "tcp/443")
        let route = try #require(list.first)
        #expect(route.explanation.code == .badStateRoute && !route.walkContinues)
        #expect(route.fix?.edit == .replace && route.fix?.statement == "route 10.2.5.0/24 -> ab")
        #expect(route.fix?.location?.line == 6)
        // A missing route: added after the table's last route, toward the peer VPC's block.
        let missing = Self.twoVPCs.replacing("    route 10.2.5.0/24 blackhole\n", with: "")
        let (_, list2) = Self.blockers(missing, "x", "y", "tcp/443")
        #expect(list2.first?.explanation.code == .noRouteToDestination)
        #expect(list2.first?.fix?.statement == "route 10.2.0.0/16 -> ab")
        // Fixing each in turn: the route, then sg only-web (from the peer's address: x holds only the VPC's
        // implicit default group, which no rule can name), then reachable.
        let fixed = Self.fixEach(Self.twoVPCs, "x", "y", "tcp/443")
        #expect(Self.blockers(fixed, "x", "y", "tcp/443").0.isReachable)
        #expect(fixed.contains("ingress tcp 443 from 10.1.0.10/32"))
    }

    @Test func aTransitGatewayTableGetsARouteToTheDestinationsAttachment() throws {
        let text = try #require(repositoryFile("Topologies/hub-and-spoke.vpc"))
        // Without the propagation from shared-att, the spokes table sends 10.50.0.0/16 to the inspection
        // VPC's default route; without that route too there is none.
        let cut = text.replacing("    propagate shared-att\n    route 0.0.0.0/0 -> inspection-att\n", with: "")
        #expect(cut != text)
        let (v, list) = Self.blockers(cut, "app-a1", "dns-1", "udp/53", file: "hub.vpc")
        #expect(v.state == .unreachable)
        let route = try #require(list.last)
        #expect(route.explanation.code == .noRouteToDestination && route.explanation.component.kind == .tgwRouteTable)
        #expect(route.fix?.statement == "route 10.50.0.0/16 -> shared-att")
        #expect(route.fix?.component.name == "spokes")
        let fixed = Self.fixEach(cut, "app-a1", "dns-1", "udp/53", file: "hub.vpc")
        #expect(Self.blockers(fixed, "app-a1", "dns-1", "udp/53", file: "hub.vpc").0.isReachable)
    }

    @Test func icmpFixesNameTheType() throws {
        let text = try Self.threeTier()
        let (_, list) = Self.blockers(text, "app-1", "db-1", "icmp", file: "three-tier.vpc")
        #expect(list.first?.fix?.statement.hasPrefix("outbound 130 allow icmp 8 to ") == true)
        let fixed = Self.fixEach(text, "app-1", "db-1", "icmp", file: "three-tier.vpc")
        #expect(Self.blockers(fixed, "app-1", "db-1", "icmp", file: "three-tier.vpc").0.isReachable)
        #expect(fixed.contains("allow icmp 0 to"), "the echo reply's NACL rule: type 0")
    }

    @Test func aReachableAnswerHasNoBlockers() throws {
        let (v, list) = Self.blockers(try Self.threeTier(), "app-1", "db-1", "tcp/5432", file: "three-tier.vpc")
        #expect(v.isReachable && list.isEmpty)
    }

    @Test func aFailedReachAssertCarriesItsBlockers() throws {
        let text = try Self.threeTier() + "\nassert reach app-1 -> db-1 tcp/22\n"
        let results = compile(text, file: "three-tier.vpc").evaluateAssertions()
        let failed = try #require(results.last)
        #expect(!failed.holds)
        #expect(failed.blockers.first?.fix?.statement == "outbound 130 allow tcp 22 to 10.10.20.10/32")
        #expect(results.filter(\.holds).allSatisfy { $0.blockers.isEmpty })
    }

    /// On random topologies (the reference walker's generator): every answer that is not reachable has
    /// blockers, the first is the verdict's own reason when unreachable (the explaining walk follows the
    /// verdict's walk up to its block), and applying each fix that has a place, on its own, loads without errors
    /// and removes its blocker.
    @Test func randomTopologiesFirstBlockerIsTheVerdictsReasonAndEachFixRemovesItsBlocker() {
        var checked = 0, fixesApplied = 0
        for k in 0..<(WalkerComparisonTests.environment("VPCKIT_BLOCKER_TOPOLOGIES").flatMap { Int($0) } ?? 150) {
            var g = RandomTopology(seed: 0xB10C_0000 &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15)
            if g.instances.isEmpty { continue }
            let text = g.text
            let (topology, diagnostics) = TopologyLoader.load(text, file: "walker.vpc")
            if diagnostics.contains(where: { $0.severity == .error }) { continue }
            let c = CompiledTopology(topology)
            for _ in 0..<12 {
                let q = g.query()
                let port: UInt16? = (q.proto == 6 || q.proto == 17 || q.proto == 1 || q.proto == 58) ? q.port : nil
                let t = TrafficSpec(ipProtocol: .number(q.proto), port: port)
                guard case .success(let s) = c.resolveQuery(WalkerComparisonTests.endpoint(q.source), side: .source),
                      case .success(let d) = c.resolveQuery(WalkerComparisonTests.endpoint(q.destination), side: .destination),
                      case .success(let v) = c.reach(from: s, to: d, traffic: t, sourcePort: q.sourcePort) else { continue }
                let list = c.blockers(for: v, from: s, to: d, traffic: t, sourcePort: q.sourcePort)
                if v.isReachable { #expect(list.isEmpty); continue }
                checked += 1
                #expect(!list.isEmpty, "seed \(k) \(q): no blockers")
                if v.state == .unreachable, v.internet == nil {
                    #expect(list.first?.explanation == v.explanation, "seed \(k) \(q)")
                }
                // Each blocker's fix on its own (the first always; later ones too, past blocks the walk went on from).
                for b in list.prefix(4) {
                    guard let fix = b.fix, fix.location != nil, let changed = fix.apply(to: text) else { continue }
                    let (t2, d2) = TopologyLoader.load(changed, file: "walker.vpc")
                    let errors = d2.filter { $0.severity == .error }
                    #expect(errors.isEmpty, "seed \(k) \(q): \(fix): \(errors.map(\.rendered))")
                    guard errors.isEmpty else { continue }
                    let c2 = CompiledTopology(t2)
                    guard case .success(let s2) = c2.resolveQuery(WalkerComparisonTests.endpoint(q.source), side: .source),
                          case .success(let d2) = c2.resolveQuery(WalkerComparisonTests.endpoint(q.destination), side: .destination),
                          case .success(let v2) = c2.reach(from: s2, to: d2, traffic: t, sourcePort: q.sourcePort) else { continue }
                    let after = c2.blockers(for: v2, from: s2, to: d2, traffic: t, sourcePort: q.sourcePort)
                    #expect(!after.contains { $0.explanation == b.explanation }, "seed \(k) \(q): still blocked after \(fix)\n\(changed)")
                    fixesApplied += 1
                }
            }
        }
        #expect(checked > 100 && fixesApplied > 50, "checked \(checked), fixes applied \(fixesApplied)")
    }

    /// A route to a target outside the model is not a missing route: no statement is proposed, the note says
    /// the answer beyond it is unknown, and the list ends there.
    @Test func anUnmodelledRouteTargetGetsNoFix() {
        let text = """
            vpc a {
              cidr 10.0.0.0/16
              subnet s1 10.0.1.0/24 az us-east-1a
              route-table rt main {
                associate s1
                route 192.168.0.0/16 -> unmodelled vgw-0abc123
              }
              security-group app { egress tcp 443 to 10.0.0.0/8 }
              instance i1 in s1 ip 10.0.1.10 sg app
            }
            """
        let (v, list) = Self.blockers(text, "i1", "192.168.1.5", "tcp/22")
        #expect(v.state == .unreachable)
        // The security group's egress blocks first (and is fixable); the unmodelled target ends the list.
        #expect(list.map(\.explanation.code) == [.eniSGRulesMismatch, .unsupportedComponent])
        #expect(list.last?.fix == nil)
        #expect(list.last?.walkContinues == false)
        #expect(list.last?.remark?.contains("not modelled") == true)
        #expect(list.last?.remark?.contains("needs a route") == false)
    }
}
