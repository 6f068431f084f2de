#if canImport(Glibc)
import Glibc
#endif
import FileIO
import TestSupport
import Testing

/// Files written together (flowlogs --out, fmt --write) and the interrupt-cleanup table behind every atomic
/// write: what the SIGINT/SIGTERM handler removes (Tests/CLI/interrupts.py signals a running vpckit).
@Suite struct AtomicFileSetTests {
    func folder() -> String { temporaryFolder(prefix: "vpckit-fileset") }

    func text(_ path: String) -> String? { InputFiles.read(path).map { String(decoding: $0, as: UTF8.self) } }

    @Test func stagedFilesAreRecordedAndTheCleanupRemovesThemLeavingTheOldFiles() throws {
        let dir = folder()
        defer { removeTree(dir) }
        #expect(AtomicFile.write("old a\n", toPath: dir + "/a.txt"))
        #expect(AtomicFile.write("old b\n", toPath: dir + "/b.txt"))
        let set = AtomicFileSet()
        try set.stage("new a\n", toPath: dir + "/a.txt")
        try set.stage("new b\n", toPath: dir + "/b.txt")
        try set.stage("new c\n", toPath: dir + "/c.txt")
        #expect(set.count == 3)
        #expect(InterruptCleanup.recordedCount(set) == 3)
        // Before the commit: the temporaries exist beside the old files, nothing is replaced.
        #expect(folderEntries(dir).count == 5)
        #expect(text(dir + "/a.txt") == "old a\n")
        // What the handler does on a signal: every temporary removed, the old files byte for byte.
        #expect(InterruptCleanup.removeRecorded(set) == 3)
        #expect(InterruptCleanup.recordedCount(set) == 0)
        #expect(folderEntries(dir) == ["a.txt", "b.txt"])
        #expect(text(dir + "/a.txt") == "old a\n")
        #expect(text(dir + "/b.txt") == "old b\n")
        // Nothing left to commit.
        try set.commit()
        #expect(folderEntries(dir) == ["a.txt", "b.txt"])
    }

    @Test func aCommitReplacesEveryFileAndForgetsTheRecords() throws {
        let dir = folder()
        defer { removeTree(dir) }
        #expect(AtomicFile.write("old a\n", toPath: dir + "/a.txt"))
        let set = AtomicFileSet()
        try set.stage("new a\n", toPath: dir + "/a.txt")
        try set.stage("new b\n", toPath: dir + "/b.txt")
        try set.commit()
        #expect(InterruptCleanup.recordedCount(set) == 0)
        #expect(folderEntries(dir) == ["a.txt", "b.txt"])
        #expect(text(dir + "/a.txt") == "new a\n")
        #expect(text(dir + "/b.txt") == "new b\n")
        // After a commit the cleanup removes nothing (a renamed file is never taken for a temporary).
        #expect(InterruptCleanup.removeRecorded(set) == 0)
        #expect(text(dir + "/b.txt") == "new b\n")
    }

    @Test func theSetsEndRemovesWhatWasNotCommitted() throws {
        let dir = folder()
        defer { removeTree(dir) }
        do {
            let set = AtomicFileSet()
            try set.stage("x\n", toPath: dir + "/a.txt")
            #expect(folderEntries(dir).count == 1)
        }
        #expect(folderEntries(dir).isEmpty)
    }

    @Test func twoSpellingsOfOneFileGetTheirOwnTemporaries() throws {
        let dir = folder()
        defer { removeTree(dir) }
        let set = AtomicFileSet()
        try set.stage("same\n", toPath: dir + "/a.txt")
        try set.stage("same\n", toPath: dir + "/./a.txt")
        #expect(folderEntries(dir).count == 2)
        try set.commit()
        #expect(folderEntries(dir) == ["a.txt"])
        #expect(text(dir + "/a.txt") == "same\n")
    }

    /// Files in folders under a root (the S3 layout): the commit and the cleanup open the folders without
    /// following links, so a folder swapped for a link after staging is refused, never written or removed through.
    @Test func foldersUnderARootAreNeverFollowedThroughALink() throws {
        let dir = folder()
        defer { removeTree(dir) }
        try makeFolders(dir + "/out/AWSLogs/2026")
        try makeFolders(dir + "/elsewhere")
        let root = open(dir + "/out", O_RDONLY | O_DIRECTORY)
        #expect(root >= 0)
        defer { close(root) }
        let set = AtomicFileSet()
        try set.stage(Array("log\n".utf8), to: "a.log", temporary: ".a.log.tmp", in: root, folder: ["AWSLogs", "2026"])
        #expect(folderEntries(dir + "/out/AWSLogs/2026") == [".a.log.tmp"])
        // The folder becomes a link to another folder holding a file of the temporary's name.
        #expect(rename(dir + "/out/AWSLogs/2026", dir + "/moved") == 0)
        #expect(AtomicFile.write("keep\n", toPath: dir + "/elsewhere/.a.log.tmp"))
        #expect(symlink(dir + "/elsewhere", dir + "/out/AWSLogs/2026") == 0)
        #expect(InterruptCleanup.removeRecorded(set) == 0)
        #expect(text(dir + "/elsewhere/.a.log.tmp") == "keep\n")
        // And a commit through the link is refused: nothing replaced, the error says so.
        let again = AtomicFileSet()
        #expect(unlink(dir + "/out/AWSLogs/2026") == 0)
        try makeFolders(dir + "/out/AWSLogs/2026")
        try again.stage(Array("log\n".utf8), to: "a.log", temporary: ".a.log.tmp", in: root, folder: ["AWSLogs", "2026"])
        #expect(rename(dir + "/out/AWSLogs/2026", dir + "/moved2") == 0)
        #expect(symlink(dir + "/elsewhere", dir + "/out/AWSLogs/2026") == 0)
        #expect(throws: AtomicWriteError(message: "AWSLogs/2026/a.log: '2026' is a symbolic link or not a folder (no file was replaced)")) {
            try again.commit()
        }
        #expect(folderEntries(dir + "/elsewhere") == [".a.log.tmp"])
    }

    /// A rename that fails part-way (here: the second final name is a folder) says exactly which files were
    /// already replaced, and removes the temporaries that were not renamed.
    @Test func aFailedRenameNamesTheFilesAlreadyReplaced() throws {
        let dir = folder()
        defer { removeTree(dir) }
        try makeFolders(dir + "/b.txt/inside")
        let set = AtomicFileSet()
        try set.stage("a\n", toPath: dir + "/a.txt")
        try set.stage("b\n", toPath: dir + "/b.txt")
        try set.stage("c\n", toPath: dir + "/c.txt")
        var caught: AtomicWriteError?
        do throws(AtomicWriteError) { try set.commit() } catch { caught = error }
        #expect(caught?.replaced == [dir + "/a.txt"])
        #expect(caught?.message.hasSuffix("(1 file was replaced: \(dir)/a.txt)") == true)
        #expect(folderEntries(dir) == ["a.txt", "b.txt"])
    }

    @Test func aWriterInstallsTheHandlerForTerminate() {
        let dir = folder()
        defer { removeTree(dir) }
        #expect(AtomicFile.write("x", toPath: dir + "/a.txt"))
        // (The test runner leaves SIGTERM at its default, so the first write installs the handler.)
        #expect(InterruptCleanup.isInstalled(SIGTERM))
    }
}
