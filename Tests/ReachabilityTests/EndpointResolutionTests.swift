import IPAddressing
import NetworkModel
import Reachability
import Testing

/// Every spelling of a query endpoint resolves through the resolved topology's names to the typed ids of the
/// data plane (only the public API is used here).
@Suite struct EndpointResolutionTests {
    static let text = """
        vpc v {
          cidr 10.0.0.0/16
          id vpc-0123456789abcdef0
          subnet a 10.0.1.0/24 az us-east-1a id subnet-0aaa
          subnet empty 10.0.9.0/24 az us-east-1a
          nat-gateway nat-a in a ip 10.0.1.50 id nat-0abc
          instance h1 in a ip 10.0.1.10 id i-0abc
          instance h2 id i-0two {
            interface eth0 in a ip 10.0.1.11 id eni-0def
            interface eth1 in a ip 10.0.1.12 id eni-0one
          }
          instance lost in nowhere ip 10.0.5.5 id i-lost
        }
        """

    static let compiled: CompiledTopology = {
        let (topology, _) = TopologyParser.parse(text, file: "endpoints.vpc")
        return CompiledTopology(topology)
    }()

    /// The interface `text` resolves to, and the address used.
    func interface(_ text: String) -> (InterfaceID, IPAddress)? {
        if case .success(.interface(let i, let a)) = Self.compiled.resolve(text) { return (i, a) }
        return nil
    }

    func error(_ text: String) -> EndpointError? {
        if case .failure(let e) = Self.compiled.resolve(text) { return e }
        return nil
    }

    @Test func namesResolveToTheirInterfaces() throws {
        let c = Self.compiled
        let h1 = try #require(interface("h1"))
        #expect(c[h1.0].name == "h1" && h1.1 == .v4(IPv4Address(10, 0, 1, 10)))
        let h2 = try #require(interface("h2"))
        #expect(c[h2.0].name == "h2" && h2.1 == .v4(IPv4Address(10, 0, 1, 11)))
        #expect(interface("h2.eth0")?.0 == h2.0)
        let eth1 = try #require(interface("h2.eth1"))
        #expect(c[eth1.0].name == "h2.eth1" && eth1.1 == .v4(IPv4Address(10, 0, 1, 12)))
        let nat = try #require(interface("nat-a"))
        #expect(c[nat.0].name == "nat-a" && nat.1 == .v4(IPv4Address(10, 0, 1, 50)))
        // The same interfaces through the resolved ids.
        let r = c.resolved
        let h2ID = try #require(r.instances.indices.first { r.name(of: InstanceID($0)) == "h2" })
        let eni = r.instances[h2ID].interfaces
        let eth1ID = eni[eni.startIndex + 1]
        #expect(c.interface(of: eth1ID) == eth1.0)
        #expect(c.interface(of: NATGatewayID(0)) == nat.0)
    }

    @Test func awsIDsResolve() throws {
        let c = Self.compiled
        #expect(c[try #require(interface("i-0abc")).0].name == "h1")
        // An instance id is its first interface.
        #expect(interface("i-0two")?.0 == interface("h2")?.0)
        #expect(interface("eni-0def")?.0 == interface("h2")?.0)
        #expect(interface("eni-0one")?.0 == interface("h2.eth1")?.0)
        #expect(interface("nat-0abc")?.0 == interface("nat-a")?.0)
        guard case .success(.host(let s, let a)) = c.resolve("subnet-0aaa") else { Issue.record("subnet id"); return }
        #expect(c[s].name == "a" && a == .v4(IPv4Address(10, 0, 1, 4)))
        #expect(c.subnet(named: "subnet-0aaa") == s && c.subnet(named: "a") == s)
    }

    @Test func subnetNamesAndAddresses() throws {
        let c = Self.compiled
        guard case .success(.host(let s, let a)) = c.resolve("empty") else { Issue.record("subnet name"); return }
        #expect(c[s].name == "empty" && a == .v4(IPv4Address(10, 0, 9, 4)))
        // An address an interface holds is that interface; one nobody holds is an unheld host of its subnet.
        #expect(interface("10.0.1.11")?.0 == interface("h2")?.0)
        guard case .success(.unheld(let u, _)) = c.resolve("10.0.1.99") else { Issue.record("unheld"); return }
        #expect(c[u].name == "a")
        guard case .success(.internet(let i)) = c.resolve("internet:198.51.100.1") else { Issue.record("internet"); return }
        #expect(i == .v4(IPv4Address(198, 51, 100, 1)))
        guard case .success(.internet) = c.resolve("internet") else { Issue.record("internet"); return }
    }

    @Test func errorsKeepTheirIdsAndHints() throws {
        let vpc = try #require(error("vpc-0123456789abcdef0"))
        #expect(vpc.id == EndpointError.invalid && vpc.suggestion == nil)
        let typo = try #require(error("nat-aa"))
        #expect(typo.id == EndpointError.unknown && typo.suggestion == "nat-a")
        #expect(typo.diagnostic().hint == "did you mean 'nat-a'?")
        // An interface whose subnet does not resolve is no endpoint, by name or id.
        #expect(error("lost")?.id == EndpointError.unknown)
        #expect(error("i-lost")?.id == EndpointError.unknown)
        #expect(Self.compiled.interface(named: "lost") == nil)
        #expect(error("internet:nope")?.id == EndpointError.invalid)
    }
}
