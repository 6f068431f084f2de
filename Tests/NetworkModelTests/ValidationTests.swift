import IPAddressing
import Reporting
import Testing
@testable import NetworkModel
import Generators

/// Every validation rule, failing and passing: each case is a small topology around a valid base, once with
/// the mistake (one diagnostic whose message contains the expected text) and once corrected (none).
@Suite struct ValidationTests {
    struct Case: CustomStringConvertible, Sendable {
        var rule: String
        var bad: String
        var good: String
        var message: String
        var description: String { rule }
    }

    static func vpc(_ body: String, extra: String = "") -> String {
        """
        vpc prod {
          cidr 10.0.0.0/16
          ipv6 2600:1f18:1234:5600::/56
          internet-gateway igw
          subnet app-a 10.0.1.0/24 az us-east-1a ipv6 2600:1f18:1234:5601::/64
          subnet db-a 10.0.2.0/24 az us-east-1a
          subnet app-b 10.0.3.0/24 az us-east-1b
        \(body)
        }
        \(extra)
        """
    }

    static let cases: [Case] = [
        Case(rule: "subnet inside a VPC block", bad: vpc("  subnet x 10.1.0.0/24"), good: vpc("  subnet x 10.0.9.0/24"),
             message: "is outside the blocks of vpc 'prod'"),
        Case(rule: "subnet size /16-/28", bad: vpc("  subnet x 10.0.9.0/29"), good: vpc("  subnet x 10.0.9.0/28"),
             message: "AWS allows /16 to /28"),
        Case(rule: "IPv6 subnet /64", bad: vpc("  subnet x 10.0.9.0/24 ipv6 2600:1f18:1234:5608::/63"),
             good: vpc("  subnet x 10.0.9.0/24 ipv6 2600:1f18:1234:5609::/64"), message: "IPv6 subnets are /64"),
        Case(rule: "IPv6 subnet inside the VPC block", bad: vpc("  subnet x 10.0.9.0/24 ipv6 2600:1f18:1234:5700::/64"),
             good: vpc("  subnet x 10.0.9.0/24 ipv6 2600:1f18:1234:5609::/64"), message: "outside the IPv6 blocks"),
        Case(rule: "VPC block size", bad: "vpc v { cidr 10.0.0.0/12 }", good: "vpc v { cidr 10.0.0.0/16 }", message: "AWS allows /16 to /28"),
        Case(rule: "VPC blocks disjoint", bad: "vpc v { cidr 10.0.0.0/16 cidr 10.0.128.0/17 }",
             good: "vpc v { cidr 10.0.0.0/16 cidr 10.1.128.0/17 }", message: "overlaps block"),
        Case(rule: "VPC IPv6 block /56", bad: "vpc v { cidr 10.0.0.0/16 ipv6 2600::/48 }", good: "vpc v { cidr 10.0.0.0/16 ipv6 2600::/56 }",
             message: "are /56"),
        Case(rule: "subnets do not overlap", bad: vpc("  subnet x 10.0.1.128/25"), good: vpc("  subnet x 10.0.4.128/25"),
             message: "overlaps subnet 'app-a'"),
        Case(rule: "instance IP inside its subnet", bad: vpc("  instance i in app-a ip 10.0.2.10"),
             good: vpc("  instance i in app-a ip 10.0.1.10"), message: "is outside subnet 'app-a'"),
        Case(rule: "instance IP not reserved (first four)", bad: vpc("  instance i in app-a ip 10.0.1.3"),
             good: vpc("  instance i in app-a ip 10.0.1.4"), message: "is reserved"),
        Case(rule: "instance IP not reserved (last)", bad: vpc("  instance i in app-a ip 10.0.1.255"),
             good: vpc("  instance i in app-a ip 10.0.1.254"), message: "broadcast"),
        Case(rule: "IPv6 address in subnet and not reserved", bad: vpc("  instance i in app-a ip 10.0.1.10 ipv6 2600:1f18:1234:5601::3"),
             good: vpc("  instance i in app-a ip 10.0.1.10 ipv6 2600:1f18:1234:5601::4"), message: "is reserved"),
        Case(rule: "no duplicate IPs", bad: vpc("  instance i in app-a ip 10.0.1.10\n  instance j in app-a ip 10.0.1.10"),
             good: vpc("  instance i in app-a ip 10.0.1.10\n  instance j in app-a ip 10.0.1.11"), message: "already used by 'i'"),
        Case(rule: "no duplicate secondary IPs", bad: vpc("  instance i in app-a ip 10.0.1.10 secondary-ip 10.0.1.10"),
             good: vpc("  instance i in app-a ip 10.0.1.10 secondary-ip 10.0.1.12"), message: "already used"),
        Case(rule: "names unique", bad: vpc("  security-group app-a {\n  }"), good: vpc("  security-group app {\n  }"),
             message: "duplicate name 'app-a'"),
        Case(rule: "route target resolves", bad: vpc("  route-table r {\n    route 0.0.0.0/0 -> igx\n  }"),
             good: vpc("  route-table r {\n    route 0.0.0.0/0 -> igw\n  }"), message: "unknown route target 'igx'"),
        Case(rule: "route target in the same VPC",
             bad: vpc("  route-table r {\n    route 0.0.0.0/0 -> other-nat\n  }", extra: "vpc other { cidr 10.1.0.0/16 subnet o-1 10.1.0.0/24 nat-gateway other-nat in o-1 eip 54.0.0.1 }"),
             good: vpc("  route-table r {\n    route 0.0.0.0/0 -> igw\n  }", extra: "vpc other { cidr 10.1.0.0/16 subnet o-1 10.1.0.0/24 nat-gateway other-nat in o-1 eip 54.0.0.1 }"),
             message: "is a NAT gateway in vpc 'other', not in vpc 'prod'"),
        Case(rule: "route target of the right kind", bad: vpc("  route-table r {\n    route 0.0.0.0/0 -> db-a\n  }"),
             good: vpc("  route-table r {\n    route 0.0.0.0/0 -> igw\n  }"), message: "is a subnet"),
        Case(rule: "peering route target joins this VPC",
             bad: vpc("  route-table r {\n    route 10.9.0.0/16 -> x-y\n  }", extra: "vpc x { cidr 10.8.0.0/16 }\nvpc y { cidr 10.9.0.0/16 }\npeering x-y x <-> y"),
             good: vpc("  route-table r {\n    route 10.9.0.0/16 -> p-y\n  }", extra: "vpc y { cidr 10.9.0.0/16 }\npeering p-y prod <-> y"),
             message: "not vpc 'prod'"),
        Case(rule: "transit gateway route target attached to this VPC",
             bad: vpc("  route-table r {\n    route 10.9.0.0/16 -> core\n  }", extra: "vpc y { cidr 10.9.0.0/16 subnet y-1 10.9.0.0/24 }\ntransit-gateway core { attachment y-att vpc y subnets y-1 }"),
             good: vpc("  route-table r {\n    route 10.9.0.0/16 -> core\n  }", extra: "vpc y { cidr 10.9.0.0/16 subnet y-1 10.9.0.0/24 }\ntransit-gateway core { attachment y-att vpc y subnets y-1 attachment p-att vpc prod subnets app-a }"),
             message: "has no attachment in vpc 'prod'"),
        Case(rule: "egress-only gateway routes IPv6 only",
             bad: vpc("  egress-only-gateway eigw\n  route-table r {\n    route 0.0.0.0/0 -> eigw\n  }"),
             good: vpc("  egress-only-gateway eigw\n  route-table r {\n    route ::/0 -> eigw\n  }"), message: "routes only IPv6"),
        Case(rule: "NAT gateway takes IPv6 only as NAT64",
             bad: vpc("  nat-gateway n in app-a\n  route-table r {\n    route ::/0 -> n\n  }"),
             good: vpc("  nat-gateway n in app-a\n  route-table r {\n    route 64:ff9b::/96 -> n\n  }"), message: "NAT64"),
        Case(rule: "route to an instance interface that exists",
             bad: vpc("  instance fw in app-a ip 10.0.1.10 source-dest-check off\n  route-table r {\n    route 10.9.0.0/16 -> fw.eth3\n  }"),
             good: vpc("  instance fw in app-a ip 10.0.1.10 source-dest-check off\n  route-table r {\n    route 10.9.0.0/16 -> fw.eth0\n  }"),
             message: "has no interface 'eth3'"),
        Case(rule: "one route per destination", bad: vpc("  route-table r {\n    route 0.0.0.0/0 -> igw\n    route 0.0.0.0/0 blackhole\n  }"),
             good: vpc("  route-table r {\n    route 0.0.0.0/0 -> igw\n    route 10.9.0.0/16 blackhole\n  }"), message: "already has a route to 0.0.0.0/0"),
        Case(rule: "prefix list resolves", bad: vpc("  route-table r {\n    route pl:corpp -> igw\n  }", extra: "prefix-list corp { 10.200.0.0/16 }"),
             good: vpc("  route-table r {\n    route pl:corp -> igw\n  }", extra: "prefix-list corp { 10.200.0.0/16 }"),
             message: "unknown prefix list 'corpp'"),
        Case(rule: "prefix list of one family", bad: "prefix-list p { 10.0.0.0/8 2600::/16 }", good: "prefix-list p { 10.0.0.0/8 11.0.0.0/8 }",
             message: "mixes IPv4 and IPv6"),
        Case(rule: "subnet has at most one route table",
             bad: vpc("  route-table r {\n    associate app-a\n  }\n  route-table s {\n    associate app-a\n  }"),
             good: vpc("  route-table r {\n    associate app-a\n  }\n  route-table s {\n    associate db-a\n  }"),
             message: "already associated with route table 'r'"),
        Case(rule: "subnet has at most one network ACL",
             bad: vpc("  network-acl r {\n    associate app-a\n  }\n  network-acl s {\n    associate app-a\n  }"),
             good: vpc("  network-acl r {\n    associate app-a\n  }\n  network-acl s {\n    associate db-a\n  }"),
             message: "already associated with network ACL 'r'"),
        Case(rule: "association names a subnet of this VPC",
             bad: vpc("  route-table r {\n    associate o-1\n  }", extra: "vpc other { cidr 10.1.0.0/16 subnet o-1 10.1.0.0/24 }"),
             good: vpc("  route-table r {\n    associate app-b\n  }", extra: "vpc other { cidr 10.1.0.0/16 subnet o-1 10.1.0.0/24 }"),
             message: "is in vpc 'other', not in vpc 'prod'"),
        Case(rule: "at most one main table", bad: vpc("  route-table r main {\n  }\n  route-table s main {\n  }"),
             good: vpc("  route-table r main {\n  }\n  route-table s {\n  }"), message: "already has main route table"),
        Case(rule: "peered VPCs do not overlap", bad: "vpc a { cidr 10.0.0.0/16 }\nvpc b { cidr 10.0.0.0/16 }\npeering a-b a <-> b",
             good: "vpc a { cidr 10.0.0.0/16 }\nvpc b { cidr 10.1.0.0/16 }\npeering a-b a <-> b", message: "peered VPCs overlap"),
        Case(rule: "one peering per VPC pair", bad: "vpc a { cidr 10.0.0.0/16 }\nvpc b { cidr 10.1.0.0/16 }\npeering a-b a <-> b\npeering b-a b <-> a",
             good: "vpc a { cidr 10.0.0.0/16 }\nvpc b { cidr 10.1.0.0/16 }\nvpc c { cidr 10.2.0.0/16 }\npeering a-b a <-> b\npeering b-c b <-> c",
             message: "already peered"),
        Case(rule: "peering joins VPCs", bad: "vpc a { cidr 10.0.0.0/16 }\npeering a-b a <-> bb", good: "vpc a { cidr 10.0.0.0/16 }\nvpc b { cidr 10.1.0.0/16 }\npeering a-b a <-> b",
             message: "unknown VPC 'bb'"),
        Case(rule: "NACL rule numbers unique per direction",
             bad: vpc("  network-acl n {\n    inbound 100 allow all from 0.0.0.0/0\n    inbound 100 deny all from 0.0.0.0/0\n  }"),
             good: vpc("  network-acl n {\n    inbound 100 allow all from 0.0.0.0/0\n    outbound 100 deny all to 0.0.0.0/0\n  }"),
             message: "inbound rule 100 is already used"),
        Case(rule: "NACL rule numbers within 1..32766",
             bad: vpc("  network-acl n {\n    outbound 32767 allow all to 0.0.0.0/0\n  }"),
             good: vpc("  network-acl n {\n    outbound 32766 allow all to 0.0.0.0/0\n  }"), message: "outside 1...32766"),
        Case(rule: "TGW attachment subnets one per AZ",
             bad: vpc("", extra: "transit-gateway t { attachment a vpc prod subnets app-a db-a }"),
             good: vpc("", extra: "transit-gateway t { attachment a vpc prod subnets app-a app-b }"), message: "already has subnet 'app-a'"),
        Case(rule: "TGW attachment subnets in its VPC",
             bad: vpc("", extra: "vpc o { cidr 10.1.0.0/16 subnet o-1 10.1.0.0/24 }\ntransit-gateway t { attachment a vpc prod subnets o-1 }"),
             good: vpc("", extra: "vpc o { cidr 10.1.0.0/16 subnet o-1 10.1.0.0/24 }\ntransit-gateway t { attachment a vpc o subnets o-1 }"),
             message: "is in vpc 'o', not in vpc 'prod'"),
        Case(rule: "TGW attachment associated once",
             bad: vpc("", extra: "transit-gateway t { attachment a vpc prod subnets app-a\n route-table x { associate a }\n route-table y { associate a } }"),
             good: vpc("", extra: "transit-gateway t { attachment a vpc prod subnets app-a\n route-table x { associate a }\n route-table y { propagate a } }"),
             message: "already associated with route table 'x'"),
        Case(rule: "TGW route targets its own attachment",
             bad: vpc("", extra: "transit-gateway t { attachment a vpc prod subnets app-a\n route-table x { route 0.0.0.0/0 -> b } }"),
             good: vpc("", extra: "transit-gateway t { attachment a vpc prod subnets app-a\n route-table x { route 0.0.0.0/0 -> a } }"),
             message: "unknown attachment 'b'"),
        Case(rule: "security group reference in own or peered VPC",
             bad: vpc("  security-group s {\n    ingress tcp 22 from sg o-sg\n  }", extra: "vpc o { cidr 10.1.0.0/16 security-group o-sg { } }"),
             good: vpc("  security-group s {\n    ingress tcp 22 from sg o-sg\n  }", extra: "vpc o { cidr 10.1.0.0/16 security-group o-sg { } }\npeering p prod <-> o"),
             message: "neither vpc 'prod' nor peered"),
        Case(rule: "instance security groups in its VPC",
             bad: vpc("  instance i in app-a ip 10.0.1.10 sg o-sg", extra: "vpc o { cidr 10.1.0.0/16 security-group o-sg { } }"),
             good: vpc("  security-group mine {\n  }\n  instance i in app-a ip 10.0.1.10 sg mine", extra: "vpc o { cidr 10.1.0.0/16 security-group o-sg { } }"),
             message: "security group 'o-sg' is in vpc 'o'"),
        Case(rule: "NAT gateway subnet resolves", bad: vpc("  nat-gateway n in app-c eip 54.0.0.1"), good: vpc("  nat-gateway n in app-a eip 54.0.0.1"),
             message: "unknown subnet 'app-c'"),
        Case(rule: "egress-only gateway needs IPv6", bad: "vpc v { cidr 10.0.0.0/16 egress-only-gateway e }",
             good: "vpc v { cidr 10.0.0.0/16 ipv6 2600::/56 egress-only-gateway e }", message: "has no IPv6 block"),
        Case(rule: "assertion endpoints resolve", bad: vpc("  instance i in app-a ip 10.0.1.10", extra: "assert reach i -> j tcp/22"),
             good: vpc("  instance i in app-a ip 10.0.1.10", extra: "assert reach i -> db-a tcp/22"), message: "unknown endpoint 'j'"),
        Case(rule: "assertion interface exists", bad: vpc("  instance i in app-a ip 10.0.1.10", extra: "assert reach i.eth1 -> internet tcp/22"),
             good: vpc("  instance i in app-a ip 10.0.1.10", extra: "assert reach i.eth0 -> internet tcp/22"), message: "has no interface 'eth1'"),
        Case(rule: "assertion not internet at both ends", bad: vpc("", extra: "assert noreach internet -> internet:8.8.8.0/24 tcp/22"),
             good: vpc("", extra: "assert noreach internet -> app-a tcp/22"), message: "both ends of the assertion are the internet"),
        Case(rule: "internet:CIDR is public", bad: vpc("", extra: "assert noreach internet:172.16.0.0/12 -> app-a tcp/22"),
             good: vpc("", extra: "assert noreach internet:198.51.100.0/24 -> app-a tcp/22"), message: "is not a public block"),
        Case(rule: "internet:CIDR outside every VPC", bad: vpc("", extra: "vpc pub {\n  cidr 54.10.0.0/16\n}\nassert noreach internet:54.10.1.0/24 -> app-a tcp/22"),
             good: vpc("", extra: "vpc pub {\n  cidr 54.10.0.0/16\n}\nassert noreach internet:54.11.1.0/24 -> app-a tcp/22"),
             message: "overlaps block 54.10.0.0/16 of vpc 'pub'"),
    ]

    @Test func internetBlockErrorsPointAtTheEndpoint() {
        let d = Fixtures.load(ValidationTests.vpc("", extra: "assert noreach internet:10.0.0.0/8 -> app-a tcp/22")).1
        #expect(d.count == 1)
        // The assert is on line 10; the column is that of the endpoint word.
        #expect(d.first?.line == 10 && d.first?.column == 16, "\(d.map(\.rendered))")
    }

    @Test(arguments: ValidationTests.cases)
    func ruleFailsAndPasses(_ c: Case) {
        let bad = Fixtures.load(c.bad).1
        #expect(bad.count == 1, "\(c.rule): \(bad.map(\.rendered))")
        #expect(bad.first?.message.contains(c.message) == true, "\(c.rule): \(bad.map(\.message))")
        let good = Fixtures.load(c.good).1
        #expect(good.isEmpty, "\(c.rule): \(good.map(\.rendered))")
    }

    @Test func baseIsValid() {
        #expect(Fixtures.load(ValidationTests.vpc("")).1.isEmpty)
    }

    @Test func nearMissNamesGetSuggestions() {
        let d = Fixtures.load(ValidationTests.vpc("  nat-gateway nat-a in app-a\n  route-table r {\n    route 0.0.0.0/0 -> nat-b\n  }")).1
        #expect(d.first?.hint == "did you mean 'nat-a'?")
    }

    @Test func validationWithoutSourcesStillLocates() {
        let (topology, _) = TopologyParser.parse(ValidationTests.vpc("  subnet x 10.1.0.0/24"), file: "f.vpc")
        let d = TopologyValidator.validate(topology)
        #expect(d.count == 1)
        #expect(d.first?.file == "f.vpc" && d.first?.line == 8 && d.first?.sourceLine == nil)
    }

    @Test func largeGeneratedTopologyIsValid() {
        let t = TopologyGenerator(seed: 7, vpcs: 40, subnetsPerVPC: 9, instances: 2000, securityGroups: 100, zones: 3).generate()
        #expect(t.vpcs.count == 40)
        #expect(t.vpcs.reduce(0) { $0 + $1.instances.count } == 2000)
        #expect(TopologyValidator.validate(t).isEmpty)
    }
}
