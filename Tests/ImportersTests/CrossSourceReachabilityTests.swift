import IPAddressing
import NetworkModel
import Reachability
import Testing
@testable import Importers

/// The same network as `.vpc`, as AWS JSON (moto) and as Terraform JSON (plan and state) answers every question
/// the same way; and the answers are the ones Docs/AWS-BEHAVIOUR.md gives.
struct CrossSourceReachabilityTests {
    static let endpoints = ["web-1", "app-1", "db-1", "internet"]
    static let traffic: [TrafficSpec] = [
        TrafficSpec(ipProtocol: .tcp, port: 22), TrafficSpec(ipProtocol: .tcp, port: 443), TrafficSpec(ipProtocol: .tcp, port: 5432),
        TrafficSpec(ipProtocol: .tcp, port: 8080), TrafficSpec(ipProtocol: .udp, port: 53), TrafficSpec(ipProtocol: .icmp),
    ]

    static func verdicts(_ topology: Topology) -> [String: Bool] {
        let compiled = CompiledTopology(topology)
        var out: [String: Bool] = [:]
        for a in endpoints {
            for b in endpoints where a != b {
                for t in traffic {
                    let key = "\(a) -> \(b) \(t)"
                    switch compiled.resolve(a).flatMap({ s in compiled.resolve(b).map { (s, $0) } }) {
                    case .success(let (s, d)): out[key] = compiled.reach(from: s, to: d, traffic: t).isReachable
                    case .failure: out[key] = nil
                    }
                }
            }
        }
        return out
    }

    static func languageTopology() throws -> Topology {
        let text = String(decoding: Files.read(Files.testsDirectory + "/Fixtures/three-tier.vpc") ?? [], as: UTF8.self)
        let (t, diagnostics) = TopologyLoader.load(text, file: "three-tier.vpc")
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        return t
    }

    static func terraform(_ name: String) throws -> Topology {
        let file = Files.testsDirectory + "/Fixtures/terraform/\(name).json"
        let result = try TerraformImporter.importDocument(try JSONDocument(bytes: Files.read(file) ?? [], file: file))
        #expect(validationErrors(result.topology) == [], "\(name)")
        return result.topology
    }

    @Test func languageAWSAndTerraformAgreeOnEveryQuestion() throws {
        let reference = Self.verdicts(try Self.languageTopology())
        #expect(reference.count == 4 * 3 * Self.traffic.count)
        #expect(reference.values.contains(true) && reference.values.contains(false))
        let sources: [(String, Topology)] = [
            ("AWS JSON (moto)", try importAWS([Files.fixtures + "/moto/three-tier"]).topology),
            ("Terraform plan", try Self.terraform("plan")),
            ("Terraform state", try Self.terraform("state")),
        ]
        for (label, topology) in sources {
            let answers = Self.verdicts(topology)
            for (question, expected) in reference.sorted(by: { $0.key < $1.key }) {
                #expect(answers[question] == expected, "\(label): \(question)")
            }
        }
    }

    @Test func answersFollowSemantics() throws {
        let v = Self.verdicts(try Self.languageTopology())
        #expect(v["app-1 -> db-1 tcp/5432"] == true)       // sg db admits sg app; NACL 100 in, 100 out
        #expect(v["web-1 -> db-1 tcp/5432"] == false)      // NACL admits it (110), sg db does not
        #expect(v["internet -> db-1 tcp/5432"] == false)   // no public address
        #expect(v["db-1 -> internet tcp/443"] == true)     // NAT, then IGW; replies pass NACL 110
        #expect(v["db-1 -> internet tcp/22"] == false)     // sg db egress only 443
        #expect(v["internet -> web-1 tcp/443"] == true)    // map-public-ip: a public address
        #expect(v["web-1 -> app-1 tcp/8080"] == true)
        #expect(v["app-1 -> web-1 tcp/8080"] == false)
    }

    @Test func plannedChangeOpensPort80AndMovesApp1() throws {
        let before = try Self.terraform("state")
        let after = try Self.terraform("plan-change")
        #expect(Self.verdictFor(before, "internet", "web-1", TrafficSpec(ipProtocol: .tcp, port: 80)) == false)
        #expect(Self.verdictFor(after, "internet", "web-1", TrafficSpec(ipProtocol: .tcp, port: 80)) == true)
        let app = try #require(after.vpcs.first?.instances.first { $0.name == "app-1" })
        #expect(app.interfaces.first?.privateIP == (try IPv4Address("10.0.10.11")))
        #expect(app.id == nil)   // replaced: its new id is unknown until apply
    }

    static func verdictFor(_ t: Topology, _ a: String, _ b: String, _ spec: TrafficSpec) -> Bool? {
        let c = CompiledTopology(t)
        guard case .success(let s) = c.resolve(a), case .success(let d) = c.resolve(b) else { return nil }
        return c.reach(from: s, to: d, traffic: spec).isReachable
    }

    @Test func awsIDsResolveAsEndpoints() throws {
        let t = try importAWS([Files.fixtures + "/moto/three-tier"]).topology
        let instances = t.vpcs.flatMap(\.instances)
        let app = try #require(instances.first { $0.name == "app-1" }?.id)
        let dbENI = try #require(instances.first { $0.name == "db-1" }?.interfaces.first?.id)
        #expect(Self.verdictFor(t, app, dbENI, TrafficSpec(ipProtocol: .tcp, port: 5432)) == true)
    }
}

/// Expected verdicts on the other moto snapshots.
struct MotoSnapshotTests {
    func verdict(_ folder: String, _ a: String, _ b: String, _ spec: TrafficSpec) throws -> Bool? {
        let result = try importAWS([Files.fixtures + "/moto/" + folder])
        #expect(validationErrors(result.topology) == [])
        #expect(roundTrips(result.topology).0)
        return CrossSourceReachabilityTests.verdictFor(result.topology, a, b, spec)
    }

    let https = TrafficSpec(ipProtocol: .tcp, port: 443)
    let ssh = TrafficSpec(ipProtocol: .tcp, port: 22)

    @Test func transitGatewayHubReachesSpokesButSpokesAreIsolated() throws {
        #expect(try verdict("tgw-hub", "spoke-a-1", "shared-1", https) == true)
        #expect(try verdict("tgw-hub", "shared-1", "spoke-b-1", https) == true)
        #expect(try verdict("tgw-hub", "spoke-a-1", "spoke-b-1", https) == false)   // spokes table: no route to 10.2/16
        let t = try importAWS([Files.fixtures + "/moto/tgw-hub"]).topology
        let spokes = try #require(t.transitGateways.first?.routeTables.first { $0.name == "spokes" })
        #expect(spokes.routes.contains { $0.target == .blackhole })
        #expect(spokes.associations.count == 2)
    }

    @Test func peeringIsNotTransitive() throws {
        #expect(try verdict("peering-mesh", "mesh-a-1", "mesh-b-1", ssh) == true)
        #expect(try verdict("peering-mesh", "mesh-b-1", "mesh-c-1", ssh) == true)
        #expect(try verdict("peering-mesh", "edge-1", "mesh-a-1", ssh) == true)
        #expect(try verdict("peering-mesh", "edge-1", "mesh-b-1", ssh) == false)   // via mesh-a: not transitive
    }

    @Test func dualStackUsesTheEgressOnlyGatewayOutboundOnly() throws {
        let t = try importAWS([Files.fixtures + "/moto/dual-stack"]).topology
        let inst = try #require(t.vpcs.first?.instances.first)
        #expect(!(inst.interfaces.first?.ipv6Addresses.isEmpty ?? true))
        #expect(t.vpcs.first?.egressOnlyGateway != nil)
        #expect(try verdict("dual-stack", "ds-1", "internet:2600:1f18::1", https) == true)
        #expect(try verdict("dual-stack", "internet:2600:1f18::1", "ds-1", https) == false)
    }
}
