import IPAddressing
import NetworkModel
import Reporting
import Testing
@testable import Reachability

/// Issue 17 point 3: explanations are typed. ``ExplanationDetail`` carries the values, ``ReachMessages`` the
/// words; every code maps to the detail kinds it is explained with; details survive a Codable round trip and
/// reach JSON (schema version 3) carries them.
@Suite struct ExplanationDetailTests {
    static let a = TranslatedAddress(address: .v4(IPv4Address(10, 0, 0, 10)))
    static let b = TranslatedAddress(address: .v4(IPv4Address(54, 20, 0, 1)), unknownPublicAddressOf: "web-1")
    static let tcp = BlockedTraffic(ipProtocol: 6, destinationPorts: PortSet(port: 5432))
    static let echo = BlockedTraffic(ipProtocol: 1, icmpType: 8, icmpCode: 0)

    /// One value of every case and every variant of the nested problem / reason enums.
    static var samples: [ExplanationDetail] {
        var all: [ExplanationDetail] = [
            .sourceDestinationCheck(source: a, destination: b),
            .securityGroupsHaveNoRules(interface: "db-1", inbound: true),
            .securityGroupRules(group: "db", interface: "db-1", inbound: true, traffic: tcp, peer: a, crossVPCReferenceOnly: false),
            .securityGroupRules(group: "db", interface: "db-1", inbound: false, traffic: echo, peer: b, crossVPCReferenceOnly: true),
            .networkACL(subnet: "db-a", inbound: true, traffic: tcp, peer: a, denyingRule: 50),
            .networkACL(subnet: "db-a", inbound: false, traffic: BlockedTraffic(ipProtocol: 47), peer: b, denyingRule: nil),
            .peeringNotTransitive(peering: "p", vpcA: "a", vpcB: "b", source: a, destination: b),
            .outsideSubnets(vpc: "prod", destination: a),
            .notReachableFromInternet(destination: b),
            .routingLoop(steps: 64),
            .privateAddressFromInternet(address: a, interface: "db-1"),
            .endpointWithoutAddress(family: .ipv6),
            .bothEndpointsOnInternet,
            .noQueriedInternetAddress(family: .ipv4),
            .replyDeniedForClientPorts(ports: PortSet(ranges: [PortRange(1024, 32767), PortRange(61000, 65535)])),
        ]
        let routeProblems: [ExplanationDetail.RouteProblem] = [.noRoute, .blackhole, .unusableTarget("pcx-1"), .pointsBackAtSender,
                                                               .natGatewaySendsBackToItself, .unmodelledTarget("vgw-1"),
                                                               .unmodelledTarget(nil), .other]
        for p in routeProblems { for tgw in [false, true] { all.append(.route(destination: a, transitGateway: tgw, problem: p)) } }
        all += ExplanationDetail.GatewayProblem.allCases.map { .gateway(source: a, destination: b, problem: $0) }
        all += ExplanationDetail.NATGatewayProblem.allCases.map { .natGateway(natGateway: "nat-a", source: a, destination: b, problem: $0) }
        all += ExplanationDetail.AttachmentProblem.allCases.map { .transitGatewayAttachment(attachment: "att", destination: a, problem: $0) }
        all += ExplanationDetail.UnheldAddressReason.allCases.map { .unheldAddress(subnet: "app-a", destination: a, reason: $0) }
        all += ExplanationDetail.VPCEndpointProblem.allCases.map { .vpcEndpoint(endpoint: "s3-gw", service: "s3", problem: $0) }
        all += ExplanationDetail.LoadBalancerProblem.allCases.map {
            .loadBalancer(loadBalancer: "web-alb", problem: $0, traffic: BlockedTraffic(ipProtocol: 6, destinationPorts: PortSet(port: 80)), zone: "us-east-1a")
        }
        all += ExplanationDetail.EdgeProblem.allCases.map { .edge(edge: "office-vpn (vpn-0abc)", source: a, destination: b, problem: $0) }
        return all
    }

    @Test func samplesCoverEveryKind() {
        #expect(Set(Self.samples.map(\.kind)) == Set(ExplanationDetail.Kind.allCases))
    }

    @Test func everyDetailSurvivesACodableRoundTrip() throws {
        for d in Self.samples {
            #expect(try TreeDecoder.decode(ExplanationDetail.self, from: TreeEncoder.encode(d)) == d, "\(d)")
        }
        let e = Explanation(code: .subnetACLRestriction, direction: .return, component: ComponentRef(kind: .networkACL, name: "n"),
                            rule: RuleRef(text: "outbound * deny all (implicit)", ruleNumber: 32767), detail: Self.samples[4])
        #expect(try TreeDecoder.decode(Explanation.self, from: TreeEncoder.encode(e)) == e)
    }

    @Test func aBadPortRangeInADetailIsRejected() throws {
        let d = ExplanationDetail.replyDeniedForClientPorts(ports: PortSet(port: 80))
        let tree = try TreeEncoder.encode(d)
        // Swap the one range's bounds deep inside the tree: [[80, 80]] -> [[90, 80]].
        func corrupt(_ t: Tree) -> Tree {
            switch t {
            case .object(let f): return .object(f.map { ($0.0, corrupt($0.1)) })
            case .array(let xs) where xs.count == 2 && xs.allSatisfy({ if case .int = $0 { true } else { false } }):
                return .array([.int(90), xs[1]])
            case .array(let xs): return .array(xs.map(corrupt))
            default: return t
            }
        }
        #expect(throws: DecodingError.self) { try TreeDecoder.decode(ExplanationDetail.self, from: corrupt(tree)) }
    }

    @Test func everyCodeMapsToDetailKindsTheTableRenders() {
        let byKind = Dictionary(grouping: Self.samples, by: \.kind)
        for code in ExplanationCode.allCases {
            let kinds = ReachMessages.detailKinds(code)
            #expect(!kinds.isEmpty, "\(code) has no detail kind")
            for kind in kinds {
                for d in byKind[kind] ?? [] {
                    let text = ReachMessages.text(d)
                    #expect(!text.isEmpty && !text.hasSuffix(" "), "\(code) \(d)")
                }
            }
        }
        // Every kind explains some code.
        #expect(Set(ExplanationCode.allCases.flatMap(ReachMessages.detailKinds)) == Set(ExplanationDetail.Kind.allCases))
    }

    @Test func eachVariantHasItsOwnSentence() {
        let texts = Self.samples.map(ReachMessages.text)
        // Only a blackhole is worded differently for a transit gateway route table: the other seven route
        // problems read the same for both tables. Every other variant has its own sentence.
        #expect(Set(texts).count == Self.samples.count - 7)
        #expect(texts.allSatisfy { !$0.isEmpty })
    }

    /// The words are the table's: a few sentences pinned exactly (the CLI scripts pin the rest, byte for byte).
    @Test func theTableWordsDetails() {
        #expect(ReachMessages.text(Self.samples[2]) == "no inbound rule of security group db on db-1 allows tcp/5432 from 10.0.0.10")
        #expect(ReachMessages.text(Self.samples[5])
                == "outbound proto 47 to public IP of web-1 (unknown) on subnet db-a: no rule allows (final '*' denies)")
        #expect(ReachMessages.text(.networkACL(subnet: "s", inbound: true, traffic: Self.echo, peer: Self.a, denyingRule: 50))
                == "inbound icmp type 8 code 0 from 10.0.0.10 on subnet s: rule 50 denies")
        #expect(ReachMessages.text(.endpointWithoutAddress(family: .ipv6)) == "an endpoint has no IPv6 address")
        #expect(ReachMessages.text(.route(destination: Self.a, transitGateway: true, problem: .blackhole)) == "10.0.0.10 matches a blackhole route")
    }

    // MARK: What the walk builds

    static var topologies: [String] {
        [Fixture.prod(), PartialReachabilityTests.linuxOnly, DefaultsAndUnmodelledTargetTests.topology(), ICMPPortsTests.natted,
         BlockerTests.twoVPCs]
    }

    /// Every explanation the walk builds, over every pair of interfaces and a few addresses, pairs its code with
    /// a detail kind of ``ReachMessages/detailKinds(_:)``; its text is the detail's sentence.
    @Test func theWalkPairsCodesWithTheirDetailKinds() {
        var kinds: Set<ExplanationDetail.Kind> = []
        for text in Self.topologies {
            let c = compile(text)
            let names = Array(Set(c.interfaces.map(\.name))).sorted() + ["internet", "10.0.10.99", "10.8.0.1", "192.168.9.9"]
            let endpoints = names.compactMap { n -> ResolvedEndpoint? in if case .success(let e) = c.resolve(n) { e } else { nil } }
            for s in endpoints {
                for d in endpoints {
                    for t in [TrafficSpec(ipProtocol: .tcp, port: 443), TrafficSpec(ipProtocol: .tcp, port: 5432),
                              TrafficSpec(ipProtocol: .udp, port: 53), TrafficSpec(ipProtocol: .icmp)] {
                        guard let e = c.reach(from: s, to: d, traffic: t).explanation else { continue }
                        kinds.insert(e.detail.kind)
                        #expect(ReachMessages.detailKinds(e.code).contains(e.detail.kind), "\(e.code) with \(e.detail)")
                        #expect(e.detailText == ReachMessages.text(e.detail))
                        #expect(e.description(files: c.topology.files).contains(": " + e.detailText))
                    }
                }
            }
        }
        #expect(kinds.isSuperset(of: [.securityGroupRules, .networkACL, .route, .gateway, .unheldAddress]), "\(kinds)")
    }

    // MARK: Reach JSON

    @Test func reachJSONCarriesTheTypedDetailAndItsText() throws {
        let v = compile(Fixture.prod()).query("internet", "db-1", "tcp/5432")
        let e = try #require(v.explanation)
        let json = ReachReport.json(v, from: "internet", to: "db-1", traffic: "tcp/5432", oneWay: false, files: SourceFileTable())
        #expect(ReachReport.schemaVersion == 3)
        guard case .object(let top) = json, case .object(let ex)? = top.first(where: { $0.0 == "explanation" })?.1,
              case .object(let detail)? = ex.first(where: { $0.0 == "detail" })?.1 else {
            Issue.record("explanation.detail is an object"); return
        }
        #expect(ex.first { $0.0 == "detailText" }?.1 == .string(e.detailText))
        #expect(detail.first?.0 == "kind" && detail.first?.1 == .string(e.detail.kind.rawValue))
        // Every case's JSON starts with its kind.
        for d in Self.samples {
            guard case .object(let f) = ReachReport.json(d) else { Issue.record("\(d) is not an object"); continue }
            #expect(f.first?.0 == "kind" && f.first?.1 == .string(d.kind.rawValue))
        }
    }
}
