import IPAddressing
import NetworkModel
import Testing
@testable import Reachability

/// Issue 16 point 11 (part): ICMP answers carry no client ports — a NAT gateway's translation of an ICMP
/// packet reads `source A -> B`, with no `:ports` (TCP keeps them). The CLI's text and JSON are checked by
/// Tests/CLI/reach-blockers.sh.
@Suite struct ICMPPortsTests {
    static let natted = """
    vpc v {
      cidr 10.0.0.0/16
      internet-gateway igw
      subnet pub 10.0.0.0/24
      subnet app 10.0.1.0/24
      nat-gateway nat in pub eip 54.9.9.9 ip 10.0.0.50
      route-table p {
        associate pub
        route 0.0.0.0/0 -> igw
      }
      route-table a {
        associate app
        route 0.0.0.0/0 -> nat
      }
      instance app-1 in app ip 10.0.1.5
    }
    """

    @Test func natTranslationsOfICMPNameNoPorts() throws {
        let c = compile(Self.natted)
        let icmp = c.query("app-1", "internet:198.51.100.1", "icmp")
        #expect(icmp.isReachable)
        let translations = (icmp.forwardPath + icmp.returnPath).compactMap(\.translation)
        let natIP = try IPAddress("10.0.0.50"), appIP = try IPAddress("10.0.1.5")
        let natAddress = TranslatedAddress(address: natIP), app = TranslatedAddress(address: appIP)
        #expect(translations.contains(.source(AddressRewrite(from: app, to: natAddress))), "\(translations)")
        #expect(translations.contains(.destination(AddressRewrite(from: natAddress, to: app))), "\(translations)")
        // ICMP names no ports on either side of any rewrite.
        let sides = translations.flatMap { [$0.source, $0.destination].compactMap { $0 } }.flatMap { [$0.from, $0.to] }
        #expect(!sides.isEmpty && sides.allSatisfy { $0.ports == nil }, "\(translations)")
        #expect((icmp.forwardPath + icmp.returnPath).allSatisfy { !$0.header.hasPorts })
        let tcp = c.query("app-1", "internet:198.51.100.1", "tcp/443")
        let source = tcp.forwardPath.compactMap(\.translation?.source).first
        #expect(source?.from == TranslatedAddress(address: appIP, ports: .ephemeral))
        #expect(source?.to.address == natIP && source?.to.ports != nil)
    }
}
