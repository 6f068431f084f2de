#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The file set-up helpers of TestSupport (used by FlowLogs' S3 layout tests in place of FileManager).
@Test func testSupportFileHelpersCreateReadAndList() throws {
    let base = temporaryFolder(prefix: "vpckit-helpers")
    defer { removeTree(base) }
    try makeFolders(base + "/a/b/c")
    try makeFolders(base + "/a/b")  // already there: not an error
    #expect(folderEntries(base + "/a/b") == ["c"])
    #expect(write([1, 2, 3], to: base + "/a/f"))
    #expect(fileBytes(base + "/a/f") == [1, 2, 3])
    #expect(fileText(base + "/a/f") == "\u{1}\u{2}\u{3}")
    #expect(fileBytes(base + "/a/missing") == nil)
    try makeSymbolicLink(at: base + "/link", to: base + "/a")
    #expect(folderEntries(base + "/link") == ["b", "f"])
    #expect(throws: FileSetupError.self) { try makeSymbolicLink(at: base + "/link", to: base + "/a") }
    removeTree(base + "/link")
    #expect(folderEntries(base + "/a") == ["b", "f"])  // the link went, not what it pointed to
    #expect(folderEntries(base) == ["a"])
}

private func write(_ bytes: [UInt8], to path: String) -> Bool {
    guard let f = fopen(path, "wb") else { return false }
    defer { fclose(f) }
    return fwrite(bytes, 1, bytes.count, f) == bytes.count
}
