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
        #expect(translations.contains("source 10.0.1.5 -> 10.0.0.50"), "\(translations)")
        #expect(translations.contains("destination 10.0.0.50 -> 10.0.1.5"), "\(translations)")
        #expect(!translations.contains { $0.contains(":") }, "\(translations)")
        #expect((icmp.forwardPath + icmp.returnPath).allSatisfy { !$0.header.hasPorts })
        let tcp = c.query("app-1", "internet:198.51.100.1", "tcp/443")
        #expect(tcp.forwardPath.compactMap(\.translation).contains { $0.hasPrefix("source 10.0.1.5:1024-65535 -> 10.0.0.50:") })
    }
}
