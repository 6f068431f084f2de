import IPAddressing
import TestSupport
import NetworkModel
import Testing
import Generators
@testable import Reachability

/// The generator's edges topology (issue 18's benchmark input): the benchmark's edge queries take the edges they
/// are meant to measure (gateway endpoint, VPN to on-premises, Direct Connect from on-premises).
@Suite struct GeneratedEdgesTests {
    typealias N = TopologyGenerator.EdgeNames
    static let topology = TopologyGenerator(seed: 7, vpcs: 12, subnetsPerVPC: 9, instances: 300, securityGroups: 40,
                                            zones: 3, edges: true).generate()
    let c = CompiledTopology(GeneratedEdgesTests.topology)

    /// An instance of VPC 0 in a private subnet whose security group admits tcp/443 from anywhere (`sg-0`).
    func privateWebInstance() throws -> String {
        let vpc = GeneratedEdgesTests.topology.vpcs[0]
        let i = try #require(vpc.instances.first {
            $0.interfaces.first?.subnet.hasPrefix("v0-prv") == true && $0.interfaces.first?.securityGroups == ["v0-sg-0"]
        })
        return i.name
    }

    func actions(_ hops: [Hop]) -> [StepAction] { hops.map(\.action) }

    @Test func s3TrafficTakesTheGatewayEndpoint() throws {
        // §10: the endpoint's pl:s3 route (at each entry's length) beats 0.0.0.0/0 -> nat in the private tables.
        let v = c.query(try privateWebInstance(), "52.216.1.10", "tcp/443")
        expectReachable(v)
        #expect(actions(v.forwardPath).contains(.toGatewayEndpoint(service: "s3")))
        #expect(!v.forwardPath.contains { $0.component.kind == .natGateway })
        #expect(v.forwardPath.last?.component.name == N.gatewayEndpoint(vpc: 0))
    }

    @Test func theOfficeIsReachedOverTheVPN() throws {
        // pl:corp -> hub; the hub table holds 192.168.0.0/20 from the VPN attachment's static routes.
        let v = c.query(try privateWebInstance(), "onprem:office:192.168.1.10", "tcp/443")
        expectReachable(v)
        #expect(actions(v.forwardPath).contains { if case .toOnPremises(let e) = $0 { e.hasPrefix(N.vpnConnection + " ") } else { false } },
                "\(actions(v.forwardPath))")
    }

    @Test func theDataCentreComesInOverDirectConnect() throws {
        // §2/§6: 172.16.0.0/16 is announced over the VIF (DX) and the VPN; the reply takes the DX gateway attachment.
        let v = c.query("onprem:datacentre:172.16.5.5", try privateWebInstance(), "tcp/443")
        expectReachable(v)
        #expect(actions(v.forwardPath).contains { if case .fromOnPremises = $0 { true } else { false } })
        // §6: DX-gateway-propagated beats VPN-propagated in the hub table, whatever the `propagate` order
        // (vpn-att is written before dx-att): the reply leaves over Direct Connect (its DX gateway), not the VPN.
        #expect(v.returnPath.last?.component.name == N.directConnectGateway,
                "\(v.returnPath.map { "\($0.component.kind) \($0.component.name) \($0.action)" })")
        #expect(!v.returnPath.contains { $0.component.name == N.vpnAttachment || $0.component.name == N.vpnConnection })
    }

    @Test func thePlainQueriesKeepTheirAnswers() throws {
        // Instance to instance across the hub and to the internet: the edges change neither.
        var plainGenerator = TopologyGenerator(seed: 7, vpcs: 12, subnetsPerVPC: 9, instances: 300, securityGroups: 40, zones: 3)
        plainGenerator.edges = false
        let plain = CompiledTopology(plainGenerator.generate())
        let names = GeneratedEdgesTests.topology.vpcs.flatMap { $0.instances.map(\.name) }
        var checked = 0
        for k in stride(from: 0, to: names.count - 37, by: 37) {
            for to in [names[k + 37], "8.8.8.8"] {
                #expect(c.query(names[k], to, "tcp/443").isReachable == plain.query(names[k], to, "tcp/443").isReachable,
                        "\(names[k]) -> \(to)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
