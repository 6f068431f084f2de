import TestSupport
import Testing
@testable import VPCKitCLI

/// `--source-port`, `--client-ports` and `--one-way` are one option group (``ConnectionOptions``): every command
/// that asks about connections accepts the same values, rejects the same ones with the same first error line (exit
/// 2, before the topology is read), and explains them with the same help lines.
@Suite struct ConnectionOptionsTests {
    static let threeTier = checkoutPath("Topologies/three-tier.vpc")

    /// Each command with its other arguments (traffic tcp/5432).
    static let commands: [(name: String, arguments: [String])] = [
        ("reach", [threeTier, "app-1", "db-1", "tcp/5432"]),
        ("who-can-reach", [threeTier, "db-1", "tcp/5432"]),
        ("reachable-from", [threeTier, "app-1", "tcp/5432"]),
        ("matrix", [threeTier, "--by", "subnet", "tcp/5432"]),
        ("diff", [threeTier, threeTier, "tcp/5432"]),
    ]

    static func run(_ command: String, _ arguments: [String]) -> Run {
        let capture = TerminalCapture()
        let code = Terminal.$capture.withValue(capture) { VPCKitTool.run([command] + arguments) }
        return Run(code: code, out: capture.standardOutput, err: capture.standardError)
    }

    @Test(arguments: [["--source-port", "40000"], ["--client-ports", "linux"], ["--client-ports", "windows"],
                      ["--client-ports", "2000-3000"], ["--one-way"], ["--one-way", "--source-port", "1024"]])
    func everyCommandAcceptsTheSameValues(_ options: [String]) {
        for (name, arguments) in Self.commands {
            let r = Self.run(name, arguments + options)
            // reach exits 0 here (app-1 -> db-1 tcp/5432 is reachable for every client port), the questions 0, diff
            // of a file with itself 0: a usage error would be 2.
            #expect(r.code == 0, "\(name) \(options): exit \(r.code), \(r.err)")
            #expect(r.err.isEmpty, "\(name) \(options): \(r.err)")
        }
    }

    /// The options reach every command's question alike: three-tier's db NACL lets replies out to client ports
    /// 1024-65535 only, so with `--source-port 80` app -> db tcp/5432 gets nothing, and with `--one-way` too (no
    /// reply) it gets through again.
    @Test func theOptionsReachEveryQuestion() throws {
        let dir = temporaryFolder(prefix: "vpckit-connection-options")
        let text = try #require(repositoryFile("Topologies/three-tier.vpc"))
        let closed = text.replacing("    ingress tcp 5432 from sg app\n", with: "")
        #expect(closed != text)
        writeFile(dir + "/closed.vpc", closed)
        let variants: [[String]] = [[], ["--source-port", "80"], ["--source-port", "80", "--one-way"]]
        func count(_ out: String, _ key: String) -> Int? { ((try? jsonObject(out)) as? [String: Any])?[key].flatMap { ($0 as? [Any])?.count } }

        #expect(variants.map { Self.run("reach", Self.commands[0].arguments + $0).code } == [0, 1, 0])
        let who = variants.map { count(Self.run("who-can-reach", Self.commands[1].arguments + $0 + ["--format", "json"]).out, "sources") }
        #expect(who == [2, 0, 2])
        let from = variants.map { count(Self.run("reachable-from", Self.commands[2].arguments + $0 + ["--format", "json"]).out, "destinations") }
        #expect(from[0] == 2 && from[1] == 0 && from[2] == 2, "\(from)")
        let matrix = variants.map { Self.run("matrix", Self.commands[3].arguments + $0 + ["--format", "csv"]).out }
        #expect(matrix[0] == matrix[2] && matrix[0] != matrix[1])
        // diff: removing the db group's rule closes app -> db, unless nothing got through before either.
        let diff = variants.map { Self.run("diff", [Self.threeTier, dir + "/closed.vpc", "tcp/5432"] + $0 + ["--format", "json"]) }
        #expect(diff.map(\.code) == [1, 0, 1])
        #expect(diff.map { count($0.out, "closed") } == [1, 0, 1])
    }

    @Test(arguments: [
        (["--source-port", "70000"], "Error: The value '70000' is invalid for '--source-port <source-port>'"),
        (["--source-port", "x"], "Error: The value 'x' is invalid for '--source-port <source-port>'"),
        (["--client-ports", "bogus"], "error: bad --client-ports 'bogus': expected linux (32768-60999), windows (49152-65535) or LO-HI with 0 <= LO <= HI <= 65535"),
        (["--client-ports", "5-1"], "error: bad --client-ports '5-1': expected linux (32768-60999), windows (49152-65535) or LO-HI with 0 <= LO <= HI <= 65535"),
        (["--source-port", "1", "--client-ports", "linux"], "error: --source-port and --client-ports exclude each other"),
    ])
    func everyCommandRejectsTheSameValuesAlike(_ options: [String], _ firstLine: String) {
        for (name, arguments) in Self.commands {
            let r = Self.run(name, arguments + options)
            #expect(r.code == 2, "\(name) \(options): exit \(r.code)")
            #expect(r.err.split(separator: "\n").first.map(String.init) == firstLine, "\(name) \(options): \(r.err)")
            #expect(r.out.isEmpty, "\(name) \(options): \(r.out)")
        }
        // Checked before the topology is read: a missing file does not hide the option's error.
        for (name, arguments) in Self.commands where !firstLine.hasPrefix("Error:") {
            let missing = arguments.map { $0 == Self.threeTier ? Self.threeTier + ".missing" : $0 }
            let r = Self.run(name, missing + options)
            #expect(r.code == 2 && r.err.split(separator: "\n").first.map(String.init) == firstLine, "\(name) \(options): \(r.err)")
        }
    }

    /// The same help lines for the three options in every command's `--help`.
    @Test func everyCommandExplainsThemAlike() {
        func optionLines(_ help: String) -> [String] {
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var out: [String] = []
            for (i, line) in lines.enumerated() {
                let t = line.trimmingPrefix(while: { $0 == " " })
                guard t.hasPrefix("--source-port") || t.hasPrefix("--client-ports") || t.hasPrefix("--one-way") else { continue }
                // The option and its help, which may wrap onto indented lines.
                var entry = String(t)
                var j = i + 1
                while j < lines.count, lines[j].hasPrefix("                        "), !lines[j].trimmingPrefix(while: { $0 == " " }).hasPrefix("-") {
                    entry += " " + lines[j].trimmingPrefix(while: { $0 == " " })
                    j += 1
                }
                out.append(entry.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
            }
            return out
        }
        let reference = optionLines(Self.run("reach", ["--help"]).out)
        #expect(reference.count == 3, "\(reference)")
        #expect(reference.contains { $0.contains("linux (32768-60999), windows (49152-65535) or LO-HI") })
        for (name, _) in Self.commands.dropFirst() {
            let help = Self.run(name, ["--help"])
            #expect(help.code == 0)
            #expect(optionLines(help.out) == reference, "\(name)")
        }
    }
}

extension String {
    func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring { self.drop(while: predicate) }
}
