import TestSupport
import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// `egressRoute` (flow logs' traffic-path source) gives the route the walk takes, read from the hot tables:
/// checked against `routeDecision` — the explained route look-up over the route tables themselves — on every
/// instance of the example topologies and a spread of destinations.
@Test(arguments: ["Topologies/three-tier.vpc", "Topologies/hub-and-spoke.vpc", "Topologies/peering-mesh.vpc", "Topologies/dual-stack.vpc"])
func egressRouteAgreesWithRouteDecision(_ path: String) throws {
    let text = try #require(repositoryFile(path), "cannot read \(path)")
    let compiled = compile(text, file: path)
    var destinations: [IPAddress] = ["8.8.8.8", "10.0.0.5", "10.1.0.10", "10.2.0.10", "10.3.0.99", "10.4.0.10",
                                     "192.168.1.1", "172.16.0.1", "2600::1", "2001:db8::1"].compactMap { try? IPAddress($0) }
    for i in compiled.interfaces { destinations.append(.v4(i.primaryIP)) }
    var kinds = Set<String>()
    for (e, interface) in compiled.interfaces.enumerated() {
        #expect(compiled.primaryAddress(ofInterface: InterfaceID(Int32(e))) == interface.primaryIP)
        let subnet = compiled.subnets[Int(interface.subnet)]
        for d in destinations {
            let route = compiled.egressRoute(fromInterface: InterfaceID(Int32(e)), to: d)
            kinds.insert("\(route)".prefix { $0 != "(" }.description)
            if subnet.contains(d) {
                #expect(route == .sameSubnet, "\(interface.name) → \(d)")
                continue
            }
            let table = compiled.routeTables[Int(subnet.routeTable)]
            guard let match = table.lpm.lookup(d) else {
                #expect(route == .noRoute, "\(interface.name) → \(d)")
                continue
            }
            let expected: EgressRoute
            switch table.routes[Int(match.value)].target {
            case .local: expected = .local
            case .blackhole: expected = .blackhole
            case .internetGateway: expected = .internetGateway
            case .egressOnlyGateway: expected = .egressOnlyGateway
            case .natGateway(let n): expected = .natGateway(n)
            case .peering(let p): expected = .peering(p)
            case .transitGateway(let t): expected = .transitGateway(t)
            case .vpnGateway(let g): expected = .vpnGateway(g)
            case .interface(let i): expected = .interface(i)
            case .unresolved: expected = .unresolved
            case .unmodelled: expected = .unmodelled
            case .gatewayEndpoint(let e): expected = .gatewayEndpoint(e)
            case .gatewayLoadBalancerEndpoint: expected = .unmodelled
            }
            #expect(route == expected, "\(interface.name) → \(d)")
        }
    }
    #expect(kinds.count >= 3, "the destinations should exercise several kinds of route: \(kinds)")
}
