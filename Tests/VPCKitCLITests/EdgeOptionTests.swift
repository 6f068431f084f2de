import TestSupport
import Testing
@testable import VPCKitCLI

/// `--onprem CIDR@EDGE` and `--assume-tunnels-up` on every command that reads a topology (issue 18).
@Suite struct EdgeOptionTests {
    static let text = """
        vpc prod {
          cidr 10.0.0.0/16
          subnet app-a 10.0.10.0/24 az us-east-1a
          instance app-1 in app-a ip 10.0.10.10
          instance app-2 in app-a ip 10.0.10.11
        }
        """

    @Test func everyTopologyCommandTakesTheOptions() throws {
        let dir = temporaryFolder()
        defer { removeTree(dir) }
        let file = dir + "/edges.vpc"
        writeFile(file, Self.text)
        let commands: [[String]] = [["reach", file, "app-1", "app-2", "tcp/22"], ["check", file], ["lint", file],
                                    ["route", file, "app-a", "10.0.10.11"], ["export", file]]
        for command in commands {
            let ok = Self.run(command + ["--assume-tunnels-up"])
            #expect(ok.code == 0 || ok.code == 1, "\(command): \(ok.err)")
            // An edge the topology does not have: exit 2 with a message naming it.
            let bad = Self.run(command + ["--onprem", "10.10.0.0/16@vpn-0abc"])
            #expect(bad.code == 2, "\(command): \(bad.err)")
            #expect(bad.err.contains("vpn-0abc"), "\(command): \(bad.err)")
            // A malformed value.
            let malformed = Self.run(command + ["--onprem", "10.10.0.0/16"])
            #expect(malformed.code == 2 && malformed.err.contains("CIDR@EDGE"), "\(command): \(malformed.err)")
        }
        // flowlogs parses them too.
        let flow = try #require(try VPCKit.parseAsRoot(["flowlogs", file, "--pcap", "capture.pcap", "--onprem", "10.10.0.0/16@x", "--assume-tunnels-up"])
            as? FlowLogsCommand)
        #expect(flow.edges.onprem == ["10.10.0.0/16@x"] && flow.edges.assumeTunnelsUp)
    }

    /// `cidr overlaps` compares on-premises prefixes (declared or `--onprem`) with VPC blocks; one network's own
    /// aggregate and specific prefixes are not a finding.
    @Test func cidrOverlapsComparesOnPremisesPrefixes() throws {
        let edges = checkoutPath("Topologies/edges.vpc")
        let declared = Self.run(["cidr", "overlaps", "--format", "json", "--scope", "vpc", edges])
        #expect(declared.code == 0, "edges.vpc's on-premises prefixes overlap no VPC: \(declared.out)\(declared.err)")
        let clash = Self.run(["cidr", "overlaps", "--format", "json", "--scope", "vpc", edges, "--onprem", "10.50.4.0/24@office-vpn"])
        #expect(clash.code == 1, "\(clash.err)")
        #expect(clash.out.contains("onprem:") && clash.out.contains("10.50.4.0/24") && clash.out.contains("10.50.0.0/16"), "\(clash.out)")
        let subnetsOnly = Self.run(["cidr", "overlaps", "--scope", "subnet", edges, "--onprem", "10.50.4.0/24@office-vpn"])
        #expect(subnetsOnly.code == 0, "--scope subnet leaves on-premises prefixes out: \(subnetsOnly.out)")
        // A prefix given by --onprem is a network of its own: inside office's /16 it is a finding ...
        let nested = Self.run(["cidr", "overlaps", "--scope", "vpc", edges, "--onprem", "192.168.5.0/24@office-vpn"])
        #expect(nested.code == 1 && nested.out.contains("onprem:office"), "\(nested.out)")
        // ... while one declared network's aggregate and more specific prefix is not.
        let dir = temporaryFolder()
        defer { removeTree(dir) }
        let own = dir + "/own.vpc"
        writeFile(own, """
            vpc prod {
              cidr 10.0.0.0/16
              vpn-gateway vgw1
            }
            customer-gateway office-cgw ip 203.0.113.10 asn 65000
            vpn-connection office-vpn vgw vgw1 customer-gateway office-cgw static 192.168.0.0/16
            onprem office {
              prefix 192.168.0.0/16 192.168.5.0/24
              via office-vpn
            }
            """)
        let aggregate = Self.run(["cidr", "overlaps", "--scope", "vpc", own])
        #expect(aggregate.code == 0, "one network's own prefixes: \(aggregate.out)\(aggregate.err)")
        let bad = Self.run(["cidr", "overlaps", edges, "--onprem", "10.0.0.0/8@nowhere"])
        #expect(bad.code == 2 && bad.err.contains("nowhere"), "\(bad.err)")
    }

    /// What `--onprem CIDR@EDGE` adds is located at the option (a file-table name at line 0): findings about it
    /// print `--onprem CIDR@EDGE: warning: …` (GitHub: `file=` without a line), never `:0:1:`.
    @Test func findingsAboutAnOnPremNetworkNameTheOption() throws {
        let edges = checkoutPath("Topologies/edges.vpc")
        let option = "--onprem 10.0.10.0/24@office-vpn"
        let text = Self.run(["lint", edges, "--onprem", "10.0.10.0/24@office-vpn"])
        #expect(text.code == 1, "\(text.err)")
        let line = try #require(text.out.split(separator: "\n").first { $0.contains("[onprem-prefix-overlaps-vpc]") })
        #expect(line.hasPrefix(option + ": warning: on-premises network '10.0.10.0/24' announces 10.0.10.0/24, which overlaps 10.0.0.0/16"), "\(line)")
        #expect(!text.out.contains(":0:"), "\(text.out)")
        let github = Self.run(["lint", "--format", "github", edges, "--onprem", "10.0.10.0/24@office-vpn"])
        #expect(github.out.contains("::warning file=\(option),title=onprem-prefix-overlaps-vpc::"), "\(github.out)")
        let json = Self.run(["lint", "--format", "json", edges, "--onprem", "10.0.10.0/24@office-vpn"])
        let findings = try #require((try jsonObject(json.out) as? [String: Any])?["findings"] as? [[String: Any]])
        let finding = try #require(findings.first { $0["rule"] as? String == "onprem-prefix-overlaps-vpc" })
        #expect(finding["file"] as? String == option && finding["line"] as? Int == 0)
        // cidr overlaps names the option for the prefix it added, in the finding and in the partner's place.
        let cidr = Self.run(["cidr", "overlaps", "--scope", "vpc", edges, "--onprem", "10.50.4.0/24@office-vpn"])
        #expect(cidr.code == 1 && cidr.out.contains("--onprem 10.50.4.0/24@office-vpn"), "\(cidr.out)")
        #expect(!cidr.out.contains("@office-vpn:0"), "\(cidr.out)")
    }

    static func run(_ arguments: [String]) -> Run {
        let capture = TerminalCapture()
        let code = Terminal.$capture.withValue(capture) { VPCKitTool.run(arguments) }
        return Run(code: code, out: capture.standardOutput, err: capture.standardError)
    }
}
