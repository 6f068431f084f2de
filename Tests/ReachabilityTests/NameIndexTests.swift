import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// The interface-name and AWS-id maps are built on first use, and compiling resolves route targets through the
/// entries of those maps for the targeted names only. Both must say what maps written eagerly in creation order
/// said (the last write wins a repeated key) — here with an instance whose name is another's `instance.eth0`.
@Suite struct NameIndexTests {
    static let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet s 10.0.0.0/24
          nat-gateway n in s ip 10.0.0.50 id nat-0abc
          instance a.eth0 in s ip 10.0.0.10 id i-first
          instance a in s ip 10.0.0.11 id i-second
          instance b id i-third {
            interface eth0 in s ip 10.0.0.12 id eni-b0
            interface eth1 in s ip 10.0.0.13 id eni-b1
          }
          route-table r main {
            route 10.1.0.0/16 -> a.eth0
            route 10.2.0.0/16 -> b.eth1
            route 10.3.0.0/16 -> i-first
            route 10.4.0.0/16 -> eni-b1
            route 10.5.0.0/16 -> nat-0abc
            route 10.6.0.0/16 -> n
          }
        }
        """

    /// Interfaces in creation order: a.eth0 0, a 1, b (eth0) 2, b.eth1 3, then the NAT gateway 4. The endpoint
    /// names come from the resolved topology (``EndpointNameTable``) and map to those data-plane interfaces.
    @Test func lazyMapsKeepTheLastWrittenValue() throws {
        let (topology, syntax) = TopologyParser.parse(Self.text, file: "names.vpc")
        #expect(syntax.isEmpty)
        let c = CompiledTopology(topology)
        try #require(c.interfaces.count == 5)
        let expected: [String: Int32] = ["a.eth0.eth0": 0, "a.eth0": 1, "a": 1, "b": 2, "b.eth0": 2, "b.eth1": 3, "n": 4]
        for (name, index) in expected { #expect(c.interface(named: name) == InterfaceID(index), "\(name)") }
        #expect(c.endpointNames.byName.count == 7)
        let ids: [String: Int32] = ["i-first": 0, "i-second": 1, "i-third": 2, "eni-b0": 2, "eni-b1": 3, "nat-0abc": 4]
        for (id, index) in ids {
            guard let e = c.endpointNames.byAWSID[id], let i = c.interface(of: e) else { Issue.record("\(id) is not an interface"); continue }
            #expect(i == InterfaceID(index), "\(id)")
        }
        // The same names as typed ids of the resolved topology.
        let r = c.resolved
        #expect(c.endpointNames.byName["n"] == .natGateway(NATGatewayID(0)))
        #expect(c.endpointNames.byName["b.eth1"] == .networkInterface(NetworkInterfaceID(3)))
        #expect(r.endpointNames().byAWSID["i-third"] == .networkInterface(NetworkInterfaceID(2)))
    }

    @Test func routeTargetsResolveAsThroughTheFullMaps() throws {
        let (topology, _) = TopologyParser.parse(Self.text, file: "names.vpc")
        let c = CompiledTopology(topology)
        let table = try #require(c.routeTables.first { $0.name == "r" })
        // The local route first, then the written routes in order.
        #expect(table.routes.dropFirst().map(\.target) == [
            .interface(InterfaceID(1)), .interface(InterfaceID(3)), .interface(InterfaceID(0)), .interface(InterfaceID(3)),
            .natGateway(InterfaceID(4)), .natGateway(InterfaceID(4)),
        ])
    }
}
