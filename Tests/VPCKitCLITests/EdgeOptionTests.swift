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

    static func run(_ arguments: [String]) -> Run {
        let capture = TerminalCapture()
        let code = Terminal.$capture.withValue(capture) { VPCKitTool.run(arguments) }
        return Run(code: code, out: capture.standardOutput, err: capture.standardError)
    }
}
