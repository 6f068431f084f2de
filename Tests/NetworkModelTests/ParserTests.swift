import IPAddressing
import Reporting
import Testing
@testable import NetworkModel

@Suite struct ParserTests {
    @Test(.enabled(if: !Fixtures.contract.isEmpty, "needs Docs/LANGUAGE-CONTRACT.md")) func contractDocumentParsesAndValidates() throws {
        let text = Fixtures.contract
        try #require(!text.isEmpty)
        let (topology, diagnostics) = Fixtures.load(text, file: "dsl.md")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        #expect(topology.vpcs.map(\.name) == ["prod", "shared"])
        let prod = try #require(topology.vpcs.first)
        #expect(prod.cidrs.map(\.description) == ["10.0.0.0/16", "10.5.0.0/16"])
        #expect(prod.region == "us-east-1" && prod.account == "111122223333")
        #expect(prod.id == "vpc-0a1b2c3d4e5f60789")
        #expect(prod.subnets.first?.mapPublicIP == true)
        #expect(prod.routeTables.last?.isMain == true)
        #expect(prod.routeTables.last?.routes.contains { $0.destination == .prefixList("corp") && $0.target == .named("core") } == true)
        #expect(prod.routeTables.last?.routes.last?.target == .blackhole)
        #expect(prod.securityGroups.first?.egress == nil)
        #expect(prod.securityGroups.last?.egress?.count == 1)
        #expect(prod.networkACLs.first?.inbound.map(\.number) == [100, 110, 200])
        let fw = try #require(prod.instances.first { $0.name == "fw-1" })
        #expect(fw.interfaces.map(\.name) == ["eth0", "eth1"])
        #expect(fw.interfaces.first?.sourceDestCheck == false)
        #expect(prod.instances.first?.interfaces.first?.publicIP == .address(try IPv4Address("54.1.2.3")))
        #expect(topology.peerings.first?.requester == "prod")
        #expect(topology.transitGateways.first?.routeTables.first?.propagations == ["shared-att"])
        #expect(topology.assertions.count == 5)
        #expect(topology.assertions[2].source == .internet(nil))
        #expect(topology.assertions[0].traffic == TrafficSpec(ipProtocol: .tcp, port: 5432))
        #expect(topology.assertions[1].expectReachable == false)
    }

    @Test func markdownKeepsOriginalLineNumbers() {
        let md = "# Title\n\ntext\n\n```\nvpc a {\n  cidr 10.0.0.0/16\n  subnt x\n}\n```\n\n```swift\nlet x = 1\n```\n"
        let (_, diagnostics) = Fixtures.load(md, file: "doc.md")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.line == 8)
        #expect(diagnostics.first?.column == 3)
    }

    @Test func oneLineForms() {
        let text = """
        vpc shared { cidr 10.1.0.0/16  subnet svc-a 10.1.0.0/24 az us-east-1a }
        vpc prod { cidr 10.0.0.0/16 subnet app-a 10.0.1.0/24 az us-east-1a }
        transit-gateway core { attachment a vpc prod subnets app-a  attachment b vpc shared subnets svc-a  route-table t { associate a propagate a b } }
        """
        let (t, d) = Fixtures.load(text)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        #expect(t.vpcs.map { $0.subnets.count } == [1, 1])
        #expect(t.transitGateways.first?.attachments.map(\.subnets) == [["app-a"], ["svc-a"]])
        #expect(t.transitGateways.first?.routeTables.first?.associations == ["a"])
        #expect(t.transitGateways.first?.routeTables.first?.propagations == ["a", "b"])
    }

    @Test func rulesProtocolsAndPorts() throws {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          security-group g {
            ingress icmp 8 from 0.0.0.0/0
            ingress icmp 3/4 from 0.0.0.0/0
            ingress icmpv6 from ::/0
            ingress proto 47 from 10.0.0.0/8
            ingress udp 1024-65535 from pl:corp
            egress none
          }
        }
        prefix-list corp { 10.200.0.0/16 }
        """
        let (t, d) = Fixtures.load(text)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let g = try #require(t.vpcs.first?.securityGroups.first)
        #expect(g.ingress[0].ports == PortRange(8, 65535))
        #expect(g.ingress[1].ports == PortRange(3, 4))
        #expect(g.ingress[2].ipProtocol == .icmpv6 && g.ingress[2].ports == nil)
        #expect(g.ingress[3].ipProtocol == .number(47))
        #expect(g.ingress[4].peer == .prefixList("corp") && g.ingress[4].ports == .ephemeral)
        #expect(g.egress == [])
    }

    @Test func instanceForms() throws {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet s 10.0.0.0/24 map-public-ip
          security-group a {
          }
          security-group b {
          }
          instance one in s ip 10.0.0.10 secondary-ip 10.0.0.11 public-ip none sg a b source-dest-check off id i-1
          instance two id i-2 {
            interface eth0 in s ip 10.0.0.20 id eni-2
          }
        }
        assert reach one.eth0 -> 10.0.0.20 icmp
        assert noreach internet:8.8.8.8 -> two proto 47
        assert noreach internet:198.51.100.0/24 -> two tcp/22
        """
        let (t, d) = Fixtures.load(text)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        let one = try #require(t.vpcs.first?.instances.first)
        #expect(one.id == "i-1")
        #expect(one.interfaces.first?.securityGroups == ["a", "b"])
        #expect(one.interfaces.first?.publicIP == NetworkInterface.PublicIP.none)
        #expect(one.interfaces.first?.secondaryIPs == [try IPv4Address("10.0.0.11")])
        #expect(one.interfaces.first?.sourceDestCheck == false)
        let two = try #require(t.vpcs.first?.instances.last)
        #expect(two.id == "i-2" && two.interfaces.first?.id == "eni-2")
        #expect(t.assertions[0].destination == .address(.v4(try IPv4Address("10.0.0.20"))))
        #expect(t.assertions[1].source == .internet(.v4(try IPv4Address("8.8.8.8"))))
        #expect(t.assertions[1].traffic.ipProtocol == .number(47))
        #expect(t.assertions[2].source == .internetBlock(.v4(try IPv4Prefix("198.51.100.0/24"))))
        #expect(t.assertions[2].source.description == "internet:198.51.100.0/24")
    }

    @Test func assertClientPortsParsePrintAndExport() throws {
        let text = """
        vpc v {
          cidr 10.0.0.0/16
          subnet s 10.0.0.0/24
          instance one in s ip 10.0.0.10
          instance two in s ip 10.0.0.20
        }
        assert reach one -> two tcp/443 client-ports linux
        assert noreach one -> two udp/53 client-ports windows
        assert reach one -> two tcp/443 client-ports 40000-40100
        assert reach one -> two tcp/443 client-ports 50000
        assert reach one -> two tcp/443
        """
        let (t, d) = Fixtures.load(text)
        #expect(d.isEmpty, "\(d.map(\.rendered))")
        #expect(t.assertions.map(\.clientPorts) == [.linux, .windows, .ports(PortRange(40000, 40100)), .ports(PortRange(50000)), nil])
        #expect(t.assertions[0].clientPorts?.range == PortRange(32768, 60999))
        #expect(t.assertions[1].clientPorts?.range == PortRange(49152, 65535))
        let printed = TopologyPrinter.format(t)
        #expect(printed.contains("assert reach one -> two tcp/443 client-ports linux\n"), "\(printed)")
        #expect(printed.contains("assert noreach one -> two udp/53 client-ports windows\n"))
        #expect(printed.contains("assert reach one -> two tcp/443 client-ports 40000-40100\n"))
        #expect(printed.contains("assert reach one -> two tcp/443 client-ports 50000\n"))
        #expect(TopologyParser.parse(printed, file: "x.vpc").0 == t)
        let json = TopologyJSON.export(t).serialized()
        #expect(json.contains(#""clientPorts":{"name":"linux","from":32768,"to":60999}"#), "\(json)")
        #expect(json.contains(#""clientPorts":{"name":null,"from":40000,"to":40100}"#))
        #expect(json.contains(#""clientPorts":null"#))
    }

    @Test func clientPortsValues() {
        #expect(ClientPorts(parsing: "linux") == .linux)
        #expect(ClientPorts(parsing: "0-65535") == .ports(.all))
        #expect(ClientPorts(parsing: "7") == .ports(PortRange(7)))
        for bad in ["", "-", "1-", "-5", "5-4", "65536", "1-65536", "Linux", "1 - 2", "+5", "000000001"] {
            #expect(ClientPorts(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func reportsEveryErrorOfAFileInOneRun() {
        let text = """
        vpc prod {
          cidr 10.0.0.0/16
          subnt a 10.0.0.0/24
          subnet b 10.0.1.0/24 zz
          route-table r {
            rout 1.0.0.0/8 blackhole
            route 2.0.0.0/8 -> 
          }
        }
        vpcx foo
        assert reach a -> b tcp/99999
        """
        let (_, d) = Fixtures.load(text)
        #expect(d.map(\.line) == [3, 4, 6, 7, 10, 11], "\(d.map(\.rendered))")
        #expect(d[0].hint == "did you mean 'subnet'?")
        #expect(d[1].hint == "did you mean 'az'?")
        #expect(d[4].hint == "did you mean 'vpc'?")
    }

    @Test func diagnosticRendersCaretUnderToken() {
        let (_, d) = Fixtures.load("vpc prod {\n  cidr 10.0.0.5/16\n}\n", file: "p.vpc")
        #expect(d.first?.rendered == """
        p.vpc:2:8: error: host bits set in CIDR '10.0.0.5/16'
          cidr 10.0.0.5/16
               ^~~~~~~~~~~
        hint: did you mean '10.0.0.0/16'?
        """)
    }

    @Test func columnsCountCharactersNotBytes() {
        let (_, d) = Fixtures.load("# café\nvpc é { cidr 10.0.0.0/16 }\n")
        #expect(d.first?.line == 2)
        #expect(d.first?.column == 5)
    }

    @Test func emptyAndCommentOnlyInputs() {
        #expect(Fixtures.load("").1.isEmpty)
        #expect(Fixtures.load("# nothing\n\n   \n").1.isEmpty)
        #expect(Fixtures.load("\u{FEFF}vpc a { cidr 10.0.0.0/16 }").1.isEmpty)
    }
}

@Suite struct NamedBlockTests {
    @Test(.enabled(if: !Fixtures.contract.isEmpty, "needs Docs/LANGUAGE-CONTRACT.md")) func blocksOfTheContract() {
        let (t, _) = Fixtures.load(Fixtures.contract, file: "dsl.md")
        let blocks = t.namedBlocks
        #expect(blocks.contains { $0.name == "vpc prod" && $0.prefix.description == "10.5.0.0/16" })
        #expect(blocks.contains { $0.name == "subnet prod/app-a" && $0.prefix.description == "2600:1f18:1234:5610::/64" })
        #expect(blocks.contains { $0.name == "prefix-list corp" && $0.prefix.description == "192.168.0.0/20" })
        #expect(blocks.count == 2 + 3 + 4 + 2)   // corp; prod blocks; prod subnets (app-a dual); shared
    }
}
