#if canImport(Glibc)
import Glibc
#endif
import FileIO
import TestSupport
import Testing

@Suite struct ExternalProgramTests {
    @Test func findsOnlyInAbsoluteDirectories() {
        #expect(ExternalProgram.find("sh", searchPath: "relative/bin:/nonexistent:/bin") == "/bin/sh")
        #expect(ExternalProgram.find("sh", searchPath: "bin:.") == nil)
        #expect(ExternalProgram.find("no-such-program-vpckit", searchPath: "/bin:/usr/bin") == nil)
        #expect(ExternalProgram.find("../bin/sh", searchPath: "/bin") == nil)
        #expect(ExternalProgram.find("sh", searchPath: nil) == nil)
    }

    /// Input larger than a pipe's buffer goes in while the output comes back (no deadlock); the status is kept.
    @Test func feedsInputAndCollectsOutput() throws {
        let cat = try #require(ExternalProgram.find("cat", searchPath: "/bin:/usr/bin"))
        let input = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let result = try ExternalProgram.run(cat, arguments: [], input: input)
        #expect(result.status == 0)
        #expect(result.standardOutput == input)
        let sh = try #require(ExternalProgram.find("sh", searchPath: "/bin"))
        let failed = try ExternalProgram.run(sh, arguments: ["-c", "echo oops >&2; exit 3"], input: [])
        #expect(failed.status == 3)
        #expect(failed.standardError == Array("oops\n".utf8))
        // A program that reads nothing and exits: no SIGPIPE kills the caller.
        let quit = try ExternalProgram.run(sh, arguments: ["-c", "exit 0"], input: input)
        #expect(quit.status == 0)
    }

    @Test func aProgramThatCannotStartIsAnError() {
        #expect(throws: ExternalProgram.RunError.self) {
            try ExternalProgram.run("/nonexistent/program", arguments: [], input: [])
        }
    }
}
