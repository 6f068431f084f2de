import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// Routes to Gateway Load Balancer endpoints (Docs/SEMANTICS.md "Gateway Load Balancers"): the data plane through
/// the endpoint is not followed yet, so every packet whose chosen route is a GWLB endpoint — from a subnet's table
/// or from the internet gateway's edge table (ingress routing) — stops with `UNSUPPORTED_COMPONENT`: never
/// "reachable" (AWS would deliver only if an appliance passes it back), and never proven blocked either.
@Suite struct GatewayLoadBalancerEndpointTests {
    static func compiled() throws -> CompiledTopology {
        let text = try #require(repositoryFile("Topologies/inspection-vpc.vpc"))
        return compile(text, file: "inspection-vpc.vpc")
    }

    @Test func outboundThroughTheEndpointIsNeverReachable() throws {
        let c = try Self.compiled()
        let v = c.query("web-1", "8.8.8.8", "tcp/443")
        expectBlocked(v, .unsupportedComponent, .forward, at: "app")
        let e = try #require(v.explanation)
        #expect(e.detail == .route(destination: TranslatedAddress(address: .v4(IPv4Address(8, 8, 8, 8))), transitGateway: false,
                                   problem: .unmodelledTarget("gwlbe inspect-a")))
        #expect(e.rule?.text == "route 0.0.0.0/0 -> inspect-a")
        expectBlocked(c.query("web-1", "8.8.8.8", "all"), .unsupportedComponent, .forward, at: "app")
    }

    @Test func ingressRoutingToTheEndpointIsNeverReachable() throws {
        let c = try Self.compiled()
        // internet → web-1's public address: the IGW's edge table sends 10.0.1.0/24 to the endpoint.
        let v = c.query("internet", "web-1", "tcp/443")
        expectBlocked(v, .unsupportedComponent, .forward, at: "ingress")
        #expect(!c.query("internet", "54.10.0.10", "tcp/443").isReachable)
    }

    @Test func localTrafficDoesNotUseTheEndpoint() throws {
        let c = try Self.compiled()
        // Inside the VPC the local route wins: the appliance's group admits only GENEVE from its subnet.
        expectBlocked(c.query("web-1", "fw-1", "tcp/22"), .eniSGRulesMismatch, .forward, at: "appliance")
        #expect(c.evaluateAssertions().map(\.holds) == [true])
    }

    @Test func noreachThroughTheEndpointIsNotProven() {
        let text = (repositoryFile("Topologies/inspection-vpc.vpc") ?? "") + """
            assert noreach internet -> web-1 tcp/443
            assert reach web-1 -> 8.8.8.8 tcp/443

            """
        let c = compile(text)
        #expect(c.evaluateAssertions().map(\.holds) == [true, false, false])
    }

    /// A GWLB is a bump in the wire, not a destination: addressed by name or node address it carries nothing
    /// (and its node holds no security group, so nothing "admits" it).
    @Test func theGatewayLoadBalancerAddressedDirectlyIsNeverReachable() throws {
        let c = try Self.compiled()
        for to in ["inspect", "10.0.3.100"] {
            for traffic in ["udp/6081", "tcp/443", "all"] {
                let v = c.query("web-1", to, traffic)
                expectBlocked(v, .unsupportedComponent, .forward, at: "inspect")
                if case .loadBalancer(let name, let problem, _, _)? = v.explanation?.detail {
                    #expect(name == "inspect" && problem == .onlyThroughEndpoints)
                    // Its answer names its one listener rather than "no listener".
                    #expect(v.loadBalancer?.listener == "geneve 6081", "\(String(describing: v.loadBalancer))")
                } else { Issue.record("\(to) \(traffic): \(String(describing: v.explanation))") }
            }
        }
    }

    @Test func theEndpointIsNoQueryEndpoint() throws {
        let c = try Self.compiled()
        let r = c.resolveVPCEndpoint("inspect-a")
        guard case .failure(let e)? = r else { Issue.record("expected an error, got \(String(describing: r))"); return }
        #expect(e.message.contains("route target, not a query endpoint"))
    }
}
