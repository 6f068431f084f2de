import Generators
import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// The interval lists the query path reads (`routeIntervals`, `subnetIntervals`), read off the LPM tables at
/// compile time, against ``ipv4Intervals(_:_:)``, which finds them by probing every prefix boundary: the same
/// lists, element for element.
@Suite struct HotIntervalsTests {
    static func expectIntervalsMatchProbing(_ c: CompiledTopology, _ label: String) {
        #expect(c.routeTableIntervals.count == c.routeTables.count)
        for t in c.routeTables.indices {
            let prefixes: [IPv4Prefix] = c.routeTables[t].routes.compactMap { if case .v4(let p) = $0.prefix { p } else { nil } }
            let lpm = c.routeTables[t].lpm
            let expected = ipv4Intervals(prefixes) { lpm.lookup($0)?.value ?? -1 }
            let s = c.routeTableIntervals[t]
            let got = c.routeIntervals[Int(s.start)..<Int(s.start + s.count)]
            #expect(got.map(\.start) == expected.map(\.0), "\(label): table \(c.routeTables[t].name) starts")
            #expect(got.map(\.route) == expected.map(\.1), "\(label): table \(c.routeTables[t].name) routes")
            for interval in got where interval.route >= 0 {
                let target = HotRouteTarget(c.routeTables[t].routes[Int(interval.route)].target)
                #expect("\(interval.target)" == "\(target)", "\(label): table \(c.routeTables[t].name) target")
            }
        }
        #expect(c.vpcSubnetIntervals.count == c.vpcs.count)
        for v in c.vpcs.indices {
            let prefixes = c.vpcs[v].subnets.map { c.subnets[Int($0)].cidr }
            let lpm = c.subnetLPM[v]
            let expected = ipv4Intervals(prefixes) { lpm.lookup($0)?.value ?? -1 }
            let s = c.vpcSubnetIntervals[v]
            let got = c.subnetIntervals[Int(s.start)..<Int(s.start + s.count)]
            #expect(got.map(\.start) == expected.map(\.0), "\(label): VPC \(c.vpcs[v].name) starts")
            #expect(got.map(\.subnet) == expected.map(\.1), "\(label): VPC \(c.vpcs[v].name) subnets")
        }
    }

    /// A generated topology with gateway endpoints (prefix-list routes on every table), a TGW and the edges.
    @Test func generatedTopology() {
        let t = TopologyGenerator(seed: 7, vpcs: 12, subnetsPerVPC: 9, instances: 300, securityGroups: 40, zones: 3, edges: true).generate()
        let c = CompiledTopology(t)
        #expect(c.routeTables.contains { $0.routes.contains { if case .gatewayEndpoint = $0.target { true } else { false } } })
        Self.expectIntervalsMatchProbing(c, "generated")
    }

    /// Edge cases: a VPC without subnets (one interval, no subnet), an IPv6-only route next to IPv4 ones, a
    /// default route and a host route on the last address of the space.
    @Test func edgeCases() throws {
        var a = VPC(name: "a", cidrs: [try IPv4Prefix("10.0.0.0/16")])
        a.ipv6Cidrs = [try IPv6Prefix("2001:db8::/56")]
        a.internetGateway = Gateway(name: "igw")
        a.subnets = [Subnet(name: "s1", cidr: try IPv4Prefix("10.0.1.0/24")), Subnet(name: "s2", cidr: try IPv4Prefix("10.0.2.0/24"))]
        a.routeTables = [RouteTable(name: "rt", associations: ["s1"], routes: [
            Route(destination: .cidr(.v4(try IPv4Prefix("0.0.0.0/0"))), target: .named("igw")),
            Route(destination: .cidr(.v4(try IPv4Prefix("255.255.255.255/32"))), target: .blackhole),
            Route(destination: .cidr(.v6(try IPv6Prefix("::/0"))), target: .named("igw")),
        ])]
        let empty = VPC(name: "empty", cidrs: [try IPv4Prefix("10.9.0.0/16")])
        var t = Topology()
        t.vpcs = [a, empty]
        let c = CompiledTopology(t)
        Self.expectIntervalsMatchProbing(c, "edge cases")
        let s = c.vpcSubnetIntervals[1]
        #expect(s.count == 1 && c.subnetIntervals[Int(s.start)].subnet == -1)
        #expect(c.subnetOf(vpc: 1, try IPv4Address("10.9.0.1")) == -1)
    }
}
