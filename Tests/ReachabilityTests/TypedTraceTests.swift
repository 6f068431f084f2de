import IPAddressing
import NetworkModel
import Reporting
import Testing
@testable import Reachability

/// Issue 17 point 3: a verdict is one ``Disposition``; traces are typed steps that survive a Codable round
/// trip; every explanation code and step action has its words in ``ReachMessages``; reach JSON comes from the
/// library with a versioned shape.
@Suite struct TypedTraceTests {
    static let unmodelled = DefaultsAndUnmodelledTargetTests.topology()

    // MARK: Disposition

    @Test func dispositionOfAReachableAnswerHasNoExplanation() {
        let v = compile(Fixture.prod()).query("internet", "web-1", "tcp/443")
        #expect(v.disposition == .reachable)
        #expect(v.isReachable && v.state == .reachable && v.explanation == nil)
    }

    @Test func dispositionOfABlockedAnswerCarriesItsExplanation() {
        let v = compile(Fixture.prod()).query("internet", "db-1", "tcp/5432")
        guard case .blocked(let e) = v.disposition else {
            Issue.record("want blocked, got \(v.disposition)")
            return
        }
        #expect(e.code == .igwPrivateIPAssociationForIngress)
        #expect(v.explanation == e && !v.isReachable && v.state == .unreachable)
    }

    @Test func dispositionOfAPathIntoAnUnmodelledTargetIsUnproven() {
        let v = compile(Self.unmodelled).query("app-1", "10.8.0.1", "tcp/443")
        guard case .unproven(let e) = v.disposition else {
            Issue.record("want unproven, got \(v.disposition)")
            return
        }
        #expect(e.code == .unsupportedComponent)
        #expect(v.state == .unreachable && !v.isReachable)
        #expect(ReachMessages.stateRemark(v.disposition).contains("unproven"))
        #expect(ReachMessages.stateRemark(.blocked(e)).isEmpty)
    }

    @Test func dispositionOfAPartlyReachableAnswerKeepsTheFailingPortsReason() {
        let v = compile(PartialReachabilityTests.linuxOnly).query("internet", "web-1", "tcp/443")
        guard case .partlyReachable(let e) = v.disposition else {
            Issue.record("want partlyReachable, got \(v.disposition)")
            return
        }
        #expect(e.code == .subnetACLRestriction && e.direction == .return)
        #expect(v.state == .partlyReachable && !v.isReachable && !v.failingSourcePorts.isEmpty)
    }

    @Test func partlyReachableWithEveryOrNoPortCollapsesToOneDisposition() {
        let e = Explanation(code: .subnetACLRestriction, direction: .return, component: ComponentRef(kind: .networkACL, name: "n"),
                            detail: .replyDeniedForClientPorts(ports: PortSet(port: 1024)))
        let all = Verdict.partlyReachable(working: .ephemeral, of: .ephemeral, explanation: e, forwardPath: [], returnPath: [],
                                          blockedReturnPath: [], notes: [])
        #expect(all.disposition == .reachable)
        let none = Verdict.partlyReachable(working: .empty, of: .ephemeral, explanation: e, forwardPath: [], returnPath: [],
                                           blockedReturnPath: [], notes: [])
        #expect(none.disposition == .blocked(e))
        var unsupported = e
        unsupported.code = .unsupportedComponent
        #expect(Verdict.unreachable(unsupported, forwardPath: [], returnPath: [], requestedSourcePorts: .ephemeral, notes: []).disposition
                == .unproven(unsupported))
    }

    // MARK: Typed steps

    @Test func stepsNameWhatWasCheckedAndTheActionTaken() {
        let v = compile(Fixture.prod()).query("db-1", "internet", "tcp/443")
        let actions = v.forwardPath.map(\.action)
        #expect(actions.first == .egressAllowed)
        #expect(actions.contains(.routeLookup))
        #expect(actions.contains(.sourceTranslated))
        #expect(actions.contains { if case .networkACLAllowed(inbound: false, _) = $0 { true } else { false } })
        #expect(v.returnPath.map(\.action).contains(.replyTranslatedBack))
        // The NAT hop's translation and its packet agree: the packet after the hop carries the new source.
        let nat = v.forwardPath.first { $0.action == .sourceTranslated }
        #expect(nat?.translation?.source?.to.address == nat?.header.source)
        #expect(nat?.translation?.destination == nil)
    }

    // MARK: Codable

    @Test func traceSurvivesACodableRoundTrip() throws {
        let c = compile(Fixture.prod())
        var all: [Hop] = []
        for (from, to, traffic) in [("db-1", "internet", "tcp/443"), ("internet", "web-1", "tcp/443"), ("internet", "db-1", "tcp/5432"),
                                    ("web-1", "internet", "icmp")] {
            let v = c.query(from, to, traffic)
            let hops = v.forwardPath + v.returnPath + v.blockedReturnPath
            all += hops
            let tree = try TreeEncoder.encode(hops)
            let back = try TreeDecoder.decode([Hop].self, from: tree)
            #expect(back == hops, "\(from) -> \(to) \(traffic)")
            let disposition = try TreeDecoder.decode(Disposition.self, from: TreeEncoder.encode(v.disposition))
            #expect(disposition == v.disposition)
        }
        // The queries exercise translations, NACL rule numbers and rule locations.
        #expect(all.contains { $0.translation != nil })
        #expect(all.contains { $0.rule?.ruleNumber != nil })
        #expect(all.contains { ($0.rule?.location?.line ?? 0) > 0 })
        // Every step action and translation shape, including the values they carry.
        let actions = try TreeDecoder.decode([StepAction].self, from: TreeEncoder.encode(StepAction.allKinds))
        #expect(actions == StepAction.allKinds)
        let a = TranslatedAddress(address: .v4(IPv4Address(10, 0, 0, 1)), ports: PortSet(ranges: [PortRange(1, 2), PortRange(9, 9)]))
        let b = TranslatedAddress(address: .v6(IPv6Address(high: 0x64_ff9b_0000_0000, low: 1)), unknownPublicAddressOf: "web")
        let translations: [Translation] = [.source(AddressRewrite(from: a, to: b)), .destination(AddressRewrite(from: b, to: a)),
                                           .sourceAndDestination(source: AddressRewrite(from: a, to: a), destination: AddressRewrite(from: b, to: b))]
        #expect(try TreeDecoder.decode([Translation].self, from: TreeEncoder.encode(translations)) == translations)
    }

    @Test func decodingRejectsABadAddress() throws {
        let hop = compile(Fixture.prod()).query("internet", "web-1", "tcp/443").forwardPath[0]
        guard case .object(var fields) = try TreeEncoder.encode(hop.header) else {
            Issue.record("a flow encodes as an object")
            return
        }
        fields = fields.map { $0.0 == "source" ? ($0.0, .string("10.0.0.256")) : $0 }
        #expect(throws: DecodingError.self) { try TreeDecoder.decode(Flow.self, from: .object(fields)) }
    }

    // MARK: The message table

    /// An exhaustive switch: adding a case to ``StepAction`` fails to compile here until `allKinds` and this
    /// count follow.
    static func ordinal(_ a: StepAction) -> Int {
        switch a {
        case .egressAllowed: 0
        case .egressTracked: 1
        case .ingressAllowed: 2
        case .sameSubnet: 3
        case .routeLookup: 4
        case .networkACLAllowed: 5
        case .toInternet: 6
        case .toInternetIPv6: 7
        case .toInternetEgressOnly: 8
        case .fromInternet: 9
        case .fromInternetIPv6: 10
        case .crossedPeering: 11
        case .delivered: 12
        case .forwardedByAppliance: 13
        case .replyTranslatedBack: 14
        case .sourceTranslated: 15
        case .translatedNAT64: 16
        case .transitGatewayRouteLookup: 17
        case .transitGatewayDelivered: 18
        case .answeredByDNSResolver: 19
        case .dnsResolverReply: 20
        case .toOnPremises: 21
        case .fromOnPremises: 22
        case .toGatewayEndpoint: 23
        case .fromGatewayEndpoint: 24
        case .acceptedByListener: 25
        case .newConnectionToTarget: 26
        case .relayedByLoadBalancer: 27
        case .toGatewayLoadBalancerEndpoint: 28
        case .gatewayLoadBalancerNode: 29
        case .inspectedByAppliances: 30
        case .fromGatewayLoadBalancerEndpoint: 31
        }
    }

    @Test func everyStepActionHasItsOwnWordsAndKind() {
        #expect(Set(StepAction.allKinds.map(Self.ordinal)) == Set(0...31))
        let texts = StepAction.allKinds.map(ReachMessages.text)
        #expect(texts.allSatisfy { !$0.isEmpty })
        #expect(Set(texts).count == texts.count)
        #expect(Set(StepAction.allKinds.map(\.kind)).count == StepAction.allKinds.count)
        // Values carried by an action appear in its words.
        #expect(ReachMessages.text(.networkACLAllowed(inbound: true, subnet: "db-a")) == "inbound allowed (subnet db-a)")
        #expect(ReachMessages.text(.transitGatewayDelivered(vpc: "spoke", subnet: "tgw-a")) == "delivered into vpc spoke via tgw-a")
    }

    @Test func everyExplanationCodeHasASummary() {
        let summaries = ExplanationCode.allCases.map(ReachMessages.summary)
        #expect(summaries.count == ExplanationCode.allCases.count)
        #expect(summaries.allSatisfy { !$0.isEmpty && $0.first?.isLowercase == true })
        #expect(Set(summaries).count == summaries.count, "two codes share a summary")
    }

    @Test func translationWordsComeFromTheTable() {
        let from = TranslatedAddress(address: .v4(IPv4Address(10, 0, 0, 10)), ports: .ephemeral)
        let to = TranslatedAddress(address: .v4(IPv4Address(54, 1, 2, 3)), ports: PortSet(port: 1030))
        #expect(ReachMessages.text(.source(AddressRewrite(from: from, to: to))) == "source 10.0.0.10:1024-65535 -> 54.1.2.3:1030")
        let unknown = TranslatedAddress(address: .v4(IPv4Address(54, 0, 0, 1)), unknownPublicAddressOf: "web-3")
        #expect(ReachMessages.text(.destination(AddressRewrite(from: unknown, to: TranslatedAddress(address: .v4(IPv4Address(10, 0, 0, 3))))))
                == "destination public IP of web-3 (unknown) -> 10.0.0.3")
    }

    // MARK: Reach JSON

    static func object(_ v: JSONValue?) -> [(String, JSONValue)]? {
        if case .object(let f)? = v { return f }
        return nil
    }
    static func field(_ v: JSONValue?, _ key: String) -> JSONValue? { object(v)?.first { $0.0 == key }?.1 }
    static func string(_ v: JSONValue?) -> String? {
        if case .string(let s)? = v { return s }
        return nil
    }
    static func array(_ v: JSONValue?) -> [JSONValue]? {
        if case .array(let a)? = v { return a }
        return nil
    }
    static func isCamelCase(_ key: String) -> Bool {
        guard let first = key.first, first.isLowercase else { return false }
        return key.allSatisfy { $0.isLetter || $0.isNumber }
    }
    static func keys(_ v: JSONValue) -> [String] {
        switch v {
        case .object(let f): f.flatMap { [$0.0] + keys($0.1) }
        case .array(let a): a.flatMap(keys)
        default: []
        }
    }

    @Test func reachJSONIsVersionedTypedAndCamelCase() {
        let c = compile(Fixture.prod())
        let v = c.query("db-1", "internet", "tcp/443")
        let json = ReachReport.json(v, from: "db-1", to: "internet", traffic: "tcp/443", oneWay: false, files: c.topology.files)
        #expect(Self.field(json, "schemaVersion") == .int(ReachReport.schemaVersion))
        #expect(Self.string(Self.field(json, "disposition")) == "reachable")
        #expect(Self.field(json, "explanation") == .null)
        let hops = Self.array(Self.field(json, "forwardPath")) ?? []
        #expect(hops.count == v.forwardPath.count)
        for (h, hop) in zip(hops, v.forwardPath) {
            #expect(Self.string(Self.field(Self.field(h, "step"), "kind")) == hop.action.kind)
            #expect(Self.string(Self.field(h, "action")) == ReachMessages.text(hop.action))
        }
        let nat = hops.first { Self.string(Self.field(Self.field($0, "step"), "kind")) == "sourceTranslated" }
        let rewrite = Self.field(Self.field(nat, "rewrite"), "source")
        #expect(Self.string(Self.field(Self.field(rewrite, "from"), "address")) == "10.0.20.5")
        #expect(Self.field(Self.field(nat, "rewrite"), "destination") == .null)
        #expect(Self.keys(json).allSatisfy(Self.isCamelCase), "\(Self.keys(json).filter { !Self.isCamelCase($0) })")

        let blocked = c.query("internet", "db-1", "tcp/5432")
        let bj = ReachReport.json(blocked, from: "internet", to: "db-1", traffic: "tcp/5432", oneWay: true, files: c.topology.files)
        #expect(Self.string(Self.field(bj, "disposition")) == "blocked")
        #expect(Self.field(bj, "oneWay") == .bool(true) && Self.field(bj, "reachable") == .bool(false))
        let e = Self.field(bj, "explanation")
        #expect(Self.string(Self.field(e, "code")) == ExplanationCode.igwPrivateIPAssociationForIngress.rawValue)
        #expect(Self.string(Self.field(e, "summary")) == ReachMessages.summary(.igwPrivateIPAssociationForIngress))

        let unproven = compile(Self.unmodelled).query("app-1", "10.8.0.1", "tcp/443")
        let uj = ReachReport.json(unproven, from: "app-1", to: "10.8.0.1", traffic: "tcp/443", oneWay: false, files: SourceFileTable())
        #expect(Self.string(Self.field(uj, "disposition")) == "unproven")
        #expect(Self.string(Self.field(uj, "state")) == "unreachable")
    }
}

/// `vpckit route`'s text and JSON come from the library (issue 17): the same decision in both, camelCase keys.
@Suite struct RouteReportTests {
    @Test func routeReportNamesTheMatchAndTheCandidatesThatLost() throws {
        let c = compile(Fixture.prod())
        let s = try #require(c.subnet(named: "app-a"))
        let d = c.routeDecision(subnet: s, address: .v4(IPv4Address(10, 9, 1, 1)))
        let chosen = try #require(d.chosen)
        #expect(c.routeTargetName(chosen) == "blackhole")
        let json = c.routeReportJSON(d, subnet: "app-a", address: "10.9.1.1")
        let match = TypedTraceTests.field(json, "match")
        #expect(TypedTraceTests.string(TypedTraceTests.field(match, "prefix")) == "10.9.0.0/16")
        #expect(TypedTraceTests.string(TypedTraceTests.field(match, "target")) == "blackhole")
        #expect(TypedTraceTests.field(json, "main") == .bool(true))
        let losers = TypedTraceTests.array(TypedTraceTests.field(json, "candidates")) ?? []
        #expect(losers.count == d.candidates.filter { $0.lostBecause != nil }.count && !losers.isEmpty)
        #expect(losers.allSatisfy { TypedTraceTests.string(TypedTraceTests.field($0, "code")) == ExplanationCode.moreSpecificRoute.rawValue })
        #expect(TypedTraceTests.keys(json).allSatisfy(TypedTraceTests.isCamelCase))
        let text = c.routeReportText(d, subnet: "app-a", address: "10.9.1.1")
        #expect(text.hasPrefix("subnet app-a uses route table private (main)\nmatch: 10.9.0.0/16 -> blackhole "))
        #expect(text.contains("other candidates:\n  0.0.0.0/0 -> nat-a "))
    }
}
