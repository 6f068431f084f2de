#if canImport(Glibc)
import Glibc
#endif
import FileIO
import TestSupport
import Testing

@Suite struct AtomicFileTests {
    func folder() -> String { temporaryFolder(prefix: "vpckit-fileio") }

    func names(_ folder: String) -> [String] { folderEntries(folder) }

    func text(_ path: String) -> String? { InputFiles.read(path).map { String(decoding: $0, as: UTF8.self) } }

    @Test func writesAndReplacesWhole() {
        let dir = folder()
        defer { removeTree(dir) }
        #expect(AtomicFile.write("first\n", toPath: dir + "/out.txt"))
        #expect(text(dir + "/out.txt") == "first\n")
        #expect(AtomicFile.write("second\n", toPath: dir + "/out.txt"))
        #expect(text(dir + "/out.txt") == "second\n")
        #expect(names(dir) == ["out.txt"])
    }

    @Test func aFailedWriteChangesNothing() {
        let dir = folder()
        defer { removeTree(dir) }
        #expect(!AtomicFile.write("x", toPath: dir + "/missing/out.txt"))
        #expect(names(dir).isEmpty)
    }

    @Test func neverWritesThroughALinkAtTheTemporaryName() throws {
        let dir = folder()
        defer { removeTree(dir) }
        let victim = dir + "/victim.txt"
        #expect(AtomicFile.write("keep\n", toPath: victim))
        // A link planted where the temporary file goes: O_NOFOLLOW refuses it; the link's target is untouched.
        #expect(symlink(victim, dir + "/.out.txt.tmp-planted") == 0)
        #expect(throws: AtomicWriteError.self) {
            try AtomicFile.write(Array("evil".utf8), to: "out.txt", in: open(dir, O_RDONLY | O_DIRECTORY),
                                 temporary: ".out.txt.tmp-planted")
        }
        #expect(text(victim) == "keep\n")
        #expect(!names(dir).contains("out.txt"))
    }

    @Test func aLinkAtTheFinalNameIsReplacedNotFollowed() {
        let dir = folder()
        defer { removeTree(dir) }
        let victim = dir + "/victim.txt"
        #expect(AtomicFile.write("keep\n", toPath: victim))
        #expect(symlink(victim, dir + "/out.txt") == 0)
        #expect(AtomicFile.write("new\n", toPath: dir + "/out.txt"))
        #expect(text(victim) == "keep\n")
        #expect(text(dir + "/out.txt") == "new\n")
    }

    @Test func inputFilesReadWholeFilesAndFindJSON() {
        let dir = folder()
        defer { removeTree(dir) }
        #expect(mkdir(dir + "/sub", 0o755) == 0)
        #expect(AtomicFile.write("{}", toPath: dir + "/b.json"))
        #expect(AtomicFile.write("{}", toPath: dir + "/sub/a.JSON"))
        #expect(AtomicFile.write("x", toPath: dir + "/notes.txt"))
        #expect(AtomicFile.write("{}", toPath: dir + "/.hidden.json"))
        #expect(InputFiles.jsonFiles(under: dir) == [dir + "/b.json", dir + "/sub/a.JSON"])
        #expect(InputFiles.isDirectory(dir))
        #expect(!InputFiles.isDirectory(dir + "/b.json"))
        #expect(InputFiles.read(dir) == nil)
        #expect(InputFiles.read(dir + "/none") == nil)
        #expect(InputFiles.withMappedFile(dir + "/notes.txt") { Array($0) } == Array("x".utf8))
        let blank: [UInt8] = [0xEF, 0xBB, 0xBF, 0x20, 0x0A]
        #expect(blank.withUnsafeBufferPointer(InputFiles.isBlank))
        #expect(!Array("{".utf8).withUnsafeBufferPointer(InputFiles.isBlank))
    }
}

@Suite struct AtomicFileBytesTests {
    /// Bytes (a PNG from `graph --format png`) are written as they are, whole or not at all.
    @Test func writesBytesWhole() {
        let dir = temporaryFolder(prefix: "vpckit-fileio")
        defer { removeTree(dir) }
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 255]
        #expect(AtomicFile.write(bytes, toPath: dir + "/g.png"))
        #expect(InputFiles.read(dir + "/g.png") == bytes)
        #expect(!AtomicFile.write(bytes, toPath: dir + "/missing/g.png"))
        #expect(folderEntries(dir) == ["g.png"])
    }
}
