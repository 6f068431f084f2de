#if canImport(Glibc)
import Glibc
#endif
import FileIO
import Testing

/// Removes `path` and everything under it (the test's temporary folder); symbolic links are removed, never followed.
func removeTree(_ path: String) {
    var st = stat()
    guard lstat(path, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR, let dir = opendir(path) {
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for name in names { removeTree(path + "/" + name) }
        rmdir(path)
    } else {
        unlink(path)
    }
}

@Suite struct AtomicFileTests {
    func folder() -> String {
        var template = Array("/tmp/vpckit-fileio-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func names(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var out: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

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
