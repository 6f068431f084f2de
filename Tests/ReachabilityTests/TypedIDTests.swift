import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// The compiled arrays read by the resolver's typed ids, and resolved interfaces mapped to the data plane's.
@Suite struct TypedIDTests {
    static let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet s 10.0.0.0/24
          subnet t 10.0.1.0/24
          nat-gateway n in t
          route-table r main {
            associate s
            route 0.0.0.0/0 -> n
          }
          instance a in s ip 10.0.0.10
          instance lost in nowhere ip 10.0.0.11
          instance b {
            interface eth0 in s ip 10.0.0.12
            interface eth1 in t ip 10.0.1.12
          }
        }
        """

    @Test func compiledComponentsByResolvedID() throws {
        let (topology, _) = TopologyParser.parse(Self.text, file: "typed.vpc")
        let c = CompiledTopology(topology)
        let r = c.resolved
        let s = try #require(r.subnet(named: "s")), v = try #require(r.vpc(named: "v"))
        #expect(c[s].name == "s" && c[s].vpcID == v && c[v].subnetIDs.contains(s))
        #expect(c[c[s].routeTableID].name == "r" && c[s].routeTableID == r.subnets[s.position].routeTable)
        #expect(c[s].networkACLID == nil && c[v].mainRouteTableID == r.vpcs[v.position].mainRouteTable)
        // Interfaces: a usable one maps to its ENI, one in an unknown subnet to none.
        let names = r.interfaces.indices.map { r.name(of: NetworkInterfaceID($0)) }
        #expect(names == ["a", "lost", "b", "b.eth1"])
        let mapped = r.interfaces.indices.map { c.interface(of: NetworkInterfaceID($0)).map { c[$0].name } }
        #expect(mapped == ["a", nil, "b", "b.eth1"])
        let nat = try #require(c.interface(of: NATGatewayID(0)))
        #expect(c[nat].name == "n" && c.interfaceComponent(nat).kind == .natGateway)
        #expect(c[nat].subnetID == r.subnet(named: "t"))
    }
}
