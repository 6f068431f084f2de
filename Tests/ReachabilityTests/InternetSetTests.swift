import IPAddressing
import NetworkModel
import TestSupport
import Testing
@testable import Reachability

/// `internet` as the set of every public address (issue 14 part 4): a query over it is reachable when some
/// address gets through, and says which.
@Suite struct InternetSetTests {
    /// One VPC, a public subnet routed to the IGW, `web-1` with public IP 54.1.2.3.
    static func topology(sg: String, nacl: String = "", routes: String = "route 0.0.0.0/0 -> igw",
                         extra: String = "") -> String {
        """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          route-table public {
            associate public-a
            \(routes)
          }
          security-group web {
            \(sg)
          }
          \(nacl)
          instance web-1 in public-a ip 10.0.0.10 public-ip 54.1.2.3 sg web
          \(extra)
        }
        """
    }

    func query(_ c: CompiledTopology, _ from: String, _ to: String, _ t: String) throws -> Verdict {
        let s = try c.resolveQuery(from, side: .source).get()
        let d = try c.resolveQuery(to, side: .destination).get()
        return try c.reach(from: s, to: d, traffic: traffic(t)).get()
    }

    func prefixes(_ list: [String]) throws -> [IPPrefix] { try list.map { try IPPrefix($0) } }

    @Test func aRuleForOneBlockMakesThatBlockReachable() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 198.51.100.0/24"))
        let v = try query(c, "internet", "web-1", "tcp/22")
        #expect(v.isReachable)
        #expect(v.internet?.side == .source)
        #expect(v.internet?.addresses == (try prefixes(["198.51.100.0/24"])))
        #expect(v.internet?.coversQueriedSet == false)
        #expect(v.internet?.example == .v4(try IPv4Address("198.51.100.1")))
        #expect(v.forwardPath.first?.header.source == .v4(try IPv4Address("198.51.100.1")))
        #expect(v.internet?.phrase() == "from 198.51.100.0/24 (e.g. 198.51.100.1)")
        // The single-address query of the old engine missed it.
        #expect(!(try query(c, "internet:203.0.113.7", "web-1", "tcp/22")).isReachable)
        // Another port: none of the internet gets through; the path shown is from the usual address.
        let no = try query(c, "internet", "web-1", "tcp/80")
        #expect(!no.isReachable)
        #expect(no.internet?.addresses == [])
        #expect(no.internet?.example == .v4(try IPv4Address("203.0.113.7")))
        #expect(no.explanation?.code == .eniSGRulesMismatch)
    }

    @Test func theWholeInternetIsEveryPublicAddressOutsideTheTopology() throws {
        let c = compile(Self.topology(sg: "ingress tcp 443 from 0.0.0.0/0", extra: "instance web-2 in public-a ip 10.0.0.11 public-ip 54.1.2.4 sg web"))
        let set = c.internetAddresses
        #expect(set.v4.contains(try IPv4Address("198.51.100.7")))
        #expect(set.v4.contains(try IPv4Address("8.8.8.8")))
        for other in ["10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.169.254",
                        "224.0.0.1", "240.0.0.1", "255.255.255.255", "0.1.2.3", "198.18.0.1", "192.0.0.8"] {
            #expect(!set.v4.contains(try IPv4Address(other)), "\(other)")
        }
        #expect(set.v6.contains(try IPv6Address("2606:4700::1")))
        #expect(!set.v6.contains(try IPv6Address("fd00::1")))
        let v = try query(c, "internet", "web-1", "tcp/443")
        #expect(v.isReachable && v.internet?.coversQueriedSet == true)
        #expect(v.internet?.example == .v4(try IPv4Address("203.0.113.7")))
        #expect(v.internet?.phrase() == "from every queried public address (e.g. 203.0.113.7)")
        // web-2's public address is web-2, not the internet: never walked, but kept in the lists (one block).
        #expect(v.internet?.addresses.count == c.internetAddresses.v4.prefixes.count)
        #expect(c.internetAddresses.v4.contains(try IPv4Address("54.1.2.4")))
        guard case .failure = c.resolveQuery("internet:54.1.2.4/32", side: .source) else {
            Issue.record("a block of held public IPs resolved"); return
        }
    }

    @Test func internetCIDRNarrowsTheSet() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 198.51.100.0/24"))
        let inside = try query(c, "internet:198.51.100.128/25", "web-1", "tcp/22")
        #expect(inside.isReachable && inside.internet?.coversQueriedSet == true)
        #expect(inside.internet?.addresses == (try prefixes(["198.51.100.128/25"])))
        #expect(!(try query(c, "internet:192.0.2.0/24", "web-1", "tcp/22")).isReachable)
        let across = try query(c, "internet:198.51.100.0/23", "web-1", "tcp/22")
        #expect(across.internet?.addresses == (try prefixes(["198.51.100.0/24"])))
        #expect(across.internet?.unreachableAddresses == (try prefixes(["198.51.101.0/24"])))
    }

    @Test func badInternetBlocksAndBothEndsInternetAreErrors() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 0.0.0.0/0"))
        for bad in ["internet:10.0.0.0/8", "internet:0.0.0.0/0", "internet:224.0.0.0/8", "internet:54.1.2.3/32", "internet:1.2.3.0/33", "internet:fd00::/8"] {
            guard case .failure(let e) = c.resolveQuery(bad, side: .source) else {
                Issue.record("\(bad) resolved"); continue
            }
            #expect(e.message.contains(bad), "\(e.message)")
        }
        let vpcPublic = compile("vpc p {\n  cidr 54.10.0.0/16\n  subnet s 54.10.0.0/24\n}")
        guard case .failure(let e) = vpcPublic.resolveQuery("internet:54.10.1.0/24", side: .source) else {
            Issue.record("a block inside a VPC resolved"); return
        }
        #expect(e.message.contains("overlaps block 54.10.0.0/16 of vpc 'p'"))
        let internet = try c.resolveQuery("internet", side: .source).get()
        let one = try c.resolveQuery("internet:8.8.8.8", side: .destination).get()
        for (s, d) in [(internet, internet), (internet, one), (one, internet)] {
            guard case .failure(let e) = c.reach(from: s, to: d, traffic: traffic("tcp/443")) else {
                Issue.record("both ends internet answered"); continue
            }
            #expect(e.message.contains("both ends are the internet"))
        }
        guard case .failure = c.openPorts(from: internet, to: internet) else { Issue.record("open ports answered"); return }
    }

    @Test func aHeldPublicAddressWrittenAsInternetIPIsAnInternetSource() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 0.0.0.0/0", extra: "instance web-2 in public-a ip 10.0.0.11 public-ip 54.1.2.4 sg web"))
        guard case .success(.endpoint(.internet(let a))) = c.resolveQuery("internet:54.1.2.4", side: .source) else {
            Issue.record("internet:54.1.2.4 is not an internet source"); return
        }
        #expect(a == .v4(try IPv4Address("54.1.2.4")))
        // As a destination it stays the interface holding it (the route-table rule for public IPs decides).
        guard case .success(.endpoint(.interface)) = c.resolveQuery("internet:54.1.2.4", side: .destination) else {
            Issue.record("internet:54.1.2.4 as a destination is not web-2"); return
        }
    }

    @Test func aNACLDenyingPartOfTheInternetCarvesItOut() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 0.0.0.0/0", nacl: """
            network-acl n {
                associate public-a
                inbound 90 deny tcp 22 from 198.51.100.0/25
                inbound 100 allow all from 0.0.0.0/0
                outbound 100 allow all to 0.0.0.0/0
              }
            """))
        let v = try query(c, "internet", "web-1", "tcp/22")
        #expect(v.isReachable && v.internet?.coversQueriedSet == false)
        #expect(v.internet?.unreachableAddresses == (try prefixes(["198.51.100.0/25"])))
        #expect(v.internet?.phrase() == "from every queried public address except 198.51.100.0/25 (e.g. 203.0.113.7)")
        let narrowed = try query(c, "internet:198.51.100.0/25", "web-1", "tcp/22")
        #expect(!narrowed.isReachable)
        #expect(narrowed.explanation?.code == .subnetACLRestriction)
    }

    @Test func theInternetAsDestination() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 0.0.0.0/0\n    egress tcp 443 to 192.0.2.0/24"))
        let v = try query(c, "web-1", "internet", "tcp/443")
        #expect(v.isReachable && v.internet?.side == .destination)
        #expect(v.internet?.addresses == (try prefixes(["192.0.2.0/24"])))
        #expect(v.internet?.phrase() == "to 192.0.2.0/24 (e.g. 192.0.2.1)")
        #expect(!(try query(c, "web-1", "internet", "tcp/80")).isReachable)
    }

    @Test func aReplyRouteForPartOfTheInternetLimitsIt() throws {
        let c = compile(Self.topology(sg: "ingress tcp 22 from 0.0.0.0/0", routes: "route 198.51.100.0/24 -> igw"))
        let v = try query(c, "internet", "web-1", "tcp/22")
        #expect(v.internet?.addresses == (try prefixes(["198.51.100.0/24"])))
        let none = compile(Self.topology(sg: "ingress tcp 22 from 0.0.0.0/0", routes: ""))
        let n = try query(none, "internet", "web-1", "tcp/22")
        #expect(!n.isReachable && n.explanation?.direction == .return)
    }

    @Test func ipv6SetsUseTheGlobalUnicastBlock() throws {
        let c = compile(Fixture.prod(["PRIVATE_ROUTES": "route 10.1.0.0/16 -> prod-shared\n    route ::/0 -> eigw", "PROD_EXTRA": """
        security-group v6 {
            ingress tcp 443 from ::/0
            egress tcp 443 to 2606:4700::/32
          }
        instance v6-1 in app-a ip 10.0.10.30 ipv6 2600:1f18:1234:5610::30 sg v6
        """]))
        // Out through the egress-only gateway, to the block the group allows.
        let out = try query(c, "2600:1f18:1234:5610::30", "internet", "tcp/443")
        #expect(out.internet?.family == .ipv6)
        #expect(out.internet?.addresses == (try prefixes(["2606:4700::/32"])))
        // In: an internet-initiated IPv6 flow is dropped on the way back at the egress-only gateway, from every address.
        let into = try query(c, "internet:2606:4700::/32", "2600:1f18:1234:5610::30", "tcp/443")
        #expect(!into.isReachable && into.explanation?.code == .egressOnlyGatewayInbound)
        // An IPv6 block outside 2000::/3 is not public.
        guard case .failure = c.resolveQuery("internet:fc00::/7", side: .source) else { Issue.record("fc00::/7 resolved"); return }
    }

    /// A reply routed to a peering for part of the internet leaves the VPC: the classes are cut again by every
    /// prefix of the topology, and the answer stays exact.
    @Test func aWalkLeavingTheVPCIsRecutGlobally() throws {
        let c = compile("""
            vpc a {
              cidr 10.0.0.0/16
              internet-gateway igw
              subnet pub 10.0.0.0/24
              route-table public {
                associate pub
                route 0.0.0.0/0 -> igw
                route 198.51.100.0/24 -> ab
              }
              security-group web { ingress tcp 22 from 0.0.0.0/0 }
              instance web-1 in pub ip 10.0.0.10 public-ip 54.1.2.3 sg web
            }
            vpc b {
              cidr 10.1.0.0/16
              subnet s 10.1.0.0/24
              security-group x { ingress tcp 22 from 192.0.2.0/25 }
              instance b-1 in s ip 10.1.0.10 sg x
            }
            peering ab a <-> b
            """)
        let v = try query(c, "internet", "web-1", "tcp/22")
        #expect(v.isReachable)
        #expect(v.internet?.unreachableAddresses == (try prefixes(["198.51.100.0/24"])))
        // a's prefixes alone give 2 classes (198.51.100.0/24 and the rest); with b's 192.0.2.0/25 too, 3.
        #expect(v.internet?.classesWalked == 3)
    }

    @Test func classesGroupAddressesInTheSamePrefixes() {
        func span(_ a: UInt128, _ b: UInt128) -> AddressSpan { AddressSpan(lower: a, upper: b) }
        // 0/0 over everything, 10/8 and one public /24 (0xC6336400 = 198.51.100.0).
        let b = Boundaries([span(0, 0xFFFF_FFFF), span(0x0A00_0000, 0x0AFF_FFFF), span(0xC633_6400, 0xC633_64FF)])
        #expect(b.points == [0x0A00_0000, 0x0B00_0000, 0xC633_6400, 0xC633_6500, 0x1_0000_0000])
        // Below 10/8, between 10/8 and the /24, and after the /24: one class; 10/8 and the /24: one each; past the end: none.
        #expect(b.classOf[0] == b.classOf[2] && b.classOf[2] == b.classOf[4])
        #expect(Set([b.classOf[0], b.classOf[1], b.classOf[3], b.classOf[5]]).count == 4)
    }

    /// Exactness: on random rule sets, every sampled address's own verdict agrees with the set answer.
    @Test(arguments: [1, 2, 3, 4]) func theSetAnswerAgreesWithEveryAddress(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        func block() -> String {
            let length = 8 + Int(rng.next() % 21)
            let a = IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next()))
            return IPv4Prefix(network: a, length: length)!.description
        }
        var sg: [String] = [], nacl: [String] = []
        for _ in 0..<4 { sg.append("ingress tcp 22 from \(block())") }
        for i in 0..<4 { nacl.append("inbound \(10 + i) \(rng.next() % 2 == 0 ? "deny" : "allow") tcp 22 from \(block())") }
        let text = Self.topology(sg: sg.joined(separator: "\n    "), nacl: """
            network-acl n {
                associate public-a
                \(nacl.joined(separator: "\n    "))
                inbound 100 allow all from 0.0.0.0/0
                outbound 100 allow all to 0.0.0.0/0
              }
            """)
        let c = compile(text)
        let v = try query(c, "internet", "web-1", "tcp/22")
        let reachable = IPv4PrefixSet((v.internet?.addresses ?? []).compactMap { if case .v4(let p) = $0 { p } else { nil } })
        let space = c.internetAddresses.v4
        // Samples: the ends of every written block and their neighbours, and random addresses.
        var samples: [IPv4Address] = []
        for line in sg + nacl {
            guard let cidr = line.split(separator: " ").last, let p = try? IPv4Prefix(String(cidr)) else { continue }
            for b in [p.first.bits, p.last.bits, p.first.bits &- 1, p.last.bits &+ 1] { samples.append(IPv4Address(bits: b)) }
        }
        for _ in 0..<200 { samples.append(IPv4Address(bits: UInt32(truncatingIfNeeded: rng.next()))) }
        var checked = 0
        for a in samples where space.contains(a) {
            let one = try query(c, "internet:\(a)", "web-1", "tcp/22")
            #expect(one.isReachable == reachable.contains(a), "\(a): \(one.isReachable) alone, \(reachable.contains(a)) in the set\n\(text)")
            checked += 1
        }
        #expect(checked > 50)
        #expect(v.isReachable == !reachable.isEmpty)
    }
}
