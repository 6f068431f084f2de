// In-process CLI tests: commands parsed by argument-parser (`VPCKit.parseAsRoot`) and run with the standard
// streams captured, beside the process-level scripts in Tests/CLI.
#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import TestSupport
import Testing
@testable import VPCKitCLI

/// The result of running `vpckit` in-process.
struct Run {
    var code: Int32
    var out: String
    var err: String
}

/// Runs `vpckit arguments…` in this process with stdout and stderr captured.
func vpckit(_ arguments: String...) -> Run {
    let capture = TerminalCapture()
    let code = Terminal.$capture.withValue(capture) { VPCKitTool.run(arguments) }
    return Run(code: code, out: capture.standardOutput, err: capture.standardError)
}

/// The absolute path of a checkout file (`repositoryRoot` from TestSupport).
func checkoutPath(_ path: String) -> String { repositoryRoot + "/" + path }

/// The names in `folder` (hidden ones too).
func entries(_ folder: String) -> [String] { folderEntries(folder) }

func writeFile(_ path: String, _ text: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0)
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

func readFile(_ path: String) -> String? { fileText(path) }

@Suite struct ParsingTests {
    @Test func parseAsRootPicksTheSubcommandAndItsArguments() throws {
        let command = try VPCKit.parseAsRoot(["check", "a.vpc", "b.vpc", "--format", "junit"])
        let check = try #require(command as? Check)
        #expect(check.files == ["a.vpc", "b.vpc"])
        #expect(check.format == "junit")

        let split = try #require(try VPCKit.parseAsRoot(["cidr", "split", "10.0.0.0/16", "--into", "/20"]) as? CidrSplit)
        #expect(split.prefix == "10.0.0.0/16")
        #expect(split.into == "/20")
        #expect(split.limit == 65536)
    }

    @Test func usageErrorsAreExitTwoWithTheParsersMessage() {
        let unknown = vpckit("frobnicate")
        #expect(unknown.code == 2)
        #expect(unknown.err.contains("frobnicate"))
        #expect(unknown.out.isEmpty)

        let missing = vpckit("check")
        #expect(missing.code == 2)
        #expect(missing.err.contains("Missing expected argument"))
    }

    @Test func helpAndVersionAreExitZeroOnStandardOutput() {
        let help = vpckit("--help")
        #expect(help.code == 0)
        #expect(help.out.contains("USAGE: vpckit <subcommand>"))
        #expect(help.err.isEmpty)

        let version = vpckit("--version")
        #expect(version.code == 0)
        #expect(version.out == "0.1.0\n")
    }

    @Test func validationErrorsInRunNameTheSubcommand() {
        let run = vpckit("flowlogs", checkoutPath("Topologies/flowlogs-session.vpc"),
                         "--pcap", checkoutPath("Topologies/flowlogs-session.pcap"), "--interval", "30")
        #expect(run.code == 2)
        #expect(run.err.contains("--interval must be 60 or 600"))
        #expect(run.err.contains("See 'vpckit flowlogs --help'"))
    }
}

@Suite struct CommandTests {
    @Test func checkReportsValidAndBrokenTopologies() {
        let ok = vpckit("check", checkoutPath("Topologies/three-tier.vpc"))
        #expect(ok.code == 0)
        #expect(ok.out.hasPrefix(checkoutPath("Topologies/three-tier.vpc") + ": ok: "))

        let broken = vpckit("check", checkoutPath("Topologies/broken/bad-cidr.vpc"))
        #expect(broken.code == 2)
        #expect(broken.err.contains("bad-cidr.vpc:"))
        #expect(broken.err.contains("error:"))

        let missing = vpckit("check", "/nonexistent/x.vpc")
        #expect(missing.code == 2)
        #expect(missing.err == "/nonexistent/x.vpc: error: cannot read file: No such file or directory\n")
    }

    @Test func lintExitsOneOnFindings() {
        let run = vpckit("lint", "--format", "json", checkoutPath("Topologies/lint-findings.vpc"))
        #expect(run.code == 1)
        #expect(run.out.contains("\"rule\""))
    }

    @Test func fmtCheckAndWrite() {
        let folder = temporaryFolder()
        defer { removeTree(folder) }
        let file = folder + "/t.vpc"
        let canonical = readFile(checkoutPath("Topologies/three-tier.vpc")) ?? ""
        writeFile(file, canonical + "\n\n\n")
        let check = vpckit("fmt", "--check", file)
        #expect(check.code == 1)
        #expect(check.err == "\(file): not formatted\n")

        let rewrite = vpckit("fmt", "--write", file)
        #expect(rewrite.code == 0)
        let formatted = readFile(file)
        #expect(formatted == canonical)
        #expect(vpckit("fmt", "--check", file).code == 0)
        #expect(entries(folder) == ["t.vpc"])
    }

    @Test func importWritesTheOutputWholeOrNotAtAll() {
        let folder = temporaryFolder()
        defer { removeTree(folder) }
        let output = folder + "/out.vpc"
        let good = vpckit("import", "aws", "-o", output, checkoutPath("Tests/CLI/import-fixtures/console-look"))
        #expect(good.code == 0)
        #expect(good.out.isEmpty)
        let text = readFile(output) ?? ""
        #expect(text.hasPrefix("# Imported by vpckit from AWS snapshot: "))
        #expect(vpckit("check", output).code == 0)

        // A malformed import leaves the earlier output untouched and no temporary file.
        let bad = vpckit("import", "aws", "-o", output, checkoutPath("Tests/CLI/import-fixtures/malformed"))
        #expect(bad.code == 2)
        #expect(bad.err.contains("describe-vpcs.json:"))
        #expect(readFile(output) == text)
        #expect(entries(folder) == ["out.vpc"])

        // An output in a folder that does not exist: exit 2, nothing written.
        let unwritable = vpckit("import", "aws", "-o", folder + "/missing/out.vpc",
                                checkoutPath("Tests/CLI/import-fixtures/console-look"))
        #expect(unwritable.code == 2)
        #expect(unwritable.err.contains("\(folder)/missing/out.vpc: error: cannot write file"))
    }

    @Test func jsonTopologiesLoadLikeVPCFiles() {
        // Any command taking a topology takes a describe-* folder too (format detection in Loading).
        let run = vpckit("check", checkoutPath("Tests/CLI/import-fixtures/console-look"))
        #expect(run.code == 0)
        #expect(run.out.contains(": ok: "))
    }

    @Test func generateAndExportWriteFiles() {
        let folder = temporaryFolder()
        defer { removeTree(folder) }
        let topology = folder + "/g.vpc"
        #expect(vpckit("generate", "--vpcs", "3", "--instances", "10", "-o", topology).code == 0)
        let check = vpckit("check", topology)
        #expect(check.code == 0)
        #expect(check.out.contains("3 VPCs"))

        let json = folder + "/g.json"
        #expect(vpckit("export", topology, "-o", json).code == 0)
        #expect(readFile(json)?.hasPrefix("{") == true)
        #expect(entries(folder) == ["g.json", "g.vpc"])
    }

    @Test func flowlogsMapsAddressesAndRejectsBadMaps() {
        let vpc = checkoutPath("Topologies/flowlogs-session.vpc")
        let pcap = checkoutPath("Topologies/flowlogs-session.pcap")
        let plain = vpckit("flowlogs", vpc, "--pcap", pcap)
        #expect(plain.code == 0)
        #expect(plain.err.contains("packets read"))

        let bad = vpckit("flowlogs", vpc, "--pcap", pcap, "--map", "10.0.0.1")
        #expect(bad.code == 2)
        #expect(bad.err == "--map: error: expected ADDRESS=ENDPOINT, found '10.0.0.1'\n")

        let unknown = vpckit("flowlogs", vpc, "--pcap", pcap, "--map", "192.0.2.1=web-2")
        #expect(unknown.code == 2)
        #expect(unknown.err == "--map: error: unknown endpoint 'web-2'; did you mean 'web-1'?\n")

        let folder = temporaryFolder()
        defer { removeTree(folder) }
        let mapFile = folder + "/map.txt"
        writeFile(mapFile, "# capture hosts\n\n192.0.2.1 = web-1   # the web server\nnot-an-entry\n")
        let fromFile = vpckit("flowlogs", vpc, "--pcap", pcap, "--map-file", mapFile)
        #expect(fromFile.code == 2)
        #expect(fromFile.err == "\(mapFile):4: error: expected ADDRESS=ENDPOINT, found 'not-an-entry'\n")
    }

    @Test func cidrCommandsRunInProcess() {
        let info = vpckit("cidr", "info", "10.0.0.0/24", "--format", "json")
        #expect(info.code == 0)
        #expect(info.out.contains("\"aws_usable\": \"251\""))

        let overlaps = vpckit("cidr", "overlaps", "--format", "json", checkoutPath("Tests/CLI/fixtures/clean.txt"),
                              checkoutPath("Tests/CLI/fixtures/overlapping.txt"))
        #expect(overlaps.code == 1)
        #expect(overlaps.out.contains("\"cidr-nested\""))
        #expect(overlaps.out.contains("\"cidr-duplicate\""))
        let clean = vpckit("cidr", "overlaps", checkoutPath("Tests/CLI/fixtures/clean.txt"))
        #expect(clean.code == 0)
    }

    @Test func allocatorTuningIsOffUnlessAskedFor() {
        // The shipped default: no mallopt, no deliberate leaks (VPCKIT_FAST_EXIT=1 turns them on).
        let asked = getenv("VPCKIT_FAST_EXIT").map { String(cString: $0) == "1" } ?? false
        #expect(ProcessLifetime.enabled == asked)
    }
}
