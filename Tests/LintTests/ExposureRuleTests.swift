import Lint
import NetworkModel
import Testing

@Suite struct ExposureRuleTests {
    static func web(_ rules: String, nacl: String = "", publicIP: String = "public-ip 54.1.2.3", mark: Bool) -> String {
        """
        vpc v {
          cidr 10.0.0.0/16
          internet-gateway igw
          subnet public-a 10.0.0.0/24 az us-east-1a
          subnet private-a 10.0.1.0/24 az us-east-1a
          route-table public {
            associate public-a
            route 0.0.0.0/0 -> igw
          }
          security-group web {
            \(rules)
          }
          \(nacl)
          instance web-1 in public-a ip 10.0.0.10 \(publicIP) sg web\(mark ? "     #! instance-internet-exposed" : "")
          instance app-1 in private-a ip 10.0.1.10 sg web
        }
        """
    }

    @Test func instanceReachableOnANonWebPortFires() {
        let f = expectRule("instance-internet-exposed", Self.web("""
            ingress tcp 443 from 0.0.0.0/0
                ingress tcp 8080-8090 from 0.0.0.0/0
                ingress udp 500 from 198.51.100.0/24
            """, mark: true))
        #expect(f.first?.message.contains("tcp 8080-8090; udp 500") == true, "\(f.map(\.message))")
        #expect(f.first?.related.count == 2)
    }

    @Test func webPortsOnlyOrPrivateOrBlockedAreClean() {
        expectRule("instance-internet-exposed", Self.web("ingress tcp 443 from 0.0.0.0/0\n    ingress tcp 80 from ::/0", mark: false))
        // Only private sources: the internet never matches.
        expectRule("instance-internet-exposed", Self.web("ingress tcp 22 from 10.0.0.0/8", mark: false))
        // No public address.
        expectRule("instance-internet-exposed", Self.web("ingress tcp 22 from 0.0.0.0/0", publicIP: "public-ip none", mark: false))
        // The NACL drops it.
        expectRule("instance-internet-exposed", Self.web("ingress tcp 22 from 0.0.0.0/0", nacl: """
            network-acl n {
                associate public-a
                inbound 100 allow tcp 443 from 0.0.0.0/0
                outbound 100 allow tcp 1024-65535 to 0.0.0.0/0
              }
            """, mark: false))
    }

    /// Replies pass for only some client ports (a NACL with the Linux ephemeral range only): the connection is
    /// partly reachable, and the instance is still exposed — an attacker picks its own source port.
    @Test func partlyReachablePortIsExposed() {
        let f = expectRule("instance-internet-exposed", Self.web("ingress tcp 22 from 0.0.0.0/0", nacl: """
            network-acl n {
                associate public-a
                inbound 100 allow tcp 22 from 0.0.0.0/0
                outbound 100 allow tcp 32768-60999 to 0.0.0.0/0
              }
            """, mark: true))
        #expect(f.first?.message.contains("tcp 22") == true, "\(f.map(\.message))")
    }

    @Test func allowedPortsAreConfigurable() {
        let text = Self.web("ingress tcp 8080-8090 from 0.0.0.0/0", mark: false)
        expectRule("instance-internet-exposed", text,
                   options: LintOptions(internetPorts: [PortRange(80), PortRange(443), PortRange(8080, 8090)]))
    }
}
